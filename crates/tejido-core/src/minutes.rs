//! Minutes of events.
