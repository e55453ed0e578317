# Discussions: see crates/tejido-web/src/features/discussions.rs.
