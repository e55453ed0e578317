//! The directory: search, pagination and filters; creating, editing and archiving organizations
//! and people under the role rules; invalid forms; contact details shown only to editors.

use super::*;

/// A plain member (of some community, managing none), a leader of a community and an admin.
async fn people(app: &TestApp) -> (Client, Client, Client) {
    let (member, _, member_p) = app.signed_in("integrante@example.org", false).await;
    let (leader, _, leader_p) = app.signed_in("lider@example.org", false).await;
    let (admin, _, _) = app.signed_in("admin@example.org", true).await;
    let (cid, _) = app.community("Red Sur", leader_p, "private").await;
    app.add_member(cid, member_p, Role::Member).await;
    (member, leader, admin)
}

both_backends!(
    search_is_accent_and_case_insensitive,
    |app: TestApp| async move {
        let (member, _, _) = people(&app).await;
        org_with(&app, "Centro de Mediación Comunitaria", "cso", "09").await;
        org_with(&app, "Fundación Ñandú", "donor", "14").await;
        org_with(&app, "Otra Cosa", "media", "20").await;
        for q in ["mediacion", "MEDIACIÓN", "Mediación comunitaria"] {
            let r = member
                .get(&format!("/directory/organizations?q={}", urlencode(q)))
                .await;
            assert_status(&r, 200);
            assert!(r.body.contains("Centro de Mediación Comunitaria"), "{q}");
            assert!(!r.body.contains("Otra Cosa"), "{q}");
            assert!(r.body.contains("1 resultado"), "{q}");
        }
        let r = member.get("/directory/organizations?q=nandu").await;
        assert!(r.body.contains("Fundación Ñandú"));
        // LIKE wildcards typed by a person are literal.
        let r = member.get("/directory/organizations?q=%25").await;
        assert!(r.body.contains("0 resultados"), "{}", r.body);

        person_with(&app, "José Pérez Núñez", None, None).await;
        person_with(&app, "María López", None, None).await;
        let r = member.get("/directory/people?q=jose%20perez").await;
        assert!(r.body.contains("José Pérez Núñez"));
        assert!(!r.body.contains("María López"));
        // The API searches the same way.
        let j = member.get("/api/v1/organizations?q=mediacion").await.json();
        assert_eq!(j["total"], 1);
        assert_eq!(j["items"][0]["name"], "Centro de Mediación Comunitaria");
    }
);

both_backends!(lists_are_paginated, |app: TestApp| async move {
    let (member, _, _) = people(&app).await;
    for i in 1..=30 {
        org_with(&app, &format!("Colectivo {i:02}"), "cso", "20").await;
    }
    let p1 = member.get("/directory/organizations").await;
    assert!(p1.body.contains("30 resultados"));
    assert!(p1.body.contains("Página 1 de 2"));
    assert!(p1.body.contains("Colectivo 01") && p1.body.contains("Colectivo 25"));
    assert!(!p1.body.contains("Colectivo 26"));
    assert!(p1
        .body
        .contains(r#"href="/directory/organizations?page=2""#));
    let p2 = member.get("/directory/organizations?page=2").await;
    assert!(p2.body.contains("Página 2 de 2"));
    assert!(p2.body.contains("Colectivo 26") && p2.body.contains("Colectivo 30"));
    assert!(!p2.body.contains("Colectivo 25"));
    // A filter is kept in the pager's links.
    let f = member.get("/directory/organizations?q=colectivo").await;
    assert!(
        f.body
            .contains(r#"href="/directory/organizations?q=colectivo&#38;page=2""#),
        "{}",
        f.body
    );
    // Out of range: an empty page, not an error.
    assert_status(&member.get("/directory/organizations?page=99").await, 200);
    // The API pages the same list.
    let j = member
        .get("/api/v1/organizations?per_page=10&page=3")
        .await
        .json();
    assert_eq!(j["total"], 30);
    assert_eq!(j["pages"], 3);
    assert_eq!(j["items"].as_array().unwrap().len(), 10);
    assert_eq!(j["items"][0]["name"], "Colectivo 21");
});

both_backends!(organization_filters, |app: TestApp| async move {
    let (member, _, _) = people(&app).await;
    org_with(&app, "Universidad del Valle", "academia", "09").await;
    org_with(&app, "Radio Comunitaria", "media", "09").await;
    org_with(&app, "Instituto de Oaxaca", "academia", "20").await;
    let r = member.get("/directory/organizations?kind=academia").await;
    assert!(r.body.contains("Universidad del Valle") && r.body.contains("Instituto de Oaxaca"));
    assert!(!r.body.contains("Radio Comunitaria"));
    let r = member
        .get("/directory/organizations?kind=academia&state=09")
        .await;
    assert!(r.body.contains("Universidad del Valle"));
    assert!(!r.body.contains("Instituto de Oaxaca") && !r.body.contains("Radio Comunitaria"));
    assert!(r.body.contains("1 resultado"));
    let oid = org_with(&app, "Colectivo Uno", "cso", "20").await;
    person_with(&app, "Persona de Colectivo", None, Some(oid)).await;
    person_with(&app, "Persona Suelta", None, None).await;
    let r = member
        .get(&format!("/directory/people?organization={oid}"))
        .await;
    assert!(r.body.contains("Persona de Colectivo"));
    assert!(!r.body.contains("Persona Suelta"));
});

both_backends!(
    leaders_create_and_edit_organizations,
    |app: TestApp| async move {
        let (_, leader, _) = people(&app).await;
        assert_status(&leader.get("/directory/organizations/new").await, 200);
        let before = app.count("organizations").await;
        let r = leader
            .post_form(
                "/directory/organizations",
                &[
                    ("name", "Red Ciudadana"),
                    ("acronym", "RC"),
                    ("kind", "cso"),
                    ("state_code", "31"),
                    ("themes", "agua, agua, bosques"),
                    ("website", "https://rc.example.org"),
                ],
            )
            .await;
        assert_status(&r, 303);
        assert_eq!(app.count("organizations").await, before + 1);
        let id = scalar(
            &app,
            "SELECT id FROM organizations WHERE name = 'Red Ciudadana'",
        )
        .await;
        assert_eq!(
            r.location(),
            Some(format!("/directory/organizations/{id}").as_str())
        );
        let show = leader.get(&format!("/directory/organizations/{id}")).await;
        assert!(show.body.contains("Red Ciudadana") && show.body.contains("Yucatán"));
        assert_eq!(
            app.count("organizations WHERE themes = 'agua, bosques'")
                .await,
            1
        );
        assert_eq!(
            app.count("audit_log WHERE action = 'organization-created'")
                .await,
            1
        );

        let edit = leader
            .get(&format!("/directory/organizations/{id}/edit"))
            .await;
        assert!(edit.body.contains(r#"value="Red Ciudadana""#));
        let r = leader
            .post_form(
                &format!("/directory/organizations/{id}"),
                &[("name", "Red Ciudadana del Sur"), ("kind", "iso")],
            )
            .await;
        assert_redirect(&r, &format!("/directory/organizations/{id}"));
        assert_eq!(
            app.count("organizations WHERE name = 'Red Ciudadana del Sur' AND kind = 'iso'")
                .await,
            1
        );
        // An unknown id is not found.
        assert_status(&leader.get("/directory/organizations/999999").await, 404);
        assert_status(
            &leader
                .post_form(
                    "/directory/organizations/999999",
                    &[("name", "X"), ("kind", "cso")],
                )
                .await,
            404,
        );
    }
);

both_backends!(
    plain_members_cannot_create_or_edit,
    |app: TestApp| async move {
        let (member, _, _) = people(&app).await;
        let oid = org_with(&app, "Intocable", "cso", "20").await;
        let pid = person_with(&app, "Persona Intocable", None, None).await;
        let (orgs, ppl) = (app.count("organizations").await, app.count("people").await);
        for path in [
            "/directory/organizations/new".to_owned(),
            format!("/directory/organizations/{oid}/edit"),
            "/directory/people/new".to_owned(),
            format!("/directory/people/{pid}/edit"),
        ] {
            let r = member.get(&path).await;
            assert_status(&r, 403);
            assert!(r.body.contains("No tienes permiso"), "{path}");
        }
        for (path, fields) in [
            (
                "/directory/organizations".to_owned(),
                vec![("name", "Nueva"), ("kind", "cso")],
            ),
            (
                format!("/directory/organizations/{oid}"),
                vec![("name", "Cambiada"), ("kind", "cso")],
            ),
            (
                "/directory/people".to_owned(),
                vec![("full_name", "Nueva Persona")],
            ),
            (
                format!("/directory/people/{pid}"),
                vec![("full_name", "Cambiada")],
            ),
            (
                format!("/directory/organizations/{oid}/archive"),
                vec![("archived", "1")],
            ),
            (
                format!("/directory/people/{pid}/archive"),
                vec![("archived", "1")],
            ),
        ] {
            assert_status(&member.post_form(&path, &fields).await, 403);
        }
        assert_eq!(app.count("organizations").await, orgs);
        assert_eq!(app.count("people").await, ppl);
        assert_eq!(
            app.count("organizations WHERE name = 'Intocable' AND archived_at IS NULL")
                .await,
            1
        );
        assert_eq!(
            app.count("people WHERE full_name = 'Persona Intocable' AND archived_at IS NULL")
                .await,
            1
        );
        // The pages offer no edit buttons either.
        let list = member.get("/directory/organizations").await;
        assert!(!list.body.contains("/directory/organizations/new"));
    }
);

both_backends!(only_admins_archive, |app: TestApp| async move {
    let (member, leader, admin) = people(&app).await;
    let oid = org_with(&app, "Archivable", "cso", "20").await;
    let pid = person_with(&app, "Persona Archivable", None, None).await;
    assert_status(
        &leader
            .post_form(
                &format!("/directory/organizations/{oid}/archive"),
                &[("archived", "1")],
            )
            .await,
        403,
    );
    assert_status(
        &leader
            .post_form(
                &format!("/directory/people/{pid}/archive"),
                &[("archived", "1")],
            )
            .await,
        403,
    );
    assert_eq!(
        app.count("organizations WHERE archived_at IS NOT NULL")
            .await,
        0
    );

    assert_redirect(
        &admin
            .post_form(
                &format!("/directory/organizations/{oid}/archive"),
                &[("archived", "1")],
            )
            .await,
        &format!("/directory/organizations/{oid}"),
    );
    assert_redirect(
        &admin
            .post_form(
                &format!("/directory/people/{pid}/archive"),
                &[("archived", "1")],
            )
            .await,
        &format!("/directory/people/{pid}"),
    );
    assert_eq!(
        app.count("organizations WHERE archived_at IS NOT NULL")
            .await,
        1
    );
    // Gone from lists, kept for history, and no longer a choice for a person's organization.
    assert!(!member
        .get("/directory/organizations")
        .await
        .body
        .contains("Archivable"));
    assert!(!member
        .get("/directory/people")
        .await
        .body
        .contains("Persona Archivable"));
    let page = member.get(&format!("/directory/organizations/{oid}")).await;
    assert_status(&page, 200);
    assert!(page.body.contains("Este registro está archivado"));
    let ppl = app.count("people").await;
    let oid_s = oid.to_string();
    let r = leader
        .post_form(
            "/directory/people",
            &[("full_name", "Alguien"), ("organization_id", &oid_s)],
        )
        .await;
    assert_status(&r, 422);
    assert!(r.body.contains("Elige una opción de la lista."));
    assert_eq!(app.count("people").await, ppl);
    // Restoring brings it back.
    assert_status(
        &admin
            .post_form(
                &format!("/directory/organizations/{oid}/archive"),
                &[("archived", "0")],
            )
            .await,
        303,
    );
    assert!(member
        .get("/directory/organizations")
        .await
        .body
        .contains("Archivable"));
});

both_backends!(
    invalid_organization_forms_write_nothing,
    |app: TestApp| async move {
        let (_, leader, _) = people(&app).await;
        let oid = org_with(&app, "Original", "cso", "20").await;
        let before = app.count("organizations").await;
        let audit = app.count("audit_log").await;
        let long = "x".repeat(201);
        for (fields, field, message) in [
            (
                vec![("name", ""), ("acronym", "SIGLA"), ("kind", "cso")],
                "name",
                "Este campo es obligatorio.",
            ),
            (
                vec![
                    ("name", long.as_str()),
                    ("acronym", "SIGLA"),
                    ("kind", "cso"),
                ],
                "name",
                "El texto es demasiado largo.",
            ),
            (
                vec![("name", "Buena"), ("acronym", "SIGLA"), ("kind", "")],
                "kind",
                "Este campo es obligatorio.",
            ),
            (
                vec![("name", "Buena"), ("acronym", "SIGLA"), ("kind", "secta")],
                "kind",
                "Elige una opción de la lista.",
            ),
            (
                vec![
                    ("name", "Buena"),
                    ("acronym", "SIGLA"),
                    ("kind", "cso"),
                    ("state_code", "99"),
                ],
                "state_code",
                "Elige una opción de la lista.",
            ),
            (
                vec![
                    ("name", "Buena"),
                    ("acronym", "SIGLA"),
                    ("kind", "cso"),
                    ("website", "ftp://x.org"),
                ],
                "website",
                "Escribe una dirección web completa",
            ),
        ] {
            for path in [
                "/directory/organizations".to_owned(),
                format!("/directory/organizations/{oid}"),
            ] {
                let r = leader.post_form(&path, &fields).await;
                assert_status(&r, 422);
                // The message sits next to its field, which is marked invalid, and input is kept.
                let err = format!(r#"<p class="error" id="f-{field}-error">{message}"#);
                assert!(r.body.contains(&err), "{path} {field}: {}", r.body);
                assert!(r
                    .body
                    .contains(&format!(r#"aria-describedby="f-{field}-error""#)));
                assert!(r.body.contains(r#"value="SIGLA""#), "input kept");
                assert!(r.body.contains("Revisa") || r.body.contains("role=\"alert\""));
            }
        }
        assert_eq!(app.count("organizations").await, before);
        assert_eq!(
            app.count("organizations WHERE name = 'Original' AND updated_at = created_at")
                .await,
            1
        );
        assert_eq!(app.count("audit_log").await, audit);
    }
);

both_backends!(
    invalid_person_forms_write_nothing,
    |app: TestApp| async move {
        let (_, leader, _) = people(&app).await;
        let pid = person_with(&app, "Persona Original", None, None).await;
        let before = app.count("people").await;
        for (fields, field, message) in [
            (
                vec![("full_name", "  "), ("position_title", "Coordinadora")],
                "full_name",
                "Este campo es obligatorio.",
            ),
            (
                vec![
                    ("full_name", "Ana"),
                    ("email", "no-es-correo"),
                    ("position_title", "Coordinadora"),
                ],
                "email",
                "Escribe un correo electrónico válido",
            ),
            (
                vec![
                    ("full_name", "Ana"),
                    ("organization_id", "999999"),
                    ("position_title", "Coordinadora"),
                ],
                "organization_id",
                "Elige una opción de la lista.",
            ),
            (
                vec![
                    ("full_name", "Ana"),
                    ("position_level", "jefe"),
                    ("position_title", "Coordinadora"),
                ],
                "position_level",
                "Elige una opción de la lista.",
            ),
            (
                vec![
                    ("full_name", "Ana"),
                    ("youth", "quizas"),
                    ("position_title", "Coordinadora"),
                ],
                "youth",
                "Elige una opción de la lista.",
            ),
        ] {
            for path in [
                "/directory/people".to_owned(),
                format!("/directory/people/{pid}"),
            ] {
                let r = leader.post_form(&path, &fields).await;
                assert_status(&r, 422);
                let err = format!(r#"<p class="error" id="f-{field}-error">{message}"#);
                assert!(r.body.contains(&err), "{path} {field}: {}", r.body);
                assert!(r.body.contains(r#"value="Coordinadora""#), "input kept");
            }
        }
        assert_eq!(app.count("people").await, before);
        assert_eq!(
            app.count("people WHERE full_name = 'Persona Original' AND updated_at = created_at")
                .await,
            1
        );
        // A valid person is created.
        let r = leader
            .post_form(
                "/directory/people",
                &[
                    ("full_name", "Ana Ruiz"),
                    ("email", "ANA@Example.org"),
                    ("youth", "yes"),
                ],
            )
            .await;
        assert_status(&r, 303);
        assert_eq!(
            app.count("people WHERE full_name = 'Ana Ruiz' AND email = 'ana@example.org'")
                .await,
            1
        );
    }
);

both_backends!(
    contact_email_hidden_from_plain_members,
    |app: TestApp| async move {
        let (member, leader, admin) = people(&app).await;
        let pid = person_with(&app, "Rosa Contacto", Some("rosa@example.org"), None).await;
        let path = format!("/directory/people/{pid}");
        let m = member.get(&path).await;
        assert_status(&m, 200);
        assert!(m.body.contains("Rosa Contacto"));
        assert!(!m.body.contains("rosa@example.org"));
        assert!(leader.get(&path).await.body.contains("rosa@example.org"));
        assert!(admin.get(&path).await.body.contains("rosa@example.org"));
        // The person sees their own.
        let (own, _, own_p) = app.signed_in("propia@example.org", false).await;
        assert!(own
            .get(&format!("/directory/people/{own_p}"))
            .await
            .body
            .contains("propia@example.org"));
        // The API hides it the same way, in the list and one by one.
        assert_eq!(
            member.get(&format!("/api/v1{}", &path[10..])).await.json()["email"],
            serde_json::Value::Null
        );
        assert_eq!(
            leader.get(&format!("/api/v1{}", &path[10..])).await.json()["email"],
            "rosa@example.org"
        );
        let list = member.get("/api/v1/people?q=rosa").await.json();
        assert_eq!(list["items"][0]["full_name"], "Rosa Contacto");
        assert_eq!(list["items"][0]["email"], serde_json::Value::Null);
        assert!(!member
            .get("/directory/people?q=rosa")
            .await
            .body
            .contains("rosa@example.org"));
    }
);
