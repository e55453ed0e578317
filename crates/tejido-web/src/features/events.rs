//! Events (the seed's Steps 4 and 5): meetings, workshops, site visits, study tours, webinars,
//! side-events and debriefs; registration (by the person, a manager, or a colleague of the same
//! organization) and attendance with the organization and position level at the time; which staff
//! of each organization attended; certificates of participation with a public verification page;
//! sharing by link, e-mail, WhatsApp and Telegram; iCalendar feeds; day-before reminders.
//!
//! The online-meeting link is shown only to people registered for the event, to the community's
//! managers and to admins: never in feeds, shared pages, invitations, reminders or to anyone else
//! through the API. [`link_visible`] is the one rule.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Form, Json};
use chrono::{DateTime, Utc};
use serde_json::{json, Value};
use tejido_core::events::{
    self as rules, Attendance, EventForm, EventInput, EventKind, EventMode, EventStatus, IcsEvent,
};
use tejido_core::page::{Page, PageReq};
use tejido_core::FieldErrors;
use tejido_db::communities::Community;
use tejido_db::events::{self as store, Certificate, Event, Registered, Registration};

use crate::access::{load, Loaded};
use crate::error::AppResult;
use crate::extract::ApiJson;
use crate::i18n::{I18n, Tr};
use crate::respond::page_json;
use crate::routes::{self as route, Level, Route};
use crate::views::Options;
use crate::views::{html, html_invalid, redirect, urlencode, Pager};
use crate::{AppError, AppState, Ctx};

/// The capability's pages.
pub fn routes() -> Vec<Route> {
    vec![
        route::get("/c/{slug}/events", Level::Viewer, list_page),
        route::post("/c/{slug}/events", Level::Manager, create),
        route::get("/c/{slug}/events/new", Level::Manager, new_page),
        route::get(
            "/c/{slug}/events/participation",
            Level::Viewer,
            participation_page,
        ),
        route::get("/c/{slug}/events.ics", Level::Viewer, community_ics),
        route::get("/c/{slug}/events/{id}", Level::Viewer, show_page),
        route::get("/c/{slug}/events/{id}/edit", Level::Manager, edit_page),
        route::post("/c/{slug}/events/{id}/edit", Level::Manager, update),
        route::post("/c/{slug}/events/{id}/register", Level::Viewer, register),
        route::post(
            "/c/{slug}/events/{id}/unregister",
            Level::Viewer,
            unregister,
        ),
        route::post("/c/{slug}/events/{id}/invite", Level::Viewer, invite),
        route::get(
            "/c/{slug}/events/{id}/attendance",
            Level::Manager,
            attendance_page,
        ),
        route::post(
            "/c/{slug}/events/{id}/attendance",
            Level::Manager,
            take_attendance,
        ),
        route::get(
            "/c/{slug}/events/{id}/certificate/{person}",
            Level::Viewer,
            certificate_page,
        ),
        route::get("/c/{slug}/events/{id}/event.ics", Level::Viewer, event_ics),
        route::get("/calendar/{file}", Level::Public, personal_ics),
        route::get("/account/calendar", Level::Account, calendar_page),
        route::post("/account/calendar", Level::Account, reset_calendar),
        route::get("/verify", Level::Public, verify_form),
        route::get("/verify/{code}", Level::Public, verify_page),
    ]
}

/// The JSON API, nested under `/api/v1`.
pub fn api_routes() -> Vec<Route> {
    vec![
        route::get("/communities/{slug}/events", Level::Viewer, api_list),
        route::post("/communities/{slug}/events", Level::Manager, api_create),
        route::get("/communities/{slug}/events/{id}", Level::Viewer, api_show),
        route::put(
            "/communities/{slug}/events/{id}",
            Level::Manager,
            api_update,
        ),
        route::get(
            "/communities/{slug}/events/{id}/registrations",
            Level::Viewer,
            api_registrations,
        ),
        route::post(
            "/communities/{slug}/events/{id}/registrations",
            Level::Viewer,
            api_register,
        ),
        route::delete(
            "/communities/{slug}/events/{id}/registrations/{person}",
            Level::Viewer,
            api_unregister,
        ),
        route::put(
            "/communities/{slug}/events/{id}/attendance",
            Level::Manager,
            api_attendance,
        ),
    ]
}

/// Registrations per page on the attendance page and in the API.
const REG_PER_PAGE: u32 = 100;

// ---- rules and helpers ------------------------------------------------------------------------------

fn zone(name: &str) -> chrono_tz::Tz {
    name.parse().unwrap_or(chrono_tz::America::Mexico_City)
}

/// Everything a handler knows about the viewer and one event.
struct Viewer {
    person: Option<i64>,
    /// A current member of the community (as a person or through an organization).
    member: bool,
    registered: bool,
}

async fn viewer(s: &AppState, c: &Ctx, l: &Loaded, event: Option<&Event>) -> AppResult<Viewer> {
    let person = c.user.as_ref().and_then(|u| u.person_id);
    let (member, registered) = match person {
        Some(p) => (
            store::eligible(&s.db, l.community.id, p).await?,
            match event {
                Some(e) => store::is_registered(&s.db, e.id, p).await?,
                None => false,
            },
        ),
        None => (false, false),
    };
    Ok(Viewer {
        person,
        member,
        registered,
    })
}

/// The one rule for the online link: registered people, managers and admins (admins manage).
fn link_visible(l: &Loaded, v: &Viewer) -> bool {
    l.access.manage || v.registered
}

async fn event_of(s: &AppState, l: &Loaded, id: i64) -> AppResult<Event> {
    store::get(&s.db, l.community.id, id)
        .await?
        .ok_or(AppError::NotFound)
}

async fn managed(s: &AppState, c: &Ctx, slug: &str) -> AppResult<Loaded> {
    c.require_user()?;
    let l = load(s, c, slug).await?;
    if !l.access.manage {
        return Err(AppError::Forbidden);
    }
    Ok(l)
}

fn kind_options(c: &Ctx) -> Options {
    EventKind::ALL
        .iter()
        .map(|k| (k.as_str().to_owned(), c.label("events-kind", k.as_str())))
        .collect()
}

fn mode_options(c: &Ctx) -> Options {
    EventMode::ALL
        .iter()
        .map(|k| (k.as_str().to_owned(), c.label("events-mode", k.as_str())))
        .collect()
}

fn status_options(c: &Ctx) -> Options {
    EventStatus::ALL
        .iter()
        .map(|k| (k.as_str().to_owned(), c.label("events-status", k.as_str())))
        .collect()
}

fn form_of(e: &Event) -> EventForm {
    let tz = zone(&e.time_zone);
    EventForm {
        title: e.title.clone(),
        description: e.description.clone().unwrap_or_default(),
        kind: e.kind.clone(),
        mode: e.mode.clone(),
        starts_at: rules::local_input(&e.starts_at, &tz),
        ends_at: rules::local_input(&e.ends_at, &tz),
        venue: e.venue.clone().unwrap_or_default(),
        city: e.city.clone().unwrap_or_default(),
        state_code: e.state_code.clone().unwrap_or_default(),
        online_link: e.online_link.clone().unwrap_or_default(),
        host_organization_id: e
            .host_organization_id
            .map(|i| i.to_string())
            .unwrap_or_default(),
        scheduled_around: e.scheduled_around.clone().unwrap_or_default(),
        status: e.status.clone(),
        capacity: e.capacity.map(|i| i.to_string()).unwrap_or_default(),
        dots_per_member: e.dots_per_member.to_string(),
        voting_closes_at: e
            .voting_closes_at
            .map(|t| rules::local_input(&t, &tz))
            .unwrap_or_default(),
    }
}

/// Parses an event form in the community's time zone (or the event's, when editing).
fn parse_form(form: &EventForm, tz_name: &str) -> Result<EventInput, FieldErrors> {
    let input = form.parse(&zone(tz_name), tz_name)?;
    if rules::held_too_early(&input, tejido_db::now()) {
        return Err(FieldErrors::single(
            "status",
            "events-error-held-before-start",
        ));
    }
    Ok(input)
}

/// Where an event happens, for display and calendars (never the online link).
fn place(e: &Event) -> Option<String> {
    let state = e
        .state_code
        .as_deref()
        .and_then(tejido_core::directory::state_name);
    let parts: Vec<&str> = [e.venue.as_deref(), e.city.as_deref(), state]
        .into_iter()
        .flatten()
        .collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}

fn event_url(s: &AppState, slug: &str, id: i64) -> String {
    format!("{}/c/{slug}/events/{id}", s.config.base_url)
}

/// An event as JSON: the online link only when `with_link`.
fn event_json(e: &Event, with_link: bool, registered: i64) -> Value {
    let mut v = json!(e);
    if let Some(o) = v.as_object_mut() {
        o.insert("registered".into(), json!(registered));
        if with_link {
            o.insert("online_link".into(), json!(e.online_link));
        }
    }
    v
}

fn ics_response(body: String, filename: &str) -> Response {
    let disp = HeaderValue::from_str(&format!("inline; filename=\"{filename}\""))
        .unwrap_or_else(|_| HeaderValue::from_static("inline"));
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/calendar; charset=utf-8"),
            ),
            (header::CONTENT_DISPOSITION, disp),
        ],
        body,
    )
        .into_response()
}

fn ics_event(s: &AppState, slug: &str, e: &Event) -> IcsEvent {
    let host = s
        .config
        .base_url
        .split("://")
        .nth(1)
        .unwrap_or("tejido")
        .to_owned();
    let url = event_url(s, slug, e.id);
    IcsEvent {
        uid: format!("event-{}@{host}", e.id),
        starts_at: e.starts_at,
        ends_at: e.ends_at,
        updated_at: e.updated_at,
        summary: e.title.clone(),
        description: Some(match &e.description {
            Some(d) => format!("{d}\n\n{url}"),
            None => url.clone(),
        }),
        location: place(e),
        url: Some(url),
        status: EventStatus::parse(&e.status).unwrap_or(EventStatus::Planned),
    }
}

/// Feeds show events from this long ago on.
fn feed_since() -> DateTime<Utc> {
    tejido_db::now() - chrono::Duration::days(90)
}

// ---- use cases shared by pages and API --------------------------------------------------------------

async fn save_event(
    s: &AppState,
    c: &Ctx,
    l: &Loaded,
    id: Option<i64>,
    input: &EventInput,
) -> AppResult<i64> {
    if let Some(org) = input.host_organization_id {
        if store::organization_name(&s.db, org).await?.is_none() {
            return Err(AppError::Validation(FieldErrors::single(
                "host_organization_id",
                "error-invalid-choice",
            )));
        }
    }
    let mut tx = s.db.begin().await?;
    let (id, action) = match id {
        None => (
            store::insert(&mut tx, l.community.id, input, c.user_id()).await?,
            "event-created",
        ),
        Some(id) => {
            if !store::update(&mut tx, l.community.id, id, input).await? {
                return Err(AppError::NotFound);
            }
            (id, "event-updated")
        }
    };
    tejido_db::audit::record(
        &mut tx,
        c.user_id(),
        action,
        Some(&l.community.slug),
        Some(&input.title),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Who is being (un)registered: the viewer, or — for managers and for colleagues of the same
/// organization — someone else. Refuses people outside the community.
async fn target_person(
    s: &AppState,
    c: &Ctx,
    l: &Loaded,
    v: &Viewer,
    requested: Option<i64>,
) -> AppResult<i64> {
    c.require_user()?;
    let target = match (requested, v.person) {
        (Some(p), _) => p,
        (None, Some(p)) => p,
        (None, None) => return Err(AppError::BadRequest("person")),
    };
    if Some(target) != v.person && !l.access.manage {
        // An organization registers its own staff: a colleague may do it.
        let mine = match v.person {
            Some(p) => store::person_organization(&s.db, p).await?,
            None => None,
        };
        let theirs = store::person_organization(&s.db, target).await?;
        if mine.is_none() || mine != theirs || !v.member {
            return Err(AppError::Forbidden);
        }
    }
    if !store::eligible(&s.db, l.community.id, target).await? {
        return Err(if Some(target) == v.person {
            AppError::Forbidden
        } else {
            AppError::BadRequest("person")
        });
    }
    Ok(target)
}

async fn do_register(
    s: &AppState,
    c: &Ctx,
    l: &Loaded,
    e: &Event,
    person: i64,
) -> AppResult<Registered> {
    if e.status == EventStatus::Cancelled.as_str() {
        return Err(AppError::BadRequest("cancelled"));
    }
    let mut tx = s.db.begin().await?;
    let r = store::register(&mut tx, e.id, e.capacity, person, c.user_id()).await?;
    if r == Registered::New {
        tejido_db::audit::record(
            &mut tx,
            c.user_id(),
            "event-registered",
            Some(&l.community.slug),
            Some(&format!("{} · {person}", e.title)),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(r)
}

async fn do_unregister(
    s: &AppState,
    c: &Ctx,
    l: &Loaded,
    e: &Event,
    person: i64,
) -> AppResult<bool> {
    let mut tx = s.db.begin().await?;
    let done = store::unregister(&mut tx, e.id, person).await?;
    if done {
        tejido_db::audit::record(
            &mut tx,
            c.user_id(),
            "event-unregistered",
            Some(&l.community.slug),
            Some(&format!("{} · {person}", e.title)),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(done)
}

fn new_code() -> String {
    use rand::RngCore;
    let mut b = [0u8; 10];
    rand::rngs::OsRng.fill_bytes(&mut b);
    rules::certificate_code(b)
}

async fn do_attendance(
    s: &AppState,
    c: &Ctx,
    l: &Loaded,
    e: &Event,
    marks: &[(i64, Attendance)],
) -> AppResult<u64> {
    let mut tx = s.db.begin().await?;
    let n = store::set_attendance(&mut tx, e.id, marks).await?;
    let issued = store::issue_certificates(&mut tx, e.id, new_code).await?;
    tejido_db::audit::record(
        &mut tx,
        c.user_id(),
        "event-attendance-taken",
        Some(&l.community.slug),
        Some(&format!("{} · {n} · {issued}", e.title)),
    )
    .await?;
    tx.commit().await?;
    Ok(n)
}

// ---- list, create, edit -------------------------------------------------------------------------------

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct ListParams {
    page: Option<u32>,
    /// `past` for past events; upcoming otherwise.
    when: Option<String>,
}

impl ListParams {
    fn past(&self) -> bool {
        self.when.as_deref() == Some("past")
    }
}

#[derive(Template)]
#[template(path = "events/list.html")]
struct ListPage {
    c: Ctx,
    m: Community,
    manage: bool,
    past: bool,
    events: Page<Event>,
    pager: Pager,
    form: EventForm,
    errors: FieldErrors,
    kinds: Options,
    modes: Options,
    statuses: Options,
    states: Options,
    hosts: Options,
}

impl ListPage {
    fn when(&self, e: &Event) -> String {
        self.c.tr().datetime(&e.starts_at, &e.time_zone)
    }
    fn place(&self, e: &Event) -> String {
        place(e).unwrap_or_default()
    }
}

async fn host_options(s: &AppState, id: i64) -> AppResult<Options> {
    Ok(store::host_options(&s.db, id)
        .await?
        .into_iter()
        .map(|(i, n)| (i.to_string(), n))
        .collect())
}

async fn render_list(
    s: &AppState,
    c: Ctx,
    l: Loaded,
    q: &ListParams,
    form: EventForm,
    errors: FieldErrors,
) -> AppResult<Response> {
    let past = q.past();
    let events = store::list(
        &s.db,
        l.community.id,
        !past,
        tejido_db::now(),
        PageReq::new(q.page, None),
    )
    .await?;
    let base = if past {
        format!("/c/{}/events?when=past", l.community.slug)
    } else {
        format!("/c/{}/events", l.community.slug)
    };
    let invalid = !errors.is_empty();
    let page = ListPage {
        pager: Pager::new(&events, &base),
        kinds: kind_options(&c),
        modes: mode_options(&c),
        statuses: status_options(&c),
        states: crate::views::state_options(),
        hosts: if l.access.manage {
            host_options(s, l.community.id).await?
        } else {
            vec![]
        },
        c,
        manage: l.access.manage,
        m: l.community,
        past,
        events,
        form,
        errors,
    };
    Ok(if invalid {
        html_invalid(&page)
    } else {
        html(&page)
    })
}

async fn list_page(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<ListParams>,
) -> AppResult<Response> {
    let l = load(&s, &c, &slug).await?;
    let form = EventForm {
        kind: "meeting".into(),
        mode: "in-person".into(),
        ..Default::default()
    };
    render_list(&s, c, l, &q, form, FieldErrors::new()).await
}

#[derive(Template)]
#[template(path = "events/form.html")]
struct FormPage {
    c: Ctx,
    m: Community,
    editing: Option<Event>,
    form: EventForm,
    errors: FieldErrors,
    kinds: Options,
    modes: Options,
    statuses: Options,
    states: Options,
    hosts: Options,
}

impl FormPage {
    fn action(&self) -> String {
        match &self.editing {
            Some(e) => format!("/c/{}/events/{}/edit", self.m.slug, e.id),
            None => format!("/c/{}/events", self.m.slug),
        }
    }
}

async fn form_page(
    s: &AppState,
    c: Ctx,
    l: Loaded,
    editing: Option<Event>,
    form: EventForm,
    errors: FieldErrors,
) -> AppResult<Response> {
    let invalid = !errors.is_empty();
    let page = FormPage {
        kinds: kind_options(&c),
        modes: mode_options(&c),
        statuses: status_options(&c),
        states: crate::views::state_options(),
        hosts: host_options(s, l.community.id).await?,
        c,
        m: l.community,
        editing,
        form,
        errors,
    };
    Ok(if invalid {
        html_invalid(&page)
    } else {
        html(&page)
    })
}

async fn new_page(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let l = managed(&s, &c, &slug).await?;
    let form = EventForm {
        kind: "meeting".into(),
        mode: "in-person".into(),
        status: "planned".into(),
        ..Default::default()
    };
    form_page(&s, c, l, None, form, FieldErrors::new()).await
}

async fn create(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Form(form): Form<EventForm>,
) -> AppResult<Response> {
    let l = managed(&s, &c, &slug).await?;
    let tz = l.community.time_zone.clone();
    let result = match parse_form(&form, &tz) {
        Ok(input) => save_event(&s, &c, &l, None, &input).await,
        Err(e) => Err(AppError::Validation(e)),
    };
    match result {
        Ok(id) => Ok(redirect(&format!("/c/{slug}/events/{id}"))),
        Err(AppError::Validation(e)) => form_page(&s, c, l, None, form, e).await,
        Err(e) => Err(e),
    }
}

async fn edit_page(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    let l = managed(&s, &c, &slug).await?;
    let e = event_of(&s, &l, id).await?;
    let form = form_of(&e);
    form_page(&s, c, l, Some(e), form, FieldErrors::new()).await
}

async fn update(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Form(form): Form<EventForm>,
) -> AppResult<Response> {
    let l = managed(&s, &c, &slug).await?;
    let e = event_of(&s, &l, id).await?;
    let result = match parse_form(&form, &e.time_zone) {
        Ok(input) => save_event(&s, &c, &l, Some(id), &input).await,
        Err(err) => Err(AppError::Validation(err)),
    };
    match result {
        Ok(_) => Ok(redirect(&format!("/c/{slug}/events/{id}"))),
        Err(AppError::Validation(err)) => form_page(&s, c, l, Some(e), form, err).await,
        Err(err) => Err(err),
    }
}

// ---- detail, registration, sharing --------------------------------------------------------------------

#[derive(Template)]
#[template(path = "events/show.html")]
struct ShowPage {
    c: Ctx,
    m: Community,
    manage: bool,
    e: Event,
    host: Option<String>,
    /// The online link, only when the viewer may see it.
    link: Option<String>,
    member: bool,
    registered: bool,
    registrations: Option<Page<Registration>>,
    /// People the viewer may register (managers: the community; staff: their colleagues).
    registrable: Options,
    url: String,
    invite_email: String,
    invite_errors: FieldErrors,
    invited: bool,
    /// Polls about this event (members only).
    polls: Vec<tejido_db::polls::Poll>,
}

impl ShowPage {
    fn when(&self) -> String {
        let tr = self.c.tr();
        format!(
            "{} – {}",
            tr.datetime(&self.e.starts_at, &self.e.time_zone),
            tr.datetime(&self.e.ends_at, &self.e.time_zone)
        )
    }
    fn place(&self) -> String {
        place(&self.e).unwrap_or_default()
    }
    fn whatsapp(&self) -> String {
        format!(
            "https://wa.me/?text={}",
            urlencode(&format!("{} {}", self.e.title, self.url)).replace('/', "%2F")
        )
    }
    fn telegram(&self) -> String {
        format!(
            "https://t.me/share/url?url={}&text={}",
            urlencode(&self.url).replace('/', "%2F"),
            urlencode(&self.e.title).replace('/', "%2F")
        )
    }
    fn open(&self) -> bool {
        self.e.status != "cancelled"
    }
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct PersonField {
    person_id: String,
}

impl PersonField {
    fn parse(&self) -> AppResult<Option<i64>> {
        match self.person_id.trim() {
            "" => Ok(None),
            v => v
                .parse()
                .map(Some)
                .map_err(|_| AppError::BadRequest("person")),
        }
    }
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct InviteForm {
    email: String,
}

async fn render_show(
    s: &AppState,
    c: Ctx,
    l: Loaded,
    e: Event,
    invite: (String, FieldErrors, bool),
) -> AppResult<Response> {
    let v = viewer(s, &c, &l, Some(&e)).await?;
    let link = if link_visible(&l, &v) {
        e.online_link.clone()
    } else {
        None
    };
    let host = match e.host_organization_id {
        Some(o) => store::organization_name(&s.db, o).await?,
        None => None,
    };
    // Who registered is for the community's members, not for visitors of a public page.
    let registrations = if l.access.manage || v.member {
        Some(store::registrations(&s.db, e.id, PageReq::new(Some(1), Some(REG_PER_PAGE))).await?)
    } else {
        None
    };
    let registrable = if l.access.manage {
        store::registrable(&s.db, l.community.id, None).await?
    } else if v.member {
        match v.person {
            Some(p) => match store::person_organization(&s.db, p).await? {
                Some(org) => store::registrable(&s.db, l.community.id, Some(org)).await?,
                None => vec![],
            },
            None => vec![],
        }
    } else {
        vec![]
    };
    let polls = if l.access.manage || v.member {
        tejido_db::polls::polls_for_event(&s.db, e.id).await?
    } else {
        vec![]
    };
    let invalid = !invite.1.is_empty();
    let page = ShowPage {
        polls,
        url: event_url(s, &l.community.slug, e.id),
        c,
        manage: l.access.manage,
        m: l.community,
        e,
        host,
        link,
        member: v.member,
        registered: v.registered,
        registrations,
        registrable: registrable
            .into_iter()
            .map(|(i, n)| (i.to_string(), n))
            .collect(),
        invite_email: invite.0,
        invite_errors: invite.1,
        invited: invite.2,
    };
    Ok(if invalid {
        html_invalid(&page)
    } else {
        html(&page)
    })
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct ShowParams {
    invited: Option<String>,
}

async fn show_page(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Query(q): Query<ShowParams>,
) -> AppResult<Response> {
    let l = load(&s, &c, &slug).await?;
    let e = event_of(&s, &l, id).await?;
    let invited = q.invited.is_some();
    render_show(&s, c, l, e, (String::new(), FieldErrors::new(), invited)).await
}

async fn register(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Form(f): Form<PersonField>,
) -> AppResult<Response> {
    c.require_user()?;
    let l = load(&s, &c, &slug).await?;
    let e = event_of(&s, &l, id).await?;
    let v = viewer(&s, &c, &l, Some(&e)).await?;
    let person = target_person(&s, &c, &l, &v, f.parse()?).await?;
    match do_register(&s, &c, &l, &e, person).await? {
        Registered::Full => Err(AppError::BadRequest("full")),
        _ => Ok(redirect(&format!("/c/{slug}/events/{id}"))),
    }
}

async fn unregister(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Form(f): Form<PersonField>,
) -> AppResult<Response> {
    c.require_user()?;
    let l = load(&s, &c, &slug).await?;
    let e = event_of(&s, &l, id).await?;
    let v = viewer(&s, &c, &l, Some(&e)).await?;
    let person = target_person(&s, &c, &l, &v, f.parse()?).await?;
    do_unregister(&s, &c, &l, &e, person).await?;
    Ok(redirect(&format!("/c/{slug}/events/{id}")))
}

/// The invitation text: what the event is, when and where, and its page — never the link.
fn invitation_text(tr: &Tr<'_>, e: &Event, community: &str, url: &str) -> (String, String) {
    let subject = tr.t1("events-mail-invite-subject", "title", &e.title);
    let mut body = tr.t2(
        "events-mail-invite-body",
        "community",
        community,
        "title",
        &e.title,
    );
    body.push_str("\n\n");
    body.push_str(&tr.datetime(&e.starts_at, &e.time_zone));
    if let Some(p) = place(e) {
        body.push_str(&format!("\n{p}"));
    }
    body.push_str(&format!("\n\n{url}\n"));
    (subject, body)
}

async fn invite(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Form(f): Form<InviteForm>,
) -> AppResult<Response> {
    c.require_user()?;
    let l = load(&s, &c, &slug).await?;
    let e = event_of(&s, &l, id).await?;
    let v = viewer(&s, &c, &l, Some(&e)).await?;
    if !(l.access.manage || v.member) {
        return Err(AppError::Forbidden);
    }
    let email = match tejido_core::accounts::Email::parse(&f.email) {
        Some(m) => m,
        None => {
            let errors = FieldErrors::single("email", "error-email");
            return render_show(&s, c, l, e, (f.email, errors, false)).await;
        }
    };
    let url = event_url(&s, &slug, e.id);
    let (subject, body) = invitation_text(&c.tr(), &e, &l.community.name, &url);
    let mut tx = s.db.begin().await?;
    tejido_db::outbox::enqueue(&mut tx, &email.0, &subject, &body).await?;
    tejido_db::audit::record(
        &mut tx,
        c.user_id(),
        "event-invitation-sent",
        Some(&l.community.slug),
        Some(&e.title),
    )
    .await?;
    tx.commit().await?;
    Ok(redirect(&format!("/c/{slug}/events/{id}?invited=1")))
}

// ---- attendance and participation ---------------------------------------------------------------------

#[derive(Template)]
#[template(path = "events/attendance.html")]
struct AttendancePage {
    c: Ctx,
    m: Community,
    e: Event,
    regs: Page<Registration>,
    pager: Pager,
    error: bool,
}

impl AttendancePage {
    fn marks(&self) -> &'static [Attendance] {
        Attendance::ALL
    }
    fn checked(&self, r: &Registration, a: &Attendance) -> bool {
        r.attendance.as_deref() == Some(a.as_str())
    }
}

async fn render_attendance(
    s: &AppState,
    c: Ctx,
    l: Loaded,
    e: Event,
    page: Option<u32>,
    error: bool,
) -> AppResult<Response> {
    let regs = store::registrations(&s.db, e.id, PageReq::new(page, Some(REG_PER_PAGE))).await?;
    let pager = Pager::new(
        &regs,
        &format!("/c/{}/events/{}/attendance", l.community.slug, e.id),
    );
    let p = AttendancePage {
        c,
        m: l.community,
        e,
        regs,
        pager,
        error,
    };
    Ok(if error { html_invalid(&p) } else { html(&p) })
}

async fn attendance_page(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Query(q): Query<ListParams>,
) -> AppResult<Response> {
    let l = managed(&s, &c, &slug).await?;
    let e = event_of(&s, &l, id).await?;
    render_attendance(&s, c, l, e, q.page, false).await
}

/// Reads `a-{person id}` = present / remote / absent fields; anything else is refused.
fn parse_marks(fields: &[(String, String)]) -> Option<Vec<(i64, Attendance)>> {
    let mut out = vec![];
    for (k, v) in fields {
        let Some(id) = k.strip_prefix("a-") else {
            continue;
        };
        if v.is_empty() {
            continue;
        }
        out.push((id.parse().ok()?, Attendance::parse(v)?));
    }
    Some(out)
}

async fn take_attendance(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let l = managed(&s, &c, &slug).await?;
    let e = event_of(&s, &l, id).await?;
    match parse_marks(&fields) {
        Some(marks) => {
            do_attendance(&s, &c, &l, &e, &marks).await?;
            Ok(redirect(&format!("/c/{slug}/events/{id}/attendance")))
        }
        None => render_attendance(&s, c, l, e, None, true).await,
    }
}

#[derive(Template)]
#[template(path = "events/participation.html")]
struct ParticipationPage {
    c: Ctx,
    m: Community,
    rows: Page<store::StaffAttendance>,
    pager: Pager,
}

impl ParticipationPage {
    /// True when this row starts a new organization (rows come grouped by organization).
    fn starts_group(&self, i: &usize) -> bool {
        *i == 0
            || self.rows.items.get(*i - 1).map(|r| r.organization_id)
                != self.rows.items.get(*i).map(|r| r.organization_id)
    }
    fn when(&self, r: &store::StaffAttendance) -> String {
        self.c.date_in(&r.starts_at, &self.m.time_zone)
    }
}

async fn participation_page(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<ListParams>,
) -> AppResult<Response> {
    c.require_user()?;
    let l = load(&s, &c, &slug).await?;
    let v = viewer(&s, &c, &l, None).await?;
    if !(l.access.manage || v.member) {
        return Err(AppError::Forbidden);
    }
    let rows =
        store::staff_by_organization(&s.db, l.community.id, PageReq::new(q.page, Some(50))).await?;
    let pager = Pager::new(&rows, &format!("/c/{slug}/events/participation"));
    Ok(html(&ParticipationPage {
        c,
        m: l.community,
        rows,
        pager,
    }))
}

// ---- certificates -------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "events/certificate.html")]
struct CertificatePage {
    c: Ctx,
    x: Certificate,
    verify_url: String,
}

impl CertificatePage {
    fn date(&self) -> String {
        self.c.date_in(&self.x.starts_at, &self.x.time_zone)
    }
}

async fn certificate_page(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id, person)): Path<(String, i64, i64)>,
) -> AppResult<Response> {
    c.require_user()?;
    let l = load(&s, &c, &slug).await?;
    let own = c.user.as_ref().and_then(|u| u.person_id) == Some(person);
    if !(own || l.access.manage) {
        return Err(AppError::Forbidden);
    }
    let e = event_of(&s, &l, id).await?;
    let x = store::certificate(&s.db, e.id, person)
        .await?
        .ok_or(AppError::NotFound)?;
    let verify_url = format!("{}/verify/{}", s.config.base_url, x.code);
    Ok(html(&CertificatePage { c, x, verify_url }))
}

#[derive(Template)]
#[template(path = "events/verify.html")]
struct VerifyPage {
    c: Ctx,
    code: String,
    found: Option<Certificate>,
    asked: bool,
}

impl VerifyPage {
    fn date(&self, x: &Certificate) -> String {
        self.c.date_in(&x.starts_at, &x.time_zone)
    }
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct CodeParam {
    code: String,
}

async fn verify_form(c: Ctx, Query(q): Query<CodeParam>) -> AppResult<Response> {
    if !q.code.trim().is_empty() {
        if let Some(code) = rules::normalize_code(&q.code) {
            return Ok(redirect(&format!("/verify/{code}")));
        }
    }
    let asked = !q.code.trim().is_empty();
    let p = VerifyPage {
        c,
        code: q.code,
        found: None,
        asked,
    };
    Ok(if asked {
        let mut r = html(&p);
        *r.status_mut() = StatusCode::NOT_FOUND;
        r
    } else {
        html(&p)
    })
}

/// Public: anyone can check a code; the answer shows only the name, the event and its date.
async fn verify_page(
    State(s): State<AppState>,
    c: Ctx,
    Path(code): Path<String>,
) -> AppResult<Response> {
    let found = match rules::normalize_code(&code) {
        Some(n) => store::verify(&s.db, &n).await?,
        None => None,
    };
    let missing = found.is_none();
    let p = VerifyPage {
        c,
        code,
        found,
        asked: true,
    };
    let mut r = html(&p);
    if missing {
        *r.status_mut() = StatusCode::NOT_FOUND;
    }
    Ok(r)
}

// ---- calendars ----------------------------------------------------------------------------------------

async fn community_ics(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let l = load(&s, &c, &slug).await?;
    let events = store::community_feed(&s.db, l.community.id, feed_since()).await?;
    let items: Vec<IcsEvent> = events.iter().map(|e| ics_event(&s, &slug, e)).collect();
    let body = rules::ics_calendar(&l.community.name, &tejido_db::now(), &items);
    Ok(ics_response(body, &format!("{slug}.ics")))
}

async fn event_ics(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    let l = load(&s, &c, &slug).await?;
    let e = event_of(&s, &l, id).await?;
    let body = rules::ics_calendar(
        &l.community.name,
        &tejido_db::now(),
        &[ics_event(&s, &slug, &e)],
    );
    Ok(ics_response(body, &format!("event-{id}.ics")))
}

/// The personal feed: the token in the URL is the only credential (calendar apps send no
/// cookies), so it is long, random, stored hashed, and can be reset.
async fn personal_ics(State(s): State<AppState>, Path(file): Path<String>) -> AppResult<Response> {
    let token = file.strip_suffix(".ics").ok_or(AppError::NotFound)?;
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(AppError::NotFound);
    }
    let person = store::person_by_calendar_token(&s.db, &tejido_db::sha256_hex(token))
        .await?
        .ok_or(AppError::NotFound)?;
    let events = store::personal_feed(&s.db, person, feed_since()).await?;
    let items: Vec<IcsEvent> = events
        .iter()
        .map(|f| {
            let mut i = ics_event(&s, &f.slug, &f.event);
            i.summary = format!("{} · {}", f.event.title, f.community_name);
            i
        })
        .collect();
    let body = rules::ics_calendar("Tejido", &tejido_db::now(), &items);
    Ok(ics_response(body, "tejido.ics"))
}

#[derive(Template)]
#[template(path = "events/calendar.html")]
struct CalendarPage {
    c: Ctx,
    created: Option<DateTime<Utc>>,
    /// The feed URL, shown once, right after it was made.
    url: Option<String>,
}

async fn calendar_page(State(s): State<AppState>, c: Ctx) -> AppResult<Response> {
    let u = c.require_user()?;
    let created = store::calendar_token_created(&s.db, u.id).await?;
    Ok(html(&CalendarPage {
        c,
        created,
        url: None,
    }))
}

async fn reset_calendar(State(s): State<AppState>, c: Ctx) -> AppResult<Response> {
    let uid = c.require_user()?.id;
    let raw = crate::ctx::random_token();
    let mut tx = s.db.begin().await?;
    store::set_calendar_token(&mut tx, uid, &tejido_db::sha256_hex(&raw)).await?;
    tejido_db::audit::record(&mut tx, Some(uid), "calendar-token-reset", None, None).await?;
    tx.commit().await?;
    Ok(html(&CalendarPage {
        c,
        created: Some(tejido_db::now()),
        url: Some(format!("{}/calendar/{raw}.ics", s.config.base_url)),
    }))
}

// ---- reminders ----------------------------------------------------------------------------------------

/// Queues a reminder e-mail for everyone registered for events starting within the next day
/// (each event once, claimed in the same transaction as its mail). No online link: the mail
/// points to the event's page, where registered people see it.
pub async fn send_reminders(
    db: &tejido_db::Db,
    i18n: &I18n,
    base_url: &str,
    at: DateTime<Utc>,
) -> anyhow::Result<usize> {
    let due = store::due_reminders(db, at, at + chrono::Duration::hours(24), 50).await?;
    let mut sent = 0;
    for f in due {
        let mut tx = db.begin().await?;
        let Some(people) = store::claim_reminders(&mut tx, f.event.id).await? else {
            continue;
        };
        let url = format!("{base_url}/c/{}/events/{}", f.slug, f.event.id);
        for p in &people {
            let tr = Tr {
                i18n,
                locale: p
                    .locale
                    .as_deref()
                    .and_then(tejido_core::accounts::Locale::parse)
                    .unwrap_or(tejido_core::accounts::Locale::EsMx),
            };
            let subject = tr.t1("events-mail-reminder-subject", "title", &f.event.title);
            let mut body = tr.t2(
                "events-mail-reminder-body",
                "name",
                &p.full_name,
                "title",
                &f.event.title,
            );
            body.push_str(&format!(
                "\n\n{}\n{}\n\n{url}\n",
                tr.datetime(&f.event.starts_at, &f.event.time_zone),
                place(&f.event).unwrap_or_default()
            ));
            tejido_db::outbox::enqueue(&mut tx, &p.email, &subject, &body).await?;
            sent += 1;
        }
        tx.commit().await?;
    }
    Ok(sent)
}

/// One pass for the background worker (`jobs::run`): reminders for events starting within the
/// next day, with links under the configured base URL.
pub async fn reminders_pass(s: &AppState) -> anyhow::Result<usize> {
    send_reminders(&s.db, &s.i18n, &s.config.base_url, tejido_db::now()).await
}

// ---- JSON API -----------------------------------------------------------------------------------------

async fn api_list(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<ListParams>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let l = load(&s, &c, &slug).await?;
    let events = store::list(
        &s.db,
        l.community.id,
        !q.past(),
        tejido_db::now(),
        PageReq::new(q.page, None),
    )
    .await?;
    // Lists never carry the online link: it is on the event, for those who may see it.
    Ok(Json(page_json(&events)))
}

async fn api_show(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let l = load(&s, &c, &slug).await?;
    let e = event_of(&s, &l, id).await?;
    let v = viewer(&s, &c, &l, Some(&e)).await?;
    let regs = store::registrations(&s.db, e.id, PageReq::new(Some(1), Some(1))).await?;
    let mut out = event_json(&e, link_visible(&l, &v), regs.total);
    if let Some(o) = out.as_object_mut() {
        o.insert("you_are_registered".into(), json!(v.registered));
    }
    Ok(Json(out))
}

async fn api_create(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    ApiJson(form): ApiJson<EventForm>,
) -> AppResult<Response> {
    let l = managed(&s, &c, &slug).await?;
    let input = parse_form(&form, &l.community.time_zone).map_err(AppError::Validation)?;
    let id = save_event(&s, &c, &l, None, &input).await?;
    Ok((StatusCode::CREATED, Json(json!({ "id": id }))).into_response())
}

async fn api_update(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    ApiJson(form): ApiJson<EventForm>,
) -> AppResult<Json<Value>> {
    let l = managed(&s, &c, &slug).await?;
    let e = event_of(&s, &l, id).await?;
    let input = parse_form(&form, &e.time_zone).map_err(AppError::Validation)?;
    save_event(&s, &c, &l, Some(id), &input).await?;
    Ok(Json(json!({ "id": id })))
}

async fn api_registrations(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Query(q): Query<ListParams>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let l = load(&s, &c, &slug).await?;
    let e = event_of(&s, &l, id).await?;
    let v = viewer(&s, &c, &l, Some(&e)).await?;
    if !(l.access.manage || v.member) {
        return Err(AppError::Forbidden);
    }
    let regs = store::registrations(&s.db, e.id, PageReq::new(q.page, Some(REG_PER_PAGE))).await?;
    Ok(Json(page_json(&regs)))
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct ApiPerson {
    person_id: Option<i64>,
}

async fn api_register(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    ApiJson(body): ApiJson<ApiPerson>,
) -> AppResult<Response> {
    c.require_user()?;
    let l = load(&s, &c, &slug).await?;
    let e = event_of(&s, &l, id).await?;
    let v = viewer(&s, &c, &l, Some(&e)).await?;
    let person = target_person(&s, &c, &l, &v, body.person_id).await?;
    let (status, state) = match do_register(&s, &c, &l, &e, person).await? {
        Registered::New => (StatusCode::CREATED, "registered"),
        Registered::Already => (StatusCode::OK, "already-registered"),
        Registered::Full => return Err(AppError::BadRequest("full")),
    };
    Ok((
        status,
        Json(json!({ "person_id": person, "status": state })),
    )
        .into_response())
}

async fn api_unregister(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id, person)): Path<(String, i64, i64)>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let l = load(&s, &c, &slug).await?;
    let e = event_of(&s, &l, id).await?;
    let v = viewer(&s, &c, &l, Some(&e)).await?;
    let person = target_person(&s, &c, &l, &v, Some(person)).await?;
    let done = do_unregister(&s, &c, &l, &e, person).await?;
    Ok(Json(json!({ "person_id": person, "cancelled": done })))
}

#[derive(Debug, serde::Deserialize)]
struct ApiMark {
    person_id: i64,
    attendance: String,
}

#[derive(Debug, serde::Deserialize)]
struct ApiMarks {
    marks: Vec<ApiMark>,
}

async fn api_attendance(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    ApiJson(body): ApiJson<ApiMarks>,
) -> AppResult<Json<Value>> {
    let l = managed(&s, &c, &slug).await?;
    let e = event_of(&s, &l, id).await?;
    let mut marks = vec![];
    for m in &body.marks {
        match Attendance::parse(&m.attendance) {
            Some(a) => marks.push((m.person_id, a)),
            None => {
                return Err(AppError::Validation(FieldErrors::single(
                    "attendance",
                    "error-invalid-choice",
                )))
            }
        }
    }
    let n = do_attendance(&s, &c, &l, &e, &marks).await?;
    Ok(Json(json!({ "updated": n })))
}

/// This capability's entries for the OpenAPI document's `paths` object.
pub fn openapi_paths() -> serde_json::Map<String, Value> {
    let err = json!({ "$ref": "#/components/responses/Error" });
    let slug =
        json!({ "name": "slug", "in": "path", "required": true, "schema": { "type": "string" } });
    let id =
        json!({ "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } });
    let person = json!({ "name": "person", "in": "path", "required": true, "schema": { "type": "integer" } });
    let ok = json!({ "description": "OK", "content": { "application/json": { "schema": { "type": "object" } } } });
    let created = json!({ "description": "Created", "content": { "application/json": { "schema": { "type": "object", "properties": { "id": { "type": "integer" } } } } } });
    let enum_of = |all: Vec<&'static str>| json!({ "type": "string", "enum": all });
    let event = json!({ "required": true, "content": { "application/json": { "schema": { "type": "object",
        "required": ["title", "kind", "mode", "starts_at", "ends_at"],
        "properties": {
            "title": { "type": "string" }, "description": { "type": "string" },
            "kind": enum_of(EventKind::ALL.iter().map(|k| k.as_str()).collect()),
            "mode": enum_of(EventMode::ALL.iter().map(|k| k.as_str()).collect()),
            "status": enum_of(EventStatus::ALL.iter().map(|k| k.as_str()).collect()),
            "starts_at": { "type": "string", "description": "Local time in the community's time zone, YYYY-MM-DDTHH:MM" },
            "ends_at": { "type": "string", "description": "Local time, after starts_at" },
            "venue": { "type": "string" }, "city": { "type": "string" }, "state_code": { "type": "string" },
            "online_link": { "type": "string", "description": "Shown only to registered people, managers and admins" },
            "host_organization_id": { "type": "string" }, "scheduled_around": { "type": "string" },
            "capacity": { "type": "string", "description": "At least 1" } } } } } });
    let page = json!([{ "name": "page", "in": "query", "schema": { "type": "integer" } }]);
    let mut m = serde_json::Map::new();
    m.insert("/communities/{slug}/events".into(), json!({ "parameters": [slug], "get": {
        "summary": "Upcoming events (or past ones with when=past), paginated; never the online link",
        "parameters": [page[0], { "name": "when", "in": "query", "schema": { "type": "string", "enum": ["upcoming", "past"] } }],
        "responses": { "200": ok, "401": err, "403": err, "404": err } },
        "post": { "summary": "Create an event (leaders, co-leaders, conveners, admins)", "requestBody": event,
        "responses": { "201": created, "401": err, "403": err, "422": err } } }));
    m.insert(
        "/communities/{slug}/events/{id}".into(),
        json!({ "parameters": [slug, id], "get": {
        "summary": "An event; online_link only for registered people, managers and admins",
        "responses": { "200": ok, "401": err, "403": err, "404": err } },
        "put": { "summary": "Update an event", "requestBody": event,
        "responses": { "200": ok, "401": err, "403": err, "404": err, "422": err } } }),
    );
    m.insert("/communities/{slug}/events/{id}/registrations".into(), json!({ "parameters": [slug, id], "get": {
        "summary": "Registrations with organization, position level and attendance (members)",
        "parameters": page,
        "responses": { "200": ok, "401": err, "403": err, "404": err } },
        "post": { "summary": "Register yourself, or (managers, colleagues of the same organization) someone else",
        "requestBody": { "required": false, "content": { "application/json": { "schema": { "type": "object", "properties": { "person_id": { "type": "integer" } } } } } },
        "responses": { "200": ok, "201": ok, "400": err, "401": err, "403": err, "404": err } } }));
    m.insert(
        "/communities/{slug}/events/{id}/registrations/{person}".into(),
        json!({ "parameters": [slug, id, person], "delete": {
        "summary": "Cancel a registration (before attendance is taken)",
        "responses": { "200": ok, "401": err, "403": err, "404": err } } }),
    );
    m.insert("/communities/{slug}/events/{id}/attendance".into(), json!({ "parameters": [slug, id], "put": {
        "summary": "Take attendance (managers): present, remote or absent per registered person",
        "requestBody": { "required": true, "content": { "application/json": { "schema": { "type": "object", "required": ["marks"], "properties": {
            "marks": { "type": "array", "items": { "type": "object", "required": ["person_id", "attendance"], "properties": {
                "person_id": { "type": "integer" }, "attendance": enum_of(Attendance::ALL.iter().map(|k| k.as_str()).collect()) } } } } } } } },
        "responses": { "200": ok, "401": err, "403": err, "404": err, "422": err } } }));
    m
}
