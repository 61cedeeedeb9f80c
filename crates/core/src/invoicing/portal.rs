//! How the provider's own portal names an invoice, where it is not by the key the app sent:
//! Viettel's portal searches by the transaction id the key is hashed into, which the app never
//! stores (it is worked out again from the key each time).

use hoadon_einvoice::viettel::requests::transaction_uuid;
use hoadon_einvoice::InvoiceKey;
use serde::Serialize;
use ts_rs::TS;

use super::ProviderChoice;
use crate::{Result, Shop};

/// What to type in the provider's portal to find the invoice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct PortalReference {
    /// What the portal calls it, in Vietnamese.
    pub label: String,
    /// The value itself.
    pub value: String,
}

impl Shop {
    /// The portal's name for invoice `invoice_id`; `None` where the portal knows the key.
    pub fn portal_reference(&self, invoice_id: i64) -> Result<Option<PortalReference>> {
        let invoice = self.store.invoice(invoice_id)?;
        let Some(provider) = ProviderChoice::from_code(&invoice.provider) else { return Ok(None) };
        Ok(reference_of(provider, &invoice.key).map(|value| PortalReference { label: "Mã giao dịch ở Viettel (transactionUuid)".into(), value }))
    }
}

/// The provider's own id of the invoice sent under `key`, where it is not the key itself:
/// what Viettel's portal and its list of invoices name it by.
pub(crate) fn reference_of(provider: ProviderChoice, key: &str) -> Option<String> {
    match (provider, InvoiceKey::new(key)) {
        (ProviderChoice::Viettel, Ok(key)) => Some(transaction_uuid(&key)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hoadon_store::{InvoiceStatus, NewInvoice, NewSale, NewSaleLine, Relation, SaleStatus};

    fn invoice_of(shop: &Shop, provider: &str, key: &str) -> i64 {
        let line = NewSaleLine {
            product_id: None,
            name: "Trà".into(),
            unit: "gói".into(),
            quantity: hoadon_rules::Quantity(1000),
            unit_price: hoadon_rules::Dong(10_000),
            vat_rate: hoadon_rules::VatRate::Ten,
        };
        let sale = shop
            .store
            .add_sale(&NewSale { customer_id: None, seller_id: None, status: SaleStatus::Completed, sold_at: 0, note: String::new(), lines: vec![line] })
            .unwrap();
        let new = NewInvoice {
            sale_id: sale.id,
            provider: provider.into(),
            key: key.into(),
            template: "1/001".into(),
            symbol: "C26TAA".into(),
            status: InvoiceStatus::Sending,
            tax_authority_code: None,
            replaces_id: None,
            relation: Relation::Original,
            account: None,
        };
        shop.store.create_invoice(&new).unwrap().id
    }

    #[test]
    fn only_viettel_s_portal_names_an_invoice_otherwise_than_by_its_key() {
        let dir = tempfile::tempdir().unwrap();
        let shop = Shop::open(dir.path().join("hoadon.db")).unwrap();
        let viettel = invoice_of(&shop, "viettel", "HD-2026-0001");
        // The id Viettel's own tests and the simulator's typed requests use for this key.
        assert_eq!(shop.portal_reference(viettel).unwrap().unwrap().value, "5ee1a31e-a4b4-3222-84a3-9f137bd9a0b1");
        for provider in ["vnpt", "easyinvoice"] {
            assert_eq!(shop.portal_reference(invoice_of(&shop, provider, &format!("HD-{provider}"))).unwrap(), None);
        }
    }
}
