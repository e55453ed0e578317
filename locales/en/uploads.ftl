# Uploads: see crates/tejido-web/src/features/uploads.rs.
