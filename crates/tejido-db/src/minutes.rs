//! Minutes of events: storage.
