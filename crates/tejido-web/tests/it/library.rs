//! Library: route tests (both backends).
