//! Reading a SOAP 1.1 request the way an ASP.NET `.asmx` service does, against the
//! operations table of [`crate::wsdl`], and the faults it answers when it cannot.
//!
//! Checked, in this order (each failure is HTTP 500 with a `soap:Fault`):
//! 1. `SOAPAction` present, `http://tempuri.org/<Op>` (quotes optional), and `<Op>` an
//!    operation of the `.asmx` posted to; otherwise ASP.NET's "Server did not recognize the
//!    value of HTTP Header SOAPAction" (`soap:Client`).
//! 2. The body is UTF-8 XML (strict reader, [`crate::xml`]).
//! 3. The root is `Envelope` in `http://schemas.xmlsoap.org/soap/envelope/`; another or no
//!    namespace is `soap:VersionMismatch`, as ASP.NET answers a SOAP 1.2 or bare envelope.
//! 4. The envelope holds an optional `Header` then `Body`, both in that namespace, nothing
//!    else; the body holds exactly one element.
//! 5. That element is in `http://tempuri.org/` and named exactly as the SOAPAction's
//!    operation; otherwise "`<X xmlns='…'>` was not expected" (`soap:Client`).
//! 6. Its children are the operation's parameters: each in `http://tempuri.org/` (the
//!    WSDLs are `elementFormDefault="qualified"`), named exactly (case included) as the
//!    WSDL names them, in the WSDL's order, none unknown or repeated; strings may be left
//!    out (`minOccurs="0"`), other types may not, and an `int` must read as one.
//!
//! What ASP.NET really does with an unknown or out-of-order parameter is to ignore it and
//! pass null; the simulator refuses instead, so a client that would silently send nothing
//! fails a test rather than a shop. That stricter answer is deliberate, not observed.

use std::collections::HashMap;

use crate::wsdl::{self, Operation};
use crate::xml::{self, escape, Element};

/// The SOAP 1.1 envelope namespace, the only one the `.asmx` services accept.
pub const ENVELOPE_NS: &str = "http://schemas.xmlsoap.org/soap/envelope/";
/// The namespace of every VNPT operation and parameter element.
pub const TEMPURI: &str = "http://tempuri.org/";

/// A refused request: the fault code and text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    /// `faultcode`: `soap:Client`, `soap:Server` or `soap:VersionMismatch`.
    pub code: &'static str,
    /// `faultstring`: the sentence ASP.NET would write.
    pub text: String,
}

impl Fault {
    pub(crate) fn client(text: impl Into<String>) -> Fault {
        Fault { code: "soap:Client", text: text.into() }
    }

    /// The fault envelope ASP.NET writes (sent with HTTP 500).
    pub fn envelope(&self) -> String {
        format!(
            r#"<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="{ENVELOPE_NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema"><soap:Body><soap:Fault><faultcode>{}</faultcode><faultstring>{}</faultstring><detail /></soap:Fault></soap:Body></soap:Envelope>"#,
            self.code,
            escape(&self.text)
        )
    }
}

/// A request that passed every check: its operation and parameters by name (parameters
/// left out are absent).
#[derive(Debug, Clone)]
pub struct Call {
    /// The operation the `SOAPAction` and body element name.
    pub operation: &'static Operation,
    /// Parameter texts by their WSDL name; parameters left out are absent.
    pub args: HashMap<String, String>,
}

impl Call {
    /// The text of a parameter, "" when left out; `name` must be one of the operation's.
    pub fn arg(&self, name: &str) -> &str {
        debug_assert!(self.operation.params.iter().any(|p| p.name == name), "{} has no parameter {name}", self.operation.name);
        self.args.get(name).map(String::as_str).unwrap_or("")
    }
}

/// The operation named by a `SOAPAction` header value, if it is one of `service`'s.
pub fn action_operation(service: &str, action: Option<&str>) -> Result<&'static Operation, Fault> {
    let Some(raw) = action else {
        return Err(Fault::client("Unable to handle request without a valid action parameter. Please supply a valid soap action."));
    };
    let trimmed = raw.trim();
    let unquoted = trimmed.strip_prefix('"').and_then(|t| t.strip_suffix('"')).unwrap_or(trimmed);
    let not_recognised = || Fault::client(format!("Server did not recognize the value of HTTP Header SOAPAction: {unquoted}."));
    let op = unquoted.strip_prefix(TEMPURI).ok_or_else(not_recognised)?;
    let operation = wsdl::table().operation(service, op).ok_or_else(not_recognised)?;
    if operation.soap_action != unquoted {
        return Err(not_recognised());
    }
    Ok(operation)
}

fn read_error(text: impl std::fmt::Display) -> Fault {
    Fault::client(format!("Server was unable to read request. ---> There is an error in XML document. ---> {text}"))
}

/// Checks a whole request for `service` and reads its parameters.
pub fn read(service: &str, action: Option<&str>, body: &[u8]) -> Result<Call, Fault> {
    let operation = action_operation(service, action)?;
    let text = std::str::from_utf8(body).map_err(|_| read_error("Dữ liệu không phải UTF-8."))?;
    let root = xml::parse(text).map_err(read_error)?;
    if root.name != "Envelope" || root.ns.as_deref() != Some(ENVELOPE_NS) {
        return Err(Fault {
            code: "soap:VersionMismatch",
            text: format!(
                "Possible SOAP version mismatch: Envelope namespace {} was unexpected. Expecting {ENVELOPE_NS}.",
                root.ns.as_deref().unwrap_or("")
            ),
        });
    }
    let mut body_el: Option<&Element> = None;
    for (i, child) in root.children.iter().enumerate() {
        let in_soap = child.ns.as_deref() == Some(ENVELOPE_NS);
        match child.name.as_str() {
            "Header" if in_soap && i == 0 => {}
            "Body" if in_soap && body_el.is_none() => body_el = Some(child),
            _ => {
                return Err(read_error(format!(
                    "<{} xmlns='{}'> was not expected in soap:Envelope.",
                    child.name,
                    child.ns.as_deref().unwrap_or("")
                )));
            }
        }
    }
    let body_el = body_el.ok_or_else(|| read_error("soap:Envelope has no soap:Body."))?;
    let call = match body_el.children.as_slice() {
        [one] => one,
        [] => return Err(read_error("soap:Body is empty.")),
        _ => return Err(read_error("soap:Body holds more than one element.")),
    };
    if call.ns.as_deref() != Some(TEMPURI) || call.name != operation.name {
        return Err(read_error(format!(
            "<{} xmlns='{}'> was not expected. Expected <{} xmlns='{TEMPURI}'> (SOAPAction {}).",
            call.name,
            call.ns.as_deref().unwrap_or(""),
            operation.name,
            operation.soap_action
        )));
    }
    let mut args = HashMap::new();
    let mut next = 0usize;
    for child in &call.children {
        if child.ns.as_deref() != Some(TEMPURI) {
            return Err(read_error(format!(
                "<{} xmlns='{}'> was not expected in <{}>: parameters are in {TEMPURI}.",
                child.name,
                child.ns.as_deref().unwrap_or(""),
                operation.name
            )));
        }
        let Some(pos) = operation.params.iter().position(|p| p.name == child.name) else {
            let close = operation.params.iter().find(|p| p.name.eq_ignore_ascii_case(&child.name));
            let hint = close.map(|p| format!(" (did you mean <{}>?)", p.name)).unwrap_or_default();
            return Err(read_error(format!(
                "<{}> is not a parameter of {}{hint}; its parameters are {}.",
                child.name,
                operation.name,
                operation.params.iter().map(|p| p.name.as_str()).collect::<Vec<_>>().join(", ")
            )));
        };
        if pos < next {
            let why = if args.contains_key(&child.name) { "is repeated" } else { "is out of order" };
            return Err(read_error(format!(
                "<{}> {why} in {}: the order is {}.",
                child.name,
                operation.name,
                operation.params.iter().map(|p| p.name.as_str()).collect::<Vec<_>>().join(", ")
            )));
        }
        for skipped in &operation.params[next..pos] {
            if skipped.required() {
                return Err(read_error(format!("<{}> ({}) is required in {} before <{}>.", skipped.name, skipped.ty, operation.name, child.name)));
            }
        }
        let param = &operation.params[pos];
        if param.ty == "int" && child.text.trim().parse::<i32>().is_err() {
            return Err(read_error(format!("<{}> «{}» is not an int.", child.name, child.text)));
        }
        if !child.children.is_empty() && param.ty == "string" {
            return Err(read_error(format!("<{}> holds elements; a string parameter holds text (escaped or in CDATA).", child.name)));
        }
        args.insert(child.name.clone(), child.text.clone());
        next = pos + 1;
    }
    if let Some(missing) = operation.params[next..].iter().find(|p| p.required()) {
        return Err(read_error(format!("<{}> ({}) is required in {}.", missing.name, missing.ty, operation.name)));
    }
    Ok(Call { operation, args })
}

/// The answer envelope: `<OpResponse xmlns="http://tempuri.org/"><OpResult>text</OpResult></OpResponse>`.
pub fn answer(operation: &Operation, result: &str) -> String {
    let op = &operation.name;
    let res = &operation.result;
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="{ENVELOPE_NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema"><soap:Body><{op}Response xmlns="{TEMPURI}"><{res}>{}</{res}></{op}Response></soap:Body></soap:Envelope>"#,
        escape(result)
    )
}
