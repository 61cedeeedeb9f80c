//! The demo data a new shop starts with, so every screen has something to show.
//!
//! Filled only into an empty database, labelled as demo (the shop's name says so and
//! `is_demo` is set), and deterministic: the same `now` gives the same shop, which lets the
//! tests and the MOIT figures be compared across runs.

use hoadon_rules::{calendar, Dong, Quantity, TaxCode, VatRate};
use hoadon_store::{CustomerKind, NewCustomer, NewProduct, NewSale, NewSaleLine, NewSeller, Product, SaleStatus, ShopProfile};
use serde::Serialize;
use time::Duration;

use crate::{Result, Shop};

/// What [`Shop::fill_demo_data`] put into the new shop, for the log and the CLI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DemoSummary {
    /// Products added to the catalogue.
    pub products: usize,
    /// Customers added.
    pub customers: usize,
    /// Sellers, the shop itself included.
    pub sellers: usize,
    /// Sales recorded.
    pub sales: usize,
    /// Days with website visits recorded (from the start of last year to today).
    pub visit_days: usize,
}

/// (SKU, name, unit, price, rate, seller) — seller 0 is the shop itself.
const PRODUCTS: &[(&str, &str, &str, i64, &str, usize)] = &[
    ("CF-RX500", "Cà phê rang xay Buôn Ma Thuột 500g", "gói", 145_000, "8", 0),
    ("CF-HT250", "Cà phê hòa tan 3 trong 1 (hộp 18 gói)", "hộp", 62_000, "8", 0),
    ("TRA-ST100", "Trà Shan Tuyết cổ thụ Hà Giang 100g", "hộp", 230_000, "10", 1),
    ("TRA-OL200", "Trà Ô Long Lâm Đồng 200g", "gói", 180_000, "10", 1),
    ("GAO-ST25", "Gạo ST25 Sóc Trăng", "kg", 34_000, "5", 0),
    ("GAO-NEP", "Gạo nếp cái hoa vàng", "kg", 42_000, "5", 0),
    ("NM-PQ500", "Nước mắm Phú Quốc 40 độ đạm 500ml", "chai", 95_000, "10", 0),
    ("MAT-ONG", "Mật ong hoa nhãn Hưng Yên 500ml", "chai", 160_000, "10", 0),
    ("HAT-DIEU", "Hạt điều rang muối Bình Phước 500g", "hũ", 210_000, "8", 0),
    ("BANH-PIA", "Bánh pía Sóc Trăng sầu riêng", "hộp", 75_000, "8", 0),
    ("KEO-DUA", "Kẹo dừa Bến Tre", "gói", 38_000, "8", 0),
    ("MUOI-TOM", "Muối tôm Tây Ninh", "hũ", 25_000, "8", 0),
    ("GOM-BT01", "Bộ ấm chén gốm Bát Tràng men lam", "bộ", 650_000, "10", 2),
    ("GOM-BT02", "Bình hoa gốm Bát Tràng vẽ tay", "cái", 420_000, "10", 2),
    ("NON-LA", "Nón lá Huế bài thơ", "cái", 120_000, "10", 0),
    ("LUA-VN", "Khăn lụa tơ tằm Vạn Phúc", "chiếc", 350_000, "10", 0),
    ("RAU-CAI", "Rau cải ngọt hữu cơ", "kg", 28_000, "KCT", 0),
    ("TRUNG-GA", "Trứng gà ta (vỉ 10 quả)", "vỉ", 45_000, "KCT", 0),
    ("SACH-HD", "Sách hướng dẫn pha chế cà phê", "cuốn", 98_000, "0", 0),
    ("GIAO-HANG", "Phí giao hàng nội thành", "lần", 30_000, "10", 0),
];

/// (kind, name, buyer, tax code, address, e-mail, phone)
const CUSTOMERS: &[(CustomerKind, &str, &str, &str, &str, &str, &str)] = &[
    (CustomerKind::Business, "Công ty TNHH Thương mại Dịch vụ Ánh Dương", "Trần Văn Bình", "0100109106", "12 Lê Lợi, phường Bến Nghé, Quận 1, TP. Hồ Chí Minh", "ketoan@anhduong.vn", "0283822 1234"),
    (CustomerKind::Business, "Công ty Cổ phần Thực phẩm Hương Quê", "Nguyễn Thị Hoa", "0100686209", "45 Trần Hưng Đạo, Hoàn Kiếm, Hà Nội", "muahang@huongque.vn", "0243936 5678"),
    (CustomerKind::Business, "Công ty TNHH Nhà hàng Sen Vàng", "Lê Minh Đức", "0300588569", "88 Nguyễn Huệ, Quận 1, TP. Hồ Chí Minh", "senvang@nhahang.vn", "0909 123 456"),
    (CustomerKind::Business, "Khách sạn Biển Xanh Đà Nẵng", "Phạm Quỳnh Anh", "0101248141", "201 Võ Nguyên Giáp, Sơn Trà, Đà Nẵng", "datphong@bienxanh.vn", "0236 3981 222"),
    (CustomerKind::Business, "Hợp tác xã Nông nghiệp Đồng Tâm", "Võ Văn Tám", "0106026495", "Ấp 3, xã Tân Phú, Đồng Tháp", "htxdongtam@gmail.com", "0918 777 666"),
    (CustomerKind::Business, "Công ty TNHH Quà tặng Việt Phúc", "Đặng Thu Hương", "0318609139", "19 Phan Đình Phùng, Phú Nhuận, TP. Hồ Chí Minh", "hello@vietphuc.vn", "0938 456 789"),
    (CustomerKind::Person, "Nguyễn Thị Ánh Tuyết", "", "", "23 Hàng Bạc, Hoàn Kiếm, Hà Nội", "anhtuyet@gmail.com", "0912 345 678"),
    (CustomerKind::Person, "Trương Quốc Việt", "", "", "7 Lý Thường Kiệt, Huế", "", "0905 111 222"),
    (CustomerKind::Person, "Hoàng Thị Lụa", "", "001189012345", "56 Bạch Đằng, Hải Châu, Đà Nẵng", "hoangthilua@yahoo.com", "0935 222 333"),
    (CustomerKind::Person, "Bùi Đức Thắng", "", "", "102 Nguyễn Văn Cừ, Ninh Kiều, Cần Thơ", "", "0939 444 555"),
];

const SALES: usize = 200;

/// xorshift64: deterministic and dependency-free; demo data needs variety, not secrecy.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

impl Shop {
    /// Whether the database holds nothing yet (no shop profile, no sales).
    pub fn is_empty(&self) -> Result<bool> {
        Ok(self.store.shop()?.is_none() && self.store.count_sales()? == 0)
    }

    /// Fills the demo shop into an empty database; does nothing (and says so with `None`)
    /// when the database already holds a shop.
    pub fn fill_demo_data(&mut self, now: i64) -> Result<Option<DemoSummary>> {
        if !self.is_empty()? {
            return Ok(None);
        }
        let this_year = calendar::date_of(now).year();
        let last_year_start = calendar::start_of_year(this_year - 1);
        let this_year_start = calendar::start_of_year(this_year);
        let mut dice = Dice(0x5EED_2026_CAFE_F00D);

        let summary = self.store.in_transaction(|store| {
            store.save_shop(&ShopProfile {
                name: "Cửa hàng mẫu Hoa Sen (dữ liệu mẫu)".into(),
                tax_code: Some("0426018158".into()),
                address: "15 Nguyễn Thái Học, phường Cửa Nam, Hà Nội".into(),
                phone: "024 3823 4567".into(),
                email: "cuahang@hoasen-mau.vn".into(),
                bank_account: "0011004567890 – Vietcombank Hà Nội".into(),
                is_demo: true,
                started_at: last_year_start - 200 * 86_400,
            })?;
            let sellers = [
                store.add_seller(&NewSeller {
                    name: "Gian hàng Trà Thái Nguyên".into(),
                    tax_code: Some("0183016614".into()),
                    created_at: Some(last_year_start + 40 * 86_400),
                })?,
                store.add_seller(&NewSeller {
                    name: "Gian hàng Gốm Bát Tràng".into(),
                    tax_code: Some("0199603086".into()),
                    created_at: Some(this_year_start + 20 * 86_400),
                })?,
            ];
            let mut products: Vec<Product> = Vec::new();
            for (i, &(sku, name, unit, price, rate, seller)) in PRODUCTS.iter().enumerate() {
                // The first fourteen were on sale before this year; six are new this year.
                let created_at = if i < 14 { last_year_start + (i as i64) * 86_400 } else { this_year_start + (i as i64) * 86_400 };
                products.push(store.add_product(&NewProduct {
                    sku: sku.into(),
                    name: name.into(),
                    unit: unit.into(),
                    unit_price: Dong(price),
                    vat_rate: rate.parse().expect("demo rates are valid"),
                    seller_id: (seller > 0).then(|| sellers[seller - 1].id),
                    created_at: Some(created_at.min(now)),
                })?);
            }
            let mut customer_ids = Vec::new();
            for &(kind, name, buyer, tax, address, email, phone) in CUSTOMERS {
                customer_ids.push(
                    store
                        .add_customer(&NewCustomer {
                            kind,
                            name: name.into(),
                            buyer_name: buyer.into(),
                            tax_code: (!tax.is_empty()).then(|| TaxCode::parse(tax).expect("demo tax codes are valid")),
                            address: address.into(),
                            email: email.into(),
                            phone: phone.into(),
                        })?
                        .id,
                );
            }
            let span = (now - last_year_start).max(1) as u64;
            for n in 0..SALES {
                let sold_at = last_year_start + dice.below(span) as i64;
                let on = calendar::date_of(sold_at);
                let available: Vec<&Product> = products.iter().filter(|p| p.created_at <= sold_at).collect();
                let count = 1 + dice.below(4) as usize;
                let lines = (0..count)
                    .map(|_| {
                        let p = available[dice.below(available.len() as u64) as usize];
                        let quantity = if p.unit == "kg" { Quantity(500 * (1 + dice.below(10) as i64)) } else { Quantity::whole(1 + dice.below(5) as i64) };
                        let vat_rate = if p.vat_rate.in_force_on(on) { p.vat_rate } else { VatRate::Ten };
                        NewSaleLine { product_id: Some(p.id), name: p.name.clone(), unit: p.unit.clone(), quantity, unit_price: p.unit_price, vat_rate }
                    })
                    .collect();
                let status = match dice.below(100) {
                    0..=84 => SaleStatus::Completed,
                    85..=94 => SaleStatus::Failed,
                    _ => SaleStatus::Pending,
                };
                // A third of the sales are to walk-in customers.
                let customer_id = if n % 3 == 0 { None } else { Some(customer_ids[dice.below(customer_ids.len() as u64) as usize]) };
                store.add_sale(&NewSale { customer_id, seller_id: None, status, sold_at, note: String::new(), lines })?;
            }
            let mut day = calendar::date_of(last_year_start);
            let today = calendar::date_of(now);
            let mut visit_days = 0;
            while day <= today {
                store.set_visits(day, 80 + dice.below(320) as i64)?;
                visit_days += 1;
                day += Duration::days(1);
            }
            Ok(DemoSummary {
                products: products.len(),
                customers: customer_ids.len(),
                sellers: 1 + sellers.len(),
                sales: SALES,
                visit_days,
            })
        })?;
        tracing::info!(?summary, "filled demo data");
        Ok(Some(summary))
    }
}
