//! Onboarding: domain types and pure rules.
