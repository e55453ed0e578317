//! Discussions: route tests (both backends). Authorization of pages and API (outsider refused,
//! member allowed, manager-only moderation), mentions and subscriptions e-mailed through the
//! outbox to exactly the right people, the weekly digest (idempotent, opt-out respected), edit
//! history, hiding with the audit log and the search row removed, invalid input writing nothing.

use super::*;

struct Cast {
    slug: String,
    outsider: Client,
    leader: Client,
    leader_email: String,
    a: Client,
    a_email: String,
    b: Client,
    b_email: String,
}

async fn cast(app: &TestApp) -> Cast {
    let n = next_n();
    let (outsider, _, _) = app.signed_in(&format!("fuera{n}@example.org"), false).await;
    let leader_email = format!("lider{n}@example.org");
    let a_email = format!("ana{n}@example.org");
    let b_email = format!("beto{n}@example.org");
    let (leader, _, leader_p) = app.signed_in(&leader_email, false).await;
    let (a, _, a_p) = app.signed_in(&a_email, false).await;
    let (b, _, b_p) = app.signed_in(&b_email, false).await;
    let (cid, slug) = app
        .community(&format!("Red de Mediación {n}"), leader_p, "private")
        .await;
    app.add_member(cid, a_p, Role::Member).await;
    app.add_member(cid, b_p, Role::Member).await;
    Cast {
        slug,
        outsider,
        leader,
        leader_email,
        a,
        a_email,
        b,
        b_email,
    }
}

/// The handle of a test account (display name "Persona {email}").
fn handle(email: &str) -> String {
    format!(
        "@{}",
        tejido_core::discussions::slug_handle(&format!("Persona {email}"))
    )
}

async fn mails_to(app: &TestApp, to: &str) -> i64 {
    scalar(
        app,
        &format!("SELECT COUNT(*) FROM outbox WHERE to_addr = '{to}'"),
    )
    .await
}

async fn new_thread(w: &Cast, who: &Client, title: &str, body: &str) -> i64 {
    let r = who
        .post_form(
            &format!("/c/{}/discussions", w.slug),
            &[("title", title), ("body", body)],
        )
        .await;
    assert_status(&r, 303);
    r.location()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

async fn reply(w: &Cast, who: &Client, id: i64, body: &str) {
    let r = who
        .post_form(
            &format!("/c/{}/discussions/{id}/replies", w.slug),
            &[("body", body)],
        )
        .await;
    assert_status(&r, 303);
}

both_backends!(outsider_refused_member_allowed, |app: TestApp| async move {
    let w = cast(&app).await;
    let id = new_thread(
        &w,
        &w.a,
        "¿Quién tiene formatos de acuerdos?",
        "Los necesitamos",
    )
    .await;
    let s = &w.slug;
    // Outsiders: every page and API call refused, nothing written.
    for p in [
        format!("/c/{s}/discussions"),
        format!("/c/{s}/discussions/new"),
        format!("/c/{s}/discussions/{id}"),
        format!("/c/{s}/discussions/{id}/history"),
        format!("/api/v1/communities/{s}/discussions"),
        format!("/api/v1/communities/{s}/discussions/{id}"),
    ] {
        assert_status(&w.outsider.get(&p).await, 403);
    }
    let before = app.count("discussion_threads").await;
    let r = w
        .outsider
        .post_form(
            &format!("/c/{s}/discussions"),
            &[("title", "x"), ("body", "y")],
        )
        .await;
    assert_status(&r, 403);
    let r = w
        .outsider
        .post_form(
            &format!("/c/{s}/discussions/{id}/replies"),
            &[("body", "y")],
        )
        .await;
    assert_status(&r, 403);
    let csrf = w.outsider.csrf().await;
    let r = w
        .outsider
        .json(
            Method::POST,
            &format!("/api/v1/communities/{s}/discussions"),
            &json!({ "title": "x", "body": "y" }),
            &[("x-csrf-token", &csrf)],
        )
        .await;
    assert_status(&r, 403);
    let r = w
        .outsider
        .json(
            Method::POST,
            &format!("/api/v1/communities/{s}/discussions/{id}/replies"),
            &json!({ "body": "y" }),
            &[("x-csrf-token", &csrf)],
        )
        .await;
    assert_status(&r, 403);
    assert_eq!(app.count("discussion_threads").await, before);
    assert_eq!(app.count("discussion_replies").await, 0);
    // Anonymous visitors go to sign in.
    assert_to_login(&app.client().get(&format!("/c/{s}/discussions")).await);
    // Members read and post, through pages and the API.
    let r = w.b.get(&format!("/c/{s}/discussions")).await;
    assert_status(&r, 200);
    assert!(r.body.contains("¿Quién tiene formatos de acuerdos?"));
    let r = w.b.get(&format!("/c/{s}/discussions/{id}")).await;
    assert_status(&r, 200);
    assert!(r.body.contains("Los necesitamos"));
    let csrf = w.b.csrf().await;
    let r =
        w.b.json(
            Method::POST,
            &format!("/api/v1/communities/{s}/discussions/{id}/replies"),
            &json!({ "body": "Yo tengo unos de Oaxaca" }),
            &[("x-csrf-token", &csrf)],
        )
        .await;
    assert_status(&r, 201);
    let r =
        w.b.json(
            Method::POST,
            &format!("/api/v1/communities/{s}/discussions"),
            &json!({ "title": "Por API", "body": "Texto" }),
            &[("x-csrf-token", &csrf)],
        )
        .await;
    assert_status(&r, 201);
    let j =
        w.b.get(&format!("/api/v1/communities/{s}/discussions/{id}"))
            .await
            .json();
    assert_eq!(j["replies"]["total"], 1);
    assert_eq!(j["replies"]["items"][0]["body"], "Yo tengo unos de Oaxaca");
    let j =
        w.b.get(&format!("/api/v1/communities/{s}/discussions"))
            .await
            .json();
    assert_eq!(j["total"], 2);
    // Invalid input: 422, nothing written.
    let n = app.count("discussion_threads").await;
    let r =
        w.a.post_form(
            &format!("/c/{s}/discussions"),
            &[("title", " "), ("body", "")],
        )
        .await;
    assert_status(&r, 422);
    assert_eq!(app.count("discussion_threads").await, n);
    // The thread is searchable through its own row.
    assert_eq!(
        scalar(
            &app,
            &format!(
                "SELECT COUNT(*) FROM search_docs WHERE source = 'discussion' AND source_id = {id}"
            )
        )
        .await,
        1
    );
});

both_backends!(
    mention_mails_only_the_mentioned,
    |app: TestApp| async move {
        let w = cast(&app).await;
        // The form lists the handles.
        let r = w.a.get(&format!("/c/{}/discussions/new", w.slug)).await;
        assert_status(&r, 200);
        assert!(r.body.contains(&handle(&w.b_email)), "{}", r.body);
        let body = format!("Hola {}, ¿nos compartes la guía?", handle(&w.b_email));
        new_thread(&w, &w.a, "Guía de mediación", &body).await;
        assert_eq!(mails_to(&app, &w.b_email).await, 1);
        assert_eq!(mails_to(&app, &w.a_email).await, 0);
        assert_eq!(mails_to(&app, &w.leader_email).await, 0);
        let m = app.last_mail(&w.b_email).await.unwrap();
        assert!(m.body_text.contains("Guía de mediación"), "{}", m.body_text);
        assert!(link_path(&m.body_text).starts_with(&format!("/c/{}/discussions/", w.slug)));
    }
);

both_backends!(subscribers_mailed_per_reply, |app: TestApp| async move {
    let w = cast(&app).await;
    let id = new_thread(&w, &w.leader, "Próximo encuentro", "¿Qué temas llevamos?").await;
    // B follows by hand; the leader follows as author.
    let r =
        w.b.post_form(
            &format!("/c/{}/discussions/{id}/subscription", w.slug),
            &[("subscribe", "on")],
        )
        .await;
    assert_status(&r, 303);
    reply(&w, &w.a, id, "Propongo justicia restaurativa").await;
    assert_eq!(mails_to(&app, &w.leader_email).await, 1);
    assert_eq!(mails_to(&app, &w.b_email).await, 1);
    assert_eq!(mails_to(&app, &w.a_email).await, 0);
    let m = app.last_mail(&w.b_email).await.unwrap();
    assert!(m.body_text.contains("Propongo justicia restaurativa"));
    // A replied, so A follows now; B stops following.
    let r =
        w.b.post_form(
            &format!("/c/{}/discussions/{id}/subscription", w.slug),
            &[("subscribe", "off")],
        )
        .await;
    assert_status(&r, 303);
    reply(&w, &w.leader, id, "De acuerdo").await;
    assert_eq!(mails_to(&app, &w.a_email).await, 1);
    assert_eq!(mails_to(&app, &w.b_email).await, 1);
    assert_eq!(mails_to(&app, &w.leader_email).await, 1);
});

both_backends!(
    digest_weekly_idempotent_opt_out,
    |app: TestApp| async move {
        let w = cast(&app).await;
        // B opts out on the digest page.
        let r = w.b.get("/discussions/digest").await;
        assert_status(&r, 200);
        let r = w.b.post_form("/discussions/digest", &[]).await;
        assert_redirect(&r, "/discussions/digest?saved=1");
        new_thread(&w, &w.leader, "Agenda de diciembre", "Ideas").await;
        let t0 = chrono::Utc::now() + chrono::Duration::minutes(1);
        let sent = tejido_web::features::discussions::digest_pass(&app.state, t0)
            .await
            .unwrap();
        assert_eq!(sent, 2);
        for e in [&w.leader_email, &w.a_email] {
            assert_eq!(mails_to(&app, e).await, 1, "{e}");
        }
        assert_eq!(mails_to(&app, &w.b_email).await, 0);
        let m = app.last_mail(&w.a_email).await.unwrap();
        assert!(m.body_text.contains("Agenda de diciembre"));
        assert!(m.body_text.contains("/discussions/digest"));
        // Same moment again, or three days later: nothing new.
        for t in [t0, t0 + chrono::Duration::days(3)] {
            let sent = tejido_web::features::discussions::digest_pass(&app.state, t)
                .await
                .unwrap();
            assert_eq!(sent, 0);
        }
        // A week later with no activity: nothing either.
        let sent = tejido_web::features::discussions::digest_pass(
            &app.state,
            t0 + chrono::Duration::days(8),
        )
        .await
        .unwrap();
        assert_eq!(sent, 0);
        assert_eq!(mails_to(&app, &w.a_email).await, 1);
        assert_eq!(mails_to(&app, &w.b_email).await, 0);
    }
);

both_backends!(edit_history_kept, |app: TestApp| async move {
    let w = cast(&app).await;
    let s = w.slug.clone();
    let id = new_thread(&w, &w.a, "Primer título", "Primera versión del texto").await;
    // Another member may not edit.
    let r =
        w.b.post_form(
            &format!("/c/{s}/discussions/{id}/edit"),
            &[("title", "Robado"), ("body", "x")],
        )
        .await;
    assert_status(&r, 403);
    for (t, b) in [
        ("Segundo título", "Segunda versión"),
        ("Tercer título", "Tercera versión"),
    ] {
        let r =
            w.a.post_form(
                &format!("/c/{s}/discussions/{id}/edit"),
                &[("title", t), ("body", b)],
            )
            .await;
        assert_redirect(&r, &format!("/c/{s}/discussions/{id}"));
    }
    assert_eq!(app.count("discussion_edits").await, 2);
    let r = w.b.get(&format!("/c/{s}/discussions/{id}/history")).await;
    assert_status(&r, 200);
    assert!(r.body.contains("Primera versión del texto"));
    assert!(r.body.contains("Segunda versión"));
    let r = w.b.get(&format!("/c/{s}/discussions/{id}")).await;
    assert!(r.body.contains("Tercera versión"));
    // Reply edits keep the previous text too.
    reply(&w, &w.b, id, "Respuesta original").await;
    let rid = scalar(&app, "SELECT MAX(id) FROM discussion_replies").await;
    let r =
        w.b.post_form(
            &format!("/c/{s}/discussions/{id}/replies/{rid}/edit"),
            &[("body", "Respuesta corregida")],
        )
        .await;
    assert_status(&r, 303);
    let r = w.a.get(&format!("/c/{s}/discussions/{id}/history")).await;
    assert!(r.body.contains("Respuesta original"));
    assert_eq!(app.count("discussion_edits").await, 3);
});

both_backends!(hide_by_manager_audited, |app: TestApp| async move {
    let w = cast(&app).await;
    let s = w.slug.clone();
    let id = new_thread(&w, &w.a, "Tema delicado", "Texto con datos personales").await;
    let audits = "SELECT COUNT(*) FROM audit_log WHERE action = 'discussion-thread-hidden'";
    // A plain member may not hide.
    let r =
        w.b.post_form(
            &format!("/c/{s}/discussions/{id}/hide"),
            &[("reason", "no me gusta")],
        )
        .await;
    assert_status(&r, 403);
    assert_eq!(scalar(&app, audits).await, 0);
    // The manager needs a reason.
    let r = w
        .leader
        .post_form(&format!("/c/{s}/discussions/{id}/hide"), &[("reason", " ")])
        .await;
    assert_status(&r, 422);
    assert_eq!(scalar(&app, audits).await, 0);
    let r = w
        .leader
        .post_form(
            &format!("/c/{s}/discussions/{id}/hide"),
            &[("reason", "Contiene datos personales")],
        )
        .await;
    assert_status(&r, 303);
    assert_eq!(scalar(&app, audits).await, 1);
    // Members see the reason, not the text; the manager sees both.
    let r = w.b.get(&format!("/c/{s}/discussions/{id}")).await;
    assert_status(&r, 200);
    assert!(r
        .body
        .contains("Ocultado por moderación: Contiene datos personales"));
    assert!(!r.body.contains("Texto con datos personales"));
    let j =
        w.b.get(&format!("/api/v1/communities/{s}/discussions/{id}"))
            .await
            .json();
    assert_eq!(j["hidden"], true);
    assert!(j["body"].is_null());
    let r = w.leader.get(&format!("/c/{s}/discussions/{id}")).await;
    assert!(r.body.contains("Texto con datos personales"));
    // Not searchable any more; no replies from members.
    assert_eq!(
        scalar(
            &app,
            &format!(
                "SELECT COUNT(*) FROM search_docs WHERE source = 'discussion' AND source_id = {id}"
            )
        )
        .await,
        0
    );
    let r =
        w.b.post_form(
            &format!("/c/{s}/discussions/{id}/replies"),
            &[("body", "x")],
        )
        .await;
    assert_status(&r, 403);
    // Replies: hidden by the manager, shown as hidden to members.
    let id2 = new_thread(&w, &w.a, "Otro tema", "Texto").await;
    reply(&w, &w.b, id2, "Comentario fuera de lugar").await;
    let rid = scalar(&app, "SELECT MAX(id) FROM discussion_replies").await;
    let r =
        w.a.post_form(
            &format!("/c/{s}/discussions/{id2}/replies/{rid}/hide"),
            &[("reason", "x")],
        )
        .await;
    assert_status(&r, 403);
    let r = w
        .leader
        .post_form(
            &format!("/c/{s}/discussions/{id2}/replies/{rid}/hide"),
            &[("reason", "Fuera de tema")],
        )
        .await;
    assert_status(&r, 303);
    let r = w.a.get(&format!("/c/{s}/discussions/{id2}")).await;
    assert!(r.body.contains("Ocultado por moderación: Fuera de tema"));
    assert!(!r.body.contains("Comentario fuera de lugar"));
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'discussion-reply-hidden'"
        )
        .await,
        1
    );
});
