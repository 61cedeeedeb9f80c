//! Requests as plain values, and the one place they meet the network.
//!
//! Request builders return an [`HttpRequest`] (method, path, headers, body) that tests can
//! compare byte for byte with the requests typed by hand in `tests/expected_payloads.rs`;
//! only [`Transport::send`] touches the network, and it is where transport failures are
//! sorted into definite and unclear outcomes.

use std::time::Duration;

use crate::error::{Operation, ProviderError};
use crate::status::ProviderKind;

/// A request ready to send. `path` is relative to the provider's base URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpRequest {
    /// `GET` or `POST`.
    pub method: &'static str,
    /// The path after the base URL, with its query, without a leading `/`.
    pub path: String,
    /// Headers in the order sent.
    pub headers: Vec<(&'static str, String)>,
    /// The body as sent (JSON or a SOAP envelope); empty for none.
    pub body: String,
}

impl HttpRequest {
    /// The request as text, for logs and test failures: request line, headers
    /// in the order sent, a blank line, the body.
    pub fn to_golden_text(&self) -> String {
        let mut out = format!("{} /{}\n", self.method, self.path);
        for (name, value) in &self.headers {
            out.push_str(name);
            out.push_str(": ");
            out.push_str(value);
            out.push('\n');
        }
        out.push('\n');
        out.push_str(&self.body);
        out.push('\n');
        out
    }
}

/// An answer as it came, before the provider-specific parser reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpAnswer {
    /// The HTTP status code.
    pub status: u16,
    /// The `Content-Type` header; empty when absent.
    pub content_type: String,
    /// The body bytes, undecoded.
    pub body: Vec<u8>,
}

/// How long to wait. `request` covers the whole exchange: a VNPT batch of 5000 invoices
/// takes a while, so it is a setting, not a constant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// Longest wait for the connection to open.
    pub connect: Duration,
    /// Longest wait for the whole exchange, request sent to answer read.
    pub request: Duration,
}

impl Default for Timeouts {
    fn default() -> Timeouts {
        Timeouts { connect: Duration::from_secs(10), request: Duration::from_secs(60) }
    }
}

/// A shared HTTP client for one provider account.
#[derive(Debug, Clone)]
pub(crate) struct Transport {
    client: reqwest::Client,
    base_url: String,
    provider: ProviderKind,
    timeouts: Timeouts,
}

impl Transport {
    pub(crate) fn new(provider: ProviderKind, base_url: &str, timeouts: Timeouts) -> Result<Transport, ProviderError> {
        let base_url = base_url.trim().trim_end_matches('/').to_string();
        if let Some(reason) = hoadon_rules::url::insecure_reason(&base_url) {
            return Err(ProviderError::Settings { provider, detail: format!("máy chủ: {reason}") });
        }
        let loopback = hoadon_rules::url::is_loopback(&base_url);
        let mut builder = reqwest::Client::builder()
            .connect_timeout(timeouts.connect)
            .timeout(timeouts.request)
            // The requests carry the account's password: never in clear text off this
            // computer, and never resent to wherever a redirect points.
            .https_only(!loopback)
            .redirect(reqwest::redirect::Policy::none());
        if loopback {
            // The simulators run on loopback; a system proxy must not swallow that traffic.
            builder = builder.no_proxy();
        }
        let client = builder.build().map_err(|e| ProviderError::Settings { provider, detail: e.to_string() })?;
        Ok(Transport { client, base_url, provider, timeouts })
    }

    pub(crate) fn base_url(&self) -> &str {
        &self.base_url
    }

    pub(crate) async fn send(&self, op: Operation, request: HttpRequest) -> Result<HttpAnswer, ProviderError> {
        let url = format!("{}/{}", self.base_url, request.path);
        let method = reqwest::Method::from_bytes(request.method.as_bytes()).unwrap_or(reqwest::Method::POST);
        let mut builder = self.client.request(method, &url);
        for (name, value) in &request.headers {
            builder = builder.header(*name, value);
        }
        tracing::debug!(provider = %self.provider, ?op, %url, "gửi yêu cầu");
        let response = builder.body(request.body).send().await.map_err(|e| self.classify(op, &e))?;
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        if response.status().is_redirection() {
            let to = redirect_target(response.headers());
            return Err(ProviderError::Settings {
                provider: self.provider,
                detail: format!(
                    "máy chủ chuyển hướng yêu cầu sang «{to}» (HTTP {status}); phần mềm không gửi mật khẩu theo chuyển hướng, hãy kiểm tra địa chỉ máy chủ"
                ),
            });
        }
        let body = self.read_capped(op, response).await?;
        tracing::debug!(provider = %self.provider, ?op, status, bytes = body.len(), "nhận trả lời");
        Ok(HttpAnswer { status, content_type, body })
    }

    /// The answer's body, refused past [`MAX_ANSWER_BYTES`] before it is all in memory.
    async fn read_capped(&self, op: Operation, mut response: reqwest::Response) -> Result<Vec<u8>, ProviderError> {
        let too_large = || ProviderError::ConnectionLost {
            provider: self.provider,
            op,
            detail: format!("trả lời của máy chủ lớn hơn {} MiB, không đọc tiếp", MAX_ANSWER_BYTES / (1024 * 1024)),
        };
        if response.content_length().is_some_and(|n| n > MAX_ANSWER_BYTES as u64) {
            return Err(too_large());
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| self.classify(op, &e))? {
            if body.len() + chunk.len() > MAX_ANSWER_BYTES {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }

    /// Sorts a transport failure. Only a failure to connect is definite (nothing was sent);
    /// anything after the connection was made may have reached the provider.
    fn classify(&self, op: Operation, e: &reqwest::Error) -> ProviderError {
        let provider = self.provider;
        if e.is_connect() {
            return ProviderError::Unreachable { provider, op, detail: short_reason(e) };
        }
        if e.is_timeout() {
            return ProviderError::Timeout { provider, op, seconds: self.timeouts.request.as_secs() };
        }
        if e.is_builder() {
            return ProviderError::Settings { provider, detail: short_reason(e) };
        }
        ProviderError::ConnectionLost { provider, op, detail: short_reason(e) }
    }
}

/// The network failure in words a shop owner reads; the technical text stays in the log.
fn short_reason(e: &reqwest::Error) -> String {
    use std::error::Error as _;
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text = s.to_string();
        source = s.source();
    }
    tracing::debug!(reason = %text, "network failure");
    network_words(&text)
}

fn network_words(technical: &str) -> String {
    let t = technical.to_ascii_lowercase();
    let words = if t.contains("closed before message completed") || t.contains("connection closed") {
        "máy chủ đóng kết nối trước khi trả lời"
    } else if t.contains("reset") {
        "kết nối bị ngắt đột ngột"
    } else if t.contains("refused") {
        "máy chủ từ chối kết nối"
    } else if t.contains("dns") || t.contains("lookup address") || t.contains("name or service") {
        "không tìm thấy địa chỉ máy chủ"
    } else if t.contains("certificate") || t.contains("tls") {
        "chứng chỉ bảo mật của máy chủ không hợp lệ"
    } else if t.contains("timed out") || t.contains("timeout") {
        "hết thời gian chờ"
    } else {
        return format!("lỗi mạng: {technical}");
    };
    words.to_string()
}

#[cfg(test)]
mod network_words_tests {
    use super::network_words;

    #[test]
    fn common_failures_read_in_vietnamese() {
        assert_eq!(network_words("connection closed before message completed"), "máy chủ đóng kết nối trước khi trả lời");
        assert_eq!(network_words("Connection reset by peer (os error 104)"), "kết nối bị ngắt đột ngột");
        assert_eq!(network_words("Connection refused (os error 111)"), "máy chủ từ chối kết nối");
        assert_eq!(network_words("dns error: failed to lookup address information"), "không tìm thấy địa chỉ máy chủ");
        assert_eq!(network_words("something else"), "lỗi mạng: something else");
    }
}

/// The largest answer read: a VNPT answer for a batch of 5000 invoices is a few MiB.
pub(crate) const MAX_ANSWER_BYTES: usize = 32 * 1024 * 1024;

/// The host a redirect answer points to, for the message (never followed).
fn redirect_target(headers: &reqwest::header::HeaderMap) -> String {
    let location = headers.get(reqwest::header::LOCATION).and_then(|v| v.to_str().ok()).unwrap_or("");
    hoadon_rules::url::host(location).unwrap_or(if location.is_empty() { "(không rõ)" } else { location }).to_string()
}

/// Turns an HTTP status into the error it means, when it is not a success. Shared by both
/// providers: 5xx is unclear (the server may have stored the invoice before failing), 4xx
/// is a refusal of the request itself.
pub(crate) fn check_status(provider: ProviderKind, op: Operation, answer: &HttpAnswer) -> Result<(), ProviderError> {
    match answer.status {
        200..=299 => Ok(()),
        // 408: the server gave up waiting mid-request; what it did is unknown.
        408 | 500..=599 => Err(ProviderError::ServerError { provider, op, http_status: answer.status }),
        other => Err(ProviderError::HttpRefused { provider, op, http_status: other }),
    }
}

#[cfg(test)]
mod transport_tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpListener;

    fn transport(url: &str) -> Result<Transport, ProviderError> {
        Transport::new(ProviderKind::EasyInvoice, url, Timeouts::default())
    }

    #[test]
    fn http_only_to_this_computer() {
        for refused in ["http://127.evil.com", "http://localhost.evil.com", "http://10.0.0.1", "ftp://x.vn"] {
            assert!(matches!(transport(refused), Err(ProviderError::Settings { .. })), "{refused}");
        }
        for accepted in ["http://127.0.0.1:8080", "http://[::1]:9", "http://localhost:3000", "https://x.easyinvoice.vn"] {
            assert!(transport(accepted).is_ok(), "{accepted}");
        }
    }

    /// Reads one request's head and answers `answer`; returns the head as text.
    async fn answer_once(listener: &TcpListener, answer: &[u8]) -> String {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut head = Vec::new();
        let mut buf = [0u8; 4096];
        while !head.windows(4).any(|w| w == b"\r\n\r\n") {
            let n = socket.read(&mut buf).await.unwrap();
            if n == 0 {
                break;
            }
            head.extend_from_slice(&buf[..n]);
        }
        let _ = socket.write_all(answer).await;
        let _ = socket.shutdown().await;
        String::from_utf8_lossy(&head).into_owned()
    }

    #[tokio::test]
    async fn a_redirect_is_an_error_and_the_credential_is_not_resent() {
        let first = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let second = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let second_port = second.local_addr().unwrap().port();
        for code in [307, 308] {
            let t = transport(&format!("http://127.0.0.1:{}", first.local_addr().unwrap().port())).unwrap();
            let answer = format!(
                "HTTP/1.1 {code} Moved\r\nLocation: http://127.0.0.1:{second_port}/steal\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
            let request = HttpRequest {
                method: "POST",
                path: "api/publish".into(),
                headers: vec![("Authentication", "user:password-1".into())],
                body: "{}".into(),
            };
            let (head, result) = tokio::join!(answer_once(&first, answer.as_bytes()), t.send(Operation::Issue, request));
            assert!(head.contains("password-1"), "the first request carries it");
            match result {
                Err(ProviderError::Settings { detail, .. }) => {
                    assert!(detail.contains("chuyển hướng") && detail.contains("127.0.0.1"), "{detail}")
                }
                other => panic!("{other:?}"),
            }
            // Nothing connected to where the redirect pointed (reqwest follows before it returns).
            let followed = tokio::time::timeout(Duration::from_millis(50), second.accept()).await;
            assert!(followed.is_err(), "the redirect was followed");
        }
    }

    #[tokio::test]
    async fn an_answer_past_the_cap_is_refused() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
        let server = async {
            let (mut socket, _) = listener.accept().await.unwrap();
            let mut buf = [0u8; 4096];
            let _ = socket.read(&mut buf).await;
            // No Content-Length: the cap must hold while streaming.
            let _ = socket.write_all(b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n").await;
            let chunk = vec![b'x'; 1024 * 1024];
            for _ in 0..(MAX_ANSWER_BYTES / chunk.len() + 2) {
                if socket.write_all(&chunk).await.is_err() {
                    break;
                }
            }
        };
        let t = transport(&url).unwrap();
        let request = HttpRequest { method: "GET", path: "x".into(), headers: vec![], body: String::new() };
        let (_, result) = tokio::join!(server, t.send(Operation::Query, request));
        match result {
            Err(ProviderError::ConnectionLost { detail, .. }) => assert!(detail.contains("32 MiB"), "{detail}"),
            other => panic!("{other:?}"),
        }
    }
}
