//! The SQL trellisc writes, run on a real PostgreSQL server: every example
//! created from empty, and every diff case taken up, down and up again.

mod common;
mod support;

use std::collections::HashMap;
use support::pg;
use trellisc::ir::Schema;
use trellisc::plan::{self, PlanOptions};

use trellisc::render::{self, render_plan};
use trellisc::revision::locks::{Lock, LockMode, Target};

#[test]
fn every_example_applies_to_an_empty_database() {
    let server = pg::server();
    for dir in [
        "examples/shop",
        "examples/blog",
        "examples/saas",
        "tests/fixtures/language",
    ] {
        let schema = common::schema_of(dir);
        let url = server.database();
        let sql = render_plan(&plan::upgrade(&Schema::default(), &schema, PlanOptions::default()));
        if let Err(error) = server.psql(&url, &sql) {
            panic!("{dir}: {error}\n{sql}");
        }
    }
}

#[test]
fn every_diff_case_runs_up_down_and_up_again() {
    let server = pg::server();
    let mut failures = Vec::new();
    for online in [false, true] {
        let options = PlanOptions { online };
        for (name, old, new) in common::diff_cases() {
            let url = server.database();
            let create = render_plan(&plan::upgrade(&Schema::default(), &old, PlanOptions::default()));
            let up = render_plan(&plan::upgrade(&old, &new, options));
            let down = render_plan(&plan::downgrade(&old, &new, options));
            for (what, sql) in [
                ("create old", &create),
                ("upgrade", &up),
                ("downgrade", &down),
                ("upgrade again", &up),
            ] {
                if let Err(error) = server.psql(&url, sql) {
                    failures.push(format!("{name} (online: {online}) {what}: {error}\n{sql}"));
                    break;
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failure(s):\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

/// How strong a lock mode is, as `pg_locks.mode` names it.
fn strength(mode: &str) -> u8 {
    match mode {
        "AccessShareLock" => 1,
        "RowShareLock" => 2,
        "RowExclusiveLock" => 3,
        "ShareUpdateExclusiveLock" => 4,
        "ShareLock" => 5,
        "ShareRowExclusiveLock" => 6,
        "ExclusiveLock" => 7,
        "AccessExclusiveLock" => 8,
        other => panic!("unknown lock mode {other}"),
    }
}

/// `ACCESS EXCLUSIVE` as `pg_locks` writes it.
fn pg_mode(mode: LockMode) -> String {
    let mut out: String = mode
        .name()
        .split(' ')
        .map(|word| word[..1].to_string() + &word[1..].to_ascii_lowercase())
        .collect();
    out.push_str("Lock");
    out
}

/// What a relation was when a statement started.
#[derive(Clone)]
struct Relation {
    name: String,
    kind: String,
    /// The table owning a sequence.
    owner: Option<u32>,
}

/// Every diff case's plans, statement by statement on the real server, with
/// the locks each statement holds read from `pg_locks` before it commits:
/// the locks the summary names are exactly those PostgreSQL takes on what
/// existed before the statement, and none that blocks more than row
/// writes is left out.
#[test]
fn the_locks_named_for_each_statement_are_those_postgresql_takes() {
    let server = pg::server();
    let relations = "SELECT 'R|' || c.oid || '|' || c.relkind::text || '|' || coalesce(d.refobjid::text, '') || '|' || format('%I.%I', n.nspname, c.relname) \
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace LEFT JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.refclassid = 'pg_class'::regclass AND c.relkind = 'S' AND d.deptype IN ('a', 'i') \
         WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%' AND c.relkind IN ('r', 'p', 'i', 'S');\n";
    let held = "SELECT 'L|' || relation || '|' || mode FROM pg_locks WHERE pid = pg_backend_pid() AND locktype = 'relation' AND granted;\n";
    let mut failures = Vec::new();
    let mut checked = 0;
    for online in [false, true] {
        let options = PlanOptions { online };
        for (name, old, new) in common::diff_cases() {
            for (direction, plan) in [
                ("upgrade", plan::upgrade(&old, &new, options)),
                ("downgrade", plan::downgrade(&old, &new, options)),
            ] {
                let start = if direction == "upgrade" { &old } else { &new };
                let url = server.database();
                let mut script = String::from("\\pset format unaligned\n\\pset tuples_only on\n");
                script.push_str(&render_plan(&plan::upgrade(
                    &Schema::default(),
                    start,
                    PlanOptions::default(),
                )));
                let mut statements = Vec::new();
                for step in &plan.steps {
                    for statement in render::step_statements(step, &plan) {
                        script.push_str("SELECT 'B';\n");
                        script.push_str(relations);
                        script.push_str(&format!("SELECT 'S|{}';\n", statements.len()));
                        if statement.transactional {
                            script.push_str(&format!("BEGIN;\n{}\n{held}COMMIT;\n", statement.sql));
                        } else {
                            script.push_str(&format!("{}\n", statement.sql));
                        }
                        statements.push((step, statement));
                    }
                }
                script.push_str("SELECT 'B';\n");
                script.push_str(relations);
                let output = match server.psql(&url, &script) {
                    Ok(output) => output,
                    Err(error) => {
                        failures.push(format!("{name} {direction} (online: {online}): {error}"));
                        continue;
                    }
                };
                // Per statement: the relations before it, its locks, the
                // relations after it.
                let mut before: Vec<HashMap<u32, Relation>> = Vec::new();
                let mut locks: Vec<HashMap<u32, String>> = vec![HashMap::new(); statements.len()];
                let mut current = None;
                for line in output.lines() {
                    let fields: Vec<&str> = line.splitn(5, '|').collect();
                    match fields[0] {
                        "B" => before.push(HashMap::new()),
                        "R" => {
                            let oid = fields[1].parse().expect("oid");
                            let relation = Relation {
                                kind: fields[2].to_string(),
                                owner: fields[3].parse().ok(),
                                name: fields[4].to_string(),
                            };
                            before.last_mut().expect("a block").insert(oid, relation);
                        }
                        "S" => current = Some(fields[1].parse::<usize>().expect("statement")),
                        "L" => {
                            let at = current.expect("a statement");
                            let oid: u32 = fields[1].parse().expect("oid");
                            let mode = fields[2].to_string();
                            let entry = locks[at].entry(oid).or_insert(mode.clone());
                            if strength(&mode) > strength(entry) {
                                *entry = mode;
                            }
                        }
                        _ => {}
                    }
                }
                let said: Vec<Vec<Lock>> = render::statement_locks(&plan).into_iter().flatten().collect();
                // What existed before the plan: the summary names locks on
                // nothing else.
                let existed = &before[0];
                for (at, (step, statement)) in statements.iter().enumerate() {
                    if !statement.transactional {
                        continue;
                    }
                    checked += 1;
                    let (was, after) = (&before[at], &before[at + 1]);
                    let find = |name: &str| was.iter().find(|(_, r)| r.name == name).map(|(oid, _)| *oid);
                    let mut predicted: HashMap<u32, String> = HashMap::new();
                    for lock in &said[at] {
                        let Target::Relation(target) = &lock.on else {
                            failures.push(format!(
                                "{name} {direction}: `{}`: {} left unresolved",
                                statement.sql, lock.on
                            ));
                            continue;
                        };
                        match find(target) {
                            Some(oid) => {
                                predicted.insert(oid, pg_mode(lock.mode));
                            }
                            None => failures.push(format!(
                                "{name} {direction} (online: {online}): `{}` names {target}, which is not there",
                                statement.sql
                            )),
                        }
                    }
                    for (oid, mode) in &predicted {
                        let seen = locks[at].get(oid).map_or("no lock", String::as_str);
                        if seen != mode {
                            failures.push(format!(
                                "{name} {direction} (online: {online}) step {:?}: `{}` on {}: said {mode}, PostgreSQL took {seen}",
                                render::describe(&step.change),
                                statement.sql,
                                was[oid].name
                            ));
                        }
                    }
                    for (oid, mode) in &locks[at] {
                        let Some(relation) = was.get(oid).filter(|_| existed.contains_key(oid)) else {
                            continue;
                        };
                        // An identity or serial column's sequence is reached
                        // through its table, which the statement holds more
                        // strongly.
                        let through_table = relation.owner.is_some_and(|table| {
                            predicted
                                .get(&table)
                                .is_some_and(|held| strength(held) >= strength(mode))
                        });
                        let table = matches!(relation.kind.as_str(), "r" | "p" | "S");
                        if table
                            && !through_table
                            && after.contains_key(oid)
                            && strength(mode) > 3
                            && !predicted.contains_key(oid)
                        {
                            failures.push(format!(
                                "{name} {direction} (online: {online}): `{}` takes {mode} on {}, not named",
                                statement.sql, relation.name
                            ));
                        }
                    }
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failure(s):\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
    assert!(checked > 500, "only {checked} statements checked");
}
