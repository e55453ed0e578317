//! Rotation: route tests (both backends). Who may see and change what (a table with a row for
//! every route of `features/rotation.rs`, checked against its source), the next six turns in
//! order, swaps by agreement (with their decision), hand-overs, opt-outs and skills, invalid
//! input, CSRF, and what guests do not see.

use std::collections::BTreeSet;

use super::*;

/// Expected: 303 to `/login?next=…`.
const LOGIN: u16 = 1;

struct Row {
    method: &'static str,
    path: &'static str,
    body: &'static str,
    /// anonymous, outsider, member, leader, admin.
    expect: [u16; 5],
}

const fn r(method: &'static str, path: &'static str, body: &'static str, expect: [u16; 5]) -> Row {
    Row {
        method,
        path,
        body,
        expect,
    }
}

/// Every route of the rotation module. `{me}` is the plain member's own person id, `{other}`
/// another member's. Swaps are posted with the same holder twice: refused as invalid (422) once
/// authorized, so the table shows who gets past authorization without changing the schedule.
const TABLE: &[Row] = &[
    r("GET", "/c/{slug}/rotation", "", [LOGIN, 403, 200, 200, 200]),
    r(
        "GET",
        "/c/{slug}/rotation/facilitator",
        "",
        [LOGIN, 403, 200, 200, 200],
    ),
    r(
        "GET",
        "/c/{slug}/rotation/nada",
        "",
        [LOGIN, 403, 404, 404, 404],
    ),
    r(
        "POST",
        "/c/{slug}/rotation/timekeeper/policy",
        "mode=people&term_days=14",
        [LOGIN, 403, 403, 303, 303],
    ),
    r(
        "POST",
        "/c/{slug}/rotation/facilitator/swaps",
        "a={other}&b={other}",
        [LOGIN, 403, 403, 422, 422],
    ),
    r(
        "POST",
        "/c/{slug}/rotation/facilitator/handover",
        "",
        [LOGIN, 403, 403, 303, 303],
    ),
    r(
        "GET",
        "/c/{slug}/rotation/preferences/person/{me}",
        "",
        [LOGIN, 403, 200, 200, 200],
    ),
    r(
        "POST",
        "/c/{slug}/rotation/preferences/person/{me}",
        "skills=relatoria",
        [LOGIN, 403, 303, 303, 303],
    ),
    r(
        "GET",
        "/c/{slug}/rotation/preferences/person/{other}",
        "",
        [LOGIN, 403, 403, 200, 200],
    ),
    r(
        "POST",
        "/c/{slug}/rotation/preferences/person/{other}",
        "out_leader=on",
        [LOGIN, 403, 403, 303, 303],
    ),
    r(
        "GET",
        "/api/v1/communities/{slug}/rotation",
        "",
        [401, 403, 200, 200, 200],
    ),
    r(
        "PUT",
        "/api/v1/communities/{slug}/rotation/rapporteur/policy",
        r#"{"mode": "people", "term_days": 30}"#,
        [401, 403, 403, 200, 200],
    ),
    r(
        "POST",
        "/api/v1/communities/{slug}/rotation/facilitator/swaps",
        r#"{"a": {other}, "b": {other}}"#,
        [401, 403, 403, 422, 422],
    ),
    r(
        "POST",
        "/api/v1/communities/{slug}/rotation/facilitator/handover",
        "",
        [401, 403, 403, 200, 200],
    ),
    r(
        "PUT",
        "/api/v1/communities/{slug}/rotation/preferences/person/{me}",
        r#"{"skills": "moderación"}"#,
        [401, 403, 200, 200, 200],
    ),
    r(
        "PUT",
        "/api/v1/communities/{slug}/rotation/preferences/person/{other}",
        r#"{"opted_out": ["timekeeper"]}"#,
        [401, 403, 403, 200, 200],
    ),
];

struct World {
    slug: String,
    cid: i64,
    outsider: Client,
    member: Client,
    member_p: i64,
    leader: Client,
    leader_p: i64,
    admin: Client,
    guest: Client,
    /// Ana, Beto, Carla: members without accounts, created in this order.
    others: [i64; 3],
}

async fn world(app: &TestApp) -> World {
    let (outsider, _, _) = app.signed_in("fuera@example.org", false).await;
    let (leader, _, leader_p) = app.signed_in("lider@example.org", false).await;
    let (member, _, member_p) = app.signed_in("integrante@example.org", false).await;
    let (admin, _, _) = app.signed_in("admin@example.org", true).await;
    let (guest, _, guest_p) = app.signed_in("invitada@example.org", false).await;
    let (cid, slug) = app.community("Red de Turnos", leader_p, "private").await;
    app.add_member(cid, member_p, Role::Member).await;
    let mut tx = app.db.begin().await.unwrap();
    tejido_db::communities::assign_role(&mut tx, cid, guest_p, Role::Guest, None)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let mut others = [0; 3];
    for (i, name) in ["Ana Turnos", "Beto Turnos", "Carla Turnos"]
        .iter()
        .enumerate()
    {
        others[i] = person_with(app, name, None, None).await;
        app.add_member(cid, others[i], Role::Member).await;
    }
    World {
        slug,
        cid,
        outsider,
        member,
        member_p,
        leader,
        leader_p,
        admin,
        guest,
        others,
    }
}

fn fill(s: &str, w: &World) -> String {
    s.replace("{slug}", &w.slug)
        .replace("{me}", &w.member_p.to_string())
        .replace("{other}", &w.others[0].to_string())
}

async fn send(c: &Client, method: &str, path: &str, body: &str) -> Resp {
    let token = c.csrf().await;
    if path.starts_with("/api/") {
        let m = Method::from_bytes(method.as_bytes()).unwrap();
        if method == "GET" {
            return c.get(path).await;
        }
        let v: serde_json::Value = if body.is_empty() {
            json!({})
        } else {
            serde_json::from_str(body).unwrap()
        };
        return c.json(m, path, &v, &[("x-csrf-token", &token)]).await;
    }
    if method == "GET" {
        return c.get(path).await;
    }
    let mut fields: Vec<(String, String)> = vec![("_csrf".into(), token)];
    for kv in body.split('&').filter(|x| !x.is_empty()) {
        let (k, v) = kv.split_once('=').unwrap();
        fields.push((k.into(), v.into()));
    }
    let f: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    c.post_raw(path, &f).await
}

/// Sets a policy directly in storage.
async fn policy(app: &TestApp, cid: i64, role: Role, mode: &str, skill: Option<&str>) {
    let p = tejido_core::rotation::PolicyForm {
        mode: mode.into(),
        required_skill: skill.unwrap_or("").into(),
        term_days: "7".into(),
    }
    .parse()
    .unwrap();
    let mut tx = app.db.begin().await.unwrap();
    tejido_db::rotation::set_policy(&mut tx, cid, role, &p, None)
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

/// The upcoming turns of a role, by id, from the API.
async fn upcoming(c: &Client, slug: &str, role: &str) -> Vec<i64> {
    let r = c.get(&format!("/api/v1/communities/{slug}/rotation")).await;
    assert_status(&r, 200);
    let v = r.json();
    let role = v["roles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["role"] == role)
        .unwrap()
        .clone();
    role["upcoming"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_i64().unwrap())
        .collect()
}

async fn current_holder(app: &TestApp, cid: i64, role: &str) -> Vec<i64> {
    let sql = format!(
        "SELECT person_id FROM community_roles WHERE community_id = {cid} AND role = '{role}' AND ends_at IS NULL"
    );
    match &app.db {
        Db::Sqlite(p) => sqlx::query_scalar(&sql).fetch_all(p).await.unwrap(),
        Db::Postgres(p) => sqlx::query_scalar(&sql).fetch_all(p).await.unwrap(),
    }
}

both_backends!(every_route_is_authorized, |app: TestApp| async move {
    let w = world(&app).await;
    policy(&app, w.cid, Role::Facilitator, "people", None).await;
    let anonymous = app.client();
    let clients = [&anonymous, &w.outsider, &w.member, &w.leader, &w.admin];
    for (col, c) in clients.iter().enumerate() {
        for row in TABLE {
            let path = fill(row.path, &w);
            let res = send(c, row.method, &path, &fill(row.body, &w)).await;
            let who = ["anonymous", "outsider", "member", "leader", "admin"][col];
            match row.expect[col] {
                LOGIN => {
                    assert_eq!(res.status.as_u16(), 303, "{who} {} {path}", row.method);
                    assert!(
                        res.location().unwrap_or("").starts_with("/login"),
                        "{who} {} {path}",
                        row.method
                    );
                }
                code => assert_eq!(
                    res.status.as_u16(),
                    code,
                    "{who} {} {path}: {}",
                    row.method,
                    res.body
                ),
            }
        }
    }
});

#[test]
fn the_table_lists_every_route_of_the_module() {
    let routes: BTreeSet<(String, String)> = registry("rotation")
        .into_iter()
        .map(|(m, p)| (m, normalize(&p)))
        .collect();
    assert!(routes.len() >= 12, "parsed too few routes: {routes:?}");
    let listed: BTreeSet<(String, String)> = TABLE
        .iter()
        .map(|r| (r.method.to_owned(), normalize(r.path)))
        .collect();
    let missing: Vec<_> = routes.difference(&listed).collect();
    assert!(missing.is_empty(), "routes without a row: {missing:?}");
}

/// `/c/{slug}/rotation/{role}/policy` and `/c/{slug}/rotation/timekeeper/policy` both become
/// `/c/{}/rotation/{}/policy`: every segment after `rotation` that is not a fixed word is a
/// parameter.
fn normalize(path: &str) -> String {
    const FIXED: [&str; 8] = [
        "c",
        "api",
        "v1",
        "communities",
        "rotation",
        "policy",
        "swaps",
        "handover",
    ];
    path.split('/')
        .map(|s| {
            if s.is_empty() || FIXED.contains(&s) || s == "preferences" {
                s.to_owned()
            } else {
                "{}".to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

both_backends!(six_turns_shown_in_order, |app: TestApp| async move {
    let w = world(&app).await;
    let [ana, beto, carla] = w.others;
    let r = w.leader.get(&format!("/c/{}/rotation", w.slug)).await;
    assert_status(&r, 200);
    assert!(r.body.contains("Lo que aprendimos"));
    // From just created to a rotation, through the forms.
    let r = w
        .leader
        .post_form(
            &format!("/c/{}/rotation/facilitator/policy", w.slug),
            &[
                ("mode", "people"),
                ("required_skill", ""),
                ("term_days", "7"),
            ],
        )
        .await;
    assert_redirect(&r, &format!("/c/{}/rotation/facilitator", w.slug));
    let page = w
        .member
        .get(&format!("/c/{}/rotation/facilitator", w.slug))
        .await;
    assert_status(&page, 200);
    // The guest does not rotate; everyone else in id order, since nobody held it yet.
    let expect = vec![w.leader_p, w.member_p, ana, beto, carla, w.leader_p];
    assert_eq!(upcoming(&w.member, &w.slug, "facilitator").await, expect);
    let ol = &page.body[page.body.find("<ol>").unwrap()..page.body.find("</ol>").unwrap()];
    let names: Vec<&str> = ol
        .split("<li>")
        .skip(1)
        .map(|li| {
            li.rsplit("— ")
                .next()
                .unwrap()
                .trim_end_matches("</li>")
                .trim()
        })
        .collect();
    assert_eq!(
        names,
        [
            "Persona lider@example.org",
            "Persona integrante@example.org",
            "Ana Turnos",
            "Beto Turnos",
            "Carla Turnos",
            "Persona lider@example.org"
        ]
    );
    // Dates step by the term.
    let v = w
        .member
        .get(&format!("/api/v1/communities/{}/rotation", w.slug))
        .await
        .json();
    let turns = v["roles"][1]["upcoming"].as_array().unwrap().clone();
    assert_eq!(v["roles"][1]["role"], "facilitator");
    let d0 = chrono::NaiveDate::parse_from_str(turns[0]["starts_on"].as_str().unwrap(), "%Y-%m-%d")
        .unwrap();
    let d5 = chrono::NaiveDate::parse_from_str(turns[5]["starts_on"].as_str().unwrap(), "%Y-%m-%d")
        .unwrap();
    assert_eq!((d5 - d0).num_days(), 35);
    assert_eq!(turns[5]["ordinal"], 6);
    // Roles without a policy show none.
    assert!(v["roles"][0]["upcoming"].as_array().unwrap().is_empty());
});

both_backends!(
    a_swap_reorders_and_is_a_decision,
    |app: TestApp| async move {
        let w = world(&app).await;
        let [ana, beto, carla] = w.others;
        policy(&app, w.cid, Role::Facilitator, "people", None).await;
        let before = (
            app.count("decisions").await,
            app.count("rotation_swaps").await,
            app.count("audit_log").await,
        );
        // Invalid: the same holder twice, an unknown id, an empty field: 422, nothing written.
        for (a, b) in [
            (ana.to_string(), ana.to_string()),
            ("999999".into(), ana.to_string()),
            (String::new(), ana.to_string()),
        ] {
            let r = w
                .leader
                .post_form(
                    &format!("/c/{}/rotation/facilitator/swaps", w.slug),
                    &[("a", &a), ("b", &b), ("note", "")],
                )
                .await;
            assert_status(&r, 422);
            assert!(r.body.contains("aria-invalid=\"true\""));
        }
        assert_eq!(
            (
                app.count("decisions").await,
                app.count("rotation_swaps").await,
                app.count("audit_log").await
            ),
            before
        );
        let r = w
            .leader
            .post_form(
                &format!("/c/{}/rotation/facilitator/swaps", w.slug),
                &[
                    ("a", &w.leader_p.to_string()),
                    ("b", &ana.to_string()),
                    ("note", "Acordado en la sesión de junio"),
                ],
            )
            .await;
        assert_redirect(&r, &format!("/c/{}/rotation/facilitator", w.slug));
        assert_eq!(
            upcoming(&w.member, &w.slug, "facilitator").await,
            vec![ana, w.member_p, w.leader_p, beto, carla, ana]
        );
        assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM decisions WHERE source_kind = 'rotation' AND body = 'Acordado en la sesión de junio'").await,
        1
    );
        assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM rotation_swaps s JOIN decisions d ON d.id = s.decision_id AND d.source_id = s.id").await,
        1
    );
        assert_eq!(
            scalar(
                &app,
                "SELECT COUNT(*) FROM audit_log WHERE action = 'rotation-swap-recorded'"
            )
            .await,
            1
        );
        // The API records swaps too.
        let token = w.admin.csrf().await;
        let r = w
            .admin
            .json(
                Method::POST,
                &format!("/api/v1/communities/{}/rotation/facilitator/swaps", w.slug),
                &json!({ "a": beto, "b": carla }),
                &[("x-csrf-token", &token)],
            )
            .await;
        assert_status(&r, 201);
        assert!(r.json()["decision_id"].as_i64().unwrap() > 0);
        assert_eq!(
            upcoming(&w.member, &w.slug, "facilitator").await,
            vec![ana, w.member_p, w.leader_p, carla, beto, ana]
        );
        // A new rule closes the swaps agreed under the old one.
        let r = w
            .leader
            .post_form(
                &format!("/c/{}/rotation/facilitator/policy", w.slug),
                &[("mode", "people"), ("term_days", "14")],
            )
            .await;
        assert_status(&r, 303);
        assert_eq!(
            scalar(
                &app,
                "SELECT COUNT(*) FROM rotation_swaps WHERE consumed_at IS NULL"
            )
            .await,
            0
        );
        assert_eq!(
            upcoming(&w.member, &w.slug, "facilitator").await,
            vec![w.leader_p, w.member_p, ana, beto, carla, w.leader_p]
        );
    }
);

both_backends!(
    a_handover_moves_the_role_and_the_schedule,
    |app: TestApp| async move {
        let w = world(&app).await;
        let [ana, beto, carla] = w.others;
        policy(&app, w.cid, Role::Facilitator, "people", None).await;
        let r = w
            .leader
            .post_form(
                &format!("/c/{}/rotation/facilitator/swaps", w.slug),
                &[("a", &w.leader_p.to_string()), ("b", &ana.to_string())],
            )
            .await;
        assert_status(&r, 303);
        let r = w
            .leader
            .post_form(&format!("/c/{}/rotation/facilitator/handover", w.slug), &[])
            .await;
        assert_redirect(&r, &format!("/c/{}/rotation/facilitator", w.slug));
        assert_eq!(current_holder(&app, w.cid, "facilitator").await, vec![ana]);
        // The swap was used; Ana now has a turn, so the others come first, and she is not repeated.
        assert_eq!(
            scalar(
                &app,
                "SELECT COUNT(*) FROM rotation_swaps WHERE consumed_at IS NOT NULL"
            )
            .await,
            1
        );
        assert_eq!(
            upcoming(&w.member, &w.slug, "facilitator").await,
            vec![w.leader_p, w.member_p, beto, carla, ana, w.leader_p]
        );
        let page = w.member.get(&format!("/c/{}/rotation", w.slug)).await;
        assert!(page.body.contains("Ana Turnos"));
        // A swap that would give Ana, who holds it now, the next turn as well is refused.
        let r = w
            .leader
            .post_form(
                &format!("/c/{}/rotation/facilitator/swaps", w.slug),
                &[("a", &w.leader_p.to_string()), ("b", &ana.to_string())],
            )
            .await;
        assert_status(&r, 422);
        assert!(r
            .body
            .contains("nadie puede quedar con dos turnos seguidos"));
        assert_eq!(app.count("rotation_swaps").await, 1);
        // Next hand-over: Ana's term ends (kept as history), the leader starts one.
        let token = w.leader.csrf().await;
        let r = w
            .leader
            .json(
                Method::POST,
                &format!(
                    "/api/v1/communities/{}/rotation/facilitator/handover",
                    w.slug
                ),
                &json!({}),
                &[("x-csrf-token", &token)],
            )
            .await;
        assert_status(&r, 200);
        assert_eq!(r.json()["holder"]["person_id"], w.leader_p);
        assert_eq!(
            current_holder(&app, w.cid, "facilitator").await,
            vec![w.leader_p]
        );
        assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM community_roles WHERE role = 'facilitator' AND ends_at IS NOT NULL").await,
        1
    );
        assert_eq!(
            upcoming(&w.member, &w.slug, "facilitator").await,
            vec![w.member_p, beto, carla, ana, w.leader_p, w.member_p]
        );
        // Continuity: nothing to hand over.
        policy(&app, w.cid, Role::Timekeeper, "continuity", None).await;
        let r = w
            .leader
            .post_form(&format!("/c/{}/rotation/timekeeper/handover", w.slug), &[])
            .await;
        assert_status(&r, 422);
        assert!(current_holder(&app, w.cid, "timekeeper").await.is_empty());
    }
);

both_backends!(
    opt_outs_and_skills_are_respected,
    |app: TestApp| async move {
        let w = world(&app).await;
        let [ana, beto, carla] = w.others;
        policy(&app, w.cid, Role::Rapporteur, "people", None).await;
        // The member opts out of the rapporteur role on the rotation page.
        let r = w
            .member
            .post_form(
                &format!("/c/{}/rotation/preferences/person/{}", w.slug, w.member_p),
                &[("out_rapporteur", "on"), ("skills", "Lengua de señas")],
            )
            .await;
        assert_redirect(&r, &format!("/c/{}/rotation", w.slug));
        assert_eq!(
            upcoming(&w.member, &w.slug, "rapporteur").await,
            vec![w.leader_p, ana, beto, carla, w.leader_p, ana]
        );
        let page = w.member.get(&format!("/c/{}/rotation", w.slug)).await;
        assert!(page
            .body
            .contains("id=\"pref-out-rapporteur\" name=\"out_rapporteur\" checked"));
        // The leader records Beto's and Carla's skills; a required skill narrows the turns.
        for (p, skill) in [(beto, "Moderación"), (carla, "moderacion, relatoría")] {
            let r = w
                .leader
                .post_form(
                    &format!("/c/{}/rotation/preferences/person/{p}", w.slug),
                    &[("skills", skill)],
                )
                .await;
            assert_status(&r, 303);
        }
        policy(&app, w.cid, Role::Rapporteur, "people", Some("MODERACIÓN")).await;
        assert_eq!(
            upcoming(&w.member, &w.slug, "rapporteur").await,
            vec![beto, carla, beto, carla, beto, carla]
        );
        // Guests see the schedule, but not other people's preferences, and have none to set.
        let g = w.guest.get(&format!("/c/{}/rotation", w.slug)).await;
        assert_status(&g, 200);
        assert!(g.body.contains("Beto Turnos"));
        assert!(!g.body.contains("Lengua de señas"));
        assert!(!g.body.contains("pref-out-leader"));
        let j = w
            .guest
            .get(&format!("/api/v1/communities/{}/rotation", w.slug))
            .await;
        assert_status(&j, 200);
        assert!(j.json().get("preferences").is_none());
        let r = w
            .guest
            .get(&format!(
                "/c/{}/rotation/preferences/person/{}",
                w.slug, w.member_p
            ))
            .await;
        assert_status(&r, 403);
        // Members do see them.
        let j = w
            .member
            .get(&format!("/api/v1/communities/{}/rotation", w.slug))
            .await
            .json();
        assert!(j["preferences"]["people"]
            .to_string()
            .contains("Lengua de señas"));
    }
);

both_backends!(
    invalid_input_is_refused_and_nothing_written,
    |app: TestApp| async move {
        let w = world(&app).await;
        let counts = || async {
            (
                app.count("rotation_policies").await,
                app.count("rotation_preferences").await,
                app.count("audit_log").await,
            )
        };
        let before = counts().await;
        let r = w
            .leader
            .post_form(
                &format!("/c/{}/rotation/leader/policy", w.slug),
                &[("mode", "rifa"), ("term_days", "0")],
            )
            .await;
        assert_status(&r, 422);
        assert!(r.body.contains("Escribe un número de días entre 1 y 366."));
        assert!(r.body.contains("id=\"f-mode-error\""));
        let long = "x".repeat(600);
        let r = w
            .member
            .post_form(
                &format!("/c/{}/rotation/preferences/person/{}", w.slug, w.member_p),
                &[("skills", &long)],
            )
            .await;
        assert_status(&r, 422);
        assert!(r.body.contains("id=\"f-skills-error\""));
        let token = w.leader.csrf().await;
        let r = w
            .leader
            .json(
                Method::PUT,
                &format!("/api/v1/communities/{}/rotation/leader/policy", w.slug),
                &json!({ "mode": "sorteo", "term_days": 30 }),
                &[("x-csrf-token", &token)],
            )
            .await;
        assert_status(&r, 422);
        assert_eq!(r.json()["error"], "error-validation");
        let r = w
            .leader
            .json(
                Method::PUT,
                &format!(
                    "/api/v1/communities/{}/rotation/preferences/person/{}",
                    w.slug, w.member_p
                ),
                &json!({ "opted_out": ["member"] }),
                &[("x-csrf-token", &token)],
            )
            .await;
        assert_status(&r, 422);
        // Handing over a role without a policy is refused too.
        let r = w
            .leader
            .post_form(&format!("/c/{}/rotation/facilitator/handover", w.slug), &[])
            .await;
        assert_status(&r, 422);
        // A form without its CSRF token is refused before the handler.
        let r = w
            .leader
            .post_raw(
                &format!("/c/{}/rotation/leader/policy", w.slug),
                &[("mode", "continuity"), ("term_days", "30")],
            )
            .await;
        assert_status(&r, 403);
        assert_eq!(counts().await, before);
        assert!(current_holder(&app, w.cid, "facilitator").await.is_empty());
    }
);

both_backends!(rotation_over_organizations, |app: TestApp| async move {
    let w = world(&app).await;
    let [ana, beto, _] = w.others;
    let o1 = org_with(&app, "Colectivo Norte", "cso", "19").await;
    let o2 = org_with(&app, "Red Sur", "cso", "07").await;
    let o3 = org_with(&app, "Sin Gente", "cso", "09").await;
    exec(
        &app,
        &format!("UPDATE people SET organization_id = {o1} WHERE id IN ({ana}, {beto})"),
    )
    .await
    .unwrap();
    exec(
        &app,
        &format!(
            "UPDATE people SET organization_id = {o2} WHERE id = {}",
            w.member_p
        ),
    )
    .await
    .unwrap();
    let mut tx = app.db.begin().await.unwrap();
    for o in [o1, o2, o3] {
        tejido_db::communities::add_organization(&mut tx, w.cid, o, None)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
    policy(&app, w.cid, Role::Timekeeper, "organizations", None).await;
    // An organization with no member people cannot take a turn.
    assert_eq!(
        upcoming(&w.member, &w.slug, "timekeeper").await,
        vec![o1, o2, o1, o2, o1, o2]
    );
    let r = w
        .leader
        .post_form(&format!("/c/{}/rotation/timekeeper/handover", w.slug), &[])
        .await;
    assert_status(&r, 303);
    // The organization's member who held it least often (then the lowest id) carries the turn.
    assert_eq!(current_holder(&app, w.cid, "timekeeper").await, vec![ana]);
    assert_eq!(
        upcoming(&w.member, &w.slug, "timekeeper").await,
        vec![o2, o1, o2, o1, o2, o1]
    );
    let page = w
        .member
        .get(&format!("/c/{}/rotation/timekeeper", w.slug))
        .await;
    assert!(page.body.contains("Red Sur"));
    // Organizations' preferences are set by those who coordinate, not by any member.
    let path = format!(
        "/api/v1/communities/{}/rotation/preferences/organization/{o2}",
        w.slug
    );
    let body = json!({ "opted_out": ["timekeeper"], "skills": "" });
    let token = w.member.csrf().await;
    let r = w
        .member
        .json(Method::PUT, &path, &body, &[("x-csrf-token", &token)])
        .await;
    assert_status(&r, 403);
    let token = w.leader.csrf().await;
    let r = w
        .leader
        .json(Method::PUT, &path, &body, &[("x-csrf-token", &token)])
        .await;
    assert_status(&r, 200);
    assert_eq!(r.json()["opted_out"], json!(["timekeeper"]));
    // Only Colectivo Norte is left: it keeps the role rather than leaving it empty.
    assert_eq!(
        upcoming(&w.member, &w.slug, "timekeeper").await,
        vec![o1, o1, o1, o1, o1, o1]
    );
});
