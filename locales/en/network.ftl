# Network: see crates/tejido-web/src/features/network.rs.
