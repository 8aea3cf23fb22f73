//! Connecting to a database from a URL, with errors that name the server
//! and the database but never the password.

use std::fmt;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio_postgres::config::{ChannelBinding, SslMode, SslNegotiation};
use tokio_postgres::error::SqlState;
use tokio_postgres::tls::MakeTlsConnect;
use tokio_postgres::{Client, Config, NoTls, Socket};
use tokio_postgres_rustls::MakeRustlsConnect;

use super::conninfo::{Environment, Options, Process, complete, parse};
use super::pgpass;
use super::tls::{self, Mode, Roots, Settings};

/// A connected database.
pub struct Database {
    pub client: Client,
    /// `database "app" on db.example.com:5432`, for messages.
    pub description: String,
    /// The server's major version (13, 14, ...).
    pub major: u32,
}

/// Why a database could not be used: one line naming the database and the
/// server.
#[derive(Debug, Clone)]
pub struct DbError {
    pub description: String,
    pub message: String,
}

impl fmt::Display for DbError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.description, self.message)
    }
}

impl std::error::Error for DbError {}

impl DbError {
    /// The error of a query on that database, in one line.
    pub fn from_postgres(description: &str, error: &tokio_postgres::Error) -> DbError {
        DbError {
            description: description.to_string(),
            message: explain(error),
        }
    }
}

/// The connect timeout, in milliseconds, for a URL that sets none.
static DEFAULT_TIMEOUT_MS: AtomicU64 = AtomicU64::new(10_000);

/// Sets the connect timeout for URLs without `connect_timeout` (the
/// command line's `--connect-timeout` or `PGCONNECT_TIMEOUT`; 10 s
/// otherwise).
pub fn set_default_timeout(timeout: Duration) {
    let ms = u64::try_from(timeout.as_millis()).unwrap_or(u64::MAX).max(1);
    DEFAULT_TIMEOUT_MS.store(ms, Ordering::Relaxed);
}

fn default_timeout() -> Duration {
    Duration::from_millis(DEFAULT_TIMEOUT_MS.load(Ordering::Relaxed))
}

/// `3 s`, `2.5 s`.
fn seconds(duration: Duration) -> String {
    let ms = duration.as_millis();
    if ms % 1000 == 0 {
        format!("{} s", ms / 1000)
    } else {
        format!("{} s", duration.as_secs_f64())
    }
}

/// One line for a driver error: the server's own message where there is
/// one (with what to do about the common ones), the cause otherwise.
fn explain(error: &tokio_postgres::Error) -> String {
    if let Some(db) = error.as_db_error() {
        let hint = match *db.code() {
            _ if db.message().contains("client certificate") => {
                " (give it with sslcert=FILE and sslkey=FILE, or put it in ~/.postgresql/postgresql.crt and .key)"
            }
            // pg_hba.conf's answer for a connection without TLS; the
            // caller says what to do.
            _ if db.message().contains("no encryption") => "",
            SqlState::INVALID_PASSWORD | SqlState::INVALID_AUTHORIZATION_SPECIFICATION => {
                " (check the user and the password: in the URL, PGPASSWORD or ~/.pgpass)"
            }
            SqlState::INSUFFICIENT_PRIVILEGE => {
                " (the role needs that privilege; ask the database's owner to grant it)"
            }
            SqlState::INVALID_CATALOG_NAME => " (create it first, or fix the database name in the URL)",
            _ => "",
        };
        return format!("{}{hint}", db.message());
    }
    let mut message = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        let text = cause.to_string();
        if !message.contains(&text) {
            message.push_str(": ");
            message.push_str(&text);
        }
        source = cause.source();
    }
    if message.contains("Connection refused") {
        message.push_str(" (is the server running and listening there?)");
    }
    message
}

/// Where one attempt goes: a host name, an IP address or a socket
/// directory, with `hostaddr` when given, and the port.
#[derive(Debug, Clone)]
struct Endpoint {
    host: String,
    hostaddr: Option<IpAddr>,
    port: u16,
}

impl Endpoint {
    fn is_socket(&self) -> bool {
        self.host.starts_with('/') || self.host.starts_with('@')
    }

    /// `db:5432`, `/var/run/postgresql/.s.PGSQL.5432`.
    fn address(&self) -> String {
        if self.is_socket() {
            format!("{}/.s.PGSQL.{}", self.host.trim_end_matches('/'), self.port)
        } else if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }
}

/// What a session must be, libpq's `target_session_attrs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SessionAttrs {
    Any,
    ReadWrite,
    ReadOnly,
    Primary,
    Standby,
    PreferStandby,
}

/// Everything one connection argument asks for, completed from the
/// service file, the environment and the defaults.
#[derive(Debug, Clone)]
pub struct Target {
    endpoints: Vec<Endpoint>,
    user: String,
    dbname: String,
    password: Option<String>,
    passfile: Option<PathBuf>,
    timeout: Option<Duration>,
    config: Config,
    tls: Settings,
    direct: bool,
    attrs: SessionAttrs,
    random: bool,
}

fn bad(message: String) -> DbError {
    DbError {
        description: "database URL".into(),
        message,
    }
}

fn number<T: FromStr>(options: &Options, key: &str) -> Result<Option<T>, DbError> {
    match options.get(key) {
        None => Ok(None),
        Some(text) => text
            .trim()
            .parse()
            .map(Some)
            .map_err(|_| bad(format!("cannot read it: the value of {key} is not a number"))),
    }
}

fn one_of<'a>(options: &Options, key: &str, default: &'a str, allowed: &[&'a str]) -> Result<&'a str, DbError> {
    let given = options.get(key).unwrap_or(default);
    allowed
        .iter()
        .find(|a| **a == given)
        .copied()
        .ok_or_else(|| bad(format!("{key}={given} is not one of {}", allowed.join(", "))))
}

/// The connection a URL or a libpq connection string asks for, read as
/// libpq reads it (see docs/cli.md, "Connecting"), with trellisc's
/// defaults for what it leaves out: the connect timeout, TCP keepalives
/// that notice a server gone silent in about a minute, the application
/// name `trellisc`.
pub fn configure(url: &str) -> Result<Target, DbError> {
    configure_in(url, &Process)
}

fn configure_in(url: &str, env: &dyn Environment) -> Result<Target, DbError> {
    if let Some(message) = super::argument::mistyped(url) {
        return Err(bad(message));
    }
    // The argument itself is never shown: a misspelt option may hold the
    // password. The messages name options only.
    let options = parse(url).map_err(|e| {
        bad(format!(
            "cannot read it ({e}); expected postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE or host=HOST dbname=DATABASE ..."
        ))
    })?;
    let options = complete(options, env).map_err(bad)?;
    for (key, why) in [
        ("sslcrl", "certificate revocation lists are not supported"),
        ("sslcrldir", "certificate revocation lists are not supported"),
        (
            "sslpassword",
            "encrypted client keys are not supported: decrypt the key file",
        ),
        ("requirepeer", "requirepeer is not supported"),
        ("require_auth", "require_auth is not supported"),
        ("replication", "replication connections are not what trellisc uses"),
    ] {
        if options.get(key).is_some() {
            return Err(bad(format!("{why} (remove {key})")));
        }
    }
    if one_of(&options, "gssencmode", "prefer", &["disable", "prefer", "require"])? == "require" {
        return Err(bad(
            "GSSAPI encryption is not supported: use TLS (sslmode) instead of gssencmode=require".into(),
        ));
    }
    if let Some(encoding) = options.get("client_encoding")
        && !matches!(encoding.to_ascii_uppercase().as_str(), "UTF8" | "UTF-8" | "AUTO")
    {
        return Err(bad(format!("client_encoding={encoding}: trellisc speaks UTF8 only")));
    }

    let endpoints = endpoints(&options)?;
    let user = match options.get("user") {
        Some(user) => user.to_string(),
        None => env
            .var("USER")
            .or_else(|| env.var("LOGNAME"))
            .filter(|u| !u.is_empty())
            .or_else(os_user)
            .ok_or_else(|| bad("no user name: give one in the URL (user=NAME) or set PGUSER".into()))?,
    };
    let dbname = options.get("dbname").unwrap_or(&user).to_string();

    let mut config = Config::new();
    config.user(&user).dbname(&dbname);
    if let Some(options) = options.get("options") {
        config.options(options);
    }
    config.application_name(
        options
            .get("application_name")
            .or(options.get("fallback_application_name"))
            .unwrap_or("trellisc"),
    );
    // libpq: zero or less waits forever.
    let timeout = match number::<i64>(&options, "connect_timeout")? {
        Some(seconds) if seconds <= 0 => None,
        Some(seconds) => Some(Duration::from_secs(seconds.unsigned_abs())),
        None => Some(default_timeout()),
    };
    config.keepalives(number::<i64>(&options, "keepalives")?.unwrap_or(1) != 0);
    config.keepalives_idle(Duration::from_secs(number(&options, "keepalives_idle")?.unwrap_or(30)));
    config.keepalives_interval(Duration::from_secs(
        number(&options, "keepalives_interval")?.unwrap_or(10),
    ));
    config.keepalives_retries(number(&options, "keepalives_count")?.unwrap_or(3));
    // Data the server does not acknowledge for a minute means it is gone.
    config.tcp_user_timeout(Duration::from_millis(
        number(&options, "tcp_user_timeout")?.unwrap_or(60_000),
    ));
    config.channel_binding(
        match one_of(&options, "channel_binding", "prefer", &["disable", "prefer", "require"])? {
            "disable" => ChannelBinding::Disable,
            "require" => ChannelBinding::Require,
            _ => ChannelBinding::Prefer,
        },
    );

    let tls = tls_settings(&options, env)?;
    let direct = one_of(&options, "sslnegotiation", "postgres", &["postgres", "direct"])? == "direct";
    if direct && tls.mode < Mode::Require {
        return Err(bad(format!(
            "sslnegotiation=direct needs sslmode=require, verify-ca or verify-full, not {}",
            tls.mode.name()
        )));
    }
    if direct {
        config.ssl_negotiation(SslNegotiation::Direct);
    }
    let attrs = match one_of(
        &options,
        "target_session_attrs",
        "any",
        &["any", "read-write", "read-only", "primary", "standby", "prefer-standby"],
    )? {
        "read-write" => SessionAttrs::ReadWrite,
        "read-only" => SessionAttrs::ReadOnly,
        "primary" => SessionAttrs::Primary,
        "standby" => SessionAttrs::Standby,
        "prefer-standby" => SessionAttrs::PreferStandby,
        _ => SessionAttrs::Any,
    };
    let random = one_of(&options, "load_balance_hosts", "disable", &["disable", "random"])? == "random";
    Ok(Target {
        endpoints,
        user,
        dbname,
        password: options.get("password").map(str::to_string),
        passfile: pgpass::file(options.get("passfile"), env.home().as_deref()),
        timeout,
        config,
        tls,
        direct,
        attrs,
        random,
    })
}

/// The hosts, host addresses and ports, paired as libpq pairs them: one
/// port for all, or one each.
fn endpoints(options: &Options) -> Result<Vec<Endpoint>, DbError> {
    let list = |key| -> Vec<String> {
        options
            .get(key)
            .map(|v| v.split(',').map(|s| s.trim().to_string()).collect())
            .unwrap_or_default()
    };
    let hosts = list("host");
    let addrs = list("hostaddr");
    let ports = list("port");
    let count = hosts.len().max(addrs.len()).max(1);
    if hosts.len() > 1 && !addrs.is_empty() && addrs.len() != hosts.len() {
        return Err(bad(format!(
            "{} hosts but {} host addresses: give one hostaddr per host",
            hosts.len(),
            addrs.len()
        )));
    }
    if ports.len() > 1 && ports.len() != count {
        return Err(bad(format!(
            "{count} hosts but {} ports: give one port, or one per host",
            ports.len()
        )));
    }
    let mut endpoints = Vec::with_capacity(count);
    for at in 0..count {
        let hostaddr = match addrs.get(at).filter(|a| !a.is_empty()) {
            Some(addr) => Some(
                addr.parse::<IpAddr>()
                    .map_err(|_| bad("cannot read it: a hostaddr is not an IP address".into()))?,
            ),
            None => None,
        };
        let host = match hosts.get(at).filter(|h| !h.is_empty()) {
            Some(host) => host.clone(),
            None => match hostaddr {
                Some(addr) => addr.to_string(),
                None => default_socket_dir(),
            },
        };
        let port = match ports.get(at).or(ports.first()).filter(|p| !p.is_empty()) {
            Some(port) => port
                .parse::<u16>()
                .ok()
                .filter(|p| *p > 0)
                .ok_or_else(|| bad("cannot read it: a port is not a port number (1 to 65535)".into()))?,
            None => 5432,
        };
        endpoints.push(Endpoint { host, hostaddr, port });
    }
    Ok(endpoints)
}

/// The name of the user this process runs as, as libpq takes it when
/// nothing names one: the line of /etc/passwd with this process's uid.
fn os_user() -> Option<String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let uid = std::fs::metadata("/proc/self").ok()?.uid().to_string();
        let passwd = std::fs::read_to_string("/etc/passwd").ok()?;
        passwd.lines().find_map(|line| {
            let mut fields = line.split(':');
            let name = fields.next()?;
            (fields.nth(1)? == uid).then(|| name.to_string())
        })
    }
    #[cfg(not(unix))]
    None
}

/// libpq's default host: the socket directory (Debian's, else /tmp).
fn default_socket_dir() -> String {
    if Path::new("/var/run/postgresql").is_dir() {
        "/var/run/postgresql".into()
    } else {
        "/tmp".into()
    }
}

/// What TLS the options ask for, by libpq's rules: `require` verifies the
/// chain when a root certificate exists, `sslrootcert=system` asks for
/// `verify-full`, `verify-ca` and `verify-full` need a root certificate.
fn tls_settings(options: &Options, env: &dyn Environment) -> Result<Settings, DbError> {
    let home_file = |name: &str| env.home().map(|h| h.join(".postgresql").join(name));
    let roots = match options.get("sslrootcert") {
        Some("system") => Roots::System,
        Some(file) => Roots::File(PathBuf::from(file)),
        None => match home_file("root.crt") {
            Some(file) if file.exists() => Roots::File(file),
            _ => Roots::None,
        },
    };
    let mode = match options.get("sslmode") {
        Some(mode) => Mode::parse(mode).map_err(bad)?,
        None if roots == Roots::System => Mode::VerifyFull,
        None => Mode::Prefer,
    };
    if roots == Roots::System && mode != Mode::VerifyFull {
        return Err(bad(format!(
            "sslrootcert=system needs sslmode=verify-full, not {} (the system's roots vouch for names)",
            mode.name()
        )));
    }
    let roots_exist = match &roots {
        Roots::None => false,
        Roots::File(file) => file.exists(),
        Roots::System => true,
    };
    if mode >= Mode::VerifyCa && !roots_exist {
        let file = match &roots {
            Roots::File(file) => file.display().to_string(),
            _ => "~/.postgresql/root.crt".into(),
        };
        return Err(bad(format!(
            "sslmode={} needs a root certificate, and \"{file}\" does not exist (give sslrootcert=FILE, the certificate of the authority that signed the server's, or sslrootcert=system for the system's trusted roots)",
            mode.name()
        )));
    }
    let verify_chain = mode >= Mode::VerifyCa || (mode == Mode::Require && roots_exist);
    let cert_mode = one_of(options, "sslcertmode", "allow", &["disable", "allow", "require"])?;
    let client = if cert_mode == "disable" {
        None
    } else {
        let cert = options.get("sslcert").map(PathBuf::from);
        let key = options.get("sslkey").map(PathBuf::from);
        if let Some(cert) = &cert
            && !cert.exists()
        {
            return Err(bad(format!(
                "the client certificate \"{}\" (sslcert) does not exist",
                cert.display()
            )));
        }
        let cert = cert.or_else(|| home_file("postgresql.crt").filter(|f| f.exists()));
        match cert {
            Some(cert) => {
                let key = key
                    .or_else(|| home_file("postgresql.key"))
                    .filter(|k| k.exists())
                    .ok_or_else(|| {
                        bad(format!(
                            "the client certificate \"{}\" has no key: give sslkey=FILE",
                            cert.display()
                        ))
                    })?;
                Some((cert, key))
            }
            None if cert_mode == "require" => {
                return Err(bad(
                    "sslcertmode=require, but there is no client certificate (sslcert)".into()
                ));
            }
            None => None,
        }
    };
    let version = |key: &str, default: &str| -> Result<u8, DbError> {
        match options.get(key).unwrap_or(default) {
            "TLSv1" | "TLSv1.1" | "TLSv1.2" => Ok(2),
            "TLSv1.3" => Ok(3),
            other => Err(bad(format!(
                "{key}={other} is not one of TLSv1, TLSv1.1, TLSv1.2, TLSv1.3"
            ))),
        }
    };
    let max_given = options.get("ssl_max_protocol_version");
    if matches!(max_given, Some("TLSv1" | "TLSv1.1")) {
        return Err(bad(
            "ssl_max_protocol_version below TLSv1.2: trellisc speaks TLS 1.2 and 1.3 only".into(),
        ));
    }
    Ok(Settings {
        mode,
        roots,
        verify_chain,
        verify_name: mode == Mode::VerifyFull,
        client,
        sni: number::<i64>(options, "sslsni")?.unwrap_or(1) != 0,
        min_tls13: version("ssl_min_protocol_version", "TLSv1.2")? == 3,
        max_tls12: version("ssl_max_protocol_version", "TLSv1.3")? == 2,
    })
}

/// Why one attempt failed.
enum Failure {
    Timeout(Duration),
    Driver(tokio_postgres::Error),
    /// The session is not what target_session_attrs asks for.
    Attrs(&'static str),
}

/// A connection made: the client, the server's major version, whether
/// the session is read-only and whether the server is a standby.
struct Opened {
    client: Client,
    major: u32,
}

/// Whether the server's notices (RAISE NOTICE, WARNING, ...) are shown on
/// standard error: for the commands that run revisions.
static NOTICES: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Where notices are printed: a line of text each.
static PRINT_NOTICE: std::sync::OnceLock<fn(&str)> = std::sync::OnceLock::new();

/// Shows the server's notices from now on, as psql does, each one given
/// to `print` (which puts it above a progress bar, say).
pub fn show_notices(print: fn(&str)) {
    let _ = PRINT_NOTICE.set(print);
    NOTICES.store(true, Ordering::Relaxed);
}

/// One notice on standard error: its severity and message, then its detail
/// and hint, each kept to one line (the text comes from the server).
fn say_notice(notice: &tokio_postgres::error::DbError) {
    use std::io::Write;
    let mut text = format!("{}: {}", notice.severity(), crate::diag::printable(notice.message()));
    if let Some(detail) = notice.detail() {
        text.push_str(&format!("\nDETAIL: {}", crate::diag::printable(detail)));
    }
    if let Some(hint) = notice.hint() {
        text.push_str(&format!("\nHINT: {}", crate::diag::printable(hint)));
    }
    match PRINT_NOTICE.get() {
        Some(print) => print(&text),
        // Standard error gone: nothing to tell anyone.
        None => {
            let _ = writeln!(std::io::stderr(), "{text}");
        }
    }
}

async fn open<T>(config: &Config, tls: T, timeout: Option<Duration>) -> Result<Opened, Failure>
where
    T: MakeTlsConnect<Socket> + Send,
    T::Stream: Send + 'static,
{
    let connecting = config.connect(tls);
    let (client, connection) = match timeout {
        Some(timeout) => tokio::time::timeout(timeout, connecting)
            .await
            .map_err(|_| Failure::Timeout(timeout))?,
        None => connecting.await,
    }
    .map_err(Failure::Driver)?;
    let major = connection
        .parameter("server_version")
        .and_then(|v| v.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|v| v.parse().ok())
        .unwrap_or(13);
    tokio::spawn(async move {
        // Errors surface on the client's next request. What the server
        // says along the way (RAISE NOTICE in a revision) is shown when
        // asked for.
        let mut connection = connection;
        let mut messages = futures_util::stream::poll_fn(move |cx| connection.poll_message(cx));
        while let Some(message) = futures_util::StreamExt::next(&mut messages).await {
            match message {
                Ok(tokio_postgres::AsyncMessage::Notice(notice)) if NOTICES.load(Ordering::Relaxed) => {
                    say_notice(&notice);
                }
                Ok(_) => {}
                Err(_) => break,
            }
        }
    });
    Ok(Opened { client, major })
}

/// Whether the error says TLS went wrong (rather than the server or the
/// network), so that `prefer` tries again without it.
fn is_tls(error: &tokio_postgres::Error) -> bool {
    error.to_string().starts_with("error performing TLS handshake")
}

impl Target {
    /// One attempt at one endpoint, with the TLS the mode asks for (and,
    /// for `allow` and `prefer`, the other way when the first fails).
    async fn attempt(&self, endpoint: &Endpoint) -> Result<Opened, Failure> {
        let mut config = self.config.clone();
        if endpoint.is_socket() {
            config.host_path(&endpoint.host);
        } else {
            config.host(&endpoint.host);
        }
        if let Some(addr) = endpoint.hostaddr {
            config.hostaddr(addr);
        }
        config.port(endpoint.port);
        if let Some(password) = &self.password {
            config.password(password);
        } else if let Some(file) = &self.passfile {
            let lookup = pgpass::Lookup {
                host: &endpoint.host,
                port: endpoint.port,
                dbname: &self.dbname,
                user: &self.user,
            };
            let (password, warning) = pgpass::password(file, &lookup);
            if let Some(warning) = warning {
                warn_once(&warning);
            }
            if let Some(password) = password {
                config.password(password);
            }
        }
        // libpq never uses TLS over a Unix-domain socket.
        let mode = if endpoint.is_socket() {
            Mode::Disable
        } else {
            self.tls.mode
        };
        let with_tls = |config: &mut Config, ssl: SslMode| -> Result<MakeRustlsConnect, Failure> {
            config.ssl_mode(ssl);
            let rustls = tls::client_config(&self.tls).map_err(|message| Failure::Attrs(leak(message)))?;
            Ok(MakeRustlsConnect::new(rustls))
        };
        match mode {
            Mode::Disable => {
                config.ssl_mode(SslMode::Disable);
                open(&config, NoTls, self.timeout).await
            }
            Mode::Allow => {
                config.ssl_mode(SslMode::Disable);
                match open(&config, NoTls, self.timeout).await {
                    Err(Failure::Driver(e)) if e.as_db_error().is_some() => {
                        let tls = with_tls(&mut config, SslMode::Require)?;
                        open(&config, tls, self.timeout).await
                    }
                    other => other,
                }
            }
            Mode::Prefer => {
                let tls = with_tls(&mut config, SslMode::Prefer)?;
                match open(&config, tls, self.timeout).await {
                    Err(Failure::Driver(e)) if is_tls(&e) => {
                        config.ssl_mode(SslMode::Disable);
                        open(&config, NoTls, self.timeout).await
                    }
                    other => other,
                }
            }
            Mode::Require | Mode::VerifyCa | Mode::VerifyFull => {
                let tls = with_tls(&mut config, SslMode::Require)?;
                open(&config, tls, self.timeout).await
            }
        }
    }

    /// `database "app" on db:5432`.
    fn describe(&self, endpoint: &Endpoint) -> String {
        format!("database \"{}\" on {}", self.dbname, endpoint.address())
    }

    /// One line for a failed attempt.
    fn explain(&self, endpoint: &Endpoint, failure: &Failure) -> String {
        match failure {
            Failure::Timeout(timeout) => format!(
                "no answer within {} (connect_timeout; set it in the URL or with --connect-timeout SECONDS)",
                seconds(*timeout)
            ),
            Failure::Attrs(message) => (*message).to_string(),
            Failure::Driver(error) => {
                if let Some(line) = tls::explain(error, &self.tls, &endpoint.host) {
                    return line;
                }
                if explain(error).contains("server does not support TLS") {
                    return format!(
                        "the server does not accept TLS connections (sslmode={} asks for TLS; turn on ssl in the server's postgresql.conf, or use sslmode=prefer)",
                        self.tls.mode.name()
                    );
                }
                if self.direct && error.as_db_error().is_none() && is_tls(error) {
                    return format!(
                        "{} (sslnegotiation=direct needs PostgreSQL 17 or later; use sslnegotiation=postgres for older servers)",
                        explain(error)
                    );
                }
                let mut line = explain(error);
                if line.contains("channel binding") {
                    line.push_str(" (channel_binding=require needs TLS and SCRAM password authentication)");
                }
                if let Some(db) = error.as_db_error()
                    && db.message().contains("no encryption")
                {
                    line.push_str(" (the server accepts only TLS connections here: use sslmode=require or stronger)");
                }
                line
            }
        }
    }

    /// Whether an opened session is what target_session_attrs asks for;
    /// None when it is, else why not.
    async fn unsuitable(
        &self,
        client: &Client,
        attrs: SessionAttrs,
    ) -> Result<Option<&'static str>, tokio_postgres::Error> {
        if attrs == SessionAttrs::Any {
            return Ok(None);
        }
        let row = client
            .query_one(
                "SELECT pg_catalog.pg_is_in_recovery(), pg_catalog.current_setting('transaction_read_only') = 'on'",
                &[],
            )
            .await?;
        let (standby, read_only): (bool, bool) = (row.get(0), row.get(1));
        Ok(match attrs {
            SessionAttrs::ReadWrite if read_only => Some("the session is read-only (target_session_attrs=read-write)"),
            SessionAttrs::ReadOnly if !read_only => {
                Some("the session is not read-only (target_session_attrs=read-only)")
            }
            SessionAttrs::Primary if standby => Some("the server is a standby (target_session_attrs=primary)"),
            SessionAttrs::Standby | SessionAttrs::PreferStandby if !standby => {
                Some("the server is not a standby (target_session_attrs=standby)")
            }
            _ => None,
        })
    }
}

/// A message that lives as long as the program (a failed attempt's, made
/// at most once per host).
fn leak(message: String) -> &'static str {
    Box::leak(message.into_boxed_str())
}

/// Prints a connection warning (libpq's, about the password file) once.
fn warn_once(warning: &str) {
    static SAID: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());
    let Ok(mut said) = SAID.lock() else {
        return;
    };
    if !said.iter().any(|s| s == warning) {
        crate::cli::output::to_stderr(format_args!("warning: {warning}\n"));
        said.push(warning.to_string());
    }
}

/// Opens a connection; the connection's task runs on the current runtime.
/// Each host is tried in turn (in random order with
/// `load_balance_hosts=random`) until one gives a session of the kind
/// `target_session_attrs` asks for. The connect timeout covers all of one
/// attempt (the TCP connection, TLS, the startup and the authentication),
/// so a server that accepts the connection and never answers is given up
/// on too.
pub async fn connect(url: &str) -> Result<Database, DbError> {
    let target = configure(url)?;
    let mut order: Vec<&Endpoint> = target.endpoints.iter().collect();
    if target.random && order.len() > 1 {
        for at in (1..order.len()).rev() {
            let mut bytes = [0u8; 8];
            if getrandom::fill(&mut bytes).is_ok() {
                order.swap(at, (u64::from_le_bytes(bytes) % (at as u64 + 1)) as usize);
            }
        }
    }
    let passes: &[SessionAttrs] = match target.attrs {
        SessionAttrs::PreferStandby => &[SessionAttrs::Standby, SessionAttrs::Any],
        attrs => std::slice::from_ref(match attrs {
            SessionAttrs::Any => &SessionAttrs::Any,
            SessionAttrs::ReadWrite => &SessionAttrs::ReadWrite,
            SessionAttrs::ReadOnly => &SessionAttrs::ReadOnly,
            SessionAttrs::Primary => &SessionAttrs::Primary,
            SessionAttrs::Standby | SessionAttrs::PreferStandby => &SessionAttrs::Standby,
        }),
    };
    let mut failures: Vec<(String, String)> = Vec::new();
    for (pass, attrs) in passes.iter().enumerate() {
        for endpoint in &order {
            let description = target.describe(endpoint);
            let failure = match target.attempt(endpoint).await {
                Ok(opened) => match target.unsuitable(&opened.client, *attrs).await {
                    Ok(None) => {
                        return Ok(Database {
                            client: opened.client,
                            description,
                            major: opened.major,
                        });
                    }
                    Ok(Some(why)) => Failure::Attrs(why),
                    Err(error) => Failure::Driver(error),
                },
                Err(failure) => failure,
            };
            // The second pass of prefer-standby tries them all again.
            if pass == 0 || !matches!(failure, Failure::Attrs(_)) {
                failures.push((description, target.explain(endpoint, &failure)));
            }
        }
    }
    Err(match failures.len() {
        0 | 1 => {
            let (description, message) = failures.pop().unwrap_or_else(|| {
                (
                    format!("database \"{}\"", target.dbname),
                    "no host to connect to".into(),
                )
            });
            DbError { description, message }
        }
        _ => DbError {
            description: format!("database \"{}\"", target.dbname),
            message: format!(
                "no host gave a session: {}",
                failures
                    .iter()
                    .map(|(d, m)| format!("{}: {m}", d.rsplit(" on ").next().unwrap_or(d)))
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reflect::conninfo::tests::Fixed;

    fn target(url: &str, vars: &[(&'static str, &str)]) -> Result<Target, DbError> {
        let env = Fixed(vars.iter().map(|(k, v)| (*k, v.to_string())).collect(), None);
        configure_in(url, &env)
    }

    #[test]
    fn a_url_gets_keepalives_the_default_timeout_and_the_application_name() {
        let t = target("postgres://app@db/app", &[]).expect("reads");
        assert_eq!(t.timeout, Some(default_timeout()));
        assert!(t.config.get_keepalives());
        assert_eq!(t.config.get_keepalives_idle(), Duration::from_secs(30));
        assert_eq!(t.config.get_keepalives_interval(), Some(Duration::from_secs(10)));
        assert_eq!(t.config.get_keepalives_retries(), Some(3));
        assert_eq!(t.config.get_tcp_user_timeout(), Some(&Duration::from_secs(60)));
        assert_eq!(t.config.get_application_name(), Some("trellisc"));
        assert_eq!(t.tls.mode, Mode::Prefer);

        let t = target(
            "host=db dbname=app user=u connect_timeout=3 keepalives_idle=5 tcp_user_timeout=7000 application_name=x",
            &[],
        )
        .expect("reads");
        assert_eq!(t.timeout, Some(Duration::from_secs(3)));
        assert_eq!(t.config.get_keepalives_idle(), Duration::from_secs(5));
        assert_eq!(t.config.get_tcp_user_timeout(), Some(&Duration::from_secs(7)));
        assert_eq!(t.config.get_application_name(), Some("x"));
        assert_eq!(t.describe(&t.endpoints[0]), "database \"app\" on db:5432");
        assert_eq!(
            target("host=db user=u connect_timeout=0", &[]).expect("reads").timeout,
            None
        );
    }

    #[test]
    fn the_environment_fills_what_the_argument_leaves_out() {
        let t = target(
            "dbname=shop",
            &[
                ("PGHOST", "h1,h2"),
                ("PGPORT", "6000,6001"),
                ("PGUSER", "envuser"),
                ("PGPASSWORD", "pw"),
                ("PGAPPNAME", "mine"),
                ("PGSSLMODE", "require"),
                ("PGTARGETSESSIONATTRS", "read-write"),
            ],
        )
        .expect("reads");
        let hosts: Vec<String> = t.endpoints.iter().map(Endpoint::address).collect();
        assert_eq!(hosts, ["h1:6000", "h2:6001"]);
        assert_eq!((t.user.as_str(), t.dbname.as_str()), ("envuser", "shop"));
        assert_eq!(t.password.as_deref(), Some("pw"));
        assert_eq!(t.config.get_application_name(), Some("mine"));
        assert_eq!(t.tls.mode, Mode::Require);
        assert!(!t.tls.verify_chain);
        assert_eq!(t.attrs, SessionAttrs::ReadWrite);
        let t = target("postgres://u@%2Ftmp%2Fsock:5439/db", &[]).expect("reads");
        assert_eq!(t.endpoints[0].address(), "/tmp/sock/.s.PGSQL.5439");
        assert!(t.endpoints[0].is_socket());
    }

    #[test]
    fn tls_options_follow_libpq() {
        let error = target("host=db user=u sslmode=verify-full", &[]).expect_err("no root");
        assert!(error.message.contains("needs a root certificate"), "{error}");
        let error = target("host=db user=u sslmode=require sslrootcert=system", &[]).expect_err("weak");
        assert!(
            error.message.contains("sslrootcert=system needs sslmode=verify-full"),
            "{error}"
        );
        let t = target("host=db user=u sslrootcert=system", &[]).expect("reads");
        assert_eq!(t.tls.mode, Mode::VerifyFull);
        assert!(t.tls.verify_name);
        let error = target("host=db user=u sslmode=prefer sslnegotiation=direct", &[]).expect_err("weak");
        assert!(error.message.contains("sslnegotiation=direct needs"), "{error}");
        let error = target("host=db user=u sslmode=verify-everything", &[]).expect_err("unknown");
        assert!(error.message.contains("not one of disable"), "{error}");
        let error = target("host=db user=u sslcrl=/x", &[]).expect_err("unsupported");
        assert!(error.message.contains("remove sslcrl"), "{error}");
    }

    #[test]
    fn a_mistyped_or_unreadable_url_is_refused_without_its_password() {
        for url in [
            "postgress://u:secret@h/db",
            "postgres://u:secret@h/db?port=x",
            "host=h passwrd=secret",
            "host=h password='secret",
            "postgres://u@h/db?secret",
            "host=h,i,j port=1,2 password=secret",
        ] {
            let error = target(url, &[]).expect_err("refused").to_string();
            assert!(!error.contains("secret"), "{error}");
        }
    }
}
