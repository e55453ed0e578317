//! Rotation: route tests (both backends).
