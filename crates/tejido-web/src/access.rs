//! Who may do what in a community: the community loaded by slug with the viewer's [`Access`],
//! [`Standing`] and roles, and the guards every community handler calls first. Shared by every
//! feature; the rules themselves live in `tejido_core::communities` and `tejido_core::visibility`.

use tejido_core::communities::{access, Access, Role, Visibility};
use tejido_core::visibility::{may_read, Record, Standing};
use tejido_db::communities::{self as store, Community};

use crate::error::AppResult;
use crate::{AppError, AppState, Ctx};

/// A community with what the viewer may do in it.
pub struct Loaded {
    pub community: Community,
    pub access: Access,
    pub roles: Vec<Role>,
    /// A current member of the community (by membership or by holding a role).
    pub member: bool,
    /// Where the viewer stands (`tejido_core::visibility`): what decides which records they read.
    pub standing: Standing,
}

impl Loaded {
    /// The one rule for a kind of record of this community (`tejido_core::visibility::may_read`).
    pub fn may_read(&self, record: Record) -> bool {
        let vis = Visibility::parse(&self.community.visibility).unwrap_or(Visibility::Private);
        may_read(record, self.standing, vis)
    }

    /// Refuses (401 anonymous, 403 signed in) unless the viewer may read this kind of record.
    pub fn require(&self, c: &Ctx, record: Record) -> AppResult<()> {
        if self.may_read(record) {
            Ok(())
        } else {
            Err(refuse(c))
        }
    }
}

/// The refusal for someone who may not see a thing: 403 when signed in, 401 otherwise.
pub fn refuse(c: &Ctx) -> AppError {
    if c.signed_in() {
        AppError::Forbidden
    } else {
        AppError::Unauthorized
    }
}

/// Loads a community by slug and checks the viewer may see it: 404 when it does not exist,
/// 401 for anonymous visitors of a non-public one, 403 for signed-in outsiders.
pub async fn load(s: &AppState, c: &Ctx, slug: &str) -> AppResult<Loaded> {
    let community = store::by_slug(&s.db, slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let vis = Visibility::parse(&community.visibility).unwrap_or(Visibility::Private);
    let (member, roles) = match c.user.as_ref().and_then(|u| u.person_id) {
        Some(pid) => store::standing(&s.db, community.id, pid).await?,
        None => (false, vec![]),
    };
    // The funder role opens the community's reports only (features/reports.rs reads it there);
    // to every other section its holder is nobody in particular.
    let roles: Vec<Role> = roles.into_iter().filter(|r| r.grants_view()).collect();
    let a = access(vis, c.signed_in(), c.is_admin(), member, &roles);
    if !a.view {
        return Err(refuse(c));
    }
    let standing = Standing::of(c.signed_in(), c.is_admin(), member, &roles);
    Ok(Loaded {
        community,
        access: a,
        member: member || !roles.is_empty(),
        roles,
        standing,
    })
}

/// Loads a community for a members-only section (polls, funding, the self-assessment): its
/// members and role holders, managers and admins; anyone else is refused (401 when anonymous).
pub async fn load_member(s: &AppState, c: &Ctx, slug: &str) -> AppResult<Loaded> {
    let l = load(s, c, slug).await?;
    if !(l.access.manage || l.member) {
        return Err(refuse(c));
    }
    Ok(l)
}

/// Loads a community for a change: a signed-in viewer with a managing role (or an admin).
pub async fn load_manage(s: &AppState, c: &Ctx, slug: &str) -> AppResult<Loaded> {
    c.require_user()?;
    let l = load(s, c, slug).await?;
    if !l.access.manage {
        return Err(AppError::Forbidden);
    }
    Ok(l)
}

/// A community loaded for a section everyone who sees the community reads, where members
/// propose and managers decide (outcomes, joint projects).
pub struct Who {
    pub l: Loaded,
    pub manage: bool,
    /// May propose: a current member, a manager or an admin.
    pub propose: bool,
}

/// Whoever may see the community.
pub async fn viewer(s: &AppState, c: &Ctx, slug: &str) -> AppResult<Who> {
    let l = load(s, c, slug).await?;
    let manage = c.is_admin() || l.access.manage;
    let propose = manage || (c.signed_in() && l.member);
    Ok(Who { l, manage, propose })
}

/// Members, managers and admins (others 403, anonymous 401).
pub async fn proposer(s: &AppState, c: &Ctx, slug: &str) -> AppResult<Who> {
    c.require_user()?;
    let w = viewer(s, c, slug).await?;
    if !w.propose {
        return Err(refuse(c));
    }
    Ok(w)
}

pub async fn manager(s: &AppState, c: &Ctx, slug: &str) -> AppResult<Who> {
    c.require_user()?;
    let w = viewer(s, c, slug).await?;
    if !w.manage {
        return Err(AppError::Forbidden);
    }
    Ok(w)
}

/// Who may add and edit directory entries.
pub async fn can_edit(s: &AppState, c: &Ctx) -> AppResult<bool> {
    let u = c.require_user()?;
    if u.is_admin {
        return Ok(true);
    }
    match u.person_id {
        Some(pid) => Ok(tejido_db::communities::manages_any(&s.db, pid).await?),
        None => Ok(false),
    }
}

/// Refuses (403) unless the viewer may add and edit directory entries.
pub async fn require_directory_edit(s: &AppState, c: &Ctx) -> AppResult<()> {
    if can_edit(s, c).await? {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}
