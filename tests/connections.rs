//! Connections through the real `trellisc` binary: a server that accepts
//! the TCP connection and never answers is given up on within the connect
//! timeout, a connection cut in the middle of a revision leaves the version
//! table telling the truth, and no password ever appears in the output,
//! whatever the shape of the argument and wherever it came from.

mod common;
mod support;

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use support::pg;
use support::project::{Project, text};

/// A TCP server on 127.0.0.1 that accepts every connection and never
/// says a word; its port.
fn silent_server() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("address").port();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().flatten() {
            held.push(stream);
        }
    });
    port
}

fn trellisc(args: &[&str], env: &[(&str, &str)]) -> (Output, Duration) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_trellisc"));
    command
        .args(args)
        .env_remove("PGCONNECT_TIMEOUT")
        .env_remove("TRELLIS_DATABASE_URL");
    for (name, value) in env {
        command.env(name, value);
    }
    let started = Instant::now();
    let output = command.output().expect("run trellisc");
    (output, started.elapsed())
}

/// A project with one revision, written without a database.
fn project() -> Project {
    let p = Project::new();
    p.write("schema/app.trellis", support::project::USERS);
    p.revision_ok("20261125120000_aaaaaa", &["-m", "Base"]);
    p
}

fn assert_gives_up(output: &Output, elapsed: Duration, port: u16, seconds: u64) {
    let all = text(output);
    assert_eq!(output.status.code(), Some(1), "{all}");
    assert!(
        elapsed < Duration::from_secs(seconds + 4),
        "took {elapsed:?}, the timeout is {seconds} s\n{all}"
    );
    assert!(
        elapsed >= Duration::from_secs(seconds),
        "gave up after {elapsed:?}\n{all}"
    );
    let expected = format!("database \"db\" on 127.0.0.1:{port}: no answer within {seconds} s (connect_timeout");
    assert!(all.contains(&expected), "expected {expected:?}\n{all}");
}

#[test]
fn a_server_that_never_answers_is_given_up_on_within_connect_timeout() {
    let port = silent_server();
    let url = format!("postgres://x@127.0.0.1:{port}/db?connect_timeout=2");
    let p = project();
    for args in [
        vec!["diff", "--from", url.as_str(), "--to", "empty"],
        vec!["import", "--db", url.as_str()],
    ] {
        let (output, elapsed) = trellisc(&args, &[]);
        assert_gives_up(&output, elapsed, port, 2);
    }
    let started = Instant::now();
    let output = p.run(&["upgrade", "--db", &url]);
    assert_gives_up(&output, started.elapsed(), port, 2);

    // Without connect_timeout in the URL: the one configured, by flag or
    // by libpq's variable.
    let bare = format!("postgres://x@127.0.0.1:{port}/db");
    let (output, elapsed) = trellisc(&["--connect-timeout", "1", "import", "--db", &bare], &[]);
    assert_gives_up(&output, elapsed, port, 1);
    let (output, elapsed) = trellisc(
        &["diff", "--from", &bare, "--to", "empty", "--connect-timeout", "1"],
        &[],
    );
    assert_gives_up(&output, elapsed, port, 1);
    let started = Instant::now();
    let output = p
        .command(&["upgrade", "--db", &bare])
        .env("PGCONNECT_TIMEOUT", "1")
        .output()
        .expect("run");
    assert_gives_up(&output, started.elapsed(), port, 1);
    let (output, _) = trellisc(&["import", "--db", &bare], &[("PGCONNECT_TIMEOUT", "soon")]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    assert!(
        text(&output).contains("PGCONNECT_TIMEOUT=\"soon\" is not a number of seconds"),
        "{}",
        text(&output)
    );
    let output = p
        .command(&["check", "schema"])
        .env("PGCONNECT_TIMEOUT", "soon")
        .output()
        .expect("run");
    assert_eq!(
        output.status.code(),
        Some(0),
        "a command that never connects ignores it\n{}",
        text(&output)
    );
}

/// A TCP proxy to the test server whose connections can be cut.
struct Proxy {
    port: u16,
    streams: Arc<Mutex<Vec<TcpStream>>>,
}

impl Proxy {
    fn to(server_port: u16) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("address").port();
        let streams: Arc<Mutex<Vec<TcpStream>>> = Arc::default();
        let held = Arc::clone(&streams);
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                let Ok(server) = TcpStream::connect(("127.0.0.1", server_port)) else {
                    continue;
                };
                let mut list = held.lock().expect("proxy streams");
                for (mut from, mut to) in [
                    (client.try_clone().expect("clone"), server.try_clone().expect("clone")),
                    (server.try_clone().expect("clone"), client.try_clone().expect("clone")),
                ] {
                    std::thread::spawn(move || {
                        let mut buffer = [0u8; 8192];
                        while let Ok(n) = from.read(&mut buffer) {
                            if n == 0 || to.write_all(&buffer[..n]).is_err() {
                                break;
                            }
                        }
                        let _ = to.shutdown(Shutdown::Both);
                    });
                }
                list.push(client);
                list.push(server);
            }
        });
        Proxy { port, streams }
    }

    /// Cuts every connection, both ways.
    fn cut(&self) {
        for stream in self.streams.lock().expect("proxy streams").iter() {
            let _ = stream.shutdown(Shutdown::Both);
        }
    }
}

fn port_of(url: &str) -> u16 {
    let after_at = url.rsplit_once('@').map_or(url, |(_, rest)| rest);
    let port = after_at
        .split('/')
        .next()
        .and_then(|h| h.rsplit_once(':'))
        .map(|(_, p)| p);
    port.and_then(|p| p.parse().ok())
        .expect("the test server's URL has a port")
}

#[test]
fn a_connection_cut_during_a_revision_leaves_the_version_table_true() {
    let p = Project::new();
    let id = p.with_revision("CREATE TABLE cut_short (a int);\nSELECT pg_sleep(5);");
    p.ok(&["rehash"]);
    let proxy = Proxy::to(port_of(&p.url));
    let database = p.url.rsplit('/').next().expect("database name").to_string();
    let through = format!("postgres://postgres@127.0.0.1:{}/{database}", proxy.port);
    let child = p
        .command(&["upgrade", "--db", &through])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    let pid = p.wait_for_query("%pg_sleep%");
    proxy.cut();
    // The server would otherwise finish the transaction it was sent whole.
    p.value(&format!("SELECT pg_terminate_backend({pid})"));
    let output = child.wait_with_output().expect("wait");
    let all = text(&output);
    assert_eq!(output.status.code(), Some(1), "{all}");
    assert!(
        all.contains(&format!("database \"{database}\" on 127.0.0.1:{}", proxy.port)),
        "the server is named\n{all}"
    );
    assert!(
        all.contains("trellisc current"),
        "says how to find out what happened\n{all}"
    );
    assert!(
        !p.applied().iter().any(|a| a.starts_with(&id)),
        "{:?}\n{all}",
        p.applied()
    );
    assert_eq!(p.value("SELECT to_regclass('cut_short') IS NULL"), "t");
    p.ok(&["upgrade"]);
    assert!(p.applied().contains(&format!("{id}:applied")), "{:?}", p.applied());
}

/// Runs trellisc and asserts `secret` appears in neither output; the output.
fn without_secret(p: &Project, args: &[&str], env: &[(&str, &str)]) -> String {
    let mut command = p.command(args);
    for (name, value) in env {
        command.env(name, value);
    }
    let output = command.output().expect("run trellisc");
    let all = text(&output);
    assert!(
        !all.contains("s3cr3t"),
        "trellisc {args:?} {env:?} shows the password:\n{all}"
    );
    assert_ne!(output.status.code(), Some(0), "{all}");
    all
}

#[test]
fn no_password_is_ever_shown() {
    let p = Project::new();
    p.write("schema/app.trellis", support::project::USERS);
    p.revision_ok("20261125120000_aaaaaa", &["-m", "Base"]);
    let port = silent_server();
    let server = format!("on 127.0.0.1:{port}");
    let mistyped = "did you mean postgres://?";
    let unreadable = "cannot read it";
    let shapes = [
        (
            format!("host=127.0.0.1 port={port} password=s3cr3t dbname=db connect_timeout=1"),
            server.as_str(),
        ),
        (
            format!("host=127.0.0.1 port={port} password='s 3 s3cr3t' dbname=db connect_timeout=1"),
            &server,
        ),
        (
            format!("postgres://u:s3cr3t@127.0.0.1:{port}/db?connect_timeout=1"),
            &server,
        ),
        (
            format!("postgres://u@127.0.0.1:{port}/db?connect_timeout=1&password=s3cr3t"),
            &server,
        ),
        ("postgress://u:s3cr3t@127.0.0.1/db".to_string(), mistyped),
        ("POSTGRES://u:s3cr3t@127.0.0.1/db".to_string(), mistyped),
        ("pg://u:s3cr3t@127.0.0.1/db".to_string(), mistyped),
        (" postgres://u:s3cr3t@127.0.0.1/db".to_string(), mistyped),
        ("postgres://u:s3cr3t@127.0.0.1/db?port=notaport".to_string(), unreadable),
        ("host=127.0.0.1 passwrd=s3cr3t".to_string(), unreadable),
    ];
    for (shape, expected) in &shapes {
        for args in [
            vec!["diff", "--from", shape.as_str(), "--to", "schema"],
            vec!["diff", "--from", "schema", "--to", shape.as_str()],
            vec!["import", "--db", shape.as_str()],
            vec!["upgrade", "--db", shape.as_str()],
            vec!["current", "--db", shape.as_str()],
        ] {
            let all = without_secret(&p, &args, &[]);
            assert!(
                all.contains(expected),
                "trellisc {args:?}: expected {expected:?}\n{all}"
            );
        }
        // From the environment, for import and the revision commands.
        let all = without_secret(&p, &["import"], &[("TRELLIS_DATABASE_URL", shape)]);
        assert!(
            all.contains(expected),
            "import from the environment: expected {expected:?}\n{all}"
        );
        let all = without_secret(&p, &["upgrade"], &[("TRELLIS_DATABASE_URL", shape)]);
        assert!(
            all.contains(expected),
            "upgrade from the environment: expected {expected:?}\n{all}"
        );
        // Misplaced, so that clap repeats it.
        without_secret(&p, &["diff", shape.as_str()], &[]);
    }
    // trellis.toml naming a URL where the variable's name belongs.
    p.write(
        "trellis.toml",
        "database_url_env = \"postgres://u:s3cr3t@127.0.0.1/db\"\n",
    );
    let all = without_secret(&p, &["upgrade"], &[]);
    assert!(all.contains("names the environment variable"), "{all}");
}

#[test]
fn a_key_value_connection_string_is_a_database() {
    let server = pg::server();
    let url = server.database();
    server
        .psql(&url, "CREATE TABLE kv (id integer primary key)")
        .unwrap_or_else(|e| panic!("{e}"));
    let database = url.rsplit('/').next().expect("database name");
    let port = port_of(&url);
    let conninfo = format!("host=127.0.0.1 port={port} user=postgres dbname={database}");
    let (output, _) = trellisc(&["import", "--db", &conninfo], &[]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    assert!(
        String::from_utf8_lossy(&output.stdout).contains("table kv"),
        "{}",
        text(&output)
    );
    let (output, _) = trellisc(
        &["diff", "--from", &conninfo, "--to", "empty", "--format", "summary"],
        &[],
    );
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
}
