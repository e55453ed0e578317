//! Inicio: a signed-in person's communities and where to go next; a short welcome otherwise.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use tejido_db::communities::CommunitySummary;

use crate::error::AppResult;
use crate::routes::{self as route, Level, Route};
use crate::views::html;
use crate::{AppState, Ctx};

/// The capability's pages.
pub fn routes() -> Vec<Route> {
    vec![route::get("/", Level::Public, home)]
}

#[derive(Template)]
#[template(path = "home/home.html")]
struct Home {
    c: Ctx,
    communities: Vec<CommunitySummary>,
    items: Vec<tejido_db::minutes::ActionItem>,
}

async fn home(State(s): State<AppState>, c: Ctx) -> AppResult<Response> {
    let (communities, items) = match c.user.as_ref().and_then(|u| u.person_id) {
        Some(pid) => (
            tejido_db::communities::of_person(&s.db, pid, 50).await?,
            tejido_db::minutes::open_items_for_person(&s.db, pid, 20).await?,
        ),
        None => (vec![], vec![]),
    };
    Ok(html(&Home {
        c,
        communities,
        items,
    }))
}
