//! `hoadon lookup <mst>`: who owns a tax code, through the same look-up as the app (settings
//! and secrets of the shop, answers kept in its database).
//!
//! Exit status 2 and the reason for a tax code refused before anything is sent; 1 when no
//! source is configured (unless `--demo`), or the look-up gave no answer.

use std::path::Path;
use std::sync::Arc;

use clap::Args;
use hoadon_core::lookup::LookupMode;
use hoadon_core::{Error, PartnerLookupResult, Partners, Shop};
use hoadon_sim_registry as sim;

#[derive(Args)]
pub struct LookupArgs {
    /// Mã số thuế: 10 digits, 10-3 for a branch, or a 12-digit personal ID.
    mst: String,
    /// Answer from the answers kept in the database only; nothing is sent.
    #[arg(long)]
    offline: bool,
    /// Ask the registry simulator, started inside this process on 127.0.0.1, whatever the
    /// settings (demo tax codes: 0109526016 active, 0110613182 closed, 0318030824 suspended).
    #[arg(long, conflicts_with = "offline")]
    demo: bool,
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
        let answer = partners.lookup(&args.mst, mode).await;
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
