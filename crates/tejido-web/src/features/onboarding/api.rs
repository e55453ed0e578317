//! The onboarding JSON API under `/api/v1` and its OpenAPI paths.

use super::*;

// ---- JSON --------------------------------------------------------------------------------------

pub(super) async fn api_pack(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
) -> AppResult<Json<Value>> {
    let l = load(&s, &c, &slug).await?;
    let p = compile(&s, &c, &l).await?;
    let m = &l.community;
    let withheld: Vec<&str> = [
        (!p.show_people).then_some("roles"),
        (!p.show_people).then_some("rotation"),
        (!p.show_people).then_some("members"),
        (!p.show_minutes).then_some("recent_minutes"),
        (!p.show_minutes).then_some("open_action_items"),
    ]
    .into_iter()
    .flatten()
    .collect();
    Ok(Json(json!({
        "community": { "slug": m.slug, "name": m.name, "purpose": m.purpose, "mission": m.mission, "vision": m.vision, "phase": m.phase },
        "goals": p.goals.iter().map(|g| json!({ "goal": g.goal, "objectives": g.objectives })).collect::<Vec<_>>(),
        "charter": p.charter.as_ref().map(|ch| json!({
            "number": ch.number, "adopted_at": ch.adopted_at,
            "sections": ch.sections.iter().map(|x| json!({ "section": x.key, "html": x.html })).collect::<Vec<_>>(),
        })),
        "roles": p.roles,
        "rotation": p.rotation.iter().map(|r| json!({ "role": r.role.as_str(), "holder": r.holder, "since": r.since, "upcoming": r.turns })).collect::<Vec<_>>(),
        "members": {
            "organizations": { "total": p.orgs.total, "items": p.orgs.items },
            "people": { "total": p.people.total, "items": p.people.items },
            "url": m.members_url(),
        },
        "recent_minutes": p.minutes.iter().map(|x| json!({
            "event_id": x.event_id, "title": x.title, "starts_at": x.starts_at, "summary": x.summary,
            "url": format!("/c/{}/events/{}/minutes", m.slug, x.event_id),
        })).collect::<Vec<_>>(),
        "key_resources": p.key.iter().map(|k| json!({
            "resource_id": k.resource_id, "title": k.title, "kind": k.kind, "visibility": k.visibility,
            "position": k.position, "url": format!("/library/{}", k.resource_id),
        })).collect::<Vec<_>>(),
        "open_action_items": { "total": p.items.total, "items": p.items.items },
        // Sections left empty because the caller may not read them on their own pages.
        "withheld": withheld,
    })))
}

/// This capability's entries for the OpenAPI document's `paths` object.
pub fn openapi_paths() -> serde_json::Map<String, serde_json::Value> {
    let err = json!({ "$ref": "#/components/responses/Error" });
    let slug =
        json!({ "name": "slug", "in": "path", "required": true, "schema": { "type": "string" } });
    let v = json!({
        "/communities/{slug}/onboarding": { "parameters": [slug],
            "get": {
                "summary": "The community's onboarding pack, compiled from its data: purpose, goals and objectives, the adopted charter (sanitized HTML), roles and the coming rotation turns, members (first 12 of each kind, with totals), the last three events' published minutes, the key resources leaders chose and open action items. Anyone who may view the community; each section only as far as the caller may read it on its own page (names of people need a signed-in caller, minutes and action items a member or guest, resources their own rule). `withheld` names the sections left empty for that reason.",
                "responses": {
                    "200": { "description": "The pack", "content": { "application/json": { "schema": { "type": "object" } } } },
                    "401": err, "403": err, "404": err
                }
            }
        }
    });
    match v {
        Value::Object(m) => m,
        _ => serde_json::Map::new(),
    }
}
