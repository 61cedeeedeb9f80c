//! A public look-up of the VietQR kind: `GET {base}/v2/business/{taxCode}`.
//!
//! The answer is always HTTP 200 with its own code: `"00"` and the business in `data`,
//! `"51"` an invalid tax code, `"52"` none registered. It knows names and an address, not
//! the legal status, so its partners carry [`LegalStatus::Unknown`]. HTTP 429 is its rate
//! limit. (The service was announced to end on 01/03/2027, its successor using OAuth; the
//! adapter takes any base URL and an optional key so a look-alike can replace it.)

use std::time::Duration;

use hoadon_rules::TaxCode;
use reqwest::StatusCode;
use serde::Deserialize;

use crate::backoff;
use crate::error::LookupError;
use crate::legal_status::LegalStatus;
use crate::partner::{Address, Partner, PartnerKind, Registration, Source};
use crate::settings::VietQrSettings;
use crate::{LookupFuture, PartnerLookup, unix_now};

const SERVICE: Source = Source::VietQr;

/// A client of a VietQR-style public look-up. Its partners carry
/// [`LegalStatus::Unknown`](crate::LegalStatus::Unknown): it knows names and addresses only.
pub struct VietQrClient {
    settings: VietQrSettings,
    http: reqwest::Client,
}

#[derive(Deserialize)]
struct Envelope {
    code: Option<serde_json::Value>,
    desc: Option<String>,
    data: Option<Business>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Business {
    id: Option<String>,
    name: Option<String>,
    international_name: Option<String>,
    short_name: Option<String>,
    address: Option<String>,
}

impl VietQrClient {
    /// A client for `settings`; no request is made yet. [`LookupError::Unreachable`] when the
    /// address would carry the API key in clear text (plain `http://` to anything but this computer).
    pub fn new(settings: VietQrSettings) -> Result<VietQrClient, LookupError> {
        let http =
            backoff::client(SERVICE, &[&settings.base_url], Duration::from_secs(settings.timeout_secs.max(1)))?;
        Ok(VietQrClient { settings, http })
    }

    /// The business registered under `tax_code`, as this service knows it.
    pub async fn business(&self, tax_code: &TaxCode) -> Result<Partner, LookupError> {
        let url = format!("{}/v2/business/{}", self.settings.base_url.trim_end_matches('/'), tax_code.as_str());
        let response = backoff::send(&self.settings.retry, SERVICE, || {
            let request = self.http.get(&url);
            match &self.settings.api_key {
                Some(key) if !key.is_empty() => request.header(self.settings.api_key_header.as_str(), key.expose()),
                _ => request,
            }
        })
        .await?;
        let status = response.status();
        match status {
            s if s.is_success() => {}
            StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => {
                return Err(LookupError::BadCredentials { service: SERVICE });
            }
            StatusCode::NOT_FOUND => {
                // Some deployments answer 404 for an unknown code rather than code 52;
                // without a JSON body with a code it is a wrong URL, not an answer.
                let body = backoff::read_text(SERVICE, response).await?;
                return match serde_json::from_str::<Envelope>(&body) {
                    Ok(envelope) if code_of(&envelope).as_deref() == Some("52") => Err(not_found(tax_code)),
                    _ => Err(LookupError::Malformed { service: SERVICE, detail: "HTTP 404".into() }),
                };
            }
            s if s.is_server_error() => {
                return Err(LookupError::Unreachable { service: SERVICE, detail: format!("máy chủ báo lỗi HTTP {}", s.as_u16()) });
            }
            s => {
                return Err(LookupError::Malformed { service: SERVICE, detail: format!("HTTP {}", s.as_u16()) });
            }
        }
        let body = backoff::read_text(SERVICE, response).await?;
        let envelope: Envelope = serde_json::from_str(&body)
            .map_err(|e| LookupError::Malformed { service: SERVICE, detail: format!("JSON: {e}") })?;
        match code_of(&envelope).as_deref() {
            Some("00") => {}
            Some("51") => {
                return Err(LookupError::RejectedTaxCode {
                    service: SERVICE,
                    tax_code: tax_code.as_str().to_owned(),
                    detail: envelope.desc.unwrap_or_else(|| "mã 51".into()),
                });
            }
            Some("52") => return Err(not_found(tax_code)),
            other => {
                return Err(LookupError::Malformed {
                    service: SERVICE,
                    detail: format!(
                        "mã trả lời {} {}",
                        other.unwrap_or("(không có)"),
                        envelope.desc.unwrap_or_default()
                    ),
                });
            }
        }
        let business = envelope
            .data
            .ok_or_else(|| LookupError::Malformed { service: SERVICE, detail: "thiếu \"data\"".into() })?;
        let answered = business.id.as_deref().and_then(|id| TaxCode::parse(id).ok());
        if let Some(other) = answered.filter(|id| id.enterprise() != tax_code.enterprise()) {
            return Err(LookupError::Malformed {
                service: SERVICE,
                detail: format!("trả lời cho mã số thuế khác ({})", other.as_str()),
            });
        }
        let name = clean(business.name)
            .ok_or_else(|| LookupError::Malformed { service: SERVICE, detail: "thiếu tên".into() })?;
        Ok(Partner {
            tax_code: tax_code.clone(),
            kind: kind_from_name(&name, tax_code),
            international_name: clean(business.international_name),
            short_name: clean(business.short_name),
            legal_status: LegalStatus::Unknown,
            legal_status_code: None,
            legal_status_text: None,
            representative: None,
            head_office_address: clean(business.address).map(|full| Address { full: Some(full), ..Address::default() }),
            business_lines: Vec::new(),
            founding_date: None,
            last_change_date: None,
            change_count: None,
            registration: Registration::default(),
            source: SERVICE,
            fetched_at: unix_now(),
            name,
        })
    }
}

impl PartnerLookup for VietQrClient {
    fn name(&self) -> &str {
        "vietqr"
    }

    fn find<'a>(&'a self, tax_code: &'a TaxCode) -> LookupFuture<'a> {
        Box::pin(self.business(tax_code))
    }
}

/// The code arrives as a string; accept a number too rather than fail on a formatting whim.
fn code_of(envelope: &Envelope) -> Option<String> {
    match envelope.code.as_ref()? {
        serde_json::Value::String(s) => Some(s.trim().to_owned()),
        serde_json::Value::Number(n) => Some(format!("{:02}", n.as_u64()?)),
        _ => None,
    }
}

fn clean(text: Option<String>) -> Option<String> {
    text.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty())
}

fn not_found(tax_code: &TaxCode) -> LookupError {
    LookupError::NotFound { service: SERVICE, tax_code: tax_code.as_str().to_owned() }
}

/// This source does not say what kind of registration it found. Vietnamese legal names
/// begin with the kind ("HỢP TÁC XÃ …", "HỘ KINH DOANH …"), and a 12-digit personal ID
/// belongs to a household; everything else is taken for an enterprise.
fn kind_from_name(name: &str, tax_code: &TaxCode) -> PartnerKind {
    let upper = name.to_uppercase();
    if upper.starts_with("HỢP TÁC XÃ") || upper.starts_with("LIÊN HIỆP HỢP TÁC XÃ") {
        PartnerKind::Cooperative
    } else if upper.starts_with("HỘ KINH DOANH")
        || tax_code.kind() == hoadon_rules::tax_code::TaxCodeKind::PersonalId
    {
        PartnerKind::Household
    } else {
        PartnerKind::Enterprise
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_is_read_from_the_legal_name() {
        let code = TaxCode::parse("0109526016").unwrap();
        assert_eq!(kind_from_name("Hợp tác xã Nông nghiệp Phú An", &code), PartnerKind::Cooperative);
        assert_eq!(kind_from_name("HỘ KINH DOANH TẠP HÓA CÔ BA", &code), PartnerKind::Household);
        assert_eq!(kind_from_name("CÔNG TY TNHH SEN VÀNG", &code), PartnerKind::Enterprise);
        let personal = TaxCode::parse("079185012345").unwrap();
        assert_eq!(kind_from_name("NGUYỄN VĂN A", &personal), PartnerKind::Household);
    }
}
