//! `fmt`: one canonical layout for every example, idempotent, and the
//! formatted source lowers to the identical IR.

mod common;

use trellisc::syntax::{format_file, parse_file};

fn format_text(text: &str) -> String {
    let (file, diagnostics) = parse_file(trellisc::diag::FileId(0), text);
    assert!(diagnostics.iter().all(|d| !d.is_error()), "{diagnostics:#?}");
    format_file(&file.expect("parses"), text)
}

/// A schema's files: (name, text).
type Files = Vec<(String, String)>;

fn example_dirs() -> Vec<std::path::PathBuf> {
    let mut dirs: Vec<_> = std::fs::read_dir(common::root().join("examples"))
        .expect("examples/")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs.push(common::root().join("tests/fixtures/language"));
    dirs
}

#[test]
fn examples_format_to_their_snapshots_idempotently_and_keep_their_ir() {
    for dir in example_dirs() {
        let original = common::read_schema(&dir);
        let formatted: Vec<(String, String)> = original.iter().map(|(n, t)| (n.clone(), format_text(t))).collect();
        for (name, text) in &formatted {
            assert_eq!(&format_text(text), text, "{name}: formatting twice changes it");
            insta::assert_snapshot!(name.replace(['/', '.'], "_"), text);
        }
        // An example directory is one schema; LANGUAGE.md's examples are
        // each a schema of their own.
        let schemas: Vec<(Files, Files)> = if dir.ends_with("tests/fixtures/language") {
            original
                .iter()
                .cloned()
                .zip(formatted.iter().cloned())
                .map(|(o, f)| (vec![o], vec![f]))
                .collect()
        } else {
            vec![(original.clone(), formatted.clone())]
        };
        for (original, formatted) in schemas {
            let before = common::compile(&original);
            let after = common::compile(&formatted);
            assert!(
                before.diagnostics.is_empty(),
                "{}: {:#?}",
                dir.display(),
                before.diagnostics
            );
            assert_eq!(
                before.schema,
                after.schema,
                "{}: formatting changed the IR",
                dir.display()
            );
        }
    }
}

#[test]
fn comments_stay_with_their_lines() {
    let text = "// header\n\n/// Users.\ntable users { // opens\n  // the key\n  id bigint primary key // trailing\n\n  index (id) // an index\n  email text, // last column\n} // done\n\n// tail\n";
    let formatted = format_text(text);
    assert_eq!(
        formatted,
        "// header\n\n/// Users.\ntable users {  // opens\n  // the key\n  id    bigint primary key  // trailing\n  email text  // last column\n\n  index (id)  // an index\n}  // done\n\n// tail\n"
    );
    assert_eq!(format_text(&formatted), formatted);
}
