//! Row-level security and policies: matched by table and name (renamed
//! with `was`), altered in place where `ALTER POLICY` can, else dropped and
//! created.

use std::collections::BTreeSet;

use super::{Change, Renames};
use crate::ir::*;

pub(super) fn policies(old: &Schema, new: &Schema, renames: &Renames, changes: &mut Vec<Change>) {
    // Columns the plan retypes or drops: PostgreSQL does neither under a
    // policy that names the column, which goes before and comes back after.
    let reshaped = super::views::reshaped_columns(changes);
    let made = super::made_tables(changes);
    for (name, table) in &new.tables {
        let old_name = renames.tables.get(name).unwrap_or(name);
        let Some(before) = old.tables.get(old_name).filter(|_| !made.contains(name)) else {
            // A new table (or one made anew): its policies and row security
            // come with it.
            if table.row_security != RowSecurity::default() {
                changes.push(Change::SetRowSecurity {
                    table: name.clone(),
                    old: RowSecurity::default(),
                    new: table.row_security,
                });
            }
            for policy in table.policies.values() {
                changes.push(Change::CreatePolicy {
                    table: name.clone(),
                    policy: policy.clone(),
                });
            }
            continue;
        };
        if before.row_security != table.row_security {
            changes.push(Change::SetRowSecurity {
                table: name.clone(),
                old: before.row_security,
                new: table.row_security,
            });
        }
        let hints = renames.policies.get(name);
        let mut matched = BTreeSet::new();
        for policy in table.policies.values() {
            let create = Change::CreatePolicy {
                table: name.clone(),
                policy: policy.clone(),
            };
            let old_policy_name = hints.and_then(|h| h.get(&policy.name)).unwrap_or(&policy.name);
            let Some(previous) = before.policies.get(old_policy_name) else {
                changes.push(create);
                continue;
            };
            matched.insert(old_policy_name.clone());
            // The columns are by their old names in the old policy, whose
            // table the changes name by its new name.
            let old_columns = renames.columns.get(name);
            let held = previous.columns.iter().any(|c| {
                let new_column = old_columns
                    .and_then(|r| r.iter().find(|(_, o)| *o == c).map(|(n, _)| n))
                    .unwrap_or(c);
                reshaped.contains(&(name.clone(), new_column.clone())) || reshaped.contains(&(name.clone(), c.clone()))
            });
            // `ALTER POLICY` changes roles and expressions, but cannot take
            // an expression away, nor change the command or kind.
            let lost_clause = (previous.using.is_some() && policy.using.is_none())
                || (previous.check.is_some() && policy.check.is_none());
            if held || lost_clause || previous.permissive != policy.permissive || previous.command != policy.command {
                changes.push(Change::DropPolicy {
                    table: old_name.clone(),
                    policy: previous.clone(),
                });
                changes.push(create);
                continue;
            }
            if old_policy_name != &policy.name {
                changes.push(Change::RenamePolicy {
                    table: name.clone(),
                    from: old_policy_name.clone(),
                    to: policy.name.clone(),
                });
            }
            let expressions_differ = previous.canonical != policy.canonical;
            if previous.roles != policy.roles || expressions_differ {
                changes.push(Change::AlterPolicy {
                    table: name.clone(),
                    name: policy.name.clone(),
                    roles: (previous.roles != policy.roles).then(|| policy.roles.clone()),
                    using: policy.using.clone().filter(|_| expressions_differ),
                    check: policy.check.clone().filter(|_| expressions_differ),
                });
            }
            if previous.comment != policy.comment {
                changes.push(Change::CommentOnPolicy {
                    table: name.clone(),
                    name: policy.name.clone(),
                    comment: policy.comment.clone(),
                });
            }
        }
        for (policy_name, policy) in &before.policies {
            if !matched.contains(policy_name) {
                changes.push(Change::DropPolicy {
                    table: old_name.clone(),
                    policy: policy.clone(),
                });
            }
        }
    }
}
