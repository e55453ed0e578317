//! Discussions: pages under `/c/{slug}/discussions…`, the digest setting at `/discussions/digest`,
//! JSON under `/api/v1/communities/{slug}/discussions…`, and the weekly digest pass the worker
//! calls.
//!
//! Who may do what: whoever may view the community reads its threads; its members (and role
//! holders) and admins post threads and replies and subscribe; the author edits their own text;
//! managers and admins also edit, hide with a reason (recorded in the audit log) and read hidden
//! text — others see "hidden by moderation" with the reason. Every edit keeps the previous text.
//! Mentions are `@handle`, a handle per member derived from their display name
//! ([`tejido_core::discussions::handles`]); mentioned members and subscribers get an e-mail through
//! the outbox in the same transaction as the post.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Form, Json};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::{json, Value};
use tejido_core::accounts::Locale;
use tejido_core::charter::render_markdown;
use tejido_core::discussions::{
    handles, mentioned_users, HideForm, ReplyForm, ThreadForm, ThreadInput, DIGEST_DAYS,
    HANDLES_SHOWN,
};
use tejido_core::page::{Page, PageReq};
use tejido_core::FieldErrors;
use tejido_db::communities::Community;
use tejido_db::discussions::{self as store, Edit, Recipient, Reply, Thread};
use tejido_db::search::{self, Audience, SearchDoc, Source};

use crate::access::{load, refuse, Loaded};
use crate::error::AppResult;
use crate::extract::ApiJson;
use crate::i18n::Tr;
use crate::respond::page_json_with;
use crate::routes::{self as route, Level, Route};
use crate::views::{html, html_invalid, redirect, Pager};
use crate::{AppError, AppState, Ctx};

/// The capability's pages.
pub fn routes() -> Vec<Route> {
    vec![
        route::get("/c/{slug}/discussions", Level::Viewer, list),
        route::post("/c/{slug}/discussions", Level::Viewer, create),
        route::get("/c/{slug}/discussions/new", Level::Viewer, new_form),
        route::get("/c/{slug}/discussions/{id}", Level::Viewer, show),
        route::post("/c/{slug}/discussions/{id}/replies", Level::Viewer, reply),
        route::get(
            "/c/{slug}/discussions/{id}/edit",
            Level::RoleHolder,
            edit_form,
        ),
        route::post(
            "/c/{slug}/discussions/{id}/edit",
            Level::RoleHolder,
            edit_save,
        ),
        route::get("/c/{slug}/discussions/{id}/history", Level::Viewer, history),
        route::post(
            "/c/{slug}/discussions/{id}/hide",
            Level::Manager,
            hide_thread,
        ),
        route::post(
            "/c/{slug}/discussions/{id}/subscription",
            Level::Viewer,
            subscription,
        ),
        route::get(
            "/c/{slug}/discussions/{id}/replies/{reply}/edit",
            Level::RoleHolder,
            reply_edit_form,
        ),
        route::post(
            "/c/{slug}/discussions/{id}/replies/{reply}/edit",
            Level::RoleHolder,
            reply_edit_save,
        ),
        route::post(
            "/c/{slug}/discussions/{id}/replies/{reply}/hide",
            Level::Manager,
            hide_reply,
        ),
        route::get("/discussions/digest", Level::Account, digest_form),
        route::post("/discussions/digest", Level::Account, digest_save),
    ]
}

/// The JSON API, nested under `/api/v1`.
pub fn api_routes() -> Vec<Route> {
    vec![
        route::get("/communities/{slug}/discussions", Level::Viewer, api_list),
        route::post("/communities/{slug}/discussions", Level::Viewer, api_create),
        route::get(
            "/communities/{slug}/discussions/{id}",
            Level::Viewer,
            api_thread,
        ),
        route::post(
            "/communities/{slug}/discussions/{id}/replies",
            Level::Viewer,
            api_reply,
        ),
    ]
}

// ---- authorization ---------------------------------------------------------------------------

/// A community with what the viewer may do in its discussions.
struct Room {
    l: Loaded,
    /// Posts threads and replies, subscribes.
    post: bool,
    /// Hides, edits anything, reads hidden text.
    manage: bool,
}

async fn room(s: &AppState, c: &Ctx, slug: &str) -> AppResult<Room> {
    let l = load(s, c, slug).await?;
    let manage = c.is_admin() || l.access.manage;
    let post = c.signed_in() && (c.is_admin() || l.member);
    Ok(Room { l, post, manage })
}

/// A poster: signed in and a member (or admin); 401/403 otherwise.
async fn poster(s: &AppState, c: &Ctx, slug: &str) -> AppResult<(Room, i64)> {
    let user = c.require_user()?.id;
    let r = room(s, c, slug).await?;
    if !r.post {
        return Err(AppError::Forbidden);
    }
    Ok((r, user))
}

async fn manager(s: &AppState, c: &Ctx, slug: &str) -> AppResult<Room> {
    c.require_user()?;
    let r = room(s, c, slug).await?;
    if !r.manage {
        return Err(AppError::Forbidden);
    }
    Ok(r)
}

async fn thread_of(s: &AppState, r: &Room, id: i64) -> AppResult<Thread> {
    store::get_thread(&s.db, r.l.community.id, id)
        .await?
        .ok_or(AppError::NotFound)
}

/// The author may edit their own visible text; managers anything.
fn may_edit(c: &Ctx, r: &Room, author: i64, hidden: bool) -> bool {
    r.manage || (r.post && !hidden && c.user_id() == Some(author))
}

fn lang(c: &Ctx) -> &'static str {
    match c.locale {
        Locale::En => "en",
        Locale::EsMx => "es",
    }
}

fn thread_url(slug: &str, id: i64) -> String {
    format!("/c/{slug}/discussions/{id}")
}

async fn index(
    tx: &mut tejido_db::Tx,
    c: &Ctx,
    m: &Community,
    id: i64,
    t: &ThreadInput,
) -> AppResult<()> {
    let url = thread_url(&m.slug, id);
    search::upsert(
        tx,
        &SearchDoc {
            source: Source::Discussion,
            source_id: id,
            community_id: Some(m.id),
            audience: Audience::Community,
            kind: None,
            themes: &[],
            lang: lang(c),
            title: &t.title,
            body: &t.body,
            url: &url,
        },
    )
    .await?;
    Ok(())
}

// ---- mail ------------------------------------------------------------------------------------

fn tr_for<'a>(s: &'a AppState, locale: Option<&str>) -> Tr<'a> {
    Tr {
        i18n: &s.i18n,
        locale: locale.and_then(Locale::parse).unwrap_or(Locale::EsMx),
    }
}

/// Queues the mention e-mails of a new text and, for a reply, the subscribers' e-mails (once per
/// person; the author gets none). Returns the users e-mailed. `members` are read before the
/// transaction began: a request holds one pool connection at a time, never a second one while
/// its write transaction waits.
#[allow(clippy::too_many_arguments)]
async fn notify(
    s: &AppState,
    tx: &mut tejido_db::Tx,
    members: &[store::Recipient],
    m: &Community,
    thread: (i64, &str),
    author: (i64, &str),
    text: &str,
    reply: bool,
) -> AppResult<Vec<i64>> {
    let pairs: Vec<(i64, String)> = members
        .iter()
        .map(|r| (r.user_id, r.display_name.clone()))
        .collect();
    let hs = handles(&pairs);
    let mentioned: Vec<i64> = mentioned_users(text, &hs)
        .into_iter()
        .filter(|u| *u != author.0)
        .collect();
    let link = format!("{}{}", s.config.base_url, thread_url(&m.slug, thread.0));
    let mut sent = Vec::new();
    for r in members.iter().filter(|r| mentioned.contains(&r.user_id)) {
        let tr = tr_for(s, r.locale.as_deref());
        let subject = tr.t1("discussion-mail-mention-subject", "name", author.1);
        let body = format!(
            "{}\n\n{}\n\n{}\n",
            tr.t2(
                "discussion-mail-mention-body",
                "name",
                author.1,
                "title",
                thread.1
            ),
            tr.t1("discussion-mail-community", "community", &m.name),
            link
        );
        tejido_db::outbox::enqueue(tx, &r.email, &subject, &body).await?;
        sent.push(r.user_id);
    }
    if reply {
        let subs: Vec<Recipient> = store::subscribers(tx, thread.0, author.0).await?;
        let mentioned_ones = sent.clone();
        for r in subs.iter().filter(|r| !mentioned_ones.contains(&r.user_id)) {
            let tr = tr_for(s, r.locale.as_deref());
            let subject = tr.t1("discussion-mail-reply-subject", "title", thread.1);
            let body = format!(
                "{}\n\n{}\n\n{}\n\n{}\n",
                tr.t2(
                    "discussion-mail-reply-body",
                    "name",
                    author.1,
                    "title",
                    thread.1
                ),
                excerpt(text),
                link,
                tr.t("discussion-mail-unsubscribe-hint")
            );
            tejido_db::outbox::enqueue(tx, &r.email, &subject, &body).await?;
            sent.push(r.user_id);
        }
    }
    Ok(sent)
}

/// The first 500 characters of a text, for an e-mail.
fn excerpt(text: &str) -> String {
    let mut out: String = text.chars().take(500).collect();
    if text.chars().count() > 500 {
        out.push('…');
    }
    out
}

/// The handles shown on forms ("to mention: @ana-lopez …"), capped, and how many there are.
async fn handle_hint(s: &AppState, cid: i64) -> AppResult<(Vec<String>, usize)> {
    let members = store::members(&s.db, cid).await?;
    let pairs: Vec<(i64, String)> = members
        .iter()
        .map(|r| (r.user_id, r.display_name.clone()))
        .collect();
    let hs = handles(&pairs);
    let total = hs.len();
    Ok((
        hs.into_iter()
            .take(HANDLES_SHOWN)
            .map(|(_, h)| format!("@{h}"))
            .collect(),
        total,
    ))
}

// ---- shared writes (pages and API) -------------------------------------------------------------

async fn write_thread(
    s: &AppState,
    c: &Ctx,
    r: &Room,
    user: i64,
    input: &ThreadInput,
) -> AppResult<i64> {
    let m = &r.l.community;
    let members = store::members(&s.db, m.id).await?;
    let mut tx = s.db.begin().await?;
    let id = store::insert_thread(&mut tx, m.id, input, user).await?;
    index(&mut tx, c, m, id, input).await?;
    notify(
        s,
        &mut tx,
        &members,
        m,
        (id, &input.title),
        (user, &c.display_name()),
        &input.body,
        false,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

async fn write_reply(
    s: &AppState,
    c: &Ctx,
    r: &Room,
    user: i64,
    t: &Thread,
    body: &str,
) -> AppResult<i64> {
    let m = &r.l.community;
    let members = store::members(&s.db, m.id).await?;
    let mut tx = s.db.begin().await?;
    let id = store::insert_reply(&mut tx, t.id, body, user).await?;
    notify(
        s,
        &mut tx,
        &members,
        m,
        (t.id, &t.title),
        (user, &c.display_name()),
        body,
        true,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

// ---- list, new -------------------------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PageQuery {
    page: Option<u32>,
    per_page: Option<u32>,
}

#[derive(Template)]
#[template(path = "discussions/list.html")]
struct ListPage {
    c: Ctx,
    m: Community,
    threads: Page<Thread>,
    pager: Pager,
    post: bool,
    manage: bool,
}

async fn list(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<PageQuery>,
) -> AppResult<Response> {
    let r = room(&s, &c, &slug).await?;
    let threads = store::list_threads(&s.db, r.l.community.id, PageReq::new(q.page, None)).await?;
    let pager = Pager::new(&threads, &format!("/c/{slug}/discussions"));
    Ok(html(&ListPage {
        c,
        m: r.l.community,
        threads,
        pager,
        post: r.post,
        manage: r.manage,
    }))
}

#[derive(Template)]
#[template(path = "discussions/form.html")]
struct FormPage {
    c: Ctx,
    m: Community,
    /// The thread being edited, none for a new one.
    editing: Option<i64>,
    form: ThreadForm,
    errors: FieldErrors,
    handles: Vec<String>,
    handles_total: usize,
}

async fn form_page(
    s: &AppState,
    c: Ctx,
    m: Community,
    editing: Option<i64>,
    form: ThreadForm,
    errors: FieldErrors,
) -> AppResult<FormPage> {
    let (handles, handles_total) = handle_hint(s, m.id).await?;
    Ok(FormPage {
        c,
        m,
        editing,
        form,
        errors,
        handles,
        handles_total,
    })
}

async fn new_form(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let (r, _) = poster(&s, &c, &slug).await?;
    let p = form_page(
        &s,
        c,
        r.l.community,
        None,
        ThreadForm::default(),
        FieldErrors::new(),
    )
    .await?;
    Ok(html(&p))
}

async fn create(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Form(form): Form<ThreadForm>,
) -> AppResult<Response> {
    let (r, user) = poster(&s, &c, &slug).await?;
    match form.parse() {
        Ok(input) => {
            let id = write_thread(&s, &c, &r, user, &input).await?;
            Ok(redirect(&thread_url(&slug, id)))
        }
        Err(errors) => Ok(html_invalid(
            &form_page(&s, c, r.l.community, None, form, errors).await?,
        )),
    }
}

// ---- one thread ------------------------------------------------------------------------------

/// A reply as shown: the Markdown rendered unless hidden from this viewer.
struct ReplyView {
    r: Reply,
    html: String,
    /// The viewer sees the text (not hidden, or a manager).
    shown: bool,
    editable: bool,
}

#[derive(Template)]
#[template(path = "discussions/show.html")]
struct ShowPage {
    c: Ctx,
    m: Community,
    t: Thread,
    body_html: String,
    shown: bool,
    editable: bool,
    replies: Vec<ReplyView>,
    page: Page<()>,
    pager: Pager,
    post: bool,
    manage: bool,
    subscribed: bool,
    form: ReplyForm,
    errors: FieldErrors,
    handles: Vec<String>,
    handles_total: usize,
}

async fn show_page(
    s: &AppState,
    c: Ctx,
    r: Room,
    t: Thread,
    page: Option<u32>,
    form: ReplyForm,
    errors: FieldErrors,
) -> AppResult<ShowPage> {
    let shown = !t.hidden() || r.manage;
    let body_html = if shown {
        render_markdown(&t.body)
    } else {
        String::new()
    };
    let p = store::replies(&s.db, t.id, PageReq::new(page, None)).await?;
    let pager = Pager::new(&p, &thread_url(&r.l.community.slug, t.id));
    let replies = p
        .items
        .iter()
        .map(|x| {
            let shown = !x.hidden() || r.manage;
            ReplyView {
                html: if shown {
                    render_markdown(&x.body)
                } else {
                    String::new()
                },
                shown,
                editable: may_edit(&c, &r, x.author_user_id, x.hidden()),
                r: x.clone(),
            }
        })
        .collect();
    let subscribed = match c.user_id() {
        Some(u) => store::is_subscribed(&s.db, t.id, u).await?,
        None => false,
    };
    let (handles, handles_total) = if r.post {
        handle_hint(s, r.l.community.id).await?
    } else {
        (vec![], 0)
    };
    Ok(ShowPage {
        editable: may_edit(&c, &r, t.author_user_id, t.hidden()),
        c,
        body_html,
        shown,
        replies,
        page: Page {
            items: vec![],
            page: p.page,
            per_page: p.per_page,
            total: p.total,
        },
        pager,
        post: r.post,
        manage: r.manage,
        subscribed,
        form,
        errors,
        handles,
        handles_total,
        m: r.l.community,
        t,
    })
}

async fn show(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Query(q): Query<PageQuery>,
) -> AppResult<Response> {
    let r = room(&s, &c, &slug).await?;
    let t = thread_of(&s, &r, id).await?;
    Ok(html(
        &show_page(
            &s,
            c,
            r,
            t,
            q.page,
            ReplyForm::default(),
            FieldErrors::new(),
        )
        .await?,
    ))
}

async fn reply(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Form(form): Form<ReplyForm>,
) -> AppResult<Response> {
    let (r, user) = poster(&s, &c, &slug).await?;
    let t = thread_of(&s, &r, id).await?;
    if t.hidden() && !r.manage {
        return Err(AppError::Forbidden);
    }
    match form.parse() {
        Ok(body) => {
            let rid = write_reply(&s, &c, &r, user, &t, &body).await?;
            let last = store::replies(&s.db, id, PageReq::new(None, None))
                .await?
                .pages();
            let q = if last > 1 {
                format!("?page={last}")
            } else {
                String::new()
            };
            Ok(redirect(&format!(
                "{}{q}#reply-{rid}",
                thread_url(&slug, id)
            )))
        }
        Err(errors) => Ok(html_invalid(
            &show_page(&s, c, r, t, None, form, errors).await?,
        )),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SubscriptionForm {
    /// `on` to subscribe, anything else to unsubscribe.
    subscribe: String,
}

async fn subscription(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Form(form): Form<SubscriptionForm>,
) -> AppResult<Response> {
    let (r, user) = poster(&s, &c, &slug).await?;
    let t = thread_of(&s, &r, id).await?;
    let mut tx = s.db.begin().await?;
    if form.subscribe == "on" {
        store::subscribe(&mut tx, t.id, user).await?;
    } else {
        store::unsubscribe(&mut tx, t.id, user).await?;
    }
    tx.commit().await?;
    Ok(redirect(&thread_url(&slug, id)))
}

// ---- editing, history ------------------------------------------------------------------------

async fn edit_form(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    let (r, _) = poster_or_manager(&s, &c, &slug).await?;
    let t = thread_of(&s, &r, id).await?;
    if !may_edit(&c, &r, t.author_user_id, t.hidden()) {
        return Err(AppError::Forbidden);
    }
    let form = ThreadForm {
        title: t.title,
        body: t.body,
    };
    let p = form_page(&s, c, r.l.community, Some(id), form, FieldErrors::new()).await?;
    Ok(html(&p))
}

/// Signed in and either a poster or a manager.
async fn poster_or_manager(s: &AppState, c: &Ctx, slug: &str) -> AppResult<(Room, i64)> {
    let user = c.require_user()?.id;
    let r = room(s, c, slug).await?;
    if !(r.post || r.manage) {
        return Err(AppError::Forbidden);
    }
    Ok((r, user))
}

async fn edit_save(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Form(form): Form<ThreadForm>,
) -> AppResult<Response> {
    let (r, user) = poster_or_manager(&s, &c, &slug).await?;
    let t = thread_of(&s, &r, id).await?;
    if !may_edit(&c, &r, t.author_user_id, t.hidden()) {
        return Err(AppError::Forbidden);
    }
    let input = match form.parse() {
        Ok(i) => i,
        Err(errors) => {
            return Ok(html_invalid(
                &form_page(&s, c, r.l.community, Some(id), form, errors).await?,
            ))
        }
    };
    let m = &r.l.community;
    let mut tx = s.db.begin().await?;
    store::update_thread(&mut tx, id, &input, Some(user)).await?;
    if t.hidden() {
        search::remove(&mut tx, Source::Discussion, id).await?;
    } else {
        index(&mut tx, &c, m, id, &input).await?;
    }
    tejido_db::audit::record(
        &mut tx,
        Some(user),
        "discussion-thread-edited",
        Some(&m.slug),
        Some(&id.to_string()),
    )
    .await?;
    tx.commit().await?;
    Ok(redirect(&thread_url(&slug, id)))
}

#[derive(Template)]
#[template(path = "discussions/reply_edit.html")]
struct ReplyEditPage {
    c: Ctx,
    m: Community,
    t: Thread,
    reply_id: i64,
    form: ReplyForm,
    errors: FieldErrors,
}

async fn reply_edit_form(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id, rid)): Path<(String, i64, i64)>,
) -> AppResult<Response> {
    let (r, _) = poster_or_manager(&s, &c, &slug).await?;
    let t = thread_of(&s, &r, id).await?;
    let x = store::get_reply(&s.db, id, rid)
        .await?
        .ok_or(AppError::NotFound)?;
    if !may_edit(&c, &r, x.author_user_id, x.hidden() || t.hidden()) {
        return Err(AppError::Forbidden);
    }
    Ok(html(&ReplyEditPage {
        c,
        m: r.l.community,
        t,
        reply_id: rid,
        form: ReplyForm { body: x.body },
        errors: FieldErrors::new(),
    }))
}

async fn reply_edit_save(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id, rid)): Path<(String, i64, i64)>,
    Form(form): Form<ReplyForm>,
) -> AppResult<Response> {
    let (r, user) = poster_or_manager(&s, &c, &slug).await?;
    let t = thread_of(&s, &r, id).await?;
    let x = store::get_reply(&s.db, id, rid)
        .await?
        .ok_or(AppError::NotFound)?;
    if !may_edit(&c, &r, x.author_user_id, x.hidden() || t.hidden()) {
        return Err(AppError::Forbidden);
    }
    let body = match form.parse() {
        Ok(b) => b,
        Err(errors) => {
            return Ok(html_invalid(&ReplyEditPage {
                c,
                m: r.l.community,
                t,
                reply_id: rid,
                form,
                errors,
            }))
        }
    };
    let mut tx = s.db.begin().await?;
    store::update_reply(&mut tx, id, rid, &body, Some(user)).await?;
    tejido_db::audit::record(
        &mut tx,
        Some(user),
        "discussion-reply-edited",
        Some(&r.l.community.slug),
        Some(&format!("{id}:{rid}")),
    )
    .await?;
    tx.commit().await?;
    Ok(redirect(&format!("{}#reply-{rid}", thread_url(&slug, id))))
}

#[derive(Template)]
#[template(path = "discussions/history.html")]
struct HistoryPage {
    c: Ctx,
    m: Community,
    t: Thread,
    edits: Page<Edit>,
    /// Each kept text with its rendered Markdown.
    rows: Vec<(Edit, String)>,
    pager: Pager,
}

async fn history(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Query(q): Query<PageQuery>,
) -> AppResult<Response> {
    let r = room(&s, &c, &slug).await?;
    let t = thread_of(&s, &r, id).await?;
    if t.hidden() && !r.manage {
        return Err(refuse(&c));
    }
    let edits = store::edits(&s.db, id, r.manage, PageReq::new(q.page, Some(20))).await?;
    let rows = edits
        .items
        .iter()
        .map(|e| (e.clone(), render_markdown(&e.previous_body)))
        .collect();
    let pager = Pager::new(&edits, &format!("/c/{slug}/discussions/{id}/history"));
    Ok(html(&HistoryPage {
        c,
        m: r.l.community,
        t,
        edits,
        rows,
        pager,
    }))
}

// ---- moderation ------------------------------------------------------------------------------

async fn hide_thread(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Form(form): Form<HideForm>,
) -> AppResult<Response> {
    let r = manager(&s, &c, &slug).await?;
    let t = thread_of(&s, &r, id).await?;
    let reason = match form.parse() {
        Ok(x) => x,
        Err(errors) => {
            return Ok(html_invalid(
                &show_page(&s, c, r, t, None, ReplyForm::default(), errors).await?,
            ))
        }
    };
    let mut tx = s.db.begin().await?;
    store::hide_thread(&mut tx, id, &reason, c.user_id()).await?;
    search::remove(&mut tx, Source::Discussion, id).await?;
    tejido_db::audit::record(
        &mut tx,
        c.user_id(),
        "discussion-thread-hidden",
        Some(&r.l.community.slug),
        Some(&format!("{id}: {reason}")),
    )
    .await?;
    tx.commit().await?;
    Ok(redirect(&thread_url(&slug, id)))
}

async fn hide_reply(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id, rid)): Path<(String, i64, i64)>,
    Form(form): Form<HideForm>,
) -> AppResult<Response> {
    let r = manager(&s, &c, &slug).await?;
    let t = thread_of(&s, &r, id).await?;
    store::get_reply(&s.db, id, rid)
        .await?
        .ok_or(AppError::NotFound)?;
    let reason = match form.parse() {
        Ok(x) => x,
        Err(errors) => {
            return Ok(html_invalid(
                &show_page(&s, c, r, t, None, ReplyForm::default(), errors).await?,
            ))
        }
    };
    let mut tx = s.db.begin().await?;
    store::hide_reply(&mut tx, id, rid, &reason, c.user_id()).await?;
    tejido_db::audit::record(
        &mut tx,
        c.user_id(),
        "discussion-reply-hidden",
        Some(&r.l.community.slug),
        Some(&format!("{id}:{rid}: {reason}")),
    )
    .await?;
    tx.commit().await?;
    Ok(redirect(&format!("{}#reply-{rid}", thread_url(&slug, id))))
}

// ---- weekly digest ---------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "discussions/digest.html")]
struct DigestPage {
    c: Ctx,
    opted_out: bool,
    last: Option<DateTime<Utc>>,
    saved: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DigestQuery {
    saved: Option<String>,
}

async fn digest_form(
    State(s): State<AppState>,
    c: Ctx,
    Query(q): Query<DigestQuery>,
) -> AppResult<Response> {
    let user = c.require_user()?.id;
    let (opted_out, last) = store::digest_pref(&s.db, user).await?;
    Ok(html(&DigestPage {
        c,
        opted_out,
        last,
        saved: q.saved.is_some(),
    }))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DigestForm {
    /// `on` to receive the weekly digest.
    digest: String,
}

async fn digest_save(
    State(s): State<AppState>,
    c: Ctx,
    Form(form): Form<DigestForm>,
) -> AppResult<Response> {
    let user = c.require_user()?.id;
    let mut tx = s.db.begin().await?;
    store::set_digest_opt_out(&mut tx, user, form.digest != "on").await?;
    tx.commit().await?;
    Ok(redirect("/discussions/digest?saved=1"))
}

/// Queues one digest e-mail per person due one (none in the last week, not opted out) with the
/// threads that had activity in their communities since their last digest; records the digest so
/// a second pass (or another worker) sends nothing until a week has gone by. Returns how many
/// e-mails were queued. `now` is a parameter so tests can move the clock.
pub async fn digest_pass(s: &AppState, now: DateTime<Utc>) -> anyhow::Result<usize> {
    let cutoff = now - chrono::Duration::days(DIGEST_DAYS);
    let rows = store::digest_rows(&s.db, cutoff, now).await?;
    if rows.is_empty() {
        return Ok(0);
    }
    let base = &s.config.base_url;
    let mut tx = s.db.begin().await?;
    let mut sent = 0;
    let mut i = 0;
    while i < rows.len() {
        let user = rows[i].user_id;
        let j = rows[i..]
            .iter()
            .position(|r| r.user_id != user)
            .map_or(rows.len(), |k| i + k);
        let mine = &rows[i..j];
        i = j;
        if !store::claim_digest(&mut tx, user, now, cutoff).await? {
            continue;
        }
        let first = &mine[0];
        let tr = tr_for(s, first.locale.as_deref());
        let mut body = format!("{}\n", tr.t("discussion-digest-intro"));
        let mut community = "";
        for r in mine.iter().take(50) {
            if r.community_name != community {
                community = &r.community_name;
                body.push_str(&format!("\n{community}\n"));
            }
            let since = r.since.unwrap_or(cutoff);
            let what = if r.created_at > since {
                tr.t("discussion-digest-new")
            } else {
                tr.t1(
                    "discussion-digest-replies",
                    "count",
                    &r.new_replies.to_string(),
                )
            };
            body.push_str(&format!(
                "- {} ({what})\n  {base}/c/{}/discussions/{}\n",
                r.title, r.community_slug, r.thread_id
            ));
        }
        body.push_str(&format!(
            "\n{}\n{base}/discussions/digest\n",
            tr.t("discussion-digest-opt-out")
        ));
        let subject = tr.t("discussion-digest-subject");
        tejido_db::outbox::enqueue(&mut tx, &first.email, &subject, &body).await?;
        sent += 1;
    }
    tx.commit().await?;
    Ok(sent)
}

// ---- JSON API --------------------------------------------------------------------------------

fn thread_json(t: &Thread, manage: bool, slug: &str) -> Value {
    let shown = !t.hidden() || manage;
    json!({
        "id": t.id, "title": shown.then_some(&t.title), "body": shown.then_some(&t.body),
        "body_html": shown.then(|| render_markdown(&t.body)),
        "author_name": t.author_name, "reply_count": t.reply_count,
        "last_activity_at": t.last_activity_at, "created_at": t.created_at, "updated_at": t.updated_at,
        "hidden": t.hidden(), "hidden_reason": t.hidden_reason, "url": thread_url(slug, t.id),
    })
}

fn reply_json(r: &Reply, manage: bool) -> Value {
    let shown = !r.hidden() || manage;
    json!({
        "id": r.id, "body": shown.then_some(&r.body), "body_html": shown.then(|| render_markdown(&r.body)),
        "author_name": r.author_name, "created_at": r.created_at, "updated_at": r.updated_at,
        "hidden": r.hidden(), "hidden_reason": r.hidden_reason,
    })
}

async fn api_list(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<PageQuery>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let r = room(&s, &c, &slug).await?;
    let p = store::list_threads(&s.db, r.l.community.id, PageReq::new(q.page, q.per_page)).await?;
    let items = p
        .items
        .iter()
        .map(|t| thread_json(t, r.manage, &slug))
        .collect();
    Ok(Json(page_json_with(&p, items)))
}

async fn api_create(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    ApiJson(form): ApiJson<ThreadForm>,
) -> AppResult<Response> {
    let (r, user) = poster(&s, &c, &slug).await?;
    let input = form.parse().map_err(AppError::Validation)?;
    let id = write_thread(&s, &c, &r, user, &input).await?;
    let t = thread_of(&s, &r, id).await?;
    Ok((StatusCode::CREATED, Json(thread_json(&t, r.manage, &slug))).into_response())
}

async fn api_thread(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Query(q): Query<PageQuery>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let r = room(&s, &c, &slug).await?;
    let t = thread_of(&s, &r, id).await?;
    let p = store::replies(&s.db, id, PageReq::new(q.page, q.per_page)).await?;
    let items = p.items.iter().map(|x| reply_json(x, r.manage)).collect();
    let mut v = thread_json(&t, r.manage, &slug);
    v["replies"] = page_json_with(&p, items);
    Ok(Json(v))
}

async fn api_reply(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    ApiJson(form): ApiJson<ReplyForm>,
) -> AppResult<Response> {
    let (r, user) = poster(&s, &c, &slug).await?;
    let t = thread_of(&s, &r, id).await?;
    if t.hidden() && !r.manage {
        return Err(AppError::Forbidden);
    }
    let body = form.parse().map_err(AppError::Validation)?;
    let rid = write_reply(&s, &c, &r, user, &t, &body).await?;
    let x = store::get_reply(&s.db, id, rid)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((StatusCode::CREATED, Json(reply_json(&x, r.manage))).into_response())
}

/// This capability's entries for the OpenAPI document's `paths` object.
pub fn openapi_paths() -> serde_json::Map<String, serde_json::Value> {
    let err = json!({ "$ref": "#/components/responses/Error" });
    let ok = |schema: Value| json!({ "description": "OK", "content": { "application/json": { "schema": schema } } });
    let created = |schema: Value| json!({ "description": "Created", "content": { "application/json": { "schema": schema } } });
    let body = |schema: Value| json!({ "required": true, "content": { "application/json": { "schema": schema } } });
    let slug =
        json!({ "name": "slug", "in": "path", "required": true, "schema": { "type": "string" } });
    let id = json!({ "name": "id", "in": "path", "required": true, "schema": { "type": "integer" }, "description": "Thread id" });
    let int_q = |name: &str, d: &str| json!({ "name": name, "in": "query", "schema": { "type": "integer" }, "description": d });
    let reply = json!({ "type": "object", "properties": {
        "id": { "type": "integer" }, "body": { "type": "string", "nullable": true, "description": "Markdown; null when hidden from the reader" },
        "body_html": { "type": "string", "nullable": true, "description": "Sanitized HTML" },
        "author_name": { "type": "string" }, "created_at": { "type": "string", "format": "date-time" },
        "updated_at": { "type": "string", "format": "date-time" }, "hidden": { "type": "boolean" },
        "hidden_reason": { "type": "string", "nullable": true } } });
    let thread = json!({ "type": "object", "properties": {
        "id": { "type": "integer" }, "title": { "type": "string", "nullable": true, "description": "Null when hidden from the reader" },
        "body": { "type": "string", "nullable": true, "description": "Markdown; null when hidden from the reader" },
        "body_html": { "type": "string", "nullable": true }, "author_name": { "type": "string" },
        "reply_count": { "type": "integer" }, "last_activity_at": { "type": "string", "format": "date-time" },
        "created_at": { "type": "string", "format": "date-time" }, "updated_at": { "type": "string", "format": "date-time" },
        "hidden": { "type": "boolean" }, "hidden_reason": { "type": "string", "nullable": true }, "url": { "type": "string" } } });
    let paged = |it: Value| {
        json!({ "type": "object", "properties": { "items": { "type": "array", "items": it },
        "page": { "type": "integer" }, "per_page": { "type": "integer" }, "total": { "type": "integer" }, "pages": { "type": "integer" } } })
    };
    let mut with_replies = thread.clone();
    with_replies["properties"]["replies"] = paged(reply.clone());
    let thread_form = json!({ "type": "object", "required": ["title", "body"], "properties": {
        "title": { "type": "string", "description": "At most 200 characters" },
        "body": { "type": "string", "description": "Markdown, at most 20,000 characters; `@handle` mentions a member" } } });
    let reply_form = json!({ "type": "object", "required": ["body"], "properties": {
        "body": { "type": "string", "description": "Markdown, at most 20,000 characters; `@handle` mentions a member" } } });
    let v = json!({
        "/communities/{slug}/discussions": {
            "parameters": [slug, int_q("page", "Page number"), int_q("per_page", "Items per page")],
            "get": { "summary": "The community's threads, newest activity first (those who may view the community)",
                "responses": { "200": ok(paged(thread.clone())), "401": err, "403": err, "404": err } },
            "post": { "summary": "Start a thread (members); mentioned members are e-mailed", "requestBody": body(thread_form),
                "responses": { "201": created(thread.clone()), "401": err, "403": err, "404": err, "422": err } }
        },
        "/communities/{slug}/discussions/{id}": {
            "parameters": [slug, id, int_q("page", "Page of replies"), int_q("per_page", "Replies per page")],
            "get": { "summary": "A thread with a page of its replies, oldest first",
                "responses": { "200": ok(with_replies), "401": err, "403": err, "404": err } }
        },
        "/communities/{slug}/discussions/{id}/replies": {
            "parameters": [slug, id],
            "post": { "summary": "Reply (members); subscribers and mentioned members are e-mailed", "requestBody": body(reply_form),
                "responses": { "201": created(reply), "401": err, "403": err, "404": err, "422": err } }
        }
    });
    match v {
        Value::Object(m) => m,
        _ => serde_json::Map::new(),
    }
}
