//! The answer parsers must never panic, whatever a provider (or a proxy in between) sends:
//! a panic in the issuing queue would leave a sale half-handled. Fuzzed with proptest over
//! random bytes and over inputs shaped like real answers, which reach deeper.

use hoadon_einvoice::easyinvoice::answers as ei;
use hoadon_einvoice::viettel::answers as vt;
use hoadon_einvoice::vnpt::answers as vn;
use hoadon_einvoice::{xml, InvoiceKey, Operation};
use proptest::prelude::*;
use serde_json::{Map, Value};

const OPS: [Operation; 12] = [
    Operation::Issue,
    Operation::IssueCashRegister,
    Operation::Draft,
    Operation::PublishDrafts,
    Operation::Query,
    Operation::Cancel,
    Operation::Adjust,
    Operation::Replace,
    Operation::Pdf,
    Operation::ConfirmPayment,
    Operation::View,
    Operation::ReportMonth,
];

fn keys() -> Vec<InvoiceKey> {
    ["K1", "K-2", "A"].iter().map(|k| InvoiceKey::new(*k).unwrap()).collect()
}

/// JSON values built from the names EasyInvoice uses, nested.
fn json_value() -> impl Strategy<Value = Value> {
    let names = prop::sample::select(vec![
        "Status", "Message", "Data", "KeyInvoiceNo", "KeyInvoiceMsg", "Invoices", "Ikey", "InvoiceStatus", "No", "LookupCode",
        "ArisingDate", "IssueDate", "Amount", "Pattern", "Serial", "Patterns", "K1", "K-2", "A", "ErrorCode", "TCTCheckStatus",
        "TCTErrorMessage", "TaxAuthorityCode", "CustomerName", "Buyer",
    ]);
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map(Value::Number).unwrap_or(Value::Null)),
        "[-0-9 :/A-Za-zđ]{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((names.clone(), inner), 0..6)
                .prop_map(|fields| Value::Object(fields.into_iter().map(|(k, v)| (k.to_string(), v)).collect::<Map<_, _>>())),
        ]
    })
}

/// JSON values built from the names Viettel uses, nested, with its codes and Vietnamese
/// status texts among the leaves.
fn viettel_value() -> impl Strategy<Value = Value> {
    let names = prop::sample::select(vec![
        "code", "message", "data", "errorCode", "description", "result", "invoiceNo", "reservationCode", "issueDate", "status",
        "exchangeStatus", "codeOfTax", "fileToBytes", "fileName", "template", "templates", "templateCode", "invoiceSeri", "access_token",
        "expires_in", "error", "error_description", "transactionUuid", "supplierTaxCode",
    ]);
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map(Value::Number).unwrap_or(Value::Null)),
        prop::sample::select(vec![
            "NOT_FOUND_DATA", "TRANSACTION_UUID_INVALID", "INVOICE_SERIAL_NOT_FOUND", "GENERAL", "Hóa đơn xóa bỏ", "Hoá đơn bị thay thế",
            "Chưa thanh toán", "INVOICE_HAS_CODE_APPROVED", "INVOICE_NO_CODE_DIS_APPROVED", "C26TAA12", "K24TUT", "JVBERi0x", "600", "",
        ])
        .prop_map(|s| Value::String(s.to_string())),
        "[-0-9 :/A-Za-zđ_=+]{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((names.clone(), inner), 0..6)
                .prop_map(|fields| Value::Object(fields.into_iter().map(|(k, v)| (k.to_string(), v)).collect::<Map<_, _>>())),
        ]
    })
}

fn exercise_viettel(body: &[u8]) {
    let ks = keys();
    for http in [200, 400, 401, 403, 404, 408, 500, 502] {
        for op in OPS {
            let _ = vt::read(op, http, body, Some(&ks[0])).map_err(|e| (e.is_unclear(), e.to_string()));
        }
        let _ = vt::login(Operation::VerifyAccount, http, body).map_err(|e| e.to_string());
        let _ = vt::token_expired(http, body);
    }
    if let Ok(value) = serde_json::from_slice::<Value>(body) {
        if let Some(obj) = value.as_object() {
            for http in [200, 400, 500] {
                if let Some(f) = vt::failure(obj, http) {
                    for op in OPS {
                        let _ = vt::error_for(op, &f, Some(&ks[1])).to_string();
                    }
                }
            }
        }
        for op in OPS {
            let _ = vt::issued(op, &value, &ks[0], "1/001", "C26TAA");
            if let Ok(Some(found)) = vt::found(op, &value) {
                let _ = vt::state(&ks[0], Some(&found));
            }
            let _ = vt::file(op, &value);
            let _ = vt::templates(op, &value);
        }
    }
    let text = String::from_utf8_lossy(body);
    let _ = vt::fold(&text);
    let _ = vt::number_of(&text, "C26TAA");
    let _ = vt::number_of(&text, "");
}

/// Text shaped like VNPT answers: OK/ERR prefixes and its separators.
fn vnpt_text() -> impl Strategy<Value = String> {
    let piece = prop::sample::select(vec![
        "OK:", "OK:#", "#", " _", "ERR:", "ERR", "1", "0", "ERR:15", "ERR:35", "01GTKT3/001", ";", "-", "_", ",", "C26TAA", "K1", "K-2", "00012", "M1-26-AB123-00100000042", ":", " ",
        "<Data>", "</Data>", "<Item>", "</Item>", "<status>", "</status>", "<invNum>", "</invNum>", "&amp;", "&#x0;", "<![CDATA[",
        "||", "ERR:6#", "ERR:15#", "OK:#", "1/001", "<cusname>", "</cusname>", "0000012",
    ]);
    prop::collection::vec(piece, 0..24).prop_map(|v| v.concat())
}

fn exercise_easyinvoice(body: &[u8]) {
    let ks = keys();
    for http in [200, 401, 404, 409, 500] {
        let _ = ei::pdf(Operation::Pdf, http, "application/json", body);
        let _ = ei::pdf(Operation::Pdf, http, "", body);
    }
    if let Ok(env) = ei::parse_envelope(body) {
        for op in OPS {
            for http in [200, 400, 401, 404, 409, 500] {
                let _ = ei::refusal(op, &env, http).to_string();
            }
            let _ = ei::notice_outcome(op, &env, &ks[0]);
            let _ = ei::key_map(&env.data, "KeyInvoiceMsg");
            let _ = ei::issued(op, &env, &ks, "1", "C26TAA");
            let _ = ei::invoices(op, &env, &ks);
            let _ = ei::listed(op, &env);
            let _ = ei::patterns(op, &env);
        }
    }
}

fn exercise_vnpt(text: &str) {
    let ks = keys();
    for op in OPS {
        let _ = vn::soap_result(op, "ImportAndPublishInv", text);
        let _ = vn::check(op, text, &ks).map_err(|e| e.to_string());
        if let Some(code) = vn::error_code(text) {
            let _ = vn::error_for(op, code, &ks).to_string();
        }
    }
    for cash in [false, true] {
        if let Ok(items) = vn::parse_published(text, cash) {
            let _ = vn::issued_for(Operation::Issue, items, &ks);
        }
    }
    if let Ok(items) = vn::parse_drafted(text) {
        let _ = vn::issued_for(Operation::Draft, items, &ks);
    }
    if let Ok(items) = vn::parse_published_fkeys(text, "1", "C26TAA") {
        let _ = vn::issued_for(Operation::PublishDrafts, items, &ks);
    }
    let _ = vn::parse_signed_drafts(text, "1/001", "C26TAA");
    let _ = vn::is_three_part(text);
    let _ = vn::parse_tax_verdicts(text);
    let _ = vn::parse_changed(text);
    let _ = vn::parse_list(&ks[0], text);
    let _ = vn::parse_pdf(text);
    let _ = vn::update_cus(Operation::UpdateCustomers, text);
    let _ = vn::is_ok(text);
    let _ = xml::parse(text);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2_000, ..ProptestConfig::default() })]

    #[test]
    fn easyinvoice_bytes(body in prop::collection::vec(any::<u8>(), 0..256)) {
        exercise_easyinvoice(&body);
    }

    #[test]
    fn easyinvoice_envelopes(
        data in json_value(),
        status in prop_oneof![Just(Value::from(2)), Just(Value::from("2")), Just(Value::from(4)), Just(Value::from(5)), json_value()],
        code in prop_oneof![Just(Value::from("0")), Just(Value::from(129)), Just(Value::from("177")), Just(Value::from(164)), json_value()],
    ) {
        let body = serde_json::json!({ "Status": status, "Message": "x", "ErrorCode": code, "Data": data }).to_string();
        exercise_easyinvoice(body.as_bytes());
    }

    #[test]
    fn viettel_invoice_files(body in prop::collection::vec(any::<u8>(), 0..512), text in "(<[A-Za-z]{1,8}>|[^<]{0,12}|</[A-Za-z]{1,8}>){0,40}") {
        // A ZIP or XML that is not an invoice file is an error, never a panic.
        let _ = hoadon_einvoice::viettel::invoice_file::read(&body);
        let _ = hoadon_einvoice::viettel::invoice_file::facts(&text);
    }

    #[test]
    fn viettel_bytes(body in prop::collection::vec(any::<u8>(), 0..256)) {
        exercise_viettel(&body);
    }

    #[test]
    fn viettel_answers(value in viettel_value()) {
        exercise_viettel(value.to_string().as_bytes());
    }

    /// Look-up answers of the documented shape with random leaves: they read, and the state
    /// they give is for the key asked.
    #[test]
    fn viettel_lookups(
        no in "[A-Z0-9]{0,10}",
        status in ".{0,30}",
        exchange in prop::sample::select(vec!["INVOICE_HAS_CODE_SENT", "INVOICE_NO_CODE_NOT_SENT", "INVOICE_HAS_CODE_DIS_APPROVED", "X", ""]),
        issued in prop_oneof![any::<i64>(), Just(i64::MAX), Just(i64::MIN), Just(253_402_300_799_000i64), 0i64..4_102_444_800_000],
    ) {
        let body = serde_json::json!({"errorCode": null, "result": [{"invoiceNo": no, "status": status, "exchangeStatus": exchange, "issueDate": issued}]}).to_string();
        let value = vt::read(Operation::Query, 200, body.as_bytes(), None).unwrap();
        let found = vt::found(Operation::Query, &value).unwrap().unwrap();
        let state = vt::state(&keys()[0], Some(&found));
        prop_assert_eq!(&state.key, &keys()[0]);
    }

    #[test]
    fn vnpt_strings(text in ".{0,200}") {
        exercise_vnpt(&text);
    }

    #[test]
    fn vnpt_shaped(text in vnpt_text()) {
        exercise_vnpt(&text);
        let wrapped = format!("<Envelope><Body><ImportAndPublishInvResponse><ImportAndPublishInvResult>{}</ImportAndPublishInvResult></ImportAndPublishInvResponse></Body></Envelope>", quick_escape(&text));
        exercise_vnpt(&wrapped);
        for operation in ["ImportInvByPattern", "PublishInvFkey"] {
            let body = format!("<Envelope><Body><{operation}Response><{operation}Result>{}</{operation}Result></{operation}Response></Body></Envelope>", quick_escape(&text));
            if let Ok(result) = vn::soap_result(Operation::PublishDrafts, operation, &body) {
                exercise_vnpt(&result);
            }
        }
    }

    /// Answers of the two draft calls built from their grammar with random keys, numbers
    /// and spacing: they must parse, and give back exactly the keys and numbers put in.
    #[test]
    fn vnpt_draft_answers_round_trip(items in prop::collection::vec(("[A-Za-z0-9][A-Za-z0-9-]{0,12}", 0u64..10_000_000, " {0,2}", any::<bool>()), 1..8)) {
        let drafted = items.iter().map(|(k, n, sp, with_number)| if *with_number { format!("{sp}{k}_{n}") } else { format!("{sp}{k}") }).collect::<Vec<_>>().join(",");
        let got = vn::parse_drafted(&format!("OK:1;C26TAA-{drafted}")).unwrap();
        prop_assert_eq!(got.len(), items.len());
        for (g, (k, n, _, with_number)) in got.iter().zip(&items) {
            prop_assert_eq!(&g.key, k);
            prop_assert_eq!(g.number, if *with_number { *n } else { 0 });
        }
        let published = items.iter().map(|(k, n, sp, _)| format!("{sp}{k}{sp}_{n}{sp}")).collect::<Vec<_>>().join(",");
        let got = vn::parse_published_fkeys(&format!("OK:#{published}"), "1", "C26TAA").unwrap();
        prop_assert_eq!(got.iter().map(|g| (g.key.clone(), g.number)).collect::<Vec<_>>(), items.iter().map(|(k, n, _, _)| (k.clone(), *n)).collect::<Vec<_>>());
    }

    /// The three-part answer of `PublishInvFkey` built from its grammar: the keys come back
    /// in the part they were put in, whatever the spacing.
    #[test]
    fn vnpt_three_part_round_trip(
        not_found in prop::collection::vec("[A-Za-z0-9][A-Za-z0-9-]{0,12}", 0..4),
        already in prop::collection::vec("[A-Za-z0-9][A-Za-z0-9-]{0,12}", 0..4),
        signed in prop::collection::vec(("[A-Za-z0-9][A-Za-z0-9-]{0,12}", 1u64..10_000_000), 0..4),
    ) {
        let text = format!(
            "ERR:6#{}||ERR:15#{}||OK:#{}",
            not_found.join(","),
            already.join(","),
            signed.iter().map(|(k, n)| format!("{k}_{n:07}")).collect::<Vec<_>>().join(",")
        );
        let got = vn::parse_signed_drafts(&text, "1/001", "C26TAA").unwrap();
        prop_assert_eq!(got.not_found.iter().map(|k| k.to_string()).collect::<Vec<_>>(), not_found);
        prop_assert_eq!(got.already_signed.iter().map(|k| k.to_string()).collect::<Vec<_>>(), already);
        prop_assert_eq!(got.issued.iter().map(|i| (i.key.to_string(), i.number)).collect::<Vec<_>>(), signed);
    }
}

fn quick_escape(t: &str) -> String {
    t.replace('&', "&amp;").replace('<', "&lt;")
}
