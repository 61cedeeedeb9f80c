//! Reading the clients' XML (invoice data, SOAP requests) into a small element tree.
//!
//! The simulators read requests with the same reader the clients use for answers
//! (`hoadon_einvoice::xml`): by element name, entities resolved, prefixes ignored, without
//! recursion so a broken request cannot overflow the stack.

pub use hoadon_einvoice::xml::{parse, Element};

/// Text escaped for an XML element.
pub fn escape(text: &str) -> std::borrow::Cow<'_, str> {
    quick_xml::escape::escape(text)
}
