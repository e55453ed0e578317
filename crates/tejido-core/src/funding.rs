//! Funding: exact money, the kinds and stages the funding pages use, and the forms that record
//! costs, contributions, collective assets and asks of the fundraising pipeline.
//!
//! **Money is exact.** An amount is an integer number of minor units (centavos, cents) and a
//! currency; nothing here uses floats. Sums never mix currencies: [`Totals`] keeps one running
//! sum per currency.
//!
//! **Reading an amount** ([`parse_amount`], Mexican usage): `.` is the decimal separator (at
//! most two decimals) and `,` separates thousands in groups of three (`1,234.50`, `1234.5`,
//! `12,000`). A leading `$` (or `€`, `US$`) and a trailing currency code (`MXN`, `USD`, `EUR`) are
//! allowed, so whatever [`Money::display`] prints reads back. Everything else is refused with a
//! Fluent error id, never guessed: a comma followed by one or two digits (`1,5`, `1 234,50`:
//! European decimals) is *ambiguous*; spaces inside the number, misplaced commas, a third
//! decimal, signs and letters are *invalid*; zero is refused; amounts over
//! [`MAX_MINOR`] are too large.

use std::collections::BTreeMap;
use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::validate::{self, FieldErrors, Validated};

/// The largest amount accepted, in minor units (10 billion in major units): sums of many rows
/// stay far from `i64::MAX`.
pub const MAX_MINOR: i64 = 1_000_000_000_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Currency {
    #[serde(rename = "MXN")]
    Mxn,
    #[serde(rename = "USD")]
    Usd,
    #[serde(rename = "EUR")]
    Eur,
}

impl Currency {
    pub const ALL: [Currency; 3] = [Self::Mxn, Self::Usd, Self::Eur];
    pub const DEFAULT: Currency = Self::Mxn;
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Mxn => "MXN",
            Self::Usd => "USD",
            Self::Eur => "EUR",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        Self::ALL
            .into_iter()
            .find(|c| c.as_str().eq_ignore_ascii_case(s))
    }
    pub fn symbol(self) -> &'static str {
        match self {
            Self::Mxn | Self::Usd => "$",
            Self::Eur => "€",
        }
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An exact amount of one currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Money {
    pub minor: i64,
    pub currency: Currency,
}

/// `1234.50` style: no thousands separators, two decimals, a leading `-` when negative.
pub fn plain(minor: i64) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    let a = minor.unsigned_abs();
    format!("{sign}{}.{:02}", a / 100, a % 100)
}

/// `1,234.50` style (Mexican usage).
pub fn grouped(minor: i64) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    let a = minor.unsigned_abs();
    let units = (a / 100).to_string();
    let mut out = String::with_capacity(units.len() + units.len() / 3 + 4);
    for (i, ch) in units.chars().enumerate() {
        if i > 0 && (units.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    format!("{sign}{out}.{:02}", a % 100)
}

impl Money {
    pub fn new(minor: i64, currency: Currency) -> Self {
        Self { minor, currency }
    }
    /// `$1,234.50 MXN`.
    pub fn display(&self) -> String {
        if self.minor < 0 {
            format!(
                "-{}{} {}",
                self.currency.symbol(),
                grouped(-self.minor),
                self.currency
            )
        } else {
            format!(
                "{}{} {}",
                self.currency.symbol(),
                grouped(self.minor),
                self.currency
            )
        }
    }
    /// `1234.50`, as the JSON API writes amounts (a string, never a JSON number).
    pub fn plain(&self) -> String {
        plain(self.minor)
    }
    /// Reads what [`Money::display`] prints, or a bare amount in `default` currency.
    pub fn parse(s: &str, default: Currency) -> Result<Money, &'static str> {
        let (minor, code) = parse_amount(s)?;
        Ok(Money::new(minor, code.unwrap_or(default)))
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display())
    }
}

/// JSON: `{"amount": "1234.50", "currency": "MXN"}`.
impl Serialize for Money {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Money", 2)?;
        st.serialize_field("amount", &self.plain())?;
        st.serialize_field("currency", &self.currency)?;
        st.end()
    }
}

pub const ERR_INVALID: &str = "funding-error-amount-invalid";
pub const ERR_AMBIGUOUS: &str = "funding-error-amount-ambiguous";
pub const ERR_ZERO: &str = "funding-error-amount-zero";
pub const ERR_TOO_LARGE: &str = "funding-error-amount-too-large";
pub const ERR_CURRENCY: &str = "funding-error-currency-mismatch";

/// Parses a positive amount (see the module's rules) into minor units and the currency code
/// written after it, if any. Errors are Fluent ids.
pub fn parse_amount(input: &str) -> Result<(i64, Option<Currency>), &'static str> {
    let mut s = input.trim();
    if s.is_empty() {
        return Err("error-required");
    }
    // A trailing currency code.
    let mut code = None;
    if s.len() > 3 {
        if let Some(tail) = s.get(s.len() - 3..) {
            if let Some(c) = Currency::parse(tail) {
                if tail.chars().all(|ch| ch.is_ascii_alphabetic()) {
                    code = Some(c);
                    s = s[..s.len() - 3].trim_end();
                }
            }
        }
    }
    // A leading symbol.
    for sym in ["US$", "MX$", "$", "€"] {
        if let Some(rest) = s.strip_prefix(sym) {
            s = rest.trim_start();
            break;
        }
    }
    if s.is_empty() {
        return Err(ERR_INVALID);
    }
    if !s
        .chars()
        .all(|ch| ch.is_ascii_digit() || ch == ',' || ch == '.')
    {
        // Spaces inside the number: "1 234,50" reads as a European amount; other characters
        // (letters, signs) are simply invalid.
        if s.chars().any(char::is_whitespace) && s.contains(',') {
            return Err(ERR_AMBIGUOUS);
        }
        return Err(ERR_INVALID);
    }
    let (int_part, frac_part) = match s.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (s, None),
    };
    if let Some(f) = frac_part {
        if f.contains(',') || f.contains('.') {
            // "1.234,50" (European grouping) or two dots.
            return Err(if f.contains(',') {
                ERR_AMBIGUOUS
            } else {
                ERR_INVALID
            });
        }
        if f.is_empty() || f.len() > 2 {
            return Err(ERR_INVALID);
        }
    }
    if int_part.is_empty() {
        return Err(ERR_INVALID);
    }
    let groups: Vec<&str> = int_part.split(',').collect();
    if groups.len() > 1 {
        // A comma then one or two digits at the end, with no decimal point: "1,5", "12,50".
        let last = groups[groups.len() - 1];
        if frac_part.is_none() && groups.len() == 2 && (1..=2).contains(&last.len()) {
            return Err(ERR_AMBIGUOUS);
        }
        let first_ok = (1..=3).contains(&groups[0].len());
        if !first_ok || groups[1..].iter().any(|g| g.len() != 3) {
            return Err(ERR_INVALID);
        }
    }
    let digits: String = groups.concat();
    if digits.len() > 13 {
        return Err(ERR_TOO_LARGE);
    }
    let units: i64 = digits.parse().map_err(|_| ERR_INVALID)?;
    let cents: i64 = match frac_part {
        None => 0,
        Some(f) if f.len() == 1 => f.parse::<i64>().map_err(|_| ERR_INVALID)? * 10,
        Some(f) => f.parse::<i64>().map_err(|_| ERR_INVALID)?,
    };
    let minor = units
        .checked_mul(100)
        .and_then(|u| u.checked_add(cents))
        .ok_or(ERR_TOO_LARGE)?;
    if minor == 0 {
        return Err(ERR_ZERO);
    }
    if minor > MAX_MINOR {
        return Err(ERR_TOO_LARGE);
    }
    Ok((minor, code))
}

/// Running sums, one per currency; never mixes currencies.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Totals(BTreeMap<Currency, i64>);

impl Totals {
    pub fn new() -> Self {
        Self::default()
    }
    /// Adds an amount to its currency's sum (saturating: amounts are bounded by [`MAX_MINOR`]
    /// so this never saturates in practice).
    pub fn add(&mut self, m: Money) {
        let e = self.0.entry(m.currency).or_insert(0);
        *e = e.saturating_add(m.minor);
    }
    pub fn get(&self, c: Currency) -> i64 {
        self.0.get(&c).copied().unwrap_or(0)
    }
    /// One amount per currency present, MXN first.
    pub fn amounts(&self) -> Vec<Money> {
        self.0.iter().map(|(c, m)| Money::new(*m, *c)).collect()
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl FromIterator<Money> for Totals {
    fn from_iter<I: IntoIterator<Item = Money>>(iter: I) -> Self {
        let mut t = Totals::new();
        for m in iter {
            t.add(m);
        }
        t
    }
}

// ---- kinds and stages ------------------------------------------------------------------------

pub const COST_CATEGORIES: [&str; 7] = [
    "venue",
    "travel",
    "food",
    "materials",
    "facilitation",
    "communication",
    "other",
];
pub const CONTRIBUTION_KINDS: [&str; 2] = ["cash", "in-kind"];
pub const ASSET_KINDS: [&str; 7] = [
    "cash",
    "space",
    "staff-time",
    "equipment",
    "expertise",
    "networks",
    "other",
];
/// The pipeline's stages in order; the last two are outcomes.
pub const STAGES: [&str; 6] = [
    "prospect",
    "contacted",
    "proposal-sent",
    "under-review",
    "awarded",
    "declined",
];

fn one_of(list: &'static [&'static str]) -> impl Fn(&str) -> Option<String> {
    move |s| list.contains(&s).then(|| s.to_owned())
}

fn id(s: &str) -> Option<i64> {
    s.parse::<i64>().ok().filter(|i| *i > 0)
}

fn date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// An amount field plus a currency field: the amount's own code, if written, must agree.
fn money(e: &mut FieldErrors, field: &str, amount: &str, currency: &str) -> Money {
    let cur = if currency.trim().is_empty() {
        Currency::DEFAULT
    } else {
        match Currency::parse(currency) {
            Some(c) => c,
            None => {
                e.add("currency", "error-invalid-choice");
                Currency::DEFAULT
            }
        }
    };
    match parse_amount(amount) {
        Ok((minor, code)) => {
            if code.is_some_and(|c| c != cur) {
                e.add(field, ERR_CURRENCY);
            }
            Money::new(minor, cur)
        }
        Err(code) => {
            e.add(field, code);
            Money::new(0, cur)
        }
    }
}

// ---- forms -----------------------------------------------------------------------------------

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct CostForm {
    pub category: String,
    pub description: String,
    pub amount: String,
    pub currency: String,
    /// `YYYY-MM-DD`.
    pub spent_on: String,
    /// Event id, empty for none.
    pub event: String,
    /// A member organization's id, empty when someone else paid.
    pub paid_by_org: String,
    /// Who paid otherwise (the convener, a donor…).
    pub paid_by_text: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CostInput {
    pub category: String,
    pub description: String,
    pub amount: Money,
    pub spent_on: NaiveDate,
    pub event_id: Option<i64>,
    pub paid_by_org: Option<i64>,
    pub paid_by_text: Option<String>,
}

impl CostForm {
    pub fn parse(&self) -> Validated<CostInput> {
        let mut e = FieldErrors::new();
        let category =
            validate::choice(&mut e, "category", &self.category, one_of(&COST_CATEGORIES));
        let description = validate::required(&mut e, "description", &self.description, 500);
        let amount = money(&mut e, "amount", &self.amount, &self.currency);
        let spent_on = validate::choice(&mut e, "spent_on", &self.spent_on, date);
        let event_id = validate::optional_choice(&mut e, "event", &self.event, id);
        let paid_by_org = validate::optional_choice(&mut e, "paid_by_org", &self.paid_by_org, id);
        let paid_by_text = validate::optional(&mut e, "paid_by_text", &self.paid_by_text, 200);
        if paid_by_org.is_some() && paid_by_text.is_some() {
            e.add("paid_by_text", "funding-error-paid-by-one");
        }
        e.into_result(CostInput {
            category: category.unwrap_or_default(),
            description,
            amount,
            spent_on: spent_on.unwrap_or_default(),
            event_id,
            paid_by_org,
            paid_by_text,
        })
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct ContributionForm {
    pub organization: String,
    pub kind: String,
    pub description: String,
    /// The cash amount, or the valuation of what was given in kind.
    pub amount: String,
    pub currency: String,
    pub given_on: String,
    pub event: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ContributionInput {
    pub organization_id: i64,
    pub kind: String,
    pub description: String,
    pub amount: Money,
    pub given_on: NaiveDate,
    pub event_id: Option<i64>,
}

impl ContributionForm {
    pub fn parse(&self) -> Validated<ContributionInput> {
        let mut e = FieldErrors::new();
        let org = validate::choice(&mut e, "organization", &self.organization, id);
        let kind = validate::choice(&mut e, "kind", &self.kind, one_of(&CONTRIBUTION_KINDS));
        let description = validate::required(&mut e, "description", &self.description, 500);
        let amount = money(&mut e, "amount", &self.amount, &self.currency);
        let given_on = validate::choice(&mut e, "given_on", &self.given_on, date);
        let event_id = validate::optional_choice(&mut e, "event", &self.event, id);
        e.into_result(ContributionInput {
            organization_id: org.unwrap_or_default(),
            kind: kind.unwrap_or_default(),
            description,
            amount,
            given_on: given_on.unwrap_or_default(),
            event_id,
        })
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct AssetForm {
    pub organization: String,
    pub kind: String,
    pub description: String,
    /// Estimated value.
    pub value: String,
    pub currency: String,
    pub availability: String,
    /// Contact person (shown to community members only).
    pub contact: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AssetInput {
    pub organization_id: i64,
    pub kind: String,
    pub description: String,
    pub value: Money,
    pub availability: Option<String>,
    pub contact: Option<String>,
}

impl AssetForm {
    pub fn parse(&self) -> Validated<AssetInput> {
        let mut e = FieldErrors::new();
        let org = validate::choice(&mut e, "organization", &self.organization, id);
        let kind = validate::choice(&mut e, "kind", &self.kind, one_of(&ASSET_KINDS));
        let description = validate::required(&mut e, "description", &self.description, 500);
        let value = money(&mut e, "value", &self.value, &self.currency);
        let availability = validate::optional(&mut e, "availability", &self.availability, 300);
        let contact = validate::optional(&mut e, "contact", &self.contact, 200);
        e.into_result(AssetInput {
            organization_id: org.unwrap_or_default(),
            kind: kind.unwrap_or_default(),
            description,
            value,
            availability,
            contact,
        })
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct AskForm {
    /// A directory organization's id, or empty with `donor_text`.
    pub donor_org: String,
    pub donor_text: String,
    /// What is asked for.
    pub ask: String,
    pub amount: String,
    pub currency: String,
    /// Empty for "prospect".
    pub stage: String,
    pub next_step: String,
    pub due_on: String,
    /// A member person's id, empty for none.
    pub owner: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AskInput {
    pub donor_org: Option<i64>,
    pub donor_text: Option<String>,
    pub ask: String,
    pub amount: Money,
    pub stage: String,
    pub next_step: Option<String>,
    pub due_on: Option<NaiveDate>,
    pub owner: Option<i64>,
}

impl AskForm {
    pub fn parse(&self) -> Validated<AskInput> {
        let mut e = FieldErrors::new();
        let donor_org = validate::optional_choice(&mut e, "donor_org", &self.donor_org, id);
        let donor_text = validate::optional(&mut e, "donor_text", &self.donor_text, 200);
        if donor_org.is_none() && donor_text.is_none() && e.get("donor_org").is_none() {
            e.add("donor_text", "funding-error-donor-required");
        }
        if donor_org.is_some() && donor_text.is_some() {
            e.add("donor_text", "funding-error-donor-one");
        }
        let ask = validate::required(&mut e, "ask", &self.ask, 500);
        let amount = money(&mut e, "amount", &self.amount, &self.currency);
        let stage = if self.stage.trim().is_empty() {
            Some(STAGES[0].to_owned())
        } else {
            validate::choice(&mut e, "stage", &self.stage, one_of(&STAGES))
        };
        let next_step = validate::optional(&mut e, "next_step", &self.next_step, 300);
        let due_on = validate::optional_choice(&mut e, "due_on", &self.due_on, date);
        let owner = validate::optional_choice(&mut e, "owner", &self.owner, id);
        e.into_result(AskInput {
            donor_org,
            donor_text,
            ask,
            amount,
            stage: stage.unwrap_or_default(),
            next_step,
            due_on,
            owner,
        })
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct StageForm {
    pub stage: String,
    /// `YYYY-MM-DD`, empty for today.
    pub changed_on: String,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StageInput {
    pub stage: String,
    pub changed_on: Option<NaiveDate>,
    pub note: Option<String>,
}

impl StageForm {
    pub fn parse(&self) -> Validated<StageInput> {
        let mut e = FieldErrors::new();
        let stage = validate::choice(&mut e, "stage", &self.stage, one_of(&STAGES));
        let changed_on = validate::optional_choice(&mut e, "changed_on", &self.changed_on, date);
        let note = validate::optional(&mut e, "note", &self.note, 500);
        e.into_result(StageInput {
            stage: stage.unwrap_or_default(),
            changed_on,
            note,
        })
    }
}

/// A period filter: `from`/`to` as `YYYY-MM-DD`, either empty. A reversed period is an error
/// on `to`. Defaults: from the first day of `today`'s year to `today`.
pub fn period(from: &str, to: &str, today: NaiveDate) -> Validated<(NaiveDate, NaiveDate)> {
    use chrono::Datelike;
    let mut e = FieldErrors::new();
    let f = validate::optional_choice(&mut e, "from", from, date);
    let t = validate::optional_choice(&mut e, "to", to, date);
    let f = f.unwrap_or_else(|| NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today));
    let t = t.unwrap_or(today);
    if e.is_empty() && t < f {
        e.add("to", "funding-error-period");
    }
    e.into_result((f, t))
}

/// Widths of bars (0–`max_px`) proportional to `values`, exact integer arithmetic.
pub fn bar_widths(values: &[i64], max_px: i64) -> Vec<i64> {
    let top = values.iter().copied().max().unwrap_or(0).max(1);
    values
        .iter()
        .map(|v| {
            let v = (*v).max(0);
            let w = (i128::from(v) * i128::from(max_px) / i128::from(top)) as i64;
            if v > 0 {
                w.max(1)
            } else {
                0
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn p(s: &str) -> Result<i64, &'static str> {
        parse_amount(s).map(|(m, _)| m)
    }

    #[test]
    fn accepts_mexican_amounts() {
        assert_eq!(p("1,234.50"), Ok(123_450));
        assert_eq!(p("1234.5"), Ok(123_450));
        assert_eq!(p("1234"), Ok(123_400));
        assert_eq!(p("12,000"), Ok(1_200_000));
        assert_eq!(p("$ 1,000,000.05"), Ok(100_000_005));
        assert_eq!(p("0.10"), Ok(10));
        assert_eq!(p(" 45.00 "), Ok(4500));
        assert_eq!(
            parse_amount("$1,234.50 USD"),
            Ok((123_450, Some(Currency::Usd)))
        );
        assert_eq!(parse_amount("€99 eur"), Ok((9900, Some(Currency::Eur))));
    }

    #[test]
    fn refuses_ambiguous_and_invalid() {
        assert_eq!(p("1,5"), Err(ERR_AMBIGUOUS));
        assert_eq!(p("12,50"), Err(ERR_AMBIGUOUS));
        assert_eq!(p("1 234,50"), Err(ERR_AMBIGUOUS));
        assert_eq!(p("$ 1 234,50"), Err(ERR_AMBIGUOUS));
        assert_eq!(p("1.234,50"), Err(ERR_AMBIGUOUS));
        assert_eq!(p("1.2.3"), Err(ERR_INVALID));
        assert_eq!(p("1.234"), Err(ERR_INVALID));
        assert_eq!(p("12,34,567"), Err(ERR_INVALID));
        assert_eq!(p("1234,567.00"), Err(ERR_INVALID));
        assert_eq!(p("-5"), Err(ERR_INVALID));
        assert_eq!(p("1e3"), Err(ERR_INVALID));
        assert_eq!(p("diez"), Err(ERR_INVALID));
        assert_eq!(p("$"), Err(ERR_INVALID));
        assert_eq!(p("5."), Err(ERR_INVALID));
        assert_eq!(p(".5"), Err(ERR_INVALID));
        assert_eq!(p("1 234"), Err(ERR_INVALID));
        assert_eq!(p("0"), Err(ERR_ZERO));
        assert_eq!(p("0.00"), Err(ERR_ZERO));
        assert_eq!(p(""), Err("error-required"));
        assert_eq!(p("99999999999999"), Err(ERR_TOO_LARGE));
        assert_eq!(p("10,000,000,001"), Err(ERR_TOO_LARGE));
    }

    #[test]
    fn displays_and_sums_exactly() {
        assert_eq!(
            Money::new(123_450, Currency::Mxn).display(),
            "$1,234.50 MXN"
        );
        assert_eq!(Money::new(5, Currency::Usd).display(), "$0.05 USD");
        assert_eq!(
            Money::new(100_000_000, Currency::Eur).display(),
            "€1,000,000.00 EUR"
        );
        assert_eq!(Money::new(-1050, Currency::Mxn).display(), "-$10.50 MXN");
        assert_eq!(Money::new(123_450, Currency::Mxn).plain(), "1234.50");
        assert_eq!(plain(-7), "-0.07");
        // 0.10 + 0.20 == 0.30, exactly.
        let t: Totals = [p("0.10").unwrap(), p("0.20").unwrap()]
            .into_iter()
            .map(|m| Money::new(m, Currency::Mxn))
            .collect();
        assert_eq!(t.get(Currency::Mxn), p("0.30").unwrap());
        assert_eq!(t.amounts()[0].display(), "$0.30 MXN");
    }

    #[test]
    fn currencies_are_never_mixed() {
        let t: Totals = [
            Money::new(10_000, Currency::Mxn),
            Money::new(2_500, Currency::Usd),
            Money::new(1, Currency::Mxn),
        ]
        .into_iter()
        .collect();
        assert_eq!(
            t.amounts(),
            vec![
                Money::new(10_001, Currency::Mxn),
                Money::new(2_500, Currency::Usd)
            ]
        );
        assert_eq!(t.get(Currency::Eur), 0);
    }

    #[test]
    fn forms_validate() {
        let f = CostForm {
            category: "food".into(),
            description: "Comida del encuentro".into(),
            amount: "3,450.00".into(),
            currency: "MXN".into(),
            spent_on: "2026-03-14".into(),
            ..Default::default()
        };
        let i = f.parse().unwrap();
        assert_eq!(i.amount, Money::new(345_000, Currency::Mxn));
        let bad = CostForm {
            amount: "3,45".into(),
            category: "boat".into(),
            ..f.clone()
        };
        let e = bad.parse().unwrap_err();
        assert_eq!(e.get("amount"), Some(ERR_AMBIGUOUS));
        assert_eq!(e.get("category"), Some("error-invalid-choice"));
        let mismatch = CostForm {
            amount: "$10.00 USD".into(),
            ..f.clone()
        };
        assert_eq!(
            mismatch.parse().unwrap_err().get("amount"),
            Some(ERR_CURRENCY)
        );
        let both = CostForm {
            paid_by_org: "3".into(),
            paid_by_text: "Convocante".into(),
            ..f
        };
        assert_eq!(
            both.parse().unwrap_err().get("paid_by_text"),
            Some("funding-error-paid-by-one")
        );
        let ask = AskForm {
            ask: "Encuentros 2027".into(),
            amount: "250,000".into(),
            ..Default::default()
        };
        assert_eq!(
            ask.parse().unwrap_err().get("donor_text"),
            Some("funding-error-donor-required")
        );
        let ask = AskForm {
            donor_text: "Fundación Comunitaria".into(),
            ..ask
        };
        let i = ask.parse().unwrap();
        assert_eq!((i.stage.as_str(), i.amount.minor), ("prospect", 25_000_000));
    }

    #[test]
    fn periods() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        assert_eq!(
            period("", "", today).unwrap(),
            (NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(), today)
        );
        assert_eq!(
            period("2026-05-01", "2026-04-01", today)
                .unwrap_err()
                .get("to"),
            Some("funding-error-period")
        );
        assert_eq!(
            period("mayo", "", today).unwrap_err().get("from"),
            Some("error-invalid-choice")
        );
    }

    #[test]
    fn bars_are_proportional() {
        assert_eq!(bar_widths(&[100, 50, 0, 1], 200), vec![200, 100, 0, 2]);
        assert_eq!(bar_widths(&[], 200), Vec::<i64>::new());
        assert_eq!(bar_widths(&[1, 1_000_000], 200), vec![1, 200]);
    }

    fn currency() -> impl Strategy<Value = Currency> {
        prop_oneof![
            Just(Currency::Mxn),
            Just(Currency::Usd),
            Just(Currency::Eur)
        ]
    }

    proptest! {
        #[test]
        fn display_reads_back(minor in 1i64..=MAX_MINOR, c in currency()) {
            let m = Money::new(minor, c);
            prop_assert_eq!(Money::parse(&m.display(), Currency::Mxn), Ok(m));
            prop_assert_eq!(Money::parse(&m.plain(), c), Ok(m));
            prop_assert_eq!(Money::parse(&grouped(minor), c), Ok(m));
        }

        #[test]
        fn sums_are_exact(xs in proptest::collection::vec((1i64..=1_000_000_000, currency()), 0..50)) {
            let t: Totals = xs.iter().map(|(m, c)| Money::new(*m, *c)).collect();
            for c in Currency::ALL {
                let expected: i64 = xs.iter().filter(|(_, x)| *x == c).map(|(m, _)| m).sum();
                prop_assert_eq!(t.get(c), expected);
            }
        }
    }
}
