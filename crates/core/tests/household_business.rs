//! A household business on EasyInvoice names its place of business on every invoice
//! (`LocationCode`, `LocationName`, `LocationAddress`: document v8, VI.1, required for
//! household and individual businesses). Against the simulator over real HTTP on loopback.

mod support;

use hoadon_core::invoicing::Invoicer;
use hoadon_core::store::InvoiceStatus;
use hoadon_core::{Error, ShopForm};

#[tokio::test]
async fn a_household_sends_its_place_of_business_and_is_refused_before_sending_without_one() {
    // A household business: its tax code is the owner's 12-digit personal ID.
    let t = support::EasyInvoiceShop::start(|shop| {
        let profile = ShopForm {
            name: "Hộ kinh doanh Bánh tráng Cô Ba".into(),
            tax_code: "079185012345".into(),
            address: "45 Quốc lộ 22, Phường Trảng Bàng, Tây Ninh".into(),
            phone: String::new(),
            email: String::new(),
            bank_account: String::new(),
        };
        shop.save_profile(&profile).unwrap();
    })
    .await;
    let (sim, shop, secrets) = (&t.sim, &t.shop, &t.secrets);
    let invoicer = Invoicer::new();

    let first = t.sale("Bánh tráng Trảng Bàng", "3", "25000", "KCT");
    let e = invoicer.issue(shop, secrets, &t.provider(), first).await.unwrap_err();
    match &e {
        Error::Invalid { fields, .. } => assert_eq!(fields[0].field, "location_code", "{e:?}"),
        other => panic!("expected a field error, got {other:?}"),
    }
    assert!(e.user_message().contains("mã địa điểm kinh doanh"), "{}", e.user_message());
    assert!(sim.invoices().is_empty(), "nothing was sent");

    let mut form = {
        let view = shop.lock().unwrap().invoice_settings(secrets).unwrap();
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
    let too_long = shop.lock().unwrap().save_invoice_settings(secrets, &form).unwrap_err();
    assert!(matches!(&too_long, Error::Invalid { fields, .. } if fields[0].field == "location_code"), "{too_long:?}");
    form.location_code = "DD001".into();
    shop.lock().unwrap().save_invoice_settings(secrets, &form).unwrap();

    let issued = invoicer.issue(shop, secrets, &t.provider(), first).await.unwrap();
    assert_eq!(issued.status, InvoiceStatus::Issued);
    let held = sim.invoice(&issued.key).unwrap();
    assert_eq!(held.location_code, "DD001");
    assert_eq!(sim.issued_count(), 1);
}
