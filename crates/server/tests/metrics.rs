//! Prometheus metrics: off the public listener unless a token is configured, on a listener of
//! their own when asked; a request to a known route moves its counter and its histogram; the
//! sign-in failures and the caches are counted. The recorder is one per process, shared by the
//! tests of this file that run at once, so every check compares a value before and after.

mod common;

use common::{TestServer, Who};
use reqwest::header::AUTHORIZATION;
use reqwest::{Method, StatusCode};
use thidua_domain::error::ApiErrorBody;

const TOKEN: &str = "metrics-token-0123456789";

/// The value of the sample `name{labels}` (labels exactly as rendered), 0 when absent.
fn sample(text: &str, series: &str) -> f64 {
    text.lines()
        .filter(|line| !line.starts_with('#'))
        .find_map(|line| line.strip_prefix(series).and_then(|rest| rest.strip_prefix(' ')))
        .map_or(0.0, |value| value.trim().parse().unwrap())
}

async fn scrape(client: &reqwest::Client, url: &str, token: Option<&str>) -> reqwest::Response {
    let mut request = client.get(url);
    if let Some(token) = token {
        request = request.header(AUTHORIZATION, format!("Bearer {token}"));
    }
    request.send().await.unwrap()
}

#[tokio::test]
async fn metrics_are_not_on_the_public_listener_unless_configured() {
    let s = TestServer::start().await;
    for token in [None, Some(TOKEN)] {
        let answer = scrape(&s.client, &format!("{}/metrics", s.base), token).await;
        assert_eq!(answer.status(), StatusCode::NOT_FOUND);
        assert_eq!(answer.json::<ApiErrorBody>().await.unwrap().code, "not_found");
    }

    let guarded = TestServer::start_with(|c| c.metrics_token = Some(TOKEN.to_owned())).await;
    let url = format!("{}/metrics", guarded.base);
    for wrong in [None, Some("metrics-token-0123456780"), Some(""), Some("metrics-token")] {
        let answer = scrape(&guarded.client, &url, wrong).await;
        assert_eq!(answer.status(), StatusCode::UNAUTHORIZED, "{wrong:?}");
        assert_eq!(answer.headers()["www-authenticate"], "Bearer realm=\"metrics\"");
        let body = answer.text().await.unwrap();
        assert!(!body.contains("thidua_http_requests_total"), "{wrong:?}: {body}");
    }
    let answer = scrape(&guarded.client, &url, Some(TOKEN)).await;
    assert_eq!(answer.status(), StatusCode::OK);
    assert!(answer.headers()["content-type"].to_str().unwrap().starts_with("text/plain; version=0.0.4"));
}

#[tokio::test]
async fn a_request_moves_its_routes_counter_and_histogram() {
    let s = TestServer::start_with(|c| c.metrics_addr = Some(([127, 0, 0, 1], 0).into())).await;
    let metrics = format!("{}/metrics", s.metrics_base.as_ref().expect("a metrics listener"));
    // The metrics listener serves nothing else.
    let other = s.client.get(metrics.replace("/metrics", "/api/years")).send().await.unwrap();
    assert_eq!(other.status(), StatusCode::NOT_FOUND);

    let route = r#"{method="GET",route="/api/years/{year}/blocs",status="200"}"#;
    let counter = format!("thidua_http_requests_total{route}");
    let count = r#"thidua_http_request_duration_seconds_count{method="GET",route="/api/years/{year}/blocs"}"#;
    let bucket =
        r#"thidua_http_request_duration_seconds_bucket{method="GET",route="/api/years/{year}/blocs",le="+Inf"}"#;
    let before = scrape(&s.client, &metrics, None).await.text().await.unwrap();
    for year in [2018, 2019, 2018] {
        let answer = s.send(&Who::anonymous(), Method::GET, &format!("/api/years/{year}/blocs"), None).await;
        assert_eq!(answer.status(), StatusCode::OK);
    }
    // A path no client can turn into a new series: the route template, not the path.
    let missing = s.send(&Who::anonymous(), Method::GET, "/api/no-such-thing/12345", None).await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    let after = scrape(&s.client, &metrics, None).await.text().await.unwrap();
    assert!(sample(&after, &counter) >= sample(&before, &counter) + 3.0, "{after}");
    assert!(sample(&after, count) >= sample(&before, count) + 3.0, "{after}");
    assert!(sample(&after, bucket) >= sample(&before, bucket) + 3.0, "{after}");
    assert!(after.contains(r#"le="0.005""#), "histogram buckets, not a summary: {after}");
    assert!(!after.contains("12345"), "no series per path");
    assert!(after.contains(r#"route="/api/{*rest}",status="404""#), "{after}");

    // The pool, read at each scrape.
    assert!(after.contains("thidua_db_pool_max_connections "), "{after}");
    assert!(after.contains(r#"thidua_db_pool_connections{state="idle"}"#), "{after}");
    assert!(after.contains(r#"thidua_db_pool_connections{state="in_use"}"#), "{after}");
}

#[tokio::test]
async fn sign_in_failures_lockouts_and_cache_lookups_are_counted() {
    let s = TestServer::start_with(|c| c.metrics_token = Some(TOKEN.to_owned())).await;
    let url = format!("{}/metrics", s.base);
    let read = || async { scrape(&s.client, &url, Some(TOKEN)).await.text().await.unwrap() };
    let before = read().await;
    for _ in 0..6 {
        s.login_response("yte", "not the password").await;
    }
    let after = read().await;
    let failures = sample(&after, "thidua_sign_in_failures_total") - sample(&before, "thidua_sign_in_failures_total");
    let lockouts = sample(&after, "thidua_sign_in_lockouts_total") - sample(&before, "thidua_sign_in_lockouts_total");
    assert!(failures >= 5.0 && lockouts >= 1.0, "failures {failures}, lock-outs {lockouts}");

    // The published 2018 results: the first read looks its revision up, the next is a hit.
    let blocs: Vec<thidua_domain::model::BlocSummary> =
        s.ok(&Who::anonymous(), Method::GET, "/api/years/2018/blocs", None).await;
    let results = format!("/api/years/2018/blocs/{}/results", blocs[0].id);
    let hits = r#"thidua_cache_lookups_total{cache="revisions",result="hit"}"#;
    let before = read().await;
    for _ in 0..3 {
        assert_eq!(s.send(&Who::anonymous(), Method::GET, &results, None).await.status(), StatusCode::OK);
    }
    let after = read().await;
    assert!(sample(&after, hits) >= sample(&before, hits) + 1.0, "{after}");
}
