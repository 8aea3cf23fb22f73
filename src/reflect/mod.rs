//! reflect: reads what a live PostgreSQL database contains into the Schema
//! IR, with a fixed handful of catalog queries for the whole database (sent
//! together, so a distant server costs one round trip, not one per table).
//!
//! The IR it builds is the one lowering builds for the same objects written
//! in `.trellis`: canonical type names, PostgreSQL's own text for
//! expressions, options with their defaults filled in. [`normalize`] brings
//! a source schema's expressions into the server's text, so that the two
//! compare equal when PostgreSQL considers them equal.

mod connect;
mod normalize;
mod queries;

use std::collections::BTreeMap;

use tokio_postgres::Client;
use tokio_postgres::Row;
use tokio_postgres::types::{FromSql, ToSql, Type};

use crate::ir::types::resolve_builtin;
use crate::ir::{
    Column, Constraint, ConstraintKind, ElementTarget, Enum, EnumLabel, EnumStorage, Exclusion, Expr, Extension,
    ForeignKey, Ident, Identity, Index, IndexElement, Located, MatchType, OperatorClass, Origin, QualifiedName,
    ReferentialAction, ReplicaIdentity, Schema, Sequence, SequenceOptions, SqlType, StorageParam, Table, TypeName,
    parse_enum_check_marker,
};

pub use connect::{Database, DbError, connect, is_url};
pub use normalize::normalize;

/// What to read.
#[derive(Clone, Debug)]
pub struct ReflectOptions {
    /// The PostgreSQL schemas to read; empty means every schema that is not
    /// PostgreSQL's own.
    pub schemas: Vec<String>,
    /// Tables that are not part of the schema (trellisc's own bookkeeping).
    pub exclude_tables: Vec<QualifiedName>,
    /// The schema that unqualified names in `.trellis` source mean; an
    /// extension installed there needs no `schema` clause.
    pub default_schema: Ident,
}

impl Default for ReflectOptions {
    fn default() -> ReflectOptions {
        ReflectOptions {
            schemas: Vec::new(),
            exclude_tables: vec![QualifiedName::new(Ident::new("public"), Ident::new("trellis_version"))],
            default_schema: Ident::new("public"),
        }
    }
}

/// A database as read.
#[derive(Clone, Debug, Default)]
pub struct Reflected {
    pub schema: Schema,
    /// Objects trellisc does not manage (views, functions, ...), which it
    /// leaves alone and names in a warning.
    pub unmanaged: Vec<Unmanaged>,
    /// The version `CREATE EXTENSION` would install, by extension: source
    /// without a `version` means that one.
    pub default_versions: BTreeMap<Ident, String>,
}

impl Reflected {
    /// The schema as `.trellis` source would say it: extension versions
    /// that are the default left out.
    pub fn without_defaults(&self) -> Schema {
        let mut schema = self.schema.clone();
        for (name, extension) in &mut schema.extensions {
            if extension.version.is_some() && extension.version.as_ref() == self.default_versions.get(name) {
                extension.version = None;
            }
        }
        schema
    }
}

/// An object of a kind trellisc does not manage.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unmanaged {
    /// `view`, `function`, `trigger`, ...
    pub kind: String,
    /// Its qualified name as SQL.
    pub name: String,
}

/// Reads the database's schema: all queries in one read-only snapshot,
/// pipelined on the one connection.
pub async fn reflect(client: &Client, options: &ReflectOptions) -> Result<Reflected, tokio_postgres::Error> {
    let begin = format!(
        "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET LOCAL search_path TO {}",
        options.default_schema.quoted()
    );
    read(client, options, &begin, "COMMIT").await
}

/// Runs `before` (which opens a transaction), the catalog queries and
/// `after` (which ends it), all sent at once, and builds the IR.
async fn read(
    client: &Client,
    options: &ReflectOptions,
    before: &str,
    after: &str,
) -> Result<Reflected, tokio_postgres::Error> {
    let schemas: &(dyn ToSql + Sync) = &options.schemas;
    let param = [(schemas, Type::TEXT_ARRAY)];
    let (extensions, enums, sequences, tables, columns, constraints, indexes, unmanaged) = (
        queries::extensions(),
        queries::enums(),
        queries::sequences(),
        queries::tables(),
        queries::columns(),
        queries::constraints(),
        queries::indexes(),
        queries::unmanaged(),
    );
    let results = tokio::try_join!(
        client.batch_execute(before),
        client.query_typed(&extensions, &[]),
        client.query_typed(&enums, &param),
        client.query_typed(&sequences, &param),
        client.query_typed(&tables, &param),
        client.query_typed(&columns, &param),
        client.query_typed(&constraints, &param),
        client.query_typed(&indexes, &param),
        client.query_typed(&unmanaged, &param),
        client.batch_execute(after),
    );
    let results = match results {
        Ok(results) => results,
        Err(error) => {
            // Leave the connection usable: end the failed transaction.
            let _ = client.batch_execute("ROLLBACK").await;
            return Err(error);
        }
    };
    let (_, extensions, enums, sequences, tables, columns, constraints, indexes, unmanaged, _) = results;
    let mut builder = Builder {
        options,
        schema: Schema::default(),
        default_versions: BTreeMap::new(),
    };
    builder.extensions(&extensions)?;
    builder.enums(&enums)?;
    builder.sequences(&sequences)?;
    builder.tables(&tables)?;
    builder.columns(&columns)?;
    let indexes = builder.indexes(&indexes)?;
    builder.constraints(&constraints, &indexes)?;
    let unmanaged = unmanaged
        .iter()
        .map(|row| {
            Ok(Unmanaged {
                kind: get(row, 0)?,
                name: get(row, 1)?,
            })
        })
        .collect::<Result<_, tokio_postgres::Error>>()?;
    let mut schema = std::mem::take(&mut builder.schema);
    for excluded in &options.exclude_tables {
        schema.tables.remove(excluded);
    }
    Ok(Reflected {
        schema,
        unmanaged,
        default_versions: builder.default_versions,
    })
}

fn get<'a, T: FromSql<'a>>(row: &'a Row, index: usize) -> Result<T, tokio_postgres::Error> {
    row.try_get(index)
}

fn qualified(schema: &str, name: &str) -> QualifiedName {
    QualifiedName::new(Ident::new(schema), Ident::new(name))
}

/// `name=value` entries of `reloptions` or `attoptions`.
fn storage_params(entries: &[String]) -> Vec<StorageParam> {
    // In the catalog's order, which is the order they were given in.
    entries
        .iter()
        .filter(|e| !e.is_empty())
        .map(|entry| match entry.split_once('=') {
            Some((name, value)) => StorageParam {
                name: name.to_string(),
                value: value.to_string(),
            },
            None => StorageParam {
                name: entry.clone(),
                value: "true".into(),
            },
        })
        .collect()
}

/// A type as the IR has it, from the element type's schema and name, its
/// `format_type` spelling with the column's modifiers, and array dimensions.
pub(crate) fn sql_type(schema: &str, name: &str, formatted: &str, array_dims: u32) -> SqlType {
    if schema == "pg_catalog" {
        // `timestamp(3) with time zone`: the modifiers may stand inside the name.
        let (words, modifiers) = match (formatted.find('('), formatted.find(')')) {
            (Some(open), Some(close)) if open < close => {
                let words = format!("{}{}", formatted[..open].trim_end(), &formatted[close + 1..]);
                let modifiers: Vec<String> = formatted[open + 1..close]
                    .split(',')
                    .map(|m| m.trim().to_string())
                    .collect();
                (words, modifiers)
            }
            _ => (formatted.to_string(), Vec::new()),
        };
        if let Some(resolved) = resolve_builtin(&words, &modifiers) {
            return SqlType {
                name: TypeName::Builtin(resolved.canonical.to_string()),
                modifiers: resolved.modifiers,
                array_dims,
            };
        }
        return SqlType {
            name: TypeName::User(qualified("pg_catalog", &words)),
            modifiers: (!modifiers.is_empty()).then(|| format!("({})", modifiers.join(","))),
            array_dims,
        };
    }
    let modifiers = formatted
        .strip_suffix(')')
        .and_then(|f| f.rfind('(').map(|open| format!("{})", &f[open..])));
    SqlType {
        name: TypeName::User(qualified(schema, name)),
        modifiers,
        array_dims,
    }
}

/// The string literals of an expression, in order, unescaped.
fn string_literals(expr: &str) -> Vec<String> {
    let mut literals = Vec::new();
    let mut chars = expr.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\'' {
            continue;
        }
        let mut literal = String::new();
        while let Some(inner) = chars.next() {
            if inner == '\'' {
                if chars.peek() == Some(&'\'') {
                    chars.next();
                } else {
                    break;
                }
            }
            literal.push(inner);
        }
        literals.push(literal);
    }
    literals
}

fn referential_action(code: &str) -> ReferentialAction {
    match code {
        "r" => ReferentialAction::Restrict,
        "c" => ReferentialAction::Cascade,
        "n" => ReferentialAction::SetNull,
        "d" => ReferentialAction::SetDefault,
        _ => ReferentialAction::NoAction,
    }
}

fn located<T>(value: T) -> Located<T> {
    Located::new(value, Origin::default())
}

/// An index as read, before it is known whether it stands alone or
/// belongs to a constraint.
struct RawIndex {
    index: Index,
    /// Backs a primary key, unique or exclusion constraint.
    constraint: bool,
}

struct Builder<'o> {
    options: &'o ReflectOptions,
    schema: Schema,
    default_versions: BTreeMap<Ident, String>,
}

impl Builder<'_> {
    fn extensions(&mut self, rows: &[Row]) -> Result<(), tokio_postgres::Error> {
        for row in rows {
            let name: String = get(row, 0)?;
            let version: Option<String> = get(row, 1)?;
            let schema: String = get(row, 2)?;
            let default_version: Option<String> = get(row, 3)?;
            let name = Ident::new(name);
            if let Some(default) = default_version {
                self.default_versions.insert(name.clone(), default);
            }
            self.schema.extensions.insert(
                name.clone(),
                Extension {
                    name,
                    version,
                    schema: Some(Ident::new(schema)).filter(|s| *s != self.options.default_schema),
                    // The comment the extension's control file gives is left out.
                    comment: get(row, 4)?,
                    origin: Origin::default(),
                },
            );
        }
        Ok(())
    }

    fn enums(&mut self, rows: &[Row]) -> Result<(), tokio_postgres::Error> {
        for row in rows {
            let name = qualified(get(row, 0)?, get(row, 1)?);
            let labels: Vec<String> = get(row, 2)?;
            self.schema.enums.insert(
                name.clone(),
                Enum {
                    name,
                    was: None,
                    storage: EnumStorage::Native,
                    labels: labels
                        .into_iter()
                        .map(|name| EnumLabel {
                            name,
                            was: None,
                            origin: Origin::default(),
                        })
                        .collect(),
                    comment: get(row, 3)?,
                    origin: Origin::default(),
                },
            );
        }
        Ok(())
    }

    fn sequence_options(row: &Row, first: usize) -> Result<SequenceOptions, tokio_postgres::Error> {
        let data_type: String = get(row, first)?;
        Ok(SequenceOptions {
            data_type: sql_type("pg_catalog", &data_type, &data_type, 0),
            increment: get(row, first + 1)?,
            min_value: get(row, first + 2)?,
            max_value: get(row, first + 3)?,
            start: get(row, first + 4)?,
            cache: get(row, first + 5)?,
            cycle: get(row, first + 6)?,
        })
    }

    fn sequences(&mut self, rows: &[Row]) -> Result<(), tokio_postgres::Error> {
        for row in rows {
            let name = qualified(get(row, 0)?, get(row, 1)?);
            let owner_schema: Option<&str> = get(row, 9)?;
            let owner_table: Option<&str> = get(row, 10)?;
            let owner_column: Option<&str> = get(row, 11)?;
            let owned_by = match (owner_schema, owner_table, owner_column) {
                (Some(schema), Some(table), Some(column)) => {
                    Some(located((qualified(schema, table), Ident::new(column))))
                }
                _ => None,
            };
            self.schema.sequences.insert(
                name.clone(),
                Sequence {
                    name,
                    was: None,
                    options: Self::sequence_options(row, 2)?,
                    owned_by,
                    comment: get(row, 12)?,
                    origin: Origin::default(),
                },
            );
        }
        Ok(())
    }

    fn tables(&mut self, rows: &[Row]) -> Result<(), tokio_postgres::Error> {
        for row in rows {
            let name = qualified(get(row, 0)?, get(row, 1)?);
            let persistence: &str = get(row, 2)?;
            let options: Vec<String> = get(row, 3)?;
            let replica_identity = match get::<&str>(row, 4)? {
                "f" => ReplicaIdentity::Full,
                "n" => ReplicaIdentity::Nothing,
                // `i`: the index is marked below, with the indexes.
                _ => ReplicaIdentity::Default,
            };
            self.schema.tables.insert(
                name.clone(),
                Table {
                    name,
                    was: None,
                    comment: get(row, 5)?,
                    unlogged: persistence == "u",
                    storage_params: storage_params(&options),
                    columns: Vec::new(),
                    constraints: BTreeMap::new(),
                    indexes: BTreeMap::new(),
                    replica_identity,
                    origin: Origin::default(),
                },
            );
        }
        Ok(())
    }

    fn table(&mut self, row: &Row) -> Result<Option<&mut Table>, tokio_postgres::Error> {
        let schema: &str = get(row, 0)?;
        let name: &str = get(row, 1)?;
        Ok(self.schema.tables.get_mut(&qualified(schema, name)))
    }

    fn columns(&mut self, rows: &[Row]) -> Result<(), tokio_postgres::Error> {
        for row in rows {
            let type_schema: &str = get(row, 3)?;
            let type_name: &str = get(row, 4)?;
            let formatted: &str = get(row, 5)?;
            let dims: i32 = get(row, 6)?;
            let data_type = sql_type(type_schema, type_name, formatted, dims.max(0) as u32);
            let expression: Option<String> = get(row, 8)?;
            let identity: &str = get(row, 9)?;
            let generated: &str = get(row, 10)?;
            let sequence_schema: Option<&str> = get(row, 13)?;
            let sequence_name: Option<&str> = get(row, 14)?;
            let identity = match (identity, sequence_schema, sequence_name) {
                ("a" | "d", Some(schema), Some(name)) => Some(Box::new(Identity {
                    always: identity == "a",
                    sequence_name: qualified(schema, name),
                    options: Self::sequence_options(row, 15)?,
                })),
                _ => None,
            };
            let (default, generated) = match generated {
                "s" => (None, expression.map(|e| located(Expr(e)))),
                _ => (expression.map(|e| located(Expr(e))), None),
            };
            let column = Column {
                name: Ident::new(get::<String>(row, 2)?),
                was: None,
                data_type: located(data_type),
                not_null: get(row, 7)?,
                default,
                identity,
                generated,
                collation: get::<Option<String>>(row, 11)?.map(Ident::new),
                comment: get(row, 12)?,
                origin: Origin::default(),
            };
            if let Some(table) = self.table(row)? {
                table.columns.push(column);
            }
        }
        Ok(())
    }

    /// Reads every index; returns those behind constraints by name, and
    /// puts the others into their tables.
    fn indexes(&mut self, rows: &[Row]) -> Result<BTreeMap<QualifiedName, Index>, tokio_postgres::Error> {
        let mut backing = BTreeMap::new();
        for row in rows {
            let schema: String = get(row, 0)?;
            let raw = Self::index(row)?;
            let replica_identity: bool = get(row, 18)?;
            let Some(table) = self.table(row)? else { continue };
            if replica_identity {
                table.replica_identity = ReplicaIdentity::Index(located(raw.index.name.clone()));
            }
            if raw.constraint {
                backing.insert(qualified(&schema, raw.index.name.as_str()), raw.index);
            } else {
                table.indexes.insert(raw.index.name.clone(), raw.index);
            }
        }
        Ok(backing)
    }

    fn index(row: &Row) -> Result<RawIndex, tokio_postgres::Error> {
        let key_count: i32 = get(row, 6)?;
        let columns: Vec<String> = get(row, 7)?;
        let expressions: Vec<String> = get(row, 8)?;
        let opclass_schemas: Vec<String> = get(row, 9)?;
        let opclass_names: Vec<String> = get(row, 10)?;
        let opclass_options: Vec<String> = get(row, 11)?;
        let collations: Vec<String> = get(row, 12)?;
        let options: Vec<i32> = get(row, 13)?;
        let reloptions: Vec<String> = get(row, 14)?;
        let mut elements = Vec::new();
        let mut include = Vec::new();
        for (position, column) in columns.iter().enumerate() {
            if position as i32 >= key_count {
                include.push(located(Ident::new(column.as_str())));
                continue;
            }
            let text = |list: &[String]| list.get(position).cloned().unwrap_or_default();
            let target = if column.is_empty() {
                ElementTarget::Expression(Expr(text(&expressions)))
            } else {
                ElementTarget::Column(Ident::new(column.as_str()))
            };
            let opclass = Some(text(&opclass_names)).filter(|n| !n.is_empty()).map(|name| {
                let params: Vec<String> = text(&opclass_options).split('\u{1}').map(str::to_string).collect();
                OperatorClass {
                    name: qualified(&text(&opclass_schemas), &name),
                    params: storage_params(&params),
                }
            });
            let option = options.get(position).copied().unwrap_or(0);
            elements.push(IndexElement {
                target,
                collation: Some(text(&collations)).filter(|c| !c.is_empty()).map(Ident::new),
                opclass,
                descending: option & 1 != 0,
                nulls_first: option & 2 != 0,
                origin: Origin::default(),
            });
        }
        Ok(RawIndex {
            index: Index {
                name: Ident::new(get::<String>(row, 2)?),
                was: None,
                unique: get(row, 3)?,
                nulls_not_distinct: get(row, 4)?,
                method: Ident::new(get::<String>(row, 5)?),
                elements,
                include,
                storage_params: storage_params(&reloptions),
                predicate: get::<Option<String>>(row, 15)?.map(|p| located(Expr(p))),
                comment: get(row, 17)?,
                named: true,
                origin: Origin::default(),
            },
            constraint: get(row, 16)?,
        })
    }

    /// A check trellisc wrote for an `as check` enum: the column has the
    /// enum's type, and the enum its labels (the check's string literals).
    fn enum_check(
        &mut self,
        row: &Row,
        column: &Ident,
        enum_name: &QualifiedName,
        expr: &str,
        comment: Option<String>,
    ) -> Result<(), tokio_postgres::Error> {
        if let Some(table) = self.table(row)? {
            if let Some(column) = table.columns.iter_mut().find(|c| &c.name == column) {
                let dims = column.data_type.array_dims;
                column.data_type.value = SqlType {
                    name: TypeName::User(enum_name.clone()),
                    modifiers: None,
                    array_dims: dims,
                };
            }
        }
        if !self.schema.enums.contains_key(enum_name) {
            let labels = string_literals(expr)
                .into_iter()
                .map(|name| EnumLabel {
                    name,
                    was: None,
                    origin: Origin::default(),
                })
                .collect();
            self.schema.enums.insert(
                enum_name.clone(),
                Enum {
                    name: enum_name.clone(),
                    was: None,
                    storage: EnumStorage::Check,
                    labels,
                    comment,
                    origin: Origin::default(),
                },
            );
        }
        Ok(())
    }

    fn constraints(
        &mut self,
        rows: &[Row],
        indexes: &BTreeMap<QualifiedName, Index>,
    ) -> Result<(), tokio_postgres::Error> {
        for row in rows {
            let schema: &str = get(row, 0)?;
            let kind: &str = get(row, 3)?;
            let columns: Vec<String> = get(row, 8)?;
            let columns: Vec<Located<Ident>> = columns.into_iter().map(|c| located(Ident::new(c))).collect();
            let index_name: Option<&str> = get(row, 17)?;
            let index = index_name.and_then(|n| indexes.get(&qualified(schema, n)));
            let include = index.map(|i| i.include.clone()).unwrap_or_default();
            let kind = match kind {
                "p" => ConstraintKind::PrimaryKey { columns, include },
                "u" => ConstraintKind::Unique {
                    columns,
                    include,
                    nulls_not_distinct: index.is_some_and(|i| i.nulls_not_distinct),
                },
                "c" => {
                    let expr = get::<Option<String>>(row, 16)?.unwrap_or_default();
                    let comment: Option<&str> = get(row, 19)?;
                    match (comment.and_then(parse_enum_check_marker), columns.first()) {
                        (Some((enum_name, enum_comment)), Some(column)) => {
                            self.enum_check(row, &column.value, &enum_name, &expr, enum_comment)?;
                            ConstraintKind::EnumCheck {
                                column: column.value.clone(),
                                enum_name,
                            }
                        }
                        _ => ConstraintKind::Check {
                            expr: located(Expr(expr)),
                            no_inherit: get(row, 7)?,
                        },
                    }
                }
                "f" => {
                    let referenced: Vec<String> = get(row, 11)?;
                    let set_columns: Vec<String> = get(row, 15)?;
                    ConstraintKind::ForeignKey(ForeignKey {
                        columns,
                        referenced_table: located(qualified(
                            get::<Option<&str>>(row, 9)?.unwrap_or_default(),
                            get::<Option<&str>>(row, 10)?.unwrap_or_default(),
                        )),
                        referenced_columns: referenced.into_iter().map(|c| located(Ident::new(c))).collect(),
                        match_type: match get::<&str>(row, 12)? {
                            "f" => MatchType::Full,
                            "p" => MatchType::Partial,
                            _ => MatchType::Simple,
                        },
                        on_update: referential_action(get(row, 13)?),
                        on_delete: referential_action(get(row, 14)?),
                        on_delete_columns: set_columns.into_iter().map(Ident::new).collect(),
                    })
                }
                "x" => {
                    let operators: Vec<String> = get(row, 18)?;
                    let Some(index) = index else { continue };
                    ConstraintKind::Exclusion(Exclusion {
                        method: index.method.clone(),
                        elements: index.elements.iter().cloned().zip(operators).collect(),
                        include,
                        storage_params: index.storage_params.clone(),
                        predicate: index.predicate.clone(),
                    })
                }
                _ => continue,
            };
            let constraint = Constraint {
                name: Ident::new(get::<String>(row, 2)?),
                was: None,
                kind,
                deferrable: get(row, 4)?,
                initially_deferred: get(row, 5)?,
                not_valid: !get::<bool>(row, 6)?,
                comment: get(row, 19)?,
                named: true,
                origin: Origin::default(),
            };
            if let Some(table) = self.table(row)? {
                table.constraints.insert(constraint.name.clone(), constraint);
            }
        }
        Ok(())
    }
}
