// Every call into the Rust core, typed. A refused call rejects with an AppError (see
// app-error.ts), whatever went wrong underneath.
import { invoke } from "@tauri-apps/api/core";
import type { Customer } from "../bindings/Customer";
import type { CopyProgress } from "../bindings/CopyProgress";
import type { Product } from "../bindings/Product";
import type { Sale } from "../bindings/Sale";
import type { SaleSummary } from "../bindings/SaleSummary";
import type { ShopProfile } from "../bindings/ShopProfile";
import type { InvoiceEvent } from "../bindings/InvoiceEvent";
import type { Adjustment } from "../bindings/Adjustment";
import type { AdjustmentForm } from "../bindings/AdjustmentForm";
import type { Change } from "../bindings/Change";
import type { InvoiceRecord } from "../bindings/InvoiceRecord";
import type { InvoiceRow } from "../bindings/InvoiceRow";
import type { InvoiceSettingsForm } from "../bindings/InvoiceSettingsForm";
import type { InvoiceSettingsSaved } from "../bindings/InvoiceSettingsSaved";
import type { InvoiceSettingsView } from "../bindings/InvoiceSettingsView";
import type { InvoiceStatus } from "../bindings/InvoiceStatus";
import type { QueueReport } from "../bindings/QueueReport";
import type { TaxVerdictView } from "../bindings/TaxVerdictView";
import type { PatternChoice } from "../bindings/PatternChoice";
import type { PortalReference } from "../bindings/PortalReference";
import type { MoitReportView } from "../bindings/MoitReportView";
import type { MoitServerForm } from "../bindings/MoitServerForm";
import type { MoitServerSettings } from "../bindings/MoitServerSettings";
import type { MoitServerStatus } from "../bindings/MoitServerStatus";
import type { MoitExportFormat } from "../bindings/MoitExportFormat";
import type { MoitVisitsImport } from "../bindings/MoitVisitsImport";
import type { BackupEntry } from "../bindings/BackupEntry";
import type { BackupStatus } from "../bindings/BackupStatus";
import type { MadeBackup } from "../bindings/MadeBackup";
import type { RestoreReport } from "../bindings/RestoreReport";
import { toAppError } from "./app-error";
import type { AccountingExportDone } from "../bindings/AccountingExportDone";
import type { AccountingExportForm } from "../bindings/AccountingExportForm";
import type { AccountingExportProgress } from "../bindings/AccountingExportProgress";
import type { AppInfo } from "../bindings/AppInfo";
import type { CustomerForm } from "../bindings/CustomerForm";
import type { ProductForm } from "../bindings/ProductForm";
import type { SaleForm } from "../bindings/SaleForm";
import type { SaleLineForm } from "../bindings/SaleLineForm";
import type { SalePreview } from "../bindings/SalePreview";
import type { SalesQuery } from "../bindings/SalesQuery";
import type { ShopForm } from "../bindings/ShopForm";
import type { DossierQuery } from "../bindings/DossierQuery";
import type { DossierView } from "../bindings/DossierView";
import type { LookupSettingsForm } from "../bindings/LookupSettingsForm";
import type { LookupSettingsInfo } from "../bindings/LookupSettingsInfo";
import type { PartnerLookupResult } from "../bindings/PartnerLookupResult";
import type { Bank } from "../bindings/Bank";
import type { PaymentSettingsForm } from "../bindings/PaymentSettingsForm";
import type { SalePaymentCode } from "../bindings/SalePaymentCode";

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

export const paymentBanks = () => call<Bank[]>("payment_banks");
export const paymentSettings = () => call<PaymentSettingsForm | null>("payment_settings");
export const savePaymentSettings = (form: PaymentSettingsForm) =>
  call<PaymentSettingsForm>("save_payment_settings", { form });
export const clearPaymentSettings = () => call<null>("clear_payment_settings");
/** The VietQR code of a saved sale; `null` while no bank account is set in Cài đặt. */
export const salePaymentCode = (saleId: number) => call<SalePaymentCode | null>("sale_payment_code", { saleId });

export const listCustomers = (search: string) => call<Customer[]>("list_customers", { search });
export const saveCustomer = (id: number | null, form: CustomerForm) => call<Customer>("save_customer", { id, form });

export const listProducts = (search: string) => call<Product[]>("list_products", { search });
export const saveProduct = (id: number | null, form: ProductForm) => call<Product>("save_product", { id, form });

export const previewSale = (lines: SaleLineForm[]) => call<SalePreview>("preview_sale", { lines });
export const saveSale = (form: SaleForm) => call<Sale>("save_sale", { form });
export const listSales = (query: SalesQuery) => call<SaleSummary[]>("list_sales", { query });
export const getSale = (id: number) => call<Sale>("get_sale", { id });

// Partner look-up by tax code, the buyer warning before invoicing, the look-up settings and
// the registry's dossiers ("Hồ sơ đăng ký").
export const lookupPartner = (taxCode: string) => call<PartnerLookupResult>("lookup_partner", { taxCode });
export const buyerWarning = (saleId: number) => call<string | null>("buyer_warning", { saleId });
export const lookupSettings = () => call<LookupSettingsInfo>("lookup_settings");
export const saveLookupSettings = (form: LookupSettingsForm) =>
  call<LookupSettingsInfo>("save_lookup_settings", { form });
export const clearLookupSettings = () => call<LookupSettingsInfo>("clear_lookup_settings");
export const dossiersReceived = (query: DossierQuery) => call<number[]>("dossiers_received", { query });
export const dossierLatest = (processId: string) => call<DossierView>("dossier_latest", { processId });
export const dossierDetail = (journalNo: string) => call<DossierView>("dossier_detail", { journalNo });

// E-invoices ("Hóa đơn"): settings, issue, reconcile, cancel, the lists and the PDF. Before
// "Xuất hóa đơn" the screens call `buyerWarning` (the buyer's registered business closed or
// suspended) and ask the owner to confirm.
export const invoiceSettings = () => call<InvoiceSettingsView>("invoice_settings");
/** Not saved (`saved: false`) when the form names another account while invoices still wait
 * for the current one: `waiting` lists them; save again with `confirm` once the owner agrees. */
export const saveInvoiceSettings = (form: InvoiceSettingsForm, confirm = false) =>
  call<InvoiceSettingsSaved>("save_invoice_settings", { form, confirm });
export const checkProviderConnection = () => call<string>("check_provider_connection");
/** The templates and serials registered at the provider, for Cài đặt to offer. */
export const providerPatterns = () => call<PatternChoice[]>("provider_patterns");
export const issueInvoice = (saleId: number) => call<InvoiceRecord>("issue_invoice", { saleId });
export const reconcileInvoice = (invoiceId: number) => call<InvoiceRecord>("reconcile_invoice", { invoiceId });
/** "Xuất lại với mã mới" for a "Trùng mã" invoice, after the owner confirmed. */
export const reissueInvoiceNewKey = (invoiceId: number) =>
  call<InvoiceRecord>("reissue_invoice_new_key", { invoiceId });
export const cancelInvoice = (invoiceId: number, reason: string) =>
  call<InvoiceRecord>("cancel_invoice", { invoiceId, reason });
/** "Thay thế" or "Điều chỉnh thông tin": a new invoice that changes an issued one. */
export const changeInvoice = (invoiceId: number, change: Change) =>
  call<InvoiceRecord>("change_invoice", { invoiceId, change });
export const adjustInvoiceAmounts = (invoiceId: number, form: AdjustmentForm) =>
  call<InvoiceRecord>("adjust_invoice_amounts", { invoiceId, form });
export const invoiceAdjustment = (invoiceId: number) => call<Adjustment | null>("invoice_adjustment", { invoiceId });
export const invoicePortalReference = (invoiceId: number) =>
  call<PortalReference | null>("invoice_portal_reference", { invoiceId });
export const processInvoiceQueue = () => call<QueueReport>("process_invoice_queue");
export const listInvoices = (statuses: InvoiceStatus[]) => call<InvoiceRow[]>("list_invoices", { statuses });
export const invoiceEvents = (invoiceId: number) => call<InvoiceEvent[]>("invoice_events", { invoiceId });
/** What the tax authority said of an issued invoice, asked of the provider. */
export const invoiceTaxVerdict = (invoiceId: number) => call<TaxVerdictView>("invoice_tax_verdict", { invoiceId });
/** "provider": the provider's legal PDF (issued invoices); "app": the app's own template. */
export type PdfSource = "provider" | "app";
/** Writes the PDF and opens it in the system's viewer; returns the file's path. */
export const openInvoicePdf = (saleId: number, source: PdfSource, receipt: boolean) =>
  call<string>("open_invoice_pdf", { saleId, source, receipt });
/** "Lưu PDF": the app asks where in the save dialog; the path written, or null when cancelled. */
export const saveInvoicePdf = (saleId: number, source: PdfSource, receipt: boolean) =>
  call<string | null>("save_invoice_pdf", { saleId, source, receipt });

// Xuất cho kế toán: the app asks where in the save dialog and writes the listing; null when
// the dialog was closed or the export cancelled. Progress is polled while it runs.
export const exportForAccountant = (form: AccountingExportForm) =>
  call<AccountingExportDone | null>("export_for_accountant", { form });
export const accountingExportProgress = () => call<AccountingExportProgress | null>("accounting_export_progress");
export const cancelAccountingExport = () => call<null>("cancel_accounting_export");

// Báo cáo Bộ Công Thương (MOIT): the report, its exports, the visits, the report server.
export const moitReport = (year: number) => call<MoitReportView>("moit_report", { year });
/** The app asks where in the save dialog; the path written, or null when cancelled. */
export const moitExport = (year: number, format: MoitExportFormat) => call<string | null>("moit_export", { year, format });
/** The app asks for the file in the open dialog; null when cancelled. */
export const importVisits = () => call<MoitVisitsImport | null>("import_visits");
export const setDayVisits = (day: string, visits: string) => call<null>("set_day_visits", { day, visits });
export const moitServerSettings = () => call<MoitServerSettings>("moit_server_settings");
export const saveMoitServerSettings = (form: MoitServerForm) =>
  call<MoitServerSettings>("save_moit_server_settings", { form });
export const startMoitServer = () => call<MoitServerStatus>("start_moit_server");
export const stopMoitServer = () => call<MoitServerStatus>("stop_moit_server");
export const moitServerStatus = () => call<MoitServerStatus>("moit_server_status");

// Sao lưu: the folder is picked in the system dialog opened by Rust; a restore names a copy
// from the list by its file name.
export const backupStatus = () => call<BackupStatus>("backup_status");
export const backupProgress = () => call<CopyProgress | null>("backup_progress");
export const backUpNow = () => call<MadeBackup | null>("back_up_now");
export const cancelBackup = () => call<boolean>("cancel_backup");
export const chooseBackupFolder = () => call<BackupStatus>("choose_backup_folder");
export const resetBackupFolder = () => call<BackupStatus>("reset_backup_folder");
export const listBackups = () => call<BackupEntry[]>("list_backups");
export const restoreBackup = (backup: string) => call<RestoreReport>("restore_backup", { backup });
