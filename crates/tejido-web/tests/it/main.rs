//! In-process tests of Tejido's web layer: every route's status, authorization, validation and
//! CSRF behaviour, driven through the real router on a fresh database. Tests that touch storage
//! run twice through `both_backends!`: on SQLite and on the PostgreSQL named by
//! `TEJIDO_TEST_PG_URL`. Pages are checked in Spanish (the default locale) unless a client asks
//! for English.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod accounts;
mod agenda;
mod api;
mod attacks;
mod charter;
mod communities;
mod directory;
mod discussions;
mod events;
mod funding;
mod governance;
mod leaks;
mod library;
mod minutes;
mod network;
mod onboarding;
mod outcomes;
mod polls;
mod projects;
mod reports;
mod rotation;
mod search;
mod security;
mod storage;
mod support;
mod sustainability;
mod uploads;

pub use axum::http::{header, Method, StatusCode};
pub use serde_json::json;
pub use tejido_core::communities::Role;
pub use tejido_db::Db;
pub use tejido_test::{both_backends, urlencode, Client, Resp, TestApp, PASSWORD};

/// The session cookie's name: the test app runs on plain http, so no `__Host-` prefix.
pub const SESSION_COOKIE: &str = "tejido_session";

/// The routes one capability declares in the route registry, as (method, full path): the API's
/// under `/api/v1`.
pub fn registry(feature: &str) -> Vec<(String, String)> {
    let routes: Vec<_> = tejido_web::features::table()
        .into_iter()
        .filter(|r| r.feature == feature)
        .map(|r| (r.method.as_str().to_owned(), r.path))
        .collect();
    assert!(!routes.is_empty(), "no routes registered for {feature}");
    routes
}

/// Fails unless `table` lists exactly the pages (not the API) the capability registers, apart
/// from those `skip` names (a table of their own checks them).
#[track_caller]
pub fn assert_pages_listed(feature: &str, table: &[(&str, &str)], skip: fn(&str) -> bool) {
    let found: Vec<_> = registry(feature)
        .into_iter()
        .filter(|(_, p)| !p.starts_with("/api/") && !skip(p))
        .collect();
    for (m, p) in &found {
        assert!(
            table.iter().any(|(tm, tp)| tm == m && tp == p),
            "route {m} {p} missing from the table"
        );
    }
    assert_eq!(found.len(), table.len(), "{found:?}");
}

/// Asserts a status, showing the body when it differs.
#[track_caller]
pub fn assert_status(r: &Resp, expected: u16) {
    assert_eq!(
        r.status.as_u16(),
        expected,
        "unexpected status; body:\n{}",
        r.body
    );
}

/// Asserts a 303 to exactly `to`.
#[track_caller]
pub fn assert_redirect(r: &Resp, to: &str) {
    assert_status(r, 303);
    assert_eq!(r.location(), Some(to));
}

/// Asserts the anonymous visitor was sent to sign in.
#[track_caller]
pub fn assert_to_login(r: &Resp) {
    assert_status(r, 303);
    let loc = r.location().unwrap_or("");
    assert!(
        loc.starts_with("/login"),
        "expected a redirect to /login, got {loc}"
    );
}

/// A value set by a `Set-Cookie` header of this response (empty values are deletions: skipped).
pub fn set_cookie(r: &Resp, name: &str) -> Option<String> {
    r.headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|s| {
            let (k, v) = s.split(';').next()?.split_once('=')?;
            (k == name && !v.is_empty() && !s.contains("Max-Age=0")).then(|| v.to_owned())
        })
}

/// A client whose pages come in English.
pub fn english(mut c: Client) -> Client {
    c.lang = Some("en".into());
    c
}

/// A single integer from SQL (counts, ids).
pub async fn scalar(app: &TestApp, sql: &str) -> i64 {
    match &app.db {
        Db::Sqlite(p) => sqlx::query_scalar(sql).fetch_one(p).await.unwrap(),
        Db::Postgres(p) => sqlx::query_scalar(sql).fetch_one(p).await.unwrap(),
    }
}

/// Runs a statement; the error is returned so a test can expect one.
pub async fn exec(app: &TestApp, sql: &str) -> Result<u64, sqlx::Error> {
    match &app.db {
        Db::Sqlite(p) => sqlx::query(sql).execute(p).await.map(|r| r.rows_affected()),
        Db::Postgres(p) => sqlx::query(sql).execute(p).await.map(|r| r.rows_affected()),
    }
}

/// The path of the first `http://localhost/...` link in a text (an e-mail body).
pub fn link_path(text: &str) -> String {
    let i = text
        .find("http://localhost/")
        .unwrap_or_else(|| panic!("no link in: {text}"));
    let rest = &text[i + "http://localhost".len()..];
    let end = rest.find(|c: char| c.is_whitespace()).unwrap_or(rest.len());
    rest[..end].to_owned()
}

/// A unique number for names and addresses within a test run.
pub fn next_n() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(1);
    N.fetch_add(1, Ordering::Relaxed)
}

/// An organization of a given kind and state, stored directly.
pub async fn org_with(app: &TestApp, name: &str, kind: &str, state: &str) -> i64 {
    let input = tejido_core::directory::OrganizationForm {
        name: name.into(),
        kind: kind.into(),
        state_code: state.into(),
        ..Default::default()
    }
    .parse()
    .unwrap();
    let mut tx = app.db.begin().await.unwrap();
    let id = tejido_db::directory::insert_organization(&mut tx, &input)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    id
}

/// A person in the directory (no account), stored directly.
pub async fn person_with(
    app: &TestApp,
    name: &str,
    email: Option<&str>,
    organization: Option<i64>,
) -> i64 {
    let input = tejido_core::directory::PersonInput {
        full_name: name.into(),
        email: email.map(str::to_owned),
        organization_id: organization,
        position_level: None,
        position_title: None,
        youth: None,
        gender: None,
    };
    let mut tx = app.db.begin().await.unwrap();
    let id = tejido_db::directory::insert_person(&mut tx, &input)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    id
}

/// A session created directly in storage; returns (cookie header value, CSRF token).
pub async fn session_for(app: &TestApp, user_id: i64) -> (String, String) {
    let raw = format!("session{user_id}x{}", next_n());
    let csrf = format!("csrf{}x{}", user_id, next_n());
    let mut tx = app.db.begin().await.unwrap();
    tejido_db::accounts::create_session(
        &mut tx,
        &raw,
        user_id,
        &csrf,
        tejido_db::now() + chrono::Duration::days(1),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    (format!("{SESSION_COOKIE}={raw}"), csrf)
}
