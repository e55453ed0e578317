//! Prometheus metrics for this process: request counts by route and status class, a latency
//! histogram, and (read at scrape time) the outbox backlog. Each `tejido serve` process reports
//! its own counters; Prometheus sums them.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;

use crate::AppState;

const BUCKETS: [f64; 10] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0];

#[derive(Default)]
pub struct Metrics {
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    requests: HashMap<(String, String, u16), u64>,
    buckets: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

impl Metrics {
    pub fn observe(&self, method: &str, route: &str, status: u16, secs: f64) {
        let Ok(mut m) = self.inner.lock() else { return };
        *m.requests
            .entry((method.to_owned(), route.to_owned(), status / 100))
            .or_default() += 1;
        for (i, b) in BUCKETS.iter().enumerate() {
            if secs <= *b {
                m.buckets[i] += 1;
            }
        }
        m.count += 1;
        m.sum += secs;
    }

    /// The Prometheus text exposition of this process's counters plus `extra` gauges.
    pub fn render(&self, outbox_backlog: i64) -> String {
        let Ok(m) = self.inner.lock() else {
            return String::new();
        };
        let mut s = String::new();
        s.push_str(
            "# HELP tejido_http_requests_total HTTP requests by method, route and status class.\n",
        );
        s.push_str("# TYPE tejido_http_requests_total counter\n");
        let mut rows: Vec<_> = m.requests.iter().collect();
        rows.sort();
        for ((method, route, class), n) in rows {
            s.push_str(&format!("tejido_http_requests_total{{method=\"{method}\",route=\"{route}\",status=\"{class}xx\"}} {n}\n"));
        }
        s.push_str("# HELP tejido_http_request_duration_seconds Request latency.\n");
        s.push_str("# TYPE tejido_http_request_duration_seconds histogram\n");
        for (i, b) in BUCKETS.iter().enumerate() {
            s.push_str(&format!(
                "tejido_http_request_duration_seconds_bucket{{le=\"{b}\"}} {}\n",
                m.buckets[i]
            ));
        }
        s.push_str(&format!(
            "tejido_http_request_duration_seconds_bucket{{le=\"+Inf\"}} {}\n",
            m.count
        ));
        s.push_str(&format!(
            "tejido_http_request_duration_seconds_sum {}\n",
            m.sum
        ));
        s.push_str(&format!(
            "tejido_http_request_duration_seconds_count {}\n",
            m.count
        ));
        s.push_str("# HELP tejido_outbox_backlog E-mails waiting to be sent.\n# TYPE tejido_outbox_backlog gauge\n");
        s.push_str(&format!("tejido_outbox_backlog {outbox_backlog}\n"));
        s
    }
}

pub async fn middleware(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = req.method().as_str().to_owned();
    // The route template, never the raw path: ids and tokens stay out of metrics.
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "unmatched".into());
    let resp = next.run(req).await;
    state.metrics.observe(
        &method,
        &route,
        resp.status().as_u16(),
        start.elapsed().as_secs_f64(),
    );
    resp
}
