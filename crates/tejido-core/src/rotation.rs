//! Rotation of duties (leader, facilitator, rapporteur, timekeeper): who goes next, fairly.
//!
//! A community chooses, per rotating role, a [`Policy`]: rotate over people, over member
//! organizations, or keep the role with its holder (continuity — a charter choice, not a default
//! baked in here). [`next_turns`] is the whole rule: whoever held the role least often goes next,
//! then whoever held it least recently (never before first), then the lowest id so the answer is
//! stable; those who opted out or lack the required skill are skipped, and nobody takes two turns
//! in a row while someone else can. Swaps agreed by the community exchange the first upcoming
//! turns of two holders. Everything here is pure; storage computes the [`Candidate`]s.

use chrono::{DateTime, Duration, NaiveDate, Utc};

use crate::communities::Role;
use crate::text::fold;
use crate::text_enum;
use crate::validate::{self, FieldErrors, Validated};

/// The roles that can rotate, in the order pages show them.
pub const ROTATING: [Role; 4] = [
    Role::Leader,
    Role::Facilitator,
    Role::Rapporteur,
    Role::Timekeeper,
];

/// How many upcoming turns pages and the API show.
pub const HORIZON: usize = 6;

text_enum!(
    /// Over whom a role rotates, or whether it stays with its holder.
    Mode {
        People = "people",
        Organizations = "organizations",
        Continuity = "continuity",
    }
);

impl Mode {
    /// The kind of subject candidates are, for preferences and swaps.
    pub fn subject_kind(self) -> Option<SubjectKind> {
        match self {
            Mode::People => Some(SubjectKind::Person),
            Mode::Organizations => Some(SubjectKind::Organization),
            Mode::Continuity => None,
        }
    }
}

text_enum!(
    /// Who a preference or a turn belongs to.
    SubjectKind {
        Person = "person",
        Organization = "organization",
    }
);

/// True for the roles that can rotate.
pub fn is_rotating(r: Role) -> bool {
    ROTATING.contains(&r)
}

/// Someone who could take a turn: a person or a member organization.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub id: i64,
    /// Terms of this role held so far.
    pub turns: u32,
    /// When the latest of those terms started.
    pub last_turn: Option<DateTime<Utc>>,
    pub opted_out: bool,
    pub skills: Vec<String>,
}

impl Candidate {
    /// May take a turn: not opted out, and has the required skill (accent- and case-insensitive).
    pub fn eligible(&self, required_skill: Option<&str>) -> bool {
        if self.opted_out {
            return false;
        }
        match required_skill.map(fold).filter(|s| !s.is_empty()) {
            None => true,
            Some(need) => self.skills.iter().any(|s| fold(s) == need),
        }
    }
}

/// How recently a candidate held the role: never, at a time, or at a planned future turn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Recency {
    Never,
    At(DateTime<Utc>),
    Planned(usize),
}

/// The next `n` holders, by id. `current` is whoever holds the role now (not repeated first when
/// another candidate is eligible); `swaps` are applied in order, each only when it is possible
/// (see [`schedule`]). Empty when nobody is eligible.
pub fn next_turns(
    candidates: &[Candidate],
    required_skill: Option<&str>,
    current: Option<i64>,
    n: usize,
    swaps: &[(i64, i64)],
) -> Vec<i64> {
    schedule(candidates, required_skill, current, n, swaps).0
}

/// Like [`next_turns`], and also says which swaps could be applied. A swap `(a, b)` exchanges
/// the first upcoming turns of `a` and `b`; the turns after the later of the two are planned
/// again by the fair rule. It is not possible when `a == b`, when either has no upcoming turn in
/// the planning horizon, or when it would give someone two turns in a row (counting the current
/// holder before the first turn).
pub fn schedule(
    candidates: &[Candidate],
    required_skill: Option<&str>,
    current: Option<i64>,
    n: usize,
    swaps: &[(i64, i64)],
) -> (Vec<i64>, Vec<bool>) {
    let mut pool: Vec<(u32, Recency, i64)> = candidates
        .iter()
        .filter(|c| c.eligible(required_skill))
        .map(|c| {
            (
                c.turns,
                c.last_turn.map_or(Recency::Never, Recency::At),
                c.id,
            )
        })
        .collect();
    pool.sort_by_key(|p| p.2);
    pool.dedup_by_key(|p| p.2);
    if pool.is_empty() || n == 0 {
        return (vec![], vec![false; swaps.len()]);
    }
    // Plan further than shown so that a swap can reach a holder whose turn lies beyond `n`.
    let horizon = n.saturating_add(pool.len().saturating_mul(2));
    let mut out = plan(&pool, current, &[], horizon);
    let mut applied = Vec::with_capacity(swaps.len());
    for &(a, b) in swaps {
        match swapped_prefix(&out, current, a, b) {
            Some(prefix) => {
                out = plan(&pool, current, &prefix, horizon);
                applied.push(true);
            }
            None => applied.push(false),
        }
    }
    out.truncate(n);
    (out, applied)
}

/// `horizon` turns: first the `forced` ones, then each time the eligible candidate with the
/// fewest turns, then the least recent, then the lowest id — never the previous holder while
/// another candidate is eligible.
fn plan(
    pool: &[(u32, Recency, i64)],
    current: Option<i64>,
    forced: &[i64],
    horizon: usize,
) -> Vec<i64> {
    let mut pool = pool.to_vec();
    let mut out = Vec::with_capacity(horizon);
    let mut prev = current;
    for k in 0..horizon {
        let others = pool.iter().any(|p| Some(p.2) != prev);
        let pick = match forced.get(k) {
            Some(id) => pool.iter_mut().find(|p| p.2 == *id),
            None => pool
                .iter_mut()
                .filter(|p| !others || Some(p.2) != prev)
                .min_by_key(|p| (p.0, p.1, p.2)),
        };
        let Some(p) = pick else { break };
        p.0 = p.0.saturating_add(1);
        p.1 = Recency::Planned(k);
        out.push(p.2);
        prev = Some(p.2);
    }
    out
}

/// The schedule up to the later of the first turns of `a` and `b`, with those two exchanged;
/// `None` when the swap is not possible (see [`schedule`]).
fn swapped_prefix(schedule: &[i64], current: Option<i64>, a: i64, b: i64) -> Option<Vec<i64>> {
    if a == b {
        return None;
    }
    let i = schedule.iter().position(|x| *x == a)?;
    let j = schedule.iter().position(|x| *x == b)?;
    let mut s = schedule[..=i.max(j)].to_vec();
    s.swap(i, j);
    // The turn after the swapped prefix is planned again, so only the prefix can repeat.
    let seq = current
        .into_iter()
        .chain(s.iter().copied())
        .collect::<Vec<_>>();
    if seq.windows(2).any(|w| w[0] == w[1]) {
        return None;
    }
    Some(s)
}

/// The start dates of the next `n` turns: each term lasts `term_days`; the first upcoming turn
/// starts when the current term ends (or today, if it already ended or nobody holds the role).
pub fn turn_dates(
    current_start: Option<NaiveDate>,
    today: NaiveDate,
    term_days: u32,
    n: usize,
) -> Vec<NaiveDate> {
    let step = Duration::days(i64::from(term_days.max(1)));
    let first = current_start
        .and_then(|d| d.checked_add_signed(step))
        .map_or(today, |d| d.max(today));
    let mut out = Vec::with_capacity(n);
    let mut d = first;
    for _ in 0..n {
        out.push(d);
        match d.checked_add_signed(step) {
            Some(x) => d = x,
            None => break,
        }
    }
    out
}

/// Splits a comma-separated list of skills, trimmed, without empty or repeated (folded) items.
pub fn parse_skills(s: &str) -> Vec<String> {
    let mut out: Vec<String> = vec![];
    for part in s.split(',') {
        let p = part.trim();
        if !p.is_empty() && !out.iter().any(|x| fold(x) == fold(p)) {
            out.push(p.to_owned());
        }
    }
    out
}

/// A role's rotation policy, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    pub mode: Mode,
    pub required_skill: Option<String>,
    /// Length of one term, in days.
    pub term_days: u32,
}

pub const DEFAULT_TERM_DAYS: u32 = 30;

#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize)]
#[serde(default)]
pub struct PolicyForm {
    pub mode: String,
    pub required_skill: String,
    pub term_days: String,
}

impl PolicyForm {
    pub fn parse(&self) -> Validated<Policy> {
        let mut e = FieldErrors::new();
        let mode = validate::choice(&mut e, "mode", &self.mode, Mode::parse);
        let required_skill = validate::optional(&mut e, "required_skill", &self.required_skill, 80);
        let term_days = match self.term_days.trim().parse::<u32>() {
            Ok(d) if (1..=366).contains(&d) => Some(d),
            _ => {
                e.add("term_days", "rotation-error-term-days");
                None
            }
        };
        match (mode, term_days, e.is_empty()) {
            (Some(mode), Some(term_days), true) => Ok(Policy {
                mode,
                required_skill,
                term_days,
            }),
            _ => Err(e),
        }
    }
}

/// A person's or organization's preferences: roles they opt out of, and skills they offer.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Preferences {
    pub opted_out: Vec<Role>,
    pub skills: Vec<String>,
}

impl Preferences {
    /// Opted-out roles as stored: comma-separated role names.
    pub fn opted_out_text(&self) -> String {
        self.opted_out
            .iter()
            .map(|r| r.as_str())
            .collect::<Vec<_>>()
            .join(",")
    }
    pub fn skills_text(&self) -> String {
        self.skills.join(", ")
    }
    /// Reads the stored form back; unknown role names are ignored.
    pub fn from_stored(opted_out: &str, skills: &str) -> Preferences {
        Preferences {
            opted_out: opted_out
                .split(',')
                .filter_map(|r| Role::parse(r.trim()))
                .filter(|r| is_rotating(*r))
                .collect(),
            skills: parse_skills(skills),
        }
    }
}

#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize)]
#[serde(default)]
pub struct PreferencesForm {
    /// Role names the subject opts out of.
    pub opted_out: Vec<String>,
    /// Comma-separated.
    pub skills: String,
}

impl PreferencesForm {
    pub fn parse(&self) -> Validated<Preferences> {
        let mut e = FieldErrors::new();
        let mut opted_out = vec![];
        for r in &self.opted_out {
            match Role::parse(r.trim()).filter(|r| is_rotating(*r)) {
                Some(r) if !opted_out.contains(&r) => opted_out.push(r),
                Some(_) => {}
                None => e.add("opted_out", "error-invalid-choice"),
            }
        }
        let skills = parse_skills(&self.skills);
        if self.skills.chars().count() > 500 || skills.iter().any(|s| s.chars().count() > 80) {
            e.add("skills", "error-too-long");
        } else if skills.len() > 20 {
            e.add("skills", "rotation-error-too-many-skills");
        }
        if e.is_empty() {
            Ok(Preferences { opted_out, skills })
        } else {
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn c(id: i64) -> Candidate {
        Candidate {
            id,
            turns: 0,
            last_turn: None,
            opted_out: false,
            skills: vec![],
        }
    }

    fn at(day: u32) -> Option<DateTime<Utc>> {
        NaiveDate::from_ymd_opt(2026, 1, day)
            .and_then(|d| d.and_hms_opt(12, 0, 0))
            .map(|t| t.and_utc())
    }

    #[test]
    fn fewest_turns_then_least_recent_then_lowest_id() {
        let cs = vec![
            Candidate {
                turns: 2,
                last_turn: at(1),
                ..c(1)
            },
            Candidate {
                turns: 1,
                last_turn: at(5),
                ..c(2)
            },
            Candidate {
                turns: 1,
                last_turn: at(3),
                ..c(3)
            },
            Candidate {
                turns: 1,
                last_turn: None,
                ..c(4)
            },
        ];
        // 4 never held it this recently, 3 before 2, then everyone is level and 1 is least recent.
        assert_eq!(next_turns(&cs, None, None, 6, &[]), vec![4, 3, 2, 1, 4, 3]);
    }

    #[test]
    fn the_current_holder_does_not_go_again_first() {
        let cs = vec![
            Candidate {
                turns: 1,
                last_turn: at(1),
                ..c(1)
            },
            c(2),
            c(3),
        ];
        assert_eq!(next_turns(&cs, None, Some(1), 4, &[]), vec![2, 3, 1, 2]);
        // Alone, a holder keeps the role.
        assert_eq!(next_turns(&[c(7)], None, Some(7), 3, &[]), vec![7, 7, 7]);
    }

    #[test]
    fn fairness_over_many_turns() {
        let cs: Vec<_> = (1..=5)
            .map(|i| Candidate {
                last_turn: at(i as u32),
                ..c(i)
            })
            .collect();
        let s = next_turns(&cs, None, Some(3), 5 * 40, &[]);
        for i in 1..=5 {
            assert_eq!(s.iter().filter(|x| **x == i).count(), 40);
        }
    }

    #[test]
    fn opted_out_and_unskilled_are_skipped() {
        let cs = vec![
            Candidate {
                opted_out: true,
                ..c(1)
            },
            Candidate {
                skills: vec!["Facilitación gráfica".into()],
                ..c(2)
            },
            Candidate {
                skills: vec!["relatoría".into()],
                ..c(3)
            },
            Candidate {
                skills: vec!["FACILITACION grafica".into()],
                ..c(4)
            },
        ];
        assert_eq!(next_turns(&cs, None, None, 3, &[]), vec![2, 3, 4]);
        assert_eq!(
            next_turns(&cs, Some("facilitación  gráfica"), None, 4, &[]),
            vec![2, 4, 2, 4]
        );
        assert!(next_turns(&cs, Some("cocina"), None, 4, &[]).is_empty());
    }

    #[test]
    fn swaps_exchange_first_upcoming_turns() {
        let cs = vec![c(1), c(2), c(3), c(4)];
        assert_eq!(next_turns(&cs, None, None, 4, &[]), vec![1, 2, 3, 4]);
        assert_eq!(next_turns(&cs, None, None, 4, &[(1, 3)]), vec![3, 2, 1, 4]);
        // Applied in order: the second acts on the result of the first.
        assert_eq!(
            next_turns(&cs, None, None, 4, &[(1, 3), (3, 4)]),
            vec![4, 2, 1, 3]
        );
        // A swap that would give someone two turns in a row is not applied.
        let held = vec![
            Candidate {
                turns: 1,
                last_turn: at(1),
                ..c(1)
            },
            c(2),
            c(3),
        ];
        assert_eq!(next_turns(&held, None, Some(1), 3, &[]), vec![2, 3, 1]);
        assert_eq!(
            schedule(&held, None, Some(1), 3, &[(2, 1), (2, 3), (5, 2), (3, 3)]),
            (vec![3, 2, 1], vec![false, true, false, false])
        );
        // A holder beyond the shown turns can still be reached.
        let many: Vec<_> = (1..=8).map(c).collect();
        assert_eq!(next_turns(&many, None, None, 2, &[(1, 8)]), vec![8, 2]);
    }

    #[test]
    fn dates_follow_terms() {
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap_or_default();
        assert_eq!(
            turn_dates(Some(d(1, 1)), d(1, 10), 30, 3),
            vec![d(1, 31), d(3, 2), d(4, 1)]
        );
        assert_eq!(
            turn_dates(Some(d(1, 1)), d(3, 1), 7, 2),
            vec![d(3, 1), d(3, 8)]
        );
        assert_eq!(turn_dates(None, d(5, 5), 1, 2), vec![d(5, 5), d(5, 6)]);
    }

    #[test]
    fn forms_parse() {
        let p = PolicyForm {
            mode: "people".into(),
            required_skill: " ".into(),
            term_days: "14".into(),
        }
        .parse()
        .unwrap();
        assert_eq!(
            p,
            Policy {
                mode: Mode::People,
                required_skill: None,
                term_days: 14
            }
        );
        let e = PolicyForm {
            mode: "rifa".into(),
            term_days: "0".into(),
            ..Default::default()
        }
        .parse()
        .unwrap_err();
        assert_eq!(e.get("mode"), Some("error-invalid-choice"));
        assert_eq!(e.get("term_days"), Some("rotation-error-term-days"));
        let prefs = PreferencesForm {
            opted_out: vec!["leader".into(), "leader".into(), "timekeeper".into()],
            skills: "Relatoría, relatoria,  diseño ,".into(),
        }
        .parse()
        .unwrap();
        assert_eq!(prefs.opted_out, vec![Role::Leader, Role::Timekeeper]);
        assert_eq!(
            prefs.skills,
            vec!["Relatoría".to_owned(), "diseño".to_owned()]
        );
        assert_eq!(
            Preferences::from_stored(&prefs.opted_out_text(), &prefs.skills_text()),
            prefs
        );
        let bad = PreferencesForm {
            opted_out: vec!["member".into()],
            ..Default::default()
        }
        .parse();
        assert_eq!(
            bad.unwrap_err().get("opted_out"),
            Some("error-invalid-choice")
        );
    }

    fn arb_candidates() -> impl Strategy<Value = Vec<Candidate>> {
        prop::collection::vec(
            (
                0u32..5,
                prop::option::of(1u32..28),
                prop::bool::weighted(0.2),
                prop::bool::ANY,
            ),
            1..8,
        )
        .prop_map(|v| {
            v.into_iter()
                .enumerate()
                .map(|(i, (turns, day, opted_out, skilled))| Candidate {
                    id: i as i64 + 1,
                    turns,
                    last_turn: day.and_then(at),
                    opted_out,
                    skills: if skilled {
                        vec!["Moderación".into()]
                    } else {
                        vec![]
                    },
                })
                .collect()
        })
    }

    proptest! {
        #[test]
        fn never_twice_in_a_row_when_others_can(
            cs in arb_candidates(),
            skill in prop::bool::ANY,
            current in prop::option::of(1i64..9),
            n in 1usize..40,
        ) {
            let need = skill.then_some("moderacion");
            let s = next_turns(&cs, need, current, n, &[]);
            let eligible: Vec<i64> = cs.iter().filter(|c| c.eligible(need)).map(|c| c.id).collect();
            prop_assert_eq!(s.len(), if eligible.is_empty() { 0 } else { n });
            // Opted-out and unskilled candidates are never chosen.
            prop_assert!(s.iter().all(|x| eligible.contains(x)));
            if eligible.len() > 1 {
                let all: Vec<i64> = current.into_iter().chain(s.iter().copied()).collect();
                prop_assert!(all.windows(2).all(|w| w[0] != w[1]), "{:?}", all);
            }
            // Deterministic: the same input gives the same schedule.
            prop_assert_eq!(next_turns(&cs, need, current, n, &[]), s);
        }

        #[test]
        fn level_candidates_each_get_k_turns_in_k_rounds(
            m in 1usize..7,
            k in 1usize..6,
            base in 0u32..4,
            days in prop::collection::vec(prop::option::of(1u32..28), 7),
            current in prop::option::of(1i64..8),
        ) {
            let cs: Vec<Candidate> = (0..m)
                .map(|i| Candidate { turns: base, last_turn: days[i].and_then(at), ..c(i as i64 + 1) })
                .collect();
            let s = next_turns(&cs, None, current, k * m, &[]);
            for cand in &cs {
                prop_assert_eq!(s.iter().filter(|x| **x == cand.id).count(), k);
            }
        }

        #[test]
        fn a_possible_swap_is_honoured(
            cs in arb_candidates(),
            current in prop::option::of(1i64..9),
            a in 1i64..9,
            b in 1i64..9,
        ) {
            let n = 40;
            let plain = next_turns(&cs, None, current, n, &[]);
            let (swapped, applied) = schedule(&cs, None, current, n, &[(a, b)]);
            let eligible = cs.iter().filter(|c| c.eligible(None)).count();
            if eligible > 1 {
                let all: Vec<i64> = current.into_iter().chain(swapped.iter().copied()).collect();
                prop_assert!(all.windows(2).all(|w| w[0] != w[1]), "{:?}", all);
            }
            let i = plain.iter().position(|x| *x == a);
            let j = plain.iter().position(|x| *x == b);
            if applied[0] {
                let (i, j) = (i.unwrap_or(n), j.unwrap_or(n));
                prop_assert!(i < n && j < n);
                prop_assert_eq!(swapped[i], b);
                prop_assert_eq!(swapped[j], a);
                prop_assert_eq!(&swapped[..i.min(j)], &plain[..i.min(j)]);
            } else {
                prop_assert_eq!(&swapped, &plain);
                if let (Some(i), Some(j)) = (i, j) {
                    // Refused only when it would repeat a holder.
                    let mut s = plain[..=i.max(j)].to_vec();
                    s.swap(i, j);
                    let seq: Vec<i64> = current.into_iter().chain(s).collect();
                    prop_assert!(a == b || seq.windows(2).any(|w| w[0] == w[1]));
                }
            }
        }
    }
}
