//! Uploads: storage of the rows that describe uploaded files and of the links between an
//! upload and what it is attached to. The bytes themselves live in the data directory (see
//! `tejido_web::uploads`, which writes them and serves them).
//!
//! Public API used by other capabilities:
//! - [`insert`] — records one stored file (sha256, size, sniffed content type, sanitized name);
//! - [`get`] — one upload by id;
//! - [`attach`] / [`detach`] — link or unlink an upload to an owner (`resource`, `minutes`,
//!   `outcome`) and its id;
//! - [`list_for`] — the uploads attached to one owner, in order;
//! - [`list_for_many`] — the same for several owners of one kind in one query (for lists);
//! - [`used_bytes`] — what a community (or the instance-wide library) already holds, for the
//!   upload quota.
//!
//! Owners authorize; nothing here checks who asks.

use crate::{now, on, on_tx, DateTime, Db, Result, Tx, Utc};

/// What an attachment belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OwnerKind {
    Resource,
    Minutes,
    Outcome,
}

impl OwnerKind {
    pub fn as_str(self) -> &'static str {
        match self {
            OwnerKind::Resource => "resource",
            OwnerKind::Minutes => "minutes",
            OwnerKind::Outcome => "outcome",
        }
    }
}

/// One uploaded file.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Upload {
    pub id: i64,
    pub sha256: String,
    pub size: i64,
    pub content_type: String,
    pub filename: String,
    #[serde(skip)]
    pub created_by: Option<i64>,
    pub created_at: DateTime<Utc>,
}

impl Upload {
    /// "PDF · 12 KB".
    pub fn describe(&self) -> String {
        let label = tejido_core::uploads::FileKind::from_content_type(&self.content_type)
            .map(|k| k.label())
            .unwrap_or("");
        format!("{label} · {}", tejido_core::uploads::human_size(self.size))
    }
}

/// An upload as attached to one owner.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Attached {
    #[sqlx(flatten)]
    #[serde(flatten)]
    pub upload: Upload,
    pub owner_id: i64,
    pub position: i64,
}

/// A new upload row.
pub struct NewUpload<'a> {
    pub sha256: &'a str,
    pub size: i64,
    pub content_type: &'a str,
    pub filename: &'a str,
    pub created_by: Option<i64>,
}

const COLS: &str = "u.id, u.sha256, u.size, u.content_type, u.filename, u.created_by, u.created_at";

pub async fn insert(tx: &mut Tx, u: &NewUpload<'_>) -> Result<Upload> {
    let t = now();
    let id: i64 = on_tx!(tx, |c| sqlx::query_scalar(
        "INSERT INTO uploads (sha256, size, content_type, filename, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id"
    )
    .bind(u.sha256)
    .bind(u.size)
    .bind(u.content_type)
    .bind(u.filename)
    .bind(u.created_by)
    .bind(t)
    .fetch_one(c)
    .await)?;
    Ok(Upload {
        id,
        sha256: u.sha256.to_owned(),
        size: u.size,
        content_type: u.content_type.to_owned(),
        filename: u.filename.to_owned(),
        created_by: u.created_by,
        created_at: t,
    })
}

pub async fn get(db: &Db, id: i64) -> Result<Option<Upload>> {
    let sql = format!("SELECT {COLS} FROM uploads u WHERE u.id = $1");
    Ok(on!(db, |p| sqlx::query_as(&sql)
        .bind(id)
        .fetch_optional(p)
        .await)?)
}

/// The upload if it is attached to this owner (what a download route serves).
pub async fn get_attached(
    db: &Db,
    owner: OwnerKind,
    owner_id: i64,
    upload_id: i64,
) -> Result<Option<Upload>> {
    let sql = format!(
        "SELECT {COLS} FROM attachments a JOIN uploads u ON u.id = a.upload_id
         WHERE a.owner_kind = $1 AND a.owner_id = $2 AND a.upload_id = $3"
    );
    Ok(on!(db, |p| sqlx::query_as(&sql)
        .bind(owner.as_str())
        .bind(owner_id)
        .bind(upload_id)
        .fetch_optional(p)
        .await)?)
}

/// Attaches an upload at the end of the owner's list (attaching twice is a no-op).
pub async fn attach(tx: &mut Tx, owner: OwnerKind, owner_id: i64, upload_id: i64) -> Result<()> {
    let t = now();
    on_tx!(tx, |c| sqlx::query(
        "INSERT INTO attachments (owner_kind, owner_id, upload_id, position, created_at)
         SELECT $1, $2, $3, COALESCE(MAX(position), 0) + 1, $4 FROM attachments
         WHERE owner_kind = $1 AND owner_id = $2
         ON CONFLICT (owner_kind, owner_id, upload_id) DO NOTHING"
    )
    .bind(owner.as_str())
    .bind(owner_id)
    .bind(upload_id)
    .bind(t)
    .execute(c)
    .await
    .map(|_| ()))?;
    Ok(())
}

/// Removes the link (the upload row and the bytes stay: other owners may share them).
pub async fn detach(tx: &mut Tx, owner: OwnerKind, owner_id: i64, upload_id: i64) -> Result<bool> {
    let n = on_tx!(tx, |c| sqlx::query(
        "DELETE FROM attachments WHERE owner_kind = $1 AND owner_id = $2 AND upload_id = $3"
    )
    .bind(owner.as_str())
    .bind(owner_id)
    .bind(upload_id)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(n > 0)
}

/// Most attachments listed for one owner.
pub const LIST_LIMIT: i64 = 100;

pub async fn list_for(db: &Db, owner: OwnerKind, owner_id: i64) -> Result<Vec<Upload>> {
    let sql = format!(
        "SELECT {COLS} FROM attachments a JOIN uploads u ON u.id = a.upload_id
         WHERE a.owner_kind = $1 AND a.owner_id = $2 ORDER BY a.position, a.id LIMIT $3"
    );
    Ok(on!(db, |p| sqlx::query_as(&sql)
        .bind(owner.as_str())
        .bind(owner_id)
        .bind(LIST_LIMIT)
        .fetch_all(p)
        .await)?)
}

/// The attachments of several owners of one kind, in one query.
pub async fn list_for_many(db: &Db, owner: OwnerKind, owner_ids: &[i64]) -> Result<Vec<Attached>> {
    if owner_ids.is_empty() {
        return Ok(vec![]);
    }
    // Ids are integers: inlining them is safe and keeps one SQL text for both backends.
    let ids = owner_ids
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(",");
    let sql = format!(
        "SELECT {COLS}, a.owner_id, a.position FROM attachments a JOIN uploads u ON u.id = a.upload_id
         WHERE a.owner_kind = $1 AND a.owner_id IN ({ids}) ORDER BY a.owner_id, a.position, a.id"
    );
    Ok(on!(db, |p| sqlx::query_as(&sql)
        .bind(owner.as_str())
        .fetch_all(p)
        .await)?)
}

/// Whose files count together against an upload quota.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuotaScope {
    /// Everything attached to a community's items: its library resources, its events' minutes
    /// and its outcomes' evidence.
    Community(i64),
    /// Library resources outside any community (they share one instance-wide quota).
    InstanceLibrary,
}

/// Bytes of the uploads attached to the scope's items (each upload counted once, however many
/// of those items share it; uploads no longer attached anywhere in the scope do not count).
pub async fn used_bytes(db: &Db, scope: QuotaScope) -> Result<i64> {
    let (sql, id) = match scope {
        QuotaScope::Community(id) => (
            "SELECT CAST(COALESCE(SUM(u.size), 0) AS BIGINT) FROM uploads u WHERE u.id IN (
                SELECT a.upload_id FROM attachments a JOIN resources r ON r.id = a.owner_id
                 WHERE a.owner_kind = 'resource' AND r.community_id = $1
                UNION SELECT a.upload_id FROM attachments a JOIN events e ON e.id = a.owner_id
                 WHERE a.owner_kind = 'minutes' AND e.community_id = $1
                UNION SELECT a.upload_id FROM attachments a JOIN outcomes o ON o.id = a.owner_id
                 WHERE a.owner_kind = 'outcome' AND o.community_id = $1)",
            Some(id),
        ),
        QuotaScope::InstanceLibrary => (
            "SELECT CAST(COALESCE(SUM(u.size), 0) AS BIGINT) FROM uploads u WHERE u.id IN (
                SELECT a.upload_id FROM attachments a JOIN resources r ON r.id = a.owner_id
                 WHERE a.owner_kind = 'resource' AND r.community_id IS NULL)",
            None,
        ),
    };
    Ok(on!(db, |p| {
        let q = sqlx::query_scalar(sql);
        let q = match id {
            Some(id) => q.bind(id),
            None => q,
        };
        q.fetch_one(p).await
    })?)
}

/// Hex SHA-256 of bytes: the file's name in the store.
pub fn sha256_bytes(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex(&sha2::Sha256::digest(bytes))
}

/// Lowercase hex of a digest (a file's name in the store).
pub fn hex(d: &[u8]) -> String {
    let mut out = String::with_capacity(64);
    for &b in d {
        out.push(char::from(b"0123456789abcdef"[usize::from(b >> 4)]));
        out.push(char::from(b"0123456789abcdef"[usize::from(b & 15)]));
    }
    out
}
