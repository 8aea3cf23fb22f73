//! Forms of the language that older PostgreSQL versions lack: `nulls not
//! distinct` before 15, a virtual generated column before 18, a call of
//! `uuidv7()` before 18, ... A schema is checked against the version of the
//! database it is planned for (or the one `trellis.toml` names), so that a
//! form the server lacks is refused before any SQL, with the version named,
//! instead of failing half way through an upgrade.

use std::fmt;

use crate::diag::{Code, Diagnostic};
use crate::ir::*;
use crate::sql::calls;

/// The oldest PostgreSQL major version trellisc supports.
pub const OLDEST: u32 = 13;

/// The newest PostgreSQL major version trellisc knows.
pub const NEWEST: u32 = 18;

/// One use of a form that a PostgreSQL version lacks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lacking {
    /// The object that uses it, as messages name it: `` index `orders_key` ``.
    pub object: String,
    /// The form, in the language's words: `nulls not distinct`.
    pub form: String,
    /// The first major version that has the form.
    pub since: u32,
    /// The major version checked against, which lacks it.
    pub major: u32,
    /// Where the form is written (none for a schema read from a database).
    pub origin: Origin,
}

impl fmt::Display for Lacking {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} needs PostgreSQL {} (the server is {})",
            self.object, self.form, self.since, self.major
        )
    }
}

/// The PostgreSQL version a schema is checked against, and where it came
/// from (for the message and the fix).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// The server of the database being planned for.
    Database(u32),
    /// `postgres = N` in `trellis.toml`, with no database at hand.
    Project(u32),
}

impl Target {
    /// The major version.
    pub fn major(self) -> u32 {
        match self {
            Target::Database(major) | Target::Project(major) => major,
        }
    }
}

impl Lacking {
    /// The error for this use, naming the version and the fix.
    pub fn diagnostic(&self, target: Target) -> Diagnostic {
        let since = self.since;
        let (whose, fix) = match target {
            Target::Database(major) => (
                format!("the database is PostgreSQL {major}"),
                format!("remove it, or upgrade the server to PostgreSQL {since} or later"),
            ),
            Target::Project(major) => (
                format!("trellis.toml targets PostgreSQL {major} (`postgres = {major}`)"),
                format!(
                    "remove it, or raise `postgres` in trellis.toml to {since} or later once every database runs PostgreSQL {since}"
                ),
            ),
        };
        super::at(
            Diagnostic::new(
                Code::NeedsNewerPostgres,
                format!("{}: {} needs PostgreSQL {since}; {whose}", self.object, self.form),
            ),
            self.origin,
            &format!("needs PostgreSQL {since}"),
        )
        .help(fix)
    }
}

/// The errors for every form of the schema the target version lacks.
pub fn diagnostics(schema: &Schema, target: Target) -> Vec<Diagnostic> {
    lacking(schema, target.major())
        .iter()
        .map(|l| l.diagnostic(target))
        .collect()
}

/// Every use of a form that PostgreSQL `major` lacks, in a fixed order:
/// domains, then tables by name, each table's columns in order, then its
/// constraints and indexes by name. Empty when the version has them all.
pub fn lacking(schema: &Schema, major: u32) -> Vec<Lacking> {
    let mut found = Found { major, out: Vec::new() };
    for domain in schema.domains.values() {
        let object = || format!("domain `{}`", domain.name);
        found.data_type(&object, &domain.data_type, domain.origin);
        found.collation(&object, domain.collation.as_ref(), domain.origin);
        if let Some(default) = &domain.default {
            found.expression(&object, default, domain.origin);
        }
        for check in domain.checks.values() {
            found.expression(&object, &check.expr, check.origin);
        }
    }
    for composite in schema.composites.values() {
        let object = || format!("type `{}`", composite.name);
        for attribute in &composite.attributes {
            found.data_type(&object, &attribute.data_type, attribute.origin);
            found.collation(&object, attribute.collation.as_ref(), attribute.origin);
        }
    }
    for range in schema.ranges.values() {
        let object = || format!("range type `{}`", range.name);
        found.data_type(&object, &range.subtype, range.origin);
        if range.multirange.is_some() {
            found.lacks(&object, "multirange_type_name", 14, range.origin);
        }
    }
    // The multirange types of the schema's own range types.
    let multiranges: Vec<QualifiedName> = schema.ranges.values().map(|r| r.multirange_name()).collect();
    let user_multirange = |data_type: &SqlType| match &data_type.name {
        TypeName::User(name) if multiranges.contains(name) => Some(name.clone()),
        _ => None,
    };
    for table in schema.tables.values() {
        for column in &table.columns {
            if let Some(name) = user_multirange(&column.data_type) {
                let object = || format!("column `{}.{}`", table.name.name, column.name);
                found.lacks(
                    &object,
                    format!("type {name} (a multirange)"),
                    14,
                    column.data_type.origin,
                );
            }
        }
    }
    for composite in schema.composites.values() {
        for attribute in &composite.attributes {
            if let Some(name) = user_multirange(&attribute.data_type) {
                let object = || format!("type `{}`", composite.name);
                found.lacks(&object, format!("type {name} (a multirange)"), 14, attribute.origin);
            }
        }
    }
    for table in schema.tables.values() {
        found.table(table);
    }
    for routine in schema.routines.values() {
        if routine.standard_body {
            let object = || format!("{} `{}`", routine.kind(), routine.id);
            found.lacks(
                &object,
                "a SQL-standard body (`begin atomic`, `return`)",
                14,
                routine.origin,
            );
        }
    }
    for view in schema.views.values() {
        if view.options.iter().any(|o| o.name == "security_invoker") {
            let object = || format!("{} `{}`", view.kind(), view.name);
            found.lacks(&object, "security_invoker", 15, view.origin);
        }
    }
    // Once per object: a grant of MAINTAIN to several roles is one use.
    let mut maintained = std::collections::BTreeSet::new();
    for (key, grant) in &schema.privileges.grants {
        if key.privilege == crate::ir::Privilege::Maintain && maintained.insert(&key.object) {
            found.lacks(&|| key.object.to_string(), "the `maintain` privilege", 17, grant.origin);
        }
    }
    for key in schema.privileges.defaults.keys() {
        if key.privilege == crate::ir::Privilege::Maintain {
            found.lacks(
                &|| "default privileges on tables".to_string(),
                "the `maintain` privilege",
                17,
                Origin::default(),
            );
            break;
        }
    }
    found.out
}

/// An object's name as messages give it, made only for a use found (most
/// objects have none, and a schema has tens of thousands of them).
type Object<'a> = &'a dyn Fn() -> String;

/// The uses found so far.
struct Found {
    major: u32,
    out: Vec<Lacking>,
}

impl Found {
    fn lacks(&mut self, object: Object<'_>, form: impl Into<String>, since: u32, origin: Origin) {
        if self.major < since {
            self.out.push(Lacking {
                object: object(),
                form: form.into(),
                since,
                major: self.major,
                origin,
            });
        }
    }

    fn table(&mut self, table: &Table) {
        // A table's access method is made by CREATE TABLE since 12, but
        // changed only by ALTER TABLE SET ACCESS METHOD, new in 15: a
        // schema that names one must be one trellisc can also change.
        if table.access_method.is_some() {
            let (kind, since) = match table.partition_by {
                Some(_) => ("partitioned table", 17),
                None => ("table", 15),
            };
            let object = || format!("{kind} `{}`", table.name);
            self.lacks(&object, "an access method (`using`)", since, table.origin);
        }
        for column in &table.columns {
            let object = || format!("column `{}.{}`", table.name, column.name);
            self.data_type(&object, &column.data_type, column.data_type.origin);
            self.collation(&object, column.collation.as_deref(), column.origin);
            if let Some(default) = &column.default {
                self.expression(&object, default, default.origin);
            }
            if let Some(generated) = &column.generated {
                if column.generated_kind == GeneratedKind::Virtual {
                    self.lacks(&object, "a virtual generated column", 18, generated.origin);
                }
                self.expression(&object, generated, generated.origin);
            }
            if column.settings.as_ref().is_some_and(|s| s.compression.is_some()) {
                self.lacks(&object, "compression", 14, column.origin);
            }
        }
        for stats in table.statistics.values() {
            if stats.targets.contains('(') {
                let object = || format!("statistics `{}` of `{}`", stats.name, table.name);
                self.lacks(&object, "statistics on an expression", 14, stats.origin);
            }
        }
        for constraint in table.constraints.values() {
            let object = || format!("constraint `{}` of `{}`", constraint.name, table.name);
            match &constraint.kind {
                ConstraintKind::Unique {
                    nulls_not_distinct: true,
                    ..
                } => self.lacks(&object, "nulls not distinct", 15, constraint.origin),
                ConstraintKind::ForeignKey(foreign_key) if !foreign_key.on_delete_columns.is_empty() => {
                    let action = match foreign_key.on_delete {
                        ReferentialAction::SetDefault => "set default",
                        _ => "set null",
                    };
                    let columns: Vec<String> = foreign_key.on_delete_columns.iter().map(Ident::quoted).collect();
                    let form = format!("on delete {action} ({})", columns.join(", "));
                    self.lacks(&object, form, 15, constraint.origin);
                }
                ConstraintKind::Check { expr, .. } => self.expression(&object, expr, expr.origin),
                ConstraintKind::Exclusion(exclusion) => {
                    if !exclusion.include.is_empty() && exclusion.method.as_str() == "spgist" {
                        self.lacks(&object, "include on an spgist exclusion", 14, constraint.origin);
                    }
                    for (element, _) in &exclusion.elements {
                        self.element(&object, element);
                    }
                    if let Some(predicate) = &exclusion.predicate {
                        self.expression(&object, predicate, predicate.origin);
                    }
                }
                _ => {}
            }
        }
        for index in table.indexes.values() {
            let object = || format!("index `{}`", index.name);
            if index.nulls_not_distinct {
                self.lacks(&object, "nulls not distinct", 15, index.origin);
            }
            if !index.include.is_empty() && index.method.as_str() == "spgist" {
                self.lacks(&object, "include on an spgist index", 14, index.origin);
            }
            for element in &index.elements {
                self.element(&object, element);
            }
            if let Some(predicate) = &index.predicate {
                self.expression(&object, predicate, predicate.origin);
            }
        }
    }

    fn element(&mut self, object: Object<'_>, element: &IndexElement) {
        self.collation(object, element.collation.as_deref(), element.origin);
        if let ElementTarget::Expression(expr) = &element.target {
            self.expression(object, expr, element.origin);
        }
    }

    fn data_type(&mut self, object: Object<'_>, data_type: &SqlType, origin: Origin) {
        let TypeName::Builtin(name) = &data_type.name else {
            return;
        };
        if let Some(since) = type_since(name) {
            self.lacks(object, format!("type {name}"), since, origin);
        }
    }

    fn collation(&mut self, object: Object<'_>, collation: Option<&SearchPathName>, origin: Origin) {
        let Some(collation) = collation else { return };
        if collation.schema.as_ref().is_some_and(|s| s.as_str() != "pg_catalog") {
            return;
        }
        if let Some(since) = collation_since(collation.name.as_str()) {
            self.lacks(object, format!("collation {}", collation.name), since, origin);
        }
    }

    fn expression(&mut self, object: Object<'_>, expr: &Expr, origin: Origin) {
        for call in calls(expr.as_str()) {
            if call.schema.as_deref().is_some_and(|s| s != "pg_catalog") {
                continue;
            }
            if let Some(since) = function_since(&call.name) {
                self.lacks(object, format!("{}()", call.name), since, origin);
            }
        }
    }
}

/// Built-in types newer than PostgreSQL 13, by the name the IR keeps.
const TYPES: &[(&str, u32)] = &[
    ("datemultirange", 14),
    ("int4multirange", 14),
    ("int8multirange", 14),
    ("nummultirange", 14),
    ("tsmultirange", 14),
    ("tstzmultirange", 14),
];

/// Collations every database has from some version on (`pg_catalog`).
const COLLATIONS: &[(&str, u32)] = &[("unicode", 16), ("pg_c_utf8", 17), ("pg_unicode_fast", 18)];

/// Built-in functions newer than PostgreSQL 13 that a default, check,
/// generated column or index may call, with the first version that has
/// them (from each version's `pg_proc`).
const FUNCTIONS: &[(&str, u32)] = &[("uuidv4", 18), ("uuidv7", 18)];

fn type_since(name: &str) -> Option<u32> {
    TYPES.iter().find(|(n, _)| *n == name).map(|(_, v)| *v)
}

fn collation_since(name: &str) -> Option<u32> {
    COLLATIONS.iter().find(|(n, _)| *n == name).map(|(_, v)| *v)
}

fn function_since(name: &str) -> Option<u32> {
    FUNCTIONS.iter().find(|(n, _)| *n == name).map(|(_, v)| *v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Sources;
    use crate::syntax::LowerOptions;

    const SCHEMA: &str = "
table users {
  id      uuid primary key default uuidv7()
  tenant  int not null
  email   text collate pg_c_utf8
  lower   text generated always as (lower(email)) virtual
  stored  text generated always as (upper(email)) stored
  periods datemultirange
  unique nulls not distinct (email)
  unique (tenant, id)
}
table orders {
  id      bigint primary key
  user_id uuid
  tenant  int
  foreign key (tenant, user_id) references users (tenant, id) on delete set null (user_id)
  unique index orders_key nulls not distinct (user_id)
}
";

    fn schema() -> Schema {
        let mut sources = Sources::new();
        sources.add("schema.trellis", SCHEMA);
        let compiled = crate::compile_sources(sources, &LowerOptions::default());
        assert!(
            !compiled
                .diagnostics
                .iter()
                .any(|d| d.severity == crate::diag::Severity::Error),
            "{:#?}",
            compiled.diagnostics
        );
        compiled.schema
    }

    fn lines(major: u32) -> Vec<String> {
        lacking(&schema(), major).iter().map(|l| l.to_string()).collect()
    }

    #[test]
    fn each_version_lacks_the_forms_of_later_ones() {
        let server_13 = [
            "constraint `orders_tenant_user_id_fkey` of `orders`: on delete set null (user_id) needs PostgreSQL 15 (the server is 13)",
            "index `orders_key`: nulls not distinct needs PostgreSQL 15 (the server is 13)",
            "column `users.id`: uuidv7() needs PostgreSQL 18 (the server is 13)",
            "column `users.email`: collation pg_c_utf8 needs PostgreSQL 17 (the server is 13)",
            "column `users.lower`: a virtual generated column needs PostgreSQL 18 (the server is 13)",
            "column `users.periods`: type datemultirange needs PostgreSQL 14 (the server is 13)",
            "constraint `users_email_key` of `users`: nulls not distinct needs PostgreSQL 15 (the server is 13)",
        ];
        assert_eq!(lines(13), server_13);
        let later = |major: u32, since: u32| -> Vec<String> {
            server_13
                .iter()
                .filter(|l| {
                    let needs = l.split("needs PostgreSQL ").nth(1).and_then(|v| v.split(' ').next());
                    needs.and_then(|v| v.parse::<u32>().ok()) > Some(since)
                })
                .map(|l| l.replace("(the server is 13)", &format!("(the server is {major})")))
                .collect()
        };
        assert_eq!(lines(14), later(14, 14));
        assert_eq!(lines(16), later(16, 15));
        assert_eq!(lines(17), later(17, 17));
        assert_eq!(lines(17).len(), 2);
    }

    #[test]
    fn the_newest_version_lacks_nothing() {
        assert_eq!(lines(18), Vec::<String>::new());
    }
}
