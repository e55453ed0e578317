//! Polls: storage.
