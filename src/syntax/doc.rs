//! Doc comments that plain `///` lines cannot carry.
//!
//! A `///` line holds any text but a line break, and the parser drops its
//! trailing whitespace; PostgreSQL comments may hold carriage returns, other
//! control characters and trailing blanks. Such a comment is written as one
//! `///` line holding an escape string, `/// E'line one\r\nline two'`, with
//! PostgreSQL's escapes: `\n`, `\r`, `\t`, `\b`, `\f`, `\\`, `\'` (or
//! `''`), `\xHH`, `\uXXXX`, `\UXXXXXXXX`, octal `\ooo`; any other escaped
//! character stands for itself.

/// The comment a single doc line stands for when it is an escape string.
pub fn unescape(line: &str) -> Option<String> {
    let body = line.strip_prefix("E'").or_else(|| line.strip_prefix("e'"))?;
    let body = body.strip_suffix('\'')?;
    let mut out = String::new();
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                // Only `''` may stand inside; a lone quote ends the string early.
                if chars.next() != Some('\'') {
                    return None;
                }
                out.push('\'');
            }
            '\\' => {
                let escaped = chars.next()?;
                let mut hex = |len: usize| {
                    let digits: String = std::iter::from_fn(|| chars.next_if(char::is_ascii_hexdigit))
                        .take(len)
                        .collect();
                    u32::from_str_radix(&digits, 16).ok().and_then(char::from_u32)
                };
                match escaped {
                    'n' => out.push('\n'),
                    'r' => out.push('\r'),
                    't' => out.push('\t'),
                    'b' => out.push('\u{8}'),
                    'f' => out.push('\u{c}'),
                    'x' => out.push(hex(2)?),
                    'u' => out.push(hex(4)?),
                    'U' => out.push(hex(8)?),
                    '0'..='7' => {
                        let mut value = escaped.to_digit(8).expect("an octal digit");
                        for _ in 0..2 {
                            match chars.next_if(|c| c.is_digit(8)) {
                                Some(d) => value = value * 8 + d.to_digit(8).expect("an octal digit"),
                                None => break,
                            }
                        }
                        out.push(char::from_u32(value)?);
                    }
                    other => out.push(other),
                }
            }
            c => out.push(c),
        }
    }
    Some(out)
}

/// The escape string for a comment that plain `///` lines would not give
/// back as it is (None: plain lines do).
pub fn escape(comment: &str) -> Option<String> {
    let plain = !comment.chars().any(|c| c.is_control() && c != '\n')
        && comment.split('\n').all(|line| line == line.trim_end())
        && (comment.contains('\n') || unescape(comment).is_none());
    if plain {
        return None;
    }
    let mut out = String::from("E'");
    for c in comment.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("''"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() || c.is_whitespace() && c != ' ' => {
                out.push_str(&format!("\\U{:08x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('\'');
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn awkward_comments_escape_and_come_back() {
        for comment in [
            "a\r\nb",
            "\r",
            "tab\tin the middle",
            "trailing space ",
            "bell\u{7} and \u{1}",
            "E'looks escaped'",
            "ends with a line separator\u{2028}",
            "\u{85}",
        ] {
            let escaped = escape(comment).unwrap_or_else(|| panic!("{comment:?} needs escaping"));
            assert_eq!(unescape(&escaped).as_deref(), Some(comment), "{escaped}");
            assert!(!escaped.contains(['\n', '\r']), "{escaped}");
        }
        for plain in [
            "Registered accounts.",
            "it's a back\\slash",
            "two\nlines",
            "E'x'\nis fine on two lines",
            "",
        ] {
            assert_eq!(escape(plain), None, "{plain:?}");
        }
    }

    #[test]
    fn postgres_escapes_are_read() {
        assert_eq!(unescape(r"E'a\x41\u00e9\101\q'").as_deref(), Some("aAéAq"));
        assert_eq!(unescape("E'it''s'").as_deref(), Some("it's"));
        assert_eq!(unescape("E'it's'"), None);
        assert_eq!(unescape("plain"), None);
        assert_eq!(unescape(r"E'\'"), None);
    }
}
