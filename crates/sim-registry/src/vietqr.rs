//! The VietQR-style public look-up: `GET /v2/business/{taxCode}`, always HTTP 200 with its
//! own code (`"00"` found, `"51"` invalid, `"52"` not found), 429 when the knob says so.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use hoadon_rules::TaxCode;
use hoadon_rules::tax_code::TaxCodeKind;
use serde_json::{Value, json};

use crate::SimState;
use crate::knobs::Endpoint;
use crate::nbrs::gate;

pub(crate) async fn business(State(state): State<Arc<SimState>>, Path(tax_code): Path<String>) -> Response {
    if let Some(early) = gate(&state, Endpoint::VietQr).await {
        return early;
    }
    // The service takes business tax codes only: a personal ID number is "invalid" to it.
    let parsed = match TaxCode::parse(&tax_code) {
        Ok(code) if code.kind() != TaxCodeKind::PersonalId => code,
        _ => return answer("51", "Mã số thuế không hợp lệ", Value::Null),
    };
    match state.businesses.get(parsed.as_str()).and_then(|b| b.vietqr.clone()) {
        Some(data) => answer("00", "Thành công", data),
        None => answer("52", "Không tìm thấy thông tin doanh nghiệp", Value::Null),
    }
}

fn answer(code: &str, desc: &str, data: Value) -> Response {
    Json(json!({"code": code, "desc": desc, "data": data})).into_response()
}
