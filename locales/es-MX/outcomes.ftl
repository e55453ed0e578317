# Outcomes: see crates/tejido-web/src/features/outcomes.rs.
