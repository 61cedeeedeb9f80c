//! The PDFs read back as a person or an accounting program would read them: the text that
//! `pdftotext` extracts must be the Vietnamese text that was printed, letter for letter.

mod poppler;
mod sample;

use hoadon_pdf::{render_invoice, render_receipt, Mark, PrintedInvoice};
use hoadon_rules::symbol::Template;

use poppler::{flat, fonts, page_count, page_size, pages_text, png, raw_text, write_pdf};

fn assert_has(text: &str, wanted: &str) {
    assert!(flat(text).contains(wanted), "«{wanted}» not found in:\n{text}");
}

#[test]
fn vietnamese_text_extracts_exactly() {
    let inv = sample::invoice(3);
    let pdf = write_pdf("invoice-3", &render_invoice(&inv).unwrap());
    let pages = pages_text(&pdf);
    assert_eq!(pages.len(), 1);
    let text = &pages[0];

    assert_has(text, "HÓA ĐƠN GIÁ TRỊ GIA TĂNG");
    assert_has(text, "Mẫu số: 1");
    assert_has(text, "Ký hiệu: C26TAA");
    assert_has(text, "Số: 123");
    assert_has(text, "Ngày 05 tháng 03 năm 2026");
    assert_has(text, "Mã của CQT: 00A1B2C3D4E5F6A7B8C9D0E1F2A3B4C5D6");
    assert_has(text, "Mã tra cứu: MK26-000123");
    assert_has(text, "Đơn vị bán hàng: Hộ kinh doanh Tạp hóa Minh Khai");
    assert_has(text, "Số tài khoản: 0071000123456 - Vietcombank CN Sài Gòn");
    assert_has(text, &format!("Họ tên người mua hàng: {}", sample::BUYER_PERSON));
    assert_has(text, &format!("Tên đơn vị: {}", sample::BUYER_COMPANY));
    assert_has(text, "Mã số thuế: 0109876543");
    assert_has(text, "Hình thức thanh toán: TM/CK");
    for header in ["STT", "Tên hàng hóa, dịch vụ", "Số lượng", "Đơn giá", "Thành tiền", "Thuế suất"] {
        assert_has(text, header);
    }
    assert_has(&raw_text(&pdf), "Cà phê rang xay Buôn Ma Thuột loại đặc biệt");
    assert_has(text, "3 Gạo ST25 Sóc Trăng kg 12,5 32.000 400.000 5%");
    assert_has(text, "1.650.000");

    // 1.650.000 + 135.000 + 400.000 before tax; 165.000 + 10.800 + 20.000 VAT.
    assert_eq!(inv.totals.total.0, 2_380_800);
    assert_has(text, "Cộng tiền hàng 2.185.000");
    assert_has(text, "Thuế suất 10%: cộng tiền hàng 1.650.000, tiền thuế GTGT 165.000");
    assert_has(text, "Thuế suất 8%: cộng tiền hàng 135.000, tiền thuế GTGT 10.800");
    assert_has(text, "Thuế suất 5%: cộng tiền hàng 400.000, tiền thuế GTGT 20.000");
    assert_has(text, "Tiền thuế GTGT 195.800");
    assert_has(text, "Tổng cộng tiền thanh toán 2.380.800");
    assert_eq!(inv.amount_in_words, "Hai triệu ba trăm tám mươi nghìn tám trăm đồng");
    assert_has(text, "Số tiền viết bằng chữ: Hai triệu ba trăm tám mươi nghìn tám trăm đồng");
    assert_has(text, "Người mua hàng");
    assert_has(text, "Người bán hàng");
    assert_has(text, "Trang 1/1");
    assert!(!flat(text).contains("BẢN NHÁP") && !flat(text).contains("ĐÃ HỦY"));
}

#[test]
fn fonts_are_embedded_as_subsets() {
    let pdf = write_pdf("invoice-3-fonts", &render_invoice(&sample::invoice(3)).unwrap());
    let fonts = fonts(&pdf);
    assert_eq!(fonts.len(), 2, "{fonts:?}");
    for (name, embedded, subset) in &fonts {
        assert!(name.contains("NotoSans"), "{name}");
        assert!(*embedded && *subset, "{name} embedded {embedded} subset {subset}");
    }
    // Two whole faces are a megabyte; the glyphs of one invoice are a few dozen kilobytes.
    let size = std::fs::metadata(&pdf).unwrap().len();
    assert!(size < 120_000, "{size} bytes");
}

#[test]
fn draft_and_cancelled_invoices_say_so() {
    let mut draft = sample::invoice(3);
    draft.number = None;
    draft.mark = Mark::Draft;
    let text = pages_text(&write_pdf("invoice-draft", &render_invoice(&draft).unwrap())).concat();
    assert_has(&text, "BẢN NHÁP");
    assert_has(&text, "Số: (chưa cấp)");
    // The big diagonal mark is a picture: it crosses the table without breaking its text,
    // and the word is read once, from the stamp.
    assert_has(&text, "Thuế suất 10%: cộng tiền hàng 1.650.000, tiền thuế GTGT 165.000 10%");
    assert_has(&text, "Tổng cộng tiền thanh toán 2.380.800");
    assert_eq!(flat(&text).matches("BẢN NHÁP").count(), 1);

    let mut cancelled = sample::invoice(3);
    cancelled.mark = Mark::Cancelled;
    let text = pages_text(&write_pdf("invoice-cancelled", &render_invoice(&cancelled).unwrap())).concat();
    assert_has(&text, "ĐÃ HỦY");

    let text = pages_text(&write_pdf("receipt-cancelled", &render_receipt(&cancelled).unwrap())).concat();
    assert_has(&text, "ĐÃ HỦY");
}

#[test]
fn long_invoice_runs_over_pages_with_headers_and_totals_at_the_end() {
    let inv = sample::invoice(400);
    let pdf = write_pdf("invoice-400", &render_invoice(&inv).unwrap());
    let count = page_count(&pdf);
    assert!(count > 1, "{count} pages");
    let pages = pages_text(&pdf);
    assert_eq!(pages.len(), count);
    for (i, page) in pages.iter().enumerate() {
        for header in ["STT", "Tên hàng hóa, dịch vụ", "Đơn giá", "Thành tiền", "Thuế suất"] {
            assert_has(page, header);
        }
        assert_has(page, &format!("Trang {}/{count}", i + 1));
        let last = i + 1 == count;
        assert_eq!(flat(page).contains("Tổng cộng tiền thanh toán"), last, "page {}", i + 1);
        assert_eq!(flat(page).contains("Số tiền viết bằng chữ"), last, "page {}", i + 1);
        if i > 0 {
            assert_has(page, "Ký hiệu: C26TAA Số: 123");
        }
    }
    assert_has(&pages[0], sample::BUYER_COMPANY);
    assert_has(pages.last().unwrap(), &inv.amount_in_words);
    assert_has(pages.last().unwrap(), &hoadon_rules::money::group_thousands(inv.totals.total.0));
    // Every line is printed once, in order: the STT column counts 1 to 400 down the pages.
    let numbers: Vec<usize> = pages
        .iter()
        .flat_map(|p| p.lines())
        .filter_map(|l| {
            let words: Vec<&str> = l.split_whitespace().collect();
            let rate = words.last()?;
            let is_row = rate.ends_with('%') || *rate == "KCT";
            if is_row { words.first()?.parse().ok() } else { None }
        })
        .collect();
    assert_eq!(numbers, (1..=400).collect::<Vec<_>>());
    assert_has(&raw_text(&pdf), "Trà Ô Long Bảo Lộc thượng hạng (lô 400)");
}

#[test]
fn sales_and_cash_register_titles() {
    let mut sales = sample::invoice(2);
    sales.template = Template::Sales;
    sales.symbol = "2C26TBB".into();
    let text = pages_text(&write_pdf("invoice-sales", &render_invoice(&sales).unwrap())).concat();
    assert_has(&text, "HÓA ĐƠN BÁN HÀNG");
    assert_has(&text, "Mẫu số: 2");

    let till = sample::till_sale(3);
    let pdf = write_pdf("invoice-till", &render_invoice(&till).unwrap());
    assert_has(&raw_text(&pdf), "HÓA ĐƠN GIÁ TRỊ GIA TĂNG KHỞI TẠO TỪ MÁY TÍNH TIỀN");

    let mut till_sales = sample::till_sale(3);
    till_sales.template = Template::Sales;
    till_sales.symbol = "C26MBB".into(); // serial only: the digit comes from the template
    let text = pages_text(&write_pdf("receipt-sales", &render_receipt(&till_sales).unwrap())).concat();
    assert_has(&text, "HÓA ĐƠN BÁN HÀNG KHỞI TẠO TỪ MÁY TÍNH TIỀN");
    assert_has(&text, "Số: 123");
    assert_has(&text, "Mẫu số: 2 Ký hiệu: C26MBB");
}

#[test]
fn receipt_is_80_mm_wide_and_grows_with_lines() {
    let short = write_pdf("receipt-3", &render_receipt(&sample::till_sale(3)).unwrap());
    let long = write_pdf("receipt-30", &render_receipt(&sample::till_sale(30)).unwrap());
    let (w, h3) = page_size(&short);
    let (w30, h30) = page_size(&long);
    assert!((w - 80.0 * 72.0 / 25.4).abs() < 0.5, "width {w} pt");
    assert_eq!(w, w30);
    assert!(h30 > h3 + 100.0, "{h3} → {h30}");
    assert_eq!(page_count(&long), 1);

    let text = pages_text(&short).concat();
    let inv = sample::till_sale(3);
    assert_has(&text, "HÓA ĐƠN GIÁ TRỊ GIA TĂNG KHỞI TẠO TỪ MÁY TÍNH TIỀN");
    assert_has(&text, "Ký hiệu: C26MAA");
    assert_has(&text, "Ngày 05 tháng 03 năm 2026");
    assert_has(&text, &format!("Khách hàng: {}", sample::BUYER_PERSON));
    assert_has(&text, "Cà phê rang xay Buôn Ma Thuột loại đặc biệt");
    assert_has(&text, "Tổng cộng tiền thanh toán: 2.380.800");
    assert_has(&text, &inv.amount_in_words);
}

#[test]
fn decomposed_input_prints_composed() {
    let mut inv = sample::invoice(1);
    // "Nguyễn" as some Vietnamese keyboards send it: e, circumflex, tilde.
    inv.buyer.buyer_name = Some("Nguye\u{302}\u{303}n Văn An".into());
    let text = pages_text(&write_pdf("invoice-nfd", &render_invoice(&inv).unwrap())).concat();
    assert_has(&text, "Nguyễn Văn An");
}

#[test]
fn model_round_trips_through_json() {
    // The app hands invoices to the renderer over IPC as JSON.
    let inv = sample::invoice(2);
    let json = serde_json::to_string(&inv).unwrap();
    let back: PrintedInvoice = serde_json::from_str(&json).unwrap();
    assert_eq!(render_invoice(&back).unwrap().len(), render_invoice(&inv).unwrap().len());
}

/// Pictures of the pages for a person to look at: target/pdf-artifacts/*.png.
#[test]
fn writes_pngs_for_review() {
    let three = write_pdf("review-invoice-3", &render_invoice(&sample::invoice(3)).unwrap());
    png(&three, "review-invoice-3", &[1]);

    let long = write_pdf("review-invoice-400", &render_invoice(&sample::invoice(400)).unwrap());
    let last = page_count(&long);
    png(&long, "review-invoice-400", &[1, 2, last]);

    let mut draft = sample::invoice(3);
    draft.number = None;
    draft.mark = Mark::Draft;
    let draft = write_pdf("review-invoice-draft", &render_invoice(&draft).unwrap());
    png(&draft, "review-invoice-draft", &[1]);

    let till = write_pdf("review-invoice-till", &render_invoice(&sample::till_sale(2)).unwrap());
    png(&till, "review-invoice-till", &[1]);

    let receipt = write_pdf("review-receipt", &render_receipt(&sample::till_sale(5)).unwrap());
    png(&receipt, "review-receipt", &[1]);

    let mut draft_receipt = sample::till_sale(2);
    draft_receipt.number = None;
    draft_receipt.mark = Mark::Draft;
    let draft_receipt = write_pdf("review-receipt-draft", &render_receipt(&draft_receipt).unwrap());
    png(&draft_receipt, "review-receipt-draft", &[1]);
}

#[test]
fn odd_invoices_still_print() {
    // No lines yet (a draft just opened), a name longer than a page, an amount at the limit.
    let mut empty = sample::invoice(0);
    empty.mark = Mark::Draft;
    let text = pages_text(&write_pdf("invoice-empty", &render_invoice(&empty).unwrap())).concat();
    assert_has(&text, "Tổng cộng tiền thanh toán 0");

    let mut odd = sample::invoice(3);
    odd.lines[1].name = "Hàng hóa có tên rất dài ".repeat(300);
    odd.lines[2].unit_price = hoadon_rules::Dong(999_999_999_999);
    odd.lines[2].amount = hoadon_rules::Dong(999_999_999_999_999);
    let pdf = write_pdf("invoice-odd", &render_invoice(&odd).unwrap());
    let pages = pages_text(&pdf);
    assert!(pages.len() >= 2, "{} pages", pages.len());
    // Figures too wide for their column are set smaller, never cut.
    assert_has(&pages.concat(), "999.999.999.999.999");
    assert_has(&pages.concat(), "999.999.999.999");
    render_receipt(&odd).unwrap();

    // One line so long that it and the totals cannot share the first page.
    let mut tall = sample::invoice(1);
    tall.lines[0].name = "Hàng hóa có tên rất dài ".repeat(120);
    let pages = pages_text(&write_pdf("invoice-tall", &render_invoice(&tall).unwrap()));
    assert_eq!(pages.len(), 2);
    assert!(!flat(&pages[0]).contains("Tổng cộng tiền thanh toán"));
    assert_has(&pages[1], "Tổng cộng tiền thanh toán 1.815.000");
    assert_has(&pages[1], "Thành tiền");
}

#[test]
fn same_invoice_same_bytes() {
    // A re-printed invoice is byte for byte the one first printed: no clock, no random ids.
    let inv = sample::invoice(5);
    assert_eq!(render_invoice(&inv).unwrap(), render_invoice(&inv).unwrap());
    assert_eq!(render_receipt(&inv).unwrap(), render_receipt(&inv).unwrap());
}
