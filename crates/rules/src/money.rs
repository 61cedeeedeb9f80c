//! Money and quantities.
//!
//! The đồng has no minor unit, so an amount is a whole number of đồng in an `i64`; floating
//! point never touches money. A quantity keeps up to three decimals (1,5 kg; 0,250 l) as a
//! whole number of thousandths.
//!
//! One rounding rule everywhere: **half away from zero to the đồng**. 2,5 đ becomes 3 đ and
//! −2,5 đ becomes −3 đ, so a discount line mirrors the line it discounts exactly.

use std::fmt;
use std::ops::{Add, AddAssign, Neg, Sub};

use serde::{Deserialize, Serialize};
use thiserror::Error;
use ts_rs::TS;

/// An amount of money in whole đồng. Negative amounts are discounts or refunds.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS,
)]
#[serde(transparent)]
#[ts(export, type = "number")]
pub struct Dong(pub i64);

/// The largest amount the app accepts on a line or an invoice: 999 999 999 999 999 đ, the
/// limit of the amount in words and safely below 2^53 so the UI's JavaScript numbers stay exact.
pub const MAX_AMOUNT: i64 = 999_999_999_999_999;

/// Why a typed amount or quantity was refused, or a sum left the range the app accepts.
/// The messages are Vietnamese sentences meant to be shown to the person who typed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum MoneyError {
    /// The amount (or quantity × price, or a sum) would exceed [`MAX_AMOUNT`] in absolute value.
    #[error("số tiền vượt quá giới hạn 999.999.999.999.999 đồng")]
    TooLarge,
    /// The text (trimmed) is not an amount: empty, a letter, or a comma.
    #[error("số tiền không hợp lệ: «{0}» (chỉ gồm chữ số, ví dụ 1.650.000)")]
    BadAmount(String),
    /// The text is not a quantity: empty, or something other than digits and one separator.
    #[error("số lượng không hợp lệ: «{0}»")]
    BadQuantity(String),
    /// The quantity has more than three decimals, finer than [`Quantity`] can hold.
    #[error("số lượng chỉ được có tối đa 3 chữ số thập phân")]
    TooManyDecimals,
}

impl Dong {
    /// Nothing: the start of every sum.
    pub const ZERO: Dong = Dong(0);

    /// `self + other`, refused with [`MoneyError::TooLarge`] when the sum leaves
    /// −[`MAX_AMOUNT`]..=[`MAX_AMOUNT`] (or `i64`). Totals of lines and invoices add with this;
    /// the `+` operator does not check.
    pub fn checked_add(self, other: Dong) -> Result<Dong, MoneyError> {
        self.0
            .checked_add(other.0)
            .filter(|v| v.abs() <= MAX_AMOUNT)
            .map(Dong)
            .ok_or(MoneyError::TooLarge)
    }

    /// Reads an amount as people type it: `1650000`, `1.650.000`, `1 650 000 ₫`, `-5.000đ`.
    /// A comma is refused rather than guessed at: the đồng has no decimals, and "1,5" could
    /// mean 1,5 đồng or 1.500 đồng.
    pub fn parse(text: &str) -> Result<Dong, MoneyError> {
        let t = text.trim().trim_end_matches(['₫', 'đ', 'Đ']).trim_end();
        let t = t.strip_suffix("VND").or_else(|| t.strip_suffix("VNĐ")).unwrap_or(t).trim_end();
        let (negative, t) = match t.strip_prefix('-') {
            Some(rest) => (true, rest.trim_start()),
            None => (false, t),
        };
        let digits: String = t.chars().filter(|c| !matches!(c, '.' | ' ' | '\u{a0}')).collect();
        if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err(MoneyError::BadAmount(text.trim().to_string()));
        }
        let value: i64 = digits.parse().map_err(|_| MoneyError::TooLarge)?;
        if value > MAX_AMOUNT {
            return Err(MoneyError::TooLarge);
        }
        Ok(Dong(if negative { -value } else { value }))
    }

    /// `1.650.000 ₫`: dots between thousands, as Vietnamese invoices print it.
    pub fn display_vnd(self) -> String {
        format!("{} ₫", group_thousands(self.0))
    }
}

/// `1650000` → `1.650.000`; `-5000` → `-5.000`.
pub fn group_thousands(value: i64) -> String {
    let digits = value.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if value < 0 {
        out.push('-');
    }
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(ch);
    }
    out
}

impl fmt::Display for Dong {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display_vnd())
    }
}

impl Add for Dong {
    type Output = Dong;
    fn add(self, rhs: Dong) -> Dong {
        Dong(self.0 + rhs.0)
    }
}

impl AddAssign for Dong {
    fn add_assign(&mut self, rhs: Dong) {
        self.0 += rhs.0;
    }
}

impl Sub for Dong {
    type Output = Dong;
    fn sub(self, rhs: Dong) -> Dong {
        Dong(self.0 - rhs.0)
    }
}

impl Neg for Dong {
    type Output = Dong;
    fn neg(self) -> Dong {
        Dong(-self.0)
    }
}

impl std::iter::Sum for Dong {
    fn sum<I: Iterator<Item = Dong>>(iter: I) -> Dong {
        iter.fold(Dong::ZERO, |a, b| a + b)
    }
}

/// Divides and rounds half away from zero. `den` must be positive.
pub(crate) fn div_round_half_away(num: i128, den: i128) -> i128 {
    debug_assert!(den > 0);
    let q = num / den;
    let r = num % den;
    if 2 * r.abs() >= den { q + num.signum() } else { q }
}

/// A quantity with up to three decimals, stored as thousandths: `Quantity(1500)` is 1,5.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS,
)]
#[serde(transparent)]
#[ts(export, type = "number")]
pub struct Quantity(pub i64);

impl Quantity {
    /// Thousandths per unit: the inner number of `Quantity::whole(1)`.
    pub const SCALE: i64 = 1000;

    /// A whole number of units (`whole(2)` is 2 pieces). Does not check overflow: meant for
    /// small literal counts, not for input.
    pub fn whole(units: i64) -> Quantity {
        Quantity(units * Self::SCALE)
    }

    /// Reads "2", "1,5", "1.5", "0,250" and "-1" (a returned item). A comma and a dot are
    /// both a decimal separator here: a quantity never needs a thousands separator in a shop.
    pub fn parse(text: &str) -> Result<Quantity, MoneyError> {
        let t = text.trim();
        let bad = || MoneyError::BadQuantity(text.to_string());
        let (negative, t) = match t.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, t),
        };
        let (int_part, frac_part) = match t.find([',', '.']) {
            Some(i) => (&t[..i], &t[i + 1..]),
            None => (t, ""),
        };
        if int_part.is_empty() && frac_part.is_empty() {
            return Err(bad());
        }
        if !int_part.chars().all(|c| c.is_ascii_digit())
            || !frac_part.chars().all(|c| c.is_ascii_digit())
        {
            return Err(bad());
        }
        if frac_part.len() > 3 {
            return Err(MoneyError::TooManyDecimals);
        }
        let whole: i64 = if int_part.is_empty() { 0 } else { int_part.parse().map_err(|_| bad())? };
        let mut frac: i64 = if frac_part.is_empty() { 0 } else { frac_part.parse().map_err(|_| bad())? };
        for _ in frac_part.len()..3 {
            frac *= 10;
        }
        let value = whole
            .checked_mul(Self::SCALE)
            .and_then(|v| v.checked_add(frac))
            .ok_or(MoneyError::TooLarge)?;
        Ok(Quantity(if negative { -value } else { value }))
    }

    /// quantity × unit price, rounded half away from zero to the đồng.
    pub fn times(self, unit_price: Dong) -> Result<Dong, MoneyError> {
        let exact = self.0 as i128 * unit_price.0 as i128;
        let rounded = div_round_half_away(exact, Self::SCALE as i128);
        if rounded.abs() > MAX_AMOUNT as i128 {
            return Err(MoneyError::TooLarge);
        }
        Ok(Dong(rounded as i64))
    }
}

impl fmt::Display for Quantity {
    /// Vietnamese style: `1,5`, `2`, `0,25`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let whole = group_thousands((abs / 1000) as i64);
        let frac = abs % 1000;
        if frac == 0 {
            write!(f, "{sign}{whole}")
        } else {
            let s = format!("{frac:03}");
            write!(f, "{sign}{whole},{}", s.trim_end_matches('0'))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn groups_thousands_with_dots() {
        assert_eq!(Dong(1_650_000).display_vnd(), "1.650.000 ₫");
        assert_eq!(Dong(0).display_vnd(), "0 ₫");
        assert_eq!(Dong(-5_000).display_vnd(), "-5.000 ₫");
        assert_eq!(Dong(999).display_vnd(), "999 ₫");
        assert_eq!(Dong(1_000).display_vnd(), "1.000 ₫");
    }

    #[test]
    fn parses_typed_amounts() {
        assert_eq!(Dong::parse("1650000"), Ok(Dong(1_650_000)));
        assert_eq!(Dong::parse("1.650.000"), Ok(Dong(1_650_000)));
        assert_eq!(Dong::parse(" 1 650 000 ₫ "), Ok(Dong(1_650_000)));
        assert_eq!(Dong::parse("-5.000đ"), Ok(Dong(-5_000)));
        assert_eq!(Dong::parse("25000 VND"), Ok(Dong(25_000)));
        assert!(matches!(Dong::parse("1,5"), Err(MoneyError::BadAmount(_))));
        assert!(matches!(Dong::parse(""), Err(MoneyError::BadAmount(_))));
        assert!(matches!(Dong::parse("abc"), Err(MoneyError::BadAmount(_))));
        assert_eq!(Dong::parse("1000000000000000"), Err(MoneyError::TooLarge));
    }

    #[test]
    fn parses_quantities() {
        assert_eq!(Quantity::parse("2").unwrap(), Quantity(2000));
        assert_eq!(Quantity::parse("1,5").unwrap(), Quantity(1500));
        assert_eq!(Quantity::parse("1.5").unwrap(), Quantity(1500));
        assert_eq!(Quantity::parse("0,250").unwrap(), Quantity(250));
        assert_eq!(Quantity::parse("-1").unwrap(), Quantity(-1000));
        assert_eq!(Quantity::parse(",5").unwrap(), Quantity(500));
        assert_eq!(Quantity::parse("1,2345"), Err(MoneyError::TooManyDecimals));
        assert!(Quantity::parse("abc").is_err());
        assert!(Quantity::parse("").is_err());
        assert!(Quantity::parse("1,2,3").is_err());
    }

    #[test]
    fn rounds_half_away_from_zero() {
        // 0,5 × 5 đ = 2,5 đ → 3 đ; the discount mirrors it.
        assert_eq!(Quantity(500).times(Dong(5)).unwrap(), Dong(3));
        assert_eq!(Quantity(-500).times(Dong(5)).unwrap(), Dong(-3));
        assert_eq!(Quantity(1_333).times(Dong(10_000)).unwrap(), Dong(13_330));
        assert_eq!(Quantity(333).times(Dong(1_001)).unwrap(), Dong(333)); // 333,333
        assert_eq!(Quantity(2_000).times(Dong(825_000)).unwrap(), Dong(1_650_000));
    }

    #[test]
    fn refuses_amounts_past_the_limit() {
        assert_eq!(Quantity::whole(1_000).times(Dong(MAX_AMOUNT)), Err(MoneyError::TooLarge));
        assert_eq!(Dong(MAX_AMOUNT).checked_add(Dong(1)), Err(MoneyError::TooLarge));
    }

    #[test]
    fn displays_quantities() {
        assert_eq!(Quantity(1500).to_string(), "1,5");
        assert_eq!(Quantity(2000).to_string(), "2");
        assert_eq!(Quantity(250).to_string(), "0,25");
        assert_eq!(Quantity(1_234_000).to_string(), "1.234");
    }

    proptest! {
        #[test]
        fn negating_a_line_negates_its_amount(q in -10_000_000i64..10_000_000, p in 0i64..100_000_000) {
            let a = Quantity(q).times(Dong(p)).unwrap();
            let b = Quantity(-q).times(Dong(p)).unwrap();
            prop_assert_eq!(a, -b);
        }

        #[test]
        fn rounding_is_within_half_a_dong(q in -10_000_000i64..10_000_000, p in -100_000_000i64..100_000_000) {
            let a = Quantity(q).times(Dong(p)).unwrap();
            let exact = q as i128 * p as i128; // in thousandths of a đồng
            prop_assert!((a.0 as i128 * 1000 - exact).abs() <= 500);
        }

        #[test]
        fn amount_display_parses_back(v in -MAX_AMOUNT..=MAX_AMOUNT) {
            prop_assert_eq!(Dong::parse(&Dong(v).display_vnd()).unwrap(), Dong(v));
        }

        #[test]
        fn quantity_display_parses_back(q in -1_000_000_000i64..1_000_000_000) {
            let shown = Quantity(q).to_string().replace('.', "");
            prop_assert_eq!(Quantity::parse(&shown).unwrap(), Quantity(q));
        }
    }
}
