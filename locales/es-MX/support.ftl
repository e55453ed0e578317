# Support: see crates/tejido-web/src/features/support.rs.
