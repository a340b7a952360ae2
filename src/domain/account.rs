//! Accounts: user names, password rules and password hashing (argon2id).

use crate::i18n::{t, t1};
use argon2::Argon2;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

/// Refused passwords: the most common ones, checked case-insensitively.
const COMMON: &[&str] = &[
    "password",
    "password1",
    "password123",
    "123456789",
    "1234567890",
    "12345678910",
    "qwertyuiop",
    "iloveyou12",
    "administrator",
    "passw0rd123",
    "welcome123",
    "letmein123",
    "abc1234567",
    "1q2w3e4r5t",
    "qwerty12345",
    "plantrack",
    "plantrack1",
    "changeme123",
    "11111111111",
    "0000000000",
    "aaaaaaaaaa",
    "woaini1314",
    "a123456789",
    "qwe123456789",
];

pub const PASSWORD_MIN: usize = 10;
pub const PASSWORD_MAX: usize = 256;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AccountError {
    #[error("{}", t("err-bad-username"))]
    BadUsername,
    #[error("{}", t1("err-password-short", "count", PASSWORD_MIN))]
    PasswordTooShort,
    #[error("{}", t1("err-password-long", "count", PASSWORD_MAX))]
    PasswordTooLong,
    #[error("{}", t("err-password-common"))]
    PasswordTooCommon,
}

/// A user name as stored: trimmed and lowercase.
pub fn username(input: &str) -> Result<String, AccountError> {
    let name = input.trim().to_lowercase();
    let ok = (2..=63).contains(&name.len())
        && name
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b".-_".contains(&b));
    if ok {
        Ok(name)
    } else {
        Err(AccountError::BadUsername)
    }
}

/// Checks a new password against the rules.
pub fn check_password(password: &str, username: &str) -> Result<(), AccountError> {
    let len = password.chars().count();
    if len < PASSWORD_MIN {
        return Err(AccountError::PasswordTooShort);
    }
    if len > PASSWORD_MAX {
        return Err(AccountError::PasswordTooLong);
    }
    let lower = password.to_lowercase();
    let distinct = {
        let mut chars: Vec<char> = lower.chars().collect();
        chars.sort_unstable();
        chars.dedup();
        chars.len()
    };
    // What is left once the user name is taken out must still be a password of its own.
    let without_name = if username.is_empty() {
        lower.clone()
    } else {
        lower.replace(username, "")
    };
    if COMMON.contains(&lower.as_str()) || without_name.chars().count() < 6 || distinct < 4 {
        return Err(AccountError::PasswordTooCommon);
    }
    Ok(())
}

/// The argon2id hash of `password`, as a PHC string with its own random salt.
pub fn hash_password(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("cannot hash the password: {e}"))
}

/// Whether `password` matches the stored `hash`.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A hash to verify against when the user name is unknown, so that a wrong name takes as long
/// to refuse as a wrong password.
pub fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash_password("decoy password that matches nothing").unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_names_are_normalised_and_checked() {
        assert_eq!(username("  Li.Wei "), Ok("li.wei".into()));
        assert_eq!(username("a"), Err(AccountError::BadUsername));
        assert_eq!(username("-x"), Err(AccountError::BadUsername));
        assert_eq!(username("li wei"), Err(AccountError::BadUsername));
        assert_eq!(username("王伟"), Err(AccountError::BadUsername));
    }

    #[test]
    fn short_common_and_obvious_passwords_are_refused() {
        assert_eq!(
            check_password("short", "ana"),
            Err(AccountError::PasswordTooShort)
        );
        assert_eq!(
            check_password("Password123", "ana"),
            Err(AccountError::PasswordTooCommon)
        );
        assert_eq!(
            check_password("aaaaaaaaaaaa", "ana"),
            Err(AccountError::PasswordTooCommon)
        );
        assert_eq!(
            check_password("liwei-liwei-1", "liwei"),
            Err(AccountError::PasswordTooCommon)
        );
        assert_eq!(check_password("analyst pass 2026", "ana"), Ok(()));
        assert_eq!(check_password("correct horse battery", "ana"), Ok(()));
    }

    #[test]
    fn a_hash_verifies_its_password_only() {
        let hash = hash_password("correct horse battery").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", &hash));
        assert!(!verify_password("correct horse batterY", &hash));
        assert!(!verify_password("anything", "not a hash"));
    }
}
