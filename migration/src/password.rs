//! Password hashing for the users that migrations (and the seeder) create.

use std::sync::Mutex;
use std::thread::JoinHandle;

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, SaltString};
use rand::RngExt;
use rand::distr::Alphanumeric;

/// An Argon2id hash of `password` with a random salt, as a PHC string (`$argon2id$v=19$…`):
/// the one [`hash_ahead`] started for it, or one computed now.
pub fn hash(password: &str) -> Result<String, argon2::password_hash::Error> {
    let started = AHEAD.lock().ok().and_then(|mut ahead| {
        let at = ahead.iter().position(|(p, _)| p == password)?;
        Some(ahead.swap_remove(at).1)
    });
    match started.map(JoinHandle::join) {
        Some(Ok(hashed)) => hashed,
        _ => hash_now(password),
    }
}

type Hashing = JoinHandle<Result<String, argon2::password_hash::Error>>;

/// Hashes started by [`hash_ahead`], by password.
static AHEAD: Mutex<Vec<(String, Hashing)>> = Mutex::new(Vec::new());

/// Starts hashing each of `passwords` on a thread of its own, for [`hash`] to pick up:
/// Argon2 is slow by design (about 30 ms here), and a migration that hashes would
/// otherwise wait that long, where started ahead the hash is ready by the time it is
/// needed. A password already started is started afresh (so at most one per password).
pub fn hash_ahead(passwords: impl IntoIterator<Item = String>) {
    let Ok(mut ahead) = AHEAD.lock() else { return };
    for password in passwords {
        ahead.retain(|(p, _)| *p != password);
        let copy = password.clone();
        ahead.push((password, std::thread::spawn(move || hash_now(&copy))));
    }
}

fn hash_now(password: &str) -> Result<String, argon2::password_hash::Error> {
    let salt: [u8; 16] = rand::rng().random();
    hash_with_salt(password, &salt)
}

/// An Argon2id hash of `password` with the given salt: the same inputs give the same
/// string (the seeder's deterministic rows need that).
pub fn hash_with_salt(password: &str, salt: &[u8]) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::encode_b64(salt)?;
    Ok(Argon2::default().hash_password(password.as_bytes(), &salt)?.to_string())
}

/// A random 24-character alphanumeric password (about 143 bits).
pub fn generate() -> String {
    rand::rng().sample_iter(&Alphanumeric).take(24).map(char::from).collect()
}

#[cfg(test)]
#[expect(clippy::expect_used, reason = "a test fails loudly on anything unexpected")]
mod tests {
    use argon2::password_hash::{PasswordHash, PasswordVerifier};

    use super::*;

    fn verifies(hashed: &str, password: &str) -> bool {
        let parsed = PasswordHash::new(hashed).expect("a PHC string");
        Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok()
    }

    #[test]
    fn a_hash_started_ahead_is_of_its_own_password_and_is_taken_once() {
        hash_ahead(["ahead: first".to_owned(), "ahead: second".to_owned()]);
        let started =
            AHEAD.lock().expect("lock").iter().filter(|(p, _)| p.starts_with("ahead: ")).count();
        assert_eq!(started, 2, "both started ahead");
        let first = hash("ahead: first").expect("hashed");
        assert!(verifies(&first, "ahead: first"));
        assert!(!verifies(&first, "ahead: second"));
        let pending =
            AHEAD.lock().expect("lock").iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
        assert!(!pending.contains(&"ahead: first".to_owned()), "taken once: {pending:?}");
        assert!(verifies(&hash("ahead: second").expect("hashed"), "ahead: second"));
    }
}
