//! Signing in and out over real HTTP: credentials, the cookie, the throttle, expiry.

mod common;

use common::{session_cookie, TestServer, Who, PASSWORD};
use reqwest::header::{CACHE_CONTROL, RETRY_AFTER, SET_COOKIE};
use reqwest::{Method, StatusCode};
use serde_json::json;
use thidua_domain::auth::{Me, Role};
use thidua_domain::error::{ApiErrorBody, FieldError};

fn set_cookie(response: &reqwest::Response) -> String {
    response.headers()[SET_COOKIE].to_str().unwrap().to_owned()
}

#[tokio::test]
async fn sign_in_answers_me_and_a_strict_http_only_cookie() {
    let s = TestServer::start().await;
    let response = s.login_response("yte", PASSWORD).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[CACHE_CONTROL], "no-store", "personal answers are never cached");
    let cookie = set_cookie(&response);
    let token = session_cookie(&response).unwrap();
    assert_eq!(token.len(), "thidua_session=".len() + 43, "32 random bytes, base64url");
    for flag in ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=28800"] {
        assert!(cookie.contains(flag), "{flag} in {cookie}");
    }
    assert!(!cookie.contains("Secure"), "plain http (local) has no Secure: {cookie}");
    let me: Me = response.json().await.unwrap();
    assert_eq!((me.username.as_str(), me.role), ("yte", Role::UnitOfficer));
    assert_eq!(me.unit_name.as_deref(), Some("Sở Y tế"));

    let who = Who { name: "yte", cookie: Some(token.clone()) };
    let again: Me = s.ok(&who, Method::GET, "/api/auth/me", None).await;
    assert_eq!(again, me);

    // Only the token's hash is stored.
    let db = s.db().await;
    let stored: Vec<String> = sqlx::query_scalar("SELECT token_hash FROM sessions").fetch_all(&db).await.unwrap();
    let raw = token.trim_start_matches("thidua_session=");
    assert_eq!(stored.len(), 1);
    assert!(stored[0].len() == 64 && stored[0] != raw);

    // A client's own X-Forwarded-Proto does not make the cookie Secure (it would then not
    // come back over the plain HTTP the client really uses); a trusted proxy's does.
    let login_https = |s: &TestServer| {
        s.client
            .post(format!("{}/api/auth/login", s.base))
            .header("X-Forwarded-Proto", "https")
            .json(&json!({"username": "yte", "password": PASSWORD}))
            .send()
    };
    assert!(!set_cookie(&login_https(&s).await.unwrap()).contains("Secure"));
    let proxied = TestServer::start_with(|c| c.trust_proxy = true).await;
    assert!(set_cookie(&login_https(&proxied).await.unwrap()).contains("Secure"));
}

#[tokio::test]
async fn wrong_password_unknown_user_and_disabled_account_are_alike() {
    let s = TestServer::start().await;
    for (user, password) in [("yte", "not the password"), ("nobody", PASSWORD), ("Not A Name!", PASSWORD)] {
        let response = s.login_response(user, password).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{user}");
        assert!(response.headers().get(SET_COOKIE).is_none());
        let body: ApiErrorBody = response.json().await.unwrap();
        assert_eq!(body.code, "invalid_credentials", "{user}");
    }

    let gddt = s.login("gddt").await;
    let db = s.db().await;
    sqlx::query("UPDATE users SET disabled = TRUE WHERE username = 'gddt'").execute(&db).await.unwrap();
    let response = s.login_response("gddt", PASSWORD).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(response.json::<ApiErrorBody>().await.unwrap().code, "invalid_credentials");
    s.refused(&gddt, Method::GET, "/api/auth/me", None, StatusCode::UNAUTHORIZED, "unauthenticated").await;
}

#[tokio::test]
async fn empty_fields_and_bad_bodies() {
    let s = TestServer::start().await;
    let anon = Who::anonymous();
    let body = json!({"username": "", "password": ""});
    let e = s
        .refused(&anon, Method::POST, "/api/auth/login", Some(&body), StatusCode::UNPROCESSABLE_ENTITY, "invalid_input")
        .await;
    assert_eq!(e.fields["username"], [FieldError::Required]);
    assert_eq!(e.fields["password"], [FieldError::Required]);

    let e = s
        .refused(
            &anon,
            Method::POST,
            "/api/auth/login",
            Some(&json!({"username": "yte"})),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_input",
        )
        .await;
    assert_eq!(e.fields["password"], [FieldError::Required], "a missing field is required too");

    let broken = s
        .request(&anon, Method::POST, "/api/auth/login")
        .header("Content-Type", "application/json")
        .body("{\"username\": \"yte\",")
        .send()
        .await
        .unwrap();
    assert_eq!(broken.status(), StatusCode::BAD_REQUEST);
    assert_eq!(broken.json::<ApiErrorBody>().await.unwrap().code, "bad_request");

    let form = s.request(&anon, Method::POST, "/api/auth/login").body("username=yte").send().await.unwrap();
    assert_eq!(form.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(form.json::<ApiErrorBody>().await.unwrap().code, "unsupported_media_type");
}

#[tokio::test]
async fn after_five_failures_the_next_attempt_waits_a_minute() {
    let s = TestServer::start().await;
    for attempt in 1..=5 {
        let response = s.login_response("yte", "wrong password").await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "attempt {attempt}");
    }
    let response = s.login_response("yte", "wrong password").await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = response.headers()[RETRY_AFTER].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry), "Retry-After {retry}");
    assert_eq!(response.json::<ApiErrorBody>().await.unwrap().code, "too_many_attempts");

    // From this address even the right password waits…
    assert_eq!(s.login_response("yte", PASSWORD).await.status(), StatusCode::TOO_MANY_REQUESTS);
    // …for this username only.
    assert_eq!(s.login_response("gddt", PASSWORD).await.status(), StatusCode::OK);

    // When the wait is over (the last failure moved a minute back here), the next try is
    // checked; another failure then waits twice as long.
    let db = s.db().await;
    // The time is written from here, in the stored shape, so the same statement runs on both engines.
    let back = "UPDATE sign_in_throttle SET last_failure_at = $1";
    let ago =
        |secs| thidua_server::clock::timestamp(thidua_server::clock::now() - std::time::Duration::from_secs(secs));
    sqlx::query(back).bind(ago(61)).execute(&db).await.unwrap();
    assert_eq!(s.login_response("yte", "wrong password").await.status(), StatusCode::UNAUTHORIZED);
    let response = s.login_response("yte", PASSWORD).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = response.headers()[RETRY_AFTER].to_str().unwrap().parse().unwrap();
    assert!((61..=120).contains(&retry), "the second wait is two minutes: {retry}");
    sqlx::query(back).bind(ago(121)).execute(&db).await.unwrap();
    assert_eq!(s.login_response("yte", PASSWORD).await.status(), StatusCode::OK);

    // A count nobody added to for a day is forgotten: five free tries again.
    for _ in 0..7 {
        s.login_response("gddt", "wrong password").await;
    }
    sqlx::query(back).bind(ago(24 * 60 * 60 + 1)).execute(&db).await.unwrap();
    for attempt in 1..=5 {
        let status = s.login_response("gddt", "wrong password").await.status();
        assert_eq!(status, StatusCode::UNAUTHORIZED, "attempt {attempt} a day later");
    }
}

#[tokio::test]
async fn a_success_resets_the_count() {
    let s = TestServer::start().await;
    for _ in 0..4 {
        assert_eq!(s.login_response("gddt", "wrong password").await.status(), StatusCode::UNAUTHORIZED);
    }
    s.login("gddt").await;
    for attempt in 1..=5 {
        let status = s.login_response("gddt", "wrong password").await.status();
        assert_eq!(status, StatusCode::UNAUTHORIZED, "attempt {attempt} after the reset");
    }
    assert_eq!(s.login_response("gddt", "wrong password").await.status(), StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn logout_ends_the_session_and_clears_the_cookie() {
    let s = TestServer::start().await;
    let staff = s.login("staff").await;
    s.expect(&staff, Method::GET, "/api/auth/me", None, StatusCode::OK).await;
    let response = s.send(&staff, Method::POST, "/api/auth/logout", None).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let cleared = set_cookie(&response);
    assert!(cleared.starts_with("thidua_session=") && cleared.contains("Max-Age=0"), "{cleared}");
    s.refused(&staff, Method::GET, "/api/auth/me", None, StatusCode::UNAUTHORIZED, "unauthenticated").await;
    s.refused(&staff, Method::GET, "/api/sheets", None, StatusCode::UNAUTHORIZED, "unauthenticated").await;
    // Signing out twice, or without a session, is fine.
    assert_eq!(s.send(&staff, Method::POST, "/api/auth/logout", None).await.status(), StatusCode::NO_CONTENT);
    let anon = Who::anonymous();
    assert_eq!(s.send(&anon, Method::POST, "/api/auth/logout", None).await.status(), StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn an_expired_or_made_up_session_is_refused() {
    let s = TestServer::start().await;
    let yte = s.login("yte").await;
    let db = s.db().await;
    sqlx::query("UPDATE sessions SET expires_at = '2000-01-01T00:00:00Z'").execute(&db).await.unwrap();
    s.refused(&yte, Method::GET, "/api/auth/me", None, StatusCode::UNAUTHORIZED, "unauthenticated").await;
    let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions").fetch_one(&db).await.unwrap();
    assert_eq!(left, 0, "the expired session is deleted");

    let forged =
        Who { name: "forged", cookie: Some("thidua_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA".into()) };
    s.refused(&forged, Method::GET, "/api/auth/me", None, StatusCode::UNAUTHORIZED, "unauthenticated").await;
}
