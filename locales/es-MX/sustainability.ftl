# Sustainability: see crates/tejido-web/src/features/sustainability.rs.
