//! Privileges: the grants and revokes that take each object's access
//! control list, and the default privileges, from one side to the other,
//! for the grantees the two sides manage.
//!
//! An object the plan makes (or makes anew) starts from what PostgreSQL
//! and the new default privileges give it, not from what the old one had.

use std::collections::{BTreeMap, BTreeSet};

use super::{Change, Renames};
use crate::ir::grants::{initial, securables};
use crate::ir::*;

/// Privilege (perhaps on a column) → whether it may be passed on.
type Acl = BTreeMap<(Option<Ident>, Privilege), bool>;

pub(super) fn privileges(old: &Schema, new: &Schema, renames: &Renames, changes: &mut Vec<Change>) {
    let held = old
        .privileges
        .grants
        .keys()
        .chain(new.privileges.grants.keys())
        .map(|k| &k.grantee);
    let held_defaults = old
        .privileges
        .defaults
        .keys()
        .chain(new.privileges.defaults.keys())
        .map(|k| &k.grantee);
    let managed = ManagedRoles::between(
        &old.privileges.managed,
        &new.privileges.managed,
        held.chain(held_defaults),
    );
    if managed.is_empty() {
        return;
    }
    defaults(old, new, &managed, changes);
    let (made, made_columns) = made_by(changes);
    let old_acls = by_object(&old.privileges.grants, &managed);
    let new_acls = by_object(&new.privileges.grants, &managed);
    let none = BTreeMap::new();
    let mut out = Vec::new();
    for object in securables(new) {
        let after = new_acls.get(&object).unwrap_or(&none);
        let before: BTreeMap<Grantee, Acl> = if made.contains(&object) {
            let mut before: BTreeMap<Grantee, Acl> = BTreeMap::new();
            for ((grantee, privilege), grantable) in initial(&object, &new.privileges.defaults) {
                if managed.contains(&grantee) {
                    before.entry(grantee).or_default().insert((None, privilege), grantable);
                }
            }
            before
        } else {
            let old_object = old_name(&object, renames);
            let columns = relation_of(&object).and_then(|t| renames.columns.get(t));
            let renamed_column = |column: &Ident| -> Option<Ident> {
                // Old column name → new: renames hold new → old.
                match columns.and_then(|c| c.iter().find(|(_, old)| *old == column)) {
                    Some((new_name, _)) => Some(new_name.clone()),
                    None if columns.is_some_and(|c| c.contains_key(column)) => None,
                    None => Some(column.clone()),
                }
            };
            let mut before: BTreeMap<Grantee, Acl> = BTreeMap::new();
            for (grantee, acl) in old_acls.get(&old_object).unwrap_or(&none) {
                let mut mapped = Acl::new();
                for ((column, privilege), grantable) in acl {
                    let column = match column {
                        None => None,
                        Some(c) => match renamed_column(c) {
                            // A column the plan adds anew holds nothing yet.
                            Some(c) if made_columns.contains(&(relation_of(&object).cloned(), c.clone())) => continue,
                            Some(c) => Some(c),
                            None => continue,
                        },
                    };
                    mapped.insert((column, *privilege), *grantable);
                }
                before.insert(grantee.clone(), mapped);
            }
            before
        };
        let grantees: BTreeSet<&Grantee> = before.keys().chain(after.keys()).collect();
        for grantee in grantees {
            let empty = Acl::new();
            let was = before.get(grantee).unwrap_or(&empty);
            let is = after.get(grantee).unwrap_or(&empty);
            acl_changes(&object, grantee, was, is, &mut out);
        }
    }
    changes.extend(out);
}

/// The changes that take one grantee's privileges on one object from
/// `was` to `is`: revokes first, then grants, each privilege list in order.
fn acl_changes(object: &Securable, grantee: &Grantee, was: &Acl, is: &Acl, out: &mut Vec<Change>) {
    let mut revoke = Vec::new();
    let mut revoke_option = Vec::new();
    let mut grant = Vec::new();
    let mut grant_option = Vec::new();
    for (atom, grantable) in was {
        match is.get(atom) {
            None => revoke.push(atom.clone()),
            Some(false) if *grantable => revoke_option.push(atom.clone()),
            Some(_) => {}
        }
    }
    for (atom, grantable) in is {
        match was.get(atom) {
            None if *grantable => grant_option.push(atom.clone()),
            None => grant.push(atom.clone()),
            Some(false) if *grantable => grant_option.push(atom.clone()),
            Some(_) => {}
        }
    }
    let swap = |atoms: Vec<(Option<Ident>, Privilege)>| atoms.into_iter().map(|(c, p)| (p, c)).collect::<Vec<_>>();
    for (atoms, grant_option_only) in [(revoke, false), (revoke_option, true)] {
        if !atoms.is_empty() {
            out.push(Change::Revoke {
                object: object.clone(),
                grantee: grantee.clone(),
                privileges: swap(atoms),
                grant_option_only,
            });
        }
    }
    for (atoms, grantable) in [(grant, false), (grant_option, true)] {
        if !atoms.is_empty() {
            out.push(Change::Grant {
                object: object.clone(),
                grantee: grantee.clone(),
                privileges: swap(atoms),
                grantable,
            });
        }
    }
}

/// Default privileges: granted, withheld and taken back, by role, schema,
/// kind and grantee.
fn defaults(old: &Schema, new: &Schema, managed: &BTreeSet<Grantee>, changes: &mut Vec<Change>) {
    type Group = (Option<Ident>, Option<Ident>, DefaultKind, Grantee);
    let group = |key: &DefaultKey| -> Group { (key.role.clone(), key.schema.clone(), key.kind, key.grantee.clone()) };
    // Per group: (grant, grant with option, revoke, revoke grant option).
    let mut groups: BTreeMap<Group, [Vec<Privilege>; 4]> = BTreeMap::new();
    let keys: BTreeSet<&DefaultKey> = old
        .privileges
        .defaults
        .keys()
        .chain(new.privileges.defaults.keys())
        .collect();
    for key in keys.into_iter().filter(|k| managed.contains(&k.grantee)) {
        let was = old.privileges.defaults.get(key);
        let is = new.privileges.defaults.get(key);
        let slot = match (was, is) {
            (a, b) if a == b => continue,
            // Withholding what PostgreSQL gives by itself is a revoke;
            // giving it back, a grant.
            (_, Some(DefaultGrant::Revoked)) => 2,
            (Some(DefaultGrant::Revoked), None) => 0,
            (_, Some(DefaultGrant::Granted { grantable: true })) => 1,
            (Some(DefaultGrant::Granted { grantable: true }), Some(DefaultGrant::Granted { grantable: false })) => 3,
            (_, Some(DefaultGrant::Granted { grantable: false })) => 0,
            (Some(DefaultGrant::Granted { .. }), None) => 2,
            (None, None) => continue,
        };
        groups.entry(group(key)).or_default()[slot].push(key.privilege);
        // From withheld to granted: the builtin comes back first.
        if was == Some(&DefaultGrant::Revoked) && slot == 1 {
            groups.entry(group(key)).or_default()[0].push(key.privilege);
        }
    }
    for ((role, schema, kind, grantee), [grant, grant_option, revoke, revoke_option]) in groups {
        for (privileges, grant_option_only) in [(revoke, false), (revoke_option, true)] {
            if !privileges.is_empty() {
                changes.push(Change::RevokeDefault {
                    role: role.clone(),
                    schema: schema.clone(),
                    kind,
                    grantee: grantee.clone(),
                    privileges,
                    grant_option_only,
                });
            }
        }
        for (privileges, grantable) in [(grant, false), (grant_option, true)] {
            if !privileges.is_empty() {
                changes.push(Change::GrantDefault {
                    role: role.clone(),
                    schema: schema.clone(),
                    kind,
                    grantee: grantee.clone(),
                    privileges,
                    grantable,
                });
            }
        }
    }
}

/// The objects the plan makes (or makes anew), and the columns it adds.
fn made_by(changes: &[Change]) -> (BTreeSet<Securable>, BTreeSet<(Option<QualifiedName>, Ident)>) {
    let mut made = BTreeSet::new();
    let mut columns = BTreeSet::new();
    let routine = |r: &Routine| {
        let kind = if r.procedure {
            RoutineKind::Procedure
        } else {
            RoutineKind::Function
        };
        Securable::Routine(r.id.clone(), kind)
    };
    for change in changes {
        let object = match change {
            Change::CreateSchema(name) => Securable::Schema(name.clone()),
            Change::CreateTable(table) => Securable::Relation(table.name.clone()),
            Change::CreateView(view) => Securable::Relation(view.name.clone()),
            Change::CreateSequence(sequence) => Securable::Sequence(sequence.name.clone()),
            Change::CreateRoutine { routine: r, .. } => routine(r),
            Change::RecreateRoutine { new, .. } => routine(new),
            Change::CreateEnum(e) | Change::RecreateEnum { new: e, .. } => Securable::Type(e.name.clone()),
            Change::CreateDomain(d) | Change::RecreateDomain { new: d, .. } => Securable::Type(d.name.clone()),
            Change::CreateComposite(c)
            | Change::RecreateComposite { new: c, .. }
            | Change::RebuildComposite { new: c, .. } => Securable::Type(c.name.clone()),
            Change::CreateRange(r) | Change::RecreateRange { new: r, .. } => Securable::Type(r.name.clone()),
            Change::AddColumn { table, column } => {
                columns.insert((Some(table.clone()), column.name.clone()));
                continue;
            }
            _ => continue,
        };
        made.insert(object);
    }
    (made, columns)
}

/// The privileges held, by object and grantee, for the managed grantees.
fn by_object(
    grants: &BTreeMap<GrantKey, Grant>,
    managed: &BTreeSet<Grantee>,
) -> BTreeMap<Securable, BTreeMap<Grantee, Acl>> {
    let mut out: BTreeMap<Securable, BTreeMap<Grantee, Acl>> = BTreeMap::new();
    for (key, grant) in grants.iter().filter(|(k, _)| managed.contains(&k.grantee)) {
        out.entry(key.object.clone())
            .or_default()
            .entry(key.grantee.clone())
            .or_default()
            .insert((key.column.clone(), key.privilege), grant.grantable);
    }
    out
}

fn relation_of(object: &Securable) -> Option<&QualifiedName> {
    match object {
        Securable::Relation(name) => Some(name),
        _ => None,
    }
}

/// The object by its name on the old side.
fn old_name(object: &Securable, renames: &Renames) -> Securable {
    match object {
        Securable::Relation(name) => Securable::Relation(
            renames
                .tables
                .get(name)
                .or_else(|| renames.views.get(name))
                .unwrap_or(name)
                .clone(),
        ),
        Securable::Sequence(name) => Securable::Sequence(renames.sequences.get(name).unwrap_or(name).clone()),
        Securable::Routine(id, kind) => Securable::Routine(renames.routines.get(id).unwrap_or(id).clone(), *kind),
        Securable::Type(name) => Securable::Type(renames.enums.get(name).unwrap_or(name).clone()),
        Securable::Schema(name) => Securable::Schema(name.clone()),
    }
}
