//! `hoadon moit report|serve`: the MOIT (Bộ Công Thương) statistics from the command line.
//!
//! `report` prints the nine figures: a readable Vietnamese table by default, the API answer
//! under the guide's exact keys with `--json` (PascalCase with `--pascal`), or the page's
//! table as CSV with `--csv`. `serve` starts the embedded server with the accounts saved
//! under `moit.server` in the shop's database and runs until Ctrl-C.

use std::path::Path;

use clap::{ArgAction, Args, Subcommand, ValueEnum};
use hoadon_core::moit::{
    ApiFigures, CsvSeparator, KeyCase, MoitReport, MoitServerStatus, Since, StoreSource, VisitsPeriod, report_table,
};
use hoadon_core::rules::calendar;
use hoadon_core::store::Store;
use hoadon_core::{Error, Shop};

use crate::secret_input::{self, SecretSource};

#[derive(Subcommand)]
pub enum MoitCommand {
    /// The figures of a year, up to now (or up to 31/12 for a past year).
    Report(ReportArgs),
    /// Start the report server the ministry pulls from (settings saved in the app's Cài đặt).
    Serve(ServeArgs),
    /// The report server's settings of Cài đặt › Báo cáo Bộ Công Thương: change the given
    /// fields or `--show` them (passwords only as saved or not).
    Settings(SettingsArgs),
}

#[derive(Args)]
pub struct SettingsArgs {
    /// Print the saved settings and change nothing.
    #[arg(long)]
    show: bool,
    /// Start the server with the app (and allow `hoadon moit serve`).
    #[arg(long, action = ArgAction::Set)]
    enabled: Option<bool>,
    /// The address to listen on, e.g. 127.0.0.1.
    #[arg(long)]
    bind: Option<String>,
    #[arg(long)]
    port: Option<String>,
    /// Confirm binding beyond loopback (plain HTTP: put HTTPS in front, see the help in Cài đặt).
    #[arg(long, action = ArgAction::Set)]
    expose_confirmed: Option<bool>,
    /// The API option (the ministry's server POSTs for the figures).
    #[arg(long, action = ArgAction::Set)]
    api_enabled: Option<bool>,
    #[arg(long)]
    api_path: Option<String>,
    /// The API account's user name; its password comes from HOADON_MOIT_API_PASSWORD, else
    /// a prompt on a terminal (empty keeps the saved one).
    #[arg(long)]
    api_user: Option<String>,
    /// Answer with PascalCase keys (SoLuongTruyCap).
    #[arg(long, action = ArgAction::Set)]
    pascal: Option<bool>,
    /// The report page option; its password comes from HOADON_MOIT_PAGE_PASSWORD, else a
    /// prompt on a terminal.
    #[arg(long, action = ArgAction::Set)]
    page_enabled: Option<bool>,
    /// Behind a reverse proxy or tunnel (the client address comes from its header).
    #[arg(long, action = ArgAction::Set)]
    behind_proxy: Option<bool>,
    #[arg(long, value_enum)]
    visits_period: Option<PeriodArg>,
    /// The shop's website (tenmien.vn), for the publishing explanation.
    #[arg(long)]
    domain: Option<String>,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum PeriodArg {
    /// The API from 01/01, the page from the start of operation.
    AsEachDocumentSays,
    StartOfYear,
    StartOfOperation,
}

#[derive(Args)]
pub struct ReportArgs {
    /// The year (default: this year, Vietnam's time).
    #[arg(long)]
    year: Option<i32>,
    /// The page's table as CSV (UTF-8 with BOM, for Excel).
    #[arg(long, conflicts_with = "pascal")]
    csv: bool,
    /// With --json: keys in PascalCase (SoLuongTruyCap) instead of the guide's camelCase.
    #[arg(long)]
    pascal: bool,
}

#[derive(Args)]
pub struct ServeArgs {
    /// Listen on this port instead of the saved one (0: any free port).
    #[arg(long)]
    port: Option<u16>,
}

pub fn run(shop: &Shop, db: &Path, cmd: MoitCommand, json: bool) -> Result<(), Error> {
    match cmd {
        MoitCommand::Report(args) => {
            let year = args.year.unwrap_or_else(|| calendar::now().year());
            let report = shop.moit_year_report(year)?;
            if args.csv {
                out(&hoadon_core::moit::to_csv(&report_table(&report), CsvSeparator::Comma));
            } else if json || args.pascal {
                let case = if args.pascal { KeyCase::Pascal } else { KeyCase::Camel };
                println!("{}", ApiFigures::of(&report).to_json_pretty(case));
            } else {
                out(&readable(&report));
            }
            Ok(())
        }
        MoitCommand::Serve(args) => serve(shop, db, args),
        MoitCommand::Settings(args) => settings(shop, args, json),
    }
}

fn settings(shop: &Shop, args: SettingsArgs, json: bool) -> Result<(), Error> {
    let status = MoitServerStatus::default();
    let mut info = shop.moit_server_settings(status.clone())?;
    if !args.show {
        let mut form = info.form.clone();
        let set = |slot: &mut String, value: Option<String>| {
            if let Some(v) = value {
                *slot = v;
            }
        };
        let api_user_given = args.api_user.is_some();
        set(&mut form.bind_address, args.bind);
        set(&mut form.port, args.port);
        set(&mut form.api_path, args.api_path);
        set(&mut form.api_user_name, args.api_user);
        set(&mut form.domain, args.domain);
        let flag = |slot: &mut bool, value: Option<bool>| {
            if let Some(v) = value {
                *slot = v;
            }
        };
        flag(&mut form.enabled, args.enabled);
        flag(&mut form.expose_confirmed, args.expose_confirmed);
        flag(&mut form.api_enabled, args.api_enabled);
        flag(&mut form.pascal_case, args.pascal);
        flag(&mut form.page_enabled, args.page_enabled);
        flag(&mut form.behind_proxy, args.behind_proxy);
        if let Some(p) = args.visits_period {
            form.visits_period = match p {
                PeriodArg::AsEachDocumentSays => VisitsPeriod::AsEachDocumentSays,
                PeriodArg::StartOfYear => VisitsPeriod::StartOfYear,
                PeriodArg::StartOfOperation => VisitsPeriod::StartOfOperation,
            };
        }
        // Passwords: the environment, else a prompt when the option is being set up and has
        // none saved (or the API user changes); empty keeps the saved one.
        let ask_api = form.api_enabled && (api_user_given || !info.api_password_set);
        form.api_password = if ask_api || std::env::var_os("HOADON_MOIT_API_PASSWORD").is_some() {
            secret_input::read(
                SecretSource { flag: "", value: None, env: "HOADON_MOIT_API_PASSWORD", prompt: "Mật khẩu tài khoản API: " },
                false,
            )?
            .unwrap_or_default()
        } else {
            String::new()
        };
        let ask_page = form.page_enabled && !info.page_password_set;
        form.page_password = if ask_page || std::env::var_os("HOADON_MOIT_PAGE_PASSWORD").is_some() {
            secret_input::read(
                SecretSource { flag: "", value: None, env: "HOADON_MOIT_PAGE_PASSWORD", prompt: "Mật khẩu trang báo cáo: " },
                false,
            )?
            .unwrap_or_default()
        } else {
            String::new()
        };
        info = shop.save_moit_server_settings(&form, status)?;
        if !json {
            println!("Đã lưu cài đặt máy chủ báo cáo Bộ Công Thương (máy chủ đang chạy dùng cài đặt mới khi khởi động lại).");
        }
    }
    if json {
        println!("{}", serde_json::to_string_pretty(&info).expect("serialises"));
        return Ok(());
    }
    let f = &info.form;
    let on = |b: bool| if b { "bật" } else { "tắt" };
    let saved = |b: bool| if b { "*** (đã lưu)" } else { "(chưa có)" };
    println!("Máy chủ: {}", on(f.enabled));
    println!("Địa chỉ: {}:{}", f.bind_address, f.port);
    println!("API: {} – {} – tài khoản {} – mật khẩu {}{}", on(f.api_enabled), f.api_path, f.api_user_name, saved(info.api_password_set), if f.pascal_case { " – PascalCase" } else { "" });
    println!("Trang báo cáo: {} – tài khoản {} – mật khẩu {}", on(f.page_enabled), hoadon_core::moit::PAGE_USER, saved(info.page_password_set));
    println!("Sau proxy/đường hầm: {}", on(f.behind_proxy));
    println!("Tên miền: {}", f.domain);
    Ok(())
}

/// Writes to stdout; a closed pipe (`| head`) is not an error worth a panic.
fn out(text: &str) {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush());
}

/// The table as a person reads it in a terminal.
fn readable(report: &MoitReport) -> String {
    let table = report_table(report);
    let mut out = String::new();
    if let Some(name) = &table.shop_name {
        out.push_str(&format!("{name}\n"));
    }
    out.push_str(&format!("{}\n{}\n{}\n\n", table.heading, table.period_line, table.as_of_line));
    let width = table.rows.iter().map(|r| r.criterion.chars().count()).max().unwrap_or(0);
    for row in &table.rows {
        let pad = " ".repeat(width - row.criterion.chars().count());
        out.push_str(&format!("{}{pad}  {:>22}\n", row.criterion, row.value_text));
        out.push_str(&format!("    {}\n", row.period_note));
    }
    out.push_str(&format!(
        "\nĐơn hàng chờ xử lý (chỉ tính vào tổng số đơn hàng): {}\n",
        hoadon_core::rules::money::group_thousands(report.orders_pending.value)
    ));
    out.push_str(&format!(
        "Lượt truy cập: từ 01/01/{} là {}, từ khi hoạt động là {}; API trả số {}, trang báo cáo hiện số {}.\n",
        report.year,
        hoadon_core::rules::money::group_thousands(report.visits_since_start_of_year.value),
        hoadon_core::rules::money::group_thousands(report.visits_since_start_of_operation.value),
        since_words(report.api_visits.since),
        since_words(report.page_visits.since),
    ));
    out
}

fn since_words(since: Since) -> &'static str {
    match since {
        Since::StartOfYear => "từ 01/01",
        Since::StartOfOperation => "từ khi hoạt động",
    }
}

fn serve(shop: &Shop, db: &Path, args: ServeArgs) -> Result<(), Error> {
    let mut config = shop.moit_server_config()?;
    if !config.enabled {
        return Err(Error::field(
            "moit_server",
            "Máy chủ báo cáo Bộ Công Thương đang tắt: bật và đặt tài khoản trong Cài đặt › Báo cáo Bộ Công Thương.",
        ));
    }
    if let Some(port) = args.port {
        config.port = port;
    }
    let store = Store::open(db).map_err(Error::Store)?;
    let source = StoreSource::new(store, config.visits_period);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::Invalid { message: format!("không khởi động được máy chủ: {e}"), fields: Vec::new() })?;
    runtime.block_on(async move {
        let api = config.api.as_ref().map(|a| a.path.clone());
        let page = config.page.is_some();
        let server = hoadon_core::moit::serve(config, source).await?;
        let url = server.base_url();
        println!("Máy chủ báo cáo Bộ Công Thương: {url}");
        if let Some(path) = api {
            println!("  API (POST): {url}{path}");
        }
        if page {
            println!("  Trang báo cáo: {url}/ (tài khoản {})", hoadon_core::moit::PAGE_USER);
        }
        println!("Nhấn Ctrl-C để dừng.");
        use std::io::Write;
        let _ = std::io::stdout().flush();
        let _ = tokio::signal::ctrl_c().await;
        server.shutdown().await?;
        println!("Đã dừng máy chủ báo cáo.");
        Ok(())
    })
}
