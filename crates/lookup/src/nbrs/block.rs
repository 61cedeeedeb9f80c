//! Reading the registry's JSON blocks field by field.
//!
//! The document describes fields by name and loose type ("Number(10)", "Code", "Date") and
//! shows no sample, and gateways re-encode what the registry sends: numbers arrive as
//! strings and the reverse, names with other capitals, a one-element list where an object
//! was expected. Every field is therefore read through these accessors, which accept those
//! variations and name the field when a value cannot be read at all.

use serde_json::{Map, Value};
use time::macros::format_description;
use time::{Date, OffsetDateTime, PrimitiveDateTime};

/// A reason a field could not be read, naming the field.
pub(crate) type Read<T> = Result<T, String>;

#[derive(Clone, Copy)]
pub(crate) struct Block<'a> {
    map: &'a Map<String, Value>,
}

impl<'a> Block<'a> {
    /// An object, or the first object of a list.
    pub(crate) fn of(value: &'a Value) -> Option<Block<'a>> {
        match value {
            Value::Object(map) => Some(Block { map }),
            Value::Array(items) => items.iter().find_map(Block::of),
            _ => None,
        }
    }

    /// The first of `names` present in `root`, also looking one level into a wrapper
    /// (`data`, `result`, …), with the name that matched.
    pub(crate) fn find(root: &'a Value, names: &[&'static str]) -> Option<(&'static str, Block<'a>)> {
        let Value::Object(map) = root else {
            return None;
        };
        let top = Block { map };
        for name in names {
            if let Some(found) = top.value(name).and_then(Block::of).filter(|b| !b.map.is_empty()) {
                return Some((name, found));
            }
        }
        for wrapper in ["data", "result", "response", "body"] {
            if let Some(found) = top.value(wrapper).and_then(|inner| Block::find(inner, names)) {
                return Some(found);
            }
        }
        None
    }

    /// The raw value of `key`: exact name first, then ignoring case, spaces and underscores
    /// (the document itself breaks long names across lines).
    pub(crate) fn value(&self, key: &str) -> Option<&'a Value> {
        if let Some(v) = self.map.get(key) {
            return Some(v);
        }
        let wanted = squash(key);
        self.map.iter().find(|(k, _)| squash(k) == wanted).map(|(_, v)| v)
    }

    /// Text, trimmed; empty text and `null` are absent. Numbers and booleans are written out.
    pub(crate) fn text(&self, key: &str) -> Option<String> {
        match self.value(key)? {
            Value::String(s) => Some(s.trim().to_owned()).filter(|s| !s.is_empty()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    /// The first of `keys` that holds text.
    pub(crate) fn text_any(&self, keys: &[&str]) -> Option<String> {
        keys.iter().find_map(|key| self.text(key))
    }

    /// A whole number, from a number or a string of digits.
    pub(crate) fn number(&self, key: &str) -> Read<Option<u64>> {
        match self.value(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Number(n)) => n.as_u64().map(Some).ok_or_else(|| bad(key, n)),
            Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
            Some(Value::String(s)) => s.trim().parse().map(Some).map_err(|_| bad(key, s)),
            Some(other) => Err(bad(key, other)),
        }
    }

    /// A yes/no: JSON booleans, `"true"`/`"false"`, `1`/`0`, `"Y"`/`"N"` (LaNganhChinh).
    pub(crate) fn flag(&self, key: &str) -> Read<Option<bool>> {
        let text = match self.value(key) {
            None | Some(Value::Null) => return Ok(None),
            Some(Value::Bool(b)) => return Ok(Some(*b)),
            Some(Value::Number(n)) => n.to_string(),
            Some(Value::String(s)) => s.trim().to_owned(),
            Some(other) => return Err(bad(key, other)),
        };
        match text.to_ascii_lowercase().as_str() {
            "" => Ok(None),
            "true" | "1" | "y" | "yes" | "c" | "co" | "có" => Ok(Some(true)),
            "false" | "0" | "n" | "no" | "k" | "khong" | "không" => Ok(Some(false)),
            _ => Err(bad(key, &text)),
        }
    }

    /// A date of an information block: `dd/MM/yyyy` (the document's "dd/MM/yyy" is a typo).
    /// A time after the date is ignored.
    pub(crate) fn date(&self, key: &str) -> Read<Option<Date>> {
        let Some(text) = self.text(key) else {
            return Ok(None);
        };
        let day_part = text.split_whitespace().next().unwrap_or_default();
        hoadon_rules::calendar::parse_date(day_part)
            .or_else(|| hoadon_rules::calendar::parse_iso_date(day_part))
            .map(Some)
            .ok_or_else(|| bad(key, &text))
    }

    /// A moment of a dossier block: `yyyyMMddHHmmss`, Vietnam time. `yyyyMMdd` and
    /// `dd/MM/yyyy[ HH:mm:ss]` are read too, since the supplement sub-blocks say only "Date".
    pub(crate) fn moment(&self, key: &str) -> Read<Option<OffsetDateTime>> {
        let Some(text) = self.text(key) else {
            return Ok(None);
        };
        parse_moment(&text).map(Some).ok_or_else(|| bad(key, &text))
    }

    /// The sub-block `key` (an object, or the first of a list).
    pub(crate) fn block(&self, key: &str) -> Option<Block<'a>> {
        self.value(key).and_then(Block::of)
    }

    /// The list `key`: every object of a list, or a lone object as a list of one.
    pub(crate) fn blocks(&self, key: &str) -> Vec<Block<'a>> {
        match self.value(key) {
            Some(Value::Array(items)) => items.iter().filter_map(Block::of).collect(),
            Some(value @ Value::Object(_)) => Block::of(value).into_iter().collect(),
            _ => Vec::new(),
        }
    }
}

fn squash(key: &str) -> String {
    key.chars().filter(|c| !c.is_whitespace() && *c != '_').flat_map(char::to_lowercase).collect()
}

fn bad(key: &str, value: &dyn std::fmt::Display) -> String {
    let mut shown = value.to_string();
    if shown.chars().count() > 40 {
        shown = shown.chars().take(40).collect::<String>() + "…";
    }
    format!("trường {key} có giá trị không đọc được «{shown}»")
}

pub(crate) fn parse_moment(text: &str) -> Option<OffsetDateTime> {
    let text = text.trim();
    let compact = format_description!("[year][month][day][hour][minute][second]");
    let vn = hoadon_rules::calendar::VIETNAM;
    if text.len() == 14 && text.bytes().all(|b| b.is_ascii_digit()) {
        return PrimitiveDateTime::parse(text, compact).ok().map(|m| m.assume_offset(vn));
    }
    if text.len() == 8 && text.bytes().all(|b| b.is_ascii_digit()) {
        let day = Date::parse(text, format_description!("[year][month][day]")).ok()?;
        return Some(day.midnight().assume_offset(vn));
    }
    let mut parts = text.split_whitespace();
    let day = hoadon_rules::calendar::parse_date(parts.next()?)?;
    let time = match parts.next() {
        Some(clock) => time::Time::parse(clock, format_description!("[hour]:[minute]:[second]")).ok()?,
        None => time::Time::MIDNIGHT,
    };
    Some(PrimitiveDateTime::new(day, time).assume_offset(vn))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use time::macros::{date, datetime};

    #[test]
    fn fields_are_found_despite_case_and_spacing() {
        let value = json!({"tinhtrangphaply": "x", "MaLoaiGiayToChungThuc": 5, "LaNganhChinh": "Y"});
        let block = Block::of(&value).unwrap();
        assert_eq!(block.text("TinhTrangPhapLy").as_deref(), Some("x"));
        assert_eq!(block.text("MaLoaiGiayToChungTh uc").as_deref(), Some("5"));
        assert_eq!(block.flag("LaNganhChinh"), Ok(Some(true)));
    }

    #[test]
    fn moments_read_the_dossier_format_in_vietnam_time() {
        assert_eq!(parse_moment("20260305143000"), Some(datetime!(2026-03-05 14:30:00 +7)));
        assert_eq!(parse_moment("20260305"), Some(datetime!(2026-03-05 00:00:00 +7)));
        assert_eq!(parse_moment("05/03/2026 14:30:00"), Some(datetime!(2026-03-05 14:30:00 +7)));
        assert_eq!(parse_moment("20261305143000"), None);
    }

    #[test]
    fn bad_values_name_their_field() {
        let value = json!({"NgayCap": "31/02/2020", "SoLan": "mười"});
        let block = Block::of(&value).unwrap();
        assert!(block.date("NgayCap").unwrap_err().contains("NgayCap"));
        assert!(block.number("SoLan").unwrap_err().contains("SoLan"));
        let ok = json!({"NgayCap": "05/03/2026"});
        assert_eq!(Block::of(&ok).unwrap().date("NgayCap"), Ok(Some(date!(2026 - 03 - 05))));
    }

    #[test]
    fn blocks_are_found_inside_a_wrapper() {
        let value = json!({"data": {"CoopInfo": [{"MaSoHTX": "3702601896"}]}});
        let (name, block) = Block::find(&value, &["EntInfo", "CoopInfo"]).unwrap();
        assert_eq!(name, "CoopInfo");
        assert_eq!(block.text("MaSoHTX").as_deref(), Some("3702601896"));
        assert!(Block::find(&json!({"EntInfo": {}}), &["EntInfo"]).is_none());
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn every_dossier_moment_reads_back(
            year in 1990i32..2100, month in 1u8..=12, day in 1u8..=28,
            hour in 0u8..24, minute in 0u8..60, second in 0u8..60,
        ) {
            let text = format!("{year:04}{month:02}{day:02}{hour:02}{minute:02}{second:02}");
            let moment = parse_moment(&text).unwrap();
            prop_assert_eq!(moment.offset(), hoadon_rules::calendar::VIETNAM);
            prop_assert_eq!(
                (moment.year(), u8::from(moment.month()), moment.day(), moment.hour(), moment.minute(), moment.second()),
                (year, month, day, hour, minute, second)
            );
        }

        #[test]
        fn no_text_makes_the_readers_panic(text in ".{0,30}") {
            let _ = parse_moment(&text);
            let value = serde_json::json!({"F": text});
            let block = Block::of(&value).unwrap();
            let _ = (block.date("F"), block.flag("F"), block.number("F"));
            let _ = crate::legal_status::LegalStatus::from_registry(Some(&text), Some(&text), None, None, None);
        }
    }
}
