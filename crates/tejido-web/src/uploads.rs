//! Uploads: receiving files from multipart forms, keeping their bytes in the data directory,
//! and serving them back inert. There is deliberately no route here: every owner (a library
//! resource, an event's minutes, an outcome's evidence) authorizes on its own route first and
//! then calls [`download`].
//!
//! Public API used by other capabilities:
//! - [`read`] — reads a multipart body: text fields come back as pairs, every non-empty `file`
//!   (or `files`) part is streamed to a temporary file in `<data_dir>/uploads` while it is
//!   hashed (SHA-256), counted against `upload_max_bytes` and sniffed
//!   (`tejido_core::uploads::Sniffer`: the head for the type, the whole file for "is it
//!   text"), so memory stays at a few hundred KB per upload whatever the file's size. At most
//!   [`MAX_FILES`] files per request and `upload_concurrency` requests receiving files at once
//!   (the rest wait `upload_wait`, then get 503 with `Retry-After`). A refusal names the file
//!   ([`Refused::message`]) and nothing is kept: the temporary files of a refused, failed or
//!   interrupted request are removed when its [`Incoming`] is dropped.
//! - [`check_quota`] — refuses files that would take the community (or the instance-wide
//!   library) past `upload_quota_bytes`; owners call it once they know where the files go.
//! - [`store`] — moves checked files to `<data_dir>/uploads/ab/cdef…` (by SHA-256, so identical
//!   files are stored once; synced before the rename, so a crash never leaves a half file under
//!   the final name) and inserts their `uploads` rows in the caller's transaction. The name
//!   kept ends with the sniffed type's extension (`tejido_core::uploads::stored_name`).
//! - [`receive`] — `read` + `store` in one transaction, for handlers without other fields;
//!   a refusal is a 422 validation error on the field `file`.
//! - [`download`] — the response for one upload: `Content-Disposition: attachment` with a name
//!   ending in the sniffed type's extension (never `.html`, `.bat`, `.exe` …),
//!   `X-Content-Type-Options: nosniff`, `Content-Security-Policy: sandbox; default-src 'none'`
//!   and the sniffed content type (never HTML or SVG).
//! - [`remove_stale_temporaries`] — called by `tejido serve` at start and hourly: removes
//!   `.tmp-*` files a crash left behind.
//!
//! Forms post with `enctype="multipart/form-data"` and `action="…?_csrf={{ c.csrf }}"`: the
//! context middleware reads the CSRF token from the query string for multipart bodies.

use std::path::{Path, PathBuf};
use std::time::Duration;

use axum::extract::Multipart;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use sha2::Digest;
use tejido_core::uploads::{
    content_disposition, human_size, sanitize_filename, stored_name, FileKind, Refusal, Sniffer,
};
use tejido_core::FieldErrors;
use tejido_db::uploads::{self as db, NewUpload, Upload};
use tejido_db::Tx;

use crate::error::AppResult;
use crate::{AppError, AppState, Ctx};

pub use tejido_db::uploads::{OwnerKind, QuotaScope};

/// A temporary file in the upload store, removed when dropped (after [`store`] renamed it
/// into place there is nothing left to remove).
#[derive(Debug)]
struct TempFile(PathBuf);

impl Drop for TempFile {
    fn drop(&mut self) {
        match std::fs::remove_file(&self.0) {
            Ok(()) => tracing::debug!(path = %self.0.display(), "temporary upload removed"),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                tracing::warn!(path = %self.0.display(), error = %e, "temporary upload not removed")
            }
        }
    }
}

/// A received file whose size and type were checked, not yet stored: its bytes wait in a
/// temporary file of the store.
#[derive(Debug)]
pub struct CheckedFile {
    /// The name it will be kept under: sanitized, with the sniffed type's extension.
    pub filename: String,
    pub kind: FileKind,
    pub size: u64,
    pub sha256: String,
    temp: TempFile,
}

/// A multipart body: its text fields and its checked files. Holds one of the
/// `upload_concurrency` slots while it has files, until dropped.
#[derive(Debug, Default)]
pub struct Incoming {
    pub fields: Vec<(String, String)>,
    pub files: Vec<CheckedFile>,
    slot: Option<tokio::sync::OwnedSemaphorePermit>,
}

impl Incoming {
    /// The first value of a text field.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
    /// Total bytes of the files.
    pub fn files_size(&self) -> u64 {
        self.files.iter().map(|f| f.size).sum()
    }
}

/// A file (or a request) that was refused, and why.
#[derive(Debug, Clone)]
pub struct Refused {
    /// The file's name as sent (sanitized); empty when the refusal is about the whole request.
    pub filename: String,
    pub reason: Refusal,
    /// For [`Refusal::QuotaExceeded`]: whose quota, the bytes already used and the quota.
    pub quota: Option<(QuotaScope, u64, u64)>,
}

/// Seconds a client is asked to wait when every upload slot is taken.
pub const RETRY_AFTER_SECS: u64 = 10;

impl Refused {
    fn new(filename: &str, reason: Refusal) -> Refused {
        Refused {
            filename: filename.to_owned(),
            reason,
            quota: None,
        }
    }

    /// The reason in the reader's language, naming the file and the limit that applies.
    pub fn message(&self, c: &Ctx) -> String {
        let cfg = &c.state.config;
        let size = |n: u64| human_size(i64::try_from(n).unwrap_or(i64::MAX));
        let max = match self.reason {
            Refusal::RequestTooLarge => size(cfg.upload_request_limit() as u64),
            Refusal::TooManyFiles => MAX_FILES.to_string(),
            Refusal::QuotaExceeded => size(self.quota.map_or(cfg.upload_quota_bytes, |q| q.2)),
            _ => size(cfg.upload_max_bytes as u64),
        };
        let used = size(self.quota.map_or(0, |q| q.1));
        let scope = match self.quota {
            Some((QuotaScope::InstanceLibrary, ..)) => "instance",
            _ => "community",
        };
        c.state.i18n.get(
            c.locale,
            self.reason.code(),
            &[
                ("name", self.filename.as_str()),
                ("max", max.as_str()),
                ("used", used.as_str()),
                ("scope", scope),
            ],
        )
    }
    /// As a field error on `file` (the code only).
    pub fn field_errors(&self) -> FieldErrors {
        FieldErrors::single("file", self.reason.code())
    }
    /// The status a refusal is answered with: 413 (size, count, quota), 503 (busy), 422.
    pub fn status(&self) -> StatusCode {
        StatusCode::from_u16(self.reason.status()).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY)
    }
    /// Sets the refusal's status on a rendered page, and `Retry-After` when busy.
    pub fn apply(&self, r: &mut Response) {
        *r.status_mut() = self.status();
        if self.reason == Refusal::Busy {
            r.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(RETRY_AFTER_SECS));
        }
    }
}

/// Largest text field kept from a multipart body.
const MAX_TEXT_FIELD: usize = 256 * 1024;
/// Most files in one request.
pub const MAX_FILES: usize = 10;
/// Bytes gathered before each write to the temporary file.
const WRITE_BUF: usize = 128 * 1024;
/// Prefix of the temporary files in the store.
const TEMP_PREFIX: &str = ".tmp-";

fn is_file_field(name: &str) -> bool {
    name == "file" || name == "files"
}

/// The refusal for a multipart error: a body cut short by the request limit is "the request is
/// too large" (a single file over its own limit is caught before, by counting).
fn multipart_refusal(e: &axum::extract::multipart::MultipartError, name: &str) -> Refused {
    tracing::info!(error = %e, "multipart body refused");
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        Refused::new("", Refusal::RequestTooLarge)
    } else {
        Refused::new(name, Refusal::Unknown)
    }
}

/// Takes one of the upload slots, waiting at most `upload_wait`.
async fn takeslot(state: &AppState) -> Option<tokio::sync::OwnedSemaphorePermit> {
    let slots = state.upload_slots.clone();
    if let Ok(p) = slots.clone().try_acquire_owned() {
        return Some(p);
    }
    match tokio::time::timeout(state.config.upload_wait, slots.acquire_owned()).await {
        Ok(Ok(p)) => Some(p),
        _ => None,
    }
}

/// Reads a multipart body (see the module comment). `Ok(Err(_))` is a refusal to show the
/// user; `Err(_)` a server failure (the store could not be written).
pub async fn read(state: &AppState, mut mp: Multipart) -> AppResult<Result<Incoming, Refused>> {
    let mut out = Incoming::default();
    loop {
        let field = match mp.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => {
                let name = out
                    .files
                    .last()
                    .map(|f| f.filename.clone())
                    .unwrap_or_default();
                return Ok(Err(multipart_refusal(&e, &name)));
            }
        };
        let name = field.name().unwrap_or("").to_owned();
        if is_file_field(&name) {
            // A file input left empty sends a part with no name and no bytes: skip it.
            let blank = field.file_name().is_none_or(str::is_empty);
            let filename = sanitize_filename(field.file_name().unwrap_or(""));
            if !blank && out.files.len() >= MAX_FILES {
                return Ok(Err(Refused::new(&filename, Refusal::TooManyFiles)));
            }
            if out.slot.is_none() && !blank {
                match takeslot(state).await {
                    Some(p) => out.slot = Some(p),
                    None => {
                        tracing::info!("upload refused: every upload slot is taken");
                        return Ok(Err(Refused::new(&filename, Refusal::Busy)));
                    }
                }
            }
            match receive_file(state, field, &filename, blank).await? {
                Ok(Some(f)) => out.files.push(f),
                Ok(None) => {}
                Err(r) => return Ok(Err(r)),
            }
        } else {
            let text = match field.text().await {
                Ok(t) => t,
                Err(e) => return Ok(Err(multipart_refusal(&e, ""))),
            };
            if text.len() > MAX_TEXT_FIELD {
                return Ok(Err(Refused::new("", Refusal::RequestTooLarge)));
            }
            out.fields.push((name, text));
        }
    }
    Ok(Ok(out))
}

/// Streams one file part to a temporary file while hashing, counting and sniffing it.
/// `Ok(Ok(None))`: an empty part of a file input left blank.
async fn receive_file(
    state: &AppState,
    mut field: axum::extract::multipart::Field<'_>,
    filename: &str,
    blank: bool,
) -> AppResult<Result<Option<CheckedFile>, Refused>> {
    let max = state.config.upload_max_bytes as u64;
    let dir = uploads_dir(state);
    tokio::fs::create_dir_all(&dir)
        .await
        .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", dir.display()))?;
    let path = dir.join(format!("{TEMP_PREFIX}{}", crate::ctx::random_token()));
    let mut file = Some(
        std::fs::File::create(&path)
            .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", path.display()))?,
    );
    // From here on the temporary file goes away with `temp`, whatever happens.
    let temp = TempFile(path);
    let mut sniffer = Sniffer::new();
    let mut hasher = sha2::Sha256::new();
    let mut buf: Vec<u8> = Vec::with_capacity(WRITE_BUF);
    loop {
        let chunk = match field.chunk().await {
            Ok(Some(ch)) => ch,
            Ok(None) => break,
            Err(e) => return Ok(Err(multipart_refusal(&e, filename))),
        };
        if sniffer.len() + chunk.len() as u64 > max {
            tracing::info!(name = filename, "upload over the per-file limit");
            return Ok(Err(Refused::new(filename, Refusal::TooLarge)));
        }
        sniffer.update(&chunk);
        hasher.update(&chunk);
        buf.extend_from_slice(&chunk);
        if buf.len() >= WRITE_BUF {
            let (f, b) = write_out(file.take(), buf, false).await?;
            file = f;
            buf = b;
        }
    }
    if sniffer.is_empty() && blank {
        return Ok(Ok(None));
    }
    let size = sniffer.len();
    // Synced before the rename in `store`, as the store promises.
    write_out(file.take(), buf, true).await?;
    let kind = match sniffer.finish(filename) {
        Ok(k) => k,
        Err(reason) => return Ok(Err(Refused::new(filename, reason))),
    };
    Ok(Ok(Some(CheckedFile {
        filename: stored_name(filename, Some(kind)),
        kind,
        size,
        sha256: db::hex(&hasher.finalize()),
        temp,
    })))
}

/// Writes `buf` to the file off the async threads (and syncs it when `last`); gives both back
/// (the buffer emptied, for reuse).
async fn write_out(
    file: Option<std::fs::File>,
    mut buf: Vec<u8>,
    last: bool,
) -> AppResult<(Option<std::fs::File>, Vec<u8>)> {
    let Some(mut f) = file else {
        return Err(AppError::Internal(anyhow::anyhow!("upload file closed")));
    };
    let r = tokio::task::spawn_blocking(move || -> std::io::Result<(std::fs::File, Vec<u8>)> {
        use std::io::Write;
        f.write_all(&buf)?;
        buf.clear();
        if last {
            f.sync_all()?;
        }
        Ok((f, buf))
    })
    .await
    .map_err(|e| anyhow::anyhow!("upload writer: {e}"))?
    .map_err(|e| anyhow::anyhow!("writing an upload: {e}"))?;
    Ok((Some(r.0), r.1))
}

/// Refuses `files` when they would take `scope` past `upload_quota_bytes` (see the module
/// comment). Two uploads finishing at the same moment may both pass: the quota can be exceeded
/// by at most what `upload_concurrency` requests carry.
pub async fn check_quota(
    state: &AppState,
    scope: QuotaScope,
    files: &[CheckedFile],
) -> AppResult<Result<(), Refused>> {
    let Some(first) = files.first() else {
        return Ok(Ok(()));
    };
    let quota = state.config.upload_quota_bytes;
    let used = u64::try_from(db::used_bytes(&state.db, scope).await?).unwrap_or(0);
    let adding: u64 = files.iter().map(|f| f.size).sum();
    if used.saturating_add(adding) > quota {
        tracing::info!(?scope, used, adding, quota, "upload refused: quota");
        return Ok(Err(Refused {
            filename: first.filename.clone(),
            reason: Refusal::QuotaExceeded,
            quota: Some((scope, used, quota)),
        }));
    }
    Ok(Ok(()))
}

fn uploads_dir(state: &AppState) -> PathBuf {
    state.config.data_dir.join("uploads")
}

/// The final path of a hash in the store, and its directory.
fn blob_path(state: &AppState, sha: &str) -> anyhow::Result<(PathBuf, PathBuf)> {
    let (dir, rest) =
        tejido_core::uploads::store_path(sha).ok_or_else(|| anyhow::anyhow!("bad hash {sha}"))?;
    let dir = uploads_dir(state).join(dir);
    let path = dir.join(rest);
    Ok((dir, path))
}

/// Writes bytes under their hash unless already there; a temporary file, synced and renamed
/// into place, means a crash never leaves a half file under the final name.
async fn write_blob(state: &AppState, sha: &str, bytes: &[u8]) -> anyhow::Result<()> {
    let (dir, path) = blob_path(state, sha)?;
    if tokio::fs::try_exists(&path).await.unwrap_or(false) {
        return Ok(());
    }
    tokio::fs::create_dir_all(&dir).await?;
    let temp =
        TempFile(uploads_dir(state).join(format!("{TEMP_PREFIX}{}", crate::ctx::random_token())));
    let bytes = bytes.to_vec();
    let tmp = temp.0.clone();
    tokio::task::spawn_blocking(move || -> std::io::Result<()> {
        use std::io::Write;
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(&bytes)?;
        f.sync_all()?;
        drop(f);
        std::fs::rename(&tmp, &path)
    })
    .await
    .map_err(|e| anyhow::anyhow!("upload writer: {e}"))??;
    drop(temp);
    Ok(())
}

/// Writes a file into the store by its hash (used by the demo loader).
pub async fn write_bytes(state: &AppState, bytes: &[u8]) -> anyhow::Result<String> {
    let sha = db::sha256_bytes(bytes);
    write_blob(state, &sha, bytes).await?;
    Ok(sha)
}

/// Moves one checked file to its place in the store (unless identical bytes are there).
async fn place(state: &AppState, f: &CheckedFile) -> anyhow::Result<()> {
    let (dir, path) = blob_path(state, &f.sha256)?;
    if tokio::fs::try_exists(&path).await.unwrap_or(false) {
        return Ok(());
    }
    tokio::fs::create_dir_all(&dir).await?;
    tokio::fs::rename(&f.temp.0, &path).await?;
    Ok(())
}

/// Stores checked files and inserts their rows in `tx` (see the module comment).
pub async fn store(
    state: &AppState,
    tx: &mut Tx,
    files: &[CheckedFile],
    by: Option<i64>,
) -> AppResult<Vec<Upload>> {
    let mut out = Vec::with_capacity(files.len());
    for f in files {
        place(state, f).await?;
        let u = db::insert(
            tx,
            &NewUpload {
                sha256: &f.sha256,
                size: i64::try_from(f.size).unwrap_or(i64::MAX),
                content_type: f.kind.content_type(),
                filename: &f.filename,
                created_by: by,
            },
        )
        .await?;
        out.push(u);
    }
    Ok(out)
}

/// Reads and stores the files of a multipart body in one transaction (text fields ignored).
pub async fn receive(
    state: &AppState,
    c: &Ctx,
    scope: QuotaScope,
    mp: Multipart,
) -> AppResult<Vec<Upload>> {
    let incoming = read(state, mp)
        .await?
        .map_err(|r| AppError::Validation(r.field_errors()))?;
    check_quota(state, scope, &incoming.files)
        .await?
        .map_err(|r| AppError::Validation(r.field_errors()))?;
    let mut tx = state.db.begin().await?;
    let rows = store(state, &mut tx, &incoming.files, c.user_id()).await?;
    tx.commit().await?;
    Ok(rows)
}

/// How long a temporary file may sit untouched before it counts as left behind (an upload in
/// progress writes to its file continuously; an interrupted one removes its own).
pub const STALE_AFTER: Duration = Duration::from_secs(10 * 60);

/// Removes the `.tmp-*` files under `<data_dir>/uploads` (and its `ab/` folders, where older
/// versions wrote them) not modified for `older_than`; returns how many went. Files still being
/// written by another `tejido serve` sharing the directory are younger and stay.
pub fn remove_stale_temporaries(data_dir: &Path, older_than: Duration) -> std::io::Result<usize> {
    let root = data_dir.join("uploads");
    let mut removed = 0;
    let mut dirs = vec![root.clone()];
    let rd = match std::fs::read_dir(&root) {
        Ok(rd) => rd,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(e),
    };
    for e in rd.flatten() {
        if e.file_type().is_ok_and(|t| t.is_dir()) {
            dirs.push(e.path());
        }
    }
    let now = std::time::SystemTime::now();
    for d in dirs {
        for e in std::fs::read_dir(&d)?.flatten() {
            let is_temp = e.file_name().to_string_lossy().starts_with(TEMP_PREFIX);
            if !is_temp || !e.file_type().is_ok_and(|t| t.is_file()) {
                continue;
            }
            let age = e
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|m| now.duration_since(m).ok())
                .unwrap_or_default();
            if age >= older_than {
                match std::fs::remove_file(e.path()) {
                    Ok(()) => removed += 1,
                    Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
                    Err(err) => return Err(err),
                }
            }
        }
    }
    Ok(removed)
}

/// Marks a response whose Content-Security-Policy must stay the download sandbox (the context
/// middleware sets the page policy on every response; `crate::router` restores this one).
#[derive(Clone, Copy, Debug)]
pub struct InertDownload;

pub const DOWNLOAD_CSP: &str = "sandbox; default-src 'none'";

/// The second page before an attachment is taken off a record (minutes, an outcome): names the
/// file and posts to `action`; «Cancelar» returns to `back`. The caller authorized the removal.
pub async fn confirm_detach(
    state: &AppState,
    c: Ctx,
    owner: db::OwnerKind,
    owner_id: i64,
    upload_id: i64,
    action: String,
    back: String,
) -> AppResult<Response> {
    let u = db::get_attached(&state.db, owner, owner_id, upload_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(crate::views::confirm(
        c.t1("attachment-remove-question", "name", &u.filename),
        c.t("attachment-remove-note"),
        action,
        vec![],
        c.t("confirm-remove"),
        back,
        c,
    ))
}

/// The response for one upload, after the caller authorized it.
pub async fn download(state: &AppState, u: &Upload) -> AppResult<Response> {
    let Some((dir, rest)) = tejido_core::uploads::store_path(&u.sha256) else {
        return Err(AppError::NotFound);
    };
    let path = uploads_dir(state).join(dir).join(rest);
    let bytes = match tokio::fs::read(&path).await {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            tracing::warn!(
                upload = u.id,
                "upload bytes missing from the data directory"
            );
            return Err(AppError::NotFound);
        }
        Err(e) => return Err(AppError::Internal(e.into())),
    };
    // Only types the sniffer produces are served as such; anything else is opaque bytes.
    let kind = FileKind::from_content_type(&u.content_type);
    let ct = kind
        .map(FileKind::content_type)
        .unwrap_or("application/octet-stream");
    // Rows stored before names took the sniffed extension are renamed here too.
    let name = stored_name(&u.filename, kind);
    let mut r = (StatusCode::OK, bytes).into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(ct));
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&content_disposition(&name))
            .unwrap_or_else(|_| HeaderValue::from_static("attachment")),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(DOWNLOAD_CSP),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    r.extensions_mut().insert(InertDownload);
    Ok(r)
}

/// Restores the download headers after the context middleware (see [`InertDownload`]).
pub async fn keep_download_headers(mut resp: Response) -> Response {
    if resp.extensions().get::<InertDownload>().is_some() {
        resp.headers_mut().insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(DOWNLOAD_CSP),
        );
    }
    resp
}

/// One attachment as JSON, with its download URL under `base` (e.g. `/library/3/files`).
pub fn json(u: &Upload, base: &str) -> serde_json::Value {
    serde_json::json!({
        "id": u.id,
        "filename": u.filename,
        "content_type": u.content_type,
        "size": u.size,
        "sha256": u.sha256,
        "created_at": u.created_at,
        "download_url": format!("{base}/{}", u.id),
    })
}
