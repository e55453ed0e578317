//! The polls use cases and lookups that the pages and the API share.

use super::*;

/// Most members written to at once (invitation or reminder).
pub(super) const MAIL_LIMIT: i64 = 2000;

// ---- authorization ---------------------------------------------------------------------------

pub(super) struct Who {
    pub(super) l: Loaded,
    pub(super) manage: bool,
    pub(super) person: Option<i64>,
}

/// Members, managers and admins; others 403 (401 anonymous).
pub(super) async fn member(s: &AppState, c: &Ctx, slug: &str) -> AppResult<Who> {
    let l = load_member(s, c, slug).await?;
    let manage = l.access.manage;
    let person = c.user.as_ref().and_then(|u| u.person_id);
    Ok(Who { l, manage, person })
}

pub(super) async fn manager(s: &AppState, c: &Ctx, slug: &str) -> AppResult<Who> {
    let l = load_manage(s, c, slug).await?;
    let person = c.user.as_ref().and_then(|u| u.person_id);
    Ok(Who {
        l,
        manage: true,
        person,
    })
}

pub(super) async fn poll_of(s: &AppState, w: &Who, id: i64) -> AppResult<Poll> {
    store::get(&s.db, w.l.community.id, id)
        .await?
        .ok_or(AppError::NotFound)
}

pub(super) async fn audit(
    tx: &mut tejido_db::Tx,
    c: &Ctx,
    action: &str,
    slug: &str,
    detail: &str,
) -> AppResult<()> {
    tejido_db::audit::record(tx, c.user_id(), action, Some(slug), Some(detail)).await?;
    Ok(())
}

pub(super) fn tz(m: &Community) -> chrono_tz::Tz {
    m.time_zone
        .parse()
        .unwrap_or(chrono_tz::America::Mexico_City)
}

pub(super) fn to_utc(m: &Community, t: Option<chrono::NaiveDateTime>) -> Option<DateTime<Utc>> {
    t.and_then(|n| tz(m).from_local_datetime(&n).earliest())
        .map(|d| d.with_timezone(&Utc))
}

/// Checks the event belongs to the community.
pub(super) async fn check_event(
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

pub(super) fn row<'a>(m: &Community, i: &'a PollInput, template: Option<&'a str>) -> PollRow<'a> {
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

pub(super) fn random_id() -> String {
    use rand::RngCore;
    let mut b = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut b);
    b.iter().map(|x| format!("{x:02x}")).collect()
}

// ---- shared writes ---------------------------------------------------------------------------

pub(super) async fn write_create(
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

pub(super) async fn write_template(s: &AppState, c: &Ctx, w: &Who, key: &str) -> AppResult<i64> {
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

pub(super) async fn write_question(
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
pub(super) async fn write_edit_question(
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
pub(super) async fn write_status(
    s: &AppState,
    c: &Ctx,
    w: &Who,
    p: &Poll,
    status: &str,
) -> AppResult<()> {
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
pub(super) async fn publish(
    s: &AppState,
    m: &Community,
    p: &Poll,
    accepting: bool,
) -> AppResult<bool> {
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

pub(super) fn timing(p: &Poll) -> core::Timing<'_> {
    core::Timing {
        status: &p.status,
        opens_at: p.opens_at,
        closes_at: p.closes_at,
        invited_at: p.invited_at,
    }
}

pub(super) async fn enqueue(
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

/// Most polls invited in one pass (the next pass takes the rest).
pub(super) const DUE_BATCH: i64 = 100;

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

pub(super) fn specs(qs: &[Question]) -> Vec<QuestionSpec> {
    qs.iter()
        .map(|q| QuestionSpec {
            id: q.id,
            kind: q.kind(),
            required: q.required,
            options: q.option_list().len(),
        })
        .collect()
}

pub(super) enum Submitted {
    Saved,
    Already,
    Invalid(FieldErrors),
}

pub(super) async fn write_answer(
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

// ---- pages -----------------------------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct PageQuery {
    pub(super) page: Option<u32>,
    pub(super) per_page: Option<u32>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct StatusForm {
    pub(super) status: String,
}

pub(super) async fn set_status(
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
