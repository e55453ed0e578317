//! The decision log (*registro de acuerdos*): what was decided, when, how and by whom. Entries
//! are never edited; a correction is a new entry that points at the one it corrects.

use chrono::NaiveDate;

use crate::text_enum;
use crate::validate::{self, FieldErrors, Validated};

text_enum!(
    /// How a decision was taken.
    Method {
        Consensus = "consensus",
        Vote = "vote",
        Leadership = "leadership",
    }
);

text_enum!(
    /// What a decision came from, when it came from somewhere in Tejido.
    Source {
        Charter = "charter",
        Phase = "phase",
        Rotation = "rotation",
        Event = "event",
    }
);

/// A validated decision, ready to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionInput {
    pub title: String,
    pub body: Option<String>,
    pub decided_on: NaiveDate,
    pub method: Method,
    /// For, against, abstentions: required for a vote, absent otherwise.
    pub votes: Option<(i32, i32, i32)>,
    pub decided_by: Option<String>,
    pub source: Option<(Source, i64)>,
    pub corrects: Option<i64>,
}

#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize)]
#[serde(default)]
pub struct DecisionForm {
    pub title: String,
    pub body: String,
    /// `YYYY-MM-DD`.
    pub decided_on: String,
    pub method: String,
    pub votes_for: String,
    pub votes_against: String,
    pub votes_abstain: String,
    pub decided_by: String,
    /// The id of the decision this one corrects, if any.
    pub corrects: String,
}

fn count(e: &mut FieldErrors, field: &str, v: &str) -> Option<i32> {
    match v.trim().parse::<i32>() {
        Ok(n) if (0..=100_000).contains(&n) => Some(n),
        _ => {
            e.add(field, "error-count");
            None
        }
    }
}

impl DecisionForm {
    pub fn parse(&self) -> Validated<DecisionInput> {
        let mut e = FieldErrors::new();
        let title = validate::required(&mut e, "title", &self.title, 300);
        let body = validate::optional(&mut e, "body", &self.body, 10_000);
        let decided_on = match NaiveDate::parse_from_str(self.decided_on.trim(), "%Y-%m-%d") {
            Ok(d) => Some(d),
            Err(_) => {
                e.add(
                    "decided_on",
                    if self.decided_on.trim().is_empty() {
                        "error-required"
                    } else {
                        "error-date"
                    },
                );
                None
            }
        };
        let method = validate::choice(&mut e, "method", &self.method, Method::parse);
        let votes = if method == Some(Method::Vote) {
            let f = count(&mut e, "votes_for", &self.votes_for);
            let a = count(&mut e, "votes_against", &self.votes_against);
            let ab = if self.votes_abstain.trim().is_empty() {
                Some(0)
            } else {
                count(&mut e, "votes_abstain", &self.votes_abstain)
            };
            match (f, a, ab) {
                (Some(f), Some(a), Some(ab)) => Some((f, a, ab)),
                _ => None,
            }
        } else {
            None
        };
        let decided_by = validate::optional(&mut e, "decided_by", &self.decided_by, 300);
        let corrects = validate::optional_choice(&mut e, "corrects", &self.corrects, |s| {
            s.parse::<i64>().ok().filter(|v| *v > 0)
        });
        match (decided_on, method, e.is_empty()) {
            (Some(decided_on), Some(method), true) => Ok(DecisionInput {
                title,
                body,
                decided_on,
                method,
                votes,
                decided_by,
                source: None,
                corrects,
            }),
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_vote_needs_counts() {
        let f = DecisionForm {
            title: "Adoptar la carta".into(),
            decided_on: "2026-11-20".into(),
            method: "vote".into(),
            ..Default::default()
        };
        let e = f.parse().unwrap_err();
        assert_eq!(e.get("votes_for"), Some("error-count"));
        let ok = DecisionForm {
            votes_for: "12".into(),
            votes_against: "1".into(),
            ..f
        }
        .parse()
        .unwrap();
        assert_eq!(ok.votes, Some((12, 1, 0)));
    }

    #[test]
    fn consensus_has_no_counts_and_dates_are_checked() {
        let f = DecisionForm {
            title: "x".into(),
            decided_on: "20/11/2026".into(),
            method: "consensus".into(),
            ..Default::default()
        };
        assert_eq!(f.parse().unwrap_err().get("decided_on"), Some("error-date"));
        let ok = DecisionForm {
            decided_on: "2026-11-20".into(),
            votes_for: "3".into(),
            ..f
        }
        .parse()
        .unwrap();
        assert_eq!(ok.votes, None);
    }
}
