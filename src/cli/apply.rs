//! The revision commands that talk to a database (or print what they would
//! run): `upgrade`, `downgrade`, `current`, `history`, `heads`, `show`,
//! `stamp`, `drift`, `verify`.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use super::revisions::{open, snapshot};
use super::{Format, database, fail};
use crate::apply::{self, Applied, ApplyError, Direction, Loss, RunOptions, Session, State};
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
    /// Downgrade only: undo revisions whose downgrade loses data.
    pub allow_destructive: bool,
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
    super::progress::line(&crate::diag::printable(line));
}

/// Runs a database command on a small runtime; errors become status 1.
fn on_database<T>(work: impl std::future::Future<Output = Result<T, ApplyError>>) -> Result<T, u8> {
    let runtime = database::runtime().map_err(fail)?;
    runtime.block_on(work).map_err(|e| {
        super::output::error(&format!("error: {e}"));
        1
    })
}

/// A revision as JSON names it: its id and message.
fn brief(revision: &Revision) -> Value {
    json!({ "id": revision.id, "message": revision.message })
}

/// What an `upgrade` target names.
enum Forward<'h> {
    /// These revisions and everything they descend from.
    To(Vec<&'h Revision>),
    /// The next N revisions toward the one head.
    Next(usize),
}

/// Reads an upgrade target: `head`, `heads`, `+N` or a revision.
fn forward<'h>(history: &'h History, name: &str) -> Result<Forward<'h>, String> {
    if name.eq_ignore_ascii_case("heads") {
        return Ok(Forward::To(history.heads()));
    }
    if let Some(count) = name.strip_prefix('+') {
        return match count.parse::<usize>() {
            Ok(count) if count > 0 => Ok(Forward::Next(count)),
            _ => Err(format!("{name:?}: expected +N, a number of revisions (1 or more)")),
        };
    }
    if name.starts_with('-') {
        return Err(format!(
            "upgrade goes forward; `trellisc downgrade {name}` undoes revisions"
        ));
    }
    if crate::revision::is_base(name) {
        return Err("base is before every revision; `trellisc downgrade base` undoes them all".into());
    }
    Ok(Forward::To(vec![history.resolve(name)?]))
}

/// The targets of `+N` for a database that has `have`: the next N of the
/// revisions between it and the one head, in order (each one's ancestors
/// that are missing come before it, so they are among the N).
fn next_revisions<'h>(
    history: &'h History,
    have: &BTreeSet<String>,
    count: usize,
) -> Result<Vec<&'h Revision>, String> {
    let head = history
        .head()?
        .ok_or_else(|| format!("{} has no revisions yet", history.dir.display()))?;
    let pending: Vec<&Revision> = history
        .in_order(&history.ancestors(&head.id))
        .into_iter()
        .filter(|r| !have.contains(&r.id))
        .collect();
    if pending.len() < count {
        return Err(format!(
            "+{count}: only {} revision(s) are left to apply up to head {}",
            pending.len(),
            head.id
        ));
    }
    Ok(pending[..count].to_vec())
}

/// The ids of revisions, joined for a message.
fn ids(revisions: &[&Revision]) -> String {
    if revisions.is_empty() {
        return BASE.to_string();
    }
    revisions.iter().map(|r| r.id.as_str()).collect::<Vec<_>>().join(", ")
}

/// `trellisc upgrade [TARGET] [--sql [--from REV]]`.
pub(super) fn upgrade(target: Option<String>, sql: bool, from: Option<String>, how: Target, format: Format) -> u8 {
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
    let forward = match forward(&history, target.as_deref().unwrap_or("head")) {
        Ok(forward) => forward,
        Err(e) => return fail(e),
    };
    if sql {
        // The header names full ids, not the prefix typed.
        let (skip, from) = match from.as_deref() {
            None => (BTreeSet::new(), BASE),
            Some(name) if crate::revision::is_base(name) => (BTreeSet::new(), BASE),
            Some(name) => match history.resolve(name) {
                Ok(from) => (history.ancestors(&from.id), from.id.as_str()),
                Err(e) => return fail(e),
            },
        };
        let targets = match forward {
            Forward::To(targets) => targets,
            Forward::Next(count) => match next_revisions(&history, &skip, count) {
                Ok(targets) => targets,
                Err(e) => return fail(e),
            },
        };
        let wanted: BTreeSet<String> = targets
            .iter()
            .flat_map(|t| history.ancestors(&t.id))
            .filter(|id| !skip.contains(id))
            .collect();
        let revisions = history.in_order(&wanted);
        let title = format!(
            "trellisc upgrade from {} to {} ({} revision(s))",
            from,
            ids(&targets),
            revisions.len()
        );
        let script = apply::script(&project.version_table, &revisions, Direction::Upgrade, &title);
        match format {
            Format::Text => out!("{script}"),
            Format::Json => super::output::print_json(&json!({
                "version": 1,
                "from": from,
                "to": targets.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(),
                "revisions": revisions.iter().map(|r| brief(r)).collect::<Vec<_>>(),
                "sql": script,
            })),
        }
        return 0;
    }
    let url = match project.database_url(how.db.as_deref()) {
        Ok(url) => url,
        Err(e) => return fail(e),
    };
    // What a revision says with RAISE NOTICE is shown, as psql shows it.
    reflect::show_notices(super::progress::notice);
    let result = on_database(async {
        let mut session = Session::open(&url, &project.version_table, &history, &how.options(), progress).await?;
        if let Some(watcher) = super::progress::revisions(&url) {
            session.watch(watcher);
        }
        let targets = match forward {
            Forward::To(targets) => targets,
            Forward::Next(count) => {
                let applied = session.applied_known().await?;
                next_revisions(&history, &apply::applied_ids(&applied), count).map_err(ApplyError::History)?
            }
        };
        let done = session.upgrade(&targets, progress).await?;
        let now = session.applied_known().await?;
        Ok((targets, done, session.description().to_string(), now))
    });
    let (targets, done, description, now) = match result {
        Ok(found) => found,
        Err(status) => return status,
    };
    let position = describe_position(&history, &now);
    match format {
        Format::Json => super::output::print_json(&json!({
            "version": 1,
            "database": description,
            "applied": done.iter().filter_map(|id| history.get(id)).map(brief).collect::<Vec<_>>(),
            "at": position_json(&history, &now),
        })),
        Format::Text if done.is_empty() => {
            outln!("{description} is already at {}; nothing to do", ids(&targets))
        }
        Format::Text => outln!("applied {} revision(s); {description} is at {position}", done.len()),
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
pub(super) fn downgrade(target: String, sql: bool, from: Option<String>, how: Target, format: Format) -> u8 {
    let (project, history) = match open() {
        Ok(opened) => opened,
        Err(status) => return status,
    };
    if target.starts_with('+') {
        return fail(format!(
            "downgrade goes back; `trellisc upgrade {target}` applies revisions"
        ));
    }
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
            BASE.to_string()
        } else if target.starts_with('-') {
            let left: Vec<&str> = applied
                .iter()
                .filter(|id| !remove.iter().any(|r| &r.id == *id))
                .map(String::as_str)
                .collect();
            left.last().map_or(BASE.to_string(), |id| id.to_string())
        } else {
            history.resolve(&target).map_or(target.clone(), |r| r.id.clone())
        };
        let title = format!(
            "trellisc downgrade from {} to {to} ({} revision(s))",
            from.id,
            remove.len()
        );
        let script = apply::script(&project.version_table, &remove, Direction::Downgrade, &title);
        match format {
            Format::Text => out!("{script}"),
            Format::Json => super::output::print_json(&json!({
                "version": 1,
                "from": from.id,
                "to": to,
                "revisions": remove.iter().map(|r| brief(r)).collect::<Vec<_>>(),
                "sql": script,
            })),
        }
        return 0;
    }
    let url = match project.database_url(how.db.as_deref()) {
        Ok(url) => url,
        Err(e) => return fail(e),
    };
    reflect::show_notices(super::progress::notice);
    let result = on_database(async {
        let mut session = Session::open(&url, &project.version_table, &history, &how.options(), progress).await?;
        if let Some(watcher) = super::progress::revisions(&url) {
            session.watch(watcher);
        }
        let applied = session.applied_known().await?;
        let ids: Vec<String> = applied.iter().map(|a| a.revision.clone()).collect();
        let remove = to_remove(&history, &ids, &target).map_err(ApplyError::History)?;
        // A revision stopped part way is undone from what the database has,
        // which refuses by itself what would lose data; the others are
        // judged by their downgrade.
        let whole: Vec<&Revision> = remove
            .iter()
            .copied()
            .filter(|r| {
                !applied
                    .iter()
                    .any(|a| a.revision == r.id && (a.state == State::Upgrading || a.undoing))
            })
            .collect();
        let losses = session.losses(&whole, project.postgres).await?;
        if !how.allow_destructive && losses.iter().any(|l| !l.loses_nothing()) {
            return Err(ApplyError::History(refusal(session.description(), &losses)));
        }
        let done = session.downgrade(&remove, progress).await?;
        let now = session.applied_known().await?;
        Ok((done, session.description().to_string(), now, losses))
    });
    let (done, description, now, losses) = match result {
        Ok(found) => found,
        Err(status) => return status,
    };
    match format {
        Format::Json => super::output::print_json(&json!({
            "version": 1,
            "database": description,
            "undone": done.iter().filter_map(|id| history.get(id)).map(brief).collect::<Vec<_>>(),
            "at": position_json(&history, &now),
            "losses": losses.iter().map(loss_json).collect::<Vec<_>>(),
        })),
        Format::Text => outln!(
            "undid {} revision(s); {description} is at {}",
            done.len(),
            describe_position(&history, &now)
        ),
    }
    0
}

/// Why a downgrade that loses data was not run: each loss with its
/// table's rows.
fn refusal(description: &str, losses: &[Loss]) -> String {
    let mut text = format!(
        "downgrade refused: undoing these revisions loses data in {}; nothing was run:",
        crate::diag::printable(description)
    );
    for loss in losses.iter().filter(|l| !l.loses_nothing()) {
        let rows = match (&loss.table, loss.rows) {
            (Some(table), Some(rows)) => format!(" ({table} holds {rows})"),
            (Some(table), None) => format!(" ({table}: its rows could not be counted)"),
            (None, _) => String::new(),
        };
        // Names come from files and databases: each line stays one line.
        let line = format!("revision {}: {}{rows}", loss.revision, loss.message);
        text.push_str(&format!("\n  {}", crate::diag::printable(&line)));
    }
    text.push_str("\nrerun with --allow-destructive to accept the loss (back up the data first), or copy it elsewhere before the downgrade");
    text
}

fn loss_json(loss: &Loss) -> Value {
    let (rows, more) = match loss.rows {
        Some(apply::Rows::Exactly(n)) => (Some(n), false),
        Some(apply::Rows::MoreThan(n)) => (Some(n), true),
        None => (None, false),
    };
    json!({
        "revision": loss.revision,
        "message": loss.message,
        "table": loss.table.as_ref().map(|t| t.to_string()),
        "rows": rows,
        "more_rows": more,
    })
}

/// Where the database is, as JSON: the applied revisions nothing applied
/// builds on, each with its state.
fn position_json(history: &History, applied: &[Applied]) -> Value {
    Value::Array(
        applied_heads(history, applied)
            .into_iter()
            .map(|a| {
                json!({
                    "id": a.revision,
                    "message": a.message,
                    "state": a.state.as_str(),
                    "undoing": a.undoing,
                    "statements_done": a.statements_done,
                })
            })
            .collect(),
    )
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

/// The database's rows for revisions this checkout does not have (applied
/// from a newer checkout or another branch).
fn unknown_json(unknown: &[Applied]) -> Value {
    Value::Array(
        unknown
            .iter()
            .map(|a| json!({ "id": a.revision, "message": a.message, "applied_at": a.applied_at, "applied_by": a.applied_by }))
            .collect(),
    )
}

/// Says which revisions the database has that this checkout lacks.
fn say_unknown(description: &str, unknown: &[Applied]) {
    for a in unknown {
        outln!(
            "{}",
            crate::diag::printable(&format!(
                "! {description} has revision {}  {} (applied {} by {}), which this checkout does not have: update it (git pull) or switch to the branch that has it",
                a.revision, a.message, a.applied_at, a.applied_by
            ))
        );
    }
}

/// `trellisc current`.
pub(super) fn current(db: Option<String>, format: Format) -> u8 {
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
        let applied = session.applied().await?;
        Ok((applied, session.description().to_string()))
    });
    let (applied, description) = match result {
        Ok(found) => found,
        Err(status) => return status,
    };
    let (applied, unknown): (Vec<Applied>, Vec<Applied>) =
        applied.into_iter().partition(|a| history.get(&a.revision).is_some());
    let head = history.heads();
    let heads = applied_heads(&history, &applied);
    let at_head = heads.len() == 1 && head.len() == 1 && heads[0].revision == head[0].id;
    let have: BTreeSet<String> = applied.iter().map(|a| a.revision.clone()).collect();
    let pending = match head.as_slice() {
        [head] => Some(history.ancestors(&head.id).difference(&have).count()),
        _ => None,
    };
    if format == Format::Json {
        super::output::print_json(&json!({
            "version": 1,
            "database": description,
            "at": position_json(&history, &applied),
            "heads": head.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
            "at_head": at_head,
            "pending": pending,
            "unknown": unknown_json(&unknown),
        }));
        return 0;
    }
    outln!("{description}: {}", describe_position(&history, &applied));
    say_unknown(&description, &unknown);
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
    if at_head {
        outln!("(head: nothing to upgrade)");
    } else if let ([head], Some(pending)) = (head.as_slice(), pending) {
        outln!("{pending} revision(s) to apply to reach head {}", head.id);
    }
    0
}

/// How many revisions name each revision as parent.
fn children_of(history: &History) -> std::collections::BTreeMap<&str, Vec<&str>> {
    let mut children: std::collections::BTreeMap<&str, Vec<&str>> = std::collections::BTreeMap::new();
    for revision in &history.revisions {
        for parent in &revision.parents {
            children.entry(parent.as_str()).or_default().push(revision.id.as_str());
        }
    }
    children
}

/// `trellisc history [-v]`: newest first, with applied marks when a
/// database is given.
pub(super) fn history(db: Option<String>, verbose: bool, format: Format) -> u8 {
    let (project, history) = match open() {
        Ok(opened) => opened,
        Err(status) => return status,
    };
    let url = db.or_else(|| std::env::var(&project.database_url_env).ok().filter(|u| !u.is_empty()));
    let found = match &url {
        Some(url) => match on_database(async {
            let session = Session::read_only(url, &project.version_table, &history).await?;
            Ok((session.applied().await?, session.description().to_string()))
        }) {
            Ok(found) => Some(found),
            Err(status) => return status,
        },
        None => None,
    };
    let (applied, description) = match found {
        Some((applied, description)) => (Some(applied), Some(description)),
        None => (None, None),
    };
    let unknown: Vec<Applied> = applied
        .iter()
        .flatten()
        .filter(|a| history.get(&a.revision).is_none())
        .cloned()
        .collect();
    let heads: BTreeSet<&str> = history.heads().iter().map(|r| r.id.as_str()).collect();
    let children = children_of(&history);
    let row_of = |revision: &Revision| {
        applied
            .as_ref()
            .and_then(|rows| rows.iter().find(|a| a.revision == revision.id))
    };
    if format == Format::Json {
        let revisions: Vec<Value> = history
            .revisions
            .iter()
            .rev()
            .map(|revision| {
                let applied = row_of(revision).map(|a| {
                    json!({ "state": a.state.as_str(), "at": a.applied_at, "by": a.applied_by, "statements_done": a.statements_done })
                });
                json!({
                    "id": revision.id,
                    "message": revision.message,
                    "created": revision.created,
                    "parents": revision.parents,
                    "children": children.get(revision.id.as_str()).cloned().unwrap_or_default(),
                    "file": revision.path.display().to_string(),
                    "head": heads.contains(revision.id.as_str()),
                    "applied": applied,
                })
            })
            .collect();
        super::output::print_json(&json!({
            "version": 1,
            "database": description,
            "heads": heads.iter().collect::<Vec<_>>(),
            "revisions": revisions,
            "unknown": unknown_json(&unknown),
        }));
        return 0;
    }
    if let Some(description) = &description {
        say_unknown(description, &unknown);
    }
    if history.revisions.is_empty() {
        outln!("no revisions yet in {}", project.versions.display());
        return 0;
    }
    for revision in history.revisions.iter().rev() {
        let row = row_of(revision);
        let mark = match (&applied, row) {
            (None, _) => "",
            (Some(_), Some(a)) if a.state == State::Applied => "* ",
            (Some(_), Some(_)) => "~ ",
            (Some(_), None) => "  ",
        };
        let mut tags = Vec::new();
        if heads.contains(revision.id.as_str()) {
            tags.push("head".to_string());
        }
        if revision.is_merge() {
            tags.push(format!("merges {}", revision.parents.join(", ")));
        }
        if children.get(revision.id.as_str()).is_some_and(|c| c.len() > 1) {
            tags.push("branch point".into());
        }
        let tags = if tags.is_empty() {
            String::new()
        } else {
            format!(" ({})", tags.join("; "))
        };
        outln!(
            "{mark}{}  {}{tags}",
            revision.id,
            crate::diag::printable(&revision.message)
        );
        if verbose {
            let indent = if applied.is_some() { "      " } else { "    " };
            outln!("{indent}created  {}", revision.created);
            outln!(
                "{indent}parents  {}",
                if revision.parents.is_empty() {
                    "none (the first revision)".to_string()
                } else {
                    revision.parents.join(", ")
                }
            );
            outln!("{indent}file     {}", revision.path.display());
            match row {
                Some(a) => outln!(
                    "{indent}applied  {} by {}{}",
                    a.applied_at,
                    crate::diag::printable(&a.applied_by),
                    match a.state {
                        State::Applied => String::new(),
                        state => format!(
                            " ({} part way, {} statement(s) done)",
                            state.as_str(),
                            a.statements_done
                        ),
                    }
                ),
                None if applied.is_some() => outln!("{indent}applied  no"),
                None => {}
            }
        }
    }
    if applied.is_some() {
        outln!("(* applied, ~ stopped part way)");
    }
    if heads.len() > 1 {
        outln!("{} heads: run `trellisc merge` to join the branches", heads.len());
    }
    0
}

/// `trellisc heads`: the revisions nothing builds on.
pub(super) fn heads(format: Format) -> u8 {
    let (project, history) = match open() {
        Ok(opened) => opened,
        Err(status) => return status,
    };
    let heads = history.heads();
    if format == Format::Json {
        super::output::print_json(&json!({
            "version": 1,
            "heads": heads.iter().map(|r| json!({
                "id": r.id,
                "message": r.message,
                "created": r.created,
                "file": r.path.display().to_string(),
            })).collect::<Vec<_>>(),
        }));
        return 0;
    }
    if heads.is_empty() {
        outln!("no revisions yet in {}", project.versions.display());
    }
    for head in &heads {
        outln!(
            "{}  {} ({})",
            head.id,
            crate::diag::printable(&head.message),
            head.created
        );
    }
    if heads.len() > 1 {
        outln!("{} heads: run `trellisc merge` to join the branches", heads.len());
    }
    0
}

/// `trellisc show REV`: one revision whole.
pub(super) fn show(target: &str, format: Format) -> u8 {
    let (_, history) = match open() {
        Ok(opened) => opened,
        Err(status) => return status,
    };
    let revision = match history.resolve(target) {
        Ok(revision) => revision,
        Err(e) => return fail(e),
    };
    let children = children_of(&history).remove(revision.id.as_str()).unwrap_or_default();
    let head = history.heads().iter().any(|h| h.id == revision.id);
    if format == Format::Json {
        super::output::print_json(&json!({
            "version": 1,
            "id": revision.id,
            "message": revision.message,
            "created": revision.created,
            "parents": revision.parents,
            "children": children,
            "head": head,
            "file": revision.path.display().to_string(),
            "snapshot": revision.snapshot_path().display().to_string(),
            "upgrade": revision.upgrade,
            "downgrade": revision.downgrade,
        }));
        return 0;
    }
    let none = |list: &[&str], empty: &str| {
        if list.is_empty() {
            empty.to_string()
        } else {
            list.join(", ")
        }
    };
    let parents: Vec<&str> = revision.parents.iter().map(String::as_str).collect();
    outln!("revision {}{}", revision.id, if head { " (head)" } else { "" });
    outln!("message   {}", crate::diag::printable(&revision.message));
    outln!("created   {}", revision.created);
    outln!("parents   {}", none(&parents, "none (the first revision)"));
    outln!("children  {}", none(&children, "none"));
    outln!("file      {}", revision.path.display());
    outln!("snapshot  {}", revision.snapshot_path().display());
    outln!();
    outln!("-- upgrade");
    out!("{}", with_newline(&revision.upgrade));
    outln!();
    outln!("-- downgrade");
    out!("{}", with_newline(&revision.downgrade));
    0
}

fn with_newline(text: &str) -> String {
    let text = text.trim_matches('\n');
    if text.is_empty() {
        "-- (nothing)\n".to_string()
    } else {
        format!("{text}\n")
    }
}

/// `trellisc stamp REV`: records the database as being at REV.
pub(super) fn stamp(target: String, db: Option<String>) -> u8 {
    let (project, history) = match open() {
        Ok(opened) => opened,
        Err(status) => return status,
    };
    let (keep, at) = if crate::revision::is_base(&target) {
        (BTreeSet::new(), BASE.to_string())
    } else {
        match history.resolve(&target) {
            Ok(revision) => (history.ancestors(&revision.id), revision.id.clone()),
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
            outln!("{description} is recorded at {at}; no SQL was run");
            0
        }
        Err(status) => status,
    }
}

/// A database and the schema it should have, when they differ: both as
/// compared (the expected one in the server's words).
struct Drifted {
    expected: Schema,
    found: Schema,
}

impl Drifted {
    /// What each side says, as `.trellis` text, line by line: `-` the
    /// revision's, `+` the database's, with two lines of context.
    fn difference(&self, revision: &str) -> String {
        let expected = crate::syntax::write_schema(&self.expected);
        let found = crate::syntax::write_schema(&self.found);
        similar::TextDiff::from_lines(&expected, &found)
            .unified_diff()
            .context_radius(2)
            .header(revision, "the database")
            .to_string()
    }
}

/// How the database differs from a schema: None when it does not.
async fn compare(database: &Database, project: &Project, expected: &Schema) -> Result<Option<Drifted>, DbError> {
    let mut options = database::options(&[], Some(expected));
    options.exclude_tables = vec![project.version_table.clone()];
    let reading = super::progress::reading(&database.description);
    let reflected = reflect::reflect(database, &options)
        .await
        .map_err(|e| DbError::from_postgres(&database.description, &e))?;
    reading.done(&reflected.schema);
    database::warn_unmanaged(database, &reflected);
    let mut expected = expected.clone();
    database::normalize(database, &reflected.schema, &mut expected).await;
    if plan::upgrade(&reflected.schema, &expected, PlanOptions::default()).is_empty() {
        return Ok(None);
    }
    Ok(Some(Drifted {
        expected,
        found: reflected.schema,
    }))
}

/// The summary of what it takes to bring a drifted database back.
fn summary(drifted: &Drifted) -> String {
    let upgrade = plan::upgrade(&drifted.found, &drifted.expected, PlanOptions::default());
    let downgrade = plan::downgrade(&drifted.found, &drifted.expected, PlanOptions::default());
    super::diff::summary(&upgrade, &downgrade)
}

/// What `drift` was asked for.
pub(super) struct DriftArgs {
    pub db: Option<String>,
    pub sql: bool,
    pub revision: bool,
    pub message: Option<String>,
    pub format: Format,
}

/// `trellisc drift`: whether the database still is what its revision says.
pub(super) fn drift(args: DriftArgs) -> u8 {
    let (project, history) = match open() {
        Ok(opened) => opened,
        Err(status) => return status,
    };
    let url = match project.database_url(args.db.as_deref()) {
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
        Ok((description, at, found))
    });
    let (description, at, found) = match result {
        Ok(found) => found,
        Err(status) => return status,
    };
    let name = at.map_or("the empty schema (no revisions applied)".into(), |r| {
        format!("revision {}", r.id)
    });
    if args.revision {
        return adopt(&project, &history, at, found, args.message, &description);
    }
    let Some(drifted) = found else {
        match (args.format, args.sql) {
            (Format::Json, _) => super::output::print_json(&json!({
                "version": 1,
                "database": description,
                "revision": at.map(|r| r.id.as_str()),
                "drifted": false,
            })),
            (Format::Text, true) => errln!("no drift: {description} matches {name}; no SQL to run"),
            (Format::Text, false) => outln!("no drift: {description} matches {name}"),
        }
        return 0;
    };
    let upgrade = plan::upgrade(&drifted.found, &drifted.expected, PlanOptions::default());
    let downgrade = plan::downgrade(&drifted.found, &drifted.expected, PlanOptions::default());
    let difference = drifted.difference(&name);
    match (args.format, args.sql) {
        (Format::Json, _) => super::output::print_json(&json!({
            "version": 1,
            "database": description,
            "revision": at.map(|r| r.id.as_str()),
            "drifted": true,
            "changes": super::diff::as_json(&upgrade, &downgrade),
            "difference": difference,
        })),
        (Format::Text, true) => out!("{}", crate::render::render_plan(&upgrade)),
        (Format::Text, false) => {
            outln!("{description} has drifted from {name}; to bring it back:");
            out!("{}", super::diff::summary(&upgrade, &downgrade));
            outln!("what differs (- {name}, + the database):");
            out!("{difference}");
            outln!(
                "next: `trellisc drift --sql` prints the SQL that brings it back; `trellisc drift --revision -m MESSAGE` writes a revision that keeps what it has"
            );
        }
    }
    2
}

/// `drift --revision`: a revision from the one the database is at to what
/// it has, so that other databases get the same; the database itself is
/// then stamped at it by hand.
fn adopt(
    project: &Project,
    history: &History,
    at: Option<&Revision>,
    found: Option<Drifted>,
    message: Option<String>,
    description: &str,
) -> u8 {
    let Some(drifted) = found else {
        outln!("no drift: {description} matches its revision; nothing written");
        return 0;
    };
    let head = match history.head() {
        Ok(head) => head,
        Err(e) => return fail(e),
    };
    if head.map(|h| &h.id) != at.map(|r| &r.id) {
        return fail(format!(
            "{description} is at {}, not at head {}: a revision that adopts its drift would branch the history; upgrade it to head first (or compare with `trellisc drift`)",
            at.map_or(BASE, |r| r.id.as_str()),
            head.map_or(BASE, |h| h.id.as_str())
        ));
    }
    let message = message.unwrap_or_else(|| format!("Adopt what {description} has"));
    if message.trim().is_empty() {
        return fail("the message is empty; say what the revision does, as for a commit");
    }
    let options = PlanOptions {
        online: false,
        postgres: project.postgres,
    };
    let upgrade = plan::upgrade(&drifted.expected, &drifted.found, options);
    let downgrade = plan::downgrade(&drifted.expected, &drifted.found, options);
    out!("{}", super::diff::summary(&upgrade, &downgrade));
    let destructive = upgrade
        .findings
        .iter()
        .filter(|f| f.kind == plan::FindingKind::Destructive)
        .count();
    if destructive > 0 {
        errln!(
            "warning: the new revision has {destructive} destructive step(s), marked in its SQL: it does to other databases what was done to this one, and they lose that data when they upgrade"
        );
    }
    let (id, created) = crate::revision::files::new_id();
    let parents: Vec<String> = at.map(|r| vec![r.id.clone()]).unwrap_or_default();
    let status = super::revisions::write_revision(
        project,
        &id,
        &parents,
        &message,
        &created,
        &crate::render::render_plan(&upgrade),
        &crate::render::render_plan(&downgrade),
        &drifted.found.without_renames(),
    );
    if status == 0 {
        outln!(
            "{description} has this already: record that with `trellisc stamp {id}`; change the schema directory to match too (`trellisc import` shows the database as source), or the next revision undoes it"
        );
    }
    status
}

/// What `verify` was asked for.
pub(super) struct VerifyArgs {
    pub db: Option<String>,
    pub scratch: Option<String>,
    pub keep: bool,
    pub format: Format,
}

/// One state `verify` reached.
struct Checked {
    direction: &'static str,
    revision: String,
    message: String,
    /// None: not compared (branches applied together).
    matches: Option<bool>,
    difference: Option<String>,
}

/// A scratch database `verify` made, to drop at the end.
struct Scratch {
    server: String,
    name: String,
}

/// Makes a scratch database beside the one `server` names.
async fn create_scratch(server: &str) -> Result<(Scratch, String), ApplyError> {
    let database = reflect::connect(server).await.map_err(ApplyError::Database)?;
    let mut random = [0u8; 4];
    if getrandom::fill(&mut random).is_err() {
        random = std::process::id().to_le_bytes();
    }
    let name = format!(
        "trellisc_verify_{}",
        random.iter().map(|b| format!("{b:02x}")).collect::<String>()
    );
    // template0: nothing the server's template1 was given (extensions,
    // tables) ends up in it.
    let sql = format!(
        "CREATE DATABASE {} TEMPLATE template0",
        crate::ir::Ident::new(name.as_str()).quoted()
    );
    if let Err(e) = database.client.batch_execute(&sql).await {
        let error = DbError::from_postgres(&database.description, &e);
        return Err(ApplyError::History(format!(
            "cannot create a scratch database on the server of {}: {}; give the role CREATEDB (ALTER ROLE ... CREATEDB), or pass --scratch URL of an empty database verify may fill",
            database.description, error.message
        )));
    }
    let url = reflect::with_dbname(server, &name)
        .map_err(|e| ApplyError::History(format!("cannot name the scratch database: {e}")))?;
    Ok((
        Scratch {
            server: server.to_string(),
            name,
        },
        url,
    ))
}

/// Drops a scratch database `verify` made (its sessions are ended).
async fn drop_scratch(scratch: &Scratch) -> Result<(), ApplyError> {
    let database = reflect::connect(&scratch.server).await.map_err(ApplyError::Database)?;
    let sql = format!(
        "DROP DATABASE IF EXISTS {} WITH (FORCE)",
        crate::ir::Ident::new(scratch.name.as_str()).quoted()
    );
    database
        .client
        .batch_execute(&sql)
        .await
        .map_err(|e| ApplyError::Database(DbError::from_postgres(&database.description, &e)))
}

/// `trellisc verify`: every revision up and down on a database of its own,
/// each step compared with its snapshot.
pub(super) fn verify(args: VerifyArgs) -> u8 {
    let (project, history) = match open() {
        Ok(opened) => opened,
        Err(status) => return status,
    };
    let server = match (&args.scratch, &args.db) {
        (Some(_), _) => None,
        (None, given) => match project.database_url(given.as_deref()) {
            Ok(url) => Some(url),
            Err(_) => {
                return fail(format!(
                    "verify needs a server: --db URL (any database there; verify creates a scratch database beside it and drops it again), {} set, or --scratch URL of an empty database",
                    project.database_url_env
                ));
            }
        },
    };
    let result = on_database(async {
        let (scratch, url) = match (&server, &args.scratch) {
            (Some(server), _) => {
                let (scratch, url) = create_scratch(server).await?;
                errln!(
                    "verifying in the scratch database {} (dropped at the end)",
                    scratch.name
                );
                (Some(scratch), url)
            }
            (None, Some(url)) => (None, url.clone()),
            (None, None) => unreachable!("verify has a server or a scratch database"),
        };
        let mut checked = Vec::new();
        let outcome = run_verify(&project, &history, &url, scratch.is_none(), &mut checked).await;
        let kept = match &scratch {
            Some(scratch) if outcome.is_err() && args.keep => {
                errln!(
                    "kept the scratch database {} to look into; drop it when done (dropdb)",
                    scratch.name
                );
                true
            }
            Some(scratch) => {
                if let Err(e) = drop_scratch(scratch).await {
                    errln!("warning: could not drop the scratch database {}: {e}", scratch.name);
                }
                false
            }
            None => false,
        };
        let name = scratch.as_ref().map(|s| s.name.clone());
        Ok((outcome, checked, name, kept))
    });
    let (outcome, checked, name, kept) = match result {
        Ok(found) => found,
        Err(status) => return status,
    };
    let compared = checked.iter().filter(|c| c.matches == Some(true)).count();
    if args.format == Format::Json {
        super::output::print_json(&json!({
            "version": 1,
            "verified": outcome.is_ok(),
            "error": outcome.as_ref().err().map(|e| e.to_string()),
            "scratch": name,
            "kept": kept,
            "revisions": history.revisions.len(),
            "compared": compared,
            "steps": checked.iter().map(|c| json!({
                "direction": c.direction,
                "revision": c.revision,
                "message": c.message,
                "compared": c.matches.is_some(),
                "matches": c.matches,
                "difference": c.difference,
            })).collect::<Vec<_>>(),
        }));
    } else {
        for c in &checked {
            let label = format!(
                "{:<4} {}  {}",
                c.direction,
                c.revision,
                crate::diag::printable(&c.message)
            );
            match (c.matches, &c.difference) {
                (None, _) => outln!("{label}: not compared (branches applied together)"),
                (Some(true), _) => outln!("{label}: ok"),
                (Some(false), Some(difference)) => outln!(
                    "{label}: the database differs from what the revision says it should be; it would take:\n{difference}"
                ),
                (Some(false), None) => outln!("{label}: differs"),
            }
        }
    }
    match outcome {
        Ok(()) => {
            if args.format == Format::Text {
                outln!(
                    "verified: {} revision(s) up and down, {compared} state(s) compared with their snapshots",
                    history.revisions.len()
                );
            }
            0
        }
        Err(e) => {
            errln!("error: {e}");
            1
        }
    }
}

/// The work of `verify` on the database `url`; each state reached goes
/// into `checked`. A given scratch database (`given`) must be empty and is
/// emptied again after a failure.
async fn run_verify(
    project: &Project,
    history: &History,
    url: &str,
    given: bool,
    checked: &mut Vec<Checked>,
) -> Result<(), ApplyError> {
    let session = Session::open(url, &project.version_table, history, &RunOptions::default(), |_| {}).await?;
    if given {
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
                "{} is not empty; verify fills and empties the database it is given, so give it a scratch one (createdb), or leave out --scratch to let verify make its own",
                session.description()
            )));
        }
    }
    let outcome = walk(&session, project, history, checked).await;
    if outcome.is_err() && given {
        // Back to empty, as far as the revisions' own downgrades go.
        let applied = session.applied().await.unwrap_or_default();
        let ids: Vec<String> = applied.iter().map(|a| a.revision.clone()).collect();
        let cleaned = match to_remove(history, &ids, BASE) {
            Ok(remove) => session.downgrade(&remove, |_| {}).await.map(|_| ()),
            Err(e) => Err(ApplyError::History(e)),
        };
        match cleaned {
            Ok(()) => errln!("emptied {} again after the failure", session.description()),
            Err(e) => errln!(
                "warning: could not empty {} after the failure ({e}); drop and create it again before the next verify",
                session.description()
            ),
        }
    }
    if outcome.is_ok() || given {
        let drop = format!("DROP TABLE IF EXISTS {}", project.version_table.quoted());
        apply::client(&session)
            .batch_execute(&drop)
            .await
            .map_err(|e| DbError::from_postgres(session.description(), &e))?;
    }
    outcome
}

/// Every revision up, then down, each state compared with its snapshot.
async fn walk(
    session: &Session<'_>,
    project: &Project,
    history: &History,
    checked: &mut Vec<Checked>,
) -> Result<(), ApplyError> {
    let mut step = |direction: &'static str,
                    revision: &Revision,
                    drifted: Option<Option<Drifted>>|
     -> Result<(), ApplyError> {
        let difference = drifted.as_ref().and_then(|d| d.as_ref()).map(summary);
        let matches = drifted.as_ref().map(Option::is_none);
        checked.push(Checked {
            direction,
            revision: revision.id.clone(),
            message: revision.message.clone(),
            matches,
            difference: difference.clone(),
        });
        match difference {
            Some(summary) => Err(ApplyError::History(format!(
                "{direction} {}: the database differs from what the revision says it should be; it would take:\n{summary}",
                revision.id
            ))),
            None => Ok(()),
        }
    };
    let mut done: BTreeSet<String> = BTreeSet::new();
    for revision in &history.revisions {
        session.upgrade(&[revision], |_| {}).await?;
        done.insert(revision.id.clone());
        if history.ancestors(&revision.id) == done {
            let expected = revision.snapshot().map_err(ApplyError::History)?;
            let found = compare(session.database(), project, &expected).await?;
            step("up", revision, Some(found))?;
        } else {
            step("up", revision, None)?;
        }
    }
    for revision in history.revisions.iter().rev() {
        session.downgrade(&[revision], |_| {}).await?;
        done.remove(&revision.id);
        let below = history.revisions.iter().rev().find(|r| done.contains(&r.id));
        let matches = match below {
            Some(r) => history.ancestors(&r.id) == done,
            None => true,
        };
        if matches {
            let expected = snapshot(below).map_err(ApplyError::History)?;
            let found = compare(session.database(), project, &expected).await?;
            step("down", revision, Some(found))?;
        } else {
            step("down", revision, None)?;
        }
    }
    Ok(())
}
