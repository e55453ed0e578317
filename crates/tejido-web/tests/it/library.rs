//! Library: route tests (both backends). Visibility decides lists, counts, detail pages,
//! attachment downloads and the API alike (anonymous, outsider, member, manager, admin); edits
//! keep versions; Markdown is rendered inert; lessons from minutes and reviews appear for the
//! community's members without being copied; every write updates the search index.

use super::*;

struct Cast {
    cid: i64,
    slug: String,
    leader: Client,
    member: Client,
    member2: Client,
    outsider: Client,
    admin: Client,
    anon: Client,
}

async fn cast(app: &TestApp) -> Cast {
    let n = next_n();
    let (leader, _, leader_p) = app.signed_in(&format!("lider{n}@example.org"), false).await;
    let (member, _, member_p) = app
        .signed_in(&format!("integrante{n}@example.org"), false)
        .await;
    let (member2, _, member2_p) = app.signed_in(&format!("otra{n}@example.org"), false).await;
    let (outsider, _, _) = app.signed_in(&format!("fuera{n}@example.org"), false).await;
    let (admin, _, _) = app.signed_in(&format!("admin{n}@example.org"), true).await;
    let (cid, slug) = app
        .community(&format!("Mediación Oaxaca {n}"), leader_p, "private")
        .await;
    app.add_member(cid, member_p, Role::Member).await;
    app.add_member(cid, member2_p, Role::Member).await;
    Cast {
        cid,
        slug,
        leader,
        member,
        member2,
        outsider,
        admin,
        anon: app.client(),
    }
}

/// Publishes through the page form; returns the new resource's id.
async fn publish(
    c: &Client,
    kind: &str,
    title: &str,
    body: &str,
    visibility: &str,
    cid: i64,
    files: &[(&str, &str, &[u8])],
) -> i64 {
    let cid = cid.to_string();
    let r = c
        .post_multipart(
            "/library",
            &[
                ("kind", kind),
                ("title", title),
                ("body", body),
                ("language", "es"),
                ("themes", "mediación, justicia restaurativa"),
                ("visibility", visibility),
                ("community", cid.as_str()),
            ],
            files,
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

async fn exec(app: &TestApp, sql: &str, a: i64, text: &str) -> i64 {
    let t = tejido_db::now();
    match &app.db {
        Db::Sqlite(p) => sqlx::query_scalar(sql)
            .bind(a)
            .bind(text)
            .bind(t)
            .fetch_one(p)
            .await
            .unwrap(),
        Db::Postgres(p) => sqlx::query_scalar(sql)
            .bind(a)
            .bind(text)
            .bind(t)
            .fetch_one(p)
            .await
            .unwrap(),
    }
}

/// The search row of a resource: (visibility, community id, kind, url).
async fn search_row(app: &TestApp, id: i64) -> (String, Option<i64>, String, String) {
    let sql = "SELECT visibility, community_id, kind, url FROM search_docs WHERE source = 'resource' AND source_id = $1";
    match &app.db {
        Db::Sqlite(p) => sqlx::query_as(sql).bind(id).fetch_one(p).await.unwrap(),
        Db::Postgres(p) => sqlx::query_as(sql).bind(id).fetch_one(p).await.unwrap(),
    }
}

both_backends!(
    visibility_decides_lists_counts_pages_files_and_api,
    |app: TestApp| async move {
        let k = cast(&app).await;
        let pdf = tejido_core::uploads::SAMPLE_PDF;
        let public = publish(
            &k.leader,
            "methodology",
            "Círculos de paz",
            "Pasos del círculo.",
            "public",
            k.cid,
            &[("file", "circulos.pdf", pdf)],
        )
        .await;
        let instance = publish(
            &k.leader,
            "guide",
            "Guía de revisión después de la acción",
            "Cuatro preguntas.",
            "instance",
            k.cid,
            &[("file", "guia.pdf", pdf)],
        )
        .await;
        let community = publish(
            &k.leader,
            "contact-list",
            "Directorio de defensorías",
            "Teléfonos de las defensorías.",
            "community",
            k.cid,
            &[("file", "directorio.pdf", pdf)],
        )
        .await;
        assert_eq!(
            app.count("search_docs").await,
            3,
            "each resource is indexed"
        );
        for (id, vis) in [
            (public, "public"),
            (instance, "instance"),
            // Kept for the community's members, even were the community public.
            (community, "members"),
        ] {
            let (v, c, kind, url) = search_row(&app, id).await;
            assert_eq!(v, vis);
            assert_eq!(c, Some(k.cid));
            assert!(kind == "methodology" || kind == "guide" || kind == "contact-list");
            assert_eq!(url, format!("/library/{id}"));
        }

        // Lists and counts.
        let r = k.anon.get("/library").await;
        assert_status(&r, 200);
        assert!(
            r.body.contains("1 recurso") && r.body.contains("Círculos de paz"),
            "{}",
            r.body
        );
        assert!(
            !r.body.contains("Guía de revisión") && !r.body.contains("Directorio de defensorías")
        );
        let r = k.outsider.get("/library").await;
        assert!(
            r.body.contains("2 recursos") && r.body.contains("Guía de revisión"),
            "{}",
            r.body
        );
        assert!(!r.body.contains("Directorio de defensorías"));
        let r = k.member.get("/library").await;
        assert!(
            r.body.contains("3 recursos") && r.body.contains("Directorio de defensorías"),
            "{}",
            r.body
        );
        let r = k.member.get("/library?kind=contact-list").await;
        assert!(r.body.contains("1 recurso"), "{}", r.body);
        let r = k
            .member
            .get("/library?theme=Mediaci%C3%B3n&language=es")
            .await;
        assert!(r.body.contains("3 recursos"), "{}", r.body);
        let r = k.member.get("/library?language=en").await;
        assert!(r.body.contains("0 recursos"), "{}", r.body);

        // Detail pages.
        assert_status(&k.anon.get(&format!("/library/{public}")).await, 200);
        let r = k.anon.get(&format!("/library/{instance}")).await;
        assert_status(&r, 303);
        assert!(r.location().unwrap().starts_with("/login"));
        assert_status(&k.outsider.get(&format!("/library/{instance}")).await, 200);
        assert_status(&k.anon.get(&format!("/library/{community}")).await, 303);
        assert_status(&k.outsider.get(&format!("/library/{community}")).await, 403);
        assert_status(&k.member.get(&format!("/library/{community}")).await, 200);
        assert_status(&k.admin.get(&format!("/library/{community}")).await, 200);
        assert_status(&k.member.get("/library/999999").await, 404);

        // Attachments follow the resource.
        let api = k.member.get(&format!("/api/v1/library/{community}")).await;
        assert_status(&api, 200);
        let v = api.json();
        let url = v["attachments"][0]["download_url"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(
            url.starts_with(&format!("/library/{community}/files/")),
            "{url}"
        );
        assert_status(&k.member.get(&url).await, 200);
        assert_status(&k.outsider.get(&url).await, 403);
        assert_status(&k.anon.get(&url).await, 303);
        let api_url = v["attachments"][0]["api_download_url"]
            .as_str()
            .unwrap()
            .to_owned();
        assert_status(&k.outsider.get(&api_url).await, 403);
        assert_status(&k.anon.get(&api_url).await, 401);
        let pv = k.anon.get(&format!("/api/v1/library/{public}")).await;
        assert_status(&pv, 200);
        let purl = pv.json()["attachments"][0]["download_url"]
            .as_str()
            .unwrap()
            .to_owned();
        assert_status(&k.anon.get(&purl).await, 200);

        // The API.
        let r = k.anon.get("/api/v1/library").await;
        assert_status(&r, 200);
        assert_eq!(r.json()["total"], 1);
        assert_eq!(k.outsider.get("/api/v1/library").await.json()["total"], 2);
        assert_eq!(k.member.get("/api/v1/library").await.json()["total"], 3);
        assert_status(
            &k.anon.get(&format!("/api/v1/library/{community}")).await,
            401,
        );
        assert_status(
            &k.outsider
                .get(&format!("/api/v1/library/{community}"))
                .await,
            403,
        );
        assert_status(
            &k.anon.get(&format!("/api/v1/library/{instance}")).await,
            401,
        );

        // The community tab.
        let tab = format!("/c/{}/library", k.slug);
        assert_status(&k.outsider.get(&tab).await, 403);
        let r = k.member.get(&tab).await;
        assert_status(&r, 200);
        assert!(r.body.contains("3 recursos"), "{}", r.body);
    }
);

both_backends!(who_may_create_and_edit, |app: TestApp| async move {
    let k = cast(&app).await;
    // Anonymous and outsiders.
    let r = k.anon.get("/library/new").await;
    assert_status(&r, 303);
    let cid = k.cid.to_string();
    let r = k
        .outsider
        .post_multipart(
            "/library",
            &[
                ("kind", "guide"),
                ("title", "Intrusa"),
                ("body", "x"),
                ("language", "es"),
                ("visibility", "community"),
                ("community", cid.as_str()),
            ],
            &[],
        )
        .await;
    assert_status(&r, 422);
    assert!(
        r.body
            .contains("Solo puedes publicar en comunidades de las que formas parte"),
        "{}",
        r.body
    );
    // Contact lists are never public.
    let r = k
        .leader
        .post_multipart(
            "/library",
            &[
                ("kind", "contact-list"),
                ("title", "Teléfonos"),
                ("body", "x"),
                ("language", "es"),
                ("visibility", "public"),
                ("community", cid.as_str()),
            ],
            &[],
        )
        .await;
    assert_status(&r, 422);
    assert_eq!(app.count("resources").await, 0);

    let id = publish(
        &k.member,
        "template",
        "Plantilla de minuta",
        "Versión uno.",
        "community",
        k.cid,
        &[],
    )
    .await;
    // Another member may read but not edit; the author, the leader and an admin may.
    assert_status(&k.member2.get(&format!("/library/{id}/edit")).await, 403);
    let form = |title: &'static str, body: &'static str| {
        let cid = cid.clone();
        move |c: Client| async move {
            c.post_multipart(
                &format!("/library/{id}/edit"),
                &[
                    ("kind", "template"),
                    ("title", title),
                    ("body", body),
                    ("language", "es"),
                    ("visibility", "community"),
                    ("community", cid.as_str()),
                ],
                &[],
            )
            .await
        }
    };
    assert_status(&form("Hackeada", "x")(k.member2.clone()).await, 403);
    assert_status(&form("Hackeada", "x")(k.outsider.clone()).await, 403);
    assert_status(
        &form("Plantilla de minuta", "Versión dos.")(k.member.clone()).await,
        303,
    );
    assert_status(
        &form("Plantilla de minuta (revisada)", "Versión tres.")(k.leader.clone()).await,
        303,
    );
    assert_status(
        &form("Plantilla de minuta (final)", "Versión cuatro.")(k.admin.clone()).await,
        303,
    );
    assert_eq!(app.count("resource_versions").await, 4);
    let h = k.member2.get(&format!("/library/{id}/history")).await;
    assert_status(&h, 200);
    for n in 1..=4 {
        assert!(h.body.contains(&format!("Versión {n}")), "{}", h.body);
    }
    assert!(h.body.contains("Versión uno.") && h.body.contains("Versión cuatro."));
    assert_status(
        &k.outsider.get(&format!("/library/{id}/history")).await,
        403,
    );

    // The API obeys the same rules.
    let t2 = k.member2.csrf().await;
    let body = json!({ "kind": "template", "title": "Por API", "body": "x", "language": "es", "visibility": "community", "community": cid });
    let r = k
        .member2
        .json(
            Method::PUT,
            &format!("/api/v1/library/{id}"),
            &body,
            &[("x-csrf-token", t2.as_str())],
        )
        .await;
    assert_status(&r, 403);
    let r = k
        .member2
        .json(
            Method::POST,
            "/api/v1/library",
            &body,
            &[("x-csrf-token", t2.as_str())],
        )
        .await;
    assert_status(&r, 201);
    assert_eq!(r.json()["version"], 1);
    let bad = json!({ "kind": "poema", "title": "", "language": "es", "visibility": "public" });
    let r = k
        .member2
        .json(
            Method::POST,
            "/api/v1/library",
            &bad,
            &[("x-csrf-token", t2.as_str())],
        )
        .await;
    assert_status(&r, 422);
    let r = k
        .anon
        .json(Method::POST, "/api/v1/library", &body, &[])
        .await;
    assert!(
        r.status == StatusCode::UNAUTHORIZED || r.status == StatusCode::FORBIDDEN,
        "{r:?}"
    );

    // Archiving removes it from lists and search.
    assert_status(
        &k.member2
            .post_form(&format!("/library/{id}/archive"), &[])
            .await,
        403,
    );
    let docs = app.count("search_docs").await;
    assert_redirect(
        &k.leader
            .post_form(&format!("/library/{id}/archive"), &[])
            .await,
        "/library",
    );
    assert_eq!(app.count("search_docs").await, docs - 1);
    assert_status(&k.member.get(&format!("/library/{id}")).await, 404);
});

both_backends!(markdown_is_rendered_inert, |app: TestApp| async move {
    let k = cast(&app).await;
    let id = publish(
        &k.leader,
        "guide",
        "Guía <b>segura</b>",
        "<script>alert('x')</script>\n\n**Hola** [mal](javascript:alert(1)) <img src=x onerror=alert(1)>",
        "public",
        k.cid,
        &[],
    )
    .await;
    let r = k.anon.get(&format!("/library/{id}")).await;
    assert_status(&r, 200);
    assert!(!r.body.contains("<script>alert"), "{}", r.body);
    assert!(!r.body.contains("onerror"), "{}", r.body);
    assert!(!r.body.contains("javascript:"), "{}", r.body);
    assert!(r.body.contains("<strong>Hola</strong>"), "{}", r.body);
    assert!(
        r.body.contains("Guía &lt;b&gt;segura&lt;/b&gt;") || r.body.contains("Guía &#60;b&#62;"),
        "{}",
        r.body
    );
});

both_backends!(
    lessons_from_minutes_and_reviews_appear_for_members,
    |app: TestApp| async move {
        let k = cast(&app).await;
        let t = tejido_db::now();
        let event_sql = "INSERT INTO events (community_id, title, kind, mode, starts_at, ends_at, time_zone, status, created_at, updated_at)
               VALUES ($1, $2, 'meeting', 'in-person', $3, $3, 'America/Mexico_City', 'held', $3, $3) RETURNING id";
        let event = exec(&app, event_sql, k.cid, "Encuentro de Juchitán").await;
        let lesson_sql = "INSERT INTO event_lessons (event_id, text, created_at) VALUES ($1, $2, $3) RETURNING id";
        exec(
            &app,
            lesson_sql,
            event,
            "Llegar un día antes a la comunidad evita cancelar talleres.",
        )
        .await;
        let review_sql = "INSERT INTO learning_reviews (community_id, kind, title, created_at, updated_at) VALUES ($1, 'aar', $2, $3, $3) RETURNING id";
        let review = exec(&app, review_sql, k.cid, "Revisión del foro estatal").await;
        let entry_sql = "INSERT INTO learning_review_entries (review_id, consolidated, section, body, created_at) VALUES ($1, TRUE, 'improve', $2, $3) RETURNING id";
        exec(
            &app,
            entry_sql,
            review,
            "Compartir la agenda con dos semanas de anticipación.",
        )
        .await;
        let draft_sql = "INSERT INTO learning_review_entries (review_id, consolidated, section, body, created_at) VALUES ($1, FALSE, 'improve', $2, $3) RETURNING id";
        exec(&app, draft_sql, review, "Aporte individual sin consolidar.").await;
        let _ = t;

        let r = k.member.get("/library").await;
        assert_status(&r, 200);
        assert!(r.body.contains("Llegar un día antes"), "{}", r.body);
        assert!(r.body.contains("Compartir la agenda"), "{}", r.body);
        assert!(
            !r.body.contains("Aporte individual"),
            "only consolidated review entries"
        );
        assert!(r
            .body
            .contains(&format!("/c/{}/events/{event}/minutes", k.slug)));
        assert!(r.body.contains(&format!("/c/{}/reviews/{review}", k.slug)));
        let r = k.member.get(&format!("/c/{}/library", k.slug)).await;
        assert!(r.body.contains("Llegar un día antes"), "{}", r.body);
        let r = k.outsider.get("/library").await;
        assert!(!r.body.contains("Llegar un día antes") && !r.body.contains("Compartir la agenda"));
        let r = k.anon.get("/library").await;
        assert!(!r.body.contains("Llegar un día antes"));
        // Not copied into the library.
        assert_eq!(app.count("resources").await, 0);
    }
);

both_backends!(
    community_resources_stay_with_members_of_a_public_community,
    |app: TestApp| async move {
        let n = next_n();
        let (leader, _, leader_p) = app.signed_in(&format!("lider{n}@example.org"), false).await;
        let (outsider, _, _) = app.signed_in(&format!("fuera{n}@example.org"), false).await;
        let (cid, _) = app
            .community(&format!("Red abierta {n}"), leader_p, "public")
            .await;
        let id = publish(
            &leader,
            "contact-list",
            "Teléfonos de defensoras",
            "Solo para la comunidad.",
            "community",
            cid,
            &[],
        )
        .await;
        let anon = app.client();
        for c in [&outsider, &anon] {
            let r = c.get("/library").await;
            assert!(!r.body.contains("Teléfonos de defensoras"), "{}", r.body);
            let r = c.get(&format!("/library/{id}")).await;
            assert!([403, 404, 303].contains(&r.status.as_u16()), "{}", r.status);
            assert!(!r.body.contains("Solo para la comunidad"));
        }
        let r = leader.get(&format!("/library/{id}")).await;
        assert_status(&r, 200);
        assert!(r.body.contains("Solo para la comunidad"));
    }
);

both_backends!(
    a_new_resource_is_kept_for_the_community_by_default,
    |app: TestApp| async move {
        let k = cast(&app).await;
        // A member of one community: «Solo la comunidad», with that community chosen.
        let form = k.member.get("/library/new").await;
        assert_status(&form, 200);
        assert!(
            form.body.contains("<option value=\"community\" selected>"),
            "{}",
            form.body
        );
        assert!(form
            .body
            .contains(&format!("<option value=\"{}\" selected>", k.cid)));
        assert!(!form.body.contains("<option value=\"instance\" selected>"));
        // Coming from a community's library page chooses that community too.
        let from = k
            .leader
            .get(&format!("/library/new?community={}", k.cid))
            .await;
        assert!(from.body.contains("<option value=\"community\" selected>"));
        // Someone of no community has no community to keep it for: the instance.
        let none = k.outsider.get("/library/new").await;
        assert_status(&none, 200);
        assert!(none.body.contains("<option value=\"instance\" selected>"));
    }
);
