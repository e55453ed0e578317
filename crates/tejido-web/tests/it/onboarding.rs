//! Onboarding: route tests (both backends).
