//! The progress display (issue 22, point 8): bars and spinners on standard
//! error while it is a terminal, the plain lines otherwise, nothing with
//! `--quiet`. The real binary runs on a pseudo-terminal against the real
//! server; what the terminal received is read from its other end.

mod common;
mod support;

use std::io::Read;
use std::os::fd::{FromRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};

use support::project::{Project, SLOW, text};

/// Runs `command` with its standard input, output and error on a new
/// pseudo-terminal of 40 rows and 160 columns; its exit status and all
/// that it wrote there (both streams, in the order written).
fn on_terminal(mut command: Command) -> (Option<i32>, String) {
    let mut master: libc::c_int = -1;
    let mut slave: libc::c_int = -1;
    let size = libc::winsize {
        ws_row: 40,
        ws_col: 160,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: openpty writes the two descriptors it opens; no name is
    // asked for and the terminal settings are the default.
    let opened = unsafe { libc::openpty(&mut master, &mut slave, std::ptr::null_mut(), std::ptr::null(), &size) };
    assert_eq!(opened, 0, "openpty: {}", std::io::Error::last_os_error());
    // SAFETY: both descriptors were just opened and belong to nobody else.
    let (master, slave) = unsafe { (std::fs::File::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) };
    let copy = || Stdio::from(slave.try_clone().expect("dup the terminal"));
    command
        .stdin(copy())
        .stdout(copy())
        .stderr(copy())
        .env("TERM", "xterm-256color");
    // SAFETY: only async-signal-safe calls between fork and exec.
    unsafe {
        command.pre_exec(|| {
            // A session of its own with the terminal as its controlling
            // one, as a shell in a terminal window starts a program.
            libc::setsid();
            libc::ioctl(0, libc::TIOCSCTTY, 0);
            Ok(())
        });
    }
    let mut child = command.spawn().expect("spawn trellisc");
    // The command and this end hold copies of the terminal: closed, so
    // that reading sees the end when the program exits.
    drop(command);
    drop(slave);
    let reader = std::thread::spawn(move || {
        let mut master = master;
        let mut received = Vec::new();
        let mut buffer = [0u8; 4096];
        // Linux answers EIO once the last descriptor of the other end is
        // closed: the end of the output.
        while let Ok(n) = master.read(&mut buffer) {
            if n == 0 {
                break;
            }
            received.extend_from_slice(&buffer[..n]);
        }
        received
    });
    let status = child.wait().expect("wait for trellisc");
    let received = reader.join().expect("reader thread");
    (status.code(), String::from_utf8_lossy(&received).into_owned())
}

/// The text without its terminal control sequences (CSI `ESC [ ... final`,
/// and other `ESC x` pairs).
fn plain(received: &str) -> String {
    let mut out = String::new();
    let mut chars = received.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\x1b' {
            out.push(c);
            continue;
        }
        if chars.next() == Some('[') {
            for c in chars.by_ref() {
                if ('@'..='~').contains(&c) {
                    break;
                }
            }
        }
    }
    out
}

/// The lines a reader sees on the screen, roughly: each line's text after
/// the last carriage return (what a bar redrawn in place leaves).
fn screen_lines(received: &str) -> Vec<String> {
    plain(received)
        .split('\n')
        .map(|line| {
            let line = line.trim_end_matches('\r');
            line.rsplit('\r').next().unwrap_or(line).to_string()
        })
        .collect()
}

/// A project with two revisions written by hand, each taking a moment (so
/// that the bar is drawn while it runs), the second saying a notice.
fn two_slow_revisions() -> Project {
    let p = Project::new();
    for (id, message, sql) in [
        ("20261125120000_aaaaaa", "First", "SELECT pg_sleep(0.6);"),
        (
            "20261125120100_bbbbbb",
            "Second",
            "SELECT pg_sleep(0.6);\nDO $$ BEGIN RAISE NOTICE 'from the second'; END $$;\nSELECT pg_sleep(0.6);",
        ),
    ] {
        p.revision_ok(id, &["-m", message, "--empty"]);
        let file = p.revision_file(id);
        let edited = p.read(&file).replace("-- Write the upgrade statements here.", sql);
        std::fs::write(&file, edited).expect("edit");
        p.ok(&["rehash"]);
    }
    p
}

#[test]
fn an_upgrade_on_a_terminal_draws_a_bar_of_revisions_and_statements() {
    let p = two_slow_revisions();
    let (status, received) = on_terminal(p.command(&["upgrade"]));
    assert_eq!(status, Some(0), "{received}");
    let shown = plain(&received);
    // The bar: revision n of N with its id and message, and the
    // statements of the revision done.
    assert!(
        shown.contains("[1/2] upgrading 20261125120000_aaaaaa  First"),
        "{shown}"
    );
    assert!(
        shown.contains("[2/2] upgrading 20261125120100_bbbbbb  Second"),
        "{shown}"
    );
    assert!(shown.contains("0/3 statements"), "{shown}");
    assert!(shown.contains("1/3 statements"), "{shown}");
    let lines = screen_lines(&received);
    // The lines of old, printed above the bar, and the notice on a line
    // of its own, not written into the bar.
    for line in [
        "upgrading 20261125120000_aaaaaa  First",
        "upgrading 20261125120100_bbbbbb  Second",
        "NOTICE: from the second",
    ] {
        assert!(lines.iter().any(|l| l == line), "no line {line:?} in {lines:#?}");
    }
    let result = lines.iter().filter(|l| l.starts_with("applied 2 revision(s);")).count();
    assert_eq!(result, 1, "{lines:#?}");
    assert_eq!(
        p.applied(),
        ["20261125120000_aaaaaa:applied", "20261125120100_bbbbbb:applied"]
    );
}

#[test]
fn quiet_on_a_terminal_prints_the_result_alone() {
    let p = two_slow_revisions();
    let (status, received) = on_terminal(p.command(&["upgrade", "--quiet"]));
    assert_eq!(status, Some(0), "{received}");
    assert!(!received.contains('\x1b'), "{received:?}");
    // The server's notice is the revision's own output, kept as psql -q
    // keeps it; the progress is gone.
    let lines: Vec<&str> = received.lines().map(|l| l.trim_end_matches('\r')).collect();
    assert_eq!(lines.len(), 2, "{received:?}");
    assert_eq!(lines[0], "NOTICE: from the second");
    assert!(lines[1].starts_with("applied 2 revision(s); "), "{received:?}");
    // -q too, on a downgrade.
    let (status, received) = on_terminal(p.command(&["downgrade", "base", "-q"]));
    assert_eq!(status, Some(0), "{received}");
    assert!(!received.contains('\x1b'), "{received:?}");
    assert_eq!(received.lines().count(), 1, "{received:?}");
    assert!(received.starts_with("undid 2 revision(s); "), "{received:?}");
}

#[test]
fn without_a_terminal_the_lines_stay_as_they_were() {
    let p = two_slow_revisions();
    let output = p.command(&["upgrade"]).output().expect("run trellisc");
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        stderr,
        "upgrading 20261125120000_aaaaaa  First\n\
         upgrading 20261125120100_bbbbbb  Second\n\
         NOTICE: from the second\n"
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.starts_with("applied 2 revision(s); "), "{stdout}");
    assert_eq!(stdout.lines().count(), 1);

    let output = p
        .command(&["downgrade", "base", "--quiet"])
        .output()
        .expect("run trellisc");
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
}

/// The concurrent build runs `slow()` (half a second a row) on six rows: it
/// stays three seconds in the phase "building index: scanning table", and
/// the progress is read every half second, so the phase is seen every
/// time; a table of plain rows would need millions to take as long.
#[test]
fn a_concurrent_index_build_shows_its_phase() {
    let p = Project::new();
    p.with_revision(&format!(
        "{SLOW}\nCREATE INDEX CONCURRENTLY users_slow ON users (slow(email));"
    ));
    p.ok(&["rehash"]);
    p.sql("INSERT INTO users (email) SELECT 'u' || n FROM generate_series(1, 6) n;");
    let (status, received) = on_terminal(p.command(&["upgrade"]));
    assert_eq!(status, Some(0), "{received}");
    let shown = plain(&received);
    // The first statement (the function) is done; the build's phase and
    // blocks (the table has one) come from pg_stat_progress_create_index.
    assert!(
        shown.contains("1/2 statements · building index: scanning table "),
        "{shown}"
    );
    assert!(shown.contains("/1 blocks"), "{shown}");
    assert_eq!(p.index_valid("users_slow"), "t");
}

#[test]
fn reading_a_database_on_a_terminal_says_what_it_read() {
    let p = Project::new();
    p.sql("CREATE TABLE one (id int); CREATE TABLE two (id int); CREATE VIEW v AS SELECT 1 AS x;");
    let (status, received) = on_terminal(p.command(&["import", "--db", &p.url]));
    assert_eq!(status, Some(0), "{received}");
    let database = p.url.rsplit('/').next().unwrap_or_default();
    let lines = screen_lines(&received);
    // `read database "NAME" on HOST:PORT: 2 tables, ...`
    let read = lines
        .iter()
        .find(|l| l.starts_with(&format!("read database \"{database}\" on ")));
    let read = read.unwrap_or_else(|| panic!("no line of what was read in {lines:#?}"));
    assert!(read.contains(": 2 tables, 1 view, 0 functions in "), "{read}");
    assert!(
        plain(&received).contains(&format!("reading database \"{database}\" on ")),
        "{received:?}"
    );

    // Not on a terminal: the schema and nothing on standard error.
    let output = p.command(&["import", "--db", &p.url]).output().expect("run trellisc");
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
    // Quiet on a terminal: no spinner, no line.
    let (status, received) = on_terminal(p.command(&["import", "--db", &p.url, "-q"]));
    assert_eq!(status, Some(0), "{received}");
    assert!(
        !received.contains('\x1b') && !received.contains("read database"),
        "{received:?}"
    );
}
