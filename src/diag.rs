//! Diagnostics as values, and the single place that renders them.

use std::fmt;
use std::io;
use std::ops::Range;

use codespan_reporting::diagnostic::{Diagnostic as Report, Label as ReportLabel, Severity as ReportSeverity};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, termcolor::WriteColor};

/// One source file of a schema, by index into [`Sources`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId(pub u32);

/// A byte range in one source file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    /// The span covering `range` of `file`.
    pub fn new(file: FileId, range: Range<usize>) -> Span {
        Span {
            file,
            start: range.start as u32,
            end: range.end as u32,
        }
    }

    /// The byte range within the file.
    pub fn range(&self) -> Range<usize> {
        self.start as usize..self.end as usize
    }

    /// The smallest span covering both (same file assumed).
    pub fn to(&self, other: Span) -> Span {
        Span {
            file: self.file,
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
}

/// The source files of one run, named as the user gave them.
#[derive(Default)]
pub struct Sources {
    files: SimpleFiles<String, String>,
    count: u32,
}

impl Sources {
    /// An empty set.
    pub fn new() -> Sources {
        Sources::default()
    }

    /// Adds a file and returns its id.
    pub fn add(&mut self, name: impl Into<String>, text: impl Into<String>) -> FileId {
        let id = self.files.add(name.into(), text.into());
        self.count += 1;
        FileId(id as u32)
    }

    /// The text of a file.
    pub fn text(&self, file: FileId) -> &str {
        self.files
            .get(file.0 as usize)
            .map(|f| f.source().as_str())
            .unwrap_or("")
    }

    /// Whether `span` lies within one of these files.
    pub fn holds(&self, span: Span) -> bool {
        span.file.0 < self.count
            && self.files.get(span.file.0 as usize).is_ok_and(|f| {
                let text = f.source();
                let range = span.range();
                range.start <= range.end
                    && range.end <= text.len()
                    && text.is_char_boundary(range.start)
                    && text.is_char_boundary(range.end)
            })
    }

    /// The name of a file.
    pub fn name(&self, file: FileId) -> &str {
        self.files.get(file.0 as usize).map(|f| f.name().as_str()).unwrap_or("")
    }

    /// All file ids, in the order they were added.
    pub fn ids(&self) -> impl Iterator<Item = FileId> {
        (0..self.count).map(FileId)
    }

    /// 1-based line and column of a byte offset.
    pub fn line_col(&self, file: FileId, offset: usize) -> (usize, usize) {
        let text = self.text(file);
        let offset = offset.min(text.len());
        let before = &text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
        (line, before[line_start..].chars().count() + 1)
    }
}

/// How bad a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
    Note,
}

/// A span with a short explanation, shown under the source line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    pub message: String,
    pub primary: bool,
}

/// A problem found in the user's input: a stable code, a message, the places
/// it concerns and what to do about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    pub message: String,
    pub labels: Vec<Label>,
    pub help: Vec<String>,
}

impl Diagnostic {
    /// E0109: `what` (an option or clause) written twice, pointing at both.
    pub fn given_twice(what: &str, again: Span, first: Span) -> Diagnostic {
        Diagnostic::new(Code::DuplicateOption, format!("`{what}` is given twice"))
            .primary(again, "given again here")
            .secondary(first, "first given here")
            .help("keep one of them")
    }

    /// An error with the code's default severity.
    pub fn new(code: Code, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code,
            severity: code.severity(),
            message: message.into(),
            labels: Vec::new(),
            help: Vec::new(),
        }
    }

    /// Adds the main place, with a short label.
    pub fn primary(mut self, span: Span, message: impl Into<String>) -> Diagnostic {
        self.labels.push(Label {
            span,
            message: message.into(),
            primary: true,
        });
        self
    }

    /// Adds a related place.
    pub fn secondary(mut self, span: Span, message: impl Into<String>) -> Diagnostic {
        self.labels.push(Label {
            span,
            message: message.into(),
            primary: false,
        });
        self
    }

    /// Adds a line saying how to fix it.
    pub fn help(mut self, text: impl Into<String>) -> Diagnostic {
        self.help.push(text.into());
        self
    }

    /// Whether this diagnostic makes the run fail.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The first primary span, used for ordering.
    pub fn main_span(&self) -> Option<Span> {
        self.labels
            .iter()
            .find(|l| l.primary)
            .or(self.labels.first())
            .map(|l| l.span)
    }
}

/// Sorts diagnostics by file and position so that output is deterministic.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        let key = |d: &Diagnostic| d.main_span().map(|s| (s.file, s.start, s.end));
        key(a)
            .cmp(&key(b))
            .then_with(|| a.code.cmp(&b.code))
            .then_with(|| a.message.cmp(&b.message))
    });
}

/// Renders diagnostics with codespan-reporting, with the source line
/// underlined; colour only when the writer supports it.
pub fn render(sources: &Sources, diagnostics: &[Diagnostic], out: &mut dyn WriteColor) -> io::Result<()> {
    let config = term::Config::default();
    for diagnostic in diagnostics {
        let severity = match diagnostic.severity {
            Severity::Error => ReportSeverity::Error,
            Severity::Warning => ReportSeverity::Warning,
            Severity::Note => ReportSeverity::Note,
        };
        // A label whose place is not among the sources (a schema read from
        // elsewhere) would stop the whole report: it is left out, and its
        // message kept as a note.
        let (labels, lost): (Vec<&Label>, Vec<&Label>) = diagnostic.labels.iter().partition(|l| sources.holds(l.span));
        let labels = labels
            .into_iter()
            .map(|l| {
                let make = if l.primary {
                    ReportLabel::primary
                } else {
                    ReportLabel::secondary
                };
                make(l.span.file.0 as usize, l.span.range()).with_message(&l.message)
            })
            .collect();
        let report = Report::new(severity)
            .with_code(diagnostic.code.as_str())
            .with_message(&diagnostic.message)
            .with_labels(labels)
            .with_notes(
                lost.iter()
                    .filter(|l| !l.message.is_empty())
                    .map(|l| format!("note: {}", l.message))
                    .chain(diagnostic.help.iter().map(|h| format!("help: {h}")))
                    .collect(),
            );
        term::emit_to_write_style(out, &config, &sources.files, &report).map_err(io::Error::other)?;
    }
    Ok(())
}

/// A diagnostic as JSON (`check --format json`): its code, severity and
/// message, each place as file, line and column (1-based, the end
/// exclusive), and the help lines.
pub fn to_json(sources: &Sources, diagnostic: &Diagnostic) -> serde_json::Value {
    let place = |label: &Label| {
        if !sources.holds(label.span) {
            return serde_json::json!({ "file": null, "message": label.message, "primary": label.primary });
        }
        let (line, column) = sources.line_col(label.span.file, label.span.start as usize);
        let (end_line, end_column) = sources.line_col(label.span.file, label.span.end as usize);
        serde_json::json!({
            "file": sources.name(label.span.file),
            "line": line,
            "column": column,
            "end_line": end_line,
            "end_column": end_column,
            "message": label.message,
            "primary": label.primary,
        })
    };
    let severity = match diagnostic.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    };
    serde_json::json!({
        "code": diagnostic.code.as_str(),
        "severity": severity,
        "message": diagnostic.message,
        "labels": diagnostic.labels.iter().map(place).collect::<Vec<_>>(),
        "help": diagnostic.help,
    })
}

/// Renders diagnostics to a plain string (no colour), as tests and the
/// language server want them.
pub fn render_plain(sources: &Sources, diagnostics: &[Diagnostic]) -> String {
    let mut buffer = codespan_reporting::term::termcolor::NoColor::new(Vec::new());
    // Writing into a Vec cannot fail.
    let _ = render(sources, diagnostics, &mut buffer);
    String::from_utf8_lossy(&buffer.into_inner()).into_owned()
}

macro_rules! codes {
    ($($variant:ident = $code:literal, $severity:ident, $summary:literal;)*) => {
        /// The stable code of each kind of diagnostic (documented in docs/diagnostics.md).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $(#[doc = $summary] $variant,)*
        }

        impl Code {
            /// Every code, in order.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The code as printed, such as `E0101`.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $code,)* }
            }

            /// The severity a diagnostic of this code has.
            pub fn severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$severity,)* }
            }

            /// A one-line summary of what the code means.
            pub fn summary(self) -> &'static str {
                match self { $(Code::$variant => $summary,)* }
            }
        }
    };
}

codes! {
    Syntax = "E0001", Error, "the text is not valid .trellis syntax";
    ItemsOnOneLine = "E0002", Error, "two declarations share one line";
    InvalidNumber = "E0003", Error, "a number is out of range";
    UnreadableFile = "E0004", Error, "a schema file cannot be read";
    InvalidSql = "E0005", Error, "SQL inside the language that PostgreSQL's parser refuses";
    DuplicateTable = "E0101", Error, "two tables have the same name";
    DuplicateColumn = "E0102", Error, "two columns of a table have the same name";
    DuplicateConstraint = "E0103", Error, "two constraints of a table have the same name";
    DuplicateIndex = "E0104", Error, "two indexes or relations of a schema have the same name";
    DuplicateSequence = "E0105", Error, "two sequences have the same name";
    DuplicateEnum = "E0106", Error, "two enums (or an enum and a table) have the same name";
    DuplicateLabel = "E0107", Error, "an enum lists the same label twice";
    DuplicateExtension = "E0108", Error, "an extension is declared twice";
    DuplicateOption = "E0109", Error, "an option or clause is given twice";
    DuplicateSchema = "E0110", Error, "a schema is declared twice";
    DuplicateType = "E0111", Error, "a type is declared twice, or has the name of another type, a table, a view or a sequence";
    DuplicateRoutine = "E0112", Error, "two functions or procedures have the same name and argument types";
    DuplicateTrigger = "E0113", Error, "two triggers of a table have the same name";
    DuplicatePolicy = "E0114", Error, "two policies of a table have the same name";
    UnknownTable = "E0201", Error, "a reference names a table that is not declared";
    UnknownColumn = "E0202", Error, "a reference names a column the table does not have";
    ForeignKeyArity = "E0203", Error, "a foreign key has a different number of columns than it references";
    ForeignKeyType = "E0204", Error, "a foreign key column's type cannot be compared with the referenced column's";
    UnknownType = "E0205", Error, "a column type is neither a PostgreSQL type nor a declared enum";
    MultiplePrimaryKeys = "E0206", Error, "a table has more than one primary key";
    NameTooLong = "E0207", Error, "an identifier is longer than 63 bytes";
    WasStillExists = "E0208", Error, "a `was` hint names something that still exists";
    ConflictingConstraints = "E0209", Error, "a column has constraints that contradict each other";
    NoMatchingKey = "E0210", Error, "a foreign key references columns without a primary key or unique constraint";
    InvalidSequence = "E0215", Error, "sequence options PostgreSQL would refuse";
    NotOnDomain = "E0216", Error, "a column attribute that a domain cannot have";
    VirtualGeneratedMisused = "E0217", Error, "a virtual generated column is used where PostgreSQL does not allow one";
    NotATriggerFunction = "E0218", Error, "a trigger executes a function that does not return `trigger`";
    InvalidSetting = "E0219", Error, "a column setting has a value PostgreSQL refuses";
    InvalidGrant = "E0220", Error, "a grant names an object, column or privilege the schema does not have";
    InvalidType = "E0221", Error, "a composite or range type PostgreSQL would refuse";
    InheritedConflict = "E0222", Error, "a column declared again in an inheriting table differs from its parent's in type or collation";
    InvalidIdentity = "E0211", Error, "an identity column has a type other than smallint, integer or bigint";
    MisplacedOption = "E0212", Error, "an option is used where PostgreSQL does not allow it";
    InvalidReplicaIdentity = "E0213", Error, "`replica identity using index` names an unsuitable index";
    UnknownLabel = "E0214", Error, "an expression uses a label the enum does not have";
    DestructiveChange = "E0301", Error, "a change would lose data and was not allowed";
    MergeConflict = "E0302", Error, "two branches of the revision history change the same thing differently";
    UsedByUnmanaged = "E0303", Error, "a change drops or retypes what an object trellisc does not manage uses";
    NoCast = "E0304", Error, "a column's type changes to one PostgreSQL cannot cast the old values to, and no `using` says how";
    NeedsNewerPostgres = "E0305", Error, "the schema uses a form the target PostgreSQL version does not have";
    UnknownRole = "E0306", Error, "the schema grants to a role the database does not have";
    EmptyEnum = "W0001", Warning, "an enum has no labels";
    LooseDocComment = "W0002", Warning, "a doc comment is not followed by anything it could document";
    ForeignKeyTypeDiffers = "W0003", Warning, "a foreign key column's type differs from the referenced column's";
    UnknownRelation = "W0005", Warning, "a view reads a table or view the schema does not declare";
    UnknownFunction = "W0004", Warning, "an expression calls a function that is neither PostgreSQL's, the schema's nor a known extension's";
    SymlinkLoop = "W0006", Warning, "a symbolic link in the schema directory leads back to a directory it is in";
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `text` made safe to show on one line of a terminal, a message or an SQL
/// `--` comment: control characters (newlines, carriage returns, escape
/// codes, ...) become visible escapes (`\n`, `\r`, `\t`, `\u{1b}`), and a
/// backslash that could be read as the start of one is doubled. Text
/// without any of them is returned as it is.
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    let needs = |c: char| c.is_control() || c == '\\' || c == '\u{2028}' || c == '\u{2029}';
    if !text.chars().any(needs) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\\' => out.push_str("\\\\"),
            c if needs(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod printable_tests {
    use super::printable;

    #[test]
    fn control_characters_become_visible_escapes() {
        assert_eq!(printable("users"), "users");
        assert_eq!(printable("a\nDROP TABLE x;\n--"), "a\\nDROP TABLE x;\\n--");
        assert_eq!(printable("\u{1b}[31mred\r"), "\\u{1b}[31mred\\r");
        assert_eq!(printable("tab\there"), "tab\\there");
        assert_eq!(printable("back\\slash"), "back\\\\slash");
        assert_eq!(printable("line\u{2028}sep\u{85}"), "line\\u{2028}sep\\u{85}");
        assert!(!printable("é\u{0}x").contains('\0'));
    }
}
