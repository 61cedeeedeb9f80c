// The browser preview answers through `mockIPC` with canned data: the app's own api.ts
// reaches it, and what is typed changes nothing (no rules in the preview).
import { beforeAll, describe, expect, it } from "vitest";

beforeAll(async () => {
  (globalThis as unknown as { window: unknown }).window ??= globalThis;
  const { installMockCore } = await import("../../preview/mock-core");
  installMockCore({ demo: true, scenario: "filled" });
});

describe("the preview's canned core", () => {
  it("answers the app's calls through mockIPC", async () => {
    const api = await import("./api");
    const sale = await api.getSale(1);
    expect(sale.invoice?.actions.print).toBe(true);
    expect(sale.invoice?.pdf_name).toBe("hoa-don-1C25TMA-1");
    await expect(api.getSale(99)).rejects.toMatchObject({ code: "not_found" });
    // A saved sale asks for its payment code; the preview's shop has no bank account.
    expect(await api.salePaymentCode(1)).toBeNull();
  });

  it("computes nothing: the same totals whatever the lines", async () => {
    const api = await import("./api");
    const a = await api.previewSale([]);
    const b = await api.previewSale([
      { product_id: null, name: "x", unit: "", quantity: "1", unit_price: "1", vat_rate: "10" },
    ]);
    expect(a).toEqual(b);
  });
});
