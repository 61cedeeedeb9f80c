//! An invoice's symbol as printed: the template digit and the six characters (`1C26TAA`).

use hoadon_rules::symbol::InvoiceSymbol;

/// `1C26TAA` for template `1` (or VNPT's `1/001`) and symbol `C26TAA`; a pair that does not
/// read as a symbol is printed as stored rather than dropped.
pub(crate) fn printed(template: &str, symbol: &str) -> String {
    InvoiceSymbol::parse(template, symbol).map(|s| s.to_string()).unwrap_or_else(|_| format!("{template}{symbol}"))
}
