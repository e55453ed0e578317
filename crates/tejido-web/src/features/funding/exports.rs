//! CSV downloads of costs, contributions, assets and the pipeline.

use super::*;

// ---- CSV -------------------------------------------------------------------------------------

pub(super) fn opt(s: &Option<String>) -> String {
    s.clone().unwrap_or_default()
}

pub(super) async fn costs_csv(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let w = member(&s, &c, &slug).await?;
    let rows = store::all_costs(&s.db, w.l.community.id).await?;
    let mut lines = vec![[
        "id",
        "spent_on",
        "category",
        "description",
        "amount",
        "currency",
        "event",
        "paid_by",
    ]
    .map(String::from)
    .to_vec()];
    lines.extend(rows.iter().map(|r| {
        vec![
            r.id.to_string(),
            r.spent_on.to_string(),
            r.category.clone(),
            r.description.clone(),
            r.amount().plain(),
            r.currency.clone(),
            opt(&r.event_title),
            r.paid_by(),
        ]
    }));
    Ok(csv_download(&format!("{slug}-costos.csv"), lines))
}

pub(super) async fn contributions_csv(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let w = member(&s, &c, &slug).await?;
    let rows = store::all_contributions(&s.db, w.l.community.id).await?;
    let mut lines = vec![[
        "id",
        "given_on",
        "organization",
        "kind",
        "description",
        "amount",
        "currency",
        "event",
    ]
    .map(String::from)
    .to_vec()];
    lines.extend(rows.iter().map(|r| {
        vec![
            r.id.to_string(),
            r.given_on.to_string(),
            r.organization_name.clone(),
            r.kind.clone(),
            r.description.clone(),
            r.amount().plain(),
            r.currency.clone(),
            opt(&r.event_title),
        ]
    }));
    Ok(csv_download(&format!("{slug}-aportaciones.csv"), lines))
}

pub(super) async fn assets_csv(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let w = member(&s, &c, &slug).await?;
    let rows = store::all_assets(&s.db, w.l.community.id).await?;
    let mut lines = vec![[
        "id",
        "organization",
        "kind",
        "description",
        "value",
        "currency",
        "availability",
        "contact",
    ]
    .map(String::from)
    .to_vec()];
    lines.extend(rows.iter().map(|r| {
        vec![
            r.id.to_string(),
            r.organization_name.clone(),
            r.kind.clone(),
            r.description.clone(),
            r.value().plain(),
            r.currency.clone(),
            opt(&r.availability),
            opt(&r.contact),
        ]
    }));
    Ok(csv_download(&format!("{slug}-activos.csv"), lines))
}

pub(super) async fn pipeline_csv(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let w = member(&s, &c, &slug).await?;
    let rows = store::all_asks(&s.db, w.l.community.id).await?;
    let mut lines = vec![[
        "id",
        "donor",
        "ask",
        "amount",
        "currency",
        "stage",
        "stage_on",
        "next_step",
        "due_on",
        "owner",
    ]
    .map(String::from)
    .to_vec()];
    lines.extend(rows.iter().map(|r| {
        vec![
            r.id.to_string(),
            r.donor(),
            r.ask.clone(),
            r.amount().plain(),
            r.currency.clone(),
            r.stage.clone(),
            r.stage_on.to_string(),
            opt(&r.next_step),
            r.due_on.map(|d| d.to_string()).unwrap_or_default(),
            opt(&r.owner_name),
        ]
    }));
    Ok(csv_download(&format!("{slug}-procuracion.csv"), lines))
}
