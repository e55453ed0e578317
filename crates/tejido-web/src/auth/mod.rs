//! Authentication: password hashing (argon2id, off the async threads), starting and ending
//! sessions, and sign-in rate limiting kept in the database so every process shares it.

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use axum::http::{header, HeaderValue};
use axum::response::Response;

pub mod invitations;

use crate::ctx::{random_token, session_cookie_name, set_cookie, SESSION_DAYS};
use crate::{AppError, AppState};

/// Sign-in attempts allowed in [`WINDOW_MINUTES`]: per account from one client address (the
/// guesses an attacker gets), per account from everywhere (a slower, distributed attack, set high
/// so that someone guessing from elsewhere does not lock the real user out), and per client
/// address over all accounts (a proxy without `trusted_proxies` may front many people).
pub const MAX_FAILURES: i64 = 5;
pub const MAX_FAILURES_PER_ACCOUNT: i64 = 50;
pub const MAX_FAILURES_PER_CLIENT: i64 = 100;
pub const WINDOW_MINUTES: i64 = 15;

/// The rate-limit keys of one sign-in and their limits.
pub fn sign_in_keys(email: &str, client: Option<std::net::IpAddr>) -> [(String, i64); 3] {
    let ip = client.map(|i| i.to_string()).unwrap_or_default();
    [
        (format!("sign-in:{email}|{ip}"), MAX_FAILURES),
        (format!("sign-in:{email}"), MAX_FAILURES_PER_ACCOUNT),
        (format!("sign-in-ip:{ip}"), MAX_FAILURES_PER_CLIENT),
    ]
}

/// Charges one attempt to every key (each charge is one atomic upsert, `tejido_db::limits`) and
/// admits the attempt only if every key is within its limit: parallel guesses are counted before
/// any is evaluated, so no more than the limit are ever evaluated.
pub async fn admit(db: &tejido_db::Db, keys: &[(String, i64)]) -> Result<bool, AppError> {
    admit_in(db, keys, chrono::Duration::minutes(WINDOW_MINUTES)).await
}

/// Password-reset links sent per hour to one address or account, and asked for per client.
pub const RESET_PER_HOUR: i64 = 3;
pub const RESET_PER_CLIENT_HOUR: i64 = 20;

/// [`admit`] with another window.
pub async fn admit_in(
    db: &tejido_db::Db,
    keys: &[(String, i64)],
    window: chrono::Duration,
) -> Result<bool, AppError> {
    let mut ok = true;
    for (key, limit) in keys {
        if tejido_db::limits::hit(db, key, window).await? > *limit {
            ok = false;
        }
    }
    Ok(ok)
}

/// Gives the charges back after a right password: signing in often never locks anyone out.
pub async fn refund(db: &tejido_db::Db, keys: &[(String, i64)]) -> Result<(), AppError> {
    for (key, _) in keys {
        tejido_db::limits::refund(db, key).await?;
    }
    Ok(())
}

pub fn hash_password_blocking(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("hash: {e}"))
}

pub async fn hash_password(password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || hash_password_blocking(&password))
        .await
        .map_err(|e| AppError::Internal(e.into()))?
        .map_err(AppError::Internal)
}

/// Verifies off the async threads. A missing hash still costs one verification so that timing
/// does not tell which addresses have accounts.
pub async fn verify_password(password: String, hash: Option<String>) -> Result<bool, AppError> {
    tokio::task::spawn_blocking(move || {
        static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
        let dummy =
            DUMMY.get_or_init(|| hash_password_blocking("not a real password").unwrap_or_default());
        let (h, real) = match &hash {
            Some(h) => (h.as_str(), true),
            None => (dummy.as_str(), false),
        };
        let ok = PasswordHash::new(h)
            .map(|ph| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &ph)
                    .is_ok()
            })
            .unwrap_or(false);
        ok && real
    })
    .await
    .map_err(|e| AppError::Internal(e.into()))
}

/// Starts a fresh session (a new id at every sign-in) and returns the cookie to set.
pub async fn start_session(
    state: &AppState,
    tx: &mut tejido_db::Tx,
    user_id: i64,
) -> Result<HeaderValue, AppError> {
    let raw = random_token();
    let csrf = random_token();
    let expires = tejido_db::now() + chrono::Duration::days(SESSION_DAYS);
    tejido_db::accounts::create_session(tx, &raw, user_id, &csrf, expires).await?;
    Ok(set_cookie(
        state,
        session_cookie_name(state),
        &raw,
        SESSION_DAYS * 86400,
        true,
    ))
}

pub fn clear_session_cookie(state: &AppState, resp: &mut Response) {
    resp.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(state, session_cookie_name(state), "", 0, true),
    );
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_and_verifies() {
        let h = hash_password("correct horse battery".into()).await.unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(
            verify_password("correct horse battery".into(), Some(h.clone()))
                .await
                .unwrap()
        );
        assert!(!verify_password("wrong".into(), Some(h)).await.unwrap());
        assert!(!verify_password("not a real password".into(), None)
            .await
            .unwrap());
    }
}
