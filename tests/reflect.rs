//! Reading real databases back: a schema applied and read again has
//! nothing left to do (convergence), for the examples, every diff case in
//! both directions, and random schema pairs.

mod common;
mod support;

use support::{pg, reflect};
use trellisc::ir::Schema;
use trellisc::plan::{self, PlanOptions};
use trellisc::render::render_plan;

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
