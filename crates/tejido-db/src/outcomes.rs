//! Outcomes: storage.
