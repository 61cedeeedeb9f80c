//! The VNPT operations table, read at start-up from `wsdl/OPERATIONS.txt` (a copy of the
//! operation list of the four WSDLs a TT78 tenant publishes; see `wsdl/README-specs.md`).
//!
//! Each line there is `Op(name:type, …) -> OpResult:type  [SOAPAction=http://tempuri.org/Op]`
//! under a `===== <Service>.wsdl N ops` heading. The table keeps, per service, every
//! operation with its parameters in order, exact case and XSD type. In the WSDLs every
//! `s:string` parameter is `minOccurs="0"` and every other type (`int`, `decimal`,
//! `boolean`, `base64Binary`) `minOccurs="1"`; [`Param::required`] follows that.
//!
//! One addition the WSDL lacks: `ImportAndPublishInvMTT` (cash register), which real tenants
//! serve on PublishService with `ImportAndPublishInv`'s parameters.

use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The file, as shipped with the crate.
pub const OPERATIONS_TXT: &str = include_str!("../wsdl/OPERATIONS.txt");

/// One parameter of an operation, as the WSDL declares it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Param {
    /// The element name, exact case (`Account`, `ACpass`, `xmlInvData`, …).
    pub name: String,
    /// The XSD type without prefix: `string`, `int`, `decimal`, `boolean`, `base64Binary`, …
    pub ty: String,
}

impl Param {
    /// Strings may be left out (`minOccurs="0"`); the value types may not.
    pub fn required(&self) -> bool {
        self.ty != "string"
    }
}

/// One operation of a service: its parameters in order, its result and SOAPAction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operation {
    /// The operation name (`ImportAndPublishInv`), also the body element's name.
    pub name: String,
    /// The parameters, in the WSDL's order.
    pub params: Vec<Param>,
    /// The result element's name (`ImportAndPublishInvResult`).
    pub result: String,
    /// The result's XSD type without prefix (`string`, …).
    pub result_type: String,
    /// The SOAPAction header value, `http://tempuri.org/<Op>`.
    pub soap_action: String,
}

/// Service name (`PublishService`, `BusinessService`, `PortalService`, …) → operations.
#[derive(Debug, Clone, Default)]
pub struct Table {
    /// Service name → operation name → operation.
    pub services: BTreeMap<String, BTreeMap<String, Operation>>,
    /// The operation counts the file's headings announce, to check the parse.
    pub announced: BTreeMap<String, usize>,
}

impl Table {
    /// The operation `op` of `service`, exact case.
    pub fn operation(&self, service: &str, op: &str) -> Option<&Operation> {
        self.services.get(service)?.get(op)
    }

    /// The services that have an operation of this exact name.
    pub fn services_of(&self, op: &str) -> Vec<&str> {
        self.services.iter().filter(|(_, ops)| ops.contains_key(op)).map(|(s, _)| s.as_str()).collect()
    }
}

/// Parses the text of OPERATIONS.txt.
pub fn parse(text: &str) -> Result<Table, String> {
    let mut table = Table::default();
    let mut service: Option<String> = None;
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        if let Some(rest) = line.strip_prefix("=====") {
            // "===== PublishService.wsdl 58 ops"
            let mut words = rest.split_whitespace();
            let file = words.next().ok_or(format!("line {}: heading without file", n + 1))?;
            let name = file.strip_suffix(".wsdl").ok_or(format!("line {}: heading without .wsdl", n + 1))?.to_string();
            let count: usize = words.next().and_then(|w| w.parse().ok()).ok_or(format!("line {}: heading without count", n + 1))?;
            table.announced.insert(name.clone(), count);
            table.services.entry(name.clone()).or_default();
            service = Some(name);
            continue;
        }
        let service = service.as_ref().ok_or(format!("line {}: operation before any heading", n + 1))?;
        let open = line.find('(').ok_or(format!("line {}: no (", n + 1))?;
        let close = line.find(')').ok_or(format!("line {}: no )", n + 1))?;
        let name = line[..open].trim().to_string();
        let mut params = Vec::new();
        for p in line[open + 1..close].split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (pname, ty) = p.split_once(':').ok_or(format!("line {}: parameter {p} without type", n + 1))?;
            params.push(Param { name: pname.trim().to_string(), ty: ty.trim().to_string() });
        }
        let after = &line[close + 1..];
        let arrow = after.find("->").ok_or(format!("line {}: no ->", n + 1))?;
        let result_part = after[arrow + 2..].split_whitespace().next().unwrap_or("");
        let (result, result_type) = result_part.split_once(':').ok_or(format!("line {}: result without type", n + 1))?;
        let soap_action = after
            .split("[SOAPAction=")
            .nth(1)
            .and_then(|s| s.strip_suffix(']'))
            .ok_or(format!("line {}: no SOAPAction", n + 1))?
            .to_string();
        let op = Operation { name: name.clone(), params, result: result.to_string(), result_type: result_type.to_string(), soap_action };
        table.services.get_mut(service).expect("heading inserted it").insert(name, op);
    }
    for (service, count) in &table.announced {
        let found = table.services.get(service).map(BTreeMap::len).unwrap_or(0);
        if found != *count {
            return Err(format!("{service}: heading says {count} operations, {found} read"));
        }
    }
    Ok(table)
}

/// The table the simulator uses: the file's operations plus `ImportAndPublishInvMTT`.
pub fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t = parse(OPERATIONS_TXT).expect("wsdl/OPERATIONS.txt is readable");
        let publish = t.services.get_mut("PublishService").expect("PublishService in OPERATIONS.txt");
        let mut mtt = publish.get("ImportAndPublishInv").expect("ImportAndPublishInv in OPERATIONS.txt").clone();
        mtt.name = "ImportAndPublishInvMTT".into();
        mtt.result = "ImportAndPublishInvMTTResult".into();
        mtt.soap_action = "http://tempuri.org/ImportAndPublishInvMTT".into();
        publish.insert(mtt.name.clone(), mtt);
        t
    })
}
