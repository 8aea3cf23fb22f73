//! Reading databases for the commands: a small runtime, connections, and
//! the warnings about what trellisc leaves alone.

use crate::ir::{Ident, Schema};
use crate::reflect::{self, Database, DbError, ReflectOptions, Reflected};

/// The runtime the database commands run on: one thread is plenty, the
/// work is waiting for the server.
pub(super) fn runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the database client: {e}"))
}

/// Which schemas to read: those given, else (when compared with a source
/// schema) the source's own plus `public`, else all.
pub(super) fn options(schemas: &[String], compared_with: Option<&Schema>) -> ReflectOptions {
    let mut options = ReflectOptions::default();
    // A project's own version table is bookkeeping, never schema.
    let project = std::env::current_dir()
        .ok()
        .and_then(|here| crate::project::Project::find(&here).ok());
    if let Some(project) = project {
        options.exclude_tables.push(project.version_table);
    }
    if !schemas.is_empty() {
        options.schemas = schemas.to_vec();
    } else if let Some(source) = compared_with {
        let mut names: Vec<String> = source.namespaces().iter().map(|n| n.as_str().to_string()).collect();
        if !names.iter().any(|n| n == "public") {
            names.push("public".into());
        }
        options.schemas = names;
    }
    options
}

/// Connects and reads, with a second connection where `helped`.
///
/// The second, opened at the same time, reads half of the catalog in the
/// first one's snapshot, so that the server works on both halves at once;
/// without it (a server out of connection slots), the first reads it all.
/// A diff of two databases reads both at once already: two backends busy
/// without helpers (measured on two cores, helpers there made it 10%
/// slower), and half the connection slots.
pub(super) async fn read(url: &str, options: &ReflectOptions, helped: bool) -> Result<(Database, Reflected), DbError> {
    let (database, helper) = connect(url, helped).await;
    read_over(database?, helper, options).await
}

/// The connections [`read`] reads over: the first, and a helper where
/// `helped` and it could be opened.
async fn connect(url: &str, helped: bool) -> (Result<Database, DbError>, Option<Database>) {
    let second = async {
        match helped {
            true => reflect::connect(url).await.ok(),
            false => None,
        }
    };
    tokio::join!(reflect::connect(url), second)
}

/// Reads over connections already open.
pub(super) async fn read_over(
    database: Database,
    helper: Option<Database>,
    options: &ReflectOptions,
) -> Result<(Database, Reflected), DbError> {
    let reading = super::progress::reading(&database.description);
    let reflected = match &helper {
        Some(helper) => reflect::reflect_shared(&database, helper, options).await,
        None => reflect::reflect(&database, options).await,
    };
    let reflected = reflected.map_err(|e| DbError::from_postgres(&database.description, &e))?;
    reading.done(&reflected.schema);
    Ok((database, reflected))
}

/// A database's connections (the first and a helper) being opened on a
/// thread of their own while the command reads its source side: over a
/// distant link, connecting takes several round trips.
pub(super) struct Opening(std::thread::JoinHandle<Result<Opened, String>>);

/// What [`Opening`] ends with: the runtime the connections live on, and
/// the connections.
pub(super) struct Opened {
    pub runtime: tokio::runtime::Runtime,
    pub database: Result<Database, DbError>,
    pub helper: Option<Database>,
}

impl Opening {
    /// Starts connecting to `url` with a helper.
    pub(super) fn start(url: &str) -> Opening {
        let url = url.to_string();
        Opening(std::thread::spawn(move || {
            let runtime = runtime()?;
            let (database, helper) = runtime.block_on(connect(&url, true));
            Ok(Opened {
                runtime,
                database,
                helper,
            })
        }))
    }

    /// Waits until both connections are open (or have failed).
    pub(super) fn finish(self) -> Result<Opened, String> {
        self.0
            .join()
            .unwrap_or_else(|_| Err("cannot start the database client: its thread failed".to_string()))
    }
}

/// Brings a source schema's expressions into the server's words; on a
/// server that cannot do it (a read-only standby), says so and goes on
/// with the source's text.
pub(super) async fn normalize(database: &Database, reflected: &Schema, source: &mut Schema) {
    if let Err(error) = reflect::normalize(database, reflected, source, &Ident::new("public")).await {
        let error = DbError::from_postgres(&database.description, &error);
        errln!(
            "warning: {error}; expressions are compared as written, so some may show as changed when PostgreSQL would consider them the same"
        );
    }
}

/// One warning line per object trellisc does not manage.
/// Names, once, the roles that hold privileges in the database beyond what
/// the source gives them, but that the source neither grants to nor lists
/// in `trellis.toml`: their grants are left as they are.
pub(super) fn note_unmanaged_grantees(database: &Database, reflected: &Reflected, source: &crate::ir::Schema) {
    use crate::ir::Grantee;
    let Some(managed) = &source.privileges.managed.0 else {
        return;
    };
    let held: std::collections::BTreeSet<&Grantee> = reflected
        .schema
        .privileges
        .grants
        .keys()
        .filter(|k| !source.privileges.grants.contains_key(*k))
        .map(|k| &k.grantee)
        .chain(
            reflected
                .schema
                .privileges
                .defaults
                .keys()
                .filter(|k| !source.privileges.defaults.contains_key(*k))
                .map(|k| &k.grantee),
        )
        .filter(|g| !managed.contains(*g))
        .collect();
    if held.is_empty() {
        return;
    }
    let names: Vec<String> = held.iter().map(|g| g.to_string()).collect();
    errln!(
        "note: {}: privileges of {} are left alone: the schema does not grant to {} (list {} under `roles` in trellis.toml to manage {})",
        database.description,
        names.join(", "),
        if names.len() == 1 { "it" } else { "them" },
        if names.len() == 1 { "it" } else { "them" },
        if names.len() == 1 { "its grants" } else { "their grants" },
    );
}

pub(super) fn warn_unmanaged(database: &Database, reflected: &Reflected) {
    for object in &reflected.unmanaged {
        errln!(
            "warning: {}: {} {} is not managed by trellisc; it is left alone",
            database.description,
            object.kind,
            object.name
        );
    }
}
