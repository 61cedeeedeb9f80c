//! Writing the invoice and SOAP XML, and reading answers into a small element tree.
//!
//! Both providers' answers are small, so a tree is simpler to read than a streaming parser,
//! and building it without recursion keeps a hostile or broken answer from overflowing the
//! stack (the parsers are fuzzed).

use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::{Reader, Writer};

/// An XML document being written, without indentation so the bytes are exactly what the
/// golden files show.
pub(crate) struct XmlOut {
    writer: Writer<Vec<u8>>,
}

// Writing into a Vec<u8> cannot fail; quick-xml only returns io::Result because it writes
// into any io::Write.
const VEC_WRITE: &str = "writing XML into a Vec cannot fail";

impl XmlOut {
    pub(crate) fn new() -> XmlOut {
        XmlOut { writer: Writer::new(Vec::with_capacity(2048)) }
    }

    pub(crate) fn declaration(&mut self) {
        self.writer
            .write_event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)))
            .expect(VEC_WRITE);
    }

    pub(crate) fn open(&mut self, name: &str) {
        self.writer.write_event(Event::Start(BytesStart::new(name))).expect(VEC_WRITE);
    }

    pub(crate) fn open_with(&mut self, name: &str, attributes: &[(&str, &str)]) {
        let start = BytesStart::new(name).with_attributes(attributes.iter().copied());
        self.writer.write_event(Event::Start(start)).expect(VEC_WRITE);
    }

    pub(crate) fn close(&mut self, name: &str) {
        self.writer.write_event(Event::End(BytesEnd::new(name))).expect(VEC_WRITE);
    }

    /// `<name>text</name>`, the text escaped (`<` → `&lt;` …). An empty text still writes
    /// the element: a required element must be present even when empty.
    pub(crate) fn leaf(&mut self, name: &str, text: &str) {
        self.open(name);
        if !text.is_empty() {
            self.writer.write_event(Event::Text(BytesText::new(text))).expect(VEC_WRITE);
        }
        self.close(name);
    }

    /// Writes the element only when there is something to say: providers reject some empty
    /// optional elements (an empty e-mail, for one) instead of ignoring them.
    pub(crate) fn optional(&mut self, name: &str, text: &str) {
        if !text.trim().is_empty() {
            self.leaf(name, text.trim());
        }
    }

    pub(crate) fn finish(self) -> String {
        String::from_utf8(self.writer.into_inner()).expect("quick-xml writes the UTF-8 it was given")
    }
}

/// One element of a parsed answer: its local name (prefix dropped), its text (entities
/// resolved, CDATA included) and its child elements.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Element {
    /// The local name, prefix dropped.
    pub name: String,
    /// The text directly inside, entities resolved, CDATA included.
    pub text: String,
    /// The child elements, in order.
    pub children: Vec<Element>,
}

impl Element {
    /// The first child with this local name, compared case-insensitively: VNPT answers are
    /// written by hand in places and their case drifts (`<Amount>`, `<amount>`).
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name.eq_ignore_ascii_case(name))
    }

    /// Every child with this local name, compared case-insensitively, in order.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_escaped_text() {
        let mut x = XmlOut::new();
        x.open("A");
        x.leaf("B", "Công ty <X> & Y");
        x.optional("C", "  ");
        x.close("A");
        assert_eq!(x.finish(), "<A><B>Công ty &lt;X&gt; &amp; Y</B></A>");
    }

    #[test]
    fn reads_entities_cdata_and_prefixes() {
        let doc = r#"<?xml version="1.0"?><s:Env xmlns:s="x"><s:Body><R>a &amp; b &#x41;<![CDATA[<c>]]></R><E/></s:Body></s:Env>"#;
        let root = parse(doc).unwrap();
        assert_eq!(root.name, "Env");
        let r = root.find("R").unwrap();
        assert_eq!(r.text, "a & b A<c>");
        assert!(root.find("e").is_some());
    }

    #[test]
    fn refuses_broken_documents() {
        for bad in ["", "<a>", "<a></b>", "<a/><b/>", "text", "<a>&foo;</a>"] {
            assert!(parse(bad).is_err(), "{bad}");
        }
        let deep = "<a>".repeat(100) + &"</a>".repeat(100);
        assert!(parse(&deep).is_err());
    }
}
