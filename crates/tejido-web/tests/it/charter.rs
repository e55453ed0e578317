//! Charter: route tests (both backends).
