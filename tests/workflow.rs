//! The team's daily workflow beyond the basics (issue 22): JSON output of
//! every revision command (shapes kept as snapshots), Alembic's targets
//! (`HEAD`, `heads`, `+N`, prefixes of hashes and slugs), `history -v`,
//! `heads`, `show`, a database ahead of the checkout, `drift` with values,
//! SQL and a revision, destructive downgrades, and diagnostics of `rev:`
//! sides. Everything runs the real binary against the real server.

mod common;
mod support;

use serde_json::Value;
use support::pg;
use support::project::{Project, text};

const FIRST: &str = "\
table users {
  id    bigint generated always as identity primary key
  email text not null
}
";

const SECOND: &str = "\
table users {
  id    bigint generated always as identity primary key
  email text not null
  score integer not null default 0
}
";

/// Replaces what differs from run to run (the test database's name and
/// port, times) so that a JSON shape can be kept as a snapshot.
fn redact(value: &mut Value, p: &Project) {
    let database = p.url.rsplit('/').next().unwrap_or_default().to_string();
    match value {
        Value::Object(map) => {
            for (key, value) in map.iter_mut() {
                if matches!(key.as_str(), "applied_at" | "at" | "database") && value.is_string() {
                    *value = Value::String(format!("[{key}]"));
                } else {
                    redact(value, p);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| redact(v, p)),
        Value::String(text) if text.contains(&database) => *text = text.replace(&database, "[database]"),
        _ => {}
    }
}

/// Runs a command with `--format json` and returns its document, checking
/// the exit status.
fn json(p: &Project, args: &[&str], code: i32) -> Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let output = p.run(&all);
    assert_eq!(output.status.code(), Some(code), "{args:?}\n{}", text(&output));
    let mut document: Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{args:?}: not JSON ({e})\n{}", text(&output)));
    assert_eq!(document["version"], 1, "{document}");
    redact(&mut document, p);
    document
}

fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).expect("JSON")
}

#[test]
fn json_shapes_targets_and_history() {
    let p = Project::new();
    p.write("schema/app.trellis", FIRST);
    p.revision_ok("20261125120000_aaaaaa", &["-m", "Änderung: Benutzer 用户"]);
    p.write("schema/app.trellis", SECOND);
    p.revision_ok("20261125120100_bbbbbb", &["-m", "Add score"]);
    // A slug keeps letters of any script.
    let first = p.revision_file("20261125120000_aaaaaa");
    assert!(
        first.ends_with("20261125120000_aaaaaa_änderung_benutzer_用户.sql"),
        "{first:?}"
    );

    // check: the diagnostics and counts as JSON.
    insta::assert_snapshot!("check_json", pretty(&json(&p, &["check"], 0)));
    p.write("schema/broken.trellis", "table broken {\n  x nosuchtype\n}\n");
    insta::assert_snapshot!("check_json_errors", pretty(&json(&p, &["check"], 1)));
    std::fs::remove_file(p.dir.join("schema/broken.trellis")).expect("remove");

    // A revision named by the start of its hash or its slug, in any case.
    for name in ["aaaa", "AAAAAA", "änderung", "Änderung_ben"] {
        let shown = p.ok(&["show", name]);
        assert!(shown.starts_with("revision 20261125120000_aaaaaa\n"), "{name}: {shown}");
    }
    let said = p.fails(&["show", "2026112512"], 1);
    assert!(said.contains("is the start of 2 revision ids"), "{said}");
    let said = p.fails(&["show", "nosuch"], 1);
    assert!(said.contains("no id, hash or slug starts so"), "{said}");
    let shown = p.ok(&["show", "add"]);
    assert!(shown.contains("parents   20261125120000_aaaaaa"), "{shown}");
    assert!(shown.contains("ADD COLUMN score integer DEFAULT 0 NOT NULL"), "{shown}");
    insta::assert_snapshot!("show_json", pretty(&json(&p, &["show", "bbbb"], 0)));
    insta::assert_snapshot!("heads_json", pretty(&json(&p, &["heads"], 0)));
    assert_eq!(
        p.ok(&["heads"]),
        "20261125120100_bbbbbb  Add score (2026-11-25T12:00:00Z)\n"
    );

    // Offline scripts: +N counts from --from, -N is downgrade's.
    let script = json(&p, &["upgrade", "+1", "--sql"], 0);
    assert_eq!(script["to"], serde_json::json!(["20261125120000_aaaaaa"]));
    let script = p.ok(&["upgrade", "+1", "--sql", "--from", "aaaa"]);
    assert!(
        script.contains("trellisc upgrade from 20261125120000_aaaaaa to 20261125120100_bbbbbb (1 revision(s))"),
        "{script}"
    );
    let said = p.fails(&["upgrade", "-1"], 1);
    assert!(said.contains("`trellisc downgrade -1` undoes revisions"), "{said}");
    let said = p.fails(&["downgrade", "+1"], 1);
    assert!(said.contains("`trellisc upgrade +1` applies revisions"), "{said}");

    // Online: +1, then the rest; current and history as JSON at each.
    let upgraded = json(&p, &["upgrade", "+1"], 0);
    insta::assert_snapshot!("upgrade_json", pretty(&upgraded));
    insta::assert_snapshot!("current_json_behind", pretty(&json(&p, &["current"], 0)));
    let said = p.fails(&["upgrade", "+2"], 1);
    assert!(said.contains("+2: only 1 revision(s) are left"), "{said}");
    p.ok(&["upgrade", "heads"]);
    insta::assert_snapshot!("history_json", pretty(&json(&p, &["history"], 0)));
    let verbose = p.ok(&["history", "-v"]);
    for line in [
        "* 20261125120100_bbbbbb  Add score (head)",
        "      created  2026-11-25T12:00:00Z",
        "      parents  20261125120000_aaaaaa",
        "      parents  none (the first revision)",
        " by postgres",
    ] {
        assert!(verbose.contains(line), "{line:?} in:\n{verbose}");
    }

    // Errors are JSON documents too.
    let failed = json(&p, &["show", "nosuch"], 1);
    assert!(
        failed["error"].as_str().is_some_and(|e| e.contains("no revision")),
        "{failed}"
    );

    // The database is at a revision this checkout lacks (a newer branch):
    // history and current say so instead of failing.
    let second = p.revision_file("20261125120100_bbbbbb");
    std::fs::remove_file(&second).expect("remove");
    std::fs::remove_file(second.with_extension("trellis")).expect("remove");
    p.ok(&["rehash"]);
    let history = p.ok(&["history"]);
    assert!(
        history.contains("has revision 20261125120100_bbbbbb  Add score (applied ")
            && history.contains("which this checkout does not have"),
        "{history}"
    );
    let current = json(&p, &["current"], 0);
    assert_eq!(current["unknown"][0]["id"], "20261125120100_bbbbbb", "{current}");
    assert!(p.ok(&["current"]).contains("which this checkout does not have"));
}

#[test]
fn drift_shows_values_prints_sql_and_writes_a_revision() {
    let p = Project::new();
    p.write("schema/app.trellis", SECOND);
    p.revision_ok("20261125120000_aaaaaa", &["-m", "Base"]);
    p.ok(&["upgrade"]);
    insta::assert_snapshot!("drift_json_none", pretty(&json(&p, &["drift"], 0)));
    pg::server()
        .psql(
            &p.url,
            "ALTER TABLE users ALTER COLUMN email TYPE varchar(200); ALTER TABLE users ALTER COLUMN score SET DEFAULT 5;",
        )
        .expect("drift by hand");

    // The values on both sides.
    let said = p.fails(&["drift"], 2);
    for line in [
        "-  email text not null",
        "+  email varchar(200) not null",
        "-  score integer not null default 0",
        "+  score integer not null default 5",
    ] {
        assert!(said.contains(line), "{line:?} in:\n{said}");
    }
    insta::assert_snapshot!("drift_json", pretty(&json(&p, &["drift"], 2)));

    // --sql: what brings it back, which indeed does.
    let output = p.run(&["drift", "--sql"]);
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
    let sql = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(sql.contains("ALTER COLUMN email TYPE text"), "{sql}");
    let copy = pg::server().database();
    pg::server().psql(&copy, "CREATE TABLE users (id bigint generated always as identity primary key, email varchar(200) not null, score integer not null default 5);").expect("copy");
    pg::server().psql(&copy, &sql).expect("the drift SQL runs");

    // --revision: a revision that keeps what the database has.
    let written = p
        .command(&["drift", "--revision", "-m", "Keep the wider email"])
        .env("TRELLIS_REVISION_ID", "20261125120100_bbbbbb")
        .env("TRELLIS_REVISION_TIME", "2026-11-25T12:01:00Z")
        .output()
        .expect("run");
    let said = text(&written);
    assert_eq!(written.status.code(), Some(0), "{said}");
    assert!(said.contains("trellisc stamp 20261125120100_bbbbbb"), "{said}");
    let revision = p.read(&p.revision_file("20261125120100_bbbbbb"));
    assert!(revision.contains("-- parent: 20261125120000_aaaaaa"), "{revision}");
    assert!(revision.contains("character varying(200)"), "{revision}");
    p.ok(&["stamp", "head"]);
    assert!(p.ok(&["drift"]).starts_with("no drift"));
    // Another database upgraded through the history ends up the same.
    let other = pg::server().database();
    p.ok(&["upgrade", "--db", &other]);
    assert!(p.ok(&["drift", "--db", &other]).starts_with("no drift"));
}

#[test]
fn destructive_downgrades_are_refused_with_row_counts() {
    let p = Project::new();
    p.write("schema/app.trellis", FIRST);
    p.revision_ok("20261125120000_aaaaaa", &["-m", "Users"]);
    p.write(
        "schema/app.trellis",
        &format!("{SECOND}\ntable \"odd \"\"name\"\" ;x\" {{\n  id bigint primary key\n}}\n"),
    );
    p.revision_ok("20261125120100_bbbbbb", &["-m", "Score and odd"]);
    p.ok(&["upgrade"]);
    // Nothing is lost while the tables are empty: no flag needed.
    p.ok(&["downgrade", "-1"]);
    p.ok(&["upgrade"]);
    pg::server()
        .psql(
            &p.url,
            "INSERT INTO users (email) VALUES ('a'), ('b'); INSERT INTO \"odd \"\"name\"\" ;x\" VALUES (1);",
        )
        .expect("rows");
    let said = p.fails(&["downgrade", "base"], 1);
    for line in [
        "nothing was run",
        "revision 20261125120100_bbbbbb: drops column users.score and its values (users holds 2 rows)",
        "(\"odd \"\"name\"\" ;x\" holds 1 row)",
        "revision 20261125120000_aaaaaa: drops table users and all its rows (users holds 2 rows)",
        "--allow-destructive",
    ] {
        assert!(said.contains(line), "{line:?} in:\n{said}");
    }
    assert_eq!(p.applied().len(), 2, "nothing was undone");
    let refused = json(&p, &["downgrade", "-1"], 1);
    assert!(
        refused["error"]
            .as_str()
            .is_some_and(|e| e.contains("users holds 2 rows")),
        "{refused}"
    );
    let undone = json(&p, &["downgrade", "-1", "--allow-destructive"], 0);
    insta::assert_snapshot!("downgrade_json", pretty(&undone));
    assert_eq!(p.applied(), ["20261125120000_aaaaaa:applied"]);
}

#[test]
fn a_revision_side_shows_its_diagnostics_and_help_describes_db() {
    let p = Project::new();
    p.write("schema/app.trellis", FIRST);
    p.revision_ok("20261125120000_aaaaaa", &["-m", "Users"]);
    // Dropping what the snapshot declares points into the snapshot.
    let said = p.fails(&["diff", "--from", "rev:head", "--to", "empty"], 1);
    assert!(!said.contains("cannot print diagnostics"), "{said}");
    assert!(said.contains("drops table users and all its rows"), "{said}");
    assert!(said.contains("20261125120000_aaaaaa_users.trellis:"), "{said}");
    // And the source side's file is not confused with the snapshot's.
    p.write("schema/app.trellis", "table other {\n  id bigint primary key\n}\n");
    let said = p.fails(&["diff", "--from", "rev:head", "--to", "schema"], 1);
    assert!(said.contains("20261125120000_aaaaaa_users.trellis:"), "{said}");
    assert!(
        said.contains("│ table users {"),
        "the snapshot's line, not the schema's:\n{said}"
    );

    for command in ["current", "history", "stamp", "drift", "upgrade", "downgrade"] {
        let help = p.ok(&[command, "--help"]);
        let db = help
            .split("--db <URL>")
            .nth(1)
            .unwrap_or_else(|| panic!("{command} has --db:\n{help}"));
        assert!(
            db.trim_start().starts_with("The database"),
            "{command} --help describes --db:\n{help}"
        );
    }
}

#[test]
fn a_revisions_notices_are_shown() {
    let p = Project::new();
    p.write("schema/app.trellis", FIRST);
    p.revision_ok("20261125120000_aaaaaa", &["-m", "Users"]);
    p.revision_ok("20261125120100_bbbbbb", &["--empty", "-m", "Count users"]);
    let file = p.revision_file("20261125120100_bbbbbb");
    let edited = p.read(&file).replace(
        "-- Write the upgrade statements here.\n",
        "DO $$ BEGIN RAISE NOTICE 'users: %', (SELECT count(*) FROM users); END $$;\n",
    );
    std::fs::write(&file, edited).expect("edit");
    p.ok(&["rehash"]);
    let output = p.run(&["upgrade"]);
    let said = text(&output);
    assert_eq!(output.status.code(), Some(0), "{said}");
    // In order, between the revision's own progress lines.
    let notice = said
        .find("NOTICE: users: 0")
        .unwrap_or_else(|| panic!("no notice:\n{said}"));
    let started = said.find("upgrading 20261125120100_bbbbbb").expect("progress");
    assert!(started < notice, "{said}");
    // Only the revision's: the bookkeeping says nothing.
    assert_eq!(said.matches("NOTICE").count(), 1, "{said}");
}

#[test]
fn risky_steps_say_how_big_their_table_is() {
    let p = Project::new();
    p.write("schema/app.trellis", FIRST);
    p.revision_ok("20261125120000_aaaaaa", &["-m", "Users"]);
    p.ok(&["upgrade"]);
    pg::server()
        .psql(
            &p.url,
            "INSERT INTO users (email) SELECT 'u' || g FROM generate_series(1, 1000) g; ANALYZE users;",
        )
        .expect("rows");
    p.write(
        "schema/app.trellis",
        "table users {\n  id    bigint generated always as identity primary key\n  email text not null\n  note  text\n\n  index users_email (email)\n}\n",
    );
    // The SQL: the index build holds SHARE for as long as the table takes;
    // adding a nullable column says nothing (it is instant and not risky).
    let sql = differs(&p, &["diff", "--from", &p.url, "--to", "schema"]);
    let impact = "-- IMPACT: users: about 1,000 rows, ";
    assert_eq!(sql.matches("-- IMPACT").count(), 1, "{sql}");
    let line = sql
        .lines()
        .find(|l| l.starts_with(impact))
        .unwrap_or_else(|| panic!("no impact line:\n{sql}"));
    assert!(
        line.ends_with("; SHARE (blocks writes) for a time proportional to the table"),
        "{line}"
    );
    // Online: the build goes on while writes do.
    let summary = differs(
        &p,
        &[
            "diff", "--from", &p.url, "--to", "schema", "--online", "--format", "summary",
        ],
    );
    assert!(
        summary.contains("SHARE UPDATE EXCLUSIVE (reads and writes go on) while it reads the whole table"),
        "{summary}"
    );
    // JSON: the figures themselves.
    let document: Value = serde_json::from_str(&differs(
        &p,
        &["diff", "--from", &p.url, "--to", "schema", "--format", "json"],
    ))
    .expect("JSON");
    let step = document["upgrade"]
        .as_array()
        .and_then(|steps| steps.iter().find(|s| s.get("impact").is_some()))
        .unwrap_or_else(|| panic!("no impact in {document}"));
    assert_eq!(step["impact"]["rows"], 1000, "{step}");
    assert_eq!(step["impact"]["lock"], "SHARE", "{step}");
    assert_eq!(step["impact"]["duration"], "proportional", "{step}");
    assert!(step["impact"]["bytes"].as_u64().is_some_and(|b| b > 8192), "{step}");
    // Offline there are no sizes to say.
    let offline = differs(&p, &["diff", "--from", "rev:head", "--to", "schema"]);
    assert!(!offline.contains("IMPACT"), "{offline}");
    // A revision written with the sizes of a database says them too.
    p.revision_ok("20261125120100_bbbbbb", &["-m", "Index emails", "--sizes-from", &p.url]);
    let revision = p.read(&p.revision_file("20261125120100_bbbbbb"));
    assert!(revision.contains(impact), "{revision}");
}

/// Standard output of a `diff` that finds differences (exit status 2).
fn differs(p: &Project, args: &[&str]) -> String {
    let output = p.run(args);
    assert_eq!(output.status.code(), Some(2), "{args:?}\n{}", text(&output));
    String::from_utf8_lossy(&output.stdout).into_owned()
}
