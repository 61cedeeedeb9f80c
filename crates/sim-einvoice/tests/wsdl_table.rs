//! The operations table the VNPT simulator checks requests against is OPERATIONS.txt,
//! read at start-up: every line of the file is in the table exactly, and nothing else but
//! the one documented addition (ImportAndPublishInvMTT).

use hoadon_sim_einvoice::wsdl::{self, OPERATIONS_TXT};

fn render(op: &wsdl::Operation) -> String {
    let params: Vec<String> = op.params.iter().map(|p| format!("{}:{}", p.name, p.ty)).collect();
    format!("{}({}) -> {}:{}  [SOAPAction={}]", op.name, params.join(", "), op.result, op.result_type, op.soap_action)
}

#[test]
fn every_line_of_the_file_is_in_the_table() {
    let table = wsdl::table();
    let mut service = String::new();
    let mut lines = 0;
    for line in OPERATIONS_TXT.lines().filter(|l| !l.trim().is_empty()) {
        if let Some(rest) = line.strip_prefix("===== ") {
            service = rest.split('.').next().unwrap().to_string();
            continue;
        }
        let name = &line[..line.find('(').unwrap()];
        let op = table.operation(&service, name).unwrap_or_else(|| panic!("{service}.{name} missing"));
        assert_eq!(render(op), line.trim_end());
        lines += 1;
    }
    let in_table: usize = table.services.values().map(|ops| ops.len()).sum();
    assert_eq!(lines, 145);
    assert_eq!(in_table, lines + 1, "the file's operations plus ImportAndPublishInvMTT");
}

#[test]
fn the_shipped_copy_is_the_spec_file() {
    // The crate carries its own copy (../shared is not in the repository); when the shared
    // specs are there, the copy must be identical.
    let shared = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/specs/vnpt-wsdl/OPERATIONS.txt");
    if let Ok(text) = std::fs::read_to_string(&shared) {
        assert_eq!(text, OPERATIONS_TXT);
    }
}

#[test]
fn names_as_the_wsdl_spells_them() {
    let t = wsdl::table();
    let names = |s: &str, op: &str| t.operation(s, op).unwrap().params.iter().map(|p| p.name.clone()).collect::<Vec<_>>();
    assert_eq!(names("PublishService", "ImportAndPublishInv"), ["Account", "ACpass", "xmlInvData", "username", "password", "pattern", "serial", "convert"]);
    assert_eq!(names("PublishService", "ImportAndPublishInvMTT"), names("PublishService", "ImportAndPublishInv"));
    assert_eq!(names("BusinessService", "adjustInv"), ["Account", "ACpass", "xmlInvData", "username", "pass", "fkey", "convert"]);
    assert_eq!(names("BusinessService", "cancelInv"), ["Account", "ACpass", "fkey", "userName", "userPass"]);
    assert_eq!(names("BusinessService", "reportInvUsed"), ["year", "quarter", "currentQuater", "username", "pass"]);
    assert_eq!(names("PublishService", "GetMCCQThueByFkeys"), ["Account", "ACpass", "username", "password", "pattern", "fkeys"]);
    assert_eq!(names("PortalService", "listPatternByCom"), ["userName", "pass", "comid"]);
    assert_eq!(names("BusinessService", "getSerialByPattern"), ["userName", "userPass", "pattern"]);
    assert_eq!(t.services_of("reportInvUsed"), ["BusinessService"]);
    assert!(t.operation("PortalService", "reportMonth").is_none());
    assert!(t.operation("PublishService", "ImportAndPublishInv").unwrap().params.iter().find(|p| p.name == "convert").unwrap().required());
    assert!(!t.operation("PublishService", "ImportAndPublishInv").unwrap().params[0].required());
}
