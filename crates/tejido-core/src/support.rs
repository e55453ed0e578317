//! Peer support: an *ask* (what an organization needs) and an *offer* (expertise an organization
//! can share), their forms, and the matching of an ask to the organizations whose offers,
//! expertise and themes fit — a pure, ranked scoring with the reasons shown on the ask's page.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::text::fold;
use crate::validate::{self, FieldErrors, Validated};

pub const MAX_TITLE: usize = 200;
pub const MAX_TEXT: usize = 10_000;
pub const MAX_THEME: usize = 80;
/// Most organizations matched (and invited) for one ask.
pub const MAX_MATCHES: usize = 10;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Urgency {
    Low,
    Normal,
    High,
}

impl Urgency {
    pub const ALL: [Urgency; 3] = [Self::Low, Self::Normal, Self::High];
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Low => "low",
            Self::Normal => "normal",
            Self::High => "high",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|u| u.as_str() == s)
    }
}

/// An ask's state: open, or closed as resolved (with who helped) or withdrawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AskStatus {
    Open,
    Resolved,
    Withdrawn,
}

impl AskStatus {
    pub const ALL: [AskStatus; 3] = [Self::Open, Self::Resolved, Self::Withdrawn];
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Resolved => "resolved",
            Self::Withdrawn => "withdrawn",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|u| u.as_str() == s)
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct AskForm {
    pub title: String,
    pub need: String,
    pub theme: String,
    pub urgency: String,
    /// `YYYY-MM-DD`, empty for none.
    pub deadline: String,
    /// Ids of the communities it is posted to (checked against the asker's by the caller).
    pub communities: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AskInput {
    pub title: String,
    pub need: String,
    pub theme: String,
    pub urgency: Urgency,
    pub deadline: Option<NaiveDate>,
    pub communities: Vec<i64>,
}

impl AskForm {
    /// The form from posted pairs (`communities` repeats, one per checked box).
    pub fn from_pairs(pairs: &[(String, String)]) -> Self {
        let mut f = AskForm::default();
        for (k, v) in pairs {
            match k.as_str() {
                "title" => f.title = v.clone(),
                "need" => f.need = v.clone(),
                "theme" => f.theme = v.clone(),
                "urgency" => f.urgency = v.clone(),
                "deadline" => f.deadline = v.clone(),
                "communities" => f.communities.push(v.clone()),
                _ => {}
            }
        }
        f
    }
    /// `today` bounds the deadline: it cannot be in the past.
    pub fn parse(&self, today: NaiveDate) -> Validated<AskInput> {
        let mut e = FieldErrors::new();
        let title = validate::required(&mut e, "title", &self.title, MAX_TITLE);
        let need = validate::required(&mut e, "need", &self.need, MAX_TEXT);
        let theme = validate::required(&mut e, "theme", &self.theme, MAX_THEME);
        let urgency = validate::choice(&mut e, "urgency", &self.urgency, Urgency::parse);
        let deadline = validate::optional_choice(&mut e, "deadline", &self.deadline, |s| {
            NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
        });
        if deadline.is_some_and(|d| d < today) {
            e.add("deadline", "support-error-deadline-past");
        }
        let mut communities: Vec<i64> = Vec::new();
        for c in self
            .communities
            .iter()
            .map(|c| c.trim())
            .filter(|c| !c.is_empty())
        {
            match c.parse::<i64>() {
                Ok(id) if !communities.contains(&id) => communities.push(id),
                Ok(_) => {}
                Err(_) => e.add("communities", "error-invalid-choice"),
            }
        }
        if communities.is_empty() && e.get("communities").is_none() {
            e.add("communities", "support-error-no-community");
        }
        e.into_result(AskInput {
            title,
            need,
            theme,
            urgency: urgency.unwrap_or(Urgency::Normal),
            deadline,
            communities,
        })
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct OfferForm {
    pub title: String,
    pub description: String,
    /// Comma-separated themes.
    pub themes: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OfferInput {
    pub title: String,
    pub description: String,
    pub themes: Vec<String>,
}

impl OfferForm {
    pub fn parse(&self) -> Validated<OfferInput> {
        let mut e = FieldErrors::new();
        let title = validate::required(&mut e, "title", &self.title, MAX_TITLE);
        let description = validate::required(&mut e, "description", &self.description, MAX_TEXT);
        let themes = validate::tags(&mut e, "themes", &self.themes, MAX_THEME);
        if themes.len() > 20 {
            e.add("themes", "error-too-long");
        }
        e.into_result(OfferInput {
            title,
            description,
            themes,
        })
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct AnswerForm {
    pub body: String,
}

impl AnswerForm {
    pub fn parse(&self) -> Validated<String> {
        let mut e = FieldErrors::new();
        let body = validate::required(&mut e, "body", &self.body, MAX_TEXT);
        e.into_result(body)
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct CloseForm {
    /// `resolved` or `withdrawn`.
    pub outcome: String,
    /// Ids of the organizations that helped (resolved only).
    pub helpers: Vec<String>,
}

impl CloseForm {
    /// The form from posted pairs (`helpers` repeats, one per checked box).
    pub fn from_pairs(pairs: &[(String, String)]) -> Self {
        let mut f = CloseForm::default();
        for (k, v) in pairs {
            match k.as_str() {
                "outcome" => f.outcome = v.clone(),
                "helpers" => f.helpers.push(v.clone()),
                _ => {}
            }
        }
        f
    }
    pub fn parse(&self) -> Validated<(AskStatus, Vec<i64>)> {
        let mut e = FieldErrors::new();
        let outcome = validate::choice(&mut e, "outcome", &self.outcome, |s| {
            AskStatus::parse(s).filter(|s| *s != AskStatus::Open)
        });
        let mut helpers: Vec<i64> = Vec::new();
        for h in self
            .helpers
            .iter()
            .map(|h| h.trim())
            .filter(|h| !h.is_empty())
        {
            match h.parse::<i64>() {
                Ok(id) if !helpers.contains(&id) => helpers.push(id),
                Ok(_) => {}
                Err(_) => e.add("helpers", "error-invalid-choice"),
            }
        }
        if outcome == Some(AskStatus::Resolved) && helpers.is_empty() && e.get("helpers").is_none()
        {
            e.add("helpers", "support-error-no-helper");
        }
        if outcome == Some(AskStatus::Withdrawn) {
            helpers.clear();
        }
        e.into_result((outcome.unwrap_or(AskStatus::Withdrawn), helpers))
    }
}

// ---- matching ---------------------------------------------------------------------------------

/// What the matcher knows about a candidate organization.
#[derive(Debug, Clone, Default)]
pub struct Candidate {
    pub organization_id: i64,
    /// The directory's themes of the organization.
    pub themes: Vec<String>,
    /// The directory's expertise text.
    pub expertise: String,
    /// Its offers: (title + description, themes).
    pub offers: Vec<(String, Vec<String>)>,
}

/// Why an organization matched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "kebab-case")]
pub enum Reason {
    /// One of its offers has the ask's theme.
    OfferTheme(String),
    /// The directory lists the ask's theme among its themes.
    OrgTheme(String),
    /// Words of the ask found in its offers or expertise.
    Keywords(Vec<String>),
}

impl Reason {
    /// Stored form: `kind\tvalue` (keywords comma-separated).
    pub fn encode(&self) -> String {
        match self {
            Reason::OfferTheme(t) => format!("offer-theme\t{t}"),
            Reason::OrgTheme(t) => format!("org-theme\t{t}"),
            Reason::Keywords(k) => format!("keywords\t{}", k.join(", ")),
        }
    }
    /// (kind, value) from the stored form.
    pub fn decode(line: &str) -> Option<(String, String)> {
        let (k, v) = line.split_once('\t')?;
        Some((k.to_owned(), v.to_owned()))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    pub organization_id: i64,
    pub score: i64,
    pub reasons: Vec<Reason>,
}

const STOPWORDS: &[&str] = &[
    "para",
    "como",
    "con",
    "que",
    "por",
    "una",
    "uno",
    "unos",
    "unas",
    "los",
    "las",
    "del",
    "este",
    "esta",
    "estos",
    "estas",
    "sus",
    "nuestra",
    "nuestro",
    "nuestras",
    "nuestros",
    "entre",
    "sobre",
    "desde",
    "hasta",
    "cuando",
    "donde",
    "tiene",
    "tienen",
    "hacer",
    "necesitamos",
    "necesita",
    "apoyo",
    "ayuda",
    "queremos",
    "with",
    "from",
    "that",
    "this",
    "need",
    "help",
    "have",
    "about",
    "their",
    "organizacion",
    "organizaciones",
    "mas",
    "muy",
    "tambien",
];

/// The meaningful folded words of a text: 4+ letters, no stop words, each once, in order.
pub fn keywords(text: &str) -> Vec<String> {
    let folded = fold(text);
    let mut out: Vec<String> = Vec::new();
    for w in folded.split(|c: char| !c.is_alphanumeric()) {
        if w.chars().count() >= 4 && !STOPWORDS.contains(&w) && !out.iter().any(|o| o == w) {
            out.push(w.to_owned());
        }
    }
    out
}

/// Scores one candidate for an ask: 5 when an offer has the ask's theme, 3 when the directory
/// lists it among the organization's themes, plus one per shared keyword (at most 5). `None`
/// when nothing fits.
pub fn score(theme: &str, ask_text: &str, c: &Candidate) -> Option<Match> {
    let theme_key = fold(theme.trim());
    let mut score = 0;
    let mut reasons = Vec::new();
    if !theme_key.is_empty() {
        if let Some(t) = c
            .offers
            .iter()
            .flat_map(|(_, ts)| ts.iter())
            .find(|t| fold(t.trim()) == theme_key)
        {
            score += 5;
            reasons.push(Reason::OfferTheme(t.clone()));
        }
        if let Some(t) = c.themes.iter().find(|t| fold(t.trim()) == theme_key) {
            score += 3;
            reasons.push(Reason::OrgTheme(t.clone()));
        }
    }
    let ask_words = keywords(ask_text);
    let mut theirs = c.expertise.clone();
    for (text, _) in &c.offers {
        theirs.push(' ');
        theirs.push_str(text);
    }
    let their_words = keywords(&theirs);
    let shared: Vec<String> = ask_words
        .into_iter()
        .filter(|w| their_words.contains(w))
        .take(5)
        .collect();
    if !shared.is_empty() {
        score += i64::try_from(shared.len()).unwrap_or(5);
        reasons.push(Reason::Keywords(shared));
    }
    (score > 0).then_some(Match {
        organization_id: c.organization_id,
        score,
        reasons,
    })
}

/// The fitting candidates, best first (ties by organization id), at most [`MAX_MATCHES`], never
/// the asking organization.
pub fn rank(theme: &str, ask_text: &str, asker_org: i64, candidates: &[Candidate]) -> Vec<Match> {
    let mut out: Vec<Match> = candidates
        .iter()
        .filter(|c| c.organization_id != asker_org)
        .filter_map(|c| score(theme, ask_text, c))
        .collect();
    out.sort_by(|a, b| {
        b.score
            .cmp(&a.score)
            .then(a.organization_id.cmp(&b.organization_id))
    });
    out.truncate(MAX_MATCHES);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cand(id: i64, themes: &[&str], expertise: &str, offers: &[(&str, &[&str])]) -> Candidate {
        Candidate {
            organization_id: id,
            themes: themes.iter().map(|s| (*s).to_owned()).collect(),
            expertise: expertise.into(),
            offers: offers
                .iter()
                .map(|(t, ts)| {
                    (
                        (*t).to_owned(),
                        ts.iter().map(|s| (*s).to_owned()).collect(),
                    )
                })
                .collect(),
        }
    }

    #[test]
    fn theme_and_keywords_rank_and_asker_excluded() {
        let cs = vec![
            cand(1, &["Mediación"], "", &[]),
            cand(
                2,
                &[],
                "Acompañamos procesos de mediación comunitaria",
                &[("Taller de mediacion", &["mediacion"])],
            ),
            cand(3, &["Salud"], "Clínicas", &[]),
            cand(4, &["Mediación"], "mediación", &[]),
        ];
        let m = rank(
            "Mediación",
            "Buscamos mediación comunitaria en Oaxaca",
            4,
            &cs,
        );
        let ids: Vec<i64> = m.iter().map(|m| m.organization_id).collect();
        assert_eq!(ids, vec![2, 1]);
        assert_eq!(m[0].score, 5 + 2);
        assert_eq!(
            m[0].reasons,
            vec![
                Reason::OfferTheme("mediacion".into()),
                Reason::Keywords(vec!["mediacion".into(), "comunitaria".into()])
            ]
        );
        assert_eq!(m[1].score, 3);
        assert_eq!(m[1].reasons, vec![Reason::OrgTheme("Mediación".into())]);
    }

    #[test]
    fn nothing_fits_no_match() {
        let c = cand(1, &["Salud"], "clínicas móviles", &[]);
        assert_eq!(score("Justicia", "Necesitamos abogadas", &c), None);
        assert!(keywords("para con una Mediación").contains(&"mediacion".to_owned()));
        assert_eq!(keywords("para con una"), Vec::<String>::new());
    }

    #[test]
    fn reasons_round_trip() {
        let r = Reason::Keywords(vec!["a".into(), "b".into()]);
        assert_eq!(
            Reason::decode(&r.encode()),
            Some(("keywords".into(), "a, b".into()))
        );
    }

    #[test]
    fn forms() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        let f = AskForm {
            title: "Asesoría".into(),
            need: "Necesitamos".into(),
            theme: "Mediación".into(),
            urgency: "high".into(),
            deadline: "2026-11-01".into(),
            communities: vec![],
        };
        let e = f.parse(today).unwrap_err();
        assert_eq!(e.get("deadline"), Some("support-error-deadline-past"));
        assert_eq!(e.get("communities"), Some("support-error-no-community"));
        let ok = AskForm {
            deadline: "2026-12-01".into(),
            communities: vec!["3".into(), "3".into()],
            ..f
        }
        .parse(today)
        .unwrap();
        assert_eq!(ok.communities, vec![3]);
        assert_eq!(ok.urgency, Urgency::High);
        let c = CloseForm {
            outcome: "resolved".into(),
            helpers: vec![],
        };
        assert_eq!(
            c.parse().unwrap_err().get("helpers"),
            Some("support-error-no-helper")
        );
        assert!(CloseForm {
            outcome: "open".into(),
            helpers: vec![]
        }
        .parse()
        .is_err());
    }
}
