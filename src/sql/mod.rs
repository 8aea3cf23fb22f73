//! SQL text inside the language, read the way PostgreSQL's lexer reads it:
//! where its strings, quoted identifiers, dollar quotes and comments start
//! and end, so that no quote or comment mark inside one is taken for
//! anything else. The grammar captures an expression's extent; this is what
//! every later reading of that text (comment removal, whitespace
//! normalisation, comparison) uses.

mod arrays;
mod calls;
mod setops;
pub mod tree;

pub use arrays::{keep_array_casts, push_array_casts};
pub use calls::{Call, calls};
pub use setops::{drop_hidden_names, keep_hidden_names};

/// What starts at a place in SQL text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lexeme {
    /// A string (`'...'`, `E'...'`, `U&'...'`), a dollar quote or a quoted
    /// identifier: text to keep exactly as written.
    Quoted,
    /// A comment: the language's `//`, SQL's `--` and nested `/* */`.
    Comment,
}

/// The quoted token or comment that starts at byte `at` of `text`, with its
/// length in bytes (to the end of the text when unclosed); None when a plain
/// character is there. `E'`, `U&'` and `$` start a string only where a word
/// could start, as in PostgreSQL (`name$$` is one identifier). This reads
/// SQL inside the language, where `//` is a comment too and an unclosed
/// dollar quote is none (as the grammar reads it).
pub fn lexeme_at(text: &[u8], at: usize) -> Option<(Lexeme, usize)> {
    lexeme(text, at, true)
}

/// The same for a plain SQL script (a revision), read as psql reads it:
/// `//` is no comment, and an unclosed dollar quote runs to the end.
pub fn script_lexeme_at(text: &[u8], at: usize) -> Option<(Lexeme, usize)> {
    lexeme(text, at, false)
}

fn lexeme(text: &[u8], at: usize, language: bool) -> Option<(Lexeme, usize)> {
    let after_word = at > 0 && is_word_byte(text[at - 1]);
    let rest = text.get(at..)?;
    match rest {
        [b'/', b'/', ..] if !language => None,
        [b'/', b'/', ..] | [b'-', b'-', ..] => Some((
            Lexeme::Comment,
            rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len()),
        )),
        [b'/', b'*', ..] => Some((Lexeme::Comment, block_comment_len(rest))),
        [b'e' | b'E', b'\'', ..] if !after_word => Some((Lexeme::Quoted, 1 + quoted_len(&rest[1..], true))),
        [b'u' | b'U', b'&', b'\'' | b'"', ..] if !after_word => {
            Some((Lexeme::Quoted, 2 + quoted_len(&rest[2..], false)))
        }
        [b'\'' | b'"', ..] => Some((Lexeme::Quoted, quoted_len(rest, false))),
        [b'$', ..] if !after_word => match dollar_quote_len(rest)? {
            (len, true) => Some((Lexeme::Quoted, len)),
            (len, false) if !language => Some((Lexeme::Quoted, len)),
            _ => None,
        },
        _ => None,
    }
}

/// Whether the byte continues a word (keyword or unquoted identifier).
fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80
}

/// The length of the quoted token at the start of `text` (its opening quote
/// included), a doubled quote standing for itself; all of it if unclosed.
fn quoted_len(text: &[u8], backslash_escapes: bool) -> usize {
    let quote = text[0];
    let mut at = 1;
    while at < text.len() {
        match text[at] {
            b'\\' if backslash_escapes => at += 2,
            b if b == quote && text.get(at + 1) == Some(&quote) => at += 2,
            b if b == quote => return at + 1,
            _ => at += 1,
        }
    }
    text.len()
}

/// The length of the nested `/* */` comment at the start of `text`.
fn block_comment_len(text: &[u8]) -> usize {
    let (mut depth, mut at) = (0usize, 0);
    while at < text.len() {
        match &text[at..] {
            [b'/', b'*', ..] => (depth, at) = (depth + 1, at + 2),
            [b'*', b'/', ..] => {
                (depth, at) = (depth.saturating_sub(1), at + 2);
                if depth == 0 {
                    return at;
                }
            }
            _ => at += 1,
        }
    }
    text.len()
}

/// The length of the dollar quote (`$$...$$`, `$tag$...$tag$`) at the start
/// of `text` and whether it is closed (unclosed: all of the text), or None
/// when the `$` opens none (a parameter `$1`).
fn dollar_quote_len(text: &[u8]) -> Option<(usize, bool)> {
    let tag = match text.get(1) {
        Some(&b) if b.is_ascii_alphabetic() || b == b'_' || b >= 0x80 => text[1..]
            .iter()
            .take_while(|&&b| b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80)
            .count(),
        _ => 0,
    };
    if text.get(1 + tag) != Some(&b'$') {
        return None;
    }
    let delimiter = &text[..tag + 2];
    let body = &text[delimiter.len()..];
    Some(match body.windows(delimiter.len()).position(|w| w == delimiter) {
        Some(close) => (delimiter.len() + close + delimiter.len(), true),
        None => (text.len(), false),
    })
}

/// Whether the text's last line ends inside a `//` or `--` comment, so
/// that anything put after it on the same line would be commented out.
pub fn ends_in_line_comment(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        match lexeme_at(bytes, at) {
            Some((Lexeme::Comment, len)) if at + len >= bytes.len() => {
                return matches!(bytes.get(at + 1), Some(b'/' | b'-'));
            }
            Some((_, len)) => at += len,
            None => at += 1,
        }
    }
    false
}

/// The expression as one line: comments removed, each run of whitespace
/// outside quotes one space, nothing at either end; quoted text exactly as
/// written.
pub fn one_line(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let (mut at, mut pending_space) = (0, false);
    // Every range below starts and ends on an ASCII byte or the end of the
    // text, so slicing never splits a character.
    while at < bytes.len() {
        let (len, keep) = match lexeme_at(bytes, at) {
            Some((Lexeme::Comment, len)) => (len, false),
            Some((Lexeme::Quoted, len)) => (len, true),
            None if bytes[at].is_ascii_whitespace() => (1, false),
            None => {
                let len = text[at..].chars().next().map_or(1, char::len_utf8);
                (len, true)
            }
        };
        if keep {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.push_str(&text[at..(at + len).min(text.len())]);
        } else {
            pending_space = true;
        }
        at += len;
    }
    out
}

/// The text with its comments removed and its lines kept, blanks at
/// either end left out: SQL as written (quoted text exactly), for a script
/// to show.
pub fn without_comments(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    while at < bytes.len() {
        match lexeme_at(bytes, at) {
            Some((Lexeme::Comment, len)) => {
                // A line comment ends at its newline, which stays.
                out.push(' ');
                at += len;
            }
            Some((Lexeme::Quoted, len)) => {
                out.push_str(&text[at..(at + len).min(text.len())]);
                at += len;
            }
            None => {
                let len = text[at..].chars().next().map_or(1, char::len_utf8);
                out.push_str(&text[at..at + len]);
                at += len;
            }
        }
    }
    out.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_go_and_lines_stay() {
        let text = "\n    select a, -- the key\n      '--not' /* b */ as b // trellis\n\n    from t\n  ";
        assert_eq!(
            without_comments(text),
            "select a,  \n      '--not'   as b  \n\n    from t"
        );
    }

    #[test]
    fn every_string_and_comment_form_is_one_lexeme() {
        let cases: &[(&str, Lexeme, usize)] = &[
            ("'it''s' x", Lexeme::Quoted, 7),
            (r"E'x\'y' z", Lexeme::Quoted, 7),
            (r"e'\\' z", Lexeme::Quoted, 5),
            ("U&'d\\0061t''a' z", Lexeme::Quoted, 14),
            ("$$it's$$ z", Lexeme::Quoted, 8),
            ("$a$ $$ ' $a$ z", Lexeme::Quoted, 12),
            ("\"a\"\"b\" z", Lexeme::Quoted, 6),
            ("// it's\nx", Lexeme::Comment, 7),
            ("-- it's\nx", Lexeme::Comment, 7),
            ("/* a /* b */ ' */ x", Lexeme::Comment, 17),
        ];
        for (text, lexeme, len) in cases {
            assert_eq!(lexeme_at(text.as_bytes(), 0), Some((*lexeme, *len)), "{text}");
        }
        // A parameter and a word's `$` or `e` start nothing.
        assert_eq!(lexeme_at(b"$1", 0), None);
        assert_eq!(lexeme_at(b"a$$b$$", 1), None);
        assert_eq!(lexeme_at(b"somee'x'", 4), None);
        assert_eq!(lexeme_at(b"$$ unclosed", 0), None);
        // A script is read as psql reads it.
        assert_eq!(script_lexeme_at(b"$$ unclosed", 0), Some((Lexeme::Quoted, 11)));
        assert_eq!(script_lexeme_at(b"// x", 0), None);
        assert_eq!(script_lexeme_at(b"-- x\n", 0), Some((Lexeme::Comment, 4)));
    }

    #[test]
    fn comments_go_and_quotes_stay() {
        assert_eq!(one_line("a > 0 -- it's\n"), "a > 0");
        assert_eq!(one_line("'--' || $$//$$ /* x */"), "'--' || $$//$$");
        assert_eq!(one_line("  lower(\n  email )  // why\n"), "lower( email )");
        assert_eq!(one_line("$$a  b$$ ||  E'c\\'  d'"), "$$a  b$$ || E'c\\'  d'");
        assert_eq!(one_line("'é  ü' é"), "'é  ü' é");
    }
}
