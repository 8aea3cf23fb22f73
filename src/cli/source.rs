//! Reading a schema argument: a `.trellis` file or directory, `empty`, or
//! a database URL.

use std::path::Path;

use crate::diag::{Diagnostic, Sources};
use crate::ir::Schema;
use crate::syntax::LowerOptions;

/// A schema read from a command-line argument into a shared [`Sources`].
pub(super) struct Loaded {
    pub schema: Schema,
    pub diagnostics: Vec<Diagnostic>,
}

/// A schema argument: source files, or a database to read.
pub(super) enum Side {
    Schema(Box<Loaded>),
    Database(String),
}

/// Reads `source` (a path, `empty`, or a database URL or connection
/// string, which is only recognised here and read later) into `sources`.
pub(super) fn side(source: &str, sources: &mut Sources) -> Result<Side, String> {
    if crate::reflect::is_url(source) {
        return Ok(Side::Database(source.to_string()));
    }
    if let Some(message) = crate::reflect::mistyped(source) {
        return Err(message);
    }
    load(source, sources).map(|loaded| Side::Schema(Box::new(loaded)))
}

/// The schema snapshot of a revision of the current project (`head`, an
/// id or the start of one, `base`).
fn revision_snapshot(name: &str, sources: &mut Sources) -> Result<Schema, String> {
    let here = std::env::current_dir().map_err(|e| format!("cannot read the current directory: {e}"))?;
    let project = crate::project::Project::find(&here)?;
    let history = crate::revision::History::load(&project.versions).map_err(|p| p.to_string())?;
    if crate::revision::is_base(name) {
        return Ok(Schema::default());
    }
    history.resolve(name)?.snapshot_into(sources)
}

/// Reads `source` (a path, `empty` for the empty schema, or `rev:REV` for
/// a revision's snapshot) into `sources`.
pub(super) fn load(source: &str, sources: &mut Sources) -> Result<Loaded, String> {
    if source == "empty" {
        return Ok(Loaded {
            schema: Schema::default(),
            diagnostics: Vec::new(),
        });
    }
    if let Some(name) = source.strip_prefix("rev:") {
        return revision_snapshot(name, sources).map(|schema| Loaded {
            schema,
            diagnostics: Vec::new(),
        });
    }
    let path = Path::new(source);
    // A mistyped database argument ends up here: never show its password.
    let shown = crate::reflect::mask(source);
    if !path.exists() {
        return Err(format!(
            "{shown} does not exist (give a .trellis file or directory, or `empty`)"
        ));
    }
    let found = crate::load::find_schema_files(path).map_err(|e| format!("cannot read {shown}: {e}"))?;
    if found.files.is_empty() {
        return Err(format!("no .trellis files in {shown}"));
    }
    let (ids, mut diagnostics) = crate::load::read_schema_files(&found.files, sources);
    diagnostics.extend(found.diagnostics);
    // In a project, the roles its trellis.toml manages.
    let roles = std::env::current_dir()
        .ok()
        .and_then(|here| crate::project::Project::find_any(&here).ok().flatten())
        .map(|project| project.roles)
        .unwrap_or_default();
    let options = LowerOptions {
        roles,
        ..LowerOptions::default()
    };
    let (schema, found) = crate::load::compile_files(sources, &ids, &options);
    diagnostics.extend(found);
    crate::diag::sort(&mut diagnostics);
    Ok(Loaded { schema, diagnostics })
}
