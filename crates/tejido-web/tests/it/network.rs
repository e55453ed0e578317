//! Network: route tests (both backends).
