//! The fields of a VietQR transfer (NAPAS 247 QR switching, "IBFT to account/card") and
//! their limits, written in the order NAPAS lists them:
//!
//! | tag | value |
//! | --- | --- |
//! | 00 | payload format, `01` |
//! | 01 | point of initiation: `12` with an amount (a code for one sale), `11` without |
//! | 38 | `00` GUID `A000000727`; `01` beneficiary (`00` BIN, `01` account or card); `02` `QRIBFTTA` (account) or `QRIBFTTC` (card) |
//! | 53 | currency, `704` (đồng) |
//! | 54 | amount, whole đồng |
//! | 58 | country, `VN` |
//! | 62 | `08` purpose of the transfer: the note the shop reads on its statement |
//! | 63 | CRC-16/CCITT-FALSE over everything before it, `6304` included |

use crate::banks::bank;
use crate::crc::crc_field;
use crate::{tlv, PaymentQrError};

/// The NAPAS GUID of tag 38/00: the code is a NAPAS 247 transfer.
pub const NAPAS_GUID: &str = "A000000727";
/// The longest account or card number tag 38/01/01 takes (NAPAS: up to 19).
pub const MAX_ACCOUNT_LEN: usize = 19;
/// The longest note tag 62/08 takes (NAPAS: "purpose of transaction", up to 25). Bank apps
/// cut a longer one, so the statement would not show the sale's number.
pub const MAX_NOTE_LEN: usize = 25;
/// EMVCo's amount field holds at most 13 characters.
const MAX_AMOUNT_DIGITS: usize = 13;

/// Where the money goes: an account number, or a card number (the bank moves it to the
/// card's account; tag 38/02 tells the two apart).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Beneficiary {
    /// A bank account number (service `QRIBFTTA`).
    Account(String),
    /// A card number (service `QRIBFTTC`).
    Card(String),
}

impl Beneficiary {
    /// The digits.
    pub fn number(&self) -> &str {
        match self {
            Beneficiary::Account(n) | Beneficiary::Card(n) => n,
        }
    }

    /// The service code of tag 38/02.
    pub fn service_code(&self) -> &'static str {
        match self {
            Beneficiary::Account(_) => "QRIBFTTA",
            Beneficiary::Card(_) => "QRIBFTTC",
        }
    }
}

/// The text of one VietQR code, checked field by field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentCode {
    payload: String,
}

impl PaymentCode {
    /// The code for a transfer of `amount` đồng (or an amount the buyer types, when `None`)
    /// to `to` at the bank of `bin`, with `note` on the shop's statement.
    ///
    /// Refuses a BIN not in the NAPAS list, an account that is not 1–19 digits, an amount of
    /// 0 or of more than 13 digits, and a note longer than 25 characters or with anything but
    /// printable ASCII. Diacritics are refused, not stripped: NAPAS carries the note as
    /// ASCII and banks drop or garble the rest, and a note changed behind the owner's back
    /// would not match what the app shows as the sale's reference.
    pub fn new(bin: &str, to: &Beneficiary, amount: Option<u64>, note: &str) -> Result<PaymentCode, PaymentQrError> {
        let bin = bin.trim();
        if bank(bin).is_none() {
            return Err(PaymentQrError::UnknownBank(bin.to_string()));
        }
        check_account(to.number())?;
        let amount = amount.map(check_amount).transpose()?;
        check_note(note)?;

        let mut beneficiary = String::new();
        tlv::push(&mut beneficiary, "00", bin);
        tlv::push(&mut beneficiary, "01", to.number());
        let mut merchant = String::new();
        tlv::push(&mut merchant, "00", NAPAS_GUID);
        tlv::push(&mut merchant, "01", &beneficiary);
        tlv::push(&mut merchant, "02", to.service_code());

        let mut payload = String::with_capacity(128);
        tlv::push(&mut payload, "00", "01");
        tlv::push(&mut payload, "01", if amount.is_some() { "12" } else { "11" });
        tlv::push(&mut payload, "38", &merchant);
        tlv::push(&mut payload, "53", "704");
        if let Some(amount) = &amount {
            tlv::push(&mut payload, "54", amount);
        }
        tlv::push(&mut payload, "58", "VN");
        if !note.is_empty() {
            let mut additional = String::new();
            tlv::push(&mut additional, "08", note);
            tlv::push(&mut payload, "62", &additional);
        }
        payload.push_str("6304");
        let crc = crc_field(payload.as_bytes());
        payload.push_str(&crc);
        Ok(PaymentCode { payload })
    }

    /// The text the QR symbol carries.
    pub fn payload(&self) -> &str {
        &self.payload
    }
}

/// Checks an account or card number as the settings hold it: 1–19 digits.
pub fn check_account(number: &str) -> Result<(), PaymentQrError> {
    if number.is_empty() {
        return Err(PaymentQrError::NoAccount);
    }
    if !number.bytes().all(|b| b.is_ascii_digit()) {
        return Err(PaymentQrError::AccountNotDigits(number.to_string()));
    }
    if number.len() > MAX_ACCOUNT_LEN {
        return Err(PaymentQrError::AccountTooLong { len: number.len(), max: MAX_ACCOUNT_LEN });
    }
    Ok(())
}

fn check_amount(amount: u64) -> Result<String, PaymentQrError> {
    let digits = amount.to_string();
    if amount == 0 {
        return Err(PaymentQrError::ZeroAmount);
    }
    if digits.len() > MAX_AMOUNT_DIGITS {
        return Err(PaymentQrError::AmountTooLarge(amount));
    }
    Ok(digits)
}

/// Checks a transfer note: printable ASCII, at most [`MAX_NOTE_LEN`] characters.
pub fn check_note(note: &str) -> Result<(), PaymentQrError> {
    if !note.chars().all(|c| c.is_ascii() && !c.is_ascii_control()) {
        return Err(PaymentQrError::NoteNotAscii(note.to_string()));
    }
    if note.len() > MAX_NOTE_LEN {
        return Err(PaymentQrError::NoteTooLong { len: note.len(), max: MAX_NOTE_LEN });
    }
    Ok(())
}

/// A VietQR code as read back from its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadCode {
    /// The bank's BIN (tag 38/01/00).
    pub bin: String,
    /// The account or card (tag 38/01/01 and the service code 38/02).
    pub beneficiary: Beneficiary,
    /// The amount in đồng (tag 54), with point of initiation `12`.
    pub amount: Option<u64>,
    /// The note (tag 62/08), empty when there is none.
    pub note: String,
}

/// Reads a VietQR transfer code: every length must fit, the fixed fields hold what NAPAS
/// puts there, the CRC is the last field and matches what comes before it.
pub fn read_payload(text: &str) -> Result<ReadCode, PaymentQrError> {
    let bad = |why: &str| PaymentQrError::Unreadable(why.to_string());
    let objects = tlv::read(text)?;
    let (Some(first), Some(last)) = (objects.first(), objects.last()) else { return Err(bad("mã trống")) };
    if first.tag != "00" || first.value != "01" {
        return Err(bad("không bắt đầu bằng 000201"));
    }
    if last.tag != "63" || last.value.len() != 4 {
        return Err(bad("không kết thúc bằng trường CRC 63"));
    }
    let covered = &text[..text.len() - 4];
    if crc_field(covered.as_bytes()) != last.value {
        return Err(PaymentQrError::Unreadable(format!(
            "CRC ghi {} nhưng tính ra {}",
            last.value,
            crc_field(covered.as_bytes())
        )));
    }
    let get = |tag: &str| objects.iter().find(|o| o.tag == tag).map(|o| o.value);
    if get("53") != Some("704") || get("58") != Some("VN") {
        return Err(bad("không phải chuyển khoản bằng đồng tại Việt Nam (53 704, 58 VN)"));
    }
    let merchant = tlv::read(get("38").ok_or_else(|| bad("thiếu trường 38"))?)?;
    let sub = |objects: &[tlv::DataObject<'_>], tag: &str| objects.iter().find(|o| o.tag == tag).map(|o| o.value.to_string());
    if sub(&merchant, "00").as_deref() != Some(NAPAS_GUID) {
        return Err(bad("trường 38/00 không phải A000000727 của NAPAS"));
    }
    let beneficiary = tlv::read(merchant.iter().find(|o| o.tag == "01").map(|o| o.value).ok_or_else(|| bad("thiếu trường 38/01"))?)?;
    let bin = sub(&beneficiary, "00").ok_or_else(|| bad("thiếu mã ngân hàng 38/01/00"))?;
    let number = sub(&beneficiary, "01").ok_or_else(|| bad("thiếu số tài khoản 38/01/01"))?;
    let beneficiary = match sub(&merchant, "02").as_deref() {
        Some("QRIBFTTA") => Beneficiary::Account(number),
        Some("QRIBFTTC") => Beneficiary::Card(number),
        _ => return Err(bad("mã dịch vụ 38/02 không phải QRIBFTTA hay QRIBFTTC")),
    };
    let amount = match get("54") {
        Some(a) => Some(a.parse::<u64>().map_err(|_| bad("số tiền 54 không phải số nguyên đồng"))?),
        None => None,
    };
    let dynamic = match get("01") {
        Some("12") => true,
        Some("11") | None => false,
        Some(_) => return Err(bad("trường 01 không phải 11 hay 12")),
    };
    if dynamic != amount.is_some() {
        return Err(bad("mã có số tiền phải là mã động (0102 12), mã không số tiền là mã tĩnh"));
    }
    let note = match get("62") {
        Some(additional) => sub(&tlv::read(additional)?, "08").unwrap_or_default(),
        None => String::new(),
    };
    Ok(ReadCode { bin, beneficiary, amount, note })
}
