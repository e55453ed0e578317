//! The accounts pages: handlers, their forms and templates.

use super::*;

pub const RESET_HOURS: i64 = 2;

// ---- sign-in ---------------------------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LoginForm {
    pub(super) email: String,
    pub(super) password: String,
    pub(super) next: String,
}

#[derive(Debug, Default, Deserialize)]
pub(super) struct NextQuery {
    pub(super) next: Option<String>,
}

#[derive(Template)]
#[template(path = "accounts/login.html")]
pub(super) struct LoginPage {
    pub(super) c: Ctx,
    pub(super) email: String,
    pub(super) next: String,
    pub(super) error: Option<&'static str>,
}

pub(super) async fn login_form(c: Ctx, Query(q): Query<NextQuery>) -> Response {
    if c.signed_in() {
        return redirect(&safe_next(q.next.as_deref()));
    }
    html(&LoginPage {
        c,
        email: String::new(),
        next: safe_next(q.next.as_deref()),
        error: None,
    })
}

pub(super) async fn login(
    State(s): State<AppState>,
    c: Ctx,
    Form(f): Form<LoginForm>,
) -> AppResult<Response> {
    let next = safe_next(Some(&f.next));
    let email = Email::parse(&f.email)
        .map(|e| e.0)
        .unwrap_or_else(|| f.email.trim().to_lowercase());
    // Charged before the password is checked, each in one atomic statement (auth::admit).
    let keys = auth::sign_in_keys(&email, c.client_ip);
    if !auth::admit(&s.db, &keys).await? {
        tejido_db::audit::record_now(&s.db, None, "sign-in-limited", Some(&email), None).await?;
        let page = LoginPage {
            c,
            email: f.email,
            next,
            error: Some("login-too-many"),
        };
        let mut r = html(&page);
        *r.status_mut() = axum::http::StatusCode::TOO_MANY_REQUESTS;
        r.headers_mut().insert(
            header::RETRY_AFTER,
            axum::http::HeaderValue::from(auth::WINDOW_MINUTES * 60),
        );
        return Ok(r);
    }
    let user = store::user_by_email(&s.db, &email)
        .await?
        .filter(|u| u.disabled_at.is_none());
    let ok = auth::verify_password(
        f.password.clone(),
        user.as_ref().and_then(|u| u.password_hash.clone()),
    )
    .await?;
    let Some(user) = user.filter(|_| ok) else {
        tejido_db::audit::record_now(&s.db, None, "sign-in-failed", Some(&email), None).await?;
        return Ok(html_invalid(&LoginPage {
            c,
            email: f.email,
            next,
            error: Some("login-failed"),
        }));
    };
    let mut tx = s.db.begin().await?;
    let cookie = auth::start_session(&s, &mut tx, user.id).await?;
    tejido_db::audit::record(&mut tx, Some(user.id), "sign-in", Some(&user.email), None).await?;
    tx.commit().await?;
    auth::refund(&s.db, &keys).await?;
    // The old session, if any, ends: a new id at every sign-in.
    if let Some(old) = &c.session {
        store::delete_session(&s.db, old).await?;
    }
    let mut r = redirect(&next);
    r.headers_mut().append(header::SET_COOKIE, cookie);
    Ok(r)
}

pub(super) async fn logout(State(s): State<AppState>, c: Ctx) -> AppResult<Response> {
    if let Some(raw) = &c.session {
        store::delete_session(&s.db, raw).await?;
        if let Some(u) = &c.user {
            tejido_db::audit::record_now(&s.db, Some(u.id), "sign-out", Some(&u.email), None)
                .await?;
        }
    }
    let mut r = redirect("/login");
    auth::clear_session_cookie(&s, &mut r);
    Ok(r)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct LanguageForm {
    pub(super) lang: String,
    pub(super) next: String,
}

pub(super) async fn language(
    State(s): State<AppState>,
    c: Ctx,
    Form(f): Form<LanguageForm>,
) -> AppResult<Response> {
    let Some(loc) = Locale::parse(&f.lang) else {
        return Err(AppError::BadRequest("lang"));
    };
    if let Some(u) = &c.user {
        store::set_locale(&s.db, u.id, loc.as_str()).await?;
    }
    let mut r = redirect(&safe_next(Some(&f.next)));
    r.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(&s, LANG_COOKIE, loc.as_str(), 365 * 86400, false),
    );
    Ok(r)
}

// ---- password reset ----------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "accounts/forgot.html")]
pub(super) struct ForgotPage {
    pub(super) c: Ctx,
    pub(super) email: String,
    pub(super) sent: bool,
    pub(super) errors: FieldErrors,
}

pub(super) async fn forgot_form(c: Ctx) -> Response {
    html(&ForgotPage {
        c,
        email: String::new(),
        sent: false,
        errors: FieldErrors::new(),
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct ForgotForm {
    pub(super) email: String,
}

pub(super) async fn forgot(
    State(s): State<AppState>,
    c: Ctx,
    Form(f): Form<ForgotForm>,
) -> AppResult<Response> {
    let Some(email) = Email::parse(&f.email) else {
        return Ok(html_invalid(&ForgotPage {
            c,
            email: f.email,
            sent: false,
            errors: FieldErrors::single("email", "error-email"),
        }));
    };
    // The same answer whether or not the account exists, so the form does not reveal who has one,
    // and whether or not a limit was reached: a few links an hour per address typed, per account
    // and per client address (auth::RESET_PER_HOUR), so nobody can flood an inbox from here.
    let ip = c.client_ip.map(|i| i.to_string()).unwrap_or_default();
    let keys = [
        (format!("reset:{}", email.0), auth::RESET_PER_HOUR),
        (format!("reset-ip:{ip}"), auth::RESET_PER_CLIENT_HOUR),
    ];
    let within = auth::admit_in(&s.db, &keys, chrono::Duration::hours(1)).await?;
    let user = match within {
        true => store::user_by_email(&s.db, &email.0)
            .await?
            .filter(|u| u.disabled_at.is_none()),
        false => None,
    };
    let user = match user {
        Some(u)
            if auth::admit_in(
                &s.db,
                &[(format!("reset-user:{}", u.id), auth::RESET_PER_HOUR)],
                chrono::Duration::hours(1),
            )
            .await? =>
        {
            Some(u)
        }
        _ => None,
    };
    if let Some(user) = user {
        let raw = random_token();
        let mut tx = s.db.begin().await?;
        store::insert_token(
            &mut tx,
            &NewToken {
                raw: &raw,
                purpose: TokenPurpose::PasswordReset,
                email: &user.email,
                user_id: Some(user.id),
                community_id: None,
                role: None,
                created_by: None,
                expires_at: tejido_db::now() + chrono::Duration::hours(RESET_HOURS),
            },
        )
        .await?;
        let loc = user
            .locale
            .as_deref()
            .and_then(Locale::parse)
            .unwrap_or(c.locale);
        let tr = crate::i18n::Tr {
            i18n: &s.i18n,
            locale: loc,
        };
        let link = format!("{}/password/reset/{raw}", s.config.base_url);
        tejido_db::outbox::enqueue(
            &mut tx,
            &user.email,
            &tr.t("mail-reset-subject"),
            &tr.t2(
                "mail-reset-body",
                "link",
                &link,
                "hours",
                &RESET_HOURS.to_string(),
            ),
        )
        .await?;
        tejido_db::audit::record(
            &mut tx,
            Some(user.id),
            "password-reset-requested",
            Some(&user.email),
            None,
        )
        .await?;
        tx.commit().await?;
    }
    Ok(html(&ForgotPage {
        c,
        email: String::new(),
        sent: true,
        errors: FieldErrors::new(),
    }))
}

#[derive(Template)]
#[template(path = "accounts/reset.html")]
pub(super) struct ResetPage {
    pub(super) c: Ctx,
    pub(super) token: String,
    pub(super) errors: FieldErrors,
}

pub(super) async fn reset_form(
    State(s): State<AppState>,
    c: Ctx,
    Path(token): Path<String>,
) -> AppResult<Response> {
    if store::peek_token(&s.db, &token, TokenPurpose::PasswordReset)
        .await?
        .is_none()
    {
        return Err(AppError::NotFound);
    }
    Ok(html(&ResetPage {
        c,
        token,
        errors: FieldErrors::new(),
    }))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct NewPasswordForm {
    pub(super) password: String,
    pub(super) confirm: String,
}

pub(super) async fn reset(
    State(s): State<AppState>,
    c: Ctx,
    Path(token): Path<String>,
    Form(f): Form<NewPasswordForm>,
) -> AppResult<Response> {
    if let Err(code) = check_new_password(&f.password, &f.confirm) {
        if store::peek_token(&s.db, &token, TokenPurpose::PasswordReset)
            .await?
            .is_none()
        {
            return Err(AppError::NotFound);
        }
        return Ok(html_invalid(&ResetPage {
            c,
            token,
            errors: FieldErrors::single("password", code),
        }));
    }
    let hash = auth::hash_password(f.password).await?;
    let mut tx = s.db.begin().await?;
    let Some(t) = store::consume_token(&mut tx, &token, TokenPurpose::PasswordReset).await? else {
        return Err(AppError::NotFound);
    };
    let Some(uid) = t.user_id else {
        return Err(AppError::NotFound);
    };
    store::set_password(&mut tx, uid, &hash).await?;
    store::delete_user_sessions(&mut tx, uid).await?;
    tejido_db::audit::record(&mut tx, Some(uid), "password-reset", Some(&t.email), None).await?;
    tx.commit().await?;
    Ok(redirect("/login?reset=1"))
}

// ---- invitations -------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "accounts/invitation.html")]
pub(super) struct InvitationPage {
    pub(super) c: Ctx,
    pub(super) token: String,
    pub(super) email: String,
    pub(super) community: Option<String>,
    /// The invited address already has an account.
    pub(super) existing: bool,
    pub(super) display_name: String,
    pub(super) errors: FieldErrors,
}

pub(super) async fn invitation_page(
    s: &AppState,
    c: Ctx,
    token: String,
    display_name: String,
    errors: FieldErrors,
) -> AppResult<InvitationPage> {
    let Some(t) = store::peek_token(&s.db, &token, TokenPurpose::Invitation).await? else {
        return Err(AppError::NotFound);
    };
    let community = match t.community_id {
        Some(id) => tejido_db::communities::by_id(&s.db, id)
            .await?
            .map(|c| c.name),
        None => None,
    };
    let existing = store::user_by_email(&s.db, &t.email).await?.is_some();
    Ok(InvitationPage {
        c,
        token,
        email: t.email,
        community,
        existing,
        display_name,
        errors,
    })
}

pub(super) async fn invitation_form(
    State(s): State<AppState>,
    c: Ctx,
    Path(token): Path<String>,
) -> AppResult<Response> {
    Ok(html(
        &invitation_page(&s, c, token, String::new(), FieldErrors::new()).await?,
    ))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct AcceptForm {
    pub(super) display_name: String,
    pub(super) password: String,
    pub(super) confirm: String,
}

pub(super) async fn accept_invitation(
    State(s): State<AppState>,
    c: Ctx,
    Path(token): Path<String>,
    Form(f): Form<AcceptForm>,
) -> AppResult<Response> {
    let Some(peek) = store::peek_token(&s.db, &token, TokenPurpose::Invitation).await? else {
        return Err(AppError::NotFound);
    };
    let existing = store::user_by_email(&s.db, &peek.email).await?;
    let mut errors = FieldErrors::new();
    let mut hash = None;
    match &existing {
        // An existing account accepts while signed in as itself.
        Some(u) => {
            if c.user_id() != Some(u.id) {
                return Ok(redirect(&format!("/login?next=/invitations/{token}")));
            }
        }
        None => {
            let name =
                tejido_core::validate::required(&mut errors, "display_name", &f.display_name, 120);
            if let Err(code) = check_new_password(&f.password, &f.confirm) {
                errors.add("password", code);
            }
            if !errors.is_empty() {
                return Ok(html_invalid(
                    &invitation_page(&s, c, token, name, errors).await?,
                ));
            }
            hash = Some(auth::hash_password(f.password.clone()).await?);
        }
    }
    let mut tx = s.db.begin().await?;
    let Some(t) = store::consume_token(&mut tx, &token, TokenPurpose::Invitation).await? else {
        return Err(AppError::NotFound);
    };
    let (user_id, person_id, new_cookie) = match existing {
        Some(u) => {
            let pid = match u.person_id {
                Some(p) => p,
                None => {
                    let pid = new_person(&mut tx, &u.display_name, &u.email).await?;
                    store::set_person(&mut tx, u.id, pid).await?;
                    pid
                }
            };
            (u.id, pid, None)
        }
        None => {
            let name = f.display_name.trim();
            let pid = new_person(&mut tx, name, &t.email).await?;
            let uid = store::insert_user(
                &mut tx,
                &NewUser {
                    email: &t.email,
                    password_hash: hash.as_deref(),
                    display_name: name,
                    is_admin: false,
                    person_id: Some(pid),
                    locale: Some(c.locale.as_str()),
                },
            )
            .await?;
            let cookie = auth::start_session(&s, &mut tx, uid).await?;
            (uid, pid, Some(cookie))
        }
    };
    if let Some(cid) = t.community_id {
        tejido_db::communities::add_person(&mut tx, cid, person_id, t.created_by).await?;
        let role = t
            .role
            .as_deref()
            .and_then(Role::parse)
            .unwrap_or(Role::Member);
        tejido_db::communities::assign_role(&mut tx, cid, person_id, role, t.created_by).await?;
    }
    tejido_db::audit::record(
        &mut tx,
        Some(user_id),
        "invitation-accepted",
        Some(&t.email),
        t.role.as_deref(),
    )
    .await?;
    tx.commit().await?;
    // Read after the commit: a request never asks for a second connection while it writes.
    let mut to = "/".to_owned();
    if let Some(cid) = t.community_id {
        if let Some(comm) = tejido_db::communities::by_id(&s.db, cid).await? {
            to = format!("/c/{}", comm.slug);
        }
    }
    let mut r = redirect(&to);
    if let Some(ck) = new_cookie {
        r.headers_mut().append(header::SET_COOKIE, ck);
    }
    Ok(r)
}

// ---- the person's own settings ------------------------------------------------------------------

#[derive(Template)]
#[template(path = "accounts/account.html")]
pub(super) struct AccountPage {
    pub(super) c: Ctx,
    pub(super) tokens: Vec<tejido_db::accounts::ApiToken>,
    pub(super) new_token: Option<String>,
    pub(super) errors: FieldErrors,
}

pub(super) async fn account(State(s): State<AppState>, c: Ctx) -> AppResult<Response> {
    let u = c.require_user()?;
    let tokens = store::list_api_tokens(&s.db, u.id).await?;
    Ok(html(&AccountPage {
        c,
        tokens,
        new_token: None,
        errors: FieldErrors::new(),
    }))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct TokenForm {
    pub(super) name: String,
}

pub(super) async fn create_token(
    State(s): State<AppState>,
    c: Ctx,
    Form(f): Form<TokenForm>,
) -> AppResult<Response> {
    let u = c.require_user()?.clone();
    let mut errors = FieldErrors::new();
    let name = tejido_core::validate::required(&mut errors, "name", &f.name, 80);
    if !errors.is_empty() {
        let tokens = store::list_api_tokens(&s.db, u.id).await?;
        return Ok(html_invalid(&AccountPage {
            c,
            tokens,
            new_token: None,
            errors,
        }));
    }
    let raw = format!("tjd_{}", random_token());
    store::create_api_token(&s.db, u.id, &name, &raw).await?;
    tejido_db::audit::record_now(&s.db, Some(u.id), "api-token-created", Some(&name), None).await?;
    let tokens = store::list_api_tokens(&s.db, u.id).await?;
    // Shown once, never again: only its hash is stored.
    Ok(html(&AccountPage {
        c,
        tokens,
        new_token: Some(raw),
        errors,
    }))
}

pub(super) async fn revoke_token(
    State(s): State<AppState>,
    c: Ctx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let u = c.require_user()?;
    if !store::revoke_api_token(&s.db, u.id, id).await? {
        return Err(AppError::NotFound);
    }
    tejido_db::audit::record_now(
        &s.db,
        Some(u.id),
        "api-token-revoked",
        Some(&id.to_string()),
        None,
    )
    .await?;
    Ok(redirect("/account").into_response())
}
