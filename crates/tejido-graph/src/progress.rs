//! A small progress bar on stderr, drawn only when stderr is a terminal. Workers report finished
//! units with [`Progress::advance`]; whoever gets the lock redraws at most ten times a second.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// A shared counter that may draw itself.
#[derive(Debug)]
pub struct Progress {
    label: String,
    total: usize,
    done: AtomicUsize,
    last_draw: Option<Mutex<Instant>>,
}

impl Progress {
    /// A bar that draws if `enabled` and stderr is a terminal.
    pub fn new(label: &str, total: usize, enabled: bool) -> Progress {
        let draw = enabled && std::io::stderr().is_terminal();
        Progress {
            label: label.to_owned(),
            total,
            done: AtomicUsize::new(0),
            last_draw: draw.then(|| Mutex::new(Instant::now())),
        }
    }

    /// A bar that never draws.
    pub fn hidden() -> Progress {
        Progress::new("", 0, false)
    }

    /// Record `units` more finished units.
    pub fn advance(&self, units: usize) {
        let done = self.done.fetch_add(units, Ordering::Relaxed) + units;
        let Some(lock) = &self.last_draw else { return };
        let Ok(mut last) = lock.try_lock() else {
            return;
        };
        if last.elapsed() < Duration::from_millis(100) && done < self.total {
            return;
        }
        *last = Instant::now();
        let total = self.total.max(1);
        let frac = (done as f64 / total as f64).min(1.0);
        let width = 30;
        let filled = (frac * width as f64) as usize;
        let bar: String = "#".repeat(filled) + &"-".repeat(width - filled);
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r{:<12} [{bar}] {:>5.1}%", self.label, frac * 100.0);
        let _ = err.flush();
    }

    /// Clear the line once finished.
    pub fn finish(&self) {
        if self.last_draw.is_some() {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r{:<60}\r", "");
            let _ = err.flush();
        }
    }
}
