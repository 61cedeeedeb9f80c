//! "Kiểm tra kết nối" reads the VNPT tenant's own `?wsdl`: a tenant on the published TT78
//! version matches the client; a tenant on another version names a parameter otherwise, the
//! client says so, and once given the tenant's names its calls go through.

mod fixtures;

use fixtures::{key, vnpt_settings, vnpt_simple_draft as simple_draft};
use hoadon_einvoice::{InvoiceRef, Provider, ProviderError, VnptClient};
use hoadon_sim_einvoice::{start_vnpt, VnptConfig};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tenant_on_the_published_version_matches_every_call() {
    let sim = start_vnpt(VnptConfig::default(), 0).await.unwrap();
    let c = VnptClient::new(vnpt_settings(&sim.url())).unwrap();
    let comparison = c.compare_wsdl().await.unwrap();
    assert!(comparison.differences.is_empty(), "{:?}", comparison.differences);
    assert!(comparison.renamed.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_renamed_parameter_is_said_and_then_used() {
    let config = VnptConfig {
        renamed_params: vec![("cancelInv".into(), "userPass".into(), "pass".into())],
        ..VnptConfig::default()
    };
    let sim = start_vnpt(config, 0).await.unwrap();
    let published = VnptClient::new(vnpt_settings(&sim.url())).unwrap();
    let issued = published.issue(&[simple_draft("W-1")]).await.unwrap().remove(0);
    let r = InvoiceRef::new(key("W-1"), issued.pattern.clone(), issued.serial.clone());

    // With the published names this tenant refuses the call (a SOAP fault, nothing done).
    let refused = published.cancel(&r).await.unwrap_err();
    assert!(matches!(&refused, ProviderError::Refused { refusal: hoadon_einvoice::Refusal::RequestNotUnderstood, .. }), "{refused:?}");
    assert!(!refused.is_unclear(), "a request the server could not read was not run");
    assert_eq!(sim.invoice("W-1").unwrap().status, 1, "still signed");

    let comparison = published.compare_wsdl().await.unwrap();
    assert_eq!(comparison.differences.len(), 1, "{:?}", comparison.differences);
    assert!(comparison.differences[0].starts_with("cancelInv: máy chủ đặt tên tham số khác (userPass → pass)"), "{:?}", comparison.differences);
    assert_eq!(comparison.renamed.get("cancelInv").unwrap(), &["Account", "ACpass", "fkey", "userName", "pass"]);

    let mut settings = vnpt_settings(&sim.url());
    settings.param_names = comparison.renamed;
    let tenant = VnptClient::new(settings).unwrap();
    tenant.cancel(&r).await.unwrap();
    assert_eq!(sim.invoice("W-1").unwrap().status, 5, "cancelled under the tenant's names");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_host_without_service_descriptions_is_an_error_not_a_match() {
    // An EasyInvoice-like host: no .asmx at all.
    let sim = hoadon_sim_einvoice::start_easyinvoice(Default::default(), 0).await.unwrap();
    let c = VnptClient::new(vnpt_settings(&sim.url())).unwrap();
    assert!(c.compare_wsdl().await.is_err());
}
