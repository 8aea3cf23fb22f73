//! A throwaway PostgreSQL server for the tests: started once per test
//! binary (initdb + pg_ctl in a temporary directory, 127.0.0.1 only, a free
//! port), a fresh database per test, stopped when the test process exits.
//! With `TRELLIS_TEST_DATABASE_URL` set, that server is used instead.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A running server that tests can create databases on.
pub struct Server {
    /// `postgresql://user@127.0.0.1:port` without a database.
    base_url: String,
    bin: PathBuf,
    /// The data directory of the harness's own server, and whether it runs
    /// as the `postgres` user (None: a server given by URL).
    data: Option<(PathBuf, bool)>,
}

/// The role that logs in with a password on the harness's own server.
pub const PASSWORD_ROLE: &str = "trellis_password_login";

static SERVER: OnceLock<Result<Server, String>> = OnceLock::new();
static DATABASES: AtomicUsize = AtomicUsize::new(0);

/// The shared server, started on first use.
pub fn server() -> &'static Server {
    match SERVER.get_or_init(start) {
        Ok(server) => server,
        Err(error) => panic!("cannot start PostgreSQL for the tests: {error}"),
    }
}

fn run(command: &mut Command) -> Result<String, String> {
    let output = command.output().map_err(|e| format!("{command:?}: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "{command:?} failed: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// On a fresh Debian machine (run as root) the server package is installed
/// on first use, so that a plain `cargo test` works there.
fn install_postgres() -> Result<(), String> {
    let root = run(Command::new("id").arg("-u"))
        .map(|s| s.trim() == "0")
        .unwrap_or(false);
    if !root || !Path::new("/usr/bin/apt-get").exists() {
        return Err(
            "PostgreSQL is not installed: install the postgresql package (apt-get install postgresql), \
                    or set TRELLIS_TEST_DATABASE_URL"
                .into(),
        );
    }
    eprintln!("PostgreSQL is not installed: installing Debian's postgresql package for the tests");
    run(Command::new("apt-get")
        .args(["update", "-qq"])
        .env("DEBIAN_FRONTEND", "noninteractive"))?;
    run(Command::new("apt-get")
        .args(["install", "-y", "-qq", "postgresql"])
        .env("DEBIAN_FRONTEND", "noninteractive"))?;
    Ok(())
}

fn postgres_bin() -> Result<PathBuf, String> {
    if !Path::new("/usr/lib/postgresql").exists() {
        install_postgres()?;
    }
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map_err(|_| {
            "PostgreSQL is not installed (no /usr/lib/postgresql); install the postgresql package".to_string()
        })?
        .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
        .filter(|p| p.join("initdb").exists())
        .collect();
    found.sort_by_key(|p| {
        p.parent()
            .and_then(|v| v.file_name())
            .and_then(|v| v.to_str())
            .and_then(|v| v.parse::<u32>().ok())
    });
    found
        .pop()
        .ok_or_else(|| "no initdb under /usr/lib/postgresql/*/bin".into())
}

/// Runs a PostgreSQL program, as the `postgres` user when we are root
/// (initdb refuses to run as root).
fn as_server_user(program: &Path, root: bool) -> Command {
    if root {
        let mut command = Command::new("runuser");
        command.args(["-u", "postgres", "--"]).arg(program);
        command
    } else {
        Command::new(program)
    }
}

fn start() -> Result<Server, String> {
    let bin = postgres_bin()?;
    if let Ok(url) = std::env::var("TRELLIS_TEST_DATABASE_URL") {
        return Ok(Server {
            base_url: url.trim_end_matches('/').to_string(),
            bin,
            data: None,
        });
    }
    let root = run(Command::new("id").arg("-u"))
        .map(|s| s.trim() == "0")
        .unwrap_or(false);
    let dir = std::env::temp_dir().join(format!("trellisc-pg-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| format!("create {}: {e}", dir.display()))?;
    if root {
        run(Command::new("chown").args(["postgres:postgres"]).arg(&dir))?;
    }
    let data = dir.join("data");
    run(as_server_user(&bin.join("initdb"), root)
        .args([
            "-U",
            "postgres",
            "--auth=trust",
            "--no-sync",
            "-E",
            "UTF8",
            "--locale=C",
            "-D",
        ])
        .arg(&data))?;
    // One role must give its password, for the tests of a wrong one.
    let hba = data.join("pg_hba.conf");
    let rules = std::fs::read_to_string(&hba).map_err(|e| format!("read {}: {e}", hba.display()))?;
    std::fs::write(
        &hba,
        format!("host all {PASSWORD_ROLE} 127.0.0.1/32 scram-sha-256\n{rules}"),
    )
    .map_err(|e| format!("write {}: {e}", hba.display()))?;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| e.to_string())?
        .port();
    let options = format!(
        "-c listen_addresses=127.0.0.1 -p {port} -k {} -c fsync=off -c synchronous_commit=off -c full_page_writes=off",
        dir.display()
    );
    run(as_server_user(&bin.join("pg_ctl"), root)
        .args(["-w", "-D"])
        .arg(&data)
        .args(["-o", &options, "-l"])
        .arg(dir.join("log"))
        .arg("start"))?;
    // Stop the server when this process ends, however it ends.
    let pg_ctl = bin.join("pg_ctl");
    let stop = if root {
        format!(
            "runuser -u postgres -- {} -D {} stop -m immediate",
            pg_ctl.display(),
            data.display()
        )
    } else {
        format!("{} -D {} stop -m immediate", pg_ctl.display(), data.display())
    };
    let watchdog = format!(
        "while kill -0 {pid} 2>/dev/null; do sleep 1; done; {stop} >/dev/null 2>&1; sleep 1; rm -rf {dir} || (sleep 2; rm -rf {dir})",
        pid = std::process::id(),
        dir = dir.display()
    );
    Command::new("sh")
        .args(["-c", &watchdog])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("watchdog: {e}"))?;
    Ok(Server {
        base_url: format!("postgresql://postgres@127.0.0.1:{port}"),
        bin,
        data: Some((data, root)),
    })
}

impl Server {
    /// `postgresql://user@host:port`, without a database.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// A PostgreSQL program of the server's version (`pg_dump`, ...).
    pub fn program(&self, name: &str) -> PathBuf {
        self.bin.join(name)
    }

    /// Whether this is the harness's own server (not one given by
    /// `TRELLIS_TEST_DATABASE_URL`), where [`PASSWORD_ROLE`] needs its password.
    pub fn own(&self) -> bool {
        std::env::var_os("TRELLIS_TEST_DATABASE_URL").is_none()
    }

    /// Restarts the harness's own server (fast shutdown: open sessions are
    /// cut off, as in a real restart); false for a server given by URL.
    pub fn restart(&self) -> bool {
        let Some((data, root)) = &self.data else {
            return false;
        };
        run(as_server_user(&self.bin.join("pg_ctl"), *root)
            .args(["-w", "-D"])
            .arg(data)
            .arg("-l")
            .arg(data.with_file_name("log"))
            .args(["restart", "-m", "fast"]))
        .unwrap_or_else(|e| panic!("restart the server: {e}"));
        true
    }

    /// A new, empty database; returns its URL.
    pub fn database(&self) -> String {
        let name = format!(
            "trellis_test_{}_{}",
            std::process::id(),
            DATABASES.fetch_add(1, Ordering::SeqCst)
        );
        self.psql(
            &format!("{}/postgres", self.base_url),
            &format!("CREATE DATABASE {name}"),
        )
        .unwrap_or_else(|e| panic!("create database: {e}"));
        format!("{}/{name}", self.base_url)
    }

    /// Runs SQL with psql (stopping at the first error); the error text on failure.
    pub fn psql(&self, url: &str, sql: &str) -> Result<String, String> {
        let mut child = Command::new(self.bin.join("psql"))
            .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-f", "-"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("psql: {e}"))?;
        {
            use std::io::Write;
            let mut stdin = child.stdin.take().expect("psql stdin is piped");
            // psql stops reading at the first error: its message says more
            // than the broken pipe.
            let _ = stdin.write_all(sql.as_bytes());
        }
        let output = child.wait_with_output().map_err(|e| format!("psql: {e}"))?;
        if output.status.success() {
            Ok(String::from_utf8_lossy(&output.stdout).into_owned())
        } else {
            Err(String::from_utf8_lossy(&output.stderr).into_owned())
        }
    }
}
