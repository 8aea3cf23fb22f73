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
    items.par_iter().with_max_len(1).map(work).collect()
}
