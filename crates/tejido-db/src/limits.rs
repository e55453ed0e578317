//! Rate limits kept in the database, so every `tejido serve` process shares them: one counter
//! per key (stored as a SHA-256, never the address itself) in a fixed window. [`hit`] charges
//! the counter and reads it back in one upsert, so the check and the record cannot be raced:
//! forty parallel guesses on a limit of five get exactly five admissions.

use crate::{now, on, sha256_hex, Db, Result};

/// Charges one hit to `key` in a window of `window` and returns the hits in the current window,
/// this one included. A window older than `window` starts afresh.
pub async fn hit(db: &Db, key: &str, window: chrono::Duration) -> Result<i64> {
    let t = now();
    let since = t - window;
    Ok(on!(db, |p| sqlx::query_scalar(
        "INSERT INTO rate_limits (key_hash, window_start, hits) VALUES ($1, $2, 1)
         ON CONFLICT (key_hash) DO UPDATE SET
           hits = CASE WHEN rate_limits.window_start <= $3 THEN 1 ELSE rate_limits.hits + 1 END,
           window_start = CASE WHEN rate_limits.window_start <= $3 THEN excluded.window_start
                               ELSE rate_limits.window_start END
         RETURNING hits"
    )
    .bind(sha256_hex(key))
    .bind(t)
    .bind(since)
    .fetch_one(p)
    .await)?)
}

/// Gives back a hit (a sign-in that turned out right should not count against its owner).
pub async fn refund(db: &Db, key: &str) -> Result<()> {
    on!(db, |p| sqlx::query(
        "UPDATE rate_limits SET hits = hits - 1 WHERE key_hash = $1 AND hits > 0"
    )
    .bind(sha256_hex(key))
    .execute(p)
    .await
    .map(|_| ()))?;
    Ok(())
}

/// Forgets counters whose window started before `before` (housekeeping).
pub async fn purge(db: &Db, before: crate::DateTime<crate::Utc>) -> Result<u64> {
    Ok(on!(db, |p| sqlx::query(
        "DELETE FROM rate_limits WHERE window_start < $1"
    )
    .bind(before)
    .execute(p)
    .await
    .map(|r| r.rows_affected()))?)
}
