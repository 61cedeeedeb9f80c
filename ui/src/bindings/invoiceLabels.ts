// Generated from Rust (hoadon-store, invoice_contract.rs) by `cargo test -p hoadon-store`. Do not edit.
import type { AdjustmentDirection } from "./AdjustmentDirection";
import type { EventKind } from "./EventKind";
import type { InvoiceActions } from "./InvoiceActions";
import type { InvoiceStatus } from "./InvoiceStatus";
import type { SaleStatus } from "./SaleStatus";

export const INVOICE_STATUS_LABELS: Record<InvoiceStatus, string> = {
  queued: "Chờ gửi",
  sending: "Đang gửi",
  draft: "Bản nháp",
  issued: "Đã phát hành",
  failed: "Bị từ chối",
  needs_reconcile: "Cần xử lý",
  cancelled: "Đã hủy",
  adjusted: "Đã điều chỉnh",
  replaced: "Đã thay thế",
  key_conflict: "Trùng mã",
};

export const EVENT_KIND_LABELS: Record<EventKind, string> = {
  created: "Tạo hóa đơn",
  sending: "Đang gửi",
  issued: "Đã phát hành",
  refused: "Bị từ chối",
  invalid: "Dữ liệu không hợp lệ",
  cancelling: "Yêu cầu hủy",
  unclear: "Không rõ kết quả",
  unreachable: "Không kết nối được nhà cung cấp",
  waiting: "Chờ kiểm tra lại",
  queued: "Chờ gửi",
  cancelled: "Đã hủy",
  reconciled: "Đã kiểm tra lại",
  replaced: "Đã bị thay thế",
  replaced_on_cancel: "Hủy bằng hóa đơn thay thế 0 đồng",
  adjusted: "Đã bị điều chỉnh",
  lookup_code: "Nhận mã tra cứu",
  reason: "Lý do",
  drafted: "Đã tạo hóa đơn nháp",
  draft_gone: "Nháp đã bị xóa ở nhà cung cấp",
  abandoned: "Bỏ, lập bản mới",
  key_conflict: "Trùng mã với hóa đơn khác",
  bound: "Gắn với tài khoản hóa đơn",
  other: "Sự kiện khác",
};

export const NO_INVOICE_LABEL = "Chưa xuất";

/** What a sale without any invoice allows. */
export const NO_INVOICE_ACTIONS: InvoiceActions = { issue: true, print: false, cancel: false, reconcile: false, reissue_with_new_key: false };

/** Rows that get "Thử lại" (`InvoiceStatus::needs_attention`). */
export const NEEDS_ATTENTION: ReadonlyArray<InvoiceStatus> = ["queued", "sending", "needs_reconcile"];

export type InvoiceFilter = { id: string; label: string; statuses: InvoiceStatus[] };

/** The chips of "Hóa đơn"; `statuses` empty lists all. */
export const INVOICE_FILTERS: ReadonlyArray<InvoiceFilter> = [
  { id: "all", label: "Tất cả", statuses: [] },
  { id: "issued", label: "Đã phát hành", statuses: ["issued"] },
  { id: "needs_reconcile", label: "Cần xử lý", statuses: ["needs_reconcile", "sending"] },
  { id: "queued", label: "Chờ gửi", statuses: ["queued"] },
  { id: "draft", label: "Chờ ký", statuses: ["draft"] },
  { id: "failed", label: "Bị từ chối", statuses: ["failed"] },
  { id: "cancelled", label: "Đã hủy", statuses: ["cancelled"] },
  { id: "key_conflict", label: "Trùng mã", statuses: ["key_conflict"] },
];

/** The sale statuses in the owner's words, in the order the form offers them. */
export const SALE_STATUSES: ReadonlyArray<{ value: SaleStatus; label: string }> = [
  { value: "completed", label: "Hoàn thành" },
  { value: "failed", label: "Thất bại, khách hủy" },
  { value: "pending", label: "Chờ xử lý" },
];

export const ADJUSTMENT_DIRECTIONS: ReadonlyArray<{ value: AdjustmentDirection; label: string }> = [
  { value: "increase", label: "Điều chỉnh tăng" },
  { value: "decrease", label: "Điều chỉnh giảm" },
];
