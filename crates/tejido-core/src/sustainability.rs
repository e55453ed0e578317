//! Sustainability: the self-assessment of the seed's Table 4 ("Dimensions of sustainability") as
//! an [`Instrument`] of the assessment engine, the forms of a round and of an action item, and the
//! radar chart drawn as SVG.
//!
//! The four dimensions and every criterion are the seed's, in its order; `source` keeps the
//! seed's English word for word (footnote marks dropped), and the catalogs `sustainability.ftl`
//! carry the translations (`sust-item-*`).

use chrono::NaiveDate;

use crate::assessments::{Instrument, Item, Section, MATURITY};
use crate::validate::{required, FieldErrors, Validated};

/// The instrument's key, stored with each round.
pub const KEY: &str = "sustainability";

macro_rules! item {
    ($key:literal, $source:literal) => {
        Item {
            key: $key,
            text: concat!("sust-item-", $key),
            source: $source,
        }
    };
}

/// Sustainability of a learning community (the seed's Table 4), rated on the five maturity
/// stages.
pub static INSTRUMENT: Instrument = Instrument {
    key: KEY,
    version: 1,
    title: "sust-instrument",
    scale: &MATURITY,
    sections: &[
        Section {
            key: "management",
            title: "sust-dim-management",
            items: &[
                item!("ms-1", "Leadership: Clearly defined roles and responsibilities including delegations of authority to participating staff."),
                item!("ms-2", "A mission/vision is defined for the Learning Community."),
                item!("ms-3", "A set of accountability measures and interaction guidelines are defined."),
                item!("ms-4", "Participation schemes and methodologies are considered and incorporated, and level of effort is defined."),
            ],
        },
        Section {
            key: "funding",
            title: "sust-dim-funding",
            items: &[
                item!("fu-1", "Costs and resources: Clearly defined costs and schemes for contribution."),
                item!("fu-2", "Diversified funding: A fundraising plan that includes targeted donors, potential fee-for-service schemes, and opportunistic fundraising over time; clear responsibilities, budget goals and transparency mechanisms; and specific plans to diversify funding sources."),
                item!("fu-3", "Accounting services: Defined management, skills and level of effort needed to sustain the Learning Community"),
                item!("fu-4", "Mapping and recognition of the collective assets (in cash and in kind) that member CSOs can put forward."),
            ],
        },
        Section {
            key: "processes",
            title: "sust-dim-processes",
            items: &[
                item!("pr-1", "Participatory methodologies are established to elicit diverse contributions."),
                item!("pr-2", "Information sources are made public and local knowledge is incorporated."),
                item!("pr-3", "Procedures and systems are established to capture, synthesize, store, and disseminate key information and tacit knowledge."),
                item!("pr-4", "Roles and responsibilities of participants are clearly established to enable effective engagement in Learning Community activities."),
            ],
        },
        Section {
            key: "culture",
            title: "sust-dim-culture",
            items: &[
                item!("cu-1", "Levels of autonomy and decision-making processes are established to ensure constant and equitable participation."),
                item!("cu-2", "An environment is established and cultivated where people can share ideas (inclusive, open and safe spaces for collaboration and interaction)."),
                item!("cu-3", "Strong relationships are built on trust and good communication, in order to share knowledge and resources."),
                item!("cu-4", "Participants and members of the Learning Community are empowered to participate, learn and reflect."),
                item!("cu-5", "Reputation of participants, organizations and the Learning Community group is valued and protected."),
                item!("cu-6", "Experience of participants and organizations is leveraged and optimized."),
            ],
        },
    ],
};

/// Longest round or action title.
pub const MAX_TITLE: usize = 200;

fn date(errors: &mut FieldErrors, field: &str, value: &str) -> Option<NaiveDate> {
    let v = value.trim();
    if v.is_empty() {
        errors.add(field, "error-required");
        return None;
    }
    let d = NaiveDate::parse_from_str(v, "%Y-%m-%d").ok();
    if d.is_none() {
        errors.add(field, "error-date");
    }
    d
}

/// A new round as submitted.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize)]
#[serde(default)]
pub struct RoundForm {
    pub title: String,
    pub opens_on: String,
    pub closes_on: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoundInput {
    pub title: String,
    pub opens_on: NaiveDate,
    pub closes_on: NaiveDate,
}

impl RoundForm {
    pub fn parse(&self) -> Validated<RoundInput> {
        let mut e = FieldErrors::new();
        let title = required(&mut e, "title", &self.title, MAX_TITLE);
        let opens_on = date(&mut e, "opens_on", &self.opens_on);
        let closes_on = date(&mut e, "closes_on", &self.closes_on);
        if let (Some(o), Some(c)) = (opens_on, closes_on) {
            if c < o {
                e.add("closes_on", "sust-error-closes-before");
            }
        }
        match (opens_on, closes_on) {
            (Some(opens_on), Some(closes_on)) => e.into_result(RoundInput {
                title,
                opens_on,
                closes_on,
            }),
            _ => Err(e),
        }
    }
}

/// Whether a round takes ratings on `today` (its dates are inclusive).
pub fn accepting(opens_on: NaiveDate, closes_on: NaiveDate, today: NaiveDate) -> bool {
    opens_on <= today && today <= closes_on
}

/// An action item made from a gap, as submitted.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize)]
#[serde(default)]
pub struct ActionForm {
    pub item: String,
    pub title: String,
    pub owner: String,
    pub due_on: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionInput {
    pub item: &'static str,
    pub title: String,
    pub owner_person_id: i64,
    pub due_on: NaiveDate,
}

impl ActionForm {
    /// Parses the form; the caller checks the owner belongs to the community.
    pub fn parse(&self) -> Validated<ActionInput> {
        let mut e = FieldErrors::new();
        let item = crate::validate::choice(&mut e, "item", &self.item, |k| {
            INSTRUMENT.item(k).map(|i| i.key)
        });
        let title = required(&mut e, "title", &self.title, MAX_TITLE);
        let owner = crate::validate::choice(&mut e, "owner", &self.owner, |v| {
            v.parse::<i64>().ok().filter(|x| *x > 0)
        });
        let due_on = date(&mut e, "due_on", &self.due_on);
        match (item, owner, due_on) {
            (Some(item), Some(owner_person_id), Some(due_on)) => e.into_result(ActionInput {
                item,
                title,
                owner_person_id,
                due_on,
            }),
            _ => Err(e),
        }
    }
}

/// The statuses of an action item.
pub const ACTION_STATUSES: [&str; 2] = ["open", "done"];

/// One outline of a radar chart: a label and one value per axis (`None` drawn at the centre).
#[derive(Debug, Clone)]
pub struct RadarSeries {
    pub label: String,
    pub values: Vec<Option<f64>>,
}

fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

/// Splits a label into lines of at most `width` characters at spaces.
fn wrap(s: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = vec![];
    for w in s.split_whitespace() {
        match lines.last_mut() {
            Some(l) if l.chars().count() + 1 + w.chars().count() <= width => {
                l.push(' ');
                l.push_str(w);
            }
            _ => lines.push(w.to_owned()),
        }
    }
    lines
}

const RADAR_W: f64 = 480.0;
const RADAR_H: f64 = 400.0;
const RADAR_R: f64 = 105.0;
/// The centre's height: above the middle, to leave room for the legend.
const RADAR_CY: f64 = 175.0;
/// Stroke and fill of the first series (the round shown), then of earlier rounds.
const RADAR_COLORS: [&str; 4] = ["#1d5c8c", "#a4161a", "#6b6b6b", "#b36b00"];

/// A radar chart as inline SVG: one axis per entry of `axes` (from the top, clockwise), rings for
/// each whole value from 1 to `max`, and one `<polygon>` per series — the first filled (the
/// round shown), the others dashed outlines (earlier rounds). Every text is escaped. `id` must
/// be unique in the page; the chart is `role="img"` labelled by its `<title>`, and the page
/// should show the same numbers in a table beside it.
pub fn radar_svg(
    id: &str,
    title: &str,
    axes: &[String],
    series: &[RadarSeries],
    max: f64,
) -> String {
    use std::fmt::Write;
    let id = esc(id);
    let (cx, cy) = (RADAR_W / 2.0, RADAR_CY);
    let n = axes.len().max(1);
    let max = if max > 0.0 { max } else { 1.0 };
    let angle =
        |i: usize| -std::f64::consts::FRAC_PI_2 + std::f64::consts::TAU * i as f64 / n as f64;
    let point = |i: usize, r: f64| (cx + r * angle(i).cos(), cy + r * angle(i).sin());
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="radar ownership-chart" viewBox="0 0 {RADAR_W} {RADAR_H}" role="img" aria-labelledby="{id}-t"><title id="{id}-t">{}</title>"#,
        esc(title)
    );
    // Rings (as paths, so the only polygons are the series) and spokes.
    for k in 1..=(max.floor() as i64) {
        let r = RADAR_R * k as f64 / max;
        let mut d = String::new();
        for i in 0..n {
            let (x, y) = point(i, r);
            let _ = write!(d, "{}{x:.1},{y:.1} ", if i == 0 { "M" } else { "L" });
        }
        d.push('Z');
        let _ = write!(
            s,
            r##"<path d="{d}" fill="none" stroke="#c8c8c8" stroke-width="1"/>"##
        );
    }
    for i in 0..n {
        let (x, y) = point(i, RADAR_R);
        let _ = write!(
            s,
            r##"<line x1="{cx:.1}" y1="{cy:.1}" x2="{x:.1}" y2="{y:.1}" stroke="#c8c8c8" stroke-width="1"/>"##
        );
    }
    // Earlier rounds first so the round shown is drawn on top.
    for (k, ser) in series.iter().enumerate().rev() {
        let color = RADAR_COLORS[k.min(RADAR_COLORS.len() - 1)];
        let pts: Vec<String> = (0..n)
            .map(|i| {
                let v = ser.values.get(i).copied().flatten().unwrap_or(0.0);
                let (x, y) = point(i, RADAR_R * v.clamp(0.0, max) / max);
                format!("{x:.1},{y:.1}")
            })
            .collect();
        let style = if k == 0 {
            format!(r#"fill="{color}" fill-opacity="0.25" stroke="{color}" stroke-width="2.5""#)
        } else {
            format!(r#"fill="none" stroke="{color}" stroke-width="2" stroke-dasharray="6 4""#)
        };
        let _ = write!(
            s,
            r#"<polygon class="radar-series" points="{}" {style}><title>{}</title></polygon>"#,
            pts.join(" "),
            esc(&ser.label)
        );
    }
    // Axis labels, wrapped, anchored away from the centre.
    for (i, a) in axes.iter().enumerate() {
        let (x, y) = point(i, RADAR_R + 14.0);
        let c = angle(i).cos();
        let anchor = if c > 0.3 {
            "start"
        } else if c < -0.3 {
            "end"
        } else {
            "middle"
        };
        let lines = wrap(a, 14);
        let sn = angle(i).sin();
        let y0 = if sn < -0.5 {
            y - 17.0 * (lines.len() as f64 - 1.0)
        } else if sn > 0.5 {
            y + 12.0
        } else {
            y - 8.5 * (lines.len() as f64 - 1.0) + 5.0
        };
        let _ = write!(
            s,
            r##"<text x="{x:.1}" y="{y0:.1}" text-anchor="{anchor}" font-size="15" fill="#222">"##
        );
        for (j, l) in lines.iter().enumerate() {
            let _ = write!(
                s,
                r#"<tspan x="{x:.1}" dy="{}">{}</tspan>"#,
                if j == 0 { 0.0 } else { 17.0 },
                esc(l)
            );
        }
        s.push_str("</text>");
    }
    // Legend.
    for (k, ser) in series.iter().enumerate() {
        let color = RADAR_COLORS[k.min(RADAR_COLORS.len() - 1)];
        let y = RADAR_H - 10.0 - 22.0 * (series.len() - 1 - k) as f64;
        let dash = if k == 0 {
            ""
        } else {
            r#" stroke-dasharray="6 4""#
        };
        let _ = write!(
            s,
            r##"<line x1="8" y1="{:.1}" x2="34" y2="{:.1}" stroke="{color}" stroke-width="3"{dash}/><text x="40" y="{:.1}" font-size="14" fill="#222">{}</text>"##,
            y - 4.0,
            y - 4.0,
            y,
            esc(&ser.label)
        );
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instrument_is_the_seeds_table_4() {
        let dims: Vec<(&str, usize)> = INSTRUMENT
            .sections
            .iter()
            .map(|s| (s.key, s.items.len()))
            .collect();
        assert_eq!(
            dims,
            [
                ("management", 4),
                ("funding", 4),
                ("processes", 4),
                ("culture", 6)
            ]
        );
        assert_eq!(INSTRUMENT.item_count(), 18);
        assert_eq!(INSTRUMENT.scale.levels.len(), 5);
        let mut keys: Vec<&str> = INSTRUMENT.items().map(|i| i.key).collect();
        keys.dedup();
        assert_eq!(keys.len(), 18);
        assert!(INSTRUMENT
            .items()
            .all(|i| i.text == format!("sust-item-{}", i.key)));
        assert!(INSTRUMENT.items().all(|i| !i.source.contains("13")));
        assert_eq!(
            crate::assessments::instrument(KEY).map(|i| i.item_count()),
            Some(18)
        );
    }

    #[test]
    fn round_form_checks_dates() {
        let f = RoundForm {
            title: " Ronda 2026 ".into(),
            opens_on: "2026-03-01".into(),
            closes_on: "2026-03-15".into(),
        };
        let i = f.parse().unwrap();
        assert_eq!(i.title, "Ronda 2026");
        assert!(accepting(i.opens_on, i.closes_on, i.closes_on));
        assert!(!accepting(
            i.opens_on,
            i.closes_on,
            i.closes_on.succ_opt().unwrap()
        ));
        let bad = RoundForm {
            title: String::new(),
            opens_on: "2026-03-15".into(),
            closes_on: "2026-03-01".into(),
        };
        let e = bad.parse().unwrap_err();
        assert_eq!(e.get("title"), Some("error-required"));
        assert_eq!(e.get("closes_on"), Some("sust-error-closes-before"));
        let e = RoundForm {
            title: "x".into(),
            opens_on: "ayer".into(),
            closes_on: String::new(),
        }
        .parse()
        .unwrap_err();
        assert_eq!(e.get("opens_on"), Some("error-date"));
        assert_eq!(e.get("closes_on"), Some("error-required"));
    }

    #[test]
    fn action_form() {
        let ok = ActionForm {
            item: "fu-2".into(),
            title: "Plan de procuración".into(),
            owner: "7".into(),
            due_on: "2026-06-30".into(),
        }
        .parse()
        .unwrap();
        assert_eq!((ok.item, ok.owner_person_id), ("fu-2", 7));
        let e = ActionForm {
            item: "zz-9".into(),
            owner: "abc".into(),
            ..Default::default()
        }
        .parse()
        .unwrap_err();
        assert_eq!(e.get("item"), Some("error-invalid-choice"));
        assert_eq!(e.get("owner"), Some("error-invalid-choice"));
        assert_eq!(e.get("title"), Some("error-required"));
        assert_eq!(e.get("due_on"), Some("error-required"));
    }

    #[test]
    fn radar_has_a_polygon_per_series_and_escapes() {
        let axes: Vec<String> = [
            "Gestión <y> estructura",
            "Financiamiento",
            "Procesos",
            "Cultura",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
        let series = vec![
            RadarSeries {
                label: "Ronda \"2026\" & más".into(),
                values: vec![Some(2.5), Some(1.0), None, Some(4.0)],
            },
            RadarSeries {
                label: "Ronda 2025".into(),
                values: vec![Some(1.0), Some(0.5), Some(1.0), Some(2.0)],
            },
        ];
        let s = radar_svg("r1", "Radar <script>", &axes, &series, 4.0);
        assert_eq!(s.matches("<polygon").count(), 2);
        assert!(s.starts_with("<svg") && s.ends_with("</svg>"));
        assert!(s.contains(r#"role="img""#) && s.contains(r#"aria-labelledby="r1-t""#));
        assert!(s.contains("Radar &lt;script&gt;"));
        assert!(s.contains("Gestión &lt;y&gt;"));
        assert!(s.contains("Ronda &quot;2026&quot; &amp; más"));
        assert!(!s.contains("<script>") && !s.contains("<y>"));
        // Culture (left axis) at the full 4 sits on the outer ring; a missing value at the centre.
        assert!(s.contains("135.0,175.0"));
        assert!(s.contains("240.0,175.0"));
    }
}
