//! Demo mode for e-invoices: simulators of EasyInvoice, VNPT and Viettel S-Invoice on
//! 127.0.0.1, started with the app, which the real clients talk to until the owner enters a
//! real account. Their ports can be fixed with `HOADON_DEMO_EASYINVOICE_PORT` /
//! `HOADON_DEMO_VNPT_PORT` / `HOADON_DEMO_VIETTEL_PORT` (the end-to-end tests use that to
//! reach the simulators' fault knobs).

use hoadon_core::invoicing::{DemoProvider, ProviderChoice};
use hoadon_core::store::ShopProfile;
use hoadon_core::Secret;
use hoadon_sim_einvoice::{
    start_easyinvoice, start_viettel, start_vnpt, EasyInvoiceConfig, Seller, SimHandle, ViettelConfig, VnptConfig,
};

pub struct DemoInvoicing {
    pub providers: Vec<DemoProvider>,
    /// Dropping a handle stops its simulator: the app keeps them for its whole life.
    _sims: Vec<SimHandle>,
}

fn port(var: &str) -> u16 {
    std::env::var(var).ok().and_then(|v| v.parse().ok()).unwrap_or(0)
}

impl DemoInvoicing {
    /// Starts the three simulators with the shop as their seller and this year's symbols. A
    /// simulator that cannot start is left out (demo invoicing then says so when used).
    pub fn start(shop: Option<&ShopProfile>) -> DemoInvoicing {
        let seller = match shop {
            Some(p) => Seller { name: p.name.clone(), tax_code: p.tax_code.clone().unwrap_or_default(), address: p.address.clone() },
            None => Seller::default(),
        };
        let yy = hoadon_core::rules::calendar::now().year() % 100;
        let symbols = |vat: &str, sales: &str| {
            vec![(vat.to_string(), format!("C{yy:02}TAA")), (sales.to_string(), format!("C{yy:02}TBB")), (vat.to_string(), format!("C{yy:02}MAA"))]
        };
        // VNPT tenants name their forms `1/001` beside a TT78 serial; EasyInvoice the digit.
        let (vnpt_patterns, patterns) = (symbols("1/001", "2/001"), symbols("1", "2"));
        let mut providers = Vec::new();
        let mut sims = Vec::new();

        let vnpt = VnptConfig { seller: seller.clone(), patterns: vnpt_patterns, ..VnptConfig::default() };
        match tauri::async_runtime::block_on(start_vnpt(vnpt.clone(), port("HOADON_DEMO_VNPT_PORT"))) {
            Ok(sim) => {
                tracing::info!(url = %sim.url(), "demo VNPT simulator started");
                providers.push(DemoProvider {
                    provider: ProviderChoice::Vnpt,
                    base_url: sim.url(),
                    username: vnpt.username,
                    password: Secret::new(vnpt.password),
                    account: vnpt.account,
                    ac_password: Secret::new(vnpt.ac_password),
                    seller_tax_code: String::new(),
                });
                sims.push(sim);
            }
            Err(e) => tracing::error!(error = %e, "the demo VNPT simulator could not start"),
        }

        // Viettel names the seller by tax code in every call: the demo account is the shop's.
        let viettel_defaults = ViettelConfig::default();
        let tax_code = Some(seller.tax_code.clone()).filter(|t| !t.is_empty()).unwrap_or(viettel_defaults.supplier_tax_code.clone());
        let viettel = ViettelConfig {
            seller: Seller { tax_code: tax_code.clone(), ..seller.clone() },
            supplier_tax_code: tax_code,
            templates: symbols("1/001", "2/001"),
            ..viettel_defaults
        };
        match tauri::async_runtime::block_on(start_viettel(viettel.clone(), port("HOADON_DEMO_VIETTEL_PORT"))) {
            Ok(sim) => {
                tracing::info!(url = %sim.url(), "demo Viettel simulator started");
                providers.push(DemoProvider {
                    provider: ProviderChoice::Viettel,
                    base_url: sim.url(),
                    username: viettel.username,
                    password: Secret::new(viettel.password),
                    account: String::new(),
                    ac_password: Secret::default(),
                    seller_tax_code: viettel.supplier_tax_code,
                });
                sims.push(sim);
            }
            Err(e) => tracing::error!(error = %e, "the demo Viettel simulator could not start"),
        }

        let easy = EasyInvoiceConfig { seller, patterns, ..EasyInvoiceConfig::default() };
        match tauri::async_runtime::block_on(start_easyinvoice(easy.clone(), port("HOADON_DEMO_EASYINVOICE_PORT"))) {
            Ok(sim) => {
                tracing::info!(url = %sim.url(), "demo EasyInvoice simulator started");
                providers.push(DemoProvider {
                    provider: ProviderChoice::EasyInvoice,
                    base_url: sim.url(),
                    username: easy.username,
                    password: Secret::new(easy.password),
                    account: String::new(),
                    ac_password: Secret::default(),
                    seller_tax_code: String::new(),
                });
                sims.push(sim);
            }
            Err(e) => tracing::error!(error = %e, "the demo EasyInvoice simulator could not start"),
        }
        DemoInvoicing { providers, _sims: sims }
    }
}
