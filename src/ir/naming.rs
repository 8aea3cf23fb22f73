//! PostgreSQL's rules for the names it gives unnamed constraints, indexes and
//! owned sequences (`makeObjectName`, `ChooseRelationName`,
//! `ChooseConstraintName`, `ChooseIndexColumnNames` in its source), so that a
//! schema written without names matches a database created from the same
//! DDL.

use super::name::{Ident, MAX_IDENT_BYTES};

/// The longest prefix of `text` of at most `max` bytes that ends on a
/// character boundary (`pg_mbcliplen`).
fn clip(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// `name1_name2_label`, shortening the longer of `name1` and `name2` until
/// the whole fits in 63 bytes.
pub fn make_object_name(name1: &str, name2: Option<&str>, label: Option<&str>) -> String {
    let mut overhead = 0;
    if name2.is_some() {
        overhead += 1;
    }
    if let Some(label) = label {
        overhead += label.len() + 1;
    }
    let available = MAX_IDENT_BYTES.saturating_sub(overhead);
    let mut name1_len = name1.len();
    let mut name2_len = name2.map_or(0, str::len);
    while name1_len + name2_len > available {
        if name1_len > name2_len {
            name1_len -= 1;
        } else {
            name2_len -= 1;
        }
    }
    let mut result = clip(name1, name1_len).to_string();
    if let Some(name2) = name2 {
        result.push('_');
        result.push_str(clip(name2, name2_len));
    }
    if let Some(label) = label {
        result.push('_');
        result.push_str(label);
    }
    result
}

/// The first of `name1_name2_label`, `..._label1`, `..._label2`, ... that
/// is not taken.
pub fn choose_name(name1: &str, name2: Option<&str>, label: &str, is_taken: impl Fn(&str) -> bool) -> Ident {
    let mut pass = 0;
    loop {
        let label = if pass == 0 {
            label.to_string()
        } else {
            format!("{label}{pass}")
        };
        let candidate = make_object_name(name1, name2, Some(&label));
        if !is_taken(&candidate) {
            return Ident::new(candidate);
        }
        pass += 1;
    }
}

/// The column part of a generated index or foreign-key name: the names
/// joined by `_`, stopping once 63 bytes are reached.
pub fn join_column_names<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    let mut joined = String::new();
    for name in names {
        if !joined.is_empty() {
            joined.push('_');
        }
        joined.push_str(clip(name, MAX_IDENT_BYTES));
        if joined.len() >= MAX_IDENT_BYTES {
            break;
        }
    }
    joined
}

/// Index column names as PostgreSQL chooses them: a column's name, the
/// function's name for a call, `expr` for other expressions, with a number
/// appended to repeats.
pub fn index_column_names(raw: &[String]) -> Vec<String> {
    let mut result: Vec<String> = Vec::new();
    for original in raw {
        let mut current = original.clone();
        let mut i = 1;
        while result.contains(&current) {
            let suffix = i.to_string();
            current = format!("{}{suffix}", clip(original, MAX_IDENT_BYTES - suffix.len()));
            i += 1;
        }
        result.push(current);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn short_names_are_joined() {
        assert_eq!(make_object_name("users", None, Some("pkey")), "users_pkey");
        assert_eq!(
            make_object_name("invoices", Some("user_id"), Some("fkey")),
            "invoices_user_id_fkey"
        );
    }

    #[test]
    fn long_names_shorten_the_longer_part_first() {
        let table = "a".repeat(40);
        let column = "b".repeat(30);
        let name = make_object_name(&table, Some(&column), Some("key"));
        assert_eq!(name.len(), 63);
        // 63 - 1 - 4 = 58 bytes for both parts: 29 + 29.
        assert_eq!(name, format!("{}_{}_key", "a".repeat(29), "b".repeat(29)));
    }

    #[test]
    fn collisions_are_numbered() {
        let mut taken = BTreeSet::new();
        for expected in ["t_a_key", "t_a_key1", "t_a_key2"] {
            let name = choose_name("t", Some("a"), "key", |n| taken.contains(n));
            assert_eq!(name.as_str(), expected);
            taken.insert(name.as_str().to_string());
        }
    }

    #[test]
    fn repeated_index_columns_are_numbered() {
        let names = index_column_names(&["expr".into(), "expr".into(), "a".into()]);
        assert_eq!(names, ["expr", "expr1", "a"]);
    }

    #[test]
    fn multibyte_names_are_cut_on_character_boundaries() {
        let table = "é".repeat(40); // 80 bytes
        let name = make_object_name(&table, None, Some("pkey"));
        assert!(name.len() <= 63);
        assert!(name.ends_with("_pkey"));
    }
}
