//! Discussions: domain types and pure rules.
