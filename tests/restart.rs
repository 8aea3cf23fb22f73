//! A server restart in the middle of an online revision's concurrent index
//! build: a test binary of its own, because it restarts the harness's
//! server under every other test of the binary.

mod common;
mod support;

use std::time::Duration;

use support::pg;
use support::project::{Project, SLOW, text};

#[test]
fn a_build_cut_off_by_a_server_restart_is_built_again() {
    let p = Project::new();
    let id = p.with_revision(&format!(
        "{SLOW}\nCREATE INDEX CONCURRENTLY users_slow ON users (slow(email));"
    ));
    p.ok(&["rehash"]);
    p.sql("INSERT INTO users (email) SELECT 'u' || n FROM generate_series(1, 8) n;");
    let mut child = p.spawn(&["upgrade"]);
    p.wait_for_query("CREATE INDEX CONCURRENTLY users_slow%");
    std::thread::sleep(Duration::from_millis(700));
    if !pg::server().restart() {
        let _ = child.kill();
        let _ = child.wait();
        eprintln!("skipped: the server was given by TRELLIS_TEST_DATABASE_URL and is not the harness's to restart");
        return;
    }
    let output = child.wait_with_output().expect("upgrade");
    let said = text(&output);
    assert_eq!(output.status.code(), Some(1), "{said}");
    assert!(said.contains("127.0.0.1"), "the error names the server: {said}");
    assert_eq!(p.index_valid("users_slow"), "f");
    let output = p.run(&["upgrade"]);
    let said = text(&output);
    assert_eq!(output.status.code(), Some(0), "{said}");
    assert!(said.contains("dropping the invalid index"), "{said}");
    assert_eq!(p.index_valid("users_slow"), "t");
    assert_eq!(
        p.applied(),
        ["20261125120000_aaaaaa:applied", format!("{id}:applied").as_str()]
    );
}
