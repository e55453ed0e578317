//! Events and registrations. Other event parts (agenda, minutes) load the event through
//! [`get`], which always checks the community.

use crate::{on, DateTime, Db, Result, Utc};

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Event {
    pub id: i64,
    pub community_id: i64,
    pub title: String,
    pub description: Option<String>,
    pub kind: String,
    pub mode: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub time_zone: String,
    pub venue: Option<String>,
    pub city: Option<String>,
    pub state_code: Option<String>,
    /// Never serialize this to anyone who may not see it: see `features::events`.
    #[serde(skip)]
    pub online_link: Option<String>,
    pub host_organization_id: Option<i64>,
    pub scheduled_around: Option<String>,
    pub status: String,
    pub capacity: Option<i32>,
    pub dots_per_member: i32,
    pub voting_closes_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

pub const EVENT_COLS: &str = "e.id, e.community_id, e.title, e.description, e.kind, e.mode, e.starts_at, e.ends_at, e.time_zone, e.venue,
    e.city, e.state_code, e.online_link, e.host_organization_id, e.scheduled_around, e.status, e.capacity, e.dots_per_member,
    e.voting_closes_at, e.created_at, e.updated_at";

/// An event of this community.
pub async fn get(db: &Db, community_id: i64, id: i64) -> Result<Option<Event>> {
    let sql = format!("SELECT {EVENT_COLS} FROM events e WHERE e.community_id = $1 AND e.id = $2");
    Ok(on!(db, |p| sqlx::query_as(&sql).bind(community_id).bind(id).fetch_optional(p).await)?)
}
