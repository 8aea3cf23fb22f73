//! The SQL trellisc writes, run on a real PostgreSQL server: every example
//! created from empty, and every diff case taken up, down and up again.

mod common;
mod support;

use support::pg;
use trellisc::ir::Schema;
use trellisc::plan::{self, PlanOptions};
use trellisc::render::render_plan;

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
