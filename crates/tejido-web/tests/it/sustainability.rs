//! Sustainability: route tests (both backends).
