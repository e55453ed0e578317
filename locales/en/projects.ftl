# Projects: see crates/tejido-web/src/features/projects.rs.
