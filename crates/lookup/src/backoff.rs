//! Sending a request to a source that may answer HTTP 429 (too many requests).
//!
//! Public look-ups are rate limited per address, and a shop behind one router shares that
//! address. A few bounded retries that honour `Retry-After` ride out a short burst; a long
//! wait is not worth keeping the cashier waiting, so the look-up then gives up and says how
//! long the source asked for.

use std::time::Duration;

use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::{RequestBuilder, Response, StatusCode};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc2822;

use crate::error::LookupError;
use crate::partner::Source;
use crate::settings::RetryPolicy;

/// Sends the request built by `build` (again on each retry), waiting out 429 answers.
/// Any other answer, success or not, is the caller's to read.
pub(crate) async fn send(
    policy: &RetryPolicy,
    service: Source,
    build: impl Fn() -> RequestBuilder,
) -> Result<Response, LookupError> {
    let mut attempt = 0;
    loop {
        let response = build().send().await.map_err(|e| unreachable(service, &e))?;
        if response.status().is_redirection() {
            return Err(redirected(service, &response));
        }
        if response.status() != StatusCode::TOO_MANY_REQUESTS {
            return Ok(response);
        }
        let asked = retry_after(response.headers());
        let give_up = LookupError::RateLimited { service, retry_after_secs: asked.map(|d| d.as_secs()) };
        if attempt >= policy.max_retries {
            tracing::warn!(source = service.as_str(), attempts = attempt + 1, "rate limited; giving up");
            return Err(give_up);
        }
        let wait = match asked {
            Some(asked) if asked > Duration::from_secs(policy.max_retry_after_secs) => {
                tracing::warn!(source = service.as_str(), retry_after = asked.as_secs(), "rate limited for too long");
                return Err(give_up);
            }
            Some(asked) => asked,
            None => policy.delay(attempt),
        };
        tracing::info!(source = service.as_str(), wait_ms = wait.as_millis() as u64, "rate limited; waiting");
        tokio::time::sleep(wait).await;
        attempt += 1;
    }
}

/// The clients carry a token, a client secret or an API key: a redirect is never
/// followed (it would resend them elsewhere), and says where it pointed.
fn redirected(service: Source, response: &Response) -> LookupError {
    let location = response.headers().get(reqwest::header::LOCATION).and_then(|v| v.to_str().ok()).unwrap_or("");
    let to = hoadon_rules::url::host(location).unwrap_or(if location.is_empty() { "(không rõ)" } else { location });
    tracing::warn!(source = service.as_str(), status = response.status().as_u16(), %location, "redirect refused");
    LookupError::Unreachable {
        service,
        detail: format!(
            "máy chủ chuyển hướng sang «{to}» (HTTP {}); phần mềm không gửi thông tin đăng nhập theo chuyển hướng, hãy kiểm tra địa chỉ trong Cài đặt tra cứu",
            response.status().as_u16()
        ),
    }
}

/// The largest answer read (the registry's answers are a few KiB).
pub(crate) const MAX_ANSWER_BYTES: usize = 32 * 1024 * 1024;

/// The answer's body as text, refused past [`MAX_ANSWER_BYTES`] before it is all in memory.
pub(crate) async fn read_text(service: Source, mut response: Response) -> Result<String, LookupError> {
    let too_large = || LookupError::Malformed {
        service,
        detail: format!("trả lời lớn hơn {} MiB, không đọc tiếp", MAX_ANSWER_BYTES / (1024 * 1024)),
    };
    if response.content_length().is_some_and(|n| n > MAX_ANSWER_BYTES as u64) {
        return Err(too_large());
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(|e| unreachable(service, &e))? {
        if body.len() + chunk.len() > MAX_ANSWER_BYTES {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(String::from_utf8_lossy(&body).into_owned())
}

/// A client for a source: no redirects, https only unless every address is this computer;
/// `Err` with the reason when an address would carry the credential in clear text.
pub(crate) fn client(service: Source, urls: &[&str], timeout: Duration) -> Result<reqwest::Client, LookupError> {
    let mut loopback = true;
    for url in urls.iter().filter(|u| !u.trim().is_empty()) {
        if let Some(reason) = hoadon_rules::url::insecure_reason(url) {
            return Err(LookupError::Unreachable { service, detail: reason });
        }
        loopback &= hoadon_rules::url::is_loopback(url);
    }
    let mut builder = reqwest::Client::builder()
        .timeout(timeout)
        .https_only(!loopback)
        .redirect(reqwest::redirect::Policy::none());
    if loopback {
        // The simulators run on loopback; a system proxy must not swallow that traffic.
        builder = builder.no_proxy();
    }
    builder.build().map_err(|e| unreachable(service, &e))
}

/// `Retry-After` as seconds or as an HTTP date.
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = OffsetDateTime::parse(value, &Rfc2822).ok()?;
    let wait = at - OffsetDateTime::now_utc();
    Some(Duration::try_from(wait).unwrap_or(Duration::ZERO))
}

/// A transport failure in words for the shop owner (the URL holds no secret, but the
/// owner has no use for it either).
pub(crate) fn unreachable(service: Source, error: &reqwest::Error) -> LookupError {
    let detail = if error.is_timeout() {
        "hết thời gian chờ trả lời".to_owned()
    } else if error.is_connect() {
        "không mở được kết nối".to_owned()
    } else {
        format!("lỗi đường truyền: {}", error_chain(error))
    };
    tracing::warn!(source = service.as_str(), error = %error_chain(error), "source unreachable");
    LookupError::Unreachable { service, detail }
}

fn error_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(inner) = cause {
        text.push_str(": ");
        text.push_str(&inner.to_string());
        cause = inner.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, HeaderValue::from_static("7"));
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(7)));
        headers.insert(RETRY_AFTER, HeaderValue::from_static("Sun, 06 Nov 1994 08:49:37 GMT"));
        assert_eq!(retry_after(&headers), Some(Duration::ZERO));
        headers.insert(RETRY_AFTER, HeaderValue::from_static("soon"));
        assert_eq!(retry_after(&headers), None);
    }
}
