//! Connecting as production does, through the real `trellisc` binary, to
//! real PostgreSQL servers with TLS on: a server that accepts only TLS
//! (`hostssl`, password and certificate authentication), one with TLS off,
//! one whose certificate names another host. Certificates are made at test
//! time (support/tls.rs). Each `sslmode`, the wrong root certificate, the
//! wrong host name, client certificates, channel binding, PGPASSWORD,
//! `.pgpass` and its permission check, service files, the `PG*` variables,
//! Unix-domain sockets and a failover pair with target_session_attrs.
//!
//! `trellisc diff --from CONNECTION --to empty` is the probe: exit status 0
//! means it connected and read an empty database.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use support::tls::{self, Hba, PASSWORD, TlsServer, USER};

fn tls_only() -> &'static TlsServer {
    static SERVER: OnceLock<TlsServer> = OnceLock::new();
    SERVER.get_or_init(|| tls::start(Hba::TlsOnly, false).expect("TLS-only server"))
}

fn tls_off() -> &'static TlsServer {
    static SERVER: OnceLock<TlsServer> = OnceLock::new();
    SERVER.get_or_init(|| tls::start(Hba::TlsOff, false).expect("server without TLS"))
}

fn wrong_name() -> &'static TlsServer {
    static SERVER: OnceLock<TlsServer> = OnceLock::new();
    SERVER.get_or_init(|| tls::start(Hba::TlsOnly, true).expect("server with another host's certificate"))
}

/// A home directory of the test's own, so that the machine's ~/.pgpass
/// and ~/.postgresql are never read.
fn home(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("trellisc-tls-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("home");
    dir
}

/// `trellisc diff --from CONNECTION --to empty` with only the given
/// environment (PATH and HOME aside).
fn probe(connection: &str, home: &Path, env: &[(&str, String)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_trellisc"));
    command
        .args(["diff", "--from", connection, "--to", "empty", "--allow-destructive"])
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("USER", "nobody-here");
    for (name, value) in env {
        command.env(name, value);
    }
    command.output().expect("run trellisc")
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[track_caller]
fn connects(connection: &str, home: &Path, env: &[(&str, String)]) {
    let output = probe(connection, home, env);
    let all = text(&output);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{connection}: expected to connect\n{all}"
    );
    assert!(!all.contains(PASSWORD), "{connection}: the password is shown\n{all}");
}

#[track_caller]
fn refused(connection: &str, home: &Path, expected: &[&str]) -> String {
    refused_env(connection, home, &[], expected)
}

#[track_caller]
fn refused_env(connection: &str, home: &Path, env: &[(&str, String)], expected: &[&str]) -> String {
    let output = probe(connection, home, env);
    let all = text(&output);
    assert_eq!(output.status.code(), Some(1), "{connection}: expected a refusal\n{all}");
    for part in expected {
        assert!(all.contains(part), "{connection}: expected {part:?}\n{all}");
    }
    assert!(!all.contains(PASSWORD), "{connection}: the password is shown\n{all}");
    assert_eq!(all.trim().lines().count(), 1, "one line:\n{all}");
    // Shown with --nocapture, to read the messages.
    println!("{connection}\n  {all}");
    all
}

fn password_url(server: &TlsServer, host: &str, rest: &str) -> String {
    format!(
        "host={host} port={} user={USER} password={PASSWORD} dbname=app {rest}",
        server.port()
    )
}

#[test]
fn a_tls_only_server_takes_each_sslmode_as_libpq_does() {
    let s = tls_only();
    let h = home("modes");
    let ca = s.ca().display().to_string();
    // prefer (the default), allow (plain first, then TLS) and require.
    connects(&password_url(s, "localhost", ""), &h, &[]);
    connects(&password_url(s, "localhost", "sslmode=allow"), &h, &[]);
    connects(&password_url(s, "localhost", "sslmode=require"), &h, &[]);
    // Verified, by name and by address (the certificate holds both).
    connects(
        &password_url(s, "localhost", &format!("sslmode=verify-full sslrootcert={ca}")),
        &h,
        &[],
    );
    connects(
        &password_url(s, "127.0.0.1", &format!("sslmode=verify-full sslrootcert={ca}")),
        &h,
        &[],
    );
    connects(
        &format!(
            "postgresql://{USER}:{PASSWORD}@localhost:{}/app?sslmode=verify-ca&sslrootcert={ca}",
            s.port()
        ),
        &h,
        &[],
    );
    // Without TLS the server says no, and the message says what to do.
    refused(
        &password_url(s, "localhost", "sslmode=disable"),
        &h,
        &[
            &format!("database \"app\" on localhost:{}", s.port()),
            "no encryption",
            "use sslmode=require or stronger",
        ],
    );
}

#[test]
fn the_wrong_root_certificate_and_the_wrong_host_name_are_refused_in_one_line() {
    let s = tls_only();
    let h = home("wrong");
    let wrong_ca = s.wrong_ca().display().to_string();
    for mode in ["verify-ca", "verify-full"] {
        refused(
            &password_url(s, "localhost", &format!("sslmode={mode} sslrootcert={wrong_ca}")),
            &h,
            &[
                &format!("database \"app\" on localhost:{}", s.port()),
                "the server's certificate is not trusted",
                &wrong_ca,
            ],
        );
    }
    // A root certificate in ~/.postgresql/root.crt makes require verify
    // the chain, as libpq does.
    std::fs::create_dir_all(h.join(".postgresql")).expect("dir");
    std::fs::copy(s.wrong_ca(), h.join(".postgresql/root.crt")).expect("copy");
    refused(
        &password_url(s, "localhost", "sslmode=require"),
        &h,
        &["the server's certificate is not trusted"],
    );
    // verify-* with no root certificate at all is refused before connecting.
    refused(
        &password_url(s, "localhost", "sslmode=verify-full"),
        &home("noroot"),
        &["needs a root certificate", "sslrootcert=FILE"],
    );

    let other = wrong_name();
    let ca = other.ca().display().to_string();
    refused(
        &password_url(other, "localhost", &format!("sslmode=verify-full sslrootcert={ca}")),
        &h,
        &[
            &format!("database \"app\" on localhost:{}", other.port()),
            "the server's certificate is for db.example.com, not localhost",
            "sslmode=verify-ca",
        ],
    );
    connects(
        &password_url(other, "localhost", &format!("sslmode=verify-ca sslrootcert={ca}")),
        &h,
        &[],
    );
}

#[test]
fn a_server_without_tls_is_named_as_such() {
    let s = tls_off();
    let h = home("off");
    connects(&password_url(s, "127.0.0.1", ""), &h, &[]);
    connects(&password_url(s, "127.0.0.1", "sslmode=allow"), &h, &[]);
    refused(
        &password_url(s, "127.0.0.1", "sslmode=require"),
        &h,
        &[
            &format!("database \"app\" on 127.0.0.1:{}", s.port()),
            "the server does not accept TLS connections",
        ],
    );
    // Channel binding needs TLS.
    refused(
        &password_url(s, "127.0.0.1", "sslmode=disable channel_binding=require"),
        &h,
        &[&format!("database \"app\" on 127.0.0.1:{}", s.port())],
    );
    // PostgreSQL 15 does not speak direct TLS.
    refused(
        &password_url(s, "127.0.0.1", "sslmode=require sslnegotiation=direct"),
        &h,
        &["database \"app\""],
    );
}

#[test]
fn client_certificates_and_channel_binding_authenticate() {
    let s = tls_only();
    let h = home("cert");
    let ca = s.ca().display().to_string();
    let cert = s.client_cert().display().to_string();
    let key = s.client_key().display().to_string();
    connects(
        &format!(
            "host=localhost port={} user=certuser dbname=app sslmode=verify-full sslrootcert={ca} sslcert={cert} sslkey={key}",
            s.port()
        ),
        &h,
        &[],
    );
    // The same from ~/.postgresql, where libpq looks by default.
    let dir = h.join(".postgresql");
    std::fs::create_dir_all(&dir).expect("dir");
    std::fs::copy(s.client_cert(), dir.join("postgresql.crt")).expect("copy");
    std::fs::copy(s.client_key(), dir.join("postgresql.key")).expect("copy");
    std::fs::copy(s.ca(), dir.join("root.crt")).expect("copy");
    set_mode(&dir.join("postgresql.key"), 0o600);
    connects(
        &format!(
            "host=localhost port={} user=certuser dbname=app sslmode=verify-full",
            s.port()
        ),
        &h,
        &[],
    );
    // A key others can read is refused, as libpq refuses it.
    set_mode(&dir.join("postgresql.key"), 0o644);
    refused(
        &format!(
            "host=localhost port={} user=certuser dbname=app sslmode=verify-full",
            s.port()
        ),
        &h,
        &["has group or world access"],
    );
    // No certificate: the server's own words, naming the user.
    refused(
        &format!(
            "host=localhost port={} user=certuser dbname=app sslmode=verify-full sslrootcert={ca}",
            s.port()
        ),
        &home("nocert"),
        &["requires a valid client certificate", "sslcert=FILE"],
    );
    // SCRAM with channel binding over TLS (SCRAM-SHA-256-PLUS); required,
    // it refuses authentication without it (a client certificate).
    let h = home("binding");
    connects(
        &password_url(
            s,
            "localhost",
            &format!("sslmode=verify-full sslrootcert={ca} channel_binding=require"),
        ),
        &h,
        &[],
    );
    refused(
        &format!(
            "host=localhost port={} user=certuser dbname=app sslmode=verify-full sslrootcert={ca} sslcert={cert} sslkey={key} channel_binding=require",
            s.port()
        ),
        &h,
        &[&format!("database \"app\" on localhost:{}", s.port())],
    );
}

fn set_mode(file: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(file, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

#[test]
fn passwords_come_from_pgpassword_pgpass_and_pgpassfile() {
    let s = tls_only();
    let h = home("pass");
    let base = format!(
        "host=localhost port={} user={USER} dbname=app sslmode=require",
        s.port()
    );
    connects(&base, &h, &[("PGPASSWORD", PASSWORD.to_string())]);
    let wrong = refused_env(
        &base,
        &h,
        &[("PGPASSWORD", "not-it".to_string())],
        &["password authentication failed", "PGPASSWORD or ~/.pgpass"],
    );
    assert!(!wrong.contains("not-it"), "{wrong}");

    // ~/.pgpass, the first matching line.
    let pgpass = h.join(".pgpass");
    std::fs::write(
        &pgpass,
        format!(
            "# ours\nelsewhere:*:*:*:nope\nlocalhost:{}:app:{USER}:{PASSWORD}\n*:*:*:*:last\n",
            s.port()
        ),
    )
    .expect("write");
    set_mode(&pgpass, 0o600);
    connects(&base, &h, &[]);
    // Readable by others: ignored with libpq's warning.
    set_mode(&pgpass, 0o644);
    let output = probe(&base, &h, &[]);
    let all = text(&output);
    assert_eq!(output.status.code(), Some(1), "{all}");
    assert!(all.contains("has group or world access"), "{all}");
    assert!(!all.contains(PASSWORD), "{all}");

    // PGPASSFILE names another file.
    let other = h.join("passwords");
    std::fs::write(&other, format!("*:*:*:{USER}:{PASSWORD}\n")).expect("write");
    set_mode(&other, 0o600);
    connects(&base, &h, &[("PGPASSFILE", other.display().to_string())]);
    connects(&format!("{base} passfile={}", other.display()), &h, &[]);
}

#[test]
fn services_and_the_pg_variables_complete_the_connection() {
    let s = tls_only();
    let h = home("service");
    let file = h.join("services.conf");
    std::fs::write(
        &file,
        format!(
            "[other]\nhost=nowhere.invalid\n\n[prod]\n# the managed database\nhost=localhost\nport={}\nuser={USER}\ndbname=app\nsslmode=verify-full\nsslrootcert={}\n",
            s.port(),
            s.ca().display()
        ),
    )
    .expect("write");
    let password = ("PGPASSWORD", PASSWORD.to_string());
    let service_file = ("PGSERVICEFILE", file.display().to_string());
    connects("service=prod", &h, &[service_file.clone(), password.clone()]);
    // PGSERVICE with the rest in the argument.
    connects(
        "application_name=ours",
        &h,
        &[service_file.clone(), password.clone(), ("PGSERVICE", "prod".into())],
    );
    // ~/.pg_service.conf, where libpq looks by default.
    std::fs::copy(&file, h.join(".pg_service.conf")).expect("copy");
    connects("service=prod", &h, std::slice::from_ref(&password));
    refused_env(
        "service=absent",
        &h,
        std::slice::from_ref(&password),
        &["service \"absent\" is not defined"],
    );

    // Only the PG variables.
    connects(
        "dbname=app",
        &h,
        &[
            password.clone(),
            ("PGHOST", "localhost".into()),
            ("PGPORT", s.port().to_string()),
            ("PGUSER", USER.into()),
            ("PGSSLMODE", "verify-full".into()),
            ("PGSSLROOTCERT", s.ca().display().to_string()),
            ("PGAPPNAME", "from-env".into()),
            ("PGCONNECT_TIMEOUT", "5".into()),
        ],
    );
}

#[test]
fn unix_sockets_in_both_spellings() {
    let s = tls_off();
    let h = home("socket");
    let dir = s.socket_dir().display().to_string();
    connects(
        &format!("host={dir} port={} user=postgres dbname=app", s.port()),
        &h,
        &[],
    );
    let encoded = dir.replace('/', "%2F");
    connects(&format!("postgresql://postgres@{encoded}:{}/app", s.port()), &h, &[]);
    connects(
        &format!("postgresql:///app?host={dir}&port={}&user=postgres", s.port()),
        &h,
        &[],
    );
    // TLS is never used over a socket, as with libpq: require still connects.
    connects(
        &format!("host={dir} port={} user=postgres dbname=app sslmode=require", s.port()),
        &h,
        &[],
    );
}

/// Runs SQL on `app` as the password user, with Debian's psql.
fn psql_app(server: &TlsServer, sql: &str) {
    let output = Command::new("/usr/lib/postgresql/15/bin/psql")
        .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-c", sql])
        .arg(format!(
            "host=127.0.0.1 port={} user={USER} password={PASSWORD} dbname=app",
            server.port()
        ))
        .output()
        .expect("psql");
    assert!(output.status.success(), "{sql}: {}", text(&output));
}

#[test]
fn a_failover_pair_gives_the_server_target_session_attrs_asks_for() {
    // Servers of this test's own: it changes them.
    let primary = tls::start(Hba::TlsOnly, false).expect("TLS-only server");
    let standby = tls::start(Hba::TlsOff, false).expect("server without TLS");
    let h = home("failover");
    psql_app(&primary, "CREATE TABLE failover_marker (id int)");
    psql_app(&standby, "ALTER DATABASE app SET default_transaction_read_only = on");
    // The read-only server first: read-write passes it by for the other,
    // whose table the probe then sees (exit 2, a difference).
    let pair = |attrs: &str| {
        format!(
            "postgresql://{USER}:{PASSWORD}@127.0.0.1:{},localhost:{}/app?target_session_attrs={attrs}",
            standby.port(),
            primary.port()
        )
    };
    let output = probe(&pair("read-write"), &h, &[]);
    let all = text(&output);
    assert_eq!(output.status.code(), Some(2), "{all}");
    assert!(all.contains("failover_marker"), "{all}");
    assert!(!all.contains(PASSWORD), "{all}");
    // any and read-only take the first (and primary too: neither is in
    // recovery).
    connects(&pair("any"), &h, &[]);
    connects(&pair("read-only"), &h, &[]);
    connects(&pair("primary"), &h, &[]);
    // Neither is a standby: each host is named with why it was passed by.
    refused(
        &pair("standby"),
        &h,
        &[
            "no host gave a session",
            &format!("127.0.0.1:{}: the server is not a standby", standby.port()),
            &format!("localhost:{}: the server is not a standby", primary.port()),
        ],
    );
    // A host that is down is passed by too.
    let down = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("port")
        .port();
    let output = probe(
        &format!(
            "host=127.0.0.1,localhost port={down},{} user={USER} password={PASSWORD} dbname=app",
            primary.port()
        ),
        &h,
        &[],
    );
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
}

#[test]
fn direct_tls_negotiation_works_where_the_server_has_it() {
    // PostgreSQL 17 brought direct TLS (no SSLRequest first); 15 does not
    // speak it, and the message says which version does.
    let s = tls::start_on(18, Hba::TlsOnly, false).expect("PostgreSQL 18 with TLS");
    let h = home("direct");
    let ca = s.ca().display().to_string();
    connects(
        &password_url(
            &s,
            "localhost",
            &format!("sslmode=verify-full sslrootcert={ca} sslnegotiation=direct"),
        ),
        &h,
        &[],
    );
    refused(
        &password_url(
            tls_only(),
            "localhost",
            &format!(
                "sslmode=verify-full sslrootcert={} sslnegotiation=direct",
                tls_only().ca().display()
            ),
        ),
        &h,
        &["sslnegotiation=direct needs PostgreSQL 17 or later"],
    );
    refused(
        &password_url(&s, "localhost", "sslmode=prefer sslnegotiation=direct"),
        &h,
        &["sslnegotiation=direct needs sslmode=require"],
    );
}
