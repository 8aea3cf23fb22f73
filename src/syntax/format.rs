//! The canonical layout of `.trellis` source: one declaration per block,
//! one column or item per line, columns before table items, column names
//! aligned, keywords in lower case. Comments and doc comments are kept; a
//! comment stays on the line it documented. Formatting twice changes
//! nothing, and the result lowers to the same IR.

use super::ast::*;

/// Formats one parsed file; `text` is the file's source.
pub fn format_file(file: &SourceFile, text: &str) -> String {
    let mut printer = Printer::new(text, file);
    for (i, declaration) in file.declarations.iter().enumerate() {
        // Grants written together stay together; other declarations stand
        // apart.
        let previous = i.checked_sub(1).map(|p| &file.declarations[p]);
        let grouped = match (previous, declaration) {
            (Some(Declaration::Grant(a)), Declaration::Grant(b)) => {
                b.docs.is_empty() && !printer.blank_between(a.span.end as usize, b.span.start as usize)
            }
            _ => false,
        };
        if i > 0 && !grouped {
            printer.out.push('\n');
        }
        printer.declaration(declaration);
    }
    printer.rest(&file.trailing_docs);
    let mut out = printer.out;
    while out.ends_with("\n\n") {
        out.pop();
    }
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// A `//` comment in the source.
struct Comment {
    start: usize,
    end: usize,
    text: String,
    emitted: bool,
}

struct Printer<'t> {
    text: &'t str,
    out: String,
    comments: Vec<Comment>,
    /// While a table's entries are printed in canonical order, only comments
    /// from here on belong to the entry being printed.
    floor: usize,
}

/// Finds `//` comments (not `///` docs) outside strings, quoted names and
/// expressions (which are printed verbatim with their comments).
fn find_comments(text: &str, expressions: &[(usize, usize)]) -> Vec<Comment> {
    let bytes = text.as_bytes();
    let mut comments = Vec::new();
    let mut expressions = expressions.to_vec();
    expressions.sort_unstable();
    let mut next_expression = 0;
    let mut i = 0;
    while i < bytes.len() {
        // An expression is SQL, with SQL's own strings and comments: it is
        // printed as it is, so it is skipped whole.
        while next_expression < expressions.len() && expressions[next_expression].1 <= i {
            next_expression += 1;
        }
        if let Some(&(start, end)) = expressions.get(next_expression) {
            if start <= i {
                i = end;
                continue;
            }
        }
        match bytes[i] {
            quote @ (b'\'' | b'"') => {
                i += 1;
                while i < bytes.len() {
                    if bytes[i] == quote {
                        if bytes.get(i + 1) == Some(&quote) {
                            i += 2;
                            continue;
                        }
                        break;
                    }
                    i += 1;
                }
                i += 1;
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                let end = text[i..].find('\n').map_or(text.len(), |n| i + n);
                let is_doc = bytes.get(i + 2) == Some(&b'/') && bytes.get(i + 3) != Some(&b'/');
                let in_expression = expressions.iter().any(|(s, e)| *s <= i && i < *e);
                if !is_doc && !in_expression {
                    comments.push(Comment {
                        start: i,
                        end,
                        text: text[i..end].trim_end().to_string(),
                        emitted: false,
                    });
                }
                i = end;
            }
            _ => i += 1,
        }
    }
    comments
}

fn expression_spans(file: &SourceFile) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut push = |e: &Expr| spans.push((e.span.start as usize, e.span.end as usize));
    for declaration in &file.declarations {
        if let Declaration::Routine(routine) = declaration {
            push(&routine.arguments);
            push(&routine.rest);
        }
        if let Declaration::View(view) = declaration {
            push(&view.query);
        }
        if let Declaration::ViewTrigger(trigger) = declaration {
            push(&trigger.trigger.events);
            push(&trigger.trigger.rest);
        }
        if let Declaration::Aggregate(aggregate) = declaration {
            push(&aggregate.arguments);
            push(&aggregate.options);
        }
        if let Declaration::ViewIndex(index) = declaration {
            push(&index.rest);
        }
        if let Declaration::Grant(grant) = declaration {
            grant
                .objects
                .iter()
                .filter_map(|o| o.arguments.as_ref())
                .for_each(&mut push);
        }
        let Declaration::Table(table) = declaration else {
            continue;
        };
        for entry in &table.entries {
            match entry {
                TableEntry::Column(column) => {
                    for constraint in &column.constraints {
                        match &constraint.kind {
                            ColumnConstraintKind::Default(e) | ColumnConstraintKind::Generated(e, _) => push(e),
                            ColumnConstraintKind::Check(c) => push(&c.expr),
                            _ => {}
                        }
                    }
                }
                TableEntry::Item(item) => match &item.kind {
                    TableItemKind::Constraint(c) => match &c.body {
                        ConstraintBody::Check(check) => push(&check.expr),
                        ConstraintBody::Exclude(x) => {
                            x.predicate.iter().for_each(&mut push);
                            for (element, _) in &x.elements {
                                if let ElementTarget::Expression(e) | ElementTarget::Call(e) = &element.target {
                                    push(e);
                                }
                            }
                        }
                        _ => {}
                    },
                    TableItemKind::Trigger(trigger) => {
                        push(&trigger.events);
                        push(&trigger.rest);
                    }
                    TableItemKind::Index(index) => {
                        index.predicate.iter().for_each(&mut push);
                        for element in &index.elements {
                            if let ElementTarget::Expression(e) | ElementTarget::Call(e) = &element.target {
                                push(e);
                            }
                        }
                    }
                    TableItemKind::Policy(policy) => {
                        policy.using.iter().for_each(&mut push);
                        policy.check.iter().for_each(&mut push);
                    }
                    TableItemKind::Statistics(stats) => {
                        stats.kinds.iter().for_each(&mut push);
                        push(&stats.targets);
                    }
                    TableItemKind::ReplicaIdentity(_)
                    | TableItemKind::RowSecurity { .. }
                    | TableItemKind::ClusterOn(_) => {}
                },
            }
        }
    }
    spans
}

impl<'t> Printer<'t> {
    fn new(text: &'t str, file: &SourceFile) -> Printer<'t> {
        let comments = find_comments(text, &expression_spans(file));
        Printer {
            text,
            out: String::new(),
            comments,
            floor: 0,
        }
    }

    /// Emits, on lines of their own, the comments that start before `until`,
    /// keeping an empty line that follows one of them in the source.
    fn comments_before(&mut self, until: usize, indent: &str) {
        self.comments_between(self.floor, until, indent);
    }

    /// Like `comments_before`, but only for comments at or after `from`:
    /// when entries are reordered, each takes only its own comments along.
    fn comments_between(&mut self, from: usize, until: usize, indent: &str) {
        let pending: Vec<usize> = (0..self.comments.len())
            .filter(|&i| !self.comments[i].emitted && self.comments[i].start >= from && self.comments[i].start < until)
            .collect();
        for (n, &i) in pending.iter().enumerate() {
            self.comments[i].emitted = true;
            self.out.push_str(indent);
            self.out.push_str(&self.comments[i].text);
            self.out.push('\n');
            let next = pending.get(n + 1).map_or(until, |&j| self.comments[j].start);
            if until != usize::MAX && self.blank_between(self.comments[i].end, next) {
                self.out.push('\n');
            }
        }
    }

    /// Appends the comment that ends the line `end` is on, if any.
    fn trailing_comment(&mut self, end: usize) {
        let text = self.text;
        let line_end = text[end.min(text.len())..].find('\n').map_or(text.len(), |n| end + n);
        if let Some(comment) = self
            .comments
            .iter_mut()
            .find(|c| !c.emitted && c.start >= end && c.start < line_end)
        {
            comment.emitted = true;
            self.out.push_str("  ");
            self.out.push_str(&comment.text);
        }
    }

    /// Whether the source has an empty line between `from` and `to`.
    fn blank_between(&self, from: usize, to: usize) -> bool {
        if from >= to || to > self.text.len() {
            return false;
        }
        let between = &self.text[from..to];
        between
            .split('\n')
            .skip(1)
            .collect::<Vec<_>>()
            .split_last()
            .is_some_and(|(_, middle)| middle.iter().any(|l| l.trim().is_empty()))
    }

    /// Prints the docs above a line-sized unit, with the comments around them.
    fn docs(&mut self, docs: &[Doc], indent: &str) {
        for doc in docs {
            self.comments_before(doc.span.start as usize, indent);
            self.out.push_str(indent);
            if doc.text.is_empty() {
                self.out.push_str("///");
            } else {
                self.out.push_str("/// ");
                self.out.push_str(&doc.text);
            }
            self.out.push('\n');
        }
    }

    /// Prints one line-sized unit: comments before it (and any inside it,
    /// moved above), docs, the line itself and its trailing comment.
    fn line(&mut self, docs: &[Doc], start: usize, end: usize, indent: &str, line: &str) {
        let first = docs.first().map_or(start, |d| d.span.start as usize);
        self.comments_before(first, indent);
        self.docs(docs, indent);
        self.comments_before(end, indent);
        self.out.push_str(indent);
        self.out.push_str(line);
        self.trailing_comment(end);
        self.out.push('\n');
    }

    fn rest(&mut self, trailing_docs: &[Doc]) {
        if !self.out.is_empty() && (!trailing_docs.is_empty() || self.comments.iter().any(|c| !c.emitted)) {
            self.out.push('\n');
        }
        self.docs(trailing_docs, "");
        self.comments_before(usize::MAX, "");
    }

    fn declaration(&mut self, declaration: &Declaration) {
        match declaration {
            Declaration::Schema(d) => {
                let line = format!("schema {}", d.name.text);
                self.line(&d.docs, d.span.start as usize, d.span.end as usize, "", &line);
            }
            Declaration::Extension(d) => {
                let mut line = format!("extension {}", d.name.text);
                if let Some(version) = &d.version {
                    line.push_str(&format!(" version {}", version.text));
                }
                if let Some(schema) = &d.schema {
                    line.push_str(&format!(" schema {}", schema.text));
                }
                self.line(&d.docs, d.span.start as usize, d.span.end as usize, "", &line);
            }
            Declaration::Collation(d) => {
                let line = format!("collation {} ({})", qual(&d.name), params(&d.options));
                self.line(&d.docs, d.span.start as usize, d.span.end as usize, "", &line);
            }
            Declaration::Enum(d) => self.enumeration(d),
            Declaration::Type(d) => self.user_type(d),
            Declaration::Domain(d) => {
                let line = format!(
                    "domain {} as {}",
                    qual(&d.name),
                    typed(&d.ty, &d.constraints, d.collate.as_ref(), d.was.as_ref(), None, None)
                );
                self.line(&d.docs, d.span.start as usize, d.span.end as usize, "", &line);
            }
            Declaration::Sequence(d) => {
                let header = format!("sequence {}{} {{", qual(&d.name), was(d.was.as_ref()));
                let header_end = brace_after(self.text, d.name.span.end as usize);
                if d.options.is_empty() {
                    let line = format!("{}}}", header);
                    self.line(&d.docs, d.span.start as usize, d.span.end as usize, "", &line);
                    return;
                }
                self.line(&d.docs, d.span.start as usize, header_end, "", &header);
                for option in &d.options {
                    self.line(
                        &[],
                        option.span.start as usize,
                        option.span.end as usize,
                        "  ",
                        &sequence_option(option),
                    );
                }
                self.close(d.span.end as usize);
            }
            Declaration::Table(d) => self.table(d),
            // The query is SQL, kept as written between its braces.
            Declaration::View(d) => {
                let mut line = String::new();
                if d.materialized {
                    line.push_str("materialized ");
                }
                line.push_str(&format!("view {}{}", qual(&d.name), was(d.was.as_ref())));
                if !d.columns.is_empty() {
                    let columns: Vec<&str> = d.columns.iter().map(|c| c.text.as_str()).collect();
                    line.push_str(&format!(" ({})", columns.join(", ")));
                }
                if !d.with.is_empty() {
                    line.push_str(&format!(" with ({})", params(&d.with)));
                }
                line.push_str(&format!(" {{{}}}", d.query.text));
                if let Some(kind) = &d.check_option {
                    line.push_str(&format!(" with {kind} check option"));
                }
                self.line(&d.docs, d.span.start as usize, d.span.end as usize, "", &line);
            }
            Declaration::Grant(d) => {
                let line = grant_line(d);
                self.line(&d.docs, d.span.start as usize, d.span.end as usize, "", &line);
            }
            Declaration::ViewTrigger(d) => {
                let t = &d.trigger;
                let line = format!(
                    "{}trigger {}{} {} on {} {}",
                    if t.constraint { "constraint " } else { "" },
                    t.name.text,
                    was(t.was.as_ref()),
                    t.events.text,
                    qual(&d.view),
                    t.rest.text
                );
                self.line(&d.docs, d.span.start as usize, d.span.end as usize, "", &line);
            }
            Declaration::Aggregate(d) => {
                let line = format!(
                    "aggregate {}({}){} ({})",
                    qual(&d.name),
                    d.arguments.text.trim(),
                    was(d.was.as_ref()),
                    d.options.text.trim()
                );
                self.line(&d.docs, d.span.start as usize, d.span.end as usize, "", &line);
            }
            Declaration::ViewIndex(d) => {
                let line = format!(
                    "{}index {} on {} {}{}",
                    if d.unique { "unique " } else { "" },
                    d.name.text,
                    qual(&d.view),
                    d.rest.text,
                    was(d.was.as_ref())
                );
                self.line(&d.docs, d.span.start as usize, d.span.end as usize, "", &line);
            }
            // The text after the argument list is PostgreSQL's, kept as
            // written: only the words before it are put in our layout.
            Declaration::Routine(d) => {
                let kind = if d.procedure { "procedure" } else { "function" };
                let line = format!(
                    "{kind} {}({}){}{}",
                    qual(&d.name),
                    d.arguments.text.trim(),
                    was(d.was.as_ref()),
                    d.rest.text
                );
                self.line(&d.docs, d.span.start as usize, d.span.end as usize, "", &line);
            }
        }
    }

    fn close(&mut self, end: usize) {
        let brace = end.saturating_sub(1);
        self.comments_before(brace, "  ");
        self.out.push('}');
        self.trailing_comment(end);
        self.out.push('\n');
    }

    /// `type NAME as (...)` on one line when it is short and plain, one
    /// attribute a line otherwise; `type NAME as range (...)` on one line.
    fn user_type(&mut self, d: &TypeDecl) {
        let head = format!("type {}{} as", qual(&d.name), was(d.was.as_ref()));
        let (attributes, trailing_docs) = match &d.body {
            TypeBody::Range { options } => {
                let options: Vec<String> = options
                    .iter()
                    .map(|o| format!("{} = {}", o.name.text.to_ascii_lowercase(), type_text(&o.value)))
                    .collect();
                let line = format!("{head} range ({})", options.join(", "));
                self.line(&d.docs, d.span.start as usize, d.span.end as usize, "", &line);
                return;
            }
            TypeBody::Composite {
                attributes,
                trailing_docs,
            } => (attributes, trailing_docs),
        };
        let rest = |a: &TypeAttribute| typed(&a.ty, &[], a.collate.as_ref(), a.was.as_ref(), None, None);
        let texts: Vec<String> = attributes
            .iter()
            .map(|a| format!("{} {}", a.name.text, rest(a)))
            .collect();
        // One attribute a line, the types aligned as a table's columns are.
        let width = attributes
            .iter()
            .map(|a| a.name.text.chars().count())
            .max()
            .unwrap_or(0);
        let aligned: Vec<String> = attributes
            .iter()
            .map(|a| {
                format!(
                    "{}{} {}",
                    a.name.text,
                    " ".repeat(width - a.name.text.chars().count()),
                    rest(a)
                )
            })
            .collect();
        let open = self.text[d.name.span.end as usize..]
            .find('(')
            .map_or(d.name.span.end as usize, |at| d.name.span.end as usize + at);
        let inner_comments = self
            .comments
            .iter()
            .any(|c| c.start > open && (c.start as u32) < d.span.end);
        let simple = attributes.iter().all(|a| a.docs.is_empty()) && trailing_docs.is_empty() && !inner_comments;
        let one_line = format!("{head} ({})", texts.join(", "));
        if attributes.is_empty() && trailing_docs.is_empty() && !inner_comments {
            self.line(
                &d.docs,
                d.span.start as usize,
                d.span.end as usize,
                "",
                &format!("{head} ()"),
            );
        } else if simple && one_line.len() <= 100 {
            self.line(&d.docs, d.span.start as usize, d.span.end as usize, "", &one_line);
        } else {
            self.line(&d.docs, d.span.start as usize, open + 1, "", &format!("{head} ("));
            let last = attributes.len().saturating_sub(1);
            for (i, (attribute, text)) in attributes.iter().zip(aligned).enumerate() {
                let end = self.after_comma(attribute.span.end as usize);
                let comma = if i < last { "," } else { "" };
                self.line(
                    &attribute.docs,
                    attribute.span.start as usize,
                    end,
                    "  ",
                    &format!("{text}{comma}"),
                );
            }
            self.docs(trailing_docs, "  ");
            let end = d.span.end as usize;
            self.comments_before(end.saturating_sub(1), "  ");
            self.out.push(')');
            self.trailing_comment(end);
            self.out.push('\n');
        }
    }

    fn enumeration(&mut self, d: &EnumDecl) {
        let header = format!(
            "enum {}{}{} {{",
            qual(&d.name),
            was(d.was.as_ref()),
            if d.as_check { " as check" } else { "" }
        );
        let labels: Vec<String> = d
            .labels
            .iter()
            .map(|l| match &l.was {
                Some(w) => format!("{} was {}", l.value.text, w.text),
                None => l.value.text.clone(),
            })
            .collect();
        let open = brace_after(self.text, d.name.span.end as usize);
        let inner_comments = self
            .comments
            .iter()
            .any(|c| c.start > open && (c.start as u32) < d.span.end);
        let simple = d.labels.iter().all(|l| l.docs.is_empty() && l.was.is_none())
            && d.trailing_docs.is_empty()
            && !inner_comments;
        let one_line = format!("{} {} }}", header, labels.join(", "));
        if d.labels.is_empty() {
            self.line(
                &d.docs,
                d.span.start as usize,
                d.span.end as usize,
                "",
                &format!("{header}}}"),
            );
        } else if simple && one_line.len() <= 100 {
            self.line(&d.docs, d.span.start as usize, d.span.end as usize, "", &one_line);
        } else {
            self.line(&d.docs, d.span.start as usize, open + 1, "", &header);
            for (label, text) in d.labels.iter().zip(labels) {
                let end = self.after_comma(label.span.end as usize);
                self.line(&label.docs, label.span.start as usize, end, "  ", &format!("{text},"));
            }
            self.docs(&d.trailing_docs, "  ");
            self.close(d.span.end as usize);
        }
    }

    /// The position after a `,` that directly follows `end`, else `end`.
    fn after_comma(&self, end: usize) -> usize {
        let rest = &self.text[end.min(self.text.len())..];
        let skipped = rest.len() - rest.trim_start_matches([' ', '\t']).len();
        if rest[skipped..].starts_with(',') {
            end + skipped + 1
        } else {
            end
        }
    }

    fn table(&mut self, d: &TableDecl) {
        let mut header = String::new();
        if d.unlogged {
            header.push_str("unlogged ");
        }
        header.push_str(&format!("table {}{}", qual(&d.name), was(d.was.as_ref())));
        // Where the header's last part ends: the body's brace follows.
        let mut header_end = d.name.span.end;
        if let Some(of) = &d.partition_of {
            header.push_str(&format!(
                " partition of {} {}",
                qual(&of.parent),
                sql_source(&of.bound.text)
            ));
            header_end = header_end.max(of.bound.span.end);
        }
        if !d.inherits.is_empty() {
            let parents: Vec<String> = d.inherits.iter().map(qual).collect();
            header.push_str(&format!(" inherits ({})", parents.join(", ")));
            header_end = header_end.max(d.inherits.iter().map(|p| p.span.end).max().unwrap_or(0));
        }
        if let Some((strategy, key)) = d.partition_by.as_deref() {
            header.push_str(&format!(" partition by {strategy} ({})", sql_source(&key.text)));
            header_end = header_end.max(key.span.end);
        }
        if let Some(method) = &d.access_method {
            header.push_str(&format!(" using {}", method.text));
            header_end = header_end.max(method.span.end);
        }
        if !d.with.is_empty() {
            header.push_str(&format!(" with ({})", params(&d.with)));
            header_end = header_end.max(d.with.iter().map(|p| p.span.end).max().unwrap_or(0));
        }
        if let Some(tablespace) = &d.tablespace {
            header.push_str(&format!(" tablespace {}", tablespace.text));
            header_end = header_end.max(tablespace.span.end);
        }
        // A partition may have no body at all.
        let bodiless = !self.text[..(d.span.end as usize).min(self.text.len())].ends_with('}');
        if bodiless {
            self.line(&d.docs, d.span.start as usize, d.span.end as usize, "", &header);
            return;
        }
        header.push_str(" {");
        let open = brace_after(self.text, header_end as usize);
        if d.entries.is_empty()
            && d.trailing_docs.is_empty()
            && !self
                .comments
                .iter()
                .any(|c| c.start > open && (c.start as u32) < d.span.end)
        {
            self.line(
                &d.docs,
                d.span.start as usize,
                d.span.end as usize,
                "",
                &format!("{header}}}"),
            );
            return;
        }
        self.line(&d.docs, d.span.start as usize, open + 1, "", &header);
        let columns: Vec<&ColumnDecl> = d
            .entries
            .iter()
            .filter_map(|e| match e {
                TableEntry::Column(c) => Some(c),
                TableEntry::Item(_) => None,
            })
            .collect();
        let width = columns.iter().map(|c| c.name.text.chars().count()).max().unwrap_or(0);
        // Each entry owns the comments from the end of the previous entry's
        // line (in source order) up to its own line's end.
        let mut floors = std::collections::BTreeMap::new();
        let mut floor = open + 1;
        for entry in &d.entries {
            floors.insert(entry.span().start, floor);
            let end = self.after_comma(entry.span().end as usize);
            floor = self.text[end..].find('\n').map_or(self.text.len(), |n| end + n + 1);
        }
        for (i, column) in columns.iter().enumerate() {
            let first = column.docs.first().map_or(column.span.start, |d| d.span.start) as usize;
            let own = floors.get(&column.span.start).copied().unwrap_or(0);
            let first = self
                .comments
                .iter()
                .filter(|c| !c.emitted && c.start >= own && c.start < first)
                .map(|c| c.start)
                .min()
                .unwrap_or(first);
            if i > 0 && self.blank_between(own.saturating_sub(1), first) {
                self.out.push('\n');
            }
            let end = self.after_comma(column.span.end as usize);
            let line = column_line(column, width);
            self.floor = own;
            self.line(&column.docs, column.span.start as usize, end, "  ", &line);
            self.floor = 0;
        }
        let mut first_item = true;
        for entry in &d.entries {
            let TableEntry::Item(item) = entry else { continue };
            let first = item.docs.first().map_or(item.span.start, |d| d.span.start) as usize;
            let own = floors.get(&item.span.start).copied().unwrap_or(0);
            let first = self
                .comments
                .iter()
                .filter(|c| !c.emitted && c.start >= own && c.start < first)
                .map(|c| c.start)
                .min()
                .unwrap_or(first);
            if (first_item && !columns.is_empty()) || (!first_item && self.blank_between(own.saturating_sub(1), first))
            {
                self.out.push('\n');
            }
            first_item = false;
            let end = self.after_comma(item.span.end as usize);
            self.floor = own;
            self.line(&item.docs, item.span.start as usize, end, "  ", &table_item(item));
            self.floor = 0;
        }
        self.docs(&d.trailing_docs, "  ");
        self.close(d.span.end as usize);
    }
}

/// The position of the first `{` at or after `from`.
fn brace_after(text: &str, from: usize) -> usize {
    text[from.min(text.len())..].find('{').map_or(from, |n| from + n)
}

/// A grant, revoke or default privilege on one line, keywords in lower case.
fn grant_line(d: &GrantDecl) -> String {
    let columns = |columns: &[Name]| {
        if columns.is_empty() {
            String::new()
        } else {
            let names: Vec<&str> = columns.iter().map(|c| c.text.as_str()).collect();
            format!(" ({})", names.join(", "))
        }
    };
    let mut line = String::new();
    if let Some(defaults) = &d.defaults {
        line.push_str("default privileges ");
        if let Some(role) = &defaults.role {
            line.push_str(&format!("for role {} ", role.text));
        }
        if let Some(schema) = &defaults.schema {
            line.push_str(&format!("in schema {} ", schema.text));
        }
    }
    line.push_str(if d.revoke { "revoke " } else { "grant " });
    let privileges: Vec<String> = match &d.all {
        Some(all) => vec![format!("all{}", columns(&all.columns))],
        None => d
            .privileges
            .iter()
            .map(|p| format!("{}{}", p.name.text.to_lowercase(), columns(&p.columns)))
            .collect(),
    };
    line.push_str(&privileges.join(", "));
    line.push_str(" on ");
    match &d.defaults {
        Some(defaults) => line.push_str(&defaults.kind.text.to_lowercase()),
        None => {
            if let Some(kind) = &d.object_kind {
                line.push_str(&kind.text.to_lowercase());
                line.push(' ');
            }
            let objects: Vec<String> = d
                .objects
                .iter()
                .map(|o| match &o.arguments {
                    Some(arguments) => format!("{}({})", qual(&o.name), arguments.text.trim()),
                    None => qual(&o.name),
                })
                .collect();
            line.push_str(&objects.join(", "));
        }
    }
    line.push_str(if d.revoke { " from " } else { " to " });
    let grantees: Vec<&str> = d.grantees.iter().map(|g| g.text.as_str()).collect();
    line.push_str(&grantees.join(", "));
    if d.grant_option {
        line.push_str(" with grant option");
    }
    line
}

fn qual(name: &QualName) -> String {
    match &name.schema {
        Some(schema) => format!("{}.{}", schema.text, name.name.text),
        None => name.name.text.clone(),
    }
}

fn was(was: Option<&QualName>) -> String {
    was.map(|w| format!(" was {}", qual(w))).unwrap_or_default()
}

/// ` with (...)`, or nothing.
fn with_text(with: &[StorageParam]) -> String {
    if with.is_empty() {
        String::new()
    } else {
        format!(" with ({})", params(with))
    }
}

fn params(params: &[StorageParam]) -> String {
    params
        .iter()
        .map(|p| match &p.value {
            Some(v) => format!("{} = {}", p.name, v),
            None => p.name.clone(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn names(names: &[Name]) -> String {
    names.iter().map(|n| n.text.as_str()).collect::<Vec<_>>().join(", ")
}

fn type_text(ty: &TypeExpr) -> String {
    let modifiers = if ty.modifiers.is_empty() {
        String::new()
    } else {
        format!("({})", ty.modifiers.join(","))
    };
    let base = match &ty.base {
        TypeBase::Keyword(words) => match words.split_once(' ') {
            Some((first @ ("timestamp" | "time"), rest)) => format!("{first}{modifiers} {rest}"),
            _ => format!("{words}{modifiers}"),
        },
        TypeBase::Named(name) => format!("{}{modifiers}", qual(name)),
    };
    format!("{base}{}", "[]".repeat(ty.array_dims as usize))
}

fn sequence_option(option: &SequenceOption) -> String {
    match &option.kind {
        SequenceOptionKind::As(ty) => format!("as {}", type_text(ty)),
        SequenceOptionKind::IncrementBy(n) => format!("increment by {n}"),
        SequenceOptionKind::MinValue(Some(n)) => format!("minvalue {n}"),
        SequenceOptionKind::MinValue(None) => "no minvalue".into(),
        SequenceOptionKind::MaxValue(Some(n)) => format!("maxvalue {n}"),
        SequenceOptionKind::MaxValue(None) => "no maxvalue".into(),
        SequenceOptionKind::StartWith(n) => format!("start with {n}"),
        SequenceOptionKind::Cache(n) => format!("cache {n}"),
        SequenceOptionKind::Cycle(true) => "cycle".into(),
        SequenceOptionKind::Cycle(false) => "no cycle".into(),
        SequenceOptionKind::OwnedBy(Some(path)) => {
            format!(
                "owned by {}",
                path.iter().map(|n| n.text.as_str()).collect::<Vec<_>>().join(".")
            )
        }
        SequenceOptionKind::OwnedBy(None) => "owned by none".into(),
        SequenceOptionKind::SequenceName(name) => format!("sequence name {}", qual(name)),
    }
}

fn deferral(d: &Deferral) -> String {
    let mut out = String::new();
    match d.deferrable {
        Some(true) => out.push_str(" deferrable"),
        Some(false) => out.push_str(" not deferrable"),
        None => {}
    }
    match d.initially_deferred {
        Some(true) => out.push_str(" initially deferred"),
        Some(false) => out.push_str(" initially immediate"),
        None => {}
    }
    out
}

fn nulls_distinct(value: Option<bool>) -> &'static str {
    match value {
        Some(true) => " nulls not distinct",
        Some(false) => " nulls distinct",
        None => "",
    }
}

/// An expression as written, without blanks at either end; a last line that
/// ends in a comment keeps its line break, so nothing printed after the
/// expression falls into the comment.
fn sql_source(text: &str) -> String {
    let trimmed = text.trim();
    if crate::sql::ends_in_line_comment(trimmed) {
        format!("{trimmed}\n")
    } else {
        trimmed.to_string()
    }
}

fn check_text(check: &CheckClause) -> String {
    let mut out = format!("check ({})", sql_source(&check.expr.text));
    if check.no_inherit {
        out.push_str(" no inherit");
    }
    if check.not_valid {
        out.push_str(" not valid");
    }
    out
}

fn reference_text(r: &Reference) -> String {
    let mut out = format!("references {}", qual(&r.table));
    if !r.columns.is_empty() {
        out.push_str(&format!(" ({})", names(&r.columns)));
    }
    match r.match_type {
        Some(MatchType::Full) => out.push_str(" match full"),
        Some(MatchType::Simple) => out.push_str(" match simple"),
        Some(MatchType::Partial) => out.push_str(" match partial"),
        None => {}
    }
    for (word, action) in [("delete", &r.on_delete), ("update", &r.on_update)] {
        let Some(action) = action else { continue };
        let kind = match action.kind {
            ActionKind::NoAction => "no action",
            ActionKind::Restrict => "restrict",
            ActionKind::Cascade => "cascade",
            ActionKind::SetNull => "set null",
            ActionKind::SetDefault => "set default",
        };
        out.push_str(&format!(" on {word} {kind}"));
        if !action.columns.is_empty() {
            out.push_str(&format!(" ({})", names(&action.columns)));
        }
    }
    out.push_str(&deferral(&r.deferral));
    if r.not_valid {
        out.push_str(" not valid");
    }
    out
}

fn column_line(column: &ColumnDecl, width: usize) -> String {
    let pad = width.saturating_sub(column.name.text.chars().count()) + 1;
    format!(
        "{}{}{}",
        column.name.text,
        " ".repeat(pad),
        typed(
            &column.ty,
            &column.constraints,
            column.collate.as_deref(),
            column.was.as_deref(),
            column.using.as_deref(),
            column.settings.as_deref()
        )
    )
}

/// `statistics N storage KIND compression METHOD with (...)`, with a space before each.
fn settings_text(settings: &ColumnSettings) -> String {
    let mut out = String::new();
    if let Some((n, _)) = &settings.statistics {
        out.push_str(&format!(" statistics {n}"));
    }
    if let Some((kind, _)) = &settings.storage {
        out.push_str(&format!(" storage {kind}"));
    }
    if let Some((method, _)) = &settings.compression {
        out.push_str(&format!(" compression {method}"));
    }
    if let Some((options, _)) = &settings.options {
        out.push_str(&format!(" with ({})", params(options)));
    }
    out
}

/// A type and the attributes after it, as a column or a domain has them.
fn typed(
    ty: &TypeExpr,
    constraints: &[ColumnConstraint],
    collate: Option<&QualName>,
    was_name: Option<&QualName>,
    using: Option<&Expr>,
    settings: Option<&ColumnSettings>,
) -> String {
    let mut out = type_text(ty);
    if let Some(using) = using {
        out.push_str(&format!(" using ({})", sql_source(&using.text)));
    }
    for constraint in constraints {
        out.push(' ');
        if let Some(name) = &constraint.name {
            out.push_str(&format!("constraint {} ", name.text));
        }
        out.push_str(&match &constraint.kind {
            ColumnConstraintKind::NotNull => "not null".to_string(),
            ColumnConstraintKind::Null => "null".to_string(),
            ColumnConstraintKind::Default(e) => format!("default {}", sql_source(&e.text)),
            ColumnConstraintKind::PrimaryKey(d) => format!("primary key{}", deferral(d)),
            ColumnConstraintKind::Unique {
                nulls_not_distinct,
                deferral: d,
            } => {
                format!("unique{}{}", nulls_distinct(*nulls_not_distinct), deferral(d))
            }
            ColumnConstraintKind::Check(check) => check_text(check),
            ColumnConstraintKind::References(r) => reference_text(r),
            ColumnConstraintKind::Identity { always, options } => {
                let mut text = format!(
                    "generated {} as identity",
                    if *always { "always" } else { "by default" }
                );
                if !options.is_empty() {
                    text.push_str(&format!(
                        " ({})",
                        options.iter().map(sequence_option).collect::<Vec<_>>().join(" ")
                    ));
                }
                text
            }
            ColumnConstraintKind::Generated(e, kind) => {
                format!("generated always as ({}) {}", sql_source(&e.text), kind.keyword())
            }
        });
    }
    if let Some(collate) = collate {
        out.push_str(&format!(" collate {}", qual(collate)));
    }
    if let Some(settings) = settings {
        out.push_str(&settings_text(settings));
    }
    out.push_str(&was(was_name));
    out
}

fn element_text(element: &IndexElement) -> String {
    let mut out = match &element.target {
        ElementTarget::Column(name) => name.text.clone(),
        ElementTarget::Expression(e) => format!("({})", sql_source(&e.text)),
        ElementTarget::Call(e) => sql_source(&e.text),
    };
    if let Some(collate) = &element.collate {
        out.push_str(&format!(" collate {}", qual(collate)));
    }
    if let Some((name, ps)) = &element.opclass {
        out.push_str(&format!(" {}", qual(name)));
        if !ps.is_empty() {
            out.push_str(&format!(" ({})", params(ps)));
        }
    }
    match element.descending {
        Some(true) => out.push_str(" desc"),
        Some(false) => out.push_str(" asc"),
        None => {}
    }
    match element.nulls_first {
        Some(true) => out.push_str(" nulls first"),
        Some(false) => out.push_str(" nulls last"),
        None => {}
    }
    out
}

fn table_item(item: &TableItem) -> String {
    match &item.kind {
        TableItemKind::RowSecurity { force } => {
            format!("row level security{}", if *force { " force" } else { "" })
        }
        TableItemKind::ClusterOn(index) => format!("cluster on {}", index.text),
        TableItemKind::Statistics(s) => {
            let kinds = s
                .kinds
                .as_ref()
                .map(|k| format!(" ({})", sql_source(&k.text)))
                .unwrap_or_default();
            format!("statistics {}{kinds} on ({})", s.name.text, sql_source(&s.targets.text))
        }
        TableItemKind::Policy(p) => {
            let mut out = format!("policy {}{}", p.name.text, was(p.was.as_ref()));
            if let Some(kind) = &p.kind {
                out.push_str(&format!(" as {kind}"));
            }
            if let Some(command) = &p.command {
                out.push_str(&format!(" for {command}"));
            }
            if !p.roles.is_empty() {
                let roles: Vec<&str> = p.roles.iter().map(|r| r.text.as_str()).collect();
                out.push_str(&format!(" to {}", roles.join(", ")));
            }
            if let Some(using) = &p.using {
                out.push_str(&format!(" using ({})", sql_source(&using.text)));
            }
            if let Some(check) = &p.check {
                out.push_str(&format!(" with check ({})", sql_source(&check.text)));
            }
            out
        }
        TableItemKind::Trigger(t) => format!(
            "{}trigger {}{} {} {}",
            if t.constraint { "constraint " } else { "" },
            t.name.text,
            was(t.was.as_ref()),
            t.events.text,
            t.rest.text
        ),
        TableItemKind::Constraint(c) => {
            let mut out = String::new();
            if let Some(name) = &c.name {
                out.push_str(&format!("constraint {} ", name.text));
            }
            out.push_str(&match &c.body {
                ConstraintBody::PrimaryKey {
                    columns,
                    include,
                    with,
                    deferral: d,
                } => {
                    format!(
                        "primary key ({}){}{}{}",
                        names(columns),
                        include_text(include),
                        with_text(with),
                        deferral(d)
                    )
                }
                ConstraintBody::Unique {
                    nulls_not_distinct,
                    columns,
                    include,
                    with,
                    deferral: d,
                } => format!(
                    "unique{} ({}){}{}{}",
                    nulls_distinct(*nulls_not_distinct),
                    names(columns),
                    include_text(include),
                    with_text(with),
                    deferral(d)
                ),
                ConstraintBody::Check(check) => check_text(check),
                ConstraintBody::ForeignKey { columns, reference } => {
                    format!("foreign key ({}) {}", names(columns), reference_text(reference))
                }
                ConstraintBody::Exclude(x) => {
                    let mut text = "exclude".to_string();
                    if let Some(method) = &x.method {
                        text.push_str(&format!(" using {}", method.text));
                    }
                    let elements: Vec<String> = x
                        .elements
                        .iter()
                        .map(|(e, op)| format!("{} with {op}", element_text(e)))
                        .collect();
                    text.push_str(&format!(" ({})", elements.join(", ")));
                    text.push_str(&include_text(&x.include));
                    if !x.with.is_empty() {
                        text.push_str(&format!(" with ({})", params(&x.with)));
                    }
                    if let Some(p) = &x.predicate {
                        text.push_str(&format!(" where ({})", sql_source(&p.text)));
                    }
                    text.push_str(&deferral(&x.deferral));
                    text
                }
            });
            out.push_str(&was(c.was.as_ref()));
            out
        }
        TableItemKind::Index(index) => {
            let mut out = String::new();
            if index.unique {
                out.push_str("unique ");
            }
            out.push_str("index");
            if let Some(name) = &index.name {
                out.push_str(&format!(" {}", name.text));
            }
            out.push_str(nulls_distinct(index.nulls_not_distinct));
            if let Some(method) = &index.method {
                out.push_str(&format!(" using {}", method.text));
            }
            let elements: Vec<String> = index.elements.iter().map(element_text).collect();
            out.push_str(&format!(" ({})", elements.join(", ")));
            out.push_str(&include_text(&index.include));
            if !index.with.is_empty() {
                out.push_str(&format!(" with ({})", params(&index.with)));
            }
            if let Some(p) = &index.predicate {
                out.push_str(&format!(" where ({})", sql_source(&p.text)));
            }
            out.push_str(&was(index.was.as_ref()));
            out
        }
        TableItemKind::ReplicaIdentity(identity) => match identity {
            ReplicaIdentity::Default => "replica identity default".into(),
            ReplicaIdentity::Full => "replica identity full".into(),
            ReplicaIdentity::Nothing => "replica identity nothing".into(),
            ReplicaIdentity::UsingIndex(name) => format!("replica identity using index {}", name.text),
        },
    }
}

fn include_text(include: &[Name]) -> String {
    if include.is_empty() {
        String::new()
    } else {
        format!(" include ({})", names(include))
    }
}
