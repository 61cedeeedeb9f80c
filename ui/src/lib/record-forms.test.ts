import { describe, expect, it } from "vitest";
import type { Customer } from "../bindings/Customer";
import { customerFormOf, customerKindLabel, productDraftOf, shopFormOf } from "./record-forms";

describe("record forms", () => {
  it("starts a new customer as a person, with the name typed in the sale screen", () => {
    expect(customerFormOf(null, "Chị Lan")).toEqual({
      kind: "person",
      name: "Chị Lan",
      buyer_name: "",
      tax_code: "",
      address: "",
      email: "",
      phone: "",
    });
  });

  it("opens a saved customer, a missing tax code as an empty box", () => {
    const c: Customer = {
      id: 4,
      kind: "business",
      name: "Công ty TNHH Ánh Dương",
      buyer_name: "Nguyễn Văn An",
      tax_code: null,
      address: "12 Lê Lợi, Quận 1, TP. Hồ Chí Minh",
      email: "",
      phone: "0909123456",
      created_at: 0,
      updated_at: 0,
    };
    expect(customerFormOf(c)).toMatchObject({ kind: "business", tax_code: "", buyer_name: "Nguyễn Văn An" });
    expect(customerKindLabel("business")).toBe("Doanh nghiệp");
  });

  it("opens a product with its price grouped and its rate split", () => {
    const draft = productDraftOf({
      id: 1,
      sku: "G01",
      name: "Gạo ST25",
      unit: "kg",
      unit_price: 32_000,
      vat_rate: "5",
      seller_id: 1,
      created_at: 0,
      updated_at: 0,
    });
    expect(draft).toEqual({
      sku: "G01",
      name: "Gạo ST25",
      unit: "kg",
      unit_price: "32.000",
      vat_choice: "5",
      vat_other: "",
    });
    expect(productDraftOf(null).vat_choice).toBe("10");
  });

  it("opens the shop profile, or an empty one on first start", () => {
    expect(shopFormOf(null).name).toBe("");
    expect(
      shopFormOf({
        name: "Tạp hóa Minh Anh",
        tax_code: null,
        address: "",
        phone: "",
        email: "",
        bank_account: "",
        is_demo: false,
        started_at: 0,
      }).tax_code,
    ).toBe("");
  });
});
