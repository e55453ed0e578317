//! Attendance, participation over time, certificates and their public verification.

use super::*;

// ---- attendance and participation ---------------------------------------------------------------------

#[derive(Template)]
#[template(path = "events/attendance.html")]
pub(super) struct AttendancePage {
    pub(super) c: Ctx,
    pub(super) m: Community,
    pub(super) e: Event,
    pub(super) regs: Page<Registration>,
    pub(super) pager: Pager,
    pub(super) error: bool,
}

impl AttendancePage {
    pub(super) fn marks(&self) -> &'static [Attendance] {
        Attendance::ALL
    }
    pub(super) fn checked(&self, r: &Registration, a: &Attendance) -> bool {
        r.attendance.as_deref() == Some(a.as_str())
    }
}

pub(super) async fn render_attendance(
    s: &AppState,
    c: Ctx,
    l: Loaded,
    e: Event,
    page: Option<u32>,
    error: bool,
) -> AppResult<Response> {
    let regs = store::registrations(&s.db, e.id, PageReq::new(page, Some(REG_PER_PAGE))).await?;
    let pager = Pager::new(
        &regs,
        &format!("/c/{}/events/{}/attendance", l.community.slug, e.id),
    );
    let p = AttendancePage {
        c,
        m: l.community,
        e,
        regs,
        pager,
        error,
    };
    Ok(if error { html_invalid(&p) } else { html(&p) })
}

pub(super) async fn attendance_page(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Query(q): Query<ListParams>,
) -> AppResult<Response> {
    let l = managed(&s, &c, &slug).await?;
    let e = event_of(&s, &l, id).await?;
    render_attendance(&s, c, l, e, q.page, false).await
}

/// Reads `a-{person id}` = present / remote / absent fields; anything else is refused.
pub(super) fn parse_marks(fields: &[(String, String)]) -> Option<Vec<(i64, Attendance)>> {
    let mut out = vec![];
    for (k, v) in fields {
        let Some(id) = k.strip_prefix("a-") else {
            continue;
        };
        if v.is_empty() {
            continue;
        }
        out.push((id.parse().ok()?, Attendance::parse(v)?));
    }
    Some(out)
}

pub(super) async fn take_attendance(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let l = managed(&s, &c, &slug).await?;
    let e = event_of(&s, &l, id).await?;
    match parse_marks(&fields) {
        Some(marks) => {
            do_attendance(&s, &c, &l, &e, &marks).await?;
            Ok(redirect(&format!("/c/{slug}/events/{id}/attendance")))
        }
        None => render_attendance(&s, c, l, e, None, true).await,
    }
}

#[derive(Template)]
#[template(path = "events/participation.html")]
pub(super) struct ParticipationPage {
    pub(super) c: Ctx,
    pub(super) m: Community,
    pub(super) rows: Page<store::StaffAttendance>,
    pub(super) pager: Pager,
}

impl ParticipationPage {
    /// True when this row starts a new organization (rows come grouped by organization).
    pub(super) fn starts_group(&self, i: &usize) -> bool {
        *i == 0
            || self.rows.items.get(*i - 1).map(|r| r.organization_id)
                != self.rows.items.get(*i).map(|r| r.organization_id)
    }
    pub(super) fn when(&self, r: &store::StaffAttendance) -> String {
        self.c.date_in(&r.starts_at, &self.m.time_zone)
    }
}

pub(super) async fn participation_page(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<ListParams>,
) -> AppResult<Response> {
    c.require_user()?;
    let l = load(&s, &c, &slug).await?;
    let v = viewer(&s, &c, &l, None).await?;
    if !(l.access.manage || v.member) {
        return Err(AppError::Forbidden);
    }
    let rows =
        store::staff_by_organization(&s.db, l.community.id, PageReq::new(q.page, Some(50))).await?;
    let pager = Pager::new(&rows, &format!("/c/{slug}/events/participation"));
    Ok(html(&ParticipationPage {
        c,
        m: l.community,
        rows,
        pager,
    }))
}

// ---- certificates -------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "events/certificate.html")]
pub(super) struct CertificatePage {
    pub(super) c: Ctx,
    pub(super) x: Certificate,
    pub(super) verify_url: String,
}

impl CertificatePage {
    pub(super) fn date(&self) -> String {
        self.c.date_in(&self.x.starts_at, &self.x.time_zone)
    }
}

pub(super) async fn certificate_page(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id, person)): Path<(String, i64, i64)>,
) -> AppResult<Response> {
    c.require_user()?;
    let l = load(&s, &c, &slug).await?;
    let own = c.user.as_ref().and_then(|u| u.person_id) == Some(person);
    if !(own || l.access.manage) {
        return Err(AppError::Forbidden);
    }
    let e = event_of(&s, &l, id).await?;
    let x = store::certificate(&s.db, e.id, person)
        .await?
        .ok_or(AppError::NotFound)?;
    let verify_url = format!("{}/verify/{}", s.config.base_url, x.code);
    Ok(html(&CertificatePage { c, x, verify_url }))
}

#[derive(Template)]
#[template(path = "events/verify.html")]
pub(super) struct VerifyPage {
    pub(super) c: Ctx,
    pub(super) code: String,
    pub(super) found: Option<Certificate>,
    pub(super) asked: bool,
}

impl VerifyPage {
    pub(super) fn date(&self, x: &Certificate) -> String {
        self.c.date_in(&x.starts_at, &x.time_zone)
    }
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub(super) struct CodeParam {
    pub(super) code: String,
}

pub(super) async fn verify_form(c: Ctx, Query(q): Query<CodeParam>) -> AppResult<Response> {
    if !q.code.trim().is_empty() {
        if let Some(code) = rules::normalize_code(&q.code) {
            return Ok(redirect(&format!("/verify/{code}")));
        }
    }
    let asked = !q.code.trim().is_empty();
    let p = VerifyPage {
        c,
        code: q.code,
        found: None,
        asked,
    };
    Ok(if asked {
        let mut r = html(&p);
        *r.status_mut() = StatusCode::NOT_FOUND;
        r
    } else {
        html(&p)
    })
}

/// Public: anyone can check a code; the answer shows only the name, the event and its date.
pub(super) async fn verify_page(
    State(s): State<AppState>,
    c: Ctx,
    Path(code): Path<String>,
) -> AppResult<Response> {
    let found = match rules::normalize_code(&code) {
        Some(n) => store::verify(&s.db, &n).await?,
        None => None,
    };
    let missing = found.is_none();
    let p = VerifyPage {
        c,
        code,
        found,
        asked: true,
    };
    let mut r = html(&p);
    if missing {
        *r.status_mut() = StatusCode::NOT_FOUND;
    }
    Ok(r)
}
