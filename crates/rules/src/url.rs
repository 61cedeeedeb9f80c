//! Whether an address may carry a password: `https://`, or plain `http://` to this computer
//! only (the simulators listen on 127.0.0.1). Loopback is a host parsed as an IP address
//! (`127.0.0.0/8`, `::1`) or exactly `localhost`, never a prefix (`127.evil.com`).

use std::net::{Ipv4Addr, Ipv6Addr};

/// The host of `url` (`scheme://[user@]host[:port][/…]`), brackets removed for IPv6.
pub fn host(url: &str) -> Option<&str> {
    let rest = url.trim().split_once("://")?.1;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let authority = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if let Some(v6) = authority.strip_prefix('[') {
        v6.split_once(']')?.0
    } else {
        authority.split(':').next().unwrap_or("")
    };
    (!host.is_empty()).then_some(host)
}

/// `true` when the host of `url` is this computer, as defined above.
pub fn is_loopback(url: &str) -> bool {
    match host(url) {
        Some(h) => {
            h.eq_ignore_ascii_case("localhost")
                || h.parse::<Ipv4Addr>().is_ok_and(|ip| ip.octets()[0] == 127)
                || h.parse::<Ipv6Addr>().is_ok_and(|ip| ip == Ipv6Addr::LOCALHOST)
        }
        None => false,
    }
}

/// Why `url` may not carry a password, in Vietnamese; `None` when it may.
pub fn insecure_reason(url: &str) -> Option<String> {
    let url = url.trim();
    let lower = url.to_ascii_lowercase();
    if host(url).is_none() {
        return Some(format!("địa chỉ «{url}» không hợp lệ: cần dạng https://tên-máy-chủ"));
    }
    if lower.starts_with("https://") || (lower.starts_with("http://") && is_loopback(url)) {
        return None;
    }
    Some(format!(
        "địa chỉ «{url}» phải bắt đầu bằng https:// (http:// chỉ dùng được cho máy này: 127.0.0.1, [::1], localhost)"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_true_loopback_may_use_http() {
        for refused in [
            "http://127.evil.com",
            "http://127.evil.com:80/x",
            "http://localhost.evil.com",
            "http://10.0.0.1",
            "http://[::2]:9",
            "http://example.vn",
            "ftp://127.0.0.1",
            "127.0.0.1:8080",
            "https://",
        ] {
            assert!(insecure_reason(refused).is_some(), "{refused}");
        }
        for accepted in [
            "http://127.0.0.1:8080",
            "http://127.1.2.3/x",
            "http://[::1]:9",
            "http://localhost:3000",
            "HTTP://LOCALHOST",
            "https://0312345678.easyinvoice.vn",
            "https://10.0.0.1",
        ] {
            assert_eq!(insecure_reason(accepted), None, "{accepted}");
        }
        assert!(!is_loopback("http://127.0.0.1@evil.com"));
        assert!(is_loopback("http://evil.com@127.0.0.1"));
    }
}
