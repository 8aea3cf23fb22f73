//! The front end in one call: find the `.trellis` files of a schema, parse,
//! lower and check them.

use std::path::{Path, PathBuf};

use crate::diag::{self, Code, Diagnostic, FileId, Sources};
use crate::ir::Schema;
use crate::syntax::{self, LowerOptions};

/// A schema read from source, with everything found wrong with it.
pub struct Compiled {
    pub sources: Sources,
    pub schema: Schema,
    /// Sorted by file and position.
    pub diagnostics: Vec<Diagnostic>,
}

impl Compiled {
    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Every `*.trellis` file at or below `path`, sorted, so that the result
/// never depends on directory order. Hidden directories are skipped.
pub fn schema_files(path: &Path) -> std::io::Result<Vec<PathBuf>> {
    if path.is_file() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut found = Vec::new();
    let mut pending = vec![path.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir)? {
            let entry = entry?;
            let entry_path = entry.path();
            let hidden = entry.file_name().to_string_lossy().starts_with('.');
            if entry.file_type()?.is_dir() {
                if !hidden {
                    pending.push(entry_path);
                }
            } else if entry_path.extension().is_some_and(|e| e == "trellis") && !hidden {
                found.push(entry_path);
            }
        }
    }
    found.sort();
    Ok(found)
}

/// Reads and compiles the schema at `path` (a file or a directory).
pub fn compile_path(path: &Path, options: &LowerOptions) -> std::io::Result<Compiled> {
    let mut sources = Sources::new();
    let mut unreadable = Vec::new();
    for file in schema_files(path)? {
        match std::fs::read_to_string(&file) {
            Ok(text) => {
                sources.add(file.display().to_string(), text);
            }
            Err(error) => unreadable.push(
                Diagnostic::new(Code::UnreadableFile, format!("cannot read {}: {error}", file.display()))
                    .help("check the file's permissions and that it is UTF-8 text"),
            ),
        }
    }
    let mut compiled = compile_sources(sources, options);
    compiled.diagnostics.extend(unreadable);
    Ok(compiled)
}

/// A file lowered as far as it can be alone (none when it did not parse),
/// and what was found wrong with it.
type FileResult = (Option<syntax::LoweredFile>, Vec<Diagnostic>);

/// Parses every file and lowers its tables, on as many threads as the
/// machine has cores (files are independent until tables are named); a
/// file's syntax tree is dropped as soon as it is lowered. Results come back
/// in file order.
fn parse_and_lower(sources: &Sources, ids: &[FileId], options: &LowerOptions) -> Vec<FileResult> {
    crate::parallel::map(ids, |&id| {
        let (file, diagnostics) = syntax::parse_file(id, sources.text(id));
        (file.map(|f| syntax::lower_file(f, options)), diagnostics)
    })
}

/// Compiles some files of `sources` as one schema (the others may belong to
/// another schema, as with `diff`): diagnostics sorted.
pub fn compile_files(sources: &Sources, ids: &[FileId], options: &LowerOptions) -> (Schema, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let mut files = Vec::new();
    for (file, found) in parse_and_lower(sources, ids, options) {
        diagnostics.extend(found);
        files.extend(file);
    }
    let (schema, found) = syntax::finish(files, options);
    diagnostics.extend(found);
    diagnostics.extend(crate::check::check_schema(&schema));
    diag::sort(&mut diagnostics);
    (schema, diagnostics)
}

/// Compiles sources already in memory (tests, the language server).
pub fn compile_sources(sources: Sources, options: &LowerOptions) -> Compiled {
    let ids: Vec<FileId> = sources.ids().collect();
    let (schema, diagnostics) = compile_files(&sources, &ids, options);
    Compiled {
        sources,
        schema,
        diagnostics,
    }
}
