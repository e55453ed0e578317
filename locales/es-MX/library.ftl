# Library: see crates/tejido-web/src/features/library.rs.
