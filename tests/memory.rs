//! How much memory the front end holds on a large schema, counted by a
//! global allocator that tracks the bytes live at once: the offline diff of
//! two generated 10,000-table schemas (both in memory together, then
//! planned) and `check` of one.
//!
//! The figures are the heap's, which the process's peak resident size
//! follows with mimalloc's partly used pages on top: 121 MB of heap for the
//! diff was 191 MiB resident in the release binary, 77 MB for check 122 MiB.
//! The limits leave room for noise and catch a regression before it shows
//! there.

#[path = "../benches/support/generator.rs"]
mod generator;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use trellisc::diag::Sources;
use trellisc::plan::{self, PlanOptions};
use trellisc::syntax::LowerOptions;

/// The system allocator, counting the bytes live now and the most ever live.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded unchanged to the system allocator.
        let pointer = unsafe { System.alloc(layout) };
        if !pointer.is_null() {
            grew(layout.size());
        }
        pointer
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.dealloc(pointer, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, pointer: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: forwarded unchanged to the system allocator.
        let moved = unsafe { System.realloc(pointer, layout, new_size) };
        if !moved.is_null() {
            LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
            grew(new_size);
        }
        moved
    }
}

fn grew(bytes: usize) {
    let live = LIVE.fetch_add(bytes, Ordering::Relaxed) + bytes;
    PEAK.fetch_max(live, Ordering::Relaxed);
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const TABLES: usize = 10_000;
const MB: usize = 1_000_000;

/// The generated files as the CLI reads them: one `Sources` a side.
fn sources(files: Vec<(String, String)>) -> Sources {
    let mut sources = Sources::new();
    for (name, text) in files {
        sources.add(name, text);
    }
    sources
}

fn compile(sources: Sources) -> trellisc::Compiled {
    let compiled = trellisc::compile_sources(sources, &LowerOptions::default());
    assert!(!compiled.has_errors(), "the generated schema checks clean");
    compiled
}

/// The most bytes live at once while `work` ran, above what was live before.
fn peak_during<R>(work: impl FnOnce() -> R) -> (R, usize) {
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let result = work();
    (result, PEAK.load(Ordering::Relaxed).saturating_sub(before))
}

// One test, so that the two measurements never run at once.
#[test]
fn a_large_schema_fits_in_memory() {
    let old = sources(generator::schema(TABLES));
    let new = sources(generator::changed_schema(TABLES));
    let old_text: usize = old.ids().map(|id| old.text(id).len()).sum();

    let (compiled, check) = peak_during(|| compile(sources(generator::schema(TABLES))));
    drop(compiled);

    let (steps, diff) = peak_during(|| {
        let from = compile(old);
        let to = compile(new);
        plan::upgrade(&from.schema, &to.schema, PlanOptions::default())
            .steps
            .len()
    });
    eprintln!(
        "{TABLES} tables ({} MB of source a side): check {:.1} MB, diff {:.1} MB at most live",
        old_text / MB,
        check as f64 / MB as f64,
        diff as f64 / MB as f64
    );
    assert!(steps > 0, "the changed schema differs");
    // Measured 76.8 MB and 121.2 MB.
    assert!(check < 90 * MB, "check held {check} bytes at once");
    assert!(diff < 140 * MB, "the diff held {diff} bytes at once");
}
