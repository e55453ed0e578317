//! Test support. [`TestApp`] builds the real router on a fresh database — a temporary SQLite
//! file, or a new database on the PostgreSQL named by `TEJIDO_TEST_PG_URL` — and drives it
//! in-process. [`Client`] keeps cookies like a browser and finds the CSRF token in pages.
//! [`both_backends!`] runs one test body on both backends. Mail is read from the outbox table.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use tejido_db::Db;
use tejido_web::{AppState, WebConfig};
use tower::ServiceExt;

pub const PASSWORD: &str = "contraseña de prueba";

pub struct TestApp {
    pub db: Db,
    pub router: Router,
    pub state: AppState,
    _sqlite_dir: Option<TempDir>,
    /// The data directory (uploaded files), removed with the app.
    pub data_dir: Arc<TempDir>,
}

/// A directory removed when dropped.
pub struct TempDir(pub std::path::PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn unique(prefix: &str) -> String {
    use rand::Rng;
    format!(
        "{prefix}_{}_{:08x}",
        std::process::id(),
        rand::thread_rng().gen::<u32>()
    )
}

/// Runs the same async test body on SQLite and on PostgreSQL.
#[macro_export]
macro_rules! both_backends {
    ($name:ident, $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let app = $crate::TestApp::sqlite().await;
                ($body)(app).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let app = $crate::TestApp::postgres().await;
                ($body)(app).await;
            }
        }
    };
}

impl TestApp {
    pub async fn sqlite() -> TestApp {
        let dir = std::env::temp_dir().join(unique("tejido_test"));
        std::fs::create_dir_all(&dir).unwrap();
        let url = format!("sqlite://{}", dir.join("t.db").display());
        let db = Db::connect(&url).await.unwrap();
        Self::with_db(db, Some(TempDir(dir))).await
    }

    /// A fresh database on the server at `TEJIDO_TEST_PG_URL`. Fails loudly when unset: storage
    /// tests must run on both backends (`scripts/test` starts a throwaway server).
    pub async fn postgres() -> TestApp {
        let admin_url = std::env::var("TEJIDO_TEST_PG_URL").expect(
            "TEJIDO_TEST_PG_URL is not set: run scripts/test, which starts a throwaway PostgreSQL",
        );
        let name = unique("tejido_test");
        let admin = Db::connect(&admin_url).await.unwrap();
        if let Db::Postgres(p) = &admin {
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(p)
                .await
                .unwrap();
        }
        admin.close().await;
        let (base, _) = admin_url.rsplit_once('/').unwrap();
        let db = Db::connect(&format!("{base}/{name}")).await.unwrap();
        Self::with_db(db, None).await
    }

    async fn with_db(db: Db, dir: Option<TempDir>) -> TestApp {
        tejido_db::migrate::run(&db).await.unwrap();
        let data = std::env::temp_dir().join(unique("tejido_test_data"));
        std::fs::create_dir_all(&data).unwrap();
        let mut config = WebConfig::new(
            "http://localhost",
            b"test secret key, not for production".to_vec(),
        );
        config.data_dir = data.clone();
        // Tests that send many requests at once (forty guesses, a workshop replying) check what
        // they check, not the overload refusal; `with_max_in_flight` tests that.
        config.max_in_flight = 1024;
        let state = AppState::new(db.clone(), config).unwrap();
        let router = tejido_web::router(state.clone());
        TestApp {
            db,
            router,
            state,
            _sqlite_dir: dir,
            data_dir: Arc::new(TempDir(data)),
        }
    }

    /// The same app (same database and data directory) believing `X-Forwarded-For` from these
    /// proxies.
    pub fn with_trusted_proxies(self, proxies: &[&str]) -> TestApp {
        let proxies = proxies
            .iter()
            .map(|p| tejido_web::net::IpNet::parse(p).unwrap())
            .collect();
        self.with_config(|c| c.trusted_proxies = proxies)
    }

    /// The same app (same database and data directory) handling at most `n` requests at once.
    pub fn with_max_in_flight(self, n: usize) -> TestApp {
        self.with_config(|c| c.max_in_flight = n)
    }

    /// The same app (same database and data directory) with a smaller upload limit.
    pub fn with_upload_limit(self, bytes: usize) -> TestApp {
        self.with_config(|c| c.upload_max_bytes = bytes)
    }

    /// The same app (same database and data directory) with its settings changed by `change`.
    fn with_config(mut self, change: impl FnOnce(&mut WebConfig)) -> TestApp {
        let mut config = self.state.config.clone();
        change(&mut config);
        self.state = AppState::new(self.db.clone(), config).unwrap();
        self.router = tejido_web::router(self.state.clone());
        self
    }

    /// Files under the data directory's upload store (to prove identical files are kept once).
    pub fn stored_files(&self) -> usize {
        fn walk(p: &std::path::Path) -> usize {
            std::fs::read_dir(p)
                .map(|rd| {
                    rd.flatten()
                        .map(|e| {
                            let p = e.path();
                            if p.is_dir() {
                                walk(&p)
                            } else {
                                1
                            }
                        })
                        .sum()
                })
                .unwrap_or(0)
        }
        walk(&self.data_dir.0.join("uploads"))
    }

    pub fn client(&self) -> Client {
        Client {
            router: self.router.clone(),
            cookies: Arc::new(Mutex::new(HashMap::new())),
            lang: None,
            peer: None,
        }
    }

    /// Creates an account with a person in the directory; returns (user id, person id).
    pub async fn user(&self, email: &str, admin: bool) -> (i64, i64) {
        static HASH: OnceLock<String> = OnceLock::new();
        let hash = HASH
            .get_or_init(|| tejido_web::auth::hash_password_blocking(PASSWORD).unwrap())
            .clone();
        let mut tx = self.db.begin().await.unwrap();
        let person = tejido_core::directory::PersonInput {
            full_name: format!("Persona {email}"),
            email: Some(email.to_owned()),
            organization_id: None,
            position_level: None,
            position_title: None,
            youth: None,
            gender: None,
        };
        let pid = tejido_db::directory::insert_person(&mut tx, &person)
            .await
            .unwrap();
        let uid = tejido_db::accounts::insert_user(
            &mut tx,
            &tejido_db::accounts::NewUser {
                email,
                password_hash: Some(&hash),
                display_name: &format!("Persona {email}"),
                is_admin: admin,
                person_id: Some(pid),
                locale: None,
            },
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        (uid, pid)
    }

    /// A client signed in as a new account.
    pub async fn signed_in(&self, email: &str, admin: bool) -> (Client, i64, i64) {
        let (uid, pid) = self.user(email, admin).await;
        let c = self.client();
        let r = c
            .post_form(
                "/login",
                &[("email", email), ("password", PASSWORD), ("next", "/")],
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::SEE_OTHER,
            "sign-in failed: {}",
            r.body
        );
        (c, uid, pid)
    }

    /// Creates a community (private unless said) with `leader` as its leader; returns (id, slug).
    pub async fn community(
        &self,
        name: &str,
        leader_person: i64,
        visibility: &str,
    ) -> (i64, String) {
        let input = tejido_core::communities::CommunityForm {
            name: name.into(),
            purpose: "Aprender juntas".into(),
            visibility: visibility.into(),
            ..Default::default()
        }
        .parse()
        .unwrap();
        let mut tx = self.db.begin().await.unwrap();
        let (id, slug) = tejido_db::communities::insert(&mut tx, &input, None)
            .await
            .unwrap();
        tejido_db::communities::add_person(&mut tx, id, leader_person, None)
            .await
            .unwrap();
        tejido_db::communities::assign_role(
            &mut tx,
            id,
            leader_person,
            tejido_core::communities::Role::Leader,
            None,
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        (id, slug)
    }

    pub async fn add_member(
        &self,
        community: i64,
        person: i64,
        role: tejido_core::communities::Role,
    ) {
        let mut tx = self.db.begin().await.unwrap();
        tejido_db::communities::add_person(&mut tx, community, person, None)
            .await
            .unwrap();
        tejido_db::communities::assign_role(&mut tx, community, person, role, None)
            .await
            .unwrap();
        tx.commit().await.unwrap();
    }

    pub async fn organization(&self, name: &str) -> i64 {
        let input = tejido_core::directory::OrganizationForm {
            name: name.into(),
            kind: "cso".into(),
            state_code: "20".into(),
            ..Default::default()
        }
        .parse()
        .unwrap();
        let mut tx = self.db.begin().await.unwrap();
        let id = tejido_db::directory::insert_organization(&mut tx, &input)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        id
    }

    /// Rows in a table (to prove a refused request wrote nothing).
    pub async fn count(&self, table: &str) -> i64 {
        let sql = format!("SELECT COUNT(*) FROM {table}");
        match &self.db {
            Db::Sqlite(p) => sqlx::query_scalar(&sql).fetch_one(p).await.unwrap(),
            Db::Postgres(p) => sqlx::query_scalar(&sql).fetch_one(p).await.unwrap(),
        }
    }

    /// The one integer a `SELECT` returns (cast it to BIGINT for PostgreSQL), for tests that
    /// recompute a figure from the raw tables with their own SQL.
    pub async fn scalar(&self, sql: &str) -> i64 {
        match &self.db {
            Db::Sqlite(p) => sqlx::query_scalar(sql).fetch_one(p).await.unwrap(),
            Db::Postgres(p) => sqlx::query_scalar(sql).fetch_one(p).await.unwrap(),
        }
    }

    /// `(text, integer)` rows of a grouped `SELECT` (cast the integer to BIGINT), e.g. a count per
    /// theme.
    pub async fn grouped(&self, sql: &str) -> Vec<(String, i64)> {
        match &self.db {
            Db::Sqlite(p) => sqlx::query_as(sql).fetch_all(p).await.unwrap(),
            Db::Postgres(p) => sqlx::query_as(sql).fetch_all(p).await.unwrap(),
        }
    }

    /// The newest e-mail to `to`.
    pub async fn last_mail(&self, to: &str) -> Option<tejido_db::outbox::Mail> {
        tejido_db::outbox::recent_to(&self.db, to, 1)
            .await
            .unwrap()
            .into_iter()
            .next()
    }
}

#[derive(Clone)]
pub struct Client {
    router: Router,
    cookies: Arc<Mutex<HashMap<String, String>>>,
    pub lang: Option<String>,
    /// The TCP peer the server sees (as `serve` passes it); none by default, as in-process.
    pub peer: Option<std::net::SocketAddr>,
}

#[derive(Debug)]
pub struct Resp {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl Resp {
    pub fn location(&self) -> Option<&str> {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
    }
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
    /// The value of the first hidden `_csrf` input in the page.
    pub fn csrf(&self) -> Option<String> {
        let i = self.body.find("name=\"_csrf\" value=\"")?;
        let rest = &self.body[i + "name=\"_csrf\" value=\"".len()..];
        Some(rest[..rest.find('"')?].to_owned())
    }
}

pub fn urlencode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

impl Client {
    pub async fn request(
        &self,
        method: Method,
        path: &str,
        content_type: Option<&str>,
        body: Vec<u8>,
        extra: &[(&str, &str)],
    ) -> Resp {
        let mut b = Request::builder().method(method).uri(path);
        let cookie: String = self
            .cookies
            .lock()
            .unwrap()
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ");
        if !cookie.is_empty() {
            b = b.header(header::COOKIE, cookie);
        }
        if let Some(ct) = content_type {
            b = b.header(header::CONTENT_TYPE, ct);
        }
        if let Some(l) = &self.lang {
            b = b.header(header::ACCEPT_LANGUAGE, l);
        }
        for (k, v) in extra {
            b = b.header(*k, *v);
        }
        let mut req = b.body(Body::from(body)).unwrap();
        if let Some(peer) = self.peer {
            req.extensions_mut()
                .insert(axum::extract::ConnectInfo(peer));
        }
        let resp = self.router.clone().oneshot(req).await.unwrap();
        let status = resp.status();
        let headers = resp.headers().clone();
        for sc in headers.get_all(header::SET_COOKIE) {
            let s = sc.to_str().unwrap();
            let kv = s.split(';').next().unwrap();
            if let Some((k, v)) = kv.split_once('=') {
                let mut jar = self.cookies.lock().unwrap();
                if v.is_empty() || s.contains("Max-Age=0") {
                    jar.remove(k);
                } else {
                    jar.insert(k.to_owned(), v.to_owned());
                }
            }
        }
        let bytes = resp.into_body().collect().await.unwrap().to_bytes();
        Resp {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    pub async fn get(&self, path: &str) -> Resp {
        self.request(Method::GET, path, None, vec![], &[]).await
    }

    /// The CSRF token this client's forms carry (read from a page, as a browser would).
    pub async fn csrf(&self) -> String {
        let r = self.get("/login").await;
        if let Some(t) = r.csrf() {
            return t;
        }
        self.get("/account").await.csrf().expect("no _csrf in page")
    }

    /// Posts a form with the right CSRF token added.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Resp {
        let token = self.csrf().await;
        let mut all: Vec<(&str, &str)> = vec![("_csrf", token.as_str())];
        all.extend_from_slice(fields);
        self.post_raw(path, &all).await
    }

    /// Posts exactly these fields (no token added).
    pub async fn post_raw(&self, path: &str, fields: &[(&str, &str)]) -> Resp {
        let body = fields
            .iter()
            .map(|(k, v)| format!("{}={}", urlencode(k), urlencode(v)))
            .collect::<Vec<_>>()
            .join("&");
        self.request(
            Method::POST,
            path,
            Some("application/x-www-form-urlencoded"),
            body.into_bytes(),
            &[],
        )
        .await
    }

    /// Posts a `multipart/form-data` body with the CSRF token in the query string (as upload
    /// forms do). `files` are (field name, file name, bytes); the token is read from a page.
    pub async fn post_multipart(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        files: &[(&str, &str, &[u8])],
    ) -> Resp {
        let token = self.csrf().await;
        let sep = if path.contains('?') { '&' } else { '?' };
        let path = format!("{path}{sep}_csrf={}", urlencode(&token));
        self.post_multipart_raw(&path, fields, files).await
    }

    /// Posts a multipart body exactly as given (no token added).
    pub async fn post_multipart_raw(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        files: &[(&str, &str, &[u8])],
    ) -> Resp {
        let boundary = "----tejido-test-boundary-7MA4YWxkTrZu0gW";
        let mut body: Vec<u8> = Vec::new();
        for (k, v) in fields {
            body.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n")
                    .as_bytes(),
            );
            body.extend_from_slice(v.as_bytes());
            body.extend_from_slice(b"\r\n");
        }
        for (k, name, bytes) in files {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                )
                .as_bytes(),
            );
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        self.request(
            Method::POST,
            path,
            Some(&format!("multipart/form-data; boundary={boundary}")),
            body,
            &[],
        )
        .await
    }

    pub async fn json(
        &self,
        method: Method,
        path: &str,
        body: &serde_json::Value,
        extra: &[(&str, &str)],
    ) -> Resp {
        self.request(
            method,
            path,
            Some("application/json"),
            serde_json::to_vec(body).unwrap(),
            extra,
        )
        .await
    }
}
