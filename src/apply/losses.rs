//! What undoing revisions would lose: the destructive steps of their
//! downgrades (a table or column dropped, a type narrowed, a sequence
//! dropped), with the rows each table holds now, so that `downgrade`
//! refuses them unless asked and says how much is at stake.

use std::collections::BTreeMap;

use super::{ApplyError, Session};
use crate::diff::Change;
use crate::ir::QualifiedName;
use crate::plan::{self, FindingKind, PlanOptions};
use crate::revision::Revision;

/// Counting stops here: a refusal needs to know that rows are there, not
/// how many millions.
const COUNT_LIMIT: i64 = 1_000_000;

/// One destructive step of a revision's downgrade.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Loss {
    pub revision: String,
    /// The finding, as `diff` words it ("drops table orders and all its rows").
    pub message: String,
    pub table: Option<QualifiedName>,
    /// The table's rows now: None when the step has no table (a sequence),
    /// or the table is not there or cannot be read.
    pub rows: Option<Rows>,
}

/// How many rows a table holds, counted up to [`COUNT_LIMIT`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rows {
    Exactly(u64),
    MoreThan(u64),
}

impl Rows {
    pub fn is_empty(self) -> bool {
        self == Rows::Exactly(0)
    }
}

impl std::fmt::Display for Rows {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Rows::Exactly(1) => f.write_str("1 row"),
            Rows::Exactly(n) => write!(f, "{n} rows"),
            Rows::MoreThan(n) => write!(f, "more than {n} rows"),
        }
    }
}

impl Loss {
    /// Whether nothing is lost after all: the step empties an empty table.
    pub fn loses_nothing(&self) -> bool {
        self.table.is_some() && self.rows.is_some_and(Rows::is_empty)
    }
}

impl Session<'_> {
    /// The destructive steps of undoing `remove` (newest first), each with
    /// the rows its table holds now. A revision's downgrade is judged by
    /// its planned form (from its snapshot back to its parent's): a part
    /// edited by hand may do more or less. A merge undoes nothing.
    pub async fn losses(&self, remove: &[&Revision], postgres: Option<u32>) -> Result<Vec<Loss>, ApplyError> {
        if remove.is_empty() {
            return Ok(Vec::new());
        }
        // A role that may not record the downgrade hears that first.
        self.rights(true).await?;
        let mut losses = Vec::new();
        for revision in remove.iter().filter(|r| !r.is_merge()) {
            let Ok((before, after)) = self.history.snapshots_around(revision) else {
                continue;
            };
            let options = PlanOptions {
                online: false,
                postgres,
            };
            let downgrade = plan::downgrade(&before, &after, options);
            for finding in downgrade.findings.iter().filter(|f| f.kind == FindingKind::Destructive) {
                let change = downgrade.steps.get(finding.step).map(|s| &s.change);
                // A label taken out of an enum is guarded: the step fails,
                // changing nothing, while rows hold it. Nothing is lost.
                if matches!(
                    change,
                    Some(Change::RecreateEnum { .. } | Change::GuardEnumLabel { .. })
                ) {
                    continue;
                }
                let table = change.and_then(Change::table).cloned();
                losses.push(Loss {
                    revision: revision.id.clone(),
                    message: finding.message.clone(),
                    table,
                    rows: None,
                });
            }
        }
        if losses.is_empty() {
            return Ok(losses);
        }
        // A table this role may not read is not counted: the refusal says
        // so, and --allow-destructive still lets the downgrade run.
        let counts = self
            .count_rows(losses.iter().filter_map(|l| l.table.as_ref()))
            .await
            .unwrap_or_default();
        for loss in &mut losses {
            loss.rows = loss.table.as_ref().and_then(|t| counts.get(t).copied());
        }
        Ok(losses)
    }

    /// The rows of each table that exists, in two round trips: which of
    /// them exist, then one query counting each (up to the limit).
    async fn count_rows<'a>(
        &self,
        tables: impl Iterator<Item = &'a QualifiedName>,
    ) -> Result<BTreeMap<QualifiedName, Rows>, ApplyError> {
        let tables: Vec<&QualifiedName> = {
            let mut seen: Vec<&QualifiedName> = tables.collect();
            seen.sort();
            seen.dedup();
            seen
        };
        let names: Vec<String> = tables.iter().map(|t| t.quoted()).collect();
        let rows = self
            .db
            .client
            .query(
                "SELECT to_regclass(name) IS NOT NULL FROM unnest($1::text[]) WITH ORDINALITY AS t(name, n) ORDER BY n",
                &[&names],
            )
            .await
            .map_err(|e| self.db_error(&e))?;
        let present: Vec<&QualifiedName> = tables
            .iter()
            .zip(&rows)
            .filter(|(_, row)| row.try_get::<_, bool>(0).unwrap_or(false))
            .map(|(t, _)| *t)
            .collect();
        let mut counts = BTreeMap::new();
        if present.is_empty() {
            return Ok(counts);
        }
        // Every name is quoted where it lands; the limit is ours.
        let columns: Vec<String> = present
            .iter()
            .map(|t| {
                format!(
                    "(SELECT count(*) FROM (SELECT FROM {} LIMIT {}) AS counted)",
                    t.quoted(),
                    COUNT_LIMIT + 1
                )
            })
            .collect();
        let row = self
            .db
            .client
            .query_one(&format!("SELECT {}", columns.join(", ")), &[])
            .await
            .map_err(|e| self.db_error(&e))?;
        for (i, table) in present.into_iter().enumerate() {
            let count: i64 = row.try_get(i).map_err(|e| self.db_error(&e))?;
            let rows = if count > COUNT_LIMIT {
                Rows::MoreThan(COUNT_LIMIT as u64)
            } else {
                Rows::Exactly(count.max(0) as u64)
            };
            counts.insert(table.clone(), rows);
        }
        Ok(counts)
    }
}
