//! Funding: route tests (both backends).
