# Polls: see crates/tejido-web/src/features/polls.rs.
