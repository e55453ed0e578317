//! The reports JSON API under `/api/v1` and its OpenAPI paths.

use super::*;

// ---- API -----------------------------------------------------------------------------------------

pub(super) async fn api_report(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<PeriodQuery>,
) -> AppResult<Response> {
    let rd = load_reader(&s, &c, &slug).await?;
    let p = period_or_422(&q, today(&rd.community))?;
    let r = store::report(&s.db, &rd.community, p).await?;
    Ok(
        Json(json!({ "report": r, "sections": core::SECTIONS, "tables": core::TABLES }))
            .into_response(),
    )
}

/// This capability's entries for the OpenAPI document's `paths` object.
pub fn openapi_paths() -> serde_json::Map<String, serde_json::Value> {
    let err = json!({ "$ref": "#/components/responses/Error" });
    let slug =
        json!({ "name": "slug", "in": "path", "required": true, "schema": { "type": "string" } });
    let date = |name: &str, d: &str| json!({ "name": name, "in": "query", "required": false, "description": d, "schema": { "type": "string", "format": "date" } });
    let v = json!({
        "/communities/{slug}/report": { "parameters": [slug, date("from", "First day (YYYY-MM-DD); default: twelve months before `to`"), date("to", "Last day (YYYY-MM-DD); default: today")],
            "get": { "summary": "The community's report over a period: overview and phase history, membership change, events, participation disaggregated (organization, position level, youth, gender, in person or remote), network change against the baseline `from`, local ownership, poll highlights (groups under 5 hidden), lessons. Readers: members, role holders (the read-only funder role included) and admins. No person is named; sensitive tie kinds are left out",
                "responses": { "200": { "description": "The report", "content": { "application/json": { "schema": { "type": "object", "properties": {
                    "report": { "type": "object" }, "sections": { "type": "array", "items": { "type": "string" } }, "tables": { "type": "array", "items": { "type": "string" } } } } } } },
                    "401": err, "403": err, "404": err, "422": err } } }
    });
    match v {
        serde_json::Value::Object(m) => m,
        _ => serde_json::Map::new(),
    }
}
