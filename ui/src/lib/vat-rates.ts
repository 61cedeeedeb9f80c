// The VAT rates a line can carry, as the commands spell them ("10", "KCT", "KHAC:5.26"…) and as
// the shop owner reads them.
import type { VatRate } from "../bindings/VatRate";

/** What the rate select offers. "KHAC" asks for the percentage in a second box. */
export type VatChoice = "10" | "8" | "5" | "0" | "KCT" | "KKKNT" | "KHAC";

export const VAT_CHOICES: ReadonlyArray<{ value: VatChoice; short: string; label: string }> = [
  { value: "10", short: "10%", label: "10%" },
  { value: "8", short: "8%", label: "8%" },
  { value: "5", short: "5%", label: "5%" },
  { value: "0", short: "0%", label: "0%" },
  { value: "KCT", short: "KCT", label: "KCT – Không chịu thuế" },
  { value: "KKKNT", short: "KKKNT", label: "KKKNT – Không kê khai, tính nộp thuế" },
  { value: "KHAC", short: "Khác", label: "Khác (nhập %)" },
];

export const DEFAULT_VAT_CHOICE: VatChoice = "10";

/** A rate code split for the form: `"KHAC:5.26"` → `{ choice: "KHAC", other: "5.26" }`. */
export function splitVatRate(code: VatRate): { choice: VatChoice; other: string } {
  if (code.startsWith("KHAC:")) return { choice: "KHAC", other: code.slice("KHAC:".length) };
  const known = VAT_CHOICES.find((c) => c.value === code && c.value !== "KHAC");
  return known ? { choice: known.value, other: "" } : { choice: "KHAC", other: code };
}

/** The rate code sent to the commands; an "other" rate carries the percentage as typed. */
export function joinVatRate(choice: VatChoice, other: string): string {
  return choice === "KHAC" ? `KHAC:${other.trim()}` : choice;
}

/** Whether a rate carries a VAT amount of its own (KCT and KKKNT don't). */
export function isTaxedRate(code: VatRate): boolean {
  return code !== "KCT" && code !== "KKKNT";
}

/** The short name of a rate in lists: "10%", "KCT", "5,26%". */
export function vatRateLabel(code: VatRate): string {
  if (code === "KCT" || code === "KKKNT") return code;
  const percent = code.startsWith("KHAC:") ? code.slice(5) : code;
  return `${percent.replace(".", ",")}%`;
}

/** The totals block's wording for the goods at one rate. */
export function rateSubtotalLabel(code: VatRate, label: string): string {
  if (code === "KCT") return "Cộng tiền hàng không chịu thuế GTGT";
  if (code === "KKKNT") return "Cộng tiền hàng không kê khai, tính nộp thuế GTGT";
  return `Cộng tiền hàng chịu thuế suất ${label}`;
}

/** The totals block's wording for the VAT at one rate. */
export function rateVatLabel(label: string): string {
  return `Thuế GTGT ${label}`;
}

/** A test id safe form of a rate code: `KHAC:5.26` → `KHAC-5-26`. */
export function rateTestId(code: VatRate): string {
  return code.replace(/[^A-Za-z0-9]+/g, "-");
}
