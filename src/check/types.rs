//! Types: every column type is built in, a declared enum, or provided by a
//! declared extension; identity columns are integers.

use super::at;
use crate::diag::{Code, Diagnostic};
use crate::ir::types::extension_providing;
use crate::ir::{Ident, QualifiedName, Schema, TypeName};

pub(super) fn check(schema: &Schema, out: &mut Vec<Diagnostic>) {
    row_types(schema, out);
    for domain in schema.domains.values() {
        let TypeName::User(name) = &domain.data_type.name else {
            continue;
        };
        let provided =
            extension_providing(name.name.as_str()).is_some_and(|ext| schema.extensions.contains_key(&Ident::new(ext)));
        let known = schema.has_type(name) || provided;
        // A domain over itself, directly or through others, never ends.
        let circular = schema.domains.contains_key(name) && {
            let mut seen = vec![&domain.name];
            let mut at: &QualifiedName = name;
            loop {
                if seen.contains(&at) {
                    break true;
                }
                seen.push(at);
                match schema.domains.get(at).map(|d| &d.data_type.name) {
                    Some(TypeName::User(next)) => at = &**next,
                    _ => break false,
                }
            }
        };
        if !known || circular {
            let message = if circular {
                format!("domain `{}` is defined over itself", domain.name)
            } else {
                format!("unknown type `{name}`")
            };
            out.push(
                at(Diagnostic::new(Code::UnknownType, message), domain.origin, "the domain's type")
                    .help("a domain is over a PostgreSQL type, a declared enum, another domain or a type of a declared extension"),
            );
        }
    }
    let unknown = |name: &crate::ir::QualifiedName| {
        !schema.has_type(name)
            && !extension_providing(name.name.as_str())
                .is_some_and(|ext| schema.extensions.contains_key(&Ident::new(ext)))
    };
    for composite in schema.composites.values() {
        for attribute in &composite.attributes {
            if let TypeName::User(name) = &attribute.data_type.name {
                if unknown(name) || **name == composite.name {
                    out.push(
                        at(
                            Diagnostic::new(Code::UnknownType, format!("unknown type `{name}`")),
                            attribute.origin,
                            "the attribute's type",
                        )
                        .help("an attribute is of a PostgreSQL type, a type the schema declares (not the composite itself) or a type of a declared extension"),
                    );
                }
            }
        }
    }
    for range in schema.ranges.values() {
        if let TypeName::User(name) = &range.subtype.name {
            if unknown(name) {
                out.push(
                    at(
                        Diagnostic::new(Code::UnknownType, format!("unknown type `{name}`")),
                        range.origin,
                        "the range's subtype",
                    )
                    .help("a range's subtype is a PostgreSQL type, a type the schema declares or a type of a declared extension"),
                );
            }
        }
    }
    for table in schema.tables.values() {
        for column in &table.columns {
            if let TypeName::User(name) = &column.data_type.name {
                if !schema.has_type(name) {
                    let provider = extension_providing(name.name.as_str());
                    let declared = provider.is_some_and(|ext| schema.extensions.contains_key(&Ident::new(ext)));
                    if !declared {
                        let mut diagnostic = at(
                            Diagnostic::new(Code::UnknownType, format!("unknown type `{name}`")),
                            column.data_type.origin,
                            "not a PostgreSQL type or a declared enum",
                        );
                        diagnostic = match provider {
                            Some(ext) => diagnostic.help(format!(
                                "`{}` comes from an extension: declare `extension {ext}`",
                                name.name.as_str()
                            )),
                            None => {
                                let suggestion = similar_type(schema, name.name.as_str());
                                let mut d = diagnostic.help("declare it as an enum, or use a PostgreSQL type such as `text`, `integer` or `timestamptz`");
                                if let Some(s) = suggestion {
                                    d = d.help(format!("did you mean `{s}`?"));
                                }
                                d
                            }
                        };
                        out.push(diagnostic);
                    }
                }
            }
            if let (TypeName::User(name), Some(default)) = (&column.data_type.name, &column.default) {
                if let (Some(enumeration), 0) = (schema.enums.get(name), column.data_type.array_dims) {
                    if let Some(label) = string_literal(default.as_str()) {
                        if !enumeration.labels.iter().any(|l| l.name == label) {
                            let labels: Vec<String> =
                                enumeration.labels.iter().map(|l| format!("'{}'", l.name)).collect();
                            out.push(
                                at(
                                    Diagnostic::new(
                                        Code::UnknownLabel,
                                        format!("enum `{name}` has no label '{label}'"),
                                    ),
                                    default.origin,
                                    "not a label of the enum",
                                )
                                .help(format!("its labels are {}", labels.join(", "))),
                            );
                        }
                    }
                }
            }
            if column.identity.is_some() && column.data_type.integer_range().is_none() {
                out.push(
                    at(
                        Diagnostic::new(
                            Code::InvalidIdentity,
                            format!(
                                "identity column `{}` is of type `{}`",
                                column.name, column.data_type.value
                            ),
                        ),
                        column.data_type.origin,
                        "identity columns must be smallint, integer or bigint",
                    )
                    .help("change the type to `bigint` (or `integer`), or use a default instead of an identity"),
                );
            }
        }
    }
}

/// A declared enum or common type whose name differs from `name` by a
/// letter or two.
fn similar_type(schema: &Schema, name: &str) -> Option<String> {
    const COMMON: &[&str] = &[
        "text",
        "integer",
        "bigint",
        "smallint",
        "boolean",
        "numeric",
        "uuid",
        "jsonb",
        "json",
        "date",
        "timestamptz",
        "timestamp",
        "interval",
        "bytea",
        "varchar",
        "real",
        "inet",
        "serial",
        "bigserial",
    ];
    let limit = if name.len() <= 4 { 1 } else { 2 };
    schema
        .enums
        .keys()
        .map(|e| e.name.as_str())
        .chain(COMMON.iter().copied())
        .find(|candidate| edit_distance(candidate, name) <= limit)
        .map(str::to_string)
}

/// Levenshtein distance, for a "did you mean".
pub(super) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let current = row[j + 1];
            row[j + 1] = if ca == *cb {
                previous
            } else {
                1 + previous.min(row[j]).min(row[j + 1])
            };
            previous = current;
        }
    }
    row[b.len()]
}

/// The value of an expression that is one string literal, optionally cast
/// (`'member'` or `'member'::user_role`).
fn string_literal(expr: &str) -> Option<String> {
    let rest = expr.trim().strip_prefix('\'')?;
    let mut value = String::new();
    let mut chars = rest.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c == '\'' {
            if chars.peek().map(|(_, n)| *n) == Some('\'') {
                value.push('\'');
                chars.next();
                continue;
            }
            let tail = rest[i + 1..].trim();
            return (tail.is_empty() || tail.starts_with("::")).then_some(value);
        }
        value.push(c);
    }
    None
}

/// PostgreSQL gives every table and view a row type of its name: a
/// declared type of that name cannot be made. A composite type is a
/// relation too, so it cannot share a sequence's name either. (A table and
/// an enum are told apart while lowering, E0106.)
fn row_types(schema: &Schema, out: &mut Vec<Diagnostic>) {
    let types = schema
        .domains
        .values()
        .map(|d| (&d.name, "domain", d.origin))
        .chain(
            schema
                .composites
                .values()
                .map(|c| (&c.name, "composite type", c.origin)),
        )
        .chain(schema.ranges.values().map(|r| (&r.name, "range type", r.origin)))
        .chain(schema.enums.values().map(|e| (&e.name, "enum", e.origin)));
    for (name, kind, origin) in types {
        let relation = if let Some(t) = schema.tables.get(name) {
            // An enum beside a table is reported while lowering.
            (kind != "enum").then_some(("table", t.origin))
        } else if let Some(v) = schema.views.get(name) {
            Some((if v.materialized { "materialized view" } else { "view" }, v.origin))
        } else if kind == "composite type" {
            schema.sequences.get(name).map(|s| ("sequence", s.origin))
        } else {
            None
        };
        let Some((relation, first)) = relation else {
            continue;
        };
        let code = if kind == "enum" {
            Code::DuplicateEnum
        } else {
            Code::DuplicateType
        };
        let diagnostic = Diagnostic::new(code, format!("{kind} `{name}` has the name of {relation} `{name}`"));
        out.push(
            super::also(
                at(diagnostic, origin, &format!("this {kind}")),
                first,
                &format!("the {relation}"),
            )
            .help(format!(
                "a {relation} is also a {} of its name in PostgreSQL: rename the {kind} or the {relation}",
                if relation == "sequence" { "relation" } else { "type" }
            )),
        );
    }
}
