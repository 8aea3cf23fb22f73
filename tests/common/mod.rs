//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use trellisc::diag::Sources;
use trellisc::syntax::LowerOptions;
use trellisc::{Compiled, compile_sources};

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Files of a directory with the given extension, sorted.
pub fn files_in(dir: &Path, extension: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == extension))
        .collect();
    files.sort();
    files
}

/// Compiles in-memory files named as given.
pub fn compile(files: &[(String, String)]) -> Compiled {
    let mut sources = Sources::new();
    for (name, text) in files {
        sources.add(name.clone(), text.clone());
    }
    compile_sources(sources, &LowerOptions::default())
}

/// The schema of a directory (relative to the root), which must compile
/// without errors.
pub fn schema_of(dir: &str) -> trellisc::ir::Schema {
    let compiled = compile(&read_schema(&root().join(dir)));
    assert!(!compiled.has_errors(), "{dir}: {:#?}", compiled.diagnostics);
    compiled.schema
}

/// The examples, by name: each directory of `examples/` as one schema, and
/// each of LANGUAGE.md's examples (tests/fixtures/language) on its own, as
/// the specification has them. Every one must compile without errors.
pub fn example_schemas() -> Vec<(String, trellisc::ir::Schema)> {
    let mut out: Vec<(String, trellisc::ir::Schema)> = ["examples/shop", "examples/blog", "examples/saas"]
        .into_iter()
        .map(|dir| (dir.to_string(), schema_of(dir)))
        .collect();
    for path in files_in(&root().join("tests/fixtures/language"), "trellis") {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {name}: {e}"));
        let compiled = compile(&[(name.clone(), text)]);
        assert!(!compiled.has_errors(), "{name}: {:#?}", compiled.diagnostics);
        out.push((name, compiled.schema));
    }
    out
}

/// Reads every `.trellis` file below `dir` (names relative to the root).
pub fn read_schema(dir: &Path) -> Vec<(String, String)> {
    trellisc::load::schema_files(dir)
        .expect("list schema files")
        .into_iter()
        .map(|p| {
            let name = p.strip_prefix(root()).unwrap_or(&p).display().to_string();
            (name, std::fs::read_to_string(&p).expect("read schema file"))
        })
        .collect()
}

/// Every diff case under tests/cases/diff: (name, old schema, new schema).
///
/// `TRELLIS_TEST_CASES=a,b` keeps only the cases whose names start with one
/// of the prefixes given (for working on a few; CI sets nothing).
pub fn diff_cases() -> Vec<(String, trellisc::ir::Schema, trellisc::ir::Schema)> {
    let dir = root().join("tests/cases/diff");
    let only = std::env::var("TRELLIS_TEST_CASES").unwrap_or_default();
    let prefixes: Vec<&str> = only.split(',').filter(|p| !p.is_empty()).collect();
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/cases/diff")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir())
        .filter(|p| {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default();
            prefixes.is_empty() || prefixes.iter().any(|prefix| name.starts_with(prefix))
        })
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let name = path.file_name().expect("name").to_string_lossy().to_string();
            let load = |file: &str| {
                let text = std::fs::read_to_string(path.join(file)).expect("read case file");
                let compiled = compile(&[(format!("{name}/{file}"), text)]);
                assert!(!compiled.has_errors(), "{name}/{file}: {:#?}", compiled.diagnostics);
                compiled.schema
            };
            (name.clone(), load("old.trellis"), load("new.trellis"))
        })
        .collect()
}

/// The extensions any of the schemas creates, by name and the version it
/// asks for (for skipping a case on a server that lacks one).
pub fn extensions_of(schemas: &[&trellisc::ir::Schema]) -> Vec<(String, Option<String>)> {
    let mut extensions: Vec<(String, Option<String>)> = schemas
        .iter()
        .flat_map(|s| s.extensions.values())
        .map(|e| (e.name.as_str().to_string(), e.version.clone()))
        .collect();
    extensions.sort();
    extensions.dedup();
    extensions
}
