//! `thidua-server create-user`: the one way to make an account outside the demo.

use std::io::BufRead;

use thidua_domain::auth::{valid_new_password, valid_username, PASSWORD_MAX, PASSWORD_MIN, USERNAME_MAX};

use crate::accounts::{hash_password, PasswordError};
use crate::config::CreateUser;
use crate::store::accounts::{create_user as insert_user, CreateUserError, NewUser};
use crate::StartError;

/// Why no account was created; `main` prints it as one line.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error("invalid username {0:?}: use 1 to {USERNAME_MAX} lower-case letters, digits, '.', '_' or '-'")]
    InvalidUsername(String),
    #[error("the display name is empty")]
    EmptyDisplayName,
    #[error("no password: give it as the first line of standard input")]
    NoPassword,
    #[error("cannot read the password from standard input: {0}")]
    ReadPassword(std::io::Error),
    #[error("the password must be {PASSWORD_MIN} to {PASSWORD_MAX} characters long")]
    WeakPassword,
    #[error("the role {0} needs --unit-id (the officer's unit)")]
    UnitMissing(&'static str),
    #[error("staff belong to no unit: leave out --unit-id")]
    UnitNotAllowed,
    #[error(transparent)]
    Start(#[from] StartError),
    #[error(transparent)]
    Password(#[from] PasswordError),
    #[error(transparent)]
    Create(#[from] CreateUserError),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
}

/// Checks everything it can before touching the database, then creates the account.
/// Returns the confirmation line.
pub async fn create_user(args: &CreateUser, stdin: impl BufRead) -> Result<String, CliError> {
    if !valid_username(&args.username) {
        return Err(CliError::InvalidUsername(args.username.clone()));
    }
    let display_name = args.display_name.trim();
    if display_name.is_empty() {
        return Err(CliError::EmptyDisplayName);
    }
    match (args.role.needs_unit(), args.unit_id) {
        (true, None) => return Err(CliError::UnitMissing(args.role.as_str())),
        (false, Some(_)) => return Err(CliError::UnitNotAllowed),
        _ => {}
    }
    let password = read_password(stdin)?;
    if !valid_new_password(&password) {
        return Err(CliError::WeakPassword);
    }

    let db = crate::open_database(&args.database).await?;
    let hash = hash_password(password).await?;
    let result = async {
        let mut conn = db.acquire().await?;
        let user = NewUser {
            username: &args.username,
            display_name,
            password_hash: &hash,
            role: args.role,
            unit_id: args.unit_id,
        };
        let id = insert_user(&mut conn, &user).await?;
        let unit: Option<String> = match args.unit_id {
            Some(unit) => {
                sqlx::query_scalar("SELECT name FROM units WHERE id = $1").bind(unit).fetch_optional(&mut *conn).await?
            }
            None => None,
        };
        Ok::<_, CliError>((id, unit))
    }
    .await;
    db.close().await;
    let (id, unit) = result?;
    let of_unit = unit.map(|u| format!(" of {u}")).unwrap_or_default();
    Ok(format!("created user {} (id {id}): {}{of_unit}", args.username, args.role.as_str()))
}

/// The first line, without its line ending. Anything after it is ignored.
fn read_password(mut stdin: impl BufRead) -> Result<String, CliError> {
    let mut line = String::new();
    let read = stdin.read_line(&mut line).map_err(CliError::ReadPassword)?;
    let password = line.strip_suffix('\n').map(|l| l.strip_suffix('\r').unwrap_or(l)).unwrap_or(&line);
    if read == 0 || password.is_empty() {
        return Err(CliError::NoPassword);
    }
    Ok(password.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_is_the_first_line() {
        assert_eq!(read_password("mật khẩu dài\nnext".as_bytes()).unwrap(), "mật khẩu dài");
        assert_eq!(read_password("windows line\r\n".as_bytes()).unwrap(), "windows line");
        assert_eq!(read_password("no newline".as_bytes()).unwrap(), "no newline");
        assert!(matches!(read_password("".as_bytes()), Err(CliError::NoPassword)));
        assert!(matches!(read_password("\n".as_bytes()), Err(CliError::NoPassword)));
    }
}
