// TEMPORARY: hand-written copies of the types that `cargo test -p hoadon-core` will generate
// into `src/bindings/`. Delete this file and import from `../bindings/<Name>` once they exist.
import type { CustomerKind } from "../bindings/CustomerKind";
import type { Dong } from "../bindings/Dong";
import type { SaleStatus } from "../bindings/SaleStatus";
import type { VatTotals } from "../bindings/VatTotals";

export type AppInfo = { version: string; db_path: string; log_path: string; demo: boolean };

export type FieldError = { field: string; message: string };
export type AppError = { code: string; message: string; fields: Array<FieldError> };

export type ShopForm = {
  name: string;
  tax_code: string;
  address: string;
  phone: string;
  email: string;
  bank_account: string;
};

export type CustomerForm = {
  kind: CustomerKind;
  name: string;
  buyer_name: string;
  tax_code: string;
  address: string;
  email: string;
  phone: string;
};

export type ProductForm = { sku: string; name: string; unit: string; unit_price: string; vat_rate: string };

export type SaleLineForm = {
  product_id: number | null;
  name: string;
  unit: string;
  quantity: string;
  unit_price: string;
  vat_rate: string;
};

export type SaleForm = { customer_id: number | null; status: SaleStatus; note: string; lines: Array<SaleLineForm> };

export type LinePreview = { amount: Dong | null; vat: Dong | null; error: string | null };
export type SalePreview = {
  lines: Array<LinePreview>;
  totals: VatTotals;
  amount_in_words: string;
  error: string | null;
};

export type SalesQuery = { search: string; from: string; to: string; status: SaleStatus | null };
