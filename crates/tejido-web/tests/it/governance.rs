//! Governance: goals and objectives with status history, the phase and its conditions computed
//! from data, the six steps checklist, and the same in the JSON API — with authorization on
//! every route.

use super::*;

struct Cast {
    slug: String,
    cid: i64,
    outsider: Client,
    member: Client,
    leader: Client,
    leader_p: i64,
    admin: Client,
}

async fn cast(app: &TestApp) -> Cast {
    let (outsider, _, _) = app.signed_in("fuera@example.org", false).await;
    let (member, _, member_p) = app.signed_in("integrante@example.org", false).await;
    let (leader, _, leader_p) = app.signed_in("lider@example.org", false).await;
    let (admin, _, _) = app.signed_in("admin@example.org", true).await;
    let (cid, slug) = app.community("Red de Mediación", leader_p, "private").await;
    app.add_member(cid, member_p, Role::Member).await;
    Cast {
        slug,
        cid,
        outsider,
        member,
        leader,
        leader_p,
        admin,
    }
}

async fn post(c: &Client, path: &str, fields: &[(&str, &str)]) -> Resp {
    c.post_form(path, fields).await
}

const GOAL: &[(&str, &str)] = &[
    ("title", "Fortalecer la mediación comunitaria"),
    ("horizon", "short"),
];
const OBJECTIVE: &[(&str, &str)] = &[
    ("title", "Formar mediadoras"),
    ("indicator", "Personas formadas"),
    ("target", "40"),
    ("due_on", "2027-06-30"),
];
const PHASE: &[(&str, &str)] = &[
    ("title", "Pasamos a codirigir la comunidad"),
    ("decided_on", "2026-11-20"),
    ("method", "vote"),
    ("votes_for", "9"),
    ("votes_against", "1"),
];

/// The routes of the governance module: (method, path template, body) for the authorization
/// table. `{goal}` and `{objective}` are filled with real ids.
const ROUTES: &[(&str, &str)] = &[
    ("GET", "/c/{slug}/governance"),
    ("POST", "/c/{slug}/governance/phase"),
    ("POST", "/c/{slug}/goals"),
    ("POST", "/c/{slug}/goals/{goal}/objectives"),
    ("GET", "/c/{slug}/objectives/{objective}"),
    ("POST", "/c/{slug}/objectives/{objective}/status"),
];

#[test]
fn every_governance_route_is_in_the_table() {
    // The table names the goal and the objective; the router calls both `{id}`.
    let table: Vec<_> = ROUTES
        .iter()
        .map(|(m, p)| {
            let p = p.replace("{goal}", "{id}").replace("{objective}", "{id}");
            (*m, p)
        })
        .collect();
    let table: Vec<_> = table.iter().map(|(m, p)| (*m, p.as_str())).collect();
    assert_pages_listed("governance", &table, |_| false);
}

fn body_for(path: &str) -> &'static [(&'static str, &'static str)] {
    if path.ends_with("/phase") {
        PHASE
    } else if path.ends_with("/goals") {
        GOAL
    } else if path.ends_with("/objectives") {
        OBJECTIVE
    } else if path.ends_with("/status") {
        &[("status", "on-track"), ("comment", "Vamos bien")]
    } else {
        &[]
    }
}

both_backends!(authorization_route_by_route, |app: TestApp| async move {
    let w = cast(&app).await;
    // A goal and an objective to point at.
    assert_status(
        &post(&w.leader, &format!("/c/{}/goals", w.slug), GOAL).await,
        303,
    );
    let (goals, objectives) = tejido_db::governance::goals(&app.db, w.cid).await.unwrap();
    let goal = goals[0].id;
    assert_status(
        &post(
            &w.leader,
            &format!("/c/{}/goals/{goal}/objectives", w.slug),
            OBJECTIVE,
        )
        .await,
        303,
    );
    let objective = tejido_db::governance::goals(&app.db, w.cid)
        .await
        .unwrap()
        .1[0]
        .id;
    assert!(objectives.is_empty());
    let anon = app.client();
    for (method, tpl) in ROUTES {
        let path = tpl
            .replace("{slug}", &w.slug)
            .replace("{goal}", &goal.to_string())
            .replace("{objective}", &objective.to_string());
        let before = (
            app.count("goals").await,
            app.count("objectives").await,
            app.count("decisions").await,
            app.count("objective_status_changes").await,
        );
        if *method == "GET" {
            let r = anon.get(&path).await;
            assert_status(&r, 303);
            assert!(r.location().unwrap().starts_with("/login"));
            assert_status(&w.outsider.get(&path).await, 403);
            assert_status(&w.member.get(&path).await, 200);
            assert_status(&w.leader.get(&path).await, 200);
            assert_status(&w.admin.get(&path).await, 200);
        } else {
            let body = body_for(&path);
            assert_status(&post(&anon, &path, body).await, 303);
            assert_status(&post(&w.outsider, &path, body).await, 403);
            assert_status(&post(&w.member, &path, body).await, 403);
            let after = (
                app.count("goals").await,
                app.count("objectives").await,
                app.count("decisions").await,
                app.count("objective_status_changes").await,
            );
            assert_eq!(before, after, "{path}: a refused request wrote something");
            // Without the CSRF token even the leader is refused.
            assert_status(&w.leader.post_raw(&path, body).await, 403);
            assert_status(&post(&w.leader, &path, body).await, 303);
        }
    }
});

both_backends!(goals_objectives_and_history, |app: TestApp| async move {
    let w = cast(&app).await;
    let page = w.member.get(&format!("/c/{}/governance", w.slug)).await;
    assert!(page.body.contains("Todavía no hay metas"), "{}", page.body);
    // Invalid goal: 422, errors next to the fields, input kept, nothing written.
    let r = post(
        &w.leader,
        &format!("/c/{}/goals", w.slug),
        &[("title", "Meta sin horizonte"), ("horizon", "algún día")],
    )
    .await;
    assert_status(&r, 422);
    assert!(
        r.body.contains("Elige una opción de la lista") && r.body.contains("Meta sin horizonte")
    );
    assert_eq!(app.count("goals").await, 0);
    assert_status(
        &post(&w.leader, &format!("/c/{}/goals", w.slug), GOAL).await,
        303,
    );
    let goal = tejido_db::governance::goals(&app.db, w.cid)
        .await
        .unwrap()
        .0[0]
        .id;
    // Invalid objective: bad date, missing indicator.
    let r = post(
        &w.leader,
        &format!("/c/{}/goals/{goal}/objectives", w.slug),
        &[
            ("title", "Formar"),
            ("target", "40"),
            ("due_on", "30/06/2027"),
        ],
    )
    .await;
    assert_status(&r, 422);
    assert!(
        r.body.contains("Escribe una fecha válida") && r.body.contains("Este campo es obligatorio")
    );
    assert_eq!(app.count("objectives").await, 0);
    assert_status(
        &post(
            &w.leader,
            &format!("/c/{}/goals/{goal}/objectives", w.slug),
            OBJECTIVE,
        )
        .await,
        303,
    );
    let ob = tejido_db::governance::goals(&app.db, w.cid)
        .await
        .unwrap()
        .1[0]
        .clone();
    assert_eq!(ob.status, "not-started");
    // A goal of another community is not reachable through this one.
    let (other_cid, other) = app.community("Otra comunidad", w.leader_p, "private").await;
    assert_status(
        &post(
            &w.leader,
            &format!("/c/{other}/goals/{goal}/objectives"),
            OBJECTIVE,
        )
        .await,
        404,
    );
    assert_status(
        &w.leader
            .get(&format!("/c/{other}/objectives/{}", ob.id))
            .await,
        404,
    );
    assert!(tejido_db::governance::goals(&app.db, other_cid)
        .await
        .unwrap()
        .0
        .is_empty());
    // Status changes keep their history with the comment.
    let path = format!("/c/{}/objectives/{}/status", w.slug, ob.id);
    assert_status(
        &post(
            &w.leader,
            &path,
            &[
                ("status", "at-risk"),
                ("comment", "Faltan fondos para el taller"),
            ],
        )
        .await,
        303,
    );
    assert_status(
        &post(
            &w.leader,
            &path,
            &[
                ("status", "achieved"),
                ("comment", "Se formaron 42 personas"),
            ],
        )
        .await,
        303,
    );
    assert_status(&post(&w.leader, &path, &[("status", "perdido")]).await, 422);
    let h = tejido_db::governance::history(&app.db, ob.id)
        .await
        .unwrap();
    assert_eq!(
        h.iter().map(|x| x.status.as_str()).collect::<Vec<_>>(),
        vec!["achieved", "at-risk", "not-started"]
    );
    let detail = w
        .member
        .get(&format!("/c/{}/objectives/{}", w.slug, ob.id))
        .await;
    assert!(
        detail.body.contains("Faltan fondos para el taller") && detail.body.contains("Logrado")
    );
    // Progress at a glance on the governance page.
    let page = w.member.get(&format!("/c/{}/governance", w.slug)).await;
    assert!(
        page.body.contains("Avance: 1 de 1 objetivos logrados"),
        "{}",
        page.body
    );
});

both_backends!(
    phase_conditions_follow_the_data,
    |app: TestApp| async move {
        let w = cast(&app).await;
        let url = format!("/c/{}/governance", w.slug);
        let facts = tejido_db::governance::facts(&app.db, w.cid).await.unwrap();
        assert_eq!((facts.goals, facts.member_organizations), (0, 0));
        // The creator-leader is not a convener: members already co-lead.
        assert!(facts.members_co_lead && facts.member_leads);
        let page = w.member.get(&url).await;
        assert!(page.body.contains("Para pasar a la fase «Codirigida»"));
        assert!(
            page.body.contains("Aún no se mide"),
            "not-yet-measured steps must show as such"
        );
        // Goals with objectives and three organizations make the co-led conditions hold.
        assert_status(
            &post(&w.leader, &format!("/c/{}/goals", w.slug), GOAL).await,
            303,
        );
        let goal = tejido_db::governance::goals(&app.db, w.cid)
            .await
            .unwrap()
            .0[0]
            .id;
        assert_status(
            &post(
                &w.leader,
                &format!("/c/{}/goals/{goal}/objectives", w.slug),
                OBJECTIVE,
            )
            .await,
            303,
        );
        for name in ["Colectivo Uno", "Colectivo Dos", "Colectivo Tres"] {
            let org = app.organization(name).await;
            assert_status(
                &post(
                    &w.leader,
                    &format!("/c/{}/members/organizations", w.slug),
                    &[("organization_id", &org.to_string())],
                )
                .await,
                303,
            );
        }
        let facts = tejido_db::governance::facts(&app.db, w.cid).await.unwrap();
        let next = tejido_core::communities::Phase::CoLed;
        assert!(tejido_core::governance::phase_conditions(next, &facts)
            .iter()
            .all(|c| c.state == tejido_core::governance::State::Met));
        // A vote without counts is refused and nothing changes.
        let r = post(
            &w.leader,
            &format!("{url}/phase"),
            &[
                ("title", "Cambio"),
                ("decided_on", "2026-11-20"),
                ("method", "vote"),
            ],
        )
        .await;
        assert_status(&r, 422);
        assert_eq!(app.count("decisions").await, 0);
        assert_eq!(
            tejido_db::communities::by_id(&app.db, w.cid)
                .await
                .unwrap()
                .unwrap()
                .phase,
            "convened"
        );
        // The move is a recorded decision.
        assert_status(&post(&w.leader, &format!("{url}/phase"), PHASE).await, 303);
        let m = tejido_db::communities::by_id(&app.db, w.cid)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(m.phase, "co-led");
        let log = tejido_db::decisions::list(
            &app.db,
            w.cid,
            None,
            tejido_core::page::PageReq::new(None, None),
        )
        .await
        .unwrap();
        assert_eq!(log.total, 1);
        assert_eq!(
            (
                log.items[0].method.as_str(),
                log.items[0].votes_for,
                log.items[0].source_kind.as_deref()
            ),
            ("vote", Some(9), Some("phase"))
        );
        // Next: self-managed, whose event condition is never met until events exist.
        let page = w.member.get(&url).await;
        assert!(page.body.contains("Para pasar a la fase «Autogestionada»"));
        assert!(page
            .body
            .contains("Los últimos encuentros los facilitaron integrantes"));
        assert_status(&post(&w.leader, &format!("{url}/phase"), PHASE).await, 303);
        assert_eq!(
            tejido_db::communities::by_id(&app.db, w.cid)
                .await
                .unwrap()
                .unwrap()
                .phase,
            "self-managed"
        );
        // No phase after self-managed.
        assert_status(&post(&w.leader, &format!("{url}/phase"), PHASE).await, 400);
    }
);

both_backends!(governance_api, |app: TestApp| async move {
    let w = cast(&app).await;
    let base = format!("/api/v1/communities/{}", w.slug);
    let anon = app.client();
    let r = anon.get(&format!("{base}/governance")).await;
    assert_status(&r, 401);
    assert_eq!(r.json()["error"], "error-unauthorized");
    assert_status(&w.outsider.get(&format!("{base}/governance")).await, 403);
    // Members read; a member's write is refused with JSON.
    let token = w.member.csrf().await;
    let r = w
        .member
        .json(
            Method::POST,
            &format!("{base}/goals"),
            &json!({ "title": "Meta", "horizon": "long" }),
            &[("x-csrf-token", &token)],
        )
        .await;
    assert_status(&r, 403);
    assert_eq!(r.json()["error"], "error-forbidden");
    let token = w.leader.csrf().await;
    let h = [("x-csrf-token", token.as_str())];
    let r = w
        .leader
        .json(
            Method::POST,
            &format!("{base}/goals"),
            &json!({ "title": "", "horizon": "long" }),
            &h,
        )
        .await;
    assert_status(&r, 422);
    assert_eq!(r.json()["fields"][0]["field"], "title");
    let r = w
        .leader
        .json(
            Method::POST,
            &format!("{base}/goals"),
            &json!({ "title": "Incidir en política pública", "horizon": "long" }),
            &h,
        )
        .await;
    assert_status(&r, 201);
    let goal = r.json()["id"].as_i64().unwrap();
    let r = w.leader.json(Method::POST, &format!("{base}/goals/{goal}/objectives"), &json!({ "title": "Propuesta de ley", "indicator": "Propuestas presentadas", "target": "1" }), &h).await;
    assert_status(&r, 201);
    let ob = r.json()["id"].as_i64().unwrap();
    let r = w
        .leader
        .json(
            Method::POST,
            &format!("{base}/objectives/{ob}/status"),
            &json!({ "status": "on-track", "comment": "Borrador listo" }),
            &h,
        )
        .await;
    assert_status(&r, 200);
    assert_eq!(r.json()["history"].as_array().unwrap().len(), 2);
    let v = w.member.get(&format!("{base}/governance")).await.json();
    assert_eq!(v["phase"], "convened");
    assert_eq!(v["next_phase"], "co-led");
    assert_eq!(v["six_steps"].as_array().unwrap().len(), 6);
    assert_eq!(v["six_steps"][3]["checks"][0]["state"], "not-yet-measured");
    assert_eq!(v["goals"][0]["objectives"][0]["status"], "on-track");
    assert_eq!(v["progress"]["total"], 1);
    let r = w
        .leader
        .json(
            Method::POST,
            &format!("{base}/phase"),
            &json!({ "title": "Codirigir", "decided_on": "2026-11-21", "method": "consensus" }),
            &h,
        )
        .await;
    assert_status(&r, 200);
    assert_eq!(r.json()["phase"], "co-led");
    // The OpenAPI document lists the governance paths.
    let doc = anon.get("/api/v1/openapi.json").await.json();
    for p in [
        "/communities/{slug}/governance",
        "/communities/{slug}/goals",
        "/communities/{slug}/phase",
    ] {
        assert!(doc["paths"][p].is_object(), "{p} missing from OpenAPI");
    }
    // Admin can read any community.
    assert_status(&w.admin.get(&format!("{base}/governance")).await, 200);
});
