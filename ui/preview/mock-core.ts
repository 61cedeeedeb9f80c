// A fake Tauri core for previewing the UI in a browser. Rough copies of the rules; the real
// ones live in Rust.
import type { Customer } from "../src/bindings/Customer";
import type { CustomerForm } from "../src/bindings/CustomerForm";
import type { FieldError } from "../src/bindings/FieldError";
import type { Product } from "../src/bindings/Product";
import type { ProductForm } from "../src/bindings/ProductForm";
import type { RateTotal } from "../src/bindings/RateTotal";
import type { Sale } from "../src/bindings/Sale";
import type { SaleForm } from "../src/bindings/SaleForm";
import type { SaleLine } from "../src/bindings/SaleLine";
import type { SaleLineForm } from "../src/bindings/SaleLineForm";
import type { SalePreview } from "../src/bindings/SalePreview";
import type { SalesQuery } from "../src/bindings/SalesQuery";
import type { SaleSummary } from "../src/bindings/SaleSummary";
import type { ShopForm } from "../src/bindings/ShopForm";
import type { ShopProfile } from "../src/bindings/ShopProfile";
import type { VatTotals } from "../src/bindings/VatTotals";

const now = () => Math.floor(Date.now() / 1000);
const DAY = 86_400;

let shop: ShopProfile | null = {
  name: "Tạp hóa Minh Anh",
  tax_code: "0312345678",
  address: "45 Nguyễn Trãi, Phường Bến Thành, TP. Hồ Chí Minh",
  phone: "0283 823 4567",
  email: "minhanh@example.vn",
  bank_account: "0071001234567 – Vietcombank",
  is_demo: true,
  started_at: now() - 400 * DAY,
};

const customers: Customer[] = [
  {
    id: 1,
    kind: "business",
    name: "Công ty TNHH Thương mại Hoa Sen",
    buyer_name: "Nguyễn Thị Lan",
    tax_code: "0101234567",
    address: "12 Lý Thường Kiệt, Hoàn Kiếm, Hà Nội",
    email: "ketoan@hoasen.vn",
    phone: "0912345678",
    created_at: now() - 90 * DAY,
    updated_at: now() - 90 * DAY,
  },
  {
    id: 2,
    kind: "person",
    name: "Trần Văn Đức",
    buyer_name: "",
    tax_code: null,
    address: "88 Lê Lợi, Quận 1, TP. Hồ Chí Minh",
    email: "",
    phone: "0987654321",
    created_at: now() - 30 * DAY,
    updated_at: now() - 30 * DAY,
  },
  {
    id: 3,
    kind: "business",
    name: "Công ty Cổ phần Dịch vụ Ánh Dương",
    buyer_name: "Phạm Quốc Hùng",
    tax_code: "0309876543-001",
    address: "210 Điện Biên Phủ, Bình Thạnh, TP. Hồ Chí Minh",
    email: "muahang@anhduong.com.vn",
    phone: "0283 999 1234",
    created_at: now() - 10 * DAY,
    updated_at: now() - 10 * DAY,
  },
];

const products: Product[] = [
  ["CF01", "Cà phê sữa đá", "ly", 25_000, "8"],
  ["CF02", "Cà phê đen", "ly", 20_000, "8"],
  ["BM01", "Bánh mì thịt nướng", "ổ", 30_000, "8"],
  ["G25", "Gạo ST25 túi 5 kg", "túi", 185_000, "5"],
  ["NS01", "Nước suối Lavie 500 ml", "chai", 6_000, "10"],
  ["SGK", "Sách giáo khoa Toán lớp 5", "cuốn", 24_000, "KCT"],
  ["GIAO", "Phí giao hàng nội thành", "lần", 15_000, "10"],
].map(([sku, name, unit, price, vat], i) => ({
  id: i + 1,
  sku: sku as string,
  name: name as string,
  unit: unit as string,
  unit_price: price as number,
  vat_rate: vat as string,
  seller_id: 1,
  created_at: now() - 100 * DAY,
  updated_at: now() - 100 * DAY,
}));

const sales: Sale[] = [];

function invalid(fields: FieldError[]) {
  return {
    code: "invalid",
    message:
      fields.length === 1
        ? fields[0].message
        : `Có ${fields.length} thông tin chưa hợp lệ, vui lòng kiểm tra các ô được đánh dấu.`,
    fields,
  };
}

function fold(s: string) {
  return s
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/đ/g, "d")
    .replace(/Đ/g, "D")
    .toLowerCase();
}

const matches = (hay: (string | null)[], q: string) => fold(hay.filter(Boolean).join(" ")).includes(fold(q.trim()));

function parseMoney(text: string): number | null {
  const t = text.replace(/[\s.₫đ]/g, "");
  if (!/^-?\d+$/.test(t)) return null;
  return Number(t);
}

function parseQuantity(text: string): number | null {
  const t = text.trim().replace(",", ".");
  if (!/^-?\d+(\.\d{1,3})?$/.test(t)) return null;
  return Math.round(Number(t) * 1000);
}

function rateBasisPoints(code: string): number | null | "bad" {
  if (code === "KCT" || code === "KKKNT") return null;
  if (["10", "8", "5", "0"].includes(code)) return Number(code) * 100;
  if (code.startsWith("KHAC:")) {
    const p = Number(code.slice(5).replace(",", "."));
    return Number.isFinite(p) && p > 0 && p < 100 ? Math.round(p * 100) : "bad";
  }
  return "bad";
}

function rateLabel(code: string) {
  if (code === "KCT" || code === "KKKNT") return code;
  if (code.startsWith("KHAC:")) return `${code.slice(5).replace(".", ",")}%`;
  return `${code}%`;
}

const RATE_ORDER = ["10", "8", "5", "0", "KCT", "KKKNT"];

type ReadLine = { line: SaleLine } | { errors: FieldError[] };

function readLine(l: SaleLineForm, i: number): ReadLine {
  const errors: FieldError[] = [];
  const f = (n: string) => `lines.${i}.${n}`;
  if (!l.name.trim()) errors.push({ field: f("name"), message: "Chưa nhập tên hàng." });
  const q = parseQuantity(l.quantity);
  if (q === null) errors.push({ field: f("quantity"), message: `Số lượng «${l.quantity}» không hợp lệ.` });
  else if (q === 0) errors.push({ field: f("quantity"), message: "Số lượng phải khác 0." });
  const p = parseMoney(l.unit_price);
  if (p === null) errors.push({ field: f("unit_price"), message: `Đơn giá: «${l.unit_price}» không phải là số tiền.` });
  const bp = rateBasisPoints(l.vat_rate);
  if (bp === "bad") errors.push({ field: f("vat_rate"), message: `Thuế suất «${l.vat_rate}» không hợp lệ.` });
  if (errors.length) return { errors };
  const amount = Math.round(((q as number) * (p as number)) / 1000);
  const vat = bp === null || bp === "bad" ? 0 : Math.round((amount * bp) / 10_000);
  return {
    line: {
      line_no: i + 1,
      product_id: l.product_id,
      name: l.name.trim(),
      unit: l.unit.trim(),
      quantity: q as number,
      unit_price: p as number,
      amount,
      vat_rate: l.vat_rate,
      vat,
    },
  };
}

function totalsOf(lines: SaleLine[]): VatTotals {
  const by: RateTotal[] = [];
  for (const l of lines) {
    const t = by.find((r) => r.rate === l.vat_rate);
    if (t) {
      t.subtotal += l.amount;
      t.vat += l.vat;
    } else by.push({ rate: l.vat_rate, label: rateLabel(l.vat_rate), subtotal: l.amount, vat: l.vat });
  }
  const rank = (r: string) => (RATE_ORDER.includes(r) ? RATE_ORDER.indexOf(r) : 2.5);
  by.sort((a, b) => rank(a.rate) - rank(b.rate));
  const subtotal = by.reduce((s, r) => s + r.subtotal, 0);
  const vat = by.reduce((s, r) => s + r.vat, 0);
  return { by_rate: by, subtotal, vat, total: subtotal + vat };
}

const DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"];

function triple(n: number, full: boolean): string {
  const h = Math.floor(n / 100);
  const t = Math.floor(n / 10) % 10;
  const u = n % 10;
  const out: string[] = [];
  if (full || h > 0) out.push(`${DIGITS[h]} trăm`);
  if (t === 0) {
    if (u > 0) out.push((full || h > 0 ? "linh " : "") + DIGITS[u]);
  } else if (t === 1) {
    out.push("mười" + (u === 5 ? " lăm" : u > 0 ? ` ${DIGITS[u]}` : ""));
  } else {
    out.push(
      `${DIGITS[t]} mươi` + (u === 1 ? " mốt" : u === 4 ? " tư" : u === 5 ? " lăm" : u > 0 ? ` ${DIGITS[u]}` : ""),
    );
  }
  return out.join(" ");
}

function inWords(amount: number): string {
  if (amount === 0) return "Không đồng.";
  const units = ["", " nghìn", " triệu", " tỷ", " nghìn tỷ"];
  let n = Math.abs(amount);
  const groups: number[] = [];
  while (n > 0) {
    groups.push(n % 1000);
    n = Math.floor(n / 1000);
  }
  const parts: string[] = [];
  for (let i = groups.length - 1; i >= 0; i--) {
    if (groups[i] === 0) continue;
    parts.push(triple(groups[i], i < groups.length - 1) + units[i]);
  }
  const s = (amount < 0 ? "âm " : "") + parts.join(" ") + " đồng.";
  return s.charAt(0).toUpperCase() + s.slice(1);
}

const isBlank = (l: SaleLineForm) =>
  l.product_id === null && !l.name.trim() && !l.quantity.trim() && !l.unit_price.trim();

function preview(lines: SaleLineForm[]): SalePreview {
  const valid: SaleLine[] = [];
  const out = lines.map((l, i) => {
    if (isBlank(l)) return { amount: null, vat: null, error: null };
    const r = readLine(l, i);
    if ("errors" in r) return { amount: null, vat: null, error: r.errors.map((e) => e.message).join(" ") };
    valid.push(r.line);
    return { amount: r.line.amount, vat: r.line.vat, error: null };
  });
  const totals = totalsOf(valid);
  return { lines: out, totals, amount_in_words: inWords(totals.total), error: null };
}

function saveSale(form: SaleForm): Sale {
  const errors: FieldError[] = [];
  const lines: SaleLine[] = [];
  const sent = form.lines.filter((l) => !isBlank(l));
  if (sent.length === 0) errors.push({ field: "lines", message: "Đơn hàng cần ít nhất một dòng hàng." });
  form.lines.forEach((l, i) => {
    if (isBlank(l)) return;
    const r = readLine(l, i);
    if ("errors" in r) errors.push(...r.errors);
    else lines.push({ ...r.line, line_no: lines.length + 1 });
  });
  const customer = form.customer_id === null ? null : customers.find((c) => c.id === form.customer_id);
  if (customer === undefined)
    errors.push({ field: "customer_id", message: `Không tìm thấy khách hàng số ${form.customer_id}.` });
  if (errors.length) throw invalid(errors);
  const sale: Sale = {
    id: sales.length + 1,
    customer: customer ? { id: customer.id, name: customer.name, tax_code: customer.tax_code } : null,
    seller_id: 1,
    status: form.status,
    sold_at: form.sold_at ?? now(),
    note: form.note.trim(),
    lines,
    totals: totalsOf(lines),
    invoice: null,
    created_at: now(),
  };
  sales.push(sale);
  return sale;
}

function checkTaxCode(code: string): string | null {
  const digits = code.replace(/[\s.-]/g, "");
  if (!/^\d+$/.test(digits)) return "Mã số thuế chỉ được dùng chữ số và dấu gạch ngang.";
  if (![10, 12, 13].includes(digits.length))
    return `Mã số thuế có ${digits.length} chữ số; cần 10 chữ số, 13 chữ số (chi nhánh) hoặc 12 chữ số (số định danh cá nhân).`;
  return null;
}

function saveCustomer(id: number | null, form: CustomerForm): Customer {
  const errors: FieldError[] = [];
  if (!form.name.trim())
    errors.push({
      field: "name",
      message: form.kind === "business" ? "Chưa nhập tên đơn vị." : "Chưa nhập họ tên khách hàng.",
    });
  if (form.tax_code.trim()) {
    const e = checkTaxCode(form.tax_code);
    if (e) errors.push({ field: "tax_code", message: e });
  } else if (form.kind === "business") {
    errors.push({ field: "tax_code", message: "Doanh nghiệp cần có mã số thuế để xuất hóa đơn." });
  }
  if (form.email.trim() && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(form.email.trim()))
    errors.push({
      field: "email",
      message: `Địa chỉ e-mail «${form.email.trim()}» không hợp lệ (ví dụ: ketoan@congty.vn).`,
    });
  if (form.phone.trim() && !/^[\d\s+.()-]{8,20}$/.test(form.phone.trim()))
    errors.push({ field: "phone", message: `Số điện thoại «${form.phone.trim()}» không hợp lệ (8–15 chữ số).` });
  if (errors.length) throw invalid(errors);
  const record: Customer = {
    id: id ?? customers.length + 1,
    kind: form.kind,
    name: form.name.trim(),
    buyer_name: form.buyer_name.trim(),
    tax_code: form.tax_code.trim() || null,
    address: form.address.trim(),
    email: form.email.trim(),
    phone: form.phone.trim(),
    created_at: now(),
    updated_at: now(),
  };
  const at = customers.findIndex((c) => c.id === id);
  if (at >= 0) customers[at] = record;
  else customers.push(record);
  return record;
}

function saveProduct(id: number | null, form: ProductForm): Product {
  const errors: FieldError[] = [];
  if (!form.sku.trim()) errors.push({ field: "sku", message: "Chưa nhập mã hàng (SKU)." });
  if (!form.name.trim()) errors.push({ field: "name", message: "Chưa nhập tên sản phẩm." });
  const price = parseMoney(form.unit_price);
  if (price === null)
    errors.push({ field: "unit_price", message: `Đơn giá: «${form.unit_price}» không phải là số tiền.` });
  if (rateBasisPoints(form.vat_rate) === "bad")
    errors.push({ field: "vat_rate", message: `Thuế suất «${form.vat_rate}» không hợp lệ.` });
  if (errors.length) throw invalid(errors);
  const record: Product = {
    id: id ?? products.length + 1,
    sku: form.sku.trim(),
    name: form.name.trim(),
    unit: form.unit.trim(),
    unit_price: price as number,
    vat_rate: form.vat_rate,
    seller_id: 1,
    created_at: now(),
    updated_at: now(),
  };
  const at = products.findIndex((p) => p.id === id);
  if (at >= 0) products[at] = record;
  else products.push(record);
  return record;
}

function isoDayStart(iso: string): number {
  const [y, m, d] = iso.split("-").map(Number);
  return Date.UTC(y, m - 1, d) / 1000 - 7 * 3600;
}

function listSales(q: SalesQuery): SaleSummary[] {
  return sales
    .filter((s) => q.status === null || s.status === q.status)
    .filter((s) => !q.from || s.sold_at >= isoDayStart(q.from))
    .filter((s) => !q.to || s.sold_at < isoDayStart(q.to) + DAY)
    .filter(
      (s) => !q.search.trim() || matches([String(s.id), s.customer?.name ?? "", s.customer?.tax_code ?? ""], q.search),
    )
    .sort((a, b) => b.sold_at - a.sold_at)
    .map((s) => ({
      id: s.id,
      sold_at: s.sold_at,
      customer_name: s.customer?.name ?? null,
      status: s.status,
      subtotal: s.totals.subtotal,
      vat: s.totals.vat,
      total: s.totals.total,
      invoice_status: s.invoice?.status ?? null,
      invoice_number: s.invoice?.number ?? null,
    }));
}

function seedSales() {
  const line = (product_id: number, quantity: string): SaleLineForm => {
    const p = products[product_id - 1];
    return { product_id, name: p.name, unit: p.unit, quantity, unit_price: String(p.unit_price), vat_rate: p.vat_rate };
  };
  const seeds: [number | null, SaleForm["status"], SaleLineForm[], number][] = [
    [1, "completed", [line(4, "10"), line(7, "1")], 6 * DAY + 3600],
    [null, "completed", [line(1, "2"), line(3, "2")], 2 * DAY],
    [2, "pending", [line(5, "24"), line(6, "3")], DAY + 7200],
    [3, "failed", [line(2, "1,5")], 5 * 3600],
    [null, "completed", [line(1, "1"), line(5, "2")], 1800],
  ];
  for (const [customer_id, status, lines, ago] of seeds) {
    saveSale({ customer_id, status, note: "", lines, sold_at: now() - ago });
  }
  sales[0].invoice = {
    id: 1,
    sale_id: 1,
    provider: "sim",
    key: "k1",
    template: "1",
    symbol: "C25TMA",
    number: 1,
    status: "issued",
    tax_authority_code: null,
    lookup_code: null,
    replaces_id: null,
    relation: "original",
    adjustment: null,
    created_at: now(),
    updated_at: now(),
    issued_at: now(),
    last_error: null,
    account: null,
    conflict: null,
  };
}
seedSales();

type Args = Record<string, unknown>;

export function installMockCore(options: { demo: boolean }) {
  const handlers: Record<string, (a: Args) => unknown> = {
    app_info: () => ({
      version: "0.1.0-preview",
      db_path: "/home/minhanh/.local/share/vn.hoadon.app/hoadon.db",
      log_path: "/home/minhanh/.local/share/vn.hoadon.app/logs/hoadon.log",
      demo: options.demo,
    }),
    shop_profile: () => shop,
    save_shop_profile: (a) => {
      const form = a.form as ShopForm;
      if (!form.name.trim()) throw invalid([{ field: "name", message: "Chưa nhập tên cửa hàng." }]);
      const taxError = form.tax_code.trim() ? checkTaxCode(form.tax_code) : null;
      if (taxError) throw invalid([{ field: "tax_code", message: taxError }]);
      shop = { ...(shop as ShopProfile), ...form, tax_code: form.tax_code.trim() || null };
      return shop;
    },
    list_customers: (a) => customers.filter((c) => matches([c.name, c.tax_code, c.phone], a.search as string)),
    save_customer: (a) => saveCustomer(a.id as number | null, a.form as CustomerForm),
    list_products: (a) => products.filter((p) => matches([p.name, p.sku], a.search as string)),
    save_product: (a) => saveProduct(a.id as number | null, a.form as ProductForm),
    preview_sale: (a) => preview(a.lines as SaleLineForm[]),
    save_sale: (a) => saveSale(a.form as SaleForm),
    list_sales: (a) => listSales(a.query as SalesQuery),
    get_sale: (a) => {
      const s = sales.find((x) => x.id === a.id);
      if (!s) throw { code: "not_found", message: `Không tìm thấy đơn hàng số ${a.id}`, fields: [] };
      return s;
    },
  };

  (window as unknown as { __TAURI_INTERNALS__: unknown }).__TAURI_INTERNALS__ = {
    invoke: async (cmd: string, args: Args) => {
      await new Promise((r) => setTimeout(r, 20));
      const h = handlers[cmd];
      if (!h) throw `command ${cmd} not found`;
      return structuredClone(h(args ?? {}));
    },
    transformCallback: () => 0,
    metadata: { currentWindow: { label: "main" }, currentWebview: { label: "main" } },
  };
}
