//! Charter versions and their sections.
