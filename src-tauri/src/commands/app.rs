use hoadon_core::AppInfo;
use tauri::State;

use crate::state::AppState;

#[tauri::command]
#[tracing::instrument(skip_all)]
pub fn app_info(state: State<'_, AppState>) -> AppInfo {
    state.info.clone()
}
