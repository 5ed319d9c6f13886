//! Passwords and session tokens: the parts of signing in that are not HTTP.

use std::sync::LazyLock;

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use sha2::{Digest, Sha256};
use time::Duration;

/// How long a session lasts from sign-in: a working day.
pub const SESSION_HOURS: i64 = 8;
/// Failed sign-ins allowed for one username within [`THROTTLE_WINDOW_MINUTES`].
pub const MAX_FAILURES: i64 = 5;
pub const THROTTLE_WINDOW_MINUTES: i64 = 15;

#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    #[error("cannot hash the password: {0}")]
    Hash(argon2::password_hash::Error),
    #[error("the hashing task failed: {0}")]
    Task(#[from] tokio::task::JoinError),
}

/// A PHC string (Argon2id, the crate's recommended parameters, a random salt).
/// Runs on the blocking pool: a hash takes tens of milliseconds of CPU.
pub async fn hash_password(password: String) -> Result<String, PasswordError> {
    tokio::task::spawn_blocking(move || hash_now(&password)).await?
}

fn hash_now(password: &str) -> Result<String, PasswordError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default().hash_password(password.as_bytes(), &salt).map(|h| h.to_string()).map_err(PasswordError::Hash)
}

/// Hashed once per process, with the same parameters as real hashes, so that checking a
/// password for an unknown username costs what checking a real one does.
static DUMMY_HASH: LazyLock<Option<String>> = LazyLock::new(|| hash_now("no such user, no such password").ok());

/// Checks `password` against `hash`, or against a dummy hash when there is no account, so
/// the time taken does not tell which usernames exist. A malformed stored hash never matches.
pub async fn verify_password(password: String, hash: Option<String>) -> Result<bool, PasswordError> {
    tokio::task::spawn_blocking(move || {
        let known = hash.is_some();
        let Some(stored) = hash.or_else(|| DUMMY_HASH.clone()) else { return false };
        let Ok(parsed) = PasswordHash::new(&stored) else { return false };
        Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok() && known
    })
    .await
    .map_err(PasswordError::Task)
}

/// A new session token: 32 random bytes from the operating system, base64url.
pub fn new_session_token() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; 32];
    getrandom::getrandom(&mut bytes)?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

/// What the database keeps of a token: its SHA-256, in hex.
pub fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

pub fn session_lifetime() -> Duration {
    Duration::hours(SESSION_HOURS)
}

pub fn throttle_window() -> Duration {
    Duration::minutes(THROTTLE_WINDOW_MINUTES)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_verify_and_differ_by_salt() {
        let a = hash_password("mật khẩu dài".into()).await.unwrap();
        let b = hash_password("mật khẩu dài".into()).await.unwrap();
        assert!(a.starts_with("$argon2id$"), "{a}");
        assert_ne!(a, b, "a random salt each time");
        assert!(verify_password("mật khẩu dài".into(), Some(a.clone())).await.unwrap());
        assert!(!verify_password("mật khẩu sai".into(), Some(a)).await.unwrap());
        assert!(!verify_password("anything".into(), None).await.unwrap(), "no account never matches");
        assert!(!verify_password("x".into(), Some("not a phc string".into())).await.unwrap());
    }

    #[test]
    fn tokens_are_random_and_only_their_hash_is_kept() {
        let (a, b) = (new_session_token().unwrap(), new_session_token().unwrap());
        assert_ne!(a, b);
        assert_eq!(a.len(), 43, "32 bytes in unpadded base64url");
        assert!(a.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_'));
        let h = token_hash(&a);
        assert_eq!(h.len(), 64);
        assert_eq!(token_hash("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
