//! Reading the clients' XML (invoice data, SOAP requests) into a small element tree.
//!
//! The simulators read what the clients send the way a provider would: by element name,
//! entities resolved, prefixes ignored. Built without recursion so a broken request cannot
//! overflow the stack.

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

/// One element of a parsed request: its local name (prefix dropped), its text (entities
/// resolved, CDATA included) and its child elements.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Element {
    pub name: String,
    pub text: String,
    pub children: Vec<Element>,
}

impl Element {
    /// The first child with this local name, compared case-insensitively: VNPT answers are
    /// written by hand in places and their case drifts (`<Amount>`, `<amount>`).
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name.eq_ignore_ascii_case(name))
    }

    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name.eq_ignore_ascii_case(name))
    }

    /// The trimmed text of a child, `None` when absent or empty.
    pub fn text_of(&self, name: &str) -> Option<&str> {
        self.child(name).map(|c| c.text.trim()).filter(|t| !t.is_empty())
    }

    /// The first element with this name anywhere below (or at) this one, depth first.
    pub fn find(&self, name: &str) -> Option<&Element> {
        let mut stack = vec![self];
        while let Some(e) = stack.pop() {
            if e.name.eq_ignore_ascii_case(name) {
                return Some(e);
            }
            stack.extend(e.children.iter().rev());
        }
        None
    }
}

/// Deep enough for any answer either provider sends; deeper is treated as garbage.
const MAX_DEPTH: usize = 64;

/// Parses a document and returns its root element.
pub fn parse(text: &str) -> Result<Element, String> {
    let mut reader = Reader::from_str(text);
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    loop {
        let event = reader.read_event().map_err(|e| format!("XML không hợp lệ: {e}"))?;
        match event {
            Event::Start(start) => {
                if root.is_some() {
                    return Err("có nội dung sau phần tử gốc".into());
                }
                if stack.len() >= MAX_DEPTH {
                    return Err("XML lồng quá sâu".into());
                }
                stack.push(Element { name: local_name(&start), ..Default::default() });
            }
            Event::Empty(start) => {
                let e = Element { name: local_name(&start), ..Default::default() };
                match stack.last_mut() {
                    Some(parent) => parent.children.push(e),
                    None if root.is_none() => root = Some(e),
                    None => return Err("có nội dung sau phần tử gốc".into()),
                }
            }
            Event::End(_) => {
                let done = stack.pop().ok_or("thẻ đóng thừa")?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(done),
                    None => root = Some(done),
                }
            }
            Event::Text(t) => {
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&t.xml10_content());
                } else if !t.xml10_content().trim().is_empty() {
                    return Err("có chữ nằm ngoài phần tử gốc".into());
                }
            }
            Event::CData(c) => {
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&c.xml10_content());
                }
            }
            Event::GeneralRef(r) => {
                let ch = match r.resolve_char_ref().map_err(|e| format!("tham chiếu ký tự sai: {e}"))? {
                    Some(c) => c,
                    None => match &*r {
                        "amp" => '&',
                        "lt" => '<',
                        "gt" => '>',
                        "quot" => '"',
                        "apos" => '\'',
                        other => return Err(format!("thực thể không biết: &{other};")),
                    },
                };
                if let Some(top) = stack.last_mut() {
                    top.text.push(ch);
                }
            }
            Event::Eof => break,
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) | Event::DocType(_) => {}
        }
    }
    if !stack.is_empty() {
        return Err("XML bị cắt ngang (thiếu thẻ đóng)".into());
    }
    root.ok_or_else(|| "không có phần tử nào".into())
}

fn local_name(start: &BytesStart<'_>) -> String {
    let local = start.local_name();
    let name: &str = local.as_ref();
    name.to_string()
}


/// Text escaped for an XML element.
pub fn escape(text: &str) -> std::borrow::Cow<'_, str> {
    quick_xml::escape::escape(text)
}
