//! The report-page option: a login form for `BaocaoTMDT`, a session cookie, and the
//! report table as HTML.

use std::collections::HashMap;
use std::fmt::Write;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::rejection::FormRejection;
use axum::extract::{ConnectInfo, Form, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::{Verdict, App, Which, retry_after_secs};
use crate::table::{PAGE_USER, ReportTable, report_table};

const COOKIE: &str = "moit_session";
/// Beyond this many live sessions the oldest is dropped: the ministry needs one, a flood
/// of logins must not fill memory.
const MAX_SESSIONS: usize = 1_000;

/// Live sessions: random token → expiry.
pub(crate) struct Sessions {
    ttl: Duration,
    live: Mutex<HashMap<String, Instant>>,
}

impl Sessions {
    pub(crate) fn new(ttl: Duration) -> Sessions {
        Sessions { ttl, live: Mutex::new(HashMap::new()) }
    }

    fn open(&self) -> Option<String> {
        // 256 bits from the operating system: a token cannot be guessed or predicted.
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).ok()?;
        let token: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        let now = Instant::now();
        let mut live = self.live.lock().expect("sessions lock");
        live.retain(|_, expiry| *expiry > now);
        if live.len() >= MAX_SESSIONS {
            let oldest = live.iter().min_by_key(|(_, e)| **e).map(|(t, _)| t.clone());
            if let Some(oldest) = oldest {
                live.remove(&oldest);
            }
        }
        live.insert(token.clone(), now + self.ttl);
        Some(token)
    }

    fn is_live(&self, token: &str) -> bool {
        let live = self.live.lock().expect("sessions lock");
        live.get(token).is_some_and(|expiry| *expiry > Instant::now())
    }

    fn close(&self, token: &str) {
        self.live.lock().expect("sessions lock").remove(token);
    }
}

fn session_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value.to_string())
}

fn logged_in(app: &App, headers: &HeaderMap) -> bool {
    session_token(headers).is_some_and(|t| app.sessions.is_live(&t))
}

/// Headers every page carries: never cached (the figures change, the page is private),
/// never framed, no script.
fn html(status: StatusCode, body: String) -> Response {
    let mut response = (status, body).into_response();
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'"),
    );
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    response
}

fn see_other(to: &'static str) -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, to)]).into_response()
}

pub(super) async fn login_form(State(app): State<Arc<App>>, headers: HeaderMap) -> Response {
    if logged_in(&app, &headers) {
        return see_other("/baocao");
    }
    html(StatusCode::OK, login_html(None))
}

#[derive(Deserialize)]
pub(super) struct LoginForm {
    username: String,
    password: String,
}

pub(super) async fn login(
    State(app): State<Arc<App>>,
    peer: ConnectInfo<super::timed::Peer>,
    headers: HeaderMap,
    form: Result<Form<LoginForm>, FormRejection>,
) -> Response {
    let ip = app.client_ip(peer, &headers);
    // A browser names the page a form was sent from: another site's form guessing
    // passwords against 127.0.0.1 is refused before anything is counted or checked.
    if let Some(origin) = headers.get(header::ORIGIN) {
        let host = origin.to_str().ok().and_then(|o| o.split_once("://")).map(|(_, host)| host);
        if !host.is_some_and(|host| super::host_allowed(&app.config, host)) {
            tracing::info!(%ip, "MOIT report page: login from another site refused");
            return html(StatusCode::FORBIDDEN, login_html(Some("Yêu cầu đăng nhập đến từ một trang khác.")));
        }
    }
    let reservation = match app.backoff.reserve(ip) {
        Ok(reservation) => reservation,
        Err(wait) => {
        let secs = retry_after_secs(wait);
        let mut response = html(
            StatusCode::TOO_MANY_REQUESTS,
            login_html(Some(&format!("Đăng nhập sai nhiều lần. Vui lòng thử lại sau {secs} giây."))),
        );
        response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(secs));
        return response;
        }
    };
    let Ok(Form(form)) = form else {
        return html(StatusCode::BAD_REQUEST, login_html(Some("Vui lòng nhập tên đăng nhập và mật khẩu.")));
    };
    match app.verify(Which::Page, form.username, form.password).await {
        Verdict::Right => reservation.succeeded(),
        Verdict::Wrong => {
            reservation.failed();
            tracing::info!(%ip, "MOIT report page: wrong login");
            return html(StatusCode::UNAUTHORIZED, login_html(Some("Sai tên đăng nhập hoặc mật khẩu.")));
        }
        Verdict::Busy => {
            let mut response =
                html(StatusCode::SERVICE_UNAVAILABLE, login_html(Some("Máy chủ đang bận, vui lòng thử lại sau giây lát.")));
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(1));
            return response;
        }
    }
    let Some(token) = app.sessions.open() else {
        return html(StatusCode::INTERNAL_SERVER_ERROR, login_html(Some("Không tạo được phiên đăng nhập, vui lòng thử lại.")));
    };
    let via_https = app.config.behind_proxy
        && headers.get("x-forwarded-proto").and_then(|v| v.to_str().ok()).is_some_and(|p| p.eq_ignore_ascii_case("https"));
    let max_age = app.config.session_minutes.max(1) * 60;
    let secure = if via_https { "; Secure" } else { "" };
    let cookie = format!("{COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}");
    tracing::info!(%ip, "MOIT report page: logged in");
    let mut response = see_other("/baocao");
    response.headers_mut().insert(header::SET_COOKIE, HeaderValue::from_str(&cookie).expect("cookie is ASCII"));
    response
}

pub(super) async fn report_page(State(app): State<Arc<App>>, headers: HeaderMap) -> Response {
    if !logged_in(&app, &headers) {
        return see_other("/");
    }
    match app.current_report().await {
        Ok(report) => html(StatusCode::OK, report_html(&report_table(&report))),
        Err(e) => {
            tracing::error!(error = %e, "MOIT report failed");
            html(StatusCode::INTERNAL_SERVER_ERROR, page("Lỗi", "<p>Không lập được báo cáo, vui lòng thử lại sau.</p>"))
        }
    }
}

pub(super) async fn logout(State(app): State<Arc<App>>, headers: HeaderMap) -> Response {
    if let Some(token) = session_token(&headers) {
        app.sessions.close(&token);
    }
    let mut response = see_other("/");
    let expired = format!("{COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
    response.headers_mut().insert(header::SET_COOKIE, HeaderValue::from_str(&expired).expect("cookie is ASCII"));
    response
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Line breaks of a text kept on the page.
fn escape_lines(text: &str) -> String {
    text.split('\n').map(escape).collect::<Vec<_>>().join("<br>")
}

const STYLE: &str = "body{font-family:'Noto Sans',Arial,sans-serif;margin:2rem auto;max-width:70rem;padding:0 1rem;color:#111}
h1{text-align:center;font-size:1.6rem;margin-bottom:.3rem}
.period{text-align:center;margin:.2rem 0}.as-of,.shop{text-align:center;color:#555;font-size:.9rem;margin:.2rem 0}
table{border-collapse:collapse;width:100%;margin-top:1rem}
th,td{border:1px solid #888;padding:.45rem .6rem;vertical-align:top}th{background:#eef1f7}
td.value{text-align:right;font-weight:bold;white-space:nowrap}td.group{font-weight:bold}
small{color:#444}td.explanation{font-size:.85rem}
form.login{max-width:22rem;margin:2rem auto;display:grid;gap:.8rem}
form.login input{width:100%;padding:.4rem;box-sizing:border-box}p.error{color:#b00020;text-align:center}
form.logout{text-align:right}";

fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"robots\" content=\"noindex, nofollow\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n",
        escape(title)
    )
}

/// The login form of the report page, with a message when the last try failed.
pub fn login_html(message: Option<&str>) -> String {
    let message = message.map(|m| format!("<p class=\"error\">{}</p>\n", escape(m))).unwrap_or_default();
    page(
        "Báo cáo số liệu – Đăng nhập",
        &format!(
            "<h1>BÁO CÁO SỐ LIỆU</h1>\n{message}<form class=\"login\" method=\"post\" action=\"/login\">\n\
             <label>Tên đăng nhập<input name=\"username\" autocomplete=\"username\" value=\"{PAGE_USER}\" required></label>\n\
             <label>Mật khẩu<input type=\"password\" name=\"password\" autocomplete=\"current-password\" required autofocus></label>\n\
             <button type=\"submit\">Đăng nhập</button>\n</form>"
        ),
    )
}

/// The report page: heading, period, and the table with the guide's merged cells (the
/// group and its "Diễn giải" span the group's rows).
pub fn report_html(table: &ReportTable) -> String {
    let mut body = String::new();
    let _ = writeln!(body, "<form class=\"logout\" method=\"post\" action=\"/logout\"><button type=\"submit\">Đăng xuất</button></form>");
    let _ = writeln!(body, "<h1>{}</h1>", escape(&table.heading));
    let _ = writeln!(body, "<p class=\"period\">{}</p>", escape(&table.period_line));
    if let Some(shop) = &table.shop_name {
        let _ = writeln!(body, "<p class=\"shop\">{}</p>", escape(shop));
    }
    let _ = writeln!(body, "<p class=\"as-of\">{}</p>", escape(&table.as_of_line));
    let _ = writeln!(body, "<table>\n<thead>\n<tr><th colspan=\"2\">{}</th><th>{}</th><th>{}</th></tr>\n</thead>\n<tbody>", escape(&table.columns[0]), escape(&table.columns[1]), escape(&table.columns[2]));
    for block in table.blocks() {
        let span = block.len();
        for (i, row) in block.iter().enumerate() {
            let criterion = format!("<strong>{}</strong><br><small>{}</small>", escape(&row.criterion), escape(&row.period_note));
            let value = format!("<td class=\"value\" data-value=\"{}\">{}</td>", row.value, escape(&row.value_text));
            let explanation = format!("<td class=\"explanation\" rowspan=\"{span}\">{}</td>", escape_lines(&row.explanation));
            let _ = write!(body, "<tr data-key=\"{}\">", escape(&row.key));
            match (&row.group, i) {
                (Some(group), 0) => {
                    let _ = write!(body, "<td class=\"group\" rowspan=\"{span}\">{}</td><td class=\"criterion\">{criterion}</td>{value}{explanation}", escape(group));
                }
                (Some(_), _) => {
                    let _ = write!(body, "<td class=\"criterion\">{criterion}</td>{value}");
                }
                (None, _) => {
                    let _ = write!(body, "<td class=\"criterion\" colspan=\"2\">{criterion}</td>{value}{explanation}");
                }
            }
            body.push_str("</tr>\n");
        }
    }
    body.push_str("</tbody>\n</table>");
    page(&format!("{} – {}", table.heading, table.period_line), &body)
}
