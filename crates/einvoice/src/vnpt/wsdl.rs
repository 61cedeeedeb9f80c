//! Reading a VNPT tenant's own service descriptions (`<Service>.asmx?wsdl`).
//!
//! Tenants run different versions of the service, and parameter names differ between them
//! (`pass` vs `password`, `userName` vs `username`). The client is written against the
//! published TT78 WSDLs; "Kiểm tra kết nối" reads the tenant's, says where an operation or a
//! parameter the client sends differs, and gives the tenant's names
//! ([`super::VnptSettings::param_names`]) for the client to use from then on, matched by
//! position, which is what document/literal binding goes by apart from the names.

use std::collections::BTreeMap;

use quick_xml::events::Event;
use quick_xml::Reader;

/// Each operation's request parameters, in order, as a WSDL's schema declares them.
pub type Operations = BTreeMap<String, Vec<String>>;

/// The request elements of a WSDL's `types` schema: an element at the top level of the
/// schema whose name does not end in `Response`, and the elements of its sequence.
pub fn operations(wsdl: &str) -> Result<Operations, String> {
    let mut reader = Reader::from_str(wsdl);
    reader.config_mut().trim_text(true);
    let mut out = Operations::new();
    // Depth of the current element below <schema>, and the operation being read.
    let mut in_schema = false;
    let mut depth = 0usize;
    let mut current: Option<String> = None;
    loop {
        let event = reader.read_event().map_err(|e| format!("WSDL không đọc được: {e}"))?;
        let (start, empty) = match &event {
            Event::Start(e) => (Some(e.clone()), false),
            Event::Empty(e) => (Some(e.clone()), true),
            _ => (None, false),
        };
        if let Some(e) = start {
            let local = e.local_name().as_ref().to_string();
            let name = e
                .attributes()
                .flatten()
                .find(|a| a.key.local_name().as_ref() == "name")
                .and_then(|a| a.normalized_value(quick_xml::XmlVersion::Explicit1_0).ok().map(|v| v.into_owned()));
            if local == "schema" {
                in_schema = !empty;
                depth = 0;
                continue;
            }
            if in_schema {
                if local == "element" {
                    match (depth, &name) {
                        (0, Some(n)) if !n.ends_with("Response") => {
                            out.insert(n.clone(), Vec::new());
                            current = Some(n.clone());
                        }
                        (0, _) => current = None,
                        (_, Some(n)) => {
                            // A parameter: an element of the operation element's sequence
                            // (complexType > sequence > element, three levels down).
                            if depth == 3
                                && let Some(op) = &current {
                                    out.get_mut(op).expect("inserted above").push(n.clone());
                                }
                        }
                        _ => {}
                    }
                }
                if !empty {
                    depth += 1;
                }
            }
            continue;
        }
        match event {
            Event::End(e)
                if in_schema => {
                    if e.local_name().as_ref() == "schema" {
                        in_schema = false;
                    } else {
                        depth = depth.saturating_sub(1);
                        if depth == 0 {
                            current = None;
                        }
                    }
                }
            Event::Eof => break,
            _ => {}
        }
    }
    if out.is_empty() {
        return Err("WSDL không khai báo thao tác nào".into());
    }
    Ok(out)
}

/// How the tenant's description differs from what the client sends, operation by operation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Comparison {
    /// The tenant's names for operations whose parameters are named differently but stand
    /// in the same places: the client sends these from now on.
    pub renamed: Operations,
    /// Sentences for the owner: operations missing, parameters renamed or out of place.
    pub differences: Vec<String>,
}

/// Compares the client's calls (`ours`: operation → parameters) with the tenant's.
pub fn compare(ours: &[(&str, &[&str])], tenant: &Operations) -> Comparison {
    let mut out = Comparison::default();
    for (op, params) in ours {
        let Some(theirs) = tenant.get(*op) else {
            out.differences.push(format!("Máy chủ không có thao tác {op}."));
            continue;
        };
        if theirs.iter().map(String::as_str).eq(params.iter().copied()) {
            continue;
        }
        if theirs.len() == params.len() {
            let pairs: Vec<String> = params
                .iter()
                .zip(theirs)
                .filter(|(a, b)| **a != b.as_str())
                .map(|(a, b)| format!("{a} → {b}"))
                .collect();
            out.differences.push(format!("{op}: máy chủ đặt tên tham số khác ({}); ứng dụng sẽ dùng tên của máy chủ.", pairs.join(", ")));
            out.renamed.insert((*op).to_string(), theirs.clone());
        } else {
            out.differences.push(format!(
                "{op}: máy chủ nhận {} tham số ({}), ứng dụng gửi {} ({}); thao tác này có thể bị từ chối.",
                theirs.len(),
                theirs.join(", "),
                params.len(),
                params.join(", ")
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const WSDL: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<wsdl:definitions xmlns:s="http://www.w3.org/2001/XMLSchema" xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" targetNamespace="http://tempuri.org/">
  <wsdl:types>
    <s:schema elementFormDefault="qualified" targetNamespace="http://tempuri.org/">
      <s:element name="cancelInv">
        <s:complexType>
          <s:sequence>
            <s:element minOccurs="0" maxOccurs="1" name="Account" type="s:string" />
            <s:element minOccurs="0" maxOccurs="1" name="ACpass" type="s:string" />
            <s:element minOccurs="0" maxOccurs="1" name="fkey" type="s:string" />
            <s:element minOccurs="0" maxOccurs="1" name="userName" type="s:string" />
            <s:element minOccurs="0" maxOccurs="1" name="pass" type="s:string" />
          </s:sequence>
        </s:complexType>
      </s:element>
      <s:element name="cancelInvResponse">
        <s:complexType><s:sequence><s:element minOccurs="0" maxOccurs="1" name="cancelInvResult" type="s:string" /></s:sequence></s:complexType>
      </s:element>
      <s:element name="string" nillable="true" type="s:string" />
    </s:schema>
  </wsdl:types>
</wsdl:definitions>"#;

    #[test]
    fn reads_request_elements_and_their_parameters_in_order() {
        let ops = operations(WSDL).unwrap();
        assert_eq!(ops.get("cancelInv").unwrap(), &["Account", "ACpass", "fkey", "userName", "pass"]);
        assert!(!ops.contains_key("cancelInvResponse"));
        assert_eq!(ops.get("string").map(Vec::len), Some(0));
    }

    #[test]
    fn a_renamed_parameter_is_adopted_and_a_missing_operation_said() {
        let ops = operations(WSDL).unwrap();
        let ours: &[(&str, &[&str])] = &[("cancelInv", &["Account", "ACpass", "fkey", "userName", "userPass"]), ("adjustInv", &["Account"])];
        let c = compare(ours, &ops);
        assert_eq!(c.renamed.get("cancelInv").unwrap().last().unwrap(), "pass");
        assert_eq!(c.differences.len(), 2);
        assert!(c.differences[0].contains("userPass → pass"), "{:?}", c.differences);
        assert_eq!(c.differences[1], "Máy chủ không có thao tác adjustInv.");
        let same: &[(&str, &[&str])] = &[("cancelInv", &["Account", "ACpass", "fkey", "userName", "pass"])];
        assert_eq!(compare(same, &ops), Comparison::default());
    }

    #[test]
    fn refuses_what_is_not_a_wsdl() {
        assert!(operations("<html><body>404</body></html>").is_err());
        assert!(operations("<a><b").is_err());
    }
}
