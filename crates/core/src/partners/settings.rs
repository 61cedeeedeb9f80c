//! The look-up settings: URLs, client id, paths and the order in the `settings` table (key
//! `lookup.settings`, secret boxes empty); the NBRS client secret and the VietQR API key only
//! in the [`SecretStore`].

use std::fmt;

use hoadon_lookup::{ClientAuth, LookupSettings, NbrsPaths, NbrsSettings, SourceKind, VietQrSettings};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::secrets::{Secret, SecretStore};
use crate::{Error, FieldError, Result, Shop};

/// The key of the look-up settings in the `settings` table.
const SETTINGS_KEY: &str = "lookup.settings";
/// The names of the look-up secrets in the [`SecretStore`].
pub const NBRS_SECRET_NAME: &str = "lookup.nbrs.client_secret";
pub const VIETQR_KEY_NAME: &str = "lookup.vietqr.api_key";

/// Which look-up source, for the order the owner chooses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum LookupSourceId {
    /// The national business registry (NBRS) through NDXP.
    #[serde(rename = "nbrs")]
    Nbrs,
    /// The VietQR-style public look-up.
    #[serde(rename = "vietqr")]
    VietQr,
}

/// The look-up settings as the Cài đặt section edits them. The secret boxes are write-only:
/// they come back empty, and an empty box keeps the secret already saved.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct LookupSettingsForm {
    /// The sources in the order they are asked (a disabled one is skipped).
    pub order: Vec<LookupSourceId>,
    /// Ask the national registry (NBRS); its boxes are checked only when it is on.
    pub nbrs_enabled: bool,
    /// The NDXP gateway, e.g. `https://ndxp.example.gov.vn`.
    pub nbrs_base_url: String,
    /// The OAuth 2.0 token endpoint, a full URL.
    pub nbrs_token_url: String,
    /// The OAuth 2.0 client id issued for the app; required when NBRS is on.
    pub nbrs_client_id: String,
    /// Write-only: empty keeps the saved secret.
    pub nbrs_client_secret: String,
    /// The OAuth 2.0 `scope` to ask the token for; empty for none.
    pub nbrs_scope: String,
    /// Send the credentials in the form body instead of HTTP Basic.
    pub nbrs_credentials_in_body: bool,
    /// The gateway's path of the basic-information look-up by tax code; required when NBRS is on.
    pub nbrs_basic_info_path: String,
    /// The gateway's path of the list of dossiers received; required when NBRS is on.
    pub nbrs_dossiers_received_path: String,
    /// The gateway's path of a dossier's latest state; required when NBRS is on.
    pub nbrs_dossier_latest_path: String,
    /// The gateway's path of a dossier's processing detail; required when NBRS is on.
    pub nbrs_dossier_detail_path: String,
    /// Ask the VietQR-style public look-up; at least one of the two sources must be on.
    pub vietqr_enabled: bool,
    /// E.g. `https://api.vietqr.io`; the look-up is `{base}/v2/business/{taxCode}`.
    pub vietqr_base_url: String,
    /// Write-only: empty keeps the saved key (the public service needs none).
    pub vietqr_api_key: String,
    /// The header the API key goes in; `x-api-key` when left empty.
    pub vietqr_api_key_header: String,
}

impl fmt::Debug for LookupSettingsForm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mask = |s: &str| if s.is_empty() { "\"\"" } else { "***" };
        f.debug_struct("LookupSettingsForm")
            .field("order", &self.order)
            .field("nbrs_enabled", &self.nbrs_enabled)
            .field("nbrs_base_url", &self.nbrs_base_url)
            .field("nbrs_token_url", &self.nbrs_token_url)
            .field("nbrs_client_id", &self.nbrs_client_id)
            .field("nbrs_client_secret", &format_args!("{}", mask(&self.nbrs_client_secret)))
            .field("nbrs_scope", &self.nbrs_scope)
            .field("nbrs_credentials_in_body", &self.nbrs_credentials_in_body)
            .field("vietqr_enabled", &self.vietqr_enabled)
            .field("vietqr_base_url", &self.vietqr_base_url)
            .field("vietqr_api_key", &format_args!("{}", mask(&self.vietqr_api_key)))
            .finish_non_exhaustive()
    }
}

impl Default for LookupSettingsForm {
    fn default() -> LookupSettingsForm {
        LookupSettingsForm {
            order: vec![LookupSourceId::Nbrs, LookupSourceId::VietQr],
            nbrs_enabled: false,
            nbrs_base_url: String::new(),
            nbrs_token_url: String::new(),
            nbrs_client_id: String::new(),
            nbrs_client_secret: String::new(),
            nbrs_scope: String::new(),
            nbrs_credentials_in_body: false,
            nbrs_basic_info_path: String::new(),
            nbrs_dossiers_received_path: String::new(),
            nbrs_dossier_latest_path: String::new(),
            nbrs_dossier_detail_path: String::new(),
            vietqr_enabled: false,
            vietqr_base_url: String::new(),
            vietqr_api_key: String::new(),
            vietqr_api_key_header: "x-api-key".to_owned(),
        }
    }
}

/// The demo registry the app started, for the Cài đặt section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DemoLookup {
    /// `http://127.0.0.1:<port>`.
    pub endpoint: String,
    /// Tax codes the demo registry knows, to try.
    pub samples: Vec<DemoTaxCode>,
}

/// A tax code to try against the demo registry, with what it shows there (one sample is
/// deliberately not registered).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DemoTaxCode {
    /// The tax code to type.
    pub tax_code: String,
    /// What it shows ("đang hoạt động", "đã chấm dứt hoạt động", …).
    pub label: String,
}

/// What the Cài đặt section shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct LookupSettingsInfo {
    /// The saved settings (the defaults while none are), secret boxes empty.
    pub form: LookupSettingsForm,
    /// Settings were saved; otherwise the app uses its demo registry.
    pub configured: bool,
    /// An NBRS client secret is saved (its box may stay empty).
    pub nbrs_secret_saved: bool,
    /// A VietQR API key is saved (its box may stay empty).
    pub vietqr_key_saved: bool,
    /// Set while look-ups go to the demo registry the app started.
    pub demo: Option<DemoLookup>,
}

/// An address that may carry the client secret or the API key: `https://` with a host, or
/// `http://` to this computer only (the demo registry runs on 127.0.0.1).
fn is_http_url(text: &str) -> bool {
    !text.contains(char::is_whitespace) && hoadon_rules::url::insecure_reason(text).is_none()
}

impl LookupSettingsForm {
    /// Checks every box of the enabled sources; `*_saved` say whether a secret is already kept.
    fn validate(&self, nbrs_secret_saved: bool) -> Result<LookupSettingsForm> {
        let mut errors = Vec::new();
        let mut clean = self.clone();
        for value in [
            &mut clean.nbrs_base_url,
            &mut clean.nbrs_token_url,
            &mut clean.nbrs_client_id,
            &mut clean.nbrs_scope,
            &mut clean.nbrs_basic_info_path,
            &mut clean.nbrs_dossiers_received_path,
            &mut clean.nbrs_dossier_latest_path,
            &mut clean.nbrs_dossier_detail_path,
            &mut clean.vietqr_base_url,
            &mut clean.vietqr_api_key_header,
        ] {
            *value = value.trim().to_owned();
        }
        if !clean.nbrs_enabled && !clean.vietqr_enabled {
            errors.push(FieldError::new("sources", "Cần bật ít nhất một nguồn tra cứu (NBRS hoặc VietQR)."));
        }
        let mut order = Vec::new();
        for source in clean.order.iter().copied() {
            if order.contains(&source) {
                errors.push(FieldError::new("order", "Mỗi nguồn tra cứu chỉ được nêu một lần trong thứ tự."));
                break;
            }
            order.push(source);
        }
        for source in [LookupSourceId::Nbrs, LookupSourceId::VietQr] {
            if !order.contains(&source) {
                order.push(source);
            }
        }
        clean.order = order;
        let url = |errors: &mut Vec<FieldError>, field: &str, value: &str, example: &str| {
            if !is_http_url(value) {
                let label = match field {
                    "nbrs_base_url" => "Địa chỉ cổng NBRS",
                    "nbrs_token_url" => "Địa chỉ cấp mã truy cập",
                    _ => "Địa chỉ tra cứu VietQR",
                };
                errors.push(FieldError::new(
                    field,
                    if value.is_empty() {
                        format!("Chưa nhập {} (ví dụ: {example}).", label.to_lowercase())
                    } else {
                        format!(
                            "{label} «{value}» không hợp lệ: cần bắt đầu bằng https:// (ví dụ: {example}); http:// chỉ dùng được cho máy này (127.0.0.1, localhost)."
                        )
                    },
                ));
            }
        };
        if clean.nbrs_enabled {
            url(&mut errors, "nbrs_base_url", &clean.nbrs_base_url, "https://ndxp.gov.vn");
            url(&mut errors, "nbrs_token_url", &clean.nbrs_token_url, "https://ndxp.gov.vn/oauth2/token");
            if clean.nbrs_client_id.is_empty() {
                errors.push(FieldError::new("nbrs_client_id", "Chưa nhập mã ứng dụng (client_id) được cấp."));
            }
            if clean.nbrs_client_secret.is_empty() && !nbrs_secret_saved {
                errors.push(FieldError::new("nbrs_client_secret", "Chưa nhập khóa bí mật (client_secret) được cấp."));
            }
            for (field, value) in [
                ("nbrs_basic_info_path", &clean.nbrs_basic_info_path),
                ("nbrs_dossiers_received_path", &clean.nbrs_dossiers_received_path),
                ("nbrs_dossier_latest_path", &clean.nbrs_dossier_latest_path),
                ("nbrs_dossier_detail_path", &clean.nbrs_dossier_detail_path),
            ] {
                if value.is_empty() || value.contains(char::is_whitespace) {
                    errors.push(FieldError::new(field, "Cần nhập đường dẫn dịch vụ do đơn vị kết nối cung cấp (ví dụ: /nbrs/thong-tin)."));
                }
            }
        }
        if clean.vietqr_enabled {
            url(&mut errors, "vietqr_base_url", &clean.vietqr_base_url, "https://api.vietqr.io");
            if clean.vietqr_api_key_header.is_empty() {
                clean.vietqr_api_key_header = "x-api-key".to_owned();
            }
            if !clean.vietqr_api_key_header.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
                errors.push(FieldError::new("vietqr_api_key_header", "Tên trường tiêu đề chỉ gồm chữ cái không dấu, chữ số, «-» và «_»."));
            }
        }
        if !errors.is_empty() {
            return Err(Error::invalid(errors));
        }
        Ok(clean)
    }

    /// The form as saved: everything but the secrets.
    fn without_secrets(&self) -> LookupSettingsForm {
        LookupSettingsForm { nbrs_client_secret: String::new(), vietqr_api_key: String::new(), ..self.clone() }
    }

    /// The client settings, with the secrets from `secrets`.
    fn to_settings(&self, secrets: &SecretStore) -> Result<LookupSettings> {
        let order = self
            .order
            .iter()
            .map(|s| match s {
                LookupSourceId::Nbrs => SourceKind::Nbrs,
                LookupSourceId::VietQr => SourceKind::VietQr,
            })
            .collect();
        let nbrs = if self.nbrs_enabled {
            let secret = secrets.get(NBRS_SECRET_NAME)?.unwrap_or_default();
            let mut nbrs = NbrsSettings::new(
                self.nbrs_base_url.clone(),
                self.nbrs_token_url.clone(),
                self.nbrs_client_id.clone(),
                hoadon_lookup::Secret::new(secret.expose()),
                NbrsPaths::new(
                    self.nbrs_basic_info_path.clone(),
                    self.nbrs_dossiers_received_path.clone(),
                    self.nbrs_dossier_latest_path.clone(),
                    self.nbrs_dossier_detail_path.clone(),
                ),
            );
            nbrs.scope = Some(self.nbrs_scope.clone()).filter(|s| !s.is_empty());
            nbrs.client_auth = if self.nbrs_credentials_in_body { ClientAuth::Body } else { ClientAuth::Basic };
            Some(nbrs)
        } else {
            None
        };
        let vietqr = if self.vietqr_enabled {
            let mut vietqr = VietQrSettings::new(self.vietqr_base_url.clone());
            vietqr.api_key = secrets.get(VIETQR_KEY_NAME)?.map(|k| hoadon_lookup::Secret::new(k.expose()));
            if !self.vietqr_api_key_header.is_empty() {
                vietqr.api_key_header = self.vietqr_api_key_header.clone();
            }
            Some(vietqr)
        } else {
            None
        };
        Ok(LookupSettings { order, nbrs, vietqr })
    }
}

impl Shop {
    fn saved_lookup_form(&self) -> Result<Option<LookupSettingsForm>> {
        let Some(json) = self.store.setting(SETTINGS_KEY)? else {
            return Ok(None);
        };
        match serde_json::from_str(&json) {
            Ok(form) => Ok(Some(form)),
            Err(e) => {
                tracing::error!(error = %e, "the saved look-up settings are unreadable");
                Err(Error::Store(hoadon_store::StoreError::BadStoredValue(format!("{SETTINGS_KEY}: {e}"))))
            }
        }
    }

    /// The saved look-up settings with their secrets, for [`Partners::new`](super::Partners::new); `None` while
    /// nothing was saved (the app then uses its demo registry).
    pub fn lookup_settings(&self, secrets: &SecretStore) -> Result<Option<LookupSettings>> {
        match self.saved_lookup_form()? {
            Some(form) => Ok(Some(form.to_settings(secrets)?)),
            None => Ok(None),
        }
    }

    /// What the Cài đặt section shows; `demo` is the demo registry in use, if any.
    pub fn lookup_settings_info(&self, secrets: &SecretStore, demo: Option<&DemoLookup>) -> Result<LookupSettingsInfo> {
        let saved = self.saved_lookup_form()?;
        Ok(LookupSettingsInfo {
            configured: saved.is_some(),
            form: saved.unwrap_or_default(),
            nbrs_secret_saved: secrets.is_saved(NBRS_SECRET_NAME)?,
            vietqr_key_saved: secrets.is_saved(VIETQR_KEY_NAME)?,
            demo: demo.cloned(),
        })
    }

    /// Checks and saves the look-up settings: the secrets typed go to `secrets`, the rest to
    /// the database. Returns the settings to build [`Partners`](super::Partners) from.
    pub fn save_lookup_settings(&self, secrets: &SecretStore, form: &LookupSettingsForm) -> Result<LookupSettings> {
        let nbrs_secret_saved = secrets.is_saved(NBRS_SECRET_NAME)?;
        let clean = form.validate(nbrs_secret_saved)?;
        if !form.nbrs_client_secret.is_empty() {
            secrets.set(NBRS_SECRET_NAME, &Secret::new(form.nbrs_client_secret.clone()))?;
        }
        if !form.vietqr_api_key.is_empty() {
            secrets.set(VIETQR_KEY_NAME, &Secret::new(form.vietqr_api_key.clone()))?;
        }
        let saved = clean.without_secrets();
        self.store.set_setting(SETTINGS_KEY, &serde_json::to_string(&saved).expect("the form serialises"))?;
        tracing::info!(settings = ?saved, "saved the look-up settings");
        saved.to_settings(secrets)
    }

    /// Forgets the look-up settings and their secrets (the app goes back to its demo registry).
    pub fn clear_lookup_settings(&self, secrets: &SecretStore) -> Result<()> {
        secrets.remove(NBRS_SECRET_NAME)?;
        secrets.remove(VIETQR_KEY_NAME)?;
        self.store.remove_setting(SETTINGS_KEY)?;
        tracing::info!("cleared the look-up settings");
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_never_prints_its_secrets() {
        let form = LookupSettingsForm {
            nbrs_client_secret: "bi-mat-123".into(),
            vietqr_api_key: "khoa-456".into(),
            ..LookupSettingsForm::default()
        };
        let shown = format!("{form:?}");
        assert!(!shown.contains("bi-mat-123") && !shown.contains("khoa-456"), "{shown}");
        assert!(shown.contains("***"));
    }

    #[test]
    fn urls_need_a_scheme_and_a_host() {
        assert!(is_http_url("https://ndxp.gov.vn"));
        assert!(is_http_url("http://127.0.0.1:8787/vietqr"));
        assert!(!is_http_url("ndxp.gov.vn"));
        assert!(!is_http_url("https://"));
        assert!(!is_http_url("https://a b"));
        assert!(is_http_url("http://[::1]:9"));
        assert!(is_http_url("http://localhost:3000"));
        for clear_text in ["http://127.evil.com", "http://localhost.evil.com", "http://10.0.0.1", "http://ndxp.gov.vn"] {
            assert!(!is_http_url(clear_text), "{clear_text}");
        }
    }
}
