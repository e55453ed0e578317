//! One visibility rule per kind of community record. Every surface that shows a record — its
//! page, the JSON API, search, the onboarding pack, exports, feeds and e-mails — asks
//! [`may_read`] with the reader's [`Standing`] (or, in SQL, uses the search audience that
//! [`Record::audience`] names), so no surface can be more generous than the record's own page.
//!
//! Standing is ordered: an anonymous visitor < a signed-in outsider < a guest (every current role
//! is guest) < a member (a role other than guest and funder, or a membership with no role) < a
//! manager (leader, co-leader, convener) < an instance admin. The funder role is not a standing:
//! it opens the community's reports only (`crate::reports`), so its holder is an outsider here.

use crate::communities::{Role, Visibility};

/// Where a reader stands with one community.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Standing {
    Anonymous,
    Outsider,
    Guest,
    Member,
    Manager,
    Admin,
}

impl Standing {
    /// The standing from what the session and the community's tables say. `is_member` is a
    /// current membership; `roles` are the reader's current roles there (funder ignored).
    pub fn of(signed_in: bool, is_admin: bool, is_member: bool, roles: &[Role]) -> Standing {
        let roles = || roles.iter().filter(|r| r.grants_view());
        if is_admin {
            Standing::Admin
        } else if roles().any(|r| r.can_manage()) {
            Standing::Manager
        } else if roles().any(|r| *r != Role::Guest) {
            Standing::Member
        } else if roles().next().is_some() {
            Standing::Guest
        } else if is_member {
            // A current member whose roles have all ended still reads as a member.
            Standing::Member
        } else if signed_in {
            Standing::Outsider
        } else {
            Standing::Anonymous
        }
    }
}

/// The kinds of community records whose readers differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Record {
    /// Purpose, goals, adopted charter, events, discussions: whoever may view the community.
    Profile,
    /// Names of members and role holders, the rotation schedule: signed-in viewers only.
    People,
    /// Published minutes, action items, report-backs: members and guests.
    Minutes,
    /// Library resources kept for the community (contact lists among them): members and guests,
    /// even when the community itself is public.
    CommunityResource,
    /// The decision log and charter drafts: members other than guests.
    Decisions,
}

/// Who may find a record in search: the values stored in `search_docs.visibility`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// Anyone.
    Public,
    /// Every signed-in person.
    Instance,
    /// Whoever may view the community ([`Record::Profile`]).
    Community,
    /// Members and guests ([`Record::Minutes`], [`Record::CommunityResource`]).
    Members,
    /// Members other than guests ([`Record::Decisions`]).
    FullMembers,
}

impl Audience {
    pub fn as_str(self) -> &'static str {
        match self {
            Audience::Public => "public",
            Audience::Instance => "instance",
            Audience::Community => "community",
            Audience::Members => "members",
            Audience::FullMembers => "full_members",
        }
    }
}

impl Record {
    /// The search audience that applies exactly this record's rule. `People` are not indexed.
    pub fn audience(self) -> Audience {
        match self {
            Record::Profile | Record::People => Audience::Community,
            Record::Minutes | Record::CommunityResource => Audience::Members,
            Record::Decisions => Audience::FullMembers,
        }
    }
}

/// The community itself may be viewed (the rule of `communities::access`).
pub fn may_view(s: Standing, vis: Visibility) -> bool {
    s >= Standing::Guest
        || vis == Visibility::Public
        || (vis == Visibility::Instance && s >= Standing::Outsider)
}

/// The one rule: may a reader of this standing read this kind of record of a community with
/// this visibility?
pub fn may_read(record: Record, s: Standing, vis: Visibility) -> bool {
    match record {
        Record::Profile => may_view(s, vis),
        Record::People => may_view(s, vis) && s >= Standing::Outsider,
        Record::Minutes | Record::CommunityResource => s >= Standing::Guest,
        Record::Decisions => s >= Standing::Member,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [Standing; 6] = [
        Standing::Anonymous,
        Standing::Outsider,
        Standing::Guest,
        Standing::Member,
        Standing::Manager,
        Standing::Admin,
    ];

    #[test]
    fn standing_from_roles() {
        assert_eq!(Standing::of(false, false, false, &[]), Standing::Anonymous);
        assert_eq!(Standing::of(true, false, false, &[]), Standing::Outsider);
        assert_eq!(
            Standing::of(true, false, false, &[Role::Funder]),
            Standing::Outsider
        );
        assert_eq!(
            Standing::of(true, false, false, &[Role::Guest]),
            Standing::Guest
        );
        assert_eq!(
            Standing::of(true, false, true, &[Role::Guest]),
            Standing::Guest
        );
        assert_eq!(Standing::of(true, false, true, &[]), Standing::Member);
        assert_eq!(
            Standing::of(true, false, false, &[Role::Rapporteur]),
            Standing::Member
        );
        assert_eq!(
            Standing::of(true, false, true, &[Role::CoLeader]),
            Standing::Manager
        );
        assert_eq!(Standing::of(true, true, false, &[]), Standing::Admin);
    }

    #[test]
    fn no_record_is_more_open_than_the_community() {
        for &vis in Visibility::ALL {
            for s in ALL {
                for r in [
                    Record::Profile,
                    Record::People,
                    Record::Minutes,
                    Record::CommunityResource,
                    Record::Decisions,
                ] {
                    if may_read(r, s, vis) {
                        assert!(may_view(s, vis), "{r:?} {s:?} {vis:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn members_only_records_stay_with_members_in_a_public_community() {
        let vis = Visibility::Public;
        assert!(may_read(Record::Profile, Standing::Anonymous, vis));
        assert!(!may_read(Record::People, Standing::Anonymous, vis));
        assert!(may_read(Record::People, Standing::Outsider, vis));
        for r in [
            Record::Minutes,
            Record::CommunityResource,
            Record::Decisions,
        ] {
            assert!(!may_read(r, Standing::Outsider, vis), "{r:?}");
            assert!(may_read(r, Standing::Member, vis), "{r:?}");
        }
        assert!(may_read(Record::Minutes, Standing::Guest, vis));
        assert!(!may_read(Record::Decisions, Standing::Guest, vis));
    }
}
