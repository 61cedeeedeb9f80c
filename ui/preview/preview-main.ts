// Preview entry: canned answers for the core (mock-core.ts), an optional starting screen and scenario, then the real app.
import { installMockCore } from "./mock-core";

const params = new URLSearchParams(location.search);
installMockCore({ demo: params.get("demo") !== "0", scenario: params.get("scenario") });

const { navigation } = await import("../src/lib/navigation.svelte");
const { currentSale, addLine } = await import("../src/lib/current-sale.svelte");
const screen = params.get("screen");
if (screen) navigation.go(screen as typeof navigation.screen);
const sale = params.get("sale");
if (sale) navigation.openSale(Number(sale));

if (params.get("scenario") === "filled") {
  const d = currentSale.draft;
  d.customer = { id: 1, name: "Công ty TNHH Thương mại Hoa Sen", tax_code: "0101234567" };
  Object.assign(d.lines[0], {
    product_id: 4,
    product_name: "Gạo ST25 túi 5 kg",
    name: "Gạo ST25 túi 5 kg",
    unit: "túi",
    quantity: "3",
    unit_price: "185.000",
    vat_choice: "5",
  });
  addLine();
  Object.assign(d.lines[1], {
    name: "Cà phê sữa đá",
    unit: "ly",
    quantity: "1,5",
    unit_price: "25000",
    vat_choice: "8",
  });
  addLine();
  Object.assign(d.lines[2], {
    name: "Phí giao hàng nội thành",
    unit: "lần",
    quantity: "1",
    unit_price: "15.000",
    vat_choice: "10",
  });
  addLine();
  Object.assign(d.lines[3], {
    name: "Sách giáo khoa",
    unit: "cuốn",
    quantity: "2",
    unit_price: "24.000",
    vat_choice: "KCT",
  });
  addLine();
  Object.assign(d.lines[4], { name: "Hàng lỗi", unit: "cái", quantity: "abc", unit_price: "10.000" });
}

if (params.get("scenario") === "simple") {
  Object.assign(currentSale.draft.lines[0], {
    name: "Bánh mì thịt nướng",
    unit: "ổ",
    quantity: "2",
    unit_price: "30.000",
    vat_choice: "8",
  });
}

await import("../src/main");

if (params.get("scenario") === "errors") {
  // Open the new-customer form and save it empty as a business to show field messages.
  const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
  await wait(300);
  (document.querySelector('[data-testid="customer-new"]') as HTMLButtonElement)?.click();
  await wait(100);
  const kind = document.querySelector('[data-testid="customer-kind"]') as HTMLSelectElement;
  kind.value = "business";
  kind.dispatchEvent(new Event("change", { bubbles: true }));
  const tax = document.querySelector('[data-testid="customer-tax-code"]') as HTMLInputElement;
  tax.value = "01012345";
  tax.dispatchEvent(new Event("input", { bubbles: true }));
  const email = document.querySelector('[data-testid="customer-email"]') as HTMLInputElement;
  email.value = "ketoan@";
  email.dispatchEvent(new Event("input", { bubbles: true }));
  await wait(50);
  (document.querySelector('[data-testid="customer-save"]') as HTMLButtonElement).click();
}
if (params.get("save") === "1") {
  await new Promise((r) => setTimeout(r, 400));
  (document.querySelector('[data-testid="sale-save"]') as HTMLButtonElement).click();
}
if (params.get("scenario") === "new-customer") {
  await new Promise((r) => setTimeout(r, 300));
  const input = document.querySelector('[data-testid="sale-customer-search"]') as HTMLInputElement;
  input.value = "Chị Hồng";
  input.dispatchEvent(new Event("input", { bubbles: true }));
  (document.querySelector('[data-testid="sale-customer-new"]') as HTMLButtonElement).click();
}
if (params.get("scenario") === "picker") {
  const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
  await wait(300);
  const name = document.querySelector('[data-testid="line-0-name"]') as HTMLInputElement;
  name.focus();
  name.value = "cà phê";
  name.dispatchEvent(new Event("input", { bubbles: true }));
}
if (params.get("scenario") === "customer-picker") {
  const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
  await wait(300);
  const input = document.querySelector('[data-testid="sale-customer-search"]') as HTMLInputElement;
  input.value = "công ty";
  input.dispatchEvent(new Event("input", { bubbles: true }));
}
