//! Connecting to a database from a URL, with errors that name the server
//! and the database but never the password.

use std::fmt;
use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio_postgres::config::Host;
use tokio_postgres::error::SqlState;
use tokio_postgres::{Client, Config, NoTls};

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

/// `database "app" on host:port` from a parsed configuration.
fn describe(config: &Config) -> String {
    let database = config.get_dbname().or(config.get_user()).unwrap_or("postgres");
    let port = config.get_ports().first().copied().unwrap_or(5432);
    let host = match config.get_hosts().first() {
        Some(Host::Tcp(host)) => format!("{host}:{port}"),
        Some(Host::Unix(path)) => format!("{}/.s.PGSQL.{port}", path.display()),
        None => format!("localhost:{port}"),
    };
    format!("database \"{database}\" on {host}")
}

/// One line for a driver error: the server's own message where there is
/// one (with what to do about the common ones), the cause otherwise.
fn explain(error: &tokio_postgres::Error) -> String {
    if let Some(db) = error.as_db_error() {
        let hint = match *db.code() {
            SqlState::INVALID_PASSWORD | SqlState::INVALID_AUTHORIZATION_SPECIFICATION => {
                " (check the user and password in the URL, or PGPASSWORD)"
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

/// The driver's configuration for a URL or a libpq connection string:
/// what it says, and trellisc's defaults for what it leaves out (the
/// connect timeout, TCP keepalives that notice a server gone silent in
/// about a minute, the application name).
pub fn configure(url: &str) -> Result<Config, DbError> {
    if let Some(message) = super::argument::mistyped(url) {
        return Err(DbError {
            description: "database URL".into(),
            message,
        });
    }
    let mut config = Config::from_str(url).map_err(|error| DbError {
        // The argument itself is not shown: a misspelt option may hold the
        // password. The driver's error names the option only.
        description: "database URL".into(),
        message: format!(
            "cannot read it ({}); expected postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE or host=HOST dbname=DATABASE ...",
            super::argument::mask(&error.to_string())
        ),
    })?;
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(default_timeout());
    }
    if config.get_keepalives() {
        // The driver's defaults are the kernel's: two hours of silence
        // before the first probe.
        if config.get_keepalives_idle() == Duration::from_secs(2 * 60 * 60) {
            config.keepalives_idle(Duration::from_secs(30));
        }
        if config.get_keepalives_interval().is_none() {
            config.keepalives_interval(Duration::from_secs(10));
        }
        if config.get_keepalives_retries().is_none() {
            config.keepalives_retries(3);
        }
    }
    if config.get_tcp_user_timeout().is_none() {
        // Data the server does not acknowledge for a minute means it is gone.
        config.tcp_user_timeout(Duration::from_secs(60));
    }
    if config.get_application_name().is_none() {
        config.application_name("trellisc");
    }
    Ok(config)
}

/// Opens a connection; the connection's task runs on the current runtime.
/// The connect timeout covers all of it (the TCP connection, the startup
/// and the authentication), so a server that accepts the connection and
/// never answers is given up on too.
pub async fn connect(url: &str) -> Result<Database, DbError> {
    let config = configure(url)?;
    let description = describe(&config);
    let timeout = config.get_connect_timeout().copied().unwrap_or_else(default_timeout);
    let (client, connection) = tokio::time::timeout(timeout, config.connect(NoTls))
        .await
        .map_err(|_| DbError {
            description: description.clone(),
            message: format!(
                "no answer within {} (connect_timeout; set it in the URL or with --connect-timeout SECONDS)",
                seconds(timeout)
            ),
        })?
        .map_err(|error| DbError::from_postgres(&description, &error))?;
    let major = connection
        .parameter("server_version")
        .and_then(|v| v.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|v| v.parse().ok())
        .unwrap_or(13);
    tokio::spawn(async move {
        // Errors surface on the client's next request.
        let _ = connection.await;
    });
    Ok(Database {
        client,
        description,
        major,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_gets_keepalives_and_the_default_timeout_unless_it_says_otherwise() {
        let config = configure("postgres://app@db/app").expect("reads");
        assert_eq!(config.get_connect_timeout(), Some(&default_timeout()));
        assert!(config.get_keepalives());
        assert_eq!(config.get_keepalives_idle(), Duration::from_secs(30));
        assert_eq!(config.get_keepalives_interval(), Some(Duration::from_secs(10)));
        assert_eq!(config.get_keepalives_retries(), Some(3));
        assert_eq!(config.get_tcp_user_timeout(), Some(&Duration::from_secs(60)));

        let config =
            configure("host=db dbname=app connect_timeout=3 keepalives_idle=5 tcp_user_timeout=7").expect("reads");
        assert_eq!(config.get_connect_timeout(), Some(&Duration::from_secs(3)));
        assert_eq!(config.get_keepalives_idle(), Duration::from_secs(5));
        assert_eq!(config.get_tcp_user_timeout(), Some(&Duration::from_secs(7)));
        assert_eq!(describe(&config), "database \"app\" on db:5432");
    }

    #[test]
    fn a_mistyped_or_unreadable_url_is_refused_without_its_password() {
        for url in [
            "postgress://u:secret@h/db",
            "postgres://u:secret@h/db?port=x",
            "host=h passwrd=secret",
        ] {
            let error = configure(url).expect_err("refused").to_string();
            assert!(!error.contains("secret"), "{error}");
        }
    }
}
