//! The request context. One middleware, before every handler: it finds the signed-in user (by
//! session cookie, or by personal API token for `/api/v1`), picks the locale, derives the CSRF
//! token, and rejects a state-changing request whose origin or token does not check out. After
//! the handler it renders errors in the user's language and adds the security headers.

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::{header, request::Parts, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use hmac::{Hmac, Mac};
use http_body_util::BodyExt;
use sha2::Sha256;
use tejido_core::accounts::Locale;
use tejido_db::accounts::User;

use crate::error::{AppError, RenderError};
use crate::i18n::Tr;
use crate::AppState;

pub const LANG_COOKIE: &str = "tejido_lang";
const ANON_CSRF_COOKIE: &str = "tejido_csrf";
/// Sessions last this long after the last request.
pub const SESSION_DAYS: i64 = 7;

/// What a handler knows about the request's person. Cheap to clone.
#[derive(Clone)]
pub struct Ctx {
    pub state: AppState,
    pub user: Option<Arc<User>>,
    pub locale: Locale,
    /// The token every form must echo as `_csrf`.
    pub csrf: String,
    /// The raw session id, when signed in through a session.
    pub session: Option<Arc<str>>,
    /// Authenticated by a personal API token rather than a session.
    pub by_token: bool,
    /// Path and query of this request (for "back to" links and the language switch).
    pub path: String,
    /// The client's address when served over TCP: the peer, or behind a trusted proxy the
    /// address it forwarded (`net::client_address`).
    pub client_ip: Option<std::net::IpAddr>,
    /// The request came straight from this machine: a loopback peer and no forwarding header
    /// (a request relayed by a proxy on this machine is not local).
    pub local: bool,
}

impl Ctx {
    pub fn tr(&self) -> Tr<'_> {
        Tr {
            i18n: &self.state.i18n,
            locale: self.locale,
        }
    }
    pub fn t(&self, id: &str) -> String {
        self.tr().t(id)
    }
    pub fn t1(&self, id: &str, k: &str, v: &str) -> String {
        self.tr().t1(id, k, v)
    }
    pub fn t2(&self, id: &str, k1: &str, v1: &str, k2: &str, v2: &str) -> String {
        self.tr().t2(id, k1, v1, k2, v2)
    }
    pub fn label(&self, prefix: &str, value: &str) -> String {
        self.tr().label(prefix, value)
    }
    pub fn lang(&self) -> &'static str {
        self.locale.as_str()
    }
    pub fn signed_in(&self) -> bool {
        self.user.is_some()
    }
    pub fn is_admin(&self) -> bool {
        self.user.as_ref().is_some_and(|u| u.is_admin)
    }
    /// The signed-in user, or 401.
    pub fn require_user(&self) -> Result<&User, AppError> {
        self.user.as_deref().ok_or(AppError::Unauthorized)
    }
    pub fn require_admin(&self) -> Result<&User, AppError> {
        let u = self.require_user()?;
        if u.is_admin {
            Ok(u)
        } else {
            Err(AppError::Forbidden)
        }
    }
    pub fn user_id(&self) -> Option<i64> {
        self.user.as_ref().map(|u| u.id)
    }
    /// The reader as the library's visibility clause binds it.
    pub fn viewer(&self) -> tejido_db::library::Viewer {
        tejido_db::library::Viewer {
            signed_in: self.signed_in(),
            is_admin: self.is_admin(),
            person_id: self.user.as_ref().and_then(|u| u.person_id),
        }
    }
    pub fn display_name(&self) -> String {
        self.user
            .as_ref()
            .map(|u| u.display_name.clone())
            .unwrap_or_default()
    }
    pub fn date(&self, at: &chrono::DateTime<chrono::Utc>) -> String {
        self.tr()
            .date(at, tejido_core::communities::DEFAULT_TIME_ZONE)
    }
    /// A date in a community's time zone.
    pub fn date_in(&self, at: &chrono::DateTime<chrono::Utc>, tz: &str) -> String {
        self.tr().date(at, tz)
    }
    pub fn nav_current(&self, prefix: &str) -> bool {
        if prefix == "/" {
            self.path == "/" || self.path.starts_with("/?")
        } else {
            self.path.starts_with(prefix)
        }
    }
}

impl FromRequestParts<AppState> for Ctx {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Ctx>()
            .cloned()
            .ok_or(AppError::Internal(anyhow::anyhow!(
                "context middleware missing"
            )))
    }
}

pub fn session_cookie_name(state: &AppState) -> &'static str {
    if state.config.secure_cookies {
        "__Host-tejido_session"
    } else {
        "tejido_session"
    }
}

pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// A `Set-Cookie` value with the flags every Tejido cookie carries.
pub fn set_cookie(
    state: &AppState,
    name: &str,
    value: &str,
    max_age_secs: i64,
    http_only: bool,
) -> HeaderValue {
    let mut s = format!("{name}={value}; Path=/; SameSite=Lax; Max-Age={max_age_secs}");
    if http_only {
        s.push_str("; HttpOnly");
    }
    if state.config.secure_cookies {
        s.push_str("; Secure");
    }
    HeaderValue::from_str(&s).unwrap_or_else(|_| HeaderValue::from_static("invalid=1"))
}

pub fn random_token() -> String {
    use rand::RngCore;
    let mut b = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut b);
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn hmac_hex(key: &[u8], msg: &str) -> String {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable_key());
    mac.update(msg.as_bytes());
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|x| format!("{x:02x}"))
        .collect()
}

fn unreachable_key() -> Hmac<Sha256> {
    // HMAC accepts keys of any length; this is never reached.
    <Hmac<Sha256> as Mac>::new_from_slice(b"k").unwrap_or_else(|_| std::process::abort())
}

/// Constant-time comparison of two tokens.
pub fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

fn wants_json(path: &str, headers: &HeaderMap) -> bool {
    path.starts_with("/api/")
        || headers
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|a| a.starts_with("application/json"))
}

/// The origin check: a browser's cross-site POST is refused even before the token is looked at.
fn origin_ok(state: &AppState, headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        if !matches!(site, "same-origin" | "none") {
            return false;
        }
    }
    match headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        None => true,
        Some(o) => {
            let host = headers
                .get(header::HOST)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            o == state.config.base_url
                || o == format!("http://{host}")
                || o == format!("https://{host}")
        }
    }
}

/// One request counted in `AppInner::in_flight` until it is answered.
struct InFlight<'a>(&'a std::sync::atomic::AtomicUsize);

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
    }
}

pub async fn middleware(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let accept = req
        .headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let json = req.uri().path().starts_with("/api/");
    // Shed an overload before any work (see `WebConfig::max_in_flight`).
    let counted = !matches!(req.uri().path(), "/healthz" | "/metrics")
        && !req.uri().path().starts_with("/static/");
    let _in_flight = if counted {
        let before = state
            .in_flight
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let guard = InFlight(&state.in_flight);
        if before >= state.config.max_in_flight {
            return early_error(&state, &accept, json, AppError::Unavailable);
        }
        Some(guard)
    } else {
        None
    };
    match run(state.clone(), req, next).await {
        Ok(r) => r,
        Err(e) => early_error(&state, &accept, json, e),
    }
}

/// An error met before the request's context exists (the session could not be read because the
/// database is busy, say): a short answer in the language the browser asks for, with
/// `Retry-After` when it is worth coming back.
fn early_error(state: &AppState, accept_language: &str, json: bool, e: AppError) -> Response {
    let resp = e.into_response();
    let Some(err) = resp.extensions().get::<RenderError>().cloned() else {
        return resp;
    };
    let tr = Tr {
        i18n: &state.i18n,
        locale: Locale::from_accept_language(accept_language),
    };
    let message = tr.t(err.code);
    let mut out = if json {
        (
            err.status,
            axum::Json(serde_json::json!({ "error": err.code, "message": message })),
        )
            .into_response()
    } else {
        let title = tr.t(&format!("{}-title", err.code));
        let page = format!(
            "<!doctype html><html lang=\"{}\"><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\"><title>{}</title><h1>{}</h1><p>{}</p></html>",
            tr.locale.as_str(),
            tejido_core::search::escape_html(&title),
            tejido_core::search::escape_html(&title),
            tejido_core::search::escape_html(&message)
        );
        (err.status, axum::response::Html(page)).into_response()
    };
    if let Some(secs) = retry_after(err.status) {
        out.headers_mut()
            .insert(header::RETRY_AFTER, header::HeaderValue::from(secs));
    }
    out.extensions_mut().insert(err);
    out
}

async fn run(state: AppState, req: Request, next: Next) -> Result<Response, AppError> {
    let (mut parts, body) = req.into_parts();
    let headers = &parts.headers;
    let path = parts
        .uri
        .path_and_query()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "/".into());
    let is_api = parts.uri.path().starts_with("/api/");
    // Personal API tokens sign in the JSON API and the metrics endpoint (an admin's token).
    let takes_token = is_api || parts.uri.path() == "/metrics";

    // Who is asking.
    let mut user = None;
    let mut session: Option<Arc<str>> = None;
    let mut csrf = String::new();
    let mut by_token = false;
    // An unknown or revoked API token is refused below, once the locale is known, so that the
    // 401 is the same JSON error as any other.
    let mut bad_token = false;
    if let Some(raw) = cookie(headers, session_cookie_name(&state)) {
        if let Some((s, u)) = tejido_db::accounts::session_user(&state.db, &raw).await? {
            let now = tejido_db::now();
            if now - s.last_seen_at > chrono::Duration::minutes(5) {
                tejido_db::accounts::touch_session(
                    &state.db,
                    &raw,
                    now + chrono::Duration::days(SESSION_DAYS),
                )
                .await?;
            }
            csrf = s.csrf_token;
            user = Some(Arc::new(u));
            session = Some(raw.into());
        }
    }
    if user.is_none() && takes_token {
        if let Some(tok) = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
        {
            match tejido_db::accounts::user_by_api_token(&state.db, tok.trim()).await? {
                Some(u) => {
                    user = Some(Arc::new(u));
                    by_token = true;
                }
                None => bad_token = true,
            }
        }
    }

    // Anonymous visitors get a random cookie; their form token is derived from it.
    let mut new_anon_cookie = None;
    if user.is_none() {
        let anon = match cookie(headers, ANON_CSRF_COOKIE)
            .filter(|v| v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit()))
        {
            Some(v) => v,
            None => {
                let v = random_token();
                new_anon_cookie = Some(v.clone());
                v
            }
        };
        csrf = hmac_hex(&state.config.secret_key, &format!("anon:{anon}"));
    }

    let locale = user
        .as_ref()
        .and_then(|u| u.locale.as_deref())
        .and_then(Locale::parse)
        .or_else(|| {
            cookie(headers, LANG_COOKIE)
                .as_deref()
                .and_then(Locale::parse)
        })
        .unwrap_or_else(|| {
            Locale::from_accept_language(
                headers
                    .get(header::ACCEPT_LANGUAGE)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or(""),
            )
        });

    let peer = parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip());
    let forwarded: Vec<&str> = parts
        .headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    let client_ip = crate::net::client_address(peer, &forwarded, &state.config.trusted_proxies);
    let local = peer.is_some_and(|p| p.is_loopback())
        && forwarded.is_empty()
        && !parts.headers.contains_key("forwarded")
        && !parts.headers.contains_key("x-real-ip");
    let ctx = Ctx {
        state: state.clone(),
        user,
        locale,
        csrf,
        session,
        by_token,
        path: path.clone(),
        client_ip,
        local,
    };
    let json = wants_json(&path, &parts.headers);
    if bad_token {
        let resp = render_error(&ctx, true, AppError::Unauthorized.into_response());
        return Ok(finish(&state, resp, new_anon_cookie));
    }

    // CSRF: every state-changing request made with a cookie must prove it came from our form.
    let unsafe_method = !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
    let mut body = Body::new(body);
    if unsafe_method && !by_token {
        let check = async {
            if !origin_ok(&state, &parts.headers) {
                return Err(AppError::Csrf);
            }
            let header_tok = parts
                .headers
                .get("x-csrf-token")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            let (tok, rebuilt) = match header_tok {
                Some(t) => (Some(t), None),
                None => {
                    if content_type_is(&parts.headers, "application/x-www-form-urlencoded") {
                        let bytes: Bytes = std::mem::replace(&mut body, Body::empty())
                            .collect()
                            .await
                            .map_err(|_| AppError::BadRequest("body"))?
                            .to_bytes();
                        let t = form_field(&bytes, "_csrf");
                        (t, Some(bytes))
                    } else if content_type_is(&parts.headers, "multipart/form-data") {
                        // A file upload: the form's action carries the token as `?_csrf=`
                        // so that the (large) body need not be buffered before the check.
                        (query_field(parts.uri.query(), "_csrf"), None)
                    } else {
                        (None, None)
                    }
                }
            };
            Ok::<_, AppError>((tok, rebuilt))
        };
        let (tok, rebuilt) = match check.await {
            Ok(v) => v,
            Err(e) => {
                let resp = render_error(&ctx, json, e.into_response());
                return Ok(finish(&state, resp, new_anon_cookie));
            }
        };
        if let Some(b) = rebuilt {
            body = Body::from(b);
        }
        if !tok.as_deref().is_some_and(|t| same(t, &ctx.csrf)) {
            tracing::info!(path = %parts.uri.path(), "csrf rejected");
            let resp = render_error(&ctx, json, AppError::Csrf.into_response());
            return Ok(finish(&state, resp, new_anon_cookie));
        }
    }

    parts.extensions.insert(ctx.clone());
    let resp = next.run(Request::from_parts(parts, body)).await;
    Ok(finish(
        &state,
        render_error(&ctx, json, resp),
        new_anon_cookie,
    ))
}

/// Adds the anonymous visitor's CSRF cookie (to pages) and the security headers to every
/// response, refusals included.
fn finish(state: &AppState, mut resp: Response, new_anon_cookie: Option<String>) -> Response {
    let h = resp.headers_mut();
    let is_html = h
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if let Some(v) = new_anon_cookie.filter(|_| is_html) {
        h.append(
            header::SET_COOKIE,
            set_cookie(state, ANON_CSRF_COOKIE, &v, 60 * 60 * 24 * 30, true),
        );
    }
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'",
        ),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if !h.contains_key(header::CACHE_CONTROL) {
        // Pages can hold sensitive data: never kept by shared caches or the back button's disk.
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if state.config.secure_cookies {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
    resp
}

/// The first value of `name` in an urlencoded body.
fn form_field(body: &[u8], name: &str) -> Option<String> {
    let pairs: Vec<(String, String)> = serde_html_form::from_bytes(body).ok()?;
    pairs.into_iter().find(|(k, _)| k == name).map(|(_, v)| v)
}

/// Turns a bare error response (status + [`RenderError`]) into a page or JSON in the user's
/// language; other responses pass through.
fn render_error(ctx: &Ctx, json: bool, resp: Response) -> Response {
    let Some(err) = resp.extensions().get::<RenderError>().cloned() else {
        return resp;
    };
    let message = ctx.t(err.code);
    let mut out = if json {
        let mut v = serde_json::json!({ "error": err.code, "message": message });
        if let Some(f) = &err.fields {
            v["fields"] = serde_json::Value::Array(
                f.0.iter()
                    .map(|e| serde_json::json!({ "field": e.field, "code": e.code, "message": ctx.t(&e.code) }))
                    .collect(),
            );
        }
        (err.status, axum::Json(v)).into_response()
    } else if err.status == StatusCode::UNAUTHORIZED {
        // A person who is not signed in is sent to sign in, and back here afterwards.
        let next = if ctx.path.starts_with('/') {
            ctx.path.clone()
        } else {
            "/".into()
        };
        crate::views::redirect(&format!("/login?next={}", crate::views::urlencode(&next)))
    } else {
        let page = crate::views::ErrorPage {
            c: ctx.clone(),
            title: ctx.t(&format!("{}-title", err.code)),
            message,
        };
        (err.status, crate::views::html(&page)).into_response()
    };
    // A refusal to come back later says when: the handler's own figure if it gave one.
    if let Some(secs) = retry_after(err.status) {
        let v = resp
            .headers()
            .get(header::RETRY_AFTER)
            .cloned()
            .unwrap_or_else(|| header::HeaderValue::from(secs));
        out.headers_mut().insert(header::RETRY_AFTER, v);
    }
    out.extensions_mut().insert(err);
    out
}

/// Seconds a refusal asks the client to wait before trying again, for statuses that mean
/// "come back later".
fn retry_after(status: StatusCode) -> Option<u64> {
    match status {
        StatusCode::SERVICE_UNAVAILABLE => Some(crate::error::BUSY_RETRY_AFTER_SECS),
        StatusCode::TOO_MANY_REQUESTS => Some(60),
        _ => None,
    }
}

fn content_type_is(headers: &header::HeaderMap, mime: &str) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|c| c.starts_with(mime))
}

/// One field of a URL query string, percent-decoded.
fn query_field(query: Option<&str>, name: &str) -> Option<String> {
    form_field(query?.as_bytes(), name)
}
