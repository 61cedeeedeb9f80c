//! E-invoices of sales: settings, issue, reconcile, cancel, the lists, and the PDF.

use std::path::PathBuf;

use hoadon_core::invoicing::{
    AdjustmentForm, Change, InvoiceRow, InvoiceSettingsForm, InvoiceSettingsSaved, InvoiceSettingsView, PatternChoice, PortalReference, QueueReport, TaxVerdictView,
};
use hoadon_core::store::{Adjustment, InvoiceEvent, InvoiceRecord, InvoiceStatus};
use hoadon_core::Error;
use serde::Deserialize;
use tauri::{AppHandle, State};
use tauri_plugin_opener::OpenerExt;

use crate::file_dialog::{self, Dialog};
use crate::state::AppState;

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug, level = "warn"))]
pub async fn invoice_settings(state: State<'_, AppState>) -> Result<InvoiceSettingsView, Error> {
    state.shop().invoice_settings(&state.secrets)
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug, level = "warn"))]
/// Saves unless the form names another account while invoices still wait for the current
/// one: then nothing is saved and the answer lists them, until the owner confirms
/// (`confirm: true`).
pub async fn save_invoice_settings(state: State<'_, AppState>, form: InvoiceSettingsForm, confirm: Option<bool>) -> Result<InvoiceSettingsSaved, Error> {
    state.shop().save_invoice_settings_checked(&state.secrets, &form, confirm.unwrap_or(false))
}

/// "Kiểm tra kết nối": signs in to the provider with the saved settings (and for VNPT reads
/// the tenant's WSDL).
#[tauri::command]
#[tracing::instrument(skip_all, err(Debug, level = "warn"))]
pub async fn check_provider_connection(state: State<'_, AppState>) -> Result<String, Error> {
    let provider = state.provider()?;
    hoadon_core::Shop::check_provider_connection(state.shop_lock(), &provider).await
}

/// "Lấy từ nhà cung cấp": the templates and serials registered at the provider.
#[tauri::command]
#[tracing::instrument(skip_all, err(Debug, level = "warn"))]
pub async fn provider_patterns(state: State<'_, AppState>) -> Result<Vec<PatternChoice>, Error> {
    let provider = state.provider()?;
    hoadon_core::invoicing::provider_patterns(&provider).await
}

#[tauri::command]
#[tracing::instrument(skip(state), err(Debug, level = "warn"))]
pub async fn issue_invoice(state: State<'_, AppState>, sale_id: i64) -> Result<InvoiceRecord, Error> {
    let provider = state.provider()?;
    state.invoicer.issue(state.shop_lock(), &state.secrets, &provider, sale_id).await
}

#[tauri::command]
#[tracing::instrument(skip(state), err(Debug, level = "warn"))]
pub async fn reconcile_invoice(state: State<'_, AppState>, invoice_id: i64) -> Result<InvoiceRecord, Error> {
    let provider = state.provider()?;
    state.invoicer.reconcile(state.shop_lock(), &state.secrets, &provider, invoice_id).await
}

/// "Xuất lại với mã mới" on a "Trùng mã" invoice, after the owner confirmed.
#[tauri::command]
#[tracing::instrument(skip(state), err(Debug, level = "warn"))]
pub async fn reissue_invoice_new_key(state: State<'_, AppState>, invoice_id: i64) -> Result<InvoiceRecord, Error> {
    let provider = state.provider()?;
    state.invoicer.reissue_with_new_key(state.shop_lock(), &state.secrets, &provider, invoice_id).await
}

#[tauri::command]
#[tracing::instrument(skip(state), err(Debug, level = "warn"))]
pub async fn cancel_invoice(state: State<'_, AppState>, invoice_id: i64, reason: String) -> Result<InvoiceRecord, Error> {
    let provider = state.provider()?;
    state.invoicer.cancel(state.shop_lock(), &provider, invoice_id, &reason).await
}

/// "Thay thế" / "Điều chỉnh thông tin" on the page of an issued invoice.
#[tauri::command]
#[tracing::instrument(skip(state), err(Debug, level = "warn"))]
pub async fn change_invoice(state: State<'_, AppState>, invoice_id: i64, change: Change) -> Result<InvoiceRecord, Error> {
    let provider = state.provider()?;
    state.invoicer.change(state.shop_lock(), &state.secrets, &provider, invoice_id, change).await
}

/// "Điều chỉnh tăng / giảm" on the page of an issued invoice.
#[tauri::command]
#[tracing::instrument(skip(state, form), err(Debug, level = "warn"))]
pub async fn adjust_invoice_amounts(state: State<'_, AppState>, invoice_id: i64, form: AdjustmentForm) -> Result<InvoiceRecord, Error> {
    let provider = state.provider()?;
    state.invoicer.adjust_amounts(state.shop_lock(), &state.secrets, &provider, invoice_id, &form).await
}

/// The differences an adjusting invoice carries; `null` for any other invoice.
#[tauri::command]
#[tracing::instrument(skip(state), err(Debug, level = "warn"))]
pub async fn invoice_adjustment(state: State<'_, AppState>, invoice_id: i64) -> Result<Option<Adjustment>, Error> {
    Ok(state.shop().store().adjustment_of(invoice_id)?)
}

/// What to type in the provider's portal to find the invoice, where it is not the key
/// (Viettel's transaction id); `null` elsewhere.
#[tauri::command]
#[tracing::instrument(skip(state), err(Debug, level = "warn"))]
pub async fn invoice_portal_reference(state: State<'_, AppState>, invoice_id: i64) -> Result<Option<PortalReference>, Error> {
    state.shop().portal_reference(invoice_id)
}

/// "CQT đã cấp mã" / "CQT từ chối: …" on the invoice page.
#[tauri::command]
#[tracing::instrument(skip(state), err(Debug, level = "warn"))]
pub async fn invoice_tax_verdict(state: State<'_, AppState>, invoice_id: i64) -> Result<TaxVerdictView, Error> {
    let provider = state.provider()?;
    hoadon_core::invoicing::tax_verdict(state.shop_lock(), &provider, invoice_id).await
}

#[tauri::command]
#[tracing::instrument(skip(state), err(Debug, level = "warn"))]
pub async fn list_invoices(state: State<'_, AppState>, statuses: Vec<InvoiceStatus>) -> Result<Vec<InvoiceRow>, Error> {
    state.shop().invoice_rows(&statuses)
}

#[tauri::command]
#[tracing::instrument(skip(state), err(Debug, level = "warn"))]
pub async fn invoice_events(state: State<'_, AppState>, invoice_id: i64) -> Result<Vec<InvoiceEvent>, Error> {
    Ok(state.shop().store().invoice_events(invoice_id)?)
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug, level = "warn"))]
pub async fn process_invoice_queue(state: State<'_, AppState>) -> Result<QueueReport, Error> {
    let provider = state.provider()?;
    state.invoicer.process_queue(state.shop_lock(), &state.secrets, &provider).await
}

/// Where a PDF comes from: the provider's (the legal one, for an issued invoice) or the app's.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PdfSource {
    Provider,
    App,
}

async fn pdf_bytes(state: &AppState, sale_id: i64, source: PdfSource, receipt: bool) -> Result<(Vec<u8>, String), Error> {
    let live = state.shop().store().invoices_of_sale(sale_id)?.into_iter().last();
    let issued = live.as_ref().filter(|i| matches!(i.status, InvoiceStatus::Issued | InvoiceStatus::Cancelled) && i.number.is_some());
    let name = hoadon_core::printing::pdf_file_name(sale_id, issued);
    if let (PdfSource::Provider, Some(inv), false) = (source, issued, receipt) {
        let provider = state.provider()?;
        let bytes = state.invoicer.provider_pdf(state.shop_lock(), &provider, inv.id).await?;
        return Ok((bytes, name));
    }
    let view = state.shop().invoice_settings(&state.secrets)?;
    let bytes = state.shop().render_sale_pdf(sale_id, &view.template, &view.serial, receipt)?;
    Ok((bytes, if receipt { format!("{name}-bien-lai") } else { name }))
}

fn pdf_error(e: std::io::Error, path: &std::path::Path) -> Error {
    tracing::error!(error = %e, path = %path.display(), "cannot write the PDF");
    Error::field("pdf", format!("Không ghi được tệp PDF vào {}.", path.display()))
}

/// "In hóa đơn": writes the PDF to the data folder and opens it in the system's viewer,
/// whose print dialog prints it. Returns the file's path.
#[tauri::command]
#[tracing::instrument(skip(app, state), err(Debug, level = "warn"))]
pub async fn open_invoice_pdf(app: AppHandle, state: State<'_, AppState>, sale_id: i64, source: PdfSource, receipt: bool) -> Result<String, Error> {
    let (bytes, name) = pdf_bytes(&state, sale_id, source, receipt).await?;
    let dir = PathBuf::from(&state.info.db_path).parent().map(|p| p.join("pdf")).unwrap_or_else(|| PathBuf::from("pdf"));
    std::fs::create_dir_all(&dir).map_err(|e| pdf_error(e, &dir))?;
    let path = dir.join(format!("{name}.pdf"));
    std::fs::write(&path, &bytes).map_err(|e| pdf_error(e, &path))?;
    if std::env::var_os("HOADON_NO_VIEWER").is_none() {
        app.opener().open_path(path.to_string_lossy(), None::<&str>).map_err(|e| {
            tracing::warn!(error = %e, "no PDF viewer");
            Error::field("pdf", format!("Đã lưu PDF tại {} nhưng không mở được trình xem PDF của máy.", path.display()))
        })?;
    }
    Ok(path.display().to_string())
}

/// "Lưu PDF": asks where in the save dialog and writes the PDF there. Returns the path, or
/// nothing when the owner cancels.
#[tauri::command]
#[tracing::instrument(skip(app, state), err(Debug, level = "warn"))]
pub async fn save_invoice_pdf(
    app: AppHandle,
    state: State<'_, AppState>,
    sale_id: i64,
    source: PdfSource,
    receipt: bool,
) -> Result<Option<String>, Error> {
    let (bytes, name) = pdf_bytes(&state, sale_id, source, receipt).await?;
    let dialog = Dialog { title: "Lưu PDF hóa đơn", filter: ("PDF", &["pdf"]) };
    let Some(path) = file_dialog::save(&app, dialog, &format!("{name}.pdf")).await else {
        return Ok(None);
    };
    std::fs::write(&path, &bytes).map_err(|e| pdf_error(e, &path))?;
    Ok(Some(path.display().to_string()))
}
