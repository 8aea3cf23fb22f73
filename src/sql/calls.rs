//! The functions an SQL expression calls, found from its text: a word (or
//! a quoted name, or `schema.name`) followed by an opening parenthesis,
//! leaving out the words PostgreSQL's grammar follows with one without them
//! naming a function.

use super::{Lexeme, lexeme_at};

/// One call of a function in an expression.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Call {
    /// The schema, when the call is written qualified.
    pub schema: Option<String>,
    /// The name: lower-cased unless quoted.
    pub name: String,
}

/// Words that PostgreSQL's grammar follows with a parenthesis without them
/// being a function of `pg_proc` (`coalesce(...)`, `x in (...)`,
/// `character varying(3)`, `current_timestamp(0)`, `decimal(10, 2)`).
const NOT_FUNCTIONS: &[&str] = &[
    "all",
    "and",
    "any",
    "array",
    "as",
    "between",
    "case",
    "cast",
    "character",
    "coalesce",
    "current_time",
    "current_timestamp",
    "dec",
    "decimal",
    "else",
    "exists",
    "float",
    "greatest",
    "ilike",
    "in",
    "is",
    "least",
    "like",
    "localtime",
    "localtimestamp",
    "nchar",
    "not",
    "nullif",
    "or",
    "row",
    "similar",
    "some",
    "then",
    "trim",
    "varying",
    "when",
];

/// A token of an expression, as far as finding calls needs.
enum Token {
    Word { name: String, quoted: bool },
    Dot,
    Open,
    Other,
}

fn tokens(text: &str) -> Vec<Token> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        if let Some((lexeme, len)) = lexeme_at(bytes, at) {
            match lexeme {
                // A quoted identifier can name a function too.
                Lexeme::Quoted if bytes[at] == b'"' => out.push(Token::Word {
                    name: text[at + 1..at + len].trim_end_matches('"').replace("\"\"", "\""),
                    quoted: true,
                }),
                Lexeme::Quoted => out.push(Token::Other),
                Lexeme::Comment => {}
            }
            at += len.max(1);
            continue;
        }
        let c = bytes[at];
        if c.is_ascii_alphabetic() || c == b'_' || c >= 0x80 {
            let end = text[at..]
                .find(|ch: char| !(ch.is_alphanumeric() || ch == '_' || ch == '$'))
                .map_or(text.len(), |e| at + e);
            out.push(Token::Word {
                name: text[at..end].to_ascii_lowercase(),
                quoted: false,
            });
            at = end;
            continue;
        }
        match c {
            b'.' => out.push(Token::Dot),
            b'(' => out.push(Token::Open),
            c if c.is_ascii_whitespace() => {}
            _ => out.push(Token::Other),
        }
        at += 1;
    }
    out
}

/// Every function call in the expression, in the order written.
pub fn calls(text: &str) -> Vec<Call> {
    let tokens = tokens(text);
    let mut out = Vec::new();
    for (i, token) in tokens.iter().enumerate() {
        let Token::Open = token else { continue };
        let Some(Token::Word { name, quoted }) = i.checked_sub(1).map(|j| &tokens[j]) else {
            continue;
        };
        let schema = match (
            i.checked_sub(2).map(|j| &tokens[j]),
            i.checked_sub(3).map(|j| &tokens[j]),
        ) {
            (Some(Token::Dot), Some(Token::Word { name, .. })) => Some(name.clone()),
            _ => None,
        };
        if *quoted || schema.is_some() || !NOT_FUNCTIONS.contains(&name.as_str()) {
            out.push(Call {
                schema,
                name: name.clone(),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<String> {
        calls(text)
            .into_iter()
            .map(|c| match c.schema {
                Some(schema) => format!("{schema}.{}", c.name),
                None => c.name,
            })
            .collect()
    }

    #[test]
    fn calls_are_words_before_a_parenthesis() {
        assert_eq!(
            names("coalesce(Lower('A'), pg_catalog.uuidv7())"),
            ["lower", "pg_catalog.uuidv7"]
        );
        assert_eq!(names("'uuidv7()' || x in (1, 2)"), Vec::<String>::new());
        assert_eq!(names("\"MyFunc\"(1) /* f() */"), ["MyFunc"]);
        assert_eq!(names("'a'::character varying(3)"), Vec::<String>::new());
    }
}
