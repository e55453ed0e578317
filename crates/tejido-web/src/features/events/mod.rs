//! Events (the seed's Steps 4 and 5): meetings, workshops, site visits, study tours, webinars,
//! side-events and debriefs; registration (by the person, a manager, or a colleague of the same
//! organization) and attendance with the organization and position level at the time; which staff
//! of each organization attended; certificates of participation with a public verification page;
//! sharing by link, e-mail, WhatsApp and Telegram; iCalendar feeds; day-before reminders.
//!
//! The online-meeting link is shown only to people registered for the event, to the community's
//! managers and to admins: never in feeds, shared pages, invitations, reminders or to anyone else
//! through the API. [`link_visible`] is the one rule.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Form, Json};
use chrono::{DateTime, Utc};
use serde_json::{json, Value};
use tejido_core::events::{
    self as rules, Attendance, EventForm, EventInput, EventKind, EventMode, EventStatus, IcsEvent,
};
use tejido_core::page::{Page, PageReq};
use tejido_core::FieldErrors;
use tejido_db::communities::Community;
use tejido_db::events::{self as store, Certificate, Event, Registered, Registration};

use crate::access::{load, Loaded};
use crate::error::AppResult;
use crate::extract::ApiJson;
use crate::i18n::{I18n, Tr};
use crate::respond::page_json;
use crate::routes::{self as route, Level, Route};
use crate::views::Options;
use crate::views::{html, html_invalid, redirect, urlencode, Pager};
use crate::{AppError, AppState, Ctx};

mod api;
mod attendance;
mod calendar;
mod pages;
mod service;

pub use api::openapi_paths;
use api::*;
use attendance::*;
use calendar::*;
use pages::*;
pub use service::reminders_pass;
pub use service::send_reminders;
use service::*;

/// The capability's pages.
pub fn routes() -> Vec<Route> {
    vec![
        route::get("/c/{slug}/events", Level::Viewer, list_page),
        route::post("/c/{slug}/events", Level::Manager, create),
        route::get("/c/{slug}/events/new", Level::Manager, new_page),
        route::get(
            "/c/{slug}/events/participation",
            Level::Viewer,
            participation_page,
        ),
        route::get("/c/{slug}/events.ics", Level::Viewer, community_ics),
        route::get("/c/{slug}/events/{id}", Level::Viewer, show_page),
        route::get("/c/{slug}/events/{id}/edit", Level::Manager, edit_page),
        route::post("/c/{slug}/events/{id}/edit", Level::Manager, update),
        route::post("/c/{slug}/events/{id}/register", Level::Viewer, register),
        route::post(
            "/c/{slug}/events/{id}/unregister",
            Level::Viewer,
            unregister,
        ),
        route::post("/c/{slug}/events/{id}/invite", Level::Viewer, invite),
        route::get(
            "/c/{slug}/events/{id}/attendance",
            Level::Manager,
            attendance_page,
        ),
        route::post(
            "/c/{slug}/events/{id}/attendance",
            Level::Manager,
            take_attendance,
        ),
        route::get(
            "/c/{slug}/events/{id}/certificate/{person}",
            Level::Viewer,
            certificate_page,
        ),
        route::get("/c/{slug}/events/{id}/event.ics", Level::Viewer, event_ics),
        route::get("/calendar/{file}", Level::Public, personal_ics),
        route::get("/account/calendar", Level::Account, calendar_page),
        route::post("/account/calendar", Level::Account, reset_calendar),
        route::get("/verify", Level::Public, verify_form),
        route::get("/verify/{code}", Level::Public, verify_page),
    ]
}

/// The JSON API, nested under `/api/v1`.
pub fn api_routes() -> Vec<Route> {
    vec![
        route::get("/communities/{slug}/events", Level::Viewer, api_list),
        route::post("/communities/{slug}/events", Level::Manager, api_create),
        route::get("/communities/{slug}/events/{id}", Level::Viewer, api_show),
        route::put(
            "/communities/{slug}/events/{id}",
            Level::Manager,
            api_update,
        ),
        route::get(
            "/communities/{slug}/events/{id}/registrations",
            Level::Viewer,
            api_registrations,
        ),
        route::post(
            "/communities/{slug}/events/{id}/registrations",
            Level::Viewer,
            api_register,
        ),
        route::delete(
            "/communities/{slug}/events/{id}/registrations/{person}",
            Level::Viewer,
            api_unregister,
        ),
        route::put(
            "/communities/{slug}/events/{id}/attendance",
            Level::Manager,
            api_attendance,
        ),
    ]
}
