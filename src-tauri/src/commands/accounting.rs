//! "Xuất Excel" / "Xuất CSV" on Đơn hàng and Hóa đơn: the save dialog opened here, the
//! listing written by `hoadon_core::accounting` on a thread of its own through a connection
//! of its own (the window's shop stays free for sales), its progress polled by the window,
//! and "Hủy" honoured at the next row.

use std::sync::{Arc, Mutex};

use hoadon_core::accounting::{self, AccountingExportForm, ExportDone, ExportOutcome, ExportProgress, Progress};
use hoadon_core::Error;
use tauri::{AppHandle, Manager, State};

use crate::file_dialog::{self, Dialog};
use crate::state::AppState;

/// The export under way, if any: one at a time, so the progress bar has one thing to show.
static RUNNING: Mutex<Option<Arc<Progress>>> = Mutex::new(None);

fn running() -> std::sync::MutexGuard<'static, Option<Arc<Progress>>> {
    RUNNING.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Asks where in the save dialog, then writes the listing there. The file it wrote, or
/// nothing when the owner closed the dialog or cancelled the export (then nothing is under
/// the chosen name).
#[tauri::command]
#[tracing::instrument(skip(app, state), err(Debug, level = "warn"))]
pub async fn export_for_accountant(app: AppHandle, state: State<'_, AppState>, form: AccountingExportForm) -> Result<Option<ExportDone>, Error> {
    // The period is checked before the dialog opens: a wrong date is named in the form.
    let name = form.file_name()?;
    let title = format!("Xuất {} ({})", form.listing.label().to_lowercase(), form.format.label());
    let extension = [form.format.extension()];
    let dialog = Dialog { title: &title, filter: (form.format.label(), &extension) };
    let Some(target) = file_dialog::save(&app, dialog, &name).await else {
        return Ok(None);
    };
    let progress = Arc::new(Progress::new());
    {
        let mut slot = running();
        if slot.is_some() {
            return Err(Error::Invalid { message: "Đang xuất một tệp khác; hãy chờ xong hoặc bấm «Hủy».".into(), fields: Vec::new() });
        }
        *slot = Some(progress.clone());
    }
    let database = state.shop().database_path();
    let worker = app.clone();
    let shared = progress.clone();
    let outcome = tauri::async_runtime::spawn_blocking(move || match database {
        Some(database) => accounting::export_from_file(&database, &form, &target, &shared),
        None => worker.state::<AppState>().shop().export_for_accountant(&form, &target, &shared),
    })
    .await;
    running().take();
    match outcome.map_err(|e| Error::Invalid { message: format!("Xuất tệp dừng giữa chừng: {e}"), fields: Vec::new() })?? {
        ExportOutcome::Written(done) => Ok(Some(done)),
        ExportOutcome::Cancelled => Ok(None),
    }
}

/// How far the export under way is; nothing when none is running.
#[tauri::command]
pub async fn accounting_export_progress() -> Result<Option<ExportProgress>, Error> {
    Ok(running().as_ref().map(|p| p.snapshot()))
}

/// "Hủy": the export stops at its next row and removes its temporary file.
#[tauri::command]
#[tracing::instrument(err(Debug, level = "warn"))]
pub async fn cancel_accounting_export() -> Result<(), Error> {
    if let Some(p) = running().as_ref() {
        p.cancel();
    }
    Ok(())
}
