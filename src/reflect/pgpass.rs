//! The password file (`~/.pgpass`, `PGPASSFILE`, `passfile=`), read as
//! libpq reads it: `hostname:port:database:username:password` lines, `*`
//! matching anything, `\:` and `\\` escaped, the first match used; a file
//! that others can read is ignored with a warning.

use std::path::{Path, PathBuf};

/// What one connection attempt looks up: the host as written (a socket
/// directory counts as `localhost`), the port, the database and the user.
pub struct Lookup<'a> {
    pub host: &'a str,
    pub port: u16,
    pub dbname: &'a str,
    pub user: &'a str,
}

/// The password file to read: the option, else `~/.pgpass`.
pub fn file(option: Option<&str>, home: Option<&Path>) -> Option<PathBuf> {
    match option {
        Some(file) => Some(PathBuf::from(file)),
        None => home.map(|h| h.join(".pgpass")),
    }
}

/// The password for `lookup` in `file`, or None; a warning when the file
/// is not private (libpq's words, and it is then not read).
pub fn password(file: &Path, lookup: &Lookup<'_>) -> (Option<String>, Option<String>) {
    let Ok(meta) = std::fs::metadata(file) else {
        return (None, None);
    };
    if !meta.is_file() {
        return (
            None,
            Some(format!("password file \"{}\" is not a plain file", file.display())),
        );
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if meta.permissions().mode() & 0o077 != 0 {
            return (
                None,
                Some(format!(
                    "password file \"{}\" has group or world access; permissions should be u=rw (0600) or less, so it is not read",
                    file.display()
                )),
            );
        }
    }
    let Ok(text) = std::fs::read_to_string(file) else {
        return (None, None);
    };
    (find(&text, lookup), None)
}

/// The first line of `text` that matches.
fn find(text: &str, lookup: &Lookup<'_>) -> Option<String> {
    let host = if lookup.host.is_empty() || lookup.host.starts_with('/') {
        "localhost"
    } else {
        lookup.host
    };
    let port = lookup.port.to_string();
    let wanted = [host, port.as_str(), lookup.dbname, lookup.user];
    text.lines()
        .filter(|line| !line.trim_start().starts_with('#'))
        .find_map(|line| {
            let fields = fields(line);
            if fields.len() < 5 {
                return None;
            }
            let matches = fields[..4]
                .iter()
                .zip(wanted)
                .all(|(field, value)| field == "*" || field == value);
            // A password with an unescaped `:` keeps the rest of the line.
            matches.then(|| fields[4..].join(":"))
        })
}

/// The `:`-separated fields of a line, `\` escaping the next character.
fn fields(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(next) = chars.next()
                    && let Some(last) = fields.last_mut()
                {
                    last.push(next);
                }
            }
            ':' => fields.push(String::new()),
            c => {
                if let Some(last) = fields.last_mut() {
                    last.push(c);
                }
            }
        }
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_matching_line_gives_the_password() {
        let text =
            "# comment\nother:5432:*:*:no\n*:5433:app:bob:first\n*:*:*:bob:second\nlocalhost:*:*:sock:s\\:e\\\\c\n";
        let at = |host, port, user| {
            find(
                text,
                &Lookup {
                    host,
                    port,
                    dbname: "app",
                    user,
                },
            )
        };
        assert_eq!(at("db", 5433, "bob").as_deref(), Some("first"));
        assert_eq!(at("db", 5432, "bob").as_deref(), Some("second"));
        assert_eq!(at("/var/run/postgresql", 5432, "sock").as_deref(), Some("s:e\\c"));
        assert_eq!(at("db", 5432, "carol"), None);
    }
}
