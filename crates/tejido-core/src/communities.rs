//! Communities (capability 2, first part): what a learning community is, who may do what in it.

use crate::text_enum;
use crate::validate::{self, FieldErrors, Validated};

text_enum!(
    /// A role a person holds in a community. Several can be held at once.
    Role {
        Leader = "leader",
        CoLeader = "co-leader",
        Facilitator = "facilitator",
        Rapporteur = "rapporteur",
        Timekeeper = "timekeeper",
        Convener = "convener",
        Member = "member",
        Guest = "guest",
        Funder = "funder",
    }
);

impl Role {
    /// Roles that may manage membership, roles, invitations and the community's profile.
    pub fn can_manage(self) -> bool {
        matches!(self, Role::Leader | Role::CoLeader | Role::Convener)
    }

    /// Whether holding the role lets a person see the community. The funder role is read-only
    /// and narrow: it opens the community's reports (`crate::reports::may_read`), nothing else.
    pub fn grants_view(self) -> bool {
        self != Role::Funder
    }
}

text_enum!(
    /// Who can see a community. Private by default.
    Visibility {
        Private = "private",
        Instance = "instance",
        Public = "public",
    }
);

text_enum!(
    /// The community's phase on its way to running itself.
    Phase {
        Convened = "convened",
        CoLed = "co-led",
        SelfManaged = "self-managed",
    }
);

/// What a signed-in person may do with one community, derived from their roles there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Access {
    pub view: bool,
    pub manage: bool,
}

/// The single rule for community access. `is_member` means a current membership (person or role);
/// `roles` are the person's current roles; admins see and manage everything.
pub fn access(
    visibility: Visibility,
    signed_in: bool,
    is_admin: bool,
    is_member: bool,
    roles: &[Role],
) -> Access {
    if is_admin {
        return Access {
            view: true,
            manage: true,
        };
    }
    let manage = roles.iter().any(|r| r.can_manage());
    let view = manage
        || is_member
        || roles.iter().any(|r| r.grants_view())
        || visibility == Visibility::Public
        || (visibility == Visibility::Instance && signed_in);
    Access { view, manage }
}

pub const DEFAULT_TIME_ZONE: &str = "America/Mexico_City";
/// The time zones of Mexico a community can choose.
pub const TIME_ZONES: [&str; 7] = [
    "America/Mexico_City",
    "America/Cancun",
    "America/Merida",
    "America/Monterrey",
    "America/Chihuahua",
    "America/Mazatlan",
    "America/Tijuana",
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommunityInput {
    pub name: String,
    pub purpose: String,
    pub mission: Option<String>,
    pub vision: Option<String>,
    pub themes: Vec<String>,
    pub geography: Option<String>,
    pub time_zone: String,
    pub visibility: Visibility,
}

#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize)]
#[serde(default)]
pub struct CommunityForm {
    pub name: String,
    pub purpose: String,
    pub mission: String,
    pub vision: String,
    pub themes: String,
    pub geography: String,
    pub time_zone: String,
    pub visibility: String,
}

impl CommunityForm {
    pub fn parse(&self) -> Validated<CommunityInput> {
        let mut e = FieldErrors::new();
        let name = validate::required(&mut e, "name", &self.name, 160);
        let purpose = validate::required(&mut e, "purpose", &self.purpose, 4000);
        let mission = validate::optional(&mut e, "mission", &self.mission, 4000);
        let vision = validate::optional(&mut e, "vision", &self.vision, 4000);
        let themes = validate::tags(&mut e, "themes", &self.themes, 80);
        let geography = validate::optional(&mut e, "geography", &self.geography, 300);
        let tz = if self.time_zone.trim().is_empty() {
            DEFAULT_TIME_ZONE
        } else {
            self.time_zone.trim()
        };
        if !TIME_ZONES.contains(&tz) {
            e.add("time_zone", "error-invalid-choice");
        }
        let visibility = if self.visibility.trim().is_empty() {
            Some(Visibility::Private)
        } else {
            validate::choice(&mut e, "visibility", &self.visibility, Visibility::parse)
        };
        match (visibility, e.is_empty()) {
            (Some(visibility), true) => Ok(CommunityInput {
                name,
                purpose,
                mission,
                vision,
                themes,
                geography,
                time_zone: tz.to_owned(),
                visibility,
            }),
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_rules() {
        let none = access(Visibility::Private, true, false, false, &[]);
        assert_eq!(
            none,
            Access {
                view: false,
                manage: false
            }
        );
        let member = access(Visibility::Private, true, false, true, &[Role::Member]);
        assert_eq!(
            member,
            Access {
                view: true,
                manage: false
            }
        );
        let leader = access(
            Visibility::Private,
            true,
            false,
            true,
            &[Role::Facilitator, Role::Leader],
        );
        assert!(leader.manage);
        assert!(access(Visibility::Instance, true, false, false, &[]).view);
        assert!(!access(Visibility::Instance, false, false, false, &[]).view);
        assert!(access(Visibility::Public, false, false, false, &[]).view);
        assert!(access(Visibility::Private, true, true, false, &[]).manage);
        // A funder holds a role but does not see a private community.
        assert_eq!(
            access(Visibility::Private, true, false, false, &[Role::Funder]),
            Access::default()
        );
        assert!(access(Visibility::Private, true, false, false, &[Role::Guest]).view);
    }

    #[test]
    fn community_form_defaults_private() {
        let c = CommunityForm {
            name: "Red".into(),
            purpose: "Aprender".into(),
            ..Default::default()
        }
        .parse()
        .unwrap();
        assert_eq!(c.visibility, Visibility::Private);
        assert_eq!(c.time_zone, DEFAULT_TIME_ZONE);
        let e = CommunityForm {
            time_zone: "Europe/Paris".into(),
            visibility: "secret".into(),
            ..Default::default()
        }
        .parse()
        .unwrap_err();
        assert_eq!(e.get("name"), Some("error-required"));
        assert_eq!(e.get("time_zone"), Some("error-invalid-choice"));
        assert_eq!(e.get("visibility"), Some("error-invalid-choice"));
    }
}
