//! Sustainability: storage.
