//! Statements inside the language read with PostgreSQL's own parser
//! (`pg_query`, in process, no server): routines and triggers are parsed as
//! the `CREATE` statements they stand for, and what a comparison needs is
//! taken from the parse tree. The canonical text of a statement is the
//! parser's tree printed back with what PostgreSQL would not store removed
//! (defaults spelled out, type modifiers of arguments, layout, case), so that
//! two sources, or a source and a database, written differently but meaning
//! the same compare equal.

use pg_query::NodeEnum;
use pg_query::protobuf::{self, FunctionParameterMode, TypeName as PgTypeName};

use crate::ir::types::{resolve_builtin, resolve_catalog_name};
use crate::ir::{Ident, Origin, QualifiedName, Routine, RoutineId, SqlType, TypeName};

/// What a routine's `CREATE` statement says, as far as trellisc needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoutineFacts {
    /// The types of the arguments that identify it (modes `IN`, `INOUT`,
    /// `VARIADIC`), in order.
    pub identity: Vec<SqlType>,
    /// The return type (`None` for a procedure, or when `OUT` arguments
    /// give it).
    pub returns: Option<SqlType>,
    /// Whether it returns a set.
    pub returns_set: bool,
    /// The language, lower case.
    pub language: String,
    /// The statement printed back without the routine's name, defaults or
    /// layout: equal for two statements PostgreSQL would store the same.
    pub canonical: String,
    /// The argument modes, names and defaults and the result, which
    /// `CREATE OR REPLACE` cannot change.
    pub shape: String,
    /// The relations a SQL-standard body reads and the types of its
    /// signature that are not built in (as written, qualified with the
    /// default schema): what must exist before it is created.
    pub uses: Vec<QualifiedName>,
    /// Whether its body is SQL-standard (`BEGIN ATOMIC ... END`, `RETURN
    /// EXPR`) rather than a string.
    pub standard_body: bool,
}

impl RoutineFacts {
    /// The routine these facts describe, named `name`, its argument list
    /// and rest as written or as PostgreSQL prints them; without a rename
    /// hint, comment or origin (for the caller to give).
    pub fn into_routine(
        self,
        name: QualifiedName,
        procedure: bool,
        aggregate: bool,
        arguments: String,
        rest: String,
    ) -> Routine {
        Routine {
            id: RoutineId {
                name,
                arguments: self.identity,
            },
            was: None,
            procedure,
            aggregate,
            arguments,
            rest,
            returns: self.returns,
            returns_set: self.returns_set,
            language: self.language,
            canonical: self.canonical,
            shape: self.shape,
            uses: self.uses,
            standard_body: self.standard_body,
            comment: None,
            origin: Origin::default(),
        }
    }
}

/// What a `CREATE STATISTICS` statement says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatisticsFacts {
    /// Its kinds, sorted; empty when it has all three (or names none).
    pub kinds: Vec<String>,
    /// Its columns and expressions, printed back.
    pub targets: String,
    /// The statement printed back without its names, its kinds as above.
    pub canonical: String,
}

/// Reads `CREATE STATISTICS NAME [(KINDS)] ON TARGETS FROM TABLE`.
pub fn statistics(statement: &str) -> Result<StatisticsFacts, String> {
    let mut parsed = parse_one(statement)?;
    let Some(NodeEnum::CreateStatsStmt(stats)) = parsed.stmts.first_mut().and_then(node_mut) else {
        return Err("not a CREATE STATISTICS statement".into());
    };
    let mut kinds: Vec<String> = strings(&stats.stat_types)
        .into_iter()
        .map(|k| k.to_lowercase())
        .collect();
    kinds.sort();
    kinds.dedup();
    if kinds == ["dependencies", "mcv", "ndistinct"] {
        kinds.clear();
    }
    stats.stat_types = kinds.iter().map(|k| string_node(k)).collect();
    stats.defnames = vec![string_node("s")];
    stats.relations.clear();
    stats.if_not_exists = false;
    let canonical = deparse(parsed)?;
    // `CREATE STATISTICS s [(...)] ON TARGETS`: the targets are what follows.
    let targets = canonical
        .split_once(" ON ")
        .map(|(_, targets)| targets.trim_end_matches(" FROM").trim().to_string())
        .unwrap_or_default();
    Ok(StatisticsFacts {
        kinds,
        targets,
        canonical,
    })
}

/// `PARTITION BY STRATEGY (KEY)` as PostgreSQL's parser prints it back:
/// what two partition keys are compared by.
pub fn partition_key(strategy: &str, key: &str) -> Result<String, String> {
    let statement = format!("CREATE TABLE t () PARTITION BY {strategy} ({key})");
    let parsed = parse_one(&statement)?;
    deparse(parsed)
}

/// A partition's bound (`FOR VALUES ...` or `DEFAULT`) as PostgreSQL's
/// parser prints it back.
pub fn partition_bound(bound: &str) -> Result<String, String> {
    let statement = format!("CREATE TABLE t PARTITION OF p {bound}");
    let parsed = parse_one(&statement)?;
    deparse(parsed)
}

/// What a trigger's `CREATE TRIGGER` statement says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TriggerFacts {
    /// The function it executes, qualified with the default schema when
    /// written without one.
    pub function: QualifiedName,
    /// The statement printed back without the trigger's and table's names.
    pub canonical: String,
    /// The columns of its table it names (`update of`, `when`): PostgreSQL
    /// will not change their type under it.
    pub columns: Vec<Ident>,
}

/// What a view's query says, as far as trellisc needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ViewFacts {
    /// `CREATE VIEW` of the query with its column names, printed back
    /// without the view's name, options or layout.
    pub canonical: String,
    /// The relations it reads (not its own `WITH` queries).
    pub uses: Vec<QualifiedName>,
    /// The functions it calls.
    pub calls: Vec<QualifiedName>,
}

/// Reads a view's query (`SELECT ...`, `VALUES ...`, `WITH ...`), with the
/// names given to its columns.
pub fn view(query: &str, columns: &[Ident], default_schema: &Ident) -> Result<ViewFacts, String> {
    let parsed = pg_query::parse(query, 0).map_err(|e| parse_message(&e))?;
    match parsed.protobuf.stmts.as_slice() {
        [one]
            if matches!(
                one.stmt.as_deref().and_then(|s| s.node.as_ref()),
                Some(NodeEnum::SelectStmt(_))
            ) => {}
        [_] => return Err("a view's query is a SELECT, VALUES or WITH ... SELECT statement".into()),
        _ => return Err("a view's query is one statement".into()),
    }
    let qualify = |name: &str| match name.rsplit_once('.') {
        Some((schema, name)) => QualifiedName::new(Ident::new(schema), Ident::new(name)),
        None => QualifiedName::new(default_schema.clone(), Ident::new(name)),
    };
    let mut uses: Vec<QualifiedName> = parsed.tables().iter().map(|t| qualify(t)).collect();
    uses.sort();
    uses.dedup();
    let mut calls: Vec<QualifiedName> = parsed.functions().iter().map(|f| qualify(f)).collect();
    // pg_query's walk does not enter a field of a call's result
    // (`(f(x)).id`): the calls the text shows count as well.
    calls.extend(super::calls::calls(query).into_iter().map(|call| {
        let schema = call.schema.map_or_else(|| default_schema.clone(), Ident::new);
        QualifiedName::new(schema, Ident::new(call.name))
    }));
    calls.sort();
    calls.dedup();
    let names = if columns.is_empty() {
        String::new()
    } else {
        let quoted: Vec<String> = columns.iter().map(Ident::quoted).collect();
        format!(" ({})", quoted.join(", "))
    };
    let statement = format!("CREATE VIEW v{names} AS {query}");
    let mut parsed = parse_one(&statement)?;
    super::drop_hidden_names(&mut parsed);
    let canonical = deparse(parsed)?;
    Ok(ViewFacts { canonical, uses, calls })
}

/// Reads `CREATE [UNIQUE] INDEX NAME ON VIEW REST`: the statement printed
/// back without the index's and view's names.
pub fn view_index(statement: &str) -> Result<String, String> {
    let mut parsed = parse_one(statement)?;
    let Some(NodeEnum::IndexStmt(index)) = parsed.stmts.first_mut().and_then(node_mut) else {
        return Err("not a CREATE INDEX statement".into());
    };
    index.idxname = "i".into();
    if let Some(relation) = index.relation.as_mut() {
        relation.schemaname.clear();
        relation.relname = "r".into();
        relation.location = 0;
    }
    deparse(parsed)
}

/// The names an expression uses.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExpressionNames {
    /// Column references, each as its dotted names (`t.*` as `t`).
    pub columns: Vec<Vec<String>>,
    /// Functions called, with the schema when written qualified.
    pub functions: Vec<(Option<String>, String)>,
}

/// The column references and function calls of an expression; `None`
/// when PostgreSQL's parser cannot read it.
pub fn expression_names(expression: &str) -> Option<ExpressionNames> {
    let parsed = pg_query::parse(&format!("SELECT ({expression})"), 0).ok()?;
    if parsed.protobuf.stmts.len() != 1 {
        return None;
    }
    let mut columns = Vec::new();
    let mut functions = Vec::new();
    for (node, ..) in parsed.protobuf.nodes() {
        match node {
            pg_query::NodeRef::ColumnRef(reference) => {
                columns.push(strings(&reference.fields));
            }
            pg_query::NodeRef::FuncCall(call) => {
                let names = strings(&call.funcname);
                match names.as_slice() {
                    [name] => functions.push((None, name.clone())),
                    [schema, name] => functions.push((Some(schema.clone()), name.clone())),
                    _ => {}
                }
            }
            _ => {}
        }
    }
    Some(ExpressionNames { columns, functions })
}

/// Reads `CREATE FUNCTION` or `CREATE PROCEDURE` text. The error is the
/// parser's message.
pub fn routine(statement: &str, default_schema: &Ident) -> Result<RoutineFacts, String> {
    let mut uses = relations(statement, default_schema)?;
    let mut parsed = parse_one(statement)?;
    let Some(NodeEnum::CreateFunctionStmt(function)) = parsed.stmts.first_mut().and_then(node_mut) else {
        return Err("not a CREATE FUNCTION or CREATE PROCEDURE statement".into());
    };
    let function = &mut **function;
    function.replace = false;
    function.funcname = vec![string_node("f")];
    let standard_body = function.sql_body.is_some();
    let mut identity = Vec::new();
    let mut outputs = false;
    for parameter in &mut function.parameters {
        let Some(NodeEnum::FunctionParameter(parameter)) = parameter.node.as_mut() else {
            continue;
        };
        if parameter.mode == FunctionParameterMode::FuncParamDefault as i32 {
            parameter.mode = FunctionParameterMode::FuncParamIn as i32;
        }
        let mode = parameter.mode;
        let Some(arg_type) = parameter.arg_type.as_mut() else {
            continue;
        };
        let data_type = sql_type(arg_type, default_schema);
        canonical_type(arg_type, &data_type);
        if let TypeName::User(name) = &data_type.name {
            uses.push((**name).clone());
        }
        if [
            FunctionParameterMode::FuncParamIn,
            FunctionParameterMode::FuncParamInout,
            FunctionParameterMode::FuncParamVariadic,
        ]
        .iter()
        .any(|m| *m as i32 == mode)
        {
            identity.push(data_type.clone());
        }
        if mode != FunctionParameterMode::FuncParamIn as i32 && mode != FunctionParameterMode::FuncParamVariadic as i32
        {
            outputs = true;
        }
        // PostgreSQL prints a default cast to the argument's own type:
        // `'x'` and `'x'::text` for a text argument are the same default.
        if let Some(default) = parameter.defexpr.as_mut() {
            strip_cast_to(default, &data_type, default_schema);
        }
    }
    let mut returns = None;
    let mut returns_set = false;
    if let Some(return_type) = function.return_type.as_mut() {
        returns_set = return_type.setof;
        let data_type = sql_type(return_type, default_schema);
        canonical_type(return_type, &data_type);
        if let TypeName::User(name) = &data_type.name {
            uses.push((**name).clone());
        }
        returns = Some(data_type);
    }
    // With OUT arguments the return type follows from them: written or not,
    // it is the same function.
    if outputs && !returns_set {
        function.return_type = None;
        returns = None;
    }
    let mut language = String::from("sql");
    let mut options: Vec<(String, protobuf::Node)> = Vec::new();
    for option in std::mem::take(&mut function.options) {
        let Some(NodeEnum::DefElem(element)) = option.node.as_ref() else {
            continue;
        };
        let value = element.arg.as_ref().and_then(|a| a.node.as_ref());
        let text = match value {
            Some(NodeEnum::String(s)) => Some(s.sval.to_lowercase()),
            Some(NodeEnum::Boolean(b)) => Some(b.boolval.to_string()),
            Some(NodeEnum::Integer(i)) => Some(i.ival.to_string()),
            Some(NodeEnum::Float(f)) => Some(f.fval.clone()),
            _ => None,
        };
        let name = element.defname.clone();
        let default = matches!(
            (name.as_str(), text.as_deref()),
            ("volatility", Some("volatile"))
                | ("parallel", Some("unsafe"))
                | ("strict" | "security" | "leakproof" | "window", Some("false"))
        );
        if name == "language" {
            if let Some(text) = &text {
                language.clone_from(text);
            }
        }
        if !default {
            options.push((name, option));
        }
    }
    // A cost or row estimate at PostgreSQL's default is not printed back.
    let default_cost = if matches!(language.as_str(), "c" | "internal") {
        "1"
    } else {
        "100"
    };
    let default_rows = if returns_set { "1000" } else { "0" };
    options.retain(|(name, option)| {
        let value = match option.node.as_ref() {
            Some(NodeEnum::DefElem(e)) => match e.arg.as_ref().and_then(|a| a.node.as_ref()) {
                Some(NodeEnum::Integer(i)) => i.ival.to_string(),
                Some(NodeEnum::Float(f)) => f.fval.clone(),
                _ => String::new(),
            },
            _ => String::new(),
        };
        !((name == "cost" && value == default_cost) || (name == "rows" && value == default_rows))
    });
    options.sort_by(|a, b| a.0.cmp(&b.0));
    function.options = options.into_iter().map(|(_, option)| option).collect();
    let mut shape = format!("{returns:?} {returns_set}");
    for parameter in &function.parameters {
        if let Some(NodeEnum::FunctionParameter(p)) = parameter.node.as_ref() {
            let arg_type = p.arg_type.as_ref().map(|t| sql_type(t, default_schema));
            shape.push_str(&format!(" {}:{}:{arg_type:?}:{}", p.mode, p.name, p.defexpr.is_some()));
        }
    }
    let canonical = deparse(parsed)?;
    uses.sort();
    uses.dedup();
    Ok(RoutineFacts {
        identity,
        returns,
        returns_set,
        language,
        canonical,
        shape,
        uses,
        standard_body,
    })
}

/// The relations a statement reads or writes, and those of a routine's
/// SQL-standard body, qualified with the default schema where written
/// without one.
fn relations(statement: &str, default_schema: &Ident) -> Result<Vec<QualifiedName>, String> {
    let parsed = pg_query::parse(statement, 0).map_err(|e| parse_message(&e))?;
    let mut names = Vec::new();
    range_vars(&parsed.protobuf, default_schema, &mut names);
    // The parser's walk does not enter a body: each of its statements is
    // printed back and read on its own.
    let body = parsed
        .protobuf
        .stmts
        .first()
        .and_then(|s| s.stmt.as_ref())
        .and_then(|s| match s.node.as_ref() {
            Some(NodeEnum::CreateFunctionStmt(f)) => f.sql_body.as_deref(),
            _ => None,
        });
    let mut statements = Vec::new();
    if let Some(body) = body {
        body_statements(body, &mut statements);
    }
    for node in statements {
        let single = protobuf::ParseResult {
            version: parsed.protobuf.version,
            stmts: vec![protobuf::RawStmt {
                stmt: Some(Box::new(node)),
                stmt_location: 0,
                stmt_len: 0,
            }],
        };
        // `RETURN EXPR` is read as `SELECT EXPR`.
        let single = match single.stmts[0].stmt.as_deref().and_then(|n| n.node.as_ref()) {
            Some(NodeEnum::ReturnStmt(r)) => match r.returnval.as_deref() {
                Some(value) => select_of(value),
                None => continue,
            },
            _ => single,
        };
        let Ok(text) = pg_query::deparse(&single, Default::default()) else {
            continue;
        };
        if let Ok(statement) = pg_query::parse(&text, 0) {
            range_vars(&statement.protobuf, default_schema, &mut names);
        }
    }
    Ok(names)
}

/// `SELECT EXPR`, as a statement of its own.
fn select_of(expression: &protobuf::Node) -> protobuf::ParseResult {
    let target = protobuf::ResTarget {
        val: Some(Box::new(expression.clone())),
        ..Default::default()
    };
    // Enumerations spelled out: their protobuf default (0) is no value
    // PostgreSQL's printer accepts.
    let select = protobuf::SelectStmt {
        target_list: vec![protobuf::Node {
            node: Some(NodeEnum::ResTarget(Box::new(target))),
        }],
        op: protobuf::SetOperation::SetopNone as i32,
        limit_option: protobuf::LimitOption::Default as i32,
        ..Default::default()
    };
    protobuf::ParseResult {
        version: 0,
        stmts: vec![protobuf::RawStmt {
            stmt: Some(Box::new(protobuf::Node {
                node: Some(NodeEnum::SelectStmt(Box::new(select))),
            })),
            stmt_location: 0,
            stmt_len: 0,
        }],
    }
}

/// The column references of an expression, each as its dotted names.
fn column_refs(expression: &protobuf::Node) -> Vec<Vec<String>> {
    let parsed = select_of(expression);
    let mut out = Vec::new();
    for (node, ..) in parsed.nodes() {
        if let pg_query::NodeRef::ColumnRef(reference) = node {
            let path: Option<Vec<String>> = reference
                .fields
                .iter()
                .map(|f| match f.node.as_ref() {
                    Some(NodeEnum::String(s)) => Some(s.sval.clone()),
                    _ => None,
                })
                .collect();
            out.extend(path);
        }
    }
    out
}

fn body_statements(node: &protobuf::Node, out: &mut Vec<protobuf::Node>) {
    match node.node.as_ref() {
        Some(NodeEnum::List(list)) => list.items.iter().for_each(|item| body_statements(item, out)),
        Some(_) => out.push(node.clone()),
        None => {}
    }
}

fn range_vars(parsed: &protobuf::ParseResult, default_schema: &Ident, names: &mut Vec<QualifiedName>) {
    for (node, ..) in parsed.nodes() {
        if let pg_query::NodeRef::RangeVar(range) = node {
            let schema = match range.schemaname.as_str() {
                "" => default_schema.clone(),
                schema => Ident::new(schema),
            };
            names.push(QualifiedName::new(schema, Ident::new(range.relname.as_str())));
        }
    }
}

/// Reads `CREATE AGGREGATE NAME(ARGS) (OPTIONS)` text. Ordered-set
/// aggregates (`ORDER BY` among the arguments) are refused.
pub fn aggregate(statement: &str, default_schema: &Ident) -> Result<RoutineFacts, String> {
    let mut parsed = parse_one(statement)?;
    let Some(NodeEnum::DefineStmt(define)) = parsed.stmts.first_mut().and_then(node_mut) else {
        return Err("not a CREATE AGGREGATE statement".into());
    };
    if define.kind != protobuf::ObjectType::ObjectAggregate as i32 {
        return Err("not a CREATE AGGREGATE statement".into());
    }
    define.replace = false;
    define.defnames = vec![string_node("f")];
    let mut identity = Vec::new();
    let mut uses = Vec::new();
    let mut shape = String::new();
    // `args` is the list of arguments, then the number of direct arguments
    // of an ordered-set aggregate (-1 for a plain one).
    if let Some(NodeEnum::Integer(direct)) = define.args.get(1).and_then(|n| n.node.as_ref()) {
        if direct.ival >= 0 {
            return Err("ordered-set aggregates (`ORDER BY` among the arguments) are not supported".into());
        }
    }
    if let Some(NodeEnum::List(arguments)) = define.args.first_mut().and_then(|n| n.node.as_mut()) {
        for argument in &mut arguments.items {
            let Some(NodeEnum::FunctionParameter(parameter)) = argument.node.as_mut() else {
                continue;
            };
            if parameter.mode == FunctionParameterMode::FuncParamDefault as i32 {
                parameter.mode = FunctionParameterMode::FuncParamIn as i32;
            }
            if let Some(arg_type) = parameter.arg_type.as_mut() {
                let data_type = sql_type(arg_type, default_schema);
                canonical_type(arg_type, &data_type);
                if let TypeName::User(name) = &data_type.name {
                    uses.push((**name).clone());
                }
                shape.push_str(&format!(" {}:{}", parameter.mode, parameter.name));
                identity.push(data_type);
            }
        }
    }
    let mut options: Vec<(String, protobuf::Node)> = Vec::new();
    for option in std::mem::take(&mut define.definition) {
        let mut option = option;
        let Some(NodeEnum::DefElem(element)) = option.node.as_mut() else {
            continue;
        };
        let name = element.defname.to_lowercase();
        let mut word = None;
        if let Some(arg) = element.arg.as_mut() {
            match arg.node.as_mut() {
                Some(NodeEnum::TypeName(type_name)) => {
                    let data_type = sql_type(type_name, default_schema);
                    word = type_name.names.last().and_then(|n| match n.node.as_ref() {
                        Some(NodeEnum::String(s)) => Some(s.sval.to_lowercase()),
                        _ => None,
                    });
                    if name.ends_with("func") {
                        if let TypeName::User(function) = &data_type.name {
                            uses.push((**function).clone());
                        }
                    } else if let TypeName::User(type_name) = &data_type.name {
                        uses.push((**type_name).clone());
                    }
                    canonical_type(type_name, &data_type);
                }
                Some(NodeEnum::Integer(i)) => word = Some(i.ival.to_string()),
                Some(NodeEnum::String(s)) => word = Some(s.sval.to_lowercase()),
                _ => {}
            }
        }
        let default = matches!(
            (name.as_str(), word.as_deref()),
            ("parallel", Some("unsafe"))
                | ("finalfunc_modify" | "mfinalfunc_modify", Some("read_only"))
                | ("sspace" | "msspace", Some("0"))
        );
        if !default {
            element.defname = name.clone();
            options.push((name, option));
        }
    }
    options.sort_by(|a, b| a.0.cmp(&b.0));
    define.definition = options.into_iter().map(|(_, option)| option).collect();
    let canonical = deparse(parsed)?;
    uses.sort();
    uses.dedup();
    Ok(RoutineFacts {
        identity,
        returns: None,
        returns_set: false,
        language: "internal".into(),
        canonical,
        shape,
        uses,
        standard_body: false,
    })
}

/// Reads `CREATE [CONSTRAINT] TRIGGER` text.
pub fn trigger(statement: &str, default_schema: &Ident) -> Result<TriggerFacts, String> {
    let mut parsed = parse_one(statement)?;
    let Some(NodeEnum::CreateTrigStmt(trigger)) = parsed.stmts.first_mut().and_then(node_mut) else {
        return Err("not a CREATE TRIGGER statement".into());
    };
    let trigger = &mut **trigger;
    trigger.replace = false;
    trigger.trigname = "t".into();
    let mut columns: Vec<Ident> = trigger
        .columns
        .iter()
        .filter_map(|n| match n.node.as_ref() {
            Some(NodeEnum::String(s)) => Some(Ident::new(s.sval.as_str())),
            _ => None,
        })
        .collect();
    if let Some(when) = trigger.when_clause.as_deref() {
        // `new.col` or `old.col`; `new.*` names no one column.
        columns.extend(
            column_refs(when)
                .into_iter()
                .filter(|path| path.len() == 2)
                .map(|path| Ident::new(path[1].as_str())),
        );
    }
    columns.sort();
    columns.dedup();
    if let Some(relation) = trigger.relation.as_mut() {
        relation.schemaname.clear();
        relation.relname = "r".into();
        relation.location = 0;
    }
    let names = strings(&trigger.funcname);
    let function = match names.as_slice() {
        [name] => QualifiedName::new(default_schema.clone(), Ident::new(name.clone())),
        [.., schema, name] => QualifiedName::new(Ident::new(schema.clone()), Ident::new(name.clone())),
        [] => return Err("a trigger without a function".into()),
    };
    if function.schema == *default_schema {
        trigger.funcname = vec![string_node(function.name.as_str())];
    }
    // A deferrable constraint trigger is one PostgreSQL stores with its
    // `FROM` table unqualified when it is on the search path.
    if let Some(referenced) = trigger.constrrel.as_mut() {
        if referenced.schemaname == default_schema.as_str() {
            referenced.schemaname.clear();
        }
        referenced.location = 0;
    }
    let canonical = deparse(parsed)?;
    Ok(TriggerFacts {
        function,
        canonical,
        columns,
    })
}

/// What a `CREATE POLICY` statement says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyFacts {
    /// Its `USING` and `WITH CHECK` expressions printed back, the rest of
    /// the statement (names, command, roles) left out.
    pub canonical: String,
    /// The columns its expressions name (unqualified, or qualified with
    /// the table's name), sorted.
    pub columns: Vec<Ident>,
    /// The relations its subqueries read, qualified with the default
    /// schema where written without one; its own table left out.
    pub uses: Vec<QualifiedName>,
}

/// Reads `CREATE POLICY NAME ON TABLE ...` text.
pub fn policy(statement: &str, table: &QualifiedName, default_schema: &Ident) -> Result<PolicyFacts, String> {
    let mut parsed = parse_one(statement)?;
    let Some(NodeEnum::CreatePolicyStmt(policy)) = parsed.stmts.first_mut().and_then(node_mut) else {
        return Err("not a CREATE POLICY statement".into());
    };
    let policy = &mut **policy;
    let mut columns = Vec::new();
    for expression in [policy.qual.as_deref(), policy.with_check.as_deref()]
        .into_iter()
        .flatten()
    {
        columns.extend(
            column_refs(expression)
                .into_iter()
                .filter_map(|path| match path.as_slice() {
                    [column] => Some(Ident::new(column.as_str())),
                    [relation, column] if relation == table.name.as_str() => Some(Ident::new(column.as_str())),
                    _ => None,
                }),
        );
    }
    columns.sort();
    columns.dedup();
    policy.policy_name = "p".into();
    policy.cmd_name = "all".into();
    policy.permissive = true;
    policy.roles.clear();
    if let Some(relation) = policy.table.as_mut() {
        relation.schemaname.clear();
        relation.relname = "r".into();
        relation.location = 0;
    }
    let canonical = deparse(parsed)?;
    let mut uses = relations(statement, default_schema)?;
    uses.retain(|name| name != table);
    uses.sort();
    uses.dedup();
    Ok(PolicyFacts {
        canonical,
        columns,
        uses,
    })
}

/// A `CREATE TRIGGER` statement as PostgreSQL's parser prints it back, with
/// the function it executes named with its schema, so that it runs the
/// same whatever the search path.
pub fn qualified_trigger(statement: &str, function: &QualifiedName) -> Result<String, String> {
    let mut parsed = parse_one(statement)?;
    let Some(NodeEnum::CreateTrigStmt(trigger)) = parsed.stmts.first_mut().and_then(node_mut) else {
        return Err("not a CREATE TRIGGER statement".into());
    };
    trigger.funcname = vec![
        string_node(function.schema.as_str()),
        string_node(function.name.as_str()),
    ];
    deparse(parsed)
}

/// The string nodes of a name list (`schema.name`, a column reference's
/// fields), others left out.
fn strings(nodes: &[protobuf::Node]) -> Vec<String> {
    nodes
        .iter()
        .filter_map(|n| match n.node.as_ref() {
            Some(NodeEnum::String(s)) => Some(s.sval.clone()),
            _ => None,
        })
        .collect()
}

fn parse_one(statement: &str) -> Result<protobuf::ParseResult, String> {
    let parsed = pg_query::parse(statement, 0).map_err(|e| parse_message(&e))?;
    if parsed.protobuf.stmts.len() != 1 {
        return Err("expected one statement".into());
    }
    Ok(parsed.protobuf)
}

fn parse_message(error: &pg_query::Error) -> String {
    match error {
        pg_query::Error::Parse(message) => message.clone(),
        other => other.to_string(),
    }
}

fn node_mut(statement: &mut protobuf::RawStmt) -> Option<&mut NodeEnum> {
    statement.stmt.as_mut().and_then(|s| s.node.as_mut())
}

fn deparse(parsed: protobuf::ParseResult) -> Result<String, String> {
    pg_query::deparse(&parsed, Default::default()).map_err(|e| parse_message(&e))
}

fn string_node(text: &str) -> protobuf::Node {
    protobuf::Node {
        node: Some(NodeEnum::String(protobuf::String { sval: text.into() })),
    }
}

/// The IR's type for a parsed type name: built-in types by their canonical
/// name whatever the spelling (`int`, `int4`, `integer`), others qualified
/// with the default schema when written without one. Modifiers are left
/// out: PostgreSQL does not keep them on arguments and results.
pub fn sql_type(type_name: &PgTypeName, default_schema: &Ident) -> SqlType {
    let names: Vec<&str> = type_name
        .names
        .iter()
        .filter_map(|n| match n.node.as_ref() {
            Some(NodeEnum::String(s)) => Some(s.sval.as_str()),
            _ => None,
        })
        .collect();
    let array_dims = type_name.array_bounds.len() as u32;
    let builtin = match names.as_slice() {
        ["pg_catalog", name] => resolve_catalog_name(name, &[]),
        [name] => resolve_builtin(name, &[]),
        _ => None,
    };
    let pseudo = match names.as_slice() {
        ["pg_catalog", name] | [name] => PSEUDO_TYPES.iter().find(|p| *p == name),
        _ => None,
    };
    let name = match (builtin, names.as_slice()) {
        (Some(resolved), _) => TypeName::Builtin(resolved.canonical.to_string()),
        (None, _) if pseudo.is_some() => TypeName::Builtin(pseudo.map_or("", |p| p).to_string()),
        (None, [name]) => TypeName::User(Box::new(QualifiedName::new(default_schema.clone(), Ident::new(*name)))),
        (None, [.., schema, name]) => {
            TypeName::User(Box::new(QualifiedName::new(Ident::new(*schema), Ident::new(*name))))
        }
        (None, []) => TypeName::Builtin(String::new()),
    };
    SqlType {
        name,
        modifiers: None,
        array_dims,
    }
}

/// PostgreSQL's pseudo-types, which only arguments and results have.
const PSEUDO_TYPES: &[&str] = &[
    "trigger",
    "event_trigger",
    "void",
    "record",
    "internal",
    "cstring",
    "language_handler",
    "fdw_handler",
    "table_am_handler",
    "index_am_handler",
    "tsm_handler",
    "anyelement",
    "anyarray",
    "anynonarray",
    "anyenum",
    "anyrange",
    "anymultirange",
    "anycompatible",
    "anycompatiblearray",
    "anycompatiblenonarray",
    "anycompatiblerange",
    "anycompatiblemultirange",
    "unknown",
];

/// Rewrites a parsed type name to one spelling per type (for comparison
/// only: the result is printed, never run).
fn canonical_type(type_name: &mut PgTypeName, data_type: &SqlType) {
    let spelled = match &data_type.name {
        TypeName::Builtin(name) => name.clone(),
        TypeName::User(name) => format!("{}.{}", name.schema.as_str(), name.name.as_str()),
    };
    type_name.names = vec![string_node(&spelled)];
    type_name.typmods.clear();
    type_name.typemod = -1;
    type_name.location = 0;
}

/// `EXPR::T` becomes `EXPR` when `T` is `target`.
fn strip_cast_to(node: &mut Box<protobuf::Node>, target: &SqlType, default_schema: &Ident) {
    let inner = match node.node.as_mut() {
        Some(NodeEnum::TypeCast(cast)) => match (&cast.type_name, cast.arg.take()) {
            (Some(type_name), Some(arg)) if sql_type(type_name, default_schema) == *target => Some(arg),
            (_, arg) => {
                cast.arg = arg;
                None
            }
        },
        _ => None,
    };
    if let Some(inner) = inner {
        *node = inner;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn public() -> Ident {
        Ident::new("public")
    }

    #[test]
    fn routines_written_differently_but_stored_alike_are_equal() {
        let written = routine(
            "CREATE FUNCTION f(a int, b varchar(10) default 'x') returns timestamptz language plpgsql volatile called on null input cost 100 as $$ begin return now(); end $$",
            &public(),
        )
        .expect("parses");
        let stored = routine(
            "CREATE OR REPLACE FUNCTION public.f(a integer, b character varying DEFAULT 'x'::character varying)\n RETURNS timestamp with time zone\n LANGUAGE plpgsql\nAS $function$ begin return now(); end $function$\n",
            &public(),
        )
        .expect("parses");
        assert_eq!(written.canonical, stored.canonical);
        assert_eq!(
            written.identity,
            vec![SqlType::builtin("integer"), SqlType::builtin("character varying")]
        );
        assert_eq!(written.language, "plpgsql");
    }

    #[test]
    fn a_different_body_volatility_or_default_differs() {
        let base = "CREATE FUNCTION f(a int default 1) returns int language sql immutable as $$ select a $$";
        let facts = |text: &str| routine(text, &public()).expect("parses").canonical;
        assert_ne!(facts(base), facts(&base.replace("select a", "select a + 1")));
        assert_ne!(facts(base), facts(&base.replace("immutable", "stable")));
        assert_ne!(facts(base), facts(&base.replace("default 1", "default 2")));
    }

    #[test]
    fn out_arguments_are_not_part_of_the_identity() {
        let facts = routine(
            "CREATE FUNCTION f(IN a int, OUT b text, INOUT c bigint) language sql as $$ select 'x', c $$",
            &public(),
        )
        .expect("parses");
        assert_eq!(
            facts.identity,
            vec![SqlType::builtin("integer"), SqlType::builtin("bigint")]
        );
        assert_eq!(facts.returns, None);
    }

    #[test]
    fn triggers_compare_without_their_names_and_the_default_schema() {
        let written = trigger(
            "CREATE TRIGGER a before update of x on t for each row when (old.* is distinct from new.*) execute function touch()",
            &public(),
        )
        .expect("parses");
        let stored = trigger(
            "CREATE TRIGGER b BEFORE UPDATE OF x ON public.t FOR EACH ROW WHEN ((old.* IS DISTINCT FROM new.*)) EXECUTE FUNCTION public.touch()",
            &public(),
        )
        .expect("parses");
        assert_eq!(written.canonical, stored.canonical);
        assert_eq!(written.function.name.as_str(), "touch");
        let names: Vec<&str> = written.columns.iter().map(Ident::as_str).collect();
        assert_eq!(names, ["x"]);
        let guarded = trigger(
            "CREATE TRIGGER a after update on t for each row when (new.total <> old.\"Sum\") execute function f()",
            &public(),
        )
        .expect("parses");
        let names: Vec<&str> = guarded.columns.iter().map(Ident::as_str).collect();
        assert_eq!(names, ["Sum", "total"]);
    }

    #[test]
    fn a_syntax_error_is_the_parser_message() {
        let error = routine("CREATE FUNCTION f( returns int", &public()).expect_err("refused");
        assert!(error.contains("syntax error"), "{error}");
    }

    #[test]
    fn what_a_routine_needs_first_is_found_in_its_body_and_signature() {
        let facts = routine(
            "CREATE FUNCTION f(a app.mood) RETURNS SETOF accounts LANGUAGE sql BEGIN ATOMIC SELECT * FROM accounts JOIN audit.log l ON true; END",
            &public(),
        )
        .expect("parses");
        let uses: Vec<String> = facts.uses.iter().map(|n| n.quoted()).collect();
        assert_eq!(uses, ["app.mood", "audit.log", "public.accounts"]);
        let facts = routine(
            "CREATE FUNCTION h(who text) RETURNS numeric LANGUAGE sql RETURN (SELECT sum(balance) FROM ledger WHERE owner = who)",
            &public(),
        )
        .expect("parses");
        let uses: Vec<String> = facts.uses.iter().map(|n| n.quoted()).collect();
        assert_eq!(uses, ["public.ledger"]);
        // A body in a string is not read until it runs.
        let facts = routine(
            "CREATE FUNCTION g() RETURNS int LANGUAGE sql AS 'select count(*) from t'",
            &public(),
        )
        .expect("parses");
        assert!(facts.uses.is_empty(), "{:?}", facts.uses);
    }

    #[test]
    fn a_trigger_runs_its_function_by_its_qualified_name() {
        let function = QualifiedName::new(Ident::new("app"), Ident::new("Touch"));
        let sql = qualified_trigger(
            "CREATE TRIGGER t before update ON public.a for each row execute function touch()",
            &function,
        )
        .expect("parses");
        assert_eq!(
            sql,
            "CREATE TRIGGER t BEFORE UPDATE ON public.a FOR EACH ROW EXECUTE FUNCTION app.\"Touch\"()"
        );
    }

    #[test]
    fn views_compare_by_their_parse_and_know_what_they_read() {
        let written = view(
            "select id, owner\n  from accounts a join app.owners o on o.name = a.owner where lower(owner) <> ''",
            &[],
            &public(),
        )
        .expect("parses");
        let again = view(
            "SELECT id, owner FROM accounts AS a JOIN app.owners AS o ON o.name = a.owner WHERE lower(owner) <> ''",
            &[],
            &public(),
        )
        .expect("parses");
        assert_eq!(written.canonical, again.canonical);
        let uses: Vec<String> = written.uses.iter().map(QualifiedName::quoted).collect();
        assert_eq!(uses, ["app.owners", "public.accounts"]);
        let calls: Vec<String> = written.calls.iter().map(QualifiedName::quoted).collect();
        assert_eq!(calls, ["public.lower"]);
        let named = view(
            "select id, owner from accounts",
            &[Ident::new("a"), Ident::new("b")],
            &public(),
        )
        .expect("parses");
        assert_ne!(named.canonical, written.canonical);
        let with = view("with t as (select 1 as x) select x from t", &[], &public()).expect("parses");
        assert!(with.uses.is_empty(), "{:?}", with.uses);
        assert!(view("select 1; drop table accounts", &[], &public()).is_err());
        assert!(view("delete from accounts", &[], &public()).is_err());
    }

    #[test]
    fn aggregates_compare_as_postgresql_prints_them() {
        let written = aggregate(
            "CREATE AGGREGATE median(int) (sfunc = array_append, stype = int[], finalfunc = _median, initcond = '{}')",
            &public(),
        )
        .expect("parses");
        let stored = aggregate(
            "CREATE AGGREGATE public.median(integer) (SFUNC = array_append, STYPE = integer[], FINALFUNC = _median, INITCOND = '{}', PARALLEL = UNSAFE)",
            &public(),
        )
        .expect("parses");
        assert_eq!(written.canonical, stored.canonical);
        assert_eq!(written.identity, vec![SqlType::builtin("integer")]);
        let uses: Vec<String> = written.uses.iter().map(QualifiedName::quoted).collect();
        assert_eq!(uses, ["public._median", "public.array_append"]);
        assert!(
            aggregate(
                "CREATE AGGREGATE p(float8 ORDER BY float8) (sfunc = f, stype = internal)",
                &public()
            )
            .is_err()
        );
    }
}
