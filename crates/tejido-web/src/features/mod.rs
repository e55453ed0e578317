//! One module per capability, each exposing `router()`; merged in `crate::router`.

pub mod accounts;
pub mod admin;
pub mod agenda;
pub mod api;
pub mod charter;
pub mod communities;
pub mod directory;
pub mod discussions;
pub mod events;
pub mod funding;
pub mod governance;
pub mod home;
pub mod library;
pub mod minutes;
pub mod network;
pub mod onboarding;
pub mod ops;
pub mod outcomes;
pub mod polls;
pub mod projects;
pub mod reports;
pub mod rotation;
pub mod search;
pub mod support;
pub mod sustainability;
