//! The rewrite and data-loss findings against what PostgreSQL does: each
//! type change and each shape of new column below is applied by trellisc's
//! own plan to a table with rows on a real server. A rewrite is a new
//! `pg_class.relfilenode`; data is lost when the change fails or a value
//! does not come back the same when cast to its old type.

mod common;
mod support;

use support::pg;
use trellisc::ir::Schema;
use trellisc::plan::{self, Finding, FindingKind, PlanOptions};
use trellisc::render::render_plan;

/// Sessions the changes run in: UTC, where `timestamp` and `timestamptz`
/// store the same, and a zone with daylight saving time.
const TIME_ZONES: [&str; 2] = ["UTC", "America/New_York"];

/// (old type, new type, values of the old type, the largest it holds among
/// them).
const TYPE_CHANGES: &[(&str, &str, &str)] = &[
    ("varchar(3)", "varchar(5)", "'abc', 'a'"),
    ("varchar(5)", "varchar(3)", "'abcde', 'a'"),
    ("varchar(3)", "varchar", "'abc'"),
    ("varchar(3)", "text", "'abc'"),
    ("varchar", "text", "'abc'"),
    ("text", "varchar", "'abc'"),
    ("text", "varchar(5)", "'abcdefgh'"),
    ("char(3)", "varchar(3)", "'ab', 'abc'"),
    ("char(3)", "varchar(5)", "'ab', 'abc'"),
    ("char(3)", "varchar", "'ab', 'abc'"),
    ("char(3)", "text", "'ab', 'abc'"),
    ("char(5)", "varchar(3)", "'abcde'"),
    ("char(3)", "char(5)", "'abc'"),
    ("char(5)", "char(3)", "'abcde'"),
    ("varchar(3)", "char(3)", "'ab '"),
    ("text", "char(3)", "'abcd'"),
    ("numeric(12,2)", "numeric(14,2)", "9999999999.99, -1.5"),
    ("numeric(12,2)", "numeric", "9999999999.99"),
    ("numeric(12)", "numeric(14)", "999999999999"),
    ("numeric(12,2)", "numeric(14,3)", "9999999999.99"),
    ("numeric(12,2)", "numeric(12,3)", "9999999999.99"),
    ("numeric(14,2)", "numeric(12,2)", "999999999999.99"),
    ("numeric", "numeric(12,2)", "1.555"),
    ("bit varying(3)", "bit varying(5)", "B'101'"),
    ("bit varying(5)", "bit varying(3)", "B'10101'"),
    ("bit varying(3)", "bit varying", "B'101'"),
    ("bit(3)", "bit varying", "B'101'"),
    ("bit(3)", "bit varying(3)", "B'101'"),
    ("bit(3)", "bit(5)", "B'101'"),
    // Local times that exist in both zones: a time that a change to
    // daylight saving time skips comes back an hour later.
    (
        "timestamp",
        "timestamptz",
        "'2024-11-03 12:30:00', '2024-06-01 08:00:00'",
    ),
    // Two instants that New York's clocks show as the same 01:30.
    (
        "timestamptz",
        "timestamp",
        "'2024-11-03 05:30:00+00', '2024-11-03 06:30:00+00'",
    ),
    ("timestamp(3)", "timestamp(6)", "'2024-01-01 00:00:00.123'"),
    ("timestamp(3)", "timestamp", "'2024-01-01 00:00:00.123'"),
    ("timestamp", "timestamp(3)", "'2024-01-01 00:00:00.123456'"),
    ("timestamptz(3)", "timestamptz", "'2024-01-01 00:00:00.123+00'"),
    ("time(3)", "time", "'12:00:00.123'"),
    ("timetz(3)", "timetz", "'12:00:00.123+02'"),
    ("interval(3)", "interval", "'1.123 seconds'"),
    ("interval", "interval(3)", "'1.123456 seconds'"),
    ("cidr", "inet", "'10.0.0.0/8'"),
    ("inet", "cidr", "'10.1.2.3/8'"),
    ("smallint", "integer", "32767"),
    ("integer", "bigint", "2147483647"),
    ("bigint", "integer", "9223372036854775807"),
    ("integer", "numeric", "2147483647"),
    ("real", "double precision", "1.1"),
    ("integer[]", "bigint[]", "'{1,2}'"),
    ("varchar(3)[]", "varchar(5)[]", "'{abc}'"),
    ("varchar(3)[]", "text[]", "'{abc}'"),
    ("text[]", "varchar(3)[]", "'{abcd}'"),
];

/// New columns added to a table with rows (`s` is a sequence, `positive`
/// and `plain` are domains with and without a check, `stable_one` and
/// `volatile_one` are functions the schema does not declare).
const NEW_COLUMNS: &[&str] = &[
    "c integer",
    "c integer not null default 0",
    "c timestamptz not null default now()",
    "c timestamptz default current_timestamp",
    "c text default 'x' || 'y'",
    "c date default current_date",
    "c bigint default txid_current()",
    "c uuid default gen_random_uuid()",
    "c uuid not null default gen_random_uuid()",
    "c timestamptz default clock_timestamp()",
    "c double precision default random()",
    "c integer default (random() * 0)::integer",
    "c text default timeofday()",
    "c bigint default nextval('s')",
    "c bigint generated always as identity",
    "c serial",
    "c integer generated always as (id * 2) stored",
    "c positive",
    "c positive default 1",
    "c plain default 1",
    "c integer default stable_one()",
    "c integer default volatile_one()",
];

const FUNCTIONS: &str = "CREATE FUNCTION stable_one() RETURNS integer LANGUAGE sql STABLE AS 'SELECT 1';\n\
     CREATE FUNCTION volatile_one() RETURNS integer LANGUAGE sql VOLATILE AS 'SELECT 1';\n";

fn schema(text: &str) -> Schema {
    let compiled = common::compile(&[("rewrites.trellis".to_string(), text.to_string())]);
    assert!(!compiled.has_errors(), "{text}: {:#?}", compiled.diagnostics);
    compiled.schema
}

/// What a plan's findings say about rewriting: Some(true) or Some(false)
/// for the session's time zone, None when they say it may.
fn says_rewrite(findings: &[Finding], time_zone: &str) -> Option<bool> {
    let messages: Vec<&str> = findings
        .iter()
        .filter(|f| matches!(f.kind, FindingKind::Risky | FindingKind::Destructive))
        .map(|f| f.message.as_str())
        .collect();
    if messages.iter().any(|m| m.contains("may be volatile")) {
        return None;
    }
    Some(messages.iter().any(|m| {
        m.contains("rewrites the table") && !(m.contains("unless the session's TimeZone is UTC") && time_zone == "UTC")
    }))
}

/// What applying a plan did.
struct Outcome {
    /// The upgrade stopped with an error.
    failed: bool,
    rewritten: bool,
    /// A value did not come back the same (or the upgrade failed).
    lost: bool,
}

/// Runs `old` → `new` with rows in the table `t`, comparing values as the
/// old type `compare_as`.
fn apply(
    server: &pg::Server,
    old: &Schema,
    new: &Schema,
    setup: &str,
    compare_as: Option<&str>,
    time_zone: &str,
) -> Outcome {
    let url = server.database();
    let session = format!("\\pset format unaligned\n\\pset tuples_only on\nSET timezone = '{time_zone}';\n");
    let create = render_plan(&plan::upgrade(&Schema::default(), old, PlanOptions::default()));
    let before = format!(
        "{session}{FUNCTIONS}{create}\n{setup}\nCREATE TABLE before AS SELECT * FROM t;\n\
         CREATE TABLE before_storage AS SELECT relfilenode FROM pg_class WHERE oid = 't'::regclass;\n"
    );
    server
        .psql(&url, &before)
        .unwrap_or_else(|e| panic!("setting up:\n{before}\n{e}"));
    let upgrade = render_plan(&plan::upgrade(old, new, PlanOptions::default()));
    let mut after = format!(
        "{session}{upgrade}\nSELECT 'rewritten=' || (relfilenode <> (SELECT relfilenode FROM before_storage)) FROM pg_class WHERE oid = 't'::regclass;\n"
    );
    if let Some(old_type) = compare_as {
        after.push_str(&format!(
            "SELECT 'lost=' || (count(*) > 0) FROM t JOIN before USING (id) WHERE t.c::{old_type} IS DISTINCT FROM before.c;\n"
        ));
    }
    match server.psql(&url, &after) {
        Ok(output) => {
            assert!(
                output.contains("rewritten=") && (compare_as.is_none() || output.contains("lost=")),
                "{after}\n{output}"
            );
            Outcome {
                failed: false,
                rewritten: output.contains("rewritten=true"),
                lost: output.contains("lost=true"),
            }
        }
        // A change that fails on the rows loses them the day it is forced.
        Err(_) => Outcome {
            failed: true,
            rewritten: false,
            lost: true,
        },
    }
}

#[test]
fn type_changes_rewrite_and_lose_data_exactly_when_the_findings_say() {
    let server = pg::server();
    let mut failures = Vec::new();
    for (from, to, values) in TYPE_CHANGES {
        let table = |ty: &str| format!("table t {{\n  id integer not null\n  c  {ty}\n}}\n");
        let (old, new) = (schema(&table(from)), schema(&table(to)));
        let plan = plan::upgrade(&old, &new, PlanOptions::default());
        let destructive = plan.findings.iter().any(|f| f.kind == FindingKind::Destructive);
        let rows: Vec<String> = values
            .split(", ")
            .enumerate()
            .map(|(i, v)| format!("({i}, {v})"))
            .collect();
        let setup = format!("INSERT INTO t (id, c) VALUES {};", rows.join(", "));
        let mut lost_anywhere = false;
        for time_zone in TIME_ZONES {
            let outcome = apply(server, &old, &new, &setup, Some(from), time_zone);
            lost_anywhere |= outcome.lost;
            let (said, rewritten) = (says_rewrite(&plan.findings, time_zone), outcome.rewritten);
            // A change that fails never gets as far as a new table.
            if !outcome.failed && said != Some(rewritten) {
                failures.push(format!(
                    "{from} -> {to} ({time_zone}): PostgreSQL {} the table, the findings say {said:?}: {:?}",
                    if rewritten { "rewrote" } else { "kept" },
                    plan.findings.iter().map(|f| &f.message).collect::<Vec<_>>()
                ));
            }
        }
        if lost_anywhere != destructive {
            failures.push(format!(
                "{from} -> {to}: values {} lost, the findings {} destructive: {:?}",
                if lost_anywhere { "were" } else { "were not" },
                if destructive { "say" } else { "do not say" },
                plan.findings.iter().map(|f| &f.message).collect::<Vec<_>>()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} failure(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn new_columns_rewrite_exactly_when_the_findings_say() {
    let server = pg::server();
    let declarations = "sequence s {\n  start with 1\n}\n\n\
                        domain positive as integer check (value > 0)\n\n\
                        domain plain as integer\n\n";
    let old = schema(&format!("{declarations}table t {{\n  id integer not null\n}}\n"));
    let mut failures = Vec::new();
    for column in NEW_COLUMNS {
        let new = schema(&format!(
            "{declarations}table t {{\n  id integer not null\n  {column}\n}}\n"
        ));
        let plan = plan::upgrade(&old, &new, PlanOptions::default());
        let said = says_rewrite(&plan.findings, "UTC");
        let setup = "INSERT INTO t (id) SELECT g FROM generate_series(1, 3) g;";
        let Outcome { failed, rewritten, .. } = apply(server, &old, &new, setup, None, "UTC");
        if failed {
            failures.push(format!("{column}: the upgrade failed"));
        } else if said.is_some_and(|said| said != rewritten) {
            failures.push(format!(
                "{column}: PostgreSQL {} the table, the findings say {said:?}: {:?}",
                if rewritten { "rewrote" } else { "kept" },
                plan.findings.iter().map(|f| &f.message).collect::<Vec<_>>()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} failure(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The list of built-in functions the findings read is PostgreSQL's own.
#[test]
fn the_builtin_function_list_is_the_servers() {
    let server = pg::server();
    let list = include_str!("../src/plan/builtin_functions.txt");
    let query = list
        .lines()
        .find_map(|line| line.strip_prefix("# SELECT"))
        .map(|rest| format!("SELECT{rest}"))
        .expect("the list names its query");
    let output = server
        .psql(
            &server.database(),
            &format!("\\pset format unaligned\n\\pset tuples_only on\n{query}\n"),
        )
        .expect("query pg_proc");
    let listed: Vec<&str> = list.lines().filter(|l| !l.starts_with('#')).collect();
    let server_list: Vec<&str> = output.lines().filter(|l| !l.is_empty()).collect();
    let missing: Vec<&&str> = server_list.iter().filter(|l| !listed.contains(l)).collect();
    // pg_upgrade's own functions come and go in minor releases (15.20 added
    // binary_upgrade_set_next_attribute_versions); a schema never calls them,
    // so the list keeps the newest release's and an older server may lack one.
    let extra: Vec<&&str> = listed
        .iter()
        .filter(|l| !server_list.contains(l) && !l.starts_with("binary_upgrade_"))
        .collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "src/plan/builtin_functions.txt differs from the server's pg_proc: missing {missing:?}, not on the server {extra:?}"
    );
    let shared: Vec<&str> = listed.iter().copied().filter(|l| server_list.contains(l)).collect();
    assert_eq!(shared, server_list, "in the query's order");
}
