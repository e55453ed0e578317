//! Projects: domain types and pure rules.
