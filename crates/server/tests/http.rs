//! Every endpoint over real HTTP: the server runs in-process on 127.0.0.1:0 with a fresh
//! database holding the demo data (SQLite, or PostgreSQL with `THIDUA_TEST_POSTGRES`), and is
//! asked with reqwest like any client would.

mod common;

use std::net::SocketAddr;
use std::path::Path;

use reqwest::header::{ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_TYPE};
use reqwest::StatusCode;
use serde_json::Value;
use tempfile::TempDir;
use thidua_domain::error::ApiErrorBody;
use thidua_domain::model::{BlocDetail, BlocSummary, YearSummary};
use thidua_domain::ranking::{TieBreak, TieOutcome};
use thidua_domain::results::BlocResults;
use thidua_domain::Points;
use thidua_server::{Config, Server};

const BLOC_NAME: &str = "Khối các sở, ban, ngành tham mưu và quản lý Nhà nước về văn hóa, xã hội";
const MEMBERS: [&str; 7] = [
    "Sở Giáo dục và Đào tạo",
    "Sở Y tế",
    "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Lao động - Thương binh và Xã hội",
    "Đài Phát thanh và Truyền hình tỉnh",
    "Bảo hiểm xã hội tỉnh",
    "Trung tâm Hành chính công tỉnh",
];

struct TestServer {
    base: String,
    client: reqwest::Client,
    // Keeps the database (and static files) until the test ends.
    _dir: TempDir,
}

impl TestServer {
    /// A server on a free port with the demo data, and the SPA in `static_dir` if given.
    async fn start(static_dir: Option<&Path>) -> TestServer {
        let dir = tempfile::tempdir().unwrap();
        let config = Config {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            database: common::new_database(dir.path()).await,
            static_dir: static_dir.map(Path::to_path_buf).unwrap_or_else(|| dir.path().join("no-dist")),
            demo: true,
            ..Config::default()
        };
        let server = Server::bind(&config).await.unwrap();
        let base = format!("http://{}", server.local_addr());
        tokio::spawn(server.serve(std::future::pending()));
        TestServer { base, client: reqwest::Client::new(), _dir: dir }
    }

    async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(format!("{}{path}", self.base)).send().await.unwrap()
    }

    async fn json<T: serde::de::DeserializeOwned>(&self, path: &str) -> T {
        let response = self.get(path).await;
        assert_eq!(response.status(), StatusCode::OK, "GET {path}");
        assert_eq!(response.headers()[CONTENT_TYPE], "application/json", "GET {path}");
        // Published results are a stored revision that a CDN may keep a little; every other
        // public answer is revalidated each time.
        let cache =
            if path.ends_with("/results") { "public, max-age=60, stale-while-revalidate=600" } else { "no-cache" };
        assert_eq!(response.headers()[CACHE_CONTROL], cache, "GET {path}");
        response.json().await.unwrap()
    }

    async fn error(&self, path: &str, status: StatusCode) -> ApiErrorBody {
        let response = self.get(path).await;
        assert_eq!(response.status(), status, "GET {path}");
        assert_eq!(response.headers()[CONTENT_TYPE], "application/json", "GET {path}");
        response.json().await.unwrap()
    }

    /// The demo bloc's id, as the API reports it.
    async fn bloc_id(&self) -> i64 {
        let blocs: Vec<BlocSummary> = self.json("/api/years/2018/blocs").await;
        blocs[0].id
    }
}

#[tokio::test]
async fn health() {
    let s = TestServer::start(None).await;
    let body: Value = s.json("/api/health").await;
    assert_eq!(body, serde_json::json!({"status": "ok"}));
}

#[tokio::test]
async fn years_list_2019_in_progress_then_2018() {
    let s = TestServer::start(None).await;
    let years: Vec<YearSummary> = s.json("/api/years").await;
    assert_eq!(years, [YearSummary { year: 2019, bloc_count: 1 }, YearSummary { year: 2018, bloc_count: 1 }]);
}

#[tokio::test]
async fn blocs_of_2018_with_members_and_leader() {
    let s = TestServer::start(None).await;
    let blocs: Vec<BlocSummary> = s.json("/api/years/2018/blocs").await;
    assert_eq!(blocs.len(), 1);
    assert_eq!(blocs[0].name, BLOC_NAME);
    assert_eq!(blocs[0].member_count, 7);
    assert_eq!(blocs[0].leader.as_ref().map(|u| u.name.as_str()), Some("Sở Lao động - Thương binh và Xã hội"));
}

#[tokio::test]
async fn bloc_detail_lists_members_in_order() {
    let s = TestServer::start(None).await;
    let id = s.bloc_id().await;
    let bloc: BlocDetail = s.json(&format!("/api/years/2018/blocs/{id}")).await;
    assert_eq!((bloc.year, bloc.id, bloc.name.as_str()), (2018, id, BLOC_NAME));
    assert_eq!(bloc.members.iter().map(|u| u.name.as_str()).collect::<Vec<_>>(), MEMBERS);
    assert_eq!(bloc.leader().map(|u| u.name.as_str()), Some("Sở Lao động - Thương binh và Xã hội"));
    assert_eq!(bloc.deputy().map(|u| u.name.as_str()), Some("Sở Y tế"));
    assert!(bloc.sample_data, "leader, deputy and scores of the demo are illustrative");
    let pact = bloc.pact.expect("the demo has a pact note");
    assert_eq!(pact.signed_on, None);
    assert!(pact.note.starts_with("Thực hiện Kế hoạch số 03/KH-HĐTĐKT ngày 25/01/2018"));
}

#[tokio::test]
async fn results_rank_on_verified_totals_with_the_section_tie_break() {
    let s = TestServer::start(None).await;
    let id = s.bloc_id().await;
    let r: BlocResults = s.json(&format!("/api/years/2018/blocs/{id}/results")).await;

    assert_eq!((r.year, r.bloc_id, r.bloc_name.as_str()), (2018, id, BLOC_NAME));
    assert!(r.sample_scores);
    assert_eq!(r.tie_break, TieBreak::SectionOrder);
    assert_eq!(r.sections.iter().map(|h| h.code.as_str()).collect::<Vec<_>>(), ["I", "II", "III", "IV", "V"]);
    assert_eq!(r.sections.iter().map(|h| h.max_points).collect::<Vec<_>>(), [50, 15, 10, 10, 15].map(Points::whole));
    assert_eq!((r.max_total, r.bonus_cap), (Points::whole(100), Points::whole(5)));

    let order: Vec<&str> = r.ranking.iter().map(|row| row.unit.name.as_str()).collect();
    assert_eq!(
        order,
        [
            "Sở Y tế",
            "Sở Giáo dục và Đào tạo",
            "Sở Lao động - Thương binh và Xã hội",
            "Sở Văn hóa, Thể thao và Du lịch",
            "Bảo hiểm xã hội tỉnh",
            "Đài Phát thanh và Truyền hình tỉnh",
            "Trung tâm Hành chính công tỉnh",
        ]
    );
    assert_eq!(r.ranking.iter().map(|row| row.rank).collect::<Vec<_>>(), [1, 2, 3, 4, 5, 6, 7]);
    let totals: Vec<i64> = r.ranking.iter().map(|row| row.total.hundredths()).collect();
    assert_eq!(totals, [9750, 9500, 9350, 9100, 9100, 8900, 8650]);
    for row in &r.ranking {
        let sections: Points = row.sections.iter().sum();
        assert_eq!(row.total, sections + row.bonus_counted - row.deductions, "{}", row.unit.name);
        assert_eq!((row.scored, row.criteria_count), (10, 10), "{}", row.unit.name);
    }
    // Sở Y tế claims 6 bonus points; the cap of 5 counts.
    assert_eq!(r.ranking[0].bonus_counted, Points::whole(5));
    assert_eq!(r.ranking[4].deductions, Points::from_hundredths(50));

    // Văn hóa and Bảo hiểm are level on 91; section I (index 0) decided.
    let decided = Some(TieOutcome::DecidedBySection { section_index: 0 });
    assert_eq!(
        r.ranking.iter().map(|row| row.tie).collect::<Vec<_>>(),
        [None, None, None, decided, decided, None, None]
    );
    assert!(r.ranking[3].sections[0] > r.ranking[4].sections[0]);

    let groups: Vec<(u32, &str, Vec<&str>)> = r
        .awards
        .iter()
        .map(|g| {
            (
                g.award_type.precedence,
                g.award_type.name.as_str(),
                g.units.iter().map(|u| u.unit.name.as_str()).collect(),
            )
        })
        .collect();
    assert_eq!(
        groups,
        [
            (1, "Cờ thi đua của Chính phủ", vec!["Sở Y tế"]),
            (2, "Cờ thi đua của UBND tỉnh", vec!["Sở Giáo dục và Đào tạo", "Sở Lao động - Thương binh và Xã hội"]),
            (3, "Bằng khen của Chủ tịch UBND tỉnh", vec!["Sở Văn hóa, Thể thao và Du lịch", "Bảo hiểm xã hội tỉnh"]),
        ]
    );
    assert!(r.awards.iter().flat_map(|g| &g.units).all(|u| u.decision.is_none()), "proposed, not awarded");
    assert!(r.awards.iter().all(|g| g.award_type.legal_basis.contains("Nghị định số 91/2017/NĐ-CP")));
}

#[tokio::test]
async fn results_json_shape() {
    // The wire format clients see: exact decimals as JSON numbers, tags in snake_case.
    let s = TestServer::start(None).await;
    let id = s.bloc_id().await;
    let r: Value = s.json(&format!("/api/years/2018/blocs/{id}/results")).await;
    assert_eq!(r["tie_break"], "section_order");
    assert_eq!(r["ranking"][0]["total"], serde_json::json!(97.5));
    assert_eq!(r["ranking"][3]["tie"], serde_json::json!({"kind": "decided_by_section", "section_index": 0}));
    assert_eq!(r["ranking"][0]["tie"], Value::Null);
    assert_eq!(r["awards"][0]["award_type"]["code"], "co_chinh_phu");
    assert_eq!(r["awards"][0]["units"][0]["decision"], Value::Null);
}

#[tokio::test]
async fn unknown_year_and_bloc_are_404_with_codes() {
    let s = TestServer::start(None).await;
    let id = s.bloc_id().await;
    assert_eq!(s.error("/api/years/1999/blocs", StatusCode::NOT_FOUND).await.code, "year_not_found");
    assert_eq!(s.error(&format!("/api/years/1999/blocs/{id}"), StatusCode::NOT_FOUND).await.code, "year_not_found");
    assert_eq!(s.error("/api/years/1999/blocs/1/results", StatusCode::NOT_FOUND).await.code, "year_not_found");
    assert_eq!(s.error("/api/years/2018/blocs/999", StatusCode::NOT_FOUND).await.code, "bloc_not_found");
    assert_eq!(s.error("/api/years/2018/blocs/999/results", StatusCode::NOT_FOUND).await.code, "bloc_not_found");
}

#[tokio::test]
async fn malformed_parameters_are_400_json() {
    let s = TestServer::start(None).await;
    for path in ["/api/years/abc/blocs", "/api/years/2018/blocs/x", "/api/years/2018/blocs/1.5/results"] {
        let body = s.error(path, StatusCode::BAD_REQUEST).await;
        assert_eq!(body.code, "bad_request", "{path}");
        assert!(!body.message.is_empty());
    }
}

#[tokio::test]
async fn unknown_api_paths_and_methods_answer_json() {
    let s = TestServer::start(None).await;
    for path in ["/api/nope", "/api", "/api/", "/api/years/2018/blocs/1/results/more"] {
        assert_eq!(s.error(path, StatusCode::NOT_FOUND).await.code, "not_found", "{path}");
    }
    let response = s.client.post(format!("{}/api/years", s.base)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert!(response.headers()["allow"].to_str().unwrap().contains("GET"));
    let body: ApiErrorBody = response.json().await.unwrap();
    assert_eq!(body.code, "method_not_allowed");
}

#[tokio::test]
async fn api_headers_cors_and_compression() {
    let s = TestServer::start(None).await;
    let response = s
        .client
        // Large enough to be worth compressing (tiny bodies are sent as they are).
        .get(format!("{}/api/years/2018/blocs", s.base))
        .header("Origin", "https://elsewhere.example")
        .header(ACCEPT_ENCODING, "br")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let headers = response.headers();
    assert_eq!(headers["access-control-allow-origin"], "*");
    assert_eq!(headers[CACHE_CONTROL], "no-cache");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers[CONTENT_ENCODING], "br");
}

#[tokio::test]
async fn openapi_document_names_every_path() {
    let s = TestServer::start(None).await;
    let doc: Value = s.json("/api/openapi.json").await;
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().unwrap();
    for path in [
        "/api/health",
        "/api/openapi.json",
        "/api/years",
        "/api/years/{year}/blocs",
        "/api/years/{year}/blocs/{bloc_id}",
        "/api/years/{year}/blocs/{bloc_id}/results",
        "/api/auth/me",
        "/api/sheets",
        "/api/sheets/{id}",
        "/api/years/{year}/award-types",
        "/api/years/{year}/blocs/{bloc_id}/results.csv",
        "/api/years/{year}/blocs/{bloc_id}/results.xlsx",
        "/api/units/{unit_id}/history",
        "/api/admin/years",
        "/api/admin/years/{year}/blocs/{bloc_id}",
        "/api/admin/years/{year}/blocs/{bloc_id}/criteria.csv",
        "/api/admin/units",
        "/api/admin/users",
    ] {
        assert!(paths[path]["get"].is_object(), "{path} is documented");
    }
    for (path, method) in [
        ("/api/auth/login", "post"),
        ("/api/auth/logout", "post"),
        ("/api/sheets/{id}/self", "put"),
        ("/api/sheets/{id}/verification", "put"),
        ("/api/sheets/{id}/submit", "post"),
        ("/api/sheets/{id}/return", "post"),
        ("/api/sheets/{id}/approve", "post"),
        ("/api/years/{year}/award-types", "post"),
        ("/api/years/{year}/award-types/{id}", "put"),
        ("/api/years/{year}/blocs/{bloc_id}/tally", "put"),
        ("/api/years/{year}/blocs/{bloc_id}/overrides", "put"),
        ("/api/years/{year}/blocs/{bloc_id}/overrides/{unit_id}/{award_type_id}", "delete"),
        ("/api/years/{year}/blocs/{bloc_id}/publish", "post"),
        ("/api/years/{year}/blocs/{bloc_id}/unpublish", "post"),
        ("/api/years/{year}/blocs/{bloc_id}/decisions/{unit_id}/{award_type_id}", "put"),
        ("/api/years/{year}/blocs/{bloc_id}/decisions/{unit_id}/{award_type_id}", "delete"),
        ("/api/admin/years", "post"),
        ("/api/admin/years/{year}", "put"),
        ("/api/admin/years/{year}/blocs", "post"),
        ("/api/admin/years/{year}/blocs/{bloc_id}", "put"),
        ("/api/admin/years/{year}/blocs/{bloc_id}/criteria", "put"),
        ("/api/admin/years/{year}/blocs/{bloc_id}/criteria/import", "post"),
        ("/api/admin/units", "post"),
        ("/api/admin/units/{id}/names", "post"),
        ("/api/admin/units/{id}/end", "post"),
        ("/api/admin/users", "post"),
        ("/api/admin/users/{id}", "put"),
        ("/api/admin/users/{id}/password", "put"),
    ] {
        assert!(paths[path][method].is_object(), "{method} {path} is documented");
    }
    let tally = &paths["/api/years/{year}/blocs/{bloc_id}/tally"]["put"];
    assert_eq!(tally["security"][0]["session_cookie"], serde_json::json!([]));
    for code in ["401", "403", "404", "409", "422"] {
        assert!(tally["responses"][code].is_object(), "PUT tally answers {code}");
    }
    let csv = &paths["/api/years/{year}/blocs/{bloc_id}/results.csv"]["get"];
    assert!(csv["responses"]["200"]["content"]["text/csv"].is_object());
    assert!(csv["parameters"].as_array().unwrap().iter().any(|p| p["name"] == "lang"));
    assert_eq!(paths["/api/sheets/{id}/self"]["put"]["security"][0]["session_cookie"], serde_json::json!([]));
    for code in ["401", "403", "404", "409", "422"] {
        assert!(paths["/api/sheets/{id}/self"]["put"]["responses"][code].is_object(), "PUT self answers {code}");
    }
    let import = &paths["/api/admin/years/{year}/blocs/{bloc_id}/criteria/import"]["post"];
    assert!(import["requestBody"]["content"]["text/csv"].is_object());
    for code in ["401", "403", "404", "413", "415", "422"] {
        assert!(import["responses"][code].is_object(), "POST criteria/import answers {code}");
    }
    let criteria = &paths["/api/admin/years/{year}/blocs/{bloc_id}/criteria"]["put"];
    assert!(criteria["responses"]["409"]["description"].as_str().unwrap().contains("scores_would_be_dropped"));
    let scheme = &doc["components"]["securitySchemes"]["session_cookie"];
    assert_eq!((scheme["type"].as_str(), scheme["in"].as_str()), (Some("apiKey"), Some("cookie")));
    assert_eq!(scheme["name"], "thidua_session");
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    for schema in [
        "YearSummary",
        "BlocSummary",
        "BlocDetail",
        "BlocResults",
        "ApiErrorBody",
        "Me",
        "LoginRequest",
        "SheetSummary",
        "SheetView",
        "SelfAssessmentInput",
        "VerificationInput",
        "TransitionInput",
        "AuditEntry",
        "AwardType",
        "AwardTypeInput",
        "TallyUpdate",
        "Override",
        "Decision",
        "Candidate",
        "UnitHistory",
        "YearAdmin",
        "NewYear",
        "UnitAdmin",
        "UnitEnd",
        "BlocSetupView",
        "BlocSetupInput",
        "CriteriaDraft",
        "CriterionDraft",
        "CriteriaUpdate",
        "UserAdmin",
        "NewUser",
        "UserUpdate",
        "PasswordReset",
    ] {
        assert!(schemas.contains_key(schema), "{schema} has a schema");
    }
    // The 422 field map: field path → a list of typed errors.
    let fields = &doc["components"]["schemas"]["ApiErrorBody"]["properties"]["fields"]["$ref"];
    let fields = &schemas[fields.as_str().unwrap().trim_start_matches("#/components/schemas/")];
    assert_eq!(fields["additionalProperties"]["type"], "array");
}

/// A built SPA as Trunk leaves it: index.html, a hashed script with its brotli twin, a wasm file.
fn spa_dir() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("index.html"), "<!doctype html><title>thidua</title>").unwrap();
    std::fs::write(dir.path().join("thidua-3f2a9c0b1d2e4f56.js"), "export default function init() {}").unwrap();
    std::fs::write(dir.path().join("thidua-3f2a9c0b1d2e4f56.js.br"), b"\x0b\x0f\x80brotli bytes\x03").unwrap();
    std::fs::write(dir.path().join("thidua-3f2a9c0b1d2e4f56_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
    std::fs::create_dir(dir.path().join("staff")).unwrap();
    std::fs::write(dir.path().join("staff/index.html"), "<!doctype html><title>staff</title>").unwrap();
    std::fs::write(dir.path().join("staff/thidua-aaaaaaaaaaaaaaaa.js"), "export default function init() {}").unwrap();
    dir
}

#[tokio::test]
async fn sign_in_and_sheets_get_the_staff_build_and_everything_else_the_public_one() {
    let spa = spa_dir();
    let s = TestServer::start(Some(spa.path())).await;
    for path in ["/sign-in", "/sheets", "/sheets/2", "/sign-in?next=%2Fsheets"] {
        let response = s.get(path).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert_eq!(response.headers()[CACHE_CONTROL], "no-cache", "{path}");
        assert_eq!(response.text().await.unwrap(), "<!doctype html><title>staff</title>", "{path}");
    }
    for path in ["/", "/sheetsx", "/2019/blocs/1/results"] {
        assert_eq!(s.get(path).await.text().await.unwrap(), "<!doctype html><title>thidua</title>", "{path}");
    }
    let asset = s.get("/staff/thidua-aaaaaaaaaaaaaaaa.js").await;
    assert_eq!(asset.headers()[CACHE_CONTROL], "public, max-age=31536000, immutable");
}

#[tokio::test]
async fn deep_links_get_index_html_without_caching() {
    let spa = spa_dir();
    let s = TestServer::start(Some(spa.path())).await;
    for path in ["/", "/2018/blocs/1/results", "/thidua-ffffffffffffffff.js"] {
        let response = s.get(path).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert_eq!(response.headers()[CACHE_CONTROL], "no-cache", "{path}");
        assert!(response.headers()[CONTENT_TYPE].to_str().unwrap().starts_with("text/html"), "{path}");
        assert_eq!(response.headers()["x-content-type-options"], "nosniff");
        assert_eq!(response.text().await.unwrap(), "<!doctype html><title>thidua</title>", "{path}");
    }
}

#[tokio::test]
async fn hashed_assets_are_immutable_and_precompressed() {
    let spa = spa_dir();
    let s = TestServer::start(Some(spa.path())).await;

    let plain = s.get("/thidua-3f2a9c0b1d2e4f56.js").await;
    assert_eq!(plain.status(), StatusCode::OK);
    assert_eq!(plain.headers()[CACHE_CONTROL], "public, max-age=31536000, immutable");
    assert!(plain.headers().get(CONTENT_ENCODING).is_none());
    assert_eq!(plain.text().await.unwrap(), "export default function init() {}");

    let br = s.client.get(format!("{}/thidua-3f2a9c0b1d2e4f56.js", s.base)).header(ACCEPT_ENCODING, "br").send().await;
    let br = br.unwrap();
    assert_eq!(br.status(), StatusCode::OK);
    assert_eq!(br.headers()[CONTENT_ENCODING], "br");
    assert_eq!(br.headers()["vary"], "accept-encoding", "shared caches keep the variants apart");
    assert_eq!(br.headers()[CACHE_CONTROL], "public, max-age=31536000, immutable");
    assert!(br.headers()[CONTENT_TYPE].to_str().unwrap().contains("javascript"));
    assert_eq!(&br.bytes().await.unwrap()[..], b"\x0b\x0f\x80brotli bytes\x03", "the .br file as stored");

    let wasm = s.get("/thidua-3f2a9c0b1d2e4f56_bg.wasm").await;
    assert_eq!(wasm.headers()[CACHE_CONTROL], "public, max-age=31536000, immutable");
    assert_eq!(wasm.headers()[CONTENT_TYPE], "application/wasm");
}

#[tokio::test]
async fn api_paths_never_fall_back_to_index_html() {
    let spa = spa_dir();
    let s = TestServer::start(Some(spa.path())).await;
    assert_eq!(s.error("/api/nope", StatusCode::NOT_FOUND).await.code, "not_found");
    let years: Vec<YearSummary> = s.json("/api/years").await;
    assert_eq!(years.len(), 2);
}

#[tokio::test]
async fn without_a_built_spa_the_api_still_works() {
    let s = TestServer::start(None).await;
    let page = s.get("/2018/blocs/1/results").await;
    assert_eq!(page.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(page.text().await.unwrap().contains("not built"));
    let years: Vec<YearSummary> = s.json("/api/years").await;
    assert_eq!(years.len(), 2);
}

#[tokio::test]
async fn the_shell_is_served_from_memory_with_an_etag() {
    let spa = spa_dir();
    let s = TestServer::start(Some(spa.path())).await;
    let first = s.get("/").await;
    let etag = first.headers()["etag"].clone();
    assert_eq!(first.headers()[CACHE_CONTROL], "no-cache");
    // Revalidation costs a 304; a deep link has the same ETag (it is the same file).
    let again = s.client.get(format!("{}/2018/blocs/1/results", s.base)).header("if-none-match", &etag).send().await;
    let again = again.unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(again.headers()[CACHE_CONTROL], "no-cache");
    // A proxy that compresses the answer (nginx) hands the browser a weak tag, among others.
    let weak = format!("\"other\", W/{}", etag.to_str().unwrap());
    let again = s.client.get(format!("{}/", s.base)).header("if-none-match", weak).send().await.unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    // Read at start: a file written afterwards is not served (a new build is a restart).
    std::fs::write(spa.path().join("index.html"), "<!doctype html><title>changed</title>").unwrap();
    assert_eq!(s.get("/").await.text().await.unwrap(), "<!doctype html><title>thidua</title>");
    let post = s.client.post(format!("{}/index.html", s.base)).send().await.unwrap();
    assert_eq!(post.status(), StatusCode::METHOD_NOT_ALLOWED);
}
