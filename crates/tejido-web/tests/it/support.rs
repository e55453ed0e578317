//! Support: route tests (both backends). Asks seen only in their communities (pages, lists, API),
//! matching that picks the fitting organization and never the asker's, invitations e-mailed to
//! the matched organization's members only, closing as resolved writing exactly one peer-help
//! tie, withdrawing writing none, offers editable only by their organization, invalid input
//! writing nothing.

use super::*;

struct Cast {
    cid: i64,
    /// The asker, of the asking organization, member of the community.
    asker: Client,
    asker_org: i64,
    /// A member whose organization offers mediation.
    helper: Client,
    helper_email: String,
    helper_org: i64,
    /// A member whose organization does something else.
    other: Client,
    other_email: String,
    /// Signed in, with an organization, not in the community.
    outsider: Client,
}

async fn org_full(app: &TestApp, name: &str, themes: &str, expertise: &str) -> i64 {
    let input = tejido_core::directory::OrganizationForm {
        name: name.into(),
        kind: "cso".into(),
        state_code: "20".into(),
        themes: themes.into(),
        expertise: expertise.into(),
        ..Default::default()
    }
    .parse()
    .unwrap();
    let mut tx = app.db.begin().await.unwrap();
    let id = tejido_db::directory::insert_organization(&mut tx, &input)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    id
}

async fn join(app: &TestApp, cid: i64, org: i64, person: i64) {
    exec(
        app,
        &format!("UPDATE people SET organization_id = {org} WHERE id = {person}"),
    )
    .await
    .unwrap();
    let mut tx = app.db.begin().await.unwrap();
    tejido_db::communities::add_organization(&mut tx, cid, org, None)
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

async fn cast(app: &TestApp) -> Cast {
    let n = next_n();
    let (asker, _, asker_p) = app.signed_in(&format!("pide{n}@example.org"), false).await;
    let helper_email = format!("ayuda{n}@example.org");
    let (helper, _, helper_p) = app.signed_in(&helper_email, false).await;
    let other_email = format!("otra{n}@example.org");
    let (other, _, other_p) = app.signed_in(&other_email, false).await;
    let (outsider, _, outsider_p) = app.signed_in(&format!("fuera{n}@example.org"), false).await;
    let (cid, _) = app
        .community(&format!("Red de Justicia {n}"), asker_p, "private")
        .await;
    app.add_member(cid, helper_p, Role::Member).await;
    app.add_member(cid, other_p, Role::Member).await;
    // The asker's own organization also does mediation: it must never match itself.
    let asker_org = org_full(
        app,
        &format!("Colectivo Pide {n}"),
        "Mediación",
        "Mediación comunitaria",
    )
    .await;
    let helper_org = org_full(
        app,
        &format!("Centro de Mediación {n}"),
        "Justicia",
        "Facilitación de diálogos",
    )
    .await;
    let other_org = org_full(
        app,
        &format!("Clínica Comunitaria {n}"),
        "Salud",
        "Salud materna",
    )
    .await;
    let outsider_org = org_full(
        app,
        &format!("Mediadores Externos {n}"),
        "Mediación",
        "Mediación penal",
    )
    .await;
    join(app, cid, asker_org, asker_p).await;
    join(app, cid, helper_org, helper_p).await;
    join(app, cid, other_org, other_p).await;
    exec(
        app,
        &format!("UPDATE people SET organization_id = {outsider_org} WHERE id = {outsider_p}"),
    )
    .await
    .unwrap();
    // The helper's offer names the theme.
    let r = helper
        .post_form(
            "/support/offers",
            &[
                ("title", "Acompañamiento en mediación penal"),
                (
                    "description",
                    "Sesiones de mediación entre víctimas y personas imputadas",
                ),
                ("themes", "Mediación, Justicia restaurativa"),
            ],
        )
        .await;
    assert_redirect(&r, "/support/offers");
    Cast {
        cid,
        asker,
        asker_org,
        helper,
        helper_email,
        helper_org,
        other,
        other_email,
        outsider,
    }
}

async fn ask(w: &Cast) -> i64 {
    let cid = w.cid.to_string();
    let r = w
        .asker
        .post_form(
            "/support/asks",
            &[
                ("title", "Necesitamos apoyo en mediación penal"),
                (
                    "need",
                    "Un caso de **mediación** en Juchitán; buscamos acompañamiento.",
                ),
                ("theme", "mediacion"),
                ("urgency", "high"),
                ("deadline", ""),
                ("communities", &cid),
            ],
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

both_backends!(
    matching_invites_the_fitting_org,
    |app: TestApp| async move {
        let w = cast(&app).await;
        let id = ask(&w).await;
        let rows: Vec<i64> = match &app.db {
            Db::Sqlite(p) => sqlx::query_scalar(
                "SELECT organization_id FROM support_matches ORDER BY score DESC",
            )
            .fetch_all(p)
            .await
            .unwrap(),
            Db::Postgres(p) => sqlx::query_scalar(
                "SELECT organization_id FROM support_matches ORDER BY score DESC",
            )
            .fetch_all(p)
            .await
            .unwrap(),
        };
        assert_eq!(
            rows,
            vec![w.helper_org],
            "only the helper fits; never the asker"
        );
        assert!(!rows.contains(&w.asker_org));
        // The helper's member is invited; nobody else.
        let m = app.last_mail(&w.helper_email).await.unwrap();
        assert_eq!(link_path(&m.body_text), format!("/support/asks/{id}"));
        assert!(app.last_mail(&w.other_email).await.is_none());
        // The page shows the match and why.
        let r = w.asker.get(&format!("/support/asks/{id}")).await;
        assert_status(&r, 200);
        assert!(r.body.contains("Centro de Mediación"));
        assert!(
            r.body.contains("Tiene una oferta sobre «Mediación»"),
            "{}",
            r.body
        );
        // The API too.
        let j = w
            .helper
            .get(&format!("/api/v1/support/asks/{id}"))
            .await
            .json();
        assert_eq!(j["matches"][0]["organization_id"], w.helper_org);
        assert_eq!(j["matches"][0]["reasons"][0]["kind"], "offer-theme");
        // Invalid input: 422, nothing written; a community not theirs is refused.
        let n = app.count("support_asks").await;
        let r = w
            .asker
            .post_form(
                "/support/asks",
                &[("title", ""), ("need", ""), ("urgency", "urgentisimo")],
            )
            .await;
        assert_status(&r, 422);
        let r = w
            .outsider
            .post_form(
                "/support/asks",
                &[
                    ("title", "Colarse"),
                    ("need", "x"),
                    ("theme", "x"),
                    ("urgency", "low"),
                    ("communities", &w.cid.to_string()),
                ],
            )
            .await;
        assert_status(&r, 422);
        assert_eq!(app.count("support_asks").await, n);
    }
);

both_backends!(
    asks_only_seen_in_their_communities,
    |app: TestApp| async move {
        let w = cast(&app).await;
        let id = ask(&w).await;
        // The outsider: no page, no answer, not in lists, not in the API.
        assert_status(&w.outsider.get(&format!("/support/asks/{id}")).await, 403);
        assert_status(
            &w.outsider.get(&format!("/api/v1/support/asks/{id}")).await,
            403,
        );
        let r = w
            .outsider
            .post_form(&format!("/support/asks/{id}/answers"), &[("body", "Hola")])
            .await;
        assert_status(&r, 403);
        let r = w.outsider.get("/support").await;
        assert_status(&r, 200);
        assert!(!r.body.contains("Necesitamos apoyo en mediación penal"));
        let j = w.outsider.get("/api/v1/support/asks").await.json();
        assert_eq!(j["total"], 0);
        assert_to_login(&app.client().get("/support").await);
        // Members see it and answer.
        let r = w
            .other
            .get("/support?state=open&theme=Mediaci%C3%B3n")
            .await;
        assert_status(&r, 200);
        assert!(r.body.contains("Necesitamos apoyo en mediación penal"));
        let j = w.other.get("/api/v1/support/asks").await.json();
        assert_eq!(j["total"], 1);
        let r = w
            .helper
            .post_form(
                &format!("/support/asks/{id}/answers"),
                &[("body", "Con gusto les acompañamos")],
            )
            .await;
        assert_status(&r, 303);
        let r = w.asker.get(&format!("/support/asks/{id}")).await;
        assert!(r.body.contains("Con gusto les acompañamos"));
        assert_eq!(app.count("support_answers").await, 1);
    }
);

both_backends!(
    resolving_writes_one_peer_help_tie,
    |app: TestApp| async move {
        let w = cast(&app).await;
        let id = ask(&w).await;
        let helper = w.helper_org.to_string();
        let ties =
            "SELECT COUNT(*) FROM network_ties WHERE kind = 'peer-help' AND source = 'peer-help'";
        // Only the asker (or an admin) closes.
        let r = w
            .helper
            .post_form(
                &format!("/support/asks/{id}/close"),
                &[("outcome", "resolved"), ("helpers", &helper)],
            )
            .await;
        assert_status(&r, 403);
        // Resolved needs a helper; the asker's own organization is not one.
        let r = w
            .asker
            .post_form(
                &format!("/support/asks/{id}/close"),
                &[("outcome", "resolved")],
            )
            .await;
        assert_status(&r, 422);
        let r = w
            .asker
            .post_form(
                &format!("/support/asks/{id}/close"),
                &[
                    ("outcome", "resolved"),
                    ("helpers", &w.asker_org.to_string()),
                ],
            )
            .await;
        assert_status(&r, 422);
        assert_eq!(scalar(&app, ties).await, 0);
        let r = w
            .asker
            .post_form(
                &format!("/support/asks/{id}/close"),
                &[("outcome", "resolved"), ("helpers", &helper)],
            )
            .await;
        assert_redirect(&r, &format!("/support/asks/{id}"));
        assert_eq!(scalar(&app, ties).await, 1);
        assert_eq!(
        scalar(
            &app,
            &format!(
                "SELECT COUNT(*) FROM network_ties WHERE from_org = {} AND to_org = {} AND community_id = {} AND via_community = TRUE",
                w.helper_org, w.asker_org, w.cid
            )
        )
        .await,
        1
    );
        // Closing again changes nothing.
        let r = w
            .asker
            .post_form(
                &format!("/support/asks/{id}/close"),
                &[("outcome", "resolved"), ("helpers", &helper)],
            )
            .await;
        assert_status(&r, 422);
        assert_eq!(scalar(&app, ties).await, 1);
        let j = w
            .asker
            .get(&format!("/api/v1/support/asks/{id}"))
            .await
            .json();
        assert_eq!(j["status"], "resolved");
        assert_eq!(j["helpers"][0]["id"], w.helper_org);
        // Withdrawing another ask writes no tie.
        let id2 = ask(&w).await;
        let r = w
            .asker
            .post_form(
                &format!("/support/asks/{id2}/close"),
                &[("outcome", "withdrawn")],
            )
            .await;
        assert_status(&r, 303);
        assert_eq!(scalar(&app, ties).await, 1);
        let r = w.asker.get("/support?state=closed").await;
        assert!(r.body.contains("Retirada"));
    }
);

both_backends!(
    offers_belong_to_their_organization,
    |app: TestApp| async move {
        let w = cast(&app).await;
        let oid = scalar(&app, "SELECT MAX(id) FROM support_offers").await;
        let r = w.helper.get("/support/offers").await;
        assert_status(&r, 200);
        assert!(r.body.contains("Acompañamiento en mediación penal"));
        // Another organization's member may not edit it.
        let r = w
            .other
            .post_form(
                &format!("/support/offers/{oid}/edit"),
                &[("title", "Robada"), ("description", "x")],
            )
            .await;
        assert_status(&r, 403);
        assert_status(
            &w.other.get(&format!("/support/offers/{oid}/edit")).await,
            403,
        );
        let r = w
            .helper
            .post_form(
                &format!("/support/offers/{oid}/edit"),
                &[
                    ("title", "Mediación penal y comunitaria"),
                    ("description", "Sesiones"),
                    ("themes", "Mediación"),
                ],
            )
            .await;
        assert_redirect(&r, "/support/offers");
        let r = w
            .helper
            .post_form("/support/offers", &[("title", ""), ("description", "")])
            .await;
        assert_status(&r, 422);
        assert_eq!(app.count("support_offers").await, 1);
        // The API: list and create.
        let j = w.helper.get("/api/v1/support/offers").await.json();
        assert_eq!(j["items"][0]["title"], "Mediación penal y comunitaria");
        let token = w.other.csrf().await;
        let r = w
        .other
        .json(
            Method::POST,
            "/api/v1/support/offers",
            &json!({ "title": "Talleres de salud", "description": "Para promotoras", "themes": "Salud" }),
            &[("x-csrf-token", &token)],
        )
        .await;
        assert_status(&r, 201);
        assert_eq!(app.count("support_offers").await, 2);
    }
);
