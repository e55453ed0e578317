//! Reports: route tests (both backends).
