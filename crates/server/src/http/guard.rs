//! What every answer carries for the browser's safety, and the limits every request meets:
//! the pages' Content-Security-Policy (built from the SPA's own `index.html` files), the
//! framing, referrer and HSTS headers, CORS kept off private answers, the request timeout,
//! and a readable 413 for a body over the limit.

use std::path::Path;
use std::time::Duration;

use axum::body::Body;
use axum::body::HttpBody as _;
use axum::extract::{Request, State};
use axum::http::header::{
    ACCESS_CONTROL_ALLOW_CREDENTIALS, ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS,
    ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_EXPOSE_HEADERS, ACCESS_CONTROL_MAX_AGE, CACHE_CONTROL, CONNECTION,
    CONTENT_LENGTH, CONTENT_TYPE, EXPECT, HOST, ORIGIN, REFERRER_POLICY, STRICT_TRANSPORT_SECURITY, X_FRAME_OPTIONS,
};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use http_body_util::BodyExt;
use sha2::{Digest, Sha256};

use super::error::{Error, BODY_LIMIT};
use super::state::AppState;

/// The policy of the API's answers: JSON loads nothing, so nothing may load in its name.
pub const API_CSP: HeaderValue = HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'");

/// The Content-Security-Policy of the SPA's pages: only the app's own files, the inline
/// module loader Trunk writes into each `index.html` by its hash, WebAssembly
/// (`'wasm-unsafe-eval'`), no inline script or style otherwise, the API at the page's origin
/// or at the one `<meta name="thidua-api-base">` names, and never inside a frame.
pub fn page_csp(static_dir: &Path) -> HeaderValue {
    let mut hashes = Vec::new();
    let mut connect = vec!["'self'".to_owned()];
    for index in [static_dir.join("index.html"), static_dir.join("staff").join("index.html")] {
        let Ok(html) = std::fs::read_to_string(&index) else { continue };
        for script in inline_scripts(&html) {
            let hash = format!("'sha256-{}'", STANDARD.encode(Sha256::digest(script.as_bytes())));
            if !hashes.contains(&hash) {
                hashes.push(hash);
            }
        }
        match api_base_origin(&html) {
            Ok(Some(origin)) if !connect.contains(&origin) => connect.push(origin),
            Ok(_) => {}
            Err(content) => tracing::warn!(
                "{}: the thidua-api-base {content:?} is not an http(s) origin; the pages may only call their own",
                index.display()
            ),
        }
    }
    let policy = format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{}; style-src 'self'; img-src 'self' data:; \
         connect-src {}; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
        hashes.iter().map(|h| format!(" {h}")).collect::<String>(),
        connect.join(" "),
    );
    // Hashes are base64 and origins were checked to be plain ASCII: always a valid value.
    HeaderValue::from_str(&policy).unwrap_or(API_CSP)
}

/// The text of every `<script>` without a `src` in `html`, exactly as the browser hashes it.
fn inline_scripts(html: &str) -> Vec<&str> {
    let lower = html.to_ascii_lowercase();
    let mut scripts = Vec::new();
    let mut from = 0;
    while let Some(start) = lower[from..].find("<script").map(|i| from + i) {
        let Some(open_end) = lower[start..].find('>').map(|i| start + i + 1) else { break };
        let Some(close) = lower[open_end..].find("</script").map(|i| open_end + i) else { break };
        if !lower[start..open_end].contains(" src=") {
            scripts.push(&html[open_end..close]);
        }
        from = close;
    }
    scripts
}

/// The origin of a non-empty `<meta name="thidua-api-base" content="…">`, or the content
/// when it is not one.
pub(super) fn api_base_origin(html: &str) -> Result<Option<String>, String> {
    let Some(at) = html.find("name=\"thidua-api-base\"") else { return Ok(None) };
    let tag = &html[at..at + html[at..].find('>').unwrap_or(0)];
    let content = tag.split_once("content=\"").and_then(|(_, rest)| rest.split_once('"')).map_or("", |(c, _)| c);
    let content = content.trim();
    if content.is_empty() {
        return Ok(None);
    }
    let origin = ["https://", "http://"].iter().find_map(|scheme| {
        let rest = content.strip_prefix(scheme)?;
        let host = rest.split('/').next().unwrap_or_default();
        let plain = !host.is_empty() && host.bytes().all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b));
        plain.then(|| format!("{scheme}{host}"))
    });
    origin.map(Some).ok_or_else(|| content.to_owned())
}

/// What a page of this site may use: nothing of the device's that it does not need (the
/// camera of a phone's file picker is the picker's, not the page's).
const PERMISSIONS_POLICY: HeaderValue = HeaderValue::from_static(
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), display-capture=()",
);

/// Headers for every answer: no framing by other sites, no referrer to them, and HSTS when
/// the request came over HTTPS (a trusted proxy says so; over plain HTTP browsers ignore it).
/// Pages also get their own browsing context group (`Cross-Origin-Opener-Policy`) and a
/// `Permissions-Policy`.
pub async fn browser_headers(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let https = super::auth::over_https(request.headers(), state.trust_proxy);
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    if https {
        headers.insert(STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000"));
    }
    let html = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("text/html"));
    if html {
        headers.insert(HeaderName::from_static("cross-origin-opener-policy"), HeaderValue::from_static("same-origin"));
        headers.insert(HeaderName::from_static("permissions-policy"), PERMISSIONS_POLICY);
    }
    response
}

/// Defence in depth beside `SameSite=Strict`: a request that may change something (any method
/// but GET, HEAD and OPTIONS) whose `Origin` is present and is not this site's own is refused
/// with 403 `cross_origin` before any handler runs. This site is the `Host` the request was
/// sent to (a proxy in front passes it on); the scheme is not compared, since behind a proxy
/// that ends TLS this server cannot always know it. Clients that send no `Origin` (curl,
/// another backend's tools) are not affected.
pub async fn same_origin_writes(request: Request, next: Next) -> Response {
    let safe = matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if !safe {
        if let Some(origin) = request.headers().get(ORIGIN) {
            let host = request.headers().get(HOST).and_then(|v| v.to_str().ok());
            if !same_site_origin(origin.to_str().ok(), host) {
                return Error::CrossOrigin.into_response();
            }
        }
    }
    next.run(request).await
}

/// `origin` (an `Origin` header) names `host` (a `Host` header): `http(s)://` and then exactly
/// that authority, compared without regard to case. `null` and anything malformed are not.
fn same_site_origin(origin: Option<&str>, host: Option<&str>) -> bool {
    let (Some(origin), Some(host)) = (origin, host) else { return false };
    let authority = origin.strip_prefix("https://").or_else(|| origin.strip_prefix("http://"));
    authority.is_some_and(|a| !a.is_empty() && a.eq_ignore_ascii_case(host))
}

/// Only public reads cross origins: an answer that is not a GET or HEAD, or is private
/// (`Cache-Control: no-store`: a staff preview, anything signed in), loses the CORS headers.
pub async fn cors_on_public_reads_only(request: Request, next: Next) -> Response {
    let read = matches!(*request.method(), Method::GET | Method::HEAD);
    let mut response = next.run(request).await;
    if !read || is_private(response.headers()) {
        let headers = response.headers_mut();
        for name in [
            ACCESS_CONTROL_ALLOW_ORIGIN,
            ACCESS_CONTROL_ALLOW_CREDENTIALS,
            ACCESS_CONTROL_ALLOW_METHODS,
            ACCESS_CONTROL_ALLOW_HEADERS,
            ACCESS_CONTROL_EXPOSE_HEADERS,
            ACCESS_CONTROL_MAX_AGE,
        ] {
            headers.remove(name);
        }
    }
    response
}

fn is_private(headers: &HeaderMap) -> bool {
    headers.get_all(CACHE_CONTROL).iter().any(|v| v.to_str().is_ok_and(|v| v.contains("no-store")))
}

/// Every request is answered within the configured time, or with 408 `request_timeout`.
pub async fn request_timeout(State(state): State<AppState>, request: Request, next: Next) -> Response {
    // An upload's bytes take as long as the link needs; it ends itself when the client stalls.
    if is_upload_bytes(&request) {
        return next.run(request).await;
    }
    match tokio::time::timeout(state.request_timeout, next.run(request)).await {
        Ok(response) => response,
        Err(_) => Error::RequestTimeout.into_response(),
    }
}

/// A tus PATCH: the one request whose body may be large and slow.
fn is_upload_bytes(request: &Request) -> bool {
    request.method() == Method::PATCH && request.uri().path().starts_with("/api/uploads/")
}

/// The most of a too-large body read (and dropped) so that its sender sees the 413.
const DRAIN_LIMIT: u64 = 16 * 1024 * 1024;
/// How long that reading may take.
const DRAIN_TIME: Duration = Duration::from_secs(10);

/// A body over the limit is refused with a 413 the client can read: the rest of the body
/// is read and dropped first (up to a bound), because closing a connection with unread data
/// makes the kernel reset it, and the client then loses the answer. A body declared larger
/// (`Content-Length`) is refused before anything reads it, and a client that waits for
/// `100 Continue` never sends it. A body of unknown length (chunked) is read here up to the
/// limit, so that one that goes over is caught the same way.
pub async fn refuse_large_bodies(request: Request, next: Next) -> Response {
    // An upload's bytes are streamed to the database chunk by chunk, within the upload's own
    // declared length (`uploads.rs`).
    if is_upload_bytes(&request) {
        return next.run(request).await;
    }
    let declared = request.headers().get(CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    match declared {
        Some(length) if length > BODY_LIMIT as u64 => {
            let waits_for_continue =
                request.headers().get(EXPECT).is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"100-continue"));
            if length <= DRAIN_LIMIT && !waits_for_continue {
                let _ = tokio::time::timeout(DRAIN_TIME, drain(request.into_body())).await;
            }
            too_large()
        }
        Some(_) => next.run(request).await,
        None if request.body().size_hint().exact() == Some(0) => next.run(request).await,
        None => {
            let (parts, mut body) = request.into_parts();
            let mut buffer = Vec::new();
            while let Some(frame) = body.frame().await {
                let Ok(frame) = frame else {
                    return Error::BadRequest("the request body could not be read".to_owned()).into_response();
                };
                if let Some(data) = frame.data_ref() {
                    if buffer.len() + data.len() > BODY_LIMIT {
                        let _ = tokio::time::timeout(DRAIN_TIME, drain(body)).await;
                        return too_large();
                    }
                    buffer.extend_from_slice(data);
                }
            }
            next.run(Request::from_parts(parts, Body::from(buffer))).await
        }
    }
}

/// 413, and the connection closed after it.
fn too_large() -> Response {
    let mut response = Error::PayloadTooLarge.into_response();
    response.headers_mut().insert(CONNECTION, HeaderValue::from_static("close"));
    response
}

/// Reads and drops what is left of `body`, at most `DRAIN_LIMIT` bytes of it.
async fn drain(mut body: Body) {
    let mut read = 0u64;
    while let Some(Ok(frame)) = body.frame().await {
        read += frame.data_ref().map_or(0, |d| d.len() as u64);
        if read > DRAIN_LIMIT {
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TRUNK_INDEX: &str = r#"<!DOCTYPE html><html><head>
<link rel="modulepreload" href="/thidua-1a2b3c4d5e6f7a8b.js" crossorigin="anonymous" integrity="sha384-x">
<meta name="thidua-api-base" content="" />
<script type="module">
import init, * as bindings from '/thidua-1a2b3c4d5e6f7a8b.js';
const wasm = await init({ module_or_path: '/thidua-1a2b3c4d5e6f7a8b_bg.wasm' });
</script><script src="/other.js"></script></head><body></body></html>"#;

    #[test]
    fn finds_the_inline_scripts_only() {
        let scripts = inline_scripts(TRUNK_INDEX);
        assert_eq!(scripts.len(), 1);
        assert!(scripts[0].starts_with("\nimport init") && scripts[0].ends_with("_bg.wasm' });\n"));
        assert!(inline_scripts("<p>no scripts</p>").is_empty());
        assert_eq!(inline_scripts("<SCRIPT>a()</SCRIPT><script>b()</script>"), ["a()", "b()"]);
    }

    #[test]
    fn the_page_policy_names_each_inline_script_by_hash() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("index.html"), TRUNK_INDEX).unwrap();
        std::fs::create_dir(dir.path().join("staff")).unwrap();
        let staff = TRUNK_INDEX
            .replace("/thidua-", "/staff/thidua-")
            .replace(r#"content="""#, r#"content="https://api.example.gov.vn/thidua""#);
        std::fs::write(dir.path().join("staff").join("index.html"), staff.as_bytes()).unwrap();
        let csp = page_csp(dir.path());
        let csp = csp.to_str().unwrap();
        let hash = |s: &str| format!("'sha256-{}'", STANDARD.encode(Sha256::digest(s.as_bytes())));
        assert!(csp.contains(&hash(inline_scripts(TRUNK_INDEX)[0])), "{csp}");
        assert!(csp.contains(&hash(inline_scripts(&staff)[0])), "{csp}");
        assert!(csp.contains("script-src 'self' 'wasm-unsafe-eval' 'sha256-"), "{csp}");
        assert!(!csp.contains("unsafe-inline"), "{csp}");
        assert!(csp.contains("connect-src 'self' https://api.example.gov.vn;"), "{csp}");
        assert!(csp.ends_with("frame-ancestors 'none'"), "{csp}");
    }

    #[test]
    fn only_this_sites_origin_may_write() {
        let host = Some("thidua.example.gov.vn");
        assert!(same_site_origin(Some("https://thidua.example.gov.vn"), host));
        assert!(same_site_origin(Some("http://THIDUA.example.gov.vn"), host));
        assert!(same_site_origin(Some("http://127.0.0.1:8080"), Some("127.0.0.1:8080")));
        for other in [
            "https://evil.example",
            "https://thidua.example.gov.vn.evil.example",
            "https://thidua.example.gov.vn:8443",
            "null",
            "thidua.example.gov.vn",
            "https://",
            "file://thidua.example.gov.vn",
        ] {
            assert!(!same_site_origin(Some(other), host), "{other}");
        }
        assert!(!same_site_origin(Some("http://127.0.0.1:8080"), None));
        assert!(!same_site_origin(None, host));
    }

    #[test]
    fn api_bases() {
        let meta = |c: &str| format!(r#"<meta name="thidua-api-base" content="{c}" />"#);
        assert_eq!(api_base_origin(&meta("")), Ok(None));
        assert_eq!(api_base_origin("<p>none</p>"), Ok(None));
        assert_eq!(api_base_origin(&meta("http://127.0.0.1:9000/")), Ok(Some("http://127.0.0.1:9000".into())));
        assert!(api_base_origin(&meta("javascript:alert(1)")).is_err());
        assert!(api_base_origin(&meta("https://a.example; script-src *")).is_err());
    }
}
