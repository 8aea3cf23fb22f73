//! Views and materialized views. A view PostgreSQL cannot change in place
//! (its query, its options) is dropped and created again, with every view
//! that reads it; so is one that reads a column the plan retypes or drops.
//! Drops come dependents first, creations the other way round.

use std::collections::{BTreeMap, BTreeSet};

use super::{Change, Renames};
use crate::ir::*;

pub(super) fn views(old: &Schema, new: &Schema, renames: &Renames, changes: &mut Vec<Change>) {
    let mut reshaped = reshaped_tables(changes);
    // A table dropped under a view that stays (one of the same name may
    // take its place: a view over the table under its new name) is one
    // PostgreSQL will not drop while the view reads it.
    reshaped.extend(changes.iter().filter_map(|change| match change {
        Change::DropTable(table) => Some(table.name.clone()),
        _ => None,
    }));
    // New name → old view, for the views both sides have.
    let mut pairs: BTreeMap<&QualifiedName, &View> = BTreeMap::new();
    for name in new.views.keys() {
        let old_name = renames.views.get(name).unwrap_or(name);
        if let Some(before) = old.views.get(old_name) {
            pairs.insert(name, before);
        }
    }
    // So is a view that goes (a table of the same name may take its place).
    let kept: BTreeSet<&QualifiedName> = pairs.values().map(|v| &v.name).collect();
    reshaped.extend(old.views.keys().filter(|name| !kept.contains(name)).cloned());
    // Old names of the views made anew, and their new names.
    let mut remade: BTreeSet<QualifiedName> = BTreeSet::new();
    for (name, before) in &pairs {
        let after = &new.views[*name];
        let reads_reshaped = after.uses.iter().chain(&before.uses).any(|t| reshaped.contains(t));
        if !before.same_definition(after) || reads_reshaped {
            remade.insert((*name).clone());
        }
    }
    // What reads a view made anew is made anew too.
    loop {
        let grown: Vec<QualifiedName> = pairs
            .keys()
            .filter(|name| !remade.contains(**name))
            .filter(|name| new.views[**name].uses.iter().any(|u| remade.contains(u)))
            .map(|name| (*name).clone())
            .collect();
        if grown.is_empty() {
            break;
        }
        remade.extend(grown);
    }
    let matched_old: BTreeSet<&QualifiedName> = pairs.values().map(|v| &v.name).collect();
    // Drops: views that go, and the old side of those made anew, readers first.
    let mut dropped: Vec<&View> = old.views.values().filter(|v| !matched_old.contains(&v.name)).collect();
    dropped.extend(pairs.iter().filter(|(n, _)| remade.contains(**n)).map(|(_, v)| *v));
    for view in readers_first(dropped, |v| &v.uses) {
        changes.push(Change::DropView(Box::new(view.clone())));
    }
    let mut created: Vec<&View> = Vec::new();
    for (name, view) in &new.views {
        let Some(before) = pairs.get(name) else {
            created.push(view);
            continue;
        };
        if before.name != *name && !remade.contains(name) {
            changes.push(Change::RenameView {
                from: before.name.clone(),
                to: name.clone(),
                materialized: view.materialized,
            });
        }
        if remade.contains(name) {
            created.push(view);
            continue;
        }
        if before.comment != view.comment {
            changes.push(Change::CommentOnView {
                name: name.clone(),
                materialized: view.materialized,
                comment: view.comment.clone(),
            });
        }
        view_indexes(before, view, changes);
    }
    // Creations: what is read before what reads it.
    let mut order = readers_first(created, |v| &v.uses);
    order.reverse();
    for view in order {
        changes.push(Change::CreateView(Box::new(view.clone())));
        for index in view.indexes.values() {
            changes.push(Change::CreateViewIndex {
                view: view.name.clone(),
                index: index.clone(),
            });
        }
    }
}

/// Tables whose columns the plan retypes or drops.
pub(super) fn reshaped_tables(changes: &[Change]) -> BTreeSet<QualifiedName> {
    reshaped_columns(changes).into_iter().map(|(table, _)| table).collect()
}

/// Columns whose type the plan changes: directly, or as columns of an
/// enum or domain it makes anew.
pub(super) fn retyped_columns(changes: &[Change]) -> BTreeSet<(QualifiedName, Ident)> {
    let mut retyped = BTreeSet::new();
    for change in changes {
        match change {
            Change::AlterColumnType { table, column, .. } => {
                retyped.insert((table.clone(), column.clone()));
            }
            Change::RecreateEnum { columns, .. } | Change::RebuildComposite { columns, .. } => {
                retyped.extend(columns.iter().map(|c| (c.table.clone(), c.column.clone())));
            }
            Change::RecreateRange {
                columns, multiranges, ..
            } => {
                retyped.extend(
                    columns
                        .iter()
                        .chain(multiranges)
                        .map(|c| (c.table.clone(), c.column.clone())),
                );
            }
            Change::RecreateDomain { columns, .. } => {
                retyped.extend(columns.iter().map(|(t, c, _)| (t.clone(), c.clone())));
            }
            _ => {}
        }
    }
    retyped
}

/// Columns the plan retypes or drops.
pub(super) fn reshaped_columns(changes: &[Change]) -> BTreeSet<(QualifiedName, Ident)> {
    let mut reshaped = retyped_columns(changes);
    reshaped.extend(changes.iter().filter_map(|change| match change {
        Change::DropColumn { table, column } => Some((table.clone(), column.name.clone())),
        _ => None,
    }));
    reshaped
}

/// The views in an order where each comes before the views it reads
/// (among those given); views in a cycle, which PostgreSQL cannot have,
/// keep their order.
fn readers_first(views: Vec<&View>, uses: impl Fn(&View) -> &Vec<QualifiedName>) -> Vec<&View> {
    in_rounds(views, |v, left| {
        !left
            .iter()
            .any(|other| other.name != v.name && uses(other).contains(&v.name))
    })
}

fn view_indexes(before: &View, after: &View, changes: &mut Vec<Change>) {
    let view = &after.name;
    let mut matched = BTreeSet::new();
    for index in after.indexes.values() {
        let old_name = index
            .was
            .as_ref()
            .map(|w| &w.value)
            .filter(|w| before.indexes.contains_key(*w) && !before.indexes.contains_key(&index.name))
            .unwrap_or(&index.name);
        let Some(previous) = before.indexes.get(old_name) else {
            changes.push(Change::CreateViewIndex {
                view: view.clone(),
                index: index.clone(),
            });
            continue;
        };
        matched.insert(old_name.clone());
        if previous.canonical != index.canonical {
            changes.push(Change::DropViewIndex {
                view: view.clone(),
                index: previous.clone(),
            });
            changes.push(Change::CreateViewIndex {
                view: view.clone(),
                index: index.clone(),
            });
            continue;
        }
        if old_name != &index.name {
            changes.push(Change::RenameViewIndex {
                view: view.clone(),
                from: old_name.clone(),
                to: index.name.clone(),
            });
        }
        if previous.comment != index.comment {
            changes.push(Change::CommentOnViewIndex {
                view: view.clone(),
                name: index.name.clone(),
                comment: index.comment.clone(),
            });
        }
    }
    for (name, index) in &before.indexes {
        if !matched.contains(name) {
            changes.push(Change::DropViewIndex {
                view: view.clone(),
                index: index.clone(),
            });
        }
    }
}
