//! Uploads: receiving files from multipart forms, keeping their bytes in the data directory,
//! and serving them back inert. There is deliberately no route here: every owner (a library
//! resource, an event's minutes, an outcome's evidence) authorizes on its own route first and
//! then calls [`download`].
//!
//! Public API used by other capabilities:
//! - [`read`] — reads a multipart body: text fields come back as pairs, every non-empty `file`
//!   (or `files`) part is size-checked against `upload_max_bytes` and its type sniffed from the
//!   bytes (`tejido_core::uploads::sniff`); a refusal names the file ([`Refused::message`]).
//!   Nothing is stored yet, so a refused form changes nothing.
//! - [`store`] — writes checked files to `<data_dir>/uploads/ab/cdef…` (by SHA-256, so identical
//!   files are stored once; written to a temporary file and renamed, so a crash never leaves a
//!   half file) and inserts their `uploads` rows in the caller's transaction.
//! - [`receive`] — `read` + `store` in one transaction, for handlers without other fields;
//!   a refusal is a 422 validation error on the field `file`.
//! - [`download`] — the response for one upload: `Content-Disposition: attachment`,
//!   `X-Content-Type-Options: nosniff`, `Content-Security-Policy: sandbox; default-src 'none'`
//!   and the sniffed content type (never HTML or SVG).
//!
//! Forms post with `enctype="multipart/form-data"` and `action="…?_csrf={{ c.csrf }}"`: the
//! context middleware reads the CSRF token from the query string for multipart bodies.

use axum::body::Bytes;
use axum::extract::Multipart;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use tejido_core::uploads::{content_disposition, sanitize_filename, sniff, FileKind, Refusal};
use tejido_core::FieldErrors;
use tejido_db::uploads::{self as db, NewUpload, Upload};
use tejido_db::Tx;

use crate::error::AppResult;
use crate::{AppError, AppState, Ctx};

pub use tejido_db::uploads::OwnerKind;

/// Routes: none (see the module comment).
pub fn router() -> Router<AppState> {
    Router::new()
}

/// Routes nested under `/api/v1`: none.
pub fn api_router() -> Router<AppState> {
    Router::new()
}

/// This capability's entries for the OpenAPI document's `paths` object: none.
pub fn openapi_paths() -> serde_json::Map<String, serde_json::Value> {
    serde_json::Map::new()
}

/// A received file whose size and type were checked, not yet stored.
#[derive(Debug, Clone)]
pub struct CheckedFile {
    pub filename: String,
    pub kind: FileKind,
    pub bytes: Bytes,
}

/// A multipart body: its text fields and its checked files.
#[derive(Debug, Default)]
pub struct Incoming {
    pub fields: Vec<(String, String)>,
    pub files: Vec<CheckedFile>,
}

impl Incoming {
    /// The first value of a text field.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A file that was refused, and why.
#[derive(Debug, Clone)]
pub struct Refused {
    pub filename: String,
    pub reason: Refusal,
}

impl Refused {
    /// The reason in the reader's language, naming the file.
    pub fn message(&self, c: &Ctx) -> String {
        let max = tejido_core::uploads::human_size(
            i64::try_from(c.state.config.upload_max_bytes).unwrap_or(i64::MAX),
        );
        c.t2(self.reason.code(), "name", &self.filename, "max", &max)
    }
    /// As a field error on `file` (the code only).
    pub fn field_errors(&self) -> FieldErrors {
        FieldErrors::single("file", self.reason.code())
    }
}

/// Largest text field kept from a multipart body.
const MAX_TEXT_FIELD: usize = 256 * 1024;
/// Most files in one request.
const MAX_FILES: usize = 10;

fn is_file_field(name: &str) -> bool {
    name == "file" || name == "files"
}

/// Reads a multipart body (see the module comment). A body cut short by the request limit is
/// reported as too large.
pub async fn read(state: &AppState, mut mp: Multipart) -> Result<Incoming, Refused> {
    let max = state.config.upload_max_bytes;
    let mut out = Incoming::default();
    let too_large = |name: &str| Refused {
        filename: name.to_owned(),
        reason: if name.is_empty() {
            Refusal::RequestTooLarge
        } else {
            Refusal::TooLarge
        },
    };
    loop {
        let field = match mp.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => {
                tracing::info!(error = %e, "multipart body refused");
                let name = out
                    .files
                    .last()
                    .map(|f| f.filename.clone())
                    .unwrap_or_default();
                return Err(if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    too_large(&name)
                } else {
                    Refused {
                        filename: name,
                        reason: Refusal::Unknown,
                    }
                });
            }
        };
        let name = field.name().unwrap_or("").to_owned();
        if is_file_field(&name) {
            let blank = field.file_name().is_none_or(str::is_empty);
            let filename = sanitize_filename(field.file_name().unwrap_or(""));
            let mut field = field;
            let mut buf: Vec<u8> = Vec::new();
            loop {
                match field.chunk().await {
                    Ok(Some(ch)) => {
                        if buf.len() + ch.len() > max {
                            return Err(too_large(&filename));
                        }
                        buf.extend_from_slice(&ch);
                    }
                    Ok(None) => break,
                    Err(e) => {
                        tracing::info!(error = %e, "upload cut short");
                        return Err(if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                            too_large(&filename)
                        } else {
                            Refused {
                                filename,
                                reason: Refusal::Unknown,
                            }
                        });
                    }
                }
            }
            // A file input left empty sends a part with no name and no bytes: skip it.
            if buf.is_empty() && blank {
                continue;
            }
            if out.files.len() >= MAX_FILES {
                return Err(Refused {
                    filename,
                    reason: Refusal::TooLarge,
                });
            }
            let kind = sniff(&buf, &filename).map_err(|reason| Refused {
                filename: filename.clone(),
                reason,
            })?;
            out.files.push(CheckedFile {
                filename,
                kind,
                bytes: Bytes::from(buf),
            });
        } else {
            let text = match field.text().await {
                Ok(t) => t,
                Err(e) => {
                    return Err(if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                        too_large("")
                    } else {
                        Refused {
                            filename: String::new(),
                            reason: Refusal::Unknown,
                        }
                    })
                }
            };
            if text.len() > MAX_TEXT_FIELD {
                return Err(too_large(""));
            }
            out.fields.push((name, text));
        }
    }
    Ok(out)
}

fn uploads_dir(state: &AppState) -> std::path::PathBuf {
    state.config.data_dir.join("uploads")
}

/// Writes the bytes under their hash unless already there; a temporary file renamed into place
/// means a crash never leaves a half file under the final name.
async fn write_blob(state: &AppState, sha: &str, bytes: &[u8]) -> anyhow::Result<()> {
    let (dir, rest) =
        tejido_core::uploads::store_path(sha).ok_or_else(|| anyhow::anyhow!("bad hash {sha}"))?;
    let dir = uploads_dir(state).join(dir);
    let path = dir.join(&rest);
    if tokio::fs::try_exists(&path).await.unwrap_or(false) {
        return Ok(());
    }
    tokio::fs::create_dir_all(&dir).await?;
    let tmp = dir.join(format!(".tmp-{}-{}", rest, crate::ctx::random_token()));
    let bytes = bytes.to_vec();
    let tmp2 = tmp.clone();
    let path2 = path.clone();
    tokio::task::spawn_blocking(move || -> std::io::Result<()> {
        use std::io::Write;
        let mut f = std::fs::File::create(&tmp2)?;
        f.write_all(&bytes)?;
        f.sync_all()?;
        drop(f);
        std::fs::rename(&tmp2, &path2)
    })
    .await
    .map_err(|e| anyhow::anyhow!("upload writer: {e}"))?
    .inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })?;
    Ok(())
}

/// Writes a file into the store by its hash (used by the demo loader and by [`store`]).
pub async fn write_bytes(state: &AppState, bytes: &[u8]) -> anyhow::Result<String> {
    let sha = db::sha256_bytes(bytes);
    write_blob(state, &sha, bytes).await?;
    Ok(sha)
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
        let sha = write_bytes(state, &f.bytes).await?;
        let u = db::insert(
            tx,
            &NewUpload {
                sha256: &sha,
                size: i64::try_from(f.bytes.len()).unwrap_or(i64::MAX),
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
pub async fn receive(state: &AppState, c: &Ctx, mp: Multipart) -> AppResult<Vec<Upload>> {
    let incoming = read(state, mp)
        .await
        .map_err(|r| AppError::Validation(r.field_errors()))?;
    let mut tx = state.db.begin().await?;
    let rows = store(state, &mut tx, &incoming.files, c.user_id()).await?;
    tx.commit().await?;
    Ok(rows)
}

/// Marks a response whose Content-Security-Policy must stay the download sandbox (the context
/// middleware sets the page policy on every response; `crate::router` restores this one).
#[derive(Clone, Copy, Debug)]
pub struct InertDownload;

pub const DOWNLOAD_CSP: &str = "sandbox; default-src 'none'";

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
    let ct = FileKind::from_content_type(&u.content_type)
        .map(FileKind::content_type)
        .unwrap_or("application/octet-stream");
    let mut r = (StatusCode::OK, bytes).into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(ct));
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&content_disposition(&u.filename))
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
