//! Sustainability: domain types and pure rules.
