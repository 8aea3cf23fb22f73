//! Telling a progress display what a run is at: which revision, how many
//! of its statements, and how far a concurrent index build has come (read
//! from `pg_stat_progress_create_index` on a second connection).

use std::time::Duration;

use tokio_postgres::Client;

use super::{Direction, Session};
use crate::reflect::Database;
use crate::revision::Revision;

/// What a run is at, told as it happens.
pub enum Step<'a> {
    /// Revision `index` (from 1) of `total` starts.
    Revision {
        index: usize,
        total: usize,
        revision: &'a Revision,
        direction: Direction,
    },
    /// `done` of the current revision's `total` statements have run.
    Statements { done: usize, total: usize },
    /// How far the index build of the statement running now has come.
    IndexBuild(&'a IndexBuild),
}

/// One row of `pg_stat_progress_create_index`.
#[derive(Clone, Debug, Default)]
pub struct IndexBuild {
    /// The phase, in PostgreSQL's words ("building index: scanning table").
    pub phase: String,
    pub blocks_done: i64,
    pub blocks_total: i64,
    pub tuples_done: i64,
    pub tuples_total: i64,
}

/// Who is told, and where index builds are watched from.
pub struct Watcher {
    /// Told each step.
    pub step: Box<dyn Fn(&Step<'_>)>,
    /// The database's URL, for the second connection that watches index
    /// builds; `None`: they are not watched.
    pub monitor: Option<String>,
}

/// How often an index build's progress is read.
const POLL: Duration = Duration::from_millis(500);

/// Whether a statement builds an index concurrently, so that
/// `pg_stat_progress_create_index` reports on it.
fn builds_index(sql: &str) -> bool {
    if matches!(
        crate::revision::split::concurrent(sql),
        Some(crate::revision::split::Concurrent::Build { .. })
    ) {
        return true;
    }
    let mut words = sql
        .split(|c: char| c.is_whitespace() || c == ';' || c == '(')
        .filter(|w| !w.is_empty());
    words.next().is_some_and(|w| w.eq_ignore_ascii_case("reindex"))
        && words.take(4).any(|w| w.eq_ignore_ascii_case("concurrently"))
}

/// The progress of the build that backend `pid` runs, if it runs one.
async fn index_build(client: &Client, pid: i32) -> Result<Option<IndexBuild>, tokio_postgres::Error> {
    let row = client.query_opt(include_str!("index_build.sql"), &[&pid]).await?;
    Ok(row.map(|row| IndexBuild {
        phase: row.get::<_, Option<String>>(0).unwrap_or_default(),
        blocks_done: row.get::<_, Option<i64>>(1).unwrap_or(0),
        blocks_total: row.get::<_, Option<i64>>(2).unwrap_or(0),
        tuples_done: row.get::<_, Option<i64>>(3).unwrap_or(0),
        tuples_total: row.get::<_, Option<i64>>(4).unwrap_or(0),
    }))
}

impl Session<'_> {
    /// Tells `watcher` what the runs of this session are at.
    pub fn watch(&mut self, watcher: Watcher) {
        self.watcher = Some(watcher);
    }

    /// Tells the watcher, if there is one.
    pub(super) fn tell(&self, step: &Step<'_>) {
        if let Some(watcher) = &self.watcher {
            (watcher.step)(step);
        }
    }

    /// Runs a statement that runs outside a transaction; one that builds
    /// an index has its progress read every half second meanwhile, each
    /// read its own short statement on a second connection (opened the
    /// first time, and given up for good when it cannot be).
    pub(super) async fn execute_alone(&self, sql: &str) -> Result<(), tokio_postgres::Error> {
        let url = self.watcher.as_ref().and_then(|w| w.monitor.as_deref());
        let Some(url) = url.filter(|_| builds_index(sql)) else {
            return self.db.client.batch_execute(sql).await;
        };
        let Some(monitor) = self.monitor(url).await else {
            return self.db.client.batch_execute(sql).await;
        };
        let pid = match self.backend_pid.get() {
            Some(pid) => pid,
            None => {
                let pid: i32 = self.db.client.query_one("SELECT pg_backend_pid()", &[]).await?.get(0);
                self.backend_pid.set(Some(pid));
                pid
            }
        };
        let statement = self.db.client.batch_execute(sql);
        tokio::pin!(statement);
        let mut ticks = tokio::time::interval(POLL);
        let mut watching = true;
        loop {
            tokio::select! {
                result = &mut statement => return result,
                _ = ticks.tick(), if watching => match index_build(&monitor.client, pid).await {
                    Ok(Some(build)) => self.tell(&Step::IndexBuild(&build)),
                    Ok(None) => {}
                    // Only the display loses by it.
                    Err(_) => watching = false,
                },
            }
        }
    }

    /// The second connection, for watching index builds.
    async fn monitor(&self, url: &str) -> Option<&Database> {
        self.monitor
            .get_or_init(|| async { crate::reflect::connect(url).await.ok() })
            .await
            .as_ref()
    }
}

#[cfg(test)]
mod tests {
    use super::builds_index;

    #[test]
    fn index_builds_are_told_apart() {
        assert!(builds_index("CREATE INDEX CONCURRENTLY i ON t (a);"));
        assert!(builds_index(
            "create unique index concurrently if not exists i on s.t (a)"
        ));
        assert!(builds_index("REINDEX INDEX CONCURRENTLY i;"));
        assert!(builds_index("reindex (verbose) table concurrently t"));
        assert!(!builds_index("DROP INDEX CONCURRENTLY i;"));
        assert!(!builds_index("REINDEX TABLE t;"));
        assert!(!builds_index("VACUUM t;"));
    }
}
