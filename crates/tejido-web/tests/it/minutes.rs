//! Minutes: route tests (both backends).
