//! Forms a PostgreSQL version lacks are refused before any SQL: offline by
//! `postgres = N` in trellis.toml (`check`, `revision`, `diff` of two
//! sources), and against a database by its own version (`diff`,
//! `upgrade`), through the real `trellisc` binary and Debian's
//! PostgreSQL 15. (That each version's servers run what they have is the
//! diff cases' work on every version, tests/reflect.rs.)

mod support;

use support::pg;
use support::project::{Project, text};

const UNIQUE_NULLS: &str = "\
table accounts {
  id    bigint primary key
  email text

  constraint accounts_email unique nulls not distinct (email)
}
";

const VIRTUAL: &str = "\
table people {
  id    bigint primary key
  name  text not null
  lower text generated always as (lower(name)) virtual
}
";

const UUIDV7: &str = "\
table events {
  id uuid primary key default uuidv7()
}
";

fn with_target(p: &Project, major: u32) {
    let toml = trellisc::project::TEMPLATE.replace("# postgres = 15", &format!("postgres = {major}"));
    assert!(toml.contains(&format!("\npostgres = {major}\n")), "{toml}");
    p.write("trellis.toml", &toml);
}

#[test]
fn postgres_in_trellis_toml_refuses_what_that_version_lacks_offline() {
    let p = Project::new();
    with_target(&p, 14);
    p.write("schema/app.trellis", UNIQUE_NULLS);

    let out = p.fails(&["check", "--color", "never", "schema"], 1);
    assert!(out.contains("error[E0305]"), "{out}");
    assert!(
        out.contains("constraint `accounts_email` of `accounts`: nulls not distinct needs PostgreSQL 15; trellis.toml targets PostgreSQL 14 (`postgres = 14`)"),
        "{out}"
    );
    assert!(out.contains("schema/app.trellis:5:"), "the place is named: {out}");
    assert!(
        out.contains("raise `postgres` in trellis.toml to 15"),
        "the fix is named: {out}"
    );

    let refused = p.revision("20261203120000_aaaaaa", &["-m", "base"]);
    let out = text(&refused);
    assert_eq!(refused.status.code(), Some(1), "{out}");
    assert!(out.contains("needs PostgreSQL 15"), "{out}");
    let written = std::fs::read_dir(p.dir.join("versions"))
        .expect("versions")
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "sql"))
        })
        .count();
    assert_eq!(written, 0, "no revision written: {out}");

    let out = p.fails(&["diff", "--color", "never", "--from", "empty", "--to", "schema"], 1);
    assert!(out.contains("needs PostgreSQL 15"), "{out}");
    assert!(out.contains("--- stdout ---\n--- stderr ---"), "no SQL: {out}");

    // A trellis.toml that cannot be read is named, not passed over.
    p.write("trellis.toml", "postgres = 15\npostgres = 15\n");
    let out = p.fails(&["check", "schema"], 1);
    assert!(out.contains("trellis.toml:2:1: duplicate key"), "{out}");

    // Version 15 has it.
    with_target(&p, 15);
    p.ok(&["check", "schema"]);
    p.revision_ok("20261203120000_aaaaaa", &["-m", "base"]);
}

#[test]
fn a_version_trellisc_does_not_know_is_refused_in_trellis_toml() {
    let p = Project::new();
    with_target(&p, 12);
    p.write("schema/app.trellis", UUIDV7);
    let out = p.fails(&["revision", "-m", "base"], 1);
    assert!(
        out.contains("postgres = 12 is not a PostgreSQL major version trellisc supports; write one of 13 to 18"),
        "{out}"
    );
}

#[test]
fn diff_against_an_older_server_refuses_before_any_sql() {
    let server = pg::server();
    if server.major() >= 18 {
        eprintln!("skipped: PostgreSQL {} has every form", server.major());
        return;
    }
    let p = Project::new();
    for (schema, says) in [
        (
            VIRTUAL,
            "column `people.lower`: a virtual generated column needs PostgreSQL 18",
        ),
        (UUIDV7, "column `events.id`: uuidv7() needs PostgreSQL 18"),
    ] {
        p.write("schema/app.trellis", schema);
        let out = p.fails(&["diff", "--color", "never", "--from", &p.url, "--to", "schema"], 1);
        assert!(
            out.contains(&format!("{says}; the database is PostgreSQL {}", server.major())),
            "{out}"
        );
        assert!(out.contains("schema/app.trellis:"), "the place is named: {out}");
        assert!(
            out.contains("upgrade the server to PostgreSQL 18"),
            "the fix is named: {out}"
        );
        assert!(out.contains("--- stdout ---\n--- stderr ---"), "no SQL: {out}");
        // The other way, from the source to the database, too.
        let out = p.fails(&["diff", "--color", "never", "--from", "schema", "--to", &p.url], 1);
        assert!(out.contains(says), "{out}");
    }
}

#[test]
fn upgrade_refuses_a_revision_the_server_cannot_take_before_running_any() {
    let server = pg::server();
    if server.major() >= 18 {
        eprintln!("skipped: PostgreSQL {} has every form", server.major());
        return;
    }
    let p = Project::new();
    p.write(
        "schema/app.trellis",
        UUIDV7.replace("uuidv7()", "gen_random_uuid()").as_str(),
    );
    p.revision_ok("20261203120000_aaaaaa", &["-m", "events"]);
    p.write(
        "schema/app.trellis",
        &format!("{}{VIRTUAL}", UUIDV7.replace("uuidv7()", "gen_random_uuid()")),
    );
    p.revision_ok("20261203120100_bbbbbb", &["-m", "people"]);
    p.write("schema/app.trellis", &format!("{UUIDV7}{VIRTUAL}"));
    p.revision_ok("20261203120200_cccccc", &["-m", "uuidv7"]);

    let out = p.fails(&["upgrade"], 1);
    assert!(
        out.contains(&format!(
            "is PostgreSQL {}, which lacks what these revisions use; nothing was run",
            server.major()
        )),
        "{out}"
    );
    assert!(
        out.contains(
            "revision 20261203120100_bbbbbb: column `people.lower`: a virtual generated column needs PostgreSQL 18"
        ),
        "{out}"
    );
    assert!(
        out.contains("revision 20261203120200_cccccc: column `events.id`: uuidv7() needs PostgreSQL 18"),
        "{out}"
    );
    assert_eq!(out.matches("people.lower").count(), 1, "each use named once: {out}");
    assert!(p.applied().is_empty(), "nothing applied: {out}");

    // The revision before them runs.
    p.ok(&["upgrade", "20261203120000_aaaaaa"]);
    assert_eq!(p.applied(), ["20261203120000_aaaaaa:applied"]);
}
