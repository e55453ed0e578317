//! Minutes of events (*relatoría*) and report-back (*devolución a mi organización*): pages under
//! `/c/{slug}/events/{id}/minutes…`, `/c/{slug}/events/{id}/report-back` and
//! `/c/{slug}/action-items`; JSON under `/api/v1/communities/{slug}/…`.
//!
//! Who may do what: members (and admins and managers) read the published minutes, decisions,
//! action items, lessons and the cascade rate; the rapporteur (the `rapporteur` community role)
//! and those who manage the community write the minutes, record decisions (which go to the
//! decision log with the event as their source), action items and lessons, and see drafts; an
//! item's owner may also change its status. Each attendee (registration present or remote)
//! records their own report-back. Files are attached to the minutes (owner `minutes`, the
//! event's id) by those who write them and downloaded by those who read them
//! (`attachment_router`; storage and checks in `crate::uploads`).

use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Form, Json};
use serde::Deserialize;
use serde_json::{json, Value};
use tejido_core::charter::render_markdown;
use tejido_core::communities::Role;
use tejido_core::decisions::{DecisionForm, DecisionInput, Method, Source};
use tejido_core::minutes::{
    cascade_percent, reminder_horizon, ActionItemForm, ActionItemInput, ActionStatus,
    ActionStatusForm, LessonForm, MinutesForm, MinutesInput, ReportBackForm, ReportBackFormat,
    ReportBackInput,
};
use tejido_core::page::{Page, PageReq};
use tejido_core::visibility::Record;
use tejido_core::FieldErrors;
use tejido_db::communities::Community;
use tejido_db::decisions::{self as log, Decision};
use tejido_db::events::Event;
use tejido_db::minutes::{self as store, ActionItem, Lesson, MinutesVersion, ReportBack};
use tejido_db::Db;

use crate::access::{load, Loaded};
use crate::error::AppResult;
use crate::extract::ApiJson;
use crate::respond::page_json;
use crate::routes::{self as route, Level, Route};
use crate::time::today;
use crate::views::Options;
use crate::views::{html, html_invalid, redirect, Pager};
use crate::{AppError, AppState, Ctx};

/// Most rows shown on one event's minutes page (items, lessons, decisions, report-backs).
const EVENT_LIST_LIMIT: i64 = 200;

/// The capability's pages.
pub fn routes() -> Vec<Route> {
    vec![
        route::get("/c/{slug}/events/{id}/minutes", Level::Viewer, show),
        route::get(
            "/c/{slug}/events/{id}/minutes/edit",
            Level::RoleHolder,
            edit_form,
        ),
        route::post(
            "/c/{slug}/events/{id}/minutes/edit",
            Level::RoleHolder,
            save,
        ),
        route::get(
            "/c/{slug}/events/{id}/minutes/versions",
            Level::Viewer,
            history,
        ),
        route::get(
            "/c/{slug}/events/{id}/minutes/versions/{n}",
            Level::Viewer,
            version_page,
        ),
        route::post(
            "/c/{slug}/events/{id}/minutes/decisions",
            Level::RoleHolder,
            add_decision,
        ),
        route::post(
            "/c/{slug}/events/{id}/minutes/items",
            Level::RoleHolder,
            add_item,
        ),
        route::post(
            "/c/{slug}/events/{id}/minutes/items/{item}/status",
            Level::RoleHolder,
            item_status,
        ),
        route::post(
            "/c/{slug}/events/{id}/minutes/lessons",
            Level::RoleHolder,
            add_lesson,
        ),
        route::get(
            "/c/{slug}/events/{id}/report-back",
            Level::RoleHolder,
            report_back_form,
        ),
        route::post(
            "/c/{slug}/events/{id}/report-back",
            Level::RoleHolder,
            report_back_save,
        ),
        route::get("/c/{slug}/action-items", Level::Viewer, action_items),
        route::post(
            "/c/{slug}/events/{id}/minutes/files",
            Level::RoleHolder,
            attach_files,
        ),
        route::get(
            "/c/{slug}/events/{id}/minutes/files/{upload_id}",
            Level::Viewer,
            attachment,
        ),
        route::get(
            "/c/{slug}/events/{id}/minutes/files/{upload_id}/remove",
            Level::RoleHolder,
            confirm_remove_attachment,
        ),
        route::post(
            "/c/{slug}/events/{id}/minutes/files/{upload_id}/remove",
            Level::RoleHolder,
            remove_attachment,
        ),
    ]
}

/// The JSON API, nested under `/api/v1`.
pub fn api_routes() -> Vec<Route> {
    vec![
        route::get(
            "/communities/{slug}/events/{id}/minutes",
            Level::Viewer,
            api_minutes,
        ),
        route::put(
            "/communities/{slug}/events/{id}/minutes",
            Level::RoleHolder,
            api_save,
        ),
        route::get(
            "/communities/{slug}/events/{id}/minutes/versions",
            Level::Viewer,
            api_versions,
        ),
        route::post(
            "/communities/{slug}/events/{id}/minutes/decisions",
            Level::RoleHolder,
            api_add_decision,
        ),
        route::post(
            "/communities/{slug}/events/{id}/minutes/items",
            Level::RoleHolder,
            api_add_item,
        ),
        route::post(
            "/communities/{slug}/events/{id}/minutes/items/{item}/status",
            Level::RoleHolder,
            api_item_status,
        ),
        route::post(
            "/communities/{slug}/events/{id}/minutes/lessons",
            Level::RoleHolder,
            api_add_lesson,
        ),
        route::get(
            "/communities/{slug}/events/{id}/report-back",
            Level::RoleHolder,
            api_report_back,
        ),
        route::put(
            "/communities/{slug}/events/{id}/report-back",
            Level::RoleHolder,
            api_save_report_back,
        ),
        route::get(
            "/communities/{slug}/action-items",
            Level::Viewer,
            api_action_items,
        ),
        route::get(
            "/communities/{slug}/events/{id}/minutes/files/{upload_id}",
            Level::Viewer,
            api_attachment,
        ),
    ]
}

// ---- authorization ---------------------------------------------------------------------------

/// A loaded event with what the viewer may do with its minutes.
struct EventCtx {
    l: Loaded,
    event: Event,
    /// Reads published minutes, items, lessons, the cascade rate.
    read: bool,
    /// Writes the minutes and sees drafts: the rapporteur, managers, admins.
    write: bool,
    /// The viewer's person, if any.
    person: Option<i64>,
}

async fn load_event(s: &AppState, c: &Ctx, slug: &str, id: i64) -> AppResult<EventCtx> {
    let l = load(s, c, slug).await?;
    let event = tejido_db::events::get(&s.db, l.community.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let person = c.user.as_ref().and_then(|u| u.person_id);
    let write = c.is_admin() || l.access.manage || l.roles.contains(&Role::Rapporteur);
    let read = write || l.may_read(Record::Minutes);
    Ok(EventCtx {
        l,
        event,
        read,
        write,
        person,
    })
}

fn refuse(c: &Ctx) -> AppError {
    if c.signed_in() {
        AppError::Forbidden
    } else {
        AppError::Unauthorized
    }
}

async fn load_reader(s: &AppState, c: &Ctx, slug: &str, id: i64) -> AppResult<EventCtx> {
    let e = load_event(s, c, slug, id).await?;
    if e.read {
        Ok(e)
    } else {
        Err(refuse(c))
    }
}

async fn load_writer(s: &AppState, c: &Ctx, slug: &str, id: i64) -> AppResult<EventCtx> {
    c.require_user()?;
    let e = load_event(s, c, slug, id).await?;
    if e.write {
        Ok(e)
    } else {
        Err(AppError::Forbidden)
    }
}

/// Community-level readers (the action-items list): the minutes rule.
async fn load_community_reader(s: &AppState, c: &Ctx, slug: &str) -> AppResult<Loaded> {
    let l = load(s, c, slug).await?;
    l.require(c, Record::Minutes)?;
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

fn format_options(c: &Ctx) -> Options {
    ReportBackFormat::ALL
        .iter()
        .map(|f| {
            (
                f.as_str().to_owned(),
                c.label("reportback-format", f.as_str()),
            )
        })
        .collect()
}

async fn owner_options(s: &AppState, cid: i64) -> AppResult<Options> {
    Ok(store::owner_choices(&s.db, cid, 500)
        .await?
        .into_iter()
        .map(|(id, name)| (id.to_string(), name))
        .collect())
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

// ---- shared writes (pages and API) -------------------------------------------------------------

async fn write_version(
    s: &AppState,
    c: &Ctx,
    e: &EventCtx,
    input: &MinutesInput,
) -> AppResult<i64> {
    let mut tx = s.db.begin().await?;
    let n = store::save_version(&mut tx, e.event.id, input, c.user_id()).await?;
    let action = if input.status == tejido_core::minutes::MinutesStatus::Published {
        "minutes-published"
    } else {
        "minutes-draft-saved"
    };
    audit(
        &mut tx,
        c,
        action,
        &e.l.community.slug,
        &format!("{}:{n}", e.event.id),
    )
    .await?;
    tx.commit().await?;
    Ok(n)
}

async fn write_decision(
    s: &AppState,
    c: &Ctx,
    e: &EventCtx,
    mut input: DecisionInput,
) -> AppResult<i64> {
    input.source = Some((Source::Event, e.event.id));
    input.corrects = None;
    let mut tx = s.db.begin().await?;
    let id = log::insert(&mut tx, e.l.community.id, &input, c.user_id()).await?;
    audit(
        &mut tx,
        c,
        "minutes-decision-recorded",
        &e.l.community.slug,
        &format!("{}:{id}", e.event.id),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// `Ok(Err(errors))` when the owner is not one of the community's people.
async fn write_item(
    s: &AppState,
    c: &Ctx,
    e: &EventCtx,
    input: &ActionItemInput,
) -> AppResult<Result<i64, FieldErrors>> {
    if !store::is_community_person(&s.db, e.l.community.id, input.owner_person_id).await? {
        return Ok(Err(FieldErrors::single("owner", "error-invalid-choice")));
    }
    let mut tx = s.db.begin().await?;
    let id = store::insert_item(&mut tx, e.event.id, input, c.user_id()).await?;
    audit(
        &mut tx,
        c,
        "action-item-created",
        &e.l.community.slug,
        &format!("{}:{id}", e.event.id),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(id))
}

/// Changes an item's status: writers, or the item's owner.
async fn write_item_status(
    s: &AppState,
    c: &Ctx,
    e: &EventCtx,
    item_id: i64,
    status: ActionStatus,
) -> AppResult<ActionItem> {
    let it = store::item(&s.db, e.event.id, item_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !(e.write || e.person == Some(it.owner_person_id)) {
        return Err(AppError::Forbidden);
    }
    let mut tx = s.db.begin().await?;
    store::set_item_status(&mut tx, e.event.id, item_id, status).await?;
    audit(
        &mut tx,
        c,
        "action-item-status",
        &e.l.community.slug,
        &format!("{item_id}:{}", status.as_str()),
    )
    .await?;
    tx.commit().await?;
    store::item(&s.db, e.event.id, item_id)
        .await?
        .ok_or(AppError::NotFound)
}

async fn write_lesson(s: &AppState, c: &Ctx, e: &EventCtx, text: &str) -> AppResult<i64> {
    let mut tx = s.db.begin().await?;
    let id = store::insert_lesson(&mut tx, e.event.id, text, c.user_id()).await?;
    audit(
        &mut tx,
        c,
        "minutes-lesson-added",
        &e.l.community.slug,
        &format!("{}:{id}", e.event.id),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// The viewer's person when they attended; 403 otherwise (401 anonymous).
async fn attendee(s: &AppState, c: &Ctx, e: &EventCtx) -> AppResult<i64> {
    c.require_user()?;
    match e.person {
        Some(pid) if store::is_attendee(&s.db, e.event.id, pid).await? => Ok(pid),
        _ => Err(AppError::Forbidden),
    }
}

async fn write_report_back(
    s: &AppState,
    c: &Ctx,
    e: &EventCtx,
    pid: i64,
    input: &ReportBackInput,
) -> AppResult<i64> {
    let mut tx = s.db.begin().await?;
    let id = store::save_report_back(&mut tx, e.event.id, pid, input).await?;
    audit(
        &mut tx,
        c,
        "reportback-saved",
        &e.l.community.slug,
        &format!("{}:{pid}", e.event.id),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

// ---- the minutes page ------------------------------------------------------------------------

/// The cascade figures shown on the minutes page.
pub struct Cascade {
    pub reported: i64,
    pub attendees: i64,
    pub percent: Option<i64>,
}

async fn cascade(db: &Db, event_id: i64) -> AppResult<Cascade> {
    let (reported, attendees) = store::cascade_rate(db, event_id).await?;
    Ok(Cascade {
        reported,
        attendees,
        percent: cascade_percent(reported, attendees),
    })
}

/// The forms of the minutes page, with what was typed and the errors of the one submitted.
#[derive(Default)]
struct Forms {
    decision: Option<(DecisionForm, FieldErrors)>,
    item: Option<(ActionItemForm, FieldErrors)>,
    lesson: Option<(LessonForm, FieldErrors)>,
    /// A refused upload, explained in the reader's language.
    file_error: Option<String>,
}

#[derive(Template)]
#[template(path = "minutes/show.html")]
struct ShowPage {
    c: Ctx,
    m: Community,
    event: Event,
    write: bool,
    /// The viewer's person id, 0 when none (ids start at 1).
    person: i64,
    current: Option<MinutesVersion>,
    /// A newer draft than `current`, for writers.
    draft: Option<MinutesVersion>,
    summary_html: String,
    takeaways_html: String,
    decisions: Vec<Decision>,
    items: Vec<ActionItem>,
    lessons: Vec<Lesson>,
    cascade: Cascade,
    attended: bool,
    decision_form: DecisionForm,
    decision_errors: FieldErrors,
    item_form: ActionItemForm,
    item_errors: FieldErrors,
    lesson_form: LessonForm,
    lesson_errors: FieldErrors,
    methods: Options,
    owners: Options,
    statuses: Vec<String>,
    attachments: Vec<tejido_db::uploads::Upload>,
    file_error: Option<String>,
    max_size: String,
}

async fn show_page(s: &AppState, c: Ctx, e: EventCtx, forms: Forms) -> AppResult<ShowPage> {
    let eid = e.event.id;
    let current = store::published(&s.db, eid).await?;
    let draft = if e.write {
        store::latest(&s.db, eid, true)
            .await?
            .filter(|d| d.is_draft() && current.as_ref().is_none_or(|p| p.version < d.version))
    } else {
        None
    };
    let summary_html = current
        .as_ref()
        .map(|v| render_markdown(&v.summary))
        .unwrap_or_default();
    let takeaways_html = current
        .as_ref()
        .and_then(|v| v.takeaways.as_deref())
        .map(render_markdown)
        .unwrap_or_default();
    let decisions = log::by_source(&s.db, e.l.community.id, Source::Event.as_str(), eid).await?;
    let items = store::items(&s.db, eid, EVENT_LIST_LIMIT).await?;
    let lessons = store::lessons(&s.db, eid, EVENT_LIST_LIMIT).await?;
    let cascade = cascade(&s.db, eid).await?;
    let attended = match e.person {
        Some(pid) => store::is_attendee(&s.db, eid, pid).await?,
        None => false,
    };
    let (decision_form, decision_errors) = forms.decision.unwrap_or_else(|| {
        (
            DecisionForm {
                decided_on: e.event.starts_at.format("%Y-%m-%d").to_string(),
                method: "consensus".into(),
                ..Default::default()
            },
            FieldErrors::new(),
        )
    });
    let (item_form, item_errors) = forms.item.unwrap_or_default();
    let (lesson_form, lesson_errors) = forms.lesson.unwrap_or_default();
    let owners = if e.write {
        owner_options(s, e.l.community.id).await?
    } else {
        vec![]
    };
    let methods = method_options(&c);
    let attachments =
        tejido_db::uploads::list_for(&s.db, tejido_db::uploads::OwnerKind::Minutes, eid).await?;
    let max_size = tejido_core::uploads::human_size(
        i64::try_from(s.config.upload_max_bytes).unwrap_or(i64::MAX),
    );
    Ok(ShowPage {
        c,
        m: e.l.community,
        event: e.event,
        write: e.write,
        person: e.person.unwrap_or(0),
        current,
        draft,
        summary_html,
        takeaways_html,
        decisions,
        items,
        lessons,
        cascade,
        attended,
        decision_form,
        decision_errors,
        item_form,
        item_errors,
        lesson_form,
        lesson_errors,
        methods,
        owners,
        statuses: ActionStatus::ALL
            .iter()
            .map(|s| s.as_str().to_owned())
            .collect(),
        attachments,
        file_error: forms.file_error,
        max_size,
    })
}

async fn show(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    let e = load_reader(&s, &c, &slug, id).await?;
    Ok(html(&show_page(&s, c, e, Forms::default()).await?))
}

// ---- editing, history ------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "minutes/edit.html")]
struct EditPage {
    c: Ctx,
    m: Community,
    event: Event,
    form: MinutesForm,
    errors: FieldErrors,
}

async fn edit_form(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    let e = load_writer(&s, &c, &slug, id).await?;
    let form = match store::latest(&s.db, id, true).await? {
        Some(v) => MinutesForm {
            summary: v.summary,
            takeaways: v.takeaways.unwrap_or_default(),
            status: String::new(),
        },
        None => MinutesForm::default(),
    };
    Ok(html(&EditPage {
        c,
        m: e.l.community,
        event: e.event,
        form,
        errors: FieldErrors::new(),
    }))
}

async fn save(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Form(form): Form<MinutesForm>,
) -> AppResult<Response> {
    let e = load_writer(&s, &c, &slug, id).await?;
    let input = match form.parse() {
        Ok(i) => i,
        Err(errors) => {
            return Ok(html_invalid(&EditPage {
                c,
                m: e.l.community,
                event: e.event,
                form,
                errors,
            }))
        }
    };
    let n = write_version(&s, &c, &e, &input).await?;
    Ok(redirect(&format!(
        "/c/{slug}/events/{id}/minutes/versions/{n}"
    )))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PageQuery {
    page: Option<u32>,
    per_page: Option<u32>,
}

#[derive(Template)]
#[template(path = "minutes/versions.html")]
struct HistoryPage {
    c: Ctx,
    m: Community,
    event: Event,
    versions: Page<MinutesVersion>,
    pager: Pager,
}

async fn history(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Query(q): Query<PageQuery>,
) -> AppResult<Response> {
    let e = load_reader(&s, &c, &slug, id).await?;
    let versions = store::versions(&s.db, id, e.write, PageReq::new(q.page, Some(20))).await?;
    let pager = Pager::new(
        &versions,
        &format!("/c/{slug}/events/{id}/minutes/versions"),
    );
    Ok(html(&HistoryPage {
        c,
        m: e.l.community,
        event: e.event,
        versions,
        pager,
    }))
}

#[derive(Template)]
#[template(path = "minutes/version.html")]
struct VersionPage {
    c: Ctx,
    m: Community,
    event: Event,
    v: MinutesVersion,
    summary_html: String,
    takeaways_html: String,
}

async fn version_page(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id, n)): Path<(String, i64, i64)>,
) -> AppResult<Response> {
    let e = load_reader(&s, &c, &slug, id).await?;
    let v = store::version(&s.db, id, n, e.write)
        .await?
        .ok_or(AppError::NotFound)?;
    let summary_html = render_markdown(&v.summary);
    let takeaways_html = v
        .takeaways
        .as_deref()
        .map(render_markdown)
        .unwrap_or_default();
    Ok(html(&VersionPage {
        c,
        m: e.l.community,
        event: e.event,
        v,
        summary_html,
        takeaways_html,
    }))
}

// ---- decisions, action items, lessons --------------------------------------------------------

async fn add_decision(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Form(mut form): Form<DecisionForm>,
) -> AppResult<Response> {
    let e = load_writer(&s, &c, &slug, id).await?;
    form.corrects = String::new();
    match form.parse() {
        Ok(input) => {
            write_decision(&s, &c, &e, input).await?;
            Ok(redirect(&format!(
                "/c/{slug}/events/{id}/minutes#decisions"
            )))
        }
        Err(errors) => {
            let forms = Forms {
                decision: Some((form, errors)),
                ..Default::default()
            };
            Ok(html_invalid(&show_page(&s, c, e, forms).await?))
        }
    }
}

async fn add_item(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Form(form): Form<ActionItemForm>,
) -> AppResult<Response> {
    let e = load_writer(&s, &c, &slug, id).await?;
    let result = match form.parse() {
        Ok(input) => write_item(&s, &c, &e, &input).await?,
        Err(errors) => Err(errors),
    };
    match result {
        Ok(_) => Ok(redirect(&format!("/c/{slug}/events/{id}/minutes#items"))),
        Err(errors) => {
            let forms = Forms {
                item: Some((form, errors)),
                ..Default::default()
            };
            Ok(html_invalid(&show_page(&s, c, e, forms).await?))
        }
    }
}

async fn item_status(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id, item)): Path<(String, i64, i64)>,
    Form(form): Form<ActionStatusForm>,
) -> AppResult<Response> {
    c.require_user()?;
    let e = load_event(&s, &c, &slug, id).await?;
    let status = form.parse().map_err(|_| AppError::BadRequest("status"))?;
    write_item_status(&s, &c, &e, item, status).await?;
    if form.from == "list" {
        Ok(redirect(&format!("/c/{slug}/action-items")))
    } else {
        Ok(redirect(&format!("/c/{slug}/events/{id}/minutes#items")))
    }
}

async fn add_lesson(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Form(form): Form<LessonForm>,
) -> AppResult<Response> {
    let e = load_writer(&s, &c, &slug, id).await?;
    match form.parse() {
        Ok(text) => {
            write_lesson(&s, &c, &e, &text).await?;
            Ok(redirect(&format!("/c/{slug}/events/{id}/minutes#lessons")))
        }
        Err(errors) => {
            let forms = Forms {
                lesson: Some((form, errors)),
                ..Default::default()
            };
            Ok(html_invalid(&show_page(&s, c, e, forms).await?))
        }
    }
}

// ---- attachments -----------------------------------------------------------------------------

async fn attach_files(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    mp: Multipart,
) -> AppResult<Response> {
    let e = load_writer(&s, &c, &slug, id).await?;
    let scope = crate::uploads::QuotaScope::Community(e.l.community.id);
    let read = match crate::uploads::read(&s, mp).await? {
        Ok(i) => crate::uploads::check_quota(&s, scope, &i.files)
            .await?
            .map(|()| i),
        Err(refused) => Err(refused),
    };
    let incoming = match read {
        Ok(i) => i,
        Err(refused) => {
            let forms = Forms {
                file_error: Some(refused.message(&c)),
                ..Default::default()
            };
            let mut r = html(&show_page(&s, c, e, forms).await?);
            refused.apply(&mut r);
            return Ok(r);
        }
    };
    if incoming.files.is_empty() {
        let forms = Forms {
            file_error: Some(c.t("minutes-files-none-chosen")),
            ..Default::default()
        };
        return Ok(html_invalid(&show_page(&s, c, e, forms).await?));
    }
    let mut tx = s.db.begin().await?;
    let stored = crate::uploads::store(&s, &mut tx, &incoming.files, c.user_id()).await?;
    for u in &stored {
        tejido_db::uploads::attach(&mut tx, tejido_db::uploads::OwnerKind::Minutes, id, u.id)
            .await?;
    }
    let names: Vec<&str> = stored.iter().map(|u| u.filename.as_str()).collect();
    audit(
        &mut tx,
        &c,
        "minutes-files-attached",
        &e.l.community.slug,
        &format!("{id}:{}", names.join(", ")),
    )
    .await?;
    tx.commit().await?;
    Ok(redirect(&format!("/c/{slug}/events/{id}/minutes#files")))
}

async fn confirm_remove_attachment(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id, upload_id)): Path<(String, i64, i64)>,
) -> AppResult<Response> {
    let e = load_writer(&s, &c, &slug, id).await?;
    let slug = &e.l.community.slug;
    let (action, back) = (
        format!("/c/{slug}/events/{id}/minutes/files/{upload_id}/remove"),
        format!("/c/{slug}/events/{id}/minutes#files"),
    );
    crate::uploads::confirm_detach(
        &s,
        c,
        tejido_db::uploads::OwnerKind::Minutes,
        id,
        upload_id,
        action,
        back,
    )
    .await
}

async fn remove_attachment(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id, upload_id)): Path<(String, i64, i64)>,
) -> AppResult<Response> {
    let e = load_writer(&s, &c, &slug, id).await?;
    let mut tx = s.db.begin().await?;
    let removed = tejido_db::uploads::detach(
        &mut tx,
        tejido_db::uploads::OwnerKind::Minutes,
        id,
        upload_id,
    )
    .await?;
    if !removed {
        return Err(AppError::NotFound);
    }
    audit(
        &mut tx,
        &c,
        "minutes-file-removed",
        &e.l.community.slug,
        &format!("{id}:{upload_id}"),
    )
    .await?;
    tx.commit().await?;
    Ok(redirect(&format!("/c/{slug}/events/{id}/minutes#files")))
}

async fn attachment(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id, upload_id)): Path<(String, i64, i64)>,
) -> AppResult<Response> {
    load_reader(&s, &c, &slug, id).await?;
    let u = tejido_db::uploads::get_attached(
        &s.db,
        tejido_db::uploads::OwnerKind::Minutes,
        id,
        upload_id,
    )
    .await?
    .ok_or(AppError::NotFound)?;
    crate::uploads::download(&s, &u).await
}

async fn api_attachment(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id, upload_id)): Path<(String, i64, i64)>,
) -> AppResult<Response> {
    c.require_user()?;
    attachment(State(s), c, Path((slug, id, upload_id))).await
}

// ---- report-back -----------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "minutes/report_back.html")]
struct ReportBackPage {
    c: Ctx,
    m: Community,
    event: Event,
    /// The viewer attended and may record their report-back.
    attended: bool,
    saved: bool,
    form: ReportBackForm,
    errors: FieldErrors,
    formats: Options,
    cascade: Cascade,
    /// Everyone's report-backs, for those who write the minutes.
    all: Vec<ReportBack>,
}

async fn report_back_page(
    s: &AppState,
    c: Ctx,
    e: EventCtx,
    attended: Option<i64>,
    form: Option<ReportBackForm>,
    errors: FieldErrors,
) -> AppResult<ReportBackPage> {
    let mine = match attended {
        Some(pid) => store::report_back(&s.db, e.event.id, pid).await?,
        None => None,
    };
    let saved = mine.is_some();
    let form = form.unwrap_or_else(|| match mine {
        Some(r) => ReportBackForm {
            reported_on: r.reported_on.format("%Y-%m-%d").to_string(),
            format: r.format,
            audience: r.audience.to_string(),
            notes: r.notes.unwrap_or_default(),
        },
        None => ReportBackForm {
            reported_on: today(&e.l.community).to_string(),
            ..Default::default()
        },
    });
    let all = if e.write {
        store::report_backs(&s.db, e.event.id, EVENT_LIST_LIMIT).await?
    } else {
        vec![]
    };
    let cascade = cascade(&s.db, e.event.id).await?;
    let formats = format_options(&c);
    Ok(ReportBackPage {
        c,
        m: e.l.community,
        event: e.event,
        attended: attended.is_some(),
        saved,
        form,
        errors,
        formats,
        cascade,
        all,
    })
}

async fn report_back_form(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    c.require_user()?;
    let e = load_event(&s, &c, &slug, id).await?;
    let pid = match e.person {
        Some(pid) if store::is_attendee(&s.db, e.event.id, pid).await? => Some(pid),
        _ => None,
    };
    // Those who write the minutes see everyone's report-backs without having attended.
    if pid.is_none() && !e.write {
        return Err(AppError::Forbidden);
    }
    Ok(html(
        &report_back_page(&s, c, e, pid, None, FieldErrors::new()).await?,
    ))
}

async fn report_back_save(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Form(form): Form<ReportBackForm>,
) -> AppResult<Response> {
    let e = load_event(&s, &c, &slug, id).await?;
    let pid = attendee(&s, &c, &e).await?;
    match form.parse() {
        Ok(input) => {
            write_report_back(&s, &c, &e, pid, &input).await?;
            Ok(redirect(&format!("/c/{slug}/events/{id}/report-back")))
        }
        Err(errors) => Ok(html_invalid(
            &report_back_page(&s, c, e, Some(pid), Some(form), errors).await?,
        )),
    }
}

// ---- the community's open action items -------------------------------------------------------

#[derive(Template)]
#[template(path = "minutes/action_items.html")]
struct ItemsPage {
    c: Ctx,
    m: Community,
    items: Page<ActionItem>,
    pager: Pager,
    write: bool,
    /// The viewer's person id, 0 when none (ids start at 1).
    person: i64,
}

async fn action_items(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<PageQuery>,
) -> AppResult<Response> {
    let l = load_community_reader(&s, &c, &slug).await?;
    let items =
        store::open_items_for_community(&s.db, l.community.id, PageReq::new(q.page, None)).await?;
    let pager = Pager::new(&items, &format!("/c/{slug}/action-items"));
    let write = c.is_admin() || l.access.manage || l.roles.contains(&Role::Rapporteur);
    let person = c.user.as_ref().and_then(|u| u.person_id).unwrap_or(0);
    Ok(html(&ItemsPage {
        c,
        m: l.community,
        items,
        pager,
        write,
        person,
    }))
}

// ---- reminders (called from the worker loop) -------------------------------------------------

/// Enqueues one reminder per open action item due within two days (or overdue) and not yet
/// reminded, in the owner's language; returns how many were enqueued. The items are claimed and
/// the mail written in one transaction, so each reminder is sent once even with several workers.
pub async fn enqueue_reminders(s: &AppState) -> anyhow::Result<usize> {
    let until = reminder_horizon(chrono::Utc::now().date_naive());
    let mut tx = s.db.begin().await?;
    let due = store::claim_due_reminders(&mut tx, until, 100).await?;
    if due.is_empty() {
        return Ok(0);
    }
    let i18n = &s.i18n;
    for r in &due {
        let locale = r
            .locale
            .as_deref()
            .and_then(tejido_core::accounts::Locale::parse)
            .unwrap_or(tejido_core::accounts::Locale::EsMx);
        let tr = crate::i18n::Tr { i18n, locale };
        let due_on = r.due_on.format("%Y-%m-%d").to_string();
        let subject = tr.t1("action-reminder-subject", "title", &r.title);
        let body = format!(
            "{}\n\n{}\n{}\n\n{}/c/{}/events/{}/minutes\n",
            tr.t2("action-reminder-body", "title", &r.title, "date", &due_on),
            tr.t1("action-reminder-event", "event", &r.event_title),
            tr.t1("action-reminder-community", "community", &r.community_name),
            s.config.base_url,
            r.community_slug,
            r.event_id,
        );
        tejido_db::outbox::enqueue(&mut tx, &r.email, &subject, &body).await?;
    }
    tx.commit().await?;
    Ok(due.len())
}

// ---- JSON API --------------------------------------------------------------------------------

fn version_json(v: &MinutesVersion) -> Value {
    json!({
        "version": v.version, "status": v.status, "summary": v.summary, "takeaways": v.takeaways,
        "summary_html": render_markdown(&v.summary),
        "takeaways_html": v.takeaways.as_deref().map(render_markdown),
        "author_name": v.author_name, "created_at": v.created_at, "published_at": v.published_at,
    })
}

async fn api_minutes(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let e = load_reader(&s, &c, &slug, id).await?;
    let current = store::published(&s.db, id).await?;
    let draft = if e.write {
        store::latest(&s.db, id, true)
            .await?
            .filter(|d| d.is_draft())
    } else {
        None
    };
    let decisions = log::by_source(&s.db, e.l.community.id, Source::Event.as_str(), id).await?;
    let items = store::items(&s.db, id, EVENT_LIST_LIMIT).await?;
    let lessons = store::lessons(&s.db, id, EVENT_LIST_LIMIT).await?;
    let k = cascade(&s.db, id).await?;
    let files =
        tejido_db::uploads::list_for(&s.db, tejido_db::uploads::OwnerKind::Minutes, id).await?;
    let base = format!("/c/{slug}/events/{id}/minutes/files");
    let attachments: Vec<Value> = files
        .iter()
        .map(|u| {
            let mut v = crate::uploads::json(u, &base);
            v["api_download_url"] = json!(format!(
                "/api/v1/communities/{slug}/events/{id}/minutes/files/{}",
                u.id
            ));
            v
        })
        .collect();
    Ok(Json(json!({
        "attachments": attachments,
        "current": current.as_ref().map(version_json),
        "draft": draft.as_ref().map(version_json),
        "decisions": decisions, "action_items": items, "lessons": lessons,
        "cascade": { "reported": k.reported, "attendees": k.attendees, "percent": k.percent },
        "can_write": e.write,
    })))
}

async fn api_save(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    ApiJson(form): ApiJson<MinutesForm>,
) -> AppResult<Json<Value>> {
    let e = load_writer(&s, &c, &slug, id).await?;
    let input = form.parse().map_err(AppError::Validation)?;
    let n = write_version(&s, &c, &e, &input).await?;
    let v = store::version(&s.db, id, n, true)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Json(version_json(&v)))
}

async fn api_versions(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Query(q): Query<PageQuery>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let e = load_reader(&s, &c, &slug, id).await?;
    let p = store::versions(&s.db, id, e.write, PageReq::new(q.page, q.per_page)).await?;
    Ok(Json(page_json(&p)))
}

async fn api_add_decision(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    ApiJson(mut form): ApiJson<DecisionForm>,
) -> AppResult<Response> {
    let e = load_writer(&s, &c, &slug, id).await?;
    form.corrects = String::new();
    let input = form.parse().map_err(AppError::Validation)?;
    let did = write_decision(&s, &c, &e, input).await?;
    let d = log::get(&s.db, e.l.community.id, did).await?;
    Ok((StatusCode::CREATED, Json(json!(d))).into_response())
}

async fn api_add_item(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    ApiJson(form): ApiJson<ActionItemForm>,
) -> AppResult<Response> {
    let e = load_writer(&s, &c, &slug, id).await?;
    let input = form.parse().map_err(AppError::Validation)?;
    let item = write_item(&s, &c, &e, &input)
        .await?
        .map_err(AppError::Validation)?;
    let it = store::item(&s.db, id, item).await?;
    Ok((StatusCode::CREATED, Json(json!(it))).into_response())
}

async fn api_item_status(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id, item)): Path<(String, i64, i64)>,
    ApiJson(form): ApiJson<ActionStatusForm>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let e = load_event(&s, &c, &slug, id).await?;
    let status = form.parse().map_err(AppError::Validation)?;
    let it = write_item_status(&s, &c, &e, item, status).await?;
    Ok(Json(json!(it)))
}

async fn api_add_lesson(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    ApiJson(form): ApiJson<LessonForm>,
) -> AppResult<Response> {
    let e = load_writer(&s, &c, &slug, id).await?;
    let text = form.parse().map_err(AppError::Validation)?;
    let lid = write_lesson(&s, &c, &e, &text).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "id": lid, "event_id": id, "text": text })),
    )
        .into_response())
}

async fn api_report_back(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let e = load_event(&s, &c, &slug, id).await?;
    let pid = attendee(&s, &c, &e).await?;
    let mine = store::report_back(&s.db, id, pid).await?;
    Ok(Json(json!({ "report_back": mine })))
}

async fn api_save_report_back(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    ApiJson(form): ApiJson<ReportBackForm>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let e = load_event(&s, &c, &slug, id).await?;
    let pid = attendee(&s, &c, &e).await?;
    let input = form.parse().map_err(AppError::Validation)?;
    write_report_back(&s, &c, &e, pid, &input).await?;
    let mine = store::report_back(&s.db, id, pid).await?;
    Ok(Json(json!({ "report_back": mine })))
}

async fn api_action_items(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<PageQuery>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let l = load_community_reader(&s, &c, &slug).await?;
    let p =
        store::open_items_for_community(&s.db, l.community.id, PageReq::new(q.page, q.per_page))
            .await?;
    Ok(Json(page_json(&p)))
}

/// This capability's entries for the OpenAPI document's `paths` object.
pub fn openapi_paths() -> serde_json::Map<String, serde_json::Value> {
    let err = json!({ "$ref": "#/components/responses/Error" });
    let ok = |schema: Value| json!({ "description": "OK", "content": { "application/json": { "schema": schema } } });
    let created = |schema: Value| json!({ "description": "Created", "content": { "application/json": { "schema": schema } } });
    let body = |schema: Value| json!({ "required": true, "content": { "application/json": { "schema": schema } } });
    let slug =
        json!({ "name": "slug", "in": "path", "required": true, "schema": { "type": "string" } });
    let id = json!({ "name": "id", "in": "path", "required": true, "schema": { "type": "integer" }, "description": "Event id" });
    let item_id = json!({ "name": "item", "in": "path", "required": true, "schema": { "type": "integer" }, "description": "Action item id" });
    let int_q = |name: &str, d: &str| json!({ "name": name, "in": "query", "schema": { "type": "integer" }, "description": d });
    let statuses: Vec<&str> = ActionStatus::ALL.iter().map(|s| s.as_str()).collect();
    let formats: Vec<&str> = ReportBackFormat::ALL.iter().map(|s| s.as_str()).collect();
    let methods: Vec<&str> = Method::ALL.iter().map(|m| m.as_str()).collect();
    let version = json!({ "type": "object", "properties": {
        "version": { "type": "integer" }, "status": { "type": "string", "enum": ["draft", "published"] },
        "summary": { "type": "string", "description": "Markdown" }, "takeaways": { "type": "string", "nullable": true, "description": "Markdown" },
        "summary_html": { "type": "string", "description": "Sanitized HTML" }, "takeaways_html": { "type": "string", "nullable": true },
        "author_name": { "type": "string", "nullable": true }, "created_at": { "type": "string", "format": "date-time" },
        "published_at": { "type": "string", "format": "date-time", "nullable": true } } });
    let item = json!({ "type": "object", "properties": {
        "id": { "type": "integer" }, "event_id": { "type": "integer" }, "title": { "type": "string" },
        "owner_person_id": { "type": "integer" }, "owner_name": { "type": "string" }, "due_on": { "type": "string", "format": "date" },
        "status": { "type": "string", "enum": statuses }, "reminded_at": { "type": "string", "format": "date-time", "nullable": true },
        "event_title": { "type": "string" }, "community_slug": { "type": "string" }, "community_name": { "type": "string" } } });
    let report_back = json!({ "type": "object", "nullable": true, "properties": {
        "id": { "type": "integer" }, "event_id": { "type": "integer" }, "person_id": { "type": "integer" }, "person_name": { "type": "string" },
        "reported_on": { "type": "string", "format": "date" }, "format": { "type": "string", "enum": formats },
        "audience": { "type": "integer", "minimum": 0 }, "notes": { "type": "string", "nullable": true } } });
    let minutes_form = json!({ "type": "object", "required": ["summary"], "properties": {
        "summary": { "type": "string", "description": "Markdown, at most 20,000 characters" },
        "takeaways": { "type": "string", "description": "Markdown, at most 20,000 characters" },
        "status": { "type": "string", "enum": ["draft", "published"], "description": "Default draft; every save is a new version" } } });
    let decision_form = json!({ "type": "object", "required": ["title", "decided_on", "method"], "properties": {
        "title": { "type": "string" }, "body": { "type": "string" }, "decided_on": { "type": "string", "description": "YYYY-MM-DD" },
        "method": { "type": "string", "enum": methods }, "votes_for": { "type": "string" }, "votes_against": { "type": "string" },
        "votes_abstain": { "type": "string" }, "decided_by": { "type": "string" } } });
    let item_form = json!({ "type": "object", "required": ["title", "owner", "due_on"], "properties": {
        "title": { "type": "string" }, "owner": { "type": "string", "description": "Id of a person of the community" },
        "due_on": { "type": "string", "description": "YYYY-MM-DD" } } });
    let report_form = json!({ "type": "object", "required": ["reported_on", "format", "audience"], "properties": {
        "reported_on": { "type": "string", "description": "YYYY-MM-DD" }, "format": { "type": "string", "enum": formats },
        "audience": { "type": "string", "description": "People reached, an integer ≥ 0" }, "notes": { "type": "string" } } });
    let paged = |it: Value| {
        json!({ "type": "object", "properties": { "items": { "type": "array", "items": it },
        "page": { "type": "integer" }, "per_page": { "type": "integer" }, "total": { "type": "integer" }, "pages": { "type": "integer" } } })
    };
    let v = json!({
        "/communities/{slug}/events/{id}/minutes": {
            "parameters": [slug, id],
            "get": { "summary": "An event's published minutes (and the newest draft for the rapporteur and managers), decisions, action items, lessons learned and cascade rate (members)",
                "responses": { "200": ok(json!({ "type": "object", "properties": { "current": version, "draft": version,
                    "decisions": { "type": "array", "items": { "type": "object" } }, "action_items": { "type": "array", "items": item },
                    "lessons": { "type": "array", "items": { "type": "object" } },
                    "cascade": { "type": "object", "properties": { "reported": { "type": "integer" }, "attendees": { "type": "integer" }, "percent": { "type": "integer", "nullable": true } } },
                    "can_write": { "type": "boolean" } } })), "401": err, "403": err, "404": err } },
            "put": { "summary": "Save a new version of the minutes, as a draft or published (rapporteur and managers)", "requestBody": body(minutes_form),
                "responses": { "200": ok(version.clone()), "401": err, "403": err, "404": err, "422": err } }
        },
        "/communities/{slug}/events/{id}/minutes/versions": {
            "parameters": [slug, id, int_q("page", "Page number"), int_q("per_page", "Items per page")],
            "get": { "summary": "The minutes' history, newest first; drafts only for the rapporteur and managers", "responses": { "200": ok(paged(json!({ "type": "object" }))), "401": err, "403": err, "404": err } }
        },
        "/communities/{slug}/events/{id}/minutes/decisions": {
            "parameters": [slug, id],
            "post": { "summary": "Record a decision taken at the event; it enters the decision log with the event as its source", "requestBody": body(decision_form),
                "responses": { "201": created(json!({ "type": "object" })), "401": err, "403": err, "404": err, "422": err } }
        },
        "/communities/{slug}/events/{id}/minutes/items": {
            "parameters": [slug, id],
            "post": { "summary": "Add an action item with an owner and a due date", "requestBody": body(item_form),
                "responses": { "201": created(item.clone()), "401": err, "403": err, "404": err, "422": err } }
        },
        "/communities/{slug}/events/{id}/minutes/items/{item}/status": {
            "parameters": [slug, id, item_id],
            "post": { "summary": "Change an action item's status (rapporteur, managers, or the item's owner)",
                "requestBody": body(json!({ "type": "object", "required": ["status"], "properties": { "status": { "type": "string", "enum": statuses } } })),
                "responses": { "200": ok(item.clone()), "401": err, "403": err, "404": err, "422": err } }
        },
        "/communities/{slug}/events/{id}/minutes/lessons": {
            "parameters": [slug, id],
            "post": { "summary": "Add a lesson learned", "requestBody": body(json!({ "type": "object", "required": ["text"], "properties": { "text": { "type": "string" } } })),
                "responses": { "201": created(json!({ "type": "object", "properties": { "id": { "type": "integer" }, "event_id": { "type": "integer" }, "text": { "type": "string" } } })), "401": err, "403": err, "404": err, "422": err } }
        },
        "/communities/{slug}/events/{id}/report-back": {
            "parameters": [slug, id],
            "get": { "summary": "My report-back to my organization for this event (attendees only)",
                "responses": { "200": ok(json!({ "type": "object", "properties": { "report_back": report_back } })), "401": err, "403": err, "404": err } },
            "put": { "summary": "Record or replace my report-back (attendees only)", "requestBody": body(report_form),
                "responses": { "200": ok(json!({ "type": "object", "properties": { "report_back": report_back } })), "401": err, "403": err, "404": err, "422": err } }
        },
        "/communities/{slug}/events/{id}/minutes/files/{upload_id}": {
            "parameters": [slug.clone(), id.clone(), json!({ "name": "upload_id", "in": "path", "required": true, "schema": { "type": "integer" } })],
            "get": { "summary": "Download a file attached to the minutes (readers of the minutes; always as an attachment)",
                "responses": { "200": { "description": "The file", "content": { "application/octet-stream": { "schema": { "type": "string", "format": "binary" } } } }, "401": err, "403": err, "404": err } }
        },
        "/communities/{slug}/action-items": {
            "parameters": [slug, int_q("page", "Page number"), int_q("per_page", "Items per page")],
            "get": { "summary": "The community's open action items, soonest due first (members)", "responses": { "200": ok(paged(item)), "401": err, "403": err, "404": err } }
        }
    });
    match v {
        Value::Object(m) => m,
        _ => serde_json::Map::new(),
    }
}
