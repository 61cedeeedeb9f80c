use hoadon_core::store::Customer;
use hoadon_core::{CustomerForm, Error};
use tauri::State;

use crate::state::AppState;

#[tauri::command]
#[tracing::instrument(skip(state), err(Debug, level = "warn"))]
pub async fn list_customers(state: State<'_, AppState>, search: String) -> Result<Vec<Customer>, Error> {
    state.shop().customers(&search)
}

#[tauri::command]
#[tracing::instrument(skip(state, form), err(Debug, level = "warn"))]
pub async fn save_customer(state: State<'_, AppState>, id: Option<i64>, form: CustomerForm) -> Result<Customer, Error> {
    state.shop().save_customer(id, &form)
}
