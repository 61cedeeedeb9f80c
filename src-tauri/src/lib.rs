//! The desktop shell: opens the shop's database, fills the demo shop on first start, and
//! exposes the core to the window as Tauri commands. Each command is a few lines that hand
//! off to `hoadon-core`; no shop rule lives here.

mod backup_schedule;
mod commands;
mod demo_registry;
mod demo_invoicing;
mod file_dialog;
mod invoice_queue;
mod state;

use tauri::Manager;

pub fn run() {
    tauri::Builder::default()
        // First: a second start of the app only brings the running window to the front, so
        // two windows never send the same invoices.
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            if let Some(window) = app.webview_windows().values().next() {
                let _ = window.unminimize();
                let _ = window.show();
                let _ = window.set_focus();
            }
        }))
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_dialog::init())
        .setup(|app| {
            let data_dir = app.path().app_data_dir().ok();
            let state = state::AppState::open(data_dir)?;
            app.manage(state);
            invoice_queue::start(app.handle().clone());
            backup_schedule::start(app.handle().clone());
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::app::app_info,
            commands::shop::shop_profile,
            commands::shop::save_shop_profile,
            commands::payment::payment_banks,
            commands::payment::payment_settings,
            commands::payment::save_payment_settings,
            commands::payment::clear_payment_settings,
            commands::payment::sale_payment_code,
            commands::customers::list_customers,
            commands::customers::save_customer,
            commands::products::list_products,
            commands::products::save_product,
            commands::sales::preview_sale,
            commands::sales::save_sale,
            commands::sales::list_sales,
            commands::sales::get_sale,
            commands::partners::lookup_partner,
            commands::partners::buyer_warning,
            commands::partners::lookup_settings,
            commands::partners::save_lookup_settings,
            commands::partners::clear_lookup_settings,
            commands::partners::dossiers_received,
            commands::partners::dossier_latest,
            commands::partners::dossier_detail,
            commands::accounting::export_for_accountant,
            commands::accounting::accounting_export_progress,
            commands::accounting::cancel_accounting_export,
            commands::moit::moit_report,
            commands::moit::moit_export,
            commands::moit::import_visits,
            commands::moit::set_day_visits,
            commands::moit::moit_server_settings,
            commands::moit::save_moit_server_settings,
            commands::moit::start_moit_server,
            commands::moit::stop_moit_server,
            commands::moit::moit_server_status,
            commands::invoices::invoice_settings,
            commands::invoices::save_invoice_settings,
            commands::invoices::check_provider_connection,
            commands::invoices::provider_patterns,
            commands::invoices::issue_invoice,
            commands::invoices::reconcile_invoice,
            commands::invoices::cancel_invoice,
            commands::invoices::reissue_invoice_new_key,
            commands::invoices::change_invoice,
            commands::invoices::adjust_invoice_amounts,
            commands::invoices::invoice_adjustment,
            commands::invoices::invoice_portal_reference,
            commands::invoices::list_invoices,
            commands::invoices::invoice_events,
            commands::invoices::invoice_tax_verdict,
            commands::invoices::process_invoice_queue,
            commands::invoices::open_invoice_pdf,
            commands::invoices::save_invoice_pdf,
            commands::backup::backup_status,
            commands::backup::backup_progress,
            commands::backup::back_up_now,
            commands::backup::cancel_backup,
            commands::backup::choose_backup_folder,
            commands::backup::reset_backup_folder,
            commands::backup::list_backups,
            commands::backup::restore_backup,
        ])
        .run(tauri::generate_context!("../tauri.conf.json"))
        .expect("the app window could not start");
}
