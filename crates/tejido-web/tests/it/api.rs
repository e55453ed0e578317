//! The JSON API: authentication by session or bearer token, JSON errors (401, 403, 422 with
//! `fields`), CSRF for session-authenticated writes, and the OpenAPI document.

use std::collections::BTreeSet;

use super::*;

const READS: &[&str] = &[
    "/api/v1/me",
    "/api/v1/organizations",
    "/api/v1/people",
    "/api/v1/communities",
];

both_backends!(
    every_route_needs_auth_with_a_json_401,
    |app: TestApp| async move {
        let (_, lp) = app.user("lider@example.org", false).await;
        let (_, slug) = app.community("Red", lp, "public").await;
        let oid = app.organization("Org").await;
        let c = app.client();
        let mut paths: Vec<String> = READS.iter().map(|s| (*s).to_owned()).collect();
        paths.extend([
            format!("/api/v1/organizations/{oid}"),
            format!("/api/v1/people/{lp}"),
            format!("/api/v1/communities/{slug}"),
            format!("/api/v1/communities/{slug}/members"),
        ]);
        for p in &paths {
            let r = c.get(p).await;
            assert_status(&r, 401);
            assert!(r
                .headers
                .get(header::CONTENT_TYPE)
                .unwrap()
                .to_str()
                .unwrap()
                .starts_with("application/json"));
            let j = r.json();
            assert_eq!(j["error"], "error-unauthorized", "{p}");
            assert_eq!(
                j["message"],
                "Necesitas iniciar sesión para ver esta página."
            );
        }
        // Writes too (no cookie at all, so the CSRF check does not apply first).
        let before = (
            app.count("organizations").await,
            app.count("people").await,
            app.count("communities").await,
        );
        for (m, p, body) in [
            (
                Method::POST,
                "/api/v1/organizations".to_owned(),
                json!({"name": "X", "kind": "cso"}),
            ),
            (
                Method::PUT,
                format!("/api/v1/organizations/{oid}"),
                json!({"name": "X", "kind": "cso"}),
            ),
            (
                Method::POST,
                "/api/v1/people".to_owned(),
                json!({"full_name": "X"}),
            ),
            (
                Method::PUT,
                format!("/api/v1/people/{lp}"),
                json!({"full_name": "X"}),
            ),
            (
                Method::POST,
                "/api/v1/communities".to_owned(),
                json!({"name": "X", "purpose": "Y"}),
            ),
        ] {
            let r = app
                .client()
                .json(m, &p, &body, &[("x-csrf-token", "x")])
                .await;
            assert!(r.status == 401 || r.status == 403, "{p}: {}", r.status);
            let r = app
                .client()
                .json(
                    Method::POST,
                    "/api/v1/organizations",
                    &body,
                    &[("authorization", "Bearer tjd_falso")],
                )
                .await;
            assert_status(&r, 401);
            assert_eq!(r.json()["error"], "error-unauthorized");
        }
        assert_eq!(
            before,
            (
                app.count("organizations").await,
                app.count("people").await,
                app.count("communities").await
            )
        );
        // English on request.
        let r = english(app.client()).get("/api/v1/me").await;
        assert_eq!(r.json()["error"], "error-unauthorized");
        assert_ne!(
            r.json()["message"],
            "Necesitas iniciar sesión para ver esta página."
        );
    }
);

/// A token for a new account: (bearer header value, user id, person id).
async fn token_for(app: &TestApp, email: &str, admin: bool) -> (String, i64, i64) {
    let (uid, pid) = app.user(email, admin).await;
    let raw = format!("tjd_{email}_{}", next_n()).replace(['@', '.'], "_");
    tejido_db::accounts::create_api_token(&app.db, uid, "pruebas", &raw)
        .await
        .unwrap();
    (format!("Bearer {raw}"), uid, pid)
}

both_backends!(
    missing_roles_get_a_json_403_and_nothing_is_written,
    |app: TestApp| async move {
        let (member, _, _) = token_for(&app, "integrante@example.org", false).await;
        let (_, lp) = app.user("lider@example.org", false).await;
        let (_, slug) = app.community("Red Cerrada", lp, "private").await;
        let oid = app.organization("Org").await;
        let before = (
            app.count("organizations").await,
            app.count("people").await,
            app.count("communities").await,
            app.count("audit_log").await,
        );
        let h = [("authorization", member.as_str())];
        let c = app.client();
        for (m, p, body) in [
            (
                Method::POST,
                "/api/v1/organizations".to_owned(),
                json!({"name": "X", "kind": "cso"}),
            ),
            (
                Method::PUT,
                format!("/api/v1/organizations/{oid}"),
                json!({"name": "X", "kind": "cso"}),
            ),
            (
                Method::POST,
                "/api/v1/people".to_owned(),
                json!({"full_name": "X"}),
            ),
            (
                Method::PUT,
                format!("/api/v1/people/{lp}"),
                json!({"full_name": "X"}),
            ),
            (
                Method::POST,
                "/api/v1/communities".to_owned(),
                json!({"name": "X", "purpose": "Y"}),
            ),
        ] {
            let r = c.json(m, &p, &body, &h).await;
            assert_status(&r, 403);
            assert_eq!(r.json()["error"], "error-forbidden", "{p}");
            assert!(r.json()["message"]
                .as_str()
                .unwrap()
                .contains("No tienes permiso"));
        }
        for p in [
            format!("/api/v1/communities/{slug}"),
            format!("/api/v1/communities/{slug}/members"),
        ] {
            let r = c.request(Method::GET, &p, None, vec![], &h).await;
            assert_status(&r, 403);
            assert_eq!(
                r.json(),
                json!({"error": "error-forbidden", "message": r.json()["message"]}),
                "only the error, never the data"
            );
        }
        assert_eq!(
            before,
            (
                app.count("organizations").await,
                app.count("people").await,
                app.count("communities").await,
                app.count("audit_log").await
            )
        );
        // Unknown ids are 404 JSON.
        let r = c
            .request(
                Method::GET,
                "/api/v1/organizations/999999",
                None,
                vec![],
                &h,
            )
            .await;
        assert_status(&r, 404);
        assert_eq!(r.json()["error"], "error-not-found");
    }
);

both_backends!(
    invalid_input_is_a_422_with_fields,
    |app: TestApp| async move {
        let (admin, _, _) = token_for(&app, "admin@example.org", true).await;
        let h = [("authorization", admin.as_str())];
        let c = app.client();
        let oid = app.organization("Original").await;
        let archived = app.organization("Archivada").await;
        let mut tx = app.db.begin().await.unwrap();
        tejido_db::directory::set_organization_archived(&mut tx, archived, true)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let before = (
            app.count("organizations").await,
            app.count("people").await,
            app.count("communities").await,
        );
        for (m, p, body, fields) in [
            (
                Method::POST,
                "/api/v1/organizations".to_owned(),
                json!({"name": "", "kind": "secta", "website": "x"}),
                vec!["name", "kind", "website"],
            ),
            (
                Method::PUT,
                format!("/api/v1/organizations/{oid}"),
                json!({"name": "Buena", "state_code": "77"}),
                vec!["kind", "state_code"],
            ),
            (
                Method::POST,
                "/api/v1/people".to_owned(),
                json!({"full_name": "", "email": "x"}),
                vec!["full_name", "email"],
            ),
            (
                Method::POST,
                "/api/v1/people".to_owned(),
                json!({"full_name": "Ana", "organization_id": archived.to_string()}),
                vec!["organization_id"],
            ),
            (
                Method::PUT,
                format!("/api/v1/people/{oid}"),
                json!({"full_name": ""}),
                vec!["full_name"],
            ),
            (
                Method::POST,
                "/api/v1/communities".to_owned(),
                json!({"name": "", "purpose": "", "visibility": "secreta"}),
                vec!["name", "purpose", "visibility"],
            ),
        ] {
            let r = c.json(m, &p, &body, &h).await;
            if p.starts_with("/api/v1/people/") && r.status == 404 {
                // The id is an organization's: there may be no person with it.
                continue;
            }
            assert_status(&r, 422);
            let j = r.json();
            assert_eq!(j["error"], "error-validation", "{p}");
            let got: Vec<&str> = j["fields"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f["field"].as_str().unwrap())
                .collect();
            assert_eq!(got, fields, "{p}: {j}");
            for f in j["fields"].as_array().unwrap() {
                assert!(f["code"].as_str().unwrap().starts_with("error-"));
                assert!(!f["message"].as_str().unwrap().is_empty());
            }
        }
        assert_eq!(
            before,
            (
                app.count("organizations").await,
                app.count("people").await,
                app.count("communities").await
            )
        );
        assert_eq!(
            app.count("organizations WHERE name = 'Original' AND updated_at = created_at")
                .await,
            1
        );
    }
);

both_backends!(
    creates_answer_201_and_updates_200,
    |app: TestApp| async move {
        let (leader, _, lp) = token_for(&app, "lider@example.org", false).await;
        app.community("Red Base", lp, "private").await;
        let h = [("authorization", leader.as_str())];
        let c = app.client();
        let r = c
            .json(
                Method::POST,
                "/api/v1/organizations",
                &json!({"name": "Colectivo Árbol", "kind": "cso", "state_code": "20"}),
                &h,
            )
            .await;
        assert_status(&r, 201);
        let org = r.json();
        assert_eq!(org["name"], "Colectivo Árbol");
        let oid = org["id"].as_i64().unwrap();
        let r = c
            .json(
                Method::PUT,
                &format!("/api/v1/organizations/{oid}"),
                &json!({"name": "Colectivo Árbol Vivo", "kind": "iso"}),
                &h,
            )
            .await;
        assert_status(&r, 200);
        assert_eq!(r.json()["kind"], "iso");
        let r = c.json(Method::POST, "/api/v1/people", &json!({"full_name": "Leo Ramos", "email": "leo@example.org", "organization_id": oid.to_string()}), &h).await;
        assert_status(&r, 201);
        assert_eq!(r.json()["organization_name"], "Colectivo Árbol Vivo");
        assert_eq!(r.json()["email"], "leo@example.org");
        let pid = r.json()["id"].as_i64().unwrap();
        let r = c
            .json(
                Method::PUT,
                &format!("/api/v1/people/{pid}"),
                &json!({"full_name": "Leo Ramos Díaz"}),
                &h,
            )
            .await;
        assert_status(&r, 200);
        assert_eq!(r.json()["organization_id"], serde_json::Value::Null);
        let r = c
            .json(
                Method::POST,
                "/api/v1/communities",
                &json!({"name": "Red de Agua", "purpose": "Cuidar el agua"}),
                &h,
            )
            .await;
        assert_status(&r, 201);
        assert_eq!(r.json()["slug"], "red-de-agua");
        let detail = c
            .request(
                Method::GET,
                "/api/v1/communities/red-de-agua",
                None,
                vec![],
                &h,
            )
            .await
            .json();
        assert_eq!(detail["can_manage"], true);
        assert_eq!(detail["my_roles"], json!(["convener"]));
        let m = c
            .request(
                Method::GET,
                "/api/v1/communities/red-de-agua/members",
                None,
                vec![],
                &h,
            )
            .await
            .json();
        assert_eq!(m["people"]["total"], 1);
        assert_eq!(app.count("audit_log WHERE action IN ('organization-created', 'organization-updated', 'person-created', 'person-updated', 'community-created')").await, 5);
    }
);

both_backends!(
    session_writes_need_the_csrf_header_bearer_writes_do_not,
    |app: TestApp| async move {
        let (admin, _, _) = app.signed_in("admin@example.org", true).await;
        let body = json!({"name": "Por Sesión", "kind": "cso"});
        let r = admin
            .json(Method::POST, "/api/v1/organizations", &body, &[])
            .await;
        assert_status(&r, 403);
        assert_eq!(r.json()["error"], "error-csrf");
        let r = admin
            .json(
                Method::POST,
                "/api/v1/organizations",
                &body,
                &[("x-csrf-token", "equivocado")],
            )
            .await;
        assert_status(&r, 403);
        assert_eq!(app.count("organizations").await, 0);
        let token = admin.csrf().await;
        let r = admin
            .json(
                Method::POST,
                "/api/v1/organizations",
                &body,
                &[("x-csrf-token", &token)],
            )
            .await;
        assert_status(&r, 201);
        // A cross-site request is refused even with the token.
        let r = admin
            .json(
                Method::POST,
                "/api/v1/organizations",
                &body,
                &[("x-csrf-token", &token), ("sec-fetch-site", "cross-site")],
            )
            .await;
        assert_status(&r, 403);
        assert_eq!(app.count("organizations").await, 1);

        let (bearer, _, _) = token_for(&app, "robot@example.org", true).await;
        let r = app
            .client()
            .json(
                Method::POST,
                "/api/v1/organizations",
                &json!({"name": "Por Clave", "kind": "cso"}),
                &[("authorization", &bearer)],
            )
            .await;
        assert_status(&r, 201);
        assert_eq!(app.count("organizations").await, 2);
        // A bearer token does not work outside the API.
        let r = app
            .client()
            .request(
                Method::GET,
                "/account",
                None,
                vec![],
                &[("authorization", &bearer)],
            )
            .await;
        assert_to_login(&r);
    }
);

both_backends!(malformed_json_is_a_json_error, |app: TestApp| async move {
    let (bearer, _, _) = token_for(&app, "admin@example.org", true).await;
    let r = app
        .client()
        .request(
            Method::POST,
            "/api/v1/organizations",
            Some("application/json"),
            b"{not json".to_vec(),
            &[("authorization", &bearer)],
        )
        .await;
    assert!(r.status.is_client_error(), "{}", r.status);
    assert_eq!(app.count("organizations").await, 0);
});

/// The (method, path) pairs of the JSON API in the route registry, relative to `/api/v1`, with
/// the method in lower case as OpenAPI spells it.
fn api_routes() -> BTreeSet<(String, String)> {
    tejido_web::features::table()
        .into_iter()
        .filter_map(|r| {
            let path = r.path.strip_prefix("/api/v1")?.to_owned();
            Some((r.method.as_str().to_lowercase(), path))
        })
        .collect()
}

both_backends!(openapi_lists_every_route, |app: TestApp| async move {
    let r = app.client().get("/api/v1/openapi.json").await;
    assert_status(&r, 200);
    let doc = r.json();
    assert!(
        doc["openapi"].as_str().unwrap().starts_with("3."),
        "{}",
        doc["openapi"]
    );
    let paths = doc["paths"].as_object().unwrap();
    let routes = api_routes();
    assert!(routes.len() >= 12, "{routes:?}");
    for (m, p) in &routes {
        if p == "/openapi.json" {
            continue; // the document itself
        }
        let op = &paths
            .get(p.as_str())
            .unwrap_or_else(|| panic!("{p} missing from openapi.json"))[m.as_str()];
        assert!(op.is_object(), "{m} {p} missing from openapi.json");
        assert!(op["responses"].is_object(), "{m} {p} without responses");
    }
    // Nothing documented that the router does not serve.
    for (p, item) in paths {
        for m in item
            .as_object()
            .unwrap()
            .keys()
            .filter(|k| *k != "parameters")
        {
            assert!(
                routes.contains(&(m.clone(), p.clone())),
                "documented but not routed: {m} {p}"
            );
        }
    }
    // Every `$ref` resolves.
    let text = doc.to_string();
    for part in text.split("\"$ref\":\"#/components/").skip(1) {
        let target = &part[..part.find('"').unwrap()];
        let (kind, name) = target.split_once('/').unwrap();
        assert!(
            doc["components"][kind][name].is_object(),
            "dangling $ref {target}"
        );
    }
});
