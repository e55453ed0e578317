# Events: see crates/tejido-web/src/features/events.rs.
