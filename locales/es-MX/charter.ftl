# Charter: see crates/tejido-web/src/features/charter.rs.
