//! Charter and decision log: route tests (both backends) — who may do what on every route,
//! CSRF, validation that writes nothing, the whole flow from no charter to an adopted second
//! version, safe Markdown, accent-insensitive search, corrections that never edit the original.

use std::collections::BTreeSet;

use super::*;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Who {
    /// Anyone who may see the community: the adopted charter.
    Viewers,
    /// Members (not guest-only), managers, admins.
    Members,
    /// Leaders, co-leaders, conveners, admins.
    Managers,
}

struct Row {
    method: &'static str,
    /// `{slug}`, `{n}` (the adopted version), `{d}` (the draft), `{id}` (a decision).
    path: &'static str,
    who: Who,
    /// For writes: a body that fails validation, so an authorized caller gets 422 and nothing
    /// is written either way.
    invalid: &'static str,
}

const API: &str = "/api/v1";

/// Every route of `features/charter.rs` (API paths without the `/api/v1` prefix).
const MATRIX: &[Row] = &[
    Row {
        method: "GET",
        path: "/c/{slug}/charter",
        who: Who::Viewers,
        invalid: "",
    },
    Row {
        method: "GET",
        path: "/c/{slug}/charter/edit",
        who: Who::Managers,
        invalid: "",
    },
    Row {
        method: "POST",
        path: "/c/{slug}/charter/edit",
        who: Who::Managers,
        invalid: "long",
    },
    Row {
        method: "GET",
        path: "/c/{slug}/charter/versions/{n}",
        who: Who::Members,
        invalid: "",
    },
    Row {
        method: "POST",
        path: "/c/{slug}/charter/versions/{d}/adopt",
        who: Who::Managers,
        invalid: "vote",
    },
    Row {
        method: "GET",
        path: "/c/{slug}/charter/compare",
        who: Who::Members,
        invalid: "",
    },
    Row {
        method: "GET",
        path: "/c/{slug}/decisions",
        who: Who::Members,
        invalid: "",
    },
    Row {
        method: "GET",
        path: "/c/{slug}/decisions/new",
        who: Who::Managers,
        invalid: "",
    },
    Row {
        method: "POST",
        path: "/c/{slug}/decisions/new",
        who: Who::Managers,
        invalid: "vote",
    },
    Row {
        method: "GET",
        path: "/c/{slug}/decisions/{id}",
        who: Who::Members,
        invalid: "",
    },
    Row {
        method: "GET",
        path: "/c/{slug}/decisions/{id}/correct",
        who: Who::Managers,
        invalid: "",
    },
    Row {
        method: "POST",
        path: "/c/{slug}/decisions/{id}/correct",
        who: Who::Managers,
        invalid: "vote",
    },
    Row {
        method: "GET",
        path: "/api/v1/communities/{slug}/charter",
        who: Who::Viewers,
        invalid: "",
    },
    Row {
        method: "GET",
        path: "/api/v1/communities/{slug}/charter/versions",
        who: Who::Members,
        invalid: "",
    },
    Row {
        method: "GET",
        path: "/api/v1/communities/{slug}/charter/compare?a={n}&b={n}",
        who: Who::Members,
        invalid: "",
    },
    Row {
        method: "PUT",
        path: "/api/v1/communities/{slug}/charter/draft",
        who: Who::Managers,
        invalid: "long",
    },
    Row {
        method: "POST",
        path: "/api/v1/communities/{slug}/charter/adopt",
        who: Who::Managers,
        invalid: "vote",
    },
    Row {
        method: "GET",
        path: "/api/v1/communities/{slug}/decisions",
        who: Who::Members,
        invalid: "",
    },
    Row {
        method: "POST",
        path: "/api/v1/communities/{slug}/decisions",
        who: Who::Managers,
        invalid: "vote",
    },
    Row {
        method: "GET",
        path: "/api/v1/communities/{slug}/decisions/{id}",
        who: Who::Members,
        invalid: "",
    },
];

fn long_text() -> String {
    "x".repeat(tejido_core::charter::MAX_SECTION_CHARS + 1)
}

/// Sends one matrix row as `c` (None: a fresh anonymous client).
async fn send(app: &TestApp, c: Option<&Client>, row: &Row, path: &str) -> Resp {
    let anon = app.client();
    let c = c.unwrap_or(&anon);
    let api = path.starts_with(API);
    if row.method == "GET" {
        return c.get(path).await;
    }
    let long = long_text();
    if api {
        let body = if row.invalid == "long" {
            json!({ "rules": long })
        } else {
            json!({ "title": "Acuerdo", "decided_on": "2026-05-01", "method": "vote" })
        };
        let token = c.csrf().await;
        let m = if row.method == "PUT" {
            Method::PUT
        } else {
            Method::POST
        };
        c.json(m, path, &body, &[("x-csrf-token", token.as_str())])
            .await
    } else if row.invalid == "long" {
        c.post_form(path, &[("rules", long.as_str()), ("membership", "Abierta")])
            .await
    } else {
        c.post_form(
            path,
            &[
                ("title", "Acuerdo"),
                ("decided_on", "2026-05-01"),
                ("method", "vote"),
            ],
        )
        .await
    }
}

/// Counts every write of this module would change.
async fn fingerprint(app: &TestApp) -> Vec<i64> {
    let mut v = vec![];
    for t in [
        "charter_versions",
        "charter_sections",
        "decisions",
        "audit_log",
        "charter_versions WHERE status = 'adopted'",
    ] {
        v.push(app.count(t).await);
    }
    v
}

fn id_from(location: Option<&str>) -> i64 {
    location
        .and_then(|l| l.rsplit('/').next())
        .and_then(|x| x.parse().ok())
        .unwrap_or_else(|| panic!("no id in {location:?}"))
}

/// A leader's private community with an adopted version 1, a draft version 2 and a decision.
struct Setup {
    slug: String,
    cid: i64,
    leader: Client,
    decision: i64,
}

async fn setup(app: &TestApp, visibility: &str) -> Setup {
    let (leader, _, leader_p) = app
        .signed_in(&format!("lider{}@example.org", next_n()), false)
        .await;
    let (cid, slug) = app
        .community(&format!("Red Norte {}", next_n()), leader_p, visibility)
        .await;
    let r = leader
        .post_form(
            &format!("/c/{slug}/charter/edit"),
            &[
                ("mission-vision", "Aprender juntas"),
                ("rules", "Escucharnos"),
            ],
        )
        .await;
    assert_redirect(&r, &format!("/c/{slug}/charter/versions/1"));
    let r = leader
        .post_form(
            &format!("/c/{slug}/charter/versions/1/adopt"),
            &[
                ("title", "Adoptamos la carta"),
                ("decided_on", "2026-03-01"),
                ("method", "consensus"),
            ],
        )
        .await;
    assert_redirect(&r, &format!("/c/{slug}/charter"));
    let r = leader
        .post_form(
            &format!("/c/{slug}/charter/edit"),
            &[("mission-vision", "Aprender y actuar juntas")],
        )
        .await;
    assert_redirect(&r, &format!("/c/{slug}/charter/versions/2"));
    let decision = scalar(
        app,
        &format!("SELECT MAX(id) FROM decisions WHERE community_id = {cid}"),
    )
    .await;
    Setup {
        slug,
        cid,
        leader,
        decision,
    }
}

both_backends!(authorization_for_every_route, |app: TestApp| async move {
    let k = setup(&app, "private").await;
    let (outsider, _, _) = app.signed_in("fuera@example.org", false).await;
    let (member, _, member_p) = app.signed_in("integrante@example.org", false).await;
    let (guest, _, guest_p) = app.signed_in("invitada@example.org", false).await;
    let (convener, _, convener_p) = app.signed_in("convocante@example.org", false).await;
    let (admin, _, _) = app.signed_in("admin@example.org", true).await;
    app.add_member(k.cid, member_p, Role::Member).await;
    app.add_member(k.cid, guest_p, Role::Guest).await;
    app.add_member(k.cid, convener_p, Role::Convener).await;
    let before = fingerprint(&app).await;
    for row in MATRIX {
        let path = row
            .path
            .replace("{slug}", &k.slug)
            .replace("{n}", "1")
            .replace("{d}", "2")
            .replace("{id}", &k.decision.to_string());
        let api = path.starts_with(API);
        let write = row.method != "GET";
        // Anonymous: sent to sign in (pages) or 401 (API).
        let r = send(&app, None, row, &path).await;
        if api {
            assert_status(&r, 401);
        } else {
            assert_to_login(&r);
        }
        let r = send(&app, Some(&outsider), row, &path).await;
        assert_status(&r, 403);
        assert!(!r.body.contains("Aprender juntas"), "{path}");
        let ok = if write { 422 } else { 200 };
        let guest_ok = row.who == Who::Viewers;
        let member_ok = row.who != Who::Managers;
        assert_status(
            &send(&app, Some(&guest), row, &path).await,
            if guest_ok { ok } else { 403 },
        );
        assert_status(
            &send(&app, Some(&member), row, &path).await,
            if member_ok { ok } else { 403 },
        );
        for c in [&k.leader, &convener, &admin] {
            let r = send(&app, Some(c), row, &path).await;
            assert_status(&r, ok);
        }
    }
    assert_eq!(
        fingerprint(&app).await,
        before,
        "a refused or invalid request wrote something"
    );
    // Drafts are for managers only.
    assert_status(
        &member
            .get(&format!("/c/{}/charter/versions/2", k.slug))
            .await,
        404,
    );
    assert_status(
        &k.leader
            .get(&format!("/c/{}/charter/versions/2", k.slug))
            .await,
        200,
    );
    let cur = member
        .get(&format!("/api/v1/communities/{}/charter", k.slug))
        .await
        .json();
    assert_eq!(cur["current"]["number"], 1);
    assert!(cur["draft"].is_null());
    // The guest reads the adopted charter but no version list.
    let page = guest.get(&format!("/c/{}/charter", k.slug)).await;
    assert!(page.body.contains("Aprender juntas"));
    assert!(!page.body.contains("/charter/versions/1\""));
});

both_backends!(
    public_charter_for_anonymous_only_the_adopted_text,
    |app: TestApp| async move {
        let k = setup(&app, "public").await;
        let anon = app.client();
        let r = anon.get(&format!("/c/{}/charter", k.slug)).await;
        assert_status(&r, 200);
        assert!(r.body.contains("Aprender juntas"));
        assert_to_login(&anon.get(&format!("/c/{}/decisions", k.slug)).await);
        assert_to_login(&anon.get(&format!("/c/{}/charter/versions/1", k.slug)).await);
    }
);

both_backends!(posting_without_csrf_is_refused, |app: TestApp| async move {
    let (leader, _, p) = app.signed_in("lider@example.org", false).await;
    let (_, slug) = app.community("Red Sur", p, "private").await;
    let r = leader
        .post_raw(
            &format!("/c/{slug}/charter/edit"),
            &[("rules", "Sin token")],
        )
        .await;
    assert_status(&r, 403);
    assert_eq!(app.count("charter_versions").await, 0);
    let r = leader
        .post_raw(
            &format!("/c/{slug}/decisions/new"),
            &[
                ("title", "X"),
                ("decided_on", "2026-01-01"),
                ("method", "consensus"),
            ],
        )
        .await;
    assert_status(&r, 403);
    assert_eq!(app.count("decisions").await, 0);
});

both_backends!(
    invalid_input_is_422_and_writes_nothing,
    |app: TestApp| async move {
        let (leader, _, p) = app.signed_in("lider@example.org", false).await;
        let (_, slug) = app.community("Red Centro", p, "private").await;
        let long = long_text();
        let start = fingerprint(&app).await;
        let r = leader
            .post_form(
                &format!("/c/{slug}/charter/edit"),
                &[("rules", long.as_str()), ("membership", "Puertas abiertas")],
            )
            .await;
        assert_status(&r, 422);
        assert!(r.body.contains("Puertas abiertas"), "input kept");
        assert!(
            r.body.contains("id=\"f-rules-error\""),
            "error on the field"
        );
        assert_eq!(fingerprint(&app).await, start);
        // A draft, then an adoption by vote without counts.
        leader
            .post_form(&format!("/c/{slug}/charter/edit"), &[("rules", "Respeto")])
            .await;
        let before = fingerprint(&app).await;
        let r = leader
            .post_form(
                &format!("/c/{slug}/charter/versions/1/adopt"),
                &[
                    ("title", "Adoptar"),
                    ("decided_on", "2026-13-40"),
                    ("method", "vote"),
                    ("decided_by", "Asamblea"),
                ],
            )
            .await;
        assert_status(&r, 422);
        assert!(
            r.body.contains("id=\"f-votes_for-error\"")
                && r.body.contains("id=\"f-decided_on-error\"")
        );
        assert!(r.body.contains("Asamblea"));
        assert_eq!(fingerprint(&app).await, before);
        let r = leader
            .post_form(
                &format!("/c/{slug}/decisions/new"),
                &[
                    ("title", ""),
                    ("decided_on", "2026-01-01"),
                    ("method", "magia"),
                ],
            )
            .await;
        assert_status(&r, 422);
        assert_eq!(fingerprint(&app).await, before);
        let token = leader.csrf().await;
        let r = leader
        .json(Method::POST, &format!("/api/v1/communities/{slug}/decisions"), &json!({ "title": "X", "decided_on": "2026-01-01", "method": "consensus", "corrects": "999999" }), &[("x-csrf-token", token.as_str())])
        .await;
        assert_status(&r, 422);
        assert_eq!(r.json()["fields"][0]["field"], "corrects");
        assert_eq!(fingerprint(&app).await, before);
    }
);

both_backends!(
    from_no_charter_to_a_second_adopted_version,
    |app: TestApp| async move {
        let (leader, _, p) = app.signed_in("lider@example.org", false).await;
        let (member, _, mp) = app.signed_in("integrante@example.org", false).await;
        let (cid, slug) = app.community("Red Golfo", p, "private").await;
        app.add_member(cid, mp, Role::Member).await;
        let home = leader.get(&format!("/c/{slug}")).await;
        assert!(home.body.contains(&format!("/c/{slug}/charter\"")));
        let page = leader.get(&format!("/c/{slug}/charter")).await;
        assert_status(&page, 200);
        assert!(page.body.contains(&format!("/c/{slug}/charter/edit")));
        assert_status(&leader.get(&format!("/c/{slug}/charter/edit")).await, 200);
        let r = leader
            .post_form(
                &format!("/c/{slug}/charter/edit"),
                &[
                    ("mission-vision", "Prevenir la violencia **juntas**."),
                    ("rules", "Nos reunimos cada mes.\nHablamos por turnos."),
                ],
            )
            .await;
        assert_redirect(&r, &format!("/c/{slug}/charter/versions/1"));
        let draft = leader.get(&format!("/c/{slug}/charter/versions/1")).await;
        assert!(draft.body.contains("<strong>juntas</strong>"));
        assert!(draft.body.contains("/charter/versions/1/adopt"));
        let r = leader
            .post_form(
                &format!("/c/{slug}/charter/versions/1/adopt"),
                &[
                    ("title", "Adoptamos la carta"),
                    ("decided_on", "2026-03-01"),
                    ("method", "vote"),
                    ("votes_for", "12"),
                    ("votes_against", "1"),
                    ("votes_abstain", "2"),
                    ("decided_by", "Asamblea de integrantes"),
                ],
            )
            .await;
        assert_redirect(&r, &format!("/c/{slug}/charter"));
        let page = member.get(&format!("/c/{slug}/charter")).await;
        assert!(page.body.contains("Prevenir la violencia"));
        let log = member.get(&format!("/c/{slug}/decisions")).await;
        assert_status(&log, 200);
        for s in [
            "Adoptamos la carta",
            "12 a favor",
            "1 en contra",
            "2 abstenciones",
            "Asamblea de integrantes",
            "/charter/versions/1\"",
        ] {
            assert!(log.body.contains(s), "{s} not in the log");
        }
        // A second draft starts from the adopted text.
        let edit = leader.get(&format!("/c/{slug}/charter/edit")).await;
        assert!(edit.body.contains("Hablamos por turnos."));
        let r = leader
            .post_form(
                &format!("/c/{slug}/charter/edit"),
                &[
                    ("mission-vision", "Prevenir la violencia **juntas**."),
                    (
                        "rules",
                        "Nos reunimos cada dos meses.\nHablamos por turnos.",
                    ),
                ],
            )
            .await;
        assert_redirect(&r, &format!("/c/{slug}/charter/versions/2"));
        let cmp = leader
            .get(&format!("/c/{slug}/charter/compare?a=1&b=2"))
            .await;
        assert_status(&cmp, 200);
        assert!(cmp.body.contains("<del>mes.</del>"), "{}", cmp.body);
        assert!(cmp.body.contains("<ins>dos meses.</ins>"), "{}", cmp.body);
        let r = leader
            .post_form(
                &format!("/c/{slug}/charter/versions/2/adopt"),
                &[
                    ("title", "Ajuste de reuniones"),
                    ("decided_on", "2026-06-01"),
                    ("method", "consensus"),
                ],
            )
            .await;
        assert_redirect(&r, &format!("/c/{slug}/charter"));
        assert_eq!(scalar(&app, &format!("SELECT COUNT(*) FROM charter_versions WHERE community_id = {cid} AND number = 1 AND status = 'superseded'")).await, 1);
        assert_eq!(scalar(&app, &format!("SELECT COUNT(*) FROM charter_versions WHERE community_id = {cid} AND number = 2 AND status = 'adopted'")).await, 1);
        assert_eq!(scalar(&app, &format!("SELECT COUNT(*) FROM decisions WHERE community_id = {cid} AND source_kind = 'charter'")).await, 2);
        // Default comparison: previous against current; the member sees it too.
        let cmp = member.get(&format!("/c/{slug}/charter/compare")).await;
        assert!(cmp.body.contains("<ins>dos meses.</ins>"));
        let api = member
            .get(&format!("/api/v1/communities/{slug}/charter/compare"))
            .await
            .json();
        assert_eq!((api["a"].clone(), api["b"].clone()), (json!(1), json!(2)));
        // Through the API: a third version.
        let token = leader.csrf().await;
        let h = [("x-csrf-token", token.as_str())];
        let r = leader
            .json(
                Method::PUT,
                &format!("/api/v1/communities/{slug}/charter/draft"),
                &json!({ "effort": "Dos horas al mes" }),
                &h,
            )
            .await;
        assert_status(&r, 200);
        assert_eq!(r.json()["number"], 3);
        let r = leader
            .json(
                Method::POST,
                &format!("/api/v1/communities/{slug}/charter/adopt"),
                &json!({ "title": "Tercera", "decided_on": "2026-07-01", "method": "leadership" }),
                &h,
            )
            .await;
        assert_status(&r, 201);
        assert_eq!(r.json()["charter"]["status"], "adopted");
        assert_eq!(r.json()["decision"]["source_kind"], "charter");
        let v = member
            .get(&format!("/api/v1/communities/{slug}/charter/versions"))
            .await
            .json();
        assert_eq!(v["total"], 3);
        assert_eq!(v["items"][0]["number"], 3);
    }
);

both_backends!(
    markdown_in_a_section_cannot_run_script,
    |app: TestApp| async move {
        let (leader, _, p) = app.signed_in("lider@example.org", false).await;
        let (_, slug) = app.community("Red Costa", p, "private").await;
        let payload = "Hola <script>alert('x')</script>\n\n<img src=x onerror=alert(1)>\n\n[clic](javascript:alert(1)) `<script>code</script>`";
        let r = leader
            .post_form(&format!("/c/{slug}/charter/edit"), &[("rules", payload)])
            .await;
        assert_status(&r, 303);
        let page = leader.get(&format!("/c/{slug}/charter/versions/1")).await;
        assert_status(&page, 200);
        assert!(!page.body.contains("<script"), "{}", page.body);
        assert!(!page.body.contains("onerror"));
        assert!(!page.body.contains("javascript:"));
        assert!(page.body.contains("&lt;script&gt;code&lt;/script&gt;"));
        assert!(page.body.contains("clic"));
    }
);

both_backends!(decision_search_ignores_accents, |app: TestApp| async move {
    let (leader, _, p) = app.signed_in("lider@example.org", false).await;
    let (_, slug) = app.community("Red Valle", p, "private").await;
    for title in [
        "Mediación de conflictos entre integrantes",
        "Calendario anual",
    ] {
        let r = leader
            .post_form(
                &format!("/c/{slug}/decisions/new"),
                &[
                    ("title", title),
                    ("decided_on", "2026-02-01"),
                    ("method", "consensus"),
                ],
            )
            .await;
        assert_status(&r, 303);
    }
    let r = leader
        .get(&format!("/c/{slug}/decisions?q=mediacion"))
        .await;
    assert!(r.body.contains("Mediación de conflictos"));
    assert!(!r.body.contains("Calendario anual"));
    let j = leader
        .get(&format!("/api/v1/communities/{slug}/decisions?q=MEDIACIÓN"))
        .await
        .json();
    assert_eq!(j["total"], 1);
});

both_backends!(
    a_correction_leaves_the_original_and_both_link,
    |app: TestApp| async move {
        let (leader, _, p) = app.signed_in("lider@example.org", false).await;
        let (_, slug) = app.community("Red Sierra", p, "private").await;
        let r = leader
            .post_form(
                &format!("/c/{slug}/decisions/new"),
                &[
                    ("title", "Cuota de 100 pesos"),
                    ("decided_on", "2026-02-01"),
                    ("method", "vote"),
                    ("votes_for", "5"),
                    ("votes_against", "4"),
                ],
            )
            .await;
        let old = id_from(r.location());
        let row = |id: i64| {
            format!("SELECT COUNT(*) FROM decisions WHERE id = {id} AND title = 'Cuota de 100 pesos' AND votes_for = 5 AND corrects_id IS NULL")
        };
        let form = leader
            .get(&format!("/c/{slug}/decisions/{old}/correct"))
            .await;
        assert!(form.body.contains("Cuota de 100 pesos"));
        let r = leader
            .post_form(
                &format!("/c/{slug}/decisions/{old}/correct"),
                &[
                    ("title", "Cuota de 150 pesos"),
                    ("decided_on", "2026-02-01"),
                    ("method", "vote"),
                    ("votes_for", "6"),
                    ("votes_against", "3"),
                ],
            )
            .await;
        assert_status(&r, 303);
        let new = id_from(r.location());
        assert_ne!(new, old);
        assert_eq!(
            scalar(&app, &row(old)).await,
            1,
            "the original is untouched"
        );
        assert_eq!(
            scalar(
                &app,
                &format!("SELECT corrects_id FROM decisions WHERE id = {new}")
            )
            .await,
            old
        );
        let o = leader.get(&format!("/c/{slug}/decisions/{old}")).await;
        assert!(
            o.body.contains(&format!("/c/{slug}/decisions/{new}\""))
                && o.body.contains(&format!("Corregido por el acuerdo #{new}"))
        );
        let n = leader.get(&format!("/c/{slug}/decisions/{new}")).await;
        assert!(
            n.body.contains(&format!("/c/{slug}/decisions/{old}\""))
                && n.body.contains(&format!("corrige el acuerdo #{old}"))
        );
        let list = leader.get(&format!("/c/{slug}/decisions")).await;
        assert!(list
            .body
            .contains(&format!("Corregido por el acuerdo #{new}")));
        let j = leader
            .get(&format!("/api/v1/communities/{slug}/decisions/{old}"))
            .await
            .json();
        assert_eq!(j["decision"]["corrected_by"], new);
        assert_eq!(j["chain"].as_array().map(Vec::len), Some(2));
    }
);

/// `/c/{slug}/decisions/{id}` → `/c/{}/decisions/{}`.
fn normalize(path: &str) -> String {
    let path = path.split('?').next().unwrap_or(path);
    let mut out = String::new();
    let mut skip = false;
    for ch in path.chars() {
        match ch {
            '{' => {
                skip = true;
                out.push_str("{}");
            }
            '}' => skip = false,
            _ if !skip => out.push(ch),
            _ => {}
        }
    }
    out
}

/// The routes the charter registers (pages and API), with parameters written as `{}`.
fn routes_in_source() -> BTreeSet<(String, String)> {
    registry("charter")
        .into_iter()
        .map(|(m, p)| (m, normalize(&p)))
        .collect()
}

#[test]
fn every_route_has_a_row_in_the_matrix() {
    let routes = routes_in_source();
    assert!(routes.len() >= 20, "parsed too few routes: {routes:?}");
    assert!(routes.contains(&("POST".into(), "/c/{}/charter/versions/{}/adopt".into())));
    assert!(routes.contains(&("PUT".into(), "/api/v1/communities/{}/charter/draft".into())));
    let listed: BTreeSet<(String, String)> = MATRIX
        .iter()
        .map(|r| (r.method.to_owned(), normalize(r.path)))
        .collect();
    let missing: Vec<_> = routes.difference(&listed).collect();
    assert!(missing.is_empty(), "routes without a row: {missing:?}");
    let stale: Vec<_> = listed.difference(&routes).collect();
    assert!(stale.is_empty(), "rows without a route: {stale:?}");
}
