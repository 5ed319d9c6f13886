//! The built single-page app: files from the static directory, `index.html` for every other
//! path (so deep links survive a reload), and caching that matches Trunk's file names.
//!
//! Every file is read into memory when the server starts (with its `.br` and `.gz` twins and
//! an `ETag`): a request is a map lookup, never a disk read. A new build is a restart, as it
//! was already (the page's CSP is computed from `index.html` at start).

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::header::{ACCEPT_ENCODING, ALLOW, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_TYPE, ETAG, VARY};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;

use super::etag;

/// The paths the staff build answers (`dist/staff/`: sign-in, the score-sheet forms, the
/// awards page and administration, the delegates' voting page and the Council's list); every
/// other path is the public app, which readers download without the forms.
pub const STAFF_PATHS: [&str; 6] = ["/sign-in", "/sheets", "/awards", "/admin", "/vote", "/council"];

const NO_CACHE: HeaderValue = HeaderValue::from_static("no-cache");
const IMMUTABLE: HeaderValue = HeaderValue::from_static("public, max-age=31536000, immutable");

/// One file of the build, as stored and as its precompressed twins.
struct Asset {
    content_type: HeaderValue,
    etag: HeaderValue,
    plain: Bytes,
    br: Option<Bytes>,
    gzip: Option<Bytes>,
}

/// The whole build, by URL path (`/index.html`, `/staff/thidua-….js`).
struct Files {
    assets: HashMap<String, Asset>,
    /// The public pages are rendered here (from this API, into this shell) unless the build's
    /// `index.html` sends the app to another backend: then its data is not ours to render.
    pages: Option<super::pages::Pages>,
}

fn read_dir(dir: &Path, prefix: &str, assets: &mut HashMap<String, Asset>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()).map(str::to_owned) else { continue };
        if entry.file_type()?.is_dir() {
            read_dir(&path, &format!("{prefix}{name}/"), assets)?;
            continue;
        }
        if name.ends_with(".br") || name.ends_with(".gz") {
            continue;
        }
        let plain = std::fs::read(&path)?;
        let twin = |ext: &str| std::fs::read(dir.join(format!("{name}.{ext}"))).ok().map(Bytes::from);
        let etag = etag::of(&plain);
        let mime = mime_guess::from_path(&path).first_or_octet_stream();
        let text = mime.type_() == mime_guess::mime::TEXT || mime.subtype() == mime_guess::mime::JAVASCRIPT;
        let content_type = if text { format!("{mime}; charset=utf-8") } else { mime.to_string() };
        assets.insert(
            format!("{prefix}{name}"),
            Asset {
                content_type: HeaderValue::try_from(content_type)
                    .unwrap_or(HeaderValue::from_static("application/octet-stream")),
                etag,
                plain: Bytes::from(plain),
                br: twin("br"),
                gzip: twin("gz"),
            },
        );
    }
    Ok(())
}

pub fn service(dir: &Path, api: Router, revisions: Arc<super::revision_cache::RevisionCache>) -> Router {
    let index = dir.join("index.html");
    if !index.is_file() {
        tracing::warn!(
            "{} not found: the web app is not built (run `trunk build --release`); the API still works",
            index.display()
        );
        return Router::new().fallback(not_built);
    }
    let mut assets = HashMap::new();
    if let Err(e) = read_dir(dir, "/", &mut assets) {
        tracing::warn!(error = %e, "cannot read the web app from {}", dir.display());
        return Router::new().fallback(not_built);
    }
    if !assets.contains_key("/staff/index.html") {
        tracing::warn!(
            "{} not found: sign-in and the score sheets are not built",
            dir.join("staff/index.html").display()
        );
    }
    let pages = match std::fs::read_to_string(&index) {
        Ok(html) if matches!(super::guard::api_base_origin(&html), Ok(None)) => {
            let shell = super::pages::Shell::new(&html);
            if shell.is_none() {
                tracing::warn!("{}: no <html lang>, <title> or <body>: pages are sent unrendered", index.display());
            }
            shell.map(|shell| super::pages::Pages::new(api, shell, revisions))
        }
        _ => None,
    };
    let files = Arc::new(Files { assets, pages });
    Router::new().fallback(serve).with_state(files).layer(middleware::from_fn(cache_control))
}

/// Whether the client takes `coding` (`br`, `gzip`): named in `Accept-Encoding`, not `q=0`.
fn accepts(headers: &HeaderMap, coding: &str) -> bool {
    headers.get_all(ACCEPT_ENCODING).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(',')).any(|item| {
        let mut parts = item.split(';');
        let name = parts.next().unwrap_or_default().trim();
        let refused = parts.any(|p| matches!(p.trim(), "q=0" | "q=0.0" | "q=0.00" | "q=0.000"));
        name.eq_ignore_ascii_case(coding) && !refused
    })
}

/// The staff build's index for its paths, a file of the build by its path, and the public
/// index for every other path (a deep link).
async fn serve(State(files): State<Arc<Files>>, request: Request) -> Response {
    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        return (StatusCode::METHOD_NOT_ALLOWED, [(ALLOW, HeaderValue::from_static("GET, HEAD"))]).into_response();
    }
    let path = request.uri().path();
    let staff =
        STAFF_PATHS.iter().any(|p| path == *p || path.strip_prefix(p).is_some_and(|rest| rest.starts_with('/')));
    let (asset, fallback) = match (staff, files.assets.get(path)) {
        (true, _) => (files.assets.get("/staff/index.html").or_else(|| files.assets.get("/index.html")), true),
        (false, Some(asset)) => (Some(asset), false),
        (false, _) => {
            let dir_index =
                (path.ends_with('/') && path != "/").then(|| files.assets.get(&format!("{path}index.html"))).flatten();
            match (dir_index, &files.pages) {
                (Some(asset), _) => (Some(asset), false),
                // A public page: rendered, with its content.
                (None, Some(pages)) => {
                    let (uri, headers) = (request.uri().clone(), request.headers().clone());
                    drop(request);
                    if let Some(page) = pages.page(&uri, &headers).await {
                        return page;
                    }
                    return send(files.assets.get("/index.html"), true, &headers).await;
                }
                (None, None) => (files.assets.get("/index.html"), true),
            }
        }
    };
    send(asset, fallback, request.headers()).await
}

/// One file of the build (`fallback`: index.html for a path that is not a file: never cached).
async fn send(asset: Option<&Asset>, fallback: bool, headers: &HeaderMap) -> Response {
    let Some(asset) = asset else { return not_built().await };
    let mut response = if etag::not_modified(headers, &asset.etag) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let (body, coding) = match (&asset.br, &asset.gzip) {
            (Some(br), _) if accepts(headers, "br") => (br.clone(), Some("br")),
            (_, Some(gz)) if accepts(headers, "gzip") => (gz.clone(), Some("gzip")),
            _ => (asset.plain.clone(), None),
        };
        let mut response = Body::from(body).into_response();
        let h = response.headers_mut();
        h.insert(CONTENT_TYPE, asset.content_type.clone());
        if let Some(coding) = coding {
            h.insert(CONTENT_ENCODING, HeaderValue::from_static(coding));
        }
        response
    };
    let h = response.headers_mut();
    h.insert(ETAG, asset.etag.clone());
    // A deep link (or a stale hashed name) never gets index.html cached as if it were an
    // immutable asset.
    if fallback {
        h.insert(CACHE_CONTROL, NO_CACHE);
    }
    response
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
