//! The minutes' attachments: upload, download, and removal asked on a second page.

use super::*;

// ---- attachments -----------------------------------------------------------------------------

pub(super) async fn attach_files(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    mp: Multipart,
) -> AppResult<Response> {
    let e = load_writer(&s, &c, &slug, id).await?;
    let scope = crate::uploads::QuotaScope::Community(e.l.community.id);
    let read = match crate::uploads::read(&s, mp).await? {
        Ok(i) => crate::uploads::check_quota(&s, scope, &i.files)
            .await?
            .map(|()| i),
        Err(refused) => Err(refused),
    };
    let incoming = match read {
        Ok(i) => i,
        Err(refused) => {
            let forms = Forms {
                file_error: Some(refused.message(&c)),
                ..Default::default()
            };
            let mut r = html(&show_page(&s, c, e, forms).await?);
            refused.apply(&mut r);
            return Ok(r);
        }
    };
    if incoming.files.is_empty() {
        let forms = Forms {
            file_error: Some(c.t("minutes-files-none-chosen")),
            ..Default::default()
        };
        return Ok(html_invalid(&show_page(&s, c, e, forms).await?));
    }
    let mut tx = s.db.begin().await?;
    let stored = crate::uploads::store(&s, &mut tx, &incoming.files, c.user_id()).await?;
    for u in &stored {
        tejido_db::uploads::attach(&mut tx, tejido_db::uploads::OwnerKind::Minutes, id, u.id)
            .await?;
    }
    let names: Vec<&str> = stored.iter().map(|u| u.filename.as_str()).collect();
    audit(
        &mut tx,
        &c,
        "minutes-files-attached",
        &e.l.community.slug,
        &format!("{id}:{}", names.join(", ")),
    )
    .await?;
    tx.commit().await?;
    Ok(redirect(&format!("/c/{slug}/events/{id}/minutes#files")))
}

pub(super) async fn confirm_remove_attachment(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id, upload_id)): Path<(String, i64, i64)>,
) -> AppResult<Response> {
    let e = load_writer(&s, &c, &slug, id).await?;
    let slug = &e.l.community.slug;
    let (action, back) = (
        format!("/c/{slug}/events/{id}/minutes/files/{upload_id}/remove"),
        format!("/c/{slug}/events/{id}/minutes#files"),
    );
    crate::uploads::confirm_detach(
        &s,
        c,
        tejido_db::uploads::OwnerKind::Minutes,
        id,
        upload_id,
        action,
        back,
    )
    .await
}

pub(super) async fn remove_attachment(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id, upload_id)): Path<(String, i64, i64)>,
) -> AppResult<Response> {
    let e = load_writer(&s, &c, &slug, id).await?;
    let mut tx = s.db.begin().await?;
    let removed = tejido_db::uploads::detach(
        &mut tx,
        tejido_db::uploads::OwnerKind::Minutes,
        id,
        upload_id,
    )
    .await?;
    if !removed {
        return Err(AppError::NotFound);
    }
    audit(
        &mut tx,
        &c,
        "minutes-file-removed",
        &e.l.community.slug,
        &format!("{id}:{upload_id}"),
    )
    .await?;
    tx.commit().await?;
    Ok(redirect(&format!("/c/{slug}/events/{id}/minutes#files")))
}
