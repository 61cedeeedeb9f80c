//! What an issued Viettel invoice says, read from its own file.
//!
//! Viettel's look-up by transaction id (`searchInvoiceByTransactionUuid`) answers the number,
//! date and status of the invoice, but not its amount or buyer. Those are what tell this
//! sale's invoice from another sale's under the same key (a restored backup, a copied data
//! folder): so after a look-up finds an invoice, [`super::ViettelClient`] asks for its ZIP
//! (`getInvoiceRepresentationFile` with `fileType` `ZIP`) and reads the invoice XML inside.
//!
//! The XML is the tax authority's invoice format (Decision 1450/QĐ-TCT, the one every
//! provider must send to the tax authority): `HDon/DLHDon/TTChung/NLap` the date,
//! `NDHDon/NMua/Ten` (or `HVTNMHang`, the person) the buyer, `NDHDon/TToan/TgTTTBSo` the total
//! to pay. Viettel wraps it in a ZIP, sometimes a ZIP inside a ZIP (Odoo reads both), beside an
//! `.xsl`. UNVERIFIED: no public source shows a real Viettel ZIP's XML; that it is the 1450
//! format is an inference from the law (the tax authority receives that format from every
//! provider).

use std::io::{Cursor, Read};

use hoadon_rules::Dong;
use time::Date;

use crate::xml;

/// An entry larger than this is not read (Odoo caps entries at 50 MB): a real invoice XML is a
/// few kilobytes, and a ZIP bomb must not fill the memory.
const MAX_ENTRY_BYTES: u64 = 50 * 1024 * 1024;

/// How deep ZIPs may nest: Viettel's is a ZIP in a ZIP at most.
const MAX_NESTING: usize = 2;

/// What the invoice file says of the invoice.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct InvoiceFacts {
    /// `TgTTTBSo`: the total to pay, in đồng.
    pub amount: Option<Dong>,
    /// `NMua/Ten` (the company), else `NMua/HVTNMHang` (the person).
    pub buyer: Option<String>,
    /// `TTChung/NLap`: the invoice date.
    pub date: Option<Date>,
}

/// The facts of the invoice XML found in `zip` (nested ZIPs opened); an error in Vietnamese
/// when there is no readable invoice XML in it.
pub fn read(zip: &[u8]) -> Result<InvoiceFacts, String> {
    let xml = invoice_xml(zip, 0)?;
    let text = String::from_utf8(xml).map_err(|_| "tệp XML của hóa đơn không phải UTF-8".to_string())?;
    facts(&text)
}

/// The facts of one invoice XML document.
pub fn facts(text: &str) -> Result<InvoiceFacts, String> {
    let root = xml::parse(text.trim_start_matches('\u{feff}')).map_err(|e| format!("tệp XML của hóa đơn không đọc được: {e}"))?;
    let content = root.find("NDHDon").ok_or("tệp XML không có nội dung hóa đơn (NDHDon)")?;
    let amount = content
        .find("TToan")
        .and_then(|t| t.text_of("TgTTTBSo"))
        .map(|t| t.parse::<i64>().map(Dong).map_err(|_| format!("tổng tiền thanh toán «{t}» không phải số đồng")))
        .transpose()?;
    let buyer = content.find("NMua").and_then(|b| b.text_of("Ten").or_else(|| b.text_of("HVTNMHang"))).map(str::to_string);
    let date = root.find("TTChung").and_then(|t| t.text_of("NLap")).and_then(|d| {
        let format = time::macros::format_description!("[year]-[month]-[day]");
        Date::parse(d.get(..10).unwrap_or(d), &format).ok()
    });
    Ok(InvoiceFacts { amount, buyer, date })
}

/// The bytes of the first `.xml` entry of `zip`, looking into `.zip` entries too.
fn invoice_xml(zip: &[u8], depth: usize) -> Result<Vec<u8>, String> {
    let mut archive = zip::ZipArchive::new(Cursor::new(zip)).map_err(|e| format!("tệp ZIP của hóa đơn không đọc được: {e}"))?;
    let names: Vec<String> = archive.file_names().map(str::to_string).collect();
    let entry = |archive: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str| -> Result<Vec<u8>, String> {
        let file = archive.by_name(name).map_err(|e| format!("{name}: {e}"))?;
        if file.size() > MAX_ENTRY_BYTES {
            return Err(format!("{name} quá lớn ({} byte)", file.size()));
        }
        let mut bytes = Vec::new();
        file.take(MAX_ENTRY_BYTES + 1).read_to_end(&mut bytes).map_err(|e| format!("{name}: {e}"))?;
        Ok(bytes)
    };
    let lower = |n: &String| n.to_ascii_lowercase();
    if let Some(name) = names.iter().find(|n| lower(n).ends_with(".xml")) {
        return entry(&mut archive, name);
    }
    if depth < MAX_NESTING
        && let Some(name) = names.iter().find(|n| lower(n).ends_with(".zip")) {
            let inner = entry(&mut archive, name)?;
            return invoice_xml(&inner, depth + 1);
        }
    Err("tệp ZIP của hóa đơn không có tệp XML".into())
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, bytes) in entries {
            out.start_file(*name, zip::write::SimpleFileOptions::default()).unwrap();
            out.write_all(bytes).unwrap();
        }
        out.finish().unwrap().into_inner()
    }

    // Typed from the 1450/QĐ-TCT structure: the parts the comparison needs, in their places.
    const INVOICE: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><HDon><DLHDon Id=\"data\"><TTChung><PBan>2.0.0</PBan><THDon>Hóa đơn giá trị gia tăng</THDon><KHMSHDon>1</KHMSHDon><KHHDon>C26TAA</KHHDon><SHDon>12</SHDon><NLap>2026-12-02</NLap><DVTTe>VND</DVTTe></TTChung><NDHDon><NBan><Ten>Cửa hàng Hoa Sen</Ten><MST>0100109106</MST></NBan><NMua><Ten>Công ty TNHH Biển Xanh</Ten><MST>0101248141</MST><HVTNMHang>Phạm Quỳnh Anh</HVTNMHang></NMua><DSHHDVu><HHDVu><STT>1</STT><THHDVu>Trà</THHDVu><ThTien>100000</ThTien><TSuat>10%</TSuat></HHDVu></DSHHDVu><TToan><TgTCThue>100000</TgTCThue><TgTThue>10000</TgTThue><TgTTTBSo>110000</TgTTTBSo><TgTTTBChu>Một trăm mười nghìn đồng</TgTTTBChu></TToan></NDHDon></DLHDon><MCCQT>00ABC</MCCQT></HDon>";

    #[test]
    fn reads_the_total_the_buyer_and_the_date() {
        let f = facts(INVOICE).unwrap();
        assert_eq!(f.amount, Some(Dong(110_000)));
        assert_eq!(f.buyer.as_deref(), Some("Công ty TNHH Biển Xanh"));
        assert_eq!(f.date, Some(time::macros::date!(2026 - 12 - 02)));
        let person = INVOICE.replace("<Ten>Công ty TNHH Biển Xanh</Ten><MST>0101248141</MST>", "");
        assert_eq!(facts(&person).unwrap().buyer.as_deref(), Some("Phạm Quỳnh Anh"));
    }

    #[test]
    fn opens_a_zip_in_a_zip_and_a_plain_one() {
        let inner = zip_of(&[("C26TAA12.xml", INVOICE.as_bytes()), ("C26TAA12.xsl", b"<xsl/>")]);
        let outer = zip_of(&[("C26TAA12.zip", &inner)]);
        assert_eq!(read(&outer).unwrap().amount, Some(Dong(110_000)));
        assert_eq!(read(&inner).unwrap().amount, Some(Dong(110_000)));
    }

    #[test]
    fn what_is_no_invoice_file_is_said_so() {
        assert!(read(b"not a zip").unwrap_err().contains("ZIP"));
        assert!(read(&zip_of(&[("a.xsl", b"x")])).unwrap_err().contains("không có tệp XML"));
        let deep = zip_of(&[("b.zip", &zip_of(&[("c.zip", &zip_of(&[("d.zip", &zip_of(&[("e.xml", INVOICE.as_bytes())]))]))]))]);
        assert!(read(&deep).is_err(), "nesting is bounded");
        assert!(facts("<HDon/>").unwrap_err().contains("NDHDon"));
        let bad_total = INVOICE.replace("<TgTTTBSo>110000</TgTTTBSo>", "<TgTTTBSo>110.000,5</TgTTTBSo>");
        assert!(facts(&bad_total).unwrap_err().contains("110.000,5"));
    }
}
