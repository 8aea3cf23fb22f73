//! `trellisc fmt`: rewrite files in the canonical layout.

use std::path::Path;

use super::{Color, SchemaArgument, fail, print_diagnostics};
use crate::diag::Sources;
use crate::syntax::{format_file, parse_file};

pub(super) fn run(path: Option<&Path>, check_only: bool, color: Color) -> u8 {
    let SchemaArgument { path, found, .. } = match super::schema_argument(path) {
        Ok(argument) => argument,
        Err(e) => return fail(e),
    };
    let mut sources = Sources::new();
    print_diagnostics(&sources, &found.diagnostics, color);
    if found.files.is_empty() {
        return fail(format!("no .trellis files in {}", path.display()));
    }
    let mut status = 0;
    let mut unformatted = 0;
    for file in found.files {
        let text = match crate::load::read_schema_file(&file) {
            Ok(text) => text,
            Err(diagnostic) => {
                print_diagnostics(&sources, &[diagnostic], color);
                status = 1;
                continue;
            }
        };
        let id = sources.add(file.display().to_string(), text.clone());
        let (parsed, diagnostics) = parse_file(id, &text);
        let errors: Vec<_> = diagnostics.into_iter().filter(|d| d.is_error()).collect();
        let Some(parsed) = parsed.filter(|_| errors.is_empty()) else {
            // A file that does not parse is left exactly as it is.
            print_diagnostics(&sources, &errors, color);
            errln!("not formatted: {} has errors", file.display());
            status = 1;
            continue;
        };
        let formatted = format_file(&parsed, &text);
        if formatted == text {
            continue;
        }
        unformatted += 1;
        if check_only {
            outln!("{}", file.display());
            status = 1;
        } else if let Err(error) = std::fs::write(&file, formatted) {
            errln!("error: cannot write {}: {error}", file.display());
            status = 1;
        }
    }
    if check_only && unformatted > 0 {
        errln!(
            "{unformatted} file(s) need formatting: run `trellisc fmt {}`",
            path.display()
        );
    }
    status
}
