//! Discussions: route tests (both backends).
