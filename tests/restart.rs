//! A server restart in the middle of an online revision's concurrent index
//! build: a test binary of its own, because it restarts the harness's
//! server under every other test of the binary.

mod common;
mod support;

use std::process::Stdio;
use std::time::{Duration, Instant};

use support::pg;
use support::project::{Project, text};

fn value(url: &str, sql: &str) -> String {
    pg::server()
        .psql(url, &format!("\\pset tuples_only on\n\\pset format unaligned\n{sql};"))
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .trim()
        .to_string()
}

#[test]
fn a_build_cut_off_by_a_server_restart_is_built_again() {
    let p = Project::new();
    p.write(
        "schema/app.trellis",
        "table users {\n  id    bigint generated always as identity primary key\n  email text not null\n}\n",
    );
    p.revision_ok("20261125120000_aaaaaa", &["-m", "Base"]);
    p.ok(&["upgrade"]);
    let id = "20261125120100_bbbbbb";
    p.revision_ok(id, &["-m", "Slow index", "--empty"]);
    let file = p.revision_file(id);
    let edited = p.read(&file).replace(
        "-- Write the upgrade statements here.",
        "CREATE FUNCTION slow(v text) RETURNS text IMMUTABLE LANGUAGE sql AS $$ SELECT v FROM pg_sleep(0.5) $$;\n\
         CREATE INDEX CONCURRENTLY users_slow ON users (slow(email));",
    );
    std::fs::write(&file, edited).expect("edit");
    p.ok(&["rehash"]);
    pg::server()
        .psql(
            &p.url,
            "INSERT INTO users (email) SELECT 'u' || n FROM generate_series(1, 8) n;",
        )
        .expect("rows");
    let mut child = p
        .command(&["upgrade"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let started = Instant::now();
    while value(
        &p.url,
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'CREATE INDEX CONCURRENTLY users_slow%'",
    ) == "0"
    {
        assert!(started.elapsed() < Duration::from_secs(30), "the build never started");
        std::thread::sleep(Duration::from_millis(50));
    }
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
    assert_eq!(
        value(
            &p.url,
            "SELECT indisvalid FROM pg_index WHERE indexrelid = 'users_slow'::regclass"
        ),
        "f"
    );
    let output = p.run(&["upgrade"]);
    let said = text(&output);
    assert_eq!(output.status.code(), Some(0), "{said}");
    assert!(said.contains("dropping the invalid index"), "{said}");
    assert_eq!(
        value(
            &p.url,
            "SELECT indisvalid FROM pg_index WHERE indexrelid = 'users_slow'::regclass"
        ),
        "t"
    );
    assert_eq!(
        p.applied(),
        ["20261125120000_aaaaaa:applied", format!("{id}:applied").as_str()]
    );
}
