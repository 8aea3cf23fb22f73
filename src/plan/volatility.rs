//! Whether a default calls a volatile function. Since PostgreSQL 11 a new
//! column with a stable or immutable default (a constant, `now()`) is added
//! without touching the rows: the value is stored once, in the catalog. A
//! volatile one (`gen_random_uuid()`, `clock_timestamp()`, `nextval`) is
//! computed for every row, which rewrites the table.
//!
//! Offline there is no `pg_proc` to ask: built-in functions are looked up in
//! PostgreSQL 15's own list (builtin_functions.txt, checked against a server
//! by tests/postgres.rs), a few common extension functions are known, and
//! any other function is taken to be volatile.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use crate::ir::Expr;
use crate::sql::calls;

/// How volatile an expression is, as far as can be told without a database.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Volatility {
    /// Only stable and immutable functions: the value is computed once.
    Stable,
    /// Calls a function this list does not know (a user's or an
    /// extension's): it may be volatile.
    Unknown,
    /// Calls a volatile function.
    Volatile,
}

/// Functions of common extensions, by name.
const EXTENSION_FUNCTIONS: &[(&str, char)] = &[
    // uuid-ossp
    ("uuid_generate_v1", 'v'),
    ("uuid_generate_v1mc", 'v'),
    ("uuid_generate_v3", 'i'),
    ("uuid_generate_v4", 'v'),
    ("uuid_generate_v5", 'i'),
    // pgcrypto
    ("gen_random_bytes", 'v'),
    ("gen_salt", 'v'),
];

/// Built-in functions of PostgreSQL versions after 15 (whose list
/// builtin_functions.txt is), by name; a schema that calls one is refused
/// on older servers by `check::versions`.
const NEWER_BUILTINS: &[(&str, char)] = &[("uuidv4", 'v'), ("uuidv7", 'v')];

fn builtins() -> &'static BTreeMap<&'static str, char> {
    static BUILTINS: OnceLock<BTreeMap<&'static str, char>> = OnceLock::new();
    BUILTINS.get_or_init(|| {
        include_str!("builtin_functions.txt")
            .lines()
            .filter(|line| !line.starts_with('#'))
            .filter_map(|line| {
                let (name, volatility) = line.split_once(' ')?;
                Some((name, volatility.chars().next()?))
            })
            .collect()
    })
}

/// Whether PostgreSQL has a built-in function of that name (or a common
/// extension does).
pub fn is_builtin_function(name: &str) -> bool {
    builtins().contains_key(name)
        || NEWER_BUILTINS.iter().any(|(n, _)| *n == name)
        || EXTENSION_FUNCTIONS.iter().any(|(n, _)| *n == name)
}

/// The volatility of one function by name (`schema` when written
/// qualified).
fn function_volatility(schema: Option<&str>, name: &str) -> Volatility {
    let builtin = match schema {
        None | Some("pg_catalog") => builtins()
            .get(name)
            .copied()
            .or_else(|| NEWER_BUILTINS.iter().find(|(n, _)| *n == name).map(|(_, v)| *v)),
        Some(_) => None,
    };
    let extension = || EXTENSION_FUNCTIONS.iter().find(|(n, _)| *n == name).map(|(_, v)| *v);
    match builtin.or_else(extension) {
        Some('v') => Volatility::Volatile,
        Some(_) => Volatility::Stable,
        None => Volatility::Unknown,
    }
}

/// The most volatile function an expression calls.
pub(crate) fn volatility(expr: &Expr) -> Volatility {
    calls(&expr.0)
        .iter()
        .map(|call| function_volatility(call.schema.as_deref(), &call.name))
        .max()
        .unwrap_or(Volatility::Stable)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(text: &str) -> Volatility {
        volatility(&Expr(text.into()))
    }

    #[test]
    fn builtin_functions_by_their_volatility() {
        assert_eq!(of("now()"), Volatility::Stable);
        assert_eq!(of("CURRENT_TIMESTAMP"), Volatility::Stable);
        assert_eq!(of("current_timestamp(0)"), Volatility::Stable);
        assert_eq!(of("'a'::character varying(3)"), Volatility::Stable);
        assert_eq!(of("coalesce(lower('A'), 'b')"), Volatility::Stable);
        assert_eq!(of("txid_current()"), Volatility::Stable);
        assert_eq!(of("gen_random_uuid()"), Volatility::Volatile);
        assert_eq!(of("uuidv7()"), Volatility::Volatile);
        assert_eq!(of("pg_catalog.uuidv4()"), Volatility::Volatile);
        assert_eq!(of("pg_catalog.clock_timestamp()"), Volatility::Volatile);
        assert_eq!(of("nextval('s'::regclass)"), Volatility::Volatile);
        assert_eq!(of("(random() * 10)::integer"), Volatility::Volatile);
        assert_eq!(of("'random()'"), Volatility::Stable);
        assert_eq!(of("uuid_generate_v4()"), Volatility::Volatile);
        assert_eq!(of("public.uuid_generate_v4()"), Volatility::Volatile);
    }

    #[test]
    fn other_functions_may_be_volatile() {
        assert_eq!(of("next_invoice_number()"), Volatility::Unknown);
        assert_eq!(of("app.now()"), Volatility::Unknown);
        assert_eq!(of("\"MyFunc\"(1)"), Volatility::Unknown);
    }
}
