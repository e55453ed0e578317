//! The e-mail outbox. Mail is written in the same transaction as the change that causes it and
//! sent later by a worker that claims rows (several processes may run workers: a claim is a
//! conditional update of `locked_until`, so one row is sent by one worker). Failures are retried
//! with backoff and given up after a number of attempts.

use crate::{now, on, on_tx, DateTime, Db, Result, Tx, Utc};

pub const MAX_ATTEMPTS: i32 = 8;

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Mail {
    pub id: i64,
    pub to_addr: String,
    pub subject: String,
    pub body_text: String,
    pub attempts: i32,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

pub async fn enqueue(tx: &mut Tx, to: &str, subject: &str, body: &str) -> Result<i64> {
    let t = now();
    Ok(on_tx!(tx, |c| {
        sqlx::query_scalar(
        "INSERT INTO outbox (to_addr, subject, body_text, created_at, next_attempt_at) VALUES ($1, $2, $3, $4, $4) RETURNING id"
    )
    .bind(to)
    .bind(subject)
    .bind(body)
    .bind(t)
    .fetch_one(c)
    .await
    })?)
}

/// Claims up to `limit` due messages for this worker for `lease` seconds.
pub async fn claim(db: &Db, limit: i64, lease: chrono::Duration) -> Result<Vec<Mail>> {
    let t = now();
    let ids: Vec<i64> = on!(db, |p| {
        sqlx::query_scalar(
        "SELECT id FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= $1
         AND (locked_until IS NULL OR locked_until < $1) ORDER BY next_attempt_at LIMIT $2"
    )
    .bind(t)
    .bind(limit)
    .fetch_all(p)
    .await
    })?;
    let mut out = Vec::new();
    for id in ids {
        // Conditional update: only one worker wins each row.
        let m: Option<Mail> = on!(db, |p| {
            sqlx::query_as(
            "UPDATE outbox SET locked_until = $1 WHERE id = $2 AND sent_at IS NULL AND (locked_until IS NULL OR locked_until < $3)
             RETURNING id, to_addr, subject, body_text, attempts, created_at, sent_at"
        )
        .bind(t + lease)
        .bind(id)
        .bind(t)
        .fetch_optional(p)
        .await
        })?;
        out.extend(m);
    }
    Ok(out)
}

pub async fn mark_sent(db: &Db, id: i64) -> Result<()> {
    on!(db, |p| {
        sqlx::query("UPDATE outbox SET sent_at = $1, locked_until = NULL, attempts = attempts + 1 WHERE id = $2")
        .bind(now())
        .bind(id)
        .execute(p).await.map(|r| r.rows_affected())
    })?;
    Ok(())
}

/// Records a failed attempt; schedules a retry with exponential backoff, or gives up.
pub async fn mark_failed(db: &Db, mail: &Mail, error: &str) -> Result<()> {
    let attempts = mail.attempts + 1;
    let t = now();
    let next = t + chrono::Duration::seconds(30 * (1_i64 << attempts.clamp(0, 10)));
    let failed_at = (attempts >= MAX_ATTEMPTS).then_some(t);
    on!(db, |p| {
        sqlx::query(
        "UPDATE outbox SET attempts = $1, next_attempt_at = $2, failed_at = $3, last_error = $4, locked_until = NULL WHERE id = $5"
    )
    .bind(attempts)
    .bind(next)
    .bind(failed_at)
    .bind(error)
    .bind(mail.id)
    .execute(p).await.map(|r| r.rows_affected())
    })?;
    Ok(())
}

/// Messages not yet sent nor given up (the backlog reported in /metrics).
pub async fn backlog(db: &Db) -> Result<i64> {
    Ok(on!(db, |p| sqlx::query_scalar(
        "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL"
    )
    .fetch_one(p)
    .await)?)
}

/// The most recent messages to an address (tests and the admin view use it).
pub async fn recent_to(db: &Db, to: &str, limit: i64) -> Result<Vec<Mail>> {
    Ok(on!(db, |p| {
        sqlx::query_as(
        "SELECT id, to_addr, subject, body_text, attempts, created_at, sent_at FROM outbox WHERE to_addr = $1 ORDER BY id DESC LIMIT $2"
    )
    .bind(to)
    .bind(limit)
    .fetch_all(p)
    .await
    })?)
}
