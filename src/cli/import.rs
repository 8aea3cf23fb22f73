//! `trellisc import`: writes `.trellis` source for an existing database.

use std::path::PathBuf;

use super::{database, fail};
use crate::diag::{Diagnostic, Sources};
use crate::ir::Schema;
use crate::syntax::LowerOptions;

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
    let (database, reflected) = match runtime.block_on(database::read(&url, &options, true)) {
        Ok(read) => read,
        Err(e) => return fail(e),
    };
    database::warn_unmanaged(&database, &reflected);
    let schema = reflected.without_defaults();
    let text = crate::syntax::write::write_schema(&schema);
    if let Err(problem) = reads_back(&schema, &text) {
        return fail(format!(
            "import stopped: the source written for {} does not read back as the database it came from; nothing was written\n{problem}",
            database.description
        ));
    }
    match args.output {
        Some(path) => {
            if let Err(error) = std::fs::write(&path, &text) {
                return fail(format!("cannot write {}: {error}", path.display()));
            }
            errln!(
                "wrote {} ({} tables, {} enums, {} sequences) from {}",
                path.display(),
                schema.tables.len(),
                schema.enums.len(),
                schema.sequences.len(),
                database.description
            );
        }
        None => out!("{text}"),
    }
    0
}

/// Whether `text` is source that `check` accepts and that lowers to
/// `schema` (no change between them); else what is wrong, naming the
/// objects. The writer should never fail this: it is the last guard
/// against handing the user source that says something else.
fn reads_back(schema: &Schema, text: &str) -> Result<(), String> {
    let mut sources = Sources::new();
    sources.add("imported.trellis", text);
    let compiled = crate::compile_sources(sources, &LowerOptions::default());
    let errors: Vec<Diagnostic> = compiled.diagnostics.iter().filter(|d| d.is_error()).cloned().collect();
    if !errors.is_empty() {
        return Err(crate::diag::render_plain(&compiled.sources, &errors)
            .trim_end()
            .to_string());
    }
    let changes = crate::diff::diff(schema, &compiled.schema);
    if changes.is_empty() {
        return Ok(());
    }
    Err(changes
        .iter()
        .map(|change| format!("the source differs: {}", crate::render::describe(change)))
        .collect::<Vec<_>>()
        .join("\n"))
}
