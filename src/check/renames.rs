//! `was` hints and primary keys: a rename's old name must be gone, and a
//! table has at most one primary key.

use super::{also, at};
use crate::diag::{Code, Diagnostic};
use crate::ir::{ConstraintKind, Origin, Schema};

pub(super) fn check(schema: &Schema, out: &mut Vec<Diagnostic>) {
    let still_exists = |kind: &str, old: &str, hint: Origin, existing: Origin| {
        let diagnostic = Diagnostic::new(
            Code::WasStillExists,
            format!("{kind} `{old}` still exists, so nothing was renamed from it"),
        );
        let diagnostic = at(diagnostic, hint, "this `was` names it");
        also(diagnostic, existing, "it is declared here")
            .help(format!("remove the `was` hint, or remove or rename the other {kind}"))
    };
    for routine in schema.routines.values() {
        if let Some(was) = &routine.was {
            let old = crate::ir::RoutineId {
                name: was.value.clone(),
                arguments: routine.id.arguments.clone(),
            };
            if let Some(existing) = schema.routines.get(&old) {
                out.push(still_exists(
                    routine.kind(),
                    &old.to_string(),
                    was.origin,
                    existing.origin,
                ));
            }
        }
    }
    for table in schema.tables.values() {
        if let Some(was) = &table.was {
            if let Some(existing) = schema.tables.get(&was.value) {
                out.push(still_exists(
                    "table",
                    &was.value.to_string(),
                    was.origin,
                    existing.origin,
                ));
            }
        }
        for column in &table.columns {
            if let Some(was) = &column.was {
                if let Some(existing) = table.column(&was.value) {
                    out.push(still_exists("column", was.value.as_str(), was.origin, existing.origin));
                }
            }
        }
        for constraint in table.constraints.values() {
            if let Some(was) = &constraint.was {
                if let Some(existing) = table.constraints.get(&was.value) {
                    out.push(still_exists(
                        "constraint",
                        was.value.as_str(),
                        was.origin,
                        existing.origin,
                    ));
                }
            }
        }
        for index in table.indexes.values() {
            if let Some(was) = &index.was {
                if let Some(existing) = table.indexes.get(&was.value) {
                    out.push(still_exists("index", was.value.as_str(), was.origin, existing.origin));
                }
            }
        }
        for trigger in table.triggers.values() {
            if let Some(was) = &trigger.was {
                if let Some(existing) = table.triggers.get(&was.value) {
                    out.push(still_exists("trigger", was.value.as_str(), was.origin, existing.origin));
                }
            }
        }
        let primary_keys: Vec<_> = table
            .constraints
            .values()
            .filter(|c| matches!(c.kind, ConstraintKind::PrimaryKey { .. }))
            .collect();
        if primary_keys.len() > 1 {
            let mut ordered = primary_keys.clone();
            ordered.sort_by_key(|c| c.origin.0.map(|s| (s.file, s.start)));
            let diagnostic = Diagnostic::new(
                Code::MultiplePrimaryKeys,
                format!("table `{}` has {} primary keys", table.name, ordered.len()),
            );
            let mut diagnostic = at(diagnostic, ordered[1].origin, "a second primary key");
            diagnostic = also(diagnostic, ordered[0].origin, "the first primary key");
            for extra in &ordered[2..] {
                diagnostic = also(diagnostic, extra.origin, "another primary key");
            }
            out.push(diagnostic.help("a table has one primary key; make the others `unique` (and `not null`)"));
        }
    }
    for enumeration in schema.enums.values() {
        if let Some(was) = &enumeration.was {
            if let Some(existing) = schema.enums.get(&was.value) {
                out.push(still_exists(
                    "enum",
                    &was.value.to_string(),
                    was.origin,
                    existing.origin,
                ));
            }
        }
        for label in &enumeration.labels {
            if let Some(was) = &label.was {
                if let Some(existing) = enumeration.labels.iter().find(|l| l.name == was.value) {
                    out.push(still_exists(
                        "label",
                        &format!("'{}'", was.value),
                        was.origin,
                        existing.origin,
                    ));
                }
            }
        }
    }
    for sequence in schema.sequences.values() {
        if let Some(was) = &sequence.was {
            if let Some(existing) = schema.sequences.get(&was.value) {
                out.push(still_exists(
                    "sequence",
                    &was.value.to_string(),
                    was.origin,
                    existing.origin,
                ));
            }
        }
    }
}
