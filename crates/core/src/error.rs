//! The one error type of the app. Each variant knows the Vietnamese sentence a shop owner
//! reads; the technical detail stays in the log.

use hoadon_rules::money::MoneyError;
use hoadon_rules::tax_code::TaxCodeError;
use hoadon_rules::vat::VatError;
use hoadon_rules::words::WordsError;
use hoadon_store::StoreError;
use serde::{Deserialize, Serialize};
use thiserror::Error;
use ts_rs::TS;

/// A refusal about one field of a form: `tax_code`, or `lines.2.quantity` for a sale line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FieldError {
    /// The field's name as the form sends it (`tax_code`, `lines.2.quantity`); the UI marks that box.
    pub field: String,
    /// Why, as a Vietnamese sentence for the person who typed it.
    pub message: String,
}

impl FieldError {
    /// The refusal of `field`, for `message`.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> FieldError {
        FieldError { field: field.into(), message: message.into() }
    }
}

/// Every way an action of the shop can fail, for the window, the CLI and the tests alike.
/// `Display` is the Vietnamese sentence (or its start); [`Error::user_message`] is what the
/// owner reads, [`Error::error_code`] what code branches on.
#[derive(Debug, Error)]
pub enum Error {
    /// What was typed cannot be saved; nothing was written.
    #[error("{message}")]
    Invalid {
        /// The one field's message, or a sentence counting the wrong fields.
        message: String,
        /// Each wrong field and why.
        fields: Vec<FieldError>,
    },
    /// No record with that id (a customer, a product, a sale, an invoice).
    #[error("không tìm thấy {what} số {id}")]
    NotFound {
        /// What was looked for, in Vietnamese (`khách hàng`, `đơn hàng`, `hóa đơn`…).
        what: &'static str,
        /// The id asked for.
        id: i64,
    },
    /// Another product already has this SKU; the UI marks the `sku` field.
    #[error("mã hàng (SKU) «{0}» đã được dùng cho sản phẩm khác")]
    DuplicateSku(String),
    /// The sale already has a live invoice: a second one is refused.
    #[error("đơn hàng này đã có hóa đơn đang hiệu lực")]
    SaleAlreadyInvoiced,
    /// The database was written by a newer version of the app; nothing was changed in it.
    #[error("dữ liệu được tạo bởi phiên bản mới hơn của ứng dụng; hãy cập nhật ứng dụng")]
    NewerDatabase,
    /// The database could not be read or written; the detail is in the log, the owner reads a
    /// general sentence (what was saved before is intact).
    #[error("không đọc/ghi được dữ liệu của cửa hàng")]
    Store(#[source] StoreError),
    /// A partner or dossier look-up gave no answer: `message` is the look-up's own Vietnamese
    /// sentence, `code` one of the `lookup_*` codes (see `partners/error.rs`).
    #[error("{message}")]
    Lookup {
        /// The `lookup_*` code of [`ErrorCode`] (`lookup_not_found`, `lookup_unreachable`…).
        code: &'static str,
        /// The look-up's own sentence.
        message: String,
    },
    /// A provider call failed; `unclear` when the provider may have done it anyway.
    #[error("{message}")]
    Provider {
        /// The sentence for the owner: the provider's refusal, or what the app makes of it.
        message: String,
        /// The outcome is unknown: the provider is asked by key before anything is sent again.
        unclear: bool,
    },
    /// The sale already has an issued invoice.
    #[error("đơn hàng này đã có hóa đơn {symbol} số {number}")]
    AlreadyIssued {
        /// The number of the invoice the sale already has.
        number: i64,
        /// Its symbol (ký hiệu), as printed.
        symbol: String,
    },
    /// The sale's invoice is being sent right now (by this window, another window or the CLI):
    /// wait for the outcome.
    #[error("hóa đơn của đơn hàng này đang được gửi; vui lòng đợi kết quả")]
    InvoiceBusy,
    /// The encrypted file of passwords could not be read or written (detail for the log).
    #[error("không đọc/ghi được tệp mật khẩu đã mã hóa ({0}); hãy nhập lại mật khẩu trong Cài đặt")]
    Secrets(String),
}

impl Error {
    /// [`Error::Invalid`] for these wrong fields: the message is the field's own when there is
    /// one, else a sentence counting them.
    pub fn invalid(fields: Vec<FieldError>) -> Error {
        let message = match fields.as_slice() {
            [only] => only.message.clone(),
            _ => format!("Có {} thông tin chưa hợp lệ, vui lòng kiểm tra các ô được đánh dấu.", fields.len()),
        };
        Error::Invalid { message, fields }
    }

    /// [`Error::Invalid`] for one wrong field.
    pub fn field(field: &str, message: impl Into<String>) -> Error {
        Error::invalid(vec![FieldError::new(field, message)])
    }

    /// A stable code the UI and scripts can branch on.
    pub fn code(&self) -> &'static str {
        self.error_code().code()
    }

    /// The same code, typed (`AppError.code`).
    pub fn error_code(&self) -> ErrorCode {
        match self {
            Error::Invalid { .. } => ErrorCode::Invalid,
            Error::NotFound { .. } => ErrorCode::NotFound,
            Error::DuplicateSku(_) => ErrorCode::DuplicateSku,
            Error::SaleAlreadyInvoiced => ErrorCode::SaleAlreadyInvoiced,
            Error::NewerDatabase => ErrorCode::NewerDatabase,
            Error::Store(_) => ErrorCode::Store,
            Error::Lookup { code, .. } => ErrorCode::from_code(code).unwrap_or(ErrorCode::LookupUnreachable),
            Error::Secrets(_) => ErrorCode::Secrets,
            Error::Provider { unclear: true, .. } => ErrorCode::ProviderUnclear,
            Error::Provider { unclear: false, .. } => ErrorCode::Provider,
            Error::AlreadyIssued { .. } => ErrorCode::AlreadyIssued,
            Error::InvoiceBusy => ErrorCode::InvoiceBusy,
        }
    }

    /// The sentence the shop owner reads: what happened, and what to do.
    pub fn user_message(&self) -> String {
        match self {
            Error::Secrets(_) => "Không đọc/ghi được tệp mật khẩu đã mã hóa; hãy nhập lại mật khẩu trong Cài đặt.".to_string(),
            Error::Store(_) => "Không đọc/ghi được dữ liệu của cửa hàng. Dữ liệu đã lưu trước đó vẫn còn nguyên; \
                                hãy thử lại, và xem nhật ký nếu lỗi lặp lại."
                .to_string(),
            other => capitalise(&other.to_string()),
        }
    }

    /// The error as the UI receives it: code, the owner's sentence, and the fields to mark
    /// (a duplicate SKU marks `sku`).
    pub fn to_app_error(&self) -> AppError {
        AppError {
            code: self.error_code(),
            message: self.user_message(),
            fields: match self {
                Error::Invalid { fields, .. } => fields.clone(),
                Error::DuplicateSku(_) => vec![FieldError::new("sku", self.user_message())],
                _ => Vec::new(),
            },
        }
    }
}

pub(crate) fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

impl From<StoreError> for Error {
    fn from(e: StoreError) -> Error {
        match e {
            StoreError::NotFound { what, id } => Error::NotFound { what: vietnamese_name(what), id },
            StoreError::DuplicateSku(sku) => Error::DuplicateSku(sku),
            StoreError::SaleAlreadyInvoiced => Error::SaleAlreadyInvoiced,
            StoreError::NewerSchema { .. } => Error::NewerDatabase,
            StoreError::EmptySale => Error::field("lines", "Đơn hàng cần ít nhất một dòng hàng."),
            StoreError::Money(m) => Error::field("lines", capitalise(&m.to_string())),
            other => {
                tracing::error!(error = %other, "store error");
                Error::Store(other)
            }
        }
    }
}

impl From<TaxCodeError> for Error {
    fn from(e: TaxCodeError) -> Error {
        Error::field("tax_code", capitalise(&e.to_string()))
    }
}

impl From<MoneyError> for Error {
    fn from(e: MoneyError) -> Error {
        Error::field("amount", capitalise(&e.to_string()))
    }
}

impl From<VatError> for Error {
    fn from(e: VatError) -> Error {
        Error::field("vat_rate", capitalise(&e.to_string()))
    }
}

impl From<WordsError> for Error {
    fn from(e: WordsError) -> Error {
        Error::field("total", capitalise(&e.to_string()))
    }
}

fn vietnamese_name(what: &str) -> &'static str {
    match what {
        "customer" => "khách hàng",
        "product" => "sản phẩm",
        "sale" => "đơn hàng",
        "invoice" => "hóa đơn",
        _ => "bản ghi",
    }
}

/// What kind of refusal an [`AppError`] is: the UI and scripts branch on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ErrorCode {
    /// What was typed cannot be saved; `fields` names each wrong field.
    Invalid,
    /// [`Error::NotFound`].
    NotFound,
    /// [`Error::DuplicateSku`]; `fields` holds `sku`.
    DuplicateSku,
    /// [`Error::SaleAlreadyInvoiced`].
    SaleAlreadyInvoiced,
    /// [`Error::NewerDatabase`]: the app must be updated.
    NewerDatabase,
    /// [`Error::Store`]: the database could not be read or written.
    Store,
    /// [`Error::Secrets`]: the passwords must be typed again in Cài đặt.
    Secrets,
    /// The provider refused.
    Provider,
    /// The provider may have done it anyway: it is asked again by key.
    ProviderUnclear,
    /// [`Error::AlreadyIssued`].
    AlreadyIssued,
    /// [`Error::InvoiceBusy`]: try again once the sending is over.
    InvoiceBusy,
    /// The source has no business under that tax code (an answer, not a failure).
    LookupNotFound,
    /// The registry has no such dossier.
    LookupDossierNotFound,
    /// The source is rate-limiting: try again later.
    LookupRateLimited,
    /// No source could be reached (also the code of an unknown `lookup_*` code).
    LookupUnreachable,
    /// The source refused the client id / secret or API key: check Cài đặt.
    LookupBadCredentials,
    /// The source answered something unreadable.
    LookupMalformed,
    /// Offline (or nothing reachable) and no stored answer for that code.
    LookupNotCached,
    /// No look-up source is configured.
    LookupNoSource,
    /// A dossier look-up needs the national registry (NBRS), which is not configured.
    LookupNoNbrs,
}

impl ErrorCode {
    const ALL: [ErrorCode; 20] = [
        ErrorCode::Invalid,
        ErrorCode::NotFound,
        ErrorCode::DuplicateSku,
        ErrorCode::SaleAlreadyInvoiced,
        ErrorCode::NewerDatabase,
        ErrorCode::Store,
        ErrorCode::Secrets,
        ErrorCode::Provider,
        ErrorCode::ProviderUnclear,
        ErrorCode::AlreadyIssued,
        ErrorCode::InvoiceBusy,
        ErrorCode::LookupNotFound,
        ErrorCode::LookupDossierNotFound,
        ErrorCode::LookupRateLimited,
        ErrorCode::LookupUnreachable,
        ErrorCode::LookupBadCredentials,
        ErrorCode::LookupMalformed,
        ErrorCode::LookupNotCached,
        ErrorCode::LookupNoSource,
        ErrorCode::LookupNoNbrs,
    ];

    /// The serialised code, e.g. `provider_unclear`.
    pub fn code(self) -> &'static str {
        match self {
            ErrorCode::Invalid => "invalid",
            ErrorCode::NotFound => "not_found",
            ErrorCode::DuplicateSku => "duplicate_sku",
            ErrorCode::SaleAlreadyInvoiced => "sale_already_invoiced",
            ErrorCode::NewerDatabase => "newer_database",
            ErrorCode::Store => "store",
            ErrorCode::Secrets => "secrets",
            ErrorCode::Provider => "provider",
            ErrorCode::ProviderUnclear => "provider_unclear",
            ErrorCode::AlreadyIssued => "already_issued",
            ErrorCode::InvoiceBusy => "invoice_busy",
            ErrorCode::LookupNotFound => "lookup_not_found",
            ErrorCode::LookupDossierNotFound => "lookup_dossier_not_found",
            ErrorCode::LookupRateLimited => "lookup_rate_limited",
            ErrorCode::LookupUnreachable => "lookup_unreachable",
            ErrorCode::LookupBadCredentials => "lookup_bad_credentials",
            ErrorCode::LookupMalformed => "lookup_malformed",
            ErrorCode::LookupNotCached => "lookup_not_cached",
            ErrorCode::LookupNoSource => "lookup_no_source",
            ErrorCode::LookupNoNbrs => "lookup_no_nbrs",
        }
    }

    /// The same as [`ErrorCode::code`].
    pub fn as_str(self) -> &'static str {
        self.code()
    }

    /// The code of a serialised string; `None` for an unknown one.
    pub fn from_code(code: &str) -> Option<ErrorCode> {
        ErrorCode::ALL.into_iter().find(|c| c.code() == code)
    }
}

impl PartialEq<&str> for ErrorCode {
    fn eq(&self, other: &&str) -> bool {
        self.code() == *other
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// How an [`Error`](enum@Error) reaches the UI: the rejected value of a Tauri command.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AppError {
    /// What kind of refusal, for code to branch on.
    pub code: ErrorCode,
    /// The sentence the owner reads: what happened and what to do.
    pub message: String,
    /// The form fields to mark, each with its message; empty for errors about no field.
    pub fields: Vec<FieldError>,
}

impl Serialize for Error {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_app_error().serialize(serializer)
    }
}

#[cfg(test)]
mod code_tests {
    use super::*;

    #[test]
    fn every_error_code_serialises_as_its_string() {
        for c in ErrorCode::ALL {
            assert_eq!(serde_json::to_value(c).unwrap(), c.code());
            assert_eq!(ErrorCode::from_code(c.code()), Some(c));
        }
        let e = Error::Provider { message: "x".into(), unclear: true };
        assert_eq!(serde_json::to_value(&e).unwrap()["code"], "provider_unclear");
    }
}
