//! The national business registry (NBRS) through the national data-exchange platform
//! (NDXP), per the technical annex of công văn 448/BKHĐT-ĐKKD (16/01/2024).
//!
//! Every call carries `authorization: Bearer <access_token>`, the token coming from the
//! platform's OAuth 2.0 token endpoint by the client-credentials grant. The token is kept
//! until shortly before it expires, shared by concurrent look-ups (one token request for
//! any number of look-ups), and renewed once when a look-up is answered 401, since the
//! platform may revoke or expire a token before the time it announced.
//!
//! The document names no URL paths; they are [`NbrsPaths`](crate::NbrsPaths) settings.

mod block;
pub mod dossier;
mod info;

use std::time::{Duration, Instant};

use hoadon_rules::TaxCode;
use reqwest::StatusCode;
use serde_json::Value;
use time::Date;
use tokio::sync::Mutex;

use crate::backoff;
use crate::error::LookupError;
use crate::partner::{Partner, Source};
use crate::settings::{ClientAuth, NbrsSettings};
use crate::{LookupFuture, PartnerLookup, unix_now};
pub use dossier::{
    Dossier, DossierDetail, DossierHeader, Fee, OtherAttachment, ResultDocument, SubmittedDocument, Supplement,
    SupplementRequest,
};

const SERVICE: Source = Source::Nbrs;

/// A client of the registry; cheap to share behind an `Arc`, as it holds the token.
pub struct NbrsClient {
    settings: NbrsSettings,
    http: reqwest::Client,
    token: Mutex<Option<Token>>,
}

struct Token {
    value: String,
    renew_at: Instant,
}

impl NbrsClient {
    /// A client for `settings`; no request is made yet (the token is fetched on the first call).
    /// [`LookupError::Unreachable`] when an address would carry the credentials in clear text
    /// (plain `http://` to anything but this computer).
    pub fn new(settings: NbrsSettings) -> Result<NbrsClient, LookupError> {
        let http = backoff::client(
            SERVICE,
            &[&settings.base_url, &settings.token_url],
            Duration::from_secs(settings.timeout_secs.max(1)),
        )?;
        Ok(NbrsClient { settings, http, token: Mutex::new(None) })
    }

    /// Basic registration information by tax code (API 3.1): EntInfo, CoopInfo or HouseInfo.
    pub async fn basic_info(&self, tax_code: &TaxCode) -> Result<Partner, LookupError> {
        let not_found =
            || LookupError::NotFound { service: SERVICE, tax_code: tax_code.as_str().to_owned() };
        let answer = self
            .call(&self.settings.paths.basic_info, &[("mst", tax_code.as_str().to_owned())])
            .await?
            .ok_or_else(not_found)?;
        match info::read(&answer, tax_code, unix_now()).map_err(malformed)? {
            info::InfoAnswer::Found(partner) => Ok(*partner),
            info::InfoAnswer::Empty => Err(not_found()),
            info::InfoAnswer::OtherCode(other) => {
                Err(malformed(format!("trả lời cho mã số thuế khác ({other})")))
            }
        }
    }

    /// The ProcessIDs of dossiers received by registration office `site_id` between `from`
    /// and `to`, both included (API 3.2). Feed them to [`NbrsClient::dossier_latest`].
    pub async fn dossiers_received(&self, from: Date, to: Date, site_id: &str) -> Result<Vec<u64>, LookupError> {
        let site_id = site_id.trim();
        if site_id.is_empty() || site_id.chars().count() > 10 {
            return Err(LookupError::InvalidQuery("mã cơ quan đăng ký (siteID) phải có từ 1 đến 10 ký tự".into()));
        }
        if from > to {
            return Err(LookupError::InvalidQuery("ngày bắt đầu phải trước hoặc bằng ngày kết thúc".into()));
        }
        let params = [
            ("fromDate", hoadon_rules::calendar::format_date(from)),
            ("toDate", hoadon_rules::calendar::format_date(to)),
            ("siteID", site_id.to_owned()),
        ];
        // Nothing received in the period is an empty list, not an error.
        match self.call(&self.settings.paths.dossiers_received, &params).await? {
            Some(answer) => dossier::read_process_ids(&answer).map_err(malformed),
            None => Ok(Vec::new()),
        }
    }

    /// The latest state of dossier `process_id` (API 3.3).
    pub async fn dossier_latest(&self, process_id: u64) -> Result<Dossier, LookupError> {
        let not_found = || LookupError::DossierNotFound { service: SERVICE, reference: process_id.to_string() };
        let answer = self
            .call(&self.settings.paths.dossier_latest, &[("processID", process_id.to_string())])
            .await?
            .ok_or_else(not_found)?;
        dossier::read_latest(&answer).map_err(malformed)?.ok_or_else(not_found)
    }

    /// The processing detail of the dossier with journal number `in_journal_no` (API 3.4).
    pub async fn dossier_detail(&self, in_journal_no: &str) -> Result<DossierDetail, LookupError> {
        let journal = in_journal_no.trim();
        if journal.is_empty() || journal.chars().count() > 30 {
            return Err(LookupError::InvalidQuery("mã hồ sơ (in_journal_no) phải có từ 1 đến 30 ký tự".into()));
        }
        let not_found = || LookupError::DossierNotFound { service: SERVICE, reference: journal.to_owned() };
        let answer = self
            .call(&self.settings.paths.dossier_detail, &[("in_journal_no", journal.to_owned())])
            .await?
            .ok_or_else(not_found)?;
        dossier::read_detail(&answer).map_err(malformed)?.ok_or_else(not_found)
    }

    /// GET `path` with `params` and the bearer token; one renewal of the token on a 401.
    /// `None` when the registry answered that there is nothing (an empty body, a JSON 404).
    async fn call(&self, path: &str, params: &[(&str, String)]) -> Result<Option<Value>, LookupError> {
        let (url, query) = self.url(path, params);
        let mut renewed = false;
        loop {
            let token = self.bearer().await?;
            tracing::debug!(path, ?query, "registry request");
            let response = backoff::send(&self.settings.retry, SERVICE, || {
                self.http.get(&url).query(&query).bearer_auth(&token).header("accept", "application/json")
            })
            .await?;
            let status = response.status();
            if status == StatusCode::UNAUTHORIZED && !renewed {
                tracing::info!("registry refused the token; renewing it once");
                self.forget(&token).await;
                renewed = true;
                continue;
            }
            let body = backoff::read_text(SERVICE, response).await?;
            return match status {
                s if s.is_success() => {
                    if body.trim().is_empty() {
                        return Ok(None);
                    }
                    serde_json::from_str(&body).map(Some).map_err(|e| malformed(format!("JSON: {e}")))
                }
                StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => Err(LookupError::BadCredentials { service: SERVICE }),
                // A JSON 404 is the registry saying "none"; anything else is a wrong path,
                // which must not pass for "this business does not exist".
                StatusCode::NOT_FOUND if serde_json::from_str::<Value>(&body).is_ok() => Ok(None),
                StatusCode::NOT_FOUND => Err(malformed("HTTP 404: đường dẫn tra cứu có thể bị cài đặt sai".into())),
                s if s.is_server_error() => Err(LookupError::Unreachable {
                    service: SERVICE,
                    detail: format!("máy chủ báo lỗi HTTP {}", s.as_u16()),
                }),
                s => Err(malformed(format!("HTTP {}: {}", s.as_u16(), excerpt(&body)))),
            };
        }
    }

    /// The URL for `path`: parameters named in the path as `{name}` go there, the others in
    /// the query string.
    fn url(&self, path: &str, params: &[(&str, String)]) -> (String, Vec<(String, String)>) {
        let mut path = path.to_owned();
        let mut query = Vec::new();
        for (name, value) in params {
            let placeholder = format!("{{{name}}}");
            if path.contains(&placeholder) {
                path = path.replace(&placeholder, &percent_encode(value));
            } else {
                query.push(((*name).to_owned(), value.clone()));
            }
        }
        let base = self.settings.base_url.trim_end_matches('/');
        let url = if path.starts_with('/') { format!("{base}{path}") } else { format!("{base}/{path}") };
        (url, query)
    }

    /// A valid access token, fetching one if none is kept or the kept one is about to expire.
    /// The lock is held across the fetch so concurrent look-ups share one token request.
    async fn bearer(&self) -> Result<String, LookupError> {
        let mut slot = self.token.lock().await;
        if let Some(token) = slot.as_ref().filter(|t| Instant::now() < t.renew_at) {
            return Ok(token.value.clone());
        }
        let token = self.fetch_token().await?;
        let value = token.value.clone();
        *slot = Some(token);
        Ok(value)
    }

    /// Drops the kept token if it is still the one that was refused (another look-up may
    /// have renewed it meanwhile).
    async fn forget(&self, refused: &str) {
        let mut slot = self.token.lock().await;
        if slot.as_ref().is_some_and(|t| t.value == refused) {
            *slot = None;
        }
    }

    async fn fetch_token(&self) -> Result<Token, LookupError> {
        let s = &self.settings;
        let mut form: Vec<(&str, &str)> = vec![("grant_type", "client_credentials")];
        if let Some(scope) = s.scope.as_deref() {
            form.push(("scope", scope));
        }
        if s.client_auth == ClientAuth::Body {
            form.push(("client_id", s.client_id.as_str()));
            form.push(("client_secret", s.client_secret.expose()));
        }
        tracing::debug!(token_url = %s.token_url, client_id = %s.client_id, "requesting an access token");
        let response = backoff::send(&s.retry, SERVICE, || {
            let request = self.http.post(&s.token_url).form(&form).header("accept", "application/json");
            match s.client_auth {
                ClientAuth::Basic => request.basic_auth(&s.client_id, Some(s.client_secret.expose())),
                ClientAuth::Body => request,
            }
        })
        .await?;
        let status = response.status();
        let body = backoff::read_text(SERVICE, response).await?;
        match status {
            s if s.is_success() => {}
            StatusCode::BAD_REQUEST | StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => {
                // The OAuth error code (invalid_client, …) helps support; it holds no secret.
                let code = serde_json::from_str::<Value>(&body)
                    .ok()
                    .and_then(|v| v.get("error").and_then(Value::as_str).map(str::to_owned));
                tracing::warn!(status = status.as_u16(), error = ?code, "token request refused");
                return Err(LookupError::BadCredentials { service: SERVICE });
            }
            s if s.is_server_error() => {
                return Err(LookupError::Unreachable {
                    service: SERVICE,
                    detail: format!("máy chủ cấp mã truy cập báo lỗi HTTP {}", s.as_u16()),
                });
            }
            s => return Err(malformed(format!("cấp mã truy cập: HTTP {}", s.as_u16()))),
        }
        let answer: Value =
            serde_json::from_str(&body).map_err(|e| malformed(format!("mã truy cập: JSON: {e}")))?;
        let value = answer
            .get("access_token")
            .and_then(Value::as_str)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| malformed("mã truy cập: thiếu access_token".into()))?
            .to_owned();
        // expires_in is RECOMMENDED, not required, and some gateways send it as a string.
        let announced = match answer.get("expires_in") {
            Some(Value::Number(n)) => n.as_f64(),
            Some(Value::String(s)) => s.trim().parse::<f64>().ok(),
            _ => None,
        };
        // A day at most: a longer promise would only keep a revoked token around, and an
        // absurd value must not overflow the clock.
        let lifetime = announced.filter(|secs| secs.is_finite()).unwrap_or(300.0).clamp(0.0, 86_400.0);
        let lifetime = Duration::from_secs_f64(lifetime);
        // Renew a little early so a token does not expire between check and use.
        let margin = (lifetime / 10).min(Duration::from_secs(30));
        tracing::debug!(lifetime_secs = lifetime.as_secs(), "access token received");
        Ok(Token { value, renew_at: Instant::now() + lifetime - margin })
    }
}

impl PartnerLookup for NbrsClient {
    fn name(&self) -> &str {
        "nbrs"
    }

    fn find<'a>(&'a self, tax_code: &'a TaxCode) -> LookupFuture<'a> {
        Box::pin(self.basic_info(tax_code))
    }
}

fn malformed(detail: String) -> LookupError {
    LookupError::Malformed { service: SERVICE, detail }
}

fn excerpt(body: &str) -> String {
    let flat: String = body.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() > 120 { flat.chars().take(120).collect::<String>() + "…" } else { flat }
}

/// Percent-encodes all but RFC 3986's unreserved characters, for values put into a path.
fn percent_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => out.push(byte as char),
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::NbrsPaths;

    #[test]
    fn parameters_fill_placeholders_or_the_query() {
        let client = NbrsClient::new(NbrsSettings::new(
            "https://gw.example/",
            "https://gw.example/token",
            "id",
            "secret",
            NbrsPaths::new("/nbrs/{mst}", "dossiers", "/p", "/d"),
        ))
        .unwrap();
        let (url, query) = client.url("/nbrs/{mst}", &[("mst", "0109526016-001".into())]);
        assert_eq!(url, "https://gw.example/nbrs/0109526016-001");
        assert!(query.is_empty());
        let (url, query) = client.url("dossiers", &[("siteID", "HN/1".into())]);
        assert_eq!(url, "https://gw.example/dossiers");
        assert_eq!(query, vec![("siteID".to_owned(), "HN/1".to_owned())]);
        assert_eq!(percent_encode("HN/1 a"), "HN%2F1%20a");
    }
}
