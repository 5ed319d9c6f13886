//! The built single-page app: files from the static directory, `index.html` for every other
//! path (so deep links survive a reload), and caching that matches Trunk's file names.

use std::path::Path;

use axum::extract::Request;
use axum::http::header::{CACHE_CONTROL, VARY};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeader;

/// The paths the staff build answers (`dist/staff/`: sign-in, the score-sheet forms, the
/// awards page and administration); every other path is the public app, which readers download without the forms.
pub const STAFF_PATHS: [&str; 4] = ["/sign-in", "/sheets", "/awards", "/admin"];

const NO_CACHE: HeaderValue = HeaderValue::from_static("no-cache");
const IMMUTABLE: HeaderValue = HeaderValue::from_static("public, max-age=31536000, immutable");

pub fn service(dir: &Path) -> Router {
    let index = dir.join("index.html");
    if !index.is_file() {
        tracing::warn!(
            "{} not found: the web app is not built (run `trunk build --release`); the API still works",
            index.display()
        );
        return Router::new().fallback(not_built);
    }
    // The fallback marks itself no-cache, so a deep link (or a stale hashed name) never gets
    // index.html cached as if it were an immutable asset.
    let index = SetResponseHeader::overriding(
        ServeFile::new(index).precompressed_br().precompressed_gzip(),
        CACHE_CONTROL,
        NO_CACHE,
    );
    let files = ServeDir::new(dir).precompressed_br().precompressed_gzip().fallback(index);
    let mut router = Router::new();
    let staff_index = dir.join("staff").join("index.html");
    if staff_index.is_file() {
        let staff = SetResponseHeader::overriding(
            ServeFile::new(staff_index).precompressed_br().precompressed_gzip(),
            CACHE_CONTROL,
            NO_CACHE,
        );
        for path in STAFF_PATHS {
            router =
                router.route_service(path, staff.clone()).route_service(&format!("{path}/{{*rest}}"), staff.clone());
        }
    } else {
        tracing::warn!("{} not found: sign-in and the score sheets are not built", staff_index.display());
    }
    router.fallback_service(files).layer(middleware::from_fn(cache_control))
}

async fn not_built() -> Response {
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [(CACHE_CONTROL, NO_CACHE)],
        "The web app is not built yet: run `trunk build --release` and restart the server. The API at /api/ works.\n",
    )
        .into_response()
}

/// Hashed names never change content, so they are cached for a year; everything else,
/// index.html first of all, is revalidated so a new release is seen at once.
async fn cache_control(request: Request, next: Next) -> Response {
    let hashed = is_hashed_asset(request.uri().path());
    let mut response = next.run(request).await;
    let status = response.status();
    let headers = response.headers_mut();
    if !headers.contains_key(CACHE_CONTROL) {
        let cacheable = hashed && (status.is_success() || status == StatusCode::NOT_MODIFIED);
        headers.insert(CACHE_CONTROL, if cacheable { IMMUTABLE } else { NO_CACHE });
    }
    // The same URL answers a .br, a .gz or the plain file depending on Accept-Encoding; a
    // shared cache must key on it. (The compression layer only says so when it compresses.)
    if !headers.get_all(VARY).iter().any(|v| v.as_bytes().eq_ignore_ascii_case(b"accept-encoding")) {
        headers.append(VARY, HeaderValue::from_static("accept-encoding"));
    }
    response
}

/// Trunk's output names: `thidua-3f2a9c0b1d2e4f56.js`, `thidua-3f2a9c0b1d2e4f56_bg.wasm`,
/// `main-e5108081ec09749.css` — a `-` and the hex of a u64 before the extension. Trunk drops
/// leading zeros, so a hash may be shorter than 16 digits; under 10 is too likely to be a
/// plain word and stays uncached (the safe side).
fn is_hashed_asset(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    let Some((stem, _extension)) = name.rsplit_once('.') else { return false };
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    match stem.rsplit_once('-') {
        Some((base, hash)) => {
            !base.is_empty() && (10..=16).contains(&hash.len()) && hash.bytes().all(|b| b.is_ascii_hexdigit())
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::is_hashed_asset;

    #[test]
    fn recognises_trunk_names() {
        assert!(is_hashed_asset("/thidua-3f2a9c0b1d2e4f56.js"));
        assert!(is_hashed_asset("/thidua-3f2a9c0b1d2e4f56_bg.wasm"));
        assert!(is_hashed_asset("/style-0123456789abcdef.css"));
        assert!(is_hashed_asset("/assets/a-b-0123456789ABCDEF.css"));
        assert!(!is_hashed_asset("/index.html"));
        assert!(!is_hashed_asset("/"));
        assert!(!is_hashed_asset("/2018/blocs/1/results"));
        assert!(is_hashed_asset("/main-e5108081ec09749.css"), "15 digits: a leading zero dropped");
        assert!(!is_hashed_asset("/app-1.js"), "too short for a hash");
        assert!(!is_hashed_asset("/thidua-3f2a9c0b1d2e4f56a.js"), "17 digits");
        assert!(!is_hashed_asset("/thidua-3f2a9c0b1d2e4f5g.js"), "not hex");
        assert!(!is_hashed_asset("/-3f2a9c0b1d2e4f56.js"), "no name before the hash");
        assert!(!is_hashed_asset("/thidua-3f2a9c0b1d2e4f56"), "no extension");
    }
}
