//! Polls: the results page and its CSV downloads.

use super::*;

#[derive(Template)]
#[template(path = "polls/results.html")]
pub(super) struct ResultsPage {
    pub(super) c: Ctx,
    pub(super) m: Community,
    pub(super) p: Poll,
    pub(super) manage: bool,
    /// Published responses: the ones every figure is computed from.
    pub(super) responses: usize,
    /// Answers of an anonymous poll waiting for their batch.
    pub(super) held: i64,
    pub(super) results: Vec<QResult>,
    pub(super) by_org: Vec<Group>,
    pub(super) by_org_hidden: usize,
    pub(super) by_level: Vec<Group>,
    pub(super) by_level_hidden: usize,
}

pub(super) async fn results_page(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    let w = member(&s, &c, &slug).await?;
    let (p, qs, rows, held) = results_data(&s, &w, id).await?;
    let results = aggregate(&c, &qs, &rows);
    let (by_org, by_org_hidden) = breakdown(&c, &rows, true);
    let (by_level, by_level_hidden) = breakdown(&c, &rows, false);
    Ok(html(&ResultsPage {
        responses: respondents(&rows),
        held,
        c,
        m: w.l.community,
        p,
        manage: w.manage,
        results,
        by_org,
        by_org_hidden,
        by_level,
        by_level_hidden,
    }))
}

pub(super) async fn results_csv(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    let w = member(&s, &c, &slug).await?;
    let (p, qs, rows, _) = results_data(&s, &w, id).await?;
    let mut lines = vec![vec![
        "question".into(),
        "kind".into(),
        "n".into(),
        "label".into(),
        "count".into(),
        "percent".into(),
        "mean".into(),
        "median".into(),
        "nps".into(),
        "mean_before".into(),
        "mean_after".into(),
        "mean_diff".into(),
        "sd_diff".into(),
    ]];
    for r in aggregate(&c, &qs, &rows) {
        let base = |label: String, count: String, pct: String| {
            vec![
                r.q.text.clone(),
                r.q.kind.clone(),
                r.n.to_string(),
                label,
                count,
                pct,
                r.mean.clone().unwrap_or_default(),
                r.median.clone().unwrap_or_default(),
                r.nps.clone().unwrap_or_default(),
                r.paired
                    .as_ref()
                    .map(|p| fmt2(p.mean_before))
                    .unwrap_or_default(),
                r.paired
                    .as_ref()
                    .map(|p| fmt2(p.mean_after))
                    .unwrap_or_default(),
                r.paired
                    .as_ref()
                    .map(|p| fmt2(p.mean_diff))
                    .unwrap_or_default(),
                r.paired
                    .as_ref()
                    .and_then(|p| p.sd_diff)
                    .map(fmt2)
                    .unwrap_or_default(),
            ]
        };
        if r.dist.is_empty() {
            lines.push(base(String::new(), String::new(), String::new()));
        }
        for (l, k, pct) in &r.dist {
            lines.push(base(l.clone(), k.to_string(), pct.to_string()));
        }
    }
    Ok(csv_download(&format!("poll-{}-results.csv", p.id), lines))
}

/// One line per response: for anonymous polls a sequence number only (responses are in random-id
/// order), never an id, a date, a name or a group; for others the respondent's name.
pub(super) async fn responses_csv(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    let w = manager(&s, &c, &slug).await?;
    let (p, qs, rows, _) = results_data(&s, &w, id).await?;
    let mut head = vec!["n".to_owned()];
    if !p.anonymous {
        head.push("person".into());
    }
    for q in &qs {
        if q.kind() == QuestionKind::PrePost {
            head.push(format!("{} (before)", q.text));
            head.push(format!("{} (after)", q.text));
        } else {
            head.push(q.text.clone());
        }
    }
    let mut lines = vec![head];
    let mut i = 0;
    let mut start = 0;
    while start < rows.len() {
        let rid = &rows[start].response_id;
        let end = rows[start..]
            .iter()
            .position(|r| &r.response_id != rid)
            .map_or(rows.len(), |k| start + k);
        let group = &rows[start..end];
        i += 1;
        let mut line = vec![i.to_string()];
        if !p.anonymous {
            line.push(group[0].author_name.clone().unwrap_or_default());
        }
        for q in &qs {
            let a = group.iter().find(|r| r.question_id == q.id);
            let num = |x: Option<f64>| {
                x.map(|v| {
                    if v.fract() == 0.0 {
                        format!("{v:.0}")
                    } else {
                        v.to_string()
                    }
                })
                .unwrap_or_default()
            };
            match q.kind() {
                QuestionKind::PrePost => {
                    line.push(num(a.and_then(|a| a.num)));
                    line.push(num(a.and_then(|a| a.num2)));
                }
                QuestionKind::Single => {
                    let opts = q.option_list();
                    line.push(
                        a.and_then(|a| a.num)
                            .and_then(|x| opts.get(x as usize).cloned())
                            .unwrap_or_default(),
                    );
                }
                QuestionKind::Multiple => {
                    let opts = q.option_list();
                    let t = a.and_then(|a| a.text.as_deref()).unwrap_or("");
                    line.push(
                        t.split(',')
                            .filter_map(|x| x.parse::<usize>().ok())
                            .filter_map(|x| opts.get(x).cloned())
                            .collect::<Vec<_>>()
                            .join("; "),
                    );
                }
                QuestionKind::Short | QuestionKind::Long => {
                    line.push(a.and_then(|a| a.text.clone()).unwrap_or_default())
                }
                _ => line.push(num(a.and_then(|a| a.num))),
            }
        }
        lines.push(line);
        start = end;
    }
    Ok(csv_download(&format!("poll-{}-responses.csv", p.id), lines))
}
