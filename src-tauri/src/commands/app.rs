use hoadon_core::AppInfo;
use tauri::State;

use crate::state::AppState;

#[tauri::command]
#[tracing::instrument(skip_all)]
pub fn app_info(state: State<'_, AppState>) -> AppInfo {
    // Read from the shop each time: a restore may have put back a shop with or without the
    // demo data.
    let demo = state.shop().profile().ok().flatten().is_some_and(|p| p.is_demo);
    AppInfo { demo, ..state.info.clone() }
}
