//! The library use cases and lookups that the pages and the API share.

use super::*;

// ---- who is asking ---------------------------------------------------------------------------

pub(super) fn viewer(c: &Ctx) -> Viewer {
    c.viewer()
}

pub(super) fn refuse(c: &Ctx) -> AppError {
    if c.signed_in() {
        AppError::Forbidden
    } else {
        AppError::Unauthorized
    }
}

/// A visible resource, or 404 when it does not exist, or a refusal when it may not be seen.
pub(super) async fn load_visible(s: &AppState, c: &Ctx, id: i64) -> AppResult<Resource> {
    match store::get_visible(&s.db, viewer(c), id).await? {
        Some(r) => Ok(r),
        None if store::exists(&s.db, id).await? => Err(refuse(c)),
        None => Err(AppError::NotFound),
    }
}

/// True when the viewer manages the resource's community.
pub(super) async fn manages(s: &AppState, c: &Ctx, community_id: Option<i64>) -> AppResult<bool> {
    let (Some(cid), Some(pid)) = (community_id, c.user.as_ref().and_then(|u| u.person_id)) else {
        return Ok(false);
    };
    let (_, roles) = tejido_db::communities::standing(&s.db, cid, pid).await?;
    Ok(roles.iter().any(|r| r.can_manage()))
}

pub(super) async fn may_edit(s: &AppState, c: &Ctx, r: &Resource) -> AppResult<bool> {
    let Some(uid) = c.user_id() else {
        return Ok(false);
    };
    Ok(can_edit(
        c.is_admin(),
        r.created_by == Some(uid),
        manages(s, c, r.community_id).await?,
    ))
}

/// A visible resource the viewer may edit.
pub(super) async fn load_editable(s: &AppState, c: &Ctx, id: i64) -> AppResult<Resource> {
    c.require_user()?;
    let r = load_visible(s, c, id).await?;
    if may_edit(s, c, &r).await? {
        Ok(r)
    } else {
        Err(AppError::Forbidden)
    }
}

/// The person creating a resource (a signed-in account linked to a person).
pub(super) fn require_author(c: &Ctx) -> AppResult<i64> {
    let u = c.require_user()?;
    u.person_id.ok_or(AppError::Forbidden)
}

// ---- writes (pages and API) ------------------------------------------------------------------

/// Checks what the form points at: a community the author belongs to, an existing
/// organization, a source in that community. Adds field errors.
pub(super) async fn check_refs(
    s: &AppState,
    c: &Ctx,
    i: &ResourceInput,
    e: &mut FieldErrors,
) -> AppResult<()> {
    if let Some(cid) = i.community_id {
        let ok = store::community_options(
            &s.db,
            c.user.as_ref().and_then(|u| u.person_id),
            c.is_admin(),
        )
        .await?
        .iter()
        .any(|(id, _)| *id == cid);
        if !ok {
            e.add("community", "library-error-not-member");
        }
        if let Some((k, sid)) = i.source {
            if !store::source_in_community(&s.db, k, sid, cid).await? {
                e.add("source_id", "library-error-source");
            }
        }
    }
    if let Some(oid) = i.organization_id {
        if !store::organization_exists(&s.db, oid).await? {
            e.add("organization", "error-invalid-choice");
        }
    }
    Ok(())
}

pub(super) async fn index_doc(tx: &mut tejido_db::Tx, id: i64, i: &ResourceInput) -> AppResult<()> {
    let url = format!("/library/{id}");
    let lang = i.language.as_str();
    search::upsert(
        tx,
        &SearchDoc {
            source: Source::Resource,
            source_id: id,
            community_id: i.community_id,
            audience: i.visibility.audience(),
            kind: Some(i.kind.as_str()),
            themes: &i.themes,
            lang,
            title: &i.title,
            body: &i.body,
            url: &url,
        },
    )
    .await?;
    Ok(())
}

/// Creates a resource with its files in one transaction; returns its id.
pub(super) async fn write_new(
    s: &AppState,
    c: &Ctx,
    i: &ResourceInput,
    new_files: &[CheckedFile],
) -> AppResult<i64> {
    let mut tx = s.db.begin().await?;
    let id = store::insert(&mut tx, i, c.user_id()).await?;
    let stored = uploads::store(s, &mut tx, new_files, c.user_id()).await?;
    for u in &stored {
        files::attach(&mut tx, OwnerKind::Resource, id, u.id).await?;
    }
    index_doc(&mut tx, id, i).await?;
    tejido_db::audit::record(
        &mut tx,
        c.user_id(),
        "library-created",
        None,
        Some(&id.to_string()),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Saves an edit (a new version), adds files and removes the unticked ones.
pub(super) async fn write_edit(
    s: &AppState,
    c: &Ctx,
    id: i64,
    i: &ResourceInput,
    new_files: &[CheckedFile],
    remove: &[i64],
) -> AppResult<i64> {
    let mut tx = s.db.begin().await?;
    let v = store::update(&mut tx, id, i, c.user_id()).await?;
    for uid in remove {
        files::detach(&mut tx, OwnerKind::Resource, id, *uid).await?;
    }
    let stored = uploads::store(s, &mut tx, new_files, c.user_id()).await?;
    for u in &stored {
        files::attach(&mut tx, OwnerKind::Resource, id, u.id).await?;
    }
    index_doc(&mut tx, id, i).await?;
    tejido_db::audit::record(
        &mut tx,
        c.user_id(),
        "library-edited",
        None,
        Some(&format!("{id}:{v}")),
    )
    .await?;
    tx.commit().await?;
    Ok(v)
}

// ---- pages -----------------------------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LibraryQuery {
    pub kind: Option<String>,
    pub theme: Option<String>,
    pub language: Option<String>,
    pub community: Option<i64>,
    pub page: Option<u32>,
    pub lessons_page: Option<u32>,
}

impl LibraryQuery {
    pub(super) fn filter(&self) -> Filter {
        let clean = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        Filter {
            kind: clean(&self.kind).filter(|k| Kind::parse(k).is_some()),
            theme: clean(&self.theme),
            language: clean(&self.language).filter(|l| LANGUAGES.contains(&l.as_str())),
            community_id: self.community,
        }
    }
}

pub(super) async fn file(
    State(s): State<AppState>,
    c: Ctx,
    Path((id, upload_id)): Path<(i64, i64)>,
) -> AppResult<Response> {
    let r = load_visible(&s, &c, id).await?;
    let u = files::get_attached(&s.db, OwnerKind::Resource, r.id, upload_id)
        .await?
        .ok_or(AppError::NotFound)?;
    uploads::download(&s, &u).await
}
