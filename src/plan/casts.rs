//! Which built-in types PostgreSQL can convert into which by a cast, for a
//! column's type change with no `using` (`ALTER COLUMN ... TYPE ... USING
//! col::type`), known offline.
//!
//! The pairs are PostgreSQL's own `pg_cast` entries between built-in base
//! and range types (read from PostgreSQL 15; 13 to 18 have the same between
//! these types), by their `format_type` names. Besides those, PostgreSQL
//! converts any type to and from a string type (`text`, `varchar`,
//! `char(n)`, `name`) through its text form, a type into itself with other
//! modifiers, and an array into an array of a type its elements convert to.

use super::Plan;
use crate::diff::Change;
use std::collections::BTreeMap;

use crate::ir::{EnumStorage, Origin, QualifiedName, SqlType, TypeName};

/// `(from, to)`: a cast exists.
const CASTS: &[(&str, &str)] = &[
    ("\"char\"", "integer"),
    ("bigint", "bit"),
    ("bigint", "double precision"),
    ("bigint", "integer"),
    ("bigint", "money"),
    ("bigint", "numeric"),
    ("bigint", "oid"),
    ("bigint", "real"),
    ("bigint", "regclass"),
    ("bigint", "regcollation"),
    ("bigint", "regconfig"),
    ("bigint", "regdictionary"),
    ("bigint", "regnamespace"),
    ("bigint", "regoper"),
    ("bigint", "regoperator"),
    ("bigint", "regproc"),
    ("bigint", "regprocedure"),
    ("bigint", "regrole"),
    ("bigint", "regtype"),
    ("bigint", "smallint"),
    ("bit", "bigint"),
    ("bit", "bit varying"),
    ("bit", "integer"),
    ("bit varying", "bit"),
    ("boolean", "integer"),
    ("box", "circle"),
    ("box", "lseg"),
    ("box", "point"),
    ("box", "polygon"),
    ("cidr", "inet"),
    ("circle", "box"),
    ("circle", "point"),
    ("circle", "polygon"),
    ("date", "timestamp with time zone"),
    ("date", "timestamp without time zone"),
    ("daterange", "datemultirange"),
    ("double precision", "bigint"),
    ("double precision", "integer"),
    ("double precision", "numeric"),
    ("double precision", "real"),
    ("double precision", "smallint"),
    ("inet", "cidr"),
    ("int4range", "int4multirange"),
    ("int8range", "int8multirange"),
    ("integer", "\"char\""),
    ("integer", "bigint"),
    ("integer", "bit"),
    ("integer", "boolean"),
    ("integer", "double precision"),
    ("integer", "money"),
    ("integer", "numeric"),
    ("integer", "oid"),
    ("integer", "real"),
    ("integer", "regclass"),
    ("integer", "regcollation"),
    ("integer", "regconfig"),
    ("integer", "regdictionary"),
    ("integer", "regnamespace"),
    ("integer", "regoper"),
    ("integer", "regoperator"),
    ("integer", "regproc"),
    ("integer", "regprocedure"),
    ("integer", "regrole"),
    ("integer", "regtype"),
    ("integer", "smallint"),
    ("interval", "time without time zone"),
    ("json", "jsonb"),
    ("jsonb", "bigint"),
    ("jsonb", "boolean"),
    ("jsonb", "double precision"),
    ("jsonb", "integer"),
    ("jsonb", "json"),
    ("jsonb", "numeric"),
    ("jsonb", "real"),
    ("jsonb", "smallint"),
    ("lseg", "point"),
    ("macaddr", "macaddr8"),
    ("macaddr8", "macaddr"),
    ("money", "numeric"),
    ("numeric", "bigint"),
    ("numeric", "double precision"),
    ("numeric", "integer"),
    ("numeric", "money"),
    ("numeric", "real"),
    ("numeric", "smallint"),
    ("numrange", "nummultirange"),
    ("oid", "bigint"),
    ("oid", "integer"),
    ("oid", "regclass"),
    ("oid", "regcollation"),
    ("oid", "regconfig"),
    ("oid", "regdictionary"),
    ("oid", "regnamespace"),
    ("oid", "regoper"),
    ("oid", "regoperator"),
    ("oid", "regproc"),
    ("oid", "regprocedure"),
    ("oid", "regrole"),
    ("oid", "regtype"),
    ("path", "polygon"),
    ("pg_dependencies", "bytea"),
    ("pg_mcv_list", "bytea"),
    ("pg_ndistinct", "bytea"),
    ("point", "box"),
    ("polygon", "box"),
    ("polygon", "circle"),
    ("polygon", "path"),
    ("polygon", "point"),
    ("real", "bigint"),
    ("real", "double precision"),
    ("real", "integer"),
    ("real", "numeric"),
    ("real", "smallint"),
    ("regclass", "bigint"),
    ("regclass", "integer"),
    ("regclass", "oid"),
    ("regcollation", "bigint"),
    ("regcollation", "integer"),
    ("regcollation", "oid"),
    ("regconfig", "bigint"),
    ("regconfig", "integer"),
    ("regconfig", "oid"),
    ("regdictionary", "bigint"),
    ("regdictionary", "integer"),
    ("regdictionary", "oid"),
    ("regnamespace", "bigint"),
    ("regnamespace", "integer"),
    ("regnamespace", "oid"),
    ("regoper", "bigint"),
    ("regoper", "integer"),
    ("regoper", "oid"),
    ("regoper", "regoperator"),
    ("regoperator", "bigint"),
    ("regoperator", "integer"),
    ("regoperator", "oid"),
    ("regoperator", "regoper"),
    ("regproc", "bigint"),
    ("regproc", "integer"),
    ("regproc", "oid"),
    ("regproc", "regprocedure"),
    ("regprocedure", "bigint"),
    ("regprocedure", "integer"),
    ("regprocedure", "oid"),
    ("regprocedure", "regproc"),
    ("regrole", "bigint"),
    ("regrole", "integer"),
    ("regrole", "oid"),
    ("regtype", "bigint"),
    ("regtype", "integer"),
    ("regtype", "oid"),
    ("smallint", "bigint"),
    ("smallint", "double precision"),
    ("smallint", "integer"),
    ("smallint", "numeric"),
    ("smallint", "oid"),
    ("smallint", "real"),
    ("smallint", "regclass"),
    ("smallint", "regcollation"),
    ("smallint", "regconfig"),
    ("smallint", "regdictionary"),
    ("smallint", "regnamespace"),
    ("smallint", "regoper"),
    ("smallint", "regoperator"),
    ("smallint", "regproc"),
    ("smallint", "regprocedure"),
    ("smallint", "regrole"),
    ("smallint", "regtype"),
    ("time with time zone", "time without time zone"),
    ("time without time zone", "interval"),
    ("time without time zone", "time with time zone"),
    ("timestamp with time zone", "date"),
    ("timestamp with time zone", "time with time zone"),
    ("timestamp with time zone", "time without time zone"),
    ("timestamp with time zone", "timestamp without time zone"),
    ("timestamp without time zone", "date"),
    ("timestamp without time zone", "time without time zone"),
    ("timestamp without time zone", "timestamp with time zone"),
    ("tsrange", "tsmultirange"),
    ("tstzrange", "tstzmultirange"),
    ("xid8", "xid"),
];

/// The string types, to and from which every type converts.
fn is_string(name: &str) -> bool {
    matches!(name, "text" | "character varying" | "character" | "bpchar" | "name")
}

/// Whether `ALTER COLUMN ... TYPE to USING col::to` works for a column of
/// type `from`: None when it cannot be known offline (a type of the schema
/// or of an extension on either side).
pub fn castable(from: &SqlType, to: &SqlType) -> Option<bool> {
    let (TypeName::Builtin(a), TypeName::Builtin(b)) = (&from.name, &to.name) else {
        return None;
    };
    fn plain(name: &str) -> &str {
        if name == "bpchar" { "character" } else { name }
    }
    let (a, b) = (plain(a), plain(b));
    if from.array_dims != to.array_dims {
        // Only through text: an array's text form is read back as anything.
        let text = |name: &str, dims: u32| dims == 0 && is_string(name);
        return Some(text(a, from.array_dims) || text(b, to.array_dims));
    }
    if a == b || is_string(a) || is_string(b) {
        return Some(true);
    }
    Some(CASTS.iter().any(|&(x, y)| x == a && y == b))
}

/// A type change PostgreSQL cannot make without being told how.
#[derive(Clone, Debug)]
pub struct Uncastable {
    pub table: QualifiedName,
    pub column: crate::ir::Ident,
    pub from: SqlType,
    pub to: SqlType,
    /// Where the column's new type is written.
    pub origin: Origin,
}

/// What the server said of the casts offline rules could not decide: by
/// step, whether the plan's cast works there.
pub type ServerCasts = BTreeMap<usize, bool>;

/// The type changes of a plan that convert each value by a cast (no
/// `using`, not a generated column), with the step's index.
type Cast<'a> = (usize, &'a QualifiedName, &'a crate::ir::Ident, &'a SqlType, &'a SqlType);

fn casts<'a>(plan: &'a Plan<'_>) -> impl Iterator<Item = Cast<'a>> {
    plan.steps
        .iter()
        .enumerate()
        .filter_map(|(i, step)| match &step.change {
            Change::AlterColumnType {
                table,
                column,
                from,
                to,
                using: None,
                ..
            } => {
                let generated = plan
                    .to
                    .tables
                    .get(table)
                    .and_then(|t| t.column(column))
                    .is_some_and(|c| c.generated.is_some());
                (!generated).then_some((i, table, column, from, to))
            }
            _ => None,
        })
}

/// Whether the plan's cast from `from` to `to` works, by PostgreSQL's rules
/// for built-in types and the schema's own enums and domains; None when it
/// depends on a type offline rules do not know (an extension's, say).
fn plan_castable(plan: &Plan, from: &SqlType, to: &SqlType) -> Option<bool> {
    // An `as check` enum is text in the database; a domain's values are
    // its base type's, and a cast to a domain is a cast to its base type.
    let from = plan.from.base_type(&plan.from.storage_type(from));
    let to = plan.to.base_type(&plan.to.storage_type(to));
    let native = |schema: &crate::ir::Schema, ty: &SqlType| match &ty.name {
        TypeName::User(name) => schema.enums.get(name).is_some_and(|e| e.storage == EnumStorage::Native),
        TypeName::Builtin(_) => false,
    };
    // An enum's value goes by way of its label (see the renderer).
    let from = if native(plan.from, &from) {
        SqlType {
            name: TypeName::Builtin("text".into()),
            modifiers: None,
            array_dims: from.array_dims,
        }
    } else {
        from
    };
    if native(plan.to, &to) {
        // Text converts into an enum by its input function; nothing else does.
        let string = matches!(&from.name, TypeName::Builtin(name) if is_string(name));
        return Some(from.array_dims == to.array_dims && (string || from.name == to.name));
    }
    castable(&from, &to)
}

/// The casts the offline rules cannot decide, each as a query the server
/// refuses when the cast does not exist there (its types as the plan
/// writes them), with its step's index.
pub fn probes(plan: &Plan) -> Vec<(usize, String)> {
    casts(plan)
        .filter(|&(_, _, _, from, to)| plan_castable(plan, from, to).is_none())
        .map(|(i, _, _, from, to)| {
            let value = format!("CAST(NULL AS {})", crate::render::type_sql(from, plan.from));
            (
                i,
                format!("SELECT {}", crate::render::cast_to_new_type(&value, from, to, plan)),
            )
        })
        .collect()
}

/// The steps of a plan that change a column's type to one with no cast
/// from the old, and that no `using (EXPR)` gives the value of: by the
/// offline rules, else by what the server said.
pub fn uncastable(plan: &Plan, server: &ServerCasts) -> Vec<Uncastable> {
    casts(plan)
        .filter(|&(i, _, _, from, to)| plan_castable(plan, from, to).or_else(|| server.get(&i).copied()) == Some(false))
        .map(|(_, table, column, from, to)| Uncastable {
            table: table.clone(),
            column: column.clone(),
            from: from.clone(),
            to: to.clone(),
            origin: plan
                .to
                .tables
                .get(table)
                .and_then(|t| t.column(column))
                .map_or(Origin(None), |c| c.data_type.origin),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ty(name: &str) -> SqlType {
        SqlType::builtin(name)
    }

    #[test]
    fn built_in_casts_are_known() {
        assert_eq!(castable(&ty("bigint"), &ty("integer")), Some(true));
        assert_eq!(castable(&ty("integer"), &ty("boolean")), Some(true));
        assert_eq!(castable(&ty("bigint"), &ty("timestamp with time zone")), Some(false));
        assert_eq!(castable(&ty("bigint"), &ty("timestamp without time zone")), Some(false));
        assert_eq!(castable(&ty("date"), &ty("timestamp with time zone")), Some(true));
        assert_eq!(castable(&ty("text"), &ty("uuid")), Some(true));
        assert_eq!(castable(&ty("uuid"), &ty("character varying")), Some(true));
        assert_eq!(castable(&ty("boolean"), &ty("date")), Some(false));
        let mut array = ty("integer");
        array.array_dims = 1;
        assert_eq!(castable(&array, &ty("integer")), Some(false));
        assert_eq!(castable(&array, &ty("text")), Some(true));
    }

    /// The schema of one `.trellis` text, which must compile without errors.
    fn schema(text: &str) -> crate::ir::Schema {
        let mut sources = crate::diag::Sources::new();
        sources.add("test.trellis", text);
        let compiled = crate::compile_sources(sources, &crate::syntax::LowerOptions::default());
        assert!(!compiled.has_errors(), "{text}\n{:#?}", compiled.diagnostics);
        compiled.schema
    }

    /// The columns `uncastable` finds going from one column of `t` to another.
    fn refused(head: &str, from: &str, to: &str) -> Vec<String> {
        let old = schema(&format!(
            "{head}\ntable t {{\n  id bigint primary key\n  c {from}\n}}\n"
        ));
        let new = schema(&format!("{head}\ntable t {{\n  id bigint primary key\n  c {to}\n}}\n"));
        let plan = crate::plan::upgrade(&old, &new, Default::default());
        uncastable(&plan, &ServerCasts::new())
            .iter()
            .map(|u| format!("{}.{}", u.table, u.column.as_str()))
            .collect()
    }

    #[test]
    fn enums_and_domains_follow_postgresql() {
        let head = "enum mood { 'happy', 'sad' }\nenum shade as check { 'light', 'dark' }\ndomain epoch bigint\n";
        // A native enum goes by way of its label: into anything.
        assert!(refused(head, "mood", "integer").is_empty());
        assert!(refused(head, "mood", "shade").is_empty());
        // Into an enum only from a string.
        assert_eq!(refused(head, "integer", "mood"), ["t.c"]);
        assert!(refused(head, "text", "mood").is_empty());
        assert!(refused(head, "shade", "mood").is_empty());
        // A domain is its base type.
        assert_eq!(refused(head, "epoch", "timestamptz"), ["t.c"]);
        assert!(refused(head, "epoch", "integer").is_empty());
        assert_eq!(refused(head, "boolean", "epoch"), ["t.c"]);
    }
}
