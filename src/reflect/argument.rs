//! What a connection argument is (a `postgres://` URL, a libpq
//! `key=value` string, a URL with a mistyped scheme), and its text with
//! every password hidden, for messages.

/// What stands for a hidden password.
const HIDDEN: &str = "****";

/// Whether an argument names a database: a `postgres://` or
/// `postgresql://` URL, or a libpq connection string (`host=db user=app`),
/// whose first word is an option and an `=`.
pub fn is_url(text: &str) -> bool {
    text.starts_with("postgres://") || text.starts_with("postgresql://") || is_key_value(text)
}

/// `host=db dbname=app`: the first word is a name followed by `=`.
fn is_key_value(text: &str) -> bool {
    let Some((key, _)) = text.split_once('=') else {
        return false;
    };
    let key = key.trim_end();
    !key.is_empty()
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !text.starts_with(char::is_whitespace)
}

/// The error for an argument that looks like a URL but is not one
/// PostgreSQL reads (`postgress://`, `POSTGRES://`, `pg://`, a space before
/// `postgres://`), with its password hidden; None for anything else.
pub fn mistyped(text: &str) -> Option<String> {
    let trimmed = text.trim();
    let (scheme, _) = trimmed.split_once("://")?;
    if scheme.is_empty() || !scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)) {
        return None;
    }
    if trimmed == text && is_url(text) {
        return None;
    }
    let why = if trimmed != text {
        "it starts or ends with a space".to_string()
    } else {
        format!("the scheme must be postgres:// or postgresql://, in lower case, not {scheme}://")
    };
    Some(format!(
        "`{}` is not a database URL ({why}); did you mean postgres://?",
        mask(text)
    ))
}

/// `text` with every password in it replaced by `****`: the one of a URL
/// of any scheme (`scheme://user:PASSWORD@host`), and the value of every
/// `password=` option (libpq's `password=secret` and `password='a secret'`,
/// a URL's `?password=secret`). Everything else is kept, so that the user
/// still sees which argument is meant.
pub fn mask(text: &str) -> String {
    mask_options(&mask_userinfo(text))
}

/// Hides the password of each `scheme://user:password@` in `text`.
fn mask_userinfo(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(found) = rest.find("://") {
        let (before, after) = rest.split_at(found + 3);
        out.push_str(before);
        // The user information ends at the last `@` before a space: a
        // password with an unencoded `/`, `?` or `@` is still hidden whole
        // (at worst, a little of the host with it).
        let end = after.find(char::is_whitespace).unwrap_or(after.len());
        let (address, tail) = after.split_at(end);
        match address
            .rfind('@')
            .and_then(|at| address[..at].find(':').map(|colon| (colon, at)))
        {
            Some((colon, at)) => {
                out.push_str(&address[..=colon]);
                out.push_str(HIDDEN);
                out.push_str(&address[at..]);
            }
            None => out.push_str(address),
        }
        rest = tail;
    }
    out.push_str(rest);
    out
}

/// Hides the value of each option whose name looks like a password's
/// (`password=`, any case, and its misspellings and relatives: `passwd=`,
/// `PGPASSWORD=`, `pwd=`), quoted or not; in a URL's query the value ends
/// at `&`.
fn mask_options(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut search = 0;
    while let Some(found) = text[search..].find('=') {
        let equals = search + found;
        search = equals + 1;
        let before = text[..equals].trim_end_matches([' ', '\t']);
        let key_start = before
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .map_or(0, |i| i + 1);
        let key = before[key_start..].to_ascii_lowercase();
        if key.is_empty() || !(key.contains("pas") || key.contains("pw")) || key_start < copied {
            continue;
        }
        let in_query = before[..key_start].ends_with(['?', '&']);
        let value = text[equals + 1..].trim_start_matches([' ', '\t']);
        let value_start = text.len() - value.len();
        let value_len = if let Some(quoted) = value.strip_prefix('\'') {
            // libpq's quoting: backslash escapes, a quote ends it.
            let mut escaped = false;
            let close = quoted.char_indices().find(|&(_, c)| {
                let closes = c == '\'' && !escaped;
                escaped = c == '\\' && !escaped;
                closes
            });
            close.map_or(value.len(), |(i, _)| i + 2)
        } else {
            value
                .find(|c: char| c.is_whitespace() || (in_query && (c == '&' || c == '#')))
                .unwrap_or(value.len())
        };
        if value_len == 0 {
            continue;
        }
        out.push_str(&text[copied..value_start]);
        out.push_str(if value.starts_with('\'') { "'****'" } else { HIDDEN });
        copied = value_start + value_len;
        search = copied;
    }
    out.push_str(&text[copied..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_hidden_in_every_shape() {
        let cases = [
            ("postgres://u:secret@h/db", "postgres://u:****@h/db"),
            ("postgress://u:secret@h/db", "postgress://u:****@h/db"),
            ("POSTGRES://u:secret@h:5432/db", "POSTGRES://u:****@h:5432/db"),
            ("pg://u:se/c@ret@h/db", "pg://u:****@h/db"),
            (" postgres://u:secret@h/db", " postgres://u:****@h/db"),
            (
                "postgres://u@h/db?password=secret&sslmode=disable",
                "postgres://u@h/db?password=****&sslmode=disable",
            ),
            ("host=x password=secret dbname=app", "host=x password=**** dbname=app"),
            (
                "host=x password = 'a \\' secret' dbname=app",
                "host=x password = '****' dbname=app",
            ),
            ("PGPASSWORD=secret", "PGPASSWORD=****"),
            ("host=x passwrd=secret", "host=x passwrd=****"),
            ("user=u pwd=secret", "user=u pwd=****"),
            (
                "a from postgres://u:secret@h/db and b://v:secret@k",
                "a from postgres://u:****@h/db and b://v:****@k",
            ),
        ];
        for (text, masked) in cases {
            assert_eq!(mask(text), masked, "{text}");
            assert!(!mask(text).contains("secret"), "{text}");
        }
        assert_eq!(mask("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(mask("check the password in the URL"), "check the password in the URL");
    }

    #[test]
    fn key_value_strings_are_databases_and_mistyped_schemes_are_named() {
        assert!(is_url("host=x password=secret"));
        assert!(is_url("dbname = app"));
        assert!(is_url("postgresql://h/db"));
        assert!(!is_url("schema/"));
        assert!(!is_url("rev:head"));
        assert!(mistyped("postgres://u@h/db").is_none());
        assert!(mistyped("schema/").is_none());
        for text in [
            "postgress://u:secret@h/db",
            "POSTGRES://u:secret@h/db",
            "pg://u:secret@h",
            " postgres://u:secret@h/db",
        ] {
            let message = mistyped(text).expect("mistyped");
            assert!(message.contains("did you mean postgres://?"), "{message}");
            assert!(!message.contains("secret"), "{message}");
        }
    }
}
