import { describe, expect, it } from "vitest";
import type { Product } from "../bindings/Product";
import {
  fieldsOnRows,
  hasContent,
  isBlankLine,
  lineWithName,
  lineWithProduct,
  newDraft,
  newLine,
  previewOnRows,
  saleForm,
  withoutLineErrors,
} from "./sale-draft";

const coffee: Product = {
  id: 7,
  sku: "CF01",
  name: "Cà phê sữa đá",
  unit: "ly",
  unit_price: 25_000,
  vat_rate: "8",
  seller_id: 1,
  created_at: 0,
  updated_at: 0,
};

describe("sale draft lines", () => {
  it("starts with one blank line, walk-in customer, completed", () => {
    const d = newDraft(1);
    expect(d.customer).toBeNull();
    expect(d.status).toBe("completed");
    expect(d.lines).toHaveLength(1);
    expect(isBlankLine(d.lines[0])).toBe(true);
    expect(hasContent(d)).toBe(false);
  });

  it("fills a line from a picked product, keeping a typed quantity", () => {
    const line = lineWithProduct({ ...newLine(1), quantity: "2,5" }, coffee);
    expect(line).toMatchObject({
      product_id: 7,
      name: "Cà phê sữa đá",
      unit: "ly",
      quantity: "2,5",
      unit_price: "25.000",
      vat_choice: "8",
    });
    expect(lineWithProduct({ ...newLine(1), quantity: " " }, coffee).quantity).toBe("1");
  });

  it("fills an 'other' rate's percentage", () => {
    const line = lineWithProduct(newLine(1), { ...coffee, vat_rate: "KHAC:5.26" });
    expect(line.vat_choice).toBe("KHAC");
    expect(line.vat_other).toBe("5.26");
  });

  it("unlinks the product when the name is changed, relinks when it is typed back", () => {
    const picked = lineWithProduct(newLine(1), coffee);
    const edited = lineWithName(picked, "Cà phê đen");
    expect(edited.product_id).toBeNull();
    expect(lineWithName(picked, "Cà phê sữa đá").product_id).toBe(7);
  });
});

describe("sale form sent to the core", () => {
  it("leaves blank rows out and remembers which row each sent line is", () => {
    const d = newDraft(1);
    d.customer = { id: 3, name: "Công ty TNHH Hoa Sen", tax_code: "0101234567" };
    d.lines = [
      newLine(1),
      { ...newLine(2), name: "Bánh mì", unit_price: "20000", quantity: "2" },
      newLine(3),
      { ...newLine(4), name: "Phí giao hàng", unit_price: "15.000", vat_choice: "KHAC", vat_other: "5,26" },
    ];
    const { form, rows } = saleForm(d);
    expect(rows).toEqual([1, 3]);
    expect(form.customer_id).toBe(3);
    expect(form.lines).toEqual([
      { product_id: null, name: "Bánh mì", unit: "", quantity: "2", unit_price: "20000", vat_rate: "10" },
      { product_id: null, name: "Phí giao hàng", unit: "", quantity: "1", unit_price: "15.000", vat_rate: "KHAC:5,26" },
    ]);
  });

  it("puts refusals of sent lines back on their rows", () => {
    expect(
      fieldsOnRows(
        { "lines.1.quantity": "Số lượng không hợp lệ.", "lines.0": "Dòng lỗi", lines: "Cần một dòng", note: "x" },
        [2, 5],
      ),
    ).toEqual({
      "lines.5.quantity": "Số lượng không hợp lệ.",
      "lines.2": "Dòng lỗi",
      lines: "Cần một dòng",
      note: "x",
    });
  });

  it("puts line previews back on their rows", () => {
    const preview = {
      lines: [
        { amount: 40_000, vat: 4_000, error: null },
        { amount: null, vat: null, error: "Đơn giá không hợp lệ" },
      ],
      totals: { by_rate: [], subtotal: 40_000, vat: 4_000, total: 44_000 },
      amount_in_words: "Bốn mươi bốn nghìn đồng",
      error: null,
    };
    expect(previewOnRows(preview, [1, 3], 4)).toEqual([null, preview.lines[0], null, preview.lines[1]]);
  });
});

describe("refusals after an edit", () => {
  it("drops what was said about the lines and keeps the rest", () => {
    const errors = { reason: "Hãy nhập lý do", lines: "Cần một dòng", "lines.0.name": "Chưa nhập tên", linesman: "x" };
    expect(withoutLineErrors(errors)).toEqual({ reason: "Hãy nhập lý do", linesman: "x" });
  });
});
