//! libpq's connection settings, read as psql reads them: a `key=value`
//! string or a `postgres://` URL, then the service file's section for
//! `service=` (or `PGSERVICE`), then the `PG*` environment variables, then
//! the defaults. No crate reads all of that (tokio-postgres reads the two
//! string forms, without services, environment, `verify-ca`/`verify-full`
//! or the TLS file options), so the rules are here, following libpq's
//! documentation: <https://www.postgresql.org/docs/current/libpq-connect.html>.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use percent_encoding::percent_decode_str;

/// The options libpq knows, each with the environment variable that gives
/// it a value when neither the string nor the service does.
const OPTIONS: &[(&str, Option<&str>)] = &[
    ("host", Some("PGHOST")),
    ("hostaddr", Some("PGHOSTADDR")),
    ("port", Some("PGPORT")),
    ("dbname", Some("PGDATABASE")),
    ("user", Some("PGUSER")),
    ("password", Some("PGPASSWORD")),
    ("passfile", Some("PGPASSFILE")),
    ("service", Some("PGSERVICE")),
    // PGCONNECT_TIMEOUT is read by the command line, below its own
    // --connect-timeout (see cli::connect_timeout).
    ("connect_timeout", None),
    ("application_name", Some("PGAPPNAME")),
    ("fallback_application_name", None),
    ("options", Some("PGOPTIONS")),
    ("client_encoding", Some("PGCLIENTENCODING")),
    ("keepalives", None),
    ("keepalives_idle", None),
    ("keepalives_interval", None),
    ("keepalives_count", None),
    ("tcp_user_timeout", None),
    ("sslmode", Some("PGSSLMODE")),
    ("sslnegotiation", Some("PGSSLNEGOTIATION")),
    ("sslrootcert", Some("PGSSLROOTCERT")),
    ("sslcert", Some("PGSSLCERT")),
    ("sslkey", Some("PGSSLKEY")),
    ("sslpassword", None),
    ("sslcertmode", Some("PGSSLCERTMODE")),
    ("sslsni", Some("PGSSLSNI")),
    ("sslcrl", Some("PGSSLCRL")),
    ("sslcrldir", Some("PGSSLCRLDIR")),
    ("sslcompression", Some("PGSSLCOMPRESSION")),
    ("ssl_min_protocol_version", Some("PGSSLMINPROTOCOLVERSION")),
    ("ssl_max_protocol_version", Some("PGSSLMAXPROTOCOLVERSION")),
    ("channel_binding", Some("PGCHANNELBINDING")),
    ("require_auth", Some("PGREQUIREAUTH")),
    ("gssencmode", Some("PGGSSENCMODE")),
    ("gsslib", Some("PGGSSLIB")),
    ("gssdelegation", Some("PGGSSDELEGATION")),
    ("krbsrvname", Some("PGKRBSRVNAME")),
    ("requirepeer", Some("PGREQUIREPEER")),
    ("target_session_attrs", Some("PGTARGETSESSIONATTRS")),
    ("load_balance_hosts", Some("PGLOADBALANCEHOSTS")),
    ("replication", None),
];

/// What the process's environment holds, as far as connecting goes: the
/// variables and the home directory. A parameter, so that tests can give
/// their own.
pub trait Environment {
    fn var(&self, name: &str) -> Option<String>;
    fn home(&self) -> Option<PathBuf>;
}

/// The real environment.
pub struct Process;

impl Environment for Process {
    fn var(&self, name: &str) -> Option<String> {
        std::env::var(name).ok()
    }

    fn home(&self) -> Option<PathBuf> {
        std::env::var_os("HOME").filter(|h| !h.is_empty()).map(PathBuf::from)
    }
}

/// The options of one connection, each once, as libpq would use them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    values: BTreeMap<&'static str, String>,
}

impl Options {
    pub fn get(&self, key: &str) -> Option<&str> {
        self.values.get(key).map(String::as_str).filter(|v| !v.is_empty())
    }

    fn set(&mut self, key: &str, value: String) -> Result<(), String> {
        let known = OPTIONS
            .iter()
            .find(|(name, _)| *name == key)
            .map(|(name, _)| *name)
            .or(match key {
                // libpq's old spellings.
                "requiressl" => Some("sslmode"),
                // tokio-postgres's spelling, which trellisc read before.
                "keepalives_retries" => Some("keepalives_count"),
                _ => None,
            })
            .ok_or_else(|| format!("unknown option `{key}` (libpq's options are listed in docs/cli.md)"))?;
        let value = if key == "requiressl" {
            if value == "1" { "require" } else { "prefer" }.to_string()
        } else {
            value
        };
        self.values.insert(known, value);
        Ok(())
    }

    /// Fills what is not set yet from `other`.
    fn fill(&mut self, other: Options) {
        for (key, value) in other.values {
            self.values.entry(key).or_insert(value);
        }
    }
}

/// The same connection argument naming another database, written as a
/// `key=value` string (every value quoted, `\\` and `'` escaped) that is
/// read again like the original: the service file and the environment
/// still fill what it leaves out.
pub fn with_dbname(text: &str, dbname: &str) -> Result<String, String> {
    let mut options = parse(text)?;
    options.values.insert("dbname", dbname.to_string());
    Ok(options
        .values
        .iter()
        .map(|(key, value)| format!("{key}='{}'", value.replace('\\', "\\\\").replace('\'', "\\'")))
        .collect::<Vec<_>>()
        .join(" "))
}

/// Reads a connection argument and completes it from the service file and
/// the environment, as libpq does.
#[cfg(test)]
pub fn resolve(text: &str, env: &dyn Environment) -> Result<Options, String> {
    complete(parse(text)?, env)
}

/// Completes what a connection argument says from the service file and
/// the environment.
pub fn complete(mut options: Options, env: &dyn Environment) -> Result<Options, String> {
    let service = options
        .get("service")
        .map(str::to_string)
        .or_else(|| env.var("PGSERVICE").filter(|s| !s.is_empty()));
    if let Some(service) = service {
        options.fill(service_options(&service, env)?);
    }
    for (key, var) in OPTIONS {
        if let Some(var) = var
            && !options.values.contains_key(key)
            && let Some(value) = env.var(var)
        {
            options.values.insert(key, value);
        }
    }
    Ok(options)
}

/// The options a connection string or URL gives itself.
pub fn parse(text: &str) -> Result<Options, String> {
    if let Some(rest) = text
        .strip_prefix("postgresql://")
        .or_else(|| text.strip_prefix("postgres://"))
    {
        parse_url(rest)
    } else {
        parse_key_values(text)
    }
}

/// `host=db port=5432 password='it''s'`: words of `key = value`, a value
/// quoted with `'` when it holds spaces, `\'` and `\\` escaped.
fn parse_key_values(text: &str) -> Result<Options, String> {
    let mut options = Options::default();
    let mut chars = text.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.peek().is_none() {
            return Ok(options);
        }
        let mut key = String::new();
        while let Some(c) = chars.next_if(|c| *c != '=' && !c.is_whitespace()) {
            key.push(c);
        }
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.next() != Some('=') {
            return Err(format!("missing \"=\" after `{key}` in the connection string"));
        }
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let mut value = String::new();
        if chars.next_if_eq(&'\'').is_some() {
            loop {
                match chars.next() {
                    None => return Err(format!("the value of `{key}` has no closing quote")),
                    Some('\'') => break,
                    Some('\\') => match chars.next() {
                        Some(c) => value.push(c),
                        None => return Err(format!("the value of `{key}` has no closing quote")),
                    },
                    Some(c) => value.push(c),
                }
            }
        } else {
            while let Some(c) = chars.next_if(|c| !c.is_whitespace()) {
                if c == '\\' {
                    if let Some(escaped) = chars.next() {
                        value.push(escaped);
                    }
                } else {
                    value.push(c);
                }
            }
        }
        options.set(&key, value)?;
    }
}

/// `[user[:password]@][host][:port][,...][/dbname][?key=value&...]`, the
/// part after `postgresql://`, every piece percent-decoded.
fn parse_url(rest: &str) -> Result<Options, String> {
    let mut options = Options::default();
    let (rest, query) = match rest.split_once('?') {
        Some((rest, query)) => (rest, Some(query)),
        None => (rest, None),
    };
    let (authority, dbname) = match rest.split_once('/') {
        Some((authority, dbname)) => (authority, Some(dbname)),
        None => (rest, None),
    };
    let (userinfo, hosts) = match authority.rsplit_once('@') {
        Some((userinfo, hosts)) => (Some(userinfo), hosts),
        None => (None, authority),
    };
    if let Some(userinfo) = userinfo {
        let (user, password) = match userinfo.split_once(':') {
            Some((user, password)) => (user, Some(password)),
            None => (userinfo, None),
        };
        if !user.is_empty() {
            options.set("user", decode(user, "user")?)?;
        }
        if let Some(password) = password {
            options.set("password", decode(password, "password")?)?;
        }
    }
    if !hosts.is_empty() {
        let mut names = Vec::new();
        let mut ports = Vec::new();
        for spec in hosts.split(',') {
            let (host, port) = split_port(spec)?;
            names.push(decode(host, "host")?);
            ports.push(port.to_string());
        }
        if names.iter().any(|n| !n.is_empty()) {
            options.set("host", names.join(","))?;
        }
        if ports.iter().any(|p| !p.is_empty()) {
            options.set("port", ports.join(","))?;
        }
    }
    if let Some(dbname) = dbname.filter(|d| !d.is_empty()) {
        options.set("dbname", decode(dbname, "dbname")?)?;
    }
    for pair in query.into_iter().flat_map(|q| q.split('&')).filter(|p| !p.is_empty()) {
        let (key, value) = pair
            .split_once('=')
            .ok_or_else(|| "a parameter after \"?\" in the URL has no \"=\" (write key=value)".to_string())?;
        let key = decode(key, "parameter")?;
        // libpq's URL spelling of `sslmode=require`.
        let (key, value) = match (key.as_str(), value) {
            ("ssl", "true") => ("sslmode".to_string(), "require".to_string()),
            _ => (key.clone(), decode(value, &key)?),
        };
        options.set(&key, value)?;
    }
    Ok(options)
}

/// `host:port`, `[::1]:port`, `host`.
fn split_port(spec: &str) -> Result<(&str, &str), String> {
    if let Some(inner) = spec.strip_prefix('[') {
        let (address, after) = inner
            .split_once(']')
            .ok_or_else(|| "an IPv6 address in the URL has no closing \"]\"".to_string())?;
        return Ok((address, after.strip_prefix(':').unwrap_or(after)));
    }
    Ok(match spec.rsplit_once(':') {
        Some((host, port)) => (host, port),
        None => (spec, ""),
    })
}

fn decode(text: &str, what: &str) -> Result<String, String> {
    percent_decode_str(text)
        .decode_utf8()
        .map(|s| s.into_owned())
        .map_err(|_| format!("the URL's {what} is not UTF-8 once percent-decoded"))
}

/// The options of `[service]` from the user's service file (`PGSERVICEFILE`
/// or `~/.pg_service.conf`), else the system's (`PGSYSCONFDIR` or
/// `/etc/postgresql-common`, Debian's, then `/etc`).
fn service_options(service: &str, env: &dyn Environment) -> Result<Options, String> {
    let mut files: Vec<PathBuf> = Vec::new();
    match env.var("PGSERVICEFILE").filter(|f| !f.is_empty()) {
        Some(file) => files.push(PathBuf::from(file)),
        None => files.extend(env.home().map(|h| h.join(".pg_service.conf"))),
    }
    match env.var("PGSYSCONFDIR").filter(|d| !d.is_empty()) {
        Some(dir) => files.push(Path::new(&dir).join("pg_service.conf")),
        None => {
            files.push(PathBuf::from("/etc/postgresql-common/pg_service.conf"));
            files.push(PathBuf::from("/etc/pg_service.conf"));
        }
    }
    for file in &files {
        let Ok(text) = std::fs::read_to_string(file) else {
            continue;
        };
        if let Some(options) = service_section(&text, service, file)? {
            return Ok(options);
        }
    }
    let looked: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
    Err(format!(
        "service \"{service}\" is not defined (looked in {}; set PGSERVICEFILE to name the file)",
        looked.join(", ")
    ))
}

/// The section `[service]` of a service file, if it has one.
fn service_section(text: &str, service: &str, file: &Path) -> Result<Option<Options>, String> {
    let mut options = None;
    for (number, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            if options.is_some() {
                break;
            }
            if name.trim() == service {
                options = Some(Options::default());
            }
            continue;
        }
        let Some(options) = options.as_mut() else {
            continue;
        };
        let place = || format!("{}:{}", file.display(), number + 1);
        let (key, value) = line
            .split_once('=')
            .ok_or_else(|| format!("{}: expected key=value in the service file", place()))?;
        let key = key.trim();
        if key == "service" {
            return Err(format!("{}: a service cannot name another service", place()));
        }
        options
            .set(key, value.trim().to_string())
            .map_err(|e| format!("{}: {e}", place()))?;
    }
    Ok(options)
}

#[cfg(test)]
pub mod tests {
    use super::*;

    /// An environment of the test's own.
    pub struct Fixed(pub Vec<(&'static str, String)>, pub Option<PathBuf>);

    impl Environment for Fixed {
        fn var(&self, name: &str) -> Option<String> {
            self.0.iter().find(|(n, _)| *n == name).map(|(_, v)| v.clone())
        }
        fn home(&self) -> Option<PathBuf> {
            self.1.clone()
        }
    }

    #[test]
    fn key_values_are_read_with_quotes_and_escapes() {
        let o = parse(r"host=db  port = 6432 password='it\'s a \\secret' dbname=app").expect("reads");
        assert_eq!(o.get("host"), Some("db"));
        assert_eq!(o.get("port"), Some("6432"));
        assert_eq!(o.get("password"), Some(r"it's a \secret"));
        assert_eq!(o.get("dbname"), Some("app"));
        assert!(parse("host=db passwrd=x").expect_err("unknown").contains("passwrd"));
        assert!(
            parse("host=db password='x")
                .expect_err("unclosed")
                .contains("closing quote")
        );
        assert!(parse("host").expect_err("no =").contains("\"=\""));
    }

    #[test]
    fn urls_are_read_with_several_hosts_sockets_and_parameters() {
        let o = parse("postgresql://u%40x:p%3Aw@h1:5433,h2,[::1]:7/my%20db?sslmode=verify-full&application_name=a")
            .expect("reads");
        assert_eq!(o.get("user"), Some("u@x"));
        assert_eq!(o.get("password"), Some("p:w"));
        assert_eq!(o.get("host"), Some("h1,h2,::1"));
        assert_eq!(o.get("port"), Some("5433,,7"));
        assert_eq!(o.get("dbname"), Some("my db"));
        assert_eq!(o.get("sslmode"), Some("verify-full"));
        let o = parse("postgres://%2Fvar%2Frun%2Fpostgresql/app").expect("reads");
        assert_eq!(o.get("host"), Some("/var/run/postgresql"));
        let o = parse("postgres:///app?host=/tmp&ssl=true").expect("reads");
        assert_eq!(o.get("host"), Some("/tmp"));
        assert_eq!(o.get("sslmode"), Some("require"));
        assert!(
            parse("postgres://h/db?sslmod=x")
                .expect_err("unknown")
                .contains("sslmod")
        );
    }

    #[test]
    fn the_string_wins_over_the_service_which_wins_over_the_environment() {
        let dir = std::env::temp_dir().join(format!("trellisc-service-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let file = dir.join("services");
        std::fs::write(
            &file,
            "# ours\n[other]\nhost=wrong\n\n[prod]\nhost = db.prod\nport=6543\ndbname=shop\n",
        )
        .expect("write");
        let env = Fixed(
            vec![
                ("PGSERVICEFILE", file.display().to_string()),
                ("PGPORT", "1111".into()),
                ("PGUSER", "envuser".into()),
                ("PGDATABASE", "envdb".into()),
                ("PGSYSCONFDIR", dir.display().to_string()),
            ],
            None,
        );
        let o = resolve("service=prod dbname=mine", &env).expect("resolves");
        assert_eq!(o.get("host"), Some("db.prod"));
        assert_eq!(o.get("port"), Some("6543"));
        assert_eq!(o.get("dbname"), Some("mine"));
        assert_eq!(o.get("user"), Some("envuser"));
        let error = resolve("service=nope", &env).expect_err("missing");
        assert!(error.contains("service \"nope\" is not defined"), "{error}");
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn another_database_on_the_same_connection() {
        let env = Fixed(Vec::new(), None);
        for given in [
            "postgres://u:p%27w@db.example:6543/app?sslmode=require",
            "host=db.example port=6543 user=u password='p\\'w' dbname=app sslmode=require",
        ] {
            let moved = with_dbname(given, "scratch one").expect("reads");
            let options = resolve(&moved, &env).expect("reads again");
            assert_eq!(options.get("dbname"), Some("scratch one"));
            assert_eq!(options.get("host"), Some("db.example"));
            assert_eq!(options.get("port"), Some("6543"));
            assert_eq!(options.get("password"), Some("p'w"));
            assert_eq!(options.get("sslmode"), Some("require"));
        }
    }
}
