//! The onboarding pages: handlers, their forms and templates.

use super::*;

#[derive(Template)]
#[template(path = "onboarding/print.html")]
pub(super) struct PrintPage {
    pub(super) c: Ctx,
    pub(super) m: Community,
    pub(super) p: Pack,
    pub(super) today: DateTime<Utc>,
}

pub(super) async fn print(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let l = load(&s, &c, &slug).await?;
    let p = compile(&s, &c, &l).await?;
    Ok(html(&PrintPage {
        m: l.community,
        p,
        today: tejido_db::now(),
        c,
    }))
}

/// Print rules for the printable pack: A4 or Letter margins, no navigation, links spelled out.
pub(super) const PRINT_CSS: &str = "@page{margin:16mm 14mm}
body.print-pack{max-width:48rem;margin:0 auto;padding:16px;font-size:11pt;line-height:1.45}
body.print-pack h1{font-size:1.6rem;margin:0 0 4px}
body.print-pack h2{font-size:1.2rem;margin:20px 0 6px;border-bottom:1px solid #999;padding-bottom:2px}
body.print-pack h3{font-size:1.05rem;margin:12px 0 4px}
body.print-pack section{break-inside:avoid-page}
body.print-pack .screen-only{margin:8px 0 16px}
@media print{body.print-pack{padding:0;max-width:none}body.print-pack .screen-only{display:none}
body.print-pack a{color:inherit;text-decoration:none}h2,h3{break-after:avoid-page}}";

pub(super) async fn print_css() -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/css; charset=utf-8"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=3600"),
            ),
        ],
        PRINT_CSS,
    )
        .into_response()
}

// ---- key resources (managers) ------------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct KeyForm {
    pub(super) resource: String,
}

pub(super) async fn add_key(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Form(f): Form<KeyForm>,
) -> AppResult<Response> {
    let l = load_manage(&s, &c, &slug).await?;
    let Ok(rid) = f.resource.trim().parse::<i64>() else {
        let msg = c.t("onboarding-key-choose");
        return render_page(&s, c, l, Some(msg)).await;
    };
    let mut tx = s.db.begin().await?;
    let outcome = store::add(&mut tx, l.community.id, rid, c.user_id()).await?;
    let msg = match outcome {
        AddOutcome::Added => {
            tejido_db::audit::record(
                &mut tx,
                c.user_id(),
                "onboarding.key_resource.add",
                Some(&slug),
                Some(&rid.to_string()),
            )
            .await?;
            tx.commit().await?;
            return Ok(redirect(&format!("/c/{slug}/onboarding#key-resources")));
        }
        AddOutcome::Already => "onboarding-key-already",
        AddOutcome::NotChoosable => "onboarding-key-not-choosable",
        AddOutcome::Full => "onboarding-key-full",
    };
    drop(tx);
    let msg = c.t(msg);
    render_page(&s, c, l, Some(msg)).await
}

pub(super) async fn move_key(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    let l = load_manage(&s, &c, &slug).await?;
    let mut tx = s.db.begin().await?;
    if store::move_up(&mut tx, l.community.id, id).await? {
        tejido_db::audit::record(
            &mut tx,
            c.user_id(),
            "onboarding.key_resource.move",
            Some(&slug),
            Some(&id.to_string()),
        )
        .await?;
        tx.commit().await?;
    }
    Ok(redirect(&format!("/c/{slug}/onboarding#key-resources")))
}

pub(super) async fn remove_key(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    let l = load_manage(&s, &c, &slug).await?;
    let mut tx = s.db.begin().await?;
    if !store::remove(&mut tx, l.community.id, id).await? {
        return Err(AppError::NotFound);
    }
    tejido_db::audit::record(
        &mut tx,
        c.user_id(),
        "onboarding.key_resource.remove",
        Some(&slug),
        Some(&id.to_string()),
    )
    .await?;
    tx.commit().await?;
    Ok(redirect(&format!("/c/{slug}/onboarding#key-resources")))
}
