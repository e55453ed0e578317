//! Polls: answers tallied into results — aggregates, breakdowns (a group under 5 is
//! suppressed) and the SVG charts, for the results pages, the API and the reviews.

use super::*;

// ---- results ---------------------------------------------------------------------------------

/// One bar segment of a chart.
pub struct Seg {
    pub x: f64,
    pub w: f64,
    pub fill: &'static str,
    pub title: String,
}

pub struct ChartRow {
    pub label: String,
    pub value: String,
    pub y: u32,
    pub segs: Vec<Seg>,
}

#[derive(Template)]
#[template(path = "polls/chart.svg")]
pub struct Chart {
    pub id: String,
    pub title: String,
    pub rows: Vec<ChartRow>,
    pub h: u32,
}

/// A chart row before layout: label, value text, and (fraction, fill, tooltip) segments.
pub(super) type RowSpec = (String, String, Vec<(f64, &'static str, String)>);

pub(super) const PLOT_X: f64 = 150.0;
pub(super) const PLOT_W: f64 = 200.0;
pub(super) const LIKERT_FILLS: [&str; 5] = ["#a4161a", "#e08a5a", "#b8b8b8", "#6aa0c8", "#1d5c8c"];

pub(super) fn chart(id: String, title: String, rows: Vec<RowSpec>) -> String {
    let rows: Vec<ChartRow> = rows
        .into_iter()
        .enumerate()
        .map(|(i, (label, value, parts))| {
            let mut x = PLOT_X;
            let segs = parts
                .into_iter()
                .map(|(frac, fill, title)| {
                    let w = (frac.clamp(0.0, 1.0) * PLOT_W * 10.0).round() / 10.0;
                    let s = Seg { x, w, fill, title };
                    x += w;
                    s
                })
                .collect();
            ChartRow {
                label,
                value,
                y: 8 + 26 * i as u32,
                segs,
            }
        })
        .collect();
    let h = 16 + 26 * rows.len() as u32;
    Chart { id, title, rows, h }.render().unwrap_or_default()
}

pub(super) fn fmt1(x: f64) -> String {
    format!("{x:.1}")
}
pub(super) fn fmt2(x: f64) -> String {
    format!("{x:.2}")
}

/// One question's aggregate.
pub struct QResult {
    pub q: Question,
    pub n: usize,
    /// (label, count, percent)
    pub dist: Vec<(String, usize, f64)>,
    pub mean: Option<String>,
    pub median: Option<String>,
    pub nps: Option<String>,
    pub paired: Option<core::Paired>,
    pub paired_text: Vec<(String, String)>,
    pub texts: Vec<String>,
    pub svg: String,
}

pub(super) fn likert_labels(c: &Ctx) -> Vec<String> {
    (1..=5).map(|i| c.t(&format!("poll-likert-{i}"))).collect()
}

pub(super) fn aggregate(c: &Ctx, qs: &[Question], rows: &[AnswerRow]) -> Vec<QResult> {
    qs.iter()
        .map(|q| {
            let mine: Vec<&AnswerRow> = rows.iter().filter(|r| r.question_id == q.id).collect();
            let nums: Vec<f64> = mine.iter().filter_map(|r| r.num).collect();
            let n = mine.len();
            let mut r = QResult {
                q: q.clone(),
                n,
                dist: vec![],
                mean: None,
                median: None,
                nps: None,
                paired: None,
                paired_text: vec![],
                texts: vec![],
                svg: String::new(),
            };
            let cid = format!("q{}", q.id);
            match q.kind() {
                QuestionKind::Likert => {
                    let d = core::distribution(&nums, 1, 5);
                    let labels = likert_labels(c);
                    r.dist = labels
                        .iter()
                        .zip(&d)
                        .map(|(l, k)| (l.clone(), *k, core::percent(*k, n)))
                        .collect();
                    r.mean = core::mean(&nums).map(fmt2);
                    r.median = core::median(&nums).map(fmt1);
                    let parts = r
                        .dist
                        .iter()
                        .enumerate()
                        .map(|(i, (l, k, p))| {
                            (
                                if n == 0 { 0.0 } else { *k as f64 / n as f64 },
                                LIKERT_FILLS[i],
                                format!("{l}: {k} ({p}%)"),
                            )
                        })
                        .collect();
                    r.svg = chart(
                        cid,
                        q.text.clone(),
                        vec![(c.t("poll-chart-all"), n.to_string(), parts)],
                    );
                }
                QuestionKind::Single | QuestionKind::Multiple => {
                    let opts = q.option_list();
                    let mut counts = vec![0usize; opts.len()];
                    for a in &mine {
                        if let Some(x) = a.num {
                            if let Some(k) = counts.get_mut(x as usize) {
                                *k += 1;
                            }
                        }
                        for i in a
                            .text
                            .as_deref()
                            .unwrap_or("")
                            .split(',')
                            .filter_map(|s| s.parse::<usize>().ok())
                        {
                            if let Some(k) = counts.get_mut(i) {
                                *k += 1;
                            }
                        }
                    }
                    r.dist = opts
                        .iter()
                        .zip(&counts)
                        .map(|(l, k)| (l.clone(), *k, core::percent(*k, n)))
                        .collect();
                    r.svg = bars(cid, &q.text, &r.dist, n);
                }
                QuestionKind::Nps => {
                    let d = core::distribution(&nums, 0, 10);
                    r.dist = d
                        .iter()
                        .enumerate()
                        .map(|(i, k)| (i.to_string(), *k, core::percent(*k, n)))
                        .collect();
                    r.mean = core::mean(&nums).map(fmt2);
                    r.median = core::median(&nums).map(fmt1);
                    r.nps = core::nps(&nums).map(fmt1);
                    r.svg = bars(cid, &q.text, &r.dist, n);
                }
                QuestionKind::Number => {
                    r.mean = core::mean(&nums).map(fmt2);
                    r.median = core::median(&nums).map(fmt2);
                }
                QuestionKind::Short | QuestionKind::Long => {
                    r.texts = mine
                        .iter()
                        .filter_map(|a| a.text.clone())
                        .take(500)
                        .collect();
                }
                QuestionKind::PrePost => {
                    let pairs: Vec<(f64, f64)> = mine
                        .iter()
                        .filter_map(|a| Some((a.num?, a.num2?)))
                        .collect();
                    if let Some(p) = core::paired(&pairs) {
                        r.paired_text = vec![
                            (c.t("poll-result-before"), fmt2(p.mean_before)),
                            (c.t("poll-result-after"), fmt2(p.mean_after)),
                            (c.t("poll-result-diff"), fmt2(p.mean_diff)),
                            (
                                c.t("poll-result-sd"),
                                p.sd_diff.map(fmt2).unwrap_or_else(|| "—".into()),
                            ),
                        ];
                        r.svg = chart(
                            cid,
                            q.text.clone(),
                            vec![
                                (
                                    c.t("poll-result-before"),
                                    fmt2(p.mean_before),
                                    vec![(p.mean_before / 5.0, "#b8b8b8", fmt2(p.mean_before))],
                                ),
                                (
                                    c.t("poll-result-after"),
                                    fmt2(p.mean_after),
                                    vec![(p.mean_after / 5.0, "#1d5c8c", fmt2(p.mean_after))],
                                ),
                            ],
                        );
                        r.paired = Some(p);
                    }
                }
            }
            r
        })
        .collect()
}

pub(super) fn bars(id: String, title: &str, dist: &[(String, usize, f64)], n: usize) -> String {
    let max = dist.iter().map(|d| d.1).max().unwrap_or(0).max(1);
    let _ = n;
    chart(
        id,
        title.to_owned(),
        dist.iter()
            .map(|(l, k, p)| {
                (
                    l.clone(),
                    format!("{k} ({p}%)"),
                    vec![(*k as f64 / max as f64, "#1d5c8c", format!("{l}: {k}"))],
                )
            })
            .collect(),
    )
}

/// A breakdown of response counts and Likert/NPS means by group; groups under `MIN_GROUP` hidden.
pub struct Group {
    pub label: String,
    pub n: usize,
}

pub(super) fn breakdown(c: &Ctx, rows: &[AnswerRow], by_org: bool) -> (Vec<Group>, usize) {
    let mut seen: Vec<(String, Option<String>)> = vec![];
    for r in rows {
        let key = if by_org {
            r.organization_name.clone()
        } else {
            r.position_level.clone()
        };
        if !seen.iter().any(|(id, _)| id == &r.response_id) {
            seen.push((r.response_id.clone(), key));
        }
    }
    let mut groups: Vec<(Option<String>, usize)> = vec![];
    for (_, k) in &seen {
        match groups.iter_mut().find(|g| &g.0 == k) {
            Some(g) => g.1 += 1,
            None => groups.push((k.clone(), 1)),
        }
    }
    let mut hidden = 0;
    let mut out = vec![];
    for (k, n) in groups {
        if core::group_visible(n) {
            out.push(Group {
                label: k.unwrap_or_else(|| c.t("poll-group-unknown")),
                n,
            });
        } else {
            hidden += 1;
        }
    }
    out.sort_by(|a, b| a.label.cmp(&b.label));
    (out, hidden)
}

/// A poll's questions and published answers, and how many answers are still held. A poll that
/// stopped accepting answers by its closing time publishes what it holds first.
pub(super) async fn results_data(
    s: &AppState,
    w: &Who,
    id: i64,
) -> AppResult<(Poll, Vec<Question>, Vec<AnswerRow>, i64)> {
    let p = poll_of(s, w, id).await?;
    if p.is_draft() && !w.manage {
        return Err(AppError::NotFound);
    }
    if !p.is_draft() && !p.accepting(tejido_db::now()) {
        publish(s, &w.l.community, &p, false).await?;
    }
    let qs = store::questions(&s.db, p.id).await?;
    let rows = store::answers(&s.db, p.id).await?;
    let held = if p.anonymous {
        store::held_count(&s.db, p.id).await?
    } else {
        0
    };
    Ok((p, qs, rows, held))
}

pub(super) fn respondents(rows: &[AnswerRow]) -> usize {
    let mut ids: Vec<&str> = rows.iter().map(|r| r.response_id.as_str()).collect();
    ids.dedup();
    ids.len()
}
