//! A trellisc project directory with a database of its own, driven through
//! the real `trellisc` binary: for the tests of revisions and of runs that
//! are interrupted.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

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
    let query = |sql: &str| {
        pg::server()
            .psql(url, &format!("\\pset tuples_only on\n\\pset format unaligned\n{sql};"))
            .expect("read the version table")
    };
    if query("SELECT to_regclass('public.trellis_version') IS NULL").trim() == "t" {
        return Vec::new();
    }
    query("SELECT revision || ':' || state FROM public.trellis_version ORDER BY applied_at")
        .split_whitespace()
        .map(String::from)
        .collect()
}
