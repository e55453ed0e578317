//! Goals and objectives (the seed's Step 1), the community's phase and the conditions for the
//! next one, and the six steps checklist. Conditions and checklist items are computed from
//! [`Facts`] gathered from the data, never ticked by hand; what a later capability will measure
//! (events, polls, exchange) is reported as not yet measured, never as done.

use chrono::NaiveDate;

use crate::communities::Phase;
use crate::text_enum;
use crate::validate::{self, FieldErrors, Validated};

text_enum!(
    /// The horizon of a goal.
    Horizon {
        Short = "short",
        Medium = "medium",
        Long = "long",
    }
);

text_enum!(
    /// Where an objective stands.
    ObjectiveStatus {
        NotStarted = "not-started",
        OnTrack = "on-track",
        AtRisk = "at-risk",
        Achieved = "achieved",
        Dropped = "dropped",
    }
);

impl Phase {
    /// The phase a community moves to next, if any.
    pub fn next(self) -> Option<Phase> {
        match self {
            Phase::Convened => Some(Phase::CoLed),
            Phase::CoLed => Some(Phase::SelfManaged),
            Phase::SelfManaged => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoalInput {
    pub title: String,
    pub description: Option<String>,
    pub horizon: Horizon,
}

#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize)]
#[serde(default)]
pub struct GoalForm {
    pub title: String,
    pub description: String,
    pub horizon: String,
}

impl GoalForm {
    pub fn parse(&self) -> Validated<GoalInput> {
        let mut e = FieldErrors::new();
        let title = validate::required(&mut e, "title", &self.title, 200);
        let description = validate::optional(&mut e, "description", &self.description, 2000);
        let horizon = validate::choice(&mut e, "horizon", &self.horizon, Horizon::parse);
        match (horizon, e.is_empty()) {
            (Some(horizon), true) => Ok(GoalInput {
                title,
                description,
                horizon,
            }),
            _ => Err(e),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectiveInput {
    pub title: String,
    pub indicator: String,
    pub target: String,
    pub due_on: Option<NaiveDate>,
    pub status: ObjectiveStatus,
}

#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize)]
#[serde(default)]
pub struct ObjectiveForm {
    pub title: String,
    pub indicator: String,
    pub target: String,
    /// `YYYY-MM-DD`, optional.
    pub due_on: String,
    pub status: String,
}

/// Parses an optional `YYYY-MM-DD` date, recording `error-date`.
pub fn optional_date(e: &mut FieldErrors, field: &str, v: &str) -> Option<NaiveDate> {
    let v = v.trim();
    if v.is_empty() {
        return None;
    }
    let d = NaiveDate::parse_from_str(v, "%Y-%m-%d").ok();
    if d.is_none() {
        e.add(field, "error-date");
    }
    d
}

impl ObjectiveForm {
    pub fn parse(&self) -> Validated<ObjectiveInput> {
        let mut e = FieldErrors::new();
        let title = validate::required(&mut e, "title", &self.title, 200);
        let indicator = validate::required(&mut e, "indicator", &self.indicator, 500);
        let target = validate::required(&mut e, "target", &self.target, 200);
        let due_on = optional_date(&mut e, "due_on", &self.due_on);
        let status = if self.status.trim().is_empty() {
            Some(ObjectiveStatus::NotStarted)
        } else {
            validate::choice(&mut e, "status", &self.status, ObjectiveStatus::parse)
        };
        match (status, e.is_empty()) {
            (Some(status), true) => Ok(ObjectiveInput {
                title,
                indicator,
                target,
                due_on,
                status,
            }),
            _ => Err(e),
        }
    }
}

#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize)]
#[serde(default)]
pub struct StatusForm {
    pub status: String,
    pub comment: String,
}

impl StatusForm {
    pub fn parse(&self) -> Validated<(ObjectiveStatus, Option<String>)> {
        let mut e = FieldErrors::new();
        let status = validate::choice(&mut e, "status", &self.status, ObjectiveStatus::parse);
        let comment = validate::optional(&mut e, "comment", &self.comment, 2000);
        match (status, e.is_empty()) {
            (Some(s), true) => Ok((s, comment)),
            _ => Err(e),
        }
    }
}

/// What the data says about a community, gathered in a fixed number of queries.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Facts {
    pub goals: i64,
    /// Goals that have at least one objective.
    pub goals_with_objectives: i64,
    /// Distinct horizons among goals.
    pub horizons: i64,
    pub member_organizations: i64,
    /// Distinct kinds (sectors) among member organizations.
    pub organization_kinds: i64,
    /// Distinct position levels among member people.
    pub position_levels: i64,
    /// A member who is not a convener holds the leader or co-leader role.
    pub members_co_lead: bool,
    /// A member who is not a convener holds the leader role.
    pub member_leads: bool,
    pub charter_adopted: bool,
    pub decisions: i64,
    /// Rotating roles with a rotation policy.
    pub rotation_policies: i64,
}

/// Whether a condition holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum State {
    Met,
    NotMet,
    /// Measured by a capability that does not exist yet: never counted as met.
    NotYetMeasured,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Check {
    /// Stable id, also the suffix of its Fluent message (`gov-check-<key>`).
    pub key: &'static str,
    pub state: State,
    /// The community section where the evidence is (`goals`, `members`, `charter` …), if any.
    pub evidence: Option<&'static str>,
}

fn check(key: &'static str, met: bool, evidence: &'static str) -> Check {
    Check {
        key,
        state: if met { State::Met } else { State::NotMet },
        evidence: Some(evidence),
    }
}

fn not_yet(key: &'static str) -> Check {
    Check {
        key,
        state: State::NotYetMeasured,
        evidence: None,
    }
}

/// The conditions for moving to `next`, computed from the facts.
pub fn phase_conditions(next: Phase, f: &Facts) -> Vec<Check> {
    match next {
        Phase::Convened => vec![],
        Phase::CoLed => vec![
            check(
                "goals-with-objectives",
                f.goals_with_objectives > 0,
                "governance",
            ),
            check(
                "three-member-organizations",
                f.member_organizations >= 3,
                "members",
            ),
            check("members-co-lead", f.members_co_lead, "members"),
        ],
        Phase::SelfManaged => vec![
            check("member-leads", f.member_leads, "members"),
            check("charter-adopted", f.charter_adopted, "charter"),
            check("rotation-defined", f.rotation_policies > 0, "rotation"),
            not_yet("events-facilitated-by-members"),
        ],
    }
}

/// One of the seed's six steps with what the data shows for it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Step {
    pub number: u8,
    /// Suffix of the step's Fluent messages (`gov-step-<key>`, `gov-step-<key>-consideration` …).
    pub key: &'static str,
    pub checks: Vec<Check>,
}

pub fn six_steps(f: &Facts) -> Vec<Step> {
    vec![
        Step {
            number: 1,
            key: "goals",
            checks: vec![
                check("goals-defined", f.goals > 0, "governance"),
                check(
                    "goals-with-objectives",
                    f.goals > 0 && f.goals_with_objectives == f.goals,
                    "governance",
                ),
                check("horizons", f.horizons >= 2, "governance"),
            ],
        },
        Step {
            number: 2,
            key: "participants",
            checks: vec![
                check(
                    "three-member-organizations",
                    f.member_organizations >= 3,
                    "members",
                ),
                check("mix-of-kinds", f.organization_kinds >= 2, "members"),
                check("staff-levels", f.position_levels >= 2, "members"),
            ],
        },
        Step {
            number: 3,
            key: "governance",
            checks: vec![
                check("charter-adopted", f.charter_adopted, "charter"),
                check("members-co-lead", f.members_co_lead, "members"),
                check("rotation-defined", f.rotation_policies > 0, "rotation"),
                check("decisions-recorded", f.decisions > 0, "decisions"),
            ],
        },
        Step {
            number: 4,
            key: "agenda",
            checks: vec![
                not_yet("agenda-co-created"),
                not_yet("facilitation-rotated"),
            ],
        },
        Step {
            number: 5,
            key: "network",
            checks: vec![not_yet("exchange-happening"), not_yet("peer-support")],
        },
        Step {
            number: 6,
            key: "learn",
            checks: vec![not_yet("reviews-held"), not_yet("polls-held")],
        },
    ]
}

/// Counts of objectives by status, for "progress at a glance".
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Progress {
    pub total: i64,
    pub not_started: i64,
    pub on_track: i64,
    pub at_risk: i64,
    pub achieved: i64,
    pub dropped: i64,
}

impl Progress {
    pub fn from_statuses<'a>(statuses: impl IntoIterator<Item = &'a str>) -> Progress {
        let mut p = Progress::default();
        for s in statuses {
            p.total += 1;
            match ObjectiveStatus::parse(s) {
                Some(ObjectiveStatus::NotStarted) | None => p.not_started += 1,
                Some(ObjectiveStatus::OnTrack) => p.on_track += 1,
                Some(ObjectiveStatus::AtRisk) => p.at_risk += 1,
                Some(ObjectiveStatus::Achieved) => p.achieved += 1,
                Some(ObjectiveStatus::Dropped) => p.dropped += 1,
            }
        }
        p
    }
    /// Achieved among those not dropped, as a whole percentage.
    pub fn percent_achieved(&self) -> i64 {
        let live = self.total - self.dropped;
        if live <= 0 {
            0
        } else {
            self.achieved * 100 / live
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms() {
        let e = GoalForm {
            title: "".into(),
            horizon: "eventually".into(),
            ..Default::default()
        }
        .parse()
        .unwrap_err();
        assert_eq!(e.get("title"), Some("error-required"));
        assert_eq!(e.get("horizon"), Some("error-invalid-choice"));
        let o = ObjectiveForm {
            title: "Capacitar".into(),
            indicator: "Personas capacitadas".into(),
            target: "40".into(),
            ..Default::default()
        }
        .parse()
        .unwrap();
        assert_eq!(o.status, ObjectiveStatus::NotStarted);
        let e = ObjectiveForm {
            due_on: "mañana".into(),
            ..Default::default()
        }
        .parse()
        .unwrap_err();
        assert_eq!(e.get("due_on"), Some("error-date"));
        assert_eq!(e.get("indicator"), Some("error-required"));
    }

    #[test]
    fn phases_advance_and_conditions_follow_the_data() {
        assert_eq!(Phase::Convened.next(), Some(Phase::CoLed));
        assert_eq!(Phase::SelfManaged.next(), None);
        let empty = Facts::default();
        assert!(phase_conditions(Phase::CoLed, &empty)
            .iter()
            .all(|c| c.state == State::NotMet));
        let f = Facts {
            goals: 1,
            goals_with_objectives: 1,
            member_organizations: 3,
            members_co_lead: true,
            ..Default::default()
        };
        assert!(phase_conditions(Phase::CoLed, &f)
            .iter()
            .all(|c| c.state == State::Met));
        // Self-management can never look complete while events are not measured.
        let all = Facts {
            member_leads: true,
            charter_adopted: true,
            rotation_policies: 2,
            ..f
        };
        let sm = phase_conditions(Phase::SelfManaged, &all);
        assert!(sm.iter().any(|c| c.state == State::NotYetMeasured));
        assert_eq!(sm.iter().filter(|c| c.state == State::Met).count(), 3);
    }

    #[test]
    fn six_steps_never_claim_what_is_not_measured() {
        let f = Facts {
            goals: 2,
            goals_with_objectives: 1,
            horizons: 2,
            member_organizations: 5,
            organization_kinds: 3,
            position_levels: 2,
            charter_adopted: true,
            members_co_lead: true,
            decisions: 1,
            rotation_policies: 1,
            member_leads: true,
        };
        let steps = six_steps(&f);
        assert_eq!(steps.len(), 6);
        assert_eq!(
            steps.iter().map(|s| s.number).collect::<Vec<_>>(),
            vec![1, 2, 3, 4, 5, 6]
        );
        // One goal lacks objectives.
        assert_eq!(steps[0].checks[1].state, State::NotMet);
        for s in &steps[3..] {
            assert!(s.checks.iter().all(|c| c.state == State::NotYetMeasured));
        }
    }

    #[test]
    fn progress() {
        let p = Progress::from_statuses(["achieved", "on-track", "dropped", "achieved", "at-risk"]);
        assert_eq!((p.total, p.achieved, p.dropped), (5, 2, 1));
        assert_eq!(p.percent_achieved(), 50);
        assert_eq!(Progress::default().percent_achieved(), 0);
    }
}
