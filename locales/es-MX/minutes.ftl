# Minutes: see crates/tejido-web/src/features/minutes.rs.
