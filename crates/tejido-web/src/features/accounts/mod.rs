//! Accounts: sign-in and sign-out, the language switch, password reset by e-mailed link,
//! accepting an invitation, and the person's own settings and personal API tokens.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Form;
use serde::Deserialize;
use tejido_core::accounts::{check_new_password, Email, Locale};
use tejido_core::communities::Role;
use tejido_core::FieldErrors;
use tejido_db::accounts::{self as store, NewToken, NewUser, TokenPurpose};

use crate::auth;
use crate::auth::invitations::new_person;
use crate::ctx::{random_token, set_cookie, LANG_COOKIE};
use crate::error::AppResult;
use crate::routes::{self as route, Level, Route};
use crate::views::{html, html_invalid, redirect, safe_next};
use crate::{AppError, AppState, Ctx};

mod pages;

pub use pages::LoginForm;
pub use pages::RESET_HOURS;
use pages::*;

/// The capability's pages.
pub fn routes() -> Vec<Route> {
    vec![
        route::get("/login", Level::Public, login_form),
        route::post("/login", Level::Public, login),
        route::post("/logout", Level::Public, logout),
        route::post("/language", Level::Public, language),
        route::get("/password/forgot", Level::Public, forgot_form),
        route::post("/password/forgot", Level::Public, forgot),
        route::get("/password/reset/{token}", Level::Public, reset_form),
        route::post("/password/reset/{token}", Level::Public, reset),
        route::get("/invitations/{token}", Level::Public, invitation_form),
        route::post("/invitations/{token}", Level::Public, accept_invitation),
        route::get("/account", Level::Account, account),
        route::post("/account/tokens", Level::Account, create_token),
        route::post("/account/tokens/{id}/revoke", Level::Account, revoke_token),
    ]
}
