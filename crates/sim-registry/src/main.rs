//! `sim-registry`: the registry simulators as a program, for the app's demo and for trying
//! the look-up by hand (`curl`).
//!
//! ```text
//! sim-registry [--port N] [--token-ttl SECONDS] [--client-id ID] [--client-secret SECRET]
//! ```

use hoadon_sim_registry::{
    BASIC_INFO_PATH, DEMO_JOURNAL_NO, DEMO_PROCESS_ID, DOSSIER_DETAIL_PATH, DOSSIER_LATEST_PATH,
    DOSSIERS_RECEIVED_PATH, SimConfig, seeded_tax_codes,
};

const USAGE: &str = "cách dùng: sim-registry [--port N] [--token-ttl GIÂY] [--client-id ID] [--client-secret KHÓA]";

fn parse_args() -> Result<SimConfig, String> {
    let mut config = SimConfig::default();
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        if flag == "--help" || flag == "-h" {
            println!("{USAGE}");
            std::process::exit(0);
        }
        let value = args.next().ok_or_else(|| format!("thiếu giá trị cho {flag}"))?;
        match flag.as_str() {
            "--port" => config.port = value.parse().map_err(|_| format!("cổng không hợp lệ: {value}"))?,
            "--token-ttl" => {
                config.token_ttl_secs = value.parse().map_err(|_| format!("số giây không hợp lệ: {value}"))?
            }
            "--client-id" => config.client_id = value,
            "--client-secret" => config.client_secret = value,
            other => return Err(format!("không hiểu tham số {other}")),
        }
    }
    Ok(config)
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let config = match parse_args() {
        Ok(config) => config,
        Err(message) => {
            eprintln!("{message}\n{USAGE}");
            std::process::exit(2);
        }
    };
    let sim = match hoadon_sim_registry::start(config).await {
        Ok(sim) => sim,
        Err(error) => {
            eprintln!("sim-registry: không mở được cổng: {error}");
            std::process::exit(1);
        }
    };
    let base = sim.base_url();
    // The first line is meant for scripts: they read the port from it.
    println!("sim-registry listening on {base}");
    println!();
    println!("NBRS (NDXP), OAuth 2.0 client credentials:");
    println!("  token:            POST {}", sim.token_url());
    println!("  client_id:        {}", sim.client_id());
    println!("  client_secret:    {} (giá trị demo)", sim.client_secret());
    println!("  token lifetime:   {} s", sim.knobs().token_ttl_secs());
    println!("  basic info:       GET {base}{BASIC_INFO_PATH}?mst=...");
    println!("  dossiers:         GET {base}{DOSSIERS_RECEIVED_PATH}?fromDate=01/03/2026&toDate=31/03/2026&siteID=HN");
    println!("  dossier latest:   GET {base}{DOSSIER_LATEST_PATH}?processID={DEMO_PROCESS_ID}");
    println!("  dossier detail:   GET {base}{DOSSIER_DETAIL_PATH}?in_journal_no={DEMO_JOURNAL_NO}");
    println!("VietQR-style:       GET {}/v2/business/{{taxCode}}", sim.vietqr_base_url());
    println!();
    println!("Mã số thuế có sẵn:");
    for (code, what) in seeded_tax_codes() {
        println!("  {code:<16} {what}");
    }
    if let Err(error) = tokio::signal::ctrl_c().await {
        eprintln!("sim-registry: {error}");
    }
    sim.stop().await;
}
