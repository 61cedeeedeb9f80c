// The browser preview's stand-in for the Rust core: `mockIPC` answers each command with a
// canned answer from `canned.ts`. Nothing is computed here (no money, VAT, words or tax
// codes: those are Rust's alone); what is typed changes nothing, and a save answers with a
// canned record.
import { mockIPC, mockWindows } from "@tauri-apps/api/mocks";
import * as canned from "./canned";

export type Scenario = "filled" | "simple" | "errors" | string | null;

const notFound = (what: string, id: unknown) => ({
  code: "not_found",
  message: `Không tìm thấy ${what} số ${id}`,
  fields: [],
});

export function installMockCore(options: { demo: boolean; scenario: Scenario }) {
  const preview =
    canned.previews[options.scenario === "filled" || options.scenario === "simple" ? options.scenario : "empty"];
  const answers: Record<string, (a: Record<string, unknown>) => unknown> = {
    app_info: () => ({
      version: "0.1.0-preview",
      db_path: "/home/minhanh/.local/share/vn.hoadon.app/hoadon.db",
      log_path: "/home/minhanh/.local/share/vn.hoadon.app/logs/hoadon.log",
      demo: options.demo,
    }),
    shop_profile: () => canned.shop,
    save_shop_profile: () => canned.shop,
    list_customers: () => canned.customers,
    save_customer: () => {
      if (options.scenario === "errors") throw canned.customerRefused;
      return canned.customers[0];
    },
    list_products: () => canned.products,
    save_product: () => canned.products[0],
    preview_sale: () => preview,
    save_sale: () => canned.sales[0],
    // No bank account in the preview's shop: the sale screen shows no payment code.
    sale_payment_code: () => null,
    list_sales: () => canned.saleSummaries,
    get_sale: (a) => {
      const sale = canned.sales.find((s) => s.id === a.id);
      if (!sale) throw notFound("đơn hàng", a.id);
      return sale;
    },
  };

  mockWindows("main");
  mockIPC(async (cmd, payload) => {
    await new Promise((r) => setTimeout(r, 20));
    const answer = answers[cmd];
    if (!answer) throw `command ${cmd} not found`;
    return structuredClone(answer((payload ?? {}) as Record<string, unknown>));
  });
}
