//! Decree 70/2025 narrows cancelling. EasyInvoice turns "cancel" of an invoice the tax
//! authority accepted (on a remote-signing account) into a replacement by a 0-đồng invoice:
//! the app records that invoice as the replacement, with its number, and the original as
//! replaced. While the tax authority still checks, the cancel is refused, and the owner is
//! told to replace or adjust instead. Against the simulator over real HTTP on loopback.

mod support;

use hoadon_core::invoicing::Invoicer;
use hoadon_core::store::InvoiceStatus;

#[tokio::test]
async fn an_accepted_invoice_cancelled_becomes_a_recorded_zero_dong_replacement() {
    let t = support::EasyInvoiceShop::start(|_| {}).await;
    let (sim, shop, secrets, provider) = (&t.sim, &t.shop, &t.secrets, t.provider());
    let invoicer = Invoicer::new();

    // Still being checked by the tax authority: refused, and the owner is told what to do.
    let checking = t.sale("Nón lá bài thơ", "2", "60000", "8");
    let inv = invoicer.issue(shop, secrets, &provider, checking).await.unwrap();
    sim.set_tct_status(&inv.key, Some(-1));
    let e = invoicer.cancel(shop, &provider, inv.id, "Ghi sai đơn giá").await.unwrap_err();
    let message = e.user_message();
    assert!(message.contains("Nghị định 70/2025") && message.contains("«Thay thế»"), "{message}");
    assert_eq!(shop.lock().unwrap().store().invoice(inv.id).unwrap().status, InvoiceStatus::Issued, "nothing changed");

    // Accepted: the provider replaces it by a 0-đồng invoice, which the app records.
    let accepted = t.sale("Nón lá bài thơ", "2", "60000", "8");
    let original = invoicer.issue(shop, secrets, &provider, accepted).await.unwrap();
    sim.set_tct_status(&original.key, Some(1));
    let before = sim.issued_count();
    let after = invoicer.cancel(shop, &provider, original.id, "Ghi sai người mua").await.unwrap();
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
