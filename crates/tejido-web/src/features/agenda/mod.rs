//! The participatory agenda of an event (the seed's Step 4: members take the agenda over from the
//! convener). Members propose topics and vote with a fixed number of dots (results hidden until
//! voting closes, except to those who manage the community); leaders, co-leaders, conveners and
//! admins build the agenda from the proposals — crediting the proposer — and confirm or swap the
//! event roles proposed from the community's rotation. The local ownership index of the
//! community's events is shown as a trend drawn on the server (`/c/{slug}/ownership`, and
//! [`trend_svg`] for other pages). Pages under `/c/{slug}/events/{id}/agenda…` and
//! `…/roles…`; JSON under `/api/v1/communities/{slug}/events/{id}/agenda…` and
//! `/api/v1/communities/{slug}/ownership`.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Form, Json};
use chrono::{DateTime, NaiveTime, TimeZone, Utc};
use serde_json::{json, Value};
use tejido_core::agenda::{self as rules, Methodology, SlotForm, TopicForm, EVENT_ROLES};
use tejido_core::communities::Role;
use tejido_core::events::EventStatus;
use tejido_core::ownership as own;
use tejido_core::rotation::{self as rot, Candidate, Mode, HORIZON};
use tejido_core::FieldErrors;
use tejido_db::agenda::{self as store, EventRole, Facilitator, Item, NewItem, Topic};
use tejido_db::communities::Community;
use tejido_db::events::Event;

use crate::access::{load, Loaded};
use crate::error::AppResult;
use crate::extract::ApiJson;
use crate::ownership::{ownership, svg_for, EventOwnership};
use crate::routes::{self as route, Level, Route};
use crate::views::Options;
use crate::views::{html, html_invalid, redirect};
use crate::{AppError, AppState, Ctx};

mod api;
mod pages;
mod service;

pub use api::openapi_paths;
use api::*;
use pages::*;
pub use service::ItemView;
pub use service::RoleForm;
pub use service::RoleView;
pub use service::TopicView;
use service::*;

/// The capability's pages.
pub fn routes() -> Vec<Route> {
    vec![
        route::get("/c/{slug}/events/{id}/agenda", Level::Viewer, agenda_page),
        route::post(
            "/c/{slug}/events/{id}/agenda/topics",
            Level::Viewer,
            topic_post,
        ),
        route::post(
            "/c/{slug}/events/{id}/agenda/topics/{topic}/withdraw",
            Level::Viewer,
            withdraw_post,
        ),
        route::post(
            "/c/{slug}/events/{id}/agenda/votes",
            Level::Viewer,
            votes_post,
        ),
        route::post(
            "/c/{slug}/events/{id}/agenda/items",
            Level::Manager,
            item_post,
        ),
        route::get(
            "/c/{slug}/events/{id}/agenda/items/{item}/delete",
            Level::Manager,
            item_delete_ask,
        ),
        route::post(
            "/c/{slug}/events/{id}/agenda/items/{item}/delete",
            Level::Manager,
            item_delete_post,
        ),
        route::get("/c/{slug}/events/{id}/roles", Level::Viewer, roles_page),
        route::post(
            "/c/{slug}/events/{id}/roles/propose",
            Level::Manager,
            roles_propose_post,
        ),
        route::post(
            "/c/{slug}/events/{id}/roles/{role}",
            Level::Manager,
            role_post,
        ),
        route::get("/c/{slug}/ownership", Level::Viewer, ownership_page),
    ]
}

/// The JSON API, nested under `/api/v1`.
pub fn api_routes() -> Vec<Route> {
    vec![
        route::get(
            "/communities/{slug}/events/{id}/agenda",
            Level::Viewer,
            api_agenda,
        ),
        route::post(
            "/communities/{slug}/events/{id}/agenda/topics",
            Level::Viewer,
            api_topic,
        ),
        route::post(
            "/communities/{slug}/events/{id}/agenda/votes",
            Level::Viewer,
            api_votes,
        ),
        route::post(
            "/communities/{slug}/events/{id}/agenda/items",
            Level::Manager,
            api_item,
        ),
        route::get(
            "/communities/{slug}/events/{id}/agenda/roles",
            Level::Viewer,
            api_roles,
        ),
        route::post(
            "/communities/{slug}/events/{id}/agenda/roles/propose",
            Level::Manager,
            api_roles_propose,
        ),
        route::post(
            "/communities/{slug}/events/{id}/agenda/roles/{role}",
            Level::Manager,
            api_role,
        ),
        route::get(
            "/communities/{slug}/ownership",
            Level::Viewer,
            api_ownership,
        ),
    ]
}
