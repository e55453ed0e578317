//! The route registry: every route Tejido serves, as data — method, path and the access it
//! requires — from which the router is built and which the security tests read. A capability
//! lists its routes in `features/<capability>/mod.rs` (`routes()` for pages, `api_routes()` for
//! the JSON API under `/api/v1`); `features/mod.rs` tags each list with the capability's name.
//!
//! The access level says who gets past the route's guard at all; finer rules (the rapporteur of
//! these minutes, the author of this post, a record kept for members) are the record's own and
//! stay in the handler. The tests hold every level against what the route answers: a manager
//! route refuses a member, a member route admits one, a public route admits anyone.

use axum::handler::Handler;
use axum::http::Method;
use axum::routing::{self, MethodRouter};
use axum::Router;

use crate::AppState;

/// Who gets past a route's guard, from the widest audience to the narrowest.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// Anyone, signed in or not.
    Public,
    /// A signed-in account (or an API token).
    Account,
    /// An admin or a manager of any community: adds and edits directory entries and
    /// communities.
    DirectoryEditor,
    /// Whoever may see the community: its visibility decides, so a public one admits anyone.
    Viewer,
    /// A member of the community (a guest, where the record's rule admits guests).
    Member,
    /// The members and the community's funders: the funder-ready report, read-only.
    Funder,
    /// The holder of a role the record names: the rapporteur, the author, the poster, the
    /// owner of an action item, an attending organization's representative (managers and
    /// admins hold most of these too).
    RoleHolder,
    /// A manager of the community, or an admin.
    Manager,
    /// An instance admin.
    Admin,
}

impl Level {
    /// The level's name as the tests and the documentation spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Public => "public",
            Level::Account => "account",
            Level::DirectoryEditor => "directory-editor",
            Level::Viewer => "viewer",
            Level::Member => "member",
            Level::Funder => "funder",
            Level::RoleHolder => "role-holder",
            Level::Manager => "manager",
            Level::Admin => "admin",
        }
    }
}

/// One route: a method on a path, the access it requires and its handler.
pub struct Route {
    pub method: Method,
    pub path: &'static str,
    pub access: Level,
    /// The capability that declares it (set by `features/mod.rs`).
    pub feature: &'static str,
    handler: MethodRouter<AppState>,
}

/// A route's description without its handler, for the tests and the OpenAPI check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RouteInfo {
    pub method: Method,
    /// The full path (`/api/v1` included for the API).
    pub path: String,
    pub access: Level,
    pub feature: &'static str,
}

macro_rules! method {
    ($name:ident, $method:ident) => {
        #[doc = concat!("A `", stringify!($method), "` route.")]
        pub fn $name<H, T>(path: &'static str, access: Level, handler: H) -> Route
        where
            H: Handler<T, AppState>,
            T: 'static,
        {
            Route {
                method: Method::$method,
                path,
                access,
                feature: "",
                handler: routing::$name(handler),
            }
        }
    };
}

method!(get, GET);
method!(post, POST);
method!(put, PUT);
method!(patch, PATCH);
method!(delete, DELETE);

/// Tags each route with the capability that declares it.
pub fn tagged(feature: &'static str, mut routes: Vec<Route>) -> Vec<Route> {
    for r in &mut routes {
        r.feature = feature;
    }
    routes
}

/// The router for a list of routes (two routes on one path share it, one per method).
pub fn router(routes: Vec<Route>) -> Router<AppState> {
    routes
        .into_iter()
        .fold(Router::new(), |r, route| r.route(route.path, route.handler))
}

impl Route {
    /// The route's description, its path under `prefix` (`/api/v1` for the API).
    pub fn info(&self, prefix: &str) -> RouteInfo {
        RouteInfo {
            method: self.method.clone(),
            path: format!("{prefix}{}", self.path),
            access: self.access,
            feature: self.feature,
        }
    }
}
