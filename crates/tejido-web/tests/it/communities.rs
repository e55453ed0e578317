//! Communities: who sees a private or instance-visible community, what members and leaders may
//! do, membership with history, roles and the last-manager rule, invitations.

use super::*;

struct Cast {
    slug: String,
    cid: i64,
    outsider: Client,
    member: Client,
    member_p: i64,
    leader: Client,
    leader_p: i64,
    admin: Client,
}

async fn cast(app: &TestApp) -> Cast {
    let (outsider, _, _) = app.signed_in("fuera@example.org", false).await;
    let (member, _, member_p) = app.signed_in("integrante@example.org", false).await;
    let (leader, _, leader_p) = app.signed_in("lider@example.org", false).await;
    let (admin, _, _) = app.signed_in("admin@example.org", true).await;
    let (cid, slug) = app
        .community("Círculo Reservado", leader_p, "private")
        .await;
    app.add_member(cid, member_p, Role::Member).await;
    Cast {
        slug,
        cid,
        outsider,
        member,
        member_p,
        leader,
        leader_p,
        admin,
    }
}

/// Every state-changing community route with a plausible body.
fn mutations(slug: &str, org: i64, person: i64) -> Vec<(String, Vec<(&'static str, String)>)> {
    vec![
        (
            format!("/c/{slug}/edit"),
            vec![("name", "Tomado".into()), ("purpose", "X".into())],
        ),
        (
            format!("/c/{slug}/members/organizations"),
            vec![("organization_id", org.to_string())],
        ),
        (
            format!("/c/{slug}/members/organizations/{org}/remove"),
            vec![],
        ),
        (
            format!("/c/{slug}/members/people"),
            vec![("person_id", person.to_string())],
        ),
        (format!("/c/{slug}/members/people/{person}/remove"), vec![]),
        (
            format!("/c/{slug}/roles"),
            vec![("person_id", person.to_string()), ("role", "leader".into())],
        ),
        (
            format!("/c/{slug}/roles/end"),
            vec![("person_id", person.to_string()), ("role", "member".into())],
        ),
        (
            format!("/c/{slug}/invitations"),
            vec![
                ("email", "intrusa@example.org".into()),
                ("role", "leader".into()),
            ],
        ),
    ]
}

async fn post(c: &Client, path: &str, fields: &[(&'static str, String)]) -> Resp {
    let f: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    c.post_form(path, &f).await
}

async fn state(app: &TestApp) -> Vec<i64> {
    let mut v = Vec::new();
    for t in [
        "community_organizations",
        "community_people",
        "community_roles",
        "account_tokens",
        "outbox",
        "audit_log",
        "community_people WHERE left_at IS NOT NULL",
        "community_roles WHERE ends_at IS NOT NULL",
        "communities WHERE name = 'Tomado'",
    ] {
        v.push(app.count(t).await);
    }
    v
}

both_backends!(
    private_community_is_invisible_to_outsiders,
    |app: TestApp| async move {
        let k = cast(&app).await;
        let org = org_with(&app, "Organización Miembro", "cso", "20").await;
        let mut tx = app.db.begin().await.unwrap();
        tejido_db::communities::add_organization(&mut tx, k.cid, org, None)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        for path in [
            format!("/c/{}", k.slug),
            format!("/c/{}/edit", k.slug),
            format!("/c/{}/members", k.slug),
            format!("/c/{}/members?history=1", k.slug),
        ] {
            let r = k.outsider.get(&path).await;
            assert_status(&r, 403);
            assert!(!r.body.contains("Círculo Reservado"), "{path}");
            assert!(!r.body.contains("Persona integrante@example.org"), "{path}");
            // Anonymous visitors are sent to sign in, and back afterwards.
            let r = app.client().get(&path).await;
            assert_redirect(
                &r,
                &format!(
                    "/login?next={}",
                    path.replace('?', "%3F").replace('=', "%3D")
                ),
            );
        }
        let before = state(&app).await;
        for (path, fields) in mutations(&k.slug, org, k.member_p) {
            let r = post(&k.outsider, &path, &fields).await;
            assert_status(&r, 403);
            assert!(!r.body.contains("Círculo Reservado"), "{path}");
        }
        assert_eq!(state(&app).await, before);
        // Not listed, not searchable, not in the API.
        let list = k.outsider.get("/communities").await;
        assert_status(&list, 200);
        assert!(!list.body.contains("Círculo Reservado"));
        assert!(!k
            .outsider
            .get("/communities?q=circulo")
            .await
            .body
            .contains("Círculo Reservado"));
        assert_eq!(
            k.outsider.get("/api/v1/communities").await.json()["total"],
            0
        );
        assert_eq!(
            k.outsider
                .get(&format!("/api/v1/communities/{}", k.slug))
                .await
                .json()["error"],
            "error-forbidden"
        );
        // Its member organization's page does not name it either.
        assert!(!k
            .outsider
            .get(&format!("/directory/organizations/{org}"))
            .await
            .body
            .contains("Círculo Reservado"));
        assert!(k
            .member
            .get(&format!("/directory/organizations/{org}"))
            .await
            .body
            .contains("Círculo Reservado"));
        // Members, leaders and admins see it listed.
        for c in [&k.member, &k.leader, &k.admin] {
            assert!(c
                .get("/communities?q=circulo")
                .await
                .body
                .contains("Círculo Reservado"));
        }
    }
);

both_backends!(members_view_but_cannot_manage, |app: TestApp| async move {
    let k = cast(&app).await;
    let org = org_with(&app, "Organización X", "cso", "20").await;
    let show = k.member.get(&format!("/c/{}", k.slug)).await;
    assert_status(&show, 200);
    assert!(show.body.contains("Círculo Reservado"));
    let members = k.member.get(&format!("/c/{}/members", k.slug)).await;
    assert_status(&members, 200);
    assert!(members.body.contains("Persona lider@example.org"));
    // No managing controls for a member.
    assert!(!members.body.contains("/invitations\""));
    assert!(!members.body.contains("/roles\""));
    assert_status(&k.member.get(&format!("/c/{}/edit", k.slug)).await, 403);
    let before = state(&app).await;
    for (path, fields) in mutations(&k.slug, org, k.member_p) {
        let r = post(&k.member, &path, &fields).await;
        assert_status(&r, 403);
        assert!(r.body.contains("No tienes permiso"), "{path}");
    }
    assert_eq!(state(&app).await, before);
    assert!(app.last_mail("intrusa@example.org").await.is_none());
});

both_backends!(
    leader_manages_members_roles_and_invitations,
    |app: TestApp| async move {
        let k = cast(&app).await;
        let slug = k.slug.clone();
        let org = org_with(&app, "Colectivo Agua", "cso", "20").await;
        let pid = person_with(&app, "Rita Nueva", None, None).await;
        let members = format!("/c/{slug}/members");

        // Finding people and organizations to add.
        let found = k.leader.get(&format!("{members}?find=agua")).await;
        assert!(found.body.contains("Colectivo Agua"));

        // Organizations: add (twice is a no-op), remove.
        assert_redirect(
            &post(
                &k.leader,
                &format!("{members}/organizations"),
                &[("organization_id", org.to_string())],
            )
            .await,
            &members,
        );
        assert_redirect(
            &post(
                &k.leader,
                &format!("{members}/organizations"),
                &[("organization_id", org.to_string())],
            )
            .await,
            &members,
        );
        assert_eq!(
            app.count(&format!(
                "community_organizations WHERE organization_id = {org} AND left_at IS NULL"
            ))
            .await,
            1
        );
        assert!(k.member.get(&members).await.body.contains("Colectivo Agua"));
        assert_redirect(
            &post(
                &k.leader,
                &format!("{members}/organizations/{org}/remove"),
                &[],
            )
            .await,
            &members,
        );
        assert_eq!(
            app.count(&format!(
                "community_organizations WHERE organization_id = {org} AND left_at IS NULL"
            ))
            .await,
            0
        );
        assert_status(
            &post(
                &k.leader,
                &format!("{members}/organizations/{org}/remove"),
                &[],
            )
            .await,
            404,
        );
        assert_status(
            &post(
                &k.leader,
                &format!("{members}/organizations"),
                &[("organization_id", "999999".into())],
            )
            .await,
            404,
        );
        assert_status(
            &post(
                &k.leader,
                &format!("{members}/organizations"),
                &[("organization_id", "abc".into())],
            )
            .await,
            400,
        );

        // People: add (as member), assign a role, end it, remove; history keeps both stays.
        assert_redirect(
            &post(
                &k.leader,
                &format!("{members}/people"),
                &[("person_id", pid.to_string())],
            )
            .await,
            &members,
        );
        assert_eq!(
            app.count(&format!(
                "community_roles WHERE person_id = {pid} AND role = 'member' AND ends_at IS NULL"
            ))
            .await,
            1
        );
        assert_redirect(
            &post(
                &k.leader,
                &format!("/c/{slug}/roles"),
                &[
                    ("person_id", pid.to_string()),
                    ("role", "facilitator".into()),
                ],
            )
            .await,
            &members,
        );
        assert_eq!(
            app.count(&format!(
                "community_roles WHERE person_id = {pid} AND ends_at IS NULL"
            ))
            .await,
            2
        );
        let page = k.member.get(&members).await;
        assert!(page.body.contains("Rita Nueva"));
        assert_redirect(
            &post(
                &k.leader,
                &format!("/c/{slug}/roles/end"),
                &[
                    ("person_id", pid.to_string()),
                    ("role", "facilitator".into()),
                ],
            )
            .await,
            &members,
        );
        assert_eq!(app.count(&format!("community_roles WHERE person_id = {pid} AND role = 'facilitator' AND ends_at IS NOT NULL")).await, 1);
        assert_status(
            &post(
                &k.leader,
                &format!("/c/{slug}/roles/end"),
                &[
                    ("person_id", pid.to_string()),
                    ("role", "facilitator".into()),
                ],
            )
            .await,
            404,
        );
        assert_status(
            &post(
                &k.leader,
                &format!("/c/{slug}/roles"),
                &[("person_id", pid.to_string()), ("role", "emperador".into())],
            )
            .await,
            400,
        );
        assert_redirect(
            &post(&k.leader, &format!("{members}/people/{pid}/remove"), &[]).await,
            &members,
        );
        assert_eq!(
            app.count(&format!(
                "community_people WHERE person_id = {pid} AND left_at IS NULL"
            ))
            .await,
            0
        );
        assert_eq!(
            app.count(&format!(
                "community_roles WHERE person_id = {pid} AND ends_at IS NULL"
            ))
            .await,
            0
        );
        // A role needs a current member.
        assert_status(
            &post(
                &k.leader,
                &format!("/c/{slug}/roles"),
                &[
                    ("person_id", pid.to_string()),
                    ("role", "facilitator".into()),
                ],
            )
            .await,
            400,
        );
        // Joining again starts a new stay; the old one stays in the history.
        assert_redirect(
            &post(
                &k.leader,
                &format!("{members}/people"),
                &[("person_id", pid.to_string())],
            )
            .await,
            &members,
        );
        assert_eq!(
            app.count(&format!("community_people WHERE person_id = {pid}"))
                .await,
            2
        );
        assert_eq!(
            app.count(&format!(
                "community_people WHERE person_id = {pid} AND left_at IS NULL"
            ))
            .await,
            1
        );
        let history = k.member.get(&format!("{members}?history=1")).await;
        assert_status(&history, 200);
        assert_eq!(
            history.body.matches("Rita Nueva").count(),
            3,
            "two stays in the history plus the current list"
        );
        assert!(history.body.contains("salió el"));
        assert!(history.body.contains("Colectivo Agua"));

        // Invitations: the e-mail is written in the same request.
        let outbox = app.count("outbox").await;
        let r = post(
            &k.leader,
            &format!("/c/{slug}/invitations"),
            &[
                ("email", "Invitada@Example.org".into()),
                ("role", "co-leader".into()),
            ],
        )
        .await;
        assert_status(&r, 200);
        assert!(r.body.contains("Invitación enviada."));
        assert!(r.body.contains("http://localhost/invitations/"));
        assert_eq!(app.count("outbox").await, outbox + 1);
        assert_eq!(
            app.count("account_tokens WHERE email = 'invitada@example.org' AND role = 'co-leader'")
                .await,
            1
        );
        assert!(
            k.leader
                .get(&members)
                .await
                .body
                .contains("invitada@example.org"),
            "listed as pending"
        );
        // Invalid invitations: the form again with the errors, nothing written.
        let r = post(
            &k.leader,
            &format!("/c/{slug}/invitations"),
            &[("email", "sin-arroba".into()), ("role", "rey".into())],
        )
        .await;
        assert_status(&r, 422);
        assert!(
            r.body
                .contains(r#"id="f-email-error">Escribe un correo electrónico válido"#),
            "{}",
            r.body
        );
        assert!(r
            .body
            .contains(r#"id="f-role-error">Elige una opción de la lista."#));
        assert!(r.body.contains(r#"value="sin-arroba""#));
        assert_eq!(app.count("outbox").await, outbox + 1);
        assert_eq!(app.count("account_tokens").await, 1);

        // The profile.
        let r = post(
            &k.leader,
            &format!("/c/{slug}/edit"),
            &[
                ("name", "Círculo Abierto".into()),
                ("purpose", "Aprender en red".into()),
                ("visibility", "instance".into()),
            ],
        )
        .await;
        assert_redirect(&r, &format!("/c/{slug}"));
        assert!(k
            .outsider
            .get("/communities")
            .await
            .body
            .contains("Círculo Abierto"));
        let r = post(
            &k.leader,
            &format!("/c/{slug}/edit"),
            &[
                ("name", "".into()),
                ("purpose", "Algo".into()),
                ("time_zone", "Europe/Madrid".into()),
            ],
        )
        .await;
        assert_status(&r, 422);
        assert!(r
            .body
            .contains(r#"id="f-name-error">Este campo es obligatorio."#));
        assert_eq!(
            app.count(
                "communities WHERE name = 'Círculo Abierto' AND time_zone = 'America/Mexico_City'"
            )
            .await,
            1
        );
        assert_eq!(
            app.count("audit_log WHERE action = 'community-person-added'")
                .await,
            2
        );
    }
);

both_backends!(
    the_last_manager_cannot_be_removed,
    |app: TestApp| async move {
        let k = cast(&app).await;
        let before = state(&app).await;
        for (path, fields) in [
            (
                format!("/c/{}/members/people/{}/remove", k.slug, k.leader_p),
                vec![],
            ),
            (
                format!("/c/{}/roles/end", k.slug),
                vec![
                    ("person_id", k.leader_p.to_string()),
                    ("role", "leader".into()),
                ],
            ),
        ] {
            for c in [&k.leader, &k.admin] {
                let r = post(c, &path, &fields).await;
                assert_status(&r, 422);
                assert!(
                    r.body
                        .contains("la comunidad se quedaría sin nadie que la coordine"),
                    "{path}: {}",
                    r.body
                );
            }
        }
        assert_eq!(state(&app).await, before, "nothing changed");
        assert_eq!(
            app.count(&format!(
                "community_roles WHERE person_id = {} AND role = 'leader' AND ends_at IS NULL",
                k.leader_p
            ))
            .await,
            1
        );
        // With a co-leader in place the leader may step down.
        assert_status(
            &post(
                &k.leader,
                &format!("/c/{}/roles", k.slug),
                &[
                    ("person_id", k.member_p.to_string()),
                    ("role", "co-leader".into()),
                ],
            )
            .await,
            303,
        );
        assert_status(
            &post(
                &k.leader,
                &format!("/c/{}/members/people/{}/remove", k.slug, k.leader_p),
                &[],
            )
            .await,
            303,
        );
        assert_eq!(
            app.count(&format!(
                "community_people WHERE person_id = {} AND left_at IS NULL",
                k.leader_p
            ))
            .await,
            0
        );
        // The former leader is now an outsider.
        assert_status(&k.leader.get(&format!("/c/{}", k.slug)).await, 403);
        assert_status(&k.member.get(&format!("/c/{}/edit", k.slug)).await, 200);
    }
);

both_backends!(
    instance_community_visible_to_any_signed_in_user,
    |app: TestApp| async move {
        let (_, lp) = app.user("lider@example.org", false).await;
        let (cid, slug) = app.community("Foro Abierto", lp, "instance").await;
        let (anyone, _, _) = app.signed_in("cualquiera@example.org", false).await;
        assert!(anyone
            .get("/communities")
            .await
            .body
            .contains("Foro Abierto"));
        let r = anyone.get(&format!("/c/{slug}")).await;
        assert_status(&r, 200);
        assert!(r.body.contains("Foro Abierto"));
        assert_status(&anyone.get(&format!("/c/{slug}/members")).await, 200);
        // Seeing is not managing.
        assert_status(&anyone.get(&format!("/c/{slug}/edit")).await, 403);
        let pid = person_with(&app, "Alguien", None, None).await;
        assert_status(
            &anyone
                .post_form(
                    &format!("/c/{slug}/members/people"),
                    &[("person_id", &pid.to_string())],
                )
                .await,
            403,
        );
        assert_eq!(
            app.count(&format!("community_people WHERE community_id = {cid}"))
                .await,
            1
        );
        // Anonymous visitors still sign in first.
        assert_to_login(&app.client().get(&format!("/c/{slug}")).await);
        assert_eq!(anyone.get("/api/v1/communities").await.json()["total"], 1);
    }
);

both_backends!(creating_a_community, |app: TestApp| async move {
    let k = cast(&app).await;
    let before = app.count("communities").await;
    // Invalid: the form again, nothing written.
    let r = k
        .leader
        .post_form(
            "/communities",
            &[("name", ""), ("purpose", "Algo"), ("visibility", "secreta")],
        )
        .await;
    assert_status(&r, 422);
    assert!(r
        .body
        .contains(r#"id="f-name-error">Este campo es obligatorio."#));
    assert!(r
        .body
        .contains(r#"id="f-visibility-error">Elige una opción de la lista."#));
    assert_eq!(app.count("communities").await, before);
    // Plain members cannot create.
    assert_status(
        &k.member
            .post_form("/communities", &[("name", "Mía"), ("purpose", "Algo")])
            .await,
        403,
    );
    assert_eq!(app.count("communities").await, before);
    // A leader elsewhere can; the creator convenes it. Same names get distinct slugs.
    let r = k
        .leader
        .post_form(
            "/communities",
            &[("name", "Jóvenes del Istmo"), ("purpose", "Aprender")],
        )
        .await;
    assert_redirect(&r, "/c/jovenes-del-istmo");
    let r = k
        .admin
        .post_form(
            "/communities",
            &[("name", "Jóvenes del Istmo"), ("purpose", "Otra")],
        )
        .await;
    assert_redirect(&r, "/c/jovenes-del-istmo-2");
    assert_eq!(app.count("communities").await, before + 2);
    let cid = scalar(
        &app,
        "SELECT id FROM communities WHERE slug = 'jovenes-del-istmo'",
    )
    .await;
    assert_eq!(
        app.count(&format!(
            "community_roles WHERE community_id = {cid} AND person_id = {} AND role = 'convener'",
            k.leader_p
        ))
        .await,
        1
    );
    // Private by default: the outsider does not see it.
    assert_status(&k.outsider.get("/c/jovenes-del-istmo").await, 403);
});

both_backends!(removals_ask_on_a_second_page, |app: TestApp| async move {
    let k = cast(&app).await;
    let slug = &k.slug;
    let members = format!("/c/{slug}/members");
    // The members page offers links to the confirmation pages, not one-tap removal forms.
    let page = k.leader.get(&members).await;
    let remove = format!("/c/{slug}/members/people/{}/remove", k.member_p);
    assert!(
        page.body.contains(&format!("href=\"{remove}\"")),
        "{}",
        page.body
    );
    assert!(!page.body.contains(&format!("action=\"{remove}\"")));
    assert!(!page
        .body
        .contains(&format!("action=\"/c/{slug}/roles/end\"")));
    // The second page names who leaves and where, and posts (with the form token) on a tap.
    let ask = k.leader.get(&remove).await;
    assert_status(&ask, 200);
    assert!(ask.body.contains("¿Quitar a "), "{}", ask.body);
    assert!(ask.body.contains("de Círculo Reservado?"));
    assert!(ask
        .body
        .contains(&format!("<form method=\"post\" action=\"{remove}\">")));
    assert!(ask.body.contains("name=\"_csrf\""));
    assert!(ask.body.contains("Sí, quitar"));
    assert!(
        ask.body.contains(&format!("href=\"{members}\"")),
        "cancel goes back"
    );
    let still = format!(
        "community_people WHERE person_id = {} AND left_at IS NULL",
        k.member_p
    );
    assert_eq!(app.count(&still).await, 1, "asking removed someone");
    // Ending a role asks too, with the person and the role carried in the form.
    let end = format!("/c/{slug}/roles/end?person_id={}&role=member", k.member_p);
    let ask = k.leader.get(&end).await;
    assert_status(&ask, 200);
    assert!(ask.body.contains("¿Terminar el rol "), "{}", ask.body);
    assert!(ask
        .body
        .contains(&format!("name=\"person_id\" value=\"{}\"", k.member_p)));
    assert!(ask.body.contains("name=\"role\" value=\"member\""));
    assert_status(
        &k.leader
            .get(&format!("/c/{slug}/roles/end?person_id=x&role=member"))
            .await,
        400,
    );
    // Members cannot reach the pages; the confirmed tap removes.
    assert_status(&k.member.get(&remove).await, 403);
    assert_redirect(&k.leader.post_form(&remove, &[]).await, &members);
    assert_eq!(app.count(&still).await, 0);
});
