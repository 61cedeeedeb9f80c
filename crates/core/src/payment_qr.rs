//! The shop's VietQR code: which bank account a buyer pays into by scanning, saved in Cài
//! đặt, and the code of one sale (its total and a note naming the sale or its invoice) for
//! the sale screen and the printed receipt and invoice.
//!
//! Nothing here is secret (an account number is printed on every invoice), so the settings
//! live in the `settings` table under `payment.settings`, not in the [`crate::SecretStore`].

pub use hoadon_payment_qr::Bank;

use hoadon_payment_qr::{bank, Beneficiary, PaymentCode, PaymentQrError, QrImage};
use hoadon_pdf::PrintedPayment;
use hoadon_rules::Dong;
use hoadon_store::{InvoiceRecord, InvoiceStatus, Sale, SaleStatus};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{Error, FieldError, Result, Shop};

const SETTINGS_KEY: &str = "payment.settings";
/// The holder's name as banks print it fits in this; a longer one is a paste gone wrong.
const MAX_ACCOUNT_NAME: usize = 70;

/// Whether the number is an account or a card: the code tells the buyer's bank which
/// (`QRIBFTTA` or `QRIBFTTC`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum PaymentTarget {
    /// A bank account number (số tài khoản).
    #[default]
    Account,
    /// A card number (số thẻ).
    Card,
}

/// The shop's bank account for VietQR, as typed in Cài đặt (and as saved, once checked).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PaymentSettingsForm {
    /// The bank's NAPAS BIN, picked from [`payment_banks`](Shop::payment_banks).
    pub bank_bin: String,
    /// Account or card number, digits only.
    pub account_number: String,
    /// The holder's name as the bank has it ("NGUYEN VAN A").
    pub account_name: String,
    /// Account or card.
    #[serde(default)]
    pub target: PaymentTarget,
}

impl PaymentSettingsForm {
    fn beneficiary(&self) -> Beneficiary {
        match self.target {
            PaymentTarget::Account => Beneficiary::Account(self.account_number.clone()),
            PaymentTarget::Card => Beneficiary::Card(self.account_number.clone()),
        }
    }

    /// Every wrong box at once, each named.
    fn checked(&self) -> Result<PaymentSettingsForm> {
        let form = PaymentSettingsForm {
            bank_bin: self.bank_bin.trim().to_string(),
            account_number: self.account_number.trim().to_string(),
            account_name: self.account_name.trim().to_string(),
            target: self.target,
        };
        let mut errors = Vec::new();
        if bank(&form.bank_bin).is_none() {
            let e = PaymentQrError::UnknownBank(form.bank_bin.clone());
            errors.push(FieldError::new(e.field(), if form.bank_bin.is_empty() { "Chưa chọn ngân hàng.".into() } else { e.to_string() }));
        }
        if let Err(e) = hoadon_payment_qr::payload::check_account(&form.account_number) {
            errors.push(FieldError::new(e.field(), e.to_string()));
        }
        if form.account_name.is_empty() {
            errors.push(FieldError::new("account_name", "Chưa nhập tên chủ tài khoản (như ngân hàng ghi, ví dụ NGUYEN VAN A)."));
        } else if form.account_name.chars().count() > MAX_ACCOUNT_NAME || form.account_name.chars().any(char::is_control) {
            errors.push(FieldError::new(
                "account_name",
                format!("Tên chủ tài khoản tối đa {MAX_ACCOUNT_NAME} ký tự, trên một dòng."),
            ));
        }
        if errors.is_empty() { Ok(form) } else { Err(Error::invalid(errors)) }
    }
}

/// One sale's code, for "Quét mã để thanh toán" on the sale screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SalePaymentCode {
    /// The sale.
    #[ts(type = "number")]
    pub sale_id: i64,
    /// The EMVCo text of the code.
    pub payload: String,
    /// The code as an SVG `data:` URL, for an `<img>`.
    pub image: String,
    /// What the code asks for, in đồng: the sale's total.
    #[ts(type = "number")]
    pub amount: i64,
    /// The transfer note the code carries ("Don hang 42", "Hoa don 123 C26TAA").
    pub note: String,
    /// The bank, as picked.
    pub bank: Bank,
    /// Account or card number.
    pub account_number: String,
    /// The holder.
    pub account_name: String,
}

fn refused(e: PaymentQrError) -> Error {
    Error::field(e.field(), e.to_string())
}

/// The note a transfer for this sale carries: the invoice's number once it has one (what the
/// shop's books match a payment against), the sale's number before. Plain ASCII on purpose:
/// banks carry the note without diacritics.
pub fn transfer_note(sale_id: i64, invoice: Option<&InvoiceRecord>) -> String {
    match invoice.and_then(|i| i.number.filter(|_| i.status == InvoiceStatus::Issued).map(|n| (n, &i.symbol))) {
        Some((number, symbol)) => format!("Hoa don {number} {symbol}"),
        None => format!("Don hang {sale_id}"),
    }
}

impl Shop {
    /// The banks of the picker, NAPAS 247 members with their BIN.
    pub fn payment_banks(&self) -> &'static [Bank] {
        hoadon_payment_qr::banks()
    }

    /// The saved account, or `None` before one was saved.
    pub fn payment_settings(&self) -> Result<Option<PaymentSettingsForm>> {
        let Some(json) = self.store.setting(SETTINGS_KEY)? else { return Ok(None) };
        match serde_json::from_str(&json) {
            Ok(form) => Ok(Some(form)),
            Err(e) => {
                // A row this version cannot read counts as not set: Cài đặt still opens and
                // saving again replaces it.
                tracing::warn!(error = %e, "unreadable payment settings");
                Ok(None)
            }
        }
    }

    /// Checks and saves the account; nothing is written when a box is wrong.
    pub fn save_payment_settings(&self, form: &PaymentSettingsForm) -> Result<PaymentSettingsForm> {
        let form = form.checked()?;
        self.store.set_setting(SETTINGS_KEY, &serde_json::to_string(&form).expect("the form serialises"))?;
        Ok(form)
    }

    /// Forgets the account: sales and prints carry no code any more.
    pub fn clear_payment_settings(&self) -> Result<()> {
        Ok(self.store.remove_setting(SETTINGS_KEY)?)
    }

    /// The code for paying a sale, or `None` while no account is saved or when there is
    /// nothing to pay (a total of 0, a failed sale).
    pub fn sale_payment_code(&self, sale_id: i64) -> Result<Option<SalePaymentCode>> {
        let sale = self.sale(sale_id)?;
        let Some(settings) = self.payment_settings()? else { return Ok(None) };
        if !payable(&sale) {
            return Ok(None);
        }
        let (code, note) = code_of(&settings, &sale)?;
        let image = QrImage::encode(code.payload()).map_err(refused)?;
        Ok(Some(SalePaymentCode {
            sale_id,
            payload: code.payload().to_string(),
            image: image.to_svg_data_url(),
            amount: sale.totals.total.0,
            note,
            bank: bank(&settings.bank_bin).cloned().ok_or_else(|| refused(PaymentQrError::UnknownBank(settings.bank_bin.clone())))?,
            account_number: settings.account_number,
            account_name: settings.account_name,
        }))
    }

    /// The code printed on a sale's receipt and invoice: `None` while no account is saved or
    /// when there is nothing to pay.
    pub(crate) fn printed_payment(&self, sale: &Sale) -> Result<Option<PrintedPayment>> {
        let Some(settings) = self.payment_settings()? else { return Ok(None) };
        if !payable(sale) {
            return Ok(None);
        }
        let (code, note) = code_of(&settings, sale)?;
        Ok(Some(PrintedPayment {
            payload: code.payload().to_string(),
            bank: bank(&settings.bank_bin).map(|b| b.short_name.clone()).unwrap_or_default(),
            account_number: settings.account_number,
            account_name: settings.account_name,
            amount: sale.totals.total,
            note,
        }))
    }
}

/// Whether a buyer owes anything: a failed (cancelled) sale or one of 0 đồng carries no code.
fn payable(sale: &Sale) -> bool {
    sale.totals.total > Dong::ZERO && sale.status != SaleStatus::Failed
}

/// The sale's code under the saved account, and the note it carries.
fn code_of(settings: &PaymentSettingsForm, sale: &Sale) -> Result<(PaymentCode, String)> {
    let note = transfer_note(sale.id, sale.invoice.as_ref());
    let amount = u64::try_from(sale.totals.total.0).expect("a payable sale's total is positive");
    let code = PaymentCode::new(&settings.bank_bin, &settings.beneficiary(), Some(amount), &note).map_err(refused)?;
    Ok((code, note))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn invoice(status: &str, number: Option<i64>) -> InvoiceRecord {
        serde_json::from_value(serde_json::json!({
            "id": 1, "sale_id": 42, "provider": "vnpt", "key": "K", "template": "1/001", "symbol": "C26TAA", "number": number,
            "status": status, "tax_authority_code": null, "lookup_code": null, "replaces_id": null, "relation": "original",
            "adjustment": null, "created_at": 0, "updated_at": 0, "issued_at": 0, "last_error": null, "account": null, "conflict": null
        }))
        .unwrap()
    }

    #[test]
    fn the_note_names_the_invoice_once_issued_else_the_sale() {
        assert_eq!(transfer_note(42, None), "Don hang 42");
        assert_eq!(transfer_note(42, Some(&invoice("queued", None))), "Don hang 42");
        assert_eq!(transfer_note(42, Some(&invoice("issued", Some(12_345_678)))), "Hoa don 12345678 C26TAA");
        assert_eq!(transfer_note(42, Some(&invoice("cancelled", Some(7)))), "Don hang 42", "a cancelled number is not the reference");
        // The longest the app makes still fits the 25 characters of tag 62/08: a sale number
        // of 16 digits (a shop makes far fewer sales) and an invoice number of 8 (the most the
        // law allows).
        assert!(transfer_note(9_999_999_999_999_999, None).len() <= hoadon_payment_qr::MAX_NOTE_LEN);
        assert!(transfer_note(1, Some(&invoice("issued", Some(99_999_999)))).len() <= hoadon_payment_qr::MAX_NOTE_LEN);
    }
}
