//! Splitting SQL scripts into statements, the way psql does, so each
//! statement of a revision can be run on its own, named when it fails, and
//! run outside a transaction block when PostgreSQL refuses it inside one.
//!
//! Comments (nested `/* */`), strings (`'…'`, `E'…'` with backslash
//! escapes, `U&'…'`), quoted identifiers and dollar quotes are read by the
//! same lexer as SQL inside the language (`crate::sql`, in its script
//! form); this adds parentheses and the `BEGIN ATOMIC … END` bodies of
//! SQL-standard functions. psql's backslash commands and
//! `:variables` are not interpreted.

/// One statement of a script.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Piece {
    /// The statement's text from its first token to its terminating
    /// semicolon (inclusive), comments inside kept. The last statement of a
    /// script may lack the semicolon: it then runs to the end of the script,
    /// trailing whitespace trimmed, so an unterminated quote or comment
    /// reaches the server and is reported there.
    pub sql: String,
    /// Byte offset of the statement's first character in the script.
    pub start: usize,
    /// 1-based line of the statement's first character.
    pub line: usize,
    /// False when PostgreSQL refuses the statement inside a transaction block.
    pub transactional: bool,
}

/// The statements of a script, in order; statements that are only comments
/// are dropped.
pub fn split(script: &str) -> Vec<Piece> {
    let mut ranges = Vec::new();
    let mut statement = Statement::default();
    for token in Tokens::new(script) {
        let text = token.text(script);
        if text == ";" && statement.parens == 0 && statement.blocks == 0 {
            if let Some(start) = statement.start {
                ranges.push((start, token.end));
            }
            statement = Statement::default();
            continue;
        }
        statement.start.get_or_insert(token.start);
        statement.track(token.kind, text);
    }
    if let Some(start) = statement.start {
        ranges.push((start, start + script[start..].trim_end_matches(is_space).len()));
    }

    let (mut line, mut counted) = (1, 0);
    let mut pieces = Vec::with_capacity(ranges.len());
    for (start, end) in ranges {
        line += script.as_bytes()[counted..start]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        counted = start;
        let sql = &script[start..end];
        pieces.push(Piece {
            sql: sql.to_string(),
            start,
            line,
            transactional: runs_in_transaction(sql),
        });
    }
    pieces
}

/// Whether PostgreSQL accepts the statement inside a transaction block
/// (`CREATE INDEX CONCURRENTLY`, `VACUUM`, `CREATE DATABASE`, ... it does not).
pub fn runs_in_transaction(statement: &str) -> bool {
    // Literals and quoted identifiers keep their quotes, so they never equal
    // a keyword.
    let tokens: Vec<String> = Tokens::new(statement)
        .map(|t| t.text(statement).to_ascii_lowercase())
        .collect();
    let words: Vec<&str> = tokens.iter().map(String::as_str).collect();
    let refused = match words.as_slice() {
        ["create", "index", "concurrently", ..] | ["create", "unique", "index", "concurrently", ..] => true,
        ["drop", "index", "concurrently", ..] => true,
        ["create" | "drop", "database" | "tablespace", ..] => true,
        ["alter", "system", ..] | ["vacuum", ..] => true,
        ["alter", "database", _, "set", "tablespace", ..] => true,
        ["alter", "table", rest @ ..] => rest
            .windows(2)
            .position(|pair| pair == ["detach", "partition"])
            .is_some_and(|at| rest[at + 2..].contains(&"concurrently")),
        ["reindex", rest @ ..] => reindex_refused(rest),
        _ => false,
    };
    !refused
}

/// A statement that commits as it goes (an index built or dropped
/// concurrently, a partition detached concurrently), with the names as
/// written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Concurrent {
    /// `CREATE [UNIQUE] INDEX CONCURRENTLY [IF NOT EXISTS] index ON [ONLY]
    /// table ...`: the index's own name (never qualified: it goes in the
    /// table's schema) and the table's, maybe qualified.
    Build { index: String, table: String },
    /// `DROP INDEX CONCURRENTLY [IF EXISTS] index`: maybe qualified.
    Drop { index: String },
    /// `ALTER TABLE [ONLY] parent DETACH PARTITION partition CONCURRENTLY`:
    /// both maybe qualified.
    Detach { parent: String, partition: String },
}

/// What a statement is, when it builds or drops an index or detaches a
/// partition concurrently: such a statement commits as it goes, so a run
/// that stopped in it leaves an INVALID index (or none) behind, or a
/// partition "detach pending", which the next run must find.
pub fn concurrent(statement: &str) -> Option<Concurrent> {
    let tokens: Vec<(Kind, &str)> = Tokens::new(statement).map(|t| (t.kind, t.text(statement))).collect();
    let word = |at: usize, keyword: &str| {
        tokens
            .get(at)
            .is_some_and(|(kind, text)| *kind == Kind::Word && text.eq_ignore_ascii_case(keyword))
    };
    // A name as written: a word or quoted identifier, `schema.name` when
    // `qualified`; and the position after it.
    let name = |at: usize, qualified: bool| -> Option<(String, usize)> {
        let part = |i: usize| match tokens.get(i) {
            Some((Kind::Word, text)) => Some(text.to_string()),
            Some((Kind::Literal, text)) if text.starts_with('"') => Some(text.to_string()),
            _ => None,
        };
        let first = part(at)?;
        if qualified && tokens.get(at + 1).is_some_and(|(_, t)| *t == ".") {
            let second = part(at + 2)?;
            return Some((format!("{first}.{second}"), at + 3));
        }
        Some((first, at + 1))
    };
    if word(0, "create") {
        let mut at = 1 + usize::from(word(1, "unique"));
        if !(word(at, "index") && word(at + 1, "concurrently")) {
            return None;
        }
        at += 2;
        if word(at, "if") && word(at + 1, "not") && word(at + 2, "exists") {
            at += 3;
        }
        let (index, after) = name(at, false)?;
        if !word(after, "on") {
            return None;
        }
        let at = after + 1 + usize::from(word(after + 1, "only"));
        let (table, _) = name(at, true)?;
        return Some(Concurrent::Build { index, table });
    }
    if word(0, "drop") && word(1, "index") && word(2, "concurrently") {
        let at = if word(3, "if") && word(4, "exists") { 5 } else { 3 };
        let (index, _) = name(at, true)?;
        return Some(Concurrent::Drop { index });
    }
    if word(0, "alter") && word(1, "table") {
        let mut at = 2;
        if word(at, "if") && word(at + 1, "exists") {
            at += 2;
        }
        at += usize::from(word(at, "only"));
        let (parent, after) = name(at, true)?;
        if !(word(after, "detach") && word(after + 1, "partition")) {
            return None;
        }
        let (partition, after) = name(after + 2, true)?;
        if !word(after, "concurrently") {
            return None;
        }
        return Some(Concurrent::Detach { parent, partition });
    }
    None
}

/// Whether the statement runs in a transaction of its own:
/// - validating a constraint (`ALTER TABLE | DOMAIN ... VALIDATE
///   CONSTRAINT`) reads every row, so the locks taken by the statements
///   before it (an `ADD CONSTRAINT ... NOT VALID` holds ACCESS EXCLUSIVE)
///   are released first, and what comes after waits for nothing it holds.
///   This is what `--online` promises.
/// - a label added to an enum (`ALTER TYPE ... ADD VALUE`) cannot be used
///   in the transaction that adds it ("unsafe use of new value"), so it is
///   committed before the statements after it, which may.
pub fn runs_alone(statement: &str) -> bool {
    let words: Vec<String> = Tokens::new(statement)
        .map(|t| t.text(statement).to_ascii_lowercase())
        .collect();
    let kind = (words.first().map(String::as_str), words.get(1).map(String::as_str));
    let has = |a: &str, b: &str| words.windows(2).any(|pair| pair[0] == a && pair[1] == b);
    match kind {
        (Some("alter"), Some("table" | "domain")) => has("validate", "constraint"),
        (Some("alter"), Some("type")) => has("add", "value"),
        _ => false,
    }
}

/// The transaction-control command a statement is (`BEGIN`, `COMMIT`,
/// `ROLLBACK`, `SAVEPOINT`, ...), in upper case, or None. trellisc runs
/// each revision in transactions of its own and records its progress in
/// them: a revision that ends, opens or rolls back one itself would have
/// its work kept or lost behind trellisc's back, and the version table
/// say applied for what was not. Routine and `DO` bodies are one statement
/// here, so their own `COMMIT` is not seen (PostgreSQL refuses it inside
/// a transaction block anyway).
pub fn transaction_control(statement: &str) -> Option<String> {
    let words: Vec<String> = Tokens::new(statement)
        .take(2)
        .map(|t| t.text(statement).to_ascii_lowercase())
        .collect();
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    let command = match words.as_slice() {
        [
            "begin" | "commit" | "end" | "rollback" | "abort" | "savepoint" | "release",
            ..,
        ] => words[0].to_string(),
        ["start", "transaction"] | ["prepare", "transaction"] => words.join(" "),
        _ => return None,
    };
    Some(command.to_ascii_uppercase())
}

/// `REINDEX [ ( options ) ] kind [ CONCURRENTLY ] name`: concurrent ones and
/// those over a whole schema, database or system commit as they go.
fn reindex_refused(words: &[&str]) -> bool {
    let (options, rest) = match words {
        ["(", options @ ..] => match options.iter().position(|w| *w == ")") {
            Some(close) => (&options[..close], &options[close + 1..]),
            None => (options, &[][..]),
        },
        _ => (&[][..], words),
    };
    let concurrent_option = options
        .iter()
        .enumerate()
        .any(|(at, word)| *word == "concurrently" && !matches!(options.get(at + 1), Some(&("false" | "off" | "0"))));
    concurrent_option || matches!(rest, ["schema" | "system" | "database", ..] | [_, "concurrently", ..])
}

/// What the splitter remembers about the statement being read.
#[derive(Default)]
struct Statement<'a> {
    /// Offset of its first token.
    start: Option<usize>,
    /// Its first four words, enough to recognise `CREATE OR REPLACE FUNCTION`.
    heading: Vec<&'a str>,
    parens: usize,
    /// Open `BEGIN` / `CASE` blocks of a SQL-standard routine body.
    blocks: usize,
}

impl<'a> Statement<'a> {
    fn track(&mut self, kind: Kind, text: &'a str) {
        match (kind, text) {
            (Kind::Symbol, "(") => self.parens += 1,
            (Kind::Symbol, ")") => self.parens = self.parens.saturating_sub(1),
            (Kind::Word, _) => {
                if self.heading.len() < 4 {
                    self.heading.push(text);
                }
                // psql's heuristic: semicolons inside BEGIN … END of a routine
                // body do not end the statement; CASE … END nests inside it.
                if self.parens == 0 && self.defines_routine() {
                    let is = |keyword: &str| text.eq_ignore_ascii_case(keyword);
                    if is("begin") || (is("case") && self.blocks > 0) {
                        self.blocks += 1;
                    } else if is("end") {
                        self.blocks = self.blocks.saturating_sub(1);
                    }
                }
            }
            _ => {}
        }
    }

    /// Whether it starts with `CREATE [OR REPLACE] FUNCTION | PROCEDURE`.
    fn defines_routine(&self) -> bool {
        let is = |at: usize, keywords: &[&str]| {
            self.heading
                .get(at)
                .is_some_and(|word| keywords.iter().any(|k| word.eq_ignore_ascii_case(k)))
        };
        let routine = ["function", "procedure"];
        is(0, &["create"]) && (is(1, &routine) || (is(1, &["or"]) && is(2, &["replace"]) && is(3, &routine)))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    /// A keyword or unquoted identifier.
    Word,
    /// Strings, quoted identifiers, numbers and `$1` parameters.
    Literal,
    /// Any other single character: `;`, `(`, operators.
    Symbol,
}

/// A token's kind and byte range. Every range starts and ends on an ASCII
/// byte or the end of the text (non-ASCII bytes only occur inside words and
/// quotes), so slicing the text by it never splits a character.
pub(super) struct Token {
    pub(super) kind: Kind,
    start: usize,
    end: usize,
}

impl Token {
    pub(super) fn text<'a>(&self, script: &'a str) -> &'a str {
        &script[self.start..self.end]
    }
}

/// The tokens of a script, whitespace and comments skipped.
pub(super) struct Tokens<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Tokens<'a> {
    pub(super) fn new(script: &'a str) -> Self {
        Tokens {
            bytes: script.as_bytes(),
            at: 0,
        }
    }

    fn peek(&self, offset: usize) -> Option<u8> {
        self.bytes.get(self.at + offset).copied()
    }

    /// Whitespace and comments (`--`, nested `/* */`).
    fn skip_blanks(&mut self) {
        loop {
            match self.peek(0) {
                Some(b) if is_space(b as char) => self.at += 1,
                Some(b'-' | b'/') => match crate::sql::script_lexeme_at(self.bytes, self.at) {
                    Some((crate::sql::Lexeme::Comment, len)) => self.at += len,
                    _ => return,
                },
                _ => return,
            }
        }
    }

    /// At a `$` that starts no dollar quote: a parameter `$1`, or a symbol.
    fn dollar(&mut self) -> Kind {
        let digits = self.bytes[self.at + 1..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        self.at += 1 + digits;
        if digits > 0 { Kind::Literal } else { Kind::Symbol }
    }
}

impl Iterator for Tokens<'_> {
    type Item = Token;

    fn next(&mut self) -> Option<Token> {
        self.skip_blanks();
        let start = self.at;
        // Strings, quoted identifiers and dollar quotes, as the language's
        // SQL lexer reads them.
        if let Some((_, len)) = crate::sql::script_lexeme_at(self.bytes, start) {
            self.at = (start + len).min(self.bytes.len());
            return Some(Token {
                kind: Kind::Literal,
                start,
                end: self.at,
            });
        }
        let kind = match (self.peek(0)?, self.peek(1)) {
            (b'$', _) => self.dollar(),
            (b, _) if is_word_char(b) => {
                self.at += self.bytes[start..].iter().take_while(|&&b| is_word_char(b)).count();
                if b.is_ascii_digit() { Kind::Literal } else { Kind::Word }
            }
            _ => {
                self.at += 1;
                Kind::Symbol
            }
        };
        Some(Token {
            kind,
            start,
            end: self.at,
        })
    }
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0b' | '\x0c')
}

/// Letters, `_` and any non-ASCII byte start an identifier in PostgreSQL.
fn is_word_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b >= 0x80
}

fn is_word_char(b: u8) -> bool {
    is_word_start(b) || b.is_ascii_digit() || b == b'$'
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn sqls(script: &str) -> Vec<String> {
        split(script).into_iter().map(|piece| piece.sql).collect()
    }

    #[test]
    fn concurrent_statements_name_their_index_and_table() {
        let build = |index: &str, table: &str| {
            Some(Concurrent::Build {
                index: index.into(),
                table: table.into(),
            })
        };
        assert_eq!(
            concurrent("CREATE INDEX CONCURRENTLY posts_title ON public.posts (title);"),
            build("posts_title", "public.posts")
        );
        assert_eq!(
            concurrent("create unique index concurrently if not exists \"Odd\"\"x\" on only \"S\".t using btree (a)"),
            build("\"Odd\"\"x\"", "\"S\".t")
        );
        assert_eq!(
            concurrent("DROP INDEX CONCURRENTLY IF EXISTS app.users_email;"),
            Some(Concurrent::Drop {
                index: "app.users_email".into()
            })
        );
        assert_eq!(
            concurrent("ALTER TABLE public.r DETACH PARTITION \"My\".r_1 CONCURRENTLY;"),
            Some(Concurrent::Detach {
                parent: "public.r".into(),
                partition: "\"My\".r_1".into()
            })
        );
        assert_eq!(concurrent("ALTER TABLE r DETACH PARTITION r_1;"), None);
        assert_eq!(concurrent("ALTER TABLE r DETACH PARTITION r_1 FINALIZE;"), None);
        assert_eq!(concurrent("CREATE INDEX i ON t (a);"), None);
        assert_eq!(concurrent("DROP INDEX i;"), None);
        assert_eq!(concurrent("CREATE INDEX CONCURRENTLY ON t (a);"), None);
    }

    #[test]
    fn transaction_control_and_validation_are_recognised() {
        for (sql, command) in [
            ("COMMIT;", "COMMIT"),
            ("begin isolation level serializable;", "BEGIN"),
            ("End;", "END"),
            ("ROLLBACK TO SAVEPOINT a;", "ROLLBACK"),
            ("savepoint a;", "SAVEPOINT"),
            ("RELEASE a;", "RELEASE"),
            ("abort;", "ABORT"),
            ("START TRANSACTION;", "START TRANSACTION"),
            ("PREPARE TRANSACTION 'x';", "PREPARE TRANSACTION"),
        ] {
            assert_eq!(transaction_control(sql).as_deref(), Some(command), "{sql}");
        }
        for sql in [
            "select 'commit';",
            "do $$ begin commit; end $$;",
            "create procedure p() begin atomic select 1; end;",
            "prepare p as select 1;",
            "\"commit\";",
        ] {
            assert_eq!(transaction_control(sql), None, "{sql}");
        }
        assert!(runs_alone("ALTER TABLE public.t VALIDATE CONSTRAINT c;"));
        assert!(runs_alone("alter domain d validate constraint c;"));
        assert!(!runs_alone("ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NOT VALID;"));
        assert!(!runs_alone("select 'alter table t validate constraint c';"));
        assert!(runs_alone("ALTER TYPE public.e ADD VALUE 'b' BEFORE 'c';"));
        assert!(!runs_alone("ALTER TYPE public.e RENAME VALUE 'add' TO 'value';"));
    }

    #[test]
    fn splits_at_semicolons_with_offsets_and_lines() {
        let script = "create table a (id int);\n\n  -- the second\n  insert into a values (1); select 1;";
        let pieces = split(script);
        assert_eq!(pieces.len(), 3);
        assert_eq!(
            (pieces[0].sql.as_str(), pieces[0].start, pieces[0].line),
            ("create table a (id int);", 0, 1)
        );
        assert_eq!(
            (pieces[1].sql.as_str(), pieces[1].line),
            ("insert into a values (1);", 4)
        );
        assert_eq!(&script[pieces[1].start..pieces[1].start + 6], "insert");
        assert_eq!((pieces[2].sql.as_str(), pieces[2].line), ("select 1;", 4));
    }

    #[test]
    fn comments_hide_semicolons_and_stay_inside_statements() {
        assert_eq!(
            sqls("select 1 -- not; the end\n+ 1; select 2;"),
            ["select 1 -- not; the end\n+ 1;", "select 2;"]
        );
        assert_eq!(sqls("/* a; /* nested; */ still; */ select 1;"), ["select 1;"]);
        assert_eq!(sqls("select /* x; */ 1;"), ["select /* x; */ 1;"]);
        assert_eq!(
            sqls("select 2 /**/; select 3 /*/ ; */;"),
            ["select 2 /**/;", "select 3 /*/ ; */;"]
        );
    }

    #[test]
    fn quotes_hide_semicolons() {
        assert_eq!(
            sqls("select 'it''s; fine'; select 2;"),
            ["select 'it''s; fine';", "select 2;"]
        );
        // standard_conforming_strings: a backslash in '…' is literal.
        assert_eq!(sqls(r"select 'a\'; select 2;"), [r"select 'a\';", "select 2;"]);
        assert_eq!(
            sqls(r"select E'it\'s; fine', e'\\'; select 2;"),
            [r"select E'it\'s; fine', e'\\';", "select 2;"]
        );
        assert_eq!(
            sqls(r#"select 1 as "a;""b"; select 2;"#),
            [r#"select 1 as "a;""b";"#, "select 2;"]
        );
        assert_eq!(sqls(r"select some'x\'; select 2;"), [r"select some'x\';", "select 2;"]);
    }

    #[test]
    fn dollar_quotes_hide_semicolons() {
        let function = "create function f() returns int language plpgsql as $$ begin return 1; end $$;";
        assert_eq!(sqls(&format!("{function}\nselect 2;")), [function, "select 2;"]);
        let tagged = "do $body$ begin perform $$;$$; end; $body$;";
        assert_eq!(sqls(&format!("{tagged} select 2;")), [tagged, "select 2;"]);
        assert_eq!(
            sqls("prepare p as select $1; select $2;"),
            ["prepare p as select $1;", "select $2;"]
        );
        assert_eq!(sqls("select a$$b; select 2;"), ["select a$$b;", "select 2;"]);
    }

    #[test]
    fn routine_bodies_keep_their_semicolons() {
        let procedure = "CREATE OR REPLACE PROCEDURE p() LANGUAGE sql\nBegin Atomic\n  insert into t values (1);\n  \
                         select case when true then 1 else 2 end;\nEND;";
        assert_eq!(sqls(&format!("{procedure}\nselect 2;")), [procedure, "select 2;"]);
        let function = "create function f() returns int begin atomic select 1; end;";
        assert_eq!(
            sqls(&format!("{function} begin; select 2; end;")),
            [function, "begin;", "select 2;", "end;"]
        );
        // Outside a routine definition CASE and BEGIN nest nothing.
        assert_eq!(
            sqls("select case when true then 1 end; begin; commit;"),
            ["select case when true then 1 end;", "begin;", "commit;"]
        );
    }

    #[test]
    fn parentheses_hide_semicolons_like_psql() {
        let rule = "create rule r as on insert to t do also (insert into a values (1); insert into b values (2));";
        assert_eq!(sqls(&format!("{rule} select 1;")), [rule, "select 1;"]);
    }

    #[test]
    fn empty_statements_and_trailing_text() {
        assert!(split("").is_empty());
        assert!(split(" ;\n; ;;").is_empty());
        assert!(split("-- only a comment\n/* and another */\n").is_empty());
        assert_eq!(sqls("select 1; -- done\n"), ["select 1;"]);
        assert_eq!(sqls("select 1;\nselect 2  \n\n"), ["select 1;", "select 2"]);
        assert_eq!(sqls("select 1 -- no semicolon\n"), ["select 1 -- no semicolon"]);
    }

    #[test]
    fn unterminated_quotes_and_comments_take_the_rest() {
        assert_eq!(
            sqls("select 1; select 'oops; select 2;\n"),
            ["select 1;", "select 'oops; select 2;"]
        );
        assert_eq!(sqls("select 1 /* oops; select 2;"), ["select 1 /* oops; select 2;"]);
        assert_eq!(sqls("select $x$ a; b"), ["select $x$ a; b"]);
        assert_eq!(sqls(r#"select E'\"#), [r#"select E'\"#]);
        assert_eq!(sqls("select \"a; b"), ["select \"a; b"]);
    }

    #[test]
    fn multibyte_text_keeps_offsets_on_characters() {
        let script = "-- é\nselect 'ü;é' as \"名前\";\n/* 注; */ insert into 表 values ('ß');";
        let pieces = split(script);
        assert_eq!(
            sqls(script),
            ["select 'ü;é' as \"名前\";", "insert into 表 values ('ß');"]
        );
        for piece in &pieces {
            assert_eq!(&script[piece.start..piece.start + piece.sql.len()], piece.sql);
        }
        assert_eq!((pieces[0].start, pieces[0].line), (6, 2));
        assert_eq!(pieces[1].line, 3);
        assert_eq!(sqls("select $é$;$é$; select 2;"), ["select $é$;$é$;", "select 2;"]);
    }

    #[test]
    fn pieces_know_whether_they_run_in_a_transaction() {
        let pieces = split("create table t (a int);\ncreate index concurrently i on t (a);");
        assert!(pieces[0].transactional);
        assert!(!pieces[1].transactional);
    }

    #[test]
    fn statements_refused_in_a_transaction_block() {
        for sql in [
            "CREATE INDEX CONCURRENTLY i ON t (a)",
            "create unique index concurrently if not exists i on t (a);",
            "-- why\n/* how */ Drop Index Concurrently i",
            "reindex index concurrently i",
            "REINDEX (CONCURRENTLY) TABLE t",
            "reindex (verbose, concurrently true) table t",
            "reindex database app",
            "alter table only t detach partition p concurrently",
            "VACUUM (ANALYZE) t",
            "create database app",
            "drop database if exists app",
            "create tablespace fast location '/ssd'",
            "drop tablespace fast",
            "alter system set work_mem = '64MB'",
            "alter database app set tablespace fast",
        ] {
            assert!(!runs_in_transaction(sql), "{sql}");
        }
    }

    #[test]
    fn statements_accepted_in_a_transaction_block() {
        for sql in [
            "create index i on t (a)",
            "create index \"concurrently\" on t (a)",
            "insert into t values ('create index concurrently')",
            "select 'vacuum'",
            "reindex table t",
            "reindex (concurrently false) table t",
            "alter table t detach partition p",
            "alter table t add column concurrently int",
            "alter database app set search_path = app",
            "create table database (a int)",
            "analyze t",
            "cluster",
            "",
            "-- vacuum",
        ] {
            assert!(runs_in_transaction(sql), "{sql}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, failure_persistence: None, ..ProptestConfig::default() })]

        #[test]
        fn never_panics_and_pieces_point_into_the_script(
            script in prop_oneof![any::<String>(), "[-/*'\"$;eEab1 \n()\\\\é]{0,40}"],
        ) {
            for piece in split(&script) {
                prop_assert_eq!(script.get(piece.start..piece.start + piece.sql.len()), Some(piece.sql.as_str()));
                prop_assert_eq!(piece.line, 1 + script[..piece.start].matches('\n').count());
                prop_assert!(!piece.sql.is_empty() && !piece.sql.starts_with(is_space));
            }
        }
    }
}
