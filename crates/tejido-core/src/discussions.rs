//! Discussions: the forms of a thread, a reply and a moderation, the mention handles of a
//! community's members (derived from display names, unique within the community) and the
//! mentions found in a text, and the weekly digest's schedule. Nothing here knows about storage.

use serde::{Deserialize, Serialize};

use crate::validate::{self, FieldErrors, Validated};

/// Longest thread title and body, reply body and moderation reason.
pub const MAX_TITLE: usize = 200;
pub const MAX_BODY: usize = 20_000;
pub const MAX_REASON: usize = 500;
/// Most handles listed on the form ("Para mencionar: …").
pub const HANDLES_SHOWN: usize = 30;
/// Days between two digests of one person.
pub const DIGEST_DAYS: i64 = 7;

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct ThreadForm {
    pub title: String,
    pub body: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ThreadInput {
    pub title: String,
    pub body: String,
}

impl ThreadForm {
    pub fn parse(&self) -> Validated<ThreadInput> {
        let mut e = FieldErrors::new();
        let title = validate::required(&mut e, "title", &self.title, MAX_TITLE);
        let body = validate::required(&mut e, "body", &self.body, MAX_BODY);
        e.into_result(ThreadInput { title, body })
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct ReplyForm {
    pub body: String,
}

impl ReplyForm {
    pub fn parse(&self) -> Validated<String> {
        let mut e = FieldErrors::new();
        let body = validate::required(&mut e, "body", &self.body, MAX_BODY);
        e.into_result(body)
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct HideForm {
    pub reason: String,
}

impl HideForm {
    pub fn parse(&self) -> Validated<String> {
        let mut e = FieldErrors::new();
        let reason = validate::required(&mut e, "reason", &self.reason, MAX_REASON);
        e.into_result(reason)
    }
}

/// A name made into a handle: folded to ASCII lower case, runs of other characters become one
/// `-`, trimmed; `persona` when nothing is left.
pub fn slug_handle(name: &str) -> String {
    let folded = crate::text::fold(name);
    let mut out = String::new();
    for ch in folded.chars() {
        if ch.is_ascii_alphanumeric() {
            out.push(ch);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-');
    let out: String = out.chars().take(40).collect();
    let out = out.trim_end_matches('-').to_owned();
    if out.is_empty() {
        "persona".to_owned()
    } else {
        out
    }
}

/// Handles for `(user id, display name)` pairs, unique among them: the slug of the name, and
/// `-2`, `-3`… for later users (by id) with the same slug. Stable while the members don't change.
pub fn handles(members: &[(i64, String)]) -> Vec<(i64, String)> {
    let mut sorted: Vec<&(i64, String)> = members.iter().collect();
    sorted.sort_by_key(|(id, _)| *id);
    let mut used = std::collections::HashSet::new();
    let mut out = Vec::with_capacity(sorted.len());
    for (id, name) in sorted {
        let base = slug_handle(name);
        let mut h = base.clone();
        let mut n = 2;
        while !used.insert(h.clone()) {
            h = format!("{base}-{n}");
            n += 1;
        }
        out.push((*id, h));
    }
    out
}

/// The handles mentioned in a text (`@ana-lopez`), lower case, each once, in order. An `@` inside
/// a word (an e-mail address) is not a mention.
pub fn mentions(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '@' && (i == 0 || !chars[i - 1].is_alphanumeric()) {
            let mut j = i + 1;
            let mut h = String::new();
            while j < chars.len() && (chars[j].is_ascii_alphanumeric() || chars[j] == '-') {
                h.push(chars[j].to_ascii_lowercase());
                j += 1;
            }
            let h = h.trim_end_matches('-').to_owned();
            if !h.is_empty() && !out.contains(&h) {
                out.push(h);
            }
            i = j;
        } else {
            i += 1;
        }
    }
    out
}

/// The users a text mentions, given the community's handles.
pub fn mentioned_users(text: &str, handles: &[(i64, String)]) -> Vec<i64> {
    mentions(text)
        .iter()
        .filter_map(|m| handles.iter().find(|(_, h)| h == m).map(|(id, _)| *id))
        .collect()
}

/// Whether a person whose last digest went at `last` is due one at `now`.
pub fn digest_due(
    last: Option<chrono::DateTime<chrono::Utc>>,
    now: chrono::DateTime<chrono::Utc>,
) -> bool {
    last.is_none_or(|l| now - l >= chrono::Duration::days(DIGEST_DAYS))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handles_are_slugs_unique_by_id() {
        let h = handles(&[
            (7, "Ana López".into()),
            (3, "Ana  Lopez".into()),
            (9, "¡¡".into()),
            (4, "José Pérez Ñúñez".into()),
        ]);
        assert_eq!(
            h,
            vec![
                (3, "ana-lopez".to_owned()),
                (4, "jose-perez-nunez".to_owned()),
                (7, "ana-lopez-2".to_owned()),
                (9, "persona".to_owned()),
            ]
        );
    }

    #[test]
    fn mentions_skip_emails_and_repeat() {
        assert_eq!(
            mentions("Hola @Ana-Lopez y @jose, escribe a x@correo.mx. @ana-lopez otra vez; @-"),
            vec!["ana-lopez".to_owned(), "jose".to_owned()]
        );
        let hs = vec![(1, "ana-lopez".to_owned()), (2, "luis".to_owned())];
        assert_eq!(mentioned_users("gracias @ana-lopez y @nadie", &hs), vec![1]);
    }

    #[test]
    fn forms_validate() {
        assert!(ThreadForm::default().parse().is_err());
        let t = ThreadForm {
            title: " Tema ".into(),
            body: "Texto".into(),
        }
        .parse()
        .unwrap();
        assert_eq!(t.title, "Tema");
        assert_eq!(
            HideForm::default().parse().unwrap_err().get("reason"),
            Some("error-required")
        );
        assert!(ReplyForm {
            body: "x".repeat(MAX_BODY + 1)
        }
        .parse()
        .is_err());
    }

    #[test]
    fn digest_weekly() {
        let now = chrono::Utc::now();
        assert!(digest_due(None, now));
        assert!(!digest_due(Some(now - chrono::Duration::days(6)), now));
        assert!(digest_due(Some(now - chrono::Duration::days(7)), now));
    }
}
