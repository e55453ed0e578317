//! Funding: storage.
