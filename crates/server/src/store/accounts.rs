//! Users and sessions (the sign-in throttle is `throttle.rs`).

use sqlx::FromRow;

use crate::db::{Conn, Flag};
use thidua_domain::admin::users::{UserAdmin, UserUpdate};
use thidua_domain::auth::{Me, Principal, Role, UserId};
use thidua_domain::UnitId;
use time::OffsetDateTime;

use crate::clock::{parse_timestamp, timestamp};

use super::values::corrupt;

/// A user as sign-in sees them.
#[derive(Debug, FromRow)]
pub struct Credentials {
    pub id: UserId,
    pub password_hash: String,
    #[sqlx(try_from = "Flag")]
    pub disabled: bool,
}

pub async fn credentials(conn: &mut Conn, username: &str) -> sqlx::Result<Option<Credentials>> {
    sqlx::query_as("SELECT id, password_hash, CAST(disabled AS BOOLEAN) AS disabled FROM users WHERE username = $1")
        .bind(username)
        .fetch_optional(conn)
        .await
}

#[derive(FromRow)]
struct UserRow {
    id: UserId,
    username: String,
    display_name: String,
    role: String,
    unit_id: Option<UnitId>,
    unit_name: Option<String>,
}

impl UserRow {
    fn role(&self) -> sqlx::Result<Role> {
        Role::parse(&self.role).ok_or_else(|| corrupt(format!("unknown role {:?}", self.role)))
    }

    fn into_user(self) -> sqlx::Result<SignedIn> {
        let role = self.role()?;
        Ok(SignedIn {
            principal: Principal { user_id: self.id, role, unit_id: self.unit_id },
            me: Me {
                user_id: self.id,
                username: self.username,
                display_name: self.display_name,
                role,
                unit_id: self.unit_id,
                unit_name: self.unit_name,
            },
        })
    }
}

/// A signed-in user: what permissions need, and what `GET /api/auth/me` answers.
#[derive(Clone, Debug)]
pub struct SignedIn {
    pub principal: Principal,
    pub me: Me,
}

/// The columns of `UserRow`, from `users u` with `USER_UNIT`.
const USER_COLUMNS: &str = "u.id, u.username, u.display_name, u.role, u.unit_id, n.name AS unit_name";
const USER_UNIT: &str = "LEFT JOIN units n ON n.id = u.unit_id";

pub async fn user(conn: &mut Conn, id: UserId) -> sqlx::Result<Option<SignedIn>> {
    let row: Option<UserRow> =
        sqlx::query_as(&format!("SELECT {USER_COLUMNS} FROM users u {USER_UNIT} WHERE u.id = $1"))
            .bind(id)
            .fetch_optional(conn)
            .await?;
    row.map(UserRow::into_user).transpose()
}

/// The user a session token (by its hash) stands for, if the session is current and the
/// user not disabled. An expired session is deleted on the way.
pub async fn session_user(conn: &mut Conn, token_hash: &str, now: OffsetDateTime) -> sqlx::Result<Option<SignedIn>> {
    #[derive(FromRow)]
    struct Row {
        expires_at: String,
        #[sqlx(try_from = "Flag")]
        disabled: bool,
        #[sqlx(flatten)]
        user: UserRow,
    }
    let row: Option<Row> = sqlx::query_as(&format!(
        "SELECT s.expires_at, CAST(u.disabled AS BOOLEAN) AS disabled, {USER_COLUMNS}
         FROM sessions s JOIN users u ON u.id = s.user_id {USER_UNIT}
         WHERE s.token_hash = $1"
    ))
    .bind(token_hash)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else { return Ok(None) };
    // An unreadable expiry counts as expired: the session is refused, never extended.
    if parse_timestamp(&row.expires_at).is_none_or(|expires| expires <= now) {
        delete_session(conn, token_hash).await?;
        return Ok(None);
    }
    if row.disabled {
        return Ok(None);
    }
    row.user.into_user().map(Some)
}

pub async fn create_session(
    conn: &mut Conn,
    token_hash: &str,
    user_id: UserId,
    now: OffsetDateTime,
    expires: OffsetDateTime,
) -> sqlx::Result<()> {
    // Sessions that ran out are of no use; each sign-in sweeps them, so the table stays small.
    sqlx::query("DELETE FROM sessions WHERE expires_at <= $1").bind(timestamp(now)).execute(&mut *conn).await?;
    sqlx::query("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
        .bind(token_hash)
        .bind(user_id)
        .bind(timestamp(now))
        .bind(timestamp(expires))
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn delete_session(conn: &mut Conn, token_hash: &str) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(conn).await?;
    Ok(())
}

/// A user to create; the password is already hashed.
pub struct NewUser<'a> {
    pub username: &'a str,
    pub display_name: &'a str,
    pub password_hash: &'a str,
    pub role: Role,
    pub unit_id: Option<UnitId>,
}

/// Why a user could not be created.
#[derive(Debug, thiserror::Error)]
pub enum CreateUserError {
    #[error("the username {0:?} is taken")]
    UsernameTaken(String),
    #[error("there is no unit with id {0}")]
    NoSuchUnit(UnitId),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// Creates a user. Officer or staff and its unit are checked by the caller against the
/// domain's `Role::needs_unit`; the schema refuses a mismatch anyway.
pub async fn create_user(conn: &mut Conn, user: &NewUser<'_>) -> Result<UserId, CreateUserError> {
    if let Some(unit) = user.unit_id {
        let exists: Option<i64> =
            sqlx::query_scalar("SELECT id FROM units WHERE id = $1").bind(unit).fetch_optional(&mut *conn).await?;
        if exists.is_none() {
            return Err(CreateUserError::NoSuchUnit(unit));
        }
    }
    let result = sqlx::query_scalar(
        "INSERT INTO users (username, display_name, password_hash, role, unit_id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(user.username)
    .bind(user.display_name)
    .bind(user.password_hash)
    .bind(user.role.as_str())
    .bind(user.unit_id)
    .bind(timestamp(crate::clock::now()))
    .fetch_one(conn)
    .await;
    match result {
        Ok(id) => Ok(id),
        // Checked by the constraint rather than a look-up first, so two at once cannot both win.
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            Err(CreateUserError::UsernameTaken(user.username.to_owned()))
        }
        Err(e) => Err(e.into()),
    }
}

// ---------------------------------------------------------------- administration

#[derive(FromRow)]
struct UserAdminRow {
    #[sqlx(flatten)]
    user: UserRow,
    #[sqlx(try_from = "Flag")]
    disabled: bool,
    version: i64,
}

impl TryFrom<UserAdminRow> for UserAdmin {
    type Error = sqlx::Error;
    fn try_from(r: UserAdminRow) -> sqlx::Result<UserAdmin> {
        let role = r.user.role()?;
        let u = r.user;
        Ok(UserAdmin {
            id: u.id,
            username: u.username,
            display_name: u.display_name,
            role,
            unit_id: u.unit_id,
            unit_name: u.unit_name,
            disabled: r.disabled,
            version: r.version,
        })
    }
}

/// The `UserAdminRow`s of every account, then `rest`: a filter or an order.
fn user_admin_query(rest: &str) -> String {
    format!("SELECT {USER_COLUMNS}, CAST(u.disabled AS BOOLEAN) AS disabled, u.version FROM users u {USER_UNIT} {rest}")
}

/// Every account, by username; the unit as it is named now.
pub async fn users(conn: &mut Conn) -> sqlx::Result<Vec<UserAdmin>> {
    let rows: Vec<UserAdminRow> = sqlx::query_as(&user_admin_query("ORDER BY u.username")).fetch_all(conn).await?;
    rows.into_iter().map(UserAdmin::try_from).collect()
}

pub async fn user_admin(conn: &mut Conn, id: UserId) -> sqlx::Result<Option<UserAdmin>> {
    let row: Option<UserAdminRow> =
        sqlx::query_as(&user_admin_query("WHERE u.id = $1")).bind(id).fetch_optional(conn).await?;
    row.map(UserAdmin::try_from).transpose()
}

/// Everything but the username and the password, if the account is still at `version`;
/// `false` means someone else changed it first (nothing was written).
pub async fn update_user(conn: &mut Conn, id: UserId, update: &UserUpdate) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE users SET display_name = $1, role = $2, unit_id = $3, disabled = $4, version = version + 1
         WHERE id = $5 AND version = $6",
    )
    .bind(update.display_name.trim())
    .bind(update.role.as_str())
    .bind(update.unit_id)
    .bind(update.disabled)
    .bind(id)
    .bind(update.version)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn set_password_hash(conn: &mut Conn, id: UserId, hash: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2").bind(hash).bind(id).execute(conn).await?;
    Ok(())
}

/// Signs the user out everywhere.
pub async fn end_sessions(conn: &mut Conn, id: UserId) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(id).execute(conn).await?;
    Ok(())
}
