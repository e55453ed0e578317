//! Network: storage.
