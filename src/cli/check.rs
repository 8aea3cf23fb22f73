//! `trellisc check`: parse and check a schema.

use std::path::Path;

use super::{Color, Format, SchemaArgument, fail, print_diagnostics};
use crate::check::versions::Target;
use crate::diag::Sources;
use crate::project::Project;
use crate::syntax::LowerOptions;

pub(super) fn run(path: Option<&Path>, format: Format, color: Color) -> u8 {
    let SchemaArgument { path, found, project } = match super::schema_argument(path) {
        Ok(argument) => argument,
        Err(e) => return fail(e),
    };
    let file_count = found.files.len();
    if file_count == 0 {
        if format == Format::Text {
            print_diagnostics(&Sources::new(), &found.diagnostics, color);
        }
        return fail(format!("no .trellis files in {}", path.display()));
    }
    // In a project, the schema as its revisions will compile it.
    let options = project
        .as_ref()
        .map_or_else(LowerOptions::default, Project::lower_options);
    let mut compiled = crate::load::compile_found(found, &options);
    if let Some(major) = project.as_ref().and_then(|p| p.postgres) {
        let lacking = crate::check::versions::diagnostics(&compiled.schema, Target::Project(major));
        compiled.diagnostics.extend(lacking);
    }
    let errors = compiled.diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = compiled.diagnostics.len() - errors;
    // The process ends right after: freeing a large schema node by node
    // would only add to the run time.
    let compiled = std::mem::ManuallyDrop::new(compiled);
    let schema = &compiled.schema;
    if format == Format::Json {
        super::output::print_json(&serde_json::json!({
            "version": 1,
            "ok": errors == 0,
            "files": file_count,
            "errors": errors,
            "warnings": warnings,
            "diagnostics": compiled
                .diagnostics
                .iter()
                .map(|d| crate::diag::to_json(&compiled.sources, d))
                .collect::<Vec<_>>(),
            "objects": {
                "tables": schema.tables.len(),
                "enums": schema.enums.len(),
                "domains": schema.domains.len(),
                "sequences": schema.sequences.len(),
                "extensions": schema.extensions.len(),
                "views": schema.views.len(),
                "routines": schema.routines.len(),
            },
        }));
        return u8::from(errors > 0);
    }
    print_diagnostics(&compiled.sources, &compiled.diagnostics, color);
    if errors > 0 {
        errln!("check failed with {errors} error(s) and {warnings} warning(s) in {file_count} file(s)");
        return 1;
    }
    errln!(
        "ok: {file_count} file(s), {} table(s), {} enum(s), {}{} sequence(s), {} extension(s){}",
        schema.tables.len(),
        schema.enums.len(),
        match schema.domains.len() {
            0 => String::new(),
            n => format!("{n} domain(s), "),
        },
        schema.sequences.len(),
        schema.extensions.len(),
        if warnings > 0 {
            format!(", {warnings} warning(s)")
        } else {
            String::new()
        }
    );
    0
}
