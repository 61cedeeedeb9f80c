use hoadon_core::store::ShopProfile;
use hoadon_core::{Error, ShopForm};
use tauri::State;

use crate::state::AppState;

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug, level = "warn"))]
pub async fn shop_profile(state: State<'_, AppState>) -> Result<Option<ShopProfile>, Error> {
    state.shop().profile()
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug, level = "warn"))]
pub async fn save_shop_profile(state: State<'_, AppState>, form: ShopForm) -> Result<ShopProfile, Error> {
    state.shop().save_profile(&form)
}
