//! The listings of a small shop with every kind of sale and invoice, read back: the CSV as
//! text, the `.xlsx` by Python's openpyxl (an independent reader, installed by
//! `scripts/install-deps --test`), their amounts compared with the totals the store gives the
//! sale screen (`Store::sale(..).totals`).

use std::path::Path;
use std::process::Command;

use hoadon_accounting::{export, vat_summary, ExportOutcome, ExportRequest, FileFormat, Listing, Period, Progress};
use hoadon_rules::calendar;
use hoadon_rules::tax_code::TaxCode;
use hoadon_rules::{Dong, Quantity, VatRate, VatTotals};
use hoadon_store::{
    AdjustmentDirection, CustomerKind, EventKind, InvoiceStatus, NewAdjustment, NewCustomer, NewInvoice, NewSale, NewSaleLine, Relation,
    SaleStatus, ShopProfile, Store,
};
use serde_json::Value;
use time::macros::date;
use time::{Date, PrimitiveDateTime, Time};

fn at(day: Date, hour: u8, minute: u8) -> i64 {
    PrimitiveDateTime::new(day, Time::from_hms(hour, minute, 0).unwrap()).assume_offset(calendar::VIETNAM).unix_timestamp()
}

fn line(name: &str, quantity: i64, price: i64, rate: VatRate) -> NewSaleLine {
    NewSaleLine { product_id: None, name: name.into(), unit: "cái".into(), quantity: Quantity(quantity), unit_price: Dong(price), vat_rate: rate }
}

fn sale(store: &Store, customer: Option<i64>, status: SaleStatus, sold_at: i64, lines: Vec<NewSaleLine>) -> i64 {
    store.add_sale(&NewSale { customer_id: customer, seller_id: None, status, sold_at, note: String::new(), lines }).unwrap().id
}

fn invoice(store: &Store, sale_id: i64, key: &str, replaces: Option<(i64, Relation)>) -> i64 {
    let inv = store
        .create_invoice(&NewInvoice {
            sale_id,
            provider: "easyinvoice".into(),
            key: key.into(),
            template: "1".into(),
            symbol: "C26TAA".into(),
            status: InvoiceStatus::Queued,
            tax_authority_code: None,
            replaces_id: replaces.map(|r| r.0),
            relation: replaces.map_or(Relation::Original, |r| r.1),
            account: None,
        })
        .unwrap();
    inv.id
}

struct Shop {
    store: Store,
    march: Period,
    /// The sales the March listing must show, in order.
    listed: Vec<i64>,
}

/// March 2026: sales at every rate, a discount line, a half-đồng VAT on two lines, a failed
/// sale, a pending one, sales just outside the month; invoices issued, cancelled, replaced,
/// adjusted down.
fn shop() -> Shop {
    let store = Store::open_in_memory().unwrap();
    store.save_shop(&ShopProfile { name: "Tạp hóa Bình Minh".into(), tax_code: Some("0100109106".into()), started_at: 0, ..Default::default() }).unwrap();
    let company = store
        .add_customer(&NewCustomer {
            kind: CustomerKind::Business,
            name: "Công ty TNHH Hoa Sen, \"chi nhánh\" Hà Nội".into(),
            buyer_name: String::new(),
            tax_code: Some(TaxCode::parse("0100109106").unwrap()),
            address: "Hà Nội".into(),
            email: String::new(),
            phone: String::new(),
        })
        .unwrap()
        .id;
    let mut listed = Vec::new();
    sale(&store, None, SaleStatus::Completed, at(date!(2026 - 02 - 28), 23, 59), vec![line("Trước kỳ", 1000, 50_000, VatRate::Ten)]);
    listed.push(sale(&store, None, SaleStatus::Completed, at(date!(2026 - 03 - 01), 0, 0), vec![line("Gạo ST25", 2500, 34_000, VatRate::Five)]));
    listed.push(sale(
        &store,
        Some(company),
        SaleStatus::Completed,
        at(date!(2026 - 03 - 05), 9, 30),
        vec![
            line("Nước mắm", 1000, 15, VatRate::Ten),
            line("Nước tương", 1000, 15, VatRate::Ten),
            line("Bánh quy", 3000, 1_650_000, VatRate::Eight),
            line("Chiết khấu", 1000, -100_000, VatRate::Eight),
            line("Rau", 1000, 50_000, VatRate::Kct),
            line("Phí", 1000, 100_000, VatRate::Khac(526)),
        ],
    ));
    sale(&store, Some(company), SaleStatus::Failed, at(date!(2026 - 03 - 10), 10, 0), vec![line("Khách hủy", 1000, 999_000, VatRate::Ten)]);
    listed.push(sale(&store, None, SaleStatus::Pending, at(date!(2026 - 03 - 20), 15, 0), vec![line("Dầu ăn", 1000, 45_000, VatRate::Ten)]));
    let replaced_sale = sale(&store, Some(company), SaleStatus::Completed, at(date!(2026 - 03 - 25), 8, 0), vec![line("Sữa", 10_000, 30_000, VatRate::Eight)]);
    listed.push(replaced_sale);
    let adjusted_sale = sale(&store, Some(company), SaleStatus::Completed, at(date!(2026 - 03 - 31), 23, 59), vec![line("Gạo", 10_000, 30_000, VatRate::Five)]);
    listed.push(adjusted_sale);
    sale(&store, None, SaleStatus::Completed, at(date!(2026 - 04 - 01), 0, 0), vec![line("Sau kỳ", 1000, 70_000, VatRate::Ten)]);

    // Sale 2: issued, cancelled, issued again.
    let first = invoice(&store, listed[1], "K-1", None);
    store.record_issued(first, Some(1), Some("CQT-1"), None, "").unwrap();
    store.set_invoice_status(first, InvoiceStatus::Cancelled, EventKind::Cancelled, "").unwrap();
    let again = invoice(&store, listed[1], "K-2", None);
    store.record_issued(again, Some(2), Some("CQT-2"), None, "").unwrap();
    // The replaced sale: issued, then replaced.
    let original = invoice(&store, replaced_sale, "K-3", None);
    store.record_issued(original, Some(3), None, None, "").unwrap();
    let replacement = invoice(&store, replaced_sale, "K-4", Some((original, Relation::Replace)));
    store.record_issued(replacement, Some(4), None, None, "").unwrap();
    store.set_invoice_status(original, InvoiceStatus::Replaced, EventKind::Replaced, "").unwrap();
    // The adjusted sale: issued, then adjusted down by 2 kg.
    let adjusted = invoice(&store, adjusted_sale, "K-5", None);
    store.record_issued(adjusted, Some(5), None, None, "").unwrap();
    let adjustment = invoice(&store, adjusted_sale, "K-6", Some((adjusted, Relation::Adjust)));
    store
        .add_adjustment(
            adjustment,
            &NewAdjustment { direction: AdjustmentDirection::Decrease, reason: "Trả lại 2 kg".into(), lines: vec![line("Gạo", 2000, 30_000, VatRate::Five)] },
        )
        .unwrap();
    store.record_issued(adjustment, Some(6), None, None, "").unwrap();
    store.set_invoice_status(adjusted, InvoiceStatus::Adjusted, EventKind::Adjusted, "").unwrap();
    // Queued, never issued: not in the invoices listing.
    invoice(&store, listed[2], "K-7", None);

    Shop { store, march: Period::new(date!(2026 - 03 - 01), date!(2026 - 03 - 31)).unwrap(), listed }
}

/// The sale screen's totals of the listed sales, added up per rate by the rules' own sum.
fn screen_totals(shop: &Shop) -> VatTotals {
    let lines: Vec<_> = shop
        .listed
        .iter()
        .flat_map(|id| shop.store.sale(*id).unwrap().totals.by_rate)
        .map(|t| hoadon_rules::vat::TaxedLine { amount: t.subtotal, rate: t.rate })
        .collect();
    // VAT is per line: the per-rate VAT of the sales, not a VAT on the summed subtotal.
    let mut totals = VatTotals::of(lines.iter().copied()).unwrap();
    for t in &mut totals.by_rate {
        t.vat = shop.listed.iter().flat_map(|id| shop.store.sale(*id).unwrap().totals.by_rate).filter(|r| r.rate == t.rate).map(|r| r.vat).sum();
    }
    totals.vat = totals.by_rate.iter().map(|t| t.vat).sum();
    totals.total = totals.subtotal + totals.vat;
    totals
}

fn run(shop: &Shop, listing: Listing, format: FileFormat, dir: &Path) -> std::path::PathBuf {
    let path = dir.join(listing.file_name(format, &shop.march));
    let request = ExportRequest { listing, format, period: shop.march };
    match export(&shop.store, &request, &path, &Progress::new()).unwrap() {
        ExportOutcome::Written(done) => {
            assert_eq!(done.path, path.display().to_string());
            assert_eq!(done.bytes, std::fs::metadata(&path).unwrap().len());
        }
        ExportOutcome::Cancelled => panic!("not cancelled"),
    }
    let left: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).filter(|n| n.contains("dang-xuat")).collect();
    assert!(left.is_empty(), "temporary files left: {left:?}");
    path
}

fn openpyxl(path: &Path) -> Value {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/read_xlsx.py");
    // python3-openpyxl is installed for the system's Python, which a pyenv or venv on PATH
    // would hide.
    let python = if Path::new("/usr/bin/python3").exists() { "/usr/bin/python3" } else { "python3" };
    let out = Command::new(python).arg(script).arg(path).output().expect("python3 runs (scripts/install-deps --test installs it)");
    assert!(out.status.success(), "openpyxl could not read {}: {} (scripts/install-deps --test installs python3-openpyxl)", path.display(), String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn number(v: &Value) -> i64 {
    assert_eq!(v["format"], "#,##0", "{v}");
    let n = v["number"].as_f64().unwrap_or_else(|| panic!("a number: {v}"));
    assert_eq!(n.fract(), 0.0);
    n as i64
}

fn header_row(rows: &[Value], first: &str) -> usize {
    rows.iter().position(|r| r[0] == first).unwrap_or_else(|| panic!("a header row starting {first}"))
}

#[test]
fn the_sales_listing_in_excel_adds_up_to_the_sale_screens_totals() {
    let shop = shop();
    let dir = tempfile::tempdir().unwrap();
    let path = run(&shop, Listing::Sales, FileFormat::Xlsx, dir.path());
    let book = openpyxl(&path);
    let rows = book["Bảng kê bán hàng"].as_array().unwrap();
    assert_eq!(rows[0][0], "BẢNG KÊ BÁN HÀNG");
    assert_eq!(rows[1][0], "Người bán: Tạp hóa Bình Minh – MST: 0100109106");
    assert_eq!(rows[2][0], "Từ ngày 01/03/2026 đến ngày 31/03/2026");
    let h = header_row(rows, "Ngày bán");
    let header: Vec<&str> = rows[h].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    assert_eq!(
        header,
        [
            "Ngày bán", "Số đơn", "Người mua", "MST người mua", "Tiền hàng 10%", "Tiền hàng 8%", "Tiền hàng 5%", "Tiền hàng KCT", "Tiền hàng 5,26%",
            "Cộng tiền hàng", "Thuế GTGT", "Tổng cộng", "Ký hiệu hóa đơn", "Số hóa đơn", "Trạng thái đơn", "Trạng thái hóa đơn"
        ]
    );
    let data = &rows[h + 1..h + 1 + shop.listed.len()];
    let ids: Vec<i64> = data.iter().map(|r| r[1]["number"].as_f64().unwrap() as i64).collect();
    assert_eq!(ids, shop.listed, "March's sales but the failed one, in the order sold");
    // Each row is its sale's screen totals, per rate and in all.
    for (row, id) in data.iter().zip(&shop.listed) {
        let totals = shop.store.sale(*id).unwrap().totals;
        for (col, label) in header.iter().enumerate().skip(4).take(5) {
            let at_rate = totals.by_rate.iter().find(|t| format!("Tiền hàng {}", t.label) == *label);
            match at_rate {
                Some(t) => assert_eq!(number(&row[col]), t.subtotal.0, "sale {id}, {label}"),
                None => assert!(row[col].is_null(), "sale {id}, {label}: {}", row[col]),
            }
        }
        assert_eq!([number(&row[9]), number(&row[10]), number(&row[11])], [totals.subtotal.0, totals.vat.0, totals.total.0], "sale {id}");
    }
    // Dates are dates.
    assert_eq!(data[0][0]["date"], "2026-03-01");
    assert_eq!(data[0][0]["format"], "dd/mm/yyyy");
    assert_eq!(data.last().unwrap()[0]["date"], "2026-03-31");
    let company = &data[1];
    assert_eq!(company[2], "Công ty TNHH Hoa Sen, \"chi nhánh\" Hà Nội");
    assert_eq!(company[3], "0100109106");
    assert_eq!(company[12], "1C26TAA");
    assert_eq!(company[13]["number"], 2.0, "the invoice issued again, not the cancelled one");
    assert_eq!(company[14], "Hoàn thành");
    assert_eq!(data[0][2], "Khách lẻ");
    assert_eq!(data[0][15], "Chưa xuất");
    assert_eq!(data[2][14], "Chờ xử lý");
    // The 5,26% column: 100 000 × 5,26% = 5 260; the 10% VAT is 2 + 2, per line.
    let summary = vat_summary(&shop.store, &shop.march, &Progress::new()).unwrap();
    assert_eq!(summary.totals, screen_totals(&shop));
    assert_eq!(summary.totals.by_rate[0].vat, Dong(4 + 4_500));
    assert_eq!(summary.sales, shop.listed.len() as u64);
    // The totals row adds up the rows, and is the summary.
    let totals = &rows[h + 1 + shop.listed.len()];
    assert_eq!(totals[0], format!("Cộng ({} đơn)", shop.listed.len()).as_str());
    for (k, t) in summary.totals.by_rate.iter().enumerate() {
        assert_eq!(number(&totals[4 + k]), t.subtotal.0);
        assert_eq!(data.iter().map(|r| if r[4 + k].is_null() { 0 } else { number(&r[4 + k]) }).sum::<i64>(), t.subtotal.0);
    }
    assert_eq!([number(&totals[9]), number(&totals[10]), number(&totals[11])], [summary.totals.subtotal.0, summary.totals.vat.0, summary.totals.total.0]);

    // The second sheet: the summary per rate.
    let vat = book["Tổng hợp thuế GTGT"].as_array().unwrap();
    let h = header_row(vat, "Thuế suất");
    for (k, t) in summary.totals.by_rate.iter().enumerate() {
        let row = &vat[h + 1 + k];
        assert_eq!(row[0], t.label.as_str());
        assert_eq!([number(&row[1]), number(&row[2]), number(&row[3])], [t.subtotal.0, t.vat.0, t.subtotal.0 + t.vat.0]);
    }
    let last = &vat[h + 1 + summary.totals.by_rate.len()];
    assert_eq!(last[0], "Tổng cộng");
    assert_eq!([number(&last[1]), number(&last[2]), number(&last[3])], [summary.totals.subtotal.0, summary.totals.vat.0, summary.totals.total.0]);
}

#[test]
fn the_invoices_listing_names_what_each_successor_changes() {
    let shop = shop();
    let dir = tempfile::tempdir().unwrap();
    // Invoices are issued now (record_issued stamps the clock): the period is this month.
    let today = calendar::now().date();
    let period = Period::new(today.replace_day(1).unwrap(), today).unwrap();
    let shop = Shop { march: period, ..shop };
    let path = run(&shop, Listing::Invoices, FileFormat::Xlsx, dir.path());
    let book = openpyxl(&path);
    let rows = book["Bảng kê hóa đơn"].as_array().unwrap();
    let h = header_row(rows, "Ngày lập");
    let data: Vec<&Value> = rows[h + 1..].iter().filter(|r| r[0].is_object()).collect();
    let seen: Vec<(i64, &str, &str, Option<&str>)> =
        data.iter().map(|r| (r[2]["number"].as_f64().unwrap() as i64, r[3].as_str().unwrap(), r[5].as_str().unwrap(), r[4].as_str())).collect();
    assert_eq!(
        seen,
        [
            (1, "Hóa đơn gốc", "Đã hủy", None),
            (2, "Hóa đơn gốc", "Đã phát hành", None),
            (3, "Hóa đơn gốc", InvoiceStatus::Replaced.label(), None),
            (4, "Hóa đơn thay thế", "Đã phát hành", Some("1C26TAA số 3")),
            (5, "Hóa đơn gốc", InvoiceStatus::Adjusted.label(), None),
            (6, "Hóa đơn điều chỉnh giảm", "Đã phát hành", Some("1C26TAA số 5")),
        ]
    );
    assert_eq!(data[0][6], "CQT-1");
    let money = |r: &Value| [number(&r[10]), number(&r[11]), number(&r[12])];
    let replaced = shop.store.sale(shop.listed[3]).unwrap().totals;
    assert_eq!(money(data[3]), [replaced.subtotal.0, replaced.vat.0, replaced.total.0]);
    // 2 kg × 30 000 at 5%, taken off.
    assert_eq!(money(data[5]), [-60_000, -3_000, -63_000]);
    assert_eq!(data[0][0]["date"], today.to_string());
    // The totals row: only what is still in force (2, 4, 5 and 6; not the cancelled 1 nor
    // the replaced 3), column by column the sum of those rows.
    let last = rows.iter().rev().find(|r| r[0].as_str().is_some_and(|t| t.starts_with("Cộng"))).expect("a totals row");
    assert_eq!(last[0], "Cộng hóa đơn còn hiệu lực (4 hóa đơn)");
    let expected = [1, 3, 4, 5].iter().map(|&i| money(data[i])).fold([0i64; 3], |a, m| [a[0] + m[0], a[1] + m[1], a[2] + m[2]]);
    assert_eq!(money(last), expected);
    assert_ne!(expected, [0; 3]);
}

/// Decree 70/2025: asked to cancel an accepted invoice, EasyInvoice issues a 0-đồng
/// replacement instead. The sale is cancelled, so that replacement lists 0 đồng and the
/// totals row leaves the sale out.
#[test]
fn a_cancel_made_as_a_zero_dong_replacement_carries_nothing() {
    let shop = shop();
    let dir = tempfile::tempdir().unwrap();
    let today = calendar::now().date();
    let shop = Shop { march: Period::new(today.replace_day(1).unwrap(), today).unwrap(), ..shop };
    let sold_at = calendar::start_of_day(today);
    let sale = shop
        .store
        .add_sale(&NewSale { customer_id: None, seller_id: None, status: SaleStatus::Completed, sold_at, note: String::new(), lines: vec![line("Trà", 1000, 40_000, VatRate::Ten)] })
        .unwrap()
        .id;
    let original = invoice(&shop.store, sale, "K-8", None);
    shop.store.record_issued(original, Some(7), None, None, "").unwrap();
    let zero = invoice(&shop.store, sale, "K-9", Some((original, Relation::Replace)));
    shop.store.record_issued(zero, Some(8), None, None, "hóa đơn thay thế 0 đồng").unwrap();
    shop.store.set_invoice_status(original, InvoiceStatus::Replaced, EventKind::ReplacedOnCancel, "Khách hủy").unwrap();

    let book = openpyxl(&run(&shop, Listing::Invoices, FileFormat::Xlsx, dir.path()));
    let rows = book["Bảng kê hóa đơn"].as_array().unwrap();
    let h = header_row(rows, "Ngày lập");
    let data: Vec<&Value> = rows[h + 1..].iter().filter(|r| r[0].is_object()).collect();
    let money = |r: &Value| [number(&r[10]), number(&r[11]), number(&r[12])];
    let by_number = |n: i64| *data.iter().find(|r| r[2]["number"].as_f64() == Some(n as f64)).unwrap();
    assert_eq!(money(by_number(8)), [0, 0, 0], "the replacement standing for a cancel");
    let sale_total = shop.store.sale(sale).unwrap().totals;
    assert_eq!(money(by_number(7)), [sale_total.subtotal.0, sale_total.vat.0, sale_total.total.0], "the original keeps its figures");
    // In force: 2, 4, 5, 6 (as without the cancel) and the 0-đồng 8; the replaced 7 is not.
    let last = rows.iter().rev().find(|r| r[0].as_str().is_some_and(|t| t.starts_with("Cộng"))).unwrap();
    assert_eq!(last[0], "Cộng hóa đơn còn hiệu lực (5 hóa đơn)");
    let expected = [1, 3, 4, 5].iter().map(|&i| money(data[i])).fold([0i64; 3], |a, m| [a[0] + m[0], a[1] + m[1], a[2] + m[2]]);
    assert_eq!(money(last), expected);
}

#[test]
fn the_csv_files_are_for_excel_and_carry_the_same_figures() {
    let shop = shop();
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(run(&shop, Listing::Sales, FileFormat::Csv, dir.path())).unwrap();
    assert!(text.starts_with('\u{feff}'), "UTF-8 mark for Excel");
    let lines: Vec<&str> = text.trim_start_matches('\u{feff}').split("\r\n").filter(|l| !l.is_empty()).collect();
    assert!(lines[0].starts_with("Ngày bán,Số đơn,Người mua,MST người mua,Tiền hàng 10%,"), "{}", lines[0]);
    assert_eq!(lines.len(), 1 + shop.listed.len(), "header and one line per sale, no totals line");
    let totals = shop.store.sale(shop.listed[1]).unwrap().totals;
    assert!(
        lines[2].starts_with(&format!("05/03/2026,{},\"Công ty TNHH Hoa Sen, \"\"chi nhánh\"\" Hà Nội\",0100109106,30,", shop.listed[1])),
        "{}",
        lines[2]
    );
    assert!(lines[2].contains(&format!(",{},{},{},1C26TAA,2,Hoàn thành,", totals.subtotal.0, totals.vat.0, totals.total.0)), "{}", lines[2]);

    let summary = vat_summary(&shop.store, &shop.march, &Progress::new()).unwrap();
    let text = std::fs::read_to_string(run(&shop, Listing::VatSummary, FileFormat::Csv, dir.path())).unwrap();
    let lines: Vec<&str> = text.trim_start_matches('\u{feff}').split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines[0], "Thuế suất,Tiền hàng chưa thuế,Thuế GTGT,Cộng tiền thanh toán");
    let ten = &summary.totals.by_rate[0];
    assert_eq!(lines[1], format!("10%,{},{},{}", ten.subtotal.0, ten.vat.0, ten.subtotal.0 + ten.vat.0));
    assert_eq!(lines.len(), 1 + summary.totals.by_rate.len());
}

#[test]
fn a_cancelled_export_leaves_nothing_under_the_chosen_name() {
    let shop = shop();
    let dir = tempfile::tempdir().unwrap();
    for format in [FileFormat::Xlsx, FileFormat::Csv] {
        let path = dir.path().join(Listing::Sales.file_name(format, &shop.march));
        let progress = Progress::new();
        progress.cancel();
        let request = ExportRequest { listing: Listing::Sales, format, period: shop.march };
        assert_eq!(export(&shop.store, &request, &path, &progress).unwrap(), ExportOutcome::Cancelled);
        assert!(!path.exists());
        // A file already under the name (last month's export) stays as it was.
        std::fs::write(&path, "tệp cũ").unwrap();
        assert_eq!(export(&shop.store, &request, &path, &progress).unwrap(), ExportOutcome::Cancelled);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "tệp cũ");
    }
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2, "only the two old files");
}

#[test]
fn a_failed_export_says_where_and_leaves_nothing() {
    let shop = shop();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("khong-co-thu-muc").join("bang-ke.csv");
    let request = ExportRequest { listing: Listing::Sales, format: FileFormat::Csv, period: shop.march };
    let err = export(&shop.store, &request, &path, &Progress::new()).unwrap_err();
    assert!(err.to_string().starts_with("không ghi được tệp"), "{err}");
    assert!(!path.exists());
}

#[test]
fn progress_counts_the_rows_written() {
    let shop = shop();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bang-ke.xlsx");
    let progress = Progress::new();
    let request = ExportRequest { listing: Listing::Sales, format: FileFormat::Xlsx, period: shop.march };
    export(&shop.store, &request, &path, &progress).unwrap();
    let p = progress.snapshot();
    assert_eq!((p.done, p.total), (shop.listed.len() as u64, shop.listed.len() as u64));
    assert_eq!(p.label, "Đang hoàn tất tệp");
}
