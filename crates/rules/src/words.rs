//! The amount in words printed on every invoice ("Số tiền viết bằng chữ").
//!
//! "Một triệu không trăm linh năm nghìn đồng": a group of three digits after the first
//! one says "không trăm"; a zero tens digit says "linh" (or "lẻ", as the shop prefers);
//! after a tens digit of 2 or more, 1 is "mốt" and 5 is "lăm"; 15 is "mười lăm". Billions
//! repeat ("một nghìn tỷ"), so the words go up to 999 999 999 999 999 đồng.

use serde::{Deserialize, Serialize};
use thiserror::Error;
use ts_rs::TS;

use crate::money::{Dong, MAX_AMOUNT};

/// How a zero tens digit is read: "một trăm linh năm" or "một trăm lẻ năm".
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum ZeroTens {
    /// "linh", the default.
    #[default]
    Linh,
    /// "lẻ", for a shop that prefers it (a setting of the shop).
    Le,
}

/// Why an amount cannot be written in words.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum WordsError {
    /// The amount is negative: an invoice total to be read out is never below zero.
    #[error("không thể viết bằng chữ một số tiền âm ({0} đồng)")]
    Negative(i64),
    /// The amount is past 999 999 999 999 999 đồng, where the words stop.
    #[error("số tiền {0} đồng vượt quá giới hạn 999.999.999.999.999 đồng")]
    TooLarge(i64),
}

const DIGITS: [&str; 10] = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"];

/// `1_005_000` → "Một triệu không trăm linh năm nghìn đồng".
pub fn amount_in_words(amount: Dong, zero_tens: ZeroTens) -> Result<String, WordsError> {
    let n = amount.0;
    if n < 0 {
        return Err(WordsError::Negative(n));
    }
    if n > MAX_AMOUNT {
        return Err(WordsError::TooLarge(n));
    }
    let mut words: Vec<&str> = Vec::new();
    if n == 0 {
        words.push("không");
    } else {
        let billions = n / 1_000_000_000;
        let rest = n % 1_000_000_000;
        if billions > 0 {
            read_below_billion(billions, true, zero_tens, &mut words);
            words.push("tỷ");
        }
        if rest > 0 {
            read_below_billion(rest, billions == 0, zero_tens, &mut words);
        }
    }
    words.push("đồng");
    Ok(capitalise(&words.join(" ")))
}

/// Reads 1 ..= 999 999 999. `leading` is false when a higher group was already read, so
/// the first group here must say its hundreds even when they are zero.
fn read_below_billion(n: i64, leading: bool, zero_tens: ZeroTens, out: &mut Vec<&'static str>) {
    let groups = [(n / 1_000_000, Some("triệu")), ((n / 1000) % 1000, Some("nghìn")), (n % 1000, None)];
    let mut said_something = !leading;
    for (value, name) in groups {
        if value == 0 {
            continue;
        }
        read_group(value as usize, said_something, zero_tens, out);
        if let Some(name) = name {
            out.push(name);
        }
        said_something = true;
    }
}

/// Reads one group of three digits (1 ..= 999). `full` says "không trăm" for a zero hundreds.
fn read_group(n: usize, full: bool, zero_tens: ZeroTens, out: &mut Vec<&'static str>) {
    let (hundreds, tens, units) = (n / 100, (n / 10) % 10, n % 10);
    if hundreds > 0 || full {
        out.push(DIGITS[hundreds]);
        out.push("trăm");
    }
    match tens {
        0 => {
            if units > 0 {
                if hundreds > 0 || full {
                    out.push(match zero_tens {
                        ZeroTens::Linh => "linh",
                        ZeroTens::Le => "lẻ",
                    });
                }
                out.push(DIGITS[units]);
            }
        }
        1 => {
            out.push("mười");
            match units {
                0 => {}
                5 => out.push("lăm"),
                u => out.push(DIGITS[u]),
            }
        }
        t => {
            out.push(DIGITS[t]);
            out.push("mươi");
            match units {
                0 => {}
                1 => out.push("mốt"),
                5 => out.push("lăm"),
                u => out.push(DIGITS[u]),
            }
        }
    }
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn w(n: i64) -> String {
        amount_in_words(Dong(n), ZeroTens::Linh).unwrap()
    }

    #[test]
    fn reads_the_examples_of_the_rules() {
        assert_eq!(w(0), "Không đồng");
        assert_eq!(w(1), "Một đồng");
        assert_eq!(w(5), "Năm đồng");
        assert_eq!(w(10), "Mười đồng");
        assert_eq!(w(11), "Mười một đồng");
        assert_eq!(w(15), "Mười lăm đồng");
        assert_eq!(w(20), "Hai mươi đồng");
        assert_eq!(w(21), "Hai mươi mốt đồng");
        assert_eq!(w(25), "Hai mươi lăm đồng");
        assert_eq!(w(24), "Hai mươi bốn đồng");
        assert_eq!(w(101), "Một trăm linh một đồng");
        assert_eq!(w(105), "Một trăm linh năm đồng");
        assert_eq!(w(110), "Một trăm mười đồng");
        assert_eq!(w(115), "Một trăm mười lăm đồng");
        assert_eq!(w(1_000), "Một nghìn đồng");
        assert_eq!(w(1_005), "Một nghìn không trăm linh năm đồng");
        assert_eq!(w(1_050), "Một nghìn không trăm năm mươi đồng");
        assert_eq!(w(1_005_000), "Một triệu không trăm linh năm nghìn đồng");
        assert_eq!(w(1_650_000), "Một triệu sáu trăm năm mươi nghìn đồng");
        assert_eq!(w(1_000_001), "Một triệu không trăm linh một đồng");
        assert_eq!(w(1_000_000_000), "Một tỷ đồng");
        assert_eq!(w(1_000_000_005), "Một tỷ không trăm linh năm đồng");
        assert_eq!(w(2_021_000_000), "Hai tỷ không trăm hai mươi mốt triệu đồng");
        assert_eq!(w(1_000_000_000_000), "Một nghìn tỷ đồng");
        assert_eq!(w(1_005_000_000_000), "Một nghìn không trăm linh năm tỷ đồng");
        assert_eq!(
            w(999_999_999_999_999),
            "Chín trăm chín mươi chín nghìn chín trăm chín mươi chín tỷ chín trăm chín mươi chín triệu chín trăm chín mươi chín nghìn chín trăm chín mươi chín đồng"
        );
        assert_eq!(w(35_271_000), "Ba mươi lăm triệu hai trăm bảy mươi mốt nghìn đồng");
    }

    #[test]
    fn le_is_a_setting() {
        assert_eq!(amount_in_words(Dong(105), ZeroTens::Le).unwrap(), "Một trăm lẻ năm đồng");
        assert_eq!(
            amount_in_words(Dong(1_005_000), ZeroTens::Le).unwrap(),
            "Một triệu không trăm lẻ năm nghìn đồng"
        );
    }

    #[test]
    fn refuses_what_it_cannot_say() {
        assert_eq!(amount_in_words(Dong(-1), ZeroTens::Linh), Err(WordsError::Negative(-1)));
        assert_eq!(
            amount_in_words(Dong(1_000_000_000_000_000), ZeroTens::Linh),
            Err(WordsError::TooLarge(1_000_000_000_000_000))
        );
    }

    /// Reads the words back into a number, independently of how they were produced.
    fn parse_words(s: &str) -> i64 {
        let s = s.to_lowercase();
        let mut total: i64 = 0; // settled part (tỷ)
        let mut below_billion: i64 = 0;
        let mut group: i64 = 0;
        let mut last_digit: i64 = 0;
        for word in s.split(' ') {
            match word {
                "không" | "một" | "mốt" | "hai" | "ba" | "bốn" | "năm" | "lăm" | "sáu" | "bảy" | "tám" | "chín" => {
                    last_digit = match word {
                        "không" => 0, "một" | "mốt" => 1, "hai" => 2, "ba" => 3, "bốn" => 4,
                        "năm" | "lăm" => 5, "sáu" => 6, "bảy" => 7, "tám" => 8, _ => 9,
                    };
                    group += last_digit;
                }
                "mười" => group += 10,
                "mươi" => group += last_digit * 9, // the digit was added as units; make it tens
                "trăm" => group += last_digit * 99,
                "linh" | "lẻ" => {}
                "nghìn" => { below_billion += group * 1000; group = 0; }
                "triệu" => { below_billion += group * 1_000_000; group = 0; }
                "tỷ" => { total = (total + below_billion + group) * 1_000_000_000; below_billion = 0; group = 0; }
                "đồng" => {}
                other => panic!("unexpected word {other}"),
            }
        }
        total + below_billion + group
    }

    proptest! {
        #[test]
        fn words_read_back_to_the_amount(n in 0i64..=999_999_999_999_999) {
            let text = w(n);
            prop_assert_eq!(parse_words(&text), n, "{}", text);
            prop_assert!(text.ends_with(" đồng"));
            prop_assert!(text.chars().next().unwrap().is_uppercase());
            prop_assert!(!text.contains("  "));
        }

        #[test]
        fn small_amounts_read_back(n in 0i64..=2_000_000) {
            prop_assert_eq!(parse_words(&w(n)), n);
        }
    }
}
