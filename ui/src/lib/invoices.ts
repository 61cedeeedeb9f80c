// The e-invoice part of the window, as wording the screens share. What each invoice allows
// (`actions`), its PDF's name (`pdf_name`), the words for statuses, events, filter chips and
// adjustment directions come from Rust (`ui/src/bindings/invoiceLabels.ts`, the records).
import type { EventKind } from "../bindings/EventKind";
import { EVENT_KIND_LABELS } from "../bindings/invoiceLabels";
import type { InvoiceRecord } from "../bindings/InvoiceRecord";

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

/** What the owner does with a draft, shown with it and after creating it. */
export const DRAFT_HINT =
  "Hãy ký hóa đơn bằng USB Token trên phần mềm hóa đơn của nhà cung cấp; ứng dụng tự nhận số hóa đơn sau khi ký (hoặc bấm «Kiểm tra lại»).";

/** How an event of the invoice's log is named (the words come from Rust: `EventKind::label`). */
export function eventKindLabel(kind: EventKind): string {
  return EVENT_KIND_LABELS[kind] ?? kind;
}
