// "Tra cứu" in the customer form: what a look-up answer fills in, how its status is coloured,
// and when the answer no longer belongs to the code in the box. The look-up itself (checking
// the tax code, asking the registry, the cache) is the core's; see api.ts.
import type { CustomerForm } from "../bindings/CustomerForm";
import type { LookupSourceId } from "../bindings/LookupSourceId";
import type { PartnerLookupResult } from "../bindings/PartnerLookupResult";
import type { PartnerStatus } from "../bindings/PartnerStatus";

/**
 * The form after a look-up: a business with the registry's tax code, name and head-office
 * address, and the legal representative as the buyer; e-mail and phone are the owner's own.
 * What the registry did not say leaves the box as it was.
 */
export function applyLookup(form: CustomerForm, found: PartnerLookupResult): CustomerForm {
  return {
    ...form,
    kind: "business",
    tax_code: found.tax_code,
    name: found.name,
    address: found.address ?? form.address,
    buyer_name: found.representative ?? form.buyer_name,
  };
}

const FIELD_NAMES: ReadonlyArray<[keyof CustomerForm, string]> = [
  ["name", "tên đơn vị"],
  ["address", "địa chỉ"],
  ["buyer_name", "người mua hàng"],
];

/** "Đã điền tên đơn vị, địa chỉ và người mua hàng." — what the look-up changed, or null. */
export function filledSummary(before: CustomerForm, after: CustomerForm): string | null {
  const changed = FIELD_NAMES.filter(([key]) => before[key] !== after[key]).map(([, label]) => label);
  if (changed.length === 0) return null;
  const list = changed.length === 1 ? changed[0] : `${changed.slice(0, -1).join(", ")} và ${changed.at(-1)}`;
  return `Đã điền ${list} theo kết quả tra cứu.`;
}

/** How a status is coloured: green when active, red when the owner must be warned. */
export function statusTone(status: PartnerStatus): "ok" | "danger" | "neutral" {
  switch (status) {
    case "active":
      return "ok";
    case "unknown":
      return "neutral";
    default:
      return "danger";
  }
}

/** The answer shown belongs to the code in the box (spaces and dashes aside). */
export function answerMatches(found: PartnerLookupResult | null, typed: string): boolean {
  if (!found) return false;
  const bare = (s: string) => s.replace(/[\s.-]/g, "");
  return bare(found.tax_code) === bare(typed);
}

/** The order select of the look-up settings: `"nbrs,vietqr"` ↔ `["nbrs", "vietqr"]`. */
export const SOURCE_ORDERS: ReadonlyArray<{ value: string; label: string }> = [
  { value: "nbrs,vietqr", label: "NBRS trước, rồi VietQR" },
  { value: "vietqr,nbrs", label: "VietQR trước, rồi NBRS" },
];

export function orderValue(order: LookupSourceId[]): string {
  return order[0] === "vietqr" ? "vietqr,nbrs" : "nbrs,vietqr";
}

export function orderFromValue(value: string): LookupSourceId[] {
  return value === "vietqr,nbrs" ? ["vietqr", "nbrs"] : ["nbrs", "vietqr"];
}
