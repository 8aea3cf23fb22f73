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
use crate::ir::{Origin, QualifiedName, SqlType, TypeName};

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

/// The steps of a plan that change a column's type to one with no cast
/// from the old, and that no `using (EXPR)` gives the value of.
pub fn uncastable(plan: &Plan) -> Vec<Uncastable> {
    plan.steps
        .iter()
        .filter_map(|step| match &step.change {
            Change::AlterColumnType {
                table,
                column,
                from,
                to,
                using: None,
                ..
            } => {
                // An `as check` enum is text in the database.
                let (stored_from, stored_to) = (plan.from.storage_type(from), plan.to.storage_type(to));
                if castable(&stored_from, &stored_to) != Some(false) {
                    return None;
                }
                let origin = plan
                    .to
                    .tables
                    .get(table)
                    .and_then(|t| t.column(column))
                    .map_or(Origin(None), |c| c.data_type.origin);
                Some(Uncastable {
                    table: table.clone(),
                    column: column.clone(),
                    from: from.clone(),
                    to: to.clone(),
                    origin,
                })
            }
            _ => None,
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
}
