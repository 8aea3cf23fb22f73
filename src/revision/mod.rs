//! Revisions: the versioned history of a schema.
//!
//! A revision is two files in the versions directory:
//! `<id>_<slug>.sql`, plain SQL a reviewer reads in a pull request (a
//! header of `--` lines, then an upgrade part and a downgrade part), and
//! `<id>_<slug>.trellis`, the schema the revision leads to, so that making
//! the next revision or printing the SQL never needs a database. The
//! revisions form a graph by their parents; `trellis.sum` holds one
//! checksum line per file.

pub mod files;
pub mod locks;
pub mod merge;
pub mod split;
pub mod sum;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

pub use files::{Revision, RevisionText};

/// The word that stands for "before the first revision".
pub const BASE: &str = "base";

/// Whether `name` is `base`, in any case (`BASE` as some tools write it).
pub fn is_base(name: &str) -> bool {
    name.eq_ignore_ascii_case(BASE)
}

/// Whether `name` is `head`, in any case (`HEAD`, as Alembic's documentation
/// and git write it).
pub fn is_head(name: &str) -> bool {
    name.eq_ignore_ascii_case("head")
}

/// A revision whose header names another id than its file name starts
/// with (`<id>_<slug>.sql`): copied from another revision and not renamed,
/// or renamed and not edited. Which of the two is meant cannot be told, so
/// nothing runs until one is corrected.
fn misnamed(revision: &Revision) -> Option<String> {
    let stem = revision.stem();
    let id = &revision.id;
    if stem == *id || stem.starts_with(&format!("{id}_")) {
        return None;
    }
    let name = revision
        .path
        .file_name()
        .map_or(stem.clone(), |n| n.to_string_lossy().into_owned());
    Some(format!(
        "{}: its header says it is revision {id}, but its file name {name} does not start with {id}; rename its two files to start with the id of its header, or correct the `-- trellisc revision:` line, then run `trellisc rehash`",
        revision.path.display()
    ))
}

/// Every revision of a versions directory, checked: ids unique, parents
/// known, no cycle, every file matching its checksum.
#[derive(Debug)]
pub struct History {
    pub dir: PathBuf,
    /// Parents before children; among revisions that could go in either
    /// order, by id.
    pub revisions: Vec<Revision>,
    index: BTreeMap<String, usize>,
}

/// What was found wrong with a versions directory, one line each.
#[derive(Debug)]
pub struct Problems(pub Vec<String>);

impl std::fmt::Display for Problems {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, problem) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "error: {problem}")?;
        }
        Ok(())
    }
}

impl History {
    /// Reads and checks the versions directory `dir`. A missing directory
    /// is an empty history.
    pub fn load(dir: &Path) -> Result<History, Problems> {
        let mut problems = Vec::new();
        let mut revisions = Vec::new();
        if dir.exists() {
            let names = match files::revision_files(dir) {
                Ok(names) => names,
                Err(e) => return Err(Problems(vec![format!("cannot read {}: {e}", dir.display())])),
            };
            for path in names {
                match Revision::read(&path) {
                    Ok(revision) => {
                        problems.extend(misnamed(&revision));
                        revisions.push(revision);
                    }
                    Err(problem) => problems.push(problem),
                }
            }
            problems.extend(sum::verify(dir));
        }
        let history = History::order(dir, revisions, &mut problems);
        if problems.is_empty() {
            Ok(history)
        } else {
            Err(Problems(problems))
        }
    }

    /// Puts the revisions in graph order, reporting duplicate ids, unknown
    /// parents and cycles.
    fn order(dir: &Path, mut revisions: Vec<Revision>, problems: &mut Vec<String>) -> History {
        revisions.sort_by(|a, b| a.id.cmp(&b.id));
        let mut by_id: BTreeMap<String, usize> = BTreeMap::new();
        for (i, revision) in revisions.iter().enumerate() {
            if let Some(&other) = by_id.get(&revision.id) {
                problems.push(format!(
                    "{} and {} have the same revision id {}; give one of them a new id (and rename its files), then run `trellisc rehash`",
                    revisions[other].path.display(),
                    revision.path.display(),
                    revision.id
                ));
            } else {
                by_id.insert(revision.id.clone(), i);
            }
        }
        let mut graph = petgraph::graph::DiGraph::<usize, ()>::new();
        let nodes: Vec<_> = (0..revisions.len()).map(|i| graph.add_node(i)).collect();
        for (i, revision) in revisions.iter().enumerate() {
            for parent in &revision.parents {
                match by_id.get(parent) {
                    Some(&p) => {
                        graph.add_edge(nodes[p], nodes[i], ());
                    }
                    None => problems.push(format!(
                        "{}: its parent revision {parent} is not in {}; restore the parent's files (from version control) or correct the `-- parent:` line and run `trellisc rehash`",
                        revision.path.display(),
                        dir.display()
                    )),
                }
            }
        }
        let order: Vec<usize> = match petgraph::algo::toposort(&graph, None) {
            Ok(sorted) => sorted.into_iter().map(|n| graph[n]).collect(),
            Err(cycle) => {
                problems.push(format!(
                    "{}: the revisions' parents form a cycle; correct the `-- parent:` lines",
                    revisions[graph[cycle.node_id()]].path.display()
                ));
                (0..revisions.len()).collect()
            }
        };
        let mut slots: Vec<Option<Revision>> = revisions.into_iter().map(Some).collect();
        let revisions: Vec<Revision> = order.into_iter().filter_map(|i| slots[i].take()).collect();
        let index = revisions.iter().enumerate().map(|(i, r)| (r.id.clone(), i)).collect();
        History {
            dir: dir.to_path_buf(),
            revisions,
            index,
        }
    }

    /// The revision with this exact id.
    pub fn get(&self, id: &str) -> Option<&Revision> {
        self.index.get(id).map(|&i| &self.revisions[i])
    }

    /// The revisions no other revision has as parent, by id.
    pub fn heads(&self) -> Vec<&Revision> {
        let parents: BTreeSet<&str> = self
            .revisions
            .iter()
            .flat_map(|r| r.parents.iter().map(String::as_str))
            .collect();
        let mut heads: Vec<&Revision> = self
            .revisions
            .iter()
            .filter(|r| !parents.contains(r.id.as_str()))
            .collect();
        heads.sort_by(|a, b| a.id.cmp(&b.id));
        heads
    }

    /// The one head, or an error that explains branches.
    pub fn head(&self) -> Result<Option<&Revision>, String> {
        let heads = self.heads();
        match heads.as_slice() {
            [] => Ok(None),
            [head] => Ok(Some(head)),
            several => Err(self.explain_heads(several)),
        }
    }

    /// Why several heads need a merge.
    pub fn explain_heads(&self, heads: &[&Revision]) -> String {
        let mut out = format!(
            "the history in {} has {} heads: revisions were added on separate branches",
            self.dir.display(),
            heads.len()
        );
        for head in heads {
            out.push_str(&format!("\n  {}  {}", head.id, head.message));
        }
        out.push_str("\nrun `trellisc merge` to join them (it checks that the branches do not change the same thing)");
        out
    }

    /// A revision named by `head` (in any case), its id, or a unique start
    /// of its id, of the hash part of its id (`0df8e2` of
    /// `20261207214128_0df8e2`) or of its slug (`add_orders` of
    /// `<id>_add_orders_total.sql`, in any case). The id is looked at
    /// first, then the hash, then the slug: `2026` is always an id's start.
    pub fn resolve(&self, name: &str) -> Result<&Revision, String> {
        if is_head(name) {
            return self
                .head()?
                .ok_or_else(|| format!("{} has no revisions yet", self.dir.display()));
        }
        if let Some(revision) = self.get(name) {
            return Ok(revision);
        }
        if name.is_empty() {
            return Err("an empty revision name; give an id, the start of one, `head` or `base`".to_string());
        }
        let by_id: Vec<&Revision> = self
            .index
            .range(name.to_string()..)
            .take_while(|(id, _)| id.starts_with(name))
            .map(|(_, &i)| &self.revisions[i])
            .collect();
        let lower = name.to_lowercase();
        let by_hash = || -> Vec<&Revision> {
            self.revisions
                .iter()
                .filter(|r| r.hash().is_some_and(|hash| hash.starts_with(&lower)))
                .collect()
        };
        let by_slug = || -> Vec<&Revision> {
            self.revisions
                .iter()
                .filter(|r| r.slug().to_lowercase().starts_with(&lower))
                .collect()
        };
        let (matching, what) = match by_id {
            found if !found.is_empty() => (found, "revision ids"),
            _ => match by_hash() {
                found if !found.is_empty() => (found, "revision hashes"),
                _ => (by_slug(), "revision slugs"),
            },
        };
        match matching.as_slice() {
            [one] => Ok(one),
            [] => Err(format!(
                "no revision {name:?} in {}: no id, hash or slug starts so; `trellisc history` lists them",
                self.dir.display()
            )),
            several => Err(format!(
                "{name:?} is the start of {} {what} ({}); give more of it",
                several.len(),
                several.iter().map(|r| r.id.as_str()).collect::<Vec<_>>().join(", ")
            )),
        }
    }

    /// The schemas a revision goes between: its first parent's snapshot
    /// (the empty schema for the first revision) and its own. An error
    /// when either snapshot cannot be read.
    pub fn snapshots_around(&self, revision: &Revision) -> Result<(crate::ir::Schema, crate::ir::Schema), String> {
        let before = match revision.parents.first().and_then(|p| self.get(p)) {
            Some(parent) => parent.snapshot()?,
            None => crate::ir::Schema::default(),
        };
        Ok((before, revision.snapshot()?))
    }

    /// `id` and every revision it descends from.
    pub fn ancestors(&self, id: &str) -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut pending = vec![id.to_string()];
        while let Some(next) = pending.pop() {
            if let Some(revision) = self.get(&next) {
                if seen.insert(next) {
                    pending.extend(revision.parents.iter().cloned());
                }
            }
        }
        seen
    }

    /// The nearest revision both `a` and `b` descend from (None: only the
    /// empty schema before all revisions).
    pub fn common_ancestor(&self, a: &str, b: &str) -> Option<&Revision> {
        let of_a = self.ancestors(a);
        let of_b = self.ancestors(b);
        // Graph order puts parents first: the last shared one is nearest.
        self.revisions
            .iter()
            .rev()
            .find(|r| of_a.contains(&r.id) && of_b.contains(&r.id))
    }

    /// Revisions in graph order that are in `ids`.
    pub fn in_order<'h>(&'h self, ids: &BTreeSet<String>) -> Vec<&'h Revision> {
        self.revisions.iter().filter(|r| ids.contains(&r.id)).collect()
    }
}
