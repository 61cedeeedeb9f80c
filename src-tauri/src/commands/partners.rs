//! Partner look-up by tax code, the buyer warning before invoicing, the look-up settings, and
//! the registry's dossiers. The network is awaited without the shop's lock: the sources and
//! their cache live beside the shop (`PartnerLookups`), not inside it.

use hoadon_core::lookup::LookupMode;
use hoadon_core::{DossierQuery, DossierView, Error, LookupSettingsForm, LookupSettingsInfo, PartnerLookupResult};
use tauri::State;

use crate::state::AppState;

/// "Tra cứu" in the customer form.
#[tauri::command]
#[tracing::instrument(skip(state), err(Debug, level = "warn"))]
pub async fn lookup_partner(state: State<'_, AppState>, tax_code: String) -> Result<PartnerLookupResult, Error> {
    let partners = state.partners.current();
    partners.lookup(&tax_code, LookupMode::Online).await
}

/// Before "Xuất hóa đơn": why to ask the owner to confirm, from the cache alone.
#[tauri::command]
#[tracing::instrument(skip(state), err(Debug, level = "warn"))]
pub async fn buyer_warning(state: State<'_, AppState>, sale_id: i64) -> Result<Option<String>, Error> {
    state.shop().buyer_warning(sale_id)
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug, level = "warn"))]
pub async fn lookup_settings(state: State<'_, AppState>) -> Result<LookupSettingsInfo, Error> {
    let partners = state.partners.current();
    state.shop().lookup_settings_info(&state.partners.secrets, partners.demo())
}

/// Saves the settings (secrets to the encrypted file) and switches to them.
#[tauri::command]
#[tracing::instrument(skip_all, err(Debug, level = "warn"))]
pub async fn save_lookup_settings(state: State<'_, AppState>, form: LookupSettingsForm) -> Result<LookupSettingsInfo, Error> {
    let settings = state.shop().save_lookup_settings(&state.partners.secrets, &form)?;
    state.partners.use_settings(&settings)?;
    state.shop().lookup_settings_info(&state.partners.secrets, None)
}

/// Forgets the settings and their secrets; look-ups go back to the demo registry.
#[tauri::command]
#[tracing::instrument(skip_all, err(Debug, level = "warn"))]
pub async fn clear_lookup_settings(state: State<'_, AppState>) -> Result<LookupSettingsInfo, Error> {
    state.shop().clear_lookup_settings(&state.partners.secrets)?;
    state.partners.use_demo().await?;
    let partners = state.partners.current();
    state.shop().lookup_settings_info(&state.partners.secrets, partners.demo())
}

#[tauri::command]
#[tracing::instrument(skip(state), err(Debug, level = "warn"))]
pub async fn dossiers_received(state: State<'_, AppState>, query: DossierQuery) -> Result<Vec<u64>, Error> {
    let partners = state.partners.current();
    partners.dossiers_received(&query).await
}

#[tauri::command]
#[tracing::instrument(skip(state), err(Debug, level = "warn"))]
pub async fn dossier_latest(state: State<'_, AppState>, process_id: String) -> Result<DossierView, Error> {
    let partners = state.partners.current();
    partners.dossier_latest(&process_id).await
}

#[tauri::command]
#[tracing::instrument(skip(state), err(Debug, level = "warn"))]
pub async fn dossier_detail(state: State<'_, AppState>, journal_no: String) -> Result<DossierView, Error> {
    let partners = state.partners.current();
    partners.dossier_detail(&journal_no).await
}
