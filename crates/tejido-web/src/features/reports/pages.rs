//! The reports pages: handlers, their forms and templates.

use super::*;

/// The print and screen styles of the report, served as a same-origin stylesheet (the CSP
/// forbids inline styles).
pub(super) const REPORT_CSS: &str = include_str!("../../../templates/reports/report.css");

pub(super) async fn csv(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<PeriodQuery>,
) -> AppResult<Response> {
    let rd = load_reader(&s, &c, &slug).await?;
    let p = period_or_422(&q, today(&rd.community))?;
    if !core::TABLES.contains(&q.table.as_str()) {
        let mut e = FieldErrors::new();
        e.add("table", "report-error-table");
        return Err(AppError::Validation(e));
    }
    let r = store::report(&s.db, &rd.community, p).await?;
    let t = tables(&c, &r)
        .into_iter()
        .find(|t| t.key == q.table)
        .ok_or(AppError::NotFound)?;
    let name = file_name(&r, &format!("{}.csv", t.key));
    Ok(download(
        "text/csv; charset=utf-8",
        &name,
        core::csv(&t).into_bytes(),
    ))
}

pub(super) async fn stylesheet() -> Response {
    let mut resp = REPORT_CSS.into_response();
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/css; charset=utf-8"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    resp
}

// ---- funders -------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "reports/funders.html")]
pub(super) struct FundersPage {
    pub(super) c: Ctx,
    pub(super) m: Community,
    pub(super) funders: Vec<Funder>,
    pub(super) choices: Vec<(String, String)>,
    /// The select's current value (none chosen).
    pub(super) selected: String,
    pub(super) errors: FieldErrors,
}

pub(super) async fn render_funders(
    s: &AppState,
    c: Ctx,
    m: Community,
    errors: FieldErrors,
) -> AppResult<Response> {
    let funders = store::funders(&s.db, m.id).await?;
    let choices = store::funder_choices(&s.db, m.id, 500)
        .await?
        .into_iter()
        .map(|(id, name)| (id.to_string(), name))
        .collect();
    let invalid = !errors.is_empty();
    let t = FundersPage {
        c,
        m,
        funders,
        choices,
        selected: String::new(),
        errors,
    };
    Ok(if invalid { html_invalid(&t) } else { html(&t) })
}

pub(super) async fn funders_page(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let l = load_manage(&s, &c, &slug).await?;
    render_funders(&s, c, l.community, FieldErrors::new()).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct PersonForm {
    pub(super) person_id: String,
}

pub(super) async fn add_funder(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Form(f): Form<PersonForm>,
) -> AppResult<Response> {
    let l = load_manage(&s, &c, &slug).await?;
    let pid = f.person_id.trim().parse::<i64>().ok();
    let mut tx = s.db.begin().await?;
    let ok = match pid {
        Some(pid) => store::person_exists(&mut tx, pid).await?,
        None => false,
    };
    let Some(pid) = pid.filter(|_| ok) else {
        drop(tx);
        let mut e = FieldErrors::new();
        e.add("person_id", "report-error-person");
        return render_funders(&s, c, l.community, e).await;
    };
    if store::add_funder(&mut tx, l.community.id, pid, c.user_id()).await? {
        tejido_db::audit::record(
            &mut tx,
            c.user_id(),
            "role-assigned",
            Some(&slug),
            Some(&format!("{pid}:funder")),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(redirect(&format!("/c/{slug}/report/funders")))
}

pub(super) async fn end_funder(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Form(f): Form<PersonForm>,
) -> AppResult<Response> {
    let l = load_manage(&s, &c, &slug).await?;
    let pid = f
        .person_id
        .trim()
        .parse::<i64>()
        .map_err(|_| AppError::BadRequest("person_id"))?;
    let mut tx = s.db.begin().await?;
    if !store::end_funder(&mut tx, l.community.id, pid).await? {
        return Err(AppError::NotFound);
    }
    tejido_db::audit::record(
        &mut tx,
        c.user_id(),
        "role-ended",
        Some(&slug),
        Some(&format!("{pid}:funder")),
    )
    .await?;
    tx.commit().await?;
    Ok(redirect(&format!("/c/{slug}/report/funders")))
}
