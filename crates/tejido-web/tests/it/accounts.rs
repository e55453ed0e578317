//! Accounts: sign-in and its rate limit, sign-out, session rotation, the language switch,
//! password reset by e-mailed link, invitations, personal API tokens.

use super::*;

both_backends!(sign_in_ok_and_failed, |app: TestApp| async move {
    app.user("ana@example.org", false).await;
    let c = app.client();
    let page = c.get("/login").await;
    assert_status(&page, 200);
    assert!(page.body.contains("Iniciar sesión"));
    assert!(page.body.contains(r#"<html lang="es-MX">"#));

    let r = c
        .post_form(
            "/login",
            &[
                ("email", "ana@example.org"),
                ("password", "equivocada"),
                ("next", "/"),
            ],
        )
        .await;
    assert_status(&r, 422);
    assert!(r
        .body
        .contains("El correo o la contraseña no son correctos."));
    assert!(
        r.body.contains(r#"value="ana@example.org""#),
        "the address is kept"
    );
    assert_eq!(set_cookie(&r, SESSION_COOKIE), None);
    assert_eq!(app.count("sessions").await, 0);
    assert_eq!(
        app.count("audit_log WHERE action = 'sign-in-failed'").await,
        1
    );
    assert_to_login(&c.get("/account").await);

    // Case and spaces in the address do not matter; `next` is followed when local.
    let r = c
        .post_form(
            "/login",
            &[
                ("email", "  ANA@example.org "),
                ("password", PASSWORD),
                ("next", "/directory/people"),
            ],
        )
        .await;
    assert_redirect(&r, "/directory/people");
    assert!(set_cookie(&r, SESSION_COOKIE).is_some());
    assert_eq!(app.count("sessions").await, 1);
    let acc = c.get("/account").await;
    assert_status(&acc, 200);
    assert!(acc.body.contains("ana@example.org"));
    // An off-site `next` is not followed.
    let c2 = app.client();
    let r = c2
        .post_form(
            "/login",
            &[
                ("email", "ana@example.org"),
                ("password", PASSWORD),
                ("next", "//evil.example/x"),
            ],
        )
        .await;
    assert_redirect(&r, "/");
});

both_backends!(
    sign_in_rate_limited_after_five_failures,
    |app: TestApp| async move {
        app.user("beto@example.org", false).await;
        let c = app.client();
        for _ in 0..5 {
            let r = c
                .post_form(
                    "/login",
                    &[("email", "beto@example.org"), ("password", "equivocada")],
                )
                .await;
            assert_status(&r, 422);
        }
        // Even the right password is refused now, and no session starts.
        let r = c
            .post_form(
                "/login",
                &[("email", "beto@example.org"), ("password", PASSWORD)],
            )
            .await;
        assert_status(&r, 429);
        assert!(
            r.body.contains("Demasiados intentos fallidos"),
            "{}",
            r.body
        );
        assert_eq!(app.count("sessions").await, 0);
        // Another address is not affected.
        app.user("carla@example.org", false).await;
        let r = app
            .client()
            .post_form(
                "/login",
                &[("email", "carla@example.org"), ("password", PASSWORD)],
            )
            .await;
        assert_status(&r, 303);
    }
);

both_backends!(sign_out_ends_the_session, |app: TestApp| async move {
    let (c, _, _) = app.signed_in("dora@example.org", false).await;
    assert_status(&c.get("/account").await, 200);
    assert_eq!(app.count("sessions").await, 1);
    let r = c.post_form("/logout", &[]).await;
    assert_redirect(&r, "/login");
    assert_eq!(app.count("sessions").await, 0);
    assert_redirect(&c.get("/account").await, "/login?next=/account");
    assert_eq!(app.count("audit_log WHERE action = 'sign-out'").await, 1);
});

both_backends!(session_id_rotates_at_sign_in, |app: TestApp| async move {
    app.user("eva@example.org", false).await;
    let c = app.client();
    let r = c
        .post_form(
            "/login",
            &[("email", "eva@example.org"), ("password", PASSWORD)],
        )
        .await;
    let first = set_cookie(&r, SESSION_COOKIE).expect("a session cookie");
    // Signing in again (same browser) starts a new session and ends the old one.
    let r = c
        .post_form(
            "/login",
            &[("email", "eva@example.org"), ("password", PASSWORD)],
        )
        .await;
    assert_status(&r, 303);
    let second = set_cookie(&r, SESSION_COOKIE).expect("a new session cookie");
    assert_ne!(first, second);
    assert_eq!(app.count("sessions").await, 1);
    let old = format!("{SESSION_COOKIE}={first}");
    let r = app
        .client()
        .request(Method::GET, "/account", None, vec![], &[("cookie", &old)])
        .await;
    assert_to_login(&r);
    assert_status(&c.get("/account").await, 200);
    // The session id is stored only as a hash.
    assert_eq!(
        app.count(&format!("sessions WHERE id_hash = '{second}'"))
            .await,
        0
    );
});

both_backends!(language_switch, |app: TestApp| async move {
    // Anonymous: a cookie remembers the choice.
    let c = app.client();
    assert!(c
        .get("/login")
        .await
        .body
        .contains(r#"<html lang="es-MX">"#));
    let r = c
        .post_form("/language", &[("lang", "en"), ("next", "/login")])
        .await;
    assert_redirect(&r, "/login");
    assert_eq!(set_cookie(&r, "tejido_lang").as_deref(), Some("en"));
    let page = c.get("/login").await;
    assert!(page.body.contains(r#"<html lang="en">"#));
    assert!(page.body.contains("Sign in"), "{}", page.body);
    // An unknown language is refused.
    assert_status(&c.post_form("/language", &[("lang", "xx")]).await, 400);
    // Accept-Language picks English for a first visit.
    let en = english(app.client());
    assert!(en.get("/login").await.body.contains(r#"<html lang="en">"#));

    // Signed in: the choice is saved on the account and follows it to a new browser.
    let (s, uid, _) = app.signed_in("fede@example.org", false).await;
    assert_redirect(
        &s.post_form("/language", &[("lang", "en"), ("next", "/account")])
            .await,
        "/account",
    );
    assert_eq!(
        app.count(&format!("users WHERE id = {uid} AND locale = 'en'"))
            .await,
        1
    );
    let other = app.client();
    assert_status(
        &other
            .post_form(
                "/login",
                &[("email", "fede@example.org"), ("password", PASSWORD)],
            )
            .await,
        303,
    );
    let home = other.get("/").await;
    assert!(home.body.contains(r#"<html lang="en">"#), "{}", home.body);
    // The account's choice wins over the browser's header.
    let mut es_header = other.clone();
    es_header.lang = Some("es-MX".into());
    assert!(es_header
        .get("/account")
        .await
        .body
        .contains(r#"<html lang="en">"#));
});

both_backends!(password_reset_by_link, |app: TestApp| async move {
    let (uid, _) = app.user("gabi@example.org", false).await;
    let old_session = app.client();
    assert_status(
        &old_session
            .post_form(
                "/login",
                &[("email", "gabi@example.org"), ("password", PASSWORD)],
            )
            .await,
        303,
    );

    let c = app.client();
    let form = c.get("/password/forgot").await;
    assert_status(&form, 200);
    let r = c
        .post_form("/password/forgot", &[("email", "Gabi@Example.org")])
        .await;
    assert_status(&r, 200);
    assert!(
        r.body.contains("Si hay una cuenta con ese correo"),
        "{}",
        r.body
    );
    assert_eq!(app.count("outbox").await, 1);
    let mail = app
        .last_mail("gabi@example.org")
        .await
        .expect("a reset e-mail");
    let link = link_path(&mail.body_text);
    assert!(link.starts_with("/password/reset/"), "{link}");

    let page = c.get(&link).await;
    assert_status(&page, 200);
    // A weak password is refused and the link still works.
    let r = c
        .post_form(&link, &[("password", "corta"), ("confirm", "corta")])
        .await;
    assert_status(&r, 422);
    assert!(r.body.contains("al menos 10 caracteres"), "{}", r.body);
    let r = c
        .post_form(
            &link,
            &[
                ("password", "nueva contraseña segura"),
                ("confirm", "otra distinta larga"),
            ],
        )
        .await;
    assert_status(&r, 422);
    assert!(r.body.contains("Las contraseñas no coinciden."));
    assert_status(&c.get(&link).await, 200);

    let r = c
        .post_form(
            &link,
            &[
                ("password", "nueva contraseña segura"),
                ("confirm", "nueva contraseña segura"),
            ],
        )
        .await;
    assert_redirect(&r, "/login?reset=1");
    // Every session of the account ended.
    assert_eq!(
        app.count(&format!("sessions WHERE user_id = {uid}")).await,
        0
    );
    assert_to_login(&old_session.get("/account").await);
    // The link works once.
    assert_status(&c.get(&link).await, 404);
    let r = c
        .post_form(
            &link,
            &[
                ("password", "otra contraseña segura"),
                ("confirm", "otra contraseña segura"),
            ],
        )
        .await;
    assert_status(&r, 404);
    // The new password signs in, the old one does not.
    assert_status(
        &app.client()
            .post_form(
                "/login",
                &[("email", "gabi@example.org"), ("password", PASSWORD)],
            )
            .await,
        422,
    );
    let r = app
        .client()
        .post_form(
            "/login",
            &[
                ("email", "gabi@example.org"),
                ("password", "nueva contraseña segura"),
            ],
        )
        .await;
    assert_status(&r, 303);

    // An expired link is not found.
    let mut tx = app.db.begin().await.unwrap();
    tejido_db::accounts::insert_token(
        &mut tx,
        &tejido_db::accounts::NewToken {
            raw: "vencido123",
            purpose: tejido_db::accounts::TokenPurpose::PasswordReset,
            email: "gabi@example.org",
            user_id: Some(uid),
            community_id: None,
            role: None,
            created_by: None,
            expires_at: tejido_db::now() - chrono::Duration::minutes(1),
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    assert_status(&c.get("/password/reset/vencido123").await, 404);
    let r = c
        .post_form(
            "/password/reset/vencido123",
            &[
                ("password", "otra contraseña segura"),
                ("confirm", "otra contraseña segura"),
            ],
        )
        .await;
    assert_status(&r, 404);
    assert_status(&c.get("/password/reset/no-existe").await, 404);
});

both_backends!(
    password_reset_for_unknown_address_says_the_same_and_sends_nothing,
    |app: TestApp| async move {
        app.user("hugo@example.org", false).await;
        let c = app.client();
        let known = c
            .post_form("/password/forgot", &[("email", "hugo@example.org")])
            .await;
        let unknown = c
            .post_form("/password/forgot", &[("email", "nadie@example.org")])
            .await;
        assert_status(&unknown, 200);
        assert!(unknown.body.contains("Si hay una cuenta con ese correo"));
        assert_eq!(
            known.body.replace(&known.csrf().unwrap(), ""),
            unknown.body.replace(&unknown.csrf().unwrap(), "")
        );
        assert_eq!(app.count("outbox").await, 1);
        assert!(app.last_mail("nadie@example.org").await.is_none());
        // Not an address at all: the form again, with the error next to the field.
        let r = c
            .post_form("/password/forgot", &[("email", "no es correo")])
            .await;
        assert_status(&r, 422);
        assert!(r.body.contains("Escribe un correo electrónico válido"));
        assert!(r.body.contains(r#"value="no es correo""#));
        assert_eq!(app.count("outbox").await, 1);
    }
);

both_backends!(
    invitation_accept_creates_the_account_and_membership,
    |app: TestApp| async move {
        let (leader, _, leader_p) = app.signed_in("lider@example.org", false).await;
        let (cid, slug) = app.community("Red de Mediación", leader_p, "private").await;
        let r = leader
            .post_form(
                &format!("/c/{slug}/invitations"),
                &[("email", "nueva@example.org"), ("role", "co-leader")],
            )
            .await;
        assert_status(&r, 200);
        let mail = app
            .last_mail("nueva@example.org")
            .await
            .expect("an invitation e-mail");
        assert!(
            mail.subject.contains("Red de Mediación"),
            "{}",
            mail.subject
        );
        let link = link_path(&mail.body_text);
        assert!(link.starts_with("/invitations/"));

        let (users, people) = (app.count("users").await, app.count("people").await);
        let c = app.client();
        let page = c.get(&link).await;
        assert_status(&page, 200);
        assert!(page.body.contains("Red de Mediación"));
        assert!(page.body.contains("nueva@example.org"));
        // Invalid input: the form again, nothing created.
        let r = c
            .post_form(
                &link,
                &[
                    ("display_name", ""),
                    ("password", "corta"),
                    ("confirm", "corta"),
                ],
            )
            .await;
        assert_status(&r, 422);
        assert!(r.body.contains("Este campo es obligatorio."));
        assert!(r.body.contains("al menos 10 caracteres"));
        assert_eq!(app.count("users").await, users);
        assert_eq!(app.count("people").await, people);

        let r = c
            .post_form(
                &link,
                &[
                    ("display_name", "Nueva Persona"),
                    ("password", "una contraseña larga"),
                    ("confirm", "una contraseña larga"),
                ],
            )
            .await;
        assert_redirect(&r, &format!("/c/{slug}"));
        assert!(set_cookie(&r, SESSION_COOKIE).is_some(), "signed in");
        assert_eq!(app.count("users").await, users + 1);
        assert_eq!(app.count("people").await, people + 1);
        let pid = scalar(
            &app,
            "SELECT person_id FROM users WHERE email = 'nueva@example.org'",
        )
        .await;
        assert_eq!(app.count(&format!("community_people WHERE community_id = {cid} AND person_id = {pid} AND left_at IS NULL")).await, 1);
        assert_eq!(app.count(&format!("community_roles WHERE community_id = {cid} AND person_id = {pid} AND role = 'co-leader' AND ends_at IS NULL")).await, 1);
        assert_status(&c.get(&format!("/c/{slug}")).await, 200);
        let me = c.get("/api/v1/me").await.json();
        assert_eq!(me["email"], "nueva@example.org");

        // Single use.
        let other = app.client();
        assert_status(&other.get(&link).await, 404);
        let r = other
            .post_form(
                &link,
                &[
                    ("display_name", "Otra"),
                    ("password", "una contraseña larga"),
                    ("confirm", "una contraseña larga"),
                ],
            )
            .await;
        assert_status(&r, 404);
        assert_eq!(app.count("users").await, users + 1);
    }
);

both_backends!(
    invitation_for_an_existing_account_needs_that_account_signed_in,
    |app: TestApp| async move {
        let (_, leader_p) = app.user("lider@example.org", false).await;
        let (cid, slug) = app.community("Red Norte", leader_p, "private").await;
        let (admin, _, _) = app.signed_in("admin@example.org", true).await;
        let (_, pid) = app.user("ya@example.org", false).await;
        assert_status(
            &admin
                .post_form(
                    &format!("/c/{slug}/invitations"),
                    &[("email", "ya@example.org"), ("role", "member")],
                )
                .await,
            200,
        );
        let link = link_path(&app.last_mail("ya@example.org").await.unwrap().body_text);
        // Someone else (here: nobody signed in) is sent to sign in; nothing happens.
        let r = app.client().post_form(&link, &[]).await;
        assert_redirect(&r, &format!("/login?next={link}"));
        assert_eq!(
            app.count(&format!("community_people WHERE person_id = {pid}"))
                .await,
            0
        );
        let ya = app.client();
        assert_status(
            &ya.post_form(
                "/login",
                &[("email", "ya@example.org"), ("password", PASSWORD)],
            )
            .await,
            303,
        );
        assert_redirect(&ya.post_form(&link, &[]).await, &format!("/c/{slug}"));
        assert_eq!(app.count(&format!("community_people WHERE community_id = {cid} AND person_id = {pid} AND left_at IS NULL")).await, 1);
    }
);

both_backends!(personal_api_tokens, |app: TestApp| async move {
    let (c, uid, _) = app.signed_in("ines@example.org", false).await;
    // A name is required.
    let r = c.post_form("/account/tokens", &[("name", "  ")]).await;
    assert_status(&r, 422);
    assert!(r.body.contains("Este campo es obligatorio."));
    assert_eq!(app.count("api_tokens").await, 0);

    let r = c
        .post_form("/account/tokens", &[("name", "hoja de cálculo")])
        .await;
    assert_status(&r, 200);
    assert!(r.body.contains("Copia esta clave ahora"));
    let i = r.body.find("tjd_").expect("the new token is shown");
    let token: String = r.body[i..]
        .chars()
        .take_while(|ch| ch.is_ascii_alphanumeric() || *ch == '_')
        .collect();
    assert_eq!(token.len(), 4 + 64);
    // Shown once: not on the next visit, and stored only as a hash.
    let again = c.get("/account").await;
    assert!(again.body.contains("hoja de cálculo"));
    assert!(!again.body.contains(&token));
    assert_eq!(
        app.count(&format!("api_tokens WHERE token_hash = '{token}'"))
            .await,
        0
    );

    let bearer = format!("Bearer {token}");
    let api = app.client();
    let me = api
        .request(
            Method::GET,
            "/api/v1/me",
            None,
            vec![],
            &[("authorization", &bearer)],
        )
        .await;
    assert_status(&me, 200);
    assert_eq!(me.json()["email"], "ines@example.org");
    assert_eq!(me.json()["id"], uid);

    // Another user cannot revoke it: not found.
    let id = scalar(
        &app,
        &format!("SELECT id FROM api_tokens WHERE user_id = {uid}"),
    )
    .await;
    let (other, _, _) = app.signed_in("juan@example.org", false).await;
    assert_status(
        &other
            .post_form(&format!("/account/tokens/{id}/revoke"), &[])
            .await,
        404,
    );
    assert_status(
        &api.request(
            Method::GET,
            "/api/v1/me",
            None,
            vec![],
            &[("authorization", &bearer)],
        )
        .await,
        200,
    );
    assert_status(
        &c.post_form("/account/tokens/999999/revoke", &[]).await,
        404,
    );

    assert_redirect(
        &c.post_form(&format!("/account/tokens/{id}/revoke"), &[])
            .await,
        "/account",
    );
    let r = api
        .request(
            Method::GET,
            "/api/v1/me",
            None,
            vec![],
            &[("authorization", &bearer)],
        )
        .await;
    assert_status(&r, 401);
    assert_eq!(r.json()["error"], "error-unauthorized");
    // Revoking twice finds nothing to revoke.
    assert_status(
        &c.post_form(&format!("/account/tokens/{id}/revoke"), &[])
            .await,
        404,
    );
    assert!(c.get("/account").await.body.contains("Revocada"));
});
