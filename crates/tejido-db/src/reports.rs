//! Reports: storage.
