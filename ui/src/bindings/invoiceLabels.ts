// Generated from Rust (hoadon-store, invoice_contract.rs) by `cargo test -p hoadon-store`. Do not edit.
import type { EventKind } from "./EventKind";
import type { InvoiceActions } from "./InvoiceActions";
import type { InvoiceStatus } from "./InvoiceStatus";

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
