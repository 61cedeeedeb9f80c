//! A household business on EasyInvoice names its place of business on every invoice
//! (`LocationCode`, `LocationName`, `LocationAddress`: document v8, VI.1, required for
//! household and individual businesses). Against the simulator over real HTTP on loopback.

use std::sync::Mutex;
use std::time::Duration;

use hoadon_core::invoicing::{DemoProvider, Invoicer, ProviderChoice};
use hoadon_core::rules::calendar;
use hoadon_core::store::{InvoiceStatus, SaleStatus};
use hoadon_core::{Error, SaleForm, SaleLineForm, Secret, SecretStore, Shop, ShopForm};
use hoadon_einvoice::{AnyProvider, ProviderSettings, Timeouts};
use hoadon_sim_einvoice::{start_easyinvoice, EasyInvoiceConfig};

fn sale(shop: &Mutex<Shop>) -> i64 {
    shop.lock()
        .unwrap()
        .save_sale(&SaleForm {
            customer_id: None,
            status: SaleStatus::Completed,
            note: String::new(),
            lines: vec![SaleLineForm { product_id: None, name: "Bánh tráng Trảng Bàng".into(), unit: "xấp".into(), quantity: "3".into(), unit_price: "25000".into(), vat_rate: "KCT".into() }],
            sold_at: Some(calendar::now().unix_timestamp()),
        })
        .unwrap()
        .id
}

#[tokio::test]
async fn a_household_sends_its_place_of_business_and_is_refused_before_sending_without_one() {
    let c = EasyInvoiceConfig::default();
    let sim = start_easyinvoice(c.clone(), 0).await.unwrap();
    let demo = [DemoProvider { provider: ProviderChoice::EasyInvoice, base_url: sim.url(), username: c.username, password: Secret::new(c.password), account: String::new(), ac_password: Secret::default() }];
    let dir = tempfile::tempdir().unwrap();
    let secrets = SecretStore::new(dir.path());
    let shop = Shop::open(&dir.path().join("shop.db")).unwrap();
    shop.store().set_setting("invoice.provider", "easyinvoice").unwrap();
    // A household business: its tax code is the owner's 12-digit personal ID.
    shop.save_profile(&ShopForm {
        name: "Hộ kinh doanh Bánh tráng Cô Ba".into(),
        tax_code: "079185012345".into(),
        address: "45 Quốc lộ 22, Phường Trảng Bàng, Tây Ninh".into(),
        phone: String::new(),
        email: String::new(),
        bank_account: String::new(),
    })
    .unwrap();
    let shop = Mutex::new(shop);
    let client = || {
        let mut settings = shop.lock().unwrap().provider_settings(&secrets, &demo).unwrap();
        if let ProviderSettings::EasyInvoice(s) = &mut settings {
            s.timeouts = Timeouts { connect: Duration::from_secs(2), request: Duration::from_secs(10) };
        }
        AnyProvider::new(settings).unwrap()
    };
    let invoicer = Invoicer::new();

    let first = sale(&shop);
    let e = invoicer.issue(&shop, &secrets, &client(), first).await.unwrap_err();
    match &e {
        Error::Invalid { fields, .. } => assert_eq!(fields[0].field, "location_code", "{e:?}"),
        other => panic!("expected a field error, got {other:?}"),
    }
    assert!(e.user_message().contains("mã địa điểm kinh doanh"), "{}", e.user_message());
    assert!(sim.invoices().is_empty(), "nothing was sent");

    let mut form = {
        let view = shop.lock().unwrap().invoice_settings(&secrets).unwrap();
        hoadon_core::invoicing::InvoiceSettingsForm {
            provider: view.provider,
            demo: true,
            base_url: String::new(),
            username: String::new(),
            password: String::new(),
            account: String::new(),
            ac_password: String::new(),
            seller_tax_code: String::new(),
            template: view.template,
            serial: view.serial,
            signing: view.signing,
            location_code: "DD0012".into(),
        }
    };
    let too_long = shop.lock().unwrap().save_invoice_settings(&secrets, &form).unwrap_err();
    assert!(matches!(&too_long, Error::Invalid { fields, .. } if fields[0].field == "location_code"), "{too_long:?}");
    form.location_code = "DD001".into();
    shop.lock().unwrap().save_invoice_settings(&secrets, &form).unwrap();

    let issued = invoicer.issue(&shop, &secrets, &client(), first).await.unwrap();
    assert_eq!(issued.status, InvoiceStatus::Issued);
    let held = sim.invoice(&issued.key).unwrap();
    assert_eq!(held.location_code, "DD001");
    assert_eq!(sim.issued_count(), 1);
}
