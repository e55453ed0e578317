//! The events pages: handlers, their forms and templates.

use super::*;

pub(super) fn form_of(e: &Event) -> EventForm {
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

/// Where an event happens, for display and calendars (never the online link).
pub(super) fn place(e: &Event) -> Option<String> {
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

pub(super) fn event_url(s: &AppState, slug: &str, id: i64) -> String {
    format!("{}/c/{slug}/events/{id}", s.config.base_url)
}

#[derive(Template)]
#[template(path = "events/list.html")]
pub(super) struct ListPage {
    pub(super) c: Ctx,
    pub(super) m: Community,
    pub(super) manage: bool,
    pub(super) past: bool,
    pub(super) events: Page<Event>,
    pub(super) pager: Pager,
    pub(super) form: EventForm,
    pub(super) errors: FieldErrors,
    pub(super) kinds: Options,
    pub(super) modes: Options,
    pub(super) statuses: Options,
    pub(super) states: Options,
    pub(super) hosts: Options,
}

impl ListPage {
    pub(super) fn when(&self, e: &Event) -> String {
        self.c.tr().datetime(&e.starts_at, &e.time_zone)
    }
    pub(super) fn place(&self, e: &Event) -> String {
        place(e).unwrap_or_default()
    }
}

pub(super) async fn render_list(
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

pub(super) async fn list_page(
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

pub(super) async fn new_page(
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

pub(super) async fn create(
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

pub(super) async fn edit_page(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    let l = managed(&s, &c, &slug).await?;
    let e = event_of(&s, &l, id).await?;
    let form = form_of(&e);
    form_page(&s, c, l, Some(e), form, FieldErrors::new()).await
}

// ---- detail, registration, sharing --------------------------------------------------------------------

#[derive(Template)]
#[template(path = "events/show.html")]
pub(super) struct ShowPage {
    pub(super) c: Ctx,
    pub(super) m: Community,
    pub(super) manage: bool,
    pub(super) e: Event,
    pub(super) host: Option<String>,
    /// The online link, only when the viewer may see it.
    pub(super) link: Option<String>,
    pub(super) member: bool,
    pub(super) registered: bool,
    pub(super) registrations: Option<Page<Registration>>,
    /// People the viewer may register (managers: the community; staff: their colleagues).
    pub(super) registrable: Options,
    pub(super) url: String,
    pub(super) invite_email: String,
    pub(super) invite_errors: FieldErrors,
    pub(super) invited: bool,
    /// Polls about this event (members only).
    pub(super) polls: Vec<tejido_db::polls::Poll>,
}

impl ShowPage {
    pub(super) fn when(&self) -> String {
        let tr = self.c.tr();
        format!(
            "{} – {}",
            tr.datetime(&self.e.starts_at, &self.e.time_zone),
            tr.datetime(&self.e.ends_at, &self.e.time_zone)
        )
    }
    pub(super) fn place(&self) -> String {
        place(&self.e).unwrap_or_default()
    }
    pub(super) fn whatsapp(&self) -> String {
        format!(
            "https://wa.me/?text={}",
            urlencode(&format!("{} {}", self.e.title, self.url)).replace('/', "%2F")
        )
    }
    pub(super) fn telegram(&self) -> String {
        format!(
            "https://t.me/share/url?url={}&text={}",
            urlencode(&self.url).replace('/', "%2F"),
            urlencode(&self.e.title).replace('/', "%2F")
        )
    }
    pub(super) fn open(&self) -> bool {
        self.e.status != "cancelled"
    }
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub(super) struct InviteForm {
    pub(super) email: String,
}

pub(super) async fn render_show(
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
pub(super) struct ShowParams {
    pub(super) invited: Option<String>,
}

pub(super) async fn show_page(
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

/// The invitation text: what the event is, when and where, and its page — never the link.
pub(super) fn invitation_text(
    tr: &Tr<'_>,
    e: &Event,
    community: &str,
    url: &str,
) -> (String, String) {
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

pub(super) async fn invite(
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
