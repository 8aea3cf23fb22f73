//! Virtual generated columns (PostgreSQL 18) where PostgreSQL refuses
//! them: in an index, a key or an exclusion constraint, either side of a
//! foreign key, or with a type of the schema's own or an extension's.
//! (That the expression calls only built-in functions waits for the
//! catalogue of PostgreSQL's functions.)

use super::at;
use crate::diag::{Code, Diagnostic};
use crate::ir::*;

pub(super) fn check(schema: &Schema, out: &mut Vec<Diagnostic>) {
    for table in schema.tables.values() {
        let is_virtual = |name: &Ident| {
            table
                .column(name)
                .is_some_and(|c| c.generated.is_some() && c.generated_kind == GeneratedKind::Virtual)
        };
        let mut used = |name: &Ident, origin: Origin, what: &str| {
            if is_virtual(name) {
                out.push(
                    at(
                        Diagnostic::new(
                            Code::VirtualGeneratedMisused,
                            format!(
                                "column `{}.{}` is a virtual generated column, which PostgreSQL cannot put in {what}",
                                table.name,
                                name.as_str()
                            ),
                        ),
                        origin,
                        "a virtual generated column",
                    )
                    .help("make the column `stored`, or leave it out of this"),
                );
            }
        };
        for constraint in table.constraints.values() {
            match &constraint.kind {
                ConstraintKind::PrimaryKey { columns, include, .. } => {
                    for c in columns.iter().chain(include) {
                        used(c, c.origin, "a primary key");
                    }
                }
                ConstraintKind::Unique { columns, include, .. } => {
                    for c in columns.iter().chain(include) {
                        used(c, c.origin, "a unique constraint");
                    }
                }
                ConstraintKind::ForeignKey(foreign_key) => {
                    for c in &foreign_key.columns {
                        used(c, c.origin, "a foreign key");
                    }
                }
                ConstraintKind::Exclusion(exclusion) => {
                    for (element, _) in &exclusion.elements {
                        if let ElementTarget::Column(c) = &element.target {
                            used(c, element.origin, "an exclusion constraint");
                        }
                    }
                    for c in &exclusion.include {
                        used(c, c.origin, "an exclusion constraint");
                    }
                }
                ConstraintKind::Check { .. } | ConstraintKind::EnumCheck { .. } => {}
            }
        }
        for index in table.indexes.values() {
            for element in &index.elements {
                match &element.target {
                    ElementTarget::Column(c) => used(c, element.origin, "an index"),
                    ElementTarget::Expression(expr) => {
                        for word in words(&expr.0) {
                            used(&Ident::new(&word), element.origin, "an index expression");
                        }
                    }
                }
            }
            if let Some(predicate) = &index.predicate {
                for word in words(&predicate.value.0) {
                    used(&Ident::new(&word), predicate.origin, "an index's where clause");
                }
            }
            for c in &index.include {
                used(c, c.origin, "an index");
            }
        }
        for column in &table.columns {
            if column.generated.is_none() || column.generated_kind != GeneratedKind::Virtual {
                continue;
            }
            if let TypeName::User(name) = &column.data_type.name {
                out.push(
                    at(
                        Diagnostic::new(
                            Code::VirtualGeneratedMisused,
                            format!(
                                "virtual generated column `{}.{}` has the type `{name}`, which is not one of PostgreSQL's own",
                                table.name,
                                column.name.as_str()
                            ),
                        ),
                        column.data_type.origin,
                        "not a built-in type",
                    )
                    .help("PostgreSQL allows only built-in types for virtual generated columns: make it `stored`, or give it a built-in type"),
                );
            }
        }
    }
}

/// The unquoted words of an expression, in lower case, each once; strings,
/// quoted identifiers and comments skipped.
fn words(text: &str) -> Vec<String> {
    let bytes = text.as_bytes();
    let mut found: Vec<String> = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        if let Some((_, len)) = crate::sql::lexeme_at(bytes, at) {
            at += len.max(1);
            continue;
        }
        let starts = bytes[at].is_ascii_alphabetic() || bytes[at] == b'_';
        let after_dot_or_word =
            at > 0 && (bytes[at - 1].is_ascii_alphanumeric() || bytes[at - 1] == b'_' || bytes[at - 1] == b'$');
        if starts && !after_dot_or_word {
            let end = bytes[at..]
                .iter()
                .position(|b| !(b.is_ascii_alphanumeric() || *b == b'_' || *b == b'$'))
                .map_or(bytes.len(), |n| at + n);
            let word = text[at..end].to_ascii_lowercase();
            if !found.contains(&word) {
                found.push(word);
            }
            at = end;
        } else {
            at += 1;
        }
    }
    found
}

#[cfg(test)]
mod tests {
    #[test]
    fn words_skip_strings_quoted_names_and_comments() {
        assert_eq!(
            super::words("lower(Gross) || 'net' || \"Kept\" /* tax */ + x1"),
            ["lower", "gross", "x1"]
        );
    }
}
