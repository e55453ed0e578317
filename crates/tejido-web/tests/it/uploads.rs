//! Uploads: route tests (both backends). Files arrive through the library's multipart form:
//! the type is decided from the bytes (a renamed executable, an HTML page and an SVG with a
//! script are refused, naming the file, and nothing is stored), the size limit gives a
//! localized error, identical files are stored once, and downloads are inert attachments.

use super::*;

const MZ: &[u8] =
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xffThis program cannot be run in DOS mode.";
const HTML: &[u8] =
    b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>";
const SVG: &[u8] = b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>";

/// A signed-in author with a person record, member of a private community; returns the client
/// and the community id.
async fn author(app: &TestApp) -> (Client, i64) {
    let n = next_n();
    let (c, _, pid) = app
        .signed_in(&format!("autora{n}@example.org"), false)
        .await;
    let (cid, _) = app
        .community(&format!("Red de archivo {n}"), pid, "private")
        .await;
    (c, cid)
}

fn fields(cid: i64, title: &str) -> Vec<(&'static str, String)> {
    vec![
        ("kind", "guide".to_owned()),
        ("title", title.to_owned()),
        ("body", "Guía para documentar casos.".to_owned()),
        ("language", "es".to_owned()),
        ("visibility", "community".to_owned()),
        ("community", cid.to_string()),
    ]
}

async fn post(c: &Client, cid: i64, title: &str, files: &[(&str, &str, &[u8])]) -> Resp {
    let f = fields(cid, title);
    let pairs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
    c.post_multipart("/library", &pairs, files).await
}

both_backends!(
    refuses_executables_html_and_svg,
    |app: TestApp| async move {
        let (c, cid) = author(&app).await;
        for (name, bytes, words) in [
            ("report.pdf", MZ, "es un programa"),
            ("informe.html", HTML, "página web"),
            ("logo.svg", SVG, "página web, SVG"),
            ("logo.png", SVG, "página web, SVG"),
        ] {
            let r = post(&c, cid, "Intento", &[("file", name, bytes)]).await;
            assert_status(&r, 422);
            assert!(
                r.body.contains(name),
                "the refusal names the file: {}",
                r.body
            );
            assert!(r.body.contains(words), "{name}: {}", r.body);
            assert!(
                !r.body.contains("<script>alert"),
                "nothing of the file is echoed"
            );
        }
        assert_eq!(app.count("uploads").await, 0);
        assert_eq!(app.count("resources").await, 0);
        assert_eq!(app.stored_files(), 0);
        // In English too.
        let mut en = c.clone();
        en.lang = Some("en".into());
        let r = post(&en, cid, "Attempt", &[("file", "report.pdf", MZ)]).await;
        assert_status(&r, 422);
        assert!(r.body.contains("it is a program or a script"), "{}", r.body);
    }
);

both_backends!(
    oversize_is_refused_with_a_localized_error,
    |app: TestApp| async move {
        let app = app.with_upload_limit(4096);
        let (c, cid) = author(&app).await;
        let mut big = tejido_core::uploads::SAMPLE_PDF.to_vec();
        big.resize(5000, b' ');
        let r = post(&c, cid, "Grande", &[("file", "grande.pdf", &big)]).await;
        assert_status(&r, 413);
        assert!(
            r.body.contains("«grande.pdf» es demasiado grande"),
            "{}",
            r.body
        );
        assert!(r.body.contains("4 KB"), "the limit is stated: {}", r.body);
        // A body far over the request limit is cut short and still answered in Spanish.
        let huge = "a".repeat(4096 * 4 + 3 * 1024 * 1024);
        let mut f = fields(cid, "Enorme");
        f.push(("notes", huge));
        let pairs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = c.post_multipart("/library", &pairs, &[]).await;
        assert_status(&r, 413);
        assert!(
            r.body.contains("El formulario es demasiado grande"),
            "{}",
            r.body
        );
        assert_eq!(app.count("uploads").await, 0);
        assert_eq!(app.count("resources").await, 0);
        // Within the limit it is accepted.
        let r = post(
            &c,
            cid,
            "Pequeño",
            &[("file", "ok.pdf", tejido_core::uploads::SAMPLE_PDF)],
        )
        .await;
        assert_status(&r, 303);
    }
);

both_backends!(
    pdf_is_stored_once_and_served_as_an_inert_attachment,
    |app: TestApp| async move {
        let (c, cid) = author(&app).await;
        let pdf = tejido_core::uploads::SAMPLE_PDF;
        let r1 = post(
            &c,
            cid,
            "Guía uno",
            &[("file", "Guía de mediación.pdf", pdf)],
        )
        .await;
        assert_status(&r1, 303);
        let r2 = post(&c, cid, "Guía dos", &[("file", "copia.pdf", pdf)]).await;
        assert_status(&r2, 303);
        assert_eq!(app.count("uploads").await, 2);
        assert_eq!(app.stored_files(), 1, "identical bytes are stored once");
        let page = r1.location().unwrap().to_owned();
        let show = c.get(&page).await;
        assert_status(&show, 200);
        assert!(show.body.contains("Guía de mediación.pdf"), "{}", show.body);
        let i = show.body.find("/files/").unwrap();
        let start = show.body[..i].rfind('"').unwrap() + 1;
        let end = i + show.body[i..].find('"').unwrap();
        let url = show.body[start..end].to_owned();
        let d = c.get(&url).await;
        assert_status(&d, 200);
        assert_eq!(d.headers[header::CONTENT_TYPE], "application/pdf");
        let cd = d.headers[header::CONTENT_DISPOSITION].to_str().unwrap();
        assert!(cd.starts_with("attachment;"), "{cd}");
        assert!(
            cd.contains("filename*=UTF-8''Gu%C3%ADa%20de%20mediaci%C3%B3n.pdf"),
            "{cd}"
        );
        assert_eq!(d.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert_eq!(
            d.headers[header::CONTENT_SECURITY_POLICY],
            "sandbox; default-src 'none'"
        );
        assert!(d.body.starts_with("%PDF-"));
        // An upload id attached elsewhere is not served through this resource.
        let other = r2.location().unwrap();
        let wrong = format!("{other}/files/{}", url.rsplit('/').next().unwrap());
        assert_status(&c.get(&wrong).await, 404);
    }
);

both_backends!(
    upload_forms_need_the_csrf_token,
    |app: TestApp| async move {
        let (c, cid) = author(&app).await;
        let f = fields(cid, "Sin token");
        let pairs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let pdf = tejido_core::uploads::SAMPLE_PDF;
        let r = c
            .post_multipart_raw("/library", &pairs, &[("file", "a.pdf", pdf)])
            .await;
        assert_status(&r, 403);
        let r = c
            .post_multipart_raw("/library?_csrf=wrong", &pairs, &[("file", "a.pdf", pdf)])
            .await;
        assert_status(&r, 403);
        assert_eq!(app.count("uploads").await, 0);
        assert_eq!(app.stored_files(), 0);
    }
);

/// An event of the community, stored directly (the events pages are another module's).
async fn event(app: &TestApp, cid: i64) -> i64 {
    let t = tejido_db::now();
    let sql = "INSERT INTO events (community_id, title, kind, mode, starts_at, ends_at, time_zone, status, created_at, updated_at)
               VALUES ($1, 'Encuentro regional', 'meeting', 'in-person', $2, $2, 'America/Mexico_City', 'held', $2, $2) RETURNING id";
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

// The minutes' attachment routes (kept apart from the minutes route table):
// POST /c/{slug}/events/{id}/minutes/files, GET …/files/{upload_id}, POST …/files/{upload_id}/remove,
// GET /api/v1/communities/{slug}/events/{id}/minutes/files/{upload_id}.
both_backends!(
    minutes_attachments_follow_the_minutes_rules,
    |app: TestApp| async move {
        let n = next_n();
        let (leader, _, leader_p) = app
            .signed_in(&format!("lider-m{n}@example.org"), false)
            .await;
        let (rapporteur, _, rapporteur_p) = app
            .signed_in(&format!("relatora-m{n}@example.org"), false)
            .await;
        let (member, _, member_p) = app
            .signed_in(&format!("integrante-m{n}@example.org"), false)
            .await;
        let (outsider, _, _) = app
            .signed_in(&format!("fuera-m{n}@example.org"), false)
            .await;
        let anon = app.client();
        let (cid, slug) = app
            .community(&format!("Red de relatorías {n}"), leader_p, "private")
            .await;
        app.add_member(cid, rapporteur_p, Role::Rapporteur).await;
        app.add_member(cid, member_p, Role::Member).await;
        let ev = event(&app, cid).await;
        let base = format!("/c/{slug}/events/{ev}/minutes");
        let pdf = tejido_core::uploads::SAMPLE_PDF;

        // Only those who write the minutes attach.
        let r = member
            .post_multipart(&format!("{base}/files"), &[], &[("file", "lista.pdf", pdf)])
            .await;
        assert_status(&r, 403);
        let r = outsider
            .post_multipart(&format!("{base}/files"), &[], &[("file", "lista.pdf", pdf)])
            .await;
        assert_status(&r, 403);
        assert_eq!(app.count("attachments").await, 0);
        // A refused file is named on the minutes page and nothing is kept.
        let r = rapporteur
            .post_multipart(&format!("{base}/files"), &[], &[("file", "lista.pdf", MZ)])
            .await;
        assert_status(&r, 422);
        assert!(r.body.contains("«lista.pdf»"), "{}", r.body);
        assert_eq!(app.count("uploads").await, 0);
        let r = rapporteur
            .post_multipart(&format!("{base}/files"), &[], &[])
            .await;
        assert_status(&r, 422);
        let r = rapporteur
            .post_multipart(
                &format!("{base}/files"),
                &[],
                &[("file", "Lista de asistencia.pdf", pdf)],
            )
            .await;
        assert_redirect(&r, &format!("{base}#files"));
        let r = leader
            .post_multipart(
                &format!("{base}/files"),
                &[],
                &[("file", "notas.txt", "Notas del encuentro".as_bytes())],
            )
            .await;
        assert_status(&r, 303);
        assert_eq!(app.count("attachments").await, 2);

        // Members read and download; outsiders and anonymous visitors do not.
        let page = member.get(&base).await;
        assert_status(&page, 200);
        assert!(
            page.body.contains("Lista de asistencia.pdf"),
            "{}",
            page.body
        );
        assert!(
            !page.body.contains("enctype=\"multipart/form-data\""),
            "members do not get the upload form"
        );
        let api = member
            .get(&format!("/api/v1/communities/{slug}/events/{ev}/minutes"))
            .await;
        assert_status(&api, 200);
        let v = api.json();
        let url = v["attachments"][0]["download_url"]
            .as_str()
            .unwrap()
            .to_owned();
        let api_url = v["attachments"][0]["api_download_url"]
            .as_str()
            .unwrap()
            .to_owned();
        let d = member.get(&url).await;
        assert_status(&d, 200);
        assert!(d.headers[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .starts_with("attachment;"));
        assert_eq!(
            d.headers[header::CONTENT_SECURITY_POLICY],
            "sandbox; default-src 'none'"
        );
        assert_status(&member.get(&api_url).await, 200);
        assert_status(&outsider.get(&url).await, 403);
        assert_status(&outsider.get(&api_url).await, 403);
        assert_status(&anon.get(&url).await, 303);
        assert_status(&anon.get(&api_url).await, 401);
        let txt = v["attachments"][1]["download_url"]
            .as_str()
            .unwrap()
            .to_owned();
        let d = member.get(&txt).await;
        assert_eq!(d.headers[header::CONTENT_TYPE], "text/plain; charset=utf-8");
        assert_eq!(d.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");

        // Removing: writers only.
        let uid = url.rsplit('/').next().unwrap();
        assert_status(
            &member
                .post_form(&format!("{base}/files/{uid}/remove"), &[])
                .await,
            403,
        );
        assert_redirect(
            &rapporteur
                .post_form(&format!("{base}/files/{uid}/remove"), &[])
                .await,
            &format!("{base}#files"),
        );
        assert_status(&member.get(&url).await, 404);
        assert_status(
            &rapporteur
                .post_form(&format!("{base}/files/{uid}/remove"), &[])
                .await,
            404,
        );
        assert_eq!(app.count("attachments").await, 1);
    }
);
