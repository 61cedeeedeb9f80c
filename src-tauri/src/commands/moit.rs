//! The MOIT (Bộ Công Thương) statistics: the report screen, its exports, the visits, and the
//! embedded report server of Cài đặt. The figures come from `hoadon-moit` over the app's own
//! shop: every pull of the server locks the shop, computes, and lets go.

use hoadon_core::rules::calendar;
use hoadon_core::store::{Store, StoreError};
use hoadon_core::{Error, FieldError};
use hoadon_moit::{
    ApiFigures, ApiOption, CsvSeparator, KeyCase, MIN_PASSWORD_CHARS, MoitError, MoitReport, MoitServerConfig,
    PageOption, ReportSource, VisitsImport, VisitsPeriod, hash_password, report_table,
};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Manager, State};
use ts_rs::TS;

use crate::state::AppState;

/// Where the shop's domain for the publishing help is kept (beside `moit.server`).
const DOMAIN_KEY: &str = "moit.domain";

/// The report screen: the figures with their periods, the table as the guide lays it out
/// (the same rows as the page, the CSV and the PDF), and the API answer's figures.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct MoitReportView {
    pub report: MoitReport,
    pub table: hoadon_moit::ReportTable,
    /// The API answer, keys in the guide's camelCase and order: what `hoadon moit report --json` prints.
    pub api: Vec<MoitApiFigure>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct MoitApiFigure {
    pub key: String,
    #[ts(type = "number")]
    pub value: i64,
}

/// The server settings as Cài đặt edits them. Passwords are write-only: empty keeps the saved
/// one; they are hashed here and never stored, shown or logged as typed.
#[derive(Clone, Default, Deserialize, Serialize, TS)]
#[ts(export)]
pub struct MoitServerForm {
    pub enabled: bool,
    pub bind_address: String,
    /// As typed.
    pub port: String,
    pub api_enabled: bool,
    pub api_path: String,
    pub api_user_name: String,
    pub api_password: String,
    pub pascal_case: bool,
    pub page_enabled: bool,
    pub page_password: String,
    pub behind_proxy: bool,
    pub visits_period: VisitsPeriod,
    /// The shop's website (tenmien.vn), for the publishing explanation.
    pub domain: String,
}

impl std::fmt::Debug for MoitServerForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MoitServerForm")
            .field("enabled", &self.enabled)
            .field("bind_address", &self.bind_address)
            .field("port", &self.port)
            .field("api_enabled", &self.api_enabled)
            .field("api_path", &self.api_path)
            .field("page_enabled", &self.page_enabled)
            .finish_non_exhaustive()
    }
}

/// Whether the server runs, and where.
#[derive(Debug, Clone, Default, Serialize, TS)]
#[ts(export)]
pub struct MoitServerStatus {
    pub running: bool,
    /// `http://127.0.0.1:8787` while running.
    pub url: Option<String>,
    pub api_url: Option<String>,
    pub page_url: Option<String>,
}

/// What Cài đặt shows: the form (password boxes empty), whether passwords are saved, the
/// status, and how to publish the server as `baocao.<domain>`.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct MoitServerSettings {
    pub form: MoitServerForm,
    pub api_password_set: bool,
    pub page_password_set: bool,
    pub status: MoitServerStatus,
    pub publishing_help: String,
}

/// A MOIT error as the app's one error type.
pub fn moit_error(e: MoitError) -> Error {
    match e {
        MoitError::Store(e) => Error::Store(e),
        MoitError::Sqlite(e) => Error::Store(StoreError::Sqlite(e)),
        MoitError::OutsideYear { .. } => Error::field("year", e.to_string()),
        MoitError::Config(_) | MoitError::PasswordHash(_) => Error::field("moit_server", e.to_string()),
        MoitError::Bind { .. } => Error::field("port", e.to_string()),
        MoitError::Pdf(_) | MoitError::Io(_) => Error::Invalid { message: e.to_string(), fields: Vec::new() },
    }
}

/// The report of `year` as it stands now (31/12 for a past year), visits per the saved setting.
fn year_report(store: &Store, year: i32) -> Result<MoitReport, Error> {
    let now = calendar::now().unix_timestamp();
    let as_of = hoadon_moit::as_of_for_year(year, now)
        .ok_or_else(|| Error::field("year", format!("Năm {year} chưa bắt đầu, chưa có số liệu để báo cáo.")))?;
    let period = MoitServerConfig::load(store).map_err(moit_error)?.visits_period;
    Ok(hoadon_moit::report(store, year, as_of).map_err(moit_error)?.with_visits_period(period))
}

#[tauri::command]
#[tracing::instrument(skip(state), err(Debug, level = "warn"))]
pub async fn moit_report(state: State<'_, AppState>, year: i32) -> Result<MoitReportView, Error> {
    let report = year_report(state.shop().store(), year)?;
    let api = hoadon_moit::API_KEYS
        .iter()
        .zip(ApiFigures::of(&report).values())
        .map(|(key, value)| MoitApiFigure { key: key.to_string(), value })
        .collect();
    Ok(MoitReportView { table: report_table(&report), report, api })
}

/// Writes the report of `year` to `path` (chosen in the save dialog): `json`, `json_pascal`, `csv` or `pdf`.
#[tauri::command]
#[tracing::instrument(skip(state), err(Debug, level = "warn"))]
pub async fn moit_export(state: State<'_, AppState>, year: i32, format: String, path: String) -> Result<String, Error> {
    let report = year_report(state.shop().store(), year)?;
    let bytes = match format.as_str() {
        "json" => ApiFigures::of(&report).to_json_pretty(KeyCase::Camel).into_bytes(),
        "json_pascal" => ApiFigures::of(&report).to_json_pretty(KeyCase::Pascal).into_bytes(),
        "csv" => hoadon_moit::to_csv(&report_table(&report), CsvSeparator::Comma).into_bytes(),
        "pdf" => hoadon_moit::to_pdf(&report_table(&report)).map_err(moit_error)?,
        other => return Err(Error::field("format", format!("Không có định dạng xuất «{other}»."))),
    };
    std::fs::write(&path, bytes)
        .map_err(|e| Error::Invalid { message: format!("Không ghi được tệp {path}: {e}"), fields: Vec::new() })?;
    Ok(path)
}

/// Visits from a web-analytics CSV: what was taken, what was refused and why.
#[tauri::command]
#[tracing::instrument(skip(state), err(Debug, level = "warn"))]
pub async fn import_visits(state: State<'_, AppState>, path: String) -> Result<VisitsImport, Error> {
    hoadon_moit::import_visits_file(state.shop().store(), &path).map_err(moit_error)
}

/// The visits of one day (`dd/MM/yyyy`), as typed; replaces what the day had.
#[tauri::command]
#[tracing::instrument(skip(state), err(Debug, level = "warn"))]
pub async fn set_day_visits(state: State<'_, AppState>, day: String, visits: String) -> Result<(), Error> {
    let mut fields = Vec::new();
    let date = calendar::parse_date(&day);
    if date.is_none() {
        fields.push(FieldError::new("day", "Ngày cần dạng dd/mm/yyyy, ví dụ 05/03/2026."));
    }
    let count = visits.trim().replace(['.', ' '], "").parse::<i64>().ok().filter(|v| *v >= 0);
    if count.is_none() {
        fields.push(FieldError::new("visits", "Lượt truy cập cần là một số nguyên không âm."));
    }
    match (date, count) {
        (Some(date), Some(count)) => state.shop().store().set_visits(date, count).map_err(Error::Store),
        _ => Err(Error::invalid(fields)),
    }
}

fn settings_view(store: &Store, status: MoitServerStatus) -> Result<MoitServerSettings, Error> {
    let config = MoitServerConfig::load(store).map_err(moit_error)?;
    let domain = store.setting(DOMAIN_KEY).map_err(Error::Store)?.unwrap_or_default();
    let form = MoitServerForm {
        enabled: config.enabled,
        bind_address: config.bind_address.clone(),
        port: config.port.to_string(),
        api_enabled: config.api.is_some(),
        api_path: config.api.as_ref().map_or(hoadon_moit::DEFAULT_API_PATH.to_string(), |a| a.path.clone()),
        api_user_name: config.api.as_ref().map(|a| a.user_name.clone()).unwrap_or_default(),
        api_password: String::new(),
        pascal_case: config.api.as_ref().is_some_and(|a| a.key_case == KeyCase::Pascal),
        page_enabled: config.page.is_some(),
        page_password: String::new(),
        behind_proxy: config.behind_proxy,
        visits_period: config.visits_period,
        domain: domain.clone(),
    };
    let mut help_config = config.clone();
    if help_config.api.is_none() && help_config.page.is_none() {
        help_config.api = Some(ApiOption::default());
        help_config.page = Some(PageOption::default());
    }
    Ok(MoitServerSettings {
        api_password_set: config.api.as_ref().is_some_and(|a| !a.password_hash.is_empty()),
        page_password_set: config.page.as_ref().is_some_and(|p| !p.password_hash.is_empty()),
        publishing_help: hoadon_moit::publishing_help_for(&domain, &help_config),
        form,
        status,
    })
}

/// The form as a configuration: each wrong box named, new passwords hashed.
fn config_of(form: &MoitServerForm, saved: &MoitServerConfig) -> Result<MoitServerConfig, Error> {
    let mut fields = Vec::new();
    let port = form.port.trim().parse::<u16>().ok();
    if port.is_none() {
        fields.push(FieldError::new("port", "Cổng cần là số từ 0 đến 65535."));
    }
    if form.bind_address.trim().parse::<std::net::IpAddr>().is_err() {
        fields.push(FieldError::new("bind_address", "Địa chỉ lắng nghe cần là địa chỉ IP, ví dụ 127.0.0.1."));
    }
    let short = |p: &str| !p.is_empty() && p.chars().count() < MIN_PASSWORD_CHARS;
    if form.api_enabled && short(&form.api_password) {
        fields.push(FieldError::new("api_password", format!("Mật khẩu cần ít nhất {MIN_PASSWORD_CHARS} ký tự.")));
    }
    if form.page_enabled && short(&form.page_password) {
        fields.push(FieldError::new("page_password", format!("Mật khẩu cần ít nhất {MIN_PASSWORD_CHARS} ký tự.")));
    }
    if form.enabled {
        if !form.api_enabled && !form.page_enabled {
            fields.push(FieldError::new("options", "Chọn ít nhất một phương án: API hoặc trang báo cáo."));
        }
        let saved_api = saved.api.as_ref().is_some_and(|a| !a.password_hash.is_empty());
        if form.api_enabled && form.api_user_name.trim().is_empty() {
            fields.push(FieldError::new("api_user_name", "Chưa đặt tên đăng nhập (UserName) cho API."));
        }
        if form.api_enabled && form.api_password.is_empty() && !saved_api {
            fields.push(FieldError::new("api_password", "Chưa đặt mật khẩu (PassWord) cho API."));
        }
        let saved_page = saved.page.as_ref().is_some_and(|p| !p.password_hash.is_empty());
        if form.page_enabled && form.page_password.is_empty() && !saved_page {
            fields.push(FieldError::new("page_password", "Chưa đặt mật khẩu cho tài khoản BaocaoTMDT."));
        }
    }
    if !fields.is_empty() {
        return Err(Error::invalid(fields));
    }
    let hash = |p: &str, old: Option<&String>| -> Result<String, Error> {
        if p.is_empty() { Ok(old.cloned().unwrap_or_default()) } else { hash_password(p).map_err(moit_error) }
    };
    let api = if form.api_enabled {
        Some(ApiOption {
            path: if form.api_path.trim().is_empty() { hoadon_moit::DEFAULT_API_PATH.into() } else { form.api_path.trim().into() },
            user_name: form.api_user_name.trim().into(),
            password_hash: hash(&form.api_password, saved.api.as_ref().map(|a| &a.password_hash))?,
            key_case: if form.pascal_case { KeyCase::Pascal } else { KeyCase::Camel },
        })
    } else {
        None
    };
    let page = if form.page_enabled {
        Some(PageOption { password_hash: hash(&form.page_password, saved.page.as_ref().map(|p| &p.password_hash))? })
    } else {
        None
    };
    Ok(MoitServerConfig {
        enabled: form.enabled,
        bind_address: form.bind_address.trim().into(),
        port: port.expect("checked above"),
        api,
        page,
        behind_proxy: form.behind_proxy,
        visits_period: form.visits_period,
        ..saved.clone()
    })
}

async fn current_status(state: &AppState) -> MoitServerStatus {
    match state.moit_server.lock().await.as_ref() {
        Some(running) => running.status.clone(),
        None => MoitServerStatus::default(),
    }
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug, level = "warn"))]
pub async fn moit_server_settings(state: State<'_, AppState>) -> Result<MoitServerSettings, Error> {
    let status = current_status(&state).await;
    settings_view(state.shop().store(), status)
}

/// Saves the settings (passwords hashed). A running server keeps its old settings until restarted.
#[tauri::command]
#[tracing::instrument(skip_all, fields(?form), err(Debug, level = "warn"))]
pub async fn save_moit_server_settings(state: State<'_, AppState>, form: MoitServerForm) -> Result<MoitServerSettings, Error> {
    let status = current_status(&state).await;
    let shop = state.shop();
    let saved = MoitServerConfig::load(shop.store()).map_err(moit_error)?;
    let config = config_of(&form, &saved)?;
    config.save(shop.store()).map_err(moit_error)?;
    shop.store().set_setting(DOMAIN_KEY, form.domain.trim()).map_err(Error::Store)?;
    settings_view(shop.store(), status)
}

/// The report of the moment of each pull, over the app's own shop.
struct AppSource {
    app: AppHandle,
    visits_period: VisitsPeriod,
}

impl ReportSource for AppSource {
    fn current_report(&self) -> hoadon_moit::Result<MoitReport> {
        let state = self.app.state::<AppState>();
        let now = calendar::now().unix_timestamp();
        let year = calendar::date_of(now).year();
        let shop = state.shop();
        Ok(hoadon_moit::report(shop.store(), year, now)?.with_visits_period(self.visits_period))
    }
}

/// A running server and what the status says about it.
pub struct RunningMoitServer {
    server: hoadon_moit::MoitServer,
    status: MoitServerStatus,
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug, level = "warn"))]
pub async fn start_moit_server(app: AppHandle, state: State<'_, AppState>) -> Result<MoitServerStatus, Error> {
    let mut slot = state.moit_server.lock().await;
    if let Some(running) = slot.as_ref() {
        return Ok(running.status.clone());
    }
    let config = MoitServerConfig::load(state.shop().store()).map_err(moit_error)?;
    if !config.enabled {
        return Err(Error::field("enabled", "Máy chủ báo cáo đang tắt: đánh dấu «Bật máy chủ báo cáo» và lưu cài đặt trước."));
    }
    let api_path = config.api.as_ref().map(|a| a.path.clone());
    let page = config.page.is_some();
    let source = AppSource { app, visits_period: config.visits_period };
    let server = hoadon_moit::serve(config, source).await.map_err(moit_error)?;
    let url = server.base_url();
    let status = MoitServerStatus {
        running: true,
        api_url: api_path.map(|p| format!("{url}{p}")),
        page_url: page.then(|| format!("{url}/")),
        url: Some(url),
    };
    tracing::info!(url = ?status.url, "MOIT report server started");
    *slot = Some(RunningMoitServer { server, status: status.clone() });
    Ok(status)
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug, level = "warn"))]
pub async fn stop_moit_server(state: State<'_, AppState>) -> Result<MoitServerStatus, Error> {
    let running = state.moit_server.lock().await.take();
    if let Some(running) = running {
        running.server.shutdown().await.map_err(moit_error)?;
        tracing::info!("MOIT report server stopped");
    }
    Ok(MoitServerStatus::default())
}

#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn moit_server_status(state: State<'_, AppState>) -> Result<MoitServerStatus, Error> {
    Ok(current_status(&state).await)
}
