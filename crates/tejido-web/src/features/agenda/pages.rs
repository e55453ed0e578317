//! The agenda pages: handlers, their forms and templates.

use super::*;

pub(super) fn methodology_options(c: &Ctx) -> Options {
    Methodology::ALL
        .iter()
        .map(|m| (m.as_str().to_owned(), c.label("agenda-method", m.as_str())))
        .collect()
}

#[derive(Default)]
pub(super) struct Forms {
    pub(super) topic: TopicForm,
    pub(super) topic_errors: FieldErrors,
    pub(super) vote_errors: FieldErrors,
    pub(super) slot: SlotForm,
    pub(super) slot_errors: FieldErrors,
}

#[derive(Template)]
#[template(path = "agenda/page.html")]
pub(super) struct Page {
    pub(super) c: Ctx,
    pub(super) m: Community,
    pub(super) e: Event,
    pub(super) manage: bool,
    pub(super) me: Option<i64>,
    pub(super) b: Board,
    pub(super) fm: Forms,
    pub(super) methods: Options,
    pub(super) people: Options,
    pub(super) topic_options: Options,
}

impl Page {
    pub(super) fn hm(&self, at: &DateTime<Utc>) -> String {
        at.with_timezone(&zone(&self.e.time_zone))
            .format("%H:%M")
            .to_string()
    }
    pub(super) fn day(&self, at: &DateTime<Utc>) -> String {
        self.c.date_in(at, &self.e.time_zone)
    }
    pub(super) fn when(&self, at: &DateTime<Utc>) -> String {
        self.c.tr().datetime(at, &self.e.time_zone)
    }
    pub(super) fn method_label(&self, m: &str) -> String {
        self.c.label("agenda-method", m)
    }
    pub(super) fn opt_method_label(&self, m: &Option<String>) -> String {
        m.as_deref()
            .map(|m| self.c.label("agenda-method", m))
            .unwrap_or_default()
    }
    pub(super) fn names(&self, f: &[Facilitator]) -> String {
        f.iter()
            .map(|x| x.full_name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
    pub(super) fn mine(&self, t: &TopicView) -> String {
        if t.mine > 0 {
            t.mine.to_string()
        } else {
            String::new()
        }
    }
    pub(super) fn can_withdraw(&self, t: &TopicView) -> bool {
        self.manage || self.me == Some(t.t.proposed_by)
    }
    pub(super) fn left(&self) -> i64 {
        (self.b.budget - self.b.used).max(0)
    }
}

pub(super) async fn render(
    s: &AppState,
    c: Ctx,
    sc: Scope,
    mut fm: Forms,
    invalid: bool,
) -> AppResult<Response> {
    let me = member_person(s, &c, &sc.l).await?;
    let b = board(s, &sc, me).await?;
    let manage = sc.l.access.manage;
    let people = if manage {
        store::members(&s.db, sc.l.community.id)
            .await?
            .into_iter()
            .map(|(id, n)| (id.to_string(), n))
            .collect()
    } else {
        vec![]
    };
    if fm.slot.date.is_empty() {
        fm.slot.date = sc
            .event
            .starts_at
            .with_timezone(&zone(&sc.event.time_zone))
            .format("%Y-%m-%d")
            .to_string();
    }
    let topic_options = b
        .topics
        .iter()
        .map(|t| (t.t.id.to_string(), t.t.title.clone()))
        .collect();
    let page = Page {
        methods: methodology_options(&c),
        c,
        m: sc.l.community,
        e: sc.event,
        manage,
        me,
        b,
        fm,
        people,
        topic_options,
    };
    Ok(if invalid {
        html_invalid(&page)
    } else {
        html(&page)
    })
}

pub(super) fn agenda_url(slug: &str, id: i64) -> String {
    format!("/c/{slug}/events/{id}/agenda")
}

// ---- pages: the agenda ----------------------------------------------------------------------------

pub(super) async fn agenda_page(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    let sc = scope(&s, &c, &slug, id).await?;
    render(&s, c, sc, Forms::default(), false).await
}

pub(super) async fn topic_post(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Form(form): Form<TopicForm>,
) -> AppResult<Response> {
    let sc = scope(&s, &c, &slug, id).await?;
    let person = require_member(&s, &c, &sc.l).await?;
    let res = match form.parse() {
        Ok(input) => match save_topic(&s, &c, &sc, person, &input).await {
            Ok(_) => return Ok(redirect(&format!("{}#topics", agenda_url(&slug, id)))),
            Err(AppError::Validation(e)) => e,
            Err(e) => return Err(e),
        },
        Err(e) => e,
    };
    let fm = Forms {
        topic: form,
        topic_errors: res,
        ..Default::default()
    };
    render(&s, c, sc, fm, true).await
}

pub(super) async fn withdraw_post(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id, topic)): Path<(String, i64, i64)>,
) -> AppResult<Response> {
    let sc = scope(&s, &c, &slug, id).await?;
    let t = store::topic(&s.db, id, topic)
        .await?
        .ok_or(AppError::NotFound)?;
    let me = member_person(&s, &c, &sc.l).await?;
    if !(sc.l.access.manage || me == Some(t.proposed_by)) {
        return Err(AppError::Forbidden);
    }
    let mut tx = s.db.begin().await?;
    store::withdraw_topic(&mut tx, id, topic).await?;
    tejido_db::audit::record(
        &mut tx,
        c.user_id(),
        "agenda-topic-withdrawn",
        Some(&slug),
        Some(&t.title),
    )
    .await?;
    tx.commit().await?;
    Ok(redirect(&format!("{}#topics", agenda_url(&slug, id))))
}

pub(super) async fn votes_post(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let sc = scope(&s, &c, &slug, id).await?;
    let person = require_member(&s, &c, &sc.l).await?;
    let errors = match rules::ballot_from_fields(&fields) {
        Ok(lines) => match save_ballot(&s, &c, &sc, person, &lines).await? {
            Ok(_) => return Ok(redirect(&format!("{}#vote", agenda_url(&slug, id)))),
            Err(e) => e,
        },
        Err(e) => e,
    };
    let fm = Forms {
        vote_errors: errors,
        ..Default::default()
    };
    render(&s, c, sc, fm, true).await
}

pub(super) async fn item_post(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Form(form): Form<SlotForm>,
) -> AppResult<Response> {
    let sc = managed(&s, &c, &slug, id).await?;
    match save_item(&s, &c, &sc, &form).await? {
        Ok(_) => Ok(redirect(&format!("{}#agenda", agenda_url(&slug, id)))),
        Err(e) => {
            let fm = Forms {
                slot: form,
                slot_errors: e,
                ..Default::default()
            };
            render(&s, c, sc, fm, true).await
        }
    }
}

/// Asks before an item leaves the agenda.
pub(super) async fn item_delete_ask(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id, item)): Path<(String, i64, i64)>,
) -> AppResult<Response> {
    managed(&s, &c, &slug, id).await?;
    let it = store::items(&s.db, id)
        .await?
        .into_iter()
        .find(|i| i.id == item)
        .ok_or(AppError::NotFound)?;
    Ok(crate::views::confirm(
        c.t1("agenda-item-delete-question", "name", &it.title),
        c.t("agenda-item-delete-note"),
        format!("/c/{slug}/events/{id}/agenda/items/{item}/delete"),
        vec![],
        c.t("confirm-remove"),
        format!("/c/{slug}/events/{id}/agenda"),
        c,
    ))
}

pub(super) async fn item_delete_post(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id, item)): Path<(String, i64, i64)>,
) -> AppResult<Response> {
    managed(&s, &c, &slug, id).await?;
    let mut tx = s.db.begin().await?;
    if !store::delete_item(&mut tx, id, item).await? {
        return Err(AppError::NotFound);
    }
    tejido_db::audit::record(
        &mut tx,
        c.user_id(),
        "agenda-item-removed",
        Some(&slug),
        Some(&item.to_string()),
    )
    .await?;
    tx.commit().await?;
    Ok(redirect(&format!("{}#agenda", agenda_url(&slug, id))))
}

#[derive(Template)]
#[template(path = "agenda/roles.html")]
pub(super) struct RolesPage {
    pub(super) c: Ctx,
    pub(super) m: Community,
    pub(super) e: Event,
    pub(super) manage: bool,
    pub(super) roles: Vec<RoleView>,
    pub(super) people: Options,
    pub(super) failed: Option<String>,
    pub(super) errors: FieldErrors,
}

impl RolesPage {
    pub(super) fn selected(&self, r: &RoleView) -> String {
        r.holder
            .as_ref()
            .map(|h| h.person_id)
            .or(r.rotation_next)
            .map(|p| p.to_string())
            .unwrap_or_default()
    }
    pub(super) fn errors_for(&self, r: &RoleView) -> FieldErrors {
        if self.failed.as_deref() == Some(r.role) {
            self.errors.clone()
        } else {
            FieldErrors::new()
        }
    }
    pub(super) fn when(&self, at: &DateTime<Utc>) -> String {
        self.c.tr().datetime(at, &self.e.time_zone)
    }
}

pub(super) async fn render_roles(
    s: &AppState,
    c: Ctx,
    sc: Scope,
    failed: Option<String>,
    errors: FieldErrors,
) -> AppResult<Response> {
    let (roles, members) = role_views(s, &sc).await?;
    let invalid = !errors.is_empty();
    let page = RolesPage {
        c,
        m: sc.l.community,
        e: sc.event,
        manage: sc.l.access.manage,
        roles,
        people: members
            .into_iter()
            .map(|(id, n)| (id.to_string(), n))
            .collect(),
        failed,
        errors,
    };
    Ok(if invalid {
        html_invalid(&page)
    } else {
        html(&page)
    })
}

pub(super) async fn roles_page(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    let sc = scope(&s, &c, &slug, id).await?;
    render_roles(&s, c, sc, None, FieldErrors::new()).await
}

pub(super) async fn roles_propose_post(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    let sc = managed(&s, &c, &slug, id).await?;
    propose_from_rotation(&s, &c, &sc).await?;
    Ok(redirect(&format!("/c/{slug}/events/{id}/roles")))
}

pub(super) async fn role_post(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id, role)): Path<(String, i64, String)>,
    Form(form): Form<RoleForm>,
) -> AppResult<Response> {
    let sc = managed(&s, &c, &slug, id).await?;
    match confirm(&s, &c, &sc, &role, &form).await? {
        Ok(()) => Ok(redirect(&format!("/c/{slug}/events/{id}/roles"))),
        Err(e) => render_roles(&s, c, sc, Some(role), e).await,
    }
}

// ---- ownership index ------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "agenda/ownership.html")]
pub(super) struct OwnershipPage {
    pub(super) c: Ctx,
    pub(super) m: Community,
    pub(super) rows: Vec<EventOwnership>,
    pub(super) svg: String,
    pub(super) trend: Option<i64>,
}

impl OwnershipPage {
    pub(super) fn share(&self, s: &own::Share) -> String {
        match s.percent() {
            Some(p) => self.c.t2(
                "ownership-share",
                "percent",
                &p.to_string(),
                "detail",
                &format!("{}/{}", s.part, s.whole),
            ),
            None => self.c.t("ownership-not-measured"),
        }
    }
    pub(super) fn index_text(&self, i: &Option<u32>) -> String {
        i.map(|v| v.to_string())
            .unwrap_or_else(|| self.c.t("ownership-not-measured"))
    }
    pub(super) fn hosted(&self, h: &Option<bool>) -> String {
        match h {
            Some(true) => self.c.t("ownership-yes"),
            Some(false) => self.c.t("ownership-no"),
            None => self.c.t("ownership-not-measured"),
        }
    }
    pub(super) fn evenness(&self, e: &Option<f64>) -> String {
        e.map(|v| format!("{:.2}", v))
            .unwrap_or_else(|| self.c.t("ownership-not-measured"))
    }
    pub(super) fn staff(&self, e: &Option<f64>) -> String {
        e.map(|v| format!("{:.1}", v)).unwrap_or_else(|| "—".into())
    }
    pub(super) fn trend_text(&self) -> String {
        match self.trend {
            Some(d) if d > 0 => self.c.t1("ownership-trend-up", "points", &d.to_string()),
            Some(d) if d < 0 => self
                .c
                .t1("ownership-trend-down", "points", &(-d).to_string()),
            Some(_) => self.c.t("ownership-trend-flat"),
            None => self.c.t("ownership-trend-none"),
        }
    }
}

pub(super) async fn ownership_page(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    c.require_user()?;
    let l = load(&s, &c, &slug).await?;
    let rows = ownership(&s, &l.community).await?;
    let svg = svg_for(&c.tr(), &l.community, &rows)?;
    let trend = own::trend(&rows.iter().map(|r| r.index).collect::<Vec<_>>());
    Ok(html(&OwnershipPage {
        c,
        m: l.community,
        rows,
        svg,
        trend,
    }))
}
