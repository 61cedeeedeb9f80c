//! The NDXP side of the registry: the OAuth 2.0 token endpoint and the four look-ups.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Json;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use hoadon_rules::TaxCode;
use serde_json::json;

use crate::SimState;
use crate::knobs::{Endpoint, Fault};
use crate::seed::Answer;

/// Waits and fails as the knobs say; `Some` is the answer to send instead of the real one.
pub(crate) async fn gate(state: &SimState, endpoint: Endpoint) -> Option<Response> {
    let (delay, fault) = state.knobs.arrive(endpoint);
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    match fault? {
        Fault::ServerError => Some(
            (StatusCode::SERVICE_UNAVAILABLE, Json(json!({"error": "server_error", "message": "Hệ thống đang bận"})))
                .into_response(),
        ),
        Fault::TooManyRequests { retry_after_secs } => {
            let mut response =
                (StatusCode::TOO_MANY_REQUESTS, Json(json!({"error": "too_many_requests"}))).into_response();
            if let Some(secs) = retry_after_secs {
                response.headers_mut().insert(header::RETRY_AFTER, secs.into());
            }
            Some(response)
        }
    }
}

fn oauth_error(status: StatusCode, code: &str, description: &str) -> Response {
    (status, Json(json!({"error": code, "error_description": description}))).into_response()
}

/// `POST` form `grant_type=client_credentials`, credentials by HTTP Basic or in the body.
pub(crate) async fn token(State(state): State<Arc<SimState>>, headers: HeaderMap, body: String) -> Response {
    if let Some(early) = gate(&state, Endpoint::Token).await {
        return early;
    }
    let form: HashMap<String, String> = form_pairs(&body);
    let (id, secret) = match basic_credentials(&headers) {
        Some(pair) => pair,
        None => (
            form.get("client_id").cloned().unwrap_or_default(),
            form.get("client_secret").cloned().unwrap_or_default(),
        ),
    };
    if form.get("grant_type").map(String::as_str) != Some("client_credentials") {
        return oauth_error(StatusCode::BAD_REQUEST, "unsupported_grant_type", "chỉ hỗ trợ client_credentials");
    }
    if id != state.client_id || secret != state.client_secret {
        return oauth_error(StatusCode::UNAUTHORIZED, "invalid_client", "sai mã ứng dụng hoặc khóa bí mật");
    }
    let (access_token, expires_in) = state.knobs.issue_token();
    Json(json!({
        "access_token": access_token,
        "token_type": "Bearer",
        "expires_in": expires_in,
        "scope": form.get("scope").cloned().unwrap_or_else(|| "nbrs".into()),
    }))
    .into_response()
}

/// 401 unless the request carries a live token.
fn authorise(state: &SimState, headers: &HeaderMap) -> Option<Response> {
    let presented = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim());
    match presented {
        Some(token) if state.knobs.token_is_valid(token) => None,
        _ => {
            let mut response = oauth_error(StatusCode::UNAUTHORIZED, "invalid_token", "mã truy cập không hợp lệ hoặc đã hết hạn");
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"".parse().expect("ascii"));
            Some(response)
        }
    }
}

fn bad_request(message: &str) -> Response {
    (StatusCode::BAD_REQUEST, Json(json!({"error": "invalid_request", "message": message}))).into_response()
}

fn not_found(message: &str) -> Response {
    (StatusCode::NOT_FOUND, Json(json!({"error": "not_found", "message": message}))).into_response()
}

pub(crate) async fn basic_info(
    State(state): State<Arc<SimState>>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    if let Some(early) = gate(&state, Endpoint::BasicInfo).await.or_else(|| authorise(&state, &headers)) {
        return early;
    }
    let Some(mst) = query.get("mst").map(|m| m.trim()) else {
        return bad_request("thiếu tham số mst");
    };
    if !(10..=20).contains(&mst.chars().count()) {
        return bad_request("mst phải có từ 10 đến 20 ký tự");
    }
    // The registry knows branches as 10+3 digits with or without the dash.
    let key = TaxCode::parse(mst).map(|c| c.as_str().to_owned()).unwrap_or_else(|_| mst.to_owned());
    let Some(business) = state.businesses.get(key.as_str()) else {
        return not_found("Không tìm thấy thông tin đăng ký");
    };
    match &business.answer {
        Answer::Info { block, body } => Json(json!({ (*block): body })).into_response(),
        Answer::Garbled => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            "<html><body><h1>Hệ thống đang bảo trì</h1></body></html>",
        )
            .into_response(),
        Answer::ServerError => (StatusCode::INTERNAL_SERVER_ERROR, Json(json!({"error": "server_error"}))).into_response(),
    }
}

pub(crate) async fn dossiers_received(
    State(state): State<Arc<SimState>>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    if let Some(early) = gate(&state, Endpoint::DossiersReceived).await.or_else(|| authorise(&state, &headers)) {
        return early;
    }
    let date = |name: &str| query.get(name).and_then(|d| hoadon_rules::calendar::parse_date(d));
    let (Some(from), Some(to)) = (date("fromDate"), date("toDate")) else {
        return bad_request("fromDate và toDate phải có dạng dd/MM/yyyy");
    };
    let Some(site) = query.get("siteID").filter(|s| !s.is_empty() && s.chars().count() <= 10) else {
        return bad_request("thiếu siteID");
    };
    let compact = |d: time::Date| format!("{:04}{:02}{:02}", d.year(), u8::from(d.month()), d.day());
    let (from, to) = (compact(from), compact(to));
    let ids: Vec<_> = state
        .dossiers
        .iter()
        .filter(|d| d.site_id == site && d.received[..8] >= *from && d.received[..8] <= *to)
        .map(|d| json!({"ProcessID": d.process_id}))
        .collect();
    Json(ids).into_response()
}

pub(crate) async fn dossier_latest(
    State(state): State<Arc<SimState>>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    if let Some(early) = gate(&state, Endpoint::DossierLatest).await.or_else(|| authorise(&state, &headers)) {
        return early;
    }
    let Some(id) = query.get("processID").and_then(|p| p.trim().parse::<u64>().ok()) else {
        return bad_request("processID phải là số");
    };
    match state.dossiers.iter().find(|d| d.process_id == id) {
        Some(dossier) => Json(dossier.latest()).into_response(),
        None => not_found("Không tìm thấy hồ sơ"),
    }
}

pub(crate) async fn dossier_detail(
    State(state): State<Arc<SimState>>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    if let Some(early) = gate(&state, Endpoint::DossierDetail).await.or_else(|| authorise(&state, &headers)) {
        return early;
    }
    let Some(journal) = query.get("in_journal_no").map(|j| j.trim()).filter(|j| !j.is_empty() && j.len() <= 30) else {
        return bad_request("in_journal_no phải có từ 1 đến 30 ký tự");
    };
    match state.dossiers.iter().find(|d| d.journal_no == journal) {
        Some(dossier) => Json(dossier.detail()).into_response(),
        None => not_found("Không tìm thấy hồ sơ"),
    }
}

/// `application/x-www-form-urlencoded` pairs; kept by hand to spare a dependency for the
/// one form the simulator reads.
fn form_pairs(body: &str) -> HashMap<String, String> {
    body.split('&')
        .filter_map(|pair| pair.split_once('='))
        .map(|(k, v)| (decode(k), decode(v)))
        .collect()
}

fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                match u8::from_str_radix(std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("zz"), 16) {
                    Ok(byte) => {
                        out.push(byte);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            other => out.push(other),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `Authorization: Basic base64(id:secret)`.
fn basic_credentials(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = String::from_utf8(base64_decode(encoded.trim())?).ok()?;
    let (id, secret) = decoded.split_once(':')?;
    // RFC 6749 §2.3.1: both parts are form-urlencoded before being joined.
    Some((decode(id), decode(secret)))
}

fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let value = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        } as u32)
    };
    let digits: Vec<u8> = text.bytes().filter(|&c| c != b'=').collect();
    let mut out = Vec::with_capacity(digits.len() * 3 / 4);
    for chunk in digits.chunks(4) {
        let mut acc = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            acc |= value(c)? << (18 - 6 * i);
        }
        let bytes = acc.to_be_bytes();
        out.extend_from_slice(&bytes[1..chunk.len()]);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_and_basic_auth_decode() {
        let form = form_pairs("grant_type=client_credentials&scope=a+b&client_secret=x%2By%3D");
        assert_eq!(form["grant_type"], "client_credentials");
        assert_eq!(form["scope"], "a b");
        assert_eq!(form["client_secret"], "x+y=");
        assert_eq!(base64_decode("aWQ6c2VjcmV0").unwrap(), b"id:secret");
        assert_eq!(base64_decode("YQ==").unwrap(), b"a");
        assert_eq!(base64_decode("YWI=").unwrap(), b"ab");
    }
}
