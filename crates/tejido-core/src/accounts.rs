//! Accounts: e-mail addresses, passwords and the locales a person can choose.

/// A syntactically plausible e-mail address, trimmed and lowercased.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(pub String);

impl Email {
    pub fn parse(raw: &str) -> Option<Email> {
        let s = raw.trim().to_lowercase();
        if s.len() > 254
            || s.chars()
                .any(|c| c.is_whitespace() || c.is_control() || c == '<' || c == '>' || c == '"')
        {
            return None;
        }
        let (local, domain) = s.split_once('@')?;
        if local.is_empty()
            || domain.len() < 3
            || !domain.contains('.')
            || domain.contains('@')
            || domain.starts_with('.')
            || domain.ends_with('.')
        {
            return None;
        }
        Some(Email(s))
    }
}

pub const MIN_PASSWORD_LEN: usize = 10;
pub const MAX_PASSWORD_LEN: usize = 256;

/// Checks a new password; returns the Fluent id of the problem.
pub fn check_new_password(password: &str, confirm: &str) -> Result<(), &'static str> {
    let n = password.chars().count();
    if n < MIN_PASSWORD_LEN {
        return Err("error-password-short");
    }
    if n > MAX_PASSWORD_LEN {
        return Err("error-too-long");
    }
    if password != confirm {
        return Err("error-password-mismatch");
    }
    Ok(())
}

/// The interface languages Tejido ships, es-MX first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Locale {
    #[serde(rename = "es-MX")]
    EsMx,
    #[serde(rename = "en")]
    En,
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::EsMx, Locale::En];
    pub fn as_str(self) -> &'static str {
        match self {
            Locale::EsMx => "es-MX",
            Locale::En => "en",
        }
    }
    pub fn lang(self) -> &'static str {
        match self {
            Locale::EsMx => "es",
            Locale::En => "en",
        }
    }
    pub fn parse(s: &str) -> Option<Locale> {
        match s {
            "es-MX" | "es" => Some(Locale::EsMx),
            "en" => Some(Locale::En),
            _ => None,
        }
    }
    /// Picks the best locale from an `Accept-Language` header, defaulting to es-MX.
    pub fn from_accept_language(header: &str) -> Locale {
        let mut best: Option<(f32, Locale)> = None;
        for part in header.split(',') {
            let mut it = part.trim().split(';');
            let tag = it.next().unwrap_or("").trim().to_ascii_lowercase();
            let q = it
                .find_map(|p| {
                    p.trim()
                        .strip_prefix("q=")
                        .and_then(|v| v.parse::<f32>().ok())
                })
                .unwrap_or(1.0);
            let loc = if tag.starts_with("es") {
                Some(Locale::EsMx)
            } else if tag.starts_with("en") {
                Some(Locale::En)
            } else {
                None
            };
            if let Some(l) = loc {
                if best.is_none_or(|(bq, _)| q > bq) {
                    best = Some((q, l));
                }
            }
        }
        best.map(|(_, l)| l).unwrap_or(Locale::EsMx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        assert_eq!(
            Email::parse(" Ana@Example.ORG ").unwrap().0,
            "ana@example.org"
        );
        for bad in [
            "",
            "ana",
            "ana@",
            "@x.org",
            "a b@x.org",
            "a@x",
            "a@@x.org",
            "<a@x.org>",
        ] {
            assert!(Email::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn passwords() {
        assert_eq!(
            check_new_password("short", "short"),
            Err("error-password-short")
        );
        assert_eq!(
            check_new_password("long enough pw", "other one!!"),
            Err("error-password-mismatch")
        );
        assert!(check_new_password("long enough pw", "long enough pw").is_ok());
    }

    #[test]
    fn accept_language() {
        assert_eq!(
            Locale::from_accept_language("en-US,en;q=0.9,es;q=0.8"),
            Locale::En
        );
        assert_eq!(
            Locale::from_accept_language("fr-FR, es-MX;q=0.5"),
            Locale::EsMx
        );
        assert_eq!(Locale::from_accept_language("de"), Locale::EsMx);
        assert_eq!(
            Locale::from_accept_language("es;q=0.4, en;q=0.6"),
            Locale::En
        );
    }
}
