//! References between objects: columns named by constraints and indexes,
//! foreign keys (table, columns, count, types, a key to point at), `owned
//! by` and `replica identity using index`.

use super::{also, at};
use crate::diag::{Code, Diagnostic};
use crate::ir::*;

pub(super) fn check(schema: &Schema, out: &mut Vec<Diagnostic>) {
    for table in schema.tables.values().filter(|t| !t.inherits.is_empty()) {
        check_declared_again(schema, table, out);
    }
    for table in schema.tables.values() {
        // A partition's and an inheriting table's items name its parents'
        // columns too.
        let widened = schema.with_inherited_columns(table);
        let table = widened.as_ref().unwrap_or(table);
        for constraint in table.constraints.values() {
            match &constraint.kind {
                ConstraintKind::PrimaryKey { columns, include, .. }
                | ConstraintKind::Unique { columns, include, .. } => {
                    columns_exist(table, columns.iter().chain(include), out);
                }
                ConstraintKind::ForeignKey(foreign_key) => {
                    check_foreign_key(schema, table, constraint, foreign_key, out)
                }
                ConstraintKind::Exclusion(exclusion) => {
                    elements_exist(table, exclusion.elements.iter().map(|(e, _)| e), out);
                    columns_exist(table, &exclusion.include, out);
                }
                ConstraintKind::Check { .. } | ConstraintKind::EnumCheck { .. } => {}
            }
        }
        for index in table.indexes.values() {
            elements_exist(table, &index.elements, out);
            columns_exist(table, &index.include, out);
        }
        if let ReplicaIdentity::Index(name) = &table.replica_identity {
            check_replica_identity(table, name, out);
        }
    }
    for sequence in schema.sequences.values() {
        let Some(owner) = &sequence.owned_by else { continue };
        let (table_name, column) = &owner.value;
        match schema.tables.get(table_name) {
            None => out.push(unknown_table(schema, table_name, owner.origin)),
            Some(table) => {
                if table.column(column).is_none() {
                    out.push(unknown_column(table, column, owner.origin));
                } else if table_name.schema != sequence.name.schema {
                    out.push(
                        at(
                            Diagnostic::new(
                                Code::MisplacedOption,
                                format!("sequence `{}` is owned by a table of another schema", sequence.name),
                            ),
                            owner.origin,
                            "owner in another schema",
                        )
                        .help("PostgreSQL requires a sequence and its owning table to be in the same schema"),
                    );
                }
            }
        }
    }
}

fn unknown_table(schema: &Schema, name: &QualifiedName, origin: Origin) -> Diagnostic {
    let diagnostic = at(
        Diagnostic::new(Code::UnknownTable, format!("unknown table `{name}`")),
        origin,
        "no table of this name is declared",
    );
    let same_name: Vec<String> = schema
        .tables
        .keys()
        .filter(|t| t.name == name.name)
        .map(|t| t.to_string())
        .collect();
    match same_name.first() {
        Some(other) => diagnostic.help(format!(
            "did you mean `{other}`? Unqualified names refer to schema `public`"
        )),
        None => diagnostic.help("declare the table, or check the spelling (names are case-insensitive unless quoted)"),
    }
}

fn unknown_column(table: &Table, column: &Ident, origin: Origin) -> Diagnostic {
    let diagnostic = at(
        Diagnostic::new(
            Code::UnknownColumn,
            format!("table `{}` has no column `{}`", table.name, column.as_str()),
        ),
        origin,
        "unknown column",
    );
    let names: Vec<&str> = table.columns.iter().map(|c| c.name.as_str()).collect();
    diagnostic.help(format!("its columns are: {}", names.join(", ")))
}

fn columns_exist<'a>(table: &Table, columns: impl IntoIterator<Item = &'a Located<Ident>>, out: &mut Vec<Diagnostic>) {
    for column in columns {
        if table.column(column).is_none() {
            out.push(unknown_column(table, column, column.origin));
        }
    }
}

fn elements_exist<'a>(table: &Table, elements: impl IntoIterator<Item = &'a IndexElement>, out: &mut Vec<Diagnostic>) {
    for element in elements {
        if let ElementTarget::Column(column) = &element.target {
            if table.column(column).is_none() {
                out.push(unknown_column(table, column, element.origin));
            }
        }
    }
}

fn check_foreign_key(
    schema: &Schema,
    table: &Table,
    constraint: &Constraint,
    foreign_key: &ForeignKey,
    out: &mut Vec<Diagnostic>,
) {
    columns_exist(table, &foreign_key.columns, out);
    for column in &foreign_key.on_delete_columns {
        if !foreign_key.columns.iter().any(|c| &c.value == column) {
            out.push(
                at(
                    Diagnostic::new(
                        Code::UnknownColumn,
                        format!("`{}` is not a column of this foreign key", column.as_str()),
                    ),
                    constraint.origin,
                    "in `set null|default (...)`",
                )
                .help("the columns to set must be among the foreign key's own columns"),
            );
        }
    }
    let Some(target) = schema.tables.get(&foreign_key.referenced_table) else {
        out.push(unknown_table(
            schema,
            &foreign_key.referenced_table,
            foreign_key.referenced_table.origin,
        ));
        return;
    };
    let referenced: Vec<Located<Ident>> = if foreign_key.referenced_columns.is_empty() {
        match target.primary_key() {
            Some(Constraint {
                kind: ConstraintKind::PrimaryKey { columns, .. },
                ..
            }) => columns
                .iter()
                .map(|c| Located::new(c.value.clone(), foreign_key.referenced_table.origin))
                .collect(),
            _ => {
                out.push(
                    at(
                        Diagnostic::new(
                            Code::NoMatchingKey,
                            format!("table `{}` has no primary key to reference", target.name),
                        ),
                        foreign_key.referenced_table.origin,
                        "no columns given and no primary key",
                    )
                    .help("name the referenced columns, `references TABLE (COLUMN)`, or give the table a primary key"),
                );
                return;
            }
        }
    } else {
        foreign_key.referenced_columns.clone()
    };
    let before = out.len();
    columns_exist(target, &referenced, out);
    if out.len() > before {
        return;
    }
    if referenced.len() != foreign_key.columns.len() {
        out.push(
            at(
                Diagnostic::new(
                    Code::ForeignKeyArity,
                    format!(
                        "foreign key has {} column(s) but references {}",
                        foreign_key.columns.len(),
                        referenced.len()
                    ),
                ),
                constraint.origin,
                "column counts differ",
            )
            .help("list as many referenced columns as referencing columns, in the same order"),
        );
        return;
    }
    for (from, to) in foreign_key.columns.iter().zip(&referenced) {
        let (Some(from_column), Some(to_column)) = (table.column(from), target.column(to)) else {
            continue;
        };
        let (a, b) = (
            schema.storage_type(&schema.base_type(&from_column.data_type)),
            schema.storage_type(&schema.base_type(&to_column.data_type)),
        );
        if a == b {
            continue;
        }
        let (code, note) = if a.family() == b.family() {
            (
                Code::ForeignKeyTypeDiffers,
                "PostgreSQL accepts this, but values of one may not fit the other",
            )
        } else {
            (
                Code::ForeignKeyType,
                "PostgreSQL has no equality operator between these types",
            )
        };
        let diagnostic = Diagnostic::new(
            code,
            format!(
                "`{}.{}` is {} but references `{}.{}`, which is {}",
                table.name,
                from.as_str(),
                a,
                target.name,
                to.as_str(),
                b
            ),
        );
        let diagnostic = at(diagnostic, from_column.data_type.origin, "this type");
        let diagnostic = also(diagnostic, to_column.data_type.origin, "the referenced column's type");
        out.push(diagnostic.help(format!("{note}; declare both columns with the same type")));
    }
    let mut wanted: Vec<&Ident> = referenced.iter().map(|c| &c.value).collect();
    wanted.sort();
    let is_key = target.constraints.values().any(|c| match &c.kind {
        ConstraintKind::PrimaryKey { columns, .. } | ConstraintKind::Unique { columns, .. } => {
            let mut have: Vec<&Ident> = columns.iter().map(|c| &c.value).collect();
            have.sort();
            have == wanted && !c.deferrable
        }
        _ => false,
    }) || target.indexes.values().any(|i| {
        let mut have: Vec<&Ident> = i
            .elements
            .iter()
            .filter_map(|e| match &e.target {
                ElementTarget::Column(c) => Some(c),
                ElementTarget::Expression(_) => None,
            })
            .collect();
        have.sort();
        i.unique && i.predicate.is_none() && i.elements.len() == have.len() && have == wanted
    });
    if !is_key {
        let list: Vec<&str> = wanted.iter().map(|c| c.as_str()).collect();
        out.push(
            at(
                Diagnostic::new(
                    Code::NoMatchingKey,
                    format!(
                        "no primary key or unique constraint of `{}` covers exactly ({})",
                        target.name,
                        list.join(", ")
                    ),
                ),
                constraint.origin,
                "PostgreSQL would refuse this foreign key",
            )
            .help(format!(
                "add `unique ({})` to table `{}`, or reference its primary key",
                list.join(", "),
                target.name
            )),
        );
    }
}

fn check_replica_identity(table: &Table, name: &Located<Ident>, out: &mut Vec<Diagnostic>) {
    let problem = match table.indexes.get(&name.value) {
        None => match table.constraints.get(&name.value) {
            Some(Constraint {
                kind: ConstraintKind::PrimaryKey { .. },
                deferrable: false,
                ..
            }) => None,
            Some(Constraint {
                kind: ConstraintKind::Unique { columns, .. },
                deferrable: false,
                ..
            }) => columns
                .iter()
                .find(|c| table.column(c).is_some_and(|col| !col.not_null))
                .map(|c| format!("column `{}` is not `not null`", c.as_str())),
            Some(_) => Some("that constraint is not a non-deferrable primary key or unique constraint".to_string()),
            None => Some(format!("table `{}` has no index `{}`", table.name, name.as_str())),
        },
        Some(index) if !index.unique => Some("the index is not unique".into()),
        Some(index) if index.predicate.is_some() => Some("the index is partial".into()),
        Some(index) => index.elements.iter().find_map(|e| match &e.target {
            ElementTarget::Expression(_) => Some("the index has an expression".to_string()),
            ElementTarget::Column(c) => table
                .column(c)
                .filter(|col| !col.not_null)
                .map(|_| format!("column `{}` is not `not null`", c.as_str())),
        }),
    };
    if let Some(problem) = problem {
        out.push(
            at(Diagnostic::new(Code::InvalidReplicaIdentity, format!("`replica identity using index {}`: {problem}", name.as_str())), name.origin, "unsuitable index")
                .help("name a unique, non-partial, non-deferrable index over `not null` columns, or use `replica identity full`"),
        );
    }
}

/// A column an inheriting table declares again must have its parent's type
/// and collation (PostgreSQL merges the two and refuses a conflict).
fn check_declared_again(schema: &Schema, table: &Table, out: &mut Vec<Diagnostic>) {
    let inherited = schema.inherited_columns(table);
    for column in &table.columns {
        let Some(parent) = inherited.iter().find(|c| c.name == column.name) else {
            continue;
        };
        let what = match (
            column.data_type.value != parent.data_type.value,
            column.collation.is_some() && column.collation != parent.collation,
        ) {
            (true, _) => format!("type `{}`", parent.data_type.value),
            (false, true) => match &parent.collation {
                Some(collation) => format!("collation `{collation}`"),
                None => "its type's collation".to_string(),
            },
            (false, false) => continue,
        };
        let diagnostic = at(
            Diagnostic::new(
                Code::InheritedConflict,
                format!(
                    "column `{}` of `{}` is its parent's, which has {what}",
                    column.name, table.name
                ),
            ),
            column.origin,
            "declared again differently",
        );
        out.push(also(diagnostic, parent.origin, "the parent's").help(format!(
            "declare it with {what}, as the parent does, or leave it out (the table has it from its parent)"
        )));
    }
}
