//! Typed extractors shared by every feature: the API's JSON body, repeated-field forms and the
//! list query.

use axum::body::Bytes;
use axum::Json;

use crate::error::AppResult;
use crate::AppError;

/// `Json` whose rejection (no JSON content type, malformed JSON, wrong field types) is the API's
/// own JSON error in the caller's language, not axum's plain text.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> axum::extract::FromRequest<S> for ApiJson<T> {
    type Rejection = AppError;
    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, AppError> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(v)) => Ok(ApiJson(v)),
            Err(rejection) => {
                tracing::debug!(error = %rejection.body_text(), "rejected JSON body");
                Err(AppError::BadRequest("json"))
            }
        }
    }
}

/// Query parameters common to lists.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct ListQuery {
    pub q: Option<String>,
    pub page: Option<u32>,
    pub kind: Option<String>,
    pub state: Option<String>,
    pub organization: Option<i64>,
}

impl ListQuery {
    pub fn page_req(&self) -> tejido_core::page::PageReq {
        tejido_core::page::PageReq::new(self.page, None)
    }
}

/// Parses a urlencoded body whose fields may repeat (multi-selects).
pub fn form_body<T: serde::de::DeserializeOwned>(body: &Bytes) -> AppResult<T> {
    serde_html_form::from_bytes(body).map_err(|_| AppError::BadRequest("form"))
}

/// The page an API list asks for (`page`, and `per_page` up to the list's limit).
pub fn list_req(q: &ListQuery, per_page: Option<u32>) -> tejido_core::page::PageReq {
    tejido_core::page::PageReq::new(q.page, per_page)
}

/// `per_page` of an API list.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct ApiPage {
    pub per_page: Option<u32>,
}
