//! Composite and range types: made, dropped, renamed; a composite type's
//! attributes added, dropped, renamed and retyped in place.

use super::Change;
use super::renames::Renames;
use crate::ir::*;

pub(super) fn user_types(old: &Schema, new: &Schema, renames: &Renames, changes: &mut Vec<Change>) {
    let mut created: Vec<&CompositeType> = Vec::new();
    let mut kept_old: Vec<&QualifiedName> = Vec::new();
    for (name, after) in &new.composites {
        let old_name = renames.enums.get(name).unwrap_or(name);
        let Some(before) = old.composites.get(old_name) else {
            created.push(after);
            continue;
        };
        kept_old.push(old_name);
        if old_name != name {
            changes.push(Change::RenameType {
                old: old_name.clone(),
                new: name.clone(),
                multirange: false,
            });
        }
        let mut altered = Vec::new();
        attributes(before, after, renames.attributes.get(name), &mut altered);
        let retyped = altered
            .iter()
            .any(|c| matches!(c, Change::AlterAttributeType { .. } | Change::RecreateComposite { .. }));
        let columns = match retyped {
            true => super::converted_columns(old, new, renames, old_name, name),
            false => Vec::new(),
        };
        if columns.is_empty() {
            changes.extend(altered);
        } else {
            let renamed = renames.attributes.get(name);
            let from = after
                .attributes
                .iter()
                .map(|a| {
                    let was = renamed.and_then(|r| r.get(&a.name)).unwrap_or(&a.name);
                    before.attributes.iter().any(|b| &b.name == was).then(|| was.clone())
                })
                .collect();
            changes.push(Change::RebuildComposite {
                old: CompositeType {
                    name: name.clone(),
                    ..before.clone()
                },
                new: after.clone(),
                from,
                columns,
            });
            comments_of_new(after, changes);
        }
        if before.comment != after.comment {
            changes.push(Change::CommentOnType {
                name: name.clone(),
                comment: after.comment.clone(),
            });
        }
    }
    // What a new type uses among the new ones is made before it.
    let created = in_rounds(created, |c, left| {
        !c.uses().any(|u| left.iter().any(|l| l.name == *u && l.name != c.name))
    });
    for composite in created {
        changes.push(Change::CreateComposite(composite.clone()));
        comments_of_new(composite, changes);
    }
    let dropped: Vec<&CompositeType> = old
        .composites
        .values()
        .filter(|c| !kept_old.contains(&&c.name))
        .collect();
    // A type goes before the types it uses.
    let dropped = in_rounds(dropped, |c, left| {
        !left.iter().any(|l| l.name != c.name && l.uses().any(|u| *u == c.name))
    });
    changes.extend(dropped.into_iter().map(|c| Change::DropComposite(c.clone())));

    let mut kept_ranges: Vec<&QualifiedName> = Vec::new();
    for (name, after) in &new.ranges {
        let old_name = renames.enums.get(name).unwrap_or(name);
        let Some(before) = old.ranges.get(old_name) else {
            changes.push(Change::CreateRange(Box::new(after.clone())));
            if after.comment.is_some() {
                changes.push(Change::CommentOnType {
                    name: name.clone(),
                    comment: after.comment.clone(),
                });
            }
            continue;
        };
        kept_ranges.push(old_name);
        if old_name != name {
            changes.push(Change::RenameType {
                old: old_name.clone(),
                new: name.clone(),
                multirange: before.multirange.is_none() && after.multirange.is_none(),
            });
        }
        let options = |r: &RangeType| RangeType {
            name: name.clone(),
            was: None,
            comment: None,
            ..r.clone()
        };
        if options(before) != options(after) {
            let multiranges =
                super::converted_columns(old, new, renames, &before.multirange_name(), &after.multirange_name());
            changes.push(Change::RecreateRange {
                old: Box::new(RangeType {
                    name: name.clone(),
                    ..before.clone()
                }),
                new: Box::new(after.clone()),
                columns: super::converted_columns(old, new, renames, old_name, name),
                multiranges,
            });
        }
        // A range made again has lost its comment.
        let recreated = matches!(changes.last(), Some(Change::RecreateRange { new, .. }) if &new.name == name);
        if before.comment != after.comment || recreated && after.comment.is_some() {
            changes.push(Change::CommentOnType {
                name: name.clone(),
                comment: after.comment.clone(),
            });
        }
    }
    for range in old.ranges.values().filter(|r| !kept_ranges.contains(&&r.name)) {
        changes.push(Change::DropRange(Box::new(range.clone())));
    }
}

/// The comments of a type just made, and of its attributes.
fn comments_of_new(composite: &CompositeType, changes: &mut Vec<Change>) {
    if composite.comment.is_some() {
        changes.push(Change::CommentOnType {
            name: composite.name.clone(),
            comment: composite.comment.clone(),
        });
    }
    for attribute in composite.attributes.iter().filter(|a| a.comment.is_some()) {
        changes.push(Change::CommentOnAttribute {
            composite: composite.name.clone(),
            attribute: attribute.name.clone(),
            comment: attribute.comment.clone(),
        });
    }
}

/// The attributes' changes, in place where PostgreSQL can make them:
/// kept attributes in their order, new ones after them. Any other order is
/// reached by making the type again.
fn attributes(
    before: &CompositeType,
    after: &CompositeType,
    renamed: Option<&std::collections::BTreeMap<Ident, Ident>>,
    changes: &mut Vec<Change>,
) {
    let name = &after.name;
    let old_name_of = |a: &TypeAttribute| renamed.and_then(|r| r.get(&a.name)).unwrap_or(&a.name).clone();
    let find_old = |n: &Ident| before.attributes.iter().find(|b| b.name == *n);
    let kept: Vec<(&TypeAttribute, &TypeAttribute)> = after
        .attributes
        .iter()
        .filter_map(|a| find_old(&old_name_of(a)).map(|b| (b, a)))
        .collect();
    let kept_old: Vec<&Ident> = kept.iter().map(|(b, _)| &b.name).collect();
    let old_order: Vec<&Ident> = before
        .attributes
        .iter()
        .map(|b| &b.name)
        .filter(|n| kept_old.contains(n))
        .collect();
    let first_added = after
        .attributes
        .iter()
        .position(|a| find_old(&old_name_of(a)).is_none())
        .unwrap_or(after.attributes.len());
    let appended = after.attributes[first_added..]
        .iter()
        .all(|a| find_old(&old_name_of(a)).is_none());
    if old_order != kept_old || !appended {
        changes.push(Change::RecreateComposite {
            old: CompositeType {
                name: name.clone(),
                ..before.clone()
            },
            new: after.clone(),
        });
        comments_of_new(after, changes);
        return;
    }
    for (b, a) in &kept {
        if b.name != a.name {
            changes.push(Change::RenameAttribute {
                composite: name.clone(),
                old: b.name.clone(),
                new: a.name.clone(),
            });
        }
    }
    for b in before.attributes.iter().filter(|b| !kept_old.contains(&&b.name)) {
        changes.push(Change::DropAttribute {
            composite: name.clone(),
            attribute: b.clone(),
        });
    }
    for (b, a) in &kept {
        if b.data_type != a.data_type || b.collation != a.collation {
            changes.push(Change::AlterAttributeType {
                composite: name.clone(),
                attribute: (*a).clone(),
            });
        }
        if b.comment != a.comment {
            changes.push(Change::CommentOnAttribute {
                composite: name.clone(),
                attribute: a.name.clone(),
                comment: a.comment.clone(),
            });
        }
    }
    for a in &after.attributes[first_added..] {
        changes.push(Change::AddAttribute {
            composite: name.clone(),
            attribute: a.clone(),
        });
        if a.comment.is_some() {
            changes.push(Change::CommentOnAttribute {
                composite: name.clone(),
                attribute: a.name.clone(),
                comment: a.comment.clone(),
            });
        }
    }
}
