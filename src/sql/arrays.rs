//! An array literal PostgreSQL prints in words it reads back differently.
//!
//! `col IN ('a', 'b')` on a `varchar` column is stored as
//! `(col)::text = ANY ((ARRAY['a'::character varying, ...])::text[])`: an
//! array of `varchar` cast to `text[]`. Read back, that cast is pushed into
//! the elements (`ARRAY[('a'::character varying)::text, ...]`), so an
//! object made from the printed text prints differently from the first.
//! Saying the array's own type before the cast (`ARRAY[...]::character
//! varying[]`, which changes nothing) keeps the cast on the array, as
//! PostgreSQL stored it.

use std::borrow::Cow;

use super::lexeme_at;

/// `text` with `(ARRAY[E, ...])::T` written `(ARRAY[E, ...]::E_TYPE[])::T`
/// where every element is a literal of the one type `E_TYPE`; otherwise
/// `text` as it is.
pub fn keep_array_casts(text: &str) -> Cow<'_, str> {
    rewrite_literal_arrays(text, |array| {
        text[array.close + 1..].starts_with(")::").then(|| {
            let kept = format!("{}::{}[]", &text[array.start..=array.close], array.element_type);
            (kept, array.close + 1)
        })
    })
}

/// `text` as PostgreSQL reads it back when it holds `(ARRAY[E, ...])::T[]`
/// with every element a literal of one type: `ARRAY[(E)::T, ...]`, the cast
/// pushed into the elements. Two texts that read the same way this way are
/// one expression in other words (a database restored from `pg_dump` holds
/// the second where the first holds the first).
pub fn push_array_casts(text: &str) -> Cow<'_, str> {
    rewrite_literal_arrays(text, |array| {
        let outer = text[array.close + 1..].strip_prefix(")::").and_then(array_type)?;
        let elements: Vec<String> = array
            .elements
            .iter()
            .map(|(from, to)| format!("({})::{outer}", &text[*from..*to]))
            .collect();
        let end = array.close + 1 + ")::".len() + outer.len() + "[]".len();
        Some((format!("ARRAY[{}]", elements.join(", ")), end))
    })
}

/// One `(ARRAY[...` of literals of one type in a text.
struct LiteralArray<'t> {
    /// Where its `(` is.
    start: usize,
    /// Where its `]` is.
    close: usize,
    /// The one type its elements are cast to.
    element_type: &'t str,
    /// Where each element starts and ends.
    elements: Vec<(usize, usize)>,
}

/// `text` with each `(ARRAY[...` of literals of one type (outside quoted
/// lexemes) that `rewrite` takes replaced, from its `(` up to the end
/// `rewrite` names, by what it returns.
fn rewrite_literal_arrays<'t>(
    text: &'t str,
    rewrite: impl Fn(&LiteralArray<'t>) -> Option<(String, usize)>,
) -> Cow<'t, str> {
    const OPEN: &str = "(ARRAY[";
    if !text.contains(OPEN) {
        return Cow::Borrowed(text);
    }
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len() + 32);
    let mut copied = 0;
    let mut at = 0;
    while at < bytes.len() {
        if let Some((_, len)) = lexeme_at(bytes, at) {
            at += len;
            continue;
        }
        if text[at..].starts_with(OPEN) {
            let mut elements = Vec::new();
            if let Some((close, element_type)) = literal_array_elements(text, at + OPEN.len(), &mut elements) {
                let array = LiteralArray {
                    start: at,
                    close,
                    element_type,
                    elements,
                };
                match rewrite(&array) {
                    Some((replacement, end)) => {
                        out.push_str(&text[copied..at]);
                        out.push_str(&replacement);
                        copied = end;
                        at = end;
                    }
                    None => at = close + 1,
                }
                continue;
            }
        }
        at += 1;
    }
    if copied == 0 {
        return Cow::Borrowed(text);
    }
    out.push_str(&text[copied..]);
    Cow::Owned(out)
}

/// The element type of an array type that starts `rest` (`text[]`,
/// `character varying(10)[]`): the text before its `[]`.
fn array_type(rest: &str) -> Option<&str> {
    let end = rest.find("[]")?;
    let name = &rest[..end];
    let plain = name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | ' ' | '.' | '(' | ')'));
    let balanced = name.matches('(').count() == name.matches(')').count();
    (!name.is_empty() && plain && balanced && !name.starts_with(' ')).then_some(name)
}

/// From just after `ARRAY[`: where its `]` is, and the one type every
/// element (`'literal'::TYPE`) is cast to, with where each element starts
/// and ends; None for anything else.
fn literal_array_elements<'t>(
    text: &'t str,
    start: usize,
    elements: &mut Vec<(usize, usize)>,
) -> Option<(usize, &'t str)> {
    let bytes = text.as_bytes();
    let mut element_type: Option<&str> = None;
    let mut at = start;
    loop {
        // One element: a string literal, `::`, a type up to `,` or `]`.
        let element_start = at;
        let (_, len) = lexeme_at(bytes, at).filter(|_| bytes[at] == b'\'')?;
        at += len;
        if !text[at..].starts_with("::") {
            return None;
        }
        at += 2;
        let rest = &text[at..];
        let end = rest.find([',', ']'])?;
        let this = &rest[..end];
        // A type name: words, spaces, a modifier in parentheses; no
        // quotes, casts or brackets.
        if this.is_empty() || this.contains([':', '\'', '"', '[', '(']) {
            return None;
        }
        match element_type {
            Some(seen) if seen != this => return None,
            _ => element_type = Some(this),
        }
        at += end;
        elements.push((element_start, at));
        match bytes[at] {
            b']' => return Some((at, element_type?)),
            _ => {
                at += 1;
                while bytes.get(at) == Some(&b' ') {
                    at += 1;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{keep_array_casts, push_array_casts};

    #[test]
    fn a_cast_on_an_array_of_literals_goes_into_its_elements_as_postgresql_reads_it() {
        let stored = "((s)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[]))";
        assert_eq!(
            push_array_casts(stored),
            "((s)::text = ANY (ARRAY[('a'::character varying)::text, ('b'::character varying)::text]))"
        );
        let typmod = "c = ANY ((ARRAY['x'::bpchar])::character(2)[]) OR d = ANY ((ARRAY['y'::text])::name[])";
        assert_eq!(
            push_array_casts(typmod),
            "c = ANY (ARRAY[('x'::bpchar)::character(2)]) OR d = ANY (ARRAY[('y'::text)::name])"
        );
        for text in [
            "status = ANY (ARRAY['a'::text, 'b'::text])",
            "(ARRAY[a, b])::text[]",
            "(ARRAY['a'::character varying])::text",
            "'(ARRAY[''a''::text])::text[]'",
            "(ARRAY['a'::character varying])::\"my type\"[]",
        ] {
            assert_eq!(push_array_casts(text), text, "{text}");
        }
    }

    #[test]
    fn a_cast_array_of_literals_says_its_own_type_first() {
        let stored =
            "((entity_type)::text = ANY ((ARRAY['area'::character varying, 'artist'::character varying])::text[]))";
        assert_eq!(
            keep_array_casts(stored),
            "((entity_type)::text = ANY ((ARRAY['area'::character varying, 'artist'::character varying]::character varying[])::text[]))"
        );
        // Twice in one expression, a comma inside a literal.
        let two = "(a)::text = ANY ((ARRAY['x, y'::character varying])::text[]) AND (b)::text = ANY ((ARRAY['z'::bpchar])::text[])";
        assert_eq!(
            keep_array_casts(two),
            "(a)::text = ANY ((ARRAY['x, y'::character varying]::character varying[])::text[]) AND (b)::text = ANY ((ARRAY['z'::bpchar]::bpchar[])::text[])"
        );
    }

    #[test]
    fn anything_else_is_left_as_it_is() {
        for text in [
            "status = ANY (ARRAY['a'::text, 'b'::text])",
            "(ARRAY['a'::character varying, 'b'::text])::text[]",
            "(ARRAY[a, b])::text[]",
            "(ARRAY['a'::character varying])",
            "'(ARRAY[''a''::text])::text[]'",
            "(ARRAY[('a'::character varying)::text])::text[]",
            "(ARRAY['a'",
        ] {
            assert_eq!(keep_array_casts(text), text, "{text}");
        }
    }
}
