//! Uploads: storage.
