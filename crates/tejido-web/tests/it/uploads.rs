//! Uploads: route tests (both backends).
