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
    /// Attempts reserved and not yet decided (their passwords are being checked).
    pending: u32,
    blocked_until: Option<Instant>,
    last_failure: Instant,
}

/// Failures across all addresses allowed per minute before every login is held back for
/// the rest of the minute: many addresses guessing at once are still a bounded number.
pub const GLOBAL_FAILURES_PER_MINUTE: u32 = 120;

/// The key an address is counted under: IPv4 as it is, IPv6 by its /64 prefix (one
/// subscriber commonly holds a whole /64), an IPv4-mapped IPv6 as its IPv4.
pub fn address_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(v4) => IpAddr::V4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6(std::net::Ipv6Addr::from(u128::from(v6) & !u128::from(u64::MAX))),
        },
    }
}

/// The failure records per address, bounded so a flood of addresses cannot grow it
/// without end, and the failures of the last minute across all addresses.
pub(crate) struct Backoff {
    policy: BackoffPolicy,
    records: Mutex<HashMap<IpAddr, Record>>,
    global: Mutex<(Instant, u32)>,
}

const MAX_RECORDS: usize = 10_000;

/// An attempt reserved by [`Backoff::reserve`] before the password is checked; it must be
/// settled with [`Reservation::failed`] or [`Reservation::succeeded`]. Dropped unsettled
/// (e.g. the server was too busy to check), it is given back without counting.
pub(crate) struct Reservation<'a> {
    backoff: &'a Backoff,
    key: IpAddr,
    settled: bool,
}

impl Reservation<'_> {
    pub(crate) fn failed(mut self) {
        self.settled = true;
        self.backoff.failed(self.key);
    }

    pub(crate) fn succeeded(mut self) {
        self.settled = true;
        self.backoff.records.lock().expect("backoff lock").remove(&self.key);
    }
}

impl Drop for Reservation<'_> {
    fn drop(&mut self) {
        if !self.settled {
            let mut records = self.backoff.records.lock().expect("backoff lock");
            if let Some(record) = records.get_mut(&self.key) {
                record.pending = record.pending.saturating_sub(1);
            }
        }
    }
}

impl Backoff {
    pub(crate) fn new(policy: BackoffPolicy) -> Backoff {
        Backoff { policy, records: Mutex::new(HashMap::new()), global: Mutex::new((Instant::now(), 0)) }
    }

    /// Reserves one attempt for `ip` before its password is checked, so parallel guesses
    /// from one address cannot all pass the limit: the failures so far plus the attempts
    /// in progress stay within `free_failures`, and once held back an address gets one
    /// attempt at a time. `Err(wait)` while `ip` (or everyone, after too many failures
    /// across addresses) must wait.
    pub(crate) fn reserve(&self, ip: IpAddr) -> std::result::Result<Reservation<'_>, Duration> {
        let now = Instant::now();
        {
            let global = self.global.lock().expect("backoff lock");
            let window_end = global.0 + Duration::from_secs(60);
            if global.1 >= GLOBAL_FAILURES_PER_MINUTE && window_end > now {
                return Err(window_end - now);
            }
        }
        let key = address_key(ip);
        let mut records = self.records.lock().expect("backoff lock");
        self.make_room(&mut records, key, now);
        let record = records.entry(key).or_insert(Record { failures: 0, pending: 0, blocked_until: None, last_failure: now });
        if let Some(until) = record.blocked_until.filter(|until| *until > now) {
            return Err(until - now);
        }
        if record.pending > 0 && record.failures + record.pending >= self.policy.free_failures.max(1) {
            // The attempts in progress would use up what is left: wait for them.
            let wait = Duration::from_millis(self.policy.first_delay_ms.clamp(1_000, 60_000));
            return Err(wait);
        }
        record.pending += 1;
        Ok(Reservation { backoff: self, key, settled: false })
    }

    /// `Err(wait)` while `ip` must wait before trying again (no attempt reserved).
    #[cfg(test)]
    pub(crate) fn check(&self, ip: IpAddr) -> std::result::Result<(), Duration> {
        let records = self.records.lock().expect("backoff lock");
        let now = Instant::now();
        match records.get(&address_key(ip)).and_then(|r| r.blocked_until) {
            Some(until) if until > now => Err(until - now),
            _ => Ok(()),
        }
    }

    fn make_room(&self, records: &mut HashMap<IpAddr, Record>, key: IpAddr, now: Instant) {
        if records.len() >= MAX_RECORDS {
            let forget_after = Duration::from_millis(self.policy.max_delay_ms.max(60_000)) * 2;
            records.retain(|_, r| r.pending > 0 || now.duration_since(r.last_failure) < forget_after);
        }
        if records.len() >= MAX_RECORDS && !records.contains_key(&key) {
            // Still full of recent failures: an attack from many addresses. Drop the
            // oldest record rather than stop counting the new one.
            if let Some(oldest) =
                records.iter().filter(|(_, r)| r.pending == 0).min_by_key(|(_, r)| r.last_failure).map(|(ip, _)| *ip)
            {
                records.remove(&oldest);
            }
        }
    }

    /// A failure of `key` (an [`address_key`]), settling one reserved attempt if any.
    fn failed(&self, key: IpAddr) {
        let now = Instant::now();
        {
            let mut global = self.global.lock().expect("backoff lock");
            if now.duration_since(global.0) >= Duration::from_secs(60) {
                *global = (now, 0);
            }
            global.1 += 1;
            if global.1 == GLOBAL_FAILURES_PER_MINUTE {
                tracing::warn!(failures = global.1, "MOIT report: too many login failures across addresses, every login held back for a minute");
            }
        }
        let mut records = self.records.lock().expect("backoff lock");
        self.make_room(&mut records, key, now);
        let record = records.entry(key).or_insert(Record { failures: 0, pending: 0, blocked_until: None, last_failure: now });
        record.pending = record.pending.saturating_sub(1);
        record.failures += 1;
        record.last_failure = now;
        if record.failures >= self.policy.free_failures {
            let doublings = (record.failures - self.policy.free_failures).min(30);
            let delay = self.policy.first_delay_ms.saturating_mul(1 << doublings).min(self.policy.max_delay_ms);
            record.blocked_until = Some(now + Duration::from_millis(delay));
            tracing::warn!(ip = %key, failures = record.failures, delay_ms = delay, "MOIT report: repeated login failures, address held back");
        }
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
        backoff.reserve(ip).unwrap().failed();
        assert!(backoff.check(ip).is_ok());
        backoff.reserve(ip).unwrap().failed();
        let wait = backoff.check(ip).unwrap_err();
        assert!(wait > Duration::from_millis(9_000) && wait <= Duration::from_millis(10_000), "{wait:?}");
        assert!(backoff.check(other).is_ok(), "another address is not held back");
        backoff.failed(address_key(ip));
        assert!(backoff.check(ip).unwrap_err() > Duration::from_millis(19_000));
        backoff.failed(address_key(ip));
        assert!(backoff.check(ip).unwrap_err() <= Duration::from_millis(25_000), "capped");
        backoff.records.lock().unwrap().remove(&ip);
        assert!(backoff.check(ip).is_ok());
    }

    #[test]
    fn attempts_are_reserved_before_the_check() {
        let backoff = Backoff::new(BackoffPolicy { free_failures: 3, first_delay_ms: 10_000, max_delay_ms: 25_000 });
        let ip: IpAddr = "192.0.2.1".parse().unwrap();
        let held: Vec<_> = (0..3).map(|_| backoff.reserve(ip).unwrap()).collect();
        assert!(backoff.reserve(ip).is_err(), "three in progress use up the three free failures");
        assert!(backoff.reserve("192.0.2.2".parse().unwrap()).is_ok(), "another address is not concerned");
        drop(held);
        let again: Vec<_> = (0..3).map(|_| backoff.reserve(ip).unwrap()).collect();
        for reservation in again {
            reservation.failed();
        }
        assert!(backoff.reserve(ip).is_err(), "held back after three failures");
    }

    #[test]
    fn ipv6_is_counted_per_64() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:ffff:1:2:3".parse().unwrap();
        let other: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(address_key(a), "2001:db8:1:2::".parse::<IpAddr>().unwrap());
        assert_eq!(address_key(a), address_key(b));
        assert_ne!(address_key(a), address_key(other));
        assert_eq!(address_key("::ffff:192.0.2.7".parse().unwrap()), "192.0.2.7".parse::<IpAddr>().unwrap());
        let backoff = Backoff::new(BackoffPolicy { free_failures: 1, first_delay_ms: 10_000, max_delay_ms: 10_000 });
        backoff.reserve(a).unwrap().failed();
        assert!(backoff.reserve(b).is_err(), "the same /64 is held back");
        assert!(backoff.reserve(other).is_ok());
    }

    #[test]
    fn a_global_budget_holds_back_every_address() {
        let backoff = Backoff::new(BackoffPolicy { free_failures: 1_000, first_delay_ms: 1_000, max_delay_ms: 1_000 });
        for i in 0..GLOBAL_FAILURES_PER_MINUTE {
            let ip = IpAddr::V4(std::net::Ipv4Addr::from(0xC000_0200 + i));
            backoff.reserve(ip).unwrap().failed();
        }
        let wait = backoff.reserve("198.51.100.1".parse().unwrap()).err().expect("budget used up");
        assert!(wait <= Duration::from_secs(60));
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
