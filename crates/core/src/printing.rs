//! The invoice printed by the app itself (issue and draft alike), for when the provider's PDF
//! is not there: offline, a sale not invoiced yet, or a receipt for the thermal printer.

use hoadon_pdf::{Mark, Party, PrintedInvoice, PrintedLine};
use hoadon_rules::calendar;
use hoadon_rules::symbol::InvoiceSymbol;
use hoadon_rules::words::amount_in_words;
use hoadon_store::{Adjustment, AdjustmentDirection, InvoiceRecord, InvoiceStatus};

use crate::{Error, Result, Shop};

fn some(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

impl Shop {
    /// The printed form of a sale's invoice: numbered when issued, marked "BẢN NHÁP" before
    /// and "ĐÃ HỦY" after a cancellation.
    pub fn printed_invoice(&self, sale_id: i64, template: &str, serial: &str) -> Result<PrintedInvoice> {
        let sale = self.sale(sale_id)?;
        let shop = self.profile()?.unwrap_or_default();
        let latest = self.store.invoices_of_sale(sale_id)?.into_iter().last();
        let (symbol_template, symbol_serial) = match &latest {
            Some(inv) => (inv.template.clone(), inv.symbol.clone()),
            None => (template.to_string(), serial.to_string()),
        };
        let symbol = InvoiceSymbol::parse(&symbol_template, &symbol_serial).map_err(|e| Error::field("serial", e.to_string()))?;
        let (number, mark, date) = match &latest {
            Some(inv) if inv.status == InvoiceStatus::Issued => {
                (inv.number.map(|n| n as u64), Mark::None, calendar::date_of(inv.issued_at.unwrap_or(sale.sold_at)))
            }
            Some(inv) if inv.status == InvoiceStatus::Cancelled && inv.number.is_some() => {
                (inv.number.map(|n| n as u64), Mark::Cancelled, calendar::date_of(inv.issued_at.unwrap_or(sale.sold_at)))
            }
            _ => (None, Mark::Draft, calendar::date_of(sale.sold_at)),
        };
        let buyer = match &sale.customer {
            None => Party { name: String::new(), buyer_name: Some("Khách lẻ".into()), ..Default::default() },
            Some(c) => {
                let c = self.store.customer(c.id)?;
                match c.kind {
                    hoadon_store::CustomerKind::Person => Party {
                        name: String::new(),
                        buyer_name: Some(c.name.clone()),
                        tax_code: c.tax_code.clone(),
                        address: c.address.clone(),
                        phone: c.phone.clone(),
                        email: c.email.clone(),
                        bank_account: None,
                    },
                    hoadon_store::CustomerKind::Business => Party {
                        name: c.name.clone(),
                        buyer_name: some(&c.buyer_name),
                        tax_code: c.tax_code.clone(),
                        address: c.address.clone(),
                        phone: c.phone.clone(),
                        email: c.email.clone(),
                        bank_account: None,
                    },
                }
            }
        };
        // An adjustment of amounts prints its differences, not the sale it adjusts.
        let adjustment = match &latest {
            Some(inv) => self.store.adjustment_of(inv.id)?,
            None => None,
        };
        let (lines, totals) = match &adjustment {
            Some(a) => (&a.lines, a.totals.clone()),
            None => (&sale.lines, sale.totals.clone()),
        };
        let note = match &latest {
            Some(inv) => self.successor_note(inv, adjustment.as_ref())?,
            None => None,
        };
        // Only the sale itself is paid by scanning: not a cancelled invoice, nor one that
        // replaces or adjusts another.
        let payment = if mark == Mark::Cancelled || note.is_some() { None } else { self.printed_payment(&sale)? };
        Ok(PrintedInvoice {
            template: symbol.template,
            symbol: symbol.serial.clone(),
            number,
            date,
            tax_authority_code: latest.as_ref().and_then(|i| i.tax_authority_code.clone()),
            lookup_code: latest.as_ref().and_then(|i| i.lookup_code.clone()),
            seller: Party {
                name: shop.name.clone(),
                buyer_name: None,
                tax_code: shop.tax_code.clone(),
                address: shop.address.clone(),
                phone: shop.phone.clone(),
                email: shop.email.clone(),
                bank_account: some(&shop.bank_account),
            },
            buyer,
            lines: lines
                .iter()
                .map(|l| PrintedLine { name: l.name.clone(), unit: l.unit.clone(), quantity: l.quantity, unit_price: l.unit_price, amount: l.amount, vat_rate: l.vat_rate })
                .collect(),
            amount_in_words: amount_in_words(totals.total, self.zero_tens()?)?,
            totals,
            payment_method: "TM/CK".into(),
            mark,
            note,
            payment,
        })
    }

    /// For a replacing or adjusting invoice, the sentence that names the invoice it changes,
    /// as the printed form of such an invoice must.
    fn successor_note(&self, inv: &InvoiceRecord, adjustment: Option<&Adjustment>) -> Result<Option<String>> {
        let Some(original_id) = inv.replaces_id else { return Ok(None) };
        let original = self.store.invoice(original_id)?;
        let what = match (inv.relation, adjustment.map(|a| a.direction)) {
            (hoadon_store::Relation::Replace, _) => "Thay thế cho",
            (_, Some(AdjustmentDirection::Increase)) => "Điều chỉnh tăng cho",
            (_, Some(AdjustmentDirection::Decrease)) => "Điều chỉnh giảm cho",
            _ => "Điều chỉnh thông tin cho",
        };
        let date = original.issued_at.map(|t| format!(", ngày {}", calendar::format_date(calendar::date_of(t)))).unwrap_or_default();
        let reason = adjustment.map(|a| format!(" Lý do: {}.", a.reason.trim_end_matches('.'))).unwrap_or_default();
        Ok(Some(format!(
            "{what} hóa đơn mẫu số {}, ký hiệu {}, số {}{date}.{reason}",
            original.template,
            original.symbol,
            original.number.unwrap_or_default()
        )))
    }

    /// The A4 invoice (or the 80 mm receipt) of a sale, as PDF bytes.
    pub fn render_sale_pdf(&self, sale_id: i64, template: &str, serial: &str, receipt: bool) -> Result<Vec<u8>> {
        let printed = self.printed_invoice(sale_id, template, serial)?;
        let bytes = if receipt { hoadon_pdf::render_receipt(&printed) } else { hoadon_pdf::render_invoice(&printed) };
        bytes.map_err(|e| {
            tracing::error!(error = %e, sale = sale_id, "PDF rendering failed");
            Error::field("pdf", format!("Không tạo được tệp PDF: {e}"))
        })
    }
}

/// The file name of a sale's PDF: `hoa-don-1C26TAA-42` for an issued invoice (the printed
/// symbol, so a VNPT pattern's `/` never reaches a path), `don-hang-7-ban-nhap` before. Every
/// invoice record carries its own (`pdf_name`).
pub use hoadon_store::pdf_file_name;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pdf_names_carry_the_printed_symbol_never_a_slash() {
        let inv = |template: &str| InvoiceRecord {
            template: template.into(),
            symbol: "C26TAA".into(),
            number: Some(12),
            ..serde_json::from_value(serde_json::json!({
                "id": 1, "sale_id": 7, "provider": "vnpt", "key": "K", "template": "1", "symbol": "C26TAA", "number": 12,
                "status": "issued", "tax_authority_code": null, "lookup_code": null, "replaces_id": null, "relation": "original",
                "adjustment": null, "created_at": 0, "updated_at": 0, "issued_at": 0, "last_error": null, "account": null, "conflict": null
            }))
            .unwrap()
        };
        assert_eq!(pdf_file_name(7, Some(&inv("1/001"))), "hoa-don-1C26TAA-12");
        assert_eq!(pdf_file_name(7, Some(&inv("1"))), "hoa-don-1C26TAA-12");
        assert_eq!(pdf_file_name(7, None), "don-hang-7-ban-nhap");
    }
}
