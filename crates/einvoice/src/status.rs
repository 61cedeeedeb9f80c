//! What a provider answers about invoices, in one vocabulary for every provider.

use std::fmt;

use hoadon_rules::Dong;
use time::Date;

use crate::draft::InvoiceKey;

/// Which provider a client talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProviderKind {
    /// EasyInvoice (SoftDreams).
    EasyInvoice,
    /// VNPT Invoice.
    Vnpt,
    /// Viettel S-Invoice (SInvoice).
    Viettel,
}

impl fmt::Display for ProviderKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ProviderKind::EasyInvoice => "EasyInvoice",
            ProviderKind::Vnpt => "VNPT Invoice",
            ProviderKind::Viettel => "Viettel S-Invoice",
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
    /// Cancelled (code 5 at both providers); a cancelled invoice stays numbered.
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
    /// The key asked about.
    pub key: InvoiceKey,
    /// Where the invoice is in its life.
    pub status: InvoiceStatus,
    /// The template (mẫu số) the provider holds, when it says.
    pub pattern: Option<String>,
    /// The symbol (ký hiệu) the provider holds, when it says.
    pub serial: Option<String>,
    /// The invoice number; `None` until signed.
    pub number: Option<u64>,
    /// Mã tra cứu: what the buyer types on the provider's lookup page.
    pub lookup_code: Option<String>,
    /// The invoice date (ngày lập).
    pub arising_date: Option<Date>,
    /// The date it was signed / issued, when the provider gives it.
    pub issue_date: Option<Date>,
    /// The total to pay, in đồng, when the provider gives it.
    pub amount: Option<Dong>,
    /// VNPT only: whether the invoice is marked paid.
    pub paid: Option<bool>,
    /// The buyer's name as the provider holds it (VNPT `cusname`, EasyInvoice
    /// `CustomerName` or `Buyer`), to tell this sale's invoice from another's under one key.
    pub buyer: Option<String>,
    /// What the tax authority said of it, when the answer tells (EasyInvoice
    /// `TCTCheckStatus`; VNPT asks separately, `GetMCCQThueByFkeys`).
    pub tax_check: Option<TaxCheck>,
}

/// The tax authority's verdict on a signed invoice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TaxCheck {
    /// Not sent to the tax authority yet.
    NotSent,
    /// Sent; its answer is awaited (it can take minutes).
    Waiting,
    /// Accepted; `code` is the tax authority's code (mã CQT) when given.
    Accepted {
        /// Mã CQT; `None` for a symbol without code (`K…`) or when not given.
        code: Option<String>,
    },
    /// Refused, with the reason (and error code) it gave.
    Rejected {
        /// The tax authority's reason as the provider relays it; may be empty.
        reason: String,
    },
}

impl TaxCheck {
    /// What the invoice page shows.
    pub fn label(&self) -> String {
        match self {
            TaxCheck::NotSent => "Chưa gửi cơ quan thuế".into(),
            TaxCheck::Waiting => "Cơ quan thuế đang kiểm tra".into(),
            TaxCheck::Accepted { code: Some(c) } => format!("CQT đã cấp mã {c}"),
            TaxCheck::Accepted { code: None } => "CQT đã chấp nhận".into(),
            TaxCheck::Rejected { reason } if reason.trim().is_empty() => "CQT từ chối".into(),
            TaxCheck::Rejected { reason } => format!("CQT từ chối: {}", reason.trim()),
        }
    }
}

impl InvoiceState {
    /// The answer for a key the provider does not know.
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
            buyer: None,
            tax_check: None,
        }
    }
}

/// Where a provider's list of the invoices issued since a moment starts (after a restore,
/// to find those the restored shop lacks). Each provider reads what its list call takes:
/// EasyInvoice and Viettel the day, VNPT the numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedSince {
    /// The first day to list.
    pub from: Date,
    /// The last number the shop knew in each series at that moment; the list goes on from
    /// the next one.
    pub series: Vec<SeriesMark>,
}

/// The last invoice number a shop knew in one template and symbol.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeriesMark {
    /// The template (mẫu số) as the provider knows it.
    pub pattern: String,
    /// The symbol (ký hiệu).
    pub serial: String,
    /// The last number known; 0 when none.
    pub last_number: u64,
}

/// An invoice a provider's list shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListedInvoice {
    /// Listed under the key it was sent with (EasyInvoice's `Ikey`, VNPT's `fkey`).
    Keyed(InvoiceState),
    /// Listed under the provider's own id only: Viettel lists the transaction id, a hash
    /// of the key from which the key, and so the sale, cannot be worked back.
    Unkeyed(UnkeyedInvoice),
}

/// What a provider's list of the invoices issued since a moment showed, and the parts of it
/// the provider did not give: one series refused while the others answered, or a day with
/// more invoices than one answer carries. What was read is used; the gaps are told.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct IssuedList {
    /// The invoices listed.
    pub invoices: Vec<ListedInvoice>,
    /// Each part not read, said for the owner in Vietnamese (which symbol or day, and why).
    pub gaps: Vec<String>,
}

/// An invoice listed without the key it was sent with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnkeyedInvoice {
    /// The provider's id of it (Viettel's `transactionUuid`), to find it on the portal.
    pub reference: String,
    /// Where the invoice is in its life, when the list says it in a way known for sure:
    /// Viettel's list gives its state as numbers whose meanings no document states, so only
    /// a state text, or another listed row that replaces or adjusts this one, tells it.
    pub status: Option<InvoiceStatus>,
    /// The template (mẫu số).
    pub pattern: Option<String>,
    /// The symbol (ký hiệu).
    pub serial: Option<String>,
    /// The invoice number.
    pub number: Option<u64>,
    /// The day it was issued.
    pub issue_date: Option<Date>,
    /// The total to pay, in đồng.
    pub amount: Option<Dong>,
    /// The buyer's name.
    pub buyer: Option<String>,
}

impl ListedInvoice {
    /// The symbol and number, by which the listed invoice is matched to one the shop holds.
    pub fn symbol_and_number(&self) -> (Option<&str>, Option<u64>) {
        match self {
            ListedInvoice::Keyed(s) => (s.serial.as_deref(), s.number),
            ListedInvoice::Unkeyed(u) => (u.serial.as_deref(), u.number),
        }
    }
}

/// A signed, numbered invoice as the provider confirmed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issued {
    /// The key it was sent with.
    pub key: InvoiceKey,
    /// The template (mẫu số) it was issued with.
    pub pattern: String,
    /// The symbol (ký hiệu) it was issued with.
    pub serial: String,
    /// The number the provider gave it.
    pub number: u64,
    /// VNPT cash-register invoices: the tax-authority code the provider echoes back.
    pub tax_authority_code: Option<String>,
}

/// A template and symbol the account may issue with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternSerial {
    /// The template (mẫu số), as the provider names it (`1`, `1/001`).
    pub pattern: String,
    /// The symbol (ký hiệu), e.g. `C26TAA`.
    pub serial: String,
}

/// What "verify account" learnt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountInfo {
    /// The provider asked.
    pub provider: ProviderKind,
    /// The company name or tax code the provider reports, when it reports one.
    pub company: Option<String>,
    /// The seller's tax code, when the provider reports it.
    pub tax_code: Option<String>,
}

/// What signing drafts by key did, key by key: the provider signs what it can and says
/// which keys it did not find and which were signed already.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SignedDrafts {
    /// Signed by this call, with their numbers.
    pub issued: Vec<Issued>,
    /// No draft under these keys.
    pub not_found: Vec<InvoiceKey>,
    /// Signed before this call (perhaps by an earlier call whose answer was lost): ask by key.
    pub already_signed: Vec<InvoiceKey>,
}

/// What "cancel" did at the provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CancelOutcome {
    /// The invoice is cancelled.
    Cancelled,
    /// Decree 70/2025: the provider replaced the invoice by a 0-đồng invoice instead (an
    /// accepted invoice on a remote-signing EasyInvoice account); the original is now
    /// "replaced" and this is the new invoice.
    Replaced(Issued),
}
