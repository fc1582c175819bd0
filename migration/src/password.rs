//! Password hashing for the users that migrations create.

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, SaltString};
use rand::RngExt;
use rand::distr::Alphanumeric;

/// An Argon2id hash of `password` as a PHC string (`$argon2id$v=19$…`).
pub fn hash(password: &str) -> Result<String, argon2::password_hash::Error> {
    let salt_bytes: [u8; 16] = rand::rng().random();
    let salt = SaltString::encode_b64(&salt_bytes)?;
    Ok(Argon2::default().hash_password(password.as_bytes(), &salt)?.to_string())
}

/// A random 24-character alphanumeric password (about 143 bits).
pub fn generate() -> String {
    rand::rng().sample_iter(&Alphanumeric).take(24).map(char::from).collect()
}
