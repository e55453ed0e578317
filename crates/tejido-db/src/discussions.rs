//! Discussions: storage. Threads and replies are never deleted: an edit writes the previous text
//! to `discussion_edits` first, moderation sets `hidden_at` with a reason. Posting subscribes the
//! author; the reply count and the last activity are kept on the thread so the list is one query.
//! The weekly digest is claimed per person with a conditional upsert of `last_digest_at`, so a
//! digest is queued once even with several workers.

use tejido_core::discussions::ThreadInput;
use tejido_core::page::{Page, PageReq};

use crate::{now, on, on_tx, DateTime, Db, Result, Tx, Utc};

/// Most members read to build the community's mention handles.
pub const MAX_MEMBERS: i64 = 5_000;
/// Most (person, thread) rows read by one digest pass.
pub const MAX_DIGEST_ROWS: i64 = 20_000;

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Thread {
    pub id: i64,
    pub community_id: i64,
    pub title: String,
    pub body: String,
    pub author_user_id: i64,
    pub author_name: String,
    pub reply_count: i64,
    pub last_activity_at: DateTime<Utc>,
    pub hidden_at: Option<DateTime<Utc>>,
    pub hidden_reason: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Thread {
    pub fn hidden(&self) -> bool {
        self.hidden_at.is_some()
    }
    pub fn edited(&self) -> bool {
        self.updated_at > self.created_at
    }
}

const THREAD_COLS: &str =
    "t.id, t.community_id, t.title, t.body, t.author_user_id, u.display_name AS author_name,
    t.reply_count, t.last_activity_at, t.hidden_at, t.hidden_reason, t.created_at, t.updated_at";

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Reply {
    pub id: i64,
    pub thread_id: i64,
    pub body: String,
    pub author_user_id: i64,
    pub author_name: String,
    pub hidden_at: Option<DateTime<Utc>>,
    pub hidden_reason: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Reply {
    pub fn hidden(&self) -> bool {
        self.hidden_at.is_some()
    }
    pub fn edited(&self) -> bool {
        self.updated_at > self.created_at
    }
}

const REPLY_COLS: &str =
    "r.id, r.thread_id, r.body, r.author_user_id, u.display_name AS author_name,
    r.hidden_at, r.hidden_reason, r.created_at, r.updated_at";

/// One kept previous text.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Edit {
    pub id: i64,
    pub thread_id: i64,
    pub reply_id: Option<i64>,
    pub previous_title: Option<String>,
    pub previous_body: String,
    pub editor_name: Option<String>,
    pub edited_at: DateTime<Utc>,
}

/// Someone to e-mail: account, address, language.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Recipient {
    pub user_id: i64,
    pub display_name: String,
    pub email: String,
    pub locale: Option<String>,
}

// ---- threads ----------------------------------------------------------------------------------

/// Inserts a thread and subscribes its author.
pub async fn insert_thread(
    tx: &mut Tx,
    community_id: i64,
    t: &ThreadInput,
    author: i64,
) -> Result<i64> {
    let at = now();
    let id: i64 = on_tx!(tx, |c| {
        sqlx::query_scalar(
            "INSERT INTO discussion_threads (community_id, title, body, author_user_id, reply_count, last_activity_at, created_at, updated_at)
             VALUES ($1, $2, $3, $4, 0, $5, $5, $5) RETURNING id",
        )
        .bind(community_id)
        .bind(&t.title)
        .bind(&t.body)
        .bind(author)
        .bind(at)
        .fetch_one(c)
        .await
    })?;
    subscribe(tx, id, author).await?;
    Ok(id)
}

/// Replaces a thread's title and body, keeping the previous text in the history.
pub async fn update_thread(tx: &mut Tx, id: i64, t: &ThreadInput, by: Option<i64>) -> Result<()> {
    let at = now();
    on_tx!(tx, |c| {
        sqlx::query(
            "INSERT INTO discussion_edits (thread_id, reply_id, previous_title, previous_body, edited_by, edited_at)
             SELECT id, NULL, title, body, $1, $2 FROM discussion_threads WHERE id = $3",
        )
        .bind(by)
        .bind(at)
        .bind(id)
        .execute(&mut *c)
        .await?;
        sqlx::query(
            "UPDATE discussion_threads SET title = $1, body = $2, updated_at = $3 WHERE id = $4",
        )
        .bind(&t.title)
        .bind(&t.body)
        .bind(at)
        .bind(id)
        .execute(&mut *c)
        .await
        .map(|_| ())
    })?;
    Ok(())
}

pub async fn get_thread(db: &Db, community_id: i64, id: i64) -> Result<Option<Thread>> {
    let sql = format!(
        "SELECT {THREAD_COLS} FROM discussion_threads t JOIN users u ON u.id = t.author_user_id
         WHERE t.community_id = $1 AND t.id = $2"
    );
    Ok(on!(db, |p| sqlx::query_as(&sql)
        .bind(community_id)
        .bind(id)
        .fetch_optional(p)
        .await)?)
}

/// A community's threads, newest activity first. Hidden threads are listed (as hidden) too.
pub async fn list_threads(db: &Db, community_id: i64, req: PageReq) -> Result<Page<Thread>> {
    let sql = format!(
        "SELECT {THREAD_COLS} FROM discussion_threads t JOIN users u ON u.id = t.author_user_id
         WHERE t.community_id = $1 ORDER BY t.last_activity_at DESC, t.id DESC LIMIT $2 OFFSET $3"
    );
    let (total, items) = on!(db, |p| {
        let total: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM discussion_threads WHERE community_id = $1")
                .bind(community_id)
                .fetch_one(p)
                .await?;
        let items: Vec<Thread> = sqlx::query_as(&sql)
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

pub async fn hide_thread(tx: &mut Tx, id: i64, reason: &str, by: Option<i64>) -> Result<()> {
    on_tx!(tx, |c| {
        sqlx::query(
            "UPDATE discussion_threads SET hidden_at = $1, hidden_reason = $2, hidden_by = $3 WHERE id = $4",
        )
        .bind(now())
        .bind(reason)
        .bind(by)
        .bind(id)
        .execute(c)
        .await
        .map(|_| ())
    })?;
    Ok(())
}

// ---- replies ----------------------------------------------------------------------------------

/// Inserts a reply, bumps the thread's count and activity, subscribes the author.
pub async fn insert_reply(tx: &mut Tx, thread_id: i64, body: &str, author: i64) -> Result<i64> {
    let at = now();
    let id: i64 = on_tx!(tx, |c| {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO discussion_replies (thread_id, body, author_user_id, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $4) RETURNING id",
        )
        .bind(thread_id)
        .bind(body)
        .bind(author)
        .bind(at)
        .fetch_one(&mut *c)
        .await?;
        sqlx::query(
            "UPDATE discussion_threads SET reply_count = reply_count + 1, last_activity_at = $1 WHERE id = $2",
        )
        .bind(at)
        .bind(thread_id)
        .execute(&mut *c)
        .await?;
        Ok::<i64, sqlx::Error>(id)
    })?;
    subscribe(tx, thread_id, author).await?;
    Ok(id)
}

pub async fn get_reply(db: &Db, thread_id: i64, id: i64) -> Result<Option<Reply>> {
    let sql = format!(
        "SELECT {REPLY_COLS} FROM discussion_replies r JOIN users u ON u.id = r.author_user_id
         WHERE r.thread_id = $1 AND r.id = $2"
    );
    Ok(on!(db, |p| sqlx::query_as(&sql)
        .bind(thread_id)
        .bind(id)
        .fetch_optional(p)
        .await)?)
}

/// A thread's replies, oldest first.
pub async fn replies(db: &Db, thread_id: i64, req: PageReq) -> Result<Page<Reply>> {
    let sql = format!(
        "SELECT {REPLY_COLS} FROM discussion_replies r JOIN users u ON u.id = r.author_user_id
         WHERE r.thread_id = $1 ORDER BY r.created_at, r.id LIMIT $2 OFFSET $3"
    );
    let (total, items) = on!(db, |p| {
        let total: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM discussion_replies WHERE thread_id = $1")
                .bind(thread_id)
                .fetch_one(p)
                .await?;
        let items: Vec<Reply> = sqlx::query_as(&sql)
            .bind(thread_id)
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

/// Replaces a reply's body, keeping the previous text in the history.
pub async fn update_reply(
    tx: &mut Tx,
    thread_id: i64,
    id: i64,
    body: &str,
    by: Option<i64>,
) -> Result<()> {
    let at = now();
    on_tx!(tx, |c| {
        sqlx::query(
            "INSERT INTO discussion_edits (thread_id, reply_id, previous_title, previous_body, edited_by, edited_at)
             SELECT thread_id, id, NULL, body, $1, $2 FROM discussion_replies WHERE id = $3 AND thread_id = $4",
        )
        .bind(by)
        .bind(at)
        .bind(id)
        .bind(thread_id)
        .execute(&mut *c)
        .await?;
        sqlx::query("UPDATE discussion_replies SET body = $1, updated_at = $2 WHERE id = $3 AND thread_id = $4")
            .bind(body)
            .bind(at)
            .bind(id)
            .bind(thread_id)
            .execute(&mut *c)
            .await
            .map(|_| ())
    })?;
    Ok(())
}

pub async fn hide_reply(
    tx: &mut Tx,
    thread_id: i64,
    id: i64,
    reason: &str,
    by: Option<i64>,
) -> Result<()> {
    on_tx!(tx, |c| {
        sqlx::query(
            "UPDATE discussion_replies SET hidden_at = $1, hidden_reason = $2, hidden_by = $3 WHERE id = $4 AND thread_id = $5",
        )
        .bind(now())
        .bind(reason)
        .bind(by)
        .bind(id)
        .bind(thread_id)
        .execute(c)
        .await
        .map(|_| ())
    })?;
    Ok(())
}

// ---- history ----------------------------------------------------------------------------------

/// The kept previous texts of a thread and its replies, newest first. Without `hidden`, texts of
/// hidden replies are left out (the caller refuses a hidden thread's history to non-managers).
pub async fn edits(db: &Db, thread_id: i64, hidden: bool, req: PageReq) -> Result<Page<Edit>> {
    let filter = "e.thread_id = $1 AND ($2 = 1 OR e.reply_id IS NULL OR NOT EXISTS
        (SELECT 1 FROM discussion_replies r WHERE r.id = e.reply_id AND r.hidden_at IS NOT NULL))";
    let count_sql = format!("SELECT COUNT(*) FROM discussion_edits e WHERE {filter}");
    let sql = format!(
        "SELECT e.id, e.thread_id, e.reply_id, e.previous_title, e.previous_body, u.display_name AS editor_name, e.edited_at
         FROM discussion_edits e LEFT JOIN users u ON u.id = e.edited_by WHERE {filter}
         ORDER BY e.edited_at DESC, e.id DESC LIMIT $3 OFFSET $4"
    );
    let h = i64::from(hidden);
    let (total, items) = on!(db, |p| {
        let total: i64 = sqlx::query_scalar(&count_sql)
            .bind(thread_id)
            .bind(h)
            .fetch_one(p)
            .await?;
        let items: Vec<Edit> = sqlx::query_as(&sql)
            .bind(thread_id)
            .bind(h)
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

// ---- subscriptions ----------------------------------------------------------------------------

pub async fn subscribe(tx: &mut Tx, thread_id: i64, user_id: i64) -> Result<()> {
    on_tx!(tx, |c| {
        sqlx::query(
            "INSERT INTO discussion_subscriptions (thread_id, user_id, created_at) VALUES ($1, $2, $3)
             ON CONFLICT (thread_id, user_id) DO NOTHING",
        )
        .bind(thread_id)
        .bind(user_id)
        .bind(now())
        .execute(c)
        .await
        .map(|_| ())
    })?;
    Ok(())
}

pub async fn unsubscribe(tx: &mut Tx, thread_id: i64, user_id: i64) -> Result<()> {
    on_tx!(tx, |c| {
        sqlx::query("DELETE FROM discussion_subscriptions WHERE thread_id = $1 AND user_id = $2")
            .bind(thread_id)
            .bind(user_id)
            .execute(c)
            .await
            .map(|_| ())
    })?;
    Ok(())
}

pub async fn is_subscribed(db: &Db, thread_id: i64, user_id: i64) -> Result<bool> {
    let n: i64 = on!(db, |p| sqlx::query_scalar(
        "SELECT COUNT(*) FROM discussion_subscriptions WHERE thread_id = $1 AND user_id = $2"
    )
    .bind(thread_id)
    .bind(user_id)
    .fetch_one(p)
    .await)?;
    Ok(n > 0)
}

/// The thread's subscribers with an active account, except `except`.
pub async fn subscribers(tx: &mut Tx, thread_id: i64, except: i64) -> Result<Vec<Recipient>> {
    Ok(on_tx!(tx, |c| sqlx::query_as(
        "SELECT u.id AS user_id, u.display_name, u.email, u.locale FROM discussion_subscriptions s
         JOIN users u ON u.id = s.user_id
         WHERE s.thread_id = $1 AND s.user_id <> $2 AND u.disabled_at IS NULL ORDER BY u.id"
    )
    .bind(thread_id)
    .bind(except)
    .fetch_all(c)
    .await)?)
}

// ---- members and their handles ----------------------------------------------------------------

/// Active accounts whose person belongs to the community (member or current role holder).
pub async fn members(db: &Db, community_id: i64) -> Result<Vec<Recipient>> {
    Ok(on!(db, |p| {
        sqlx::query_as(
        "SELECT u.id AS user_id, u.display_name, u.email, u.locale FROM users u
         WHERE u.disabled_at IS NULL AND u.person_id IN (
            SELECT person_id FROM community_people WHERE community_id = $1 AND left_at IS NULL
            UNION SELECT person_id FROM community_roles WHERE community_id = $1 AND ends_at IS NULL AND role <> 'funder')
         ORDER BY u.id LIMIT $2"
    )
    .bind(community_id)
    .bind(MAX_MEMBERS)
    .fetch_all(p)
    .await
    })?)
}

// ---- weekly digest ----------------------------------------------------------------------------

/// One thread with activity for one person since their last digest.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DigestRow {
    pub user_id: i64,
    pub email: String,
    pub locale: Option<String>,
    pub community_name: String,
    pub community_slug: String,
    pub thread_id: i64,
    pub title: String,
    pub created_at: DateTime<Utc>,
    pub since: Option<DateTime<Utc>>,
    pub new_replies: i64,
}

/// Threads with activity in `(since, now]` in the communities of every person due a digest (no
/// digest after `cutoff`, not opted out), where `since` is their last digest or `cutoff`.
pub async fn digest_rows(
    db: &Db,
    cutoff: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<Vec<DigestRow>> {
    Ok(on!(db, |p| {
        sqlx::query_as(
        "SELECT u.id AS user_id, u.email, u.locale, c.name AS community_name, c.slug AS community_slug,
                t.id AS thread_id, t.title, t.created_at, d.last_digest_at AS since,
                (SELECT COUNT(*) FROM discussion_replies r WHERE r.thread_id = t.id AND r.hidden_at IS NULL
                  AND r.created_at > COALESCE(d.last_digest_at, $1) AND r.created_at <= $2) AS new_replies
         FROM users u
         JOIN (SELECT community_id, person_id FROM community_people WHERE left_at IS NULL
               UNION SELECT community_id, person_id FROM community_roles WHERE ends_at IS NULL AND role <> 'funder') m
           ON m.person_id = u.person_id
         JOIN communities c ON c.id = m.community_id AND c.archived_at IS NULL
         JOIN discussion_threads t ON t.community_id = c.id AND t.hidden_at IS NULL
         LEFT JOIN discussion_digest_prefs d ON d.user_id = u.id
         WHERE u.disabled_at IS NULL AND (d.opted_out IS NULL OR d.opted_out = FALSE)
           AND (d.last_digest_at IS NULL OR d.last_digest_at <= $1)
           AND t.last_activity_at > COALESCE(d.last_digest_at, $1) AND t.last_activity_at <= $2
         ORDER BY u.id, c.name, t.last_activity_at DESC, t.id LIMIT $3"
    )
    .bind(cutoff)
    .bind(now)
    .bind(MAX_DIGEST_ROWS)
    .fetch_all(p)
    .await
    })?)
}

/// Records a digest for `user` at `now` unless one went after `cutoff` or they opted out;
/// true when this call claimed it.
pub async fn claim_digest(
    tx: &mut Tx,
    user_id: i64,
    now: DateTime<Utc>,
    cutoff: DateTime<Utc>,
) -> Result<bool> {
    let n = on_tx!(tx, |c| {
        sqlx::query(
        "INSERT INTO discussion_digest_prefs (user_id, opted_out, last_digest_at) VALUES ($1, FALSE, $2)
         ON CONFLICT (user_id) DO UPDATE SET last_digest_at = excluded.last_digest_at
         WHERE discussion_digest_prefs.opted_out = FALSE
           AND (discussion_digest_prefs.last_digest_at IS NULL OR discussion_digest_prefs.last_digest_at <= $3)"
    )
    .bind(user_id)
    .bind(now)
    .bind(cutoff)
    .execute(c)
    .await
    .map(|r| r.rows_affected())
    })?;
    Ok(n == 1)
}

/// (opted out, last digest) of a person.
pub async fn digest_pref(db: &Db, user_id: i64) -> Result<(bool, Option<DateTime<Utc>>)> {
    let row: Option<(bool, Option<DateTime<Utc>>)> = on!(db, |p| sqlx::query_as(
        "SELECT opted_out, last_digest_at FROM discussion_digest_prefs WHERE user_id = $1"
    )
    .bind(user_id)
    .fetch_optional(p)
    .await)?;
    Ok(row.unwrap_or((false, None)))
}

pub async fn set_digest_opt_out(tx: &mut Tx, user_id: i64, opted_out: bool) -> Result<()> {
    on_tx!(tx, |c| sqlx::query(
        "INSERT INTO discussion_digest_prefs (user_id, opted_out) VALUES ($1, $2)
         ON CONFLICT (user_id) DO UPDATE SET opted_out = excluded.opted_out"
    )
    .bind(user_id)
    .bind(opted_out)
    .execute(c)
    .await
    .map(|_| ()))?;
    Ok(())
}
