//! Functions, procedures and triggers. Routines are matched by name and
//! argument types (renamed with `was`), triggers by table and name.

use std::collections::{BTreeMap, BTreeSet};

use super::{Change, Renames};
use crate::ir::*;

pub(super) fn routines(old: &Schema, new: &Schema, renames: &Renames, changes: &mut Vec<Change>) {
    let mut matched = BTreeSet::new();
    // Routines dropped and made again: the triggers that execute them go
    // and come back with them.
    let mut recreated: BTreeSet<QualifiedName> = BTreeSet::new();
    // Tables whose columns the plan retypes or drops: PostgreSQL will not
    // do either under a SQL-standard body that reads them, so such a
    // routine is dropped before and created after.
    // Views made anew count as well.
    let mut reshaped = super::views::reshaped_tables(changes);
    reshaped.extend(changes.iter().filter_map(|change| match change {
        Change::DropView(view) if new.views.contains_key(&view.name) => Some(view.name.clone()),
        _ => None,
    }));
    // And types made anew that a signature names: PostgreSQL will not drop
    // the old type while a routine takes or returns it.
    reshaped.extend(changes.iter().flat_map(|change| match change {
        Change::RecreateEnum { old, new, .. } => vec![old.name.clone(), new.name.clone()],
        Change::RebuildComposite { old, new, .. } => vec![old.name.clone(), new.name.clone()],
        Change::RecreateRange { old, new, .. } => vec![
            old.name.clone(),
            old.multirange_name(),
            new.name.clone(),
            new.multirange_name(),
        ],
        Change::RecreateDomain { old, new, .. } => vec![old.name.clone(), new.name.clone()],
        _ => Vec::new(),
    }));
    for (id, routine) in &new.routines {
        let old_id = renames.routines.get(id).unwrap_or(id);
        let after_tables = uses_tables(routine, new);
        let Some(before) = old.routines.get(old_id) else {
            changes.push(Change::CreateRoutine {
                routine: routine.clone(),
                after_tables,
            });
            continue;
        };
        matched.insert(old_id.clone());
        if old_id != id {
            changes.push(Change::RenameRoutine {
                from: old_id.clone(),
                to: id.name.clone(),
                kind: routine.kind_sql(),
            });
        }
        let same = before.kind_sql() == routine.kind_sql() && before.canonical == routine.canonical;
        let mut comment_kept = true;
        if routine.uses.iter().any(|t| reshaped.contains(t)) {
            recreated.insert(id.name.clone());
            changes.push(Change::DropRoutine {
                routine: Routine {
                    id: id.clone(),
                    ..before.clone()
                },
                uses_tables: true,
            });
            changes.push(Change::CreateRoutine {
                routine: routine.clone(),
                after_tables: true,
            });
            continue;
        }
        if !same {
            if before.kind_sql() == routine.kind_sql() && before.shape == routine.shape {
                changes.push(Change::ReplaceRoutine {
                    routine: routine.clone(),
                    after_tables,
                });
            } else {
                recreated.insert(id.name.clone());
                changes.push(Change::RecreateRoutine {
                    old: Box::new(before.clone()),
                    new: Box::new(routine.clone()),
                    after_tables,
                });
                // Its comment went with it, and came back with the new one.
                comment_kept = false;
            }
        }
        if comment_kept && before.comment != routine.comment {
            changes.push(Change::CommentOnRoutine {
                id: id.clone(),
                kind: routine.kind_sql(),
                comment: routine.comment.clone(),
            });
        }
    }
    for (id, routine) in &old.routines {
        if !matched.contains(id) {
            changes.push(Change::DropRoutine {
                routine: routine.clone(),
                uses_tables: uses_tables(routine, old),
            });
        }
    }
    triggers(old, new, renames, &recreated, changes);
}

/// Whether a routine needs a table of the schema (in its signature or its
/// SQL-standard body).
/// An aggregate is made after, and dropped before, the functions it is
/// made of: it counts as needing them as it would tables.
fn uses_tables(routine: &Routine, schema: &Schema) -> bool {
    routine.aggregate || routine.uses.iter().any(|name| schema.tables.contains_key(name))
}

fn triggers(
    old: &Schema,
    new: &Schema,
    renames: &Renames,
    recreated: &BTreeSet<QualifiedName>,
    changes: &mut Vec<Change>,
) {
    // Columns whose type the plan changes: PostgreSQL will not change it
    // under a trigger that names the column.
    let retyped = super::views::retyped_columns(changes);
    // A table made anew (a new partition key) has none of its old triggers.
    let made = super::made_tables(changes);
    for (name, table) in &new.tables {
        let old_name = renames.tables.get(name).unwrap_or(name);
        let before = old
            .tables
            .get(old_name)
            .filter(|_| !made.contains(name))
            .map(|t| &t.triggers);
        let pair = Relation {
            old_name,
            name,
            before,
            after: &table.triggers,
            renames: renames.triggers.get(name),
        };
        pair.diff(recreated, &retyped, changes);
    }
    // A view made anew (or new) has none of its old triggers: all are made.
    let remade: BTreeSet<&QualifiedName> = changes
        .iter()
        .filter_map(|c| match c {
            Change::CreateView(view) => Some(&view.name),
            _ => None,
        })
        .collect();
    let mut view_changes = Vec::new();
    for (name, view) in &new.views {
        let old_name = renames.views.get(name).unwrap_or(name);
        let before = old
            .views
            .get(old_name)
            .filter(|_| !remade.contains(name))
            .map(|v| &v.triggers);
        let hinted: BTreeMap<Ident, Ident> = view
            .triggers
            .values()
            .filter_map(|t| {
                let was = &t.was.as_ref()?.value;
                let existed = before.is_some_and(|b| b.contains_key(was) && !b.contains_key(&t.name));
                existed.then(|| (t.name.clone(), was.clone()))
            })
            .collect();
        let pair = Relation {
            old_name,
            name,
            before,
            after: &view.triggers,
            renames: Some(&hinted),
        };
        pair.diff(recreated, &retyped, &mut view_changes);
    }
    changes.extend(view_changes);
}

/// The triggers of one table or view, before and after.
struct Relation<'a> {
    old_name: &'a QualifiedName,
    name: &'a QualifiedName,
    /// None when the relation is new (or made anew).
    before: Option<&'a BTreeMap<Ident, Trigger>>,
    after: &'a BTreeMap<Ident, Trigger>,
    /// New trigger name → old.
    renames: Option<&'a BTreeMap<Ident, Ident>>,
}

impl Relation<'_> {
    fn diff(
        &self,
        recreated: &BTreeSet<QualifiedName>,
        retyped: &BTreeSet<(QualifiedName, Ident)>,
        changes: &mut Vec<Change>,
    ) {
        let (name, old_name) = (self.name, self.old_name);
        let mut matched = BTreeSet::new();
        for trigger in self.after.values() {
            let create = Change::CreateTrigger {
                table: name.clone(),
                trigger: trigger.clone(),
            };
            let old_trigger_name = self.renames.and_then(|r| r.get(&trigger.name)).unwrap_or(&trigger.name);
            let Some(previous) = self.before.and_then(|t| t.get(old_trigger_name)) else {
                changes.push(create);
                continue;
            };
            matched.insert(old_trigger_name.clone());
            let same = previous.constraint == trigger.constraint
                && previous.canonical == trigger.canonical
                && !recreated.contains(&trigger.function)
                && !trigger
                    .columns
                    .iter()
                    .any(|c| retyped.contains(&(name.clone(), c.clone())));
            if !same {
                changes.push(Change::DropTrigger {
                    table: old_name.clone(),
                    trigger: previous.clone(),
                });
                changes.push(create);
                continue;
            }
            if old_trigger_name != &trigger.name {
                changes.push(Change::RenameTrigger {
                    table: name.clone(),
                    from: old_trigger_name.clone(),
                    to: trigger.name.clone(),
                });
            }
            if previous.comment != trigger.comment {
                changes.push(Change::CommentOnTrigger {
                    table: name.clone(),
                    name: trigger.name.clone(),
                    comment: trigger.comment.clone(),
                });
            }
        }
        // A dropped relation takes its triggers along.
        for (trigger_name, trigger) in self.before.into_iter().flatten() {
            if !matched.contains(trigger_name) {
                changes.push(Change::DropTrigger {
                    table: old_name.clone(),
                    trigger: trigger.clone(),
                });
            }
        }
    }
}
