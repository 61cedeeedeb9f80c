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
    pub method: &'static str,
    pub path: String,
    pub headers: Vec<(&'static str, String)>,
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
    pub status: u16,
    pub content_type: String,
    pub body: Vec<u8>,
}

/// How long to wait. `request` covers the whole exchange: a VNPT batch of 5000 invoices
/// takes a while, so it is a setting, not a constant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    pub connect: Duration,
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
        if !(base_url.starts_with("https://") || base_url.starts_with("http://")) {
            return Err(ProviderError::Settings {
                provider,
                detail: format!("địa chỉ máy chủ «{base_url}» phải bắt đầu bằng https://"),
            });
        }
        let mut builder = reqwest::Client::builder()
            .connect_timeout(timeouts.connect)
            .timeout(timeouts.request)
            // A provider never redirects an API call; following one would resend the
            // request body somewhere else.
            .redirect(reqwest::redirect::Policy::none());
        if is_loopback(&base_url) {
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
        let body = response.bytes().await.map_err(|e| self.classify(op, &e))?.to_vec();
        tracing::debug!(provider = %self.provider, ?op, status, bytes = body.len(), "nhận trả lời");
        Ok(HttpAnswer { status, content_type, body })
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

fn is_loopback(url: &str) -> bool {
    let rest = url.split("://").nth(1).unwrap_or("");
    rest.starts_with("127.") || rest.starts_with("localhost") || rest.starts_with("[::1]")
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
