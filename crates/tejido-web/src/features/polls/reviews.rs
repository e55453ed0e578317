//! Polls: the After Action Review pages — reviews, contributions, consolidation and the
//! outcomes a review records.

use super::*;

// ---- reviews ---------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "polls/reviews.html")]
pub(super) struct ReviewsPage {
    pub(super) c: Ctx,
    pub(super) m: Community,
    pub(super) reviews: Page<Review>,
    pub(super) pager: Pager,
    pub(super) form: ReviewForm,
    pub(super) errors: FieldErrors,
    pub(super) events: Options,
    pub(super) kinds: Options,
}

pub(super) async fn reviews_view(
    s: &AppState,
    c: Ctx,
    w: Who,
    page: Option<u32>,
    form: ReviewForm,
    errors: FieldErrors,
) -> AppResult<ReviewsPage> {
    let reviews = store::reviews(&s.db, w.l.community.id, PageReq::new(page, None)).await?;
    let pager = Pager::new(&reviews, &format!("/c/{}/reviews", w.l.community.slug));
    let events = event_options(s, &w.l.community).await?;
    let kinds = vec![
        ("aar".to_owned(), c.t("review-kind-aar")),
        ("ai".to_owned(), c.t("review-kind-ai")),
    ];
    Ok(ReviewsPage {
        c,
        m: w.l.community,
        reviews,
        pager,
        form,
        errors,
        events,
        kinds,
    })
}

pub(super) async fn reviews_page(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<PageQuery>,
) -> AppResult<Response> {
    let w = member(&s, &c, &slug).await?;
    Ok(html(
        &reviews_view(
            &s,
            c,
            w,
            q.page,
            ReviewForm {
                kind: "aar".into(),
                ..Default::default()
            },
            FieldErrors::new(),
        )
        .await?,
    ))
}

pub(super) async fn create_review(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Form(form): Form<ReviewForm>,
) -> AppResult<Response> {
    let w = manager(&s, &c, &slug).await?;
    let mut r = form.parse();
    if let Ok(i) = &r {
        if let Err(e) = check_event(&s, &w.l.community, i.event_id).await? {
            r = Err(e);
        }
    }
    match r {
        Ok(i) => {
            let mut tx = s.db.begin().await?;
            let id = store::insert_review(&mut tx, w.l.community.id, &i, c.user_id()).await?;
            audit(&mut tx, &c, "review-created", &slug, &id.to_string()).await?;
            tx.commit().await?;
            Ok(redirect(&format!("/c/{slug}/reviews/{id}")))
        }
        Err(errors) => Ok(html_invalid(
            &reviews_view(&s, c, w, None, form, errors).await?,
        )),
    }
}

#[derive(Template)]
#[template(path = "polls/review.html")]
pub(super) struct ReviewPage {
    pub(super) c: Ctx,
    pub(super) m: Community,
    pub(super) r: Review,
    pub(super) manage: bool,
    pub(super) sections: Vec<&'static str>,
    pub(super) contributions: Vec<ReviewEntry>,
    pub(super) consolidated: Vec<ReviewEntry>,
    pub(super) errors: FieldErrors,
    pub(super) values: Vec<(String, String)>,
    pub(super) owners: Options,
}

impl ReviewPage {
    pub(super) fn value(&self, key: &str) -> String {
        self.values
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }
    /// Messages of a refused action item or lesson (their fields are not section names).
    pub(super) fn outcome_errors(&self) -> Vec<String> {
        self.errors
            .0
            .iter()
            .filter(|e| ["what", "title", "owner", "due_on", "text"].contains(&e.field.as_str()))
            .map(|e| e.code.clone())
            .collect()
    }
    pub(super) fn section_label(&self, s: &str) -> String {
        self.c
            .label(if self.r.kind == "ai" { "ai" } else { "review" }, s)
    }
}

pub(super) async fn review_view(
    s: &AppState,
    c: Ctx,
    w: Who,
    id: i64,
    values: Vec<(String, String)>,
    errors: FieldErrors,
) -> AppResult<ReviewPage> {
    let r = store::review(&s.db, w.l.community.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let all = store::entries(&s.db, r.id).await?;
    let (consolidated, contributions): (Vec<_>, Vec<_>) =
        all.into_iter().partition(|e| e.consolidated);
    let kind = ReviewKind::parse(&r.kind).unwrap_or(ReviewKind::Aar);
    let owners = if w.manage {
        tejido_db::minutes::owner_choices(&s.db, w.l.community.id, 500)
            .await?
            .into_iter()
            .map(|(id, n)| (id.to_string(), n))
            .collect()
    } else {
        vec![]
    };
    Ok(ReviewPage {
        c,
        m: w.l.community,
        r,
        manage: w.manage,
        sections: kind.sections().to_vec(),
        contributions,
        consolidated,
        errors,
        values,
        owners,
    })
}

pub(super) async fn review_page(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    let w = member(&s, &c, &slug).await?;
    Ok(html(
        &review_view(&s, c, w, id, vec![], FieldErrors::new()).await?,
    ))
}

pub(super) async fn contribute(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    c.require_user()?;
    let w = member(&s, &c, &slug).await?;
    match write_entries(&s, &c, &w, id, false, &pairs).await? {
        Ok(()) => Ok(redirect(&format!("/c/{slug}/reviews/{id}"))),
        Err(errors) => Ok(html_invalid(
            &review_view(&s, c, w, id, pairs, errors).await?,
        )),
    }
}

pub(super) async fn consolidate(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let w = manager(&s, &c, &slug).await?;
    match write_entries(&s, &c, &w, id, true, &pairs).await? {
        Ok(()) => Ok(redirect(&format!("/c/{slug}/reviews/{id}"))),
        Err(errors) => Ok(html_invalid(
            &review_view(&s, c, w, id, pairs, errors).await?,
        )),
    }
}

pub(super) async fn add_outcome(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Form(f): Form<OutcomeForm>,
) -> AppResult<Response> {
    let w = manager(&s, &c, &slug).await?;
    match write_outcome(&s, &c, &w, id, &f).await? {
        Ok(()) => Ok(redirect(&format!("/c/{slug}/reviews/{id}"))),
        Err(e) => Ok(html_invalid(&review_view(&s, c, w, id, vec![], e).await?)),
    }
}

pub(super) async fn write_entries(
    s: &AppState,
    c: &Ctx,
    w: &Who,
    id: i64,
    consolidated: bool,
    pairs: &[(String, String)],
) -> AppResult<Result<(), FieldErrors>> {
    let r = store::review(&s.db, w.l.community.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let kind = ReviewKind::parse(&r.kind).unwrap_or(ReviewKind::Aar);
    let sections = match core::parse_sections(kind, pairs) {
        Ok(x) => x,
        Err(e) => return Ok(Err(e)),
    };
    let mut tx = s.db.begin().await?;
    store::add_entries(&mut tx, r.id, w.person, consolidated, &sections).await?;
    audit(
        &mut tx,
        c,
        if consolidated {
            "review-consolidated"
        } else {
            "review-contributed"
        },
        &w.l.community.slug,
        &id.to_string(),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(()))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct OutcomeForm {
    /// "item" or "lesson".
    pub(super) what: String,
    pub(super) title: String,
    pub(super) owner: String,
    pub(super) due_on: String,
    pub(super) text: String,
}

/// Adds an action item or a lesson learned from a review; they live with the review's event.
pub(super) async fn write_outcome(
    s: &AppState,
    c: &Ctx,
    w: &Who,
    id: i64,
    f: &OutcomeForm,
) -> AppResult<Result<(), FieldErrors>> {
    let r = store::review(&s.db, w.l.community.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let Some(eid) = r.event_id else {
        return Ok(Err(FieldErrors::single("what", "review-error-needs-event")));
    };
    enum Outcome {
        Item(tejido_core::minutes::ActionItemInput),
        Lesson(String),
    }
    let outcome = match f.what.as_str() {
        "item" => {
            let form = tejido_core::minutes::ActionItemForm {
                title: f.title.clone(),
                owner: f.owner.clone(),
                due_on: f.due_on.clone(),
            };
            match form.parse() {
                Ok(i) => {
                    if !tejido_db::minutes::is_community_person(
                        &s.db,
                        w.l.community.id,
                        i.owner_person_id,
                    )
                    .await?
                    {
                        return Ok(Err(FieldErrors::single("owner", "error-invalid-choice")));
                    }
                    Outcome::Item(i)
                }
                Err(e) => return Ok(Err(e)),
            }
        }
        "lesson" => {
            let mut e = FieldErrors::new();
            let text = tejido_core::validate::required(&mut e, "text", &f.text, 2000);
            if !e.is_empty() {
                return Ok(Err(e));
            }
            Outcome::Lesson(text)
        }
        _ => {
            return Ok(Err(FieldErrors::single(
                "what",
                "review-error-unknown-outcome",
            )))
        }
    };
    let mut tx = s.db.begin().await?;
    match &outcome {
        Outcome::Item(i) => {
            tejido_db::minutes::insert_item(&mut tx, eid, i, c.user_id()).await?;
        }
        Outcome::Lesson(t) => {
            tejido_db::minutes::insert_lesson(&mut tx, eid, t, c.user_id()).await?;
        }
    }
    audit(
        &mut tx,
        c,
        "review-outcome-added",
        &w.l.community.slug,
        &format!("{id}:{}", f.what),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(()))
}
