//! The API option: `POST` with the account in a JSON body, the nine figures in JSON back.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use super::{App, Verdict, Which, retry_after_secs};
use crate::json::ApiFigures;

fn json(status: StatusCode, body: String) -> Response {
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json; charset=utf-8"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn error(status: StatusCode, message: &str) -> Response {
    json(status, serde_json::json!({ "error": message }).to_string())
}

/// The credential fields, whatever the case of their names: the guide writes `UserName`
/// and `PassWord`, pullers copied from other pages send `userName`, `username`, `Password`.
fn credential(body: &serde_json::Map<String, Value>, name: &str) -> Option<String> {
    body.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).and_then(|(_, v)| v.as_str()).map(str::to_string)
}

pub(super) async fn pull(
    State(app): State<Arc<App>>,
    peer: ConnectInfo<super::timed::Peer>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let ip = app.client_ip(peer, &headers);
    // JSON only: a plain HTML form on any web page open on the shop's computer cannot
    // send this content type to 127.0.0.1 without the browser asking the server first.
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/json"));
    if !is_json {
        return error(StatusCode::UNSUPPORTED_MEDIA_TYPE, "Cần gửi Content-Type: application/json");
    }
    let reservation = match app.backoff.reserve(ip) {
        Ok(reservation) => reservation,
        Err(wait) => {
            let mut response = error(StatusCode::TOO_MANY_REQUESTS, "Đăng nhập sai nhiều lần, vui lòng thử lại sau");
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs(wait)));
            return response;
        }
    };
    let credentials = if body.iter().all(u8::is_ascii_whitespace) {
        None
    } else {
        match serde_json::from_slice::<Value>(&body) {
            Ok(Value::Object(map)) => credential(&map, "UserName").zip(credential(&map, "PassWord")),
            Ok(_) => return error(StatusCode::BAD_REQUEST, "Dữ liệu gửi lên phải là một đối tượng JSON"),
            Err(_) => return error(StatusCode::BAD_REQUEST, "Dữ liệu gửi lên không phải JSON hợp lệ"),
        }
    };
    let Some((user, password)) = credentials else {
        reservation.failed();
        tracing::info!(%ip, "MOIT API pull without credentials");
        return error(StatusCode::UNAUTHORIZED, "Thiếu UserName hoặc PassWord");
    };
    match app.verify(Which::Api, user, password).await {
        Verdict::Right => reservation.succeeded(),
        Verdict::Wrong => {
            reservation.failed();
            tracing::info!(%ip, "MOIT API pull with wrong credentials");
            return error(StatusCode::UNAUTHORIZED, "Sai UserName hoặc PassWord");
        }
        Verdict::Busy => {
            let mut response = error(StatusCode::SERVICE_UNAVAILABLE, "Máy chủ đang bận, vui lòng thử lại sau giây lát");
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(1));
            return response;
        }
    }
    match app.current_report().await {
        Ok(report) => {
            let case = app.config.api.as_ref().map(|a| a.key_case).unwrap_or_default();
            tracing::info!(%ip, year = report.year, "MOIT API pulled");
            json(StatusCode::OK, ApiFigures::of(&report).to_json(case))
        }
        Err(e) => {
            tracing::error!(error = %e, "MOIT report failed");
            error(StatusCode::INTERNAL_SERVER_ERROR, "Không lập được báo cáo, vui lòng thử lại sau")
        }
    }
}
