# Governance: see crates/tejido-web/src/features/governance.rs.
