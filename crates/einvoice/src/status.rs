//! What a provider answers about invoices, in one vocabulary for both providers.

use std::fmt;

use hoadon_rules::Dong;
use time::Date;

use crate::draft::InvoiceKey;

/// Which provider a client talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProviderKind {
    EasyInvoice,
    Vnpt,
}

impl fmt::Display for ProviderKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ProviderKind::EasyInvoice => "EasyInvoice",
            ProviderKind::Vnpt => "VNPT Invoice",
        })
    }
}

/// The life of an invoice at the provider.
///
/// EasyInvoice reports `InvoiceStatus` −1…6 exactly these; VNPT reports 0…5 (0 created,
/// 1 signed, 2 declared to tax, 3 replaced, 4 adjusted, 5 cancelled) and has no "approved".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InvoiceStatus {
    /// The provider has no invoice with this key: it is safe to send it (again).
    NotFound,
    /// Imported but not signed (a draft): it has no number yet and may still be updated.
    Unsigned,
    /// Signed and numbered: it exists legally, never send the same sale again.
    Signed,
    /// Sent to the tax authority, waiting for its answer.
    SentToTax,
    /// Replaced by another invoice.
    Replaced,
    /// Adjusted by another invoice.
    Adjusted,
    Cancelled,
    /// Approved by the tax authority (it gave the invoice its code).
    Approved,
}

impl InvoiceStatus {
    /// From EasyInvoice's `InvoiceStatus`.
    pub fn from_easyinvoice(code: i64) -> Option<InvoiceStatus> {
        Some(match code {
            -1 => InvoiceStatus::NotFound,
            0 => InvoiceStatus::Unsigned,
            1 => InvoiceStatus::Signed,
            2 => InvoiceStatus::SentToTax,
            3 => InvoiceStatus::Replaced,
            4 => InvoiceStatus::Adjusted,
            5 => InvoiceStatus::Cancelled,
            6 => InvoiceStatus::Approved,
            _ => return None,
        })
    }

    /// From VNPT's `<status>`.
    pub fn from_vnpt(code: i64) -> Option<InvoiceStatus> {
        Some(match code {
            0 => InvoiceStatus::Unsigned,
            1 => InvoiceStatus::Signed,
            2 => InvoiceStatus::SentToTax,
            3 => InvoiceStatus::Replaced,
            4 => InvoiceStatus::Adjusted,
            5 => InvoiceStatus::Cancelled,
            _ => return None,
        })
    }

    /// Whether an invoice with this status exists with a number, so the sale must not be
    /// sent again under any key.
    pub fn is_issued(self) -> bool {
        !matches!(self, InvoiceStatus::NotFound | InvoiceStatus::Unsigned)
    }

    /// Vietnamese label for the shop owner.
    pub fn label(self) -> &'static str {
        match self {
            InvoiceStatus::NotFound => "Chưa có trên hệ thống hóa đơn",
            InvoiceStatus::Unsigned => "Đã tạo, chưa ký",
            InvoiceStatus::Signed => "Đã ký, đã phát hành",
            InvoiceStatus::SentToTax => "Đã gửi cơ quan thuế",
            InvoiceStatus::Replaced => "Đã bị thay thế",
            InvoiceStatus::Adjusted => "Đã bị điều chỉnh",
            InvoiceStatus::Cancelled => "Đã hủy",
            InvoiceStatus::Approved => "Cơ quan thuế đã cấp mã",
        }
    }
}

/// A provider's answer about one key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceState {
    pub key: InvoiceKey,
    pub status: InvoiceStatus,
    pub pattern: Option<String>,
    pub serial: Option<String>,
    pub number: Option<u64>,
    /// Mã tra cứu: what the buyer types on the provider's lookup page.
    pub lookup_code: Option<String>,
    /// The invoice date (ngày lập).
    pub arising_date: Option<Date>,
    /// The date it was signed / issued, when the provider gives it.
    pub issue_date: Option<Date>,
    pub amount: Option<Dong>,
    /// VNPT only: whether the invoice is marked paid.
    pub paid: Option<bool>,
}

impl InvoiceState {
    pub fn not_found(key: InvoiceKey) -> InvoiceState {
        InvoiceState {
            key,
            status: InvoiceStatus::NotFound,
            pattern: None,
            serial: None,
            number: None,
            lookup_code: None,
            arising_date: None,
            issue_date: None,
            amount: None,
            paid: None,
        }
    }
}

/// A signed, numbered invoice as the provider confirmed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issued {
    pub key: InvoiceKey,
    pub pattern: String,
    pub serial: String,
    pub number: u64,
    /// VNPT cash-register invoices: the tax-authority code the provider echoes back.
    pub tax_authority_code: Option<String>,
}

/// A template and symbol the account may issue with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternSerial {
    pub pattern: String,
    pub serial: String,
}

/// What "verify account" learnt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountInfo {
    pub provider: ProviderKind,
    /// The company name or tax code the provider reports, when it reports one.
    pub company: Option<String>,
    pub tax_code: Option<String>,
}
