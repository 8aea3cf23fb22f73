//! Running revisions against a database: the version table, the advisory
//! lock, one transaction per revision, statements that PostgreSQL refuses
//! in a transaction run on their own with their progress recorded, and a
//! report of the statement that failed.
//!
//! Also the offline form of the same work: the whole script for `psql`.

mod losses;
mod rights;
mod script;
mod undo;
mod watch;

use std::collections::{BTreeSet, HashMap};
use std::fmt;

use futures_util::future::join_all;
use tokio_postgres::Client;

use crate::ir::{Ident, QualifiedName, Schema};
use crate::reflect::{Database, DbError};
use crate::render::literal;
use crate::revision::split::{Piece, split};
use crate::revision::{History, Revision};

pub use watch::{IndexBuild, Step, Watcher};

pub use losses::{Loss, Rows};
pub use script::{Direction, script};

/// What a database's version table says about one revision.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Applied {
    pub revision: String,
    pub message: String,
    pub checksum: String,
    pub state: State,
    /// Statements of the current direction already run (for a revision
    /// stopped part way).
    pub statements_done: usize,
    /// A revision whose upgrade stopped part way, being undone from what
    /// the database has (state downgrading, stored as -1 statements).
    pub undoing: bool,
    pub applied_at: String,
    /// The role that applied it (the version table's `applied_by`).
    pub applied_by: String,
}

/// Whether a revision is whole, or stopped part way through.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    Applied,
    Upgrading,
    Downgrading,
}

impl State {
    /// The word the version table stores.
    pub fn as_str(self) -> &'static str {
        match self {
            State::Applied => "applied",
            State::Upgrading => "upgrading",
            State::Downgrading => "downgrading",
        }
    }
}

/// Why running revisions stopped.
#[derive(Debug)]
pub enum ApplyError {
    /// The database could not be reached or answered with an error outside
    /// any revision.
    Database(DbError),
    /// A statement of a revision failed.
    Statement(Box<StatementFailure>),
    /// The version table and the versions directory disagree.
    History(String),
}

impl From<DbError> for ApplyError {
    fn from(error: DbError) -> ApplyError {
        ApplyError::Database(error)
    }
}

/// A failed statement, with all it takes to find and fix it.
#[derive(Debug)]
pub struct StatementFailure {
    pub revision: String,
    pub message: String,
    /// `file:line:column` of the failing statement (column when the server
    /// gave a position).
    pub place: String,
    pub statement: String,
    pub server: String,
    /// What state the revision is left in.
    pub outcome: String,
}

impl fmt::Display for ApplyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApplyError::Database(e) => write!(f, "{e}"),
            ApplyError::History(e) => f.write_str(e),
            ApplyError::Statement(failure) => {
                writeln!(
                    f,
                    "revision {} ({}) failed at {}:",
                    failure.revision, failure.message, failure.place
                )?;
                for line in failure.statement.lines() {
                    writeln!(f, "    {line}")?;
                }
                writeln!(f, "{}", failure.server)?;
                write!(f, "{}", failure.outcome)
            }
        }
    }
}

/// How to run.
#[derive(Clone, Debug, Default)]
pub struct RunOptions {
    /// `lock_timeout` for every statement, such as `5s`.
    pub lock_timeout: Option<String>,
    /// `statement_timeout` for every statement.
    pub statement_timeout: Option<String>,
}

/// A connection holding trellisc's advisory lock on the database.
pub struct Session<'h> {
    db: Database,
    table: QualifiedName,
    history: &'h History,
    options: RunOptions,
    /// Told what runs are at (a progress display), if anyone.
    watcher: Option<Watcher>,
    /// The second connection that watches index builds, once opened.
    monitor: tokio::sync::OnceCell<Option<Database>>,
    /// The server process of `db`, once asked.
    backend_pid: std::cell::Cell<Option<i32>>,
}

/// The revisions the version table says are applied.
pub fn applied_ids(applied: &[Applied]) -> BTreeSet<String> {
    applied
        .iter()
        .filter(|a| a.state == State::Applied)
        .map(|a| a.revision.clone())
        .collect()
}

/// The advisory lock key: one per version table, so two projects sharing a
/// database do not wait for each other.
fn lock_key(table: &QualifiedName) -> String {
    format!("trellisc {}", table.quoted())
}

impl<'h> Session<'h> {
    /// Connects to read only: no lock.
    pub async fn read_only(url: &str, table: &QualifiedName, history: &'h History) -> Result<Session<'h>, ApplyError> {
        let db = crate::reflect::connect(url).await?;
        Ok(Session {
            db,
            table: table.clone(),
            history,
            options: RunOptions::default(),
            watcher: None,
            monitor: tokio::sync::OnceCell::new(),
            backend_pid: std::cell::Cell::new(None),
        })
    }

    /// Connects, takes the advisory lock (saying so when it has to wait for
    /// another run), then sets the timeouts.
    pub async fn open(
        url: &str,
        table: &QualifiedName,
        history: &'h History,
        options: &RunOptions,
        mut report: impl FnMut(&str),
    ) -> Result<Session<'h>, ApplyError> {
        let db = crate::reflect::connect(url).await?;
        let fail = |e: tokio_postgres::Error| ApplyError::Database(DbError::from_postgres(&db.description, &e));
        let key = lock_key(table);
        let got = db
            .client
            .query_one("SELECT pg_try_advisory_lock(hashtextextended($1, 0))", &[&key])
            .await
            .map_err(fail)?;
        if !got.get::<_, bool>(0) {
            report(&format!(
                "waiting for another trellisc run on {} to finish",
                db.description
            ));
            // Asked again and again rather than waited for in one query: a
            // query waiting in pg_advisory_lock holds a snapshot, and the
            // other run's CREATE INDEX CONCURRENTLY waits for every
            // snapshot older than its own, so the two would wait for each
            // other for ever. Between two tries this connection holds none.
            loop {
                tokio::time::sleep(std::time::Duration::from_millis(250)).await;
                let got = db
                    .client
                    .query_one("SELECT pg_try_advisory_lock(hashtextextended($1, 0))", &[&key])
                    .await
                    .map_err(fail)?;
                if got.get::<_, bool>(0) {
                    break;
                }
            }
        }
        let mut settings = String::new();
        if let Some(timeout) = &options.lock_timeout {
            settings.push_str(&format!("SET lock_timeout = {};", literal(timeout)));
        }
        if let Some(timeout) = &options.statement_timeout {
            settings.push_str(&format!("SET statement_timeout = {};", literal(timeout)));
        }
        if !settings.is_empty() {
            db.client.batch_execute(&settings).await.map_err(fail)?;
        }
        Ok(Session {
            db,
            table: table.clone(),
            history,
            options: options.clone(),
            watcher: None,
            monitor: tokio::sync::OnceCell::new(),
            backend_pid: std::cell::Cell::new(None),
        })
    }

    /// The database's description, for messages.
    pub fn description(&self) -> &str {
        &self.db.description
    }

    /// The connection.
    pub fn database(&self) -> &Database {
        &self.db
    }

    fn db_error(&self, error: &tokio_postgres::Error) -> ApplyError {
        ApplyError::Database(DbError::from_postgres(&self.db.description, error))
    }

    /// What this role may do with the version table; an error naming the
    /// missing right when it may not do what `writing` needs.
    async fn rights(&self, writing: bool) -> Result<rights::Rights, ApplyError> {
        let rights = rights::Rights::read(&self.db.client, &self.table)
            .await
            .map_err(|e| self.db_error(&e))?;
        match rights.refusal(&self.table, &self.db.description, writing) {
            Some(refusal) => Err(refusal.into()),
            None => Ok(rights),
        }
    }

    /// Creates the version table (and its schema) unless it exists; checked
    /// first, so that a role without CREATE may use a table that is there.
    pub async fn ensure_table(&self) -> Result<(), ApplyError> {
        if self.rights(true).await?.present {
            return Ok(());
        }
        let sql = script::create_table_sql(&self.table);
        self.db.client.batch_execute(&sql).await.map_err(|e| self.db_error(&e))
    }

    /// The version table's rows in the order they were applied; none when
    /// there is no table.
    pub async fn applied(&self) -> Result<Vec<Applied>, ApplyError> {
        if !self.rights(false).await?.present {
            return Ok(Vec::new());
        }
        let rows = self
            .db
            .client
            .query(
                &format!(
                    "SELECT revision, message, checksum, state, statements_done, \
                     to_char(applied_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), applied_by \
                     FROM {} ORDER BY applied_at, revision",
                    self.table.quoted()
                ),
                &[],
            )
            .await
            .map_err(|e| self.db_error(&e))?;
        let mut applied = Vec::new();
        for row in rows {
            let state: String = row.try_get(3).map_err(|e| self.db_error(&e))?;
            let done: i32 = row.try_get(4).map_err(|e| self.db_error(&e))?;
            applied.push(Applied {
                revision: row.try_get(0).map_err(|e| self.db_error(&e))?,
                message: row.try_get(1).map_err(|e| self.db_error(&e))?,
                checksum: row.try_get(2).map_err(|e| self.db_error(&e))?,
                state: match state.as_str() {
                    "upgrading" => State::Upgrading,
                    "downgrading" => State::Downgrading,
                    _ => State::Applied,
                },
                statements_done: usize::try_from(done).unwrap_or(0),
                undoing: done < 0,
                applied_at: row.try_get(5).map_err(|e| self.db_error(&e))?,
                applied_by: row.try_get(6).map_err(|e| self.db_error(&e))?,
            });
        }
        Ok(applied)
    }

    /// The applied rows, checked against the directory: every revision the
    /// database has must be known.
    pub async fn applied_known(&self) -> Result<Vec<Applied>, ApplyError> {
        let applied = self.applied().await?;
        let unknown: Vec<&Applied> = applied
            .iter()
            .filter(|a| self.history.get(&a.revision).is_none())
            .collect();
        if let Some(first) = unknown.first() {
            return Err(ApplyError::History(format!(
                "{} is at revision {} ({}), which is not in {}: the database was upgraded from another branch or a newer checkout; update this checkout (git pull) or switch to that branch",
                self.db.description,
                first.revision,
                first.message,
                self.history.dir.display()
            )));
        }
        Ok(applied)
    }

    /// Refuses a history whose parents put a revision the database does not
    /// have before one it has: the `-- parent:` lines were changed (two
    /// swapped, say) after the later one was applied, and running the
    /// missing one now would run it on a schema it was not written for.
    fn check_order(&self, have: &BTreeSet<String>) -> Result<(), ApplyError> {
        // Parents come before children: one pass finds, for each revision,
        // the nearest ancestors the database lacks.
        let mut lacking: HashMap<&str, Vec<&str>> = HashMap::new();
        for revision in &self.history.revisions {
            let mut missing: Vec<&str> = Vec::new();
            for parent in &revision.parents {
                if have.contains(parent) {
                    missing.extend(lacking.get(parent.as_str()).into_iter().flatten().copied());
                } else {
                    missing.push(parent);
                }
            }
            missing.sort_unstable();
            missing.dedup();
            if have.contains(&revision.id) && !missing.is_empty() {
                return Err(ApplyError::History(format!(
                    "the history puts revision(s) {} before revision {}, but {} has {} applied and not {}: the `-- parent:` lines were changed after {} was applied (in {}); nothing was run. Restore the parent lines as they were (version control has them) and run `trellisc rehash`",
                    missing.join(", "),
                    revision.id,
                    self.db.description,
                    revision.id,
                    missing.join(", "),
                    revision.id,
                    revision.path.display()
                )));
            }
            // Only the nearest missing ones are kept (a missing parent, not
            // what it lacks in turn): enough to name them, and the lists
            // stay short however long the history.
            lacking.insert(revision.id.as_str(), missing);
        }
        Ok(())
    }

    /// Applies the `targets` (one, or every head) and everything they
    /// descend from that the database does not have, in order; returns the
    /// revisions applied.
    pub async fn upgrade(
        &self,
        targets: &[&Revision],
        mut report: impl FnMut(&str),
    ) -> Result<Vec<String>, ApplyError> {
        self.ensure_table().await?;
        let applied = self.applied_known().await?;
        if let Some(partial) = applied.iter().find(|a| a.state == State::Downgrading) {
            return Err(ApplyError::History(format!(
                "revision {} stopped part way through its downgrade; run `trellisc downgrade` again to finish it first",
                partial.revision
            )));
        }
        let have = applied_ids(&applied);
        self.check_order(&have)?;
        let wanted: BTreeSet<String> = targets
            .iter()
            .flat_map(|target| self.history.ancestors(&target.id))
            .collect();
        let pending: Vec<&Revision> = self
            .history
            .in_order(&wanted)
            .into_iter()
            .filter(|r| !have.contains(&r.id))
            .collect();
        for a in applied.iter().filter(|a| a.state == State::Applied) {
            if self.history.get(&a.revision).is_some_and(|r| r.checksum != a.checksum) {
                report(&format!(
                    "warning: revision {} was edited after it was applied to {}; the database has the version that ran then",
                    a.revision, self.db.description
                ));
            }
        }
        self.check_versions(&pending)?;
        self.check_roles(&pending).await?;
        for (index, revision) in pending.iter().enumerate() {
            self.tell(&Step::Revision {
                index: index + 1,
                total: pending.len(),
                revision,
                direction: Direction::Upgrade,
            });
            let done = applied
                .iter()
                .find(|a| a.revision == revision.id && a.state == State::Upgrading)
                .map_or(0, |a| a.statements_done);
            if done == 0 {
                self.check_dependents(revision, Direction::Upgrade).await?;
            }
            if done > 0 {
                report(&format!(
                    "resuming {}  {} after its first {done} statement(s)",
                    revision.id, revision.message
                ));
            } else {
                report(&format!("upgrading {}  {}", revision.id, revision.message));
            }
            self.run(revision, Direction::Upgrade, done, &mut report).await?;
        }
        Ok(pending.iter().map(|r| r.id.clone()).collect())
    }

    /// Refuses, before any of them runs, revisions whose schema uses a form
    /// the server's version lacks (a virtual generated column on
    /// PostgreSQL 17, ...), naming each use. A revision whose snapshot
    /// cannot be read is left to its own SQL.
    fn check_versions(&self, pending: &[&Revision]) -> Result<(), ApplyError> {
        let mut lines = Vec::new();
        // Each snapshot holds the whole schema: a use is named once, at
        // the first revision that has it.
        let mut seen = BTreeSet::new();
        for revision in pending {
            let Ok(schema) = revision.snapshot() else { continue };
            for lacking in crate::check::versions::lacking(&schema, self.db.major) {
                if !seen.insert((lacking.object.clone(), lacking.form.clone())) {
                    continue;
                }
                lines.push(format!(
                    "  revision {}: {}: {} needs PostgreSQL {}",
                    revision.id, lacking.object, lacking.form, lacking.since
                ));
            }
        }
        if lines.is_empty() {
            return Ok(());
        }
        Err(ApplyError::History(format!(
            "{} is PostgreSQL {}, which lacks what these revisions use; nothing was run:\n{}\nupgrade the server, or write revisions without these forms",
            self.db.description,
            self.db.major,
            lines.join("\n")
        )))
    }

    /// Refuses, before any of them runs, revisions whose schema grants to
    /// (or applies a policy to) a role the server lacks: trellisc does not
    /// make roles, and the GRANT would fail half way.
    async fn check_roles(&self, pending: &[&Revision]) -> Result<(), ApplyError> {
        let schemas: Vec<(&Revision, Schema)> = pending
            .iter()
            .filter_map(|r| r.snapshot().ok().map(|s| (*r, s)))
            .collect();
        if schemas.is_empty() {
            return Ok(());
        }
        let rows = self
            .db
            .client
            .query("SELECT rolname::text FROM pg_roles", &[])
            .await
            .map_err(|e| self.db_error(&e))?;
        let roles: BTreeSet<Ident> = rows
            .iter()
            .filter_map(|row| row.try_get::<_, String>(0).ok())
            .map(Ident::new)
            .collect();
        let mut lines = Vec::new();
        let mut seen = BTreeSet::new();
        for (revision, schema) in &schemas {
            for diagnostic in crate::check::roles::unknown(schema, &roles) {
                if seen.insert(diagnostic.message.clone()) {
                    lines.push(format!("  revision {}: {}", revision.id, diagnostic.message));
                }
            }
        }
        if lines.is_empty() {
            return Ok(());
        }
        Err(ApplyError::History(format!(
            "{} lacks roles these revisions grant to; nothing was run:\n{}\nroles belong to the whole server and trellisc does not make them: create them first (CREATE ROLE name)",
            self.db.description,
            lines.join("\n")
        )))
    }

    /// Undoes every applied revision that `target` (None: base) does not
    /// descend from, newest first; returns the revisions undone.
    pub async fn downgrade(
        &self,
        remove: &[&Revision],
        mut report: impl FnMut(&str),
    ) -> Result<Vec<String>, ApplyError> {
        if !remove.is_empty() {
            self.rights(true).await?;
        }
        let applied = self.applied_known().await?;
        let have = applied_ids(&applied);
        self.check_order(&have)?;
        for (index, revision) in remove.iter().enumerate() {
            self.tell(&Step::Revision {
                index: index + 1,
                total: remove.len(),
                revision,
                direction: Direction::Downgrade,
            });
            let row = applied.iter().find(|a| a.revision == revision.id);
            if row.is_some_and(|a| a.state == State::Upgrading || a.undoing) {
                self.undo_partial(revision, &mut report).await?;
                continue;
            }
            let done = applied
                .iter()
                .find(|a| a.revision == revision.id && a.state == State::Downgrading)
                .map_or(0, |a| a.statements_done);
            if done == 0 {
                self.check_dependents(revision, Direction::Downgrade).await?;
            }
            report(&format!("downgrading {}  {}", revision.id, revision.message));
            self.run(revision, Direction::Downgrade, done, &mut report).await?;
        }
        Ok(remove.iter().map(|r| r.id.clone()).collect())
    }

    /// Refuses a revision that PostgreSQL would refuse part way because an
    /// object trellisc does not manage (a view, a policy, a trigger) uses
    /// what it drops or retypes: found from the revision's snapshots and
    /// the database's dependencies as they are right before it runs.
    async fn check_dependents(&self, revision: &Revision, direction: Direction) -> Result<(), ApplyError> {
        let dependencies = crate::reflect::dependencies(&self.db)
            .await
            .map_err(|e| self.db_error(&e))?;
        if dependencies.is_empty() || revision.is_merge() {
            return Ok(());
        }
        let Ok((before, after)) = self.history.snapshots_around(revision) else {
            // Without snapshots there is nothing to compare; the server
            // still refuses what it must.
            return Ok(());
        };
        let options = crate::plan::PlanOptions::default();
        let plan = match direction {
            Direction::Upgrade => crate::plan::upgrade(&before, &after, options),
            Direction::Downgrade => crate::plan::downgrade(&before, &after, options),
        };
        let uses: Vec<crate::plan::Use> = dependencies
            .iter()
            .map(|d| crate::plan::Use {
                object: &d.object,
                table: &d.table,
                column: d.column.as_ref(),
                on_type: d.on_type,
                holds_name: d.holds_name,
                key: d.key.as_ref(),
            })
            .collect();
        // Objects the revision drops itself (edited in by hand) are no
        // obstacle.
        let text = match direction {
            Direction::Upgrade => &revision.upgrade,
            Direction::Downgrade => &revision.downgrade,
        };
        let drops: Vec<String> = split(text)
            .into_iter()
            .map(|p| p.sql.to_ascii_lowercase())
            .filter(|sql| sql.starts_with("drop "))
            .collect();
        let dropped_here = |object: &str| {
            let bare = bare_name(object).to_ascii_lowercase();
            drops.iter().any(|sql| sql.contains(&bare))
        };
        let uses: Vec<crate::plan::Use> = uses.into_iter().filter(|u| !dropped_here(u.object)).collect();
        let blocked = crate::plan::blocked(&plan, &uses);
        if blocked.is_empty() {
            return Ok(());
        }
        let mut message = format!(
            "revision {} ({}) was not run: PostgreSQL would refuse it part way, because objects trellisc does not manage use what it drops or retypes:",
            revision.id, revision.message
        );
        for b in &blocked {
            message.push_str(&format!("\n  {}\n    would fail: {}", b.message, b.statement));
        }
        message.push_str(&format!(
            "\nedit {}: drop those objects at the start of the part and create them again at its end, then run `trellisc rehash` and the command again",
            revision.path.display()
        ));
        Err(ApplyError::History(message))
    }

    /// Records exactly `keep` as applied, running nothing.
    pub async fn stamp(&self, keep: &BTreeSet<String>) -> Result<(), ApplyError> {
        self.ensure_table().await?;
        let table = self.table.quoted();
        let mut sql = String::from("BEGIN;\n");
        let listed: Vec<String> = keep.iter().map(|id| literal(id)).collect();
        if listed.is_empty() {
            sql.push_str(&format!("DELETE FROM {table};\n"));
        } else {
            sql.push_str(&format!(
                "DELETE FROM {table} WHERE revision NOT IN ({});\n",
                listed.join(", ")
            ));
        }
        for revision in self.history.in_order(keep) {
            sql.push_str(&format!(
                "INSERT INTO {table} (revision, message, checksum) VALUES ({}, {}, {}) \
                 ON CONFLICT (revision) DO UPDATE SET state = 'applied', statements_done = 0;\n",
                literal(&revision.id),
                literal(&revision.message),
                literal(&revision.checksum)
            ));
        }
        sql.push_str("COMMIT;");
        self.db.client.batch_execute(&sql).await.map_err(|e| self.db_error(&e))
    }

    /// Runs one revision one way, skipping the first `done` statements
    /// (those of an earlier run that stopped part way).
    async fn run(
        &self,
        revision: &Revision,
        direction: Direction,
        done: usize,
        mut report: impl FnMut(&str),
    ) -> Result<(), ApplyError> {
        let (text, first_line) = match direction {
            Direction::Upgrade => (&revision.upgrade, revision.upgrade_line),
            Direction::Downgrade => (&revision.downgrade, revision.downgrade_line),
        };
        let pieces = split(text);
        self.tell(&Step::Statements {
            done: done.min(pieces.len()),
            total: pieces.len(),
        });
        let segments = segments(&pieces);
        let last = segments.len().saturating_sub(1);
        let table = self.table.quoted();
        let mut count = 0;
        for (i, segment) in segments.iter().enumerate() {
            let start = count;
            count += segment.len();
            if count <= done && !segment.is_empty() {
                continue;
            }
            let finished = i == last;
            let bookkeeping = script::bookkeeping(&table, revision, direction, finished, count);
            let transactional = segment.iter().all(|p| p.transactional);
            let mut batch: Vec<String> = Vec::new();
            if transactional {
                batch.push("BEGIN".into());
            }
            let mut statements: Vec<String> = segment.iter().map(|p| self.with_timeouts(&p.sql)).collect();
            if !transactional {
                if let [piece] = segment.as_slice() {
                    if self.already_done(piece, &mut report).await? {
                        statements.clear();
                    }
                }
            }
            let ran = statements.len();
            batch.extend(statements);
            if !transactional {
                // The statement commits by itself; its progress is recorded
                // right after.
                batch.push(format!("BEGIN; {bookkeeping} COMMIT"));
            } else {
                // SAVEPOINT fails outside a transaction block, and the rest
                // of this one query with it: should a statement have ended
                // the transaction after all, nothing is recorded.
                batch.push(format!("SAVEPOINT trellisc_bookkeeping; {bookkeeping}"));
                batch.push("COMMIT".into());
            }
            let total = pieces.len();
            let results = if transactional {
                // Sent together, answered in order: each answer is one more
                // statement done (BEGIN and the bookkeeping are none).
                join_all(batch.iter().enumerate().map(|(k, sql)| async move {
                    let result = self.db.client.batch_execute(sql).await;
                    if result.is_ok() && (1..=ran).contains(&k) {
                        self.tell(&Step::Statements { done: start + k, total });
                    }
                    result
                }))
                .await
            } else {
                // Outside a transaction nothing stops the bookkeeping after
                // a failed statement: it only runs after a success.
                let mut results = Vec::new();
                for (k, sql) in batch.iter().enumerate() {
                    let result = match k < ran {
                        true => self.execute_alone(sql).await,
                        false => self.db.client.batch_execute(sql).await,
                    };
                    if result.is_ok() && k + 1 == batch.len() {
                        self.tell(&Step::Statements { done: count, total });
                    }
                    let failed = result.is_err();
                    results.push(result);
                    if failed {
                        break;
                    }
                }
                results
            };
            let failed = results.iter().position(Result::is_err);
            let Some(index) = failed else { continue };
            // A failed statement aborts the transaction and the COMMIT
            // after it rolls back; this makes sure of it.
            let _ = self.db.client.batch_execute("ROLLBACK").await;
            let error = match &results[index] {
                Err(e) => e,
                Ok(()) => continue,
            };
            let offset = usize::from(transactional);
            let piece = index
                .checked_sub(offset)
                .filter(|&k| k < ran)
                .and_then(|k| segment.get(k));
            let Some(piece) = piece else {
                return Err(self.db_error(error));
            };
            let position = error.as_db_error().and_then(|db| match db.position() {
                Some(tokio_postgres::error::ErrorPosition::Original(p)) => Some(*p as usize),
                _ => None,
            });
            let (line, column) = place_in(text, piece, position);
            let outcome = if error.as_db_error().is_none() {
                // The statements were sent together: the server may have
                // run them all, COMMIT included, before the connection went.
                format!(
                    "the connection was lost before the server confirmed revision {}: what it had sent committed whole, \
                     with its record in the version table, or not at all; `trellisc current` shows which, and running the \
                     command again goes on from there",
                    revision.id
                )
            } else if start == 0 && (transactional || i == 0) {
                format!(
                    "nothing of revision {} was kept: its transaction was rolled back",
                    revision.id
                )
            } else {
                format!(
                    "the first {start} statement(s) of revision {} ran and are recorded; fix the cause and run the command again to go on from there",
                    revision.id
                )
            };
            return Err(ApplyError::Statement(Box::new(StatementFailure {
                revision: revision.id.clone(),
                message: revision.message.clone(),
                place: format!(
                    "{}:{}{}",
                    revision.path.display(),
                    first_line + line - 1,
                    column.map(|c| format!(":{c}")).unwrap_or_default()
                ),
                statement: piece.sql.clone(),
                server: format!("{}\n  (from {})", server_message(error), self.db.description),
                outcome,
            })));
        }
        Ok(())
    }
}

impl Session<'_> {
    /// The statement as it runs: a revision's own `SET lock_timeout` or
    /// `SET statement_timeout` (online revisions set a lock timeout of
    /// their own) gives way to the one asked for on the command line.
    fn with_timeouts(&self, sql: &str) -> String {
        let words: Vec<String> = sql
            .split(|c: char| c.is_whitespace() || c == '=' || c == ';')
            .filter(|w| !w.is_empty())
            .take(3)
            .map(str::to_ascii_lowercase)
            .collect();
        let (local, setting) = match words.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
            ["set", "local", name, ..] => (true, *name),
            ["set", "session", name, ..] => (false, *name),
            ["set", name, ..] => (false, *name),
            _ => return sql.to_string(),
        };
        let wanted = match setting {
            "lock_timeout" => self.options.lock_timeout.as_ref(),
            "statement_timeout" => self.options.statement_timeout.as_ref(),
            _ => None,
        };
        match wanted {
            Some(value) => format!(
                "SET {}{setting} = {};",
                if local { "LOCAL " } else { "" },
                literal(value)
            ),
            None => sql.to_string(),
        }
    }

    /// Before a statement that builds or drops an index concurrently (or
    /// detaches a partition so): what
    /// an earlier run that stopped in it left behind. An INVALID index of
    /// that name on that table (a build that failed or was interrupted) is
    /// dropped concurrently, so the build can run again; a valid one (the
    /// run stopped after the build, before recording it), or an index to
    /// drop that is gone already, means the statement is done: true.
    async fn already_done(&self, piece: &Piece, report: &mut impl FnMut(&str)) -> Result<bool, ApplyError> {
        let Some(statement) = crate::revision::split::concurrent(&piece.sql) else {
            return Ok(false);
        };
        let fail = |e: tokio_postgres::Error| self.db_error(&e);
        match statement {
            crate::revision::split::Concurrent::Build { index, table } => {
                let name = crate::ir::Ident::from_source(&index);
                let row = self
                    .db
                    .client
                    .query_one(script::LEFT_BEHIND, &[&name.as_str(), &table])
                    .await
                    .map_err(fail)?;
                let (built, invalid, qualified): (bool, bool, String) = (row.get(0), row.get(1), row.get(2));
                if built {
                    report(&format!(
                        "index {index} on {table} is built already (an earlier run stopped after building it)"
                    ));
                    return Ok(true);
                }
                if invalid {
                    report(&format!(
                        "dropping the invalid index {qualified} an earlier build left behind, to build it again"
                    ));
                    self.db
                        .client
                        .batch_execute(&format!("DROP INDEX CONCURRENTLY {qualified}"))
                        .await
                        .map_err(fail)?;
                }
                Ok(false)
            }
            crate::revision::split::Concurrent::Drop { index } => {
                let row = self
                    .db
                    .client
                    .query_one("SELECT to_regclass($1) IS NULL", &[&index])
                    .await
                    .map_err(fail)?;
                Ok(row.get::<_, bool>(0))
            }
            crate::revision::split::Concurrent::Detach { parent, partition } => {
                // PostgreSQL 13 has neither the form nor the column: the
                // statement fails there on its own.
                if self.db.major < 14 {
                    return Ok(false);
                }
                let row = self
                    .db
                    .client
                    .query_one(script::DETACH_PENDING, &[&partition, &parent])
                    .await
                    .map_err(fail)?;
                let (attached, pending): (bool, bool) = (row.get(0), row.get(1));
                if pending {
                    report(&format!(
                        "finishing the detach of {partition} from {parent} an earlier run left pending"
                    ));
                    self.db
                        .client
                        .batch_execute(&format!("ALTER TABLE {parent} DETACH PARTITION {partition} FINALIZE"))
                        .await
                        .map_err(fail)?;
                    return Ok(true);
                }
                if !attached {
                    report(&format!(
                        "{partition} is detached from {parent} already (an earlier run stopped after detaching it)"
                    ));
                }
                Ok(!attached)
            }
        }
    }
}

/// The object's own name from `view public.order_totals`, `policy p on t`
/// or `function public.f(integer)`: `order_totals`, `p`, `f`.
fn bare_name(object: &str) -> &str {
    let name = object
        .strip_prefix("materialized view ")
        .or_else(|| object.split_once(' ').map(|(_, rest)| rest))
        .unwrap_or(object);
    let name = name.split(" on ").next().unwrap_or(name);
    let name = name.split('(').next().unwrap_or(name);
    name.rsplit('.').next().unwrap_or(name).trim_matches('"')
}

/// Consecutive statements that can share a transaction, and each one that
/// cannot (or must not: a constraint's validation) on its own. A revision without statements is one empty segment,
/// so that it is still recorded.
fn segments(pieces: &[Piece]) -> Vec<Vec<Piece>> {
    let mut out: Vec<Vec<Piece>> = Vec::new();
    let mut alone_last = false;
    for piece in pieces {
        let alone = crate::revision::split::runs_alone(&piece.sql);
        let joins = piece.transactional
            && !alone
            && !alone_last
            && out.last().is_some_and(|s| s.iter().all(|p| p.transactional));
        alone_last = alone;
        match out.last_mut() {
            Some(segment) if joins => segment.push(piece.clone()),
            _ => out.push(vec![piece.clone()]),
        }
    }
    if out.is_empty() {
        out.push(Vec::new());
    }
    out
}

/// The 1-based line in `text` where the statement (or the server's
/// position in it) is, and the column when there is a position.
fn place_in(text: &str, piece: &Piece, position: Option<usize>) -> (usize, Option<usize>) {
    let Some(position) = position else {
        return (piece.line, None);
    };
    // The position counts characters from 1.
    let offset = piece
        .sql
        .char_indices()
        .nth(position.saturating_sub(1))
        .map_or(piece.sql.len(), |(i, _)| i);
    let absolute = (piece.start + offset).min(text.len());
    let before = text.get(..absolute).unwrap_or("");
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, Some(column))
}

/// The server's error with its code, detail and hint.
fn server_message(error: &tokio_postgres::Error) -> String {
    match error.as_db_error() {
        Some(db) => {
            let mut out = format!("server: {} {}: {}", db.severity(), db.code().code(), db.message());
            if let Some(detail) = db.detail() {
                out.push_str(&format!("\n  detail: {detail}"));
            }
            if let Some(hint) = db.hint() {
                out.push_str(&format!("\n  hint: {hint}"));
            }
            if db.code() == &tokio_postgres::error::SqlState::OUT_OF_MEMORY && db.message().contains("shared memory") {
                out.push_str(
                    "\n  a revision runs in one transaction, and this one takes more locks than the server allows in one \
                     (max_locks_per_transaction x max_connections); raise max_locks_per_transaction (a restart is needed) \
                     or split the revision",
                );
            }
            out
        }
        None => format!("connection: {error}"),
    }
}

/// The client of a session, for the commands that read the database.
pub fn client<'a>(session: &'a Session<'_>) -> &'a Client {
    &session.db.client
}
