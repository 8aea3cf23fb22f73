//! Syntax tree → Schema IR: names resolved and folded, types made
//! canonical, PostgreSQL's default names given to unnamed constraints and
//! indexes. Problems that the IR cannot represent (two things of one name,
//! contradictory clauses) are reported here; everything else is left to
//! `check`.

mod grants;
mod types;

use compact_str::CompactString;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use super::ast::{
    self, ColumnConstraintKind, ConstraintBody, Declaration, SequenceOptionKind, TableEntry, TableItemKind,
};
use crate::diag::{Code, Diagnostic, Span};
use crate::ir::naming::{choose_name, index_column_names, join_column_names};
use crate::ir::types::{resolve_builtin, resolve_catalog_name};
use crate::ir::*;

/// Settings that change how names resolve.
#[derive(Clone, Debug)]
pub struct LowerOptions {
    /// The schema unqualified names live in.
    pub default_schema: Ident,
    /// Roles whose grants are managed besides those the source grants to
    /// (`trellis.toml`'s `roles`).
    pub roles: Vec<Ident>,
}

impl Default for LowerOptions {
    fn default() -> Self {
        LowerOptions {
            default_schema: Ident::new("public"),
            roles: Vec::new(),
        }
    }
}

/// Lowers the files of one schema (in any order) into the IR. The syntax
/// trees are consumed as they are lowered, so that a large schema never
/// holds its whole syntax tree and its whole IR at once.
pub fn lower(files: Vec<ast::SourceFile>, options: &LowerOptions) -> (Schema, Vec<Diagnostic>) {
    let lowered = files.into_iter().map(|f| lower_file(f, options)).collect();
    finish(lowered, options)
}

/// One file half lowered: its tables (which need nothing from other files
/// until they are named) and its other declarations, kept for [`finish`].
pub struct LoweredFile {
    declarations: Vec<Declaration>,
    tables: Vec<PendingTable>,
    diagnostics: Vec<Diagnostic>,
}

/// Lowers the tables of one file (this can run on any thread, right after
/// the file is parsed) and keeps its other declarations.
pub fn lower_file(file: ast::SourceFile, options: &LowerOptions) -> LoweredFile {
    let mut lowerer = Lowerer {
        options: options.clone(),
        schema: Schema::default(),
        diagnostics: Vec::new(),
    };
    if let Some(doc) = file.trailing_docs.first() {
        lowerer.loose_doc(doc.span);
    }
    let mut declarations = Vec::new();
    let mut tables = Vec::new();
    for declaration in file.declarations {
        match declaration {
            Declaration::Table(d) => tables.extend(lowerer.table(&d)),
            other => declarations.push(other),
        }
    }
    LoweredFile {
        declarations,
        tables,
        diagnostics: lowerer.diagnostics,
    }
}

/// Lowers the remaining declarations of every file, then names and inserts
/// all tables.
pub fn finish(files: Vec<LoweredFile>, options: &LowerOptions) -> (Schema, Vec<Diagnostic>) {
    let mut lowerer = Lowerer {
        options: options.clone(),
        schema: Schema::default(),
        diagnostics: Vec::new(),
    };
    // Sized once: a table is several hundred bytes here, and a large schema
    // has many thousands.
    let mut pending = Vec::with_capacity(files.iter().map(|f| f.tables.len()).sum());
    let mut view_indexes = Vec::new();
    let mut view_triggers = Vec::new();
    let mut grants = Vec::new();
    for file in files {
        lowerer.diagnostics.extend(file.diagnostics);
        for declaration in &file.declarations {
            match declaration {
                Declaration::View(d) => lowerer.view(d),
                Declaration::ViewIndex(d) => view_indexes.push(d.clone()),
                Declaration::ViewTrigger(d) => view_triggers.push(d.clone()),
                Declaration::Schema(d) => lowerer.namespace(d),
                Declaration::Extension(d) => lowerer.extension(d),
                Declaration::Collation(d) => lowerer.collation(d),
                Declaration::Enum(d) => lowerer.enumeration(d),
                Declaration::Domain(d) => lowerer.domain(d),
                Declaration::Type(d) => lowerer.user_type(d),
                Declaration::Sequence(d) => lowerer.sequence(d),
                Declaration::Routine(d) => lowerer.routine(d),
                Declaration::Aggregate(d) => lowerer.aggregate(d),
                Declaration::Grant(d) => grants.push(d.clone()),
                Declaration::Table(_) => {}
            }
        }
        pending.extend(file.tables);
    }
    for table in &mut pending {
        lowerer.enum_checks(table);
    }
    lowerer.name_and_insert(pending);
    lowerer.partition_storage();
    for index in &view_indexes {
        lowerer.view_index(index);
    }
    for trigger in &view_triggers {
        lowerer.view_trigger(trigger);
    }
    lowerer.views_apart_from_tables();
    lowerer.privileges(&grants);
    (lowerer.schema, lowerer.diagnostics)
}

struct Lowerer {
    options: LowerOptions,
    schema: Schema,
    diagnostics: Vec<Diagnostic>,
}

/// How PostgreSQL would name an unnamed constraint or index.
#[derive(Clone, Debug)]
enum NameRule {
    PrimaryKey,
    Unique(Vec<String>),
    Exclusion(Vec<String>),
    Check(Option<String>),
    ForeignKey(Vec<String>),
    Index(Vec<String>),
}

struct PendingConstraint {
    name: Option<(Ident, Span)>,
    rule: NameRule,
    constraint: Constraint,
}

struct PendingIndex {
    name: Option<(Ident, Span)>,
    rule: NameRule,
    index: Index,
}

/// A table lowered but not yet named.
pub struct PendingTable {
    table: Table,
    /// Owned sequences of serial columns, named with the table.
    serials: Vec<(Ident, SqlType)>,
    identities: Vec<Ident>,
    constraints: Vec<PendingConstraint>,
    indexes: Vec<PendingIndex>,
}

fn origin(span: Span) -> Origin {
    Origin(Some(span))
}

impl Lowerer {
    /// A partition that names no access method or tablespace is made with
    /// its parent's (PostgreSQL's rule); then `heap` and `pg_default`, what
    /// a table has when it says nothing, become no choice at all, as
    /// PostgreSQL stores them.
    fn partition_storage(&mut self) {
        let tables = &self.schema.tables;
        let inherited = |name: &QualifiedName, pick: fn(&Table) -> &Option<Ident>| -> Option<Ident> {
            let mut seen = BTreeSet::new();
            let mut at = tables.get(name)?;
            loop {
                if let Some(value) = pick(at) {
                    return Some(value.clone());
                }
                let parent = &at.partition_of.as_ref()?.parent;
                if !seen.insert(parent.clone()) {
                    return None;
                }
                at = tables.get(parent)?;
            }
        };
        let resolved: Vec<(QualifiedName, Option<Ident>, Option<Ident>)> = tables
            .iter()
            .filter(|(_, t)| t.partition_of.is_some() && (t.access_method.is_none() || t.tablespace.is_none()))
            .map(|(name, _)| {
                (
                    name.clone(),
                    inherited(name, |t| &t.access_method),
                    inherited(name, |t| &t.tablespace),
                )
            })
            .collect();
        for (name, method, tablespace) in resolved {
            if let Some(table) = self.schema.tables.get_mut(&name) {
                table.access_method = method;
                table.tablespace = tablespace;
            }
        }
        for table in self.schema.tables.values_mut() {
            if table.access_method.as_ref().is_some_and(|m| m.as_str() == "heap") {
                table.access_method = None;
            }
            if table.tablespace.as_ref().is_some_and(|t| t.as_str() == "pg_default") {
                table.tablespace = None;
            }
        }
    }

    fn error(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    fn loose_doc(&mut self, span: Span) {
        self.error(
            Diagnostic::new(Code::LooseDocComment, "doc comment documents nothing")
                .primary(span, "no declaration follows this `///` comment")
                .help("use `//` for a comment that documents nothing, or move it above a declaration"),
        );
    }

    fn docs(&mut self, docs: &[ast::Doc]) -> Option<String> {
        if docs.is_empty() {
            return None;
        }
        if let [doc] = docs {
            if let Some(comment) = super::doc::unescape(&doc.text) {
                return Some(comment);
            }
        }
        Some(docs.iter().map(|d| d.text.as_str()).collect::<Vec<_>>().join("\n"))
    }

    /// An explicitly written name, checked against the 63-byte limit.
    fn ident(&mut self, name: &ast::Name) -> Ident {
        let ident = Ident::from_source(&name.text);
        if ident.as_str().is_empty() {
            self.error(
                Diagnostic::new(Code::Syntax, "empty quoted name")
                    .primary(name.span, "a name cannot be empty")
                    .help("write a name between the quotes"),
            );
        } else if !ident.fits() {
            self.error(
                Diagnostic::new(
                    Code::NameTooLong,
                    format!("`{}` is {} bytes long", ident.as_str(), ident.as_str().len()),
                )
                .primary(name.span, "PostgreSQL would cut this name to 63 bytes")
                .help("choose a name of at most 63 bytes; trellisc does not truncate names silently"),
            );
        }
        ident
    }

    fn qualify(&mut self, name: &ast::QualName) -> QualifiedName {
        let schema = match &name.schema {
            Some(s) => self.ident(s),
            None => self.options.default_schema.clone(),
        };
        QualifiedName::new(schema, self.ident(&name.name))
    }

    /// A collation's or operator class's name: a schema the search path
    /// looks in (`pg_catalog`, the default schema) is left out, as the
    /// database side leaves it out for what the search path finds.
    fn search_path_name(&mut self, name: &ast::QualName) -> SearchPathName {
        let schema = name
            .schema
            .as_ref()
            .map(|s| self.ident(s))
            .filter(|schema| schema.as_str() != "pg_catalog" && *schema != self.options.default_schema);
        SearchPathName {
            schema,
            name: self.ident(&name.name),
        }
    }

    /// A `was` on something that lives in a schema: unqualified means the
    /// same schema as the new name.
    fn was_qualified(
        &mut self,
        was: &Option<ast::QualName>,
        current: &QualifiedName,
    ) -> Option<Located<QualifiedName>> {
        let was = was.as_ref()?;
        let schema = match &was.schema {
            Some(s) => self.ident(s),
            None => current.schema.clone(),
        };
        Some(Located::new(
            QualifiedName::new(schema, self.ident(&was.name)),
            origin(was.span),
        ))
    }

    /// A `was` on something named within its table (column, constraint, index).
    fn was_plain(&mut self, was: Option<&ast::QualName>) -> Option<Located<Ident>> {
        let was = was?;
        if let Some(schema) = &was.schema {
            self.error(
                Diagnostic::new(
                    Code::MisplacedOption,
                    "a column, constraint or index `was` takes a plain name",
                )
                .primary(schema.span.to(was.name.span), "remove the schema")
                .help("only tables, enums and sequences move between schemas"),
            );
        }
        Some(Located::new(self.ident(&was.name), origin(was.span)))
    }

    fn namespace(&mut self, decl: &ast::SchemaDecl) {
        let name = self.ident(&decl.name);
        if let Some(first) = self.schema.schemas.get(&name) {
            let first = first.origin;
            self.duplicate(Code::DuplicateSchema, "schema", name.as_str(), decl.name.span, first);
            return;
        }
        let namespace = DeclaredSchema {
            name: name.clone(),
            comment: self.docs(&decl.docs),
            origin: origin(decl.name.span),
        };
        self.schema.schemas.insert(name, namespace);
    }

    fn extension(&mut self, decl: &ast::ExtensionDecl) {
        let name = self.ident(&decl.name);
        let extension = Extension {
            name: name.clone(),
            version: decl.version.as_ref().map(|v| v.value.clone()),
            schema: decl.schema.as_ref().map(|s| self.ident(s)),
            comment: self.docs(&decl.docs),
            origin: origin(decl.name.span),
        };
        if let Some(first) = self.schema.extensions.get(&name) {
            let first = first.origin;
            self.duplicate(
                Code::DuplicateExtension,
                "extension",
                name.as_str(),
                decl.name.span,
                first,
            );
            return;
        }
        self.schema.extensions.insert(name, extension);
    }

    fn collation(&mut self, decl: &ast::CollationDecl) {
        let name = self.qualify(&decl.name);
        let mut collation = Collation {
            name: name.clone(),
            provider: "libc".into(),
            locale: None,
            lc_collate: None,
            lc_ctype: None,
            deterministic: true,
            rules: None,
            comment: self.docs(&decl.docs),
            origin: origin(decl.name.name.span),
        };
        let mut seen: BTreeMap<&str, Span> = BTreeMap::new();
        for option in &decl.options {
            if let Some(first) = seen.insert(&option.name, option.span) {
                self.twice(option.span, first, &option.name);
                continue;
            }
            let value =
                option
                    .value
                    .as_deref()
                    .map(|v| match v.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')) {
                        Some(quoted) => quoted.replace("''", "'"),
                        None => v.to_string(),
                    });
            let Some(value) = value else {
                self.misplaced(
                    option.span,
                    &format!("`{}` needs a value", option.name),
                    "write it as `NAME = 'VALUE'`",
                );
                continue;
            };
            match option.name.as_str() {
                "provider" => match value.to_ascii_lowercase().as_str() {
                    provider @ ("libc" | "icu" | "builtin") => collation.provider = provider.to_string(),
                    _ => self.error(
                        Diagnostic::new(Code::InvalidSetting, format!("`{value}` is not a collation provider"))
                            .primary(option.span, "PostgreSQL's providers are `libc`, `icu` and `builtin`")
                            .help("write `provider = icu` or `provider = libc`"),
                    ),
                },
                "locale" => collation.locale = Some(value),
                "lc_collate" => collation.lc_collate = Some(value),
                "lc_ctype" => collation.lc_ctype = Some(value),
                "rules" => collation.rules = Some(value),
                "deterministic" => match value.to_ascii_lowercase().as_str() {
                    "true" | "on" | "yes" | "1" => collation.deterministic = true,
                    "false" | "off" | "no" | "0" => collation.deterministic = false,
                    _ => self.error(
                        Diagnostic::new(
                            Code::InvalidSetting,
                            format!("`deterministic` is `true` or `false`, not `{value}`"),
                        )
                        .primary(option.span, "not a boolean")
                        .help("write `deterministic = false` for a collation that compares by more than bytes"),
                    ),
                },
                // The version PostgreSQL records itself.
                "version" => {}
                other => self.error(
                    Diagnostic::new(
                        Code::InvalidSetting,
                        format!("`{other}` is not an option of a collation"),
                    )
                    .primary(option.span, "not a CREATE COLLATION option")
                    .help(
                        "a collation takes `provider`, `locale`, `lc_collate`, `lc_ctype`, `deterministic` and `rules`",
                    ),
                ),
            }
        }
        if collation.locale.is_none() && collation.lc_collate.is_none() && collation.lc_ctype.is_none() {
            self.error(
                Diagnostic::new(Code::InvalidSetting, format!("collation `{name}` has no locale"))
                    .primary(decl.name.name.span, "PostgreSQL needs a locale to create it")
                    .help("add `locale = 'de-DE'` (for ICU, a language tag such as 'und-u-ks-level2')"),
            );
        }
        if let Some(first) = self.schema.collations.get(&name) {
            let first = first.origin;
            self.duplicate(
                Code::DuplicateType,
                "collation",
                &name.to_string(),
                decl.name.name.span,
                first,
            );
            return;
        }
        self.schema.collations.insert(name, collation.normalized());
    }

    fn duplicate(&mut self, code: Code, kind: &str, name: &str, span: Span, first: Origin) {
        let mut diagnostic =
            Diagnostic::new(code, format!("{kind} `{name}` is declared twice")).primary(span, "declared again here");
        if let Some(first) = first.0 {
            diagnostic = diagnostic.secondary(first, "first declared here");
        }
        let help = if kind == "schema" {
            "remove one of them: a schema is declared once, with its doc comment".to_string()
        } else if kind == "type" {
            "rename one of them: enums, domains, composite and range types are types, and share their names with each other".to_string()
        } else if kind == "extension" {
            "remove one of them: an extension is declared once, with its doc comment".to_string()
        } else {
            format!("remove one of them, or rename it (a rename of an existing {kind} is written `was OLD_NAME`)")
        };
        self.error(diagnostic.help(help));
    }

    fn enumeration(&mut self, decl: &ast::EnumDecl) {
        let name = self.qualify(&decl.name);
        let mut labels: Vec<EnumLabel> = Vec::new();
        for label in &decl.labels {
            if let Some(first) = labels.iter().find(|l| l.name == label.value.value) {
                let first = first.origin;
                self.duplicate(
                    Code::DuplicateLabel,
                    "label",
                    &label.value.value,
                    label.value.span,
                    first,
                );
                continue;
            }
            // An empty label is valid PostgreSQL (`create type e as enum ('')`).
            if label.value.value.len() > 63 {
                self.error(
                    Diagnostic::new(Code::NameTooLong, "enum label longer than 63 bytes")
                        .primary(label.value.span, "PostgreSQL allows at most 63 bytes")
                        .help("shorten the label"),
                );
            }
            labels.push(EnumLabel {
                name: label.value.value.clone(),
                was: label
                    .was
                    .as_ref()
                    .map(|w| Located::new(w.value.clone(), origin(w.span))),
                origin: origin(label.value.span),
            });
        }
        if labels.is_empty() && !decl.as_check {
            self.error(
                Diagnostic::new(Code::EmptyEnum, format!("enum `{name}` has no labels"))
                    .primary(decl.name.span, "no labels")
                    .help("list its labels: enum NAME { 'first', 'second' }"),
            );
        }
        let enumeration = Enum {
            was: self.was_qualified(&decl.was, &name),
            storage: if decl.as_check {
                EnumStorage::Check
            } else {
                EnumStorage::Native
            },
            labels,
            comment: self.docs(&decl.docs),
            origin: origin(decl.name.span),
            name: name.clone(),
        };
        if let Some(first) = self.schema.enums.get(&name) {
            let first = first.origin;
            self.duplicate(Code::DuplicateEnum, "enum", &name.to_string(), decl.name.span, first);
            return;
        }
        if let Some(first) = self.declared_type(&name) {
            self.duplicate(Code::DuplicateType, "type", &name.to_string(), decl.name.span, first);
            return;
        }
        self.schema.enums.insert(name, enumeration);
    }

    fn domain(&mut self, decl: &ast::DomainDecl) {
        let name = self.qualify(&decl.name);
        let (data_type, serial) = self.column_type(&decl.ty);
        let mut domain = Domain {
            name: name.clone(),
            data_type,
            collation: decl.collate.as_ref().map(|c| self.search_path_name(c)),
            default: None,
            not_null: false,
            checks: BTreeMap::new(),
            comment: self.docs(&decl.docs),
            origin: origin(decl.name.name.span),
        };
        let not_here = |what: &str, span: Span| {
            Diagnostic::new(Code::NotOnDomain, format!("a domain cannot have {what}"))
                .primary(span, "not allowed on a domain")
                .help("a domain takes `not null`, `default`, `check (...)` (on `value`) and `collate`; keys, references, identity and generated columns belong to the columns of a table")
        };
        if serial {
            self.error(
                not_here("a serial type", decl.ty.span)
                    .help("use the integer type, with `default nextval('SEQUENCE')` if it needs one"),
            );
        }
        if let Some(span) = decl.settings {
            self.error(
                not_here("a column setting", span).help(
                    "statistics, storage, compression and `with (...)` are set on each column of the domain's type",
                ),
            );
        }
        if let Some(was) = &decl.was {
            self.error(not_here("a `was` hint", was.name.span).help("a renamed domain is dropped and created again: rename it by hand (`ALTER DOMAIN ... RENAME TO`) in a revision written with `trellisc revision --empty`"));
        }
        let mut default_span = None;
        let mut unnamed = Vec::new();
        for constraint in &decl.constraints {
            match &constraint.kind {
                ColumnConstraintKind::NotNull => domain.not_null = true,
                ColumnConstraintKind::Null => {}
                ColumnConstraintKind::Default(expr) => {
                    if let Some(first) = default_span.replace(constraint.span) {
                        self.twice(constraint.span, first, "default");
                    }
                    domain.default = Some(Expr::from_source(&expr.text));
                }
                ColumnConstraintKind::Check(check) => {
                    if check.no_inherit {
                        self.error(not_here("`no inherit`", constraint.span));
                    }
                    let built = DomainCheck {
                        name: Ident::new(""),
                        expr: Expr::from_source(&check.expr.text),
                        not_valid: check.not_valid,
                        origin: origin(constraint.span),
                    };
                    match &constraint.name {
                        Some(written) => {
                            let written = self.ident(written);
                            if let Some(first) = domain.checks.get(&written) {
                                let first = first.origin;
                                self.duplicate(
                                    Code::DuplicateConstraint,
                                    "check",
                                    written.as_str(),
                                    constraint.span,
                                    first,
                                );
                            }
                            domain
                                .checks
                                .insert(written.clone(), DomainCheck { name: written, ..built });
                        }
                        None => unnamed.push(built),
                    }
                }
                ColumnConstraintKind::PrimaryKey(_) => self.error(not_here("a primary key", constraint.span)),
                ColumnConstraintKind::Unique { .. } => self.error(not_here("a unique constraint", constraint.span)),
                ColumnConstraintKind::References(_) => self.error(not_here("a foreign key", constraint.span)),
                ColumnConstraintKind::Identity { .. } => self.error(not_here("an identity", constraint.span)),
                ColumnConstraintKind::Generated(..) => self.error(not_here("a generated expression", constraint.span)),
            }
        }
        // PostgreSQL names them in order: `<domain>_check`, `_check1`, ...
        for check in unnamed {
            let named = choose_name(name.name.as_str(), None, "check", |n| {
                domain.checks.contains_key(&Ident::new(n))
            });
            domain
                .checks
                .insert(named.clone(), DomainCheck { name: named, ..check });
        }
        if let Some(first) = self.declared_type(&name) {
            self.duplicate(
                Code::DuplicateType,
                "type",
                &name.to_string(),
                decl.name.name.span,
                first,
            );
            return;
        }
        self.schema.domains.insert(name, domain);
    }

    fn sequence(&mut self, decl: &ast::SequenceDecl) {
        let name = self.qualify(&decl.name);
        let (options, owned_by) = self.sequence_options(&decl.options, decl.name.span, None);
        let sequence = Sequence {
            was: self.was_qualified(&decl.was, &name),
            options,
            owned_by: owned_by.flatten(),
            comment: self.docs(&decl.docs),
            origin: origin(decl.name.span),
            name: name.clone(),
        };
        if let Some(first) = self.schema.sequences.get(&name) {
            let first = first.origin;
            self.duplicate(
                Code::DuplicateSequence,
                "sequence",
                &name.to_string(),
                decl.name.span,
                first,
            );
            return;
        }
        self.schema.sequences.insert(name, sequence);
    }

    /// Sequence options with PostgreSQL's defaults (`init_params`), and the
    /// `owned by` target if one was written. For an identity column,
    /// `identity` is the column's type, which is also the sequence's unless
    /// `as` says otherwise.
    #[allow(clippy::type_complexity)]
    fn sequence_options(
        &mut self,
        options: &[ast::SequenceOption],
        at: Span,
        identity: Option<&SqlType>,
    ) -> (SequenceOptions, Option<Option<Located<(QualifiedName, Ident)>>>) {
        let mut seen: BTreeMap<&'static str, Span> = BTreeMap::new();
        let mut data_type = match identity {
            Some(column_type) if column_type.integer_range().is_some() => column_type.clone(),
            _ => SqlType::builtin("bigint"),
        };
        let (mut increment, mut min, mut max, mut start, mut cache, mut cycle) = (1i64, None, None, None, 1i64, false);
        let mut owned_by = None;
        for option in options {
            let key = match &option.kind {
                SequenceOptionKind::As(_) => "as",
                SequenceOptionKind::IncrementBy(_) => "increment",
                SequenceOptionKind::MinValue(_) => "minvalue",
                SequenceOptionKind::MaxValue(_) => "maxvalue",
                SequenceOptionKind::StartWith(_) => "start",
                SequenceOptionKind::Cache(_) => "cache",
                SequenceOptionKind::Cycle(_) => "cycle",
                SequenceOptionKind::OwnedBy(_) => "owned by",
                SequenceOptionKind::SequenceName(_) => "sequence name",
            };
            if let Some(first) = seen.insert(key, option.span) {
                self.twice(option.span, first, key);
                continue;
            }
            match &option.kind {
                SequenceOptionKind::As(ty) => {
                    let resolved = self.column_type(ty).0;
                    if resolved.integer_range().is_none() {
                        self.error(
                            Diagnostic::new(
                                Code::InvalidSequence,
                                format!("a sequence cannot be of type `{resolved}`"),
                            )
                            .primary(ty.span, "not an integer type")
                            .help("use `as smallint`, `as integer` or `as bigint`"),
                        );
                    } else {
                        data_type = resolved;
                    }
                }
                SequenceOptionKind::IncrementBy(n) => increment = *n,
                SequenceOptionKind::MinValue(n) => min = *n,
                SequenceOptionKind::MaxValue(n) => max = *n,
                SequenceOptionKind::StartWith(n) => start = Some(*n),
                SequenceOptionKind::Cache(n) => cache = *n,
                SequenceOptionKind::Cycle(c) => cycle = *c,
                SequenceOptionKind::OwnedBy(target) => {
                    if identity.is_some() {
                        self.misplaced(
                            option.span,
                            "`owned by` is not an identity option",
                            "an identity sequence always belongs to its column",
                        );
                        continue;
                    }
                    owned_by = Some(target.as_ref().and_then(|path| self.owned_by_target(path, option.span)));
                }
                SequenceOptionKind::SequenceName(_) if identity.is_none() => {
                    self.misplaced(
                        option.span,
                        "`sequence name` is only an identity option",
                        "the sequence's name is the one after `sequence`",
                    );
                }
                SequenceOptionKind::SequenceName(_) => {}
            }
        }
        let (type_min, type_max) = data_type.integer_range().unwrap_or((i64::MIN, i64::MAX));
        if increment == 0 {
            self.error(
                Diagnostic::new(Code::InvalidSequence, "`increment by 0`")
                    .primary(seen.get("increment").copied().unwrap_or(at), "a sequence must move")
                    .help("use a positive or negative increment"),
            );
            increment = 1;
        }
        let max_value = max.unwrap_or(if increment > 0 { type_max } else { -1 });
        let min_value = min.unwrap_or(if increment > 0 { 1 } else { type_min });
        let start = start.unwrap_or(if increment > 0 { min_value } else { max_value });
        let mut problems = Vec::new();
        if min_value >= max_value {
            problems.push(format!(
                "minvalue ({min_value}) must be less than maxvalue ({max_value})"
            ));
        }
        if max_value > type_max || min_value < type_min {
            problems.push(format!("the values must fit in {data_type} ({type_min} to {type_max})"));
        }
        if start < min_value || start > max_value {
            problems.push(format!(
                "start ({start}) must lie between minvalue ({min_value}) and maxvalue ({max_value})"
            ));
        }
        if cache < 1 {
            problems.push(format!("cache ({cache}) must be at least 1"));
        }
        for problem in problems {
            self.error(
                Diagnostic::new(Code::InvalidSequence, format!("invalid sequence options: {problem}"))
                    .primary(at, "PostgreSQL would refuse these options")
                    .help("adjust `minvalue`, `maxvalue`, `start with` or `cache`"),
            );
        }
        let options = SequenceOptions {
            data_type,
            increment,
            min_value,
            max_value,
            start,
            cache,
            cycle,
        };
        (options, owned_by)
    }

    fn misplaced(&mut self, span: Span, message: &str, help: &str) {
        self.error(
            Diagnostic::new(Code::MisplacedOption, message)
                .primary(span, "not allowed here")
                .help(help),
        );
    }

    fn owned_by_target(&mut self, path: &[ast::Name], span: Span) -> Option<Located<(QualifiedName, Ident)>> {
        let parts: Vec<Ident> = path.iter().map(|n| self.ident(n)).collect();
        let (table, column) = match parts.as_slice() {
            [table, column] => (
                QualifiedName::new(self.options.default_schema.clone(), table.clone()),
                column.clone(),
            ),
            [schema, table, column] => (QualifiedName::new(schema.clone(), table.clone()), column.clone()),
            _ => return None,
        };
        Some(Located::new((table, column), origin(span)))
    }

    /// A type as the IR has it, and whether it was a serial type.
    fn column_type(&mut self, ty: &ast::TypeExpr) -> (SqlType, bool) {
        let modifiers: Vec<String> = ty.modifiers.iter().map(|m| m.trim().to_ascii_lowercase()).collect();
        let (words, qualified) = match &ty.base {
            ast::TypeBase::Keyword(words) => (words.clone(), None),
            ast::TypeBase::Named(name) => (String::new(), Some(name)),
        };
        let resolved = match qualified {
            None => resolve_builtin(&words, &modifiers),
            Some(name) => {
                let quoted = name.name.text.starts_with('"');
                let stored = Ident::from_source(&name.name.text);
                match name.schema.as_ref().map(|s| Ident::from_source(&s.text)) {
                    // As in PostgreSQL, a qualified or quoted name is a
                    // catalog name: `"char"` is the single-byte type.
                    Some(schema) if schema.as_str() == "pg_catalog" => {
                        resolve_catalog_name(stored.as_str(), &modifiers)
                    }
                    Some(_) => None,
                    // Other quoted names stay user types, so that a type
                    // called `text` can be written `"text"`.
                    None if quoted => matches!(stored.as_str(), "char" | "bit")
                        .then(|| resolve_catalog_name(stored.as_str(), &modifiers))
                        .flatten(),
                    None => resolve_builtin(stored.as_str(), &modifiers),
                }
            }
        };
        if let Some(resolved) = resolved {
            let sql = SqlType {
                name: TypeName::Builtin(resolved.canonical.to_string()),
                modifiers: resolved.modifiers,
                array_dims: ty.array_dims,
            };
            return (sql, resolved.serial);
        }
        let name = match qualified {
            Some(name) => self.qualify(name),
            None => QualifiedName::new(Ident::new("pg_catalog"), Ident::new(words)),
        };
        let modifiers = if ty.modifiers.is_empty() {
            None
        } else {
            Some(format!("({})", ty.modifiers.join(",")))
        };
        (
            SqlType {
                name: TypeName::User(Box::new(name)),
                modifiers: modifiers.map(String::into_boxed_str),
                array_dims: ty.array_dims,
            },
            false,
        )
    }
}

/// How PostgreSQL names an index expression column (`FigureIndexColname`):
/// a function's name, a column's name, a cast's operand or type, else `expr`.
fn expression_column_name(text: &str) -> String {
    let mut text = text.trim();
    while let Some(inner) = text.strip_prefix('(').and_then(|t| t.strip_suffix(')')) {
        if !balanced(inner) {
            break;
        }
        text = inner.trim();
    }
    // A cast at the top level: the operand's name, else the type's.
    if let Some(position) = top_level_cast(text) {
        let operand = expression_column_name(&text[..position]);
        if operand != "expr" {
            return operand;
        }
        let type_name = text[position + 2..].trim().trim_end_matches("[]");
        let last = type_name.rsplit('.').next().unwrap_or(type_name);
        let last = last.split('(').next().unwrap_or(last).trim();
        if is_word(last) {
            return Ident::from_source(last).as_str().to_string();
        }
        return "expr".into();
    }
    let word_end = text
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$' || c == '.' || c == '"'))
        .unwrap_or(text.len());
    let (head, rest) = text.split_at(word_end);
    let last = head.rsplit('.').next().unwrap_or(head);
    if !head.is_empty() && is_word(last) {
        let rest = rest.trim_start();
        let is_call = rest.starts_with('(') && rest.ends_with(')') && balanced(&rest[1..rest.len() - 1]);
        if rest.is_empty() || is_call {
            let name = Ident::from_source(last);
            return name.as_str().to_string();
        }
        if head.eq_ignore_ascii_case("case") && text.to_ascii_lowercase().ends_with("end") {
            return "case".into();
        }
    }
    "expr".into()
}

fn is_word(text: &str) -> bool {
    !text.is_empty() && (text.starts_with('"') || text.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '$'))
}

/// Whether parentheses balance in `text` (quotes respected).
fn balanced(text: &str) -> bool {
    let mut depth = 0i32;
    let mut quote = None;
    for c in text.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '(') => depth += 1,
            (None, ')') => {
                depth -= 1;
                if depth < 0 {
                    return false;
                }
            }
            _ => {}
        }
    }
    depth == 0
}

/// The byte position of the last `::` outside parentheses and quotes.
fn top_level_cast(text: &str) -> Option<usize> {
    let mut depth = 0i32;
    let mut quote = None;
    let mut last = None;
    let bytes = text.as_bytes();
    for (i, c) in text.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '(') => depth += 1,
            (None, ')') => depth -= 1,
            (None, ':') if depth == 0 && bytes.get(i + 1) == Some(&b':') && (i == 0 || bytes[i - 1] != b':') => {
                last = Some(i)
            }
            _ => {}
        }
    }
    last
}

/// The distinct column names an expression mentions, as PostgreSQL finds
/// its variables: words that name a column and are not a function call.
pub(crate) fn expression_columns(text: &str, columns: &[Ident]) -> BTreeSet<Ident> {
    let mut found = BTreeSet::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\'' {
            i += 1;
            while i < chars.len() {
                if chars[i] == '\'' {
                    if chars.get(i + 1) == Some(&'\'') {
                        i += 2;
                        continue;
                    }
                    break;
                }
                i += 1;
            }
            i += 1;
            continue;
        }
        let start = i;
        let word = if c == '"' {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                i += 1;
            }
            i += 1;
            Ident::from_source(&chars[start..i.min(chars.len())].iter().collect::<String>())
        } else if c.is_alphabetic() || c == '_' {
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_' || chars[i] == '$') {
                i += 1;
            }
            Ident::from_unquoted(&chars[start..i].iter().collect::<String>())
        } else {
            i += 1;
            continue;
        };
        let after = chars[i.min(chars.len())..].iter().find(|c| !c.is_whitespace());
        let before: String = chars[..start]
            .iter()
            .rev()
            .take_while(|c| !c.is_whitespace())
            .take(2)
            .collect();
        let is_call = after == Some(&'(');
        let is_cast_type = before.starts_with("::");
        let is_field = before.starts_with('.');
        let is_qualified = after == Some(&'.');
        if !is_call && !is_cast_type && !is_field && !is_qualified && columns.contains(&word) {
            found.insert(word);
        }
    }
    found
}

impl Lowerer {
    fn table(&mut self, decl: &ast::TableDecl) -> Option<PendingTable> {
        let name = self.qualify(&decl.name);
        let mut pending = PendingTable {
            table: Table {
                was: self.was_qualified(&decl.was, &name).map(Box::new),
                comment: self.docs(&decl.docs),
                unlogged: decl.unlogged,
                storage_params: self.storage_params(&decl.with),
                // Sized exactly: thousands of tables would otherwise keep a
                // third of their column space unused.
                columns: Vec::with_capacity(
                    decl.entries
                        .iter()
                        .filter(|e| matches!(e, TableEntry::Column(_)))
                        .count(),
                ),
                constraints: NameMap::new(),
                indexes: NameMap::new(),
                replica_identity: ReplicaIdentity::Default,
                triggers: BTreeMap::new(),
                row_security: Default::default(),
                policies: BTreeMap::new(),
                partition_by: decl
                    .partition_by
                    .as_deref()
                    .and_then(|(strategy, key)| self.partition_key(strategy, key)),
                partition_of: decl.partition_of.as_deref().and_then(|of| self.partition_of(of)),
                inherits: decl.inherits.iter().map(|parent| self.qualify(parent)).collect(),
                cluster_on: None,
                // As written; see `partition_storage`.
                access_method: decl.access_method.as_ref().map(|m| self.ident(m)),
                tablespace: decl.tablespace.as_ref().map(|t| self.ident(t)),
                statistics: BTreeMap::new(),
                origin: origin(decl.name.span),
                name: name.clone(),
            },
            serials: Vec::new(),
            identities: Vec::new(),
            constraints: Vec::new(),
            indexes: Vec::new(),
        };
        if !decl.trailing_docs.is_empty() {
            self.loose_doc(decl.trailing_docs[0].span);
        }
        // Columns first: table items refer to them.
        for entry in &decl.entries {
            if let TableEntry::Column(column) = entry {
                self.column(column, &mut pending);
            }
        }
        let column_names: Vec<Ident> = pending.table.columns.iter().map(|c| c.name.clone()).collect();
        // Column constraints before table items whatever the source order, as
        // in the canonical layout: generated names (and their numbering on
        // collision) then never depend on where an item was written.
        for entry in &decl.entries {
            if let TableEntry::Column(column) = entry {
                self.column_constraints(column, &column_names, &mut pending);
            }
        }
        for entry in &decl.entries {
            if let TableEntry::Item(item) = entry {
                self.table_item(item, &column_names, &mut pending);
            }
        }
        // Held until every table is lowered: grown by doubling, they would
        // keep a third of their room unused across thousands of tables.
        pending.constraints.shrink_to_fit();
        pending.indexes.shrink_to_fit();
        Some(pending)
    }

    fn storage_params(&mut self, params: &[ast::StorageParam]) -> Vec<StorageParam> {
        let mut result: Vec<StorageParam> = Vec::new();
        for param in params {
            if result.iter().any(|p| p.name == param.name) {
                self.error(
                    Diagnostic::new(
                        Code::DuplicateOption,
                        format!("storage parameter `{}` is given twice", param.name),
                    )
                    .primary(param.span, "given again here")
                    .help("keep one of them"),
                );
                continue;
            }
            let value = match &param.value {
                None => "true".to_string(),
                Some(v) if v.starts_with('\'') => v[1..v.len() - 1].replace("''", "'"),
                Some(v) => v.to_ascii_lowercase(),
            };
            result.push(StorageParam {
                name: param.name.clone(),
                value,
            });
        }
        result
    }

    fn column(&mut self, decl: &ast::ColumnDecl, pending: &mut PendingTable) {
        let name = self.ident(&decl.name);
        if let Some(first) = pending.table.columns.iter().find(|c| c.name == name) {
            let first = first.origin;
            self.duplicate(Code::DuplicateColumn, "column", name.as_str(), decl.name.span, first);
            return;
        }
        let (data_type, serial) = self.column_type(&decl.ty);
        let mut column = Column {
            name: name.clone(),
            was: self.was_plain(decl.was.as_deref()).map(Box::new),
            data_type: Located::new(data_type.clone(), origin(decl.ty.span)),
            not_null: false,
            default: None,
            identity: None,
            generated: None,
            generated_kind: GeneratedKind::Stored,
            collation: decl.collate.as_ref().map(|c| Box::new(self.search_path_name(c))),
            comment: self.docs(&decl.docs).map(String::into_boxed_str),
            using: decl
                .using
                .as_ref()
                .map(|expr| Box::new(Located::new(Expr::from_source(&expr.text), origin(expr.span)))),
            settings: decl
                .settings
                .as_deref()
                .and_then(|settings| self.column_settings(settings, &data_type)),
            origin: origin(decl.name.span),
        };
        let mut null_span = None;
        let mut not_null_span = None;
        let mut default_span = None;
        let mut identity_span = None;
        let mut generated_span = None;
        for constraint in &decl.constraints {
            match &constraint.kind {
                ColumnConstraintKind::NotNull => {
                    not_null_span = Some(constraint.span);
                    column.not_null = true;
                }
                ColumnConstraintKind::Null => null_span = Some(constraint.span),
                ColumnConstraintKind::Default(expr) => {
                    if let Some(first) = default_span.replace(constraint.span) {
                        self.twice(constraint.span, first, "default");
                    }
                    column.default = Some(Located::new(Expr::from_source(&expr.text), origin(expr.span)));
                }
                ColumnConstraintKind::Identity { always, options } => {
                    if let Some(first) = identity_span.replace(constraint.span) {
                        self.twice(constraint.span, first, "identity");
                    }
                    // `sequence name` as written; otherwise named with the
                    // table's other generated names (an empty name until then).
                    let mut sequence_name = QualifiedName::new(pending.table.name.schema.clone(), Ident::new(""));
                    for option in options.iter() {
                        if let SequenceOptionKind::SequenceName(written) = &option.kind {
                            let schema = match &written.schema {
                                Some(s) => self.ident(s),
                                None => pending.table.name.schema.clone(),
                            };
                            sequence_name = QualifiedName::new(schema, self.ident(&written.name));
                        }
                    }
                    let (options, _) = self.sequence_options(options, constraint.span, Some(&data_type));
                    column.identity = Some(Box::new(Identity {
                        always: *always,
                        sequence_name,
                        options,
                    }));
                    column.not_null = true;
                    pending.identities.push(name.clone());
                }
                ColumnConstraintKind::Generated(expr, kind) => {
                    if let Some(first) = generated_span.replace(constraint.span) {
                        self.twice(constraint.span, first, "generated");
                    }
                    column.generated = Some(Box::new(Located::new(Expr::from_source(&expr.text), origin(expr.span))));
                    column.generated_kind = *kind;
                }
                ColumnConstraintKind::PrimaryKey(_) => column.not_null = true,
                _ => {}
            }
        }
        let conflicts = [
            (null_span, not_null_span, "`null` and `not null`", "keep one of them"),
            (
                identity_span,
                default_span,
                "an identity and a default",
                "an identity column takes its values from its sequence: remove the default",
            ),
            (
                identity_span,
                generated_span,
                "an identity and a generated expression",
                "keep one of them",
            ),
            (
                generated_span,
                default_span,
                "a generated expression and a default",
                "a generated column is computed: remove the default",
            ),
            (
                null_span,
                identity_span,
                "`null` and an identity",
                "identity columns are always not null: remove `null`",
            ),
        ];
        for (a, b, what, help) in conflicts {
            if let (Some(a), Some(b)) = (a, b) {
                self.error(
                    Diagnostic::new(Code::ConflictingConstraints, format!("column `{name}` has {what}"))
                        .primary(a.max(b), "contradicts")
                        .secondary(a.min(b), "this")
                        .help(help),
                );
            }
        }
        if null_span.is_some()
            && decl
                .constraints
                .iter()
                .any(|c| matches!(c.kind, ColumnConstraintKind::PrimaryKey(_)))
        {
            let span = null_span.unwrap_or(decl.span);
            self.error(
                Diagnostic::new(
                    Code::ConflictingConstraints,
                    format!("column `{name}` is `null` and a primary key"),
                )
                .primary(span, "a primary key column is never null")
                .help("remove `null`"),
            );
        }
        if serial {
            column.not_null = true;
            pending.serials.push((name.clone(), data_type));
        }
        pending.table.columns.push(column);
    }

    /// `partition by STRATEGY (KEY)`, read with PostgreSQL's parser.
    fn partition_key(&mut self, strategy: &str, key: &ast::Expr) -> Option<Box<PartitionKey>> {
        let text = crate::sql::one_line(&key.text);
        match crate::sql::tree::partition_key(strategy, &text) {
            Ok(canonical) => Some(Box::new(PartitionKey {
                strategy: strategy.to_string(),
                key: text,
                canonical,
            })),
            Err(message) => {
                self.invalid_sql(key.span, "partition key", &message);
                None
            }
        }
    }

    /// `partition of PARENT BOUND`, the bound read with PostgreSQL's parser.
    fn partition_of(&mut self, of: &ast::PartitionOf) -> Option<Box<PartitionOf>> {
        let bound = crate::sql::one_line(&of.bound.text);
        let bound = if bound.eq_ignore_ascii_case("default") {
            "DEFAULT".to_string()
        } else {
            bound
        };
        match crate::sql::tree::partition_bound(&bound) {
            Ok(canonical) => Some(Box::new(PartitionOf {
                parent: self.qualify(&of.parent),
                bound,
                canonical,
            })),
            Err(message) => {
                self.invalid_sql(of.bound.span, "partition bound", &message);
                None
            }
        }
    }

    /// A column's settings, checked as PostgreSQL would; those equal to the
    /// defaults are left out, as the catalog leaves them.
    fn column_settings(&mut self, decl: &ast::ColumnSettings, data_type: &SqlType) -> Option<Box<ColumnSettings>> {
        let mut settings = ColumnSettings::default();
        if let Some((text, span)) = &decl.statistics {
            match text.parse::<i32>() {
                Ok(-1) => {}
                Ok(n @ 0..=10000) => settings.statistics = Some(n),
                _ => self.error(
                    Diagnostic::new(
                        Code::InvalidSetting,
                        format!("statistics target {text} is out of range"),
                    )
                    .primary(*span, "PostgreSQL takes 0 to 10000, or -1 for the default")
                    .help("`statistics 1000` samples ten times the default; remove it for the default"),
                ),
            }
        }
        if let Some((kind, span)) = &decl.storage {
            match default_storage(data_type) {
                Some(own) if own == kind => {}
                Some("plain") => self.error(
                    Diagnostic::new(
                        Code::InvalidSetting,
                        format!("a column of type {data_type} can only have storage plain"),
                    )
                    .primary(*span, "a fixed-size type is always stored in the row")
                    .help("remove the storage setting"),
                ),
                _ => settings.storage = Some(kind.clone()),
            }
        }
        if let Some((method, span)) = &decl.compression {
            match method.as_str() {
                "pglz" | "lz4" => settings.compression = Some(method.clone()),
                "default" => {}
                _ => self.error(
                    Diagnostic::new(Code::InvalidSetting, format!("`{method}` is not a compression method"))
                        .primary(*span, "PostgreSQL compresses with `pglz` or `lz4`")
                        .help("write `compression lz4` or `compression pglz`"),
                ),
            }
        }
        if let Some((params, _)) = &decl.options {
            for param in params {
                if !matches!(param.name.as_str(), "n_distinct" | "n_distinct_inherited") {
                    self.error(
                        Diagnostic::new(Code::InvalidSetting, format!("`{}` is not a column option", param.name))
                            .primary(param.span, "PostgreSQL's column options are `n_distinct` and `n_distinct_inherited`")
                            .help("storage parameters such as `fillfactor` go after the table's name: `table NAME with (fillfactor = 70) { ... }`"),
                    );
                } else if param
                    .value
                    .as_deref()
                    .and_then(|v| v.parse::<f64>().ok())
                    .is_none_or(|v| v < -1.0)
                {
                    self.error(
                        Diagnostic::new(Code::InvalidSetting, format!("`{}` needs a number", param.name))
                            .primary(
                                param.span,
                                "a count of distinct values, or -1 to 0 for a fraction of the rows",
                            )
                            .help(format!(
                                "write `{} = -0.5` (half the rows are distinct) or `{} = 100`",
                                param.name, param.name
                            )),
                    );
                }
            }
            settings.options = self.storage_params(params);
            settings.options.sort();
        }
        settings.boxed()
    }

    fn twice(&mut self, again: Span, first: Span, what: &str) {
        self.error(Diagnostic::given_twice(what, again, first));
    }

    fn located_columns(&mut self, names: &[ast::Name]) -> Vec<Located<Ident>> {
        names
            .iter()
            .map(|n| Located::new(self.ident(n), origin(n.span)))
            .collect()
    }

    fn constraint_name(&mut self, name: &Option<ast::Name>) -> Option<(Ident, Span)> {
        name.as_ref().map(|n| (self.ident(n), n.span))
    }

    fn new_constraint(
        &mut self,
        kind: ConstraintKind,
        deferral: &ast::Deferral,
        not_valid: bool,
        span: Span,
    ) -> Constraint {
        Constraint {
            name: Ident::new(""),
            was: None,
            kind,
            deferrable: deferral.deferrable.unwrap_or(false) || deferral.initially_deferred == Some(true),
            initially_deferred: deferral.initially_deferred.unwrap_or(false),
            not_valid,
            comment: None,
            named: false,
            origin: origin(span),
        }
    }

    fn column_constraints(&mut self, decl: &ast::ColumnDecl, columns: &[Ident], pending: &mut PendingTable) {
        let column = Ident::from_source(&decl.name.text);
        let column_located = vec![Located::new(column.clone(), origin(decl.name.span))];
        for constraint in &decl.constraints {
            let name = self.constraint_name(&constraint.name);
            let (rule, item) = match &constraint.kind {
                ColumnConstraintKind::PrimaryKey(deferral) => (
                    NameRule::PrimaryKey,
                    self.new_constraint(
                        ConstraintKind::PrimaryKey {
                            columns: column_located.clone(),
                            include: Vec::new(),
                            storage_params: Vec::new(),
                        },
                        deferral,
                        false,
                        constraint.span,
                    ),
                ),
                ColumnConstraintKind::Unique {
                    nulls_not_distinct,
                    deferral,
                } => (
                    NameRule::Unique(vec![column.as_str().to_string()]),
                    self.new_constraint(
                        ConstraintKind::Unique {
                            columns: column_located.clone(),
                            include: Vec::new(),
                            nulls_not_distinct: nulls_not_distinct.unwrap_or(false),
                            storage_params: Vec::new(),
                        },
                        deferral,
                        false,
                        constraint.span,
                    ),
                ),
                ColumnConstraintKind::Check(check) => self.check(check, columns, constraint.span),
                ColumnConstraintKind::References(reference) => {
                    self.foreign_key(&column_located, reference, constraint.span)
                }
                _ => continue,
            };
            pending.constraints.push(PendingConstraint {
                name,
                rule,
                constraint: item,
            });
        }
    }

    /// A column of an `as check` enum carries the enum's check (added once
    /// every file's enums are known).
    fn enum_checks(&self, pending: &mut PendingTable) {
        for column in &pending.table.columns {
            let TypeName::User(enum_name) = &column.data_type.name else {
                continue;
            };
            if column.data_type.array_dims != 0
                || self
                    .schema
                    .enums
                    .get(enum_name)
                    .is_none_or(|e| e.storage != EnumStorage::Check)
            {
                continue;
            }
            let constraint = Constraint {
                name: Ident::new(""),
                was: None,
                kind: ConstraintKind::EnumCheck {
                    column: column.name.clone(),
                    enum_name: (**enum_name).clone(),
                },
                deferrable: false,
                initially_deferred: false,
                not_valid: false,
                comment: Some(enum_check_marker(
                    enum_name,
                    self.schema.enums.get(enum_name).and_then(|e| e.comment.as_deref()),
                )),
                named: false,
                origin: column.data_type.origin,
            };
            pending.constraints.push(PendingConstraint {
                name: None,
                rule: NameRule::Check(Some(column.name.as_str().to_string())),
                constraint,
            });
        }
    }

    fn check(&mut self, check: &ast::CheckClause, columns: &[Ident], span: Span) -> (NameRule, Constraint) {
        let expr = Expr::from_source(&check.expr.text);
        let used = expression_columns(expr.as_str(), columns);
        let single = if used.len() == 1 {
            used.iter().next().map(|c| c.as_str().to_string())
        } else {
            None
        };
        let kind = ConstraintKind::Check {
            expr: Located::new(expr, origin(check.expr.span)),
            no_inherit: check.no_inherit,
        };
        (
            NameRule::Check(single),
            self.new_constraint(kind, &ast::Deferral::default(), check.not_valid, span),
        )
    }

    fn foreign_key(
        &mut self,
        columns: &[Located<Ident>],
        reference: &ast::Reference,
        span: Span,
    ) -> (NameRule, Constraint) {
        let action = |a: &Option<ast::Action>| match a.as_ref().map(|a| a.kind) {
            None | Some(ast::ActionKind::NoAction) => ReferentialAction::NoAction,
            Some(ast::ActionKind::Restrict) => ReferentialAction::Restrict,
            Some(ast::ActionKind::Cascade) => ReferentialAction::Cascade,
            Some(ast::ActionKind::SetNull) => ReferentialAction::SetNull,
            Some(ast::ActionKind::SetDefault) => ReferentialAction::SetDefault,
        };
        if let Some(update) = &reference.on_update {
            if !update.columns.is_empty() {
                self.misplaced(
                    update.span,
                    "a column list is only allowed with `on delete set null|default`",
                    "remove the column list",
                );
            }
        }
        let on_delete_columns = reference
            .on_delete
            .as_ref()
            .map(|a| a.columns.iter().map(|c| self.ident(c)).collect())
            .unwrap_or_default();
        let table = self.qualify(&reference.table);
        let foreign_key = ForeignKey {
            columns: columns.to_vec(),
            referenced_table: Located::new(table, origin(reference.table.span)),
            referenced_columns: self.located_columns(&reference.columns),
            match_type: match reference.match_type {
                None | Some(ast::MatchType::Simple) => MatchType::Simple,
                Some(ast::MatchType::Full) => MatchType::Full,
                Some(ast::MatchType::Partial) => MatchType::Partial,
            },
            on_delete: action(&reference.on_delete),
            on_update: action(&reference.on_update),
            on_delete_columns,
        };
        let rule = NameRule::ForeignKey(columns.iter().map(|c| c.as_str().to_string()).collect());
        let constraint = self.new_constraint(
            ConstraintKind::ForeignKey(Box::new(foreign_key)),
            &reference.deferral,
            reference.not_valid,
            span,
        );
        (rule, constraint)
    }

    fn table_item(&mut self, item: &ast::TableItem, columns: &[Ident], pending: &mut PendingTable) {
        match &item.kind {
            TableItemKind::Constraint(constraint) => {
                let name = self.constraint_name(&constraint.name);
                let (rule, mut built) = match &constraint.body {
                    ConstraintBody::PrimaryKey {
                        columns: cols,
                        include,
                        with,
                        deferral,
                    } => {
                        let cols = self.located_columns(cols);
                        for column in &mut pending.table.columns {
                            if cols.iter().any(|c| c.value == column.name) {
                                column.not_null = true;
                            }
                        }
                        let include = self.located_columns(include);
                        let storage_params = self.storage_params(with);
                        (
                            NameRule::PrimaryKey,
                            self.new_constraint(
                                ConstraintKind::PrimaryKey {
                                    columns: cols,
                                    include,
                                    storage_params,
                                },
                                deferral,
                                false,
                                item.span,
                            ),
                        )
                    }
                    ConstraintBody::Unique {
                        nulls_not_distinct,
                        columns: cols,
                        include,
                        with,
                        deferral,
                    } => {
                        let cols = self.located_columns(cols);
                        let include = self.located_columns(include);
                        let names: Vec<String> = cols
                            .iter()
                            .chain(include.iter())
                            .map(|c| c.as_str().to_string())
                            .collect();
                        let kind = ConstraintKind::Unique {
                            columns: cols,
                            include,
                            nulls_not_distinct: nulls_not_distinct.unwrap_or(false),
                            storage_params: self.storage_params(with),
                        };
                        (
                            NameRule::Unique(index_column_names(&names)),
                            self.new_constraint(kind, deferral, false, item.span),
                        )
                    }
                    ConstraintBody::Check(check) => self.check(check, columns, item.span),
                    ConstraintBody::ForeignKey {
                        columns: cols,
                        reference,
                    } => {
                        let cols = self.located_columns(cols);
                        self.foreign_key(&cols, reference, item.span)
                    }
                    ConstraintBody::Exclude(exclusion) => {
                        let elements: Vec<(IndexElement, String)> = exclusion
                            .elements
                            .iter()
                            .map(|(e, op)| (self.index_element(e), op.clone()))
                            .collect();
                        let include = self.located_columns(&exclusion.include);
                        let mut names: Vec<String> = elements.iter().map(|(e, _)| element_name(e)).collect();
                        names.extend(include.iter().map(|c| c.as_str().to_string()));
                        let kind = ConstraintKind::Exclusion(Box::new(Exclusion {
                            method: exclusion
                                .method
                                .as_ref()
                                .map(|m| Ident::from_source(&m.text))
                                .unwrap_or_else(|| Ident::new("btree")),
                            elements,
                            include,
                            storage_params: self.storage_params(&exclusion.with),
                            predicate: exclusion
                                .predicate
                                .as_ref()
                                .map(|p| Located::new(Expr::from_source(&p.text), origin(p.span))),
                        }));
                        (
                            NameRule::Exclusion(index_column_names(&names)),
                            self.new_constraint(kind, &exclusion.deferral, false, item.span),
                        )
                    }
                };
                built.was = self.was_plain(constraint.was.as_ref()).map(Box::new);
                built.comment = self.docs(&item.docs);
                pending.constraints.push(PendingConstraint {
                    name,
                    rule,
                    constraint: built,
                });
            }
            TableItemKind::Index(index) => {
                let elements: Vec<IndexElement> = index.elements.iter().map(|e| self.index_element(e)).collect();
                let include = self.located_columns(&index.include);
                let mut names: Vec<String> = elements.iter().map(element_name).collect();
                names.extend(include.iter().map(|c| c.as_str().to_string()));
                let built = Index {
                    name: Ident::new(""),
                    was: self.was_plain(index.was.as_ref()).map(Box::new),
                    unique: index.unique,
                    nulls_not_distinct: index.nulls_not_distinct.unwrap_or(false),
                    method: index
                        .method
                        .as_ref()
                        .map(|m| Ident::from_source(&m.text))
                        .unwrap_or_else(|| Ident::new("btree")),
                    elements,
                    include,
                    storage_params: self.storage_params(&index.with),
                    predicate: index
                        .predicate
                        .as_ref()
                        .map(|p| Located::new(Expr::from_source(&p.text), origin(p.span))),
                    comment: self.docs(&item.docs),
                    named: index.name.is_some(),
                    origin: origin(item.span),
                };
                let name = self.constraint_name(&index.name);
                pending.indexes.push(PendingIndex {
                    name,
                    rule: NameRule::Index(index_column_names(&names)),
                    index: built,
                });
            }
            TableItemKind::Trigger(trigger) => self.trigger(trigger, item, pending),
            TableItemKind::Policy(policy) => self.policy(policy, item, pending),
            TableItemKind::ClusterOn(index) => {
                if pending.table.cluster_on.is_some() {
                    self.misplaced(item.span, "`cluster on` is given twice", "keep one of them");
                }
                pending.table.cluster_on = Some(self.ident(index));
            }
            TableItemKind::Statistics(stats) => self.statistics(stats, item, pending),
            TableItemKind::RowSecurity { force } => {
                if pending.table.row_security.enabled {
                    self.misplaced(item.span, "`row level security` is given twice", "keep one of them");
                }
                pending.table.row_security = RowSecurity {
                    enabled: true,
                    forced: *force,
                };
            }
            TableItemKind::ReplicaIdentity(identity) => {
                if pending.table.replica_identity != ReplicaIdentity::Default {
                    self.misplaced(item.span, "`replica identity` is given twice", "keep one of them");
                }
                pending.table.replica_identity = match identity {
                    ast::ReplicaIdentity::Default => ReplicaIdentity::Default,
                    ast::ReplicaIdentity::Full => ReplicaIdentity::Full,
                    ast::ReplicaIdentity::Nothing => ReplicaIdentity::Nothing,
                    ast::ReplicaIdentity::UsingIndex(name) => {
                        ReplicaIdentity::Index(Located::new(self.ident(name), origin(name.span)))
                    }
                };
            }
        }
    }

    fn trigger(&mut self, item: &ast::TriggerItem, entry: &ast::TableItem, pending: &mut PendingTable) {
        let table = pending.table.name.clone();
        if let Some(trigger) = self.lowered_trigger(item, &entry.docs, entry.span, &table, &pending.table.triggers) {
            pending.table.triggers.insert(trigger.name.clone(), trigger);
        }
    }

    /// A trigger of a table or view; `None` (with the error) when its SQL
    /// does not parse or its name is taken.
    fn lowered_trigger(
        &mut self,
        item: &ast::TriggerItem,
        docs: &[ast::Doc],
        span: Span,
        relation: &QualifiedName,
        existing: &BTreeMap<Ident, Trigger>,
    ) -> Option<Trigger> {
        let name = self.ident(&item.name);
        let events = crate::sql::one_line(&item.events.text);
        let rest = crate::sql::one_line(&item.rest.text);
        let statement = trigger_statement(&name, item.constraint, &events, relation, &rest);
        let facts = match crate::sql::tree::trigger(&statement, &self.options.default_schema) {
            Ok(facts) => facts,
            Err(message) => {
                self.invalid_sql(span, "trigger", &message);
                return None;
            }
        };
        if let Some(first) = existing.get(&name) {
            let mut diagnostic = Diagnostic::new(
                Code::DuplicateTrigger,
                format!("trigger `{}` is declared twice on `{relation}`", name.as_str()),
            )
            .primary(item.name.span, "declared again here");
            if let Some(first) = first.origin.0 {
                diagnostic = diagnostic.secondary(first, "first declared here");
            }
            self.error(diagnostic.help("remove one of them, or rename it (a rename is written `was OLD_NAME`)"));
            return None;
        }
        Some(Trigger {
            name,
            was: self.was_plain(item.was.as_ref()),
            constraint: item.constraint,
            events,
            rest,
            function: facts.function,
            columns: facts.columns,
            canonical: facts.canonical,
            comment: self.docs(docs),
            origin: origin(item.name.span),
        })
    }

    fn statistics(&mut self, item: &ast::StatisticsItem, entry: &ast::TableItem, pending: &mut PendingTable) {
        let name = self.ident(&item.name);
        if pending.table.statistics.contains_key(&name) {
            self.misplaced(
                item.name.span,
                &format!("statistics `{}` are declared twice", name.as_str()),
                "remove one of them",
            );
            return;
        }
        let kinds = item
            .kinds
            .as_ref()
            .map(|k| format!(" ({})", crate::sql::one_line(&k.text)))
            .unwrap_or_default();
        let statement = format!(
            "CREATE STATISTICS {}{kinds} ON {} FROM {}",
            name.quoted(),
            crate::sql::one_line(&item.targets.text),
            pending.table.name.quoted()
        );
        match crate::sql::tree::statistics(&statement) {
            Ok(facts) => {
                pending.table.statistics.insert(
                    name.clone(),
                    ExtendedStatistics {
                        name,
                        kinds: facts.kinds,
                        targets: facts.targets,
                        canonical: facts.canonical,
                        origin: origin(item.name.span),
                    },
                );
            }
            Err(message) => self.invalid_sql(entry.span, "statistics", &message),
        }
    }

    fn policy(&mut self, item: &ast::PolicyItem, entry: &ast::TableItem, pending: &mut PendingTable) {
        let table = pending.table.name.clone();
        let name = self.ident(&item.name);
        if let Some(first) = pending.table.policies.get(&name) {
            let mut diagnostic = Diagnostic::new(
                Code::DuplicatePolicy,
                format!("policy `{}` is declared twice on `{table}`", name.as_str()),
            )
            .primary(item.name.span, "declared again here");
            if let Some(first) = first.origin.0 {
                diagnostic = diagnostic.secondary(first, "first declared here");
            }
            self.error(diagnostic.help("remove one of them, or rename it (a rename is written `was OLD_NAME`)"));
            return;
        }
        let command = item.command.clone().unwrap_or_else(|| "all".into());
        let using = item.using.as_ref().map(|e| crate::sql::one_line(&e.text));
        let check = item.check.as_ref().map(|e| crate::sql::one_line(&e.text));
        // PostgreSQL's own refusals, before any SQL.
        let refusal = match (command.as_str(), &using, &check) {
            ("insert", Some(_), _) => Some("an insert policy has only `with check`: there are no old rows to filter"),
            ("select" | "delete", _, Some(_)) => {
                Some("a select or delete policy has only `using`: it writes no new rows to check")
            }
            _ => None,
        };
        if let Some(why) = refusal {
            self.misplaced(
                entry.span,
                why,
                "remove the clause PostgreSQL does not take for this command",
            );
            return;
        }
        let mut roles: Vec<Ident> = item.roles.iter().map(|r| self.ident(r)).collect();
        roles.sort();
        roles.dedup();
        if roles.is_empty() {
            roles.push(Ident::new("public"));
        }
        let mut policy = Policy {
            name,
            was: self.was_plain(item.was.as_ref()),
            permissive: item.kind.as_deref() != Some("restrictive"),
            command,
            roles,
            using,
            check,
            canonical: String::new(),
            columns: Vec::new(),
            uses: Vec::new(),
            comment: self.docs(&entry.docs),
            origin: origin(item.name.span),
        };
        let statement = policy.statement(&table.quoted());
        match crate::sql::tree::policy(&statement, &table, &self.options.default_schema) {
            Ok(facts) => {
                policy.canonical = facts.canonical;
                policy.columns = facts.columns;
                policy.uses = facts.uses;
            }
            Err(message) => {
                self.invalid_sql(entry.span, "policy", &message);
                return;
            }
        }
        pending.table.policies.insert(policy.name.clone(), policy);
    }

    fn view_trigger(&mut self, decl: &ast::ViewTriggerDecl) {
        let view_name = self.qualify(&decl.view);
        let Some(existing) = self.schema.views.get(&view_name).map(|v| v.triggers.clone()) else {
            self.error(
                Diagnostic::new(Code::UnknownTable, format!("unknown view `{view_name}`"))
                    .primary(decl.view.span, "no view of this name is declared")
                    .help("a trigger declared at the top level is on a view; put a table's triggers in its body"),
            );
            return;
        };
        if let Some(trigger) = self.lowered_trigger(&decl.trigger, &decl.docs, decl.span, &view_name, &existing) {
            if let Some(view) = self.schema.views.get_mut(&view_name) {
                view.triggers.insert(trigger.name.clone(), trigger);
            }
        }
    }

    fn invalid_sql(&mut self, span: Span, what: &str, message: &str) {
        self.error(
            Diagnostic::new(
                Code::InvalidSql,
                format!("PostgreSQL cannot parse this {what}: {message}"),
            )
            .primary(span, "PostgreSQL's parser refuses this")
            .help(format!(
                "write the {what} as PostgreSQL's CREATE statement has it, without the word `create`"
            )),
        );
    }

    fn routine(&mut self, decl: &ast::RoutineDecl) {
        let name = self.qualify(&decl.name);
        let kind = if decl.procedure { "procedure" } else { "function" };
        let arguments = decl.arguments.text.trim().to_string();
        let rest = crate::sql::one_line(&decl.rest.text);
        let statement = routine_statement(decl.procedure, &name, &arguments, &rest);
        let facts = match crate::sql::tree::routine(&statement, &self.options.default_schema) {
            Ok(facts) => facts,
            Err(message) => {
                self.invalid_sql(decl.name.span.to(decl.rest.span), kind, &message);
                return;
            }
        };
        let routine = facts.into_routine(name.clone(), decl.procedure, false, arguments, rest);
        if self.duplicate_routine(
            &routine.id,
            decl.name.span,
            "functions and procedures are told apart by name and argument types: remove one, rename it, or change its arguments",
        ) {
            return;
        }
        let routine = Routine {
            was: self.was_qualified(&decl.was, &name),
            comment: self.docs(&decl.docs),
            origin: origin(decl.name.span),
            ..routine
        };
        self.schema.routines.insert(routine.id.clone(), routine);
    }

    /// Whether a routine of that name and argument types is declared
    /// already (E0112, reported here).
    fn duplicate_routine(&mut self, id: &RoutineId, span: Span, help: &str) -> bool {
        let Some(first) = self.schema.routines.get(id) else {
            return false;
        };
        let mut diagnostic = Diagnostic::new(
            Code::DuplicateRoutine,
            format!("{} `{id}` is declared twice", first.kind()),
        )
        .primary(span, "declared again here");
        if let Some(first) = first.origin.0 {
            diagnostic = diagnostic.secondary(first, "first declared here");
        }
        self.error(diagnostic.help(help));
        true
    }

    fn aggregate(&mut self, decl: &ast::AggregateDecl) {
        let name = self.qualify(&decl.name);
        let arguments = decl.arguments.text.trim().to_string();
        let rest = format!("({})", crate::sql::one_line(&decl.options.text));
        let statement = format!("CREATE AGGREGATE {}({arguments}) {rest}", name.quoted());
        let facts = match crate::sql::tree::aggregate(&statement, &self.options.default_schema) {
            Ok(facts) => facts,
            Err(message) => {
                self.invalid_sql(decl.name.span.to(decl.options.span), "aggregate", &message);
                return;
            }
        };
        let routine = facts.into_routine(name.clone(), false, true, arguments, rest);
        if self.duplicate_routine(
            &routine.id,
            decl.name.span,
            "an aggregate and a function of the same name need other argument types",
        ) {
            return;
        }
        let routine = Routine {
            was: self.was_qualified(&decl.was, &name),
            comment: self.docs(&decl.docs),
            origin: origin(decl.name.span),
            ..routine
        };
        self.schema.routines.insert(routine.id.clone(), routine);
    }

    fn view(&mut self, decl: &ast::ViewDecl) {
        let name = self.qualify(&decl.name);
        let kind = if decl.materialized { "materialized view" } else { "view" };
        let query = crate::sql::without_comments(&decl.query.text);
        let query = query.trim_end_matches(';').trim_end().to_string();
        let columns: Vec<Ident> = decl.columns.iter().map(|c| self.ident(c)).collect();
        let facts = match crate::sql::tree::view(&query, &columns, &self.options.default_schema) {
            Ok(facts) => facts,
            Err(message) => {
                self.invalid_sql(decl.query.span, &format!("{kind}'s query"), &message);
                return;
            }
        };
        if let Some(first) = self.schema.views.get(&name) {
            let mut diagnostic = Diagnostic::new(
                Code::DuplicateTable,
                format!("{} `{name}` is declared twice", first.kind()),
            )
            .primary(decl.name.span, "declared again here");
            if let Some(first) = first.origin.0 {
                diagnostic = diagnostic.secondary(first, "first declared here");
            }
            self.error(diagnostic.help("remove one of them, or rename it (a rename is written `was OLD_NAME`)"));
            return;
        }
        let check_option = decl.check_option.clone();
        if check_option.is_some() && decl.materialized {
            self.misplaced(
                decl.span,
                "a materialized view has no check option",
                "leave `with check option` out, or make it a plain view",
            );
        }
        let view = View {
            name: name.clone(),
            was: self.was_qualified(&decl.was, &name),
            materialized: decl.materialized,
            columns,
            options: self.storage_params(&decl.with),
            check_option,
            query,
            canonical: facts.canonical,
            uses: facts.uses,
            calls: facts.calls,
            indexes: BTreeMap::new(),
            triggers: BTreeMap::new(),
            comment: self.docs(&decl.docs),
            origin: origin(decl.name.span),
        };
        self.schema.views.insert(name, view);
    }

    fn view_index(&mut self, decl: &ast::ViewIndexDecl) {
        let view_name = self.qualify(&decl.view);
        let name = self.ident(&decl.name);
        let rest = crate::sql::one_line(&decl.rest.text);
        let statement = view_index_statement(decl.unique, &name, &view_name, &rest);
        let canonical = match crate::sql::tree::view_index(&statement) {
            Ok(canonical) => canonical,
            Err(message) => {
                self.invalid_sql(decl.span, "index", &message);
                return;
            }
        };
        let was = self.was_plain(decl.was.as_ref());
        let comment = self.docs(&decl.docs);
        let Some(view) = self.schema.views.get_mut(&view_name) else {
            self.error(
                Diagnostic::new(Code::UnknownTable, format!("unknown materialized view `{view_name}`"))
                    .primary(decl.view.span, "no materialized view of this name is declared")
                    .help("an index declared at the top level is on a materialized view; put a table's indexes in its body"),
            );
            return;
        };
        if !view.materialized {
            let span = decl.view.span;
            self.misplaced(
                span,
                "only a materialized view can have an index",
                "make it `materialized view`",
            );
            return;
        }
        if view.indexes.contains_key(&name) {
            self.error(
                Diagnostic::new(
                    Code::DuplicateIndex,
                    format!("index `{}` is declared twice", name.as_str()),
                )
                .primary(decl.name.span, "declared again here"),
            );
            return;
        }
        view.indexes.insert(
            name.clone(),
            ViewIndex {
                name,
                was,
                unique: decl.unique,
                rest,
                canonical,
                comment,
                origin: origin(decl.name.span),
            },
        );
    }

    /// A view and a table cannot share a name (nor can an index of a
    /// materialized view and a relation).
    fn views_apart_from_tables(&mut self) {
        let clashes: Vec<(QualifiedName, Origin, Origin)> = self
            .schema
            .views
            .values()
            .filter_map(|v| {
                self.schema
                    .tables
                    .get(&v.name)
                    .map(|t| (v.name.clone(), v.origin, t.origin))
            })
            .collect();
        for (name, view, table) in clashes {
            let mut diagnostic = Diagnostic::new(
                Code::DuplicateTable,
                format!("`{name}` is declared both as a view and as a table"),
            );
            if let Some(span) = view.0 {
                diagnostic = diagnostic.primary(span, "the view");
            }
            if let Some(span) = table.0 {
                diagnostic = diagnostic.secondary(span, "the table");
            }
            self.error(diagnostic.help("rename one of them: PostgreSQL keeps both in one namespace"));
        }
    }

    fn index_element(&mut self, element: &ast::IndexElement) -> IndexElement {
        let target = match &element.target {
            ast::ElementTarget::Column(name) => ElementTarget::Column(self.ident(name)),
            ast::ElementTarget::Expression(expr) | ast::ElementTarget::Call(expr) => {
                ElementTarget::Expression(Expr::from_source(&expr.text))
            }
        };
        IndexElement {
            target,
            collation: element.collate.as_ref().map(|c| Box::new(self.search_path_name(c))),
            opclass: element.opclass.as_ref().map(|(name, params)| {
                Box::new(OperatorClass {
                    name: self.search_path_name(name),
                    params: self.storage_params(params),
                })
            }),
            descending: element.descending.unwrap_or(false),
            // PostgreSQL's default: nulls sort last ascending, first descending.
            nulls_first: element.nulls_first.unwrap_or(element.descending.unwrap_or(false)),
            origin: origin(element.span),
        }
    }
}

/// The name an index element contributes to a generated index name.
/// The `CREATE FUNCTION` (or `PROCEDURE`) statement a declaration stands for.
pub fn routine_statement(procedure: bool, name: &QualifiedName, arguments: &str, rest: &str) -> String {
    let kind = if procedure { "PROCEDURE" } else { "FUNCTION" };
    format!("CREATE {kind} {}({arguments}) {rest}", name.quoted())
}

/// The `CREATE INDEX` statement of an index on a materialized view.
pub fn view_index_statement(unique: bool, name: &Ident, view: &QualifiedName, rest: &str) -> String {
    format!(
        "CREATE {}INDEX {} ON {} {rest}",
        if unique { "UNIQUE " } else { "" },
        name.quoted(),
        view.quoted()
    )
}

/// The `CREATE TRIGGER` statement a trigger item stands for.
pub fn trigger_statement(name: &Ident, constraint: bool, events: &str, table: &QualifiedName, rest: &str) -> String {
    let constraint = if constraint { "CONSTRAINT " } else { "" };
    format!(
        "CREATE {constraint}TRIGGER {} {events} ON {} {rest}",
        name.quoted(),
        table.quoted()
    )
}

fn element_name(element: &IndexElement) -> String {
    match &element.target {
        ElementTarget::Column(name) => name.as_str().to_string(),
        ElementTarget::Expression(expr) => expression_column_name(expr.as_str()),
    }
}

/// One PostgreSQL schema's names: relations (tables, sequences, indexes)
/// and constraints share separate namespaces.
/// Only ever looked up, never iterated, so hashing cannot make output
/// depend on order.
#[derive(Default)]
struct Namespace {
    // Inline up to 24 bytes, as most generated names are: a large schema
    // has a hundred thousand of them.
    relations: HashMap<CompactString, Origin>,
    constraints: HashSet<CompactString>,
}

impl Lowerer {
    /// Gives every unnamed constraint, index and owned sequence its
    /// PostgreSQL name, reports clashes, and inserts the tables.
    fn name_and_insert(&mut self, mut tables: Vec<PendingTable>) {
        tables.sort_by(|a, b| a.table.name.cmp(&b.table.name));
        let mut namespaces: BTreeMap<Ident, Namespace> = BTreeMap::new();
        // Sized up front: a large schema would otherwise rehash these sets
        // many times over.
        let mut sizes: BTreeMap<&Ident, (usize, usize)> = BTreeMap::new();
        for pending in &tables {
            let size = sizes.entry(&pending.table.name.schema).or_default();
            size.0 += 1
                + pending.constraints.len()
                + pending.indexes.len()
                + pending.identities.len()
                + pending.serials.len();
            size.1 += pending.constraints.len();
        }
        for (schema, (relations, constraints)) in sizes {
            let namespace = namespaces.entry(schema.clone()).or_default();
            namespace.relations.reserve(relations);
            namespace.constraints.reserve(constraints);
        }
        // Explicit names first: they are fixed, generated names avoid them.
        for name in self.schema.enums.keys() {
            let _ = namespaces.entry(name.schema.clone()).or_default();
        }
        for (name, sequence) in &self.schema.sequences {
            namespaces
                .entry(name.schema.clone())
                .or_default()
                .relations
                .insert(name.name.as_str().into(), sequence.origin);
        }
        // Duplicates are dropped in place (a second vector of tables would
        // double what this step holds on a large schema).
        let mut kept = tables;
        let mut previous: Option<(QualifiedName, Origin)> = None;
        kept.retain(|pending| {
            let name = &pending.table.name;
            // Sorted by name, so a duplicate directly follows the first.
            if let Some((_, first)) = previous.as_ref().filter(|(n, _)| n == name) {
                self.duplicate(
                    Code::DuplicateTable,
                    "table",
                    &name.to_string(),
                    pending.table.origin.0.unwrap_or_else(unreachable_span),
                    *first,
                );
                return false;
            }
            previous = Some((name.clone(), pending.table.origin));
            let namespace = namespaces.entry(name.schema.clone()).or_default();
            if let Some(first) = namespace.relations.get(name.name.as_str()).copied() {
                self.relation_clash(&name.name, pending.table.origin, first);
            } else {
                namespace
                    .relations
                    .insert(name.name.as_str().into(), pending.table.origin);
            }
            if let Some(enumeration) = self.schema.enums.get(name) {
                let first = enumeration.origin;
                let mut diagnostic = Diagnostic::new(
                    Code::DuplicateEnum,
                    format!("table `{name}` has the same name as an enum"),
                )
                .help("every table is also a type of the same name in PostgreSQL: rename the table or the enum");
                if let Some(span) = pending.table.origin.0 {
                    diagnostic = diagnostic.primary(span, "this table");
                }
                if let Some(span) = first.0 {
                    diagnostic = diagnostic.secondary(span, "the enum");
                }
                self.error(diagnostic);
            }
            true
        });
        for pending in &kept {
            let namespace = namespaces.entry(pending.table.name.schema.clone()).or_default();
            let mut clashes = Vec::new();
            for constraint in &pending.constraints {
                if let Some((name, span)) = &constraint.name {
                    namespace.constraints.insert(name.as_str().into());
                    if matches!(
                        constraint.rule,
                        NameRule::PrimaryKey | NameRule::Unique(_) | NameRule::Exclusion(_)
                    ) {
                        if let Some(first) = namespace.relations.get(name.as_str()).copied() {
                            clashes.push((name.clone(), *span, first));
                        } else {
                            namespace.relations.insert(name.as_str().into(), origin(*span));
                        }
                    }
                }
            }
            for index in &pending.indexes {
                if let Some((name, span)) = &index.name {
                    if let Some(first) = namespace.relations.get(name.as_str()).copied() {
                        clashes.push((name.clone(), *span, first));
                    } else {
                        namespace.relations.insert(name.as_str().into(), origin(*span));
                    }
                }
            }
            for (name, span, first) in clashes {
                self.relation_clash(&name, origin(span), first);
            }
        }
        // A check of a partition or inheriting table is named after the one
        // column it uses, its parents' columns included (the map of every
        // table's columns made only where some table has a parent).
        let any_parents = kept
            .iter()
            .any(|p| p.table.partition_of.is_some() || !p.table.inherits.is_empty());
        let column_names: BTreeMap<QualifiedName, (Vec<Ident>, Vec<QualifiedName>)> = kept
            .iter()
            .filter(|_| any_parents)
            .map(|p| {
                let parents = p.table.partition_of.iter().map(|o| o.parent.clone());
                let parents = parents.chain(p.table.inherits.iter().cloned()).collect();
                let columns = p.table.columns.iter().map(|c| c.name.clone()).collect();
                (p.table.name.clone(), (columns, parents))
            })
            .collect();
        for pending in &mut kept {
            let Some((_, parents)) = column_names.get(&pending.table.name) else {
                continue;
            };
            if parents.is_empty() {
                continue;
            }
            let mut columns = Vec::new();
            let mut left = vec![pending.table.name.clone()];
            let mut seen = BTreeSet::new();
            while let Some(name) = left.pop() {
                if !seen.insert(name.clone()) {
                    continue;
                }
                if let Some((own, parents)) = column_names.get(&name) {
                    columns.extend(own.iter().cloned());
                    left.extend(parents.iter().cloned());
                }
            }
            for constraint in &mut pending.constraints {
                if let (NameRule::Check(single @ None), ConstraintKind::Check { expr, .. }) =
                    (&mut constraint.rule, &constraint.constraint.kind)
                {
                    let used = expression_columns(expr.as_str(), &columns);
                    if used.len() == 1 {
                        *single = used.iter().next().map(|c| c.as_str().to_string());
                    }
                }
            }
        }
        let mut finished = Vec::with_capacity(kept.len());
        for mut pending in kept {
            let namespace = namespaces.entry(pending.table.name.schema.clone()).or_default();
            let table = pending.table.name.name.as_str().to_string();
            let schema = pending.table.name.schema.clone();
            // Owned sequences are named while the table is being created.
            for column_name in pending.identities.clone() {
                let Some(identity) = pending
                    .table
                    .columns
                    .iter_mut()
                    .find(|c| c.name == column_name)
                    .and_then(|c| c.identity.as_mut())
                else {
                    continue;
                };
                if !identity.sequence_name.name.as_str().is_empty() {
                    // Written with `sequence name`: it takes its place.
                    if identity.sequence_name.schema == schema {
                        namespace
                            .relations
                            .insert(identity.sequence_name.name.as_str().into(), Origin(None));
                    }
                    continue;
                }
                let sequence = choose_name(&table, Some(column_name.as_str()), "seq", |n| {
                    namespace.relations.contains_key(n)
                });
                namespace.relations.insert(sequence.as_str().into(), Origin(None));
                identity.sequence_name = QualifiedName::new(schema.clone(), sequence);
            }
            for (column_name, data_type) in std::mem::take(&mut pending.serials) {
                let sequence = choose_name(&table, Some(column_name.as_str()), "seq", |n| {
                    namespace.relations.contains_key(n)
                });
                namespace.relations.insert(sequence.as_str().into(), Origin(None));
                let sequence_name = QualifiedName::new(schema.clone(), sequence);
                let regclass = if schema.as_str() == "public" {
                    sequence_name.name.quoted()
                } else {
                    sequence_name.quoted()
                };
                let default = Expr(format!("nextval('{}'::regclass)", regclass.replace('\'', "''")));
                let max = data_type.integer_range().map_or(i64::MAX, |(_, max)| max);
                if let Some(column) = pending.table.columns.iter_mut().find(|c| c.name == column_name) {
                    column.default = Some(Located::new(default, column.origin));
                    self.schema.sequences.insert(
                        sequence_name.clone(),
                        Sequence {
                            name: sequence_name,
                            was: None,
                            options: SequenceOptions {
                                data_type,
                                increment: 1,
                                min_value: 1,
                                max_value: max,
                                start: 1,
                                cache: 1,
                                cycle: false,
                            },
                            owned_by: Some(Located::new(
                                (pending.table.name.clone(), column_name.clone()),
                                column.origin,
                            )),
                            comment: None,
                            origin: column.origin,
                        },
                    );
                }
            }
            // PostgreSQL's order within CREATE TABLE: checks, then the primary
            // key, then other index-backed constraints, then foreign keys; plain
            // indexes come after the table.
            let order = |rule: &NameRule| match rule {
                NameRule::Check(_) => 0,
                NameRule::PrimaryKey => 1,
                NameRule::Unique(_) | NameRule::Exclusion(_) => 2,
                NameRule::ForeignKey(_) => 3,
                NameRule::Index(_) => 4,
            };
            pending.constraints.sort_by_key(|c| order(&c.rule));
            // Sized once: a large schema holds many thousands of these.
            pending.table.constraints.reserve(pending.constraints.len());
            pending.table.indexes.reserve(pending.indexes.len());
            for constraint in pending.constraints {
                let mut built = constraint.constraint;
                match constraint.name {
                    Some((name, _)) => {
                        built.name = name;
                        built.named = true;
                    }
                    None => {
                        let relations = &namespace.relations;
                        let constraints = &namespace.constraints;
                        let both = |n: &str| relations.contains_key(n) || constraints.contains(n);
                        let only_constraints = |n: &str| constraints.contains(n);
                        built.name = match &constraint.rule {
                            NameRule::PrimaryKey => choose_name(&table, None, "pkey", both),
                            NameRule::Unique(cols) => choose_name(
                                &table,
                                Some(&join_column_names(cols.iter().map(String::as_str))),
                                "key",
                                both,
                            ),
                            NameRule::Exclusion(cols) => choose_name(
                                &table,
                                Some(&join_column_names(cols.iter().map(String::as_str))),
                                "excl",
                                both,
                            ),
                            NameRule::Check(column) => {
                                choose_name(&table, column.as_deref(), "check", only_constraints)
                            }
                            NameRule::ForeignKey(cols) => choose_name(
                                &table,
                                Some(&join_column_names(cols.iter().map(String::as_str))),
                                "fkey",
                                only_constraints,
                            ),
                            NameRule::Index(cols) => choose_name(
                                &table,
                                Some(&join_column_names(cols.iter().map(String::as_str))),
                                "idx",
                                |n| relations.contains_key(n),
                            ),
                        };
                        namespace.constraints.insert(built.name.as_str().into());
                        if matches!(
                            constraint.rule,
                            NameRule::PrimaryKey | NameRule::Unique(_) | NameRule::Exclusion(_)
                        ) {
                            namespace.relations.insert(built.name.as_str().into(), built.origin);
                        }
                    }
                }
                if let Some(first) = pending.table.constraints.get(&built.name) {
                    let first = first.origin;
                    let span = built.origin.0.unwrap_or_else(unreachable_span);
                    self.duplicate(
                        Code::DuplicateConstraint,
                        "constraint",
                        built.name.as_str(),
                        span,
                        first,
                    );
                    continue;
                }
                pending.table.constraints.insert(built.name.clone(), built);
            }
            for index in pending.indexes {
                let mut built = index.index;
                built.name = match index.name {
                    Some((name, _)) => name,
                    None => {
                        let NameRule::Index(cols) = &index.rule else {
                            unreachable!("indexes are named by the index rule")
                        };
                        let chosen = choose_name(
                            &table,
                            Some(&join_column_names(cols.iter().map(String::as_str))),
                            "idx",
                            |n| namespace.relations.contains_key(n),
                        );
                        namespace.relations.insert(chosen.as_str().into(), built.origin);
                        chosen
                    }
                };
                if let Some(first) = pending.table.indexes.get(&built.name) {
                    let first = first.origin;
                    let span = built.origin.0.unwrap_or_else(unreachable_span);
                    self.duplicate(Code::DuplicateIndex, "index", built.name.as_str(), span, first);
                    continue;
                }
                pending.table.indexes.insert(built.name.clone(), built);
            }
            finished.push((pending.table.name.clone(), pending.table));
        }
        // The names are all given: their sets go before the map is built.
        drop(namespaces);
        // Built from sorted pairs, the map's nodes are full; inserted one by
        // one in order, they would be half empty.
        let mut finished: BTreeMap<QualifiedName, Table> = finished.into_iter().collect();
        self.schema.tables.append(&mut finished);
    }

    fn relation_clash(&mut self, name: &Ident, at: Origin, first: Origin) {
        let mut diagnostic = Diagnostic::new(Code::DuplicateIndex, format!("`{}` names two tables, indexes or sequences of one schema", name.as_str()))
            .help("tables, sequences, indexes and the indexes behind primary key, unique and exclusion constraints share one namespace per schema: rename one of them");
        if let Some(span) = at.0 {
            diagnostic = diagnostic.primary(span, "named again here");
        }
        if let Some(span) = first.0 {
            diagnostic = diagnostic.secondary(span, "first used here");
        }
        self.error(diagnostic);
    }
}

/// Every node lowered from source has a span; this stands in where the
/// type system cannot see that.
fn unreachable_span() -> Span {
    Span::new(crate::diag::FileId(0), 0..0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_expression_names_follow_postgres() {
        assert_eq!(expression_column_name("lower(email)"), "lower");
        assert_eq!(expression_column_name("(lower(email))"), "lower");
        assert_eq!(expression_column_name("email::text"), "email");
        assert_eq!(expression_column_name("(a + b)"), "expr");
        assert_eq!(expression_column_name("public.f(x)"), "f");
        assert_eq!(expression_column_name("(a || b)::text"), "text");
    }

    #[test]
    fn check_variables_skip_functions_strings_and_casts() {
        let columns = [Ident::new("email"), Ident::new("total"), Ident::new("position")];
        let used = expression_columns("position('@' in email) > 1", &columns);
        assert_eq!(used.into_iter().collect::<Vec<_>>(), [Ident::new("email")]);
        let used = expression_columns("total >= 0::numeric and 'total' <> ''", &columns);
        assert_eq!(used.into_iter().collect::<Vec<_>>(), [Ident::new("total")]);
    }
}
