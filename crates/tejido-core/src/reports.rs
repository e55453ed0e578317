//! Reports: domain types and pure rules.
