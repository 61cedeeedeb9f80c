// Sale and invoice states in the shop owner's words.
import { INVOICE_STATUS_LABELS, NO_INVOICE_LABEL, SALE_STATUSES } from "../bindings/invoiceLabels";
import type { InvoiceStatus } from "../bindings/InvoiceStatus";
import type { SaleStatus } from "../bindings/SaleStatus";

export { SALE_STATUSES };

/** The sale's status in the owner's words (from Rust: `SaleStatus::label`). */
export function saleStatusLabel(status: SaleStatus): string {
  return SALE_STATUSES.find((s) => s.value === status)?.label ?? status;
}

/** The invoice column of the sales list: "Chưa xuất" when the sale has none; the words come
 * from Rust (`InvoiceStatus::label`), the same the CLI prints. */
export function invoiceStatusLabel(status: string | null): string {
  if (status === null || status === "") return NO_INVOICE_LABEL;
  return INVOICE_STATUS_LABELS[status as InvoiceStatus] ?? status;
}
