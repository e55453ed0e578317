//! The Local System map (*mapa de actores*): the kinds of tie between organizations (which are
//! directed, which are sensitive), the parsing of a tie as a member enters it or as a survey
//! answer or CSV row brings it, the map's deterministic layout, the ids of the plain-language
//! explanation of each figure, and the change of a network against a baseline — all pure.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::NaiveDate;
use serde::Deserialize;

use crate::text_enum;
use crate::validate::{self, FieldErrors, Validated};

text_enum!(
    /// What flows along a tie.
    TieKind {
        Collaboration = "collaboration",
        Information = "information",
        Funding = "funding",
        Referral = "referral",
        Alliance = "alliance",
        Mentoring = "mentoring",
        PeerHelp = "peer-help",
    }
);

impl TieKind {
    /// Funding, referral and mentoring go from one organization to another.
    pub fn directed(self) -> bool {
        matches!(
            self,
            TieKind::Funding | TieKind::Referral | TieKind::Mentoring
        )
    }
    /// Sensitive kinds are shown only to those who manage the community (and admins).
    pub fn sensitive(self) -> bool {
        matches!(self, TieKind::Funding)
    }
    /// The kinds a viewer may see.
    pub fn visible(leader: bool) -> Vec<TieKind> {
        TieKind::ALL
            .iter()
            .copied()
            .filter(|k| leader || !k.sensitive())
            .collect()
    }
}

text_enum!(
    /// Where a tie came from.
    TieSource {
        Survey = "survey",
        Member = "member",
        PeerHelp = "peer-help",
        JointProject = "joint-project",
        Import = "import",
    }
);

/// A tie as typed (form, JSON, CSV row, survey answer): every field text.
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize)]
#[serde(default)]
pub struct TieForm {
    pub from: String,
    pub to: String,
    pub kind: String,
    pub strength: String,
    pub trust: String,
    pub value: String,
    pub started_on: String,
    pub ended_on: String,
    /// "on" or "true" when the tie was formed through the community.
    pub via_community: String,
    /// PARTNER sub-ratings (1–4), all six or none; when given they set trust and value.
    pub reliability: String,
    pub mission: String,
    pub openness: String,
    pub power: String,
    pub resources: String,
    pub involvement: String,
}

/// A parsed tie.
#[derive(Debug, Clone, PartialEq)]
pub struct TieInput {
    pub from: i64,
    pub to: i64,
    pub kind: TieKind,
    pub strength: i64,
    pub trust: Option<i64>,
    pub value: Option<i64>,
    pub started_on: NaiveDate,
    pub ended_on: Option<NaiveDate>,
    pub via_community: bool,
}

fn int_in(errors: &mut FieldErrors, field: &str, v: &str, lo: i64, hi: i64) -> Option<i64> {
    let v = v.trim();
    if v.is_empty() {
        return None;
    }
    match v.parse::<i64>() {
        Ok(n) if (lo..=hi).contains(&n) => Some(n),
        _ => {
            errors.add(field, "tie-error-out-of-range");
            None
        }
    }
}

fn date(errors: &mut FieldErrors, field: &str, v: &str) -> Option<NaiveDate> {
    let v = v.trim();
    if v.is_empty() {
        return None;
    }
    let d = NaiveDate::parse_from_str(v, "%Y-%m-%d").ok();
    if d.is_none() {
        errors.add(field, "tie-error-date");
    }
    d
}

fn id(errors: &mut FieldErrors, field: &str, v: &str) -> Option<i64> {
    let v = v.trim();
    if v.is_empty() {
        errors.add(field, "error-required");
        return None;
    }
    match v.parse::<i64>() {
        Ok(n) if n > 0 => Some(n),
        _ => {
            errors.add(field, "error-invalid-choice");
            None
        }
    }
}

/// The six PARTNER sub-ratings of a tie, each 1–4 (Nada · Poco · Bastante · Mucho).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct SubRatings {
    pub reliability: i64,
    pub mission: i64,
    pub openness: i64,
    pub power: i64,
    pub resources: i64,
    pub involvement: i64,
}

/// The field names of the sub-ratings: the three of trust, then the three of value.
pub const SUB_RATINGS: [&str; 6] = [
    "reliability",
    "mission",
    "openness",
    "power",
    "resources",
    "involvement",
];

/// Rounds to two decimals (how the exact means are stored).
pub fn two_decimals(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

impl SubRatings {
    /// Trust: the mean of reliability, shared mission and openness to discussion, to two decimals.
    pub fn trust(&self) -> f64 {
        two_decimals((self.reliability + self.mission + self.openness) as f64 / 3.0)
    }
    /// Value: the mean of power and influence, resource contribution and level of involvement,
    /// to two decimals.
    pub fn value(&self) -> f64 {
        two_decimals((self.power + self.resources + self.involvement) as f64 / 3.0)
    }
    /// The means rounded to whole points for the integer trust and value columns (a mean of three
    /// integers is never a half, so the rounding is never a tie).
    pub fn trust_points(&self) -> i64 {
        self.trust().round() as i64
    }
    pub fn value_points(&self) -> i64 {
        self.value().round() as i64
    }
}

/// A parsed tie with its sub-ratings, if given (then its trust and value are their means).
#[derive(Debug, Clone, PartialEq)]
pub struct RatedTie {
    pub tie: TieInput,
    pub ratings: Option<SubRatings>,
}

impl TieForm {
    fn sub_field(&self, name: &str) -> &str {
        match name {
            "reliability" => &self.reliability,
            "mission" => &self.mission,
            "openness" => &self.openness,
            "power" => &self.power,
            "resources" => &self.resources,
            _ => &self.involvement,
        }
    }

    /// Parses the tie with its optional sub-ratings: none, or all six (each 1–4). With
    /// sub-ratings, trust and value are not typed too (they are derived).
    pub fn parse_rated(&self, today: NaiveDate) -> Validated<RatedTie> {
        let base = self.parse(today);
        let mut e = match &base {
            Ok(_) => FieldErrors::new(),
            Err(e) => e.clone(),
        };
        let given = SUB_RATINGS
            .iter()
            .filter(|f| !self.sub_field(f).trim().is_empty())
            .count();
        let mut vals = [0i64; 6];
        if given > 0 {
            for (i, f) in SUB_RATINGS.iter().enumerate() {
                if self.sub_field(f).trim().is_empty() {
                    e.add(f, "tie-error-ratings-all");
                } else if let Some(v) = int_in(&mut e, f, self.sub_field(f), 1, 4) {
                    vals[i] = v;
                }
            }
            if !self.trust.trim().is_empty() || !self.value.trim().is_empty() {
                e.add("trust", "tie-error-ratings-and-direct");
            }
        }
        match base {
            Ok(mut tie) if e.is_empty() => {
                let ratings = (given > 0).then_some(SubRatings {
                    reliability: vals[0],
                    mission: vals[1],
                    openness: vals[2],
                    power: vals[3],
                    resources: vals[4],
                    involvement: vals[5],
                });
                if let Some(r) = &ratings {
                    tie.trust = Some(r.trust_points());
                    tie.value = Some(r.value_points());
                }
                Ok(RatedTie { tie, ratings })
            }
            _ => Err(e),
        }
    }

    /// Parses the tie; `today` is the start date when none is given.
    pub fn parse(&self, today: NaiveDate) -> Validated<TieInput> {
        let mut e = FieldErrors::new();
        let from = id(&mut e, "from", &self.from);
        let to = id(&mut e, "to", &self.to);
        if from.is_some() && from == to {
            e.add("to", "tie-error-self");
        }
        let kind = validate::choice(&mut e, "kind", &self.kind, TieKind::parse);
        let strength = if self.strength.trim().is_empty() {
            e.add("strength", "error-required");
            None
        } else {
            int_in(&mut e, "strength", &self.strength, 1, 3)
        };
        let trust = int_in(&mut e, "trust", &self.trust, 1, 4);
        let value = int_in(&mut e, "value", &self.value, 1, 4);
        let started_on = date(&mut e, "started_on", &self.started_on).unwrap_or(today);
        let ended_on = date(&mut e, "ended_on", &self.ended_on);
        if let Some(end) = ended_on {
            if end < started_on {
                e.add("ended_on", "tie-error-end-before-start");
            }
        }
        let via_community = matches!(self.via_community.trim(), "on" | "true" | "1" | "yes");
        match (from, to, kind, strength) {
            (Some(from), Some(to), Some(kind), Some(strength)) if e.is_empty() => Ok(TieInput {
                from,
                to,
                kind,
                strength,
                trust,
                value,
                started_on,
                ended_on,
                via_community,
            }),
            _ => Err(e),
        }
    }
}

/// Parses a date query parameter (`YYYY-MM-DD`); anything else is `None`.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok()
}

/// Form that opens a survey round.
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize)]
#[serde(default)]
pub struct RoundForm {
    pub title: String,
}

impl RoundForm {
    pub fn parse(&self) -> Validated<String> {
        let mut e = FieldErrors::new();
        let t = validate::required(&mut e, "title", &self.title, 200);
        e.into_result(t)
    }
}

/// A line of a CSV import that could not be read: its 1-based line number and the errors.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct BadRow {
    pub line: usize,
    pub errors: FieldErrors,
}

/// The CSV columns of an import, in order (the header line must name them; a file may stop after
/// `strength`, and the six PARTNER sub-ratings at the end are optional as a group).
pub const CSV_COLUMNS: [&str; 15] = [
    "from",
    "to",
    "kind",
    "strength",
    "trust",
    "value",
    "started_on",
    "ended_on",
    "via_community",
    "reliability",
    "mission",
    "openness",
    "power",
    "resources",
    "involvement",
];

/// Parses a CSV of ties (header line first, comma-separated, no quoted commas). Every row is
/// checked; any bad row (or a bad header) means nothing is imported.
pub fn parse_csv(text: &str, today: NaiveDate) -> Result<Vec<RatedTie>, Vec<BadRow>> {
    let mut bad = Vec::new();
    let mut out = Vec::new();
    let mut lines = text.lines().enumerate();
    let header: Vec<String> = match lines.next() {
        Some((_, h)) => h.split(',').map(|s| s.trim().to_lowercase()).collect(),
        None => Vec::new(),
    };
    if header.len() < 4 || header.iter().zip(CSV_COLUMNS).any(|(h, c)| h != c) {
        return Err(vec![BadRow {
            line: 1,
            errors: FieldErrors::single("header", "tie-error-header"),
        }]);
    }
    for (i, line) in lines {
        if line.trim().is_empty() {
            continue;
        }
        let f: Vec<&str> = line
            .split(',')
            .map(|s| s.trim().trim_matches('"'))
            .collect();
        let g = |k: usize| f.get(k).copied().unwrap_or("").to_owned();
        let form = TieForm {
            from: g(0),
            to: g(1),
            kind: g(2),
            strength: g(3),
            trust: g(4),
            value: g(5),
            started_on: g(6),
            ended_on: g(7),
            via_community: g(8),
            reliability: g(9),
            mission: g(10),
            openness: g(11),
            power: g(12),
            resources: g(13),
            involvement: g(14),
        };
        match form.parse_rated(today) {
            Ok(t) => out.push(t),
            Err(errors) => bad.push(BadRow {
                line: i + 1,
                errors,
            }),
        }
    }
    if bad.is_empty() {
        Ok(out)
    } else {
        Err(bad)
    }
}

/// Fluent ids of the plain-language explanation of each figure (`network-explain-<figure>`).
pub const FIGURES: [&str; 18] = [
    "size",
    "ties",
    "density",
    "average-degree",
    "centralization",
    "components",
    "isolates",
    "clustering",
    "betweenness",
    "closeness",
    "pagerank",
    "communities",
    "brokerage",
    "cross-sector",
    "ei-index",
    "trust",
    "value",
    "change",
];

/// The explanation id of a figure.
pub fn explanation_id(figure: &str) -> String {
    format!("network-explain-{figure}")
}

/// A node to place: its id and its group (sector).
#[derive(Debug, Clone, PartialEq)]
pub struct LayoutNode {
    pub id: String,
    pub group: String,
}

/// Places nodes on a circle grouped by sector: groups in name order, nodes in id order within a
/// group, so the same network always gets the same picture. Coordinates fall in
/// `[margin, size - margin]`.
pub fn circular_layout(nodes: &[LayoutNode], size: f64, margin: f64) -> Vec<(f64, f64)> {
    let n = nodes.len();
    if n == 0 {
        return Vec::new();
    }
    let c = size / 2.0;
    if n == 1 {
        return vec![(c, c)];
    }
    let r = (size / 2.0 - margin).max(0.0);
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| {
        (nodes[a].group.as_str(), nodes[a].id.as_str())
            .cmp(&(nodes[b].group.as_str(), nodes[b].id.as_str()))
    });
    let mut out = vec![(c, c); n];
    for (slot, &i) in order.iter().enumerate() {
        let a = std::f64::consts::TAU * slot as f64 / n as f64 - std::f64::consts::FRAC_PI_2;
        out[i] = (
            ((c + r * a.cos()) * 10.0).round() / 10.0,
            ((c + r * a.sin()) * 10.0).round() / 10.0,
        );
    }
    out
}

/// One organization's rating of another through a tie: `from` (who answered or entered the tie)
/// rates `to`. Trust and value are the exact means when the tie has sub-ratings, the whole points
/// otherwise.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rating {
    pub from: i64,
    pub to: i64,
    pub trust: Option<f64>,
    pub value: Option<f64>,
}

/// An organization's PARTNER scores: the mean of what the others rate it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ActorScore {
    pub id: i64,
    pub trust: Option<f64>,
    pub value: Option<f64>,
    /// Organizations that rated it (trust or value).
    pub raters: usize,
}

fn mean_of(xs: &[f64]) -> Option<f64> {
    (!xs.is_empty()).then(|| xs.iter().sum::<f64>() / xs.len() as f64)
}

/// Each organization's trust and value scores from its incoming ratings. Each rater counts once:
/// when one organization rates another through several ties (say collaboration and referral),
/// its ratings are averaged first, then the raters' figures are averaged. Self-ratings are
/// ignored. Ordered by number of raters (most first), then by id.
pub fn actor_scores(ratings: &[Rating]) -> Vec<ActorScore> {
    // (to, from) → (trust ratings, value ratings)
    let mut pairs: BTreeMap<(i64, i64), (Vec<f64>, Vec<f64>)> = BTreeMap::new();
    for r in ratings.iter().filter(|r| r.from != r.to) {
        if r.trust.is_none() && r.value.is_none() {
            continue;
        }
        let e = pairs.entry((r.to, r.from)).or_default();
        e.0.extend(r.trust);
        e.1.extend(r.value);
    }
    let mut by_actor: BTreeMap<i64, (Vec<f64>, Vec<f64>, usize)> = BTreeMap::new();
    for ((to, _), (t, v)) in pairs {
        let e = by_actor.entry(to).or_default();
        e.0.extend(mean_of(&t));
        e.1.extend(mean_of(&v));
        e.2 += 1;
    }
    let mut out: Vec<ActorScore> = by_actor
        .into_iter()
        .map(|(id, (t, v, raters))| ActorScore {
            id,
            trust: mean_of(&t),
            value: mean_of(&v),
            raters,
        })
        .collect();
    out.sort_by(|a, b| b.raters.cmp(&a.raters).then(a.id.cmp(&b.id)));
    out
}

/// A network's PARTNER scores: mean trust and value over the ties that carry them, and each as a
/// percentage of the maximum (mean / 4 × 100).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct NetworkScores {
    pub trust: Option<f64>,
    pub value: Option<f64>,
    pub trust_percent: Option<f64>,
    pub value_percent: Option<f64>,
    /// Ties that carry a trust or a value rating.
    pub rated_ties: usize,
}

pub fn network_scores(ratings: &[Rating]) -> NetworkScores {
    let t: Vec<f64> = ratings.iter().filter_map(|r| r.trust).collect();
    let v: Vec<f64> = ratings.iter().filter_map(|r| r.value).collect();
    let trust = mean_of(&t);
    let value = mean_of(&v);
    NetworkScores {
        trust,
        value,
        trust_percent: trust.map(|x| x / 4.0 * 100.0),
        value_percent: value.map(|x| x / 4.0 * 100.0),
        rated_ties: ratings
            .iter()
            .filter(|r| r.trust.is_some() || r.value.is_some())
            .count(),
    }
}

/// A tie reduced to what the change computation needs.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TieKey {
    pub id: i64,
    pub from: i64,
    pub to: i64,
}

/// What changed between a baseline and now.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Change {
    /// Ties active now that were not at the baseline.
    pub added: Vec<i64>,
    /// Ties active at the baseline that are not any more.
    pub ended: Vec<i64>,
    /// Added ties whose two ends are of different sectors.
    pub new_cross_sector: Vec<i64>,
    /// (organization, rise in centrality), greatest rise first, at most `top`.
    pub risers: Vec<(i64, f64)>,
}

/// Compares the ties active at a baseline with those active now, and the centrality of the
/// members then and now (a member absent from one side counts 0 there).
pub fn change(
    before: &[TieKey],
    after: &[TieKey],
    sector: &HashMap<i64, String>,
    centrality_before: &HashMap<i64, f64>,
    centrality_after: &HashMap<i64, f64>,
    members: &BTreeSet<i64>,
    top: usize,
) -> Change {
    let b: BTreeSet<i64> = before.iter().map(|t| t.id).collect();
    let a: BTreeSet<i64> = after.iter().map(|t| t.id).collect();
    let added: Vec<i64> = a.difference(&b).copied().collect();
    let ended: Vec<i64> = b.difference(&a).copied().collect();
    let by_id: BTreeMap<i64, &TieKey> = after.iter().map(|t| (t.id, t)).collect();
    let new_cross_sector = added
        .iter()
        .copied()
        .filter(|id| {
            by_id
                .get(id)
                .is_some_and(|t| sector.get(&t.from) != sector.get(&t.to))
        })
        .collect();
    let mut risers: Vec<(i64, f64)> = members
        .iter()
        .map(|m| {
            let d = centrality_after.get(m).copied().unwrap_or(0.0)
                - centrality_before.get(m).copied().unwrap_or(0.0);
            (*m, d)
        })
        .filter(|(_, d)| *d > 1e-12)
        .collect();
    risers.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
    risers.truncate(top);
    Change {
        added,
        ended,
        new_cross_sector,
        risers,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
    }

    fn form(from: &str, to: &str, kind: &str, strength: &str) -> TieForm {
        TieForm {
            from: from.into(),
            to: to.into(),
            kind: kind.into(),
            strength: strength.into(),
            ..TieForm::default()
        }
    }

    #[test]
    fn kinds_directed_and_sensitive() {
        assert!(TieKind::Funding.directed() && TieKind::Funding.sensitive());
        assert!(TieKind::Referral.directed() && !TieKind::Referral.sensitive());
        assert!(!TieKind::Collaboration.directed());
        assert!(!TieKind::visible(false).contains(&TieKind::Funding));
        assert_eq!(TieKind::visible(true).len(), TieKind::ALL.len());
    }

    #[test]
    fn tie_form_parses_and_rejects() {
        let t = form("1", "2", "funding", "3").parse(today()).unwrap();
        assert_eq!(t.started_on, today());
        assert_eq!(t.strength, 3);
        let e = form("1", "1", "nope", "9").parse(today()).unwrap_err();
        assert_eq!(e.get("to"), Some("tie-error-self"));
        assert_eq!(e.get("kind"), Some("error-invalid-choice"));
        assert_eq!(e.get("strength"), Some("tie-error-out-of-range"));
        let mut f = form("1", "2", "alliance", "1");
        f.trust = "5".into();
        f.started_on = "2026-05-01".into();
        f.ended_on = "2026-01-01".into();
        let e = f.parse(today()).unwrap_err();
        assert_eq!(e.get("trust"), Some("tie-error-out-of-range"));
        assert_eq!(e.get("ended_on"), Some("tie-error-end-before-start"));
    }

    fn rated(from: &str, to: &str, subs: [&str; 6]) -> TieForm {
        let mut f = form(from, to, "collaboration", "2");
        f.reliability = subs[0].into();
        f.mission = subs[1].into();
        f.openness = subs[2].into();
        f.power = subs[3].into();
        f.resources = subs[4].into();
        f.involvement = subs[5].into();
        f
    }

    #[test]
    fn sub_ratings_derive_trust_and_value() {
        // Trust (4 + 3 + 1) / 3 = 2.67 → 3 points; value (2 + 2 + 1) / 3 = 1.67 → 2 points.
        let r = rated("1", "2", ["4", "3", "1", "2", "2", "1"])
            .parse_rated(today())
            .unwrap();
        let s = r.ratings.unwrap();
        assert_eq!(s.trust(), 2.67);
        assert_eq!(s.value(), 1.67);
        assert_eq!((r.tie.trust, r.tie.value), (Some(3), Some(2)));
        // (1 + 1 + 2) / 3 = 1.33 → 1; (4 + 4 + 4) / 3 = 4.
        let s = rated("1", "2", ["1", "1", "2", "4", "4", "4"])
            .parse_rated(today())
            .unwrap()
            .ratings
            .unwrap();
        assert_eq!((s.trust(), s.trust_points()), (1.33, 1));
        assert_eq!((s.value(), s.value_points()), (4.0, 4));
        // None given: trust and value as typed, no sub-ratings.
        let mut f = form("1", "2", "alliance", "1");
        f.trust = "2".into();
        let r = f.parse_rated(today()).unwrap();
        assert_eq!((r.tie.trust, r.ratings), (Some(2), None));
        // Some but not all: every missing one is named; out of range; mixed with direct trust.
        let e = rated("1", "2", ["4", "", "5", "2", "", "1"])
            .parse_rated(today())
            .unwrap_err();
        assert_eq!(e.get("mission"), Some("tie-error-ratings-all"));
        assert_eq!(e.get("resources"), Some("tie-error-ratings-all"));
        assert_eq!(e.get("openness"), Some("tie-error-out-of-range"));
        let mut f = rated("1", "2", ["4", "4", "4", "4", "4", "4"]);
        f.value = "3".into();
        assert_eq!(
            f.parse_rated(today()).unwrap_err().get("trust"),
            Some("tie-error-ratings-and-direct")
        );
        // Errors of the tie itself come with those of the sub-ratings.
        let e = rated("1", "1", ["0", "1", "1", "1", "1", "1"])
            .parse_rated(today())
            .unwrap_err();
        assert_eq!(e.get("to"), Some("tie-error-self"));
        assert_eq!(e.get("reliability"), Some("tie-error-out-of-range"));
    }

    #[test]
    fn scores_by_hand() {
        let r = |from, to, trust: Option<f64>, value: Option<f64>| Rating {
            from,
            to,
            trust,
            value,
        };
        let ratings = [
            // Org 1 rates 3 through two ties: (4 + 2) / 2 = 3 trust, value (3 + 1) / 2 = 2.
            r(1, 3, Some(4.0), Some(3.0)),
            r(1, 3, Some(2.0), Some(1.0)),
            // Org 2 rates 3: trust 2.67, value 1.33.
            r(2, 3, Some(2.67), Some(1.33)),
            // Org 4 rates 3 with trust only.
            r(4, 3, Some(1.0), None),
            // Org 3 rates 1; org 2 rates 1 without any rating (not a rater).
            r(3, 1, Some(4.0), Some(4.0)),
            r(2, 1, None, None),
            // A self-rating is ignored by the actor scores.
            r(5, 5, Some(1.0), Some(1.0)),
        ];
        let s = actor_scores(&ratings);
        assert_eq!(s.len(), 2);
        // Org 3: raters 1, 2, 4 → trust (3 + 2.67 + 1) / 3 = 2.2233…, value (2 + 1.33) / 2.
        assert_eq!((s[0].id, s[0].raters), (3, 3));
        assert!((s[0].trust.unwrap() - 6.67 / 3.0).abs() < 1e-9);
        assert!((s[0].value.unwrap() - 1.665).abs() < 1e-9);
        assert_eq!(
            s[1],
            ActorScore {
                id: 1,
                trust: Some(4.0),
                value: Some(4.0),
                raters: 1
            }
        );
        // The network: trust over 6 ties (4 + 2 + 2.67 + 1 + 4 + 1) / 6 = 2.445, value over 5
        // (3 + 1 + 1.33 + 4 + 1) / 5 = 2.066; percentages of 4.
        let n = network_scores(&ratings);
        assert!((n.trust.unwrap() - 14.67 / 6.0).abs() < 1e-9);
        assert!((n.value.unwrap() - 10.33 / 5.0).abs() < 1e-9);
        assert!((n.trust_percent.unwrap() - 14.67 / 6.0 / 4.0 * 100.0).abs() < 1e-9);
        assert!((n.value_percent.unwrap() - 51.65).abs() < 1e-9);
        assert_eq!(n.rated_ties, 6);
        assert_eq!(network_scores(&[]).trust, None);
    }

    #[test]
    fn csv_reports_every_bad_line() {
        let text = "from,to,kind,strength,trust,value,started_on,ended_on,via_community\n1,2,alliance,2,3,4,2026-01-01,,true\n1,1,alliance,2,,,,,\n\n2,3,bogus,1,,,,,\n";
        let bad = parse_csv(text, today()).unwrap_err();
        assert_eq!(bad.iter().map(|b| b.line).collect::<Vec<_>>(), vec![3, 5]);
        let ok = parse_csv("from,to,kind,strength\n1,2,referral,1\n", today()).unwrap();
        assert_eq!(ok.len(), 1);
        assert_eq!(parse_csv("a,b\n", today()).unwrap_err()[0].line, 1);
        let head = CSV_COLUMNS.join(",");
        let ok = parse_csv(
            &format!("{head}\n1,2,alliance,2,,,,,,4,3,1,2,2,1\n"),
            today(),
        )
        .unwrap();
        assert_eq!(ok[0].tie.trust, Some(3));
        assert_eq!(ok[0].ratings.unwrap().trust(), 2.67);
        let bad = parse_csv(&format!("{head}\n1,2,alliance,2,,,,,,4,3\n"), today()).unwrap_err();
        assert_eq!(bad[0].line, 2);
        assert_eq!(bad[0].errors.get("openness"), Some("tie-error-ratings-all"));
    }

    #[test]
    fn layout_is_deterministic_and_inside() {
        let nodes: Vec<LayoutNode> = (0..7)
            .map(|i| LayoutNode {
                id: format!("n{i}"),
                group: if i % 2 == 0 {
                    "cso".into()
                } else {
                    "government".into()
                },
            })
            .collect();
        let a = circular_layout(&nodes, 600.0, 40.0);
        let mut rev = nodes.clone();
        rev.reverse();
        let b = circular_layout(&rev, 600.0, 40.0);
        for (i, p) in a.iter().enumerate() {
            assert_eq!(*p, b[6 - i], "order of input must not matter");
            assert!(p.0 >= 39.9 && p.0 <= 560.1 && p.1 >= 39.9 && p.1 <= 560.1);
        }
        assert_eq!(
            circular_layout(&nodes[..1], 600.0, 40.0),
            vec![(300.0, 300.0)]
        );
        assert!(circular_layout(&[], 600.0, 40.0).is_empty());
    }

    #[test]
    fn change_against_baseline() {
        let k = |id, from, to| TieKey { id, from, to };
        let before = vec![k(1, 1, 2), k(2, 2, 3)];
        let after = vec![k(1, 1, 2), k(3, 1, 3), k(4, 1, 4)];
        let sector: HashMap<i64, String> = [(1, "cso"), (2, "cso"), (3, "cso"), (4, "government")]
            .into_iter()
            .map(|(i, s)| (i, s.to_owned()))
            .collect();
        let cb: HashMap<i64, f64> = [(1, 0.3), (2, 0.6)].into_iter().collect();
        let ca: HashMap<i64, f64> = [(1, 1.0), (2, 0.3)].into_iter().collect();
        let members: BTreeSet<i64> = [1, 2].into_iter().collect();
        let c = change(&before, &after, &sector, &cb, &ca, &members, 5);
        assert_eq!(c.added, vec![3, 4]);
        assert_eq!(c.ended, vec![2]);
        assert_eq!(c.new_cross_sector, vec![4]);
        assert_eq!(c.risers.len(), 1);
        assert_eq!(c.risers[0].0, 1);
    }

    #[test]
    fn every_figure_has_an_id() {
        assert_eq!(explanation_id("density"), "network-explain-density");
        assert_eq!(FIGURES.len(), 18);
    }
}
