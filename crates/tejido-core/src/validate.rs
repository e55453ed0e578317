//! Field errors collected while parsing a form. Each error carries the field name and a stable
//! code; the code is the Fluent message id that explains it to the user.

use serde::Serialize;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FieldErrors(pub Vec<FieldError>);

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: String,
    pub code: String,
}

pub type Validated<T> = Result<T, FieldErrors>;

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn add(&mut self, field: &str, code: &str) {
        self.0.push(FieldError {
            field: field.to_owned(),
            code: code.to_owned(),
        });
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// The code of the first error on `field`, if any.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.code.as_str())
    }
    /// `Ok(value)` when nothing was added, the errors otherwise.
    pub fn into_result<T>(self, value: T) -> Validated<T> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }
    pub fn single(field: &str, code: &str) -> Self {
        let mut e = Self::new();
        e.add(field, code);
        e
    }
}

/// Trims a required text field; records `error-required` or `error-too-long`.
pub fn required(errors: &mut FieldErrors, field: &str, value: &str, max: usize) -> String {
    let v = value.trim();
    if v.is_empty() {
        errors.add(field, "error-required");
    } else if v.chars().count() > max {
        errors.add(field, "error-too-long");
    }
    v.to_owned()
}

/// Trims an optional text field; empty becomes `None`.
pub fn optional(errors: &mut FieldErrors, field: &str, value: &str, max: usize) -> Option<String> {
    let v = value.trim();
    if v.is_empty() {
        None
    } else {
        if v.chars().count() > max {
            errors.add(field, "error-too-long");
        }
        Some(v.to_owned())
    }
}

/// Parses a value with `FromStr`-like `parse`, recording `error-invalid-choice` on failure.
pub fn choice<T>(
    errors: &mut FieldErrors,
    field: &str,
    value: &str,
    parse: impl Fn(&str) -> Option<T>,
) -> Option<T> {
    let v = value.trim();
    if v.is_empty() {
        errors.add(field, "error-required");
        return None;
    }
    let parsed = parse(v);
    if parsed.is_none() {
        errors.add(field, "error-invalid-choice");
    }
    parsed
}

/// Like [`choice`] but an empty value is allowed and yields `None`.
pub fn optional_choice<T>(
    errors: &mut FieldErrors,
    field: &str,
    value: &str,
    parse: impl Fn(&str) -> Option<T>,
) -> Option<T> {
    let v = value.trim();
    if v.is_empty() {
        return None;
    }
    let parsed = parse(v);
    if parsed.is_none() {
        errors.add(field, "error-invalid-choice");
    }
    parsed
}

/// Splits a comma-separated list of tags, trimming, dropping empties and duplicates.
pub fn tags(errors: &mut FieldErrors, field: &str, value: &str, max_each: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in value.split(',').map(str::trim).filter(|t| !t.is_empty()) {
        if t.chars().count() > max_each {
            errors.add(field, "error-too-long");
            continue;
        }
        if !out.iter().any(|o| o.eq_ignore_ascii_case(t)) {
            out.push(t.to_owned());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn required_and_optional() {
        let mut e = FieldErrors::new();
        assert_eq!(required(&mut e, "name", "  Fundación  ", 100), "Fundación");
        assert!(e.is_empty());
        required(&mut e, "name", "   ", 100);
        assert_eq!(e.get("name"), Some("error-required"));
        let mut e = FieldErrors::new();
        assert_eq!(optional(&mut e, "x", "", 5), None);
        optional(&mut e, "x", "abcdefg", 5);
        assert_eq!(e.get("x"), Some("error-too-long"));
    }

    #[test]
    fn tags_dedupe() {
        let mut e = FieldErrors::new();
        assert_eq!(
            tags(&mut e, "t", "Mediación, mediación ,, Justicia", 50),
            vec!["Mediación", "Justicia"]
        );
    }
}
