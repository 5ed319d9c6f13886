//! The public pages rendered here, with the SPA's own components (`thidua::prerender`): the
//! first answer to `/2018/blocs/1/results` already carries the results, in the reader's
//! language, and the API answers the page was rendered from, so the app in the browser takes
//! over without asking again. The answers come from this server's own API, called in
//! process as an anonymous reader: the page shows exactly what the public API shows (an
//! unpublished bloc-year's "not published", never a staff preview).
//!
//! A page is a function of its URL, its language and those answers, so a page rendered once
//! is kept with the answers it came from (`Pages::cache`). Until this server answers a write,
//! and for at most `LATEST_TTL` (the same second for which it trusts its memory of the latest
//! revision: another server on the same database may have written meanwhile), the kept page
//! is sent as it is; after that the API is asked again and, if every answer is the same, the
//! page is kept for another while without rendering.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::header::{ACCEPT, CACHE_CONTROL, CONTENT_TYPE, COOKIE, ETAG, SET_COOKIE, VARY};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Router;
use http_body_util::BodyExt;
use thidua::i18n::Locale;
use thidua::prefs::{locale_tag, requested_locale, LOCALE_COOKIE};
use thidua::preload::{Answer, SCRIPT_ID};
use tower::ServiceExt;

use super::etag;
use super::revision_cache::{RevisionCache, LATEST_TTL};

/// How many times a page is rendered at most: each rendering may ask for answers that the
/// one before did not know it needed (the home page: the years, then each year's blocs).
const MAX_PASSES: usize = 4;

/// How many rendered pages are kept (by URL and language). A full cache drops one page for
/// each new one: a crawler's many URLs cost renderings, never unbounded memory.
const KEPT_PAGES: usize = 512;

/// What renders the public pages: the API their data comes from, the shell they go into, and
/// the pages already rendered.
pub struct Pages {
    api: Router,
    shell: Shell,
    cache: Mutex<HashMap<(String, Locale), Kept>>,
    /// Counts this server's writes (`RevisionCache::writes`).
    revisions: Arc<RevisionCache>,
}

/// A rendered page, and when its answers were last found unchanged: at that instant, with
/// that many writes answered.
#[derive(Clone)]
struct Kept {
    page: Arc<Rendered>,
    checked: Instant,
    writes: u64,
}

/// A page as sent, with the answers it was rendered from.
struct Rendered {
    answers: HashMap<String, Answer>,
    status: u16,
    html: Bytes,
    etag: HeaderValue,
}

/// The public build's `index.html`, cut where a rendered page goes in (read once at start).
pub struct Shell {
    /// Up to the value of `<html lang="…">`.
    before_lang: String,
    /// From after the language to where the `<title>` was.
    before_title: String,
    /// From after the `<title>` to just inside `<body>`.
    before_body: String,
    /// The rest of `<body>` (the `<noscript>` note dropped: the page is there without it).
    after_body: String,
}

impl Shell {
    /// Cuts `index.html`, or `None` if it lacks one of the places (then pages are sent as
    /// the plain app, as any static host would).
    pub fn new(index: &str) -> Option<Shell> {
        let lang_at = index.find("<html lang=\"")? + "<html lang=\"".len();
        let lang_end = lang_at + index[lang_at..].find('"')?;
        let title_at = index.find("<title>")?;
        let title_end = title_at + index[title_at..].find("</title>")? + "</title>".len();
        let body_at = index.find("<body")?;
        let body_end = body_at + index[body_at..].find('>')? + 1;
        if !(lang_end < title_at && title_end < body_at) {
            return None;
        }
        let mut after_body = index[body_end..].to_owned();
        if let (Some(a), Some(b)) = (after_body.find("<noscript>"), after_body.find("</noscript>")) {
            after_body.replace_range(a..b + "</noscript>".len(), "");
        }
        Some(Shell {
            before_lang: index[..lang_at].to_owned(),
            before_title: index[lang_end..title_at].to_owned(),
            before_body: index[title_end..body_end].to_owned(),
            after_body,
        })
    }

    fn page(&self, locale: Locale, title: &str, app: &str, answers: &str) -> String {
        let mut html = String::with_capacity(app.len() + answers.len() + 4096);
        html.push_str(&self.before_lang);
        html.push_str(locale_tag(locale));
        html.push_str(&self.before_title);
        html.push_str(title);
        html.push_str(&self.before_body);
        html.push_str("<div id=\"ssr\">");
        html.push_str(app);
        html.push_str("</div><script type=\"application/json\" id=\"");
        html.push_str(SCRIPT_ID);
        html.push_str("\">");
        html.push_str(answers);
        html.push_str("</script>");
        html.push_str(&self.after_body);
        html
    }
}

/// GET `path` of this server's API as an anonymous reader, in process.
async fn ask(api: &Router, path: &str) -> Answer {
    let failed = || Answer {
        status: 503,
        // A constant that is JSON.
        body: serde_json::value::RawValue::from_string(r#"{"code":"unavailable"}"#.to_owned()).expect("JSON"),
    };
    let Ok(request) = Request::get(path).header(ACCEPT, "application/json").body(Body::empty()) else {
        return failed();
    };
    let Ok(response) = api.clone().oneshot(request).await;
    let status = response.status().as_u16();
    let Ok(body) = response.into_body().collect().await else { return failed() };
    match String::from_utf8(body.to_bytes().to_vec()).map(serde_json::value::RawValue::from_string) {
        Ok(Ok(body)) => Answer { status, body },
        _ => failed(),
    }
}

/// The answers as the page carries them: JSON that cannot end its script element early.
/// In path order: the same answers make the same bytes on every server (a map's own order is
/// random per process), so every instance behind a proxy sends the same page and `ETag`.
fn answers_json(answers: &HashMap<String, Answer>) -> String {
    let sorted: std::collections::BTreeMap<&String, &Answer> = answers.iter().collect();
    serde_json::to_string(&sorted).unwrap_or_else(|_| "{}".to_owned()).replace('<', "\\u003c")
}

/// The reader's language: `?lang=`, else the cookie, else Vietnamese.
fn locale_of(uri: &Uri, headers: &HeaderMap) -> (Locale, bool) {
    let query = uri.query().unwrap_or_default();
    let cookies: Vec<&str> = headers.get_all(COOKIE).iter().filter_map(|v| v.to_str().ok()).collect();
    let asked = requested_locale(query, "");
    (requested_locale(query, &cookies.join("; ")).unwrap_or(Locale::vi), asked.is_some())
}

impl Pages {
    pub fn new(api: Router, shell: Shell, revisions: Arc<RevisionCache>) -> Pages {
        Pages { api, shell, cache: Mutex::new(HashMap::new()), revisions }
    }

    /// The page at the request's path in the public build's shell: the kept one if its
    /// answers are unchanged, else rendered; `None` if the rendering failed (a bug: logged,
    /// and the reader gets the app as a static host sends it).
    pub async fn page(&self, uri: &Uri, headers: &HeaderMap) -> Option<Response> {
        let (locale, asked) = locale_of(uri, headers);
        let url = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/").to_owned();
        let key = (url, locale);
        let kept = self.cache.lock().ok().and_then(|cache| cache.get(&key).cloned());
        // Read before asking the API: a write answered meanwhile makes the next request ask again.
        let writes = self.revisions.writes();
        if let Some(kept) = kept {
            let fresh = kept.writes == writes && kept.checked.elapsed() < LATEST_TTL;
            if fresh || self.unchanged(&kept.page.answers).await {
                crate::metrics::cache_lookup("pages", true);
                if !fresh {
                    self.keep(key, Kept { checked: Instant::now(), writes, ..kept.clone() });
                }
                return Some(respond(&kept.page, locale, asked, headers));
            }
        }
        crate::metrics::cache_lookup("pages", false);
        let checked = Instant::now();
        let page = Arc::new(self.render(&key.0, locale).await?);
        self.keep(key, Kept { page: page.clone(), checked, writes });
        Some(respond(&page, locale, asked, headers))
    }

    fn keep(&self, key: (String, Locale), kept: Kept) {
        if let Ok(mut cache) = self.cache.lock() {
            if cache.len() >= KEPT_PAGES && !cache.contains_key(&key) {
                let drop = cache.keys().next().cloned();
                drop.map(|k| cache.remove(&k));
            }
            cache.insert(key, kept);
        }
    }

    /// Whether the API answers now what it answered when the page was rendered.
    async fn unchanged(&self, answers: &HashMap<String, Answer>) -> bool {
        for (path, then) in answers {
            let now = ask(&self.api, path).await;
            if now.status != then.status || now.body.get() != then.body.get() {
                return false;
            }
        }
        true
    }

    async fn render(&self, url: &str, locale: Locale) -> Option<Rendered> {
        let mut answers: HashMap<String, Answer> = HashMap::new();
        let mut page = render_once(url, locale, &answers)?;
        for _ in 1..MAX_PASSES {
            if page.missing.is_empty() {
                break;
            }
            for path in std::mem::take(&mut page.missing) {
                let answer = ask(&self.api, &path).await;
                answers.insert(path, answer);
            }
            page = render_once(url, locale, &answers)?;
        }
        let status = page.status();
        let app = std::mem::take(&mut page.html);
        let title = page.title().await;
        let html = self.shell.page(locale, &title, &app, &answers_json(&answers));
        let etag = etag::of(html.as_bytes());
        Some(Rendered { answers, status, html: Bytes::from(html), etag })
    }
}

fn render_once(url: &str, locale: Locale, answers: &HashMap<String, Answer>) -> Option<thidua::prerender::Page> {
    let answers = answers.clone();
    let rendered =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| thidua::prerender::render(url, locale, answers)));
    match rendered {
        Ok(page) => Some(page),
        Err(_) => {
            tracing::error!(url, "rendering the page failed; sending the app unrendered");
            None
        }
    }
}

fn respond(page: &Rendered, locale: Locale, asked: bool, headers: &HeaderMap) -> Response {
    let status = StatusCode::from_u16(page.status).unwrap_or(StatusCode::OK);
    let fresh = status == StatusCode::OK && etag::not_modified(headers, &page.etag);
    let mut response = if fresh {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        (status, Body::from(page.html.clone())).into_response()
    };
    let h = response.headers_mut();
    h.insert(CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    h.insert(ETAG, page.etag.clone());
    // The page follows the data and the reader's language: asked again every time (a 304
    // when nothing changed), and kept apart per cookie by shared caches.
    h.insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    h.append(VARY, HeaderValue::from_static("cookie"));
    if asked {
        // A reader without JavaScript keeps the language chosen by the switch's link.
        let cookie = format!("{LOCALE_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax", locale_tag(locale));
        if let Ok(cookie) = HeaderValue::try_from(cookie) {
            h.insert(SET_COOKIE, cookie);
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    const INDEX: &str = "<!doctype html>\n<html lang=\"vi\">\n<head><title>Thi đua</title><link rel=\"stylesheet\" href=\"/a.css\"></head>\n<body>\n<noscript>Needs JS</noscript>\n<script type=\"module\">x</script></body>\n</html>\n";

    #[test]
    fn the_page_goes_into_the_shell() {
        let shell = Shell::new(INDEX).unwrap();
        let html = shell.page(Locale::en, "<title>Results</title>", "<main>m</main>", "{}");
        assert!(html.starts_with("<!doctype html>\n<html lang=\"en\">\n<head><title>Results</title><link"), "{html}");
        assert!(html.contains("<body><div id=\"ssr\"><main>m</main></div><script type=\"application/json\" id=\"thidua-preload\">{}</script>\n\n<script type=\"module\">x</script></body>"), "{html}");
        assert!(!html.contains("noscript"));
        assert!(Shell::new("<html><body></body></html>").is_none());
    }

    #[test]
    fn answers_cannot_close_their_script() {
        let body = serde_json::value::RawValue::from_string(r#"{"name":"</script><img>"}"#.to_owned()).unwrap();
        let answers = HashMap::from([("/api/x".to_owned(), Answer { status: 200, body })]);
        let json = answers_json(&answers);
        assert!(!json.contains('<'), "{json}");
        let back: HashMap<String, serde_json::Value> = serde_json::from_str(&json).unwrap();
        assert_eq!(back["/api/x"]["body"]["name"], "</script><img>");
    }

    #[test]
    fn the_same_answers_make_the_same_bytes() {
        let answer = |n: u16| Answer { status: n, body: serde_json::value::RawValue::from_string("1".into()).unwrap() };
        let paths = ["/api/units/1/history", "/api/years", "/api/years/2018/blocs", "/api/years/2018/blocs/1/results"];
        let json = answers_json(&paths.iter().map(|p| (p.to_string(), answer(200))).collect());
        let positions: Vec<usize> = paths.iter().map(|p| json.find(&format!("\"{p}\"")).unwrap()).collect();
        assert!(positions.windows(2).all(|w| w[0] < w[1]), "in path order: {json}");
        // Built in another order (another map, another random state): the same bytes.
        let again = answers_json(&paths.iter().rev().map(|p| (p.to_string(), answer(200))).collect());
        assert_eq!(json, again);
    }
}
