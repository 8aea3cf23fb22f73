//! The syntax tree of `.trellis` source: what the user wrote, in the order
//! written, every node with its span. Lowering turns it into the Schema IR;
//! the formatter prints it back.

use crate::diag::{FileId, Span};

/// One parsed `.trellis` file.
#[derive(Clone, Debug)]
pub struct SourceFile {
    pub file: FileId,
    pub declarations: Vec<Declaration>,
    /// Doc comments after the last declaration (documenting nothing).
    pub trailing_docs: Vec<Doc>,
}

/// A `///` line; `text` is what follows the slashes, one leading space removed.
#[derive(Clone, Debug)]
pub struct Doc {
    pub text: String,
    pub span: Span,
}

/// An identifier as written; `text` is the source token (quotes included).
#[derive(Clone, Debug)]
pub struct Name {
    pub text: String,
    pub span: Span,
}

impl Name {
    /// No name yet, at `span`: what a node holds until its name is read.
    pub fn empty(span: Span) -> Name {
        Name {
            text: String::new(),
            span,
        }
    }
}

/// `[schema.]name` as written.
#[derive(Clone, Debug)]
pub struct QualName {
    pub schema: Option<Name>,
    pub name: Name,
    pub span: Span,
}

impl QualName {
    /// No name yet, at `span`.
    pub fn empty(span: Span) -> QualName {
        QualName {
            schema: None,
            name: Name::empty(span),
            span,
        }
    }
}

/// A single-quoted string literal; `text` is the source token, `value` unescaped.
#[derive(Clone, Debug)]
pub struct StrLit {
    pub text: String,
    pub value: String,
    pub span: Span,
}

/// SQL expression text as written (comments and line breaks included).
#[derive(Clone, Debug)]
pub struct Expr {
    pub text: String,
    pub span: Span,
}

impl Expr {
    /// No text yet, at `span`.
    pub fn empty(span: Span) -> Expr {
        Expr {
            text: String::new(),
            span,
        }
    }
}

/// A top-level declaration.
#[derive(Clone, Debug)]
pub enum Declaration {
    Schema(SchemaDecl),
    Extension(ExtensionDecl),
    Collation(CollationDecl),
    Enum(EnumDecl),
    Domain(DomainDecl),
    Type(TypeDecl),
    Sequence(SequenceDecl),
    Table(TableDecl),
    Routine(RoutineDecl),
    Aggregate(AggregateDecl),
    View(ViewDecl),
    ViewIndex(ViewIndexDecl),
    ViewTrigger(ViewTriggerDecl),
    Grant(GrantDecl),
}

impl Declaration {
    /// The whole declaration's span.
    pub fn span(&self) -> Span {
        match self {
            Declaration::Schema(d) => d.span,
            Declaration::Extension(d) => d.span,
            Declaration::Collation(d) => d.span,
            Declaration::Enum(d) => d.span,
            Declaration::Domain(d) => d.span,
            Declaration::Type(d) => d.span,
            Declaration::Sequence(d) => d.span,
            Declaration::Table(d) => d.span,
            Declaration::Routine(d) => d.span,
            Declaration::Aggregate(d) => d.span,
            Declaration::View(d) => d.span,
            Declaration::ViewIndex(d) => d.span,
            Declaration::ViewTrigger(d) => d.span,
            Declaration::Grant(d) => d.span,
        }
    }

    /// The doc comments above the declaration.
    pub fn docs(&self) -> &[Doc] {
        match self {
            Declaration::Schema(d) => &d.docs,
            Declaration::Extension(d) => &d.docs,
            Declaration::Collation(d) => &d.docs,
            Declaration::Enum(d) => &d.docs,
            Declaration::Domain(d) => &d.docs,
            Declaration::Type(d) => &d.docs,
            Declaration::Sequence(d) => &d.docs,
            Declaration::Table(d) => &d.docs,
            Declaration::Routine(d) => &d.docs,
            Declaration::Aggregate(d) => &d.docs,
            Declaration::View(d) => &d.docs,
            Declaration::ViewIndex(d) => &d.docs,
            Declaration::ViewTrigger(d) => &d.docs,
            Declaration::Grant(d) => &d.docs,
        }
    }
}

/// `function NAME(ARGS) [was OLD] REST` or `procedure ...`: the argument
/// list and the rest are PostgreSQL's `CREATE FUNCTION` text as written.
#[derive(Clone, Debug)]
pub struct RoutineDecl {
    pub docs: Vec<Doc>,
    pub procedure: bool,
    pub name: QualName,
    /// The text between the argument list's parentheses.
    pub arguments: Expr,
    pub was: Option<QualName>,
    /// Everything after the argument list (and `was`), trailing blanks left out.
    pub rest: Expr,
    pub span: Span,
}

/// `[materialized] view NAME [was OLD] [(COLS)] [with (...)] { QUERY } [with [cascaded|local] check option]`
#[derive(Clone, Debug)]
pub struct ViewDecl {
    pub docs: Vec<Doc>,
    pub materialized: bool,
    pub name: QualName,
    pub was: Option<QualName>,
    pub columns: Vec<Name>,
    pub with: Vec<StorageParam>,
    /// The query between the braces, as written.
    pub query: Expr,
    /// `Some("cascaded")` or `Some("local")`.
    pub check_option: Option<String>,
    pub span: Span,
}

/// `[unique] index NAME on VIEW REST [was OLD]`: an index on a
/// materialized view, REST as PostgreSQL's `CREATE INDEX` has it.
#[derive(Clone, Debug)]
pub struct ViewIndexDecl {
    pub docs: Vec<Doc>,
    pub unique: bool,
    pub name: Name,
    pub view: QualName,
    pub rest: Expr,
    pub was: Option<QualName>,
    pub span: Span,
}

/// `aggregate NAME(ARGS) [was OLD] (OPTIONS)`: the argument list and the
/// options are PostgreSQL's `CREATE AGGREGATE` text as written.
#[derive(Clone, Debug)]
pub struct AggregateDecl {
    pub docs: Vec<Doc>,
    pub name: QualName,
    pub arguments: Expr,
    pub was: Option<QualName>,
    /// The text between the options' parentheses.
    pub options: Expr,
    pub span: Span,
}

/// `[constraint] trigger NAME [was OLD] EVENTS on VIEW REST`: a trigger on a
/// view, at the top level.
#[derive(Clone, Debug)]
pub struct ViewTriggerDecl {
    pub docs: Vec<Doc>,
    pub view: QualName,
    pub trigger: TriggerItem,
    pub span: Span,
}

/// `grant PRIVILEGES on [KIND] OBJECTS to ROLES [with grant option]`,
/// `revoke PRIVILEGES on [KIND] OBJECTS from ROLES`, or either after
/// `default privileges [for role R] [in schema S]` (then on a kind of
/// object, `tables`, ..., instead of objects).
#[derive(Clone, Debug)]
pub struct GrantDecl {
    pub docs: Vec<Doc>,
    pub revoke: bool,
    /// `default privileges ...`: for whom, where and on what kind.
    pub defaults: Option<DefaultsClause>,
    /// `all [privileges]`, with its columns if any.
    pub all: Option<PrivilegeItem>,
    /// The privileges named one by one (empty with `all`).
    pub privileges: Vec<PrivilegeItem>,
    /// `table`, `function`, ... before the objects, as written.
    pub object_kind: Option<Name>,
    pub objects: Vec<GrantObject>,
    pub grantees: Vec<Name>,
    pub grant_option: bool,
    pub span: Span,
}

/// `default privileges [for role R] [in schema S] ... on KIND`.
#[derive(Clone, Debug)]
pub struct DefaultsClause {
    pub role: Option<Name>,
    pub schema: Option<Name>,
    /// `tables`, `sequences`, `functions`, `routines`, `types`, `schemas`.
    pub kind: Name,
}

/// A privilege (or `all`) with the columns it is limited to.
#[derive(Clone, Debug)]
pub struct PrivilegeItem {
    pub name: Name,
    pub columns: Vec<Name>,
}

/// An object a grant is on: a name, and for a routine its argument types.
#[derive(Clone, Debug)]
pub struct GrantObject {
    pub name: QualName,
    /// The text between a routine's parentheses.
    pub arguments: Option<Expr>,
    pub span: Span,
}

/// `schema NAME`
#[derive(Clone, Debug)]
pub struct SchemaDecl {
    pub docs: Vec<Doc>,
    pub name: Name,
    pub span: Span,
}

/// `extension NAME [version 'V'] [schema S]`
#[derive(Clone, Debug)]
pub struct ExtensionDecl {
    pub docs: Vec<Doc>,
    pub name: Name,
    pub version: Option<StrLit>,
    pub schema: Option<Name>,
    pub span: Span,
}

/// `collation [SCHEMA.]NAME (OPTION = VALUE, ...)`
#[derive(Clone, Debug)]
pub struct CollationDecl {
    pub docs: Vec<Doc>,
    pub name: QualName,
    pub options: Vec<StorageParam>,
    pub span: Span,
}

/// `domain NAME [as] TYPE [not null] [default EXPR] [check (EXPR)] ...`:
/// written as a column is, with a qualified name.
#[derive(Clone, Debug)]
pub struct DomainDecl {
    pub docs: Vec<Doc>,
    pub name: QualName,
    pub ty: TypeExpr,
    pub constraints: Vec<ColumnConstraint>,
    pub collate: Option<QualName>,
    pub was: Option<QualName>,
    /// Column settings written after a domain's type (refused by lowering).
    pub settings: Option<Span>,
    pub span: Span,
}

/// `type NAME [was OLD] as (ATTRIBUTE TYPE, ...)` or `type NAME as range
/// (subtype = TYPE, ...)`.
#[derive(Clone, Debug)]
pub struct TypeDecl {
    pub docs: Vec<Doc>,
    pub name: QualName,
    pub was: Option<QualName>,
    pub body: TypeBody,
    pub span: Span,
}

/// What a `type` declaration makes.
#[derive(Clone, Debug)]
pub enum TypeBody {
    Composite {
        attributes: Vec<TypeAttribute>,
        trailing_docs: Vec<Doc>,
    },
    Range {
        options: Vec<RangeOption>,
    },
}

/// One attribute of a composite type.
#[derive(Clone, Debug)]
pub struct TypeAttribute {
    pub docs: Vec<Doc>,
    pub name: Name,
    pub ty: TypeExpr,
    pub collate: Option<QualName>,
    pub was: Option<QualName>,
    pub span: Span,
}

/// `OPTION = VALUE` of a range type; the value read as a type (a type or a
/// function or operator class name).
#[derive(Clone, Debug)]
pub struct RangeOption {
    pub name: Name,
    pub value: TypeExpr,
    pub span: Span,
}

/// `enum NAME [was OLD] [as check] { 'label' [was 'old'], ... }`
#[derive(Clone, Debug)]
pub struct EnumDecl {
    pub docs: Vec<Doc>,
    pub name: QualName,
    pub was: Option<QualName>,
    pub as_check: bool,
    pub labels: Vec<EnumLabel>,
    pub trailing_docs: Vec<Doc>,
    pub span: Span,
}

/// One label of an enum.
#[derive(Clone, Debug)]
pub struct EnumLabel {
    pub docs: Vec<Doc>,
    pub value: StrLit,
    pub was: Option<StrLit>,
    pub span: Span,
}

/// `sequence NAME [was OLD] { OPTION... }`
#[derive(Clone, Debug)]
pub struct SequenceDecl {
    pub docs: Vec<Doc>,
    pub name: QualName,
    pub was: Option<QualName>,
    pub options: Vec<SequenceOption>,
    pub span: Span,
}

/// One sequence option, as in `CREATE SEQUENCE`.
#[derive(Clone, Debug)]
pub struct SequenceOption {
    pub kind: SequenceOptionKind,
    pub span: Span,
}

/// The kinds of sequence option.
#[derive(Clone, Debug)]
pub enum SequenceOptionKind {
    As(TypeExpr),
    IncrementBy(i64),
    MinValue(Option<i64>),
    MaxValue(Option<i64>),
    StartWith(i64),
    Cache(i64),
    Cycle(bool),
    /// `owned by table.column` (the path as written) or `owned by none`.
    OwnedBy(Option<Vec<Name>>),
    /// `sequence name NAME` (identity options only).
    SequenceName(QualName),
}

/// `[unlogged] table NAME [was OLD] [with (...)] { ... }`
#[derive(Clone, Debug)]
pub struct TableDecl {
    pub docs: Vec<Doc>,
    pub unlogged: bool,
    pub name: QualName,
    pub was: Option<QualName>,
    /// `partition of PARENT BOUND`.
    pub partition_of: Option<Box<PartitionOf>>,
    /// `partition by STRATEGY (KEY)`: the strategy, lower-cased, and the key.
    pub partition_by: Option<Box<(String, Expr)>>,
    /// `inherits (PARENT, ...)`.
    pub inherits: Vec<QualName>,
    /// `using METHOD`: its table access method.
    pub access_method: Option<Name>,
    pub with: Vec<StorageParam>,
    /// `tablespace NAME`.
    pub tablespace: Option<Name>,
    pub entries: Vec<TableEntry>,
    pub trailing_docs: Vec<Doc>,
    pub span: Span,
}

/// `partition of PARENT {for values ... | default}`; the bound as written.
#[derive(Clone, Debug)]
pub struct PartitionOf {
    pub parent: QualName,
    pub bound: Expr,
}

/// A line in a table body: a column or a table item. Items are boxed: they
/// are rare and large, and a table body is mostly columns.
// Boxing the column instead, as the lint suggests, would cost an allocation
// on the common path to save space on the rare one.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug)]
pub enum TableEntry {
    Column(ColumnDecl),
    Item(Box<TableItem>),
}

impl TableEntry {
    /// The entry's span (docs excluded).
    pub fn span(&self) -> Span {
        match self {
            TableEntry::Column(c) => c.span,
            TableEntry::Item(i) => i.span,
        }
    }

    /// The doc comments above the entry.
    pub fn docs(&self) -> &[Doc] {
        match self {
            TableEntry::Column(c) => &c.docs,
            TableEntry::Item(i) => &i.docs,
        }
    }
}

/// `NAME TYPE [CONSTRAINT...] [collate C] [was OLD]`
#[derive(Clone, Debug)]
pub struct ColumnDecl {
    pub docs: Vec<Doc>,
    pub name: Name,
    pub ty: TypeExpr,
    pub constraints: Vec<ColumnConstraint>,
    /// Boxed, as `was` below: both are rare, and large schemas hold
    /// hundreds of thousands of columns.
    pub collate: Option<Box<QualName>>,
    pub was: Option<Box<QualName>>,
    /// `using (EXPR)`: the value after a type change.
    pub using: Option<Box<Expr>>,
    /// `statistics N`, `storage KIND`, `compression METHOD`, `with (...)`.
    pub settings: Option<Box<ColumnSettings>>,
    pub span: Span,
}

/// What PostgreSQL keeps per column besides its constraints, as written
/// after the type; each with its place.
#[derive(Clone, Debug, Default)]
pub struct ColumnSettings {
    pub statistics: Option<(String, Span)>,
    pub storage: Option<(String, Span)>,
    pub compression: Option<(String, Span)>,
    pub options: Option<(Vec<StorageParam>, Span)>,
}

/// A column type as written.
#[derive(Clone, Debug)]
pub struct TypeExpr {
    pub base: TypeBase,
    /// Type modifiers such as `(12,2)`, as written, without parentheses.
    pub modifiers: Vec<String>,
    pub array_dims: u32,
    pub span: Span,
}

/// The name part of a type.
#[derive(Clone, Debug)]
pub enum TypeBase {
    /// A keyword type whose words the grammar knows (`double precision`,
    /// `character varying`, `timestamp ... with time zone`, `interval ...`),
    /// lower-cased, single-spaced, without modifiers.
    Keyword(String),
    /// Any other (possibly schema-qualified) type name.
    Named(QualName),
}

/// `[constraint NAME] KIND`
#[derive(Clone, Debug)]
pub struct ColumnConstraint {
    pub name: Option<Name>,
    pub kind: ColumnConstraintKind,
    pub span: Span,
}

/// The constraints a column can carry.
#[derive(Clone, Debug)]
pub enum ColumnConstraintKind {
    NotNull,
    Null,
    Default(Expr),
    PrimaryKey(Deferral),
    Unique {
        nulls_not_distinct: Option<bool>,
        deferral: Deferral,
    },
    Check(CheckClause),
    References(Box<Reference>),
    Identity {
        always: bool,
        options: Vec<SequenceOption>,
    },
    /// `generated always as (EXPR) stored|virtual`.
    Generated(Expr, crate::ir::GeneratedKind),
}

/// `check (EXPR) [no inherit] [not valid]`
#[derive(Clone, Debug)]
pub struct CheckClause {
    pub expr: Expr,
    pub no_inherit: bool,
    pub not_valid: bool,
}

/// `deferrable`, `not deferrable`, `initially deferred|immediate`, as written.
#[derive(Clone, Debug, Default)]
pub struct Deferral {
    pub deferrable: Option<bool>,
    pub initially_deferred: Option<bool>,
}

impl Deferral {
    /// Whether nothing was written.
    pub fn is_empty(&self) -> bool {
        self.deferrable.is_none() && self.initially_deferred.is_none()
    }
}

/// `references TABLE [(COLS)] [match ...] [on delete ...] [on update ...] [deferrable ...] [not valid]`
#[derive(Clone, Debug)]
pub struct Reference {
    pub table: QualName,
    pub columns: Vec<Name>,
    pub match_type: Option<MatchType>,
    pub on_delete: Option<Action>,
    pub on_update: Option<Action>,
    pub deferral: Deferral,
    pub not_valid: bool,
    pub span: Span,
}

/// A foreign key's `match` type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MatchType {
    Simple,
    Full,
    Partial,
}

/// A referential action as written.
#[derive(Clone, Debug)]
pub struct Action {
    pub kind: ActionKind,
    /// `set null (cols)` / `set default (cols)`.
    pub columns: Vec<Name>,
    pub span: Span,
}

/// The referential actions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ActionKind {
    NoAction,
    Restrict,
    Cascade,
    SetNull,
    SetDefault,
}

/// A table item line.
#[derive(Clone, Debug)]
pub struct TableItem {
    pub docs: Vec<Doc>,
    pub kind: TableItemKind,
    pub span: Span,
}

/// The kinds of table item.
#[derive(Clone, Debug)]
pub enum TableItemKind {
    Constraint(ConstraintItem),
    Index(IndexItem),
    ReplicaIdentity(ReplicaIdentity),
    Trigger(TriggerItem),
    Policy(PolicyItem),
    /// `row level security [force]`.
    RowSecurity {
        force: bool,
    },
    /// `cluster on INDEX`.
    ClusterOn(Name),
    /// `statistics NAME [(KINDS)] on (TARGETS)`.
    Statistics(StatisticsItem),
}

/// Extended statistics: the kinds and targets as written.
#[derive(Clone, Debug)]
pub struct StatisticsItem {
    pub name: Name,
    pub kinds: Option<Expr>,
    pub targets: Expr,
}

/// `policy NAME [was OLD] [as KIND] [for COMMAND] [to ROLE, ...] [using
/// (EXPR)] [with check (EXPR)]`; words lower-cased.
#[derive(Clone, Debug)]
pub struct PolicyItem {
    pub name: Name,
    pub was: Option<QualName>,
    /// `permissive` or `restrictive`.
    pub kind: Option<String>,
    /// `all`, `select`, `insert`, `update` or `delete`.
    pub command: Option<String>,
    pub roles: Vec<Name>,
    pub using: Option<Expr>,
    pub check: Option<Expr>,
}

/// `[constraint] trigger NAME [was OLD] TIMING EVENTS REST`: the events and
/// the rest (after PostgreSQL's `ON TABLE`) as written.
#[derive(Clone, Debug)]
pub struct TriggerItem {
    pub constraint: bool,
    pub name: Name,
    pub was: Option<QualName>,
    pub events: Expr,
    pub rest: Expr,
}

/// `[constraint NAME] BODY [was OLD]`
#[derive(Clone, Debug)]
pub struct ConstraintItem {
    pub name: Option<Name>,
    pub body: ConstraintBody,
    pub was: Option<QualName>,
}

/// The table constraints.
#[derive(Clone, Debug)]
pub enum ConstraintBody {
    PrimaryKey {
        columns: Vec<Name>,
        include: Vec<Name>,
        with: Vec<StorageParam>,
        deferral: Deferral,
    },
    Unique {
        nulls_not_distinct: Option<bool>,
        columns: Vec<Name>,
        include: Vec<Name>,
        with: Vec<StorageParam>,
        deferral: Deferral,
    },
    Check(CheckClause),
    ForeignKey {
        columns: Vec<Name>,
        reference: Reference,
    },
    Exclude(Exclusion),
}

/// `exclude [using M] (ELEMENT with OP, ...) [include (...)] [with (...)] [where (...)] [deferrable ...]`
#[derive(Clone, Debug)]
pub struct Exclusion {
    pub method: Option<Name>,
    pub elements: Vec<(IndexElement, String)>,
    pub include: Vec<Name>,
    pub with: Vec<StorageParam>,
    pub predicate: Option<Expr>,
    pub deferral: Deferral,
}

/// `[unique] index [NAME] [nulls not distinct] [using M] (ELEMENTS) [include (...)] [with (...)] [where (...)] [was OLD]`
#[derive(Clone, Debug)]
pub struct IndexItem {
    pub unique: bool,
    pub name: Option<Name>,
    pub nulls_not_distinct: Option<bool>,
    pub method: Option<Name>,
    pub elements: Vec<IndexElement>,
    pub include: Vec<Name>,
    pub with: Vec<StorageParam>,
    pub predicate: Option<Expr>,
    pub was: Option<QualName>,
}

/// One element of an index or exclusion constraint.
#[derive(Clone, Debug)]
pub struct IndexElement {
    pub target: ElementTarget,
    pub collate: Option<QualName>,
    pub opclass: Option<(QualName, Vec<StorageParam>)>,
    pub descending: Option<bool>,
    pub nulls_first: Option<bool>,
    pub span: Span,
}

/// What an index element indexes.
#[derive(Clone, Debug)]
pub enum ElementTarget {
    Column(Name),
    /// A parenthesised expression (text without the outer parentheses).
    Expression(Expr),
    /// A function call written without extra parentheses, such as `lower(email)`.
    Call(Expr),
}

/// `name [= value]` in a `with (...)` list.
#[derive(Clone, Debug)]
pub struct StorageParam {
    pub name: String,
    pub value: Option<String>,
    pub span: Span,
}

/// `replica identity full|nothing|default|using index NAME`
#[derive(Clone, Debug)]
pub enum ReplicaIdentity {
    Default,
    Full,
    Nothing,
    UsingIndex(Name),
}
