//! Projects: storage.
