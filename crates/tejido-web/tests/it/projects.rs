//! Joint projects and alliances: route tests (both backends). Authorization route by route
//! (pages and API), the ties a project adds to the Local System map (the right pairs, the right
//! kind and source, once), partners with their role, validation that saves nothing, and the
//! report engineer's `in_period`.

use super::outcomes::{cast, Cast, JUSTICE};
use super::*;

/// A member organization of the community.
async fn member_org(app: &TestApp, cid: i64, name: &str) -> i64 {
    let id = app.organization(&format!("{name} {}", next_n())).await;
    let mut tx = app.db.begin().await.unwrap();
    tejido_db::communities::add_organization(&mut tx, cid, id, None)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    id
}

async fn new_project(w: &Cast, by: &Client, kind: &str, members: &[i64], ties: bool) -> i64 {
    let ids: Vec<String> = members.iter().map(i64::to_string).collect();
    let mut f = vec![
        ("title", "Mediación escolar en Oaxaca"),
        ("kind", kind),
        ("status", "under-way"),
        ("theme", JUSTICE),
        ("states", "20"),
        ("states", "07"),
        ("municipality", "Oaxaca de Juárez"),
        ("starts_on", "2026-02-01"),
    ];
    for i in &ids {
        f.push(("members", i.as_str()));
    }
    if ties {
        f.push(("add_ties", "on"));
    }
    let r = by.post_form(&format!("/c/{}/projects", w.slug), &f).await;
    assert_status(&r, 303);
    r.location()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

/// The community's ties as (from, to, kind, source, via_community), sorted.
async fn ties(app: &TestApp, cid: i64) -> Vec<(i64, i64, String, String, bool)> {
    let sql = format!(
        "SELECT from_org, to_org, kind, source, via_community FROM network_ties WHERE community_id = {cid} ORDER BY from_org, to_org, kind"
    );
    match &app.db {
        Db::Sqlite(p) => sqlx::query_as(&sql).fetch_all(p).await.unwrap(),
        Db::Postgres(p) => sqlx::query_as(&sql).fetch_all(p).await.unwrap(),
    }
}

pub(crate) const ROUTES: &[(&str, &str, u16, u16)] = &[
    ("GET", "/c/{slug}/projects", 200, 200),
    ("POST", "/c/{slug}/projects", 303, 303),
    ("GET", "/c/{slug}/projects/new", 200, 200),
    ("GET", "/c/{slug}/projects/{id}", 200, 200),
    ("GET", "/c/{slug}/projects/{id}/edit", 403, 200),
    ("POST", "/c/{slug}/projects/{id}/edit", 403, 303),
    ("POST", "/c/{slug}/projects/{id}/partners", 403, 303),
    (
        "GET",
        "/c/{slug}/projects/{id}/partners/{org}/remove",
        403,
        200,
    ),
    (
        "POST",
        "/c/{slug}/projects/{id}/partners/{org}/remove",
        403,
        303,
    ),
    ("GET", "/c/{slug}/projects/{id}/delete", 403, 200),
    ("POST", "/c/{slug}/projects/{id}/delete", 403, 303),
];

#[test]
fn every_projects_route_is_in_the_table() {
    let table: Vec<_> = ROUTES.iter().map(|(m, p, _, _)| (*m, *p)).collect();
    assert_pages_listed("projects", &table, |_| false);
}

async fn counts(app: &TestApp) -> [i64; 3] {
    [
        app.count("projects").await,
        app.count("project_organizations").await,
        app.count("network_ties").await,
    ]
}

both_backends!(authorization_route_by_route, |app: TestApp| async move {
    let w = cast(&app).await;
    let a = member_org(&app, w.cid, "Colectivo").await;
    let gov = app.organization(&format!("Fiscalía {}", next_n())).await;
    let anon = app.client();
    for (method, tpl, member_st, leader_st) in ROUTES {
        let id = new_project(&w, &w.leader, "joint-project", &[a], false).await;
        // Each route gets its own partner to remove.
        let partner = app.organization(&format!("Donante {}", next_n())).await;
        let mut tx = app.db.begin().await.unwrap();
        tejido_db::projects::add_partner(&mut tx, id, partner, "Financiamiento")
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let path = tpl
            .replace("{slug}", &w.slug)
            .replace("{id}", &id.to_string())
            .replace("{org}", &partner.to_string());
        let govs = gov.to_string();
        let body: Vec<(&str, &str)> = if path.ends_with("/partners") {
            vec![("organization", govs.as_str()), ("role", "Contraparte")]
        } else {
            vec![
                ("title", "Otro proyecto"),
                ("kind", "alliance"),
                ("status", "idea"),
            ]
        };
        if *method == "GET" {
            assert_to_login(&anon.get(&path).await);
            assert_status(&w.outsider.get(&path).await, 403);
            assert_status(&w.member.get(&path).await, *member_st);
            assert_status(&w.leader.get(&path).await, *leader_st);
        } else {
            let before = counts(&app).await;
            assert_to_login(&anon.post_form(&path, &body).await);
            assert_status(&w.outsider.post_form(&path, &body).await, 403);
            assert_status(&w.leader.post_raw(&path, &body).await, 403);
            assert_eq!(
                before,
                counts(&app).await,
                "{path}: a refused request wrote"
            );
            assert_status(&w.member.post_form(&path, &body).await, *member_st);
            if *member_st == 403 {
                assert_eq!(before, counts(&app).await, "{path}: member wrote");
            }
            assert_status(&w.leader.post_form(&path, &body).await, *leader_st);
        }
    }
    let id = new_project(&w, &w.leader, "joint-project", &[a], false).await;
    let api = format!("/api/v1/communities/{}/projects", w.slug);
    let one = format!("{api}/{id}");
    assert_status(&anon.get(&api).await, 401);
    assert_status(&w.outsider.get(&api).await, 403);
    assert_status(&w.outsider.get(&one).await, 403);
    assert_status(&w.member.get(&one).await, 200);
    let csrf = w.member.csrf().await;
    let body = json!({ "title": "Alianza por la paz", "kind": "alliance", "status": "design", "members": [a] });
    let r = w
        .member
        .json(Method::POST, &api, &body, &[("X-CSRF-Token", &csrf)])
        .await;
    assert_status(&r, 201);
    for (m, path) in [
        (Method::PUT, one.clone()),
        (Method::POST, format!("{one}/partners")),
        (Method::DELETE, one.clone()),
    ] {
        let r = w
            .member
            .json(
                m,
                &path,
                &json!({ "organization": gov, "role": "x" }),
                &[("X-CSRF-Token", &csrf)],
            )
            .await;
        assert_status(&r, 403);
    }
    let lcsrf = w.leader.csrf().await;
    let r = w
        .leader
        .json(
            Method::POST,
            &format!("{one}/partners"),
            &json!({ "organization": gov, "role": "Contraparte de gobierno" }),
            &[("X-CSRF-Token", &lcsrf)],
        )
        .await;
    assert_status(&r, 201);
    assert_eq!(r.json()["partners"][0]["role"], "Contraparte de gobierno");
    let r = w
        .leader
        .json(
            Method::DELETE,
            &one,
            &json!({}),
            &[("X-CSRF-Token", &lcsrf)],
        )
        .await;
    assert_status(&r, 204);
});

both_backends!(project_ties_are_added_once, |app: TestApp| async move {
    let w = cast(&app).await;
    let a = member_org(&app, w.cid, "Colectivo A").await;
    let b = member_org(&app, w.cid, "Colectivo B").await;
    let c = member_org(&app, w.cid, "Colectivo C").await;
    // A and B already collaborate (entered by a member, the other way round).
    let tie = tejido_core::network::TieInput {
        from: b,
        to: a,
        kind: tejido_core::network::TieKind::Collaboration,
        strength: 3,
        trust: None,
        value: None,
        started_on: chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
        ended_on: None,
        via_community: false,
    };
    let mut tx = app.db.begin().await.unwrap();
    tejido_db::network::insert_ties(
        &mut tx,
        w.cid,
        &[tie],
        tejido_core::network::TieSource::Member,
        None,
        None,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let jp = "joint-project".to_owned();
    let src = "joint-project".to_owned();
    let coll = "collaboration".to_owned();
    // A project of A, B and C with ties: only A–C and B–C are new.
    let id = new_project(&w, &w.member, "joint-project", &[a, b, c], true).await;
    let mut expected = vec![
        (b.min(a), b.max(a), coll.clone(), "member".to_owned(), false),
        (a.min(c), a.max(c), coll.clone(), src.clone(), true),
        (b.min(c), b.max(c), coll.clone(), src.clone(), true),
    ];
    expected.sort();
    let mut got = ties(&app, w.cid).await;
    for t in &mut got {
        if t.3 == "member" {
            // The member's tie was stored as entered (B → A); compare as a pair.
            *t = (t.0.min(t.1), t.0.max(t.1), t.2.clone(), t.3.clone(), t.4);
        }
    }
    got.sort();
    assert_eq!(got, expected);
    // Saving it again with the box checked adds nothing.
    let edit = format!("/c/{}/projects/{id}/edit", w.slug);
    let (as_, bs, cs) = (a.to_string(), b.to_string(), c.to_string());
    let r = w
        .leader
        .post_form(
            &edit,
            &[
                ("title", "Mediación escolar"),
                ("kind", &jp),
                ("status", "under-way"),
                ("states", "20"),
                ("states", "07"),
                ("members", &as_),
                ("members", &bs),
                ("members", &cs),
                ("add_ties", "on"),
            ],
        )
        .await;
    assert_status(&r, 303);
    assert_eq!(ties(&app, w.cid).await.len(), 3);
    // A government partner with ties: one to each of A, B and C.
    let gov = org_with(
        &app,
        &format!("Fiscalía General {}", next_n()),
        "government",
        "20",
    )
    .await;
    let r = w
        .leader
        .post_form(
            &format!("/c/{}/projects/{id}/partners", w.slug),
            &[
                ("organization", &gov.to_string()),
                ("role", "Contraparte de gobierno"),
                ("add_ties", "on"),
            ],
        )
        .await;
    assert_status(&r, 303);
    let with_gov = scalar(
        &app,
        &format!(
            "SELECT COUNT(*) FROM network_ties WHERE community_id = {} AND (from_org = {gov} OR to_org = {gov}) AND source = 'joint-project' AND kind = 'collaboration'",
            w.cid
        ),
    )
    .await;
    assert_eq!(with_gov, 3);
    // The same partner again: refused (422), nothing written.
    let before = counts(&app).await;
    let r = w
        .leader
        .post_form(
            &format!("/c/{}/projects/{id}/partners", w.slug),
            &[
                ("organization", &gov.to_string()),
                ("role", "Otra vez"),
                ("add_ties", "on"),
            ],
        )
        .await;
    assert_status(&r, 422);
    assert!(r.body.contains("ya forma parte del proyecto"));
    assert_eq!(before, counts(&app).await);
    // A donor without the box: no tie.
    let donor = org_with(&app, &format!("Fundación {}", next_n()), "donor", "09").await;
    let r = w
        .leader
        .post_form(
            &format!("/c/{}/projects/{id}/partners", w.slug),
            &[
                ("organization", &donor.to_string()),
                ("role", "Financiamiento"),
            ],
        )
        .await;
    assert_status(&r, 303);
    assert_eq!(ties(&app, w.cid).await.len(), 6);
    // An alliance adds alliance ties (a different kind, so A–B gets one too).
    new_project(&w, &w.leader, "alliance", &[a, b], true).await;
    assert_eq!(
        scalar(
            &app,
            &format!(
                "SELECT COUNT(*) FROM network_ties WHERE community_id = {} AND kind = 'alliance' AND via_community = TRUE",
                w.cid
            )
        )
        .await,
        1
    );
    // The page shows the partner with its role; the report reads the project with its partners.
    let page = w.member.get(&format!("/c/{}/projects/{id}", w.slug)).await;
    assert!(page.body.contains("Contraparte de gobierno"));
    assert!(page.body.contains("Oaxaca, Chiapas") || page.body.contains("Chiapas, Oaxaca"));
    let rows = tejido_db::projects::in_period(
        &app.db,
        w.cid,
        chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        chrono::NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
    )
    .await
    .unwrap();
    let row = rows.iter().find(|r| r.project.id == id).unwrap();
    assert_eq!((row.members.len(), row.partners.len()), (3, 2));
});

both_backends!(invalid_project_saves_nothing, |app: TestApp| async move {
    let w = cast(&app).await;
    let outsider_org = app.organization(&format!("Ajena {}", next_n())).await;
    let before = counts(&app).await;
    let path = format!("/c/{}/projects", w.slug);
    let r = w
        .member
        .post_form(
            &path,
            &[
                ("title", ""),
                ("kind", "joint-project"),
                ("status", "under-way"),
                ("states", "99"),
                ("starts_on", "2026-05-01"),
                ("ends_on", "2026-04-01"),
                ("add_ties", "on"),
            ],
        )
        .await;
    assert_status(&r, 422);
    assert!(r
        .body
        .contains("La fecha de término no puede ser anterior a la de inicio."));
    let r = english(w.member.clone())
        .post_form(
            &path,
            &[
                ("title", "X"),
                ("kind", "joint-project"),
                ("status", "idea"),
                ("starts_on", "2026-05-01"),
                ("ends_on", "2026-04-01"),
            ],
        )
        .await;
    assert_status(&r, 422);
    assert!(r
        .body
        .contains("The end date cannot be before the start date."));
    // An organization that is not a member of the community cannot be a member of its project.
    let r = w
        .member
        .post_form(
            &path,
            &[
                ("title", "X"),
                ("kind", "joint-project"),
                ("status", "idea"),
                ("members", &outsider_org.to_string()),
                ("add_ties", "on"),
            ],
        )
        .await;
    assert_status(&r, 422);
    assert_eq!(before, counts(&app).await);
});
