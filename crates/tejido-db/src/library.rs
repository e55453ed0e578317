//! Library: storage.
