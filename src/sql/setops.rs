//! The names of a set operation's columns are its first branch's. PostgreSQL
//! stores a name for every branch's columns all the same, and prints the
//! others' or not as it likes: a column a later branch computes without a
//! name (`NULL`, which the set operation makes `NULL::integer`) is stored
//! as `?column?` and printed with no name at all, and that text read back
//! names it after its type (`int4`). So a view made from what PostgreSQL
//! prints prints differently, and the names there are never seen.
//!
//! Two things follow: two queries are compared without those names
//! ([`drop_hidden_names`]), and a query read from a database says
//! `AS "?column?"` where PostgreSQL left the name out ([`keep_hidden_names`]),
//! so that a view made from it is the one read.

use std::borrow::Cow;

use pg_query::NodeEnum;
use pg_query::protobuf::{self, ResTarget, SelectStmt, SetOperation};

/// Calls `each` with every column of a set operation's branches after the
/// first, in `select` and the queries inside it (its `FROM` and `WITH`).
fn hidden_targets(select: &mut SelectStmt, first: bool, each: &mut dyn FnMut(&mut ResTarget)) {
    if let Some(with) = select.with_clause.as_mut() {
        for cte in &mut with.ctes {
            if let Some(NodeEnum::CommonTableExpr(cte)) = cte.node.as_mut() {
                if let Some(NodeEnum::SelectStmt(query)) = cte.ctequery.as_mut().and_then(|q| q.node.as_mut()) {
                    hidden_targets(query, true, each);
                }
            }
        }
    }
    if select.op == SetOperation::SetopNone as i32 || select.op == SetOperation::Undefined as i32 {
        if !first {
            for target in &mut select.target_list {
                if let Some(NodeEnum::ResTarget(target)) = target.node.as_mut() {
                    each(target);
                }
            }
        }
        for from in &mut select.from_clause {
            from_item(from, each);
        }
        return;
    }
    if let Some(left) = select.larg.as_mut() {
        hidden_targets(left, first, each);
    }
    if let Some(right) = select.rarg.as_mut() {
        hidden_targets(right, false, each);
    }
}

fn from_item(node: &mut protobuf::Node, each: &mut dyn FnMut(&mut ResTarget)) {
    match node.node.as_mut() {
        Some(NodeEnum::RangeSubselect(sub)) => {
            if let Some(NodeEnum::SelectStmt(query)) = sub.subquery.as_mut().and_then(|q| q.node.as_mut()) {
                hidden_targets(query, true, each);
            }
        }
        Some(NodeEnum::JoinExpr(join)) => {
            for side in [join.larg.as_mut(), join.rarg.as_mut()].into_iter().flatten() {
                from_item(side, each);
            }
        }
        _ => {}
    }
}

/// The first statement's query: a `SELECT` or a view's.
fn query_of(parsed: &mut protobuf::ParseResult) -> Option<&mut SelectStmt> {
    let node = parsed.stmts.first_mut()?.stmt.as_mut()?.node.as_mut()?;
    match node {
        NodeEnum::SelectStmt(select) => Some(select),
        NodeEnum::ViewStmt(view) => match view.query.as_mut()?.node.as_mut()? {
            NodeEnum::SelectStmt(select) => Some(select),
            _ => None,
        },
        _ => None,
    }
}

/// Clears the names of the columns of a set operation's later branches.
pub fn drop_hidden_names(parsed: &mut protobuf::ParseResult) {
    if let Some(select) = query_of(parsed) {
        hidden_targets(select, true, &mut |target| target.name.clear());
    }
}

/// `query` (as PostgreSQL prints a view's) with `AS "?column?"` after each
/// column of a later branch that it printed with no name and that is not a
/// plain column: the name it has. Anything that does not parse is left as
/// it is.
pub fn keep_hidden_names(query: &str) -> Cow<'_, str> {
    let Ok(parsed) = pg_query::parse(query, 0) else {
        return Cow::Borrowed(query);
    };
    let mut parsed = parsed.protobuf;
    let mut unnamed: Vec<usize> = Vec::new();
    if let Some(select) = query_of(&mut parsed) {
        hidden_targets(select, true, &mut |target| {
            let column = matches!(
                target.val.as_ref().and_then(|v| v.node.as_ref()),
                Some(NodeEnum::ColumnRef(_))
            );
            if target.name.is_empty() && !column {
                if let Ok(at) = usize::try_from(target.location) {
                    unnamed.push(at);
                }
            }
        });
    }
    if unnamed.is_empty() {
        return Cow::Borrowed(query);
    }
    let Ok(tokens) = pg_query::scan_tokens(query) else {
        return Cow::Borrowed(query);
    };
    let mut ends: Vec<usize> = unnamed
        .iter()
        .filter_map(|&at| target_end(query, &tokens, at))
        .collect();
    ends.sort_unstable();
    ends.dedup();
    let mut out = String::with_capacity(query.len() + ends.len() * 14);
    let mut copied = 0;
    for end in ends {
        out.push_str(&query[copied..end]);
        out.push_str(" AS \"?column?\"");
        copied = end;
    }
    out.push_str(&query[copied..]);
    Cow::Owned(out)
}

/// Where the select-list entry starting at byte `start` ends: before the
/// `,`, `)` or clause keyword that follows it outside parentheses and
/// brackets.
fn target_end(query: &str, tokens: &[protobuf::ScanToken], start: usize) -> Option<usize> {
    const ENDS_ENTRY: &[&str] = &[
        "from",
        "where",
        "group",
        "having",
        "window",
        "union",
        "intersect",
        "except",
        "order",
        "limit",
        "offset",
        "fetch",
        "for",
        "into",
    ];
    let mut depth = 0i32;
    let mut last_end = None;
    let span = |t: &protobuf::ScanToken| Some((usize::try_from(t.start).ok()?, usize::try_from(t.end).ok()?));
    for token in tokens {
        let (from, to) = span(token)?;
        if from < start {
            continue;
        }
        let text = query.get(from..to)?;
        match text {
            "(" | "[" => depth += 1,
            ")" | "]" if depth == 0 => return last_end,
            ")" | "]" => depth -= 1,
            "," if depth == 0 => return last_end,
            word if depth == 0 && ENDS_ENTRY.iter().any(|k| word.eq_ignore_ascii_case(k)) => return last_end,
            _ => {}
        }
        last_end = Some(to);
    }
    last_end
}

#[cfg(test)]
mod tests {
    use super::keep_hidden_names;

    #[test]
    fn an_unnamed_column_of_a_later_branch_keeps_its_name() {
        let printed = " SELECT q.a\n   FROM ( SELECT t1.a,\n            1 AS x\n           FROM t1\n        UNION ALL\n         SELECT t1.a,\n            NULL::integer\n           FROM t1) q;";
        assert_eq!(
            keep_hidden_names(printed),
            " SELECT q.a\n   FROM ( SELECT t1.a,\n            1 AS x\n           FROM t1\n        UNION ALL\n         SELECT t1.a,\n            NULL::integer AS \"?column?\"\n           FROM t1) q;"
        );
        let last = "SELECT a, 1 FROM t UNION SELECT b, coalesce(c, (d)::integer) FROM u ORDER BY 1";
        assert_eq!(
            keep_hidden_names(last),
            "SELECT a, 1 FROM t UNION SELECT b, coalesce(c, (d)::integer) AS \"?column?\" FROM u ORDER BY 1"
        );
    }

    #[test]
    fn named_plain_and_first_columns_are_left_alone() {
        for query in [
            "SELECT a, NULL::integer FROM t",
            "SELECT a, NULL::integer AS n FROM t UNION ALL SELECT b, NULL::integer AS int4 FROM u",
            "SELECT a FROM t UNION SELECT u.b FROM u",
            "not sql at all",
        ] {
            assert_eq!(keep_hidden_names(query), query, "{query}");
        }
    }
}
