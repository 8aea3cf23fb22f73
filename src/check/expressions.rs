//! Names inside a table's expressions (defaults, generated columns, checks,
//! index and exclusion expressions and predicates), read with PostgreSQL's
//! parser: a column the table does not have is an error here rather than
//! at `upgrade` (`check (totl >= 0)`, `index (lower(emial))`); a function
//! that is neither PostgreSQL's, the schema's nor a known extension's is a
//! warning (it may come from an extension the schema does not declare, or
//! a PostgreSQL newer than the built-in list).

use std::collections::HashMap;

use super::at;
use super::types::edit_distance;
use crate::diag::{Code, Diagnostic};
use crate::ir::*;

pub(super) fn check(schema: &Schema, out: &mut Vec<Diagnostic>) {
    views(schema, out);
    let extensions_declared = !schema.extensions.is_empty();
    // Read once per text: schemas repeat their defaults, checks and index
    // expressions (`now()`, `0`, `lower(email)`) across many tables, and
    // each reading goes through PostgreSQL's parser.
    let mut read: HashMap<&str, Option<crate::sql::tree::ExpressionNames>> = HashMap::new();
    for table in schema.tables.values() {
        // Its own expressions, over its parents' columns too.
        let widened = schema.with_inherited_columns(table);
        let columns = widened.as_ref().unwrap_or(table);
        let mut sites: Vec<(&Expr, Origin, &str)> = Vec::new();
        for column in &table.columns {
            if let Some(default) = &column.default {
                sites.push((&default.value, default.origin, "default"));
            }
            if let Some(generated) = &column.generated {
                sites.push((&generated.value, generated.origin, "generated column"));
            }
        }
        for constraint in table.constraints.values() {
            match &constraint.kind {
                ConstraintKind::Check { expr, .. } => sites.push((&expr.value, expr.origin, "check")),
                ConstraintKind::Exclusion(exclusion) => {
                    for (element, _) in &exclusion.elements {
                        if let ElementTarget::Expression(e) = &element.target {
                            sites.push((e, constraint.origin, "exclusion"));
                        }
                    }
                    if let Some(predicate) = &exclusion.predicate {
                        sites.push((&predicate.value, predicate.origin, "exclusion"));
                    }
                }
                _ => {}
            }
        }
        for index in table.indexes.values() {
            for element in &index.elements {
                if let ElementTarget::Expression(e) = &element.target {
                    sites.push((e, Origin(element.origin.0.or(index.origin.0)), "index"));
                }
            }
            if let Some(predicate) = &index.predicate {
                sites.push((&predicate.value, predicate.origin, "index"));
            }
        }
        for (expr, origin, what) in sites {
            let names = read
                .entry(expr.as_str())
                .or_insert_with(|| crate::sql::tree::expression_names(expr.as_str()));
            let Some(names) = names else {
                continue;
            };
            for path in &names.columns {
                let name = match path.as_slice() {
                    [name] => name,
                    // `accounts.balance`: the table's own name.
                    [qualifier, name] if qualifier == table.name.name.as_str() => name,
                    _ => continue,
                };
                if columns.column(&Ident::new(name.as_str())).is_some() {
                    continue;
                }
                out.push(unknown_column(columns, name, origin, what));
            }
            if extensions_declared {
                continue;
            }
            for (schema_name, name) in &names.functions {
                if known_function(schema, schema_name.as_deref(), name) {
                    continue;
                }
                let shown = match schema_name {
                    Some(s) => format!("{s}.{name}"),
                    None => name.clone(),
                };
                out.push(
                    at(
                        Diagnostic::new(
                            Code::UnknownFunction,
                            format!("the {what} on `{}` calls `{shown}`, a function the schema does not declare", table.name),
                        ),
                        origin,
                        "unknown function",
                    )
                    .help("declare the function (`function NAME(...) ...`) or its extension (`extension NAME`), or check the spelling"),
                );
            }
        }
    }
}

/// A view reading a relation the schema does not declare (a misspelt
/// table, or one trellisc does not manage): a warning, since the database
/// may well have it. PostgreSQL's own catalogs are known.
fn views(schema: &Schema, out: &mut Vec<Diagnostic>) {
    for view in schema.views.values() {
        for relation in &view.uses {
            let name = relation.name.as_str();
            let catalog =
                name.starts_with("pg_") || matches!(relation.schema.as_str(), "pg_catalog" | "information_schema");
            if catalog || schema.tables.contains_key(relation) || schema.views.contains_key(relation) {
                continue;
            }
            let similar = schema
                .tables
                .keys()
                .chain(schema.views.keys())
                .filter(|n| n.schema == relation.schema)
                .map(|n| (edit_distance(n.name.as_str(), name), n))
                .filter(|(d, _)| *d <= 2)
                .min();
            let diagnostic = at(
                Diagnostic::new(
                    Code::UnknownRelation,
                    format!(
                        "{} `{}` reads `{relation}`, which the schema does not declare",
                        view.kind(),
                        view.name
                    ),
                ),
                view.origin,
                "reads an undeclared relation",
            );
            out.push(match similar {
                Some((_, n)) => diagnostic.help(format!("did you mean `{n}`?")),
                None => diagnostic.help("declare it, or check the spelling (a relation trellisc does not manage, as a partitioned table, is fine)"),
            });
        }
    }
}

fn unknown_column(table: &Table, name: &str, origin: Origin, what: &str) -> Diagnostic {
    let closest = table
        .columns
        .iter()
        .map(|c| (edit_distance(c.name.as_str(), name), c.name.as_str()))
        .filter(|(d, _)| *d <= 2)
        .min();
    let diagnostic = at(
        Diagnostic::new(
            Code::UnknownColumn,
            format!(
                "the {what} on `{}` names `{name}`, which is not a column of the table",
                table.name
            ),
        ),
        origin,
        "unknown column",
    );
    match closest {
        Some((_, column)) => diagnostic.help(format!("did you mean `{column}`?")),
        None => {
            let names: Vec<&str> = table.columns.iter().map(|c| c.name.as_str()).collect();
            diagnostic.help(format!("its columns are: {}", names.join(", ")))
        }
    }
}

/// PostgreSQL's own, the schema's, or a known extension's.
fn known_function(schema: &Schema, qualifier: Option<&str>, name: &str) -> bool {
    let builtin = matches!(qualifier, None | Some("pg_catalog")) && crate::plan::is_builtin_function(name);
    let declared = schema
        .routines
        .keys()
        .any(|id| id.name.name.as_str() == name && qualifier.is_none_or(|q| id.name.schema.as_str() == q));
    builtin || declared
}
