//! The network use cases and lookups that the pages and the API share.

use super::*;

/// Rounds listed.
pub(super) const ROUNDS_LIMIT: i64 = 100;
/// The fixed Louvain seed, so the same network always gets the same communities.
pub(super) const SEED: u64 = 42;

// ---- authorization ---------------------------------------------------------------------------

/// A community loaded for the map, with what the viewer may do.
pub(super) struct Net {
    pub(super) l: Loaded,
    /// Sees sensitive kinds, ends ties, runs surveys and imports: managers and admins.
    pub(super) leader: bool,
    pub(super) person: Option<i64>,
    /// The viewer's account: a member sees and ends the sensitive ties it recorded itself.
    pub(super) user: Option<i64>,
}

impl Net {
    pub(super) fn kinds(&self) -> Vec<&'static str> {
        TieKind::visible(self.leader)
            .into_iter()
            .map(TieKind::as_str)
            .collect()
    }
    pub(super) fn slug(&self) -> &str {
        &self.l.community.slug
    }
    /// The sensitive kinds hidden from this viewer's map (none for managers).
    pub(super) fn hidden_kinds(&self) -> Vec<&'static str> {
        TieKind::ALL
            .iter()
            .filter(|k| !self.leader && k.sensitive())
            .map(|k| k.as_str())
            .collect()
    }
}

/// Members (any current member of the community), managers and admins.
pub(super) async fn load_member(s: &AppState, c: &Ctx, slug: &str) -> AppResult<Net> {
    let l = load(s, c, slug).await?;
    let leader = c.is_admin() || l.access.manage;
    let person = c.user.as_ref().and_then(|u| u.person_id);
    let member = leader || l.member;
    if !member {
        return Err(refuse(c));
    }
    Ok(Net {
        l,
        leader,
        person,
        user: c.user_id(),
    })
}

pub(super) async fn load_leader(s: &AppState, c: &Ctx, slug: &str) -> AppResult<Net> {
    c.require_user()?;
    let n = load_member(s, c, slug).await?;
    if n.leader {
        Ok(n)
    } else {
        Err(AppError::Forbidden)
    }
}

pub(super) async fn audit(
    tx: &mut tejido_db::Tx,
    c: &Ctx,
    action: &str,
    slug: &str,
    detail: &str,
) -> AppResult<()> {
    tejido_db::audit::record(tx, c.user_id(), action, Some(slug), Some(detail)).await?;
    Ok(())
}
