//! Adopting an existing database: a schema written by hand in plain SQL is
//! imported to `.trellis`, that source is applied to a new database, and the
//! two databases are the same, to trellisc and to `pg_dump --schema-only`.

mod common;
mod support;

use std::process::Command;

use support::{pg, reflect};
use trellisc::ir::Schema;
use trellisc::plan::{self, PlanOptions};
use trellisc::render::render_plan;

fn import(url: &str) -> (String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_trellisc"))
        .args(["import", "--db", url])
        .output()
        .expect("run trellisc import");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "import failed: {stderr}");
    (String::from_utf8_lossy(&output.stdout).into_owned(), stderr)
}

/// `pg_dump --schema-only`, without the lines that differ on every run.
fn dump(server: &pg::Server, url: &str) -> String {
    let output = Command::new(server.program("pg_dump"))
        .args(["--schema-only", "--no-owner", "-d", url])
        .output()
        .expect("run pg_dump");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter(|l| !l.starts_with("\\restrict") && !l.starts_with("\\unrestrict"))
        .map(|l| format!("{l}\n"))
        .collect()
}

#[test]
fn a_hand_written_database_imports_and_comes_back_the_same() {
    let server = pg::server();
    let original = server.database();
    let sql = std::fs::read_to_string(common::root().join("tests/fixtures/import/realistic.sql")).expect("fixture");
    server.psql(&original, &sql).expect("apply the fixture");

    let (source, warnings) = import(&original);
    assert_eq!(warnings, "", "the fixture has nothing trellisc leaves alone");
    let compiled = common::compile(&[("imported.trellis".to_string(), source.clone())]);
    let rendered = trellisc::diag::render_plain(&compiled.sources, &compiled.diagnostics);
    assert!(compiled.diagnostics.is_empty(), "{rendered}\n{source}");
    insta::assert_snapshot!("realistic_imported", source);

    // The import is formatted, and importing again gives the same text.
    let file = std::env::temp_dir().join(format!("trellisc-import-{}.trellis", std::process::id()));
    std::fs::write(&file, &source).expect("write the import");
    let fmt = Command::new(env!("CARGO_BIN_EXE_trellisc"))
        .args(["fmt", "--check"])
        .arg(&file)
        .output()
        .expect("run trellisc fmt");
    let _ = std::fs::remove_file(&file);
    assert!(
        fmt.status.success(),
        "import output is not formatted: {}",
        String::from_utf8_lossy(&fmt.stderr)
    );
    assert_eq!(import(&original).0, source, "import is not deterministic");

    let copy = server.database();
    let create = render_plan(&plan::upgrade(
        &Schema::default(),
        &compiled.schema,
        PlanOptions::default(),
    ));
    server.psql(&copy, &create).unwrap_or_else(|e| panic!("{e}\n{create}"));

    let left = reflect::remaining(&copy, &compiled.schema);
    assert!(
        left.is_empty(),
        "the copy differs from its source:\n{}",
        left.join("\n")
    );
    let options = trellisc::reflect::ReflectOptions::default();
    let (a, b) = (reflect::read(&original, &options), reflect::read(&copy, &options));
    let between = plan::upgrade(&a.schema, &b.schema, PlanOptions::default());
    let steps: Vec<String> = between
        .steps
        .iter()
        .map(|s| trellisc::render::describe(&s.change))
        .collect();
    assert!(steps.is_empty(), "the databases differ:\n{}", steps.join("\n"));

    let (before, after) = (dump(server, &original), dump(server, &copy));
    if before != after {
        let diff = similar::TextDiff::from_lines(&before, &after);
        panic!(
            "pg_dump --schema-only differs:\n{}",
            diff.unified_diff().context_radius(3)
        );
    }
}

/// What PostgreSQL allows but is awkward to write (an empty enum label,
/// comments with carriage returns and other control characters) imports
/// into source that `check` accepts and that `diff` finds equal to the
/// database it came from.
#[test]
fn awkward_labels_and_comments_import_into_source_that_reads_back() {
    let server = pg::server();
    let url = server.database();
    let sql = "create type e as enum ('', 'a', 'it''s', 'back\\slash');\n\
        create table t (id bigint primary key, state e not null default '');\n\
        comment on table t is E'line one\\r\\nline two\\rthree\\ttab \\x01 bell\\x07';\n\
        comment on column t.id is E'ends with a newline\\n';\n\
        comment on type e is E'\\r';\n";
    server.psql(&url, sql).expect("create the objects");
    let (source, _) = import(&url);
    let dir = std::env::temp_dir().join(format!("trellisc-import-awkward-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let file = dir.join("imported.trellis");
    std::fs::write(&file, &source).expect("write");
    let check = Command::new(env!("CARGO_BIN_EXE_trellisc"))
        .args(["--color", "never", "check"])
        .arg(&file)
        .output()
        .expect("run trellisc check");
    let said = String::from_utf8_lossy(&check.stderr);
    assert!(check.status.success(), "check refuses the import:\n{said}\n{source}");
    assert!(!said.contains("warning"), "{said}\n{source}");
    let diff = Command::new(env!("CARGO_BIN_EXE_trellisc"))
        .args(["diff", "--from", &url, "--to"])
        .arg(&file)
        .output()
        .expect("run trellisc diff");
    let stdout = String::from_utf8_lossy(&diff.stdout);
    assert_eq!(
        (diff.status.code(), stdout.as_ref()),
        (Some(0), "-- no changes\n"),
        "{}\n{source}",
        String::from_utf8_lossy(&diff.stderr)
    );
}
