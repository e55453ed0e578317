//! Sustainability self-assessment (the seed's Table 4): pages under `/c/{slug}/sustainability…`
//! and JSON under `/api/v1/communities/{slug}/sustainability…`.
//!
//! Who may do what: the community's members, managers and admins read rounds, results and action
//! items; participating members (members with a person record) rate each criterion of an open
//! round, with evidence and a note, and may come back to change their answers until it closes;
//! managers open rounds and turn gaps into action items with an owner; managers and an item's
//! owner change its status. **Individual ratings are confidential**: no page or API shows who
//! rated what, not even to managers; results are aggregates, and evidence and notes are listed
//! without names.
//!
//! For the reports: [`radar_svg`] (re-exported from `tejido_core::sustainability`) draws a radar
//! chart, and [`round_radar`] draws one round's four dimensions with an earlier round as a second
//! outline; the figures come from `tejido_db::sustainability::{rounds, results}`.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Form, Json};
use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::{json, Value};
use tejido_core::assessments::{field_names, parse_responses, DISAGREEMENT_RANGE};
use tejido_core::page::{Page, PageReq};
use tejido_core::sustainability::{
    accepting, ActionForm, RoundForm, ACTION_STATUSES, INSTRUMENT, KEY,
};
use tejido_core::FieldErrors;
use tejido_db::assessments::{self as rounds_store, Evidence, NewRound, Response as Answer};
use tejido_db::communities::Community;
use tejido_db::sustainability::{self as store, Action, Figures, RoundResults, RoundRow};

pub use tejido_core::sustainability::{radar_svg, RadarSeries};

use crate::access::{load_manage, load_member, Loaded};
use crate::error::AppResult;
use crate::extract::ApiJson;
use crate::respond::page_json;
use crate::routes::{self as route, Level, Route};
use crate::time::today;
use crate::views::Options;
use crate::views::{html, html_invalid, redirect, Pager};
use crate::{AppError, AppState, Ctx};

/// The capability's pages.
pub fn routes() -> Vec<Route> {
    vec![
        route::get("/c/{slug}/sustainability", Level::Member, index_page),
        route::post(
            "/c/{slug}/sustainability/rounds",
            Level::Manager,
            create_round,
        ),
        route::get(
            "/c/{slug}/sustainability/rounds/{id}",
            Level::Member,
            round_page,
        ),
        route::get(
            "/c/{slug}/sustainability/rounds/{id}/rate",
            Level::Member,
            rate_page,
        ),
        route::post(
            "/c/{slug}/sustainability/rounds/{id}/rate",
            Level::Member,
            rate_save,
        ),
        route::post(
            "/c/{slug}/sustainability/rounds/{id}/actions",
            Level::Manager,
            create_action,
        ),
        route::post(
            "/c/{slug}/sustainability/actions/{id}/status",
            Level::RoleHolder,
            action_status,
        ),
    ]
}

/// The JSON API, nested under `/api/v1`.
pub fn api_routes() -> Vec<Route> {
    vec![
        route::get(
            "/communities/{slug}/sustainability/instrument",
            Level::Member,
            api_instrument,
        ),
        route::get(
            "/communities/{slug}/sustainability/rounds",
            Level::Member,
            api_rounds,
        ),
        route::post(
            "/communities/{slug}/sustainability/rounds",
            Level::Manager,
            api_create_round,
        ),
        route::get(
            "/communities/{slug}/sustainability/rounds/{id}/results",
            Level::Member,
            api_results,
        ),
        route::get(
            "/communities/{slug}/sustainability/rounds/{id}/responses",
            Level::Member,
            api_my_responses,
        ),
        route::post(
            "/communities/{slug}/sustainability/rounds/{id}/responses",
            Level::Member,
            api_save_responses,
        ),
        route::post(
            "/communities/{slug}/sustainability/rounds/{id}/actions",
            Level::Manager,
            api_create_action,
        ),
        route::get(
            "/communities/{slug}/sustainability/actions",
            Level::Member,
            api_actions,
        ),
        route::post(
            "/communities/{slug}/sustainability/actions/{id}/status",
            Level::RoleHolder,
            api_action_status,
        ),
    ]
}

// ---- authorization ---------------------------------------------------------------------------

struct Who {
    l: Loaded,
    manage: bool,
    person: Option<i64>,
}

impl Who {
    /// A participating member: belongs to the community and has a person record.
    fn rater(&self) -> Option<i64> {
        self.person.filter(|_| self.l.member)
    }
}

/// Members, managers and admins; others 403 (401 anonymous).
async fn member(s: &AppState, c: &Ctx, slug: &str) -> AppResult<Who> {
    let l = load_member(s, c, slug).await?;
    let manage = l.access.manage;
    let person = c.user.as_ref().and_then(|u| u.person_id);
    Ok(Who { l, manage, person })
}

async fn manager(s: &AppState, c: &Ctx, slug: &str) -> AppResult<Who> {
    let l = load_manage(s, c, slug).await?;
    let person = c.user.as_ref().and_then(|u| u.person_id);
    Ok(Who {
        l,
        manage: true,
        person,
    })
}

async fn round_of(s: &AppState, w: &Who, id: i64) -> AppResult<RoundRow> {
    store::round(&s.db, w.l.community.id, id)
        .await?
        .ok_or(AppError::NotFound)
}

fn round_status(r: &RoundRow, today: NaiveDate) -> &'static str {
    if accepting(r.opens_on, r.closes_on, today) {
        "open"
    } else if today < r.opens_on {
        "upcoming"
    } else {
        "closed"
    }
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

// ---- shared writes ---------------------------------------------------------------------------

async fn write_round(
    s: &AppState,
    c: &Ctx,
    w: &Who,
    form: &RoundForm,
) -> AppResult<Result<i64, FieldErrors>> {
    let i = match form.parse() {
        Ok(i) => i,
        Err(e) => return Ok(Err(e)),
    };
    let mut tx = s.db.begin().await?;
    let id = rounds_store::insert_round(
        &mut tx,
        w.l.community.id,
        &NewRound {
            instrument: KEY,
            version: INSTRUMENT.version,
            title: &i.title,
            opens_on: i.opens_on,
            closes_on: i.closes_on,
        },
        c.user_id(),
    )
    .await?;
    audit(
        &mut tx,
        c,
        "sustainability-round-opened",
        &w.l.community.slug,
        &id.to_string(),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(id))
}

/// Saves the rater's answers: refused (and nothing written) when the person may not rate, the
/// round is not open, or any answer is invalid.
async fn write_responses(
    s: &AppState,
    w: &Who,
    r: &RoundRow,
    pairs: &[(String, String)],
) -> AppResult<Result<(), FieldErrors>> {
    let person = w.rater().ok_or(AppError::Forbidden)?;
    if !accepting(r.opens_on, r.closes_on, today(&w.l.community)) {
        return Ok(Err(FieldErrors::single("round", "sust-error-not-open")));
    }
    let answers = match parse_responses(&INSTRUMENT, pairs) {
        Ok(a) => a,
        Err(e) => return Ok(Err(e)),
    };
    let mut tx = s.db.begin().await?;
    rounds_store::save_responses(&mut tx, r.id, person, &answers).await?;
    tx.commit().await?;
    Ok(Ok(()))
}

async fn write_action(
    s: &AppState,
    c: &Ctx,
    w: &Who,
    r: &RoundRow,
    form: &ActionForm,
) -> AppResult<Result<i64, FieldErrors>> {
    let i = match form.parse() {
        Ok(i) => i,
        Err(e) => return Ok(Err(e)),
    };
    if !tejido_db::minutes::is_community_person(&s.db, w.l.community.id, i.owner_person_id).await? {
        return Ok(Err(FieldErrors::single("owner", "error-invalid-choice")));
    }
    let mut tx = s.db.begin().await?;
    let id = store::insert_action(&mut tx, w.l.community.id, r.id, &i, c.user_id()).await?;
    audit(
        &mut tx,
        c,
        "sustainability-action-created",
        &w.l.community.slug,
        &format!("{id}:{}", i.item),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(id))
}

/// Changes an action item's status: managers or its owner.
async fn write_action_status(
    s: &AppState,
    c: &Ctx,
    w: &Who,
    id: i64,
    status: &str,
) -> AppResult<Action> {
    let a = store::action(&s.db, w.l.community.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !(w.manage || w.person == Some(a.owner_person_id)) {
        return Err(AppError::Forbidden);
    }
    if !ACTION_STATUSES.contains(&status) {
        return Err(AppError::Validation(FieldErrors::single(
            "status",
            "error-invalid-choice",
        )));
    }
    let mut tx = s.db.begin().await?;
    store::set_action_status(&mut tx, a.id, status).await?;
    audit(
        &mut tx,
        c,
        "sustainability-action-status",
        &w.l.community.slug,
        &format!("{}:{status}", a.id),
    )
    .await?;
    tx.commit().await?;
    store::action(&s.db, w.l.community.id, id)
        .await?
        .ok_or(AppError::NotFound)
}

// ---- figures for views -----------------------------------------------------------------------

fn fmt1(x: Option<f64>) -> String {
    x.map(|v| format!("{v:.1}"))
        .unwrap_or_else(|| "–".to_owned())
}
fn fmt2(x: Option<f64>) -> String {
    x.map(|v| format!("{v:.2}"))
        .unwrap_or_else(|| "–".to_owned())
}
fn change(now: Option<f64>, before: Option<f64>) -> String {
    match (now, before) {
        (Some(a), Some(b)) => format!("{:+.1}", a - b),
        _ => "–".to_owned(),
    }
}

/// The dimensions' names in the user's language.
pub fn dimension_names(c: &Ctx) -> Vec<String> {
    INSTRUMENT.sections.iter().map(|d| c.t(d.title)).collect()
}

/// A round's radar chart: its four dimension means, with an earlier round as a dashed second
/// outline when given. `id` must be unique in the page. Show the numbers in a table beside it.
pub fn round_radar(
    c: &Ctx,
    id: &str,
    this: (&str, &RoundResults),
    earlier: Option<(&str, &RoundResults)>,
) -> String {
    let mut series = vec![RadarSeries {
        label: this.0.to_owned(),
        values: this.1.dimension_means(),
    }];
    if let Some((label, r)) = earlier {
        series.push(RadarSeries {
            label: label.to_owned(),
            values: r.dimension_means(),
        });
    }
    let title = c.t1("sust-radar-title", "round", this.0);
    radar_svg(
        id,
        &title,
        &dimension_names(c),
        &series,
        INSTRUMENT.scale.max() as f64,
    )
}

pub struct FigRow {
    pub number: usize,
    pub key: &'static str,
    pub text: String,
    pub respondents: usize,
    pub mean: String,
    pub median: String,
    pub min_max: String,
    pub spread: String,
    pub disagreement: bool,
    pub previous: String,
    pub change: String,
    pub evidence: Vec<(String, String, String)>,
}

pub struct DimRow {
    pub title: String,
    pub row: FigRow,
    pub criteria: Vec<FigRow>,
}

fn fig_row(
    c: &Ctx,
    number: usize,
    key: &'static str,
    text: String,
    f: &Figures,
    prev: Option<&Figures>,
    evidence: &[Evidence],
) -> FigRow {
    let pm = prev.and_then(|p| p.mean);
    FigRow {
        number,
        key,
        text,
        respondents: f.respondents,
        mean: fmt1(f.mean),
        median: fmt1(f.median),
        min_max: match (f.min, f.max) {
            (Some(a), Some(b)) => format!("{a:.0}–{b:.0}"),
            _ => "–".to_owned(),
        },
        spread: fmt2(f.spread),
        disagreement: f.disagreement,
        previous: fmt1(pm),
        change: change(f.mean, pm),
        evidence: evidence
            .iter()
            .filter(|e| e.item_key == key)
            .map(|e| {
                (
                    e.value
                        .and_then(|v| INSTRUMENT.scale.levels.iter().find(|l| l.value == v))
                        .map(|l| c.t(l.label))
                        .unwrap_or_else(|| c.t("sust-not-rated")),
                    e.evidence.clone().unwrap_or_default(),
                    e.note.clone().unwrap_or_default(),
                )
            })
            .collect(),
    }
}

fn dim_rows(
    c: &Ctx,
    r: &RoundResults,
    prev: Option<&RoundResults>,
    ev: &[Evidence],
) -> Vec<DimRow> {
    let mut n = 0;
    INSTRUMENT
        .sections
        .iter()
        .zip(&r.dimensions)
        .enumerate()
        .map(|(di, (sec, d))| {
            let pd = prev.and_then(|p| p.dimensions.get(di));
            let criteria = sec
                .items
                .iter()
                .zip(&d.criteria)
                .enumerate()
                .map(|(ci, (item, f))| {
                    n += 1;
                    let pf = pd.and_then(|p| p.criteria.get(ci));
                    fig_row(c, n, item.key, c.t(item.text), f, pf, ev)
                })
                .collect();
            DimRow {
                title: c.t(sec.title),
                row: fig_row(
                    c,
                    0,
                    sec.key,
                    c.t(sec.title),
                    &d.figures,
                    pd.map(|p| &p.figures),
                    &[],
                ),
                criteria,
            }
        })
        .collect()
}

// ---- pages -----------------------------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PageQuery {
    page: Option<u32>,
    apage: Option<u32>,
    per_page: Option<u32>,
}

pub struct RoundItem {
    pub r: RoundRow,
    pub status: &'static str,
    pub can_rate: bool,
}

pub struct TrendRow {
    pub id: i64,
    pub title: String,
    pub dates: String,
    pub respondents: i64,
    /// (mean, change against the round before) per dimension.
    pub cells: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "sustainability/index.html")]
struct IndexPage {
    c: Ctx,
    m: Community,
    manage: bool,
    rounds: Vec<RoundItem>,
    pager: Pager,
    trend: Vec<TrendRow>,
    dims: Vec<String>,
    actions: Page<Action>,
    apager: Pager,
    person: Option<i64>,
    form: RoundForm,
    errors: FieldErrors,
}

impl IndexPage {
    fn item_label(&self, key: &str) -> String {
        item_label(&self.c, key)
    }
    fn can_change(&self, a: &Action) -> bool {
        self.manage || self.person == Some(a.owner_person_id)
    }
}

fn item_label(c: &Ctx, key: &str) -> String {
    let n = INSTRUMENT
        .items()
        .position(|i| i.key == key)
        .map_or(0, |p| p + 1);
    INSTRUMENT
        .item(key)
        .map(|i| format!("{n}. {}", c.t(i.text)))
        .unwrap_or_else(|| key.to_owned())
}

fn dates(c: &Ctx, r: &RoundRow) -> String {
    c.t2(
        "sust-round-dates",
        "opens",
        &r.opens_on.to_string(),
        "closes",
        &r.closes_on.to_string(),
    )
}

async fn index_view(
    s: &AppState,
    c: Ctx,
    w: Who,
    q: &PageQuery,
    form: RoundForm,
    errors: FieldErrors,
) -> AppResult<IndexPage> {
    let cid = w.l.community.id;
    let slug = w.l.community.slug.clone();
    let t = today(&w.l.community);
    let page = store::rounds_page(&s.db, cid, PageReq::new(q.page, None)).await?;
    let pager = Pager::new(&page, &format!("/c/{slug}/sustainability"));
    let can = w.rater().is_some();
    let rounds = page
        .items
        .into_iter()
        .map(|r| {
            let status = round_status(&r, t);
            RoundItem {
                can_rate: can && status == "open",
                status,
                r,
            }
        })
        .collect();
    // The trend over every round (rounds are few; capped by MAX_ROUNDS), one query for figures.
    let all = store::rounds(&s.db, cid).await?;
    let ids: Vec<i64> = all.iter().map(|r| r.id).collect();
    let results = store::results_of(&s.db, &ids).await?;
    let mut prev: Option<&RoundResults> = None;
    let mut trend = vec![];
    for r in &all {
        let Some(res) = results.get(&r.id) else {
            continue;
        };
        let cells = res
            .dimensions
            .iter()
            .enumerate()
            .map(|(i, d)| {
                let before = prev
                    .and_then(|p| p.dimensions.get(i))
                    .and_then(|p| p.figures.mean);
                (fmt1(d.figures.mean), change(d.figures.mean, before))
            })
            .collect();
        trend.push(TrendRow {
            id: r.id,
            title: r.title.clone(),
            dates: dates(&c, r),
            respondents: r.respondents,
            cells,
        });
        if res.respondents > 0 {
            prev = Some(res);
        }
    }
    trend.reverse();
    let actions = store::actions(&s.db, cid, PageReq::new(q.apage, None)).await?;
    let mut apager = Pager::new(&actions, &format!("/c/{slug}/sustainability"));
    let fix = |l: Option<String>| l.map(|l| l.replace("?page=", "?apage="));
    apager.prev = fix(apager.prev);
    apager.next = fix(apager.next);
    Ok(IndexPage {
        dims: dimension_names(&c),
        c,
        m: w.l.community,
        manage: w.manage,
        rounds,
        pager,
        trend,
        actions,
        apager,
        person: w.person,
        form,
        errors,
    })
}

async fn index_page(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<PageQuery>,
) -> AppResult<Response> {
    let w = member(&s, &c, &slug).await?;
    Ok(html(
        &index_view(&s, c, w, &q, RoundForm::default(), FieldErrors::new()).await?,
    ))
}

async fn create_round(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Form(form): Form<RoundForm>,
) -> AppResult<Response> {
    let w = manager(&s, &c, &slug).await?;
    match write_round(&s, &c, &w, &form).await? {
        Ok(id) => Ok(redirect(&format!("/c/{slug}/sustainability/rounds/{id}"))),
        Err(errors) => Ok(html_invalid(
            &index_view(&s, c, w, &PageQuery::default(), form, errors).await?,
        )),
    }
}

#[derive(Template)]
#[template(path = "sustainability/round.html")]
struct RoundPage {
    c: Ctx,
    m: Community,
    r: RoundRow,
    status: &'static str,
    can_rate: bool,
    manage: bool,
    respondents: usize,
    prev: Option<RoundRow>,
    radar: String,
    dims: Vec<DimRow>,
    actions: Vec<Action>,
    owners: Options,
    items: Options,
    form: ActionForm,
    errors: FieldErrors,
    range: String,
    person: Option<i64>,
}

impl RoundPage {
    fn item_label(&self, key: &str) -> String {
        item_label(&self.c, key)
    }
    fn can_change(&self, a: &Action) -> bool {
        self.manage || self.person == Some(a.owner_person_id)
    }
}

async fn round_view(
    s: &AppState,
    c: Ctx,
    w: Who,
    r: RoundRow,
    form: ActionForm,
    errors: FieldErrors,
) -> AppResult<RoundPage> {
    let prev = rounds_store::previous_round(&s.db, &r).await?;
    let mut ids = vec![r.id];
    ids.extend(prev.as_ref().map(|p| p.id));
    let mut res = store::results_of(&s.db, &ids).await?;
    let this = res.remove(&r.id).ok_or(AppError::NotFound)?;
    let before = prev.as_ref().and_then(|p| res.remove(&p.id));
    let ev = rounds_store::evidence(&s.db, r.id).await?;
    let radar = round_radar(
        &c,
        &format!("radar-{}", r.id),
        (&r.title, &this),
        prev.as_ref()
            .zip(before.as_ref())
            .map(|(p, b)| (p.title.as_str(), b)),
    );
    let dims = dim_rows(&c, &this, before.as_ref(), &ev);
    let actions = store::round_actions(&s.db, r.id).await?;
    let (owners, items) = if w.manage {
        let owners = tejido_db::minutes::owner_choices(&s.db, w.l.community.id, 500)
            .await?
            .into_iter()
            .map(|(id, name)| (id.to_string(), name))
            .collect();
        let items = INSTRUMENT
            .items()
            .map(|i| (i.key.to_owned(), item_label(&c, i.key)))
            .collect();
        (owners, items)
    } else {
        (vec![], vec![])
    };
    let status = round_status(&r, today(&w.l.community));
    Ok(RoundPage {
        can_rate: w.rater().is_some() && status == "open",
        status,
        manage: w.manage,
        respondents: this.respondents,
        prev,
        radar,
        dims,
        actions,
        owners,
        items,
        form,
        errors,
        range: format!("{DISAGREEMENT_RANGE:.0}"),
        person: w.person,
        c,
        m: w.l.community,
        r,
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ItemQuery {
    item: Option<String>,
}

async fn round_page(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Query(q): Query<ItemQuery>,
) -> AppResult<Response> {
    let w = member(&s, &c, &slug).await?;
    let r = round_of(&s, &w, id).await?;
    let form = ActionForm {
        item: q
            .item
            .filter(|k| INSTRUMENT.item(k).is_some())
            .unwrap_or_default(),
        ..Default::default()
    };
    Ok(html(
        &round_view(&s, c, w, r, form, FieldErrors::new()).await?,
    ))
}

async fn create_action(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Form(form): Form<ActionForm>,
) -> AppResult<Response> {
    let w = manager(&s, &c, &slug).await?;
    let r = round_of(&s, &w, id).await?;
    match write_action(&s, &c, &w, &r, &form).await? {
        Ok(_) => Ok(redirect(&format!(
            "/c/{slug}/sustainability/rounds/{id}#actions"
        ))),
        Err(errors) => Ok(html_invalid(&round_view(&s, c, w, r, form, errors).await?)),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct StatusForm {
    status: String,
    /// Where to go back to: the round's page when set.
    round: Option<i64>,
}

async fn action_status(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Form(f): Form<StatusForm>,
) -> AppResult<Response> {
    c.require_user()?;
    let w = member(&s, &c, &slug).await?;
    write_action_status(&s, &c, &w, id, &f.status).await?;
    Ok(match f.round {
        Some(r) => redirect(&format!("/c/{slug}/sustainability/rounds/{r}#actions")),
        None => redirect(&format!("/c/{slug}/sustainability#actions")),
    })
}

pub struct RateItem {
    pub number: usize,
    pub text: String,
    pub r: String,
    pub e: String,
    pub n: String,
}

pub struct RateSection {
    pub title: String,
    pub items: Vec<RateItem>,
}

#[derive(Template)]
#[template(path = "sustainability/rate.html")]
struct RatePage {
    c: Ctx,
    m: Community,
    r: RoundRow,
    open: bool,
    sections: Vec<RateSection>,
    levels: Vec<(String, String)>,
    values: Vec<(String, String)>,
    errors: FieldErrors,
    saved: bool,
}

impl RatePage {
    fn value(&self, name: &str) -> &str {
        self.values
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }
}

fn answers_to_values(answers: &[Answer]) -> Vec<(String, String)> {
    let mut v = vec![];
    for a in answers {
        let (r, e, n) = field_names(&a.item_key);
        v.push((r, a.value.map(|x| x.to_string()).unwrap_or_default()));
        v.push((e, a.evidence.clone().unwrap_or_default()));
        v.push((n, a.note.clone().unwrap_or_default()));
    }
    v
}

fn rate_view(
    c: Ctx,
    w: Who,
    r: RoundRow,
    values: Vec<(String, String)>,
    errors: FieldErrors,
    saved: bool,
) -> RatePage {
    let mut n = 0;
    let sections = INSTRUMENT
        .sections
        .iter()
        .map(|s| RateSection {
            title: c.t(s.title),
            items: s
                .items
                .iter()
                .map(|i| {
                    n += 1;
                    let (r, e, nn) = field_names(i.key);
                    RateItem {
                        number: n,
                        text: c.t(i.text),
                        r,
                        e,
                        n: nn,
                    }
                })
                .collect(),
        })
        .collect();
    let levels = INSTRUMENT
        .scale
        .levels
        .iter()
        .map(|l| (l.value.to_string(), c.t(l.label)))
        .collect();
    RatePage {
        open: accepting(r.opens_on, r.closes_on, today(&w.l.community)),
        sections,
        levels,
        values,
        errors,
        saved,
        c,
        m: w.l.community,
        r,
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SavedQuery {
    saved: Option<String>,
}

async fn rate_page(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Query(q): Query<SavedQuery>,
) -> AppResult<Response> {
    c.require_user()?;
    let w = member(&s, &c, &slug).await?;
    let person = w.rater().ok_or(AppError::Forbidden)?;
    let r = round_of(&s, &w, id).await?;
    let answers = rounds_store::responses_of(&s.db, r.id, person).await?;
    Ok(html(&rate_view(
        c,
        w,
        r,
        answers_to_values(&answers),
        FieldErrors::new(),
        q.saved.is_some(),
    )))
}

async fn rate_save(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    c.require_user()?;
    let w = member(&s, &c, &slug).await?;
    if w.rater().is_none() {
        return Err(AppError::Forbidden);
    }
    let r = round_of(&s, &w, id).await?;
    match write_responses(&s, &w, &r, &pairs).await? {
        Ok(()) => Ok(redirect(&format!(
            "/c/{slug}/sustainability/rounds/{id}/rate?saved=1"
        ))),
        Err(errors) => {
            let values = pairs.into_iter().filter(|(k, _)| k != "_csrf").collect();
            Ok(html_invalid(&rate_view(c, w, r, values, errors, false)))
        }
    }
}

// ---- JSON API --------------------------------------------------------------------------------

fn instrument_json(c: &Ctx) -> Value {
    json!({
        "key": INSTRUMENT.key, "version": INSTRUMENT.version, "title": c.t(INSTRUMENT.title),
        "scale": INSTRUMENT.scale.levels.iter().map(|l| json!({ "value": l.value, "label": c.t(l.label) })).collect::<Vec<_>>(),
        "dimensions": INSTRUMENT.sections.iter().map(|s| json!({
            "key": s.key, "title": c.t(s.title),
            "criteria": s.items.iter().map(|i| json!({ "key": i.key, "text": c.t(i.text), "source": i.source })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}

async fn api_instrument(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    member(&s, &c, &slug).await?;
    Ok(Json(instrument_json(&c)))
}

async fn api_rounds(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<PageQuery>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let w = member(&s, &c, &slug).await?;
    let p = store::rounds_page(&s.db, w.l.community.id, PageReq::new(q.page, q.per_page)).await?;
    let t = today(&w.l.community);
    let mut v = page_json(&p);
    v["items"] = p
        .items
        .iter()
        .map(|r| {
            let mut x = json!(r);
            x["status"] = json!(round_status(r, t));
            x
        })
        .collect();
    Ok(Json(v))
}

async fn api_create_round(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    ApiJson(form): ApiJson<RoundForm>,
) -> AppResult<Response> {
    let w = manager(&s, &c, &slug).await?;
    let id = write_round(&s, &c, &w, &form)
        .await?
        .map_err(AppError::Validation)?;
    let r = round_of(&s, &w, id).await?;
    Ok((StatusCode::CREATED, Json(json!(r))).into_response())
}

async fn api_results(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let w = member(&s, &c, &slug).await?;
    let r = round_of(&s, &w, id).await?;
    let res = store::results(&s.db, r.id).await?;
    Ok(Json(json!({
        "round": r, "results": res, "disagreement_range": DISAGREEMENT_RANGE,
    })))
}

async fn api_my_responses(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let w = member(&s, &c, &slug).await?;
    let person = w.rater().ok_or(AppError::Forbidden)?;
    let r = round_of(&s, &w, id).await?;
    let answers = rounds_store::responses_of(&s.db, r.id, person).await?;
    Ok(Json(json!({ "round": r, "responses": answers })))
}

/// `{"responses": {"<criterion key>": {"stage": 0–4 or null, "evidence": "…", "note": "…"}}}`;
/// a criterion left out is unchanged, one with everything empty is cleared.
async fn api_save_responses(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    ApiJson(body): ApiJson<Value>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let w = member(&s, &c, &slug).await?;
    if w.rater().is_none() {
        return Err(AppError::Forbidden);
    }
    let r = round_of(&s, &w, id).await?;
    let mut pairs = vec![];
    if let Some(m) = body.get("responses").and_then(Value::as_object) {
        for (k, v) in m {
            let (rn, en, nn) = field_names(k);
            let text = |x: Option<&Value>| match x {
                Some(Value::String(s)) => s.clone(),
                Some(Value::Number(n)) => n.to_string(),
                Some(Value::Null) | None => String::new(),
                Some(other) => other.to_string(),
            };
            pairs.push((rn, text(v.get("stage"))));
            pairs.push((en, text(v.get("evidence"))));
            pairs.push((nn, text(v.get("note"))));
        }
    }
    write_responses(&s, &w, &r, &pairs)
        .await?
        .map_err(AppError::Validation)?;
    let person = w.rater().ok_or(AppError::Forbidden)?;
    let answers = rounds_store::responses_of(&s.db, r.id, person).await?;
    Ok(Json(json!({ "round": r, "responses": answers })))
}

async fn api_create_action(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    ApiJson(form): ApiJson<ActionForm>,
) -> AppResult<Response> {
    let w = manager(&s, &c, &slug).await?;
    let r = round_of(&s, &w, id).await?;
    let aid = write_action(&s, &c, &w, &r, &form)
        .await?
        .map_err(AppError::Validation)?;
    let a = store::action(&s.db, w.l.community.id, aid)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((StatusCode::CREATED, Json(json!(a))).into_response())
}

async fn api_actions(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<PageQuery>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let w = member(&s, &c, &slug).await?;
    let p = store::actions(&s.db, w.l.community.id, PageReq::new(q.page, q.per_page)).await?;
    Ok(Json(page_json(&p)))
}

async fn api_action_status(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    ApiJson(f): ApiJson<StatusForm>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let w = member(&s, &c, &slug).await?;
    let a = write_action_status(&s, &c, &w, id, &f.status).await?;
    Ok(Json(json!(a)))
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
    let date = json!({ "type": "string", "format": "date" });
    let keys: Vec<&str> = INSTRUMENT.items().map(|i| i.key).collect();
    let v = json!({
        "/communities/{slug}/sustainability/instrument": { "parameters": [slug],
            "get": { "summary": "The sustainability instrument (the seed's Table 4): dimensions, criteria and the five maturity stages, in the caller's language (members)", "responses": { "200": ok("The instrument"), "401": err, "403": err, "404": err } } },
        "/communities/{slug}/sustainability/rounds": { "parameters": [slug],
            "get": { "summary": "The community's rounds, newest first, with status and respondents (members)", "responses": { "200": ok("A page of rounds"), "401": err, "403": err, "404": err } },
            "post": { "summary": "Open a round (managers)", "requestBody": body(json!({ "type": "object", "required": ["title", "opens_on", "closes_on"], "properties": {
                "title": { "type": "string" }, "opens_on": date, "closes_on": date } })),
                "responses": { "201": ok("The round"), "401": err, "403": err, "422": err } } },
        "/communities/{slug}/sustainability/rounds/{id}/results": { "parameters": [slug, id],
            "get": { "summary": "Aggregate results per dimension and criterion: mean, median, min, max, spread (standard deviation), range, respondents, disagreement. Individual ratings are never shown", "responses": { "200": ok("Results"), "401": err, "403": err, "404": err } } },
        "/communities/{slug}/sustainability/rounds/{id}/responses": { "parameters": [slug, id],
            "get": { "summary": "My own answers in the round (participating members)", "responses": { "200": ok("My answers"), "401": err, "403": err, "404": err } },
            "post": { "summary": "Save my answers while the round is open (participating members); criteria left out are unchanged, empty ones cleared",
                "requestBody": body(json!({ "type": "object", "properties": { "responses": { "type": "object", "description": "Criterion key → {stage, evidence, note}",
                    "additionalProperties": { "type": "object", "properties": { "stage": { "type": ["integer", "null"], "minimum": 0, "maximum": 4 }, "evidence": { "type": "string" }, "note": { "type": "string" } } } } } })),
                "responses": { "200": ok("My answers"), "401": err, "403": err, "404": err, "422": err } } },
        "/communities/{slug}/sustainability/rounds/{id}/actions": { "parameters": [slug, id],
            "post": { "summary": "Turn a criterion into an action item with an owner (managers)", "requestBody": body(json!({ "type": "object", "required": ["item", "title", "owner", "due_on"], "properties": {
                "item": { "type": "string", "enum": keys }, "title": { "type": "string" }, "owner": { "type": "string", "description": "Id of a person of the community" }, "due_on": date } })),
                "responses": { "201": ok("The action item"), "401": err, "403": err, "404": err, "422": err } } },
        "/communities/{slug}/sustainability/actions": { "parameters": [slug],
            "get": { "summary": "The community's sustainability action items, open first (members)", "responses": { "200": ok("A page of action items"), "401": err, "403": err, "404": err } } },
        "/communities/{slug}/sustainability/actions/{id}/status": { "parameters": [slug, id],
            "post": { "summary": "Change an action item's status (managers or its owner)", "requestBody": body(json!({ "type": "object", "required": ["status"], "properties": { "status": { "type": "string", "enum": ACTION_STATUSES } } })),
                "responses": { "200": ok("The action item"), "401": err, "403": err, "404": err, "422": err } } }
    });
    match v {
        Value::Object(m) => m,
        _ => serde_json::Map::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_and_formats() {
        assert_eq!(change(Some(2.5), Some(1.0)), "+1.5");
        assert_eq!(change(Some(1.0), Some(2.0)), "-1.0");
        assert_eq!(change(Some(1.0), None), "–");
        assert_eq!(fmt1(None), "–");
        assert_eq!(fmt2(Some(0.5)), "0.50");
    }
}
