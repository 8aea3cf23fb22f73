//! How big what a step touches is, and for how long it holds its lock: a
//! plan made against a database says, for each risky step and each step
//! that reads a whole table, the table's estimated rows
//! (`pg_class.reltuples`) and size on disk (`pg_total_relation_size`), the
//! strongest lock it takes, and a class of time (instant, proportional to
//! the table, a scan that lets writes go on).

use std::collections::BTreeMap;

use super::{FindingKind, Plan};
use crate::diff::Change;
use crate::ir::QualifiedName;
use crate::revision::locks::LockMode;

/// How long a step holds its lock, as a class of time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Duration {
    /// Changes the catalog only: as long as it takes to get the lock.
    Instant,
    /// Reads or rewrites every row (or builds an index) while holding the
    /// lock: the bigger the table, the longer.
    Proportional,
    /// Reads every row under a lock that lets reads and writes go on
    /// (`CREATE INDEX CONCURRENTLY`, `VALIDATE CONSTRAINT`).
    Scan,
}

impl Duration {
    /// Its name in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Duration::Instant => "instant",
            Duration::Proportional => "proportional",
            Duration::Scan => "scan",
        }
    }

    /// What it means, in words.
    pub fn words(self) -> &'static str {
        match self {
            Duration::Instant => "briefly (the catalog only)",
            Duration::Proportional => "for a time proportional to the table",
            Duration::Scan => "while it reads the whole table",
        }
    }
}

/// A table's size as the database's statistics have it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TableSize {
    /// Estimated rows; None when the table was never analysed or vacuumed.
    pub rows: Option<u64>,
    /// The table with its indexes and TOAST, in bytes.
    pub bytes: u64,
}

/// What one step does to an existing table, with its size.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Impact {
    pub table: QualifiedName,
    pub size: TableSize,
    /// The strongest lock the step takes on that table.
    pub lock: Option<LockMode>,
    pub duration: Duration,
}

impl Impact {
    /// One line: `users: about 1,204,000 rows, 312 MB; ACCESS EXCLUSIVE
    /// (blocks reads and writes) for a time proportional to the table`.
    pub fn words(&self) -> String {
        let rows = match self.size.rows {
            Some(1) => "about 1 row".to_string(),
            Some(rows) => format!("about {} rows", thousands(rows)),
            None => "rows not yet counted by ANALYZE".to_string(),
        };
        let scan = LockMode::ShareUpdateExclusive;
        let hold = match (self.lock, self.duration) {
            // An online step: a strong lock only for its catalog changes,
            // the reading under one that lets writes go on.
            (Some(mode), Duration::Scan) if mode > scan => format!(
                "{} ({}) briefly, then {} ({}) {}",
                mode.name(),
                mode.effect(),
                scan.name(),
                scan.effect(),
                self.duration.words()
            ),
            (Some(mode), duration) => format!("{} ({}) {}", mode.name(), mode.effect(), duration.words()),
            (None, duration) => duration.words().to_string(),
        };
        format!("{}: {rows}, {}; {hold}", self.table, bytes(self.size.bytes))
    }
}

/// `1,204,000`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `312 MB`, as `pg_size_pretty` writes sizes (powers of 1024, whole
/// numbers).
fn bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["bytes", "kB", "MB", "GB", "TB"];
    let mut value = n;
    let mut unit = 0;
    // pg_size_pretty moves up a unit from 10,240 of the one below.
    while value >= 10 * 1024 && unit < UNITS.len() - 1 {
        value /= 1024;
        unit += 1;
    }
    format!("{value} {}", UNITS[unit])
}

/// The class of time of a step: from its statements (a concurrent build
/// or a validation only scans), else from its findings (a risky step on an
/// existing table reads or rewrites it), else instant.
fn duration(plan: &Plan, step: usize) -> Duration {
    let step_ref = &plan.steps[step];
    let scans = crate::render::step_statements(step_ref, plan).iter().any(|s| {
        let words: Vec<String> = s.sql.split_whitespace().map(str::to_ascii_lowercase).collect();
        let has = |w: &str| words.iter().any(|x| x == w);
        (has("concurrently") && (has("index") || has("reindex"))) || (has("validate") && has("constraint"))
    });
    if scans {
        return Duration::Scan;
    }
    // Adding a not-null column without a default fails on rows but reads
    // none; detaching changes the catalog only.
    let catalog_only = matches!(
        step_ref.change,
        Change::AddColumn { .. } | Change::DetachPartition { .. }
    );
    let risky = step_ref
        .findings
        .iter()
        .any(|&f| plan.findings[f].kind == FindingKind::Risky);
    // A narrowing type change is destructive, and reads (or rewrites) every
    // row to cut or refuse them.
    let narrows = matches!(step_ref.change, Change::AlterColumnType { .. })
        && step_ref
            .findings
            .iter()
            .any(|&f| plan.findings[f].kind == FindingKind::Destructive);
    if (risky && !catalog_only) || narrows {
        Duration::Proportional
    } else {
        Duration::Instant
    }
}

/// Each step's class of time, for the steps whose impact is worth saying
/// (risky or destructive, or reading the whole table) on a table that
/// exists already; None for the others. Each step's statements are looked
/// at once.
fn judged<'p>(plan: &'p Plan) -> Vec<Option<(&'p QualifiedName, Duration)>> {
    (0..plan.steps.len())
        .map(|i| {
            let table = plan.steps[i]
                .change
                .table()
                .filter(|t| !plan.created_tables.contains(*t))?;
            let duration = duration(plan, i);
            let flagged = plan.steps[i]
                .findings
                .iter()
                .any(|&f| matches!(plan.findings[f].kind, FindingKind::Risky | FindingKind::Destructive));
            (flagged || duration != Duration::Instant).then_some((table, duration))
        })
        .collect()
}

/// The existing tables whose size the plan's impacts need.
pub fn tables(plan: &Plan) -> Vec<QualifiedName> {
    let mut tables: Vec<QualifiedName> = judged(plan).into_iter().flatten().map(|(t, _)| t.clone()).collect();
    tables.sort();
    tables.dedup();
    tables
}

/// Gives each step worth it its impact, from the sizes read from the
/// database (a table missing there gets none).
pub fn annotate(plan: &mut Plan, sizes: &BTreeMap<QualifiedName, TableSize>) {
    let locks = crate::render::plan_locks(plan);
    let impacts: Vec<Option<Impact>> = judged(plan)
        .into_iter()
        .zip(&locks)
        .map(|(judged, locks)| {
            let (table, duration) = judged?;
            Some(Impact {
                table: table.clone(),
                size: *sizes.get(table)?,
                lock: locks.iter().map(|l| l.mode).max(),
                duration,
            })
        })
        .collect();
    for (step, impact) in plan.steps.iter_mut().zip(impacts) {
        step.impact = impact;
    }
}

/// A table's size from `pg_class.reltuples` (-1, never analysed, from
/// PostgreSQL 14 on) and `pg_total_relation_size`.
pub fn size_of(reltuples: f64, bytes: i64) -> TableSize {
    TableSize {
        rows: (reltuples >= 0.0).then(|| reltuples.round() as u64),
        bytes: u64::try_from(bytes).unwrap_or(0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_postgresql_writes_them() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_204_000), "1,204,000");
        assert_eq!(bytes(8192), "8192 bytes");
        assert_eq!(bytes(16 * 1024), "16 kB");
        assert_eq!(bytes(312 * 1024 * 1024 + 5), "312 MB");
    }
}
