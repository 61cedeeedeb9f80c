//! The rules a Vietnamese shop lives by, as pure functions over plain values.
//!
//! Nothing here touches a database, a network or a clock it was not handed: every other
//! crate (the store, the providers, the PDF renderer, the MOIT report) builds on these
//! types so that a total printed on an invoice, shown on screen and sent to a provider is
//! computed once, the same way.
//!
//! - [`money`]: whole đồng ([`Dong`]) and quantities with three decimals ([`Quantity`]).
//! - [`vat`]: VAT rates as data with their periods of validity, and per-rate totals.
//! - [`words`]: the amount in words ("Số tiền viết bằng chữ").
//! - [`tax_code`]: the mã số thuế (MST) and personal ID numbers.
//! - [`symbol`]: invoice templates (mẫu số) and symbols (ký hiệu).
//! - [`calendar`]: dates and "this year" in Asia/Ho_Chi_Minh.
//! - [`secret`]: [`Secret`], how every crate carries a password or key (`Debug` masks it).
//! - [`url`]: whether an address may carry a password (`https://`, or `http://` to loopback).

pub mod calendar;
pub mod money;
pub mod secret;
pub mod symbol;
pub mod tax_code;
pub mod url;
pub mod vat;
pub mod words;

pub use money::{Dong, Quantity};
pub use secret::Secret;
pub use tax_code::TaxCode;
pub use vat::{VatRate, VatTotals};
