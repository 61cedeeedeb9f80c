import { describe, expect, it } from "vitest";
import type { InvoiceRecord } from "../bindings/InvoiceRecord";
import type { InvoiceStatus } from "../bindings/InvoiceStatus";
import {
  ADJUSTMENT_DIRECTIONS,
  eventKindLabel,
  INVOICE_FILTERS,
  canReissueWithNewKey,
  invoiceActions,
  invoiceSymbol,
  issueErrorMessage,
  needsAttention,
  pdfFileName,
  SIGNINGS,
  successorLabel,
} from "./invoices";
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
  };
}

describe("invoice actions", () => {
  it("offers only Xuất lại với mã mới for a Trùng mã invoice, not of another account", () => {
    expect(invoiceActions(invoice("key_conflict"))).toEqual({
      issue: false,
      print: false,
      cancel: false,
      reconcile: false,
    });
    expect(canReissueWithNewKey(invoice("key_conflict"))).toBe(true);
    expect(canReissueWithNewKey(invoice("key_conflict"), true)).toBe(false);
    expect(canReissueWithNewKey(invoice("needs_reconcile"))).toBe(false);
    expect(invoiceStatusLabel("key_conflict")).toBe("Trùng mã");
  });

  it("offers Xuất hóa đơn without an invoice and again after a cancel", () => {
    expect(invoiceActions(null)).toEqual({ issue: true, print: false, cancel: false, reconcile: false });
    expect(invoiceActions(invoice("cancelled")).issue).toBe(true);
    expect(invoiceActions(invoice("failed")).issue).toBe(true);
  });

  it("offers print, PDF and cancel for an issued invoice, never a second issue", () => {
    expect(invoiceActions(invoice("issued"))).toEqual({ issue: false, print: true, cancel: true, reconcile: false });
  });

  it("offers only Kiểm tra lại while the outcome is unclear", () => {
    expect(invoiceActions(invoice("needs_reconcile"))).toEqual({
      issue: false,
      print: false,
      cancel: false,
      reconcile: true,
    });
    expect(invoiceActions(invoice("sending")).issue).toBe(false);
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

  it("writes the symbol as template + series and names the PDF by sale", () => {
    expect(invoiceSymbol(invoice("issued"))).toBe("1C26TAA");
    expect(invoiceSymbol({ template: "1/001", symbol: "C26TAA" })).toBe("1C26TAA");
    expect(invoiceSymbol({ template: "2/001", symbol: "C26MBB" })).toBe("2C26MBB");
    expect(pdfFileName(42)).toBe("hoa-don-42.pdf");
  });

  it("says an unclear answer will be checked again", () => {
    const m = issueErrorMessage({ code: "provider_unclear", message: "Không rõ kết quả.", fields: [] });
    expect(m).toMatch(/^Không rõ kết quả\. /);
    expect(m).toContain("Cần xử lý");
    expect(issueErrorMessage({ code: "provider", message: "Sai mẫu số.", fields: [] })).toBe("Sai mẫu số.");
  });

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
    expect(needsAttention("needs_reconcile")).toBe(true);
    expect(needsAttention("issued")).toBe(false);
  });
});

describe("successor invoices", () => {
  it("names what an invoice does to the one it changes", () => {
    expect(successorLabel({ relation: "original", adjustment: null })).toBeNull();
    expect(successorLabel({ relation: "replace", adjustment: null })).toBe("Hóa đơn thay thế");
    expect(successorLabel({ relation: "adjust", adjustment: null })).toBe("Hóa đơn điều chỉnh thông tin");
    expect(successorLabel({ relation: "adjust", adjustment: "increase" })).toBe("Hóa đơn điều chỉnh tăng");
    expect(successorLabel({ relation: "adjust", adjustment: "decrease" })).toBe("Hóa đơn điều chỉnh giảm");
  });

  it("offers both directions of an adjustment of amounts, increase first", () => {
    expect(ADJUSTMENT_DIRECTIONS.map((d) => d.value)).toEqual(["increase", "decrease"]);
    expect(eventKindLabel("reason")).toBe("Lý do");
  });
});

describe("drafts waiting for the owner's token", () => {
  it("offers only Kiểm tra lại, never a second import", () => {
    expect(invoiceActions(invoice("draft"))).toEqual({ issue: false, print: false, cancel: false, reconcile: true });
  });

  it("has a Chờ ký chip and explains both ways of signing", () => {
    expect(INVOICE_FILTERS.find((f) => f.id === "draft")?.statuses).toEqual(["draft"]);
    expect(SIGNINGS.map((s) => s.value)).toEqual(["provider", "token"]);
    expect(SIGNINGS[1].label).toContain("USB Token");
    expect(SIGNINGS[1].hint).toContain("nháp");
  });
});
