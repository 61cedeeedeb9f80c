//! A shop on a temporary file issuing through an EasyInvoice simulator on loopback, for the
//! tests that need one (each test file is its own crate and takes what it uses).

use std::sync::Mutex;
use std::time::Duration;

use hoadon_core::invoicing::{DemoProvider, ProviderChoice};
use hoadon_core::rules::calendar;
use hoadon_core::store::SaleStatus;
use hoadon_core::{SaleForm, SaleLineForm, Secret, SecretStore, Shop};
use hoadon_einvoice::{AnyProvider, ProviderSettings, Timeouts};
use hoadon_sim_einvoice::{start_easyinvoice, EasyInvoiceConfig, SimHandle};

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
        let demo = [DemoProvider { provider: ProviderChoice::EasyInvoice, base_url: sim.url(), username: c.username, password: Secret::new(c.password), account: String::new(), ac_password: Secret::default() }];
        let dir = tempfile::tempdir().unwrap();
        let secrets = SecretStore::new(dir.path());
        let shop = Shop::open(&dir.path().join("shop.db")).unwrap();
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
