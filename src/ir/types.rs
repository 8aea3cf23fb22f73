//! Column types in PostgreSQL's canonical spelling (as `format_type` prints
//! them), so that aliases compare equal.

use std::fmt;

use super::name::QualifiedName;

/// A column or sequence type.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SqlType {
    pub name: TypeName,
    /// Type modifiers as PostgreSQL prints them, such as `(12,2)` (a
    /// boxed text: most types have none, and every column has a type).
    pub modifiers: Option<Box<str>>,
    pub array_dims: u32,
}

/// The base type.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TypeName {
    /// A built-in type by its canonical name (`integer`, `character varying`,
    /// `timestamp with time zone`, ...).
    Builtin(String),
    /// A user-defined type: an enum of the schema or a type an extension
    /// provides.
    User(Box<QualifiedName>),
}

impl SqlType {
    /// A built-in type without modifiers.
    pub fn builtin(name: &str) -> SqlType {
        SqlType {
            name: TypeName::Builtin(name.to_string()),
            modifiers: None,
            array_dims: 0,
        }
    }

    /// The built-in name, if this is a non-array built-in type.
    pub fn builtin_name(&self) -> Option<&str> {
        match (&self.name, self.array_dims) {
            (TypeName::Builtin(name), 0) => Some(name),
            _ => None,
        }
    }

    /// The smallest and largest value of an integer type, for sequences.
    pub fn integer_range(&self) -> Option<(i64, i64)> {
        match self.builtin_name()? {
            "smallint" => Some((i16::MIN as i64, i16::MAX as i64)),
            "integer" => Some((i32::MIN as i64, i32::MAX as i64)),
            "bigint" => Some((i64::MIN, i64::MAX)),
            _ => None,
        }
    }

    /// A rough family, used to tell whether two types can be compared by a
    /// foreign key (PostgreSQL has cross-type equality within a family).
    pub fn family(&self) -> String {
        let base = match &self.name {
            TypeName::Builtin(name) => match name.as_str() {
                "smallint" | "integer" | "bigint" | "numeric" | "real" | "double precision" => "number",
                "text" | "character varying" | "character" | "bpchar" | "name" => "string",
                "timestamp with time zone" | "timestamp without time zone" | "date" => "datetime",
                other => other,
            },
            TypeName::User(name) => return format!("{name}{}", "[]".repeat(self.array_dims as usize)),
        };
        format!("{base}{}", "[]".repeat(self.array_dims as usize))
    }
}

impl fmt::Debug for SqlType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.name {
            TypeName::Builtin(_) => write!(f, "{self}"),
            TypeName::User(name) => write!(f, "user {}{}", name.quoted(), "[]".repeat(self.array_dims as usize)),
        }
    }
}

impl fmt::Display for SqlType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let modifiers = self.modifiers.as_deref().unwrap_or("");
        match &self.name {
            TypeName::Builtin(name) => match name.split_once(' ') {
                // `timestamp(3) with time zone`: the precision goes after the first word.
                Some((first @ ("timestamp" | "time"), rest)) => write!(f, "{first}{modifiers} {rest}")?,
                _ => write!(f, "{name}{modifiers}")?,
            },
            TypeName::User(name) => write!(f, "{name}{modifiers}")?,
        }
        for _ in 0..self.array_dims {
            f.write_str("[]")?;
        }
        Ok(())
    }
}

/// A built-in type resolved from its source spelling.
pub struct ResolvedBuiltin {
    pub canonical: &'static str,
    pub modifiers: Option<Box<str>>,
    /// `serial`, `bigserial`, `smallserial`: an owned sequence and a
    /// `nextval` default come with the column.
    pub serial: bool,
}

/// Resolves a built-in type name (lower case, single-spaced, as the parser
/// gives it) with its modifiers; `None` when the name is not built in.
pub fn resolve_builtin(words: &str, modifiers: &[String]) -> Option<ResolvedBuiltin> {
    let words = words.strip_prefix("pg_catalog.").unwrap_or(words);
    let joined = if modifiers.is_empty() {
        None
    } else {
        Some(format!("({})", modifiers.join(",")).into_boxed_str())
    };
    let plain = |canonical: &'static str| {
        Some(ResolvedBuiltin {
            canonical,
            modifiers: joined.clone(),
            serial: false,
        })
    };
    let serial = |canonical: &'static str| {
        Some(ResolvedBuiltin {
            canonical,
            modifiers: None,
            serial: true,
        })
    };
    match words {
        "int" | "integer" | "int4" => plain("integer"),
        "bigint" | "int8" => plain("bigint"),
        "smallint" | "int2" => plain("smallint"),
        "serial" | "serial4" => serial("integer"),
        "bigserial" | "serial8" => serial("bigint"),
        "smallserial" | "serial2" => serial("smallint"),
        "double precision" | "float8" => plain("double precision"),
        "real" | "float4" => plain("real"),
        "float" => match modifiers.first().and_then(|m| m.parse::<u32>().ok()) {
            Some(p) if p <= 24 => Some(ResolvedBuiltin {
                canonical: "real",
                modifiers: None,
                serial: false,
            }),
            _ => Some(ResolvedBuiltin {
                canonical: "double precision",
                modifiers: None,
                serial: false,
            }),
        },
        "numeric" | "decimal" | "dec" => plain("numeric"),
        "bool" | "boolean" => plain("boolean"),
        "varchar" | "character varying" | "char varying" => plain("character varying"),
        "char" | "character" => Some(ResolvedBuiltin {
            canonical: "character",
            modifiers: joined.clone().or_else(|| Some("(1)".into())),
            serial: false,
        }),
        "bpchar" => plain("bpchar"),
        "bit" => Some(ResolvedBuiltin {
            canonical: "bit",
            modifiers: joined.clone().or_else(|| Some("(1)".into())),
            serial: false,
        }),
        "varbit" | "bit varying" => plain("bit varying"),
        // Quoted, as `format_type` prints them: the single-byte `"char"`
        // (not `char`, which is `character(1)`) and `bit` of any length
        // (not `bit`, which is `bit(1)`).
        "\"char\"" => plain("\"char\""),
        "\"bit\"" => plain("\"bit\""),
        "timestamptz" | "timestamp with time zone" => plain("timestamp with time zone"),
        "timestamp" | "timestamp without time zone" => plain("timestamp without time zone"),
        "timetz" | "time with time zone" => plain("time with time zone"),
        "time" | "time without time zone" => plain("time without time zone"),
        _ => {
            if let Some(fields) = words.strip_prefix("interval ") {
                // Interval fields are part of the type name as PostgreSQL prints it.
                let canonical = INTERVAL_FIELDS
                    .iter()
                    .find(|f| f.strip_prefix("interval ") == Some(fields))?;
                return plain(canonical);
            }
            let canonical = PLAIN_BUILTINS.iter().find(|b| **b == words)?;
            plain(canonical)
        }
    }
}

/// Resolves a built-in type by its catalog name (`typname`), as PostgreSQL
/// looks up a quoted or `pg_catalog`-qualified type name: `"char"` and
/// `pg_catalog.char` are the single-byte type, `"bit"` and `pg_catalog.bit`
/// take any length, and none has the default length of the SQL keyword.
pub fn resolve_catalog_name(typname: &str, modifiers: &[String]) -> Option<ResolvedBuiltin> {
    match (typname, modifiers.is_empty()) {
        ("char", true) => resolve_builtin("\"char\"", modifiers),
        ("bit", true) => resolve_builtin("\"bit\"", modifiers),
        ("bpchar", false) => resolve_builtin("character", modifiers),
        _ => resolve_builtin(typname, modifiers),
    }
}

const INTERVAL_FIELDS: &[&str] = &[
    "interval year",
    "interval month",
    "interval day",
    "interval hour",
    "interval minute",
    "interval second",
    "interval year to month",
    "interval day to hour",
    "interval day to minute",
    "interval day to second",
    "interval hour to minute",
    "interval hour to second",
    "interval minute to second",
];

/// Built-in types whose canonical name is their only name.
const PLAIN_BUILTINS: &[&str] = &[
    "text",
    "date",
    "interval",
    "uuid",
    "json",
    "jsonb",
    "jsonpath",
    "bytea",
    "inet",
    "cidr",
    "macaddr",
    "macaddr8",
    "money",
    "xml",
    "tsvector",
    "tsquery",
    "point",
    "line",
    "lseg",
    "box",
    "path",
    "polygon",
    "circle",
    "oid",
    "regclass",
    "regtype",
    "regproc",
    "regprocedure",
    "regoper",
    "regnamespace",
    "regrole",
    "regconfig",
    "regdictionary",
    "name",
    "pg_lsn",
    "pg_snapshot",
    "txid_snapshot",
    "int4range",
    "int8range",
    "numrange",
    "tsrange",
    "tstzrange",
    "daterange",
    "int4multirange",
    "int8multirange",
    "nummultirange",
    "tsmultirange",
    "tstzmultirange",
    "datemultirange",
    "xid",
    "xid8",
    "cid",
    "tid",
    "aclitem",
    "gtsvector",
    "int2vector",
    "oidvector",
    "refcursor",
    "regcollation",
    "regoperator",
    "pg_node_tree",
    "pg_ndistinct",
    "pg_dependencies",
    "pg_mcv_list",
    "pg_brin_bloom_summary",
    "pg_brin_minmax_multi_summary",
];

/// Types that extensions provide, by the extension that provides them.
pub const EXTENSION_TYPES: &[(&str, &[&str])] = &[
    ("citext", &["citext"]),
    ("hstore", &["hstore"]),
    ("ltree", &["ltree", "lquery", "ltxtquery"]),
    ("postgis", &["geometry", "geography", "box2d", "box3d"]),
    ("postgis_raster", &["raster"]),
    ("vector", &["vector", "halfvec", "sparsevec"]),
    ("cube", &["cube"]),
    ("seg", &["seg"]),
    (
        "isn",
        &["isbn", "isbn13", "ismn", "ismn13", "issn", "issn13", "ean13", "upc"],
    ),
];

/// The extension that provides a type of that name, if any.
pub fn extension_providing(type_name: &str) -> Option<&'static str> {
    EXTENSION_TYPES
        .iter()
        .find(|(_, types)| types.contains(&type_name))
        .map(|(ext, _)| *ext)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canonical(words: &str, modifiers: &[&str]) -> String {
        let modifiers: Vec<String> = modifiers.iter().map(|m| m.to_string()).collect();
        let resolved = resolve_builtin(words, &modifiers).expect("built in");
        SqlType {
            name: TypeName::Builtin(resolved.canonical.to_string()),
            modifiers: resolved.modifiers,
            array_dims: 0,
        }
        .to_string()
    }

    #[test]
    fn aliases_resolve_to_format_type_spelling() {
        assert_eq!(canonical("int", &[]), "integer");
        assert_eq!(canonical("int4", &[]), "integer");
        assert_eq!(canonical("varchar", &["20"]), "character varying(20)");
        assert_eq!(canonical("timestamptz", &[]), "timestamp with time zone");
        assert_eq!(
            canonical("timestamp with time zone", &["3"]),
            "timestamp(3) with time zone"
        );
        assert_eq!(canonical("decimal", &["12", "2"]), "numeric(12,2)");
        assert_eq!(canonical("char", &[]), "character(1)");
        assert_eq!(canonical("float", &["10"]), "real");
        assert_eq!(canonical("float", &[]), "double precision");
        assert_eq!(canonical("interval day to second", &["3"]), "interval day to second(3)");
        assert!(resolve_builtin("user_role", &[]).is_none());
    }

    #[test]
    fn catalog_names_have_no_keyword_defaults() {
        let catalog = |name: &str, modifiers: &[&str]| {
            let modifiers: Vec<String> = modifiers.iter().map(|m| m.to_string()).collect();
            let resolved = resolve_catalog_name(name, &modifiers).expect("built in");
            SqlType {
                name: TypeName::Builtin(resolved.canonical.to_string()),
                modifiers: resolved.modifiers,
                array_dims: 0,
            }
            .to_string()
        };
        assert_eq!(catalog("char", &[]), "\"char\"");
        assert_eq!(catalog("bit", &[]), "\"bit\"");
        assert_eq!(catalog("bit", &["3"]), "bit(3)");
        assert_eq!(catalog("bpchar", &[]), "bpchar");
        assert_eq!(catalog("bpchar", &["4"]), "character(4)");
        assert_eq!(catalog("int4", &[]), "integer");
        // `format_type`'s spelling reads back as itself.
        assert_eq!(canonical("\"char\"", &[]), "\"char\"");
        assert_eq!(canonical("\"bit\"", &[]), "\"bit\"");
    }
}
