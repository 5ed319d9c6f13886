//! `/api/auth/…`: signing in and out, and who is signed in. The session is an HttpOnly
//! cookie holding a random token; the database keeps only the token's SHA-256.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts, OptionalFromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use thidua_domain::auth::{valid_username, LoginRequest, Me, Principal};
use thidua_domain::error::{push, ApiErrorBody, FieldError, FieldErrors};

use super::error::{internal, Error, Result};
use crate::accounts::{self, session_lifetime, token_hash, verify_password};
use crate::clock::now;
use crate::http::extract::Json;
use crate::http::state::{begin_write, AppState};
use crate::store::accounts as store;
use crate::store::throttle as counts;
use crate::throttle::{address_key, retry_after};

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "thidua_session";

/// What the log says when the machinery fails during sign-in (random numbers, the hashing task).
const SIGN_IN_FAILED: &str = "sign-in failed";

/// The signed-in user, for handlers that need one: answers 401 `unauthenticated` when the
/// request has no current session. Put it before the body extractor, so an anonymous
/// request is refused before its body is read.
#[derive(Clone, Debug)]
pub struct CurrentUser {
    pub principal: Principal,
    pub me: Me,
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self> {
        <CurrentUser as OptionalFromRequestParts<AppState>>::from_request_parts(parts, state)
            .await?
            .ok_or(Error::Unauthenticated)
    }
}

/// `Option<CurrentUser>`, for public endpoints that show more to some users: `None` without a
/// current session (an expired cookie reads as signed out, not as an error).
impl OptionalFromRequestParts<AppState> for CurrentUser {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Option<Self>> {
        let jar = CookieJar::from_headers(&parts.headers);
        let Some(token) = jar.get(SESSION_COOKIE).map(|c| c.value().to_owned()) else {
            return Ok(None);
        };
        let mut conn = state.db.acquire().await?;
        let user = store::session_user(&mut conn, &token_hash(&token), now()).await?;
        Ok(user.map(|user| CurrentUser { principal: user.principal, me: user.me }))
    }
}

impl CurrentUser {
    pub fn is_staff(&self) -> bool {
        self.principal.role.administers()
    }
}

/// A signed-in staff member (Ban Thi đua - Khen thưởng): 401 `unauthenticated` without a
/// session, 403 `forbidden` for any other role, both before the body is read.
#[derive(Clone, Debug)]
pub struct Staff(pub CurrentUser);

impl FromRequestParts<AppState> for Staff {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self> {
        let user = <CurrentUser as FromRequestParts<AppState>>::from_request_parts(parts, state).await?;
        if user.is_staff() {
            Ok(Staff(user))
        } else {
            Err(Error::Forbidden)
        }
    }
}

/// The client's address as the sign-in limits key it: the peer of the connection, or with
/// `--trust-proxy` the last `X-Forwarded-For` entry (the one the proxy in front appended;
/// earlier ones are whatever the client sent).
pub struct ClientAddress(pub String);

impl FromRequestParts<AppState> for ClientAddress {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self> {
        let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|ConnectInfo(addr)| addr.ip());
        let forwarded = state.trust_proxy.then(|| forwarded_for(&parts.headers)).flatten();
        // No address at all (a router called without a connection): one shared key.
        Ok(ClientAddress(forwarded.or(peer).map_or_else(|| "unknown".to_owned(), address_key)))
    }
}

fn forwarded_for(headers: &HeaderMap) -> Option<IpAddr> {
    let last = headers.get_all("x-forwarded-for").iter().next_back()?.to_str().ok()?;
    last.rsplit(',').next()?.trim().parse().ok()
}

/// `Secure` only when the client reached us over HTTPS, so that sign-in still works on plain
/// http://localhost. This server speaks plain HTTP: only a trusted proxy (`--trust-proxy`)
/// can say the client used HTTPS; without one, a client's own `X-Forwarded-Proto` is ignored.
pub(super) fn over_https(headers: &HeaderMap, trust_proxy: bool) -> bool {
    trust_proxy
        && headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.eq_ignore_ascii_case("https"))
}

fn session_cookie(token: String, secure: bool) -> Cookie<'static> {
    Cookie::build((SESSION_COOKIE, token))
        .http_only(true)
        .same_site(SameSite::Strict)
        .path("/")
        .max_age(session_lifetime())
        .secure(secure)
        .build()
}

/// Signs in; answers the user and sets the session cookie (8 hours).
#[utoipa::path(
    post,
    path = "/api/auth/login",
    tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in; `Set-Cookie: thidua_session=…; HttpOnly; SameSite=Strict; Path=/; Max-Age=28800`", body = Me),
        (status = 401, description = "`invalid_credentials`: unknown user, wrong password or disabled account, alike", body = ApiErrorBody),
        (status = 422, description = "`invalid_input`: `username` or `password` `required`", body = ApiErrorBody),
        (status = 429, description = "`too_many_attempts`: after 5 failures for this username from this address (or 20 from this address), each attempt waits 1, 2, 4 … minutes, at most an hour; `Retry-After` says when to try again", body = ApiErrorBody),
    )
)]
pub async fn login(
    State(state): State<AppState>,
    headers: HeaderMap,
    ClientAddress(address): ClientAddress,
    jar: CookieJar,
    Json(request): Json<LoginRequest>,
) -> Result<(CookieJar, Json<Me>)> {
    let mut missing = FieldErrors::new();
    if request.username.is_empty() {
        push(&mut missing, "username", FieldError::Required);
    }
    if request.password.is_empty() {
        push(&mut missing, "password", FieldError::Required);
    }
    if !missing.is_empty() {
        return Err(Error::Invalid(missing));
    }

    // A name no account can have is counted for the address only: it cannot be guessed
    // into, and counting it by name would let anyone fill the table with made-up names.
    let username = valid_username(&request.username).then_some(request.username.as_str());
    // Counted before the password is checked, in a write transaction: attempts sent at once
    // queue here, and none gets past the count the others left.
    let mut tx = begin_write(&state).await?;
    if let Some(wait) = counts::take_attempt(&mut tx, username, &address, now()).await? {
        crate::metrics::sign_in_locked_out();
        return Err(Error::TooManyAttempts { retry_after: retry_after(wait) });
    }
    tx.commit().await?;

    let mut conn = state.db.acquire().await?;
    let user = store::credentials(&mut conn, &request.username).await?;
    let hash = user.as_ref().map(|u| u.password_hash.clone());
    // Always one verification, so an unknown username takes as long as a known one.
    let matches = verify_password(request.password, hash).await.map_err(internal(SIGN_IN_FAILED))?;
    let user = match user {
        Some(user) if matches && !user.disabled => user,
        // The attempt is already counted as a failure.
        _ => {
            crate::metrics::sign_in_failed();
            return Err(Error::InvalidCredentials);
        }
    };
    counts::signed_in(&mut conn, &request.username, &address).await?;

    let token = accounts::new_session_token().map_err(internal(SIGN_IN_FAILED))?;
    let created = now();
    store::create_session(&mut conn, &token_hash(&token), user.id, created, created + session_lifetime()).await?;
    let signed_in = store::user(&mut conn, user.id).await?.ok_or(Error::InvalidCredentials)?;
    Ok((jar.add(session_cookie(token, over_https(&headers, state.trust_proxy))), Json(signed_in.me)))
}

/// Signs out: ends the session and clears the cookie. Fine when not signed in.
#[utoipa::path(
    post,
    path = "/api/auth/logout",
    tag = "auth",
    responses((status = 204, description = "Signed out; the cookie is cleared")),
)]
pub async fn logout(State(state): State<AppState>, jar: CookieJar) -> Result<Response> {
    if let Some(cookie) = jar.get(SESSION_COOKIE) {
        let mut conn = state.db.acquire().await?;
        store::delete_session(&mut conn, &token_hash(cookie.value())).await?;
    }
    let jar = jar.remove(Cookie::build(SESSION_COOKIE).path("/"));
    Ok((StatusCode::NO_CONTENT, jar).into_response())
}

/// The signed-in user.
#[utoipa::path(
    get,
    path = "/api/auth/me",
    tag = "auth",
    security(("session_cookie" = [])),
    responses(
        (status = 200, description = "The signed-in user", body = Me),
        (status = 401, description = "`unauthenticated`", body = ApiErrorBody),
    )
)]
pub async fn me(user: CurrentUser) -> Json<Me> {
    Json(user.me)
}
