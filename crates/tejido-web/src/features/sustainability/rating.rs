//! Rating a round: the confidential form of the self-assessment.

use super::*;

pub struct RateItem {
    pub number: usize,
    pub text: String,
    pub r: String,
    pub e: String,
    pub n: String,
}

pub struct RateSection {
    pub title: String,
    pub items: Vec<RateItem>,
}

#[derive(Template)]
#[template(path = "sustainability/rate.html")]
pub(super) struct RatePage {
    pub(super) c: Ctx,
    pub(super) m: Community,
    pub(super) r: RoundRow,
    pub(super) open: bool,
    pub(super) sections: Vec<RateSection>,
    pub(super) levels: Vec<(String, String)>,
    pub(super) values: Vec<(String, String)>,
    pub(super) errors: FieldErrors,
    pub(super) saved: bool,
}

impl RatePage {
    pub(super) fn value(&self, name: &str) -> &str {
        self.values
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }
}

pub(super) fn answers_to_values(answers: &[Answer]) -> Vec<(String, String)> {
    let mut v = vec![];
    for a in answers {
        let (r, e, n) = field_names(&a.item_key);
        v.push((r, a.value.map(|x| x.to_string()).unwrap_or_default()));
        v.push((e, a.evidence.clone().unwrap_or_default()));
        v.push((n, a.note.clone().unwrap_or_default()));
    }
    v
}

pub(super) fn rate_view(
    c: Ctx,
    w: Who,
    r: RoundRow,
    values: Vec<(String, String)>,
    errors: FieldErrors,
    saved: bool,
) -> RatePage {
    let mut n = 0;
    let sections = INSTRUMENT
        .sections
        .iter()
        .map(|s| RateSection {
            title: c.t(s.title),
            items: s
                .items
                .iter()
                .map(|i| {
                    n += 1;
                    let (r, e, nn) = field_names(i.key);
                    RateItem {
                        number: n,
                        text: c.t(i.text),
                        r,
                        e,
                        n: nn,
                    }
                })
                .collect(),
        })
        .collect();
    let levels = INSTRUMENT
        .scale
        .levels
        .iter()
        .map(|l| (l.value.to_string(), c.t(l.label)))
        .collect();
    RatePage {
        open: accepting(r.opens_on, r.closes_on, today(&w.l.community)),
        sections,
        levels,
        values,
        errors,
        saved,
        c,
        m: w.l.community,
        r,
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct SavedQuery {
    pub(super) saved: Option<String>,
}

pub(super) async fn rate_page(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Query(q): Query<SavedQuery>,
) -> AppResult<Response> {
    c.require_user()?;
    let w = member(&s, &c, &slug).await?;
    let person = w.rater().ok_or(AppError::Forbidden)?;
    let r = round_of(&s, &w, id).await?;
    let answers = rounds_store::responses_of(&s.db, r.id, person).await?;
    Ok(html(&rate_view(
        c,
        w,
        r,
        answers_to_values(&answers),
        FieldErrors::new(),
        q.saved.is_some(),
    )))
}

pub(super) async fn rate_save(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    c.require_user()?;
    let w = member(&s, &c, &slug).await?;
    if w.rater().is_none() {
        return Err(AppError::Forbidden);
    }
    let r = round_of(&s, &w, id).await?;
    match write_responses(&s, &w, &r, &pairs).await? {
        Ok(()) => Ok(redirect(&format!(
            "/c/{slug}/sustainability/rounds/{id}/rate?saved=1"
        ))),
        Err(errors) => {
            let values = pairs.into_iter().filter(|(k, _)| k != "_csrf").collect();
            Ok(html_invalid(&rate_view(c, w, r, values, errors, false)))
        }
    }
}
