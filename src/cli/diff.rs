//! `trellisc diff`: the SQL (or a summary) that takes one schema to another.

use crate::diag::printable;
use serde_json::json;

use super::source::{Loaded, Side};
use super::{Color, DiffFormat, database, fail, print_diagnostics, source};
use crate::check::versions::{self, Target};
use crate::diag::{Code, Diagnostic, Sources};
use crate::plan::{self, FindingKind, Plan, PlanOptions};
use crate::reflect::Dependency;
use crate::render;
use crate::revision::locks::Lock;

/// What `diff` was asked to do.
pub(super) struct DiffArgs {
    pub from: String,
    pub to: String,
    pub format: DiffFormat,
    pub online: bool,
    pub allow_destructive: bool,
    pub schemas: Vec<String>,
}

/// A database side, still connected after it was read, to ask what the
/// offline rules cannot tell.
struct Server {
    runtime: tokio::runtime::Runtime,
    database: crate::reflect::Database,
}

impl Server {
    /// Which of the plan's casts the offline rules leave open exist there.
    fn casts(&self, plan: &Plan) -> plan::casts::ServerCasts {
        let probes = plan::casts::probes(plan);
        if probes.is_empty() {
            return Default::default();
        }
        self.runtime.block_on(crate::reflect::casts(&self.database, &probes))
    }

    /// Gives the plan's steps their impact: the sizes of the tables they
    /// change, read from this database (the `from` side). A failure to read
    /// them leaves the plan as it was, with a warning.
    fn annotate(&self, plan: &mut Plan) {
        annotate(&self.runtime, &self.database, plan);
    }
}

/// Gives a plan made against `database` the sizes of the tables its risky
/// steps change ([`plan::impact`]).
pub(super) fn annotate(runtime: &tokio::runtime::Runtime, database: &crate::reflect::Database, plan: &mut Plan) {
    let tables = plan::impact::tables(plan);
    if tables.is_empty() {
        return;
    }
    match runtime.block_on(crate::reflect::table_sizes(database, &tables)) {
        Ok(sizes) => plan::impact::annotate(plan, &sizes),
        Err(e) => errln!(
            "warning: {}: cannot read the tables' sizes ({}); the plan says no sizes",
            database.description,
            crate::reflect::DbError::from_postgres(&database.description, &e).message
        ),
    }
}

/// The two sides, what unmanaged objects of the `from` database use, and
/// a database side to ask (the `from` one when both are).
type Resolved = (Loaded, Loaded, Vec<Dependency>, Option<Server>);

/// Reads the database sides (both at once when there are two) and brings
/// a source side's expressions into the database's words.
fn resolve(from: Side, to: Side, schemas: &[String], opening: Option<database::Opening>) -> Result<Resolved, String> {
    match (from, to) {
        (Side::Schema(from), Side::Schema(mut to)) => {
            // With no database at hand, the version `trellis.toml` names.
            let here = std::env::current_dir().unwrap_or_default();
            if let Some(major) = super::project_postgres(&here)? {
                to.diagnostics
                    .extend(versions::diagnostics(&to.schema, Target::Project(major)));
            }
            Ok((*from, *to, Vec::new(), None))
        }
        (Side::Database(a), Side::Database(b)) => {
            let options = database::options(schemas, None);
            let runtime = database::runtime()?;
            let (a, b) = runtime
                .block_on(async {
                    tokio::try_join!(database::read(&a, &options, false), database::read(&b, &options, false))
                })
                .map_err(|e| e.to_string())?;
            database::warn_unmanaged(&a.0, &a.1);
            database::warn_unmanaged(&b.0, &b.1);
            let ((a_db, a), (b_db, b)) = (a, b);
            let mut b_schema = b.schema;
            // The plan runs on the `from` server: what the `to` one has
            // that its version lacks is refused before anything is asked
            // (nothing, when both servers are of one version).
            let mut lacking = if b_db.major == a_db.major {
                Vec::new()
            } else {
                versions::diagnostics(&b_schema, Target::Database(a_db.major))
            };
            lacking.extend(crate::check::roles::unknown(&b_schema, &a.roles));
            if !lacking.is_empty() {
                let to = Loaded {
                    schema: b_schema,
                    diagnostics: lacking,
                };
                return Ok((loaded(a.schema), to, a.dependencies, None));
            }
            // The same expression stored by two servers (or built by
            // different SQL, as `pg_dump | psql` does) can read differently:
            // the `to` side's expressions that differ from the `from` side's
            // are parsed afresh on the `from` server next to the `from`
            // side's own, as a source's are, and take the `from` side's text
            // where the two come out the same.
            runtime.block_on(database::normalize(&a_db, &a.schema, &mut b_schema));
            let server = Server {
                runtime,
                database: a_db,
            };
            Ok((loaded(a.schema), loaded(b_schema), a.dependencies, Some(server)))
        }
        (Side::Database(url), Side::Schema(mut source)) => {
            let (database, dependencies, server) = against_source(&url, &mut source, schemas, opening)?;
            Ok((database, *source, dependencies, Some(server)))
        }
        (Side::Schema(mut source), Side::Database(url)) => {
            let (database, _, server) = against_source(&url, &mut source, schemas, opening)?;
            Ok((*source, database, Vec::new(), Some(server)))
        }
    }
}

/// Reads the database compared with a source schema (over the connections
/// `opening` opened while the source was read, if any), and normalizes the
/// source's expressions on it.
fn against_source(
    url: &str,
    source: &mut Loaded,
    schemas: &[String],
    opening: Option<database::Opening>,
) -> Result<(Loaded, Vec<Dependency>, Server), String> {
    let options = database::options(schemas, Some(&source.schema));
    let (runtime, opened) = match opening {
        Some(opening) => {
            let opened = opening.finish()?;
            (opened.runtime, Some((opened.database, opened.helper)))
        }
        None => (database::runtime()?, None),
    };
    let reflected = runtime.block_on(async {
        let (database, reflected) = match opened {
            Some((database, helper)) => database::read_over(database?, helper, &options).await?,
            None => database::read(url, &options, true).await?,
        };
        database::warn_unmanaged(&database, &reflected);
        database::note_unmanaged_grantees(&database, &reflected, &source.schema);
        // Forms the server's version lacks are refused before the source
        // is put into the server's words (which would fail on them).
        let lacking = versions::diagnostics(&source.schema, Target::Database(database.major));
        source.diagnostics.extend(lacking);
        source
            .diagnostics
            .extend(crate::check::roles::unknown(&source.schema, &reflected.roles));
        if !source.diagnostics.iter().any(Diagnostic::is_error) {
            database::normalize(&database, &reflected.schema, &mut source.schema).await;
        }
        Ok::<_, crate::reflect::DbError>((database, reflected.schema, reflected.dependencies))
    });
    let (database, schema, dependencies) = reflected.map_err(|e| e.to_string())?;
    Ok((loaded(schema), dependencies, Server { runtime, database }))
}

fn loaded(schema: crate::ir::Schema) -> Loaded {
    Loaded {
        schema,
        diagnostics: Vec::new(),
    }
}

pub(super) fn run(args: DiffArgs, color: Color) -> u8 {
    // A database compared with a source: connected to while the source is
    // read (parsing and connecting each take a while, and need not wait
    // for each other).
    let opening = match (crate::reflect::is_url(&args.from), crate::reflect::is_url(&args.to)) {
        (true, false) => Some(database::Opening::start(&args.from)),
        (false, true) => Some(database::Opening::start(&args.to)),
        _ => None,
    };
    let mut sources = Sources::new();
    let (from, to) = match (
        source::side(&args.from, &mut sources),
        source::side(&args.to, &mut sources),
    ) {
        (Ok(from), Ok(to)) => (from, to),
        (Err(e), _) | (_, Err(e)) => return fail(e),
    };
    let (from, to, dependencies, server) = match resolve(from, to, &args.schemas, opening) {
        Ok(sides) => sides,
        Err(e) => return fail(e),
    };
    let mut diagnostics: Vec<Diagnostic> = from.diagnostics.into_iter().chain(to.diagnostics).collect();
    if diagnostics.iter().any(Diagnostic::is_error) {
        print_diagnostics(&sources, &diagnostics, color);
        if diagnostics.iter().any(|d| d.code == Code::NeedsNewerPostgres) {
            errln!("diff refused: the schema uses forms the PostgreSQL version lacks; nothing was run");
        } else if diagnostics.iter().any(|d| d.code == Code::UnknownRole) {
            errln!("diff refused: the schema grants to roles the server lacks; nothing was run");
        } else {
            errln!("diff refused: the schemas have errors");
        }
        return 1;
    }
    // The version the plan runs on: the `from` database's server (or the
    // one compared with a source), else what `trellis.toml` names.
    let postgres = match &server {
        Some(server) => Some(server.database.major),
        None => super::project_postgres(&std::env::current_dir().unwrap_or_default()).unwrap_or(None),
    };
    let options = PlanOptions {
        online: args.online,
        postgres,
    };
    let mut upgrade = plan::upgrade(&from.schema, &to.schema, options);
    let downgrade = plan::downgrade(&from.schema, &to.schema, options);
    let differ = if upgrade.is_empty() { 0 } else { 2 };
    let blocked = blocked_steps(&upgrade, &dependencies);
    // Against a database, each risky step says how big its table is there.
    if crate::reflect::is_url(&args.from)
        && let Some(server) = &server
    {
        server.annotate(&mut upgrade);
    }
    let casts = server.map(|server| server.casts(&upgrade)).unwrap_or_default();
    match args.format {
        DiffFormat::Sql => {
            if !blocked.is_empty() {
                diagnostics.extend(blocked);
                print_diagnostics(&sources, &diagnostics, color);
                errln!(
                    "nothing written: PostgreSQL would refuse the change (objects trellisc does not manage use what it drops or retypes)"
                );
                return 1;
            }
            if refuse_destructive(
                &upgrade,
                &casts,
                args.allow_destructive,
                &sources,
                &mut diagnostics,
                color,
            ) {
                return 1;
            }
            print_diagnostics(&sources, &diagnostics, color);
            out!("{}", render::render_script(&upgrade));
        }
        DiffFormat::Summary => {
            diagnostics.extend(blocked);
            diagnostics.extend(no_cast(&upgrade, &casts));
            print_diagnostics(&sources, &diagnostics, color);
            out!("{}", summary(&upgrade, &downgrade));
        }
        DiffFormat::Json => {
            diagnostics.extend(blocked);
            print_diagnostics(&sources, &diagnostics, color);
            outln!(
                "{}",
                serde_json::to_string_pretty(&as_json(&upgrade, &downgrade)).unwrap_or_default()
            );
        }
    }
    differ
}

/// Each step PostgreSQL would refuse because an unmanaged object uses what
/// it drops or retypes, as an error.
pub(super) fn blocked_steps(plan: &Plan, dependencies: &[Dependency]) -> Vec<Diagnostic> {
    let uses: Vec<plan::Use> = dependencies
        .iter()
        .map(|d| plan::Use {
            object: &d.object,
            table: &d.table,
            column: d.column.as_ref(),
            on_type: d.on_type,
            holds_name: d.holds_name,
            key: d.key.as_ref(),
        })
        .collect();
    plan::blocked(plan, &uses)
        .into_iter()
        .map(|b| {
            let mut diagnostic = Diagnostic::new(Code::UsedByUnmanaged, b.message);
            if let Some(span) = plan.steps[b.step].change.table().and_then(|t| plan.to.tables.get(t)).and_then(|t| t.origin.0) {
                diagnostic = diagnostic.primary(span, "this change");
            }
            diagnostic
                .help(format!("PostgreSQL would refuse: {}", b.statement))
                .help(if b.name_taken {
                    "give the new object another name, or rename or drop the one that has it (by hand: trellisc leaves it alone)"
                } else {
                    "drop the dependent object before the change and create it again after (a hand-written revision: `trellisc revision --empty`), or leave this column or table as it is"
                })
        })
        .collect()
}

/// Prints the destructive findings (and the diagnostics so far) and says
/// nothing is written, unless they are allowed; whether it refused.
pub(super) fn refuse_destructive(
    upgrade: &Plan,
    casts: &plan::casts::ServerCasts,
    allowed: bool,
    sources: &Sources,
    diagnostics: &mut Vec<Diagnostic>,
    color: Color,
) -> bool {
    let impossible = no_cast(upgrade, casts);
    if !impossible.is_empty() {
        diagnostics.extend(impossible);
        print_diagnostics(sources, diagnostics, color);
        errln!("nothing written: PostgreSQL cannot convert a column's values to its new type without `using (...)`");
        return true;
    }
    let refused = refusals(upgrade);
    if refused.is_empty() || allowed {
        return false;
    }
    diagnostics.extend(refused);
    print_diagnostics(sources, diagnostics, color);
    errln!("nothing written: the change is destructive (rerun with --allow-destructive to accept the data loss)");
    true
}

/// Each type change PostgreSQL has no cast for, as a diagnostic at the
/// column's new type.
pub(super) fn no_cast(plan: &Plan, casts: &plan::casts::ServerCasts) -> Vec<Diagnostic> {
    plan::casts::uncastable(plan, casts)
        .into_iter()
        .map(|found| {
            let mut diagnostic = Diagnostic::new(
                Code::NoCast,
                format!(
                    "column {}.{} changes from {} to {}, and PostgreSQL has no cast between them",
                    found.table,
                    found.column.as_str(),
                    found.from,
                    found.to
                ),
            );
            if let Some(span) = found.origin.0 {
                diagnostic = diagnostic.primary(span, "no cast from the old type");
            }
            // The usual case: a number of seconds since 1970 into a timestamp.
            let epoch = matches!(
                found.to.to_string().as_str(),
                "timestamp with time zone" | "timestamp without time zone"
            ) && matches!(
                found.from.to_string().as_str(),
                "integer" | "bigint" | "numeric" | "double precision"
            );
            let example = if epoch {
                format!(
                    " (from seconds since 1970, say: `using (to_timestamp({}))`)",
                    found.column.quoted()
                )
            } else {
                String::new()
            };
            diagnostic.help(format!(
                "write how each new value is computed from the old row after the type: `{} {} using (EXPR)`{example}",
                found.column.as_str(),
                found.to,
            ))
        })
        .collect()
}

/// Each destructive finding as a diagnostic at the object's source.
fn refusals(plan: &Plan) -> Vec<Diagnostic> {
    plan.destructive()
        .map(|finding| {
            let mut diagnostic = Diagnostic::new(Code::DestructiveChange, finding.message.clone());
            if let Some(span) = finding.origin.0 {
                diagnostic = diagnostic.primary(span, "this change loses data");
            }
            if let Some(help) = &finding.help {
                diagnostic = diagnostic.help(help.clone());
            }
            diagnostic.help("to accept the loss, rerun with --allow-destructive")
        })
        .collect()
}

pub(super) fn summary(upgrade: &Plan, downgrade: &Plan) -> String {
    if upgrade.is_empty() {
        return "no changes\n".into();
    }
    let mut out = format!("{} change(s):\n", upgrade.steps.len());
    for (step, locks) in upgrade.steps.iter().zip(render::plan_locks(upgrade)) {
        out.push_str(&format!("  {}\n", printable(&render::describe(&step.change))));
        out.push_str(&format!("    {}\n", lock_words(&locks)));
        for &f in &step.findings {
            let finding = &upgrade.findings[f];
            out.push_str(&format!(
                "    {}: {}\n",
                finding.kind.label(),
                printable(&finding.message)
            ));
        }
        if let Some(impact) = &step.impact {
            out.push_str(&format!("    impact: {}\n", printable(&impact.words())));
        }
    }
    let irreversible: Vec<_> = downgrade
        .findings
        .iter()
        .filter(|f| f.kind == FindingKind::Irreversible)
        .collect();
    if !irreversible.is_empty() {
        out.push_str("downgrade cannot restore:\n");
        for finding in irreversible {
            out.push_str(&format!("  {}\n", printable(&finding.message)));
        }
    }
    out
}

/// `locks: ACCESS EXCLUSIVE on public.t (blocks reads and writes), then
/// ...`: what the application waits for while the step runs.
fn lock_words(locks: &[Lock]) -> String {
    if locks.is_empty() {
        return "locks: no existing table".into();
    }
    let each: Vec<String> = locks
        .iter()
        .map(|lock| {
            format!(
                "{} on {} ({})",
                lock.mode.name(),
                printable(&lock.on.to_string()),
                lock.mode.effect()
            )
        })
        .collect();
    format!("locks: {}", each.join(", then "))
}

pub(super) fn as_json(upgrade: &Plan, downgrade: &Plan) -> serde_json::Value {
    let steps = |plan: &Plan| -> Vec<serde_json::Value> {
        plan.steps
            .iter()
            .zip(render::plan_locks(plan))
            .map(|(step, locks)| {
                let mut value = json!({
                    "description": render::describe(&step.change),
                    "table": step.change.table().map(|t| t.to_string()),
                    "findings": step.findings.iter().map(|&f| {
                        let finding = &plan.findings[f];
                        json!({ "kind": finding.kind.label(), "message": finding.message, "help": finding.help })
                    }).collect::<Vec<_>>(),
                    "locks": locks.iter().map(|lock| {
                        json!({ "mode": lock.mode.name(), "on": lock.on.to_string() })
                    }).collect::<Vec<_>>(),
                    "sql": render::step_statements(step, plan).into_iter().map(|s| s.sql).collect::<Vec<_>>(),
                });
                // Only a plan made against a database knows sizes.
                if let (Some(impact), Some(object)) = (&step.impact, value.as_object_mut()) {
                    object.insert(
                        "impact".into(),
                        json!({
                            "table": impact.table.to_string(),
                            "rows": impact.size.rows,
                            "bytes": impact.size.bytes,
                            "lock": impact.lock.map(|mode| mode.name()),
                            "duration": impact.duration.name(),
                            "words": impact.words(),
                        }),
                    );
                }
                value
            })
            .collect()
    };
    json!({
        "changed": !upgrade.is_empty(),
        "upgrade": steps(upgrade),
        "downgrade": steps(downgrade),
    })
}
