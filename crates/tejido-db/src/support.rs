//! Support: storage.
