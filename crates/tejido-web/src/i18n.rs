//! Translation catalogs (Fluent, `locales/<lang>/<capability>.ftl`), compiled into the binary.
//! es-MX is the reference; en mirrors it, and a test checks the two have the same ids and that
//! every id used in templates and code exists. Dates are shown in the community's time zone
//! (America/Mexico_City by default) and formatted for the locale.

use std::borrow::Cow;
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use tejido_core::accounts::Locale;

/// The catalog files, in the same order for every language.
pub const FILES: [&str; 24] = [
    "common",
    "accounts",
    "directory",
    "communities",
    "admin",
    "governance",
    "charter",
    "rotation",
    "events",
    "agenda",
    "minutes",
    "polls",
    "network",
    "uploads",
    "library",
    "search",
    "discussions",
    "support",
    "onboarding",
    "outcomes",
    "projects",
    "sustainability",
    "funding",
    "reports",
];

macro_rules! catalog {
    ($lang:literal) => {
        [
            include_str!(concat!("../../../locales/", $lang, "/common.ftl")),
            include_str!(concat!("../../../locales/", $lang, "/accounts.ftl")),
            include_str!(concat!("../../../locales/", $lang, "/directory.ftl")),
            include_str!(concat!("../../../locales/", $lang, "/communities.ftl")),
            include_str!(concat!("../../../locales/", $lang, "/admin.ftl")),
            include_str!(concat!("../../../locales/", $lang, "/governance.ftl")),
            include_str!(concat!("../../../locales/", $lang, "/charter.ftl")),
            include_str!(concat!("../../../locales/", $lang, "/rotation.ftl")),
            include_str!(concat!("../../../locales/", $lang, "/events.ftl")),
            include_str!(concat!("../../../locales/", $lang, "/agenda.ftl")),
            include_str!(concat!("../../../locales/", $lang, "/minutes.ftl")),
            include_str!(concat!("../../../locales/", $lang, "/polls.ftl")),
            include_str!(concat!("../../../locales/", $lang, "/network.ftl")),
            include_str!(concat!("../../../locales/", $lang, "/uploads.ftl")),
            include_str!(concat!("../../../locales/", $lang, "/library.ftl")),
            include_str!(concat!("../../../locales/", $lang, "/search.ftl")),
            include_str!(concat!("../../../locales/", $lang, "/discussions.ftl")),
            include_str!(concat!("../../../locales/", $lang, "/support.ftl")),
            include_str!(concat!("../../../locales/", $lang, "/onboarding.ftl")),
            include_str!(concat!("../../../locales/", $lang, "/outcomes.ftl")),
            include_str!(concat!("../../../locales/", $lang, "/projects.ftl")),
            include_str!(concat!("../../../locales/", $lang, "/sustainability.ftl")),
            include_str!(concat!("../../../locales/", $lang, "/funding.ftl")),
            include_str!(concat!("../../../locales/", $lang, "/reports.ftl")),
        ]
    };
}

pub const ES_MX: [&str; 24] = catalog!("es-MX");
pub const EN: [&str; 24] = catalog!("en");

pub struct I18n {
    bundles: HashMap<&'static str, FluentBundle<FluentResource>>,
}

impl I18n {
    /// Builds the bundles; a syntax error in a catalog is a bug caught by the tests.
    pub fn new() -> anyhow::Result<I18n> {
        let mut bundles = HashMap::new();
        for (loc, files) in [(Locale::EsMx, ES_MX), (Locale::En, EN)] {
            let lang: unic_langid::LanguageIdentifier = loc.as_str().parse()?;
            let mut b = FluentBundle::new_concurrent(vec![lang]);
            b.set_use_isolating(false);
            for (i, src) in files.iter().enumerate() {
                let res = FluentResource::try_new((*src).to_owned()).map_err(|(_, e)| {
                    anyhow::anyhow!("{}/{}.ftl: {:?}", loc.as_str(), FILES[i], e)
                })?;
                b.add_resource(res)
                    .map_err(|e| anyhow::anyhow!("{}/{}.ftl: {:?}", loc.as_str(), FILES[i], e))?;
            }
            bundles.insert(loc.as_str(), b);
        }
        Ok(I18n { bundles })
    }

    pub fn has(&self, locale: Locale, id: &str) -> bool {
        self.bundles
            .get(locale.as_str())
            .is_some_and(|b| b.has_message(id))
    }

    /// The message `id` with `args`; a missing id shows itself (and a test forbids that).
    pub fn get(&self, locale: Locale, id: &str, args: &[(&str, &str)]) -> String {
        let Some(b) = self.bundles.get(locale.as_str()) else {
            return id.to_owned();
        };
        let Some(msg) = b.get_message(id) else {
            return id.to_owned();
        };
        let Some(pattern) = msg.value() else {
            return id.to_owned();
        };
        let mut fa = FluentArgs::new();
        for (k, v) in args {
            match v.parse::<f64>() {
                Ok(n) if !v.is_empty() && v.chars().all(|c| c.is_ascii_digit() || c == '-') => {
                    fa.set(*k, FluentValue::from(n))
                }
                _ => fa.set(*k, FluentValue::String(Cow::Owned((*v).to_owned()))),
            }
        }
        let mut errs = vec![];
        let s = b.format_pattern(
            pattern,
            if args.is_empty() { None } else { Some(&fa) },
            &mut errs,
        );
        s.into_owned()
    }
}

/// A locale bound to the catalogs: what templates call to translate.
#[derive(Clone, Copy)]
pub struct Tr<'a> {
    pub i18n: &'a I18n,
    pub locale: Locale,
}

impl Tr<'_> {
    pub fn t(&self, id: &str) -> String {
        self.i18n.get(self.locale, id, &[])
    }
    pub fn t1(&self, id: &str, k: &str, v: &str) -> String {
        self.i18n.get(self.locale, id, &[(k, v)])
    }
    pub fn t2(&self, id: &str, k1: &str, v1: &str, k2: &str, v2: &str) -> String {
        self.i18n.get(self.locale, id, &[(k1, v1), (k2, v2)])
    }
    /// The label of a catalog value: `<prefix>-<value>`, e.g. `org-kind-cso`.
    pub fn label(&self, prefix: &str, value: &str) -> String {
        self.t(&format!("{prefix}-{value}"))
    }
    /// A date in the given IANA zone, e.g. "25 nov 2026" / "Nov 25, 2026".
    pub fn date(&self, at: &DateTime<Utc>, tz: &str) -> String {
        let tz: chrono_tz::Tz = tz.parse().unwrap_or(chrono_tz::America::Mexico_City);
        let d = at.with_timezone(&tz);
        let month = self.t(&format!("month-{}", d.format("%m")));
        match self.locale {
            Locale::EsMx => format!("{} {} {}", d.format("%-d"), month, d.format("%Y")),
            Locale::En => format!("{} {}, {}", month, d.format("%-d"), d.format("%Y")),
        }
    }
    /// Date and time, 24-hour in Spanish, 12-hour in English.
    pub fn datetime(&self, at: &DateTime<Utc>, tz: &str) -> String {
        let zone: chrono_tz::Tz = tz.parse().unwrap_or(chrono_tz::America::Mexico_City);
        let d = at.with_timezone(&zone);
        match self.locale {
            Locale::EsMx => format!("{} {}", self.date(at, tz), d.format("%H:%M")),
            Locale::En => format!("{} {}", self.date(at, tz), d.format("%-I:%M %p")),
        }
    }
    /// An integer with the locale's digit grouping (both use a comma in Mexico and the US).
    pub fn int(&self, n: i64) -> String {
        let s = n.unsigned_abs().to_string();
        let mut out = String::new();
        for (i, c) in s.chars().enumerate() {
            if i > 0 && (s.len() - i).is_multiple_of(3) {
                out.push(',');
            }
            out.push(c);
        }
        if n < 0 {
            format!("-{out}")
        } else {
            out
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn ids(src: &str) -> Vec<String> {
        src.lines()
            .filter(|l| !l.starts_with(' ') && !l.starts_with('#') && l.contains('='))
            .filter_map(|l| l.split('=').next().map(|s| s.trim().to_owned()))
            .filter(|s| !s.is_empty() && !s.starts_with('.'))
            .collect()
    }

    #[test]
    fn catalogs_parse_and_mirror() {
        I18n::new().unwrap();
        for (i, f) in FILES.iter().enumerate() {
            let mut es = ids(ES_MX[i]);
            let mut en = ids(EN[i]);
            es.sort();
            en.sort();
            let missing_en: Vec<_> = es.iter().filter(|x| !en.contains(x)).collect();
            let missing_es: Vec<_> = en.iter().filter(|x| !es.contains(x)).collect();
            assert!(
                missing_en.is_empty() && missing_es.is_empty(),
                "{f}.ftl: missing in en {missing_en:?}, missing in es-MX {missing_es:?}"
            );
            let mut dedup = es.clone();
            dedup.dedup();
            assert_eq!(dedup.len(), es.len(), "{f}.ftl has a duplicate id");
        }
    }

    /// Every `t("…")`, `t1("…"`, `t2("…"` and `label("prefix", …)` id used in templates and code exists.
    #[test]
    fn every_used_id_exists() {
        let i = I18n::new().unwrap();
        let root = concat!(env!("CARGO_MANIFEST_DIR"));
        let mut files = vec![];
        fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
            for e in std::fs::read_dir(dir).unwrap().flatten() {
                let p = e.path();
                if p.is_dir() {
                    walk(&p, out);
                } else if p.extension().is_some_and(|x| x == "html" || x == "rs") {
                    out.push(p);
                }
            }
        }
        walk(&std::path::Path::new(root).join("templates"), &mut files);
        walk(&std::path::Path::new(root).join("src"), &mut files);
        let mut missing = vec![];
        for f in files {
            let src = std::fs::read_to_string(&f).unwrap();
            for pat in ["t(\"", "t1(\"", "t2(\"", "tr_id(\""] {
                for (pos, _) in src.match_indices(pat) {
                    // skip identifiers that merely end in t, like `Ok(` or `get(`
                    let before = src[..pos].chars().last().unwrap_or(' ');
                    if before.is_alphanumeric() || before == '_' {
                        continue;
                    }
                    let rest = &src[pos + pat.len()..];
                    let id: String = rest.chars().take_while(|c| *c != '"').collect();
                    // Only literal ids (the doc comment above shows the pattern with "…").
                    if id.is_empty()
                        || !id
                            .chars()
                            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                    {
                        continue;
                    }
                    for loc in Locale::ALL {
                        if !i.has(loc, &id) {
                            missing.push(format!("{}: {} ({})", f.display(), id, loc.as_str()));
                        }
                    }
                }
            }
        }
        assert!(
            missing.is_empty(),
            "missing messages:\n{}",
            missing.join("\n")
        );
    }

    #[test]
    fn formats_dates_per_locale() {
        let i = I18n::new().unwrap();
        let at = DateTime::parse_from_rfc3339("2026-11-25T02:30:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let es = Tr {
            i18n: &i,
            locale: Locale::EsMx,
        };
        let en = Tr {
            i18n: &i,
            locale: Locale::En,
        };
        // 02:30 UTC is the evening before in Mexico City (UTC-6).
        assert_eq!(es.datetime(&at, "America/Mexico_City"), "24 nov 2026 20:30");
        assert_eq!(
            en.datetime(&at, "America/Mexico_City"),
            "Nov 24, 2026 8:30 PM"
        );
        assert_eq!(es.int(1234567), "1,234,567");
    }
}
