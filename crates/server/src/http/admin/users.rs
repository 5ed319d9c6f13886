//! `/api/admin/users…`: accounts — create, change (name, role, unit, disabled), and set a
//! new password. Passwords are never shown and never written to the audit trail.

use crate::db::Conn;
use axum::extract::State;
use axum::http::StatusCode;
use serde_json::json;
use thidua_domain::admin::users::{
    validate_new_user, validate_password_reset, validate_user_update, NewUser, PasswordReset, UserAdmin, UserUpdate,
};
use thidua_domain::auth::UserId;
use thidua_domain::error::{ApiErrorBody, Duplicated, FieldError};
use thidua_domain::UnitId;

use super::{audit, invalid, user_target};
use crate::accounts::hash_password;
use crate::http::auth::Staff;
use crate::http::error::{internal, valid, Error, Result};
use crate::http::extract::{Json, Path};
use crate::http::params::UserPath;
use crate::http::state::{begin_write, AppState};
use crate::store::accounts::{self as store, CreateUserError};
use crate::store::admin;

/// Every account, by username, with its unit as named now. No passwords.
#[utoipa::path(
    get,
    path = "/api/admin/users",
    tag = "admin",
    security(("session_cookie" = [])),
    responses(
        (status = 200, description = "The accounts", body = [UserAdmin]),
        (status = 401, description = "`unauthenticated`", body = ApiErrorBody),
        (status = 403, description = "`forbidden`: staff only", body = ApiErrorBody),
    )
)]
pub async fn list_users(Staff(_): Staff, State(state): State<AppState>) -> Result<Json<Vec<UserAdmin>>> {
    let mut conn = state.db.acquire().await?;
    Ok(Json(store::users(&mut conn).await?))
}

/// Creates an account (an Argon2id hash of the password, as `thidua-server create-user`
/// makes). Officers are bound to a unit, staff to none.
#[utoipa::path(
    post,
    path = "/api/admin/users",
    tag = "admin",
    request_body = NewUser,
    security(("session_cookie" = [])),
    responses(
        (status = 201, description = "Created", body = UserAdmin),
        (status = 401, description = "`unauthenticated`", body = ApiErrorBody),
        (status = 403, description = "`forbidden`: staff only", body = ApiErrorBody),
        (status = 422, description = "`invalid_input`: `username` `required`, `invalid` (lower-case letters, digits, `.`, `_`, `-`) or `duplicate`; `display_name` `required` or `too_long`; `unit_id` `required` (an officer) or `invalid` (no such unit, or staff); `password` `required`, `too_short` (10) or `too_long` (256)", body = ApiErrorBody),
    )
)]
pub async fn create_user(
    Staff(user): Staff,
    State(state): State<AppState>,
    Json(input): Json<NewUser>,
) -> Result<(StatusCode, Json<UserAdmin>)> {
    {
        let mut conn = state.db.acquire().await?;
        let taken: Vec<String> = store::users(&mut conn).await?.into_iter().map(|u| u.username).collect();
        valid(validate_new_user(&input, &taken, &unit_ids(&mut conn).await?))?;
    }
    // Hashed outside the write transaction: it takes a while, and the username's uniqueness
    // is the database's to keep when two are created at once.
    let hash = hash(input.password.clone()).await?;
    let mut tx = begin_write(&state).await?;
    let new = store::NewUser {
        username: &input.username,
        display_name: input.display_name.trim(),
        password_hash: &hash,
        role: input.role,
        unit_id: input.unit_id,
    };
    let id = match store::create_user(&mut tx, &new).await {
        Ok(id) => id,
        Err(CreateUserError::UsernameTaken(_)) => {
            return Err(invalid("username", FieldError::Duplicate { of: Duplicated::Username }))
        }
        Err(CreateUserError::NoSuchUnit(_)) => return Err(invalid("unit_id", FieldError::Invalid)),
        Err(CreateUserError::Database(e)) => return Err(e.into()),
    };
    let detail = json!({
        "username": input.username,
        "display_name": new.display_name,
        "role": input.role,
        "unit_id": input.unit_id,
    });
    audit(&mut tx, &user, "create_user", user_target(id), &detail).await?;
    let created = account(&mut tx, id).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// Changes an account's display name, role, unit and whether it is disabled. Disabling ends
/// the user's sessions, and a disabled account cannot sign in (401 `invalid_credentials`,
/// alike with a wrong password). Staff cannot disable themselves or give up their own staff
/// role, so that someone always can administer.
#[utoipa::path(
    put,
    path = "/api/admin/users/{id}",
    tag = "admin",
    params(UserPath),
    request_body = UserUpdate,
    security(("session_cookie" = [])),
    responses(
        (status = 200, description = "Saved", body = UserAdmin),
        (status = 401, description = "`unauthenticated`", body = ApiErrorBody),
        (status = 403, description = "`forbidden`: staff only", body = ApiErrorBody),
        (status = 404, description = "`user_not_found`", body = ApiErrorBody),
        (status = 409, description = "`stale_version`: changed since it was loaded (reload)", body = ApiErrorBody),
        (status = 422, description = "`invalid_input`: `display_name`, `unit_id` as for creating one; `disabled` `invalid` (oneself); `role` `invalid` (one's own staff role)", body = ApiErrorBody),
    )
)]
pub async fn update_user(
    Staff(user): Staff,
    State(state): State<AppState>,
    Path(UserPath { id }): Path<UserPath>,
    Json(input): Json<UserUpdate>,
) -> Result<Json<UserAdmin>> {
    let mut tx = begin_write(&state).await?;
    let before = account(&mut tx, id).await?;
    valid(validate_user_update(&input, &unit_ids(&mut tx).await?, id == user.principal.user_id))?;
    if !store::update_user(&mut tx, id, &input).await? {
        return Err(Error::StaleVersion);
    }
    if input.disabled {
        store::end_sessions(&mut tx, id).await?;
    }
    let detail = json!({"username": before.username, "update": input});
    audit(&mut tx, &user, "update_user", user_target(id), &detail).await?;
    let saved = account(&mut tx, id).await?;
    tx.commit().await?;
    Ok(Json(saved))
}

/// Sets a new password (the person changes it later), ends the user's sessions (staff
/// resetting their own are signed out too) and lifts a sign-in lock-out.
#[utoipa::path(
    put,
    path = "/api/admin/users/{id}/password",
    tag = "admin",
    params(UserPath),
    request_body = PasswordReset,
    security(("session_cookie" = [])),
    responses(
        (status = 204, description = "Set; the user's sessions are ended"),
        (status = 401, description = "`unauthenticated`", body = ApiErrorBody),
        (status = 403, description = "`forbidden`: staff only", body = ApiErrorBody),
        (status = 404, description = "`user_not_found`", body = ApiErrorBody),
        (status = 422, description = "`invalid_input`: `password` `required`, `too_short` (10) or `too_long` (256)", body = ApiErrorBody),
    )
)]
pub async fn reset_password(
    Staff(user): Staff,
    State(state): State<AppState>,
    Path(UserPath { id }): Path<UserPath>,
    Json(input): Json<PasswordReset>,
) -> Result<StatusCode> {
    {
        let mut conn = state.db.acquire().await?;
        account(&mut conn, id).await?;
        valid(validate_password_reset(&input))?;
    }
    let hash = hash(input.password).await?;
    let mut tx = begin_write(&state).await?;
    let target = account(&mut tx, id).await?;
    store::set_password_hash(&mut tx, id, &hash).await?;
    store::end_sessions(&mut tx, id).await?;
    crate::store::throttle::forget_username(&mut tx, &target.username).await?;
    audit(&mut tx, &user, "reset_password", user_target(id), &json!({"username": target.username})).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn unit_ids(conn: &mut Conn) -> Result<Vec<UnitId>> {
    Ok(admin::units::units(conn).await?.into_iter().map(|u| u.id).collect())
}

/// The account, or 404 `user_not_found`.
async fn account(conn: &mut Conn, id: UserId) -> Result<UserAdmin> {
    store::user_admin(conn, id).await?.ok_or(Error::UserNotFound(id))
}

/// An Argon2id hash of a new password (500 if the hashing task fails).
async fn hash(password: String) -> Result<String> {
    hash_password(password).await.map_err(internal("cannot hash a password"))
}
