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

/// Whether the tests run as root, who reads any file whatever its mode.
fn running_as_root() -> bool {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

/// `trellisc check PATH` as a user for whom a mode-000 file is unreadable
/// (nobody, when the tests run as root).
fn check_as_unprivileged(path: &std::path::Path) -> (i32, String) {
    let mut command = if running_as_root() {
        let mut command = Command::new("setpriv");
        command
            .args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
            .arg(env!("CARGO_BIN_EXE_trellisc"));
        command
    } else {
        Command::new(env!("CARGO_BIN_EXE_trellisc"))
    };
    let output = command
        .args(["--color", "never", "check"])
        .arg(path)
        .output()
        .expect("run trellisc");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn a_file_without_read_permission_is_named() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempdir("no-permission");
    let file = dir.join("secret.trellis");
    std::fs::write(&file, "table t {\n  id int primary key\n}\n").expect("write");
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    let (code, stderr) = check_as_unprivileged(&dir);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("error[E0004]"), "{stderr}");
    assert!(
        stderr.contains(&format!("cannot read {}: permission denied", file.display())),
        "{stderr}"
    );
    assert!(!stderr.contains("no .trellis files"), "{stderr}");
}

#[test]
fn binary_and_non_utf8_files_are_named_as_such() {
    let dir = tempdir("binary");
    let file = dir.join("image.trellis");
    std::fs::write(&file, b"table t {\n  id int\0\x01\x02\n}\n").expect("write");
    let path = dir.to_str().expect("utf-8 path");
    let (code, _, stderr) = trellisc(&["--color", "never", "check", path]);
    assert_eq!(code, 1, "{stderr}");
    let said = format!(
        "{} is a binary file, not .trellis text (a NUL byte on line 2)",
        file.display()
    );
    assert!(stderr.contains("error[E0004]") && stderr.contains(&said), "{stderr}");
    assert!(!stderr.contains("no .trellis files"), "{stderr}");
    std::fs::write(&file, b"// caf\xe9\ntable t {\n  id int\n}\n").expect("write");
    for command in ["check", "fmt"] {
        let (code, _, stderr) = trellisc(&["--color", "never", command, path]);
        assert_eq!(code, 1, "{command}: {stderr}");
        let said = format!(
            "{} is not UTF-8 text (a byte that is not UTF-8 on line 1)",
            file.display()
        );
        assert!(
            stderr.contains("error[E0004]") && stderr.contains(&said),
            "{command}: {stderr}"
        );
    }
    let (code, _, stderr) = trellisc(&["--color", "never", "diff", "--to", path]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("is not UTF-8 text"), "diff: {stderr}");
}

#[test]
fn symlinked_directories_are_followed_and_loops_are_named() {
    let dir = tempdir("symlinks");
    let elsewhere = tempdir("symlinks-target");
    std::fs::create_dir_all(dir.join("schema")).expect("dir");
    std::fs::write(dir.join("schema/a.trellis"), "table a {\n  id int primary key\n}\n").expect("write");
    std::fs::write(elsewhere.join("b.trellis"), "table b {\n  id int primary key\n}\n").expect("write");
    std::os::unix::fs::symlink(&elsewhere, dir.join("schema/linked")).expect("symlink");
    // A loop: schema/loop/loop/... leads back to schema.
    std::os::unix::fs::symlink(dir.join("schema"), dir.join("schema/loop")).expect("symlink");
    let schema = dir.join("schema");
    let (code, _, stderr) = trellisc(&["--color", "never", "check", schema.to_str().expect("utf-8 path")]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("ok: 2 file(s), 2 table(s)"), "{stderr}");
    let said = format!("{} is a symbolic link to", schema.join("loop").display());
    assert!(stderr.contains("warning[W0006]") && stderr.contains(&said), "{stderr}");
    let found = trellisc::load::find_schema_files(&schema).expect("walk");
    assert_eq!(found.files, [schema.join("a.trellis"), schema.join("linked/b.trellis")]);
    assert_eq!(found.diagnostics.len(), 1);
}

/// A project in a temporary directory with one revision.
fn project_with_a_revision(name: &str) -> std::path::PathBuf {
    let dir = tempdir(name);
    let run = |args: &[&str]| {
        let output = Command::new(env!("CARGO_BIN_EXE_trellisc"))
            .args(args)
            .current_dir(&dir)
            .env("TRELLIS_REVISION_ID", "20260101000000_aaaaaa")
            .env("TRELLIS_REVISION_TIME", "2026-01-01T00:00:00Z")
            .output()
            .expect("run trellisc");
        assert!(
            output.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    };
    run(&["init"]);
    std::fs::write(
        dir.join("schema/app.trellis"),
        "table t {\n  id bigint primary key\n}\n",
    )
    .expect("write");
    run(&["revision", "-m", "Base schema"]);
    dir
}

/// Runs trellisc with its standard output going into a pipe whose reader
/// reads `lines` lines and then closes it; returns the exit status and
/// what went to standard error. With no lines to read, the reader is
/// closed before trellisc starts, so its first write meets a closed pipe
/// however fast it runs (output that fits in the pipe would otherwise be
/// written before the reader closed).
fn with_pipe_closed_after(dir: &std::path::Path, args: &[&str], lines: usize) -> (std::process::ExitStatus, String) {
    use std::io::{BufRead, Read};
    let stdout = match lines {
        0 => std::process::Stdio::from(pipe_closed_at_its_reading_end()),
        _ => std::process::Stdio::piped(),
    };
    let mut child = Command::new(env!("CARGO_BIN_EXE_trellisc"))
        .args(args)
        .current_dir(dir)
        .env_remove("TRELLIS_DATABASE_URL")
        .stdout(stdout)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run trellisc");
    if let Some(stdout) = child.stdout.take() {
        let mut reader = std::io::BufReader::new(stdout);
        for _ in 0..lines {
            let mut line = String::new();
            reader.read_line(&mut line).expect("read a line");
            assert!(!line.is_empty(), "{args:?} wrote fewer than {lines} line(s)");
        }
        // The reader goes away here, as `head -1` does after its line.
    }
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .expect("piped stderr")
        .read_to_string(&mut stderr)
        .expect("read stderr");
    (child.wait().expect("wait for trellisc"), stderr)
}

/// The writing end of a pipe whose reading end is closed already.
fn pipe_closed_at_its_reading_end() -> std::fs::File {
    use std::os::fd::FromRawFd;
    let mut ends = [0; 2];
    // SAFETY: `pipe` writes two new descriptors into `ends`.
    assert_eq!(unsafe { libc::pipe(ends.as_mut_ptr()) }, 0, "a pipe");
    // SAFETY: both descriptors are new and nothing else owns them: the
    // reading end is closed here, the writing end owned by the file.
    unsafe {
        libc::close(ends[0]);
        std::fs::File::from_raw_fd(ends[1])
    }
}

#[test]
fn a_closed_pipe_ends_the_command_quietly() {
    let project = project_with_a_revision("closed-pipe");
    // Closed before the first line: the first write meets the closed pipe.
    let (status, stderr) = with_pipe_closed_after(&project, &["history"], 0);
    assert_eq!(status.code(), Some(141), "{stderr}");
    assert!(stderr.is_empty(), "{stderr}");
    // `diff --format json | head -1` on output larger than a pipe holds.
    let schema: String = (0..400)
        .map(|i| format!("table t{i} {{\n  id bigint primary key\n  name text not null\n}}\n"))
        .collect();
    std::fs::write(project.join("schema/app.trellis"), schema).expect("write");
    let args = ["diff", "--to", "schema", "--format", "json"];
    let (status, stderr) = with_pipe_closed_after(&project, &args, 1);
    assert_eq!(status.code(), Some(141), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(stderr.is_empty(), "{stderr}");
}

#[test]
fn exit_status_two_means_differs_and_usage_errors_are_64() {
    let (code, _, stderr) = trellisc(&["--no-such-flag"]);
    assert_eq!(code, 64, "{stderr}");
    assert!(stderr.contains("--no-such-flag"), "{stderr}");
    let (code, _, stderr) = trellisc(&["diff"]);
    assert_eq!(code, 64, "a missing --to: {stderr}");
    let (code, _, stderr) = trellisc(&["diff", "--to", "examples/shop", "--format", "yaml"]);
    assert_eq!(code, 64, "{stderr}");
    let (code, _, stderr) = trellisc(&[]);
    assert_eq!(code, 64, "no subcommand: {stderr}");
    let (code, stdout, _) = trellisc(&["--help"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("Usage: trellisc"), "{stdout}");
    let (code, stdout, _) = trellisc(&["diff", "--help"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("--format"), "{stdout}");
    let (code, stdout, _) = trellisc(&["--version"]);
    assert_eq!(
        (code, stdout.trim()),
        (0, concat!("trellisc ", env!("CARGO_PKG_VERSION")))
    );
    // Other errors are 1; 2 is only "differs" (diff_exit_codes_follow_diff).
    let (code, _, _) = trellisc(&["check", "no/such/schema"]);
    assert_eq!(code, 1);
}

fn tempdir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("trellisc-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create temp dir");
    dir
}
