//! What an attacker tries, over real HTTP and raw TCP: bursts of sign-ins, many usernames
//! from one address, keeping the owner out, framing and scripts in the pages, reading
//! private answers cross-origin, slow clients, huge bodies, formulas in exported cells.

mod common;

use std::io::Cursor;
use std::time::{Duration, Instant};

use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
use common::{TestServer, Who, PASSWORD};
use reqwest::header::{CONTENT_SECURITY_POLICY, ORIGIN, RETRY_AFTER};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use thidua_domain::error::ApiErrorBody;
use thidua_domain::model::BlocSummary;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

async fn login_from(s: &TestServer, address: &str, username: &str, password: &str) -> reqwest::Response {
    s.client
        .post(format!("{}/api/auth/login", s.base))
        .header("X-Forwarded-For", format!("198.51.100.200, {address}"))
        .json(&json!({"username": username, "password": password}))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_burst_of_sign_ins_checks_no_more_passwords_than_the_limit() {
    let s = TestServer::start().await;
    let attempts = (0..40).map(|_| {
        let request = s.client.post(format!("{}/api/auth/login", s.base));
        request.json(&json!({"username": "staff", "password": "a wrong guess"})).send()
    });
    let statuses: Vec<StatusCode> = futures_join_all(attempts).await.into_iter().map(|r| r.unwrap().status()).collect();
    let checked = statuses.iter().filter(|&&st| st == StatusCode::UNAUTHORIZED).count();
    let refused = statuses.iter().filter(|&&st| st == StatusCode::TOO_MANY_REQUESTS).count();
    assert_eq!((checked, refused), (5, 35), "{statuses:?}");
}

#[tokio::test]
async fn one_address_cannot_try_username_after_username() {
    let s = TestServer::start().await;
    for i in 0..20 {
        let status = s.login_response(&format!("guess{i}"), "a wrong guess").await.status();
        assert_eq!(status, StatusCode::UNAUTHORIZED, "username {i}");
    }
    let response = s.login_response("guess20", "a wrong guess").await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(response.headers().contains_key(RETRY_AFTER));
    // Names no account can have count for the address too.
    assert_eq!(s.login_response("Not A Name!", "x").await.status(), StatusCode::TOO_MANY_REQUESTS);
    // Without `--trust-proxy` a made-up X-Forwarded-For changes nothing.
    assert_eq!(login_from(&s, "192.0.2.77", "guess21", "x").await.status(), StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn the_owner_signs_in_while_a_stranger_keeps_failing() {
    let s = TestServer::start_with(|c| c.trust_proxy = true).await;
    let stranger = "203.0.113.66";
    for _ in 0..5 {
        assert_eq!(login_from(&s, stranger, "staff", "a wrong guess").await.status(), StatusCode::UNAUTHORIZED);
    }
    for _ in 0..10 {
        assert_eq!(login_from(&s, stranger, "staff", "a wrong guess").await.status(), StatusCode::TOO_MANY_REQUESTS);
    }
    // The stranger is slowed, not the account: its owner, elsewhere, signs in at once.
    assert_eq!(login_from(&s, "192.0.2.10", "staff", PASSWORD).await.status(), StatusCode::OK);
    // The stranger still waits, even with the right password (one guessed right stays slow).
    assert_eq!(login_from(&s, stranger, "staff", PASSWORD).await.status(), StatusCode::TOO_MANY_REQUESTS);
    // The address is the last X-Forwarded-For entry, the one the proxy appended: what the
    // client put before it is ignored.
    let spoofed = s
        .client
        .post(format!("{}/api/auth/login", s.base))
        .header("X-Forwarded-For", format!("192.0.2.10, {stranger}"))
        .json(&json!({"username": "staff", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(spoofed.status(), StatusCode::TOO_MANY_REQUESTS);
}

/// `futures::future::join_all` without the dependency: every future on its own task.
async fn futures_join_all<F>(futures: impl Iterator<Item = F>) -> Vec<F::Output>
where
    F: std::future::Future + Send + 'static,
    F::Output: Send + 'static,
{
    let handles: Vec<_> = futures.map(tokio::spawn).collect();
    let mut out = Vec::new();
    for handle in handles {
        out.push(handle.await.unwrap());
    }
    out
}

const INDEX: &str = "<!doctype html><html><head><script type=\"module\">import init from '/app-0123456789abcdef.js';\nawait init();\n</script></head><body></body></html>";

#[tokio::test]
async fn every_page_has_a_strict_policy_and_cannot_be_framed() {
    let dist = tempfile::tempdir().unwrap();
    std::fs::write(dist.path().join("index.html"), INDEX).unwrap();
    std::fs::create_dir(dist.path().join("staff")).unwrap();
    let staff_index = INDEX.replace("/app-", "/staff/app-");
    std::fs::write(dist.path().join("staff/index.html"), &staff_index).unwrap();
    let static_dir = dist.path().to_path_buf();
    let s = TestServer::start_with(move |c| c.static_dir = static_dir).await;

    let sha = |html: &str| {
        let script = html.split_once("<script type=\"module\">").unwrap().1.split_once("</script>").unwrap().0;
        use base64::Engine;
        use sha2::Digest;
        format!("'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(script)))
    };
    for path in [
        "/",
        "/sign-in",
        "/sign-in?next=/sheets",
        "/admin",
        "/admin/users",
        "/sheets/3",
        "/awards/2019/1",
        "/2018/blocs/1/results",
        "/units/1",
    ] {
        let response = s.client.get(format!("{}{path}", s.base)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let csp = response.headers()[CONTENT_SECURITY_POLICY].to_str().unwrap().to_owned();
        assert!(
            csp.contains(&format!("script-src 'self' 'wasm-unsafe-eval' {} {}", sha(INDEX), sha(&staff_index))),
            "{path}: {csp}"
        );
        assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
        assert!(csp.contains("frame-ancestors 'none'") && csp.contains("object-src 'none'"), "{path}: {csp}");
        assert_eq!(response.headers()["x-frame-options"], "DENY", "{path}");
        assert_eq!(response.headers()["referrer-policy"], "same-origin", "{path}");
        assert_eq!(response.headers()["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(response.headers()["cross-origin-opener-policy"], "same-origin", "{path}");
        let permissions = response.headers()["permissions-policy"].to_str().unwrap();
        assert!(permissions.contains("camera=()") && permissions.contains("geolocation=()"), "{path}: {permissions}");
        assert!(response.headers().get("strict-transport-security").is_none(), "plain HTTP: {path}");
    }
    // The API's answers load nothing at all.
    let api = s.client.get(format!("{}/api/years", s.base)).send().await.unwrap();
    assert_eq!(api.headers()[CONTENT_SECURITY_POLICY], "default-src 'none'; frame-ancestors 'none'");
    // A client's own X-Forwarded-Proto counts for nothing without a trusted proxy.
    let https = s.client.get(format!("{}/", s.base)).header("X-Forwarded-Proto", "https").send().await.unwrap();
    assert!(https.headers().get("strict-transport-security").is_none());
    // Behind a trusted HTTPS proxy, browsers are told to keep to HTTPS.
    let proxied = TestServer::start_with(|c| c.trust_proxy = true).await;
    let https = proxied.client.get(format!("{}/", proxied.base)).header("X-Forwarded-Proto", "https").send().await;
    assert_eq!(https.unwrap().headers()["strict-transport-security"], "max-age=31536000");
}

#[tokio::test]
async fn private_answers_never_allow_another_origin() {
    let s = TestServer::start().await;
    let staff = s.login("staff").await;
    let yte = s.login("yte").await;
    let anon = Who::anonymous();
    let blocs: Vec<BlocSummary> = s.ok(&anon, Method::GET, "/api/years/2019/blocs", None).await;
    let bloc = blocs[0].id;
    let cross = |who: &Who, method: Method, path: &str| {
        s.request(who, method, path).header(ORIGIN, "https://elsewhere.example").send()
    };
    let acao =
        |r: &reqwest::Response| r.headers().get("access-control-allow-origin").map(|v| v.to_str().unwrap().to_owned());

    for path in [
        "/api/years",
        "/api/years/2018/blocs",
        &format!("/api/years/2018/blocs/{bloc}/results"),
        "/api/units/1/history",
    ] {
        let r = cross(&anon, Method::GET, path).await.unwrap();
        assert_eq!((r.status(), acao(&r)), (StatusCode::OK, Some("*".to_owned())), "public {path}");
    }
    let private = [
        (&staff, format!("/api/years/2019/blocs/{bloc}/results")),
        (&staff, format!("/api/years/2019/blocs/{bloc}/results.csv")),
        (&staff, format!("/api/years/2019/blocs/{bloc}/results.xlsx")),
        (&staff, "/api/admin/years".to_owned()),
        (&staff, "/api/admin/users".to_owned()),
        (&staff, "/api/sheets?year=2019".to_owned()),
        (&yte, "/api/sheets".to_owned()),
        (&yte, "/api/auth/me".to_owned()),
    ];
    for (who, path) in &private {
        let r = cross(who, Method::GET, path).await.unwrap();
        assert_eq!((r.status(), acao(&r)), (StatusCode::OK, None), "{} {path}", who.name);
    }
    // A preflight for a private path is not granted either.
    let r = cross(&anon, Method::OPTIONS, "/api/sheets").await.unwrap();
    assert_eq!(acao(&r), None, "preflight");
    // A write from a page of another site is refused before anything happens (defence in
    // depth beside SameSite=Strict): no session is made, nothing changes.
    let login = s
        .client
        .post(format!("{}/api/auth/login", s.base))
        .header(ORIGIN, "https://elsewhere.example")
        .json(&json!({"username": "gddt", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!((login.status(), acao(&login)), (StatusCode::FORBIDDEN, None));
    assert!(login.headers().get("set-cookie").is_none());
    let body: ApiErrorBody = login.json().await.unwrap();
    assert_eq!(body.code, "cross_origin");
    for origin in ["null", "http://127.0.0.1:1", "https://elsewhere.example"] {
        let r = s
            .request(&staff, Method::POST, "/api/admin/units")
            .header(ORIGIN, origin)
            .json(&json!({"name": "Sở Ngoại vụ", "from_year": 2019}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{origin}");
    }
    let units: Value = s.ok(&staff, Method::GET, "/api/admin/units", None).await;
    assert!(!units.to_string().contains("Sở Ngoại vụ"), "no unit was made");
    // The site's own origin, and no Origin at all (curl, scripts), go through.
    let own = format!("http://{}", socket(&s));
    let login = s
        .client
        .post(format!("{}/api/auth/login", s.base))
        .header(ORIGIN, own.as_str())
        .json(&json!({"username": "gddt", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), StatusCode::OK);
    assert_eq!(s.login_response("gddt", PASSWORD).await.status(), StatusCode::OK);
}

fn socket(s: &TestServer) -> String {
    s.base.trim_start_matches("http://").to_owned()
}

/// Reads until the server closes the connection (or 10 s pass): what it sent, and when it closed.
async fn until_closed(stream: &mut TcpStream) -> (String, Duration) {
    let started = Instant::now();
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match tokio::time::timeout(Duration::from_secs(10), stream.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => break,
            Ok(Ok(n)) => got.extend_from_slice(&buf[..n]),
            Err(_) => panic!("still open after 10 s; got {:?}", String::from_utf8_lossy(&got)),
        }
    }
    (String::from_utf8_lossy(&got).into_owned(), started.elapsed())
}

#[tokio::test]
async fn a_client_that_sends_its_headers_slowly_is_cut_off() {
    let s = TestServer::start_with(|c| c.header_timeout = Duration::from_secs(1)).await;
    let (mut read, mut write) = TcpStream::connect(socket(&s)).await.unwrap().into_split();
    write.write_all(b"GET /api/years HTTP/1.1\r\nHost: x\r\n").await.unwrap();
    let started = Instant::now();
    // A header line every 200 ms: bytes keep coming, but the headers never end.
    tokio::spawn(async move {
        for i in 0..100 {
            tokio::time::sleep(Duration::from_millis(200)).await;
            if write.write_all(format!("X-Slow-{i}: 1\r\n").as_bytes()).await.is_err() {
                break;
            }
        }
    });
    let mut buf = [0u8; 1024];
    let closed = tokio::time::timeout(Duration::from_secs(5), async {
        while matches!(read.read(&mut buf).await, Ok(n) if n > 0) {}
    })
    .await;
    let elapsed = started.elapsed();
    assert!(closed.is_ok(), "still open after 5 s");
    assert!(elapsed >= Duration::from_millis(900), "not before the timeout: {elapsed:?}");

    // An idle keep-alive connection is closed by the same timer.
    let mut idle = TcpStream::connect(socket(&s)).await.unwrap();
    idle.write_all(b"GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n").await.unwrap();
    let (answer, after) = until_closed(&mut idle).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(after >= Duration::from_millis(900) && after < Duration::from_secs(5), "closed after {after:?}");
}

#[tokio::test]
async fn a_body_that_stops_coming_is_cut_off() {
    // Idle first: the connection is dropped.
    let s = TestServer::start_with(|c| c.idle_timeout = Duration::from_secs(1)).await;
    let mut stream = TcpStream::connect(socket(&s)).await.unwrap();
    let head =
        "POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n";
    stream.write_all(format!("{head}{{\"username\":").as_bytes()).await.unwrap();
    let (_, after) = until_closed(&mut stream).await;
    assert!(after < Duration::from_secs(5), "closed after {after:?}");

    // The request timeout first: the answer is 408.
    let s = TestServer::start_with(|c| c.request_timeout = Duration::from_secs(1)).await;
    let mut stream = TcpStream::connect(socket(&s)).await.unwrap();
    stream.write_all(format!("{head}{{\"username\":").as_bytes()).await.unwrap();
    let (answer, after) = until_closed(&mut stream).await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("\"code\":\"request_timeout\""), "{answer}");
    assert!(after < Duration::from_secs(5), "answered after {after:?}");
}

/// Sends the whole of a `bytes`-long body, as most clients do, and only then reads the
/// answer, until the server closes the connection (`None` if it keeps it open for 5 s).
async fn post_then_read(s: &TestServer, path: &str, cookie: Option<&str>, bytes: usize) -> Option<String> {
    let mut stream = TcpStream::connect(socket(s)).await.unwrap();
    let cookie = cookie.map(|c| format!("Cookie: {c}\r\n")).unwrap_or_default();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: x\r\n{cookie}Content-Type: application/json\r\nContent-Length: {bytes}\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let chunk = vec![b'x'; 64 * 1024];
    let mut sent = 0;
    while sent < bytes {
        let n = chunk.len().min(bytes - sent);
        // A server that stopped reading makes this fail; the client still reads what came back.
        if stream.write_all(&chunk[..n]).await.is_err() {
            break;
        }
        sent += n;
    }
    let mut answer = Vec::new();
    let closed = tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut answer)).await;
    closed.is_ok().then(|| String::from_utf8_lossy(&answer).into_owned())
}

#[tokio::test]
async fn a_body_over_the_limit_gets_a_readable_413() {
    let s = TestServer::start().await;
    let staff = s.login("staff").await;
    let cookie = staff.cookie.as_deref();
    for (path, cookie) in [("/api/auth/login", None), ("/api/admin/years", cookie), ("/api/sheets/1/submit", cookie)] {
        for bytes in [300 * 1024, 2 * 1024 * 1024, 8 * 1024 * 1024] {
            let answer = post_then_read(&s, path, cookie, bytes).await;
            // Answered, and closed cleanly: the client is not left waiting on a connection
            // the server will not read from.
            let answer = answer.unwrap_or_else(|| panic!("{path}, {bytes} bytes: still open after the answer"));
            assert!(answer.starts_with("HTTP/1.1 413"), "{path}, {bytes} bytes: {answer:?}");
            assert!(answer.contains("\"code\":\"payload_too_large\""), "{path}: {answer}");
        }
    }
    // Through an ordinary client too.
    let response = s
        .request(&Who::anonymous(), Method::POST, "/api/auth/login")
        .header("Content-Type", "application/json")
        .body("x".repeat(2 * 1024 * 1024))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(response.json::<ApiErrorBody>().await.unwrap().code, "payload_too_large");
}

/// As `post_then_read`, but the body comes in chunks with no `Content-Length`, so the
/// server only learns it is too large by reading it; also says whether the whole body
/// could be sent.
async fn post_chunked_then_read(
    s: &TestServer,
    path: &str,
    cookie: Option<&str>,
    bytes: usize,
) -> (Option<String>, bool) {
    let mut stream = TcpStream::connect(socket(s)).await.unwrap();
    let cookie = cookie.map(|c| format!("Cookie: {c}\r\n")).unwrap_or_default();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: x\r\n{cookie}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let chunk = vec![b'x'; 64 * 1024];
    let mut sent = 0;
    while sent < bytes {
        let n = chunk.len().min(bytes - sent);
        let mut framed = format!("{n:x}\r\n").into_bytes();
        framed.extend_from_slice(&chunk[..n]);
        framed.extend_from_slice(b"\r\n");
        if stream.write_all(&framed).await.is_err() {
            break;
        }
        sent += n;
    }
    let all_sent = sent == bytes && stream.write_all(b"0\r\n\r\n").await.is_ok();
    let mut answer = Vec::new();
    let closed = tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut answer)).await;
    (closed.is_ok().then(|| String::from_utf8_lossy(&answer).into_owned()), all_sent)
}

#[tokio::test]
async fn a_chunked_body_over_the_limit_gets_a_readable_413() {
    let s = TestServer::start().await;
    let staff = s.login("staff").await;
    let cookie = staff.cookie.as_deref();
    for (path, cookie) in [("/api/auth/login", None), ("/api/admin/years", cookie), ("/api/sheets/1/submit", cookie)] {
        for bytes in [300 * 1024, 2 * 1024 * 1024, 8 * 1024 * 1024] {
            let (answer, all_sent) = post_chunked_then_read(&s, path, cookie, bytes).await;
            // The server read it all (and dropped it) before closing: a client that writes
            // its whole body before it reads never meets a reset connection.
            assert!(all_sent, "{path}, {bytes} bytes: the server stopped reading");
            let answer = answer.unwrap_or_else(|| panic!("{path}, {bytes} bytes: still open after the answer"));
            assert!(answer.starts_with("HTTP/1.1 413"), "{path}, {bytes} bytes: {answer:?}");
            assert!(answer.contains("\"code\":\"payload_too_large\""), "{path}: {answer}");
        }
    }
    // A chunked body within the limit is read as any other.
    let mut stream = TcpStream::connect(socket(&s)).await.unwrap();
    let body = format!("{{\"username\":\"staff\",\"password\":\"{PASSWORD}\"}}");
    let request = format!(
        "POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n{:x}\r\n{body}\r\n0\r\n\r\n",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let (answer, _) = until_closed(&mut stream).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}

#[tokio::test]
async fn exported_cells_never_start_a_formula() {
    let s = TestServer::start().await;
    let anon = Who::anonymous();
    let blocs: Vec<BlocSummary> = s.ok(&anon, Method::GET, "/api/years/2018/blocs", None).await;
    let base = format!("/api/years/2018/blocs/{}", blocs[0].id);
    let db = s.db().await;
    let hostile =
        ["=HYPERLINK(\"http://evil.example\",\"Sở Y tế\")", "@SUM(1+1)*cmd|' /C calc'!A0", "+1+2", "-2+3", "\tTab"];
    let ids: Vec<i64> =
        sqlx::query_scalar("SELECT DISTINCT unit_id FROM unit_names ORDER BY unit_id").fetch_all(&db).await.unwrap();
    for (id, name) in ids.iter().zip(hostile) {
        sqlx::query("UPDATE unit_names SET name = $1 WHERE unit_id = $2")
            .bind(name)
            .bind(id)
            .execute(&db)
            .await
            .unwrap();
        sqlx::query("UPDATE units SET name = $1 WHERE id = $2").bind(name).bind(id).execute(&db).await.unwrap();
    }
    // The published files are made from the stored revision: publish again, with the names.
    let staff = s.login("staff").await;
    s.expect(&staff, Method::POST, &format!("{base}/unpublish?reason=names"), None, StatusCode::OK).await;
    s.expect(&staff, Method::POST, &format!("{base}/publish"), None, StatusCode::OK).await;

    for lang in ["vi", "en"] {
        let bytes =
            s.send(&anon, Method::GET, &format!("{base}/results.csv?lang={lang}"), None).await.bytes().await.unwrap();
        let mut reader = csv::Reader::from_reader(&bytes[3..]);
        let units: Vec<String> = reader.records().map(|r| r.unwrap()[1].to_owned()).collect();
        for name in hostile {
            assert!(units.contains(&format!("'{name}")), "{lang}: {name:?} is inert in {units:?}");
        }
        for record in csv::Reader::from_reader(&bytes[3..]).records() {
            let record = record.unwrap();
            // Rank, unit and the sheet's state are text; from the totals on every cell is a
            // number, and stays one (a number is never made text).
            for cell in record.iter().skip(3) {
                assert!(cell.is_empty() || cell.parse::<f64>().is_ok(), "{lang}: {cell:?}");
            }
            assert!(record.iter().all(|c| !c.starts_with(['=', '+', '-', '@', '\t', '\r'])), "{lang}: {record:?}");
        }

        // The workbook writes names as text cells, never as formulas.
        let bytes =
            s.send(&anon, Method::GET, &format!("{base}/results.xlsx?lang={lang}"), None).await.bytes().await.unwrap();
        let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes.to_vec())).unwrap();
        for sheet in book.sheet_names() {
            let formulas = book.worksheet_formula(&sheet).unwrap();
            assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()), "{lang} {sheet}: no formulas");
        }
        let ranking = book.worksheet_range(&book.sheet_names()[0]).unwrap();
        let names: Vec<&Data> = ranking.rows().skip(1).map(|row| &row[1]).collect();
        for name in hostile {
            assert!(names.contains(&&Data::String(name.to_owned())), "{lang}: {name:?} is a text cell in {names:?}");
        }
    }
}

/// The contract says what the server enforces, so a generated client knows it: the lengths
/// and the shape of usernames and passwords, from the domain's own constants.
#[tokio::test]
async fn the_document_states_the_account_constraints() {
    use thidua_domain::auth::{valid_username, PASSWORD_MAX, PASSWORD_MIN, USERNAME_MAX};
    let s = TestServer::start().await;
    let doc: serde_json::Value = s.ok(&Who::anonymous(), Method::GET, "/api/openapi.json", None).await;
    let schema = |name: &str| doc["components"]["schemas"][name]["properties"].clone();
    let login = schema("LoginRequest");
    assert_eq!((login["username"]["minLength"].as_u64(), login["password"]["minLength"].as_u64()), (Some(1), Some(1)));
    let new_user = schema("NewUser");
    assert_eq!(new_user["username"]["maxLength"].as_u64(), Some(USERNAME_MAX as u64));
    assert_eq!(new_user["username"]["pattern"], "^[a-z0-9._-]+$");
    assert!(valid_username("a.b_c-1") && !valid_username("A"), "the pattern's own examples");
    for reset in [new_user["password"].clone(), schema("PasswordReset")["password"].clone()] {
        assert_eq!(
            (reset["minLength"].as_u64(), reset["maxLength"].as_u64()),
            (Some(PASSWORD_MIN as u64), Some(PASSWORD_MAX as u64))
        );
    }
}
