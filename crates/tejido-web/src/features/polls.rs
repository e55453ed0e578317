//! Learning: polls and questionnaires, After Action Reviews and Appreciative Inquiry. Pages under
//! `/c/{slug}/polls…` and `/c/{slug}/reviews…`; JSON under `/api/v1/communities/{slug}/polls…`.
//!
//! Who may do what: members (and admins and managers) answer open polls once, read aggregate
//! results and take part in reviews; managers build, open, close, duplicate and remind, see
//! non-anonymous responses and download them as CSV, and consolidate reviews. An anonymous poll's
//! results are only aggregates of its published responses (answers are held and published in
//! batches of `PUBLISH_BATCH`, all of them at closing), and breakdowns by organization or position
//! level — kept only when the poll announces them before answering — hide groups of fewer than
//! `MIN_GROUP` responses. Storage keeps anonymity: see `tejido_db::polls`.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Form, Json};
use chrono::TimeZone;
use serde::Deserialize;
use serde_json::{json, Value};
use tejido_core::page::{Page, PageReq};
use tejido_core::polls::{
    self as core, parse_answers, PollForm, PollInput, QuestionForm, QuestionKind, QuestionSpec,
    ReviewForm, ReviewKind, MAX_QUESTIONS, TEMPLATES,
};
use tejido_core::FieldErrors;
use tejido_db::communities::Community;
use tejido_db::polls::{self as store, AnswerRow, Poll, PollRow, Question, Review, ReviewEntry};
use tejido_db::{DateTime, Utc};

use crate::access::{load_manage, load_member, Loaded};
use crate::error::AppResult;
use crate::extract::ApiJson;
use crate::respond::page_json;
use crate::routes::{self as route, Level, Route};
use crate::views::Options;
use crate::views::{confirm, csv_download, headline, html, html_invalid, redirect, Pager};
use crate::{AppError, AppState, Ctx};

/// Most members written to at once (invitation or reminder).
const MAIL_LIMIT: i64 = 2000;

/// The capability's pages.
pub fn routes() -> Vec<Route> {
    vec![
        route::get("/c/{slug}/polls", Level::Member, list_page),
        route::post("/c/{slug}/polls", Level::Manager, create),
        route::post(
            "/c/{slug}/polls/from-template",
            Level::Manager,
            create_from_template,
        ),
        route::get("/c/{slug}/polls/{id}", Level::Member, poll_page),
        route::post(
            "/c/{slug}/polls/{id}/settings",
            Level::Manager,
            save_settings,
        ),
        route::post(
            "/c/{slug}/polls/{id}/questions",
            Level::Manager,
            add_question,
        ),
        route::post(
            "/c/{slug}/polls/{id}/questions/{q}",
            Level::Manager,
            edit_question,
        ),
        route::post(
            "/c/{slug}/polls/{id}/questions/{q}/move",
            Level::Manager,
            move_question,
        ),
        route::get(
            "/c/{slug}/polls/{id}/questions/{q}/delete",
            Level::Manager,
            confirm_delete_question,
        ),
        route::post(
            "/c/{slug}/polls/{id}/questions/{q}/delete",
            Level::Manager,
            delete_question,
        ),
        route::get("/c/{slug}/polls/{id}/preview", Level::Manager, preview),
        route::post("/c/{slug}/polls/{id}/duplicate", Level::Manager, duplicate),
        route::post("/c/{slug}/polls/{id}/status", Level::Manager, set_status),
        route::post("/c/{slug}/polls/{id}/remind", Level::Manager, remind),
        route::get("/c/{slug}/polls/{id}/answer", Level::Member, answer_form),
        route::post("/c/{slug}/polls/{id}/answer", Level::Member, answer_save),
        route::get("/c/{slug}/polls/{id}/results", Level::Member, results_page),
        route::get(
            "/c/{slug}/polls/{id}/results.csv",
            Level::Member,
            results_csv,
        ),
        route::get(
            "/c/{slug}/polls/{id}/responses.csv",
            Level::Manager,
            responses_csv,
        ),
        route::get("/c/{slug}/reviews", Level::Member, reviews_page),
        route::post("/c/{slug}/reviews", Level::Manager, create_review),
        route::get("/c/{slug}/reviews/{id}", Level::Member, review_page),
        route::post(
            "/c/{slug}/reviews/{id}/contribute",
            Level::Member,
            contribute,
        ),
        route::post(
            "/c/{slug}/reviews/{id}/consolidate",
            Level::Manager,
            consolidate,
        ),
        route::post(
            "/c/{slug}/reviews/{id}/outcomes",
            Level::Manager,
            add_outcome,
        ),
    ]
}

/// The JSON API, nested under `/api/v1`.
pub fn api_routes() -> Vec<Route> {
    vec![
        route::get("/communities/{slug}/polls", Level::Member, api_list),
        route::post("/communities/{slug}/polls", Level::Manager, api_create),
        route::get("/communities/{slug}/polls/{id}", Level::Member, api_poll),
        route::post(
            "/communities/{slug}/polls/{id}/questions",
            Level::Manager,
            api_add_question,
        ),
        route::patch(
            "/communities/{slug}/polls/{id}/questions/{q}",
            Level::Manager,
            api_edit_question,
        ),
        route::post(
            "/communities/{slug}/polls/{id}/questions/{q}",
            Level::Manager,
            api_edit_question,
        ),
        route::post(
            "/communities/{slug}/polls/{id}/status",
            Level::Manager,
            api_status,
        ),
        route::post(
            "/communities/{slug}/polls/{id}/answer",
            Level::Member,
            api_answer,
        ),
        route::get(
            "/communities/{slug}/polls/{id}/results",
            Level::Member,
            api_results,
        ),
        route::get("/communities/{slug}/reviews", Level::Member, api_reviews),
        route::post(
            "/communities/{slug}/reviews",
            Level::Manager,
            api_create_review,
        ),
        route::get(
            "/communities/{slug}/reviews/{id}",
            Level::Member,
            api_review,
        ),
        route::post(
            "/communities/{slug}/reviews/{id}/contribute",
            Level::Member,
            api_contribute,
        ),
        route::post(
            "/communities/{slug}/reviews/{id}/consolidate",
            Level::Manager,
            api_consolidate,
        ),
        route::post(
            "/communities/{slug}/reviews/{id}/outcomes",
            Level::Manager,
            api_add_outcome,
        ),
    ]
}

// ---- authorization ---------------------------------------------------------------------------

struct Who {
    l: Loaded,
    manage: bool,
    person: Option<i64>,
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

async fn poll_of(s: &AppState, w: &Who, id: i64) -> AppResult<Poll> {
    store::get(&s.db, w.l.community.id, id)
        .await?
        .ok_or(AppError::NotFound)
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

fn tz(m: &Community) -> chrono_tz::Tz {
    m.time_zone
        .parse()
        .unwrap_or(chrono_tz::America::Mexico_City)
}

fn to_utc(m: &Community, t: Option<chrono::NaiveDateTime>) -> Option<DateTime<Utc>> {
    t.and_then(|n| tz(m).from_local_datetime(&n).earliest())
        .map(|d| d.with_timezone(&Utc))
}

fn local_input(m: &Community, t: &Option<DateTime<Utc>>) -> String {
    t.map(|t| t.with_timezone(&tz(m)).format("%Y-%m-%dT%H:%M").to_string())
        .unwrap_or_default()
}

/// Checks the event belongs to the community.
async fn check_event(
    s: &AppState,
    m: &Community,
    event: Option<i64>,
) -> AppResult<Result<(), FieldErrors>> {
    if let Some(eid) = event {
        if tejido_db::events::get(&s.db, m.id, eid).await?.is_none() {
            return Ok(Err(FieldErrors::single("event", "error-invalid-choice")));
        }
    }
    Ok(Ok(()))
}

fn row<'a>(m: &Community, i: &'a PollInput, template: Option<&'a str>) -> PollRow<'a> {
    PollRow {
        title: &i.title,
        description: i.description.as_deref(),
        event_id: i.event_id,
        anonymous: i.anonymous,
        breakdowns: i.breakdowns,
        opens_at: to_utc(m, i.opens_at),
        closes_at: to_utc(m, i.closes_at),
        template,
    }
}

fn random_id() -> String {
    use rand::RngCore;
    let mut b = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut b);
    b.iter().map(|x| format!("{x:02x}")).collect()
}

// ---- shared writes ---------------------------------------------------------------------------

async fn write_create(
    s: &AppState,
    c: &Ctx,
    w: &Who,
    input: &PollInput,
) -> AppResult<Result<i64, FieldErrors>> {
    if let Err(e) = check_event(s, &w.l.community, input.event_id).await? {
        return Ok(Err(e));
    }
    let mut tx = s.db.begin().await?;
    let id = store::insert(
        &mut tx,
        w.l.community.id,
        &row(&w.l.community, input, None),
        c.user_id(),
    )
    .await?;
    audit(
        &mut tx,
        c,
        "poll-created",
        &w.l.community.slug,
        &id.to_string(),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(id))
}

async fn write_template(s: &AppState, c: &Ctx, w: &Who, key: &str) -> AppResult<i64> {
    let (title, qs) = core::template(key, c.lang()).ok_or(AppError::BadRequest("template"))?;
    let input = PollInput {
        title,
        description: None,
        event_id: None,
        anonymous: true,
        breakdowns: false,
        opens_at: None,
        closes_at: None,
    };
    let mut tx = s.db.begin().await?;
    let id = store::insert(
        &mut tx,
        w.l.community.id,
        &row(&w.l.community, &input, Some(key)),
        c.user_id(),
    )
    .await?;
    for q in &qs {
        store::insert_question(&mut tx, id, q).await?;
    }
    audit(
        &mut tx,
        c,
        "poll-created",
        &w.l.community.slug,
        &format!("{id}:{key}"),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

async fn write_question(
    s: &AppState,
    c: &Ctx,
    w: &Who,
    p: &Poll,
    form: &QuestionForm,
) -> AppResult<Result<i64, FieldErrors>> {
    let q = match form.parse() {
        Ok(q) => q,
        Err(e) => return Ok(Err(e)),
    };
    if !p.is_draft() {
        return Ok(Err(FieldErrors::single("text", "poll-error-not-draft")));
    }
    let mut tx = s.db.begin().await?;
    if store::question_count(&mut tx, p.id).await? >= MAX_QUESTIONS as i64 {
        return Ok(Err(FieldErrors::single(
            "text",
            "poll-error-too-many-questions",
        )));
    }
    let id = store::insert_question(&mut tx, p.id, &q).await?;
    audit(
        &mut tx,
        c,
        "poll-question-added",
        &w.l.community.slug,
        &format!("{}:{id}", p.id),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(id))
}

/// Edits a question while the poll has no response.
async fn write_edit_question(
    s: &AppState,
    c: &Ctx,
    w: &Who,
    p: &Poll,
    qid: i64,
    form: &QuestionForm,
) -> AppResult<Result<(), FieldErrors>> {
    if !store::questions(&s.db, p.id)
        .await?
        .iter()
        .any(|q| q.id == qid)
    {
        return Err(AppError::NotFound);
    }
    if !core::question_editable(store::answered_count(&s.db, p.id).await?) {
        return Ok(Err(FieldErrors::single("text", "poll-error-answered")));
    }
    let q = match form.parse() {
        Ok(q) => q,
        Err(e) => return Ok(Err(e)),
    };
    let mut tx = s.db.begin().await?;
    if !store::update_question(&mut tx, p.id, qid, &q).await? {
        // An answer arrived meanwhile.
        return Ok(Err(FieldErrors::single("text", "poll-error-answered")));
    }
    audit(
        &mut tx,
        c,
        "poll-question-edited",
        &w.l.community.slug,
        &format!("{}:{qid}", p.id),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(()))
}

/// Opens (sending the invitations through the outbox) or closes a poll.
async fn write_status(s: &AppState, c: &Ctx, w: &Who, p: &Poll, status: &str) -> AppResult<()> {
    let ok = matches!(
        (p.status.as_str(), status),
        ("draft", "open") | ("open", "closed") | ("closed", "open")
    );
    if !ok {
        return Err(AppError::Validation(FieldErrors::single(
            "status",
            "error-invalid-choice",
        )));
    }
    if status == "open" && store::questions(&s.db, p.id).await?.is_empty() {
        return Err(AppError::Validation(FieldErrors::single(
            "status",
            "poll-error-no-questions",
        )));
    }
    let now = tejido_db::now();
    let invite = status == "open" && core::invite_on_open(&timing(p), now);
    let to = if invite {
        store::recipients(&s.db, w.l.community.id, p.id, false, MAIL_LIMIT).await?
    } else {
        vec![]
    };
    let mut tx = s.db.begin().await?;
    store::set_status(&mut tx, p.id, status).await?;
    if invite && store::claim_invitation(&mut tx, p.id, now).await? {
        let m = &w.l.community;
        enqueue(
            s,
            &mut tx,
            &m.slug,
            &m.name,
            p,
            &to,
            "poll-mail-invite-subject",
        )
        .await?;
    }
    audit(
        &mut tx,
        c,
        &format!("poll-{status}"),
        &w.l.community.slug,
        &p.id.to_string(),
    )
    .await?;
    tx.commit().await?;
    if status == "closed" {
        // Whatever is held is published at closing, however few.
        publish(s, &w.l.community, p, false).await?;
    }
    Ok(())
}

/// Publishes an anonymous poll's held answers when due (`core::publish_due`: a full batch, or
/// all of them once `accepting` is false), in a transaction of its own, and then tidies the files.
/// True when some were published.
async fn publish(s: &AppState, m: &Community, p: &Poll, accepting: bool) -> AppResult<bool> {
    if !p.anonymous {
        return Ok(false);
    }
    let held = usize::try_from(store::held_count(&s.db, p.id).await?).unwrap_or(0);
    if !core::publish_due(held, accepting) {
        return Ok(false);
    }
    // The publication date, in the community's zone: the date every response of the batch keeps.
    let on = Utc::now().with_timezone(&tz(m)).date_naive();
    let mut tx = s.db.begin().await?;
    let mut fresh = random_id;
    let n =
        store::publish_held(&mut tx, p.id, on, core::publish_min(accepting), &mut fresh).await?;
    if n == 0 {
        return Ok(false);
    }
    tx.commit().await?;
    store::tidy_files(&s.db).await;
    Ok(true)
}

fn timing(p: &Poll) -> core::Timing<'_> {
    core::Timing {
        status: &p.status,
        opens_at: p.opens_at,
        closes_at: p.closes_at,
        invited_at: p.invited_at,
    }
}

async fn enqueue(
    s: &AppState,
    tx: &mut tejido_db::Tx,
    slug: &str,
    community_name: &str,
    p: &Poll,
    to: &[store::Recipient],
    subject_id: &str,
) -> tejido_db::Result<()> {
    let link = format!(
        "{}/c/{}/polls/{}/answer",
        s.config.base_url.trim_end_matches('/'),
        slug,
        p.id
    );
    for r in to {
        let tr = crate::i18n::Tr {
            i18n: &s.i18n,
            locale: r
                .locale
                .as_deref()
                .and_then(tejido_core::accounts::Locale::parse)
                .unwrap_or(tejido_core::accounts::Locale::EsMx),
        };
        let subject = tr.t1(subject_id, "title", &p.title);
        let body = tr.t2("poll-mail-body", "community", community_name, "link", &link);
        tejido_db::outbox::enqueue(tx, &r.email, &subject, &body).await?;
    }
    Ok(())
}

/// The one reminder to those who have not answered; false when already sent.
async fn write_remind(s: &AppState, c: &Ctx, w: &Who, p: &Poll) -> AppResult<bool> {
    if p.status != "open" {
        return Err(AppError::Validation(FieldErrors::single(
            "status",
            "poll-error-not-open",
        )));
    }
    let to = store::recipients(&s.db, w.l.community.id, p.id, true, MAIL_LIMIT).await?;
    let mut tx = s.db.begin().await?;
    if !store::mark_reminded(&mut tx, p.id).await? {
        return Ok(false);
    }
    let m = &w.l.community;
    enqueue(
        s,
        &mut tx,
        &m.slug,
        &m.name,
        p,
        &to,
        "poll-mail-remind-subject",
    )
    .await?;
    audit(
        &mut tx,
        c,
        "poll-reminded",
        &w.l.community.slug,
        &p.id.to_string(),
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// Most polls invited in one pass (the next pass takes the rest).
const DUE_BATCH: i64 = 100;

/// Sends the invitations of open polls whose opening time (`opens_at`) has come — polls a manager
/// opened ahead of time. Each poll's mails go through the outbox in one transaction with the mark
/// that they were sent, so a second pass (or a second worker) sends nothing again. Returns how
/// many polls were invited. Called by the worker loop (`jobs.rs`).
pub async fn send_due_invitations(s: &AppState, now: DateTime<Utc>) -> anyhow::Result<usize> {
    let due = store::due_invitations(&s.db, now, DUE_BATCH).await?;
    let mut invited = 0;
    for d in due
        .iter()
        .filter(|d| core::invitation_due(&timing(&d.poll), now))
    {
        let p = &d.poll;
        let to = store::recipients(&s.db, p.community_id, p.id, false, MAIL_LIMIT).await?;
        let mut tx = s.db.begin().await?;
        if !store::claim_invitation(&mut tx, p.id, now).await? {
            continue;
        }
        enqueue(
            s,
            &mut tx,
            &d.slug,
            &d.community_name,
            p,
            &to,
            "poll-mail-invite-subject",
        )
        .await?;
        tejido_db::audit::record(
            &mut tx,
            None,
            "poll-invited",
            Some(&d.slug),
            Some(&p.id.to_string()),
        )
        .await?;
        tx.commit().await?;
        invited += 1;
    }
    Ok(invited)
}

fn specs(qs: &[Question]) -> Vec<QuestionSpec> {
    qs.iter()
        .map(|q| QuestionSpec {
            id: q.id,
            kind: q.kind(),
            required: q.required,
            options: q.option_list().len(),
        })
        .collect()
}

enum Submitted {
    Saved,
    Already,
    Invalid(FieldErrors),
}

async fn write_answer(
    s: &AppState,
    w: &Who,
    p: &Poll,
    qs: &[Question],
    pairs: &[(String, String)],
) -> AppResult<Submitted> {
    let pid = w.person.ok_or(AppError::Forbidden)?;
    if !p.accepting(tejido_db::now()) {
        return Err(AppError::Forbidden);
    }
    let answers = match parse_answers(&specs(qs), pairs) {
        Ok(a) => a,
        Err(e) => return Ok(Submitted::Invalid(e)),
    };
    // Organization and position level only when the poll announced it before answering.
    let (org, level) = if p.breakdowns {
        store::person_groups(&s.db, pid).await?
    } else {
        (None, None)
    };
    let rid = random_id();
    // Only the date, in the community's zone, for a non-anonymous response: no time of day.
    let on = Utc::now().with_timezone(&tz(&w.l.community)).date_naive();
    let sub = store::Submission {
        response_id: &rid,
        on,
        organization_id: org,
        position_level: level.as_deref(),
        author: (!p.anonymous).then_some(pid),
        answers: &answers,
    };
    let mut tx = s.db.begin().await?;
    let mut fresh = random_id;
    if !store::submit(&mut tx, p.id, pid, &sub, &mut fresh).await? {
        return Ok(Submitted::Already);
    }
    // No audit row: its time and user would undo the anonymity of the response.
    tx.commit().await?;
    if p.anonymous {
        // The frames that hold this answer beside its participant row leave the WAL now, and
        // a full batch is published in a transaction of its own.
        store::tidy_files(&s.db).await;
        publish(s, &w.l.community, p, true).await?;
    }
    Ok(Submitted::Saved)
}

// ---- results ---------------------------------------------------------------------------------

/// One bar segment of a chart.
pub struct Seg {
    pub x: f64,
    pub w: f64,
    pub fill: &'static str,
    pub title: String,
}

pub struct ChartRow {
    pub label: String,
    pub value: String,
    pub y: u32,
    pub segs: Vec<Seg>,
}

#[derive(Template)]
#[template(path = "polls/chart.svg")]
pub struct Chart {
    pub id: String,
    pub title: String,
    pub rows: Vec<ChartRow>,
    pub h: u32,
}

/// A chart row before layout: label, value text, and (fraction, fill, tooltip) segments.
type RowSpec = (String, String, Vec<(f64, &'static str, String)>);

const PLOT_X: f64 = 150.0;
const PLOT_W: f64 = 200.0;
const LIKERT_FILLS: [&str; 5] = ["#a4161a", "#e08a5a", "#b8b8b8", "#6aa0c8", "#1d5c8c"];

fn chart(id: String, title: String, rows: Vec<RowSpec>) -> String {
    let rows: Vec<ChartRow> = rows
        .into_iter()
        .enumerate()
        .map(|(i, (label, value, parts))| {
            let mut x = PLOT_X;
            let segs = parts
                .into_iter()
                .map(|(frac, fill, title)| {
                    let w = (frac.clamp(0.0, 1.0) * PLOT_W * 10.0).round() / 10.0;
                    let s = Seg { x, w, fill, title };
                    x += w;
                    s
                })
                .collect();
            ChartRow {
                label,
                value,
                y: 8 + 26 * i as u32,
                segs,
            }
        })
        .collect();
    let h = 16 + 26 * rows.len() as u32;
    Chart { id, title, rows, h }.render().unwrap_or_default()
}

fn fmt1(x: f64) -> String {
    format!("{x:.1}")
}
fn fmt2(x: f64) -> String {
    format!("{x:.2}")
}

/// One question's aggregate.
pub struct QResult {
    pub q: Question,
    pub n: usize,
    /// (label, count, percent)
    pub dist: Vec<(String, usize, f64)>,
    pub mean: Option<String>,
    pub median: Option<String>,
    pub nps: Option<String>,
    pub paired: Option<core::Paired>,
    pub paired_text: Vec<(String, String)>,
    pub texts: Vec<String>,
    pub svg: String,
}

fn likert_labels(c: &Ctx) -> Vec<String> {
    (1..=5).map(|i| c.t(&format!("poll-likert-{i}"))).collect()
}

fn aggregate(c: &Ctx, qs: &[Question], rows: &[AnswerRow]) -> Vec<QResult> {
    qs.iter()
        .map(|q| {
            let mine: Vec<&AnswerRow> = rows.iter().filter(|r| r.question_id == q.id).collect();
            let nums: Vec<f64> = mine.iter().filter_map(|r| r.num).collect();
            let n = mine.len();
            let mut r = QResult {
                q: q.clone(),
                n,
                dist: vec![],
                mean: None,
                median: None,
                nps: None,
                paired: None,
                paired_text: vec![],
                texts: vec![],
                svg: String::new(),
            };
            let cid = format!("q{}", q.id);
            match q.kind() {
                QuestionKind::Likert => {
                    let d = core::distribution(&nums, 1, 5);
                    let labels = likert_labels(c);
                    r.dist = labels
                        .iter()
                        .zip(&d)
                        .map(|(l, k)| (l.clone(), *k, core::percent(*k, n)))
                        .collect();
                    r.mean = core::mean(&nums).map(fmt2);
                    r.median = core::median(&nums).map(fmt1);
                    let parts = r
                        .dist
                        .iter()
                        .enumerate()
                        .map(|(i, (l, k, p))| {
                            (
                                if n == 0 { 0.0 } else { *k as f64 / n as f64 },
                                LIKERT_FILLS[i],
                                format!("{l}: {k} ({p}%)"),
                            )
                        })
                        .collect();
                    r.svg = chart(
                        cid,
                        q.text.clone(),
                        vec![(c.t("poll-chart-all"), n.to_string(), parts)],
                    );
                }
                QuestionKind::Single | QuestionKind::Multiple => {
                    let opts = q.option_list();
                    let mut counts = vec![0usize; opts.len()];
                    for a in &mine {
                        if let Some(x) = a.num {
                            if let Some(k) = counts.get_mut(x as usize) {
                                *k += 1;
                            }
                        }
                        for i in a
                            .text
                            .as_deref()
                            .unwrap_or("")
                            .split(',')
                            .filter_map(|s| s.parse::<usize>().ok())
                        {
                            if let Some(k) = counts.get_mut(i) {
                                *k += 1;
                            }
                        }
                    }
                    r.dist = opts
                        .iter()
                        .zip(&counts)
                        .map(|(l, k)| (l.clone(), *k, core::percent(*k, n)))
                        .collect();
                    r.svg = bars(cid, &q.text, &r.dist, n);
                }
                QuestionKind::Nps => {
                    let d = core::distribution(&nums, 0, 10);
                    r.dist = d
                        .iter()
                        .enumerate()
                        .map(|(i, k)| (i.to_string(), *k, core::percent(*k, n)))
                        .collect();
                    r.mean = core::mean(&nums).map(fmt2);
                    r.median = core::median(&nums).map(fmt1);
                    r.nps = core::nps(&nums).map(fmt1);
                    r.svg = bars(cid, &q.text, &r.dist, n);
                }
                QuestionKind::Number => {
                    r.mean = core::mean(&nums).map(fmt2);
                    r.median = core::median(&nums).map(fmt2);
                }
                QuestionKind::Short | QuestionKind::Long => {
                    r.texts = mine
                        .iter()
                        .filter_map(|a| a.text.clone())
                        .take(500)
                        .collect();
                }
                QuestionKind::PrePost => {
                    let pairs: Vec<(f64, f64)> = mine
                        .iter()
                        .filter_map(|a| Some((a.num?, a.num2?)))
                        .collect();
                    if let Some(p) = core::paired(&pairs) {
                        r.paired_text = vec![
                            (c.t("poll-result-before"), fmt2(p.mean_before)),
                            (c.t("poll-result-after"), fmt2(p.mean_after)),
                            (c.t("poll-result-diff"), fmt2(p.mean_diff)),
                            (
                                c.t("poll-result-sd"),
                                p.sd_diff.map(fmt2).unwrap_or_else(|| "—".into()),
                            ),
                        ];
                        r.svg = chart(
                            cid,
                            q.text.clone(),
                            vec![
                                (
                                    c.t("poll-result-before"),
                                    fmt2(p.mean_before),
                                    vec![(p.mean_before / 5.0, "#b8b8b8", fmt2(p.mean_before))],
                                ),
                                (
                                    c.t("poll-result-after"),
                                    fmt2(p.mean_after),
                                    vec![(p.mean_after / 5.0, "#1d5c8c", fmt2(p.mean_after))],
                                ),
                            ],
                        );
                        r.paired = Some(p);
                    }
                }
            }
            r
        })
        .collect()
}

fn bars(id: String, title: &str, dist: &[(String, usize, f64)], n: usize) -> String {
    let max = dist.iter().map(|d| d.1).max().unwrap_or(0).max(1);
    let _ = n;
    chart(
        id,
        title.to_owned(),
        dist.iter()
            .map(|(l, k, p)| {
                (
                    l.clone(),
                    format!("{k} ({p}%)"),
                    vec![(*k as f64 / max as f64, "#1d5c8c", format!("{l}: {k}"))],
                )
            })
            .collect(),
    )
}

/// A breakdown of response counts and Likert/NPS means by group; groups under `MIN_GROUP` hidden.
pub struct Group {
    pub label: String,
    pub n: usize,
}

fn breakdown(c: &Ctx, rows: &[AnswerRow], by_org: bool) -> (Vec<Group>, usize) {
    let mut seen: Vec<(String, Option<String>)> = vec![];
    for r in rows {
        let key = if by_org {
            r.organization_name.clone()
        } else {
            r.position_level.clone()
        };
        if !seen.iter().any(|(id, _)| id == &r.response_id) {
            seen.push((r.response_id.clone(), key));
        }
    }
    let mut groups: Vec<(Option<String>, usize)> = vec![];
    for (_, k) in &seen {
        match groups.iter_mut().find(|g| &g.0 == k) {
            Some(g) => g.1 += 1,
            None => groups.push((k.clone(), 1)),
        }
    }
    let mut hidden = 0;
    let mut out = vec![];
    for (k, n) in groups {
        if core::group_visible(n) {
            out.push(Group {
                label: k.unwrap_or_else(|| c.t("poll-group-unknown")),
                n,
            });
        } else {
            hidden += 1;
        }
    }
    out.sort_by(|a, b| a.label.cmp(&b.label));
    (out, hidden)
}

// ---- pages -----------------------------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PageQuery {
    page: Option<u32>,
    per_page: Option<u32>,
}

#[derive(Template)]
#[template(path = "polls/list.html")]
struct ListPage {
    c: Ctx,
    m: Community,
    manage: bool,
    polls: Page<Poll>,
    pager: Pager,
    templates: Options,
    /// The template selected at first.
    first: String,
    form: PollForm,
    errors: FieldErrors,
    events: Options,
}

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

fn template_options(c: &Ctx) -> Options {
    TEMPLATES
        .iter()
        .map(|t| ((*t).to_owned(), c.label("poll-template", t)))
        .collect()
}

async fn list_view(
    s: &AppState,
    c: Ctx,
    w: Who,
    page: Option<u32>,
    form: PollForm,
    errors: FieldErrors,
) -> AppResult<ListPage> {
    let polls = store::list(&s.db, w.l.community.id, w.manage, PageReq::new(page, None)).await?;
    let pager = Pager::new(&polls, &format!("/c/{}/polls", w.l.community.slug));
    let events = if w.manage {
        event_options(s, &w.l.community).await?
    } else {
        vec![]
    };
    let templates = template_options(&c);
    Ok(ListPage {
        c,
        m: w.l.community,
        manage: w.manage,
        polls,
        pager,
        templates,
        first: TEMPLATES[0].to_owned(),
        form,
        errors,
        events,
    })
}

async fn list_page(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<PageQuery>,
) -> AppResult<Response> {
    let w = member(&s, &c, &slug).await?;
    Ok(html(
        &list_view(&s, c, w, q.page, PollForm::default(), FieldErrors::new()).await?,
    ))
}

async fn create(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Form(form): Form<PollForm>,
) -> AppResult<Response> {
    let w = manager(&s, &c, &slug).await?;
    let r = match form.parse() {
        Ok(i) => write_create(&s, &c, &w, &i).await?,
        Err(e) => Err(e),
    };
    match r {
        Ok(id) => Ok(redirect(&format!("/c/{slug}/polls/{id}"))),
        Err(errors) => Ok(html_invalid(
            &list_view(&s, c, w, None, form, errors).await?,
        )),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct TemplateForm {
    template: String,
}

async fn create_from_template(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Form(f): Form<TemplateForm>,
) -> AppResult<Response> {
    let w = manager(&s, &c, &slug).await?;
    if !TEMPLATES.contains(&f.template.as_str()) {
        let errors = FieldErrors::single("template", "error-invalid-choice");
        return Ok(html_invalid(
            &list_view(&s, c, w, None, PollForm::default(), errors).await?,
        ));
    }
    let id = write_template(&s, &c, &w, &f.template).await?;
    Ok(redirect(&format!("/c/{slug}/polls/{id}")))
}

#[derive(Template)]
#[template(path = "polls/show.html")]
struct PollPage {
    c: Ctx,
    m: Community,
    p: Poll,
    manage: bool,
    answered: bool,
    accepting: bool,
    responses: i64,
    questions: Vec<Question>,
    form: PollForm,
    errors: FieldErrors,
    qform: QuestionForm,
    qerrors: FieldErrors,
    kinds: Options,
    levels: Options,
    events: Options,
    /// Questions may be edited: nobody has answered yet.
    editable: bool,
    /// Opened ahead of its opening time: the invitations go out then.
    scheduled: bool,
    /// The question whose edit form came back with errors (0: none).
    edit_q: i64,
    eform: QuestionForm,
    eerrors: FieldErrors,
}

impl PollPage {
    /// The edit form of a question: as sent back with errors, or its stored values.
    fn edit_form(&self, q: &Question) -> QuestionForm {
        if q.id == self.edit_q {
            return self.eform.clone();
        }
        QuestionForm {
            kind: q.kind.clone(),
            text: q.text.clone(),
            options: q.options.clone(),
            required: if q.required {
                "on".into()
            } else {
                String::new()
            },
            level: q.level.clone().unwrap_or_default(),
        }
    }
    /// The opening time in the community's zone.
    fn opens_local(&self) -> String {
        local_input(&self.m, &self.p.opens_at).replace('T', " ")
    }
    fn edit_errors(&self, q: &Question) -> FieldErrors {
        if q.id == self.edit_q {
            self.eerrors.clone()
        } else {
            FieldErrors::new()
        }
    }
}

#[allow(clippy::too_many_arguments)] // the page's two forms, each with its errors
async fn poll_view(
    s: &AppState,
    c: Ctx,
    w: Who,
    p: Poll,
    form: Option<PollForm>,
    errors: FieldErrors,
    qform: Option<QuestionForm>,
    qerrors: FieldErrors,
) -> AppResult<PollPage> {
    let questions = store::questions(&s.db, p.id).await?;
    let answered = match w.person {
        Some(pid) => store::has_answered(&s.db, p.id, pid).await?,
        None => false,
    };
    let responses = store::answered_count(&s.db, p.id).await?;
    let m = w.l.community;
    let form = form.unwrap_or_else(|| PollForm {
        title: p.title.clone(),
        description: p.description.clone().unwrap_or_default(),
        event: p.event_id.map(|e| e.to_string()).unwrap_or_default(),
        anonymous: if p.anonymous {
            "on".into()
        } else {
            String::new()
        },
        breakdowns: if p.breakdowns {
            "on".into()
        } else {
            String::new()
        },
        opens_at: local_input(&m, &p.opens_at),
        closes_at: local_input(&m, &p.closes_at),
    });
    let events = if w.manage {
        event_options(s, &m).await?
    } else {
        vec![]
    };
    let kinds = QuestionKind::ALL
        .iter()
        .map(|k| (k.as_str().to_owned(), c.label("poll-kind", k.as_str())))
        .collect();
    let levels = core::LEVELS
        .iter()
        .map(|l| ((*l).to_owned(), c.label("poll-level", l)))
        .collect();
    let now = tejido_db::now();
    Ok(PollPage {
        accepting: p.accepting(now),
        editable: core::question_editable(responses),
        scheduled: p.status == "open"
            && p.invited_at.is_none()
            && p.opens_at.is_some_and(|o| o > now),
        edit_q: 0,
        eform: QuestionForm::default(),
        eerrors: FieldErrors::new(),
        c,
        m,
        p,
        manage: w.manage,
        answered,
        responses,
        questions,
        form,
        errors,
        qform: qform.unwrap_or_else(|| QuestionForm {
            kind: "likert".into(),
            required: "on".into(),
            ..Default::default()
        }),
        qerrors,
        kinds,
        levels,
        events,
    })
}

async fn poll_page(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    let w = member(&s, &c, &slug).await?;
    let p = poll_of(&s, &w, id).await?;
    if p.is_draft() && !w.manage {
        return Err(AppError::NotFound);
    }
    Ok(html(
        &poll_view(
            &s,
            c,
            w,
            p,
            None,
            FieldErrors::new(),
            None,
            FieldErrors::new(),
        )
        .await?,
    ))
}

async fn save_settings(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Form(form): Form<PollForm>,
) -> AppResult<Response> {
    let w = manager(&s, &c, &slug).await?;
    let p = poll_of(&s, &w, id).await?;
    let mut r = form.parse();
    if let Ok(i) = &r {
        if let Err(e) = check_event(&s, &w.l.community, i.event_id).await? {
            r = Err(e);
        } else if (i.anonymous, i.breakdowns) != (p.anonymous, p.breakdowns)
            && store::answered_count(&s.db, p.id).await? > 0
        {
            // What is stored, and what the answer page announced, cannot change under answers.
            r = Err(if i.anonymous != p.anonymous {
                FieldErrors::single("anonymous", "poll-error-anonymity-fixed")
            } else {
                FieldErrors::single("breakdowns", "poll-error-breakdowns-fixed")
            });
        }
    }
    match r {
        Ok(i) => {
            let mut tx = s.db.begin().await?;
            store::update(&mut tx, p.id, &row(&w.l.community, &i, None)).await?;
            audit(&mut tx, &c, "poll-updated", &slug, &id.to_string()).await?;
            tx.commit().await?;
            Ok(redirect(&format!("/c/{slug}/polls/{id}")))
        }
        Err(errors) => Ok(html_invalid(
            &poll_view(&s, c, w, p, Some(form), errors, None, FieldErrors::new()).await?,
        )),
    }
}

async fn add_question(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Form(form): Form<QuestionForm>,
) -> AppResult<Response> {
    let w = manager(&s, &c, &slug).await?;
    let p = poll_of(&s, &w, id).await?;
    match write_question(&s, &c, &w, &p, &form).await? {
        Ok(_) => Ok(redirect(&format!("/c/{slug}/polls/{id}#questions"))),
        Err(errors) => Ok(html_invalid(
            &poll_view(&s, c, w, p, None, FieldErrors::new(), Some(form), errors).await?,
        )),
    }
}

async fn edit_question(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id, q)): Path<(String, i64, i64)>,
    Form(form): Form<QuestionForm>,
) -> AppResult<Response> {
    let w = manager(&s, &c, &slug).await?;
    let p = poll_of(&s, &w, id).await?;
    match write_edit_question(&s, &c, &w, &p, q, &form).await? {
        Ok(()) => Ok(redirect(&format!("/c/{slug}/polls/{id}#q{q}"))),
        Err(errors) => {
            let mut page = poll_view(
                &s,
                c,
                w,
                p,
                None,
                FieldErrors::new(),
                None,
                FieldErrors::new(),
            )
            .await?;
            page.edit_q = q;
            page.eform = form;
            page.eerrors = errors;
            Ok(html_invalid(&page))
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct MoveForm {
    dir: String,
}

async fn move_question(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id, q)): Path<(String, i64, i64)>,
    Form(f): Form<MoveForm>,
) -> AppResult<Response> {
    let w = manager(&s, &c, &slug).await?;
    let p = poll_of(&s, &w, id).await?;
    let mut tx = s.db.begin().await?;
    store::move_question(&mut tx, p.id, q, f.dir != "down").await?;
    tx.commit().await?;
    Ok(redirect(&format!("/c/{slug}/polls/{id}#questions")))
}

/// Asks before a question leaves a draft poll.
async fn confirm_delete_question(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id, q)): Path<(String, i64, i64)>,
) -> AppResult<Response> {
    let w = manager(&s, &c, &slug).await?;
    let p = poll_of(&s, &w, id).await?;
    let question = store::questions(&s.db, p.id)
        .await?
        .into_iter()
        .find(|x| x.id == q)
        .ok_or(AppError::NotFound)?;
    Ok(confirm(
        c.t1(
            "poll-delete-question-question",
            "name",
            &headline(&question.text, 80),
        ),
        c.t("confirm-delete-note"),
        format!("/c/{slug}/polls/{id}/questions/{q}/delete"),
        vec![],
        c.t("confirm-delete"),
        format!("/c/{slug}/polls/{id}"),
        c,
    ))
}

async fn delete_question(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id, q)): Path<(String, i64, i64)>,
) -> AppResult<Response> {
    let w = manager(&s, &c, &slug).await?;
    let p = poll_of(&s, &w, id).await?;
    if !p.is_draft() {
        return Err(AppError::Validation(FieldErrors::single(
            "text",
            "poll-error-not-draft",
        )));
    }
    let mut tx = s.db.begin().await?;
    if !store::delete_question(&mut tx, p.id, q).await? {
        return Err(AppError::NotFound);
    }
    audit(
        &mut tx,
        &c,
        "poll-question-deleted",
        &slug,
        &format!("{id}:{q}"),
    )
    .await?;
    tx.commit().await?;
    Ok(redirect(&format!("/c/{slug}/polls/{id}#questions")))
}

#[derive(Template)]
#[template(path = "polls/answer.html")]
struct AnswerPage {
    c: Ctx,
    m: Community,
    p: Poll,
    questions: Vec<Question>,
    preview: bool,
    answered: bool,
    accepting: bool,
    values: Vec<(String, String)>,
    errors: FieldErrors,
    likert: Vec<String>,
}

impl AnswerPage {
    fn value(&self, key: &str) -> String {
        self.values
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }
    fn checked(&self, key: &str, v: &usize) -> bool {
        let v = v.to_string();
        self.values.iter().any(|(k, x)| k == key && *x == v)
    }
    fn key(&self, q: &Question) -> String {
        format!("q{}", q.id)
    }
}

async fn answer_view(
    s: &AppState,
    c: Ctx,
    w: Who,
    p: Poll,
    preview: bool,
    values: Vec<(String, String)>,
    errors: FieldErrors,
) -> AppResult<AnswerPage> {
    let questions = store::questions(&s.db, p.id).await?;
    let answered = match w.person {
        Some(pid) => store::has_answered(&s.db, p.id, pid).await?,
        None => false,
    };
    let likert = likert_labels(&c);
    Ok(AnswerPage {
        accepting: p.accepting(tejido_db::now()),
        c,
        m: w.l.community,
        p,
        questions,
        preview,
        answered,
        values,
        errors,
        likert,
    })
}

async fn preview(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    let w = manager(&s, &c, &slug).await?;
    let p = poll_of(&s, &w, id).await?;
    Ok(html(
        &answer_view(&s, c, w, p, true, vec![], FieldErrors::new()).await?,
    ))
}

async fn answer_form(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    let w = member(&s, &c, &slug).await?;
    let p = poll_of(&s, &w, id).await?;
    if p.is_draft() {
        return Err(AppError::NotFound);
    }
    Ok(html(
        &answer_view(&s, c, w, p, false, vec![], FieldErrors::new()).await?,
    ))
}

async fn answer_save(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    c.require_user()?;
    let w = member(&s, &c, &slug).await?;
    let p = poll_of(&s, &w, id).await?;
    let qs = store::questions(&s.db, p.id).await?;
    match write_answer(&s, &w, &p, &qs, &pairs).await? {
        Submitted::Saved | Submitted::Already => {
            Ok(redirect(&format!("/c/{slug}/polls/{id}?answered=1")))
        }
        Submitted::Invalid(errors) => {
            let values = pairs.into_iter().filter(|(k, _)| k != "_csrf").collect();
            Ok(html_invalid(
                &answer_view(&s, c, w, p, false, values, errors).await?,
            ))
        }
    }
}

async fn duplicate(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    let w = manager(&s, &c, &slug).await?;
    let p = poll_of(&s, &w, id).await?;
    let title: String = c
        .t1("poll-copy-title", "title", &p.title)
        .chars()
        .take(200)
        .collect();
    let mut tx = s.db.begin().await?;
    let nid = store::duplicate(&mut tx, &p, &title, c.user_id()).await?;
    audit(
        &mut tx,
        &c,
        "poll-duplicated",
        &slug,
        &format!("{id}:{nid}"),
    )
    .await?;
    tx.commit().await?;
    Ok(redirect(&format!("/c/{slug}/polls/{nid}")))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct StatusForm {
    status: String,
}

async fn set_status(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Form(f): Form<StatusForm>,
) -> AppResult<Response> {
    let w = manager(&s, &c, &slug).await?;
    let p = poll_of(&s, &w, id).await?;
    write_status(&s, &c, &w, &p, &f.status).await?;
    Ok(redirect(&format!("/c/{slug}/polls/{id}")))
}

async fn remind(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    let w = manager(&s, &c, &slug).await?;
    let p = poll_of(&s, &w, id).await?;
    write_remind(&s, &c, &w, &p).await?;
    Ok(redirect(&format!("/c/{slug}/polls/{id}")))
}

#[derive(Template)]
#[template(path = "polls/results.html")]
struct ResultsPage {
    c: Ctx,
    m: Community,
    p: Poll,
    manage: bool,
    /// Published responses: the ones every figure is computed from.
    responses: usize,
    /// Answers of an anonymous poll waiting for their batch.
    held: i64,
    results: Vec<QResult>,
    by_org: Vec<Group>,
    by_org_hidden: usize,
    by_level: Vec<Group>,
    by_level_hidden: usize,
}

/// A poll's questions and published answers, and how many answers are still held. A poll that
/// stopped accepting answers by its closing time publishes what it holds first.
async fn results_data(
    s: &AppState,
    w: &Who,
    id: i64,
) -> AppResult<(Poll, Vec<Question>, Vec<AnswerRow>, i64)> {
    let p = poll_of(s, w, id).await?;
    if p.is_draft() && !w.manage {
        return Err(AppError::NotFound);
    }
    if !p.is_draft() && !p.accepting(tejido_db::now()) {
        publish(s, &w.l.community, &p, false).await?;
    }
    let qs = store::questions(&s.db, p.id).await?;
    let rows = store::answers(&s.db, p.id).await?;
    let held = if p.anonymous {
        store::held_count(&s.db, p.id).await?
    } else {
        0
    };
    Ok((p, qs, rows, held))
}

fn respondents(rows: &[AnswerRow]) -> usize {
    let mut ids: Vec<&str> = rows.iter().map(|r| r.response_id.as_str()).collect();
    ids.dedup();
    ids.len()
}

async fn results_page(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    let w = member(&s, &c, &slug).await?;
    let (p, qs, rows, held) = results_data(&s, &w, id).await?;
    let results = aggregate(&c, &qs, &rows);
    let (by_org, by_org_hidden) = breakdown(&c, &rows, true);
    let (by_level, by_level_hidden) = breakdown(&c, &rows, false);
    Ok(html(&ResultsPage {
        responses: respondents(&rows),
        held,
        c,
        m: w.l.community,
        p,
        manage: w.manage,
        results,
        by_org,
        by_org_hidden,
        by_level,
        by_level_hidden,
    }))
}

async fn results_csv(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    let w = member(&s, &c, &slug).await?;
    let (p, qs, rows, _) = results_data(&s, &w, id).await?;
    let mut lines = vec![vec![
        "question".into(),
        "kind".into(),
        "n".into(),
        "label".into(),
        "count".into(),
        "percent".into(),
        "mean".into(),
        "median".into(),
        "nps".into(),
        "mean_before".into(),
        "mean_after".into(),
        "mean_diff".into(),
        "sd_diff".into(),
    ]];
    for r in aggregate(&c, &qs, &rows) {
        let base = |label: String, count: String, pct: String| {
            vec![
                r.q.text.clone(),
                r.q.kind.clone(),
                r.n.to_string(),
                label,
                count,
                pct,
                r.mean.clone().unwrap_or_default(),
                r.median.clone().unwrap_or_default(),
                r.nps.clone().unwrap_or_default(),
                r.paired
                    .as_ref()
                    .map(|p| fmt2(p.mean_before))
                    .unwrap_or_default(),
                r.paired
                    .as_ref()
                    .map(|p| fmt2(p.mean_after))
                    .unwrap_or_default(),
                r.paired
                    .as_ref()
                    .map(|p| fmt2(p.mean_diff))
                    .unwrap_or_default(),
                r.paired
                    .as_ref()
                    .and_then(|p| p.sd_diff)
                    .map(fmt2)
                    .unwrap_or_default(),
            ]
        };
        if r.dist.is_empty() {
            lines.push(base(String::new(), String::new(), String::new()));
        }
        for (l, k, pct) in &r.dist {
            lines.push(base(l.clone(), k.to_string(), pct.to_string()));
        }
    }
    Ok(csv_download(&format!("poll-{}-results.csv", p.id), lines))
}

/// One line per response: for anonymous polls a sequence number only (responses are in random-id
/// order), never an id, a date, a name or a group; for others the respondent's name.
async fn responses_csv(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    let w = manager(&s, &c, &slug).await?;
    let (p, qs, rows, _) = results_data(&s, &w, id).await?;
    let mut head = vec!["n".to_owned()];
    if !p.anonymous {
        head.push("person".into());
    }
    for q in &qs {
        if q.kind() == QuestionKind::PrePost {
            head.push(format!("{} (before)", q.text));
            head.push(format!("{} (after)", q.text));
        } else {
            head.push(q.text.clone());
        }
    }
    let mut lines = vec![head];
    let mut i = 0;
    let mut start = 0;
    while start < rows.len() {
        let rid = &rows[start].response_id;
        let end = rows[start..]
            .iter()
            .position(|r| &r.response_id != rid)
            .map_or(rows.len(), |k| start + k);
        let group = &rows[start..end];
        i += 1;
        let mut line = vec![i.to_string()];
        if !p.anonymous {
            line.push(group[0].author_name.clone().unwrap_or_default());
        }
        for q in &qs {
            let a = group.iter().find(|r| r.question_id == q.id);
            let num = |x: Option<f64>| {
                x.map(|v| {
                    if v.fract() == 0.0 {
                        format!("{v:.0}")
                    } else {
                        v.to_string()
                    }
                })
                .unwrap_or_default()
            };
            match q.kind() {
                QuestionKind::PrePost => {
                    line.push(num(a.and_then(|a| a.num)));
                    line.push(num(a.and_then(|a| a.num2)));
                }
                QuestionKind::Single => {
                    let opts = q.option_list();
                    line.push(
                        a.and_then(|a| a.num)
                            .and_then(|x| opts.get(x as usize).cloned())
                            .unwrap_or_default(),
                    );
                }
                QuestionKind::Multiple => {
                    let opts = q.option_list();
                    let t = a.and_then(|a| a.text.as_deref()).unwrap_or("");
                    line.push(
                        t.split(',')
                            .filter_map(|x| x.parse::<usize>().ok())
                            .filter_map(|x| opts.get(x).cloned())
                            .collect::<Vec<_>>()
                            .join("; "),
                    );
                }
                QuestionKind::Short | QuestionKind::Long => {
                    line.push(a.and_then(|a| a.text.clone()).unwrap_or_default())
                }
                _ => line.push(num(a.and_then(|a| a.num))),
            }
        }
        lines.push(line);
        start = end;
    }
    Ok(csv_download(&format!("poll-{}-responses.csv", p.id), lines))
}

// ---- reviews ---------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "polls/reviews.html")]
struct ReviewsPage {
    c: Ctx,
    m: Community,
    reviews: Page<Review>,
    pager: Pager,
    form: ReviewForm,
    errors: FieldErrors,
    events: Options,
    kinds: Options,
}

async fn reviews_view(
    s: &AppState,
    c: Ctx,
    w: Who,
    page: Option<u32>,
    form: ReviewForm,
    errors: FieldErrors,
) -> AppResult<ReviewsPage> {
    let reviews = store::reviews(&s.db, w.l.community.id, PageReq::new(page, None)).await?;
    let pager = Pager::new(&reviews, &format!("/c/{}/reviews", w.l.community.slug));
    let events = event_options(s, &w.l.community).await?;
    let kinds = vec![
        ("aar".to_owned(), c.t("review-kind-aar")),
        ("ai".to_owned(), c.t("review-kind-ai")),
    ];
    Ok(ReviewsPage {
        c,
        m: w.l.community,
        reviews,
        pager,
        form,
        errors,
        events,
        kinds,
    })
}

async fn reviews_page(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<PageQuery>,
) -> AppResult<Response> {
    let w = member(&s, &c, &slug).await?;
    Ok(html(
        &reviews_view(
            &s,
            c,
            w,
            q.page,
            ReviewForm {
                kind: "aar".into(),
                ..Default::default()
            },
            FieldErrors::new(),
        )
        .await?,
    ))
}

async fn create_review(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Form(form): Form<ReviewForm>,
) -> AppResult<Response> {
    let w = manager(&s, &c, &slug).await?;
    let mut r = form.parse();
    if let Ok(i) = &r {
        if let Err(e) = check_event(&s, &w.l.community, i.event_id).await? {
            r = Err(e);
        }
    }
    match r {
        Ok(i) => {
            let mut tx = s.db.begin().await?;
            let id = store::insert_review(&mut tx, w.l.community.id, &i, c.user_id()).await?;
            audit(&mut tx, &c, "review-created", &slug, &id.to_string()).await?;
            tx.commit().await?;
            Ok(redirect(&format!("/c/{slug}/reviews/{id}")))
        }
        Err(errors) => Ok(html_invalid(
            &reviews_view(&s, c, w, None, form, errors).await?,
        )),
    }
}

#[derive(Template)]
#[template(path = "polls/review.html")]
struct ReviewPage {
    c: Ctx,
    m: Community,
    r: Review,
    manage: bool,
    sections: Vec<&'static str>,
    contributions: Vec<ReviewEntry>,
    consolidated: Vec<ReviewEntry>,
    errors: FieldErrors,
    values: Vec<(String, String)>,
    owners: Options,
}

impl ReviewPage {
    fn value(&self, key: &str) -> String {
        self.values
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }
    /// Messages of a refused action item or lesson (their fields are not section names).
    fn outcome_errors(&self) -> Vec<String> {
        self.errors
            .0
            .iter()
            .filter(|e| ["what", "title", "owner", "due_on", "text"].contains(&e.field.as_str()))
            .map(|e| e.code.clone())
            .collect()
    }
    fn section_label(&self, s: &str) -> String {
        self.c
            .label(if self.r.kind == "ai" { "ai" } else { "review" }, s)
    }
}

async fn review_view(
    s: &AppState,
    c: Ctx,
    w: Who,
    id: i64,
    values: Vec<(String, String)>,
    errors: FieldErrors,
) -> AppResult<ReviewPage> {
    let r = store::review(&s.db, w.l.community.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let all = store::entries(&s.db, r.id).await?;
    let (consolidated, contributions): (Vec<_>, Vec<_>) =
        all.into_iter().partition(|e| e.consolidated);
    let kind = ReviewKind::parse(&r.kind).unwrap_or(ReviewKind::Aar);
    let owners = if w.manage {
        tejido_db::minutes::owner_choices(&s.db, w.l.community.id, 500)
            .await?
            .into_iter()
            .map(|(id, n)| (id.to_string(), n))
            .collect()
    } else {
        vec![]
    };
    Ok(ReviewPage {
        c,
        m: w.l.community,
        r,
        manage: w.manage,
        sections: kind.sections().to_vec(),
        contributions,
        consolidated,
        errors,
        values,
        owners,
    })
}

async fn review_page(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    let w = member(&s, &c, &slug).await?;
    Ok(html(
        &review_view(&s, c, w, id, vec![], FieldErrors::new()).await?,
    ))
}

async fn write_entries(
    s: &AppState,
    c: &Ctx,
    w: &Who,
    id: i64,
    consolidated: bool,
    pairs: &[(String, String)],
) -> AppResult<Result<(), FieldErrors>> {
    let r = store::review(&s.db, w.l.community.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let kind = ReviewKind::parse(&r.kind).unwrap_or(ReviewKind::Aar);
    let sections = match core::parse_sections(kind, pairs) {
        Ok(x) => x,
        Err(e) => return Ok(Err(e)),
    };
    let mut tx = s.db.begin().await?;
    store::add_entries(&mut tx, r.id, w.person, consolidated, &sections).await?;
    audit(
        &mut tx,
        c,
        if consolidated {
            "review-consolidated"
        } else {
            "review-contributed"
        },
        &w.l.community.slug,
        &id.to_string(),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(()))
}

async fn contribute(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    c.require_user()?;
    let w = member(&s, &c, &slug).await?;
    match write_entries(&s, &c, &w, id, false, &pairs).await? {
        Ok(()) => Ok(redirect(&format!("/c/{slug}/reviews/{id}"))),
        Err(errors) => Ok(html_invalid(
            &review_view(&s, c, w, id, pairs, errors).await?,
        )),
    }
}

async fn consolidate(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let w = manager(&s, &c, &slug).await?;
    match write_entries(&s, &c, &w, id, true, &pairs).await? {
        Ok(()) => Ok(redirect(&format!("/c/{slug}/reviews/{id}"))),
        Err(errors) => Ok(html_invalid(
            &review_view(&s, c, w, id, pairs, errors).await?,
        )),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct OutcomeForm {
    /// "item" or "lesson".
    what: String,
    title: String,
    owner: String,
    due_on: String,
    text: String,
}

/// Adds an action item or a lesson learned from a review; they live with the review's event.
async fn write_outcome(
    s: &AppState,
    c: &Ctx,
    w: &Who,
    id: i64,
    f: &OutcomeForm,
) -> AppResult<Result<(), FieldErrors>> {
    let r = store::review(&s.db, w.l.community.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let Some(eid) = r.event_id else {
        return Ok(Err(FieldErrors::single("what", "review-error-needs-event")));
    };
    enum Outcome {
        Item(tejido_core::minutes::ActionItemInput),
        Lesson(String),
    }
    let outcome = match f.what.as_str() {
        "item" => {
            let form = tejido_core::minutes::ActionItemForm {
                title: f.title.clone(),
                owner: f.owner.clone(),
                due_on: f.due_on.clone(),
            };
            match form.parse() {
                Ok(i) => {
                    if !tejido_db::minutes::is_community_person(
                        &s.db,
                        w.l.community.id,
                        i.owner_person_id,
                    )
                    .await?
                    {
                        return Ok(Err(FieldErrors::single("owner", "error-invalid-choice")));
                    }
                    Outcome::Item(i)
                }
                Err(e) => return Ok(Err(e)),
            }
        }
        "lesson" => {
            let mut e = FieldErrors::new();
            let text = tejido_core::validate::required(&mut e, "text", &f.text, 2000);
            if !e.is_empty() {
                return Ok(Err(e));
            }
            Outcome::Lesson(text)
        }
        _ => {
            return Ok(Err(FieldErrors::single(
                "what",
                "review-error-unknown-outcome",
            )))
        }
    };
    let mut tx = s.db.begin().await?;
    match &outcome {
        Outcome::Item(i) => {
            tejido_db::minutes::insert_item(&mut tx, eid, i, c.user_id()).await?;
        }
        Outcome::Lesson(t) => {
            tejido_db::minutes::insert_lesson(&mut tx, eid, t, c.user_id()).await?;
        }
    }
    audit(
        &mut tx,
        c,
        "review-outcome-added",
        &w.l.community.slug,
        &format!("{id}:{}", f.what),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(()))
}

async fn add_outcome(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Form(f): Form<OutcomeForm>,
) -> AppResult<Response> {
    let w = manager(&s, &c, &slug).await?;
    match write_outcome(&s, &c, &w, id, &f).await? {
        Ok(()) => Ok(redirect(&format!("/c/{slug}/reviews/{id}"))),
        Err(e) => Ok(html_invalid(&review_view(&s, c, w, id, vec![], e).await?)),
    }
}

// ---- JSON API --------------------------------------------------------------------------------

fn question_json(q: &Question) -> Value {
    json!({ "id": q.id, "position": q.position, "kind": q.kind, "text": q.text, "options": q.option_list(), "required": q.required, "level": q.level })
}

async fn api_list(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<PageQuery>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let w = member(&s, &c, &slug).await?;
    let p = store::list(
        &s.db,
        w.l.community.id,
        w.manage,
        PageReq::new(q.page, q.per_page),
    )
    .await?;
    Ok(Json(page_json(&p)))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ApiCreate {
    template: String,
    #[serde(flatten)]
    poll: PollForm,
}

async fn api_create(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    ApiJson(f): ApiJson<ApiCreate>,
) -> AppResult<Response> {
    let w = manager(&s, &c, &slug).await?;
    let id = if f.template.is_empty() {
        let input = f.poll.parse().map_err(AppError::Validation)?;
        write_create(&s, &c, &w, &input)
            .await?
            .map_err(AppError::Validation)?
    } else if TEMPLATES.contains(&f.template.as_str()) {
        write_template(&s, &c, &w, &f.template).await?
    } else {
        return Err(AppError::Validation(FieldErrors::single(
            "template",
            "error-invalid-choice",
        )));
    };
    let p = poll_of(&s, &w, id).await?;
    Ok((StatusCode::CREATED, Json(poll_json(&s, &p).await?)).into_response())
}

async fn poll_json(s: &AppState, p: &Poll) -> AppResult<Value> {
    let qs = store::questions(&s.db, p.id).await?;
    Ok(json!({ "poll": p, "questions": qs.iter().map(question_json).collect::<Vec<_>>() }))
}

async fn api_poll(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let w = member(&s, &c, &slug).await?;
    let p = poll_of(&s, &w, id).await?;
    if p.is_draft() && !w.manage {
        return Err(AppError::NotFound);
    }
    Ok(Json(poll_json(&s, &p).await?))
}

async fn api_add_question(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    ApiJson(form): ApiJson<QuestionForm>,
) -> AppResult<Response> {
    let w = manager(&s, &c, &slug).await?;
    let p = poll_of(&s, &w, id).await?;
    write_question(&s, &c, &w, &p, &form)
        .await?
        .map_err(AppError::Validation)?;
    Ok((StatusCode::CREATED, Json(poll_json(&s, &p).await?)).into_response())
}

async fn api_status(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    ApiJson(f): ApiJson<StatusForm>,
) -> AppResult<Json<Value>> {
    let w = manager(&s, &c, &slug).await?;
    let p = poll_of(&s, &w, id).await?;
    write_status(&s, &c, &w, &p, &f.status).await?;
    let p = poll_of(&s, &w, id).await?;
    Ok(Json(poll_json(&s, &p).await?))
}

/// Answers: `{"answers": {"<question id>": value}}` where value is a number, a string, a list of
/// option indexes (multiple choice) or `{"before": n, "after": n}` (pre/post).
async fn api_answer(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    ApiJson(body): ApiJson<Value>,
) -> AppResult<Response> {
    c.require_user()?;
    let w = member(&s, &c, &slug).await?;
    let p = poll_of(&s, &w, id).await?;
    let qs = store::questions(&s.db, p.id).await?;
    let mut pairs = vec![];
    if let Some(m) = body.get("answers").and_then(Value::as_object) {
        for (k, v) in m {
            let key = format!("q{k}");
            let scalar = |v: &Value| match v {
                Value::String(x) => x.clone(),
                Value::Number(n) => n.to_string(),
                _ => String::new(),
            };
            match v {
                Value::Array(a) => pairs.extend(a.iter().map(|x| (key.clone(), scalar(x)))),
                Value::Object(o) => {
                    pairs.push((
                        format!("{key}-pre"),
                        o.get("before").map(scalar).unwrap_or_default(),
                    ));
                    pairs.push((
                        format!("{key}-post"),
                        o.get("after").map(scalar).unwrap_or_default(),
                    ));
                }
                x => pairs.push((key, scalar(x))),
            }
        }
    }
    match write_answer(&s, &w, &p, &qs, &pairs).await? {
        Submitted::Saved => {
            Ok((StatusCode::CREATED, Json(json!({ "answered": true }))).into_response())
        }
        Submitted::Already => Err(AppError::Validation(FieldErrors::single(
            "poll",
            "poll-error-already",
        ))),
        Submitted::Invalid(e) => Err(AppError::Validation(e)),
    }
}

async fn api_results(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let w = member(&s, &c, &slug).await?;
    let (p, qs, rows, held) = results_data(&s, &w, id).await?;
    let results: Vec<Value> = aggregate(&c, &qs, &rows)
        .iter()
        .map(|r| {
            json!({
                "question": question_json(&r.q), "n": r.n,
                "distribution": r.dist.iter().map(|(l, k, p)| json!({ "label": l, "count": k, "percent": p })).collect::<Vec<_>>(),
                "mean": r.mean, "median": r.median, "nps": r.nps, "paired": r.paired,
                "texts": r.texts,
            })
        })
        .collect();
    // Without announced breakdowns there are no groups to show (nor stored).
    let groups = |by_org: bool| {
        if !p.breakdowns {
            return Value::Null;
        }
        let (v, hidden) = breakdown(&c, &rows, by_org);
        let v: Vec<Value> = v
            .iter()
            .map(|g| json!({ "label": g.label, "n": g.n }))
            .collect();
        json!({ "groups": v, "hidden_groups": hidden })
    };
    let (by_organization, by_position_level) = (groups(true), groups(false));
    Ok(Json(json!({
        "poll": p, "responses": respondents(&rows), "held": held,
        "answered": store::answered_count(&s.db, p.id).await?,
        "publish_batch": core::PUBLISH_BATCH, "questions": results,
        "by_organization": by_organization, "by_position_level": by_position_level,
        "min_group": core::MIN_GROUP,
    })))
}

async fn api_reviews(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<PageQuery>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let w = member(&s, &c, &slug).await?;
    let p = store::reviews(&s.db, w.l.community.id, PageReq::new(q.page, q.per_page)).await?;
    Ok(Json(page_json(&p)))
}

async fn api_review(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let w = member(&s, &c, &slug).await?;
    let r = store::review(&s.db, w.l.community.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let e = store::entries(&s.db, r.id).await?;
    Ok(Json(json!({ "review": r, "entries": e })))
}

async fn api_edit_question(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id, q)): Path<(String, i64, i64)>,
    ApiJson(patch): ApiJson<QuestionPatch>,
) -> AppResult<Json<Value>> {
    let w = manager(&s, &c, &slug).await?;
    let p = poll_of(&s, &w, id).await?;
    let current = store::questions(&s.db, p.id)
        .await?
        .into_iter()
        .find(|x| x.id == q)
        .ok_or(AppError::NotFound)?;
    let form = patch.apply(&current);
    write_edit_question(&s, &c, &w, &p, q, &form)
        .await?
        .map_err(AppError::Validation)?;
    Ok(Json(poll_json(&s, &p).await?))
}

/// The fields of a question to change; absent ones keep their value. `options` is one option per
/// line or a list; `required` a boolean or "on"/"".
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct QuestionPatch {
    kind: Option<String>,
    text: Option<String>,
    options: Option<Value>,
    required: Option<Value>,
    level: Option<String>,
}

impl QuestionPatch {
    fn apply(self, q: &Question) -> QuestionForm {
        let options = match self.options {
            Some(Value::Array(a)) => a
                .iter()
                .map(|v| v.as_str().unwrap_or_default())
                .collect::<Vec<_>>()
                .join("\n"),
            Some(Value::String(t)) => t,
            Some(_) => String::new(),
            None => q.options.clone(),
        };
        let required = match self.required {
            Some(Value::Bool(b)) => b,
            Some(Value::String(t)) => matches!(t.as_str(), "on" | "true" | "1" | "yes"),
            Some(_) => false,
            None => q.required,
        };
        QuestionForm {
            kind: self.kind.unwrap_or_else(|| q.kind.clone()),
            text: self.text.unwrap_or_else(|| q.text.clone()),
            options,
            required: if required { "on".into() } else { String::new() },
            level: self
                .level
                .unwrap_or_else(|| q.level.clone().unwrap_or_default()),
        }
    }
}

async fn review_json(s: &AppState, w: &Who, id: i64) -> AppResult<Value> {
    let r = store::review(&s.db, w.l.community.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let e = store::entries(&s.db, r.id).await?;
    Ok(json!({ "review": r, "entries": e }))
}

async fn api_create_review(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    ApiJson(form): ApiJson<ReviewForm>,
) -> AppResult<Response> {
    let w = manager(&s, &c, &slug).await?;
    let i = form.parse().map_err(AppError::Validation)?;
    check_event(&s, &w.l.community, i.event_id)
        .await?
        .map_err(AppError::Validation)?;
    let mut tx = s.db.begin().await?;
    let id = store::insert_review(&mut tx, w.l.community.id, &i, c.user_id()).await?;
    audit(&mut tx, &c, "review-created", &slug, &id.to_string()).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(review_json(&s, &w, id).await?)).into_response())
}

/// A contribution or consolidation: `{"sections": {"<section>": "text", …}}`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SectionsBody {
    sections: std::collections::BTreeMap<String, String>,
}

async fn api_contribute(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    ApiJson(b): ApiJson<SectionsBody>,
) -> AppResult<Response> {
    c.require_user()?;
    let w = member(&s, &c, &slug).await?;
    let pairs: Vec<(String, String)> = b.sections.into_iter().collect();
    write_entries(&s, &c, &w, id, false, &pairs)
        .await?
        .map_err(AppError::Validation)?;
    Ok((StatusCode::CREATED, Json(review_json(&s, &w, id).await?)).into_response())
}

async fn api_consolidate(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    ApiJson(b): ApiJson<SectionsBody>,
) -> AppResult<Response> {
    let w = manager(&s, &c, &slug).await?;
    let pairs: Vec<(String, String)> = b.sections.into_iter().collect();
    write_entries(&s, &c, &w, id, true, &pairs)
        .await?
        .map_err(AppError::Validation)?;
    Ok((StatusCode::CREATED, Json(review_json(&s, &w, id).await?)).into_response())
}

async fn api_add_outcome(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    ApiJson(f): ApiJson<OutcomeForm>,
) -> AppResult<Response> {
    let w = manager(&s, &c, &slug).await?;
    write_outcome(&s, &c, &w, id, &f)
        .await?
        .map_err(AppError::Validation)?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "review": id, "added": f.what })),
    )
        .into_response())
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
    let kinds: Vec<&str> = QuestionKind::ALL.iter().map(|k| k.as_str()).collect();
    let qparam =
        json!({ "name": "q", "in": "path", "required": true, "schema": { "type": "integer" } });
    let qpatch = body(json!({ "type": "object", "properties": {
        "kind": { "type": "string", "enum": kinds }, "text": { "type": "string" },
        "options": { "description": "One option per line, or a list" },
        "required": { "description": "Boolean, or \"on\"/\"\"" }, "level": { "type": "string", "enum": core::LEVELS } } }));
    let sections = body(
        json!({ "type": "object", "required": ["sections"], "properties": { "sections": { "type": "object",
        "description": "Section → text. After Action Review: planned, actual, why, sustain, improve; Appreciative Inquiry: define, discover, dream, design, deliver",
        "additionalProperties": { "type": "string" } } } }),
    );
    let v = json!({
        "/communities/{slug}/polls": { "parameters": [slug],
            "get": { "summary": "The community's polls, newest first (members; drafts for managers)", "responses": { "200": ok("A page of polls"), "401": err, "403": err, "404": err } },
            "post": { "summary": "Create a poll, blank or from a template (managers)", "requestBody": body(json!({ "type": "object", "properties": {
                "template": { "type": "string", "enum": TEMPLATES }, "title": { "type": "string" }, "description": { "type": "string" },
                "event": { "type": "string" }, "anonymous": { "type": "string", "enum": ["on", ""] },
                "breakdowns": { "type": "string", "enum": ["on", ""], "description": "Keep each respondent's organization and position level for grouped results (announced before answering)" },
                "opens_at": { "type": "string", "description": "YYYY-MM-DDTHH:MM, community time" }, "closes_at": { "type": "string" } } })),
                "responses": { "201": ok("The poll and its questions"), "401": err, "403": err, "422": err } } },
        "/communities/{slug}/polls/{id}": { "parameters": [slug, id],
            "get": { "summary": "A poll and its questions", "responses": { "200": ok("The poll and its questions"), "401": err, "403": err, "404": err } } },
        "/communities/{slug}/polls/{id}/questions": { "parameters": [slug, id],
            "post": { "summary": "Add a question to a draft poll (managers)", "requestBody": body(json!({ "type": "object", "required": ["kind", "text"], "properties": {
                "kind": { "type": "string", "enum": kinds }, "text": { "type": "string" }, "options": { "type": "string", "description": "One option per line" },
                "required": { "type": "string", "enum": ["on", ""] }, "level": { "type": "string", "enum": core::LEVELS } } })),
                "responses": { "201": ok("The poll and its questions"), "401": err, "403": err, "404": err, "422": err } } },
        "/communities/{slug}/polls/{id}/status": { "parameters": [slug, id],
            "post": { "summary": "Open (sends the invitations once) or close a poll (managers)", "requestBody": body(json!({ "type": "object", "required": ["status"], "properties": { "status": { "type": "string", "enum": ["open", "closed"] } } })),
                "responses": { "200": ok("The poll"), "401": err, "403": err, "404": err, "422": err } } },
        "/communities/{slug}/polls/{id}/answer": { "parameters": [slug, id],
            "post": { "summary": "Answer an open poll once (members). Anonymous polls keep no link between the answer and the person",
                "requestBody": body(json!({ "type": "object", "properties": { "answers": { "type": "object", "description": "Question id → number, string, list of option indexes, or {before, after}" } } })),
                "responses": { "201": ok("Answered"), "401": err, "403": err, "404": err, "422": err } } },
        "/communities/{slug}/polls/{id}/results": { "parameters": [slug, id],
            "get": { "summary": "Aggregate results of the published responses (an anonymous poll's answers are published in batches of 5, all at closing; `held` counts those waiting, `answered` everyone who answered): distributions, mean, median, NPS, paired pre/post difference; breakdowns (null unless the poll's `breakdowns`) hide groups under 5", "responses": { "200": ok("Results"), "401": err, "403": err, "404": err } } },
        "/communities/{slug}/polls/{id}/questions/{q}": { "parameters": [slug, id, qparam],
            "patch": { "summary": "Edit a question while the poll has no response (managers); absent fields keep their value", "requestBody": qpatch.clone(),
                "responses": { "200": ok("The poll and its questions"), "401": err, "403": err, "404": err, "422": err } },
            "post": { "summary": "Same as PATCH, for clients without PATCH", "requestBody": qpatch,
                "responses": { "200": ok("The poll and its questions"), "401": err, "403": err, "404": err, "422": err } } },
        "/communities/{slug}/reviews": { "parameters": [slug],
            "get": { "summary": "After Action Reviews and Appreciative Inquiry records", "responses": { "200": ok("A page of reviews"), "401": err, "403": err, "404": err } },
            "post": { "summary": "Start an After Action Review (aar) or Appreciative Inquiry (ai) record (managers)", "requestBody": body(json!({ "type": "object", "required": ["kind", "title"], "properties": {
                "kind": { "type": "string", "enum": ["aar", "ai"] }, "title": { "type": "string" }, "event": { "type": "string", "description": "Event id, optional" } } })),
                "responses": { "201": ok("The review"), "401": err, "403": err, "422": err } } },
        "/communities/{slug}/reviews/{id}": { "parameters": [slug, id],
            "get": { "summary": "A review with its contributions and consolidated text", "responses": { "200": ok("The review"), "401": err, "403": err, "404": err } } },
        "/communities/{slug}/reviews/{id}/contribute": { "parameters": [slug, id],
            "post": { "summary": "Add one member's contribution (members)", "requestBody": sections.clone(),
                "responses": { "201": ok("The review"), "401": err, "403": err, "404": err, "422": err } } },
        "/communities/{slug}/reviews/{id}/consolidate": { "parameters": [slug, id],
            "post": { "summary": "Add the consolidated text (managers; the rapporteur)", "requestBody": sections,
                "responses": { "201": ok("The review"), "401": err, "403": err, "404": err, "422": err } } },
        "/communities/{slug}/reviews/{id}/outcomes": { "parameters": [slug, id],
            "post": { "summary": "Add an action item or a lesson learned to the review's event (managers)", "requestBody": body(json!({ "type": "object", "required": ["what"], "properties": {
                "what": { "type": "string", "enum": ["item", "lesson"] }, "title": { "type": "string", "description": "Action item" },
                "owner": { "type": "string", "description": "Person id of the owner (action item)" }, "due_on": { "type": "string", "format": "date" },
                "text": { "type": "string", "description": "Lesson learned" } } })),
                "responses": { "201": ok("Added"), "401": err, "403": err, "404": err, "422": err } } }
    });
    match v {
        Value::Object(m) => m,
        _ => serde_json::Map::new(),
    }
}
