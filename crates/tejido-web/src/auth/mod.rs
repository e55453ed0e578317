//! Authentication: password hashing (argon2id, off the async threads), starting and ending
//! sessions, and sign-in rate limiting kept in the database so every process shares it.

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use axum::http::{header, HeaderValue};
use axum::response::Response;

use crate::ctx::{random_token, session_cookie_name, set_cookie, SESSION_DAYS};
use crate::{AppError, AppState};

/// Failed sign-ins allowed per address (and per client) in [`WINDOW_MINUTES`].
pub const MAX_FAILURES: i64 = 5;
pub const MAX_FAILURES_PER_CLIENT: i64 = 100;
pub const WINDOW_MINUTES: i64 = 15;

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
