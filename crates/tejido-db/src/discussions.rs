//! Discussions: storage.
