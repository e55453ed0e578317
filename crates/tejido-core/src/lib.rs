//! Tejido's domain layer: the vocabulary of learning communities as Rust types that parse their
//! input once (an `Email`, a `Role`, a Mexican state), field-level validation errors whose codes
//! are also Fluent message ids, and the pure rules the web and storage layers share. Nothing here
//! knows about HTTP or SQL.

pub mod accounts;
pub mod agenda;
pub mod assessments;
pub mod charter;
pub mod communities;
pub mod decisions;
pub mod directory;
pub mod discussions;
pub mod events;
pub mod funding;
pub mod governance;
pub mod library;
pub mod minutes;
pub mod network;
pub mod onboarding;
pub mod outcomes;
pub mod ownership;
pub mod page;
pub mod polls;
pub mod projects;
pub mod reports;
pub mod rotation;
pub mod search;
pub mod support;
pub mod sustainability;
pub mod text;
pub mod uploads;
pub mod validate;
pub mod visibility;

pub use validate::{FieldErrors, Validated};
