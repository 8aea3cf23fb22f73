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

/// A source normalized against a database as read: the server (its URL
/// without the database), the database, the source, and the source in the
/// server's words.
type Normalized = (String, Schema, Schema, Schema);

thread_local! {
    /// The last few normalizations of this thread. A convergence test reads
    /// a database back after each script, often finding what it found
    /// before (at `old` after creating it and again after the downgrade);
    /// normalizing the same source against the same schema gives the same
    /// answer, so the answer is kept rather than asked of the server again.
    /// The database itself is always read anew.
    static NORMALIZED: std::cell::RefCell<Vec<Normalized>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// How many normalizations [`NORMALIZED`] keeps.
const KEPT: usize = 4;

/// Reads the database as a comparison with `source` does, and returns it
/// with `source` normalized against it.
pub fn read_against(url: &str, source: &Schema) -> (Schema, Schema) {
    let options = options_for(source);
    runtime().block_on(async {
        let database = reflect::connect(url).await.unwrap_or_else(|e| panic!("{e}"));
        let reflected = reflect::reflect(&database, &options)
            .await
            .unwrap_or_else(|e| panic!("reflect {url}: {e}"));
        let server = url.rsplit_once('/').map_or(url, |(server, _)| server).to_string();
        let known = NORMALIZED.with_borrow(|kept| {
            kept.iter()
                .find(|(on, found, given, _)| *on == server && *found == reflected.schema && given == source)
                .map(|(.., normalized)| normalized.clone())
        });
        if let Some(normalized) = known {
            return (reflected.schema, normalized);
        }
        let mut normalized = source.clone();
        reflect::normalize(&database, &reflected.schema, &mut normalized, &Ident::new("public"))
            .await
            .unwrap_or_else(|e| panic!("normalize on {url}: {e}"));
        NORMALIZED.with_borrow_mut(|kept| {
            if kept.len() == KEPT {
                kept.remove(0);
            }
            kept.push((server, reflected.schema.clone(), source.clone(), normalized.clone()));
        });
        (reflected.schema, normalized)
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
