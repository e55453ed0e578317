# Search: see crates/tejido-web/src/features/search.rs.
