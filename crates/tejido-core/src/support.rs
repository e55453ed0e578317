//! Support: domain types and pure rules.
