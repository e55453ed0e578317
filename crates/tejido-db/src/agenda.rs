//! Agenda of events: storage. Topic proposals, dot votes (a member's ballot is replaced as a
//! whole, in one transaction), agenda items with their facilitators, event roles, and the facts
//! the local ownership index is computed from — each read is one query, never one per row.

use tejido_core::agenda::{Methodology, MAX_ITEMS, MAX_TOPICS};
use tejido_core::communities::Role;
use tejido_core::ownership::{self as own, Attendee, Components};

use crate::{now, on, on_tx, DateTime, Db, Result, Tx, Utc};

/// Most votes read for one event's tally (topics × members, far above any real community).
const MAX_VOTES: i64 = 50_000;
/// Most people offered as facilitators or role holders.
const MAX_PEOPLE: i64 = 500;
/// How many of a community's latest events the ownership trend covers.
pub const TREND_EVENTS: i64 = 24;

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Topic {
    pub id: i64,
    pub event_id: i64,
    pub proposed_by: i64,
    pub proposer_name: String,
    pub title: String,
    pub why: String,
    pub methodology: Option<String>,
    pub created_at: DateTime<Utc>,
}

const TOPIC_COLS: &str = "t.id, t.event_id, t.proposed_by, pe.full_name AS proposer_name, t.title, t.why, t.methodology, t.created_at";

/// The event's current proposals (withdrawn ones left out), oldest first.
pub async fn topics(db: &Db, event_id: i64) -> Result<Vec<Topic>> {
    let sql = format!(
        "SELECT {TOPIC_COLS} FROM event_topics t JOIN people pe ON pe.id = t.proposed_by
         WHERE t.event_id = $1 AND t.withdrawn_at IS NULL ORDER BY t.id LIMIT $2"
    );
    Ok(on!(db, |p| sqlx::query_as(&sql)
        .bind(event_id)
        .bind(MAX_TOPICS)
        .fetch_all(p)
        .await)?)
}

/// One current proposal of this event.
pub async fn topic(db: &Db, event_id: i64, id: i64) -> Result<Option<Topic>> {
    let sql = format!(
        "SELECT {TOPIC_COLS} FROM event_topics t JOIN people pe ON pe.id = t.proposed_by
         WHERE t.event_id = $1 AND t.id = $2 AND t.withdrawn_at IS NULL"
    );
    Ok(on!(db, |p| sqlx::query_as(&sql)
        .bind(event_id)
        .bind(id)
        .fetch_optional(p)
        .await)?)
}

/// How many current proposals the event has (to keep it bounded).
pub async fn topic_count(tx: &mut Tx, event_id: i64) -> Result<i64> {
    Ok(on_tx!(tx, |c| sqlx::query_scalar(
        "SELECT COUNT(*) FROM event_topics WHERE event_id = $1 AND withdrawn_at IS NULL"
    )
    .bind(event_id)
    .fetch_one(c)
    .await)?)
}

pub async fn insert_topic(
    tx: &mut Tx,
    event_id: i64,
    person_id: i64,
    t: &tejido_core::agenda::TopicInput,
) -> Result<i64> {
    Ok(on_tx!(tx, |c| sqlx::query_scalar(
        "INSERT INTO event_topics (event_id, proposed_by, title, why, methodology, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id"
    )
    .bind(event_id)
    .bind(person_id)
    .bind(&t.title)
    .bind(&t.why)
    .bind(t.methodology.map(Methodology::as_str))
    .bind(now())
    .fetch_one(c)
    .await)?)
}

/// Withdraws a proposal and the dots given to it (they go back to the voters).
pub async fn withdraw_topic(tx: &mut Tx, event_id: i64, id: i64) -> Result<bool> {
    Ok(on_tx!(tx, |c| {
        let n = sqlx::query(
            "UPDATE event_topics SET withdrawn_at = $1 WHERE event_id = $2 AND id = $3 AND withdrawn_at IS NULL",
        )
        .bind(now())
        .bind(event_id)
        .bind(id)
        .execute(&mut *c)
        .await?
        .rows_affected();
        sqlx::query("DELETE FROM event_votes WHERE topic_id = $1")
            .bind(id)
            .execute(&mut *c)
            .await?;
        n > 0
    }))
}

/// Every vote on the event's current proposals: `(topic id, dots)`.
pub async fn votes(db: &Db, event_id: i64) -> Result<Vec<(i64, i64)>> {
    let rows: Vec<(i64, i32)> = on!(db, |p| sqlx::query_as(
        "SELECT v.topic_id, v.dots FROM event_votes v JOIN event_topics t ON t.id = v.topic_id
         WHERE t.event_id = $1 AND t.withdrawn_at IS NULL LIMIT $2"
    )
    .bind(event_id)
    .bind(MAX_VOTES)
    .fetch_all(p)
    .await)?;
    Ok(rows.into_iter().map(|(t, d)| (t, i64::from(d))).collect())
}

/// How many people voted at this event.
pub async fn voter_count(db: &Db, event_id: i64) -> Result<i64> {
    Ok(on!(db, |p| {
        sqlx::query_scalar(
        "SELECT COUNT(DISTINCT v.person_id) FROM event_votes v JOIN event_topics t ON t.id = v.topic_id
         WHERE t.event_id = $1 AND t.withdrawn_at IS NULL"
    )
    .bind(event_id)
    .fetch_one(p)
    .await
    })?)
}

/// A person's ballot at this event: `(topic id, dots)`.
pub async fn ballot(db: &Db, event_id: i64, person_id: i64) -> Result<Vec<(i64, i64)>> {
    let rows: Vec<(i64, i32)> = on!(db, |p| {
        sqlx::query_as(
        "SELECT v.topic_id, v.dots FROM event_votes v JOIN event_topics t ON t.id = v.topic_id
         WHERE t.event_id = $1 AND v.person_id = $2 AND t.withdrawn_at IS NULL ORDER BY v.topic_id LIMIT $3"
    )
    .bind(event_id)
    .bind(person_id)
    .bind(MAX_TOPICS)
    .fetch_all(p)
    .await
    })?;
    Ok(rows.into_iter().map(|(t, d)| (t, i64::from(d))).collect())
}

/// Replaces a person's whole ballot at this event with `lines` (already checked against the
/// budget): one delete and one multi-row insert.
pub async fn replace_ballot(
    tx: &mut Tx,
    event_id: i64,
    person_id: i64,
    lines: &[(i64, i64)],
) -> Result<()> {
    let t = now();
    let mut sql =
        String::from("INSERT INTO event_votes (topic_id, person_id, dots, voted_at) VALUES ");
    for i in 0..lines.len() {
        let b = i * 4;
        if i > 0 {
            sql.push_str(", ");
        }
        sql.push_str(&format!("(${}, ${}, ${}, ${})", b + 1, b + 2, b + 3, b + 4));
    }
    on_tx!(tx, |c| {
        sqlx::query(
            "DELETE FROM event_votes WHERE person_id = $1
             AND topic_id IN (SELECT id FROM event_topics WHERE event_id = $2)",
        )
        .bind(person_id)
        .bind(event_id)
        .execute(&mut *c)
        .await?;
        if !lines.is_empty() {
            let mut q = sqlx::query(&sql);
            for (topic, dots) in lines {
                q = q
                    .bind(*topic)
                    .bind(person_id)
                    .bind(i32::try_from(*dots).unwrap_or(i32::MAX))
                    .bind(t);
            }
            q.execute(&mut *c).await?;
        }
    });
    Ok(())
}

// ---- agenda items ---------------------------------------------------------------------------------

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Item {
    pub id: i64,
    pub event_id: i64,
    pub topic_id: Option<i64>,
    pub title: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub methodology: String,
    pub open_space: bool,
    pub position: i32,
    /// The proposer credited, when the slot takes up a proposal.
    pub proposed_by: Option<i64>,
    pub proposer_name: Option<String>,
}

/// The event's agenda in time order.
pub async fn items(db: &Db, event_id: i64) -> Result<Vec<Item>> {
    Ok(on!(db, |p| {
        sqlx::query_as(
        "SELECT i.id, i.event_id, i.topic_id, i.title, i.starts_at, i.ends_at, i.methodology, i.open_space, i.position,
                t.proposed_by, pe.full_name AS proposer_name
         FROM event_agenda_items i
         LEFT JOIN event_topics t ON t.id = i.topic_id
         LEFT JOIN people pe ON pe.id = t.proposed_by
         WHERE i.event_id = $1 ORDER BY i.starts_at, i.position, i.id LIMIT $2"
    )
    .bind(event_id)
    .bind(MAX_ITEMS)
    .fetch_all(p)
    .await
    })?)
}

/// A facilitator of an agenda item.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Facilitator {
    pub item_id: i64,
    pub person_id: i64,
    pub full_name: String,
}

/// The facilitators of every item of the event, in one query.
pub async fn facilitators(db: &Db, event_id: i64) -> Result<Vec<Facilitator>> {
    Ok(on!(db, |p| sqlx::query_as(
        "SELECT f.item_id, f.person_id, pe.full_name FROM event_agenda_facilitators f
         JOIN event_agenda_items i ON i.id = f.item_id JOIN people pe ON pe.id = f.person_id
         WHERE i.event_id = $1 ORDER BY f.item_id, pe.name_key LIMIT $2"
    )
    .bind(event_id)
    .bind(MAX_ITEMS * 4)
    .fetch_all(p)
    .await)?)
}

pub async fn item_count(tx: &mut Tx, event_id: i64) -> Result<i64> {
    Ok(on_tx!(tx, |c| sqlx::query_scalar(
        "SELECT COUNT(*) FROM event_agenda_items WHERE event_id = $1"
    )
    .bind(event_id)
    .fetch_one(c)
    .await)?)
}

/// A slot ready to store: UTC times, the title resolved.
pub struct NewItem<'a> {
    pub topic_id: Option<i64>,
    pub title: &'a str,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub methodology: Methodology,
    pub open_space: bool,
    pub facilitators: &'a [i64],
}

pub async fn insert_item(
    tx: &mut Tx,
    event_id: i64,
    it: &NewItem<'_>,
    by: Option<i64>,
) -> Result<i64> {
    let mut fsql =
        String::from("INSERT INTO event_agenda_facilitators (item_id, person_id) VALUES ");
    for i in 0..it.facilitators.len() {
        if i > 0 {
            fsql.push_str(", ");
        }
        fsql.push_str(&format!("($1, ${})", i + 2));
    }
    Ok(on_tx!(tx, |c| {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO event_agenda_items (event_id, topic_id, title, starts_at, ends_at, methodology, open_space, position, created_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7,
                     (SELECT COALESCE(MAX(position), 0) + 1 FROM event_agenda_items WHERE event_id = $1), $8, $9)
             RETURNING id",
        )
        .bind(event_id)
        .bind(it.topic_id)
        .bind(it.title)
        .bind(it.starts_at)
        .bind(it.ends_at)
        .bind(it.methodology.as_str())
        .bind(it.open_space)
        .bind(by)
        .bind(now())
        .fetch_one(&mut *c)
        .await?;
        if !it.facilitators.is_empty() {
            let mut q = sqlx::query(&fsql).bind(id);
            for p in it.facilitators {
                q = q.bind(*p);
            }
            q.execute(&mut *c).await?;
        }
        id
    }))
}

pub async fn delete_item(tx: &mut Tx, event_id: i64, id: i64) -> Result<bool> {
    Ok(on_tx!(tx, |c| {
        sqlx::query(
            "DELETE FROM event_agenda_facilitators WHERE item_id IN
             (SELECT id FROM event_agenda_items WHERE event_id = $1 AND id = $2)",
        )
        .bind(event_id)
        .bind(id)
        .execute(&mut *c)
        .await?;
        sqlx::query("DELETE FROM event_agenda_items WHERE event_id = $1 AND id = $2")
            .bind(event_id)
            .bind(id)
            .execute(&mut *c)
            .await?
            .rows_affected()
            > 0
    }))
}

// ---- people -----------------------------------------------------------------------------------------

/// Current members of the community (id, name), for facilitator and role choices.
pub async fn members(db: &Db, community_id: i64) -> Result<Vec<(i64, String)>> {
    Ok(on!(db, |p| sqlx::query_as(
        "SELECT pe.id, pe.full_name FROM community_people cp JOIN people pe ON pe.id = cp.person_id
         WHERE cp.community_id = $1 AND cp.left_at IS NULL AND pe.archived_at IS NULL
         ORDER BY pe.name_key, pe.id LIMIT $2"
    )
    .bind(community_id)
    .bind(MAX_PEOPLE)
    .fetch_all(p)
    .await)?)
}

// ---- event roles ------------------------------------------------------------------------------------

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct EventRole {
    pub role: String,
    pub person_id: i64,
    pub full_name: String,
    pub organization_id: Option<i64>,
    pub proposed_from_rotation: bool,
    pub proposed_at: DateTime<Utc>,
    pub confirmed_by: Option<i64>,
    pub confirmed_at: Option<DateTime<Utc>>,
}

pub async fn roles(db: &Db, event_id: i64) -> Result<Vec<EventRole>> {
    Ok(on!(db, |p| {
        sqlx::query_as(
        "SELECT r.role, r.person_id, pe.full_name, pe.organization_id, r.proposed_from_rotation, r.proposed_at,
                r.confirmed_by, r.confirmed_at
         FROM event_roles r JOIN people pe ON pe.id = r.person_id
         WHERE r.event_id = $1 ORDER BY r.role LIMIT 10"
    )
    .bind(event_id)
    .fetch_all(p)
    .await
    })?)
}

/// Records a rotation proposal for a role, unless a leader already confirmed that role.
/// Returns whether a row was written.
pub async fn propose_role(tx: &mut Tx, event_id: i64, role: Role, person_id: i64) -> Result<bool> {
    Ok(on_tx!(tx, |c| sqlx::query(
        "INSERT INTO event_roles (event_id, role, person_id, proposed_from_rotation, proposed_at)
         VALUES ($1, $2, $3, TRUE, $4)
         ON CONFLICT (event_id, role) DO UPDATE SET person_id = excluded.person_id,
           proposed_from_rotation = TRUE, proposed_at = excluded.proposed_at
         WHERE event_roles.confirmed_at IS NULL"
    )
    .bind(event_id)
    .bind(role.as_str())
    .bind(person_id)
    .bind(now())
    .execute(c)
    .await
    .map(|r| r.rows_affected() > 0))?)
}

/// A leader confirms `person_id` in a role: the rotation's proposal (kept as proposed) or a swap
/// for someone else (then no longer "from rotation").
pub async fn confirm_role(
    tx: &mut Tx,
    event_id: i64,
    role: Role,
    person_id: i64,
    by: Option<i64>,
) -> Result<()> {
    let t = now();
    on_tx!(tx, |c| {
        sqlx::query(
        "INSERT INTO event_roles (event_id, role, person_id, proposed_from_rotation, proposed_at, confirmed_by, confirmed_at)
         VALUES ($1, $2, $3, FALSE, $4, $5, $4)
         ON CONFLICT (event_id, role) DO UPDATE SET
           proposed_from_rotation = (event_roles.proposed_from_rotation AND event_roles.person_id = excluded.person_id),
           person_id = excluded.person_id, confirmed_by = excluded.confirmed_by, confirmed_at = excluded.confirmed_at"
    )
    .bind(event_id)
    .bind(role.as_str())
    .bind(person_id)
    .bind(t)
    .bind(by)
    .execute(c)
    .await
    .map(|_| ())
    })?;
    Ok(())
}

// ---- ownership facts --------------------------------------------------------------------------------

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct TrendEvent {
    pub id: i64,
    pub title: String,
    pub starts_at: DateTime<Utc>,
    pub host_organization_id: Option<i64>,
}

/// What the ownership index of a community's latest events is computed from: seven queries,
/// whatever the number of events.
#[derive(Debug, Clone, Default)]
pub struct OwnershipFacts {
    /// Oldest first.
    pub events: Vec<TrendEvent>,
    pub conveners: Vec<i64>,
    pub convener_orgs: Vec<i64>,
    pub member_orgs: Vec<i64>,
    /// (event id, item id, proposer person): `None` for open-space slots.
    pub items: Vec<(i64, i64, Option<i64>)>,
    /// (event id, item id, person id).
    pub facilitators: Vec<(i64, i64, i64)>,
    /// (event id, the role holder's organization).
    pub role_orgs: Vec<(i64, Option<i64>)>,
    pub attendees: Vec<(i64, Attendee)>,
}

impl OwnershipFacts {
    /// The index's components for one of [`OwnershipFacts::events`] (the rules in
    /// `tejido_core::ownership`): the one computation behind the events pages, the community's
    /// home and the funder report.
    pub fn components(&self, e: &TrendEvent) -> Components {
        let f = self;
        let levels = tejido_core::directory::PositionLevel::ALL.len();
        let items: Vec<(i64, Option<i64>)> = f
            .items
            .iter()
            .filter(|i| i.0 == e.id)
            .map(|i| (i.1, i.2))
            .collect();
        let proposers: Vec<Option<i64>> = items.iter().map(|i| i.1).collect();
        let sessions: Vec<Vec<i64>> = items
            .iter()
            .map(|(item, _)| {
                f.facilitators
                    .iter()
                    .filter(|x| x.1 == *item)
                    .map(|x| x.2)
                    .collect()
            })
            .collect();
        let holders: Vec<Option<i64>> = f
            .role_orgs
            .iter()
            .filter(|r| r.0 == e.id)
            .map(|r| r.1)
            .collect();
        let attendees: Vec<Attendee> = f
            .attendees
            .iter()
            .filter(|a| a.0 == e.id)
            .map(|a| a.1.clone())
            .collect();
        Components {
            proposed_by_members: own::proposed_by_members(&proposers, &f.conveners),
            facilitated_by_members: own::facilitated_by_members(&sessions, &f.conveners),
            member_hosted: own::member_hosted(
                e.host_organization_id,
                &f.member_orgs,
                &f.convener_orgs,
            ),
            role_organizations: own::role_organizations(&holders, &f.member_orgs, &f.convener_orgs),
            spread: own::staff_spread(&attendees, levels),
        }
    }
}

const SCOPE: &str = "SELECT id FROM events WHERE community_id = $1 AND status <> 'cancelled' ORDER BY starts_at DESC, id DESC LIMIT $2";

type AttRow = (i64, i64, Option<i64>, Option<String>, Option<bool>);

pub async fn ownership_facts(db: &Db, community_id: i64) -> Result<OwnershipFacts> {
    let ev_sql = format!(
        "SELECT id, title, starts_at, host_organization_id FROM events WHERE id IN ({SCOPE}) ORDER BY starts_at, id"
    );
    let mut events: Vec<TrendEvent> = on!(db, |p| sqlx::query_as(&ev_sql)
        .bind(community_id)
        .bind(TREND_EVENTS)
        .fetch_all(p)
        .await)?;
    events.sort_by_key(|e| (e.starts_at, e.id));
    let conv: Vec<(i64, Option<i64>)> = on!(db, |p| {
        sqlx::query_as(
        "SELECT DISTINCT cr.person_id, pe.organization_id FROM community_roles cr JOIN people pe ON pe.id = cr.person_id
         WHERE cr.community_id = $1 AND cr.role = 'convener' AND cr.ends_at IS NULL LIMIT $2"
    )
    .bind(community_id)
    .bind(MAX_PEOPLE)
    .fetch_all(p)
    .await
    })?;
    let member_orgs: Vec<i64> = on!(db, |p| {
        sqlx::query_scalar(
        "SELECT organization_id FROM community_organizations WHERE community_id = $1 AND left_at IS NULL LIMIT $2"
    )
    .bind(community_id)
    .bind(MAX_PEOPLE)
    .fetch_all(p)
    .await
    })?;
    let items_sql = format!(
        "SELECT i.event_id, i.id, CASE WHEN i.open_space THEN NULL ELSE COALESCE(t.proposed_by, u.person_id) END
         FROM event_agenda_items i LEFT JOIN event_topics t ON t.id = i.topic_id LEFT JOIN users u ON u.id = i.created_by
         WHERE i.event_id IN ({SCOPE}) ORDER BY i.event_id, i.id LIMIT $3"
    );
    let limit_rows = TREND_EVENTS * MAX_ITEMS;
    let items: Vec<(i64, i64, Option<i64>)> = on!(db, |p| sqlx::query_as(&items_sql)
        .bind(community_id)
        .bind(TREND_EVENTS)
        .bind(limit_rows)
        .fetch_all(p)
        .await)?;
    let fac_sql = format!(
        "SELECT i.event_id, f.item_id, f.person_id FROM event_agenda_facilitators f JOIN event_agenda_items i ON i.id = f.item_id
         WHERE i.event_id IN ({SCOPE}) ORDER BY f.item_id LIMIT $3"
    );
    let facilitators: Vec<(i64, i64, i64)> = on!(db, |p| sqlx::query_as(&fac_sql)
        .bind(community_id)
        .bind(TREND_EVENTS)
        .bind(limit_rows * 4)
        .fetch_all(p)
        .await)?;
    let roles_sql = format!(
        "SELECT r.event_id, pe.organization_id FROM event_roles r JOIN people pe ON pe.id = r.person_id
         WHERE r.event_id IN ({SCOPE}) LIMIT $3"
    );
    let role_orgs: Vec<(i64, Option<i64>)> = on!(db, |p| sqlx::query_as(&roles_sql)
        .bind(community_id)
        .bind(TREND_EVENTS)
        .bind(TREND_EVENTS * 10)
        .fetch_all(p)
        .await)?;
    let att_sql = format!(
        "SELECT r.event_id, r.person_id, COALESCE(r.organization_id, pe.organization_id),
                COALESCE(r.position_level, pe.position_level), pe.youth
         FROM event_registrations r JOIN people pe ON pe.id = r.person_id
         WHERE r.event_id IN ({SCOPE}) AND r.cancelled_at IS NULL AND r.attendance IN ('present', 'remote')
         ORDER BY r.event_id, r.person_id LIMIT $3"
    );
    let att: Vec<AttRow> = on!(db, |p| sqlx::query_as(&att_sql)
        .bind(community_id)
        .bind(TREND_EVENTS)
        .bind(TREND_EVENTS * 2000)
        .fetch_all(p)
        .await)?;
    let mut convener_orgs: Vec<i64> = conv.iter().filter_map(|c| c.1).collect();
    convener_orgs.sort_unstable();
    convener_orgs.dedup();
    Ok(OwnershipFacts {
        events,
        conveners: conv.iter().map(|c| c.0).collect(),
        convener_orgs,
        member_orgs,
        items,
        facilitators,
        role_orgs,
        attendees: att
            .into_iter()
            .map(|(e, person_id, organization_id, position_level, youth)| {
                (
                    e,
                    Attendee {
                        person_id,
                        organization_id,
                        position_level,
                        youth: youth.unwrap_or(false),
                    },
                )
            })
            .collect(),
    })
}
