//! `trellisc diff`: the SQL (or a summary) that takes one schema to another.

use serde_json::json;

use super::source::{Loaded, Side};
use super::{Color, DiffFormat, database, fail, print_diagnostics, source};
use crate::diag::{Code, Diagnostic, Sources};
use crate::plan::{self, FindingKind, Plan, PlanOptions};
use crate::render;

/// What `diff` was asked to do.
pub(super) struct DiffArgs {
    pub from: String,
    pub to: String,
    pub format: DiffFormat,
    pub online: bool,
    pub allow_destructive: bool,
    pub schemas: Vec<String>,
}

/// Reads the database sides (both at once when there are two) and brings
/// a source side's expressions into the database's words.
fn resolve(from: Side, to: Side, schemas: &[String]) -> Result<(Loaded, Loaded), String> {
    match (from, to) {
        (Side::Schema(from), Side::Schema(to)) => Ok((from, to)),
        (Side::Database(a), Side::Database(b)) => {
            let options = database::options(schemas, None);
            let runtime = database::runtime()?;
            let (a, b) = runtime
                .block_on(async { tokio::try_join!(database::read(&a, &options), database::read(&b, &options)) })
                .map_err(|e| e.to_string())?;
            database::warn_unmanaged(&a.0, &a.1);
            database::warn_unmanaged(&b.0, &b.1);
            Ok((loaded(a.1.schema), loaded(b.1.schema)))
        }
        (Side::Database(url), Side::Schema(mut source)) => {
            let database = against_source(&url, &mut source, schemas)?;
            Ok((database, source))
        }
        (Side::Schema(mut source), Side::Database(url)) => {
            let database = against_source(&url, &mut source, schemas)?;
            Ok((source, database))
        }
    }
}

/// Reads the database compared with a source schema, and normalizes the
/// source's expressions on it.
fn against_source(url: &str, source: &mut Loaded, schemas: &[String]) -> Result<Loaded, String> {
    let options = database::options(schemas, Some(&source.schema));
    let runtime = database::runtime()?;
    let reflected = runtime.block_on(async {
        let (database, reflected) = database::read(url, &options).await?;
        database::warn_unmanaged(&database, &reflected);
        if !source.diagnostics.iter().any(Diagnostic::is_error) {
            database::normalize(&database, &reflected.schema, &mut source.schema).await;
        }
        Ok::<_, crate::reflect::DbError>(reflected.schema)
    });
    Ok(loaded(reflected.map_err(|e| e.to_string())?))
}

fn loaded(schema: crate::ir::Schema) -> Loaded {
    Loaded {
        schema,
        diagnostics: Vec::new(),
    }
}

pub(super) fn run(args: DiffArgs, color: Color) -> u8 {
    let mut sources = Sources::new();
    let (from, to) = match (
        source::side(&args.from, &mut sources),
        source::side(&args.to, &mut sources),
    ) {
        (Ok(from), Ok(to)) => (from, to),
        (Err(e), _) | (_, Err(e)) => return fail(e),
    };
    let (from, to) = match resolve(from, to, &args.schemas) {
        Ok(sides) => sides,
        Err(e) => return fail(e),
    };
    let mut diagnostics: Vec<Diagnostic> = from.diagnostics.into_iter().chain(to.diagnostics).collect();
    if diagnostics.iter().any(Diagnostic::is_error) {
        print_diagnostics(&sources, &diagnostics, color);
        eprintln!("diff refused: the schemas have errors");
        return 1;
    }
    let options = PlanOptions { online: args.online };
    let upgrade = plan::upgrade(&from.schema, &to.schema, options);
    let downgrade = plan::downgrade(&from.schema, &to.schema, options);
    let differ = if upgrade.is_empty() { 0 } else { 2 };
    match args.format {
        DiffFormat::Sql => {
            let refused = refusals(&upgrade);
            if !refused.is_empty() && !args.allow_destructive {
                diagnostics.extend(refused);
                print_diagnostics(&sources, &diagnostics, color);
                eprintln!(
                    "nothing written: the change is destructive (rerun with --allow-destructive to accept the data loss)"
                );
                return 1;
            }
            print_diagnostics(&sources, &diagnostics, color);
            print!("{}", render::render_plan(&upgrade));
        }
        DiffFormat::Summary => {
            print_diagnostics(&sources, &diagnostics, color);
            print!("{}", summary(&upgrade, &downgrade));
        }
        DiffFormat::Json => {
            print_diagnostics(&sources, &diagnostics, color);
            println!(
                "{}",
                serde_json::to_string_pretty(&as_json(&upgrade, &downgrade)).unwrap_or_default()
            );
        }
    }
    differ
}

/// Each destructive finding as a diagnostic at the object's source.
pub(super) fn refusals(plan: &Plan) -> Vec<Diagnostic> {
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
    for step in &upgrade.steps {
        out.push_str(&format!("  {}\n", render::describe(&step.change)));
        for &f in &step.findings {
            let finding = &upgrade.findings[f];
            out.push_str(&format!("    {}: {}\n", finding.kind.label(), finding.message));
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
            out.push_str(&format!("  {}\n", finding.message));
        }
    }
    out
}

fn as_json(upgrade: &Plan, downgrade: &Plan) -> serde_json::Value {
    let steps = |plan: &Plan| -> Vec<serde_json::Value> {
        plan.steps
            .iter()
            .map(|step| {
                json!({
                    "description": render::describe(&step.change),
                    "table": step.change.table().map(|t| t.to_string()),
                    "findings": step.findings.iter().map(|&f| {
                        let finding = &plan.findings[f];
                        json!({ "kind": finding.kind.label(), "message": finding.message, "help": finding.help })
                    }).collect::<Vec<_>>(),
                    "sql": render::step_statements(step, plan).into_iter().map(|s| s.sql).collect::<Vec<_>>(),
                })
            })
            .collect()
    };
    json!({
        "changed": !upgrade.is_empty(),
        "upgrade": steps(upgrade),
        "downgrade": steps(downgrade),
    })
}
