//! Text positions and the little reading of source text the requests
//! need: protocol positions (UTF-16) and byte offsets, file URIs, the word
//! under the cursor, and what may be completed where.

use std::path::{Path, PathBuf};

use lsp_types::{Position, Range, Uri};

/// Line starts of a text, to turn byte offsets into protocol positions
/// (lines and UTF-16 columns) and back.
pub struct LineIndex<'t> {
    text: &'t str,
    starts: Vec<usize>,
}

impl<'t> LineIndex<'t> {
    pub fn new(text: &'t str) -> LineIndex<'t> {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineIndex { text, starts }
    }

    pub fn position(&self, offset: usize) -> Position {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= offset).saturating_sub(1);
        let start = self.starts[line];
        let column: usize = self
            .text
            .get(start..offset)
            .unwrap_or("")
            .chars()
            .map(char::len_utf16)
            .sum();
        Position::new(line as u32, column as u32)
    }

    pub fn range(&self, start: usize, end: usize) -> Range {
        Range::new(self.position(start), self.position(end))
    }

    /// The byte offset of a position (clamped to the line and the text).
    pub fn offset(&self, position: Position) -> usize {
        let Some(&start) = self.starts.get(position.line as usize) else {
            return self.text.len();
        };
        let line = &self.text[start..];
        let line = &line[..line.find('\n').unwrap_or(line.len())];
        let mut units = 0;
        for (i, c) in line.char_indices() {
            if units >= position.character as usize {
                return start + i;
            }
            units += c.len_utf16();
        }
        start + line.len()
    }
}

/// The path of a `file://` URI.
pub fn path_of(uri: &Uri) -> Option<PathBuf> {
    let text = uri.as_str();
    let rest = text.strip_prefix("file://")?;
    let mut bytes = Vec::new();
    let raw = rest.as_bytes();
    let mut i = 0;
    while i < raw.len() {
        if raw[i] == b'%' && i + 2 < raw.len() {
            let hex = std::str::from_utf8(&raw[i + 1..i + 3]).ok()?;
            bytes.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            bytes.push(raw[i]);
            i += 1;
        }
    }
    Some(PathBuf::from(String::from_utf8(bytes).ok()?))
}

/// The `file://` URI of an absolute path.
pub fn uri_of(path: &Path) -> Option<Uri> {
    let path = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().ok()?.join(path)
    };
    let mut text = String::from("file://");
    for byte in path.to_str()?.bytes() {
        if byte.is_ascii_alphanumeric() || b"/-._~".contains(&byte) {
            text.push(byte as char);
        } else {
            text.push_str(&format!("%{byte:02X}"));
        }
    }
    text.parse().ok()
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '$' || c == '.' || c == '"'
}

/// The name at `offset` (a qualified name counts as one word), with its
/// byte range; quotes are kept.
pub fn word_at(text: &str, offset: usize) -> Option<(std::ops::Range<usize>, String)> {
    let offset = offset.min(text.len());
    if !text.is_char_boundary(offset) {
        return None;
    }
    let start = text[..offset]
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_word(*c))
        .last()
        .map_or(offset, |(i, _)| i);
    let end = text[offset..]
        .char_indices()
        .find(|(_, c)| !is_word(*c))
        .map_or(text.len(), |(i, _)| offset + i);
    let word = text[start..end].trim_matches('.');
    (!word.is_empty()).then(|| (start..end, word.to_string()))
}

/// What can be completed after the text of a line up to the cursor.
#[derive(Debug, PartialEq, Eq)]
pub enum Context {
    /// After `references`: a table.
    TableName,
    /// In `references TABLE (`: that table's columns.
    ReferencedColumn(String),
    /// In a column list of the table being written (an index, a key).
    OwnColumn,
    /// After a column's name: a type.
    Type,
    None,
}

pub fn completion_context(before: &str) -> Context {
    let lower = before.to_ascii_lowercase();
    if let Some(at) = lower.rfind("references") {
        let rest = &before[at + "references".len()..];
        let mut parts = rest.splitn(2, '(');
        let table = parts.next().unwrap_or("").trim();
        match parts.next() {
            Some(inside) if !inside.contains(')') => return Context::ReferencedColumn(table.to_string()),
            Some(_) => {}
            None if !table.contains(char::is_whitespace) => return Context::TableName,
            None => {}
        }
    }
    let open = before.matches('(').count() > before.matches(')').count();
    let listing = ["index", "unique", "primary key", "foreign key", "include", "exclude"]
        .iter()
        .any(|w| lower.contains(w));
    if open && listing {
        return Context::OwnColumn;
    }
    // `  name ` at the start of a column line: its type comes next.
    let words: Vec<&str> = before.split_whitespace().collect();
    if before.starts_with(char::is_whitespace) && before.ends_with(' ') && words.len() == 1 {
        return Context::Type;
    }
    if before.starts_with(char::is_whitespace) && words.len() == 2 && !before.ends_with(' ') {
        return Context::Type;
    }
    Context::None
}

/// The offset just after the `}` that closes the first `{` after `from`.
pub fn closing_brace(text: &str, from: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut quote: Option<u8> = None;
    let mut i = from;
    while i < bytes.len() {
        let b = bytes[i];
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None => match b {
                b'\'' | b'"' => quote = Some(b),
                b'/' if bytes.get(i + 1) == Some(&b'/') => {
                    i = text[i..].find('\n').map_or(bytes.len(), |n| i + n);
                    continue;
                }
                b'{' => depth += 1,
                b'}' if depth <= 1 => return Some(i + 1),
                b'}' => depth -= 1,
                _ => {}
            },
        }
        i += 1;
    }
    None
}

/// The types offered after a column name.
pub const BUILTIN_TYPES: &[&str] = &[
    "bigint",
    "integer",
    "smallint",
    "numeric",
    "real",
    "double precision",
    "boolean",
    "text",
    "varchar",
    "char",
    "uuid",
    "date",
    "time",
    "timestamp",
    "timestamptz",
    "interval",
    "jsonb",
    "json",
    "bytea",
    "inet",
    "cidr",
    "tsvector",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_utf16_units() {
        let text = "table é {\n  naïve text\n}\n";
        let index = LineIndex::new(text);
        let offset = text.find("text").unwrap_or(0);
        let position = index.position(offset);
        assert_eq!(position, Position::new(1, 8));
        assert_eq!(index.offset(position), offset);
        assert_eq!(index.offset(Position::new(9, 0)), text.len());
    }

    #[test]
    fn uris_and_paths() {
        let uri = uri_of(Path::new("/tmp/my schema/a.trellis")).expect("uri");
        assert_eq!(uri.as_str(), "file:///tmp/my%20schema/a.trellis");
        assert_eq!(path_of(&uri), Some(PathBuf::from("/tmp/my schema/a.trellis")));
    }

    #[test]
    fn words_and_contexts() {
        let text = "  author bigint references billing.users (id)";
        let at = text.find("billing").unwrap_or(0) + 3;
        assert_eq!(word_at(text, at).map(|w| w.1), Some("billing.users".into()));
        assert_eq!(completion_context("  author bigint references "), Context::TableName);
        assert_eq!(completion_context("  author bigint references us"), Context::TableName);
        assert_eq!(
            completion_context("  author bigint references users ("),
            Context::ReferencedColumn("users".into())
        );
        assert_eq!(completion_context("  index t_a (a, "), Context::OwnColumn);
        assert_eq!(completion_context("  price "), Context::Type);
        assert_eq!(completion_context("  price int not "), Context::None);
        assert_eq!(closing_brace("t { a { } } x", 0), Some(11));
    }
}
