//! Network: domain types and pure rules.
