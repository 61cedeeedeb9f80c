// The edit forms of saved records: what the boxes hold when a customer, a product or the shop
// is opened for editing (or a new one is started).
import type { Customer } from "../bindings/Customer";
import type { CustomerKind } from "../bindings/CustomerKind";
import type { Product } from "../bindings/Product";
import type { ShopProfile } from "../bindings/ShopProfile";
import { groupThousands } from "./format";
import type { CustomerForm } from "../bindings/CustomerForm";
import type { ShopForm } from "../bindings/ShopForm";
import { DEFAULT_VAT_CHOICE, splitVatRate, type VatChoice } from "./vat-rates";

export const CUSTOMER_KINDS: ReadonlyArray<{ value: CustomerKind; label: string }> = [
  { value: "person", label: "Cá nhân" },
  { value: "business", label: "Doanh nghiệp" },
];

export function customerKindLabel(kind: CustomerKind): string {
  return CUSTOMER_KINDS.find((k) => k.value === kind)?.label ?? kind;
}

export function customerFormOf(customer: Customer | null, name = ""): CustomerForm {
  if (!customer) {
    return { kind: "person", name, buyer_name: "", tax_code: "", address: "", email: "", phone: "" };
  }
  return {
    kind: customer.kind,
    name: customer.name,
    buyer_name: customer.buyer_name,
    tax_code: customer.tax_code ?? "",
    address: customer.address,
    email: customer.email,
    phone: customer.phone,
  };
}

/** The product form with the rate split for its select (see VatRateInput). */
export type ProductDraft = {
  sku: string;
  name: string;
  unit: string;
  unit_price: string;
  vat_choice: VatChoice;
  vat_other: string;
};

export function productDraftOf(product: Product | null): ProductDraft {
  if (!product) {
    return { sku: "", name: "", unit: "", unit_price: "", vat_choice: DEFAULT_VAT_CHOICE, vat_other: "" };
  }
  const vat = splitVatRate(product.vat_rate);
  return {
    sku: product.sku,
    name: product.name,
    unit: product.unit,
    unit_price: groupThousands(product.unit_price),
    vat_choice: vat.choice,
    vat_other: vat.other,
  };
}

export function shopFormOf(profile: ShopProfile | null): ShopForm {
  return {
    name: profile?.name ?? "",
    tax_code: profile?.tax_code ?? "",
    address: profile?.address ?? "",
    phone: profile?.phone ?? "",
    email: profile?.email ?? "",
    bank_account: profile?.bank_account ?? "",
  };
}
