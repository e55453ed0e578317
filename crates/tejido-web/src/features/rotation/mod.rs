//! Rotation: pages under `/c/{slug}/rotation` and JSON under `/api/v1/communities/{slug}/rotation`.
//!
//! For each rotating role (leader, facilitator, rapporteur, timekeeper) the community chooses a
//! policy — rotate over people, over member organizations, or continuity — and sees who holds the
//! role and the next six turns, computed by `tejido_core::rotation::schedule` from the role
//! history. Members read and set their own opt-outs and skills; leaders, co-leaders, conveners and
//! admins set policies and anyone's preferences, record swaps agreed by the community (each also a
//! decision in the decision log) and hand the role over to the next holder. Guests see the
//! schedule, never other people's preferences. Pages and API share the use cases below.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Form, Json};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize;
use serde_json::{json, Value};
use tejido_core::communities::{Access, Role};
use tejido_core::decisions::{DecisionInput, Method, Source};
use tejido_core::rotation::{
    self as rule, Candidate, Mode, PolicyForm, Preferences, PreferencesForm, SubjectKind, HORIZON,
    ROTATING,
};
use tejido_core::FieldErrors;
use tejido_db::communities::Community;
use tejido_db::rotation::{self as store, CandidateRow, Holder, PolicyRow};

use crate::access::{load, load_manage, Loaded};
use crate::error::AppResult;
use crate::extract::ApiJson;
use crate::routes::{self as route, Level, Route};
use crate::time::{today_in, zone};
use crate::views::Options;
use crate::views::{html, html_invalid, redirect};
use crate::{AppError, AppState, Ctx};

mod api;
mod pages;
mod service;

pub use api::openapi_paths;
use api::*;
pub use pages::PrefsWebForm;
use pages::*;
pub use service::PendingSwap;
pub use service::PrefRow;
pub use service::RoleView;
pub use service::Turn;
use service::*;

/// Pages. One route per line, so that tests can read them from this source.
pub fn routes() -> Vec<Route> {
    vec![
        route::get("/c/{slug}/rotation", Level::Viewer, index),
        route::get("/c/{slug}/rotation/{role}", Level::Viewer, role_page),
        route::post(
            "/c/{slug}/rotation/{role}/policy",
            Level::Manager,
            policy_post,
        ),
        route::post("/c/{slug}/rotation/{role}/swaps", Level::Manager, swap_post),
        route::post(
            "/c/{slug}/rotation/{role}/handover",
            Level::Manager,
            handover_post,
        ),
        route::get(
            "/c/{slug}/rotation/preferences/{kind}/{id}",
            Level::Viewer,
            prefs_page,
        ),
        route::post(
            "/c/{slug}/rotation/preferences/{kind}/{id}",
            Level::Viewer,
            prefs_post,
        ),
    ]
}

/// The JSON API, nested under `/api/v1`.
pub fn api_routes() -> Vec<Route> {
    vec![
        route::get("/communities/{slug}/rotation", Level::Viewer, api_get),
        route::put(
            "/communities/{slug}/rotation/{role}/policy",
            Level::Manager,
            api_policy,
        ),
        route::post(
            "/communities/{slug}/rotation/{role}/swaps",
            Level::Manager,
            api_swap,
        ),
        route::post(
            "/communities/{slug}/rotation/{role}/handover",
            Level::Manager,
            api_handover,
        ),
        route::put(
            "/communities/{slug}/rotation/preferences/{kind}/{id}",
            Level::Viewer,
            api_prefs,
        ),
    ]
}
