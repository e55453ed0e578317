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
    Ok(on!(db, |p| sqlx::query_as(&sql)
        .bind(community_id)
        .bind(id)
        .fetch_optional(p)
        .await)?)
}

// ---- writing events ---------------------------------------------------------------------------

use tejido_core::events::{Attendance, EventInput};
use tejido_core::page::{Page, PageReq};

use crate::{now, on_tx, Tx};

pub async fn insert(
    tx: &mut Tx,
    community_id: i64,
    e: &EventInput,
    by: Option<i64>,
) -> Result<i64> {
    let t = now();
    Ok(on_tx!(tx, |c| {
        sqlx::query_scalar(
        "INSERT INTO events (community_id, title, description, kind, mode, starts_at, ends_at, time_zone, venue, city, state_code,
         online_link, host_organization_id, scheduled_around, status, capacity, dots_per_member, voting_closes_at, created_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $20) RETURNING id"
    )
    .bind(community_id)
    .bind(&e.title)
    .bind(&e.description)
    .bind(e.kind.as_str())
    .bind(e.mode.as_str())
    .bind(e.starts_at)
    .bind(e.ends_at)
    .bind(&e.time_zone)
    .bind(&e.venue)
    .bind(&e.city)
    .bind(&e.state_code)
    .bind(&e.online_link)
    .bind(e.host_organization_id)
    .bind(&e.scheduled_around)
    .bind(e.status.as_str())
    .bind(e.capacity)
    .bind(e.dots_per_member)
    .bind(e.voting_closes_at)
    .bind(by)
    .bind(t)
    .fetch_one(c)
    .await
    })?)
}

/// Updates an event of this community; false when there is none.
pub async fn update(tx: &mut Tx, community_id: i64, id: i64, e: &EventInput) -> Result<bool> {
    let n = on_tx!(tx, |c| {
        sqlx::query(
        "UPDATE events SET title = $1, description = $2, kind = $3, mode = $4, starts_at = $5, ends_at = $6, time_zone = $7,
         venue = $8, city = $9, state_code = $10, online_link = $11, host_organization_id = $12, scheduled_around = $13,
         status = $14, capacity = $15, dots_per_member = $16, voting_closes_at = $17, updated_at = $18 WHERE community_id = $19 AND id = $20"
    )
    .bind(&e.title)
    .bind(&e.description)
    .bind(e.kind.as_str())
    .bind(e.mode.as_str())
    .bind(e.starts_at)
    .bind(e.ends_at)
    .bind(&e.time_zone)
    .bind(&e.venue)
    .bind(&e.city)
    .bind(&e.state_code)
    .bind(&e.online_link)
    .bind(e.host_organization_id)
    .bind(&e.scheduled_around)
    .bind(e.status.as_str())
    .bind(e.capacity)
    .bind(e.dots_per_member)
    .bind(e.voting_closes_at)
    .bind(now())
    .bind(community_id)
    .bind(id)
    .execute(c)
    .await
    .map(|r| r.rows_affected())
    })?;
    if n > 0 {
        // The minutes are found under the event's title: keep their search row current.
        crate::search::index_minutes(tx, id).await?;
    }
    Ok(n > 0)
}

/// Upcoming events (not yet ended, soonest first) or past ones (latest first), one page.
pub async fn list(
    db: &Db,
    community_id: i64,
    upcoming: bool,
    at: DateTime<Utc>,
    req: PageReq,
) -> Result<Page<Event>> {
    let (cond, order) = if upcoming {
        ("e.ends_at >= $2", "e.starts_at ASC, e.id ASC")
    } else {
        ("e.ends_at < $2", "e.starts_at DESC, e.id DESC")
    };
    let sql = format!(
        "SELECT {EVENT_COLS} FROM events e WHERE e.community_id = $1 AND {cond} ORDER BY {order} LIMIT $3 OFFSET $4"
    );
    let count = format!("SELECT COUNT(*) FROM events e WHERE e.community_id = $1 AND {cond}");
    let (items, total): (Vec<Event>, i64) = on!(db, |p| {
        let items = sqlx::query_as(&sql)
            .bind(community_id)
            .bind(at)
            .bind(req.limit())
            .bind(req.offset())
            .fetch_all(p)
            .await?;
        let total = sqlx::query_scalar(&count)
            .bind(community_id)
            .bind(at)
            .fetch_one(p)
            .await?;
        (items, total)
    });
    Ok(Page {
        items,
        page: req.page,
        per_page: req.per_page,
        total,
    })
}

/// A host organization's name (for display).
pub async fn organization_name(db: &Db, id: i64) -> Result<Option<String>> {
    Ok(on!(db, |p| sqlx::query_scalar(
        "SELECT name FROM organizations WHERE id = $1"
    )
    .bind(id)
    .fetch_optional(p)
    .await)?)
}

/// Organizations that may host: the community's current member organizations (by name).
pub async fn host_options(db: &Db, community_id: i64) -> Result<Vec<(i64, String)>> {
    Ok(on!(db, |p| {
        sqlx::query_as(
        "SELECT o.id, o.name FROM community_organizations co JOIN organizations o ON o.id = co.organization_id
         WHERE co.community_id = $1 AND co.left_at IS NULL AND o.archived_at IS NULL ORDER BY o.name_key LIMIT 500"
    )
    .bind(community_id)
    .fetch_all(p)
    .await
    })?)
}

// ---- registration and attendance --------------------------------------------------------------

/// A registration with the person's name and the organization and position level copied when
/// they registered (refreshed when attendance is taken).
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Registration {
    pub id: i64,
    pub event_id: i64,
    pub person_id: i64,
    pub full_name: String,
    pub organization_id: Option<i64>,
    pub organization_name: Option<String>,
    pub position_level: Option<String>,
    pub registered_at: DateTime<Utc>,
    pub cancelled_at: Option<DateTime<Utc>>,
    pub attendance: Option<String>,
    pub attendance_recorded_at: Option<DateTime<Utc>>,
}

const REG_COLS: &str = "r.id, r.event_id, r.person_id, p.full_name, r.organization_id, o.name AS organization_name, r.position_level,
    r.registered_at, r.cancelled_at, r.attendance, r.attendance_recorded_at";
const REG_FROM: &str = "event_registrations r JOIN people p ON p.id = r.person_id LEFT JOIN organizations o ON o.id = r.organization_id";

/// Current (not cancelled) registrations of an event, by name, one page.
pub async fn registrations(db: &Db, event_id: i64, req: PageReq) -> Result<Page<Registration>> {
    let sql = format!(
        "SELECT {REG_COLS} FROM {REG_FROM} WHERE r.event_id = $1 AND r.cancelled_at IS NULL ORDER BY p.name_key, r.id LIMIT $2 OFFSET $3"
    );
    let (items, total): (Vec<Registration>, i64) = on!(db, |p| {
        let items = sqlx::query_as(&sql)
            .bind(event_id)
            .bind(req.limit())
            .bind(req.offset())
            .fetch_all(p)
            .await?;
        let total = sqlx::query_scalar(
            "SELECT COUNT(*) FROM event_registrations WHERE event_id = $1 AND cancelled_at IS NULL",
        )
        .bind(event_id)
        .fetch_one(p)
        .await?;
        (items, total)
    });
    Ok(Page {
        items,
        page: req.page,
        per_page: req.per_page,
        total,
    })
}

/// This person's registration for this event, current or cancelled.
pub async fn registration(db: &Db, event_id: i64, person_id: i64) -> Result<Option<Registration>> {
    let sql =
        format!("SELECT {REG_COLS} FROM {REG_FROM} WHERE r.event_id = $1 AND r.person_id = $2");
    Ok(on!(db, |p| sqlx::query_as(&sql)
        .bind(event_id)
        .bind(person_id)
        .fetch_optional(p)
        .await)?)
}

/// True when the person is currently registered (the rule for seeing the online link).
pub async fn is_registered(db: &Db, event_id: i64, person_id: i64) -> Result<bool> {
    let n: i64 = on!(db, |p| {
        sqlx::query_scalar(
        "SELECT COUNT(*) FROM event_registrations WHERE event_id = $1 AND person_id = $2 AND cancelled_at IS NULL"
    )
    .bind(event_id)
    .bind(person_id)
    .fetch_one(p)
    .await
    })?;
    Ok(n > 0)
}

/// True when the person belongs to the community: as a member person or through a member
/// organization. Only they can be registered.
pub async fn eligible(db: &Db, community_id: i64, person_id: i64) -> Result<bool> {
    let n: i64 = on!(db, |p| {
        sqlx::query_scalar(
        "SELECT COUNT(*) FROM people p WHERE p.id = $1 AND p.archived_at IS NULL AND (
           EXISTS (SELECT 1 FROM community_people cp WHERE cp.person_id = p.id AND cp.community_id = $2 AND cp.left_at IS NULL)
           OR EXISTS (SELECT 1 FROM community_organizations co WHERE co.organization_id = p.organization_id
                      AND co.community_id = $2 AND co.left_at IS NULL))"
    )
    .bind(person_id)
    .bind(community_id)
    .fetch_one(p)
    .await
    })?;
    Ok(n > 0)
}

/// The organization a person belongs to now.
pub async fn person_organization(db: &Db, person_id: i64) -> Result<Option<i64>> {
    let o: Option<Option<i64>> = on!(db, |p| sqlx::query_scalar(
        "SELECT organization_id FROM people WHERE id = $1 AND archived_at IS NULL"
    )
    .bind(person_id)
    .fetch_optional(p)
    .await)?;
    Ok(o.flatten())
}

/// People who can be registered for this community's events (by name), optionally only those
/// of one organization (what an organization's staff may do for colleagues).
pub async fn registrable(
    db: &Db,
    community_id: i64,
    organization_id: Option<i64>,
) -> Result<Vec<(i64, String)>> {
    Ok(on!(db, |p| {
        sqlx::query_as(
        "SELECT p.id, p.full_name FROM people p WHERE p.archived_at IS NULL AND (CAST($1 AS BIGINT) IS NULL OR p.organization_id = $1) AND (
           EXISTS (SELECT 1 FROM community_people cp WHERE cp.person_id = p.id AND cp.community_id = $2 AND cp.left_at IS NULL)
           OR EXISTS (SELECT 1 FROM community_organizations co WHERE co.organization_id = p.organization_id
                      AND co.community_id = $2 AND co.left_at IS NULL))
         ORDER BY p.name_key LIMIT 1000"
    )
    .bind(organization_id)
    .bind(community_id)
    .fetch_all(p)
    .await
    })?)
}

/// What registering did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Registered {
    New,
    Already,
    Full,
}

/// Registers a person (again, after a cancellation), copying their organization and position
/// level now. Refuses when the event is at capacity.
pub async fn register(
    tx: &mut Tx,
    event_id: i64,
    capacity: Option<i32>,
    person_id: i64,
    by: Option<i64>,
) -> Result<Registered> {
    let t = now();
    let (active, mine): (i64, i64) = on_tx!(tx, |c| {
        sqlx::query_as(
        "SELECT COUNT(*), COALESCE(SUM(CASE WHEN person_id = $1 THEN 1 ELSE 0 END), 0) FROM event_registrations
         WHERE event_id = $2 AND cancelled_at IS NULL"
    )
    .bind(person_id)
    .bind(event_id)
    .fetch_one(&mut *c)
    .await
    })?;
    if mine > 0 {
        return Ok(Registered::Already);
    }
    if capacity.is_some_and(|cap| active >= i64::from(cap)) {
        return Ok(Registered::Full);
    }
    on_tx!(tx, |c| {
        sqlx::query(
        "INSERT INTO event_registrations (event_id, person_id, organization_id, position_level, registered_by, registered_at)
         SELECT $1, p.id, p.organization_id, p.position_level, $2, $3 FROM people p WHERE p.id = $4
         ON CONFLICT (event_id, person_id) DO UPDATE SET cancelled_at = NULL, attendance = NULL, attendance_recorded_at = NULL,
           organization_id = excluded.organization_id, position_level = excluded.position_level,
           registered_by = excluded.registered_by, registered_at = excluded.registered_at"
    )
    .bind(event_id)
    .bind(by)
    .bind(t)
    .bind(person_id)
    .execute(c)
    .await
    .map(|_| ())
    })?;
    Ok(Registered::New)
}

/// Cancels a registration whose attendance was not yet taken; false when there was none.
pub async fn unregister(tx: &mut Tx, event_id: i64, person_id: i64) -> Result<bool> {
    let n = on_tx!(tx, |c| {
        sqlx::query(
        "UPDATE event_registrations SET cancelled_at = $1 WHERE event_id = $2 AND person_id = $3 AND cancelled_at IS NULL
         AND attendance IS NULL"
    )
    .bind(now())
    .bind(event_id)
    .bind(person_id)
    .execute(c)
    .await
    .map(|r| r.rows_affected())
    })?;
    Ok(n > 0)
}

/// Records attendance of registered people (by person id) at this event (one statement per value,
/// whatever the number of people), copying each person's organization and position level at this time.
pub async fn set_attendance(
    tx: &mut Tx,
    event_id: i64,
    marks: &[(i64, Attendance)],
) -> Result<u64> {
    let t = now();
    let mut total = 0;
    for a in Attendance::ALL {
        let ids: Vec<i64> = marks
            .iter()
            .filter(|(_, m)| m == a)
            .map(|(id, _)| *id)
            .collect();
        if ids.is_empty() {
            continue;
        }
        let list: Vec<String> = (0..ids.len()).map(|i| format!("${}", i + 4)).collect();
        let sql = format!(
            "UPDATE event_registrations SET attendance = $1, attendance_recorded_at = $2,
               organization_id = (SELECT p.organization_id FROM people p WHERE p.id = event_registrations.person_id),
               position_level = (SELECT p.position_level FROM people p WHERE p.id = event_registrations.person_id)
             WHERE event_id = $3 AND cancelled_at IS NULL AND person_id IN ({})",
            list.join(", ")
        );
        let n = on_tx!(tx, |c| {
            let mut q = sqlx::query(&sql).bind(a.as_str()).bind(t).bind(event_id);
            for id in &ids {
                q = q.bind(*id);
            }
            q.execute(c).await.map(|r| r.rows_affected())
        })?;
        total += n;
    }
    Ok(total)
}

/// Gives a certificate code to every attendee (present or remote) who has none yet; `code`
/// makes a fresh random code. Returns how many were issued.
pub async fn issue_certificates(
    tx: &mut Tx,
    event_id: i64,
    mut code: impl FnMut() -> String,
) -> Result<usize> {
    let people: Vec<i64> = on_tx!(tx, |c| {
        sqlx::query_scalar(
        "SELECT r.person_id FROM event_registrations r WHERE r.event_id = $1 AND r.cancelled_at IS NULL
         AND r.attendance IN ('present', 'remote')
         AND NOT EXISTS (SELECT 1 FROM event_certificates x WHERE x.event_id = r.event_id AND x.person_id = r.person_id)"
    )
    .bind(event_id)
    .fetch_all(&mut *c)
    .await
    })?;
    if people.is_empty() {
        return Ok(0);
    }
    let t = now();
    let codes: Vec<String> = people.iter().map(|_| code()).collect();
    // One multi-row insert: ($1 event, $2 time, then code and person per row).
    let rows: Vec<String> = (0..people.len())
        .map(|i| format!("(${}, $1, ${}, $2)", 3 + 2 * i, 4 + 2 * i))
        .collect();
    let sql = format!(
        "INSERT INTO event_certificates (code, event_id, person_id, issued_at) VALUES {}",
        rows.join(", ")
    );
    on_tx!(tx, |c| {
        let mut q = sqlx::query(&sql).bind(event_id).bind(t);
        for (code, person) in codes.iter().zip(&people) {
            q = q.bind(code).bind(*person);
        }
        q.execute(c).await.map(|_| ())
    })?;
    Ok(people.len())
}

/// A certificate of participation: only attendees (present or remote) have one.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Certificate {
    pub code: String,
    pub event_id: i64,
    pub person_id: i64,
    pub full_name: String,
    pub organization_name: Option<String>,
    pub title: String,
    pub kind: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub time_zone: String,
    pub city: Option<String>,
    pub attendance: String,
    pub community_name: String,
    pub issued_at: DateTime<Utc>,
}

const CERT_SQL: &str = "SELECT x.code, x.event_id, x.person_id, p.full_name, o.name AS organization_name, e.title, e.kind,
    e.starts_at, e.ends_at, e.time_zone, e.city, r.attendance, c.name AS community_name, x.issued_at
    FROM event_certificates x JOIN events e ON e.id = x.event_id JOIN communities c ON c.id = e.community_id
    JOIN people p ON p.id = x.person_id
    JOIN event_registrations r ON r.event_id = x.event_id AND r.person_id = x.person_id
    LEFT JOIN organizations o ON o.id = r.organization_id
    WHERE r.cancelled_at IS NULL AND r.attendance IN ('present', 'remote')";

pub async fn certificate(db: &Db, event_id: i64, person_id: i64) -> Result<Option<Certificate>> {
    let sql = format!("{CERT_SQL} AND x.event_id = $1 AND x.person_id = $2");
    Ok(on!(db, |p| sqlx::query_as(&sql)
        .bind(event_id)
        .bind(person_id)
        .fetch_optional(p)
        .await)?)
}

/// The certificate with this code, if it is (still) valid.
pub async fn verify(db: &Db, code: &str) -> Result<Option<Certificate>> {
    let sql = format!("{CERT_SQL} AND x.code = $1");
    Ok(on!(db, |p| sqlx::query_as(&sql)
        .bind(code)
        .fetch_optional(p)
        .await)?)
}

/// One attendance of a staff member of an organization: which staff attended which events,
/// so rotation of attendees inside an organization shows.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct StaffAttendance {
    pub organization_id: Option<i64>,
    pub organization_name: Option<String>,
    pub person_id: i64,
    pub full_name: String,
    pub position_level: Option<String>,
    pub event_id: i64,
    pub title: String,
    pub starts_at: DateTime<Utc>,
    pub attendance: String,
}

/// Attendances (present or remote) at this community's events, grouped by organization (as it
/// was at the time), then by date; one page of rows.
pub async fn staff_by_organization(
    db: &Db,
    community_id: i64,
    req: PageReq,
) -> Result<Page<StaffAttendance>> {
    let from = "FROM event_registrations r JOIN events e ON e.id = r.event_id JOIN people p ON p.id = r.person_id
        LEFT JOIN organizations o ON o.id = r.organization_id
        WHERE e.community_id = $1 AND r.cancelled_at IS NULL AND r.attendance IN ('present', 'remote')";
    let sql = format!(
        "SELECT r.organization_id, o.name AS organization_name, r.person_id, p.full_name, r.position_level, e.id AS event_id,
         e.title, e.starts_at, r.attendance {from}
         ORDER BY CASE WHEN o.name_key IS NULL THEN 1 ELSE 0 END, o.name_key, r.organization_id, e.starts_at DESC, p.name_key
         LIMIT $2 OFFSET $3"
    );
    let count = format!("SELECT COUNT(*) {from}");
    let (items, total): (Vec<StaffAttendance>, i64) = on!(db, |p| {
        let items = sqlx::query_as(&sql)
            .bind(community_id)
            .bind(req.limit())
            .bind(req.offset())
            .fetch_all(p)
            .await?;
        let total = sqlx::query_scalar(&count)
            .bind(community_id)
            .fetch_one(p)
            .await?;
        (items, total)
    });
    Ok(Page {
        items,
        page: req.page,
        per_page: req.per_page,
        total,
    })
}

// ---- calendar feeds ---------------------------------------------------------------------------

/// At most this many events go into one feed (a window around today, not the whole history).
pub const FEED_LIMIT: i64 = 500;

/// An event with its community, for feeds that span communities.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FeedEvent {
    #[sqlx(flatten)]
    pub event: Event,
    pub slug: String,
    pub community_name: String,
}

/// A community's events that end after `since`, soonest first.
pub async fn community_feed(
    db: &Db,
    community_id: i64,
    since: DateTime<Utc>,
) -> Result<Vec<Event>> {
    let sql = format!(
        "SELECT {EVENT_COLS} FROM events e WHERE e.community_id = $1 AND e.ends_at >= $2 ORDER BY e.starts_at LIMIT $3"
    );
    Ok(on!(db, |p| sqlx::query_as(&sql)
        .bind(community_id)
        .bind(since)
        .bind(FEED_LIMIT)
        .fetch_all(p)
        .await)?)
}

/// A person's feed: events they registered for, and events of communities they belong to
/// (as a person), ending after `since`; archived communities left out.
pub async fn personal_feed(
    db: &Db,
    person_id: i64,
    since: DateTime<Utc>,
) -> Result<Vec<FeedEvent>> {
    let sql = format!(
        "SELECT {EVENT_COLS}, c.slug, c.name AS community_name FROM events e JOIN communities c ON c.id = e.community_id
         WHERE e.ends_at >= $1 AND c.archived_at IS NULL AND (
           EXISTS (SELECT 1 FROM event_registrations r WHERE r.event_id = e.id AND r.person_id = $2 AND r.cancelled_at IS NULL)
           OR EXISTS (SELECT 1 FROM community_people cp WHERE cp.community_id = e.community_id AND cp.person_id = $2 AND cp.left_at IS NULL))
         ORDER BY e.starts_at LIMIT $3"
    );
    Ok(on!(db, |p| sqlx::query_as(&sql)
        .bind(since)
        .bind(person_id)
        .bind(FEED_LIMIT)
        .fetch_all(p)
        .await)?)
}

/// Sets (or replaces) a user's personal feed token, stored as its hash.
pub async fn set_calendar_token(tx: &mut Tx, user_id: i64, token_hash: &str) -> Result<()> {
    on_tx!(tx, |c| {
        sqlx::query(
        "INSERT INTO calendar_tokens (user_id, token_hash, created_at) VALUES ($1, $2, $3)
         ON CONFLICT (user_id) DO UPDATE SET token_hash = excluded.token_hash, created_at = excluded.created_at"
    )
    .bind(user_id)
    .bind(token_hash)
    .bind(now())
    .execute(c)
    .await
    .map(|_| ())
    })?;
    Ok(())
}

/// When the user's current feed token was made, if they have one.
pub async fn calendar_token_created(db: &Db, user_id: i64) -> Result<Option<DateTime<Utc>>> {
    Ok(on!(db, |p| sqlx::query_scalar(
        "SELECT created_at FROM calendar_tokens WHERE user_id = $1"
    )
    .bind(user_id)
    .fetch_optional(p)
    .await)?)
}

/// The person behind a feed token (an enabled account with a directory entry).
pub async fn person_by_calendar_token(db: &Db, token_hash: &str) -> Result<Option<i64>> {
    let r: Option<Option<i64>> = on!(db, |p| sqlx::query_scalar(
        "SELECT u.person_id FROM calendar_tokens t JOIN users u ON u.id = t.user_id
         WHERE t.token_hash = $1 AND u.disabled_at IS NULL"
    )
    .bind(token_hash)
    .fetch_optional(p)
    .await)?;
    Ok(r.flatten())
}

// ---- reminders --------------------------------------------------------------------------------

/// A reminder to send: one registered person of an event.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ReminderTo {
    pub email: String,
    pub full_name: String,
    pub locale: Option<String>,
}

/// Events starting between `from` and `to` whose reminders have not gone out (not cancelled).
pub async fn due_reminders(
    db: &Db,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<FeedEvent>> {
    let sql = format!(
        "SELECT {EVENT_COLS}, c.slug, c.name AS community_name FROM events e JOIN communities c ON c.id = e.community_id
         WHERE e.starts_at >= $1 AND e.starts_at < $2 AND e.reminders_sent_at IS NULL AND e.status <> 'cancelled'
         ORDER BY e.starts_at LIMIT $3"
    );
    Ok(on!(db, |p| sqlx::query_as(&sql)
        .bind(from)
        .bind(to)
        .bind(limit)
        .fetch_all(p)
        .await)?)
}

/// Marks an event's reminders as sent; false when another worker got there first. Returns the
/// registered people with an e-mail address (through their account, else the directory).
pub async fn claim_reminders(tx: &mut Tx, event_id: i64) -> Result<Option<Vec<ReminderTo>>> {
    let n = on_tx!(tx, |c| sqlx::query(
        "UPDATE events SET reminders_sent_at = $1 WHERE id = $2 AND reminders_sent_at IS NULL"
    )
    .bind(now())
    .bind(event_id)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    if n == 0 {
        return Ok(None);
    }
    let to: Vec<ReminderTo> = on_tx!(tx, |c| {
        sqlx::query_as(
        "SELECT COALESCE(u.email, p.email) AS email, p.full_name, u.locale FROM event_registrations r
         JOIN people p ON p.id = r.person_id
         LEFT JOIN users u ON u.person_id = p.id AND u.disabled_at IS NULL
         WHERE r.event_id = $1 AND r.cancelled_at IS NULL AND COALESCE(u.email, p.email) IS NOT NULL
         ORDER BY p.name_key LIMIT 5000"
    )
    .bind(event_id)
    .fetch_all(c)
    .await
    })?;
    Ok(Some(to))
}
