//! The events use cases and lookups that the pages and the API share.

use super::*;

/// Registrations per page on the attendance page and in the API.
pub(super) const REG_PER_PAGE: u32 = 100;

// ---- rules and helpers ------------------------------------------------------------------------------

pub(super) fn zone(name: &str) -> chrono_tz::Tz {
    name.parse().unwrap_or(chrono_tz::America::Mexico_City)
}

/// Everything a handler knows about the viewer and one event.
pub(super) struct Viewer {
    pub(super) person: Option<i64>,
    /// A current member of the community (as a person or through an organization).
    pub(super) member: bool,
    pub(super) registered: bool,
}

pub(super) async fn viewer(
    s: &AppState,
    c: &Ctx,
    l: &Loaded,
    event: Option<&Event>,
) -> AppResult<Viewer> {
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
pub(super) fn link_visible(l: &Loaded, v: &Viewer) -> bool {
    l.access.manage || v.registered
}

pub(super) async fn event_of(s: &AppState, l: &Loaded, id: i64) -> AppResult<Event> {
    store::get(&s.db, l.community.id, id)
        .await?
        .ok_or(AppError::NotFound)
}

pub(super) async fn managed(s: &AppState, c: &Ctx, slug: &str) -> AppResult<Loaded> {
    c.require_user()?;
    let l = load(s, c, slug).await?;
    if !l.access.manage {
        return Err(AppError::Forbidden);
    }
    Ok(l)
}

pub(super) fn kind_options(c: &Ctx) -> Options {
    EventKind::ALL
        .iter()
        .map(|k| (k.as_str().to_owned(), c.label("events-kind", k.as_str())))
        .collect()
}

pub(super) fn mode_options(c: &Ctx) -> Options {
    EventMode::ALL
        .iter()
        .map(|k| (k.as_str().to_owned(), c.label("events-mode", k.as_str())))
        .collect()
}

pub(super) fn status_options(c: &Ctx) -> Options {
    EventStatus::ALL
        .iter()
        .map(|k| (k.as_str().to_owned(), c.label("events-status", k.as_str())))
        .collect()
}

/// Parses an event form in the community's time zone (or the event's, when editing).
pub(super) fn parse_form(form: &EventForm, tz_name: &str) -> Result<EventInput, FieldErrors> {
    let input = form.parse(&zone(tz_name), tz_name)?;
    if rules::held_too_early(&input, tejido_db::now()) {
        return Err(FieldErrors::single(
            "status",
            "events-error-held-before-start",
        ));
    }
    Ok(input)
}

// ---- use cases shared by pages and API --------------------------------------------------------------

pub(super) async fn save_event(
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
pub(super) async fn target_person(
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

pub(super) async fn do_register(
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

pub(super) async fn do_unregister(
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

pub(super) fn new_code() -> String {
    use rand::RngCore;
    let mut b = [0u8; 10];
    rand::rngs::OsRng.fill_bytes(&mut b);
    rules::certificate_code(b)
}

pub(super) async fn do_attendance(
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
pub(super) struct ListParams {
    pub(super) page: Option<u32>,
    /// `past` for past events; upcoming otherwise.
    pub(super) when: Option<String>,
}

impl ListParams {
    pub(super) fn past(&self) -> bool {
        self.when.as_deref() == Some("past")
    }
}

pub(super) async fn host_options(s: &AppState, id: i64) -> AppResult<Options> {
    Ok(store::host_options(&s.db, id)
        .await?
        .into_iter()
        .map(|(i, n)| (i.to_string(), n))
        .collect())
}

#[derive(Template)]
#[template(path = "events/form.html")]
pub(super) struct FormPage {
    pub(super) c: Ctx,
    pub(super) m: Community,
    pub(super) editing: Option<Event>,
    pub(super) form: EventForm,
    pub(super) errors: FieldErrors,
    pub(super) kinds: Options,
    pub(super) modes: Options,
    pub(super) statuses: Options,
    pub(super) states: Options,
    pub(super) hosts: Options,
}

impl FormPage {
    pub(super) fn action(&self) -> String {
        match &self.editing {
            Some(e) => format!("/c/{}/events/{}/edit", self.m.slug, e.id),
            None => format!("/c/{}/events", self.m.slug),
        }
    }
}

pub(super) async fn form_page(
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

pub(super) async fn update(
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

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub(super) struct PersonField {
    pub(super) person_id: String,
}

impl PersonField {
    pub(super) fn parse(&self) -> AppResult<Option<i64>> {
        match self.person_id.trim() {
            "" => Ok(None),
            v => v
                .parse()
                .map(Some)
                .map_err(|_| AppError::BadRequest("person")),
        }
    }
}

pub(super) async fn register(
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

pub(super) async fn unregister(
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
