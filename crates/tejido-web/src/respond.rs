//! JSON responses shared by every feature's API: a page of a list in one shape everywhere
//! (`items`, `page`, `per_page`, `total`, `pages`). HTML, CSV and redirects are in [`crate::views`].

use serde_json::{json, Value};
use tejido_core::page::Page;

/// A page whose items serialize as they are.
pub fn page_json<T: serde::Serialize>(p: &Page<T>) -> Value {
    shaped(p, json!(p.items))
}

/// A page whose items are written by `f`.
pub fn page_json_map<T>(p: &Page<T>, f: impl Fn(&T) -> Value) -> Value {
    shaped(p, Value::Array(p.items.iter().map(f).collect()))
}

/// A page with the items already written.
pub fn page_json_with<T>(p: &Page<T>, items: Vec<Value>) -> Value {
    shaped(p, Value::Array(items))
}

fn shaped<T>(p: &Page<T>, items: Value) -> Value {
    json!({ "items": items, "page": p.page, "per_page": p.per_page, "total": p.total, "pages": p.pages() })
}
