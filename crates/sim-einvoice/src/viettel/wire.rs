//! The transport of the Viettel routes: forms, tokens, and the random secrets it hands out.

use std::collections::BTreeMap;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};

use axum::http::{header, HeaderMap};

use crate::ledger::now_ms;

/// A random string from the process's hash seeds, a clock and a counter: enough to make
/// secrets a test cannot guess, without a random-number crate.
pub(super) fn random(len: usize, alphabet: &[u8]) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut out = String::with_capacity(len);
    while out.len() < len {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
        h.write_i64(now_ms());
        h.write_u128(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0));
        let mut x = h.finish();
        for _ in 0..8 {
            if out.len() == len {
                break;
            }
            out.push(alphabet[(x % alphabet.len() as u64) as usize] as char);
            x /= alphabet.len() as u64;
        }
    }
    out
}

pub(super) const UPPER_DIGITS: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ0123456789";
pub(super) const HEX: &[u8] = b"0123456789ABCDEF";
pub(super) const HEX_LOWER: &[u8] = b"0123456789abcdef";

/// `a=b&c=d` with `+` and `%XX`, as forms are encoded.
pub(super) fn parse_form(text: &str, into: &mut BTreeMap<String, String>) {
    for pair in text.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        into.insert(percent_decode(&k.replace('+', " ")), percent_decode(&v.replace('+', " ")));
    }
}

pub(super) fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Ok(b) = u8::from_str_radix(std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("zz"), 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// What the caller presented as its token, from the cookie and from `Authorization`.
pub(super) fn presented_tokens(headers: &HeaderMap) -> Vec<String> {
    let mut tokens = Vec::new();
    for cookie in headers.get_all(header::COOKIE) {
        let Ok(cookie) = cookie.to_str() else { continue };
        for part in cookie.split(';') {
            if let Some((name, value)) = part.trim().split_once('=')
                && name.trim() == "access_token"
                && !value.trim().is_empty()
            {
                tokens.push(value.trim().trim_matches('"').to_string());
            }
        }
    }
    if let Some(auth) = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok())
        && let Some((scheme, token)) = auth.trim().split_once(' ')
        && scheme.eq_ignore_ascii_case("bearer")
        && !token.trim().is_empty()
    {
        tokens.push(token.trim().to_string());
    }
    tokens
}

