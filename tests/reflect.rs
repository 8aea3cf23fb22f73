//! Reading real databases back: a schema applied and read again has
//! nothing left to do (convergence), for the examples, every diff case in
//! both directions, and random schema pairs.

mod common;
mod support;

use support::{pg, reflect};
use trellisc::ir::Schema;
use trellisc::plan::{self, FindingKind, PlanOptions};
use trellisc::render::{describe, render_plan};

fn schema_of(dir: &str) -> Schema {
    let compiled = common::compile(&common::read_schema(&common::root().join(dir)));
    assert!(!compiled.has_errors(), "{dir}: {:#?}", compiled.diagnostics);
    compiled.schema
}

#[test]
fn every_example_converges() {
    let server = pg::server();
    let mut failures = Vec::new();
    for dir in [
        "examples/shop",
        "examples/blog",
        "examples/saas",
        "tests/fixtures/language",
    ] {
        let schema = schema_of(dir);
        let url = server.database();
        let sql = render_plan(&plan::upgrade(&Schema::default(), &schema, PlanOptions::default()));
        server.psql(&url, &sql).unwrap_or_else(|e| panic!("{dir}: {e}"));
        let left = reflect::remaining(&url, &schema);
        if !left.is_empty() {
            failures.push(format!("{dir}:\n  {}", left.join("\n  ")));
        }
    }
    assert!(failures.is_empty(), "not converged:\n{}", failures.join("\n"));
}

/// Every diff case: at the old state, the upgrade leaves nothing to do
/// against the new state, and the downgrade nothing against the old; with
/// the plain and with the online forms. Cases run on a few threads, each
/// in its own database.
#[test]
fn every_diff_case_converges_both_ways() {
    let server = pg::server();
    let cases = common::diff_cases();
    let work: Vec<(bool, &(String, Schema, Schema))> = [false, true]
        .iter()
        .flat_map(|&online| cases.iter().map(move |c| (online, c)))
        .collect();
    let failures = std::sync::Mutex::new(Vec::new());
    let next = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..4 {
            scope.spawn(|| {
                while let Some(&(online, case)) = work.get(next.fetch_add(1, std::sync::atomic::Ordering::SeqCst)) {
                    if let Err(failure) = converge_case(server, case, online) {
                        failures.lock().expect("failures").push(failure);
                    }
                }
            });
        }
    });
    let failures = failures.into_inner().expect("failures");
    assert!(
        failures.is_empty(),
        "{} failure(s):\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

fn converge_case(server: &pg::Server, (name, old, new): &(String, Schema, Schema), online: bool) -> Result<(), String> {
    let options = PlanOptions { online };
    let url = server.database();
    let create = render_plan(&plan::upgrade(&Schema::default(), old, PlanOptions::default()));
    let up = render_plan(&plan::upgrade(old, new, options));
    let down_plan = plan::downgrade(old, new, options);
    let down = render_plan(&down_plan);
    // What the downgrade says it cannot undo may remain after it.
    let irreversible: Vec<String> = down_plan
        .steps
        .iter()
        .filter(|s| {
            s.findings
                .iter()
                .any(|&f| down_plan.findings[f].kind == FindingKind::Irreversible)
        })
        .map(|s| describe(&s.change))
        .collect();
    for (what, sql, target) in [
        ("create old", &create, old),
        ("upgrade", &up, new),
        ("downgrade", &down, old),
    ] {
        server
            .psql(&url, sql)
            .map_err(|error| format!("{name} (online: {online}) {what}: {error}\n{sql}"))?;
        let mut left = reflect::remaining(&url, target);
        if what == "downgrade"
            && left
                .iter()
                .all(|l| irreversible.contains(l) || l.starts_with("database has"))
        {
            left.clear();
        }
        if !left.is_empty() {
            return Err(format!(
                "{name} (online: {online}) after {what}:\n  {}\n{sql}",
                left.join("\n  ")
            ));
        }
    }
    Ok(())
}
