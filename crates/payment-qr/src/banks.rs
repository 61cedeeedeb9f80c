//! The banks a VietQR code can name: the members of NAPAS 247 with their BIN, as data
//! (`data/napas-banks.tsv`), so a bank that joins or is renamed is one line to change.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One bank of the picker in Cài đặt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Bank {
    /// The NAPAS BIN, six digits (`970436`).
    pub bin: String,
    /// The name a shop owner knows it by (`Vietcombank`).
    pub short_name: String,
    /// Its full name (`Ngân hàng TMCP Ngoại thương Việt Nam`).
    pub full_name: String,
}

const LIST: &str = include_str!("../data/napas-banks.tsv");

/// Every bank of the list, in the file's order (alphabetical by short name).
pub fn banks() -> &'static [Bank] {
    static BANKS: OnceLock<Vec<Bank>> = OnceLock::new();
    BANKS.get_or_init(|| parse(LIST))
}

/// The bank of a BIN, if it is in the list.
pub fn bank(bin: &str) -> Option<&'static Bank> {
    banks().iter().find(|b| b.bin == bin)
}

/// The list file's lines, tab-separated; a malformed line is a mistake in the shipped file,
/// caught by the tests below rather than at the counter.
fn parse(text: &str) -> Vec<Bank> {
    text.lines()
        .map(str::trim_end)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            let mut parts = l.split('\t');
            let (bin, short, full) = (parts.next()?, parts.next()?, parts.next()?);
            Some(Bank { bin: bin.into(), short_name: short.into(), full_name: full.into() })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_line_is_a_bank_with_a_six_digit_bin_once() {
        let lines = LIST.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#')).count();
        assert_eq!(banks().len(), lines, "a line of the list did not read as three fields");
        assert!(banks().len() >= 40);
        let mut bins: Vec<&str> = banks().iter().map(|b| b.bin.as_str()).collect();
        for bin in &bins {
            assert!(bin.len() == 6 && bin.bytes().all(|c| c.is_ascii_digit()), "BIN {bin}");
        }
        bins.sort();
        bins.dedup();
        assert_eq!(bins.len(), banks().len(), "a BIN appears twice");
        for b in banks() {
            assert!(!b.short_name.is_empty() && b.full_name.starts_with("Ngân hàng"), "{b:?}");
        }
    }

    #[test]
    fn the_big_banks_are_where_napas_puts_them() {
        assert_eq!(bank("970436").unwrap().short_name, "Vietcombank");
        assert_eq!(bank("970415").unwrap().short_name, "VietinBank");
        assert_eq!(bank("970418").unwrap().short_name, "BIDV");
        assert_eq!(bank("970405").unwrap().short_name, "Agribank");
        assert_eq!(bank("970422").unwrap().short_name, "MBBank");
        assert!(bank("970499").is_none());
    }
}
