//! The front end in one call: find the `.trellis` files of a schema, parse,
//! lower and check them.

use std::collections::BTreeSet;
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

/// The `*.trellis` files of a schema, and what was found on the way there
/// (symbolic link loops).
#[derive(Default)]
pub struct SchemaFiles {
    /// Sorted.
    pub files: Vec<PathBuf>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Every `*.trellis` file at or below `path`, sorted, so that the result
/// never depends on directory order. Hidden directories are skipped.
pub fn schema_files(path: &Path) -> std::io::Result<Vec<PathBuf>> {
    find_schema_files(path).map(|found| found.files)
}

/// Every `*.trellis` file at or below `path`, sorted. Hidden directories
/// are skipped; symbolic links to directories are followed, except one that
/// leads back to a directory it is in (a warning), and a directory reached
/// a second way (by two links) is read once.
pub fn find_schema_files(path: &Path) -> std::io::Result<SchemaFiles> {
    let mut found = SchemaFiles::default();
    if path.is_file() {
        found.files.push(path.to_path_buf());
        return Ok(found);
    }
    let mut walk = Walk {
        ancestors: Vec::new(),
        visited: BTreeSet::new(),
        found,
    };
    walk.directory(path)?;
    walk.found.files.sort();
    Ok(walk.found)
}

/// The state of a walk through a schema directory.
struct Walk {
    /// The real paths of the directories being read, outermost first.
    ancestors: Vec<PathBuf>,
    /// The real paths of every directory read so far.
    visited: BTreeSet<PathBuf>,
    found: SchemaFiles,
}

impl Walk {
    fn directory(&mut self, dir: &Path) -> std::io::Result<()> {
        let real = dir.canonicalize()?;
        if !self.visited.insert(real.clone()) {
            return Ok(());
        }
        self.ancestors.push(real);
        // Sorted, so that of two links to one directory the same one wins.
        let mut entries = std::fs::read_dir(dir)?.collect::<std::io::Result<Vec<_>>>()?;
        entries.sort_by_key(|entry| entry.file_name());
        for entry in entries {
            let entry_path = entry.path();
            let hidden = entry.file_name().to_string_lossy().starts_with('.');
            let file_type = entry.file_type()?;
            // A link is followed to see what it leads to; a broken one is
            // no directory (and, named *.trellis, a file that cannot be read).
            let is_dir = if file_type.is_symlink() {
                std::fs::metadata(&entry_path).is_ok_and(|m| m.is_dir())
            } else {
                file_type.is_dir()
            };
            if is_dir {
                if hidden {
                    continue;
                }
                if file_type.is_symlink() {
                    let target = entry_path.canonicalize()?;
                    if self.ancestors.contains(&target) {
                        self.found.diagnostics.push(
                            Diagnostic::new(
                                Code::SymlinkLoop,
                                format!(
                                    "{} is a symbolic link to {}, a directory it is inside of; it is not followed",
                                    entry_path.display(),
                                    target.display()
                                ),
                            )
                            .help("remove the link, or point it at a directory outside the schema"),
                        );
                        continue;
                    }
                }
                self.directory(&entry_path)?;
            } else if entry_path.extension().is_some_and(|e| e == "trellis") && !hidden {
                self.found.files.push(entry_path);
            }
        }
        self.ancestors.pop();
        Ok(())
    }
}

/// Reads one schema file as text; one that cannot be read, holds a NUL
/// byte (a binary file) or is not UTF-8 is an E0004 naming it.
pub fn read_schema_file(path: &Path) -> Result<String, Diagnostic> {
    let unreadable = |message: String, help: &str| Diagnostic::new(Code::UnreadableFile, message).help(help);
    let bytes = std::fs::read(path).map_err(|error| {
        let (reason, help) = match error.kind() {
            std::io::ErrorKind::PermissionDenied => (
                "permission denied".to_string(),
                "make the file readable for the user trellisc runs as (chmod a+r)",
            ),
            _ => (error.to_string(), "check that the file exists and can be read"),
        };
        unreadable(format!("cannot read {}: {reason}", path.display()), help)
    })?;
    let line_of = |offset: usize| bytes[..offset].iter().filter(|&&b| b == b'\n').count() + 1;
    if let Some(nul) = bytes.iter().position(|&b| b == 0) {
        return Err(unreadable(
            format!(
                "{} is a binary file, not .trellis text (a NUL byte on line {})",
                path.display(),
                line_of(nul)
            ),
            "move files that are not schema source out of the schema directory, or give them another extension",
        ));
    }
    match std::str::from_utf8(&bytes) {
        Ok(_) => Ok(String::from_utf8(bytes).expect("checked to be UTF-8 just above")),
        Err(error) => Err(unreadable(
            format!(
                "{} is not UTF-8 text (a byte that is not UTF-8 on line {})",
                path.display(),
                line_of(error.valid_up_to())
            ),
            "save the file as UTF-8",
        )),
    }
}

/// Reads schema files into `sources`: the ids of those read, and a
/// diagnostic for each that could not be.
pub fn read_schema_files(files: &[PathBuf], sources: &mut Sources) -> (Vec<FileId>, Vec<Diagnostic>) {
    let mut ids = Vec::new();
    let mut diagnostics = Vec::new();
    for file in files {
        match read_schema_file(file) {
            Ok(text) => ids.push(sources.add(file.display().to_string(), text)),
            Err(diagnostic) => diagnostics.push(diagnostic),
        }
    }
    (ids, diagnostics)
}

/// Reads and compiles the schema at `path` (a file or a directory).
pub fn compile_path(path: &Path, options: &LowerOptions) -> std::io::Result<Compiled> {
    Ok(compile_found(find_schema_files(path)?, options))
}

/// Reads and compiles files found with [`find_schema_files`].
pub fn compile_found(found: SchemaFiles, options: &LowerOptions) -> Compiled {
    let mut sources = Sources::new();
    let (_, unreadable) = read_schema_files(&found.files, &mut sources);
    let mut compiled = compile_sources(sources, options);
    compiled.diagnostics.extend(unreadable);
    compiled.diagnostics.extend(found.diagnostics);
    diag::sort(&mut compiled.diagnostics);
    compiled
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
    crate::parallel::release_here();
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
