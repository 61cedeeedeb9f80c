//! Invoices as a shop in Ho Chi Minh City would issue them, shared by the tests and the
//! benchmark so that what is measured is what is checked.

#![allow(dead_code)]

use hoadon_pdf::{Mark, Party, PrintedInvoice, PrintedLine};
use hoadon_rules::symbol::Template;
use hoadon_rules::vat::{TaxedLine, VatTotals};
use hoadon_rules::words::{amount_in_words, ZeroTens};
use hoadon_rules::{Dong, Quantity, VatRate};
use time::macros::date;

pub const BUYER_COMPANY: &str = "Công ty TNHH Thương mại Dịch vụ Đặng Hưởng Phước Lộc";
pub const BUYER_PERSON: &str = "Nguyễn Thị Ánh Tuyết";

const GOODS: [(&str, &str, i64, i64, VatRate); 8] = [
    ("Cà phê rang xay Buôn Ma Thuột loại đặc biệt", "gói", 2_000, 825_000, VatRate::Ten),
    ("Bánh phồng tôm Sa Giang", "hộp", 3_000, 45_000, VatRate::Eight),
    ("Gạo ST25 Sóc Trăng", "kg", 12_500, 32_000, VatRate::Five),
    (
        "Dịch vụ vận chuyển và lắp đặt tủ lạnh Panasonic Inverter 322 lít tại nhà khách hàng \
         trong nội thành Thành phố Hồ Chí Minh (bao gồm công tháo dỡ tủ cũ)",
        "lần",
        1_000,
        350_000,
        VatRate::Ten,
    ),
    ("Nước mắm Phú Quốc 40 độ đạm", "chai", 6_000, 68_000, VatRate::Eight),
    ("Sách giáo khoa Tiếng Việt lớp 1", "cuốn", 4_000, 25_000, VatRate::Kct),
    ("Đường phèn Quảng Ngãi", "kg", 1_750, 58_000, VatRate::Eight),
    ("Trà Ô Long Bảo Lộc thượng hạng", "hộp", 1_000, 1_250_000, VatRate::Ten),
];

pub fn seller() -> Party {
    Party {
        name: "Hộ kinh doanh Tạp hóa Minh Khai".into(),
        buyer_name: None,
        tax_code: Some("0312345678".into()),
        address: "Số 12 đường Nguyễn Trãi, Phường Bến Thành, Quận 1, TP. Hồ Chí Minh".into(),
        phone: "0903 123 456".into(),
        email: "taphoaminhkhai@gmail.com".into(),
        bank_account: Some("0071000123456 - Vietcombank CN Sài Gòn".into()),
    }
}

pub fn buyer() -> Party {
    Party {
        name: BUYER_COMPANY.into(),
        buyer_name: Some(BUYER_PERSON.into()),
        tax_code: Some("0109876543".into()),
        address: "Tầng 5, Tòa nhà Phước Lộc, 215 Lê Thánh Tôn, Phường Bến Thành, Quận 1, TP. Hồ Chí Minh"
            .into(),
        phone: String::new(),
        email: String::new(),
        bank_account: None,
    }
}

/// An invoice of `n` lines cycling through the goods above, with totals and words computed by
/// the rules crate exactly as the app does.
pub fn invoice(n: usize) -> PrintedInvoice {
    let lines: Vec<PrintedLine> = (0..n)
        .map(|i| {
            let (name, unit, q, p, rate) = GOODS[i % GOODS.len()];
            let quantity = Quantity(q);
            let unit_price = Dong(p);
            PrintedLine {
                name: if i < GOODS.len() { name.to_string() } else { format!("{name} (lô {})", i + 1) },
                unit: unit.into(),
                quantity,
                unit_price,
                amount: quantity.times(unit_price).unwrap(),
                vat_rate: rate,
            }
        })
        .collect();
    let totals = VatTotals::of(lines.iter().map(|l| TaxedLine { amount: l.amount, rate: l.vat_rate })).unwrap();
    PrintedInvoice {
        template: Template::Vat,
        symbol: "1C26TAA".into(),
        number: Some(123),
        date: date!(2026 - 03 - 05),
        tax_authority_code: Some("00A1B2C3D4E5F6A7B8C9D0E1F2A3B4C5D6".into()),
        lookup_code: Some("MK26-000123".into()),
        seller: seller(),
        buyer: buyer(),
        amount_in_words: amount_in_words(totals.total, ZeroTens::Linh).unwrap(),
        lines,
        totals,
        payment_method: "TM/CK".into(),
        mark: Mark::None,
        note: None,
        payment: None,
    }
}

/// A sale at the counter: a cash-register symbol (type letter M), a walk-in buyer.
pub fn till_sale(n: usize) -> PrintedInvoice {
    let mut inv = invoice(n);
    inv.symbol = "1C26MAA".into();
    inv.tax_authority_code = Some("M1-26-ABC12-00000000123".into());
    inv.buyer = Party { name: String::new(), buyer_name: Some(BUYER_PERSON.into()), ..Party::default() };
    inv
}
