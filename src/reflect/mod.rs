//! reflect: reads what a live PostgreSQL database contains into the Schema
//! IR, with a fixed handful of catalog queries for the whole database (sent
//! together, so a distant server costs one round trip, not one per table).
//!
//! The IR it builds is the one lowering builds for the same objects written
//! in `.trellis`: canonical type names, PostgreSQL's own text for
//! expressions, options with their defaults filled in. [`normalize`] brings
//! a source schema's expressions into the server's text, so that the two
//! compare equal when PostgreSQL considers them equal.

mod argument;
mod connect;
mod conninfo;
mod normalize;
mod pgpass;
mod queries;
mod tls;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use tokio_postgres::Client;
use tokio_postgres::Row;
use tokio_postgres::types::{FromSql, ToSql, Type};

use crate::ir::types::resolve_builtin;
use crate::ir::{
    Collation, Column, ColumnSettings, Constraint, ConstraintKind, DefaultGrant, DefaultKey, DefaultKind,
    ElementTarget, Enum, EnumLabel, EnumStorage, Exclusion, Expr, ExtendedStatistics, Extension, ForeignKey, Grant,
    GrantKey, Grantee, Ident, Identity, Index, IndexElement, Located, MatchType, OperatorClass, Origin, PartitionKey,
    PartitionOf, Policy, Privilege, QualifiedName, ReferentialAction, ReplicaIdentity, Routine, RoutineId, RoutineKind,
    RowSecurity, Schema, SearchPathName, Securable, Sequence, SequenceOptions, SqlType, StorageParam, Table, Trigger,
    TypeName, View, ViewIndex, parse_enum_check_marker,
};

pub use argument::{is_url, mask, mistyped};
pub use connect::{Database, DbError, Target, configure, connect, set_default_timeout, show_notices};
pub use conninfo::with_dbname;
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
    /// What those objects use of the tables trellisc manages.
    pub dependencies: Vec<Dependency>,
    /// The version `CREATE EXTENSION` would install, by extension: source
    /// without a `version` means that one.
    pub default_versions: BTreeMap<Ident, String>,
    /// The roles of the cluster.
    pub roles: BTreeSet<Ident>,
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

/// Something an object trellisc does not manage uses in a managed table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dependency {
    /// `view public.order_totals`, `policy own_rows on public.orders`, ...
    pub object: String,
    /// The table it uses, or the enum type when `on_type`.
    pub table: QualifiedName,
    /// The column it uses; none when it uses the table as a whole.
    pub column: Option<Ident>,
    /// Whether it uses an enum type (a routine's argument, a view's column).
    pub on_type: bool,
    /// Whether it does not use `table` but has its name (a view, a
    /// partitioned table): nothing else of that name can be made.
    pub holds_name: bool,
    /// Which view, trigger or routine it is, when it is one: a plan that
    /// manages it takes care of it.
    pub key: Option<crate::plan::DependentKey>,
}

/// An object of a kind trellisc does not manage.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unmanaged {
    /// `view`, `function`, `trigger`, ...
    pub kind: String,
    /// Its qualified name as SQL.
    pub name: String,
}

/// The estimated rows and size on disk of each of `tables` the database
/// has (one query): `pg_class.reltuples` (none before the first ANALYZE or
/// VACUUM) and `pg_total_relation_size`.
pub async fn table_sizes(
    database: &Database,
    tables: &[QualifiedName],
) -> Result<std::collections::BTreeMap<QualifiedName, crate::plan::impact::TableSize>, tokio_postgres::Error> {
    let mut sizes = std::collections::BTreeMap::new();
    if tables.is_empty() {
        return Ok(sizes);
    }
    let schemas: Vec<String> = tables.iter().map(|t| t.schema.as_str().to_string()).collect();
    let names: Vec<String> = tables.iter().map(|t| t.name.as_str().to_string()).collect();
    let rows = database
        .client
        .query_typed(
            "SELECT t.n::int8, c.reltuples::float8, pg_total_relation_size(c.oid)::int8 \
             FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS t(schema_name, table_name, n) \
             JOIN pg_namespace s ON s.nspname = t.schema_name \
             JOIN pg_class c ON c.relnamespace = s.oid AND c.relname = t.table_name AND c.relkind IN ('r', 'p', 'm')",
            &[(&schemas, Type::TEXT_ARRAY), (&names, Type::TEXT_ARRAY)],
        )
        .await?;
    for row in rows {
        let n: i64 = get(&row, 0)?;
        let reltuples: f64 = get(&row, 1)?;
        let bytes: i64 = get(&row, 2)?;
        let Some(table) = usize::try_from(n - 1).ok().and_then(|i| tables.get(i)) else {
            continue;
        };
        // 0 before PostgreSQL 14 is ambiguous (never analysed, or empty).
        sizes.insert(table.clone(), crate::plan::impact::size_of(reltuples, bytes));
    }
    Ok(sizes)
}

/// The estimated rows and size on disk of every table of the database
/// outside PostgreSQL's own schemas (one query), as [`table_sizes`] reads
/// them.
pub async fn all_table_sizes(
    database: &Database,
) -> Result<std::collections::BTreeMap<QualifiedName, crate::plan::impact::TableSize>, tokio_postgres::Error> {
    let rows = database
        .client
        .query_typed(
            "SELECT s.nspname::text, c.relname::text, c.reltuples::float8, pg_total_relation_size(c.oid)::int8 \
             FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace \
             WHERE c.relkind IN ('r', 'p', 'm') AND s.nspname NOT IN ('pg_catalog', 'information_schema') \
             AND s.nspname NOT LIKE 'pg\\_toast%'",
            &[],
        )
        .await?;
    let mut sizes = std::collections::BTreeMap::new();
    for row in rows {
        let schema: String = get(&row, 0)?;
        let name: String = get(&row, 1)?;
        let reltuples: f64 = get(&row, 2)?;
        let bytes: i64 = get(&row, 3)?;
        sizes.insert(
            qualified(&schema, &name),
            crate::plan::impact::size_of(reltuples, bytes),
        );
    }
    Ok(sizes)
}

/// What objects trellisc does not manage use of the tables it manages, in
/// every schema (one query).
pub async fn dependencies(database: &Database) -> Result<Vec<Dependency>, tokio_postgres::Error> {
    let schemas: Vec<String> = Vec::new();
    let rows = database
        .client
        .query_typed(&queries::dependencies(), &[(&schemas, Type::TEXT_ARRAY)])
        .await?;
    rows.iter().map(dependency).collect()
}

fn dependency(row: &Row) -> Result<Dependency, tokio_postgres::Error> {
    use crate::plan::DependentKey;
    let column: Option<String> = get(row, 4)?;
    let kind: String = get(row, 0)?;
    let key_schema: Option<String> = get(row, 7)?;
    let key_name: Option<String> = get(row, 8)?;
    let key_table: Option<String> = get(row, 9)?;
    let key = match (kind.as_str(), key_schema, key_name) {
        ("view" | "materialized view", Some(schema), Some(name)) => Some(DependentKey::View(qualified(&schema, &name))),
        ("trigger", Some(schema), Some(name)) => key_table.map(|table| DependentKey::Trigger {
            table: qualified(&schema, &table),
            name: Ident::new(name),
        }),
        ("function" | "procedure", Some(schema), Some(name)) => Some(DependentKey::Routine(qualified(&schema, &name))),
        ("policy", Some(schema), Some(name)) => key_table.map(|table| DependentKey::Policy {
            table: qualified(&schema, &table),
            name: Ident::new(name),
        }),
        _ => None,
    };
    Ok(Dependency {
        key,
        object: format!("{} {}", get::<String>(row, 0)?, get::<String>(row, 1)?),
        table: QualifiedName::new(Ident::new(get::<String>(row, 2)?), Ident::new(get::<String>(row, 3)?)),
        column: column.map(Ident::new),
        on_type: get(row, 5)?,
        holds_name: get(row, 6)?,
    })
}

/// Which of the casts a plan needs exist on the server: each probe (a
/// query built on the cast, with its step's index) is parsed there, not
/// run, all pipelined in one round trip. PostgreSQL refusing the cast
/// means no; parsed means yes; anything else (a type the database lacks,
/// as one the plan creates) is left unknown.
pub async fn casts(database: &Database, probes: &[(usize, String)]) -> crate::plan::casts::ServerCasts {
    let answers = futures_util::future::join_all(probes.iter().map(|(_, sql)| database.client.prepare(sql))).await;
    probes
        .iter()
        .zip(answers)
        .filter_map(|((step, _), answer)| match answer {
            Ok(_) => Some((*step, true)),
            Err(e) if e.code() == Some(&tokio_postgres::error::SqlState::CANNOT_COERCE) => Some((*step, false)),
            Err(_) => None,
        })
        .collect()
}

/// Reads the database's schema: all queries in one read-only snapshot,
/// pipelined on the one connection.
pub async fn reflect(database: &Database, options: &ReflectOptions) -> Result<Reflected, tokio_postgres::Error> {
    read_whole(database, None, options).await
}

/// [`reflect`] over two connections to the same database: the costliest
/// queries go on `helper`, which reads in the same snapshot (exported by
/// the first connection's transaction, imported by the helper's), so that
/// the server works on both halves at once. Each connection still sends
/// its queries at once, so the round trips stay as they were plus one (the
/// snapshot's name). Where the helper cannot share the snapshot (a pooler
/// that sends it to another server, say), everything is read again on the
/// first connection.
pub async fn reflect_shared(
    database: &Database,
    helper: &Database,
    options: &ReflectOptions,
) -> Result<Reflected, tokio_postgres::Error> {
    match read_whole(database, Some(&helper.client), options).await {
        Ok(reflected) => Ok(reflected),
        Err(_) => reflect(database, options).await,
    }
}

/// Everything of the schemas asked for, in one transaction of `database`
/// (and of `helper`, in its snapshot).
async fn read_whole(
    database: &Database,
    helper: Option<&Client>,
    options: &ReflectOptions,
) -> Result<Reflected, tokio_postgres::Error> {
    let begin = reading_transaction(options);
    read(
        &database.client,
        helper,
        database.major,
        options,
        Reading::Whole,
        &begin,
        "COMMIT",
    )
    .await
}

/// The transaction reflection reads in: one snapshot, the default schema
/// first on the search path (as the deparsed expressions are written), room
/// to sort in memory.
fn reading_transaction(options: &ReflectOptions) -> String {
    format!(
        "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET LOCAL search_path TO {}; SET LOCAL work_mem = '64MB'",
        options.default_schema.quoted()
    )
}

/// The queries (by their place in [`read`]'s list) a helper connection
/// runs: about half of the server's work on a large schema (columns with
/// their deparsed defaults, index expressions, objects trellisc does not
/// manage, privileges).
const ON_HELPER: [usize; 4] = [4, 8, 11, 23];

/// The catalog queries [`read`] sends, in its order: a name for each (for
/// the benchmark that times them one by one), its text for a server of
/// version `major`, and whether it takes the schemas to read as `$1` (a
/// `text[]`; the others read what is global to the server or database).
#[doc(hidden)]
pub fn catalog_queries(major: u32) -> [(&'static str, String, bool); 28] {
    [
        ("extensions", queries::extensions(), false),
        ("enums", queries::enums(), true),
        ("sequences", queries::sequences(), true),
        ("tables", queries::tables(), true),
        ("columns", queries::columns(major), true),
        ("constraints", queries::constraints(major), true),
        ("referenced_columns", queries::referenced_columns(), true),
        ("indexes", queries::indexes(major), true),
        ("index_expressions", queries::index_expressions(), true),
        ("operator_classes", queries::operator_classes(), false),
        ("collations_and_operators", queries::collations_and_operators(), false),
        ("unmanaged", queries::unmanaged(), true),
        ("dependencies", queries::dependencies(), true),
        ("schemas", queries::schemas(), true),
        ("domains", queries::domains(), true),
        ("routines", queries::routines(), true),
        ("triggers", queries::triggers(), true),
        ("views", queries::views(), true),
        ("view_indexes", queries::view_indexes(), true),
        ("aggregates", queries::aggregates(), true),
        ("policies", queries::policies(), true),
        ("collations", queries::collations(major), true),
        ("statistics", queries::statistics(), true),
        ("privileges", queries::privileges(), true),
        ("default_privileges", queries::default_privileges(), true),
        ("roles", queries::roles(), false),
        ("composites", queries::composites(), true),
        ("ranges", queries::ranges(major), true),
    ]
}

/// What [`read`] reads.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Reading {
    /// Everything of the schemas asked for.
    Whole,
    /// What normalization makes in the temporary schema and reads back:
    /// tables and what hangs on them, domains, views and routines. Not the
    /// database-wide lists and the kinds it never makes there (extensions,
    /// roles, privileges, dependencies, schemas, composite and range types,
    /// collations, aggregates, materialized views' indexes, unmanaged
    /// objects), whose queries cost a round of planning each.
    Made,
}

/// The queries (by their place in [`read`]'s list) that [`Reading::Made`]
/// leaves out.
const NOT_MADE: [usize; 12] = [0, 11, 12, 13, 18, 19, 21, 23, 24, 25, 26, 27];

/// A query in a left-out place: no rows, and no parameter.
const NOTHING: &str = "SELECT WHERE false";

/// Runs `before` (which opens a transaction), the catalog queries and
/// `after` (which ends it), all sent at once, and builds the IR.
#[allow(clippy::too_many_arguments)]
async fn read(
    client: &Client,
    helper: Option<&Client>,
    major: u32,
    options: &ReflectOptions,
    reading: Reading,
    before: &str,
    after: &str,
) -> Result<Reflected, tokio_postgres::Error> {
    let schemas: &(dyn ToSql + Sync) = &options.schemas;
    let param = [(schemas, Type::TEXT_ARRAY)];
    let texts = catalog_queries(major);
    let query = |i: usize| {
        let left_out = reading == Reading::Made && NOT_MADE.contains(&i);
        if left_out || (helper.is_some() && ON_HELPER.contains(&i)) {
            return client.query_typed(NOTHING, &[]);
        }
        let (_, text, takes_schemas) = &texts[i];
        client.query_typed(text, if *takes_schemas { &param } else { &[] })
    };
    // With a helper: the first connection exports its snapshot right after
    // opening its transaction, the helper opens its own in it and runs its
    // queries, and the first connection's transaction ends only once the
    // helper has taken the snapshot (it is importable only until then).
    let (snapshot_sent, snapshot) = tokio::sync::oneshot::channel::<String>();
    let (imported_sent, imported) = tokio::sync::oneshot::channel::<()>();
    let export = async {
        if helper.is_none() {
            return Ok(());
        }
        // Unprepared, as the catalog queries are: a prepared statement
        // waits for its description before its execution is sent, which puts
        // it behind every query already in the pipe, and the helper would
        // start only when the first connection had finished.
        let rows = client.query_typed("SELECT pg_export_snapshot()", &[]).await?;
        let snapshot: Option<String> = match rows.first() {
            Some(row) => row.try_get(0)?,
            None => None,
        };
        if let Some(snapshot) = snapshot {
            let _ = snapshot_sent.send(snapshot);
        }
        Ok(())
    };
    let end = async {
        if helper.is_some() {
            // Sent either way: a helper that failed drops the sender.
            let _ = imported.await;
        }
        client.batch_execute(after).await
    };
    let helper_side = async {
        let Some(helper) = helper else {
            return Ok(Vec::new());
        };
        let Ok(snapshot) = snapshot.await else {
            return Ok(Vec::new());
        };
        let begin = before.replacen(
            "READ ONLY;",
            &format!(
                "READ ONLY; SET TRANSACTION SNAPSHOT {};",
                crate::render::literal(&snapshot)
            ),
            1,
        );
        helper.batch_execute(&begin).await?;
        let _ = imported_sent.send(());
        let queries = ON_HELPER.map(|i| {
            let (_, text, takes_schemas) = &texts[i];
            helper.query_typed(text, if *takes_schemas { &param } else { &[] })
        });
        let [a, b, c, d] = queries;
        let rows = tokio::try_join!(a, b, c, d, helper.batch_execute("COMMIT"));
        match rows {
            Ok((a, b, c, d, ())) => Ok(vec![a, b, c, d]),
            Err(error) => {
                let _ = helper.batch_execute("ROLLBACK").await;
                Err(error)
            }
        }
    };
    let first = async {
        tokio::try_join!(
            client.batch_execute(before),
            export,
            query(0),
            query(1),
            query(2),
            query(3),
            query(4),
            query(5),
            query(6),
            query(7),
            query(8),
            query(9),
            query(10),
            query(11),
            query(12),
            query(13),
            query(14),
            query(15),
            query(16),
            query(17),
            query(18),
            query(19),
            query(20),
            query(21),
            query(22),
            query(23),
            query(24),
            query(25),
            query(26),
            query(27),
            end,
        )
    };
    let results = tokio::try_join!(first, helper_side);
    let (results, helped) = match results {
        Ok(results) => results,
        Err(error) => {
            // Leave the connection usable: end the failed transaction.
            let _ = client.batch_execute("ROLLBACK").await;
            return Err(error);
        }
    };
    let (
        _,
        _,
        extensions,
        enums,
        sequences,
        tables,
        columns,
        constraints,
        referenced,
        indexes,
        expressions,
        opclasses,
        names,
        unmanaged,
        dependencies,
        schemas,
        domains,
        routines,
        triggers,
        views,
        view_indexes,
        aggregates,
        policies,
        collations,
        statistics,
        privileges,
        default_privileges,
        roles,
        composites,
        ranges,
        _,
    ) = results;
    // What the helper read, in place of the first connection's empty answers.
    let (columns, expressions, unmanaged, privileges) = match <[Vec<Row>; 4]>::try_from(helped) {
        Ok([a, b, c, d]) => (a, b, c, d),
        // The helper had no snapshot to read in: everything on this one.
        Err(_) if helper.is_some() => {
            return Box::pin(read(client, None, major, options, reading, before, after)).await;
        }
        Err(_) => (columns, expressions, unmanaged, privileges),
    };
    let mut builder = Builder {
        options,
        schema: Schema::default(),
        default_versions: BTreeMap::new(),
        relations: HashMap::new(),
        names: HashMap::new(),
        table_names: HashMap::new(),
        routine_oids: HashMap::new(),
        unreadable: Vec::new(),
        inherited: Vec::new(),
    };
    builder.schemas(&schemas)?;
    builder.extensions(&extensions)?;
    builder.collations(&collations)?;
    builder.enums(&enums)?;
    builder.domains(&domains)?;
    builder.composites(&composites)?;
    builder.ranges(&ranges)?;
    builder.sequences(&sequences)?;
    builder.tables(&tables)?;
    builder.columns(&columns)?;
    builder.inherited_columns();
    builder.referenced_columns(&referenced)?;
    for row in &names {
        let name = SearchPathName {
            schema: get::<Option<String>>(row, 2)?.map(Ident::new),
            name: Ident::new(get::<String>(row, 1)?),
        };
        builder.names.insert(get(row, 0)?, name);
    }
    let lookups = IndexLookups::new(&expressions, &opclasses)?;
    let indexes = builder.indexes(&indexes, &lookups)?;
    builder.constraints(&constraints, &indexes)?;
    builder.routines(&routines)?;
    builder.aggregates(&aggregates)?;
    builder.views(&views)?;
    builder.view_indexes(&view_indexes)?;
    builder.triggers(&triggers)?;
    builder.policies(&policies)?;
    builder.statistics(&statistics)?;
    builder.privileges(&privileges)?;
    builder.default_privileges(&default_privileges)?;
    let roles = roles
        .iter()
        .map(|row| get::<String>(row, 0).map(Ident::new))
        .collect::<Result<_, tokio_postgres::Error>>()?;
    let mut unmanaged = unmanaged
        .iter()
        .map(|row| {
            Ok(Unmanaged {
                kind: get(row, 0)?,
                name: get(row, 1)?,
            })
        })
        .collect::<Result<Vec<_>, tokio_postgres::Error>>()?;
    unmanaged.append(&mut builder.unreadable);
    let dependencies = dependencies
        .iter()
        .map(dependency)
        .collect::<Result<_, tokio_postgres::Error>>()?;
    let mut schema = std::mem::take(&mut builder.schema);
    for excluded in &options.exclude_tables {
        schema.tables.remove(excluded);
    }
    // Privileges on what was read (not on what was left out).
    let objects: HashSet<Securable> = crate::ir::grants::securables(&schema).into_iter().collect();
    schema.privileges.grants.retain(|key, _| objects.contains(&key.object));
    Ok(Reflected {
        schema,
        unmanaged,
        dependencies,
        default_versions: builder.default_versions,
        roles,
    })
}

/// PostgreSQL's `default` collation.
const DEFAULT_COLLATION: u32 = 100;

fn get<'a, T: FromSql<'a>>(row: &'a Row, index: usize) -> Result<T, tokio_postgres::Error> {
    row.try_get(index)
}

/// A collation's (or operator class's) name, with the schema the catalog
/// query gives where the search path does not find it.
fn collation_name(name: Option<String>, schema: Option<String>) -> Option<SearchPathName> {
    Some(SearchPathName {
        schema: schema.map(Ident::new),
        name: Ident::new(name?),
    })
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
            name: TypeName::User(Box::new(qualified("pg_catalog", &words))),
            modifiers: (!modifiers.is_empty()).then(|| format!("({})", modifiers.join(",")).into_boxed_str()),
            array_dims,
        };
    }
    let modifiers = formatted
        .strip_suffix(')')
        .and_then(|f| f.rfind('(').map(|open| format!("{})", &f[open..])));
    SqlType {
        name: TypeName::User(Box::new(qualified(schema, name))),
        modifiers: modifiers.map(String::into_boxed_str),
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

/// The items of a list PostgreSQL printed (`lower(a), (b || ','::text)`),
/// split at the commas outside parentheses, brackets and quotes.
fn split_list(text: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut depth = 0i32;
    let mut quote: Option<char> = None;
    let mut current = String::new();
    for c in text.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '(' | '[') => depth += 1,
            (None, ')' | ']') => depth -= 1,
            (None, ',') if depth == 0 => {
                items.push(current.trim().to_string());
                current.clear();
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    items.push(current.trim().to_string());
    items
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
    /// Columns by relation and number: name and collation.
    relations: HashMap<u32, HashMap<i16, (Ident, u32)>>,
    /// Collation and operator names by oid.
    names: HashMap<u32, SearchPathName>,
    /// The tables read, by oid.
    table_names: HashMap<u32, QualifiedName>,
    /// The routines read, by oid.
    routine_oids: HashMap<u32, RoutineId>,
    /// Routines and triggers PostgreSQL's parser (of the version built in)
    /// cannot read back: named as not managed rather than lost.
    unreadable: Vec<Unmanaged>,
    /// The columns inheriting tables have from their parents, as read in
    /// the table (see [`Builder::inherited_columns`]).
    inherited: Vec<(QualifiedName, Column)>,
}

/// What index columns need besides the index row: expression texts and
/// operator class parameters by (index, position), operator classes by oid.
struct IndexLookups {
    expressions: HashMap<(u32, i32), String>,
    parameters: HashMap<(u32, i32), Vec<String>>,
    /// (name, default for its type)
    opclasses: HashMap<u32, (SearchPathName, bool)>,
}

impl IndexLookups {
    fn new(expressions: &[Row], opclasses: &[Row]) -> Result<IndexLookups, tokio_postgres::Error> {
        let mut lookups = IndexLookups {
            expressions: HashMap::new(),
            parameters: HashMap::new(),
            opclasses: HashMap::new(),
        };
        for row in expressions {
            let key = (get(row, 0)?, get(row, 1)?);
            if let Some(text) = get::<Option<String>>(row, 2)? {
                // Numbered among the expressions; placed at the key positions
                // whose column number is 0.
                for (number, expression) in split_list(&text).into_iter().enumerate() {
                    lookups.expressions.insert((key.0, number as i32), expression);
                }
            }
            if let Some(parameters) = get::<Option<Vec<String>>>(row, 3)? {
                lookups.parameters.insert(key, parameters);
            }
        }
        for row in opclasses {
            lookups.opclasses.insert(
                get(row, 0)?,
                (
                    collation_name(get(row, 2)?, get(row, 1)?).expect("an operator class has a name"),
                    get(row, 3)?,
                ),
            );
        }
        Ok(lookups)
    }
}

impl Builder<'_> {
    fn schemas(&mut self, rows: &[Row]) -> Result<(), tokio_postgres::Error> {
        for row in rows {
            let name = Ident::new(get::<String>(row, 0)?);
            let comment: Option<String> = get(row, 1)?;
            // `public` is always there; it is declared only for a comment.
            if name.as_str() == "public" && comment.is_none() {
                continue;
            }
            let schema = crate::ir::DeclaredSchema {
                name: name.clone(),
                comment,
                origin: Origin::default(),
            };
            self.schema.schemas.insert(name, schema);
        }
        Ok(())
    }

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

    fn domains(&mut self, rows: &[Row]) -> Result<(), tokio_postgres::Error> {
        for row in rows {
            let name = qualified(get(row, 0)?, get(row, 1)?);
            let dims: i32 = get(row, 5)?;
            let data_type = sql_type(get(row, 2)?, get(row, 3)?, get(row, 4)?, dims.max(0) as u32);
            let names: Vec<String> = get(row, 10)?;
            let exprs: Vec<Option<String>> = get(row, 11)?;
            let validated: Vec<bool> = get(row, 12)?;
            let checks = names
                .into_iter()
                .zip(exprs)
                .zip(validated)
                .map(|((check, expr), validated)| {
                    let check = Ident::new(check);
                    let built = crate::ir::DomainCheck {
                        name: check.clone(),
                        expr: Expr(expr.unwrap_or_default()),
                        not_valid: !validated,
                        origin: Origin::default(),
                    };
                    (check, built)
                })
                .collect();
            let domain = crate::ir::Domain {
                name: name.clone(),
                data_type,
                collation: collation_name(get(row, 6)?, get(row, 13)?),
                default: get::<Option<String>>(row, 7)?.map(Expr),
                not_null: get(row, 8)?,
                checks,
                comment: get(row, 9)?,
                origin: Origin::default(),
            };
            self.schema.domains.insert(name, domain);
        }
        Ok(())
    }

    /// Composite types, from `queries::composites`.
    fn composites(&mut self, rows: &[Row]) -> Result<(), tokio_postgres::Error> {
        for row in rows {
            let name = qualified(get(row, 0)?, get(row, 1)?);
            let composite = self
                .schema
                .composites
                .entry(name.clone())
                .or_insert_with(|| crate::ir::CompositeType {
                    name,
                    was: None,
                    attributes: Vec::new(),
                    comment: None,
                    origin: Origin::default(),
                });
            composite.comment = get(row, 2)?;
            let Some(attribute) = get::<Option<String>>(row, 3)? else {
                continue;
            };
            let dims: i32 = get(row, 7)?;
            composite.attributes.push(crate::ir::TypeAttribute {
                name: Ident::new(attribute),
                was: None,
                data_type: sql_type(get(row, 4)?, get(row, 5)?, get(row, 6)?, dims.max(0) as u32),
                collation: collation_name(get(row, 8)?, get(row, 9)?),
                comment: get(row, 10)?,
                origin: Origin::default(),
            });
        }
        Ok(())
    }

    /// Range types, from `queries::ranges`.
    fn ranges(&mut self, rows: &[Row]) -> Result<(), tokio_postgres::Error> {
        for row in rows {
            let (schema, type_name): (String, String) = (get(row, 0)?, get(row, 1)?);
            let name = qualified(&schema, &type_name);
            let dims: i32 = get(row, 6)?;
            let multirange = match (get::<Option<String>>(row, 15)?, get::<Option<String>>(row, 16)?) {
                (Some(m_schema), Some(m_name))
                    if m_schema != schema || m_name != crate::ir::default_multirange(&type_name) =>
                {
                    Some(qualified(&m_schema, &m_name))
                }
                _ => None,
            };
            let range = crate::ir::RangeType {
                name: name.clone(),
                was: None,
                subtype: sql_type(get(row, 3)?, get(row, 4)?, get(row, 5)?, dims.max(0) as u32),
                subtype_opclass: collation_name(get(row, 7)?, get(row, 8)?),
                collation: collation_name(get(row, 9)?, get(row, 10)?),
                canonical: collation_name(get(row, 11)?, get(row, 12)?),
                subtype_diff: collation_name(get(row, 13)?, get(row, 14)?),
                multirange,
                comment: get(row, 2)?,
                origin: Origin::default(),
            };
            self.schema.ranges.insert(name, range);
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
            self.table_names.insert(get(row, 6)?, name.clone());
            let key: Option<String> = get(row, 9)?;
            let partition_by = key.and_then(|key| {
                // `RANGE (at)`: the strategy, then the key in parentheses.
                let (strategy, rest) = key.split_once(' ')?;
                let key = rest.strip_prefix('(')?.strip_suffix(')')?.to_string();
                let strategy = strategy.to_ascii_lowercase();
                let canonical = crate::sql::tree::partition_key(&strategy, &key).ok()?;
                Some(PartitionKey {
                    strategy,
                    key,
                    canonical,
                })
            });
            let parent_schemas: Vec<String> = get(row, 11)?;
            let parent_names: Vec<String> = get(row, 12)?;
            let mut parents: Vec<QualifiedName> = parent_schemas
                .iter()
                .zip(&parent_names)
                .map(|(schema, name)| qualified(schema, name))
                .collect();
            let bound: Option<String> = get(row, 10)?;
            let partition_of = match bound {
                Some(bound) if !parents.is_empty() => {
                    let parent = parents.remove(0);
                    crate::sql::tree::partition_bound(&bound)
                        .ok()
                        .map(|canonical| PartitionOf {
                            parent,
                            bound,
                            canonical,
                        })
                }
                _ => None,
            };
            let inherits = parents;
            self.schema.tables.insert(
                name.clone(),
                Table {
                    name,
                    was: None,
                    comment: get(row, 5)?,
                    unlogged: persistence == "u",
                    storage_params: storage_params(&options),
                    columns: Vec::new(),
                    constraints: crate::ir::NameMap::new(),
                    indexes: crate::ir::NameMap::new(),
                    replica_identity,
                    triggers: BTreeMap::new(),
                    row_security: RowSecurity {
                        enabled: get(row, 7)?,
                        forced: get(row, 8)?,
                    },
                    policies: BTreeMap::new(),
                    partition_by: partition_by.map(Box::new),
                    partition_of: partition_of.map(Box::new),
                    inherits,
                    cluster_on: get::<Option<String>>(row, 13)?.map(Ident::new),
                    access_method: get::<Option<String>>(row, 14)?.map(Ident::new),
                    tablespace: get::<Option<String>>(row, 15)?.map(Ident::new),
                    statistics: BTreeMap::new(),
                    origin: Origin::default(),
                },
            );
        }
        Ok(())
    }

    /// Functions and procedures, read back with PostgreSQL's parser as a
    /// source's are, so that both compare alike. One the parser cannot
    /// read (a server newer than the parser) is left out, and so named
    /// nowhere: that cannot happen with a parser of the newest version.
    fn routines(&mut self, rows: &[Row]) -> Result<(), tokio_postgres::Error> {
        let default_schema = &self.options.default_schema;
        for row in rows {
            let name = qualified(get(row, 0)?, get(row, 1)?);
            let procedure: bool = get(row, 2)?;
            let arguments: String = get(row, 3)?;
            let definition: String = get(row, 4)?;
            let rest = crate::sql::one_line(&definition);
            let statement = crate::syntax::lower::routine_statement(procedure, &name, &arguments, &rest);
            let Ok(facts) = crate::sql::tree::routine(&statement, default_schema) else {
                self.unreadable.push(Unmanaged {
                    kind: if procedure { "procedure" } else { "function" }.into(),
                    name: format!("{}({arguments})", name.quoted()),
                });
                continue;
            };
            let routine = Routine {
                comment: get(row, 5)?,
                ..facts.into_routine(name, procedure, false, arguments, rest)
            };
            self.routine_oids.insert(get(row, 6)?, routine.id.clone());
            self.schema.routines.insert(routine.id.clone(), routine);
        }
        Ok(())
    }

    /// Triggers, split where `pg_get_triggerdef` names the table: the
    /// timing and events before, the rest after.
    fn triggers(&mut self, rows: &[Row]) -> Result<(), tokio_postgres::Error> {
        let default_schema = self.options.default_schema.clone();
        for row in rows {
            let table_name = qualified(get(row, 0)?, get(row, 1)?);
            let name = Ident::new(get::<String>(row, 2)?);
            let definition: String = get(row, 3)?;
            let on: String = get(row, 4)?;
            let constraint = definition.starts_with("CREATE CONSTRAINT TRIGGER ");
            let header = format!(
                "CREATE {}TRIGGER {} ",
                if constraint { "CONSTRAINT " } else { "" },
                name.quoted()
            );
            let other_on: String = get(row, 6)?;
            let split = definition.strip_prefix(header.as_str()).and_then(|after_header| {
                after_header
                    .split_once(on.as_str())
                    .or_else(|| after_header.split_once(other_on.as_str()))
            });
            let facts = split.and_then(|(events, rest)| {
                let statement = crate::syntax::lower::trigger_statement(&name, constraint, events, &table_name, rest);
                crate::sql::tree::trigger(&statement, &default_schema).ok()
            });
            let (Some((events, rest)), Some(facts)) = (split, facts) else {
                self.unreadable.push(Unmanaged {
                    kind: "trigger".into(),
                    name: format!("{} on {}", name.quoted(), table_name.quoted()),
                });
                continue;
            };
            let trigger = Trigger {
                name: name.clone(),
                was: None,
                constraint,
                events: events.to_string(),
                rest: rest.to_string(),
                function: facts.function,
                columns: facts.columns,
                canonical: facts.canonical,
                comment: get(row, 5)?,
                origin: Origin::default(),
            };
            if let Some(table) = self.schema.tables.get_mut(&table_name) {
                table.triggers.insert(name, trigger);
            } else if let Some(view) = self.schema.views.get_mut(&table_name) {
                view.triggers.insert(name, trigger);
            }
        }
        Ok(())
    }

    fn collations(&mut self, rows: &[Row]) -> Result<(), tokio_postgres::Error> {
        for row in rows {
            let name = qualified(get(row, 0)?, get(row, 1)?);
            let provider = match get::<&str>(row, 2)? {
                "i" => "icu",
                "b" => "builtin",
                _ => "libc",
            };
            let collation = Collation {
                name: name.clone(),
                provider: provider.into(),
                locale: get(row, 3)?,
                lc_collate: get(row, 4)?,
                lc_ctype: get(row, 5)?,
                deterministic: get(row, 6)?,
                rules: get(row, 7)?,
                comment: get(row, 8)?,
                origin: Origin::default(),
            };
            self.schema.collations.insert(name, collation.normalized());
        }
        Ok(())
    }

    fn statistics(&mut self, rows: &[Row]) -> Result<(), tokio_postgres::Error> {
        for row in rows {
            let table_name = qualified(get(row, 0)?, get(row, 1)?);
            let name = Ident::new(get::<String>(row, 2)?);
            let definition: String = get(row, 3)?;
            let Ok(facts) = crate::sql::tree::statistics(&definition) else {
                self.unreadable.push(Unmanaged {
                    kind: "extended statistics".into(),
                    name: QualifiedName::new(table_name.schema.clone(), name).quoted(),
                });
                continue;
            };
            if let Some(table) = self.schema.tables.get_mut(&table_name) {
                table.statistics.insert(
                    name.clone(),
                    ExtendedStatistics {
                        name,
                        kinds: facts.kinds,
                        targets: facts.targets,
                        canonical: facts.canonical,
                        origin: Origin::default(),
                    },
                );
            }
        }
        Ok(())
    }

    fn policies(&mut self, rows: &[Row]) -> Result<(), tokio_postgres::Error> {
        let default_schema = self.options.default_schema.clone();
        for row in rows {
            let table_name = qualified(get(row, 0)?, get(row, 1)?);
            let roles: Vec<String> = get(row, 5)?;
            let mut policy = Policy {
                name: Ident::new(get::<String>(row, 2)?),
                was: None,
                permissive: get(row, 3)?,
                command: get(row, 4)?,
                roles: roles.into_iter().map(Ident::new).collect(),
                using: get(row, 6)?,
                check: get(row, 7)?,
                canonical: String::new(),
                columns: Vec::new(),
                uses: Vec::new(),
                comment: get(row, 8)?,
                origin: Origin::default(),
            };
            let statement = policy.statement(&table_name.quoted());
            let Ok(facts) = crate::sql::tree::policy(&statement, &table_name, &default_schema) else {
                self.unreadable.push(Unmanaged {
                    kind: "policy".into(),
                    name: format!("{} on {}", policy.name.quoted(), table_name.quoted()),
                });
                continue;
            };
            policy.canonical = facts.canonical;
            policy.columns = facts.columns;
            policy.uses = facts.uses;
            if let Some(table) = self.schema.tables.get_mut(&table_name) {
                table.policies.insert(policy.name.clone(), policy);
            }
        }
        Ok(())
    }

    /// Privileges, from `queries::privileges`. A routine is found by its
    /// oid; what names nothing read (an extension's, an unreadable
    /// routine's) is left out.
    fn privileges(&mut self, rows: &[Row]) -> Result<(), tokio_postgres::Error> {
        let mut grants = BTreeMap::new();
        for row in rows {
            let kind: String = get(row, 0)?;
            let schema: String = get(row, 1)?;
            let name: Option<String> = get(row, 2)?;
            let extra: Option<String> = get(row, 3)?;
            let name = name.unwrap_or_default();
            let mut column = None;
            let object = match kind.as_str() {
                "r" => Securable::Relation(qualified(&schema, &name)),
                "c" => {
                    column = extra.map(Ident::new);
                    Securable::Relation(qualified(&schema, &name))
                }
                "S" => Securable::Sequence(qualified(&schema, &name)),
                "f" => {
                    let Some(id) = extra
                        .and_then(|oid| oid.parse::<u32>().ok())
                        .and_then(|oid| self.routine_oids.get(&oid))
                    else {
                        continue;
                    };
                    let Some(routine) = self.schema.routines.get(id) else {
                        continue;
                    };
                    let kind = if routine.procedure {
                        RoutineKind::Procedure
                    } else {
                        RoutineKind::Function
                    };
                    Securable::Routine(id.clone(), kind)
                }
                "n" => Securable::Schema(Ident::new(schema)),
                "T" => Securable::Type(qualified(&schema, &name)),
                _ => continue,
            };
            let grantee = match get::<Option<String>>(row, 4)? {
                None => Grantee::Public,
                Some(role) => Grantee::Role(Ident::new(role)),
            };
            let Some(privilege) = Privilege::from_keyword(&get::<String>(row, 5)?) else {
                continue;
            };
            let key = GrantKey {
                object,
                column,
                grantee,
                privilege,
            };
            let grant = Grant {
                grantable: get(row, 6)?,
                implicit: false,
                origin: Origin::default(),
            };
            grants.insert(key, grant);
        }
        self.schema.privileges.grants = grants;
        Ok(())
    }

    /// Default privileges, from `queries::default_privileges`: those for
    /// the role connected have no role; an entry for everywhere is told
    /// against what PostgreSQL gives by itself.
    fn default_privileges(&mut self, rows: &[Row]) -> Result<(), tokio_postgres::Error> {
        let mut defaults = BTreeMap::new();
        // Entries for everywhere, with the privileges each gives PUBLIC.
        let mut everywhere: BTreeMap<(Option<Ident>, DefaultKind), BTreeSet<Privilege>> = BTreeMap::new();
        for row in rows {
            let role: String = get(row, 0)?;
            let role = if get::<bool>(row, 1)? {
                None
            } else {
                Some(Ident::new(role))
            };
            let schema = get::<Option<String>>(row, 2)?.map(Ident::new);
            let kind = match get::<String>(row, 3)?.as_str() {
                "r" => DefaultKind::Tables,
                "S" => DefaultKind::Sequences,
                "f" => DefaultKind::Functions,
                "T" => DefaultKind::Types,
                "n" => DefaultKind::Schemas,
                _ => continue,
            };
            let grantee = match get::<Option<String>>(row, 4)? {
                None => Grantee::Public,
                Some(name) => Grantee::Role(Ident::new(name)),
            };
            let Some(privilege) = Privilege::from_keyword(&get::<String>(row, 5)?) else {
                continue;
            };
            let grantable: bool = get(row, 6)?;
            let is_owner: bool = get(row, 7)?;
            if schema.is_none() {
                let seen = everywhere.entry((role.clone(), kind)).or_default();
                if grantee == Grantee::Public {
                    seen.insert(privilege);
                }
            }
            if is_owner {
                continue;
            }
            // What PostgreSQL gives by itself is no default of the schema's.
            if schema.is_none() && grantee == Grantee::Public && kind.builtin() == Some(privilege) && !grantable {
                continue;
            }
            let key = DefaultKey {
                role,
                schema,
                kind,
                grantee,
                privilege,
            };
            defaults.insert(key, DefaultGrant::Granted { grantable });
        }
        for ((role, kind), public) in everywhere {
            let Some(builtin) = kind.builtin() else { continue };
            if !public.contains(&builtin) {
                let key = DefaultKey {
                    role,
                    schema: None,
                    kind,
                    grantee: Grantee::Public,
                    privilege: builtin,
                };
                defaults.insert(key, DefaultGrant::Revoked);
            }
        }
        self.schema.privileges.defaults = defaults;
        Ok(())
    }

    fn aggregates(&mut self, rows: &[Row]) -> Result<(), tokio_postgres::Error> {
        let default_schema = self.options.default_schema.clone();
        for row in rows {
            let name = qualified(get(row, 0)?, get(row, 1)?);
            let arguments: String = get(row, 2)?;
            let options: String = get(row, 3)?;
            let rest = format!("({options})");
            let statement = format!("CREATE AGGREGATE {}({arguments}) {rest}", name.quoted());
            let Ok(facts) = crate::sql::tree::aggregate(&statement, &default_schema) else {
                self.unreadable.push(Unmanaged {
                    kind: "aggregate".into(),
                    name: format!("{}({arguments})", name.quoted()),
                });
                continue;
            };
            let routine = Routine {
                comment: get(row, 4)?,
                ..facts.into_routine(name, false, true, arguments, rest)
            };
            self.routine_oids.insert(get(row, 5)?, routine.id.clone());
            self.schema.routines.insert(routine.id.clone(), routine);
        }
        Ok(())
    }

    fn views(&mut self, rows: &[Row]) -> Result<(), tokio_postgres::Error> {
        let default_schema = self.options.default_schema.clone();
        for row in rows {
            let name = qualified(get(row, 0)?, get(row, 1)?);
            let materialized: bool = get(row, 2)?;
            let definition: String = get(row, 3)?;
            let options: Vec<String> = get(row, 4)?;
            let printed = definition.trim_end().trim_end_matches(';');
            // The names PostgreSQL keeps but does not print, said (a view
            // made from the text is then the one read).
            let query = crate::sql::keep_hidden_names(printed).into_owned();
            let Ok(facts) = crate::sql::tree::view(&query, &[], &default_schema) else {
                self.unreadable.push(Unmanaged {
                    kind: if materialized { "materialized view" } else { "view" }.into(),
                    name: name.quoted(),
                });
                continue;
            };
            let mut options = storage_params(&options);
            let check_option = options
                .iter()
                .position(|o| o.name == "check_option")
                .map(|i| options.remove(i).value);
            let view = View {
                name: name.clone(),
                was: None,
                materialized,
                columns: Vec::new(),
                options,
                check_option,
                query,
                canonical: facts.canonical,
                uses: facts.uses,
                calls: facts.calls,
                indexes: BTreeMap::new(),
                triggers: BTreeMap::new(),
                comment: get(row, 5)?,
                origin: Origin::default(),
            };
            self.schema.views.insert(name, view);
        }
        Ok(())
    }

    fn view_indexes(&mut self, rows: &[Row]) -> Result<(), tokio_postgres::Error> {
        for row in rows {
            let view_name = qualified(get(row, 0)?, get(row, 1)?);
            let name = Ident::new(get::<String>(row, 2)?);
            let unique: bool = get(row, 3)?;
            let definition: String = get(row, 4)?;
            let on: String = get(row, 5)?;
            let rest = definition.split_once(on.as_str()).map(|(_, rest)| rest.to_string());
            let canonical = rest.as_ref().and_then(|rest| {
                let statement = crate::syntax::lower::view_index_statement(unique, &name, &view_name, rest);
                crate::sql::tree::view_index(&statement).ok()
            });
            let (Some(rest), Some(canonical)) = (rest, canonical) else {
                self.unreadable.push(Unmanaged {
                    kind: "index".into(),
                    name: format!("{} on {}", name.quoted(), view_name.quoted()),
                });
                continue;
            };
            let comment = get(row, 6)?;
            if let Some(view) = self.schema.views.get_mut(&view_name) {
                view.indexes.insert(
                    name.clone(),
                    ViewIndex {
                        name,
                        was: None,
                        unique,
                        rest,
                        canonical,
                        comment,
                        origin: Origin::default(),
                    },
                );
            }
        }
        Ok(())
    }

    fn table(&mut self, row: &Row) -> Result<Option<&mut Table>, tokio_postgres::Error> {
        let schema: &str = get(row, 0)?;
        let name: &str = get(row, 1)?;
        Ok(self.schema.tables.get_mut(&qualified(schema, name)))
    }

    /// Statistics target, storage, compression and options from four
    /// columns of a row, starting at `at`.
    fn column_settings(row: &Row, at: usize) -> Result<Option<Box<ColumnSettings>>, tokio_postgres::Error> {
        let storage = get::<Option<&str>>(row, at + 1)?.map(|s| match s {
            "p" => "plain",
            "e" => "external",
            "m" => "main",
            _ => "extended",
        });
        let compression = get::<Option<&str>>(row, at + 2)?.map(|c| match c {
            "l" => "lz4",
            _ => "pglz",
        });
        let mut options: Vec<StorageParam> = get::<Option<Vec<String>>>(row, at + 3)?
            .unwrap_or_default()
            .into_iter()
            .map(|option| match option.split_once('=') {
                Some((name, value)) => StorageParam {
                    name: name.to_string(),
                    value: value.to_string(),
                },
                None => StorageParam {
                    name: option,
                    value: "true".into(),
                },
            })
            // The options a user sets (some builds keep their own there,
            // such as `pg_attver`, which no `ALTER TABLE` removes).
            .filter(|option| matches!(option.name.as_str(), "n_distinct" | "n_distinct_inherited"))
            .collect();
        options.sort();
        Ok(ColumnSettings {
            statistics: get(row, at)?,
            storage: storage.map(str::to_string),
            compression: compression.map(str::to_string),
            options,
        }
        .boxed())
    }

    fn columns(&mut self, rows: &[Row]) -> Result<(), tokio_postgres::Error> {
        // By table, then by number (the query leaves them unsorted).
        let mut ordered = Vec::with_capacity(rows.len());
        for row in rows {
            ordered.push(((get::<u32>(row, 22)?, get::<i16>(row, 23)?), row));
        }
        ordered.sort_unstable_by_key(|(key, _)| *key);
        for (_, row) in ordered {
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
            // attgenerated: 's' stored, 'v' virtual (PostgreSQL 18).
            let generated_kind = match generated {
                "v" => crate::ir::GeneratedKind::Virtual,
                _ => crate::ir::GeneratedKind::Stored,
            };
            let (default, generated) = match generated {
                "s" | "v" => (None, expression.map(|e| located(Expr(e)))),
                _ => (expression.map(|e| located(Expr(e))), None),
            };
            let column = Column {
                name: Ident::new(get::<String>(row, 2)?),
                was: None,
                data_type: located(data_type),
                not_null: get(row, 7)?,
                default,
                identity,
                generated: generated.map(Box::new),
                generated_kind,
                collation: collation_name(get(row, 11)?, get(row, 25)?).map(Box::new),
                comment: get(row, 12)?,
                using: None,
                settings: Self::column_settings(row, 26)?,
                origin: Origin::default(),
            };
            let relation: u32 = get(row, 22)?;
            let number: i16 = get(row, 23)?;
            let collation: u32 = get(row, 24)?;
            self.relations
                .entry(relation)
                .or_default()
                .insert(number, (column.name.clone(), collation));
            let own: bool = get(row, 30)?;
            if let Some(table) = self
                .table_names
                .get(&relation)
                .and_then(|n| self.schema.tables.get_mut(n))
            {
                // A partition's columns are its parent's (however it was
                // made); an inheriting table's own are those no parent has,
                // and those it has from a parent are looked at once every
                // table's columns are known.
                if table.partition_of.is_none() {
                    match own {
                        true => table.columns.push(column),
                        false => self.inherited.push((table.name.clone(), column)),
                    }
                }
            }
        }
        Ok(())
    }

    /// The columns inheriting tables have from their parents: a column the
    /// table has as its parent has it is the parent's alone; one with a
    /// default, `not null` or a comment of the table's own is declared in
    /// the table again with them (whether `CREATE TABLE` merged it or
    /// `ALTER TABLE ONLY` set them: PostgreSQL has no statement that
    /// tells the two apart afterwards). Parents are settled before their
    /// children.
    fn inherited_columns(&mut self) {
        let mut inherited = std::mem::take(&mut self.inherited);
        let schema = &self.schema;
        inherited.sort_by_cached_key(|(name, _)| schema.tables.get(name).map_or(0, |t| schema.ancestry(t).len()));
        let mut placed: BTreeMap<QualifiedName, usize> = BTreeMap::new();
        // What each table has from its parents, once its parents are settled.
        let mut parents: BTreeMap<QualifiedName, Vec<Column>> = BTreeMap::new();
        for (name, column) in inherited {
            let Some(table) = self.schema.tables.get(&name) else {
                continue;
            };
            let from = parents
                .entry(name.clone())
                .or_insert_with(|| self.schema.inherited_columns(table))
                .iter()
                .find(|c| c.name == column.name);
            let value = |c: &Column| c.default.as_ref().map(|d| d.value.clone());
            let own = from.is_none_or(|parent| {
                (value(&column).is_some() && value(&column) != value(parent))
                    || (column.not_null && !parent.not_null)
                    || column.comment.is_some()
            });
            if !own {
                continue;
            }
            if let Some(table) = self.schema.tables.get_mut(&name) {
                // Before the table's own columns, as PostgreSQL orders them.
                let at = placed.entry(name).or_default();
                table.columns.insert(*at, column);
                *at += 1;
            }
        }
    }

    fn referenced_columns(&mut self, rows: &[Row]) -> Result<(), tokio_postgres::Error> {
        for row in rows {
            let relation: u32 = get(row, 0)?;
            let number: i16 = get(row, 1)?;
            self.relations
                .entry(relation)
                .or_default()
                .insert(number, (Ident::new(get::<String>(row, 2)?), 0));
        }
        Ok(())
    }

    /// Column names of a relation by number.
    fn column_names(&self, relation: u32, numbers: &[i16]) -> Vec<Located<Ident>> {
        let columns = self.relations.get(&relation);
        numbers
            .iter()
            .filter_map(|n| columns.and_then(|c| c.get(n)))
            .map(|(name, _)| located(name.clone()))
            .collect()
    }

    /// Reads every index; returns those behind constraints by name, and
    /// puts the others into their tables.
    fn indexes(
        &mut self,
        rows: &[Row],
        lookups: &IndexLookups,
    ) -> Result<BTreeMap<QualifiedName, Index>, tokio_postgres::Error> {
        let mut backing = BTreeMap::new();
        for row in rows {
            let schema: String = get(row, 0)?;
            let raw = self.index(row, lookups)?;
            let replica_identity: bool = get(row, 17)?;
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

    fn index(&self, row: &Row, lookups: &IndexLookups) -> Result<RawIndex, tokio_postgres::Error> {
        let key_count: i32 = get(row, 6)?;
        let relation: u32 = get(row, 7)?;
        let index_oid: u32 = get(row, 8)?;
        let keys: Vec<i16> = get(row, 9)?;
        let classes: Vec<u32> = get(row, 10)?;
        let collations: Vec<u32> = get(row, 11)?;
        let options: Vec<i16> = get(row, 12)?;
        let reloptions: Vec<String> = get(row, 13)?;
        let columns = self.relations.get(&relation);
        let mut elements = Vec::new();
        let mut include = Vec::new();
        let mut expression_number = 0;
        for (position, &number) in keys.iter().enumerate() {
            let column = columns.and_then(|c| c.get(&number));
            if position as i32 >= key_count {
                if let Some((name, _)) = column {
                    include.push(located(name.clone()));
                }
                continue;
            }
            let key = (index_oid, position as i32 + 1);
            let target = match column {
                Some((name, _)) if number != 0 => ElementTarget::Column(name.clone()),
                _ => {
                    let text = lookups.expressions.get(&(index_oid, expression_number)).cloned();
                    expression_number += 1;
                    ElementTarget::Expression(Expr(text.unwrap_or_default()))
                }
            };
            let opclass = classes
                .get(position)
                .and_then(|oid| lookups.opclasses.get(oid))
                .filter(|(_, default)| !default)
                .map(|(name, _)| OperatorClass {
                    name: name.clone(),
                    params: storage_params(lookups.parameters.get(&key).map_or(&[][..], |p| p.as_slice())),
                });
            // A collation is written where it is not the column's own (or,
            // for an expression, not the default one).
            let collation = collations.get(position).copied().unwrap_or(0);
            let own = match (number, column) {
                (0, _) => DEFAULT_COLLATION,
                (_, Some((_, own))) => *own,
                _ => 0,
            };
            let collation = (collation != 0 && collation != own)
                .then(|| self.names.get(&collation).cloned())
                .flatten();
            let option = options.get(position).copied().unwrap_or(0);
            elements.push(IndexElement {
                target,
                collation: collation.map(Box::new),
                opclass: opclass.map(Box::new),
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
                predicate: get::<Option<String>>(row, 14)?.map(|p| located(Expr(p))),
                comment: get(row, 16)?,
                named: true,
                origin: Origin::default(),
            },
            constraint: get(row, 15)?,
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
                    name: TypeName::User(Box::new(enum_name.clone())),
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
            let relation: u32 = get(row, 8)?;
            let numbers: Option<Vec<i16>> = get(row, 9)?;
            let columns = self.column_names(relation, numbers.as_deref().unwrap_or_default());
            let index_name: Option<&str> = get(row, 19)?;
            let index = index_name.and_then(|n| indexes.get(&qualified(schema, n)));
            let include = index.map(|i| i.include.clone()).unwrap_or_default();
            let storage_params = index.map(|i| i.storage_params.clone()).unwrap_or_default();
            let kind = match kind {
                "p" => ConstraintKind::PrimaryKey {
                    columns,
                    include,
                    storage_params,
                },
                "u" => ConstraintKind::Unique {
                    columns,
                    include,
                    nulls_not_distinct: index.is_some_and(|i| i.nulls_not_distinct),
                    storage_params,
                },
                "c" => {
                    let expr = get::<Option<String>>(row, 18)?.unwrap_or_default();
                    let comment: Option<&str> = get(row, 21)?;
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
                    let referenced_relation: u32 = get(row, 12)?;
                    let referenced: Option<Vec<i16>> = get(row, 13)?;
                    let set_numbers: Vec<i16> = get::<Option<Vec<i16>>>(row, 17)?.unwrap_or_default();
                    ConstraintKind::ForeignKey(Box::new(ForeignKey {
                        columns,
                        referenced_table: located(qualified(
                            get::<Option<&str>>(row, 10)?.unwrap_or_default(),
                            get::<Option<&str>>(row, 11)?.unwrap_or_default(),
                        )),
                        referenced_columns: self
                            .column_names(referenced_relation, referenced.as_deref().unwrap_or_default()),
                        match_type: match get::<&str>(row, 14)? {
                            "f" => MatchType::Full,
                            "p" => MatchType::Partial,
                            _ => MatchType::Simple,
                        },
                        on_update: referential_action(get(row, 15)?),
                        on_delete: referential_action(get(row, 16)?),
                        on_delete_columns: self
                            .column_names(relation, &set_numbers)
                            .into_iter()
                            .map(|c| c.value)
                            .collect(),
                    }))
                }
                "x" => {
                    let operator_oids: Option<Vec<u32>> = get(row, 20)?;
                    let operators: Vec<String> = operator_oids
                        .unwrap_or_default()
                        .iter()
                        .map(|oid| {
                            self.names
                                .get(oid)
                                .map(|n| n.name.as_str().to_string())
                                .unwrap_or_default()
                        })
                        .collect();
                    let Some(index) = index else { continue };
                    ConstraintKind::Exclusion(Box::new(Exclusion {
                        method: index.method.clone(),
                        elements: index.elements.iter().cloned().zip(operators).collect(),
                        include,
                        storage_params: index.storage_params.clone(),
                        predicate: index.predicate.clone(),
                    }))
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
                comment: get(row, 21)?,
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
