//! Outcome harvesting (*cosecha de alcances*): a significant outcome is a change in someone's
//! behavior, relationships, actions, policies or practices that the community contributed to.
//! This module parses the outcome form (description, significance, the community's
//! contribution, theme, organizations involved, date, links as sources, substantiation) and
//! holds the pure rules: links are http(s) only, a substantiated outcome names its source and
//! their view, and the theme is one of the community's themes.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::text_enum;
use crate::validate::{self, FieldErrors, Validated};

/// Most organizations, links, events, projects or ties attached to one outcome.
pub const MAX_LINKED: usize = 100;
/// Most characters of a link's address.
pub const MAX_URL: usize = 2000;

text_enum!(
    /// The kind of change an outcome describes.
    ChangeKind {
        Behavior = "behavior",
        Relationships = "relationships",
        Actions = "actions",
        Policies = "policies",
        Practices = "practices",
    }
);

text_enum!(
    /// How far an outcome has been confirmed.
    Substantiation {
        Claimed = "claimed",
        Substantiated = "substantiated",
        Verified = "verified",
    }
);

text_enum!(
    /// What the named source thinks of the outcome as written.
    SourceView {
        AgreesFully = "agrees-fully",
        AgreesPartly = "agrees-partly",
        Disagrees = "disagrees",
    }
);

/// A value of a multi-valued field: text from an HTML form, a number or text from JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum IdValue {
    Int(i64),
    Text(String),
}

impl IdValue {
    pub fn text(&self) -> String {
        match self {
            IdValue::Int(n) => n.to_string(),
            IdValue::Text(s) => s.trim().to_owned(),
        }
    }
}

impl Default for IdValue {
    fn default() -> Self {
        IdValue::Text(String::new())
    }
}

impl From<i64> for IdValue {
    fn from(n: i64) -> Self {
        IdValue::Int(n)
    }
}

/// Parses a list of ids (positive integers), dropping empties and duplicates; records
/// `error-invalid-choice` for anything else and `error-too-many` past `MAX_LINKED`.
pub fn ids(errors: &mut FieldErrors, field: &str, values: &[IdValue]) -> Vec<i64> {
    let mut out: Vec<i64> = Vec::new();
    let mut bad = false;
    for v in values {
        let t = v.text();
        if t.is_empty() {
            continue;
        }
        match t.parse::<i64>() {
            Ok(n) if n > 0 => {
                if !out.contains(&n) {
                    out.push(n);
                }
            }
            _ => bad = true,
        }
    }
    if bad {
        errors.add(field, "error-invalid-choice");
    } else if out.len() > MAX_LINKED {
        errors.add(field, "outcome-error-too-many");
    }
    out
}

/// The themes of a community, as stored (`communities.themes`, comma-separated).
pub fn themes(stored: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in stored.split(',').map(str::trim).filter(|t| !t.is_empty()) {
        if !out.iter().any(|o| o == t) {
            out.push(t.to_owned());
        }
    }
    out
}

/// Checks a theme against the community's list; when the community has none, any text is
/// accepted (required or not, as asked).
pub fn theme(
    errors: &mut FieldErrors,
    field: &str,
    value: &str,
    themes: &[String],
    required: bool,
) -> Option<String> {
    let v = value.trim();
    if v.is_empty() {
        if required {
            errors.add(field, "error-required");
        }
        return None;
    }
    if themes.is_empty() {
        if v.chars().count() > 80 {
            errors.add(field, "error-too-long");
        }
        return Some(v.to_owned());
    }
    match themes.iter().find(|t| t.as_str() == v) {
        Some(t) => Some(t.clone()),
        None => {
            errors.add(field, "error-invalid-choice");
            None
        }
    }
}

/// A link given as a source or evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    pub url: String,
    pub label: Option<String>,
}

/// True for an absolute `http://` or `https://` address with a host and nothing that could
/// break out of an attribute or smuggle a second line.
pub fn is_web_url(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    let rest = if let Some(r) = lower.strip_prefix("https://") {
        r
    } else if let Some(r) = lower.strip_prefix("http://") {
        r
    } else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.rsplit('@').next().unwrap_or("");
    !host.is_empty()
        && !host.starts_with(':')
        && s.chars().count() <= MAX_URL
        && !s
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '<' | '>' | '\\'))
}

/// Parses the links field: one per line, the address first and an optional label after a space
/// (`https://example.org/informe.pdf Informe anual`).
pub fn parse_links(errors: &mut FieldErrors, field: &str, text: &str) -> Vec<Link> {
    let mut out: Vec<Link> = Vec::new();
    let mut bad = false;
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let (url, label) = match line.split_once(char::is_whitespace) {
            Some((u, l)) => (u, Some(l.trim())),
            None => (line, None),
        };
        let label = label.filter(|l| !l.is_empty());
        if !is_web_url(url) || label.is_some_and(|l| l.chars().count() > 200) {
            bad = true;
            continue;
        }
        if !out.iter().any(|o| o.url == url) {
            out.push(Link {
                url: url.to_owned(),
                label: label.map(str::to_owned),
            });
        }
    }
    if bad {
        errors.add(field, "outcome-error-link");
    } else if out.len() > MAX_LINKED {
        errors.add(field, "outcome-error-too-many");
    }
    out
}

/// The links as the form shows them again (one per line).
pub fn links_text(links: &[Link]) -> String {
    links
        .iter()
        .map(|l| match &l.label {
            Some(label) => format!("{} {label}", l.url),
            None => l.url.clone(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The outcome form as typed (HTML form or JSON).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct OutcomeForm {
    pub description: String,
    pub change_kind: String,
    pub significance: String,
    pub contribution: String,
    pub theme: String,
    /// `YYYY-MM-DD`: when the change happened.
    pub happened_on: String,
    pub organizations: Vec<IdValue>,
    /// One link per line: the address, then an optional label.
    pub links: String,
    pub substantiation: String,
    pub source_name: String,
    pub source_view: String,
    pub events: Vec<IdValue>,
    pub projects: Vec<IdValue>,
    pub ties: Vec<IdValue>,
}

/// A parsed outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct OutcomeInput {
    pub description: String,
    pub change_kind: ChangeKind,
    pub significance: String,
    pub contribution: String,
    pub theme: String,
    pub happened_on: NaiveDate,
    pub organizations: Vec<i64>,
    pub links: Vec<Link>,
    pub substantiation: Substantiation,
    pub source_name: Option<String>,
    pub source_view: Option<SourceView>,
    pub events: Vec<i64>,
    pub projects: Vec<i64>,
    pub ties: Vec<i64>,
}

impl OutcomeForm {
    /// Parses the form. `themes` are the community's; `today` (in the community's zone) bounds
    /// the date: a harvested outcome has already happened. Whether the person may mark it
    /// verified is the web layer's rule ([`may_set`]).
    pub fn parse(&self, themes: &[String], today: NaiveDate) -> Validated<OutcomeInput> {
        let mut e = FieldErrors::new();
        let description = validate::required(&mut e, "description", &self.description, 4000);
        let change_kind =
            validate::choice(&mut e, "change_kind", &self.change_kind, ChangeKind::parse);
        let significance = validate::required(&mut e, "significance", &self.significance, 4000);
        let contribution = validate::required(&mut e, "contribution", &self.contribution, 4000);
        let theme = theme(&mut e, "theme", &self.theme, themes, true);
        let happened_on = validate::choice(&mut e, "happened_on", &self.happened_on, |s| {
            NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
        });
        if happened_on.is_some_and(|d| d > today) {
            e.add("happened_on", "outcome-error-future");
        }
        let organizations = ids(&mut e, "organizations", &self.organizations);
        if organizations.is_empty() && e.get("organizations").is_none() {
            e.add("organizations", "outcome-error-no-organizations");
        }
        let links = parse_links(&mut e, "links", &self.links);
        let substantiation = if self.substantiation.trim().is_empty() {
            Some(Substantiation::Claimed)
        } else {
            validate::choice(
                &mut e,
                "substantiation",
                &self.substantiation,
                Substantiation::parse,
            )
        };
        let mut source_name = validate::optional(&mut e, "source_name", &self.source_name, 200);
        let mut source_view =
            validate::optional_choice(&mut e, "source_view", &self.source_view, SourceView::parse);
        match substantiation {
            Some(Substantiation::Substantiated) => {
                if source_name.is_none() {
                    e.add("source_name", "outcome-error-source-required");
                }
                if source_view.is_none() && e.get("source_view").is_none() {
                    e.add("source_view", "outcome-error-source-required");
                }
            }
            Some(Substantiation::Claimed) => {
                // A claim has no source yet: drop what the form may have kept.
                source_name = None;
                source_view = None;
            }
            _ => {}
        }
        let events = ids(&mut e, "events", &self.events);
        let projects = ids(&mut e, "projects", &self.projects);
        let ties = ids(&mut e, "ties", &self.ties);
        match (change_kind, theme, happened_on, substantiation) {
            (Some(change_kind), Some(theme), Some(happened_on), Some(substantiation))
                if e.is_empty() =>
            {
                Ok(OutcomeInput {
                    description,
                    change_kind,
                    significance,
                    contribution,
                    theme,
                    happened_on,
                    organizations,
                    links,
                    substantiation,
                    source_name,
                    source_view,
                    events,
                    projects,
                    ties,
                })
            }
            _ => Err(e),
        }
    }
}

/// Who may set a substantiation status: members propose outcomes as claimed or substantiated
/// by a named source; only those who manage the community mark one verified.
pub fn may_set(status: Substantiation, manage: bool) -> bool {
    manage || status != Substantiation::Verified
}

/// Filters of the outcomes list, as typed in the query string.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct FilterForm {
    pub theme: String,
    pub from: String,
    pub to: String,
    pub substantiation: String,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

/// Parsed filters; an unreadable value is ignored (a filter never fails a page).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filter {
    pub theme: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub substantiation: Option<Substantiation>,
}

impl FilterForm {
    pub fn parse(&self) -> Filter {
        let date = |s: &str| NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok();
        let t = self.theme.trim();
        Filter {
            theme: (!t.is_empty()).then(|| t.to_owned()),
            from: date(&self.from),
            to: date(&self.to),
            substantiation: Substantiation::parse(self.substantiation.trim()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn form() -> OutcomeForm {
        OutcomeForm {
            description: "La Fiscalía adoptó el protocolo de mediación".into(),
            change_kind: "policies".into(),
            significance: "Primera vez en el estado".into(),
            contribution: "El taller de la comunidad".into(),
            theme: "Mediación".into(),
            happened_on: "2026-03-02".into(),
            organizations: vec![IdValue::Text("3".into()), IdValue::Int(4), IdValue::Int(3)],
            links: "https://example.org/protocolo.pdf Protocolo publicado\nhttp://example.org"
                .into(),
            ..Default::default()
        }
    }

    #[test]
    fn parses_and_dedupes() {
        let themes = vec!["Mediación".to_owned(), "Justicia".to_owned()];
        let i = form().parse(&themes, d("2026-06-01")).unwrap();
        assert_eq!(i.organizations, vec![3, 4]);
        assert_eq!(i.substantiation, Substantiation::Claimed);
        assert_eq!(i.links.len(), 2);
        assert_eq!(i.links[0].label.as_deref(), Some("Protocolo publicado"));
        assert_eq!(i.links[1].label, None);
        assert_eq!(links_text(&i.links).lines().count(), 2);
    }

    #[test]
    fn rejects_bad_input() {
        let themes = vec!["Justicia".to_owned()];
        let mut f = form();
        f.happened_on = "2027-01-01".into();
        f.links = "javascript:alert(1)".into();
        f.substantiation = "substantiated".into();
        f.organizations = vec![IdValue::Text("x".into())];
        let e = f.parse(&themes, d("2026-06-01")).unwrap_err();
        assert_eq!(e.get("theme"), Some("error-invalid-choice"));
        assert_eq!(e.get("happened_on"), Some("outcome-error-future"));
        assert_eq!(e.get("links"), Some("outcome-error-link"));
        assert_eq!(e.get("source_name"), Some("outcome-error-source-required"));
        assert_eq!(e.get("source_view"), Some("outcome-error-source-required"));
        assert_eq!(e.get("organizations"), Some("error-invalid-choice"));
        let mut f = form();
        f.organizations.clear();
        let e = f.parse(&[], d("2026-06-01")).unwrap_err();
        assert_eq!(
            e.get("organizations"),
            Some("outcome-error-no-organizations")
        );
        assert_eq!(
            e.get("theme"),
            None,
            "any theme when the community has none"
        );
    }

    #[test]
    fn only_web_links() {
        for ok in [
            "http://a.mx",
            "https://example.org/x?y=1#z",
            "HTTPS://EXAMPLE.ORG",
        ] {
            assert!(is_web_url(ok), "{ok}");
        }
        for bad in [
            "ftp://example.org",
            "javascript:alert(1)",
            "data:text/html,x",
            "https://",
            "https:///path",
            "//example.org",
            "https://exa mple.org",
            "https://example.org/\"onmouseover",
            "mailto:a@b.mx",
        ] {
            assert!(!is_web_url(bad), "{bad}");
        }
    }

    #[test]
    fn substantiation_rules() {
        let themes: Vec<String> = vec![];
        let mut f = form();
        f.substantiation = "substantiated".into();
        f.source_name = "Lic. Ana Ruiz, Fiscalía".into();
        f.source_view = "agrees-partly".into();
        let i = f.parse(&themes, d("2026-06-01")).unwrap();
        assert_eq!(i.source_view, Some(SourceView::AgreesPartly));
        f.substantiation = "claimed".into();
        let i = f.parse(&themes, d("2026-06-01")).unwrap();
        assert_eq!((i.source_name, i.source_view), (None, None));
        assert!(!may_set(Substantiation::Verified, false));
        assert!(may_set(Substantiation::Verified, true));
        assert!(may_set(Substantiation::Substantiated, false));
    }

    #[test]
    fn community_themes() {
        assert_eq!(
            themes(" Mediación, Justicia ,,Mediación"),
            vec!["Mediación", "Justicia"]
        );
    }
}
