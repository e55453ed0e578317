//! Learning: polls and questionnaires, After Action Reviews and Appreciative Inquiry. Pages under
//! `/c/{slug}/polls…` and `/c/{slug}/reviews…`; JSON under `/api/v1/communities/{slug}/polls…`.
//!
//! Who may do what: members (and admins and managers) answer open polls once, read aggregate
//! results and take part in reviews; managers build, open, close, duplicate and remind, see
//! non-anonymous responses and download them as CSV, and consolidate reviews. An anonymous poll's
//! results are only aggregates of its published responses (answers are held and published in
//! batches of `PUBLISH_BATCH`, all of them at closing), and breakdowns by organization or position
//! level — kept only when the poll announces them before answering — hide groups of fewer than
//! `MIN_GROUP` responses. Storage keeps anonymity: see `tejido_db::polls`.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Form, Json};
use chrono::TimeZone;
use serde::Deserialize;
use serde_json::{json, Value};
use tejido_core::page::{Page, PageReq};
use tejido_core::polls::{
    self as core, parse_answers, PollForm, PollInput, QuestionForm, QuestionKind, QuestionSpec,
    ReviewForm, ReviewKind, MAX_QUESTIONS, TEMPLATES,
};
use tejido_core::FieldErrors;
use tejido_db::communities::Community;
use tejido_db::polls::{self as store, AnswerRow, Poll, PollRow, Question, Review, ReviewEntry};
use tejido_db::{DateTime, Utc};

use crate::access::{load_manage, load_member, Loaded};
use crate::error::AppResult;
use crate::extract::ApiJson;
use crate::respond::page_json;
use crate::routes::{self as route, Level, Route};
use crate::views::Options;
use crate::views::{confirm, csv_download, headline, html, html_invalid, redirect, Pager};
use crate::{AppError, AppState, Ctx};

mod api;
mod pages;
mod questions;
mod results;
mod reviews;
mod service;
mod tally;

pub use api::openapi_paths;
use api::*;
use pages::*;
use questions::*;
use results::*;
use reviews::*;
pub use service::send_due_invitations;
use service::*;
pub use tally::Chart;
pub use tally::ChartRow;
pub use tally::Group;
pub use tally::QResult;
pub use tally::Seg;
use tally::*;

/// The capability's pages.
pub fn routes() -> Vec<Route> {
    vec![
        route::get("/c/{slug}/polls", Level::Member, list_page),
        route::post("/c/{slug}/polls", Level::Manager, create),
        route::post(
            "/c/{slug}/polls/from-template",
            Level::Manager,
            create_from_template,
        ),
        route::get("/c/{slug}/polls/{id}", Level::Member, poll_page),
        route::post(
            "/c/{slug}/polls/{id}/settings",
            Level::Manager,
            save_settings,
        ),
        route::post(
            "/c/{slug}/polls/{id}/questions",
            Level::Manager,
            add_question,
        ),
        route::post(
            "/c/{slug}/polls/{id}/questions/{q}",
            Level::Manager,
            edit_question,
        ),
        route::post(
            "/c/{slug}/polls/{id}/questions/{q}/move",
            Level::Manager,
            move_question,
        ),
        route::get(
            "/c/{slug}/polls/{id}/questions/{q}/delete",
            Level::Manager,
            confirm_delete_question,
        ),
        route::post(
            "/c/{slug}/polls/{id}/questions/{q}/delete",
            Level::Manager,
            delete_question,
        ),
        route::get("/c/{slug}/polls/{id}/preview", Level::Manager, preview),
        route::post("/c/{slug}/polls/{id}/duplicate", Level::Manager, duplicate),
        route::post("/c/{slug}/polls/{id}/status", Level::Manager, set_status),
        route::post("/c/{slug}/polls/{id}/remind", Level::Manager, remind),
        route::get("/c/{slug}/polls/{id}/answer", Level::Member, answer_form),
        route::post("/c/{slug}/polls/{id}/answer", Level::Member, answer_save),
        route::get("/c/{slug}/polls/{id}/results", Level::Member, results_page),
        route::get(
            "/c/{slug}/polls/{id}/results.csv",
            Level::Member,
            results_csv,
        ),
        route::get(
            "/c/{slug}/polls/{id}/responses.csv",
            Level::Manager,
            responses_csv,
        ),
        route::get("/c/{slug}/reviews", Level::Member, reviews_page),
        route::post("/c/{slug}/reviews", Level::Manager, create_review),
        route::get("/c/{slug}/reviews/{id}", Level::Member, review_page),
        route::post(
            "/c/{slug}/reviews/{id}/contribute",
            Level::Member,
            contribute,
        ),
        route::post(
            "/c/{slug}/reviews/{id}/consolidate",
            Level::Manager,
            consolidate,
        ),
        route::post(
            "/c/{slug}/reviews/{id}/outcomes",
            Level::Manager,
            add_outcome,
        ),
    ]
}

/// The JSON API, nested under `/api/v1`.
pub fn api_routes() -> Vec<Route> {
    vec![
        route::get("/communities/{slug}/polls", Level::Member, api_list),
        route::post("/communities/{slug}/polls", Level::Manager, api_create),
        route::get("/communities/{slug}/polls/{id}", Level::Member, api_poll),
        route::post(
            "/communities/{slug}/polls/{id}/questions",
            Level::Manager,
            api_add_question,
        ),
        route::patch(
            "/communities/{slug}/polls/{id}/questions/{q}",
            Level::Manager,
            api_edit_question,
        ),
        route::post(
            "/communities/{slug}/polls/{id}/questions/{q}",
            Level::Manager,
            api_edit_question,
        ),
        route::post(
            "/communities/{slug}/polls/{id}/status",
            Level::Manager,
            api_status,
        ),
        route::post(
            "/communities/{slug}/polls/{id}/answer",
            Level::Member,
            api_answer,
        ),
        route::get(
            "/communities/{slug}/polls/{id}/results",
            Level::Member,
            api_results,
        ),
        route::get("/communities/{slug}/reviews", Level::Member, api_reviews),
        route::post(
            "/communities/{slug}/reviews",
            Level::Manager,
            api_create_review,
        ),
        route::get(
            "/communities/{slug}/reviews/{id}",
            Level::Member,
            api_review,
        ),
        route::post(
            "/communities/{slug}/reviews/{id}/contribute",
            Level::Member,
            api_contribute,
        ),
        route::post(
            "/communities/{slug}/reviews/{id}/consolidate",
            Level::Manager,
            api_consolidate,
        ),
        route::post(
            "/communities/{slug}/reviews/{id}/outcomes",
            Level::Manager,
            api_add_outcome,
        ),
    ]
}
