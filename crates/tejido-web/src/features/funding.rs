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

// ---- authorization ---------------------------------------------------------------------------

struct Who {
    l: Loaded,
    manage: bool,
}

/// Members, managers and admins; others 403 (401 anonymous).
async fn member(s: &AppState, c: &Ctx, slug: &str) -> AppResult<Who> {
    let l = load_member(s, c, slug).await?;
    let manage = l.access.manage;
    Ok(Who { l, manage })
}

/// Managers (the community's treasurers) and admins.
async fn manager(s: &AppState, c: &Ctx, slug: &str) -> AppResult<Who> {
    let l = load_manage(s, c, slug).await?;
    Ok(Who { l, manage: true })
}

async fn audit(
    tx: &mut tejido_db::Tx,
    c: &Ctx,
    action: &str,
    slug: &str,
    detail: &str,
) -> AppResult<()> {
    tejido_db::audit::record(tx, c.user_id(), action, Some(slug), Some(detail)).await?;
    Ok(())
}

/// Dates of funding rows in the reader's language ("14 mar 2026", "Mar 14, 2026").
trait Day {
    fn day(&self, d: impl AsDay) -> String;
}

impl Day for Ctx {
    fn day(&self, d: impl AsDay) -> String {
        let at = d.as_day().and_time(chrono::NaiveTime::MIN).and_utc();
        self.tr().date(&at, "UTC")
    }
}

/// A date however askama passes it (by value or through references).
trait AsDay {
    fn as_day(&self) -> NaiveDate;
}

impl AsDay for NaiveDate {
    fn as_day(&self) -> NaiveDate {
        *self
    }
}

impl<T: AsDay + ?Sized> AsDay for &T {
    fn as_day(&self) -> NaiveDate {
        (**self).as_day()
    }
}

// ---- references and options ------------------------------------------------------------------

async fn check_event(
    s: &AppState,
    m: &Community,
    e: &mut FieldErrors,
    event: Option<i64>,
) -> AppResult<()> {
    if let Some(eid) = event {
        if tejido_db::events::get(&s.db, m.id, eid).await?.is_none() {
            e.add("event", "error-invalid-choice");
        }
    }
    Ok(())
}

async fn check_org(
    s: &AppState,
    m: &Community,
    e: &mut FieldErrors,
    field: &str,
    org: Option<i64>,
) -> AppResult<()> {
    if let Some(o) = org {
        if !store::is_member_org(&s.db, m.id, o).await? {
            e.add(field, "funding-error-not-member-org");
        }
    }
    Ok(())
}

/// Events of the community (upcoming and past, up to 50 each).
async fn event_options(s: &AppState, m: &Community) -> AppResult<Options> {
    let t = tejido_db::now();
    let mut out: Options = vec![];
    for upcoming in [true, false] {
        let p = tejido_db::events::list(&s.db, m.id, upcoming, t, PageReq::new(Some(1), Some(50)))
            .await?;
        out.extend(p.items.into_iter().map(|e| (e.id.to_string(), e.title)));
    }
    Ok(out)
}

async fn org_options(s: &AppState, m: &Community) -> AppResult<Options> {
    let p =
        tejido_db::communities::member_organizations(&s.db, m.id, PageReq::new(Some(1), Some(100)))
            .await?;
    Ok(p.items
        .into_iter()
        .map(|o| (o.organization_id.to_string(), o.name))
        .collect())
}

async fn people_options(s: &AppState, m: &Community) -> AppResult<Options> {
    let p = tejido_db::communities::member_people(&s.db, m.id, PageReq::new(Some(1), Some(100)))
        .await?;
    Ok(p.items
        .into_iter()
        .map(|o| (o.person_id.to_string(), o.full_name))
        .collect())
}

async fn donor_options(s: &AppState) -> AppResult<Options> {
    Ok(store::donor_options(&s.db, 500)
        .await?
        .into_iter()
        .map(|(id, n)| (id.to_string(), n))
        .collect())
}

fn labels(c: &Ctx, prefix: &str, list: &[&str]) -> Options {
    list.iter()
        .map(|k| ((*k).to_owned(), c.label(prefix, k)))
        .collect()
}

fn currency_options() -> Options {
    Currency::ALL
        .iter()
        .map(|c| (c.as_str().to_owned(), c.as_str().to_owned()))
        .collect()
}

fn or_default_currency(s: &str) -> String {
    if s.is_empty() {
        Currency::DEFAULT.as_str().to_owned()
    } else {
        s.to_owned()
    }
}

// ---- shared writes ---------------------------------------------------------------------------

async fn write_cost(
    s: &AppState,
    c: &Ctx,
    w: &Who,
    f: &CostForm,
) -> AppResult<Result<i64, FieldErrors>> {
    let (i, mut e): (Option<CostInput>, FieldErrors) = match f.parse() {
        Ok(i) => (Some(i), FieldErrors::new()),
        Err(e) => (None, e),
    };
    if let Some(i) = &i {
        check_event(s, &w.l.community, &mut e, i.event_id).await?;
        check_org(s, &w.l.community, &mut e, "paid_by_org", i.paid_by_org).await?;
    }
    let Some(i) = i.filter(|_| e.is_empty()) else {
        return Ok(Err(e));
    };
    let mut tx = s.db.begin().await?;
    let id = store::insert_cost(&mut tx, w.l.community.id, &i, c.user_id()).await?;
    audit(
        &mut tx,
        c,
        "funding-cost-added",
        &w.l.community.slug,
        &id.to_string(),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(id))
}

async fn write_contribution(
    s: &AppState,
    c: &Ctx,
    w: &Who,
    f: &ContributionForm,
) -> AppResult<Result<i64, FieldErrors>> {
    let (i, mut e): (Option<ContributionInput>, FieldErrors) = match f.parse() {
        Ok(i) => (Some(i), FieldErrors::new()),
        Err(e) => (None, e),
    };
    if let Some(i) = &i {
        check_event(s, &w.l.community, &mut e, i.event_id).await?;
        check_org(
            s,
            &w.l.community,
            &mut e,
            "organization",
            Some(i.organization_id),
        )
        .await?;
    }
    let Some(i) = i.filter(|_| e.is_empty()) else {
        return Ok(Err(e));
    };
    let mut tx = s.db.begin().await?;
    let id = store::insert_contribution(&mut tx, w.l.community.id, &i, c.user_id()).await?;
    audit(
        &mut tx,
        c,
        "funding-contribution-added",
        &w.l.community.slug,
        &id.to_string(),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(id))
}

async fn write_asset(
    s: &AppState,
    c: &Ctx,
    w: &Who,
    f: &AssetForm,
) -> AppResult<Result<i64, FieldErrors>> {
    let (i, mut e): (Option<AssetInput>, FieldErrors) = match f.parse() {
        Ok(i) => (Some(i), FieldErrors::new()),
        Err(e) => (None, e),
    };
    if let Some(i) = &i {
        check_org(
            s,
            &w.l.community,
            &mut e,
            "organization",
            Some(i.organization_id),
        )
        .await?;
    }
    let Some(i) = i.filter(|_| e.is_empty()) else {
        return Ok(Err(e));
    };
    let mut tx = s.db.begin().await?;
    let id = store::insert_asset(&mut tx, w.l.community.id, &i, c.user_id()).await?;
    audit(
        &mut tx,
        c,
        "funding-asset-added",
        &w.l.community.slug,
        &id.to_string(),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(id))
}

async fn write_ask(
    s: &AppState,
    c: &Ctx,
    w: &Who,
    f: &AskForm,
) -> AppResult<Result<i64, FieldErrors>> {
    let (i, mut e): (Option<AskInput>, FieldErrors) = match f.parse() {
        Ok(i) => (Some(i), FieldErrors::new()),
        Err(e) => (None, e),
    };
    if let Some(i) = &i {
        if let Some(d) = i.donor_org {
            if !store::org_exists(&s.db, d).await? {
                e.add("donor_org", "error-invalid-choice");
            }
        }
        if let Some(p) = i.owner {
            if !store::is_member_person(&s.db, w.l.community.id, p).await? {
                e.add("owner", "funding-error-not-member-person");
            }
        }
    }
    let Some(i) = i.filter(|_| e.is_empty()) else {
        return Ok(Err(e));
    };
    let mut tx = s.db.begin().await?;
    let id = store::insert_ask(
        &mut tx,
        w.l.community.id,
        &i,
        today(&w.l.community),
        c.user_id(),
    )
    .await?;
    audit(
        &mut tx,
        c,
        "funding-ask-added",
        &w.l.community.slug,
        &id.to_string(),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(id))
}

async fn write_stage(
    s: &AppState,
    c: &Ctx,
    w: &Who,
    id: i64,
    f: &StageForm,
) -> AppResult<Result<(), FieldErrors>> {
    let i = match f.parse() {
        Ok(i) => i,
        Err(e) => return Ok(Err(e)),
    };
    let on = i.changed_on.unwrap_or_else(|| today(&w.l.community));
    let mut tx = s.db.begin().await?;
    if !store::set_stage(
        &mut tx,
        w.l.community.id,
        id,
        &i.stage,
        on,
        i.note.as_deref(),
        c.user_id(),
    )
    .await?
    {
        return Err(AppError::NotFound);
    }
    audit(
        &mut tx,
        c,
        "funding-ask-stage",
        &w.l.community.slug,
        &format!("{id}:{}", i.stage),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(()))
}

async fn write_delete(s: &AppState, c: &Ctx, w: &Who, item: Item, id: i64) -> AppResult<()> {
    let mut tx = s.db.begin().await?;
    if !store::delete(&mut tx, w.l.community.id, item, id).await? {
        return Err(AppError::NotFound);
    }
    let action = match item {
        Item::Cost => "funding-cost-deleted",
        Item::Contribution => "funding-contribution-deleted",
        Item::Asset => "funding-asset-deleted",
        Item::Ask => "funding-ask-deleted",
    };
    audit(&mut tx, c, action, &w.l.community.slug, &id.to_string()).await?;
    tx.commit().await?;
    Ok(())
}

// ---- pages -----------------------------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PageQuery {
    page: Option<u32>,
    per_page: Option<u32>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PeriodQuery {
    from: String,
    to: String,
}

#[derive(Template)]
#[template(path = "funding/overview.html")]
struct OverviewPage {
    c: Ctx,
    m: Community,
    sum: FundingSummary,
    assets_total: Vec<Money>,
}

async fn overview(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let w = member(&s, &c, &slug).await?;
    let t = today(&w.l.community);
    let from = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or(t);
    let sum = store::summary(&s.db, w.l.community.id, from, t).await?;
    let assets_total = store::asset_totals(&s.db, w.l.community.id).await?;
    Ok(html(&OverviewPage {
        c,
        m: w.l.community,
        sum,
        assets_total,
    }))
}

#[derive(Template)]
#[template(path = "funding/costs.html")]
struct CostsPage {
    c: Ctx,
    m: Community,
    manage: bool,
    items: Page<Cost>,
    pager: Pager,
    form: CostForm,
    errors: FieldErrors,
    categories: Options,
    currencies: Options,
    events: Options,
    orgs: Options,
}

async fn costs_view(
    s: &AppState,
    c: Ctx,
    w: Who,
    page: Option<u32>,
    mut form: CostForm,
    errors: FieldErrors,
) -> AppResult<CostsPage> {
    let m = w.l.community;
    let items = store::costs(&s.db, m.id, PageReq::new(page, None)).await?;
    let pager = Pager::new(&items, &format!("/c/{}/funding/costs", m.slug));
    let (events, orgs) = if w.manage {
        (event_options(s, &m).await?, org_options(s, &m).await?)
    } else {
        (vec![], vec![])
    };
    form.currency = or_default_currency(&form.currency);
    if form.spent_on.is_empty() && errors.is_empty() {
        form.spent_on = today(&m).to_string();
    }
    let categories = labels(&c, "funding-category", &COST_CATEGORIES);
    Ok(CostsPage {
        c,
        m,
        manage: w.manage,
        items,
        pager,
        form,
        errors,
        categories,
        currencies: currency_options(),
        events,
        orgs,
    })
}

async fn costs_page(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<PageQuery>,
) -> AppResult<Response> {
    let w = member(&s, &c, &slug).await?;
    Ok(html(
        &costs_view(&s, c, w, q.page, CostForm::default(), FieldErrors::new()).await?,
    ))
}

async fn costs_create(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Form(form): Form<CostForm>,
) -> AppResult<Response> {
    let w = manager(&s, &c, &slug).await?;
    match write_cost(&s, &c, &w, &form).await? {
        Ok(_) => Ok(redirect(&format!("/c/{slug}/funding/costs"))),
        Err(errors) => Ok(html_invalid(
            &costs_view(&s, c, w, None, form, errors).await?,
        )),
    }
}

#[derive(Template)]
#[template(path = "funding/contributions.html")]
struct ContributionsPage {
    c: Ctx,
    m: Community,
    manage: bool,
    items: Page<Contribution>,
    pager: Pager,
    form: ContributionForm,
    errors: FieldErrors,
    kinds: Options,
    currencies: Options,
    events: Options,
    orgs: Options,
}

async fn contributions_view(
    s: &AppState,
    c: Ctx,
    w: Who,
    page: Option<u32>,
    mut form: ContributionForm,
    errors: FieldErrors,
) -> AppResult<ContributionsPage> {
    let m = w.l.community;
    let items = store::contributions(&s.db, m.id, PageReq::new(page, None)).await?;
    let pager = Pager::new(&items, &format!("/c/{}/funding/contributions", m.slug));
    let (events, orgs) = if w.manage {
        (event_options(s, &m).await?, org_options(s, &m).await?)
    } else {
        (vec![], vec![])
    };
    form.currency = or_default_currency(&form.currency);
    if form.given_on.is_empty() && errors.is_empty() {
        form.given_on = today(&m).to_string();
    }
    let kinds = labels(&c, "funding-contribution-kind", &CONTRIBUTION_KINDS);
    Ok(ContributionsPage {
        c,
        m,
        manage: w.manage,
        items,
        pager,
        form,
        errors,
        kinds,
        currencies: currency_options(),
        events,
        orgs,
    })
}

async fn contributions_page(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<PageQuery>,
) -> AppResult<Response> {
    let w = member(&s, &c, &slug).await?;
    Ok(html(
        &contributions_view(
            &s,
            c,
            w,
            q.page,
            ContributionForm::default(),
            FieldErrors::new(),
        )
        .await?,
    ))
}

async fn contributions_create(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Form(form): Form<ContributionForm>,
) -> AppResult<Response> {
    let w = manager(&s, &c, &slug).await?;
    match write_contribution(&s, &c, &w, &form).await? {
        Ok(_) => Ok(redirect(&format!("/c/{slug}/funding/contributions"))),
        Err(errors) => Ok(html_invalid(
            &contributions_view(&s, c, w, None, form, errors).await?,
        )),
    }
}

#[derive(Template)]
#[template(path = "funding/assets.html")]
struct AssetsPage {
    c: Ctx,
    m: Community,
    manage: bool,
    items: Page<Asset>,
    pager: Pager,
    total: Vec<Money>,
    form: AssetForm,
    errors: FieldErrors,
    kinds: Options,
    currencies: Options,
    orgs: Options,
}

async fn assets_view(
    s: &AppState,
    c: Ctx,
    w: Who,
    page: Option<u32>,
    mut form: AssetForm,
    errors: FieldErrors,
) -> AppResult<AssetsPage> {
    let m = w.l.community;
    let items = store::assets(&s.db, m.id, PageReq::new(page, None)).await?;
    let pager = Pager::new(&items, &format!("/c/{}/funding/assets", m.slug));
    let total = store::asset_totals(&s.db, m.id).await?;
    let orgs = if w.manage {
        org_options(s, &m).await?
    } else {
        vec![]
    };
    form.currency = or_default_currency(&form.currency);
    let kinds = labels(&c, "funding-asset-kind", &ASSET_KINDS);
    Ok(AssetsPage {
        c,
        m,
        manage: w.manage,
        items,
        pager,
        total,
        form,
        errors,
        kinds,
        currencies: currency_options(),
        orgs,
    })
}

async fn assets_page(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<PageQuery>,
) -> AppResult<Response> {
    let w = member(&s, &c, &slug).await?;
    Ok(html(
        &assets_view(&s, c, w, q.page, AssetForm::default(), FieldErrors::new()).await?,
    ))
}

async fn assets_create(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Form(form): Form<AssetForm>,
) -> AppResult<Response> {
    let w = manager(&s, &c, &slug).await?;
    match write_asset(&s, &c, &w, &form).await? {
        Ok(_) => Ok(redirect(&format!("/c/{slug}/funding/assets"))),
        Err(errors) => Ok(html_invalid(
            &assets_view(&s, c, w, None, form, errors).await?,
        )),
    }
}

/// One stage's section of the board.
struct Column {
    stage: String,
    asks: Vec<Ask>,
}

#[derive(Template)]
#[template(path = "funding/pipeline.html")]
struct PipelinePage {
    c: Ctx,
    m: Community,
    manage: bool,
    columns: Vec<Column>,
    pager: Pager,
    total: i64,
    form: AskForm,
    errors: FieldErrors,
    stages: Options,
    currencies: Options,
    donors: Options,
    people: Options,
}

async fn pipeline_view(
    s: &AppState,
    c: Ctx,
    w: Who,
    page: Option<u32>,
    mut form: AskForm,
    errors: FieldErrors,
) -> AppResult<PipelinePage> {
    let m = w.l.community;
    let items = store::asks(&s.db, m.id, PageReq::new(page, None)).await?;
    let pager = Pager::new(&items, &format!("/c/{}/funding/pipeline", m.slug));
    let total = items.total;
    let mut columns: Vec<Column> = vec![];
    for a in items.items {
        match columns.last_mut() {
            Some(col) if col.stage == a.stage => col.asks.push(a),
            _ => columns.push(Column {
                stage: a.stage.clone(),
                asks: vec![a],
            }),
        }
    }
    let (donors, people) = if w.manage {
        (donor_options(s).await?, people_options(s, &m).await?)
    } else {
        (vec![], vec![])
    };
    form.currency = or_default_currency(&form.currency);
    if form.stage.is_empty() {
        form.stage = STAGES[0].to_owned();
    }
    let stages = labels(&c, "funding-stage", &STAGES);
    Ok(PipelinePage {
        c,
        m,
        manage: w.manage,
        columns,
        pager,
        total,
        form,
        errors,
        stages,
        currencies: currency_options(),
        donors,
        people,
    })
}

async fn pipeline_page(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<PageQuery>,
) -> AppResult<Response> {
    let w = member(&s, &c, &slug).await?;
    Ok(html(
        &pipeline_view(&s, c, w, q.page, AskForm::default(), FieldErrors::new()).await?,
    ))
}

async fn pipeline_create(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Form(form): Form<AskForm>,
) -> AppResult<Response> {
    let w = manager(&s, &c, &slug).await?;
    match write_ask(&s, &c, &w, &form).await? {
        Ok(id) => Ok(redirect(&format!("/c/{slug}/funding/pipeline/{id}"))),
        Err(errors) => Ok(html_invalid(
            &pipeline_view(&s, c, w, None, form, errors).await?,
        )),
    }
}

#[derive(Template)]
#[template(path = "funding/ask.html")]
struct AskPage {
    c: Ctx,
    m: Community,
    manage: bool,
    a: Ask,
    history: Vec<store::StageChange>,
    form: StageForm,
    errors: FieldErrors,
    stages: Options,
}

async fn ask_view(
    s: &AppState,
    c: Ctx,
    w: Who,
    id: i64,
    form: StageForm,
    errors: FieldErrors,
) -> AppResult<AskPage> {
    let m = w.l.community;
    let a = store::ask(&s.db, m.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let history = store::stage_history(&s.db, a.id).await?;
    let form = if form.stage.is_empty() {
        StageForm {
            stage: a.stage.clone(),
            ..form
        }
    } else {
        form
    };
    let stages = labels(&c, "funding-stage", &STAGES);
    Ok(AskPage {
        c,
        m,
        manage: w.manage,
        a,
        history,
        form,
        errors,
        stages,
    })
}

async fn ask_page(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    let w = member(&s, &c, &slug).await?;
    Ok(html(
        &ask_view(&s, c, w, id, StageForm::default(), FieldErrors::new()).await?,
    ))
}

async fn ask_stage(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Form(form): Form<StageForm>,
) -> AppResult<Response> {
    let w = manager(&s, &c, &slug).await?;
    match write_stage(&s, &c, &w, id, &form).await? {
        Ok(()) => Ok(redirect(&format!("/c/{slug}/funding/pipeline/{id}"))),
        Err(errors) => Ok(html_invalid(&ask_view(&s, c, w, id, form, errors).await?)),
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

async fn confirm_delete(
    s: &AppState,
    c: Ctx,
    w: &Who,
    item: Item,
    id: i64,
    back: &str,
) -> AppResult<Response> {
    let label = store::item_label(&s.db, w.l.community.id, item, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let slug = &w.l.community.slug;
    Ok(confirm(
        c.t1("funding-delete-question", "name", &label),
        c.t("confirm-delete-note"),
        format!("/c/{slug}/funding/{back}/{id}/delete"),
        vec![],
        c.t("confirm-delete"),
        format!("/c/{slug}/funding/{back}"),
        c,
    ))
}

// ---- transparency ----------------------------------------------------------------------------

/// One bar of a chart (widths computed per currency: bars of different currencies are never
/// compared).
pub struct Bar {
    pub label: String,
    pub value: String,
    pub y: i64,
    pub w: i64,
}

pub struct Chart {
    pub id: String,
    pub title: String,
    pub h: i64,
    pub bars: Vec<Bar>,
}

fn chart(id: String, title: String, rows: Vec<(String, Money)>) -> Chart {
    let widths = core::bar_widths(&rows.iter().map(|(_, m)| m.minor).collect::<Vec<_>>(), 200);
    let bars: Vec<Bar> = rows
        .into_iter()
        .zip(widths)
        .enumerate()
        .map(|(i, ((label, m), w))| Bar {
            label,
            value: m.display(),
            y: 8 + 40 * i as i64,
            w,
        })
        .collect();
    let h = 12 + 40 * bars.len() as i64;
    Chart { id, title, h, bars }
}

/// Charts of where the money came from and where it went, one pair per currency.
fn charts(c: &Ctx, sum: &FundingSummary) -> Vec<Chart> {
    let mut out = vec![];
    for cur in Currency::ALL {
        let mut inc: Vec<(String, Money)> = sum
            .income
            .iter()
            .filter(|l| l.amount.currency == cur)
            .map(|l| (c.label("funding-source", &l.source), l.amount))
            .collect();
        inc.extend(
            sum.in_kind
                .iter()
                .filter(|m| m.currency == cur)
                .map(|m| (c.t("funding-source-in-kind"), *m)),
        );
        if !inc.is_empty() {
            out.push(chart(
                format!("in-{}", cur.as_str()),
                c.t1("funding-chart-income", "currency", cur.as_str()),
                inc,
            ));
        }
        let costs: Vec<(String, Money)> = sum
            .costs_by_category
            .iter()
            .filter(|l| l.amount.currency == cur)
            .map(|l| (c.label("funding-category", &l.category), l.amount))
            .collect();
        if !costs.is_empty() {
            out.push(chart(
                format!("out-{}", cur.as_str()),
                c.t1("funding-chart-costs", "currency", cur.as_str()),
                costs,
            ));
        }
    }
    out
}

#[derive(Template)]
#[template(path = "funding/transparency.html")]
struct TransparencyPage {
    c: Ctx,
    m: Community,
    from: String,
    to: String,
    errors: FieldErrors,
    sum: FundingSummary,
    charts: Vec<Chart>,
}

async fn transparency(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<PeriodQuery>,
) -> AppResult<Response> {
    let w = member(&s, &c, &slug).await?;
    let t = today(&w.l.community);
    let (period, errors) = match core::period(&q.from, &q.to, t) {
        Ok(p) => (p, FieldErrors::new()),
        Err(e) => (core::period("", "", t).map_err(AppError::Validation)?, e),
    };
    let sum = store::summary(&s.db, w.l.community.id, period.0, period.1).await?;
    let charts = charts(&c, &sum);
    let invalid = !errors.is_empty();
    let (from, to) = if invalid {
        (q.from, q.to)
    } else {
        (period.0.to_string(), period.1.to_string())
    };
    let page = TransparencyPage {
        c,
        m: w.l.community,
        from,
        to,
        errors,
        sum,
        charts,
    };
    Ok(if invalid {
        html_invalid(&page)
    } else {
        html(&page)
    })
}

// ---- CSV -------------------------------------------------------------------------------------

fn opt(s: &Option<String>) -> String {
    s.clone().unwrap_or_default()
}

async fn costs_csv(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let w = member(&s, &c, &slug).await?;
    let rows = store::all_costs(&s.db, w.l.community.id).await?;
    let mut lines = vec![[
        "id",
        "spent_on",
        "category",
        "description",
        "amount",
        "currency",
        "event",
        "paid_by",
    ]
    .map(String::from)
    .to_vec()];
    lines.extend(rows.iter().map(|r| {
        vec![
            r.id.to_string(),
            r.spent_on.to_string(),
            r.category.clone(),
            r.description.clone(),
            r.amount().plain(),
            r.currency.clone(),
            opt(&r.event_title),
            r.paid_by(),
        ]
    }));
    Ok(csv_download(&format!("{slug}-costos.csv"), lines))
}

async fn contributions_csv(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let w = member(&s, &c, &slug).await?;
    let rows = store::all_contributions(&s.db, w.l.community.id).await?;
    let mut lines = vec![[
        "id",
        "given_on",
        "organization",
        "kind",
        "description",
        "amount",
        "currency",
        "event",
    ]
    .map(String::from)
    .to_vec()];
    lines.extend(rows.iter().map(|r| {
        vec![
            r.id.to_string(),
            r.given_on.to_string(),
            r.organization_name.clone(),
            r.kind.clone(),
            r.description.clone(),
            r.amount().plain(),
            r.currency.clone(),
            opt(&r.event_title),
        ]
    }));
    Ok(csv_download(&format!("{slug}-aportaciones.csv"), lines))
}

async fn assets_csv(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let w = member(&s, &c, &slug).await?;
    let rows = store::all_assets(&s.db, w.l.community.id).await?;
    let mut lines = vec![[
        "id",
        "organization",
        "kind",
        "description",
        "value",
        "currency",
        "availability",
        "contact",
    ]
    .map(String::from)
    .to_vec()];
    lines.extend(rows.iter().map(|r| {
        vec![
            r.id.to_string(),
            r.organization_name.clone(),
            r.kind.clone(),
            r.description.clone(),
            r.value().plain(),
            r.currency.clone(),
            opt(&r.availability),
            opt(&r.contact),
        ]
    }));
    Ok(csv_download(&format!("{slug}-activos.csv"), lines))
}

async fn pipeline_csv(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let w = member(&s, &c, &slug).await?;
    let rows = store::all_asks(&s.db, w.l.community.id).await?;
    let mut lines = vec![[
        "id",
        "donor",
        "ask",
        "amount",
        "currency",
        "stage",
        "stage_on",
        "next_step",
        "due_on",
        "owner",
    ]
    .map(String::from)
    .to_vec()];
    lines.extend(rows.iter().map(|r| {
        vec![
            r.id.to_string(),
            r.donor(),
            r.ask.clone(),
            r.amount().plain(),
            r.currency.clone(),
            r.stage.clone(),
            r.stage_on.to_string(),
            opt(&r.next_step),
            r.due_on.map(|d| d.to_string()).unwrap_or_default(),
            opt(&r.owner_name),
        ]
    }));
    Ok(csv_download(&format!("{slug}-procuracion.csv"), lines))
}

// ---- JSON API --------------------------------------------------------------------------------

/// A row as JSON with its amount as a string (`"1234.50"`), never a JSON number.
fn with_amount<T: serde::Serialize>(row: &T, field: &str, m: Money) -> Value {
    let mut v = serde_json::to_value(row).unwrap_or(Value::Null);
    if let Value::Object(o) = &mut v {
        o.insert(field.to_owned(), Value::String(m.plain()));
        o.insert(
            "currency".to_owned(),
            Value::String(m.currency.as_str().to_owned()),
        );
    }
    v
}

fn cost_json(r: &Cost) -> Value {
    with_amount(r, "amount", r.amount())
}
fn contribution_json(r: &Contribution) -> Value {
    with_amount(r, "amount", r.amount())
}
fn asset_json(r: &Asset) -> Value {
    with_amount(r, "value", r.value())
}
fn ask_json(r: &Ask) -> Value {
    with_amount(r, "amount", r.amount())
}

fn created(v: Value) -> Response {
    (StatusCode::CREATED, Json(v)).into_response()
}

fn req(q: &PageQuery) -> PageReq {
    PageReq::new(q.page, q.per_page)
}

async fn api_costs(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<PageQuery>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let w = member(&s, &c, &slug).await?;
    let p = store::costs(&s.db, w.l.community.id, req(&q)).await?;
    Ok(Json(page_json_map(&p, cost_json)))
}

async fn api_cost_create(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    ApiJson(f): ApiJson<CostForm>,
) -> AppResult<Response> {
    let w = manager(&s, &c, &slug).await?;
    let id = write_cost(&s, &c, &w, &f)
        .await?
        .map_err(AppError::Validation)?;
    Ok(created(json!({ "id": id })))
}

async fn api_contributions(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<PageQuery>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let w = member(&s, &c, &slug).await?;
    let p = store::contributions(&s.db, w.l.community.id, req(&q)).await?;
    Ok(Json(page_json_map(&p, contribution_json)))
}

async fn api_contribution_create(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    ApiJson(f): ApiJson<ContributionForm>,
) -> AppResult<Response> {
    let w = manager(&s, &c, &slug).await?;
    let id = write_contribution(&s, &c, &w, &f)
        .await?
        .map_err(AppError::Validation)?;
    Ok(created(json!({ "id": id })))
}

async fn api_assets(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<PageQuery>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let w = member(&s, &c, &slug).await?;
    let p = store::assets(&s.db, w.l.community.id, req(&q)).await?;
    Ok(Json(page_json_map(&p, asset_json)))
}

async fn api_asset_create(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    ApiJson(f): ApiJson<AssetForm>,
) -> AppResult<Response> {
    let w = manager(&s, &c, &slug).await?;
    let id = write_asset(&s, &c, &w, &f)
        .await?
        .map_err(AppError::Validation)?;
    Ok(created(json!({ "id": id })))
}

async fn api_asks(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<PageQuery>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let w = member(&s, &c, &slug).await?;
    let p = store::asks(&s.db, w.l.community.id, req(&q)).await?;
    Ok(Json(page_json_map(&p, ask_json)))
}

async fn ask_full(s: &AppState, w: &Who, id: i64) -> AppResult<Value> {
    let a = store::ask(&s.db, w.l.community.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let h = store::stage_history(&s.db, a.id).await?;
    Ok(json!({ "ask": ask_json(&a), "history": h }))
}

async fn api_ask_create(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    ApiJson(f): ApiJson<AskForm>,
) -> AppResult<Response> {
    let w = manager(&s, &c, &slug).await?;
    let id = write_ask(&s, &c, &w, &f)
        .await?
        .map_err(AppError::Validation)?;
    Ok(created(ask_full(&s, &w, id).await?))
}

async fn api_ask(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let w = member(&s, &c, &slug).await?;
    Ok(Json(ask_full(&s, &w, id).await?))
}

async fn api_ask_stage(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    ApiJson(f): ApiJson<StageForm>,
) -> AppResult<Json<Value>> {
    let w = manager(&s, &c, &slug).await?;
    write_stage(&s, &c, &w, id, &f)
        .await?
        .map_err(AppError::Validation)?;
    Ok(Json(ask_full(&s, &w, id).await?))
}

async fn api_summary(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<PeriodQuery>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let w = member(&s, &c, &slug).await?;
    let (from, to) =
        core::period(&q.from, &q.to, today(&w.l.community)).map_err(AppError::Validation)?;
    let sum = store::summary(&s.db, w.l.community.id, from, to).await?;
    Ok(Json(serde_json::to_value(&sum).unwrap_or(Value::Null)))
}

/// This capability's entries for the OpenAPI document's `paths` object.
pub fn openapi_paths() -> serde_json::Map<String, serde_json::Value> {
    let err = json!({ "$ref": "#/components/responses/Error" });
    let ok = |d: &str| json!({ "description": d, "content": { "application/json": { "schema": { "type": "object" } } } });
    let body = |schema: Value| json!({ "required": true, "content": { "application/json": { "schema": schema } } });
    let slug =
        json!({ "name": "slug", "in": "path", "required": true, "schema": { "type": "string" } });
    let id =
        json!({ "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } });
    let page = json!({ "name": "page", "in": "query", "required": false, "schema": { "type": "integer" } });
    let per_page = json!({ "name": "per_page", "in": "query", "required": false, "schema": { "type": "integer" } });
    let amount = json!({ "type": "string", "description": "Exact amount, Mexican format: '.' decimals (at most 2), ',' thousands (e.g. \"1,234.50\" or \"1234.50\"). Written back as \"1234.50\"; never a JSON number" });
    let currency = json!({ "type": "string", "enum": Currency::ALL.iter().map(|c| c.as_str()).collect::<Vec<_>>(), "default": "MXN" });
    let date = json!({ "type": "string", "format": "date" });
    let v = json!({
        "/communities/{slug}/funding/costs": { "parameters": [slug, page, per_page],
            "get": { "summary": "Cost lines, newest first (members)", "responses": { "200": ok("A page of cost lines; amount as a string with currency"), "401": err, "403": err, "404": err } },
            "post": { "summary": "Record a cost line (managers)", "requestBody": body(json!({ "type": "object", "required": ["category", "description", "amount", "spent_on"], "properties": {
                "category": { "type": "string", "enum": COST_CATEGORIES }, "description": { "type": "string" }, "amount": amount, "currency": currency,
                "spent_on": date, "event": { "type": "string", "description": "Event id" }, "paid_by_org": { "type": "string", "description": "A member organization's id" },
                "paid_by_text": { "type": "string", "description": "Who paid otherwise (not with paid_by_org)" } } })),
                "responses": { "201": ok("The new id"), "401": err, "403": err, "422": err } } },
        "/communities/{slug}/funding/contributions": { "parameters": [slug, page, per_page],
            "get": { "summary": "Contributions of member organizations, cash and in kind (members)", "responses": { "200": ok("A page of contributions"), "401": err, "403": err, "404": err } },
            "post": { "summary": "Record a contribution (managers)", "requestBody": body(json!({ "type": "object", "required": ["organization", "kind", "description", "amount", "given_on"], "properties": {
                "organization": { "type": "string", "description": "A member organization's id" }, "kind": { "type": "string", "enum": CONTRIBUTION_KINDS },
                "description": { "type": "string" }, "amount": amount, "currency": currency, "given_on": date, "event": { "type": "string" } } })),
                "responses": { "201": ok("The new id"), "401": err, "403": err, "422": err } } },
        "/communities/{slug}/funding/assets": { "parameters": [slug, page, per_page],
            "get": { "summary": "The collective assets register, with contact people (members)", "responses": { "200": ok("A page of assets; value as a string"), "401": err, "403": err, "404": err } },
            "post": { "summary": "Register an asset (managers)", "requestBody": body(json!({ "type": "object", "required": ["organization", "kind", "description", "value"], "properties": {
                "organization": { "type": "string" }, "kind": { "type": "string", "enum": ASSET_KINDS }, "description": { "type": "string" },
                "value": amount, "currency": currency, "availability": { "type": "string" }, "contact": { "type": "string" } } })),
                "responses": { "201": ok("The new id"), "401": err, "403": err, "422": err } } },
        "/communities/{slug}/funding/asks": { "parameters": [slug, page, per_page],
            "get": { "summary": "The fundraising pipeline in stage order (members)", "responses": { "200": ok("A page of asks"), "401": err, "403": err, "404": err } },
            "post": { "summary": "Add an ask to the pipeline (managers)", "requestBody": body(json!({ "type": "object", "required": ["ask", "amount"], "properties": {
                "donor_org": { "type": "string", "description": "A directory organization's id" }, "donor_text": { "type": "string", "description": "The donor otherwise" },
                "ask": { "type": "string" }, "amount": amount, "currency": currency, "stage": { "type": "string", "enum": STAGES },
                "next_step": { "type": "string" }, "due_on": date, "owner": { "type": "string", "description": "A member person's id" } } })),
                "responses": { "201": ok("The ask and its stage history"), "401": err, "403": err, "422": err } } },
        "/communities/{slug}/funding/asks/{id}": { "parameters": [slug, id],
            "get": { "summary": "An ask and its stage history", "responses": { "200": ok("The ask and its stage history"), "401": err, "403": err, "404": err } } },
        "/communities/{slug}/funding/asks/{id}/stage": { "parameters": [slug, id],
            "post": { "summary": "Move an ask to a stage; the change is recorded with its date (managers)", "requestBody": body(json!({ "type": "object", "required": ["stage"], "properties": {
                "stage": { "type": "string", "enum": STAGES }, "changed_on": date, "note": { "type": "string" } } })),
                "responses": { "200": ok("The ask and its stage history"), "401": err, "403": err, "404": err, "422": err } } },
        "/communities/{slug}/funding/summary": { "parameters": [slug,
                { "name": "from", "in": "query", "required": false, "schema": date },
                { "name": "to", "in": "query", "required": false, "schema": date }],
            "get": { "summary": "Where the money came from and went in a period, per currency (members)", "responses": { "200": ok("The funding summary"), "401": err, "403": err, "404": err, "422": err } } }
    });
    match v {
        Value::Object(m) => m,
        _ => serde_json::Map::new(),
    }
}
