//! Minutes of events (*relatoría*) and report-back (*devolución a mi organización*): pages under
//! `/c/{slug}/events/{id}/minutes…`, `/c/{slug}/events/{id}/report-back` and
//! `/c/{slug}/action-items`; JSON under `/api/v1/communities/{slug}/…`.
//!
//! Who may do what: members (and admins and managers) read the published minutes, decisions,
//! action items, lessons and the cascade rate; the rapporteur (the `rapporteur` community role)
//! and those who manage the community write the minutes, record decisions (which go to the
//! decision log with the event as their source), action items and lessons, and see drafts; an
//! item's owner may also change its status. Each attendee (registration present or remote)
//! records their own report-back. Files are attached to the minutes (owner `minutes`, the
//! event's id) by those who write them and downloaded by those who read them
//! (`attachment_router`; storage and checks in `crate::uploads`).

use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Form, Json};
use serde::Deserialize;
use serde_json::{json, Value};
use tejido_core::charter::render_markdown;
use tejido_core::communities::Role;
use tejido_core::decisions::{DecisionForm, DecisionInput, Method, Source};
use tejido_core::minutes::{
    cascade_percent, reminder_horizon, ActionItemForm, ActionItemInput, ActionStatus,
    ActionStatusForm, LessonForm, MinutesForm, MinutesInput, ReportBackForm, ReportBackFormat,
    ReportBackInput,
};
use tejido_core::page::{Page, PageReq};
use tejido_core::visibility::Record;
use tejido_core::FieldErrors;
use tejido_db::communities::Community;
use tejido_db::decisions::{self as log, Decision};
use tejido_db::events::Event;
use tejido_db::minutes::{self as store, ActionItem, Lesson, MinutesVersion, ReportBack};
use tejido_db::Db;

use crate::access::{load, Loaded};
use crate::error::AppResult;
use crate::extract::ApiJson;
use crate::respond::page_json;
use crate::routes::{self as route, Level, Route};
use crate::time::today;
use crate::views::Options;
use crate::views::{html, html_invalid, redirect, Pager};
use crate::{AppError, AppState, Ctx};

mod api;
mod attachments;
mod pages;
mod report_back;
mod service;

pub use api::openapi_paths;
use api::*;
use attachments::*;
use pages::*;
use report_back::*;
pub use service::enqueue_reminders;
pub use service::Cascade;
use service::*;

/// The capability's pages.
pub fn routes() -> Vec<Route> {
    vec![
        route::get("/c/{slug}/events/{id}/minutes", Level::Viewer, show),
        route::get(
            "/c/{slug}/events/{id}/minutes/edit",
            Level::RoleHolder,
            edit_form,
        ),
        route::post(
            "/c/{slug}/events/{id}/minutes/edit",
            Level::RoleHolder,
            save,
        ),
        route::get(
            "/c/{slug}/events/{id}/minutes/versions",
            Level::Viewer,
            history,
        ),
        route::get(
            "/c/{slug}/events/{id}/minutes/versions/{n}",
            Level::Viewer,
            version_page,
        ),
        route::post(
            "/c/{slug}/events/{id}/minutes/decisions",
            Level::RoleHolder,
            add_decision,
        ),
        route::post(
            "/c/{slug}/events/{id}/minutes/items",
            Level::RoleHolder,
            add_item,
        ),
        route::post(
            "/c/{slug}/events/{id}/minutes/items/{item}/status",
            Level::RoleHolder,
            item_status,
        ),
        route::post(
            "/c/{slug}/events/{id}/minutes/lessons",
            Level::RoleHolder,
            add_lesson,
        ),
        route::get(
            "/c/{slug}/events/{id}/report-back",
            Level::RoleHolder,
            report_back_form,
        ),
        route::post(
            "/c/{slug}/events/{id}/report-back",
            Level::RoleHolder,
            report_back_save,
        ),
        route::get("/c/{slug}/action-items", Level::Viewer, action_items),
        route::post(
            "/c/{slug}/events/{id}/minutes/files",
            Level::RoleHolder,
            attach_files,
        ),
        route::get(
            "/c/{slug}/events/{id}/minutes/files/{upload_id}",
            Level::Viewer,
            attachment,
        ),
        route::get(
            "/c/{slug}/events/{id}/minutes/files/{upload_id}/remove",
            Level::RoleHolder,
            confirm_remove_attachment,
        ),
        route::post(
            "/c/{slug}/events/{id}/minutes/files/{upload_id}/remove",
            Level::RoleHolder,
            remove_attachment,
        ),
    ]
}

/// The JSON API, nested under `/api/v1`.
pub fn api_routes() -> Vec<Route> {
    vec![
        route::get(
            "/communities/{slug}/events/{id}/minutes",
            Level::Viewer,
            api_minutes,
        ),
        route::put(
            "/communities/{slug}/events/{id}/minutes",
            Level::RoleHolder,
            api_save,
        ),
        route::get(
            "/communities/{slug}/events/{id}/minutes/versions",
            Level::Viewer,
            api_versions,
        ),
        route::post(
            "/communities/{slug}/events/{id}/minutes/decisions",
            Level::RoleHolder,
            api_add_decision,
        ),
        route::post(
            "/communities/{slug}/events/{id}/minutes/items",
            Level::RoleHolder,
            api_add_item,
        ),
        route::post(
            "/communities/{slug}/events/{id}/minutes/items/{item}/status",
            Level::RoleHolder,
            api_item_status,
        ),
        route::post(
            "/communities/{slug}/events/{id}/minutes/lessons",
            Level::RoleHolder,
            api_add_lesson,
        ),
        route::get(
            "/communities/{slug}/events/{id}/report-back",
            Level::RoleHolder,
            api_report_back,
        ),
        route::put(
            "/communities/{slug}/events/{id}/report-back",
            Level::RoleHolder,
            api_save_report_back,
        ),
        route::get(
            "/communities/{slug}/action-items",
            Level::Viewer,
            api_action_items,
        ),
        route::get(
            "/communities/{slug}/events/{id}/minutes/files/{upload_id}",
            Level::Viewer,
            api_attachment,
        ),
    ]
}
