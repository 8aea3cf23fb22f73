//! Reading real databases back: a schema applied and read again has
//! nothing left to do (convergence), for the examples, every diff case in
//! both directions, and random schema pairs.

mod common;
mod support;

use support::{pg, reflect};
use trellisc::ir::Schema;
use trellisc::plan::{self, FindingKind, PlanOptions};
use trellisc::render::{describe, render_plan, render_script};

#[test]
fn every_example_converges() {
    let server = pg::server();
    let mut failures = Vec::new();
    for (dir, schema) in common::example_schemas() {
        let url = server.database();
        let sql = render_plan(&plan::upgrade(&Schema::default(), &schema, PlanOptions::default()));
        server.psql(&url, &sql).unwrap_or_else(|e| panic!("{dir}: {e}"));
        let left = reflect::remaining(&url, &schema);
        if !left.is_empty() {
            failures.push(format!("{dir}:\n  {}", left.join("\n  ")));
        }
    }
    assert!(failures.is_empty(), "not converged:\n{}", failures.join("\n"));
}

/// Every diff case, as `diff` prints its SQL (in transactions): at the old
/// state, the upgrade leaves nothing to do against the new state, the
/// downgrade nothing against the old, and the upgrade runs again after it;
/// with the plain and with the online forms; on every version
/// `TRELLIS_TEST_POSTGRES` selects (see `pg::servers`). A case using a form
/// a version lacks (trellisc's own `check::versions::lacking`) is skipped
/// there, named, and `trellisc diff` to it must be refused on that server;
/// one needing an extension the server lacks (`pg::cannot_run`) is skipped
/// and named. Cases run on a few threads per version, each in its own
/// database.
#[test]
fn every_diff_case_converges_both_ways() {
    let cases = common::diff_cases();
    let failures = pg::on_every_server(|server| {
        let mut refusals = Vec::new();
        let runnable: Vec<&(String, Schema, Schema)> = cases
            .iter()
            .filter(|(name, old, new)| {
                let lacking = pg::lacking(server, &[old, new]);
                if !lacking.is_empty() {
                    eprintln!("PostgreSQL {}: {name} skipped: {}", server.major(), lacking.join("; "));
                    refusals.extend(refused(server, name, old, new));
                    return false;
                }
                match pg::cannot_run(server, &common::extensions_of(&[old, new])) {
                    Some(why) => {
                        eprintln!("PostgreSQL {}: {name} skipped: {why}", server.major());
                        false
                    }
                    None => true,
                }
            })
            .collect();
        // A case whose `--online` SQL is its plain SQL (nothing in it has
        // an online form) has nothing more to show with it.
        let work: Vec<(bool, &(String, Schema, Schema))> = [false, true]
            .iter()
            .flat_map(|&online| runnable.iter().map(move |&c| (online, c)))
            .filter(|&(online, (_, old, new))| !online || online_differs(server, old, new))
            .collect();
        let failures = std::sync::Mutex::new(Vec::new());
        let next = std::sync::atomic::AtomicUsize::new(0);
        std::thread::scope(|scope| {
            for _ in 0..4 {
                scope.spawn(|| {
                    while let Some(&(online, case)) = work.get(next.fetch_add(1, std::sync::atomic::Ordering::SeqCst)) {
                        if let Err(failure) = converge_case(server, case, online) {
                            failures.lock().expect("failures").push(failure);
                        }
                    }
                });
            }
        });
        let mut failures = failures.into_inner().expect("failures");
        failures.extend(refusals);
        failures
    });
    assert!(
        failures.is_empty(),
        "{} failure(s):\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

/// Whether the `--online` upgrade or downgrade between two schemas is
/// other SQL than the plain one, on the server's version.
fn online_differs(server: &pg::Server, old: &Schema, new: &Schema) -> bool {
    let scripts = |online: bool| {
        let options = PlanOptions {
            online,
            postgres: Some(server.major()),
        };
        (
            render_script(&plan::upgrade(old, new, options)),
            render_script(&plan::downgrade(old, new, options)),
        )
    };
    scripts(true) != scripts(false)
}

/// The case's schemas that use a form the server's version lacks, each one
/// refused by `trellisc diff` from a database there: the failures.
fn refused(server: &pg::Server, name: &str, old: &Schema, new: &Schema) -> Vec<String> {
    [("old.trellis", old), ("new.trellis", new)]
        .into_iter()
        .filter(|(_, schema)| !pg::lacking(server, &[schema]).is_empty())
        .filter_map(|(file, _)| {
            let path = common::root().join("tests/cases/diff").join(name).join(file);
            pg::refuses(server, &path.to_string_lossy())
                .err()
                .map(|error| format!("{name}/{file}: {error}"))
        })
        .collect()
}

fn converge_case(server: &pg::Server, (name, old, new): &(String, Schema, Schema), online: bool) -> Result<(), String> {
    let options = PlanOptions {
        online,
        postgres: Some(server.major()),
    };
    let url = server.database();
    let create = render_plan(&plan::upgrade(&Schema::default(), old, PlanOptions::default()));
    let up = render_script(&plan::upgrade(old, new, options));
    let down_plan = plan::downgrade(old, new, options);
    let down = render_script(&down_plan);
    // What the downgrade says it cannot undo may remain after it.
    let irreversible: Vec<String> = down_plan
        .steps
        .iter()
        .filter(|s| {
            s.findings
                .iter()
                .any(|&f| down_plan.findings[f].kind == FindingKind::Irreversible)
        })
        .map(|s| describe(&s.change))
        .collect();
    for (what, sql, target) in [
        ("create old", &create, old),
        ("upgrade", &up, new),
        ("downgrade", &down, old),
        ("upgrade again", &up, new),
    ] {
        server
            .psql(&url, sql)
            .map_err(|error| format!("{name} (online: {online}) {what}: {error}\n{sql}"))?;
        // That the upgrade runs again after the downgrade is the point of
        // the last step; the random pairs read that one back too.
        if what == "upgrade again" {
            break;
        }
        let mut left = reflect::remaining(&url, target);
        if what == "downgrade"
            && left
                .iter()
                .all(|l| irreversible.contains(l) || l.starts_with("database has"))
        {
            left.clear();
        }
        if !left.is_empty() {
            return Err(format!(
                "{name} (online: {online}) after {what}:\n  {}\n{sql}",
                left.join("\n  ")
            ));
        }
    }
    server.drop_database(&url);
    Ok(())
}

/// Runs `trellisc diff --from URL --to empty`; its exit status and stderr.
fn diff_from(url: &str) -> (Option<i32>, String) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_trellisc"))
        .args(["diff", "--from", url, "--to", "empty", "--format", "summary"])
        .output()
        .expect("run trellisc");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn database_errors_are_one_line_naming_server_and_database_never_the_password() {
    // Nothing listens on a port just released.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let (status, stderr) = diff_from(&format!("postgresql://someone:hunter2-secret@127.0.0.1:{port}/app"));
    assert_eq!(status, Some(1), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains(&format!("database \"app\" on 127.0.0.1:{port}")),
        "{stderr}"
    );
    assert!(stderr.contains("refused"), "{stderr}");
    assert!(!stderr.contains("hunter2"), "{stderr}");

    let server = pg::server();
    let url = server.database();
    let database = url.rsplit('/').next().expect("database name").to_string();
    let host = server.base_url().rsplit('@').next().expect("host").to_string();
    if server.own() {
        server
            .psql(
                &url,
                &format!(
                    "DO $$ BEGIN CREATE ROLE {role} LOGIN PASSWORD 'right-password'; \
                     EXCEPTION WHEN duplicate_object THEN NULL; END $$;",
                    role = pg::PASSWORD_ROLE
                ),
            )
            .expect("create role");
        let (status, stderr) = diff_from(&format!(
            "postgresql://{}:wrong-password-42@{host}/{database}",
            pg::PASSWORD_ROLE
        ));
        assert_eq!(status, Some(1), "{stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(
            stderr.contains(&format!("database \"{database}\" on {host}")),
            "{stderr}"
        );
        assert!(stderr.contains("password authentication failed"), "{stderr}");
        assert!(!stderr.contains("wrong-password-42"), "{stderr}");
    } else {
        eprintln!("note: TRELLIS_TEST_DATABASE_URL is set: the wrong-password case needs the harness's own server");
    }

    // A role without CONNECT on the database.
    server
        .psql(
            &url,
            &format!(
                "REVOKE CONNECT ON DATABASE {database} FROM PUBLIC; \
                 DO $$ BEGIN CREATE ROLE trellis_no_connect LOGIN; \
                 EXCEPTION WHEN duplicate_object THEN NULL; END $$;"
            ),
        )
        .expect("revoke");
    let (status, stderr) = diff_from(&format!("postgresql://trellis_no_connect@{host}/{database}"));
    assert_eq!(status, Some(1), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains(&format!("database \"{database}\" on {host}")),
        "{stderr}"
    );
    assert!(stderr.contains("permission denied"), "{stderr}");
}
