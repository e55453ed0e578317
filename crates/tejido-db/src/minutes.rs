//! Minutes of events: storage. The text is versioned (every save inserts a row; the newest
//! published row is what members read), action items and lessons learned are rows of their own,
//! and report-backs are one row per attendee (saved again, the row is updated). Callers load the
//! event through `events::get` first, which checks the community; these functions take its id.

use chrono::NaiveDate;
use tejido_core::minutes::{ActionItemInput, ActionStatus, MinutesInput, ReportBackInput};
use tejido_core::page::{Page, PageReq};

use crate::{now, on, on_tx, DateTime, Db, Result, Tx, Utc};

/// One saved version of an event's minutes.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct MinutesVersion {
    #[serde(skip)]
    pub id: i64,
    pub event_id: i64,
    pub version: i64,
    pub status: String,
    /// Markdown.
    pub summary: String,
    /// Markdown.
    pub takeaways: Option<String>,
    #[serde(skip)]
    pub author: Option<i64>,
    pub author_name: Option<String>,
    pub created_at: DateTime<Utc>,
    pub published_at: Option<DateTime<Utc>>,
}

impl MinutesVersion {
    pub fn is_draft(&self) -> bool {
        self.status == "draft"
    }
}

const MINUTES_COLS: &str =
    "m.id, m.event_id, m.version, m.status, m.summary, m.takeaways, m.author,
    u.display_name AS author_name, m.created_at, m.published_at";

/// An action item with its owner's name and where it came from.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct ActionItem {
    pub id: i64,
    pub event_id: i64,
    pub title: String,
    pub owner_person_id: i64,
    pub owner_name: String,
    pub due_on: NaiveDate,
    pub status: String,
    pub reminded_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub event_title: String,
    pub community_slug: String,
    pub community_name: String,
}

impl ActionItem {
    pub fn is_open(&self) -> bool {
        self.status == "open"
    }
}

const ITEM_COLS: &str = "i.id, i.event_id, i.title, i.owner_person_id, p.full_name AS owner_name, i.due_on, i.status,
    i.reminded_at, i.created_at, i.updated_at, e.title AS event_title, c.slug AS community_slug, c.name AS community_name";
const ITEM_FROM: &str = "event_action_items i JOIN people p ON p.id = i.owner_person_id
    JOIN events e ON e.id = i.event_id JOIN communities c ON c.id = e.community_id";

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Lesson {
    pub id: i64,
    pub event_id: i64,
    pub text: String,
    pub author_name: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct ReportBack {
    pub id: i64,
    pub event_id: i64,
    pub person_id: i64,
    pub person_name: String,
    pub reported_on: NaiveDate,
    pub format: String,
    pub audience: i32,
    pub notes: Option<String>,
    pub updated_at: DateTime<Utc>,
}

const RB_COLS: &str = "r.id, r.event_id, r.person_id, p.full_name AS person_name, r.reported_on, r.format, r.audience,
    r.notes, r.updated_at";

/// A reminder claimed for sending: the item and where to write.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Reminder {
    pub id: i64,
    pub title: String,
    pub due_on: NaiveDate,
    pub email: String,
    pub locale: Option<String>,
    pub event_id: i64,
    pub event_title: String,
    pub community_slug: String,
    pub community_name: String,
}

// ---- versions ---------------------------------------------------------------------------------

/// Saves a new version (draft or published); returns its number.
pub async fn save_version(
    tx: &mut Tx,
    event_id: i64,
    input: &MinutesInput,
    author: Option<i64>,
) -> Result<i64> {
    let t = now();
    let published_at =
        (input.status == tejido_core::minutes::MinutesStatus::Published).then_some(t);
    let n = on_tx!(tx, |c| {
        let n: i64 = sqlx::query_scalar(
            "SELECT COALESCE(MAX(version), 0) + 1 FROM event_minutes WHERE event_id = $1",
        )
        .bind(event_id)
        .fetch_one(&mut *c)
        .await?;
        sqlx::query(
            "INSERT INTO event_minutes (event_id, version, status, summary, takeaways, author, created_at, published_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(event_id)
        .bind(n)
        .bind(input.status.as_str())
        .bind(&input.summary)
        .bind(&input.takeaways)
        .bind(author)
        .bind(t)
        .bind(published_at)
        .execute(&mut *c)
        .await?;
        n
    });
    crate::search::index_minutes(tx, event_id).await?;
    Ok(n)
}

/// The newest version: the newest of all when `drafts`, else the newest published one.
pub async fn latest(db: &Db, event_id: i64, drafts: bool) -> Result<Option<MinutesVersion>> {
    let sql = format!(
        "SELECT {MINUTES_COLS} FROM event_minutes m LEFT JOIN users u ON u.id = m.author
         WHERE m.event_id = $1 AND (m.status = 'published' OR $2 = 1) ORDER BY m.version DESC LIMIT 1"
    );
    Ok(on!(db, |p| sqlx::query_as(&sql)
        .bind(event_id)
        .bind(i64::from(drafts))
        .fetch_optional(p)
        .await)?)
}

/// The newest published version, if any (what members read).
pub async fn published(db: &Db, event_id: i64) -> Result<Option<MinutesVersion>> {
    latest(db, event_id, false).await
}

/// One version by number; drafts only when `drafts`.
pub async fn version(
    db: &Db,
    event_id: i64,
    n: i64,
    drafts: bool,
) -> Result<Option<MinutesVersion>> {
    let sql = format!(
        "SELECT {MINUTES_COLS} FROM event_minutes m LEFT JOIN users u ON u.id = m.author
         WHERE m.event_id = $1 AND m.version = $2 AND (m.status = 'published' OR $3 = 1)"
    );
    Ok(on!(db, |p| sqlx::query_as(&sql)
        .bind(event_id)
        .bind(n)
        .bind(i64::from(drafts))
        .fetch_optional(p)
        .await)?)
}

/// The history, newest first; drafts only when `drafts`.
pub async fn versions(
    db: &Db,
    event_id: i64,
    drafts: bool,
    req: PageReq,
) -> Result<Page<MinutesVersion>> {
    let count_sql = "SELECT COUNT(*) FROM event_minutes m WHERE m.event_id = $1 AND (m.status = 'published' OR $2 = 1)";
    let sql = format!(
        "SELECT {MINUTES_COLS} FROM event_minutes m LEFT JOIN users u ON u.id = m.author
         WHERE m.event_id = $1 AND (m.status = 'published' OR $2 = 1) ORDER BY m.version DESC LIMIT $3 OFFSET $4"
    );
    let d = i64::from(drafts);
    let (total, items) = on!(db, |p| {
        let total: i64 = sqlx::query_scalar(count_sql)
            .bind(event_id)
            .bind(d)
            .fetch_one(p)
            .await?;
        let items: Vec<MinutesVersion> = sqlx::query_as(&sql)
            .bind(event_id)
            .bind(d)
            .bind(req.limit())
            .bind(req.offset())
            .fetch_all(p)
            .await?;
        (total, items)
    });
    Ok(Page {
        items,
        page: req.page,
        per_page: req.per_page,
        total,
    })
}

// ---- action items -----------------------------------------------------------------------------

pub async fn insert_item(
    tx: &mut Tx,
    event_id: i64,
    input: &ActionItemInput,
    created_by: Option<i64>,
) -> Result<i64> {
    let t = now();
    Ok(on_tx!(tx, |c| {
        sqlx::query_scalar(
        "INSERT INTO event_action_items (event_id, title, owner_person_id, due_on, status, created_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, 'open', $5, $6, $6) RETURNING id"
    )
    .bind(event_id)
    .bind(&input.title)
    .bind(input.owner_person_id)
    .bind(input.due_on)
    .bind(created_by)
    .bind(t)
    .fetch_one(c)
    .await
    })?)
}

/// An event's action items by due date (at most `limit`).
pub async fn items(db: &Db, event_id: i64, limit: i64) -> Result<Vec<ActionItem>> {
    let sql = format!(
        "SELECT {ITEM_COLS} FROM {ITEM_FROM} WHERE i.event_id = $1 ORDER BY i.due_on, i.id LIMIT $2"
    );
    Ok(on!(db, |p| sqlx::query_as(&sql)
        .bind(event_id)
        .bind(limit)
        .fetch_all(p)
        .await)?)
}

pub async fn item(db: &Db, event_id: i64, id: i64) -> Result<Option<ActionItem>> {
    let sql = format!("SELECT {ITEM_COLS} FROM {ITEM_FROM} WHERE i.event_id = $1 AND i.id = $2");
    Ok(on!(db, |p| sqlx::query_as(&sql)
        .bind(event_id)
        .bind(id)
        .fetch_optional(p)
        .await)?)
}

/// Sets an item's status; true when the item exists in this event.
pub async fn set_item_status(
    tx: &mut Tx,
    event_id: i64,
    id: i64,
    status: ActionStatus,
) -> Result<bool> {
    let n = on_tx!(tx, |c| {
        sqlx::query(
        "UPDATE event_action_items SET status = $1, updated_at = $2 WHERE event_id = $3 AND id = $4"
    )
    .bind(status.as_str())
    .bind(now())
    .bind(event_id)
    .bind(id)
    .execute(c)
    .await
    .map(|r| r.rows_affected())
    })?;
    Ok(n == 1)
}

/// A community's open action items, soonest due first.
pub async fn open_items_for_community(
    db: &Db,
    community_id: i64,
    req: PageReq,
) -> Result<Page<ActionItem>> {
    let count_sql = "SELECT COUNT(*) FROM event_action_items i JOIN events e ON e.id = i.event_id
        WHERE e.community_id = $1 AND i.status = 'open'";
    let sql = format!(
        "SELECT {ITEM_COLS} FROM {ITEM_FROM} WHERE e.community_id = $1 AND i.status = 'open'
         ORDER BY i.due_on, i.id LIMIT $2 OFFSET $3"
    );
    let (total, items) = on!(db, |p| {
        let total: i64 = sqlx::query_scalar(count_sql)
            .bind(community_id)
            .fetch_one(p)
            .await?;
        let items: Vec<ActionItem> = sqlx::query_as(&sql)
            .bind(community_id)
            .bind(req.limit())
            .bind(req.offset())
            .fetch_all(p)
            .await?;
        (total, items)
    });
    Ok(Page {
        items,
        page: req.page,
        per_page: req.per_page,
        total,
    })
}

/// A person's open action items across communities, soonest due first (for the home page).
pub async fn open_items_for_person(db: &Db, person_id: i64, limit: i64) -> Result<Vec<ActionItem>> {
    let sql = format!(
        "SELECT {ITEM_COLS} FROM {ITEM_FROM} WHERE i.owner_person_id = $1 AND i.status = 'open'
         ORDER BY i.due_on, i.id LIMIT $2"
    );
    Ok(on!(db, |p| sqlx::query_as(&sql)
        .bind(person_id)
        .bind(limit.clamp(1, 100))
        .fetch_all(p)
        .await)?)
}

/// The people an item may be assigned to: the community's current people, by name.
pub async fn owner_choices(db: &Db, community_id: i64, limit: i64) -> Result<Vec<(i64, String)>> {
    Ok(on!(db, |p| sqlx::query_as(
        "SELECT p.id, p.full_name FROM community_people cp JOIN people p ON p.id = cp.person_id
         WHERE cp.community_id = $1 AND cp.left_at IS NULL ORDER BY p.full_name, p.id LIMIT $2"
    )
    .bind(community_id)
    .bind(limit)
    .fetch_all(p)
    .await)?)
}

/// True when the person currently belongs to the community.
pub async fn is_community_person(db: &Db, community_id: i64, person_id: i64) -> Result<bool> {
    let n: i64 = on!(db, |p| {
        sqlx::query_scalar(
        "SELECT COUNT(*) FROM community_people WHERE community_id = $1 AND person_id = $2 AND left_at IS NULL"
    )
    .bind(community_id)
    .bind(person_id)
    .fetch_one(p)
    .await
    })?;
    Ok(n > 0)
}

/// Marks up to `limit` open items due by `until` and not yet reminded as reminded, and returns
/// them with the owner's address. The conditional update makes each reminder claimed once, even
/// with several workers; send the mail in the same transaction.
pub async fn claim_due_reminders(
    tx: &mut Tx,
    until: NaiveDate,
    limit: i64,
) -> Result<Vec<Reminder>> {
    let t = now();
    let rows: Vec<Reminder> = on_tx!(tx, |c| {
        let ids: Vec<i64> = sqlx::query_scalar(
            "UPDATE event_action_items SET reminded_at = $1
             WHERE reminded_at IS NULL AND id IN (
               SELECT i.id FROM event_action_items i JOIN people p ON p.id = i.owner_person_id
               WHERE i.status = 'open' AND i.reminded_at IS NULL AND i.due_on <= $2 AND p.email IS NOT NULL
               ORDER BY i.due_on, i.id LIMIT $3)
             RETURNING id",
        )
        .bind(t)
        .bind(until)
        .bind(limit)
        .fetch_all(&mut *c)
        .await?;
        if ids.is_empty() {
            vec![]
        } else {
            let all: Vec<Reminder> = sqlx::query_as(
                "SELECT i.id, i.title, i.due_on, p.email, u.locale, e.id AS event_id, e.title AS event_title,
                        c.slug AS community_slug, c.name AS community_name
                 FROM event_action_items i JOIN people p ON p.id = i.owner_person_id
                 LEFT JOIN users u ON u.person_id = p.id
                 JOIN events e ON e.id = i.event_id JOIN communities c ON c.id = e.community_id
                 WHERE i.reminded_at = $1 AND i.due_on <= $2 AND p.email IS NOT NULL ORDER BY i.id",
            )
            .bind(t)
            .bind(until)
            .fetch_all(&mut *c)
            .await?;
            all.into_iter().filter(|r| ids.contains(&r.id)).collect()
        }
    });
    Ok(rows)
}

// ---- lessons learned --------------------------------------------------------------------------

pub async fn insert_lesson(
    tx: &mut Tx,
    event_id: i64,
    text: &str,
    created_by: Option<i64>,
) -> Result<i64> {
    let id = on_tx!(tx, |c| {
        sqlx::query_scalar(
        "INSERT INTO event_lessons (event_id, text, created_by, created_at) VALUES ($1, $2, $3, $4) RETURNING id"
    )
    .bind(event_id)
    .bind(text)
    .bind(created_by)
    .bind(now())
    .fetch_one(c)
    .await
    })?;
    crate::search::index_minutes(tx, event_id).await?;
    Ok(id)
}

pub async fn lessons(db: &Db, event_id: i64, limit: i64) -> Result<Vec<Lesson>> {
    Ok(on!(db, |p| {
        sqlx::query_as(
        "SELECT l.id, l.event_id, l.text, u.display_name AS author_name, l.created_at
         FROM event_lessons l LEFT JOIN users u ON u.id = l.created_by WHERE l.event_id = $1 ORDER BY l.id LIMIT $2"
    )
    .bind(event_id)
    .bind(limit)
    .fetch_all(p)
    .await
    })?)
}

// ---- report-back and the cascade rate ----------------------------------------------------------

/// True when the person attended (present or remote) and did not cancel.
pub async fn is_attendee(db: &Db, event_id: i64, person_id: i64) -> Result<bool> {
    let n: i64 = on!(db, |p| sqlx::query_scalar(
        "SELECT COUNT(*) FROM event_registrations WHERE event_id = $1 AND person_id = $2
         AND cancelled_at IS NULL AND attendance IN ('present', 'remote')"
    )
    .bind(event_id)
    .bind(person_id)
    .fetch_one(p)
    .await)?;
    Ok(n > 0)
}

/// Records (or replaces) a person's report-back; returns its id.
pub async fn save_report_back(
    tx: &mut Tx,
    event_id: i64,
    person_id: i64,
    input: &ReportBackInput,
) -> Result<i64> {
    Ok(on_tx!(tx, |c| {
        sqlx::query_scalar(
        "INSERT INTO event_report_backs (event_id, person_id, reported_on, format, audience, notes, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
         ON CONFLICT (event_id, person_id) DO UPDATE SET reported_on = excluded.reported_on, format = excluded.format,
           audience = excluded.audience, notes = excluded.notes, updated_at = excluded.updated_at
         RETURNING id"
    )
    .bind(event_id)
    .bind(person_id)
    .bind(input.reported_on)
    .bind(input.format.as_str())
    .bind(input.audience)
    .bind(&input.notes)
    .bind(now())
    .fetch_one(c)
    .await
    })?)
}

pub async fn report_back(db: &Db, event_id: i64, person_id: i64) -> Result<Option<ReportBack>> {
    let sql = format!(
        "SELECT {RB_COLS} FROM event_report_backs r JOIN people p ON p.id = r.person_id
         WHERE r.event_id = $1 AND r.person_id = $2"
    );
    Ok(on!(db, |p| sqlx::query_as(&sql)
        .bind(event_id)
        .bind(person_id)
        .fetch_optional(p)
        .await)?)
}

/// An event's report-backs, newest first (at most `limit`).
pub async fn report_backs(db: &Db, event_id: i64, limit: i64) -> Result<Vec<ReportBack>> {
    let sql = format!(
        "SELECT {RB_COLS} FROM event_report_backs r JOIN people p ON p.id = r.person_id
         WHERE r.event_id = $1 ORDER BY r.reported_on DESC, r.id DESC LIMIT $2"
    );
    Ok(on!(db, |p| sqlx::query_as(&sql)
        .bind(event_id)
        .bind(limit)
        .fetch_all(p)
        .await)?)
}

/// (attendees who reported back, attendees): attendees are registrations not cancelled with
/// attendance present or remote. See `tejido_core::minutes::cascade_percent`.
pub async fn cascade_rate(db: &Db, event_id: i64) -> Result<(i64, i64)> {
    Ok(on!(db, |p| {
        sqlx::query_as(
        "SELECT COUNT(rb.id), COUNT(*) FROM event_registrations r
         LEFT JOIN event_report_backs rb ON rb.event_id = r.event_id AND rb.person_id = r.person_id
         WHERE r.event_id = $1 AND r.cancelled_at IS NULL AND r.attendance IN ('present', 'remote')"
    )
    .bind(event_id)
    .fetch_one(p)
    .await
    })?)
}
