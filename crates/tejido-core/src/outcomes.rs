//! Outcomes: domain types and pure rules.
