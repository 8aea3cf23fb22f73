//! TLS with rustls, by libpq's rules: what each `sslmode` verifies, the
//! root certificates (`sslrootcert`, a file or `system`), the client
//! certificate, SNI, the protocol versions; and one line for each way a
//! handshake fails.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, verify_tls12_signature, verify_tls13_signature};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::{CertificateError, ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};

/// libpq's `sslmode`, weakest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Mode {
    Disable,
    Allow,
    Prefer,
    Require,
    VerifyCa,
    VerifyFull,
}

impl Mode {
    pub fn parse(text: &str) -> Result<Mode, String> {
        Ok(match text {
            "disable" => Mode::Disable,
            "allow" => Mode::Allow,
            "prefer" => Mode::Prefer,
            "require" => Mode::Require,
            "verify-ca" => Mode::VerifyCa,
            "verify-full" => Mode::VerifyFull,
            other => {
                return Err(format!(
                    "sslmode={other} is not one of disable, allow, prefer, require, verify-ca, verify-full"
                ));
            }
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Mode::Disable => "disable",
            Mode::Allow => "allow",
            Mode::Prefer => "prefer",
            Mode::Require => "require",
            Mode::VerifyCa => "verify-ca",
            Mode::VerifyFull => "verify-full",
        }
    }
}

/// Where the trusted root certificates come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Roots {
    /// None given, and no `~/.postgresql/root.crt`: nothing is verified.
    None,
    File(PathBuf),
    /// `sslrootcert=system`: the operating system's trusted roots.
    System,
}

/// What the TLS side of a connection asks for.
#[derive(Debug, Clone)]
pub struct Settings {
    pub mode: Mode,
    pub roots: Roots,
    /// Whether the server's certificate must be signed by the roots, and
    /// whether it must name the host.
    pub verify_chain: bool,
    pub verify_name: bool,
    pub client: Option<(PathBuf, PathBuf)>,
    pub sni: bool,
    /// `TLSv1.2`, `TLSv1.3`; rustls speaks nothing older.
    pub min_tls13: bool,
    pub max_tls12: bool,
}

/// The rustls configuration for `settings`, or why it cannot be made (a
/// file that cannot be read, a key that others can read).
pub fn client_config(settings: &Settings) -> Result<ClientConfig, String> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let versions: Vec<&'static rustls::SupportedProtocolVersion> = match (settings.min_tls13, settings.max_tls12) {
        (true, true) => {
            return Err("ssl_min_protocol_version is above ssl_max_protocol_version".into());
        }
        (true, false) => vec![&rustls::version::TLS13],
        (false, true) => vec![&rustls::version::TLS12],
        (false, false) => vec![&rustls::version::TLS13, &rustls::version::TLS12],
    };
    let verifier: Arc<dyn ServerCertVerifier> = if settings.verify_chain {
        let roots = roots(&settings.roots)?;
        let inner = WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
            .build()
            .map_err(|e| format!("the root certificates cannot be used: {e}"))?;
        Arc::new(Verifier {
            inner: Some(inner),
            verify_name: settings.verify_name,
            provider: provider.clone(),
        })
    } else {
        Arc::new(Verifier {
            inner: None,
            verify_name: false,
            provider: provider.clone(),
        })
    };
    let builder = ClientConfig::builder_with_provider(provider)
        .with_protocol_versions(&versions)
        .map_err(|e| format!("TLS: {e}"))?
        .dangerous()
        .with_custom_certificate_verifier(verifier);
    let mut config = match &settings.client {
        Some((cert, key)) => {
            let certs = certificates(cert, "sslcert")?;
            check_key_permissions(key)?;
            let key = PrivateKeyDer::from_pem_file(key).map_err(|e| {
                format!(
                    "cannot read the private key \"{}\" (sslkey): {}",
                    key.display(),
                    pem_error(&e)
                )
            })?;
            builder.with_client_auth_cert(certs, key).map_err(|e| {
                format!(
                    "the client certificate \"{}\" and its key do not go together: {e}",
                    cert.display()
                )
            })?
        }
        None => builder.with_no_client_auth(),
    };
    config.enable_sni = settings.sni;
    // PostgreSQL 17's direct TLS needs it; older servers ignore it.
    config.alpn_protocols = vec![b"postgresql".to_vec()];
    Ok(config)
}

fn pem_error(error: &rustls::pki_types::pem::Error) -> String {
    match error {
        rustls::pki_types::pem::Error::Io(e) => e.to_string(),
        rustls::pki_types::pem::Error::NoItemsFound => "no PEM block in it".into(),
        other => format!("{other:?}"),
    }
}

fn certificates(file: &Path, option: &str) -> Result<Vec<CertificateDer<'static>>, String> {
    let unreadable = |why: String| {
        format!(
            "cannot read the certificate file \"{}\" ({option}): {why}",
            file.display()
        )
    };
    let certs = CertificateDer::pem_file_iter(file)
        .map_err(|e| unreadable(pem_error(&e)))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| unreadable(pem_error(&e)))?;
    if certs.is_empty() {
        return Err(unreadable("it holds no certificate".into()));
    }
    Ok(certs)
}

fn roots(roots: &Roots) -> Result<RootCertStore, String> {
    let mut store = RootCertStore::empty();
    match roots {
        Roots::None => {}
        Roots::File(file) => {
            for cert in certificates(file, "sslrootcert")? {
                store
                    .add(cert)
                    .map_err(|e| format!("a certificate in \"{}\" cannot be used: {e}", file.display()))?;
            }
        }
        Roots::System => {
            let found = rustls_native_certs::load_native_certs();
            let (added, _) = store.add_parsable_certificates(found.certs);
            if added == 0 {
                return Err("sslrootcert=system: the system has no trusted root certificates (on Debian: apt-get install ca-certificates)".into());
            }
        }
    }
    Ok(store)
}

/// libpq's rule: a key file owned by us must be 0600 or less, one owned
/// by root may be 0640.
fn check_key_permissions(key: &Path) -> Result<(), String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let meta = std::fs::metadata(key)
            .map_err(|e| format!("cannot read the private key \"{}\" (sslkey): {e}", key.display()))?;
        let mode = meta.mode() & 0o777;
        let allowed = if meta.uid() == 0 { 0o640 } else { 0o600 };
        if mode & !allowed != 0 {
            return Err(format!(
                "the private key \"{}\" has group or world access ({:o}); it must be u=rw (0600) or less, or u=rw,g=r (0640) if owned by root",
                key.display(),
                mode
            ));
        }
    }
    Ok(())
}

/// Verifies the server's certificate as the mode asks: against the roots
/// with or without the host name, or not at all (then only the handshake's
/// own signatures are checked).
#[derive(Debug)]
struct Verifier {
    inner: Option<Arc<WebPkiServerVerifier>>,
    verify_name: bool,
    provider: Arc<CryptoProvider>,
}

impl ServerCertVerifier for Verifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let Some(inner) = &self.inner else {
            return Ok(ServerCertVerified::assertion());
        };
        match inner.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now) {
            // webpki checks the chain before the name: a wrong name means
            // the chain was good, which is all verify-ca asks.
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) if !self.verify_name => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider.signature_verification_algorithms.supported_schemes()
    }
}

/// One line for a failed handshake, from the rustls error somewhere in
/// the driver's chain of causes; None when rustls is not the cause.
pub fn explain(error: &(dyn std::error::Error + 'static), settings: &Settings, host: &str) -> Option<String> {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(current) = cause {
        let found = current.downcast_ref::<rustls::Error>().or_else(|| {
            current
                .downcast_ref::<std::io::Error>()
                .and_then(|io| io.get_ref())
                .and_then(|inner| inner.downcast_ref::<rustls::Error>())
        });
        if let Some(found) = found {
            return Some(describe(found, settings, host));
        }
        cause = current.source();
    }
    None
}

fn roots_name(roots: &Roots) -> String {
    match roots {
        Roots::None => "no root certificate".into(),
        Roots::File(file) => format!("the root certificate \"{}\"", file.display()),
        Roots::System => "the system's trusted roots (sslrootcert=system)".into(),
    }
}

/// `db.example.com` from webpki's `DnsName("db.example.com")`, an address
/// from `IpAddress(..)`.
fn plain_name(presented: &str) -> &str {
    let inner = presented
        .strip_prefix("DnsName(")
        .or_else(|| presented.strip_prefix("IpAddress("))
        .and_then(|p| p.strip_suffix(')'))
        .unwrap_or(presented);
    inner.trim_matches('"')
}

fn describe(error: &rustls::Error, settings: &Settings, host: &str) -> String {
    use CertificateError as C;
    match error {
        rustls::Error::InvalidCertificate(C::UnknownIssuer | C::BadSignature) => format!(
            "the server's certificate is not trusted: it is not signed by {} (sslrootcert names the certificate of the authority that signed the server's)",
            roots_name(&settings.roots)
        ),
        rustls::Error::InvalidCertificate(C::NotValidForNameContext { presented, .. }) => format!(
            "the server's certificate is for {}, not {host} (sslmode=verify-full checks the host name: connect by a name the certificate holds, or use sslmode=verify-ca)",
            if presented.is_empty() {
                "no host name".to_string()
            } else {
                presented.iter().map(|p| plain_name(p)).collect::<Vec<_>>().join(", ")
            }
        ),
        rustls::Error::InvalidCertificate(C::NotValidForName) => format!(
            "the server's certificate is not for {host} (sslmode=verify-full checks the host name: connect by a name the certificate holds, or use sslmode=verify-ca)"
        ),
        rustls::Error::InvalidCertificate(C::Expired | C::ExpiredContext { .. }) => {
            "the server's certificate has expired".into()
        }
        rustls::Error::InvalidCertificate(C::NotValidYet | C::NotValidYetContext { .. }) => {
            "the server's certificate is not valid yet (is this machine's clock right?)".into()
        }
        rustls::Error::InvalidCertificate(other) => format!("the server's certificate is refused: {other:?}"),
        rustls::Error::AlertReceived(alert) => format!(
            "the server ended the TLS handshake ({alert:?}){}",
            if settings.client.is_some() {
                ": it may not accept the client certificate (sslcert)"
            } else {
                ""
            }
        ),
        rustls::Error::PeerIncompatible(why) => format!("the server's TLS is not compatible: {why:?}"),
        other => format!("TLS handshake failed: {other}"),
    }
}
