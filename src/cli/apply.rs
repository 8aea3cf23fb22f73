//! The revision commands that talk to a database (or print what they would
//! run): `upgrade`, `downgrade`, `current`, `history`, `stamp`, `drift`,
//! `verify`.

use std::collections::BTreeSet;

use super::revisions::{open, snapshot};
use super::{database, fail};
use crate::apply::{self, Applied, ApplyError, Direction, RunOptions, Session, State};
use crate::ir::Schema;
use crate::plan::{self, PlanOptions};
use crate::project::Project;
use crate::reflect::{self, Database, DbError};
use crate::revision::{BASE, History, Revision};

/// Where and how to run.
pub(super) struct Target {
    pub db: Option<String>,
    pub lock_timeout: Option<String>,
    pub statement_timeout: Option<String>,
}

impl Target {
    fn options(&self) -> RunOptions {
        RunOptions {
            lock_timeout: self.lock_timeout.clone(),
            statement_timeout: self.statement_timeout.clone(),
        }
    }
}

fn progress(line: &str) {
    // Revision messages and names come from files and databases.
    errln!("{}", crate::diag::printable(line));
}

/// Runs a database command on a small runtime; errors become status 1.
fn on_database<T>(work: impl std::future::Future<Output = Result<T, ApplyError>>) -> Result<T, u8> {
    let runtime = database::runtime().map_err(fail)?;
    runtime.block_on(work).map_err(|e| {
        errln!("error: {e}");
        1
    })
}

/// `trellisc upgrade [TARGET] [--sql [--from REV]]`.
pub(super) fn upgrade(target: Option<String>, sql: bool, from: Option<String>, how: Target) -> u8 {
    let (project, history) = match open() {
        Ok(opened) => opened,
        Err(status) => return status,
    };
    if history.revisions.is_empty() {
        return fail(format!(
            "{} has no revisions yet; write one with `trellisc revision -m MESSAGE`",
            project.versions.display()
        ));
    }
    let target = match history.resolve(target.as_deref().unwrap_or("head")) {
        Ok(target) => target,
        Err(e) => return fail(e),
    };
    if sql {
        // The header names the full id, not the prefix typed.
        let (skip, from) = match from.as_deref() {
            None => (BTreeSet::new(), BASE),
            Some(name) if crate::revision::is_base(name) => (BTreeSet::new(), BASE),
            Some(name) => match history.resolve(name) {
                Ok(from) => (history.ancestors(&from.id), from.id.as_str()),
                Err(e) => return fail(e),
            },
        };
        let wanted: BTreeSet<String> = history.ancestors(&target.id).difference(&skip).cloned().collect();
        let revisions = history.in_order(&wanted);
        let title = format!(
            "trellisc upgrade from {} to {} ({} revision(s))",
            from,
            target.id,
            revisions.len()
        );
        out!(
            "{}",
            apply::script(&project.version_table, &revisions, Direction::Upgrade, &title)
        );
        return 0;
    }
    let url = match project.database_url(how.db.as_deref()) {
        Ok(url) => url,
        Err(e) => return fail(e),
    };
    let result = on_database(async {
        let session = Session::open(&url, &project.version_table, &history, &how.options(), progress).await?;
        let count = session.upgrade(Some(target), progress).await?;
        Ok((count, session.description().to_string()))
    });
    match result {
        Ok((0, description)) => outln!("{description} is already at {}; nothing to do", target.id),
        Ok((count, description)) => outln!(
            "applied {count} revision(s); {description} is at {}  {}",
            target.id,
            target.message
        ),
        Err(status) => return status,
    }
    0
}

/// Which applied revisions a downgrade target takes away, newest first.
fn to_remove<'h>(history: &'h History, applied: &[String], target: &str) -> Result<Vec<&'h Revision>, String> {
    let remove: Vec<String> = if crate::revision::is_base(target) {
        applied.iter().rev().cloned().collect()
    } else if let Some(count) = target.strip_prefix('-') {
        let count: usize = count
            .parse()
            .map_err(|_| format!("{target:?}: expected -N (a number of revisions), a revision id, or base"))?;
        if count > applied.len() {
            return Err(format!(
                "{target}: only {} revision(s) are applied; use `base` to undo them all",
                applied.len()
            ));
        }
        applied.iter().rev().take(count).cloned().collect()
    } else {
        let keep = history.resolve(target)?;
        if !applied.contains(&keep.id) {
            return Err(format!(
                "revision {} is not applied, so there is nothing to go back to; `trellisc history` shows what is",
                keep.id
            ));
        }
        let keep = history.ancestors(&keep.id);
        applied.iter().rev().filter(|id| !keep.contains(*id)).cloned().collect()
    };
    let removed: BTreeSet<&String> = remove.iter().collect();
    for id in applied.iter().filter(|id| !removed.contains(id)) {
        if let Some(below) = history.ancestors(id).iter().find(|a| removed.contains(a)) {
            return Err(format!(
                "cannot undo {below} alone: revision {id}, which builds on it, stays applied; downgrade to a revision before both"
            ));
        }
    }
    Ok(remove.iter().filter_map(|id| history.get(id)).collect())
}

/// `trellisc downgrade TARGET [--sql [--from REV]]`.
pub(super) fn downgrade(target: String, sql: bool, from: Option<String>, how: Target) -> u8 {
    let (project, history) = match open() {
        Ok(opened) => opened,
        Err(status) => return status,
    };
    if sql {
        let from = match history.resolve(from.as_deref().unwrap_or("head")) {
            Ok(from) => from,
            Err(e) => return fail(e),
        };
        let applied: Vec<String> = history
            .in_order(&history.ancestors(&from.id))
            .into_iter()
            .map(|r| r.id.clone())
            .collect();
        let remove = match to_remove(&history, &applied, &target) {
            Ok(remove) => remove,
            Err(e) => return fail(e),
        };
        // Full ids in the header, whatever prefix or case was typed.
        let to = if crate::revision::is_base(&target) {
            BASE
        } else {
            history.resolve(&target).map_or(target.as_str(), |r| r.id.as_str())
        };
        let title = format!(
            "trellisc downgrade from {} to {to} ({} revision(s))",
            from.id,
            remove.len()
        );
        out!(
            "{}",
            apply::script(&project.version_table, &remove, Direction::Downgrade, &title)
        );
        return 0;
    }
    let url = match project.database_url(how.db.as_deref()) {
        Ok(url) => url,
        Err(e) => return fail(e),
    };
    let result = on_database(async {
        let session = Session::open(&url, &project.version_table, &history, &how.options(), progress).await?;
        let applied = session.applied_known().await?;
        let ids: Vec<String> = applied.iter().map(|a| a.revision.clone()).collect();
        let remove = to_remove(&history, &ids, &target).map_err(ApplyError::History)?;
        let count = session.downgrade(&remove, progress).await?;
        let now = session.applied_known().await?;
        Ok((count, session.description().to_string(), now))
    });
    match result {
        Ok((count, description, now)) => {
            outln!(
                "undid {count} revision(s); {description} is at {}",
                describe_position(&history, &now)
            );
            0
        }
        Err(status) => status,
    }
}

/// The applied revisions that no other applied revision builds on.
fn applied_heads<'a>(history: &History, applied: &'a [Applied]) -> Vec<&'a Applied> {
    let parents: BTreeSet<&str> = applied
        .iter()
        .filter_map(|a| history.get(&a.revision))
        .flat_map(|r| r.parents.iter().map(String::as_str))
        .collect();
    applied
        .iter()
        .filter(|a| !parents.contains(a.revision.as_str()))
        .collect()
}

fn describe_position(history: &History, applied: &[Applied]) -> String {
    let heads = applied_heads(history, applied);
    if heads.is_empty() {
        return "base (no revisions applied)".into();
    }
    heads
        .iter()
        .map(|a| {
            let partial = match a.state {
                State::Applied => String::new(),
                _ if a.undoing => " [stopped while undoing the part of its upgrade that ran]".to_string(),
                state => format!(
                    " [stopped while {}, after {} statement(s)]",
                    state.as_str(),
                    a.statements_done
                ),
            };
            format!("{}  {}{partial}", a.revision, a.message)
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// `trellisc current`.
pub(super) fn current(db: Option<String>) -> u8 {
    let (project, history) = match open() {
        Ok(opened) => opened,
        Err(status) => return status,
    };
    let url = match project.database_url(db.as_deref()) {
        Ok(url) => url,
        Err(e) => return fail(e),
    };
    let result = on_database(async {
        let session = Session::read_only(&url, &project.version_table, &history).await?;
        let applied = session.applied_known().await?;
        Ok((applied, session.description().to_string()))
    });
    let (applied, description) = match result {
        Ok(found) => found,
        Err(status) => return status,
    };
    let head = history.heads();
    let heads = applied_heads(&history, &applied);
    outln!("{description}: {}", describe_position(&history, &applied));
    for a in applied.iter().filter(|a| a.state != State::Applied) {
        let next = match a.state {
            _ if a.undoing => "`trellisc downgrade` finishes undoing it (planned again from what the database has); `trellisc upgrade` refuses until then".to_string(),
            State::Upgrading => format!(
                "`trellisc upgrade` runs the rest of it from statement {} (an index build that failed or was interrupted is dropped and built again); `trellisc downgrade` undoes the part that ran",
                a.statements_done + 1
            ),
            _ => format!(
                "`trellisc downgrade` runs the rest of its downgrade from statement {}; `trellisc upgrade` refuses until then",
                a.statements_done + 1
            ),
        };
        outln!("revision {} stopped part way: {next}", a.revision);
    }
    let at_head = heads.len() == 1 && head.len() == 1 && heads[0].revision == head[0].id;
    if at_head {
        outln!("(head: nothing to upgrade)");
    } else if let [head] = head.as_slice() {
        let have: BTreeSet<String> = applied.iter().map(|a| a.revision.clone()).collect();
        let pending = history.ancestors(&head.id).difference(&have).count();
        outln!("{pending} revision(s) to apply to reach head {}", head.id);
    }
    0
}

/// `trellisc history`: newest first, with applied marks when a database is
/// given.
pub(super) fn history(db: Option<String>) -> u8 {
    let (project, history) = match open() {
        Ok(opened) => opened,
        Err(status) => return status,
    };
    let url = db.or_else(|| std::env::var(&project.database_url_env).ok().filter(|u| !u.is_empty()));
    let applied = match &url {
        Some(url) => match on_database(async {
            let session = Session::read_only(url, &project.version_table, &history).await?;
            session.applied().await
        }) {
            Ok(applied) => Some(applied),
            Err(status) => return status,
        },
        None => None,
    };
    if history.revisions.is_empty() {
        outln!("no revisions yet in {}", project.versions.display());
        return 0;
    }
    let heads: BTreeSet<&str> = history.heads().iter().map(|r| r.id.as_str()).collect();
    let mut children: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for revision in &history.revisions {
        for parent in &revision.parents {
            *children.entry(parent.as_str()).or_default() += 1;
        }
    }
    for revision in history.revisions.iter().rev() {
        let mark = match &applied {
            None => "",
            Some(rows) => match rows.iter().find(|a| a.revision == revision.id) {
                Some(a) if a.state == State::Applied => "* ",
                Some(_) => "~ ",
                None => "  ",
            },
        };
        let mut tags = Vec::new();
        if heads.contains(revision.id.as_str()) {
            tags.push("head".to_string());
        }
        if revision.is_merge() {
            tags.push(format!("merges {}", revision.parents.join(", ")));
        }
        if children.get(revision.id.as_str()).is_some_and(|&n| n > 1) {
            tags.push("branch point".into());
        }
        let tags = if tags.is_empty() {
            String::new()
        } else {
            format!(" ({})", tags.join("; "))
        };
        outln!("{mark}{}  {}{tags}", revision.id, revision.message);
    }
    if applied.is_some() {
        outln!("(* applied, ~ stopped part way)");
    }
    if heads.len() > 1 {
        outln!("{} heads: run `trellisc merge` to join the branches", heads.len());
    }
    0
}

/// `trellisc stamp REV`: records the database as being at REV.
pub(super) fn stamp(target: String, db: Option<String>) -> u8 {
    let (project, history) = match open() {
        Ok(opened) => opened,
        Err(status) => return status,
    };
    let keep = if crate::revision::is_base(&target) {
        BTreeSet::new()
    } else {
        match history.resolve(&target) {
            Ok(revision) => history.ancestors(&revision.id),
            Err(e) => return fail(e),
        }
    };
    let url = match project.database_url(db.as_deref()) {
        Ok(url) => url,
        Err(e) => return fail(e),
    };
    let options = RunOptions::default();
    let result = on_database(async {
        let session = Session::open(&url, &project.version_table, &history, &options, progress).await?;
        session.stamp(&keep).await?;
        Ok(session.description().to_string())
    });
    match result {
        Ok(description) => {
            outln!("{description} is recorded at {target}; no SQL was run");
            0
        }
        Err(status) => status,
    }
}

/// How the database differs from a schema: None when it does not.
async fn compare(database: &Database, project: &Project, expected: &Schema) -> Result<Option<String>, DbError> {
    let mut options = database::options(&[], Some(expected));
    options.exclude_tables = vec![project.version_table.clone()];
    let reflected = reflect::reflect(database, &options)
        .await
        .map_err(|e| DbError::from_postgres(&database.description, &e))?;
    database::warn_unmanaged(database, &reflected);
    let mut expected = expected.clone();
    database::normalize(database, &reflected.schema, &mut expected).await;
    let upgrade = plan::upgrade(&reflected.schema, &expected, PlanOptions::default());
    if upgrade.is_empty() {
        return Ok(None);
    }
    let downgrade = plan::downgrade(&reflected.schema, &expected, PlanOptions::default());
    Ok(Some(super::diff::summary(&upgrade, &downgrade)))
}

/// `trellisc drift`: whether the database still is what its revision says.
pub(super) fn drift(db: Option<String>) -> u8 {
    let (project, history) = match open() {
        Ok(opened) => opened,
        Err(status) => return status,
    };
    let url = match project.database_url(db.as_deref()) {
        Ok(url) => url,
        Err(e) => return fail(e),
    };
    let result = on_database(async {
        let session = Session::read_only(&url, &project.version_table, &history).await?;
        let applied = session.applied_known().await?;
        let description = session.description().to_string();
        let heads: Vec<Applied> = applied_heads(&history, &applied).into_iter().cloned().collect();
        let at = match heads.as_slice() {
            [] => None,
            [one] if one.state == State::Applied => history.get(&one.revision),
            _ => {
                return Err(ApplyError::History(format!(
                    "{description} is at {}: there is no single revision to compare with; finish or merge first",
                    describe_position(&history, &applied)
                )));
            }
        };
        let expected = snapshot(at).map_err(ApplyError::History)?;
        let found = compare(session.database(), &project, &expected).await?;
        Ok((description, at.map(|r| r.id.clone()), found))
    });
    match result {
        Ok((description, at, None)) => {
            outln!(
                "no drift: {description} matches {}",
                at.map_or("the empty schema (no revisions applied)".into(), |id| format!(
                    "revision {id}"
                ))
            );
            0
        }
        Ok((description, at, Some(summary))) => {
            outln!(
                "{description} has drifted from {}; to bring it back:",
                at.map_or("the empty schema (no revisions applied)".into(), |id| format!(
                    "revision {id}"
                ))
            );
            out!("{summary}");
            2
        }
        Err(status) => status,
    }
}

/// `trellisc verify --db SCRATCH`: every revision up and down on an empty
/// database, each step compared with its snapshot.
pub(super) fn verify(db: Option<String>) -> u8 {
    let (project, history) = match open() {
        Ok(opened) => opened,
        Err(status) => return status,
    };
    let Some(url) = db else {
        return fail("verify needs a scratch database: --db postgres://.../scratch (it is filled and emptied again)");
    };
    let result = on_database(async {
        let session = Session::open(&url, &project.version_table, &history, &RunOptions::default(), |_| {}).await?;
        let mut options = database::options(&[], None);
        options.exclude_tables = vec![project.version_table.clone()];
        let found = reflect::reflect(session.database(), &options)
            .await
            .map_err(|e| DbError::from_postgres(session.description(), &e))?;
        let applied = session.applied().await?;
        // Who may use the `public` schema does not make a database full.
        let objects = Schema {
            privileges: Default::default(),
            ..found.schema
        };
        if objects != Schema::default() || !applied.is_empty() {
            return Err(ApplyError::History(format!(
                "{} is not empty; verify fills and empties the database it is given, so give it a scratch one (createdb)",
                session.description()
            )));
        }
        let mut checked = 0;
        let mut step = |label: String, expected: Option<Schema>, problem: Option<String>| -> Result<(), ApplyError> {
            match (expected, problem) {
                (_, Some(summary)) => Err(ApplyError::History(format!(
                    "{label}: the database differs from what the revision says it should be; it would take:\n{summary}"
                ))),
                (None, None) => {
                    outln!("{label}: not compared (branches applied together)");
                    Ok(())
                }
                (Some(_), None) => {
                    checked += 1;
                    outln!("{label}: ok");
                    Ok(())
                }
            }
        };
        let mut done: BTreeSet<String> = BTreeSet::new();
        for revision in &history.revisions {
            session.upgrade(Some(revision), |_| {}).await?;
            done.insert(revision.id.clone());
            let label = format!("up   {}  {}", revision.id, revision.message);
            if history.ancestors(&revision.id) == done {
                let expected = revision.snapshot().map_err(ApplyError::History)?;
                let problem = compare(session.database(), &project, &expected).await?;
                step(label, Some(expected), problem)?;
            } else {
                step(label, None, None)?;
            }
        }
        for revision in history.revisions.iter().rev() {
            session.downgrade(&[revision], |_| {}).await?;
            done.remove(&revision.id);
            let label = format!("down {}  {}", revision.id, revision.message);
            let below = history.revisions.iter().rev().find(|r| done.contains(&r.id));
            let matches = match below {
                Some(r) => history.ancestors(&r.id) == done,
                None => true,
            };
            if matches {
                let expected = snapshot(below).map_err(ApplyError::History)?;
                let problem = compare(session.database(), &project, &expected).await?;
                step(label, Some(expected), problem)?;
            } else {
                step(label, None, None)?;
            }
        }
        let drop = format!("DROP TABLE IF EXISTS {}", project.version_table.quoted());
        apply::client(&session)
            .batch_execute(&drop)
            .await
            .map_err(|e| DbError::from_postgres(session.description(), &e))?;
        Ok(checked)
    });
    match result {
        Ok(checked) => {
            outln!(
                "verified: {} revision(s) up and down, {checked} state(s) compared with their snapshots",
                history.revisions.len()
            );
            0
        }
        Err(status) => status,
    }
}
