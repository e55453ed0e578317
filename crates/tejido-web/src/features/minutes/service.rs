//! The minutes use cases and lookups that the pages and the API share.

use super::*;

/// Most rows shown on one event's minutes page (items, lessons, decisions, report-backs).
pub(super) const EVENT_LIST_LIMIT: i64 = 200;

// ---- authorization ---------------------------------------------------------------------------

/// A loaded event with what the viewer may do with its minutes.
pub(super) struct EventCtx {
    pub(super) l: Loaded,
    pub(super) event: Event,
    /// Reads published minutes, items, lessons, the cascade rate.
    pub(super) read: bool,
    /// Writes the minutes and sees drafts: the rapporteur, managers, admins.
    pub(super) write: bool,
    /// The viewer's person, if any.
    pub(super) person: Option<i64>,
}

pub(super) async fn load_event(s: &AppState, c: &Ctx, slug: &str, id: i64) -> AppResult<EventCtx> {
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

pub(super) fn refuse(c: &Ctx) -> AppError {
    if c.signed_in() {
        AppError::Forbidden
    } else {
        AppError::Unauthorized
    }
}

pub(super) async fn load_reader(s: &AppState, c: &Ctx, slug: &str, id: i64) -> AppResult<EventCtx> {
    let e = load_event(s, c, slug, id).await?;
    if e.read {
        Ok(e)
    } else {
        Err(refuse(c))
    }
}

pub(super) async fn load_writer(s: &AppState, c: &Ctx, slug: &str, id: i64) -> AppResult<EventCtx> {
    c.require_user()?;
    let e = load_event(s, c, slug, id).await?;
    if e.write {
        Ok(e)
    } else {
        Err(AppError::Forbidden)
    }
}

/// Community-level readers (the action-items list): the minutes rule.
pub(super) async fn load_community_reader(s: &AppState, c: &Ctx, slug: &str) -> AppResult<Loaded> {
    let l = load(s, c, slug).await?;
    l.require(c, Record::Minutes)?;
    Ok(l)
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

// ---- shared writes (pages and API) -------------------------------------------------------------

pub(super) async fn write_version(
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

pub(super) async fn write_decision(
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
pub(super) async fn write_item(
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
pub(super) async fn write_item_status(
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

pub(super) async fn write_lesson(
    s: &AppState,
    c: &Ctx,
    e: &EventCtx,
    text: &str,
) -> AppResult<i64> {
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
pub(super) async fn attendee(s: &AppState, c: &Ctx, e: &EventCtx) -> AppResult<i64> {
    c.require_user()?;
    match e.person {
        Some(pid) if store::is_attendee(&s.db, e.event.id, pid).await? => Ok(pid),
        _ => Err(AppError::Forbidden),
    }
}

pub(super) async fn write_report_back(
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

pub(super) async fn cascade(db: &Db, event_id: i64) -> AppResult<Cascade> {
    let (reported, attendees) = store::cascade_rate(db, event_id).await?;
    Ok(Cascade {
        reported,
        attendees,
        percent: cascade_percent(reported, attendees),
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct PageQuery {
    pub(super) page: Option<u32>,
    pub(super) per_page: Option<u32>,
}

pub(super) async fn attachment(
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
