# Rotation: see crates/tejido-web/src/features/rotation.rs.
