//! The revision workflow end to end, through the real `trellisc` binary and
//! the real PostgreSQL server: the everyday session, the psql script,
//! concurrent and failing upgrades, tampering, branches and merges, drift
//! and verify. Each step is checked in the database, by reflection and in
//! the version table.

mod common;
mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use support::pg;
use support::project::{Project, applied, text};

const BASE: &str = "\
table users {
  id   bigint generated always as identity primary key
  name text not null
  email text not null
}

table posts {
  id     bigint generated always as identity primary key
  author bigint not null references users
  title  text not null
}
";

const RENAMED: &str = "\
table users {
  id        bigint generated always as identity primary key
  full_name text not null was name
  email     text not null

  unique index users_email (email)
}

table posts {
  id     bigint generated always as identity primary key
  author bigint not null references users
  title  text not null
}
";

/// The session from the issue, step by step.
#[test]
fn everyday_session() {
    let p = Project::new();
    p.write("schema/app.trellis", BASE);
    p.revision_ok("20261125120000_aaaaaa", &["-m", "Base Schema"]);
    let base = p.revision_file("20261125120000_aaaaaa");
    assert!(base.ends_with("20261125120000_aaaaaa_base_schema.sql"), "{base:?}");
    insta::assert_snapshot!("base_schema_revision", p.read(&base));
    insta::assert_snapshot!("base_schema_snapshot", p.read(&base.with_extension("trellis")));

    // Offline: the whole script, no database needed.
    let script = p
        .command(&["upgrade", "head", "--sql"])
        .env("TRELLIS_DATABASE_URL", "postgres://nobody@127.0.0.1:1/none")
        .output()
        .expect("run");
    assert_eq!(script.status.code(), Some(0), "{}", text(&script));
    insta::assert_snapshot!("base_schema_upgrade_sql", String::from_utf8_lossy(&script.stdout));

    assert!(p.applied().is_empty());
    p.ok(&["upgrade", "head", "--db", &p.url]);
    assert_eq!(p.applied(), ["20261125120000_aaaaaa:applied"]);
    p.assert_at("20261125120000_aaaaaa");

    // Nothing to do: says so, writes nothing.
    let unchanged = p.ok(&["revision", "-m", "nothing"]);
    assert!(unchanged.contains("no changes"), "{unchanged}");
    assert_eq!(std::fs::read_dir(p.dir.join("versions")).expect("dir").count(), 4);

    p.write("schema/app.trellis", RENAMED);
    p.revision_ok("20261125120100_bbbbbb", &["-m", "Rename and index"]);
    let second = p.revision_file("20261125120100_bbbbbb");
    insta::assert_snapshot!("rename_and_index_revision", p.read(&second));
    let snapshot = p.read(&second.with_extension("trellis"));
    assert!(
        !snapshot.contains(" was "),
        "a snapshot has no rename hints:\n{snapshot}"
    );

    p.ok(&["upgrade", "head"]);
    assert_eq!(
        p.applied(),
        ["20261125120000_aaaaaa:applied", "20261125120100_bbbbbb:applied"]
    );
    p.assert_at("20261125120100_bbbbbb");
    // The rename kept the rows.
    pg::server()
        .psql(
            &p.url,
            "INSERT INTO users (full_name, email) VALUES ('Ada', 'ada@example.com');",
        )
        .expect("insert");

    // Undoing the rename's revision drops a column that holds a row: not
    // without being asked, and the refusal says where and how much.
    let said = p.fails(&["downgrade", "-1"], 1);
    assert!(
        said.contains("drops column users.full_name and its values (users holds 1 row)")
            && said.contains("--allow-destructive")
            && said.contains("nothing was run"),
        "{said}"
    );
    assert_eq!(
        p.applied(),
        ["20261125120000_aaaaaa:applied", "20261125120100_bbbbbb:applied"]
    );
    p.ok(&["downgrade", "-1", "--allow-destructive"]);
    assert_eq!(p.applied(), ["20261125120000_aaaaaa:applied"]);
    p.assert_at("20261125120000_aaaaaa");
    let names = pg::server()
        .psql(&p.url, "\\pset tuples_only on\nSELECT name FROM users;")
        .expect("select");
    assert_eq!(
        names.trim(),
        "Ada",
        "the downgrade renamed the column back, rows and all"
    );

    let history = p.ok(&["history"]);
    assert_eq!(
        history,
        "  20261125120100_bbbbbb  Rename and index (head)\n\
         * 20261125120000_aaaaaa  Base Schema\n\
         (* applied, ~ stopped part way)\n"
    );
    let current = p.ok(&["current"]);
    assert!(
        current.contains(
            ": 20261125120000_aaaaaa  Base Schema\n1 revision(s) to apply to reach head 20261125120100_bbbbbb"
        ),
        "{current}"
    );
    assert!(!current.contains("password"), "{current}");

    p.ok(&["upgrade"]);
    p.assert_at("20261125120100_bbbbbb");
    let drift = p.ok(&["drift"]);
    assert!(drift.starts_with("no drift"), "{drift}");

    // Drift: a change made behind trellisc's back is found (exit 2).
    pg::server()
        .psql(&p.url, "ALTER TABLE posts ADD COLUMN draft boolean;")
        .expect("alter");
    let drifted = p.fails(&["drift"], 2);
    assert!(
        drifted.contains("has drifted from revision 20261125120100_bbbbbb"),
        "{drifted}"
    );
    assert!(drifted.contains("drop column posts.draft"), "{drifted}");

    p.ok(&["downgrade", "base", "--allow-destructive"]);
    assert!(p.applied().is_empty());
    let left = support::reflect::remaining(&p.url, &trellisc::ir::Schema::default());
    assert!(left.is_empty(), "{left:?}");
}

/// `upgrade --sql` run by psql gives the same database as `upgrade`.
#[test]
fn the_psql_script_matches_the_online_upgrade() {
    let p = Project::new();
    p.write("schema/app.trellis", BASE);
    p.revision_ok("20261125120000_aaaaaa", &["-m", "Base"]);
    p.write("schema/app.trellis", RENAMED);
    p.revision_ok("20261125120100_bbbbbb", &["-m", "Rename", "--online"]);
    let script = p.ok(&["upgrade", "--sql"]);
    assert!(script.contains("CREATE UNIQUE INDEX CONCURRENTLY"), "{script}");

    let other = pg::server().database();
    pg::server().psql(&other, &script).expect("psql runs the script");
    p.ok(&["upgrade"]);
    assert_eq!(applied(&other), p.applied());

    let all = trellisc::reflect::ReflectOptions {
        exclude_tables: Vec::new(),
        ..Default::default()
    };
    let online = support::reflect::read(&p.url, &all).schema;
    let scripted = support::reflect::read(&other, &all).schema;
    assert_eq!(online, scripted, "the two ways give different databases");
    assert!(online.tables.keys().any(|t| t.name.as_str() == "trellis_version"));

    // And the downgrade script takes it back.
    let down = p.ok(&["downgrade", "base", "--sql"]);
    pg::server().psql(&other, &down).expect("psql runs the downgrade");
    assert!(applied(&other).is_empty());
    let empty = support::reflect::read(&other, &trellisc::reflect::ReflectOptions::default()).schema;
    assert_eq!(empty, trellisc::ir::Schema::default());
}

/// Two upgrades started at the same moment apply each revision once.
#[test]
fn concurrent_upgrades_apply_each_revision_once() {
    let p = Project::new();
    p.write("schema/app.trellis", BASE);
    p.revision_ok("20261125120000_aaaaaa", &["-m", "Base"]);
    // A slow revision keeps the first run busy while the second arrives.
    p.revision_ok("20261125120100_bbbbbb", &["-m", "Slow", "--empty"]);
    let slow = p.revision_file("20261125120100_bbbbbb");
    let edited = p
        .read(&slow)
        .replace(
            "-- Write the upgrade statements here.",
            "SELECT pg_sleep(1);\nCREATE TABLE side (id int);",
        )
        .replace("-- Write the statements that undo them here.", "DROP TABLE side;");
    std::fs::write(&slow, edited).expect("edit");
    p.ok(&["rehash"]);

    let children: Vec<_> = (0..2)
        .map(|_| {
            p.command(&["upgrade"])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("spawn")
        })
        .collect();
    let outputs: Vec<Output> = children
        .into_iter()
        .map(|c| c.wait_with_output().expect("wait"))
        .collect();
    for output in &outputs {
        assert_eq!(output.status.code(), Some(0), "{}", text(output));
    }
    assert_eq!(
        p.applied(),
        ["20261125120000_aaaaaa:applied", "20261125120100_bbbbbb:applied"]
    );
    let said: String = outputs.iter().map(text).collect();
    assert!(said.contains("applied 2 revision(s)"), "{said}");
    assert!(said.contains("already at 20261125120100_bbbbbb"), "{said}");
}

/// A revision whose third statement fails changes nothing; the error names
/// the statement, its place and the server's message.
#[test]
fn a_failing_revision_leaves_everything_as_it_was() {
    let p = Project::new();
    p.write("schema/app.trellis", BASE);
    p.revision_ok("20261125120000_aaaaaa", &["-m", "Base"]);
    p.ok(&["upgrade"]);
    p.revision_ok("20261125120100_bbbbbb", &["-m", "Broken", "--empty"]);
    let broken = p.revision_file("20261125120100_bbbbbb");
    let edited = p.read(&broken).replace(
        "-- Write the upgrade statements here.",
        "CREATE TABLE audit (id int);\nINSERT INTO users (name, email) VALUES ('a', 'b');\nALTER TABLE posts\n  ADD COLUMN x int REFERENCES nowhere;\nCREATE TABLE never (id int);",
    );
    std::fs::write(&broken, edited).expect("edit");
    p.ok(&["rehash"]);

    let said = p.fails(&["upgrade"], 1);
    let name = broken.file_name().expect("name").to_string_lossy().to_string();
    assert!(
        said.contains(&format!("{name}:12:")),
        "the place of the third statement:\n{said}"
    );
    assert!(said.contains("ADD COLUMN x int REFERENCES nowhere"), "{said}");
    assert!(said.contains("relation \"nowhere\" does not exist"), "{said}");
    assert!(said.contains("rolled back"), "{said}");

    assert_eq!(p.applied(), ["20261125120000_aaaaaa:applied"]);
    p.assert_at("20261125120000_aaaaaa");
    let rows = pg::server()
        .psql(&p.url, "\\pset tuples_only on\nSELECT count(*) FROM users;")
        .expect("count");
    assert_eq!(rows.trim(), "0");
}

/// A process killed in the middle of a revision leaves none of it behind.
#[test]
fn a_killed_upgrade_leaves_no_half_revision() {
    let p = Project::new();
    p.write("schema/app.trellis", BASE);
    p.revision_ok("20261125120000_aaaaaa", &["-m", "Base"]);
    p.ok(&["upgrade"]);
    p.revision_ok("20261125120100_bbbbbb", &["-m", "Long", "--empty"]);
    let long = p.revision_file("20261125120100_bbbbbb");
    let edited = p.read(&long).replace(
        "-- Write the upgrade statements here.",
        "CREATE TABLE half (id int);\nSELECT pg_sleep(3);\nCREATE TABLE other_half (id int);",
    );
    std::fs::write(&long, edited).expect("edit");
    p.ok(&["rehash"]);

    let mut child = p
        .command(&["upgrade"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    // Wait until the server is in the sleep, then kill the client.
    let watch = "\\pset tuples_only on\nSELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(3)%';";
    let mut sleeping = false;
    for _ in 0..100 {
        let found = pg::server().psql(&p.url, watch).expect("watch");
        if found.trim() != "0" {
            sleeping = true;
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert!(sleeping, "the upgrade never reached the sleep");
    child.kill().expect("kill");
    let _ = child.wait();

    assert_eq!(p.applied(), ["20261125120000_aaaaaa:applied"]);
    p.assert_at("20261125120000_aaaaaa");
    // Once the server has noticed, a new run applies the whole revision.
    p.ok(&["upgrade"]);
    assert_eq!(
        p.applied(),
        ["20261125120000_aaaaaa:applied", "20261125120100_bbbbbb:applied"]
    );
}

/// Statements that cannot run in a transaction run on their own; when one
/// fails, the ones before it stay recorded and a rerun resumes after them.
#[test]
fn an_online_revision_resumes_where_it_stopped() {
    let p = Project::new();
    p.write("schema/app.trellis", BASE);
    p.revision_ok("20261125120000_aaaaaa", &["-m", "Base"]);
    p.ok(&["upgrade"]);
    p.revision_ok("20261125120100_bbbbbb", &["-m", "Indexes", "--empty"]);
    let file = p.revision_file("20261125120100_bbbbbb");
    let original = p.read(&file);
    let broken = original.replace(
        "-- Write the upgrade statements here.",
        "CREATE INDEX CONCURRENTLY posts_title ON posts (title);\nCREATE INDEX CONCURRENTLY posts_missing ON posts (missing);\nCREATE INDEX CONCURRENTLY users_email ON users (email);",
    );
    std::fs::write(&file, &broken).expect("edit");
    p.ok(&["rehash"]);
    let said = p.fails(&["upgrade"], 1);
    assert!(said.contains("column \"missing\" does not exist"), "{said}");
    assert!(said.contains("the first 1 statement(s)"), "{said}");
    assert_eq!(
        p.applied(),
        ["20261125120000_aaaaaa:applied", "20261125120100_bbbbbb:upgrading"]
    );
    let fixed = broken.replace("posts (missing)", "posts (author)");
    std::fs::write(&file, fixed).expect("fix");
    p.ok(&["rehash"]);
    let resumed = text(&p.run(&["upgrade"]));
    assert!(resumed.contains("resuming 20261125120100_bbbbbb"), "{resumed}");
    assert!(resumed.contains("status Some(0)"), "{resumed}");
    assert_eq!(
        p.applied(),
        ["20261125120000_aaaaaa:applied", "20261125120100_bbbbbb:applied"]
    );
    let indexes = pg::server()
        .psql(
            &p.url,
            "\\pset tuples_only on\nSELECT string_agg(indexname, ',' ORDER BY indexname) FROM pg_indexes WHERE indexname IN ('posts_title', 'posts_missing', 'users_email');",
        )
        .expect("indexes");
    assert_eq!(indexes.trim(), "posts_missing,posts_title,users_email");
}

/// Edited, deleted and renamed revision files are each named.
#[test]
fn tampering_is_reported_with_the_file() {
    let p = Project::new();
    p.write("schema/app.trellis", BASE);
    p.revision_ok("20261125120000_aaaaaa", &["-m", "Base"]);
    p.write("schema/app.trellis", RENAMED);
    p.revision_ok("20261125120100_bbbbbb", &["-m", "Rename"]);
    let first = p.revision_file("20261125120000_aaaaaa");
    let second = p.revision_file("20261125120100_bbbbbb");
    let original = p.read(&first);

    std::fs::write(&first, original.replace("NOT NULL", "NULL")).expect("edit");
    let said = p.fails(&["upgrade", "--sql"], 1);
    assert!(said.contains("20261125120000_aaaaaa_base.sql was edited"), "{said}");
    std::fs::write(&first, &original).expect("restore");
    p.ok(&["upgrade", "--sql"]);

    let moved = first.with_file_name("20261125120000_aaaaaa_renamed.sql");
    std::fs::rename(&first, &moved).expect("rename");
    let said = p.fails(&["history"], 1);
    assert!(
        said.contains("20261125120000_aaaaaa_base.sql was deleted or renamed"),
        "{said}"
    );
    assert!(
        said.contains("20261125120000_aaaaaa_renamed.sql is not listed"),
        "{said}"
    );
    std::fs::rename(&moved, &first).expect("rename back");

    let kept = p.read(&second);
    std::fs::remove_file(&second).expect("delete");
    let said = p.fails(&["revision", "-m", "next"], 1);
    assert!(
        said.contains("20261125120100_bbbbbb_rename.sql was deleted or renamed"),
        "{said}"
    );
    std::fs::write(&second, kept).expect("restore");
    p.ok(&["history"]);
}

/// A versions directory that cannot be written gives the path, the user
/// and what to do.
#[test]
fn a_read_only_versions_directory_is_explained() {
    let p = Project::new();
    p.write("schema/app.trellis", BASE);
    let versions = p.dir.join("versions");
    let root = std::fs::metadata("/proc/self").map(|m| {
        use std::os::unix::fs::MetadataExt;
        m.uid() == 0
    });
    let output = if root.unwrap_or(false) {
        // root writes anywhere: run as nobody, for whom the directory is
        // read-only.
        let everyone = |path: &Path, mode: u32| {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
        };
        everyone(&p.dir, 0o755);
        everyone(&versions, 0o755);
        Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
            .arg(env!("CARGO_BIN_EXE_trellisc"))
            .args(["revision", "-m", "Base"])
            .current_dir(&p.dir)
            .output()
            .expect("setpriv")
    } else {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&versions, std::fs::Permissions::from_mode(0o555)).expect("chmod");
        p.run(&["revision", "-m", "Base"])
    };
    let said = text(&output);
    assert_eq!(output.status.code(), Some(1), "{said}");
    assert!(said.contains("is not writable for user"), "{said}");
    assert!(said.contains("versions"), "{said}");
    assert!(!said.contains("panicked"), "{said}");
    let left: Vec<_> = std::fs::read_dir(&versions).expect("dir").collect();
    assert_eq!(left.len(), 2, "nothing half-written: {left:?}");
}

/// Clear errors for the usual mistakes.
#[test]
fn everyday_mistakes_are_explained() {
    let p = Project::new();
    let elsewhere = std::env::temp_dir().join(format!("trellis-no-project-{}", std::process::id()));
    std::fs::create_dir_all(&elsewhere).expect("dir");
    let output = Command::new(env!("CARGO_BIN_EXE_trellisc"))
        .args(["upgrade", "--sql"])
        .current_dir(&elsewhere)
        .output()
        .expect("run");
    let said = text(&output);
    assert_eq!(output.status.code(), Some(1), "{said}");
    assert!(said.contains("no trellis.toml"), "{said}");
    assert!(said.contains("trellisc init"), "{said}");
    let _ = std::fs::remove_dir_all(&elsewhere);

    p.write("schema/app.trellis", BASE);
    p.revision_ok("20261125120000_aaaaaa", &["-m", "Base"]);
    let said = p.fails(&["upgrade", "nosuch"], 1);
    assert!(said.contains("no revision \"nosuch\""), "{said}");

    let said = p.fails(&["upgrade", "--db", "postgres://me:sekrit@127.0.0.1:1/app"], 1);
    assert!(said.contains("database \"app\" on 127.0.0.1:1"), "{said}");
    assert!(!said.contains("sekrit"), "the password is never shown:\n{said}");

    // A database at a revision this checkout does not have.
    p.ok(&["upgrade"]);
    pg::server()
        .psql(
            &p.url,
            "INSERT INTO trellis_version (revision, message, checksum) VALUES ('20991231000000_ffffff', 'From the future', 'x');",
        )
        .expect("insert");
    let said = p.fails(&["upgrade"], 1);
    assert!(
        said.contains("20991231000000_ffffff (From the future), which is not in versions"),
        "{said}"
    );

    // A schema with errors is refused with its diagnostics.
    p.write("schema/app.trellis", "table t {\n  id nosuchtype\n}\n");
    let said = p.fails(&["revision", "-m", "Broken"], 1);
    assert!(said.contains("E0205"), "{said}");
    assert!(said.contains("schema/app.trellis:2:"), "{said}");
}

fn git(dir: &Path, args: &[&str]) -> String {
    let output = Command::new("git")
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.com",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git");
    assert!(output.status.success(), "git {args:?}\n{}", text(&output));
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Two git branches each add a revision: git merges trellis.sum without a
/// conflict, trellisc sees two heads and explains them, `merge` joins them,
/// and the result upgrades and verifies.
#[test]
fn branches_merge_without_conflicts() {
    let p = Project::new();
    p.write("schema/app.trellis", BASE);
    p.revision_ok("20261125120000_aaaaaa", &["-m", "Base"]);
    git(&p.dir, &["init", "-q"]);
    git(&p.dir, &["add", "-A"]);
    git(&p.dir, &["commit", "-qm", "base"]);

    git(&p.dir, &["checkout", "-qb", "tags"]);
    p.write(
        "schema/tags.trellis",
        "table tags {\n  id bigint primary key\n  name text not null\n}\n",
    );
    p.revision_ok("20261125130000_cccccc", &["-m", "Tags"]);
    git(&p.dir, &["add", "-A"]);
    git(&p.dir, &["commit", "-qm", "tags"]);

    git(&p.dir, &["checkout", "-q", "main"]);
    p.write(
        "schema/audit.trellis",
        "table audit {\n  id bigint primary key\n  at timestamptz not null\n}\n",
    );
    p.revision_ok("20261125140000_dddddd", &["-m", "Audit"]);
    git(&p.dir, &["add", "-A"]);
    git(&p.dir, &["commit", "-qm", "audit"]);
    git(&p.dir, &["merge", "-q", "--no-edit", "tags"]);

    let said = p.fails(&["revision", "-m", "More"], 1);
    assert!(said.contains("2 heads"), "{said}");
    assert!(said.contains("trellisc merge"), "{said}");
    let history = p.ok(&["history"]);
    assert!(history.contains("(branch point)"), "{history}");

    let merged = p
        .command(&["merge"])
        .env("TRELLIS_REVISION_ID", "20261125150000_eeeeee")
        .env("TRELLIS_REVISION_TIME", "2026-11-25T15:00:00Z")
        .output()
        .expect("merge");
    assert_eq!(merged.status.code(), Some(0), "{}", text(&merged));
    let snapshot = p.snapshot("20261125150000_eeeeee");
    let names: Vec<&str> = snapshot.tables.keys().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["audit", "posts", "tags", "users"]);
    // The source (merged by git) and the merged snapshot agree.
    let next = p.ok(&["revision", "-m", "After merge"]);
    assert!(next.contains("no changes"), "{next}");

    // A database that followed main gets the other branch's revision, then
    // the merge.
    p.ok(&["upgrade", "20261125140000_dddddd"]);
    p.assert_at("20261125140000_dddddd");
    let said = text(&p.run(&["upgrade"]));
    assert!(said.contains("applied 2 revision(s)"), "{said}");
    assert!(said.contains("upgrading 20261125130000_cccccc  Tags"), "{said}");
    p.assert_at("20261125150000_eeeeee");
    assert_eq!(p.applied().len(), 4);
    // The snapshots can be compared like any schema.
    let diff = p.fails(
        &[
            "diff",
            "--from",
            "rev:20261125140000",
            "--to",
            "rev:head",
            "--format",
            "summary",
        ],
        2,
    );
    assert!(diff.contains("create table tags"), "{diff}");
    let scratch = pg::server().database();
    let verified = p.ok(&["verify", "--db", &scratch]);
    assert!(verified.contains("verified: 4 revision(s)"), "{verified}");
}

/// One branch of a [`two_branches`] history: a revision id, the schema it
/// is written from, and the further arguments of `revision`.
struct Branch<'a> {
    id: &'a str,
    schema: &'a str,
    args: &'a [&'a str],
}

/// Two branches from the head, as two git branches make them: the first
/// branch's revision is written, then set aside while the second's is
/// written from the same head; then both are there, and the sum file is
/// what git's union merge makes of it (both sides' lines). `written` runs
/// after each revision, while only its branch is there.
fn two_branches(p: &Project, first: Branch, second: Branch, mut written: impl FnMut(&str)) {
    let versions = p.dir.join("versions");
    let sum = p.read(&versions.join("trellis.sum"));
    p.write("schema/app.trellis", first.schema);
    p.revision_ok(first.id, &[&["-m", first.id], first.args].concat());
    written(first.id);
    let first_sum = p.read(&versions.join("trellis.sum"));
    std::fs::write(versions.join("trellis.sum"), &sum).expect("reset sum");
    let branch_files: Vec<PathBuf> = ["sql", "trellis"]
        .iter()
        .map(|e| p.revision_file(first.id).with_extension(e))
        .collect();
    let saved: Vec<(PathBuf, String)> = branch_files.iter().map(|f| (f.clone(), p.read(f))).collect();
    for (file, _) in &saved {
        std::fs::remove_file(file).expect("remove");
    }
    p.write("schema/app.trellis", second.schema);
    p.revision_ok(second.id, &[&["-m", second.id], second.args].concat());
    written(second.id);
    for (file, content) in &saved {
        std::fs::write(file, content).expect("restore");
    }
    let both = format!("{}{first_sum}", p.read(&versions.join("trellis.sum")));
    std::fs::write(versions.join("trellis.sum"), both).expect("union");
}

/// Both branches change the same property of a column differently: `merge`
/// names the property and the column.
#[test]
fn a_real_conflict_is_reported() {
    let p = Project::new();
    p.write("schema/app.trellis", BASE);
    p.revision_ok("20261125120000_aaaaaa", &["-m", "Base"]);
    let short = BASE.replace("  title  text not null", "  title  varchar(100) not null");
    let long = BASE.replace("  title  text not null", "  title  varchar(200) not null");
    let destructive: &[&str] = &["--allow-destructive"];
    two_branches(
        &p,
        Branch {
            id: "20261125130000_cccccc",
            schema: &short,
            args: destructive,
        },
        Branch {
            id: "20261125140000_dddddd",
            schema: &long,
            args: destructive,
        },
        |_| {},
    );
    p.ok(&["history"]);

    let said = p.fails(&["merge"], 1);
    assert!(said.contains("E0302"), "{said}");
    assert!(said.contains("type of column public.posts.title"), "{said}");
    assert!(said.contains("character varying(100)"), "{said}");
    assert!(said.contains("character varying(200)"), "{said}");
    assert!(said.contains("nothing written"), "{said}");
}

/// One branch changes a column's type, the other its default: `merge`
/// makes one column of both, and a database that followed either branch
/// upgrades to the merge with no drift (it gets the two revisions in either
/// order).
#[test]
fn a_type_and_a_default_of_one_column_merge() {
    let p = Project::new();
    let base = "table counters {\n  id   bigint primary key\n  hits integer not null\n}\n";
    let retyped = base.replace("hits integer", "hits bigint");
    let defaulted = base.replace("not null\n}", "not null default 0\n}");
    let both = retyped.replace("not null\n}", "not null default 0\n}");
    p.write("schema/app.trellis", base);
    p.revision_ok("20261125120000_aaaaaa", &["-m", "Base"]);
    let other = pg::server().database();
    p.ok(&["upgrade"]);
    p.ok(&["upgrade", "--db", &other]);
    // Each database follows one branch.
    two_branches(
        &p,
        Branch {
            id: "20261125130000_cccccc",
            schema: &retyped,
            args: &[],
        },
        Branch {
            id: "20261125140000_dddddd",
            schema: &defaulted,
            args: &[],
        },
        |id| match id {
            "20261125130000_cccccc" => drop(p.ok(&["upgrade"])),
            _ => drop(p.ok(&["upgrade", "--db", &other])),
        },
    );

    let merged = p
        .command(&["merge"])
        .env("TRELLIS_REVISION_ID", "20261125150000_eeeeee")
        .env("TRELLIS_REVISION_TIME", "2026-11-25T15:00:00Z")
        .output()
        .expect("merge");
    assert_eq!(merged.status.code(), Some(0), "{}", text(&merged));
    let snapshot = p.snapshot("20261125150000_eeeeee");
    let hits = snapshot
        .tables
        .values()
        .flat_map(|t| &t.columns)
        .find(|c| c.name.as_str() == "hits")
        .expect("hits");
    assert_eq!(hits.data_type.value.to_string(), "bigint");
    assert_eq!(hits.default.as_ref().map(|d| d.as_str()), Some("0"));
    assert!(hits.not_null);
    // The schema with both changes is the merge's.
    p.write("schema/app.trellis", &both);
    let next = p.ok(&["revision", "-m", "After merge"]);
    assert!(next.contains("no changes"), "{next}");

    for db in [&p.url, &other] {
        let said = p.ok(&["upgrade", "--db", db]);
        assert!(said.contains("applied 2 revision(s)"), "{said}");
        let drift = p.ok(&["drift", "--db", db]);
        assert!(drift.starts_with("no drift"), "{drift}");
    }
    p.assert_at("20261125150000_eeeeee");
}

/// `verify` finds a revision whose SQL does not lead to its snapshot.
#[test]
fn verify_finds_a_revision_that_does_not_hold() {
    let p = Project::new();
    p.write("schema/app.trellis", BASE);
    p.revision_ok("20261125120000_aaaaaa", &["-m", "Base"]);
    p.write("schema/app.trellis", RENAMED);
    p.revision_ok("20261125120100_bbbbbb", &["-m", "Rename"]);
    let scratch = pg::server().database();
    let verified = p.ok(&["verify", "--db", &scratch]);
    assert!(
        verified.contains("verified: 2 revision(s) up and down, 4 state(s)"),
        "{verified}"
    );
    assert!(applied(&scratch).is_empty());

    let file = p.revision_file("20261125120100_bbbbbb");
    let edited = p.read(&file).replace("CREATE UNIQUE INDEX", "CREATE INDEX");
    std::fs::write(&file, edited).expect("edit");
    p.ok(&["rehash"]);
    let scratch = pg::server().database();
    let said = p.fails(&["verify", "--db", &scratch], 1);
    assert!(
        said.contains("up   20261125120100_bbbbbb  Rename: the database differs"),
        "{said}"
    );
    assert!(said.contains("users_email"), "{said}");

    // Given a database on the server, verify works in one of its own and
    // drops it, after a failure too: nothing is left for the next run.
    assert!(!said.contains("not empty"), "{said}");
    assert!(!database_exists(&scratch_name(&said)), "{said}");
    // --keep keeps it after the failure, and says which it is.
    let said = p.fails(&["verify", "--db", &scratch, "--keep"], 1);
    let kept = scratch_name(&said);
    assert!(said.contains(&format!("kept the scratch database {kept}")), "{said}");
    assert!(database_exists(&kept), "{said}");
    pg::server().drop_database(&format!("{}/{kept}", pg::server().base_url()));

    // A scratch database given with --scratch must be empty ...
    p.ok(&["upgrade", "20261125120000"]);
    let said = p.fails(&["verify", "--scratch", &p.url.clone()], 1);
    assert!(said.contains("is not empty"), "{said}");
    // ... and is emptied again after a failure.
    let said = p.fails(&["verify", "--scratch", &scratch], 1);
    assert!(said.contains("emptied") && said.contains("differs"), "{said}");
    assert!(applied(&scratch).is_empty());
    let tables = pg::server()
        .psql(
            &scratch,
            "\\pset tuples_only on\nSELECT count(*) FROM pg_tables WHERE schemaname = 'public';",
        )
        .expect("tables");
    assert_eq!(tables.trim(), "0", "the scratch database is empty again");
    // The JSON report names the step that differs.
    let output = p.run(&["verify", "--db", &scratch, "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(report["verified"], false);
    assert_eq!(report["steps"][1]["revision"], "20261125120100_bbbbbb");
    assert_eq!(report["steps"][1]["matches"], false);
    assert_eq!(report["kept"], false);
}

/// The scratch database a `verify` run named on standard error.
fn scratch_name(said: &str) -> String {
    said.split("verifying in the scratch database ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("no scratch database named:\n{said}"))
        .to_string()
}

/// Whether the shared server has a database of this name.
fn database_exists(name: &str) -> bool {
    let found = pg::server()
        .psql(
            &format!("{}/postgres", pg::server().base_url()),
            &format!("\\pset tuples_only on\nSELECT count(*) FROM pg_database WHERE datname = '{name}';"),
        )
        .expect("list databases");
    found.trim() == "1"
}

/// `stamp` adopts a database that already has the schema, running nothing.
#[test]
fn stamp_adopts_an_existing_database() {
    let p = Project::new();
    p.write("schema/app.trellis", BASE);
    p.revision_ok("20261125120000_aaaaaa", &["-m", "Base"]);
    let revision = trellisc::revision::Revision::read(&p.revision_file("20261125120000_aaaaaa")).expect("read");
    pg::server()
        .psql(&p.url, &revision.upgrade)
        .expect("the schema, made by hand");

    let said = p.fails(&["drift"], 2);
    assert!(said.contains("has drifted from the empty schema"), "{said}");
    p.ok(&["stamp", "head"]);
    assert_eq!(p.applied(), ["20261125120000_aaaaaa:applied"]);
    let said = p.ok(&["drift"]);
    assert!(said.starts_with("no drift"), "{said}");
    let said = p.ok(&["upgrade"]);
    assert!(said.contains("already at 20261125120000_aaaaaa"), "{said}");
    p.ok(&["stamp", "base"]);
    assert!(p.applied().is_empty());
    p.assert_at("20261125120000_aaaaaa");
}

/// A revision that a rule (which trellisc does not manage) would make fail
/// part way is not started; once the revision drops and recreates the rule
/// itself, it runs. (A view of the schema is the revision's own: it
/// drops and makes it again around the change.)
#[test]
fn a_revision_a_rule_would_break_is_refused_before_it_runs() {
    let p = Project::new();
    p.write("schema/app.trellis", BASE);
    p.revision_ok("20261125120000_aaaaaa", &["-m", "Base"]);
    p.ok(&["upgrade"]);
    pg::server()
        .psql(
            &p.url,
            "CREATE RULE titled AS ON UPDATE TO posts WHERE old.title = '' DO INSTEAD NOTHING;",
        )
        .expect("a rule of our own");
    p.write(
        "schema/app.trellis",
        &BASE.replace("  title  text not null", "  title  varchar(300) not null"),
    );
    p.revision_ok(
        "20261125120100_bbbbbb",
        &["-m", "Shorter titles", "--allow-destructive"],
    );

    let said = p.fails(&["upgrade"], 1);
    assert!(
        said.contains("revision 20261125120100_bbbbbb (Shorter titles) was not run"),
        "{said}"
    );
    assert!(
        said.contains("column posts.title is used by rule titled on public.posts"),
        "{said}"
    );
    assert!(
        said.contains("would fail: ALTER TABLE public.posts ALTER COLUMN title TYPE"),
        "{said}"
    );
    assert_eq!(p.applied(), ["20261125120000_aaaaaa:applied"]);
    p.assert_at("20261125120000_aaaaaa");

    let file = p.revision_file("20261125120100_bbbbbb");
    let edited = p.read(&file).replacen(
        "-- trellisc: upgrade\n",
        "-- trellisc: upgrade\nDROP RULE titled ON posts;\n",
        1,
    );
    let edited = edited.replacen(
        "\n-- trellisc: downgrade\n",
        "CREATE RULE titled AS ON UPDATE TO posts WHERE old.title = '' DO INSTEAD NOTHING;\n\n-- trellisc: downgrade\n",
        1,
    );
    std::fs::write(&file, edited).expect("edit");
    p.ok(&["rehash"]);
    p.ok(&["upgrade"]);
    p.assert_at("20261125120100_bbbbbb");
    let rule = pg::server()
        .psql(
            &p.url,
            "\\pset tuples_only on\nSELECT count(*) FROM pg_rules WHERE rulename = 'titled';",
        )
        .expect("rule");
    assert_eq!(rule.trim(), "1");
}

/// A garbage line in trellis.sum is named by its line, and a read-only
/// trellis.sum is named as the file (not its directory).
#[test]
fn sum_file_problems_are_what_they_are() {
    let p = Project::new();
    p.write("schema/app.trellis", BASE);
    p.revision_ok("20261125120000_aaaaaa", &["-m", "Base"]);
    let sum = p.dir.join("versions/trellis.sum");
    let good = p.read(&sum);
    std::fs::write(&sum, format!("{good}this is not a sum line\n")).expect("write");
    let said = p.fails(&["history"], 1);
    let line = good.lines().count() + 1;
    assert!(
        said.contains(&format!("line {line} of versions/trellis.sum is malformed")),
        "{said}"
    );
    assert!(!said.contains("deleted"), "{said}");
    p.ok(&["rehash"]);
    assert_eq!(p.read(&sum), good, "rehash rewrites the line away");

    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&sum, std::fs::Permissions::from_mode(0o444)).expect("chmod");
    let root = std::fs::metadata("/proc/self").map(|m| {
        use std::os::unix::fs::MetadataExt;
        m.uid() == 0
    });
    let output = if root.unwrap_or(false) {
        // root writes any file: run as nobody, who owns the project (so the
        // directory is writable) but not the write bit of trellis.sum.
        for entry in [p.dir.clone(), p.dir.join("versions"), p.dir.join("schema")]
            .into_iter()
            .chain(
                std::fs::read_dir(p.dir.join("versions"))
                    .expect("dir")
                    .map(|e| e.expect("entry").path()),
            )
            .chain([p.dir.join("trellis.toml"), p.dir.join("schema/app.trellis")])
        {
            std::os::unix::fs::chown(&entry, Some(65534), Some(65534)).expect("chown");
        }
        Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
            .arg(env!("CARGO_BIN_EXE_trellisc"))
            .arg("rehash")
            .current_dir(&p.dir)
            .output()
            .expect("setpriv")
    } else {
        p.run(&["rehash"])
    };
    let said = text(&output);
    assert_eq!(output.status.code(), Some(1), "{said}");
    assert!(
        said.contains("trellis.sum: the file is not writable for user"),
        "{said}"
    );
    assert!(!said.contains("versions is not writable"), "{said}");
}

/// A revision file whose header names another id than its file name is
/// refused before anything runs, naming both.
#[test]
fn a_header_id_that_differs_from_the_file_name_is_refused() {
    let p = Project::new();
    p.write("schema/app.trellis", BASE);
    p.revision_ok("20261125120000_aaaaaa", &["-m", "Base"]);
    let file = p.revision_file("20261125120000_aaaaaa");
    let edited = p
        .read(&file)
        .replacen("20261125120000_aaaaaa", "20261125999999_zzzzzz", 1);
    std::fs::write(&file, edited).expect("edit");
    // rehash accepts the checksum but not the mismatch.
    let said = p.fails(&["rehash"], 1);
    let expected = "its header says it is revision 20261125999999_zzzzzz, but its file name 20261125120000_aaaaaa_base.sql does not start with 20261125999999_zzzzzz";
    assert!(said.contains(expected), "{said}");
    let said = p.fails(&["upgrade", "head", "--db", &p.url], 1);
    assert!(said.contains(expected), "{said}");
    assert!(p.applied().is_empty(), "nothing ran");
    assert_eq!(p.value("select to_regclass('public.users') is null"), "t");
}

/// Parents rearranged after a revision was applied, so that one the
/// database lacks comes before one it has: refused before any SQL runs.
#[test]
fn swapped_parents_are_refused_before_any_sql_runs() {
    let p = Project::new();
    p.write("schema/app.trellis", BASE);
    p.revision_ok("20261125120000_aaaaaa", &["-m", "Base"]);
    p.write(
        "schema/app.trellis",
        &format!("{BASE}\ntable tags {{\n  id bigint primary key\n}}\n"),
    );
    p.revision_ok("20261125120100_bbbbbb", &["-m", "Tags"]);
    p.write(
        "schema/app.trellis",
        &format!(
            "{BASE}\ntable tags {{\n  id bigint primary key\n}}\n\ntable labels {{\n  id bigint primary key\n}}\n"
        ),
    );
    p.revision_ok("20261125120200_cccccc", &["-m", "Labels"]);
    p.ok(&["upgrade", "20261125120100_bbbbbb", "--db", &p.url]);
    // Swap: bbbbbb now builds on cccccc, which builds on aaaaaa.
    let b = p.revision_file("20261125120100_bbbbbb");
    let c = p.revision_file("20261125120200_cccccc");
    let text_b = p
        .read(&b)
        .replace("-- parent: 20261125120000_aaaaaa", "-- parent: 20261125120200_cccccc");
    let text_c = p
        .read(&c)
        .replace("-- parent: 20261125120100_bbbbbb", "-- parent: 20261125120000_aaaaaa");
    std::fs::write(&b, text_b).expect("edit");
    std::fs::write(&c, text_c).expect("edit");
    p.ok(&["rehash"]);
    let said = p.fails(&["upgrade", "head", "--db", &p.url], 1);
    assert!(
        said.contains("puts revision(s) 20261125120200_cccccc before revision 20261125120100_bbbbbb"),
        "{said}"
    );
    assert!(said.contains("nothing was run"), "{said}");
    assert_eq!(
        p.applied(),
        ["20261125120000_aaaaaa:applied", "20261125120100_bbbbbb:applied"]
    );
    assert_eq!(p.value("select to_regclass('public.labels') is null"), "t");
    // Nor is a downgrade run on the rearranged history.
    let said = p.fails(&["downgrade", "20261125120000_aaaaaa", "--db", &p.url], 1);
    assert!(said.contains("nothing was run"), "{said}");
    assert_eq!(
        p.applied(),
        ["20261125120000_aaaaaa:applied", "20261125120100_bbbbbb:applied"]
    );
    assert_eq!(p.value("select to_regclass('public.tags') is null"), "f");
}

/// A label added and used in one revision: PostgreSQL lets no statement of
/// the transaction that adds it use it, so the upgrade commits it first.
#[test]
fn a_label_added_and_used_in_one_revision_upgrades() {
    let p = Project::new();
    p.write(
        "schema/app.trellis",
        "enum state { 'open' }\n\ntable tickets {\n  id    bigint primary key\n  state state not null default 'open'\n}\n",
    );
    p.revision_ok("20261203120000_aaaaaa", &["-m", "Base"]);
    p.write(
        "schema/app.trellis",
        "enum state { 'open', 'new' }\n\ntable tickets {\n  id    bigint primary key\n  state state not null default 'new'\n}\n",
    );
    p.revision_ok("20261203120100_bbbbbb", &["-m", "New label as default"]);
    p.ok(&["upgrade", "head", "--db", &p.url]);
    assert_eq!(
        p.applied(),
        ["20261203120000_aaaaaa:applied", "20261203120100_bbbbbb:applied"]
    );
    p.sql("INSERT INTO tickets (id) VALUES (1);");
    assert_eq!(p.value("SELECT state::text FROM tickets"), "new");
    // A row holds the label: the way back stops, and keeps nothing.
    p.fails(&["downgrade", "20261203120000_aaaaaa", "--db", &p.url], 1);
    p.sql("DELETE FROM tickets;");
    p.ok(&["downgrade", "20261203120000_aaaaaa", "--db", &p.url]);
    assert_eq!(p.applied(), ["20261203120000_aaaaaa:applied"]);
}

/// With no path, `check` and `fmt` work on the project's schema (found from
/// the root or any directory below it) and never read or rewrite the
/// revisions' snapshots, which declare the same tables again and whose
/// bytes trellis.sum seals.
#[test]
fn check_and_fmt_with_no_path_work_on_the_projects_schema() {
    let p = Project::new();
    p.write("schema/app.trellis", BASE);
    p.revision_ok("20261125120000_aaaaaa", &["-m", "Base"]);
    let snapshot = p.revision_file("20261125120000_aaaaaa").with_extension("trellis");
    let sealed = p.read(&snapshot);
    let checked = |args: &[&str], dir: &Path| {
        let output = p.command(args).current_dir(dir).output().expect("run trellisc");
        let said = text(&output);
        assert_eq!(output.status.code(), Some(0), "{args:?} in {dir:?}\n{said}");
        assert!(
            said.contains("ok: 1 file(s), 2 table(s)"),
            "{args:?} in {dir:?}\n{said}"
        );
    };
    checked(&["check"], &p.dir);
    checked(&["check"], &p.dir.join("schema"));
    checked(&["check"], &p.dir.join("versions"));
    // Named explicitly, the project's root is its schema too.
    checked(&["check", "."], &p.dir);
    // A snapshot named on its own is checked as asked.
    let name = snapshot.file_name().and_then(|n| n.to_str()).expect("name");
    checked(&["check", &format!("versions/{name}")], &p.dir);

    let untidy = BASE.replace("  name text not null", "  name     text    not null");
    p.write("schema/app.trellis", &untidy);
    let listed = p.fails(&["fmt", "--check"], 1);
    assert!(listed.contains("schema/app.trellis"), "{listed}");
    assert!(!listed.contains("versions/"), "{listed}");
    p.ok(&["fmt"]);
    let formatted = p.read(&p.dir.join("schema/app.trellis"));
    assert!(
        formatted.contains("\n  name  text not null\n"),
        "the schema file is formatted:\n{formatted}"
    );
    assert_eq!(p.read(&snapshot), sealed, "the snapshot is left as it was");
    p.ok(&["fmt", "--check"]);
    // The sums still hold: history reads them.
    p.ok(&["history"]);
}

/// `HEAD` and `BASE` as Alembic's documentation and git write them, and a
/// header that names the full id whatever prefix was typed.
#[test]
fn symbolic_targets_in_any_case_and_full_ids_in_headers() {
    let p = Project::new();
    p.write("schema/app.trellis", BASE);
    p.revision_ok("20261125120000_aaaaaa", &["-m", "Base"]);
    let script = p.ok(&["upgrade", "--sql", "HEAD", "--from", "BASE"]);
    assert!(
        script.contains("trellisc upgrade from base to 20261125120000_aaaaaa (1 revision(s))"),
        "{script}"
    );
    let script = p.ok(&["downgrade", "Base", "--sql", "--from", "20261125"]);
    assert!(
        script.contains("trellisc downgrade from 20261125120000_aaaaaa to base (1 revision(s))"),
        "{script}"
    );
}
