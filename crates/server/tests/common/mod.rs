//! A server with the demo data on a fresh database of its own, and clients that sign in as
//! the demo accounts. The session cookie is carried by hand, so one test can act as several
//! users.
//!
//! The database is a temporary SQLite file, or, when `THIDUA_TEST_POSTGRES` holds a server's
//! URL (`postgres://postgres@127.0.0.1:5432`, as `scripts/test.sh` sets it), a new PostgreSQL
//! database on that server for each test.

#![allow(dead_code)] // Each test file uses its own part of this.

pub mod process;

use std::net::SocketAddr;
use std::path::Path;
use std::sync::atomic::{AtomicU32, Ordering};

use reqwest::header::{CONTENT_TYPE, COOKIE, SET_COOKIE};
use reqwest::{Method, RequestBuilder, Response, StatusCode};
use serde::de::DeserializeOwned;
use serde_json::Value;
use tempfile::TempDir;
use thidua_domain::error::ApiErrorBody;
use thidua_domain::model::{BlocDetail, BlocSummary};
use thidua_domain::sheet_edit::{SheetSummary, SheetView};
use thidua_server::{db, Config, Server};

pub const PASSWORD: &str = "thidua-demo";

pub struct TestServer {
    pub base: String,
    /// `http://…` of the `--metrics-addr` listener, when the test asked for one.
    pub metrics_base: Option<String>,
    pub client: reqwest::Client,
    pub database: String,
    _dir: TempDir,
}

/// Who sends a request: a session cookie (`thidua_session=…`), or no one.
#[derive(Clone, Debug)]
pub struct Who {
    pub name: &'static str,
    pub cookie: Option<String>,
}

impl Who {
    pub fn anonymous() -> Who {
        Who { name: "anonymous", cookie: None }
    }
}

/// The PostgreSQL server the tests run on, if they run on PostgreSQL.
pub fn postgres_server() -> Option<String> {
    std::env::var("THIDUA_TEST_POSTGRES").ok().filter(|url| !url.is_empty())
}

/// The URL of a new, empty database for one test: a SQLite file in `dir`, or a new database
/// on `THIDUA_TEST_POSTGRES`, named after this process and a counter (never reused).
pub async fn new_database(dir: &Path) -> String {
    let Some(server) = postgres_server() else {
        return format!("sqlite://{}", dir.join("thidua.sqlite3").display());
    };
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos();
    let name = format!("thidua_test_{}_{}_{nanos}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed));
    let server = server.trim_end_matches('/');
    let mut admin = <sqlx::PgConnection as sqlx::Connection>::connect(&format!("{server}/postgres"))
        .await
        .expect("THIDUA_TEST_POSTGRES names a PostgreSQL server we may create databases on");
    sqlx::Executor::execute(&mut admin, format!("CREATE DATABASE {name}").as_str()).await.unwrap();
    sqlx::Connection::close(admin).await.unwrap();
    format!("{server}/{name}")
}

impl TestServer {
    pub async fn start() -> TestServer {
        Self::start_with(|_| {}).await
    }

    /// A server whose settings `tweak` changes (timeouts, `trust_proxy`, a static directory).
    pub async fn start_with(tweak: impl FnOnce(&mut Config)) -> TestServer {
        let dir = tempfile::tempdir().unwrap();
        let database = new_database(dir.path()).await;
        let mut config = Config {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            database: database.clone(),
            static_dir: dir.path().join("no-dist"),
            demo: true,
            ..Config::default()
        };
        tweak(&mut config);
        // The database the server really uses (a test may have named another).
        let database = config.database.clone();
        let server = Server::bind(&config).await.unwrap();
        let base = format!("http://{}", server.local_addr());
        let metrics_base = server.metrics_addr().map(|addr| format!("http://{addr}"));
        tokio::spawn(server.serve(std::future::pending()));
        TestServer { base, metrics_base, client: reqwest::Client::new(), database, _dir: dir }
    }

    /// A client of a server started otherwise (a process of its own) on `database`; `dir`
    /// lives as long as this.
    pub fn attach(base: String, database: String, dir: TempDir) -> TestServer {
        TestServer { base, metrics_base: None, client: reqwest::Client::new(), database, _dir: dir }
    }

    /// A second connection to the server's database, to look behind the API.
    pub async fn db(&self) -> db::Db {
        db::connect(&self.database).await.unwrap()
    }

    pub fn request(&self, who: &Who, method: Method, path: &str) -> RequestBuilder {
        let request = self.client.request(method, format!("{}{path}", self.base));
        match &who.cookie {
            Some(cookie) => request.header(COOKIE, cookie),
            None => request,
        }
    }

    pub async fn send(&self, who: &Who, method: Method, path: &str, body: Option<&Value>) -> Response {
        let request = self.request(who, method, path);
        let request = match body {
            Some(body) => request.json(body),
            None => request,
        };
        request.send().await.unwrap()
    }

    /// Sends and checks the status; answers the JSON body (`null` when there is none).
    pub async fn expect(
        &self,
        who: &Who,
        method: Method,
        path: &str,
        body: Option<&Value>,
        status: StatusCode,
    ) -> Value {
        let response = self.send(who, method.clone(), path, body).await;
        let got = response.status();
        let text = response.text().await.unwrap();
        assert_eq!(got, status, "{} {method} {path}: {text}", who.name);
        if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap()
        }
    }

    /// Sends and checks for an error answer with that status and code.
    pub async fn refused(
        &self,
        who: &Who,
        method: Method,
        path: &str,
        body: Option<&Value>,
        status: StatusCode,
        code: &str,
    ) -> ApiErrorBody {
        let response = self.send(who, method.clone(), path, body).await;
        assert_eq!(response.status(), status, "{} {method} {path}", who.name);
        assert_eq!(response.headers()[CONTENT_TYPE], "application/json", "{} {method} {path}", who.name);
        let body: ApiErrorBody = response.json().await.unwrap();
        assert_eq!(body.code, code, "{} {method} {path}: {}", who.name, body.message);
        body
    }

    pub async fn ok<T: DeserializeOwned>(&self, who: &Who, method: Method, path: &str, body: Option<&Value>) -> T {
        serde_json::from_value(self.expect(who, method, path, body, StatusCode::OK).await).unwrap()
    }

    pub async fn login_response(&self, username: &str, password: &str) -> Response {
        self.client
            .post(format!("{}/api/auth/login", self.base))
            .json(&serde_json::json!({"username": username, "password": password}))
            .send()
            .await
            .unwrap()
    }

    /// Signs in as a demo account.
    pub async fn login(&self, username: &'static str) -> Who {
        let response = self.login_response(username, PASSWORD).await;
        assert_eq!(response.status(), StatusCode::OK, "sign in as {username}");
        Who { name: username, cookie: Some(session_cookie(&response).unwrap()) }
    }

    pub async fn view(&self, who: &Who, id: i64) -> SheetView {
        self.ok(who, Method::GET, &format!("/api/sheets/{id}"), None).await
    }

    /// Uploads an evidence file whole (tus: create, then one PATCH) to `target` (`criterion:ID`
    /// …) of a sheet; answers the new file's id.
    pub async fn upload_file(&self, who: &Who, sheet: i64, target: &str, name: &str, bytes: &[u8]) -> i64 {
        use base64::Engine as _;
        let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s.as_bytes());
        let created = self
            .request(who, Method::POST, &format!("/api/sheets/{sheet}/uploads"))
            .header("tus-resumable", "1.0.0")
            .header("upload-length", bytes.len().to_string())
            .header("upload-metadata", format!("filename {},target {}", b64(name), b64(target)))
            .send()
            .await
            .unwrap();
        assert_eq!(created.status(), StatusCode::CREATED, "{}", created.text().await.unwrap());
        let at = created.headers()["location"].to_str().unwrap().to_owned();
        let done = self
            .request(who, Method::PATCH, &at)
            .header("tus-resumable", "1.0.0")
            .header("upload-offset", "0")
            .header(CONTENT_TYPE, "application/offset+octet-stream")
            .body(bytes.to_vec())
            .send()
            .await
            .unwrap();
        assert_eq!(done.status(), StatusCode::NO_CONTENT, "{}", done.text().await.unwrap());
        assert_eq!(done.headers()["upload-offset"], bytes.len().to_string().as_str());
        done.headers()["thidua-file-id"].to_str().unwrap().parse().unwrap()
    }

    /// The id of a unit's sheet for a year, as staff sees the list.
    pub async fn sheet_of(&self, staff: &Who, year: i32, unit: &str) -> i64 {
        let list: Vec<SheetSummary> = self.ok(staff, Method::GET, &format!("/api/sheets?year={year}"), None).await;
        list.iter().find(|s| s.unit.name == unit).map(|s| s.id).unwrap()
    }
}

/// The four demo accounts and no one.
pub struct People {
    pub anon: Who,
    /// Unit officer of unit A (Sở Y tế).
    pub yte: Who,
    /// Unit officer of unit B (Sở Giáo dục và Đào tạo).
    pub gddt: Who,
    /// Leader officer of the bloc's leader unit (Sở Lao động - Thương binh và Xã hội).
    pub leader: Who,
    pub staff: Who,
}

pub async fn people(s: &TestServer) -> People {
    People {
        anon: Who::anonymous(),
        yte: s.login("yte").await,
        gddt: s.login("gddt").await,
        leader: s.login("ldtbxh").await,
        staff: s.login("staff").await,
    }
}

/// The demo's bloc (the one bloc it has) in 2019: its id and its members by name.
pub struct DemoBloc {
    pub id: i64,
    pub members: Vec<(String, i64)>,
}

impl DemoBloc {
    pub async fn load(s: &TestServer) -> DemoBloc {
        let anon = Who::anonymous();
        let blocs: Vec<BlocSummary> = s.ok(&anon, Method::GET, "/api/years/2019/blocs", None).await;
        let id = blocs[0].id;
        let detail: BlocDetail = s.ok(&anon, Method::GET, &format!("/api/years/2019/blocs/{id}"), None).await;
        DemoBloc { id, members: detail.members.into_iter().map(|u| (u.name, u.id)).collect() }
    }

    /// A member's id by its 2019 name.
    pub fn unit(&self, name: &str) -> i64 {
        self.members.iter().find(|(n, _)| n == name).map(|&(_, id)| id).unwrap()
    }
}

/// `thidua_session=…` from a response's Set-Cookie, as a Cookie header sends it back.
pub fn session_cookie(response: &Response) -> Option<String> {
    response
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("thidua_session="))
        .and_then(|v| v.split(';').next())
        .map(str::to_owned)
}
