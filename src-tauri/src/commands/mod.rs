//! The Tauri commands, one module per screen's concern. Each one locks the shop, hands off
//! to `hoadon-core`, and returns its answer or the core's one error type, which serialises
//! as `AppError` for the UI.

pub mod accounting;
pub mod app;
pub mod backup;
pub mod customers;
pub mod moit;
pub mod partners;
pub mod payment;
pub mod invoices;
pub mod products;
pub mod sales;
pub mod shop;
