//! Peer support: pages under `/support…` and JSON under `/api/v1/support/…`.
//!
//! Who may do what: every page needs an account. An ask is seen (and answered) by the members and
//! role holders of the communities it is posted to, and by admins; the asker and admins close it.
//! Asking needs a person in the directory with an organization and at least one community; the
//! ask goes only to communities the asker belongs to. On creation the ask is matched
//! ([`tejido_core::support::rank`]) against the other member organizations of those communities
//! and the people of the matched organizations who are members there get an invitation by e-mail,
//! in the same transaction. Closing as resolved with the organizations that helped writes one
//! peer-help tie per helper in the community's network map. Offers belong to an organization:
//! its people (and admins) write them.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Form, Json};
use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::{json, Value};
use tejido_core::accounts::Locale;
use tejido_core::charter::render_markdown;
use tejido_core::network::{TieInput, TieKind, TieSource};
use tejido_core::page::{Page, PageReq};
use tejido_core::support::{
    rank, AnswerForm, AskForm, AskInput, AskStatus, CloseForm, OfferForm, OfferInput, Reason,
    Urgency,
};
use tejido_core::FieldErrors;
use tejido_db::support::{self as store, Answer, Ask, AskFilter, MatchRow, Named, Offer};

use crate::error::AppResult;
use crate::extract::ApiJson;
use crate::i18n::Tr;
use crate::respond::page_json;
use crate::routes::{self as route, Level, Route};
use crate::time::today_here;
use crate::views::Options;
use crate::views::{html, html_invalid, query, redirect, Pager};
use crate::{AppError, AppState, Ctx};

mod api;
mod pages;
mod service;

pub use api::openapi_paths;
use api::*;
use pages::*;
pub use service::day;
use service::*;

/// The capability's pages.
pub fn routes() -> Vec<Route> {
    vec![
        route::get("/support", Level::Account, index),
        route::post("/support/asks", Level::Account, ask_create),
        route::get("/support/asks/new", Level::Account, ask_new),
        route::get("/support/asks/{id}", Level::Account, ask_show),
        route::post("/support/asks/{id}/answers", Level::Account, answer),
        route::post("/support/asks/{id}/close", Level::Account, close),
        route::get("/support/offers", Level::Account, offers),
        route::post("/support/offers", Level::Account, offer_create),
        route::get("/support/offers/new", Level::Account, offer_new),
        route::get("/support/offers/{id}/edit", Level::Account, offer_edit),
        route::post("/support/offers/{id}/edit", Level::Account, offer_save),
    ]
}

/// The JSON API, nested under `/api/v1`.
pub fn api_routes() -> Vec<Route> {
    vec![
        route::get("/support/asks", Level::Account, api_asks),
        route::post("/support/asks", Level::Account, api_ask_create),
        route::get("/support/asks/{id}", Level::Account, api_ask),
        route::post("/support/asks/{id}/answers", Level::Account, api_answer),
        route::post("/support/asks/{id}/close", Level::Account, api_close),
        route::get("/support/offers", Level::Account, api_offers),
        route::post("/support/offers", Level::Account, api_offer_create),
        route::put("/support/offers/{id}", Level::Account, api_offer_update),
    ]
}
