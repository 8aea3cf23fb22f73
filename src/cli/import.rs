//! `trellisc import`: writes `.trellis` source for an existing database.

use std::path::PathBuf;

use super::{database, fail};

/// What `import` was asked to do.
pub(super) struct ImportArgs {
    pub db: Option<String>,
    pub schemas: Vec<String>,
    pub output: Option<PathBuf>,
}

pub(super) fn run(args: ImportArgs) -> u8 {
    let Some(url) = args.db.or_else(|| std::env::var("TRELLIS_DATABASE_URL").ok()) else {
        return fail("no database given: pass --db postgres://USER@HOST/DATABASE, or set TRELLIS_DATABASE_URL");
    };
    if let Some(message) = crate::reflect::mistyped(&url) {
        return fail(message);
    }
    if !crate::reflect::is_url(&url) {
        return fail(format!(
            "--db takes a URL such as postgres://user@host:5432/app (or host=HOST dbname=DATABASE ...), not `{}`",
            crate::reflect::mask(&url)
        ));
    }
    let options = database::options(&args.schemas, None);
    let runtime = match database::runtime() {
        Ok(runtime) => runtime,
        Err(e) => return fail(e),
    };
    let (database, reflected) = match runtime.block_on(database::read(&url, &options)) {
        Ok(read) => read,
        Err(e) => return fail(e),
    };
    database::warn_unmanaged(&database, &reflected);
    let schema = reflected.without_defaults();
    let text = crate::syntax::write::write_schema(&schema);
    match args.output {
        Some(path) => {
            if let Err(error) = std::fs::write(&path, &text) {
                return fail(format!("cannot write {}: {error}", path.display()));
            }
            eprintln!(
                "wrote {} ({} tables, {} enums, {} sequences) from {}",
                path.display(),
                schema.tables.len(),
                schema.enums.len(),
                schema.sequences.len(),
                database.description
            );
        }
        None => print!("{text}"),
    }
    0
}
