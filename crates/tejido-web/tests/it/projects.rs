//! Projects: route tests (both backends).
