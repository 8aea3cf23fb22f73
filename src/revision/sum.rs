//! `trellis.sum`: one line per revision file, `<file name> <sha256>`.
//!
//! The lines may come in any order and there is no total over the
//! directory: two branches that each add revisions add different lines,
//! which git's `union` merge (set for the file by the `.gitattributes`
//! that `trellisc init` writes) keeps both of, so adding revisions on
//! branches never makes a conflict here. An edited, deleted, renamed or
//! unlisted file is found all the same.

use std::collections::BTreeMap;
use std::path::Path;

use sha2::{Digest, Sha256};

/// The sum file's name in the versions directory.
pub const FILE_NAME: &str = "trellis.sum";

/// What `init` puts in the versions directory's `.gitattributes`.
pub const GITATTRIBUTES: &str =
    "# Keep the lines of both sides when branches add revisions (see trellis.sum).\ntrellis.sum merge=union\n";

const HEADER: &str = "\
# trellis.sum: the SHA-256 of every revision file, one line each, in any order.
# trellisc refuses to run with a revision file edited, deleted or renamed
# behind its back; `trellisc rehash` accepts a deliberate edit. Git merges
# this file by keeping both sides' lines (see .gitattributes).
";

/// The hex SHA-256 of some bytes.
pub fn sha256(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut out = String::with_capacity(64);
    for byte in digest.iter() {
        out.push_str(&format!("{byte:02x}"));
    }
    out
}

/// The files a sum covers: the directory's `.sql` and `.trellis` files.
fn covered(dir: &Path) -> std::io::Result<BTreeMap<String, Vec<u8>>> {
    let mut files = BTreeMap::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let is_revision_file = path.extension().is_some_and(|e| e == "sql" || e == "trellis");
        if path.is_file() && is_revision_file {
            if let Some(name) = path.file_name().and_then(|n| n.to_str()) {
                files.insert(name.to_string(), std::fs::read(&path)?);
            }
        }
    }
    Ok(files)
}

/// The sum file's text for the directory as it is now.
pub fn compute(dir: &Path) -> std::io::Result<String> {
    let mut out = HEADER.to_string();
    for (name, bytes) in covered(dir)? {
        out.push_str(&format!("{name} {}\n", sha256(&bytes)));
    }
    Ok(out)
}

/// Writes the sum file for the directory as it is now.
pub fn write(dir: &Path) -> Result<(), String> {
    let text = compute(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    super::files::write_file(&dir.join(FILE_NAME), &text)
}

/// A sum line's file name and checksum, or what is wrong with it: a
/// line trellisc did not write is reported as such, never read as a file
/// that was deleted.
fn listed_line(line: &str) -> Result<(&str, &str), String> {
    let shown: String = crate::diag::printable(line).chars().take(80).collect();
    let fields: Vec<&str> = line.split_whitespace().collect();
    let [name, hash] = fields.as_slice() else {
        return Err(format!("`{shown}` has {} field(s), not 2", fields.len()));
    };
    let revision_file = (name.ends_with(".sql") || name.ends_with(".trellis")) && !name.contains(['/', '\\']);
    if !revision_file {
        return Err(format!(
            "`{name}` is not the name of a revision file (`.sql` or `.trellis`)"
        ));
    }
    if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
        return Err(format!(
            "`{}` is not a SHA-256 (64 lower-case hex digits)",
            crate::diag::printable(hash)
        ));
    }
    Ok((name, hash))
}

/// Every way the directory differs from its sum file, one sentence each.
pub fn verify(dir: &Path) -> Vec<String> {
    let files = match covered(dir) {
        Ok(files) => files,
        Err(e) => return vec![format!("cannot read {}: {e}", dir.display())],
    };
    let sum_path = dir.join(FILE_NAME);
    let text = match std::fs::read_to_string(&sum_path) {
        Ok(text) => text,
        Err(_) if files.is_empty() => return Vec::new(),
        Err(e) => {
            return vec![format!(
                "cannot read {}: {e}; if the revision files are as they should be, run `trellisc rehash` to write it",
                sum_path.display()
            )];
        }
    };
    let mut listed: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    let mut problems = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        match listed_line(line) {
            Ok((name, hash)) => listed.entry(name).or_default().push(hash),
            Err(what) => problems.push(format!(
                "line {} of {} is malformed: {what} (expected `<file> <sha256>`, such as `{}`); if the revision files are as they should be, run `trellisc rehash` to rewrite it",
                n + 1,
                sum_path.display(),
                "20260101000000_0a1b2c_base.sql 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
            )),
        }
    }
    for (name, hashes) in &listed {
        let Some(bytes) = files.get(*name) else {
            problems.push(format!(
                "{} was deleted or renamed: it is listed in {} but not in {}; restore it from version control, or run `trellisc rehash` if removing it was deliberate",
                dir.join(name).display(),
                FILE_NAME,
                dir.display()
            ));
            continue;
        };
        let actual = sha256(bytes);
        if hashes.iter().any(|h| *h != actual) {
            problems.push(format!(
                "{} was edited after trellisc wrote it (its checksum differs from {}); if the edit is deliberate, run `trellisc rehash`",
                dir.join(name).display(),
                FILE_NAME
            ));
        }
    }
    for name in files.keys() {
        if !listed.contains_key(name.as_str()) {
            problems.push(format!(
                "{} is not listed in {}: it was added or renamed by hand; if it belongs there, run `trellisc rehash`",
                dir.join(name).display(),
                FILE_NAME
            ));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_digest() {
        assert_eq!(
            sha256(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn edits_deletions_and_strangers_are_found() -> std::io::Result<()> {
        let dir = std::env::temp_dir().join(format!("trellis-sum-{}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        std::fs::write(dir.join("a.sql"), "one")?;
        std::fs::write(dir.join("a.trellis"), "two")?;
        write(&dir).map_err(std::io::Error::other)?;
        assert!(verify(&dir).is_empty());
        // Lines in another order (as after a union merge) are fine.
        let text = std::fs::read_to_string(dir.join(FILE_NAME))?;
        let mut lines: Vec<&str> = text.lines().collect();
        lines.reverse();
        std::fs::write(dir.join(FILE_NAME), lines.join("\n"))?;
        assert!(verify(&dir).is_empty());
        std::fs::write(dir.join("a.sql"), "changed")?;
        std::fs::remove_file(dir.join("a.trellis"))?;
        std::fs::write(dir.join("b.sql"), "new")?;
        let problems = verify(&dir).join("\n");
        assert!(problems.contains("a.sql was edited"), "{problems}");
        assert!(problems.contains("a.trellis was deleted or renamed"), "{problems}");
        assert!(problems.contains("b.sql is not listed"), "{problems}");
        std::fs::remove_dir_all(&dir)
    }

    #[test]
    fn garbage_lines_are_malformed_not_deleted_files() -> std::io::Result<()> {
        let dir = std::env::temp_dir().join(format!("trellis-sum-garbage-{}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        std::fs::write(dir.join("a.sql"), "one")?;
        write(&dir).map_err(std::io::Error::other)?;
        let sum_path = dir.join(FILE_NAME);
        let good = std::fs::read_to_string(&sum_path)?;
        for garbage in [
            "hello world",
            "<<<<<<< HEAD",
            "a.sql",
            "a.sql abc",
            "../x.sql 00",
            "a.sql x y",
        ] {
            std::fs::write(&sum_path, format!("{good}{garbage}\n"))?;
            let problems = verify(&dir);
            let line = good.lines().count() + 1;
            assert_eq!(problems.len(), 1, "{garbage}: {problems:?}");
            let expected = format!("line {line} of {} is malformed: ", sum_path.display());
            assert!(problems[0].starts_with(&expected), "{garbage}: {problems:?}");
            assert!(!problems[0].contains("deleted"), "{garbage}: {problems:?}");
        }
        std::fs::remove_dir_all(&dir)
    }
}
