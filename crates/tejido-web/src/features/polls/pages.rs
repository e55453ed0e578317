//! The polls pages: handlers, their forms and templates.

use super::*;

pub(super) fn local_input(m: &Community, t: &Option<DateTime<Utc>>) -> String {
    t.map(|t| t.with_timezone(&tz(m)).format("%Y-%m-%dT%H:%M").to_string())
        .unwrap_or_default()
}

/// The one reminder to those who have not answered; false when already sent.
pub(super) async fn write_remind(s: &AppState, c: &Ctx, w: &Who, p: &Poll) -> AppResult<bool> {
    if p.status != "open" {
        return Err(AppError::Validation(FieldErrors::single(
            "status",
            "poll-error-not-open",
        )));
    }
    let to = store::recipients(&s.db, w.l.community.id, p.id, true, MAIL_LIMIT).await?;
    let mut tx = s.db.begin().await?;
    if !store::mark_reminded(&mut tx, p.id).await? {
        return Ok(false);
    }
    let m = &w.l.community;
    enqueue(
        s,
        &mut tx,
        &m.slug,
        &m.name,
        p,
        &to,
        "poll-mail-remind-subject",
    )
    .await?;
    audit(
        &mut tx,
        c,
        "poll-reminded",
        &w.l.community.slug,
        &p.id.to_string(),
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

#[derive(Template)]
#[template(path = "polls/list.html")]
pub(super) struct ListPage {
    pub(super) c: Ctx,
    pub(super) m: Community,
    pub(super) manage: bool,
    pub(super) polls: Page<Poll>,
    pub(super) pager: Pager,
    pub(super) templates: Options,
    /// The template selected at first.
    pub(super) first: String,
    pub(super) form: PollForm,
    pub(super) errors: FieldErrors,
    pub(super) events: Options,
}

pub(super) async fn event_options(s: &AppState, m: &Community) -> AppResult<Options> {
    let t = tejido_db::now();
    let mut out: Options = vec![];
    for upcoming in [true, false] {
        let p = tejido_db::events::list(&s.db, m.id, upcoming, t, PageReq::new(Some(1), Some(50)))
            .await?;
        out.extend(p.items.into_iter().map(|e| (e.id.to_string(), e.title)));
    }
    Ok(out)
}

pub(super) fn template_options(c: &Ctx) -> Options {
    TEMPLATES
        .iter()
        .map(|t| ((*t).to_owned(), c.label("poll-template", t)))
        .collect()
}

pub(super) async fn list_view(
    s: &AppState,
    c: Ctx,
    w: Who,
    page: Option<u32>,
    form: PollForm,
    errors: FieldErrors,
) -> AppResult<ListPage> {
    let polls = store::list(&s.db, w.l.community.id, w.manage, PageReq::new(page, None)).await?;
    let pager = Pager::new(&polls, &format!("/c/{}/polls", w.l.community.slug));
    let events = if w.manage {
        event_options(s, &w.l.community).await?
    } else {
        vec![]
    };
    let templates = template_options(&c);
    Ok(ListPage {
        c,
        m: w.l.community,
        manage: w.manage,
        polls,
        pager,
        templates,
        first: TEMPLATES[0].to_owned(),
        form,
        errors,
        events,
    })
}

pub(super) async fn list_page(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<PageQuery>,
) -> AppResult<Response> {
    let w = member(&s, &c, &slug).await?;
    Ok(html(
        &list_view(&s, c, w, q.page, PollForm::default(), FieldErrors::new()).await?,
    ))
}

pub(super) async fn create(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Form(form): Form<PollForm>,
) -> AppResult<Response> {
    let w = manager(&s, &c, &slug).await?;
    let r = match form.parse() {
        Ok(i) => write_create(&s, &c, &w, &i).await?,
        Err(e) => Err(e),
    };
    match r {
        Ok(id) => Ok(redirect(&format!("/c/{slug}/polls/{id}"))),
        Err(errors) => Ok(html_invalid(
            &list_view(&s, c, w, None, form, errors).await?,
        )),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct TemplateForm {
    pub(super) template: String,
}

pub(super) async fn create_from_template(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Form(f): Form<TemplateForm>,
) -> AppResult<Response> {
    let w = manager(&s, &c, &slug).await?;
    if !TEMPLATES.contains(&f.template.as_str()) {
        let errors = FieldErrors::single("template", "error-invalid-choice");
        return Ok(html_invalid(
            &list_view(&s, c, w, None, PollForm::default(), errors).await?,
        ));
    }
    let id = write_template(&s, &c, &w, &f.template).await?;
    Ok(redirect(&format!("/c/{slug}/polls/{id}")))
}

#[derive(Template)]
#[template(path = "polls/show.html")]
pub(super) struct PollPage {
    pub(super) c: Ctx,
    pub(super) m: Community,
    pub(super) p: Poll,
    pub(super) manage: bool,
    pub(super) answered: bool,
    pub(super) accepting: bool,
    pub(super) responses: i64,
    pub(super) questions: Vec<Question>,
    pub(super) form: PollForm,
    pub(super) errors: FieldErrors,
    pub(super) qform: QuestionForm,
    pub(super) qerrors: FieldErrors,
    pub(super) kinds: Options,
    pub(super) levels: Options,
    pub(super) events: Options,
    /// Questions may be edited: nobody has answered yet.
    pub(super) editable: bool,
    /// Opened ahead of its opening time: the invitations go out then.
    pub(super) scheduled: bool,
    /// The question whose edit form came back with errors (0: none).
    pub(super) edit_q: i64,
    pub(super) eform: QuestionForm,
    pub(super) eerrors: FieldErrors,
}

impl PollPage {
    /// The edit form of a question: as sent back with errors, or its stored values.
    pub(super) fn edit_form(&self, q: &Question) -> QuestionForm {
        if q.id == self.edit_q {
            return self.eform.clone();
        }
        QuestionForm {
            kind: q.kind.clone(),
            text: q.text.clone(),
            options: q.options.clone(),
            required: if q.required {
                "on".into()
            } else {
                String::new()
            },
            level: q.level.clone().unwrap_or_default(),
        }
    }
    /// The opening time in the community's zone.
    pub(super) fn opens_local(&self) -> String {
        local_input(&self.m, &self.p.opens_at).replace('T', " ")
    }
    pub(super) fn edit_errors(&self, q: &Question) -> FieldErrors {
        if q.id == self.edit_q {
            self.eerrors.clone()
        } else {
            FieldErrors::new()
        }
    }
}

#[allow(clippy::too_many_arguments)] // the page's two forms, each with its errors
pub(super) async fn poll_view(
    s: &AppState,
    c: Ctx,
    w: Who,
    p: Poll,
    form: Option<PollForm>,
    errors: FieldErrors,
    qform: Option<QuestionForm>,
    qerrors: FieldErrors,
) -> AppResult<PollPage> {
    let questions = store::questions(&s.db, p.id).await?;
    let answered = match w.person {
        Some(pid) => store::has_answered(&s.db, p.id, pid).await?,
        None => false,
    };
    let responses = store::answered_count(&s.db, p.id).await?;
    let m = w.l.community;
    let form = form.unwrap_or_else(|| PollForm {
        title: p.title.clone(),
        description: p.description.clone().unwrap_or_default(),
        event: p.event_id.map(|e| e.to_string()).unwrap_or_default(),
        anonymous: if p.anonymous {
            "on".into()
        } else {
            String::new()
        },
        breakdowns: if p.breakdowns {
            "on".into()
        } else {
            String::new()
        },
        opens_at: local_input(&m, &p.opens_at),
        closes_at: local_input(&m, &p.closes_at),
    });
    let events = if w.manage {
        event_options(s, &m).await?
    } else {
        vec![]
    };
    let kinds = QuestionKind::ALL
        .iter()
        .map(|k| (k.as_str().to_owned(), c.label("poll-kind", k.as_str())))
        .collect();
    let levels = core::LEVELS
        .iter()
        .map(|l| ((*l).to_owned(), c.label("poll-level", l)))
        .collect();
    let now = tejido_db::now();
    Ok(PollPage {
        accepting: p.accepting(now),
        editable: core::question_editable(responses),
        scheduled: p.status == "open"
            && p.invited_at.is_none()
            && p.opens_at.is_some_and(|o| o > now),
        edit_q: 0,
        eform: QuestionForm::default(),
        eerrors: FieldErrors::new(),
        c,
        m,
        p,
        manage: w.manage,
        answered,
        responses,
        questions,
        form,
        errors,
        qform: qform.unwrap_or_else(|| QuestionForm {
            kind: "likert".into(),
            required: "on".into(),
            ..Default::default()
        }),
        qerrors,
        kinds,
        levels,
        events,
    })
}

pub(super) async fn poll_page(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    let w = member(&s, &c, &slug).await?;
    let p = poll_of(&s, &w, id).await?;
    if p.is_draft() && !w.manage {
        return Err(AppError::NotFound);
    }
    Ok(html(
        &poll_view(
            &s,
            c,
            w,
            p,
            None,
            FieldErrors::new(),
            None,
            FieldErrors::new(),
        )
        .await?,
    ))
}

pub(super) async fn save_settings(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Form(form): Form<PollForm>,
) -> AppResult<Response> {
    let w = manager(&s, &c, &slug).await?;
    let p = poll_of(&s, &w, id).await?;
    let mut r = form.parse();
    if let Ok(i) = &r {
        if let Err(e) = check_event(&s, &w.l.community, i.event_id).await? {
            r = Err(e);
        } else if (i.anonymous, i.breakdowns) != (p.anonymous, p.breakdowns)
            && store::answered_count(&s.db, p.id).await? > 0
        {
            // What is stored, and what the answer page announced, cannot change under answers.
            r = Err(if i.anonymous != p.anonymous {
                FieldErrors::single("anonymous", "poll-error-anonymity-fixed")
            } else {
                FieldErrors::single("breakdowns", "poll-error-breakdowns-fixed")
            });
        }
    }
    match r {
        Ok(i) => {
            let mut tx = s.db.begin().await?;
            store::update(&mut tx, p.id, &row(&w.l.community, &i, None)).await?;
            audit(&mut tx, &c, "poll-updated", &slug, &id.to_string()).await?;
            tx.commit().await?;
            Ok(redirect(&format!("/c/{slug}/polls/{id}")))
        }
        Err(errors) => Ok(html_invalid(
            &poll_view(&s, c, w, p, Some(form), errors, None, FieldErrors::new()).await?,
        )),
    }
}

#[derive(Template)]
#[template(path = "polls/answer.html")]
pub(super) struct AnswerPage {
    pub(super) c: Ctx,
    pub(super) m: Community,
    pub(super) p: Poll,
    pub(super) questions: Vec<Question>,
    pub(super) preview: bool,
    pub(super) answered: bool,
    pub(super) accepting: bool,
    pub(super) values: Vec<(String, String)>,
    pub(super) errors: FieldErrors,
    pub(super) likert: Vec<String>,
}

impl AnswerPage {
    pub(super) fn value(&self, key: &str) -> String {
        self.values
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }
    pub(super) fn checked(&self, key: &str, v: &usize) -> bool {
        let v = v.to_string();
        self.values.iter().any(|(k, x)| k == key && *x == v)
    }
    pub(super) fn key(&self, q: &Question) -> String {
        format!("q{}", q.id)
    }
}

pub(super) async fn answer_view(
    s: &AppState,
    c: Ctx,
    w: Who,
    p: Poll,
    preview: bool,
    values: Vec<(String, String)>,
    errors: FieldErrors,
) -> AppResult<AnswerPage> {
    let questions = store::questions(&s.db, p.id).await?;
    let answered = match w.person {
        Some(pid) => store::has_answered(&s.db, p.id, pid).await?,
        None => false,
    };
    let likert = likert_labels(&c);
    Ok(AnswerPage {
        accepting: p.accepting(tejido_db::now()),
        c,
        m: w.l.community,
        p,
        questions,
        preview,
        answered,
        values,
        errors,
        likert,
    })
}

pub(super) async fn preview(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    let w = manager(&s, &c, &slug).await?;
    let p = poll_of(&s, &w, id).await?;
    Ok(html(
        &answer_view(&s, c, w, p, true, vec![], FieldErrors::new()).await?,
    ))
}

pub(super) async fn answer_form(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    let w = member(&s, &c, &slug).await?;
    let p = poll_of(&s, &w, id).await?;
    if p.is_draft() {
        return Err(AppError::NotFound);
    }
    Ok(html(
        &answer_view(&s, c, w, p, false, vec![], FieldErrors::new()).await?,
    ))
}

pub(super) async fn answer_save(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    c.require_user()?;
    let w = member(&s, &c, &slug).await?;
    let p = poll_of(&s, &w, id).await?;
    let qs = store::questions(&s.db, p.id).await?;
    match write_answer(&s, &w, &p, &qs, &pairs).await? {
        Submitted::Saved | Submitted::Already => {
            Ok(redirect(&format!("/c/{slug}/polls/{id}?answered=1")))
        }
        Submitted::Invalid(errors) => {
            let values = pairs.into_iter().filter(|(k, _)| k != "_csrf").collect();
            Ok(html_invalid(
                &answer_view(&s, c, w, p, false, values, errors).await?,
            ))
        }
    }
}

pub(super) async fn duplicate(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    let w = manager(&s, &c, &slug).await?;
    let p = poll_of(&s, &w, id).await?;
    let title: String = c
        .t1("poll-copy-title", "title", &p.title)
        .chars()
        .take(200)
        .collect();
    let mut tx = s.db.begin().await?;
    let nid = store::duplicate(&mut tx, &p, &title, c.user_id()).await?;
    audit(
        &mut tx,
        &c,
        "poll-duplicated",
        &slug,
        &format!("{id}:{nid}"),
    )
    .await?;
    tx.commit().await?;
    Ok(redirect(&format!("/c/{slug}/polls/{nid}")))
}

pub(super) async fn remind(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    let w = manager(&s, &c, &slug).await?;
    let p = poll_of(&s, &w, id).await?;
    write_remind(&s, &c, &w, &p).await?;
    Ok(redirect(&format!("/c/{slug}/polls/{id}")))
}
