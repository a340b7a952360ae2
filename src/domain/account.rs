//! Accounts: user names, password rules and password hashing (argon2id).

use crate::i18n::{t, t1};
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{Output, ParamsString, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};

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

/// The longest user name the sign-in form accepts (characters); stored names are shorter.
pub const SIGN_IN_NAME_MAX: usize = 64;
/// The longest password the sign-in form accepts (bytes).
pub const SIGN_IN_PASSWORD_MAX: usize = 1024;

/// The most memory one password check may use, in argon2 blocks of 1 KiB (64 MiB); a stored
/// hash asking for more does not match.
const MAX_BLOCKS: usize = 64 * 1024;

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
    #[error("{}", t("err-bad-email"))]
    BadEmail,
}

/// The longest e-mail address accepted (RFC 5321's limit on a path).
pub const EMAIL_MAX: usize = 254;

/// An e-mail address as stored, trimmed: `None` when left empty (no mail), else an address a
/// mail can be sent to (`name@host`, no display name, no spaces).
pub fn email(input: &str) -> Result<Option<String>, AccountError> {
    let address = input.trim();
    if address.is_empty() {
        return Ok(None);
    }
    let ok = address.len() <= EMAIL_MAX
        && address.parse::<lettre::Address>().is_ok()
        && address
            .chars()
            .all(|c| !c.is_whitespace() && !c.is_control());
    if ok {
        Ok(Some(address.to_owned()))
    } else {
        Err(AccountError::BadEmail)
    }
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

/// Memory for argon2, kept by one worker and reused for every hash it computes, so that
/// checking passwords holds a fixed amount of memory however many are checked.
#[derive(Default)]
pub struct HashMemory(Vec<Block>);

impl HashMemory {
    fn blocks(&mut self, count: usize) -> Option<&mut [Block]> {
        if count > MAX_BLOCKS {
            return None;
        }
        if self.0.len() < count {
            self.0.resize(count, Block::default());
        }
        Some(&mut self.0[..count])
    }
}

/// The argon2id hash of `password`, as a PHC string with its own random salt.
pub fn hash_password(password: &str) -> anyhow::Result<String> {
    hash_password_in(password, &mut HashMemory::default())
}

/// [`hash_password`] in memory the caller keeps.
pub fn hash_password_in(password: &str, memory: &mut HashMemory) -> anyhow::Result<String> {
    let failed = |e: &dyn std::fmt::Display| anyhow::anyhow!("cannot hash the password: {e}");
    let params = Params::default();
    let salt = SaltString::generate(&mut OsRng);
    let mut salt_buf = [0u8; 64];
    let salt_bytes = salt
        .as_salt()
        .decode_b64(&mut salt_buf)
        .map_err(|e| failed(&e))?;
    let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
    let blocks = memory
        .blocks(params.block_count())
        .ok_or_else(|| failed(&"too much memory"))?;
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone())
        .hash_password_into_with_memory(password.as_bytes(), salt_bytes, &mut out, blocks)
        .map_err(|e| failed(&e))?;
    let hash = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params).map_err(|e| failed(&e))?,
        salt: Some(salt.as_salt()),
        hash: Some(Output::new(&out).map_err(|e| failed(&e))?),
    };
    Ok(hash.to_string())
}

/// Whether `password` matches the stored `hash`.
pub fn verify_password(password: &str, hash: &str) -> bool {
    verify_password_in(password, hash, &mut HashMemory::default())
}

/// [`verify_password`] in memory the caller keeps.
pub fn verify_password_in(password: &str, hash: &str, memory: &mut HashMemory) -> bool {
    let mut check = || -> Option<bool> {
        let parsed = PasswordHash::new(hash).ok()?;
        let algorithm = Algorithm::try_from(parsed.algorithm).ok()?;
        let version = match parsed.version {
            Some(v) => Version::try_from(v).ok()?,
            None => Version::default(),
        };
        let params = Params::try_from(&parsed).ok()?;
        let expected = parsed.hash?;
        let mut salt_buf = [0u8; 64];
        let salt = parsed.salt?.decode_b64(&mut salt_buf).ok()?;
        let mut out = vec![0u8; expected.len()];
        let blocks = memory.blocks(params.block_count())?;
        Argon2::new(algorithm, version, params)
            .hash_password_into_with_memory(password.as_bytes(), salt, &mut out, blocks)
            .ok()?;
        // Output compares in constant time.
        Some(Output::new(&out).ok()? == expected)
    };
    check().unwrap_or(false)
}

/// A hash to verify against when the user name is unknown, so that a wrong name takes as long
/// to refuse as a wrong password.
pub fn decoy_hash() -> &'static str {
    decoy_hash_in(&mut HashMemory::default())
}

/// [`decoy_hash`], computed (once) in memory the caller keeps.
pub fn decoy_hash_in(memory: &mut HashMemory) -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| {
        hash_password_in("decoy password that matches nothing", memory).unwrap_or_default()
    })
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
    fn email_addresses_are_trimmed_optional_and_checked() {
        assert_eq!(
            email("  li.wei@cq.gov.cn "),
            Ok(Some("li.wei@cq.gov.cn".into()))
        );
        assert_eq!(email("   "), Ok(None));
        for bad in [
            "li.wei",
            "li wei@cq.gov.cn",
            "@cq.gov.cn",
            "li@",
            "Li Wei <li@cq.gov.cn>",
            "li@cq.gov.cn\nBcc: x@y.z",
        ] {
            assert_eq!(email(bad), Err(AccountError::BadEmail), "{bad}");
        }
        let long = format!("{}@cq.gov.cn", "a".repeat(250));
        assert_eq!(email(&long), Err(AccountError::BadEmail));
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

    #[test]
    fn hashes_made_in_kept_memory_verify_like_any_other() {
        let mut memory = HashMemory::default();
        let mine = hash_password_in("correct horse battery", &mut memory).unwrap();
        assert!(verify_password("correct horse battery", &mine));
        assert!(!verify_password_in("correct horse", &mine, &mut memory));
        // A hash made the library's usual way verifies in kept memory too.
        use argon2::password_hash::PasswordHasher;
        let salt = SaltString::generate(&mut OsRng);
        let usual = Argon2::default()
            .hash_password(b"another long secret", &salt)
            .unwrap()
            .to_string();
        assert!(verify_password_in(
            "another long secret",
            &usual,
            &mut memory
        ));
        assert!(!verify_password_in(
            "another long secreT",
            &usual,
            &mut memory
        ));
        // A hash asking for more memory than the budget never matches.
        let greedy = usual.replace("m=19456", "m=1048576");
        assert!(!verify_password_in(
            "another long secret",
            &greedy,
            &mut memory
        ));
    }
}
