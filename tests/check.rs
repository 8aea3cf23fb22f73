//! Every diagnostic code, one case file each under tests/cases/check, with
//! the rendered diagnostics snapshotted.

mod common;

use trellisc::diag::{Code, render_plain};

#[test]
fn each_case_renders_as_its_snapshot() {
    let dir = common::root().join("tests/cases/check");
    for path in common::files_in(&dir, "trellis") {
        let name = path.file_stem().expect("file name").to_string_lossy().to_string();
        let text = std::fs::read_to_string(&path).expect("read case");
        let compiled = common::compile(&[(format!("{name}.trellis"), text)]);
        let rendered = render_plain(&compiled.sources, &compiled.diagnostics);
        if let Some(code) = name.split('_').next().filter(|c| c.len() == 5) {
            assert!(
                compiled.diagnostics.iter().any(|d| d.code.as_str() == code),
                "{name}: expected a {code} diagnostic, got:\n{rendered}"
            );
        }
        assert!(!rendered.contains('\u{1b}'), "{name}: colour codes in plain output");
        insta::assert_snapshot!(name.clone(), rendered);
    }
}

#[test]
fn every_code_has_a_case() {
    let dir = common::root().join("tests/cases/check");
    let names: Vec<String> = common::files_in(&dir, "trellis")
        .iter()
        .map(|p| p.file_name().expect("name").to_string_lossy().to_string())
        .collect();
    for code in Code::ALL {
        if matches!(
            code,
            Code::UnreadableFile
                | Code::SymlinkLoop
                | Code::DestructiveChange
                | Code::MergeConflict
                | Code::UsedByUnmanaged
                | Code::NoCast
                | Code::NeedsNewerPostgres
                | Code::UnknownRole
        ) {
            continue; // covered by the CLI tests: they need a file on disk, a diff, a history, a target version or a server
        }
        assert!(
            names.iter().any(|n| n.starts_with(code.as_str())),
            "no case file for {code} ({})",
            code.summary()
        );
    }
}

#[test]
fn five_problems_give_five_diagnostics() {
    let text = std::fs::read_to_string(common::root().join("tests/cases/check/five_errors.trellis")).expect("read");
    let compiled = common::compile(&[("five_errors.trellis".into(), text)]);
    let codes: Vec<&str> = compiled.diagnostics.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["E0205", "E0102", "E0201", "E0202", "E0206"]);
}

#[test]
fn every_code_is_documented() {
    let docs = std::fs::read_to_string(common::root().join("docs/diagnostics.md")).expect("docs/diagnostics.md");
    for code in Code::ALL {
        assert!(
            docs.contains(&format!("| {} |", code.as_str())),
            "{code} is missing from docs/diagnostics.md"
        );
    }
}
