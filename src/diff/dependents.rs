//! Foreign keys that a dropped or replaced key takes along.

use std::collections::BTreeSet;

use super::{Change, Renames, referenced_columns_of};
use crate::ir::*;

/// A primary key or unique constraint that is dropped (or replaced) takes
/// the foreign keys that rely on it along: they are dropped first and, when
/// their table stays and `new` still has them, added again afterwards. A
/// foreign key is dropped by the names the renames before it give its table
/// and itself (renames run before drops), also when its table is dropped.
pub(super) fn dependent_foreign_keys(old: &Schema, new: &Schema, renames: &Renames, changes: &mut Vec<Change>) {
    let old_table_name = |name: &QualifiedName| renames.tables.get(name).unwrap_or(name).clone();
    // Each dropped key as its table's old name and its sorted old columns.
    let dropped_keys: BTreeSet<(QualifiedName, Vec<Ident>)> = changes
        .iter()
        .filter_map(|c| match c {
            Change::DropConstraint { table, constraint } => match &constraint.kind {
                ConstraintKind::PrimaryKey { columns, .. } | ConstraintKind::Unique { columns, .. } => {
                    let mut columns: Vec<Ident> = columns.iter().map(|c| c.value.clone()).collect();
                    columns.sort();
                    Some((old_table_name(table), columns))
                }
                _ => None,
            },
            _ => None,
        })
        .collect();
    if dropped_keys.is_empty() {
        return;
    }
    let already_dropped: BTreeSet<(QualifiedName, Ident)> = changes
        .iter()
        .filter_map(|c| match c {
            Change::DropConstraint { table, constraint } => Some((table.clone(), constraint.name.clone())),
            _ => None,
        })
        .collect();
    // The name a constraint has once the renames have run.
    let renamed_to = |table: &QualifiedName, name: &Ident| -> Ident {
        changes
            .iter()
            .find_map(|c| match c {
                Change::RenameConstraint { table: t, from, to } if t == table && from == name => Some(to.clone()),
                _ => None,
            })
            .unwrap_or_else(|| name.clone())
    };
    let mut extra = Vec::new();
    for table in old.tables.values() {
        let (new_table, _) = renames.forward_column(&table.name, &Ident::new(""));
        let kept = new.tables.get(&new_table).filter(|_| {
            // A table of the same name that is another one (the old one
            // renamed away) is not this one.
            old_table_name(&new_table) == table.name
        });
        let current_table = if kept.is_some() { new_table } else { table.name.clone() };
        for constraint in table.constraints.values() {
            let ConstraintKind::ForeignKey(fk) = &constraint.kind else {
                continue;
            };
            let mut referenced = referenced_columns_of(old, fk);
            referenced.sort();
            if !dropped_keys.contains(&(fk.referenced_table.value.clone(), referenced)) {
                continue;
            }
            if already_dropped.contains(&(current_table.clone(), constraint.name.clone()))
                || already_dropped.contains(&(table.name.clone(), constraint.name.clone()))
            {
                continue;
            }
            let name = match kept {
                Some(_) => renamed_to(&current_table, &constraint.name),
                None => constraint.name.clone(),
            };
            let mut dropped = constraint.clone();
            dropped.name = name.clone();
            extra.push(Change::DropConstraint {
                table: current_table.clone(),
                constraint: dropped,
            });
            let again = kept
                .and_then(|t| t.constraints.get(&name))
                .filter(|c| matches!(c.kind, ConstraintKind::ForeignKey(_)));
            if let Some(again) = again {
                extra.push(Change::AddConstraint {
                    table: current_table.clone(),
                    constraint: again.clone(),
                });
            }
        }
    }
    changes.extend(extra);
}
