//! Invoice templates (mẫu số) and symbols (ký hiệu).
//!
//! A symbol such as `1C26TAA` reads: template digit `1` (VAT invoice) — though providers
//! send it apart as the pattern — then `C` (with a tax-authority code) or `K` (without), the
//! two-digit year, a type letter, and two letters the seller picks. Providers take the
//! template digit and the six-character symbol separately (`Pattern = "1"`,
//! `Serial = "C26TAA"`), so both forms are accepted here.

use std::fmt;

use serde::{Deserialize, Serialize};
use thiserror::Error;
use ts_rs::TS;

/// The invoice template, the first digit of the symbol.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Template {
    /// 1: hóa đơn giá trị gia tăng.
    Vat,
    /// 2: hóa đơn bán hàng.
    Sales,
    /// 3 … 6: the other kinds (public property, national reserve, stamps and tickets,
    /// delivery notes) that a shop does not issue but may receive.
    Other(u8),
}

impl Template {
    /// The template of a mẫu số digit, 1 … 6; `None` for any other digit.
    pub fn from_digit(d: u8) -> Option<Template> {
        match d {
            1 => Some(Template::Vat),
            2 => Some(Template::Sales),
            3..=6 => Some(Template::Other(d)),
            _ => None,
        }
    }

    /// The mẫu số digit (1 … 6) providers take as the pattern and the symbol starts with.
    pub fn digit(self) -> u8 {
        match self {
            Template::Vat => 1,
            Template::Sales => 2,
            Template::Other(d) => d,
        }
    }

    /// The title printed at the top of the invoice.
    pub fn title(self) -> &'static str {
        match self {
            Template::Vat => "HÓA ĐƠN GIÁ TRỊ GIA TĂNG",
            Template::Sales => "HÓA ĐƠN BÁN HÀNG",
            Template::Other(_) => "HÓA ĐƠN",
        }
    }
}

/// Why a template or an invoice symbol was refused. Each names the character or part at
/// fault, in Vietnamese for the person who typed it.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SymbolError {
    /// The template is not one digit 1 … 6, nor VNPT's `1/001` shape.
    #[error("mẫu số phải là một chữ số từ 1 đến 6 (1: hóa đơn GTGT, 2: hóa đơn bán hàng), hoặc dạng VNPT như 1/001, không phải «{0}»")]
    BadTemplate(String),
    /// The symbol has neither 6 characters (serial) nor 7 (template digit and serial).
    #[error("ký hiệu hóa đơn phải có 6 ký tự (ví dụ C26TAA) hoặc 7 ký tự kèm mẫu số (ví dụ 1C26TAA), không phải «{0}»")]
    BadLength(String),
    /// The first letter of the serial is neither `C` nor `K`.
    #[error("ký tự đầu của ký hiệu phải là C (có mã của cơ quan thuế) hoặc K (không có mã), không phải «{0}»")]
    BadCodeLetter(char),
    /// Characters 2–3 of the serial are not two digits.
    #[error("ký tự 2–3 của ký hiệu phải là hai chữ số cuối của năm lập hóa đơn, không phải «{0}»")]
    BadYear(String),
    /// The 4th character of the serial is not a known invoice type letter.
    #[error("ký tự thứ 4 của ký hiệu phải là loại hóa đơn (T, D, L, M, N, B, G, H), không phải «{0}»")]
    BadTypeLetter(char),
    /// The last two characters of the serial are not capital letters A–Z.
    #[error("hai ký tự cuối của ký hiệu phải là chữ cái in hoa (ví dụ AA), không phải «{0}»")]
    BadSellerLetters(String),
    /// The symbol is of another year than the invoice's (see [`InvoiceSymbol::check_year`]).
    #[error("ký hiệu {symbol} là của năm 20{symbol_year}, không dùng được cho hóa đơn năm {year}")]
    WrongYear {
        /// The whole symbol as printed, `1C26TAA`.
        symbol: String,
        /// Its two year digits, `26`.
        symbol_year: String,
        /// The year of the invoice it was meant for.
        year: i32,
    },
    /// A seven-character symbol starts with another template digit than the pattern given.
    #[error("mẫu số {template} trong ký hiệu khác mẫu số {expected} đã chọn")]
    TemplateMismatch {
        /// The template digit at the front of the seven-character symbol.
        template: u8,
        /// The template digit given separately as the pattern.
        expected: u8,
    },
}

/// A validated symbol: the six characters after the template digit.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct InvoiceSymbol {
    /// The template (mẫu số), the digit printed before the serial.
    pub template: Template,
    /// `C26TAA`: what providers call the serial.
    pub serial: String,
}

impl InvoiceSymbol {
    /// Reads a template digit (`"1"`) and a serial (`"C26TAA"`), or a full symbol
    /// (`"1C26TAA"`) with `template` empty.
    pub fn parse(template: &str, serial: &str) -> Result<InvoiceSymbol, SymbolError> {
        let serial = serial.trim().to_uppercase();
        let template = template.trim();
        let (tdigit, six) = match serial.chars().count() {
            7 => {
                let first = serial.chars().next().expect("seven characters");
                let d = first.to_digit(10).ok_or_else(|| SymbolError::BadTemplate(first.to_string()))? as u8;
                if !template.is_empty() {
                    let expected = parse_template(template)?.digit();
                    if expected != d {
                        return Err(SymbolError::TemplateMismatch { template: d, expected });
                    }
                }
                (d, serial[1..].to_string())
            }
            6 => (parse_template(template)?.digit(), serial.clone()),
            _ => return Err(SymbolError::BadLength(serial)),
        };
        let template = Template::from_digit(tdigit).ok_or_else(|| SymbolError::BadTemplate(tdigit.to_string()))?;
        let chars: Vec<char> = six.chars().collect();
        if !matches!(chars[0], 'C' | 'K') {
            return Err(SymbolError::BadCodeLetter(chars[0]));
        }
        if !chars[1].is_ascii_digit() || !chars[2].is_ascii_digit() {
            return Err(SymbolError::BadYear(chars[1..3].iter().collect()));
        }
        if !matches!(chars[3], 'T' | 'D' | 'L' | 'M' | 'N' | 'B' | 'G' | 'H') {
            return Err(SymbolError::BadTypeLetter(chars[3]));
        }
        if !chars[4..].iter().all(|c| c.is_ascii_uppercase()) {
            return Err(SymbolError::BadSellerLetters(chars[4..].iter().collect()));
        }
        Ok(InvoiceSymbol { template, serial: six })
    }

    /// Whether the invoice carries a code of the tax authority (`C`) or not (`K`).
    pub fn with_tax_authority_code(&self) -> bool {
        self.serial.starts_with('C')
    }

    /// Whether the symbol is of cash-register invoices (type letter `M`).
    pub fn is_cash_register(&self) -> bool {
        self.serial.as_bytes()[3] == b'M'
    }

    /// The two year digits of the serial: `26` for `C26TAA`.
    pub fn year_suffix(&self) -> &str {
        &self.serial[1..3]
    }

    /// The same symbol for another year (`C26TAA` → `C27TAA` for 2027): the series a shop
    /// goes on with after New Year, which it registers under the new year's digits.
    pub fn for_year(&self, year: i32) -> InvoiceSymbol {
        let serial = format!("{}{:02}{}", &self.serial[..1], year.rem_euclid(100), &self.serial[3..]);
        InvoiceSymbol { template: self.template, serial }
    }

    /// The year the symbol is for, read as this century's (`26` → 2026).
    pub fn year(&self) -> i32 {
        2000 + self.year_suffix().parse::<i32>().unwrap_or(0)
    }

    /// A symbol carries its year: a 2026 symbol may only be used on 2026 invoices.
    pub fn check_year(&self, year: i32) -> Result<(), SymbolError> {
        if self.year_suffix() == format!("{:02}", year % 100) {
            Ok(())
        } else {
            Err(SymbolError::WrongYear {
                symbol: self.to_string(),
                symbol_year: self.year_suffix().to_string(),
                year,
            })
        }
    }
}

/// The template digit of a provider's pattern (mẫu số): `1`, or VNPT's `1/001` (the template
/// digit, then the number of the tenant's form), which real VNPT tenants keep beside a TT78
/// serial such as `C26TAA`.
fn parse_template(t: &str) -> Result<Template, SymbolError> {
    let bad = || SymbolError::BadTemplate(t.to_string());
    let (digit, form) = match t.split_once('/') {
        Some((d, form)) => (d, Some(form)),
        None => (t, None),
    };
    if let Some(form) = form
        && (form.len() != 3 || !form.bytes().all(|b| b.is_ascii_digit())) {
            return Err(bad());
        }
    if digit.len() != 1 {
        return Err(bad());
    }
    digit.parse::<u8>().ok().and_then(Template::from_digit).ok_or_else(bad)
}

impl fmt::Display for InvoiceSymbol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.template.digit(), self.serial)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_symbol_goes_on_into_the_next_year_under_its_digits() {
        let s = InvoiceSymbol::parse("1", "C26TAA").unwrap();
        assert_eq!(s.year(), 2026);
        assert_eq!(s.for_year(2027).serial, "C27TAA");
        assert_eq!(s.for_year(2100).serial, "C00TAA");
        assert_eq!(InvoiceSymbol::parse("2", "K09MBC").unwrap().for_year(2031).to_string(), "2K31MBC");
        assert!(s.for_year(2027).check_year(2027).is_ok());
    }

    #[test]
    fn reads_symbols() {
        let s = InvoiceSymbol::parse("", "1C26TAA").unwrap();
        assert_eq!(s.template, Template::Vat);
        assert_eq!(s.serial, "C26TAA");
        assert!(s.with_tax_authority_code());
        assert!(!s.is_cash_register());
        assert_eq!(s.to_string(), "1C26TAA");
        let m = InvoiceSymbol::parse("2", "c26mbb").unwrap();
        assert_eq!(m.to_string(), "2C26MBB");
        assert!(m.is_cash_register());
        assert_eq!(m.template.title(), "HÓA ĐƠN BÁN HÀNG");
        assert!(m.check_year(2026).is_ok());
        assert!(matches!(m.check_year(2027), Err(SymbolError::WrongYear { .. })));
    }

    #[test]
    fn names_each_reason() {
        assert!(matches!(InvoiceSymbol::parse("7", "C26TAA"), Err(SymbolError::BadTemplate(_))));
        for bad in ["1/01", "1/0011", "11/001", "1/abc", "/001", "7/001"] {
            assert!(matches!(InvoiceSymbol::parse(bad, "C26TAA"), Err(SymbolError::BadTemplate(_))), "{bad}");
        }
    }

    #[test]
    fn reads_vnpt_patterns_beside_tt78_serials() {
        let s = InvoiceSymbol::parse("1/001", "C26TAA").unwrap();
        assert_eq!(s.template, Template::Vat);
        assert_eq!(s.to_string(), "1C26TAA");
        assert_eq!(InvoiceSymbol::parse("2/001", "C26MBB").unwrap().template, Template::Sales);
        assert_eq!(InvoiceSymbol::parse("6/001", "K26NAA").unwrap().template, Template::Other(6));
        assert!(InvoiceSymbol::parse("1/001", "1C26TAA").is_ok());
        assert!(matches!(InvoiceSymbol::parse("2/001", "1C26TAA"), Err(SymbolError::TemplateMismatch { .. })));
        assert!(matches!(InvoiceSymbol::parse("1", "C26TA"), Err(SymbolError::BadLength(_))));
        assert_eq!(InvoiceSymbol::parse("1", "X26TAA"), Err(SymbolError::BadCodeLetter('X')));
        assert!(matches!(InvoiceSymbol::parse("1", "C2XTAA"), Err(SymbolError::BadYear(_))));
        assert_eq!(InvoiceSymbol::parse("1", "C26ZAA"), Err(SymbolError::BadTypeLetter('Z')));
        assert!(matches!(InvoiceSymbol::parse("1", "C26TA1"), Err(SymbolError::BadSellerLetters(_))));
        assert_eq!(
            InvoiceSymbol::parse("2", "1C26TAA"),
            Err(SymbolError::TemplateMismatch { template: 1, expected: 2 })
        );
    }
}
