//! The words and choices of an invoice the window shows, typed: the kinds of the event log,
//! what an invoice is to the one it names, the owner's words for each status, and what each
//! status lets the owner do. The UI reads them from the generated bindings
//! (`ui/src/bindings/`, the labels in `invoiceLabels.ts`); the CLI prints the same words.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{AdjustmentDirection, InvoiceStatus};

/// One step of an invoice's event log (`invoice_events.kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum EventKind {
    /// The row was written, before anything was sent (detail: the key).
    Created,
    /// A request to issue (or to replace, adjust) went out.
    Sending,
    /// The provider confirmed the invoice issued: number, codes.
    Issued,
    /// The provider refused it for a reason a person must fix (the row is then `failed`).
    Refused,
    /// The app could not build the invoice from the sale (the row is then `failed`).
    Invalid,
    /// A cancellation was asked for (detail: the reason typed).
    Cancelling,
    /// The outcome of a request is unknown: the provider must be asked by key before resending.
    Unclear,
    /// The provider could not be reached while settling an unclear outcome.
    Unreachable,
    /// Sent several times without a confirmation: left to be checked again before any resend.
    Waiting,
    /// The provider was unreachable: the row waits to be sent.
    Queued,
    /// The provider cancelled the invoice.
    Cancelled,
    /// The provider was asked by key what became of the invoice (detail: its answer).
    Reconciled,
    /// A replacement of this invoice was issued.
    Replaced,
    /// Asked to cancel, the provider issued a 0-đồng replacement instead (Decree 70/2025).
    ReplacedOnCancel,
    /// An adjusting invoice of this one was issued.
    Adjusted,
    /// The provider gave the look-up code (mã tra cứu) after the invoice was issued.
    LookupCode,
    /// The reason of an adjustment of amounts, as typed.
    Reason,
    /// The provider holds the invoice unsigned, waiting for the owner's signature.
    Drafted,
    /// The unsigned draft was deleted at the provider (the row is then `failed`).
    DraftGone,
    /// The row was set aside (cancelled here, never an invoice) and the sale goes out under a new key.
    Abandoned,
    /// "Trùng mã": the provider holds another invoice under the row's key.
    KeyConflict,
    /// A row written before rows carried their account was bound to the account configured then.
    Bound,
    /// A kind this version does not know (written by a newer one).
    Other,
}

impl EventKind {
    /// Every kind, in the order of the enum: for the generated labels and for reading codes back.
    pub const ALL: [EventKind; 23] = [
        EventKind::Created,
        EventKind::Sending,
        EventKind::Issued,
        EventKind::Refused,
        EventKind::Invalid,
        EventKind::Cancelling,
        EventKind::Unclear,
        EventKind::Unreachable,
        EventKind::Waiting,
        EventKind::Queued,
        EventKind::Cancelled,
        EventKind::Reconciled,
        EventKind::Replaced,
        EventKind::ReplacedOnCancel,
        EventKind::Adjusted,
        EventKind::LookupCode,
        EventKind::Reason,
        EventKind::Drafted,
        EventKind::DraftGone,
        EventKind::Abandoned,
        EventKind::KeyConflict,
        EventKind::Bound,
        EventKind::Other,
    ];

    /// The stored (and serialised) code.
    pub fn code(self) -> &'static str {
        match self {
            EventKind::Created => "created",
            EventKind::Sending => "sending",
            EventKind::Issued => "issued",
            EventKind::Refused => "refused",
            EventKind::Invalid => "invalid",
            EventKind::Cancelling => "cancelling",
            EventKind::Unclear => "unclear",
            EventKind::Unreachable => "unreachable",
            EventKind::Waiting => "waiting",
            EventKind::Queued => "queued",
            EventKind::Cancelled => "cancelled",
            EventKind::Reconciled => "reconciled",
            EventKind::Replaced => "replaced",
            EventKind::ReplacedOnCancel => "replaced_on_cancel",
            EventKind::Adjusted => "adjusted",
            EventKind::LookupCode => "lookup_code",
            EventKind::Reason => "reason",
            EventKind::Drafted => "drafted",
            EventKind::DraftGone => "draft_gone",
            EventKind::Abandoned => "abandoned",
            EventKind::KeyConflict => "key_conflict",
            EventKind::Bound => "bound",
            EventKind::Other => "other",
        }
    }

    /// The same as [`EventKind::code`].
    pub fn as_str(self) -> &'static str {
        self.code()
    }

    /// A stored code; one this version does not know is [`EventKind::Other`].
    pub fn from_code(code: &str) -> EventKind {
        EventKind::ALL.into_iter().find(|k| k.code() == code).unwrap_or(EventKind::Other)
    }

    /// How the event is named in the invoice's log.
    pub fn label(self) -> &'static str {
        match self {
            EventKind::Created => "Tạo hóa đơn",
            EventKind::Sending => "Đang gửi",
            EventKind::Issued => "Đã phát hành",
            EventKind::Refused => "Bị từ chối",
            EventKind::Invalid => "Dữ liệu không hợp lệ",
            EventKind::Cancelling => "Yêu cầu hủy",
            EventKind::Unclear => "Không rõ kết quả",
            EventKind::Unreachable => "Không kết nối được nhà cung cấp",
            EventKind::Waiting => "Chờ kiểm tra lại",
            EventKind::Queued => "Chờ gửi",
            EventKind::Cancelled => "Đã hủy",
            EventKind::Reconciled => "Đã kiểm tra lại",
            EventKind::Replaced => "Đã bị thay thế",
            EventKind::ReplacedOnCancel => "Hủy bằng hóa đơn thay thế 0 đồng",
            EventKind::Adjusted => "Đã bị điều chỉnh",
            EventKind::LookupCode => "Nhận mã tra cứu",
            EventKind::Reason => "Lý do",
            EventKind::Drafted => "Đã tạo hóa đơn nháp",
            EventKind::DraftGone => "Nháp đã bị xóa ở nhà cung cấp",
            EventKind::Abandoned => "Bỏ, lập bản mới",
            EventKind::KeyConflict => "Trùng mã với hóa đơn khác",
            EventKind::Bound => "Gắn với tài khoản hóa đơn",
            EventKind::Other => "Sự kiện khác",
        }
    }
}

impl PartialEq<&str> for EventKind {
    fn eq(&self, other: &&str) -> bool {
        self.code() == *other
    }
}

impl std::fmt::Display for EventKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.code())
    }
}

impl PartialEq<&str> for Relation {
    fn eq(&self, other: &&str) -> bool {
        self.code() == *other
    }
}

/// What an invoice is to the one it names (`replaces_id`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Relation {
    /// The sale's own invoice.
    Original,
    /// "Hóa đơn thay thế".
    Replace,
    /// "Hóa đơn điều chỉnh" (of information, or of amounts with an adjustment).
    Adjust,
}

impl Relation {
    /// The stored (and serialised) code: `original`, `replace` or `adjust`.
    pub fn code(self) -> &'static str {
        match self {
            Relation::Original => "original",
            Relation::Replace => "replace",
            Relation::Adjust => "adjust",
        }
    }

    /// A stored code; `None` for any other text.
    pub fn from_code(code: &str) -> Option<Relation> {
        [Relation::Original, Relation::Replace, Relation::Adjust].into_iter().find(|r| r.code() == code)
    }

    /// What an invoice is to the one it changes ("Hóa đơn điều chỉnh giảm"); `None` for an
    /// original. `adjustment`: the direction of an adjustment of amounts.
    pub fn label(self, adjustment: Option<AdjustmentDirection>) -> Option<&'static str> {
        match (self, adjustment) {
            (Relation::Original, _) => None,
            (Relation::Replace, _) => Some("Hóa đơn thay thế"),
            (Relation::Adjust, Some(AdjustmentDirection::Increase)) => Some("Hóa đơn điều chỉnh tăng"),
            (Relation::Adjust, Some(AdjustmentDirection::Decrease)) => Some("Hóa đơn điều chỉnh giảm"),
            (Relation::Adjust, None) => Some("Hóa đơn điều chỉnh thông tin"),
        }
    }
}

impl InvoiceStatus {
    /// Every status, in the order of the enum: for the generated labels.
    pub const ALL: [InvoiceStatus; 10] = [
        InvoiceStatus::Queued,
        InvoiceStatus::Sending,
        InvoiceStatus::Draft,
        InvoiceStatus::Issued,
        InvoiceStatus::Failed,
        InvoiceStatus::NeedsReconcile,
        InvoiceStatus::Cancelled,
        InvoiceStatus::Adjusted,
        InvoiceStatus::Replaced,
        InvoiceStatus::KeyConflict,
    ];

    /// The status in the shop owner's words (the window's badge, the CLI's lists).
    pub fn label(self) -> &'static str {
        match self {
            InvoiceStatus::Queued => "Chờ gửi",
            InvoiceStatus::Sending => "Đang gửi",
            InvoiceStatus::Draft => "Bản nháp",
            InvoiceStatus::Issued => "Đã phát hành",
            InvoiceStatus::Failed => "Bị từ chối",
            InvoiceStatus::NeedsReconcile => "Cần xử lý",
            InvoiceStatus::Cancelled => "Đã hủy",
            InvoiceStatus::Adjusted => "Đã điều chỉnh",
            InvoiceStatus::Replaced => "Đã thay thế",
            InvoiceStatus::KeyConflict => "Trùng mã",
        }
    }
}

impl InvoiceStatus {
    /// A row the owner should look at: its outcome is unclear, it is stuck in sending, or it
    /// waits to be sent. Such rows get "Thử lại" in "Hóa đơn" ("Cần xử lý" gets "Gửi lại tất cả").
    pub fn needs_attention(self) -> bool {
        matches!(self, InvoiceStatus::NeedsReconcile | InvoiceStatus::Sending | InvoiceStatus::Queued)
    }
}

/// One chip of the "Hóa đơn" screen: the invoices of some statuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvoiceFilter {
    /// Its name in the window (`data-testid="invoices-filter-<id>"`).
    pub id: &'static str,
    /// The chip's words.
    pub label: &'static str,
    /// The statuses listed; empty lists all.
    pub statuses: &'static [InvoiceStatus],
}

/// The chips of "Hóa đơn", in order.
pub const INVOICE_FILTERS: [InvoiceFilter; 8] = [
    InvoiceFilter { id: "all", label: "Tất cả", statuses: &[] },
    InvoiceFilter { id: "issued", label: "Đã phát hành", statuses: &[InvoiceStatus::Issued] },
    // A row stuck in sending (the app stopped mid-send) needs the same look as an unclear one.
    InvoiceFilter { id: "needs_reconcile", label: "Cần xử lý", statuses: &[InvoiceStatus::NeedsReconcile, InvoiceStatus::Sending] },
    InvoiceFilter { id: "queued", label: "Chờ gửi", statuses: &[InvoiceStatus::Queued] },
    // A draft waits for the owner's signature at the provider: "Chờ ký" says what to do.
    InvoiceFilter { id: "draft", label: "Chờ ký", statuses: &[InvoiceStatus::Draft] },
    InvoiceFilter { id: "failed", label: "Bị từ chối", statuses: &[InvoiceStatus::Failed] },
    InvoiceFilter { id: "cancelled", label: "Đã hủy", statuses: &[InvoiceStatus::Cancelled] },
    InvoiceFilter { id: "key_conflict", label: "Trùng mã", statuses: &[InvoiceStatus::KeyConflict] },
];

/// The words for a sale without invoice (the sales list's invoice column).
pub const NO_INVOICE_LABEL: &str = "Chưa xuất";

/// What the owner may do with a sale's latest invoice, by its status (and account).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct InvoiceActions {
    /// "Xuất hóa đơn": no live invoice, or one that can be sent (again).
    pub issue: bool,
    /// "In hóa đơn" / "Lưu PDF" of the provider's (legal) PDF; "Thay thế", "Điều chỉnh".
    pub print: bool,
    /// "Hủy hóa đơn" (and the changes of an issued invoice).
    pub cancel: bool,
    /// "Kiểm tra lại": ask the provider what became of it.
    pub reconcile: bool,
    /// "Xuất lại với mã mới": a "Trùng mã" invoice of the account configured now.
    pub reissue_with_new_key: bool,
}

impl InvoiceActions {
    /// A sale without any invoice: it may be issued.
    pub const NONE_YET: InvoiceActions = InvoiceActions { issue: true, print: false, cancel: false, reconcile: false, reissue_with_new_key: false };

    /// What `status` allows; `other_account`: the row is bound to another account than the
    /// one configured now.
    pub fn of(status: InvoiceStatus, other_account: bool) -> InvoiceActions {
        let none = InvoiceActions::default();
        match status {
            InvoiceStatus::Cancelled | InvoiceStatus::Replaced | InvoiceStatus::Adjusted | InvoiceStatus::Failed => {
                InvoiceActions::NONE_YET
            }
            InvoiceStatus::Issued => InvoiceActions { print: true, cancel: true, ..none },
            // Unsigned at the provider: "Kiểm tra lại" learns whether the owner signed it (or,
            // when the provider signs now, has it signed); importing it again is never offered.
            InvoiceStatus::Draft | InvoiceStatus::Sending | InvoiceStatus::NeedsReconcile => InvoiceActions { reconcile: true, ..none },
            InvoiceStatus::Queued => InvoiceActions { issue: true, reconcile: true, ..none },
            // The provider holds another sale's invoice under the key: nothing is sent under it
            // again; the way out is a new key.
            InvoiceStatus::KeyConflict => InvoiceActions { reissue_with_new_key: !other_account, ..none },
        }
    }
}

/// The TypeScript of the labels, for `ui/src/bindings/invoiceLabels.ts`.
pub fn labels_typescript() -> String {
    let mut ts = String::from(
        "// Generated from Rust (hoadon-store, invoice_contract.rs) by `cargo test -p hoadon-store`. Do not edit.\n\
         import type { AdjustmentDirection } from \"./AdjustmentDirection\";\n\
         import type { EventKind } from \"./EventKind\";\n\
         import type { InvoiceActions } from \"./InvoiceActions\";\n\
         import type { InvoiceStatus } from \"./InvoiceStatus\";\n\
         import type { SaleStatus } from \"./SaleStatus\";\n\n",
    );
    ts.push_str("export const INVOICE_STATUS_LABELS: Record<InvoiceStatus, string> = {\n");
    for s in InvoiceStatus::ALL {
        ts.push_str(&format!("  {}: {:?},\n", s.code(), s.label()));
    }
    ts.push_str("};\n\nexport const EVENT_KIND_LABELS: Record<EventKind, string> = {\n");
    for k in EventKind::ALL {
        ts.push_str(&format!("  {}: {:?},\n", k.code(), k.label()));
    }
    let a = InvoiceActions::NONE_YET;
    ts.push_str(&format!(
        "}};\n\nexport const NO_INVOICE_LABEL = {:?};\n\n/** What a sale without any invoice allows. */\nexport const NO_INVOICE_ACTIONS: InvoiceActions = {{ issue: {}, print: {}, cancel: {}, reconcile: {}, reissue_with_new_key: {} }};\n",
        NO_INVOICE_LABEL, a.issue, a.print, a.cancel, a.reconcile, a.reissue_with_new_key
    ));
    let quoted = |statuses: &[InvoiceStatus]| statuses.iter().map(|s| format!("{:?}", s.code())).collect::<Vec<_>>().join(", ");
    let attention: Vec<InvoiceStatus> = InvoiceStatus::ALL.into_iter().filter(|s| s.needs_attention()).collect();
    ts.push_str(&format!(
        "\n/** Rows that get \"Thử lại\" (`InvoiceStatus::needs_attention`). */\nexport const NEEDS_ATTENTION: ReadonlyArray<InvoiceStatus> = [{}];\n",
        quoted(&attention)
    ));
    ts.push_str("\nexport type InvoiceFilter = { id: string; label: string; statuses: InvoiceStatus[] };\n\n/** The chips of \"Hóa đơn\"; `statuses` empty lists all. */\nexport const INVOICE_FILTERS: ReadonlyArray<InvoiceFilter> = [\n");
    for f in INVOICE_FILTERS {
        ts.push_str(&format!("  {{ id: {:?}, label: {:?}, statuses: [{}] }},\n", f.id, f.label, quoted(f.statuses)));
    }
    ts.push_str("];\n\n/** The sale statuses in the owner's words, in the order the form offers them. */\nexport const SALE_STATUSES: ReadonlyArray<{ value: SaleStatus; label: string }> = [\n");
    for st in crate::SaleStatus::ALL {
        ts.push_str(&format!("  {{ value: {:?}, label: {:?} }},\n", st.code(), st.label()));
    }
    ts.push_str("];\n\nexport const ADJUSTMENT_DIRECTIONS: ReadonlyArray<{ value: AdjustmentDirection; label: string }> = [\n");
    for d in AdjustmentDirection::ALL {
        ts.push_str(&format!("  {{ value: {:?}, label: {:?} }},\n", d.code(), d.label()));
    }
    ts.push_str("];\n");
    ts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_event_kind_reads_back_from_its_code() {
        for k in EventKind::ALL {
            assert_eq!(EventKind::from_code(k.code()), k);
            assert_eq!(serde_json::to_value(k).unwrap(), k.code());
        }
        assert_eq!(EventKind::from_code("made_up"), EventKind::Other);
        for r in [Relation::Original, Relation::Replace, Relation::Adjust] {
            assert_eq!(serde_json::to_value(r).unwrap(), r.code());
        }
    }

    #[test]
    fn what_each_status_allows() {
        let of = |s| InvoiceActions::of(s, false);
        assert_eq!(InvoiceActions::NONE_YET, InvoiceActions { issue: true, ..Default::default() });
        assert!(of(InvoiceStatus::Cancelled).issue && of(InvoiceStatus::Failed).issue);
        assert_eq!(of(InvoiceStatus::Issued), InvoiceActions { print: true, cancel: true, ..Default::default() });
        assert_eq!(of(InvoiceStatus::NeedsReconcile), InvoiceActions { reconcile: true, ..Default::default() });
        assert!(!of(InvoiceStatus::Sending).issue);
        assert_eq!(of(InvoiceStatus::Draft), InvoiceActions { reconcile: true, ..Default::default() });
        assert_eq!(of(InvoiceStatus::Queued), InvoiceActions { issue: true, reconcile: true, ..Default::default() });
        assert_eq!(of(InvoiceStatus::KeyConflict), InvoiceActions { reissue_with_new_key: true, ..Default::default() });
        assert!(!InvoiceActions::of(InvoiceStatus::KeyConflict, true).reissue_with_new_key);
    }

    #[test]
    fn names_what_an_invoice_does_to_the_one_it_changes() {
        assert_eq!(Relation::Original.label(None), None);
        assert_eq!(Relation::Replace.label(None), Some("Hóa đơn thay thế"));
        assert_eq!(Relation::Adjust.label(None), Some("Hóa đơn điều chỉnh thông tin"));
        assert_eq!(Relation::Adjust.label(Some(AdjustmentDirection::Increase)), Some("Hóa đơn điều chỉnh tăng"));
        assert_eq!(Relation::Adjust.label(Some(AdjustmentDirection::Decrease)), Some("Hóa đơn điều chỉnh giảm"));
    }

    #[test]
    fn the_invoice_screen_chips_and_the_rows_to_retry() {
        let labels: Vec<&str> = INVOICE_FILTERS.iter().map(|f| f.label).collect();
        assert_eq!(labels, ["Tất cả", "Đã phát hành", "Cần xử lý", "Chờ gửi", "Chờ ký", "Bị từ chối", "Đã hủy", "Trùng mã"]);
        assert!(INVOICE_FILTERS[0].statuses.is_empty(), "the first chip lists all");
        // Every status but the settled ones (adjusted, replaced) has a chip of its own or shares one.
        for s in InvoiceStatus::ALL {
            let listed = INVOICE_FILTERS[1..].iter().any(|f| f.statuses.contains(&s));
            assert_eq!(listed, !matches!(s, InvoiceStatus::Adjusted | InvoiceStatus::Replaced), "{s:?}");
        }
        assert!(InvoiceStatus::NeedsReconcile.needs_attention() && InvoiceStatus::Queued.needs_attention());
        assert!(!InvoiceStatus::Issued.needs_attention() && !InvoiceStatus::Draft.needs_attention());
        assert_eq!(crate::SaleStatus::Failed.label(), "Thất bại, khách hủy");
        assert_eq!(AdjustmentDirection::Decrease.label(), "Điều chỉnh giảm");
    }

    #[test]
    fn status_labels_in_the_owners_words() {
        assert_eq!(InvoiceStatus::KeyConflict.label(), "Trùng mã");
        assert_eq!(InvoiceStatus::Draft.label(), "Bản nháp");
        assert_eq!(EventKind::Reason.label(), "Lý do");
    }

    /// Writes the labels beside the ts-rs bindings (`TS_RS_EXPORT_DIR`).
    #[test]
    fn export_bindings_invoice_labels() {
        let Ok(dir) = std::env::var("TS_RS_EXPORT_DIR") else { return };
        let path = std::path::Path::new(&dir).join("invoiceLabels.ts");
        let ts = labels_typescript();
        if std::fs::read_to_string(&path).ok().as_deref() != Some(ts.as_str()) {
            std::fs::write(&path, ts).unwrap();
        }
    }
}
