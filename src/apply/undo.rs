//! Undoing a revision whose upgrade stopped part way (an online revision's
//! concurrent index build failed, or the run was killed between two of its
//! transactions). Its downgrade was written for the whole revision and
//! would fail on what never ran, so the undo is planned from what the
//! database has now: the objects the revision touches, as they are, back to
//! its parent's snapshot. Planned again on every run, it resumes by itself.

use std::collections::{BTreeMap, BTreeSet};

use super::{ApplyError, Session};
use crate::ir::{Ident, Schema};
use crate::plan::{FindingKind, PlanOptions};
use crate::reflect::{DbError, ReflectOptions};
use crate::render::Statement;
use crate::revision::Revision;

/// `current` where the revision changes things: each object of `before` or
/// `after` as the database has it (or gone, if it has not); elsewhere
/// `before` itself, so nothing the revision did not touch is planned.
fn touched(before: &Schema, after: &Schema, database: &Schema) -> Schema {
    fn take<K: Ord + Clone, V: Clone>(
        out: &mut BTreeMap<K, V>,
        before: &BTreeMap<K, V>,
        after: &BTreeMap<K, V>,
        database: &BTreeMap<K, V>,
    ) {
        let keys: BTreeSet<&K> = before.keys().chain(after.keys()).collect();
        for key in keys {
            match database.get(key) {
                Some(found) => out.insert(key.clone(), found.clone()),
                None => out.remove(key),
            };
        }
    }
    let mut out = before.clone();
    take(&mut out.schemas, &before.schemas, &after.schemas, &database.schemas);
    take(
        &mut out.extensions,
        &before.extensions,
        &after.extensions,
        &database.extensions,
    );
    take(&mut out.enums, &before.enums, &after.enums, &database.enums);
    take(&mut out.domains, &before.domains, &after.domains, &database.domains);
    take(
        &mut out.composites,
        &before.composites,
        &after.composites,
        &database.composites,
    );
    take(&mut out.ranges, &before.ranges, &after.ranges, &database.ranges);
    take(
        &mut out.sequences,
        &before.sequences,
        &after.sequences,
        &database.sequences,
    );
    take(&mut out.tables, &before.tables, &after.tables, &database.tables);
    out
}

/// One line of SQL, for comparing statements whatever their layout.
fn squeezed(sql: &str) -> String {
    sql.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_ascii_lowercase()
}

impl Session<'_> {
    /// Takes the database from wherever the stopped upgrade of `revision`
    /// left it back to the revision's parent, then removes the revision
    /// from the version table.
    pub(super) async fn undo_partial(
        &self,
        revision: &Revision,
        report: &mut impl FnMut(&str),
    ) -> Result<(), ApplyError> {
        let stuck = |why: String| {
            ApplyError::History(format!(
                "revision {} ({}) stopped part way through its upgrade, and {why}; finish it with `trellisc upgrade` \
                 and then downgrade, or undo what ran by hand and record it with `trellisc stamp`",
                revision.id, revision.message
            ))
        };
        let (before, after) = match self.history.snapshots_around(revision) {
            Ok((before, after)) => (before.without_renames(), after.without_renames()),
            Err(e) => {
                return Err(stuck(format!(
                    "without its schema snapshots what ran cannot be told ({e})"
                )));
            }
        };
        // Marked first, so that an upgrade cannot resume a revision half
        // undone: it says to finish the downgrade.
        let id = crate::render::literal(&revision.id);
        let table = self.table.quoted();
        self.db
            .client
            .batch_execute(&format!(
                "UPDATE {table} SET state = 'downgrading', statements_done = -1 WHERE revision = {id}"
            ))
            .await
            .map_err(|e| self.db_error(&e))?;

        let mut options = ReflectOptions::default();
        let mut names: BTreeSet<String> = before.namespaces().iter().map(|n| n.as_str().to_string()).collect();
        names.extend(after.namespaces().iter().map(|n| n.as_str().to_string()));
        names.insert("public".into());
        options.schemas = names.into_iter().collect();
        options.exclude_tables = vec![self.table.clone()];
        let reflected = crate::reflect::reflect(&self.db, &options)
            .await
            .map_err(|e| self.db_error(&e))?;
        let current = touched(&before, &after, &reflected.schema);
        let mut target = before.clone();
        if let Err(error) = crate::reflect::normalize(&self.db, &current, &mut target, &Ident::new("public")).await {
            let error = DbError::from_postgres(&self.db.description, &error);
            report(&format!("warning: {error}; expressions are compared as written"));
        }
        let plan = crate::plan::upgrade(
            &current,
            &target,
            PlanOptions {
                online: true,
                postgres: Some(self.db.major),
            },
        );

        // What loses data is done only where the revision's own downgrade
        // does exactly that: a column the revision renamed looks, from the
        // database alone, like one to drop and one to add.
        let downgrade: BTreeSet<String> = crate::revision::split::split(&revision.downgrade)
            .iter()
            .map(|piece| squeezed(&piece.sql))
            .collect();
        let mut statements: Vec<Statement> = Vec::new();
        for step in &plan.steps {
            let rendered = crate::render::step_statements(step, &plan);
            let destructive = step
                .findings
                .iter()
                .any(|&f| plan.findings[f].kind == FindingKind::Destructive);
            if destructive {
                if let Some(missing) = rendered.iter().find(|s| !downgrade.contains(&squeezed(&s.sql))) {
                    return Err(stuck(format!(
                        "undoing what ran would take `{}`, which loses data and is not in the revision's downgrade \
                         (a rename, perhaps, that the database alone cannot tell from a drop and an add)",
                        missing.sql
                    )));
                }
            }
            statements.extend(rendered);
        }
        report(&format!(
            "undoing the part of {}  {} that ran: {} statement(s), planned from the database",
            revision.id,
            revision.message,
            statements.len()
        ));
        // Consecutive statements that may share a transaction share one;
        // the others (concurrent index drops, validations) run alone.
        let mut batch: Vec<String> = Vec::new();
        for statement in &statements {
            let alone = !statement.transactional || crate::revision::split::runs_alone(&statement.sql);
            if alone {
                self.run_undo_batch(&mut batch).await?;
                self.db
                    .client
                    .batch_execute(&statement.sql)
                    .await
                    .map_err(|e| self.undo_failed(revision, &statement.sql, &e))?;
            } else {
                batch.push(statement.sql.clone());
            }
        }
        batch.push(format!("DELETE FROM {table} WHERE revision = {id};"));
        self.run_undo_batch(&mut batch).await
    }

    /// Runs the statements gathered so far in one transaction.
    async fn run_undo_batch(&self, batch: &mut Vec<String>) -> Result<(), ApplyError> {
        if batch.is_empty() {
            return Ok(());
        }
        let sql = format!("BEGIN;\n{}\nCOMMIT;", batch.join("\n"));
        batch.clear();
        let result = self.db.client.batch_execute(&sql).await;
        if result.is_err() {
            let _ = self.db.client.batch_execute("ROLLBACK").await;
        }
        result.map_err(|e| self.db_error(&e))
    }

    fn undo_failed(&self, revision: &Revision, sql: &str, error: &tokio_postgres::Error) -> ApplyError {
        ApplyError::History(format!(
            "undoing what ran of revision {} stopped at:\n    {sql}\n{}: {}\nfix the cause and run `trellisc downgrade` again: it plans what is left from the database",
            revision.id,
            self.db.description,
            super::server_message(error)
        ))
    }
}
