//! Agenda: route tests (both backends). Topic proposals and dot voting within a budget (refused
//! whole when over it), results hidden until voting closes, the agenda built from the top
//! proposals with the proposer credited and an open-space slot, event roles proposed from the
//! rotation and swapped by a leader, and the local ownership index moving when members propose
//! and facilitate — with authorization on every route, pages and API.

use super::*;
use chrono::{DateTime, Duration, Utc};

struct Cast {
    slug: String,
    cid: i64,
    outsider: Client,
    member: Client,
    member_p: i64,
    leader: Client,
    leader_p: i64,
    other_p: i64,
}

async fn cast(app: &TestApp) -> Cast {
    let (outsider, _, _) = app.signed_in("fuera@example.org", false).await;
    let (member, _, member_p) = app.signed_in("integrante@example.org", false).await;
    let (leader, _, leader_p) = app.signed_in("lider@example.org", false).await;
    let (_, other_p) = app.user("otra@example.org", false).await;
    let (cid, slug) = app.community("Red de Mediación", leader_p, "private").await;
    app.add_member(cid, member_p, Role::Member).await;
    app.add_member(cid, other_p, Role::Member).await;
    Cast {
        slug,
        cid,
        outsider,
        member,
        member_p,
        leader,
        leader_p,
        other_p,
    }
}

/// An event of the community, stored directly: starts in ten days, three dots per member,
/// voting closing at `closes` (if any), hosted by `host` (if any).
async fn event(app: &TestApp, cid: i64, closes: Option<DateTime<Utc>>, host: Option<i64>) -> i64 {
    let now = tejido_db::now();
    let starts = now + Duration::days(10);
    let ends = starts + Duration::hours(8);
    let sql = "INSERT INTO events (community_id, title, kind, mode, starts_at, ends_at, time_zone, status,
               dots_per_member, voting_closes_at, host_organization_id, created_at, updated_at)
               VALUES ($1, 'Encuentro regional', 'meeting', 'in-person', $2, $3, 'America/Mexico_City', 'planned',
               3, $4, $5, $6, $6) RETURNING id";
    match &app.db {
        Db::Sqlite(p) => sqlx::query_scalar(sql)
            .bind(cid)
            .bind(starts)
            .bind(ends)
            .bind(closes)
            .bind(host)
            .bind(now)
            .fetch_one(p)
            .await
            .unwrap(),
        Db::Postgres(p) => sqlx::query_scalar(sql)
            .bind(cid)
            .bind(starts)
            .bind(ends)
            .bind(closes)
            .bind(host)
            .bind(now)
            .fetch_one(p)
            .await
            .unwrap(),
    }
}

async fn close_voting(app: &TestApp, eid: i64) {
    let past = tejido_db::now() - Duration::hours(1);
    let sql = "UPDATE events SET voting_closes_at = $1 WHERE id = $2";
    match &app.db {
        Db::Sqlite(p) => sqlx::query(sql)
            .bind(past)
            .bind(eid)
            .execute(p)
            .await
            .map(|_| ()),
        Db::Postgres(p) => sqlx::query(sql)
            .bind(past)
            .bind(eid)
            .execute(p)
            .await
            .map(|_| ()),
    }
    .unwrap();
}

async fn topic_id(app: &TestApp, title: &str) -> i64 {
    scalar(
        app,
        &format!("SELECT id FROM event_topics WHERE title = '{title}'"),
    )
    .await
}

const TOPIC: &[(&str, &str)] = &[
    ("title", "Mediación escolar"),
    ("why", "Las escuelas nos lo piden"),
    ("methodology", "world-cafe"),
];

/// The routes of the agenda module (pages). `{id}` is the event, `{topic}`, `{item}` and
/// `{role}` are filled with real values.
const ROUTES: &[(&str, &str)] = &[
    ("GET", "/c/{slug}/events/{id}/agenda"),
    ("POST", "/c/{slug}/events/{id}/agenda/topics"),
    (
        "POST",
        "/c/{slug}/events/{id}/agenda/topics/{topic}/withdraw",
    ),
    ("POST", "/c/{slug}/events/{id}/agenda/votes"),
    ("POST", "/c/{slug}/events/{id}/agenda/items"),
    ("GET", "/c/{slug}/events/{id}/agenda/items/{item}/delete"),
    ("POST", "/c/{slug}/events/{id}/agenda/items/{item}/delete"),
    ("GET", "/c/{slug}/events/{id}/roles"),
    ("POST", "/c/{slug}/events/{id}/roles/propose"),
    ("POST", "/c/{slug}/events/{id}/roles/{role}"),
    ("GET", "/c/{slug}/ownership"),
];

/// Routes only those who manage the community may use.
fn manage_only(path: &str) -> bool {
    path.contains("/items") || path.contains("/roles/")
}

#[test]
fn every_agenda_route_is_in_the_table() {
    assert_pages_listed("agenda", ROUTES, |_| false);
    // The API has its own table in `agenda_api`; count it here so a new route is not missed.
    let api = registry("agenda")
        .into_iter()
        .filter(|(_, p)| p.starts_with("/api/"))
        .count();
    assert_eq!(api, API_ROUTES.len());
}

const API_ROUTES: &[(&str, &str)] = &[
    ("GET", "/communities/{slug}/events/{id}/agenda"),
    ("POST", "/communities/{slug}/events/{id}/agenda/topics"),
    ("POST", "/communities/{slug}/events/{id}/agenda/votes"),
    ("POST", "/communities/{slug}/events/{id}/agenda/items"),
    ("GET", "/communities/{slug}/events/{id}/agenda/roles"),
    (
        "POST",
        "/communities/{slug}/events/{id}/agenda/roles/propose",
    ),
    (
        "POST",
        "/communities/{slug}/events/{id}/agenda/roles/{role}",
    ),
    ("GET", "/communities/{slug}/ownership"),
];

fn body_for(path: &str, topic: i64, person: i64) -> Vec<(String, String)> {
    let own = |v: &[(&str, &str)]| {
        v.iter()
            .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
            .collect()
    };
    if path.ends_with("/agenda/topics") {
        own(TOPIC)
    } else if path.ends_with("/votes") {
        vec![(format!("dots-{topic}"), "1".into())]
    } else if path.ends_with("/items") {
        own(&[
            ("title", "Bienvenida"),
            ("date", "2026-12-10"),
            ("starts_at", "09:00"),
            ("ends_at", "09:30"),
            ("methodology", "other"),
        ])
    } else if path.contains("/roles/") && !path.ends_with("/propose") {
        vec![("person_id".into(), person.to_string())]
    } else {
        vec![]
    }
}

async fn counts(app: &TestApp) -> Vec<i64> {
    let mut out = vec![];
    for t in [
        "event_topics",
        "event_votes",
        "event_agenda_items",
        "event_roles",
    ] {
        out.push(app.count(t).await);
    }
    out.push(
        scalar(
            app,
            "SELECT COUNT(*) FROM event_topics WHERE withdrawn_at IS NOT NULL",
        )
        .await,
    );
    out
}

both_backends!(authorization_route_by_route, |app: TestApp| async move {
    let w = cast(&app).await;
    let eid = event(&app, w.cid, None, None).await;
    let base = format!("/c/{}/events/{eid}/agenda", w.slug);
    assert_status(
        &w.leader.post_form(&format!("{base}/topics"), TOPIC).await,
        303,
    );
    let topic = topic_id(&app, "Mediación escolar").await;
    let items = body_for("/items", topic, w.member_p);
    let items: Vec<(&str, &str)> = items
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    assert_status(
        &w.leader.post_form(&format!("{base}/items"), &items).await,
        303,
    );
    let item = scalar(&app, "SELECT MAX(id) FROM event_agenda_items").await;
    let anon = app.client();
    for (method, tpl) in ROUTES {
        let path = tpl
            .replace("{slug}", &w.slug)
            .replace("{id}", &eid.to_string())
            .replace("{topic}", &topic.to_string())
            .replace("{item}", &item.to_string())
            .replace("{role}", "facilitator");
        let body = body_for(&path, topic, w.member_p);
        let body: Vec<(&str, &str)> = body.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        let before = counts(&app).await;
        if *method == "GET" {
            assert_to_login(&anon.get(&path).await);
            assert_status(&w.outsider.get(&path).await, 403);
            // The page that asks before a removal is for those who may remove.
            let member = if manage_only(&path) { 403 } else { 200 };
            assert_status(&w.member.get(&path).await, member);
            assert_status(&w.leader.get(&path).await, 200);
        } else {
            assert_status(&w.outsider.post_form(&path, &body).await, 403);
            assert_eq!(counts(&app).await, before, "outsider wrote through {path}");
            if manage_only(&path) || path.ends_with("/withdraw") {
                // The member did not propose the topic, nor manages the community.
                assert_status(&w.member.post_form(&path, &body).await, 403);
                assert_eq!(counts(&app).await, before, "member wrote through {path}");
            }
        }
    }
    // A missing event is 404.
    assert_status(
        &w.member
            .get(&format!("/c/{}/events/999999/agenda", w.slug))
            .await,
        404,
    );
});

both_backends!(propose_vote_and_build_agenda, |app: TestApp| async move {
    let w = cast(&app).await;
    let closes = tejido_db::now() + Duration::days(2);
    let eid = event(&app, w.cid, Some(closes), None).await;
    let base = format!("/c/{}/events/{eid}/agenda", w.slug);
    // An invalid proposal comes back with its errors and writes nothing.
    let r = w
        .member
        .post_form(&format!("{base}/topics"), &[("title", "")])
        .await;
    assert_status(&r, 422);
    assert!(r.body.contains("aria-invalid"));
    assert_eq!(app.count("event_topics").await, 0);
    assert_redirect(
        &w.member.post_form(&format!("{base}/topics"), TOPIC).await,
        &format!("{base}#topics"),
    );
    assert_status(
        &w.leader
            .post_form(
                &format!("{base}/topics"),
                &[
                    ("title", "Procuración de fondos"),
                    ("why", "Sostenibilidad"),
                ],
            )
            .await,
        303,
    );
    let t1 = topic_id(&app, "Mediación escolar").await;
    let t2 = topic_id(&app, "Procuración de fondos").await;
    // Within the budget of 3: stacked 2 + spread 1.
    let d1 = format!("dots-{t1}");
    let d2 = format!("dots-{t2}");
    assert_status(
        &w.member
            .post_form(&format!("{base}/votes"), &[(&d1, "2"), (&d2, "1")])
            .await,
        303,
    );
    assert_eq!(scalar(&app, "SELECT SUM(dots) FROM event_votes").await, 3);
    // Over the budget: refused whole with 422, the earlier ballot untouched.
    let r = w
        .member
        .post_form(&format!("{base}/votes"), &[(&d1, "3"), (&d2, "1")])
        .await;
    assert_status(&r, 422);
    assert!(r.body.contains("Usaste más puntos"));
    assert_eq!(app.count("event_votes").await, 2);
    assert_eq!(
        scalar(
            &app,
            &format!("SELECT CAST(dots AS BIGINT) FROM event_votes WHERE topic_id = {t1}")
        )
        .await,
        2
    );
    // Another member stacks all three dots on the second topic.
    let (other, _, other_p) = app.signed_in("tercera@example.org", false).await;
    app.add_member(w.cid, other_p, Role::Member).await;
    assert_status(
        &other
            .post_form(&format!("{base}/votes"), &[(&d2, "3")])
            .await,
        303,
    );
    // Before the deadline members do not see results; the leader does.
    let page = w.member.get(&base).await;
    assert_status(&page, 200);
    assert!(page
        .body
        .contains("Los resultados se muestran cuando cierra"));
    assert!(!page.body.contains("puntos de 2 personas"));
    let page = w.leader.get(&base).await;
    assert!(
        page.body.contains("4 puntos de 2 personas"),
        "{}",
        page.body
    );
    let api = format!("/api/v1/communities/{}/events/{eid}/agenda", w.slug);
    let j = w.member.get(&api).await.json();
    assert_eq!(j["results_visible"], false);
    assert!(j["topics"][0]["dots"].is_null());
    assert_eq!(j["dots_left"], 0);
    // After the deadline everyone sees them, and nobody can vote any more.
    close_voting(&app, eid).await;
    let page = w.member.get(&base).await;
    assert!(page.body.contains("4 puntos de 2 personas"));
    let j = w.member.get(&api).await.json();
    assert_eq!(j["results_visible"], true);
    assert_eq!(j["topics"][0]["id"], t2);
    assert_eq!(j["topics"][0]["dots"], 4);
    let r = w
        .member
        .post_form(&format!("{base}/votes"), &[(&d1, "1")])
        .await;
    assert_status(&r, 422);
    assert_eq!(scalar(&app, "SELECT SUM(dots) FROM event_votes").await, 6);
    // The leader builds the agenda from the top proposals: the member's proposal, facilitated
    // by the member, credits them.
    let (t1s, mp) = (t1.to_string(), w.member_p.to_string());
    assert_redirect(
        &w.leader
            .post_form(
                &format!("{base}/items"),
                &[
                    ("topic_id", &t1s),
                    ("date", "2026-12-10"),
                    ("starts_at", "10:00"),
                    ("ends_at", "11:30"),
                    ("methodology", "world-cafe"),
                    ("facilitator", &mp),
                ],
            )
            .await,
        &format!("{base}#agenda"),
    );
    assert_status(
        &w.leader
            .post_form(
                &format!("{base}/items"),
                &[
                    ("open_space", "on"),
                    ("date", "2026-12-10"),
                    ("starts_at", "12:00"),
                    ("ends_at", "13:00"),
                ],
            )
            .await,
        303,
    );
    // Invalid: ends before it starts; a facilitator who is not a member.
    let r = w
        .leader
        .post_form(
            &format!("{base}/items"),
            &[
                ("title", "Cierre"),
                ("date", "2026-12-10"),
                ("starts_at", "14:00"),
                ("ends_at", "13:00"),
                ("methodology", "other"),
            ],
        )
        .await;
    assert_status(&r, 422);
    assert!(r.body.contains("La hora de término"));
    let (_, stranger) = app.user("ajena@example.org", false).await;
    let sp = stranger.to_string();
    let r = w
        .leader
        .post_form(
            &format!("{base}/items"),
            &[
                ("title", "Cierre"),
                ("date", "2026-12-10"),
                ("starts_at", "14:00"),
                ("ends_at", "15:00"),
                ("methodology", "other"),
                ("facilitator", &sp),
            ],
        )
        .await;
    assert_status(&r, 422);
    assert_eq!(app.count("event_agenda_items").await, 2);
    let page = w.member.get(&base).await;
    assert!(page
        .body
        .contains("Propuesto por Persona integrante@example.org"));
    assert!(page
        .body
        .contains("Facilita: Persona integrante@example.org"));
    assert!(page.body.contains("Temas que surjan el día"));
    assert!(page.body.contains("10:00–11:30"));
    let j = w.member.get(&api).await.json();
    assert_eq!(j["items"][0]["proposed_by"], w.member_p);
    assert_eq!(j["items"][0]["facilitators"][0]["person_id"], w.member_p);
    assert_eq!(j["items"][1]["open_space"], true);
    assert!(j["items"][1]["topic_id"].is_null());
    // Local times are stored in UTC: 10:00 in Mexico City is 16:00 UTC.
    assert!(j["items"][0]["starts_at"]
        .as_str()
        .unwrap()
        .contains("16:00"));
    // The proposer withdraws their topic; their dots go back.
    let leader_topic = format!("{base}/topics/{t2}/withdraw");
    assert_status(&w.member.post_form(&leader_topic, &[]).await, 403);
    assert_status(
        &w.member
            .post_form(&format!("{base}/topics/{t1}/withdraw"), &[])
            .await,
        303,
    );
    assert_eq!(
        scalar(
            &app,
            &format!("SELECT COUNT(*) FROM event_votes WHERE topic_id = {t1}")
        )
        .await,
        0
    );
    let _ = (w.leader_p, w.other_p);
});

both_backends!(agenda_api, |app: TestApp| async move {
    let w = cast(&app).await;
    let eid = event(&app, w.cid, None, None).await;
    let base = format!("/api/v1/communities/{}/events/{eid}/agenda", w.slug);
    let anon = app.client();
    let r = anon.get(&base).await;
    assert_status(&r, 401);
    assert_eq!(r.json()["error"], "error-unauthorized");
    assert_status(&w.outsider.get(&base).await, 403);
    assert_status(
        &w.outsider
            .get(&format!("/api/v1/communities/{}/ownership", w.slug))
            .await,
        403,
    );
    let token = w.member.csrf().await;
    let h = [("x-csrf-token", token.as_str())];
    let r = w
        .member
        .json(
            Method::POST,
            &format!("{base}/topics"),
            &json!({ "title": "Juventudes", "why": "Relevo generacional", "methodology": "1-2-4-all" }),
            &h,
        )
        .await;
    assert_status(&r, 201);
    let tid = r.json()["id"].as_i64().unwrap();
    let r = w
        .member
        .json(
            Method::POST,
            &format!("{base}/topics"),
            &json!({ "title": "" }),
            &h,
        )
        .await;
    assert_status(&r, 422);
    // Over the budget: 422 and nothing written.
    let r = w
        .member
        .json(
            Method::POST,
            &format!("{base}/votes"),
            &json!({ "votes": [{ "topic_id": tid, "dots": 4 }] }),
            &h,
        )
        .await;
    assert_status(&r, 422);
    assert_eq!(app.count("event_votes").await, 0);
    let r = w
        .member
        .json(
            Method::POST,
            &format!("{base}/votes"),
            &json!({ "votes": [{ "topic_id": tid, "dots": 3 }] }),
            &h,
        )
        .await;
    assert_status(&r, 200);
    assert_eq!(r.json()["dots_left"], 0);
    // Members may not build the agenda; leaders may.
    let slot = json!({ "topic_id": tid.to_string(), "date": "2026-12-10", "starts_at": "10:00", "ends_at": "11:00", "methodology": "1-2-4-all" });
    let r = w
        .member
        .json(Method::POST, &format!("{base}/items"), &slot, &h)
        .await;
    assert_status(&r, 403);
    let lt = w.leader.csrf().await;
    let lh = [("x-csrf-token", lt.as_str())];
    let r = w
        .leader
        .json(Method::POST, &format!("{base}/items"), &slot, &lh)
        .await;
    assert_status(&r, 201);
    let j = w.leader.get(&base).await.json();
    assert_eq!(j["topics"][0]["dots"], 3);
    assert_eq!(
        j["items"][0]["proposer_name"],
        "Persona integrante@example.org"
    );
    // The OpenAPI document lists the agenda paths.
    let doc = anon.get("/api/v1/openapi.json").await.json();
    for (_, p) in API_ROUTES {
        assert!(doc["paths"][p].is_object(), "{p} missing from OpenAPI");
    }
});

both_backends!(
    roles_from_rotation_then_swapped,
    |app: TestApp| async move {
        let w = cast(&app).await;
        let eid = event(&app, w.cid, None, None).await;
        let base = format!("/c/{}/events/{eid}/roles", w.slug);
        assert_status(
            &w.member.post_form(&format!("{base}/propose"), &[]).await,
            403,
        );
        assert_eq!(app.count("event_roles").await, 0);
        assert_redirect(
            &w.leader.post_form(&format!("{base}/propose"), &[]).await,
            &base,
        );
        // Three members, three roles, nobody twice.
        assert_eq!(app.count("event_roles").await, 3);
        assert_eq!(
            scalar(&app, "SELECT COUNT(DISTINCT person_id) FROM event_roles").await,
            3
        );
        assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM event_roles WHERE proposed_from_rotation = TRUE AND confirmed_at IS NULL").await,
        3
    );
        let page = w.member.get(&base).await;
        assert_status(&page, 200);
        assert!(page.body.contains("Propuesto por la rotación"));
        // The leader swaps the facilitator for someone else: recorded.
        let current = scalar(
            &app,
            "SELECT person_id FROM event_roles WHERE role = 'facilitator'",
        )
        .await;
        let swap_to = [w.member_p, w.leader_p, w.other_p]
            .into_iter()
            .find(|p| *p != current)
            .unwrap();
        let st = swap_to.to_string();
        assert_status(
            &w.member
                .post_form(&format!("{base}/facilitator"), &[("person_id", &st)])
                .await,
            403,
        );
        assert_redirect(
            &w.leader
                .post_form(&format!("{base}/facilitator"), &[("person_id", &st)])
                .await,
            &base,
        );
        assert_eq!(
            scalar(
                &app,
                "SELECT person_id FROM event_roles WHERE role = 'facilitator'"
            )
            .await,
            swap_to
        );
        assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM event_roles WHERE role = 'facilitator' AND proposed_from_rotation = FALSE AND confirmed_by IS NOT NULL AND confirmed_at IS NOT NULL").await,
        1
    );
        assert_eq!(
            scalar(
                &app,
                "SELECT COUNT(*) FROM audit_log WHERE action = 'agenda-role-swapped'"
            )
            .await,
            1
        );
        // Confirming the rotation's proposal keeps it marked as from the rotation.
        let rp = scalar(
            &app,
            "SELECT person_id FROM event_roles WHERE role = 'rapporteur'",
        )
        .await;
        let rps = rp.to_string();
        assert_status(
            &w.leader
                .post_form(&format!("{base}/rapporteur"), &[("person_id", &rps)])
                .await,
            303,
        );
        assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM event_roles WHERE role = 'rapporteur' AND proposed_from_rotation = TRUE AND confirmed_at IS NOT NULL").await,
        1
    );
        // Proposing again leaves confirmed roles alone.
        w.leader.post_form(&format!("{base}/propose"), &[]).await;
        assert_eq!(
            scalar(
                &app,
                "SELECT person_id FROM event_roles WHERE role = 'facilitator'"
            )
            .await,
            swap_to
        );
        // Someone outside the community cannot be given a role; an unknown role is 404.
        let (_, stranger) = app.user("ajena@example.org", false).await;
        let s = stranger.to_string();
        let r = w
            .leader
            .post_form(&format!("{base}/timekeeper"), &[("person_id", &s)])
            .await;
        assert_status(&r, 422);
        assert_status(
            &w.leader
                .post_form(&format!("{base}/leader"), &[("person_id", &st)])
                .await,
            404,
        );
        // The API shows the same.
        let j = w
            .member
            .get(&format!(
                "/api/v1/communities/{}/events/{eid}/agenda/roles",
                w.slug
            ))
            .await
            .json();
        assert_eq!(j["roles"][0]["role"], "facilitator");
        assert_eq!(j["roles"][0]["holder"]["person_id"], swap_to);
    }
);

both_backends!(
    ownership_index_moves_with_members,
    |app: TestApp| async move {
        let w = cast(&app).await;
        // The leader is also the convener; the member belongs to a member organization that hosts.
        let mut tx = app.db.begin().await.unwrap();
        tejido_db::communities::assign_role(&mut tx, w.cid, w.leader_p, Role::Convener, None)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let eid = event(&app, w.cid, None, None).await;
        let base = format!("/c/{}/events/{eid}/agenda", w.slug);
        let api = format!("/api/v1/communities/{}/ownership", w.slug);
        let j = w.member.get(&api).await.json();
        assert!(j["events"][0]["index"].is_null(), "{j}");
        // The convener proposes and facilitates everything: the index is low.
        w.leader
            .post_form(
                &format!("{base}/topics"),
                &[("title", "Informe anual"), ("why", "Rendición de cuentas")],
            )
            .await;
        let t = topic_id(&app, "Informe anual").await.to_string();
        let lp = w.leader_p.to_string();
        let slot = |topic: String, start: &'static str, end: &'static str, fac: String| {
            vec![
                ("topic_id", topic),
                ("date", "2026-12-10".to_owned()),
                ("starts_at", start.to_owned()),
                ("ends_at", end.to_owned()),
                ("methodology", "panel".to_owned()),
                ("facilitator", fac),
            ]
        };
        let body = slot(t, "10:00", "11:00", lp);
        let body: Vec<(&str, &str)> = body.iter().map(|(a, b)| (*a, b.as_str())).collect();
        assert_status(
            &w.leader.post_form(&format!("{base}/items"), &body).await,
            303,
        );
        let before = w.member.get(&api).await.json()["events"][0]["index"]
            .as_u64()
            .unwrap();
        assert_eq!(before, 0);
        // A member proposes a topic and facilitates it: the index goes up.
        w.member.post_form(&format!("{base}/topics"), TOPIC).await;
        let t = topic_id(&app, "Mediación escolar").await.to_string();
        let body = slot(t, "11:00", "12:00", w.member_p.to_string());
        let body: Vec<(&str, &str)> = body.iter().map(|(a, b)| (*a, b.as_str())).collect();
        assert_status(
            &w.leader.post_form(&format!("{base}/items"), &body).await,
            303,
        );
        let j = w.member.get(&api).await.json();
        let after = j["events"][0]["index"].as_u64().unwrap();
        assert!(after > before, "{before} → {after}");
        assert_eq!(
            j["events"][0]["components"]["proposed_by_members"]["part"],
            1
        );
        assert_eq!(
            j["events"][0]["components"]["facilitated_by_members"]["whole"],
            2
        );
        // A second event hosted by a member organization, with attendance of varied levels.
        let org = app.organization("Colectivo Juvenil").await;
        let mut tx = app.db.begin().await.unwrap();
        tejido_db::communities::add_organization(&mut tx, w.cid, org, None)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let e2 = event(&app, w.cid, None, Some(org)).await;
        let reg = |p: i64, level: &str, att: &str| {
            format!("INSERT INTO event_registrations (event_id, person_id, organization_id, position_level, registered_at, attendance)
                 SELECT {e2}, {p}, {org}, '{level}', registered, '{att}' FROM (SELECT created_at AS registered FROM events WHERE id = {e2}) x")
        };
        exec(&app, &reg(w.member_p, "operational", "present"))
            .await
            .unwrap();
        exec(&app, &reg(w.other_p, "volunteer", "remote"))
            .await
            .unwrap();
        exec(&app, &reg(w.leader_p, "leadership", "absent"))
            .await
            .unwrap();
        let j = w.member.get(&api).await.json();
        let events = j["events"].as_array().unwrap();
        assert_eq!(events.len(), 2);
        let hosted = events.iter().find(|e| e["event_id"] == e2).unwrap();
        assert_eq!(hosted["components"]["member_hosted"], true);
        assert_eq!(hosted["components"]["spread"]["attendees"], 2);
        assert_eq!(hosted["components"]["spread"]["levels"], 2);
        // The page draws the trend as SVG with a title and a text alternative, no inline style.
        let page = w.member.get(&format!("/c/{}/ownership", w.slug)).await;
        assert_status(&page, 200);
        assert!(page.body.contains("<svg"));
        assert!(page.body.contains("<title id=\"ownership-t-"));
        assert!(page.body.contains("<desc id=\"ownership-d-"));
        assert!(!page.body.contains("style="));
        let community = tejido_db::communities::by_slug(&app.db, &w.slug)
            .await
            .unwrap()
            .unwrap();
        let svg = tejido_web::ownership::trend_svg(&app.state, &community)
            .await
            .unwrap();
        assert!(
            svg.starts_with("<svg") && svg.contains("<title") && svg.contains("Red de Mediación")
        );
        assert!(svg.contains("<polyline") || svg.contains("<circle"));
    }
);
