//! Funding: domain types and pure rules.
