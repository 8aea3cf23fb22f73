//! Grants, revokes and default privileges: resolved once every object is
//! lowered, into the schema's whole access control lists.

use std::collections::{BTreeMap, BTreeSet};

use super::{Lowerer, origin};
use crate::diag::{Code, Diagnostic, Span};
use crate::ir::*;
use crate::syntax::ast;

/// One privilege a declaration grants or revokes.
struct Atom {
    key: GrantKey,
    grantable: bool,
    origin: Origin,
}

impl Lowerer {
    /// Lowers every grant, revoke and default privilege into
    /// `schema.privileges`: what PostgreSQL and the default privileges give
    /// each object, with the grants added and the revokes taken away.
    pub(super) fn privileges(&mut self, decls: &[ast::GrantDecl]) {
        let mut managed: BTreeSet<Grantee> = self.options.roles.iter().cloned().map(Grantee::Role).collect();
        let mut grants = Vec::new();
        let mut revokes = Vec::new();
        let mut defaults: BTreeMap<DefaultKey, DefaultGrant> = BTreeMap::new();
        for decl in decls {
            let grantees: Vec<Grantee> = decl.grantees.iter().map(|g| self.grantee(g)).collect();
            managed.extend(grantees.iter().cloned());
            if let Some(clause) = &decl.defaults {
                self.default_privileges(decl, clause, &grantees, &mut defaults);
                continue;
            }
            if decl.revoke && decl.grant_option {
                // The grammar has no `with grant option` on a revoke.
                continue;
            }
            let atoms = self.grant_atoms(decl, &grantees);
            if decl.revoke {
                revokes.extend(atoms);
            } else {
                grants.extend(atoms);
            }
        }
        let mut held: BTreeMap<GrantKey, Grant> = BTreeMap::new();
        for object in crate::ir::grants::securables(&self.schema) {
            for ((grantee, privilege), grantable) in crate::ir::grants::initial(&object, &defaults) {
                let key = GrantKey {
                    object: object.clone(),
                    column: None,
                    grantee,
                    privilege,
                };
                let grant = Grant {
                    grantable,
                    implicit: true,
                    origin: Origin::default(),
                };
                held.insert(key, grant);
            }
        }
        for atom in grants {
            let grant = held.entry(atom.key).or_default();
            // Written for the object, a grant says whether it may be passed
            // on there, whatever a default privilege gave; two grants of one
            // privilege add up.
            grant.grantable = atom.grantable || (grant.grantable && !grant.implicit);
            grant.implicit = false;
            grant.origin = atom.origin;
        }
        for atom in revokes {
            held.remove(&atom.key);
        }
        self.schema.privileges = Privileges {
            grants: held,
            defaults,
            managed: ManagedRoles(Some(managed)),
        };
    }

    fn grantee(&mut self, name: &ast::Name) -> Grantee {
        if name.text.eq_ignore_ascii_case("public") {
            Grantee::Public
        } else {
            Grantee::Role(self.ident(name))
        }
    }

    fn invalid_grant(&mut self, span: Span, message: String, label: &str, help: String) {
        self.error(
            Diagnostic::new(Code::InvalidGrant, message)
                .primary(span, label)
                .help(help),
        );
    }

    /// The privileges a grant or revoke names on each of its objects, for
    /// each grantee; what PostgreSQL would refuse is reported instead.
    fn grant_atoms(&mut self, decl: &ast::GrantDecl, grantees: &[Grantee]) -> Vec<Atom> {
        let kind = decl.object_kind.as_ref().map(|k| k.text.to_ascii_lowercase());
        let mut atoms = Vec::new();
        for object in &decl.objects {
            let Some(securable) = self.grant_object(kind.as_deref(), object) else {
                continue;
            };
            let allowed = securable.privileges();
            let mut wanted: Vec<(Privilege, Option<Ident>, Span)> = Vec::new();
            let items: Vec<&ast::PrivilegeItem> = decl.all.iter().chain(&decl.privileges).collect();
            for item in items {
                let privileges: Vec<Privilege> = if decl.all.is_some() {
                    if item.columns.is_empty() {
                        securable.all().to_vec()
                    } else {
                        COLUMN_PRIVILEGES.to_vec()
                    }
                } else {
                    match Privilege::from_keyword(&item.name.text).filter(|p| allowed.contains(p)) {
                        Some(p) => vec![p],
                        None => {
                            let names: Vec<String> = allowed.iter().map(|p| p.keyword().to_lowercase()).collect();
                            self.invalid_grant(
                                item.name.span,
                                format!("`{}` is no privilege of {securable}", item.name.text),
                                "not a privilege this object has",
                                format!("{securable} has {}", names.join(", ")),
                            );
                            continue;
                        }
                    }
                };
                if item.columns.is_empty() {
                    wanted.extend(privileges.into_iter().map(|p| (p, None, item.name.span)));
                    continue;
                }
                let Securable::Relation(relation) = &securable else {
                    self.invalid_grant(
                        item.columns[0].span,
                        format!("a column list on {securable}"),
                        "only tables and views have columns to grant on",
                        "remove the column list".into(),
                    );
                    continue;
                };
                for &privilege in &privileges {
                    if !COLUMN_PRIVILEGES.contains(&privilege) {
                        self.invalid_grant(
                            item.name.span,
                            format!("`{}` cannot be granted on columns", privilege.keyword().to_lowercase()),
                            "a privilege of the whole table",
                            "columns take select, insert, update and references; grant the rest on the table".into(),
                        );
                        continue;
                    }
                    for column in &item.columns {
                        let name = self.ident(column);
                        if !self.has_column(relation, &name) {
                            self.invalid_grant(
                                column.span,
                                format!("{securable} has no column {}", name.quoted()),
                                "no such column",
                                "name a column the table or view has".into(),
                            );
                            continue;
                        }
                        wanted.push((privilege, Some(name), column.span));
                    }
                }
            }
            for grantee in grantees {
                for (privilege, column, span) in &wanted {
                    atoms.push(Atom {
                        key: GrantKey {
                            object: securable.clone(),
                            column: column.clone(),
                            grantee: grantee.clone(),
                            privilege: *privilege,
                        },
                        grantable: decl.grant_option,
                        origin: origin(*span),
                    });
                }
            }
        }
        atoms
    }

    fn has_column(&self, relation: &QualifiedName, column: &Ident) -> bool {
        if let Some(table) = self.schema.tables.get(relation) {
            return table.columns.iter().any(|c| c.name == *column);
        }
        // A view's columns are known when it names them.
        self.schema
            .views
            .get(relation)
            .is_none_or(|v| v.columns.is_empty() || v.columns.contains(column))
    }

    /// The object a grant names, looked up by the kind written before it
    /// (none: a table, view or sequence).
    fn grant_object(&mut self, kind: Option<&str>, object: &ast::GrantObject) -> Option<Securable> {
        let unknown = |this: &mut Lowerer, what: &str, help: &str| {
            this.invalid_grant(
                object.span,
                format!("no {what} `{}` is declared", object.name.name.text),
                "granted on here",
                help.into(),
            );
            None
        };
        if object.arguments.is_some() && !matches!(kind, None | Some("function" | "procedure" | "routine")) {
            return unknown(self, "object", "only routines take an argument list: remove it");
        }
        match kind {
            Some("schema") => {
                if let Some(schema) = &object.name.schema {
                    return unknown(
                        self,
                        "schema",
                        &format!("a schema's name has no schema: remove `{}.`", schema.text),
                    );
                }
                let name = self.ident(&object.name.name);
                let mut known = self.schema.namespaces();
                known.insert(Ident::new("public"));
                if known.contains(&name) {
                    Some(Securable::Schema(name))
                } else {
                    unknown(self, "schema", "declare it with `schema NAME`, or put an object in it")
                }
            }
            Some("function" | "procedure" | "routine") => self.grant_routine(kind, object),
            None if object.arguments.is_some() => self.grant_routine(kind, object),
            Some("type" | "domain") => {
                let name = self.qualify(&object.name);
                let is_type = self
                    .schema
                    .enums
                    .get(&name)
                    .is_some_and(|e| e.storage == EnumStorage::Native);
                let is_type =
                    is_type || self.schema.composites.contains_key(&name) || self.schema.ranges.contains_key(&name);
                let is_domain = self.schema.domains.contains_key(&name);
                if is_domain || (kind == Some("type") && is_type) {
                    Some(Securable::Type(name))
                } else {
                    unknown(
                        self,
                        kind.unwrap_or("type"),
                        "grant on an enum, a domain, a composite or a range type the schema declares",
                    )
                }
            }
            Some("sequence") => {
                let name = self.qualify(&object.name);
                if self.schema.sequences.contains_key(&name) {
                    Some(Securable::Sequence(name))
                } else {
                    unknown(
                        self,
                        "sequence",
                        "grant on a sequence the schema declares (a serial column's is TABLE_COLUMN_seq)",
                    )
                }
            }
            _ => {
                let name = self.qualify(&object.name);
                if self.schema.tables.contains_key(&name) || self.schema.views.contains_key(&name) {
                    Some(Securable::Relation(name))
                } else if kind.is_none() && self.schema.sequences.contains_key(&name) {
                    Some(Securable::Sequence(name))
                } else {
                    unknown(
                        self,
                        "table or view",
                        "grant on a table or view the schema declares, or write the object's kind (`on sequence`, `on function`, ...)",
                    )
                }
            }
        }
    }

    fn grant_routine(&mut self, kind: Option<&str>, object: &ast::GrantObject) -> Option<Securable> {
        let name = self.qualify(&object.name);
        let wanted = match &object.arguments {
            Some(arguments) => {
                let statement =
                    super::routine_statement(false, &name, arguments.text.trim(), "RETURNS void LANGUAGE sql AS ''");
                match crate::sql::tree::routine(&statement, &self.options.default_schema) {
                    Ok(facts) => Some(
                        facts
                            .into_routine(name.clone(), false, false, String::new(), String::new())
                            .id,
                    ),
                    Err(message) => {
                        self.invalid_sql(arguments.span, "argument list", &message);
                        return None;
                    }
                }
            }
            None => None,
        };
        let candidates: Vec<&Routine> = self
            .schema
            .routines
            .values()
            .filter(|r| r.id.name == name)
            .filter(|r| wanted.as_ref().is_none_or(|id| *id == r.id))
            .filter(|r| match kind {
                Some("function") => !r.procedure,
                Some("procedure") => r.procedure,
                _ => true,
            })
            .collect();
        match candidates.as_slice() {
            [one] => Some(Securable::Routine(one.id.clone(), routine_kind(one))),
            [] => {
                let what = kind.unwrap_or("routine");
                self.invalid_grant(
                    object.span,
                    format!(
                        "no {what} {} is declared",
                        wanted.map_or_else(|| name.quoted(), |id| id.to_string())
                    ),
                    "granted on here",
                    "name a function or procedure the schema declares, with its argument types if it has overloads"
                        .into(),
                );
                None
            }
            many => {
                let ids: Vec<String> = many.iter().map(|r| r.id.to_string()).collect();
                self.invalid_grant(
                    object.span,
                    format!("{} names {} routines", name.quoted(), many.len()),
                    "which one?",
                    format!("write the argument types: {}", ids.join(", ")),
                );
                None
            }
        }
    }

    fn default_privileges(
        &mut self,
        decl: &ast::GrantDecl,
        clause: &ast::DefaultsClause,
        grantees: &[Grantee],
        defaults: &mut BTreeMap<DefaultKey, DefaultGrant>,
    ) {
        let Some(kind) = DefaultKind::from_keyword(&clause.kind.text) else {
            return;
        };
        let role = clause.role.as_ref().map(|r| self.ident(r));
        let schema = clause.schema.as_ref().map(|s| self.ident(s));
        if kind == DefaultKind::Schemas && schema.is_some() {
            self.invalid_grant(
                clause.kind.span,
                "default privileges on schemas cannot be limited to a schema".into(),
                "schemas are not in a schema",
                "remove `in schema ...`".into(),
            );
            return;
        }
        let allowed = kind.privileges();
        let mut privileges = Vec::new();
        if let Some(all) = &decl.all {
            privileges.extend_from_slice(kind.all());
            if let Some(column) = all.columns.first() {
                self.invalid_grant(
                    column.span,
                    "a column list in default privileges".into(),
                    "default privileges are for whole objects",
                    "remove the column list".into(),
                );
            }
        }
        for item in &decl.privileges {
            match Privilege::from_keyword(&item.name.text).filter(|p| allowed.contains(p)) {
                Some(p) => privileges.push(p),
                None => {
                    let names: Vec<String> = allowed.iter().map(|p| p.keyword().to_lowercase()).collect();
                    self.invalid_grant(
                        item.name.span,
                        format!(
                            "`{}` is no privilege of {}",
                            item.name.text,
                            kind.keyword().to_lowercase()
                        ),
                        "not a privilege of this kind of object",
                        format!("{} have {}", kind.keyword().to_lowercase(), names.join(", ")),
                    );
                }
            }
            if let Some(column) = item.columns.first() {
                self.invalid_grant(
                    column.span,
                    "a column list in default privileges".into(),
                    "default privileges are for whole objects",
                    "remove the column list".into(),
                );
            }
        }
        for grantee in grantees {
            for &privilege in &privileges {
                let key = DefaultKey {
                    role: role.clone(),
                    schema: schema.clone(),
                    kind,
                    grantee: grantee.clone(),
                    privilege,
                };
                if !decl.revoke {
                    let grantable = decl.grant_option
                        || matches!(defaults.get(&key), Some(DefaultGrant::Granted { grantable: true }));
                    defaults.insert(key, DefaultGrant::Granted { grantable });
                    continue;
                }
                let builtin = *grantee == Grantee::Public && kind.builtin() == Some(privilege) && schema.is_none();
                if builtin {
                    defaults.insert(key, DefaultGrant::Revoked);
                } else if defaults.remove(&key).is_none() {
                    self.invalid_grant(
                        clause.kind.span,
                        format!(
                            "nothing to revoke: {} get no {} for {grantee} by default",
                            kind.keyword().to_lowercase(),
                            privilege.keyword().to_lowercase()
                        ),
                        "revoked here",
                        "default privileges can withhold only what PostgreSQL grants by itself everywhere (PUBLIC's execute on functions, usage on types); remove the revoke".into(),
                    );
                }
            }
        }
    }
}

/// The privileges a column can have; `all (COLS)` means these.
const COLUMN_PRIVILEGES: [Privilege; 4] = [
    Privilege::Select,
    Privilege::Insert,
    Privilege::Update,
    Privilege::References,
];

fn routine_kind(routine: &Routine) -> RoutineKind {
    if routine.procedure {
        RoutineKind::Procedure
    } else {
        RoutineKind::Function
    }
}
