//! Sustainability: route tests (both backends). The instrument against the seed's Table 4,
//! authorization route by route, the aggregation's arithmetic against hand-computed figures,
//! refused ratings (outsiders, out of the scale, closed rounds: nothing saved), confidentiality,
//! the radar's outlines, and a gap turned into an action item with an owner.

use super::*;

struct Cast {
    slug: String,
    cid: i64,
    outsider: Client,
    outsider_p: i64,
    member: Client,
    member_p: i64,
    member2: Client,
    member3: Client,
    leader: Client,
}

async fn cast(app: &TestApp) -> Cast {
    let n = next_n();
    let (outsider, _, outsider_p) = app.signed_in(&format!("fuera{n}@example.org"), false).await;
    let (member, _, member_p) = app
        .signed_in(&format!("integrante{n}@example.org"), false)
        .await;
    let (member2, _, member2_p) = app
        .signed_in(&format!("integrante2-{n}@example.org"), false)
        .await;
    let (member3, _, member3_p) = app
        .signed_in(&format!("integrante3-{n}@example.org"), false)
        .await;
    let (leader, _, leader_p) = app.signed_in(&format!("lider{n}@example.org"), false).await;
    let (cid, slug) = app
        .community(&format!("Red de Sostenibilidad {n}"), leader_p, "private")
        .await;
    for p in [member_p, member2_p, member3_p] {
        app.add_member(cid, p, Role::Member).await;
    }
    Cast {
        slug,
        cid,
        outsider,
        outsider_p,
        member,
        member_p,
        member2,
        member3,
        leader,
    }
}

fn day(offset: i64) -> String {
    // Dates as the community lives them (its zone is Mexico City's): after 18:00 there, UTC
    // is already tomorrow.
    (tejido_web::time::today_here() + chrono::Duration::days(offset)).to_string()
}

/// Opens a round through the page and returns its id.
async fn new_round(w: &Cast, title: &str, opens: i64, closes: i64) -> i64 {
    let r = w
        .leader
        .post_form(
            &format!("/c/{}/sustainability/rounds", w.slug),
            &[
                ("title", title),
                ("opens_on", &day(opens)),
                ("closes_on", &day(closes)),
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

/// Posts JSON to the API with the client's CSRF token, as a browser-based client would.
trait PostJson {
    async fn post_json(&self, path: &str, body: &serde_json::Value) -> Resp;
}

impl PostJson for Client {
    async fn post_json(&self, path: &str, body: &serde_json::Value) -> Resp {
        let token = self.csrf().await;
        self.json(Method::POST, path, body, &[("x-csrf-token", &token)])
            .await
    }
}

async fn rate(c: &Client, w: &Cast, round: i64, fields: &[(&str, &str)]) -> Resp {
    c.post_form(
        &format!("/c/{}/sustainability/rounds/{round}/rate", w.slug),
        fields,
    )
    .await
}

/// (method, path, member's status, leader's status); anonymous visitors go to sign in and
/// outsiders get 403 on every one.
pub(crate) const ROUTES: &[(&str, &str, u16, u16)] = &[
    ("GET", "/c/{slug}/sustainability", 200, 200),
    ("POST", "/c/{slug}/sustainability/rounds", 403, 303),
    ("GET", "/c/{slug}/sustainability/rounds/{id}", 200, 200),
    ("GET", "/c/{slug}/sustainability/rounds/{id}/rate", 200, 200),
    (
        "POST",
        "/c/{slug}/sustainability/rounds/{id}/rate",
        303,
        303,
    ),
    (
        "POST",
        "/c/{slug}/sustainability/rounds/{id}/actions",
        403,
        303,
    ),
    (
        "POST",
        "/c/{slug}/sustainability/actions/{id}/status",
        403,
        303,
    ),
];

#[test]
fn every_sustainability_route_is_in_the_table() {
    let table: Vec<_> = ROUTES.iter().map(|(m, p, _, _)| (*m, *p)).collect();
    assert_pages_listed("sustainability", &table, |_| false);
}

async fn counts(app: &TestApp) -> [i64; 3] {
    [
        app.count("assessment_rounds").await,
        app.count("assessment_responses").await,
        app.count("sustainability_actions").await,
    ]
}

both_backends!(authorization_route_by_route, |app: TestApp| async move {
    let w = cast(&app).await;
    let round = new_round(&w, "Ronda de prueba", -3, 10).await;
    // An action item owned by the third member (not the member the table tests).
    let r = w
        .leader
        .post_form(
            &format!("/c/{}/sustainability/rounds/{round}/actions", w.slug),
            &[
                ("item", "fu-2"),
                ("title", "Plan de procuración"),
                ("owner", &w.member_p.to_string()),
                ("due_on", &day(30)),
            ],
        )
        .await;
    assert_status(&r, 303);
    let action = scalar(&app, "SELECT MAX(id) FROM sustainability_actions").await;
    // The member owns that one, so give the table a second item owned by someone else.
    let other_p = scalar(
        &app,
        &format!(
            "SELECT person_id FROM community_people WHERE community_id = {} AND person_id <> {} ORDER BY person_id LIMIT 1",
            w.cid, w.member_p
        ),
    )
    .await;
    let r = w
        .leader
        .post_form(
            &format!("/c/{}/sustainability/rounds/{round}/actions", w.slug),
            &[
                ("item", "cu-1"),
                ("title", "Acordar reglas de decisión"),
                ("owner", &other_p.to_string()),
                ("due_on", &day(30)),
            ],
        )
        .await;
    assert_status(&r, 303);
    let other_action = scalar(&app, "SELECT MAX(id) FROM sustainability_actions").await;
    assert_ne!(action, other_action);
    let anon = app.client();
    for (method, tpl, member_st, leader_st) in ROUTES {
        let id = if tpl.contains("/actions/{id}") {
            other_action
        } else {
            round
        };
        let path = tpl
            .replace("{slug}", &w.slug)
            .replace("{id}", &id.to_string());
        let opens = day(0);
        let closes = day(5);
        let due = day(20);
        let mp = w.member_p.to_string();
        let body: Vec<(&str, &str)> = if path.ends_with("/rounds") {
            vec![
                ("title", "Otra ronda"),
                ("opens_on", &opens),
                ("closes_on", &closes),
            ]
        } else if path.ends_with("/rate") {
            vec![("r-ms-1", "2"), ("e-ms-1", "Acta de la sesión")]
        } else if path.ends_with("/actions") {
            vec![
                ("item", "ms-3"),
                ("title", "Redactar reglas de convivencia"),
                ("owner", &mp),
                ("due_on", &due),
            ]
        } else if path.ends_with("/status") {
            vec![("status", "done")]
        } else {
            vec![]
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
            assert_status(&w.leader.post_form(&path, &body).await, *leader_st);
        }
    }
    // The owner of an action item may change its status; another member may not.
    let own = format!("/c/{}/sustainability/actions/{action}/status", w.slug);
    assert_status(&w.member2.post_form(&own, &[("status", "done")]).await, 403);
    assert_status(&w.member.post_form(&own, &[("status", "done")]).await, 303);
    assert_eq!(
        scalar(
            &app,
            &format!("SELECT COUNT(*) FROM sustainability_actions WHERE id = {action} AND status = 'done'")
        )
        .await,
        1
    );
    // JSON: 401 anonymous, 403 outsider, members read, only managers write.
    let api = format!("/api/v1/communities/{}/sustainability", w.slug);
    for p in ["/instrument", "/rounds", "/actions"] {
        assert_status(&anon.get(&format!("{api}{p}")).await, 401);
        assert_status(&w.outsider.get(&format!("{api}{p}")).await, 403);
        assert_status(&w.member.get(&format!("{api}{p}")).await, 200);
    }
    let results = format!("{api}/rounds/{round}/results");
    assert_status(&w.outsider.get(&results).await, 403);
    assert_status(&w.member.get(&results).await, 200);
    let body = json!({ "title": "Ronda API", "opens_on": day(0), "closes_on": day(3) });
    assert_status(
        &w.member.post_json(&format!("{api}/rounds"), &body).await,
        403,
    );
    assert_status(
        &w.leader.post_json(&format!("{api}/rounds"), &body).await,
        201,
    );
    let act = json!({ "item": "pr-3", "title": "Repositorio común", "owner": w.member_p.to_string(), "due_on": day(40) });
    let ap = format!("{api}/rounds/{round}/actions");
    assert_status(&w.member.post_json(&ap, &act).await, 403);
    assert_status(&w.leader.post_json(&ap, &act).await, 201);
    // A round of another community is not found through this one.
    let (other, _, other_leader) = app
        .signed_in(&format!("otra{}@example.org", next_n()), false)
        .await;
    let (_, other_slug) = app
        .community(&format!("Otra red {}", next_n()), other_leader, "private")
        .await;
    let r = other
        .post_form(
            &format!("/c/{other_slug}/sustainability/rounds"),
            &[
                ("title", "Ajena"),
                ("opens_on", &day(-1)),
                ("closes_on", &day(3)),
            ],
        )
        .await;
    assert_status(&r, 303);
    let foreign = scalar(&app, "SELECT MAX(id) FROM assessment_rounds").await;
    for p in ["", "/rate"] {
        let path = format!("/c/{}/sustainability/rounds/{foreign}{p}", w.slug);
        assert_status(&w.member.get(&path).await, 404);
    }
    let before = counts(&app).await;
    assert_status(&rate(&w.member, &w, foreign, &[("r-ms-1", "2")]).await, 404);
    assert_eq!(before, counts(&app).await);
});

both_backends!(
    instrument_is_the_seeds_table_4_in_both_languages,
    |app: TestApp| async move {
        let w = cast(&app).await;
        let api = format!("/api/v1/communities/{}/sustainability/instrument", w.slug);
        let en = english(w.member.clone());
        let j = en.get(&api).await.json();
        let dims = j["dimensions"].as_array().unwrap();
        let shape: Vec<(String, usize)> = dims
            .iter()
            .map(|d| {
                (
                    d["title"].as_str().unwrap().to_owned(),
                    d["criteria"].as_array().unwrap().len(),
                )
            })
            .collect();
        assert_eq!(
            shape,
            [
                ("Management and Structure".to_owned(), 4),
                ("Funding".to_owned(), 4),
                ("Processes".to_owned(), 4),
                ("Culture".to_owned(), 6)
            ]
        );
        // The English catalog carries the seed's text word for word.
        for d in dims {
            for k in d["criteria"].as_array().unwrap() {
                assert_eq!(k["text"], k["source"], "{}", k["key"]);
            }
        }
        assert_eq!(
            dims[1]["criteria"][3]["text"],
            "Mapping and recognition of the collective assets (in cash and in kind) that member CSOs can put forward."
        );
        let stages: Vec<&str> = j["scale"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["label"].as_str().unwrap())
            .collect();
        assert_eq!(
            stages,
            [
                "Not yet present",
                "Emergent",
                "Expanding",
                "Advanced",
                "Institutionalized"
            ]
        );
        // Spanish: translated, not the English source.
        let j = w.member.get(&api).await.json();
        let stages: Vec<&str> = j["scale"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["label"].as_str().unwrap())
            .collect();
        assert_eq!(
            stages,
            [
                "No presente",
                "Emergente",
                "En expansión",
                "Avanzado",
                "Institucionalizado"
            ]
        );
        assert_eq!(j["dimensions"][0]["title"], "Gestión y estructura");
        for d in j["dimensions"].as_array().unwrap() {
            for k in d["criteria"].as_array().unwrap() {
                assert_ne!(k["text"], k["source"], "{}", k["key"]);
                assert!(!k["text"].as_str().unwrap().starts_with("sust-"));
            }
        }
    }
);

both_backends!(aggregation_is_exact, |app: TestApp| async move {
    let w = cast(&app).await;
    let round = new_round(&w, "Ronda 2026", -2, 5).await;
    // ms-1: 1, 3, 4; ms-2: 3 and 4; cu-6: 2, 2, 2; one rating left empty with evidence only.
    assert_status(
        &rate(
            &w.member,
            &w,
            round,
            &[
                ("r-ms-1", "1"),
                ("r-ms-2", "3"),
                ("r-cu-6", "2"),
                ("e-cu-6", "Minutas <b>2025</b>"),
            ],
        )
        .await,
        303,
    );
    assert_status(
        &rate(
            &w.member2,
            &w,
            round,
            &[("r-ms-1", "3"), ("r-cu-6", "2"), ("e-fu-1", "Aún no")],
        )
        .await,
        303,
    );
    assert_status(
        &rate(
            &w.member3,
            &w,
            round,
            &[("r-ms-1", "4"), ("r-ms-2", "4"), ("r-cu-6", "2")],
        )
        .await,
        303,
    );
    let j = w
        .member
        .get(&format!(
            "/api/v1/communities/{}/sustainability/rounds/{round}/results",
            w.slug
        ))
        .await
        .json();
    let res = &j["results"];
    assert_eq!(res["respondents"], 3);
    let close = |v: &serde_json::Value, x: f64| {
        assert!((v.as_f64().unwrap() - x).abs() < 1e-9, "{v} ≠ {x}");
    };
    let ms = &res["dimensions"][0];
    let ms1 = &ms["criteria"][0];
    assert_eq!(ms1["key"], "ms-1");
    assert_eq!(ms1["respondents"], 3);
    close(&ms1["mean"], 8.0 / 3.0);
    close(&ms1["median"], 3.0);
    close(&ms1["min"], 1.0);
    close(&ms1["max"], 4.0);
    close(&ms1["range"], 3.0);
    // population sd: ((5/3)² + (1/3)² + (4/3)²) / 3 = 14/9
    close(&ms1["spread"], (14.0f64 / 9.0).sqrt());
    assert_eq!(ms1["disagreement"], true);
    // The dimension: each person's mean of the dimension's criteria: 2, 3, 4.
    assert_eq!(ms["respondents"], 3);
    close(&ms["mean"], 3.0);
    close(&ms["spread"], (2.0f64 / 3.0).sqrt());
    assert_eq!(ms["disagreement"], true);
    let cu6 = &res["dimensions"][3]["criteria"][5];
    close(&cu6["mean"], 2.0);
    close(&cu6["spread"], 0.0);
    assert_eq!(cu6["disagreement"], false);
    // A criterion with evidence but no rating counts nobody.
    assert_eq!(res["dimensions"][1]["criteria"][0]["respondents"], 0);
    assert!(res["dimensions"][1]["mean"].is_null());
    // The page shows the same figures, flags the disagreement, escapes the evidence, and says
    // individual ratings are confidential; results carry no person.
    let page = w
        .leader
        .get(&format!("/c/{}/sustainability/rounds/{round}", w.slug))
        .await;
    assert_status(&page, 200);
    assert!(page.body.contains("Sin consenso: conversémoslo"));
    assert!(
        page.body.contains("<td>2.7</td>"),
        "mean of ms-1 shown as 2.7"
    );
    assert!(page.body.contains("<td>1–4</td>"));
    assert!(page.body.contains("<td>1.25</td>"), "sd of ms-1 = 1.25");
    assert!(
        page.body.contains("Minutas &lt;b&gt;2025")
            || page.body.contains("Minutas &#60;b&#62;2025")
    );
    assert!(!page.body.contains("<b>2025"));
    assert!(page
        .body
        .contains("calificaciones individuales son confidenciales"));
    assert!(!j.to_string().contains("person"));
    assert_eq!(page.body.matches("<polygon").count(), 1);
    assert!(page.body.contains("role=\"img\""));
    // Saving again changes the answer in place: one response per person, item and round.
    let before = app.count("assessment_responses").await;
    assert_status(&rate(&w.member, &w, round, &[("r-ms-1", "2")]).await, 303);
    assert_eq!(app.count("assessment_responses").await, before);
    let mine = w
        .member
        .get(&format!(
            "/api/v1/communities/{}/sustainability/rounds/{round}/responses",
            w.slug
        ))
        .await
        .json();
    let ms1 = mine["responses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["item_key"] == "ms-1")
        .unwrap()
        .clone();
    assert_eq!(ms1["value"], 2);
    // The form comes back with the saved answer checked.
    let form = w
        .member
        .get(&format!("/c/{}/sustainability/rounds/{round}/rate", w.slug))
        .await;
    assert!(form.body.contains(r#"name="r-ms-1" value="2" checked"#));
    // Clearing an answer deletes it.
    assert_status(
        &rate(
            &w.member,
            &w,
            round,
            &[("r-ms-2", ""), ("e-ms-2", ""), ("n-ms-2", "")],
        )
        .await,
        303,
    );
    assert_eq!(app.count("assessment_responses").await, before - 1);
    // A second round: the radar draws both outlines and the trend table shows the change.
    let later = new_round(&w, "Ronda 2027", 0, 5).await;
    assert_status(&rate(&w.member, &w, later, &[("r-ms-1", "4")]).await, 303);
    let page = w
        .member
        .get(&format!("/c/{}/sustainability/rounds/{later}", w.slug))
        .await;
    assert_eq!(page.body.matches("<polygon").count(), 2);
    assert!(page.body.contains("Ronda 2026"));
    let index = w.member.get(&format!("/c/{}/sustainability", w.slug)).await;
    // Management and structure: in the first round the people's means are now 2 (ms-1 changed to
    // 2, ms-2 cleared), 3 and 4 → 3.0; in the second, 4.0: a change of +1.0.
    assert!(
        index
            .body
            .contains("4.0 <span class=\"muted\">(+1.0)</span>"),
        "{}",
        index.body
    );
});

both_backends!(refused_ratings_save_nothing, |app: TestApp| async move {
    let w = cast(&app).await;
    let round = new_round(&w, "Ronda", -1, 3).await;
    // An outsider cannot rate, by page or API.
    assert_status(&rate(&w.outsider, &w, round, &[("r-ms-1", "2")]).await, 403);
    let api = format!(
        "/api/v1/communities/{}/sustainability/rounds/{round}/responses",
        w.slug
    );
    let body = json!({ "responses": { "ms-1": { "stage": 2 } } });
    assert_status(&w.outsider.post_json(&api, &body).await, 403);
    assert_eq!(app.count("assessment_responses").await, 0);
    let _ = w.outsider_p;
    // Out of the scale: 422 with the error in Spanish, and nothing saved (not even the valid one).
    let r = rate(
        &w.member,
        &w,
        round,
        &[("r-ms-1", "5"), ("r-ms-2", "3"), ("e-ms-1", "Texto")],
    )
    .await;
    assert_status(&r, 422);
    assert!(r.body.contains("Elige una etapa de la escala (de 0 a 4)"));
    assert!(r.body.contains("Texto"), "the input is kept");
    assert_status(&rate(&w.member, &w, round, &[("r-cu-1", "-1")]).await, 422);
    assert_status(&rate(&w.member, &w, round, &[("r-cu-1", "dos")]).await, 422);
    assert_eq!(app.count("assessment_responses").await, 0);
    // The API refuses the same way, in the caller's language.
    let bad = json!({ "responses": { "ms-1": { "stage": 7 }, "ms-2": { "stage": 1 } } });
    let r = english(w.member.clone()).post_json(&api, &bad).await;
    assert_status(&r, 422);
    let j = r.json();
    assert_eq!(j["fields"][0]["field"], "r-ms-1");
    assert_eq!(
        j["fields"][0]["message"],
        "Choose a stage on the scale (0 to 4) or leave the criterion unrated."
    );
    assert_eq!(app.count("assessment_responses").await, 0);
    // A valid API save works.
    let ok = json!({ "responses": { "ms-1": { "stage": 3, "evidence": "Carta firmada" } } });
    assert_status(&w.member.post_json(&api, &ok).await, 200);
    assert_eq!(app.count("assessment_responses").await, 1);
    // A closed round and a future one take no ratings.
    let closed = new_round(&w, "Ronda pasada", -30, -10).await;
    let future = new_round(&w, "Ronda futura", 10, 20).await;
    for id in [closed, future] {
        let r = rate(&w.member, &w, id, &[("r-ms-1", "2")]).await;
        assert_status(&r, 422);
        assert!(r.body.contains("Esta ronda no está abierta"));
    }
    assert_eq!(app.count("assessment_responses").await, 1);
    // A bad round form changes nothing.
    let before = app.count("assessment_rounds").await;
    let r = w
        .leader
        .post_form(
            &format!("/c/{}/sustainability/rounds", w.slug),
            &[
                ("title", "Mal"),
                ("opens_on", &day(5)),
                ("closes_on", &day(1)),
            ],
        )
        .await;
    assert_status(&r, 422);
    assert!(r.body.contains("La fecha de cierre no puede ser anterior"));
    assert_eq!(app.count("assessment_rounds").await, before);
});

both_backends!(a_gap_becomes_an_action_item, |app: TestApp| async move {
    let w = cast(&app).await;
    let round = new_round(&w, "Ronda", -1, 3).await;
    // The results page offers a criterion as an action, preselected.
    let page = w
        .leader
        .get(&format!(
            "/c/{}/sustainability/rounds/{round}?item=fu-2",
            w.slug
        ))
        .await;
    assert!(page.body.contains(r#"<option value="fu-2" selected>"#));
    // The owner must be a person of the community.
    let path = format!("/c/{}/sustainability/rounds/{round}/actions", w.slug);
    let r = w
        .leader
        .post_form(
            &path,
            &[
                ("item", "fu-2"),
                ("title", "Plan de procuración de fondos"),
                ("owner", &w.outsider_p.to_string()),
                ("due_on", &day(60)),
            ],
        )
        .await;
    assert_status(&r, 422);
    let r = w
        .leader
        .post_form(
            &path,
            &[
                ("item", "xx-1"),
                ("title", ""),
                ("owner", ""),
                ("due_on", "mañana"),
            ],
        )
        .await;
    assert_status(&r, 422);
    assert_eq!(app.count("sustainability_actions").await, 0);
    let r = w
        .leader
        .post_form(
            &path,
            &[
                ("item", "fu-2"),
                ("title", "Plan de procuración de fondos"),
                ("owner", &w.member_p.to_string()),
                ("due_on", &day(60)),
            ],
        )
        .await;
    assert_status(&r, 303);
    assert_eq!(
        scalar(
            &app,
            &format!(
                "SELECT COUNT(*) FROM sustainability_actions WHERE community_id = {} AND round_id = {round}
                 AND item_key = 'fu-2' AND owner_person_id = {} AND status = 'open'",
                w.cid, w.member_p
            )
        )
        .await,
        1
    );
    // Listed on the sustainability page with its owner; the owner marks it done.
    let index = w.member.get(&format!("/c/{}/sustainability", w.slug)).await;
    assert!(index.body.contains("Plan de procuración de fondos"));
    assert!(index.body.contains("Pendiente"));
    assert!(index.body.contains("Marcar como cumplido"));
    let j = w
        .member
        .get(&format!(
            "/api/v1/communities/{}/sustainability/actions",
            w.slug
        ))
        .await
        .json();
    assert_eq!(j["total"], 1);
    let id = j["items"][0]["id"].as_i64().unwrap();
    assert_eq!(j["items"][0]["item_key"], "fu-2");
    let st = format!(
        "/api/v1/communities/{}/sustainability/actions/{id}/status",
        w.slug
    );
    let r = w
        .member
        .post_json(&st, &json!({ "status": "cerrado" }))
        .await;
    assert_status(&r, 422);
    let r = w.member.post_json(&st, &json!({ "status": "done" })).await;
    assert_status(&r, 200);
    assert_eq!(r.json()["status"], "done");
    let index = w.member.get(&format!("/c/{}/sustainability", w.slug)).await;
    assert!(index.body.contains("Cumplido"));
});
