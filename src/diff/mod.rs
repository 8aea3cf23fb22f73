//! Schema × Schema → the changes that turn one into the other. Pure: no SQL
//! text, no database. Renames come only from `was` hints, resolved first.

mod change;
mod dependents;
mod grants;
mod policies;
mod renames;
mod routines;
mod tables;
mod types;
mod views;

use std::collections::{BTreeMap, BTreeSet};

pub use change::{Change, ConvertedColumn, LabelPosition};
pub use renames::Renames;
pub use tables::{referenced_columns as referenced_columns_of, storage_type};

use crate::ir::*;

/// The changes that take a database from `old` to `new`, with renames
/// taken from the `was` hints in `new`.
pub fn diff(old: &Schema, new: &Schema) -> Vec<Change> {
    diff_with(old, new, &Renames::from_hints(old, new))
}

/// The changes that take a database from `new` back to `old`: the reverse of
/// [`diff`], renames included.
pub fn reverse(old: &Schema, new: &Schema) -> Vec<Change> {
    diff_with(new, old, &Renames::from_hints(old, new).inverted())
}

/// The changes from `old` to `new` given the renames (new name → old name).
pub fn diff_with(old: &Schema, new: &Schema, renames: &Renames) -> Vec<Change> {
    let mut changes = Vec::new();
    schemas(old, new, &mut changes);
    extensions(old, new, &mut changes);
    collations(old, new, &mut changes);
    enums(old, new, renames, &mut changes);
    domains(old, new, &mut changes);
    types::user_types(old, new, renames, &mut changes);
    sequences(old, new, renames, &mut changes);
    tables::tables(old, new, renames, &mut changes);
    views::views(old, new, renames, &mut changes);
    routines::routines(old, new, renames, &mut changes);
    policies::policies(old, new, renames, &mut changes);
    dependents::dependent_foreign_keys(old, new, renames, &mut changes);
    grants::privileges(old, new, renames, &mut changes);
    changes
}

/// The tables the changes make: new ones, and those made anew.
fn made_tables(changes: &[Change]) -> BTreeSet<QualifiedName> {
    changes
        .iter()
        .filter_map(|c| match c {
            Change::CreateTable(table) => Some(table.name.clone()),
            _ => None,
        })
        .collect()
}

fn schemas(old: &Schema, new: &Schema, changes: &mut Vec<Change>) {
    let public = Ident::new("public");
    let (before, after) = (old.namespaces(), new.namespaces());
    for name in after.difference(&before).filter(|n| **n != public) {
        changes.push(Change::CreateSchema(name.clone()));
    }
    for name in before.difference(&after).filter(|n| **n != public) {
        changes.push(Change::DropSchema(name.clone()));
    }
    let comment_in = |schema: &Schema, name: &Ident| schema.schemas.get(name).and_then(|s| s.comment.clone());
    // `public` is always there, with or without anything in it.
    let mut commentable = after.clone();
    commentable.insert(public.clone());
    for name in &commentable {
        let comment = comment_in(new, name);
        let was = if before.contains(name) || *name == public {
            comment_in(old, name)
        } else {
            None
        };
        if comment != was {
            changes.push(Change::CommentOnSchema {
                name: name.clone(),
                comment,
            });
        }
    }
}

/// Domains are matched by name. Created ones come before the domains over
/// them, dropped ones after.
fn domains(old: &Schema, new: &Schema, changes: &mut Vec<Change>) {
    let mut created: Vec<&Domain> = Vec::new();
    for (name, domain) in &new.domains {
        let Some(before) = old.domains.get(name) else {
            created.push(domain);
            continue;
        };
        if before.data_type != domain.data_type || before.collation != domain.collation {
            let columns = new
                .tables
                .values()
                .flat_map(|t| t.columns.iter().map(move |c| (t, c)))
                .filter(|(_, c)| matches!(&c.data_type.name, TypeName::User(n) if **n == *name))
                .map(|(t, c)| (t.name.clone(), c.name.clone(), c.data_type.array_dims))
                .collect();
            changes.push(Change::RecreateDomain {
                old: before.clone(),
                new: domain.clone(),
                columns,
            });
            continue;
        }
        if before.default != domain.default {
            changes.push(Change::SetDomainDefault {
                name: name.clone(),
                default: domain.default.clone(),
            });
        }
        if before.not_null != domain.not_null {
            changes.push(Change::SetDomainNotNull {
                name: name.clone(),
                not_null: domain.not_null,
            });
        }
        for (check_name, check) in &before.checks {
            match domain.checks.get(check_name) {
                // Kept unless it goes from validated to `not valid`.
                Some(after) if after.expr == check.expr && (check.not_valid || !after.not_valid) => {
                    if check.not_valid && !after.not_valid {
                        changes.push(Change::ValidateDomainCheck {
                            domain: name.clone(),
                            name: check_name.clone(),
                        });
                    }
                }
                _ => changes.push(Change::DropDomainCheck {
                    domain: name.clone(),
                    check: check.clone(),
                }),
            }
        }
        for (check_name, check) in &domain.checks {
            let kept = before
                .checks
                .get(check_name)
                .is_some_and(|b| b.expr == check.expr && (b.not_valid || !check.not_valid));
            if !kept {
                changes.push(Change::AddDomainCheck {
                    domain: name.clone(),
                    check: check.clone(),
                });
            }
        }
        if before.comment != domain.comment {
            changes.push(Change::CommentOnDomain {
                name: name.clone(),
                comment: domain.comment.clone(),
            });
        }
    }
    // Bases before the domains over them; dropped, the other way round.
    let bases_first = in_rounds(created, |d, left| !left.iter().any(|o| d.is_over(o)));
    changes.extend(bases_first.into_iter().map(|d| Change::CreateDomain(d.clone())));
    let dropped: Vec<&Domain> = old
        .domains
        .values()
        .filter(|d| !new.domains.contains_key(&d.name))
        .collect();
    let dependents_first = in_rounds(dropped, |d, left| !left.iter().any(|o| o.is_over(d)));
    changes.extend(dependents_first.into_iter().map(|d| Change::DropDomain(d.clone())));
}

fn extensions(old: &Schema, new: &Schema, changes: &mut Vec<Change>) {
    for (name, extension) in &new.extensions {
        match old.extensions.get(name) {
            None => changes.push(Change::CreateExtension(extension.clone())),
            Some(before) => {
                if before.version != extension.version && extension.version.is_some() {
                    changes.push(Change::AlterExtensionVersion {
                        name: name.clone(),
                        version: extension.version.clone(),
                    });
                }
                if let Some(schema) = &extension.schema {
                    if before.schema.as_ref() != Some(schema) {
                        changes.push(Change::AlterExtensionSchema {
                            name: name.clone(),
                            schema: schema.clone(),
                        });
                    }
                }
            }
        }
    }
    for (name, extension) in &old.extensions {
        if !new.extensions.contains_key(name) {
            changes.push(Change::DropExtension(extension.clone()));
        }
    }
}

fn collations(old: &Schema, new: &Schema, changes: &mut Vec<Change>) {
    for (name, collation) in &new.collations {
        match old.collations.get(name) {
            None => changes.push(Change::CreateCollation(collation.clone())),
            Some(before) => {
                let definition = |c: &Collation| Collation {
                    comment: None,
                    ..c.clone()
                };
                if definition(before) != definition(collation) {
                    changes.push(Change::RecreateCollation {
                        old: before.clone(),
                        new: collation.clone(),
                    });
                } else if before.comment != collation.comment {
                    changes.push(Change::CommentOnCollation {
                        name: name.clone(),
                        comment: collation.comment.clone(),
                    });
                }
            }
        }
    }
    for (name, collation) in &old.collations {
        if !new.collations.contains_key(name) {
            changes.push(Change::DropCollation(collation.clone()));
        }
    }
}

fn enums(old: &Schema, new: &Schema, renames: &Renames, changes: &mut Vec<Change>) {
    let mut matched = BTreeSet::new();
    for (name, enumeration) in &new.enums {
        let old_name = renames.enums.get(name).unwrap_or(name);
        let Some(before) = old.enums.get(old_name) else {
            // A check-stored enum is no object of its own: its columns' checks
            // come with the columns.
            if enumeration.storage == EnumStorage::Native {
                changes.push(Change::CreateEnum(enumeration.clone()));
            }
            continue;
        };
        matched.insert(old_name.clone());
        // Only a native enum is a type to rename: a check-stored one lives in
        // its checks' markers, and a conversion makes the type under its new
        // name (or takes the old one away by its old name).
        let both_native = before.storage == EnumStorage::Native && enumeration.storage == EnumStorage::Native;
        if old_name != name && both_native {
            changes.push(Change::RenameEnum {
                from: old_name.clone(),
                to: name.clone(),
            });
        }
        // A check-stored enum's comment lives in its checks' markers.
        if before.comment != enumeration.comment && enumeration.storage == EnumStorage::Native {
            changes.push(Change::CommentOnEnum {
                name: name.clone(),
                comment: enumeration.comment.clone(),
            });
        }
        if before.storage != enumeration.storage || enumeration.storage == EnumStorage::Check {
            // Check-stored enums live in their columns' checks, which the
            // table diff compares label by label.
            if before.storage != enumeration.storage {
                changes.push(Change::RecreateEnum {
                    old: before.clone(),
                    new: enumeration.clone(),
                    columns: converted_columns(old, new, renames, old_name, name),
                });
            } else {
                check_labels(old, new, before, enumeration, renames, changes);
            }
            continue;
        }
        enum_labels(before, enumeration, renames, (old, new), changes);
    }
    for (name, enumeration) in &old.enums {
        if !matched.contains(name) && enumeration.storage == EnumStorage::Native {
            changes.push(Change::DropEnum(enumeration.clone()));
        }
    }
}

/// An `as check` enum's renamed and removed labels, for each column of it
/// that existed before: rows move to a renamed label; a removed label is
/// guarded (the upgrade stops if rows still hold it).
fn check_labels(old: &Schema, new: &Schema, before: &Enum, after: &Enum, renames: &Renames, changes: &mut Vec<Change>) {
    let old_name_of = |label: &str| renames.old_label(&after.name, label);
    let moved: Vec<(String, String)> = after
        .labels
        .iter()
        .map(|l| (old_name_of(&l.name), l.name.clone()))
        .filter(|(from, to)| from != to && before.labels.iter().any(|b| &b.name == from))
        .collect();
    let kept: BTreeSet<String> = after.labels.iter().map(|l| old_name_of(&l.name)).collect();
    let removed: Vec<&str> = before
        .labels
        .iter()
        .map(|l| l.name.as_str())
        .filter(|l| !kept.contains(*l))
        .collect();
    if moved.is_empty() && removed.is_empty() {
        return;
    }
    for column in enum_columns(new, &after.name) {
        if column.array_dims > 0 {
            continue;
        }
        let old_table_name = renames.tables.get(&column.table).unwrap_or(&column.table);
        let old_column_name = renames
            .columns
            .get(&column.table)
            .and_then(|c| c.get(&column.column))
            .unwrap_or(&column.column);
        let existed = old.tables.get(old_table_name).and_then(|t| t.column(old_column_name)).is_some_and(
            |c| matches!(&c.data_type.name, TypeName::User(n) if old.enums.get(n).is_some_and(|e| e.name == before.name)),
        );
        if !existed {
            continue;
        }
        for label in &removed {
            changes.push(Change::GuardEnumLabel {
                table: old_table_name.clone(),
                column: old_column_name.clone(),
                enum_name: before.name.clone(),
                label: label.to_string(),
            });
        }
        for (from, to) in &moved {
            changes.push(Change::UpdateEnumLabel {
                table: column.table.clone(),
                column: column.column.clone(),
                from: from.clone(),
                to: to.clone(),
            });
        }
    }
}

/// The columns (of `schema`) whose type is the enum.
fn enum_columns(schema: &Schema, enum_name: &QualifiedName) -> Vec<ConvertedColumn> {
    let mut columns = Vec::new();
    for table in schema.tables.values() {
        for column in &table.columns {
            if matches!(&column.data_type.name, TypeName::User(n) if **n == *enum_name) {
                columns.push(ConvertedColumn {
                    table: table.name.clone(),
                    column: column.name.clone(),
                    default: column.default.as_ref().map(|d| d.value.clone()),
                    had_default: column.default.is_some(),
                    array_dims: column.data_type.array_dims,
                });
            }
        }
    }
    columns
}

/// The columns a recreation of an enum (or composite type) converts: those
/// of the type that exist when it runs, which is after the renames and drops of the
/// plan and before its new tables, new columns and other type changes. So
/// these are the columns of `old` of the enum (`before`), by their names in
/// `new`, that `new` still has; a column that leaves the enum is converted
/// too (its own type change comes later), without its default.
pub(super) fn converted_columns(
    old: &Schema,
    new: &Schema,
    renames: &Renames,
    before: &QualifiedName,
    after: &QualifiedName,
) -> Vec<ConvertedColumn> {
    let table_names: BTreeMap<&QualifiedName, &QualifiedName> = renames.tables.iter().map(|(n, o)| (o, n)).collect();
    let mut columns = Vec::new();
    for table in old.tables.values() {
        let name = table_names.get(&table.name).copied().unwrap_or(&table.name);
        let Some(now) = new.tables.get(name) else { continue };
        let column_names: BTreeMap<&Ident, &Ident> = renames
            .columns
            .get(name)
            .map(|m| m.iter().map(|(n, o)| (o, n)).collect())
            .unwrap_or_default();
        // A column the table has from a parent is converted with the parent's.
        let inherited = match table.inherits.is_empty() {
            true => Vec::new(),
            false => old.inherited_columns(table),
        };
        for column in &table.columns {
            if !matches!(&column.data_type.name, TypeName::User(n) if **n == *before)
                || inherited.iter().any(|c| c.name == column.name)
            {
                continue;
            }
            let column_name = column_names.get(&column.name).copied().unwrap_or(&column.name);
            let Some(later) = now.column(column_name) else { continue };
            let stays = matches!(&later.data_type.name, TypeName::User(n) if **n == *after);
            columns.push(ConvertedColumn {
                table: name.clone(),
                column: column_name.clone(),
                default: later.default.as_ref().filter(|_| stays).map(|d| d.value.clone()),
                had_default: column.default.is_some(),
                array_dims: column.data_type.array_dims,
            });
        }
    }
    columns
}

/// Labels: renames, then additions at their place; removals or a new order
/// need the type recreated.
fn enum_labels(
    before: &Enum,
    after: &Enum,
    renames: &Renames,
    (old, new): (&Schema, &Schema),
    changes: &mut Vec<Change>,
) {
    let old_name_of = |label: &str| renames.old_label(&after.name, label);
    let old_labels: Vec<&str> = before.labels.iter().map(|l| l.name.as_str()).collect();
    // New labels in old names where they existed before.
    let kept: Vec<(String, String)> = after
        .labels
        .iter()
        .filter_map(|l| {
            let old = old_name_of(&l.name);
            old_labels.contains(&old.as_str()).then(|| (old, l.name.clone()))
        })
        .collect();
    let kept_old: Vec<&str> = kept.iter().map(|(o, _)| o.as_str()).collect();
    if kept_old != old_labels {
        // A label removed, or the order changed.
        changes.push(Change::RecreateEnum {
            old: before.clone(),
            new: after.clone(),
            columns: converted_columns(old, new, renames, &before.name, &after.name),
        });
        return;
    }
    for (old, new) in &kept {
        if old != new {
            changes.push(Change::RenameEnumLabel {
                enum_name: after.name.clone(),
                from: old.clone(),
                to: new.clone(),
            });
        }
    }
    let existing: BTreeSet<&str> = kept.iter().map(|(_, n)| n.as_str()).collect();
    let mut placed: Vec<&str> = kept.iter().map(|(_, n)| n.as_str()).collect();
    for (i, label) in after.labels.iter().enumerate() {
        if existing.contains(label.name.as_str()) {
            continue;
        }
        // Before the next label that already exists, else after the previous.
        let next = after.labels[i + 1..].iter().find(|l| placed.contains(&l.name.as_str()));
        let position = match next {
            Some(next) => LabelPosition::Before(next.name.clone()),
            None => match after.labels[..i].last() {
                Some(previous) => LabelPosition::After(previous.name.clone()),
                None => LabelPosition::Last,
            },
        };
        placed.push(label.name.as_str());
        changes.push(Change::AddEnumLabel {
            enum_name: after.name.clone(),
            label: label.name.clone(),
            position,
        });
    }
}

fn sequences(old: &Schema, new: &Schema, renames: &Renames, changes: &mut Vec<Change>) {
    let mut matched = BTreeSet::new();
    // Tables made anew (a new partition key): a sequence one owns would go
    // with it, so it is let go of first and owned again once the table is
    // made.
    let remade = tables::repartitioned(old, new, renames);
    for (name, sequence) in &new.sequences {
        let old_name = renames.sequences.get(name).unwrap_or(name);
        let Some(before) = old.sequences.get(old_name) else {
            changes.push(Change::CreateSequence(sequence.clone()));
            // The owning column exists only once the tables are made.
            if let Some(owner) = &sequence.owned_by {
                changes.push(Change::SetSequenceOwner {
                    name: name.clone(),
                    owner: Some(owner.value.clone()),
                });
            }
            continue;
        };
        matched.insert(old_name.clone());
        // Where the sequence is once its tables have moved: a table moved to
        // another schema takes the sequences it owns along.
        let moved_to = moved_with_owner(before, renames).unwrap_or_else(|| old_name.clone());
        let owner = |s: &Sequence| s.owned_by.as_ref().map(|o| o.value.clone());
        let expected_old_owner = owner(before).map(|(t, c)| renames.forward_column(&t, &c));
        let owner_remade = expected_old_owner
            .as_ref()
            .is_some_and(|(table, _)| remade.contains(table));
        let released = expected_old_owner.is_some() && (expected_old_owner != owner(sequence) || owner_remade);
        if released {
            // Released first, before anything moves or is dropped: a move of
            // the old owning table takes it along, dropping the old owning
            // column takes it away.
            changes.push(Change::SetSequenceOwner {
                name: old_name.clone(),
                owner: None,
            });
        }
        let at = if released { old_name } else { &moved_to };
        if at != name {
            changes.push(Change::RenameSequence {
                from: at.clone(),
                to: name.clone(),
            });
        }
        if before.options != sequence.options {
            changes.push(Change::AlterSequence {
                name: name.clone(),
                old: before.options.clone(),
                new: sequence.options.clone(),
            });
        }
        if expected_old_owner != owner(sequence) || owner_remade {
            if let Some(owner) = owner(sequence) {
                changes.push(Change::SetSequenceOwner {
                    name: name.clone(),
                    owner: Some(owner),
                });
            }
        }
        if before.comment != sequence.comment {
            changes.push(Change::CommentOnSequence {
                name: name.clone(),
                comment: sequence.comment.clone(),
            });
        }
    }
    for (name, sequence) in &old.sequences {
        // A sequence whose owning column goes is dropped with it by
        // PostgreSQL (a partition's or child's columns are its parents').
        let owner_dropped = sequence.owned_by.as_ref().is_some_and(|owner| {
            let (table, column) = renames.forward_column(&owner.value.0, &owner.value.1);
            !new.has_column(&table, &column)
        });
        if !matched.contains(name) && !owner_dropped {
            if moved_with_owner(sequence, renames).is_some() {
                // Let go of before its table moves, so that it stays here.
                changes.push(Change::SetSequenceOwner {
                    name: name.clone(),
                    owner: None,
                });
            }
            changes.push(Change::DropSequence(sequence.clone()));
        }
    }
}

/// The name an old sequence has once the table that owns it has moved to
/// another schema (PostgreSQL moves owned sequences along); None when its
/// owner stays in the sequence's schema.
fn moved_with_owner(sequence: &Sequence, renames: &Renames) -> Option<QualifiedName> {
    let owner = sequence.owned_by.as_ref()?;
    let (table, _) = renames.forward_column(&owner.value.0, &owner.value.1);
    (table.schema != sequence.name.schema).then(|| QualifiedName {
        schema: table.schema,
        name: sequence.name.name.clone(),
    })
}
