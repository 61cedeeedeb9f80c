//! The tax-authority code of invoices from a cash register (hóa đơn khởi tạo từ máy tính
//! tiền): `M<1|2>-<yy>-<5 characters>-<11 digits>`, e.g. `M1-26-AB123-00100000042`.
//!
//! The sales app assigns it itself, so it must be unique and increasing per device. This
//! module only formats, parses and checks codes; the last sequence number of each device is
//! stored by the store, which calls [`next_code`] inside the transaction that records a sale.

use std::fmt;
use std::str::FromStr;

use thiserror::Error;

/// `M1`: a VAT invoice (template 1); `M2`: a sales invoice (template 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CashRegisterKind {
    /// A VAT invoice from a cash register (template 1).
    M1,
    /// A sales invoice from a cash register (template 2).
    M2,
}

impl CashRegisterKind {
    /// The digit after `M`: 1 or 2.
    pub fn digit(self) -> u8 {
        match self {
            CashRegisterKind::M1 => 1,
            CashRegisterKind::M2 => 2,
        }
    }

    /// The kind that goes with an invoice template digit.
    pub fn for_template(template: u8) -> Option<CashRegisterKind> {
        match template {
            1 => Some(CashRegisterKind::M1),
            2 => Some(CashRegisterKind::M2),
            _ => None,
        }
    }
}

/// The largest sequence number 11 digits hold.
pub const MAX_SEQUENCE: u64 = 99_999_999_999;

/// Why a cash-register code cannot be formatted, parsed or used next.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CashRegisterError {
    /// The device code is not exactly 5 uppercase ASCII letters or digits.
    #[error("mã máy tính tiền «{0}» phải gồm đúng 5 chữ cái in hoa hoặc chữ số (ví dụ AB123)")]
    BadDevice(String),
    /// The year is not two digits (above 99).
    #[error("năm {0} phải có hai chữ số (00–99)")]
    BadYear(u8),
    /// The sequence number is 0 or has more than 11 digits.
    #[error("số thứ tự {0} phải từ 1 đến 99.999.999.999 (11 chữ số)")]
    BadSequence(u64),
    /// The text is not of the form `M1-26-AB123-00100000042`.
    #[error("mã của cơ quan thuế «{0}» sai dạng M1-26-AB123-00100000042")]
    BadCode(String),
    /// The next code is not greater than the device's previous one.
    #[error("mã {next} không lớn hơn mã trước {previous} của cùng máy tính tiền")]
    NotIncreasing {
        /// The device's last code.
        previous: String,
        /// The code that should have followed it.
        next: String,
    },
    /// The next code belongs to another device.
    #[error("mã {next} thuộc máy {next_device}, không phải máy {device}")]
    OtherDevice {
        /// The device asked about.
        device: String,
        /// The code offered as its next.
        next: String,
        /// The device that code belongs to.
        next_device: String,
    },
    /// The device has used its last sequence number of the year.
    #[error("máy tính tiền {0} đã dùng hết số thứ tự trong năm")]
    Exhausted(String),
}

/// A parsed code.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CashRegisterCode {
    /// `M1` or `M2`: which template the invoice is of.
    pub kind: CashRegisterKind,
    /// Two-digit year.
    pub yy: u8,
    /// The five-character device code.
    pub device: String,
    /// The per-device sequence number, 1 to [`MAX_SEQUENCE`].
    pub sequence: u64,
}

fn check_device(device: &str) -> Result<(), CashRegisterError> {
    if device.len() == 5 && device.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(CashRegisterError::BadDevice(device.to_string()))
    }
}

/// `M1-26-AB123-00100000042` from its parts.
pub fn format_cash_register_code(kind: CashRegisterKind, yy: u8, device: &str, sequence: u64) -> Result<String, CashRegisterError> {
    if yy > 99 {
        return Err(CashRegisterError::BadYear(yy));
    }
    check_device(device)?;
    if sequence == 0 || sequence > MAX_SEQUENCE {
        return Err(CashRegisterError::BadSequence(sequence));
    }
    Ok(format!("M{}-{yy:02}-{device}-{sequence:011}", kind.digit()))
}

impl CashRegisterCode {
    /// Reads a code such as `M1-26-AB123-00100000042`, checking each part.
    pub fn parse(text: &str) -> Result<CashRegisterCode, CashRegisterError> {
        let bad = || CashRegisterError::BadCode(text.to_string());
        let parts: Vec<&str> = text.split('-').collect();
        let [kind, yy, device, seq] = parts.as_slice() else { return Err(bad()) };
        let kind = match *kind {
            "M1" => CashRegisterKind::M1,
            "M2" => CashRegisterKind::M2,
            _ => return Err(bad()),
        };
        if yy.len() != 2 || !yy.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        if seq.len() != 11 || !seq.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        check_device(device).map_err(|_| bad())?;
        let sequence: u64 = seq.parse().map_err(|_| bad())?;
        if sequence == 0 {
            return Err(bad());
        }
        Ok(CashRegisterCode { kind, yy: yy.parse().map_err(|_| bad())?, device: device.to_string(), sequence })
    }

    /// Order within one device: by year, then by sequence, so a sequence that restarts in
    /// a new year still increases.
    fn rank(&self) -> (u8, u64) {
        (self.yy, self.sequence)
    }
}

impl fmt::Display for CashRegisterCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "M{}-{:02}-{}-{:011}", self.kind.digit(), self.yy, self.device, self.sequence)
    }
}

impl FromStr for CashRegisterCode {
    type Err = CashRegisterError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        CashRegisterCode::parse(s)
    }
}

/// Checks that `next` may follow `previous` on the same device.
pub fn check_increasing(previous: &CashRegisterCode, next: &CashRegisterCode) -> Result<(), CashRegisterError> {
    if previous.device != next.device {
        return Err(CashRegisterError::OtherDevice {
            device: previous.device.clone(),
            next: next.to_string(),
            next_device: next.device.clone(),
        });
    }
    if next.rank() <= previous.rank() {
        return Err(CashRegisterError::NotIncreasing { previous: previous.to_string(), next: next.to_string() });
    }
    Ok(())
}

/// The code after `previous` for this device and year: sequence + 1 within the same year,
/// 1 in a new year (or for a device's first invoice).
pub fn next_code(
    previous: Option<&CashRegisterCode>,
    kind: CashRegisterKind,
    yy: u8,
    device: &str,
) -> Result<CashRegisterCode, CashRegisterError> {
    let sequence = match previous {
        Some(p) if p.device == device && p.yy == yy => p.sequence.checked_add(1).filter(|s| *s <= MAX_SEQUENCE).ok_or_else(|| CashRegisterError::Exhausted(device.to_string()))?,
        _ => 1,
    };
    let code = CashRegisterCode::parse(&format_cash_register_code(kind, yy, device, sequence)?)?;
    if let Some(p) = previous.filter(|p| p.device == device) {
        check_increasing(p, &code)?;
    }
    Ok(code)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn formats_the_documented_example() {
        assert_eq!(format_cash_register_code(CashRegisterKind::M1, 26, "AB123", 100_000_042).unwrap(), "M1-26-AB123-00100000042");
        assert_eq!(format_cash_register_code(CashRegisterKind::M2, 7, "00001", 1).unwrap(), "M2-07-00001-00000000001");
    }

    #[test]
    fn refuses_bad_parts() {
        assert!(format_cash_register_code(CashRegisterKind::M1, 26, "ab123", 1).is_err());
        assert!(format_cash_register_code(CashRegisterKind::M1, 26, "AB12", 1).is_err());
        assert!(format_cash_register_code(CashRegisterKind::M1, 26, "AB1234", 1).is_err());
        assert!(format_cash_register_code(CashRegisterKind::M1, 100, "AB123", 1).is_err());
        assert!(format_cash_register_code(CashRegisterKind::M1, 26, "AB123", 0).is_err());
        assert!(format_cash_register_code(CashRegisterKind::M1, 26, "AB123", MAX_SEQUENCE + 1).is_err());
        for bad in ["", "M3-26-AB123-00100000042", "M1-6-AB123-00100000042", "M1-26-AB12-00100000042", "M1-26-AB123-0010000004", "M1-26-AB123-00000000000", "M1-26-AB123-0010000004x", "M1-26-AB-123-00100000042"] {
            assert!(CashRegisterCode::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn codes_increase_per_device() {
        let a = next_code(None, CashRegisterKind::M1, 26, "AB123").unwrap();
        assert_eq!(a.to_string(), "M1-26-AB123-00000000001");
        let b = next_code(Some(&a), CashRegisterKind::M1, 26, "AB123").unwrap();
        assert_eq!(b.sequence, 2);
        assert!(check_increasing(&b, &a).is_err());
        assert!(check_increasing(&a, &a).is_err());
        let new_year = next_code(Some(&b), CashRegisterKind::M1, 27, "AB123").unwrap();
        assert_eq!(new_year.sequence, 1);
        assert!(check_increasing(&b, &new_year).is_ok());
        let other = next_code(None, CashRegisterKind::M1, 26, "ZZ999").unwrap();
        assert!(matches!(check_increasing(&a, &other), Err(CashRegisterError::OtherDevice { .. })));
        let last = CashRegisterCode { sequence: MAX_SEQUENCE, ..a.clone() };
        assert!(matches!(next_code(Some(&last), CashRegisterKind::M1, 26, "AB123"), Err(CashRegisterError::Exhausted(_))));
    }

    proptest! {
        #[test]
        fn formatted_codes_parse_back(kind in prop_oneof![Just(CashRegisterKind::M1), Just(CashRegisterKind::M2)],
                                      yy in 0u8..100, device in "[A-Z0-9]{5}", seq in 1u64..=MAX_SEQUENCE) {
            let text = format_cash_register_code(kind, yy, &device, seq).unwrap();
            let code = CashRegisterCode::parse(&text).unwrap();
            prop_assert_eq!(code.to_string(), text);
            prop_assert_eq!(code.sequence, seq);
        }

        #[test]
        fn parsing_never_panics(text in ".{0,40}") {
            let _ = CashRegisterCode::parse(&text);
        }
    }
}
