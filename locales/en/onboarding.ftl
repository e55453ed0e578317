# Onboarding: see crates/tejido-web/src/features/onboarding.rs.
