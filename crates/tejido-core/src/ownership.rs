//! Ownership of events.
