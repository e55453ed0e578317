//! The funding pages: handlers, their forms and templates.

use super::*;

/// Events of the community (upcoming and past, up to 50 each).
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

pub(super) async fn org_options(s: &AppState, m: &Community) -> AppResult<Options> {
    let p =
        tejido_db::communities::member_organizations(&s.db, m.id, PageReq::new(Some(1), Some(100)))
            .await?;
    Ok(p.items
        .into_iter()
        .map(|o| (o.organization_id.to_string(), o.name))
        .collect())
}

pub(super) fn labels(c: &Ctx, prefix: &str, list: &[&str]) -> Options {
    list.iter()
        .map(|k| ((*k).to_owned(), c.label(prefix, k)))
        .collect()
}

pub(super) fn currency_options() -> Options {
    Currency::ALL
        .iter()
        .map(|c| (c.as_str().to_owned(), c.as_str().to_owned()))
        .collect()
}

pub(super) fn or_default_currency(s: &str) -> String {
    if s.is_empty() {
        Currency::DEFAULT.as_str().to_owned()
    } else {
        s.to_owned()
    }
}

#[derive(Template)]
#[template(path = "funding/overview.html")]
pub(super) struct OverviewPage {
    pub(super) c: Ctx,
    pub(super) m: Community,
    pub(super) sum: FundingSummary,
    pub(super) assets_total: Vec<Money>,
}

pub(super) async fn overview(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let w = member(&s, &c, &slug).await?;
    let t = today(&w.l.community);
    let from = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or(t);
    let sum = store::summary(&s.db, w.l.community.id, from, t).await?;
    let assets_total = store::asset_totals(&s.db, w.l.community.id).await?;
    Ok(html(&OverviewPage {
        c,
        m: w.l.community,
        sum,
        assets_total,
    }))
}

#[derive(Template)]
#[template(path = "funding/costs.html")]
pub(super) struct CostsPage {
    pub(super) c: Ctx,
    pub(super) m: Community,
    pub(super) manage: bool,
    pub(super) items: Page<Cost>,
    pub(super) pager: Pager,
    pub(super) form: CostForm,
    pub(super) errors: FieldErrors,
    pub(super) categories: Options,
    pub(super) currencies: Options,
    pub(super) events: Options,
    pub(super) orgs: Options,
}

pub(super) async fn costs_view(
    s: &AppState,
    c: Ctx,
    w: Who,
    page: Option<u32>,
    mut form: CostForm,
    errors: FieldErrors,
) -> AppResult<CostsPage> {
    let m = w.l.community;
    let items = store::costs(&s.db, m.id, PageReq::new(page, None)).await?;
    let pager = Pager::new(&items, &format!("/c/{}/funding/costs", m.slug));
    let (events, orgs) = if w.manage {
        (event_options(s, &m).await?, org_options(s, &m).await?)
    } else {
        (vec![], vec![])
    };
    form.currency = or_default_currency(&form.currency);
    if form.spent_on.is_empty() && errors.is_empty() {
        form.spent_on = today(&m).to_string();
    }
    let categories = labels(&c, "funding-category", &COST_CATEGORIES);
    Ok(CostsPage {
        c,
        m,
        manage: w.manage,
        items,
        pager,
        form,
        errors,
        categories,
        currencies: currency_options(),
        events,
        orgs,
    })
}

pub(super) async fn costs_page(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<PageQuery>,
) -> AppResult<Response> {
    let w = member(&s, &c, &slug).await?;
    Ok(html(
        &costs_view(&s, c, w, q.page, CostForm::default(), FieldErrors::new()).await?,
    ))
}

pub(super) async fn costs_create(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Form(form): Form<CostForm>,
) -> AppResult<Response> {
    let w = manager(&s, &c, &slug).await?;
    match write_cost(&s, &c, &w, &form).await? {
        Ok(_) => Ok(redirect(&format!("/c/{slug}/funding/costs"))),
        Err(errors) => Ok(html_invalid(
            &costs_view(&s, c, w, None, form, errors).await?,
        )),
    }
}

#[derive(Template)]
#[template(path = "funding/contributions.html")]
pub(super) struct ContributionsPage {
    pub(super) c: Ctx,
    pub(super) m: Community,
    pub(super) manage: bool,
    pub(super) items: Page<Contribution>,
    pub(super) pager: Pager,
    pub(super) form: ContributionForm,
    pub(super) errors: FieldErrors,
    pub(super) kinds: Options,
    pub(super) currencies: Options,
    pub(super) events: Options,
    pub(super) orgs: Options,
}

pub(super) async fn contributions_view(
    s: &AppState,
    c: Ctx,
    w: Who,
    page: Option<u32>,
    mut form: ContributionForm,
    errors: FieldErrors,
) -> AppResult<ContributionsPage> {
    let m = w.l.community;
    let items = store::contributions(&s.db, m.id, PageReq::new(page, None)).await?;
    let pager = Pager::new(&items, &format!("/c/{}/funding/contributions", m.slug));
    let (events, orgs) = if w.manage {
        (event_options(s, &m).await?, org_options(s, &m).await?)
    } else {
        (vec![], vec![])
    };
    form.currency = or_default_currency(&form.currency);
    if form.given_on.is_empty() && errors.is_empty() {
        form.given_on = today(&m).to_string();
    }
    let kinds = labels(&c, "funding-contribution-kind", &CONTRIBUTION_KINDS);
    Ok(ContributionsPage {
        c,
        m,
        manage: w.manage,
        items,
        pager,
        form,
        errors,
        kinds,
        currencies: currency_options(),
        events,
        orgs,
    })
}

pub(super) async fn contributions_page(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<PageQuery>,
) -> AppResult<Response> {
    let w = member(&s, &c, &slug).await?;
    Ok(html(
        &contributions_view(
            &s,
            c,
            w,
            q.page,
            ContributionForm::default(),
            FieldErrors::new(),
        )
        .await?,
    ))
}

pub(super) async fn contributions_create(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Form(form): Form<ContributionForm>,
) -> AppResult<Response> {
    let w = manager(&s, &c, &slug).await?;
    match write_contribution(&s, &c, &w, &form).await? {
        Ok(_) => Ok(redirect(&format!("/c/{slug}/funding/contributions"))),
        Err(errors) => Ok(html_invalid(
            &contributions_view(&s, c, w, None, form, errors).await?,
        )),
    }
}

#[derive(Template)]
#[template(path = "funding/assets.html")]
pub(super) struct AssetsPage {
    pub(super) c: Ctx,
    pub(super) m: Community,
    pub(super) manage: bool,
    pub(super) items: Page<Asset>,
    pub(super) pager: Pager,
    pub(super) total: Vec<Money>,
    pub(super) form: AssetForm,
    pub(super) errors: FieldErrors,
    pub(super) kinds: Options,
    pub(super) currencies: Options,
    pub(super) orgs: Options,
}

pub(super) async fn assets_view(
    s: &AppState,
    c: Ctx,
    w: Who,
    page: Option<u32>,
    mut form: AssetForm,
    errors: FieldErrors,
) -> AppResult<AssetsPage> {
    let m = w.l.community;
    let items = store::assets(&s.db, m.id, PageReq::new(page, None)).await?;
    let pager = Pager::new(&items, &format!("/c/{}/funding/assets", m.slug));
    let total = store::asset_totals(&s.db, m.id).await?;
    let orgs = if w.manage {
        org_options(s, &m).await?
    } else {
        vec![]
    };
    form.currency = or_default_currency(&form.currency);
    let kinds = labels(&c, "funding-asset-kind", &ASSET_KINDS);
    Ok(AssetsPage {
        c,
        m,
        manage: w.manage,
        items,
        pager,
        total,
        form,
        errors,
        kinds,
        currencies: currency_options(),
        orgs,
    })
}

pub(super) async fn assets_page(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<PageQuery>,
) -> AppResult<Response> {
    let w = member(&s, &c, &slug).await?;
    Ok(html(
        &assets_view(&s, c, w, q.page, AssetForm::default(), FieldErrors::new()).await?,
    ))
}

pub(super) async fn assets_create(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Form(form): Form<AssetForm>,
) -> AppResult<Response> {
    let w = manager(&s, &c, &slug).await?;
    match write_asset(&s, &c, &w, &form).await? {
        Ok(_) => Ok(redirect(&format!("/c/{slug}/funding/assets"))),
        Err(errors) => Ok(html_invalid(
            &assets_view(&s, c, w, None, form, errors).await?,
        )),
    }
}

// ---- transparency ----------------------------------------------------------------------------

/// One bar of a chart (widths computed per currency: bars of different currencies are never
/// compared).
pub struct Bar {
    pub label: String,
    pub value: String,
    pub y: i64,
    pub w: i64,
}

pub struct Chart {
    pub id: String,
    pub title: String,
    pub h: i64,
    pub bars: Vec<Bar>,
}

pub(super) fn chart(id: String, title: String, rows: Vec<(String, Money)>) -> Chart {
    let widths = core::bar_widths(&rows.iter().map(|(_, m)| m.minor).collect::<Vec<_>>(), 200);
    let bars: Vec<Bar> = rows
        .into_iter()
        .zip(widths)
        .enumerate()
        .map(|(i, ((label, m), w))| Bar {
            label,
            value: m.display(),
            y: 8 + 40 * i as i64,
            w,
        })
        .collect();
    let h = 12 + 40 * bars.len() as i64;
    Chart { id, title, h, bars }
}

/// Charts of where the money came from and where it went, one pair per currency.
pub(super) fn charts(c: &Ctx, sum: &FundingSummary) -> Vec<Chart> {
    let mut out = vec![];
    for cur in Currency::ALL {
        let mut inc: Vec<(String, Money)> = sum
            .income
            .iter()
            .filter(|l| l.amount.currency == cur)
            .map(|l| (c.label("funding-source", &l.source), l.amount))
            .collect();
        inc.extend(
            sum.in_kind
                .iter()
                .filter(|m| m.currency == cur)
                .map(|m| (c.t("funding-source-in-kind"), *m)),
        );
        if !inc.is_empty() {
            out.push(chart(
                format!("in-{}", cur.as_str()),
                c.t1("funding-chart-income", "currency", cur.as_str()),
                inc,
            ));
        }
        let costs: Vec<(String, Money)> = sum
            .costs_by_category
            .iter()
            .filter(|l| l.amount.currency == cur)
            .map(|l| (c.label("funding-category", &l.category), l.amount))
            .collect();
        if !costs.is_empty() {
            out.push(chart(
                format!("out-{}", cur.as_str()),
                c.t1("funding-chart-costs", "currency", cur.as_str()),
                costs,
            ));
        }
    }
    out
}

#[derive(Template)]
#[template(path = "funding/transparency.html")]
pub(super) struct TransparencyPage {
    pub(super) c: Ctx,
    pub(super) m: Community,
    pub(super) from: String,
    pub(super) to: String,
    pub(super) errors: FieldErrors,
    pub(super) sum: FundingSummary,
    pub(super) charts: Vec<Chart>,
}

pub(super) async fn transparency(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<PeriodQuery>,
) -> AppResult<Response> {
    let w = member(&s, &c, &slug).await?;
    let t = today(&w.l.community);
    let (period, errors) = match core::period(&q.from, &q.to, t) {
        Ok(p) => (p, FieldErrors::new()),
        Err(e) => (core::period("", "", t).map_err(AppError::Validation)?, e),
    };
    let sum = store::summary(&s.db, w.l.community.id, period.0, period.1).await?;
    let charts = charts(&c, &sum);
    let invalid = !errors.is_empty();
    let (from, to) = if invalid {
        (q.from, q.to)
    } else {
        (period.0.to_string(), period.1.to_string())
    };
    let page = TransparencyPage {
        c,
        m: w.l.community,
        from,
        to,
        errors,
        sum,
        charts,
    };
    Ok(if invalid {
        html_invalid(&page)
    } else {
        html(&page)
    })
}
