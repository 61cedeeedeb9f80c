//! The files of `getInvoiceRepresentationFile` besides the PDF: a stand-in invoice XML and
//! its XSL, packed ZIP-in-ZIP as Viettel sends them.

use super::ViettelConfig;
use crate::invoice::SimInvoice;

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// A stand-in for the invoice XML of the ZIP: the fields a reader would look for.
pub(super) fn invoice_xml(config: &ViettelConfig, inv: &SimInvoice) -> String {
    let lines: String = inv
        .lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            format!(
                "<HHDVu><STT>{}</STT><THHDVu>{}</THHDVu><DVTinh>{}</DVTinh><SLuong>{}</SLuong><DGia>{}</DGia><ThTien>{}</ThTien><TSuat>{}</TSuat></HHDVu>",
                i + 1,
                escape(&l.name),
                escape(&l.unit),
                escape(&l.quantity),
                l.price,
                l.amount,
                escape(&l.vat_rate)
            )
        })
        .collect();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><HDon><DLHDon><TTChung><KHMSHDon>{}</KHMSHDon><KHHDon>{}</KHHDon><SHDon>{}</SHDon><NLap>{}</NLap><DVTTe>{}</DVTTe></TTChung><NDHDon><NBan><Ten>{}</Ten><MST>{}</MST></NBan><NMua><Ten>{}</Ten><MST>{}</MST></NMua><DSHHDVu>{lines}</DSHHDVu><TToan><TgTCThue>{}</TgTCThue><TgTThue>{}</TgTThue><TgTTTBSo>{}</TgTTTBSo><TgTTTBChu>{}</TgTTTBChu></TToan></NDHDon></DLHDon><MCCQT>{}</MCCQT></HDon>",
        escape(&inv.pattern),
        escape(&inv.serial),
        inv.number.unwrap_or(0),
        escape(&inv.arising_date),
        escape(&inv.currency),
        escape(&config.seller.name),
        escape(&config.supplier_tax_code),
        escape(&inv.cus_name),
        escape(&inv.tax_code),
        inv.total,
        inv.vat_amount,
        inv.amount,
        escape(&inv.amount_in_words),
        escape(inv.tax_authority_code.as_deref().unwrap_or("")),
    )
}

pub(super) const XSL: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><xsl:stylesheet version=\"1.0\" xmlns:xsl=\"http://www.w3.org/1999/XSL/Transform\"><xsl:template match=\"/\"><html><body><xsl:value-of select=\"HDon/DLHDon/TTChung/SHDon\"/></body></html></xsl:template></xsl:stylesheet>";

fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in data {
        crc ^= b as u32;
        for _ in 0..8 {
            crc = if crc & 1 != 0 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

/// A ZIP archive of stored (uncompressed) entries: every reader opens it, and it needs no
/// compression crate.
pub fn zip_stored(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, data) in entries {
        let offset = out.len() as u32;
        let crc = crc32(data);
        let size = data.len() as u32;
        let name = name.as_bytes();
        // Local header: signature, version 2.0, flags (bit 11: UTF-8 names), stored, time, date.
        let mut header = Vec::new();
        header.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        header.extend_from_slice(&20u16.to_le_bytes());
        header.extend_from_slice(&0x0800u16.to_le_bytes());
        header.extend_from_slice(&0u16.to_le_bytes());
        header.extend_from_slice(&0u16.to_le_bytes());
        header.extend_from_slice(&0x5C21u16.to_le_bytes());
        header.extend_from_slice(&crc.to_le_bytes());
        header.extend_from_slice(&size.to_le_bytes());
        header.extend_from_slice(&size.to_le_bytes());
        header.extend_from_slice(&(name.len() as u16).to_le_bytes());
        header.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(&header);
        out.extend_from_slice(name);
        out.extend_from_slice(data);
        central.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        central.extend_from_slice(&20u16.to_le_bytes());
        central.extend_from_slice(&header[4..]);
        central.extend_from_slice(&0u16.to_le_bytes()); // comment length
        central.extend_from_slice(&0u16.to_le_bytes()); // disk
        central.extend_from_slice(&0u16.to_le_bytes()); // internal attributes
        central.extend_from_slice(&0u32.to_le_bytes()); // external attributes
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name);
    }
    let central_offset = out.len() as u32;
    out.extend_from_slice(&central);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(central.len() as u32).to_le_bytes());
    out.extend_from_slice(&central_offset.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc_of_known_text() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
    }

    #[test]
    fn zip_lists_its_entries() {
        let z = zip_stored(&[("a.xml".into(), b"<a/>".to_vec()), ("a.xsl".into(), b"x".to_vec())]);
        assert_eq!(&z[..4], b"PK\x03\x04");
        let end = z.len() - 22;
        assert_eq!(&z[end..end + 4], b"PK\x05\x06");
        assert_eq!(u16::from_le_bytes([z[end + 10], z[end + 11]]), 2);
    }
}
