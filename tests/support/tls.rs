//! Throwaway PostgreSQL servers with TLS, for the tests that connect as
//! production does: each [`start`] runs its own server (initdb + pg_ctl in a
//! temporary directory, 127.0.0.1 only, a free port), with certificates made
//! at test time by rcgen, and stopped when the test process exits.
//!
//! The directory holds, besides the data directory and the log:
//! - `ca.crt`: the root certificate that signed every other one;
//! - `server.crt`, `server.key`: the server's, for `localhost` and `127.0.0.1`;
//! - `server-other.crt`, `server-other.key`: the server's for the
//!   `wrong_name` variant, for `db.example.com` only;
//! - `wrong-ca.crt`: an unrelated root certificate, for "wrong root" tests;
//! - `client.crt`, `client.key`: a client certificate for [`CERT_USER`].
#![allow(dead_code)]

use std::fs::OpenOptions;
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

use rcgen::{
    BasicConstraints, Certificate, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose,
};

use super::pg::{as_server_user, postgres_bin, run};

/// The role that logs in with [`PASSWORD`] (scram-sha-256) and owns the
/// database `app`.
pub const USER: &str = "tlsuser";

/// The password of [`USER`].
pub const PASSWORD: &str = "s3cret-Pw";

/// The role that logs in with the client certificate (its common name).
pub const CERT_USER: &str = "certuser";

/// Which connections a server accepts over TCP.
pub enum Hba {
    /// `ssl = on`; TLS only: [`CERT_USER`] by client certificate, everyone
    /// else by password (scram-sha-256), connections without TLS rejected.
    TlsOnly,
    /// `ssl = off`; everyone by password (scram-sha-256).
    TlsOff,
}

/// A running server with its certificates; stopped, and its directory
/// removed, when the test process exits.
pub struct TlsServer {
    /// The TCP port on 127.0.0.1.
    port: u16,
    /// The temporary directory: certificates, log, unix socket, `data/`.
    dir: PathBuf,
    /// Debian's psql.
    psql: PathBuf,
}

static SERVERS: AtomicUsize = AtomicUsize::new(0);

/// Starts a server accepting what `hba` says, with the certificate for
/// `localhost`/`127.0.0.1`, or with `wrong_name` the one for
/// `db.example.com` (verify-ca passes, verify-full fails). Creates [`USER`],
/// [`CERT_USER`] and the database `app`.
pub fn start(hba: Hba, wrong_name: bool) -> Result<TlsServer, String> {
    start_on(15, hba, wrong_name)
}

/// [`start`] with PostgreSQL `major`'s server (13 to 18; see
/// [`super::pg::server_bin`]); psql stays Debian's.
pub fn start_on(major: u32, hba: Hba, wrong_name: bool) -> Result<TlsServer, String> {
    let bin = super::pg::server_bin(major)?;
    let psql = postgres_bin()?.join("psql");
    let root = run(Command::new("id").arg("-u"))
        .map(|s| s.trim() == "0")
        .unwrap_or(false);
    let dir = std::env::temp_dir().join(format!(
        "trellisc-tlspg-{}-{}",
        std::process::id(),
        SERVERS.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| format!("create {}: {e}", dir.display()))?;
    if root {
        run(Command::new("chown").args(["postgres:postgres"]).arg(&dir))?;
    }
    write_certificates(&dir, root)?;

    let data = dir.join("data");
    run(as_server_user(&bin.join("initdb"), root)
        .args([
            "-U",
            "postgres",
            "--auth=trust",
            "--no-sync",
            "-E",
            "UTF8",
            "--locale=C",
            "-D",
        ])
        .arg(&data))?;
    let (rules, ssl) = match hba {
        Hba::TlsOnly => (
            format!(
                "hostssl all {CERT_USER} 127.0.0.1/32 cert\n\
                 hostssl all all 127.0.0.1/32 scram-sha-256\n\
                 hostnossl all all 127.0.0.1/32 reject\n\
                 local all all trust\n"
            ),
            "on",
        ),
        Hba::TlsOff => (
            "host all all 127.0.0.1/32 scram-sha-256\nlocal all all trust\n".to_string(),
            "off",
        ),
    };
    write_file(&data.join("pg_hba.conf"), rules.as_bytes(), false)?;
    let server = if wrong_name { "server-other" } else { "server" };
    let settings = format!(
        "\nssl = {ssl}\nssl_cert_file = '{cert}'\nssl_key_file = '{key}'\nssl_ca_file = '{ca}'\n\
         password_encryption = 'scram-sha-256'\n",
        cert = dir.join(format!("{server}.crt")).display(),
        key = dir.join(format!("{server}.key")).display(),
        ca = dir.join("ca.crt").display(),
    );
    let conf = data.join("postgresql.conf");
    OpenOptions::new()
        .append(true)
        .open(&conf)
        .and_then(|mut file| file.write_all(settings.as_bytes()))
        .map_err(|e| format!("write {}: {e}", conf.display()))?;

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| e.to_string())?
        .port();
    let options = format!(
        "-c listen_addresses=127.0.0.1 -p {port} -k {} -c fsync=off -c synchronous_commit=off -c full_page_writes=off",
        dir.display()
    );
    super::pg::start_server(&bin, &data, &dir, &options, root)?;

    let server = TlsServer { port, dir, psql };
    server.psql_local(&format!(
        "SET password_encryption = 'scram-sha-256';\n\
         CREATE ROLE {USER} LOGIN PASSWORD '{PASSWORD}';\n\
         CREATE ROLE {CERT_USER} LOGIN;\n\
         CREATE DATABASE app OWNER {USER};\n"
    ))?;
    Ok(server)
}

/// Makes the two root certificates and the certificates they sign, into
/// `dir`; the server's keys are the `postgres` user's when we are `root`.
fn write_certificates(dir: &Path, root: bool) -> Result<(), String> {
    let (ca, ca_issuer) = authority("trellisc test CA")?;
    write_file(&dir.join("ca.crt"), ca.pem().as_bytes(), false)?;
    let (wrong_ca, _) = authority("trellisc unrelated CA")?;
    write_file(&dir.join("wrong-ca.crt"), wrong_ca.pem().as_bytes(), false)?;

    let names = [
        (
            "server",
            "localhost",
            vec!["localhost".to_string(), "127.0.0.1".to_string()],
        ),
        ("server-other", "db.example.com", vec!["db.example.com".to_string()]),
    ];
    for (file, common_name, alt_names) in names {
        let (cert, key) = signed(&ca_issuer, common_name, alt_names, ExtendedKeyUsagePurpose::ServerAuth)?;
        write_file(&dir.join(format!("{file}.crt")), cert.pem().as_bytes(), false)?;
        let key_file = dir.join(format!("{file}.key"));
        write_file(&key_file, key.serialize_pem().as_bytes(), true)?;
        if root {
            // PostgreSQL refuses a key file that is not its own.
            run(Command::new("chown").args(["postgres:postgres"]).arg(&key_file))?;
        }
    }

    let (cert, key) = signed(&ca_issuer, CERT_USER, Vec::new(), ExtendedKeyUsagePurpose::ClientAuth)?;
    write_file(&dir.join("client.crt"), cert.pem().as_bytes(), false)?;
    write_file(&dir.join("client.key"), key.serialize_pem().as_bytes(), true)
}

/// A self-signed root certificate named `name`, and the issuer that signs
/// with it.
fn authority(name: &str) -> Result<(Certificate, Issuer<'static, KeyPair>), String> {
    let mut params = CertificateParams::new(Vec::new()).map_err(|e| format!("CA {name}: {e}"))?;
    params.distinguished_name.push(DnType::CommonName, name);
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    let key = KeyPair::generate().map_err(|e| format!("CA {name} key: {e}"))?;
    let cert = params.self_signed(&key).map_err(|e| format!("CA {name}: {e}"))?;
    Ok((cert, Issuer::new(params, key)))
}

/// A certificate for `common_name` and `alt_names`, signed by `issuer`, and
/// its key.
fn signed(
    issuer: &Issuer<'static, KeyPair>,
    common_name: &str,
    alt_names: Vec<String>,
    purpose: ExtendedKeyUsagePurpose,
) -> Result<(Certificate, KeyPair), String> {
    let mut params = CertificateParams::new(alt_names).map_err(|e| format!("certificate {common_name}: {e}"))?;
    params.distinguished_name.push(DnType::CommonName, common_name);
    params.use_authority_key_identifier_extension = true;
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    params.extended_key_usages = vec![purpose];
    let key = KeyPair::generate().map_err(|e| format!("key {common_name}: {e}"))?;
    let cert = params
        .signed_by(&key, issuer)
        .map_err(|e| format!("certificate {common_name}: {e}"))?;
    Ok((cert, key))
}

/// Writes a file: a private one (a key) with mode 0600 from the start.
fn write_file(path: &Path, contents: &[u8], private: bool) -> Result<(), String> {
    OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(if private { 0o600 } else { 0o644 })
        .open(path)
        .and_then(|mut file| file.write_all(contents))
        .map_err(|e| format!("write {}: {e}", path.display()))
}

impl TlsServer {
    /// The TCP port the server listens on, on 127.0.0.1.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The directory of the server's unix socket (its `-k`).
    pub fn socket_dir(&self) -> &Path {
        &self.dir
    }

    /// The root certificate that signed the server's and the client's.
    pub fn ca(&self) -> PathBuf {
        self.dir.join("ca.crt")
    }

    /// A root certificate that signed neither.
    pub fn wrong_ca(&self) -> PathBuf {
        self.dir.join("wrong-ca.crt")
    }

    /// The client certificate of [`CERT_USER`].
    pub fn client_cert(&self) -> PathBuf {
        self.dir.join("client.crt")
    }

    /// The key of [`TlsServer::client_cert`] (mode 0600).
    pub fn client_key(&self) -> PathBuf {
        self.dir.join("client.key")
    }

    /// Runs SQL with psql over the unix socket, as `postgres` on database
    /// `postgres` (trusted), stopping at the first error; the output
    /// unaligned and without headers, or the error text.
    pub fn psql_local(&self, sql: &str) -> Result<String, String> {
        let mut child = Command::new(&self.psql)
            .args(["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h"])
            .arg(&self.dir)
            .args([
                "-p",
                &self.port.to_string(),
                "-U",
                "postgres",
                "-d",
                "postgres",
                "-f",
                "-",
            ])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("psql: {e}"))?;
        {
            let mut stdin = child.stdin.take().expect("psql stdin is piped");
            // psql stops reading at the first error: its message says more
            // than the broken pipe.
            let _ = stdin.write_all(sql.as_bytes());
        }
        let output = child.wait_with_output().map_err(|e| format!("psql: {e}"))?;
        if output.status.success() {
            Ok(String::from_utf8_lossy(&output.stdout).into_owned())
        } else {
            Err(String::from_utf8_lossy(&output.stderr).into_owned())
        }
    }
}
