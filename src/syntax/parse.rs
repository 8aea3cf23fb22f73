//! The pest binding: source text → syntax tree, and syntax errors in words a
//! user understands.

use pest::Parser as _;
use pest::iterators::Pair;

use super::ast::*;
use crate::diag::{Code, Diagnostic, FileId, Span};
use crate::ir::GeneratedKind;

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/trellis.pest"]
struct TrellisParser;

/// Parses one file. A syntax error stops the parse of that file (the other
/// files of the schema are still checked); layout problems found while
/// building the tree are returned alongside it.
///
/// A large file (an import, a revision's snapshot) is parsed in pieces cut
/// between top-level declarations, on as many threads as there are cores:
/// pest keeps every token of its input in memory, so one huge input costs
/// more than its pieces do. Should a piece not parse, the whole file is
/// parsed again so that the error reads exactly as it would otherwise.
pub fn parse_file(file: FileId, text: &str) -> (Option<SourceFile>, Vec<Diagnostic>) {
    if let Some(at) = too_deep(text) {
        let diagnostic = Diagnostic::new(
            Code::Syntax,
            format!("parentheses or brackets nested more than {MAX_NESTING} deep"),
        )
        .primary(Span::new(file, at..at + 1), "this one is too deep")
        .help("no schema needs this: look for a run of `(` or `[` pasted by mistake");
        return (None, vec![diagnostic]);
    }
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let pieces = pieces(text);
    if pieces.len() > 1 {
        if let Some(parsed) = parse_pieces(file, text, &line_starts, &pieces) {
            return parsed;
        }
    }
    parse_range(file, text, &line_starts, 0..text.len())
        .unwrap_or_else(|error| (None, vec![syntax_error(file, text, &error)]))
}

type Parsed = (Option<SourceFile>, Vec<Diagnostic>);

/// How deep `(` and `[` may nest. The parser descends once per level; a
/// limit keeps hostile input from overflowing the stack.
const MAX_NESTING: usize = 256;

/// The offset of the first `(` or `[` nested deeper than [`MAX_NESTING`]
/// (outside strings, quoted names and `//` comments), if any.
fn too_deep(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            quote @ (b'\'' | b'"') => {
                i += 1;
                while i < bytes.len() && bytes[i] != quote {
                    i += 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'(' | b'[' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some(i);
                }
            }
            b')' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    None
}

/// Parses `text[range]`, whose spans are offsets into the whole `text`.
fn parse_range(
    file: FileId,
    text: &str,
    line_starts: &[usize],
    range: std::ops::Range<usize>,
) -> Result<Parsed, Box<pest::error::Error<Rule>>> {
    let base = range.start;
    let mut pairs = TrellisParser::parse(Rule::schema_file, &text[range]).map_err(Box::new)?;
    let mut builder = Builder {
        file,
        text,
        base,
        line_starts,
        diagnostics: Vec::new(),
    };
    let root = pairs.next().expect("pest returns the start rule's pair on success");
    let source = builder.schema_file(root);
    Ok((Some(source), builder.diagnostics))
}

/// Parses the pieces on as many threads as there are cores; None when one
/// does not parse.
fn parse_pieces(file: FileId, text: &str, line_starts: &[usize], pieces: &[std::ops::Range<usize>]) -> Option<Parsed> {
    let results = crate::parallel::map(pieces, |range| parse_range(file, text, line_starts, range.clone()).ok());
    let mut whole = SourceFile {
        file,
        declarations: Vec::new(),
        trailing_docs: Vec::new(),
    };
    let mut diagnostics = Vec::new();
    for result in results {
        let (source, found) = result?;
        let source = source?;
        whole.declarations.extend(source.declarations);
        // Only the last piece can end with loose docs (see `pieces`).
        whole.trailing_docs = source.trailing_docs;
        diagnostics.extend(found);
    }
    Some((Some(whole), diagnostics))
}

/// Below this size a file is parsed in one go.
const PIECE_SIZE: usize = 256 * 1024;

/// Where a large file can be cut: before a top-level declaration (with the
/// doc comments right above it) whose previous non-blank line is code at
/// depth 0, never inside braces, parentheses, strings, quoted names or
/// comments. Pieces are at least [`PIECE_SIZE`] long; small files are one
/// piece.
fn pieces(text: &str) -> Vec<std::ops::Range<usize>> {
    if text.len() < 2 * PIECE_SIZE {
        return std::iter::once(0..text.len()).collect();
    }
    let mut cuts = vec![0];
    let mut depth: i64 = 0;
    let mut quote: Option<u8> = None;
    // The start of the comment lines right above the current line, and
    // whether the line above those (blank lines skipped) is code.
    let mut block_start: Option<usize> = None;
    let mut code_above = false;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let trimmed = line.trim_start();
        let at_top = depth == 0 && quote.is_none();
        if at_top && trimmed.trim_end().is_empty() {
            if block_start.take().is_some() {
                // Comments with a blank line after them belong to no
                // declaration: keep them where they are, uncut.
                code_above = false;
            }
            continue;
        }
        if at_top && trimmed.starts_with("//") && line.starts_with('/') {
            block_start.get_or_insert(start);
            continue;
        }
        if at_top && starts_declaration(line) && code_above {
            let cut = block_start.unwrap_or(start);
            if cut - cuts.last().copied().unwrap_or(0) >= PIECE_SIZE && text.len() - cut >= PIECE_SIZE {
                cuts.push(cut);
            }
        }
        block_start = None;
        scan_line(line.as_bytes(), &mut depth, &mut quote);
        code_above = depth == 0 && quote.is_none();
    }
    cuts.push(text.len());
    cuts.windows(2).map(|w| w[0]..w[1]).collect()
}

/// Whether a line (at column 0) starts a top-level declaration.
fn starts_declaration(line: &str) -> bool {
    let word: String = line
        .chars()
        .take_while(|c| c.is_ascii_alphabetic())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    matches!(
        word.as_str(),
        "table" | "unlogged" | "enum" | "domain" | "sequence" | "extension" | "schema"
    ) && line[word.len()..].starts_with([' ', '\t'])
}

/// Follows braces and parentheses through a line, skipping strings, quoted
/// names and `//` comments; a string or name may go on to the next line.
fn scan_line(bytes: &[u8], depth: &mut i64, quote: &mut Option<u8>) {
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match *quote {
            Some(q) if b == q => {
                if bytes.get(i + 1) == Some(&q) {
                    i += 1;
                } else {
                    *quote = None;
                }
            }
            Some(_) => {}
            None => match b {
                b'\'' | b'"' => *quote = Some(b),
                b'/' if bytes.get(i + 1) == Some(&b'/') => return,
                b'{' | b'(' => *depth += 1,
                b'}' | b')' => *depth -= 1,
                _ => {}
            },
        }
        i += 1;
    }
}

struct Builder<'t> {
    file: FileId,
    /// The whole file.
    text: &'t str,
    /// Where the text pest parses starts in the file.
    base: usize,
    /// Byte offsets where lines start, for line lookups.
    line_starts: &'t [usize],
    diagnostics: Vec<Diagnostic>,
}

impl Builder<'_> {
    /// The span of a pair, without the whitespace and comments pest lets
    /// trail inside non-atomic rules.
    fn span(&self, pair: &Pair<Rule>) -> Span {
        let start = self.base + pair.as_span().start();
        Span::new(self.file, start..start + content_len(pair.as_str()))
    }

    fn schema_file(&mut self, pair: Pair<Rule>) -> SourceFile {
        let mut declarations = Vec::new();
        let mut trailing_docs = Vec::new();
        for inner in pair.into_inner() {
            match inner.as_rule() {
                Rule::declaration => declarations.push(self.declaration(inner)),
                Rule::doc => trailing_docs.push(self.doc(inner)),
                _ => {}
            }
        }
        SourceFile {
            file: self.file,
            declarations,
            trailing_docs,
        }
    }

    fn doc(&self, pair: Pair<Rule>) -> Doc {
        // A doc comment is a comment: trimming trailing comments would empty it.
        let start = self.base + pair.as_span().start();
        let span = Span::new(self.file, start..start + pair.as_str().trim_end().len());
        let raw = pair.as_str().trim_end_matches(['\r', '\n']);
        let text = raw.strip_prefix("///").unwrap_or(raw);
        let text = text.strip_prefix(' ').unwrap_or(text).trim_end().to_string();
        Doc { text, span }
    }

    fn declaration(&mut self, pair: Pair<Rule>) -> Declaration {
        let mut docs = Vec::new();
        let mut decl = None;
        for inner in pair.into_inner() {
            match inner.as_rule() {
                Rule::doc => docs.push(self.doc(inner)),
                Rule::schema_decl => decl = Some(Declaration::Schema(self.schema(inner, docs.clone()))),
                Rule::extension_decl => decl = Some(Declaration::Extension(self.extension(inner, docs.clone()))),
                Rule::collation_decl => {
                    let span = self.span(&inner);
                    let name = inner
                        .clone()
                        .into_inner()
                        .find(|p| p.as_rule() == Rule::qualified_name)
                        .map(|p| self.qual_name(p));
                    let options = self.storage_params(inner);
                    decl = name.map(|name| {
                        Declaration::Collation(CollationDecl {
                            docs: docs.clone(),
                            name,
                            options,
                            span,
                        })
                    });
                }
                Rule::enum_decl => decl = Some(Declaration::Enum(self.enumeration(inner, docs.clone()))),
                Rule::domain_decl => decl = Some(Declaration::Domain(self.domain(inner, docs.clone()))),
                Rule::type_decl => decl = Some(Declaration::Type(self.type_decl(inner, docs.clone()))),
                Rule::sequence_decl => decl = Some(Declaration::Sequence(self.sequence(inner, docs.clone()))),
                Rule::table_decl => decl = Some(Declaration::Table(self.table(inner, docs.clone()))),
                Rule::routine_decl => decl = Some(Declaration::Routine(self.routine(inner, docs.clone()))),
                Rule::view_decl => decl = Some(Declaration::View(self.view(inner, docs.clone()))),
                Rule::aggregate_decl => decl = Some(Declaration::Aggregate(self.aggregate(inner, docs.clone()))),
                Rule::view_index => decl = Some(Declaration::ViewIndex(self.view_index(inner, docs.clone()))),
                Rule::view_trigger => {
                    let span = self.span(&inner);
                    let view = inner
                        .clone()
                        .into_inner()
                        .find(|p| p.as_rule() == Rule::view_index_target)
                        .and_then(|p| p.into_inner().find(|q| q.as_rule() == Rule::qualified_name))
                        .map(|name| self.qual_name(name));
                    if let (Some(view), Some(trigger)) = (view, self.trigger_item(inner)) {
                        decl = Some(Declaration::ViewTrigger(ViewTriggerDecl {
                            docs: docs.clone(),
                            view,
                            trigger,
                            span,
                        }));
                    }
                }
                Rule::grant_decl | Rule::revoke_decl | Rule::default_privileges_decl => {
                    decl = Some(Declaration::Grant(self.grant(inner, docs.clone())))
                }
                _ => {}
            }
        }
        decl.expect("the grammar requires one declaration body")
    }

    /// A grant, a revoke, or a default privilege (whose inner grant or
    /// revoke is read the same way).
    fn grant(&mut self, pair: Pair<Rule>, docs: Vec<Doc>) -> GrantDecl {
        let mut decl = GrantDecl {
            docs,
            revoke: pair.as_rule() == Rule::revoke_decl,
            defaults: None,
            all: None,
            privileges: Vec::new(),
            object_kind: None,
            objects: Vec::new(),
            grantees: Vec::new(),
            grant_option: false,
            span: self.span(&pair),
        };
        let mut role = None;
        let mut schema = None;
        self.grant_parts(pair, &mut decl, &mut role, &mut schema);
        if let Some(defaults) = &mut decl.defaults {
            defaults.role = role;
            defaults.schema = schema;
        }
        decl
    }

    fn grant_parts(
        &mut self,
        pair: Pair<Rule>,
        decl: &mut GrantDecl,
        role: &mut Option<Name>,
        schema: &mut Option<Name>,
    ) {
        fn first_ident(pair: Pair<'_, Rule>) -> Option<Pair<'_, Rule>> {
            pair.into_inner().find(|p| p.as_rule() == Rule::ident)
        }
        for inner in pair.into_inner() {
            match inner.as_rule() {
                Rule::default_for_role => *role = first_ident(inner).map(|p| self.name(p)),
                Rule::default_in_schema => *schema = first_ident(inner).map(|p| self.name(p)),
                Rule::default_grant => self.grant_parts(inner, decl, role, schema),
                Rule::default_revoke => {
                    decl.revoke = true;
                    self.grant_parts(inner, decl, role, schema);
                }
                Rule::default_kind => {
                    decl.defaults = Some(DefaultsClause {
                        role: None,
                        schema: None,
                        kind: self.name(inner),
                    })
                }
                Rule::grant_privileges => {
                    let mut all = None;
                    for part in inner.into_inner() {
                        match part.as_rule() {
                            Rule::grant_all => {
                                all = Some(PrivilegeItem {
                                    name: self.name(part),
                                    columns: Vec::new(),
                                })
                            }
                            Rule::column_list => {
                                if let Some(all) = &mut all {
                                    all.columns = self.column_list(part);
                                }
                            }
                            Rule::grant_privilege => {
                                let mut name = None;
                                let mut columns = Vec::new();
                                for piece in part.into_inner() {
                                    match piece.as_rule() {
                                        Rule::ident => name = Some(self.name(piece)),
                                        Rule::column_list => columns = self.column_list(piece),
                                        _ => {}
                                    }
                                }
                                if let Some(name) = name {
                                    decl.privileges.push(PrivilegeItem { name, columns });
                                }
                            }
                            _ => {}
                        }
                    }
                    decl.all = all;
                }
                Rule::grant_objects => {
                    for part in inner.into_inner() {
                        match part.as_rule() {
                            Rule::grant_object_kind => decl.object_kind = Some(self.name(part)),
                            Rule::grant_object => {
                                let span = self.span(&part);
                                let mut name = None;
                                let mut arguments = None;
                                for piece in part.into_inner() {
                                    match piece.as_rule() {
                                        Rule::qualified_name => name = Some(self.qual_name(piece)),
                                        Rule::routine_args => {
                                            arguments = piece
                                                .into_inner()
                                                .find(|p| p.as_rule() == Rule::expr_text)
                                                .map(|p| self.expr(p))
                                        }
                                        _ => {}
                                    }
                                }
                                if let Some(name) = name {
                                    decl.objects.push(GrantObject { name, arguments, span });
                                }
                            }
                            _ => {}
                        }
                    }
                }
                Rule::grantee_list => {
                    decl.grantees = inner
                        .into_inner()
                        .filter(|p| p.as_rule() == Rule::ident)
                        .map(|p| self.name(p))
                        .collect()
                }
                Rule::grant_option => decl.grant_option = true,
                _ => {}
            }
        }
    }

    fn name(&self, pair: Pair<Rule>) -> Name {
        Name {
            text: pair.as_str().trim().to_string(),
            span: self.span(&pair),
        }
    }

    fn qual_name(&self, pair: Pair<Rule>) -> QualName {
        let span = self.span(&pair);
        let mut parts: Vec<Name> = pair
            .into_inner()
            .filter(|p| p.as_rule() == Rule::ident)
            .map(|p| self.name(p))
            .collect();
        let name = parts.pop().expect("a qualified name has at least one part");
        QualName {
            schema: parts.pop(),
            name,
            span,
        }
    }

    fn string(&self, pair: Pair<Rule>) -> StrLit {
        let text = pair.as_str().to_string();
        let value = text[1..text.len() - 1].replace("''", "'");
        StrLit {
            text,
            value,
            span: self.span(&pair),
        }
    }

    fn expr(&self, pair: Pair<Rule>) -> Expr {
        // paren_expr: the text between the parentheses; default_expr: itself.
        let target = match pair.as_rule() {
            Rule::paren_expr => pair.into_inner().find(|p| p.as_rule() == Rule::expr_text),
            _ => Some(pair),
        };
        match target {
            Some(p) => Expr {
                text: p.as_str().to_string(),
                span: self.span(&p),
            },
            None => Expr::empty(Span::new(self.file, 0..0)),
        }
    }

    fn number(&mut self, pair: Pair<Rule>) -> Option<i64> {
        match pair.as_str().parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                let span = self.span(&pair);
                self.diagnostics.push(
                    Diagnostic::new(Code::InvalidNumber, "number out of range")
                        .primary(span, "does not fit in a 64-bit integer")
                        .help("sequence values range from -9223372036854775808 to 9223372036854775807"),
                );
                None
            }
        }
    }

    fn schema(&mut self, pair: Pair<Rule>, docs: Vec<Doc>) -> SchemaDecl {
        let span = self.span(&pair);
        let name = pair
            .into_inner()
            .find(|p| p.as_rule() == Rule::ident)
            .map(|p| self.name(p))
            .expect("grammar: schema has a name");
        SchemaDecl { docs, name, span }
    }

    fn extension(&mut self, pair: Pair<Rule>, docs: Vec<Doc>) -> ExtensionDecl {
        let span = self.span(&pair);
        let mut name = None;
        let mut version = None;
        let mut schema = None;
        for inner in pair.into_inner() {
            match inner.as_rule() {
                Rule::extension_name => {
                    let Some(p) = inner.into_inner().next() else { continue };
                    name = Some(match p.as_rule() {
                        Rule::string_lit => {
                            let s = self.string(p);
                            // A string name stands for the exact (quoted) name.
                            Name {
                                text: format!("\"{}\"", s.value.replace('"', "\"\"")),
                                span: s.span,
                            }
                        }
                        _ => self.name(p),
                    });
                }
                Rule::extension_version => {
                    version = inner
                        .into_inner()
                        .find(|p| p.as_rule() == Rule::string_lit)
                        .map(|p| self.string(p))
                }
                Rule::extension_schema => {
                    schema = inner
                        .into_inner()
                        .find(|p| p.as_rule() == Rule::ident)
                        .map(|p| self.name(p))
                }
                _ => {}
            }
        }
        ExtensionDecl {
            docs,
            name: name.expect("grammar: extension has a name"),
            version,
            schema,
            span,
        }
    }

    fn was(&self, pair: Pair<Rule>) -> Option<QualName> {
        pair.into_inner()
            .find(|p| p.as_rule() == Rule::qualified_name)
            .map(|p| self.qual_name(p))
    }

    fn enumeration(&mut self, pair: Pair<Rule>, docs: Vec<Doc>) -> EnumDecl {
        let span = self.span(&pair);
        let mut name = None;
        let mut was = None;
        let mut as_check = false;
        let mut labels = Vec::new();
        let mut trailing_docs = Vec::new();
        for inner in pair.into_inner() {
            match inner.as_rule() {
                Rule::qualified_name => name = Some(self.qual_name(inner)),
                Rule::was_clause => was = self.was(inner),
                Rule::enum_as_check => as_check = true,
                Rule::enum_label => labels.push(self.enum_label(inner)),
                Rule::doc => trailing_docs.push(self.doc(inner)),
                _ => {}
            }
        }
        EnumDecl {
            docs,
            name: name.expect("grammar: enum has a name"),
            was,
            as_check,
            labels,
            trailing_docs,
            span,
        }
    }

    fn enum_label(&mut self, pair: Pair<Rule>) -> EnumLabel {
        let mut docs = Vec::new();
        let mut value = None;
        let mut was = None;
        let mut start = None;
        let mut end = 0;
        for inner in pair.into_inner() {
            match inner.as_rule() {
                Rule::doc => docs.push(self.doc(inner)),
                Rule::string_lit => {
                    let s = self.string(inner);
                    start = Some(s.span);
                    end = s.span.end;
                    value = Some(s);
                }
                Rule::label_was => {
                    if let Some(p) = inner.into_inner().find(|p| p.as_rule() == Rule::string_lit) {
                        let s = self.string(p);
                        end = s.span.end;
                        was = Some(s);
                    }
                }
                _ => {}
            }
        }
        let value = value.expect("grammar: a label is a string");
        let mut span = start.unwrap_or(value.span);
        span.end = end;
        EnumLabel { docs, value, was, span }
    }

    fn sequence(&mut self, pair: Pair<Rule>, docs: Vec<Doc>) -> SequenceDecl {
        let span = self.span(&pair);
        let mut name = None;
        let mut was = None;
        let mut options = Vec::new();
        for inner in pair.into_inner() {
            match inner.as_rule() {
                Rule::qualified_name => name = Some(self.qual_name(inner)),
                Rule::was_clause => was = self.was(inner),
                _ => {
                    if let Some(option) = self.sequence_option(inner) {
                        options.push(option);
                    }
                }
            }
        }
        SequenceDecl {
            docs,
            name: name.expect("grammar: sequence has a name"),
            was,
            options,
            span,
        }
    }

    fn sequence_option(&mut self, pair: Pair<Rule>) -> Option<SequenceOption> {
        let span = self.span(&pair);
        let rule = pair.as_rule();
        let mut inner = pair.into_inner();
        let number = |b: &mut Self| {
            inner
                .clone()
                .find(|p| p.as_rule() == Rule::signed_int)
                .and_then(|p| b.number(p))
        };
        let kind = match rule {
            Rule::seq_as => SequenceOptionKind::As(self.column_type(inner.find(|p| p.as_rule() == Rule::column_type)?)),
            Rule::seq_increment => SequenceOptionKind::IncrementBy(number(self)?),
            Rule::seq_minvalue => SequenceOptionKind::MinValue(Some(number(self)?)),
            Rule::seq_no_minvalue => SequenceOptionKind::MinValue(None),
            Rule::seq_maxvalue => SequenceOptionKind::MaxValue(Some(number(self)?)),
            Rule::seq_no_maxvalue => SequenceOptionKind::MaxValue(None),
            Rule::seq_start => SequenceOptionKind::StartWith(number(self)?),
            Rule::seq_cache => SequenceOptionKind::Cache(number(self)?),
            Rule::seq_cycle => SequenceOptionKind::Cycle(true),
            Rule::seq_no_cycle => SequenceOptionKind::Cycle(false),
            Rule::seq_owned_by_none => SequenceOptionKind::OwnedBy(None),
            Rule::seq_owned_by => {
                let path = inner.find(|p| p.as_rule() == Rule::column_path)?;
                let parts = path
                    .into_inner()
                    .filter(|p| p.as_rule() == Rule::ident)
                    .map(|p| self.name(p))
                    .collect();
                SequenceOptionKind::OwnedBy(Some(parts))
            }
            Rule::seq_name => {
                SequenceOptionKind::SequenceName(self.qual_name(inner.find(|p| p.as_rule() == Rule::qualified_name)?))
            }
            _ => return None,
        };
        Some(SequenceOption { kind, span })
    }

    fn routine(&mut self, pair: Pair<Rule>, docs: Vec<Doc>) -> RoutineDecl {
        let span = self.span(&pair);
        let empty = Expr::empty(Span::new(self.file, span.end as usize..span.end as usize));
        let mut routine = RoutineDecl {
            docs,
            procedure: false,
            name: QualName::empty(span),
            arguments: empty.clone(),
            was: None,
            rest: empty,
            span,
        };
        for inner in pair.into_inner() {
            match inner.as_rule() {
                Rule::routine_kind => {
                    routine.procedure = inner.into_inner().any(|p| p.as_rule() == Rule::routine_procedure)
                }
                Rule::qualified_name => routine.name = self.qual_name(inner),
                Rule::routine_args => {
                    if let Some(text) = inner.into_inner().find(|p| p.as_rule() == Rule::expr_text) {
                        routine.arguments = self.expr(text);
                    }
                }
                Rule::was_clause => routine.was = self.was(inner),
                Rule::routine_rest => routine.rest = self.trimmed(inner),
                _ => {}
            }
        }
        // The declaration ends where its text does, not at the blank lines
        // after it.
        routine.span = Span::new(self.file, routine.span.start as usize..routine.rest.span.end as usize);
        routine
    }

    fn aggregate(&mut self, pair: Pair<Rule>, docs: Vec<Doc>) -> AggregateDecl {
        let span = self.span(&pair);
        let empty = Expr::empty(span);
        let mut aggregate = AggregateDecl {
            docs,
            name: QualName::empty(span),
            arguments: empty.clone(),
            was: None,
            options: empty,
            span,
        };
        for inner in pair.into_inner() {
            match inner.as_rule() {
                Rule::qualified_name => aggregate.name = self.qual_name(inner),
                Rule::routine_args | Rule::aggregate_body => {
                    let rule = inner.as_rule();
                    if let Some(text) = inner.into_inner().find(|p| p.as_rule() == Rule::expr_text) {
                        let text = self.expr(text);
                        match rule {
                            Rule::routine_args => aggregate.arguments = text,
                            _ => aggregate.options = text,
                        }
                    }
                }
                Rule::was_clause => aggregate.was = self.was(inner),
                _ => {}
            }
        }
        aggregate
    }

    fn view(&mut self, pair: Pair<Rule>, docs: Vec<Doc>) -> ViewDecl {
        let span = self.span(&pair);
        let mut view = ViewDecl {
            docs,
            materialized: false,
            name: QualName::empty(span),
            was: None,
            columns: Vec::new(),
            with: Vec::new(),
            query: Expr::empty(span),
            check_option: None,
            span,
        };
        for inner in pair.into_inner() {
            match inner.as_rule() {
                Rule::view_materialized => view.materialized = true,
                Rule::qualified_name => view.name = self.qual_name(inner),
                Rule::was_clause => view.was = self.was(inner),
                Rule::column_list => view.columns = self.column_list(inner),
                Rule::with_params => view.with = self.storage_params(inner),
                Rule::view_body => {
                    if let Some(query) = inner.into_inner().find(|p| p.as_rule() == Rule::view_query) {
                        view.query = self.expr(query);
                    }
                }
                Rule::view_check_option => {
                    let kind = inner
                        .into_inner()
                        .find(|p| p.as_rule() == Rule::view_check_kind)
                        .map(|p| p.as_str().to_ascii_lowercase());
                    view.check_option = Some(kind.unwrap_or_else(|| "cascaded".into()));
                }
                _ => {}
            }
        }
        view
    }

    fn view_index(&mut self, pair: Pair<Rule>, docs: Vec<Doc>) -> ViewIndexDecl {
        let span = self.span(&pair);
        let mut index = ViewIndexDecl {
            docs,
            unique: false,
            name: Name::empty(span),
            view: QualName::empty(span),
            rest: Expr::empty(span),
            was: None,
            span,
        };
        for inner in pair.into_inner() {
            match inner.as_rule() {
                Rule::unique_index => index.unique = true,
                Rule::ident => index.name = self.name(inner),
                Rule::view_index_target => {
                    if let Some(name) = inner.into_inner().find(|p| p.as_rule() == Rule::qualified_name) {
                        index.view = self.qual_name(name);
                    }
                }
                Rule::view_index_rest => index.rest = self.trimmed(inner),
                Rule::was_clause => index.was = self.was(inner),
                _ => {}
            }
        }
        index
    }

    /// A captured text without its trailing blanks.
    fn trimmed(&self, pair: Pair<Rule>) -> Expr {
        let start = self.base + pair.as_span().start();
        let text = pair.as_str().trim_end();
        Expr {
            text: text.to_string(),
            span: Span::new(self.file, start..start + text.len()),
        }
    }

    fn trigger_item(&mut self, pair: Pair<Rule>) -> Option<TriggerItem> {
        let mut constraint = false;
        let mut name = None;
        let mut was = None;
        let mut events = None;
        let mut rest = None;
        for inner in pair.into_inner() {
            match inner.as_rule() {
                Rule::trigger_constraint => constraint = true,
                Rule::ident => name = Some(self.name(inner)),
                Rule::was_clause => was = self.was(inner),
                Rule::trigger_events => events = Some(self.trimmed(inner)),
                Rule::trigger_rest => rest = Some(self.trimmed(inner)),
                _ => {}
            }
        }
        Some(TriggerItem {
            constraint,
            name: name?,
            was,
            events: events?,
            rest: rest?,
        })
    }

    fn policy_item(&mut self, pair: Pair<Rule>) -> Option<PolicyItem> {
        let mut policy = PolicyItem {
            name: Name::empty(self.span(&pair)),
            was: None,
            kind: None,
            command: None,
            roles: Vec::new(),
            using: None,
            check: None,
        };
        let mut named = false;
        for inner in pair.into_inner() {
            let word = |p: Pair<Rule>, rule: Rule| {
                p.into_inner()
                    .find(|p| p.as_rule() == rule)
                    .map(|p| p.as_str().to_ascii_lowercase())
            };
            let expression = |builder: &mut Self, p: Pair<Rule>| {
                p.into_inner()
                    .find(|p| p.as_rule() == Rule::paren_expr)
                    .map(|p| builder.expr(p))
            };
            match inner.as_rule() {
                Rule::ident => {
                    policy.name = self.name(inner);
                    named = true;
                }
                Rule::was_clause => policy.was = self.was(inner),
                Rule::policy_as => policy.kind = word(inner, Rule::policy_kind),
                Rule::policy_for => policy.command = word(inner, Rule::policy_command),
                Rule::policy_to => {
                    policy.roles = inner
                        .into_inner()
                        .filter(|p| p.as_rule() == Rule::ident)
                        .map(|p| self.name(p))
                        .collect()
                }
                Rule::policy_using => policy.using = expression(self, inner),
                Rule::policy_check => policy.check = expression(self, inner),
                _ => {}
            }
        }
        named.then_some(policy)
    }

    fn table(&mut self, pair: Pair<Rule>, docs: Vec<Doc>) -> TableDecl {
        let span = self.span(&pair);
        let mut unlogged = false;
        let mut name = None;
        let mut was = None;
        let mut with = Vec::new();
        let mut entries = Vec::new();
        let mut trailing_docs = Vec::new();
        let mut partition_of = None;
        let mut partition_by = None;
        let mut inherits = Vec::new();
        let mut access_method = None;
        let mut tablespace = None;
        for inner in pair.into_inner() {
            match inner.as_rule() {
                Rule::unlogged => unlogged = true,
                Rule::using_clause | Rule::tablespace_clause => {
                    let rule = inner.as_rule();
                    let name = inner
                        .into_inner()
                        .find(|p| p.as_rule() == Rule::ident)
                        .map(|p| self.name(p));
                    if rule == Rule::using_clause {
                        access_method = name;
                    } else {
                        tablespace = name;
                    }
                }
                Rule::qualified_name => name = Some(self.qual_name(inner)),
                Rule::was_clause => was = self.was(inner),
                Rule::partition_of => {
                    let mut parent = None;
                    let mut bound = None;
                    for part in inner.into_inner() {
                        match part.as_rule() {
                            Rule::qualified_name => parent = Some(self.qual_name(part)),
                            Rule::partition_bound => bound = Some(self.trimmed(part)),
                            _ => {}
                        }
                    }
                    if let (Some(parent), Some(bound)) = (parent, bound) {
                        partition_of = Some(Box::new(PartitionOf { parent, bound }));
                    }
                }
                Rule::partition_by => {
                    let mut strategy = String::new();
                    let mut key = None;
                    for part in inner.into_inner() {
                        match part.as_rule() {
                            Rule::partition_strategy => strategy = part.as_str().to_ascii_lowercase(),
                            Rule::paren_expr => key = Some(self.expr(part)),
                            _ => {}
                        }
                    }
                    partition_by = key.map(|key| Box::new((strategy, key)));
                }
                Rule::table_inherits => {
                    inherits = inner
                        .into_inner()
                        .filter(|p| p.as_rule() == Rule::qualified_name)
                        .map(|p| self.qual_name(p))
                        .collect()
                }
                Rule::with_params => with = self.storage_params(inner),
                Rule::table_entry => entries.extend(self.table_entry(inner)),
                Rule::doc => trailing_docs.push(self.doc(inner)),
                _ => {}
            }
        }
        self.same_line_check(&entries);
        let entries = entries.into_iter().map(|(entry, _)| entry).collect();
        TableDecl {
            docs,
            unlogged,
            name: name.expect("grammar: table has a name"),
            was,
            partition_of,
            partition_by,
            inherits,
            access_method,
            with,
            tablespace,
            entries,
            trailing_docs,
            span,
        }
    }

    /// Two entries of a body on one line without a comma: almost always a
    /// misspelt constraint that the parser took for a new column.
    fn same_line_check(&mut self, entries: &[(TableEntry, bool)]) {
        for pair in entries.windows(2) {
            let ((previous, comma), next) = (&pair[0], &pair[1].0);
            let line = |offset: u32| self.line_starts.partition_point(|&s| s <= offset as usize);
            if *comma || line(previous.span().end) != line(next.span().start) {
                continue;
            }
            let TableEntry::Column(column) = previous else { continue };
            let (word, span) = match next {
                TableEntry::Column(c) => (c.name.text.clone(), c.name.span),
                TableEntry::Item(i) => (
                    self.text[i.span.range()]
                        .split_whitespace()
                        .next()
                        .unwrap_or("")
                        .to_string(),
                    i.span,
                ),
            };
            self.diagnostics.push(
                Diagnostic::new(Code::ItemsOnOneLine, format!("`{word}` is not a constraint of column `{}`", column.name.text))
                    .primary(span, "expected a column constraint here")
                    .secondary(column.span, "this column ends before it")
                    .help("column constraints are `not null`, `null`, `default`, `primary key`, `unique`, `check`, `references`, `generated`, `collate` and `was`")
                    .help("each column and table item goes on its own line (or after a `,`)"),
            );
        }
    }

    fn table_entry(&mut self, pair: Pair<Rule>) -> Option<(TableEntry, bool)> {
        let mut docs = Vec::new();
        let mut entry = None;
        let mut comma = false;
        for inner in pair.into_inner() {
            match inner.as_rule() {
                Rule::doc => docs.push(self.doc(inner)),
                Rule::column_decl => entry = Some(TableEntry::Column(self.column(inner, std::mem::take(&mut docs)))),
                Rule::table_item => {
                    entry = self
                        .table_item(inner, std::mem::take(&mut docs))
                        .map(|item| TableEntry::Item(Box::new(item)))
                }
                Rule::comma => comma = true,
                _ => {}
            }
        }
        entry.map(|e| (e, comma))
    }
}

/// What follows a column's name or a domain's: its type and attributes.
#[derive(Default)]
struct Typed {
    ty: Option<TypeExpr>,
    constraints: Vec<ColumnConstraint>,
    collate: Option<QualName>,
    was: Option<QualName>,
    settings: Option<ColumnSettings>,
    settings_span: Option<Span>,
}

impl Builder<'_> {
    fn type_decl(&mut self, pair: Pair<Rule>, docs: Vec<Doc>) -> TypeDecl {
        let span = self.span(&pair);
        let mut name = None;
        let mut was = None;
        let mut body = TypeBody::Range { options: Vec::new() };
        for inner in pair.into_inner() {
            match inner.as_rule() {
                Rule::qualified_name => name = Some(self.qual_name(inner)),
                Rule::was_clause => was = self.was(inner),
                Rule::composite_body => {
                    let mut attributes = Vec::new();
                    let mut trailing_docs = Vec::new();
                    for part in inner.into_inner() {
                        match part.as_rule() {
                            Rule::type_attribute => attributes.push(self.type_attribute(part)),
                            Rule::doc => trailing_docs.push(self.doc(part)),
                            _ => {}
                        }
                    }
                    body = TypeBody::Composite {
                        attributes,
                        trailing_docs,
                    };
                }
                Rule::range_body => {
                    let mut options = Vec::new();
                    for part in inner.into_inner().filter(|p| p.as_rule() == Rule::range_option) {
                        let span = self.span(&part);
                        let mut option_name = None;
                        let mut value = None;
                        for piece in part.into_inner() {
                            match piece.as_rule() {
                                Rule::param_name => {
                                    option_name = Some(Name {
                                        text: piece.as_str().to_string(),
                                        span: self.span(&piece),
                                    })
                                }
                                Rule::column_type => value = Some(self.column_type(piece)),
                                _ => {}
                            }
                        }
                        if let (Some(name), Some(value)) = (option_name, value) {
                            options.push(RangeOption { name, value, span });
                        }
                    }
                    body = TypeBody::Range { options };
                }
                _ => {}
            }
        }
        TypeDecl {
            docs,
            name: name.expect("grammar: a type has a name"),
            was,
            body,
            span,
        }
    }

    fn type_attribute(&mut self, pair: Pair<Rule>) -> TypeAttribute {
        let mut docs = Vec::new();
        let mut name = None;
        let mut typed = Typed::default();
        let mut span = self.span(&pair);
        for inner in pair.into_inner() {
            match inner.as_rule() {
                Rule::doc => docs.push(self.doc(inner)),
                Rule::type_attribute_line => {
                    span = self.span(&inner);
                    for part in inner.into_inner() {
                        match part.as_rule() {
                            Rule::ident => name = Some(self.name(part)),
                            _ => self.typed_part(part, &mut typed),
                        }
                    }
                }
                _ => {}
            }
        }
        TypeAttribute {
            docs,
            name: name.expect("grammar: an attribute has a name"),
            ty: typed.ty.expect("grammar: an attribute has a type"),
            collate: typed.collate,
            was: typed.was,
            span,
        }
    }

    fn domain(&mut self, pair: Pair<Rule>, docs: Vec<Doc>) -> DomainDecl {
        let span = self.span(&pair);
        let mut name = None;
        let mut typed = Typed::default();
        for inner in pair.into_inner() {
            match inner.as_rule() {
                Rule::qualified_name => name = Some(self.qual_name(inner)),
                _ => self.typed_part(inner, &mut typed),
            }
        }
        DomainDecl {
            docs,
            name: name.expect("grammar: a domain has a name"),
            ty: typed.ty.expect("grammar: a domain has a type"),
            constraints: typed.constraints,
            collate: typed.collate,
            was: typed.was,
            settings: typed.settings.map(|_| typed.settings_span.unwrap_or(span)),
            span,
        }
    }

    /// A type or an attribute after it, as a column or a domain has them.
    fn typed_part(&mut self, inner: Pair<Rule>, typed: &mut Typed) {
        match inner.as_rule() {
            Rule::column_type => typed.ty = Some(self.column_type(inner)),
            Rule::column_constraint => typed.constraints.push(self.column_constraint(inner)),
            Rule::collate_clause => {
                typed.collate = inner
                    .into_inner()
                    .find(|p| p.as_rule() == Rule::qualified_name)
                    .map(|p| self.qual_name(p))
            }
            Rule::was_clause => typed.was = self.was(inner),
            Rule::column_statistics | Rule::column_storage | Rule::column_compression | Rule::column_options => {
                self.column_setting(inner, typed)
            }
            _ => {}
        }
    }

    /// `statistics N`, `storage KIND`, `compression METHOD` or `with (...)`
    /// after a type; given twice is an error.
    fn column_setting(&mut self, inner: Pair<Rule>, typed: &mut Typed) {
        let span = self.span(&inner);
        typed.settings_span.get_or_insert(span);
        let settings = typed.settings.get_or_insert_with(Default::default);
        let rule = inner.as_rule();
        let value = || {
            inner
                .clone()
                .into_inner()
                .next()
                .map(|p| p.as_str().to_ascii_lowercase())
                .unwrap_or_default()
        };
        let (slot_span, word) = match rule {
            Rule::column_statistics => (settings.statistics.as_ref().map(|s| s.1), "statistics"),
            Rule::column_storage => (settings.storage.as_ref().map(|s| s.1), "storage"),
            Rule::column_compression => (settings.compression.as_ref().map(|s| s.1), "compression"),
            _ => (settings.options.as_ref().map(|s| s.1), "with (...)"),
        };
        if let Some(first) = slot_span {
            self.diagnostics.push(Diagnostic::given_twice(word, span, first));
            return;
        }
        match rule {
            Rule::column_statistics => settings.statistics = Some((value(), span)),
            Rule::column_storage => settings.storage = Some((value(), span)),
            Rule::column_compression => settings.compression = Some((value(), span)),
            _ => {
                let params = inner
                    .into_inner()
                    .find(|p| p.as_rule() == Rule::column_params)
                    .map(|p| self.storage_params(p))
                    .unwrap_or_default();
                settings.options = Some((params, span));
            }
        }
    }

    fn column(&mut self, pair: Pair<Rule>, docs: Vec<Doc>) -> ColumnDecl {
        let span = self.span(&pair);
        let mut name = None;
        let mut typed = Typed::default();
        let mut using = None;
        for inner in pair.into_inner() {
            match inner.as_rule() {
                Rule::column_name => name = inner.into_inner().next().map(|p| self.name(p)),
                Rule::type_using => {
                    using = inner
                        .into_inner()
                        .find(|p| p.as_rule() == Rule::paren_expr)
                        .map(|p| Box::new(self.expr(p)))
                }
                _ => self.typed_part(inner, &mut typed),
            }
        }
        let Typed {
            ty,
            constraints,
            collate,
            was,
            settings,
            settings_span: _,
        } = typed;
        let (collate, was) = (collate.map(Box::new), was.map(Box::new));
        let name = name.expect("grammar: column has a name");
        let mut ty = ty.expect("grammar: column has a type");
        if let TypeBase::Named(QualName {
            schema: None,
            name: type_name,
            ..
        }) = &ty.base
        {
            const CONSTRAINT_WORDS: &[&str] = &[
                "not",
                "null",
                "default",
                "primary",
                "unique",
                "check",
                "references",
                "generated",
                "constraint",
                "collate",
                "was",
                "using",
                "statistics",
                "storage",
                "compression",
            ];
            if CONSTRAINT_WORDS.iter().any(|w| type_name.text.eq_ignore_ascii_case(w)) {
                self.diagnostics.push(
                    Diagnostic::new(
                        Code::Syntax,
                        format!("expected a type for column `{}`, found `{}`", name.text, type_name.text),
                    )
                    .primary(type_name.span, "a column constraint, not a type")
                    .help(format!(
                        "write the type first: `{} text {} ...`",
                        name.text,
                        type_name.text.to_ascii_lowercase()
                    )),
                );
                // Reported; a placeholder keeps later stages from repeating it.
                ty.base = TypeBase::Keyword("text".into());
            }
        }
        ColumnDecl {
            docs,
            name,
            ty,
            constraints,
            collate,
            was,
            using,
            settings: settings.map(Box::new),
            span,
        }
    }

    fn column_type(&mut self, pair: Pair<Rule>) -> TypeExpr {
        let span = self.span(&pair);
        let mut base = TypeBase::Keyword(String::new());
        let mut modifiers = Vec::new();
        let mut array_dims = 0;
        for inner in pair.into_inner() {
            match inner.as_rule() {
                Rule::type_double => base = TypeBase::Keyword("double precision".into()),
                Rule::type_varying | Rule::type_time | Rule::type_interval => {
                    // The leading keyword is matched inline (no pair of its own).
                    let text = inner.as_str();
                    let first = text
                        .split(|c: char| !c.is_ascii_alphabetic())
                        .next()
                        .unwrap_or("")
                        .to_ascii_lowercase();
                    let mut words: Vec<String> = vec![first];
                    if inner.as_rule() == Rule::type_varying {
                        words.push("varying".into());
                    }
                    for part in inner.into_inner() {
                        match part.as_rule() {
                            Rule::type_modifiers => modifiers = self.modifiers(part),
                            Rule::with_time_zone => words.push("with time zone".into()),
                            Rule::without_time_zone => words.push("without time zone".into()),
                            Rule::interval_fields => words.push(
                                part.as_str()
                                    .split_whitespace()
                                    .collect::<Vec<_>>()
                                    .join(" ")
                                    .to_ascii_lowercase(),
                            ),
                            _ => {}
                        }
                    }
                    base = TypeBase::Keyword(words.join(" "));
                }
                Rule::type_named => {
                    for part in inner.into_inner() {
                        match part.as_rule() {
                            Rule::qualified_name => base = TypeBase::Named(self.qual_name(part)),
                            Rule::type_modifiers => modifiers = self.modifiers(part),
                            _ => {}
                        }
                    }
                }
                Rule::array_suffix => array_dims += 1,
                _ => {}
            }
        }
        TypeExpr {
            base,
            modifiers,
            array_dims,
            span,
        }
    }

    fn modifiers(&self, pair: Pair<Rule>) -> Vec<String> {
        pair.into_inner()
            .filter(|p| p.as_rule() == Rule::type_modifier)
            .map(|p| p.as_str().to_string())
            .collect()
    }

    fn column_list(&self, pair: Pair<Rule>) -> Vec<Name> {
        pair.into_inner()
            .filter(|p| p.as_rule() == Rule::ident)
            .map(|p| self.name(p))
            .collect()
    }

    fn column_constraint(&mut self, pair: Pair<Rule>) -> ColumnConstraint {
        let span = self.span(&pair);
        let mut name = None;
        let mut kind = ColumnConstraintKind::Null;
        for inner in pair.into_inner() {
            kind = match inner.as_rule() {
                Rule::constraint_name => {
                    name = inner
                        .into_inner()
                        .find(|p| p.as_rule() == Rule::ident)
                        .map(|p| self.name(p));
                    continue;
                }
                Rule::not_null => ColumnConstraintKind::NotNull,
                Rule::null => ColumnConstraintKind::Null,
                Rule::default => match inner.into_inner().find(|p| p.as_rule() == Rule::default_expr) {
                    Some(p) => ColumnConstraintKind::Default(self.expr(p)),
                    None => continue,
                },
                Rule::primary_key => ColumnConstraintKind::PrimaryKey(self.deferral(inner)),
                Rule::unique => {
                    let nulls_not_distinct = self.nulls_distinctness(&inner);
                    ColumnConstraintKind::Unique {
                        nulls_not_distinct,
                        deferral: self.deferral(inner),
                    }
                }
                Rule::check => ColumnConstraintKind::Check(self.check_clause(inner)),
                Rule::references => ColumnConstraintKind::References(Box::new(self.reference(inner))),
                Rule::identity => {
                    let always = inner.clone().into_inner().any(|p| p.as_rule() == Rule::identity_always);
                    let options = inner
                        .into_inner()
                        .filter(|p| p.as_rule() == Rule::identity_options)
                        .flat_map(|p| p.into_inner())
                        .filter_map(|p| self.sequence_option(p))
                        .collect();
                    ColumnConstraintKind::Identity { always, options }
                }
                Rule::generated => {
                    let kind = if inner
                        .clone()
                        .into_inner()
                        .any(|p| p.as_rule() == Rule::generated_virtual)
                    {
                        GeneratedKind::Virtual
                    } else {
                        GeneratedKind::Stored
                    };
                    match inner.into_inner().find(|p| p.as_rule() == Rule::paren_expr) {
                        Some(p) => ColumnConstraintKind::Generated(self.expr(p), kind),
                        None => continue,
                    }
                }
                _ => continue,
            };
        }
        ColumnConstraint { name, kind, span }
    }

    fn nulls_distinctness(&self, pair: &Pair<Rule>) -> Option<bool> {
        pair.clone().into_inner().find_map(|p| match p.as_rule() {
            Rule::nulls_not_distinct => Some(true),
            Rule::nulls_distinct => Some(false),
            _ => None,
        })
    }

    fn deferral(&self, pair: Pair<Rule>) -> Deferral {
        let mut deferral = Deferral::default();
        for inner in pair.into_inner() {
            match inner.as_rule() {
                Rule::deferrable => deferral.deferrable = Some(true),
                Rule::not_deferrable => deferral.deferrable = Some(false),
                Rule::initially_deferred => deferral.initially_deferred = Some(true),
                Rule::initially_immediate => deferral.initially_deferred = Some(false),
                _ => {}
            }
        }
        deferral
    }

    fn check_clause(&self, pair: Pair<Rule>) -> CheckClause {
        let mut clause = CheckClause {
            expr: Expr::empty(self.span(&pair)),
            no_inherit: false,
            not_valid: false,
        };
        for inner in pair.into_inner() {
            match inner.as_rule() {
                Rule::paren_expr => clause.expr = self.expr(inner),
                Rule::no_inherit => clause.no_inherit = true,
                Rule::not_valid => clause.not_valid = true,
                _ => {}
            }
        }
        clause
    }

    /// `references ...` (a column constraint) or the part of a table-level
    /// foreign key from `references` on.
    fn reference(&self, pair: Pair<Rule>) -> Reference {
        let span = self.span(&pair);
        let mut reference = Reference {
            table: QualName::empty(span),
            columns: Vec::new(),
            match_type: None,
            on_delete: None,
            on_update: None,
            deferral: Deferral::default(),
            not_valid: false,
            span,
        };
        let mut seen_table = false;
        for inner in pair.into_inner() {
            match inner.as_rule() {
                Rule::qualified_name => {
                    reference.table = self.qual_name(inner);
                    seen_table = true;
                }
                Rule::column_list if seen_table => reference.columns = self.column_list(inner),
                Rule::match_type => {
                    reference.match_type = inner.into_inner().find_map(|p| match p.as_rule() {
                        Rule::match_full => Some(MatchType::Full),
                        Rule::match_simple => Some(MatchType::Simple),
                        Rule::match_partial => Some(MatchType::Partial),
                        _ => None,
                    })
                }
                Rule::on_delete => reference.on_delete = self.action(inner),
                Rule::on_update => reference.on_update = self.action(inner),
                Rule::deferrable => reference.deferral.deferrable = Some(true),
                Rule::not_deferrable => reference.deferral.deferrable = Some(false),
                Rule::initially_deferred => reference.deferral.initially_deferred = Some(true),
                Rule::initially_immediate => reference.deferral.initially_deferred = Some(false),
                Rule::not_valid => reference.not_valid = true,
                _ => {}
            }
        }
        reference
    }

    fn action(&self, pair: Pair<Rule>) -> Option<Action> {
        let action = pair.into_inner().find(|p| {
            matches!(
                p.as_rule(),
                Rule::action_cascade
                    | Rule::action_restrict
                    | Rule::action_no_action
                    | Rule::action_set_null
                    | Rule::action_set_default
            )
        })?;
        let span = self.span(&action);
        let kind = match action.as_rule() {
            Rule::action_cascade => ActionKind::Cascade,
            Rule::action_restrict => ActionKind::Restrict,
            Rule::action_no_action => ActionKind::NoAction,
            Rule::action_set_null => ActionKind::SetNull,
            _ => ActionKind::SetDefault,
        };
        let columns = action
            .into_inner()
            .find(|p| p.as_rule() == Rule::column_list)
            .map(|p| self.column_list(p))
            .unwrap_or_default();
        Some(Action { kind, columns, span })
    }

    fn storage_params(&self, pair: Pair<Rule>) -> Vec<StorageParam> {
        pair.into_inner()
            .filter(|p| p.as_rule() == Rule::storage_param)
            .map(|p| {
                let span = self.span(&p);
                let mut name = String::new();
                let mut value = None;
                for part in p.into_inner() {
                    match part.as_rule() {
                        Rule::param_name => name = part.as_str().to_ascii_lowercase(),
                        Rule::param_value => value = Some(part.as_str().to_string()),
                        _ => {}
                    }
                }
                StorageParam { name, value, span }
            })
            .collect()
    }

    fn table_item(&mut self, pair: Pair<Rule>, docs: Vec<Doc>) -> Option<TableItem> {
        let span = self.span(&pair);
        let inner = pair.into_inner().next()?;
        let kind = match inner.as_rule() {
            Rule::constraint_item => TableItemKind::Constraint(self.constraint_item(inner)?),
            Rule::index_item => TableItemKind::Index(self.index_item(inner)),
            Rule::trigger_item => TableItemKind::Trigger(self.trigger_item(inner)?),
            Rule::policy_item => TableItemKind::Policy(self.policy_item(inner)?),
            Rule::cluster_on => {
                TableItemKind::ClusterOn(self.name(inner.into_inner().find(|p| p.as_rule() == Rule::ident)?))
            }
            Rule::statistics_item => {
                let mut name = None;
                let mut kinds = None;
                let mut targets = None;
                for part in inner.into_inner() {
                    match part.as_rule() {
                        Rule::ident => name = Some(self.name(part)),
                        Rule::statistics_kinds => {
                            kinds = part
                                .into_inner()
                                .find(|p| p.as_rule() == Rule::expr_text)
                                .map(|p| self.expr(p))
                        }
                        Rule::paren_expr => targets = Some(self.expr(part)),
                        _ => {}
                    }
                }
                TableItemKind::Statistics(StatisticsItem {
                    name: name?,
                    kinds,
                    targets: targets?,
                })
            }
            Rule::row_security => TableItemKind::RowSecurity {
                force: inner.into_inner().any(|p| p.as_rule() == Rule::row_security_force),
            },
            Rule::replica_identity => {
                let choice = inner.into_inner().find(|p| {
                    matches!(
                        p.as_rule(),
                        Rule::replica_full | Rule::replica_nothing | Rule::replica_default | Rule::replica_index
                    )
                })?;
                TableItemKind::ReplicaIdentity(match choice.as_rule() {
                    Rule::replica_full => ReplicaIdentity::Full,
                    Rule::replica_nothing => ReplicaIdentity::Nothing,
                    Rule::replica_default => ReplicaIdentity::Default,
                    _ => ReplicaIdentity::UsingIndex(
                        self.name(choice.into_inner().find(|p| p.as_rule() == Rule::ident)?),
                    ),
                })
            }
            _ => return None,
        };
        Some(TableItem { docs, kind, span })
    }

    fn constraint_item(&mut self, pair: Pair<Rule>) -> Option<ConstraintItem> {
        let mut name = None;
        let mut body = None;
        let mut was = None;
        for inner in pair.into_inner() {
            match inner.as_rule() {
                Rule::constraint_name => {
                    name = inner
                        .into_inner()
                        .find(|p| p.as_rule() == Rule::ident)
                        .map(|p| self.name(p))
                }
                Rule::was_clause => was = self.was(inner),
                Rule::pk_constraint | Rule::unique_constraint => {
                    let is_pk = inner.as_rule() == Rule::pk_constraint;
                    let nulls_not_distinct = self.nulls_distinctness(&inner);
                    let deferral = self.deferral(inner.clone());
                    let mut columns = Vec::new();
                    let mut include = Vec::new();
                    let mut with = Vec::new();
                    for part in inner.into_inner() {
                        match part.as_rule() {
                            Rule::column_list => columns = self.column_list(part),
                            Rule::include_clause => include = self.include(part),
                            Rule::with_params => with = self.storage_params(part),
                            _ => {}
                        }
                    }
                    body = Some(if is_pk {
                        ConstraintBody::PrimaryKey {
                            columns,
                            include,
                            with,
                            deferral,
                        }
                    } else {
                        ConstraintBody::Unique {
                            nulls_not_distinct,
                            columns,
                            include,
                            with,
                            deferral,
                        }
                    });
                }
                Rule::check_constraint => body = Some(ConstraintBody::Check(self.check_clause(inner))),
                Rule::fk_constraint => {
                    let columns = inner
                        .clone()
                        .into_inner()
                        .find(|p| p.as_rule() == Rule::column_list)
                        .map(|p| self.column_list(p));
                    body = Some(ConstraintBody::ForeignKey {
                        columns: columns.unwrap_or_default(),
                        reference: self.reference(inner),
                    });
                }
                Rule::exclude_constraint => body = Some(ConstraintBody::Exclude(self.exclusion(inner))),
                _ => {}
            }
        }
        Some(ConstraintItem { name, body: body?, was })
    }

    fn include(&self, pair: Pair<Rule>) -> Vec<Name> {
        pair.into_inner()
            .find(|p| p.as_rule() == Rule::column_list)
            .map(|p| self.column_list(p))
            .unwrap_or_default()
    }

    fn exclusion(&mut self, pair: Pair<Rule>) -> Exclusion {
        let deferral = self.deferral(pair.clone());
        let mut exclusion = Exclusion {
            method: None,
            elements: Vec::new(),
            include: Vec::new(),
            with: Vec::new(),
            predicate: None,
            deferral,
        };
        for inner in pair.into_inner() {
            match inner.as_rule() {
                Rule::using_clause => {
                    exclusion.method = inner
                        .into_inner()
                        .find(|p| p.as_rule() == Rule::ident)
                        .map(|p| self.name(p))
                }
                Rule::exclude_element => {
                    let operator = inner
                        .clone()
                        .into_inner()
                        .find(|p| p.as_rule() == Rule::operator)
                        .map(|p| p.as_str().to_string());
                    let element = self.index_element(inner);
                    exclusion.elements.push((element, operator.unwrap_or_default()));
                }
                Rule::include_clause => exclusion.include = self.include(inner),
                Rule::with_params => exclusion.with = self.storage_params(inner),
                Rule::where_clause => {
                    exclusion.predicate = inner
                        .into_inner()
                        .find(|p| p.as_rule() == Rule::paren_expr)
                        .map(|p| self.expr(p))
                }
                _ => {}
            }
        }
        exclusion
    }

    fn index_item(&mut self, pair: Pair<Rule>) -> IndexItem {
        let mut index = IndexItem {
            unique: false,
            name: None,
            nulls_not_distinct: None,
            method: None,
            elements: Vec::new(),
            include: Vec::new(),
            with: Vec::new(),
            predicate: None,
            was: None,
        };
        for inner in pair.into_inner() {
            match inner.as_rule() {
                Rule::unique_index => index.unique = true,
                Rule::index_name => {
                    index.name = inner
                        .into_inner()
                        .find(|p| p.as_rule() == Rule::ident)
                        .map(|p| self.name(p))
                }
                Rule::nulls_not_distinct => index.nulls_not_distinct = Some(true),
                Rule::nulls_distinct => index.nulls_not_distinct = Some(false),
                Rule::using_clause => {
                    index.method = inner
                        .into_inner()
                        .find(|p| p.as_rule() == Rule::ident)
                        .map(|p| self.name(p))
                }
                Rule::index_elements => {
                    index.elements = inner
                        .into_inner()
                        .filter(|p| p.as_rule() == Rule::index_element)
                        .map(|p| self.index_element(p))
                        .collect()
                }
                Rule::include_clause => index.include = self.include(inner),
                Rule::with_params => index.with = self.storage_params(inner),
                Rule::where_clause => {
                    index.predicate = inner
                        .into_inner()
                        .find(|p| p.as_rule() == Rule::paren_expr)
                        .map(|p| self.expr(p))
                }
                Rule::was_clause => index.was = self.was(inner),
                _ => {}
            }
        }
        index
    }

    fn index_element(&mut self, pair: Pair<Rule>) -> IndexElement {
        let span = self.span(&pair);
        let mut element = IndexElement {
            target: ElementTarget::Column(Name::empty(span)),
            collate: None,
            opclass: None,
            descending: None,
            nulls_first: None,
            span,
        };
        for inner in pair.into_inner() {
            match inner.as_rule() {
                Rule::paren_expr => element.target = ElementTarget::Expression(self.expr(inner)),
                Rule::function_call => element.target = ElementTarget::Call(self.expr(inner)),
                Rule::ident => element.target = ElementTarget::Column(self.name(inner)),
                Rule::collate_clause => {
                    element.collate = inner
                        .into_inner()
                        .find(|p| p.as_rule() == Rule::qualified_name)
                        .map(|p| self.qual_name(p))
                }
                Rule::opclass => {
                    let mut name = None;
                    let mut params = Vec::new();
                    for part in inner.into_inner() {
                        match part.as_rule() {
                            Rule::qualified_name => name = Some(self.qual_name(part)),
                            Rule::opclass_params => params = self.storage_params(part),
                            _ => {}
                        }
                    }
                    element.opclass = name.map(|n| (n, params));
                }
                Rule::asc => element.descending = Some(false),
                Rule::desc => element.descending = Some(true),
                Rule::nulls_first => element.nulls_first = Some(true),
                Rule::nulls_last => element.nulls_first = Some(false),
                _ => {}
            }
        }
        element
    }
}

/// The length of `text` without trailing whitespace and `//` comments.
fn content_len(text: &str) -> usize {
    let mut end = text.trim_end().len();
    // Only the last line can end in a comment: looking there alone keeps
    // this from scanning a whole table for every node inside it.
    let last_line = text.as_bytes()[..end].iter().rev().take_while(|&&b| b != b'\n');
    let mut slash_after = false;
    if !last_line
        .into_iter()
        .any(|&b| std::mem::replace(&mut slash_after, b == b'/') && b == b'/')
    {
        return end;
    }
    loop {
        let line_start = text[..end].rfind('\n').map_or(0, |i| i + 1);
        match line_comment_start(&text[line_start..end]) {
            Some(at) => end = text[..line_start + at].trim_end().len(),
            None => return end,
        }
    }
}

/// Where a `//` comment starts on one line, outside quotes.
fn line_comment_start(line: &str) -> Option<usize> {
    let bytes = line.as_bytes();
    let mut quote = None;
    for (i, &b) in bytes.iter().enumerate() {
        match (quote, b) {
            (Some(q), b) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'\'' | b'"') => quote = Some(b),
            (None, b'/') if bytes.get(i + 1) == Some(&b'/') => return Some(i),
            _ => {}
        }
    }
    None
}

/// Turns pest's failure into a diagnostic that names what was expected in
/// the language's own words.
fn syntax_error(file: FileId, text: &str, error: &pest::error::Error<Rule>) -> Diagnostic {
    let offset = match error.location {
        pest::error::InputLocation::Pos(p) => p,
        pest::error::InputLocation::Span((s, _)) => s,
    };
    let found = describe_found(text, offset);
    let found_len = found.1;
    let span = Span::new(file, offset..(offset + found_len).min(text.len()));
    let expected = match &error.variant {
        pest::error::ErrorVariant::ParsingError { positives, .. } => describe_expected(positives),
        pest::error::ErrorVariant::CustomError { message } => vec![message.clone()],
    };
    let message = match expected.as_slice() {
        [] => format!("unexpected {}", found.0),
        [one] => format!("expected {one}, found {}", found.0),
        many => {
            let (last, rest) = many.split_last().expect("many has at least two items");
            format!("expected {} or {last}, found {}", rest.join(", "), found.0)
        }
    };
    let label = if expected.is_empty() {
        "unexpected here".to_string()
    } else {
        format!("expected {}", expected.join(" or "))
    };
    if let Some(diagnostic) = missing_close_brace(file, text, offset) {
        return diagnostic;
    }
    let mut diagnostic = Diagnostic::new(Code::Syntax, message).primary(span, label);
    for hint in syntax_hints(text, offset) {
        diagnostic = diagnostic.help(hint);
    }
    diagnostic
}

/// A body left open: the error lands on the next declaration's line, which
/// the parser took for a column. Say what really happened.
fn missing_close_brace(file: FileId, text: &str, offset: usize) -> Option<Diagnostic> {
    let line_start = text[..offset.min(text.len())].rfind('\n').map_or(0, |i| i + 1);
    let line = &text[line_start..];
    let keyword = ["table ", "enum ", "sequence ", "extension ", "unlogged table "]
        .into_iter()
        .find(|k| line.get(..k.len()).is_some_and(|head| head.eq_ignore_ascii_case(k)))?;
    let mut depth = 0i32;
    let mut in_comment = false;
    let mut quote = None;
    let bytes = text.as_bytes();
    for (i, &b) in bytes[..line_start].iter().enumerate() {
        match (in_comment, quote, b) {
            (true, _, b'\n') => in_comment = false,
            (true, _, _) => {}
            (false, Some(q), b) if b == q => quote = None,
            (false, Some(_), _) => {}
            (false, None, b'\'' | b'"') => quote = Some(b),
            (false, None, b'/') if bytes.get(i + 1) == Some(&b'/') => in_comment = true,
            (false, None, b'{') => depth += 1,
            (false, None, b'}') => depth -= 1,
            _ => {}
        }
    }
    if depth <= 0 {
        return None;
    }
    let word = keyword.trim_end();
    Some(
        Diagnostic::new(Code::Syntax, format!("missing `}}` before this `{word}`"))
            .primary(
                Span::new(file, line_start..line_start + word.len()),
                "a new declaration starts here",
            )
            .help("the body above is not closed: add `}` at its end"),
    )
}

/// What stands at `offset`: a short description and its length in bytes.
fn describe_found(text: &str, offset: usize) -> (String, usize) {
    let rest = &text[offset.min(text.len())..];
    let Some(first) = rest.chars().next() else {
        return ("the end of the file".into(), 0);
    };
    if first == '\n' || first == '\r' {
        return ("the end of the line".into(), 0);
    }
    let word_len = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$'))
        .unwrap_or(rest.len());
    if word_len > 0 {
        return (format!("`{}`", &rest[..word_len]), word_len);
    }
    (format!("`{first}`"), first.len_utf8())
}

/// Hints for mistakes people make often, keyed on what stands at the error.
fn syntax_hints(text: &str, offset: usize) -> Vec<String> {
    let rest = &text[offset.min(text.len())..];
    let mut hints = Vec::new();
    if rest.starts_with(';') {
        hints.push("`.trellis` declarations do not end with `;`".into());
    }
    if rest.starts_with('"') && rest.trim_end().len() > 1 {
        hints.push("string values are written in single quotes ('like this'); double quotes are for names".into());
    }
    if rest.starts_with("--") {
        hints.push("comments start with `//` (and `///` for doc comments)".into());
    }
    hints
}

/// The expected rules, in words; groups of keywords become one phrase.
fn describe_expected(rules: &[Rule]) -> Vec<String> {
    const COLUMN_CONSTRAINT_WORDS: &[Rule] = &[
        Rule::kw_not,
        Rule::kw_null,
        Rule::kw_default,
        Rule::kw_primary,
        Rule::kw_unique,
        Rule::kw_check,
        Rule::kw_references,
        Rule::kw_generated,
        Rule::kw_constraint,
        Rule::kw_collate,
        Rule::kw_was,
    ];
    const DECLARATION_WORDS: &[Rule] = &[
        Rule::kw_schema,
        Rule::kw_extension,
        Rule::kw_domain,
        Rule::kw_enum,
        Rule::kw_sequence,
        Rule::kw_table,
        Rule::kw_unlogged,
    ];
    let mut words: Vec<String> = Vec::new();
    let mut push = |w: String| {
        if !words.contains(&w) {
            words.push(w);
        }
    };
    let constraint_words = rules.iter().filter(|r| COLUMN_CONSTRAINT_WORDS.contains(r)).count();
    let declaration_words = rules.iter().filter(|r| DECLARATION_WORDS.contains(r)).count();
    for rule in rules {
        if constraint_words >= 3 && COLUMN_CONSTRAINT_WORDS.contains(rule) {
            push("a column constraint (`not null`, `default ...`, `references ...`, ...)".into());
        } else if declaration_words >= 3 && DECLARATION_WORDS.contains(rule) {
            push("a declaration (`table`, `enum`, `domain`, `sequence`, `extension` or `schema`)".into());
        } else if let Some(description) = describe_rule(*rule) {
            push(description);
        }
    }
    words
}

fn describe_rule(rule: Rule) -> Option<String> {
    let name = format!("{rule:?}");
    if let Some(keyword) = name.strip_prefix("kw_") {
        return Some(format!("`{keyword}`"));
    }
    let text = match rule {
        Rule::EOI => "the end of the file",
        Rule::declaration
        | Rule::schema_decl
        | Rule::extension_decl
        | Rule::enum_decl
        | Rule::sequence_decl
        | Rule::table_decl => "a declaration (`table`, `enum`, `domain`, `sequence`, `extension` or `schema`)",
        Rule::doc => return None,
        Rule::table_entry
        | Rule::column_decl
        | Rule::column_name
        | Rule::table_item
        | Rule::constraint_item
        | Rule::index_item => "a column or a table item",
        Rule::ident | Rule::bare_ident | Rule::quoted_ident | Rule::qualified_name | Rule::index_name => "a name",
        Rule::column_path => "`table.column`",
        Rule::extension_name => "an extension name",
        Rule::column_type
        | Rule::type_named
        | Rule::type_double
        | Rule::type_varying
        | Rule::type_time
        | Rule::type_interval => "a type",
        Rule::type_modifiers | Rule::type_modifier => "type modifiers such as `(20)`",
        Rule::array_suffix => "`[]`",
        Rule::string_lit | Rule::enum_label => "a label in single quotes",
        Rule::signed_int => "a whole number",
        Rule::default_expr => "an expression",
        Rule::paren_expr | Rule::expr_text => "an expression in parentheses",
        Rule::function_call | Rule::index_element | Rule::index_elements => "a column or an expression in parentheses",
        Rule::exclude_element => "an element such as `room_id with =`",
        Rule::operator => "an operator",
        Rule::column_list => "a parenthesised list of columns",
        Rule::column_constraint
        | Rule::not_null
        | Rule::null
        | Rule::default
        | Rule::primary_key
        | Rule::unique
        | Rule::check => "a column constraint",
        Rule::references | Rule::identity | Rule::generated => "a column constraint",
        Rule::storage_param | Rule::param_name => "a parameter such as `fillfactor = 70`",
        Rule::param_value => "a parameter value",
        Rule::opclass => "an operator class",
        Rule::open_brace => "`{`",
        Rule::close_brace => "`}`",
        Rule::open_paren => "`(`",
        Rule::close_paren => "`)`",
        Rule::open_bracket => "`[`",
        Rule::close_bracket => "`]`",
        Rule::comma => "`,`",
        Rule::equals => "`=`",
        Rule::interval_fields => "interval fields such as `day to second`",
        Rule::array_size => "an array size",
        Rule::seq_as
        | Rule::seq_increment
        | Rule::seq_minvalue
        | Rule::seq_no_minvalue
        | Rule::seq_maxvalue
        | Rule::seq_no_maxvalue
        | Rule::seq_start
        | Rule::seq_cache
        | Rule::seq_cycle
        | Rule::seq_no_cycle
        | Rule::seq_owned_by
        | Rule::seq_owned_by_none
        | Rule::seq_name => {
            "a sequence option (`as`, `increment by`, `minvalue`, `maxvalue`, `start with`, `cache`, `cycle`, `owned by`)"
        }
        Rule::on_delete | Rule::on_update => "`on delete` or `on update`",
        _ => return None,
    };
    Some(text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_ok(text: &str) -> SourceFile {
        let (file, diagnostics) = parse_file(FileId(0), text);
        assert!(diagnostics.is_empty(), "{diagnostics:#?}");
        file.expect("parses")
    }

    /// A file of about a megabyte with everything that could mislead the cuts:
    /// doc comments above and loose, `//` comments, braces and declaration
    /// words inside strings (one spanning lines) and quoted names.
    fn large_file() -> String {
        let mut text = String::from("// header\n\nextension pgcrypto\n\n");
        for i in 0..16000 {
            match i % 6 {
                0 => text.push_str(&format!(
                    "/// Table {i}.\n/// More.\ntable t{i} {{\n  id bigint primary key\n  s text default '}} {{ ''x'''\n}}\n\n"
                )),
                1 => text.push_str(&format!("/// loose {i}\n\ntable t{i} {{\n  id int\n  check (id > 0)\n}}\n\n")),
                2 => text.push_str(&format!(
                    "// section {i}\ntable t{i} {{\n  \"}}\" text default '\ntable x {{\n'\n}}\n\n"
                )),
                3 => text.push_str(&format!("enum e{i} {{\n  'a'\n  'b'\n}}\n\n")),
                4 => text.push_str(&format!("table t{i} {{}}\nsequence s{i} {{\n  start 5\n}}\n\n")),
                _ => text.push_str(&format!("unlogged table t{i} {{\n  a int // }} {{\n}}\n\n")),
            }
        }
        text.push_str("/// trailing\n");
        text
    }

    #[test]
    fn a_large_file_parses_in_pieces_as_it_does_whole() {
        let text = large_file();
        assert!(text.len() > 3 * PIECE_SIZE);
        let cuts = pieces(&text);
        assert!(cuts.len() >= 3, "{} pieces", cuts.len());
        let line_starts: Vec<usize> = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        let whole = parse_range(FileId(0), &text, &line_starts, 0..text.len()).expect("parses whole");
        let pieced = parse_file(FileId(0), &text);
        assert_eq!(format!("{pieced:?}"), format!("{whole:?}"));
        for range in &cuts[1..] {
            let at = &text[range.start..];
            assert!(
                [
                    "//",
                    "table",
                    "enum",
                    "domain",
                    "unlogged",
                    "sequence",
                    "extension",
                    "schema"
                ]
                .iter()
                .any(|w| at.starts_with(w)),
                "cut at {:?}",
                &at[..at.len().min(30)]
            );
            let above = text[..range.start].trim_end();
            assert!(
                !above.rsplit('\n').next().unwrap_or("").starts_with("/// loose"),
                "a loose doc stays with what follows it"
            );
        }
    }

    #[test]
    fn a_syntax_error_in_a_large_file_reads_as_in_a_small_one() {
        let mut text = large_file();
        let middle = text.len() / 2;
        let at = text[middle..].find("\ntable").map_or(middle, |n| middle + n + 1);
        text.insert_str(at, "tabel oops {}\n");
        let (file, diagnostics) = parse_file(FileId(0), &text);
        assert!(file.is_none());
        assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
        let span = diagnostics[0].main_span().expect("a place");
        assert_eq!(span.start as usize, at);
    }

    #[test]
    fn a_table_item_on_the_next_line_is_not_a_column_constraint() {
        let file =
            parse_ok("table t {\n  a int unique\n  unique index t_a (a)\n  b int references x\n  check (b > 0)\n}");
        let Declaration::Table(table) = &file.declarations[0] else {
            panic!("a table")
        };
        assert_eq!(table.entries.len(), 4);
        assert!(
            matches!(&table.entries[1], TableEntry::Item(item) if matches!(&item.kind, TableItemKind::Index(i) if i.unique))
        );
        assert!(matches!(
            &table.entries[3],
            TableEntry::Item(item) if matches!(item.kind, TableItemKind::Constraint(_))
        ));
    }

    #[test]
    fn default_ends_at_the_line_or_a_constraint() {
        let file = parse_ok(
            "table t {\n  a text not null default 'x' unique\n  b timestamptz default now()\n  c int default (1 +\n 2) not null,\n}",
        );
        let Declaration::Table(table) = &file.declarations[0] else {
            panic!("a table")
        };
        let defaults: Vec<String> = table
            .entries
            .iter()
            .filter_map(|e| match e {
                TableEntry::Column(c) => c.constraints.iter().find_map(|k| match &k.kind {
                    ColumnConstraintKind::Default(e) => Some(e.text.clone()),
                    _ => None,
                }),
                _ => None,
            })
            .collect();
        assert_eq!(defaults, ["'x'", "now()", "(1 +\n 2)"]);
    }

    #[test]
    fn keyword_types_keep_all_their_words() {
        let file = parse_ok(
            "table t {\n  a timestamp\n  b timestamp(3) with time zone\n  c character varying(20)\n  d bit varying\n  e interval day to second(2)\n  f double precision\n  g time without time zone\n}",
        );
        let Declaration::Table(table) = &file.declarations[0] else {
            panic!("a table")
        };
        let types: Vec<String> = table
            .entries
            .iter()
            .map(|e| match e {
                TableEntry::Column(c) => match &c.ty.base {
                    TypeBase::Keyword(words) => format!("{words}{:?}", c.ty.modifiers),
                    TypeBase::Named(n) => n.name.text.clone(),
                },
                TableEntry::Item(_) => String::new(),
            })
            .collect();
        assert_eq!(
            types,
            [
                "timestamp[]",
                "timestamp with time zone[\"3\"]",
                "character varying[\"20\"]",
                "bit varying[]",
                "interval day to second[\"2\"]",
                "double precision[]",
                "time without time zone[]",
            ]
        );
    }

    #[test]
    fn a_misspelt_constraint_is_reported_as_such() {
        let (_, diagnostics) = parse_file(FileId(0), "table t {\n  id bigint primray key\n}");
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].code, Code::ItemsOnOneLine);
        assert_eq!(diagnostics[0].message, "`primray` is not a constraint of column `id`");
    }
}
