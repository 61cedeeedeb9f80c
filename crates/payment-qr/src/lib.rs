//! VietQR payment codes: what a buyer scans with a bank app to pay the shop.
//!
//! A VietQR code is an EMVCo merchant-presented QR whose text is a chain of tag-length-value
//! fields (NAPAS 247 "QR switching" format): the shop's bank (its NAPAS BIN) and account in
//! tag 38, the amount in đồng, the transfer note, and a CRC-16 over the whole. This crate
//! builds that text for a sale ([`PaymentCode::new`]), reads one back ([`read_payload`], which
//! checks every length and the CRC: the tests feed it what an independent QR reader decoded
//! from the printed receipt), lists the banks ([`banks()`]) and turns the text into the QR's
//! modules ([`QrImage`]) for the window (SVG) and the PDF (drawn as squares).
//!
//! - [`mod@banks`]: the NAPAS BIN list, kept as data in `data/napas-banks.tsv`.
//! - [`payload`]: the fields of a VietQR transfer and their limits.
//! - [`tlv`]: the EMVCo tag-length-value writing and reading.
//! - [`crc`]: CRC-16/CCITT-FALSE, the check at the end of every code.
//! - [`image`]: the QR symbol of a payload.

pub mod banks;
pub mod crc;
pub mod image;
pub mod payload;
pub mod tlv;

pub use banks::{bank, banks, Bank};
pub use image::QrImage;
pub use payload::{read_payload, Beneficiary, PaymentCode, ReadCode, MAX_ACCOUNT_LEN, MAX_NOTE_LEN};

use thiserror::Error;

/// Why a payment code cannot be made or read. Each names the field of the settings or the
/// sale that is wrong ([`PaymentQrError::field`]) and says in Vietnamese what to do.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PaymentQrError {
    /// The BIN is not one of the banks that receive NAPAS 247 transfers.
    #[error("Mã ngân hàng «{0}» không có trong danh sách ngân hàng nhận chuyển khoản NAPAS 247: hãy chọn ngân hàng trong danh sách")]
    UnknownBank(String),
    /// The account (or card) number is empty.
    #[error("Chưa nhập số tài khoản nhận tiền")]
    NoAccount,
    /// The account (or card) number has something other than digits.
    #[error("Số tài khoản chỉ gồm chữ số (0–9), không có khoảng trắng, dấu chấm hay chữ: «{0}»")]
    AccountNotDigits(String),
    /// The account number is longer than the code's field takes.
    #[error("Số tài khoản dài {len} chữ số, mã VietQR chỉ nhận tối đa {max} chữ số")]
    AccountTooLong {
        /// How many characters were given.
        len: usize,
        /// The most the field takes.
        max: usize,
    },
    /// The amount is zero: a code with an amount is for a sale that costs something.
    #[error("Số tiền cần thanh toán phải lớn hơn 0 đồng")]
    ZeroAmount,
    /// The amount has more digits than the code's field takes.
    #[error("Số tiền {0} đồng quá lớn cho mã VietQR (tối đa 13 chữ số)")]
    AmountTooLarge(u64),
    /// The note has letters that bank apps do not carry.
    #[error("Nội dung chuyển khoản chỉ được dùng chữ không dấu, chữ số, khoảng trắng và dấu câu thường: «{0}» có ký tự khác. Ngân hàng chuyển nội dung dưới dạng ASCII và làm mất hoặc hỏng chữ có dấu, nên ứng dụng từ chối thay vì tự sửa")]
    NoteNotAscii(String),
    /// The note is longer than the code's field takes.
    #[error("Nội dung chuyển khoản dài {len} ký tự, mã VietQR chỉ nhận tối đa {max} ký tự")]
    NoteTooLong {
        /// How many characters were given.
        len: usize,
        /// The most the field takes.
        max: usize,
    },
    /// The text read is not a well-formed VietQR code (a length runs past the end, a field
    /// is missing or holds what VietQR does not put there, the CRC differs).
    #[error("Mã không phải mã VietQR hợp lệ: {0}")]
    Unreadable(String),
    /// The QR symbol could not be made (text too long for any QR version).
    #[error("Không tạo được ảnh mã QR: {0}")]
    Image(String),
}

impl PaymentQrError {
    /// The field of the form to correct: `bank_bin`, `account_number`, `amount`, `note`, or
    /// `payload` for a code that was read.
    pub fn field(&self) -> &'static str {
        match self {
            PaymentQrError::UnknownBank(_) => "bank_bin",
            PaymentQrError::NoAccount | PaymentQrError::AccountNotDigits(_) | PaymentQrError::AccountTooLong { .. } => {
                "account_number"
            }
            PaymentQrError::ZeroAmount | PaymentQrError::AmountTooLarge(_) => "amount",
            PaymentQrError::NoteNotAscii(_) | PaymentQrError::NoteTooLong { .. } => "note",
            PaymentQrError::Unreadable(_) | PaymentQrError::Image(_) => "payload",
        }
    }
}
