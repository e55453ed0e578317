//! Governance: route tests (both backends).
