//! The front end's parallel parts (parsing and lowering files, parsing the
//! pieces of a large file) on rayon's pool: items handed out one at a time
//! to as many threads as there are cores (so both stay busy to the end),
//! results back in the items' order. The pool's threads live as long as
//! the process, so the second schema of a diff reuses the memory the first
//! one's parsing freed in those threads (new threads each time left it
//! stranded: about 20 MB more at the peak on 10,000 tables).

use rayon::prelude::*;

/// `work` applied to every item, on up to as many threads as the machine
/// has cores; the results in item order.
pub fn map<T: Sync, R: Send>(items: &[T], work: impl Fn(&T) -> R + Sync + Send) -> Vec<R> {
    let results = items.par_iter().with_max_len(1).map(work).collect();
    // Once the outermost work is done (work inside the pool's threads, such
    // as a large file's pieces, would wait there for the other threads).
    if let (Some(release), None) = (RELEASE.get(), rayon::current_thread_index()) {
        rayon::broadcast(|_| release());
    }
    results
}

/// Gives back on this thread what the allocator holds free (see
/// [`release_with`]): after work on the calling thread that freed much.
pub fn release_here() {
    if let Some(release) = RELEASE.get() {
        release();
    }
}

/// What gives the memory a thread has freed back to the system at once.
static RELEASE: std::sync::OnceLock<fn()> = std::sync::OnceLock::new();

/// Sets what each of the pool's threads runs when the work handed out is
/// done: the program's allocator gives back what the thread freed. An
/// allocator with a heap per thread (mimalloc) returns a thread's free pages
/// only when that thread next allocates, and the pool's threads sleep while
/// the main one merges what they made: on two 10,000-table schemas their
/// freed parse trees were 25 MB of the peak. Set once; later calls change
/// nothing.
pub fn release_with(release: fn()) {
    let _ = RELEASE.set(release);
}
