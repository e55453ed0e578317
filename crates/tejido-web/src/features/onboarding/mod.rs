//! The onboarding pack (*paquete de bienvenida*): `/c/{slug}/onboarding`, a printable copy at
//! `/c/{slug}/onboarding/print`, and JSON at `/api/v1/communities/{slug}/onboarding`. Everything
//! on it is compiled from the community's data at request time — purpose, goals, the adopted
//! charter, roles and the coming rotation turns, members, the last three events' minutes, the
//! key resources leaders chose, open action items — so it is never edited by hand and never
//! stale. Anyone who may view the community may open it (`communities::load`), and each section
//! is compiled only as far as the reader may read that kind of record on its own page
//! (`tejido_core::visibility`): names of people for signed-in viewers, minutes and action items
//! for members and guests, each key resource by the library's rule. Only managers choose, order
//! and remove key resources.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::{Form, Json};
use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::{json, Value};
use tejido_core::charter::{render_markdown, Section};
use tejido_core::communities::Role;
use tejido_core::page::{Page, PageReq};
use tejido_core::rotation::{self as rule, Candidate, Mode, ROTATING};
use tejido_core::visibility::Record;
use tejido_db::communities::{
    self as communities, Community, MemberOrganization, MemberPerson, RoleHolder,
};
use tejido_db::governance::{Goal, Objective};
use tejido_db::minutes::ActionItem;
use tejido_db::onboarding::{self as store, AddOutcome, KeyResource};
use tejido_db::{DateTime, Utc};

use crate::access::{load, load_manage, Loaded};
use crate::error::AppResult;
use crate::routes::{self as route, Level, Route};
use crate::views::Options;
use crate::views::{html, redirect};
use crate::{AppError, AppState, Ctx};

mod api;
mod pages;
mod service;

pub use api::openapi_paths;
use api::*;
use pages::*;
pub use service::day;
pub use service::kind_name;
pub use service::CharterView;
pub use service::GoalView;
pub use service::MinutesView;
pub use service::Pack;
pub use service::RotationView;
pub use service::SectionView;
pub use service::TurnView;
use service::*;

/// The capability's pages.
pub fn routes() -> Vec<Route> {
    vec![
        route::get("/c/{slug}/onboarding", Level::Viewer, page),
        route::get("/c/{slug}/onboarding/print", Level::Viewer, print),
        route::post(
            "/c/{slug}/onboarding/key-resources",
            Level::Manager,
            add_key,
        ),
        route::post(
            "/c/{slug}/onboarding/key-resources/{id}/up",
            Level::Manager,
            move_key,
        ),
        route::post(
            "/c/{slug}/onboarding/key-resources/{id}/remove",
            Level::Manager,
            remove_key,
        ),
        route::get("/onboarding/print.css", Level::Public, print_css),
    ]
}

/// The JSON API, nested under `/api/v1`.
pub fn api_routes() -> Vec<Route> {
    vec![route::get(
        "/communities/{slug}/onboarding",
        Level::Viewer,
        api_pack,
    )]
}
