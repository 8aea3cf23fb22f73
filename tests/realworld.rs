//! Public schemas from `../shared/realworld/` round-trip whole: loaded into
//! a database A, imported, applied by trellisc to an empty database B:
//! `pg_dump --schema-only` of A and B are the same, every `trellisc diff`
//! among A, B and the imported source is empty, `check` finds no error, and the
//! only objects named as not managed are of the kinds the language leaves
//! out on purpose. A schema whose extensions the server lacks (Debian's
//! `postgresql-15-postgis-3` and `postgresql-15-partman`) is skipped, named.
//!
//! Owners are not part of the language (every object trellisc makes
//! belongs to the role it connects as), so Pagila's `ALTER SCHEMA public
//! OWNER TO postgres` (PostgreSQL 15 gives `public` to pg_database_owner)
//! is made by hand in B, as the kinds left out on purpose are.
//!
//! MusicBrainz has checks and a view that PostgreSQL prints in words it
//! reads back as something else (`x = ANY ((ARRAY[...])::text[])` would
//! become `ARRAY[(...)::text, ...]`, a branch's unnamed `NULL::integer`
//! would be named `int4`): trellisc writes them so that they do not, and
//! the dumps are the same.

mod common;
mod support;

use std::process::Command;

use support::pg;

/// The kinds the language leaves out on purpose (LANGUAGE.md, "The whole
/// schema"): named, never dropped.
const LEFT_OUT: &[&str] = &[
    "rule ",
    "event trigger ",
    "publication ",
    "foreign table ",
    "operator ",
    "operator family ",
    "text search configuration ",
    "text search dictionary ",
];

fn trellisc(args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_trellisc"))
        .args(["--color", "never"])
        .args(args)
        .output()
        .expect("run trellisc");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// `pg_dump --schema-only` without what differs on every run, and without
/// the `public` schema's own comment (PostgreSQL gives it one; trellisc
/// does not manage it).
fn dump(server: &pg::Server, url: &str) -> String {
    let dump = server.schema_dump(url).unwrap_or_else(|e| panic!("{e}"));
    dump.lines()
        .filter(|l| !l.starts_with("COMMENT ON SCHEMA public IS"))
        .map(|l| format!("{l}\n"))
        .collect()
}

/// The statements of `sql` that make objects of a kind left out on
/// purpose (text search configurations and dictionaries) or give the
/// `public` schema its owner, which database B
/// needs made by hand before the plan uses them, after the schemas and
/// extensions they live in and use (which the plan then finds there), each
/// under the search path `sql` sets before it.
fn by_hand(sql: &str) -> String {
    let mut out = String::new();
    let mut taking = false;
    let mut search_path = "";
    for line in sql.lines() {
        if line.starts_with("CREATE SCHEMA ")
            || line.starts_with("CREATE EXTENSION ")
            || line.starts_with("ALTER SCHEMA public OWNER TO ")
        {
            out.push_str(line);
            out.push('\n');
        }
        if line.starts_with("SET search_path") {
            search_path = line;
        }
        if line.starts_with("CREATE TEXT SEARCH") || line.starts_with("ALTER TEXT SEARCH") {
            taking = true;
            out.push_str(search_path);
            out.push('\n');
        }
        if taking {
            out.push_str(line);
            out.push('\n');
            if line.trim_end().ends_with(';') {
                taking = false;
            }
        }
    }
    out
}

/// The extensions `CREATE EXTENSION` statements of `sql` name.
fn extensions(sql: &str) -> Vec<String> {
    sql.lines()
        .filter_map(|line| {
            let rest = line.trim_start().strip_prefix("CREATE EXTENSION ")?;
            let rest = rest.strip_prefix("IF NOT EXISTS ").unwrap_or(rest);
            let name = rest.split([' ', ';']).next()?;
            Some(name.trim_matches('"').to_string())
        })
        .collect()
}

fn round_trip(name: &str) -> Vec<String> {
    let server = pg::server();
    let path = common::root().join("../shared/realworld").join(name).join("schema.sql");
    let Ok(sql) = std::fs::read_to_string(&path) else {
        eprintln!("{name}: skipped: {} is not there", path.display());
        return Vec::new();
    };
    let missing: Vec<String> = extensions(&sql)
        .into_iter()
        .filter(|e| !server.has_extension(e, None))
        .collect();
    if !missing.is_empty() {
        eprintln!(
            "{name}: skipped: the server lacks the extension(s) {} (Debian: postgresql-15-postgis-3, postgresql-15-partman)",
            missing.join(", ")
        );
        return Vec::new();
    }
    let mut failures = Vec::new();
    let a = server.database();
    server
        .psql(&a, &sql)
        .unwrap_or_else(|e| panic!("{name}: load schema.sql: {e}"));

    let (code, source, warned) = trellisc(&["import", "--db", &a]);
    assert_eq!(code, 0, "{name}: import: {warned}");
    for line in warned.lines().filter(|l| l.contains("is not managed by trellisc")) {
        let named = line.rsplit_once(": ").map_or(line, |(_, rest)| rest);
        if !LEFT_OUT.iter().any(|kind| named.starts_with(kind)) {
            failures.push(format!("{name}: import names what the language should hold: {line}"));
        }
    }
    let dir = std::env::temp_dir().join(format!("trellis-realworld-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    std::fs::write(dir.join("schema.trellis"), &source).expect("write the import");
    let dir_arg = dir.to_str().expect("utf-8 path");

    // No error; a warning about the schema itself (OSM's integer columns
    // referencing bigint keys, W0003) is the schema's, and stays.
    let (code, _, said) = trellisc(&["check", dir_arg]);
    if code != 0 || said.contains("error[") {
        failures.push(format!("{name}: check of the import is not clean:\n{said}"));
    }

    let b = server.database();
    server
        .psql(&b, &by_hand(&sql))
        .unwrap_or_else(|e| panic!("{name}: the objects made by hand: {e}"));
    let (code, plan, said) = trellisc(&["diff", "--from", &b, "--to", dir_arg]);
    assert_eq!(code, 2, "{name}: diff to the empty database: {said}");
    if let Err(e) = server.psql(&b, &plan) {
        failures.push(format!("{name}: the plan does not apply: {e}"));
        return failures;
    }
    let (before, after) = (dump(server, &a), dump(server, &b));
    if before != after {
        let diff = similar::TextDiff::from_lines(&before, &after);
        let changed: Vec<String> = diff
            .iter_all_changes()
            .filter(|c| c.tag() != similar::ChangeTag::Equal)
            .take(40)
            .map(|c| format!("{}{}", c.tag(), c.value()))
            .collect();
        failures.push(format!("{name}: pg_dump of A and B differ:\n{}", changed.join("")));
    }
    for (from, to) in [
        (&a, &b),
        (&b, &a),
        (&a, &dir_arg.to_string()),
        (&b, &dir_arg.to_string()),
    ] {
        let (code, out, said) = trellisc(&["diff", "--from", from, "--to", to]);
        if code != 0 {
            let first: Vec<&str> = out.lines().filter(|l| l.starts_with("-- step")).take(10).collect();
            failures.push(format!(
                "{name}: diff is not empty ({code}):\n{}\n{said}",
                first.join("\n")
            ));
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    server.drop_database(&a);
    server.drop_database(&b);
    failures
}

#[test]
fn real_schemas_round_trip_whole() {
    // `TRELLIS_TEST_CASES=pagila,lago` keeps only those (CI sets nothing).
    let only = std::env::var("TRELLIS_TEST_CASES").unwrap_or_default();
    let only: Vec<&str> = only.split(',').filter(|p| !p.is_empty()).collect();
    let failures: Vec<String> = ["gisia", "lago", "musicbrainz", "osm", "pagila", "synapse"]
        .iter()
        .filter(|name| only.is_empty() || only.iter().any(|p| name.starts_with(p)))
        .flat_map(|name| round_trip(name))
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
