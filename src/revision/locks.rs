//! Which table-level locks a statement takes, read from its words the way
//! PostgreSQL decides them (`AlterTableGetLockLevel` and its peers), so that
//! a plan or a revision can say what each step blocks while it runs.

use std::fmt;

use super::split::{Kind, Tokens};

/// PostgreSQL's table lock modes that schema changes take, weakest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum LockMode {
    /// `UPDATE`, `INSERT`, `DELETE`: other writers of the same rows wait.
    RowExclusive,
    /// `CREATE INDEX CONCURRENTLY`, `VALIDATE CONSTRAINT`, `COMMENT ON`.
    ShareUpdateExclusive,
    /// `CREATE INDEX`, validating a domain's constraint.
    Share,
    /// Adding a foreign key (on both tables), `ALTER SEQUENCE`.
    ShareRowExclusive,
    /// Most of `ALTER TABLE`, `DROP`.
    AccessExclusive,
}

impl LockMode {
    /// The mode as PostgreSQL names it (`pg_locks.mode` without `Lock`).
    pub fn name(self) -> &'static str {
        match self {
            LockMode::RowExclusive => "ROW EXCLUSIVE",
            LockMode::ShareUpdateExclusive => "SHARE UPDATE EXCLUSIVE",
            LockMode::Share => "SHARE",
            LockMode::ShareRowExclusive => "SHARE ROW EXCLUSIVE",
            LockMode::AccessExclusive => "ACCESS EXCLUSIVE",
        }
    }

    /// What the application sees while the lock is held.
    pub fn effect(self) -> &'static str {
        match self {
            LockMode::RowExclusive | LockMode::ShareUpdateExclusive => "reads and writes go on",
            LockMode::Share | LockMode::ShareRowExclusive => "blocks writes",
            LockMode::AccessExclusive => "blocks reads and writes",
        }
    }
}

/// What a lock is taken on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// A table, index or sequence, named as the statement writes it.
    Relation(String),
    /// The table an index (named as written) belongs to.
    TableOfIndex(String),
    /// Every table with a column of the domain (named as written).
    UsersOfDomain(String),
    /// The tables a table's foreign keys reference (all of them, or that
    /// constraint's): dropping a foreign key drops its triggers there.
    ReferencedBy { table: String, constraint: Option<String> },
    /// The partitioned table a partition (named as written) belongs to.
    ParentOf(String),
    /// The tables the foreign keys of a partitioned table and of the
    /// tables above it reference: a new partition of it gets them all.
    ReferencedByPartitions(String),
    /// The default partition of a partitioned table (named as written), if
    /// it has one: attaching or detaching another partition changes (and
    /// attaching checks) what it may hold.
    DefaultPartitionOf(String),
    /// The tables that inherit from a table or are its partitions, at any
    /// depth: an `ALTER TABLE` without `ONLY` whose action recurses takes
    /// each of them as it takes the table.
    InheritorsOf(String),
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::Relation(name) => f.write_str(name),
            Target::TableOfIndex(index) => write!(f, "the table of index {index}"),
            Target::UsersOfDomain(domain) => write!(f, "the tables using domain {domain}"),
            Target::ReferencedBy {
                table,
                constraint: Some(constraint),
            } => write!(f, "the table {table}.{constraint} references, if it is a foreign key"),
            Target::ReferencedBy {
                table,
                constraint: None,
            } => {
                write!(f, "the tables {table}'s foreign keys reference")
            }
            Target::ParentOf(partition) => write!(f, "the table {partition} is a partition of"),
            Target::ReferencedByPartitions(table) => {
                write!(f, "the tables the foreign keys of {table} and its parents reference")
            }
            Target::DefaultPartitionOf(table) => write!(f, "the default partition of {table}, if any"),
            Target::InheritorsOf(table) => write!(f, "the tables inheriting from {table}"),
        }
    }
}

/// One lock a statement takes and holds to the end of its transaction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lock {
    pub mode: LockMode,
    pub on: Target,
}

/// The statement's words: keywords lower-cased, quoted names and literals
/// as written.
struct Words<'a> {
    tokens: Vec<(Kind, &'a str, String)>,
}

impl<'a> Words<'a> {
    fn new(statement: &'a str) -> Self {
        let tokens = Tokens::new(statement)
            .map(|t| {
                let text = t.text(statement);
                (t.kind, text, text.to_ascii_lowercase())
            })
            .collect();
        Words { tokens }
    }

    fn is(&self, at: usize, keyword: &str) -> bool {
        self.tokens
            .get(at)
            .is_some_and(|(kind, _, lower)| *kind == Kind::Word && lower == keyword)
    }

    fn symbol(&self, at: usize, symbol: &str) -> bool {
        self.tokens
            .get(at)
            .is_some_and(|(kind, text, _)| *kind == Kind::Symbol && *text == symbol)
    }

    /// Skips the keywords at `at` when they are all there.
    fn skip(&self, at: usize, keywords: &[&str]) -> usize {
        let all = keywords.iter().enumerate().all(|(i, k)| self.is(at + i, k));
        if all { at + keywords.len() } else { at }
    }

    /// A possibly qualified name as written (`s.t`, `"Odd".t`, `s.t.c`),
    /// and the position after it.
    fn name(&self, at: usize) -> Option<(Vec<&'a str>, usize)> {
        let part = |i: usize| match self.tokens.get(i) {
            Some((Kind::Word, text, _)) => Some(*text),
            Some((Kind::Literal, text, _)) if text.starts_with('"') || text.starts_with("U&\"") => Some(*text),
            _ => None,
        };
        let mut parts = vec![part(at)?];
        let mut next = at + 1;
        while self.symbol(next, ".") {
            let Some(more) = part(next + 1) else { break };
            parts.push(more);
            next += 2;
        }
        Some((parts, next))
    }

    fn relation(&self, at: usize) -> Option<(String, usize)> {
        self.name(at).map(|(parts, next)| (parts.join("."), next))
    }

    /// The positions where each comma-separated part of the statement from
    /// `at` starts, commas inside parentheses left alone.
    fn parts(&self, at: usize) -> Vec<(usize, usize)> {
        let mut parts = Vec::new();
        let (mut depth, mut start) = (0usize, at);
        for i in at..self.tokens.len() {
            if self.symbol(i, "(") {
                depth += 1;
            } else if self.symbol(i, ")") {
                depth = depth.saturating_sub(1);
            } else if depth == 0 && (self.symbol(i, ",") || self.symbol(i, ";")) {
                parts.push((start, i));
                start = i + 1;
            }
        }
        if start < self.tokens.len() {
            parts.push((start, self.tokens.len()));
        }
        parts
    }

    /// The name after each `REFERENCES` in a range.
    fn referenced(&self, from: usize, to: usize) -> Vec<String> {
        (from..to)
            .filter(|&i| self.is(i, "references"))
            .filter_map(|i| self.relation(i + 1).map(|(name, _)| name))
            .collect()
    }
}

/// The table-level locks a statement takes, strongest per target, in the
/// order the statement names them; none for statements that lock no
/// table (`CREATE TYPE`, `ALTER TYPE ... ADD VALUE`, `SET`, `DO`, ...).
pub fn locks(statement: &str) -> Vec<Lock> {
    let w = Words::new(statement);
    let mut out: Vec<Lock> = Vec::new();
    let mut take = |mode: LockMode, on: Target| match out.iter_mut().find(|lock| lock.on == on) {
        Some(lock) => lock.mode = lock.mode.max(mode),
        None => out.push(Lock { mode, on }),
    };
    let relation = |name: String| Target::Relation(name);
    if w.is(0, "alter") && w.is(1, "table") {
        let at = w.skip(2, &["if", "exists"]);
        let only = w.is(at, "only");
        let Some((table, after)) = w.relation(w.skip(at, &["only"])) else {
            return out;
        };
        for (start, end) in w.parts(after) {
            let (mode, others) = alter_table_action(&w, &table, start, end);
            take(mode, relation(table.clone()));
            if !only && recurses(&w, start, end) {
                take(mode, Target::InheritorsOf(table.clone()));
            }
            for (mode, other) in others {
                take(mode, other);
            }
        }
    } else if w.is(0, "alter") && w.is(1, "index") {
        let at = w.skip(2, &["if", "exists"]);
        let Some((index, after)) = w.relation(at) else {
            return out;
        };
        let mode = if w.is(after, "rename")
            || (w.is(after, "set") || w.is(after, "reset")) && w.symbol(after + 1, "(")
            || w.is(after, "alter") && (after..w.tokens.len()).any(|i| w.is(i, "statistics"))
        {
            LockMode::ShareUpdateExclusive
        } else {
            LockMode::AccessExclusive
        };
        take(mode, relation(index));
    } else if w.is(0, "create") && (w.is(1, "index") || w.is(1, "unique") && w.is(2, "index")) {
        let at = if w.is(1, "unique") { 3 } else { 2 };
        let concurrently = w.is(at, "concurrently");
        let on = (at..w.tokens.len()).find(|&i| w.is(i, "on"));
        if let Some((table, _)) = on.and_then(|on| w.relation(w.skip(on + 1, &["only"]))) {
            let mode = if concurrently {
                LockMode::ShareUpdateExclusive
            } else {
                LockMode::Share
            };
            take(mode, relation(table));
        }
    } else if w.is(0, "drop") && w.is(1, "index") {
        let concurrently = w.is(2, "concurrently");
        let at = w.skip(2 + usize::from(concurrently), &["if", "exists"]);
        let mode = if concurrently {
            LockMode::ShareUpdateExclusive
        } else {
            LockMode::AccessExclusive
        };
        for (start, _) in w.parts(at) {
            if let Some((index, _)) = w.relation(start) {
                take(mode, Target::TableOfIndex(index));
            }
        }
    } else if w.is(0, "drop") && (w.is(1, "table") || w.is(1, "sequence")) {
        let table = w.is(1, "table");
        for (start, _) in w.parts(w.skip(2, &["if", "exists"])) {
            if let Some((name, _)) = w.relation(start) {
                take(LockMode::AccessExclusive, relation(name.clone()));
                if table {
                    take(LockMode::AccessExclusive, Target::ParentOf(name.clone()));
                    let referenced = Target::ReferencedBy {
                        table: name,
                        constraint: None,
                    };
                    take(LockMode::AccessExclusive, referenced);
                }
            }
        }
    } else if w.is(0, "alter") && w.is(1, "sequence") {
        let at = w.skip(2, &["if", "exists"]);
        if let Some((sequence, after)) = w.relation(at) {
            let mode = if w.is(after, "rename") || w.is(after, "set") && w.is(after + 1, "schema") {
                LockMode::AccessExclusive
            } else {
                LockMode::ShareRowExclusive
            };
            take(mode, relation(sequence));
        }
    } else if w.is(0, "create") && (w.is(1, "trigger") || w.is(1, "constraint") && w.is(2, "trigger")) {
        // `CREATE [CONSTRAINT] TRIGGER NAME ... ON TABLE`: the first `ON`
        // after the name (events and columns come before it).
        let at = if w.is(1, "trigger") { 2 } else { 3 };
        let on = (at + 1..w.tokens.len()).find(|&i| w.is(i, "on"));
        if let Some((table, _)) = on.and_then(|on| w.relation(on + 1)) {
            take(LockMode::ShareRowExclusive, relation(table));
        }
    } else if (w.is(0, "drop") || w.is(0, "alter")) && w.is(1, "trigger") {
        // `DROP TRIGGER [IF EXISTS] NAME ON TABLE`, `ALTER TRIGGER NAME ON
        // TABLE RENAME TO ...`.
        let at = w.skip(2, &["if", "exists"]);
        if let Some((_, after)) = w.name(at) {
            if w.is(after, "on") {
                if let Some((table, _)) = w.relation(after + 1) {
                    take(LockMode::AccessExclusive, relation(table));
                }
            }
        }
    } else if w.is(0, "create") && w.is(1, "statistics") {
        // `CREATE STATISTICS NAME ... FROM TABLE`: the last `FROM`.
        let from = (2..w.tokens.len()).rev().find(|&i| w.is(i, "from"));
        if let Some((table, _)) = from.and_then(|from| w.relation(from + 1)) {
            take(LockMode::ShareUpdateExclusive, relation(table));
        }
    } else if w.is(0, "drop") && w.is(1, "statistics") {
        // The table of the statistics, as the table of an index is found.
        let at = w.skip(2, &["if", "exists"]);
        if let Some((name, _)) = w.relation(at) {
            take(LockMode::ShareUpdateExclusive, Target::TableOfIndex(name));
        }
    } else if (w.is(0, "create") || w.is(0, "alter") || w.is(0, "drop")) && w.is(1, "policy") {
        // `CREATE POLICY NAME ON TABLE ...`, `ALTER POLICY NAME ON TABLE
        // ...`, `DROP POLICY [IF EXISTS] NAME ON TABLE`.
        let at = w.skip(2, &["if", "exists"]);
        if let Some((_, after)) = w.name(at) {
            if w.is(after, "on") {
                if let Some((table, _)) = w.relation(after + 1) {
                    take(LockMode::AccessExclusive, relation(table));
                }
            }
        }
    } else if w.is(0, "comment") && w.is(1, "on") {
        // `COMMENT ON TRIGGER` takes only ACCESS SHARE on its table.
        if w.is(2, "column") {
            if let Some((mut parts, _)) = w.name(3) {
                parts.pop();
                if !parts.is_empty() {
                    take(LockMode::ShareUpdateExclusive, relation(parts.join(".")));
                }
            }
        } else if w.is(2, "table") || w.is(2, "index") || w.is(2, "sequence") {
            if let Some((name, _)) = w.relation(3) {
                take(LockMode::ShareUpdateExclusive, relation(name));
            }
        }
    } else if w.is(0, "update") || w.is(0, "insert") && w.is(1, "into") || w.is(0, "delete") && w.is(1, "from") {
        let at = w.skip(if w.is(0, "update") { 1 } else { 2 }, &["only"]);
        if let Some((table, _)) = w.relation(at) {
            take(LockMode::RowExclusive, relation(table));
        }
    } else if w.is(0, "create") && (w.is(1, "table") || w.is(1, "unlogged") && w.is(2, "table")) {
        let at = w.skip(if w.is(1, "table") { 2 } else { 3 }, &["if", "not", "exists"]);
        if let Some((table, after)) = w.relation(at) {
            if w.is(after, "partition") && w.is(after + 1, "of") {
                if let Some((parent, _)) = w.relation(after + 2) {
                    take(LockMode::AccessExclusive, relation(parent.clone()));
                    // The parent's foreign keys are made on the partition.
                    take(LockMode::ShareRowExclusive, Target::ReferencedByPartitions(parent));
                }
            }
            for other in w.referenced(after, w.tokens.len()) {
                if other != table {
                    take(LockMode::ShareRowExclusive, relation(other));
                }
            }
            // `INHERITS (parent, ...)`.
            if let Some(at) = (after..w.tokens.len()).find(|&i| w.is(i, "inherits")) {
                for (start, _) in w.parts(at + 2) {
                    if let Some((parent, _)) = w.relation(start) {
                        take(LockMode::ShareUpdateExclusive, relation(parent));
                    }
                }
            }
        }
    } else if w.is(0, "do") {
        // The blocks trellisc writes run their DDL as `EXECUTE 'ALTER ...'`.
        for statement in executed(&w) {
            for lock in locks(&statement) {
                take(lock.mode, lock.on);
            }
        }
    } else if w.is(0, "alter") && w.is(1, "domain") {
        if let Some((domain, after)) = w.relation(2) {
            let not_valid = (after..w.tokens.len()).any(|i| w.is(i, "not") && w.is(i + 1, "valid"));
            let validates = w.is(after, "add") && !not_valid
                || w.is(after, "validate")
                || w.is(after, "set") && w.is(after + 1, "not") && w.is(after + 2, "null");
            if validates {
                take(LockMode::Share, Target::UsersOfDomain(domain));
            }
        }
    }
    out
}

/// The statements a `DO` block runs by `EXECUTE` of a string literal
/// (`EXECUTE 'ALTER SEQUENCE ...'`), unescaped.
fn executed(w: &Words) -> Vec<String> {
    let mut out = Vec::new();
    for (kind, text, _) in &w.tokens[1..] {
        if *kind != Kind::Literal || !text.starts_with('$') {
            continue;
        }
        let Some(tag_len) = text[1..].find('$').map(|at| at + 2) else {
            continue;
        };
        if text.len() < 2 * tag_len {
            continue;
        }
        let body = &text[tag_len..text.len() - tag_len];
        let inner = Words::new(body);
        for (i, (kind, literal, _)) in inner.tokens.iter().enumerate() {
            // `EXECUTE 'sql'`, or `EXECUTE format('sql %s', ...)`.
            let after_execute = i > 0 && inner.is(i - 1, "execute")
                || i > 2 && inner.symbol(i - 1, "(") && inner.is(i - 2, "format") && inner.is(i - 3, "execute");
            if *kind == Kind::Literal && literal.starts_with('\'') && literal.len() >= 2 && after_execute {
                out.push(literal[1..literal.len() - 1].replace("''", "'"));
            }
        }
    }
    out
}

/// The lock one `ALTER TABLE` action takes on its table, and those it takes
/// on other tables (a foreign key's referenced table, a partition).
fn alter_table_action(w: &Words, table: &str, start: usize, end: usize) -> (LockMode, Vec<(LockMode, Target)>) {
    use LockMode::*;
    let is = |i: usize, keyword: &str| i < end && w.is(i, keyword);
    let others = |mode: LockMode| -> Vec<(LockMode, Target)> {
        w.referenced(start, end)
            .into_iter()
            .map(|name| (mode, Target::Relation(name)))
            .collect()
    };
    if is(start, "validate") {
        return (ShareUpdateExclusive, Vec::new());
    }
    if is(start, "add") {
        let column =
            is(start + 1, "column") || !(start + 1..end).any(|i| is(i, "constraint")) && !is_constraint(w, start + 1);
        let foreign = (start + 1..end).any(|i| is(i, "foreign") && is(i + 1, "key"));
        if foreign && !column {
            return (ShareRowExclusive, others(ShareRowExclusive));
        }
        return (AccessExclusive, others(ShareRowExclusive));
    }
    if is(start, "drop") && is(start + 1, "constraint") {
        let at = w.skip(start + 2, &["if", "exists"]);
        let referenced = w.relation(at).map(|(constraint, _)| Target::ReferencedBy {
            table: table.to_string(),
            constraint: Some(constraint),
        });
        return (
            AccessExclusive,
            referenced.map(|on| (AccessExclusive, on)).into_iter().collect(),
        );
    }
    let parameters = |i: usize| (is(i, "set") || is(i, "reset")) && i + 1 < end && w.symbol(i + 1, "(");
    if parameters(start)
        || is(start, "cluster")
        || is(start, "set") && is(start + 1, "without") && is(start + 2, "cluster")
    {
        return (ShareUpdateExclusive, Vec::new());
    }
    if is(start, "alter") {
        let at = w.skip(start + 1, &["column"]);
        let after = w.name(at).map_or(end, |(_, next)| next);
        if is(after, "set") && is(after + 1, "statistics") || parameters(after) {
            return (ShareUpdateExclusive, Vec::new());
        }
    }
    if (is(start, "enable") || is(start, "disable")) && (is(start + 1, "trigger") || is(start + 2, "trigger")) {
        return (ShareRowExclusive, Vec::new());
    }
    // Attaching or detaching takes the partition, and the default
    // partition whose rows it checks or whose constraint it changes;
    // detaching concurrently locks the partition in the second of its
    // transactions, once queries that could see it through the parent are
    // done (PostgreSQL refuses it where there is a default partition).
    if (is(start, "attach") || is(start, "detach")) && is(start + 1, "partition") {
        let concurrently = is(start, "detach") && (start + 2..end).any(|i| is(i, "concurrently"));
        let mut others: Vec<(LockMode, Target)> = w
            .relation(start + 2)
            .map(|(name, _)| (AccessExclusive, Target::Relation(name)))
            .into_iter()
            .collect();
        if !concurrently {
            others.push((AccessExclusive, Target::DefaultPartitionOf(table.to_string())));
        }
        let on_parent = match is(start, "detach") && !concurrently {
            true => AccessExclusive,
            false => ShareUpdateExclusive,
        };
        return (on_parent, others);
    }
    // `INHERIT parent`: the parent's schema stays as it is (`NO INHERIT`
    // only reads it).
    if is(start, "inherit") {
        let parent = w
            .relation(start + 1)
            .map(|(name, _)| (ShareUpdateExclusive, Target::Relation(name)));
        return (AccessExclusive, parent.into_iter().collect());
    }
    (AccessExclusive, Vec::new())
}

/// Whether an `ALTER TABLE` action is carried out on the tables inheriting
/// from the table too (unless the statement says `ONLY`): what changes a
/// column, adds or drops one, a check constraint added, a constraint
/// validated or dropped (PostgreSQL looks for it on the inheriting tables,
/// or drops theirs with it). Attribute
/// options (`SET (n_distinct = ...)`) never recurse; nor do keys, foreign
/// keys, triggers and the table's own properties on an inheritance parent.
fn recurses(w: &Words, start: usize, end: usize) -> bool {
    let is = |i: usize, keyword: &str| i < end && w.is(i, keyword);
    if is(start, "alter") {
        let at = w.skip(start + 1, &["column"]);
        let after = w.name(at).map_or(end, |(_, next)| next);
        let options = (is(after, "set") || is(after, "reset")) && after + 1 < end && w.symbol(after + 1, "(");
        let identity = (after..end).any(|i| is(i, "identity") || is(i, "generated") || is(i, "restart"));
        return !options && !identity;
    }
    if is(start, "add") {
        let column =
            is(start + 1, "column") || !(start + 1..end).any(|i| is(i, "constraint")) && !is_constraint(w, start + 1);
        let check =
            (start + 1..end).any(|i| is(i, "check")) && !(start + 1..end).any(|i| is(i, "no") && is(i + 1, "inherit"));
        return column || check;
    }
    is(start, "drop")
        || is(start, "validate")
        || is(start, "rename") && !is(start + 1, "to") && !is(start + 1, "constraint")
}

/// Whether an `ADD` is followed by a table constraint written without
/// `CONSTRAINT name` (`ADD PRIMARY KEY`, `ADD FOREIGN KEY`, ...).
fn is_constraint(w: &Words, at: usize) -> bool {
    ["primary", "unique", "check", "foreign", "exclude"]
        .iter()
        .any(|keyword| w.is(at, keyword))
}

#[cfg(test)]
mod tests {
    use super::LockMode::*;
    use super::*;

    fn on(name: &str) -> Target {
        Target::Relation(name.into())
    }

    /// The one lock a statement takes, the tables inheriting from its
    /// table aside (`ALTER TABLE` recursing to them is tested on its own).
    fn one(statement: &str) -> (LockMode, Target) {
        let found: Vec<Lock> = locks(statement)
            .into_iter()
            .filter(|lock| !matches!(lock.on, Target::InheritorsOf(_)))
            .collect();
        assert_eq!(found.len(), 1, "{statement}: {found:?}");
        (found[0].mode, found[0].on.clone())
    }

    #[test]
    fn alter_table_takes_the_inheriting_tables_where_its_action_recurses() {
        let inheritors = |statement: &str| {
            locks(statement)
                .into_iter()
                .filter(|lock| lock.on == Target::InheritorsOf("public.t".into()))
                .map(|lock| lock.mode)
                .collect::<Vec<_>>()
        };
        for recursing in [
            "ALTER TABLE public.t ALTER COLUMN a SET DEFAULT 1;",
            "ALTER TABLE public.t ALTER a TYPE bigint;",
            "ALTER TABLE public.t ADD COLUMN b int;",
            "ALTER TABLE public.t ADD CONSTRAINT c CHECK (a > 0);",
            "ALTER TABLE public.t DROP COLUMN a;",
            "ALTER TABLE public.t DROP CONSTRAINT c;",
            "ALTER TABLE public.t RENAME COLUMN a TO b;",
        ] {
            assert_eq!(inheritors(recursing), vec![AccessExclusive], "{recursing}");
        }
        assert_eq!(
            inheritors("ALTER TABLE public.t ALTER COLUMN a SET STATISTICS 100;"),
            vec![ShareUpdateExclusive]
        );
        for alone in [
            "ALTER TABLE ONLY public.t ALTER COLUMN a SET DEFAULT 1;",
            "ALTER TABLE IF EXISTS ONLY public.t DROP COLUMN a;",
            "ALTER TABLE public.t ALTER COLUMN a SET (n_distinct = 10);",
            "ALTER TABLE public.t ALTER COLUMN a ADD GENERATED ALWAYS AS IDENTITY;",
            "ALTER TABLE public.t ADD PRIMARY KEY (a);",
            "ALTER TABLE public.t ADD CONSTRAINT c CHECK (a > 0) NO INHERIT;",
            "ALTER TABLE public.t RENAME TO u;",
            "ALTER TABLE public.t RENAME CONSTRAINT c TO d;",
            "ALTER TABLE public.t SET (fillfactor = 70);",
            "ALTER TABLE public.t INHERIT public.p;",
        ] {
            assert_eq!(inheritors(alone), Vec::new(), "{alone}");
        }
    }

    #[test]
    fn alter_table_takes_the_strongest_of_its_actions() {
        assert_eq!(
            one("ALTER TABLE public.t ADD COLUMN a int;"),
            (AccessExclusive, on("public.t"))
        );
        assert_eq!(
            one("ALTER TABLE public.t VALIDATE CONSTRAINT c;"),
            (ShareUpdateExclusive, on("public.t"))
        );
        assert_eq!(
            one("alter table only \"S\".\"t x\" set (fillfactor = 70);"),
            (ShareUpdateExclusive, on("\"S\".\"t x\""))
        );
        assert_eq!(
            one("ALTER TABLE t SET (fillfactor = 70), ADD CHECK (a > 0) NOT VALID;"),
            (AccessExclusive, on("t"))
        );
        assert_eq!(
            one("ALTER TABLE t ALTER COLUMN a SET STATISTICS 100;"),
            (ShareUpdateExclusive, on("t"))
        );
        assert_eq!(
            one("ALTER TABLE t ALTER COLUMN a SET DEFAULT 'set (x)';"),
            (AccessExclusive, on("t"))
        );
        assert_eq!(
            one("ALTER TABLE t RENAME COLUMN validate TO v;"),
            (AccessExclusive, on("t"))
        );
    }

    #[test]
    fn a_foreign_key_locks_both_tables_against_writes() {
        assert_eq!(
            locks(
                "ALTER TABLE public.orders ADD CONSTRAINT orders_customer_fkey FOREIGN KEY (customer_id) REFERENCES public.customers (id) NOT VALID;"
            ),
            vec![
                Lock {
                    mode: ShareRowExclusive,
                    on: on("public.orders")
                },
                Lock {
                    mode: ShareRowExclusive,
                    on: on("public.customers")
                },
            ]
        );
        assert_eq!(
            locks("ALTER TABLE o ADD COLUMN c int REFERENCES public.c (id);"),
            vec![
                Lock {
                    mode: AccessExclusive,
                    on: on("o")
                },
                Lock {
                    mode: AccessExclusive,
                    on: Target::InheritorsOf("o".into())
                },
                Lock {
                    mode: ShareRowExclusive,
                    on: on("public.c")
                },
            ]
        );
        assert_eq!(
            locks("CREATE TABLE public.a (id int, b int REFERENCES public.b, up int REFERENCES public.a);"),
            vec![Lock {
                mode: ShareRowExclusive,
                on: on("public.b")
            }]
        );
        assert_eq!(
            locks("CREATE UNLOGGED TABLE a (b int, FOREIGN KEY (b) REFERENCES b);"),
            vec![Lock {
                mode: ShareRowExclusive,
                on: on("b")
            }]
        );
    }

    #[test]
    fn indexes_lock_their_table() {
        assert_eq!(
            one("CREATE INDEX CONCURRENTLY i ON public.t (a);"),
            (ShareUpdateExclusive, on("public.t"))
        );
        assert_eq!(
            one("CREATE UNIQUE INDEX i ON ONLY t USING btree (lower(\"on\"));"),
            (Share, on("t"))
        );
        assert_eq!(
            one("DROP INDEX CONCURRENTLY IF EXISTS public.i;"),
            (ShareUpdateExclusive, Target::TableOfIndex("public.i".into()))
        );
        assert_eq!(
            one("DROP INDEX public.i;"),
            (AccessExclusive, Target::TableOfIndex("public.i".into()))
        );
        assert_eq!(
            locks("DROP TABLE public.t;"),
            vec![
                Lock {
                    mode: AccessExclusive,
                    on: on("public.t")
                },
                Lock {
                    mode: AccessExclusive,
                    on: Target::ParentOf("public.t".into())
                },
                Lock {
                    mode: AccessExclusive,
                    on: Target::ReferencedBy {
                        table: "public.t".into(),
                        constraint: None
                    }
                },
            ]
        );
        assert_eq!(
            locks("ALTER TABLE public.t DROP CONSTRAINT t_fkey;"),
            vec![
                Lock {
                    mode: AccessExclusive,
                    on: on("public.t")
                },
                Lock {
                    mode: AccessExclusive,
                    on: Target::InheritorsOf("public.t".into())
                },
                Lock {
                    mode: AccessExclusive,
                    on: Target::ReferencedBy {
                        table: "public.t".into(),
                        constraint: Some("t_fkey".into())
                    }
                },
            ]
        );
        assert_eq!(
            one("ALTER INDEX public.i RENAME TO j;"),
            (ShareUpdateExclusive, on("public.i"))
        );
    }

    #[test]
    fn other_statements() {
        assert_eq!(
            one("COMMENT ON COLUMN public.t.c IS 'x';"),
            (ShareUpdateExclusive, on("public.t"))
        );
        // A constraint's comment locks the constraint, and the table only
        // against its being dropped.
        assert!(locks("COMMENT ON CONSTRAINT c ON public.t IS NULL;").is_empty());
        assert_eq!(
            one("UPDATE public.t SET a = 1 WHERE a IS NULL;"),
            (RowExclusive, on("public.t"))
        );
        assert_eq!(
            one("ALTER DOMAIN public.d ADD CONSTRAINT c CHECK (VALUE > 0);"),
            (Share, Target::UsersOfDomain("public.d".into()))
        );
        assert!(locks("ALTER DOMAIN public.d ADD CONSTRAINT c CHECK (VALUE > 0) NOT VALID;").is_empty());
        assert_eq!(
            one("ALTER SEQUENCE public.s MAXVALUE 10;"),
            (ShareRowExclusive, on("public.s"))
        );
        assert_eq!(
            one(
                "DO $trellis1$\nBEGIN\n  IF true THEN\n    EXECUTE 'ALTER SEQUENCE public.\"s''$$\" MAXVALUE 9' || ' RESTART';\n  END IF;\nEND\n$trellis1$;"
            ),
            (ShareRowExclusive, on("public.\"s'$$\""))
        );
        for none in [
            "CREATE TYPE public.e AS ENUM ('a');",
            "ALTER TYPE public.e ADD VALUE 'b';",
            "SET lock_timeout = '5s';",
            "DO $$ BEGIN UPDATE t SET a = 1; END $$;",
            "CREATE TABLE public.t (id int);",
            "CREATE SCHEMA s;",
        ] {
            assert!(locks(none).is_empty(), "{none}");
        }
    }

    #[test]
    fn triggers_lock_their_table() {
        assert_eq!(
            one("CREATE TRIGGER t BEFORE UPDATE OF a ON public.accounts FOR EACH ROW EXECUTE FUNCTION public.f();"),
            (LockMode::ShareRowExclusive, on("public.accounts"))
        );
        assert_eq!(
            one("CREATE CONSTRAINT TRIGGER \"on\" AFTER INSERT ON app.t DEFERRABLE FOR EACH ROW EXECUTE FUNCTION f();"),
            (LockMode::ShareRowExclusive, on("app.t"))
        );
        assert_eq!(
            one("DROP TRIGGER t ON public.accounts;"),
            (LockMode::AccessExclusive, on("public.accounts"))
        );
        assert_eq!(
            one("ALTER TRIGGER t ON public.accounts RENAME TO u;"),
            (LockMode::AccessExclusive, on("public.accounts"))
        );
        assert!(locks("COMMENT ON TRIGGER t ON public.accounts IS 'x';").is_empty());
    }

    #[test]
    fn hostile_names_stay_whole() {
        let name = "public.\"acct\nDROP TABLE public.important;\n--\"";
        assert_eq!(
            one(&format!("ALTER TABLE {name} ADD COLUMN a int;")),
            (AccessExclusive, on(name))
        );
    }
}
