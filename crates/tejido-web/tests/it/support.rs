//! Support: route tests (both backends).
