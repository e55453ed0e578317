//! The participatory agenda of an event (the seed's Step 4: members take the agenda over from the
//! convener): topic proposals, dot voting with a fixed budget per member, the tally, agenda slots
//! built from the proposals (or left open for topics raised on the day), and the event roles.
//! Pure: forms parse once, rules are plain functions; storage and the web layer call them.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};

use crate::communities::Role;
use crate::text_enum;
use crate::validate::{self, FieldErrors, Validated};

text_enum!(
    /// How a session is run (see METHODS.md).
    Methodology {
        OpenSpace = "open-space",
        WorldCafe = "world-cafe",
        OneTwoFourAll = "1-2-4-all",
        Panel = "panel",
        SiteVisit = "site-visit-debrief",
        AfterActionReview = "after-action-review",
        Other = "other",
    }
);

/// The roles an event needs, each proposed from the community's rotation.
pub const EVENT_ROLES: [Role; 3] = [Role::Facilitator, Role::Rapporteur, Role::Timekeeper];

/// True for a role an event records.
pub fn is_event_role(r: Role) -> bool {
    EVENT_ROLES.contains(&r)
}

/// Most topics an event takes, and most slots in its agenda (a day has only so many hours).
pub const MAX_TOPICS: i64 = 200;
pub const MAX_ITEMS: i64 = 100;
/// Most dots an event may give each member.
pub const MAX_DOTS: i64 = 50;

// ---- topics -------------------------------------------------------------------------------------

#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct TopicForm {
    pub title: String,
    pub why: String,
    pub methodology: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicInput {
    pub title: String,
    pub why: String,
    pub methodology: Option<Methodology>,
}

impl TopicForm {
    pub fn parse(&self) -> Validated<TopicInput> {
        let mut e = FieldErrors::new();
        let title = validate::required(&mut e, "title", &self.title, 200);
        let why = validate::required(&mut e, "why", &self.why, 2000);
        let methodology =
            validate::optional_choice(&mut e, "methodology", &self.methodology, Methodology::parse);
        e.into_result(TopicInput {
            title,
            why,
            methodology,
        })
    }
}

// ---- dot voting ---------------------------------------------------------------------------------

/// Whether voting is still open at `now`. Without a deadline, voting closes when the event starts;
/// it is closed in any case once the event is no longer ahead (`active` false: held or cancelled).
pub fn voting_open(
    closes_at: Option<DateTime<Utc>>,
    event_starts: DateTime<Utc>,
    active: bool,
    now: DateTime<Utc>,
) -> bool {
    active && now < closes_at.unwrap_or(event_starts)
}

/// Results are hidden until voting closes, except to those who manage the community.
pub fn results_visible(
    manage: bool,
    closes_at: Option<DateTime<Utc>>,
    event_starts: DateTime<Utc>,
    active: bool,
    now: DateTime<Utc>,
) -> bool {
    manage || !voting_open(closes_at, event_starts, active, now)
}

/// Checks a member's whole ballot — `(topic id, dots)` pairs as typed — against the event's
/// open topics and the dot budget. Dots may be spread or stacked; zero-dot lines are dropped;
/// a topic named twice adds up. A ballot over the budget is refused as a whole.
pub fn check_ballot(
    lines: &[(i64, i64)],
    open_topics: &[i64],
    budget: i64,
) -> Validated<Vec<(i64, i64)>> {
    let mut e = FieldErrors::new();
    let mut out: Vec<(i64, i64)> = Vec::new();
    for &(topic, dots) in lines {
        if dots < 0 {
            e.add("votes", "agenda-error-negative-dots");
            continue;
        }
        if dots == 0 {
            continue;
        }
        if !open_topics.contains(&topic) {
            e.add("votes", "agenda-error-unknown-topic");
            continue;
        }
        match out.iter_mut().find(|(t, _)| *t == topic) {
            Some(line) => line.1 = line.1.saturating_add(dots),
            None => out.push((topic, dots)),
        }
    }
    let total = out.iter().fold(0i64, |a, (_, d)| a.saturating_add(*d));
    if total > budget {
        e.add("votes", "agenda-error-over-budget");
    }
    out.sort_unstable();
    e.into_result(out)
}

/// Parses the page's ballot fields `dots-<topic id>`; other fields are ignored, a non-number
/// is an error.
pub fn ballot_from_fields(fields: &[(String, String)]) -> Validated<Vec<(i64, i64)>> {
    let mut e = FieldErrors::new();
    let mut out = Vec::new();
    for (k, v) in fields {
        let Some(id) = k.strip_prefix("dots-").and_then(|s| s.parse::<i64>().ok()) else {
            continue;
        };
        let v = v.trim();
        if v.is_empty() {
            continue;
        }
        match v.parse::<i64>() {
            Ok(d) => out.push((id, d)),
            Err(_) => e.add("votes", "agenda-error-dots-number"),
        }
    }
    e.into_result(out)
}

/// One topic's result.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Tally {
    pub topic_id: i64,
    pub dots: i64,
    pub voters: i64,
}

/// Adds up `(topic id, dots)` votes for the given topics: most dots first, then most voters
/// (broader support), then the earliest topic. Topics without votes are included with zero.
pub fn tally(topics: &[i64], votes: &[(i64, i64)]) -> Vec<Tally> {
    let mut out: Vec<Tally> = topics
        .iter()
        .map(|&t| Tally {
            topic_id: t,
            dots: 0,
            voters: 0,
        })
        .collect();
    for &(topic, dots) in votes {
        if let Some(t) = out.iter_mut().find(|t| t.topic_id == topic) {
            t.dots = t.dots.saturating_add(dots);
            t.voters += 1;
        }
    }
    out.sort_by(|a, b| {
        b.dots
            .cmp(&a.dots)
            .then(b.voters.cmp(&a.voters))
            .then(a.topic_id.cmp(&b.topic_id))
    });
    out
}

// ---- agenda slots -------------------------------------------------------------------------------

/// A slot of the agenda as typed: local date and times in the event's zone.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct SlotForm {
    /// A proposal this slot takes up (its proposer is credited); empty for none.
    pub topic_id: String,
    pub title: String,
    pub date: String,
    pub starts_at: String,
    pub ends_at: String,
    pub methodology: String,
    pub facilitator: String,
    pub co_facilitator: String,
    /// "on"/"true" for an open-space slot kept for topics raised on the day.
    pub open_space: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlotInput {
    pub topic_id: Option<i64>,
    /// `None` when the slot takes its title from the topic.
    pub title: Option<String>,
    pub date: NaiveDate,
    pub starts: NaiveTime,
    pub ends: NaiveTime,
    pub methodology: Methodology,
    pub facilitators: Vec<i64>,
    pub open_space: bool,
}

fn parse_id(e: &mut FieldErrors, field: &str, v: &str) -> Option<i64> {
    let v = v.trim();
    if v.is_empty() {
        return None;
    }
    match v.parse::<i64>() {
        Ok(n) if n > 0 => Some(n),
        _ => {
            e.add(field, "error-invalid-choice");
            None
        }
    }
}

fn parse_time(e: &mut FieldErrors, field: &str, v: &str) -> Option<NaiveTime> {
    let v = v.trim();
    if v.is_empty() {
        e.add(field, "error-required");
        return None;
    }
    let t = NaiveTime::parse_from_str(v, "%H:%M")
        .or_else(|_| NaiveTime::parse_from_str(v, "%H:%M:%S"))
        .ok();
    if t.is_none() {
        e.add(field, "agenda-error-time");
    }
    t
}

impl SlotForm {
    pub fn parse(&self) -> Validated<SlotInput> {
        let mut e = FieldErrors::new();
        let open_space = matches!(self.open_space.trim(), "on" | "true" | "1" | "yes");
        let topic_id = parse_id(&mut e, "topic_id", &self.topic_id);
        let title = validate::optional(&mut e, "title", &self.title, 200);
        if topic_id.is_none() && title.is_none() && !open_space {
            e.add("title", "agenda-error-title-or-topic");
        }
        if open_space && topic_id.is_some() {
            e.add("topic_id", "agenda-error-open-space-topic");
        }
        let date = match NaiveDate::parse_from_str(self.date.trim(), "%Y-%m-%d") {
            Ok(d) => Some(d),
            Err(_) => {
                e.add("date", "error-date");
                None
            }
        };
        let starts = parse_time(&mut e, "starts_at", &self.starts_at);
        let ends = parse_time(&mut e, "ends_at", &self.ends_at);
        if let (Some(s), Some(x)) = (starts, ends) {
            if x <= s {
                e.add("ends_at", "agenda-error-ends-before");
            }
        }
        let methodology = if open_space && self.methodology.trim().is_empty() {
            Some(Methodology::OpenSpace)
        } else {
            validate::choice(&mut e, "methodology", &self.methodology, Methodology::parse)
        };
        let mut facilitators = Vec::new();
        for (field, v) in [
            ("facilitator", &self.facilitator),
            ("co_facilitator", &self.co_facilitator),
        ] {
            if let Some(id) = parse_id(&mut e, field, v) {
                if !facilitators.contains(&id) {
                    facilitators.push(id);
                }
            }
        }
        match (date, starts, ends, methodology) {
            (Some(date), Some(starts), Some(ends), Some(methodology)) if e.is_empty() => {
                Ok(SlotInput {
                    topic_id,
                    title,
                    date,
                    starts,
                    ends,
                    methodology,
                    facilitators,
                    open_space,
                })
            }
            _ => {
                if e.is_empty() {
                    e.add("date", "error-date");
                }
                Err(e)
            }
        }
    }
}

// ---- event roles --------------------------------------------------------------------------------

/// Picks, per event role in order, the first upcoming holder from that role's rotation who does
/// not already hold another role at this event. `upcoming[i]` are the next turns (person ids) of
/// `EVENT_ROLES[i]`. `None` when nobody is free.
pub fn propose_roles(upcoming: &[Vec<i64>]) -> Vec<Option<i64>> {
    let mut taken: Vec<i64> = Vec::new();
    upcoming
        .iter()
        .map(|turns| {
            let pick = turns.iter().copied().find(|p| !taken.contains(p));
            if let Some(p) = pick {
                taken.push(p);
            }
            pick
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn topic_form_requires_title_and_why() {
        let e = TopicForm::default().parse().unwrap_err();
        assert_eq!(e.get("title"), Some("error-required"));
        assert_eq!(e.get("why"), Some("error-required"));
        let ok = TopicForm {
            title: " Mediación escolar ".into(),
            why: "Nos lo piden".into(),
            methodology: "world-cafe".into(),
        }
        .parse()
        .unwrap();
        assert_eq!(ok.title, "Mediación escolar");
        assert_eq!(ok.methodology, Some(Methodology::WorldCafe));
        let bad = TopicForm {
            title: "x".into(),
            why: "y".into(),
            methodology: "karaoke".into(),
        }
        .parse()
        .unwrap_err();
        assert_eq!(bad.get("methodology"), Some("error-invalid-choice"));
    }

    #[test]
    fn ballot_spreads_stacks_and_respects_budget() {
        let topics = [1, 2, 3];
        assert_eq!(
            check_ballot(&[(1, 1), (2, 1), (3, 1)], &topics, 3).unwrap(),
            vec![(1, 1), (2, 1), (3, 1)]
        );
        assert_eq!(
            check_ballot(&[(2, 3), (1, 0)], &topics, 3).unwrap(),
            vec![(2, 3)]
        );
        assert_eq!(
            check_ballot(&[(2, 1), (2, 2)], &topics, 3).unwrap(),
            vec![(2, 3)]
        );
        let over = check_ballot(&[(1, 2), (2, 2)], &topics, 3).unwrap_err();
        assert_eq!(over.get("votes"), Some("agenda-error-over-budget"));
        let unknown = check_ballot(&[(9, 1)], &topics, 3).unwrap_err();
        assert_eq!(unknown.get("votes"), Some("agenda-error-unknown-topic"));
        let neg = check_ballot(&[(1, -1), (2, 4)], &topics, 3).unwrap_err();
        assert_eq!(neg.get("votes"), Some("agenda-error-negative-dots"));
        assert_eq!(check_ballot(&[], &topics, 3).unwrap(), vec![]);
    }

    #[test]
    fn ballot_fields_are_read_from_the_page() {
        let f = vec![
            ("_csrf".to_owned(), "x".to_owned()),
            ("dots-4".to_owned(), "2".to_owned()),
            ("dots-5".to_owned(), "".to_owned()),
        ];
        assert_eq!(ballot_from_fields(&f).unwrap(), vec![(4, 2)]);
        let bad = vec![("dots-4".to_owned(), "dos".to_owned())];
        assert!(ballot_from_fields(&bad).is_err());
    }

    #[test]
    fn tally_orders_by_dots_then_voters_then_age() {
        let t = tally(&[1, 2, 3, 4], &[(1, 3), (2, 1), (2, 2), (3, 3), (9, 5)]);
        let order: Vec<i64> = t.iter().map(|x| x.topic_id).collect();
        // 2 has 3 dots from two voters, 1 and 3 have 3 from one each (1 is older), 4 has none.
        assert_eq!(order, vec![2, 1, 3, 4]);
        assert_eq!(t[0].dots, 3);
        assert_eq!(t[0].voters, 2);
        assert_eq!(t[3].dots, 0);
    }

    #[test]
    fn results_hidden_until_voting_closes_except_to_managers() {
        let starts = at("2026-12-10T16:00:00Z");
        let closes = Some(at("2026-12-01T00:00:00Z"));
        let before = at("2026-11-30T00:00:00Z");
        let after = at("2026-12-02T00:00:00Z");
        assert!(voting_open(closes, starts, true, before));
        assert!(!voting_open(closes, starts, true, after));
        assert!(!results_visible(false, closes, starts, true, before));
        assert!(results_visible(true, closes, starts, true, before));
        assert!(results_visible(false, closes, starts, true, after));
        // Without a deadline, voting closes when the event starts.
        assert!(voting_open(None, starts, true, after));
        assert!(!voting_open(None, starts, true, at("2026-12-10T16:00:00Z")));
        // An event already held or cancelled takes no more votes and shows its results.
        assert!(!voting_open(closes, starts, false, before));
        assert!(results_visible(false, closes, starts, false, before));
    }

    #[test]
    fn slot_form_rules() {
        let base = SlotForm {
            topic_id: "7".into(),
            date: "2026-12-10".into(),
            starts_at: "10:00".into(),
            ends_at: "11:30".into(),
            methodology: "1-2-4-all".into(),
            facilitator: "3".into(),
            co_facilitator: "3".into(),
            ..Default::default()
        };
        let ok = base.parse().unwrap();
        assert_eq!(ok.topic_id, Some(7));
        assert_eq!(ok.facilitators, vec![3]);
        assert_eq!(ok.methodology, Methodology::OneTwoFourAll);
        let backwards = SlotForm {
            ends_at: "09:00".into(),
            ..base.clone()
        }
        .parse()
        .unwrap_err();
        assert_eq!(backwards.get("ends_at"), Some("agenda-error-ends-before"));
        let untitled = SlotForm {
            topic_id: String::new(),
            ..base.clone()
        }
        .parse()
        .unwrap_err();
        assert_eq!(untitled.get("title"), Some("agenda-error-title-or-topic"));
        let open = SlotForm {
            topic_id: String::new(),
            methodology: String::new(),
            open_space: "on".into(),
            ..base.clone()
        }
        .parse()
        .unwrap();
        assert!(open.open_space);
        assert_eq!(open.methodology, Methodology::OpenSpace);
        let bad_time = SlotForm {
            starts_at: "25:00".into(),
            ..base
        }
        .parse()
        .unwrap_err();
        assert_eq!(bad_time.get("starts_at"), Some("agenda-error-time"));
    }

    #[test]
    fn roles_are_proposed_without_doubling_up() {
        let p = propose_roles(&[vec![1, 2], vec![1, 3], vec![3, 1], vec![]]);
        assert_eq!(p, vec![Some(1), Some(3), None, None]);
        assert_eq!(
            propose_roles(&[vec![5], vec![6], vec![7]]),
            vec![Some(5), Some(6), Some(7)]
        );
    }
}
