//! Functions and triggers: a trigger executes a function that returns
//! `trigger` (PostgreSQL refuses any other at `CREATE TRIGGER`).

use super::{also, at};
use crate::diag::{Code, Diagnostic};
use crate::ir::*;

pub(super) fn check(schema: &Schema, out: &mut Vec<Diagnostic>) {
    for table in schema.tables.values() {
        for trigger in table.triggers.values() {
            // A trigger function takes no declared arguments; one of the
            // schema's own by that name that is something else is a mistake.
            let id = RoutineId {
                name: trigger.function.clone(),
                arguments: Vec::new(),
            };
            let Some(routine) = schema.routines.get(&id) else {
                continue;
            };
            if routine.procedure || !routine.returns_trigger() {
                let returns = match (&routine.returns, routine.procedure) {
                    (_, true) => "is a procedure".to_string(),
                    (Some(t), _) => format!("returns {t}"),
                    (None, _) => "returns a row of its OUT arguments".to_string(),
                };
                let diagnostic = Diagnostic::new(
                    Code::NotATriggerFunction,
                    format!(
                        "trigger `{}` on `{}` executes `{id}`, which {returns}",
                        trigger.name.as_str(),
                        table.name
                    ),
                );
                let diagnostic = at(diagnostic, trigger.origin, "this trigger");
                out.push(
                    also(diagnostic, routine.origin, "declared here")
                        .help("a trigger function is declared `returns trigger` and takes no arguments"),
                );
            }
        }
    }
}
