//! The participatory agenda of an event (the seed's Step 4: members take the agenda over from the
//! convener). Members propose topics and vote with a fixed number of dots (results hidden until
//! voting closes, except to those who manage the community); leaders, co-leaders, conveners and
//! admins build the agenda from the proposals — crediting the proposer — and confirm or swap the
//! event roles proposed from the community's rotation. The local ownership index of the
//! community's events is shown as a trend drawn on the server (`/c/{slug}/ownership`, and
//! [`trend_svg`] for other pages). Pages under `/c/{slug}/events/{id}/agenda…` and
//! `…/roles…`; JSON under `/api/v1/communities/{slug}/events/{id}/agenda…` and
//! `/api/v1/communities/{slug}/ownership`.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Form, Json};
use chrono::{DateTime, NaiveTime, TimeZone, Utc};
use serde_json::{json, Value};
use tejido_core::agenda::{self as rules, Methodology, SlotForm, TopicForm, EVENT_ROLES};
use tejido_core::communities::Role;
use tejido_core::events::EventStatus;
use tejido_core::ownership as own;
use tejido_core::rotation::{self as rot, Candidate, Mode, HORIZON};
use tejido_core::FieldErrors;
use tejido_db::agenda::{self as store, EventRole, Facilitator, Item, NewItem, Topic};
use tejido_db::communities::Community;
use tejido_db::events::Event;

use crate::access::{load, Loaded};
use crate::error::AppResult;
use crate::extract::ApiJson;
use crate::ownership::{ownership, svg_for, EventOwnership};
use crate::routes::{self as route, Level, Route};
use crate::views::Options;
use crate::views::{html, html_invalid, redirect};
use crate::{AppError, AppState, Ctx};

/// The capability's pages.
pub fn routes() -> Vec<Route> {
    vec![
        route::get("/c/{slug}/events/{id}/agenda", Level::Viewer, agenda_page),
        route::post(
            "/c/{slug}/events/{id}/agenda/topics",
            Level::Viewer,
            topic_post,
        ),
        route::post(
            "/c/{slug}/events/{id}/agenda/topics/{topic}/withdraw",
            Level::Viewer,
            withdraw_post,
        ),
        route::post(
            "/c/{slug}/events/{id}/agenda/votes",
            Level::Viewer,
            votes_post,
        ),
        route::post(
            "/c/{slug}/events/{id}/agenda/items",
            Level::Manager,
            item_post,
        ),
        route::get(
            "/c/{slug}/events/{id}/agenda/items/{item}/delete",
            Level::Manager,
            item_delete_ask,
        ),
        route::post(
            "/c/{slug}/events/{id}/agenda/items/{item}/delete",
            Level::Manager,
            item_delete_post,
        ),
        route::get("/c/{slug}/events/{id}/roles", Level::Viewer, roles_page),
        route::post(
            "/c/{slug}/events/{id}/roles/propose",
            Level::Manager,
            roles_propose_post,
        ),
        route::post(
            "/c/{slug}/events/{id}/roles/{role}",
            Level::Manager,
            role_post,
        ),
        route::get("/c/{slug}/ownership", Level::Viewer, ownership_page),
    ]
}

/// The JSON API, nested under `/api/v1`.
pub fn api_routes() -> Vec<Route> {
    vec![
        route::get(
            "/communities/{slug}/events/{id}/agenda",
            Level::Viewer,
            api_agenda,
        ),
        route::post(
            "/communities/{slug}/events/{id}/agenda/topics",
            Level::Viewer,
            api_topic,
        ),
        route::post(
            "/communities/{slug}/events/{id}/agenda/votes",
            Level::Viewer,
            api_votes,
        ),
        route::post(
            "/communities/{slug}/events/{id}/agenda/items",
            Level::Manager,
            api_item,
        ),
        route::get(
            "/communities/{slug}/events/{id}/agenda/roles",
            Level::Viewer,
            api_roles,
        ),
        route::post(
            "/communities/{slug}/events/{id}/agenda/roles/propose",
            Level::Manager,
            api_roles_propose,
        ),
        route::post(
            "/communities/{slug}/events/{id}/agenda/roles/{role}",
            Level::Manager,
            api_role,
        ),
        route::get(
            "/communities/{slug}/ownership",
            Level::Viewer,
            api_ownership,
        ),
    ]
}

// ---- who may do what ----------------------------------------------------------------------------

/// A signed-in viewer of the community and one of its events.
struct Scope {
    l: Loaded,
    event: Event,
}

async fn scope(s: &AppState, c: &Ctx, slug: &str, id: i64) -> AppResult<Scope> {
    c.require_user()?;
    let l = load(s, c, slug).await?;
    let event = tejido_db::events::get(&s.db, l.community.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Scope { l, event })
}

async fn managed(s: &AppState, c: &Ctx, slug: &str, id: i64) -> AppResult<Scope> {
    let sc = scope(s, c, slug, id).await?;
    if !sc.l.access.manage {
        return Err(AppError::Forbidden);
    }
    Ok(sc)
}

/// The viewer's person when they are a current member (not a guest) or manage the community:
/// those who may propose and vote. `None` otherwise.
async fn member_person(s: &AppState, c: &Ctx, l: &Loaded) -> AppResult<Option<i64>> {
    let Some(pid) = c.user.as_ref().and_then(|u| u.person_id) else {
        return Ok(None);
    };
    let (member, roles) = tejido_db::communities::standing(&s.db, l.community.id, pid).await?;
    let guest_only = !roles.is_empty() && roles.iter().all(|r| *r == Role::Guest);
    Ok((l.access.manage || (member && !guest_only)).then_some(pid))
}

async fn require_member(s: &AppState, c: &Ctx, l: &Loaded) -> AppResult<i64> {
    member_person(s, c, l).await?.ok_or(AppError::Forbidden)
}

fn zone(tz: &str) -> chrono_tz::Tz {
    tz.parse().unwrap_or(chrono_tz::America::Mexico_City)
}

// ---- the board: topics, results, agenda ---------------------------------------------------------

/// A proposal as shown: its result only when results are visible.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TopicView {
    #[serde(flatten)]
    pub t: Topic,
    pub dots: Option<i64>,
    pub voters: Option<i64>,
    /// Dots the viewer gave it.
    pub mine: i64,
    /// Already on the agenda.
    pub scheduled: bool,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct ItemView {
    #[serde(flatten)]
    pub i: Item,
    pub facilitators: Vec<Facilitator>,
}

struct Board {
    topics: Vec<TopicView>,
    items: Vec<ItemView>,
    voting_open: bool,
    results_visible: bool,
    voters: Option<i64>,
    budget: i64,
    used: i64,
}

/// Topic voting belongs to an event still ahead: not once it is held or cancelled.
fn voting_active(e: &Event) -> bool {
    e.status != EventStatus::Held.as_str() && e.status != EventStatus::Cancelled.as_str()
}

async fn board(s: &AppState, sc: &Scope, me: Option<i64>) -> AppResult<Board> {
    let e = &sc.event;
    let now = tejido_db::now();
    let active = voting_active(e);
    let voting_open = rules::voting_open(e.voting_closes_at, e.starts_at, active, now);
    let results_visible = rules::results_visible(
        sc.l.access.manage,
        e.voting_closes_at,
        e.starts_at,
        active,
        now,
    );
    let topics = store::topics(&s.db, e.id).await?;
    let ballot = match me {
        Some(p) => store::ballot(&s.db, e.id, p).await?,
        None => vec![],
    };
    let items = store::items(&s.db, e.id).await?;
    let facs = store::facilitators(&s.db, e.id).await?;
    let ids: Vec<i64> = topics.iter().map(|t| t.id).collect();
    let (order, voters) = if results_visible {
        let votes = store::votes(&s.db, e.id).await?;
        (
            rules::tally(&ids, &votes),
            Some(store::voter_count(&s.db, e.id).await?),
        )
    } else {
        (rules::tally(&ids, &[]), None)
    };
    let mut by_id: Vec<Option<Topic>> = topics.into_iter().map(Some).collect();
    let mut views = Vec::with_capacity(order.len());
    // Results visible: the tally's order; hidden: oldest first, so no order gives results away.
    let mut order = order;
    if !results_visible {
        order.sort_by_key(|t| t.topic_id);
    }
    for tl in order {
        let Some(pos) = ids.iter().position(|x| *x == tl.topic_id) else {
            continue;
        };
        let Some(t) = by_id.get_mut(pos).and_then(Option::take) else {
            continue;
        };
        views.push(TopicView {
            mine: ballot
                .iter()
                .find(|(x, _)| *x == t.id)
                .map_or(0, |(_, d)| *d),
            scheduled: items.iter().any(|i| i.topic_id == Some(t.id)),
            dots: results_visible.then_some(tl.dots),
            voters: results_visible.then_some(tl.voters),
            t,
        });
    }
    let items = items
        .into_iter()
        .map(|i| ItemView {
            facilitators: facs.iter().filter(|f| f.item_id == i.id).cloned().collect(),
            i,
        })
        .collect();
    Ok(Board {
        topics: views,
        items,
        voting_open,
        results_visible,
        voters,
        budget: i64::from(e.dots_per_member),
        used: ballot.iter().map(|(_, d)| *d).sum(),
    })
}

fn methodology_options(c: &Ctx) -> Options {
    Methodology::ALL
        .iter()
        .map(|m| (m.as_str().to_owned(), c.label("agenda-method", m.as_str())))
        .collect()
}

#[derive(Default)]
struct Forms {
    topic: TopicForm,
    topic_errors: FieldErrors,
    vote_errors: FieldErrors,
    slot: SlotForm,
    slot_errors: FieldErrors,
}

#[derive(Template)]
#[template(path = "agenda/page.html")]
struct Page {
    c: Ctx,
    m: Community,
    e: Event,
    manage: bool,
    me: Option<i64>,
    b: Board,
    fm: Forms,
    methods: Options,
    people: Options,
    topic_options: Options,
}

impl Page {
    fn hm(&self, at: &DateTime<Utc>) -> String {
        at.with_timezone(&zone(&self.e.time_zone))
            .format("%H:%M")
            .to_string()
    }
    fn day(&self, at: &DateTime<Utc>) -> String {
        self.c.date_in(at, &self.e.time_zone)
    }
    fn when(&self, at: &DateTime<Utc>) -> String {
        self.c.tr().datetime(at, &self.e.time_zone)
    }
    fn method_label(&self, m: &str) -> String {
        self.c.label("agenda-method", m)
    }
    fn opt_method_label(&self, m: &Option<String>) -> String {
        m.as_deref()
            .map(|m| self.c.label("agenda-method", m))
            .unwrap_or_default()
    }
    fn names(&self, f: &[Facilitator]) -> String {
        f.iter()
            .map(|x| x.full_name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
    fn mine(&self, t: &TopicView) -> String {
        if t.mine > 0 {
            t.mine.to_string()
        } else {
            String::new()
        }
    }
    fn can_withdraw(&self, t: &TopicView) -> bool {
        self.manage || self.me == Some(t.t.proposed_by)
    }
    fn left(&self) -> i64 {
        (self.b.budget - self.b.used).max(0)
    }
}

async fn render(
    s: &AppState,
    c: Ctx,
    sc: Scope,
    mut fm: Forms,
    invalid: bool,
) -> AppResult<Response> {
    let me = member_person(s, &c, &sc.l).await?;
    let b = board(s, &sc, me).await?;
    let manage = sc.l.access.manage;
    let people = if manage {
        store::members(&s.db, sc.l.community.id)
            .await?
            .into_iter()
            .map(|(id, n)| (id.to_string(), n))
            .collect()
    } else {
        vec![]
    };
    if fm.slot.date.is_empty() {
        fm.slot.date = sc
            .event
            .starts_at
            .with_timezone(&zone(&sc.event.time_zone))
            .format("%Y-%m-%d")
            .to_string();
    }
    let topic_options = b
        .topics
        .iter()
        .map(|t| (t.t.id.to_string(), t.t.title.clone()))
        .collect();
    let page = Page {
        methods: methodology_options(&c),
        c,
        m: sc.l.community,
        e: sc.event,
        manage,
        me,
        b,
        fm,
        people,
        topic_options,
    };
    Ok(if invalid {
        html_invalid(&page)
    } else {
        html(&page)
    })
}

fn agenda_url(slug: &str, id: i64) -> String {
    format!("/c/{slug}/events/{id}/agenda")
}

// ---- use cases shared by pages and API ----------------------------------------------------------

async fn save_topic(
    s: &AppState,
    c: &Ctx,
    sc: &Scope,
    person: i64,
    input: &rules::TopicInput,
) -> AppResult<i64> {
    let mut tx = s.db.begin().await?;
    if store::topic_count(&mut tx, sc.event.id).await? >= rules::MAX_TOPICS {
        return Err(AppError::Validation(FieldErrors::single(
            "title",
            "agenda-error-too-many-topics",
        )));
    }
    let id = store::insert_topic(&mut tx, sc.event.id, person, input).await?;
    tejido_db::audit::record(
        &mut tx,
        c.user_id(),
        "agenda-topic-proposed",
        Some(&sc.l.community.slug),
        Some(&input.title),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Checks and stores a whole ballot; nothing is written when it is refused.
async fn save_ballot(
    s: &AppState,
    c: &Ctx,
    sc: &Scope,
    person: i64,
    lines: &[(i64, i64)],
) -> AppResult<Result<Vec<(i64, i64)>, FieldErrors>> {
    let e = &sc.event;
    if !rules::voting_open(
        e.voting_closes_at,
        e.starts_at,
        voting_active(e),
        tejido_db::now(),
    ) {
        return Ok(Err(FieldErrors::single(
            "votes",
            "agenda-error-voting-closed",
        )));
    }
    let open: Vec<i64> = store::topics(&s.db, e.id)
        .await?
        .iter()
        .map(|t| t.id)
        .collect();
    let lines = match rules::check_ballot(lines, &open, i64::from(e.dots_per_member)) {
        Ok(l) => l,
        Err(err) => return Ok(Err(err)),
    };
    let mut tx = s.db.begin().await?;
    store::replace_ballot(&mut tx, e.id, person, &lines).await?;
    let total: i64 = lines.iter().map(|(_, d)| *d).sum();
    tejido_db::audit::record(
        &mut tx,
        c.user_id(),
        "agenda-voted",
        Some(&sc.l.community.slug),
        Some(&format!("{} · {total}", e.id)),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(lines))
}

/// Parses and checks a slot against the event (topic, members, local times) and stores it.
async fn save_item(
    s: &AppState,
    c: &Ctx,
    sc: &Scope,
    form: &SlotForm,
) -> AppResult<Result<i64, FieldErrors>> {
    let input = match form.parse() {
        Ok(i) => i,
        Err(e) => return Ok(Err(e)),
    };
    let mut errors = FieldErrors::new();
    let topic = match input.topic_id {
        Some(t) => {
            let found = store::topic(&s.db, sc.event.id, t).await?;
            if found.is_none() {
                errors.add("topic_id", "error-invalid-choice");
            }
            found
        }
        None => None,
    };
    if !input.facilitators.is_empty() {
        let members = store::members(&s.db, sc.l.community.id).await?;
        for (i, f) in input.facilitators.iter().enumerate() {
            if !members.iter().any(|(id, _)| id == f) {
                errors.add(
                    if i == 0 {
                        "facilitator"
                    } else {
                        "co_facilitator"
                    },
                    "agenda-error-not-member",
                );
            }
        }
    }
    let tz = zone(&sc.event.time_zone);
    let utc = |t: NaiveTime| -> Option<DateTime<Utc>> {
        tz.from_local_datetime(&input.date.and_time(t))
            .earliest()
            .map(|d| d.with_timezone(&Utc))
    };
    let starts = utc(input.starts);
    let ends = utc(input.ends);
    if starts.is_none() {
        errors.add("starts_at", "agenda-error-time");
    }
    if ends.is_none() {
        errors.add("ends_at", "agenda-error-time");
    }
    let (Some(starts_at), Some(ends_at)) = (starts, ends) else {
        return Ok(Err(errors));
    };
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    let title = input
        .title
        .clone()
        .or_else(|| topic.as_ref().map(|t| t.title.clone()))
        .unwrap_or_default();
    let mut tx = s.db.begin().await?;
    if store::item_count(&mut tx, sc.event.id).await? >= tejido_core::agenda::MAX_ITEMS {
        return Ok(Err(FieldErrors::single(
            "title",
            "agenda-error-too-many-items",
        )));
    }
    let id = store::insert_item(
        &mut tx,
        sc.event.id,
        &NewItem {
            topic_id: input.topic_id,
            title: &title,
            starts_at,
            ends_at,
            methodology: input.methodology,
            open_space: input.open_space,
            facilitators: &input.facilitators,
        },
        c.user_id(),
    )
    .await?;
    tejido_db::audit::record(
        &mut tx,
        c.user_id(),
        "agenda-item-added",
        Some(&sc.l.community.slug),
        Some(&title),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(id))
}

// ---- pages: the agenda ----------------------------------------------------------------------------

async fn agenda_page(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    let sc = scope(&s, &c, &slug, id).await?;
    render(&s, c, sc, Forms::default(), false).await
}

async fn topic_post(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Form(form): Form<TopicForm>,
) -> AppResult<Response> {
    let sc = scope(&s, &c, &slug, id).await?;
    let person = require_member(&s, &c, &sc.l).await?;
    let res = match form.parse() {
        Ok(input) => match save_topic(&s, &c, &sc, person, &input).await {
            Ok(_) => return Ok(redirect(&format!("{}#topics", agenda_url(&slug, id)))),
            Err(AppError::Validation(e)) => e,
            Err(e) => return Err(e),
        },
        Err(e) => e,
    };
    let fm = Forms {
        topic: form,
        topic_errors: res,
        ..Default::default()
    };
    render(&s, c, sc, fm, true).await
}

async fn withdraw_post(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id, topic)): Path<(String, i64, i64)>,
) -> AppResult<Response> {
    let sc = scope(&s, &c, &slug, id).await?;
    let t = store::topic(&s.db, id, topic)
        .await?
        .ok_or(AppError::NotFound)?;
    let me = member_person(&s, &c, &sc.l).await?;
    if !(sc.l.access.manage || me == Some(t.proposed_by)) {
        return Err(AppError::Forbidden);
    }
    let mut tx = s.db.begin().await?;
    store::withdraw_topic(&mut tx, id, topic).await?;
    tejido_db::audit::record(
        &mut tx,
        c.user_id(),
        "agenda-topic-withdrawn",
        Some(&slug),
        Some(&t.title),
    )
    .await?;
    tx.commit().await?;
    Ok(redirect(&format!("{}#topics", agenda_url(&slug, id))))
}

async fn votes_post(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let sc = scope(&s, &c, &slug, id).await?;
    let person = require_member(&s, &c, &sc.l).await?;
    let errors = match rules::ballot_from_fields(&fields) {
        Ok(lines) => match save_ballot(&s, &c, &sc, person, &lines).await? {
            Ok(_) => return Ok(redirect(&format!("{}#vote", agenda_url(&slug, id)))),
            Err(e) => e,
        },
        Err(e) => e,
    };
    let fm = Forms {
        vote_errors: errors,
        ..Default::default()
    };
    render(&s, c, sc, fm, true).await
}

async fn item_post(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Form(form): Form<SlotForm>,
) -> AppResult<Response> {
    let sc = managed(&s, &c, &slug, id).await?;
    match save_item(&s, &c, &sc, &form).await? {
        Ok(_) => Ok(redirect(&format!("{}#agenda", agenda_url(&slug, id)))),
        Err(e) => {
            let fm = Forms {
                slot: form,
                slot_errors: e,
                ..Default::default()
            };
            render(&s, c, sc, fm, true).await
        }
    }
}

/// Asks before an item leaves the agenda.
async fn item_delete_ask(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id, item)): Path<(String, i64, i64)>,
) -> AppResult<Response> {
    managed(&s, &c, &slug, id).await?;
    let it = store::items(&s.db, id)
        .await?
        .into_iter()
        .find(|i| i.id == item)
        .ok_or(AppError::NotFound)?;
    Ok(crate::views::confirm(
        c.t1("agenda-item-delete-question", "name", &it.title),
        c.t("agenda-item-delete-note"),
        format!("/c/{slug}/events/{id}/agenda/items/{item}/delete"),
        vec![],
        c.t("confirm-remove"),
        format!("/c/{slug}/events/{id}/agenda"),
        c,
    ))
}

async fn item_delete_post(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id, item)): Path<(String, i64, i64)>,
) -> AppResult<Response> {
    managed(&s, &c, &slug, id).await?;
    let mut tx = s.db.begin().await?;
    if !store::delete_item(&mut tx, id, item).await? {
        return Err(AppError::NotFound);
    }
    tejido_db::audit::record(
        &mut tx,
        c.user_id(),
        "agenda-item-removed",
        Some(&slug),
        Some(&item.to_string()),
    )
    .await?;
    tx.commit().await?;
    Ok(redirect(&format!("{}#agenda", agenda_url(&slug, id))))
}

// ---- event roles ----------------------------------------------------------------------------------

/// The next turns (person ids) of each event role in the community's rotation: the role's policy
/// (people by default; organizations through each organization's representative; continuity
/// keeps the current holder), pending swaps included. A fixed number of queries.
async fn upcoming(s: &AppState, m: &Community) -> AppResult<Vec<Vec<i64>>> {
    use tejido_db::rotation as rs;
    let policies = rs::policies(&s.db, m.id).await?;
    let holders = rs::holders(&s.db, m.id).await?;
    let swaps = rs::pending_swaps(&s.db, m.id).await?;
    let mut out = Vec::with_capacity(EVENT_ROLES.len());
    for role in EVENT_ROLES {
        let policy = policies.iter().find(|p| p.role == role.as_str());
        let mode = policy
            .and_then(|p| Mode::parse(&p.mode))
            .unwrap_or(Mode::People);
        let holder = holders.iter().find(|h| h.role == role.as_str());
        let pending: Vec<(i64, i64)> = policy
            .map(|p| {
                swaps
                    .iter()
                    .filter(|x| x.policy_id == p.id)
                    .map(|x| (x.a_id, x.b_id))
                    .collect()
            })
            .unwrap_or_default();
        let skill = policy.and_then(|p| p.required_skill.as_deref());
        let turns = match mode {
            Mode::Continuity => holder.map(|h| vec![h.person_id]).unwrap_or_default(),
            Mode::People => {
                let cands = candidates(&rs::person_candidates(&s.db, m.id, role).await?, role);
                rot::next_turns(
                    &cands,
                    skill,
                    holder.map(|h| h.person_id),
                    HORIZON,
                    &pending,
                )
            }
            Mode::Organizations => {
                let cands =
                    candidates(&rs::organization_candidates(&s.db, m.id, role).await?, role);
                let orgs = rot::next_turns(
                    &cands,
                    skill,
                    holder.and_then(|h| h.organization_id),
                    EVENT_ROLES.len(),
                    &pending,
                );
                let mut people = Vec::with_capacity(orgs.len());
                // At most three organizations per role: bounded.
                for o in orgs {
                    if let Some(p) = rs::representative(&s.db, m.id, o, role).await? {
                        people.push(p);
                    }
                }
                people
            }
        };
        out.push(turns);
    }
    Ok(out)
}

fn candidates(rows: &[tejido_db::rotation::CandidateRow], role: Role) -> Vec<Candidate> {
    rows.iter()
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
        .collect()
}

/// Records the rotation's proposals for the roles no leader confirmed yet.
async fn propose_from_rotation(s: &AppState, c: &Ctx, sc: &Scope) -> AppResult<usize> {
    let turns = upcoming(s, &sc.l.community).await?;
    let picks = rules::propose_roles(&turns);
    let mut tx = s.db.begin().await?;
    let mut n = 0;
    for (role, pick) in EVENT_ROLES.iter().zip(picks) {
        if let Some(p) = pick {
            if store::propose_role(&mut tx, sc.event.id, *role, p).await? {
                n += 1;
            }
        }
    }
    tejido_db::audit::record(
        &mut tx,
        c.user_id(),
        "agenda-roles-proposed",
        Some(&sc.l.community.slug),
        Some(&format!("{} · {n}", sc.event.id)),
    )
    .await?;
    tx.commit().await?;
    Ok(n)
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct RoleForm {
    pub person_id: String,
}

/// Confirms (or swaps) a role's holder; the holder must be a current member.
async fn confirm(
    s: &AppState,
    c: &Ctx,
    sc: &Scope,
    role: &str,
    form: &RoleForm,
) -> AppResult<Result<(), FieldErrors>> {
    let role = Role::parse(role)
        .filter(|r| rules::is_event_role(*r))
        .ok_or(AppError::NotFound)?;
    let members = store::members(&s.db, sc.l.community.id).await?;
    let Some((pid, name)) = form
        .person_id
        .trim()
        .parse::<i64>()
        .ok()
        .and_then(|p| members.into_iter().find(|(id, _)| *id == p))
    else {
        return Ok(Err(FieldErrors::single(
            "person_id",
            "agenda-error-not-member",
        )));
    };
    let before = store::roles(&s.db, sc.event.id).await?;
    let previous = before
        .iter()
        .find(|r| r.role == role.as_str())
        .map(|r| r.full_name.clone());
    let mut tx = s.db.begin().await?;
    store::confirm_role(&mut tx, sc.event.id, role, pid, c.user_id()).await?;
    let swapped = previous.as_deref().is_some_and(|p| p != name);
    let detail = match &previous {
        Some(p) if swapped => format!("{}: {p} → {name}", role.as_str()),
        _ => format!("{}: {name}", role.as_str()),
    };
    tejido_db::audit::record(
        &mut tx,
        c.user_id(),
        if swapped {
            "agenda-role-swapped"
        } else {
            "agenda-role-confirmed"
        },
        Some(&sc.l.community.slug),
        Some(&detail),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(()))
}

/// An event role as shown: who holds it, and who the rotation proposes next.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RoleView {
    pub role: &'static str,
    pub holder: Option<EventRole>,
    pub rotation_next: Option<i64>,
    pub rotation_next_name: Option<String>,
}

async fn role_views(s: &AppState, sc: &Scope) -> AppResult<(Vec<RoleView>, Vec<(i64, String)>)> {
    let held = store::roles(&s.db, sc.event.id).await?;
    let turns = upcoming(s, &sc.l.community).await?;
    let picks = rules::propose_roles(&turns);
    let members = store::members(&s.db, sc.l.community.id).await?;
    let views = EVENT_ROLES
        .iter()
        .zip(picks)
        .map(|(r, pick)| RoleView {
            role: r.as_str(),
            holder: held.iter().find(|h| h.role == r.as_str()).cloned(),
            rotation_next: pick,
            rotation_next_name: pick
                .and_then(|p| members.iter().find(|(id, _)| *id == p))
                .map(|(_, n)| n.clone()),
        })
        .collect();
    Ok((views, members))
}

#[derive(Template)]
#[template(path = "agenda/roles.html")]
struct RolesPage {
    c: Ctx,
    m: Community,
    e: Event,
    manage: bool,
    roles: Vec<RoleView>,
    people: Options,
    failed: Option<String>,
    errors: FieldErrors,
}

impl RolesPage {
    fn selected(&self, r: &RoleView) -> String {
        r.holder
            .as_ref()
            .map(|h| h.person_id)
            .or(r.rotation_next)
            .map(|p| p.to_string())
            .unwrap_or_default()
    }
    fn errors_for(&self, r: &RoleView) -> FieldErrors {
        if self.failed.as_deref() == Some(r.role) {
            self.errors.clone()
        } else {
            FieldErrors::new()
        }
    }
    fn when(&self, at: &DateTime<Utc>) -> String {
        self.c.tr().datetime(at, &self.e.time_zone)
    }
}

async fn render_roles(
    s: &AppState,
    c: Ctx,
    sc: Scope,
    failed: Option<String>,
    errors: FieldErrors,
) -> AppResult<Response> {
    let (roles, members) = role_views(s, &sc).await?;
    let invalid = !errors.is_empty();
    let page = RolesPage {
        c,
        m: sc.l.community,
        e: sc.event,
        manage: sc.l.access.manage,
        roles,
        people: members
            .into_iter()
            .map(|(id, n)| (id.to_string(), n))
            .collect(),
        failed,
        errors,
    };
    Ok(if invalid {
        html_invalid(&page)
    } else {
        html(&page)
    })
}

async fn roles_page(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    let sc = scope(&s, &c, &slug, id).await?;
    render_roles(&s, c, sc, None, FieldErrors::new()).await
}

async fn roles_propose_post(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    let sc = managed(&s, &c, &slug, id).await?;
    propose_from_rotation(&s, &c, &sc).await?;
    Ok(redirect(&format!("/c/{slug}/events/{id}/roles")))
}

async fn role_post(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id, role)): Path<(String, i64, String)>,
    Form(form): Form<RoleForm>,
) -> AppResult<Response> {
    let sc = managed(&s, &c, &slug, id).await?;
    match confirm(&s, &c, &sc, &role, &form).await? {
        Ok(()) => Ok(redirect(&format!("/c/{slug}/events/{id}/roles"))),
        Err(e) => render_roles(&s, c, sc, Some(role), e).await,
    }
}

// ---- ownership index ------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "agenda/ownership.html")]
struct OwnershipPage {
    c: Ctx,
    m: Community,
    rows: Vec<EventOwnership>,
    svg: String,
    trend: Option<i64>,
}

impl OwnershipPage {
    fn share(&self, s: &own::Share) -> String {
        match s.percent() {
            Some(p) => self.c.t2(
                "ownership-share",
                "percent",
                &p.to_string(),
                "detail",
                &format!("{}/{}", s.part, s.whole),
            ),
            None => self.c.t("ownership-not-measured"),
        }
    }
    fn index_text(&self, i: &Option<u32>) -> String {
        i.map(|v| v.to_string())
            .unwrap_or_else(|| self.c.t("ownership-not-measured"))
    }
    fn hosted(&self, h: &Option<bool>) -> String {
        match h {
            Some(true) => self.c.t("ownership-yes"),
            Some(false) => self.c.t("ownership-no"),
            None => self.c.t("ownership-not-measured"),
        }
    }
    fn evenness(&self, e: &Option<f64>) -> String {
        e.map(|v| format!("{:.2}", v))
            .unwrap_or_else(|| self.c.t("ownership-not-measured"))
    }
    fn staff(&self, e: &Option<f64>) -> String {
        e.map(|v| format!("{:.1}", v)).unwrap_or_else(|| "—".into())
    }
    fn trend_text(&self) -> String {
        match self.trend {
            Some(d) if d > 0 => self.c.t1("ownership-trend-up", "points", &d.to_string()),
            Some(d) if d < 0 => self
                .c
                .t1("ownership-trend-down", "points", &(-d).to_string()),
            Some(_) => self.c.t("ownership-trend-flat"),
            None => self.c.t("ownership-trend-none"),
        }
    }
}

async fn ownership_page(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    c.require_user()?;
    let l = load(&s, &c, &slug).await?;
    let rows = ownership(&s, &l.community).await?;
    let svg = svg_for(&c.tr(), &l.community, &rows)?;
    let trend = own::trend(&rows.iter().map(|r| r.index).collect::<Vec<_>>());
    Ok(html(&OwnershipPage {
        c,
        m: l.community,
        rows,
        svg,
        trend,
    }))
}

// ---- JSON API -------------------------------------------------------------------------------------

async fn agenda_json(s: &AppState, c: &Ctx, sc: &Scope) -> AppResult<Value> {
    let me = member_person(s, c, &sc.l).await?;
    let b = board(s, sc, me).await?;
    let mine: Vec<Value> = b
        .topics
        .iter()
        .filter(|t| t.mine > 0)
        .map(|t| json!({ "topic_id": t.t.id, "dots": t.mine }))
        .collect();
    Ok(json!({
        "event_id": sc.event.id,
        "dots_per_member": b.budget,
        "voting_closes_at": sc.event.voting_closes_at,
        "voting_open": b.voting_open,
        "results_visible": b.results_visible,
        "voters": b.voters,
        "my_ballot": mine,
        "dots_left": (b.budget - b.used).max(0),
        "topics": b.topics,
        "items": b.items,
    }))
}

async fn api_agenda(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Json<Value>> {
    let sc = scope(&s, &c, &slug, id).await?;
    Ok(Json(agenda_json(&s, &c, &sc).await?))
}

async fn api_topic(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    ApiJson(form): ApiJson<TopicForm>,
) -> AppResult<Response> {
    let sc = scope(&s, &c, &slug, id).await?;
    let person = require_member(&s, &c, &sc.l).await?;
    let input = form.parse().map_err(AppError::Validation)?;
    let tid = save_topic(&s, &c, &sc, person, &input).await?;
    Ok((StatusCode::CREATED, Json(json!({ "id": tid }))).into_response())
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct BallotJson {
    votes: Vec<BallotLine>,
}

#[derive(Debug, Default, serde::Deserialize)]
struct BallotLine {
    topic_id: i64,
    dots: i64,
}

async fn api_votes(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    ApiJson(body): ApiJson<BallotJson>,
) -> AppResult<Json<Value>> {
    let sc = scope(&s, &c, &slug, id).await?;
    let person = require_member(&s, &c, &sc.l).await?;
    let lines: Vec<(i64, i64)> = body.votes.iter().map(|v| (v.topic_id, v.dots)).collect();
    let saved = save_ballot(&s, &c, &sc, person, &lines)
        .await?
        .map_err(AppError::Validation)?;
    let used: i64 = saved.iter().map(|(_, d)| *d).sum();
    Ok(Json(json!({
        "ballot": saved.iter().map(|(t, d)| json!({ "topic_id": t, "dots": d })).collect::<Vec<_>>(),
        "dots_left": (i64::from(sc.event.dots_per_member) - used).max(0),
    })))
}

async fn api_item(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    ApiJson(form): ApiJson<SlotForm>,
) -> AppResult<Response> {
    let sc = managed(&s, &c, &slug, id).await?;
    let iid = save_item(&s, &c, &sc, &form)
        .await?
        .map_err(AppError::Validation)?;
    Ok((StatusCode::CREATED, Json(json!({ "id": iid }))).into_response())
}

async fn api_roles(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Json<Value>> {
    let sc = scope(&s, &c, &slug, id).await?;
    let (roles, _) = role_views(&s, &sc).await?;
    Ok(Json(json!({ "roles": roles })))
}

async fn api_roles_propose(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Json<Value>> {
    let sc = managed(&s, &c, &slug, id).await?;
    let n = propose_from_rotation(&s, &c, &sc).await?;
    let (roles, _) = role_views(&s, &sc).await?;
    Ok(Json(json!({ "proposed": n, "roles": roles })))
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct RoleJson {
    person_id: i64,
}

async fn api_role(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id, role)): Path<(String, i64, String)>,
    ApiJson(body): ApiJson<RoleJson>,
) -> AppResult<Json<Value>> {
    let sc = managed(&s, &c, &slug, id).await?;
    let form = RoleForm {
        person_id: body.person_id.to_string(),
    };
    confirm(&s, &c, &sc, &role, &form)
        .await?
        .map_err(AppError::Validation)?;
    let (roles, _) = role_views(&s, &sc).await?;
    Ok(Json(json!({ "roles": roles })))
}

async fn api_ownership(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let l = load(&s, &c, &slug).await?;
    let rows = ownership(&s, &l.community).await?;
    let trend = own::trend(&rows.iter().map(|r| r.index).collect::<Vec<_>>());
    Ok(Json(json!({ "events": rows, "trend": trend })))
}

/// This capability's entries for the OpenAPI document's `paths` object.
pub fn openapi_paths() -> serde_json::Map<String, Value> {
    let err = json!({ "$ref": "#/components/responses/Error" });
    let slug =
        json!({ "name": "slug", "in": "path", "required": true, "schema": { "type": "string" } });
    let id = json!({ "name": "id", "in": "path", "required": true, "schema": { "type": "integer" }, "description": "The event" });
    let role = json!({ "name": "role", "in": "path", "required": true, "schema": { "type": "string", "enum": EVENT_ROLES.iter().map(|r| r.as_str()).collect::<Vec<_>>() } });
    let obj = |props: Value, required: Value| json!({ "required": true, "content": { "application/json": { "schema": { "type": "object", "required": required, "properties": props } } } });
    let created = json!({ "description": "Created", "content": { "application/json": { "schema": { "type": "object", "properties": { "id": { "type": "integer" } } } } } });
    let ok = json!({ "description": "OK", "content": { "application/json": { "schema": { "type": "object" } } } });
    let methods: Vec<&str> = Methodology::ALL.iter().map(|m| m.as_str()).collect();
    let mut m = serde_json::Map::new();
    m.insert("/communities/{slug}/events/{id}/agenda".into(), json!({ "parameters": [slug, id], "get": {
        "summary": "Topic proposals (dot results only once voting closed, or to those who manage), my ballot, the agenda with facilitators and credited proposers",
        "responses": { "200": ok, "401": err, "403": err, "404": err } } }));
    m.insert("/communities/{slug}/events/{id}/agenda/topics".into(), json!({ "parameters": [slug, id], "post": {
        "summary": "Propose a topic (members)",
        "requestBody": obj(json!({ "title": { "type": "string" }, "why": { "type": "string" }, "methodology": { "type": "string", "enum": methods } }), json!(["title", "why"])),
        "responses": { "201": created, "401": err, "403": err, "404": err, "422": err } } }));
    m.insert("/communities/{slug}/events/{id}/agenda/votes".into(), json!({ "parameters": [slug, id], "post": {
        "summary": "Replace my ballot: dots spread or stacked over topics, within the event's dots per member; refused whole when over budget or after voting closed",
        "requestBody": obj(json!({ "votes": { "type": "array", "items": { "type": "object", "required": ["topic_id", "dots"], "properties": { "topic_id": { "type": "integer" }, "dots": { "type": "integer", "minimum": 0 } } } } }), json!(["votes"])),
        "responses": { "200": ok, "401": err, "403": err, "404": err, "422": err } } }));
    m.insert("/communities/{slug}/events/{id}/agenda/items".into(), json!({ "parameters": [slug, id], "post": {
        "summary": "Add an agenda slot (leaders, co-leaders, conveners): from a proposal (its proposer credited), a titled slot, or an open-space slot for topics raised on the day. Local date and times in the event's time zone",
        "requestBody": obj(json!({ "topic_id": { "type": "string" }, "title": { "type": "string" }, "date": { "type": "string", "format": "date" },
            "starts_at": { "type": "string", "example": "10:00" }, "ends_at": { "type": "string", "example": "11:30" },
            "methodology": { "type": "string", "enum": methods }, "facilitator": { "type": "string", "description": "person id" },
            "co_facilitator": { "type": "string", "description": "person id" }, "open_space": { "type": "string", "enum": ["", "true"] } }),
            json!(["date", "starts_at", "ends_at"])),
        "responses": { "201": created, "401": err, "403": err, "404": err, "422": err } } }));
    m.insert("/communities/{slug}/events/{id}/agenda/roles".into(), json!({ "parameters": [slug, id], "get": {
        "summary": "The event's facilitator, rapporteur and timekeeper, and who the community's rotation proposes next",
        "responses": { "200": ok, "401": err, "403": err, "404": err } } }));
    m.insert("/communities/{slug}/events/{id}/agenda/roles/propose".into(), json!({ "parameters": [slug, id], "post": {
        "summary": "Propose the roles not yet confirmed from the community's rotation (leaders, co-leaders, conveners)",
        "responses": { "200": ok, "401": err, "403": err, "404": err } } }));
    m.insert(
        "/communities/{slug}/events/{id}/agenda/roles/{role}".into(),
        json!({ "parameters": [slug, id, role], "post": {
        "summary": "Confirm a role's holder, or swap in another member (recorded)",
        "requestBody": obj(json!({ "person_id": { "type": "integer" } }), json!(["person_id"])),
        "responses": { "200": ok, "401": err, "403": err, "404": err, "422": err } } }),
    );
    m.insert("/communities/{slug}/ownership".into(), json!({ "parameters": [slug], "get": {
        "summary": "Local ownership index of the community's latest events (oldest first) with its components, and the trend",
        "responses": { "200": ok, "401": err, "403": err, "404": err } } }));
    m
}
