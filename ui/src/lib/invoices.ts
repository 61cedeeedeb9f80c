// The e-invoice part of the window, as wording: the filter chips of "Hóa đơn", what to say
// after a refused "Xuất hóa đơn". What each invoice allows (`actions`), its PDF's name
// (`pdf_name`) and the words for statuses and events come from Rust with the invoice.
import type { AdjustmentDirection } from "../bindings/AdjustmentDirection";
import type { AppError } from "./app-error";
import type { EventKind } from "../bindings/EventKind";
import { EVENT_KIND_LABELS } from "../bindings/invoiceLabels";
import type { InvoiceRecord } from "../bindings/InvoiceRecord";
import type { InvoiceStatus } from "../bindings/InvoiceStatus";
import type { Signing } from "../bindings/Signing";

/** What the owner confirms before "Xuất lại với mã mới". */
export const REISSUE_CONFIRMATION =
  "Nhà cung cấp đang giữ theo mã cũ một hóa đơn khác, không phải của đơn hàng này. Hãy kiểm tra hóa đơn đó trên phần mềm của nhà cung cấp (nó thuộc đơn hàng khác và được để nguyên). Xuất hóa đơn của đơn hàng này theo mã mới?";

/** Shown beside an invoice bound to another invoice account than the one configured. */
export const OTHER_ACCOUNT_LABEL = "gửi ở tài khoản cũ";

/**
 * The symbol printed on the invoice: the template digit + series, e.g. "1C26TAA", also for a
 * VNPT pattern such as "1/001", whose digit comes before the "/".
 */
export function invoiceSymbol(invoice: Pick<InvoiceRecord, "template" | "symbol">): string {
  return `${invoice.template.split("/")[0]}${invoice.symbol}`;
}

export type InvoiceFilter = { id: string; label: string; statuses: InvoiceStatus[] };

/** The chips of the "Hóa đơn" screen; `statuses` empty means all. */
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

/** Rows of the "Cần xử lý" view get "Thử lại"; the view gets "Gửi lại tất cả". */
export function needsAttention(status: InvoiceStatus): boolean {
  return status === "needs_reconcile" || status === "sending" || status === "queued";
}

/** The sentence shown when "Xuất hóa đơn" is refused, by the error's code. */
export function issueErrorMessage(error: AppError): string {
  switch (error.code) {
    case "provider_unclear":
      return `${error.message} Ứng dụng sẽ tự kiểm tra lại với nhà cung cấp; hóa đơn đang ở mục «Cần xử lý» của màn hình Hóa đơn.`;
    case "invoice_busy":
      return error.message || "Hóa đơn của đơn hàng này đang được gửi. Vui lòng đợi trong giây lát.";
    default:
      return error.message;
  }
}

/** What the owner does with a draft, shown with it and after creating it. */
export const DRAFT_HINT =
  "Hãy ký hóa đơn bằng USB Token trên phần mềm hóa đơn của nhà cung cấp; ứng dụng tự nhận số hóa đơn sau khi ký (hoặc bấm «Kiểm tra lại»).";

export const SIGNINGS: ReadonlyArray<{ value: Signing; label: string; hint: string }> = [
  {
    value: "provider",
    label: "Nhà cung cấp ký tự động (ký số từ xa, HSM)",
    hint: "«Xuất hóa đơn» phát hành ngay và hiện số hóa đơn.",
  },
  {
    value: "token",
    label: "Tôi ký bằng USB Token trên phần mềm hóa đơn",
    hint: "«Xuất hóa đơn» tạo hóa đơn nháp ở nhà cung cấp; sau khi bạn ký, ứng dụng tự nhận số hóa đơn.",
  },
];

/** How an event of the invoice's log is named (the words come from Rust: `EventKind::label`). */
export function eventKindLabel(kind: EventKind): string {
  return EVENT_KIND_LABELS[kind] ?? kind;
}

export const ADJUSTMENT_DIRECTIONS: ReadonlyArray<{ value: AdjustmentDirection; label: string }> = [
  { value: "increase", label: "Điều chỉnh tăng" },
  { value: "decrease", label: "Điều chỉnh giảm" },
];
