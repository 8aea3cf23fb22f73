//! Hand-written and online revisions run as an operator would run them, and
//! interrupted as they are in real life, on the real server: transaction
//! control refused, a validation that holds no ACCESS EXCLUSIVE lock, a
//! concurrent index build that failed, was cut off with its backend, or
//! finished behind a killed trellisc, a partial upgrade undone, the psql
//! script run again after a failure, and two upgrades at once.

mod common;
mod support;

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use support::pg;
use support::project::{Project, SLOW, USERS, text};

#[test]
fn transaction_control_in_a_revision_is_refused_before_anything_runs() {
    for (statement, command) in [
        ("COMMIT;", "COMMIT"),
        ("ROLLBACK;", "ROLLBACK"),
        ("savepoint s;", "SAVEPOINT"),
        ("end;", "END"),
    ] {
        let p = Project::new();
        let id = p.with_revision(&format!(
            "INSERT INTO users (email) VALUES ('a');\n{statement}\nINSERT INTO users (email) VALUES ('b');\nSELECT 1/0;"
        ));
        let file = p.revision_file(&id);
        let name = file.file_name().expect("name").to_string_lossy().to_string();
        // The statement is on the second line of the upgrade part.
        let line = p
            .read(&file)
            .lines()
            .position(|l| l == statement)
            .expect("statement line")
            + 1;
        let said = p.fails(&["rehash"], 1);
        assert!(
            said.contains(&format!("{name}:{line}:")),
            "{statement}: the place\n{said}"
        );
        assert!(
            said.contains(&format!("`{command}`")),
            "{statement}: names the command\n{said}"
        );
        let said = p.fails(&["upgrade"], 1);
        assert!(
            said.contains(&format!("{name}:{line}:")),
            "{statement}: upgrade names the place\n{said}"
        );
        let said = p.fails(&["upgrade", "--sql"], 1);
        assert!(
            said.contains(&format!("`{command}`")),
            "{statement}: so does the script\n{said}"
        );
        assert_eq!(p.value("SELECT count(*) FROM users"), "0", "{statement}: nothing ran");
        assert_eq!(p.applied(), ["20261125120000_aaaaaa:applied"], "{statement}");
    }
}

#[test]
fn a_failed_statement_stops_the_revision_and_nothing_after_it_runs() {
    let p = Project::new();
    p.with_revision("INSERT INTO users (email) VALUES ('a');\nSELECT 1/0;\nINSERT INTO users (email) VALUES ('b');\nCREATE TABLE after_the_failure (id int);",
    );
    p.ok(&["rehash"]);
    let said = p.fails(&["upgrade"], 1);
    assert!(said.contains("division by zero"), "{said}");
    assert!(said.contains("nothing of revision"), "{said}");
    assert_eq!(p.value("SELECT count(*) FROM users"), "0");
    assert_eq!(p.value("SELECT to_regclass('after_the_failure') IS NULL"), "t");
    assert_eq!(p.applied(), ["20261125120000_aaaaaa:applied"]);
}

/// `--online`: the NOT VALID constraint is committed before its validation
/// starts, so while the rows are checked other sessions can read and
/// write the table; the summary names the lock of each step.
#[test]
fn an_online_validation_holds_no_access_exclusive_lock() {
    let p = Project::new();
    p.write("schema/app.trellis", USERS);
    p.revision_ok("20261125120000_aaaaaa", &["-m", "Base"]);
    p.ok(&["upgrade"]);
    p.sql(&format!(
        "{SLOW}\nINSERT INTO users (email) SELECT 'u' || n FROM generate_series(1, 6) n;"
    ));
    p.write(
        "schema/app.trellis",
        "table users {\n  id    bigint generated always as identity primary key\n  email text not null check (slow(email) <> '')\n}\n",
    );
    p.revision_ok("20261125120100_bbbbbb", &["-m", "Check", "--online"]);
    let file = p.read(&p.revision_file("20261125120100_bbbbbb"));
    assert!(
        file.contains("NOT VALID") && file.contains("VALIDATE CONSTRAINT"),
        "{file}"
    );

    let child = p.spawn(&["upgrade"]);
    let pid = p.wait_for_query("%VALIDATE CONSTRAINT%");
    let exclusive = p.value(&format!(
            "SELECT count(*) FROM pg_locks WHERE pid = {pid} AND relation = 'users'::regclass AND mode = 'AccessExclusiveLock' AND granted"
        ),
    );
    assert_eq!(exclusive, "0", "the validation holds no ACCESS EXCLUSIVE lock on users");
    // Another session writes the table while the rows are being checked.
    p.sql("SET lock_timeout = '2s'; INSERT INTO users (email) VALUES ('during');");
    let output = child.wait_with_output().expect("upgrade");
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    assert_eq!(
        p.applied(),
        ["20261125120000_aaaaaa:applied", "20261125120100_bbbbbb:applied"]
    );
    assert_eq!(
        p.value("SELECT convalidated FROM pg_constraint WHERE conname = 'users_email_check'"),
        "t"
    );
}

/// `--lock-timeout` wins over the `SET lock_timeout` an online revision
/// writes: with another session holding the table, the upgrade gives up
/// after the second asked for, not the revision's five.
#[test]
fn the_lock_timeout_asked_for_wins_over_the_revisions_own() {
    let p = Project::new();
    p.write("schema/app.trellis", USERS);
    p.revision_ok("20261125120000_aaaaaa", &["-m", "Base"]);
    p.ok(&["upgrade"]);
    p.write(
        "schema/app.trellis",
        "table users {\n  id    bigint generated always as identity primary key\n  email text not null\n  name  text\n}\n",
    );
    p.revision_ok("20261125120100_bbbbbb", &["-m", "Name", "--online"]);
    assert!(
        p.read(&p.revision_file("20261125120100_bbbbbb"))
            .contains("SET lock_timeout = '5s'")
    );
    let mut holder = std::process::Command::new(pg::server().program("psql"))
        .args([
            "-X",
            "-q",
            "-d",
            &p.url,
            "-c",
            "BEGIN; LOCK TABLE users IN ACCESS SHARE MODE; SELECT pg_sleep(20);",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("psql");
    p.wait_for_query("%pg_sleep(20)%");
    let started = Instant::now();
    let said = p.fails(&["upgrade", "--lock-timeout", "1s"], 1);
    let took = started.elapsed();
    let _ = holder.kill();
    let _ = holder.wait();
    assert!(said.contains("lock timeout"), "{said}");
    assert!(
        took < Duration::from_secs(4),
        "gave up after {took:?}, not the revision's 5 s"
    );
}

/// A unique index build that fails on duplicate rows leaves an INVALID
/// index: the next upgrade drops it and builds it again; `current` says
/// where the revision stands.
#[test]
fn a_failed_concurrent_build_is_built_again_on_the_next_run() {
    let p = Project::new();
    let id = p.with_revision("CREATE INDEX CONCURRENTLY users_id_email ON users (id, email);\nCREATE UNIQUE INDEX CONCURRENTLY users_email ON users (email);",
    );
    p.ok(&["rehash"]);
    p.sql("INSERT INTO users (email) VALUES ('twice'), ('twice');");
    let said = p.fails(&["upgrade"], 1);
    assert!(said.contains("could not create unique index"), "{said}");
    assert_eq!(
        p.index_valid("users_email"),
        "f",
        "the failed build left an invalid index"
    );
    assert_eq!(
        p.applied(),
        ["20261125120000_aaaaaa:applied", format!("{id}:upgrading").as_str()]
    );
    let current = p.ok(&["current"]);
    assert!(current.contains("stopped part way"), "{current}");
    assert!(current.contains("from statement 2"), "{current}");

    p.sql("DELETE FROM users WHERE id = (SELECT max(id) FROM users);");
    let output = p.run(&["upgrade"]);
    let said = text(&output);
    assert_eq!(output.status.code(), Some(0), "{said}");
    assert!(said.contains("dropping the invalid index"), "{said}");
    assert_eq!(p.index_valid("users_email"), "t");
    assert_eq!(
        p.applied(),
        ["20261125120000_aaaaaa:applied", format!("{id}:applied").as_str()]
    );
}

/// The backend of a concurrent build terminated in the middle of it (as a
/// DBA's pg_terminate_backend, or a crash of that backend, does): an
/// INVALID index stays, and the next run builds it again.
#[test]
fn a_terminated_build_is_built_again() {
    let p = Project::new();
    let id = p.with_revision(&format!(
        "{SLOW}\nCREATE INDEX CONCURRENTLY users_slow ON users (slow(email));"
    ));
    p.ok(&["rehash"]);
    p.sql("INSERT INTO users (email) SELECT 'u' || n FROM generate_series(1, 8) n;");
    let child = p.spawn(&["upgrade"]);
    let pid = p.wait_for_query("CREATE INDEX CONCURRENTLY users_slow%");
    std::thread::sleep(Duration::from_millis(700));
    p.value(&format!("SELECT pg_terminate_backend({pid})"));
    let output = child.wait_with_output().expect("upgrade");
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    assert_eq!(p.index_valid("users_slow"), "f");
    assert_eq!(
        p.applied(),
        ["20261125120000_aaaaaa:applied", format!("{id}:upgrading").as_str()]
    );
    let output = p.run(&["upgrade"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    assert_eq!(p.index_valid("users_slow"), "t");
    assert_eq!(
        p.applied(),
        ["20261125120000_aaaaaa:applied", format!("{id}:applied").as_str()]
    );
}

/// trellisc killed with SIGKILL during a concurrent build: the server
/// finishes the build on its own, so the index is there and valid, but
/// unrecorded; the next run sees it is built and records the revision.
#[test]
fn a_build_finished_behind_a_killed_trellisc_is_not_built_twice() {
    let p = Project::new();
    let id = p.with_revision(&format!(
        "{SLOW}\nCREATE INDEX CONCURRENTLY users_slow ON users (slow(email));\nCREATE TABLE after_index (id int);"
    ));
    p.ok(&["rehash"]);
    p.sql("INSERT INTO users (email) SELECT 'u' || n FROM generate_series(1, 4) n;");
    let mut child = p
        .command(&["upgrade"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let pid = p.wait_for_query("CREATE INDEX CONCURRENTLY users_slow%");
    child.kill().expect("SIGKILL");
    let _ = child.wait();
    // The server goes on with the build until it is done.
    let started = Instant::now();
    while p.value(&format!("SELECT count(*) FROM pg_stat_activity WHERE pid = {pid}")) != "0" {
        assert!(started.elapsed() < Duration::from_secs(30), "the build never ended");
        std::thread::sleep(Duration::from_millis(100));
    }
    let output = p.run(&["upgrade"]);
    let said = text(&output);
    assert_eq!(output.status.code(), Some(0), "{said}");
    assert!(said.contains("built already"), "{said}");
    assert_eq!(p.value("SELECT to_regclass('after_index') IS NOT NULL"), "t");
    assert_eq!(
        p.applied(),
        ["20261125120000_aaaaaa:applied", format!("{id}:applied").as_str()]
    );
}

/// A revision whose upgrade stopped part way is undone from what the
/// database has: the index that was built is dropped, the invalid one too,
/// and the revision leaves the version table; the whole downgrade, written
/// for the finished revision, would have failed on what never ran.
#[test]
fn a_partial_online_upgrade_is_undone_exactly() {
    let p = Project::new();
    p.write("schema/app.trellis", USERS);
    p.revision_ok("20261125120000_aaaaaa", &["-m", "Base"]);
    p.ok(&["upgrade"]);
    p.write(
        "schema/app.trellis",
        "table users {\n  id    bigint generated always as identity primary key\n  email text not null\n\n  index users_id_email (id, email)\n  unique index users_email (email)\n}\n",
    );
    p.revision_ok("20261125120100_bbbbbb", &["-m", "Indexes", "--online"]);
    p.sql("INSERT INTO users (email) VALUES ('twice'), ('twice');");
    let said = p.fails(&["upgrade"], 1);
    assert!(said.contains("could not create unique index"), "{said}");
    let built = p.value("SELECT string_agg(indexrelid::regclass::text || ':' || indisvalid, ',' ORDER BY 1) FROM pg_index WHERE indrelid = 'users'::regclass AND NOT indisprimary",
    );
    assert!(built.contains(":f"), "one build failed: {built}");

    let output = p.run(&["downgrade", "20261125120000_aaaaaa"]);
    let said = text(&output);
    assert_eq!(output.status.code(), Some(0), "{said}");
    assert!(said.contains("undoing the part of 20261125120100_bbbbbb"), "{said}");
    assert_eq!(
        p.value("SELECT count(*) FROM pg_index WHERE indrelid = 'users'::regclass AND NOT indisprimary"),
        "0"
    );
    assert_eq!(p.applied(), ["20261125120000_aaaaaa:applied"]);
    p.assert_at("20261125120000_aaaaaa");
    // And once the data is fixed, the revision goes up whole.
    p.sql("DELETE FROM users WHERE id = (SELECT max(id) FROM users);");
    p.ok(&["upgrade"]);
    p.assert_at("20261125120100_bbbbbb");
}

/// The psql script of an online revision records its progress: after a
/// failed build, the same script run again (or `upgrade`) goes on from
/// there instead of failing on what exists.
#[test]
fn the_psql_script_of_an_online_revision_resumes() {
    let p = Project::new();
    let id = p.with_revision("CREATE TABLE first_part (id int);\nCREATE INDEX CONCURRENTLY users_id_email ON users (id, email);\nCREATE UNIQUE INDEX CONCURRENTLY users_email ON users (email);\nCREATE TABLE last_part (id int);",
    );
    p.ok(&["rehash"]);
    let script = p.ok(&["upgrade", "--sql"]);
    p.sql("INSERT INTO users (email) VALUES ('twice'), ('twice');");
    let failed = pg::server().psql(&p.url, &script).expect_err("the build fails");
    assert!(failed.contains("could not create unique index"), "{failed}");
    assert_eq!(
        p.applied(),
        ["20261125120000_aaaaaa:applied", format!("{id}:upgrading").as_str()]
    );
    p.sql("DELETE FROM users WHERE id = (SELECT max(id) FROM users);");
    p.sql(&script);
    assert_eq!(
        p.applied(),
        ["20261125120000_aaaaaa:applied", format!("{id}:applied").as_str()]
    );
    assert_eq!(p.index_valid("users_email"), "t");
    assert_eq!(p.value("SELECT to_regclass('last_part') IS NOT NULL"), "t");
    // Run once more, it does nothing.
    p.sql(&script);
    assert_eq!(
        p.applied(),
        ["20261125120000_aaaaaa:applied", format!("{id}:applied").as_str()]
    );
}

/// Two upgrades of an online revision at once: the second waits without
/// holding a snapshot, so the first's concurrent build finishes; then the
/// second finds nothing to do.
#[test]
fn two_online_upgrades_at_once_both_finish() {
    let p = Project::new();
    let id = p.with_revision(&format!(
        "{SLOW}\nCREATE INDEX CONCURRENTLY users_slow ON users (slow(email));"
    ));
    p.ok(&["rehash"]);
    p.sql("INSERT INTO users (email) SELECT 'u' || n FROM generate_series(1, 3) n;");
    let first = p.spawn(&["upgrade"]);
    p.wait_for_query("CREATE INDEX CONCURRENTLY users_slow%");
    let second = p.spawn(&["upgrade"]);
    let started = Instant::now();
    let (first, second) = (
        first.wait_with_output().expect("first"),
        second.wait_with_output().expect("second"),
    );
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "they waited for each other"
    );
    assert_eq!(first.status.code(), Some(0), "{}", text(&first));
    assert_eq!(second.status.code(), Some(0), "{}", text(&second));
    let said = text(&second);
    assert!(said.contains("waiting for another trellisc run"), "{said}");
    assert!(said.contains("already at"), "{said}");
    assert_eq!(
        p.applied(),
        ["20261125120000_aaaaaa:applied", format!("{id}:applied").as_str()]
    );
}

/// The partitioned table `r` with its partition `r1` holding a row, and a
/// revision that detaches `r1` concurrently, then makes a table; the
/// revision's id. None (and why, printed) before PostgreSQL 14, which has
/// no such detach.
fn detach_revision(p: &Project) -> Option<String> {
    let major = pg::server().major();
    if major < 14 {
        eprintln!("skipped: PostgreSQL {major} has no DETACH ... CONCURRENTLY");
        return None;
    }
    let id = p.with_revision("ALTER TABLE r DETACH PARTITION r1 CONCURRENTLY;\nCREATE TABLE after_detach (id int);");
    p.sql("CREATE TABLE r (k int NOT NULL) PARTITION BY RANGE (k);\nCREATE TABLE r1 PARTITION OF r FOR VALUES FROM (0) TO (10);\nINSERT INTO r VALUES (1);");
    p.ok(&["rehash"]);
    Some(id)
}

/// Whether `r1` is a partition of `r`, and whether its detach
/// is pending, as `attached|pending` (`true|true`).
fn detach_state(p: &Project) -> String {
    p.value("SELECT (count(*) > 0)::text || '|' || coalesce(bool_or(inhdetachpending), false)::text FROM pg_inherits WHERE inhrelid = 'r1'::regclass")
}

/// Runs `run` (which detaches `r1`) while another session reads `r` in an
/// open transaction, so that the detach commits its first transaction and
/// then waits; the detaching backend is terminated there, which leaves
/// `r1` "detach pending", as a cancelled or timed-out run does.
fn cut_off_in_the_detach(p: &Project, run: impl FnOnce() -> Child) {
    let psql = pg::server().program("psql");
    let mut reader = Command::new(psql)
        .args([
            "-X",
            "-q",
            "-d",
            &p.url,
            "-c",
            "BEGIN",
            "-c",
            "SELECT count(*) FROM r",
            "-c",
            "SELECT pg_sleep(60)",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("psql");
    let reading = p.wait_for_query("SELECT pg_sleep(60)");
    let child = run();
    let pid = p.wait_for_query("ALTER TABLE r DETACH PARTITION r1 CONCURRENTLY%");
    let started = Instant::now();
    while detach_state(p) != "true|true" {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the detach never got to wait"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    p.value(&format!("SELECT pg_terminate_backend({pid})"));
    let output = child.wait_with_output().expect("the cut-off run");
    assert_ne!(output.status.code(), Some(0), "{}", text(&output));
    p.value(&format!("SELECT pg_terminate_backend({reading})"));
    let _ = reader.wait();
    assert_eq!(detach_state(p), "true|true", "the detach is left pending");
}

/// A concurrent detach cut off between its two transactions leaves the
/// partition "detach pending", which PostgreSQL will not detach again:
/// the next run finishes it (DETACH ... FINALIZE) and goes on.
#[test]
fn a_detach_cut_off_half_way_is_finished_on_the_next_run() {
    let p = Project::new();
    let Some(id) = detach_revision(&p) else { return };
    cut_off_in_the_detach(&p, || p.spawn(&["upgrade"]));
    // Stopped in its first statement, the revision has nothing recorded;
    // the detach's first transaction is committed all the same.
    assert_eq!(p.applied(), ["20261125120000_aaaaaa:applied"]);
    let output = p.run(&["upgrade"]);
    let said = text(&output);
    assert_eq!(output.status.code(), Some(0), "{said}");
    assert!(said.contains("finishing the detach of r1 from r"), "{said}");
    assert_eq!(detach_state(&p), "false|false");
    assert_eq!(p.value("SELECT count(*) FROM r1"), "1", "the row stays with the table");
    assert_eq!(p.value("SELECT to_regclass('after_detach') IS NOT NULL"), "t");
    assert_eq!(
        p.applied(),
        ["20261125120000_aaaaaa:applied", format!("{id}:applied").as_str()]
    );
}

/// The same through the psql script: run again after the cut-off, it
/// finishes the pending detach; run once more, it does nothing.
#[test]
fn the_psql_script_finishes_a_detach_left_pending() {
    let p = Project::new();
    let Some(id) = detach_revision(&p) else { return };
    let script = p.ok(&["upgrade", "--sql"]);
    let path = p.dir.join("upgrade.sql");
    std::fs::write(&path, &script).expect("script");
    let psql = pg::server().program("psql");
    cut_off_in_the_detach(&p, || {
        Command::new(&psql)
            .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", &p.url, "-f"])
            .arg(&path)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("psql")
    });
    p.sql(&script);
    assert_eq!(detach_state(&p), "false|false");
    assert_eq!(p.value("SELECT to_regclass('after_detach') IS NOT NULL"), "t");
    assert_eq!(
        p.applied(),
        ["20261125120000_aaaaaa:applied", format!("{id}:applied").as_str()]
    );
    p.sql(&script);
    assert_eq!(detach_state(&p), "false|false");
}
