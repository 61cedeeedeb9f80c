//! Sao lưu in Cài đặt and the main screen's warning: the status (with the copy under way),
//! "Sao lưu ngay" and "Hủy", the folder chosen in the system dialog, the copies found, and a
//! restore followed by the re-attachment of the invoices issued since the copy.

use hoadon_core::backup::reattach::reattach_after_restore;
use hoadon_core::backup::{BackupEntry, BackupStatus, MadeBackup, RestoreReport};
use hoadon_core::rules::calendar;
use hoadon_core::store::backup::CopyProgress;
use hoadon_core::Error;
use tauri::{AppHandle, State};

use crate::backup_schedule::{self, BackupRunner};
use crate::file_dialog;
use crate::state::AppState;

fn status(state: &AppState, runner: &BackupRunner) -> Result<BackupStatus, Error> {
    let mut status = state.shop().backup_status(calendar::now().unix_timestamp())?;
    status.running = runner.progress();
    Ok(status)
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug, level = "warn"))]
pub async fn backup_status(state: State<'_, AppState>, runner: State<'_, BackupRunner>) -> Result<BackupStatus, Error> {
    status(&state, &runner)
}

/// The copy under way, read without the shop's file: what the bar polls while a copy runs,
/// so that no poll reads the file a large copy is busy with (a read that may wait behind the
/// copy's writes holds a worker "Hủy" may need).
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn backup_progress(runner: State<'_, BackupRunner>) -> Result<Option<CopyProgress>, Error> {
    Ok(runner.progress())
}

/// "Sao lưu ngay": the copy made, or nothing when "Hủy" stopped it.
#[tauri::command]
#[tracing::instrument(skip_all, err(Debug, level = "warn"))]
pub async fn back_up_now(app: AppHandle) -> Result<Option<MadeBackup>, Error> {
    backup_schedule::back_up(&app).await
}

/// "Hủy": the copy under way stops at its next step and leaves no file.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn cancel_backup(runner: State<'_, BackupRunner>) -> Result<bool, Error> {
    let running = runner.cancel();
    tracing::info!(running, "Hủy asked for the backup");
    Ok(running)
}

/// "Chọn thư mục…": the folder picked in the system dialog becomes the target; nothing
/// changes when the owner cancels.
#[tauri::command]
#[tracing::instrument(skip_all, err(Debug, level = "warn"))]
pub async fn choose_backup_folder(app: AppHandle, state: State<'_, AppState>, runner: State<'_, BackupRunner>) -> Result<BackupStatus, Error> {
    if let Some(folder) = file_dialog::folder(&app, "Chọn thư mục sao lưu").await {
        state.shop().set_backup_folder(Some(&folder), calendar::now().unix_timestamp())?;
    }
    status(&state, &runner)
}

/// "Dùng thư mục mặc định": `sao-luu` beside the database.
#[tauri::command]
#[tracing::instrument(skip_all, err(Debug, level = "warn"))]
pub async fn reset_backup_folder(state: State<'_, AppState>, runner: State<'_, BackupRunner>) -> Result<BackupStatus, Error> {
    state.shop().set_backup_folder(None, calendar::now().unix_timestamp())?;
    status(&state, &runner)
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug, level = "warn"))]
pub async fn list_backups(state: State<'_, AppState>) -> Result<Vec<BackupEntry>, Error> {
    state.shop().list_backups()
}

/// "Khôi phục" after the owner confirmed: `backup` is a file name from [`list_backups`].
#[tauri::command]
#[tracing::instrument(skip(state, runner), err(Debug, level = "warn"))]
pub async fn restore_backup(state: State<'_, AppState>, runner: State<'_, BackupRunner>, backup: String) -> Result<RestoreReport, Error> {
    if runner.is_running() {
        return Err(Error::field("backup", "Đang sao lưu; hãy đợi xong (hoặc bấm «Hủy») rồi khôi phục."));
    }
    let restore = {
        let mut shop = state.shop();
        let file = shop.backup_file(&backup)?;
        shop.restore_backup(&file, calendar::now())?
    };
    // The look-up sources are the restored shop's, as they would be at the next start.
    let lookups = state.shop().lookup_settings(&state.secrets);
    match lookups {
        Ok(settings) => {
            if let Err(e) = state.partners.follow(settings).await {
                tracing::warn!(error = %e, "the restored shop's look-up settings could not be used");
            }
        }
        Err(e) => tracing::warn!(error = %e, "the restored shop's look-up settings could not be read"),
    }
    let (reattach, reattach_error) = match state.provider() {
        Ok(provider) => match reattach_after_restore(state.shop_lock(), &state.secrets, &provider, &restore).await {
            Ok(report) => (Some(report), None),
            Err(e) => (None, Some(e.user_message())),
        },
        Err(e) => (None, Some(e.user_message())),
    };
    Ok(RestoreReport { restore, reattach, reattach_error })
}
