//! `GET <Service>.asmx?wsdl`: the service descriptions a tenant publishes, and a tenant on
//! another version whose description (and whose calls) name a parameter otherwise.

use hoadon_sim_einvoice::{start_vnpt, SimHandle, VnptConfig};

async fn get(sim: &SimHandle, path: &str) -> (u16, String) {
    let response = reqwest::Client::new().get(format!("{}/{path}", sim.url())).send().await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

async fn post(sim: &SimHandle, op: &str, params: &str) -> (u16, String) {
    let envelope = format!(
        r#"<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><{op} xmlns="http://tempuri.org/">{params}</{op}></soap:Body></soap:Envelope>"#
    );
    let response = reqwest::Client::new()
        .post(format!("{}/BusinessService.asmx", sim.url()))
        .header("Content-Type", "text/xml; charset=utf-8")
        .header("SOAPAction", format!("\"http://tempuri.org/{op}\""))
        .body(envelope)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_service_publishes_its_description() {
    let sim = start_vnpt(VnptConfig::default(), 0).await.unwrap();
    for (service, op) in [("PublishService", "ImportAndPublishInv"), ("BusinessService", "cancelInv"), ("PortalService", "listInvByCusFkey")] {
        let (status, body) = get(&sim, &format!("{service}.asmx?wsdl")).await;
        assert_eq!(status, 200, "{service}");
        assert!(body.contains("<wsdl:definitions"), "{service}");
        assert!(body.contains(&format!(r#"<s:element name="{op}">"#)), "{service} describes {op}");
    }
    assert_eq!(get(&sim, "BusinessService.asmx?WSDL").await.0, 200, "ASP.NET takes the query in any case");
    assert_eq!(get(&sim, "BusinessService.asmx").await.0, 404, "no help page here");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tenant_on_another_version_describes_and_takes_its_own_name() {
    let config = VnptConfig { renamed_params: vec![("cancelInv".into(), "userPass".into(), "pass".into())], ..VnptConfig::default() };
    let sim = start_vnpt(config, 0).await.unwrap();
    let (_, wsdl) = get(&sim, "BusinessService.asmx?wsdl").await;
    let start = wsdl.find(r#"<s:element name="cancelInv">"#).unwrap();
    let end = wsdl.find(r#"<s:element name="cancelInvResponse">"#).unwrap();
    let request = &wsdl[start..end];
    assert!(request.contains(r#"name="pass""#) && !request.contains(r#"name="userPass""#), "{request}");
    // Other operations keep their published names.
    let unconfirm = wsdl.find(r#"<s:element name="UnConfirmPaymentFkey">"#).unwrap();
    assert!(wsdl[unconfirm..unconfirm + 600].contains(r#"name="userPass""#));

    let published = "<Account>admin</Account><ACpass>admin-pass</ACpass><fkey>X-1</fkey><userName>service</userName><userPass>service-pass</userPass>";
    let (status, body) = post(&sim, "cancelInv", published).await;
    assert_eq!(status, 500, "{body}");
    assert!(body.contains("<faultcode>soap:Client</faultcode>") && body.contains("userPass"), "{body}");
    let tenants = "<Account>admin</Account><ACpass>admin-pass</ACpass><fkey>X-1</fkey><userName>service</userName><pass>service-pass</pass>";
    let (status, body) = post(&sim, "cancelInv", tenants).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("<cancelInvResult>ERR:2</cancelInvResult>"), "logged in, no such invoice: {body}");
}
