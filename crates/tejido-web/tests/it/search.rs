//! Search: route tests (both backends).
