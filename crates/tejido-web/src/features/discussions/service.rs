//! The discussions use cases and lookups that the pages and the API share.

use super::*;

// ---- authorization ---------------------------------------------------------------------------

/// A community with what the viewer may do in its discussions.
pub(super) struct Room {
    pub(super) l: Loaded,
    /// Posts threads and replies, subscribes.
    pub(super) post: bool,
    /// Hides, edits anything, reads hidden text.
    pub(super) manage: bool,
}

pub(super) async fn room(s: &AppState, c: &Ctx, slug: &str) -> AppResult<Room> {
    let l = load(s, c, slug).await?;
    let manage = c.is_admin() || l.access.manage;
    let post = c.signed_in() && (c.is_admin() || l.member);
    Ok(Room { l, post, manage })
}

/// A poster: signed in and a member (or admin); 401/403 otherwise.
pub(super) async fn poster(s: &AppState, c: &Ctx, slug: &str) -> AppResult<(Room, i64)> {
    let user = c.require_user()?.id;
    let r = room(s, c, slug).await?;
    if !r.post {
        return Err(AppError::Forbidden);
    }
    Ok((r, user))
}

pub(super) async fn thread_of(s: &AppState, r: &Room, id: i64) -> AppResult<Thread> {
    store::get_thread(&s.db, r.l.community.id, id)
        .await?
        .ok_or(AppError::NotFound)
}

/// The author may edit their own visible text; managers anything.
pub(super) fn may_edit(c: &Ctx, r: &Room, author: i64, hidden: bool) -> bool {
    r.manage || (r.post && !hidden && c.user_id() == Some(author))
}

pub(super) fn lang(c: &Ctx) -> &'static str {
    match c.locale {
        Locale::En => "en",
        Locale::EsMx => "es",
    }
}

pub(super) fn thread_url(slug: &str, id: i64) -> String {
    format!("/c/{slug}/discussions/{id}")
}

pub(super) async fn index(
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

pub(super) fn tr_for<'a>(s: &'a AppState, locale: Option<&str>) -> Tr<'a> {
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
pub(super) async fn notify(
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
pub(super) fn excerpt(text: &str) -> String {
    let mut out: String = text.chars().take(500).collect();
    if text.chars().count() > 500 {
        out.push('…');
    }
    out
}

/// The handles shown on forms ("to mention: @ana-lopez …"), capped, and how many there are.
pub(super) async fn handle_hint(s: &AppState, cid: i64) -> AppResult<(Vec<String>, usize)> {
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

pub(super) async fn write_thread(
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

pub(super) async fn write_reply(
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
pub(super) struct PageQuery {
    pub(super) page: Option<u32>,
    pub(super) per_page: Option<u32>,
}

// ---- one thread ------------------------------------------------------------------------------

/// A reply as shown: the Markdown rendered unless hidden from this viewer.
pub(super) struct ReplyView {
    pub(super) r: Reply,
    pub(super) html: String,
    /// The viewer sees the text (not hidden, or a manager).
    pub(super) shown: bool,
    pub(super) editable: bool,
}

#[derive(Template)]
#[template(path = "discussions/show.html")]
pub(super) struct ShowPage {
    pub(super) c: Ctx,
    pub(super) m: Community,
    pub(super) t: Thread,
    pub(super) body_html: String,
    pub(super) shown: bool,
    pub(super) editable: bool,
    pub(super) replies: Vec<ReplyView>,
    pub(super) page: Page<()>,
    pub(super) pager: Pager,
    pub(super) post: bool,
    pub(super) manage: bool,
    pub(super) subscribed: bool,
    pub(super) form: ReplyForm,
    pub(super) errors: FieldErrors,
    pub(super) handles: Vec<String>,
    pub(super) handles_total: usize,
}

pub(super) async fn show_page(
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

pub(super) async fn reply(
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
