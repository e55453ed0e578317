//! The onboarding pack (*paquete de bienvenida*): `/c/{slug}/onboarding`, a printable copy at
//! `/c/{slug}/onboarding/print`, and JSON at `/api/v1/communities/{slug}/onboarding`. Everything
//! on it is compiled from the community's data at request time — purpose, goals, the adopted
//! charter, roles and the coming rotation turns, members, the last three events' minutes, the
//! key resources leaders chose, open action items — so it is never edited by hand and never
//! stale. Anyone who may view the community may open it (`communities::load`), and each section
//! is compiled only as far as the reader may read that kind of record on its own page
//! (`tejido_core::visibility`): names of people for signed-in viewers, minutes and action items
//! for members and guests, each key resource by the library's rule. Only managers choose, order
//! and remove key resources.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::{Form, Json};
use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::{json, Value};
use tejido_core::charter::{render_markdown, Section};
use tejido_core::communities::Role;
use tejido_core::page::{Page, PageReq};
use tejido_core::rotation::{self as rule, Candidate, Mode, ROTATING};
use tejido_core::visibility::Record;
use tejido_db::communities::{
    self as communities, Community, MemberOrganization, MemberPerson, RoleHolder,
};
use tejido_db::governance::{Goal, Objective};
use tejido_db::minutes::ActionItem;
use tejido_db::onboarding::{self as store, AddOutcome, KeyResource};
use tejido_db::{DateTime, Utc};

use crate::access::{load, load_manage, Loaded};
use crate::error::AppResult;
use crate::routes::{self as route, Level, Route};
use crate::views::Options;
use crate::views::{html, redirect};
use crate::{AppError, AppState, Ctx};

/// Members of each kind shown on the pack; the members page has the rest.
const MEMBERS_SHOWN: u32 = 12;
/// Open action items shown; the action items page has the rest.
const ITEMS_SHOWN: u32 = 10;
/// Events whose minutes are shown.
const RECENT_MINUTES: i64 = 3;
/// Coming turns shown per rotating role.
const TURNS_SHOWN: usize = 3;
/// Resources offered in the leaders' picker.
const CANDIDATES: i64 = 200;

/// The capability's pages.
pub fn routes() -> Vec<Route> {
    vec![
        route::get("/c/{slug}/onboarding", Level::Viewer, page),
        route::get("/c/{slug}/onboarding/print", Level::Viewer, print),
        route::post(
            "/c/{slug}/onboarding/key-resources",
            Level::Manager,
            add_key,
        ),
        route::post(
            "/c/{slug}/onboarding/key-resources/{id}/up",
            Level::Manager,
            move_key,
        ),
        route::post(
            "/c/{slug}/onboarding/key-resources/{id}/remove",
            Level::Manager,
            remove_key,
        ),
        route::get("/onboarding/print.css", Level::Public, print_css),
    ]
}

/// The JSON API, nested under `/api/v1`.
pub fn api_routes() -> Vec<Route> {
    vec![route::get(
        "/communities/{slug}/onboarding",
        Level::Viewer,
        api_pack,
    )]
}

// ---- compiling the pack ------------------------------------------------------------------------

pub struct GoalView {
    pub goal: Goal,
    pub objectives: Vec<Objective>,
}

pub struct SectionView {
    pub key: &'static str,
    /// Output of [`render_markdown`]: the only HTML the templates insert unescaped.
    pub html: String,
}

pub struct CharterView {
    pub number: i64,
    pub adopted_at: Option<DateTime<Utc>>,
    pub sections: Vec<SectionView>,
}

#[derive(serde::Serialize)]
pub struct TurnView {
    pub name: String,
    pub starts_on: NaiveDate,
    /// The start date as a time, for the locale's date format.
    #[serde(skip)]
    pub at: DateTime<Utc>,
}

pub struct RotationView {
    pub role: Role,
    pub holder: Option<String>,
    pub since: Option<DateTime<Utc>>,
    pub turns: Vec<TurnView>,
}

pub struct MinutesView {
    pub event_id: i64,
    pub title: String,
    pub starts_at: DateTime<Utc>,
    /// Output of [`render_markdown`].
    pub html: String,
    pub summary: String,
}

pub struct Pack {
    /// The reader may see names of members and role holders (`Record::People`); when false the
    /// roles, rotation and members sections are left empty and say why.
    pub show_people: bool,
    /// The reader may read minutes and action items (`Record::Minutes`).
    pub show_minutes: bool,
    pub goals: Vec<GoalView>,
    pub charter: Option<CharterView>,
    pub roles: Vec<RoleHolder>,
    pub rotation: Vec<RotationView>,
    pub orgs: Page<MemberOrganization>,
    pub people: Page<MemberPerson>,
    pub minutes: Vec<MinutesView>,
    pub key: Vec<KeyResource>,
    pub items: Page<ActionItem>,
}

impl Pack {
    /// More members than the pack lists: link to the members page.
    pub fn more_members(&self) -> bool {
        self.orgs.total > self.orgs.items.len() as i64
            || self.people.total > self.people.items.len() as i64
    }
    pub fn more_items(&self) -> bool {
        self.items.total > self.items.items.len() as i64
    }
}

/// An empty first page, for a section the reader may not see.
fn none<T>(per_page: u32) -> Page<T> {
    Page {
        items: vec![],
        page: 1,
        per_page,
        total: 0,
    }
}

fn zone(tz: &str) -> chrono_tz::Tz {
    tz.parse().unwrap_or(chrono_tz::America::Mexico_City)
}

/// The coming turns of each rotating role with a rotation policy, by the same fair rule and
/// pending swaps the rotation page uses (`tejido_core::rotation::schedule`). A fixed number of
/// queries: policies, holders, swaps, and candidates per rotating role.
async fn rotation(s: &AppState, m: &Community) -> AppResult<Vec<RotationView>> {
    use tejido_db::rotation as rot;
    let policies = rot::policies(&s.db, m.id).await?;
    let holders = rot::holders(&s.db, m.id).await?;
    let swaps = rot::pending_swaps(&s.db, m.id).await?;
    let tz = zone(&m.time_zone);
    let today = tejido_db::now().with_timezone(&tz).date_naive();
    let mut out = Vec::new();
    for role in ROTATING {
        let policy = policies.iter().find(|p| p.role == role.as_str());
        let holder = holders.iter().find(|h| h.role == role.as_str());
        let mode = policy.and_then(|p| Mode::parse(&p.mode));
        let candidates = match mode {
            Some(Mode::People) => rot::person_candidates(&s.db, m.id, role).await?,
            Some(Mode::Organizations) => rot::organization_candidates(&s.db, m.id, role).await?,
            _ => vec![],
        };
        let mut turns = vec![];
        if let (Some(p), false) = (policy, candidates.is_empty()) {
            let cands: Vec<Candidate> = candidates
                .iter()
                .map(|c| {
                    let prefs = c.preferences();
                    Candidate {
                        id: c.id,
                        turns: u32::try_from(c.turns).unwrap_or(u32::MAX),
                        last_turn: c.last_turn,
                        opted_out: prefs.opted_out.contains(&role),
                        skills: prefs.skills,
                    }
                })
                .collect();
            let current = holder.and_then(|h| match mode {
                Some(Mode::Organizations) => h.organization_id,
                _ => Some(h.person_id),
            });
            let pending: Vec<(i64, i64)> = swaps
                .iter()
                .filter(|x| x.policy_id == p.id)
                .map(|x| (x.a_id, x.b_id))
                .collect();
            let (ids, _) = rule::schedule(
                &cands,
                p.required_skill.as_deref(),
                current,
                TURNS_SHOWN,
                &pending,
            );
            let term = u32::try_from(p.term_days).unwrap_or(rule::DEFAULT_TERM_DAYS);
            let start = holder.map(|h| h.starts_at.with_timezone(&tz).date_naive());
            let dates = rule::turn_dates(start, today, term, ids.len());
            turns = ids
                .iter()
                .zip(dates)
                .map(|(id, d)| TurnView {
                    name: candidates
                        .iter()
                        .find(|c| c.id == *id)
                        .map(|c| c.name.clone())
                        .unwrap_or_default(),
                    starts_on: d,
                    at: d
                        .and_hms_opt(12, 0, 0)
                        .map(|t| t.and_utc())
                        .unwrap_or_default(),
                })
                .collect();
        }
        if holder.is_none() && turns.is_empty() {
            continue;
        }
        out.push(RotationView {
            role,
            holder: holder.map(|h| match (&mode, &h.organization_name) {
                (Some(Mode::Organizations), Some(o)) => format!("{} ({o})", h.full_name),
                _ => h.full_name.clone(),
            }),
            since: holder.map(|h| h.starts_at),
            turns,
        });
    }
    Ok(out)
}

/// Compiles the pack for this reader: each section only if the reader may read that kind of
/// record on its own page (`tejido_core::visibility`), so the pack never shows more than the
/// pages it summarizes.
async fn compile(s: &AppState, c: &Ctx, l: &Loaded) -> AppResult<Pack> {
    let m = &l.community;
    let show_people = l.may_read(Record::People);
    let show_minutes = l.may_read(Record::Minutes);

    let (goals, objectives) = tejido_db::governance::goals(&s.db, m.id).await?;
    let goals = goals
        .into_iter()
        .map(|g| GoalView {
            objectives: objectives
                .iter()
                .filter(|o| o.goal_id == g.id)
                .cloned()
                .collect(),
            goal: g,
        })
        .collect();
    let charter = tejido_db::charter::load(&s.db, m.id, tejido_db::charter::Which::Adopted)
        .await?
        .map(|ch| CharterView {
            number: ch.version.number,
            adopted_at: ch.version.adopted_at,
            sections: Section::ALL
                .iter()
                .filter_map(|sec| {
                    let body = ch.body(sec.as_str());
                    (!body.trim().is_empty()).then(|| SectionView {
                        key: sec.as_str(),
                        html: render_markdown(body),
                    })
                })
                .collect(),
        });
    let (roles, rotation, orgs, people) = if show_people {
        // Roles with a responsibility, in the catalog's order; plain membership is the members list.
        let mut roles: Vec<RoleHolder> = communities::current_roles(&s.db, m.id)
            .await?
            .into_iter()
            .filter(|h| {
                !matches!(
                    Role::parse(&h.role),
                    Some(Role::Member | Role::Guest) | None
                )
            })
            .collect();
        let order = |r: &str| Role::ALL.iter().position(|x| x.as_str() == r);
        roles.sort_by_key(|h| order(&h.role));
        let rotation = rotation(s, m).await?;
        let members = PageReq::new(Some(1), Some(MEMBERS_SHOWN));
        let orgs = communities::member_organizations(&s.db, m.id, members).await?;
        let people = communities::member_people(&s.db, m.id, members).await?;
        (roles, rotation, orgs, people)
    } else {
        (vec![], vec![], none(MEMBERS_SHOWN), none(MEMBERS_SHOWN))
    };
    let (minutes, items) = if show_minutes {
        let minutes = store::recent_minutes(&s.db, m.id, RECENT_MINUTES)
            .await?
            .into_iter()
            .map(|r| MinutesView {
                event_id: r.event_id,
                title: r.title,
                starts_at: r.starts_at,
                html: render_markdown(&r.summary),
                summary: r.summary,
            })
            .collect();
        let items = tejido_db::minutes::open_items_for_community(
            &s.db,
            m.id,
            PageReq::new(Some(1), Some(ITEMS_SHOWN)),
        )
        .await?;
        (minutes, items)
    } else {
        (vec![], none(ITEMS_SHOWN))
    };
    let key = store::key_resources(&s.db, m.id, c.viewer()).await?;
    Ok(Pack {
        show_people,
        show_minutes,
        goals,
        charter,
        roles,
        rotation,
        orgs,
        people,
        minutes,
        key,
        items,
    })
}

/// A resource kind's label (the search catalog names the library's kinds).
pub fn kind_name(c: &Ctx, kind: &str) -> String {
    let id = format!("search-kind-{kind}");
    if c.state.i18n.has(c.locale, &id) {
        c.t(&id)
    } else {
        kind.to_owned()
    }
}

/// A calendar date in the reader's language (e.g. "3 mar 2026").
pub fn day(c: &Ctx, d: &NaiveDate) -> String {
    d.and_hms_opt(12, 0, 0)
        .map(|t| c.date(&t.and_utc()))
        .unwrap_or_default()
}

// ---- pages -------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "onboarding/page.html")]
struct PackPage {
    c: Ctx,
    m: Community,
    manage: bool,
    p: Pack,
    candidates: Options,
    notice: Option<String>,
}

#[derive(Template)]
#[template(path = "onboarding/print.html")]
struct PrintPage {
    c: Ctx,
    m: Community,
    p: Pack,
    today: DateTime<Utc>,
}

async fn render_page(
    s: &AppState,
    c: Ctx,
    l: Loaded,
    notice: Option<String>,
) -> AppResult<Response> {
    let manage = l.access.manage;
    let p = compile(s, &c, &l).await?;
    let candidates = if manage {
        store::candidates(&s.db, l.community.id, CANDIDATES)
            .await?
            .into_iter()
            .map(|r| {
                let kind = kind_name(&c, &r.kind);
                (r.id.to_string(), format!("{} · {kind}", r.title))
            })
            .collect()
    } else {
        vec![]
    };
    let status = if notice.is_some() {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    } else {
        axum::http::StatusCode::OK
    };
    let mut r = html(&PackPage {
        m: l.community,
        manage,
        p,
        candidates,
        notice,
        c,
    });
    if r.status() == axum::http::StatusCode::OK {
        *r.status_mut() = status;
    }
    Ok(r)
}

async fn page(State(s): State<AppState>, c: Ctx, Path(slug): Path<String>) -> AppResult<Response> {
    let l = load(&s, &c, &slug).await?;
    render_page(&s, c, l, None).await
}

async fn print(State(s): State<AppState>, c: Ctx, Path(slug): Path<String>) -> AppResult<Response> {
    let l = load(&s, &c, &slug).await?;
    let p = compile(&s, &c, &l).await?;
    Ok(html(&PrintPage {
        m: l.community,
        p,
        today: tejido_db::now(),
        c,
    }))
}

/// Print rules for the printable pack: A4 or Letter margins, no navigation, links spelled out.
const PRINT_CSS: &str = "@page{margin:16mm 14mm}
body.print-pack{max-width:48rem;margin:0 auto;padding:16px;font-size:11pt;line-height:1.45}
body.print-pack h1{font-size:1.6rem;margin:0 0 4px}
body.print-pack h2{font-size:1.2rem;margin:20px 0 6px;border-bottom:1px solid #999;padding-bottom:2px}
body.print-pack h3{font-size:1.05rem;margin:12px 0 4px}
body.print-pack section{break-inside:avoid-page}
body.print-pack .screen-only{margin:8px 0 16px}
@media print{body.print-pack{padding:0;max-width:none}body.print-pack .screen-only{display:none}
body.print-pack a{color:inherit;text-decoration:none}h2,h3{break-after:avoid-page}}";

async fn print_css() -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/css; charset=utf-8"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=3600"),
            ),
        ],
        PRINT_CSS,
    )
        .into_response()
}

// ---- key resources (managers) ------------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct KeyForm {
    resource: String,
}

async fn add_key(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Form(f): Form<KeyForm>,
) -> AppResult<Response> {
    let l = load_manage(&s, &c, &slug).await?;
    let Ok(rid) = f.resource.trim().parse::<i64>() else {
        let msg = c.t("onboarding-key-choose");
        return render_page(&s, c, l, Some(msg)).await;
    };
    let mut tx = s.db.begin().await?;
    let outcome = store::add(&mut tx, l.community.id, rid, c.user_id()).await?;
    let msg = match outcome {
        AddOutcome::Added => {
            tejido_db::audit::record(
                &mut tx,
                c.user_id(),
                "onboarding.key_resource.add",
                Some(&slug),
                Some(&rid.to_string()),
            )
            .await?;
            tx.commit().await?;
            return Ok(redirect(&format!("/c/{slug}/onboarding#key-resources")));
        }
        AddOutcome::Already => "onboarding-key-already",
        AddOutcome::NotChoosable => "onboarding-key-not-choosable",
        AddOutcome::Full => "onboarding-key-full",
    };
    drop(tx);
    let msg = c.t(msg);
    render_page(&s, c, l, Some(msg)).await
}

async fn move_key(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    let l = load_manage(&s, &c, &slug).await?;
    let mut tx = s.db.begin().await?;
    if store::move_up(&mut tx, l.community.id, id).await? {
        tejido_db::audit::record(
            &mut tx,
            c.user_id(),
            "onboarding.key_resource.move",
            Some(&slug),
            Some(&id.to_string()),
        )
        .await?;
        tx.commit().await?;
    }
    Ok(redirect(&format!("/c/{slug}/onboarding#key-resources")))
}

async fn remove_key(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    let l = load_manage(&s, &c, &slug).await?;
    let mut tx = s.db.begin().await?;
    if !store::remove(&mut tx, l.community.id, id).await? {
        return Err(AppError::NotFound);
    }
    tejido_db::audit::record(
        &mut tx,
        c.user_id(),
        "onboarding.key_resource.remove",
        Some(&slug),
        Some(&id.to_string()),
    )
    .await?;
    tx.commit().await?;
    Ok(redirect(&format!("/c/{slug}/onboarding#key-resources")))
}

// ---- JSON --------------------------------------------------------------------------------------

async fn api_pack(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
) -> AppResult<Json<Value>> {
    let l = load(&s, &c, &slug).await?;
    let p = compile(&s, &c, &l).await?;
    let m = &l.community;
    let withheld: Vec<&str> = [
        (!p.show_people).then_some("roles"),
        (!p.show_people).then_some("rotation"),
        (!p.show_people).then_some("members"),
        (!p.show_minutes).then_some("recent_minutes"),
        (!p.show_minutes).then_some("open_action_items"),
    ]
    .into_iter()
    .flatten()
    .collect();
    Ok(Json(json!({
        "community": { "slug": m.slug, "name": m.name, "purpose": m.purpose, "mission": m.mission, "vision": m.vision, "phase": m.phase },
        "goals": p.goals.iter().map(|g| json!({ "goal": g.goal, "objectives": g.objectives })).collect::<Vec<_>>(),
        "charter": p.charter.as_ref().map(|ch| json!({
            "number": ch.number, "adopted_at": ch.adopted_at,
            "sections": ch.sections.iter().map(|x| json!({ "section": x.key, "html": x.html })).collect::<Vec<_>>(),
        })),
        "roles": p.roles,
        "rotation": p.rotation.iter().map(|r| json!({ "role": r.role.as_str(), "holder": r.holder, "since": r.since, "upcoming": r.turns })).collect::<Vec<_>>(),
        "members": {
            "organizations": { "total": p.orgs.total, "items": p.orgs.items },
            "people": { "total": p.people.total, "items": p.people.items },
            "url": m.members_url(),
        },
        "recent_minutes": p.minutes.iter().map(|x| json!({
            "event_id": x.event_id, "title": x.title, "starts_at": x.starts_at, "summary": x.summary,
            "url": format!("/c/{}/events/{}/minutes", m.slug, x.event_id),
        })).collect::<Vec<_>>(),
        "key_resources": p.key.iter().map(|k| json!({
            "resource_id": k.resource_id, "title": k.title, "kind": k.kind, "visibility": k.visibility,
            "position": k.position, "url": format!("/library/{}", k.resource_id),
        })).collect::<Vec<_>>(),
        "open_action_items": { "total": p.items.total, "items": p.items.items },
        // Sections left empty because the caller may not read them on their own pages.
        "withheld": withheld,
    })))
}

/// This capability's entries for the OpenAPI document's `paths` object.
pub fn openapi_paths() -> serde_json::Map<String, serde_json::Value> {
    let err = json!({ "$ref": "#/components/responses/Error" });
    let slug =
        json!({ "name": "slug", "in": "path", "required": true, "schema": { "type": "string" } });
    let v = json!({
        "/communities/{slug}/onboarding": { "parameters": [slug],
            "get": {
                "summary": "The community's onboarding pack, compiled from its data: purpose, goals and objectives, the adopted charter (sanitized HTML), roles and the coming rotation turns, members (first 12 of each kind, with totals), the last three events' published minutes, the key resources leaders chose and open action items. Anyone who may view the community; each section only as far as the caller may read it on its own page (names of people need a signed-in caller, minutes and action items a member or guest, resources their own rule). `withheld` names the sections left empty for that reason.",
                "responses": {
                    "200": { "description": "The pack", "content": { "application/json": { "schema": { "type": "object" } } } },
                    "401": err, "403": err, "404": err
                }
            }
        }
    });
    match v {
        Value::Object(m) => m,
        _ => serde_json::Map::new(),
    }
}
