//! Search: domain types and pure rules.
