//! SQLite's write gate. SQLite has one writer at a time; left to itself, every waiting writer
//! holds a pool connection and polls the file lock, readers starve for connections, and a
//! deferred transaction that reads first fails half-way with "database is locked". So writers in
//! this process take turns here first, in arrival order (a fair semaphore), before they touch a
//! connection; then `BEGIN IMMEDIATE` takes the file's write lock at once.
//!
//! The wait is bounded: a writer waits at most [`WRITE_WAIT`], and one that arrives behind a
//! queue that could not be served in half that time (queue length × the recent time a turn is
//! held; the margin because turns lengthen under load, and a refusal after a full second's wait
//! is a slow one) is refused at once with [`DbError::Busy`], which the web layer answers as a
//! fast 503 with `Retry-After`. Nobody waits ten seconds, and the queue cannot grow without bound.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::{DbError, Result};

/// The longest a write waits for its turn (and, through `busy_timeout`, for another process).
pub const WRITE_WAIT: Duration = Duration::from_secs(1);

/// The estimate of a turn's length never goes below this (a burst after a quiet spell).
const MIN_HOLD_US: u64 = 500;

/// The write gate of one database file.
#[derive(Debug)]
pub struct Gate {
    sem: Arc<Semaphore>,
    waiting: AtomicUsize,
    /// Moving average of how long a turn is held, in microseconds.
    hold_us: AtomicU64,
}

/// A writer's turn; the next writer goes when it is dropped (the transaction committed or
/// rolled back).
#[derive(Debug)]
pub struct Turn {
    _permit: OwnedSemaphorePermit,
    gate: Arc<Gate>,
    since: Instant,
}

impl Drop for Turn {
    fn drop(&mut self) {
        let us = u64::try_from(self.since.elapsed().as_micros()).unwrap_or(u64::MAX);
        let _ = self
            .gate
            .hold_us
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |old| {
                Some(old - old / 8 + us / 8)
            });
    }
}

struct Waiting<'a>(&'a AtomicUsize);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Gate {
    fn new() -> Gate {
        Gate {
            sem: Arc::new(Semaphore::new(1)),
            waiting: AtomicUsize::new(0),
            hold_us: AtomicU64::new(2_000),
        }
    }

    /// Writers queued now (for metrics and tests).
    pub fn waiting(&self) -> usize {
        self.waiting.load(Ordering::SeqCst)
    }

    /// Takes the next turn: at once if free, after the queue ahead if that is expected to take
    /// at most half of [`WRITE_WAIT`], otherwise [`DbError::Busy`] at once.
    pub async fn turn(self: &Arc<Self>) -> Result<Turn> {
        let make = |p| Turn {
            _permit: p,
            gate: Arc::clone(self),
            since: Instant::now(),
        };
        if let Ok(p) = Arc::clone(&self.sem).try_acquire_owned() {
            return Ok(make(p));
        }
        let ahead = self.waiting.fetch_add(1, Ordering::SeqCst);
        let _w = Waiting(&self.waiting);
        let hold = self.hold_us.load(Ordering::Relaxed).max(MIN_HOLD_US);
        let expected = Duration::from_micros(hold.saturating_mul(ahead as u64 + 1));
        if expected > WRITE_WAIT / 2 {
            return Err(DbError::Busy);
        }
        match tokio::time::timeout(WRITE_WAIT, Arc::clone(&self.sem).acquire_owned()).await {
            Ok(Ok(p)) => Ok(make(p)),
            _ => Err(DbError::Busy),
        }
    }
}

/// The gate of a database file, shared by every pool of this process that opens it.
pub fn for_file(path: &Path) -> Arc<Gate> {
    static GATES: OnceLock<Mutex<HashMap<PathBuf, Arc<Gate>>>> = OnceLock::new();
    let gates = GATES.get_or_init(|| Mutex::new(HashMap::new()));
    let mut map = match gates.lock() {
        Ok(m) => m,
        Err(poisoned) => poisoned.into_inner(),
    };
    Arc::clone(
        map.entry(path.to_path_buf())
            .or_insert_with(|| Arc::new(Gate::new())),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn turns_are_exclusive_and_bounded() {
        let g = Arc::new(Gate::new());
        let first = g.turn().await.ok();
        assert!(first.is_some());
        // The holder never lets go: a waiter gives up after WRITE_WAIT, not later.
        let t = Instant::now();
        assert!(matches!(g.turn().await, Err(DbError::Busy)));
        let waited = t.elapsed();
        assert!(waited >= WRITE_WAIT, "{waited:?}");
        assert_eq!(g.waiting(), 0);
        drop(first);
        assert!(g.turn().await.is_ok());
    }

    #[tokio::test]
    async fn a_long_queue_is_refused_at_once() {
        let g = Arc::new(Gate::new());
        // Turns have been taking 100 ms: five writers wait (the last expects 500 ms); a sixth
        // behind them could not be served within half a second.
        g.hold_us.store(100_000, Ordering::Relaxed);
        let _held = g.turn().await.ok();
        let mut waiters = Vec::new();
        for _ in 0..5 {
            let g = Arc::clone(&g);
            waiters.push(tokio::spawn(async move { g.turn().await.is_ok() }));
        }
        while g.waiting() < 5 {
            tokio::task::yield_now().await;
        }
        let t = Instant::now();
        let r = g.turn().await;
        assert!(matches!(r, Err(DbError::Busy)));
        assert!(t.elapsed() < Duration::from_millis(50), "{:?}", t.elapsed());
        for w in waiters {
            let _ = w.await;
        }
    }
}
