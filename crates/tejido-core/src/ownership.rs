//! The local ownership index (índice de apropiación local): how much of an event belongs to its
//! members rather than to the convener. Each component is a pure function of facts gathered by
//! storage; [`index`] averages the components that could be measured, so an event without an
//! agenda is not scored as if members had done nothing. "Convener" means a person holding the
//! `convener` role in the community, and a convener's organization.

use std::collections::{BTreeMap, BTreeSet};

/// A part of a whole, kept as counts so pages can say "3 of 4".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct Share {
    pub part: u32,
    pub whole: u32,
}

impl Share {
    /// The share in 0..=1, `None` when there is nothing to divide.
    pub fn ratio(self) -> Option<f64> {
        (self.whole > 0).then(|| f64::from(self.part) / f64::from(self.whole))
    }
    /// Whole percent, `None` when there is nothing to divide.
    pub fn percent(self) -> Option<u32> {
        self.ratio().map(pct)
    }
}

fn pct(r: f64) -> u32 {
    // r is in 0..=1, so the cast cannot overflow.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let p = (r.clamp(0.0, 1.0) * 100.0).round() as u32;
    p
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Share of agenda items proposed by members rather than conveners. Each item is its proposer's
/// person id, or `None` for a slot without a proposer (an open-space slot kept for the day),
/// which is left out.
pub fn proposed_by_members(item_proposers: &[Option<i64>], conveners: &[i64]) -> Share {
    let with: Vec<i64> = item_proposers.iter().flatten().copied().collect();
    Share {
        part: count(with.iter().filter(|p| !conveners.contains(p)).count()),
        whole: count(with.len()),
    }
}

/// Share of sessions facilitated by members: a session counts when it has a facilitator, and
/// goes to members when at least one of its facilitators is not a convener.
pub fn facilitated_by_members(session_facilitators: &[Vec<i64>], conveners: &[i64]) -> Share {
    let sessions: Vec<&Vec<i64>> = session_facilitators
        .iter()
        .filter(|f| !f.is_empty())
        .collect();
    Share {
        part: count(
            sessions
                .iter()
                .filter(|f| f.iter().any(|p| !conveners.contains(p)))
                .count(),
        ),
        whole: count(sessions.len()),
    }
}

/// Whether a member organization hosted: the host is a current member organization that is not
/// a convener's organization. `None` when the event names no host.
pub fn member_hosted(
    host: Option<i64>,
    member_orgs: &[i64],
    convener_orgs: &[i64],
) -> Option<bool> {
    host.map(|h| member_orgs.contains(&h) && !convener_orgs.contains(&h))
}

/// Distinct current member organizations (not a convener's) whose people held a rotating role at
/// the event. Each role holder is given by their organization, if any.
pub fn role_organizations(
    holder_orgs: &[Option<i64>],
    member_orgs: &[i64],
    convener_orgs: &[i64],
) -> u32 {
    let set: BTreeSet<i64> = holder_orgs
        .iter()
        .flatten()
        .copied()
        .filter(|o| member_orgs.contains(o) && !convener_orgs.contains(o))
        .collect();
    count(set.len())
}

/// Someone who attended (present or remote).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attendee {
    pub person_id: i64,
    pub organization_id: Option<i64>,
    pub position_level: Option<String>,
    pub youth: bool,
}

/// Who came: how many organizations, how many distinct staff each sent, and how spread their
/// position levels were — a community owned by its members brings more than directors.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Spread {
    pub attendees: u32,
    pub organizations: u32,
    /// Mean distinct people per organization (attendees without an organization left out).
    pub staff_per_organization: Option<f64>,
    /// Distinct position levels among attendees with a known level.
    pub levels: u32,
    /// Evenness of position levels, 0 (one level) to 1 (all levels equally): Pielou's J over
    /// the `level_count` known levels.
    pub level_evenness: Option<f64>,
    pub youth: u32,
}

/// The spread of attendees over organizations and position levels. `level_count` is how many
/// position levels exist (the evenness is scaled to it).
pub fn staff_spread(attendees: &[Attendee], level_count: usize) -> Spread {
    let mut people: BTreeMap<i64, &Attendee> = BTreeMap::new();
    for a in attendees {
        people.entry(a.person_id).or_insert(a);
    }
    let mut per_org: BTreeMap<i64, u32> = BTreeMap::new();
    let mut per_level: BTreeMap<&str, u32> = BTreeMap::new();
    let mut youth = 0;
    for a in people.values() {
        if let Some(o) = a.organization_id {
            *per_org.entry(o).or_default() += 1;
        }
        if let Some(l) = a.position_level.as_deref().filter(|l| !l.is_empty()) {
            *per_level.entry(l).or_default() += 1;
        }
        if a.youth {
            youth += 1;
        }
    }
    let with_org: u32 = per_org.values().sum();
    let staff_per_organization =
        (!per_org.is_empty()).then(|| f64::from(with_org) / f64::from(count(per_org.len())));
    let known: u32 = per_level.values().sum();
    let level_evenness = (known > 0 && level_count > 1).then(|| {
        let h: f64 = per_level
            .values()
            .map(|&n| {
                let p = f64::from(n) / f64::from(known);
                -p * p.ln()
            })
            .sum();
        (h / f64::from(count(level_count)).ln()).clamp(0.0, 1.0)
    });
    Spread {
        attendees: count(people.len()),
        organizations: count(per_org.len()),
        staff_per_organization,
        levels: count(per_level.len()),
        level_evenness,
        youth,
    }
}

/// Everything the index is computed from, for one event.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Components {
    pub proposed_by_members: Share,
    pub facilitated_by_members: Share,
    pub member_hosted: Option<bool>,
    pub role_organizations: u32,
    pub spread: Spread,
}

/// How many distinct organizations can hold the three event roles.
const ROLE_SLOTS: u32 = 3;

/// The index, 0–100: the mean of the measurable components — share of proposals by members,
/// share of sessions facilitated by members, member hosting (0 or 1), member organizations in
/// event roles (out of three), and the evenness of position levels among attendees. `None` when
/// nothing could be measured.
pub fn index(c: &Components) -> Option<u32> {
    let roles = if c.role_organizations > 0 || c.facilitated_by_members.whole > 0 {
        Some(f64::from(c.role_organizations.min(ROLE_SLOTS)) / f64::from(ROLE_SLOTS))
    } else {
        None
    };
    let parts = [
        c.proposed_by_members.ratio(),
        c.facilitated_by_members.ratio(),
        c.member_hosted.map(|b| if b { 1.0 } else { 0.0 }),
        roles,
        c.spread.level_evenness,
    ];
    let known: Vec<f64> = parts.iter().flatten().copied().collect();
    if known.is_empty() {
        return None;
    }
    Some(pct(
        known.iter().sum::<f64>() / f64::from(count(known.len()))
    ))
}

/// Whether the index went up, down or stayed across a community's events: the last measured
/// value against the first. `None` with fewer than two measured events.
pub fn trend(values: &[Option<u32>]) -> Option<i64> {
    let known: Vec<u32> = values.iter().flatten().copied().collect();
    match (known.first(), known.last()) {
        (Some(a), Some(b)) if known.len() >= 2 => Some(i64::from(*b) - i64::from(*a)),
        _ => None,
    }
}

/// A point of the trend chart, in the chart's own coordinates.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Point {
    pub x: u32,
    pub y: u32,
    pub value: u32,
}

/// Chart geometry: the plot area starts at `left`/`top` and is `width` × `height`; value 100 is
/// at the top. Unmeasured events keep their place on the x axis but get no point.
pub fn chart_points(
    values: &[Option<u32>],
    left: u32,
    top: u32,
    width: u32,
    height: u32,
) -> Vec<Option<Point>> {
    let n = count(values.len());
    values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            v.map(|value| {
                let i = count(i);
                let x = if n <= 1 {
                    left + width / 2
                } else {
                    left + width * i / (n - 1)
                };
                let y = top + height - height * value.min(100) / 100;
                Point { x, y, value }
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proposals_by_members() {
        let s = proposed_by_members(&[Some(1), Some(2), None, Some(3)], &[1]);
        assert_eq!(s, Share { part: 2, whole: 3 });
        assert_eq!(s.percent(), Some(67));
        assert_eq!(proposed_by_members(&[None], &[1]).ratio(), None);
    }

    #[test]
    fn sessions_facilitated_by_members() {
        let s = facilitated_by_members(&[vec![1], vec![1, 5], vec![], vec![6]], &[1]);
        assert_eq!(s, Share { part: 2, whole: 3 });
        assert_eq!(facilitated_by_members(&[vec![1]], &[1]).percent(), Some(0));
    }

    #[test]
    fn hosting() {
        assert_eq!(member_hosted(None, &[10], &[]), None);
        assert_eq!(member_hosted(Some(10), &[10, 11], &[11]), Some(true));
        assert_eq!(member_hosted(Some(11), &[10, 11], &[11]), Some(false));
        assert_eq!(member_hosted(Some(12), &[10, 11], &[11]), Some(false));
    }

    #[test]
    fn organizations_in_roles() {
        assert_eq!(
            role_organizations(
                &[Some(10), Some(10), Some(11), None, Some(99)],
                &[10, 11],
                &[]
            ),
            2
        );
        assert_eq!(role_organizations(&[Some(10)], &[10], &[10]), 0);
    }

    fn att(p: i64, o: Option<i64>, l: Option<&str>, youth: bool) -> Attendee {
        Attendee {
            person_id: p,
            organization_id: o,
            position_level: l.map(str::to_owned),
            youth,
        }
    }

    #[test]
    fn spread_of_staff_and_levels() {
        let one_level = staff_spread(
            &[
                att(1, Some(10), Some("leadership"), false),
                att(2, Some(11), Some("leadership"), false),
            ],
            5,
        );
        assert_eq!(one_level.level_evenness, Some(0.0));
        assert_eq!(one_level.staff_per_organization, Some(1.0));
        let mixed = staff_spread(
            &[
                att(1, Some(10), Some("leadership"), false),
                att(2, Some(10), Some("operational"), true),
                att(3, Some(11), Some("volunteer"), true),
                att(3, Some(11), Some("volunteer"), true),
                att(4, None, None, false),
            ],
            5,
        );
        assert_eq!(mixed.attendees, 4);
        assert_eq!(mixed.organizations, 2);
        assert_eq!(mixed.staff_per_organization, Some(1.5));
        assert_eq!(mixed.levels, 3);
        assert_eq!(mixed.youth, 2);
        let j = mixed.level_evenness.unwrap();
        assert!(j > 0.6 && j < 0.7, "{j}");
        assert_eq!(staff_spread(&[], 5).level_evenness, None);
    }

    fn comps() -> Components {
        Components {
            proposed_by_members: Share::default(),
            facilitated_by_members: Share::default(),
            member_hosted: None,
            role_organizations: 0,
            spread: staff_spread(&[], 5),
        }
    }

    #[test]
    fn index_averages_what_was_measured() {
        assert_eq!(index(&comps()), None);
        let mut c = comps();
        c.proposed_by_members = Share { part: 1, whole: 2 };
        assert_eq!(index(&c), Some(50));
        c.member_hosted = Some(true);
        assert_eq!(index(&c), Some(75));
        c.facilitated_by_members = Share { part: 0, whole: 1 };
        // facilitation 0 and role organizations 0 of 3 now count too.
        assert_eq!(index(&c), Some(38));
        c.role_organizations = 3;
        assert_eq!(index(&c), Some(63));
    }

    #[test]
    fn index_moves_when_members_propose() {
        let mut c = comps();
        c.proposed_by_members = Share { part: 0, whole: 2 };
        let before = index(&c).unwrap();
        c.proposed_by_members = Share { part: 1, whole: 3 };
        assert!(index(&c).unwrap() > before);
    }

    #[test]
    fn trend_and_chart() {
        assert_eq!(trend(&[Some(20), None, Some(50)]), Some(30));
        assert_eq!(trend(&[Some(20)]), None);
        let pts = chart_points(&[Some(0), None, Some(100)], 40, 10, 200, 100);
        assert_eq!(
            pts[0],
            Some(Point {
                x: 40,
                y: 110,
                value: 0
            })
        );
        assert_eq!(pts[1], None);
        assert_eq!(
            pts[2],
            Some(Point {
                x: 240,
                y: 10,
                value: 100
            })
        );
        assert_eq!(
            chart_points(&[Some(50)], 0, 0, 100, 100)[0].map(|p| p.x),
            Some(50)
        );
    }
}
