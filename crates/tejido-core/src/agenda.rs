//! Agenda of events.
