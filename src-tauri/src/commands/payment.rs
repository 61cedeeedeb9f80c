//! The shop's VietQR account in Cài đặt and the code of a saved sale.

use hoadon_core::{Bank, Error, PaymentSettingsForm, SalePaymentCode};
use tauri::State;

use crate::state::AppState;

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug, level = "warn"))]
pub async fn payment_banks(state: State<'_, AppState>) -> Result<Vec<Bank>, Error> {
    Ok(state.shop().payment_banks().to_vec())
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug, level = "warn"))]
pub async fn payment_settings(state: State<'_, AppState>) -> Result<Option<PaymentSettingsForm>, Error> {
    state.shop().payment_settings()
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug, level = "warn"))]
pub async fn save_payment_settings(state: State<'_, AppState>, form: PaymentSettingsForm) -> Result<PaymentSettingsForm, Error> {
    state.shop().save_payment_settings(&form)
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug, level = "warn"))]
pub async fn clear_payment_settings(state: State<'_, AppState>) -> Result<(), Error> {
    state.shop().clear_payment_settings()
}

#[tauri::command]
#[tracing::instrument(skip(state), err(Debug, level = "warn"))]
pub async fn sale_payment_code(state: State<'_, AppState>, sale_id: i64) -> Result<Option<SalePaymentCode>, Error> {
    state.shop().sale_payment_code(sale_id)
}
