//! The EMVCo data objects: a two-digit tag, a two-digit length, then that many characters
//! of value; a template (tags 38 and 62) holds further data objects in its value.

use crate::PaymentQrError;

/// The longest value a data object can hold: the length has two digits.
pub const MAX_VALUE_LEN: usize = 99;

/// Appends one data object to `out`. The callers check the values' own limits first, so a
/// value too long here is a mistake of this crate, not of the owner.
pub fn push(out: &mut String, tag: &str, value: &str) {
    debug_assert!(tag.len() == 2 && tag.bytes().all(|b| b.is_ascii_digit()));
    debug_assert!(value.is_ascii() && value.len() <= MAX_VALUE_LEN, "value of tag {tag} too long");
    out.push_str(tag);
    out.push_str(&format!("{:02}", value.len()));
    out.push_str(value);
}

/// One data object as read: its tag and its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataObject<'a> {
    /// The two digits of the tag.
    pub tag: &'a str,
    /// The value, `length` characters.
    pub value: &'a str,
}

/// Splits `text` into its data objects, in order. Refuses a tag or length that is not two
/// digits, a length running past the end, and text that is not ASCII (VietQR carries none).
pub fn read(text: &str) -> Result<Vec<DataObject<'_>>, PaymentQrError> {
    if !text.is_ascii() {
        return Err(PaymentQrError::Unreadable("có ký tự ngoài bảng mã ASCII".into()));
    }
    let mut objects = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        if rest.len() < 4 {
            return Err(PaymentQrError::Unreadable(format!("phần cuối «{rest}» không đủ mã và độ dài")));
        }
        let (tag, len) = (&rest[..2], &rest[2..4]);
        if !tag.bytes().chain(len.bytes()).all(|b| b.is_ascii_digit()) {
            return Err(PaymentQrError::Unreadable(format!("«{}» không phải mã và độ dài", &rest[..4])));
        }
        let len: usize = len.parse().unwrap_or(0);
        let Some(value) = rest.get(4..4 + len) else {
            return Err(PaymentQrError::Unreadable(format!("trường {tag} dài {len} ký tự, quá phần còn lại")));
        };
        objects.push(DataObject { tag, value });
        rest = &rest[4 + len..];
    }
    Ok(objects)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_objects_read_back() {
        let mut out = String::new();
        push(&mut out, "00", "01");
        push(&mut out, "62", "0804DH42");
        assert_eq!(out, "00020162080804DH42");
        let read = read(&out).unwrap();
        assert_eq!(read, vec![DataObject { tag: "00", value: "01" }, DataObject { tag: "62", value: "0804DH42" }]);
        assert_eq!(super::read(read[1].value).unwrap(), vec![DataObject { tag: "08", value: "DH42" }]);
    }

    #[test]
    fn broken_lengths_are_refused() {
        assert!(read("000501").is_err());
        assert!(read("0002010").is_err());
        assert!(read("0A0201").is_err());
        assert!(read("0002đ1").is_err());
    }
}
