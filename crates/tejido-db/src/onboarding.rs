//! Onboarding: storage. The pack is compiled from other capabilities' storage functions; what
//! lives here is the leaders' choice of key resources (`community_key_resources`) and the one
//! read the others do not offer: the last events with published minutes.

use crate::{now, on, on_tx, DateTime, Db, Result, Tx, Utc};

/// Most key resources a community keeps.
pub const MAX_KEY_RESOURCES: i64 = 12;

/// A chosen key resource as the pack shows it.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct KeyResource {
    pub resource_id: i64,
    pub title: String,
    pub kind: String,
    pub visibility: String,
    pub position: i32,
    pub chosen_at: DateTime<Utc>,
}

/// A resource leaders may choose: visible to the whole community (public or instance-wide, or
/// belonging to this community), not archived.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Candidate {
    pub id: i64,
    pub title: String,
    pub kind: String,
}

/// The condition "resource `r` may be a key resource of the community bound at `param`".
fn choosable(param: &str) -> String {
    format!(
        "r.archived_at IS NULL AND (r.visibility IN ('public', 'instance')
          OR (r.visibility = 'community' AND r.community_id = {param}))"
    )
}

/// The key resources of a community in order, each only if `viewer` may read it by the library's
/// own rule (`library::get_visible`): a resource kept for the community stays with its members
/// even on the pack of a public community.
pub async fn key_resources(
    db: &Db,
    community_id: i64,
    viewer: crate::library::Viewer,
) -> Result<Vec<KeyResource>> {
    let sql = format!(
        "SELECT k.resource_id, r.title, r.kind, r.visibility, k.position, k.chosen_at
         FROM community_key_resources k JOIN resources r ON r.id = k.resource_id
         WHERE {} AND k.community_id = $4 AND {}
         ORDER BY k.position, k.resource_id LIMIT $5",
        crate::library::VISIBLE,
        choosable("$4")
    );
    Ok(on!(db, |p| sqlx::query_as(&sql)
        .bind(i64::from(viewer.is_admin))
        .bind(i64::from(viewer.signed_in))
        .bind(viewer.person_id)
        .bind(community_id)
        .bind(MAX_KEY_RESOURCES)
        .fetch_all(p)
        .await)?)
}

/// Resources leaders may add (not already chosen), newest first, at most `limit`.
pub async fn candidates(db: &Db, community_id: i64, limit: i64) -> Result<Vec<Candidate>> {
    let sql = format!(
        "SELECT r.id, r.title, r.kind FROM resources r WHERE {}
         AND NOT EXISTS (SELECT 1 FROM community_key_resources k WHERE k.community_id = $1 AND k.resource_id = r.id)
         ORDER BY r.updated_at DESC, r.id DESC LIMIT $2",
        choosable("$1")
    );
    Ok(on!(db, |p| sqlx::query_as(&sql)
        .bind(community_id)
        .bind(limit)
        .fetch_all(p)
        .await)?)
}

/// Why a resource could not be added.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddOutcome {
    Added,
    /// Already one of the key resources.
    Already,
    /// Not a resource this community may choose (missing, archived, or another community's).
    NotChoosable,
    /// The community already has [`MAX_KEY_RESOURCES`].
    Full,
}

/// Adds a key resource at the end of the list.
pub async fn add(
    tx: &mut Tx,
    community_id: i64,
    resource_id: i64,
    by: Option<i64>,
) -> Result<AddOutcome> {
    let ok_sql = format!(
        "SELECT COUNT(*) FROM resources r WHERE {} AND r.id = $2",
        choosable("$1")
    );
    let (ok, already, count): (i64, i64, i64) = on_tx!(tx, |c| {
        let ok: i64 = sqlx::query_scalar(&ok_sql)
            .bind(community_id)
            .bind(resource_id)
            .fetch_one(&mut *c)
            .await?;
        let already: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM community_key_resources WHERE community_id = $1 AND resource_id = $2",
        )
        .bind(community_id)
        .bind(resource_id)
        .fetch_one(&mut *c)
        .await?;
        let count: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM community_key_resources WHERE community_id = $1",
        )
        .bind(community_id)
        .fetch_one(&mut *c)
        .await?;
        (ok, already, count)
    });
    if ok == 0 {
        return Ok(AddOutcome::NotChoosable);
    }
    if already > 0 {
        return Ok(AddOutcome::Already);
    }
    if count >= MAX_KEY_RESOURCES {
        return Ok(AddOutcome::Full);
    }
    on_tx!(tx, |c| {
        sqlx::query(
            "INSERT INTO community_key_resources (community_id, resource_id, position, chosen_by, chosen_at)
             VALUES ($1, $2, (SELECT COALESCE(MAX(position), 0) + 1 FROM community_key_resources WHERE community_id = $1), $3, $4)",
        )
        .bind(community_id)
        .bind(resource_id)
        .bind(by)
        .bind(now())
        .execute(c)
        .await
        .map(|_| ())
    })?;
    Ok(AddOutcome::Added)
}

/// Removes a key resource; false when it was not one.
pub async fn remove(tx: &mut Tx, community_id: i64, resource_id: i64) -> Result<bool> {
    let n = on_tx!(tx, |c| {
        sqlx::query(
            "DELETE FROM community_key_resources WHERE community_id = $1 AND resource_id = $2",
        )
        .bind(community_id)
        .bind(resource_id)
        .execute(c)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(n == 1)
}

/// Moves a key resource one place up (towards the top); false when it is first or missing.
pub async fn move_up(tx: &mut Tx, community_id: i64, resource_id: i64) -> Result<bool> {
    let rows: Vec<(i64, i32)> = on_tx!(tx, |c| {
        sqlx::query_as(
            "SELECT resource_id, position FROM community_key_resources WHERE community_id = $1
             ORDER BY position, resource_id LIMIT 100",
        )
        .bind(community_id)
        .fetch_all(c)
        .await
    })?;
    let Some(i) = rows.iter().position(|(r, _)| *r == resource_id) else {
        return Ok(false);
    };
    if i == 0 {
        return Ok(false);
    }
    // Renumber the whole (short) list in its new order: positions stay distinct and dense.
    let mut order: Vec<i64> = rows.iter().map(|(r, _)| *r).collect();
    order.swap(i - 1, i);
    for (pos, rid) in order.iter().enumerate() {
        let pos = i32::try_from(pos + 1).unwrap_or(i32::MAX);
        on_tx!(tx, |c| {
            sqlx::query(
                "UPDATE community_key_resources SET position = $1 WHERE community_id = $2 AND resource_id = $3",
            )
            .bind(pos)
            .bind(community_id)
            .bind(*rid)
            .execute(c)
            .await
            .map(|_| ())
        })?;
    }
    Ok(true)
}

/// An event's published minutes for the pack.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct RecentMinutes {
    pub event_id: i64,
    pub title: String,
    pub starts_at: DateTime<Utc>,
    /// Markdown.
    pub summary: String,
    pub published_at: Option<DateTime<Utc>>,
}

/// The last `limit` events (by start) that have published minutes, with the newest published
/// summary of each — one query.
pub async fn recent_minutes(db: &Db, community_id: i64, limit: i64) -> Result<Vec<RecentMinutes>> {
    Ok(on!(db, |p| {
        sqlx::query_as(
        "SELECT e.id AS event_id, e.title, e.starts_at, m.summary, m.published_at
         FROM events e JOIN event_minutes m ON m.event_id = e.id AND m.version = (
           SELECT MAX(m2.version) FROM event_minutes m2 WHERE m2.event_id = e.id AND m2.status = 'published')
         WHERE e.community_id = $1 ORDER BY e.starts_at DESC, e.id DESC LIMIT $2"
    )
    .bind(community_id)
    .bind(limit)
    .fetch_all(p)
    .await
    })?)
}
