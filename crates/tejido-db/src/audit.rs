//! The audit log: sign-ins, role changes, invitations and admin actions. Written in the same
//! transaction as the change it records, so the log never claims what did not happen.

use crate::{now, on, on_tx, DateTime, Db, Result, Tx, Utc};
use tejido_core::page::{Page, PageReq};

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor_user_id: Option<i64>,
    pub actor_email: Option<String>,
    pub action: String,
    pub target: Option<String>,
    pub detail: Option<String>,
}

pub async fn record(
    tx: &mut Tx,
    actor: Option<i64>,
    action: &str,
    target: Option<&str>,
    detail: Option<&str>,
) -> Result<()> {
    on_tx!(tx, |c| {
        sqlx::query("INSERT INTO audit_log (at, actor_user_id, action, target, detail) VALUES ($1, $2, $3, $4, $5)")
        .bind(now())
        .bind(actor)
        .bind(action)
        .bind(target)
        .bind(detail)
        .execute(c).await.map(|r| r.rows_affected())
    })?;
    Ok(())
}

/// Records outside a transaction (for events that change nothing else, like a failed sign-in).
pub async fn record_now(
    db: &Db,
    actor: Option<i64>,
    action: &str,
    target: Option<&str>,
    detail: Option<&str>,
) -> Result<()> {
    let mut tx = db.begin().await?;
    record(&mut tx, actor, action, target, detail).await?;
    tx.commit().await
}

pub async fn list(db: &Db, req: PageReq) -> Result<Page<AuditEntry>> {
    let total: i64 = on!(db, |p| sqlx::query_scalar("SELECT COUNT(*) FROM audit_log")
        .fetch_one(p)
        .await)?;
    let items = on!(db, |p| {
        sqlx::query_as(
        "SELECT a.id, a.at, a.actor_user_id, u.email AS actor_email, a.action, a.target, a.detail
         FROM audit_log a LEFT JOIN users u ON u.id = a.actor_user_id ORDER BY a.at DESC, a.id DESC LIMIT $1 OFFSET $2"
    )
    .bind(req.limit())
    .bind(req.offset())
    .fetch_all(p)
    .await
    })?;
    Ok(Page {
        items,
        page: req.page,
        per_page: req.per_page,
        total,
    })
}
