//! Polls, questionnaires and learning reviews: the question kinds, the forms that build a poll,
//! the shipped templates (Spanish and English), the parsing of one person's answers, and every
//! figure shown in the results as pure functions (counts, mean, median, standard deviation, NPS,
//! the paired pre/post difference). Nothing here knows about storage or the web.
//!
//! Pre/post self-rating of learning is *retrospective*: the person rates "before" and "after"
//! together in one response, so the pair lives in one answer row and pairing needs no identity —
//! which keeps anonymous polls anonymous.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use crate::validate::{self, FieldErrors, Validated};

/// Breakdowns of results (by organization, position level) with fewer responses are hidden.
pub const MIN_GROUP: usize = 5;
/// Answers to an anonymous poll are held and published together once this many wait (all of them
/// when the poll stops accepting answers), so no published response can be told from the other
/// answers of its batch by the order or the moment it was stored.
pub const PUBLISH_BATCH: usize = 5;
/// Most questions in one poll, and options in one question.
pub const MAX_QUESTIONS: usize = 60;
pub const MAX_OPTIONS: usize = 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum QuestionKind {
    Likert,
    Single,
    Multiple,
    Nps,
    Number,
    Short,
    Long,
    PrePost,
}

impl QuestionKind {
    pub const ALL: [QuestionKind; 8] = [
        Self::Likert,
        Self::Single,
        Self::Multiple,
        Self::Nps,
        Self::Number,
        Self::Short,
        Self::Long,
        Self::PrePost,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Likert => "likert",
            Self::Single => "single",
            Self::Multiple => "multiple",
            Self::Nps => "nps",
            Self::Number => "number",
            Self::Short => "short",
            Self::Long => "long",
            Self::PrePost => "pre-post",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
    /// Kinds whose options the author writes.
    pub fn has_options(self) -> bool {
        matches!(self, Self::Single | Self::Multiple)
    }
    /// Number of points on the kind's fixed scale, if any (Likert 1–5, NPS 0–10, pre/post 1–5).
    pub fn scale(self) -> Option<(i64, i64)> {
        match self {
            Self::Likert | Self::PrePost => Some((1, 5)),
            Self::Nps => Some((0, 10)),
            _ => None,
        }
    }
}

/// Kirkpatrick's four levels, to tag what a question measures.
pub const LEVELS: [&str; 4] = ["reaction", "learning", "behavior", "results"];

// ---- building ---------------------------------------------------------------------------------

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct PollForm {
    pub title: String,
    pub description: String,
    /// Event id, empty for none.
    pub event: String,
    /// "on" when anonymous.
    pub anonymous: String,
    /// "on" when responses keep the respondent's organization and position level (announced on
    /// the answer page).
    pub breakdowns: String,
    /// `YYYY-MM-DDTHH:MM` in the community's time zone, empty for "now".
    pub opens_at: String,
    /// `YYYY-MM-DDTHH:MM`, empty for "when closed by hand".
    pub closes_at: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PollInput {
    pub title: String,
    pub description: Option<String>,
    pub event_id: Option<i64>,
    pub anonymous: bool,
    pub breakdowns: bool,
    /// Local times; the web layer converts them with the community's zone.
    pub opens_at: Option<NaiveDateTime>,
    pub closes_at: Option<NaiveDateTime>,
}

fn local_time(e: &mut FieldErrors, field: &str, v: &str) -> Option<NaiveDateTime> {
    validate::optional_choice(e, field, v, |s| {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M")
            .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S"))
            .ok()
    })
}

fn truthy(s: &str) -> bool {
    matches!(s.trim(), "on" | "true" | "1" | "yes")
}

impl PollForm {
    pub fn parse(&self) -> Validated<PollInput> {
        let mut e = FieldErrors::new();
        let title = validate::required(&mut e, "title", &self.title, 200);
        let description = validate::optional(&mut e, "description", &self.description, 4000);
        let event_id =
            validate::optional_choice(&mut e, "event", &self.event, |s| s.parse::<i64>().ok());
        let opens_at = local_time(&mut e, "opens_at", &self.opens_at);
        let closes_at = local_time(&mut e, "closes_at", &self.closes_at);
        if let (Some(a), Some(b)) = (opens_at, closes_at) {
            if b <= a {
                e.add("closes_at", "poll-error-closes-before-opens");
            }
        }
        e.into_result(PollInput {
            title,
            description,
            event_id,
            anonymous: truthy(&self.anonymous),
            breakdowns: truthy(&self.breakdowns),
            opens_at,
            closes_at,
        })
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct QuestionForm {
    pub kind: String,
    pub text: String,
    /// One option per line (single and multiple choice).
    pub options: String,
    /// "on" when an answer is required.
    pub required: String,
    /// A Kirkpatrick level, empty for none.
    pub level: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuestionInput {
    pub kind: QuestionKind,
    pub text: String,
    pub options: Vec<String>,
    pub required: bool,
    pub level: Option<String>,
}

impl QuestionForm {
    pub fn parse(&self) -> Validated<QuestionInput> {
        let mut e = FieldErrors::new();
        let kind = validate::choice(&mut e, "kind", &self.kind, QuestionKind::parse);
        let text = validate::required(&mut e, "text", &self.text, 500);
        let level = validate::optional_choice(&mut e, "level", &self.level, |s| {
            LEVELS.contains(&s).then(|| s.to_owned())
        });
        let mut options: Vec<String> = vec![];
        for o in self
            .options
            .lines()
            .map(str::trim)
            .filter(|o| !o.is_empty())
        {
            if o.chars().count() > 200 {
                e.add("options", "error-too-long");
            } else if !options.iter().any(|x| x == o) {
                options.push(o.to_owned());
            }
        }
        let kind = kind.unwrap_or(QuestionKind::Short);
        if kind.has_options() {
            if options.len() < 2 {
                e.add("options", "poll-error-two-options");
            } else if options.len() > MAX_OPTIONS {
                e.add("options", "poll-error-too-many-options");
            }
        } else {
            options.clear();
        }
        e.into_result(QuestionInput {
            kind,
            text,
            options,
            required: truthy(&self.required),
            level,
        })
    }
}

// ---- templates --------------------------------------------------------------------------------

/// The shipped templates.
pub const TEMPLATES: [&str; 5] = [
    "satisfaction",
    "learning",
    "facilitation",
    "peers",
    "sustainability",
];

fn q(kind: QuestionKind, text: &str, options: &[&str], level: &str) -> QuestionInput {
    QuestionInput {
        kind,
        text: text.to_owned(),
        options: options.iter().map(|s| (*s).to_owned()).collect(),
        required: !matches!(kind, QuestionKind::Short | QuestionKind::Long),
        level: (!level.is_empty()).then(|| level.to_owned()),
    }
}

/// A template's title and questions in `lang` ("en", anything else is Spanish).
pub fn template(key: &str, lang: &str) -> Option<(String, Vec<QuestionInput>)> {
    use QuestionKind::*;
    let en = lang == "en";
    let s = |es: &'static str, e: &'static str| if en { e } else { es };
    let (title, qs) = match key {
        "satisfaction" => (
            s("Satisfacción con el evento", "Event satisfaction"),
            vec![
                q(Likert, s("El evento cumplió sus objetivos.", "The event met its objectives."), &[], "reaction"),
                q(Likert, s("Los temas fueron útiles para mi organización.", "The topics were useful for my organization."), &[], "reaction"),
                q(Likert, s("La logística fue adecuada.", "The logistics were adequate."), &[], "reaction"),
                q(Nps, s("¿Qué tan probable es que recomiendes estos encuentros a otra organización?", "How likely are you to recommend these gatherings to another organization?"), &[], "reaction"),
                q(Long, s("¿Qué mejorarías?", "What would you improve?"), &[], ""),
            ],
        ),
        "learning" => (
            s("Grado de aprendizaje (antes y después)", "Degree of learning (before and after)"),
            vec![
                q(PrePost, s("Mi conocimiento del tema", "My knowledge of the topic"), &[], "learning"),
                q(PrePost, s("Mi capacidad para aplicarlo en mi organización", "My ability to apply it in my organization"), &[], "learning"),
                q(Single, s("¿Piensas aplicar algo de lo aprendido en los próximos tres meses?", "Do you plan to apply something you learned in the next three months?"), &[s("Sí", "Yes"), s("Tal vez", "Maybe"), s("No", "No")], "behavior"),
                q(Short, s("Lo más valioso que aprendí", "The most valuable thing I learned"), &[], "learning"),
            ],
        ),
        "facilitation" => (
            s("Calidad de la facilitación", "Facilitation quality"),
            vec![
                q(Likert, s("La facilitación permitió que todas las voces participaran.", "The facilitation let every voice take part."), &[], "reaction"),
                q(Likert, s("Se respetaron los tiempos de la agenda.", "The agenda's times were kept."), &[], "reaction"),
                q(Likert, s("Las dinámicas ayudaron a aprender entre pares.", "The activities helped peer learning."), &[], "learning"),
                q(Long, s("Comentarios para quien facilitó", "Comments for the facilitator"), &[], ""),
            ],
        ),
        "peers" => (
            s("Percepción de pares y de la comunidad", "Perception of peers and of the community"),
            vec![
                q(Likert, s("Confío en las demás organizaciones de la comunidad.", "I trust the other organizations of the community."), &[], "results"),
                q(Likert, s("Puedo pedir apoyo a otras integrantes cuando lo necesito.", "I can ask other members for support when I need it."), &[], "results"),
                q(Likert, s("La comunidad toma en cuenta mis opiniones.", "The community takes my opinions into account."), &[], "reaction"),
                q(Multiple, s("¿Con quiénes colaboraste desde el último encuentro?", "Whom did you collaborate with since the last gathering?"), &[s("Organizaciones de mi estado", "Organizations from my state"), s("Organizaciones de otros estados", "Organizations from other states"), s("Gobierno", "Government"), s("Academia", "Academia"), s("Nadie todavía", "Nobody yet")], "behavior"),
            ],
        ),
        "sustainability" => (
            s("Pulso de sostenibilidad", "Sustainability pulse"),
            vec![
                q(Likert, s("La comunidad tiene una estructura de gestión clara.", "The community has a clear management structure."), &[], "results"),
                q(Likert, s("Existen fuentes de financiamiento para continuar.", "There are funding sources to continue."), &[], "results"),
                q(Likert, s("Los procesos de la comunidad funcionan sin depender de una sola persona.", "The community's processes work without depending on one person."), &[], "results"),
                q(Likert, s("Hay una cultura de aprendizaje compartido.", "There is a culture of shared learning."), &[], "results"),
                q(Number, s("¿Cuántas horas al mes dedica tu organización a la comunidad?", "How many hours a month does your organization give the community?"), &[], ""),
            ],
        ),
        _ => return None,
    };
    Some((title.to_owned(), qs))
}

// ---- answering --------------------------------------------------------------------------------

/// A question as the answering code needs it.
#[derive(Debug, Clone)]
pub struct QuestionSpec {
    pub id: i64,
    pub kind: QuestionKind,
    pub required: bool,
    pub options: usize,
}

/// One stored answer: `num` (scale value, choice index, number; "before" for pre/post), `num2`
/// ("after" for pre/post), `text` (free text, or the chosen indexes of a multiple choice as
/// "0,2").
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Answer {
    pub question_id: i64,
    pub num: Option<f64>,
    pub num2: Option<f64>,
    pub text: Option<String>,
}

fn int_in(v: &str, lo: i64, hi: i64) -> Result<Option<f64>, &'static str> {
    let v = v.trim();
    if v.is_empty() {
        return Ok(None);
    }
    match v.parse::<i64>() {
        Ok(n) if (lo..=hi).contains(&n) => Ok(Some(n as f64)),
        _ => Err("error-invalid-choice"),
    }
}

/// Parses one person's answers from form pairs (`q{id}`, `q{id}-pre`, `q{id}-post`; a multiple
/// choice repeats `q{id}`). Errors are keyed `q{id}`.
pub fn parse_answers(qs: &[QuestionSpec], pairs: &[(String, String)]) -> Validated<Vec<Answer>> {
    let mut e = FieldErrors::new();
    let mut out = vec![];
    let get = |k: &str| -> Vec<&str> {
        pairs
            .iter()
            .filter(|(n, _)| n == k)
            .map(|(_, v)| v.as_str())
            .collect()
    };
    for q in qs {
        let key = format!("q{}", q.id);
        let first = get(&key)
            .first()
            .map(|s| s.trim().to_owned())
            .unwrap_or_default();
        let a = match q.kind {
            QuestionKind::Likert | QuestionKind::Nps => {
                let (lo, hi) = q.kind.scale().unwrap_or((0, 10));
                int_in(&first, lo, hi).map(|n| (n, None, None))
            }
            QuestionKind::Single => {
                int_in(&first, 0, q.options as i64 - 1).map(|n| (n, None, None))
            }
            QuestionKind::Multiple => {
                let mut idx: Vec<i64> = vec![];
                let mut bad = false;
                for v in get(&key) {
                    match int_in(v, 0, q.options as i64 - 1) {
                        Ok(Some(n)) => {
                            if !idx.contains(&(n as i64)) {
                                idx.push(n as i64)
                            }
                        }
                        Ok(None) => {}
                        Err(_) => bad = true,
                    }
                }
                idx.sort_unstable();
                if bad {
                    Err("error-invalid-choice")
                } else if idx.is_empty() {
                    Ok((None, None, None))
                } else {
                    let t = idx
                        .iter()
                        .map(|i| i.to_string())
                        .collect::<Vec<_>>()
                        .join(",");
                    Ok((None, None, Some(t)))
                }
            }
            QuestionKind::Number => {
                if first.is_empty() {
                    Ok((None, None, None))
                } else {
                    match first.replace(',', ".").parse::<f64>() {
                        Ok(n) if n.is_finite() && n.abs() < 1e12 => Ok((Some(n), None, None)),
                        _ => Err("poll-error-number"),
                    }
                }
            }
            QuestionKind::Short | QuestionKind::Long => {
                let max = if q.kind == QuestionKind::Short {
                    300
                } else {
                    5000
                };
                if first.chars().count() > max {
                    Err("error-too-long")
                } else if first.is_empty() {
                    Ok((None, None, None))
                } else {
                    Ok((None, None, Some(first)))
                }
            }
            QuestionKind::PrePost => {
                let pre = get(&format!("{key}-pre")).first().copied().unwrap_or("");
                let post = get(&format!("{key}-post")).first().copied().unwrap_or("");
                match (int_in(pre, 1, 5), int_in(post, 1, 5)) {
                    (Ok(a), Ok(b)) if a.is_some() == b.is_some() => Ok((a, b, None)),
                    (Ok(_), Ok(_)) => Err("poll-error-pre-post-both"),
                    _ => Err("error-invalid-choice"),
                }
            }
        };
        match a {
            Err(code) => e.add(&key, code),
            Ok((None, None, None)) => {
                if q.required {
                    e.add(&key, "error-required");
                }
            }
            Ok((num, num2, text)) => out.push(Answer {
                question_id: q.id,
                num,
                num2,
                text,
            }),
        }
    }
    e.into_result(out)
}

// ---- results arithmetic -----------------------------------------------------------------------

pub fn mean(xs: &[f64]) -> Option<f64> {
    (!xs.is_empty()).then(|| xs.iter().sum::<f64>() / xs.len() as f64)
}

pub fn median(xs: &[f64]) -> Option<f64> {
    if xs.is_empty() {
        return None;
    }
    let mut v = xs.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    Some(if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    })
}

/// Sample standard deviation (n − 1); `None` below two values.
pub fn std_dev(xs: &[f64]) -> Option<f64> {
    if xs.len() < 2 {
        return None;
    }
    let m = mean(xs)?;
    let ss: f64 = xs.iter().map(|x| (x - m) * (x - m)).sum();
    Some((ss / (xs.len() as f64 - 1.0)).sqrt())
}

/// Net Promoter Score of 0–10 answers: % promoters (9–10) − % detractors (0–6), −100 … +100.
pub fn nps(scores: &[f64]) -> Option<f64> {
    if scores.is_empty() {
        return None;
    }
    let n = scores.len() as f64;
    let pro = scores.iter().filter(|s| **s >= 9.0).count() as f64;
    let det = scores.iter().filter(|s| **s <= 6.0).count() as f64;
    Some((pro - det) / n * 100.0)
}

/// A paired before/after comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Paired {
    pub n: usize,
    pub mean_before: f64,
    pub mean_after: f64,
    /// Mean of (after − before).
    pub mean_diff: f64,
    /// Sample standard deviation of the differences; `None` with one pair.
    pub sd_diff: Option<f64>,
}

pub fn paired(pairs: &[(f64, f64)]) -> Option<Paired> {
    let before: Vec<f64> = pairs.iter().map(|p| p.0).collect();
    let after: Vec<f64> = pairs.iter().map(|p| p.1).collect();
    let diffs: Vec<f64> = pairs.iter().map(|p| p.1 - p.0).collect();
    Some(Paired {
        n: pairs.len(),
        mean_before: mean(&before)?,
        mean_after: mean(&after)?,
        mean_diff: mean(&diffs)?,
        sd_diff: std_dev(&diffs),
    })
}

/// Counts of integer values `lo..=hi` (values outside are ignored).
pub fn distribution(xs: &[f64], lo: i64, hi: i64) -> Vec<usize> {
    let mut out = vec![0; (hi - lo + 1).max(0) as usize];
    for x in xs {
        let i = x.round() as i64 - lo;
        if i >= 0 && (i as usize) < out.len() {
            out[i as usize] += 1;
        }
    }
    out
}

/// Percent of `part` in `whole`, rounded to one decimal.
pub fn percent(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        (part as f64 * 1000.0 / whole as f64).round() / 10.0
    }
}

/// Whether the held answers of an anonymous poll are published now: a full batch, or whatever
/// waits once the poll no longer accepts answers (closed, or past its closing time).
pub fn publish_due(held: usize, accepting: bool) -> bool {
    held >= PUBLISH_BATCH || (!accepting && held > 0)
}

/// The fewest held answers [`publish_due`] publishes together.
pub fn publish_min(accepting: bool) -> usize {
    if accepting {
        PUBLISH_BATCH
    } else {
        1
    }
}

/// Whether a breakdown group may be shown.
pub fn group_visible(n: usize) -> bool {
    n >= MIN_GROUP
}

// ---- editing and scheduling -------------------------------------------------------------------

/// A question may be edited (text, kind, options, required flag, level) while nobody has
/// answered: in a draft, or in an open poll with no response yet. Changing a question under
/// existing answers would make them answers to another question.
pub fn question_editable(responses: i64) -> bool {
    responses == 0
}

/// The timing of a poll as the invitation pass reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timing<'a> {
    pub status: &'a str,
    pub opens_at: Option<chrono::DateTime<chrono::Utc>>,
    pub closes_at: Option<chrono::DateTime<chrono::Utc>>,
    pub invited_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// Whether opening a poll by hand at `now` should send its invitations at once: not when it
/// opens later (the invitation pass sends them at `opens_at`), nor twice.
pub fn invite_on_open(t: &Timing<'_>, now: chrono::DateTime<chrono::Utc>) -> bool {
    t.invited_at.is_none() && t.opens_at.is_none_or(|o| o <= now)
}

/// Whether the invitation pass must send a poll's invitations at `now`: an open (scheduled)
/// poll whose opening time has come, not closed yet, not invited yet. Drafts are never sent:
/// a draft is unfinished until a manager opens (schedules) it.
pub fn invitation_due(t: &Timing<'_>, now: chrono::DateTime<chrono::Utc>) -> bool {
    t.status == "open"
        && t.invited_at.is_none()
        && t.opens_at.is_some_and(|o| o <= now)
        && t.closes_at.is_none_or(|c| now < c)
}

// ---- learning reviews -------------------------------------------------------------------------

/// After Action Review or Appreciative Inquiry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewKind {
    Aar,
    Ai,
}

impl ReviewKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Aar => "aar",
            Self::Ai => "ai",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "aar" => Some(Self::Aar),
            "ai" => Some(Self::Ai),
            _ => None,
        }
    }
    /// The sections, in order (their ids are also the Fluent suffixes).
    pub fn sections(self) -> &'static [&'static str] {
        match self {
            Self::Aar => &["planned", "actual", "why", "sustain", "improve"],
            Self::Ai => &["define", "discover", "dream", "design", "deliver"],
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct ReviewForm {
    pub kind: String,
    pub title: String,
    pub event: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ReviewInput {
    pub kind: ReviewKind,
    pub title: String,
    pub event_id: Option<i64>,
}

impl ReviewForm {
    pub fn parse(&self) -> Validated<ReviewInput> {
        let mut e = FieldErrors::new();
        let kind = validate::choice(&mut e, "kind", &self.kind, ReviewKind::parse);
        let title = validate::required(&mut e, "title", &self.title, 200);
        let event_id =
            validate::optional_choice(&mut e, "event", &self.event, |s| s.parse::<i64>().ok());
        e.into_result(ReviewInput {
            kind: kind.unwrap_or(ReviewKind::Aar),
            title,
            event_id,
        })
    }
}

/// The section texts of a contribution or consolidation: one field per section of the kind, at
/// least one filled.
pub fn parse_sections(
    kind: ReviewKind,
    pairs: &[(String, String)],
) -> Validated<Vec<(String, String)>> {
    let mut e = FieldErrors::new();
    let mut out = vec![];
    for s in kind.sections() {
        let v = pairs
            .iter()
            .find(|(k, _)| k == s)
            .map(|(_, v)| v.as_str())
            .unwrap_or("");
        if let Some(t) = validate::optional(&mut e, s, v, 10_000) {
            out.push(((*s).to_owned(), t));
        }
    }
    if out.is_empty() && e.is_empty() {
        e.add(kind.sections()[0], "review-error-empty");
    }
    e.into_result(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn invitations_due_at_opening_time_once() {
        use chrono::TimeZone;
        let at = |h| chrono::Utc.with_ymd_and_hms(2026, 3, 2, h, 0, 0).unwrap();
        let t = Timing {
            status: "open",
            opens_at: Some(at(10)),
            closes_at: Some(at(18)),
            invited_at: None,
        };
        assert!(!invitation_due(&t, at(9)), "before opening");
        assert!(invitation_due(&t, at(10)), "at opening");
        assert!(invitation_due(&t, at(17)));
        assert!(!invitation_due(&t, at(18)), "closed by time");
        assert!(
            !invitation_due(
                &Timing {
                    invited_at: Some(at(10)),
                    ..t
                },
                at(12)
            ),
            "twice"
        );
        assert!(
            !invitation_due(
                &Timing {
                    status: "draft",
                    ..t
                },
                at(12)
            ),
            "draft"
        );
        assert!(
            !invitation_due(
                &Timing {
                    status: "closed",
                    ..t
                },
                at(12)
            ),
            "closed"
        );
        assert!(
            !invitation_due(
                &Timing {
                    opens_at: None,
                    ..t
                },
                at(12)
            ),
            "opened by hand"
        );
        // Opening by hand sends now only when the poll is already open by its time.
        assert!(!invite_on_open(&t, at(9)));
        assert!(invite_on_open(&t, at(10)));
        assert!(invite_on_open(
            &Timing {
                opens_at: None,
                ..t
            },
            at(9)
        ));
        assert!(!invite_on_open(
            &Timing {
                invited_at: Some(at(8)),
                opens_at: None,
                ..t
            },
            at(9)
        ));
        assert!(question_editable(0));
        assert!(!publish_due(0, true) && !publish_due(0, false));
        assert!(!publish_due(PUBLISH_BATCH - 1, true));
        assert!(publish_due(PUBLISH_BATCH, true) && publish_due(PUBLISH_BATCH + 3, true));
        assert!(publish_due(1, false));
        assert_eq!((publish_min(true), publish_min(false)), (PUBLISH_BATCH, 1));
        assert!(!question_editable(1));
    }

    #[test]
    fn nps_by_hand() {
        // 10, 9, 9 promoters (3); 8, 7 passive; 6, 3 detractors (2): (3 − 2) / 7 × 100.
        let v = [10.0, 9.0, 9.0, 8.0, 7.0, 6.0, 3.0];
        assert!(close(nps(&v).unwrap(), 100.0 / 7.0));
        assert_eq!(nps(&[10.0, 10.0]), Some(100.0));
        assert_eq!(nps(&[0.0, 6.0]), Some(-100.0));
        assert_eq!(nps(&[]), None);
    }

    #[test]
    fn median_and_mean_by_hand() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), Some(2.5));
        assert_eq!(median(&[]), None);
        assert_eq!(mean(&[1.0, 2.0, 3.0, 4.0]), Some(2.5));
        // 2,4,4,4,5,5,7,9: mean 5, squares sum 32, sample variance 32/7.
        let sd = std_dev(&[2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]).unwrap();
        assert!(close(sd, (32.0f64 / 7.0).sqrt()));
        assert_eq!(std_dev(&[1.0]), None);
    }

    #[test]
    fn paired_difference_by_hand() {
        // diffs 2, 1, 3, 2: mean 2; squares 0+1+1+0 = 2; sd = sqrt(2/3).
        let p = paired(&[(1.0, 3.0), (2.0, 3.0), (2.0, 5.0), (3.0, 5.0)]).unwrap();
        assert_eq!(p.n, 4);
        assert!(close(p.mean_before, 2.0));
        assert!(close(p.mean_after, 4.0));
        assert!(close(p.mean_diff, 2.0));
        assert!(close(p.sd_diff.unwrap(), (2.0f64 / 3.0).sqrt()));
        assert_eq!(paired(&[]), None);
    }

    #[test]
    fn distribution_and_groups() {
        assert_eq!(
            distribution(&[1.0, 5.0, 5.0, 3.0, 9.0], 1, 5),
            vec![1, 0, 1, 0, 2]
        );
        assert_eq!(percent(1, 3), 33.3);
        assert!(!group_visible(4));
        assert!(group_visible(5));
    }

    #[test]
    fn answers_are_checked() {
        let qs = vec![
            QuestionSpec {
                id: 1,
                kind: QuestionKind::Likert,
                required: true,
                options: 0,
            },
            QuestionSpec {
                id: 2,
                kind: QuestionKind::Multiple,
                required: false,
                options: 3,
            },
            QuestionSpec {
                id: 3,
                kind: QuestionKind::PrePost,
                required: true,
                options: 0,
            },
        ];
        let p = |v: &[(&str, &str)]| {
            v.iter()
                .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
                .collect::<Vec<_>>()
        };
        let ok = parse_answers(
            &qs,
            &p(&[
                ("q1", "4"),
                ("q2", "2"),
                ("q2", "0"),
                ("q3-pre", "2"),
                ("q3-post", "4"),
            ]),
        )
        .unwrap();
        assert_eq!(ok[1].text.as_deref(), Some("0,2"));
        assert_eq!((ok[2].num, ok[2].num2), (Some(2.0), Some(4.0)));
        let err = parse_answers(&qs, &p(&[("q1", "6"), ("q3-pre", "2")])).unwrap_err();
        assert_eq!(err.get("q1"), Some("error-invalid-choice"));
        assert_eq!(err.get("q3"), Some("poll-error-pre-post-both"));
        let err = parse_answers(&qs, &p(&[])).unwrap_err();
        assert_eq!(err.get("q1"), Some("error-required"));
    }

    #[test]
    fn templates_exist_in_both_languages() {
        for t in TEMPLATES {
            let (es, qes) = template(t, "es-MX").unwrap();
            let (en, qen) = template(t, "en").unwrap();
            assert_ne!(es, en);
            assert_eq!(qes.len(), qen.len());
        }
        assert!(template("nope", "en").is_none());
    }
}
