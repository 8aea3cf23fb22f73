//! Identifiers: the one place that knows PostgreSQL's case folding, quoting
//! and the 63-byte limit.

use std::fmt;

use compact_str::CompactString;

/// The longest identifier PostgreSQL keeps (NAMEDATALEN - 1 bytes).
pub const MAX_IDENT_BYTES: usize = 63;

/// An SQL identifier as PostgreSQL stores it (already case-folded).
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Ident(CompactString);

impl fmt::Debug for Ident {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.0)
    }
}

impl Ident {
    /// An identifier exactly as stored in the catalog (no folding).
    pub fn new(stored: impl Into<String>) -> Ident {
        Ident(CompactString::from(stored.into()))
    }

    /// The identifier an unquoted source word stands for: folded to lower
    /// case as PostgreSQL does (ASCII letters only).
    pub fn from_unquoted(word: &str) -> Ident {
        let mut folded = CompactString::from(word);
        folded.make_ascii_lowercase();
        Ident(folded)
    }

    /// The identifier a source token stands for: `"Quoted"` keeps its case
    /// (with `""` unescaped), a bare word is folded.
    pub fn from_source(token: &str) -> Ident {
        match token.strip_prefix('"').and_then(|t| t.strip_suffix('"')) {
            Some(inner) => Ident(CompactString::from(inner.replace("\"\"", "\""))),
            None => Ident::from_unquoted(token),
        }
    }

    /// The stored text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether PostgreSQL would keep this name whole (at most 63 bytes).
    pub fn fits(&self) -> bool {
        self.0.len() <= MAX_IDENT_BYTES
    }

    /// Whether the identifier must be double-quoted in SQL or `.trellis`.
    pub fn needs_quotes(&self) -> bool {
        let mut chars = self.0.chars();
        let Some(first) = chars.next() else {
            return true;
        };
        let plain_start = first.is_ascii_lowercase() || first == '_' || !first.is_ascii();
        let plain_rest =
            chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '$' || !c.is_ascii());
        !(plain_start && plain_rest) || is_reserved_word(&self.0)
    }

    /// The identifier written for SQL, quoted only when needed.
    pub fn quoted(&self) -> String {
        if self.needs_quotes() {
            format!("\"{}\"", self.0.replace('"', "\"\""))
        } else {
            self.0.to_string()
        }
    }
}

impl fmt::Display for Ident {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.quoted())
    }
}

/// A schema-qualified name of a table, enum, sequence or index.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct QualifiedName {
    pub schema: Ident,
    pub name: Ident,
}

impl QualifiedName {
    /// A name in the given schema.
    pub fn new(schema: Ident, name: Ident) -> QualifiedName {
        QualifiedName { schema, name }
    }

    /// `schema.name` as SQL, each part quoted when needed.
    pub fn quoted(&self) -> String {
        format!("{}.{}", self.schema.quoted(), self.name.quoted())
    }
}

impl fmt::Debug for QualifiedName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.quoted())
    }
}

impl fmt::Display for QualifiedName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.schema.as_str() == "public" {
            write!(f, "{}", self.name)
        } else {
            write!(f, "{}.{}", self.schema, self.name)
        }
    }
}

/// The name of a collation or operator class: unqualified when the search
/// path finds it (in `pg_catalog` or the default schema), so that source
/// and database name the same object alike however each spells it.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SearchPathName {
    pub schema: Option<Ident>,
    pub name: Ident,
}

impl SearchPathName {
    /// A name the search path finds.
    pub fn unqualified(name: Ident) -> SearchPathName {
        SearchPathName { schema: None, name }
    }

    /// `[schema.]name` as SQL, each part quoted when needed.
    pub fn quoted(&self) -> String {
        match &self.schema {
            Some(schema) => format!("{}.{}", schema.quoted(), self.name.quoted()),
            None => self.name.quoted(),
        }
    }
}

impl fmt::Debug for SearchPathName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.quoted())
    }
}

impl fmt::Display for SearchPathName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.quoted())
    }
}

/// Words PostgreSQL reserves (fully reserved, or reserved as a column or
/// type name): an identifier spelled like one must be quoted.
fn is_reserved_word(word: &str) -> bool {
    RESERVED.binary_search(&word).is_ok()
}

/// Sorted; from PostgreSQL's keyword list (reserved and "cannot be function
/// or type" categories), which are exactly the words that need quoting as a
/// column or table name.
const RESERVED: &[&str] = &[
    "all",
    "analyse",
    "analyze",
    "and",
    "any",
    "array",
    "as",
    "asc",
    "asymmetric",
    "authorization",
    "between",
    "bigint",
    "binary",
    "bit",
    "boolean",
    "both",
    "case",
    "cast",
    "char",
    "character",
    "check",
    "coalesce",
    "collate",
    "collation",
    "column",
    "concurrently",
    "constraint",
    "create",
    "cross",
    "current_catalog",
    "current_date",
    "current_role",
    "current_schema",
    "current_time",
    "current_timestamp",
    "current_user",
    "dec",
    "decimal",
    "default",
    "deferrable",
    "desc",
    "distinct",
    "do",
    "else",
    "end",
    "except",
    "exists",
    "extract",
    "false",
    "fetch",
    "float",
    "for",
    "foreign",
    "freeze",
    "from",
    "full",
    "grant",
    "greatest",
    "group",
    "grouping",
    "having",
    "ilike",
    "in",
    "initially",
    "inner",
    "inout",
    "int",
    "integer",
    "intersect",
    "interval",
    "into",
    "is",
    "isnull",
    "join",
    "json",
    "json_array",
    "json_arrayagg",
    "json_exists",
    "json_object",
    "json_objectagg",
    "json_query",
    "json_scalar",
    "json_serialize",
    "json_table",
    "json_value",
    "lateral",
    "leading",
    "least",
    "left",
    "like",
    "limit",
    "localtime",
    "localtimestamp",
    "merge_action",
    "national",
    "natural",
    "nchar",
    "none",
    "normalize",
    "not",
    "notnull",
    "null",
    "nullif",
    "numeric",
    "offset",
    "on",
    "only",
    "or",
    "order",
    "out",
    "outer",
    "overlaps",
    "overlay",
    "placing",
    "position",
    "precision",
    "primary",
    "real",
    "references",
    "returning",
    "right",
    "row",
    "select",
    "session_user",
    "setof",
    "similar",
    "smallint",
    "some",
    "substring",
    "symmetric",
    "system_user",
    "table",
    "tablesample",
    "then",
    "time",
    "timestamp",
    "to",
    "trailing",
    "treat",
    "trim",
    "true",
    "union",
    "unique",
    "user",
    "using",
    "values",
    "varchar",
    "variadic",
    "verbose",
    "when",
    "where",
    "window",
    "with",
    "xmlattributes",
    "xmlconcat",
    "xmlelement",
    "xmlexists",
    "xmlforest",
    "xmlnamespaces",
    "xmlparse",
    "xmlpi",
    "xmlroot",
    "xmlserialize",
    "xmltable",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_list_is_sorted_for_binary_search() {
        assert!(RESERVED.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn quoting_follows_postgres_rules() {
        assert_eq!(Ident::from_source("Users").quoted(), "users");
        assert_eq!(Ident::from_source("\"Users\"").quoted(), "\"Users\"");
        assert_eq!(Ident::new("order").quoted(), "\"order\"");
        assert_eq!(Ident::new("a b").quoted(), "\"a b\"");
        assert_eq!(Ident::new("say \"hi\"").quoted(), "\"say \"\"hi\"\"\"");
        assert_eq!(Ident::new("1st").quoted(), "\"1st\"");
        assert_eq!(Ident::new("café").quoted(), "café");
        assert_eq!(Ident::new("").quoted(), "\"\"");
    }
}
