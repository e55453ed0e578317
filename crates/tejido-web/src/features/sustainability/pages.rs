//! The sustainability pages: handlers, their forms and templates.

use super::*;

// ---- figures for views -----------------------------------------------------------------------

pub(super) fn fmt1(x: Option<f64>) -> String {
    x.map(|v| format!("{v:.1}"))
        .unwrap_or_else(|| "–".to_owned())
}
pub(super) fn fmt2(x: Option<f64>) -> String {
    x.map(|v| format!("{v:.2}"))
        .unwrap_or_else(|| "–".to_owned())
}
pub(super) fn change(now: Option<f64>, before: Option<f64>) -> String {
    match (now, before) {
        (Some(a), Some(b)) => format!("{:+.1}", a - b),
        _ => "–".to_owned(),
    }
}

/// The dimensions' names in the user's language.
pub fn dimension_names(c: &Ctx) -> Vec<String> {
    INSTRUMENT.sections.iter().map(|d| c.t(d.title)).collect()
}

/// A round's radar chart: its four dimension means, with an earlier round as a dashed second
/// outline when given. `id` must be unique in the page. Show the numbers in a table beside it.
pub fn round_radar(
    c: &Ctx,
    id: &str,
    this: (&str, &RoundResults),
    earlier: Option<(&str, &RoundResults)>,
) -> String {
    let mut series = vec![RadarSeries {
        label: this.0.to_owned(),
        values: this.1.dimension_means(),
    }];
    if let Some((label, r)) = earlier {
        series.push(RadarSeries {
            label: label.to_owned(),
            values: r.dimension_means(),
        });
    }
    let title = c.t1("sust-radar-title", "round", this.0);
    radar_svg(
        id,
        &title,
        &dimension_names(c),
        &series,
        INSTRUMENT.scale.max() as f64,
    )
}

pub struct FigRow {
    pub number: usize,
    pub key: &'static str,
    pub text: String,
    pub respondents: usize,
    pub mean: String,
    pub median: String,
    pub min_max: String,
    pub spread: String,
    pub disagreement: bool,
    pub previous: String,
    pub change: String,
    pub evidence: Vec<(String, String, String)>,
}

pub struct DimRow {
    pub title: String,
    pub row: FigRow,
    pub criteria: Vec<FigRow>,
}

pub(super) fn fig_row(
    c: &Ctx,
    number: usize,
    key: &'static str,
    text: String,
    f: &Figures,
    prev: Option<&Figures>,
    evidence: &[Evidence],
) -> FigRow {
    let pm = prev.and_then(|p| p.mean);
    FigRow {
        number,
        key,
        text,
        respondents: f.respondents,
        mean: fmt1(f.mean),
        median: fmt1(f.median),
        min_max: match (f.min, f.max) {
            (Some(a), Some(b)) => format!("{a:.0}–{b:.0}"),
            _ => "–".to_owned(),
        },
        spread: fmt2(f.spread),
        disagreement: f.disagreement,
        previous: fmt1(pm),
        change: change(f.mean, pm),
        evidence: evidence
            .iter()
            .filter(|e| e.item_key == key)
            .map(|e| {
                (
                    e.value
                        .and_then(|v| INSTRUMENT.scale.levels.iter().find(|l| l.value == v))
                        .map(|l| c.t(l.label))
                        .unwrap_or_else(|| c.t("sust-not-rated")),
                    e.evidence.clone().unwrap_or_default(),
                    e.note.clone().unwrap_or_default(),
                )
            })
            .collect(),
    }
}

pub(super) fn dim_rows(
    c: &Ctx,
    r: &RoundResults,
    prev: Option<&RoundResults>,
    ev: &[Evidence],
) -> Vec<DimRow> {
    let mut n = 0;
    INSTRUMENT
        .sections
        .iter()
        .zip(&r.dimensions)
        .enumerate()
        .map(|(di, (sec, d))| {
            let pd = prev.and_then(|p| p.dimensions.get(di));
            let criteria = sec
                .items
                .iter()
                .zip(&d.criteria)
                .enumerate()
                .map(|(ci, (item, f))| {
                    n += 1;
                    let pf = pd.and_then(|p| p.criteria.get(ci));
                    fig_row(c, n, item.key, c.t(item.text), f, pf, ev)
                })
                .collect();
            DimRow {
                title: c.t(sec.title),
                row: fig_row(
                    c,
                    0,
                    sec.key,
                    c.t(sec.title),
                    &d.figures,
                    pd.map(|p| &p.figures),
                    &[],
                ),
                criteria,
            }
        })
        .collect()
}

pub struct RoundItem {
    pub r: RoundRow,
    pub status: &'static str,
    pub can_rate: bool,
}

pub struct TrendRow {
    pub id: i64,
    pub title: String,
    pub dates: String,
    pub respondents: i64,
    /// (mean, change against the round before) per dimension.
    pub cells: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "sustainability/index.html")]
pub(super) struct IndexPage {
    pub(super) c: Ctx,
    pub(super) m: Community,
    pub(super) manage: bool,
    pub(super) rounds: Vec<RoundItem>,
    pub(super) pager: Pager,
    pub(super) trend: Vec<TrendRow>,
    pub(super) dims: Vec<String>,
    pub(super) actions: Page<Action>,
    pub(super) apager: Pager,
    pub(super) person: Option<i64>,
    pub(super) form: RoundForm,
    pub(super) errors: FieldErrors,
}

impl IndexPage {
    pub(super) fn item_label(&self, key: &str) -> String {
        item_label(&self.c, key)
    }
    pub(super) fn can_change(&self, a: &Action) -> bool {
        self.manage || self.person == Some(a.owner_person_id)
    }
}

pub(super) fn item_label(c: &Ctx, key: &str) -> String {
    let n = INSTRUMENT
        .items()
        .position(|i| i.key == key)
        .map_or(0, |p| p + 1);
    INSTRUMENT
        .item(key)
        .map(|i| format!("{n}. {}", c.t(i.text)))
        .unwrap_or_else(|| key.to_owned())
}

pub(super) fn dates(c: &Ctx, r: &RoundRow) -> String {
    c.t2(
        "sust-round-dates",
        "opens",
        &r.opens_on.to_string(),
        "closes",
        &r.closes_on.to_string(),
    )
}

pub(super) async fn index_view(
    s: &AppState,
    c: Ctx,
    w: Who,
    q: &PageQuery,
    form: RoundForm,
    errors: FieldErrors,
) -> AppResult<IndexPage> {
    let cid = w.l.community.id;
    let slug = w.l.community.slug.clone();
    let t = today(&w.l.community);
    let page = store::rounds_page(&s.db, cid, PageReq::new(q.page, None)).await?;
    let pager = Pager::new(&page, &format!("/c/{slug}/sustainability"));
    let can = w.rater().is_some();
    let rounds = page
        .items
        .into_iter()
        .map(|r| {
            let status = round_status(&r, t);
            RoundItem {
                can_rate: can && status == "open",
                status,
                r,
            }
        })
        .collect();
    // The trend over every round (rounds are few; capped by MAX_ROUNDS), one query for figures.
    let all = store::rounds(&s.db, cid).await?;
    let ids: Vec<i64> = all.iter().map(|r| r.id).collect();
    let results = store::results_of(&s.db, &ids).await?;
    let mut prev: Option<&RoundResults> = None;
    let mut trend = vec![];
    for r in &all {
        let Some(res) = results.get(&r.id) else {
            continue;
        };
        let cells = res
            .dimensions
            .iter()
            .enumerate()
            .map(|(i, d)| {
                let before = prev
                    .and_then(|p| p.dimensions.get(i))
                    .and_then(|p| p.figures.mean);
                (fmt1(d.figures.mean), change(d.figures.mean, before))
            })
            .collect();
        trend.push(TrendRow {
            id: r.id,
            title: r.title.clone(),
            dates: dates(&c, r),
            respondents: r.respondents,
            cells,
        });
        if res.respondents > 0 {
            prev = Some(res);
        }
    }
    trend.reverse();
    let actions = store::actions(&s.db, cid, PageReq::new(q.apage, None)).await?;
    let mut apager = Pager::new(&actions, &format!("/c/{slug}/sustainability"));
    let fix = |l: Option<String>| l.map(|l| l.replace("?page=", "?apage="));
    apager.prev = fix(apager.prev);
    apager.next = fix(apager.next);
    Ok(IndexPage {
        dims: dimension_names(&c),
        c,
        m: w.l.community,
        manage: w.manage,
        rounds,
        pager,
        trend,
        actions,
        apager,
        person: w.person,
        form,
        errors,
    })
}

pub(super) async fn index_page(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<PageQuery>,
) -> AppResult<Response> {
    let w = member(&s, &c, &slug).await?;
    Ok(html(
        &index_view(&s, c, w, &q, RoundForm::default(), FieldErrors::new()).await?,
    ))
}

pub(super) async fn create_round(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Form(form): Form<RoundForm>,
) -> AppResult<Response> {
    let w = manager(&s, &c, &slug).await?;
    match write_round(&s, &c, &w, &form).await? {
        Ok(id) => Ok(redirect(&format!("/c/{slug}/sustainability/rounds/{id}"))),
        Err(errors) => Ok(html_invalid(
            &index_view(&s, c, w, &PageQuery::default(), form, errors).await?,
        )),
    }
}

#[derive(Template)]
#[template(path = "sustainability/round.html")]
pub(super) struct RoundPage {
    pub(super) c: Ctx,
    pub(super) m: Community,
    pub(super) r: RoundRow,
    pub(super) status: &'static str,
    pub(super) can_rate: bool,
    pub(super) manage: bool,
    pub(super) respondents: usize,
    pub(super) prev: Option<RoundRow>,
    pub(super) radar: String,
    pub(super) dims: Vec<DimRow>,
    pub(super) actions: Vec<Action>,
    pub(super) owners: Options,
    pub(super) items: Options,
    pub(super) form: ActionForm,
    pub(super) errors: FieldErrors,
    pub(super) range: String,
    pub(super) person: Option<i64>,
}

impl RoundPage {
    pub(super) fn item_label(&self, key: &str) -> String {
        item_label(&self.c, key)
    }
    pub(super) fn can_change(&self, a: &Action) -> bool {
        self.manage || self.person == Some(a.owner_person_id)
    }
}

pub(super) async fn round_view(
    s: &AppState,
    c: Ctx,
    w: Who,
    r: RoundRow,
    form: ActionForm,
    errors: FieldErrors,
) -> AppResult<RoundPage> {
    let prev = rounds_store::previous_round(&s.db, &r).await?;
    let mut ids = vec![r.id];
    ids.extend(prev.as_ref().map(|p| p.id));
    let mut res = store::results_of(&s.db, &ids).await?;
    let this = res.remove(&r.id).ok_or(AppError::NotFound)?;
    let before = prev.as_ref().and_then(|p| res.remove(&p.id));
    let ev = rounds_store::evidence(&s.db, r.id).await?;
    let radar = round_radar(
        &c,
        &format!("radar-{}", r.id),
        (&r.title, &this),
        prev.as_ref()
            .zip(before.as_ref())
            .map(|(p, b)| (p.title.as_str(), b)),
    );
    let dims = dim_rows(&c, &this, before.as_ref(), &ev);
    let actions = store::round_actions(&s.db, r.id).await?;
    let (owners, items) = if w.manage {
        let owners = tejido_db::minutes::owner_choices(&s.db, w.l.community.id, 500)
            .await?
            .into_iter()
            .map(|(id, name)| (id.to_string(), name))
            .collect();
        let items = INSTRUMENT
            .items()
            .map(|i| (i.key.to_owned(), item_label(&c, i.key)))
            .collect();
        (owners, items)
    } else {
        (vec![], vec![])
    };
    let status = round_status(&r, today(&w.l.community));
    Ok(RoundPage {
        can_rate: w.rater().is_some() && status == "open",
        status,
        manage: w.manage,
        respondents: this.respondents,
        prev,
        radar,
        dims,
        actions,
        owners,
        items,
        form,
        errors,
        range: format!("{DISAGREEMENT_RANGE:.0}"),
        person: w.person,
        c,
        m: w.l.community,
        r,
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct ItemQuery {
    pub(super) item: Option<String>,
}

pub(super) async fn round_page(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Query(q): Query<ItemQuery>,
) -> AppResult<Response> {
    let w = member(&s, &c, &slug).await?;
    let r = round_of(&s, &w, id).await?;
    let form = ActionForm {
        item: q
            .item
            .filter(|k| INSTRUMENT.item(k).is_some())
            .unwrap_or_default(),
        ..Default::default()
    };
    Ok(html(
        &round_view(&s, c, w, r, form, FieldErrors::new()).await?,
    ))
}

pub(super) async fn create_action(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Form(form): Form<ActionForm>,
) -> AppResult<Response> {
    let w = manager(&s, &c, &slug).await?;
    let r = round_of(&s, &w, id).await?;
    match write_action(&s, &c, &w, &r, &form).await? {
        Ok(_) => Ok(redirect(&format!(
            "/c/{slug}/sustainability/rounds/{id}#actions"
        ))),
        Err(errors) => Ok(html_invalid(&round_view(&s, c, w, r, form, errors).await?)),
    }
}

pub(super) async fn action_status(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Form(f): Form<StatusForm>,
) -> AppResult<Response> {
    c.require_user()?;
    let w = member(&s, &c, &slug).await?;
    write_action_status(&s, &c, &w, id, &f.status).await?;
    Ok(match f.round {
        Some(r) => redirect(&format!("/c/{slug}/sustainability/rounds/{r}#actions")),
        None => redirect(&format!("/c/{slug}/sustainability#actions")),
    })
}
