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
// POST /c/{slug}/events/{id}/minutes/files, GET …/files/{upload_id}, GET and POST …/files/{upload_id}/remove,
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

        // Removing: writers only, after a second page that names the file.
        let uid = url.rsplit('/').next().unwrap();
        let remove = format!("{base}/files/{uid}/remove");
        assert_status(&member.get(&remove).await, 403);
        assert_status(&member.post_form(&remove, &[]).await, 403);
        let ask = rapporteur.get(&remove).await;
        assert_status(&ask, 200);
        assert!(ask.body.contains("¿Quitar el archivo «"), "{}", ask.body);
        assert!(ask.body.contains(&format!("action=\"{remove}\"")));
        assert!(ask.body.contains(&format!("href=\"{base}#files\"")));
        assert_status(&member.get(&url).await, 200);
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

// ---- the attacks of the upload security issue -------------------------------------------------

/// The same app (same database and data directory) with other web settings.
fn configured(mut app: TestApp, f: impl FnOnce(&mut tejido_web::WebConfig)) -> TestApp {
    let mut config = app.state.config.clone();
    f(&mut config);
    app.state = tejido_web::AppState::new(app.db.clone(), config).unwrap();
    app.router = tejido_web::router(app.state.clone());
    app
}

/// The download links of a library resource's page, with the names shown.
async fn downloads(c: &Client, page: &str) -> Vec<(String, String)> {
    let show = c.get(page).await;
    assert_status(&show, 200);
    let mut out = vec![];
    let mut rest = show.body.as_str();
    while let Some(i) = rest.find("/files/") {
        let start = rest[..i].rfind('"').unwrap() + 1;
        let end = i + rest[i..].find('"').unwrap();
        let url = rest[start..end].to_owned();
        let after = &rest[end..];
        let gt = after.find('>').unwrap() + 1;
        let lt = gt + after[gt..].find('<').unwrap();
        out.push((url, after[gt..lt].to_owned()));
        rest = &after[lt..];
    }
    out
}

/// Temporary files left in the store.
fn temporaries(app: &TestApp) -> usize {
    fn walk(p: &std::path::Path) -> usize {
        std::fs::read_dir(p)
            .map(|rd| {
                rd.flatten()
                    .map(|e| {
                        let p = e.path();
                        if p.is_dir() {
                            walk(&p)
                        } else {
                            usize::from(e.file_name().to_string_lossy().starts_with(".tmp-"))
                        }
                    })
                    .sum()
            })
            .unwrap_or(0)
    }
    walk(&app.data_dir.0.join("uploads"))
}

both_backends!(
    text_files_are_downloaded_as_txt_whatever_their_name,
    |app: TestApp| async move {
        let (c, cid) = author(&app).await;
        // Texts a desktop would run or a browser render by their name; the last one has its
        // markup after the first kilobyte, where the old check did not look.
        let late_markup = format!(
            "{}<script>alert(document.cookie)</script>",
            "Notas de la reunión.\n".repeat(100)
        );
        let cases: [(&str, &[u8]); 7] = [
            ("x.html", b"hola, esto es texto\n"),
            ("x.hta", b"texto plano\n"),
            ("x.bat", b"del /q C:\\*.*\r\n"),
            ("x.ps1", b"Remove-Item -Recurse C:\\\n"),
            ("x.vbs", b"MsgBox \"hola\"\n"),
            ("x.js", b"alert(1)\n"),
            ("tarde.html", late_markup.as_bytes()),
        ];
        for (name, bytes) in cases {
            let r = post(&c, cid, "Texto", &[("file", name, bytes)]).await;
            assert_status(&r, 303);
            let links = downloads(&c, r.location().unwrap()).await;
            assert_eq!(links.len(), 1, "{name}");
            let stem = name.rsplit_once('.').unwrap().0;
            assert_eq!(
                links[0].1,
                format!("{stem}.txt"),
                "the page shows the kept name"
            );
            let d = c.get(&links[0].0).await;
            assert_status(&d, 200);
            assert_eq!(d.headers[header::CONTENT_TYPE], "text/plain; charset=utf-8");
            let cd = d.headers[header::CONTENT_DISPOSITION].to_str().unwrap();
            assert!(cd.contains(&format!("filename=\"{stem}.txt\"")), "{cd}");
            assert!(cd.contains(&format!("filename*=UTF-8''{stem}.txt")), "{cd}");
            assert_eq!(d.body.as_bytes(), bytes, "the bytes are served unchanged");
        }
        // A row kept before this rule (named .html) is still downloaded as .txt.
        let r = post(&c, cid, "Antiguo", &[]).await;
        assert_status(&r, 303);
        let rid: i64 = r
            .location()
            .unwrap()
            .rsplit('/')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let mut tx = app.db.begin().await.unwrap();
        let sha = tejido_web::uploads::write_bytes(&app.state, b"viejo\n")
            .await
            .unwrap();
        let u = tejido_db::uploads::insert(
            &mut tx,
            &tejido_db::uploads::NewUpload {
                sha256: &sha,
                size: 6,
                content_type: "text/plain; charset=utf-8",
                filename: "viejo.html",
                created_by: None,
            },
        )
        .await
        .unwrap();
        tejido_db::uploads::attach(&mut tx, tejido_db::uploads::OwnerKind::Resource, rid, u.id)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let d = c.get(&format!("/library/{rid}/files/{}", u.id)).await;
        assert_status(&d, 200);
        let cd = d.headers[header::CONTENT_DISPOSITION].to_str().unwrap();
        assert!(cd.contains("filename=\"viejo.txt\""), "{cd}");
        assert!(!cd.contains(".html"), "{cd}");
    }
);

both_backends!(
    eleven_files_get_the_too_many_files_message,
    |app: TestApp| async move {
        let (c, cid) = author(&app).await;
        let names: Vec<String> = (1..=11).map(|i| format!("acta-{i}.txt")).collect();
        let bodies: Vec<String> = (1..=11).map(|i| format!("Acta número {i}\n")).collect();
        let files: Vec<(&str, &str, &[u8])> = names
            .iter()
            .zip(&bodies)
            .map(|(n, b)| ("file", n.as_str(), b.as_bytes()))
            .collect();
        let r = post(&c, cid, "Once actas", &files).await;
        assert_status(&r, 413);
        assert!(
            r.body
                .contains("Elegiste demasiados archivos: se pueden subir como máximo 10 a la vez"),
            "{}",
            r.body
        );
        assert!(!r.body.contains("demasiado grande"), "{}", r.body);
        assert_eq!(app.count("uploads").await, 0);
        assert_eq!(app.count("resources").await, 0);
        assert_eq!(app.stored_files(), 0, "no temporary file is left");
        // Ten are fine.
        let r = post(&c, cid, "Diez actas", &files[..10]).await;
        assert_status(&r, 303);
        assert_eq!(app.count("uploads").await, 10);
        let mut en = c.clone();
        en.lang = Some("en".into());
        let r = post(&en, cid, "Eleven", &files).await;
        assert_status(&r, 413);
        assert!(r.body.contains("Too many files: at most 10"), "{}", r.body);
    }
);

both_backends!(
    a_big_upload_is_refused_while_it_streams,
    |app: TestApp| async move {
        let app = app.with_upload_limit(64 * 1024);
        let (c, cid) = author(&app).await;
        // 2 MB: within the request's limit, over the file's: refused at the file's limit,
        // naming it and the limit.
        let mut big = tejido_core::uploads::SAMPLE_PDF.to_vec();
        big.resize(2 * 1024 * 1024, b' ');
        let r = post(&c, cid, "Grande", &[("file", "grande.pdf", &big)]).await;
        assert_status(&r, 413);
        assert!(
            r.body
                .contains("«grande.pdf» es demasiado grande: el máximo es 64 KB por archivo"),
            "{}",
            r.body
        );
        assert_eq!(temporaries(&app), 0);
        // 30 MB, over the request's limit too: the body is cut short there (in-process the
        // body arrives as one frame, so the request's limit is met first; over a socket the
        // file's limit stops reading after 64 KB).
        big.resize(30 * 1024 * 1024, b' ');
        let r = post(&c, cid, "Enorme", &[("file", "enorme.pdf", &big)]).await;
        assert_status(&r, 413);
        assert!(
            r.body.contains("El formulario es demasiado grande: entre todos sus archivos y campos puede llevar como máximo 2.3 MB"),
            "{}",
            r.body
        );
        assert_eq!(temporaries(&app), 0);
        assert_eq!(app.stored_files(), 0);
        assert_eq!(app.count("uploads").await, 0);
        // Files each within the limit but together over the request's: the form is too large,
        // and its limit is stated.
        let part = {
            let mut p = tejido_core::uploads::SAMPLE_PDF.to_vec();
            p.resize(60 * 1024, b' ');
            p
        };
        let many: Vec<Vec<u8>> = (0..10u8)
            .map(|i| {
                let mut p = part.clone();
                p.push(i);
                p
            })
            .collect();
        let names: Vec<String> = (0..10).map(|i| format!("p{i}.pdf")).collect();
        let files: Vec<(&str, &str, &[u8])> = names
            .iter()
            .zip(&many)
            .map(|(n, b)| ("file", n.as_str(), b.as_slice()))
            .collect();
        let f = fields(cid, "Muchos");
        let mut pairs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let filler = "x".repeat(200 * 1024);
        for _ in 0..10 {
            pairs.push(("notes", filler.as_str()));
        }
        let r = c.post_multipart("/library", &pairs, &files).await;
        assert_status(&r, 413);
        assert!(
            r.body.contains("El formulario es demasiado grande: entre todos sus archivos y campos puede llevar como máximo 2.3 MB"),
            "{}",
            r.body
        );
        assert_eq!(temporaries(&app), 0);
        assert_eq!(app.stored_files(), 0);
        assert_eq!(app.count("uploads").await, 0);
    }
);

both_backends!(
    an_interrupted_upload_leaves_no_temporary_file,
    |app: TestApp| async move {
        let (c, cid) = author(&app).await;
        let token = c.csrf().await;
        let boundary = "----cortado";
        let mut body = Vec::new();
        for (k, v) in fields(cid, "Cortado") {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
                )
                .as_bytes(),
            );
        }
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n\r\n")
                .as_bytes(),
        );
        // 600 KB of a file, then the body ends without its closing boundary.
        body.extend_from_slice(tejido_core::uploads::SAMPLE_PDF);
        body.resize(body.len() + 600 * 1024, b' ');
        let r = c
            .request(
                Method::POST,
                &format!("/library?_csrf={}", urlencode(&token)),
                Some(&format!("multipart/form-data; boundary={boundary}")),
                body,
                &[],
            )
            .await;
        assert_status(&r, 422);
        assert_eq!(temporaries(&app), 0);
        assert_eq!(app.stored_files(), 0);
        assert_eq!(app.count("uploads").await, 0);
        assert_eq!(app.count("resources").await, 0);
    }
);

both_backends!(
    over_the_quota_is_refused_and_stores_nothing,
    |app: TestApp| async move {
        let app = configured(app, |c| c.upload_quota_bytes = 2000);
        let (c, cid) = author(&app).await;
        let a = "a".repeat(1200);
        let r = post(&c, cid, "Primero", &[("file", "a.txt", a.as_bytes())]).await;
        assert_status(&r, 303);
        let b = "b".repeat(900);
        let r = post(&c, cid, "Segundo", &[("file", "b.txt", b.as_bytes())]).await;
        assert_status(&r, 413);
        assert!(
            r.body.contains("No hay espacio para «b.txt»: los archivos de esta comunidad ya ocupan 1 KB de los 2 KB disponibles"),
            "{}",
            r.body
        );
        assert_eq!(app.count("uploads").await, 1);
        assert_eq!(
            app.count("resources").await,
            1,
            "the refused resource is not created"
        );
        assert_eq!(
            app.stored_files(),
            1,
            "nothing more is kept, not even a temporary"
        );
        // The same bytes attached again count again (each upload row is counted).
        let r = post(&c, cid, "Otra vez", &[("file", "a2.txt", a.as_bytes())]).await;
        assert_status(&r, 413);
        // The library outside communities has a quota of its own.
        let mut f = fields(cid, "General");
        f.retain(|(k, _)| *k != "community" && *k != "visibility");
        f.push(("visibility", "instance".into()));
        let pairs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = c
            .post_multipart("/library", &pairs, &[("file", "b.txt", b.as_bytes())])
            .await;
        assert_status(&r, 303);
        let r = c
            .post_multipart("/library", &pairs, &[("file", "c.txt", a.as_bytes())])
            .await;
        assert_status(&r, 413);
        assert!(
            r.body.contains("de la biblioteca fuera de las comunidades"),
            "{}",
            r.body
        );
        assert_eq!(app.count("uploads").await, 2);
        // The minutes of the community's events share its quota.
        let ev = event(&app, cid).await;
        let slug: String = match &app.db {
            Db::Sqlite(p) => sqlx::query_scalar("SELECT slug FROM communities WHERE id = $1")
                .bind(cid)
                .fetch_one(p)
                .await
                .unwrap(),
            Db::Postgres(p) => sqlx::query_scalar("SELECT slug FROM communities WHERE id = $1")
                .bind(cid)
                .fetch_one(p)
                .await
                .unwrap(),
        };
        let r = c
            .post_multipart(
                &format!("/c/{slug}/events/{ev}/minutes/files"),
                &[],
                &[("file", "lista.txt", b.as_bytes())],
            )
            .await;
        assert_status(&r, 413);
        assert!(
            r.body.contains("No hay espacio para «lista.txt»"),
            "{}",
            r.body
        );
        assert_eq!(app.count("attachments").await, 2);
        assert_eq!(temporaries(&app), 0);
    }
);

both_backends!(
    uploads_beyond_the_concurrency_limit_are_told_to_retry,
    |app: TestApp| async move {
        let app = configured(app, |c| {
            c.upload_concurrency = 1;
            c.upload_wait = std::time::Duration::from_millis(50);
        });
        let (c, cid) = author(&app).await;
        // Another upload holds the only slot.
        let held = app.state.upload_slots.clone().try_acquire_owned().unwrap();
        let pdf = tejido_core::uploads::SAMPLE_PDF;
        let r = post(&c, cid, "Ocupado", &[("file", "a.pdf", pdf)]).await;
        assert_status(&r, 503);
        assert_eq!(r.headers[header::RETRY_AFTER], "10");
        assert!(
            r.body.contains("se están recibiendo muchos archivos"),
            "{}",
            r.body
        );
        assert_eq!(app.count("uploads").await, 0);
        assert_eq!(app.count("resources").await, 0);
        // A form without files does not need a slot.
        let r = post(&c, cid, "Sin archivos", &[]).await;
        assert_status(&r, 303);
        drop(held);
        let r = post(&c, cid, "Libre", &[("file", "a.pdf", pdf)]).await;
        assert_status(&r, 303);
        assert_eq!(app.count("uploads").await, 1);
        assert_eq!(
            app.state.upload_slots.available_permits(),
            1,
            "the slot is given back"
        );
    }
);

#[test]
fn stale_temporaries_are_removed_at_start() {
    use std::time::{Duration, SystemTime};
    let dir = std::env::temp_dir().join(format!("tejido_tmp_sweep_{}", std::process::id()));
    let up = dir.join("uploads");
    std::fs::create_dir_all(up.join("ab")).unwrap();
    let old = SystemTime::now() - Duration::from_secs(3600);
    let write = |p: std::path::PathBuf, age: Option<SystemTime>| {
        std::fs::write(&p, b"x").unwrap();
        if let Some(t) = age {
            std::fs::File::options()
                .write(true)
                .open(&p)
                .unwrap()
                .set_modified(t)
                .unwrap();
        }
        p
    };
    let stale = write(up.join(".tmp-abandonado"), Some(old));
    let stale_old_layout = write(up.join("ab").join(".tmp-cdef-123"), Some(old));
    let fresh = write(up.join(".tmp-en-curso"), None);
    let blob = write(up.join("ab").join("c".repeat(62)), Some(old));
    let n = tejido_web::uploads::remove_stale_temporaries(&dir, tejido_web::uploads::STALE_AFTER)
        .unwrap();
    assert_eq!(n, 2);
    assert!(!stale.exists() && !stale_old_layout.exists());
    assert!(fresh.exists(), "an upload still being written stays");
    assert!(blob.exists(), "stored files stay");
    // At start with nothing in flight, everything temporary can go.
    assert_eq!(
        tejido_web::uploads::remove_stale_temporaries(&dir, Duration::ZERO).unwrap(),
        1
    );
    assert!(!fresh.exists() && blob.exists());
    std::fs::remove_dir_all(&dir).unwrap();
}
