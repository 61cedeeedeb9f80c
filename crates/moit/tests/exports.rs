//! The report page's table as data, and the CSV and PDF made from it.

mod common;

use std::process::Command;

use common::*;
use hoadon_moit::{CsvSeparator, VisitsPeriod, import_visits, report, report_html, report_table, to_csv, to_pdf};
use time::macros::date;

const OPERATION: &str = "(Tính từ thời điểm hoạt động đến thời điểm thống kê)";
const YEAR_NOTE: &str = "(Tính thời điểm năm báo cáo từ 01/1/2026 đến thời điểm báo cáo)";

#[test]
fn the_table_follows_the_guide() {
    let table = report_table(&report(&shop(), YEAR, mid_year()).unwrap());
    assert_eq!(table.heading, "BÁO CÁO SỐ LIỆU");
    assert_eq!(table.period_line, "Từ ngày 01/01/2026 – đến thời điểm truy cập");
    assert_eq!(table.as_of_line, "Thời điểm thống kê: 15/06/2026 12:00:00");
    assert_eq!(table.columns, ["Tiêu chí", "Số lượng", "Diễn giải"]);
    let rows: Vec<(Option<&str>, &str, &str, i64, &str)> = table
        .rows
        .iter()
        .map(|r| (r.group.as_deref(), r.criterion.as_str(), r.period_note.as_str(), r.value, r.key.as_str()))
        .collect();
    let sellers = Some("Số lượng người bán");
    let products = Some("Số lượng sản phầm");
    let orders = Some("Số lượng giao dịch");
    let value_note = "(Tổng số này ứng với tổng số đơn hàng giao dịch thành công (Tính thời điểm năm báo cáo từ 01/1/2026 đến thời điểm báo cáo))";
    assert_eq!(
        rows,
        [
            (None, "Số lượng truy cập", OPERATION, 135, "soLuongTruyCap"),
            (sellers, "Tổng số người bán", OPERATION, 4, "soNguoiBan"),
            (sellers, "Số lượng người bán mới", YEAR_NOTE, 1, "soNguoiBanMoi"),
            (products, "Tổng số sản phẩm (SKU)", OPERATION, 5, "tongSoSanPham"),
            (products, "Số sản phẩm đăng bán mới", YEAR_NOTE, 3, "soSanPhamMoi"),
            (orders, "Tổng số đơn hàng", YEAR_NOTE, 5, "soLuongGiaoDich"),
            (orders, "Tổng số đơn hàng thành công", YEAR_NOTE, 3, "tongSoDonHangThanhCong"),
            (orders, "Tổng số đơn hàng không thành công", YEAR_NOTE, 1, "tongSoDongHangKhongThanhCong"),
            (None, "Tổng giá trị giao dịch", value_note, 320_000, "tongGiaTriGiaoDich"),
        ]
    );
    assert_eq!(table.rows[8].value_text, "320.000 đồng");
    // The explanations sit on the first row of their group, as the guide merges them.
    let explained: Vec<usize> = table.rows.iter().enumerate().filter(|(_, r)| !r.explanation.is_empty()).map(|(i, _)| i).collect();
    assert_eq!(explained, [1, 3, 5]);
    assert!(table.rows[1].explanation.starts_with("+ Website/ứng dụng cho phép người tham gia được mở các gian hàng"));
    assert_eq!(table.rows[1].explanation.lines().count(), 4);
    assert_eq!(table.rows[3].explanation.lines().count(), 3);
    assert!(table.rows[5].explanation.ends_with("dịch vụ tin vip, dịch vụ đẩy tin …"));
    let blocks: Vec<usize> = table.blocks().iter().map(|b| b.len()).collect();
    assert_eq!(blocks, [1, 2, 2, 3, 1]);

    // The page merges the group and explanation cells over the group's rows.
    let html = report_html(&table);
    if std::env::var_os("MOIT_KEEP_HTML").is_some() {
        std::fs::write("/tmp/moit-report.html", &html).unwrap();
    }
    assert!(html.contains("<td class=\"group\" rowspan=\"3\">Số lượng giao dịch</td>"));
    assert!(html.contains("<td class=\"explanation\" rowspan=\"2\">+ Website/ứng dụng cho phép người tham gia được mở các gian hàng"));
    assert!(html.contains("<td class=\"value\" data-value=\"320000\">320.000 đồng</td>"));
    assert_eq!(html.matches("<tr data-key=").count(), 9);
}

#[test]
fn the_visits_row_words_the_period_it_really_counts() {
    let r = report(&shop(), YEAR, mid_year()).unwrap().with_visits_period(VisitsPeriod::StartOfYear);
    let row = &report_table(&r).rows[0];
    assert_eq!(row.value, 25);
    assert_eq!(row.period_note, "(Tính từ 01/01/2026 đến thời điểm thống kê)");
}

#[test]
fn csv_opens_in_excel_with_vietnamese_intact() {
    let table = report_table(&report(&shop(), YEAR, mid_year()).unwrap());
    let csv = to_csv(&table, CsvSeparator::Comma);
    assert!(csv.starts_with("\u{feff}Tiêu chí,Số lượng,Diễn giải\r\n"), "{csv}");
    assert!(csv.contains(&format!("\r\nSố lượng truy cập {OPERATION},135,\r\n")));
    assert!(csv.contains(&format!("\r\nSố lượng người bán – Tổng số người bán {OPERATION},4,\"+ Website/ứng dụng")));
    assert!(csv.contains(&format!("\r\nSố lượng giao dịch – Tổng số đơn hàng không thành công {YEAR_NOTE},1,\r\n")));
    assert!(csv.ends_with(",320000,\r\n"), "{csv}");
    // A record per row: quoted line breaks inside explanations do not end a record.
    let records = csv.split("\r\n").filter(|l| !l.is_empty()).count();
    assert_eq!(records, 10);
    let semi = to_csv(&table, CsvSeparator::Semicolon);
    assert!(semi.starts_with("\u{feff}Tiêu chí;Số lượng;Diễn giải\r\n"));
    // A comma inside a field is plain text with `;` between fields.
    assert!(semi.contains("trưng bày, giới thiệu"));
}

fn pdftotext(pdf: &[u8], layout: bool) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("baocao.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new("pdftotext")
        .args(if layout { &["-layout"][..] } else { &[] })
        .args(["-enc", "UTF-8", path.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn pdf_prints_the_table_with_vietnamese_letters() {
    let table = report_table(&report(&shop(), YEAR, mid_year()).unwrap());
    let pdf = to_pdf(&table).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    if std::env::var_os("MOIT_KEEP_PDF").is_some() {
        std::fs::write("/tmp/moit-report.pdf", &pdf).unwrap();
    }
    let text = pdftotext(&pdf, false);
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for expected in [
        "BÁO CÁO SỐ LIỆU",
        "Từ ngày 01/01/2026 – đến thời điểm truy cập",
        "Thời điểm thống kê: 15/06/2026 12:00:00",
        "Cửa hàng Trà Đặng Hưởng",
        "Tiêu chí",
        "Số lượng",
        "Diễn giải",
        "Số lượng truy cập",
        "Số lượng người bán",
        "Số lượng người bán mới",
        "Số lượng sản phầm",
        "Tổng số sản phẩm (SKU)",
        "Số sản phẩm đăng bán mới",
        "Tổng số đơn hàng thành công",
        "Tổng số đơn hàng không thành công",
        "Tổng giá trị giao dịch",
        "320.000 đồng",
        "135",
        "dịch vụ tin vip",
    ] {
        assert!(flat.contains(expected), "«{expected}» missing from:\n{text}");
    }
    // The criteria stand in the guide's order, top to bottom.
    let layout = pdftotext(&pdf, true);
    let order = ["Số lượng truy cập", "Tổng số người bán", "Tổng số sản phẩm (SKU)", "Tổng số đơn hàng thành công", "Tổng giá trị giao dịch"];
    let positions: Vec<usize> = order.iter().map(|c| layout.find(c).unwrap()).collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{positions:?}");
}

#[test]
fn imported_visits_enter_the_report() {
    let store = shop();
    let export = "Ngày;Lượt truy cập\n02/01/2026;1.200\n2026-01-03;300\n04/01/2026;nhiều\n2026-06-16;7\n";
    let outcome = import_visits(&store, export).unwrap();
    assert_eq!(outcome.taken, 3);
    assert_eq!(outcome.total_visits, 1_507);
    assert_eq!(outcome.first_day.as_deref(), Some("02/01/2026"));
    assert_eq!(outcome.last_day.as_deref(), Some("16/06/2026"));
    assert!(outcome.had_header);
    assert_eq!(outcome.refused.len(), 1);
    assert_eq!(outcome.refused[0].line, 4);
    assert_eq!(outcome.refused[0].text, "04/01/2026;nhiều");
    // 16/06 is after the mid-year moment: 25 + 1 200 + 300.
    let r = report(&store, YEAR, mid_year()).unwrap();
    assert_eq!(r.visits_since_start_of_year.value, 1_525);
    // The same day again replaces, never adds.
    import_visits(&store, "2026-01-02,1200\n").unwrap();
    assert_eq!(store.total_visits_between(date!(2026 - 01 - 02), date!(2026 - 01 - 02)).unwrap(), 1_200);
}

#[test]
fn an_import_of_any_file_shows_only_the_start_of_a_few_refused_lines() {
    let store = shop();
    // A file that is no export at all, e.g. a key file picked by mistake.
    let secret: String = "0123456789abcdef".repeat(10);
    let text: String = (0..500).map(|i| format!("{secret}-{i}\n")).collect();
    let outcome = import_visits(&store, &text).unwrap();
    assert_eq!(outcome.taken, 0);
    assert!(outcome.had_header, "a first line that is no data is read as the header");
    assert_eq!(outcome.refused_total, 499);
    assert_eq!(outcome.refused.len(), hoadon_moit::SHOWN_REFUSED);
    for r in &outcome.refused {
        assert_eq!(r.text.chars().count(), hoadon_moit::SHOWN_CHARS + 1, "{}", r.text);
        assert!(r.text.ends_with('…'));
    }
    let shown: usize = outcome.refused.iter().map(|r| r.text.len()).sum();
    assert!(shown < text.len() / 5, "{shown} of {} bytes shown", text.len());
}
