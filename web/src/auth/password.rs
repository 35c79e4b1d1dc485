//! The admin password: an argon2 hash in PHC format (`$argon2id$v=19$…`),
//! made by `spares hash-password`. The password itself is never stored.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Argon2, PasswordHash as Phc};

/// A validated argon2 hash string.
#[derive(Clone)]
pub struct PasswordHash(String);

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PasswordError {
    #[error(
        "not an argon2 hash (expected a PHC string such as $argon2id$v=19$m=19456,t=2,p=1$…; make one with `spares hash-password`)"
    )]
    NotArgon2,
    #[error("a password needs at least 8 characters")]
    TooShort,
}

impl PasswordHash {
    pub fn parse(text: &str) -> Result<PasswordHash, PasswordError> {
        let text = text.trim();
        let phc = Phc::new(text).map_err(|_| PasswordError::NotArgon2)?;
        if !phc.algorithm.as_str().starts_with("argon2") {
            return Err(PasswordError::NotArgon2);
        }
        Ok(PasswordHash(text.to_owned()))
    }

    /// A short keyed digest of the hash (never the hash): it changes when
    /// the password does, which ends every session made with the old one.
    pub fn fingerprint(&self, key: &super::SessionKey) -> String {
        key.seal_fingerprint(&self.0)
    }

    /// Slow on purpose (argon2): call it off the async executor.
    pub fn verify(&self, password: &str) -> bool {
        Phc::new(&self.0)
            .map(|phc| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &phc)
                    .is_ok()
            })
            .unwrap_or(false)
    }
}

impl std::fmt::Debug for PasswordHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PasswordHash(***)")
    }
}

/// An argon2id hash of `password` with a random salt.
pub fn hash_password(password: &str) -> Result<String, PasswordError> {
    if password.chars().count() < 8 {
        return Err(PasswordError::TooShort);
    }
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|_| PasswordError::NotArgon2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_password_only() {
        let hash =
            PasswordHash::parse(&hash_password("correct horse").expect("hash")).expect("parse");
        assert!(hash.verify("correct horse"));
        assert!(!hash.verify("correct hors"));
        assert!(!hash.verify(""));
    }

    #[test]
    fn anything_but_an_argon2_hash_is_refused() {
        for bad in ["", "hunter2", "$2b$12$abcdefghijklmnopqrstuv", "$pbkdf2$x"] {
            assert_eq!(
                PasswordHash::parse(bad).err(),
                Some(PasswordError::NotArgon2),
                "{bad}"
            );
        }
        assert_eq!(hash_password("short").err(), Some(PasswordError::TooShort));
    }
}
