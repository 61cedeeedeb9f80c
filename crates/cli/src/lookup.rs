//! `hoadon lookup <mst>`: who owns a tax code, through the same look-up as the app (settings
//! and secrets of the shop, answers kept in its database).
//!
//! Exit status 2 and the reason for a tax code refused before anything is sent; 1 when no
//! source is configured (unless `--demo`), or the look-up gave no answer.

use std::path::Path;
use std::sync::Arc;

use clap::{ArgAction, Args, Subcommand, ValueEnum};
use hoadon_core::lookup::LookupMode;
use hoadon_core::{Error, LookupSettingsInfo, LookupSourceId, PartnerLookupResult, Partners, Shop};

use crate::secret_input::{self, SecretSource};
use hoadon_sim_registry as sim;

#[derive(Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct LookupArgs {
    #[command(subcommand)]
    command: Option<LookupCommand>,
    /// Mã số thuế: 10 digits, 10-3 for a branch, or a 12-digit personal ID.
    #[arg(required = true)]
    mst: Option<String>,
    /// Answer from the answers kept in the database only; nothing is sent.
    #[arg(long)]
    offline: bool,
    /// Ask the registry simulator, started inside this process on 127.0.0.1, whatever the
    /// settings (demo tax codes: 0109526016 active, 0110613182 closed, 0318030824 suspended).
    #[arg(long, conflicts_with = "offline")]
    demo: bool,
}

#[derive(Subcommand)]
pub enum LookupCommand {
    /// The look-up settings of Cài đặt › Tra cứu mã số thuế: change the given fields, `--show`
    /// them (secrets masked) or `--clear` them.
    Settings(SettingsArgs),
}

#[derive(Args)]
pub struct SettingsArgs {
    /// Print the saved settings (secrets masked) and change nothing.
    #[arg(long, conflicts_with = "clear")]
    show: bool,
    /// Forget the settings and the secrets (the app goes back to its demo registry).
    #[arg(long)]
    clear: bool,
    /// The sources in the order they are asked, e.g. `nbrs,vietqr`.
    #[arg(long, value_enum, value_delimiter = ',')]
    order: Option<Vec<SourceArg>>,
    /// Ask the national business registry (NBRS) through NDXP.
    #[arg(long, action = ArgAction::Set)]
    nbrs_enabled: Option<bool>,
    /// The NDXP gateway, e.g. https://ndxp.example.gov.vn.
    #[arg(long)]
    nbrs_base_url: Option<String>,
    /// The OAuth 2.0 token endpoint, a full URL.
    #[arg(long)]
    nbrs_token_url: Option<String>,
    /// The client id; the secret comes from HOADON_NBRS_CLIENT_SECRET, else a prompt on a
    /// terminal (empty keeps the saved one).
    #[arg(long)]
    nbrs_client_id: Option<String>,
    #[arg(long)]
    nbrs_scope: Option<String>,
    /// Send the client credentials in the form body instead of HTTP Basic.
    #[arg(long, action = ArgAction::Set)]
    nbrs_credentials_in_body: Option<bool>,
    #[arg(long)]
    nbrs_info_path: Option<String>,
    #[arg(long)]
    nbrs_dossiers_received_path: Option<String>,
    #[arg(long)]
    nbrs_dossier_latest_path: Option<String>,
    #[arg(long)]
    nbrs_dossier_detail_path: Option<String>,
    /// Ask VietQR (its API key, if any, from HOADON_VIETQR_API_KEY).
    #[arg(long, action = ArgAction::Set)]
    vietqr_enabled: Option<bool>,
    /// E.g. https://api.vietqr.io.
    #[arg(long)]
    vietqr_base_url: Option<String>,
    /// The header the VietQR API key travels in (default x-api-key).
    #[arg(long)]
    vietqr_api_key_header: Option<String>,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum SourceArg {
    Nbrs,
    Vietqr,
}

fn settings(shop: &Shop, db: &Path, args: SettingsArgs, json: bool) -> Result<(), Error> {
    let secrets = hoadon_core::secrets_beside(db);
    if args.clear {
        shop.clear_lookup_settings(&secrets)?;
        if !json {
            println!("Đã xóa cài đặt tra cứu mã số thuế.");
        }
    } else if !args.show {
        let mut form = shop.lookup_settings_info(&secrets, None)?.form;
        let nbrs_touched = args.nbrs_base_url.is_some() || args.nbrs_token_url.is_some() || args.nbrs_client_id.is_some();
        if let Some(order) = args.order {
            form.order = order
                .into_iter()
                .map(|s| match s {
                    SourceArg::Nbrs => LookupSourceId::Nbrs,
                    SourceArg::Vietqr => LookupSourceId::VietQr,
                })
                .collect();
        }
        let set = |slot: &mut String, value: Option<String>| {
            if let Some(v) = value {
                *slot = v;
            }
        };
        set(&mut form.nbrs_base_url, args.nbrs_base_url);
        set(&mut form.nbrs_token_url, args.nbrs_token_url);
        set(&mut form.nbrs_client_id, args.nbrs_client_id);
        set(&mut form.nbrs_scope, args.nbrs_scope);
        set(&mut form.nbrs_basic_info_path, args.nbrs_info_path);
        set(&mut form.nbrs_dossiers_received_path, args.nbrs_dossiers_received_path);
        set(&mut form.nbrs_dossier_latest_path, args.nbrs_dossier_latest_path);
        set(&mut form.nbrs_dossier_detail_path, args.nbrs_dossier_detail_path);
        set(&mut form.vietqr_base_url, args.vietqr_base_url);
        set(&mut form.vietqr_api_key_header, args.vietqr_api_key_header);
        if let Some(b) = args.nbrs_credentials_in_body {
            form.nbrs_credentials_in_body = b;
        }
        form.nbrs_enabled = args.nbrs_enabled.unwrap_or(form.nbrs_enabled || nbrs_touched);
        form.vietqr_enabled = args.vietqr_enabled.unwrap_or(form.vietqr_enabled || !form.vietqr_base_url.is_empty());
        // The secret: HOADON_NBRS_CLIENT_SECRET, else (when NBRS is being set up) a prompt
        // without echo on a terminal; empty keeps the saved one.
        form.nbrs_client_secret = if nbrs_touched {
            let source = SecretSource { flag: "", value: None, env: "HOADON_NBRS_CLIENT_SECRET", prompt: "Client secret NBRS: " };
            secret_input::read(source, false)?.unwrap_or_default()
        } else {
            std::env::var("HOADON_NBRS_CLIENT_SECRET").unwrap_or_default()
        };
        form.vietqr_api_key = std::env::var("HOADON_VIETQR_API_KEY").unwrap_or_default();
        shop.save_lookup_settings(&secrets, &form)?;
        if !json {
            println!("Đã lưu cài đặt tra cứu mã số thuế.");
        }
    }
    let info = shop.lookup_settings_info(&secrets, None)?;
    if json {
        println!("{}", serde_json::to_string_pretty(&info).expect("serialises"));
    } else if args.show || !args.clear {
        print!("{}", describe_settings(&info));
    }
    Ok(())
}

/// The settings as lines of text, secrets shown only as saved or not.
fn describe_settings(info: &LookupSettingsInfo) -> String {
    let f = &info.form;
    let on = |b: bool| if b { "bật" } else { "tắt" };
    let saved = |b: bool| if b { "*** (đã lưu)" } else { "(chưa có)" };
    let order: Vec<&str> = f.order.iter().map(|s| match s { LookupSourceId::Nbrs => "nbrs", LookupSourceId::VietQr => "vietqr" }).collect();
    let mut out = String::new();
    if !info.configured {
        out.push_str("Chưa cài đặt: ứng dụng dùng trình mô phỏng tra cứu.\n");
    }
    for (label, value) in [
        ("Thứ tự", order.join(",")),
        ("NBRS", on(f.nbrs_enabled).to_owned()),
        ("NBRS base URL", f.nbrs_base_url.clone()),
        ("NBRS token URL", f.nbrs_token_url.clone()),
        ("NBRS client id", f.nbrs_client_id.clone()),
        ("NBRS client secret", saved(info.nbrs_secret_saved).to_owned()),
        ("NBRS scope", f.nbrs_scope.clone()),
        ("NBRS credentials in body", on(f.nbrs_credentials_in_body).to_owned()),
        ("NBRS info path", f.nbrs_basic_info_path.clone()),
        ("NBRS dossiers received path", f.nbrs_dossiers_received_path.clone()),
        ("NBRS dossier latest path", f.nbrs_dossier_latest_path.clone()),
        ("NBRS dossier detail path", f.nbrs_dossier_detail_path.clone()),
        ("VietQR", on(f.vietqr_enabled).to_owned()),
        ("VietQR base URL", f.vietqr_base_url.clone()),
        ("VietQR API key", saved(info.vietqr_key_saved).to_owned()),
        ("VietQR API key header", f.vietqr_api_key_header.clone()),
    ] {
        out.push_str(&format!("{label}: {value}\n"));
    }
    out
}

fn not_configured() -> Error {
    Error::Lookup {
        code: "lookup_no_source",
        message: "Chưa cài đặt nguồn tra cứu mã số thuế. Hãy cài đặt trong ứng dụng (Cài đặt › Tra cứu mã số thuế), \
                  hoặc thêm --demo để tra cứu thử với trình mô phỏng, hoặc --offline để xem thông tin đã lưu."
            .to_owned(),
    }
}

pub fn run(shop: &Shop, db: &Path, args: LookupArgs, json: bool) -> Result<(), Error> {
    let mst = match (args.command, args.mst) {
        (Some(LookupCommand::Settings(s)), _) => return settings(shop, db, s, json),
        (None, mst) => mst.unwrap_or_default(),
    };
    let secrets = hoadon_core::secrets_beside(db);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a Tokio runtime for the look-up");
    let result = runtime.block_on(async {
        let cache = Arc::new(shop.partner_cache()?);
        let (registry, settings) = if args.demo {
            let registry = sim::start(sim::SimConfig::default()).await.map_err(|e| {
                tracing::error!(error = %e, "the registry simulator did not start");
                Error::Lookup {
                    code: "lookup_unreachable",
                    message: "Không khởi động được trình mô phỏng tra cứu trên 127.0.0.1.".to_owned(),
                }
            })?;
            let settings = hoadon_lookup::simulator::settings(&registry);
            (Some(registry), Some(settings))
        } else {
            (None, shop.lookup_settings(&secrets)?)
        };
        let partners = Partners::new(settings.as_ref(), cache)?;
        let mode = if args.offline { LookupMode::Offline } else { LookupMode::Online };
        let answer = partners.lookup(&mst, mode).await;
        if let Some(registry) = registry {
            registry.stop().await;
        }
        match answer {
            Err(e) if e.code() == "lookup_no_source" => Err(not_configured()),
            other => other,
        }
    })?;
    if json {
        println!("{}", serde_json::to_string_pretty(&result).expect("serialises"));
    } else {
        print!("{}", describe(&result));
    }
    Ok(())
}

/// The answer as lines of text.
fn describe(r: &PartnerLookupResult) -> String {
    let mut out = String::new();
    let mut line = |label: &str, value: &str| out.push_str(&format!("{label}: {value}\n"));
    line("Mã số thuế", &r.tax_code);
    line("Tên", &r.name);
    if let Some(short) = &r.short_name {
        line("Tên viết tắt", short);
    }
    line("Loại hình", &r.kind_label);
    if let Some(address) = &r.address {
        line("Địa chỉ", address);
    }
    if !r.representatives.is_empty() {
        line(r.representative_role.as_deref().unwrap_or("Người đại diện"), &r.representatives.join("; "));
    }
    line("Tình trạng", &r.status_text);
    line(
        "Nguồn",
        &format!("{}, lúc {}", r.source_label, hoadon_core::rules::calendar::format_moment(r.fetched_at)),
    );
    if let Some(note) = &r.note {
        out.push_str(&format!("{note}\n"));
    }
    if let Some(warning) = &r.warning {
        out.push_str(&format!("{warning}\n"));
    }
    out
}
