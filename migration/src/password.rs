//! Password hashing for the users that migrations (and the seeder) create.

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, SaltString};
use rand::RngExt;
use rand::distr::Alphanumeric;

/// An Argon2id hash of `password` with a random salt, as a PHC string (`$argon2id$v=19$…`).
pub fn hash(password: &str) -> Result<String, argon2::password_hash::Error> {
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
