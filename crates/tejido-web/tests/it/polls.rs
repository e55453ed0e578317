//! Polls: route tests (both backends).
