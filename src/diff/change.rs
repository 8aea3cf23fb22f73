//! The changes a diff finds: one variant per kind, each holding the IR
//! pieces it needs. No SQL text here.

use crate::ir::*;

/// Where a new enum label goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LabelPosition {
    /// At the end.
    Last,
    /// Before the given existing label.
    Before(String),
    /// After the given existing label.
    After(String),
}

/// One difference between two schemas, as a change to make.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    CreateSchema(Ident),
    DropSchema(Ident),
    CommentOnSchema {
        name: Ident,
        comment: Option<String>,
    },
    CreateDomain(Domain),
    DropDomain(Domain),
    SetDomainDefault {
        name: QualifiedName,
        default: Option<Expr>,
    },
    SetDomainNotNull {
        name: QualifiedName,
        not_null: bool,
    },
    AddDomainCheck {
        domain: QualifiedName,
        check: DomainCheck,
    },
    DropDomainCheck {
        domain: QualifiedName,
        check: DomainCheck,
    },
    ValidateDomainCheck {
        domain: QualifiedName,
        name: Ident,
    },
    CommentOnDomain {
        name: QualifiedName,
        comment: Option<String>,
    },
    /// A new type or collation: PostgreSQL has no ALTER for it. The old
    /// domain is renamed aside, the new one made, the columns moved over.
    RecreateDomain {
        old: Domain,
        new: Domain,
        columns: Vec<(QualifiedName, Ident, u32)>,
    },
    CreateComposite(CompositeType),
    DropComposite(CompositeType),
    /// Attributes that cannot be reached by adding at the end: the type
    /// is dropped and made again (PostgreSQL refuses while a column or
    /// another type uses it).
    RecreateComposite {
        old: CompositeType,
        new: CompositeType,
    },
    /// A composite type that columns use, whose attributes change type or
    /// order: PostgreSQL alters neither while a column uses the type. The
    /// new type is made under the name (the old one renamed aside), each
    /// column converted attribute by attribute, the old type dropped.
    /// `from` holds, for each new attribute, the old attribute it takes
    /// its values from (none for one added).
    RebuildComposite {
        old: CompositeType,
        new: CompositeType,
        from: Vec<Option<Ident>>,
        columns: Vec<ConvertedColumn>,
    },
    AddAttribute {
        composite: QualifiedName,
        attribute: TypeAttribute,
    },
    DropAttribute {
        composite: QualifiedName,
        attribute: TypeAttribute,
    },
    RenameAttribute {
        composite: QualifiedName,
        old: Ident,
        new: Ident,
    },
    /// A new type or collation for an attribute.
    AlterAttributeType {
        composite: QualifiedName,
        attribute: TypeAttribute,
    },
    CommentOnAttribute {
        composite: QualifiedName,
        attribute: Ident,
        comment: Option<String>,
    },
    CreateRange(Box<RangeType>),
    DropRange(Box<RangeType>),
    /// PostgreSQL has no ALTER for a range type's options. Where columns
    /// use the range (`columns`) or its multirange (`multiranges`), the new
    /// type is made under the name (the old one and its multirange renamed
    /// aside), each column converted through its text, the old type
    /// dropped; otherwise the type is dropped and made again.
    RecreateRange {
        old: Box<RangeType>,
        new: Box<RangeType>,
        columns: Vec<ConvertedColumn>,
        multiranges: Vec<ConvertedColumn>,
    },
    /// A composite or range type renamed (`was`); a range type's
    /// multirange named by PostgreSQL's rule follows it (`multirange`).
    RenameType {
        old: QualifiedName,
        new: QualifiedName,
        multirange: bool,
    },
    /// COMMENT ON TYPE, for a composite or range type.
    CommentOnType {
        name: QualifiedName,
        comment: Option<String>,
    },
    CreateCollation(Collation),
    DropCollation(Collation),
    /// PostgreSQL has no ALTER for a collation's locale: dropped and made
    /// again.
    RecreateCollation {
        old: Collation,
        new: Collation,
    },
    CommentOnCollation {
        name: QualifiedName,
        comment: Option<String>,
    },
    CreateExtension(Extension),
    DropExtension(Extension),
    AlterExtensionVersion {
        name: Ident,
        version: Option<String>,
    },
    AlterExtensionSchema {
        name: Ident,
        schema: Ident,
    },

    CreateEnum(Enum),
    DropEnum(Enum),
    RenameEnum {
        from: QualifiedName,
        to: QualifiedName,
    },
    AddEnumLabel {
        enum_name: QualifiedName,
        label: String,
        position: LabelPosition,
    },
    RenameEnumLabel {
        enum_name: QualifiedName,
        from: String,
        to: String,
    },
    /// Labels removed (or reordered in a way `ADD VALUE` cannot express):
    /// PostgreSQL needs a new type, the columns converted, the old type dropped.
    RecreateEnum {
        old: Enum,
        new: Enum,
        columns: Vec<ConvertedColumn>,
    },
    CommentOnEnum {
        name: QualifiedName,
        comment: Option<String>,
    },
    /// The check of an `as check` enum column, replaced by one that allows
    /// more labels: online, the new check is added `NOT VALID` under a
    /// temporary name and validated before the old one goes, so the column
    /// is never unchecked.
    ReplaceCheck {
        table: QualifiedName,
        old: Constraint,
        new: Constraint,
    },
    /// Rows of a column of an `as check` enum that hold a renamed label get
    /// the new one (between dropping the old check and adding the new).
    UpdateEnumLabel {
        table: QualifiedName,
        column: Ident,
        from: String,
        to: String,
    },
    /// Before anything changes: stop if rows of the column still hold a
    /// label of an `as check` enum that goes away (names in the old schema).
    GuardEnumLabel {
        table: QualifiedName,
        column: Ident,
        enum_name: QualifiedName,
        label: String,
    },

    CreateSequence(Sequence),
    DropSequence(Sequence),
    RenameSequence {
        from: QualifiedName,
        to: QualifiedName,
    },
    AlterSequence {
        name: QualifiedName,
        old: SequenceOptions,
        new: SequenceOptions,
    },
    SetSequenceOwner {
        name: QualifiedName,
        owner: Option<(QualifiedName, Ident)>,
    },
    CommentOnSequence {
        name: QualifiedName,
        comment: Option<String>,
    },

    CreateTable(Table),
    DropTable(Table),
    RenameTable {
        from: QualifiedName,
        to: QualifiedName,
    },
    CommentOnTable {
        table: QualifiedName,
        comment: Option<String>,
    },
    SetLogged {
        table: QualifiedName,
        unlogged: bool,
    },
    /// `ALTER TABLE table SET ACCESS METHOD method` (`heap` for None).
    SetAccessMethod {
        table: QualifiedName,
        method: Option<Ident>,
    },
    /// `ALTER TABLE table SET TABLESPACE tablespace` (`pg_default` for None).
    SetTablespace {
        table: QualifiedName,
        tablespace: Option<Ident>,
    },
    SetStorageParams {
        table: QualifiedName,
        set: Vec<StorageParam>,
        reset: Vec<String>,
    },
    SetReplicaIdentity {
        table: QualifiedName,
        identity: ReplicaIdentity,
    },

    /// `ALTER TABLE table CLUSTER ON index` or `SET WITHOUT CLUSTER`.
    SetClusterOn {
        table: QualifiedName,
        index: Option<Ident>,
    },
    CreateStatistics {
        table: QualifiedName,
        statistics: ExtendedStatistics,
    },
    DropStatistics {
        table: QualifiedName,
        statistics: ExtendedStatistics,
    },
    /// `ALTER TABLE parent ATTACH PARTITION table BOUND`.
    AttachPartition {
        table: QualifiedName,
        parent: QualifiedName,
        bound: String,
    },
    /// `ALTER TABLE parent DETACH PARTITION table`.
    DetachPartition {
        table: QualifiedName,
        parent: QualifiedName,
    },
    /// `ALTER TABLE table [NO] INHERIT parent`.
    SetInherit {
        table: QualifiedName,
        parent: QualifiedName,
        inherit: bool,
    },
    AddColumn {
        table: QualifiedName,
        column: Column,
    },
    DropColumn {
        table: QualifiedName,
        column: Column,
    },
    RenameColumn {
        table: QualifiedName,
        from: Ident,
        to: Ident,
    },
    AlterColumnType {
        table: QualifiedName,
        column: Ident,
        from: SqlType,
        to: SqlType,
        collation: Option<SearchPathName>,
        /// The column's `using (EXPR)`: its value from the old row.
        using: Option<Located<Expr>>,
    },
    SetNotNull {
        table: QualifiedName,
        column: Ident,
    },
    DropNotNull {
        table: QualifiedName,
        column: Ident,
    },
    /// `only`: on the table alone (`ALTER TABLE ONLY`), not on the tables
    /// inheriting from it, which are given their own.
    SetDefault {
        table: QualifiedName,
        column: Ident,
        default: Expr,
        only: bool,
    },
    DropDefault {
        table: QualifiedName,
        column: Ident,
        only: bool,
    },
    AddIdentity {
        table: QualifiedName,
        column: Ident,
        identity: Identity,
    },
    DropIdentity {
        table: QualifiedName,
        column: Ident,
    },
    AlterIdentity {
        table: QualifiedName,
        column: Ident,
        old: Identity,
        new: Identity,
    },
    CommentOnColumn {
        table: QualifiedName,
        column: Ident,
        comment: Option<String>,
    },
    /// Statistics target, storage, compression, options: each that
    /// differs is set (or reset to the default).
    SetColumnSettings {
        table: QualifiedName,
        column: Ident,
        old: ColumnSettings,
        new: ColumnSettings,
    },

    AddConstraint {
        table: QualifiedName,
        constraint: Constraint,
    },
    DropConstraint {
        table: QualifiedName,
        constraint: Constraint,
    },
    RenameConstraint {
        table: QualifiedName,
        from: Ident,
        to: Ident,
    },
    ValidateConstraint {
        table: QualifiedName,
        name: Ident,
    },
    CommentOnConstraint {
        table: QualifiedName,
        name: Ident,
        comment: Option<String>,
    },

    CreateIndex {
        table: QualifiedName,
        index: Index,
    },
    DropIndex {
        table: QualifiedName,
        index: Index,
    },
    RenameIndex {
        table: QualifiedName,
        from: Ident,
        to: Ident,
    },
    SetIndexStorageParams {
        table: QualifiedName,
        index: Ident,
        set: Vec<StorageParam>,
        reset: Vec<String>,
    },
    CommentOnIndex {
        table: QualifiedName,
        index: Ident,
        comment: Option<String>,
    },

    /// A new function or procedure; `after_tables` when it needs tables
    /// (or their row types) that must exist first.
    CreateRoutine {
        routine: Routine,
        after_tables: bool,
    },
    /// `CREATE OR REPLACE`: the body or options change, not the arguments'
    /// names, modes or defaults, nor the result.
    ReplaceRoutine {
        routine: Routine,
        after_tables: bool,
    },
    /// A change `CREATE OR REPLACE` cannot make: dropped and created in one
    /// step (what executes it is dropped before and created after).
    RecreateRoutine {
        old: Box<Routine>,
        new: Box<Routine>,
        after_tables: bool,
    },
    DropRoutine {
        routine: Routine,
        /// Whether it reads tables (a SQL-standard body), which cannot be
        /// dropped while it does.
        uses_tables: bool,
    },
    /// `kind` as in SQL: `FUNCTION`, `PROCEDURE`, `AGGREGATE`.
    RenameRoutine {
        from: RoutineId,
        to: QualifiedName,
        kind: &'static str,
    },
    CommentOnRoutine {
        id: RoutineId,
        kind: &'static str,
        comment: Option<String>,
    },

    /// `GRANT PRIVILEGES ON OBJECT TO GRANTEE`: each privilege on the
    /// object or on one of its columns.
    Grant {
        object: Securable,
        grantee: Grantee,
        privileges: Vec<(Privilege, Option<Ident>)>,
        grantable: bool,
    },
    /// `REVOKE [GRANT OPTION FOR] PRIVILEGES ON OBJECT FROM GRANTEE`.
    Revoke {
        object: Securable,
        grantee: Grantee,
        privileges: Vec<(Privilege, Option<Ident>)>,
        grant_option_only: bool,
    },
    /// `ALTER DEFAULT PRIVILEGES [FOR ROLE R] [IN SCHEMA S] GRANT ...`.
    GrantDefault {
        role: Option<Ident>,
        schema: Option<Ident>,
        kind: DefaultKind,
        grantee: Grantee,
        privileges: Vec<Privilege>,
        grantable: bool,
    },
    /// `ALTER DEFAULT PRIVILEGES ... REVOKE [GRANT OPTION FOR] ...`.
    RevokeDefault {
        role: Option<Ident>,
        schema: Option<Ident>,
        kind: DefaultKind,
        grantee: Grantee,
        privileges: Vec<Privilege>,
        grant_option_only: bool,
    },
    CreateView(Box<View>),
    /// Views go before what they read changes, and come back after.
    DropView(Box<View>),
    RenameView {
        from: QualifiedName,
        to: QualifiedName,
        materialized: bool,
    },
    CommentOnView {
        name: QualifiedName,
        materialized: bool,
        comment: Option<String>,
    },
    CreateViewIndex {
        view: QualifiedName,
        index: ViewIndex,
    },
    DropViewIndex {
        view: QualifiedName,
        index: ViewIndex,
    },
    RenameViewIndex {
        view: QualifiedName,
        from: Ident,
        to: Ident,
    },
    CommentOnViewIndex {
        view: QualifiedName,
        name: Ident,
        comment: Option<String>,
    },

    CreateTrigger {
        table: QualifiedName,
        trigger: Trigger,
    },
    /// On the table by its name before the plan (triggers go first).
    DropTrigger {
        table: QualifiedName,
        trigger: Trigger,
    },
    RenameTrigger {
        table: QualifiedName,
        from: Ident,
        to: Ident,
    },
    CommentOnTrigger {
        table: QualifiedName,
        name: Ident,
        comment: Option<String>,
    },

    SetRowSecurity {
        table: QualifiedName,
        old: RowSecurity,
        new: RowSecurity,
    },
    CreatePolicy {
        table: QualifiedName,
        policy: Policy,
    },
    /// On the table by its name before the plan (policies go first).
    DropPolicy {
        table: QualifiedName,
        policy: Policy,
    },
    /// `ALTER POLICY`: its roles or expressions change (`Some` for those).
    AlterPolicy {
        table: QualifiedName,
        name: Ident,
        roles: Option<Vec<Ident>>,
        using: Option<String>,
        check: Option<String>,
    },
    RenamePolicy {
        table: QualifiedName,
        from: Ident,
        to: Ident,
    },
    CommentOnPolicy {
        table: QualifiedName,
        name: Ident,
        comment: Option<String>,
    },
}

/// A column whose type (an enum or composite type) is made anew, converted
/// to the new one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConvertedColumn {
    pub table: QualifiedName,
    pub column: Ident,
    /// The default to set again after the conversion.
    pub default: Option<Expr>,
    /// Whether the column has a default to drop before it (a column that
    /// leaves the enum later in the plan has one but gets none back).
    pub had_default: bool,
    pub array_dims: u32,
}

impl Change {
    /// The table the change is about, if any.
    pub fn table(&self) -> Option<&QualifiedName> {
        use Change::*;
        match self {
            CreateTable(t) | DropTable(t) => Some(&t.name),
            RenameTable { to, .. } => Some(to),
            CommentOnTable { table, .. }
            | SetLogged { table, .. }
            | SetAccessMethod { table, .. }
            | SetTablespace { table, .. }
            | SetStorageParams { table, .. }
            | SetReplicaIdentity { table, .. }
            | AddColumn { table, .. }
            | AttachPartition { table, .. }
            | SetClusterOn { table, .. }
            | CreateStatistics { table, .. }
            | DropStatistics { table, .. }
            | DetachPartition { table, .. }
            | SetInherit { table, .. }
            | UpdateEnumLabel { table, .. }
            | ReplaceCheck { table, .. }
            | GuardEnumLabel { table, .. }
            | DropColumn { table, .. }
            | RenameColumn { table, .. }
            | AlterColumnType { table, .. }
            | SetNotNull { table, .. }
            | DropNotNull { table, .. }
            | SetDefault { table, .. }
            | DropDefault { table, .. }
            | AddIdentity { table, .. }
            | DropIdentity { table, .. }
            | AlterIdentity { table, .. }
            | CommentOnColumn { table, .. }
            | SetColumnSettings { table, .. }
            | AddConstraint { table, .. }
            | DropConstraint { table, .. }
            | RenameConstraint { table, .. }
            | ValidateConstraint { table, .. }
            | CommentOnConstraint { table, .. }
            | CreateIndex { table, .. }
            | DropIndex { table, .. }
            | RenameIndex { table, .. }
            | SetIndexStorageParams { table, .. }
            | CreateTrigger { table, .. }
            | DropTrigger { table, .. }
            | RenameTrigger { table, .. }
            | CommentOnTrigger { table, .. }
            | SetRowSecurity { table, .. }
            | CreatePolicy { table, .. }
            | DropPolicy { table, .. }
            | AlterPolicy { table, .. }
            | RenamePolicy { table, .. }
            | CommentOnPolicy { table, .. }
            | CommentOnIndex { table, .. } => Some(table),
            _ => None,
        }
    }
}
