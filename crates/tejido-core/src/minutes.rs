//! Minutes of events (*relatoría*, the seed's Step 6): the rapporteur's versioned text (summary
//! and key takeaways, draft then published), action items (*compromisos*) with an owner and a due
//! date, lessons learned, and each attendee's report-back to their organization (*devolución*),
//! whose share among attendees is the event's cascade rate. Forms parse once here; the rules
//! (when a reminder is due, the cascade rate) are pure functions.

use chrono::NaiveDate;

use crate::text_enum;
use crate::validate::{self, FieldErrors, Validated};

/// The longest summary or takeaways text, in characters.
pub const MAX_TEXT_CHARS: usize = 20_000;
/// A reminder is sent once, when an open item is due within this many days (or overdue).
pub const REMINDER_DAYS: i64 = 2;
/// The largest audience a report-back may claim.
pub const MAX_AUDIENCE: i32 = 1_000_000;

text_enum!(
    /// Where a version of the minutes stands.
    MinutesStatus {
        Draft = "draft",
        Published = "published",
    }
);

text_enum!(
    /// Where an action item stands.
    ActionStatus {
        Open = "open",
        Done = "done",
        Dropped = "dropped",
    }
);

text_enum!(
    /// How an attendee cascaded an event to their organization.
    ReportBackFormat {
        Meeting = "meeting",
        Email = "email",
        Workshop = "workshop",
        Document = "document",
        Other = "other",
    }
);

fn date(e: &mut FieldErrors, field: &str, v: &str) -> Option<NaiveDate> {
    let v = v.trim();
    if v.is_empty() {
        e.add(field, "error-required");
        return None;
    }
    match NaiveDate::parse_from_str(v, "%Y-%m-%d") {
        Ok(d) => Some(d),
        Err(_) => {
            e.add(field, "error-date");
            None
        }
    }
}

/// The minutes as typed: Markdown texts and whether to publish this version.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize)]
#[serde(default)]
pub struct MinutesForm {
    pub summary: String,
    pub takeaways: String,
    /// `draft` (the default) or `published`.
    pub status: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MinutesInput {
    pub summary: String,
    pub takeaways: Option<String>,
    pub status: MinutesStatus,
}

impl MinutesForm {
    pub fn parse(&self) -> Validated<MinutesInput> {
        let mut e = FieldErrors::new();
        let summary = validate::required(&mut e, "summary", &self.summary, MAX_TEXT_CHARS);
        let takeaways = validate::optional(&mut e, "takeaways", &self.takeaways, MAX_TEXT_CHARS);
        let status = if self.status.trim().is_empty() {
            Some(MinutesStatus::Draft)
        } else {
            validate::choice(&mut e, "status", &self.status, MinutesStatus::parse)
        };
        match status {
            Some(status) if e.is_empty() => Ok(MinutesInput {
                summary,
                takeaways,
                status,
            }),
            _ => Err(e),
        }
    }
}

/// An action item as typed: the owner is a person's id (chosen from the community's people).
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize)]
#[serde(default)]
pub struct ActionItemForm {
    pub title: String,
    pub owner: String,
    /// `YYYY-MM-DD`.
    pub due_on: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionItemInput {
    pub title: String,
    pub owner_person_id: i64,
    pub due_on: NaiveDate,
}

impl ActionItemForm {
    pub fn parse(&self) -> Validated<ActionItemInput> {
        let mut e = FieldErrors::new();
        let title = validate::required(&mut e, "title", &self.title, 300);
        let owner = validate::choice(&mut e, "owner", &self.owner, |s| {
            s.parse::<i64>().ok().filter(|v| *v > 0)
        });
        let due_on = date(&mut e, "due_on", &self.due_on);
        match (owner, due_on, e.is_empty()) {
            (Some(owner_person_id), Some(due_on), true) => Ok(ActionItemInput {
                title,
                owner_person_id,
                due_on,
            }),
            _ => Err(e),
        }
    }
}

/// A status change of an action item.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize)]
#[serde(default)]
pub struct ActionStatusForm {
    pub status: String,
    /// Where the page form came from (`list` for the community's list); ignored by the API.
    #[serde(skip_serializing)]
    pub from: String,
}

impl ActionStatusForm {
    pub fn parse(&self) -> Validated<ActionStatus> {
        let mut e = FieldErrors::new();
        let s = validate::choice(&mut e, "status", &self.status, ActionStatus::parse);
        match s {
            Some(s) => Ok(s),
            None => Err(e),
        }
    }
}

/// A lesson learned, kept as its own row so the knowledge library can gather them.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize)]
#[serde(default)]
pub struct LessonForm {
    pub text: String,
}

impl LessonForm {
    pub fn parse(&self) -> Validated<String> {
        let mut e = FieldErrors::new();
        let t = validate::required(&mut e, "text", &self.text, 2_000);
        e.into_result(t)
    }
}

/// How an attendee cascaded the event to their organization.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize)]
#[serde(default)]
pub struct ReportBackForm {
    /// `YYYY-MM-DD`.
    pub reported_on: String,
    pub format: String,
    pub audience: String,
    pub notes: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportBackInput {
    pub reported_on: NaiveDate,
    pub format: ReportBackFormat,
    pub audience: i32,
    pub notes: Option<String>,
}

impl ReportBackForm {
    pub fn parse(&self) -> Validated<ReportBackInput> {
        let mut e = FieldErrors::new();
        let reported_on = date(&mut e, "reported_on", &self.reported_on);
        let format = validate::choice(&mut e, "format", &self.format, ReportBackFormat::parse);
        let audience = match self.audience.trim() {
            "" => {
                e.add("audience", "error-required");
                None
            }
            v => match v.parse::<i32>() {
                Ok(n) if (0..=MAX_AUDIENCE).contains(&n) => Some(n),
                _ => {
                    e.add("audience", "error-count");
                    None
                }
            },
        };
        let notes = validate::optional(&mut e, "notes", &self.notes, 5_000);
        match (reported_on, format, audience, e.is_empty()) {
            (Some(reported_on), Some(format), Some(audience), true) => Ok(ReportBackInput {
                reported_on,
                format,
                audience,
                notes,
            }),
            _ => Err(e),
        }
    }
}

/// The cascade rate as a whole percentage: attendees who reported back over attendees, rounded
/// half up. `None` when nobody attended (a rate of nothing is not 0 %).
pub fn cascade_percent(reported: i64, attendees: i64) -> Option<i64> {
    if attendees <= 0 {
        return None;
    }
    let reported = reported.clamp(0, attendees);
    Some((reported * 200 + attendees) / (2 * attendees))
}

/// The last due date that gets a reminder today: items due on or before it, still open and not
/// yet reminded, are reminded.
pub fn reminder_horizon(today: NaiveDate) -> NaiveDate {
    today + chrono::Duration::days(REMINDER_DAYS)
}

/// True when an item should be reminded today.
pub fn reminder_due(
    status: ActionStatus,
    due_on: NaiveDate,
    reminded: bool,
    today: NaiveDate,
) -> bool {
    status == ActionStatus::Open && !reminded && due_on <= reminder_horizon(today)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn cascade_rate() {
        assert_eq!(cascade_percent(0, 0), None);
        assert_eq!(cascade_percent(0, 7), Some(0));
        assert_eq!(cascade_percent(1, 3), Some(33));
        assert_eq!(cascade_percent(2, 3), Some(67));
        assert_eq!(cascade_percent(1, 8), Some(13));
        assert_eq!(cascade_percent(5, 5), Some(100));
        // More reports than attendees (a registration cancelled later) never exceeds 100 %.
        assert_eq!(cascade_percent(6, 5), Some(100));
    }

    #[test]
    fn minutes_need_a_summary() {
        let e = MinutesForm::default().parse().unwrap_err();
        assert_eq!(e.get("summary"), Some("error-required"));
        let ok = MinutesForm {
            summary: "Revisamos el plan".into(),
            takeaways: "  ".into(),
            status: "published".into(),
        }
        .parse()
        .unwrap();
        assert_eq!(ok.takeaways, None);
        assert_eq!(ok.status, MinutesStatus::Published);
        let bad = MinutesForm {
            summary: "x".into(),
            status: "final".into(),
            ..Default::default()
        };
        assert_eq!(
            bad.parse().unwrap_err().get("status"),
            Some("error-invalid-choice")
        );
    }

    #[test]
    fn action_items_need_an_owner_and_a_date() {
        let f = ActionItemForm {
            title: "Enviar la relatoría".into(),
            owner: String::new(),
            due_on: "30/11/2026".into(),
        };
        let e = f.parse().unwrap_err();
        assert_eq!(e.get("owner"), Some("error-required"));
        assert_eq!(e.get("due_on"), Some("error-date"));
        let ok = ActionItemForm {
            owner: "12".into(),
            due_on: "2026-11-30".into(),
            ..f
        }
        .parse()
        .unwrap();
        assert_eq!((ok.owner_person_id, ok.due_on), (12, d("2026-11-30")));
        let neg = ActionItemForm {
            title: "x".into(),
            owner: "-1".into(),
            due_on: "2026-11-30".into(),
        };
        assert_eq!(
            neg.parse().unwrap_err().get("owner"),
            Some("error-invalid-choice")
        );
    }

    #[test]
    fn report_back_audience_is_not_negative() {
        let f = ReportBackForm {
            reported_on: "2026-11-28".into(),
            format: "workshop".into(),
            audience: "-3".into(),
            notes: String::new(),
        };
        assert_eq!(f.parse().unwrap_err().get("audience"), Some("error-count"));
        let ok = ReportBackForm {
            audience: "0".into(),
            ..f.clone()
        }
        .parse()
        .unwrap();
        assert_eq!((ok.audience, ok.format), (0, ReportBackFormat::Workshop));
        let e = ReportBackForm {
            format: "fax".into(),
            audience: "doce".into(),
            ..f
        }
        .parse()
        .unwrap_err();
        assert_eq!(e.get("format"), Some("error-invalid-choice"));
        assert_eq!(e.get("audience"), Some("error-count"));
    }

    #[test]
    fn reminders_within_two_days_once() {
        let today = d("2026-11-25");
        assert!(reminder_due(
            ActionStatus::Open,
            d("2026-11-27"),
            false,
            today
        ));
        assert!(reminder_due(
            ActionStatus::Open,
            d("2026-11-20"),
            false,
            today
        ));
        assert!(!reminder_due(
            ActionStatus::Open,
            d("2026-11-28"),
            false,
            today
        ));
        assert!(!reminder_due(
            ActionStatus::Open,
            d("2026-11-26"),
            true,
            today
        ));
        assert!(!reminder_due(
            ActionStatus::Done,
            d("2026-11-26"),
            false,
            today
        ));
    }
}
