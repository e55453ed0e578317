//! Funding: cost lines, contributions of member organizations (cash and in kind), the
//! collective assets register, the fundraising pipeline and the transparency page. Pages under
//! `/c/{slug}/funding…`; JSON under `/api/v1/communities/{slug}/funding/…`.
//!
//! Who may do what: community members (and instance admins) read everything here, including the
//! assets' contact people; managers of the community (its leaders and co-leaders, who act as
//! treasurers: there is no separate treasurer role) record, change stages and delete. Everyone
//! else is refused, even on public communities: funding is the members' business.
//!
//! Amounts are exact (`tejido_core::funding::Money`): typed in Mexican format, stored as minor
//! units, written to JSON and CSV as `"1234.50"` strings with a currency code, and summed per
//! currency only.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Form, Json};
use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::{json, Value};
use tejido_core::funding::{
    self as core, AskForm, AskInput, AssetForm, AssetInput, ContributionForm, ContributionInput,
    CostForm, CostInput, Currency, Money, StageForm, ASSET_KINDS, CONTRIBUTION_KINDS,
    COST_CATEGORIES, STAGES,
};
use tejido_core::page::{Page, PageReq};
use tejido_core::FieldErrors;
use tejido_db::communities::Community;
use tejido_db::funding::{self as store, Ask, Asset, Contribution, Cost, FundingSummary, Item};

use crate::access::{load_manage, load_member, Loaded};
use crate::error::AppResult;
use crate::extract::ApiJson;
use crate::respond::page_json_map;
use crate::routes::{self as route, Level, Route};
use crate::time::today;
use crate::views::Options;
use crate::views::{confirm, csv_download, html, html_invalid, redirect, Pager};
use crate::{AppError, AppState, Ctx};

mod api;
mod exports;
mod pages;
mod pipeline;
mod service;

pub use api::openapi_paths;
use api::*;
use exports::*;
pub use pages::Bar;
pub use pages::Chart;
use pages::*;
use pipeline::*;
use service::*;

/// The capability's pages.
pub fn routes() -> Vec<Route> {
    vec![
        route::get("/c/{slug}/funding", Level::Member, overview),
        route::get("/c/{slug}/funding/costs", Level::Member, costs_page),
        route::post("/c/{slug}/funding/costs", Level::Manager, costs_create),
        route::get("/c/{slug}/funding/costs.csv", Level::Member, costs_csv),
        route::get(
            "/c/{slug}/funding/costs/{id}/delete",
            Level::Manager,
            costs_confirm,
        ),
        route::post(
            "/c/{slug}/funding/costs/{id}/delete",
            Level::Manager,
            costs_delete,
        ),
        route::get(
            "/c/{slug}/funding/contributions",
            Level::Member,
            contributions_page,
        ),
        route::post(
            "/c/{slug}/funding/contributions",
            Level::Manager,
            contributions_create,
        ),
        route::get(
            "/c/{slug}/funding/contributions.csv",
            Level::Member,
            contributions_csv,
        ),
        route::get(
            "/c/{slug}/funding/contributions/{id}/delete",
            Level::Manager,
            contributions_confirm,
        ),
        route::post(
            "/c/{slug}/funding/contributions/{id}/delete",
            Level::Manager,
            contributions_delete,
        ),
        route::get("/c/{slug}/funding/assets", Level::Member, assets_page),
        route::post("/c/{slug}/funding/assets", Level::Manager, assets_create),
        route::get("/c/{slug}/funding/assets.csv", Level::Member, assets_csv),
        route::get(
            "/c/{slug}/funding/assets/{id}/delete",
            Level::Manager,
            assets_confirm,
        ),
        route::post(
            "/c/{slug}/funding/assets/{id}/delete",
            Level::Manager,
            assets_delete,
        ),
        route::get("/c/{slug}/funding/pipeline", Level::Member, pipeline_page),
        route::post(
            "/c/{slug}/funding/pipeline",
            Level::Manager,
            pipeline_create,
        ),
        route::get(
            "/c/{slug}/funding/pipeline.csv",
            Level::Member,
            pipeline_csv,
        ),
        route::get("/c/{slug}/funding/pipeline/{id}", Level::Member, ask_page),
        route::post(
            "/c/{slug}/funding/pipeline/{id}/stage",
            Level::Manager,
            ask_stage,
        ),
        route::get(
            "/c/{slug}/funding/pipeline/{id}/delete",
            Level::Manager,
            ask_confirm,
        ),
        route::post(
            "/c/{slug}/funding/pipeline/{id}/delete",
            Level::Manager,
            ask_delete,
        ),
        route::get(
            "/c/{slug}/funding/transparency",
            Level::Member,
            transparency,
        ),
    ]
}

/// The JSON API, nested under `/api/v1`.
pub fn api_routes() -> Vec<Route> {
    vec![
        route::get(
            "/communities/{slug}/funding/costs",
            Level::Member,
            api_costs,
        ),
        route::post(
            "/communities/{slug}/funding/costs",
            Level::Manager,
            api_cost_create,
        ),
        route::get(
            "/communities/{slug}/funding/contributions",
            Level::Member,
            api_contributions,
        ),
        route::post(
            "/communities/{slug}/funding/contributions",
            Level::Manager,
            api_contribution_create,
        ),
        route::get(
            "/communities/{slug}/funding/assets",
            Level::Member,
            api_assets,
        ),
        route::post(
            "/communities/{slug}/funding/assets",
            Level::Manager,
            api_asset_create,
        ),
        route::get("/communities/{slug}/funding/asks", Level::Member, api_asks),
        route::post(
            "/communities/{slug}/funding/asks",
            Level::Manager,
            api_ask_create,
        ),
        route::get(
            "/communities/{slug}/funding/asks/{id}",
            Level::Member,
            api_ask,
        ),
        route::post(
            "/communities/{slug}/funding/asks/{id}/stage",
            Level::Manager,
            api_ask_stage,
        ),
        route::get(
            "/communities/{slug}/funding/summary",
            Level::Member,
            api_summary,
        ),
    ]
}

impl Day for Ctx {
    fn day(&self, d: impl AsDay) -> String {
        let at = d.as_day().and_time(chrono::NaiveTime::MIN).and_utc();
        self.tr().date(&at, "UTC")
    }
}

impl AsDay for NaiveDate {
    fn as_day(&self) -> NaiveDate {
        *self
    }
}

macro_rules! delete_route {
    ($name:ident, $ask:ident, $item:expr, $back:literal) => {
        /// Asks before the item is deleted for good (its list links here).
        async fn $ask(
            State(s): State<AppState>,
            c: Ctx,
            Path((slug, id)): Path<(String, i64)>,
        ) -> AppResult<Response> {
            let w = manager(&s, &c, &slug).await?;
            confirm_delete(&s, c, &w, $item, id, $back).await
        }

        async fn $name(
            State(s): State<AppState>,
            c: Ctx,
            Path((slug, id)): Path<(String, i64)>,
        ) -> AppResult<Response> {
            let w = manager(&s, &c, &slug).await?;
            write_delete(&s, &c, &w, $item, id).await?;
            Ok(redirect(&format!("/c/{slug}/funding/{}", $back)))
        }
    };
}

delete_route!(costs_delete, costs_confirm, Item::Cost, "costs");
delete_route!(
    contributions_delete,
    contributions_confirm,
    Item::Contribution,
    "contributions"
);
delete_route!(assets_delete, assets_confirm, Item::Asset, "assets");
delete_route!(ask_delete, ask_confirm, Item::Ask, "pipeline");
