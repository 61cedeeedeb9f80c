use hoadon_einvoice::{Buyer, DraftError, InvoiceDraft, InvoiceKey, Line, SellerLocation};

use super::settings::ProviderChoice;
use hoadon_rules::calendar;
use hoadon_rules::symbol::InvoiceSymbol;
use hoadon_store::{InvoiceRecord, Sale, SaleLine};

use crate::{Error, Result, Shop};

/// The provider-neutral invoice of an invoice row, under its key and symbol: the sale's lines,
/// or for an adjustment of amounts the differences stored with the row.
pub fn draft_for_invoice(shop: &Shop, sale: &Sale, invoice: &InvoiceRecord) -> Result<InvoiceDraft> {
    let key = InvoiceKey::new(&invoice.key).map_err(|e| Error::field("key", e.to_string()))?;
    let symbol = InvoiceSymbol::parse(&invoice.template, &invoice.symbol).map_err(|e| Error::field("serial", e.to_string()))?;
    let buyer = match &sale.customer {
        None => Buyer::walk_in(),
        Some(c) => {
            let customer = shop.store().customer(c.id)?;
            // A person is the buyer (Họ tên người mua hàng) and no unit (Tên đơn vị); a
            // business is the unit, with the person who buys for it when one is named.
            let (name, buyer_name) = match customer.kind {
                hoadon_store::CustomerKind::Person => (String::new(), customer.name.clone()),
                hoadon_store::CustomerKind::Business => (customer.name.clone(), customer.buyer_name.clone()),
            };
            Buyer {
                name,
                buyer_name,
                tax_code: customer.tax_code.clone(),
                address: customer.address.clone(),
                email: customer.email.clone(),
                phone: customer.phone.clone(),
                walk_in: false,
            }
        }
    };
    let adjustment = shop.store().adjustment_of(invoice.id)?;
    let lines: &[SaleLine] = match &adjustment {
        Some(a) => &a.lines,
        None => &sale.lines,
    };
    let lines = lines
        .iter()
        .map(|l| Line::new(&l.name, &l.unit, l.quantity, l.unit_price, l.vat_rate))
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(|e| Error::field("lines", e.to_string()))?;
    let draft = InvoiceDraft::new(key, &symbol, calendar::now().date(), buyer, lines, "TM/CK", shop.zero_tens()?)
        .map_err(refused_here)?
        .with_pattern(&invoice.template);
    let draft = match &invoice.tax_authority_code {
        Some(code) => draft.with_tax_authority_code(code),
        None => draft,
    };
    let draft = match ProviderChoice::from_code(&invoice.provider) {
        Some(ProviderChoice::EasyInvoice) => match seller_location(shop)? {
            Some(place) => draft.with_seller_location(place),
            None => draft,
        },
        _ => draft,
    };
    // What the row's provider would refuse is refused here, naming the field, before the
    // row is marked as sending: nothing goes out.
    let checked = match ProviderChoice::from_code(&invoice.provider) {
        Some(ProviderChoice::EasyInvoice) => hoadon_einvoice::easyinvoice::check_draft(&draft),
        Some(ProviderChoice::Vnpt) => hoadon_einvoice::vnpt::check_draft(&draft),
        Some(ProviderChoice::Viettel) => hoadon_einvoice::viettel::check_draft(&draft),
        None => Ok(()),
    };
    checked.map_err(refused_here)?;
    Ok(draft)
}

/// A household or individual business (its tax code is the owner's 12-digit personal ID)
/// names its place of business on EasyInvoice invoices (`LocationCode`, `LocationName`,
/// `LocationAddress`, required for them): the code from Cài đặt, the name and address of
/// the shop. A company sends none, unless the owner entered a code.
fn seller_location(shop: &Shop) -> Result<Option<SellerLocation>> {
    let code = shop.store().setting(super::settings::LOCATION_CODE)?.unwrap_or_default();
    let profile = shop.profile()?;
    let household = profile
        .as_ref()
        .and_then(|p| p.tax_code.as_deref())
        .and_then(|t| hoadon_rules::TaxCode::parse(t).ok())
        .is_some_and(|t| t.kind() == hoadon_rules::tax_code::TaxCodeKind::PersonalId);
    match (code.trim(), profile) {
        ("", _) if household => Err(Error::field(
            "location_code",
            "Hộ kinh doanh xuất hóa đơn qua EasyInvoice cần mã địa điểm kinh doanh: hãy nhập trong Cài đặt › Hóa đơn điện tử.",
        )),
        ("", _) | (_, None) => Ok(None),
        (code, Some(p)) => Ok(Some(SellerLocation { code: code.to_string(), name: p.name.clone(), address: p.address.clone() })),
    }
}

/// A draft refused before sending, as a field error the form can show.
fn refused_here(e: DraftError) -> Error {
    Error::field(&e.field(), crate::customers::sentence(&e.to_string()))
}
