//! The discussions pages: handlers, their forms and templates.

use super::*;

pub(super) async fn manager(s: &AppState, c: &Ctx, slug: &str) -> AppResult<Room> {
    c.require_user()?;
    let r = room(s, c, slug).await?;
    if !r.manage {
        return Err(AppError::Forbidden);
    }
    Ok(r)
}

#[derive(Template)]
#[template(path = "discussions/list.html")]
pub(super) struct ListPage {
    pub(super) c: Ctx,
    pub(super) m: Community,
    pub(super) threads: Page<Thread>,
    pub(super) pager: Pager,
    pub(super) post: bool,
    pub(super) manage: bool,
}

pub(super) async fn list(
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
pub(super) struct FormPage {
    pub(super) c: Ctx,
    pub(super) m: Community,
    /// The thread being edited, none for a new one.
    pub(super) editing: Option<i64>,
    pub(super) form: ThreadForm,
    pub(super) errors: FieldErrors,
    pub(super) handles: Vec<String>,
    pub(super) handles_total: usize,
}

pub(super) async fn form_page(
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

pub(super) async fn new_form(
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

pub(super) async fn create(
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

pub(super) async fn show(
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

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct SubscriptionForm {
    /// `on` to subscribe, anything else to unsubscribe.
    pub(super) subscribe: String,
}

pub(super) async fn subscription(
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

pub(super) async fn edit_form(
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
pub(super) async fn poster_or_manager(s: &AppState, c: &Ctx, slug: &str) -> AppResult<(Room, i64)> {
    let user = c.require_user()?.id;
    let r = room(s, c, slug).await?;
    if !(r.post || r.manage) {
        return Err(AppError::Forbidden);
    }
    Ok((r, user))
}

pub(super) async fn edit_save(
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
pub(super) struct ReplyEditPage {
    pub(super) c: Ctx,
    pub(super) m: Community,
    pub(super) t: Thread,
    pub(super) reply_id: i64,
    pub(super) form: ReplyForm,
    pub(super) errors: FieldErrors,
}

pub(super) async fn reply_edit_form(
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

pub(super) async fn reply_edit_save(
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
pub(super) struct HistoryPage {
    pub(super) c: Ctx,
    pub(super) m: Community,
    pub(super) t: Thread,
    pub(super) edits: Page<Edit>,
    /// Each kept text with its rendered Markdown.
    pub(super) rows: Vec<(Edit, String)>,
    pub(super) pager: Pager,
}

pub(super) async fn history(
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

pub(super) async fn hide_thread(
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

pub(super) async fn hide_reply(
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
pub(super) struct DigestPage {
    pub(super) c: Ctx,
    pub(super) opted_out: bool,
    pub(super) last: Option<DateTime<Utc>>,
    pub(super) saved: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct DigestQuery {
    pub(super) saved: Option<String>,
}

pub(super) async fn digest_form(
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
pub(super) struct DigestForm {
    /// `on` to receive the weekly digest.
    pub(super) digest: String,
}

pub(super) async fn digest_save(
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
