//! The report page's table as the online.gov.vn guide lays it out, as data.
//!
//! The HTML page, the PDF, the CSV and the app's screen all draw these same rows, so the
//! wording the ministry reads is written once. The criteria and the "Diễn giải" texts are
//! the guide's own, letter for letter, including its "Số lượng sản phầm" and "dịch khuyến
//! mại": an inspector compares the page with the guide, not with a dictionary. The one
//! change is the closing parenthesis the guide forgot after the transaction value's note.

use hoadon_rules::calendar;
use hoadon_rules::money::group_thousands;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::json::API_KEYS;
use crate::report::{Figure, MoitReport, Since};

/// The heading of the report page, the CSV and the PDF.
pub const HEADING: &str = "BÁO CÁO SỐ LIỆU";
/// The table's three columns, as the guide names them.
pub const COLUMNS: [&str; 3] = ["Tiêu chí", "Số lượng", "Diễn giải"];
/// The login name the guide fixes for the report page.
pub const PAGE_USER: &str = "BaocaoTMDT";

const SINCE_OPERATION: &str = "(Tính từ thời điểm hoạt động đến thời điểm thống kê)";

const SELLERS_EXPLANATION: &str = "+ Website/ứng dụng cho phép người tham gia được mở các gian hàng để trưng bày, giới thiệu hàng hóa hoặc dịch vụ: là tổng số người bán, nhà cung cấp
+ Website/ứng dụng cho phép người tham gia được mở tài khoản để thực hiện quá trình giao kết hợp đồng với khách hàng: là tổng số người bán, nhà cung cấp, tổng số người tham gia được mở tài khoản thực hiện quá trình giao kết hợp đồng.
+ Website/ứng dụng có chuyên mục mua bán, trên đó cho phép người tham gia đăng tin mua bán hàng hóa và dịch vụ: là tổng số thành viên thực hiện đăng tin bán sản phẩm, dịch vụ.
+ Website/ứng dụng cung cấp dịch khuyến mại trực tuyến: là tổng số đơn vị thực hiện khuyến mại đến khách hàng.";

const PRODUCTS_EXPLANATION: &str = "+ Website/ứng dụng cho phép người tham gia được mở các gian hàng để trưng bày, giới thiệu hàng hóa hoặc dịch vụ: là tổng số sản phẩm được bán thông qua website/ứng dụng
+ Website/ứng dụng có chuyên mục mua bán, trên đó cho phép người tham gia đăng tin mua bán hàng hóa và dịch vụ: là tổng số tin đăng bán sản phẩm, dịch vụ.
+ Website/ứng dụng cung cấp dịch khuyến mại trực tuyến: Tổng số sản phẩm/dịch vụ được khuyến mại.";

const ORDERS_EXPLANATION: &str = "+ Website/ứng dụng có chức năng giao kết hợp đồng trực tuyến (chức năng đặt hàng, đặt lịch, đặt xe … trực tuyến) là toàn bộ các giao dịch đặt hàng được thực hiện trên website/ứng dụng.
+ Website/ứng dụng có chuyên mục mua bán, trên đó cho phép người tham gia đăng tin mua bán hàng hóa và dịch vụ: là các giao dịch do khách hàng thực hiện thanh toán cho dịch vụ đăng tin, dịch vụ tin vip, dịch vụ đẩy tin …";

/// One row of the table.
///
/// Rows of one group ("Số lượng người bán", …) follow each other; the guide merges the
/// group's cell, and its "Diễn giải" cell, over them: the explanation is on the group's
/// first row and empty on the others.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export, rename = "MoitReportRow")]
pub struct ReportRow {
    /// The merged left cell, `None` for a row whose criterion spans the whole "Tiêu chí".
    pub group: Option<String>,
    /// "Tổng số người bán", …
    pub criterion: String,
    /// The period under the criterion, as the guide words it, with the year filled in:
    /// "(Tính từ thời điểm hoạt động đến thời điểm thống kê)".
    pub period_note: String,
    /// The "Số lượng" figure (whole đồng for the transaction value).
    #[ts(type = "number")]
    pub value: i64,
    /// `value` as printed: "1.500.000.000", with " đồng" for the transaction value.
    pub value_text: String,
    /// The "Diễn giải" text; bullets on their own lines.
    pub explanation: String,
    /// The API key of the same figure (camelCase), to match a row with the JSON answer.
    pub key: String,
    /// The figure itself, with the period it really counts.
    pub figure: Figure,
}

/// The whole page: headings and rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export, rename = "MoitReportTable")]
pub struct ReportTable {
    /// "BÁO CÁO SỐ LIỆU".
    pub heading: String,
    /// "Từ ngày 01/01/2026 – đến thời điểm truy cập".
    pub period_line: String,
    /// "Thời điểm thống kê: 15/06/2026 10:30:00".
    pub as_of_line: String,
    /// The shop's name above the table, when it has one.
    pub shop_name: Option<String>,
    /// "Tiêu chí", "Số lượng", "Diễn giải".
    pub columns: Vec<String>,
    /// The nine criteria in the guide's order.
    pub rows: Vec<ReportRow>,
}

impl ReportTable {
    /// The rows grouped as the guide merges them: (group, rows of the group). A row without
    /// a group stands alone.
    pub fn blocks(&self) -> Vec<&[ReportRow]> {
        let mut blocks = Vec::new();
        let mut start = 0;
        for i in 1..=self.rows.len() {
            let ends = i == self.rows.len() || self.rows[i].group.is_none() || self.rows[i].group != self.rows[start].group;
            if ends {
                blocks.push(&self.rows[start..i]);
                start = i;
            }
        }
        blocks
    }
}

fn since_year(year: i32) -> String {
    format!("(Tính thời điểm năm báo cáo từ 01/1/{year} đến thời điểm báo cáo)")
}

/// The table of `report`, rows in the guide's order. The visits row shows
/// [`MoitReport::page_visits`] and words its period after the one it really counts.
pub fn report_table(report: &MoitReport) -> ReportTable {
    let year = report.year;
    let visits_note = match report.page_visits.since {
        Since::StartOfOperation => SINCE_OPERATION.to_string(),
        Since::StartOfYear => format!("(Tính từ 01/01/{year} đến thời điểm thống kê)"),
    };
    let row = |key: usize, group: Option<&str>, criterion: &str, note: String, figure: Figure, explanation: &str| {
        let mut value_text = group_thousands(figure.value);
        if key == 8 {
            value_text.push_str(" đồng");
        }
        ReportRow {
            group: group.map(str::to_string),
            criterion: criterion.to_string(),
            period_note: note,
            value: figure.value,
            value_text,
            explanation: explanation.to_string(),
            key: API_KEYS[key].to_string(),
            figure,
        }
    };
    let sellers = Some("Số lượng người bán");
    let products = Some("Số lượng sản phầm");
    let orders = Some("Số lượng giao dịch");
    let rows = vec![
        row(0, None, "Số lượng truy cập", visits_note, report.page_visits, ""),
        row(1, sellers, "Tổng số người bán", SINCE_OPERATION.into(), report.sellers_total, SELLERS_EXPLANATION),
        row(2, sellers, "Số lượng người bán mới", since_year(year), report.sellers_new, ""),
        row(3, products, "Tổng số sản phẩm (SKU)", SINCE_OPERATION.into(), report.products_total, PRODUCTS_EXPLANATION),
        row(4, products, "Số sản phẩm đăng bán mới", since_year(year), report.products_new, ""),
        row(5, orders, "Tổng số đơn hàng", since_year(year), report.orders_total, ORDERS_EXPLANATION),
        row(6, orders, "Tổng số đơn hàng thành công", since_year(year), report.orders_successful, ""),
        row(7, orders, "Tổng số đơn hàng không thành công", since_year(year), report.orders_failed, ""),
        row(
            8,
            None,
            "Tổng giá trị giao dịch",
            format!(
                "(Tổng số này ứng với tổng số đơn hàng giao dịch thành công (Tính thời điểm năm báo cáo từ 01/1/{year} đến thời điểm báo cáo))"
            ),
            report.transaction_value,
            "",
        ),
    ];
    ReportTable {
        heading: HEADING.to_string(),
        period_line: format!("Từ ngày 01/01/{year} – đến thời điểm truy cập"),
        as_of_line: format!("Thời điểm thống kê: {}", calendar::format_moment(report.as_of)),
        shop_name: report.shop_name.clone(),
        columns: COLUMNS.iter().map(|c| c.to_string()).collect(),
        rows,
    }
}
