//! Decree 70/2025 narrows cancelling. EasyInvoice turns "cancel" of an invoice the tax
//! authority accepted (on a remote-signing account) into a replacement by a 0-đồng invoice:
//! the app records that invoice as the replacement, with its number, and the original as
//! replaced. While the tax authority still checks, the cancel is refused, and the owner is
//! told to replace or adjust instead. Against the simulator over real HTTP on loopback.

use std::sync::Mutex;
use std::time::Duration;

use hoadon_core::invoicing::{DemoProvider, Invoicer, ProviderChoice};
use hoadon_core::rules::calendar;
use hoadon_core::store::{InvoiceStatus, SaleStatus};
use hoadon_core::{SaleForm, SaleLineForm, Secret, SecretStore, Shop};
use hoadon_einvoice::{AnyProvider, ProviderSettings, Timeouts};
use hoadon_sim_einvoice::{start_easyinvoice, EasyInvoiceConfig};

fn sale(shop: &Mutex<Shop>) -> i64 {
    shop.lock()
        .unwrap()
        .save_sale(&SaleForm {
            customer_id: None,
            status: SaleStatus::Completed,
            note: String::new(),
            lines: vec![SaleLineForm { product_id: None, name: "Nón lá bài thơ".into(), unit: "chiếc".into(), quantity: "2".into(), unit_price: "60000".into(), vat_rate: "8".into() }],
            sold_at: Some(calendar::now().unix_timestamp()),
        })
        .unwrap()
        .id
}

#[tokio::test]
async fn an_accepted_invoice_cancelled_becomes_a_recorded_zero_dong_replacement() {
    let c = EasyInvoiceConfig::default();
    let sim = start_easyinvoice(c.clone(), 0).await.unwrap();
    let demo = [DemoProvider { provider: ProviderChoice::EasyInvoice, base_url: sim.url(), username: c.username, password: Secret::new(c.password), account: String::new(), ac_password: Secret::default() }];
    let dir = tempfile::tempdir().unwrap();
    let secrets = SecretStore::new(dir.path());
    let shop = Shop::open(&dir.path().join("shop.db")).unwrap();
    shop.store().set_setting("invoice.provider", "easyinvoice").unwrap();
    let shop = Mutex::new(shop);
    let mut settings = shop.lock().unwrap().provider_settings(&secrets, &demo).unwrap();
    if let ProviderSettings::EasyInvoice(s) = &mut settings {
        s.timeouts = Timeouts { connect: Duration::from_secs(2), request: Duration::from_secs(10) };
    }
    let provider = AnyProvider::new(settings).unwrap();
    let invoicer = Invoicer::new();

    // Still being checked by the tax authority: refused, and the owner is told what to do.
    let checking = sale(&shop);
    let inv = invoicer.issue(&shop, &secrets, &provider, checking).await.unwrap();
    sim.set_tct_status(&inv.key, Some(-1));
    let e = invoicer.cancel(&shop, &provider, inv.id, "Ghi sai đơn giá").await.unwrap_err();
    let message = e.user_message();
    assert!(message.contains("Nghị định 70/2025") && message.contains("«Thay thế»"), "{message}");
    assert_eq!(shop.lock().unwrap().store().invoice(inv.id).unwrap().status, InvoiceStatus::Issued, "nothing changed");

    // Accepted: the provider replaces it by a 0-đồng invoice, which the app records.
    let accepted = sale(&shop);
    let original = invoicer.issue(&shop, &secrets, &provider, accepted).await.unwrap();
    sim.set_tct_status(&original.key, Some(1));
    let before = sim.issued_count();
    let after = invoicer.cancel(&shop, &provider, original.id, "Ghi sai người mua").await.unwrap();
    assert_eq!(after.status, InvoiceStatus::Replaced);
    assert_eq!(sim.issued_count(), before + 1, "the provider issued one replacement");

    let shop = shop.lock().unwrap();
    let live = shop.store().live_invoice_of_sale(accepted).unwrap().expect("the replacement is the sale's live invoice");
    assert_ne!(live.key, original.key);
    assert_eq!(live.status, InvoiceStatus::Issued);
    assert_eq!(live.replaces_id, Some(original.id));
    assert_eq!(live.relation, "replace");
    let held = sim.invoice(&live.key).expect("the replacement is at the provider");
    assert_eq!(live.number, held.number.map(|n| n as i64));
    assert_eq!(held.amount, 0, "a 0-đồng invoice");
    assert_eq!(sim.invoice(&original.key).unwrap().status, 3, "the original is replaced there too");
}
