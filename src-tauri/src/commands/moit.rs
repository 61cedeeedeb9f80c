//! The MOIT (Bộ Công Thương) statistics: the report screen, its exports, the visits, and the
//! embedded report server of Cài đặt, handed off to `hoadon_core::moit`. Every pull of the
//! server locks the app's shop, computes, and lets go.

use hoadon_core::Error;
use hoadon_core::moit::{
    ExportFormat, MoitReport, MoitReportView, MoitServer, MoitServerForm, MoitServerSettings, MoitServerStatus, ReportSource,
    VisitsImport, VisitsPeriod,
};
use tauri::{AppHandle, Manager, State};

use crate::file_dialog::{self, Dialog};
use crate::state::AppState;

#[tauri::command]
#[tracing::instrument(skip(state), err(Debug, level = "warn"))]
pub async fn moit_report(state: State<'_, AppState>, year: i32) -> Result<MoitReportView, Error> {
    state.shop().moit_report(year)
}

/// "Xuất báo cáo": asks where in the save dialog and writes the report of `year` there.
/// Returns the path, or nothing when the owner cancels.
#[tauri::command]
#[tracing::instrument(skip(app, state), err(Debug, level = "warn"))]
pub async fn moit_export(app: AppHandle, state: State<'_, AppState>, year: i32, format: ExportFormat) -> Result<Option<String>, Error> {
    let title = format!("Xuất báo cáo Bộ Công Thương ({})", format.label());
    let dialog = Dialog { title: &title, filter: (format.label(), &[format.extension()]) };
    let Some(path) = file_dialog::save(&app, dialog, &format.file_name(year)).await else {
        return Ok(None);
    };
    state.shop().moit_export(year, format, &path).map(Some)
}

/// "Nhập tệp CSV": asks for the file in the open dialog and stores its days. Nothing when
/// the owner cancels.
#[tauri::command]
#[tracing::instrument(skip(app, state), err(Debug, level = "warn"))]
pub async fn import_visits(app: AppHandle, state: State<'_, AppState>) -> Result<Option<VisitsImport>, Error> {
    let dialog = Dialog { title: "Chọn tệp CSV lượt truy cập", filter: ("CSV", &["csv", "txt"]) };
    let Some(path) = file_dialog::open(&app, dialog).await else {
        return Ok(None);
    };
    state.shop().import_visits(&path).map(Some)
}

#[tauri::command]
#[tracing::instrument(skip(state), err(Debug, level = "warn"))]
pub async fn set_day_visits(state: State<'_, AppState>, day: String, visits: String) -> Result<(), Error> {
    state.shop().set_day_visits(&day, &visits)
}

async fn current_status(state: &AppState) -> MoitServerStatus {
    state.moit_server.lock().await.as_ref().map(|running| running.status.clone()).unwrap_or_default()
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug, level = "warn"))]
pub async fn moit_server_settings(state: State<'_, AppState>) -> Result<MoitServerSettings, Error> {
    let status = current_status(&state).await;
    state.shop().moit_server_settings(status)
}

/// Saves the settings (passwords hashed). A running server keeps its old settings until restarted.
#[tauri::command]
#[tracing::instrument(skip_all, fields(?form), err(Debug, level = "warn"))]
pub async fn save_moit_server_settings(state: State<'_, AppState>, form: MoitServerForm) -> Result<MoitServerSettings, Error> {
    let status = current_status(&state).await;
    state.shop().save_moit_server_settings(&form, status)
}

/// The report of the moment of each pull, over the app's own shop.
struct AppSource {
    app: AppHandle,
    visits_period: VisitsPeriod,
}

impl ReportSource for AppSource {
    fn current_report(&self) -> hoadon_core::moit::MoitResult<MoitReport> {
        self.app.state::<AppState>().shop().moit_current_report(self.visits_period)
    }
}

/// A running server and what the status says about it.
pub struct RunningMoitServer {
    server: MoitServer,
    status: MoitServerStatus,
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug, level = "warn"))]
pub async fn start_moit_server(app: AppHandle, state: State<'_, AppState>) -> Result<MoitServerStatus, Error> {
    let mut slot = state.moit_server.lock().await;
    if let Some(running) = slot.as_ref() {
        return Ok(running.status.clone());
    }
    let config = state.shop().moit_server_config()?;
    if !config.enabled {
        return Err(Error::field("enabled", "Máy chủ báo cáo đang tắt: đánh dấu «Bật máy chủ báo cáo» và lưu cài đặt trước."));
    }
    let source = AppSource { app, visits_period: config.visits_period };
    let server = hoadon_core::moit::serve(config.clone(), source).await?;
    let status = MoitServerStatus::running(&config, server.base_url());
    tracing::info!(url = ?status.url, "MOIT report server started");
    *slot = Some(RunningMoitServer { server, status: status.clone() });
    Ok(status)
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug, level = "warn"))]
pub async fn stop_moit_server(state: State<'_, AppState>) -> Result<MoitServerStatus, Error> {
    let running = state.moit_server.lock().await.take();
    if let Some(running) = running {
        running.server.shutdown().await?;
        tracing::info!("MOIT report server stopped");
    }
    Ok(MoitServerStatus::default())
}

#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn moit_server_status(state: State<'_, AppState>) -> Result<MoitServerStatus, Error> {
    Ok(current_status(&state).await)
}
