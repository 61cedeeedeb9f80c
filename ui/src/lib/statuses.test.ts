import { describe, expect, it } from "vitest";
import { invoiceStatusLabel, saleStatusLabel } from "./statuses";

describe("statuses", () => {
  it("names sale states as the MOIT report does", () => {
    expect(saleStatusLabel("completed")).toBe("Hoàn thành");
    expect(saleStatusLabel("failed")).toBe("Thất bại, khách hủy");
    expect(saleStatusLabel("pending")).toBe("Chờ xử lý");
  });

  it("names invoice states, and a sale without one", () => {
    expect(invoiceStatusLabel(null)).toBe("Chưa xuất");
    expect(invoiceStatusLabel("issued")).toBe("Đã phát hành");
    expect(invoiceStatusLabel("something_new")).toBe("something_new");
  });
});
