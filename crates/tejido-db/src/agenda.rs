//! Agenda of events: storage.
