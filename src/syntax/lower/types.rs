//! Composite and range types: `type NAME as (...)` and `type NAME as range
//! (...)`.

use super::{Lowerer, origin};
use crate::diag::{Code, Diagnostic};
use crate::ir::*;
use crate::syntax::ast;

/// The options of `CREATE TYPE ... AS RANGE` the language takes.
const RANGE_OPTIONS: [&str; 6] = [
    "subtype",
    "subtype_opclass",
    "collation",
    "canonical",
    "subtype_diff",
    "multirange_type_name",
];

impl Lowerer {
    /// Where a type of this name is declared already (an enum, a domain,
    /// a composite or a range type), if it is.
    pub(super) fn declared_type(&self, name: &QualifiedName) -> Option<Origin> {
        let s = &self.schema;
        s.enums
            .get(name)
            .map(|e| e.origin)
            .or_else(|| s.domains.get(name).map(|d| d.origin))
            .or_else(|| s.composites.get(name).map(|c| c.origin))
            .or_else(|| s.ranges.get(name).map(|r| r.origin))
            .or_else(|| {
                s.ranges
                    .values()
                    .find(|r| r.multirange_name() == *name)
                    .map(|r| r.origin)
            })
    }

    pub(super) fn user_type(&mut self, decl: &ast::TypeDecl) {
        let name = self.qualify(&decl.name);
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
        let was = self.was_qualified(&decl.was, &name);
        let comment = self.docs(&decl.docs);
        match &decl.body {
            ast::TypeBody::Composite { attributes, .. } => {
                let mut lowered: Vec<TypeAttribute> = Vec::new();
                for attribute in attributes {
                    let attribute_name = self.ident(&attribute.name);
                    if let Some(first) = lowered.iter().find(|a| a.name == attribute_name) {
                        let first = first.origin;
                        self.duplicate(
                            Code::DuplicateColumn,
                            "attribute",
                            attribute_name.as_str(),
                            attribute.name.span,
                            first,
                        );
                        continue;
                    }
                    let (data_type, serial) = self.column_type(&attribute.ty);
                    if serial {
                        self.error(
                            Diagnostic::new(Code::InvalidType, "an attribute of a composite type cannot be serial")
                                .primary(attribute.ty.span, "no sequence is made for an attribute")
                                .help("use the integer type (`integer`, `bigint`)"),
                        );
                    }
                    let attribute_comment = self.docs(&attribute.docs);
                    let was = self.was_plain(attribute.was.as_ref());
                    let collation = attribute.collate.as_ref().map(|c| self.search_path_name(c));
                    lowered.push(TypeAttribute {
                        name: attribute_name,
                        was,
                        data_type,
                        collation,
                        comment: attribute_comment,
                        origin: origin(attribute.name.span),
                    });
                }
                let composite = CompositeType {
                    name: name.clone(),
                    was,
                    attributes: lowered,
                    comment,
                    origin: origin(decl.name.name.span),
                };
                self.schema.composites.insert(name, composite);
            }
            ast::TypeBody::Range { options } => {
                let mut range = RangeType {
                    name: name.clone(),
                    was,
                    subtype: SqlType {
                        name: TypeName::Builtin(String::new()),
                        modifiers: None,
                        array_dims: 0,
                    },
                    subtype_opclass: None,
                    collation: None,
                    canonical: None,
                    subtype_diff: None,
                    multirange: None,
                    comment,
                    origin: origin(decl.name.name.span),
                };
                let mut subtype = false;
                for option in options {
                    let key = option.name.text.to_ascii_lowercase();
                    if !RANGE_OPTIONS.contains(&key.as_str()) {
                        self.error(
                            Diagnostic::new(
                                Code::InvalidType,
                                format!("`{}` is no option of a range type", option.name.text),
                            )
                            .primary(option.name.span, "not an option of CREATE TYPE ... AS RANGE")
                            .help(format!("the options are {}", RANGE_OPTIONS.join(", "))),
                        );
                        continue;
                    }
                    if key == "subtype" {
                        let (data_type, _) = self.column_type(&option.value);
                        range.subtype = data_type;
                        subtype = true;
                        continue;
                    }
                    let value = match &option.value.base {
                        ast::TypeBase::Named(value)
                            if option.value.modifiers.is_empty() && option.value.array_dims == 0 =>
                        {
                            value.clone()
                        }
                        _ => {
                            self.error(
                                Diagnostic::new(Code::InvalidType, format!("`{key}` takes a name"))
                                    .primary(option.value.span, "not a name")
                                    .help(format!("write the name of the {}", what_names(&key))),
                            );
                            continue;
                        }
                    };
                    match key.as_str() {
                        "multirange_type_name" => range.multirange = Some(self.qualify(&value)),
                        _ => {
                            let value = Some(self.search_path_name(&value));
                            match key.as_str() {
                                "subtype_opclass" => range.subtype_opclass = value,
                                "collation" => range.collation = value,
                                "canonical" => range.canonical = value,
                                _ => range.subtype_diff = value,
                            }
                        }
                    }
                }
                if !subtype {
                    self.error(
                        Diagnostic::new(Code::InvalidType, format!("range type `{name}` has no subtype"))
                            .primary(decl.name.span, "no `subtype = TYPE`")
                            .help("name the type of its bounds: `type NAME as range (subtype = TYPE)`"),
                    );
                    return;
                }
                // The default name is left out, as the database side does.
                if range.multirange.as_ref().is_some_and(|m| {
                    m.schema == name.schema && m.name.as_str() == default_multirange(name.name.as_str())
                }) {
                    range.multirange = None;
                }
                self.schema.ranges.insert(name, range);
            }
        }
    }
}

/// What a range option names, for its help.
fn what_names(key: &str) -> &'static str {
    match key {
        "subtype_opclass" => "subtype's b-tree operator class",
        "collation" => "collation",
        "multirange_type_name" => "multirange type",
        _ => "function",
    }
}
