import { describe, expect, it } from "vitest";
import type { InvoiceRecord } from "../bindings/InvoiceRecord";
import type { InvoiceStatus } from "../bindings/InvoiceStatus";
import { ADJUSTMENT_DIRECTIONS, INVOICE_FILTERS, NEEDS_ATTENTION } from "../bindings/invoiceLabels";
import { eventKindLabel, invoiceSymbol } from "./invoices";
import { invoiceStatusLabel } from "./statuses";

function invoice(status: InvoiceStatus): InvoiceRecord {
  return {
    id: 1,
    sale_id: 7,
    provider: "vnpt",
    key: "k",
    template: "1",
    symbol: "C26TAA",
    number: status === "issued" ? 12 : null,
    status,
    tax_authority_code: null,
    lookup_code: null,
    replaces_id: null,
    relation: "original",
    adjustment: null,
    created_at: 0,
    updated_at: 0,
    issued_at: null,
    last_error: null,
    account: null,
    conflict: null,
    actions: { issue: false, print: false, cancel: false, reconcile: false, reissue_with_new_key: false },
    pdf_name: "don-hang-7-ban-nhap",
    kind_label: null,
  };
}

// What each status allows and the PDF's name are Rust's now, with every invoice (`actions`,
// `pdf_name`): tests in crates/store/src/invoice_contract.rs and crates/core/src/printing.rs.
describe("invoice actions", () => {
  it("names a Trùng mã and a replaced invoice in the owner's words", () => {
    expect(invoiceStatusLabel("key_conflict")).toBe("Trùng mã");
    expect(invoiceStatusLabel("replaced")).toBe("Đã thay thế");
  });
});

describe("invoice wording", () => {
  it("names every status in the owner's words", () => {
    expect(invoiceStatusLabel("queued")).toBe("Chờ gửi");
    expect(invoiceStatusLabel("sending")).toBe("Đang gửi");
    expect(invoiceStatusLabel("draft")).toBe("Bản nháp");
    expect(invoiceStatusLabel("issued")).toBe("Đã phát hành");
    expect(invoiceStatusLabel("failed")).toBe("Bị từ chối");
    expect(invoiceStatusLabel("needs_reconcile")).toBe("Cần xử lý");
    expect(invoiceStatusLabel("cancelled")).toBe("Đã hủy");
    expect(invoiceStatusLabel("adjusted")).toBe("Đã điều chỉnh");
    expect(invoiceStatusLabel("replaced")).toBe("Đã thay thế");
  });

  it("writes the symbol as template + series", () => {
    expect(invoiceSymbol(invoice("issued"))).toBe("1C26TAA");
    expect(invoiceSymbol({ template: "1/001", symbol: "C26TAA" })).toBe("1C26TAA");
    expect(invoiceSymbol({ template: "2/001", symbol: "C26MBB" })).toBe("2C26MBB");
  });

  // "An unclear answer will be checked again" is the core's sentence now (issuer.rs
  // WHERE_IT_WAITS, asserted in crates/core/tests/invoicing.rs).

  it("has the eight filter chips, Tất cả first and asking for every status", () => {
    expect(INVOICE_FILTERS.map((f) => f.label)).toEqual([
      "Tất cả",
      "Đã phát hành",
      "Cần xử lý",
      "Chờ gửi",
      "Chờ ký",
      "Bị từ chối",
      "Đã hủy",
      "Trùng mã",
    ]);
    expect(INVOICE_FILTERS[0].statuses).toEqual([]);
    expect(NEEDS_ATTENTION.includes("needs_reconcile")).toBe(true);
    expect(NEEDS_ATTENTION.includes("issued")).toBe(false);
  });
});

describe("successor invoices", () => {
  // What an invoice is to the one it changes is Rust's (`Relation::label`, the record's
  // `kind_label`; tested in crates/store/src/invoice_contract.rs).
  it("offers both directions of an adjustment of amounts, increase first", () => {
    expect(ADJUSTMENT_DIRECTIONS.map((d) => d.value)).toEqual(["increase", "decrease"]);
    expect(eventKindLabel("reason")).toBe("Lý do");
  });
});

describe("drafts waiting for the owner's token", () => {
  // Both ways of signing are worded in Rust (`Signing::option`, tested in settings.rs).
  it("has a Chờ ký chip", () => {
    expect(INVOICE_FILTERS.find((f) => f.id === "draft")?.statuses).toEqual(["draft"]);
  });
});
