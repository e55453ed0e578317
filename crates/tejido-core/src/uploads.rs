//! Uploads: domain types and pure rules.
