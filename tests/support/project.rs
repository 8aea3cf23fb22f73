//! A trellisc project directory with a database of its own, driven through
//! the real `trellisc` binary: for the tests of revisions and of runs that
//! are interrupted.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use super::pg;

static PROJECTS: AtomicUsize = AtomicUsize::new(0);

/// A project directory with its own database.
pub struct Project {
    pub dir: PathBuf,
    pub url: String,
}

impl Drop for Project {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

pub fn text(output: &Output) -> String {
    format!(
        "status {:?}\n--- stdout ---\n{}--- stderr ---\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

impl Project {
    /// `trellisc init` in a new directory, with a new database.
    pub fn new() -> Project {
        let dir = std::env::temp_dir().join(format!(
            "trellis-revisions-{}-{}",
            std::process::id(),
            PROJECTS.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("project directory");
        let project = Project {
            dir,
            url: pg::server().database(),
        };
        project.ok(&["init"]);
        project
    }

    pub fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_trellisc"));
        command
            .args(args)
            .current_dir(&self.dir)
            .env("TRELLIS_DATABASE_URL", &self.url)
            .env_remove("TRELLIS_REVISION_ID")
            .env_remove("TRELLIS_REVISION_TIME");
        command
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("run trellisc")
    }

    /// Runs and expects exit status 0; returns standard output.
    pub fn ok(&self, args: &[&str]) -> String {
        let output = self.run(args);
        assert_eq!(output.status.code(), Some(0), "trellisc {args:?}\n{}", text(&output));
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    /// Runs and expects exit status `code`; returns stdout and stderr.
    pub fn fails(&self, args: &[&str], code: i32) -> String {
        let output = self.run(args);
        assert_eq!(output.status.code(), Some(code), "trellisc {args:?}\n{}", text(&output));
        text(&output)
    }

    /// `trellisc revision` with a fixed id and time.
    pub fn revision(&self, id: &str, args: &[&str]) -> Output {
        let mut all = vec!["revision"];
        all.extend(args);
        self.command(&all)
            .env("TRELLIS_REVISION_ID", id)
            .env("TRELLIS_REVISION_TIME", "2026-11-25T12:00:00Z")
            .output()
            .expect("run trellisc")
    }

    pub fn revision_ok(&self, id: &str, args: &[&str]) {
        let output = self.revision(id, args);
        assert_eq!(output.status.code(), Some(0), "revision {args:?}\n{}", text(&output));
    }

    pub fn write(&self, path: &str, content: &str) {
        let path = self.dir.join(path);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, content).expect("write");
    }

    /// The revision SQL file whose name starts with `id`.
    pub fn revision_file(&self, id: &str) -> PathBuf {
        let versions = self.dir.join("versions");
        let mut found: Vec<PathBuf> = std::fs::read_dir(&versions)
            .expect("versions")
            .map(|e| e.expect("entry").path())
            .filter(|p| {
                p.extension().is_some_and(|e| e == "sql")
                    && p.file_name().is_some_and(|n| n.to_string_lossy().starts_with(id))
            })
            .collect();
        assert_eq!(found.len(), 1, "one revision file for {id}: {found:?}");
        found.remove(0)
    }

    pub fn read(&self, path: &Path) -> String {
        std::fs::read_to_string(path).expect("read")
    }

    /// The revision ids in the version table, in the order applied.
    pub fn applied(&self) -> Vec<String> {
        applied(&self.url)
    }

    /// The schema a revision's snapshot holds.
    pub fn snapshot(&self, id: &str) -> trellisc::ir::Schema {
        let path = self.revision_file(id).with_extension("trellis");
        trellisc::revision::files::read_snapshot(&path).expect("snapshot compiles")
    }

    /// Asserts the database has exactly the schema of revision `id`.
    pub fn assert_at(&self, id: &str) {
        let remaining = super::reflect::remaining(&self.url, &self.snapshot(id));
        assert!(
            remaining.is_empty(),
            "the database is not at {id}'s snapshot:\n{}",
            remaining.join("\n")
        );
    }
}

pub fn applied(url: &str) -> Vec<String> {
    if value(url, "SELECT to_regclass('public.trellis_version') IS NULL") == "t" {
        return Vec::new();
    }
    value(
        url,
        "SELECT revision || ':' || state FROM public.trellis_version ORDER BY applied_at",
    )
    .split_whitespace()
    .map(String::from)
    .collect()
}

/// One value (or lines of them) from the database.
pub fn value(url: &str, sql: &str) -> String {
    pg::server()
        .psql(url, &format!("\\pset tuples_only on\n\\pset format unaligned\n{sql};"))
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .trim()
        .to_string()
}

/// A function that takes half a second per call, marked immutable so that
/// checks and index expressions may use it: it makes a validation or a
/// concurrent index build last long enough to be watched and interrupted.
pub const SLOW: &str =
    "CREATE FUNCTION slow(v text) RETURNS text IMMUTABLE LANGUAGE sql AS $$ SELECT v FROM pg_sleep(0.5) $$;";

/// The schema of [`Project::with_revision`]'s first revision.
pub const USERS: &str = "\
table users {
  id    bigint generated always as identity primary key
  email text not null
}
";

impl Project {
    /// One value from this project's database.
    pub fn value(&self, sql: &str) -> String {
        value(&self.url, sql)
    }

    /// Runs SQL on this project's database, panicking with the error.
    pub fn sql(&self, sql: &str) {
        if let Err(e) = pg::server().psql(&self.url, sql) {
            panic!("{sql}: {e}");
        }
    }

    /// Whether the index is valid (`t` or `f`).
    pub fn index_valid(&self, index: &str) -> String {
        self.value(&format!(
            "SELECT indisvalid FROM pg_index WHERE indexrelid = '{index}'::regclass"
        ))
    }

    /// Starts trellisc with its output captured.
    pub fn spawn(&self, args: &[&str]) -> Child {
        self.command(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn trellisc")
    }

    /// The project at a first revision of [`USERS`], applied, and an empty
    /// second one whose upgrade is `upgrade` (its downgrade left empty);
    /// the second revision's id.
    pub fn with_revision(&self, upgrade: &str) -> String {
        self.write("schema/app.trellis", USERS);
        self.revision_ok("20261125120000_aaaaaa", &["-m", "Base"]);
        self.ok(&["upgrade"]);
        let id = "20261125120100_bbbbbb";
        self.revision_ok(id, &["-m", "By hand", "--empty"]);
        let file = self.revision_file(id);
        let edited = self
            .read(&file)
            .replace("-- Write the upgrade statements here.", upgrade);
        std::fs::write(&file, edited).expect("edit");
        id.to_string()
    }

    /// Waits until a query of another session on this database matches
    /// `pattern` (ILIKE); that session's pid.
    pub fn wait_for_query(&self, pattern: &str) -> String {
        let started = Instant::now();
        loop {
            let pid = self.value(&format!(
                "SELECT coalesce(max(pid)::text, '') FROM pg_stat_activity WHERE datname = current_database() AND query ILIKE {} AND pid <> pg_backend_pid()",
                trellisc::render::literal(pattern)
            ));
            if !pid.is_empty() {
                return pid;
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "no query like {pattern} started"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}
