use hoadon_core::store::Product;
use hoadon_core::{Error, ProductForm};
use tauri::State;

use crate::state::AppState;

#[tauri::command]
#[tracing::instrument(skip(state), err(Debug, level = "warn"))]
pub async fn list_products(state: State<'_, AppState>, search: String) -> Result<Vec<Product>, Error> {
    state.shop().products(&search)
}

#[tauri::command]
#[tracing::instrument(skip(state, form), err(Debug, level = "warn"))]
pub async fn save_product(state: State<'_, AppState>, id: Option<i64>, form: ProductForm) -> Result<Product, Error> {
    state.shop().save_product(id, &form)
}
