//! Work distribution shared by the per-source measures: one reusable workspace per rayon worker,
//! chunks of work handed out through an atomic counter so uneven sources balance out.

use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::progress::Progress;

/// Run `work(workspace, item)` over `items` on every rayon worker, one workspace per worker,
/// chunks handed out through a shared counter; returns the workspaces.
pub(crate) fn per_worker<T: Send, I: Sync>(
    items: &[I],
    chunk: usize,
    make: impl Fn() -> T + Sync,
    work: impl Fn(&mut T, &I) + Sync,
    progress: &Progress,
) -> Vec<T> {
    let next = AtomicUsize::new(0);
    let workers = rayon::current_num_threads()
        .max(1)
        .min(items.len().div_ceil(chunk).max(1));
    (0..workers)
        .into_par_iter()
        .map(|_| {
            let mut ws = make();
            loop {
                let start = next.fetch_add(chunk, Ordering::Relaxed);
                if start >= items.len() {
                    break;
                }
                let end = (start + chunk).min(items.len());
                for item in &items[start..end] {
                    work(&mut ws, item);
                }
                progress.advance(end - start);
            }
            ws
        })
        .collect()
}
