//! The knowledge library: the kinds of resource, who may see one (its visibility), the form
//! that creates or edits one, and the pure rules about them. Storage is in
//! `tejido_db::library`, pages in `tejido_web::features::library`.
//!
//! Visibility: `public` (anyone, signed in or not), `instance` (every signed-in person) or
//! `community` (its community's members and guests, even when the community is public:
//! `crate::visibility::Record::CommunityResource`). A contact list
//! holds people's details and is never public.

use serde::{Deserialize, Serialize};

use crate::validate::{self, FieldErrors, Validated};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    Methodology,
    Guide,
    Template,
    ContactList,
    BestPractice,
    LessonLearned,
    Dataset,
    Report,
    Link,
}

impl Kind {
    pub const ALL: [Kind; 9] = [
        Kind::Methodology,
        Kind::Guide,
        Kind::Template,
        Kind::ContactList,
        Kind::BestPractice,
        Kind::LessonLearned,
        Kind::Dataset,
        Kind::Report,
        Kind::Link,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Methodology => "methodology",
            Kind::Guide => "guide",
            Kind::Template => "template",
            Kind::ContactList => "contact-list",
            Kind::BestPractice => "best-practice",
            Kind::LessonLearned => "lesson-learned",
            Kind::Dataset => "dataset",
            Kind::Report => "report",
            Kind::Link => "link",
        }
    }
    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Visibility {
    Public,
    Instance,
    Community,
}

impl Visibility {
    pub const ALL: [Visibility; 3] = [
        Visibility::Public,
        Visibility::Instance,
        Visibility::Community,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Visibility::Public => "public",
            Visibility::Instance => "instance",
            Visibility::Community => "community",
        }
    }
    pub fn parse(s: &str) -> Option<Visibility> {
        Visibility::ALL.into_iter().find(|k| k.as_str() == s)
    }
    /// Who may find a resource of this visibility in search: its page's own rule
    /// (`crate::visibility`); a resource kept for the community stays with its members.
    pub fn audience(self) -> crate::visibility::Audience {
        use crate::visibility::{Audience, Record};
        match self {
            Visibility::Public => Audience::Public,
            Visibility::Instance => Audience::Instance,
            Visibility::Community => Record::CommunityResource.audience(),
        }
    }
}

/// Languages a resource can be in.
pub const LANGUAGES: [&str; 3] = ["es", "en", "other"];

/// What a resource came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SourceKind {
    Event,
    Review,
    Minutes,
}

impl SourceKind {
    pub const ALL: [SourceKind; 3] = [SourceKind::Event, SourceKind::Review, SourceKind::Minutes];
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Event => "event",
            SourceKind::Review => "review",
            SourceKind::Minutes => "minutes",
        }
    }
    pub fn parse(s: &str) -> Option<SourceKind> {
        SourceKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// The library form as posted (also the JSON body of the API).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct ResourceForm {
    pub kind: String,
    pub title: String,
    /// Markdown.
    pub body: String,
    /// The address, for links (optional for other kinds).
    pub url: String,
    pub language: String,
    /// Comma-separated.
    pub themes: String,
    pub visibility: String,
    /// Community id; required for `community` visibility, optional otherwise.
    pub community: String,
    /// Author organization id, empty for none.
    pub organization: String,
    /// `event`, `review`, `minutes` or empty.
    pub source_kind: String,
    /// The source's id (an event's id for `event` and `minutes`).
    pub source_id: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ResourceInput {
    pub kind: Kind,
    pub title: String,
    pub body: String,
    pub url: Option<String>,
    pub language: String,
    pub themes: Vec<String>,
    pub visibility: Visibility,
    pub community_id: Option<i64>,
    pub organization_id: Option<i64>,
    pub source: Option<(SourceKind, i64)>,
}

impl ResourceInput {
    /// Themes as stored and shown: "a, b, c".
    pub fn themes_text(&self) -> String {
        self.themes.join(", ")
    }
}

fn id_field(e: &mut FieldErrors, field: &str, v: &str) -> Option<i64> {
    let t = v.trim();
    if t.is_empty() {
        return None;
    }
    match t.parse::<i64>() {
        Ok(n) if n > 0 => Some(n),
        _ => {
            e.add(field, "error-invalid-choice");
            None
        }
    }
}

impl ResourceForm {
    pub fn parse(&self) -> Validated<ResourceInput> {
        let mut e = FieldErrors::new();
        let kind = Kind::parse(self.kind.trim());
        if kind.is_none() {
            e.add("kind", "error-invalid-choice");
        }
        let title = validate::required(&mut e, "title", &self.title, 200);
        let body = self.body.trim().to_owned();
        if body.chars().count() > 100_000 {
            e.add("body", "error-too-long");
        }
        let url = validate::optional(&mut e, "url", &self.url, 2000);
        if let Some(u) = &url {
            if !(u.starts_with("https://") || u.starts_with("http://"))
                || u.contains(char::is_whitespace)
            {
                e.add("url", "library-error-url");
            }
        }
        if kind == Some(Kind::Link) && url.is_none() {
            e.add("url", "library-error-link-url");
        }
        if kind != Some(Kind::Link) && body.is_empty() {
            e.add("body", "error-required");
        }
        let language = self.language.trim().to_owned();
        if !LANGUAGES.contains(&language.as_str()) {
            e.add("language", "error-invalid-choice");
        }
        let themes = validate::tags(&mut e, "themes", &self.themes, 60);
        if themes.len() > 12 {
            e.add("themes", "library-error-themes");
        }
        let visibility = Visibility::parse(self.visibility.trim());
        if visibility.is_none() {
            e.add("visibility", "error-invalid-choice");
        }
        let community_id = id_field(&mut e, "community", &self.community);
        if visibility == Some(Visibility::Community) && community_id.is_none() {
            e.add("community", "library-error-community");
        }
        if kind == Some(Kind::ContactList) && visibility == Some(Visibility::Public) {
            e.add("visibility", "library-error-contacts-public");
        }
        let organization_id = id_field(&mut e, "organization", &self.organization);
        let source = match self.source_kind.trim() {
            "" => None,
            s => match SourceKind::parse(s) {
                None => {
                    e.add("source_kind", "error-invalid-choice");
                    None
                }
                Some(k) => match id_field(&mut e, "source_id", &self.source_id) {
                    Some(id) => {
                        if community_id.is_none() {
                            e.add("community", "library-error-source-community");
                        }
                        Some((k, id))
                    }
                    None => {
                        if e.get("source_id").is_none() {
                            e.add("source_id", "error-required");
                        }
                        None
                    }
                },
            },
        };
        match (kind, visibility) {
            (Some(kind), Some(visibility)) => e.into_result(ResourceInput {
                kind,
                title,
                body,
                url,
                language,
                themes,
                visibility,
                community_id,
                organization_id,
                source,
            }),
            _ => Err(e),
        }
    }
}

/// Who may edit a resource: its author, the managers of its community, an admin.
pub fn can_edit(is_admin: bool, is_author: bool, manages_community: bool) -> bool {
    is_admin || is_author || manages_community
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> ResourceForm {
        ResourceForm {
            kind: "methodology".into(),
            title: "Círculos de paz".into(),
            body: "Pasos para facilitar un círculo.".into(),
            language: "es".into(),
            themes: "mediación, justicia restaurativa, mediación".into(),
            visibility: "community".into(),
            community: "3".into(),
            ..Default::default()
        }
    }

    #[test]
    fn parses_a_good_form() {
        let i = form().parse().unwrap();
        assert_eq!(i.kind, Kind::Methodology);
        assert_eq!(i.community_id, Some(3));
        assert_eq!(i.themes, vec!["mediación", "justicia restaurativa"]);
        assert_eq!(i.themes_text(), "mediación, justicia restaurativa");
        assert_eq!(i.source, None);
    }

    #[test]
    fn refuses_bad_input_with_codes() {
        let mut f = form();
        f.community = String::new();
        assert_eq!(
            f.parse().unwrap_err().get("community"),
            Some("library-error-community")
        );
        let mut f = form();
        f.kind = "contact-list".into();
        f.visibility = "public".into();
        assert_eq!(
            f.parse().unwrap_err().get("visibility"),
            Some("library-error-contacts-public")
        );
        let mut f = form();
        f.kind = "link".into();
        f.body = String::new();
        assert_eq!(
            f.parse().unwrap_err().get("url"),
            Some("library-error-link-url")
        );
        f.url = "javascript:alert(1)".into();
        assert_eq!(f.parse().unwrap_err().get("url"), Some("library-error-url"));
        f.url = "https://example.org/guia".into();
        assert!(f.parse().is_ok());
        let mut f = form();
        f.kind = "poem".into();
        f.language = "fr".into();
        f.title = " ".into();
        let e = f.parse().unwrap_err();
        assert_eq!(e.get("kind"), Some("error-invalid-choice"));
        assert_eq!(e.get("language"), Some("error-invalid-choice"));
        assert_eq!(e.get("title"), Some("error-required"));
        let mut f = form();
        f.source_kind = "event".into();
        assert_eq!(
            f.parse().unwrap_err().get("source_id"),
            Some("error-required")
        );
        f.source_id = "7".into();
        assert_eq!(f.parse().unwrap().source, Some((SourceKind::Event, 7)));
    }

    #[test]
    fn edit_rule() {
        assert!(can_edit(true, false, false));
        assert!(can_edit(false, true, false));
        assert!(can_edit(false, false, true));
        assert!(!can_edit(false, false, false));
    }
}
