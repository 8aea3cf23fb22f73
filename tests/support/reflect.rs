//! Reading the test server's databases back into the IR, as `trellisc diff`
//! does with a database side.
#![allow(dead_code)]

use trellisc::ir::{Ident, Schema};
use trellisc::plan::{self, PlanOptions};
use trellisc::reflect::{self, ReflectOptions, Reflected};

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
}

/// The schemas a comparison with `source` reads: its own and `public`.
pub fn options_for(source: &Schema) -> ReflectOptions {
    let mut schemas: Vec<String> = source.namespaces().iter().map(|n| n.as_str().to_string()).collect();
    if !schemas.iter().any(|s| s == "public") {
        schemas.push("public".into());
    }
    ReflectOptions {
        schemas,
        ..ReflectOptions::default()
    }
}

/// Reads the whole database.
pub fn read(url: &str, options: &ReflectOptions) -> Reflected {
    runtime().block_on(async {
        let database = reflect::connect(url).await.unwrap_or_else(|e| panic!("{e}"));
        reflect::reflect(&database, options)
            .await
            .unwrap_or_else(|e| panic!("reflect {url}: {e}"))
    })
}

/// Reads the database as a comparison with `source` does, and returns it
/// with `source` normalized against it.
pub fn read_against(url: &str, source: &Schema) -> (Schema, Schema) {
    let options = options_for(source);
    runtime().block_on(async {
        let database = reflect::connect(url).await.unwrap_or_else(|e| panic!("{e}"));
        let reflected = reflect::reflect(&database, &options)
            .await
            .unwrap_or_else(|e| panic!("reflect {url}: {e}"));
        let mut source = source.clone();
        reflect::normalize(&database, &reflected.schema, &mut source, &Ident::new("public"))
            .await
            .unwrap_or_else(|e| panic!("normalize on {url}: {e}"));
        (reflected.schema, source)
    })
}

/// What is left to do to bring the database to `target`, one line per
/// change (empty when it has converged), with the objects that differ.
pub fn remaining(url: &str, target: &Schema) -> Vec<String> {
    let (database, target) = read_against(url, target);
    let plan = plan::upgrade(&database, &target, PlanOptions::default());
    let mut lines: Vec<String> = plan
        .steps
        .iter()
        .map(|s| trellisc::render::describe(&s.change))
        .collect();
    if !lines.is_empty() {
        for (name, table) in &target.tables {
            if let Some(found) = database.tables.get(name) {
                if found != table {
                    lines.push(format!("database has {found:#?}\nsource has {table:#?}"));
                }
            }
        }
    }
    lines
}
