// The sale being typed on the "Bán hàng" screen, as plain data, and how it becomes the
// commands' SaleForm. Blank lines (an extra "Thêm dòng" nobody filled) are left out of what
// is sent, so refusals and previews that name `lines.<i>` are mapped back to the screen's rows.
import type { Product } from "../bindings/Product";
import type { SaleCustomer } from "../bindings/SaleCustomer";
import type { SaleStatus } from "../bindings/SaleStatus";
import { groupThousands } from "./format";
import type { LinePreview } from "../bindings/LinePreview";
import type { SaleForm } from "../bindings/SaleForm";
import type { SaleLineForm } from "../bindings/SaleLineForm";
import type { SalePreview } from "../bindings/SalePreview";
import { DEFAULT_VAT_CHOICE, joinVatRate, splitVatRate, type VatChoice } from "./vat-rates";

export type DraftLine = {
  /** Stable identity of the row on screen (for keyed lists), never sent. */
  key: number;
  product_id: number | null;
  /** The name of the picked product: typing another name unlinks the product. */
  product_name: string | null;
  name: string;
  unit: string;
  quantity: string;
  unit_price: string;
  vat_choice: VatChoice;
  vat_other: string;
};

export type SaleDraft = {
  /** `null` is "Khách lẻ", the walk-in customer. */
  customer: SaleCustomer | null;
  status: SaleStatus;
  note: string;
  lines: DraftLine[];
};

export function newLine(key: number): DraftLine {
  return {
    key,
    product_id: null,
    product_name: null,
    name: "",
    unit: "",
    quantity: "1",
    unit_price: "",
    vat_choice: DEFAULT_VAT_CHOICE,
    vat_other: "",
  };
}

export function newDraft(firstKey: number): SaleDraft {
  return { customer: null, status: "completed", note: "", lines: [newLine(firstKey)] };
}

/** Picking a product fills the line; a quantity already typed is kept. */
export function lineWithProduct(line: DraftLine, product: Product): DraftLine {
  const vat = splitVatRate(product.vat_rate);
  return {
    ...line,
    product_id: product.id,
    product_name: product.name,
    name: product.name,
    unit: product.unit,
    quantity: line.quantity.trim() === "" ? "1" : line.quantity,
    unit_price: groupThousands(product.unit_price),
    vat_choice: vat.choice,
    vat_other: vat.other,
  };
}

/** Typing in the name box: the line stays linked to its product only while the name matches. */
export function lineWithName(line: DraftLine, name: string): DraftLine {
  const linked = line.product_id !== null && name === line.product_name;
  return {
    ...line,
    name,
    product_id: linked ? line.product_id : null,
    product_name: linked ? line.product_name : null,
  };
}

/** Nothing typed but the defaults: such a row is not part of the sale. */
export function isBlankLine(line: DraftLine): boolean {
  return (
    line.product_id === null && line.name.trim() === "" && line.unit.trim() === "" && line.unit_price.trim() === ""
  );
}

export function lineForm(line: DraftLine): SaleLineForm {
  return {
    product_id: line.product_id,
    name: line.name,
    unit: line.unit,
    quantity: line.quantity,
    unit_price: line.unit_price,
    vat_rate: joinVatRate(line.vat_choice, line.vat_other),
  };
}

/** The lines to send, and for each sent line the index of its row on screen. */
export function sentLines(lines: DraftLine[]): { lines: SaleLineForm[]; rows: number[] } {
  const out: SaleLineForm[] = [];
  const rows: number[] = [];
  lines.forEach((line, row) => {
    if (!isBlankLine(line)) {
      out.push(lineForm(line));
      rows.push(row);
    }
  });
  return { lines: out, rows };
}

export function saleForm(draft: SaleDraft): { form: SaleForm; rows: number[] } {
  const { lines, rows } = sentLines(draft.lines);
  return {
    form: { customer_id: draft.customer?.id ?? null, status: draft.status, note: draft.note, lines },
    rows,
  };
}

/** Renames `lines.<sent index>.<field>` keys to `lines.<row>.<field>`; other keys stay. */
export function fieldsOnRows(fields: Record<string, string>, rows: number[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [field, message] of Object.entries(fields)) {
    const m = /^lines\.(\d+)(\..*)?$/.exec(field);
    const row = m ? rows[Number(m[1])] : undefined;
    const key = m && row !== undefined ? `lines.${row}${m[2] ?? ""}` : field;
    out[key] = out[key] ? `${out[key]} ${message}` : message;
  }
  return out;
}

/** The preview of each row on screen; blank rows have none. */
export function previewOnRows(preview: SalePreview, rows: number[], rowCount: number): (LinePreview | null)[] {
  const out: (LinePreview | null)[] = Array.from({ length: rowCount }, () => null);
  preview.lines.forEach((p, i) => {
    const row = rows[i];
    if (row !== undefined && row < rowCount) out[row] = p;
  });
  return out;
}

/** Whether anything worth keeping was typed (asked before clearing the form). */
export function hasContent(draft: SaleDraft): boolean {
  return draft.customer !== null || draft.note.trim() !== "" || draft.lines.some((l) => !isBlankLine(l));
}

/** The refusals left once the lines changed: those about `lines…` no longer hold. */
export function withoutLineErrors(errors: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(errors).filter(([field]) => field !== "lines" && !field.startsWith("lines.")),
  );
}
