//! Who may pull the report: password hashes, constant-time checks, and the per-address
//! slow-down after repeated failures.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use argon2::password_hash::phc::PasswordHash;
use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq;
use ts_rs::TS;

use crate::{MoitError, Result};

/// The shortest password [`hash_password`] accepts: the page is on the open internet.
pub const MIN_PASSWORD_CHARS: usize = 8;

/// The Argon2id hash (PHC string, `$argon2id$v=19$…`) of a password the merchant chose.
/// Only this string is stored in the settings; the password itself never is.
pub fn hash_password(password: &str) -> Result<String> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(MoitError::Config(format!("mật khẩu cần ít nhất {MIN_PASSWORD_CHARS} ký tự")));
    }
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| MoitError::PasswordHash(e.to_string()))
}

/// Whether `hash` is a PHC string this server can check passwords against.
pub fn is_valid_password_hash(hash: &str) -> bool {
    PasswordHash::new(hash).is_ok()
}

/// A user name and the hash of its password, as configured.
#[derive(Debug, Clone)]
pub(crate) struct Account {
    user: String,
    hash: PasswordHash,
}

impl Account {
    pub(crate) fn new(user: &str, hash: &str, what: &str) -> Result<Account> {
        let hash = PasswordHash::new(hash)
            .map_err(|_| MoitError::Config(format!("mã băm mật khẩu của {what} không hợp lệ; hãy đặt lại mật khẩu")))?;
        Ok(Account { user: user.to_string(), hash })
    }

    /// Slow on purpose (Argon2): run it off the async threads. The password is checked
    /// even when the name is wrong, so the time taken does not tell which one was.
    pub(crate) fn verify(&self, user: &str, password: &str) -> bool {
        let name_ok = self.user.as_bytes().ct_eq(user.as_bytes());
        let password_ok = Argon2::default().verify_password(password.as_bytes(), &self.hash).is_ok();
        bool::from(name_ok & subtle::Choice::from(u8::from(password_ok)))
    }
}

/// How repeated failures from one address are slowed down.
///
/// After `free_failures` failures in a row, the address is refused (HTTP 429 with
/// `Retry-After`) for `first_delay_ms`, and each further failure doubles the wait up to
/// `max_delay_ms`. A success clears the address's record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export, rename = "MoitBackoffPolicy")]
pub struct BackoffPolicy {
    /// Failures in a row allowed before the first wait.
    pub free_failures: u32,
    /// The first wait, in milliseconds.
    #[ts(type = "number")]
    pub first_delay_ms: u64,
    /// The longest wait, in milliseconds.
    #[ts(type = "number")]
    pub max_delay_ms: u64,
}

impl Default for BackoffPolicy {
    fn default() -> Self {
        BackoffPolicy { free_failures: 5, first_delay_ms: 2_000, max_delay_ms: 15 * 60 * 1_000 }
    }
}

struct Record {
    failures: u32,
    blocked_until: Option<Instant>,
    last_failure: Instant,
}

/// The failure records per address, bounded so a flood of addresses cannot grow it
/// without end.
pub(crate) struct Backoff {
    policy: BackoffPolicy,
    records: Mutex<HashMap<IpAddr, Record>>,
}

const MAX_RECORDS: usize = 10_000;

impl Backoff {
    pub(crate) fn new(policy: BackoffPolicy) -> Backoff {
        Backoff { policy, records: Mutex::new(HashMap::new()) }
    }

    /// `Err(wait)` while `ip` must wait before trying again.
    pub(crate) fn check(&self, ip: IpAddr) -> std::result::Result<(), Duration> {
        let records = self.records.lock().expect("backoff lock");
        let now = Instant::now();
        match records.get(&ip).and_then(|r| r.blocked_until) {
            Some(until) if until > now => Err(until - now),
            _ => Ok(()),
        }
    }

    pub(crate) fn failed(&self, ip: IpAddr) {
        let mut records = self.records.lock().expect("backoff lock");
        let now = Instant::now();
        if records.len() >= MAX_RECORDS {
            let forget_after = Duration::from_millis(self.policy.max_delay_ms.max(60_000)) * 2;
            records.retain(|_, r| now.duration_since(r.last_failure) < forget_after);
        }
        if records.len() >= MAX_RECORDS && !records.contains_key(&ip) {
            // Still full of recent failures: an attack from many addresses. Drop the
            // oldest record rather than stop counting the new one.
            if let Some(oldest) = records.iter().min_by_key(|(_, r)| r.last_failure).map(|(ip, _)| *ip) {
                records.remove(&oldest);
            }
        }
        let record = records.entry(ip).or_insert(Record { failures: 0, blocked_until: None, last_failure: now });
        record.failures += 1;
        record.last_failure = now;
        if record.failures >= self.policy.free_failures {
            let doublings = (record.failures - self.policy.free_failures).min(30);
            let delay = self.policy.first_delay_ms.saturating_mul(1 << doublings).min(self.policy.max_delay_ms);
            record.blocked_until = Some(now + Duration::from_millis(delay));
            tracing::warn!(%ip, failures = record.failures, delay_ms = delay, "MOIT report: repeated login failures, address held back");
        }
    }

    pub(crate) fn succeeded(&self, ip: IpAddr) {
        self.records.lock().expect("backoff lock").remove(&ip);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holds_back_after_the_free_failures_and_doubles() {
        let backoff = Backoff::new(BackoffPolicy { free_failures: 2, first_delay_ms: 10_000, max_delay_ms: 25_000 });
        let ip: IpAddr = "192.0.2.1".parse().unwrap();
        let other: IpAddr = "192.0.2.2".parse().unwrap();
        backoff.failed(ip);
        assert!(backoff.check(ip).is_ok());
        backoff.failed(ip);
        let wait = backoff.check(ip).unwrap_err();
        assert!(wait > Duration::from_millis(9_000) && wait <= Duration::from_millis(10_000), "{wait:?}");
        assert!(backoff.check(other).is_ok(), "another address is not held back");
        backoff.failed(ip);
        assert!(backoff.check(ip).unwrap_err() > Duration::from_millis(19_000));
        backoff.failed(ip);
        assert!(backoff.check(ip).unwrap_err() <= Duration::from_millis(25_000), "capped");
        backoff.succeeded(ip);
        assert!(backoff.check(ip).is_ok());
    }

    #[test]
    fn hashes_and_verifies_in_constant_shape() {
        assert!(hash_password("short").is_err());
        let hash = hash_password("mật khẩu dài").unwrap();
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert!(is_valid_password_hash(&hash));
        assert!(!is_valid_password_hash("mật khẩu dài"));
        let account = Account::new("BaocaoTMDT", &hash, "trang báo cáo").unwrap();
        assert!(account.verify("BaocaoTMDT", "mật khẩu dài"));
        assert!(!account.verify("BaocaoTMDT", "mật khẩu sai"));
        assert!(!account.verify("baocaotmdt", "mật khẩu dài"));
        assert!(!account.verify("", "mật khẩu dài"));
    }
}
