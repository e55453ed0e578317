//! Outcomes: route tests (both backends).
