//! Calendar feeds: a community's and an event's ICS, a person's private feed and its reset.

use super::*;

pub(super) fn ics_response(body: String, filename: &str) -> Response {
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

pub(super) fn ics_event(s: &AppState, slug: &str, e: &Event) -> IcsEvent {
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
pub(super) fn feed_since() -> DateTime<Utc> {
    tejido_db::now() - chrono::Duration::days(90)
}

// ---- calendars ----------------------------------------------------------------------------------------

pub(super) async fn community_ics(
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

pub(super) async fn event_ics(
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
pub(super) async fn personal_ics(
    State(s): State<AppState>,
    Path(file): Path<String>,
) -> AppResult<Response> {
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
pub(super) struct CalendarPage {
    pub(super) c: Ctx,
    pub(super) created: Option<DateTime<Utc>>,
    /// The feed URL, shown once, right after it was made.
    pub(super) url: Option<String>,
}

pub(super) async fn calendar_page(State(s): State<AppState>, c: Ctx) -> AppResult<Response> {
    let u = c.require_user()?;
    let created = store::calendar_token_created(&s.db, u.id).await?;
    Ok(html(&CalendarPage {
        c,
        created,
        url: None,
    }))
}

pub(super) async fn reset_calendar(State(s): State<AppState>, c: Ctx) -> AppResult<Response> {
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
