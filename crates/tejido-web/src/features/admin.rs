//! The instance admin area: the audit log and inviting people to the instance.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::Form;
use serde::Deserialize;
use tejido_core::page::{Page, PageReq};
use tejido_core::FieldErrors;
use tejido_db::audit::AuditEntry;

use crate::error::AppResult;
use crate::routes::{self as route, Level, Route};
use crate::views::{html, html_invalid, Pager};
use crate::{AppState, Ctx};

/// The capability's pages.
pub fn routes() -> Vec<Route> {
    vec![
        route::get("/admin", Level::Admin, index),
        route::post("/admin/invitations", Level::Admin, invite),
    ]
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct AdminQuery {
    page: Option<u32>,
}

#[derive(Template)]
#[template(path = "admin/index.html")]
struct AdminPage {
    c: Ctx,
    log: Page<AuditEntry>,
    pager: Pager,
    users: i64,
    email: String,
    errors: FieldErrors,
    invite_link: Option<String>,
}

async fn page(
    s: &AppState,
    c: Ctx,
    page: Option<u32>,
    email: String,
    errors: FieldErrors,
    invite_link: Option<String>,
) -> AppResult<AdminPage> {
    let log = tejido_db::audit::list(&s.db, PageReq::new(page, Some(50))).await?;
    let pager = Pager::new(&log, "/admin");
    let users = tejido_db::accounts::count_users(&s.db).await?;
    Ok(AdminPage {
        c,
        log,
        pager,
        users,
        email,
        errors,
        invite_link,
    })
}

async fn index(
    State(s): State<AppState>,
    c: Ctx,
    Query(q): Query<AdminQuery>,
) -> AppResult<Response> {
    c.require_admin()?;
    Ok(html(
        &page(&s, c, q.page, String::new(), FieldErrors::new(), None).await?,
    ))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct InviteForm {
    email: String,
}

async fn invite(
    State(s): State<AppState>,
    c: Ctx,
    Form(f): Form<InviteForm>,
) -> AppResult<Response> {
    let admin = c.require_admin()?.clone();
    let Some(email) = tejido_core::accounts::Email::parse(&f.email) else {
        return Ok(html_invalid(
            &page(
                &s,
                c,
                None,
                f.email,
                FieldErrors::single("email", "error-email"),
                None,
            )
            .await?,
        ));
    };
    if tejido_db::accounts::user_by_email(&s.db, &email.0)
        .await?
        .is_some()
    {
        return Ok(html_invalid(
            &page(
                &s,
                c,
                None,
                f.email,
                FieldErrors::single("email", "error-email-taken"),
                None,
            )
            .await?,
        ));
    }
    let mut tx = s.db.begin().await?;
    let link =
        crate::auth::invitations::invite(&s, &mut tx, &admin, &email.0, None, None, c.locale)
            .await?;
    tx.commit().await?;
    Ok(html(
        &page(&s, c, None, String::new(), FieldErrors::new(), Some(link)).await?,
    ))
}
