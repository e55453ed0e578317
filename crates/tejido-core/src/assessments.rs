//! Assessments: one engine for every scored instrument (instrument → sections → items → scale →
//! responses → derived scores), seeded with the sustainability self-assessment and others.
//!
//! An [`Instrument`] is defined in code, with a key and a version, and names its texts by Fluent
//! ids (the catalogs translate them; `source` keeps the original English of the method for
//! reference and tests). Responses are per person and per item: a rating on the instrument's
//! [`Scale`] (or none yet), evidence and a note. Scores are pure functions of the ratings
//! ([`score`]): per item the figures over the people who rated it, per section the figures over
//! each respondent's own section mean, so a section's spread shows how far people disagree about
//! the section as a whole.

use serde::Serialize;

use crate::validate::{optional, FieldErrors, Validated};

/// A range of ratings this wide or wider (highest minus lowest) means people disagree.
pub const DISAGREEMENT_RANGE: f64 = 2.0;
/// Longest evidence text per response.
pub const MAX_EVIDENCE: usize = 2000;
/// Longest note per response.
pub const MAX_NOTE: usize = 1000;

/// One level of a rating scale: its value and the Fluent id of its name.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Level {
    pub value: i64,
    pub label: &'static str,
}

/// A rating scale with a text per level.
#[derive(Debug, Serialize)]
pub struct Scale {
    pub key: &'static str,
    pub levels: &'static [Level],
}

impl Scale {
    pub fn min(&self) -> i64 {
        self.levels.iter().map(|l| l.value).min().unwrap_or(0)
    }
    pub fn max(&self) -> i64 {
        self.levels.iter().map(|l| l.value).max().unwrap_or(0)
    }
    pub fn contains(&self, v: i64) -> bool {
        self.levels.iter().any(|l| l.value == v)
    }
    /// Parses a submitted rating: empty is "not rated yet" (`Ok(None)`); anything else must be
    /// one of the scale's values, or the error id `assessment-error-rating`.
    pub fn parse(&self, s: &str) -> Result<Option<i64>, &'static str> {
        let s = s.trim();
        if s.is_empty() {
            return Ok(None);
        }
        match s.parse::<i64>() {
            Ok(v) if self.contains(v) => Ok(Some(v)),
            _ => Err("assessment-error-rating"),
        }
    }
}

/// The five maturity stages (CLA): 0 Not yet present · 1 Emergent · 2 Expanding · 3 Advanced ·
/// 4 Institutionalized.
pub static MATURITY: Scale = Scale {
    key: "maturity",
    levels: &[
        Level {
            value: 0,
            label: "assessment-stage-0",
        },
        Level {
            value: 1,
            label: "assessment-stage-1",
        },
        Level {
            value: 2,
            label: "assessment-stage-2",
        },
        Level {
            value: 3,
            label: "assessment-stage-3",
        },
        Level {
            value: 4,
            label: "assessment-stage-4",
        },
    ],
};

/// One item (criterion) of an instrument.
#[derive(Debug, Serialize)]
pub struct Item {
    /// Stable key, stored with each response.
    pub key: &'static str,
    /// Fluent id of the item's text.
    pub text: &'static str,
    /// The original English text of the method, for reference.
    pub source: &'static str,
}

/// A section (dimension) of an instrument.
#[derive(Debug, Serialize)]
pub struct Section {
    pub key: &'static str,
    /// Fluent id of the section's name.
    pub title: &'static str,
    pub items: &'static [Item],
}

/// A versioned scored instrument.
#[derive(Debug, Serialize)]
pub struct Instrument {
    pub key: &'static str,
    pub version: i64,
    /// Fluent id of the instrument's name.
    pub title: &'static str,
    pub sections: &'static [Section],
    pub scale: &'static Scale,
}

impl Instrument {
    pub fn items(&self) -> impl Iterator<Item = &'static Item> + '_ {
        self.sections.iter().flat_map(|s| s.items.iter())
    }
    pub fn item(&self, key: &str) -> Option<&'static Item> {
        self.items().find(|i| i.key == key)
    }
    pub fn item_count(&self) -> usize {
        self.sections.iter().map(|s| s.items.len()).sum()
    }
}

/// Every instrument Tejido ships.
pub fn instruments() -> [&'static Instrument; 1] {
    [&crate::sustainability::INSTRUMENT]
}

pub fn instrument(key: &str) -> Option<&'static Instrument> {
    instruments().into_iter().find(|i| i.key == key)
}

/// Figures over a set of ratings. `sd` is the population standard deviation; `range` is
/// `max − min`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Stats {
    pub n: usize,
    pub mean: f64,
    pub median: f64,
    pub min: f64,
    pub max: f64,
    pub sd: f64,
    pub range: f64,
}

impl Stats {
    /// People disagree: at least two ratings [`DISAGREEMENT_RANGE`] or more apart.
    pub fn disagreement(&self) -> bool {
        self.n >= 2 && self.range >= DISAGREEMENT_RANGE - 1e-9
    }
}

/// Mean, median, min, max, standard deviation and range; `None` for no values.
pub fn stats(values: &[f64]) -> Option<Stats> {
    if values.is_empty() {
        return None;
    }
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    let mean = v.iter().sum::<f64>() / n as f64;
    let median = if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    };
    let var = v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n as f64;
    let (min, max) = (v[0], v[n - 1]);
    Some(Stats {
        n,
        mean,
        median,
        min,
        max,
        sd: var.sqrt(),
        range: max - min,
    })
}

/// One rating as scores read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rating {
    pub person: i64,
    pub item: String,
    pub value: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ItemScore {
    pub key: &'static str,
    /// Over the people who rated the item; `None` when nobody did.
    pub stats: Option<Stats>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SectionScore {
    pub key: &'static str,
    /// Over each respondent's mean of the section's items they rated.
    pub stats: Option<Stats>,
    pub items: Vec<ItemScore>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Scores {
    /// People who rated at least one item.
    pub respondents: usize,
    pub sections: Vec<SectionScore>,
}

impl Scores {
    /// The section means in the instrument's order (`None` where nobody rated).
    pub fn section_means(&self) -> Vec<Option<f64>> {
        self.sections
            .iter()
            .map(|s| s.stats.map(|x| x.mean))
            .collect()
    }
}

/// Scores of an instrument from its ratings. Ratings of unknown items or outside the scale are
/// ignored (storage refuses them anyway).
pub fn score(inst: &Instrument, ratings: &[Rating]) -> Scores {
    let ok = |r: &&Rating| inst.scale.contains(r.value) && inst.item(&r.item).is_some();
    let valid: Vec<&Rating> = ratings.iter().filter(ok).collect();
    let mut people: Vec<i64> = valid.iter().map(|r| r.person).collect();
    people.sort_unstable();
    people.dedup();
    let sections = inst
        .sections
        .iter()
        .map(|s| {
            let items = s
                .items
                .iter()
                .map(|i| {
                    let vals: Vec<f64> = valid
                        .iter()
                        .filter(|r| r.item == i.key)
                        .map(|r| r.value as f64)
                        .collect();
                    ItemScore {
                        key: i.key,
                        stats: stats(&vals),
                    }
                })
                .collect();
            let per_person: Vec<f64> = people
                .iter()
                .filter_map(|p| {
                    let mine: Vec<f64> = valid
                        .iter()
                        .filter(|r| r.person == *p && s.items.iter().any(|i| i.key == r.item))
                        .map(|r| r.value as f64)
                        .collect();
                    (!mine.is_empty()).then(|| mine.iter().sum::<f64>() / mine.len() as f64)
                })
                .collect();
            SectionScore {
                key: s.key,
                stats: stats(&per_person),
                items,
            }
        })
        .collect();
    Scores {
        respondents: people.len(),
        sections,
    }
}

/// One person's answer to one item, parsed. All of `value`, `evidence` and `note` empty means
/// "clear my answer".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseInput {
    pub item: &'static str,
    pub value: Option<i64>,
    pub evidence: Option<String>,
    pub note: Option<String>,
}

impl ResponseInput {
    pub fn is_empty(&self) -> bool {
        self.value.is_none() && self.evidence.is_none() && self.note.is_none()
    }
}

/// Form field names of an item's rating, evidence and note.
pub fn field_names(item: &str) -> (String, String, String) {
    (
        format!("r-{item}"),
        format!("e-{item}"),
        format!("n-{item}"),
    )
}

/// Parses a response form: for each item, `r-KEY` (rating, empty for none), `e-KEY` (evidence)
/// and `n-KEY` (note). Items missing from the form are left out, so a partial form changes only
/// what it carries. Errors are on the field names.
pub fn parse_responses(
    inst: &'static Instrument,
    pairs: &[(String, String)],
) -> Validated<Vec<ResponseInput>> {
    let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    let mut errors = FieldErrors::new();
    let mut out = vec![];
    for item in inst.items() {
        let (r, e, n) = field_names(item.key);
        let (rv, ev, nv) = (get(&r), get(&e), get(&n));
        if rv.is_none() && ev.is_none() && nv.is_none() {
            continue;
        }
        let value = match inst.scale.parse(rv.unwrap_or("")) {
            Ok(v) => v,
            Err(code) => {
                errors.add(&r, code);
                None
            }
        };
        let evidence = optional(&mut errors, &e, ev.unwrap_or(""), MAX_EVIDENCE);
        let note = optional(&mut errors, &n, nv.unwrap_or(""), MAX_NOTE);
        out.push(ResponseInput {
            item: item.key,
            value,
            evidence,
            note,
        });
    }
    errors.into_result(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(person: i64, item: &str, value: i64) -> Rating {
        Rating {
            person,
            item: item.to_owned(),
            value,
        }
    }

    #[test]
    fn stats_are_exact() {
        let s = stats(&[1.0, 4.0, 2.0, 1.0]).unwrap();
        assert_eq!(s.n, 4);
        assert_eq!(s.mean, 2.0);
        assert_eq!(s.median, 1.5);
        assert_eq!((s.min, s.max, s.range), (1.0, 4.0, 3.0));
        // population variance: (1 + 4 + 0 + 1) / 4 = 1.5
        assert!((s.sd - 1.5f64.sqrt()).abs() < 1e-12);
        assert!(s.disagreement());
        let one = stats(&[3.0]).unwrap();
        assert_eq!((one.median, one.sd), (3.0, 0.0));
        assert!(!one.disagreement());
        assert!(!stats(&[2.0, 3.0]).unwrap().disagreement());
        assert!(stats(&[2.0, 0.0]).unwrap().disagreement());
        assert!(stats(&[]).is_none());
    }

    #[test]
    fn scale_parses_only_its_levels() {
        assert_eq!(MATURITY.parse(""), Ok(None));
        assert_eq!(MATURITY.parse(" 0 "), Ok(Some(0)));
        assert_eq!(MATURITY.parse("4"), Ok(Some(4)));
        for bad in ["5", "-1", "2.5", "x"] {
            assert_eq!(MATURITY.parse(bad), Err("assessment-error-rating"), "{bad}");
        }
        assert_eq!((MATURITY.min(), MATURITY.max()), (0, 4));
    }

    #[test]
    fn scores_per_item_and_per_respondent_section_means() {
        let inst = &crate::sustainability::INSTRUMENT;
        let ratings = vec![
            r(1, "ms-1", 1),
            r(1, "ms-2", 3),
            r(2, "ms-1", 3),
            r(3, "fu-1", 0),
            r(3, "nope", 4),
        ];
        let s = score(inst, &ratings);
        assert_eq!(s.respondents, 3);
        let ms = &s.sections[0];
        // person 1: (1 + 3) / 2 = 2; person 2: 3 → mean 2.5
        let st = ms.stats.unwrap();
        assert_eq!((st.n, st.mean, st.min, st.max), (2, 2.5, 2.0, 3.0));
        let ms1 = ms.items[0].stats.unwrap();
        assert_eq!((ms1.n, ms1.mean, ms1.range), (2, 2.0, 2.0));
        assert!(ms1.disagreement());
        assert!(ms.items[2].stats.is_none());
        assert_eq!(s.sections[1].stats.unwrap().mean, 0.0);
        assert!(s.sections[2].stats.is_none());
        assert_eq!(s.section_means()[3], None);
    }

    #[test]
    fn responses_parse_and_refuse_out_of_scale() {
        let inst = &crate::sustainability::INSTRUMENT;
        let p = |v: &[(&str, &str)]| -> Vec<(String, String)> {
            v.iter()
                .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
                .collect()
        };
        let ok = parse_responses(
            inst,
            &p(&[
                ("r-ms-1", "2"),
                ("e-ms-1", " Acta "),
                ("n-ms-1", ""),
                ("r-ms-2", ""),
            ]),
        )
        .unwrap();
        assert_eq!(ok.len(), 2);
        assert_eq!(ok[0].value, Some(2));
        assert_eq!(ok[0].evidence.as_deref(), Some("Acta"));
        assert!(ok[1].is_empty());
        let e = parse_responses(inst, &p(&[("r-ms-1", "5"), ("r-cu-6", "-1")])).unwrap_err();
        assert_eq!(e.get("r-ms-1"), Some("assessment-error-rating"));
        assert_eq!(e.get("r-cu-6"), Some("assessment-error-rating"));
        let long = "x".repeat(MAX_EVIDENCE + 1);
        let e = parse_responses(inst, &p(&[("e-pr-1", &long)])).unwrap_err();
        assert_eq!(e.get("e-pr-1"), Some("error-too-long"));
    }
}
