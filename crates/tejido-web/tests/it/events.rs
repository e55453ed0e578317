//! Events: route tests (both backends).
