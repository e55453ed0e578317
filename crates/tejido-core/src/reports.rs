//! Reports: the funder-ready report of a community over a period. Storage gathers [`Facts`] in a
//! fixed number of queries; [`build`] computes every figure from them once, and the page, the
//! CSV and XLSX datasets, the JSON API and the command line all read the same [`Report`].
//! [`Report::tables`] is the dataset behind every table; [`csv`] and [`xlsx::workbook`] write it.

pub mod xlsx;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{Months, NaiveDate};

/// The reporting period, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// Most days a report may span (a decade is plenty and keeps queries bounded).
pub const MAX_DAYS: i64 = 3660;

impl Period {
    /// The default period: the twelve months up to `today`.
    pub fn last_year(today: NaiveDate) -> Period {
        let from = today
            .checked_sub_months(Months::new(12))
            .and_then(|d| d.succ_opt())
            .unwrap_or(today);
        Period { from, to: today }
    }

    /// Parses `from`/`to` (YYYY-MM-DD, either may be empty for the default); the error is a
    /// catalog id.
    pub fn parse(from: &str, to: &str, today: NaiveDate) -> Result<Period, &'static str> {
        let d = |s: &str| NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok();
        let def = Period::last_year(today);
        let to = match to.trim() {
            "" => def.to,
            s => d(s).ok_or("report-error-bad-date")?,
        };
        let from = match from.trim() {
            "" => to
                .checked_sub_months(Months::new(12))
                .and_then(|x| x.succ_opt())
                .unwrap_or(to),
            s => d(s).ok_or("report-error-bad-date")?,
        };
        if from > to {
            return Err("report-error-from-after-to");
        }
        if (to - from).num_days() > MAX_DAYS {
            return Err("report-error-too-long");
        }
        Ok(Period { from, to })
    }

    pub fn contains(&self, d: NaiveDate) -> bool {
        self.from <= d && d <= self.to
    }
}

// ---- facts (what storage reads) ------------------------------------------------------------------

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct OverviewFacts {
    pub name: String,
    pub slug: String,
    pub purpose: String,
    pub themes: Vec<String>,
    pub geography: Option<String>,
    pub phase: String,
}

/// A phase change from the decision log.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PhaseChange {
    pub on: NaiveDate,
    pub title: String,
}

/// One membership term: an organization (with its name) or a person (never named in a report).
#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    pub organization: bool,
    pub name: Option<String>,
    pub joined_on: NaiveDate,
    pub left_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EventFacts {
    pub id: i64,
    pub date: NaiveDate,
    pub title: String,
    pub kind: String,
    pub mode: String,
    pub status: String,
}

/// A registration to an event of the period, with what the person declared.
#[derive(Debug, Clone, PartialEq)]
pub struct Registration {
    pub event_id: i64,
    pub person_id: i64,
    pub organization_id: Option<i64>,
    pub organization: Option<String>,
    pub level: Option<String>,
    pub youth: Option<bool>,
    pub gender: Option<String>,
    /// `present`, `remote`, `absent` or not taken.
    pub attendance: Option<String>,
}

/// A tie of the Local System map (non-sensitive kinds only).
#[derive(Debug, Clone, PartialEq)]
pub struct TieFacts {
    pub id: i64,
    pub from: i64,
    pub to: i64,
    pub from_sector: String,
    pub to_sector: String,
    pub started_on: NaiveDate,
    pub ended_on: Option<NaiveDate>,
    pub via_community: bool,
}

/// One event's local ownership index (computed by storage with `crate::ownership`).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct OwnershipPoint {
    pub date: NaiveDate,
    pub title: String,
    pub index: Option<u32>,
}

/// One answer to a numeric question (NPS or Likert) of a closed poll.
#[derive(Debug, Clone, PartialEq)]
pub struct PollAnswer {
    pub poll_id: i64,
    pub poll: String,
    pub closed_on: NaiveDate,
    pub question_id: i64,
    pub question: String,
    pub kind: String,
    pub value: f64,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Lesson {
    pub date: NaiveDate,
    pub event: String,
    pub text: String,
}

/// Everything a report is computed from.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    pub overview: OverviewFacts,
    pub phase_changes: Vec<PhaseChange>,
    pub terms: Vec<Term>,
    pub events: Vec<EventFacts>,
    pub registrations: Vec<Registration>,
    pub ties: Vec<TieFacts>,
    /// Current member organizations: (id, sector).
    pub member_orgs: Vec<(i64, String)>,
    pub ownership: Vec<OwnershipPoint>,
    pub poll_answers: Vec<PollAnswer>,
    pub lessons: Vec<Lesson>,
    /// Sections other capabilities compute (outcomes, projects, sustainability, funding):
    /// storage reads them with those capabilities' own functions.
    pub extra: Extra,
}

/// Significant outcomes of one theme: how many, and how many distinct organizations they name
/// (the seed's Tables 1–3).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ThemeRow {
    pub theme: String,
    pub outcomes: i64,
    pub organizations: i64,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct OutcomeItem {
    pub date: NaiveDate,
    pub theme: String,
    pub description: String,
    pub substantiation: String,
    pub organizations: i64,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ProjectItem {
    pub title: String,
    pub theme: Option<String>,
    pub status: String,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    pub members: i64,
    pub partners: i64,
    pub outcomes: i64,
}

/// One self-assessment round: the mean of each dimension (catalog ids in `dimensions`).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SustainabilityRound {
    pub title: String,
    pub closes_on: NaiveDate,
    pub respondents: i64,
    pub means: Vec<Option<f64>>,
}

#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Sustainability {
    /// Catalog ids of the dimensions, in the instrument's order.
    pub dimensions: Vec<String>,
    /// The scale's top value (the radar's outer ring).
    pub max: f64,
    /// Rounds that opened on or before the end of the period, oldest first.
    pub rounds: Vec<SustainabilityRound>,
}

/// One funding line: what (a source, category or organization), an amount in minor units
/// (cents, exact) and its currency.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MoneyLine {
    pub group: String,
    /// A catalog id when `translate`, else a name (an organization's).
    pub what: String,
    pub translate: bool,
    pub minor: i64,
    pub currency: String,
}

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Extra {
    pub outcome_themes: Vec<ThemeRow>,
    pub outcomes: Vec<OutcomeItem>,
    pub projects: Vec<ProjectItem>,
    pub sustainability: Sustainability,
    /// Groups: `income`, `in-kind`, `cost`, `organization`, each line per currency.
    pub funding: Vec<MoneyLine>,
}

// ---- the report ----------------------------------------------------------------------------------

#[derive(Debug, Clone, serde::Serialize)]
pub struct Overview {
    pub name: String,
    pub slug: String,
    pub purpose: String,
    pub themes: Vec<String>,
    pub geography: Option<String>,
    pub phase: String,
    pub phase_history: Vec<PhaseChange>,
}

/// How a membership changed over the period.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Flow {
    pub at_start: i64,
    pub joined: i64,
    pub left: i64,
    pub at_end: i64,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct OrgChange {
    pub on: NaiveDate,
    pub name: String,
    pub joined: bool,
}

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Membership {
    pub organizations: Flow,
    pub people: Flow,
    /// Organizations that joined or left in the period, by date.
    pub changes: Vec<OrgChange>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct EventRow {
    pub date: NaiveDate,
    pub title: String,
    pub kind: String,
    pub mode: String,
    pub status: String,
    pub registered: i64,
    pub in_person: i64,
    pub remote: i64,
}

/// Attendances of one group. `key` is the raw value (an organization name, a level, `yes`/`no`,
/// a declared gender); empty means "not declared".
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Group {
    pub key: String,
    pub attendances: i64,
    pub people: i64,
}

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Participation {
    pub attendances: i64,
    pub in_person: i64,
    pub remote: i64,
    pub people: i64,
    pub organizations: i64,
    pub by_organization: Vec<Group>,
    pub by_level: Vec<Group>,
    pub by_youth: Vec<Group>,
    pub by_gender: Vec<Group>,
}

/// The figures of the network on one date.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize)]
pub struct NetFigures {
    pub organizations: i64,
    pub ties: i64,
    pub density: f64,
    pub cross_sector_share: Option<f64>,
}

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct NetworkChange {
    pub baseline: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
    pub before: NetFigures,
    pub after: NetFigures,
    /// Ties active at the end that were not at the baseline.
    pub new_ties: i64,
    /// Of those, the ones formed through the community.
    pub new_ties_via_community: i64,
    /// Of those, the ones across sectors.
    pub new_cross_sector: i64,
    pub ended_ties: i64,
}

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Ownership {
    pub points: Vec<OwnershipPoint>,
    /// Last measured index minus the first, with two or more measured events.
    pub trend: Option<i64>,
}

/// A numeric question of a closed poll: NPS or the mean, hidden under the small-group threshold.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PollHighlight {
    pub closed_on: NaiveDate,
    pub poll: String,
    pub question: String,
    pub kind: String,
    pub responses: i64,
    /// `None` when fewer than `crate::polls::MIN_GROUP` answered.
    pub value: Option<f64>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Report {
    pub period: Period,
    pub overview: Overview,
    pub membership: Membership,
    pub events: Vec<EventRow>,
    pub participation: Participation,
    pub network: NetworkChange,
    pub ownership: Ownership,
    pub polls: Vec<PollHighlight>,
    pub lessons: Vec<Lesson>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// The numbered sections of the report page, in order (catalog ids `report-section-<key>`).
pub const SECTIONS: [&str; 12] = [
    "overview",
    "membership",
    "events",
    "participation",
    "outcomes",
    "projects",
    "network",
    "sustainability",
    "ownership",
    "polls",
    "lessons",
    "funding",
];

fn active(t: &TieFacts, on: NaiveDate) -> bool {
    t.started_on <= on && t.ended_on.is_none_or(|e| e > on)
}

fn member_on(joined: NaiveDate, left: Option<NaiveDate>, on: NaiveDate) -> bool {
    joined <= on && left.is_none_or(|l| l > on)
}

fn flow<'a>(terms: impl Iterator<Item = &'a Term> + Clone, p: Period) -> Flow {
    let before = p.from.pred_opt().unwrap_or(p.from);
    Flow {
        at_start: terms
            .clone()
            .filter(|t| member_on(t.joined_on, t.left_on, before))
            .count() as i64,
        joined: terms.clone().filter(|t| p.contains(t.joined_on)).count() as i64,
        left: terms
            .clone()
            .filter(|t| t.left_on.is_some_and(|l| p.contains(l)))
            .count() as i64,
        at_end: terms
            .filter(|t| member_on(t.joined_on, t.left_on, p.to))
            .count() as i64,
    }
}

/// The network figures on `on`: the actors are the current member organizations plus every
/// organization a tie active that day names; parallel and reciprocal ties count once (as
/// `tejido-graph` builds the undirected graph); the cross-sector share is the share of those
/// pairs whose two ends are of different sectors.
pub fn net_figures(ties: &[TieFacts], members: &[(i64, String)], on: NaiveDate) -> NetFigures {
    let mut nodes: BTreeSet<i64> = members.iter().map(|m| m.0).collect();
    let mut pairs: BTreeMap<(i64, i64), bool> = BTreeMap::new();
    for t in ties.iter().filter(|t| active(t, on)) {
        nodes.insert(t.from);
        nodes.insert(t.to);
        let key = (t.from.min(t.to), t.from.max(t.to));
        pairs.insert(key, t.from_sector != t.to_sector);
    }
    let n = nodes.len() as f64;
    let m = pairs.len() as f64;
    NetFigures {
        organizations: nodes.len() as i64,
        ties: pairs.len() as i64,
        density: if nodes.len() > 1 {
            2.0 * m / (n * (n - 1.0))
        } else {
            0.0
        },
        cross_sector_share: (!pairs.is_empty())
            .then(|| pairs.values().filter(|x| **x).count() as f64 / m),
    }
}

fn groups(rows: &[&Registration], key: impl Fn(&Registration) -> String) -> Vec<Group> {
    let mut g: BTreeMap<String, (i64, BTreeSet<i64>)> = BTreeMap::new();
    for r in rows {
        let e = g.entry(key(r)).or_default();
        e.0 += 1;
        e.1.insert(r.person_id);
    }
    let mut out: Vec<Group> = g
        .into_iter()
        .map(|(key, (attendances, people))| Group {
            key,
            attendances,
            people: people.len() as i64,
        })
        .collect();
    // Largest first; "not declared" (empty key) last.
    out.sort_by(|a, b| {
        a.key
            .is_empty()
            .cmp(&b.key.is_empty())
            .then(b.attendances.cmp(&a.attendances))
            .then(a.key.cmp(&b.key))
    });
    out
}

fn attended(r: &Registration) -> bool {
    matches!(r.attendance.as_deref(), Some("present" | "remote"))
}

/// Computes the report from its facts. Events, registrations, lessons and polls are expected to
/// be those of the period already; membership terms, ties and phase changes may be older.
pub fn build(f: &Facts, p: Period) -> Report {
    // Membership.
    let orgs = f.terms.iter().filter(|t| t.organization);
    let people = f.terms.iter().filter(|t| !t.organization);
    let mut changes: Vec<OrgChange> = Vec::new();
    for t in f.terms.iter().filter(|t| t.organization) {
        let name = t.name.clone().unwrap_or_default();
        if p.contains(t.joined_on) {
            changes.push(OrgChange {
                on: t.joined_on,
                name: name.clone(),
                joined: true,
            });
        }
        if let Some(l) = t.left_on.filter(|l| p.contains(*l)) {
            changes.push(OrgChange {
                on: l,
                name,
                joined: false,
            });
        }
    }
    changes.sort_by(|a, b| a.on.cmp(&b.on).then(a.name.cmp(&b.name)));
    let membership = Membership {
        organizations: flow(orgs, p),
        people: flow(people, p),
        changes,
    };

    // Events and participation.
    let regs: Vec<&Registration> = f
        .registrations
        .iter()
        .filter(|r| f.events.iter().any(|e| e.id == r.event_id))
        .collect();
    let mut per_event: HashMap<i64, (i64, i64, i64)> = HashMap::new();
    for r in &regs {
        let e = per_event.entry(r.event_id).or_default();
        e.0 += 1;
        match r.attendance.as_deref() {
            Some("present") => e.1 += 1,
            Some("remote") => e.2 += 1,
            _ => {}
        }
    }
    let mut events: Vec<EventRow> = f
        .events
        .iter()
        .filter(|e| p.contains(e.date))
        .map(|e| {
            let (registered, in_person, remote) = per_event.get(&e.id).copied().unwrap_or_default();
            EventRow {
                date: e.date,
                title: e.title.clone(),
                kind: e.kind.clone(),
                mode: e.mode.clone(),
                status: e.status.clone(),
                registered,
                in_person,
                remote,
            }
        })
        .collect();
    events.sort_by(|a, b| a.date.cmp(&b.date).then(a.title.cmp(&b.title)));
    let in_period: BTreeSet<i64> = f
        .events
        .iter()
        .filter(|e| p.contains(e.date))
        .map(|e| e.id)
        .collect();
    let att: Vec<&Registration> = regs
        .iter()
        .copied()
        .filter(|r| in_period.contains(&r.event_id) && attended(r))
        .collect();
    let participation = Participation {
        attendances: att.len() as i64,
        in_person: att
            .iter()
            .filter(|r| r.attendance.as_deref() == Some("present"))
            .count() as i64,
        remote: att
            .iter()
            .filter(|r| r.attendance.as_deref() == Some("remote"))
            .count() as i64,
        people: att
            .iter()
            .map(|r| r.person_id)
            .collect::<BTreeSet<_>>()
            .len() as i64,
        organizations: att
            .iter()
            .filter_map(|r| r.organization_id)
            .collect::<BTreeSet<_>>()
            .len() as i64,
        by_organization: groups(&att, |r| r.organization.clone().unwrap_or_default()),
        by_level: groups(&att, |r| r.level.clone().unwrap_or_default()),
        by_youth: groups(&att, |r| match r.youth {
            Some(true) => "yes".into(),
            Some(false) => "no".into(),
            None => String::new(),
        }),
        by_gender: groups(&att, |r| {
            r.gender
                .as_deref()
                .map(str::trim)
                .unwrap_or("")
                .to_lowercase()
        }),
    };

    // Network change against the baseline (the first day of the period).
    let before = net_figures(&f.ties, &f.member_orgs, p.from);
    let after = net_figures(&f.ties, &f.member_orgs, p.to);
    let new: Vec<&TieFacts> = f
        .ties
        .iter()
        .filter(|t| active(t, p.to) && !active(t, p.from))
        .collect();
    let network = NetworkChange {
        baseline: Some(p.from),
        end: Some(p.to),
        before,
        after,
        new_ties: new.len() as i64,
        new_ties_via_community: new.iter().filter(|t| t.via_community).count() as i64,
        new_cross_sector: new.iter().filter(|t| t.from_sector != t.to_sector).count() as i64,
        ended_ties: f
            .ties
            .iter()
            .filter(|t| active(t, p.from) && !active(t, p.to))
            .count() as i64,
    };

    // Local ownership within the period.
    let points: Vec<OwnershipPoint> = f
        .ownership
        .iter()
        .filter(|o| p.contains(o.date))
        .cloned()
        .collect();
    let values: Vec<Option<u32>> = points.iter().map(|o| o.index).collect();
    let ownership = Ownership {
        trend: crate::ownership::trend(&values),
        points,
    };

    // Poll highlights: one row per numeric question, in date order.
    let mut qs: BTreeMap<(NaiveDate, i64, i64), (&PollAnswer, Vec<f64>)> = BTreeMap::new();
    for a in f.poll_answers.iter().filter(|a| p.contains(a.closed_on)) {
        qs.entry((a.closed_on, a.poll_id, a.question_id))
            .or_insert_with(|| (a, Vec::new()))
            .1
            .push(a.value);
    }
    let polls = qs
        .into_values()
        .map(|(a, vals)| {
            let value = if crate::polls::group_visible(vals.len()) {
                if a.kind == "nps" {
                    crate::polls::nps(&vals)
                } else {
                    crate::polls::mean(&vals)
                }
            } else {
                None
            };
            PollHighlight {
                closed_on: a.closed_on,
                poll: a.poll.clone(),
                question: a.question.clone(),
                kind: a.kind.clone(),
                responses: vals.len() as i64,
                value: value.map(|v| (v * 100.0).round() / 100.0),
            }
        })
        .collect();

    let mut lessons: Vec<Lesson> = f
        .lessons
        .iter()
        .filter(|l| p.contains(l.date))
        .cloned()
        .collect();
    lessons.sort_by_key(|a| a.date);

    let mut phase_history: Vec<PhaseChange> = f
        .phase_changes
        .iter()
        .filter(|c| c.on <= p.to)
        .cloned()
        .collect();
    phase_history.sort_by_key(|a| a.on);

    Report {
        period: p,
        overview: Overview {
            name: f.overview.name.clone(),
            slug: f.overview.slug.clone(),
            purpose: f.overview.purpose.clone(),
            themes: f.overview.themes.clone(),
            geography: f.overview.geography.clone(),
            phase: f.overview.phase.clone(),
            phase_history,
        },
        membership,
        events,
        participation,
        network,
        ownership,
        polls,
        lessons,
        extra: f.extra.clone(),
    }
}

// ---- datasets ------------------------------------------------------------------------------------

/// A typed cell of a dataset.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Int(i64),
    Num(f64),
    Date(NaiveDate),
    Text(String),
}

impl Cell {
    fn opt_num(v: Option<f64>) -> Cell {
        v.map_or(Cell::Empty, |x| {
            Cell::Num((x * 10_000.0).round() / 10_000.0)
        })
    }
    /// The cell as CSV text (before quoting).
    pub fn csv_text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Int(v) => v.to_string(),
            Cell::Num(v) => v.to_string(),
            Cell::Date(d) => d.format("%Y-%m-%d").to_string(),
            Cell::Text(s) => s.clone(),
        }
    }
}

/// One dataset: `key` names it in URLs and file names; title and columns are translated.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub key: &'static str,
    pub title: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

/// The keys of the datasets, in order.
pub const TABLES: [&str; 18] = [
    "outcomes-by-theme",
    "outcomes",
    "projects",
    "sustainability",
    "funding",
    "membership",
    "membership-changes",
    "events",
    "participation-organizations",
    "participation-levels",
    "participation-youth",
    "participation-gender",
    "participation-mode",
    "network",
    "ownership",
    "polls",
    "lessons",
    "phases",
];

fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

impl Report {
    /// The datasets behind every table of the report. `t` translates a catalog id (column and
    /// table titles, and values such as event kinds: `<prefix>-<value>`).
    pub fn tables(&self, t: &dyn Fn(&str) -> String) -> Vec<Table> {
        let col = |ids: &[&str]| -> Vec<String> {
            ids.iter().map(|i| t(&format!("report-col-{i}"))).collect()
        };
        let label = |prefix: &str, v: &str| -> String {
            if v.is_empty() {
                t("report-not-declared")
            } else {
                t(&format!("{prefix}-{v}"))
            }
        };
        let group_rows = |gs: &[Group], f: &dyn Fn(&str) -> String| -> Vec<Vec<Cell>> {
            gs.iter()
                .map(|g| {
                    vec![
                        text(f(&g.key)),
                        Cell::Int(g.attendances),
                        Cell::Int(g.people),
                    ]
                })
                .collect()
        };
        let table = |key: &'static str, columns: Vec<String>, rows: Vec<Vec<Cell>>| Table {
            key,
            title: t(&format!("report-table-{key}")),
            columns,
            rows,
        };
        let m = &self.membership;
        let flow_row = |what: &str, f: &Flow| {
            vec![
                text(t(what)),
                Cell::Int(f.at_start),
                Cell::Int(f.joined),
                Cell::Int(f.left),
                Cell::Int(f.at_end),
            ]
        };
        let n = &self.network;
        let net_row = |what: &str, d: Option<NaiveDate>, f: &NetFigures| {
            vec![
                text(t(what)),
                d.map_or(Cell::Empty, Cell::Date),
                Cell::Int(f.organizations),
                Cell::Int(f.ties),
                Cell::opt_num(Some(f.density)),
                Cell::opt_num(f.cross_sector_share),
            ]
        };
        let pa = &self.participation;
        let x = &self.extra;
        let money = |m: &MoneyLine| Cell::Num(m.minor as f64 / 100.0);
        let mut sust_cols = vec![
            t("report-col-round"),
            t("report-col-date"),
            t("report-col-responses"),
        ];
        sust_cols.extend(x.sustainability.dimensions.iter().map(|d| t(d)));
        vec![
            table(
                "outcomes-by-theme",
                col(&["theme", "outcomes", "organizations"]),
                x.outcome_themes
                    .iter()
                    .map(|r| {
                        vec![
                            text(r.theme.clone()),
                            Cell::Int(r.outcomes),
                            Cell::Int(r.organizations),
                        ]
                    })
                    .collect(),
            ),
            table(
                "outcomes",
                col(&[
                    "date",
                    "theme",
                    "outcome",
                    "substantiation",
                    "organizations",
                ]),
                x.outcomes
                    .iter()
                    .map(|o| {
                        vec![
                            Cell::Date(o.date),
                            text(o.theme.clone()),
                            text(o.description.clone()),
                            text(label("outcome-subst", &o.substantiation)),
                            Cell::Int(o.organizations),
                        ]
                    })
                    .collect(),
            ),
            table(
                "projects",
                col(&[
                    "project", "theme", "status", "starts", "ends", "members", "partners",
                    "outcomes",
                ]),
                x.projects
                    .iter()
                    .map(|p| {
                        vec![
                            text(p.title.clone()),
                            text(p.theme.clone().unwrap_or_default()),
                            text(label("project-status", &p.status)),
                            p.starts_on.map_or(Cell::Empty, Cell::Date),
                            p.ends_on.map_or(Cell::Empty, Cell::Date),
                            Cell::Int(p.members),
                            Cell::Int(p.partners),
                            Cell::Int(p.outcomes),
                        ]
                    })
                    .collect(),
            ),
            Table {
                key: "sustainability",
                title: t("report-table-sustainability"),
                columns: sust_cols,
                rows: x
                    .sustainability
                    .rounds
                    .iter()
                    .map(|r| {
                        let mut row = vec![
                            text(r.title.clone()),
                            Cell::Date(r.closes_on),
                            Cell::Int(r.respondents),
                        ];
                        row.extend(r.means.iter().map(|m| Cell::opt_num(*m)));
                        row
                    })
                    .collect(),
            },
            table(
                "funding",
                col(&["group", "concept", "amount", "currency"]),
                x.funding
                    .iter()
                    .map(|m| {
                        vec![
                            text(t(&format!("report-funding-{}", m.group))),
                            text(if m.translate {
                                t(&m.what)
                            } else {
                                m.what.clone()
                            }),
                            money(m),
                            text(m.currency.clone()),
                        ]
                    })
                    .collect(),
            ),
            table(
                "membership",
                col(&["who", "at-start", "joined", "left", "at-end"]),
                vec![
                    flow_row("report-organizations", &m.organizations),
                    flow_row("report-people", &m.people),
                ],
            ),
            table(
                "membership-changes",
                col(&["date", "organization", "change"]),
                m.changes
                    .iter()
                    .map(|c| {
                        vec![
                            Cell::Date(c.on),
                            text(c.name.clone()),
                            text(t(if c.joined {
                                "report-joined"
                            } else {
                                "report-left"
                            })),
                        ]
                    })
                    .collect(),
            ),
            table(
                "events",
                col(&[
                    "date",
                    "event",
                    "kind",
                    "mode",
                    "status",
                    "registered",
                    "in-person",
                    "remote",
                ]),
                self.events
                    .iter()
                    .map(|e| {
                        vec![
                            Cell::Date(e.date),
                            text(e.title.clone()),
                            text(label("events-kind", &e.kind)),
                            text(label("events-mode", &e.mode)),
                            text(label("events-status", &e.status)),
                            Cell::Int(e.registered),
                            Cell::Int(e.in_person),
                            Cell::Int(e.remote),
                        ]
                    })
                    .collect(),
            ),
            table(
                "participation-organizations",
                col(&["organization", "attendances", "people"]),
                group_rows(&pa.by_organization, &|k| {
                    if k.is_empty() {
                        t("report-no-organization")
                    } else {
                        k.to_owned()
                    }
                }),
            ),
            table(
                "participation-levels",
                col(&["level", "attendances", "people"]),
                group_rows(&pa.by_level, &|k| label("level", k)),
            ),
            table(
                "participation-youth",
                col(&["youth", "attendances", "people"]),
                group_rows(&pa.by_youth, &|k| label("report-youth", k)),
            ),
            table(
                "participation-gender",
                col(&["gender", "attendances", "people"]),
                group_rows(&pa.by_gender, &|k| {
                    if k.is_empty() {
                        t("report-not-declared")
                    } else {
                        k.to_owned()
                    }
                }),
            ),
            table(
                "participation-mode",
                col(&["mode", "attendances"]),
                vec![
                    vec![text(t("report-in-person")), Cell::Int(pa.in_person)],
                    vec![text(t("report-remote")), Cell::Int(pa.remote)],
                ],
            ),
            table(
                "network",
                col(&[
                    "moment",
                    "date",
                    "organizations",
                    "ties",
                    "density",
                    "cross-sector",
                ]),
                vec![
                    net_row("report-baseline", n.baseline, &n.before),
                    net_row("report-end", n.end, &n.after),
                ],
            ),
            table(
                "ownership",
                col(&["date", "event", "index"]),
                self.ownership
                    .points
                    .iter()
                    .map(|o| {
                        vec![
                            Cell::Date(o.date),
                            text(o.title.clone()),
                            o.index.map_or(Cell::Empty, |v| Cell::Int(i64::from(v))),
                        ]
                    })
                    .collect(),
            ),
            table(
                "polls",
                col(&["date", "poll", "question", "kind", "responses", "value"]),
                self.polls
                    .iter()
                    .map(|q| {
                        vec![
                            Cell::Date(q.closed_on),
                            text(q.poll.clone()),
                            text(q.question.clone()),
                            text(label("report-question", &q.kind)),
                            Cell::Int(q.responses),
                            Cell::opt_num(q.value),
                        ]
                    })
                    .collect(),
            ),
            table(
                "lessons",
                col(&["date", "event", "lesson"]),
                self.lessons
                    .iter()
                    .map(|l| {
                        vec![
                            Cell::Date(l.date),
                            text(l.event.clone()),
                            text(l.text.clone()),
                        ]
                    })
                    .collect(),
            ),
            table(
                "phases",
                col(&["date", "decision"]),
                self.overview
                    .phase_history
                    .iter()
                    .map(|c| vec![Cell::Date(c.on), text(c.title.clone())])
                    .collect(),
            ),
        ]
    }
}

/// A text cell made safe for spreadsheets: a leading `=`, `+`, `-`, `@`, tab or carriage return
/// would start a formula, so it gets a `'` in front.
pub fn defuse(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_owned()
    }
}

fn csv_field(out: &mut String, s: &str) {
    if s.contains([',', '"', '\r', '\n']) {
        out.push('"');
        out.push_str(&s.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(s);
    }
}

/// A table as RFC 4180 CSV (CRLF line ends), UTF-8 with a byte-order mark so spreadsheet
/// programs read the accents; text cells are defused against formula injection.
pub fn csv(t: &Table) -> String {
    let mut out = String::from("\u{feff}");
    let line = |out: &mut String, cells: &mut dyn Iterator<Item = String>| {
        for (i, c) in cells.enumerate() {
            if i > 0 {
                out.push(',');
            }
            csv_field(out, &c);
        }
        out.push_str("\r\n");
    };
    line(&mut out, &mut t.columns.iter().map(|c| defuse(c)));
    for r in &t.rows {
        line(
            &mut out,
            &mut r.iter().map(|c| match c {
                Cell::Text(s) => defuse(s),
                other => other.csv_text(),
            }),
        );
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn periods_parse_with_defaults_and_errors() {
        let today = d("2026-11-25");
        let p = Period::parse("", "", today).unwrap();
        assert_eq!(p.to, today);
        assert_eq!(p.from, d("2025-11-26"));
        let p = Period::parse("2026-01-01", "2026-06-30", today).unwrap();
        assert_eq!((p.from, p.to), (d("2026-01-01"), d("2026-06-30")));
        assert_eq!(
            Period::parse("2026-13-01", "", today),
            Err("report-error-bad-date")
        );
        assert_eq!(
            Period::parse("2026-06-01", "2026-01-01", today),
            Err("report-error-from-after-to")
        );
        assert_eq!(
            Period::parse("1990-01-01", "2026-01-01", today),
            Err("report-error-too-long")
        );
    }

    #[test]
    fn csv_quotes_and_defuses() {
        let t = Table {
            key: "x",
            title: "X".into(),
            columns: vec!["a".into(), "b".into()],
            rows: vec![
                vec![Cell::Text("=HYPERLINK(\"x\")".into()), Cell::Int(-3)],
                vec![Cell::Text("uno, \"dos\"\ntres".into()), Cell::Num(0.5)],
                vec![Cell::Text("+52".into()), Cell::Date(d("2026-01-02"))],
                vec![Cell::Text("@x".into()), Cell::Empty],
            ],
        };
        let s = csv(&t);
        assert!(s.starts_with("\u{feff}a,b\r\n"));
        assert!(s.contains("\"'=HYPERLINK(\"\"x\"\")\",-3\r\n"));
        assert!(s.contains("\"uno, \"\"dos\"\"\ntres\",0.5\r\n"));
        assert!(s.contains("'+52,2026-01-02\r\n"));
        assert!(s.contains("'@x,\r\n"));
    }

    fn tie(id: i64, from: i64, to: i64, started: &str, ended: Option<&str>, via: bool) -> TieFacts {
        TieFacts {
            id,
            from,
            to,
            from_sector: if from == 9 { "government" } else { "cso" }.into(),
            to_sector: if to == 9 { "government" } else { "cso" }.into(),
            started_on: d(started),
            ended_on: ended.map(d),
            via_community: via,
        }
    }

    #[test]
    fn network_counts_pairs_once() {
        let members = vec![
            (1, "cso".to_owned()),
            (2, "cso".to_owned()),
            (3, "cso".to_owned()),
        ];
        let ties = vec![
            tie(1, 1, 2, "2025-01-01", None, false),
            tie(2, 2, 1, "2025-01-01", None, false),
            tie(3, 1, 9, "2026-03-01", None, true),
            tie(4, 2, 3, "2025-01-01", Some("2026-02-01"), false),
        ];
        let b = net_figures(&ties, &members, d("2026-01-01"));
        assert_eq!((b.organizations, b.ties), (3, 2));
        assert!((b.density - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(b.cross_sector_share, Some(0.0));
        let a = net_figures(&ties, &members, d("2026-06-01"));
        assert_eq!((a.organizations, a.ties), (4, 2));
        assert_eq!(a.cross_sector_share, Some(0.5));
        let f = Facts {
            ties,
            member_orgs: members,
            ..Facts::default()
        };
        let r = build(
            &f,
            Period {
                from: d("2026-01-01"),
                to: d("2026-06-01"),
            },
        );
        assert_eq!(r.network.new_ties, 1);
        assert_eq!(r.network.new_ties_via_community, 1);
        assert_eq!(r.network.new_cross_sector, 1);
        assert_eq!(r.network.ended_ties, 1);
    }

    #[test]
    fn polls_hide_small_groups() {
        let a = |q: i64, v: f64| PollAnswer {
            poll_id: 1,
            poll: "P".into(),
            closed_on: d("2026-03-01"),
            question_id: q,
            question: format!("Q{q}"),
            kind: if q == 1 { "nps" } else { "likert" }.into(),
            value: v,
        };
        let mut answers: Vec<PollAnswer> = [10.0, 10.0, 9.0, 5.0, 8.0].map(|v| a(1, v)).into();
        answers.extend([4.0, 5.0].map(|v| a(2, v)));
        let f = Facts {
            poll_answers: answers,
            ..Facts::default()
        };
        let r = build(&f, Period::last_year(d("2026-11-25")));
        assert_eq!(r.polls.len(), 2);
        assert_eq!(r.polls[0].value, Some(40.0));
        assert_eq!(r.polls[1].responses, 2);
        assert_eq!(r.polls[1].value, None);
    }
}
