// Sale and invoice states in the shop owner's words.
import type { InvoiceStatus } from "../bindings/InvoiceStatus";
import type { SaleStatus } from "../bindings/SaleStatus";

export const SALE_STATUSES: ReadonlyArray<{ value: SaleStatus; label: string }> = [
  { value: "completed", label: "Hoàn thành" },
  { value: "failed", label: "Thất bại, khách hủy" },
  { value: "pending", label: "Chờ xử lý" },
];

export function saleStatusLabel(status: SaleStatus): string {
  return SALE_STATUSES.find((s) => s.value === status)?.label ?? status;
}

const INVOICE_STATUS_LABELS: Record<InvoiceStatus, string> = {
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

/** The invoice column of the sales list: "Chưa xuất" when the sale has none. */
export function invoiceStatusLabel(status: string | null): string {
  if (status === null || status === "") return "Chưa xuất";
  return INVOICE_STATUS_LABELS[status as InvoiceStatus] ?? status;
}
