//! Onboarding: route tests (both backends). A new member reads the pack compiled from the
//! community's data (charter text, minutes summaries, key resources, open action items); an
//! outsider of a private community is refused on every route; the printable copy has no
//! navigation; only managers choose key resources, and only resources the community may use.

use chrono::NaiveDate;
use tejido_core::charter::{CharterInput, Section};
use tejido_core::decisions::{DecisionInput, Method};
use tejido_core::minutes::{ActionItemInput, MinutesInput, MinutesStatus};

use super::*;

async fn exec_id(app: &TestApp, sql: &str, args: &[&str], community: Option<i64>) -> i64 {
    let t = tejido_db::now();
    macro_rules! run {
        ($p:expr) => {{
            let mut q = sqlx::query_scalar(sql);
            for a in args {
                q = q.bind(*a);
            }
            q.bind(community).bind(t).fetch_one($p).await.unwrap()
        }};
    }
    match &app.db {
        Db::Sqlite(p) => run!(p),
        Db::Postgres(p) => run!(p),
    }
}

/// A library resource written straight to its table: (title, kind, visibility), community.
async fn resource(app: &TestApp, title: &str, visibility: &str, community: Option<i64>) -> i64 {
    exec_id(
        app,
        "INSERT INTO resources (kind, title, body, language, themes, visibility, community_id, version, created_at, updated_at)
         VALUES ('guide', $1, 'Texto', 'es', '', $2, $3, 1, $4, $4) RETURNING id",
        &[title, visibility],
        community,
    )
    .await
}

async fn event(app: &TestApp, cid: i64, title: &str) -> i64 {
    exec_id(
        app,
        "INSERT INTO events (title, kind, mode, time_zone, status, community_id, starts_at, ends_at, created_at, updated_at)
         VALUES ($1, 'meeting', 'in-person', 'America/Mexico_City', 'held', $2, $3, $3, $3, $3) RETURNING id",
        &[title],
        Some(cid),
    )
    .await
}

both_backends!(
    pack_for_members_refused_to_outsiders,
    |app: TestApp| async move {
        let n = next_n();
        let (leader, _, leader_p) = app
            .signed_in(&format!("lider-bienvenida{n}@example.org"), false)
            .await;
        let (newcomer, _, newcomer_p) =
            app.signed_in(&format!("nueva{n}@example.org"), false).await;
        let (outsider, _, _) = app
            .signed_in(&format!("fuera-bienvenida{n}@example.org"), false)
            .await;
        let (cid, slug) = app
            .community(&format!("Red de Bienvenida {n}"), leader_p, "private")
            .await;
        let (other_cid, _) = app
            .community(&format!("Otra Red {n}"), leader_p, "private")
            .await;

        // The empty pack tells leaders the next step.
        let r = leader.get(&format!("/c/{slug}/onboarding")).await;
        assert_status(&r, 200);
        assert!(r.body.contains("aún no ha adoptado su carta"), "{}", r.body);
        assert!(r.body.contains("Redactar y adoptar la carta"));
        assert!(r.body.contains("Todavía no hay relatorías publicadas"));

        // Data from the other capabilities: a charter, minutes, an open action item, a goal.
        let mut tx = app.db.begin().await.unwrap();
        let (vid, _, _) = tejido_db::charter::ensure_draft(&mut tx, cid, None)
            .await
            .unwrap();
        tejido_db::charter::save_draft(
            &mut tx,
            vid,
            &CharterInput {
                sections: vec![(
                    Section::Rules,
                    "Nos **escuchamos** sin interrumpir. <script>x()</script>".into(),
                )],
            },
        )
        .await
        .unwrap();
        tejido_db::charter::adopt(
            &mut tx,
            cid,
            vid,
            &DecisionInput {
                title: "Adoptamos la carta".into(),
                body: None,
                decided_on: NaiveDate::from_ymd_opt(2026, 2, 1).unwrap(),
                method: Method::Consensus,
                votes: None,
                decided_by: None,
                source: None,
                corrects: None,
            },
            None,
        )
        .await
        .unwrap();
        tejido_db::governance::insert_goal(
            &mut tx,
            cid,
            &tejido_core::governance::GoalInput {
                title: "Reducir la prisión preventiva".into(),
                description: None,
                horizon: tejido_core::governance::Horizon::Long,
            },
            None,
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        let ev = event(&app, cid, "Encuentro de Tlaxiaco").await;
        let mut tx = app.db.begin().await.unwrap();
        tejido_db::minutes::save_version(
            &mut tx,
            ev,
            &MinutesInput {
                summary: "Acordamos un protocolo de *acompañamiento* a familias.".into(),
                takeaways: None,
                status: MinutesStatus::Published,
            },
            None,
        )
        .await
        .unwrap();
        tejido_db::minutes::insert_item(
            &mut tx,
            ev,
            &ActionItemInput {
                title: "Enviar el directorio de defensorías".into(),
                owner_person_id: leader_p,
                due_on: NaiveDate::from_ymd_opt(2030, 1, 15).unwrap(),
            },
            None,
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        // A draft of another event's minutes never appears.
        let ev2 = event(&app, cid, "Taller interno").await;
        let mut tx = app.db.begin().await.unwrap();
        tejido_db::minutes::save_version(
            &mut tx,
            ev2,
            &MinutesInput {
                summary: "Borrador confidencial".into(),
                takeaways: None,
                status: MinutesStatus::Draft,
            },
            None,
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();

        // Key resources: leaders choose among resources the community may use.
        let guide = resource(&app, "Guía de mediación penal", "community", Some(cid)).await;
        let manual = resource(&app, "Manual abierto de facilitación", "public", None).await;
        let foreign = resource(&app, "Guía de otra red", "community", Some(other_cid)).await;
        let r = leader.get(&format!("/c/{slug}/onboarding")).await;
        assert!(r.body.contains("Guía de mediación penal") && !r.body.contains("Guía de otra red"));
        let before = app.count("community_key_resources").await;
        // Members who are not managers cannot choose; nor can outsiders.
        app.add_member(cid, newcomer_p, Role::Member).await;
        let add = format!("/c/{slug}/onboarding/key-resources");
        let g = guide.to_string();
        assert_status(&newcomer.post_form(&add, &[("resource", &g)]).await, 403);
        assert_status(&outsider.post_form(&add, &[("resource", &g)]).await, 403);
        assert_to_login(&app.client().post_form(&add, &[("resource", &g)]).await);
        // Another community's resource and nonsense are refused with a message, nothing written.
        let r = leader
            .post_form(&add, &[("resource", &foreign.to_string())])
            .await;
        assert_status(&r, 422);
        assert!(r.body.contains("no está disponible para esta comunidad"));
        assert_status(&leader.post_form(&add, &[("resource", "abc")]).await, 422);
        assert_eq!(app.count("community_key_resources").await, before);
        assert_redirect(
            &leader.post_form(&add, &[("resource", &g)]).await,
            &format!("/c/{slug}/onboarding#key-resources"),
        );
        assert_redirect(
            &leader
                .post_form(&add, &[("resource", &manual.to_string())])
                .await,
            &format!("/c/{slug}/onboarding#key-resources"),
        );
        assert_status(&leader.post_form(&add, &[("resource", &g)]).await, 422);
        assert_eq!(app.count("community_key_resources").await, before + 2);
        // Reordering: the manual moves above the guide.
        let up = format!("/c/{slug}/onboarding/key-resources/{manual}/up");
        assert_status(&newcomer.post_form(&up, &[]).await, 403);
        assert_status(&leader.post_form(&up, &[]).await, 303);

        // The new member reads the pack.
        let r = newcomer.get(&format!("/c/{slug}/onboarding")).await;
        assert_status(&r, 200);
        let b = &r.body;
        assert!(b.contains("Aprender juntas"), "purpose");
        assert!(b.contains("Reducir la prisión preventiva"), "goal");
        assert!(
            b.contains("Nos <strong>escuchamos</strong> sin interrumpir"),
            "charter rendered"
        );
        assert!(!b.contains("<script>x()"), "charter sanitized");
        assert!(
            b.contains("Encuentro de Tlaxiaco") && b.contains("<em>acompañamiento</em>"),
            "minutes"
        );
        assert!(!b.contains("Borrador confidencial"), "drafts stay out");
        assert!(
            b.contains("Enviar el directorio de defensorías"),
            "open action items"
        );
        let (m_pos, g_pos) = (
            b.find("Manual abierto").unwrap(),
            b.find("Guía de mediación penal").unwrap(),
        );
        assert!(m_pos < g_pos, "key resources in the chosen order");
        assert!(b.contains(&format!("/library/{guide}")));
        assert!(
            b.contains(&format!("Persona nueva{n}@example.org")),
            "members"
        );
        // Members who do not manage get no manage form.
        assert!(!b.contains(&add));

        // The printable copy: same content, no navigation, the print stylesheet.
        let r = newcomer.get(&format!("/c/{slug}/onboarding/print")).await;
        assert_status(&r, 200);
        assert!(
            r.body.contains("Nos <strong>escuchamos</strong>") && r.body.contains("Manual abierto")
        );
        assert!(
            !r.body.contains("<nav") && !r.body.contains("<footer"),
            "{}",
            r.body
        );
        assert!(r.body.contains("/onboarding/print.css"));
        let css = app.client().get("/onboarding/print.css").await;
        assert_status(&css, 200);
        assert!(css.body.contains("@page"));

        // JSON with the same content.
        let r = newcomer
            .get(&format!("/api/v1/communities/{slug}/onboarding"))
            .await;
        assert_status(&r, 200);
        let v = r.json();
        assert_eq!(
            v["key_resources"][0]["title"],
            "Manual abierto de facilitación"
        );
        assert_eq!(v["recent_minutes"][0]["title"], "Encuentro de Tlaxiaco");
        assert_eq!(v["open_action_items"]["total"], 1);
        assert!(v["charter"]["sections"][0]["html"]
            .as_str()
            .unwrap()
            .contains("<strong>escuchamos</strong>"));

        // Outsiders and anonymous visitors of the private community are refused everywhere.
        for path in [
            format!("/c/{slug}/onboarding"),
            format!("/c/{slug}/onboarding/print"),
        ] {
            let r = outsider.get(&path).await;
            assert_status(&r, 403);
            assert!(!r.body.contains("escuchamos"));
            assert_to_login(&app.client().get(&path).await);
        }
        let api = format!("/api/v1/communities/{slug}/onboarding");
        assert_status(&outsider.get(&api).await, 403);
        assert_status(&app.client().get(&api).await, 401);
        let rm = format!("/c/{slug}/onboarding/key-resources/{guide}/remove");
        assert_status(&outsider.post_form(&rm, &[]).await, 403);
        assert_status(&newcomer.post_form(&rm, &[]).await, 403);
        assert_eq!(app.count("community_key_resources").await, before + 2);
        assert_status(&leader.post_form(&rm, &[]).await, 303);
        assert_status(&leader.post_form(&rm, &[]).await, 404);
        assert_eq!(app.count("community_key_resources").await, before + 1);
    }
);

both_backends!(
    public_pack_hides_instance_resources_from_anonymous,
    |app: TestApp| async move {
        let n = next_n();
        let (leader, _, leader_p) = app
            .signed_in(&format!("lider-publica{n}@example.org"), false)
            .await;
        let (_cid, slug) = app
            .community(&format!("Red Pública {n}"), leader_p, "public")
            .await;
        let inst = resource(&app, "Recurso sólo para la instancia", "instance", None).await;
        let open = resource(&app, "Recurso abierto a todo público", "public", None).await;
        let add = format!("/c/{slug}/onboarding/key-resources");
        for id in [inst, open] {
            assert_status(
                &leader
                    .post_form(&add, &[("resource", &id.to_string())])
                    .await,
                303,
            );
        }
        let anon = app.client().get(&format!("/c/{slug}/onboarding")).await;
        assert_status(&anon, 200);
        assert!(anon.body.contains("Recurso abierto a todo público"));
        assert!(!anon.body.contains("Recurso sólo para la instancia"));
        let signed = leader.get(&format!("/c/{slug}/onboarding")).await;
        assert!(signed.body.contains("Recurso sólo para la instancia"));
    }
);
