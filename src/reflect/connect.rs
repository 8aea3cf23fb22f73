//! Connecting to a database from a URL, with errors that name the server
//! and the database but never the password.

use std::fmt;
use std::str::FromStr;
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

/// Whether a source string is a database URL.
pub fn is_url(text: &str) -> bool {
    text.starts_with("postgres://") || text.starts_with("postgresql://")
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

/// Opens a connection; the connection's task runs on the current runtime.
pub async fn connect(url: &str) -> Result<Database, DbError> {
    let mut config = Config::from_str(url).map_err(|error| DbError {
        description: "database URL".into(),
        message: format!("cannot read it ({error}); expected postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE"),
    })?;
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(Duration::from_secs(10));
    }
    if config.get_application_name().is_none() {
        config.application_name("trellisc");
    }
    let description = describe(&config);
    let (client, connection) = config
        .connect(NoTls)
        .await
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
