//! Polls: route tests (both backends). Authorization route by route, anonymity proved on the
//! schema and the stored rows, small-group hiding, the results' arithmetic against hand-computed
//! figures, CSV without identifying columns, invalid answers (422, nothing written) and CSRF.

use super::*;

struct Cast {
    slug: String,
    cid: i64,
    outsider: Client,
    member: Client,
    leader: Client,
}

async fn cast(app: &TestApp) -> Cast {
    let n = next_n();
    let (outsider, _, _) = app.signed_in(&format!("fuera{n}@example.org"), false).await;
    let (member, _, member_p) = app
        .signed_in(&format!("integrante{n}@example.org"), false)
        .await;
    let (leader, _, leader_p) = app.signed_in(&format!("lider{n}@example.org"), false).await;
    let (cid, slug) = app
        .community(&format!("Red de Aprendizaje {n}"), leader_p, "private")
        .await;
    app.add_member(cid, member_p, Role::Member).await;
    Cast {
        slug,
        cid,
        outsider,
        member,
        leader,
    }
}

async fn event(app: &TestApp, cid: i64) -> i64 {
    let t = tejido_db::now();
    let sql = "INSERT INTO events (community_id, title, kind, mode, starts_at, ends_at, time_zone, status, created_at, updated_at)
               VALUES ($1, 'Encuentro', 'meeting', 'in-person', $2, $2, 'America/Mexico_City', 'held', $2, $2) RETURNING id";
    match &app.db {
        Db::Sqlite(p) => sqlx::query_scalar(sql)
            .bind(cid)
            .bind(t)
            .fetch_one(p)
            .await
            .unwrap(),
        Db::Postgres(p) => sqlx::query_scalar(sql)
            .bind(cid)
            .bind(t)
            .fetch_one(p)
            .await
            .unwrap(),
    }
}

async fn strings(app: &TestApp, sql: &str) -> Vec<String> {
    match &app.db {
        Db::Sqlite(p) => sqlx::query_scalar(sql).fetch_all(p).await.unwrap(),
        Db::Postgres(p) => sqlx::query_scalar(sql).fetch_all(p).await.unwrap(),
    }
}

/// Creates a poll through the pages and returns its id.
async fn new_poll(w: &Cast, anonymous: bool) -> i64 {
    let mut f = vec![("title", "Satisfacción del encuentro")];
    if anonymous {
        f.push(("anonymous", "on"));
    }
    let r = w
        .leader
        .post_form(&format!("/c/{}/polls", w.slug), &f)
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

async fn add_q(w: &Cast, poll: i64, kind: &str, text: &str, options: &str) -> i64 {
    let r = w
        .leader
        .post_form(
            &format!("/c/{}/polls/{poll}/questions", w.slug),
            &[
                ("kind", kind),
                ("text", text),
                ("options", options),
                ("required", "on"),
            ],
        )
        .await;
    assert_status(&r, 303);
    let j = w
        .leader
        .get(&format!("/api/v1/communities/{}/polls/{poll}", w.slug))
        .await
        .json();
    j["questions"].as_array().unwrap().last().unwrap()["id"]
        .as_i64()
        .unwrap()
}

async fn open(w: &Cast, poll: i64) {
    let r = w
        .leader
        .post_form(
            &format!("/c/{}/polls/{poll}/status", w.slug),
            &[("status", "open")],
        )
        .await;
    assert_status(&r, 303);
}

/// (method, path, member's status, leader's status); anonymous visitors go to sign in and
/// outsiders get 403 on every one.
const ROUTES: &[(&str, &str, u16, u16)] = &[
    ("GET", "/c/{slug}/polls", 200, 200),
    ("POST", "/c/{slug}/polls", 403, 303),
    ("POST", "/c/{slug}/polls/from-template", 403, 303),
    ("GET", "/c/{slug}/polls/{id}", 200, 200),
    ("POST", "/c/{slug}/polls/{id}/settings", 403, 303),
    ("POST", "/c/{slug}/polls/{id}/questions", 403, 303),
    ("POST", "/c/{slug}/polls/{id}/questions/{q}/move", 403, 303),
    (
        "POST",
        "/c/{slug}/polls/{id}/questions/{q}/delete",
        403,
        303,
    ),
    ("GET", "/c/{slug}/polls/{id}/preview", 403, 200),
    ("POST", "/c/{slug}/polls/{id}/duplicate", 403, 303),
    ("POST", "/c/{slug}/polls/{id}/status", 403, 303),
    ("POST", "/c/{slug}/polls/{id}/remind", 403, 303),
    ("GET", "/c/{slug}/polls/{id}/answer", 200, 200),
    ("POST", "/c/{slug}/polls/{id}/answer", 303, 303),
    ("GET", "/c/{slug}/polls/{id}/results", 200, 200),
    ("GET", "/c/{slug}/polls/{id}/results.csv", 200, 200),
    ("GET", "/c/{slug}/polls/{id}/responses.csv", 403, 200),
    ("GET", "/c/{slug}/reviews", 200, 200),
    ("POST", "/c/{slug}/reviews", 403, 303),
    ("GET", "/c/{slug}/reviews/{id}", 200, 200),
    ("POST", "/c/{slug}/reviews/{id}/contribute", 303, 303),
    ("POST", "/c/{slug}/reviews/{id}/consolidate", 403, 303),
    ("POST", "/c/{slug}/reviews/{id}/outcomes", 403, 303),
];

#[test]
fn every_polls_route_is_in_the_table() {
    let src = include_str!("../../src/features/polls.rs");
    let router =
        &src[src.find("pub fn router()").unwrap()..src.find("/// Routes nested under").unwrap()];
    let mut found = vec![];
    for chunk in router.split(".route(\"").skip(1) {
        let path = &chunk[..chunk.find('"').unwrap()];
        let call = chunk.split('\n').next().unwrap();
        for m in ["get", "post"] {
            if call.contains(&format!("{m}(")) {
                found.push((m.to_uppercase(), path.to_owned()));
            }
        }
    }
    for (m, p) in &found {
        assert!(
            ROUTES.iter().any(|(rm, rp, _, _)| rm == m && rp == p),
            "route {m} {p} missing from the table"
        );
    }
    assert_eq!(found.len(), ROUTES.len(), "{found:?}");
}

async fn counts(app: &TestApp) -> [i64; 6] {
    [
        app.count("polls").await,
        app.count("poll_questions").await,
        app.count("poll_responses").await,
        app.count("poll_participants").await,
        app.count("learning_reviews").await,
        app.count("learning_review_entries").await,
    ]
}

both_backends!(authorization_route_by_route, |app: TestApp| async move {
    let w = cast(&app).await;
    let ev = event(&app, w.cid).await;
    // An open poll (answered by the routes) and a draft (built by them).
    let open_poll = new_poll(&w, true).await;
    let lq = add_q(&w, open_poll, "likert", "Me sentí escuchada", "").await;
    open(&w, open_poll).await;
    let draft = new_poll(&w, false).await;
    let q1 = add_q(&w, draft, "single", "¿Volverías?", "Sí\nNo").await;
    add_q(&w, draft, "short", "Comentario", "").await;
    let r = w
        .leader
        .post_form(
            &format!("/c/{}/reviews", w.slug),
            &[
                ("kind", "aar"),
                ("title", "RDA del encuentro"),
                ("event", &ev.to_string()),
            ],
        )
        .await;
    assert_status(&r, 303);
    let review = scalar(&app, "SELECT MAX(id) FROM learning_reviews").await;
    let anon = app.client();
    let lq_key = format!("q{lq}");
    for (method, tpl, member_st, leader_st) in ROUTES {
        let builder = [
            "/settings",
            "/questions",
            "/move",
            "/delete",
            "/preview",
            "/status",
        ]
        .iter()
        .any(|s| tpl.ends_with(s));
        let id = if tpl.contains("/reviews/") {
            review
        } else if builder {
            draft
        } else {
            open_poll
        };
        let path = tpl
            .replace("{slug}", &w.slug)
            .replace("{id}", &id.to_string())
            .replace("{q}", &q1.to_string());
        let body: Vec<(&str, &str)> = if path.ends_with("/polls") {
            vec![("title", "Otro sondeo")]
        } else if path.ends_with("/from-template") {
            vec![("template", "learning")]
        } else if path.ends_with("/settings") {
            vec![("title", "Vuelta")]
        } else if path.ends_with("/questions") {
            vec![("kind", "nps"), ("text", "¿Recomendarías?")]
        } else if path.ends_with("/move") {
            vec![("dir", "down")]
        } else if path.ends_with("/status") {
            vec![("status", "open")]
        } else if path.ends_with("/answer") {
            vec![(lq_key.as_str(), "4")]
        } else if path.ends_with("/reviews") {
            vec![("kind", "ai"), ("title", "Indagación")]
        } else if path.ends_with("/contribute") || path.ends_with("/consolidate") {
            vec![("planned", "Acordar una agenda común")]
        } else if path.ends_with("/outcomes") {
            vec![("what", "lesson"), ("text", "Enviar materiales antes")]
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
            assert_eq!(
                before,
                counts(&app).await,
                "{path}: a refused request wrote something"
            );
            // Without the CSRF token even the leader is refused.
            assert_status(&w.leader.post_raw(&path, &body).await, 403);
            assert_eq!(
                before,
                counts(&app).await,
                "{path}: CSRF-less request wrote"
            );
            assert_status(&w.member.post_form(&path, &body).await, *member_st);
            assert_status(&w.leader.post_form(&path, &body).await, *leader_st);
        }
    }
    // The lesson went to the event through the minutes' storage; opening sent invitations.
    assert_eq!(
        scalar(
            &app,
            &format!("SELECT COUNT(*) FROM event_lessons WHERE event_id = {ev}")
        )
        .await,
        1
    );
    assert!(app.count("outbox").await >= 2);
    // JSON: 401 anonymous, 403 outsider.
    let api = format!("/api/v1/communities/{}/polls", w.slug);
    assert_status(&anon.get(&api).await, 401);
    assert_status(&w.outsider.get(&api).await, 403);
    assert_status(&w.member.get(&api).await, 200);
});

// Six members answer an anonymous poll with hand-picked values.
both_backends!(
    anonymity_arithmetic_groups_and_csv,
    |app: TestApp| async move {
        let w = cast(&app).await;
        let poll = new_poll(&w, true).await;
        let nps = add_q(&w, poll, "nps", "¿Recomendarías la comunidad?", "").await;
        let lik = add_q(&w, poll, "likert", "Aprendí algo útil", "").await;
        let pp = add_q(&w, poll, "pre-post", "Mi conocimiento del tema", "").await;
        open(&w, poll).await;
        let org = org_with(&app, "Colectivo Norte", "cso", "08").await;
        // NPS 10 9 9 7 6 3; Likert 5 4 4 3 2 5; before/after (1,3) (2,3) (2,5) (3,5) (2,4) (2,4).
        let answers = [
            ("10", "5", "1", "3"),
            ("9", "4", "2", "3"),
            ("9", "4", "2", "5"),
            ("7", "3", "3", "5"),
            ("6", "2", "2", "4"),
            ("3", "5", "2", "4"),
        ];
        let path = format!("/c/{}/polls/{poll}/answer", w.slug);
        let mut names = vec![];
        for (i, (a, b, c, d)) in answers.iter().enumerate() {
            let n = next_n();
            let name = format!("persona{n}@example.org");
            let (cl, _, pid) = app.signed_in(&name, false).await;
            app.add_member(w.cid, pid, Role::Member).await;
            if i < 5 {
                exec(
                    &app,
                    &format!("UPDATE people SET organization_id = {org} WHERE id = {pid}"),
                )
                .await
                .unwrap();
            }
            names.push(name);
            if i == 0 {
                // Invalid: out of range and half a pre/post pair → 422, nothing written.
                let before = counts(&app).await;
                let r = cl
                    .post_form(
                        &path,
                        &[
                            (&format!("q{nps}"), "11"),
                            (&format!("q{lik}"), "4"),
                            (&format!("q{pp}-pre"), "2"),
                        ],
                    )
                    .await;
                assert_status(&r, 422);
                assert_eq!(before, counts(&app).await);
            }
            let f = [
                (format!("q{nps}"), *a),
                (format!("q{lik}"), *b),
                (format!("q{pp}-pre"), *c),
                (format!("q{pp}-post"), *d),
            ];
            let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (k.as_str(), *v)).collect();
            assert_status(&cl.post_form(&path, &f).await, 303);
            // A second answer is not counted.
            assert_status(&cl.post_form(&path, &f).await, 303);
        }
        assert_eq!(
            scalar(
                &app,
                &format!("SELECT COUNT(*) FROM poll_responses WHERE poll_id = {poll}")
            )
            .await,
            6
        );
        assert_eq!(
            scalar(
                &app,
                &format!("SELECT COUNT(*) FROM poll_participants WHERE poll_id = {poll}")
            )
            .await,
            6
        );

        // The schema: response tables carry no person, session, address or time of day.
        let cols = |t: &str| {
            match app.db {
        Db::Sqlite(_) => format!("SELECT name FROM pragma_table_info('{t}') ORDER BY name"),
        Db::Postgres(_) => format!("SELECT CAST(column_name AS TEXT) FROM information_schema.columns WHERE table_name = '{t}' ORDER BY column_name"),
    }
        };
        assert_eq!(
            strings(&app, &cols("poll_responses")).await,
            [
                "id",
                "organization_id",
                "poll_id",
                "position_level",
                "submitted_on"
            ]
        );
        assert_eq!(
            strings(&app, &cols("poll_answers")).await,
            ["num", "num2", "question_id", "response_id", "text"]
        );
        assert_eq!(
            strings(&app, &cols("poll_participants")).await,
            ["person_id", "poll_id"]
        );
        if let Db::Postgres(_) = app.db {
            let t = strings(&app, "SELECT CAST(data_type AS TEXT) FROM information_schema.columns WHERE table_name = 'poll_responses' AND column_name = 'submitted_on'").await;
            assert_eq!(t, ["date"]);
        } else {
            let rowid = strings(&app, "SELECT sql FROM sqlite_master WHERE name IN ('poll_responses', 'poll_answers', 'poll_participants')").await;
            assert!(
                rowid.iter().all(|s| s.contains("WITHOUT ROWID")),
                "{rowid:?}"
            );
        }
        // The rows: random ids, a bare date, no author.
        let ids = strings(
            &app,
            &format!("SELECT id FROM poll_responses WHERE poll_id = {poll}"),
        )
        .await;
        assert!(
            ids.iter().all(|i| i.len() == 32
                && i.chars().all(|c| c.is_ascii_hexdigit())
                && i.parse::<i64>().is_err()),
            "{ids:?}"
        );
        let dates = strings(
            &app,
            &format!(
                "SELECT CAST(submitted_on AS TEXT) FROM poll_responses WHERE poll_id = {poll}"
            ),
        )
        .await;
        assert!(dates.iter().all(|d| d.len() == 10), "{dates:?}");
        assert_eq!(app.count("poll_response_authors").await, 0);

        // Arithmetic through the API, against hand-computed figures.
        let j = w
            .member
            .get(&format!(
                "/api/v1/communities/{}/polls/{poll}/results",
                w.slug
            ))
            .await
            .json();
        assert_eq!(j["responses"], 6);
        let qs = j["questions"].as_array().unwrap();
        assert_eq!(qs[0]["nps"], "16.7"); // (3 − 2) / 6
        assert_eq!(qs[0]["median"], "8.0"); // 3 6 7 9 9 10
        assert_eq!(qs[0]["mean"], "7.33");
        assert_eq!(qs[1]["mean"], "3.83"); // 23 / 6
        assert_eq!(qs[1]["median"], "4.0");
        assert_eq!(qs[1]["distribution"][4]["count"], 2);
        let p = &qs[2]["paired"];
        assert_eq!(p["n"], 6);
        assert!((p["mean_diff"].as_f64().unwrap() - 2.0).abs() < 1e-9);
        assert!((p["sd_diff"].as_f64().unwrap() - 0.4f64.sqrt()).abs() < 1e-9); // diffs 2 1 3 2 2 2
                                                                                // Small groups: five in the organization are shown, the one without is hidden.
        assert_eq!(
            j["by_organization"]["groups"],
            json!([{ "label": "Colectivo Norte", "n": 5 }])
        );
        assert_eq!(j["by_organization"]["hidden_groups"], 1);
        // The page shows the same, with SVG charts.
        let page = w
            .member
            .get(&format!("/c/{}/polls/{poll}/results", w.slug))
            .await;
        assert!(
            page.body.contains("16.7")
                && page.body.contains("<svg")
                && page.body.contains("Totalmente de acuerdo")
        );
        // CSV of an anonymous poll: a sequence number and the answers, nothing else.
        let csv = w
            .leader
            .get(&format!("/c/{}/polls/{poll}/responses.csv", w.slug))
            .await;
        assert_status(&csv, 200);
        let head = csv.body.lines().next().unwrap();
        assert!(head.starts_with("\"n\",\"¿Recomendarías"), "{head}");
        assert_eq!(csv.body.lines().count(), 7);
        for n in &names {
            let local = n.split('@').next().unwrap();
            assert!(!csv.body.contains(local));
        }
        assert!(!ids.iter().any(|i| csv.body.contains(i.as_str())));
        let agg = w
            .member
            .get(&format!("/c/{}/polls/{poll}/results.csv", w.slug))
            .await;
        assert!(agg.body.contains("\"16.7\""), "{}", agg.body);
    }
);

both_backends!(templates_and_duplicate, |app: TestApp| async move {
    let w = cast(&app).await;
    let r = w
        .leader
        .post_form(
            &format!("/c/{}/polls/from-template", w.slug),
            &[("template", "satisfaction")],
        )
        .await;
    assert_status(&r, 303);
    let id: i64 = r
        .location()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let j = w
        .leader
        .get(&format!("/api/v1/communities/{}/polls/{id}", w.slug))
        .await
        .json();
    assert_eq!(j["questions"].as_array().unwrap().len(), 5);
    let en = english(w.leader.clone());
    let r = en
        .post_form(
            &format!("/c/{}/polls/from-template", w.slug),
            &[("template", "peers")],
        )
        .await;
    let id2: i64 = r
        .location()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let j = en
        .get(&format!("/api/v1/communities/{}/polls/{id2}", w.slug))
        .await
        .json();
    assert_eq!(
        j["poll"]["title"],
        "Perception of peers and of the community"
    );
    let r = w
        .leader
        .post_form(&format!("/c/{}/polls/{id}/duplicate", w.slug), &[])
        .await;
    let id3: i64 = r
        .location()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let j = w
        .leader
        .get(&format!("/api/v1/communities/{}/polls/{id3}", w.slug))
        .await
        .json();
    assert_eq!(j["questions"].as_array().unwrap().len(), 5);
    // An unknown template and a question without text: 422, nothing written.
    let before = counts(&app).await;
    assert_status(
        &w.leader
            .post_form(
                &format!("/c/{}/polls/from-template", w.slug),
                &[("template", "nada")],
            )
            .await,
        422,
    );
    assert_status(
        &w.leader
            .post_form(
                &format!("/c/{}/polls/{id}/questions", w.slug),
                &[("kind", "single"), ("text", ""), ("options", "solo una")],
            )
            .await,
        422,
    );
    assert_eq!(before, counts(&app).await);
});
