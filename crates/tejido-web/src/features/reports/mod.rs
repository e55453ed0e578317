//! Reports: the funder-ready report of a community over a period — one long printable page
//! (`/c/{slug}/report`), its datasets as CSV (`/c/{slug}/report.csv?table=…`) and XLSX
//! (`/c/{slug}/report.xlsx`), the overview across communities (`/reports`), the community's
//! funders (`/c/{slug}/report/funders`) and JSON under `/api/v1/communities/{slug}/report`.
//!
//! Who may read a report: admins, current members, anyone holding a role in the community — the
//! read-only funder role included. The funder role opens nothing else (it does not grant `view`
//! of the community: see `tejido_core::communities::Role::grants_view`), and the report itself
//! names no person and omits sensitive tie kinds. Managers name and remove funders.
//! Every figure comes from `tejido_db::reports::report` (facts) and
//! `tejido_core::reports::build` (sums), shared with `tejido report` on the command line.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::{Form, Json};
use serde::Deserialize;
use serde_json::json;
use tejido_core::communities::Role;
use tejido_core::page::{Page, PageReq};
use tejido_core::reports::{self as core, Period, Report, Table};
use tejido_core::FieldErrors;
use tejido_db::communities::{self as communities_db, Community};
use tejido_db::reports::{self as store, CommunityFigures, Funder};

use crate::access::{load_manage, refuse};
use crate::error::AppResult;
use crate::i18n::Tr;
use crate::routes::{self as route, Level, Route};
use crate::time::{today, today_here};
use crate::views::{html, html_invalid, query, redirect, Pager};
use crate::{AppError, AppState, Ctx};

mod api;
mod pages;
mod service;

pub use api::openapi_paths;
use api::*;
use pages::*;
pub use service::bars_svg;
pub use service::document;
pub use service::may_read;
pub use service::trend_svg;
pub use service::Doc;
pub use service::GroupRow;
pub use service::View;
use service::*;

/// The capability's pages.
pub fn routes() -> Vec<Route> {
    vec![
        route::get("/reports", Level::Public, index),
        route::get("/reports/report.css", Level::Public, stylesheet),
        route::get("/c/{slug}/report", Level::Funder, page),
        route::get("/c/{slug}/report.csv", Level::Funder, csv),
        route::get("/c/{slug}/report.xlsx", Level::Funder, xlsx),
        route::get("/c/{slug}/report/funders", Level::Manager, funders_page),
        route::post("/c/{slug}/report/funders", Level::Manager, add_funder),
        route::post("/c/{slug}/report/funders/end", Level::Manager, end_funder),
    ]
}

/// The JSON API, nested under `/api/v1`.
pub fn api_routes() -> Vec<Route> {
    vec![route::get(
        "/communities/{slug}/report",
        Level::Funder,
        api_report,
    )]
}
