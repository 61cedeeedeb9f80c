//! What the app configures: where each source lives, its credentials, the order to ask
//! them in, and how patient to be.
//!
//! Secrets travel only inside [`Secret`] (`hoadon-rules`, shared with the e-invoice settings
//! and the core's secret store), whose `Debug` prints a mask, so the settings derive `Debug`
//! and a settings value can be logged whole without leaking the client secret or the API
//! key. [`Secret`] deliberately has no `Serialize`: reading settings is the common case,
//! writing a secret out should be a choice.

use std::time::Duration;

use serde::Deserialize;

use crate::error::LookupError;
use crate::nbrs::NbrsClient;
use crate::vietqr::VietQrClient;
use crate::{LookupChain, PartnerLookup};

/// The one secret type of the app (`hoadon-rules`): `Debug` prints `***`.
pub use hoadon_rules::Secret;

/// How patient to be with a source that answers HTTP 429.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct RetryPolicy {
    /// Retries after the first 429; 0 gives up at once.
    pub max_retries: u32,
    /// First wait when the answer names none; doubled on each retry.
    pub first_delay_ms: u64,
    /// Longest wait between two tries.
    pub max_delay_ms: u64,
    /// A `Retry-After` longer than this is not waited for: the shop owner is at the
    /// counter, so the look-up gives up and says how long the source asked for.
    pub max_retry_after_secs: u64,
}

impl Default for RetryPolicy {
    fn default() -> RetryPolicy {
        RetryPolicy { max_retries: 3, first_delay_ms: 500, max_delay_ms: 8_000, max_retry_after_secs: 10 }
    }
}

impl RetryPolicy {
    /// The wait before retry number `attempt` (0-based) when the source named none.
    pub(crate) fn delay(&self, attempt: u32) -> Duration {
        let ms = self.first_delay_ms.saturating_mul(1u64 << attempt.min(20));
        Duration::from_millis(ms.min(self.max_delay_ms))
    }
}

/// How the client credentials go to the token endpoint (RFC 6749 §2.3.1 allows both;
/// platforms differ in which they accept).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClientAuth {
    /// `Authorization: Basic base64(client_id:client_secret)`.
    #[default]
    Basic,
    /// `client_id` and `client_secret` in the form body.
    Body,
}

/// The four NBRS paths, relative to [`NbrsSettings::base_url`]. The document gives none:
/// each NDXP/LGSP deployment publishes its own. A path may hold the placeholder of its
/// parameter (`{mst}`, `{processID}`, `{in_journal_no}`); otherwise parameters go in the
/// query string under the document's names.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct NbrsPaths {
    /// Basic information by `mst` (answers EntInfo / CoopInfo / HouseInfo).
    pub basic_info: String,
    /// Dossiers received between `fromDate` and `toDate` for a `siteID`.
    pub dossiers_received: String,
    /// Latest state of a dossier by `processID`.
    pub dossier_latest: String,
    /// Processing detail by `in_journal_no`.
    pub dossier_detail: String,
}

impl NbrsPaths {
    /// The four paths, in the order of the fields.
    pub fn new(
        basic_info: impl Into<String>,
        dossiers_received: impl Into<String>,
        dossier_latest: impl Into<String>,
        dossier_detail: impl Into<String>,
    ) -> NbrsPaths {
        NbrsPaths {
            basic_info: basic_info.into(),
            dossiers_received: dossiers_received.into(),
            dossier_latest: dossier_latest.into(),
            dossier_detail: dossier_detail.into(),
        }
    }
}

/// The national business registry through NDXP.
#[derive(Debug, Clone, Deserialize)]
pub struct NbrsSettings {
    /// E.g. `https://<ndxp-gateway>`; the paths are appended to it.
    pub base_url: String,
    /// The OAuth 2.0 token endpoint, a full URL.
    pub token_url: String,
    /// The OAuth 2.0 client id NDXP issued to the app.
    pub client_id: String,
    /// The OAuth 2.0 client secret; masked in `Debug`.
    pub client_secret: Secret,
    /// The `scope` to ask the token for, when the gateway wants one.
    #[serde(default)]
    pub scope: Option<String>,
    /// How the credentials go to the token endpoint; Basic by default.
    #[serde(default)]
    pub client_auth: ClientAuth,
    /// Where the four look-ups live on this gateway.
    pub paths: NbrsPaths,
    /// How long one request may take, in seconds (15 by default; at least 1).
    #[serde(default = "default_timeout_secs")]
    pub timeout_secs: u64,
    /// How patient to be when rate-limited.
    #[serde(default)]
    pub retry: RetryPolicy,
}

impl NbrsSettings {
    /// The registry at `base_url` with those credentials and paths; no scope, Basic client
    /// authentication, a 15-second timeout and the default retry policy.
    pub fn new(
        base_url: impl Into<String>,
        token_url: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: impl Into<Secret>,
        paths: NbrsPaths,
    ) -> NbrsSettings {
        NbrsSettings {
            base_url: base_url.into(),
            token_url: token_url.into(),
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            scope: None,
            client_auth: ClientAuth::default(),
            paths,
            timeout_secs: default_timeout_secs(),
            retry: RetryPolicy::default(),
        }
    }
}

/// A public look-up of the VietQR kind: `GET {base_url}/v2/business/{taxCode}`.
#[derive(Debug, Clone, Deserialize)]
pub struct VietQrSettings {
    /// E.g. `https://api.vietqr.io`; `/v2/business/{taxCode}` is appended to it.
    pub base_url: String,
    /// Sent in [`VietQrSettings::api_key_header`] when set; the public endpoint needs none,
    /// keyed plans and look-alike services do.
    #[serde(default)]
    pub api_key: Option<Secret>,
    /// The header the API key goes in; `x-api-key` by default.
    #[serde(default = "default_api_key_header")]
    pub api_key_header: String,
    /// How long one request may take, in seconds (15 by default; at least 1).
    #[serde(default = "default_timeout_secs")]
    pub timeout_secs: u64,
    /// How patient to be when rate-limited.
    #[serde(default)]
    pub retry: RetryPolicy,
}

impl VietQrSettings {
    /// The service at `base_url`, without API key, with the defaults of the other fields.
    pub fn new(base_url: impl Into<String>) -> VietQrSettings {
        VietQrSettings {
            base_url: base_url.into(),
            api_key: None,
            api_key_header: default_api_key_header(),
            timeout_secs: default_timeout_secs(),
            retry: RetryPolicy::default(),
        }
    }
}

/// Which source, for the configured order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    /// The national business registry ([`NbrsSettings`]).
    Nbrs,
    /// The VietQR-style public look-up ([`VietQrSettings`]).
    #[serde(rename = "vietqr", alias = "viet_qr")]
    VietQr,
}

/// Every source the app knows of and the order to ask them in.
#[derive(Debug, Clone, Deserialize)]
pub struct LookupSettings {
    /// Sources are asked in this order; a source listed without settings is skipped.
    #[serde(default = "default_order")]
    pub order: Vec<SourceKind>,
    /// The registry's settings; `None` leaves it out of the chain.
    #[serde(default)]
    pub nbrs: Option<NbrsSettings>,
    /// The public look-up's settings; `None` leaves it out of the chain.
    #[serde(default)]
    pub vietqr: Option<VietQrSettings>,
}

impl Default for LookupSettings {
    fn default() -> LookupSettings {
        LookupSettings { order: default_order(), nbrs: None, vietqr: None }
    }
}

impl LookupSettings {
    /// The configured sources as a chain, in order.
    pub fn build_chain(&self) -> Result<LookupChain, LookupError> {
        let mut sources: Vec<std::sync::Arc<dyn PartnerLookup>> = Vec::new();
        for kind in &self.order {
            match kind {
                SourceKind::Nbrs => {
                    if let Some(settings) = &self.nbrs {
                        sources.push(std::sync::Arc::new(NbrsClient::new(settings.clone())?));
                    }
                }
                SourceKind::VietQr => {
                    if let Some(settings) = &self.vietqr {
                        sources.push(std::sync::Arc::new(VietQrClient::new(settings.clone())?));
                    }
                }
            }
        }
        Ok(LookupChain::new(sources))
    }
}

// The official registry first: it alone knows the legal status.
fn default_order() -> Vec<SourceKind> {
    vec![SourceKind::Nbrs, SourceKind::VietQr]
}

fn default_timeout_secs() -> u64 {
    15
}

fn default_api_key_header() -> String {
    "x-api-key".to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_secrets() {
        let mut vietqr = VietQrSettings::new("https://api.example");
        vietqr.api_key = Some(Secret::new("key-value-123"));
        let settings = LookupSettings {
            nbrs: Some(NbrsSettings::new(
                "https://gw.example",
                "https://gw.example/token",
                "app-id",
                "super-secret-value",
                NbrsPaths::new("/a", "/b", "/c", "/d"),
            )),
            vietqr: Some(vietqr),
            ..LookupSettings::default()
        };
        let shown = format!("{settings:?} {settings:#?}");
        assert!(!shown.contains("super-secret-value"), "{shown}");
        assert!(!shown.contains("key-value-123"), "{shown}");
        assert!(shown.contains("app-id"));
        assert!(shown.contains("***"));
    }

    #[test]
    fn settings_read_from_json_with_defaults() {
        let settings: LookupSettings = serde_json::from_str(
            r#"{"order":["vietqr","nbrs"],
                "vietqr":{"base_url":"https://api.example"},
                "nbrs":{"base_url":"https://gw","token_url":"https://gw/token","client_id":"id",
                        "client_secret":"s","paths":{"basic_info":"/a","dossiers_received":"/b",
                        "dossier_latest":"/c","dossier_detail":"/d"}}}"#,
        )
        .unwrap();
        assert_eq!(settings.order, vec![SourceKind::VietQr, SourceKind::Nbrs]);
        let nbrs = settings.nbrs.unwrap();
        assert_eq!(nbrs.client_secret.expose(), "s");
        assert_eq!(nbrs.client_auth, ClientAuth::Basic);
        assert_eq!(nbrs.retry, RetryPolicy::default());
        assert_eq!(settings.vietqr.unwrap().api_key_header, "x-api-key");
    }

    #[test]
    fn back_off_doubles_up_to_its_cap() {
        let policy = RetryPolicy { max_retries: 5, first_delay_ms: 100, max_delay_ms: 350, max_retry_after_secs: 1 };
        assert_eq!(policy.delay(0), Duration::from_millis(100));
        assert_eq!(policy.delay(1), Duration::from_millis(200));
        assert_eq!(policy.delay(2), Duration::from_millis(350));
        assert_eq!(policy.delay(40), Duration::from_millis(350));
    }
}
