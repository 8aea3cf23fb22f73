//! Objects both branches changed, merged property by property: a column's
//! type on one side and its default on the other make one column with both.
//!
//! A merge revision runs nothing: a database gets each branch's revisions in
//! either order (the order depends on which branch it followed). Two
//! properties merge apart only when the statements changing one leave the
//! other alone, whichever runs first; fields that one statement sets
//! together, or that a change of one makes anew, are one property here, and
//! each place that groups them says why.

use crate::ir::{Column, ColumnSettings, Identity, Sequence, SequenceOptions};

use super::{Conflict, Mergeable};

/// Merges one property by the three-way rule; a property both sides changed
/// differently is a conflict named "WHAT of OBJECT" (ours is kept).
/// `describe(base, side)` says what a side did to it.
fn property<P: PartialEq + Clone>(
    what: &str,
    object: &str,
    [base, ours, theirs]: [P; 3],
    describe: impl Fn(&P, &P) -> String,
    conflicts: &mut Vec<Conflict>,
) -> P {
    if ours == theirs || theirs == base {
        return ours;
    }
    if ours == base {
        return theirs;
    }
    conflicts.push(Conflict {
        object: format!("{what} of {object}"),
        ours: describe(&base, &ours),
        theirs: describe(&base, &theirs),
    });
    ours
}

/// "changes it to VALUE" or "drops it".
fn changes_or_drops(value: Option<String>) -> String {
    match value {
        Some(value) => format!("changes it to {value}"),
        None => "drops it".to_string(),
    }
}

/// What a comment became.
fn describe_comment<T: AsRef<str>>(_: &Option<T>, side: &Option<T>) -> String {
    changes_or_drops(side.as_ref().map(|c| format!("{:?}", c.as_ref())))
}

/// A column's type as `ALTER COLUMN ... TYPE` sets it: the type, the
/// collation (`COLLATE` is part of that statement, and a collation only
/// fits some types), the `USING` hint of the change, and the storage (a new
/// type brings its own: the statement undoes a `SET STORAGE` run before it).
type ColumnType = (
    crate::ir::SqlType,
    Option<Box<crate::ir::SearchPathName>>,
    Option<Box<crate::ir::Located<crate::ir::Expr>>>,
    Option<String>,
);

fn column_type(column: &Column) -> ColumnType {
    (
        column.data_type.value.clone(),
        column.collation.clone(),
        column.using.clone(),
        column.settings.as_ref().and_then(|s| s.storage.clone()),
    )
}

fn describe_type(_: &ColumnType, (data_type, collation, using, storage): &ColumnType) -> String {
    let mut words = format!("changes it to {data_type}");
    if let Some(collation) = collation {
        words += &format!(" collate {}", collation.quoted());
    }
    if let Some(using) = using {
        words += &format!(" using ({})", using.as_str());
    }
    if let Some(storage) = storage {
        words += &format!(" with storage {storage}");
    }
    words
}

/// Where a column's values come from when none is given: a default or an
/// identity, never both (PostgreSQL refuses the pair), so one property.
type ColumnDefault = (Option<crate::ir::Located<crate::ir::Expr>>, Option<Identity>);

/// A side's default and identity. An identity that changed only by following
/// the side's new type (its sequence's type and the bounds that were the
/// old type's limits) is the base's: that change is the type's.
fn column_default(base: &Column, side: &Column) -> ColumnDefault {
    let identity = match (&base.identity, &side.identity) {
        (Some(b), Some(s))
            if **s
                == (Identity {
                    options: b.options.follow_type(&side.data_type),
                    ..(**b).clone()
                }) =>
        {
            Some((**b).clone())
        }
        (_, side) => side.as_deref().cloned(),
    };
    (side.default.clone(), identity)
}

fn describe_default(base: &ColumnDefault, side: &ColumnDefault) -> String {
    match side {
        (Some(default), _) => format!("changes it to {}", default.as_str()),
        (None, Some(identity)) => {
            let generated = if identity.always { "always" } else { "by default" };
            let options = match &base.1 {
                Some(b) if b.options != identity.options => " with other sequence options",
                _ => "",
            };
            format!("makes it generated {generated} as identity{options}")
        }
        (None, None) => "drops it".to_string(),
    }
}

/// The settings `ALTER COLUMN ... SET` changes one by one and a new type
/// keeps (storage goes with the type).
fn column_settings(column: &Column) -> ColumnSettings {
    ColumnSettings {
        storage: None,
        ..column.settings.as_deref().cloned().unwrap_or_default()
    }
}

fn describe_settings(_: &ColumnSettings, side: &ColumnSettings) -> String {
    let mut settings = Vec::new();
    if let Some(statistics) = side.statistics {
        settings.push(format!("statistics {statistics}"));
    }
    if let Some(compression) = &side.compression {
        settings.push(format!("compression {compression}"));
    }
    settings.extend(side.options.iter().map(|p| format!("{} = {}", p.name, p.value)));
    match settings.is_empty() {
        true => "resets them".to_string(),
        false => format!("changes them to {}", settings.join(", ")),
    }
}

/// A column both sides changed, merged property by property, or `None` when
/// it can only merge as a whole.
pub(super) fn column(
    object: &str,
    [base, ours, theirs]: [&Column; 3],
    conflicts: &mut Vec<Conflict>,
) -> Option<Column> {
    // A new generated expression (or stored ↔ virtual) drops the column and
    // adds it again, taking every other property along: whatever the other
    // branch set on it before is gone.
    let generation = |c: &Column| (c.generated.as_deref().map(|g| g.value.clone()), c.generated_kind);
    if generation(ours) != generation(base) || generation(theirs) != generation(base) {
        return None;
    }
    let sides = [base, ours, theirs];
    let types = sides.map(column_type);
    let defaults = sides.map(|side| column_default(base, side));
    // A type change drops the column's default and sets it anew (PostgreSQL
    // would cast the old one, keeping the old type inside it): a default the
    // other branch set before it would be undone. With no default in the
    // base the type change leaves defaults alone, and PostgreSQL casts one
    // the other branch set before it as it casts any.
    let retyped = |side: usize| types[side] != types[0];
    let redefaulted = |side: usize| defaults[side] != defaults[0];
    if base.default.is_some() && ((retyped(1) && redefaulted(2)) || (retyped(2) && redefaulted(1))) {
        // A type change sets the default anew: say so where it is all that
        // side did to the default.
        let said = |side: usize, column: &Column| {
            let mut words = column.changes_from(base).join(", ");
            if retyped(side) && !redefaulted(side) {
                words += ", which sets its default anew";
            }
            words
        };
        conflicts.push(Conflict {
            object: format!("type and default of {object}"),
            ours: said(1, ours),
            theirs: said(2, theirs),
        });
        return Some(ours.clone());
    }
    let (data_type, collation, using, storage) = property("type", object, types, describe_type, conflicts);
    let (default, identity) = property("default", object, defaults, describe_default, conflicts);
    let not_null = property(
        "nullability",
        object,
        sides.map(|c| c.not_null),
        |_, not_null| format!("makes it {}", if *not_null { "not null" } else { "nullable" }),
        conflicts,
    );
    // An identity column is never null, and an identity cannot be added to
    // a nullable column: one branch's identity and the other's dropped
    // `not null` do not go together.
    if identity.is_some() && !not_null {
        let said = |side: &Column| match (side.not_null, side.identity.is_some()) {
            (false, _) => "makes it nullable".to_string(),
            (true, true) => "makes it an identity column, never null".to_string(),
            (true, false) => "leaves it not null".to_string(),
        };
        conflicts.push(Conflict {
            object: format!("nullability of {object}"),
            ours: said(ours),
            theirs: said(theirs),
        });
    }
    // The identity's sequence follows the column's type, as `ALTER COLUMN
    // ... TYPE` makes it, whichever branch changed which.
    let identity = identity.map(|identity| match identity.options.data_type == data_type {
        true => identity,
        false => Identity {
            options: identity.options.follow_type(&data_type),
            ..identity
        },
    });
    let settings = property(
        "settings",
        object,
        sides.map(column_settings),
        describe_settings,
        conflicts,
    );
    let settings = ColumnSettings { storage, ..settings }.boxed();
    let comment = property(
        "comment",
        object,
        sides.map(|c| c.comment.clone()),
        describe_comment,
        conflicts,
    );
    let was = property(
        "rename hint",
        object,
        sides.map(|c| c.was.clone()),
        |_, was| changes_or_drops(was.as_ref().map(|w| w.value.quoted())),
        conflicts,
    );
    Some(Column {
        name: ours.name.clone(),
        was,
        data_type: crate::ir::Located::new(data_type, ours.data_type.origin),
        not_null,
        default,
        identity: identity.map(Box::new),
        generated: ours.generated.clone(),
        generated_kind: ours.generated_kind,
        collation,
        comment,
        using,
        settings,
        origin: ours.origin,
    })
}

/// A sequence both sides changed, option by option: `ALTER SEQUENCE` names
/// only the options that change, each with its value (a new type's bounds
/// too), so two branches' statements leave each other's options alone.
pub(super) fn sequence(object: &str, [base, ours, theirs]: [&Sequence; 3], conflicts: &mut Vec<Conflict>) -> Sequence {
    let sides = [base, ours, theirs];
    let options = sides.map(|s| &s.options);
    // One option of the sequence, "WHAT of OBJECT" when it conflicts.
    macro_rules! option {
        ($field:ident, $what:literal) => {
            property(
                $what,
                object,
                options.map(|o| o.$field.clone()),
                |_, value| format!("changes it to {value}"),
                conflicts,
            )
        };
    }
    let options = SequenceOptions {
        data_type: option!(data_type, "type"),
        increment: option!(increment, "increment"),
        min_value: option!(min_value, "minimum"),
        max_value: option!(max_value, "maximum"),
        start: option!(start, "start"),
        cache: option!(cache, "cache"),
        cycle: property(
            "cycling",
            object,
            options.map(|o| o.cycle),
            |_, cycle| format!("makes it {}", if *cycle { "cycle" } else { "stop at its bounds" }),
            conflicts,
        ),
    };
    let owned_by = property(
        "owner",
        object,
        sides.map(|s| s.owned_by.clone()),
        |_, owner| match owner {
            Some(owner) => format!("changes it to {}.{}", owner.value.0.quoted(), owner.value.1.quoted()),
            None => "drops it".to_string(),
        },
        conflicts,
    );
    let comment = property(
        "comment",
        object,
        sides.map(|s| s.comment.clone()),
        describe_comment,
        conflicts,
    );
    let was = property(
        "rename hint",
        object,
        sides.map(|s| s.was.clone()),
        |_, was| changes_or_drops(was.as_ref().map(|w| w.value.quoted())),
        conflicts,
    );
    Sequence {
        name: ours.name.clone(),
        was,
        options,
        owned_by,
        comment,
        origin: ours.origin,
    }
}
