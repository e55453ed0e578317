//! The directory (capability 1): organizations and people, the catalogs they draw from (kinds of
//! organization, position levels, the 32 Mexican federal entities) and the parsing of their forms.

use crate::validate::{self, FieldErrors, Validated};

/// Declares a closed set of values stored as text. `as_str` is the stored form and the suffix of
/// the Fluent message id that names it (`<prefix>-<value>`).
#[macro_export]
macro_rules! text_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $s:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        pub enum $name { $(#[serde(rename = $s)] $variant),+ }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $s),+ }
            }
            pub fn parse(s: &str) -> Option<Self> {
                match s { $($s => Some($name::$variant),)+ _ => None }
            }
        }
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

text_enum!(
    /// Kind (sector) of an organization.
    OrgKind {
        Cso = "cso",
        Iso = "iso",
        Government = "government",
        PrivateSector = "private-sector",
        Donor = "donor",
        Academia = "academia",
        Media = "media",
        Expert = "expert",
        International = "international",
    }
);

text_enum!(
    /// A person's position level in their organization.
    PositionLevel {
        Leadership = "leadership",
        Management = "management",
        Coordination = "coordination",
        Operational = "operational",
        Volunteer = "volunteer",
    }
);

/// The 32 Mexican federal entities: INEGI two-digit code and name.
pub const STATES: [(&str, &str); 32] = [
    ("01", "Aguascalientes"),
    ("02", "Baja California"),
    ("03", "Baja California Sur"),
    ("04", "Campeche"),
    ("05", "Coahuila de Zaragoza"),
    ("06", "Colima"),
    ("07", "Chiapas"),
    ("08", "Chihuahua"),
    ("09", "Ciudad de México"),
    ("10", "Durango"),
    ("11", "Guanajuato"),
    ("12", "Guerrero"),
    ("13", "Hidalgo"),
    ("14", "Jalisco"),
    ("15", "Estado de México"),
    ("16", "Michoacán de Ocampo"),
    ("17", "Morelos"),
    ("18", "Nayarit"),
    ("19", "Nuevo León"),
    ("20", "Oaxaca"),
    ("21", "Puebla"),
    ("22", "Querétaro"),
    ("23", "Quintana Roo"),
    ("24", "San Luis Potosí"),
    ("25", "Sinaloa"),
    ("26", "Sonora"),
    ("27", "Tabasco"),
    ("28", "Tamaulipas"),
    ("29", "Tlaxcala"),
    ("30", "Veracruz de Ignacio de la Llave"),
    ("31", "Yucatán"),
    ("32", "Zacatecas"),
];

pub fn state_name(code: &str) -> Option<&'static str> {
    STATES.iter().find(|(c, _)| *c == code).map(|(_, n)| *n)
}

/// A validated organization, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrganizationInput {
    pub name: String,
    pub acronym: Option<String>,
    pub kind: OrgKind,
    pub state_code: Option<String>,
    pub municipality: Option<String>,
    pub themes: Vec<String>,
    pub expertise: Option<String>,
    pub needs: Option<String>,
    pub website: Option<String>,
    pub description: Option<String>,
}

/// The raw form, as typed.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize)]
#[serde(default)]
pub struct OrganizationForm {
    pub name: String,
    pub acronym: String,
    pub kind: String,
    pub state_code: String,
    pub municipality: String,
    pub themes: String,
    pub expertise: String,
    pub needs: String,
    pub website: String,
    pub description: String,
}

impl OrganizationForm {
    pub fn parse(&self) -> Validated<OrganizationInput> {
        let mut e = FieldErrors::new();
        let name = validate::required(&mut e, "name", &self.name, 200);
        let acronym = validate::optional(&mut e, "acronym", &self.acronym, 30);
        let kind = validate::choice(&mut e, "kind", &self.kind, OrgKind::parse);
        let state_code = validate::optional_choice(&mut e, "state_code", &self.state_code, |s| {
            state_name(s).map(|_| s.to_owned())
        });
        let municipality = validate::optional(&mut e, "municipality", &self.municipality, 120);
        let themes = validate::tags(&mut e, "themes", &self.themes, 80);
        let expertise = validate::optional(&mut e, "expertise", &self.expertise, 2000);
        let needs = validate::optional(&mut e, "needs", &self.needs, 2000);
        let website = validate::optional(&mut e, "website", &self.website, 300);
        if let Some(w) = &website {
            if !(w.starts_with("https://") || w.starts_with("http://"))
                || w.contains(char::is_whitespace)
            {
                e.add("website", "error-url");
            }
        }
        let description = validate::optional(&mut e, "description", &self.description, 5000);
        match (kind, e.is_empty()) {
            (Some(kind), true) => Ok(OrganizationInput {
                name,
                acronym,
                kind,
                state_code,
                municipality,
                themes,
                expertise,
                needs,
                website,
                description,
            }),
            _ => Err(e),
        }
    }
}

/// A validated person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonInput {
    pub full_name: String,
    pub email: Option<String>,
    pub organization_id: Option<i64>,
    pub position_level: Option<PositionLevel>,
    pub position_title: Option<String>,
    pub youth: Option<bool>,
    pub gender: Option<String>,
}

#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize)]
#[serde(default)]
pub struct PersonForm {
    pub full_name: String,
    pub email: String,
    pub organization_id: String,
    pub position_level: String,
    pub position_title: String,
    /// "", "yes" or "no": self-declared, optional.
    pub youth: String,
    pub gender: String,
}

impl PersonForm {
    pub fn parse(&self) -> Validated<PersonInput> {
        let mut e = FieldErrors::new();
        let full_name = validate::required(&mut e, "full_name", &self.full_name, 200);
        let email = match self.email.trim() {
            "" => None,
            raw => match crate::accounts::Email::parse(raw) {
                Some(em) => Some(em.0),
                None => {
                    e.add("email", "error-email");
                    None
                }
            },
        };
        let organization_id =
            validate::optional_choice(&mut e, "organization_id", &self.organization_id, |s| {
                s.parse::<i64>().ok().filter(|v| *v > 0)
            });
        let position_level = validate::optional_choice(
            &mut e,
            "position_level",
            &self.position_level,
            PositionLevel::parse,
        );
        let position_title =
            validate::optional(&mut e, "position_title", &self.position_title, 120);
        let youth = validate::optional_choice(&mut e, "youth", &self.youth, |s| match s {
            "yes" => Some(true),
            "no" => Some(false),
            _ => None,
        });
        let gender = validate::optional(&mut e, "gender", &self.gender, 60);
        e.into_result(PersonInput {
            full_name,
            email,
            organization_id,
            position_level,
            position_title,
            youth,
            gender,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn org_form_validates_every_field() {
        let f = OrganizationForm {
            name: " ".into(),
            kind: "bank".into(),
            state_code: "33".into(),
            website: "javascript:alert(1)".into(),
            ..Default::default()
        };
        let e = f.parse().unwrap_err();
        assert_eq!(e.get("name"), Some("error-required"));
        assert_eq!(e.get("kind"), Some("error-invalid-choice"));
        assert_eq!(e.get("state_code"), Some("error-invalid-choice"));
        assert_eq!(e.get("website"), Some("error-url"));
    }

    #[test]
    fn org_form_ok() {
        let f = OrganizationForm {
            name: "Centro de Derechos Humanos".into(),
            kind: "cso".into(),
            state_code: "20".into(),
            themes: "Mediación, Justicia".into(),
            ..Default::default()
        };
        let o = f.parse().unwrap();
        assert_eq!(o.kind, OrgKind::Cso);
        assert_eq!(o.themes.len(), 2);
        assert_eq!(state_name("20"), Some("Oaxaca"));
    }

    #[test]
    fn person_form() {
        let f = PersonForm {
            full_name: "Ana".into(),
            email: "no-at".into(),
            youth: "maybe".into(),
            ..Default::default()
        };
        let e = f.parse().unwrap_err();
        assert_eq!(e.get("email"), Some("error-email"));
        assert_eq!(e.get("youth"), Some("error-invalid-choice"));
        let ok = PersonForm {
            full_name: "Ana".into(),
            youth: "yes".into(),
            position_level: "coordination".into(),
            ..Default::default()
        }
        .parse()
        .unwrap();
        assert_eq!(ok.youth, Some(true));
        assert_eq!(ok.position_level, Some(PositionLevel::Coordination));
    }

    #[test]
    fn catalogs_complete() {
        assert_eq!(STATES.len(), 32);
        for (k, _) in STATES {
            assert_eq!(k.len(), 2);
        }
        for k in OrgKind::ALL {
            assert_eq!(OrgKind::parse(k.as_str()), Some(*k));
        }
    }
}
