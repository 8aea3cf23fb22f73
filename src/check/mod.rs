//! Semantic checks over the Schema IR, one file per family of checks. Each
//! check reports every problem it finds; none stops at the first.

mod expressions;
mod generated;
mod references;
mod renames;
pub mod roles;
mod routines;
mod types;
pub mod versions;

use crate::diag::Diagnostic;
use crate::ir::Schema;

/// Runs every check over a lowered schema.
pub fn check_schema(schema: &Schema) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    types::check(schema, &mut diagnostics);
    references::check(schema, &mut diagnostics);
    renames::check(schema, &mut diagnostics);
    generated::check(schema, &mut diagnostics);
    routines::check(schema, &mut diagnostics);
    expressions::check(schema, &mut diagnostics);
    diagnostics
}

/// Adds the primary label only when the node has a source span (reflected
/// schemas have none).
fn at(diagnostic: Diagnostic, origin: crate::ir::Origin, label: &str) -> Diagnostic {
    match origin.0 {
        Some(span) => diagnostic.primary(span, label),
        None => diagnostic,
    }
}

/// Adds a secondary label when the node has a source span.
fn also(diagnostic: Diagnostic, origin: crate::ir::Origin, label: &str) -> Diagnostic {
    match origin.0 {
        Some(span) => diagnostic.secondary(span, label),
        None => diagnostic,
    }
}
