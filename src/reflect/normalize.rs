//! Expressions in PostgreSQL's own words: a source schema's defaults,
//! checks, generated columns, index expressions and predicates are handed
//! to the server, which parses them against the real types and prints them
//! back the way it prints what it stores. Two expressions PostgreSQL
//! considers the same then have the same text (`total >= 0` and
//! `(total >= (0)::numeric)`, `'member'` and `'member'::user_role`).
//!
//! Nothing is created for good: the expressions go onto temporary tables in
//! a transaction that is always rolled back, each in its own subtransaction,
//! so that one the server refuses (a type that does not exist yet, say)
//! keeps its source text and the others still get normalized. Only
//! expressions of tables that exist in the database and differ from its
//! text are sent; tables with the same columns and expressions share one
//! temporary table.

use std::collections::{BTreeSet, HashMap};

use super::{Database, Reading, ReflectOptions, read};
use crate::ir::*;
use crate::render::{index_definition, literal, type_sql};

/// Where an expression sits in its table.
#[derive(Clone, Debug)]
enum Site {
    Default(Ident),
    Generated(Ident),
    Check(Ident),
    Index(Ident),
    Exclusion(Ident),
}

/// The temporary table for one or more source tables.
struct Job {
    columns: Vec<String>,
    statements: Vec<String>,
}

/// Rewrites `source`'s expressions into the text the server would store for
/// them, where a table of the same name (or its `was` name) is in
/// `database`. Returns how many expressions the server normalized.
pub async fn normalize(
    connection: &Database,
    database: &Schema,
    source: &mut Schema,
    default_schema: &Ident,
) -> Result<usize, tokio_postgres::Error> {
    // An extension without version or schema in the source takes whatever
    // the database has: absent means "the default", and any will do.
    for (name, extension) in &mut source.extensions {
        if let Some(found) = database.extensions.get(name) {
            if extension.version.is_none() {
                extension.version.clone_from(&found.version);
            }
            if extension.schema.is_none() {
                extension.schema.clone_from(&found.schema);
            }
        }
    }
    if connection.major < 15 {
        crate::ir::grants::public_schema_before_15(&mut source.privileges);
    }
    let mut jobs: Vec<Job> = Vec::new();
    let mut by_key: HashMap<String, usize> = HashMap::new();
    let mut pending: Vec<Pending> = Vec::new();
    let names: Vec<QualifiedName> = source.tables.keys().cloned().collect();
    for name in names {
        let Some(table) = source.tables.get(&name) else {
            continue;
        };
        let counterpart = database
            .tables
            .get(&name)
            .or_else(|| table.was.as_ref().and_then(|w| database.tables.get(&w.value)));
        let Some(counterpart) = counterpart else { continue };
        let known = expressions(counterpart);
        let Some(table) = source.tables.get_mut(&name) else {
            continue;
        };
        drop_redundant_collations(table);
        adopt_equal_texts(table, &known);
        adopt_derived_collations(table, counterpart);
        // A partition's or child's expressions name its parents' columns.
        let widened = with_parent_columns(source, &name);
        let Some(table) = widened.as_ref().or_else(|| source.tables.get(&name)) else {
            continue;
        };
        let unknown = |e: &Expr| !known.iter().any(|k| k.0 == e.0);
        let Some((job, sites)) = job_for(table, &unknown, database) else {
            continue;
        };
        let mut add = |job: Job| {
            let key = format!("{}\u{1}{}", job.columns.join(","), job.statements.join("\u{1}"));
            *by_key.entry(key).or_insert_with(|| {
                jobs.push(job);
                jobs.len() - 1
            })
        };
        let source_job = add(job);
        // The database's own text, parsed afresh against the same columns:
        // what PostgreSQL stores depends on history (a check kept through a
        // column's type change reads differently from one made new).
        let mirror = mirror(table, counterpart);
        let mirror_job = job_for(&mirror, &|_| true, database).map(|(job, sites)| (add(job), sites));
        pending.push(Pending {
            table: name,
            job: source_job,
            sites,
            mirror,
            mirror_job,
        });
    }
    let domain_jobs = domain_jobs(database, source);
    let routine_jobs = routine_jobs(database, source);
    let trigger_jobs = trigger_jobs(database, source);
    let view_jobs = view_jobs(database, source);
    let bound_jobs = bound_jobs(database, source);
    if jobs.is_empty()
        && bound_jobs.is_empty()
        && domain_jobs.is_empty()
        && routine_jobs.is_empty()
        && trigger_jobs.is_empty()
        && view_jobs.is_empty()
    {
        return Ok(0);
    }
    let mut batch = format!(
        "BEGIN; SET LOCAL search_path TO {}; SET LOCAL check_function_bodies = off;\n",
        default_schema.quoted()
    );
    // Under their own names: a SQL-standard body names its arguments with
    // the function's name (`balance_of.who`).
    for (id, statement) in &routine_jobs {
        let name = QualifiedName::new(Ident::new("pg_temp"), id.name.name.clone());
        batch.push_str(&guarded(&statement(&name)));
    }
    // A materialized view's query goes into a plain temporary view (there
    // are no temporary materialized views): PostgreSQL prints both alike.
    for (number, name) in view_jobs.iter().enumerate() {
        let Some(view) = source.views.get(name) else { continue };
        let plain = View {
            materialized: false,
            options: Vec::new(),
            check_option: None,
            ..view.clone()
        };
        let temp = QualifiedName::new(Ident::new("pg_temp"), Ident::new(format!("trellis_v{number}")));
        batch.push_str(&guarded(&crate::render::view_statement(&plain, &temp).replacen(
            "CREATE VIEW",
            "CREATE TEMPORARY VIEW",
            1,
        )));
    }
    // A partition's bound goes onto a temporary partition of a temporary
    // table with its parent's columns and key.
    for (number, (_, parent, bound)) in bound_jobs.iter().enumerate() {
        let parent = parent.replace("{P}", &format!("pg_temp.trellis_p{number}"));
        batch.push_str(&guarded(&parent));
        batch.push_str(&guarded(&format!(
            "CREATE TEMPORARY TABLE pg_temp.trellis_q{number} PARTITION OF pg_temp.trellis_p{number} {bound}"
        )));
    }
    for (number, job) in trigger_jobs.iter().enumerate() {
        let table = format!("pg_temp.trellis_g{number}");
        batch.push_str(&format!(
            "CREATE TEMPORARY TABLE {table} ({});\n",
            job.columns.join(", ")
        ));
        for statement in &job.statements {
            batch.push_str(&guarded(&statement.replace("{T}", &table)));
        }
    }
    for (number, (_, statements)) in domain_jobs.iter().enumerate() {
        for statement in statements {
            batch.push_str(&guarded(
                &statement.replace("{D}", &format!("pg_temp.trellis_d{number}")),
            ));
        }
    }
    for (number, job) in jobs.iter().enumerate() {
        let table = format!("pg_temp.trellis_n{number}");
        batch.push_str(&format!("CREATE TEMPORARY TABLE {table} ();\n"));
        for column in &job.columns {
            batch.push_str(&guarded(&format!("ALTER TABLE {table} ADD COLUMN {column}")));
        }
        for statement in &job.statements {
            let statement = statement.replace("{T}", &table).replace("{N}", &number.to_string());
            batch.push_str(&guarded(&statement));
        }
    }
    let options = ReflectOptions {
        schemas: vec!["pg_temp".into()],
        exclude_tables: Vec::new(),
        default_schema: default_schema.clone(),
    };
    let normalized = read(
        &connection.client,
        None,
        connection.major,
        &options,
        Reading::Made,
        &batch,
        "ROLLBACK",
    )
    .await?
    .schema;
    let mut count = 0;
    for (number, (name, _)) in domain_jobs.iter().enumerate() {
        let temp = normalized
            .domains
            .values()
            .find(|d| d.name.name.as_str() == format!("trellis_d{number}"));
        if let (Some(temp), Some(domain)) = (temp, source.domains.get_mut(name)) {
            count += adopt_domain(domain, temp);
        }
    }
    for (id, _) in &routine_jobs {
        let temp = normalized
            .routines
            .values()
            .find(|r| r.id.name.name == id.name.name && r.id.arguments == id.arguments);
        if let (Some(temp), Some(routine)) = (temp, source.routines.get_mut(id)) {
            routine.canonical.clone_from(&temp.canonical);
            count += 1;
        }
    }
    for (number, name) in view_jobs.iter().enumerate() {
        let temp = format!("trellis_v{number}");
        let temp = normalized.views.values().find(|v| v.name.name.as_str() == temp);
        if let (Some(temp), Some(view)) = (temp, source.views.get_mut(name)) {
            view.canonical.clone_from(&temp.canonical);
            count += 1;
        }
    }
    let temp: HashMap<&str, &Table> = normalized.tables.values().map(|t| (t.name.name.as_str(), t)).collect();
    for (number, job) in trigger_jobs.iter().enumerate() {
        let (Some(temp), Some(table)) = (
            temp.get(format!("trellis_g{number}").as_str()),
            source.tables.get_mut(&job.table),
        ) else {
            continue;
        };
        for (name, server) in &temp.triggers {
            if let Some(trigger) = table.triggers.get_mut(name) {
                trigger.canonical.clone_from(&server.canonical);
                count += 1;
            }
        }
        for (name, server) in &temp.policies {
            if let Some(policy) = table.policies.get_mut(name) {
                policy.canonical.clone_from(&server.canonical);
                count += 1;
            }
        }
        for (name, server) in &temp.statistics {
            if let Some(stats) = table.statistics.get_mut(name) {
                stats.canonical.clone_from(&server.canonical);
                count += 1;
            }
        }
    }
    for (number, (name, ..)) in bound_jobs.iter().enumerate() {
        let server = temp
            .get(format!("trellis_q{number}").as_str())
            .and_then(|t| t.partition_of.as_ref());
        let table = source.tables.get_mut(name).and_then(|t| t.partition_of.as_mut());
        if let (Some(server), Some(partition)) = (server, table) {
            partition.canonical.clone_from(&server.canonical);
            count += 1;
        }
    }
    let temp_tables = &temp;
    for pending in pending {
        let (Some(temp), Some(table)) = (
            temp.get(format!("trellis_n{}", pending.job).as_str()),
            source.tables.get_mut(&pending.table),
        ) else {
            continue;
        };
        for (number, site) in pending.sites.iter().enumerate() {
            count += usize::from(adopt_site(table, temp, site, number, pending.job));
        }
        let Some((job, sites)) = pending.mirror_job else {
            continue;
        };
        let Some(temp) = temp_tables.get(format!("trellis_n{job}").as_str()) else {
            continue;
        };
        let mut mirror = pending.mirror;
        for (number, site) in sites.iter().enumerate() {
            adopt_site(&mut mirror, temp, site, number, job);
        }
        if let Some(counterpart) = database_table(database, table) {
            reconcile(table, &mirror, counterpart);
        }
    }
    Ok(count)
}

/// A routine of the source whose counterpart in the database reads
/// differently, with its `CREATE` statement under a given name: the server
/// makes it in the temporary schema and prints it back.
type RoutineJob = (RoutineId, Box<dyn Fn(&QualifiedName) -> String>);

fn routine_jobs(database: &Schema, source: &Schema) -> Vec<RoutineJob> {
    let mut jobs: Vec<RoutineJob> = Vec::new();
    for (id, routine) in &source.routines {
        let counterpart = database.routines.get(id).or_else(|| {
            let was = routine.was.as_ref()?;
            database.routines.get(&RoutineId {
                name: was.value.clone(),
                arguments: id.arguments.clone(),
            })
        });
        let Some(counterpart) = counterpart else { continue };
        if counterpart.canonical == routine.canonical {
            continue;
        }
        let routine = routine.clone();
        jobs.push((
            id.clone(),
            Box::new(move |name: &QualifiedName| routine.statement(name)),
        ));
    }
    jobs
}

/// The source's views whose counterparts in the database read
/// differently.
fn view_jobs(database: &Schema, source: &Schema) -> Vec<QualifiedName> {
    source
        .views
        .values()
        .filter(|view| {
            let counterpart = database
                .views
                .get(&view.name)
                .or_else(|| view.was.as_ref().and_then(|w| database.views.get(&w.value)));
            counterpart.is_some_and(|c| c.canonical != view.canonical)
        })
        .map(|view| view.name.clone())
        .collect()
}

/// The source's partitions whose bound reads differently from the
/// database's: the partition, `CREATE TEMPORARY TABLE {P} (...) PARTITION
/// BY ...` with its parent's columns and key, and the bound.
fn bound_jobs(database: &Schema, source: &Schema) -> Vec<(QualifiedName, String, String)> {
    let mut jobs = Vec::new();
    for table in source.tables.values() {
        let Some(of) = &table.partition_of else { continue };
        let theirs = database_table(database, table).and_then(|t| t.partition_of.as_ref());
        if theirs.is_none_or(|t| t.canonical == of.canonical) {
            continue;
        }
        let Some(parent) = source.tables.get(&of.parent) else {
            continue;
        };
        let Some(key) = &parent.partition_by else { continue };
        let widened = source.with_inherited_columns(parent);
        let columns: Vec<String> = widened
            .as_ref()
            .unwrap_or(parent)
            .columns
            .iter()
            .map(|c| scratch_column(c, database))
            .collect();
        let create = format!(
            "CREATE TEMPORARY TABLE {{P}} ({}) PARTITION BY {} ({})",
            columns.join(", "),
            key.strategy,
            key.key
        );
        jobs.push((table.name.clone(), create, of.bound.clone()));
    }
    jobs
}

/// A source table's triggers whose counterparts read differently, made on
/// a temporary table with the table's columns.
struct TriggerJob {
    table: QualifiedName,
    columns: Vec<String>,
    statements: Vec<String>,
}

fn trigger_jobs(database: &Schema, source: &Schema) -> Vec<TriggerJob> {
    let mut jobs = Vec::new();
    for table in source.tables.values() {
        let Some(existing) = database_table(database, table) else {
            continue;
        };
        let mut statements: Vec<String> = table
            .triggers
            .values()
            .filter(|trigger| {
                let theirs = counterpart(|n| existing.triggers.get(n), &trigger.name, trigger.was.as_ref());
                theirs.is_some_and(|t| t.canonical != trigger.canonical)
            })
            .map(|trigger| {
                let placeholder = QualifiedName::new(Ident::new("pg_temp"), Ident::new("trellis_placeholder"));
                let statement = crate::syntax::lower::trigger_statement(
                    &trigger.name,
                    trigger.constraint,
                    &trigger.events,
                    &placeholder,
                    &trigger.rest,
                );
                crate::sql::tree::qualified_trigger(&statement, &trigger.function)
                    .unwrap_or(statement)
                    .replace("pg_temp.trellis_placeholder", "{T}")
            })
            .collect();
        // Policies too: their expressions are printed back, not their
        // roles (a temporary one applies to everyone: a role that does
        // not exist would refuse it).
        statements.extend(
            table
                .policies
                .values()
                .filter(|policy| {
                    let theirs = counterpart(|n| existing.policies.get(n), &policy.name, policy.was.as_ref());
                    theirs.is_some_and(|p| p.canonical != policy.canonical)
                })
                .map(|policy| {
                    Policy {
                        roles: vec![Ident::new("public")],
                        ..policy.clone()
                    }
                    .statement("{T}")
                }),
        );
        // Extended statistics too (their expressions).
        statements.extend(
            table
                .statistics
                .values()
                .filter(|stats| {
                    existing
                        .statistics
                        .get(&stats.name)
                        .is_some_and(|theirs| theirs.canonical != stats.canonical)
                })
                .map(|stats| {
                    let kinds = match stats.kinds.is_empty() {
                        true => String::new(),
                        false => format!(" ({})", stats.kinds.join(", ")),
                    };
                    format!(
                        "CREATE STATISTICS pg_temp.{}{kinds} ON {} FROM {{T}}",
                        stats.name.quoted(),
                        stats.targets
                    )
                }),
        );
        if statements.is_empty() {
            continue;
        }
        let columns = table.columns.iter().map(|c| scratch_column(c, database)).collect();
        jobs.push(TriggerJob {
            table: table.name.clone(),
            columns,
            statements,
        });
    }
    jobs
}

/// A source table waiting for the server's answer.
struct Pending {
    table: QualifiedName,
    job: usize,
    sites: Vec<Site>,
    /// The source table with the database's expressions where it has them.
    mirror: Table,
    mirror_job: Option<(usize, Vec<Site>)>,
}

fn database_table<'d>(database: &'d Schema, table: &Table) -> Option<&'d Table> {
    database
        .tables
        .get(&table.name)
        .or_else(|| table.was.as_ref().and_then(|w| database.tables.get(&w.value)))
}

/// The database's column, constraint or index for a source one: by its
/// `was` name, else by its name.
fn counterpart_column<'d>(database: &'d Table, column: &Column) -> Option<&'d Column> {
    column
        .was
        .as_ref()
        .and_then(|w| database.column(&w.value))
        .or_else(|| database.column(&column.name))
}

fn counterpart_constraint<'d>(database: &'d Table, constraint: &Constraint) -> Option<&'d Constraint> {
    counterpart(
        |n| database.constraints.get(n),
        &constraint.name,
        constraint.was.as_deref(),
    )
}

fn counterpart_index<'d>(database: &'d Table, index: &Index) -> Option<&'d Index> {
    counterpart(|n| database.indexes.get(n), &index.name, index.was.as_deref())
}

/// The database's object of a table for a source one named `name`: by its
/// `was` name, else by its name.
fn counterpart<'d, T: 'd>(
    get: impl Fn(&Ident) -> Option<&'d T>,
    name: &Ident,
    was: Option<&Located<Ident>>,
) -> Option<&'d T> {
    was.and_then(|w| get(&w.value)).or_else(|| get(name))
}

/// Whether two indexes have expressions at the same places and both or
/// neither a predicate, so that their texts can be compared place by place.
fn same_shape(a: &Index, b: &Index) -> bool {
    a.elements.len() == b.elements.len()
        && a.elements
            .iter()
            .zip(&b.elements)
            .all(|(x, y)| element_expr(x).is_some() == element_expr(y).is_some())
        && a.predicate.is_some() == b.predicate.is_some()
}

/// The source table with each expression replaced by the database's for
/// the same column, constraint or index, where there is one.
/// A partition or inheriting table with its parents' columns too, their
/// defaults and generated expressions left out (the parents' own to put
/// into the server's words); `None` for a table without parents.
fn with_parent_columns(source: &Schema, name: &QualifiedName) -> Option<Table> {
    let table = source.tables.get(name)?;
    let mut widened = source.with_inherited_columns(table)?;
    for column in &mut widened.columns {
        if table.column(&column.name).is_none() {
            column.default = None;
            column.generated = None;
        }
    }
    Some(widened)
}

fn mirror(table: &Table, database: &Table) -> Table {
    let mut mirror = table.clone();
    for column in &mut mirror.columns {
        let Some(found) = counterpart_column(database, column) else {
            continue;
        };
        if let (Some(default), Some(theirs)) = (&mut column.default, &found.default) {
            default.value.clone_from(&theirs.value);
        }
        if let (Some(generated), Some(theirs)) = (&mut column.generated, &found.generated) {
            generated.value.clone_from(&theirs.value);
        }
    }
    for (_, constraint) in mirror.constraints.iter_mut() {
        let found = counterpart_constraint(database, constraint).map(|c| &c.kind);
        if let (ConstraintKind::Check { expr, .. }, Some(ConstraintKind::Check { expr: theirs, .. })) =
            (&mut constraint.kind, found)
        {
            expr.value.clone_from(&theirs.value);
        }
    }
    for (_, index) in mirror.indexes.iter_mut() {
        let Some(found) = counterpart_index(database, index).filter(|f| same_shape(f, index)) else {
            continue;
        };
        for (element, theirs) in index.elements.iter_mut().zip(&found.elements) {
            element.target.clone_from(&theirs.target);
        }
        index.predicate.clone_from(&found.predicate);
    }
    mirror
}

/// Where the server reads the source's expression and the database's the
/// same way, the source takes the database's text: they are the same.
fn reconcile(table: &mut Table, mirror: &Table, database: &Table) {
    for column in &mut table.columns {
        let (Some(found), Some(theirs)) = (counterpart_column(database, column), mirror.column(&column.name)) else {
            continue;
        };
        if let (Some(default), Some(parsed), Some(stored)) = (&mut column.default, &theirs.default, &found.default) {
            if same_reading(&default.value.0, &parsed.value.0) {
                default.value.clone_from(&stored.value);
            }
        }
        if let (Some(generated), Some(parsed), Some(stored)) =
            (&mut column.generated, &theirs.generated, &found.generated)
        {
            if same_reading(&generated.value.0, &parsed.value.0) {
                generated.value.clone_from(&stored.value);
            }
        }
    }
    for (_, constraint) in table.constraints.iter_mut() {
        let found = counterpart_constraint(database, constraint).map(|c| &c.kind);
        let parsed = mirror.constraints.get(&constraint.name).map(|c| &c.kind);
        if let (
            ConstraintKind::Check { expr, .. },
            Some(ConstraintKind::Check { expr: parsed, .. }),
            Some(ConstraintKind::Check { expr: stored, .. }),
        ) = (&mut constraint.kind, parsed, found)
        {
            if same_reading(&expr.value.0, &parsed.value.0) {
                expr.value.clone_from(&stored.value);
            }
        }
    }
    for (_, index) in table.indexes.iter_mut() {
        let (Some(found), Some(parsed)) = (
            counterpart_index(database, index).filter(|f| same_shape(f, index)),
            mirror.indexes.get(&index.name),
        ) else {
            continue;
        };
        let texts = |i: &Index| -> Vec<String> {
            i.elements
                .iter()
                .filter_map(element_expr)
                .chain(i.predicate.as_ref().map(|p| &p.value))
                .map(|e| e.0.clone())
                .collect()
        };
        let (mine, theirs) = (texts(index), texts(parsed));
        if mine.len() == theirs.len() && mine.iter().zip(&theirs).all(|(a, b)| same_reading(a, b)) {
            for (element, stored) in index.elements.iter_mut().zip(&found.elements) {
                if element_expr(element).is_some() {
                    element.target.clone_from(&stored.target);
                    element.collation.clone_from(&stored.collation);
                }
            }
            index.predicate.clone_from(&found.predicate);
        }
    }
}

/// Whether two texts the server printed are one expression: the same, or
/// the same once a cast on an array of literals is read into its elements
/// (one database holds `(ARRAY['a'::varchar])::text[]` where one restored
/// from its dump holds `ARRAY[('a'::varchar)::text]`).
fn same_reading(a: &str, b: &str) -> bool {
    a == b || crate::sql::push_array_casts(a) == crate::sql::push_array_casts(b)
}

/// PostgreSQL does not keep an index column's collation that is the
/// column's own: neither does the source, when compared with a database.
fn drop_redundant_collations(table: &mut Table) {
    let own: HashMap<Ident, Option<SearchPathName>> = table
        .columns
        .iter()
        .map(|c| (c.name.clone(), c.collation.as_deref().cloned()))
        .collect();
    for (_, index) in table.indexes.iter_mut() {
        for element in &mut index.elements {
            if let ElementTarget::Column(column) = &element.target {
                if element.collation.is_some()
                    && own.get(column).map(Option::as_ref) == Some(element.collation.as_deref())
                {
                    element.collation = None;
                }
            }
        }
    }
}

/// An index expression's collation that the source leaves out is the one
/// PostgreSQL derives from its columns: where the database has the same
/// expression at the same place, the source takes its collation.
fn adopt_derived_collations(table: &mut Table, database: &Table) {
    for (_, index) in table.indexes.iter_mut() {
        let Some(found) = counterpart_index(database, index).filter(|f| same_shape(f, index)) else {
            continue;
        };
        for (element, theirs) in index.elements.iter_mut().zip(&found.elements) {
            if element.collation.is_none() && element_expr(element).is_some() && element.target == theirs.target {
                element.collation.clone_from(&theirs.collation);
            }
        }
    }
}

/// Every expression text of a table.
fn expressions(table: &Table) -> Vec<&Expr> {
    let mut all = Vec::new();
    for column in &table.columns {
        all.extend(column.default.iter().map(|d| &d.value));
        all.extend(column.generated.iter().map(|g| &g.value));
    }
    for constraint in table.constraints.values() {
        match &constraint.kind {
            ConstraintKind::Check { expr, .. } => all.push(&expr.value),
            ConstraintKind::Exclusion(exclusion) => {
                all.extend(exclusion.elements.iter().filter_map(|(e, _)| element_expr(e)));
                all.extend(exclusion.predicate.iter().map(|p| &p.value));
            }
            _ => {}
        }
    }
    for index in table.indexes.values() {
        all.extend(index.elements.iter().filter_map(element_expr));
        all.extend(index.predicate.iter().map(|p| &p.value));
    }
    all
}

fn element_expr(element: &IndexElement) -> Option<&Expr> {
    match &element.target {
        ElementTarget::Expression(e) => Some(e),
        ElementTarget::Column(_) => None,
    }
}

/// Takes the database's text for every expression that already compares
/// equal to one of the table's there (differing in spacing or case only).
fn adopt_equal_texts(table: &mut Table, known: &[&Expr]) {
    // Most texts are the database's to the byte; the others are tokenized
    // once, and each known text at most once for the whole table.
    let mut known_tokens: Vec<Option<Vec<String>>> = vec![None; known.len()];
    let mut adopt = |expr: &mut Expr| {
        if known.iter().any(|k| k.0 == expr.0) {
            return;
        }
        let tokens = crate::ir::schema::canonical_tokens(&expr.0);
        for (same, cached) in known.iter().zip(known_tokens.iter_mut()) {
            if *cached.get_or_insert_with(|| crate::ir::schema::canonical_tokens(&same.0)) == tokens {
                expr.0.clone_from(&same.0);
                return;
            }
        }
    };
    for column in &mut table.columns {
        if let Some(default) = &mut column.default {
            adopt(&mut default.value);
        }
        if let Some(generated) = &mut column.generated {
            adopt(&mut generated.value);
        }
    }
    for (_, constraint) in table.constraints.iter_mut() {
        match &mut constraint.kind {
            ConstraintKind::Check { expr, .. } => adopt(&mut expr.value),
            ConstraintKind::Exclusion(exclusion) => {
                for (element, _) in &mut exclusion.elements {
                    if let ElementTarget::Expression(e) = &mut element.target {
                        adopt(e);
                    }
                }
                if let Some(predicate) = &mut exclusion.predicate {
                    adopt(&mut predicate.value);
                }
            }
            _ => {}
        }
    }
    for (_, index) in table.indexes.iter_mut() {
        for element in &mut index.elements {
            if let ElementTarget::Expression(e) = &mut element.target {
                adopt(e);
            }
        }
        if let Some(predicate) = &mut index.predicate {
            adopt(&mut predicate.value);
        }
    }
}

/// The temporary table and statements that normalize the table's
/// expressions for which `unknown` holds (those with a text the database
/// does not have), if any.
fn job_for(table: &Table, unknown: &dyn Fn(&Expr) -> bool, database: &Schema) -> Option<(Job, Vec<Site>)> {
    let mut sites = Vec::new();
    let mut statements = Vec::new();
    let mut referenced = BTreeSet::new();
    for column in &table.columns {
        let column_type = || type_sql(&column.data_type, database);
        if let Some(default) = column.default.as_ref().filter(|d| unknown(d)) {
            statements.push(format!(
                "ALTER TABLE {{T}} ADD COLUMN s{} {} DEFAULT {}",
                sites.len(),
                column_type(),
                default.sql()
            ));
            sites.push(Site::Default(column.name.clone()));
        }
        if let Some(generated) = column.generated.as_ref().filter(|g| unknown(g)) {
            words(generated.as_str(), &mut referenced);
            statements.push(format!(
                "ALTER TABLE {{T}} ADD COLUMN s{} {} GENERATED ALWAYS AS ({}) STORED",
                sites.len(),
                column_type(),
                generated.sql()
            ));
            sites.push(Site::Generated(column.name.clone()));
        }
    }
    for constraint in table.constraints.values() {
        match &constraint.kind {
            ConstraintKind::Check { expr, .. } if unknown(expr) => {
                words(expr.as_str(), &mut referenced);
                statements.push(format!(
                    "ALTER TABLE {{T}} ADD CONSTRAINT s{} CHECK ({})",
                    sites.len(),
                    expr.sql()
                ));
                sites.push(Site::Check(constraint.name.clone()));
            }
            ConstraintKind::Exclusion(exclusion) => {
                let elements: Vec<IndexElement> = exclusion.elements.iter().map(|(e, _)| e.clone()).collect();
                let has_unknown = elements.iter().filter_map(element_expr).any(unknown)
                    || exclusion.predicate.as_ref().is_some_and(|p| unknown(p));
                if has_unknown {
                    let index = scratch_index(sites.len(), &exclusion.method, elements, &exclusion.predicate);
                    note_index_words(&index, &mut referenced);
                    statements.push(scratch_sql(&index));
                    sites.push(Site::Exclusion(constraint.name.clone()));
                }
            }
            _ => {}
        }
    }
    for index in table.indexes.values() {
        let has_unknown = index.elements.iter().filter_map(element_expr).any(unknown)
            || index.predicate.as_ref().is_some_and(|p| unknown(p));
        if has_unknown {
            let scratch = scratch_index(sites.len(), &index.method, index.elements.clone(), &index.predicate);
            note_index_words(&scratch, &mut referenced);
            statements.push(scratch_sql(&scratch));
            sites.push(Site::Index(index.name.clone()));
        }
    }
    if sites.is_empty() {
        return None;
    }
    let columns = table
        .columns
        .iter()
        .filter(|c| referenced.contains(c.name.as_str()))
        .map(|c| scratch_column(c, database))
        .collect();
    Some((Job { columns, statements }, sites))
}

/// A column of a temporary table: its name, type and collation.
fn scratch_column(column: &Column, database: &Schema) -> String {
    let mut sql = format!("{} {}", column.name.quoted(), type_sql(&column.data_type, database));
    if let Some(collation) = &column.collation {
        sql.push_str(&format!(" COLLATE {}", collation.quoted()));
    }
    sql
}

/// The table name `index_definition` is given; [`scratch_sql`] turns it
/// into the `{T}` placeholder.
fn placeholder() -> QualifiedName {
    QualifiedName::new(Ident::new("public"), Ident::new("trellis_scratch"))
}

fn scratch_sql(index: &Index) -> String {
    index_definition(index, &placeholder(), false).replace("public.trellis_scratch", "{T}")
}

fn scratch_index(
    number: usize,
    method: &Ident,
    elements: Vec<IndexElement>,
    predicate: &Option<Located<Expr>>,
) -> Index {
    Index {
        // Index names are unique in a schema: the job's number goes in too.
        name: Ident::new(format!("trellis_n{{N}}_s{number}")),
        was: None,
        unique: false,
        nulls_not_distinct: false,
        method: method.clone(),
        elements,
        include: Vec::new(),
        storage_params: Vec::new(),
        predicate: predicate.clone(),
        comment: None,
        named: true,
        origin: Origin::default(),
    }
}

fn note_index_words(index: &Index, referenced: &mut BTreeSet<String>) {
    for element in &index.elements {
        match &element.target {
            ElementTarget::Column(c) => {
                referenced.insert(c.as_str().to_string());
            }
            ElementTarget::Expression(e) => words(e.as_str(), referenced),
        }
    }
    if let Some(predicate) = &index.predicate {
        words(predicate.as_str(), referenced);
    }
}

/// The names an expression may use: bare words folded to lower case, and
/// quoted names as written.
fn words(text: &str, into: &mut BTreeSet<String>) {
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '"' {
            let mut word = String::new();
            while let Some(inner) = chars.next() {
                if inner == '"' {
                    if chars.peek() == Some(&'"') {
                        chars.next();
                    } else {
                        break;
                    }
                }
                word.push(inner);
            }
            into.insert(word);
        } else if c == '\'' {
            // A string literal names nothing.
            while let Some(inner) = chars.next() {
                if inner == '\'' && chars.peek() != Some(&'\'') {
                    break;
                }
                if inner == '\'' {
                    chars.next();
                }
            }
        } else if c.is_alphabetic() || c == '_' {
            let mut word = c.to_lowercase().to_string();
            while let Some(&w) = chars.peek() {
                if !(w.is_alphanumeric() || w == '_' || w == '$') {
                    break;
                }
                word.extend(w.to_lowercase());
                chars.next();
            }
            into.insert(word);
        }
    }
}

/// A statement run in its own subtransaction: if the server refuses it,
/// the expression keeps its source text and the batch goes on.
/// For each source domain the database has with other texts: the
/// statements that make a temporary copy of it (`{D}` for its name), its
/// default and its checks numbered `c0`, `c1`, ... in name order.
fn domain_jobs(database: &Schema, source: &Schema) -> Vec<(QualifiedName, Vec<String>)> {
    let mut jobs = Vec::new();
    for (name, domain) in &source.domains {
        let Some(found) = database.domains.get(name) else {
            continue;
        };
        let same_checks = domain
            .checks
            .iter()
            .all(|(n, c)| found.checks.get(n).is_some_and(|f| f.expr == c.expr));
        if domain.default == found.default && same_checks {
            continue;
        }
        let mut statements = vec![format!(
            "CREATE DOMAIN {{D}} AS {}",
            type_sql(&domain.data_type, source)
        )];
        if let Some(default) = &domain.default {
            statements.push(format!("ALTER DOMAIN {{D}} SET DEFAULT {}", default.sql()));
        }
        for (number, check) in domain.checks.values().enumerate() {
            statements.push(format!(
                "ALTER DOMAIN {{D}} ADD CONSTRAINT c{number} CHECK ({}) NOT VALID",
                check.expr.sql()
            ));
        }
        jobs.push((name.clone(), statements));
    }
    jobs
}

/// Puts the server's texts of a domain's default and checks into the
/// source domain; how many.
fn adopt_domain(domain: &mut Domain, temp: &Domain) -> usize {
    let mut count = 0;
    if domain.default.is_some() {
        if let Some(default) = &temp.default {
            domain.default = Some(default.clone());
            count += 1;
        }
    }
    for (number, check) in domain.checks.values_mut().enumerate() {
        if let Some(server) = temp.checks.get(&Ident::new(format!("c{number}"))) {
            check.expr = server.expr.clone();
            count += 1;
        }
    }
    count
}

fn guarded(statement: &str) -> String {
    // The statement holds source text: the body's quote is one it lacks.
    let body = format!(
        "BEGIN EXECUTE {}; EXCEPTION WHEN OTHERS THEN NULL; END",
        literal(statement)
    );
    format!("DO {};\n", crate::render::dollar_quoted(&body))
}

/// Puts the server's text for one site into the source table; whether it
/// could.
fn adopt_site(table: &mut Table, temp: &Table, site: &Site, number: usize, job: usize) -> bool {
    let name = Ident::new(format!("s{number}"));
    let index_name = Ident::new(format!("trellis_n{job}_s{number}"));
    match site {
        Site::Default(column) | Site::Generated(column) => {
            let Some(server) = temp.column(&name) else { return false };
            let text = match site {
                Site::Default(_) => server.default.as_ref(),
                _ => server.generated.as_deref(),
            };
            let Some(text) = text else { return false };
            let Some(target) = table.columns.iter_mut().find(|c| &c.name == column) else {
                return false;
            };
            let slot = match site {
                Site::Default(_) => target.default.as_mut(),
                _ => target.generated.as_deref_mut(),
            };
            match slot {
                Some(expr) => {
                    expr.value.0.clone_from(&text.value.0);
                    true
                }
                None => false,
            }
        }
        Site::Check(constraint) => {
            let Some(ConstraintKind::Check { expr: server, .. }) = temp.constraints.get(&name).map(|c| &c.kind) else {
                return false;
            };
            match table.constraints.get_mut(constraint).map(|c| &mut c.kind) {
                Some(ConstraintKind::Check { expr, .. }) => {
                    expr.value.0.clone_from(&server.value.0);
                    true
                }
                _ => false,
            }
        }
        Site::Index(index) => {
            let Some(server) = temp.indexes.get(&index_name) else {
                return false;
            };
            match table.indexes.get_mut(index) {
                Some(target) => {
                    adopt_index(&mut target.elements, &mut target.predicate, server);
                    true
                }
                None => false,
            }
        }
        Site::Exclusion(constraint) => {
            let Some(server) = temp.indexes.get(&index_name) else {
                return false;
            };
            match table.constraints.get_mut(constraint).map(|c| &mut c.kind) {
                Some(ConstraintKind::Exclusion(exclusion)) => {
                    let mut elements: Vec<IndexElement> = exclusion.elements.iter().map(|(e, _)| e.clone()).collect();
                    adopt_index(&mut elements, &mut exclusion.predicate, server);
                    for ((element, _), new) in exclusion.elements.iter_mut().zip(elements) {
                        *element = new;
                    }
                    true
                }
                _ => false,
            }
        }
    }
}

fn adopt_index(elements: &mut [IndexElement], predicate: &mut Option<Located<Expr>>, server: &Index) {
    for (element, from) in elements.iter_mut().zip(&server.elements) {
        if let (ElementTarget::Expression(e), ElementTarget::Expression(s)) = (&mut element.target, &from.target) {
            e.0.clone_from(&s.0);
            // An expression's collation follows from its columns; the
            // server says which it is.
            element.collation.clone_from(&from.collation);
        }
    }
    if let (Some(p), Some(s)) = (predicate.as_mut(), server.predicate.as_ref()) {
        p.value.0.clone_from(&s.value.0);
    }
}
