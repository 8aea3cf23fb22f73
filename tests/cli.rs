//! The `trellisc` binary end to end: exit codes, rendered diagnostics, fmt.

mod common;

use std::process::Command;

fn trellisc(args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_trellisc"))
        .args(args)
        .current_dir(common::root())
        .output()
        .expect("run trellisc");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn a_clean_example_exits_zero() {
    for example in ["examples/shop", "examples/blog", "examples/saas"] {
        let (code, _, stderr) = trellisc(&["check", example]);
        assert_eq!(code, 0, "{example}: {stderr}");
        assert!(stderr.starts_with("ok: "), "{stderr}");
    }
}

#[test]
fn five_errors_print_five_located_underlined_diagnostics() {
    let (code, _, stderr) = trellisc(&["--color", "never", "check", "tests/cases/check/five_errors.trellis"]);
    assert_eq!(code, 1);
    let headers: Vec<&str> = stderr.lines().filter(|l| l.starts_with("error[")).collect();
    assert_eq!(headers.len(), 5, "{stderr}");
    let locations: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("┌─ tests/cases/check/five_errors.trellis:"))
        .collect();
    assert_eq!(locations.len(), 5, "{stderr}");
    for location in locations {
        let position = location.rsplit(".trellis:").next().expect("position");
        let parts: Vec<&str> = position.split(':').collect();
        assert_eq!(parts.len(), 2, "{location}");
        assert!(parts.iter().all(|p| p.parse::<u32>().is_ok()), "{location}");
    }
    assert_eq!(stderr.lines().filter(|l| l.contains('^')).count(), 5, "{stderr}");
    assert!(!stderr.contains('\u{1b}'));
}

#[test]
fn warnings_are_shown_but_do_not_fail() {
    let (code, _, stderr) = trellisc(&["check", "tests/cases/check/W0003_foreign_key_type_differs.trellis"]);
    assert_eq!(code, 0);
    assert!(stderr.contains("warning[W0003]"), "{stderr}");
}

#[test]
fn a_missing_path_is_a_one_line_error() {
    let (code, _, stderr) = trellisc(&["check", "no/such/schema"]);
    assert_eq!(code, 1);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("no/such/schema"));
}

#[test]
fn an_unreadable_file_is_reported_by_name() {
    let dir = tempdir("unreadable");
    std::fs::write(dir.join("bad.trellis"), [0xff, 0xfe, b't']).expect("write");
    std::fs::write(dir.join("good.trellis"), "table t {\n  id int primary key\n}\n").expect("write");
    let (code, _, stderr) = trellisc(&["check", dir.to_str().expect("utf-8 path")]);
    assert_eq!(code, 1);
    assert!(stderr.contains("E0004") && stderr.contains("bad.trellis"), "{stderr}");
}

#[test]
fn fmt_rewrites_and_check_reports() {
    let dir = tempdir("fmt");
    let file = dir.join("s.trellis");
    std::fs::write(&file, "TABLE t {   id   INT   PRIMARY KEY , name text }").expect("write");
    let path = dir.to_str().expect("utf-8 path");
    let (code, stdout, _) = trellisc(&["fmt", "--check", path]);
    assert_eq!(code, 1);
    assert!(stdout.contains("s.trellis"));
    let (code, _, stderr) = trellisc(&["fmt", path]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        std::fs::read_to_string(&file).expect("read"),
        "table t {\n  id   INT primary key\n  name text\n}\n"
    );
    let (code, _, _) = trellisc(&["fmt", "--check", path]);
    assert_eq!(code, 0);
}

#[test]
fn fmt_leaves_a_file_with_syntax_errors_untouched() {
    let dir = tempdir("fmt-broken");
    let file = dir.join("s.trellis");
    let text = "table t {\n  id int primary key\n";
    std::fs::write(&file, text).expect("write");
    let (code, _, stderr) = trellisc(&["--color", "never", "fmt", dir.to_str().expect("utf-8 path")]);
    assert_eq!(code, 1);
    assert!(stderr.contains("E0001"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&file).expect("read"), text);
}

#[test]
fn diff_exit_codes_follow_diff() {
    let (code, stdout, _) = trellisc(&["diff", "--from", "examples/shop", "--to", "examples/shop"]);
    assert_eq!((code, stdout.as_str()), (0, "-- no changes\n"));
    let (code, stdout, stderr) = trellisc(&["diff", "--to", "examples/shop"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stdout.contains("CREATE TABLE public.customers ("), "{stdout}");
    let (code, _, stderr) = trellisc(&["diff", "--from", "no/such/dir", "--to", "examples/shop"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("no/such/dir"), "{stderr}");
}

#[test]
fn a_destructive_diff_is_refused_with_the_place_and_the_way_out() {
    let case = "tests/cases/diff/column_drop";
    let (from, to) = (format!("{case}/old.trellis"), format!("{case}/new.trellis"));
    let (code, stdout, stderr) = trellisc(&["--color", "never", "diff", "--from", &from, "--to", &to]);
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.is_empty(), "nothing is written: {stdout}");
    assert!(
        stderr.contains("error[E0301]") && stderr.contains("--allow-destructive"),
        "{stderr}"
    );
    let (code, stdout, _) = trellisc(&["diff", "--from", &from, "--to", &to, "--allow-destructive"]);
    assert_eq!(code, 2);
    assert!(stdout.contains("DROP COLUMN"), "{stdout}");
    let (code, stdout, _) = trellisc(&["diff", "--from", &from, "--to", &to, "--format", "summary"]);
    assert_eq!(code, 2);
    assert!(stdout.contains("destructive: drops column"), "{stdout}");
    let (code, stdout, _) = trellisc(&["diff", "--from", &from, "--to", &to, "--format", "json"]);
    assert_eq!(code, 2);
    let value: serde_json::Value = serde_json::from_str(&stdout).expect("valid JSON");
    assert_eq!(value["changed"], true);
}

fn tempdir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("trellisc-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create temp dir");
    dir
}
