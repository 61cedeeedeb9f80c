//! The ministry's side of the MOIT e-commerce statistics, for tests and demos.
//!
//! online.gov.vn pulls a shop's figures in one of two ways; this crate does both the way the
//! official guide describes them, over real HTTP, and checks what comes back on its own
//! terms (it shares no code with the shop's server, so a mistake there is not repeated
//! here):
//!
//! - [`Puller::pull_api`]: `POST` `{"UserName","PassWord"}` to the API address and check
//!   the answer has exactly the guide's nine keys (camelCase, or PascalCase as a law-firm
//!   page prints them), each a non-negative integer.
//! - [`Puller::pull_page`]: open the report page, log in as `BaocaoTMDT`, and read the
//!   table's rows (group, criterion, period note, figure) and its headings.
//!
//! The `sim-moit` binary prints what it pulled:
//! `sim-moit api http://127.0.0.1:8787/api/baocao USER PASSWORD` or
//! `sim-moit page http://127.0.0.1:8787 PASSWORD`.

use std::time::Duration;

use reqwest::StatusCode;
use reqwest::redirect::Policy;
use serde_json::Value;
use thiserror::Error;

/// The keys of the guide's example answer, in its order, misspelling included.
pub const GUIDE_KEYS: [&str; 9] = [
    "soLuongTruyCap",
    "soNguoiBan",
    "soNguoiBanMoi",
    "tongSoSanPham",
    "soSanPhamMoi",
    "soLuongGiaoDich",
    "tongSoDonHangThanhCong",
    "tongSoDongHangKhongThanhCong",
    "tongGiaTriGiaoDich",
];

/// The login name the guide fixes for the report page.
pub const PAGE_USER: &str = "BaocaoTMDT";

/// Why a pull did not give what the guide promises.
#[derive(Debug, Error)]
pub enum SimError {
    /// The request did not complete.
    #[error("HTTP: {0}")]
    Http(#[from] reqwest::Error),
    /// The server answered with another status than expected.
    #[error("HTTP {status}: {body}")]
    Status {
        /// The HTTP status.
        status: u16,
        /// The body, as text.
        body: String,
    },
    /// The answer arrived but breaks the guide (a key, a value, the page's table).
    #[error("the answer does not follow the guide: {0}")]
    Invalid(String),
}

/// How the answer wrote its keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Case {
    /// `soLuongTruyCap`, as the guide writes them.
    Camel,
    /// `SoLuongTruyCap`.
    Pascal,
}

/// A valid API answer: the nine figures in the guide's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiAnswer {
    /// How the keys were written.
    pub case: Case,
    /// The nine figures in the order of [`GUIDE_KEYS`].
    pub values: [u64; 9],
}

impl ApiAnswer {
    /// The figure under `key` (camelCase as in [`GUIDE_KEYS`]).
    pub fn get(&self, key: &str) -> Option<u64> {
        GUIDE_KEYS.iter().position(|k| *k == key).map(|i| self.values[i])
    }

    /// Figures that cannot all be true at once (a part larger than its whole).
    pub fn inconsistencies(&self) -> Vec<String> {
        let v = &self.values;
        let mut out = Vec::new();
        if v[2] > v[1] {
            out.push(format!("new sellers {} > sellers {}", v[2], v[1]));
        }
        if v[4] > v[3] {
            out.push(format!("new products {} > products {}", v[4], v[3]));
        }
        if v[6] + v[7] > v[5] {
            out.push(format!("successful {} + failed {} > orders {}", v[6], v[7], v[5]));
        }
        if v[6] == 0 && v[8] > 0 {
            out.push(format!("a transaction value of {} without a successful order", v[8]));
        }
        out
    }
}

fn pascal(key: &str) -> String {
    let mut chars = key.chars();
    chars.next().map(|c| c.to_ascii_uppercase().to_string() + chars.as_str()).unwrap_or_default()
}

/// Checks an API answer: a JSON object with exactly the nine keys, all in one case, each a
/// non-negative integer.
pub fn validate_api_answer(body: &str) -> Result<ApiAnswer, SimError> {
    let value: Value = serde_json::from_str(body).map_err(|e| SimError::Invalid(format!("not JSON: {e}")))?;
    let Value::Object(map) = value else {
        return Err(SimError::Invalid("not a JSON object".into()));
    };
    let case = if map.contains_key(GUIDE_KEYS[0]) { Case::Camel } else { Case::Pascal };
    let keys: Vec<String> = GUIDE_KEYS.iter().map(|k| if case == Case::Camel { k.to_string() } else { pascal(k) }).collect();
    let unexpected: Vec<&String> = map.keys().filter(|k| !keys.contains(k)).collect();
    if !unexpected.is_empty() {
        return Err(SimError::Invalid(format!("unexpected keys {unexpected:?}")));
    }
    let mut values = [0u64; 9];
    for (i, key) in keys.iter().enumerate() {
        let value = map.get(key).ok_or_else(|| SimError::Invalid(format!("missing key {key}")))?;
        values[i] = value
            .as_u64()
            .ok_or_else(|| SimError::Invalid(format!("{key} is {value}, not a non-negative integer")))?;
    }
    Ok(ApiAnswer { case, values })
}

/// One row of the report page's table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRow {
    /// The merged group cell ("Số lượng người bán"), when the row is in one.
    pub group: Option<String>,
    /// "Tổng số người bán".
    pub criterion: String,
    /// "(Tính từ thời điểm hoạt động đến thời điểm thống kê)".
    pub note: String,
    /// The "Số lượng" figure.
    pub value: u64,
    /// The "Diễn giải" cell, when this row carries it.
    pub explanation: Option<String>,
}

/// What the report page shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageReport {
    /// The heading above the table.
    pub heading: String,
    /// The line naming the period.
    pub period_line: String,
    /// The column headers, left to right.
    pub columns: Vec<String>,
    /// The rows, top to bottom.
    pub rows: Vec<PageRow>,
}

/// The result of one plain request, for tests that look at the status and headers.
#[derive(Debug, Clone)]
pub struct RawAnswer {
    /// The HTTP status.
    pub status: StatusCode,
    /// `Location`, for a redirect.
    pub location: Option<String>,
    /// `Retry-After` in seconds, while the address is held back.
    pub retry_after: Option<u64>,
    /// Every `Set-Cookie` header.
    pub set_cookie: Vec<String>,
    /// `Content-Type`.
    pub content_type: Option<String>,
    /// The body, as text.
    pub body: String,
}

/// The ministry's puller: an HTTP client that keeps cookies (for the report page) and
/// follows no redirect by itself, so every step is seen.
pub struct Puller {
    client: reqwest::Client,
}

impl Default for Puller {
    fn default() -> Self {
        Puller::new()
    }
}

impl Puller {
    /// A puller with an empty cookie jar.
    pub fn new() -> Puller {
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(Policy::none())
            .timeout(Duration::from_secs(30))
            .user_agent("online.gov.vn-sim")
            .build()
            .expect("a plain HTTP client builds");
        Puller { client }
    }

    async fn raw(&self, request: reqwest::RequestBuilder) -> Result<RawAnswer, SimError> {
        let response = self.client.execute(request.build()?).await?;
        let header = |name: &str| response.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_string);
        Ok(RawAnswer {
            status: response.status(),
            location: header("location"),
            retry_after: header("retry-after").and_then(|v| v.parse().ok()),
            set_cookie: response
                .headers()
                .get_all("set-cookie")
                .iter()
                .filter_map(|v| v.to_str().ok().map(str::to_string))
                .collect(),
            content_type: header("content-type"),
            body: response.text().await?,
        })
    }

    /// `POST` of `body` as it is (any bytes, JSON or not) to `url`.
    pub async fn post_raw(&self, url: &str, body: &str) -> Result<RawAnswer, SimError> {
        self.raw(self.client.post(url).header("content-type", "application/json").body(body.to_string())).await
    }

    /// A request of any method, no body.
    pub async fn request_raw(&self, method: reqwest::Method, url: &str) -> Result<RawAnswer, SimError> {
        self.raw(self.client.request(method, url)).await
    }

    /// A form `POST` (the login).
    pub async fn post_form(&self, url: &str, fields: &[(&str, &str)]) -> Result<RawAnswer, SimError> {
        self.raw(self.client.post(url).form(fields)).await
    }

    /// Pulls the API option as the ministry does and checks the answer.
    pub async fn pull_api(&self, url: &str, user: &str, password: &str) -> Result<ApiAnswer, SimError> {
        let body = serde_json::json!({ "UserName": user, "PassWord": password }).to_string();
        let answer = self.post_raw(url, &body).await?;
        if answer.status != StatusCode::OK {
            return Err(SimError::Status { status: answer.status.as_u16(), body: answer.body });
        }
        if !answer.content_type.as_deref().unwrap_or("").starts_with("application/json") {
            return Err(SimError::Invalid(format!("content type {:?}", answer.content_type)));
        }
        validate_api_answer(&answer.body)
    }

    /// Opens the report page at `base_url`, logs in as `BaocaoTMDT` and reads the table.
    pub async fn pull_page(&self, base_url: &str, password: &str) -> Result<PageReport, SimError> {
        let base = base_url.trim_end_matches('/');
        let form = self.request_raw(reqwest::Method::GET, &format!("{base}/")).await?;
        let already_in = form.status == StatusCode::SEE_OTHER;
        if !already_in {
            if form.status != StatusCode::OK || !form.body.contains("name=\"password\"") {
                return Err(SimError::Invalid(format!("no login form at {base}/ (HTTP {})", form.status)));
            }
            let login = self.post_form(&format!("{base}/login"), &[("username", PAGE_USER), ("password", password)]).await?;
            if login.status != StatusCode::SEE_OTHER {
                return Err(SimError::Status { status: login.status.as_u16(), body: login.body });
            }
        }
        let page = self.request_raw(reqwest::Method::GET, &format!("{base}/baocao")).await?;
        if page.status != StatusCode::OK {
            return Err(SimError::Status { status: page.status.as_u16(), body: page.body });
        }
        parse_report_page(&page.body)
    }
}

/// Reads the report page: `h1`, the period paragraph under it, the column titles and
/// the rows, following the merged (rowspan) group cells.
pub fn parse_report_page(html: &str) -> Result<PageReport, SimError> {
    let heading = element_text(html, "h1").ok_or_else(|| SimError::Invalid("no heading".into()))?;
    let after_heading = &html[html.find("</h1>").unwrap_or(0)..];
    let period_line = element_text(after_heading, "p").unwrap_or_default();
    let thead = section(html, "thead").ok_or_else(|| SimError::Invalid("no table head".into()))?;
    let columns = cells(thead, "th").into_iter().map(|c| c.text).collect();
    let tbody = section(html, "tbody").ok_or_else(|| SimError::Invalid("no table body".into()))?;
    let mut rows = Vec::new();
    let mut group: Option<(String, usize)> = None;
    for row_html in tbody.split("<tr").skip(1) {
        let cells = cells(row_html, "td");
        let value_at = cells
            .iter()
            .position(|c| figure(&c.text).is_some())
            .ok_or_else(|| SimError::Invalid(format!("a row without a figure: {row_html}")))?;
        let (group_name, criterion_cell) = match value_at {
            2 => {
                group = Some((cells[0].text.clone(), cells[0].rowspan.saturating_sub(1)));
                (Some(cells[0].text.clone()), &cells[1])
            }
            1 => match group.as_mut() {
                Some((name, left)) if *left > 0 => {
                    *left -= 1;
                    (Some(name.clone()), &cells[0])
                }
                _ => {
                    group = None;
                    (None, &cells[0])
                }
            },
            _ => return Err(SimError::Invalid(format!("unexpected row layout: {row_html}"))),
        };
        let (criterion, note) = criterion_cell.text.split_once('\n').unwrap_or((&criterion_cell.text, ""));
        rows.push(PageRow {
            group: group_name,
            criterion: criterion.trim().to_string(),
            note: note.trim().to_string(),
            value: figure(&cells[value_at].text).expect("checked above"),
            explanation: cells.get(value_at + 1).map(|c| c.text.clone()),
        });
    }
    Ok(PageReport { heading, period_line, columns, rows })
}

/// "1.234.567" or "1.500.000.000 đồng" → the number.
fn figure(text: &str) -> Option<u64> {
    let digits = text.trim().trim_end_matches("đồng").trim();
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return None;
    }
    digits.replace('.', "").parse().ok()
}

struct Cell {
    text: String,
    rowspan: usize,
}

fn section<'a>(html: &'a str, tag: &str) -> Option<&'a str> {
    let start = html.find(&format!("<{tag}"))?;
    let end = html[start..].find(&format!("</{tag}>"))? + start;
    Some(&html[start..end])
}

fn element_text(html: &str, tag: &str) -> Option<String> {
    let start = html.find(&format!("<{tag}"))?;
    let open_end = html[start..].find('>')? + start + 1;
    let end = html[open_end..].find(&format!("</{tag}>"))? + open_end;
    Some(text_of(&html[open_end..end]))
}

fn cells(html: &str, tag: &str) -> Vec<Cell> {
    let mut out = Vec::new();
    let mut rest = html;
    let open = format!("<{tag}");
    let close = format!("</{tag}>");
    while let Some(start) = rest.find(&open) {
        let Some(open_end) = rest[start..].find('>').map(|i| i + start) else { break };
        let attributes = &rest[start..open_end];
        let Some(end) = rest[open_end..].find(&close).map(|i| i + open_end) else { break };
        let rowspan = attributes
            .split("rowspan=\"")
            .nth(1)
            .and_then(|v| v.split('"').next())
            .and_then(|v| v.parse().ok())
            .unwrap_or(1);
        out.push(Cell { text: text_of(&rest[open_end + 1..end]), rowspan });
        rest = &rest[end + close.len()..];
    }
    out
}

/// The text of an HTML fragment: tags dropped, `<br>` as a line break, entities decoded.
fn text_of(fragment: &str) -> String {
    let mut text = String::new();
    let mut rest = fragment;
    while let Some(lt) = rest.find('<') {
        text.push_str(&rest[..lt]);
        let Some(gt) = rest[lt..].find('>') else { break };
        if rest[lt..lt + gt].starts_with("<br") {
            text.push('\n');
        }
        rest = &rest[lt + gt + 1..];
    }
    text.push_str(rest);
    let decoded = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    decoded.lines().map(str::trim).collect::<Vec<_>>().join("\n").trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_guides_examples_in_both_cases() {
        let camel = r#"{"soLuongTruyCap":100,"soNguoiBan":20,"soNguoiBanMoi":5,"tongSoSanPham":20000,"soSanPhamMoi":1200,
            "soLuongGiaoDich":200,"tongSoDonHangThanhCong":150,"tongSoDongHangKhongThanhCong":50,"tongGiaTriGiaoDich":1500000000}"#;
        let answer = validate_api_answer(camel).unwrap();
        assert_eq!(answer.case, Case::Camel);
        assert_eq!(answer.values, [100, 20, 5, 20000, 1200, 200, 150, 50, 1_500_000_000]);
        assert!(answer.inconsistencies().is_empty());
        let pascal = camel.replace("\"so", "\"So").replace("\"tong", "\"Tong");
        assert_eq!(validate_api_answer(&pascal).unwrap().case, Case::Pascal);
    }

    #[test]
    fn refuses_wrong_keys_and_types() {
        let good = r#"{"soLuongTruyCap":1,"soNguoiBan":1,"soNguoiBanMoi":0,"tongSoSanPham":1,"soSanPhamMoi":0,"soLuongGiaoDich":0,"tongSoDonHangThanhCong":0,"tongSoDongHangKhongThanhCong":0,"tongGiaTriGiaoDich":0}"#;
        assert!(validate_api_answer(good).is_ok());
        // The "corrected" spelling is not what the ministry reads.
        assert!(validate_api_answer(&good.replace("DongHang", "DonHang")).is_err());
        assert!(validate_api_answer(&good.replace("\"soNguoiBan\":1", "\"soNguoiBan\":\"1\"")).is_err());
        assert!(validate_api_answer(&good.replace("\"soNguoiBan\":1", "\"soNguoiBan\":1.5")).is_err());
        assert!(validate_api_answer(&good.replace("\"soNguoiBan\":1", "\"soNguoiBan\":-1")).is_err());
        assert!(validate_api_answer(&good.replace("\"soLuongTruyCap\":1,", "")).is_err());
        assert!(validate_api_answer(&good.replace("\"soLuongTruyCap\":1", "\"SoLuongTruyCap\":1")).is_err());
        assert!(validate_api_answer("[]").is_err());
    }

    #[test]
    fn reads_merged_group_cells() {
        let html = "<h1>BÁO CÁO SỐ LIỆU</h1><p class=\"period\">Từ ngày 01/01/2026 – đến thời điểm truy cập</p>\
            <table><thead><tr><th colspan=\"2\">Tiêu chí</th><th>Số lượng</th><th>Diễn giải</th></tr></thead><tbody>\
            <tr><td colspan=\"2\"><strong>Số lượng truy cập</strong><br><small>(a)</small></td><td>1.234</td><td></td></tr>\
            <tr><td rowspan=\"2\">Số lượng người bán</td><td><strong>Tổng số người bán</strong><br><small>(b)</small></td><td>3</td><td rowspan=\"2\">+ x &amp; y</td></tr>\
            <tr><td><strong>Số lượng người bán mới</strong><br><small>(c)</small></td><td>1</td></tr>\
            <tr><td colspan=\"2\"><strong>Tổng giá trị giao dịch</strong></td><td>1.500.000 đồng</td><td></td></tr>\
            </tbody></table>";
        let page = parse_report_page(html).unwrap();
        assert_eq!(page.heading, "BÁO CÁO SỐ LIỆU");
        assert_eq!(page.period_line, "Từ ngày 01/01/2026 – đến thời điểm truy cập");
        assert_eq!(page.columns, ["Tiêu chí", "Số lượng", "Diễn giải"]);
        let rows: Vec<(Option<&str>, &str, &str, u64)> =
            page.rows.iter().map(|r| (r.group.as_deref(), r.criterion.as_str(), r.note.as_str(), r.value)).collect();
        assert_eq!(
            rows,
            [
                (None, "Số lượng truy cập", "(a)", 1234),
                (Some("Số lượng người bán"), "Tổng số người bán", "(b)", 3),
                (Some("Số lượng người bán"), "Số lượng người bán mới", "(c)", 1),
                (None, "Tổng giá trị giao dịch", "", 1_500_000),
            ]
        );
        assert_eq!(page.rows[1].explanation.as_deref(), Some("+ x & y"));
    }
}
