//! The fundraising pipeline: asks and their stages.

use super::*;

pub(super) async fn people_options(s: &AppState, m: &Community) -> AppResult<Options> {
    let p = tejido_db::communities::member_people(&s.db, m.id, PageReq::new(Some(1), Some(100)))
        .await?;
    Ok(p.items
        .into_iter()
        .map(|o| (o.person_id.to_string(), o.full_name))
        .collect())
}

pub(super) async fn donor_options(s: &AppState) -> AppResult<Options> {
    Ok(store::donor_options(&s.db, 500)
        .await?
        .into_iter()
        .map(|(id, n)| (id.to_string(), n))
        .collect())
}

/// One stage's section of the board.
pub(super) struct Column {
    pub(super) stage: String,
    pub(super) asks: Vec<Ask>,
}

#[derive(Template)]
#[template(path = "funding/pipeline.html")]
pub(super) struct PipelinePage {
    pub(super) c: Ctx,
    pub(super) m: Community,
    pub(super) manage: bool,
    pub(super) columns: Vec<Column>,
    pub(super) pager: Pager,
    pub(super) total: i64,
    pub(super) form: AskForm,
    pub(super) errors: FieldErrors,
    pub(super) stages: Options,
    pub(super) currencies: Options,
    pub(super) donors: Options,
    pub(super) people: Options,
}

pub(super) async fn pipeline_view(
    s: &AppState,
    c: Ctx,
    w: Who,
    page: Option<u32>,
    mut form: AskForm,
    errors: FieldErrors,
) -> AppResult<PipelinePage> {
    let m = w.l.community;
    let items = store::asks(&s.db, m.id, PageReq::new(page, None)).await?;
    let pager = Pager::new(&items, &format!("/c/{}/funding/pipeline", m.slug));
    let total = items.total;
    let mut columns: Vec<Column> = vec![];
    for a in items.items {
        match columns.last_mut() {
            Some(col) if col.stage == a.stage => col.asks.push(a),
            _ => columns.push(Column {
                stage: a.stage.clone(),
                asks: vec![a],
            }),
        }
    }
    let (donors, people) = if w.manage {
        (donor_options(s).await?, people_options(s, &m).await?)
    } else {
        (vec![], vec![])
    };
    form.currency = or_default_currency(&form.currency);
    if form.stage.is_empty() {
        form.stage = STAGES[0].to_owned();
    }
    let stages = labels(&c, "funding-stage", &STAGES);
    Ok(PipelinePage {
        c,
        m,
        manage: w.manage,
        columns,
        pager,
        total,
        form,
        errors,
        stages,
        currencies: currency_options(),
        donors,
        people,
    })
}

pub(super) async fn pipeline_page(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<PageQuery>,
) -> AppResult<Response> {
    let w = member(&s, &c, &slug).await?;
    Ok(html(
        &pipeline_view(&s, c, w, q.page, AskForm::default(), FieldErrors::new()).await?,
    ))
}

pub(super) async fn pipeline_create(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Form(form): Form<AskForm>,
) -> AppResult<Response> {
    let w = manager(&s, &c, &slug).await?;
    match write_ask(&s, &c, &w, &form).await? {
        Ok(id) => Ok(redirect(&format!("/c/{slug}/funding/pipeline/{id}"))),
        Err(errors) => Ok(html_invalid(
            &pipeline_view(&s, c, w, None, form, errors).await?,
        )),
    }
}

#[derive(Template)]
#[template(path = "funding/ask.html")]
pub(super) struct AskPage {
    pub(super) c: Ctx,
    pub(super) m: Community,
    pub(super) manage: bool,
    pub(super) a: Ask,
    pub(super) history: Vec<store::StageChange>,
    pub(super) form: StageForm,
    pub(super) errors: FieldErrors,
    pub(super) stages: Options,
}

pub(super) async fn ask_view(
    s: &AppState,
    c: Ctx,
    w: Who,
    id: i64,
    form: StageForm,
    errors: FieldErrors,
) -> AppResult<AskPage> {
    let m = w.l.community;
    let a = store::ask(&s.db, m.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let history = store::stage_history(&s.db, a.id).await?;
    let form = if form.stage.is_empty() {
        StageForm {
            stage: a.stage.clone(),
            ..form
        }
    } else {
        form
    };
    let stages = labels(&c, "funding-stage", &STAGES);
    Ok(AskPage {
        c,
        m,
        manage: w.manage,
        a,
        history,
        form,
        errors,
        stages,
    })
}

pub(super) async fn ask_page(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    let w = member(&s, &c, &slug).await?;
    Ok(html(
        &ask_view(&s, c, w, id, StageForm::default(), FieldErrors::new()).await?,
    ))
}

pub(super) async fn ask_stage(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Form(form): Form<StageForm>,
) -> AppResult<Response> {
    let w = manager(&s, &c, &slug).await?;
    match write_stage(&s, &c, &w, id, &form).await? {
        Ok(()) => Ok(redirect(&format!("/c/{slug}/funding/pipeline/{id}"))),
        Err(errors) => Ok(html_invalid(&ask_view(&s, c, w, id, form, errors).await?)),
    }
}
