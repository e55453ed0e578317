//! The local ownership index of a community's latest events (`tejido_core::ownership`), and its
//! trend drawn as an inline SVG: shown on the agenda's ownership page and the community's home.

use askama::Template;
use chrono::{DateTime, Utc};
use tejido_core::accounts::Locale;
use tejido_core::ownership::{self as own, Components};
use tejido_db::agenda as store;
use tejido_db::communities::Community;

use crate::error::AppResult;
use crate::{AppError, AppState, Ctx};

/// One event's index and its components.
#[derive(Debug, Clone, serde::Serialize)]
pub struct EventOwnership {
    pub event_id: i64,
    pub title: String,
    pub starts_at: DateTime<Utc>,
    pub index: Option<u32>,
    pub components: Components,
}

/// The index of a community's latest events, oldest first: seven queries in all.
pub async fn ownership(s: &AppState, m: &Community) -> AppResult<Vec<EventOwnership>> {
    let f = store::ownership_facts(&s.db, m.id).await?;
    Ok(f.events
        .iter()
        .map(|e| {
            let components = f.components(e);
            EventOwnership {
                event_id: e.id,
                title: e.title.clone(),
                starts_at: e.starts_at,
                index: own::index(&components),
                components,
            }
        })
        .collect())
}

const CHART_W: u32 = 320;
const CHART_H: u32 = 180;
const PLOT_LEFT: u32 = 36;
const PLOT_TOP: u32 = 12;
const PLOT_W: u32 = 272;
const PLOT_H: u32 = 136;

#[derive(Template)]
#[template(path = "agenda/trend_svg.html")]
struct TrendSvg {
    id: i64,
    title: String,
    desc: String,
    polyline: String,
    points: Vec<(own::Point, String)>,
    ticks: Vec<(u32, u32)>,
    labels: Vec<(u32, usize)>,
    w: u32,
    h: u32,
    left: u32,
    right: u32,
    axis_y: u32,
    label_y: u32,
}

pub fn svg_for(
    tr: &crate::i18n::Tr<'_>,
    m: &Community,
    rows: &[EventOwnership],
) -> AppResult<String> {
    let values: Vec<Option<u32>> = rows.iter().map(|r| r.index).collect();
    let pts = own::chart_points(&values, PLOT_LEFT, PLOT_TOP, PLOT_W, PLOT_H);
    let polyline = pts
        .iter()
        .flatten()
        .map(|p| format!("{},{}", p.x, p.y))
        .collect::<Vec<_>>()
        .join(" ");
    let points = pts
        .iter()
        .zip(rows)
        .filter_map(|(p, r)| {
            p.map(|p| {
                (
                    p,
                    format!(
                        "{} · {}: {}",
                        r.title,
                        tr.date(&r.starts_at, &m.time_zone),
                        p.value
                    ),
                )
            })
        })
        .collect();
    let labels = own::chart_points(
        &vec![Some(0); rows.len()],
        PLOT_LEFT,
        PLOT_TOP,
        PLOT_W,
        PLOT_H,
    )
    .iter()
    .flatten()
    .enumerate()
    .map(|(i, p)| (p.x, i + 1))
    .collect();
    let ticks = [0u32, 50, 100]
        .iter()
        .map(|v| (*v, PLOT_TOP + PLOT_H - PLOT_H * v / 100))
        .collect();
    let measured: Vec<u32> = values.iter().flatten().copied().collect();
    let desc = match (measured.first(), measured.last()) {
        (Some(a), Some(b)) => tr.t2(
            "ownership-chart-desc",
            "first",
            &a.to_string(),
            "last",
            &b.to_string(),
        ),
        _ => tr.t("ownership-chart-empty"),
    };
    let svg = TrendSvg {
        id: m.id,
        title: tr.t1("ownership-chart-title", "community", &m.name),
        desc: format!(
            "{desc} {}",
            tr.t1("ownership-chart-events", "count", &rows.len().to_string())
        ),
        polyline,
        points,
        ticks,
        labels,
        w: CHART_W,
        h: CHART_H,
        left: PLOT_LEFT,
        right: PLOT_LEFT + PLOT_W,
        axis_y: PLOT_TOP + PLOT_H,
        label_y: PLOT_TOP + PLOT_H + 18,
    };
    svg.render().map_err(|e| AppError::Internal(e.into()))
}

/// The community's ownership trend as self-contained, escaped SVG markup (a `<title>`, a
/// `<desc>` text alternative, no inline style), in the default language (es-MX) — for the lead
/// to embed on the community summary page. [`trend_svg_for`] draws it in the viewer's language.
pub async fn trend_svg(s: &AppState, community: &Community) -> AppResult<String> {
    let rows = ownership(s, community).await?;
    let tr = crate::i18n::Tr {
        i18n: &s.i18n,
        locale: Locale::EsMx,
    };
    svg_for(&tr, community, &rows)
}

/// Like [`trend_svg`], in the viewer's language.
pub async fn trend_svg_for(s: &AppState, c: &Ctx, community: &Community) -> AppResult<String> {
    let rows = ownership(s, community).await?;
    svg_for(&c.tr(), community, &rows)
}
