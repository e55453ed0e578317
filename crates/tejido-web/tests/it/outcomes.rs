//! Outcomes: route tests (both backends). Authorization route by route (pages and API), the
//! grouping by theme with distinct organization counts checked against hand-computed figures,
//! localized validation errors that save nothing, http(s)-only links, and the member/manager
//! split of substantiation.

use super::*;

pub struct Cast {
    pub slug: String,
    pub cid: i64,
    pub outsider: Client,
    pub member: Client,
    pub leader: Client,
}

pub const THEMES: &str =
    "Innovación en el sistema de justicia penal, Mediación para la resolución de conflictos";
pub const JUSTICE: &str = "Innovación en el sistema de justicia penal";
pub const MEDIATION: &str = "Mediación para la resolución de conflictos";

pub async fn cast(app: &TestApp) -> Cast {
    let n = next_n();
    let (outsider, _, _) = app.signed_in(&format!("fuera{n}@example.org"), false).await;
    let (member, _, member_p) = app
        .signed_in(&format!("integrante{n}@example.org"), false)
        .await;
    let (leader, _, leader_p) = app.signed_in(&format!("lider{n}@example.org"), false).await;
    let (cid, slug) = app
        .community(&format!("Red de Justicia {n}"), leader_p, "private")
        .await;
    app.add_member(cid, member_p, Role::Member).await;
    exec(
        app,
        &format!("UPDATE communities SET themes = '{THEMES}' WHERE id = {cid}"),
    )
    .await
    .unwrap();
    Cast {
        slug,
        cid,
        outsider,
        member,
        leader,
    }
}

/// The fields of a valid outcome naming `orgs`.
fn fields<'a>(theme: &'a str, date: &'a str, orgs: &'a [String]) -> Vec<(&'a str, &'a str)> {
    let mut f = vec![
        (
            "description",
            "La Fiscalía del Estado adoptó un protocolo de mediación restaurativa",
        ),
        ("change_kind", "policies"),
        (
            "significance",
            "Primera política pública de mediación en el estado",
        ),
        ("contribution", "El taller de la comunidad con la Fiscalía"),
        ("theme", theme),
        ("happened_on", date),
        (
            "links",
            "https://example.org/protocolo.pdf Protocolo publicado",
        ),
    ];
    for o in orgs {
        f.push(("organizations", o.as_str()));
    }
    f
}

async fn propose(w: &Cast, by: &Client, theme: &str, date: &str, orgs: &[i64]) -> i64 {
    let orgs: Vec<String> = orgs.iter().map(i64::to_string).collect();
    let r = by
        .post_form(
            &format!("/c/{}/outcomes", w.slug),
            &fields(theme, date, &orgs),
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

/// (method, path, member's status, leader's status); anonymous visitors go to sign in and
/// outsiders get 403 on every one.
pub(crate) const ROUTES: &[(&str, &str, u16, u16)] = &[
    ("GET", "/c/{slug}/outcomes", 200, 200),
    ("POST", "/c/{slug}/outcomes", 303, 303),
    ("GET", "/c/{slug}/outcomes/new", 200, 200),
    ("GET", "/c/{slug}/outcomes/{id}", 200, 200),
    ("GET", "/c/{slug}/outcomes/{id}/edit", 403, 200),
    ("POST", "/c/{slug}/outcomes/{id}/edit", 403, 303),
    ("POST", "/c/{slug}/outcomes/{id}/verify", 403, 303),
    ("GET", "/c/{slug}/outcomes/{id}/delete", 403, 200),
    ("POST", "/c/{slug}/outcomes/{id}/delete", 403, 303),
];

#[test]
fn every_outcomes_route_is_in_the_table() {
    let table: Vec<_> = ROUTES.iter().map(|(m, p, _, _)| (*m, *p)).collect();
    assert_pages_listed("outcomes", &table, |p| p.contains("/files"));
}

async fn counts(app: &TestApp) -> [i64; 3] {
    [
        app.count("outcomes").await,
        app.count("outcome_organizations").await,
        app.count("outcome_links").await,
    ]
}

both_backends!(authorization_route_by_route, |app: TestApp| async move {
    let w = cast(&app).await;
    let org = app.organization(&format!("Fiscalía {}", next_n())).await;
    let orgs = vec![org.to_string()];
    let anon = app.client();
    for (method, tpl, member_st, leader_st) in ROUTES {
        // A fresh outcome for each route, so delete does not take the others' away.
        let id = propose(&w, &w.member, JUSTICE, "2026-01-15", &[org]).await;
        let path = tpl
            .replace("{slug}", &w.slug)
            .replace("{id}", &id.to_string());
        let body = fields(MEDIATION, "2026-02-01", &orgs);
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
    // JSON: 401 anonymous, 403 outsider, members read and propose, managers change.
    let id = propose(&w, &w.member, JUSTICE, "2026-01-15", &[org]).await;
    let api = format!("/api/v1/communities/{}/outcomes", w.slug);
    let one = format!("{api}/{id}");
    assert_status(&anon.get(&api).await, 401);
    assert_status(&w.outsider.get(&api).await, 403);
    assert_status(&w.outsider.get(&one).await, 403);
    assert_status(&w.member.get(&api).await, 200);
    assert_status(&w.member.get(&one).await, 200);
    let body = json!({
        "description": "El Congreso local aprobó la reforma", "change_kind": "policies",
        "significance": "Reforma", "contribution": "Mesas de trabajo", "theme": JUSTICE,
        "happened_on": "2026-03-01", "organizations": [org],
    });
    let csrf = w.outsider.csrf().await;
    let r = w
        .outsider
        .json(Method::POST, &api, &body, &[("X-CSRF-Token", &csrf)])
        .await;
    assert_status(&r, 403);
    let csrf = w.member.csrf().await;
    let r = w
        .member
        .json(Method::POST, &api, &body, &[("X-CSRF-Token", &csrf)])
        .await;
    assert_status(&r, 201);
    assert_eq!(r.json()["organizations"][0]["id"], json!(org));
    for (m, path) in [
        (Method::PUT, one.clone()),
        (Method::POST, format!("{one}/verify")),
        (Method::DELETE, one.clone()),
    ] {
        let r = w
            .member
            .json(m.clone(), &path, &body, &[("X-CSRF-Token", &csrf)])
            .await;
        assert_status(&r, 403);
    }
    let lcsrf = w.leader.csrf().await;
    let r = w
        .leader
        .json(
            Method::POST,
            &format!("{one}/verify"),
            &json!({}),
            &[("X-CSRF-Token", &lcsrf)],
        )
        .await;
    assert_status(&r, 200);
    assert_eq!(r.json()["outcome"]["substantiation"], "verified");
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
    assert_status(&w.leader.get(&one).await, 404);
});

both_backends!(
    grouping_by_theme_counts_distinct_organizations,
    |app: TestApp| async move {
        let w = cast(&app).await;
        let n = next_n();
        let a = app.organization(&format!("Colectivo A {n}")).await;
        let b = app.organization(&format!("Colectivo B {n}")).await;
        let c = app.organization(&format!("Colectivo C {n}")).await;
        let d = app.organization(&format!("Colectivo D {n}")).await;
        // Justice: {A,B} {B,C} {D, later}; Mediation: {A} {D} (the second one verified).
        propose(&w, &w.member, JUSTICE, "2026-02-10", &[a, b]).await;
        propose(&w, &w.member, JUSTICE, "2026-03-05", &[b, c]).await;
        let late = propose(&w, &w.leader, JUSTICE, "2026-07-01", &[d]).await;
        propose(&w, &w.member, MEDIATION, "2026-04-20", &[a]).await;
        let verified = propose(&w, &w.member, MEDIATION, "2026-05-02", &[d]).await;
        assert_status(
            &w.leader
                .post_form(&format!("/c/{}/outcomes/{verified}/verify", w.slug), &[])
                .await,
            303,
        );
        let summary = |v: &serde_json::Value| -> Vec<(String, i64, i64)> {
            v["by_theme"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| {
                    (
                        r["theme"].as_str().unwrap().to_owned(),
                        r["outcomes"].as_i64().unwrap(),
                        r["organizations"].as_i64().unwrap(),
                    )
                })
                .collect()
        };
        let api = format!("/api/v1/communities/{}/outcomes", w.slug);
        let all = w.member.get(&api).await.json();
        assert_eq!(
            summary(&all),
            vec![(JUSTICE.to_owned(), 3, 4), (MEDIATION.to_owned(), 2, 2)]
        );
        assert_eq!(all["overall"], json!({ "outcomes": 5, "organizations": 4 }));
        // The first half of the year: the late outcome (the only one naming D in Justice) drops.
        let half = w
            .member
            .get(&format!("{api}?from=2026-01-01&to=2026-06-30"))
            .await
            .json();
        assert_eq!(
            summary(&half),
            vec![(JUSTICE.to_owned(), 2, 3), (MEDIATION.to_owned(), 2, 2)]
        );
        assert_eq!(
            half["overall"],
            json!({ "outcomes": 4, "organizations": 4 })
        );
        let only = w
            .member
            .get(&format!("{api}?substantiation=verified"))
            .await
            .json();
        assert_eq!(summary(&only), vec![(MEDIATION.to_owned(), 1, 1)]);
        assert_eq!(only["total"], 1);
        // The same figures for the report engineer's functions.
        let from = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let to = chrono::NaiveDate::from_ymd_opt(2026, 6, 30).unwrap();
        let by = tejido_db::outcomes::by_theme(&app.db, w.cid, from, to)
            .await
            .unwrap();
        assert_eq!(
            by.iter()
                .map(|r| (r.theme.as_str(), r.outcomes, r.organizations))
                .collect::<Vec<_>>(),
            vec![(JUSTICE, 2, 3), (MEDIATION, 2, 2)]
        );
        let rows = tejido_db::outcomes::in_period(&app.db, w.cid, from, to)
            .await
            .unwrap();
        assert_eq!(rows.len(), 4);
        assert!(rows.iter().all(|r| r.id != late));
        assert_eq!(rows[0].organizations.len(), 2, "{:?}", rows[0]);
        // The page shows the table with the same numbers and the theme headings.
        let page = w
            .member
            .get(&format!(
                "/c/{}/outcomes?from=2026-01-01&to=2026-06-30",
                w.slug
            ))
            .await;
        assert_status(&page, 200);
        assert!(page.body.contains(&format!(
            "<th scope=\"row\">{JUSTICE}</th><td>2</td><td>3</td>"
        )));
        assert!(page
            .body
            .contains("<th scope=\"row\">Total</th><td>4</td><td>4</td>"));
        assert!(page.body.contains(&format!("Colectivo C {n}")));
    }
);

both_backends!(
    invalid_input_is_refused_in_the_users_language_and_saves_nothing,
    |app: TestApp| async move {
        let w = cast(&app).await;
        let org = app.organization(&format!("Fiscalía {}", next_n())).await;
        let orgs = vec![org.to_string()];
        let path = format!("/c/{}/outcomes", w.slug);
        let before = counts(&app).await;
        // A javascript: link, a theme that is not the community's, a future date.
        let mut f = fields("Deportes", "2999-01-01", &orgs);
        f.retain(|(k, _)| *k != "links");
        f.push(("links", "javascript:alert(1) Ver"));
        let r = w.member.post_form(&path, &f).await;
        assert_status(&r, 422);
        assert!(r
            .body
            .contains("Cada enlace debe empezar con http:// o https://"));
        assert!(r.body.contains("no puede ser posterior a hoy"));
        assert!(r.body.contains("javascript:alert(1) Ver"), "input kept");
        // In English for an English reader.
        let en = english(w.member.clone());
        let r = en.post_form(&path, &f).await;
        assert_status(&r, 422);
        assert!(r
            .body
            .contains("Every link must start with http:// or https://"));
        // A member may not mark an outcome verified; nor link an event of another community.
        let mut f = fields(JUSTICE, "2026-01-01", &orgs);
        f.push(("substantiation", "verified"));
        let r = w.member.post_form(&path, &f).await;
        assert_status(&r, 422);
        assert!(r
            .body
            .contains("Solo quienes coordinan la comunidad pueden marcar"));
        let mut f = fields(JUSTICE, "2026-01-01", &orgs);
        f.push(("substantiation", "substantiated"));
        let r = w.member.post_form(&path, &f).await;
        assert_status(&r, 422);
        assert!(r.body.contains("indica la fuente y su opinión"));
        let unknown = vec!["999999".to_owned()];
        let mut f = fields(JUSTICE, "2026-01-01", &unknown);
        f.push(("events", "999999"));
        let r = w.member.post_form(&path, &f).await;
        assert_status(&r, 422);
        // The API answers 422 with the field errors.
        let csrf = w.member.csrf().await;
        let r = w
            .member
            .json(
                Method::POST,
                &format!("/api/v1/communities/{}/outcomes", w.slug),
                &json!({ "description": "x", "change_kind": "policies", "significance": "x", "contribution": "x",
                         "theme": JUSTICE, "happened_on": "2026-01-01", "organizations": [org],
                         "links": "ftp://example.org/a" }),
                &[("X-CSRF-Token", &csrf)],
            )
            .await;
        assert_status(&r, 422);
        assert!(r.body.contains("links"), "{}", r.body);
        assert_eq!(before, counts(&app).await, "nothing saved");
        // Substantiated by a named source is a member's right; the link is stored as given.
        let mut f = fields(JUSTICE, "2026-01-01", &orgs);
        f.push(("substantiation", "substantiated"));
        f.push(("source_name", "Lic. Ana Ruiz, Fiscalía"));
        f.push(("source_view", "agrees-partly"));
        let r = w.member.post_form(&path, &f).await;
        assert_status(&r, 303);
        let show = w.member.get(r.location().unwrap()).await;
        assert!(show
            .body
            .contains("<a href=\"https://example.org/protocolo.pdf\" rel=\"noopener noreferrer nofollow\">Protocolo publicado</a>"));
        assert!(show.body.contains("Está parcialmente de acuerdo"));
        assert_eq!(
            scalar(
                &app,
                "SELECT COUNT(*) FROM outcome_links WHERE url NOT LIKE 'http%'"
            )
            .await,
            0
        );
    }
);

both_backends!(
    managers_edit_and_link_contributors,
    |app: TestApp| async move {
        let w = cast(&app).await;
        let org = app.organization(&format!("Fiscalía {}", next_n())).await;
        let other = app.organization(&format!("Congreso {}", next_n())).await;
        let id = propose(&w, &w.member, JUSTICE, "2026-01-15", &[org]).await;
        let t = tejido_db::now();
        let sql = "INSERT INTO events (community_id, title, kind, mode, starts_at, ends_at, time_zone, status, created_at, updated_at)
               VALUES ($1, 'Taller de mediación', 'meeting', 'in-person', $2, $2, 'America/Mexico_City', 'held', $2, $2) RETURNING id";
        let ev: i64 = match &app.db {
            Db::Sqlite(p) => sqlx::query_scalar(sql)
                .bind(w.cid)
                .bind(t)
                .fetch_one(p)
                .await
                .unwrap(),
            Db::Postgres(p) => sqlx::query_scalar(sql)
                .bind(w.cid)
                .bind(t)
                .fetch_one(p)
                .await
                .unwrap(),
        };
        let orgs = vec![org.to_string(), other.to_string()];
        let mut f = fields(MEDIATION, "2026-01-20", &orgs);
        let evs = ev.to_string();
        f.push(("events", evs.as_str()));
        f.push(("substantiation", "verified"));
        let edit = format!("/c/{}/outcomes/{id}/edit", w.slug);
        let r = w.leader.post_form(&edit, &f).await;
        assert_status(&r, 303);
        let j = w
            .member
            .get(&format!("/api/v1/communities/{}/outcomes/{id}", w.slug))
            .await
            .json();
        assert_eq!(j["outcome"]["theme"], MEDIATION);
        assert_eq!(j["outcome"]["substantiation"], "verified");
        assert!(j["outcome"]["verified_at"].is_string());
        assert_eq!(j["organizations"].as_array().unwrap().len(), 2);
        assert_eq!(j["events"][0]["label"], "Taller de mediación");
        // The edit form shows the saved choices again.
        let page = w.leader.get(&edit).await;
        assert!(page
            .body
            .contains(&format!("<option value=\"{ev}\" selected>")));
    }
);

// The evidence files' routes (multipart, kept apart from the route table):
// POST /c/{slug}/outcomes/{id}/files, GET …/files/{file}, GET and POST …/files/{file}/remove,
// GET /api/v1/communities/{slug}/outcomes/{id}/files/{file}.
both_backends!(evidence_files_follow_the_rules, |app: TestApp| async move {
    let w = cast(&app).await;
    let n = next_n();
    let (other, _, other_p) = app.signed_in(&format!("otra{n}@example.org"), false).await;
    app.add_member(w.cid, other_p, Role::Member).await;
    let org = app.organization(&format!("Fiscalía {n}")).await;
    let id = propose(&w, &w.member, JUSTICE, "2026-01-15", &[org]).await;
    let base = format!("/c/{}/outcomes/{id}", w.slug);
    let files = format!("{base}/files");
    let pdf = tejido_core::uploads::SAMPLE_PDF;
    // Another member and an outsider may not attach; nothing is kept.
    for c in [&other, &w.outsider] {
        let r = c
            .post_multipart(&files, &[], &[("file", "acta.pdf", pdf)])
            .await;
        assert_status(&r, 403);
    }
    assert_eq!(app.count("attachments").await, 0);
    // A refused type is named on the page and nothing is stored.
    let r = w
        .member
        .post_multipart(&files, &[], &[("file", "acta.pdf", b"MZ\x90\x00binary")])
        .await;
    assert_status(&r, 422);
    assert!(r.body.contains("acta.pdf"), "{}", r.body);
    assert_eq!(app.count("uploads").await, 0);
    let r = w.member.post_multipart(&files, &[], &[]).await;
    assert_status(&r, 422);
    assert!(r.body.contains("Elige al menos un archivo."));
    // The member who proposed it attaches; managers too.
    let r = w
        .member
        .post_multipart(&files, &[], &[("file", "Convenio firmado.pdf", pdf)])
        .await;
    assert_redirect(&r, &format!("{base}#evidence"));
    let r = w
        .leader
        .post_multipart(
            &files,
            &[],
            &[("file", "notas.txt", "Notas de la reunión".as_bytes())],
        )
        .await;
    assert_status(&r, 303);
    assert_eq!(app.count("attachments").await, 2);
    // Readers download it inert; outsiders do not.
    let j = other
        .get(&format!("/api/v1/communities/{}/outcomes/{id}", w.slug))
        .await
        .json();
    assert_eq!(j["attachments"][0]["filename"], "Convenio firmado.pdf");
    let fid = j["attachments"][0]["id"].as_i64().unwrap();
    let d = other.get(&format!("{files}/{fid}")).await;
    assert_status(&d, 200);
    assert!(d.headers[header::CONTENT_DISPOSITION]
        .to_str()
        .unwrap()
        .starts_with("attachment"));
    let api_url = j["attachments"][0]["download_url"].as_str().unwrap();
    assert_status(&other.get(api_url).await, 200);
    assert_status(&w.outsider.get(&format!("{files}/{fid}")).await, 403);
    assert_status(&w.outsider.get(api_url).await, 403);
    assert_to_login(&app.client().get(&format!("{files}/{fid}")).await);
    // Removing: not by another member; by the manager.
    let remove = format!("{files}/{fid}/remove");
    assert_status(&other.get(&remove).await, 403);
    assert_status(&other.post_form(&remove, &[]).await, 403);
    // The page links to a second page that names the file; asking removes nothing.
    let page = w.leader.get(&base).await;
    assert!(
        page.body.contains(&format!("href=\"{remove}\"")),
        "{}",
        page.body
    );
    let ask = w.leader.get(&remove).await;
    assert_status(&ask, 200);
    assert!(
        ask.body
            .contains("¿Quitar el archivo «Convenio firmado.pdf»?"),
        "{}",
        ask.body
    );
    assert!(ask.body.contains(&format!("action=\"{remove}\"")));
    assert_status(&other.get(&format!("{files}/{fid}")).await, 200);
    assert_status(&w.leader.post_form(&remove, &[]).await, 303);
    assert_status(&other.get(&format!("{files}/{fid}")).await, 404);
    // Deleting the outcome takes its attachments away.
    assert_status(
        &w.leader.post_form(&format!("{base}/delete"), &[]).await,
        303,
    );
    assert_eq!(app.count("attachments").await, 0);
});
