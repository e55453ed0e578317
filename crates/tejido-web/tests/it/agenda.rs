//! Agenda: route tests (both backends).
