//! Prometheus metrics: requests by route template and status, their latency, the database
//! pool, sign-in failures and lock-outs, and the caches' hits and misses. Recorded through
//! the `metrics` facade and rendered by `metrics-exporter-prometheus` (without its own HTTP
//! listener: the server answers `/metrics` itself, on a listener of its own or behind a token).
//!
//! Names (all prefixed `thidua_`):
//! - `http_requests_total{method, route, status}`: counter; `method` the standard ones by
//!   name, any other `other`; `route` is the matched route
//!   template (`/api/years/{year}/blocs`), `page` for the SPA's paths, `other` for the rest,
//!   so that no client can create series by inventing paths.
//! - `http_request_duration_seconds{method, route}`: histogram.
//! - `db_pool_connections{state="idle"|"in_use"}`, `db_pool_max_connections`: gauges, read at
//!   each scrape.
//! - `sign_in_failures_total`, `sign_in_lockouts_total` (answered 429): counters.
//! - `cache_lookups_total{cache="revisions"|"pages", result="hit"|"miss"}`: counters.

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Request, State};
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use sha2::{Digest, Sha256};

use crate::db::Db;

/// Latency buckets, seconds: from a cached answer (a few hundred µs) to the request timeout.
const BUCKETS: &[f64] = &[0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0];

/// The one recorder of this process (tests start many servers in one process: they share it,
/// as they would share any process-wide registry).
static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();

/// Installs the recorder once; `None` if another recorder was installed first.
pub fn handle() -> Option<&'static PrometheusHandle> {
    HANDLE
        .get_or_init(|| {
            let recorder = PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Full("thidua_http_request_duration_seconds".into()), BUCKETS)
                .ok()?
                .build_recorder();
            let handle = recorder.handle();
            metrics::set_global_recorder(recorder).ok()?;
            // Histograms are kept in per-thread buffers until drained; drain them now and then
            // so that memory stays flat between scrapes.
            let upkeep = handle.clone();
            std::thread::Builder::new()
                .name("metrics-upkeep".into())
                .spawn(move || loop {
                    std::thread::sleep(Duration::from_secs(5));
                    upkeep.run_upkeep();
                })
                .ok()?;
            Some(handle)
        })
        .as_ref()
}

/// Counts and times every request, by the route template it matched.
pub async fn track(request: Request, next: Next) -> Response {
    let started = Instant::now();
    // A client may send any method name: the known ones by name, the rest as one series.
    let method = match *request.method() {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    };
    let route = match request.extensions().get::<MatchedPath>() {
        Some(path) => path.as_str().to_owned(),
        None if request.uri().path().starts_with("/api/") => "other".to_owned(),
        None => "page".to_owned(),
    };
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    metrics::counter!("thidua_http_requests_total", "method" => method, "route" => route.clone(), "status" => status)
        .increment(1);
    metrics::histogram!("thidua_http_request_duration_seconds", "method" => method, "route" => route)
        .record(started.elapsed().as_secs_f64());
    response
}

pub fn sign_in_failed() {
    metrics::counter!("thidua_sign_in_failures_total").increment(1);
}

pub fn sign_in_locked_out() {
    metrics::counter!("thidua_sign_in_lockouts_total").increment(1);
}

/// A lookup in one of the server's caches (`revisions`, `pages`).
pub fn cache_lookup(cache: &'static str, hit: bool) {
    let result = if hit { "hit" } else { "miss" };
    metrics::counter!("thidua_cache_lookups_total", "cache" => cache, "result" => result).increment(1);
}

/// Who may read `/metrics`: anyone who reaches its own listener, or on the main listener only
/// a request with `Authorization: Bearer <token>`.
#[derive(Clone)]
pub struct Access {
    /// SHA-256 of the token, compared in constant time; `None` on the metrics listener.
    pub token_hash: Option<[u8; 32]>,
    pub db: Db,
}

impl Access {
    pub fn with_token(token: &str, db: Db) -> Access {
        Access { token_hash: Some(Sha256::digest(token.as_bytes()).into()), db }
    }

    fn allows(&self, headers: &HeaderMap) -> bool {
        let Some(expected) = self.token_hash else { return true };
        let given = headers.get(AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
        let Some(given) = given else { return false };
        let given: [u8; 32] = Sha256::digest(given.trim().as_bytes()).into();
        // Equal-length digests compared without an early exit.
        given.iter().zip(expected.iter()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
    }
}

/// `GET /metrics`: the Prometheus text format.
pub async fn scrape(State(access): State<Access>, headers: HeaderMap) -> Response {
    if !access.allows(&headers) {
        let mut response = crate::http::Error::Unauthenticated.into_response();
        response.headers_mut().insert("www-authenticate", HeaderValue::from_static("Bearer realm=\"metrics\""));
        return response;
    }
    let Some(handle) = handle() else {
        return crate::http::Error::Internal.into_response();
    };
    let size = access.db.size();
    let idle = u32::try_from(access.db.num_idle()).unwrap_or(u32::MAX).min(size);
    metrics::gauge!("thidua_db_pool_connections", "state" => "idle").set(f64::from(idle));
    metrics::gauge!("thidua_db_pool_connections", "state" => "in_use").set(f64::from(size - idle));
    metrics::gauge!("thidua_db_pool_max_connections").set(f64::from(access.db.options().get_max_connections()));
    let text = handle.render();
    (StatusCode::OK, [(CONTENT_TYPE, HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"))], text)
        .into_response()
}
