use hoadon_core::store::{Sale, SaleSummary};
use hoadon_core::{Error, SaleForm, SaleLineForm, SalePreview, SalesQuery};
use tauri::State;

use crate::state::AppState;

/// Runs on every keystroke of the sale screen, so it is not traced.
#[tauri::command]
pub async fn preview_sale(state: State<'_, AppState>, lines: Vec<SaleLineForm>) -> Result<SalePreview, Error> {
    state.shop().preview_sale(&lines)
}

#[tauri::command]
#[tracing::instrument(skip(state, form), err(Debug, level = "warn"))]
pub async fn save_sale(state: State<'_, AppState>, form: SaleForm) -> Result<Sale, Error> {
    state.shop().save_sale(&form)
}

#[tauri::command]
#[tracing::instrument(skip(state), err(Debug, level = "warn"))]
pub async fn list_sales(state: State<'_, AppState>, query: SalesQuery) -> Result<Vec<SaleSummary>, Error> {
    state.shop().sales(&query)
}

#[tauri::command]
#[tracing::instrument(skip(state), err(Debug, level = "warn"))]
pub async fn get_sale(state: State<'_, AppState>, id: i64) -> Result<Sale, Error> {
    state.shop().sale(id)
}
