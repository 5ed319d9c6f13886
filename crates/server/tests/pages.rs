//! The public pages rendered by the server with the SPA's own components: the first answer
//! already carries the content, in the reader's language, and the API answers it was
//! rendered from; an unpublished bloc-year shows "not published", never the staff preview;
//! every text is escaped.

mod common;

use common::{DemoBloc, TestServer, Who};
use reqwest::header::{CONTENT_TYPE, COOKIE, SET_COOKIE};
use reqwest::{Method, StatusCode};
use serde_json::json;
use thidua_domain::history::UnitHistory;
use thidua_domain::model::BlocSummary;
use thidua_domain::results::BlocResults;

/// The public build's index.html as Trunk writes it, reduced to what the server cuts.
const SHELL: &str = "<!doctype html>\n<html lang=\"vi\">\n  <head>\n    <meta charset=\"utf-8\" />\n    <meta name=\"thidua-api-base\" content=\"\" />\n    <title>Thi đua – Khen thưởng</title>\n    <script type=\"module\">import init from '/thidua-0123456789abcdef.js';\nawait init();\n</script>\n  </head>\n  <body>\n    <noscript>Trang này cần JavaScript.</noscript>\n  </body>\n</html>\n";

async fn server() -> TestServer {
    let dist = tempfile::tempdir().unwrap().keep();
    std::fs::write(dist.join("index.html"), SHELL).unwrap();
    TestServer::start_with(move |c| c.static_dir = dist).await
}

/// The page at `path` as a browser without JavaScript gets it: status and HTML.
async fn page(s: &TestServer, path: &str, cookie: Option<&str>) -> (StatusCode, String) {
    let mut request = s.client.get(format!("{}{path}", s.base));
    if let Some(cookie) = cookie {
        request = request.header(COOKIE, cookie);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    assert_eq!(response.headers()[CONTENT_TYPE], "text/html; charset=utf-8", "{path}");
    (status, response.text().await.unwrap())
}

/// The rendered app's markup (inside `#ssr`), apart from the answers the page carries, and
/// without the empty comments (`<!>`) that mark where one text ends and the next begins.
fn markup(html: &str) -> String {
    let start = html.find("<div id=\"ssr\">").expect("the page is rendered");
    let end = html.find("<script type=\"application/json\" id=\"thidua-preload\">").unwrap();
    html[start..end].replace("<!>", "")
}

fn vi_points(p: thidua_domain::Points) -> String {
    p.to_string().replace('.', ",")
}

async fn published_results(s: &TestServer) -> (i64, BlocResults) {
    let blocs: Vec<BlocSummary> = s.ok(&Who::anonymous(), Method::GET, "/api/years/2018/blocs", None).await;
    let bloc = blocs[0].id;
    (bloc, s.ok(&Who::anonymous(), Method::GET, &format!("/api/years/2018/blocs/{bloc}/results"), None).await)
}

#[tokio::test]
async fn the_results_page_carries_the_ranking_and_proposals_in_vietnamese() {
    let s = server().await;
    let (bloc, results) = published_results(&s).await;
    let (status, html) = page(&s, &format!("/2018/blocs/{bloc}/results"), None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.starts_with("<!doctype html>\n<html lang=\"vi\">"), "{}", &html[..80]);
    let body = markup(&html);
    assert!(body.contains("<h1>Kết quả thi đua"), "Vietnamese by default");
    assert!(!results.ranking.is_empty());
    for row in &results.ranking {
        assert!(body.contains(&row.unit.name), "{} is on the page", row.unit.name);
        // The total with the Vietnamese decimal comma, in its cell.
        let total = format!("<td class=\"num total\">{}</td>", vi_points(row.total));
        assert!(body.contains(&total), "{total}");
    }
    assert!(results.ranking.iter().any(|r| r.total.hundredths() % 100 != 0), "a total with decimals is checked");
    for group in &results.awards {
        assert!(body.contains(&group.award_type.name), "award type {}", group.award_type.name);
    }
    // Every sheet is there, for the breakdown that opens without JavaScript.
    assert_eq!(body.matches("data-testid=\"breakdown\"").count(), results.ranking.len());
    assert_eq!(body.matches("<details class=\"expand no-print\"").count(), results.ranking.len());
    // The page's title names the bloc.
    let title = html.split_once("<title>").unwrap().1.split_once("</title>").unwrap().0;
    assert!(title.contains("2018") && title.contains(&results.bloc_name), "{title}");
    // And the answer the app takes over from, exactly as the API sent it.
    let carried = html.split_once("id=\"thidua-preload\">").unwrap().1.split_once("</script>").unwrap().0;
    let carried: serde_json::Value = serde_json::from_str(carried).unwrap();
    let answer = &carried[format!("/api/years/2018/blocs/{bloc}/results")];
    assert_eq!(answer["status"], 200);
    let api: serde_json::Value =
        s.ok(&Who::anonymous(), Method::GET, &format!("/api/years/2018/blocs/{bloc}/results"), None).await;
    assert_eq!(answer["body"], api);
}

#[tokio::test]
async fn english_when_asked_and_kept_by_a_cookie() {
    let s = server().await;
    let (bloc, results) = published_results(&s).await;
    let path = format!("/2018/blocs/{bloc}/results");
    let response = s.client.get(format!("{}{path}?lang=en", s.base)).send().await.unwrap();
    let cookie = response.headers()[SET_COOKIE].to_str().unwrap().to_owned();
    assert!(cookie.starts_with("thidua_lang=en;") && cookie.contains("Path=/"), "{cookie}");
    let html = response.text().await.unwrap();
    assert!(html.starts_with("<!doctype html>\n<html lang=\"en\">"));
    let body = markup(&html);
    assert!(body.contains("<h1>Emulation results"), "in English");
    let top = &results.ranking[0];
    assert!(body.contains(&format!("<td class=\"num total\">{}</td>", top.total)), "a decimal point in English");

    // The cookie alone, on another page.
    let (_, home) = page(&s, "/", Some("thidua_lang=en")).await;
    assert!(home.starts_with("<!doctype html>\n<html lang=\"en\">"));
    // The address wins over the cookie.
    let (_, vi) = page(&s, "/?lang=vi", Some("thidua_lang=en")).await;
    assert!(vi.starts_with("<!doctype html>\n<html lang=\"vi\">"));
}

#[tokio::test]
async fn home_bloc_and_unit_pages_carry_their_content() {
    let s = server().await;
    let anon = Who::anonymous();
    let (status, home) = page(&s, "/", None).await;
    assert_eq!(status, StatusCode::OK);
    let home = markup(&home);
    let blocs: Vec<BlocSummary> = s.ok(&anon, Method::GET, "/api/years/2019/blocs", None).await;
    assert!(home.contains("Năm 2019") && home.contains("Năm 2018"), "every year");
    assert!(home.contains(&blocs[0].name), "each year's blocs");
    assert!(!home.contains("data-testid=\"loading\""), "nothing left loading");

    let demo = DemoBloc::load(&s).await;
    let (status, bloc) = page(&s, &format!("/2019/blocs/{}", demo.id), None).await;
    assert_eq!(status, StatusCode::OK);
    let bloc = markup(&bloc);
    for (name, _) in &demo.members {
        assert!(bloc.contains(name.as_str()), "member {name}");
    }

    let unit = demo.unit("Sở Y tế");
    let history: UnitHistory = s.ok(&anon, Method::GET, &format!("/api/units/{unit}/history"), None).await;
    let (status, html) = page(&s, &format!("/units/{unit}"), None).await;
    assert_eq!(status, StatusCode::OK);
    let body = markup(&html);
    assert!(body.contains(&history.unit.name));
    let point = history.points.iter().find(|p| p.rank().is_some()).expect("a published year");
    assert!(body.contains(&point.year.to_string()) && body.contains(&point.bloc_name));
}

#[tokio::test]
async fn an_unpublished_bloc_year_renders_not_published_never_the_preview() {
    let s = server().await;
    let demo = DemoBloc::load(&s).await;
    let (status, html) = page(&s, &format!("/2019/blocs/{}/results", demo.id), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let body = markup(&html);
    assert!(body.contains("data-testid=\"error-panel\""), "{body}");
    assert!(body.contains("chưa được công bố"), "says not published: {body}");
    assert!(!body.contains("data-testid=\"ranking\"") && !body.contains("data-testid=\"unpublished\""));
    // Signed in as staff makes no difference: the page is the public's.
    let staff = s.login("staff").await;
    let cookie = staff.cookie.clone().unwrap();
    let (_, as_staff) = page(&s, &format!("/2019/blocs/{}/results", demo.id), Some(&cookie)).await;
    assert!(!markup(&as_staff).contains("data-testid=\"ranking\""));

    let (status, html) = page(&s, "/khong-co/trang-nay", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(markup(&html).contains("data-testid=\"not-found\""));
}

#[tokio::test]
async fn every_text_is_escaped() {
    let s = server().await;
    let staff = s.login("staff").await;
    let demo = DemoBloc::load(&s).await;
    let unit = demo.unit("Sở Y tế");
    const NAME: &str = "<img src=x onerror=alert(1)>";
    s.ok::<serde_json::Value>(
        &staff,
        Method::POST,
        &format!("/api/admin/units/{unit}/names"),
        Some(&json!({"name": NAME, "from_year": 2019})),
    )
    .await;
    for path in [format!("/2019/blocs/{}", demo.id), format!("/units/{unit}"), "/".to_owned()] {
        let (_, html) = page(&s, &path, None).await;
        assert!(!html.contains("<img"), "{path}: the name is markup");
        if path != "/" {
            assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"), "{path}: the name is shown as text");
        }
    }
    // The answers the page carries cannot end their script element either.
    let (_, html) = page(&s, &format!("/2019/blocs/{}", demo.id), None).await;
    let carried = html.split_once("id=\"thidua-preload\">").unwrap().1.split_once("</script>").unwrap().0;
    assert!(carried.contains("\\u003cimg src=x onerror=alert(1)>"), "{carried}");
}

#[tokio::test]
async fn a_kept_page_follows_its_data() {
    // A page rendered once is kept with the answers it came from; it must never outlive them.
    let s = server().await;
    let staff = s.login("staff").await;
    let demo = DemoBloc::load(&s).await;
    let unit = demo.unit("Sở Y tế");
    let path = format!("/2019/blocs/{}", demo.id);
    let (_, first) = page(&s, &path, None).await;
    let (_, again) = page(&s, &path, None).await;
    assert_eq!(first, again, "the same data, the same page");
    assert!(markup(&first).contains("Sở Y tế"));
    s.ok::<serde_json::Value>(
        &staff,
        Method::POST,
        &format!("/api/admin/units/{unit}/names"),
        Some(&json!({"name": "Sở Y tế tỉnh", "from_year": 2019})),
    )
    .await;
    let (_, after) = page(&s, &path, None).await;
    assert!(markup(&after).contains("Sở Y tế tỉnh"), "the new name is on the page");
    // The other language is kept apart, and follows the data too.
    let (_, english) = page(&s, &format!("{path}?lang=en"), None).await;
    assert!(english.starts_with("<!doctype html>\n<html lang=\"en\">") && markup(&english).contains("Sở Y tế tỉnh"));

    // A write through another server on the same database: this one sends its kept page for
    // at most a second more (as it trusts its memory of the latest revision), then follows.
    let database = s.database.clone();
    let other = TestServer::start_with(move |c| {
        c.database = database;
        c.demo = false;
    })
    .await;
    let staff_there = other.login("staff").await;
    other
        .ok::<serde_json::Value>(
            &staff_there,
            Method::POST,
            &format!("/api/admin/units/{unit}/names"),
            Some(&json!({"name": "Sở Y tế Bắc Ninh", "from_year": 2019})),
        )
        .await;
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let (_, later) = page(&s, &path, None).await;
    assert!(markup(&later).contains("Sở Y tế Bắc Ninh"), "another server's write is on the page a second later");
}
