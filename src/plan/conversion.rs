//! What `ALTER COLUMN ... TYPE` costs between two types: whether PostgreSQL
//! rewrites the table (a new relfilenode) and whether values can be lost.
//!
//! PostgreSQL keeps the table when the cast is binary coercible and any
//! length coercion is a no-op (its support functions simplify it away:
//! `varchar_support`, `numeric_support`, `varbit_support`,
//! `timestamp_support`, `interval_support`, ...). Each entry below was seen
//! on a PostgreSQL 15 server (tests/postgres.rs checks them all against
//! `pg_class.relfilenode`); a pair not listed may rewrite or not, and is
//! taken to lose values, the safe guess.

use crate::ir::{SqlType, TypeName};

/// Whether a type change rewrites the table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Rewrite {
    /// The table keeps its storage (indexes may still be rebuilt).
    No,
    Yes,
    /// Only when the session's `TimeZone` is not UTC: the stored values
    /// of `timestamp` and `timestamptz` are the same in UTC.
    UnlessUtc,
    /// A pair this table does not list.
    Unknown,
}

/// What converting a column's values between two types costs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Conversion {
    pub rewrite: Rewrite,
    /// Values may not fit: data can be lost or the change can fail.
    pub narrowing: bool,
}

impl Conversion {
    const FREE: Conversion = Conversion {
        rewrite: Rewrite::No,
        narrowing: false,
    };
    const WIDENING: Conversion = Conversion {
        rewrite: Rewrite::Yes,
        narrowing: false,
    };
    const NARROWING: Conversion = Conversion {
        rewrite: Rewrite::Yes,
        narrowing: true,
    };
}

/// Classifies a type change.
pub(crate) fn conversion(from: &SqlType, to: &SqlType) -> Conversion {
    if from.array_dims != to.array_dims {
        return Conversion::NARROWING;
    }
    let element = element_conversion(from, to);
    let same_element = from.name == to.name && from.modifiers == to.modifiers;
    if from.array_dims > 0 && !same_element {
        // An array's elements go through an array coercion, which
        // PostgreSQL never takes for a no-op: even `varchar(3)[]` to
        // `text[]` rewrites.
        return Conversion {
            rewrite: Rewrite::Yes,
            ..element
        };
    }
    element
}

fn element_conversion(from: &SqlType, to: &SqlType) -> Conversion {
    let name = |t: &SqlType| match &t.name {
        TypeName::Builtin(n) => n.clone(),
        TypeName::User(q) => q.to_string(),
    };
    let (a, b) = (name(from), name(to));
    let (m, n) = (modifiers(from), modifiers(to));
    let rank = |n: &str| match n {
        "smallint" => Some(1),
        "integer" => Some(2),
        "bigint" => Some(3),
        "numeric" => Some(4),
        _ => None,
    };
    let widening = |wider: bool| {
        if wider {
            Conversion::WIDENING
        } else {
            Conversion::NARROWING
        }
    };
    match (a.as_str(), b.as_str()) {
        (x, y) if x == y && m == n => Conversion::FREE,
        (x, y) if x == y => match x {
            "character varying" | "bit varying" => no_op_if(length_kept(&m, &n)),
            "numeric" => numeric(&m, &n),
            "timestamp without time zone"
            | "timestamp with time zone"
            | "time without time zone"
            | "time with time zone"
            | "interval" => no_op_if(length_kept(&m, &n)),
            // `char(n)` and `bit(n)` pad to their length: a longer one is
            // written anew.
            _ => match (first(&m), first(&n)) {
                (Some(m), Some(n)) => widening(n >= m),
                _ => Conversion::NARROWING,
            },
        },
        ("character varying", "text") => Conversion::FREE,
        ("text", "character varying") if n.is_empty() => Conversion::FREE,
        ("text", "character varying") | ("text" | "character varying", "character") => Conversion::NARROWING,
        // `bpchar` goes to text by `rtrim`, a function: always a rewrite.
        // It drops trailing spaces, which `char` never counted.
        ("character", "text") => Conversion::WIDENING,
        ("character", "character varying") => widening(length_kept(&m, &n)),
        ("cidr", "inet") => Conversion::FREE,
        // `cidr(inet)` zeroes the host bits.
        ("inet", "cidr") => Conversion::NARROWING,
        ("bit", "bit varying") if n.is_empty() => Conversion::FREE,
        ("bit", "bit varying") => widening(length_kept(&m, &n)),
        ("timestamp without time zone", "timestamp with time zone") => Conversion {
            rewrite: Rewrite::UnlessUtc,
            narrowing: false,
        },
        // Two instants an hour apart can have one local time.
        ("timestamp with time zone", "timestamp without time zone") => Conversion {
            rewrite: Rewrite::UnlessUtc,
            narrowing: true,
        },
        ("real", "double precision") => Conversion::WIDENING,
        (x, y) => match (rank(x), rank(y)) {
            (Some(p), Some(q)) => widening(q > p && (y != "numeric" || n.is_empty())),
            _ => Conversion {
                rewrite: Rewrite::Unknown,
                narrowing: true,
            },
        },
    }
}

fn no_op_if(kept: bool) -> Conversion {
    if kept { Conversion::FREE } else { Conversion::NARROWING }
}

/// A type's modifiers as numbers (`(12,2)` → [12, 2]); empty when it has
/// none. Anything that is not a number (an interval's fields) is kept as
/// None, which no rule takes for a no-op.
fn modifiers(t: &SqlType) -> Vec<Option<i64>> {
    t.modifiers
        .as_deref()
        .map(|m| {
            m.trim()
                .trim_matches(['(', ')'])
                .split(',')
                .map(|part| part.trim().parse::<i64>().ok())
                .collect()
        })
        .unwrap_or_default()
}

fn first(modifiers: &[Option<i64>]) -> Option<i64> {
    modifiers.first().copied().flatten()
}

/// Whether a length or precision limit stays or grows: a limit to no limit,
/// or a limit to a larger one.
fn length_kept(from: &[Option<i64>], to: &[Option<i64>]) -> bool {
    match (from, to) {
        (_, []) => from.iter().all(Option::is_some),
        ([Some(m)], [Some(n)]) => n >= m,
        _ => false,
    }
}

/// `numeric(p, s)`: no rewrite when the scale stays and the precision does
/// not shrink, or the limit goes; a larger scale with as many digits before
/// the point rewrites every value but loses none.
fn numeric(from: &[Option<i64>], to: &[Option<i64>]) -> Conversion {
    let precision_scale = |m: &[Option<i64>]| match m {
        [Some(p)] => Some((*p, 0)),
        [Some(p), Some(s)] => Some((*p, *s)),
        _ => None,
    };
    if to.is_empty() {
        return no_op_if(precision_scale(from).is_some());
    }
    match (precision_scale(from), precision_scale(to)) {
        (Some((p, s)), Some((q, t))) if t == s && q >= p => Conversion::FREE,
        (Some((p, s)), Some((q, t))) if t > s && q - t >= p - s => Conversion::WIDENING,
        _ => Conversion::NARROWING,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ty(name: &str, modifiers: Option<&str>) -> SqlType {
        SqlType {
            name: TypeName::Builtin(name.into()),
            modifiers: modifiers.map(Box::from),
            array_dims: 0,
        }
    }

    #[test]
    fn numeric_precision_and_scale() {
        let n = |m| ty("numeric", m);
        assert_eq!(conversion(&n(Some("(12,2)")), &n(Some("(14,2)"))), Conversion::FREE);
        assert_eq!(conversion(&n(Some("(12,2)")), &n(None)), Conversion::FREE);
        assert_eq!(conversion(&n(Some("(12)")), &n(Some("(14,0)"))), Conversion::FREE);
        assert_eq!(conversion(&n(Some("(12,2)")), &n(Some("(14,3)"))), Conversion::WIDENING);
        assert_eq!(
            conversion(&n(Some("(12,2)")), &n(Some("(12,3)"))),
            Conversion::NARROWING
        );
        assert_eq!(
            conversion(&n(Some("(14,2)")), &n(Some("(12,2)"))),
            Conversion::NARROWING
        );
        assert_eq!(conversion(&n(None), &n(Some("(12,2)"))), Conversion::NARROWING);
    }

    #[test]
    fn arrays_always_rewrite() {
        let mut a = ty("character varying", Some("(3)"));
        let mut b = ty("text", None);
        a.array_dims = 1;
        b.array_dims = 1;
        assert_eq!(conversion(&a, &b), Conversion::WIDENING);
        assert_eq!(conversion(&b, &a), Conversion::NARROWING);
        assert_eq!(conversion(&a, &a), Conversion::FREE);
    }
}
