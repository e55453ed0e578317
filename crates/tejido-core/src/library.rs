//! Library: domain types and pure rules.
