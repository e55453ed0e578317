//! Instance-wide settings stored in the database, so every process sees the same values
//! (for example the generated secret key when none is configured).

use crate::{on, Db, Result};

pub async fn get(db: &Db, key: &str) -> Result<Option<String>> {
    Ok(on!(db, |p| sqlx::query_scalar(
        "SELECT value FROM settings WHERE key = $1"
    )
    .bind(key)
    .fetch_optional(p)
    .await)?)
}

/// Stores `value` unless the key already has one; returns the value that won (so two processes
/// racing to generate a secret agree on one).
pub async fn get_or_insert(db: &Db, key: &str, value: &str) -> Result<String> {
    on!(db, |p| sqlx::query(
        "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING"
    )
    .bind(key)
    .bind(value)
    .execute(p)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(get(db, key).await?.unwrap_or_else(|| value.to_owned()))
}
