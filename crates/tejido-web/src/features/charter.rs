//! Charter (Step 3) and the decision log: pages under `/c/{slug}/charter…` and
//! `/c/{slug}/decisions…`, JSON under `/api/v1/communities/{slug}/…`.
//!
//! Who may do what: anyone who may see the community reads its adopted charter (that is what a
//! community makes public); members (any role but guest only) also read versions, comparisons
//! and the decision log; leaders, co-leaders, conveners and admins edit the draft, adopt it and
//! record decisions. Decisions are never edited: a correction is a new entry.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Form, Json};
use serde::Deserialize;
use serde_json::{json, Value};
use tejido_core::charter::{diff, render_markdown, CharterForm, CharterInput, Section, Segment};
use tejido_core::decisions::{DecisionForm, DecisionInput, Method};
use tejido_core::page::{Page, PageReq};
use tejido_core::visibility::Record;
use tejido_core::FieldErrors;
use tejido_db::charter::{self as store, ChainEntry, Charter, Version, Which};
use tejido_db::communities::Community;
use tejido_db::decisions::{self as log, Decision};

use crate::access::{load, load_manage, Loaded};
use crate::error::AppResult;
use crate::extract::ApiJson;
use crate::respond::page_json;
use crate::routes::{self as route, Level, Route};
use crate::time::today;
use crate::views::Options;
use crate::views::{html, html_invalid, query, redirect, Pager};
use crate::{AppError, AppState, Ctx};

/// The capability's pages.
pub fn routes() -> Vec<Route> {
    vec![
        route::get("/c/{slug}/charter", Level::Viewer, show),
        route::get("/c/{slug}/charter/edit", Level::Manager, edit_form),
        route::post("/c/{slug}/charter/edit", Level::Manager, save),
        route::get("/c/{slug}/charter/versions/{n}", Level::Viewer, version),
        route::post(
            "/c/{slug}/charter/versions/{n}/adopt",
            Level::Manager,
            adopt,
        ),
        route::get("/c/{slug}/charter/compare", Level::Viewer, compare),
        route::get("/c/{slug}/decisions", Level::Viewer, decisions),
        route::get("/c/{slug}/decisions/new", Level::Manager, new_decision),
        route::post("/c/{slug}/decisions/new", Level::Manager, create_decision),
        route::get("/c/{slug}/decisions/{id}", Level::Viewer, decision),
        route::get(
            "/c/{slug}/decisions/{id}/correct",
            Level::Manager,
            correct_form,
        ),
        route::post("/c/{slug}/decisions/{id}/correct", Level::Manager, correct),
    ]
}

/// The JSON API, nested under `/api/v1`.
pub fn api_routes() -> Vec<Route> {
    vec![
        route::get("/communities/{slug}/charter", Level::Viewer, api_current),
        route::get(
            "/communities/{slug}/charter/versions",
            Level::Viewer,
            api_versions,
        ),
        route::get(
            "/communities/{slug}/charter/compare",
            Level::Viewer,
            api_compare,
        ),
        route::put(
            "/communities/{slug}/charter/draft",
            Level::Manager,
            api_save_draft,
        ),
        route::post(
            "/communities/{slug}/charter/adopt",
            Level::Manager,
            api_adopt,
        ),
        route::get(
            "/communities/{slug}/decisions",
            Level::Viewer,
            api_decisions,
        ),
        route::post(
            "/communities/{slug}/decisions",
            Level::Manager,
            api_create_decision,
        ),
        route::get(
            "/communities/{slug}/decisions/{id}",
            Level::Viewer,
            api_decision,
        ),
    ]
}

// ---- authorization ---------------------------------------------------------------------------------

/// True when the viewer reads more than the adopted charter (drafts, versions, the decision
/// log): the rule for decisions in `tejido_core::visibility`.
fn reads_all(l: &Loaded) -> bool {
    l.may_read(Record::Decisions)
}

async fn load_reader(s: &AppState, c: &Ctx, slug: &str) -> AppResult<Loaded> {
    let l = load(s, c, slug).await?;
    l.require(c, Record::Decisions)?;
    Ok(l)
}

fn method_options(c: &Ctx) -> Options {
    Method::ALL
        .iter()
        .map(|m| {
            (
                m.as_str().to_owned(),
                c.label("decision-method", m.as_str()),
            )
        })
        .collect()
}

/// A version's non-empty sections rendered from Markdown, in catalog order.
pub struct SectionView {
    pub key: &'static str,
    /// Output of [`render_markdown`]: the only HTML the templates insert unescaped.
    pub html: String,
}

fn rendered(ch: &Charter) -> Vec<SectionView> {
    Section::ALL
        .iter()
        .filter_map(|s| {
            let body = ch.body(s.as_str());
            (!body.trim().is_empty()).then(|| SectionView {
                key: s.as_str(),
                html: render_markdown(body),
            })
        })
        .collect()
}

fn form_of(ch: &Charter) -> CharterForm {
    CharterForm::from_pairs(ch.sections.iter().map(|(k, v)| (k.as_str(), v.as_str())))
}

// ---- shared writes (pages and API) --------------------------------------------------------------------

/// Creates the draft if needed and saves its sections; returns the draft's number.
async fn write_draft(s: &AppState, c: &Ctx, l: &Loaded, input: &CharterInput) -> AppResult<i64> {
    let mut tx = s.db.begin().await?;
    let (id, n, created) = store::ensure_draft(&mut tx, l.community.id, c.user_id()).await?;
    store::save_draft(&mut tx, id, input).await?;
    let action = if created {
        "charter-draft-created"
    } else {
        "charter-draft-saved"
    };
    tejido_db::audit::record(
        &mut tx,
        c.user_id(),
        action,
        Some(&l.community.slug),
        Some(&n.to_string()),
    )
    .await?;
    tx.commit().await?;
    Ok(n)
}

async fn write_adoption(
    s: &AppState,
    c: &Ctx,
    l: &Loaded,
    v: &Version,
    input: &DecisionInput,
) -> AppResult<i64> {
    let mut tx = s.db.begin().await?;
    let did = store::adopt(&mut tx, l.community.id, v.id, input, c.user_id()).await?;
    tejido_db::audit::record(
        &mut tx,
        c.user_id(),
        "charter-adopted",
        Some(&l.community.slug),
        Some(&format!("{}:{did}", v.number)),
    )
    .await?;
    tx.commit().await?;
    Ok(did)
}

/// Records a decision (a correction when `corrects` is set, which must be an entry of this
/// community). `Ok(Err(errors))` when the corrected entry does not exist.
async fn write_decision(
    s: &AppState,
    c: &Ctx,
    l: &Loaded,
    input: &DecisionInput,
) -> AppResult<Result<i64, FieldErrors>> {
    if let Some(old) = input.corrects {
        if log::get(&s.db, l.community.id, old).await?.is_none() {
            return Ok(Err(FieldErrors::single("corrects", "error-invalid-choice")));
        }
    }
    let mut tx = s.db.begin().await?;
    let id = log::insert(&mut tx, l.community.id, input, c.user_id()).await?;
    let (action, detail) = match input.corrects {
        Some(old) => ("decision-corrected", format!("{id}:{old}")),
        None => ("decision-recorded", id.to_string()),
    };
    tejido_db::audit::record(
        &mut tx,
        c.user_id(),
        action,
        Some(&l.community.slug),
        Some(&detail),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(id))
}

/// Where a decision came from, as a link, when it came from a charter version.
async fn source_links(
    s: &AppState,
    m: &Community,
    items: &[Decision],
) -> AppResult<Vec<Option<(String, i64)>>> {
    let ids: Vec<i64> = items
        .iter()
        .filter(|d| d.source_kind.as_deref() == Some("charter"))
        .filter_map(|d| d.source_id)
        .collect();
    let numbers = store::numbers(&s.db, m.id, &ids).await?;
    Ok(items
        .iter()
        .map(|d| {
            if d.source_kind.as_deref() != Some("charter") {
                return None;
            }
            let n = numbers.iter().find(|(id, _)| Some(*id) == d.source_id)?.1;
            Some((format!("/c/{}/charter/versions/{n}", m.slug), n))
        })
        .collect())
}

// ---- the charter page -------------------------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PageQuery {
    page: Option<u32>,
    per_page: Option<u32>,
}

#[derive(Template)]
#[template(path = "charter/show.html")]
struct ShowPage {
    c: Ctx,
    m: Community,
    manage: bool,
    reader: bool,
    current: Option<Version>,
    sections: Vec<SectionView>,
    draft: Option<Version>,
    versions: Option<Page<Version>>,
    pager: Option<Pager>,
}

async fn show(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<PageQuery>,
) -> AppResult<Response> {
    let l = load(&s, &c, &slug).await?;
    let reader = reads_all(&l);
    let id = l.community.id;
    let current = store::load(&s.db, id, Which::Adopted).await?;
    let sections = current.as_ref().map(rendered).unwrap_or_default();
    let draft = if l.access.manage {
        store::load(&s.db, id, Which::Draft)
            .await?
            .map(|d| d.version)
    } else {
        None
    };
    let (versions, pager) = if reader {
        let p = store::versions(&s.db, id, l.access.manage, PageReq::new(q.page, Some(20))).await?;
        let pager = Pager::new(&p, &format!("/c/{slug}/charter"));
        (Some(p), Some(pager))
    } else {
        (None, None)
    };
    Ok(html(&ShowPage {
        c,
        m: l.community,
        manage: l.access.manage,
        reader,
        current: current.map(|x| x.version),
        sections,
        draft,
        versions,
        pager,
    }))
}

// ---- editing the draft ---------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "charter/edit.html")]
struct EditPage {
    c: Ctx,
    m: Community,
    draft: Option<i64>,
    fields: Vec<(&'static str, String)>,
    errors: FieldErrors,
}

fn edit_page(
    c: Ctx,
    m: Community,
    draft: Option<i64>,
    form: &CharterForm,
    errors: FieldErrors,
) -> EditPage {
    let fields = Section::ALL
        .iter()
        .map(|s| (s.as_str(), form.get(*s).to_owned()))
        .collect();
    EditPage {
        c,
        m,
        draft,
        fields,
        errors,
    }
}

async fn edit_form(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let l = load_manage(&s, &c, &slug).await?;
    let id = l.community.id;
    // Reading never writes: the draft is created by the first save, from the adopted text.
    let (draft, form) = match store::load(&s.db, id, Which::Draft).await? {
        Some(d) => (Some(d.version.number), form_of(&d)),
        None => (
            None,
            store::load(&s.db, id, Which::Adopted)
                .await?
                .map(|a| form_of(&a))
                .unwrap_or_default(),
        ),
    };
    Ok(html(&edit_page(
        c,
        l.community,
        draft,
        &form,
        FieldErrors::new(),
    )))
}

async fn save(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Form(form): Form<CharterForm>,
) -> AppResult<Response> {
    let l = load_manage(&s, &c, &slug).await?;
    let input = match form.parse() {
        Ok(i) => i,
        Err(e) => {
            let draft = store::load(&s.db, l.community.id, Which::Draft)
                .await?
                .map(|d| d.version.number);
            return Ok(html_invalid(&edit_page(c, l.community, draft, &form, e)));
        }
    };
    let n = write_draft(&s, &c, &l, &input).await?;
    Ok(redirect(&format!("/c/{slug}/charter/versions/{n}")))
}

// ---- one version, adoption ----------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "charter/version.html")]
struct VersionPage {
    c: Ctx,
    m: Community,
    manage: bool,
    v: Version,
    sections: Vec<SectionView>,
    decision: Option<Decision>,
    form: DecisionForm,
    errors: FieldErrors,
    methods: Options,
}

/// A version the viewer may see: drafts only for managers.
async fn visible_version(s: &AppState, l: &Loaded, n: i64) -> AppResult<Charter> {
    store::load(&s.db, l.community.id, Which::Number(n))
        .await?
        .filter(|v| l.access.manage || !v.version.is_draft())
        .ok_or(AppError::NotFound)
}

async fn version_page(
    s: &AppState,
    c: Ctx,
    l: Loaded,
    ch: Charter,
    form: Option<DecisionForm>,
    errors: FieldErrors,
) -> AppResult<VersionPage> {
    let decision = match ch.version.decision_id {
        Some(d) => log::get(&s.db, l.community.id, d).await?,
        None => None,
    };
    let form = form.unwrap_or_else(|| DecisionForm {
        title: c.t1(
            "charter-adopt-default-title",
            "number",
            &ch.version.number.to_string(),
        ),
        decided_on: today(&l.community).to_string(),
        method: "consensus".into(),
        ..Default::default()
    });
    let methods = method_options(&c);
    Ok(VersionPage {
        c,
        m: l.community,
        manage: l.access.manage,
        sections: rendered(&ch),
        v: ch.version,
        decision,
        form,
        errors,
        methods,
    })
}

async fn version(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, n)): Path<(String, i64)>,
) -> AppResult<Response> {
    let l = load_reader(&s, &c, &slug).await?;
    let ch = visible_version(&s, &l, n).await?;
    Ok(html(
        &version_page(&s, c, l, ch, None, FieldErrors::new()).await?,
    ))
}

async fn adopt(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, n)): Path<(String, i64)>,
    Form(form): Form<DecisionForm>,
) -> AppResult<Response> {
    let l = load_manage(&s, &c, &slug).await?;
    let ch = visible_version(&s, &l, n).await?;
    if !ch.version.is_draft() {
        return Err(AppError::BadRequest("not a draft"));
    }
    let input = match form.parse() {
        Ok(i) => i,
        Err(e) => {
            return Ok(html_invalid(
                &version_page(&s, c, l, ch, Some(form), e).await?,
            ))
        }
    };
    write_adoption(&s, &c, &l, &ch.version, &input).await?;
    Ok(redirect(&format!("/c/{slug}/charter")))
}

// ---- comparison ----------------------------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct CompareQuery {
    a: Option<String>,
    b: Option<String>,
}

/// One section of a comparison.
#[derive(serde::Serialize)]
pub struct DiffRow {
    pub section: &'static str,
    pub changed: bool,
    pub segments: Vec<Segment>,
}

fn diff_rows(a: &Charter, b: &Charter) -> Vec<DiffRow> {
    Section::ALL
        .iter()
        .filter_map(|s| {
            let (x, y) = (a.body(s.as_str()), b.body(s.as_str()));
            (!x.is_empty() || !y.is_empty()).then(|| DiffRow {
                section: s.as_str(),
                changed: x != y,
                segments: diff(x, y),
            })
        })
        .collect()
}

/// The two versions to compare: those asked for, or the previous and the current adopted one.
async fn compared(
    s: &AppState,
    l: &Loaded,
    q: &CompareQuery,
) -> AppResult<Option<(Charter, Charter)>> {
    let num = |v: &Option<String>| -> AppResult<Option<i64>> {
        match v.as_deref().map(str::trim).filter(|x| !x.is_empty()) {
            None => Ok(None),
            Some(x) => x
                .parse::<i64>()
                .map(Some)
                .map_err(|_| AppError::BadRequest("version")),
        }
    };
    let (a, b) = (num(&q.a)?, num(&q.b)?);
    let (a, b) = match (a, b) {
        (Some(a), Some(b)) => (a, b),
        _ => {
            let Some(cur) = store::load(&s.db, l.community.id, Which::Adopted).await? else {
                return Ok(None);
            };
            let n = cur.version.number;
            match (a, b) {
                (Some(a), None) => (a, n),
                (None, Some(b)) => (b - 1, b),
                _ if n > 1 => (n - 1, n),
                _ => return Ok(None),
            }
        }
    };
    let va = visible_version(s, l, a).await?;
    let vb = visible_version(s, l, b).await?;
    Ok(Some((va, vb)))
}

#[derive(Template)]
#[template(path = "charter/compare.html")]
struct ComparePage {
    c: Ctx,
    m: Community,
    nums: Option<(i64, i64)>,
    rows: Vec<DiffRow>,
    choices: Options,
    a_sel: String,
    b_sel: String,
}

async fn compare(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<CompareQuery>,
) -> AppResult<Response> {
    let l = load_reader(&s, &c, &slug).await?;
    let pair = compared(&s, &l, &q).await?;
    let list = store::versions(
        &s.db,
        l.community.id,
        l.access.manage,
        PageReq::new(Some(1), Some(100)),
    )
    .await?;
    let choices: Options = list
        .items
        .iter()
        .map(|v| {
            (
                v.number.to_string(),
                c.t2(
                    "charter-version-option",
                    "number",
                    &v.number.to_string(),
                    "status",
                    &c.label("charter-status", &v.status),
                ),
            )
        })
        .collect();
    let (a, b, rows) = match pair {
        Some((x, y)) => {
            let rows = diff_rows(&x, &y);
            (Some(x.version), Some(y.version), rows)
        }
        None => (None, None, vec![]),
    };
    let a_sel = a.as_ref().map(|v| v.number.to_string()).unwrap_or_default();
    let b_sel = b.as_ref().map(|v| v.number.to_string()).unwrap_or_default();
    let nums = a
        .as_ref()
        .zip(b.as_ref())
        .map(|(x, y)| (x.number, y.number));
    Ok(html(&ComparePage {
        c,
        m: l.community,
        nums,
        rows,
        choices,
        a_sel,
        b_sel,
    }))
}

// ---- the decision log ---------------------------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct LogQuery {
    q: Option<String>,
    page: Option<u32>,
    per_page: Option<u32>,
}

pub struct DecisionRow {
    pub d: Decision,
    /// Link to the charter version it adopted, and that version's number.
    pub source: Option<(String, i64)>,
}

#[derive(Template)]
#[template(path = "decisions/list.html")]
struct ListPage {
    c: Ctx,
    m: Community,
    manage: bool,
    rows: Vec<DecisionRow>,
    total: i64,
    pager: Pager,
    q: String,
}

async fn decisions(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<LogQuery>,
) -> AppResult<Response> {
    let l = load_reader(&s, &c, &slug).await?;
    let page = log::list(
        &s.db,
        l.community.id,
        q.q.as_deref(),
        PageReq::new(q.page, None),
    )
    .await?;
    let text = q.q.unwrap_or_default();
    let pager = Pager::new(
        &page,
        &query(&format!("/c/{slug}/decisions"), &[("q", &text)]),
    );
    let links = source_links(&s, &l.community, &page.items).await?;
    let total = page.total;
    let rows = page
        .items
        .into_iter()
        .zip(links)
        .map(|(d, source)| DecisionRow { d, source })
        .collect();
    Ok(html(&ListPage {
        c,
        m: l.community,
        manage: l.access.manage,
        rows,
        total,
        pager,
        q: text,
    }))
}

#[derive(Template)]
#[template(path = "decisions/form.html")]
struct DecisionFormPage {
    c: Ctx,
    m: Community,
    /// The entry being corrected, if this is a correction.
    corrects: Option<Decision>,
    form: DecisionForm,
    errors: FieldErrors,
    methods: Options,
}

fn decision_form_page(
    c: Ctx,
    m: Community,
    corrects: Option<Decision>,
    form: DecisionForm,
    errors: FieldErrors,
) -> DecisionFormPage {
    let methods = method_options(&c);
    DecisionFormPage {
        c,
        m,
        corrects,
        form,
        errors,
        methods,
    }
}

async fn new_decision(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let l = load_manage(&s, &c, &slug).await?;
    let form = DecisionForm {
        decided_on: today(&l.community).to_string(),
        method: "consensus".into(),
        ..Default::default()
    };
    Ok(html(&decision_form_page(
        c,
        l.community,
        None,
        form,
        FieldErrors::new(),
    )))
}

async fn create_decision(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Form(mut form): Form<DecisionForm>,
) -> AppResult<Response> {
    let l = load_manage(&s, &c, &slug).await?;
    // Corrections have their own page; a stray field here must not turn this into one.
    form.corrects = String::new();
    let input = match form.parse() {
        Ok(i) => i,
        Err(e) => {
            return Ok(html_invalid(&decision_form_page(
                c,
                l.community,
                None,
                form,
                e,
            )))
        }
    };
    match write_decision(&s, &c, &l, &input).await? {
        Ok(id) => Ok(redirect(&format!("/c/{slug}/decisions/{id}"))),
        Err(e) => Ok(html_invalid(&decision_form_page(
            c,
            l.community,
            None,
            form,
            e,
        ))),
    }
}

#[derive(Template)]
#[template(path = "decisions/show.html")]
struct DecisionPage {
    c: Ctx,
    m: Community,
    manage: bool,
    d: Decision,
    source: Option<(String, i64)>,
    chain: Vec<ChainEntry>,
}

async fn decision(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    let l = load_reader(&s, &c, &slug).await?;
    let d = log::get(&s.db, l.community.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let chain = store::correction_chain(&s.db, l.community.id, id).await?;
    let source = source_links(&s, &l.community, std::slice::from_ref(&d))
        .await?
        .pop()
        .flatten();
    Ok(html(&DecisionPage {
        c,
        m: l.community,
        manage: l.access.manage,
        d,
        source,
        chain,
    }))
}

async fn correct_form(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    let l = load_manage(&s, &c, &slug).await?;
    let old = log::get(&s.db, l.community.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let n = |v: Option<i32>| v.map(|x| x.to_string()).unwrap_or_default();
    let form = DecisionForm {
        title: old.title.clone(),
        body: old.body.clone().unwrap_or_default(),
        decided_on: old.decided_on.format("%Y-%m-%d").to_string(),
        method: old.method.clone(),
        votes_for: n(old.votes_for),
        votes_against: n(old.votes_against),
        votes_abstain: n(old.votes_abstain),
        decided_by: old.decided_by.clone().unwrap_or_default(),
        corrects: id.to_string(),
    };
    Ok(html(&decision_form_page(
        c,
        l.community,
        Some(old),
        form,
        FieldErrors::new(),
    )))
}

async fn correct(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Form(mut form): Form<DecisionForm>,
) -> AppResult<Response> {
    let l = load_manage(&s, &c, &slug).await?;
    let old = log::get(&s.db, l.community.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    form.corrects = id.to_string();
    let input = match form.parse() {
        Ok(i) => i,
        Err(e) => {
            return Ok(html_invalid(&decision_form_page(
                c,
                l.community,
                Some(old),
                form,
                e,
            )))
        }
    };
    match write_decision(&s, &c, &l, &input).await? {
        Ok(new_id) => Ok(redirect(&format!("/c/{slug}/decisions/{new_id}"))),
        Err(e) => Ok(html_invalid(&decision_form_page(
            c,
            l.community,
            Some(old),
            form,
            e,
        ))),
    }
}

// ---- JSON API -----------------------------------------------------------------------------------------

fn charter_json(ch: &Charter) -> Value {
    let sections: Vec<Value> = Section::ALL
        .iter()
        .map(|s| {
            let body = ch.body(s.as_str());
            json!({ "section": s.as_str(), "body": body, "html": render_markdown(body) })
        })
        .collect();
    json!({
        "number": ch.version.number, "status": ch.version.status, "created_at": ch.version.created_at,
        "updated_at": ch.version.updated_at, "adopted_at": ch.version.adopted_at,
        "decision_id": ch.version.decision_id, "sections": sections,
    })
}

async fn api_current(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let l = load(&s, &c, &slug).await?;
    let current = store::load(&s.db, l.community.id, Which::Adopted).await?;
    let draft = if l.access.manage {
        store::load(&s.db, l.community.id, Which::Draft).await?
    } else {
        None
    };
    Ok(Json(json!({
        "current": current.as_ref().map(charter_json),
        "draft": draft.as_ref().map(charter_json),
        "can_manage": l.access.manage,
    })))
}

async fn api_versions(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<PageQuery>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let l = load_reader(&s, &c, &slug).await?;
    let p = store::versions(
        &s.db,
        l.community.id,
        l.access.manage,
        PageReq::new(q.page, q.per_page),
    )
    .await?;
    Ok(Json(page_json(&p)))
}

async fn api_compare(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<CompareQuery>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let l = load_reader(&s, &c, &slug).await?;
    let (a, b) = compared(&s, &l, &q).await?.ok_or(AppError::NotFound)?;
    Ok(Json(json!({
        "a": a.version.number, "b": b.version.number, "sections": diff_rows(&a, &b),
    })))
}

async fn api_save_draft(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    ApiJson(form): ApiJson<CharterForm>,
) -> AppResult<Json<Value>> {
    let l = load_manage(&s, &c, &slug).await?;
    let input = form.parse().map_err(AppError::Validation)?;
    let n = write_draft(&s, &c, &l, &input).await?;
    let ch = store::load(&s.db, l.community.id, Which::Number(n))
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Json(charter_json(&ch)))
}

async fn api_adopt(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    ApiJson(form): ApiJson<DecisionForm>,
) -> AppResult<Response> {
    let l = load_manage(&s, &c, &slug).await?;
    let draft = store::load(&s.db, l.community.id, Which::Draft)
        .await?
        .ok_or(AppError::NotFound)?;
    let input = form.parse().map_err(AppError::Validation)?;
    let did = write_adoption(&s, &c, &l, &draft.version, &input).await?;
    let ch = store::load(&s.db, l.community.id, Which::Number(draft.version.number))
        .await?
        .ok_or(AppError::NotFound)?;
    let d = log::get(&s.db, l.community.id, did).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "charter": charter_json(&ch), "decision": d })),
    )
        .into_response())
}

async fn api_decisions(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<LogQuery>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let l = load_reader(&s, &c, &slug).await?;
    let p = log::list(
        &s.db,
        l.community.id,
        q.q.as_deref(),
        PageReq::new(q.page, q.per_page),
    )
    .await?;
    Ok(Json(page_json(&p)))
}

async fn api_create_decision(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    ApiJson(form): ApiJson<DecisionForm>,
) -> AppResult<Response> {
    let l = load_manage(&s, &c, &slug).await?;
    let input = form.parse().map_err(AppError::Validation)?;
    let id = write_decision(&s, &c, &l, &input)
        .await?
        .map_err(AppError::Validation)?;
    let d = log::get(&s.db, l.community.id, id).await?;
    Ok((StatusCode::CREATED, Json(json!(d))).into_response())
}

async fn api_decision(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let l = load_reader(&s, &c, &slug).await?;
    let d = log::get(&s.db, l.community.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let chain = store::correction_chain(&s.db, l.community.id, id).await?;
    Ok(Json(json!({ "decision": d, "chain": chain })))
}

/// This capability's entries for the OpenAPI document's `paths` object.
pub fn openapi_paths() -> serde_json::Map<String, serde_json::Value> {
    let err = json!({ "$ref": "#/components/responses/Error" });
    let ok = |schema: Value| json!({ "description": "OK", "content": { "application/json": { "schema": schema } } });
    let created = |schema: Value| json!({ "description": "Created", "content": { "application/json": { "schema": schema } } });
    let body = |schema: Value| json!({ "required": true, "content": { "application/json": { "schema": schema } } });
    let slug =
        json!({ "name": "slug", "in": "path", "required": true, "schema": { "type": "string" } });
    let int_q = |name: &str, d: &str| json!({ "name": name, "in": "query", "schema": { "type": "integer" }, "description": d });
    let section_keys: Vec<&str> = Section::ALL.iter().map(|s| s.as_str()).collect();
    let methods: Vec<&str> = Method::ALL.iter().map(|m| m.as_str()).collect();
    let charter = json!({ "type": "object", "properties": {
        "number": { "type": "integer" }, "status": { "type": "string", "enum": ["draft", "adopted", "superseded"] },
        "created_at": { "type": "string", "format": "date-time" }, "updated_at": { "type": "string", "format": "date-time" },
        "adopted_at": { "type": "string", "format": "date-time", "nullable": true }, "decision_id": { "type": "integer", "nullable": true },
        "sections": { "type": "array", "items": { "type": "object", "properties": {
            "section": { "type": "string", "enum": section_keys }, "body": { "type": "string", "description": "Markdown" },
            "html": { "type": "string", "description": "Sanitized HTML rendered from the Markdown" } } } } } });
    let mut form_props = serde_json::Map::new();
    for k in &section_keys {
        form_props.insert(
            (*k).to_owned(),
            json!({ "type": "string", "description": "Markdown, at most 20,000 characters" }),
        );
    }
    let charter_form = json!({ "type": "object", "properties": form_props });
    let decision = json!({ "type": "object", "properties": {
        "id": { "type": "integer" }, "title": { "type": "string" }, "body": { "type": "string", "nullable": true },
        "decided_on": { "type": "string", "format": "date" }, "method": { "type": "string", "enum": methods },
        "votes_for": { "type": "integer", "nullable": true }, "votes_against": { "type": "integer", "nullable": true },
        "votes_abstain": { "type": "integer", "nullable": true }, "decided_by": { "type": "string", "nullable": true },
        "source_kind": { "type": "string", "nullable": true }, "source_id": { "type": "integer", "nullable": true },
        "corrects_id": { "type": "integer", "nullable": true }, "corrected_by": { "type": "integer", "nullable": true },
        "recorded_at": { "type": "string", "format": "date-time" } } });
    let decision_form = json!({ "type": "object", "required": ["title", "decided_on", "method"], "properties": {
        "title": { "type": "string" }, "body": { "type": "string" }, "decided_on": { "type": "string", "description": "YYYY-MM-DD" },
        "method": { "type": "string", "enum": methods }, "votes_for": { "type": "string", "description": "Required for a vote" },
        "votes_against": { "type": "string", "description": "Required for a vote" }, "votes_abstain": { "type": "string" },
        "decided_by": { "type": "string" }, "corrects": { "type": "string", "description": "Id of the entry this one corrects; the old entry is left unchanged" } } });
    let paged = |item: Value| {
        json!({ "type": "object", "properties": { "items": { "type": "array", "items": item },
        "page": { "type": "integer" }, "per_page": { "type": "integer" }, "total": { "type": "integer" }, "pages": { "type": "integer" } } })
    };
    let v = json!({
        "/communities/{slug}/charter": {
            "parameters": [slug],
            "get": { "summary": "The adopted charter (and the draft, for those who manage the community)",
                "responses": { "200": ok(json!({ "type": "object", "properties": { "current": charter, "draft": charter, "can_manage": { "type": "boolean" } } })), "401": err, "403": err, "404": err } }
        },
        "/communities/{slug}/charter/versions": {
            "parameters": [slug, int_q("page", "Page number"), int_q("per_page", "Items per page")],
            "get": { "summary": "Charter versions, newest first (members)", "responses": { "200": ok(paged(json!({ "type": "object" }))), "401": err, "403": err, "404": err } }
        },
        "/communities/{slug}/charter/compare": {
            "parameters": [slug, int_q("a", "Older version number (default: the one before the adopted)"), int_q("b", "Newer version number (default: the adopted)")],
            "get": { "summary": "Compare two versions section by section", "responses": { "200": ok(json!({ "type": "object", "properties": {
                "a": { "type": "integer" }, "b": { "type": "integer" }, "sections": { "type": "array", "items": { "type": "object", "properties": {
                    "section": { "type": "string" }, "changed": { "type": "boolean" }, "segments": { "type": "array", "items": { "type": "object", "properties": {
                        "kind": { "type": "string", "enum": ["same", "added", "removed"] }, "text": { "type": "string" } } } } } } } } })), "400": err, "401": err, "403": err, "404": err } }
        },
        "/communities/{slug}/charter/draft": {
            "parameters": [slug],
            "put": { "summary": "Save the draft (created from the adopted text if there is none)", "requestBody": body(charter_form),
                "responses": { "200": ok(charter.clone()), "401": err, "403": err, "404": err, "422": err } }
        },
        "/communities/{slug}/charter/adopt": {
            "parameters": [slug],
            "post": { "summary": "Adopt the draft, recording the decision", "requestBody": body(decision_form.clone()),
                "responses": { "201": created(json!({ "type": "object", "properties": { "charter": charter, "decision": decision } })), "401": err, "403": err, "404": err, "422": err } }
        },
        "/communities/{slug}/decisions": {
            "parameters": [slug, { "name": "q", "in": "query", "schema": { "type": "string" }, "description": "Words, accent-insensitive" }, int_q("page", "Page number"), int_q("per_page", "Items per page")],
            "get": { "summary": "The decision log, newest first (members)", "responses": { "200": ok(paged(decision.clone())), "401": err, "403": err, "404": err } },
            "post": { "summary": "Record a decision; with `corrects`, a correction of an earlier entry", "requestBody": body(decision_form),
                "responses": { "201": created(decision.clone()), "401": err, "403": err, "404": err, "422": err } }
        },
        "/communities/{slug}/decisions/{id}": {
            "parameters": [slug, { "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } }],
            "get": { "summary": "One decision with its correction chain", "responses": { "200": ok(json!({ "type": "object", "properties": {
                "decision": decision, "chain": { "type": "array", "items": { "type": "object" } } } })), "401": err, "403": err, "404": err } }
        }
    });
    match v {
        Value::Object(m) => m,
        _ => serde_json::Map::new(),
    }
}
