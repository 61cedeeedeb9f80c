//! A shop on a temporary file issuing through an EasyInvoice simulator on loopback, and the
//! simulator of any provider with its demo account, for the tests that need one (each test
//! file is its own crate and takes what it uses).
#![allow(dead_code)]

use std::sync::Mutex;
use std::time::Duration;

use hoadon_core::invoicing::{DemoProvider, ProviderChoice};
use hoadon_core::rules::calendar;
use hoadon_core::store::SaleStatus;
use hoadon_core::{SaleForm, SaleLineForm, Secret, SecretStore, Shop};
use hoadon_einvoice::{AnyProvider, ProviderSettings, Timeouts};
use hoadon_sim_einvoice::{start_easyinvoice, start_viettel, start_vnpt, EasyInvoiceConfig, SimHandle, ViettelConfig, VnptConfig};

/// The simulator of `choice` on a free loopback port, and the demo account that reaches it.
pub async fn demo_sim(choice: ProviderChoice) -> (SimHandle, DemoProvider) {
    let demo = |sim: &SimHandle, username: String, password: String| DemoProvider {
        provider: choice,
        base_url: sim.url(),
        username,
        password: Secret::new(password),
        account: String::new(),
        ac_password: Secret::default(),
        seller_tax_code: String::new(),
    };
    match choice {
        ProviderChoice::Vnpt => {
            let c = VnptConfig::default();
            let sim = start_vnpt(c.clone(), 0).await.unwrap();
            let d = DemoProvider { account: c.account, ac_password: Secret::new(c.ac_password), ..demo(&sim, c.username, c.password) };
            (sim, d)
        }
        ProviderChoice::EasyInvoice => {
            let c = EasyInvoiceConfig::default();
            let sim = start_easyinvoice(c.clone(), 0).await.unwrap();
            let d = demo(&sim, c.username, c.password);
            (sim, d)
        }
        ProviderChoice::Viettel => {
            let c = ViettelConfig::default();
            let sim = start_viettel(c.clone(), 0).await.unwrap();
            let d = DemoProvider { seller_tax_code: c.supplier_tax_code, ..demo(&sim, c.username, c.password) };
            (sim, d)
        }
    }
}

/// The same client settings with other timeouts (short ones make faults quick to reach).
pub fn set_timeouts(settings: &mut ProviderSettings, t: Timeouts) {
    match settings {
        ProviderSettings::EasyInvoice(s) => s.timeouts = t,
        ProviderSettings::Vnpt(s) => s.timeouts = t,
        ProviderSettings::Viettel(s) => s.timeouts = t,
    }
}

pub struct EasyInvoiceShop {
    pub sim: SimHandle,
    pub shop: Mutex<Shop>,
    pub secrets: SecretStore,
    demo: [DemoProvider; 1],
    _dir: tempfile::TempDir,
}

impl EasyInvoiceShop {
    /// `before` runs on the shop before it is shared (a profile, settings).
    pub async fn start(before: impl FnOnce(&Shop)) -> EasyInvoiceShop {
        let c = EasyInvoiceConfig::default();
        let sim = start_easyinvoice(c.clone(), 0).await.unwrap();
        let demo = [DemoProvider { provider: ProviderChoice::EasyInvoice, base_url: sim.url(), username: c.username, password: Secret::new(c.password), account: String::new(), ac_password: Secret::default(), seller_tax_code: String::new() }];
        let dir = tempfile::tempdir().unwrap();
        let secrets = SecretStore::new(dir.path());
        let shop = Shop::open(dir.path().join("shop.db")).unwrap();
        shop.store().set_setting("invoice.provider", "easyinvoice").unwrap();
        before(&shop);
        EasyInvoiceShop { sim, shop: Mutex::new(shop), secrets, demo, _dir: dir }
    }

    /// A client of what the shop's settings say now.
    pub fn provider(&self) -> AnyProvider {
        let mut settings = self.shop.lock().unwrap().provider_settings(&self.secrets, &self.demo).unwrap();
        if let ProviderSettings::EasyInvoice(s) = &mut settings {
            s.timeouts = Timeouts { connect: Duration::from_secs(2), request: Duration::from_secs(10) };
        }
        AnyProvider::new(settings).unwrap()
    }

    /// A completed walk-in sale of one line: its id.
    pub fn sale(&self, name: &str, quantity: &str, unit_price: &str, vat_rate: &str) -> i64 {
        let line = SaleLineForm { product_id: None, name: name.into(), unit: "cái".into(), quantity: quantity.into(), unit_price: unit_price.into(), vat_rate: vat_rate.into() };
        let form = SaleForm { customer_id: None, status: SaleStatus::Completed, note: String::new(), lines: vec![line], sold_at: Some(calendar::now().unix_timestamp()) };
        self.shop.lock().unwrap().save_sale(&form).unwrap().id
    }
}

/// The name the simulator of `choice` files an invoice under: the app's key, except at
/// Viettel, which is sent the transaction id derived from it.
pub fn sim_key(choice: ProviderChoice, key: &str) -> String {
    match choice {
        ProviderChoice::Viettel => hoadon_einvoice::viettel::requests::transaction_uuid(&hoadon_einvoice::InvoiceKey::new(key).unwrap()),
        _ => key.to_string(),
    }
}
