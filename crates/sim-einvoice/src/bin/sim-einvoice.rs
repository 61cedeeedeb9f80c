//! Starts the three simulators on loopback and prints their URLs, for trying the app against
//! them by hand or from another process's tests.
//!
//! `sim-einvoice [--easyinvoice-port N] [--vnpt-port N] [--viettel-port N]`, or the
//! environment variables `SIM_EASYINVOICE_PORT` / `SIM_VNPT_PORT` / `SIM_VIETTEL_PORT`; 0
//! (the default) picks free ports. Stops on Ctrl-C.

use hoadon_sim_einvoice::{start_easyinvoice, start_viettel, start_vnpt, EasyInvoiceConfig, ViettelConfig, VnptConfig};

fn port(args: &[String], flag: &str, env: &str) -> Result<u16, String> {
    let from_args = args.iter().position(|a| a == flag).map(|i| args.get(i + 1).cloned().ok_or(format!("{flag} cần một số cổng")));
    let text = match from_args {
        Some(v) => v?,
        None => std::env::var(env).unwrap_or_else(|_| "0".into()),
    };
    text.parse().map_err(|_| format!("cổng «{text}» không hợp lệ"))
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "-h" || a == "--help") {
        println!("sim-einvoice [--easyinvoice-port N] [--vnpt-port N] [--viettel-port N]  (env SIM_EASYINVOICE_PORT, SIM_VNPT_PORT, SIM_VIETTEL_PORT)");
        return;
    }
    let ports = port(&args, "--easyinvoice-port", "SIM_EASYINVOICE_PORT")
        .and_then(|e| Ok((e, port(&args, "--vnpt-port", "SIM_VNPT_PORT")?, port(&args, "--viettel-port", "SIM_VIETTEL_PORT")?)));
    let (ei_port, vnpt_port, viettel_port) = match ports {
        Ok(p) => p,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let ei_config = EasyInvoiceConfig::default();
    let vnpt_config = VnptConfig::default();
    let easyinvoice = start_easyinvoice(ei_config.clone(), ei_port).await.unwrap_or_else(|e| {
        eprintln!("không mở được cổng EasyInvoice {ei_port}: {e}");
        std::process::exit(1);
    });
    let vnpt = start_vnpt(vnpt_config.clone(), vnpt_port).await.unwrap_or_else(|e| {
        eprintln!("không mở được cổng VNPT {vnpt_port}: {e}");
        std::process::exit(1);
    });
    let viettel_config = ViettelConfig::default();
    let viettel = start_viettel(viettel_config.clone(), viettel_port).await.unwrap_or_else(|e| {
        eprintln!("không mở được cổng Viettel {viettel_port}: {e}");
        std::process::exit(1);
    });
    println!("EASYINVOICE_URL={}", easyinvoice.url());
    println!("VNPT_URL={}", vnpt.url());
    println!("VIETTEL_URL={}", viettel.url());
    println!("# EasyInvoice: user {} / {}; patterns {:?}", ei_config.username, ei_config.password, ei_config.patterns);
    println!(
        "# VNPT: Account {} / {}, service {} / {}; patterns {:?}",
        vnpt_config.account, vnpt_config.ac_password, vnpt_config.username, vnpt_config.password, vnpt_config.patterns
    );
    println!(
        "# Viettel: user {} / {}, supplierTaxCode {}; templates {:?}; tokens last {} s",
        viettel_config.username, viettel_config.password, viettel_config.supplier_tax_code, viettel_config.templates, viettel_config.token_lifetime_secs
    );
    println!("# faults: POST <url>/_sim/faults  invoices: GET <url>/_sim/invoices");
    println!("# also POST <url>/_sim/seed | /_sim/status | /_sim/tct | /_sim/verdict | /_sim/sign | /_sim/delete (JSON, see the crate doc); Viettel: POST <url>/_sim/expire-tokens");
    let _ = tokio::signal::ctrl_c().await;
}
