//! Partner look-up by tax code, inside the shop: the sources the owner configured (or the
//! demo registry the app starts), the answers kept in the shop's database for working offline,
//! the warning before invoicing a buyer that is no longer active, and the registry's dossier
//! look-ups ("Hồ sơ đăng ký").
//!
//! - [`Partners`] asks the sources ([`hoadon_lookup::LookupChain`] over the real HTTP clients,
//!   whether they point at the registry or at the simulator) and keeps fresh answers in a
//!   [`StorePartnerCache`]. It holds no [`Shop`]: a look-up waits on the network without
//!   holding the shop's lock.
//! - The settings: URLs, client id, the order of the sources in the `settings` table (key
//!   `lookup.settings`, JSON of a [`LookupSettingsForm`] whose secret boxes are empty); the NBRS
//!   client secret and the VietQR API key only in the [`SecretStore`] (`lookup.nbrs.client_secret`,
//!   `lookup.vietqr.api_key`).
//! - [`Shop::buyer_warning`] reads the cache only: issuing an invoice never waits on a registry.

use std::fmt;
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};

use hoadon_lookup::nbrs::{Dossier, DossierDetail, DossierHeader, Fee, SubmittedDocument};
use hoadon_lookup::{
    ClientAuth, LegalStatus, LookupAnswer, LookupChain, LookupError, LookupMode, LookupSettings, NbrsClient, NbrsPaths,
    NbrsSettings, Partner, PartnerCache, PartnerDirectory, PartnerLookup, RepresentativeRole, SourceKind, TaxCode,
    VietQrClient, VietQrSettings,
};
use hoadon_rules::calendar;
use hoadon_store::Store;
use hoadon_store::partner_cache::CachedPartner;
use serde::{Deserialize, Serialize};
use time::Date;
use ts_rs::TS;

use crate::customers::sentence;
use crate::secrets::{Secret, SecretStore};
use crate::{Error, FieldError, Result, Shop};

/// The key of the look-up settings in the `settings` table.
const SETTINGS_KEY: &str = "lookup.settings";
/// The names of the look-up secrets in the [`SecretStore`].
pub const NBRS_SECRET_NAME: &str = "lookup.nbrs.client_secret";
pub const VIETQR_KEY_NAME: &str = "lookup.vietqr.api_key";

// ------------------------------------------------------------------------------- errors

impl From<LookupError> for Error {
    /// An invalid tax code is a refusal of the `tax_code` field, worded as the customer form
    /// words it; everything else keeps the look-up's own sentence under a `lookup_*` code.
    fn from(e: LookupError) -> Error {
        let code = match &e {
            LookupError::InvalidTaxCode(reason) => return Error::field("tax_code", sentence(&reason.to_string())),
            LookupError::RejectedTaxCode { .. } => return Error::field("tax_code", e.to_string()),
            LookupError::InvalidQuery(_) => return Error::field("query", e.to_string()),
            LookupError::NotFound { .. } => "lookup_not_found",
            LookupError::DossierNotFound { .. } => "lookup_dossier_not_found",
            LookupError::RateLimited { .. } => "lookup_rate_limited",
            LookupError::Unreachable { .. } => "lookup_unreachable",
            LookupError::BadCredentials { .. } => "lookup_bad_credentials",
            LookupError::Malformed { .. } => "lookup_malformed",
            LookupError::NotCached { .. } => "lookup_not_cached",
            LookupError::NoSource => "lookup_no_source",
        };
        Error::Lookup { code, message: e.to_string() }
    }
}

fn no_nbrs() -> Error {
    Error::Lookup {
        code: "lookup_no_nbrs",
        message: "Tra cứu hồ sơ đăng ký cần kết nối Hệ thống thông tin quốc gia về đăng ký doanh nghiệp (NBRS). \
                  Vui lòng cài đặt NBRS trong Cài đặt › Tra cứu mã số thuế."
            .to_owned(),
    }
}

// -------------------------------------------------------------------------------- cache

/// [`PartnerCache`] over the shop's `partner_cache` table, on a connection of its own to the
/// shop's database file, so look-ups can store answers from any thread without the shop.
pub struct StorePartnerCache {
    store: Mutex<Store>,
}

impl StorePartnerCache {
    pub fn new(store: Store) -> StorePartnerCache {
        StorePartnerCache { store: Mutex::new(store) }
    }

    fn store(&self) -> MutexGuard<'_, Store> {
        // Every write is one statement: a panic elsewhere leaves the table consistent.
        self.store.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// A stored row read back as a partner; an unreadable row is logged and treated as absent.
fn decode(row: CachedPartner) -> Option<(Partner, i64)> {
    match serde_json::from_str::<Partner>(&row.payload) {
        Ok(partner) => Some((partner, row.fetched_at)),
        Err(error) => {
            tracing::warn!(tax_code = %row.tax_code, %error, "unreadable cached partner");
            None
        }
    }
}

impl PartnerCache for StorePartnerCache {
    fn get(&self, tax_code: &TaxCode) -> Option<(Partner, i64)> {
        match self.store().cached_partner(tax_code.as_str()) {
            Ok(row) => row.and_then(decode),
            Err(error) => {
                tracing::warn!(tax_code = tax_code.as_str(), %error, "partner cache not readable");
                None
            }
        }
    }

    fn put(&self, partner: &Partner) {
        let payload = match serde_json::to_string(partner) {
            Ok(payload) => payload,
            Err(error) => {
                tracing::warn!(%error, "partner not cached");
                return;
            }
        };
        let row = CachedPartner {
            tax_code: partner.tax_code.as_str().to_owned(),
            payload,
            source: partner.source.as_str().to_owned(),
            fetched_at: partner.fetched_at,
        };
        if let Err(error) = self.store().cache_partner(&row) {
            tracing::warn!(tax_code = %row.tax_code, %error, "partner not cached");
        }
    }
}

// ---------------------------------------------------------------------- what the UI gets

/// The legal status, as the UI colours it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum PartnerStatus {
    Active,
    Suspended,
    Closed,
    Dissolved,
    Bankrupt,
    /// Another status the registry named (being dissolved, not at its address, …).
    Other,
    /// The source does not tell (public look-ups).
    Unknown,
}

impl PartnerStatus {
    fn of(status: &LegalStatus) -> PartnerStatus {
        match status {
            LegalStatus::Active => PartnerStatus::Active,
            LegalStatus::Suspended { .. } => PartnerStatus::Suspended,
            LegalStatus::Closed => PartnerStatus::Closed,
            LegalStatus::Dissolved => PartnerStatus::Dissolved,
            LegalStatus::Bankrupt => PartnerStatus::Bankrupt,
            LegalStatus::Other { .. } => PartnerStatus::Other,
            LegalStatus::Unknown => PartnerStatus::Unknown,
        }
    }
}

/// What "Tra cứu" in the customer form shows and fills in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PartnerLookupResult {
    /// The canonical tax code (`0100109106-001`).
    pub tax_code: String,
    /// "Doanh nghiệp", "Hợp tác xã", "Hộ kinh doanh".
    pub kind_label: String,
    /// The Vietnamese name, as invoices print it: fills "Tên đơn vị".
    pub name: String,
    pub short_name: Option<String>,
    pub international_name: Option<String>,
    /// The head office on one line: fills "Địa chỉ".
    pub address: Option<String>,
    /// The (first) legal representative or household owner: fills "Họ tên người mua hàng".
    pub representative: Option<String>,
    /// Every representative's name, when the registry listed several.
    pub representatives: Vec<String>,
    /// "Người đại diện theo pháp luật" or "Chủ hộ kinh doanh".
    pub representative_role: Option<String>,
    pub status: PartnerStatus,
    /// The status in Vietnamese ("Đã chấm dứt hoạt động", "Tạm ngừng kinh doanh từ ngày …").
    pub status_text: String,
    /// Set for a suspended, closed, dissolved, bankrupt or otherwise irregular partner.
    pub warning: Option<String>,
    /// Which source answered, in Vietnamese.
    pub source_label: String,
    /// When the source gave this answer (Unix seconds).
    #[ts(type = "number")]
    pub fetched_at: i64,
    /// Served from the shop's cache rather than by a source just now.
    pub cached: bool,
    /// For a cached answer: "Thông tin lưu lúc 05/03/2026 14:05:00 (…)", the time and why.
    pub note: Option<String>,
}

fn representative_role(role: RepresentativeRole) -> &'static str {
    match role {
        RepresentativeRole::LegalRepresentative => "Người đại diện theo pháp luật",
        RepresentativeRole::HouseholdOwner => "Chủ hộ kinh doanh",
    }
}

/// The warning under a partner that should not be invoiced without a second thought.
fn partner_warning(partner: &Partner) -> Option<String> {
    partner.needs_warning().then(|| {
        format!(
            "Cảnh báo: {} này đang ở tình trạng «{}». Hóa đơn xuất cho người mua không còn hoạt động bình thường \
             có thể không được cơ quan thuế chấp nhận; hãy kiểm tra kỹ trước khi xuất hóa đơn.",
            partner.kind.label().to_lowercase(),
            partner.status_description()
        )
    })
}

impl PartnerLookupResult {
    fn of(answer: &LookupAnswer) -> PartnerLookupResult {
        let partner = &answer.partner;
        let representatives: Vec<String> = partner
            .representative
            .as_ref()
            .map(|r| r.names().into_iter().map(str::to_owned).collect())
            .unwrap_or_default();
        PartnerLookupResult {
            tax_code: partner.tax_code.as_str().to_owned(),
            kind_label: partner.kind.label().to_owned(),
            name: partner.name.clone(),
            short_name: partner.short_name.clone(),
            international_name: partner.international_name.clone(),
            address: partner.address_line(),
            representative: representatives.first().cloned(),
            representative_role: partner.representative.as_ref().map(|r| representative_role(r.role).to_owned()),
            representatives,
            status: PartnerStatus::of(&partner.legal_status),
            status_text: partner.status_description(),
            warning: partner_warning(partner),
            source_label: partner.source.to_string(),
            fetched_at: partner.fetched_at,
            cached: answer.is_cached(),
            note: answer.note(),
        }
    }
}

// --------------------------------------------------------------------------- dossiers

/// "Hồ sơ tiếp nhận": the period and the registration office, as typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DossierQuery {
    /// `dd/MM/yyyy` (also `yyyy-MM-dd`).
    pub from: String,
    pub to: String,
    /// The registration office's code (siteID), 1–10 characters.
    pub site_id: String,
}

/// A registration dossier as the "Hồ sơ đăng ký" screen shows it: its latest state (by
/// ProcessID) or its processing detail (by in_journal_no). Moments are Unix seconds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DossierView {
    /// "Doanh nghiệp", "Hợp tác xã", "Hộ kinh doanh".
    pub kind_label: String,
    pub registrant_code: Option<String>,
    pub registrant_name: Option<String>,
    /// MaHoSo: the receipt number.
    pub receipt_no: Option<String>,
    pub procedure_name: Option<String>,
    pub field_name: Option<String>,
    /// "Trực tiếp", "Trực tuyến", "Qua dịch vụ bưu chính công ích".
    pub channel: Option<String>,
    pub applicant: Option<String>,
    pub summary: Option<String>,
    pub handling_unit: Option<String>,
    pub note: Option<String>,
    #[ts(type = "number | null")]
    pub received_at: Option<i64>,
    #[ts(type = "number | null")]
    pub due_at: Option<i64>,
    #[ts(type = "number | null")]
    pub returned_at: Option<i64>,
    #[ts(type = "number | null")]
    pub processing_ended_at: Option<i64>,
    #[ts(type = "number | null")]
    pub rejected_at: Option<i64>,
    /// TrangThaiHoSo (latest state) in words, with its code.
    pub status: Option<String>,
    /// TinhTrangXuLy (processing detail) in words, with its code.
    pub processing_state: Option<String>,
    pub documents: Vec<DossierFile>,
    pub fees: Vec<DossierFee>,
    pub results: Vec<DossierFile>,
    /// Rounds of completing the dossier (latest state), or requests to complete it (detail).
    pub supplements: Vec<DossierSupplement>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DossierFile {
    pub name: String,
    pub code: Option<String>,
    pub url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DossierFee {
    pub name: String,
    /// Whole đồng, when the registry sent a number.
    #[ts(type = "number | null")]
    pub amount: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DossierSupplement {
    #[ts(type = "number | null")]
    pub requested_at: Option<i64>,
    pub requested_by: Option<String>,
    pub content: Option<String>,
    /// Whether it was supplied (`None`: not said).
    pub done: Option<bool>,
}

/// TrangThaiHoSo / TinhTrangXuLy in words. The registry's document points to the national
/// public-service portal's list of dossier states without printing it; these are that
/// portal's states. The code is always shown beside the words.
fn dossier_state(code: Option<&str>) -> Option<String> {
    let code = code?.trim();
    if code.is_empty() {
        return None;
    }
    let words = match code {
        "1" => "Mới đăng ký",
        "2" => "Được tiếp nhận",
        "3" => "Không được tiếp nhận",
        "4" => "Đang xử lý",
        "5" => "Yêu cầu bổ sung giấy tờ",
        "6" => "Yêu cầu thực hiện nghĩa vụ tài chính",
        "7" => "Người nộp yêu cầu rút hồ sơ",
        "8" => "Dừng xử lý",
        "9" => "Đã xử lý xong",
        "10" => "Đã trả kết quả",
        _ => return Some(format!("Trạng thái mã {code}")),
    };
    Some(format!("{words} (mã {code})"))
}

fn channel(code: Option<&str>) -> Option<String> {
    let code = code?.trim();
    Some(match code {
        "1" => "Trực tiếp".to_owned(),
        "2" => "Trực tuyến".to_owned(),
        "3" => "Qua dịch vụ bưu chính công ích".to_owned(),
        "" => return None,
        other => format!("Kênh mã {other}"),
    })
}

fn unix(moment: Option<time::OffsetDateTime>) -> Option<i64> {
    moment.map(|m| m.unix_timestamp())
}

fn file(document: &SubmittedDocument) -> Option<DossierFile> {
    if document.deleted == Some(true) {
        return None;
    }
    Some(DossierFile {
        name: document.name.clone().unwrap_or_else(|| "(không tên)".to_owned()),
        code: document.component_code.clone().filter(|c| !c.is_empty()),
        url: document.url.clone().filter(|u| !u.is_empty()),
    })
}

fn fee(fee: &Fee) -> DossierFee {
    let amount = fee.amount.as_deref().and_then(|a| a.trim().parse::<f64>().ok()).map(|a| a.round() as i64);
    DossierFee { name: fee.name.clone().unwrap_or_else(|| "(không tên)".to_owned()), amount }
}

impl DossierView {
    fn header(h: &DossierHeader) -> DossierView {
        DossierView {
            kind_label: h.kind.label().to_owned(),
            registrant_code: h.registrant_code.clone(),
            registrant_name: h.registrant_name.clone(),
            receipt_no: h.receipt_no.clone(),
            procedure_name: h.procedure_name.clone(),
            field_name: h.field_name.clone(),
            channel: channel(h.channel.as_deref()),
            applicant: h.applicant.clone(),
            summary: h.summary.clone(),
            handling_unit: h.handling_unit.clone(),
            note: h.note.clone(),
            received_at: unix(h.received_at),
            due_at: unix(h.due_at),
            returned_at: unix(h.returned_at),
            processing_ended_at: unix(h.processing_ended_at),
            rejected_at: unix(h.rejected_at),
            status: None,
            processing_state: None,
            documents: Vec::new(),
            fees: Vec::new(),
            results: Vec::new(),
            supplements: Vec::new(),
        }
    }

    fn latest(d: &Dossier) -> DossierView {
        DossierView {
            status: dossier_state(d.status.as_deref()),
            documents: d.documents.iter().filter_map(file).collect(),
            fees: d.fees.iter().map(fee).collect(),
            results: d
                .results
                .iter()
                .map(|r| DossierFile {
                    name: r.name.clone().unwrap_or_else(|| "(không tên)".to_owned()),
                    code: r.code.clone(),
                    url: r.url.clone(),
                })
                .collect(),
            supplements: d
                .supplements
                .iter()
                .map(|s| DossierSupplement {
                    requested_at: unix(s.requested_at),
                    requested_by: s.requested_by.clone(),
                    content: s.content.clone(),
                    done: s.done,
                })
                .collect(),
            ..DossierView::header(&d.header)
        }
    }

    fn detail(d: &DossierDetail) -> DossierView {
        DossierView {
            processing_state: dossier_state(d.processing_state.as_deref()),
            supplements: d
                .supplement_requests
                .iter()
                .map(|s| DossierSupplement {
                    requested_at: unix(s.requested_at),
                    requested_by: s.requested_by.clone(),
                    content: s.content.clone(),
                    done: None,
                })
                .collect(),
            ..DossierView::header(&d.header)
        }
    }
}

fn read_day(field: &str, text: &str, errors: &mut Vec<FieldError>) -> Option<Date> {
    let text = text.trim();
    if text.is_empty() {
        errors.push(FieldError::new(field, "Chưa nhập ngày (dd/MM/yyyy)."));
        return None;
    }
    let day = calendar::parse_iso_date(text).or_else(|| calendar::parse_date(text));
    if day.is_none() {
        errors.push(FieldError::new(field, format!("Ngày «{text}» không hợp lệ (dd/MM/yyyy).")));
    }
    day
}

impl DossierQuery {
    fn validate(&self) -> Result<(Date, Date, String)> {
        let mut errors = Vec::new();
        let from = read_day("from", &self.from, &mut errors);
        let to = read_day("to", &self.to, &mut errors);
        if matches!((from, to), (Some(from), Some(to)) if from > to) {
            errors.push(FieldError::new("to", "Ngày kết thúc phải sau hoặc bằng ngày bắt đầu."));
        }
        let site = self.site_id.trim();
        if site.is_empty() || site.chars().count() > 10 {
            errors.push(FieldError::new("site_id", "Mã cơ quan đăng ký (siteID) phải có từ 1 đến 10 ký tự."));
        }
        match (from, to) {
            (Some(from), Some(to)) if errors.is_empty() => Ok((from, to, site.to_owned())),
            _ => Err(Error::invalid(errors)),
        }
    }
}

// ----------------------------------------------------------------------------- settings

/// Which look-up source, for the order the owner chooses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum LookupSourceId {
    #[serde(rename = "nbrs")]
    Nbrs,
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
    pub nbrs_enabled: bool,
    /// The NDXP gateway, e.g. `https://ndxp.example.gov.vn`.
    pub nbrs_base_url: String,
    /// The OAuth 2.0 token endpoint, a full URL.
    pub nbrs_token_url: String,
    pub nbrs_client_id: String,
    /// Write-only: empty keeps the saved secret.
    pub nbrs_client_secret: String,
    pub nbrs_scope: String,
    /// Send the credentials in the form body instead of HTTP Basic.
    pub nbrs_credentials_in_body: bool,
    pub nbrs_basic_info_path: String,
    pub nbrs_dossiers_received_path: String,
    pub nbrs_dossier_latest_path: String,
    pub nbrs_dossier_detail_path: String,
    pub vietqr_enabled: bool,
    /// E.g. `https://api.vietqr.io`; the look-up is `{base}/v2/business/{taxCode}`.
    pub vietqr_base_url: String,
    /// Write-only: empty keeps the saved key (the public service needs none).
    pub vietqr_api_key: String,
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

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DemoTaxCode {
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
    pub nbrs_secret_saved: bool,
    pub vietqr_key_saved: bool,
    /// Set while look-ups go to the demo registry the app started.
    pub demo: Option<DemoLookup>,
}

fn is_http_url(text: &str) -> bool {
    let rest = text.strip_prefix("https://").or_else(|| text.strip_prefix("http://"));
    rest.is_some_and(|r| {
        let host = r.split(['/', '?', '#']).next().unwrap_or("");
        !host.is_empty() && !r.contains(char::is_whitespace)
    })
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
                errors.push(FieldError::new(
                    field,
                    if value.is_empty() {
                        format!("Chưa nhập địa chỉ (ví dụ: {example}).")
                    } else {
                        format!("Địa chỉ «{value}» không hợp lệ: cần bắt đầu bằng https:// hoặc http:// (ví dụ: {example}).")
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

    /// The saved look-up settings with their secrets, for [`Partners::new`]; `None` while
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
            nbrs_secret_saved: secrets.get(NBRS_SECRET_NAME)?.is_some(),
            vietqr_key_saved: secrets.get(VIETQR_KEY_NAME)?.is_some(),
            demo: demo.cloned(),
        })
    }

    /// Checks and saves the look-up settings: the secrets typed go to `secrets`, the rest to
    /// the database. Returns the settings to build [`Partners`] from.
    pub fn save_lookup_settings(&self, secrets: &SecretStore, form: &LookupSettingsForm) -> Result<LookupSettings> {
        let nbrs_secret_saved = secrets.get(NBRS_SECRET_NAME)?.is_some();
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

    /// A cache over this shop's database for [`Partners`], on a connection of its own.
    pub fn partner_cache(&self) -> Result<StorePartnerCache> {
        let path = self.store.path().ok_or_else(|| {
            Error::Store(hoadon_store::StoreError::BadStoredValue(
                "a database in memory cannot be shared with the partner cache".into(),
            ))
        })?;
        Ok(StorePartnerCache::new(Store::open(path)?))
    }

    /// The cached look-up answer for `tax_code` and when it was fetched.
    pub fn cached_partner(&self, tax_code: &TaxCode) -> Result<Option<(Partner, i64)>> {
        Ok(self.store.cached_partner(tax_code.as_str())?.and_then(decode))
    }

    /// Why the owner should think twice before invoicing sale `sale_id`: its buyer's last
    /// look-up (from the cache, no request is sent) found it suspended, closed, dissolved,
    /// bankrupt or otherwise irregular. `None` for a walk-in buyer, a buyer without tax code,
    /// one never looked up, or an active one.
    pub fn buyer_warning(&self, sale_id: i64) -> Result<Option<String>> {
        let sale = self.store.sale(sale_id)?;
        let Some(customer) = sale.customer else {
            return Ok(None);
        };
        let Some(tax_code) = customer.tax_code.as_deref().and_then(|t| TaxCode::parse(t).ok()) else {
            return Ok(None);
        };
        let Some((partner, fetched_at)) = self.cached_partner(&tax_code)? else {
            return Ok(None);
        };
        if !partner.needs_warning() {
            return Ok(None);
        }
        Ok(Some(format!(
            "Người mua «{}» (MST {}) đang ở tình trạng «{}» theo thông tin tra cứu lúc {}. Hóa đơn xuất cho người mua \
             không còn hoạt động bình thường có thể không được cơ quan thuế chấp nhận.",
            customer.name,
            tax_code.as_str(),
            partner.status_description(),
            calendar::format_moment(fetched_at)
        )))
    }
}

// ------------------------------------------------------------------------------ Partners

/// The look-up sources in use and the cache behind them. Build a new one when the settings
/// change; share it behind an `Arc` (the NBRS client keeps its access token).
pub struct Partners {
    directory: PartnerDirectory,
    nbrs: Option<Arc<NbrsClient>>,
    configured: bool,
    demo: Option<DemoLookup>,
}

impl Partners {
    /// Sources from `settings` (`None`: nothing configured, so only `--offline`-style answers
    /// from the cache are possible), answers kept in `cache`.
    pub fn new(settings: Option<&LookupSettings>, cache: Arc<dyn PartnerCache>) -> Result<Partners> {
        let mut sources: Vec<Arc<dyn PartnerLookup>> = Vec::new();
        let mut nbrs_client = None;
        if let Some(settings) = settings {
            for kind in &settings.order {
                match kind {
                    SourceKind::Nbrs => {
                        if let (Some(nbrs), None) = (&settings.nbrs, &nbrs_client) {
                            let client = Arc::new(NbrsClient::new(nbrs.clone())?);
                            nbrs_client = Some(client.clone());
                            sources.push(client);
                        }
                    }
                    SourceKind::VietQr => {
                        if let Some(vietqr) = &settings.vietqr {
                            sources.push(Arc::new(VietQrClient::new(vietqr.clone())?));
                        }
                    }
                }
            }
        }
        let configured = !sources.is_empty();
        let directory = PartnerDirectory::new(Arc::new(LookupChain::new(sources)), cache);
        Ok(Partners { directory, nbrs: nbrs_client, configured, demo: None })
    }

    /// Marks these sources as the demo registry (shown in Cài đặt).
    pub fn with_demo(mut self, demo: DemoLookup) -> Partners {
        self.demo = Some(demo);
        self
    }

    pub fn demo(&self) -> Option<&DemoLookup> {
        self.demo.as_ref()
    }

    /// At least one source can be asked.
    pub fn is_configured(&self) -> bool {
        self.configured
    }

    /// Looks `mst` up as typed. An invalid code is refused (field `tax_code`, the precise
    /// reason) before anything is sent or read. With no source configured, only
    /// [`LookupMode::Offline`] can answer.
    pub async fn lookup(&self, mst: &str, mode: LookupMode) -> Result<PartnerLookupResult> {
        if !self.configured && mode != LookupMode::Offline {
            TaxCode::parse(mst).map_err(LookupError::from)?;
            return Err(LookupError::NoSource.into());
        }
        let answer = self.directory.lookup(mst, mode).await?;
        tracing::info!(
            tax_code = answer.partner.tax_code.as_str(),
            source = answer.partner.source.as_str(),
            cached = answer.is_cached(),
            warning = answer.partner.needs_warning(),
            "partner looked up"
        );
        Ok(PartnerLookupResult::of(&answer))
    }

    fn nbrs(&self) -> Result<&NbrsClient> {
        self.nbrs.as_deref().ok_or_else(no_nbrs)
    }

    /// The ProcessIDs of the dossiers received by an office in a period.
    pub async fn dossiers_received(&self, query: &DossierQuery) -> Result<Vec<u64>> {
        let (from, to, site) = query.validate()?;
        Ok(self.nbrs()?.dossiers_received(from, to, &site).await?)
    }

    /// The latest state of a dossier, by its ProcessID as typed.
    pub async fn dossier_latest(&self, process_id: &str) -> Result<DossierView> {
        let typed = process_id.trim();
        let id: u64 = typed.parse().ok().filter(|id| *id > 0).ok_or_else(|| {
            Error::field("process_id", "Mã hồ sơ (ProcessID) phải là một số nguyên dương, ví dụ 2026000101.")
        })?;
        Ok(DossierView::latest(&self.nbrs()?.dossier_latest(id).await?))
    }

    /// The processing detail of a dossier, by its journal number (in_journal_no) as typed.
    pub async fn dossier_detail(&self, journal_no: &str) -> Result<DossierView> {
        let journal = journal_no.trim();
        if journal.is_empty() || journal.chars().count() > 30 {
            return Err(Error::field("journal_no", "Mã hồ sơ (in_journal_no) phải có từ 1 đến 30 ký tự."));
        }
        Ok(DossierView::detail(&self.nbrs()?.dossier_detail(journal).await?))
    }
}

/// The secrets of the shop whose database is `db_path`: the OS keyring when there is one,
/// else the encrypted file beside the database.
pub fn secrets_beside(db_path: &Path) -> SecretStore {
    SecretStore::system(db_path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")))
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
    }

    #[test]
    fn dossier_states_keep_their_code() {
        assert_eq!(dossier_state(Some("10")).as_deref(), Some("Đã trả kết quả (mã 10)"));
        assert_eq!(dossier_state(Some("99")).as_deref(), Some("Trạng thái mã 99"));
        assert_eq!(dossier_state(Some(" ")), None);
    }

    #[test]
    fn a_lookup_error_keeps_its_sentence_and_an_invalid_code_names_the_field() {
        let reason = TaxCode::parse("0109526017").unwrap_err();
        let app = Error::from(LookupError::from(reason)).to_app_error();
        assert_eq!(app.code, "invalid");
        assert_eq!(app.fields[0].field, "tax_code");
        assert!(app.message.starts_with("Mã số thuế sai chữ số kiểm tra"), "{}", app.message);
        let app = Error::from(LookupError::NoSource).to_app_error();
        assert_eq!(app.code, "lookup_no_source");
        assert!(app.message.starts_with("Chưa cài đặt nguồn tra cứu"));
    }
}
