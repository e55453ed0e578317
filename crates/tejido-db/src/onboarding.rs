//! Onboarding: storage.
