//! The mã số thuế (MST) of a business and the personal ID number of a household.
//!
//! - Enterprise: 10 digits; the 10th is a check digit over the first nine with weights
//!   31, 29, 23, 19, 17, 13, 7, 5, 3: check = 10 − (sum mod 11), and a sum divisible by 11
//!   has no valid check digit at all. Digits 3–9 (the serial) may not all be zero.
//! - Branch (đơn vị phụ thuộc): the parent's 10 digits, `-`, and 001 … 999; also written as
//!   13 digits without the dash.
//! - Household or individual: the 12-digit personal ID number (CCCD), which has no check digit.
//!
//! [`TaxCode::parse`] accepts what people type (spaces, dots, a dash or not) and keeps the
//! canonical form (`0100109106-001`); each refusal names its reason precisely.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use thiserror::Error;
use ts_rs::TS;

const WEIGHTS: [u32; 9] = [31, 29, 23, 19, 17, 13, 7, 5, 3];

/// A valid mã số thuế or personal ID number, in canonical form (`0100109106`,
/// `0100109106-001`, `001089012345`). Only [`TaxCode::parse`] makes one, so holding a
/// `TaxCode` means the check digit and shape were verified; it serialises as the canonical
/// string and deserialises through the same checks.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(into = "String", try_from = "String")]
#[ts(export, type = "string")]
pub struct TaxCode {
    canonical: String,
    kind: TaxCodeKind,
}

/// Which kind of taxpayer a [`TaxCode`] identifies, from its shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum TaxCodeKind {
    /// 10 digits with a check digit.
    Enterprise,
    /// 10 digits, a dash and a 3-digit branch number.
    Branch,
    /// A 12-digit personal ID number used by households and individuals.
    PersonalId,
}

/// Why a typed tax code was refused, each reason precisely (Vietnamese messages for the
/// person who typed it).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TaxCodeError {
    /// Nothing but spaces was typed.
    #[error("chưa nhập mã số thuế")]
    Empty,
    /// A character other than a digit, a space, a dot or one dash.
    #[error("mã số thuế có ký tự không hợp lệ «{character}» ở vị trí {position}; chỉ được dùng chữ số và dấu gạch ngang")]
    BadCharacter {
        /// The character refused.
        character: char,
        /// Its position in the trimmed input, counting characters from 1.
        position: usize,
    },
    /// A digit count other than 10, 12 or 13.
    #[error("mã số thuế có {found} chữ số; cần 10 chữ số, 13 chữ số (chi nhánh) hoặc 12 chữ số (số định danh cá nhân)")]
    BadLength {
        /// How many digits were typed, separators left out.
        found: usize,
    },
    /// A dash elsewhere than after the 10th digit, or a dash without exactly three digits after it.
    #[error("mã chi nhánh phải có dạng 10 chữ số, dấu «-» và 3 chữ số (ví dụ 0100109106-001)")]
    BadBranchShape,
    /// The 10th digit is not the check digit of the first nine.
    #[error("mã số thuế sai chữ số kiểm tra: chữ số thứ 10 phải là {expected}, không phải {found}")]
    CheckDigit {
        /// The check digit the first nine digits call for.
        expected: u32,
        /// The 10th digit typed.
        found: u32,
    },
    /// The first nine digits weigh to a multiple of 11, for which no check digit exists.
    #[error("mã số thuế không hợp lệ: 9 chữ số đầu không cho chữ số kiểm tra nào hợp lệ")]
    NoCheckDigit,
    /// Digits 3–9 are all zero.
    #[error("mã số thuế không hợp lệ: chữ số thứ 3 đến thứ 9 không được đều bằng 0")]
    ZeroSerial,
    /// The branch number is `000`.
    #[error("mã chi nhánh không được là 000")]
    ZeroBranch,
}

impl TaxCode {
    /// Reads a tax code as people type it: spaces and dots are dropped, a branch may be written
    /// with or without its dash (`0100109106-001`, `0100109106001`). Ten digits must carry a valid
    /// check digit; twelve digits are taken as a personal ID number, which has none to check.
    pub fn parse(input: &str) -> Result<TaxCode, TaxCodeError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(TaxCodeError::Empty);
        }
        let mut digits = String::with_capacity(13);
        let mut dash_after: Option<usize> = None;
        for (i, ch) in trimmed.chars().enumerate() {
            match ch {
                '0'..='9' => digits.push(ch),
                ' ' | '.' => {}
                '-' if dash_after.is_none() => dash_after = Some(digits.len()),
                _ => return Err(TaxCodeError::BadCharacter { character: ch, position: i + 1 }),
            }
        }
        if let Some(at) = dash_after
            && (at != 10 || digits.len() != 13) {
                return Err(TaxCodeError::BadBranchShape);
            }
        match digits.len() {
            10 => {
                check_enterprise(&digits)?;
                Ok(TaxCode { canonical: digits, kind: TaxCodeKind::Enterprise })
            }
            13 => {
                check_enterprise(&digits[..10])?;
                if &digits[10..] == "000" {
                    return Err(TaxCodeError::ZeroBranch);
                }
                Ok(TaxCode {
                    canonical: format!("{}-{}", &digits[..10], &digits[10..]),
                    kind: TaxCodeKind::Branch,
                })
            }
            12 => Ok(TaxCode { canonical: digits, kind: TaxCodeKind::PersonalId }),
            found => Err(TaxCodeError::BadLength { found }),
        }
    }

    /// The canonical form: digits only, a dash before a branch number.
    pub fn as_str(&self) -> &str {
        &self.canonical
    }

    /// Enterprise, branch or personal ID number.
    pub fn kind(&self) -> TaxCodeKind {
        self.kind
    }

    /// The 10-digit code of the enterprise a branch belongs to (itself for an enterprise).
    pub fn enterprise(&self) -> Option<&str> {
        match self.kind {
            TaxCodeKind::Enterprise | TaxCodeKind::Branch => Some(&self.canonical[..10]),
            TaxCodeKind::PersonalId => None,
        }
    }
}

/// The check digit of the first nine digits, or `None` where no digit is valid.
pub fn check_digit(first_nine: &[u32; 9]) -> Option<u32> {
    let sum: u32 = first_nine.iter().zip(WEIGHTS).map(|(d, w)| d * w).sum();
    match sum % 11 {
        0 => None,
        r => Some(10 - r),
    }
}

fn check_enterprise(ten: &str) -> Result<(), TaxCodeError> {
    let d: Vec<u32> = ten.chars().map(|c| c.to_digit(10).expect("digits only")).collect();
    if d[2..9].iter().all(|&x| x == 0) {
        return Err(TaxCodeError::ZeroSerial);
    }
    let nine: [u32; 9] = d[..9].try_into().expect("ten digits");
    match check_digit(&nine) {
        None => Err(TaxCodeError::NoCheckDigit),
        Some(expected) if expected != d[9] => Err(TaxCodeError::CheckDigit { expected, found: d[9] }),
        Some(_) => Ok(()),
    }
}

impl fmt::Display for TaxCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.canonical)
    }
}

impl FromStr for TaxCode {
    type Err = TaxCodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        TaxCode::parse(s)
    }
}

impl From<TaxCode> for String {
    fn from(t: TaxCode) -> String {
        t.canonical
    }
}

impl TryFrom<String> for TaxCode {
    type Error = TaxCodeError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        TaxCode::parse(&s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_real_codes() {
        // Codes of the shape businesses print on their invoices.
        for code in ["0100109106", "0100686209", "0300588569", "0101248141", "0106026495"] {
            let t = TaxCode::parse(code).unwrap_or_else(|e| panic!("{code}: {e}"));
            assert_eq!(t.kind(), TaxCodeKind::Enterprise);
            assert_eq!(t.as_str(), code);
        }
    }

    #[test]
    fn normalises_what_people_type() {
        assert_eq!(TaxCode::parse(" 0100 109 106 ").unwrap().as_str(), "0100109106");
        assert_eq!(TaxCode::parse("0100109106-001").unwrap().as_str(), "0100109106-001");
        assert_eq!(TaxCode::parse("0100109106001").unwrap().as_str(), "0100109106-001");
        let branch = TaxCode::parse("0100109106-012").unwrap();
        assert_eq!(branch.kind(), TaxCodeKind::Branch);
        assert_eq!(branch.enterprise(), Some("0100109106"));
        let person = TaxCode::parse("001089012345").unwrap();
        assert_eq!(person.kind(), TaxCodeKind::PersonalId);
        assert_eq!(person.enterprise(), None);
    }

    #[test]
    fn names_each_reason() {
        assert_eq!(TaxCode::parse("  "), Err(TaxCodeError::Empty));
        assert_eq!(TaxCode::parse("01001O9106"), Err(TaxCodeError::BadCharacter { character: 'O', position: 6 }));
        assert_eq!(TaxCode::parse("010010910"), Err(TaxCodeError::BadLength { found: 9 }));
        assert_eq!(TaxCode::parse("01001091061"), Err(TaxCodeError::BadLength { found: 11 }));
        assert_eq!(TaxCode::parse("0100109107"), Err(TaxCodeError::CheckDigit { expected: 6, found: 7 }));
        assert_eq!(TaxCode::parse("0100000000"), Err(TaxCodeError::ZeroSerial));
        assert_eq!(TaxCode::parse("0100109106-000"), Err(TaxCodeError::ZeroBranch));
        assert_eq!(TaxCode::parse("0100109106000"), Err(TaxCodeError::ZeroBranch));
        assert_eq!(TaxCode::parse("01001-09106001"), Err(TaxCodeError::BadBranchShape));
        assert_eq!(TaxCode::parse("0100109106-01"), Err(TaxCodeError::BadBranchShape));
        assert_eq!(TaxCode::parse("0100109106-0-01"), Err(TaxCodeError::BadCharacter { character: '-', position: 13 }));
        // 1·31 + 1·17 = 48 ≡ 4; but 0,0,1,0,0,0,0,0,2: 23 + 6 = 29 ≡ 7. Find a sum ≡ 0 (mod 11):
        // 0,0,0,0,0,0,0,1,2 → 5 + 6 = 11.
        assert_eq!(TaxCode::parse("0000000120"), Err(TaxCodeError::NoCheckDigit));
        assert_eq!(
            TaxCode::parse("0100109107").unwrap_err().to_string(),
            "mã số thuế sai chữ số kiểm tra: chữ số thứ 10 phải là 6, không phải 7"
        );
    }

    proptest! {
        #[test]
        fn exactly_one_check_digit_fits(nine in prop::array::uniform9(0u32..10)) {
            let prefix: String = nine.iter().map(|d| char::from_digit(*d, 10).unwrap()).collect();
            let valid: Vec<u32> = (0..10).filter(|c| TaxCode::parse(&format!("{prefix}{c}")).is_ok()).collect();
            let serial_zero = nine[2..9].iter().all(|&d| d == 0);
            match (check_digit(&nine), serial_zero) {
                (Some(c), false) => prop_assert_eq!(valid, vec![c]),
                _ => prop_assert!(valid.is_empty()),
            }
        }

        #[test]
        fn canonical_form_parses_to_itself(s in "[0-9]{10}(-[0-9]{3})?") {
            if let Ok(t) = TaxCode::parse(&s) {
                prop_assert_eq!(TaxCode::parse(t.as_str()).unwrap(), t.clone());
                prop_assert_eq!(t.as_str(), s.as_str());
            }
        }

        #[test]
        fn never_panics(s in "\\PC{0,20}") {
            let _ = TaxCode::parse(&s);
        }
    }
}
