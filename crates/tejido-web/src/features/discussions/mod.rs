//! Discussions: pages under `/c/{slug}/discussions…`, the digest setting at `/discussions/digest`,
//! JSON under `/api/v1/communities/{slug}/discussions…`, and the weekly digest pass the worker
//! calls.
//!
//! Who may do what: whoever may view the community reads its threads; its members (and role
//! holders) and admins post threads and replies and subscribe; the author edits their own text;
//! managers and admins also edit, hide with a reason (recorded in the audit log) and read hidden
//! text — others see "hidden by moderation" with the reason. Every edit keeps the previous text.
//! Mentions are `@handle`, a handle per member derived from their display name
//! ([`tejido_core::discussions::handles`]); mentioned members and subscribers get an e-mail through
//! the outbox in the same transaction as the post.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Form, Json};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::{json, Value};
use tejido_core::accounts::Locale;
use tejido_core::charter::render_markdown;
use tejido_core::discussions::{
    handles, mentioned_users, HideForm, ReplyForm, ThreadForm, ThreadInput, DIGEST_DAYS,
    HANDLES_SHOWN,
};
use tejido_core::page::{Page, PageReq};
use tejido_core::FieldErrors;
use tejido_db::communities::Community;
use tejido_db::discussions::{self as store, Edit, Recipient, Reply, Thread};
use tejido_db::search::{self, Audience, SearchDoc, Source};

use crate::access::{load, refuse, Loaded};
use crate::error::AppResult;
use crate::extract::ApiJson;
use crate::i18n::Tr;
use crate::respond::page_json_with;
use crate::routes::{self as route, Level, Route};
use crate::views::{html, html_invalid, redirect, Pager};
use crate::{AppError, AppState, Ctx};

mod api;
mod pages;
mod service;

pub use api::openapi_paths;
use api::*;
use pages::*;
pub use service::digest_pass;
use service::*;

/// The capability's pages.
pub fn routes() -> Vec<Route> {
    vec![
        route::get("/c/{slug}/discussions", Level::Viewer, list),
        route::post("/c/{slug}/discussions", Level::Viewer, create),
        route::get("/c/{slug}/discussions/new", Level::Viewer, new_form),
        route::get("/c/{slug}/discussions/{id}", Level::Viewer, show),
        route::post("/c/{slug}/discussions/{id}/replies", Level::Viewer, reply),
        route::get(
            "/c/{slug}/discussions/{id}/edit",
            Level::RoleHolder,
            edit_form,
        ),
        route::post(
            "/c/{slug}/discussions/{id}/edit",
            Level::RoleHolder,
            edit_save,
        ),
        route::get("/c/{slug}/discussions/{id}/history", Level::Viewer, history),
        route::post(
            "/c/{slug}/discussions/{id}/hide",
            Level::Manager,
            hide_thread,
        ),
        route::post(
            "/c/{slug}/discussions/{id}/subscription",
            Level::Viewer,
            subscription,
        ),
        route::get(
            "/c/{slug}/discussions/{id}/replies/{reply}/edit",
            Level::RoleHolder,
            reply_edit_form,
        ),
        route::post(
            "/c/{slug}/discussions/{id}/replies/{reply}/edit",
            Level::RoleHolder,
            reply_edit_save,
        ),
        route::post(
            "/c/{slug}/discussions/{id}/replies/{reply}/hide",
            Level::Manager,
            hide_reply,
        ),
        route::get("/discussions/digest", Level::Account, digest_form),
        route::post("/discussions/digest", Level::Account, digest_save),
    ]
}

/// The JSON API, nested under `/api/v1`.
pub fn api_routes() -> Vec<Route> {
    vec![
        route::get("/communities/{slug}/discussions", Level::Viewer, api_list),
        route::post("/communities/{slug}/discussions", Level::Viewer, api_create),
        route::get(
            "/communities/{slug}/discussions/{id}",
            Level::Viewer,
            api_thread,
        ),
        route::post(
            "/communities/{slug}/discussions/{id}/replies",
            Level::Viewer,
            api_reply,
        ),
    ]
}
