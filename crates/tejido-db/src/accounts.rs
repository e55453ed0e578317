//! Users, sessions, single-use account tokens (invitations, password resets), personal API
//! tokens and sign-in attempts. Secrets are stored only as SHA-256 hashes.

use crate::{now, on, on_tx, sha256_hex, DateTime, Db, Result, Tx, Utc};

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct User {
    pub id: i64,
    pub email: String,
    #[serde(skip)]
    pub password_hash: Option<String>,
    pub display_name: String,
    pub locale: Option<String>,
    pub is_admin: bool,
    pub person_id: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub disabled_at: Option<DateTime<Utc>>,
}

const USER_COLS: &str =
    "id, email, password_hash, display_name, locale, is_admin, person_id, created_at, disabled_at";

pub struct NewUser<'a> {
    pub email: &'a str,
    pub password_hash: Option<&'a str>,
    pub display_name: &'a str,
    pub is_admin: bool,
    pub person_id: Option<i64>,
    pub locale: Option<&'a str>,
}

pub async fn insert_user(tx: &mut Tx, u: &NewUser<'_>) -> Result<i64> {
    let sql = "INSERT INTO users (email, password_hash, display_name, locale, is_admin, person_id, created_at)
               VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id";
    Ok(on_tx!(tx, |c| sqlx::query_scalar(sql)
        .bind(u.email)
        .bind(u.password_hash)
        .bind(u.display_name)
        .bind(u.locale)
        .bind(u.is_admin)
        .bind(u.person_id)
        .bind(now())
        .fetch_one(c)
        .await)?)
}

pub async fn user_by_email(db: &Db, email: &str) -> Result<Option<User>> {
    let sql = format!("SELECT {USER_COLS} FROM users WHERE email = $1");
    Ok(on!(db, |p| sqlx::query_as(&sql)
        .bind(email)
        .fetch_optional(p)
        .await)?)
}

pub async fn user_by_id(db: &Db, id: i64) -> Result<Option<User>> {
    let sql = format!("SELECT {USER_COLS} FROM users WHERE id = $1");
    Ok(on!(db, |p| sqlx::query_as(&sql)
        .bind(id)
        .fetch_optional(p)
        .await)?)
}

pub async fn count_users(db: &Db) -> Result<i64> {
    Ok(on!(db, |p| sqlx::query_scalar(
        "SELECT COUNT(*) FROM users"
    )
    .fetch_one(p)
    .await)?)
}

/// Sets a new password and voids every reset link of the user still unused, so a link mailed
/// before the change can no longer take the account over.
pub async fn set_password(tx: &mut Tx, user_id: i64, hash: &str) -> Result<()> {
    on_tx!(tx, |c| sqlx::query(
        "UPDATE users SET password_hash = $1 WHERE id = $2"
    )
    .bind(hash)
    .bind(user_id)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    void_reset_links(tx, user_id).await
}

/// Marks every unused password-reset link of a user as used.
async fn void_reset_links(tx: &mut Tx, user_id: i64) -> Result<()> {
    on_tx!(tx, |c| {
        sqlx::query(
        "UPDATE account_tokens SET used_at = $1 WHERE user_id = $2 AND purpose = $3 AND used_at IS NULL"
    )
    .bind(now())
    .bind(user_id)
    .bind(TokenPurpose::PasswordReset.as_str())
    .execute(c)
    .await
    .map(|r| r.rows_affected())
    })?;
    Ok(())
}

pub async fn set_locale(db: &Db, user_id: i64, locale: &str) -> Result<()> {
    on!(db, |p| sqlx::query(
        "UPDATE users SET locale = $1 WHERE id = $2"
    )
    .bind(locale)
    .bind(user_id)
    .execute(p)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn set_person(tx: &mut Tx, user_id: i64, person_id: i64) -> Result<()> {
    on_tx!(tx, |c| sqlx::query(
        "UPDATE users SET person_id = $1 WHERE id = $2"
    )
    .bind(person_id)
    .bind(user_id)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

// ---- sessions ----------------------------------------------------------------------------

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionRow {
    pub user_id: i64,
    pub csrf_token: String,
    pub expires_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
}

pub async fn create_session(
    tx: &mut Tx,
    raw_id: &str,
    user_id: i64,
    csrf: &str,
    expires_at: DateTime<Utc>,
) -> Result<()> {
    let t = now();
    on_tx!(tx, |c| {
        sqlx::query(
        "INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, $4, $4, $5)"
    )
    .bind(sha256_hex(raw_id))
    .bind(user_id)
    .bind(csrf)
    .bind(t)
    .bind(expires_at)
    .execute(c).await.map(|r| r.rows_affected())
    })?;
    Ok(())
}

/// A session ends this many days after sign-in however active it is (activity slides only the
/// shorter idle expiry): a stolen cookie does not live forever.
pub const SESSION_MAX_DAYS: i64 = 30;

/// The live session with this raw id, with its user, if any: unexpired, started less than
/// [`SESSION_MAX_DAYS`] ago, of an enabled account.
pub async fn session_user(db: &Db, raw_id: &str) -> Result<Option<(SessionRow, User)>> {
    let sql = format!(
        "SELECT s.user_id, s.csrf_token, s.expires_at, s.last_seen_at, {} FROM sessions s JOIN users u ON u.id = s.user_id
         WHERE s.id_hash = $1 AND s.expires_at > $2 AND s.created_at > $3 AND u.disabled_at IS NULL",
        USER_COLS.split(", ").map(|c| format!("u.{c}")).collect::<Vec<_>>().join(", ")
    );
    let hash = sha256_hex(raw_id);
    let t = now();
    let row = on!(db, |p| {
        use sqlx::Row;
        let r = sqlx::query(&sql)
            .bind(&hash)
            .bind(t)
            .bind(t - chrono::Duration::days(SESSION_MAX_DAYS))
            .fetch_optional(p)
            .await?;
        match r {
            None => None,
            Some(r) => Some((
                SessionRow {
                    user_id: r.try_get("user_id")?,
                    csrf_token: r.try_get("csrf_token")?,
                    expires_at: r.try_get("expires_at")?,
                    last_seen_at: r.try_get("last_seen_at")?,
                },
                User {
                    id: r.try_get("id")?,
                    email: r.try_get("email")?,
                    password_hash: r.try_get("password_hash")?,
                    display_name: r.try_get("display_name")?,
                    locale: r.try_get("locale")?,
                    is_admin: r.try_get("is_admin")?,
                    person_id: r.try_get("person_id")?,
                    created_at: r.try_get("created_at")?,
                    disabled_at: r.try_get("disabled_at")?,
                },
            )),
        }
    });
    Ok(row)
}

/// Slides a session's expiry forward (called at most once a minute per session).
pub async fn touch_session(db: &Db, raw_id: &str, expires_at: DateTime<Utc>) -> Result<()> {
    on!(db, |p| sqlx::query(
        "UPDATE sessions SET last_seen_at = $1, expires_at = $2 WHERE id_hash = $3"
    )
    .bind(now())
    .bind(expires_at)
    .bind(sha256_hex(raw_id))
    .execute(p)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn delete_session(db: &Db, raw_id: &str) -> Result<()> {
    on!(db, |p| sqlx::query(
        "DELETE FROM sessions WHERE id_hash = $1"
    )
    .bind(sha256_hex(raw_id))
    .execute(p)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Ends every session of a user (after a password reset).
pub async fn delete_user_sessions(tx: &mut Tx, user_id: i64) -> Result<()> {
    on_tx!(tx, |c| sqlx::query(
        "DELETE FROM sessions WHERE user_id = $1"
    )
    .bind(user_id)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn purge_expired(db: &Db) -> Result<u64> {
    let t = now();
    let a = on!(db, |p| sqlx::query(
        "DELETE FROM sessions WHERE expires_at < $1 OR created_at < $2"
    )
    .bind(t)
    .bind(t - chrono::Duration::days(SESSION_MAX_DAYS))
    .execute(p)
    .await
    .map(|r| r.rows_affected()))?;
    let old = t - chrono::Duration::days(2);
    on!(db, |p| sqlx::query(
        "DELETE FROM login_attempts WHERE at < $1"
    )
    .bind(old)
    .execute(p)
    .await
    .map(|r| r.rows_affected()))?;
    crate::limits::purge(db, old).await?;
    Ok(a)
}

// ---- single-use account tokens ---------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenPurpose {
    Invitation,
    PasswordReset,
}

impl TokenPurpose {
    fn as_str(self) -> &'static str {
        match self {
            TokenPurpose::Invitation => "invitation",
            TokenPurpose::PasswordReset => "password-reset",
        }
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AccountToken {
    pub email: String,
    pub user_id: Option<i64>,
    pub community_id: Option<i64>,
    pub role: Option<String>,
    pub created_by: Option<i64>,
    pub expires_at: DateTime<Utc>,
}

pub struct NewToken<'a> {
    pub raw: &'a str,
    pub purpose: TokenPurpose,
    pub email: &'a str,
    pub user_id: Option<i64>,
    pub community_id: Option<i64>,
    pub role: Option<&'a str>,
    pub created_by: Option<i64>,
    pub expires_at: DateTime<Utc>,
}

/// Stores a single-use token. A new password-reset link voids the user's older ones.
pub async fn insert_token(tx: &mut Tx, t: &NewToken<'_>) -> Result<()> {
    if let (TokenPurpose::PasswordReset, Some(uid)) = (t.purpose, t.user_id) {
        void_reset_links(tx, uid).await?;
    }
    on_tx!(tx, |c| {
        sqlx::query(
        "INSERT INTO account_tokens (token_hash, purpose, email, user_id, community_id, role, created_by, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
    )
    .bind(sha256_hex(t.raw))
    .bind(t.purpose.as_str())
    .bind(t.email)
    .bind(t.user_id)
    .bind(t.community_id)
    .bind(t.role)
    .bind(t.created_by)
    .bind(now())
    .bind(t.expires_at)
    .execute(c).await.map(|r| r.rows_affected())
    })?;
    Ok(())
}

/// A token that is unused and unexpired, without consuming it (to show the form).
pub async fn peek_token(db: &Db, raw: &str, purpose: TokenPurpose) -> Result<Option<AccountToken>> {
    Ok(on!(db, |p| sqlx::query_as(
        "SELECT email, user_id, community_id, role, created_by, expires_at FROM account_tokens
         WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3"
    )
    .bind(sha256_hex(raw))
    .bind(purpose.as_str())
    .bind(now())
    .fetch_optional(p)
    .await)?)
}

/// Marks the token used inside `tx`; returns it only if this call was the one that used it, so a
/// token cannot be spent twice even by two requests racing.
pub async fn consume_token(
    tx: &mut Tx,
    raw: &str,
    purpose: TokenPurpose,
) -> Result<Option<AccountToken>> {
    let t = now();
    let hash = sha256_hex(raw);
    let row: Option<AccountToken> = on_tx!(tx, |c| {
        sqlx::query_as(
        "UPDATE account_tokens SET used_at = $1 WHERE token_hash = $2 AND purpose = $3 AND used_at IS NULL AND expires_at > $1
         RETURNING email, user_id, community_id, role, created_by, expires_at"
    )
    .bind(t)
    .bind(&hash)
    .bind(purpose.as_str())
    .fetch_optional(c)
    .await
    })?;
    Ok(row)
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct PendingInvitation {
    pub email: String,
    pub role: Option<String>,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

pub async fn pending_invitations(db: &Db, community_id: i64) -> Result<Vec<PendingInvitation>> {
    Ok(on!(db, |p| sqlx::query_as(
        "SELECT email, role, created_at, expires_at FROM account_tokens
         WHERE community_id = $1 AND purpose = 'invitation' AND used_at IS NULL AND expires_at > $2
         ORDER BY created_at DESC LIMIT 50"
    )
    .bind(community_id)
    .bind(now())
    .fetch_all(p)
    .await)?)
}

// ---- personal API tokens ------------------------------------------------------------------------

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct ApiToken {
    pub id: i64,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

pub async fn create_api_token(db: &Db, user_id: i64, name: &str, raw: &str) -> Result<i64> {
    Ok(on!(db, |p| {
        sqlx::query_scalar("INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id")
        .bind(user_id)
        .bind(name)
        .bind(sha256_hex(raw))
        .bind(now())
        .fetch_one(p)
        .await
    })?)
}

pub async fn list_api_tokens(db: &Db, user_id: i64) -> Result<Vec<ApiToken>> {
    Ok(on!(db, |p| {
        sqlx::query_as(
        "SELECT id, name, created_at, last_used_at, revoked_at FROM api_tokens WHERE user_id = $1 ORDER BY created_at DESC LIMIT 100"
    )
    .bind(user_id)
    .fetch_all(p)
    .await
    })?)
}

/// Revokes one of the user's own tokens; false when it is not theirs or already revoked.
pub async fn revoke_api_token(db: &Db, user_id: i64, id: i64) -> Result<bool> {
    let n = on!(db, |p| {
        sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL")
        .bind(now())
        .bind(id)
        .bind(user_id)
        .execute(p)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(n == 1)
}

/// The active user a raw API token belongs to; records its use.
pub async fn user_by_api_token(db: &Db, raw: &str) -> Result<Option<User>> {
    let hash = sha256_hex(raw);
    let sql = format!(
        "SELECT {} FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.disabled_at IS NULL",
        USER_COLS.split(", ").map(|c| format!("u.{c}")).collect::<Vec<_>>().join(", ")
    );
    let user: Option<User> = on!(db, |p| sqlx::query_as(&sql)
        .bind(&hash)
        .fetch_optional(p)
        .await)?;
    if user.is_some() {
        on!(db, |p| sqlx::query(
            "UPDATE api_tokens SET last_used_at = $1 WHERE token_hash = $2"
        )
        .bind(now())
        .bind(&hash)
        .execute(p)
        .await
        .map(|r| r.rows_affected()))?;
    }
    Ok(user)
}
