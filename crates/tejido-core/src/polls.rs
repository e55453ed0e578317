//! Polls: domain types and pure rules.
