//! The simulators' own strict XML reader, on `quick-xml` directly (never the clients' reader).
//!
//! It reads what the providers' parsers read and refuses what they refuse:
//!
//! - element names compare exactly (`Ikey` is not `ikey`): [`Element::child`] and friends
//!   never fold case;
//! - namespaces are resolved (`NsReader`) and kept on every element ([`Element::ns`]), so a
//!   SOAP body is checked for `http://tempuri.org/` however the prefix is spelt, and a
//!   prefix bound nowhere is an error;
//! - the five predefined entities and character references are resolved; any other entity,
//!   and any `<!DOCTYPE …>` (which could declare one), is an error;
//! - CDATA sections are text;
//! - the tree is built with an explicit stack, never by recursion, and nesting deeper than
//!   [`MAX_DEPTH`] is an error, so no request can overflow the stack;
//! - end tags must match their start tags, and there must be exactly one root element.

use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use quick_xml::NsReader;

/// Deeper nesting than any provider's document uses is refused.
pub const MAX_DEPTH: usize = 64;

/// One element: its namespace (`None` when in no namespace), local name, text (all text and
/// CDATA directly inside it, concatenated) and child elements in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Element {
    /// The namespace URI, `None` when the element is in no namespace.
    pub ns: Option<String>,
    /// The local name, without prefix.
    pub name: String,
    /// The prefix as written (`soap` in `soap:Body`), for messages only.
    pub prefix: Option<String>,
    /// All text and CDATA directly inside the element, concatenated.
    pub text: String,
    /// The child elements, in order.
    pub children: Vec<Element>,
}

/// Why a document could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XmlError(pub String);

impl std::fmt::Display for XmlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for XmlError {}

impl Element {
    /// The first child with exactly this local name.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    /// All children with exactly this local name.
    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The text of the first child with exactly this name, if that child exists.
    pub fn text_of(&self, name: &str) -> Option<&str> {
        self.child(name).map(|c| c.text.as_str())
    }

    /// The text of the child, trimmed, when the child exists and is not empty.
    pub fn filled(&self, name: &str) -> Option<&str> {
        self.text_of(name).map(str::trim).filter(|t| !t.is_empty())
    }

    /// `prefix:name` as written, for messages.
    pub fn qualified(&self) -> String {
        match &self.prefix {
            Some(p) => format!("{p}:{}", self.name),
            None => self.name.clone(),
        }
    }
}

/// Parses a whole document into its root element.
pub fn parse(text: &str) -> Result<Element, XmlError> {
    // A byte-order mark before the declaration is allowed (and .NET writers send one).
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = NsReader::from_str(text);
    let config = reader.config_mut();
    config.expand_empty_elements = true;
    config.check_end_names = true;
    config.trim_text(false);
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    loop {
        let position = reader.buffer_position();
        let (resolved, event) = reader.read_resolved_event().map_err(|e| XmlError(format!("XML sai ở vị trí {position}: {e}")))?;
        match event {
            Event::Start(start) => {
                if root.is_some() {
                    return Err(XmlError("có nội dung sau phần tử gốc".into()));
                }
                if stack.len() >= MAX_DEPTH {
                    return Err(XmlError(format!("lồng quá {MAX_DEPTH} cấp")));
                }
                let ns = match resolved {
                    ResolveResult::Bound(ns) => Some(ns.as_ref().to_string()),
                    ResolveResult::Unbound => None,
                    ResolveResult::Unknown(p) => return Err(XmlError(format!("tiền tố «{p}» chưa khai báo namespace"))),
                };
                let name = start.local_name().as_ref().to_string();
                let prefix = start.name().prefix().map(|p| p.as_ref().to_string());
                stack.push(Element { ns, name, prefix, ..Default::default() });
            }
            Event::End(_) => {
                let done = stack.pop().ok_or_else(|| XmlError("thẻ đóng thừa".into()))?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(done),
                    None => root = Some(done),
                }
            }
            Event::Text(t) => {
                let content = t.xml10_content();
                match stack.last_mut() {
                    Some(el) => el.text.push_str(&content),
                    None if content.trim().is_empty() => {}
                    None => return Err(XmlError("có chữ ngoài phần tử gốc".into())),
                }
            }
            Event::CData(c) => {
                let content = c.xml10_content();
                match stack.last_mut() {
                    Some(el) => el.text.push_str(&content),
                    None => return Err(XmlError("CDATA ngoài phần tử gốc".into())),
                }
            }
            Event::GeneralRef(r) => {
                let resolved: String = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    Ok(None) => match quick_xml::escape::resolve_predefined_entity(&r) {
                        Some(s) => s.to_string(),
                        None => return Err(XmlError(format!("thực thể «&{};» không được định nghĩa", &*r))),
                    },
                    Err(e) => return Err(XmlError(format!("tham chiếu ký tự sai: {e}"))),
                };
                match stack.last_mut() {
                    Some(el) => el.text.push_str(&resolved),
                    None => return Err(XmlError("tham chiếu ngoài phần tử gốc".into())),
                }
            }
            Event::DocType(_) => return Err(XmlError("không chấp nhận DOCTYPE".into())),
            Event::Empty(_) => unreachable!("expand_empty_elements is on"),
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
            Event::Eof => break,
        }
    }
    if !stack.is_empty() {
        return Err(XmlError(format!("thiếu thẻ đóng của «{}»", stack.last().map(|e| e.name.as_str()).unwrap_or(""))));
    }
    root.ok_or_else(|| XmlError("không có phần tử nào".into()))
}

/// Text escaped for an XML element.
pub fn escape(text: &str) -> std::borrow::Cow<'_, str> {
    quick_xml::escape::escape(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn namespaces_entities_cdata() {
        let doc = r#"<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><Op xmlns="http://tempuri.org/"><a>x &amp; &#x41;</a><b><![CDATA[<Invoices/>]]></b></Op></s:Body></s:Envelope>"#;
        let root = parse(doc).unwrap();
        assert_eq!(root.name, "Envelope");
        assert_eq!(root.ns.as_deref(), Some("http://schemas.xmlsoap.org/soap/envelope/"));
        let op = &root.child("Body").unwrap().children[0];
        assert_eq!(op.ns.as_deref(), Some("http://tempuri.org/"));
        assert_eq!(op.child("a").unwrap().ns.as_deref(), Some("http://tempuri.org/"));
        assert_eq!(op.text_of("a"), Some("x & A"));
        assert_eq!(op.text_of("b"), Some("<Invoices/>"));
        assert!(op.child("A").is_none(), "exact case");
    }

    #[test]
    fn refuses() {
        assert!(parse("<a>&nbsp;</a>").is_err());
        assert!(parse("<!DOCTYPE a [<!ENTITY x 'y'>]><a>&x;</a>").is_err());
        assert!(parse("<a><b></a>").is_err());
        assert!(parse("<p:a/>").is_err());
        assert!(parse("<a/><b/>").is_err());
        assert!(parse("").is_err());
        let deep = "<a>".repeat(MAX_DEPTH + 1) + &"</a>".repeat(MAX_DEPTH + 1);
        assert!(parse(&deep).is_err());
        assert!(parse("\u{feff}<?xml version=\"1.0\"?><a/>").is_ok());
        let ok = "<a>".repeat(MAX_DEPTH) + &"</a>".repeat(MAX_DEPTH);
        assert!(parse(&ok).is_ok());
        let huge = "<a>".repeat(200_000);
        assert!(parse(&huge).is_err());
    }
}
