//! Roles belong to the whole server, not to a schema: trellisc never makes
//! them. A grant, a default privilege or a policy for a role the server
//! lacks would fail half way through a plan, so it is refused before any
//! SQL, naming the role and where the schema uses it.

use std::collections::BTreeSet;

use crate::diag::{Code, Diagnostic};
use crate::ir::*;

/// The words SQL takes for roles that are not names of roles.
const SPECIAL: [&str; 4] = ["public", "current_user", "current_role", "session_user"];

/// An error for each role the schema grants to, sets default privileges
/// for or applies a policy to that `roles` (the server's) lacks; each role
/// once, at its first use.
pub fn unknown(schema: &Schema, roles: &BTreeSet<Ident>) -> Vec<Diagnostic> {
    let mut uses: Vec<(Ident, String, Origin)> = Vec::new();
    for (key, grant) in &schema.privileges.grants {
        if let Grantee::Role(role) = &key.grantee {
            let what = match &key.column {
                Some(column) => format!(
                    "a grant of {} ({column}) on {}",
                    key.privilege.keyword().to_lowercase(),
                    key.object
                ),
                None => format!(
                    "a grant of {} on {}",
                    key.privilege.keyword().to_lowercase(),
                    key.object
                ),
            };
            uses.push((role.clone(), what, grant.origin));
        }
    }
    for key in schema.privileges.defaults.keys() {
        if let Some(role) = &key.role {
            uses.push((role.clone(), "default privileges `for role`".into(), Origin::default()));
        }
        if let Grantee::Role(role) = &key.grantee {
            uses.push((
                role.clone(),
                format!("default privileges on {}", key.kind.keyword().to_lowercase()),
                Origin::default(),
            ));
        }
    }
    for table in schema.tables.values() {
        for policy in table.policies.values() {
            for role in &policy.roles {
                uses.push((
                    role.clone(),
                    format!("policy {} on {}", policy.name.quoted(), table.name),
                    policy.origin,
                ));
            }
        }
    }
    let mut named = BTreeSet::new();
    let mut diagnostics = Vec::new();
    for (role, what, origin) in uses {
        if SPECIAL.contains(&role.as_str()) || roles.contains(&role) || !named.insert(role.clone()) {
            continue;
        }
        diagnostics.push(
            super::at(
                Diagnostic::new(
                    Code::UnknownRole,
                    format!("the server has no role {}, which {what} names", role.quoted()),
                ),
                origin,
                "a role the server lacks",
            )
            .help(format!(
                "roles belong to the whole server and trellisc does not make them: create it first (`CREATE ROLE {}`), or remove it from the schema",
                role.quoted()
            )),
        );
    }
    diagnostics
}
