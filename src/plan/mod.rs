//! Changes → ordered steps. Each change gets a phase (creates of types and
//! sequences first, drops in reverse dependency order, foreign keys last);
//! within the phases where order matters (creating and dropping tables),
//! petgraph orders tables by their foreign keys, and keys that form cycles
//! are added after the tables with `ALTER TABLE ... ADD CONSTRAINT`.

mod blocked;
mod conversion;
pub mod impact;
mod order;
mod safety;
mod volatility;

pub use blocked::{Blocked, DependentKey, Use, blocked};
pub use safety::{Finding, FindingKind, version_is_older};
pub use volatility::is_builtin_function;
pub mod casts;

use crate::diff::{self, Change};
use crate::ir::*;

/// How to plan.
#[derive(Clone, Copy, Debug, Default)]
pub struct PlanOptions {
    /// Use the online-safe forms PostgreSQL offers (concurrent index builds,
    /// `NOT VALID` + `VALIDATE`, `lock_timeout`).
    pub online: bool,
    /// The major version of the PostgreSQL server the plan runs on, when
    /// it is known (a database side, or `postgres = N` in `trellis.toml`):
    /// online forms a version lacks (`DETACH ... CONCURRENTLY` before 14)
    /// give way to the plain ones there.
    pub postgres: Option<u32>,
}

impl PlanOptions {
    /// Whether the server has a form of `since` (a major version); a
    /// version not known is taken to have it.
    pub fn server_has(&self, since: u32) -> bool {
        self.postgres.is_none_or(|major| major >= since)
    }
}

/// Whether the plan detaches a partition of `parent` concurrently: online,
/// on PostgreSQL 14 or later, and not while the parent has a default
/// partition (PostgreSQL refuses it then).
pub fn detaches_concurrently(from: &Schema, options: &PlanOptions, parent: &QualifiedName) -> bool {
    options.online && options.server_has(14) && default_partition(from, parent).is_none()
}

/// The default partition of `parent`, if it has one.
pub fn default_partition<'s>(schema: &'s Schema, parent: &QualifiedName) -> Option<&'s QualifiedName> {
    schema
        .tables
        .values()
        .find(|t| {
            t.partition_of
                .as_ref()
                .is_some_and(|p| &p.parent == parent && p.is_default())
        })
        .map(|t| &t.name)
}

/// Which way a plan goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    Upgrade,
    Downgrade,
}

/// One step of a plan: a change, and how it must run.
#[derive(Clone, Debug)]
pub struct Step {
    pub change: Change,
    /// Foreign keys the step's `CREATE TABLE` leaves out, added by later steps.
    pub deferred_foreign_keys: Vec<Ident>,
    /// Findings about this step (indexes into [`Plan::findings`]).
    pub findings: Vec<usize>,
    /// How big the table it changes is and how long it holds its lock,
    /// when the plan was made against a database ([`impact::annotate`]).
    pub impact: Option<impact::Impact>,
}

/// An ordered plan with its safety findings.
#[derive(Clone, Debug)]
pub struct Plan<'s> {
    pub direction: Direction,
    pub options: PlanOptions,
    pub steps: Vec<Step>,
    pub findings: Vec<Finding>,
    /// The schemas the plan goes between (from, to).
    pub from: &'s Schema,
    pub to: &'s Schema,
    /// The tables the plan creates (by their names in `to`); every other
    /// table it touches exists before it, maybe under another name.
    pub created_tables: std::collections::BTreeSet<QualifiedName>,
}

impl Plan<'_> {
    /// Whether the plan has no steps.
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    /// Findings that make the plan destructive.
    pub fn destructive(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| f.kind == FindingKind::Destructive)
    }
}

/// The upgrade plan from `old` to `new`.
pub fn upgrade<'s>(old: &'s Schema, new: &'s Schema, options: PlanOptions) -> Plan<'s> {
    build(diff::diff(old, new), old, new, Direction::Upgrade, options)
}

/// The downgrade plan from `new` back to `old`, with every step that cannot
/// bring data back marked irreversible.
pub fn downgrade<'s>(old: &'s Schema, new: &'s Schema, options: PlanOptions) -> Plan<'s> {
    build(diff::reverse(old, new), new, old, Direction::Downgrade, options)
}

fn build<'s>(
    changes: Vec<Change>,
    from: &'s Schema,
    to: &'s Schema,
    direction: Direction,
    options: PlanOptions,
) -> Plan<'s> {
    let changes = order::with_foreign_keys_around_type_changes(changes, from, to);
    let mut steps = order::order(changes, from);
    let findings = safety::analyse(&mut steps, from, to, direction, options);
    let created_tables = steps
        .iter()
        .filter_map(|step| match &step.change {
            Change::CreateTable(table) => Some(table.name.clone()),
            _ => None,
        })
        .collect();
    Plan {
        direction,
        options,
        steps,
        findings,
        from,
        to,
        created_tables,
    }
}
