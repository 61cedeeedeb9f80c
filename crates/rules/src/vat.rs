//! VAT rates, their periods of validity, and the per-rate totals of an invoice.
//!
//! VAT is computed **per line** and rounded to the đồng (half away from zero, as all money
//! here), then summed per rate. That is how the providers' XML carries it (a `VATAmount` on
//! each line and a total per rate), so the app, the PDF and the provider agree to the đồng.
//!
//! Which rates may be used on which date is data (`data/vat-rates.json`), not code: the 8%
//! reduced rate ends on 31/12/2026 unless the National Assembly extends it again.

use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use thiserror::Error;
use time::Date;
use ts_rs::TS;

use crate::calendar;
use crate::money::{div_round_half_away, Dong, MoneyError};

/// A VAT rate as printed on an invoice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(into = "String", try_from = "String")]
#[ts(export, type = "string")]
pub enum VatRate {
    /// 10%, the standard rate.
    Ten,
    /// 8%, the reduced rate, usable only within the periods of `data/vat-rates.json`.
    Eight,
    /// 5%.
    Five,
    /// 0% (exports and the like): VAT charged at zero, unlike [`VatRate::Kct`].
    Zero,
    /// Không chịu thuế: not subject to VAT.
    Kct,
    /// Không kê khai, nộp thuế: not declared.
    Kkknt,
    /// Another rate, in hundredths of a percent (`Khac(526)` is 5,26%).
    Khac(u32),
}

/// Why a VAT rate was refused (Vietnamese messages for the person who chose it).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum VatError {
    /// The text is none of the codes [`VatRate`] reads (`10`, `8`, `KCT`, `KHAC:5.26`, …).
    #[error("thuế suất không hợp lệ: «{0}» (dùng 0, 5, 8, 10, KCT, KKKNT hoặc KHAC:x%)")]
    UnknownRate(String),
    /// The rate exists but may not be used on that date (the 8% after its period, say).
    #[error("thuế suất {rate} không được áp dụng vào ngày {date}")]
    NotInForce {
        /// The rate as printed (`8%`).
        rate: String,
        /// The date it was refused for, `dd/MM/yyyy`.
        date: String,
    },
}

impl VatRate {
    /// The fixed rates, in the order invoices print them; [`VatRate::Khac`] is left out as it
    /// carries its own value.
    pub const STANDARD: [VatRate; 6] = [
        VatRate::Ten,
        VatRate::Eight,
        VatRate::Five,
        VatRate::Zero,
        VatRate::Kct,
        VatRate::Kkknt,
    ];

    /// The rate in hundredths of a percent, or `None` where no VAT is charged at all.
    pub fn basis_points(self) -> Option<u32> {
        match self {
            VatRate::Ten => Some(1000),
            VatRate::Eight => Some(800),
            VatRate::Five => Some(500),
            VatRate::Zero => Some(0),
            VatRate::Kct | VatRate::Kkknt => None,
            VatRate::Khac(bp) => Some(bp),
        }
    }

    /// The code stored in the database and sent in settings: `10`, `8`, `KCT`, `KHAC:5.26`.
    pub fn code(self) -> String {
        match self {
            VatRate::Ten => "10".into(),
            VatRate::Eight => "8".into(),
            VatRate::Five => "5".into(),
            VatRate::Zero => "0".into(),
            VatRate::Kct => "KCT".into(),
            VatRate::Kkknt => "KKKNT".into(),
            VatRate::Khac(bp) => format!("KHAC:{}", percent_text(bp, '.')),
        }
    }

    /// How an invoice prints it: `10%`, `KCT`, `5,26%`.
    pub fn label(self) -> String {
        match self {
            VatRate::Kct => "KCT".into(),
            VatRate::Kkknt => "KKKNT".into(),
            VatRate::Khac(bp) => format!("{}%", percent_text(bp, ',')),
            other => format!("{}%", other.basis_points().unwrap_or(0) / 100),
        }
    }

    /// The VAT on one line, rounded half away from zero to the đồng.
    pub fn vat_on(self, amount: Dong) -> Dong {
        match self.basis_points() {
            None | Some(0) => Dong::ZERO,
            Some(bp) => Dong(div_round_half_away(amount.0 as i128 * bp as i128, 10_000) as i64),
        }
    }

    /// Whether the rate may be used on `date` according to the rate table.
    pub fn in_force_on(self, date: Date) -> bool {
        let key = match self {
            VatRate::Khac(_) => "KHAC".to_string(),
            other => other.code(),
        };
        schedule()
            .iter()
            .filter(|p| p.rate == key)
            .any(|p| p.from.is_none_or(|f| f <= date) && p.to.is_none_or(|t| date <= t))
    }

    /// [`VatRate::in_force_on`] as a `Result`: [`VatError::NotInForce`] names the rate and date.
    pub fn check_in_force(self, date: Date) -> Result<(), VatError> {
        if self.in_force_on(date) {
            Ok(())
        } else {
            Err(VatError::NotInForce { rate: self.label(), date: calendar::format_date(date) })
        }
    }
}

fn percent_text(bp: u32, sep: char) -> String {
    let whole = bp / 100;
    let frac = bp % 100;
    if frac == 0 {
        whole.to_string()
    } else {
        let f = format!("{frac:02}");
        format!("{whole}{sep}{}", f.trim_end_matches('0'))
    }
}

impl fmt::Display for VatRate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label())
    }
}

impl FromStr for VatRate {
    type Err = VatError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim().trim_end_matches('%').trim().to_ascii_uppercase();
        let bad = || VatError::UnknownRate(s.to_string());
        Ok(match t.as_str() {
            "10" => VatRate::Ten,
            "8" => VatRate::Eight,
            "5" => VatRate::Five,
            "0" => VatRate::Zero,
            "KCT" => VatRate::Kct,
            "KKKNT" => VatRate::Kkknt,
            _ => {
                let rest = t.strip_prefix("KHAC").ok_or_else(bad)?;
                let rest = rest.trim_start_matches([':', ' ']).replace(',', ".");
                let (w, f) = rest.split_once('.').unwrap_or((&rest, ""));
                if w.is_empty() || f.len() > 2 || !w.chars().chain(f.chars()).all(|c| c.is_ascii_digit()) {
                    return Err(bad());
                }
                let whole: u32 = w.parse().map_err(|_| bad())?;
                let frac: u32 = if f.is_empty() { 0 } else { format!("{f:0<2}").parse().map_err(|_| bad())? };
                if whole >= 100 {
                    return Err(bad());
                }
                VatRate::Khac(whole * 100 + frac)
            }
        })
    }
}

impl From<VatRate> for String {
    fn from(r: VatRate) -> String {
        r.code()
    }
}

impl TryFrom<String> for VatRate {
    type Error = VatError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

struct RatePeriod {
    rate: String,
    from: Option<Date>,
    to: Option<Date>,
}

fn schedule() -> &'static [RatePeriod] {
    static TABLE: OnceLock<Vec<RatePeriod>> = OnceLock::new();
    TABLE.get_or_init(|| {
        #[derive(Deserialize)]
        struct File {
            periods: Vec<Entry>,
        }
        #[derive(Deserialize)]
        struct Entry {
            rate: String,
            from: Option<String>,
            to: Option<String>,
        }
        let file: File = serde_json::from_str(include_str!("../data/vat-rates.json"))
            .expect("data/vat-rates.json is valid (checked by a test)");
        let date = |s: Option<String>| {
            s.map(|s| calendar::parse_date(&s).expect("dates in data/vat-rates.json are dd/MM/yyyy"))
        };
        file.periods
            .into_iter()
            .map(|e| RatePeriod { rate: e.rate, from: date(e.from), to: date(e.to) })
            .collect()
    })
}

/// One line as VAT sees it: its amount before tax and its rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TaxedLine {
    /// The line's amount before VAT, in đồng (negative for a discount line).
    pub amount: Dong,
    /// The line's VAT rate.
    pub rate: VatRate,
}

/// Subtotal and VAT of all lines at one rate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RateTotal {
    /// The rate these lines share.
    pub rate: VatRate,
    /// The rate as printed ([`VatRate::label`]), carried for the UI.
    pub label: String,
    /// The sum of these lines' amounts before VAT, in đồng.
    pub subtotal: Dong,
    /// The sum of these lines' VAT, each line rounded first.
    pub vat: Dong,
}

/// The money block of an invoice.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct VatTotals {
    /// One entry per rate used, in the order invoices print them (10%, 8%, 5%, 0%, KCT, …).
    pub by_rate: Vec<RateTotal>,
    /// The invoice's amount before VAT (cộng tiền hàng): the sum of the per-rate subtotals.
    pub subtotal: Dong,
    /// The invoice's VAT (tiền thuế GTGT): the sum of the per-rate VAT.
    pub vat: Dong,
    /// What the buyer pays: subtotal plus VAT.
    pub total: Dong,
}

impl VatTotals {
    /// The totals of an invoice's lines: VAT rounded per line, summed per rate, rates sorted in
    /// print order. [`MoneyError::TooLarge`] when any sum exceeds [`MAX_AMOUNT`](crate::money::MAX_AMOUNT).
    pub fn of(lines: impl IntoIterator<Item = TaxedLine>) -> Result<VatTotals, MoneyError> {
        let mut by_rate: Vec<RateTotal> = Vec::new();
        for line in lines {
            let vat = line.rate.vat_on(line.amount);
            match by_rate.iter_mut().find(|t| t.rate == line.rate) {
                Some(t) => {
                    t.subtotal = t.subtotal.checked_add(line.amount)?;
                    t.vat = t.vat.checked_add(vat)?;
                }
                None => by_rate.push(RateTotal {
                    rate: line.rate,
                    label: line.rate.label(),
                    subtotal: line.amount,
                    vat,
                }),
            }
        }
        by_rate.sort_by_key(|t| t.rate);
        let mut totals = VatTotals { by_rate, ..Default::default() };
        for t in &totals.by_rate {
            totals.subtotal = totals.subtotal.checked_add(t.subtotal)?;
            totals.vat = totals.vat.checked_add(t.vat)?;
        }
        totals.total = totals.subtotal.checked_add(totals.vat)?;
        Ok(totals)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    #[test]
    fn parses_and_prints_rates() {
        for (text, rate, code, label) in [
            ("10", VatRate::Ten, "10", "10%"),
            ("8%", VatRate::Eight, "8", "8%"),
            ("5", VatRate::Five, "5", "5%"),
            ("0", VatRate::Zero, "0", "0%"),
            ("kct", VatRate::Kct, "KCT", "KCT"),
            ("KKKNT", VatRate::Kkknt, "KKKNT", "KKKNT"),
            ("KHAC:5.26", VatRate::Khac(526), "KHAC:5.26", "5,26%"),
            ("KHAC:3,5%", VatRate::Khac(350), "KHAC:3.5", "3,5%"),
            ("KHAC:7", VatRate::Khac(700), "KHAC:7", "7%"),
        ] {
            let parsed: VatRate = text.parse().unwrap();
            assert_eq!(parsed, rate, "{text}");
            assert_eq!(parsed.code(), code);
            assert_eq!(parsed.label(), label);
            assert_eq!(code.parse::<VatRate>().unwrap(), rate);
        }
        for bad in ["", "12", "7", "KHAC", "KHAC:abc", "KHAC:1.234", "KHAC:150"] {
            assert!(bad.parse::<VatRate>().is_err(), "{bad}");
        }
    }

    #[test]
    fn vat_is_rounded_per_line() {
        assert_eq!(VatRate::Ten.vat_on(Dong(15)), Dong(2)); // 1,5 → 2
        assert_eq!(VatRate::Ten.vat_on(Dong(-15)), Dong(-2));
        assert_eq!(VatRate::Eight.vat_on(Dong(1_650_000)), Dong(132_000));
        assert_eq!(VatRate::Five.vat_on(Dong(33_333)), Dong(1_667)); // 1666,65
        assert_eq!(VatRate::Kct.vat_on(Dong(1_000_000)), Dong(0));
        assert_eq!(VatRate::Khac(526).vat_on(Dong(100_000)), Dong(5_260));
    }

    #[test]
    fn totals_per_rate() {
        let lines = [
            TaxedLine { amount: Dong(15), rate: VatRate::Ten },
            TaxedLine { amount: Dong(15), rate: VatRate::Ten },
            TaxedLine { amount: Dong(1_000_000), rate: VatRate::Eight },
            TaxedLine { amount: Dong(-100_000), rate: VatRate::Eight },
            TaxedLine { amount: Dong(50_000), rate: VatRate::Kct },
        ];
        let t = VatTotals::of(lines).unwrap();
        // per line: 2 + 2, not 3 from the summed 30 đ
        assert_eq!(t.by_rate[0], RateTotal { rate: VatRate::Ten, label: "10%".into(), subtotal: Dong(30), vat: Dong(4) });
        assert_eq!(t.by_rate[1].subtotal, Dong(900_000));
        assert_eq!(t.by_rate[1].vat, Dong(72_000));
        assert_eq!(t.by_rate[2].rate, VatRate::Kct);
        assert_eq!(t.subtotal, Dong(950_030));
        assert_eq!(t.vat, Dong(72_004));
        assert_eq!(t.total, Dong(1_022_034));
    }

    #[test]
    fn eight_percent_ends_with_2026() {
        assert!(VatRate::Eight.in_force_on(date!(2026 - 12 - 31)));
        assert!(!VatRate::Eight.in_force_on(date!(2027 - 01 - 01)));
        assert!(!VatRate::Eight.in_force_on(date!(2021 - 12 - 31)));
        assert!(VatRate::Ten.in_force_on(date!(2027 - 01 - 01)));
        assert!(VatRate::Khac(526).in_force_on(date!(2027 - 01 - 01)));
        let err = VatRate::Eight.check_in_force(date!(2027 - 01 - 01)).unwrap_err();
        assert_eq!(err.to_string(), "thuế suất 8% không được áp dụng vào ngày 01/01/2027");
    }

    fn any_rate() -> impl Strategy<Value = VatRate> {
        prop_oneof![
            Just(VatRate::Ten),
            Just(VatRate::Eight),
            Just(VatRate::Five),
            Just(VatRate::Zero),
            Just(VatRate::Kct),
            Just(VatRate::Kkknt),
            (0u32..9999).prop_map(VatRate::Khac),
        ]
    }

    proptest! {
        #[test]
        fn totals_add_up(lines in prop::collection::vec((-1_000_000_000i64..1_000_000_000, any_rate()), 0..50)) {
            let taxed: Vec<TaxedLine> = lines.iter().map(|&(a, r)| TaxedLine { amount: Dong(a), rate: r }).collect();
            let t = VatTotals::of(taxed.iter().copied()).unwrap();
            let sum: Dong = taxed.iter().map(|l| l.amount).sum();
            let vat: Dong = taxed.iter().map(|l| l.rate.vat_on(l.amount)).sum();
            prop_assert_eq!(t.subtotal, sum);
            prop_assert_eq!(t.vat, vat);
            prop_assert_eq!(t.total, sum + vat);
            prop_assert_eq!(t.by_rate.iter().map(|r| r.subtotal).sum::<Dong>(), sum);
            let mut rates: Vec<_> = t.by_rate.iter().map(|r| r.rate).collect();
            let n = rates.len();
            rates.dedup();
            prop_assert_eq!(rates.len(), n);
        }

        #[test]
        fn rate_codes_round_trip(rate in any_rate()) {
            prop_assert_eq!(rate.code().parse::<VatRate>().unwrap(), rate);
        }
    }
}
