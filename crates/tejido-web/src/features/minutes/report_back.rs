//! Report-backs: what each attending organization took back to its own people (the cascade).

use super::*;

pub(super) fn format_options(c: &Ctx) -> Options {
    ReportBackFormat::ALL
        .iter()
        .map(|f| {
            (
                f.as_str().to_owned(),
                c.label("reportback-format", f.as_str()),
            )
        })
        .collect()
}

// ---- report-back -----------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "minutes/report_back.html")]
pub(super) struct ReportBackPage {
    pub(super) c: Ctx,
    pub(super) m: Community,
    pub(super) event: Event,
    /// The viewer attended and may record their report-back.
    pub(super) attended: bool,
    pub(super) saved: bool,
    pub(super) form: ReportBackForm,
    pub(super) errors: FieldErrors,
    pub(super) formats: Options,
    pub(super) cascade: Cascade,
    /// Everyone's report-backs, for those who write the minutes.
    pub(super) all: Vec<ReportBack>,
}

pub(super) async fn report_back_page(
    s: &AppState,
    c: Ctx,
    e: EventCtx,
    attended: Option<i64>,
    form: Option<ReportBackForm>,
    errors: FieldErrors,
) -> AppResult<ReportBackPage> {
    let mine = match attended {
        Some(pid) => store::report_back(&s.db, e.event.id, pid).await?,
        None => None,
    };
    let saved = mine.is_some();
    let form = form.unwrap_or_else(|| match mine {
        Some(r) => ReportBackForm {
            reported_on: r.reported_on.format("%Y-%m-%d").to_string(),
            format: r.format,
            audience: r.audience.to_string(),
            notes: r.notes.unwrap_or_default(),
        },
        None => ReportBackForm {
            reported_on: today(&e.l.community).to_string(),
            ..Default::default()
        },
    });
    let all = if e.write {
        store::report_backs(&s.db, e.event.id, EVENT_LIST_LIMIT).await?
    } else {
        vec![]
    };
    let cascade = cascade(&s.db, e.event.id).await?;
    let formats = format_options(&c);
    Ok(ReportBackPage {
        c,
        m: e.l.community,
        event: e.event,
        attended: attended.is_some(),
        saved,
        form,
        errors,
        formats,
        cascade,
        all,
    })
}

pub(super) async fn report_back_form(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    c.require_user()?;
    let e = load_event(&s, &c, &slug, id).await?;
    let pid = match e.person {
        Some(pid) if store::is_attendee(&s.db, e.event.id, pid).await? => Some(pid),
        _ => None,
    };
    // Those who write the minutes see everyone's report-backs without having attended.
    if pid.is_none() && !e.write {
        return Err(AppError::Forbidden);
    }
    Ok(html(
        &report_back_page(&s, c, e, pid, None, FieldErrors::new()).await?,
    ))
}

pub(super) async fn report_back_save(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Form(form): Form<ReportBackForm>,
) -> AppResult<Response> {
    let e = load_event(&s, &c, &slug, id).await?;
    let pid = attendee(&s, &c, &e).await?;
    match form.parse() {
        Ok(input) => {
            write_report_back(&s, &c, &e, pid, &input).await?;
            Ok(redirect(&format!("/c/{slug}/events/{id}/report-back")))
        }
        Err(errors) => Ok(html_invalid(
            &report_back_page(&s, c, e, Some(pid), Some(form), errors).await?,
        )),
    }
}
