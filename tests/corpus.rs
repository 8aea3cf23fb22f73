//! The fidelity corpus (tests/cases/corpus): pairs of plain SQL schemas, as
//! people write them by hand, each run database to database through the
//! `trellisc` binary in both directions on the real server.
//!
//! For a pair `old.sql` / `new.sql`: a database is made from each, and
//! `trellisc diff --from OLD_DB --to NEW_DB` writes the SQL that is run on
//! the old one. Then `trellisc diff` between the two must find nothing, and
//! `pg_dump --schema-only` of the two must be identical. The same again from
//! the upgraded database back to a fresh copy of `old.sql`.
//!
//! The pairs run on every version `TRELLIS_TEST_POSTGRES` selects (see
//! `pg::servers`). Debian's pg_dump (15) refuses newer servers: on those
//! (16+) the dumps are not compared, and trellisc's own re-diff is asked
//! both ways instead (the upgraded database against the target and the
//! target against it must both plan nothing). A pair needing an extension
//! a server lacks is skipped there, and named; so is a pair using a form a
//! version lacks (trellisc's own `check::versions::lacking` of the pair's
//! schemas as read on Debian's 15), and `trellisc diff` from a database on
//! that version to such a side must be refused.
//!
//! A pair that PostgreSQL cannot take back has a `one_way.md` saying why:
//! only old -> new is run for it, and the test names it.
//!
//! `TRELLIS_CORPUS=part` runs only the pairs whose folder name contains
//! `part`; `TRELLIS_CORPUS_DIR=path` runs the pairs of another folder laid
//! out the same way (to measure trellisc on another tool's test pairs). Every pair runs; the failures are reported together.

mod common;
mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};

use support::{pg, reflect};
use trellisc::ir::Schema;
use trellisc::reflect::ReflectOptions;

fn pairs() -> Vec<PathBuf> {
    let dir = std::env::var_os("TRELLIS_CORPUS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| common::root().join("tests/cases/corpus"));
    let filter = std::env::var("TRELLIS_CORPUS").unwrap_or_default();
    let mut pairs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.is_dir())
        .filter(|p| p.file_name().is_some_and(|n| n.to_string_lossy().contains(&filter)))
        .collect();
    pairs.sort();
    pairs
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// `trellisc diff --from FROM --to TO --allow-destructive`: the SQL, or an
/// error with what the program said.
fn diff(from: &str, to: &str) -> Result<(String, bool), String> {
    let output = Command::new(env!("CARGO_BIN_EXE_trellisc"))
        .args([
            "diff",
            "--color",
            "never",
            "--allow-destructive",
            "--from",
            from,
            "--to",
            to,
        ])
        .output()
        .map_err(|e| format!("run trellisc: {e}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    match output.status.code() {
        Some(0) => Ok((stdout, false)),
        Some(2) => Ok((stdout, true)),
        _ => Err(format!(
            "trellisc diff failed ({}):\n{}{stdout}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        )),
    }
}

/// One direction: take `current` to what `target` is.
fn converge(server: &pg::Server, current: &str, target: &str) -> Result<(), String> {
    let (sql, _) = diff(current, target)?;
    server
        .psql(current, &sql)
        .map_err(|e| format!("the plan does not apply: {e}\n--- plan ---\n{sql}"))?;
    let (again, differs) = diff(current, target)?;
    if differs {
        return Err(format!(
            "not converged: a second diff still has work:\n{again}\n--- first plan ---\n{sql}"
        ));
    }
    if !server.dumps() {
        let (back, differs) = diff(target, current)?;
        if differs {
            return Err(format!(
                "not converged: the target against the upgraded database still has work:\n{back}\n--- first plan ---\n{sql}"
            ));
        }
        return Ok(());
    }
    let (before, after) = (server.schema_dump(current)?, server.schema_dump(target)?);
    if before != after {
        let diff = similar::TextDiff::from_lines(&before, &after);
        return Err(format!(
            "pg_dump --schema-only differs (- upgraded, + target):\n{}\n--- plan ---\n{sql}",
            diff.unified_diff().context_radius(2)
        ));
    }
    Ok(())
}

fn database(server: &pg::Server, sql: &str, what: &str) -> Result<String, String> {
    let url = server.database();
    server
        .psql(&url, sql)
        .map_err(|e| format!("{what} does not run on PostgreSQL: {e}"))?;
    Ok(url)
}

fn check_pair(server: &pg::Server, dir: &Path) -> Result<(), String> {
    let old = read(&dir.join("old.sql"));
    let new = read(&dir.join("new.sql"));
    let (a, b) = (database(server, &old, "old.sql")?, database(server, &new, "new.sql")?);
    converge(server, &a, &b).map_err(|e| format!("old -> new: {e}"))?;
    let mut made = vec![a.clone(), b];
    if !dir.join("one_way.md").exists() {
        let c = database(server, &old, "old.sql")?;
        converge(server, &a, &c).map_err(|e| format!("new -> old: {e}"))?;
        made.push(c);
    }
    for url in made {
        server.drop_database(&url);
    }
    Ok(())
}

/// A pair's `old.sql` and `new.sql`, each with its schema as read back.
type PairSchemas = [(&'static str, Schema); 2];

/// A pair's two schemas as trellisc reads them back from Debian's
/// PostgreSQL (15, which takes every pair's SQL), for asking what another
/// version lacks of them.
fn schemas_of(dir: &Path) -> Result<PairSchemas, String> {
    let debian = pg::server();
    let read_back = |file: &'static str| -> Result<(&'static str, Schema), String> {
        let url = database(debian, &read(&dir.join(file)), file)?;
        let schema = reflect::read(&url, &ReflectOptions::default()).schema;
        debian.drop_database(&url);
        Ok((file, schema))
    };
    Ok([read_back("old.sql")?, read_back("new.sql")?])
}

/// On a server whose version lacks a form the pair uses (by
/// `check::versions::lacking` of its schemas as read on Debian's 15): why,
/// and the failures of `trellisc diff` to each such side not being refused
/// there. None when the pair can run on the server.
fn lacking_on(server: &pg::Server, dir: &Path, schemas: &PairSchemas) -> Option<(String, Vec<String>)> {
    let lacking = pg::lacking(server, &[&schemas[0].1, &schemas[1].1]);
    if lacking.is_empty() {
        return None;
    }
    let debian = pg::server();
    let failures = schemas
        .iter()
        .filter(|(_, schema)| !pg::lacking(server, &[schema]).is_empty())
        .filter_map(|(file, _)| {
            let refused = database(debian, &read(&dir.join(file)), file).and_then(|url| {
                let refused = pg::refuses(server, &url);
                debian.drop_database(&url);
                refused
            });
            refused.err().map(|error| format!("{file}: {error}"))
        })
        .collect();
    Some((lacking.join("; "), failures))
}

/// The extensions a plain SQL schema creates.
fn extensions_in(sql: &str) -> Vec<String> {
    let words: Vec<String> = sql
        .split(|c: char| c.is_whitespace() || c == ';')
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    words
        .windows(2)
        .enumerate()
        .filter(|(_, w)| w[0] == "create" && w[1] == "extension")
        .filter_map(|(at, _)| {
            let rest = &words[at + 2..];
            let rest = if rest.starts_with(&["if".into(), "not".into(), "exists".into()]) {
                &rest[3..]
            } else {
                rest
            };
            rest.first().map(|name| name.trim_matches('"').to_string())
        })
        .collect()
}

#[test]
fn every_pair_converges_both_ways_to_an_identical_dump() {
    let pairs = pairs();
    assert!(!pairs.is_empty(), "no corpus pairs (TRELLIS_CORPUS filters them)");
    // Read once for all versions, when one other than Debian's asks.
    let schemas: Vec<OnceLock<Result<PairSchemas, String>>> = pairs.iter().map(|_| OnceLock::new()).collect();
    let failures = pg::on_every_server(|server| {
        let runnable: Vec<(usize, &PathBuf)> = pairs
            .iter()
            .enumerate()
            .filter(|(_, dir)| {
                let sql = read(&dir.join("old.sql")) + &read(&dir.join("new.sql"));
                let extensions: Vec<(String, Option<String>)> =
                    extensions_in(&sql).into_iter().map(|name| (name, None)).collect();
                let name = dir
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                match pg::cannot_run(server, &extensions) {
                    Some(why) => {
                        eprintln!("PostgreSQL {}: {name} skipped: {why}", server.major());
                        false
                    }
                    None => true,
                }
            })
            .collect();
        let next = AtomicUsize::new(0);
        let failures = Mutex::new(Vec::new());
        // The server does most of the work; a few pairs at once keep it busy.
        std::thread::scope(|scope| {
            for _ in 0..4 {
                scope.spawn(|| {
                    while let Some(&(at, dir)) = runnable.get(next.fetch_add(1, Ordering::SeqCst)) {
                        let name = dir.file_name().map(|n| n.to_string_lossy().into_owned());
                        let name = name.unwrap_or_default();
                        // Debian's own server takes every pair's SQL.
                        if server.major() != pg::server().major() {
                            let lacks = schemas[at]
                                .get_or_init(|| schemas_of(dir))
                                .as_ref()
                                .map(|schemas| lacking_on(server, dir, schemas));
                            match lacks {
                                Ok(None) => {}
                                Ok(Some((why, refusals))) => {
                                    eprintln!("PostgreSQL {}: {name} skipped: {why}", server.major());
                                    let mut failures = failures.lock().expect("no thread panics holding the lock");
                                    failures.extend(refusals.into_iter().map(|r| format!("{name}: {r}")));
                                    continue;
                                }
                                Err(error) => {
                                    let mut failures = failures.lock().expect("no thread panics holding the lock");
                                    failures.push(format!("{name}: on PostgreSQL {}: {error}", pg::server().major()));
                                    continue;
                                }
                            }
                        }
                        if let Err(error) = check_pair(server, dir) {
                            failures
                                .lock()
                                .expect("no thread panics holding the lock")
                                .push(format!("{name}: {error}"));
                        }
                    }
                });
            }
        });
        failures.into_inner().expect("no thread panicked")
    });
    let mut failures = failures;
    failures.sort();
    assert!(
        failures.is_empty(),
        "{} of {} pairs do not converge:\n\n{}",
        failures.len(),
        pairs.len(),
        failures.join("\n\n")
    );
    let one_way: Vec<String> = pairs
        .iter()
        .filter(|dir| dir.join("one_way.md").exists())
        .map(|dir| format!("  {}: {}", dir.display(), read(&dir.join("one_way.md")).trim()))
        .collect();
    eprintln!(
        "{} pairs converge both ways, {} only old -> new:\n{}",
        pairs.len() - one_way.len(),
        one_way.len(),
        one_way.join("\n")
    );
}
