//! Random pairs of `.trellis` schemas (old, new) for the convergence tests.
//!
//! A structured model is generated first (tables, columns, constraints,
//! indexes, enums, sequences), `new` is derived from `old` by random
//! mutations on that model, and both are printed as `.trellis` source.
//! Objects are referred to by ids inside the model, so a rename only changes
//! a name and every reference (constraint columns, expressions, foreign
//! keys, `owned by`, `nextval`) prints the current one. After each mutation
//! a repair pass removes whatever the mutation left dangling, so that both
//! sources always compile: foreign keys point at a non-deferrable primary
//! key or unique constraint over columns of the same types, every name is
//! declared, and renames carry `was` hints naming something of `old`.
//!
//! Everything is drawn from one seed (SplitMix64), so a pair is a pure
//! function of `(seed, tables, mutations)`. The old schema and the
//! mutations use separate streams: proptest shrinks the number of
//! mutations while the old schema and the first mutations stay the same.
#![allow(dead_code)]

use std::collections::BTreeSet;
use std::fmt;

use proptest::prelude::*;

/// Two `.trellis` sources: a schema and the schema it is changed into.
#[derive(Clone, PartialEq, Eq)]
pub struct SchemaPair {
    pub old: String,
    pub new: String,
}

impl fmt::Debug for SchemaPair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "SchemaPair\n-------- old.trellis --------\n{}-------- new.trellis --------\n{}",
            self.old, self.new
        )
    }
}

/// Random (old, new) pairs: 1 to 6 tables, 1 to 8 mutations.
pub fn schema_pairs() -> impl Strategy<Value = SchemaPair> {
    (any::<u64>(), 1usize..=6, 1usize..=8).prop_map(|(seed, tables, mutations)| schema_pair(seed, tables, mutations))
}

/// The pair drawn from a seed, with `tables` tables in `old` and
/// `mutations` changes applied to make `new`.
pub fn schema_pair(seed: u64, tables: usize, mutations: usize) -> SchemaPair {
    let mut rng = Rng(seed);
    let old = Model::generate(&mut rng, tables);
    let mut new = old.clone();
    let mut rng = Rng(seed ^ 0x5eed_0f4e_77c4_a9b1);
    let mut applied = 0;
    let mut attempts = 0;
    while applied < mutations && attempts < mutations * 20 {
        attempts += 1;
        if new.mutate(&mut rng) {
            new.repair();
            applied += 1;
        }
    }
    new.repair();
    SchemaPair {
        old: old.print(),
        new: new.print(),
    }
}

// ---------------------------------------------------------------- randomness

/// SplitMix64: small, fast, and the same on every platform.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    /// A number in `lo..=hi`.
    fn between(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next() % ((hi - lo) as u64 + 1)) as i64
    }

    /// An index into `weights`, drawn in proportion to the weights.
    fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u32 = weights.iter().sum();
        let mut draw = (self.next() % u64::from(total)) as u32;
        for (i, &w) in weights.iter().enumerate() {
            if draw < w {
                return i;
            }
            draw -= w;
        }
        weights.len() - 1
    }
}

// ---------------------------------------------------------------- the model

type Id = u32;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Space {
    Public,
    App,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ty {
    SmallInt,
    Int,
    BigInt,
    Numeric(u8, u8),
    Text,
    Varchar(u16),
    Bool,
    Timestamptz,
    Date,
    Uuid,
    Jsonb,
    TextArray,
    Enum(Id),
}

impl Ty {
    fn is_integer(self) -> bool {
        matches!(self, Ty::SmallInt | Ty::Int | Ty::BigInt)
    }
    fn is_number(self) -> bool {
        self.is_integer() || matches!(self, Ty::Numeric(..))
    }
    fn is_string(self) -> bool {
        matches!(self, Ty::Text | Ty::Varchar(_))
    }
    fn is_temporal(self) -> bool {
        matches!(self, Ty::Date | Ty::Timestamptz)
    }
    /// Usable in a primary key, unique constraint or foreign key here.
    fn keyable(self) -> bool {
        self.is_number() || self.is_string() || matches!(self, Ty::Uuid | Ty::Date | Ty::Enum(_))
    }
    fn hashable(self) -> bool {
        !matches!(self, Ty::Jsonb | Ty::TextArray)
    }
    fn brin(self) -> bool {
        self.is_number() || self.is_string() || self.is_temporal() || self == Ty::Uuid
    }
    fn integer_range(self) -> (i64, i64) {
        match self {
            Ty::SmallInt => (i16::MIN.into(), i16::MAX.into()),
            Ty::Int => (i32::MIN.into(), i32::MAX.into()),
            _ => (i64::MIN, i64::MAX),
        }
    }
}

/// `minvalue`/`maxvalue`: left out, `no minvalue`, or a value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Bound {
    Unwritten,
    No,
    Value(i64),
}

/// Sequence options as written (unwritten ones take PostgreSQL's defaults).
#[derive(Clone, Debug, PartialEq, Eq)]
struct SeqOptions {
    as_type: Option<Ty>,
    increment: Option<i64>,
    min: Bound,
    max: Bound,
    start: Option<i64>,
    cache: Option<i64>,
    cycle: Option<bool>,
}

#[derive(Clone, Debug)]
struct Identity {
    always: bool,
    options: SeqOptions,
}

#[derive(Clone, Debug)]
enum DefaultValue {
    /// SQL text that does not depend on other objects.
    Sql(String),
    /// An enum label, optionally cast to the enum type.
    Label { label: Id, cast: bool },
    /// `nextval('seq')`.
    NextVal { sequence: Id, regclass: bool },
}

#[derive(Clone, Copy, Debug)]
enum Generated {
    Double(Id),
    Upper(Id),
    Exclaim(Id),
}

impl Generated {
    fn source(self) -> Id {
        match self {
            Generated::Double(c) | Generated::Upper(c) | Generated::Exclaim(c) => c,
        }
    }
}

#[derive(Clone, Debug)]
struct Column {
    id: Id,
    born_new: bool,
    name: String,
    was: Option<String>,
    ty: Ty,
    spelling: u8,
    not_null: bool,
    default: Option<DefaultValue>,
    identity: Option<Identity>,
    serial: bool,
    generated: Option<Generated>,
    collate_c: bool,
    comment: Option<String>,
    trailing_comma: bool,
}

impl Column {
    /// Whether the column may take a default, identity or serial.
    fn plain(&self) -> bool {
        self.identity.is_none() && !self.serial && self.generated.is_none()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Deferral {
    No,
    Deferrable,
    InitiallyDeferred,
    InitiallyImmediate,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Referential {
    NoAction,
    Restrict,
    Cascade,
    SetNull,
    SetDefault,
}

#[derive(Clone, Debug)]
struct ForeignKey {
    columns: Vec<Id>,
    table: Id,
    referenced: Vec<Id>,
    /// Leave out the referenced columns when they are the primary key.
    omit_referenced: bool,
    match_full: bool,
    on_delete: Option<Referential>,
    on_update: Option<Referential>,
    /// `on delete set null (cols)`.
    set_columns: Vec<Id>,
}

/// A boolean SQL condition over columns: checks and index predicates.
#[derive(Clone, Debug)]
enum Cond {
    Compare {
        column: Id,
        op: &'static str,
        value: i64,
        style: u8,
        cast: &'static str,
    },
    Ordered {
        low: Id,
        high: Id,
        style: u8,
    },
    NotEmpty {
        column: Id,
        style: u8,
    },
    NotNull {
        column: Id,
        upper: bool,
    },
    Truthy {
        column: Id,
    },
    After {
        column: Id,
        cast: bool,
    },
    NotLabel {
        column: Id,
        label: Id,
    },
    JsonObject {
        column: Id,
    },
    FewItems {
        column: Id,
        style: u8,
    },
    EitherSet {
        a: Id,
        b: Id,
        style: u8,
    },
    And(Box<Cond>, Box<Cond>),
    Not(Box<Cond>),
}

impl Cond {
    fn columns(&self, out: &mut Vec<Id>) {
        match self {
            Cond::Compare { column, .. }
            | Cond::NotEmpty { column, .. }
            | Cond::NotNull { column, .. }
            | Cond::Truthy { column }
            | Cond::After { column, .. }
            | Cond::NotLabel { column, .. }
            | Cond::JsonObject { column }
            | Cond::FewItems { column, .. } => out.push(*column),
            Cond::Ordered { low, high, .. } => out.extend([*low, *high]),
            Cond::EitherSet { a, b, .. } => out.extend([*a, *b]),
            Cond::And(x, y) => {
                x.columns(out);
                y.columns(out);
            }
            Cond::Not(x) => x.columns(out),
        }
    }

    fn labels(&self, out: &mut Vec<Id>) {
        match self {
            Cond::NotLabel { label, .. } => out.push(*label),
            Cond::And(x, y) => {
                x.labels(out);
                y.labels(out);
            }
            Cond::Not(x) => x.labels(out),
            _ => {}
        }
    }
}

#[derive(Clone, Debug)]
enum Kind {
    PrimaryKey {
        columns: Vec<Id>,
        deferral: Deferral,
    },
    Unique {
        columns: Vec<Id>,
        include: Vec<Id>,
        nulls_not_distinct: bool,
        deferral: Deferral,
    },
    Check(Cond),
    ForeignKey(ForeignKey, Deferral),
}

#[derive(Clone, Debug)]
struct Constraint {
    id: Id,
    born_new: bool,
    name: Option<String>,
    was: Option<String>,
    comment: Option<String>,
    /// Written on this column's line rather than as a table item.
    inline: Option<Id>,
    kind: Kind,
}

impl Constraint {
    fn columns(&self) -> Vec<Id> {
        let mut out = Vec::new();
        match &self.kind {
            Kind::PrimaryKey { columns, .. } => out.extend(columns),
            Kind::Unique { columns, include, .. } => {
                out.extend(columns);
                out.extend(include);
            }
            Kind::Check(cond) => cond.columns(&mut out),
            Kind::ForeignKey(fk, _) => out.extend(&fk.columns),
        }
        out
    }

    /// The key columns when this is a constraint a foreign key may point at.
    fn key(&self) -> Option<&[Id]> {
        match &self.kind {
            Kind::PrimaryKey {
                columns,
                deferral: Deferral::No,
            }
            | Kind::Unique {
                columns,
                deferral: Deferral::No,
                ..
            } => Some(columns),
            _ => None,
        }
    }

    fn deferral(&self) -> Deferral {
        match &self.kind {
            Kind::PrimaryKey { deferral, .. } | Kind::Unique { deferral, .. } | Kind::ForeignKey(_, deferral) => {
                *deferral
            }
            Kind::Check(_) => Deferral::No,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Method {
    Btree,
    Hash,
    Brin,
    Gin,
}

#[derive(Clone, Copy, Debug)]
enum Target {
    Column(Id),
    Lower { column: Id, parenthesised: bool },
    PlusOne(Id),
    Coalesce(Id),
}

impl Target {
    fn column(self) -> Id {
        match self {
            Target::Column(c) | Target::Lower { column: c, .. } | Target::PlusOne(c) | Target::Coalesce(c) => c,
        }
    }
}

#[derive(Clone, Debug)]
struct Element {
    target: Target,
    opclass: Option<&'static str>,
    collate_c: bool,
    /// `asc` (false) or `desc` (true) when written.
    descending: Option<bool>,
    /// `nulls last` (false) or `nulls first` (true) when written.
    nulls_first: Option<bool>,
}

#[derive(Clone, Debug)]
struct Index {
    id: Id,
    born_new: bool,
    name: Option<String>,
    was: Option<String>,
    comment: Option<String>,
    unique: bool,
    nulls_not_distinct: bool,
    method: Method,
    method_written: bool,
    elements: Vec<Element>,
    include: Vec<Id>,
    predicate: Option<Cond>,
}

impl Index {
    fn columns(&self) -> Vec<Id> {
        let mut out: Vec<Id> = self.elements.iter().map(|e| e.target.column()).collect();
        out.extend(&self.include);
        if let Some(p) = &self.predicate {
            p.columns(&mut out);
        }
        out
    }
}

#[derive(Clone, Debug)]
struct Table {
    id: Id,
    born_new: bool,
    space: Space,
    name: String,
    was: Option<(Space, String)>,
    comment: Option<String>,
    columns: Vec<Column>,
    constraints: Vec<Constraint>,
    indexes: Vec<Index>,
    /// Column names ever used in this table (old and new), so that a new
    /// or renamed column never takes a name that meant something else.
    used: BTreeSet<String>,
}

impl Table {
    fn column(&self, id: Id) -> Option<&Column> {
        self.columns.iter().find(|c| c.id == id)
    }
    fn column_mut(&mut self, id: Id) -> Option<&mut Column> {
        self.columns.iter_mut().find(|c| c.id == id)
    }
    fn primary_key(&self) -> Option<&Constraint> {
        self.constraints
            .iter()
            .find(|c| matches!(c.kind, Kind::PrimaryKey { .. }))
    }
}

#[derive(Clone, Debug)]
struct Label {
    id: Id,
    born_new: bool,
    name: String,
    was: Option<String>,
}

#[derive(Clone, Debug)]
struct Enum {
    id: Id,
    born_new: bool,
    space: Space,
    name: String,
    was: Option<(Space, String)>,
    comment: Option<String>,
    as_check: bool,
    labels: Vec<Label>,
    used: BTreeSet<String>,
}

#[derive(Clone, Debug)]
struct Sequence {
    id: Id,
    born_new: bool,
    space: Space,
    name: String,
    was: Option<(Space, String)>,
    comment: Option<String>,
    options: SeqOptions,
    owned_by: Option<(Id, Id)>,
}

#[derive(Clone, Debug, Default)]
struct Model {
    next_id: Id,
    tables: Vec<Table>,
    enums: Vec<Enum>,
    sequences: Vec<Sequence>,
    /// Every table, enum, sequence, constraint and index name ever used.
    used: BTreeSet<String>,
    /// Column keywords in upper case (`NOT NULL`, `DEFAULT`, ...).
    shout: bool,
}

// ---------------------------------------------------------------- vocabulary

const TABLE_WORDS: &[&str] = &[
    "accounts",
    "orders",
    "items",
    "products",
    "invoices",
    "payments",
    "teams",
    "members",
    "projects",
    "tasks",
    "notes",
    "events",
    "tags",
    "files",
    "reviews",
    "carts",
    "shipments",
    "vendors",
    "regions",
    "tickets",
];
const ENUM_WORDS: &[&str] = &["mood", "priority", "stage", "tier", "channel", "color"];
const LABEL_WORDS: &[&str] = &[
    "low", "high", "red", "blue", "open", "closed", "draft", "done", "new", "paid", "gold", "silver", "email", "sms",
    "it's",
];
const SEQUENCE_WORDS: &[&str] = &["counter", "ticket_no", "batch_no", "invoice_no", "run_no"];
const CONSTRAINT_SUFFIXES: &[&str] = &["ok", "valid", "link", "uniq", "pk", "rule", "guard"];
const INDEX_SUFFIXES: &[&str] = &["lookup", "search", "by_key", "sorted", "recent"];
const COMMENTS: &[&str] = &[
    "Kept for the auditors.",
    "Who owns what.",
    "The customer's own reference.",
    "Filled in by the nightly job.",
    "See the billing handbook, section 4.",
    "Never shown to users.",
];

fn column_words(ty: Ty) -> &'static [&'static str] {
    match ty {
        Ty::SmallInt | Ty::Int | Ty::BigInt => &["quantity", "position", "score", "level", "stock", "points", "seats"],
        Ty::Numeric(..) => &["price", "total", "amount", "balance", "rate", "fee"],
        Ty::Text | Ty::Varchar(_) => &["name", "title", "email", "slug", "code", "body", "city", "sku"],
        Ty::Bool => &["active", "archived", "verified", "public", "flagged"],
        Ty::Timestamptz => &["created_at", "updated_at", "seen_at", "closed_at"],
        Ty::Date => &["due_on", "starts_on", "ends_on", "born_on"],
        Ty::Uuid => &["public_id", "token", "external_id"],
        Ty::Jsonb => &["data", "meta", "settings", "payload"],
        Ty::TextArray => &["aliases", "keywords", "topics"],
        Ty::Enum(_) => &["status", "state", "kind", "grade"],
    }
}

fn fresh(used: &mut BTreeSet<String>, base: &str) -> String {
    if used.insert(base.to_string()) {
        return base.to_string();
    }
    (2..)
        .map(|n| format!("{base}_{n}"))
        .find(|candidate| used.insert(candidate.clone()))
        .expect("some suffix is free")
}

// ---------------------------------------------------------------- old schema

impl Model {
    fn id(&mut self) -> Id {
        self.next_id += 1;
        self.next_id
    }

    fn generate(rng: &mut Rng, tables: usize) -> Model {
        let mut model = Model {
            shout: rng.chance(10),
            ..Model::default()
        };
        for _ in 0..rng.weighted(&[4, 4, 2]) {
            model.add_enum(rng);
        }
        for _ in 0..tables {
            model.add_table(rng);
        }
        for t in 0..model.tables.len() {
            for _ in 0..rng.weighted(&[4, 4, 2]) {
                model.add_foreign_key(rng, t);
            }
        }
        for _ in 0..rng.weighted(&[5, 3, 2]) {
            model.add_sequence(rng);
        }
        model.repair();
        model
    }

    fn comment(rng: &mut Rng, percent: u64) -> Option<String> {
        rng.chance(percent).then(|| rng.pick(COMMENTS).to_string())
    }

    fn space(rng: &mut Rng) -> Space {
        if rng.chance(25) { Space::App } else { Space::Public }
    }

    fn add_enum(&mut self, rng: &mut Rng) -> Id {
        let id = self.id();
        let name = fresh(&mut self.used, rng.pick(ENUM_WORDS));
        let mut used = BTreeSet::new();
        let mut labels = Vec::new();
        for _ in 0..rng.between(1, 4) {
            let name = fresh(&mut used, rng.pick(LABEL_WORDS));
            labels.push(Label {
                id: self.id(),
                born_new: false,
                name,
                was: None,
            });
        }
        self.enums.push(Enum {
            id,
            born_new: false,
            space: Model::space(rng),
            name,
            was: None,
            comment: Model::comment(rng, 30),
            as_check: rng.chance(15),
            labels,
            used,
        });
        id
    }

    fn random_type(&self, rng: &mut Rng) -> Ty {
        let weights = [
            6,
            8,
            6,
            6,
            8,
            6,
            4,
            5,
            4,
            3,
            3,
            2,
            if self.enums.is_empty() { 0 } else { 6 },
        ];
        match rng.weighted(&weights) {
            0 => Ty::SmallInt,
            1 => Ty::Int,
            2 => Ty::BigInt,
            3 => Ty::Numeric(rng.pick(&[10, 12]), rng.pick(&[0, 2])),
            4 => Ty::Text,
            5 => Ty::Varchar(rng.pick(&[20, 40, 100])),
            6 => Ty::Bool,
            7 => Ty::Timestamptz,
            8 => Ty::Date,
            9 => Ty::Uuid,
            10 => Ty::Jsonb,
            11 => Ty::TextArray,
            _ => Ty::Enum(self.enums[rng.below(self.enums.len())].id),
        }
    }

    /// A default suited to the column's type.
    fn random_default(&self, rng: &mut Rng, ty: Ty) -> Option<DefaultValue> {
        let sql = |s: &str| Some(DefaultValue::Sql(s.to_string()));
        match ty {
            Ty::SmallInt | Ty::Int | Ty::BigInt => {
                let sequences: Vec<Id> = self.sequences.iter().map(|s| s.id).collect();
                if !sequences.is_empty() && rng.chance(30) {
                    return Some(DefaultValue::NextVal {
                        sequence: rng.pick(&sequences),
                        regclass: rng.chance(30),
                    });
                }
                sql(rng.pick(&["0", "1", "42", "-1", "(1 + 2)", "2 * 3"]))
            }
            Ty::Numeric(..) => sql(rng.pick(&["0", "0.00", "1.5", "(10 * 2.5)", "-0.5"])),
            Ty::Text | Ty::Varchar(_) => sql(rng.pick(&["''", "'none'", "'it''s'", "lower('ABC')", "'a' || 'b'"])),
            Ty::Bool => sql(rng.pick(&["true", "false", "FALSE", "(1 = 1)"])),
            Ty::Timestamptz => sql(rng.pick(&[
                "now()",
                "CURRENT_TIMESTAMP",
                "current_timestamp",
                "(now() + interval '1 day')",
                "statement_timestamp()",
            ])),
            Ty::Date => sql(rng.pick(&["current_date", "CURRENT_DATE", "'2024-01-01'", "(current_date + 7)"])),
            Ty::Uuid => sql("gen_random_uuid()"),
            Ty::Jsonb => sql(rng.pick(&["'{}'", "'{}'::jsonb", "'[]'", "jsonb_build_object()"])),
            Ty::TextArray => sql(rng.pick(&["'{}'", "ARRAY[]::text[]", "'{a,b}'"])),
            Ty::Enum(e) => {
                let labels = &self.enums.iter().find(|x| x.id == e)?.labels;
                if labels.is_empty() {
                    return None;
                }
                Some(DefaultValue::Label {
                    label: labels[rng.below(labels.len())].id,
                    cast: rng.chance(30),
                })
            }
        }
    }

    fn random_options(rng: &mut Rng, ty: Ty, write_as: bool) -> SeqOptions {
        let (type_min, type_max) = ty.integer_range();
        let increment = match rng.weighted(&[6, 3, 1]) {
            0 => 1,
            1 => rng.between(2, 10),
            _ => -rng.between(1, 3),
        };
        let mut options = SeqOptions {
            as_type: write_as.then_some(ty),
            increment: (increment != 1 || rng.chance(20)).then_some(increment),
            min: Bound::Unwritten,
            max: Bound::Unwritten,
            start: None,
            cache: None,
            cycle: None,
        };
        let (mut min, mut max) = if increment > 0 { (1, type_max) } else { (type_min, -1) };
        if rng.chance(30) {
            min = if increment > 0 {
                rng.between(1, 1000)
            } else {
                rng.between(type_min.max(-100_000), -1000)
            };
            options.min = Bound::Value(min);
        } else if rng.chance(10) {
            options.min = Bound::No;
        }
        if rng.chance(30) {
            max = if increment > 0 {
                rng.between(min + 100, type_max.min(min + 30_000))
            } else {
                rng.between(min + 100, -1)
            };
            options.max = Bound::Value(max);
        } else if rng.chance(10) {
            options.max = Bound::No;
        }
        if rng.chance(40) {
            options.start = Some(if increment > 0 {
                rng.between(min, max.min(min + 5000))
            } else {
                rng.between(min.max(max - 5000), max)
            });
        }
        if rng.chance(25) {
            options.cache = Some(rng.between(1, 50));
        }
        if rng.chance(15) {
            options.cycle = Some(rng.chance(50));
        }
        options
    }

    /// A new column (without the table's name bookkeeping).
    fn random_column(&self, rng: &mut Rng, table: &mut Table, id: Id) -> Column {
        let ty = self.random_type(rng);
        let name = fresh(&mut table.used, rng.pick(column_words(ty)));
        let mut column = Column {
            id,
            born_new: false,
            name,
            was: None,
            ty,
            spelling: rng.below(6) as u8,
            not_null: rng.chance(40),
            default: None,
            identity: None,
            serial: false,
            generated: None,
            collate_c: ty.is_string() && rng.chance(25),
            comment: Model::comment(rng, 15),
            trailing_comma: rng.chance(10),
        };
        if ty.is_integer() && rng.chance(8) {
            column.identity = Some(Identity {
                always: rng.chance(50),
                options: if rng.chance(40) {
                    Model::random_options(rng, ty, false)
                } else {
                    SeqOptions::unwritten()
                },
            });
            column.not_null = true;
        } else if ty.is_integer() && rng.chance(5) {
            column.serial = true;
            column.not_null = true;
        } else if rng.chance(35) {
            column.default = self.random_default(rng, ty);
        }
        column
    }

    fn add_table(&mut self, rng: &mut Rng) -> usize {
        let id = self.id();
        let name = fresh(&mut self.used, rng.pick(TABLE_WORDS));
        let mut table = Table {
            id,
            born_new: false,
            space: Model::space(rng),
            name,
            was: None,
            comment: Model::comment(rng, 30),
            columns: Vec::new(),
            constraints: Vec::new(),
            indexes: Vec::new(),
            used: BTreeSet::new(),
        };
        let key = rng.weighted(&[5, 2, 2, 2, 2, 2]);
        if key < 5 {
            let ty = match key {
                0 => Ty::BigInt,
                1 => Ty::Int,
                2 => Ty::Uuid,
                3 => Ty::Text,
                _ => Ty::Int,
            };
            let column_id = self.id();
            let mut column = Column {
                id: column_id,
                born_new: false,
                name: fresh(&mut table.used, "id"),
                was: None,
                ty,
                spelling: rng.below(6) as u8,
                not_null: true,
                default: None,
                identity: None,
                serial: false,
                generated: None,
                collate_c: false,
                comment: None,
                trailing_comma: false,
            };
            match key {
                0 => {
                    column.identity = Some(Identity {
                        always: rng.chance(60),
                        options: if rng.chance(25) {
                            Model::random_options(rng, ty, false)
                        } else {
                            SeqOptions::unwritten()
                        },
                    })
                }
                1 => column.serial = true,
                2 => column.default = Some(DefaultValue::Sql("gen_random_uuid()".into())),
                _ => {}
            }
            table.columns.push(column);
            let constraint_id = self.id();
            let inline = rng.chance(75);
            table.constraints.push(Constraint {
                id: constraint_id,
                born_new: false,
                name: rng.chance(15).then(|| self.constraint_name(rng, &table.name)),
                was: None,
                comment: if inline { None } else { Model::comment(rng, 20) },
                inline: inline.then_some(column_id),
                kind: Kind::PrimaryKey {
                    columns: vec![column_id],
                    deferral: Deferral::No,
                },
            });
        }
        for _ in 0..rng.between(1, 5) {
            let id = self.id();
            let column = self.random_column(rng, &mut table, id);
            table.columns.push(column);
        }
        if key == 5 {
            self.add_primary_key(rng, &mut table);
        }
        if rng.chance(15) {
            self.add_generated_column(rng, &mut table);
        }
        for _ in 0..rng.weighted(&[5, 3, 1]) {
            self.add_unique(rng, &mut table);
        }
        for _ in 0..rng.weighted(&[4, 4, 2]) {
            self.add_check(rng, &mut table);
        }
        for _ in 0..rng.weighted(&[3, 4, 2]) {
            self.add_index(rng, &mut table);
        }
        self.tables.push(table);
        self.tables.len() - 1
    }

    fn constraint_name(&mut self, rng: &mut Rng, table: &str) -> String {
        fresh(&mut self.used, &format!("{table}_{}", rng.pick(CONSTRAINT_SUFFIXES)))
    }

    fn index_name(&mut self, rng: &mut Rng, table: &str) -> String {
        fresh(&mut self.used, &format!("{table}_{}", rng.pick(INDEX_SUFFIXES)))
    }

    /// Columns a key may use: keyable, not generated.
    fn key_candidates(table: &Table) -> Vec<Id> {
        table
            .columns
            .iter()
            .filter(|c| c.ty.keyable() && c.generated.is_none())
            .map(|c| c.id)
            .collect()
    }

    fn choose_columns(rng: &mut Rng, candidates: &[Id], most: usize) -> Vec<Id> {
        let mut pool = candidates.to_vec();
        let mut out = Vec::new();
        let count = rng.between(1, most.min(pool.len()) as i64) as usize;
        for _ in 0..count {
            out.push(pool.remove(rng.below(pool.len())));
        }
        out
    }

    fn add_primary_key(&mut self, rng: &mut Rng, table: &mut Table) -> bool {
        let candidates = Model::key_candidates(table);
        if candidates.is_empty() || table.primary_key().is_some() {
            return false;
        }
        let columns = Model::choose_columns(rng, &candidates, 3);
        for &c in &columns {
            if let Some(column) = table.column_mut(c) {
                column.not_null = column.not_null || rng.chance(70);
            }
        }
        let inline = (columns.len() == 1 && rng.chance(50)).then_some(columns[0]);
        let id = self.id();
        let name = rng.chance(30).then(|| self.constraint_name(rng, &table.name));
        table.constraints.push(Constraint {
            id,
            born_new: false,
            name,
            was: None,
            comment: if inline.is_none() {
                Model::comment(rng, 20)
            } else {
                None
            },
            inline,
            kind: Kind::PrimaryKey {
                columns,
                deferral: if rng.chance(5) {
                    Deferral::Deferrable
                } else {
                    Deferral::No
                },
            },
        });
        true
    }

    fn add_unique(&mut self, rng: &mut Rng, table: &mut Table) -> bool {
        let candidates = Model::key_candidates(table);
        if candidates.is_empty() {
            return false;
        }
        let columns = Model::choose_columns(rng, &candidates, 3);
        let rest: Vec<Id> = table
            .columns
            .iter()
            .map(|c| c.id)
            .filter(|c| !columns.contains(c))
            .collect();
        let include = if !rest.is_empty() && rng.chance(10) {
            vec![rng.pick(&rest)]
        } else {
            Vec::new()
        };
        let inline = (columns.len() == 1 && include.is_empty() && rng.chance(50)).then_some(columns[0]);
        let id = self.id();
        let name = rng.chance(30).then(|| self.constraint_name(rng, &table.name));
        table.constraints.push(Constraint {
            id,
            born_new: false,
            name,
            was: None,
            comment: if inline.is_none() {
                Model::comment(rng, 20)
            } else {
                None
            },
            inline,
            kind: Kind::Unique {
                columns,
                include,
                nulls_not_distinct: rng.chance(20),
                deferral: match rng.weighted(&[16, 1, 1, 1]) {
                    0 => Deferral::No,
                    1 => Deferral::Deferrable,
                    2 => Deferral::InitiallyDeferred,
                    _ => Deferral::InitiallyImmediate,
                },
            },
        });
        true
    }

    /// A condition over the table's columns; `single` keeps it to one column.
    fn random_cond(&self, rng: &mut Rng, table: &Table, single: bool, predicate: bool) -> Option<Cond> {
        let columns: Vec<&Column> = table.columns.iter().collect();
        if columns.is_empty() {
            return None;
        }
        for _ in 0..8 {
            let column = columns[rng.below(columns.len())];
            let c = column.id;
            let cond = match column.ty {
                ty if ty.is_number() => {
                    let pair: Vec<Id> = columns
                        .iter()
                        .filter(|o| o.id != c && o.ty.is_number())
                        .map(|o| o.id)
                        .collect();
                    if !single && !predicate && !pair.is_empty() && rng.chance(25) {
                        Cond::Ordered {
                            low: c,
                            high: rng.pick(&pair),
                            style: rng.below(3) as u8,
                        }
                    } else {
                        Cond::Compare {
                            column: c,
                            op: rng.pick(&[">=", ">", "<>", "<", "<="]),
                            value: rng.pick(&[0, 1, 5, 100, -1]),
                            style: rng.below(5) as u8,
                            cast: if matches!(ty, Ty::Numeric(..)) {
                                "numeric"
                            } else {
                                "integer"
                            },
                        }
                    }
                }
                ty if ty.is_string() => Cond::NotEmpty {
                    column: c,
                    style: rng.below(4) as u8,
                },
                Ty::Bool if predicate => Cond::Truthy { column: c },
                ty if ty.is_temporal() && !predicate => {
                    let pair: Vec<Id> = columns
                        .iter()
                        .filter(|o| o.id != c && o.ty.is_temporal())
                        .map(|o| o.id)
                        .collect();
                    if !single && !pair.is_empty() && rng.chance(40) {
                        Cond::Ordered {
                            low: c,
                            high: rng.pick(&pair),
                            style: rng.below(3) as u8,
                        }
                    } else {
                        Cond::After {
                            column: c,
                            cast: rng.chance(40),
                        }
                    }
                }
                Ty::Enum(e) => {
                    let labels = &self.enums.iter().find(|x| x.id == e)?.labels;
                    if labels.is_empty() {
                        continue;
                    }
                    Cond::NotLabel {
                        column: c,
                        label: labels[rng.below(labels.len())].id,
                    }
                }
                Ty::Jsonb if !predicate => Cond::JsonObject { column: c },
                Ty::TextArray if !predicate => Cond::FewItems {
                    column: c,
                    style: rng.below(2) as u8,
                },
                _ => {
                    if !single && columns.len() > 1 && rng.chance(50) {
                        let other = columns[rng.below(columns.len())].id;
                        if other == c {
                            continue;
                        }
                        Cond::EitherSet {
                            a: c,
                            b: other,
                            style: rng.below(2) as u8,
                        }
                    } else {
                        Cond::NotNull {
                            column: c,
                            upper: rng.chance(50),
                        }
                    }
                }
            };
            if !predicate && rng.chance(10) {
                return Some(Cond::Not(Box::new(cond)));
            }
            if !single && rng.chance(15) {
                if let Some(other) = self.random_cond(rng, table, true, predicate) {
                    return Some(Cond::And(Box::new(cond), Box::new(other)));
                }
            }
            return Some(cond);
        }
        None
    }

    fn add_check(&mut self, rng: &mut Rng, table: &mut Table) -> bool {
        let single = rng.chance(50);
        let Some(cond) = self.random_cond(rng, table, single, false) else {
            return false;
        };
        let mut columns = Vec::new();
        cond.columns(&mut columns);
        columns.dedup();
        let inline = (columns.len() == 1 && rng.chance(60)).then_some(columns[0]);
        let id = self.id();
        let name = rng.chance(35).then(|| self.constraint_name(rng, &table.name));
        table.constraints.push(Constraint {
            id,
            born_new: false,
            name,
            was: None,
            comment: if inline.is_none() {
                Model::comment(rng, 20)
            } else {
                None
            },
            inline,
            kind: Kind::Check(cond),
        });
        true
    }

    fn add_generated_column(&mut self, rng: &mut Rng, table: &mut Table) -> bool {
        let sources: Vec<&Column> = table
            .columns
            .iter()
            .filter(|c| c.generated.is_none() && c.identity.is_none() && (c.ty.is_number() || c.ty.is_string()))
            .collect();
        if sources.is_empty() {
            return false;
        }
        let source = sources[rng.below(sources.len())];
        let (generated, ty, base) = if source.ty.is_number() {
            (Generated::Double(source.id), Ty::Numeric(14, 2), "doubled")
        } else if rng.chance(50) {
            (Generated::Upper(source.id), Ty::Text, "shouted")
        } else {
            (Generated::Exclaim(source.id), Ty::Text, "excited")
        };
        let id = self.id();
        let name = fresh(&mut table.used, base);
        table.columns.push(Column {
            id,
            born_new: false,
            name,
            was: None,
            ty,
            spelling: rng.below(6) as u8,
            not_null: false,
            default: None,
            identity: None,
            serial: false,
            generated: Some(generated),
            collate_c: false,
            comment: Model::comment(rng, 20),
            trailing_comma: false,
        });
        true
    }

    fn random_element(rng: &mut Rng, column: &Column, method: Method) -> Element {
        let target = match column.ty {
            ty if ty.is_string() && method == Method::Btree && rng.chance(30) => Target::Lower {
                column: column.id,
                parenthesised: rng.chance(50),
            },
            ty if ty.is_number() && method == Method::Btree && rng.chance(20) => {
                if rng.chance(50) {
                    Target::PlusOne(column.id)
                } else {
                    Target::Coalesce(column.id)
                }
            }
            _ => Target::Column(column.id),
        };
        let plain_column = matches!(target, Target::Column(_));
        let btree = method == Method::Btree;
        Element {
            target,
            opclass: if method == Method::Gin && column.ty == Ty::Jsonb && rng.chance(40) {
                Some("jsonb_path_ops")
            } else if btree && plain_column && column.ty == Ty::Text && rng.chance(15) {
                Some("text_pattern_ops")
            } else {
                None
            },
            collate_c: btree && plain_column && column.ty.is_string() && rng.chance(10),
            descending: (btree && rng.chance(30)).then(|| rng.chance(60)),
            nulls_first: (btree && rng.chance(20)).then(|| rng.chance(50)),
        }
    }

    fn add_index(&mut self, rng: &mut Rng, table: &mut Table) -> bool {
        let gin: Vec<&Column> = table
            .columns
            .iter()
            .filter(|c| matches!(c.ty, Ty::Jsonb | Ty::TextArray))
            .collect();
        let method = match rng.weighted(&[12, 2, 2, if gin.is_empty() { 0 } else { 4 }]) {
            0 => Method::Btree,
            1 => Method::Hash,
            2 => Method::Brin,
            _ => Method::Gin,
        };
        let candidates: Vec<&Column> = table
            .columns
            .iter()
            .filter(|c| match method {
                Method::Btree => true,
                Method::Hash => c.ty.hashable(),
                Method::Brin => c.ty.brin(),
                Method::Gin => matches!(c.ty, Ty::Jsonb | Ty::TextArray),
            })
            .collect();
        if candidates.is_empty() {
            return false;
        }
        let most = match method {
            Method::Hash => 1,
            Method::Gin | Method::Brin => 2,
            Method::Btree => 3,
        };
        let count = rng.between(1, most.min(candidates.len()) as i64) as usize;
        let mut pool = candidates.clone();
        let mut elements = Vec::new();
        for _ in 0..count {
            let column = pool.remove(rng.below(pool.len()));
            elements.push(Model::random_element(rng, column, method));
        }
        let unique = method == Method::Btree && rng.chance(25);
        let used: Vec<Id> = elements.iter().map(|e| e.target.column()).collect();
        let rest: Vec<Id> = table
            .columns
            .iter()
            .map(|c| c.id)
            .filter(|c| !used.contains(c))
            .collect();
        let include = if method == Method::Btree && !rest.is_empty() && rng.chance(15) {
            vec![rng.pick(&rest)]
        } else {
            Vec::new()
        };
        let predicate = if rng.chance(25) {
            self.random_cond(rng, table, false, true)
        } else {
            None
        };
        let id = self.id();
        let name = rng.chance(50).then(|| self.index_name(rng, &table.name));
        table.indexes.push(Index {
            id,
            born_new: false,
            name,
            was: None,
            comment: Model::comment(rng, 15),
            unique,
            nulls_not_distinct: unique && rng.chance(15),
            method,
            method_written: method != Method::Btree || rng.chance(20),
            elements,
            include,
            predicate,
        });
        true
    }

    /// Every (table index, constraint index) a foreign key may point at.
    fn keys(&self) -> Vec<(usize, usize)> {
        let mut keys = Vec::new();
        for (t, table) in self.tables.iter().enumerate() {
            for (c, constraint) in table.constraints.iter().enumerate() {
                if constraint.key().is_some() {
                    keys.push((t, c));
                }
            }
        }
        keys
    }

    fn random_action(rng: &mut Rng, weights: &[u32]) -> Option<Referential> {
        match rng.weighted(weights) {
            0 => None,
            1 => Some(Referential::Cascade),
            2 => Some(Referential::Restrict),
            3 => Some(Referential::SetNull),
            4 => Some(Referential::SetDefault),
            _ => Some(Referential::NoAction),
        }
    }

    /// A foreign key from table `from` to some key (possibly of itself),
    /// reusing columns of the right type or adding new ones.
    fn add_foreign_key(&mut self, rng: &mut Rng, from: usize) -> bool {
        let keys = self.keys();
        if keys.is_empty() {
            return false;
        }
        let (t, c) = keys[rng.below(keys.len())];
        let target = &self.tables[t];
        let key: Vec<Id> = target.constraints[c].key().expect("keys() returns keys").to_vec();
        let target_id = target.id;
        let target_name = target.name.clone();
        let key_columns: Vec<(Id, Ty, String)> = key
            .iter()
            .filter_map(|k| target.column(*k).map(|col| (col.id, col.ty, col.name.clone())))
            .collect();
        let is_primary = target
            .primary_key()
            .is_some_and(|pk| matches!(&pk.kind, Kind::PrimaryKey { columns, .. } if *columns == key));
        let self_reference = t == from;
        let mut columns = Vec::new();
        for (key_column, ty, name) in &key_columns {
            let reusable: Vec<Id> = self.tables[from]
                .columns
                .iter()
                .filter(|col| {
                    col.ty == *ty
                        && col.generated.is_none()
                        && !columns.contains(&col.id)
                        && !(self_reference && col.id == *key_column)
                })
                .map(|col| col.id)
                .collect();
            if !reusable.is_empty() && rng.chance(35) {
                columns.push(rng.pick(&reusable));
                continue;
            }
            let id = self.id();
            let base = if self_reference {
                format!("parent_{name}")
            } else {
                format!("{}_{name}", target_name.trim_end_matches('s'))
            };
            let base: String = base.chars().take(24).collect();
            let table = &mut self.tables[from];
            let column_name = fresh(&mut table.used, &base);
            table.columns.push(Column {
                id,
                born_new: false,
                name: column_name,
                was: None,
                ty: *ty,
                spelling: rng.below(6) as u8,
                not_null: rng.chance(50),
                default: None,
                identity: None,
                serial: false,
                generated: None,
                collate_c: false,
                comment: Model::comment(rng, 10),
                trailing_comma: false,
            });
            columns.push(id);
        }
        let on_delete = Model::random_action(rng, &[10, 3, 2, 2, 1, 2]);
        let set_columns = if columns.len() > 1 && matches!(on_delete, Some(Referential::SetNull)) && rng.chance(30) {
            vec![columns[0]]
        } else {
            Vec::new()
        };
        let fk = ForeignKey {
            columns: columns.clone(),
            table: target_id,
            referenced: key,
            omit_referenced: is_primary && rng.chance(50),
            match_full: rng.chance(if columns.len() > 1 { 25 } else { 5 }),
            on_delete,
            on_update: Model::random_action(rng, &[16, 2, 1, 0, 0, 1]),
            set_columns,
        };
        let deferral = match rng.weighted(&[15, 2, 2, 1]) {
            0 => Deferral::No,
            1 => Deferral::Deferrable,
            2 => Deferral::InitiallyDeferred,
            _ => Deferral::InitiallyImmediate,
        };
        let inline = (columns.len() == 1 && rng.chance(50)).then_some(columns[0]);
        let id = self.id();
        let table_name = self.tables[from].name.clone();
        let name = rng.chance(25).then(|| self.constraint_name(rng, &table_name));
        self.tables[from].constraints.push(Constraint {
            id,
            born_new: false,
            name,
            was: None,
            comment: if inline.is_none() {
                Model::comment(rng, 15)
            } else {
                None
            },
            inline,
            kind: Kind::ForeignKey(fk, deferral),
        });
        true
    }

    fn add_sequence(&mut self, rng: &mut Rng) -> Id {
        let id = self.id();
        let name = fresh(&mut self.used, rng.pick(SEQUENCE_WORDS));
        let ty = rng.pick(&[Ty::SmallInt, Ty::Int, Ty::BigInt]);
        let write_as = ty != Ty::BigInt || rng.chance(40);
        let space = Model::space(rng);
        let owners: Vec<(Id, Id)> = self
            .tables
            .iter()
            .filter(|t| t.space == space)
            .flat_map(|t| t.columns.iter().map(move |c| (t.id, c.id)))
            .collect();
        let owned_by = (!owners.is_empty() && rng.chance(35)).then(|| rng.pick(&owners));
        self.sequences.push(Sequence {
            id,
            born_new: false,
            space,
            name,
            was: None,
            comment: Model::comment(rng, 25),
            options: Model::random_options(rng, ty, write_as),
            owned_by,
        });
        // Most sequences feed a column.
        if rng.chance(60) {
            let mut users: Vec<(usize, Id)> = Vec::new();
            for (t, table) in self.tables.iter().enumerate() {
                for column in &table.columns {
                    if column.ty.is_integer() && column.plain() && column.default.is_none() {
                        users.push((t, column.id));
                    }
                }
            }
            if !users.is_empty() {
                let (t, c) = users[rng.below(users.len())];
                let regclass = rng.chance(30);
                if let Some(column) = self.tables[t].column_mut(c) {
                    column.default = Some(DefaultValue::NextVal { sequence: id, regclass });
                }
            }
        }
        id
    }
}

impl SeqOptions {
    fn unwritten() -> SeqOptions {
        SeqOptions {
            as_type: None,
            increment: None,
            min: Bound::Unwritten,
            max: Bound::Unwritten,
            start: None,
            cache: None,
            cycle: None,
        }
    }
}

// ---------------------------------------------------------------- mutations

/// The kinds of mutation, with their weights.
const MUTATIONS: &[(Mutation, u32)] = &[
    (Mutation::AddTable, 4),
    (Mutation::DropTable, 3),
    (Mutation::RenameTable, 4),
    (Mutation::AddColumn, 6),
    (Mutation::DropColumn, 5),
    (Mutation::RenameColumn, 5),
    (Mutation::ChangeType, 6),
    (Mutation::ToggleNotNull, 4),
    (Mutation::ChangeDefault, 5),
    (Mutation::ToggleCollation, 2),
    (Mutation::Identity, 3),
    (Mutation::AddConstraint, 6),
    (Mutation::DropConstraint, 4),
    (Mutation::AlterConstraint, 4),
    (Mutation::RenameConstraint, 4),
    (Mutation::AddIndex, 4),
    (Mutation::DropIndex, 3),
    (Mutation::AlterIndex, 3),
    (Mutation::RenameIndex, 3),
    (Mutation::Enum, 5),
    (Mutation::Sequence, 5),
    (Mutation::Comment, 4),
    (Mutation::Respell, 2),
];

#[derive(Clone, Copy, Debug)]
enum Mutation {
    AddTable,
    DropTable,
    RenameTable,
    AddColumn,
    DropColumn,
    RenameColumn,
    ChangeType,
    ToggleNotNull,
    ChangeDefault,
    ToggleCollation,
    Identity,
    AddConstraint,
    DropConstraint,
    AlterConstraint,
    RenameConstraint,
    AddIndex,
    DropIndex,
    AlterIndex,
    RenameIndex,
    Enum,
    Sequence,
    Comment,
    Respell,
}

impl Model {
    fn mutate(&mut self, rng: &mut Rng) -> bool {
        let weights: Vec<u32> = MUTATIONS.iter().map(|(_, w)| *w).collect();
        let mutation = MUTATIONS[rng.weighted(&weights)].0;
        if self.tables.is_empty() && !matches!(mutation, Mutation::AddTable | Mutation::Enum | Mutation::Sequence) {
            return false;
        }
        let t = if self.tables.is_empty() {
            0
        } else {
            rng.below(self.tables.len())
        };
        match mutation {
            Mutation::AddTable => {
                let t = self.add_table(rng);
                self.tables[t].born_new = true;
                for _ in 0..rng.weighted(&[3, 4, 1]) {
                    self.add_foreign_key(rng, t);
                }
                // Sometimes an existing table points at the new one.
                if rng.chance(30) {
                    let other = rng.below(self.tables.len());
                    self.add_foreign_key(rng, other);
                }
                true
            }
            Mutation::DropTable => self.drop_table(rng, t),
            Mutation::RenameTable => self.rename_table(rng, t),
            Mutation::AddColumn => {
                let id = self.id();
                let mut table = self.tables[t].clone();
                let mut column = self.random_column(rng, &mut table, id);
                column.born_new = true;
                table.columns.push(column);
                if rng.chance(15) {
                    self.add_generated_column(rng, &mut table);
                }
                self.tables[t] = table;
                true
            }
            Mutation::DropColumn => {
                if self.tables[t].columns.is_empty() {
                    return false;
                }
                let c = self.tables[t].columns[rng.below(self.tables[t].columns.len())].id;
                self.drop_column(rng, t, c)
            }
            Mutation::RenameColumn => {
                let table = &mut self.tables[t];
                if table.columns.is_empty() {
                    return false;
                }
                let i = rng.below(table.columns.len());
                let base = rng.pick(column_words(table.columns[i].ty));
                let name = fresh(&mut table.used, base);
                let column = &mut table.columns[i];
                if !column.born_new && column.was.is_none() {
                    column.was = Some(column.name.clone());
                }
                column.name = name;
                true
            }
            Mutation::ChangeType => self.change_type(rng, t),
            Mutation::ToggleNotNull => {
                let table = &mut self.tables[t];
                let i = rng.below(table.columns.len().max(1));
                let Some(column) = table.columns.get_mut(i) else {
                    return false;
                };
                column.not_null = !column.not_null;
                true
            }
            Mutation::ChangeDefault => {
                let plain: Vec<usize> = (0..self.tables[t].columns.len())
                    .filter(|&i| self.tables[t].columns[i].plain())
                    .collect();
                if plain.is_empty() {
                    return false;
                }
                let i = rng.pick(&plain);
                let ty = self.tables[t].columns[i].ty;
                let default = if self.tables[t].columns[i].default.is_some() && rng.chance(35) {
                    None
                } else {
                    self.random_default(rng, ty)
                };
                self.tables[t].columns[i].default = default;
                true
            }
            Mutation::ToggleCollation => {
                let strings: Vec<usize> = (0..self.tables[t].columns.len())
                    .filter(|&i| self.tables[t].columns[i].ty.is_string())
                    .collect();
                if strings.is_empty() {
                    return false;
                }
                let i = rng.pick(&strings);
                let column = &mut self.tables[t].columns[i];
                column.collate_c = !column.collate_c;
                true
            }
            Mutation::Identity => self.change_identity(rng, t),
            Mutation::AddConstraint => {
                let mut table = self.tables[t].clone();
                let added = match rng.weighted(&[4, 3, 4, 1]) {
                    0 => self.add_check(rng, &mut table),
                    1 => self.add_unique(rng, &mut table),
                    2 => {
                        self.tables[t] = table;
                        return self.add_foreign_key(rng, t) && self.mark_last_constraint_new(t);
                    }
                    _ => self.add_primary_key(rng, &mut table),
                };
                if let Some(last) = table.constraints.last_mut() {
                    last.born_new = true;
                }
                self.tables[t] = table;
                added
            }
            Mutation::DropConstraint => {
                let table = &mut self.tables[t];
                if table.constraints.is_empty() {
                    return false;
                }
                table.constraints.remove(rng.below(table.constraints.len()));
                true
            }
            Mutation::AlterConstraint => self.alter_constraint(rng, t),
            Mutation::RenameConstraint => {
                let table_name = self.tables[t].name.clone();
                let table = &self.tables[t];
                if table.constraints.is_empty() {
                    return false;
                }
                let i = rng.below(table.constraints.len());
                let name = self.constraint_name(rng, &table_name);
                let constraint = &mut self.tables[t].constraints[i];
                // A rename with `was` is a table item; an unnamed constraint
                // is given a name (the old one was PostgreSQL's).
                if let Some(old) = &constraint.name {
                    if !constraint.born_new && constraint.was.is_none() {
                        constraint.was = Some(old.clone());
                    }
                    constraint.inline = None;
                } else if rng.chance(50) {
                    constraint.inline = None;
                }
                constraint.name = Some(name);
                true
            }
            Mutation::AddIndex => {
                let mut table = self.tables[t].clone();
                let added = self.add_index(rng, &mut table);
                if let Some(last) = table.indexes.last_mut() {
                    last.born_new = true;
                }
                self.tables[t] = table;
                added
            }
            Mutation::DropIndex => {
                let table = &mut self.tables[t];
                if table.indexes.is_empty() {
                    return false;
                }
                table.indexes.remove(rng.below(table.indexes.len()));
                true
            }
            Mutation::AlterIndex => self.alter_index(rng, t),
            Mutation::RenameIndex => {
                let table_name = self.tables[t].name.clone();
                if self.tables[t].indexes.is_empty() {
                    return false;
                }
                let i = rng.below(self.tables[t].indexes.len());
                let name = self.index_name(rng, &table_name);
                let index = &mut self.tables[t].indexes[i];
                if let Some(old) = &index.name {
                    if !index.born_new && index.was.is_none() {
                        index.was = Some(old.clone());
                    }
                }
                index.name = Some(name);
                true
            }
            Mutation::Enum => self.mutate_enum(rng),
            Mutation::Sequence => self.mutate_sequence(rng),
            Mutation::Comment => self.change_comment(rng, t),
            Mutation::Respell => {
                let table = &mut self.tables[t];
                for column in &mut table.columns {
                    if rng.chance(50) {
                        column.spelling = rng.below(6) as u8;
                    }
                }
                for constraint in &mut table.constraints {
                    if let Kind::Check(cond) = &mut constraint.kind {
                        restyle(rng, cond);
                    }
                }
                true
            }
        }
    }

    fn mark_last_constraint_new(&mut self, t: usize) -> bool {
        if let Some(last) = self.tables[t].constraints.last_mut() {
            last.born_new = true;
        }
        true
    }

    fn drop_table(&mut self, rng: &mut Rng, t: usize) -> bool {
        let id = self.tables[t].id;
        // Sequences the table owns: dropped too, or kept and disowned.
        let owned: Vec<usize> = (0..self.sequences.len())
            .filter(|&s| self.sequences[s].owned_by.is_some_and(|(table, _)| table == id))
            .collect();
        let drop_owned = rng.chance(50);
        for &s in owned.iter().rev() {
            if drop_owned {
                self.sequences.remove(s);
            } else {
                self.sequences[s].owned_by = None;
            }
        }
        self.tables.remove(t);
        true
    }

    fn rename_table(&mut self, rng: &mut Rng, t: usize) -> bool {
        let id = self.tables[t].id;
        let move_space = rng.chance(25);
        let name = fresh(&mut self.used, rng.pick(TABLE_WORDS));
        let table = &mut self.tables[t];
        if !table.born_new && table.was.is_none() {
            table.was = Some((table.space, table.name.clone()));
        }
        table.name = name;
        if move_space {
            table.space = if table.space == Space::Public {
                Space::App
            } else {
                Space::Public
            };
            // The sequences it owns mostly move along (as PostgreSQL moves
            // them); the others stay behind, let go of.
            let space = table.space;
            for sequence in &mut self.sequences {
                if sequence.owned_by.is_some_and(|(table, _)| table == id) && rng.chance(70) {
                    if !sequence.born_new && sequence.was.is_none() {
                        sequence.was = Some((sequence.space, sequence.name.clone()));
                    }
                    sequence.space = space;
                }
            }
        }
        true
    }

    fn drop_column(&mut self, rng: &mut Rng, t: usize, c: Id) -> bool {
        let table_id = self.tables[t].id;
        let owned: Vec<usize> = (0..self.sequences.len())
            .filter(|&s| self.sequences[s].owned_by == Some((table_id, c)))
            .collect();
        let drop_owned = rng.chance(50);
        for &s in owned.iter().rev() {
            if drop_owned {
                self.sequences.remove(s);
            } else {
                self.sequences[s].owned_by = None;
            }
        }
        self.tables[t].columns.retain(|col| col.id != c);
        true
    }

    /// The columns whose types must change together with `(table, column)`:
    /// both ends of every foreign key that joins them.
    fn type_group(&self, start: (Id, Id)) -> Vec<(Id, Id)> {
        let mut group = vec![start];
        let mut changed = true;
        while changed {
            changed = false;
            for table in &self.tables {
                for constraint in &table.constraints {
                    let Kind::ForeignKey(fk, _) = &constraint.kind else {
                        continue;
                    };
                    for (from, to) in fk.columns.iter().zip(&fk.referenced) {
                        let a = (table.id, *from);
                        let b = (fk.table, *to);
                        if group.contains(&a) != group.contains(&b) {
                            group.push(if group.contains(&a) { b } else { a });
                            changed = true;
                        }
                    }
                }
            }
        }
        group
    }

    fn column_by_ids(&self, (table, column): (Id, Id)) -> Option<&Column> {
        self.tables.iter().find(|t| t.id == table)?.column(column)
    }

    fn change_type(&mut self, rng: &mut Rng, t: usize) -> bool {
        let table = &self.tables[t];
        if table.columns.is_empty() {
            return false;
        }
        let column = &table.columns[rng.below(table.columns.len())];
        let group = self.type_group((table.id, column.id));
        let columns: Vec<&Column> = group.iter().filter_map(|k| self.column_by_ids(*k)).collect();
        let counted = columns.iter().any(|c| c.identity.is_some() || c.serial);
        let from = column.ty;
        let choices: Vec<Ty> = match from {
            Ty::SmallInt => vec![Ty::Int, Ty::BigInt],
            Ty::Int if counted => vec![Ty::BigInt],
            Ty::Int => vec![Ty::BigInt, Ty::SmallInt, Ty::Numeric(12, 0)],
            Ty::BigInt if counted => return false,
            Ty::BigInt => vec![Ty::Int, Ty::Numeric(20, 0)],
            Ty::Numeric(p, s) => vec![Ty::Numeric(p + 4, s), Ty::Numeric(p + 2, s + 2), Ty::BigInt],
            Ty::Text => vec![Ty::Varchar(rng.pick(&[30, 200]))],
            Ty::Varchar(n) => vec![Ty::Text, Ty::Varchar(n * 2), Ty::Varchar(n.saturating_sub(5).max(10))],
            Ty::Date => vec![Ty::Timestamptz],
            Ty::Timestamptz => vec![Ty::Date],
            _ => return false,
        };
        let to = rng.pick(&choices);
        if to == from {
            return false;
        }
        for (table_id, column_id) in group {
            if let Some(table) = self.tables.iter_mut().find(|t| t.id == table_id) {
                if let Some(column) = table.column_mut(column_id) {
                    column.ty = to;
                    if column.generated.is_some() {
                        // Generated columns keep a type their expression fits.
                        column.ty = if to.is_number() { Ty::Numeric(16, 2) } else { Ty::Text };
                    }
                }
            }
        }
        true
    }

    fn change_identity(&mut self, rng: &mut Rng, t: usize) -> bool {
        let table = &self.tables[t];
        let candidates: Vec<usize> = (0..table.columns.len())
            .filter(|&i| {
                let c = &table.columns[i];
                c.ty.is_integer() && !c.serial && c.generated.is_none()
            })
            .collect();
        if candidates.is_empty() {
            return false;
        }
        let i = rng.pick(&candidates);
        let ty = table.columns[i].ty;
        let has_identity = table.columns[i].identity.is_some();
        if !has_identity {
            let options = if rng.chance(40) {
                Model::random_options(rng, ty, false)
            } else {
                SeqOptions::unwritten()
            };
            let column = &mut self.tables[t].columns[i];
            column.default = None;
            column.not_null = true;
            column.identity = Some(Identity {
                always: rng.chance(50),
                options,
            });
        } else if rng.chance(40) {
            let column = &mut self.tables[t].columns[i];
            column.identity = None;
            column.not_null = rng.chance(50);
        } else if rng.chance(50) {
            if let Some(identity) = &mut self.tables[t].columns[i].identity {
                identity.always = !identity.always;
            }
        } else {
            let options = Model::random_options(rng, ty, false);
            if let Some(identity) = &mut self.tables[t].columns[i].identity {
                identity.options = options;
            }
        }
        true
    }

    fn alter_constraint(&mut self, rng: &mut Rng, t: usize) -> bool {
        if self.tables[t].constraints.is_empty() {
            return false;
        }
        let i = rng.below(self.tables[t].constraints.len());
        let table = self.tables[t].clone();
        let referenced = self.is_referenced(&table, &table.constraints[i]);
        let new_cond = self.random_cond(rng, &table, false, false);
        let constraint = &mut self.tables[t].constraints[i];
        match &mut constraint.kind {
            Kind::Check(cond) => {
                let Some(new_cond) = new_cond else {
                    return false;
                };
                *cond = new_cond;
                constraint.inline = None;
            }
            Kind::Unique {
                nulls_not_distinct,
                deferral,
                ..
            } => {
                if referenced || rng.chance(60) {
                    *nulls_not_distinct = !*nulls_not_distinct;
                } else {
                    *deferral = if *deferral == Deferral::No {
                        Deferral::Deferrable
                    } else {
                        Deferral::No
                    };
                }
            }
            Kind::PrimaryKey { .. } => return false,
            Kind::ForeignKey(fk, deferral) => match rng.below(4) {
                0 => fk.on_delete = Model::random_action(rng, &[2, 2, 2, 2, 1, 1]),
                1 => fk.on_update = Model::random_action(rng, &[2, 2, 1, 0, 0, 1]),
                2 => fk.match_full = !fk.match_full,
                _ => {
                    *deferral = match *deferral {
                        Deferral::No => Deferral::InitiallyDeferred,
                        Deferral::InitiallyDeferred => Deferral::Deferrable,
                        _ => Deferral::No,
                    }
                }
            },
        }
        true
    }

    /// Whether a foreign key points at this key constraint.
    fn is_referenced(&self, table: &Table, constraint: &Constraint) -> bool {
        let Some(key) = constraint.key() else {
            return false;
        };
        let mut key = key.to_vec();
        key.sort();
        self.tables.iter().any(|t| {
            t.constraints.iter().any(|c| match &c.kind {
                Kind::ForeignKey(fk, _) => {
                    let mut referenced = fk.referenced.clone();
                    referenced.sort();
                    fk.table == table.id && referenced == key
                }
                _ => false,
            })
        })
    }

    fn alter_index(&mut self, rng: &mut Rng, t: usize) -> bool {
        let table = self.tables[t].clone();
        if table.indexes.is_empty() {
            return false;
        }
        let i = rng.below(table.indexes.len());
        let predicate = self.random_cond(rng, &table, false, true);
        let index = &mut self.tables[t].indexes[i];
        match rng.below(4) {
            0 => index.predicate = if index.predicate.is_some() { None } else { predicate },
            1 if index.method == Method::Btree => {
                let e = rng.below(index.elements.len());
                let element = &mut index.elements[e];
                element.descending = match element.descending {
                    Some(true) => None,
                    _ => Some(true),
                };
            }
            2 if index.method == Method::Btree => {
                index.unique = !index.unique;
                index.nulls_not_distinct = false;
            }
            _ => index.comment = Model::comment(rng, 70),
        }
        true
    }

    fn mutate_enum(&mut self, rng: &mut Rng) -> bool {
        if self.enums.is_empty() || rng.chance(15) {
            let id = self.add_enum(rng);
            if let Some(e) = self.enums.last_mut() {
                e.born_new = true;
            }
            // Usually with a column that uses it.
            if !self.tables.is_empty() && rng.chance(70) {
                let t = rng.below(self.tables.len());
                let column_id = self.id();
                let label = self.enums.last().and_then(|e| e.labels.first()).map(|l| l.id);
                let table = &mut self.tables[t];
                let name = fresh(&mut table.used, rng.pick(column_words(Ty::Enum(id))));
                table.columns.push(Column {
                    id: column_id,
                    born_new: true,
                    name,
                    was: None,
                    ty: Ty::Enum(id),
                    spelling: 0,
                    not_null: rng.chance(50),
                    default: label
                        .filter(|_| rng.chance(50))
                        .map(|label| DefaultValue::Label { label, cast: false }),
                    identity: None,
                    serial: false,
                    generated: None,
                    collate_c: false,
                    comment: None,
                    trailing_comma: false,
                });
            }
            return true;
        }
        let e = rng.below(self.enums.len());
        match rng.weighted(&[5, 4, 3, 2, 2, 1, 1]) {
            0 => {
                let id = self.id();
                let enumeration = &mut self.enums[e];
                let name = fresh(&mut enumeration.used, rng.pick(LABEL_WORDS));
                let at = rng.below(enumeration.labels.len() + 1);
                enumeration.labels.insert(
                    at,
                    Label {
                        id,
                        born_new: true,
                        name,
                        was: None,
                    },
                );
            }
            1 => {
                let enumeration = &mut self.enums[e];
                if enumeration.labels.is_empty() {
                    return false;
                }
                let name = fresh(&mut enumeration.used, rng.pick(LABEL_WORDS));
                let l = rng.below(enumeration.labels.len());
                let label = &mut enumeration.labels[l];
                if !label.born_new && label.was.is_none() {
                    label.was = Some(label.name.clone());
                }
                label.name = name;
            }
            2 => {
                let name = fresh(&mut self.used, rng.pick(ENUM_WORDS));
                let move_space = rng.chance(20);
                let enumeration = &mut self.enums[e];
                if !enumeration.born_new && enumeration.was.is_none() {
                    enumeration.was = Some((enumeration.space, enumeration.name.clone()));
                }
                enumeration.name = name;
                if move_space {
                    enumeration.space = if enumeration.space == Space::App {
                        Space::Public
                    } else {
                        Space::App
                    };
                }
            }
            3 => self.enums[e].comment = Model::comment(rng, 60),
            4 => {
                let id = self.enums[e].id;
                let used = self
                    .tables
                    .iter()
                    .any(|t| t.columns.iter().any(|c| c.ty == Ty::Enum(id)));
                if used {
                    return false;
                }
                self.enums.remove(e);
            }
            5 => {
                // A label removed: the type is recreated.
                let enumeration = &mut self.enums[e];
                if enumeration.labels.len() < 2 {
                    return false;
                }
                enumeration.labels.remove(rng.below(enumeration.labels.len()));
            }
            _ => self.enums[e].as_check = !self.enums[e].as_check,
        }
        true
    }

    fn mutate_sequence(&mut self, rng: &mut Rng) -> bool {
        if self.sequences.is_empty() || rng.chance(20) {
            self.add_sequence(rng);
            if let Some(s) = self.sequences.last_mut() {
                s.born_new = true;
            }
            return true;
        }
        let s = rng.below(self.sequences.len());
        match rng.weighted(&[5, 3, 2, 3, 2]) {
            0 => {
                let sequence = &mut self.sequences[s];
                let ty = sequence.options.as_type.unwrap_or(Ty::BigInt);
                let ty = if rng.chance(20) {
                    rng.pick(&[Ty::SmallInt, Ty::Int, Ty::BigInt])
                } else {
                    ty
                };
                let write_as = ty != Ty::BigInt || rng.chance(50);
                let options = Model::random_options(rng, ty, write_as);
                self.sequences[s].options = options;
            }
            1 => {
                let name = fresh(&mut self.used, rng.pick(SEQUENCE_WORDS));
                let sequence = &mut self.sequences[s];
                if !sequence.born_new && sequence.was.is_none() {
                    sequence.was = Some((sequence.space, sequence.name.clone()));
                }
                sequence.name = name;
                if sequence.owned_by.is_none() && rng.chance(20) {
                    sequence.space = if sequence.space == Space::App {
                        Space::Public
                    } else {
                        Space::App
                    };
                }
            }
            2 => {
                self.sequences.remove(s);
            }
            3 => {
                let space = self.sequences[s].space;
                let owners: Vec<(Id, Id)> = self
                    .tables
                    .iter()
                    .filter(|t| t.space == space)
                    .flat_map(|t| t.columns.iter().map(move |c| (t.id, c.id)))
                    .collect();
                let sequence = &mut self.sequences[s];
                sequence.owned_by = if sequence.owned_by.is_some() || owners.is_empty() {
                    None
                } else {
                    Some(rng.pick(&owners))
                };
            }
            _ => self.sequences[s].comment = Model::comment(rng, 60),
        }
        true
    }

    fn change_comment(&mut self, rng: &mut Rng, t: usize) -> bool {
        let comment = Model::comment(rng, 70);
        let table = &mut self.tables[t];
        match rng.below(4) {
            0 => table.comment = comment,
            1 if !table.columns.is_empty() => {
                let i = rng.below(table.columns.len());
                table.columns[i].comment = comment;
            }
            2 if !table.constraints.is_empty() => {
                let i = rng.below(table.constraints.len());
                let constraint = &mut table.constraints[i];
                // Doc comments document table items only.
                constraint.inline = None;
                constraint.comment = comment;
            }
            _ if !table.indexes.is_empty() => {
                let i = rng.below(table.indexes.len());
                table.indexes[i].comment = comment;
            }
            _ => table.comment = comment,
        }
        true
    }
}

/// Writes a condition in another of its spellings.
fn restyle(rng: &mut Rng, cond: &mut Cond) {
    match cond {
        Cond::Compare { style, .. } => *style = rng.below(5) as u8,
        Cond::Ordered { style, .. } | Cond::EitherSet { style, .. } => *style = rng.below(3) as u8,
        Cond::NotEmpty { style, .. } => *style = rng.below(4) as u8,
        Cond::NotNull { upper, .. } => *upper = !*upper,
        Cond::FewItems { style, .. } => *style = rng.below(2) as u8,
        Cond::And(x, y) => {
            restyle(rng, x);
            restyle(rng, y);
        }
        Cond::Not(x) => restyle(rng, x),
        _ => {}
    }
}

// ---------------------------------------------------------------- repair

impl Model {
    fn label_exists(&self, label: Id) -> bool {
        self.enums.iter().any(|e| e.labels.iter().any(|l| l.id == label))
    }

    /// Removes whatever the last mutation left dangling, until nothing
    /// changes: every pair stays a pair of valid schemas.
    fn repair(&mut self) {
        loop {
            let before = format!("{:?}", (&self.tables, &self.enums, &self.sequences));
            self.repair_once();
            if format!("{:?}", (&self.tables, &self.enums, &self.sequences)) == before {
                break;
            }
        }
    }

    fn repair_once(&mut self) {
        let sequences: BTreeSet<Id> = self.sequences.iter().map(|s| s.id).collect();
        let labels: BTreeSet<Id> = self.enums.iter().flat_map(|e| e.labels.iter().map(|l| l.id)).collect();
        let enums: Vec<(Id, bool)> = self.enums.iter().map(|e| (e.id, e.as_check)).collect();
        // Columns: generated columns need a plain source; defaults need
        // what they name.
        for table in &mut self.tables {
            let sources: Vec<(Id, bool)> = table
                .columns
                .iter()
                .map(|c| (c.id, c.generated.is_none() && c.identity.is_none()))
                .collect();
            table.columns.retain(|c| match c.generated {
                Some(g) => sources.iter().any(|&(id, ok)| id == g.source() && ok),
                None => true,
            });
            for column in &mut table.columns {
                let keep = match &column.default {
                    Some(DefaultValue::NextVal { sequence, .. }) => sequences.contains(sequence),
                    Some(DefaultValue::Label { label, .. }) => labels.contains(label),
                    _ => true,
                };
                if !keep || !column.plain() {
                    column.default = None;
                }
                if let (Some(DefaultValue::Label { cast, .. }), Ty::Enum(e)) = (&mut column.default, column.ty) {
                    // An `as check` enum is no type: nothing to cast to.
                    if enums.iter().any(|&(id, as_check)| id == e && as_check) {
                        *cast = false;
                    }
                }
                if column.identity.is_some() {
                    column.not_null = true;
                }
            }
        }
        // Constraints and indexes: every column they name must exist.
        for table in &mut self.tables {
            let ids: Vec<Id> = table.columns.iter().map(|c| c.id).collect();
            let generated: Vec<Id> = table
                .columns
                .iter()
                .filter(|c| c.generated.is_some())
                .map(|c| c.id)
                .collect();
            table.constraints.retain(|c| {
                let columns = c.columns();
                let mut cond_labels = Vec::new();
                if let Kind::Check(cond) = &c.kind {
                    cond.labels(&mut cond_labels);
                }
                let keyed = matches!(
                    c.kind,
                    Kind::PrimaryKey { .. } | Kind::Unique { .. } | Kind::ForeignKey(..)
                );
                !columns.is_empty()
                    && columns.iter().all(|x| ids.contains(x))
                    && cond_labels.iter().all(|l| labels.contains(l))
                    && !(keyed && columns.iter().any(|x| generated.contains(x)))
                    && c.inline.is_none_or(|i| ids.contains(&i))
            });
            table.indexes.retain(|i| {
                let mut cond_labels = Vec::new();
                if let Some(p) = &i.predicate {
                    p.labels(&mut cond_labels);
                }
                !i.elements.is_empty()
                    && i.columns().iter().all(|x| ids.contains(x))
                    && cond_labels.iter().all(|l| labels.contains(l))
            });
            // One primary key; its columns are not null.
            let mut seen_primary = false;
            table.constraints.retain(|c| {
                if matches!(c.kind, Kind::PrimaryKey { .. }) {
                    let first = !seen_primary;
                    seen_primary = true;
                    first
                } else {
                    true
                }
            });
        }
        // Foreign keys: a non-deferrable key over the same columns, with the
        // same types, on a table that exists.
        let snapshot = self.tables.clone();
        for table in &mut self.tables {
            let column_types: Vec<(Id, Ty)> = table.columns.iter().map(|c| (c.id, c.ty)).collect();
            table.constraints.retain(|c| {
                let Kind::ForeignKey(fk, _) = &c.kind else {
                    return true;
                };
                let Some(target) = snapshot.iter().find(|t| t.id == fk.table) else {
                    return false;
                };
                let mut wanted = fk.referenced.clone();
                wanted.sort();
                let keyed = target.constraints.iter().any(|k| {
                    k.key().is_some_and(|key| {
                        let mut key = key.to_vec();
                        key.sort();
                        key == wanted
                    })
                });
                let types_match = fk.columns.len() == fk.referenced.len()
                    && fk.columns.iter().zip(&fk.referenced).all(|(a, b)| {
                        let from = column_types.iter().find(|(id, _)| id == a).map(|(_, ty)| *ty);
                        let to = target.column(*b).map(|col| col.ty);
                        from.is_some() && from == to
                    });
                keyed && types_match
            });
            for constraint in &mut table.constraints {
                if let Kind::ForeignKey(fk, _) = &mut constraint.kind {
                    if !fk.set_columns.iter().all(|c| fk.columns.contains(c)) {
                        fk.set_columns.clear();
                    }
                }
            }
        }
        // Sequences: owned by an existing column of a table in their schema.
        let owners: Vec<(Id, Space, Vec<Id>)> = self
            .tables
            .iter()
            .map(|t| (t.id, t.space, t.columns.iter().map(|c| c.id).collect()))
            .collect();
        for sequence in &mut self.sequences {
            if let Some((table, column)) = sequence.owned_by {
                let ok = owners
                    .iter()
                    .any(|(id, space, columns)| *id == table && *space == sequence.space && columns.contains(&column));
                if !ok {
                    sequence.owned_by = None;
                }
            }
        }
    }
}

// ---------------------------------------------------------------- printing

fn qualified(space: Space, name: &str) -> String {
    match space {
        Space::Public => name.to_string(),
        Space::App => format!("app.{name}"),
    }
}

/// A `was` name: an unqualified one means the declaration's own schema.
fn was_name(now: Space, (space, name): &(Space, String)) -> String {
    match (now, space) {
        (Space::App, Space::Public) => format!("public.{name}"),
        _ => qualified(*space, name),
    }
}

fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

impl Model {
    fn print(&self) -> String {
        let mut out = String::new();
        for enumeration in &self.enums {
            self.print_enum(&mut out, enumeration);
        }
        for sequence in &self.sequences {
            self.print_sequence(&mut out, sequence);
        }
        for table in &self.tables {
            self.print_table(&mut out, table);
        }
        out
    }

    fn kw(&self, word: &str) -> String {
        if self.shout {
            word.to_uppercase()
        } else {
            word.to_string()
        }
    }

    fn doc(out: &mut String, indent: &str, comment: &Option<String>) {
        if let Some(comment) = comment {
            out.push_str(&format!("{indent}/// {comment}\n"));
        }
    }

    fn print_enum(&self, out: &mut String, enumeration: &Enum) {
        Model::doc(out, "", &enumeration.comment);
        let mut line = format!("enum {}", qualified(enumeration.space, &enumeration.name));
        if let Some(was) = &enumeration.was {
            line.push_str(&format!(" was {}", was_name(enumeration.space, was)));
        }
        if enumeration.as_check {
            line.push_str(" as check");
        }
        let labels: Vec<String> = enumeration
            .labels
            .iter()
            .map(|l| match &l.was {
                Some(was) => format!("{} was {}", quote(&l.name), quote(was)),
                None => quote(&l.name),
            })
            .collect();
        out.push_str(&format!("{line} {{ {} }}\n\n", labels.join(", ")));
    }

    fn type_name(&self, ty: Ty) -> String {
        match ty {
            Ty::SmallInt => "smallint".into(),
            Ty::Int => "integer".into(),
            _ => "bigint".into(),
        }
    }

    fn sequence_options(&self, options: &SeqOptions) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(ty) = options.as_type {
            out.push(format!("as {}", self.type_name(ty)));
        }
        if let Some(n) = options.increment {
            out.push(format!("increment by {n}"));
        }
        match options.min {
            Bound::Unwritten => {}
            Bound::No => out.push("no minvalue".into()),
            Bound::Value(n) => out.push(format!("minvalue {n}")),
        }
        match options.max {
            Bound::Unwritten => {}
            Bound::No => out.push("no maxvalue".into()),
            Bound::Value(n) => out.push(format!("maxvalue {n}")),
        }
        if let Some(n) = options.start {
            out.push(format!("start with {n}"));
        }
        if let Some(n) = options.cache {
            out.push(format!("cache {n}"));
        }
        match options.cycle {
            Some(true) => out.push("cycle".into()),
            Some(false) => out.push("no cycle".into()),
            None => {}
        }
        out
    }

    fn table_by_id(&self, id: Id) -> Option<&Table> {
        self.tables.iter().find(|t| t.id == id)
    }

    fn print_sequence(&self, out: &mut String, sequence: &Sequence) {
        Model::doc(out, "", &sequence.comment);
        out.push_str(&format!("sequence {}", qualified(sequence.space, &sequence.name)));
        if let Some(was) = &sequence.was {
            out.push_str(&format!(" was {}", was_name(sequence.space, was)));
        }
        out.push_str(" {\n");
        for option in self.sequence_options(&sequence.options) {
            out.push_str(&format!("  {option}\n"));
        }
        if let Some((table, column)) = sequence.owned_by {
            if let Some(table) = self.table_by_id(table) {
                if let Some(column) = table.column(column) {
                    out.push_str(&format!(
                        "  owned by {}.{}\n",
                        qualified(table.space, &table.name),
                        column.name
                    ));
                }
            }
        }
        out.push_str("}\n\n");
    }

    fn type_sql(&self, column: &Column) -> String {
        let s = column.spelling as usize;
        let pick = |options: &[&str]| options[s % options.len()].to_string();
        match column.ty {
            Ty::SmallInt if column.serial => pick(&["smallserial", "serial2"]),
            Ty::Int if column.serial => pick(&["serial", "serial4", "SERIAL"]),
            Ty::BigInt if column.serial => pick(&["bigserial", "serial8"]),
            Ty::SmallInt => pick(&["smallint", "int2"]),
            Ty::Int => pick(&["integer", "int", "int4"]),
            Ty::BigInt => pick(&["bigint", "int8", "BIGINT"]),
            Ty::Numeric(p, scale) => {
                let options = [
                    format!("numeric({p},{scale})"),
                    format!("decimal({p}, {scale})"),
                    format!("NUMERIC({p},{scale})"),
                ];
                options[s % 3].clone()
            }
            Ty::Text => pick(&["text", "TEXT"]),
            Ty::Varchar(n) => {
                let options = [format!("varchar({n})"), format!("character varying({n})")];
                options[s % 2].clone()
            }
            Ty::Bool => pick(&["boolean", "bool"]),
            Ty::Timestamptz => pick(&["timestamptz", "timestamp with time zone"]),
            Ty::Date => "date".into(),
            Ty::Uuid => "uuid".into(),
            Ty::Jsonb => "jsonb".into(),
            Ty::TextArray => pick(&["text[]", "text []"]),
            Ty::Enum(e) => match self.enums.iter().find(|x| x.id == e) {
                Some(x) => qualified(x.space, &x.name),
                None => "text".into(),
            },
        }
    }

    fn label_name(&self, label: Id) -> (String, Option<&Enum>) {
        for enumeration in &self.enums {
            if let Some(l) = enumeration.labels.iter().find(|l| l.id == label) {
                return (l.name.clone(), Some(enumeration));
            }
        }
        (String::new(), None)
    }

    fn default_sql(&self, default: &DefaultValue) -> String {
        match default {
            DefaultValue::Sql(sql) => sql.clone(),
            DefaultValue::Label { label, cast } => {
                let (name, enumeration) = self.label_name(*label);
                match enumeration {
                    Some(e) if *cast && !e.as_check => format!("{}::{}", quote(&name), qualified(e.space, &e.name)),
                    _ => quote(&name),
                }
            }
            DefaultValue::NextVal { sequence, regclass } => {
                let name = self
                    .sequences
                    .iter()
                    .find(|s| s.id == *sequence)
                    .map(|s| qualified(s.space, &s.name))
                    .unwrap_or_default();
                if *regclass {
                    format!("nextval({}::regclass)", quote(&name))
                } else {
                    format!("nextval({})", quote(&name))
                }
            }
        }
    }

    fn column_name(table: &Table, id: Id) -> String {
        table.column(id).map(|c| c.name.clone()).unwrap_or_default()
    }

    fn column_list(table: &Table, ids: &[Id]) -> String {
        let names: Vec<String> = ids.iter().map(|c| Model::column_name(table, *c)).collect();
        format!("({})", names.join(", "))
    }

    fn cond_sql(&self, table: &Table, cond: &Cond) -> String {
        let name = |id: &Id| Model::column_name(table, *id);
        match cond {
            Cond::Compare {
                column,
                op,
                value,
                style,
                cast,
            } => {
                let n = name(column);
                match style {
                    0 => format!("{n} {op} {value}"),
                    1 => format!("({n} {op} {value})"),
                    2 => format!("{n} {op} {value}::{cast}"),
                    3 => format!("{} {op} ({value})", n.to_uppercase()),
                    _ => format!("({n} {op} ({value})::{cast})"),
                }
            }
            Cond::Ordered { low, high, style } => {
                let (a, b) = (name(low), name(high));
                match style {
                    0 => format!("{a} <= {b}"),
                    1 => format!("({a} <= {b})"),
                    _ => format!("NOT ({a} > {b})"),
                }
            }
            Cond::NotEmpty { column, style } => {
                let n = name(column);
                match style {
                    0 => format!("length({n}) > 0"),
                    1 => format!("{n} <> ''"),
                    2 => format!("char_length({n}) BETWEEN 1 AND 200"),
                    _ => format!("(length(({n})::text) > 0)"),
                }
            }
            Cond::NotNull { column, upper } => {
                if *upper {
                    format!("{} IS NOT NULL", name(column))
                } else {
                    format!("{} is not null", name(column))
                }
            }
            Cond::Truthy { column } => name(column),
            Cond::After { column, cast } => {
                if *cast {
                    format!("{} > '2000-01-01'::date", name(column))
                } else {
                    format!("{} >= '2000-01-01'", name(column))
                }
            }
            Cond::NotLabel { column, label } => {
                format!("{} <> {}", name(column), quote(&self.label_name(*label).0))
            }
            Cond::JsonObject { column } => format!("jsonb_typeof({}) = 'object'", name(column)),
            Cond::FewItems { column, style } => match style {
                0 => format!("cardinality({}) < 50", name(column)),
                _ => format!("array_length({}, 1) < 50", name(column)),
            },
            Cond::EitherSet { a, b, style } => match style {
                0 => format!("{} IS NOT NULL OR {} IS NOT NULL", name(a), name(b)),
                1 => format!("(({} IS NOT NULL) OR ({} IS NOT NULL))", name(a), name(b)),
                _ => format!("num_nonnulls({}, {}) > 0", name(a), name(b)),
            },
            Cond::And(x, y) => format!("({}) AND ({})", self.cond_sql(table, x), self.cond_sql(table, y)),
            Cond::Not(x) => format!("NOT ({})", self.cond_sql(table, x)),
        }
    }

    fn deferral_sql(deferral: Deferral) -> &'static str {
        match deferral {
            Deferral::No => "",
            Deferral::Deferrable => " deferrable",
            Deferral::InitiallyDeferred => " deferrable initially deferred",
            Deferral::InitiallyImmediate => " deferrable initially immediate",
        }
    }

    fn action_sql(action: Referential) -> &'static str {
        match action {
            Referential::NoAction => "no action",
            Referential::Restrict => "restrict",
            Referential::Cascade => "cascade",
            Referential::SetNull => "set null",
            Referential::SetDefault => "set default",
        }
    }

    /// `references T [(cols)] [match full] [on delete ...] [on update ...]`.
    fn references_sql(&self, table: &Table, fk: &ForeignKey) -> String {
        let Some(target) = self.table_by_id(fk.table) else {
            return String::new();
        };
        let mut sql = format!("references {}", qualified(target.space, &target.name));
        let is_primary = target
            .primary_key()
            .is_some_and(|pk| matches!(&pk.kind, Kind::PrimaryKey { columns, .. } if *columns == fk.referenced));
        if !(fk.omit_referenced && is_primary) {
            sql.push_str(&format!(" {}", Model::column_list(target, &fk.referenced)));
        }
        if fk.match_full {
            sql.push_str(" match full");
        }
        if let Some(action) = fk.on_delete {
            sql.push_str(&format!(" on delete {}", Model::action_sql(action)));
            if !fk.set_columns.is_empty() && matches!(action, Referential::SetNull | Referential::SetDefault) {
                sql.push_str(&format!(" {}", Model::column_list(table, &fk.set_columns)));
            }
        }
        if let Some(action) = fk.on_update {
            sql.push_str(&format!(" on update {}", Model::action_sql(action)));
        }
        sql
    }

    /// A constraint on its column's line.
    fn inline_sql(&self, table: &Table, constraint: &Constraint) -> String {
        let name = match &constraint.name {
            Some(name) => format!("{} {name} ", self.kw("constraint")),
            None => String::new(),
        };
        let body = match &constraint.kind {
            Kind::PrimaryKey { deferral, .. } => {
                format!("{}{}", self.kw("primary key"), Model::deferral_sql(*deferral))
            }
            Kind::Unique {
                nulls_not_distinct,
                deferral,
                ..
            } => format!(
                "{}{}{}",
                self.kw("unique"),
                if *nulls_not_distinct { " nulls not distinct" } else { "" },
                Model::deferral_sql(*deferral)
            ),
            Kind::Check(cond) => format!("{} ({})", self.kw("check"), self.cond_sql(table, cond)),
            Kind::ForeignKey(fk, deferral) => {
                format!("{}{}", self.references_sql(table, fk), Model::deferral_sql(*deferral))
            }
        };
        format!("{name}{body}")
    }

    /// A constraint as a table item.
    fn item_sql(&self, table: &Table, constraint: &Constraint) -> String {
        let name = match &constraint.name {
            Some(name) => format!("constraint {name} "),
            None => String::new(),
        };
        let body = match &constraint.kind {
            Kind::PrimaryKey { columns, deferral } => format!(
                "primary key {}{}",
                Model::column_list(table, columns),
                Model::deferral_sql(*deferral)
            ),
            Kind::Unique {
                columns,
                include,
                nulls_not_distinct,
                deferral,
            } => {
                let mut sql = format!(
                    "unique{} {}",
                    if *nulls_not_distinct { " nulls not distinct" } else { "" },
                    Model::column_list(table, columns)
                );
                if !include.is_empty() {
                    sql.push_str(&format!(" include {}", Model::column_list(table, include)));
                }
                sql + Model::deferral_sql(*deferral)
            }
            Kind::Check(cond) => format!("check ({})", self.cond_sql(table, cond)),
            Kind::ForeignKey(fk, deferral) => format!(
                "foreign key {} {}{}",
                Model::column_list(table, &fk.columns),
                self.references_sql(table, fk),
                Model::deferral_sql(*deferral)
            ),
        };
        let was = match &constraint.was {
            Some(was) => format!(" was {was}"),
            None => String::new(),
        };
        format!("{name}{body}{was}")
    }

    fn element_sql(table: &Table, element: &Element) -> String {
        let name = |id: Id| Model::column_name(table, id);
        let mut sql = match element.target {
            Target::Column(c) => name(c),
            Target::Lower {
                column,
                parenthesised: true,
            } => format!("(lower({}))", name(column)),
            Target::Lower { column, .. } => format!("lower({})", name(column)),
            Target::PlusOne(c) => format!("({} + 1)", name(c)),
            Target::Coalesce(c) => format!("(coalesce({}, 0))", name(c)),
        };
        if element.collate_c {
            sql.push_str(" collate \"C\"");
        }
        if let Some(opclass) = element.opclass {
            sql.push_str(&format!(" {opclass}"));
        }
        match element.descending {
            Some(true) => sql.push_str(" desc"),
            Some(false) => sql.push_str(" asc"),
            None => {}
        }
        match element.nulls_first {
            Some(true) => sql.push_str(" nulls first"),
            Some(false) => sql.push_str(" nulls last"),
            None => {}
        }
        sql
    }

    fn index_sql(&self, table: &Table, index: &Index) -> String {
        let mut sql = String::new();
        if index.unique {
            sql.push_str("unique ");
        }
        sql.push_str("index");
        if let Some(name) = &index.name {
            sql.push_str(&format!(" {name}"));
        }
        if index.nulls_not_distinct {
            sql.push_str(" nulls not distinct");
        }
        if index.method_written {
            let method = match index.method {
                Method::Btree => "btree",
                Method::Hash => "hash",
                Method::Brin => "brin",
                Method::Gin => "gin",
            };
            sql.push_str(&format!(" using {method}"));
        }
        let elements: Vec<String> = index.elements.iter().map(|e| Model::element_sql(table, e)).collect();
        sql.push_str(&format!(" ({})", elements.join(", ")));
        if !index.include.is_empty() {
            sql.push_str(&format!(" include {}", Model::column_list(table, &index.include)));
        }
        if let Some(predicate) = &index.predicate {
            sql.push_str(&format!(" where ({})", self.cond_sql(table, predicate)));
        }
        if let Some(was) = &index.was {
            sql.push_str(&format!(" was {was}"));
        }
        sql
    }

    fn column_sql(&self, table: &Table, column: &Column) -> String {
        let mut parts = vec![column.name.clone(), self.type_sql(column)];
        for constraint in table.constraints.iter().filter(|c| c.inline == Some(column.id)) {
            parts.push(self.inline_sql(table, constraint));
        }
        if column.not_null && column.identity.is_none() && !column.serial {
            parts.push(self.kw("not null"));
        }
        if let Some(default) = &column.default {
            parts.push(format!("{} {}", self.kw("default"), self.default_sql(default)));
        }
        if let Some(identity) = &column.identity {
            let mut sql = format!(
                "generated {} as identity",
                if identity.always { "always" } else { "by default" }
            );
            let options = self.sequence_options(&identity.options);
            if !options.is_empty() {
                sql.push_str(&format!(" ({})", options.join(" ")));
            }
            parts.push(sql);
        }
        if let Some(generated) = column.generated {
            let source = Model::column_name(table, generated.source());
            let expr = match generated {
                Generated::Double(_) => format!("{source} * 2"),
                Generated::Upper(_) => format!("upper({source})"),
                Generated::Exclaim(_) => format!("{source} || '!'"),
            };
            parts.push(format!("generated always as ({expr}) stored"));
        }
        if column.collate_c {
            parts.push("collate \"C\"".into());
        }
        if let Some(was) = &column.was {
            parts.push(format!("was {was}"));
        }
        let mut line = parts.join(" ");
        if column.trailing_comma {
            line.push(',');
        }
        line
    }

    fn print_table(&self, out: &mut String, table: &Table) {
        Model::doc(out, "", &table.comment);
        out.push_str(&format!("table {}", qualified(table.space, &table.name)));
        if let Some(was) = &table.was {
            out.push_str(&format!(" was {}", was_name(table.space, was)));
        }
        out.push_str(" {\n");
        for column in &table.columns {
            Model::doc(out, "  ", &column.comment);
            out.push_str(&format!("  {}\n", self.column_sql(table, column)));
        }
        let items: Vec<&Constraint> = table.constraints.iter().filter(|c| c.inline.is_none()).collect();
        if !items.is_empty() || !table.indexes.is_empty() {
            out.push('\n');
        }
        for constraint in items {
            Model::doc(out, "  ", &constraint.comment);
            out.push_str(&format!("  {}\n", self.item_sql(table, constraint)));
        }
        for index in &table.indexes {
            Model::doc(out, "  ", &index.comment);
            out.push_str(&format!("  {}\n", self.index_sql(table, index)));
        }
        out.push_str("}\n\n");
    }
}
