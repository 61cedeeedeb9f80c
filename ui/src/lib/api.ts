// Every call into the Rust core, typed. A refused call rejects with an AppError (see
// app-error.ts), whatever went wrong underneath.
import { invoke } from "@tauri-apps/api/core";
import type { Customer } from "../bindings/Customer";
import type { Product } from "../bindings/Product";
import type { Sale } from "../bindings/Sale";
import type { SaleSummary } from "../bindings/SaleSummary";
import type { ShopProfile } from "../bindings/ShopProfile";
import { toAppError } from "./app-error";
import type { AppInfo } from "../bindings/AppInfo";
import type { CustomerForm } from "../bindings/CustomerForm";
import type { ProductForm } from "../bindings/ProductForm";
import type { SaleForm } from "../bindings/SaleForm";
import type { SaleLineForm } from "../bindings/SaleLineForm";
import type { SalePreview } from "../bindings/SalePreview";
import type { SalesQuery } from "../bindings/SalesQuery";
import type { ShopForm } from "../bindings/ShopForm";

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (e) {
    throw toAppError(e);
  }
}

export const appInfo = () => call<AppInfo>("app_info");

export const shopProfile = () => call<ShopProfile | null>("shop_profile");
export const saveShopProfile = (form: ShopForm) => call<ShopProfile>("save_shop_profile", { form });

export const listCustomers = (search: string) => call<Customer[]>("list_customers", { search });
export const saveCustomer = (id: number | null, form: CustomerForm) => call<Customer>("save_customer", { id, form });

export const listProducts = (search: string) => call<Product[]>("list_products", { search });
export const saveProduct = (id: number | null, form: ProductForm) => call<Product>("save_product", { id, form });

export const previewSale = (lines: SaleLineForm[]) => call<SalePreview>("preview_sale", { lines });
export const saveSale = (form: SaleForm) => call<Sale>("save_sale", { form });
export const listSales = (query: SalesQuery) => call<SaleSummary[]>("list_sales", { query });
export const getSale = (id: number) => call<Sale>("get_sale", { id });
