//! Joint projects and alliances: the form (title, kind, theme, geography from the states
//! catalog, status, dates, member organizations) and the partner form (an outside organization
//! and its role), and the pure rule that turns a project's organizations into the collaboration
//! or alliance ties the Local System map lacks.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::directory::STATES;
use crate::network::{TieInput, TieKind};
use crate::outcomes::{self, IdValue};
use crate::text_enum;
use crate::validate::{self, FieldErrors, Validated};

/// Most organizations (members and partners) in one project: ties grow with their square.
pub const MAX_ORGANIZATIONS: usize = 60;
/// The strength given to ties a project adds (1 weak … 3 strong): working together on a project
/// is a regular, not yet a deep, relationship.
pub const TIE_STRENGTH: i64 = 2;

text_enum!(
    /// A joint project or an alliance.
    ProjectKind {
        JointProject = "joint-project",
        Alliance = "alliance",
    }
);

impl ProjectKind {
    /// The kind of tie a project of this kind adds to the map.
    pub fn tie_kind(self) -> TieKind {
        match self {
            ProjectKind::JointProject => TieKind::Collaboration,
            ProjectKind::Alliance => TieKind::Alliance,
        }
    }
}

text_enum!(
    /// Where a project stands.
    ProjectStatus {
        Idea = "idea",
        Design = "design",
        UnderWay = "under-way",
        Completed = "completed",
        OnHold = "on-hold",
        Dropped = "dropped",
    }
);

fn truthy(s: &str) -> bool {
    matches!(s.trim(), "on" | "true" | "1" | "yes")
}

/// The project form as typed (HTML form or JSON).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct ProjectForm {
    pub title: String,
    pub kind: String,
    pub theme: String,
    /// INEGI two-digit codes of the states where it happens.
    pub states: Vec<IdValue>,
    pub municipality: String,
    pub status: String,
    pub starts_on: String,
    pub ends_on: String,
    pub description: String,
    /// Member organizations of the community that take part.
    pub members: Vec<IdValue>,
    /// "on" to add the collaboration (or alliance) ties to the Local System map.
    pub add_ties: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ProjectInput {
    pub title: String,
    pub kind: ProjectKind,
    pub theme: Option<String>,
    pub states: Vec<String>,
    pub municipality: Option<String>,
    pub status: ProjectStatus,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    pub description: Option<String>,
    pub members: Vec<i64>,
    pub add_ties: bool,
}

fn date(e: &mut FieldErrors, field: &str, v: &str) -> Option<NaiveDate> {
    validate::optional_choice(e, field, v, |s| {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
    })
}

impl ProjectForm {
    pub fn parse(&self, themes: &[String]) -> Validated<ProjectInput> {
        let mut e = FieldErrors::new();
        let title = validate::required(&mut e, "title", &self.title, 200);
        let kind = validate::choice(&mut e, "kind", &self.kind, ProjectKind::parse);
        let theme = outcomes::theme(&mut e, "theme", &self.theme, themes, false);
        let mut states: Vec<String> = Vec::new();
        for s in &self.states {
            let code = s.text();
            if code.is_empty() {
                continue;
            }
            if STATES.iter().any(|(c, _)| *c == code) {
                if !states.contains(&code) {
                    states.push(code);
                }
            } else if e.get("states").is_none() {
                e.add("states", "error-invalid-choice");
            }
        }
        let municipality = validate::optional(&mut e, "municipality", &self.municipality, 200);
        let status = validate::choice(&mut e, "status", &self.status, ProjectStatus::parse);
        let starts_on = date(&mut e, "starts_on", &self.starts_on);
        let ends_on = date(&mut e, "ends_on", &self.ends_on);
        if let (Some(a), Some(b)) = (starts_on, ends_on) {
            if b < a {
                e.add("ends_on", "project-error-end-before-start");
            }
        }
        let description = validate::optional(&mut e, "description", &self.description, 4000);
        let members = outcomes::ids(&mut e, "members", &self.members);
        if members.len() > MAX_ORGANIZATIONS {
            e.add("members", "outcome-error-too-many");
        }
        match (kind, status) {
            (Some(kind), Some(status)) if e.is_empty() => Ok(ProjectInput {
                title,
                kind,
                theme,
                states,
                municipality,
                status,
                starts_on,
                ends_on,
                description,
                members,
                add_ties: truthy(&self.add_ties),
            }),
            _ => Err(e),
        }
    }
}

/// An outside partner added to a project.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct PartnerForm {
    pub organization: IdValue,
    /// What they do in the project (e.g. "Financiamiento", "Contraparte de gobierno").
    pub role: String,
    /// "on" to add ties between the partner and the project's organizations.
    pub add_ties: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PartnerInput {
    pub organization: i64,
    pub role: String,
    pub add_ties: bool,
}

impl PartnerForm {
    pub fn parse(&self) -> Validated<PartnerInput> {
        let mut e = FieldErrors::new();
        let org = validate::choice(&mut e, "organization", &self.organization.text(), |s| {
            s.parse::<i64>().ok().filter(|n| *n > 0)
        });
        let role = validate::required(&mut e, "role", &self.role, 200);
        match org {
            Some(organization) if e.is_empty() => Ok(PartnerInput {
                organization,
                role,
                add_ties: truthy(&self.add_ties),
            }),
            _ => Err(e),
        }
    }
}

/// An unordered pair of organizations, smaller id first.
pub fn pair(a: i64, b: i64) -> (i64, i64) {
    (a.min(b), a.max(b))
}

/// The ties to add when `new` organizations join a project that already has `old` ones: one
/// undirected tie of `kind` between each new organization and every other organization of the
/// project (old or new), skipping pairs in `existing` (active ties of the same kind, as
/// [`pair`]s) and never the same pair twice.
pub fn new_ties(
    old: &[i64],
    new: &[i64],
    kind: TieKind,
    existing: &BTreeSet<(i64, i64)>,
    started_on: NaiveDate,
) -> Vec<TieInput> {
    let mut seen: BTreeSet<(i64, i64)> = existing.clone();
    let mut out = Vec::new();
    let mut members: Vec<i64> = old.to_vec();
    for &n in new {
        for &m in &members {
            let p = pair(n, m);
            if n == m || !seen.insert(p) {
                continue;
            }
            out.push(TieInput {
                from: p.0,
                to: p.1,
                kind,
                strength: TIE_STRENGTH,
                trust: None,
                value: None,
                started_on,
                ended_on: None,
                via_community: true,
            });
        }
        if !members.contains(&n) {
            members.push(n);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn parses_project() {
        let f = ProjectForm {
            title: "Red de mediación escolar".into(),
            kind: "alliance".into(),
            theme: "Mediación".into(),
            states: vec![IdValue::Text("20".into()), IdValue::Text("20".into())],
            status: "under-way".into(),
            starts_on: "2026-01-10".into(),
            members: vec![IdValue::Int(5), IdValue::Text("7".into())],
            add_ties: "on".into(),
            ..Default::default()
        };
        let i = f.parse(&["Mediación".to_owned()]).unwrap();
        assert_eq!(i.states, vec!["20"]);
        assert_eq!(i.members, vec![5, 7]);
        assert!(i.add_ties);
        assert_eq!(i.kind.tie_kind(), TieKind::Alliance);
    }

    #[test]
    fn rejects_bad_project() {
        let f = ProjectForm {
            kind: "club".into(),
            states: vec![IdValue::Text("33".into())],
            status: "".into(),
            starts_on: "2026-05-01".into(),
            ends_on: "2026-04-01".into(),
            theme: "Otro".into(),
            ..Default::default()
        };
        let e = f.parse(&["Mediación".to_owned()]).unwrap_err();
        assert_eq!(e.get("title"), Some("error-required"));
        assert_eq!(e.get("kind"), Some("error-invalid-choice"));
        assert_eq!(e.get("states"), Some("error-invalid-choice"));
        assert_eq!(e.get("status"), Some("error-required"));
        assert_eq!(e.get("ends_on"), Some("project-error-end-before-start"));
        assert_eq!(e.get("theme"), Some("error-invalid-choice"));
    }

    #[test]
    fn partner_needs_org_and_role() {
        let e = PartnerForm::default().parse().unwrap_err();
        assert_eq!(e.get("organization"), Some("error-required"));
        assert_eq!(e.get("role"), Some("error-required"));
        let p = PartnerForm {
            organization: IdValue::Int(9),
            role: "Donante".into(),
            add_ties: String::new(),
        }
        .parse()
        .unwrap();
        assert_eq!((p.organization, p.add_ties), (9, false));
    }

    #[test]
    fn ties_once_per_pair() {
        let day = d("2026-02-01");
        // Three new organizations: 3 pairs; one already tied (either order) is skipped.
        let existing: BTreeSet<(i64, i64)> = [pair(3, 1)].into_iter().collect();
        let t = new_ties(&[], &[1, 2, 3, 2], TieKind::Collaboration, &existing, day);
        let pairs: Vec<(i64, i64)> = t.iter().map(|t| (t.from, t.to)).collect();
        assert_eq!(pairs, vec![(1, 2), (2, 3)]);
        assert!(t
            .iter()
            .all(|t| t.via_community && t.kind == TieKind::Collaboration));
        // A partner joining links to every current organization.
        let t = new_ties(&[1, 2, 3], &[9], TieKind::Alliance, &BTreeSet::new(), day);
        assert_eq!(t.len(), 3);
        assert!(t.iter().all(|t| t.to == 9 && t.started_on == day));
        // A partner already in the project adds nothing with itself.
        assert!(new_ties(&[1], &[1], TieKind::Alliance, &BTreeSet::new(), day).is_empty());
    }
}
