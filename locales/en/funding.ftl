# Funding: see crates/tejido-web/src/features/funding.rs.
