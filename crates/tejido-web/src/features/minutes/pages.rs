//! The minutes pages: handlers, their forms and templates.

use super::*;

pub(super) fn method_options(c: &Ctx) -> Options {
    Method::ALL
        .iter()
        .map(|m| {
            (
                m.as_str().to_owned(),
                c.label("decision-method", m.as_str()),
            )
        })
        .collect()
}

pub(super) async fn owner_options(s: &AppState, cid: i64) -> AppResult<Options> {
    Ok(store::owner_choices(&s.db, cid, 500)
        .await?
        .into_iter()
        .map(|(id, name)| (id.to_string(), name))
        .collect())
}

/// The forms of the minutes page, with what was typed and the errors of the one submitted.
#[derive(Default)]
pub(super) struct Forms {
    pub(super) decision: Option<(DecisionForm, FieldErrors)>,
    pub(super) item: Option<(ActionItemForm, FieldErrors)>,
    pub(super) lesson: Option<(LessonForm, FieldErrors)>,
    /// A refused upload, explained in the reader's language.
    pub(super) file_error: Option<String>,
}

#[derive(Template)]
#[template(path = "minutes/show.html")]
pub(super) struct ShowPage {
    pub(super) c: Ctx,
    pub(super) m: Community,
    pub(super) event: Event,
    pub(super) write: bool,
    /// The viewer's person id, 0 when none (ids start at 1).
    pub(super) person: i64,
    pub(super) current: Option<MinutesVersion>,
    /// A newer draft than `current`, for writers.
    pub(super) draft: Option<MinutesVersion>,
    pub(super) summary_html: String,
    pub(super) takeaways_html: String,
    pub(super) decisions: Vec<Decision>,
    pub(super) items: Vec<ActionItem>,
    pub(super) lessons: Vec<Lesson>,
    pub(super) cascade: Cascade,
    pub(super) attended: bool,
    pub(super) decision_form: DecisionForm,
    pub(super) decision_errors: FieldErrors,
    pub(super) item_form: ActionItemForm,
    pub(super) item_errors: FieldErrors,
    pub(super) lesson_form: LessonForm,
    pub(super) lesson_errors: FieldErrors,
    pub(super) methods: Options,
    pub(super) owners: Options,
    pub(super) statuses: Vec<String>,
    pub(super) attachments: Vec<tejido_db::uploads::Upload>,
    pub(super) file_error: Option<String>,
    pub(super) max_size: String,
}

pub(super) async fn show_page(
    s: &AppState,
    c: Ctx,
    e: EventCtx,
    forms: Forms,
) -> AppResult<ShowPage> {
    let eid = e.event.id;
    let current = store::published(&s.db, eid).await?;
    let draft = if e.write {
        store::latest(&s.db, eid, true)
            .await?
            .filter(|d| d.is_draft() && current.as_ref().is_none_or(|p| p.version < d.version))
    } else {
        None
    };
    let summary_html = current
        .as_ref()
        .map(|v| render_markdown(&v.summary))
        .unwrap_or_default();
    let takeaways_html = current
        .as_ref()
        .and_then(|v| v.takeaways.as_deref())
        .map(render_markdown)
        .unwrap_or_default();
    let decisions = log::by_source(&s.db, e.l.community.id, Source::Event.as_str(), eid).await?;
    let items = store::items(&s.db, eid, EVENT_LIST_LIMIT).await?;
    let lessons = store::lessons(&s.db, eid, EVENT_LIST_LIMIT).await?;
    let cascade = cascade(&s.db, eid).await?;
    let attended = match e.person {
        Some(pid) => store::is_attendee(&s.db, eid, pid).await?,
        None => false,
    };
    let (decision_form, decision_errors) = forms.decision.unwrap_or_else(|| {
        (
            DecisionForm {
                decided_on: e.event.starts_at.format("%Y-%m-%d").to_string(),
                method: "consensus".into(),
                ..Default::default()
            },
            FieldErrors::new(),
        )
    });
    let (item_form, item_errors) = forms.item.unwrap_or_default();
    let (lesson_form, lesson_errors) = forms.lesson.unwrap_or_default();
    let owners = if e.write {
        owner_options(s, e.l.community.id).await?
    } else {
        vec![]
    };
    let methods = method_options(&c);
    let attachments =
        tejido_db::uploads::list_for(&s.db, tejido_db::uploads::OwnerKind::Minutes, eid).await?;
    let max_size = tejido_core::uploads::human_size(
        i64::try_from(s.config.upload_max_bytes).unwrap_or(i64::MAX),
    );
    Ok(ShowPage {
        c,
        m: e.l.community,
        event: e.event,
        write: e.write,
        person: e.person.unwrap_or(0),
        current,
        draft,
        summary_html,
        takeaways_html,
        decisions,
        items,
        lessons,
        cascade,
        attended,
        decision_form,
        decision_errors,
        item_form,
        item_errors,
        lesson_form,
        lesson_errors,
        methods,
        owners,
        statuses: ActionStatus::ALL
            .iter()
            .map(|s| s.as_str().to_owned())
            .collect(),
        attachments,
        file_error: forms.file_error,
        max_size,
    })
}

pub(super) async fn show(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    let e = load_reader(&s, &c, &slug, id).await?;
    Ok(html(&show_page(&s, c, e, Forms::default()).await?))
}

// ---- editing, history ------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "minutes/edit.html")]
pub(super) struct EditPage {
    pub(super) c: Ctx,
    pub(super) m: Community,
    pub(super) event: Event,
    pub(super) form: MinutesForm,
    pub(super) errors: FieldErrors,
}

pub(super) async fn edit_form(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    let e = load_writer(&s, &c, &slug, id).await?;
    let form = match store::latest(&s.db, id, true).await? {
        Some(v) => MinutesForm {
            summary: v.summary,
            takeaways: v.takeaways.unwrap_or_default(),
            status: String::new(),
        },
        None => MinutesForm::default(),
    };
    Ok(html(&EditPage {
        c,
        m: e.l.community,
        event: e.event,
        form,
        errors: FieldErrors::new(),
    }))
}

pub(super) async fn save(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Form(form): Form<MinutesForm>,
) -> AppResult<Response> {
    let e = load_writer(&s, &c, &slug, id).await?;
    let input = match form.parse() {
        Ok(i) => i,
        Err(errors) => {
            return Ok(html_invalid(&EditPage {
                c,
                m: e.l.community,
                event: e.event,
                form,
                errors,
            }))
        }
    };
    let n = write_version(&s, &c, &e, &input).await?;
    Ok(redirect(&format!(
        "/c/{slug}/events/{id}/minutes/versions/{n}"
    )))
}

#[derive(Template)]
#[template(path = "minutes/versions.html")]
pub(super) struct HistoryPage {
    pub(super) c: Ctx,
    pub(super) m: Community,
    pub(super) event: Event,
    pub(super) versions: Page<MinutesVersion>,
    pub(super) pager: Pager,
}

pub(super) async fn history(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Query(q): Query<PageQuery>,
) -> AppResult<Response> {
    let e = load_reader(&s, &c, &slug, id).await?;
    let versions = store::versions(&s.db, id, e.write, PageReq::new(q.page, Some(20))).await?;
    let pager = Pager::new(
        &versions,
        &format!("/c/{slug}/events/{id}/minutes/versions"),
    );
    Ok(html(&HistoryPage {
        c,
        m: e.l.community,
        event: e.event,
        versions,
        pager,
    }))
}

#[derive(Template)]
#[template(path = "minutes/version.html")]
pub(super) struct VersionPage {
    pub(super) c: Ctx,
    pub(super) m: Community,
    pub(super) event: Event,
    pub(super) v: MinutesVersion,
    pub(super) summary_html: String,
    pub(super) takeaways_html: String,
}

pub(super) async fn version_page(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id, n)): Path<(String, i64, i64)>,
) -> AppResult<Response> {
    let e = load_reader(&s, &c, &slug, id).await?;
    let v = store::version(&s.db, id, n, e.write)
        .await?
        .ok_or(AppError::NotFound)?;
    let summary_html = render_markdown(&v.summary);
    let takeaways_html = v
        .takeaways
        .as_deref()
        .map(render_markdown)
        .unwrap_or_default();
    Ok(html(&VersionPage {
        c,
        m: e.l.community,
        event: e.event,
        v,
        summary_html,
        takeaways_html,
    }))
}

// ---- decisions, action items, lessons --------------------------------------------------------

pub(super) async fn add_decision(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Form(mut form): Form<DecisionForm>,
) -> AppResult<Response> {
    let e = load_writer(&s, &c, &slug, id).await?;
    form.corrects = String::new();
    match form.parse() {
        Ok(input) => {
            write_decision(&s, &c, &e, input).await?;
            Ok(redirect(&format!(
                "/c/{slug}/events/{id}/minutes#decisions"
            )))
        }
        Err(errors) => {
            let forms = Forms {
                decision: Some((form, errors)),
                ..Default::default()
            };
            Ok(html_invalid(&show_page(&s, c, e, forms).await?))
        }
    }
}

pub(super) async fn add_item(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Form(form): Form<ActionItemForm>,
) -> AppResult<Response> {
    let e = load_writer(&s, &c, &slug, id).await?;
    let result = match form.parse() {
        Ok(input) => write_item(&s, &c, &e, &input).await?,
        Err(errors) => Err(errors),
    };
    match result {
        Ok(_) => Ok(redirect(&format!("/c/{slug}/events/{id}/minutes#items"))),
        Err(errors) => {
            let forms = Forms {
                item: Some((form, errors)),
                ..Default::default()
            };
            Ok(html_invalid(&show_page(&s, c, e, forms).await?))
        }
    }
}

pub(super) async fn item_status(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id, item)): Path<(String, i64, i64)>,
    Form(form): Form<ActionStatusForm>,
) -> AppResult<Response> {
    c.require_user()?;
    let e = load_event(&s, &c, &slug, id).await?;
    let status = form.parse().map_err(|_| AppError::BadRequest("status"))?;
    write_item_status(&s, &c, &e, item, status).await?;
    if form.from == "list" {
        Ok(redirect(&format!("/c/{slug}/action-items")))
    } else {
        Ok(redirect(&format!("/c/{slug}/events/{id}/minutes#items")))
    }
}

pub(super) async fn add_lesson(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Form(form): Form<LessonForm>,
) -> AppResult<Response> {
    let e = load_writer(&s, &c, &slug, id).await?;
    match form.parse() {
        Ok(text) => {
            write_lesson(&s, &c, &e, &text).await?;
            Ok(redirect(&format!("/c/{slug}/events/{id}/minutes#lessons")))
        }
        Err(errors) => {
            let forms = Forms {
                lesson: Some((form, errors)),
                ..Default::default()
            };
            Ok(html_invalid(&show_page(&s, c, e, forms).await?))
        }
    }
}

// ---- the community's open action items -------------------------------------------------------

#[derive(Template)]
#[template(path = "minutes/action_items.html")]
pub(super) struct ItemsPage {
    pub(super) c: Ctx,
    pub(super) m: Community,
    pub(super) items: Page<ActionItem>,
    pub(super) pager: Pager,
    pub(super) write: bool,
    /// The viewer's person id, 0 when none (ids start at 1).
    pub(super) person: i64,
}

pub(super) async fn action_items(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<PageQuery>,
) -> AppResult<Response> {
    let l = load_community_reader(&s, &c, &slug).await?;
    let items =
        store::open_items_for_community(&s.db, l.community.id, PageReq::new(q.page, None)).await?;
    let pager = Pager::new(&items, &format!("/c/{slug}/action-items"));
    let write = c.is_admin() || l.access.manage || l.roles.contains(&Role::Rapporteur);
    let person = c.user.as_ref().and_then(|u| u.person_id).unwrap_or(0);
    Ok(html(&ItemsPage {
        c,
        m: l.community,
        items,
        pager,
        write,
        person,
    }))
}
