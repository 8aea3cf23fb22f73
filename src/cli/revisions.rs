//! The offline revision commands: `init`, `revision`, `merge`, `rehash`,
//! and the pieces the database commands share (finding the project,
//! reading the history and the schema).

use std::path::{Path, PathBuf};

use super::{Color, fail, print_diagnostics};
use crate::check::versions::Target;
use crate::diag::{Code, Diagnostic, Sources};
use crate::ir::Schema;
use crate::plan::{self, PlanOptions};
use crate::project::{self, Project};
use crate::render;
use crate::revision::files::{self, RevisionText};
use crate::revision::{History, Revision, merge, sum};
use crate::syntax::LowerOptions;

/// The project of the current directory.
pub(super) fn project() -> Result<Project, String> {
    let here = std::env::current_dir().map_err(|e| format!("cannot read the current directory: {e}"))?;
    Project::find(&here)
}

/// The project's checked history.
pub(super) fn history(project: &Project) -> Result<History, String> {
    History::load(&project.versions).map_err(|problems| problems.to_string())
}

/// The project and its history, or the exit status after saying why not.
pub(super) fn open() -> Result<(Project, History), u8> {
    let project = project().map_err(fail)?;
    let history = history(&project).map_err(|e| {
        super::output::error(&e);
        1
    })?;
    Ok((project, history))
}

/// The snapshot of a revision (None: the empty schema before the first).
pub(super) fn snapshot(revision: Option<&Revision>) -> Result<Schema, String> {
    match revision {
        Some(revision) => revision.snapshot(),
        None => Ok(Schema::default()),
    }
}

/// Compiles the project's schema (the versions directory is never part of
/// it, even when it lies inside the schema directory).
pub(super) fn compile_schema(project: &Project) -> Result<(Sources, Schema, Vec<Diagnostic>), String> {
    let path = &project.schema;
    if !path.exists() {
        return Err(format!(
            "the schema path {} (from {}) does not exist; create it or change `schema` there",
            path.display(),
            project.file.display()
        ));
    }
    let found = crate::load::find_schema_files(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let files: Vec<PathBuf> = found
        .files
        .into_iter()
        .filter(|f| !f.starts_with(&project.versions))
        .collect();
    if files.is_empty() {
        return Err(format!(
            "no .trellis files in {}; write the schema there (see docs/language.md)",
            path.display()
        ));
    }
    let mut sources = Sources::new();
    let (ids, mut diagnostics) = crate::load::read_schema_files(&files, &mut sources);
    diagnostics.extend(found.diagnostics);
    let (schema, found) = crate::load::compile_files(&sources, &ids, &project.lower_options());
    diagnostics.extend(found);
    Ok((sources, schema, diagnostics))
}

/// `trellisc init`: a commented trellis.toml, `schema/` and `versions/`.
pub(super) fn init(dir: &Path) -> u8 {
    let file = dir.join(project::FILE_NAME);
    if file.exists() {
        return fail(format!("{} exists already; nothing changed", file.display()));
    }
    let steps = || -> Result<(), String> {
        std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        files::write_file(&file, project::TEMPLATE)?;
        let project = Project::read(&file)?;
        for path in [&project.schema, &project.versions] {
            std::fs::create_dir_all(path).map_err(|e| format!("cannot create {}: {e}", path.display()))?;
        }
        files::write_file(&project.versions.join(".gitattributes"), sum::GITATTRIBUTES)?;
        sum::write(&project.versions)
    };
    if let Err(e) = steps() {
        return fail(e);
    }
    outln!(
        "wrote {} and created schema/ and versions/\nnext: write your tables in schema/*.trellis, then run `trellisc revision -m \"Base schema\"`",
        file.display()
    );
    0
}

/// What `revision` was asked to do.
pub(super) struct RevisionArgs {
    pub message: String,
    pub empty: bool,
    pub allow_destructive: bool,
    pub online: bool,
    /// A database to read the sizes of the changed tables from.
    pub sizes_from: Option<String>,
}

/// `trellisc revision -m MSG`: the next revision, from the head's snapshot
/// to the schema as it is now.
pub(super) fn revision(args: RevisionArgs, color: Color) -> u8 {
    let (project, history) = match open() {
        Ok(opened) => opened,
        Err(status) => return status,
    };
    if args.message.trim().is_empty() {
        return fail("the message is empty; say what the revision does, as for a commit");
    }
    let head = match history.head() {
        Ok(head) => head,
        Err(e) => return fail(e),
    };
    let old = match snapshot(head) {
        Ok(schema) => schema,
        Err(e) => return fail(e),
    };
    let parents: Vec<String> = head.map(|h| vec![h.id.clone()]).unwrap_or_default();
    let (id, created) = files::new_id();
    let (upgrade_sql, downgrade_sql, new) = if args.empty {
        (
            "-- Write the upgrade statements here.\n".to_string(),
            "-- Write the statements that undo them here.\n".to_string(),
            old.clone(),
        )
    } else {
        let (sources, new, mut diagnostics) = match compile_schema(&project) {
            Ok(compiled) => compiled,
            Err(e) => return fail(e),
        };
        if let Some(major) = project.postgres {
            diagnostics.extend(crate::check::versions::diagnostics(&new, Target::Project(major)));
        }
        if diagnostics.iter().any(Diagnostic::is_error) {
            print_diagnostics(&sources, &diagnostics, color);
            errln!("revision refused: the schema has errors; nothing written");
            return 1;
        }
        let options = PlanOptions {
            online: args.online,
            postgres: project.postgres,
        };
        let mut upgrade = plan::upgrade(&old, &new, options);
        if let Some(url) = &args.sizes_from
            && !upgrade.is_empty()
        {
            let sized = super::database::runtime().and_then(|runtime| {
                let database = runtime
                    .block_on(crate::reflect::connect(url))
                    .map_err(|e| e.to_string())?;
                super::diff::annotate(&runtime, &database, &mut upgrade);
                Ok(())
            });
            if let Err(e) = sized {
                return fail(format!("--sizes-from: {e}; nothing written"));
            }
        }
        if upgrade.is_empty() {
            print_diagnostics(&sources, &diagnostics, color);
            let at = head.map_or("the empty schema".to_string(), |h| format!("revision {}", h.id));
            outln!("no changes: the schema is the same as at {at}; nothing written");
            return 0;
        }
        if super::diff::refuse_destructive(
            &upgrade,
            &Default::default(),
            args.allow_destructive,
            &sources,
            &mut diagnostics,
            color,
        ) {
            return 1;
        }
        print_diagnostics(&sources, &diagnostics, color);
        let downgrade = plan::downgrade(&old, &new, options);
        // The way back has no `using`: say which statements need one
        // written by hand.
        for back in plan::casts::uncastable(&downgrade, &Default::default()) {
            errln!(
                "warning: the downgrade changes column {}.{} back from {} to {}, which PostgreSQL cannot cast; edit its USING in the downgrade part before running it",
                back.table,
                back.column.as_str(),
                back.from,
                back.to
            );
        }
        let summary = super::diff::summary(&upgrade, &downgrade);
        out!("{summary}");
        (
            render::render_plan(&upgrade),
            render::render_plan(&downgrade),
            new.without_renames(),
        )
    };
    write_revision(
        &project,
        &id,
        &parents,
        &args.message,
        &created,
        &upgrade_sql,
        &downgrade_sql,
        &new,
    )
}

/// Writes a revision's two files and the sum, and says where.
#[allow(clippy::too_many_arguments)]
pub(super) fn write_revision(
    project: &Project,
    id: &str,
    parents: &[String],
    message: &str,
    created: &str,
    upgrade: &str,
    downgrade: &str,
    snapshot: &Schema,
) -> u8 {
    let slug = files::slug(message);
    let stem = if slug.is_empty() {
        id.to_string()
    } else {
        format!("{id}_{slug}")
    };
    let dir = &project.versions;
    let sql_path = dir.join(format!("{stem}.sql"));
    let text = RevisionText {
        id,
        parents,
        message,
        created,
        upgrade,
        downgrade,
    }
    .render();
    let steps = || -> Result<(), String> {
        std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        files::write_file(&sql_path, &text)?;
        files::write_file(&sql_path.with_extension("trellis"), &files::snapshot_text(id, snapshot))?;
        sum::write(dir)
    };
    if let Err(e) = steps() {
        // A half-written revision would only confuse the next command.
        let _ = std::fs::remove_file(&sql_path);
        let _ = std::fs::remove_file(sql_path.with_extension("trellis"));
        return fail(e);
    }
    outln!("wrote {} (revision {id})", sql_path.display());
    0
}

/// `trellisc merge`: joins the heads of branches in a merge revision whose
/// snapshot has both branches' changes.
pub(super) fn merge(message: Option<String>) -> u8 {
    let (project, history) = match open() {
        Ok(opened) => opened,
        Err(status) => return status,
    };
    let heads = history.heads();
    if heads.len() < 2 {
        outln!("nothing to merge: the history has {} head(s)", heads.len());
        return 0;
    }
    // Heads in id order; each is merged into the result of the ones before.
    let mut combined = match heads[0].snapshot() {
        Ok(schema) => schema,
        Err(e) => return fail(e),
    };
    let mut joined: Vec<&Revision> = vec![heads[0]];
    for theirs in &heads[1..] {
        let base_revision = joined
            .iter()
            .filter_map(|ours| history.common_ancestor(&ours.id, &theirs.id))
            .max_by_key(|r| history.ancestors(&r.id).len());
        let (base, theirs_schema) = match (snapshot(base_revision), theirs.snapshot()) {
            (Ok(base), Ok(theirs)) => (base, theirs),
            (Err(e), _) | (_, Err(e)) => return fail(e),
        };
        match merge::merge(&base, &combined, &theirs_schema) {
            Ok(schema) => combined = schema,
            Err(conflicts) => {
                let ours = joined.iter().map(|r| r.id.as_str()).collect::<Vec<_>>().join(" + ");
                for conflict in &conflicts {
                    errln!(
                        "error[{}]: the branches conflict on {}\n  {ours} {}\n  {} {}",
                        Code::MergeConflict,
                        conflict.object,
                        conflict.ours,
                        theirs.id,
                        conflict.theirs
                    );
                }
                errln!(
                    "nothing written: {} conflict(s) between the branches; make the schema agree on one branch (with a revision there), then run `trellisc merge` again",
                    conflicts.len()
                );
                return 1;
            }
        }
        joined.push(theirs);
    }
    // The combined schema must still be a valid schema (one branch may
    // reference what the other dropped).
    let written = files::snapshot_text("merge", &combined);
    let mut sources = Sources::new();
    let id = sources.add("merged schema", written);
    let (_, diagnostics) = crate::load::compile_files(&sources, &[id], &LowerOptions::default());
    if diagnostics.iter().any(Diagnostic::is_error) {
        print_diagnostics(&sources, &diagnostics, Color::Never);
        return fail(
            "nothing written: the branches' schemas do not fit together (see above); fix it on one branch, then merge again",
        );
    }
    let parents: Vec<String> = joined.iter().map(|r| r.id.clone()).collect();
    let message = message.unwrap_or_else(|| {
        format!(
            "Merge {}",
            joined.iter().map(|r| r.id.as_str()).collect::<Vec<_>>().join(" and ")
        )
    });
    let (id, created) = files::new_id();
    let nothing = "-- A merge: nothing to run. The database gets each branch's changes from\n-- the branch's own revisions, which upgrade runs before this one.\n";
    write_revision(&project, &id, &parents, &message, &created, nothing, nothing, &combined)
}

/// `trellisc rehash`: accepts the versions directory as it is.
pub(super) fn rehash() -> u8 {
    let project = match project() {
        Ok(project) => project,
        Err(e) => return fail(e),
    };
    // A file that is no revision (or one that would run transaction
    // control) is not accepted into the sum.
    let broken: Vec<String> = crate::revision::files::revision_files(&project.versions)
        .unwrap_or_default()
        .iter()
        .filter_map(|path| Revision::read(path).err())
        .collect();
    if !broken.is_empty() {
        for problem in &broken {
            errln!("error: {problem}");
        }
        errln!("{} not rewritten: fix the file(s) above first", sum::FILE_NAME);
        return 1;
    }
    let before = sum::verify(&project.versions);
    if let Err(e) = sum::write(&project.versions) {
        return fail(e);
    }
    for problem in &before {
        outln!("accepted: {}", problem.split(';').next().unwrap_or(problem));
    }
    match History::load(&project.versions) {
        Ok(history) => {
            outln!(
                "wrote {} ({} revision(s))",
                project.versions.join(sum::FILE_NAME).display(),
                history.revisions.len()
            );
            0
        }
        Err(problems) => {
            errln!("{problems}");
            1
        }
    }
}
