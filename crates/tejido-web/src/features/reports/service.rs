//! The reports use cases and lookups that the pages and the API share.

use super::*;

// ---- authorization -------------------------------------------------------------------------------

/// Who may read a community's report: admins, current members, and anyone holding a current
/// role there (the funder role included).
pub fn may_read(is_admin: bool, is_member: bool, roles: &[Role]) -> bool {
    is_admin || is_member || !roles.is_empty()
}

pub(super) struct Reader {
    pub(super) community: Community,
    pub(super) manage: bool,
}

/// Loads a community for a report reader: 401 for anonymous visitors (a report is never
/// public), 404 when the community does not exist, 403 for everyone else.
pub(super) async fn load_reader(s: &AppState, c: &Ctx, slug: &str) -> AppResult<Reader> {
    let u = c.require_user()?;
    let community = communities_db::by_slug(&s.db, slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let (member, roles) = match u.person_id {
        Some(pid) => communities_db::standing(&s.db, community.id, pid).await?,
        None => (false, vec![]),
    };
    if !may_read(c.is_admin(), member, &roles) {
        return Err(refuse(c));
    }
    Ok(Reader {
        community,
        manage: c.is_admin() || roles.iter().any(|r| r.can_manage()),
    })
}

// ---- the period ----------------------------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct PeriodQuery {
    pub(super) from: String,
    pub(super) to: String,
    pub(super) table: String,
    pub(super) page: Option<u32>,
}

/// The period of the query, or the field errors (in the catalog: `report-error-…`).
pub(super) fn period(q: &PeriodQuery, today: chrono::NaiveDate) -> Result<Period, FieldErrors> {
    Period::parse(&q.from, &q.to, today).map_err(|id| {
        let mut e = FieldErrors::new();
        let bad = |v: &str| {
            !v.trim().is_empty() && chrono::NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d").is_err()
        };
        let field =
            if (id == "report-error-bad-date" && bad(&q.from)) || id == "report-error-too-long" {
                "from"
            } else {
                "to"
            };
        e.add(field, id);
        e
    })
}

pub(super) fn period_or_422(q: &PeriodQuery, today: chrono::NaiveDate) -> AppResult<Period> {
    period(q, today).map_err(AppError::Validation)
}

/// The datasets with the reader's language.
pub(super) fn tables(c: &Ctx, r: &Report) -> Vec<Table> {
    r.tables(&|id| c.t(id))
}

pub(super) fn file_name(r: &Report, ext: &str) -> String {
    format!(
        "informe-{}-{}-{}.{ext}",
        r.overview.slug, r.period.from, r.period.to
    )
}

pub(super) fn download(ctype: &'static str, name: &str, body: Vec<u8>) -> Response {
    let mut resp = body.into_response();
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(ctype));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    resp
}

// ---- charts (server-drawn SVG, escaped) ----------------------------------------------------------

pub(super) fn esc(s: &str) -> String {
    core::xlsx::xml_escape(s)
}

/// Horizontal bars, one per (label, value), with the value written at the end of each bar.
pub fn bars_svg(id: &str, title: &str, rows: &[(String, i64)]) -> String {
    if rows.is_empty() {
        return String::new();
    }
    let max = rows.iter().map(|r| r.1).max().unwrap_or(0).max(1);
    let (w, bar_h, gap, label_w) = (320i64, 18i64, 8i64, 120i64);
    let h = rows.len() as i64 * (bar_h + gap) + gap;
    let mut s = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" role="img" aria-labelledby="{id}-t" class="report-chart"><title id="{id}-t">{}</title>"#,
        esc(title)
    );
    for (i, (label, v)) in rows.iter().enumerate() {
        let y = gap + i as i64 * (bar_h + gap);
        let bw = (w - label_w - 40) * v / max;
        let short: String = label.chars().take(18).collect();
        s.push_str(&format!(
            r##"<text x="{}" y="{}" font-size="11" text-anchor="end" fill="#222">{}</text><rect x="{label_w}" y="{y}" width="{bw}" height="{bar_h}" fill="#0072B2"/><text x="{}" y="{}" font-size="11" fill="#222">{v}</text>"##,
            label_w - 6,
            y + 13,
            esc(&short),
            label_w + bw + 4,
            y + 13
        ));
    }
    s.push_str("</svg>");
    s
}

/// The ownership index of the period's events as a line (0–100), with the shared geometry of
/// `tejido_core::ownership::chart_points`.
pub fn trend_svg(id: &str, title: &str, values: &[Option<u32>]) -> String {
    if values.iter().all(Option::is_none) {
        return String::new();
    }
    let pts = tejido_core::ownership::chart_points(values, 36, 12, 272, 136);
    let line: Vec<String> = pts
        .iter()
        .flatten()
        .map(|p| format!("{},{}", p.x, p.y))
        .collect();
    let mut s = format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 320 180" role="img" aria-labelledby="{id}-t" class="report-chart"><title id="{id}-t">{}</title><line x1="36" y1="148" x2="308" y2="148" stroke="#555"/><line x1="36" y1="12" x2="36" y2="148" stroke="#555"/><text x="30" y="16" font-size="10" text-anchor="end">100</text><text x="30" y="150" font-size="10" text-anchor="end">0</text><polyline fill="none" stroke="#D55E00" stroke-width="2" points="{}"/>"##,
        esc(title),
        line.join(" ")
    );
    for p in pts.iter().flatten() {
        s.push_str(&format!(
            r##"<circle cx="{}" cy="{}" r="3" fill="#D55E00"/>"##,
            p.x, p.y
        ));
    }
    s.push_str("</svg>");
    s
}

// ---- the report page -----------------------------------------------------------------------------

/// One row of a disaggregation table, already labelled.
pub struct GroupRow {
    pub label: String,
    pub attendances: i64,
    pub people: i64,
    pub percent: String,
}

/// What the report's body (`reports/body.html`) shows, translated once: shared by the page and
/// the standalone document `tejido report --format html` writes.
pub struct View {
    pub r: Report,
    /// (number, key) of each section, in order.
    pub sections: Vec<(usize, &'static str)>,
    /// (table key, column key, rows) of each disaggregation table.
    pub groups: Vec<(&'static str, &'static str, Vec<GroupRow>)>,
    pub level_svg: String,
    pub network_svg: String,
    pub ownership_svg: String,
    pub trend_text: String,
    /// The sustainability radar of the latest round (earlier round dashed), SVG.
    pub radar_svg: String,
    /// Translated dimension names, and per round: (title, closes on, respondents, means).
    pub dimensions: Vec<String>,
    pub sust_rows: Vec<(String, chrono::NaiveDate, i64, Vec<String>)>,
    /// (group, concept, amount) of the funding summary, translated and formatted exactly.
    pub funding_rows: Vec<(String, String, String)>,
    pub(super) hidden_text: String,
    pub(super) not_measured: String,
    pub(super) months: Vec<String>,
    pub(super) spanish: bool,
}

impl View {
    pub fn new(tr: Tr<'_>, r: Report) -> View {
        let total = r.participation.attendances;
        let nd = tr.t("report-not-declared");
        let rows = |gs: &[core::Group], label: &dyn Fn(&str) -> String| -> Vec<GroupRow> {
            gs.iter()
                .map(|g| GroupRow {
                    label: if g.key.is_empty() {
                        nd.clone()
                    } else {
                        label(&g.key)
                    },
                    attendances: g.attendances,
                    people: g.people,
                    percent: if total > 0 {
                        format!("{:.0} %", g.attendances as f64 * 100.0 / total as f64)
                    } else {
                        "—".into()
                    },
                })
                .collect()
        };
        let pa = &r.participation;
        let mut by_org = rows(&pa.by_organization, &|k| k.to_owned());
        for g in by_org.iter_mut().filter(|g| g.label == nd) {
            g.label = tr.t("report-no-organization");
        }
        let by_level = rows(&pa.by_level, &|k| tr.label("level", k));
        let by_youth = rows(&pa.by_youth, &|k| tr.label("report-youth", k));
        let by_gender = rows(&pa.by_gender, &|k| k.to_owned());
        let level_svg = bars_svg(
            "chart-levels",
            &tr.t("report-chart-levels"),
            &by_level
                .iter()
                .map(|g| (g.label.clone(), g.attendances))
                .collect::<Vec<_>>(),
        );
        let n = &r.network;
        let network_svg = bars_svg(
            "chart-network",
            &tr.t("report-chart-network"),
            &[
                (tr.t("report-baseline"), n.before.ties),
                (tr.t("report-end"), n.after.ties),
                (tr.t("report-new-ties"), n.new_ties),
                (tr.t("report-new-ties-via"), n.new_ties_via_community),
            ],
        );
        let values: Vec<Option<u32>> = r.ownership.points.iter().map(|p| p.index).collect();
        let ownership_svg = trend_svg("chart-ownership", &tr.t("report-chart-ownership"), &values);
        let trend_text = match r.ownership.trend {
            Some(t) if t > 0 => tr.t1("report-trend-up", "points", &t.to_string()),
            Some(t) if t < 0 => tr.t1("report-trend-down", "points", &(-t).to_string()),
            Some(_) => tr.t("report-trend-flat"),
            None => tr.t("report-not-measured"),
        };
        let x = &r.extra;
        let dimensions: Vec<String> = x
            .sustainability
            .dimensions
            .iter()
            .map(|d| tr.t(d))
            .collect();
        let last = x.sustainability.rounds.len();
        let series: Vec<tejido_core::sustainability::RadarSeries> = x
            .sustainability
            .rounds
            .iter()
            .rev()
            .take(2)
            .map(|rd| tejido_core::sustainability::RadarSeries {
                label: rd.title.clone(),
                values: rd.means.clone(),
            })
            .collect();
        let radar_svg = if last == 0 {
            String::new()
        } else {
            tejido_core::sustainability::radar_svg(
                "chart-sustainability",
                &tr.t("report-chart-sustainability"),
                &dimensions,
                &series,
                x.sustainability.max,
            )
        };
        let sust_rows = x
            .sustainability
            .rounds
            .iter()
            .map(|rd| {
                (
                    rd.title.clone(),
                    rd.closes_on,
                    rd.respondents,
                    rd.means
                        .iter()
                        .map(|m| m.map_or_else(|| "—".to_owned(), |v| format!("{v:.1}")))
                        .collect(),
                )
            })
            .collect();
        let funding_rows = x
            .funding
            .iter()
            .map(|m| {
                let amount = tejido_core::funding::Currency::parse(&m.currency).map_or_else(
                    || format!("{} {}", tejido_core::funding::plain(m.minor), m.currency),
                    |c| tejido_core::funding::Money::new(m.minor, c).display(),
                );
                (
                    tr.t(&format!("report-funding-{}", m.group)),
                    if m.translate {
                        tr.t(&m.what)
                    } else {
                        m.what.clone()
                    },
                    amount,
                )
            })
            .collect();
        View {
            radar_svg,
            dimensions,
            sust_rows,
            funding_rows,
            sections: core::SECTIONS
                .iter()
                .enumerate()
                .map(|(i, k)| (i + 1, *k))
                .collect(),
            groups: vec![
                ("participation-organizations", "organization", by_org),
                ("participation-levels", "level", by_level),
                ("participation-youth", "youth", by_youth),
                ("participation-gender", "gender", by_gender),
            ],
            level_svg,
            network_svg,
            ownership_svg,
            trend_text,
            hidden_text: tr.t("report-hidden-small-group"),
            not_measured: tr.t("report-not-measured"),
            months: (1..=12).map(|m| tr.t(&format!("month-{m:02}"))).collect(),
            spanish: tr.locale == tejido_core::accounts::Locale::EsMx,
            r,
        }
    }
    pub(super) fn num(&self, key: &str) -> usize {
        self.sections.iter().find(|s| s.1 == key).map_or(0, |s| s.0)
    }
    /// A calendar date, e.g. "25 nov 2026" / "Nov 25, 2026" (as `Tr::date` writes them).
    pub(super) fn date(&self, d: &chrono::NaiveDate) -> String {
        use chrono::Datelike;
        let month = self
            .months
            .get(d.month0() as usize)
            .cloned()
            .unwrap_or_default();
        if self.spanish {
            format!("{} {month} {}", d.day(), d.year())
        } else {
            format!("{month} {}, {}", d.day(), d.year())
        }
    }
    pub(super) fn f2(&self, x: &f64) -> String {
        format!("{x:.2}")
    }
    pub(super) fn pct(&self, x: &Option<f64>) -> String {
        x.map_or_else(|| "—".to_owned(), |v| format!("{:.0} %", v * 100.0))
    }
    pub(super) fn value(&self, v: &Option<f64>) -> String {
        v.map_or_else(|| self.hidden_text.clone(), |x| format!("{x:.1}"))
    }
    pub(super) fn index(&self, v: &Option<u32>) -> String {
        v.map_or_else(|| self.not_measured.clone(), |x| x.to_string())
    }
}

#[derive(Template)]
#[template(path = "reports/report.html")]
pub(super) struct ReportPage {
    pub(super) c: Ctx,
    pub(super) m: Community,
    pub(super) v: View,
    pub(super) from: String,
    pub(super) to: String,
    pub(super) errors: FieldErrors,
    pub(super) manage: bool,
    pub(super) tables: Vec<(&'static str, String)>,
    pub(super) query: String,
}

pub(super) fn report_page(
    c: Ctx,
    rd: Reader,
    r: Report,
    q: &PeriodQuery,
    errors: FieldErrors,
) -> ReportPage {
    let tables = tables(&c, &r)
        .into_iter()
        .map(|t| (t.key, t.title))
        .collect();
    let query = query(
        "",
        &[
            ("from", &r.period.from.to_string()),
            ("to", &r.period.to.to_string()),
        ],
    );
    let (from, to) = if errors.is_empty() {
        (r.period.from.to_string(), r.period.to.to_string())
    } else {
        (q.from.clone(), q.to.clone())
    };
    ReportPage {
        v: View::new(c.tr(), r),
        m: rd.community,
        manage: rd.manage,
        from,
        to,
        errors,
        tables,
        query,
        c,
    }
}

/// The translations the standalone document needs (what `Ctx` offers pages).
pub struct Doc<'a> {
    pub(super) tr: Tr<'a>,
}

impl Doc<'_> {
    pub fn t(&self, id: &str) -> String {
        self.tr.t(id)
    }
    pub fn t1(&self, id: &str, k: &str, v: &str) -> String {
        self.tr.t1(id, k, v)
    }
    pub fn t2(&self, id: &str, k1: &str, v1: &str, k2: &str, v2: &str) -> String {
        self.tr.t2(id, k1, v1, k2, v2)
    }
    pub fn label(&self, prefix: &str, value: &str) -> String {
        self.tr.label(prefix, value)
    }
    pub fn lang(&self) -> &'static str {
        self.tr.locale.as_str()
    }
}

#[derive(Template)]
#[template(path = "reports/document.html")]
pub(super) struct Document<'a> {
    pub(super) c: Doc<'a>,
    pub(super) v: View,
    pub(super) css: &'static str,
}

/// The report as one self-contained HTML document (styles inline, no links to the server): what
/// `tejido report --format html` writes.
pub fn document(tr: Tr<'_>, r: Report) -> anyhow::Result<String> {
    let d = Document {
        v: View::new(tr, r),
        c: Doc { tr },
        css: REPORT_CSS,
    };
    Ok(d.render()?)
}

pub(super) async fn page(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<PeriodQuery>,
) -> AppResult<Response> {
    let rd = load_reader(&s, &c, &slug).await?;
    let today = today(&rd.community);
    match period(&q, today) {
        Ok(p) => {
            let r = store::report(&s.db, &rd.community, p).await?;
            Ok(html(&report_page(c, rd, r, &q, FieldErrors::new())))
        }
        Err(e) => {
            // Bad dates: the page for the default period, the form showing the error.
            let p = Period::last_year(today);
            let r = store::report(&s.db, &rd.community, p).await?;
            Ok(html_invalid(&report_page(c, rd, r, &q, e)))
        }
    }
}

pub(super) async fn xlsx(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<PeriodQuery>,
) -> AppResult<Response> {
    let rd = load_reader(&s, &c, &slug).await?;
    let p = period_or_422(&q, today(&rd.community))?;
    let r = store::report(&s.db, &rd.community, p).await?;
    let body = core::xlsx::workbook(&tables(&c, &r));
    Ok(download(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        &file_name(&r, "xlsx"),
        body,
    ))
}

// ---- across communities --------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "reports/index.html")]
pub(super) struct IndexPage {
    pub(super) c: Ctx,
    pub(super) page: Page<CommunityFigures>,
    pub(super) pager: Pager,
    pub(super) from: String,
    pub(super) to: String,
    pub(super) errors: FieldErrors,
    pub(super) query: String,
}

pub(super) async fn index(
    State(s): State<AppState>,
    c: Ctx,
    Query(q): Query<PeriodQuery>,
) -> AppResult<Response> {
    let u = c.require_user()?;
    let today = today_here();
    let (p, errors) = match period(&q, today) {
        Ok(p) => (p, FieldErrors::new()),
        Err(e) => (Period::last_year(today), e),
    };
    let page = store::overview(
        &s.db,
        u.person_id,
        u.is_admin,
        p,
        PageReq::new(q.page, None),
    )
    .await?;
    let qs = query(
        "",
        &[("from", &p.from.to_string()), ("to", &p.to.to_string())],
    );
    let pager = Pager::new(&page, &format!("/reports{qs}"));
    let invalid = !errors.is_empty();
    let t = IndexPage {
        pager,
        page,
        from: if invalid {
            q.from.clone()
        } else {
            p.from.to_string()
        },
        to: if invalid {
            q.to.clone()
        } else {
            p.to.to_string()
        },
        errors,
        query: qs,
        c,
    };
    Ok(if invalid { html_invalid(&t) } else { html(&t) })
}
