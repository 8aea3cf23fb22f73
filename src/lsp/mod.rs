//! `trellisc lsp`: a language server over stdio.
//!
//! It reuses the front end as `check` runs it (the whole schema directory
//! with the open editors' text in place of the files on disk) and the
//! formatter of `fmt`. When the file belongs to a project with revisions,
//! every declaration the next revision would change is marked with what
//! the revision would do to it.

mod text;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::rc::Rc;

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, DidSaveTextDocument, Notification as _,
    PublishDiagnostics,
};
use lsp_types::request::{Completion, DocumentSymbolRequest, Formatting, GotoDefinition, HoverRequest, Request as _};
use lsp_types::*;

use crate::diag::{self, FileId, Sources, Span};
use crate::ir::{Ident, QualifiedName, Schema};
use crate::plan::{self, FindingKind, PlanOptions};
use crate::project::Project;
use crate::syntax::LowerOptions;
use text::{LineIndex, path_of, uri_of};

/// Runs the server on standard input and output until the client says
/// `exit`.
pub fn run() -> Result<(), String> {
    let (connection, threads) = Connection::stdio();
    let capabilities = ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Kind(TextDocumentSyncKind::FULL)),
        definition_provider: Some(OneOf::Left(true)),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec![" ".into(), "(".into(), ",".into()]),
            ..CompletionOptions::default()
        }),
        document_formatting_provider: Some(OneOf::Left(true)),
        document_symbol_provider: Some(OneOf::Left(true)),
        ..ServerCapabilities::default()
    };
    let capabilities = serde_json::to_value(capabilities).map_err(|e| e.to_string())?;
    connection
        .initialize(capabilities)
        .map_err(|e| format!("the client did not initialize: {e}"))?;
    let mut server = Server::default();
    for message in &connection.receiver {
        match message {
            Message::Request(request) => {
                if connection.handle_shutdown(&request).map_err(|e| e.to_string())? {
                    break;
                }
                let response = server.request(request);
                send(&connection, Message::Response(response));
            }
            Message::Notification(notification) => {
                for out in server.notification(notification) {
                    send(&connection, Message::Notification(out));
                }
            }
            Message::Response(_) => {}
        }
    }
    drop(connection);
    threads.join().map_err(|e| e.to_string())
}

fn send(connection: &Connection, message: Message) {
    // The client has gone away when this fails; the loop ends with it.
    let _ = connection.sender.send(message);
}

/// The open documents, the files diagnostics were last published for, and
/// the last analysis (requests between two edits reuse it).
#[derive(Default)]
struct Server {
    open: BTreeMap<PathBuf, String>,
    published: BTreeSet<PathBuf>,
    /// Counts edits: an analysis is valid for the edit it was made after.
    edits: u64,
    last: std::cell::RefCell<Option<(PathBuf, u64, Rc<Analysis>)>>,
    /// The sizes of the project database's tables, read once in the
    /// background (when its variable is set) for the next revision's marks.
    sizes: Sizes,
}

/// Table sizes read from a project's database, by project file.
type Sizes = std::sync::Arc<std::sync::Mutex<BTreeMap<PathBuf, SizesOf>>>;

/// One project's table sizes: being read, read, or not to be had.
enum SizesOf {
    Reading,
    Read(BTreeMap<crate::ir::QualifiedName, plan::impact::TableSize>),
    None,
}

/// The sizes of the project's tables if they have been read; the first ask
/// starts reading them on a thread of their own (the editor never waits
/// for a database), from the database the project's variable names.
fn sizes_for(sizes: &Sizes, project: &Project) -> Option<BTreeMap<crate::ir::QualifiedName, plan::impact::TableSize>> {
    let mut known = sizes.lock().ok()?;
    match known.get(&project.file) {
        Some(SizesOf::Read(read)) => return Some(read.clone()),
        Some(_) => return None,
        None => {}
    }
    let Ok(url) = project.database_url(None) else {
        known.insert(project.file.clone(), SizesOf::None);
        return None;
    };
    known.insert(project.file.clone(), SizesOf::Reading);
    let file = project.file.clone();
    let shared = std::sync::Arc::clone(sizes);
    std::thread::spawn(move || {
        let read = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .ok()
            .and_then(|runtime| {
                runtime.block_on(async {
                    let database = crate::reflect::connect(&url).await.ok()?;
                    crate::reflect::all_table_sizes(&database).await.ok()
                })
            });
        if let Ok(mut known) = shared.lock() {
            known.insert(file, read.map_or(SizesOf::None, SizesOf::Read));
        }
    });
    None
}

/// One schema compiled: its files, in-memory text first.
struct Analysis {
    sources: Sources,
    files: Vec<(FileId, PathBuf)>,
    schema: Schema,
    diagnostics: Vec<diag::Diagnostic>,
    project: Option<Project>,
}

impl Analysis {
    fn file_id(&self, path: &Path) -> Option<FileId> {
        self.files.iter().find(|(_, p)| p == path).map(|(id, _)| *id)
    }

    fn path(&self, id: FileId) -> Option<&Path> {
        self.files.iter().find(|(i, _)| *i == id).map(|(_, p)| p.as_path())
    }

    fn location(&self, span: Span) -> Option<Location> {
        let path = self.path(span.file)?;
        let index = LineIndex::new(self.sources.text(span.file));
        Some(Location {
            uri: uri_of(path)?,
            range: index.range(span.start as usize, span.end as usize),
        })
    }

    fn default_schema(&self) -> Ident {
        self.project
            .as_ref()
            .map_or_else(|| Ident::new("public"), |p| p.default_schema.clone())
    }
}

impl Server {
    /// The analysis of a file's schema, reused until the next edit.
    fn analyse(&self, file: &Path) -> Rc<Analysis> {
        if let Some((path, edits, analysis)) = &*self.last.borrow() {
            if path == file && *edits == self.edits {
                return Rc::clone(analysis);
            }
        }
        let analysis = Rc::new(self.compile(file));
        *self.last.borrow_mut() = Some((file.to_path_buf(), self.edits, Rc::clone(&analysis)));
        analysis
    }

    /// The schema a file belongs to: its project's schema when it is in
    /// one, else every `.trellis` file of its directory.
    fn compile(&self, file: &Path) -> Analysis {
        let dir = file.parent().unwrap_or(Path::new("."));
        let project = Project::find(dir).ok().map(|mut p| {
            let root = p.file.parent().map(Path::to_path_buf).unwrap_or_default();
            p.schema = absolute(&root, &p.schema);
            p.versions = absolute(&root, &p.versions);
            p
        });
        let project = project.filter(|p| file.starts_with(&p.schema) && !file.starts_with(&p.versions));
        let root = project.as_ref().map_or(dir.to_path_buf(), |p| p.schema.clone());
        let mut paths: BTreeSet<PathBuf> = crate::load::schema_files(&root)
            .unwrap_or_default()
            .into_iter()
            .collect();
        if let Some(project) = &project {
            paths.retain(|p| !p.starts_with(&project.versions));
        }
        paths.insert(file.to_path_buf());
        let mut sources = Sources::new();
        let mut files = Vec::new();
        for path in paths {
            let text = match self.open.get(&path) {
                Some(text) => text.clone(),
                None => match std::fs::read_to_string(&path) {
                    Ok(text) => text,
                    Err(_) => continue,
                },
            };
            let id = sources.add(path.display().to_string(), text);
            files.push((id, path));
        }
        let ids: Vec<FileId> = files.iter().map(|(id, _)| *id).collect();
        let options = LowerOptions {
            default_schema: project
                .as_ref()
                .map_or_else(|| Ident::new("public"), |p| p.default_schema.clone()),
            roles: project.as_ref().map(|p| p.roles.clone()).unwrap_or_default(),
        };
        let (schema, diagnostics) = crate::load::compile_files(&sources, &ids, &options);
        Analysis {
            sources,
            files,
            schema,
            diagnostics,
            project,
        }
    }

    fn notification(&mut self, notification: Notification) -> Vec<Notification> {
        let changed = match notification.method.as_str() {
            DidOpenTextDocument::METHOD => notification
                .extract::<DidOpenTextDocumentParams>(DidOpenTextDocument::METHOD)
                .ok()
                .and_then(|p| {
                    let path = path_of(&p.text_document.uri)?;
                    self.open.insert(path.clone(), p.text_document.text);
                    Some(path)
                }),
            DidChangeTextDocument::METHOD => notification
                .extract::<DidChangeTextDocumentParams>(DidChangeTextDocument::METHOD)
                .ok()
                .and_then(|mut p| {
                    let path = path_of(&p.text_document.uri)?;
                    // Full sync: the last change holds the whole text.
                    let text = p.content_changes.pop()?.text;
                    self.open.insert(path.clone(), text);
                    Some(path)
                }),
            DidSaveTextDocument::METHOD => notification
                .extract::<DidSaveTextDocumentParams>(DidSaveTextDocument::METHOD)
                .ok()
                .and_then(|p| path_of(&p.text_document.uri)),
            DidCloseTextDocument::METHOD => notification
                .extract::<DidCloseTextDocumentParams>(DidCloseTextDocument::METHOD)
                .ok()
                .and_then(|p| {
                    let path = path_of(&p.text_document.uri)?;
                    self.open.remove(&path);
                    Some(path)
                }),
            _ => None,
        };
        match changed {
            Some(path) => {
                self.edits += 1;
                self.publish(&path)
            }
            None => Vec::new(),
        }
    }

    /// Diagnostics for every file of the schema `path` belongs to (an empty
    /// list clears a file that has none left).
    fn publish(&mut self, path: &Path) -> Vec<Notification> {
        let analysis = self.analyse(path);
        let mut by_file: BTreeMap<PathBuf, Vec<Diagnostic>> = BTreeMap::new();
        for (_, file) in &analysis.files {
            by_file.insert(file.clone(), Vec::new());
        }
        for diagnostic in &analysis.diagnostics {
            let Some(span) = diagnostic.main_span() else { continue };
            let Some(file) = analysis.path(span.file) else { continue };
            let converted = convert(&analysis, diagnostic, span);
            by_file.entry(file.to_path_buf()).or_default().push(converted);
        }
        if !analysis.diagnostics.iter().any(diag::Diagnostic::is_error) {
            let sizes = analysis.project.as_ref().and_then(|p| sizes_for(&self.sizes, p));
            for (file, diagnostic) in impact(&analysis, sizes.as_ref()) {
                by_file.entry(file).or_default().push(diagnostic);
            }
        }
        let stale: Vec<PathBuf> = self
            .published
            .iter()
            .filter(|p| p.starts_with(path.parent().unwrap_or(Path::new("/"))) && !by_file.contains_key(*p))
            .cloned()
            .collect();
        for path in stale {
            by_file.insert(path, Vec::new());
        }
        let mut out = Vec::new();
        for (file, diagnostics) in by_file {
            let Some(uri) = uri_of(&file) else { continue };
            self.published.insert(file);
            out.push(Notification::new(
                PublishDiagnostics::METHOD.to_string(),
                PublishDiagnosticsParams {
                    uri,
                    diagnostics,
                    version: None,
                },
            ));
        }
        out
    }

    fn request(&mut self, request: Request) -> Response {
        let id = request.id.clone();
        let result = match request.method.as_str() {
            GotoDefinition::METHOD => params::<GotoDefinitionParams>(request).map(|p| {
                let at = p.text_document_position_params;
                to_value(self.definition(&at.text_document.uri, at.position))
            }),
            HoverRequest::METHOD => params::<HoverParams>(request).map(|p| {
                let at = p.text_document_position_params;
                to_value(self.hover(&at.text_document.uri, at.position))
            }),
            Completion::METHOD => params::<CompletionParams>(request).map(|p| {
                let at = p.text_document_position;
                to_value(self.completion(&at.text_document.uri, at.position))
            }),
            Formatting::METHOD => {
                params::<DocumentFormattingParams>(request).map(|p| to_value(self.format(&p.text_document.uri)))
            }
            DocumentSymbolRequest::METHOD => params::<DocumentSymbolParams>(request)
                .map(|p| to_value(self.symbols(&p.text_document.uri).map(DocumentSymbolResponse::Nested))),
            other => Err((ErrorCode::MethodNotFound, format!("trellisc does not handle {other}"))),
        };
        match result {
            Ok(value) => Response::new_ok(id, value),
            Err((code, message)) => Response::new_err(id, code as i32, message),
        }
    }

    /// The text of a document: the editor's, else the file's.
    fn text(&self, path: &Path) -> Option<String> {
        self.open
            .get(path)
            .cloned()
            .or_else(|| std::fs::read_to_string(path).ok())
    }

    /// The analysis of the document's schema and the byte offset of a
    /// position in it.
    fn at(&self, uri: &Uri, position: Position) -> Option<(Rc<Analysis>, FileId, usize)> {
        let path = path_of(uri)?;
        let analysis = self.analyse(&path);
        let id = analysis.file_id(&path)?;
        let offset = LineIndex::new(analysis.sources.text(id)).offset(position);
        Some((analysis, id, offset))
    }

    fn definition(&self, uri: &Uri, position: Position) -> Option<GotoDefinitionResponse> {
        let (analysis, id, offset) = self.at(uri, position)?;
        let target = resolve(&analysis, id, offset)?;
        let location = analysis.location(target.span())?;
        Some(GotoDefinitionResponse::Scalar(location))
    }

    fn hover(&self, uri: &Uri, position: Position) -> Option<Hover> {
        let (analysis, id, offset) = self.at(uri, position)?;
        let target = resolve(&analysis, id, offset)?;
        let markdown = describe(&analysis, &target);
        Some(Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: markdown,
            }),
            range: None,
        })
    }

    fn completion(&self, uri: &Uri, position: Position) -> Option<CompletionResponse> {
        let (analysis, id, offset) = self.at(uri, position)?;
        let text = analysis.sources.text(id);
        let line_start = text[..offset.min(text.len())].rfind('\n').map_or(0, |i| i + 1);
        let before = &text[line_start..offset.min(text.len())];
        let default = analysis.default_schema();
        let table_names = || {
            analysis
                .schema
                .tables
                .keys()
                .map(|name| item(&display_name(name, &default), CompletionItemKind::CLASS, None))
                .collect::<Vec<_>>()
        };
        let columns_of = |table: &QualifiedName| {
            analysis.schema.tables.get(table).map(|t| {
                t.columns
                    .iter()
                    .map(|c| {
                        let detail = c.data_type.to_string();
                        item(c.name.as_str(), CompletionItemKind::FIELD, Some(detail))
                    })
                    .collect::<Vec<_>>()
            })
        };
        let items = match text::completion_context(before) {
            text::Context::TableName => Some(table_names()),
            text::Context::ReferencedColumn(table) => columns_of(&qualify(&table, &default)),
            text::Context::OwnColumn => enclosing_table(&analysis, id, offset).and_then(|name| columns_of(&name)),
            text::Context::Type => {
                let mut items: Vec<CompletionItem> = text::BUILTIN_TYPES
                    .iter()
                    .map(|t| item(t, CompletionItemKind::TYPE_PARAMETER, None))
                    .collect();
                items.extend(
                    analysis
                        .schema
                        .enums
                        .keys()
                        .map(|name| item(&display_name(name, &default), CompletionItemKind::ENUM, None)),
                );
                items.extend(
                    analysis
                        .schema
                        .domains
                        .keys()
                        .map(|name| item(&display_name(name, &default), CompletionItemKind::TYPE_PARAMETER, None)),
                );
                let schema = &analysis.schema;
                let made = schema.composites.keys().chain(schema.ranges.keys());
                items.extend(made.map(|name| item(&display_name(name, &default), CompletionItemKind::STRUCT, None)));
                Some(items)
            }
            text::Context::None => None,
        }?;
        Some(CompletionResponse::Array(items))
    }

    fn format(&self, uri: &Uri) -> Option<Vec<TextEdit>> {
        let path = path_of(uri)?;
        let text = self.text(&path)?;
        let (file, diagnostics) = crate::syntax::parse_file(FileId(0), &text);
        if diagnostics.iter().any(diag::Diagnostic::is_error) {
            return None;
        }
        let formatted = crate::syntax::format_file(&file?, &text);
        if formatted == text {
            return Some(Vec::new());
        }
        let index = LineIndex::new(&text);
        Some(vec![TextEdit {
            range: index.range(0, text.len()),
            new_text: formatted,
        }])
    }

    fn symbols(&self, uri: &Uri) -> Option<Vec<DocumentSymbol>> {
        use crate::syntax::ast::{Declaration, TableEntry};
        let path = path_of(uri)?;
        let text = self.text(&path)?;
        let (file, _) = crate::syntax::parse_file(FileId(0), &text);
        let index = LineIndex::new(&text);
        let range = |span: Span| index.range(span.start as usize, span.end as usize);
        #[allow(deprecated)] // `deprecated` is a required field of the type
        let symbol = |name: String, kind, whole: Span, selection: Span, children| DocumentSymbol {
            name,
            detail: None,
            kind,
            tags: None,
            deprecated: None,
            range: range(whole),
            selection_range: range(selection),
            children,
        };
        let mut out = Vec::new();
        for declaration in &file?.declarations {
            let (name, kind, span, name_span) = match declaration {
                Declaration::Table(t) => {
                    let columns = t
                        .entries
                        .iter()
                        .filter_map(|e| match e {
                            TableEntry::Column(c) => Some(symbol(
                                c.name.text.clone(),
                                SymbolKind::FIELD,
                                c.span,
                                c.name.span,
                                None,
                            )),
                            TableEntry::Item(_) => None,
                        })
                        .collect();
                    out.push(symbol(
                        qual_text(&t.name),
                        SymbolKind::STRUCT,
                        t.span,
                        t.name.span,
                        Some(columns),
                    ));
                    continue;
                }
                Declaration::Domain(d) => (qual_text(&d.name), SymbolKind::TYPE_PARAMETER, d.span, d.name.span),
                Declaration::Type(d) => (qual_text(&d.name), SymbolKind::STRUCT, d.span, d.name.span),
                Declaration::Enum(e) => (qual_text(&e.name), SymbolKind::ENUM, e.span, e.name.span),
                Declaration::Sequence(s) => (qual_text(&s.name), SymbolKind::VARIABLE, s.span, s.name.span),
                Declaration::Schema(x) => (x.name.text.clone(), SymbolKind::NAMESPACE, x.span, x.name.span),
                Declaration::Extension(x) => (x.name.text.clone(), SymbolKind::MODULE, x.span, x.name.span),
                Declaration::Collation(x) => (qual_text(&x.name), SymbolKind::CONSTANT, x.span, x.name.span),
                Declaration::Routine(r) => (qual_text(&r.name), SymbolKind::FUNCTION, r.span, r.name.span),
                Declaration::ViewTrigger(t) => (
                    t.trigger.name.text.clone(),
                    SymbolKind::EVENT,
                    t.span,
                    t.trigger.name.span,
                ),
                Declaration::Aggregate(a) => (qual_text(&a.name), SymbolKind::FUNCTION, a.span, a.name.span),
                // Grants name no object of their own.
                Declaration::Grant(_) => continue,
                Declaration::View(v) => (qual_text(&v.name), SymbolKind::INTERFACE, v.span, v.name.span),
                Declaration::ViewIndex(i) => (i.name.text.clone(), SymbolKind::KEY, i.span, i.name.span),
            };
            out.push(symbol(name, kind, span, name_span, None));
        }
        Some(out)
    }
}

fn qual_text(name: &crate::syntax::ast::QualName) -> String {
    match &name.schema {
        Some(schema) => format!("{}.{}", schema.text, name.name.text),
        None => name.name.text.clone(),
    }
}

fn absolute(root: &Path, path: &Path) -> PathBuf {
    if path.is_absolute() {
        path.to_path_buf()
    } else {
        root.join(path)
    }
}

fn params<P: serde::de::DeserializeOwned>(request: Request) -> Result<P, (ErrorCode, String)> {
    serde_json::from_value(request.params).map_err(|e| (ErrorCode::InvalidParams, e.to_string()))
}

fn to_value<T: serde::Serialize>(value: T) -> serde_json::Value {
    serde_json::to_value(value).unwrap_or(serde_json::Value::Null)
}

fn item(label: &str, kind: CompletionItemKind, detail: Option<String>) -> CompletionItem {
    CompletionItem {
        label: label.to_string(),
        kind: Some(kind),
        detail,
        ..CompletionItem::default()
    }
}

/// A name as the source would write it: unqualified in the default schema.
fn display_name(name: &QualifiedName, default: &Ident) -> String {
    if &name.schema == default {
        name.name.quoted()
    } else {
        name.quoted()
    }
}

fn qualify(text: &str, default: &Ident) -> QualifiedName {
    match text.split_once('.') {
        Some((schema, name)) => QualifiedName::new(Ident::from_source(schema), Ident::from_source(name)),
        None => QualifiedName::new(default.clone(), Ident::from_source(text)),
    }
}

/// A declaration a name in the source stands for.
enum Target {
    Table(QualifiedName, Span),
    Column(QualifiedName, Ident, Span),
    Enum(QualifiedName, Span),
    Domain(QualifiedName, Span),
    /// A composite or range type.
    Type(QualifiedName, Span),
    Sequence(QualifiedName, Span),
}

impl Target {
    fn span(&self) -> Span {
        match self {
            Target::Table(_, s)
            | Target::Column(_, _, s)
            | Target::Enum(_, s)
            | Target::Domain(_, s)
            | Target::Type(_, s)
            | Target::Sequence(_, s) => *s,
        }
    }
}

/// The table whose declaration holds `offset`.
fn enclosing_table(analysis: &Analysis, file: FileId, offset: usize) -> Option<QualifiedName> {
    let text = analysis.sources.text(file);
    analysis
        .schema
        .tables
        .values()
        .filter_map(|t| Some((t, t.origin.0?)))
        .filter(|(_, span)| span.file == file && (span.start as usize) <= offset)
        .filter(|(_, span)| text::closing_brace(text, span.end as usize).is_some_and(|end| offset <= end))
        .max_by_key(|(_, span)| span.start)
        .map(|(t, _)| t.name.clone())
}

/// What the word at `offset` names.
fn resolve(analysis: &Analysis, file: FileId, offset: usize) -> Option<Target> {
    let text = analysis.sources.text(file);
    let (range, word) = text::word_at(text, offset)?;
    let default = analysis.default_schema();
    let schema = &analysis.schema;
    let as_name = qualify(&word, &default);
    if let Some(t) = schema.tables.get(&as_name) {
        return Some(Target::Table(t.name.clone(), t.origin.0?));
    }
    if let Some(e) = schema.enums.get(&as_name) {
        return Some(Target::Enum(e.name.clone(), e.origin.0?));
    }
    if let Some(d) = schema.domains.get(&as_name) {
        return Some(Target::Domain(d.name.clone(), d.origin.0?));
    }
    if let Some(c) = schema.composites.get(&as_name) {
        return Some(Target::Type(c.name.clone(), c.origin.0?));
    }
    // A range type, or the multirange type PostgreSQL makes with it.
    if let Some(r) = schema
        .ranges
        .get(&as_name)
        .or_else(|| schema.ranges.values().find(|r| r.multirange_name() == as_name))
    {
        return Some(Target::Type(r.name.clone(), r.origin.0?));
    }
    if let Some(s) = schema.sequences.get(&as_name) {
        return Some(Target::Sequence(s.name.clone(), s.origin.0?));
    }
    let column = |table: &QualifiedName, name: &str| {
        let t = schema.tables.get(table)?;
        let c = t.column(&Ident::from_source(name))?;
        Some(Target::Column(t.name.clone(), c.name.clone(), c.origin.0?))
    };
    // `table.column` (as in `owned by`).
    if let Some((table, name)) = word.rsplit_once('.') {
        if let Some(found) = column(&qualify(table, &default), name) {
            return Some(found);
        }
    }
    let line_start = text[..range.start].rfind('\n').map_or(0, |i| i + 1);
    if let text::Context::ReferencedColumn(table) = text::completion_context(&text[line_start..range.start]) {
        return column(&qualify(&table, &default), &word);
    }
    column(&enclosing_table(analysis, file, offset)?, &word)
}

/// Markdown for a hover.
fn describe(analysis: &Analysis, target: &Target) -> String {
    let schema = &analysis.schema;
    let docs = |comment: &Option<String>| comment.as_ref().map(|c| format!("\n\n{c}")).unwrap_or_default();
    match target {
        Target::Table(name, _) => {
            let Some(t) = schema.tables.get(name) else {
                return String::new();
            };
            format!(
                "```trellis\ntable {}\n```\n{} column(s), {} constraint(s), {} index(es){}",
                name,
                t.columns.len(),
                t.constraints.len(),
                t.indexes.len(),
                docs(&t.comment)
            )
        }
        Target::Column(table, column, span) => {
            let text = analysis.sources.text(span.file);
            let start = text[..span.start as usize].rfind('\n').map_or(0, |i| i + 1);
            let end = text[span.start as usize..]
                .find('\n')
                .map_or(text.len(), |i| span.start as usize + i);
            let line = text[start..end].trim();
            let comment = schema
                .tables
                .get(table)
                .and_then(|t| t.column(column))
                .and_then(|c| c.comment.as_deref().map(str::to_string));
            format!("```trellis\n{line}\n```\ncolumn of table {table}{}", docs(&comment))
        }
        Target::Enum(name, _) => {
            let Some(e) = schema.enums.get(name) else {
                return String::new();
            };
            let labels: Vec<String> = e.labels.iter().map(|l| format!("'{}'", l.name)).collect();
            format!(
                "```trellis\nenum {name} {{ {} }}\n```{}",
                labels.join(", "),
                docs(&e.comment)
            )
        }
        Target::Domain(name, _) => {
            let Some(d) = schema.domains.get(name) else {
                return String::new();
            };
            let checks: Vec<String> = d
                .checks
                .values()
                .map(|c| format!(" check ({})", c.expr.as_str()))
                .collect();
            format!(
                "```trellis\ndomain {name} as {}{}{}{}\n```{}",
                d.data_type,
                if d.not_null { " not null" } else { "" },
                d.default
                    .as_ref()
                    .map(|e| format!(" default {}", e.as_str()))
                    .unwrap_or_default(),
                checks.concat(),
                docs(&d.comment)
            )
        }
        Target::Type(name, _) => {
            if let Some(c) = schema.composites.get(name) {
                let attributes: Vec<String> = c
                    .attributes
                    .iter()
                    .map(|a| match &a.collation {
                        Some(collation) => format!("{} {} collate {collation}", a.name, a.data_type),
                        None => format!("{} {}", a.name, a.data_type),
                    })
                    .collect();
                return format!(
                    "```trellis\ntype {name} as ({})\n```{}",
                    attributes.join(", "),
                    docs(&c.comment)
                );
            }
            let Some(r) = schema.ranges.get(name) else {
                return String::new();
            };
            let mut options = vec![format!("subtype = {}", r.subtype)];
            for (option, value) in [
                ("subtype_opclass", &r.subtype_opclass),
                ("collation", &r.collation),
                ("canonical", &r.canonical),
                ("subtype_diff", &r.subtype_diff),
            ] {
                if let Some(value) = value {
                    options.push(format!("{option} = {value}"));
                }
            }
            format!(
                "```trellis\ntype {name} as range ({})\n```\nits multirange type: {}{}",
                options.join(", "),
                r.multirange_name(),
                docs(&r.comment)
            )
        }
        Target::Sequence(name, _) => {
            let comment = schema.sequences.get(name).and_then(|s| s.comment.clone());
            format!("```trellis\nsequence {name}\n```{}", docs(&comment))
        }
    }
}

/// A trellisc diagnostic as the protocol's.
fn convert(analysis: &Analysis, diagnostic: &diag::Diagnostic, span: Span) -> Diagnostic {
    let index = LineIndex::new(analysis.sources.text(span.file));
    let mut message = diagnostic.message.clone();
    for help in &diagnostic.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    let related: Vec<DiagnosticRelatedInformation> = diagnostic
        .labels
        .iter()
        .filter(|l| !l.primary)
        .filter_map(|l| {
            Some(DiagnosticRelatedInformation {
                location: analysis.location(l.span)?,
                message: l.message.clone(),
            })
        })
        .collect();
    Diagnostic {
        range: index.range(span.start as usize, span.end as usize),
        severity: Some(match diagnostic.severity {
            diag::Severity::Error => DiagnosticSeverity::ERROR,
            diag::Severity::Warning => DiagnosticSeverity::WARNING,
            diag::Severity::Note => DiagnosticSeverity::INFORMATION,
        }),
        code: Some(NumberOrString::String(diagnostic.code.as_str().to_string())),
        source: Some("trellisc".into()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        ..Diagnostic::default()
    }
}

/// What the next revision would do, at each declaration it touches: the
/// head revision's snapshot against the schema being edited.
fn impact(
    analysis: &Analysis,
    sizes: Option<&BTreeMap<crate::ir::QualifiedName, plan::impact::TableSize>>,
) -> Vec<(PathBuf, Diagnostic)> {
    let Some(project) = &analysis.project else {
        return Vec::new();
    };
    let Ok(history) = crate::revision::History::load(&project.versions) else {
        return Vec::new();
    };
    let Ok(Some(head)) = history.head() else {
        return Vec::new();
    };
    let Ok(old) = head.snapshot() else { return Vec::new() };
    let mut upgrade = plan::upgrade(&old, &analysis.schema, PlanOptions::default());
    if let Some(sizes) = sizes {
        plan::impact::annotate(&mut upgrade, sizes);
    }
    let mut out = Vec::new();
    let fallback = analysis.files.first().map(|(id, _)| Span::new(*id, 0..0));
    for (i, step) in upgrade.steps.iter().enumerate() {
        let findings: Vec<&plan::Finding> = upgrade.findings.iter().filter(|f| f.step == i).collect();
        let table_span = step
            .change
            .table()
            .and_then(|t| analysis.schema.tables.get(t))
            .and_then(|t| t.origin.0);
        let what = crate::render::describe(&step.change);
        let mut said = false;
        for finding in &findings {
            let Some(span) = finding.origin.0.or(table_span).or(fallback) else {
                continue;
            };
            let severity = match finding.kind {
                FindingKind::Destructive | FindingKind::Risky => DiagnosticSeverity::WARNING,
                _ => DiagnosticSeverity::INFORMATION,
            };
            let kind = finding.kind.label();
            let size = step.impact.as_ref().map_or(String::new(), |impact| {
                format!(" (in the database: {})", impact.words())
            });
            out.extend(impact_diagnostic(
                analysis,
                span,
                severity,
                format!("next revision: {what}: {kind}: {}{size}", finding.message),
            ));
            said = true;
        }
        if !said {
            if let Some(span) = table_span.or(fallback) {
                out.extend(impact_diagnostic(
                    analysis,
                    span,
                    DiagnosticSeverity::INFORMATION,
                    format!("next revision: {what}"),
                ));
            }
        }
    }
    out
}

fn impact_diagnostic(
    analysis: &Analysis,
    span: Span,
    severity: DiagnosticSeverity,
    message: String,
) -> Option<(PathBuf, Diagnostic)> {
    let path = analysis.path(span.file)?.to_path_buf();
    let index = LineIndex::new(analysis.sources.text(span.file));
    Some((
        path,
        Diagnostic {
            range: index.range(span.start as usize, span.end as usize),
            severity: Some(severity),
            code: Some(NumberOrString::String("next-revision".into())),
            source: Some("trellisc".into()),
            message,
            ..Diagnostic::default()
        },
    ))
}
