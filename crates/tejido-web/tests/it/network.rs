//! Network (Local System map): route tests (both backends). Authorization route by route, sensitive
//! tie kinds hidden from members in pages, API and exports, survey rounds whose answers become
//! ties, figures equal to tejido-graph's on the same data, change against a baseline, exports
//! that parse back, the CSV import's dry run, validation and CSRF.

use super::*;
use tejido_graph::GraphBuilder;

struct Cast {
    slug: String,
    cid: i64,
    outsider: Client,
    member: Client,
    leader: Client,
    admin: Client,
    /// Member organizations: the member's (a, cso) and the leader's (b, government).
    org_a: i64,
    org_b: i64,
    /// Not members: c (academia), d (donor).
    org_c: i64,
    org_d: i64,
}

async fn set_person_org(app: &TestApp, person: i64, org: i64) {
    exec(
        app,
        &format!("UPDATE people SET organization_id = {org} WHERE id = {person}"),
    )
    .await
    .unwrap();
}

async fn org_of_kind(app: &TestApp, name: &str, kind: &str) -> i64 {
    let id = app.organization(name).await;
    exec(
        app,
        &format!("UPDATE organizations SET kind = '{kind}' WHERE id = {id}"),
    )
    .await
    .unwrap();
    id
}

async fn cast(app: &TestApp) -> Cast {
    let n = next_n();
    let (outsider, _, _) = app.signed_in(&format!("fuera{n}@example.org"), false).await;
    let (member, _, member_p) = app
        .signed_in(&format!("integrante{n}@example.org"), false)
        .await;
    let (leader, _, leader_p) = app.signed_in(&format!("lider{n}@example.org"), false).await;
    let (admin, _, _) = app.signed_in(&format!("admin{n}@example.org"), true).await;
    let (cid, slug) = app
        .community(&format!("Red Territorial {n}"), leader_p, "private")
        .await;
    app.add_member(cid, member_p, Role::Member).await;
    let org_a = org_of_kind(app, &format!("Colectivo Aurora {n}"), "cso").await;
    let org_b = org_of_kind(app, &format!("Secretaría Bienestar {n}"), "government").await;
    let org_c = org_of_kind(app, &format!("Universidad Costera {n}"), "academia").await;
    let org_d = org_of_kind(app, &format!("Fundación Secreta {n}"), "donor").await;
    let mut tx = app.db.begin().await.unwrap();
    for o in [org_a, org_b] {
        tejido_db::communities::add_organization(&mut tx, cid, o, None)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
    set_person_org(app, member_p, org_a).await;
    set_person_org(app, leader_p, org_b).await;
    Cast {
        slug,
        cid,
        outsider,
        member,
        leader,
        admin,
        org_a,
        org_b,
        org_c,
        org_d,
    }
}

fn tie(
    from: i64,
    to: i64,
    kind: &str,
    strength: &str,
    started: &str,
) -> Vec<(&'static str, String)> {
    vec![
        ("from", from.to_string()),
        ("to", to.to_string()),
        ("kind", kind.to_owned()),
        ("strength", strength.to_owned()),
        ("trust", "3".to_owned()),
        ("value", "4".to_owned()),
        ("started_on", started.to_owned()),
    ]
}

fn refs<'a>(v: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    v.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

async fn counts(app: &TestApp) -> [i64; 3] {
    [
        app.count("network_ties").await,
        app.count("network_survey_rounds").await,
        scalar(
            app,
            "SELECT COUNT(*) FROM network_ties WHERE ended_on IS NOT NULL",
        )
        .await,
    ]
}

/// The page routes: (method, path template, member's status, leader's status). Anonymous
/// visitors are sent to sign in and outsiders get 403 on every one.
pub(crate) const ROUTES: &[(&str, &str, u16, u16)] = &[
    ("GET", "/c/{slug}/network", 200, 200),
    ("POST", "/c/{slug}/network/ties", 303, 303),
    ("POST", "/c/{slug}/network/ties/{id}/end", 403, 303),
    ("GET", "/c/{slug}/network/export/{format}", 200, 200),
    ("GET", "/c/{slug}/network/surveys", 200, 200),
    ("POST", "/c/{slug}/network/surveys", 403, 303),
    ("GET", "/c/{slug}/network/surveys/{id}", 200, 200),
    // Each answers for their own organization.
    ("POST", "/c/{slug}/network/surveys/{id}", 303, 303),
    ("GET", "/c/{slug}/network/import", 403, 200),
    ("POST", "/c/{slug}/network/import", 403, 200),
    ("POST", "/c/{slug}/network/surveys/{id}/close", 403, 303),
];

#[test]
fn every_network_route_is_in_the_table() {
    let table: Vec<_> = ROUTES.iter().map(|(m, p, _, _)| (*m, *p)).collect();
    assert_pages_listed("network", &table, |_| false);
}

both_backends!(authorization_route_by_route, |app: TestApp| async move {
    let w = cast(&app).await;
    // A tie and a round to point at.
    let t = tie(w.org_a, w.org_c, "collaboration", "2", "2026-01-10");
    assert_status(
        &w.leader
            .post_form(&format!("/c/{}/network/ties", w.slug), &refs(&t))
            .await,
        303,
    );
    let tie_id = scalar(&app, "SELECT MAX(id) FROM network_ties").await;
    assert_status(
        &w.leader
            .post_form(
                &format!("/c/{}/network/surveys", w.slug),
                &[("title", "Primera ronda")],
            )
            .await,
        303,
    );
    let round = scalar(&app, "SELECT MAX(id) FROM network_survey_rounds").await;
    let anon = app.client();
    for (method, tpl, member_st, leader_st) in ROUTES {
        let path = tpl
            .replace("{slug}", &w.slug)
            .replace("{format}", "gexf")
            .replace(
                "{id}",
                &if tpl.contains("/ties/") {
                    tie_id
                } else {
                    round
                }
                .to_string(),
            );
        if *method == "GET" {
            assert_to_login(&anon.get(&path).await);
            assert_status(&w.outsider.get(&path).await, 403);
            assert_status(&w.member.get(&path).await, *member_st);
            assert_status(&w.leader.get(&path).await, *leader_st);
            assert_status(&w.admin.get(&path).await, 200);
        } else {
            let body: Vec<(&'static str, String)> = if path.ends_with("/network/ties") {
                tie(w.org_a, w.org_d, "information", "1", "")
            } else if path.ends_with("/end") {
                vec![("ended_on", "2026-02-01".to_owned())]
            } else if path.ends_with("/network/surveys") {
                vec![("title", "Segunda ronda".to_owned())]
            } else if path.ends_with("/import") {
                vec![
                    (
                        "csv",
                        format!(
                            "from,to,kind,strength\n{},{},alliance,2\n",
                            w.org_a, w.org_b
                        ),
                    ),
                    ("dry_run", "true".to_owned()),
                ]
            } else if path.ends_with("/close") {
                vec![]
            } else {
                vec![
                    ("to-0", w.org_c.to_string()),
                    ("kind-0", "referral".to_owned()),
                    ("strength-0", "2".to_owned()),
                ]
            };
            let body = refs(&body);
            let before = counts(&app).await;
            assert_to_login(&anon.post_form(&path, &body).await);
            assert_status(&w.outsider.post_form(&path, &body).await, 403);
            assert_eq!(
                before,
                counts(&app).await,
                "{path}: a refused request wrote"
            );
            // Without the CSRF token even the leader is refused.
            assert_status(&w.leader.post_raw(&path, &body).await, 403);
            assert_eq!(
                before,
                counts(&app).await,
                "{path}: CSRF-less request wrote"
            );
            assert_status(&w.member.post_form(&path, &body).await, *member_st);
            if *member_st == 403 {
                assert_eq!(before, counts(&app).await, "{path}: member wrote");
            }
            assert_status(&w.leader.post_form(&path, &body).await, *leader_st);
        }
    }
    // Ties are ended, never deleted.
    assert_eq!(
        scalar(
            &app,
            &format!(
                "SELECT COUNT(*) FROM network_ties WHERE id = {tie_id} AND ended_on IS NOT NULL"
            )
        )
        .await,
        1
    );
    // The JSON API: 401 without a session, 403 for outsiders.
    let api = format!("/api/v1/communities/{}/network", w.slug);
    assert_status(&anon.get(&api).await, 401);
    assert_status(&w.outsider.get(&api).await, 403);
    assert_status(&w.member.get(&api).await, 200);
    // A tie of another community is not found through this one.
    assert_status(
        &w.leader
            .post_form(
                &format!("/c/{}/network/ties/999999/end", w.slug),
                &[("ended_on", "2026-03-01")],
            )
            .await,
        404,
    );
    let _ = w.cid;
});

both_backends!(sensitive_ties_only_for_leaders, |app: TestApp| async move {
    let w = cast(&app).await;
    let funding = tie(w.org_d, w.org_a, "funding", "3", "2026-01-01");
    assert_status(
        &w.leader
            .post_form(&format!("/c/{}/network/ties", w.slug), &refs(&funding))
            .await,
        303,
    );
    let collab = tie(w.org_a, w.org_b, "collaboration", "2", "2026-01-01");
    assert_status(
        &w.member
            .post_form(&format!("/c/{}/network/ties", w.slug), &refs(&collab))
            .await,
        303,
    );
    let page = format!("/c/{}/network", w.slug);
    let m = w.member.get(&page).await;
    assert_status(&m, 200);
    assert!(
        !m.body.contains("<title>Fundación Secreta"),
        "member sees the funder on the map"
    );
    assert!(!m.body.contains("Financiamiento ·"));
    let l = w.leader.get(&page).await;
    assert!(l.body.contains("<title>Fundación Secreta"));
    assert!(l.body.contains("Financiamiento"));
    // The API and the exports.
    let api = format!("/api/v1/communities/{}/network", w.slug);
    let v = w.member.get(&api).await.json();
    assert_eq!(v["ties"].as_array().unwrap().len(), 1);
    assert!(v["ties"]
        .as_array()
        .unwrap()
        .iter()
        .all(|t| t["kind"] != "funding"));
    let v = w.leader.get(&api).await.json();
    assert_eq!(v["ties"].as_array().unwrap().len(), 2);
    let v = w.member.get(&format!("{api}?kind=funding")).await.json();
    assert_eq!(
        v["ties"].as_array().unwrap().len(),
        1,
        "the kind filter cannot reveal funding"
    );
    for fmt in ["gexf", "graphml", "nodes.csv", "json"] {
        let r = w.member.get(&format!("{page}/export/{fmt}")).await;
        assert_status(&r, 200);
        assert!(
            !r.body.contains("Fundación Secreta"),
            "{fmt} leaks the funder"
        );
        let r = w.leader.get(&format!("{api}/export/{fmt}")).await;
        assert_status(&r, 200);
        assert!(
            r.body.contains("Fundación Secreta"),
            "{fmt} misses the funder for leaders"
        );
    }
    // The edge list names organizations by id: one edge for the member, two for the leader.
    let lines = |b: &str| b.lines().filter(|l| !l.trim().is_empty()).count();
    let m = w.member.get(&format!("{page}/export/edges.csv")).await;
    let l = w.leader.get(&format!("{page}/export/edges.csv")).await;
    assert_eq!((lines(&m.body), lines(&l.body)), (2, 3), "{}", l.body);
    // Ending a sensitive tie by id is not found for members' eyes (they cannot end ties at all).
    let id = scalar(
        &app,
        "SELECT MIN(id) FROM network_ties WHERE kind = 'funding'",
    )
    .await;
    assert_status(
        &w.member
            .post_form(&format!("{page}/ties/{id}/end"), &[("ended_on", "")])
            .await,
        403,
    );
});

both_backends!(survey_answers_become_ties, |app: TestApp| async move {
    let w = cast(&app).await;
    let api = format!("/api/v1/communities/{}/network/surveys", w.slug);
    let token = w.leader.csrf().await;
    let r = w
        .leader
        .json(
            Method::POST,
            &api,
            &json!({ "title": "Ronda 2026" }),
            &[("x-csrf-token", &token)],
        )
        .await;
    assert_status(&r, 201);
    let round = r.json()["id"].as_i64().unwrap();
    // The member answers for their organization through the page; a bad row writes nothing.
    let page = format!("/c/{}/network/surveys/{round}", w.slug);
    let form = w.member.get(&page).await;
    assert!(form.body.contains("Colectivo Aurora"));
    let before = counts(&app).await;
    let bad = w
        .member
        .post_form(
            &page,
            &[
                ("to-0", &w.org_b.to_string()),
                ("kind-0", "alliance"),
                ("strength-0", "3"),
                ("to-1", &w.org_c.to_string()),
                ("kind-1", "alliance"),
                ("strength-1", "9"),
            ],
        )
        .await;
    assert_status(&bad, 422);
    assert_eq!(before, counts(&app).await);
    let ok = w
        .member
        .post_form(
            &page,
            &[
                ("to-0", &w.org_b.to_string()),
                ("kind-0", "alliance"),
                ("strength-0", "3"),
                ("trust-0", "4"),
                ("value-0", "3"),
                ("to-1", &w.org_c.to_string()),
                ("kind-1", "information"),
                ("strength-1", "1"),
            ],
        )
        .await;
    assert_status(&ok, 303);
    assert_eq!(
        scalar(
            &app,
            &format!("SELECT COUNT(*) FROM network_ties WHERE source = 'survey' AND round_id = {round} AND from_org = {}", w.org_a)
        )
        .await,
        2
    );
    // Answering twice is refused.
    let again = w
        .member
        .post_form(
            &page,
            &[
                ("to-0", &w.org_c.to_string()),
                ("kind-0", "alliance"),
                ("strength-0", "1"),
            ],
        )
        .await;
    assert_status(&again, 422);
    // Leaders see the answers; members see the figures only.
    let v = w.leader.get(&format!("{api}/{round}")).await.json();
    assert_eq!(v["answers"].as_array().unwrap().len(), 2);
    assert_eq!(v["figures"]["ties"], 2);
    let v = w.member.get(&format!("{api}/{round}")).await.json();
    assert!(v["answers"].is_null());
    // The leader answers by API; the survey ties are in today's network.
    let r = w
        .leader
        .json(
            Method::POST,
            &format!("{api}/{round}"),
            &json!({ "answers": [{ "to": w.org_a.to_string(), "kind": "mentoring", "strength": "2" }] }),
            &[("x-csrf-token", &token)],
        )
        .await;
    assert_status(&r, 201);
    let v = w
        .member
        .get(&format!("/api/v1/communities/{}/network", w.slug))
        .await
        .json();
    // Three ties, two pairs of organizations: the graph has one edge per pair.
    assert_eq!(v["ties"].as_array().unwrap().len(), 3);
    assert_eq!(v["figures"]["ties"], 2);
    // A second round, compared with the first.
    let r = w
        .leader
        .json(
            Method::POST,
            &api,
            &json!({ "title": "Ronda 2027" }),
            &[("x-csrf-token", &token)],
        )
        .await;
    let second = r.json()["id"].as_i64().unwrap();
    let p = w
        .leader
        .get(&format!(
            "/c/{}/network/surveys/{second}?compare={round}",
            w.slug
        ))
        .await;
    assert_status(&p, 200);
    assert!(p.body.contains("Ronda 2026"));
    // Answering the new round replaces the organization's earlier survey ties.
    let r = w
        .member
        .post_form(
            &format!("/c/{}/network/surveys/{second}", w.slug),
            &[
                ("to-0", &w.org_d.to_string()),
                ("kind-0", "collaboration"),
                ("strength-0", "2"),
            ],
        )
        .await;
    assert_status(&r, 303);
    assert_eq!(
        scalar(
            &app,
            &format!("SELECT COUNT(*) FROM network_ties WHERE round_id = {round} AND from_org = {} AND ended_on IS NOT NULL", w.org_a)
        )
        .await,
        2
    );
});

/// Enters ties directly through the API as the leader.
async fn add_ties(w: &Cast, ties: &[(i64, i64, &str, &str, &str)]) {
    let token = w.leader.csrf().await;
    for (from, to, kind, strength, start) in ties {
        let r = w
            .leader
            .json(
                Method::POST,
                &format!("/api/v1/communities/{}/network/ties", w.slug),
                &json!({ "from": from.to_string(), "to": to.to_string(), "kind": kind, "strength": strength, "started_on": start }),
                &[("x-csrf-token", &token)],
            )
            .await;
        assert_status(&r, 201);
    }
}

both_backends!(figures_equal_tejido_graph, |app: TestApp| async move {
    let w = cast(&app).await;
    let e = org_of_kind(&app, &format!("Radio Comunitaria {}", next_n()), "media").await;
    add_ties(
        &w,
        &[
            (w.org_a, w.org_b, "collaboration", "3", "2025-01-01"),
            (w.org_a, w.org_c, "information", "2", "2025-01-01"),
            (w.org_b, w.org_c, "alliance", "1", "2025-01-01"),
            (w.org_b, e, "referral", "2", "2025-01-01"),
            (w.org_b, w.org_d, "mentoring", "1", "2025-01-01"),
        ],
    )
    .await;
    let v = w
        .leader
        .get(&format!(
            "/api/v1/communities/{}/network?at=2026-06-01",
            w.slug
        ))
        .await
        .json();
    // The same data straight into the library.
    let sector = [
        (w.org_a, "cso"),
        (w.org_b, "government"),
        (w.org_c, "academia"),
        (w.org_d, "donor"),
        (e, "media"),
    ];
    let mut b = GraphBuilder::new(false);
    for (id, s) in sector {
        let n = b.add_node(&id.to_string());
        b.set_node_attr(n, "sector", s);
    }
    for (x, y) in [
        (w.org_a, w.org_b),
        (w.org_a, w.org_c),
        (w.org_b, w.org_c),
        (w.org_b, e),
        (w.org_b, w.org_d),
    ] {
        b.add_edge(&x.to_string(), &y.to_string(), None);
    }
    let g = b.build();
    let opts = tejido_graph::Options {
        group_attribute: Some("sector".into()),
        seed: 42,
        ..Default::default()
    };
    let r = tejido_graph::analyze(&g, &opts).unwrap();
    let f = &v["figures"];
    let close = |a: &serde_json::Value, b: Option<f64>| {
        let b = b.unwrap();
        assert!((a.as_f64().unwrap() - b).abs() < 1e-9, "{a} != {b}");
    };
    assert_eq!(f["size"], 5);
    assert_eq!(f["ties"], 5);
    close(&f["density"], r.graph.density);
    close(&f["centralization"], r.graph.degree_centralization);
    close(&f["clustering"], r.graph.average_clustering);
    close(&f["ei_index"], r.graph.ei_index.flatten());
    close(&f["modularity"], r.graph.modularity);
    assert_eq!(
        f["components"].as_u64().unwrap() as usize,
        r.graph.components.unwrap()
    );
    assert_eq!(
        f["communities"].as_u64().unwrap() as usize,
        r.graph.communities.unwrap()
    );
    close(&f["average_degree"], Some(2.0));
    close(&f["cross_sector_share"], Some(1.0));
    for node in r.nodes.iter() {
        let mine = f["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["id"].as_i64().unwrap().to_string() == node.id)
            .unwrap();
        close(&mine["betweenness"], node.betweenness);
        close(&mine["closeness"], node.closeness);
        close(&mine["pagerank"], node.pagerank);
        close(&mine["degree_centrality"], node.degree_centrality);
        assert_eq!(
            mine["brokerage"].as_u64().unwrap(),
            node.brokerage.unwrap().total
        );
    }
    assert!(v["explanations"]["density"]
        .as_str()
        .unwrap()
        .contains("posibles"));
    // The page shows the same density, with its explanation, and a map with a title per node.
    let p = w
        .leader
        .get(&format!(
            "/c/{}/network?at=2026-06-01&size=betweenness",
            w.slug
        ))
        .await;
    assert!(p.body.contains(&format!("{:.3}", r.graph.density.unwrap())));
    assert!(p
        .body
        .contains("Qué parte de todas las relaciones posibles existe"));
    assert!(p.body.contains("viewBox=\"0 0 600 600\""));
    assert!(p.body.contains("<title>Radio Comunitaria"));
    assert!(p.body.len() < 300_000);
    // Exports parse back with the library's readers.
    let gexf = w
        .leader
        .get(&format!("/c/{}/network/export/gexf?at=2026-06-01", w.slug))
        .await;
    let mut gb = GraphBuilder::new(false);
    tejido_graph::io::gexf::read(&gexf.body, &mut gb).unwrap();
    let back = gb.build();
    assert_eq!((back.node_count(), back.edge_count()), (5, 5));
    let graphml = w
        .leader
        .get(&format!(
            "/c/{}/network/export/graphml?at=2026-06-01",
            w.slug
        ))
        .await;
    let mut gb = GraphBuilder::new(false);
    tejido_graph::io::graphml::read(&graphml.body, &mut gb).unwrap();
    let back = gb.build();
    assert_eq!((back.node_count(), back.edge_count()), (5, 5));
    assert_eq!(
        back.node_attr(back.index_of(&e.to_string()).unwrap(), "sector"),
        Some("media")
    );
    // scripts/test opens these with NetworkX's read_gexf / read_graphml as an independent check.
    if let Ok(dir) = std::env::var("TEJIDO_TEST_ARTIFACTS") {
        let dir = std::path::Path::new(&dir);
        let b = format!("{:?}", app.db.backend());
        std::fs::write(dir.join(format!("network-{b}.gexf")), &gexf.body).unwrap();
        std::fs::write(dir.join(format!("network-{b}.graphml")), &graphml.body).unwrap();
    }
});

both_backends!(change_against_a_baseline, |app: TestApp| async move {
    let w = cast(&app).await;
    add_ties(
        &w,
        &[
            (w.org_a, w.org_b, "collaboration", "3", "2025-01-01"),
            (w.org_a, w.org_c, "information", "2", "2025-01-01"),
            (w.org_b, w.org_d, "alliance", "2", "2026-05-01"),
            (w.org_a, w.org_b, "peer-help", "1", "2026-05-01"),
        ],
    )
    .await;
    let ended = scalar(
        &app,
        "SELECT MIN(id) FROM network_ties WHERE kind = 'information'",
    )
    .await;
    let token = w.leader.csrf().await;
    let r = w
        .leader
        .json(
            Method::POST,
            &format!("/api/v1/communities/{}/network/ties/{ended}/end", w.slug),
            &json!({ "ended_on": "2026-03-01" }),
            &[("x-csrf-token", &token)],
        )
        .await;
    assert_status(&r, 200);
    assert_eq!(r.json()["ended_on"], "2026-03-01");
    let v = w
        .member
        .get(&format!(
            "/api/v1/communities/{}/network?at=2026-11-01&baseline=2026-01-01",
            w.slug
        ))
        .await
        .json();
    let ch = &v["change"];
    assert_eq!(ch["added"], 2);
    assert_eq!(ch["ended"], 1);
    assert_eq!(ch["new_cross_sector"], 2);
    // The past is rebuilt: on the baseline both early ties were active.
    let v = w
        .member
        .get(&format!(
            "/api/v1/communities/{}/network?at=2026-01-01",
            w.slug
        ))
        .await
        .json();
    assert_eq!(v["figures"]["ties"], 2);
    // Side by side on the page: two maps.
    let p = w
        .member
        .get(&format!(
            "/c/{}/network?at=2026-11-01&baseline=2026-01-01",
            w.slug
        ))
        .await;
    assert_eq!(p.body.matches("<svg xmlns").count(), 2);
    assert!(p.body.contains("Vínculos nuevos: 2"));
});

both_backends!(
    csv_import_dry_run_and_validation,
    |app: TestApp| async move {
        let w = cast(&app).await;
        let page = format!("/c/{}/network/import", w.slug);
        let good = format!(
        "from,to,kind,strength,trust,value,started_on,ended_on,via_community\n{a},{b},alliance,2,3,4,2026-01-01,,true\n{a},{c},referral,1,,,,,\n",
        a = w.org_a,
        b = w.org_b,
        c = w.org_c
    );
        let bad = format!(
        "from,to,kind,strength\n{a},{b},alliance,2\n{a},{a},alliance,2\n{a},999999,alliance,2\n",
        a = w.org_a,
        b = w.org_b
    );
        let before = counts(&app).await;
        let r = w
            .leader
            .post_form(&page, &[("csv", &bad), ("dry_run", "")])
            .await;
        assert_status(&r, 422);
        assert!(r.body.contains("Línea 3"), "{}", r.body);
        assert!(!r.body.contains("Línea 2"));
        assert_eq!(before, counts(&app).await, "a bad import wrote");
        // An unknown organization is reported once the rows parse.
        let bad2 = format!(
            "from,to,kind,strength\n{a},{b},alliance,2\n{a},999999,alliance,2\n",
            a = w.org_a,
            b = w.org_b
        );
        let r = w.leader.post_form(&page, &[("csv", &bad2)]).await;
        assert_status(&r, 422);
        assert!(r.body.contains("Línea 3"));
        assert_eq!(before, counts(&app).await);
        let r = w
            .leader
            .post_form(&page, &[("csv", &good), ("dry_run", "true")])
            .await;
        assert_status(&r, 200);
        assert_eq!(before, counts(&app).await, "a dry run wrote");
        let r = w.leader.post_form(&page, &[("csv", &good)]).await;
        assert_status(&r, 200);
        assert_eq!(app.count("network_ties").await, before[0] + 2);
        assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM network_ties WHERE source = 'import' AND via_community = TRUE").await,
        1
    );
        // The API import reports bad lines as JSON.
        let token = w.leader.csrf().await;
        let r = w
            .leader
            .json(
                Method::POST,
                &format!("/api/v1/communities/{}/network/import", w.slug),
                &json!({ "csv": bad, "dry_run": "true" }),
                &[("x-csrf-token", &token)],
            )
            .await;
        assert_status(&r, 422);
        assert_eq!(r.json()["bad"][0]["line"], 3);
        // Invalid ties: 422 with nothing written, in the page and the API.
        let before = counts(&app).await;
        let t = tie(w.org_a, w.org_b, "gossip", "7", "2026-13-01");
        let r = w
            .member
            .post_form(&format!("/c/{}/network/ties", w.slug), &refs(&t))
            .await;
        assert_status(&r, 422);
        assert!(r.body.contains("aria-invalid"));
        // Two outsiders' organizations: one end must be a member.
        let t = tie(w.org_c, w.org_d, "alliance", "2", "");
        assert_status(
            &w.member
                .post_form(&format!("/c/{}/network/ties", w.slug), &refs(&t))
                .await,
            422,
        );
        let token = w.member.csrf().await;
        let r = w
        .member
        .json(
            Method::POST,
            &format!("/api/v1/communities/{}/network/ties", w.slug),
            &json!({ "from": w.org_a.to_string(), "to": w.org_b.to_string(), "kind": "alliance", "strength": "0" }),
            &[("x-csrf-token", &token)],
        )
        .await;
        assert_status(&r, 422);
        assert_eq!(before, counts(&app).await);
    }
);

both_backends!(a_large_network_stays_small, |app: TestApp| async move {
    let w = cast(&app).await;
    let n = next_n();
    let mut orgs = vec![w.org_a, w.org_b];
    for i in 0..60 {
        orgs.push(
            org_of_kind(
                &app,
                &format!("Org {n}-{i}"),
                if i % 3 == 0 { "iso" } else { "cso" },
            )
            .await,
        );
    }
    // 700 ties among 62 organizations, through the import (one transaction).
    let mut csv = String::from("from,to,kind,strength\n");
    let kinds = ["collaboration", "information", "alliance", "peer-help"];
    let mut k = 0usize;
    'outer: for i in 0..orgs.len() {
        for j in (i + 1)..orgs.len() {
            if (i * 7 + j * 3) % 2 != 0 {
                continue;
            }
            csv.push_str(&format!(
                "{},{},{},{}\n",
                orgs[i],
                orgs[j],
                kinds[k % 4],
                1 + k % 3
            ));
            k += 1;
            if k == 700 {
                break 'outer;
            }
        }
    }
    assert_eq!(k, 700);
    let r = w
        .leader
        .post_form(&format!("/c/{}/network/import", w.slug), &[("csv", &csv)])
        .await;
    assert_status(&r, 200);
    let p = w.leader.get(&format!("/c/{}/network", w.slug)).await;
    assert_status(&p, 200);
    assert!(p.body.len() < 300_000, "page is {} bytes", p.body.len());
    assert!(p.body.contains("100 vínculos más débiles no se dibujan"));
    assert_eq!(p.body.matches("<line ").count(), 600);
});

async fn tie_ratings(
    app: &TestApp,
    id: i64,
) -> (
    Option<i64>,
    Option<i64>,
    Option<f64>,
    Option<f64>,
    Option<i64>,
    Option<i64>,
) {
    let sql = format!(
        "SELECT trust, value, trust_mean, value_mean, reliability, involvement FROM network_ties WHERE id = {id}"
    );
    match &app.db {
        Db::Sqlite(p) => sqlx::query_as(&sql).fetch_one(p).await.unwrap(),
        Db::Postgres(p) => sqlx::query_as(&sql).fetch_one(p).await.unwrap(),
    }
}

fn with_subs(mut f: Vec<(&'static str, String)>, subs: [&str; 6]) -> Vec<(&'static str, String)> {
    f.retain(|(k, _)| *k != "trust" && *k != "value");
    for (k, v) in [
        "reliability",
        "mission",
        "openness",
        "power",
        "resources",
        "involvement",
    ]
    .into_iter()
    .zip(subs)
    {
        if !v.is_empty() {
            f.push((k, v.to_owned()));
        }
    }
    f
}

// PARTNER sub-ratings through the tie form, the survey and the API: all six or none, trust and
// value derived as their means (exact to two decimals, rounded in the integer columns).
both_backends!(
    sub_ratings_derive_trust_and_value,
    |app: TestApp| async move {
        let w = cast(&app).await;
        let ties = format!("/c/{}/network/ties", w.slug);
        // The form offers them in Spanish.
        let page = w.member.get(&format!("/c/{}/network", w.slug)).await;
        assert!(page.body.contains("Calificación detallada (PARTNER)"));
        assert!(page.body.contains("Misión compartida"));
        assert!(page.body.contains("3 · Bastante"));
        let before = counts(&app).await;
        // Some but not all: 422, every missing one named, nothing written.
        let partial = with_subs(
            tie(w.org_a, w.org_c, "collaboration", "2", "2026-01-10"),
            ["4", "", "1", "2", "2", ""],
        );
        let r = w.member.post_form(&ties, &refs(&partial)).await;
        assert_status(&r, 422);
        assert!(r.body.contains("califica las seis preguntas"), "{}", r.body);
        assert!(r.body.contains("id=\"f-mission-error\""));
        assert!(r.body.contains("id=\"f-involvement-error\""));
        // Sub-ratings and a direct trust at once: refused.
        let mut both = with_subs(
            tie(w.org_a, w.org_c, "collaboration", "2", "2026-01-10"),
            ["4", "3", "1", "2", "2", "1"],
        );
        both.push(("trust", "2".into()));
        let r = w.member.post_form(&ties, &refs(&both)).await;
        assert_status(&r, 422);
        assert!(r.body.contains("no de las dos formas"));
        // Out of range.
        let bad = with_subs(
            tie(w.org_a, w.org_c, "collaboration", "2", "2026-01-10"),
            ["5", "3", "1", "2", "2", "1"],
        );
        assert_status(&w.member.post_form(&ties, &refs(&bad)).await, 422);
        assert_eq!(before, counts(&app).await);
        // All six: trust (4 + 3 + 1) / 3 = 2.67 → 3, value (2 + 2 + 1) / 3 = 1.67 → 2.
        let good = with_subs(
            tie(w.org_a, w.org_c, "collaboration", "2", "2026-01-10"),
            ["4", "3", "1", "2", "2", "1"],
        );
        assert_status(&w.member.post_form(&ties, &refs(&good)).await, 303);
        let id = scalar(&app, "SELECT MAX(id) FROM network_ties").await;
        assert_eq!(
            tie_ratings(&app, id).await,
            (Some(3), Some(2), Some(2.67), Some(1.67), Some(4), Some(1))
        );
        // A tie rated directly keeps no sub-ratings.
        assert_status(
            &w.member
                .post_form(
                    &ties,
                    &refs(&tie(w.org_a, w.org_d, "alliance", "1", "2026-01-10")),
                )
                .await,
            303,
        );
        let id = scalar(&app, "SELECT MAX(id) FROM network_ties").await;
        assert_eq!(
            tie_ratings(&app, id).await,
            (Some(3), Some(4), None, None, None, None)
        );
        // API: (1 + 1 + 2) / 3 = 1.33 → 1; (4 + 4 + 4) / 3 = 4.
        let token = w.member.csrf().await;
        let r = w
        .member
        .json(
            Method::POST,
            &format!("/api/v1/communities/{}/network/ties", w.slug),
            &json!({ "from": w.org_b.to_string(), "to": w.org_a.to_string(), "kind": "information", "strength": "1",
                     "reliability": "1", "mission": "1", "openness": "2", "power": "4", "resources": "4", "involvement": "4" }),
            &[("x-csrf-token", &token)],
        )
        .await;
        assert_status(&r, 201);
        let j = r.json();
        assert_eq!(
            (j["trust"].as_i64(), j["value"].as_i64()),
            (Some(1), Some(4))
        );
        assert_eq!(j["trust_mean"].as_f64(), Some(1.33));
        assert_eq!(j["openness"].as_i64(), Some(2));
        // The survey: a row with sub-ratings becomes a rated survey tie; a half-rated row is refused.
        let ltoken = w.leader.csrf().await;
        let r = w
            .leader
            .json(
                Method::POST,
                &format!("/api/v1/communities/{}/network/surveys", w.slug),
                &json!({ "title": "Ronda PARTNER" }),
                &[("x-csrf-token", &ltoken)],
            )
            .await;
        let round = r.json()["id"].as_i64().unwrap();
        let page = format!("/c/{}/network/surveys/{round}", w.slug);
        let form = w.member.get(&page).await;
        assert!(form.body.contains("name=\"reliability-0\""));
        let c = w.org_c.to_string();
        let before = counts(&app).await;
        let r = w
            .member
            .post_form(
                &page,
                &[
                    ("to-0", c.as_str()),
                    ("kind-0", "alliance"),
                    ("strength-0", "3"),
                    ("reliability-0", "4"),
                ],
            )
            .await;
        assert_status(&r, 422);
        assert!(r.body.contains("id=\"f-mission-0-error\""));
        assert_eq!(before, counts(&app).await);
        let r = w
            .member
            .post_form(
                &page,
                &[
                    ("to-0", c.as_str()),
                    ("kind-0", "alliance"),
                    ("strength-0", "3"),
                    ("reliability-0", "4"),
                    ("mission-0", "4"),
                    ("openness-0", "3"),
                    ("power-0", "1"),
                    ("resources-0", "2"),
                    ("involvement-0", "2"),
                ],
            )
            .await;
        assert_status(&r, 303);
        let id = scalar(
            &app,
            &format!("SELECT MAX(id) FROM network_ties WHERE round_id = {round}"),
        )
        .await;
        assert_eq!(
            tie_ratings(&app, id).await,
            (Some(4), Some(2), Some(3.67), Some(1.67), Some(4), Some(2))
        );
        // Leaders see the exact means among the answers.
        let p = w.leader.get(&page).await;
        assert!(p.body.contains("3.67"), "{}", p.body);
        // The CSV import takes the six optional columns.
        let csv = format!(
        "from,to,kind,strength,trust,value,started_on,ended_on,via_community,reliability,mission,openness,power,resources,involvement\n{},{},referral,1,,,2026-02-01,,,2,2,2,3,3,4\n",
        w.org_b, w.org_c
    );
        let r = w
            .leader
            .post_form(
                &format!("/c/{}/network/import", w.slug),
                &[("csv", csv.as_str())],
            )
            .await;
        assert_status(&r, 200);
        let id = scalar(
            &app,
            "SELECT MAX(id) FROM network_ties WHERE source = 'import'",
        )
        .await;
        assert_eq!(
            tie_ratings(&app, id).await,
            (Some(2), Some(3), Some(2.0), Some(3.33), Some(2), Some(4))
        );
    }
);

// Each organization's trust and value = the mean of what the others rate it (each rater once);
// the network's = the mean over ties, also as % of the maximum. Hand-computed fixture.
both_backends!(scores_per_organization, |app: TestApp| async move {
    let w = cast(&app).await;
    let token = w.leader.csrf().await;
    let api = format!("/api/v1/communities/{}/network/ties", w.slug);
    let add = |body: serde_json::Value| {
        let leader = w.leader.clone();
        let api = api.clone();
        let token = token.clone();
        async move {
            let r = leader
                .json(Method::POST, &api, &body, &[("x-csrf-token", &token)])
                .await;
            assert_status(&r, 201);
        }
    };
    let (a, b, c, d) = (
        w.org_a.to_string(),
        w.org_b.to_string(),
        w.org_c.to_string(),
        w.org_d.to_string(),
    );
    // a → c: trust 4, value 3 (direct); a → c: sub-ratings 1.33 / 4.
    add(json!({ "from": a, "to": c, "kind": "collaboration", "strength": "2", "trust": "4", "value": "3", "started_on": "2026-01-01" })).await;
    add(json!({ "from": a, "to": c, "kind": "referral", "strength": "1", "started_on": "2026-01-01",
                "reliability": "1", "mission": "1", "openness": "2", "power": "4", "resources": "4", "involvement": "4" })).await;
    // b → c: 2 / 2; b → a: sub-ratings 2.67 / 1.67; a → d: no rating.
    add(json!({ "from": b, "to": c, "kind": "alliance", "strength": "3", "trust": "2", "value": "2", "started_on": "2026-01-01" })).await;
    add(json!({ "from": b, "to": a, "kind": "information", "strength": "2", "started_on": "2026-01-01",
                "reliability": "4", "mission": "3", "openness": "1", "power": "2", "resources": "2", "involvement": "1" })).await;
    add(json!({ "from": a, "to": d, "kind": "mentoring", "strength": "1", "started_on": "2026-01-01" })).await;
    let v = w
        .member
        .get(&format!(
            "/api/v1/communities/{}/network?at=2026-06-01",
            w.slug
        ))
        .await
        .json();
    let f = &v["figures"];
    let close = |x: &serde_json::Value, y: f64| (x.as_f64().unwrap() - y).abs() < 1e-9;
    // Network: trust (4 + 1.33 + 2 + 2.67) / 4 = 2.5 → 62.5 %; value (3 + 4 + 2 + 1.67) / 4.
    assert!(close(&f["partner"]["trust"], 2.5), "{f}");
    assert!(close(&f["partner"]["trust_percent"], 62.5));
    assert!(close(&f["partner"]["value"], 10.67 / 4.0));
    assert!(close(
        &f["partner"]["value_percent"],
        10.67 / 4.0 / 4.0 * 100.0
    ));
    assert_eq!(f["partner"]["rated_ties"], 4);
    assert!(close(&f["trust"], 2.5));
    // c: raters a ((4 + 1.33) / 2 = 2.665 trust, (3 + 4) / 2 = 3.5 value) and b (2, 2).
    let scores = f["actor_scores"].as_array().unwrap();
    assert_eq!(scores.len(), 2, "{scores:?}");
    assert_eq!(scores[0]["id"].as_i64(), Some(w.org_c));
    assert_eq!(scores[0]["raters"], 2);
    assert!(close(&scores[0]["trust"], (2.665 + 2.0) / 2.0));
    assert!(close(&scores[0]["value"], 2.75));
    // a: rated by b only.
    assert_eq!(scores[1]["id"].as_i64(), Some(w.org_a));
    assert_eq!(scores[1]["raters"], 1);
    assert!(close(&scores[1]["trust"], 2.67));
    assert!(close(&scores[1]["value"], 1.67));
    // The analysis page shows the table.
    let p = w
        .member
        .get(&format!("/c/{}/network?at=2026-06-01", w.slug))
        .await;
    assert_status(&p, 200);
    assert!(p.body.contains("Confianza y valor por organización"));
    assert!(
        p.body.contains("<td>2.33</td><td>2.75</td><td>2</td>"),
        "{}",
        p.body
    );
    assert!(p.body.contains("<td>2.67</td><td>1.67</td><td>1</td>"));
    assert!(p.body.contains("2.50 (62 %)") || p.body.contains("2.50 (63 %)"));
});

both_backends!(
    exports_defuse_spreadsheet_formulas,
    |app: TestApp| async move {
        // An organization whose name is a formula (as an import or an attacker could write it) and a
        // tie that names it: the CSV exports carry the name as text, never as a formula.
        let w = cast(&app).await;
        exec(
        &app,
        &format!(
            "UPDATE organizations SET name = '=HYPERLINK(\"http://evil.example\",\"x\")' WHERE id = {}",
            w.org_c
        ),
    )
    .await
    .unwrap();
        let t = tie(w.org_a, w.org_c, "collaboration", "2", "2026-01-10");
        assert_status(
            &w.leader
                .post_form(&format!("/c/{}/network/ties", w.slug), &refs(&t))
                .await,
            303,
        );
        let page = format!("/c/{}/network", w.slug);
        let nodes = w.leader.get(&format!("{page}/export/nodes.csv")).await;
        assert_status(&nodes, 200);
        assert!(nodes.body.starts_with('\u{feff}'), "no byte-order mark");
        assert!(
            nodes
                .body
                .contains("\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\""),
            "{}",
            nodes.body
        );
        let starts_formula = |b: &str| {
            b.lines()
                .flat_map(|l| l.split(','))
                .map(|c| c.trim_start_matches(['"', '\u{feff}']))
                .any(|c| c.starts_with(['=', '+', '@', '\t', '\r']))
        };
        assert!(!starts_formula(&nodes.body), "{}", nodes.body);
        let edges = w.leader.get(&format!("{page}/export/edges.csv")).await;
        assert_status(&edges, 200);
        assert!(!starts_formula(&edges.body), "{}", edges.body);
    }
);

both_backends!(
    a_member_sees_and_ends_the_funding_tie_it_recorded,
    |app: TestApp| async move {
        let w = cast(&app).await;
        let n = next_n();
        let (other, _, other_p) = app.signed_in(&format!("otra{n}@example.org"), false).await;
        app.add_member(w.cid, other_p, Role::Member).await;
        // Through the API: 201 with the tie itself, not null.
        let api = format!("/api/v1/communities/{}/network/ties", w.slug);
        let token = w.member.csrf().await;
        let r = w
        .member
        .json(
            Method::POST,
            &api,
            &json!({ "from": w.org_a.to_string(), "to": w.org_d.to_string(), "kind": "funding", "strength": "3", "started_on": "2026-02-01" }),
            &[("x-csrf-token", &token)],
        )
        .await;
        assert_status(&r, 201);
        let v = r.json();
        assert_eq!(v["kind"], "funding", "{v}");
        assert!(
            v.get("entered_by").is_none(),
            "the recorder's account is not published"
        );
        let id = v["id"].as_i64().unwrap();
        // The page lists it for its recorder only, under its own heading; the map still hides it.
        let page = format!("/c/{}/network", w.slug);
        let mine = w.member.get(&page).await;
        assert!(mine
            .body
            .contains("Vínculos de financiamiento que registraste"));
        assert!(mine.body.contains(&format!("/network/ties/{id}/end")));
        let theirs = other.get(&page).await;
        assert!(
            !theirs
                .body
                .contains("Vínculos de financiamiento que registraste"),
            "another member sees it"
        );
        assert!(!theirs.body.contains(&format!("/network/ties/{id}/end")));
        // Another member cannot end it; its recorder can, once.
        assert_status(
            &other
                .post_form(&format!("{page}/ties/{id}/end"), &[("ended_on", "")])
                .await,
            403,
        );
        assert_eq!(
            scalar(
                &app,
                &format!("SELECT COUNT(*) FROM network_ties WHERE id = {id} AND ended_on IS NULL")
            )
            .await,
            1
        );
        assert_status(
            &w.member
                .post_form(&format!("{page}/ties/{id}/end"), &[("ended_on", "")])
                .await,
            303,
        );
        assert_eq!(
            scalar(
                &app,
                &format!("SELECT COUNT(*) FROM network_ties WHERE id = {id} AND ended_on IS NULL")
            )
            .await,
            0
        );
        let after = w.member.get(&page).await;
        assert!(!after.body.contains(&format!("/network/ties/{id}/end")));
        // The member still cannot end a tie someone else recorded.
        let t = tie(w.org_a, w.org_c, "collaboration", "2", "2026-01-10");
        assert_status(
            &w.leader
                .post_form(&format!("/c/{}/network/ties", w.slug), &refs(&t))
                .await,
            303,
        );
        let led = scalar(
            &app,
            &format!(
                "SELECT MAX(id) FROM network_ties WHERE community_id = {}",
                w.cid
            ),
        )
        .await;
        assert_status(
            &w.member
                .post_form(&format!("{page}/ties/{led}/end"), &[("ended_on", "")])
                .await,
            403,
        );
    }
);
