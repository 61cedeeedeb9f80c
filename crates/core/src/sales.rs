//! Recording a sale: the form as typed, its live preview, and the save.

use hoadon_rules::calendar;
use hoadon_rules::words::amount_in_words;
use hoadon_rules::{Dong, Quantity, VatRate, VatTotals};
use hoadon_store::{price_lines, NewSale, NewSaleLine, Sale, SaleFilter, SaleStatus, SaleSummary};
use serde::{Deserialize, Serialize};
use time::Date;
use ts_rs::TS;

use crate::customers::sentence;
use crate::{Error, FieldError, Result, Shop};

/// One line of the sale form, as typed. A line without product, name, quantity or price is
/// blank and ignored.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SaleLineForm {
    /// The catalogue product it was picked from; `None` for a line typed freely.
    #[ts(type = "number | null")]
    pub product_id: Option<i64>,
    /// What is sold; required.
    pub name: String,
    /// Đơn vị tính (cái, kg…); may be empty.
    pub unit: String,
    /// The quantity as typed (`2`, `1,5`, `-1` for a returned item); not zero, up to three decimals.
    pub quantity: String,
    /// The price of one unit before VAT as typed (`1.650.000`); negative for a discount.
    pub unit_price: String,
    /// The VAT rate as typed (`10`, `8`, `KCT`…); it must be in force on the day of the sale.
    pub vat_rate: String,
}

/// The sale form as typed: what [`Shop::save_sale`] checks and records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SaleForm {
    /// The customer, or `None` for a walk-in buyer; it must exist.
    #[ts(type = "number | null")]
    pub customer_id: Option<i64>,
    /// Where the sale stands (paid, failed, pending).
    pub status: SaleStatus,
    /// The owner's note; may be empty.
    pub note: String,
    /// The lines as typed; at least one that is not blank, and the total may not be negative.
    pub lines: Vec<SaleLineForm>,
    /// Unix seconds; now when absent.
    #[serde(default)]
    #[ts(optional, type = "number")]
    pub sold_at: Option<i64>,
}

/// One line of the live preview: its amount and VAT, or why it cannot be computed yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct LinePreview {
    /// quantity × unit price in đồng, rounded half away from zero; `None` while the line is
    /// blank or wrong.
    pub amount: Option<Dong>,
    /// The line's VAT in đồng; `None` while the line is blank or wrong.
    pub vat: Option<Dong>,
    /// Why the line cannot be computed yet (every wrong field, in one text).
    pub error: Option<String>,
}

/// What the sale screen shows while the owner types.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SalePreview {
    /// One preview per line typed, in the same order (blank lines included).
    pub lines: Vec<LinePreview>,
    /// The totals of the lines that could be computed.
    pub totals: VatTotals,
    /// The total in words, as the invoice will print it.
    pub amount_in_words: String,
    /// Why the totals or the words could not be given (an amount too large, a negative total).
    pub error: Option<String>,
}

/// The filter of the sales list as the screen sends it (dates `yyyy-MM-dd`, empty for none).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SalesQuery {
    /// The customer's name, the start of a tax code, or a sale number (`#42`); empty for all.
    pub search: String,
    /// The first day, `yyyy-MM-dd` (or `dd/MM/yyyy`); empty for no limit.
    pub from: String,
    /// The last day, included, same forms; empty for no limit.
    pub to: String,
    /// Only sales with this status.
    pub status: Option<SaleStatus>,
}

impl SaleLineForm {
    pub(crate) fn is_blank(&self) -> bool {
        self.product_id.is_none()
            && self.name.trim().is_empty()
            && self.quantity.trim().is_empty()
            && self.unit_price.trim().is_empty()
    }

    /// Reads the line; errors are named `lines.<index>.<field>`.
    pub(crate) fn read(&self, index: usize, on: Date) -> std::result::Result<NewSaleLine, Vec<FieldError>> {
        let field = |name: &str| format!("lines.{index}.{name}");
        let mut errors = Vec::new();
        let name = self.name.trim();
        if name.is_empty() {
            errors.push(FieldError::new(field("name"), "Chưa nhập tên hàng."));
        }
        let quantity = match Quantity::parse(&self.quantity) {
            Ok(Quantity(0)) => {
                errors.push(FieldError::new(field("quantity"), "Số lượng phải khác 0."));
                Quantity(0)
            }
            Ok(q) => q,
            Err(e) => {
                errors.push(FieldError::new(field("quantity"), sentence(&e.to_string())));
                Quantity(0)
            }
        };
        let unit_price = match Dong::parse(&self.unit_price) {
            Ok(p) => p,
            Err(e) => {
                errors.push(FieldError::new(field("unit_price"), sentence(&format!("đơn giá: {e}"))));
                Dong::ZERO
            }
        };
        let vat_rate = match self.vat_rate.parse::<VatRate>().and_then(|r| r.check_in_force(on).map(|_| r)) {
            Ok(r) => r,
            Err(e) => {
                errors.push(FieldError::new(field("vat_rate"), sentence(&e.to_string())));
                VatRate::Ten
            }
        };
        if errors.is_empty()
            && let Err(e) = quantity.times(unit_price) {
                errors.push(FieldError::new(field("unit_price"), sentence(&e.to_string())));
            }
        if errors.is_empty() {
            Ok(NewSaleLine {
                product_id: self.product_id,
                name: name.to_string(),
                unit: self.unit.trim().to_string(),
                quantity,
                unit_price,
                vat_rate,
            })
        } else {
            Err(errors)
        }
    }
}

impl Shop {
    /// Amounts, per-rate totals and the amount in words of the lines typed so far. Blank
    /// lines are ignored; lines with mistakes say why and count for nothing.
    pub fn preview_sale(&self, lines: &[SaleLineForm]) -> Result<SalePreview> {
        let today = calendar::now().date();
        let mut previews = Vec::with_capacity(lines.len());
        let mut valid = Vec::new();
        for (i, line) in lines.iter().enumerate() {
            if line.is_blank() {
                previews.push(LinePreview { amount: None, vat: None, error: None });
                continue;
            }
            match line.read(i, today) {
                Ok(l) => {
                    let amount = l.quantity.times(l.unit_price)?;
                    previews.push(LinePreview { amount: Some(amount), vat: Some(l.vat_rate.vat_on(amount)), error: None });
                    valid.push(l);
                }
                Err(errors) => previews.push(LinePreview {
                    amount: None,
                    vat: None,
                    error: Some(errors.into_iter().map(|e| e.message).collect::<Vec<_>>().join(" ")),
                }),
            }
        }
        let (totals, error) = match price_lines(&valid) {
            Ok((_, totals)) => (totals, None),
            Err(e) => (VatTotals::default(), Some(Error::from(e).user_message())),
        };
        let (words, error) = match amount_in_words(totals.total, self.zero_tens()?) {
            Ok(w) => (w, error),
            Err(e) => (String::new(), error.or(Some(sentence(&e.to_string())))),
        };
        Ok(SalePreview { lines: previews, totals, amount_in_words: words, error })
    }

    /// Saves a sale. When this returns, the sale is on disk; when it fails, nothing was written.
    pub fn save_sale(&mut self, form: &SaleForm) -> Result<Sale> {
        let sold_at = form.sold_at.unwrap_or_else(|| calendar::now().unix_timestamp());
        let sold_at = calendar::check_moment(sold_at).map_err(|m| Error::field("sold_at", m))?;
        let on = calendar::date_of(sold_at);
        let mut errors = Vec::new();
        let mut lines = Vec::new();
        for (i, line) in form.lines.iter().enumerate() {
            if line.is_blank() {
                continue;
            }
            match line.read(i, on) {
                Ok(l) => lines.push(l),
                Err(mut e) => errors.append(&mut e),
            }
        }
        if lines.is_empty() && errors.is_empty() {
            errors.push(FieldError::new("lines", "Đơn hàng cần ít nhất một dòng hàng."));
        }
        if let Some(id) = form.customer_id
            && self.store.customer(id).is_err() {
                errors.push(FieldError::new("customer_id", format!("Không tìm thấy khách hàng số {id}.")));
            }
        if errors.is_empty() {
            let (_, totals) = price_lines(&lines)?;
            if totals.total.0 < 0 {
                errors.push(FieldError::new("lines", "Tổng cộng của đơn hàng không được âm."));
            }
        }
        if !errors.is_empty() {
            return Err(Error::invalid(errors));
        }
        let sale = self.store.add_sale(&NewSale {
            customer_id: form.customer_id,
            seller_id: None,
            status: form.status,
            sold_at,
            note: form.note.trim().to_string(),
            lines,
        })?;
        tracing::info!(sale = sale.id, total = sale.totals.total.0, "saved sale");
        Ok(sale)
    }

    /// Sale `id` with its lines, totals and latest invoice; [`Error::NotFound`] when there is none.
    pub fn sale(&self, id: i64) -> Result<Sale> {
        Ok(self.store.sale(id)?)
    }

    /// The sales list for `query`, newest first, at most 500 rows; a date that cannot be read is
    /// refused (fields `from`, `to`).
    pub fn sales(&self, query: &SalesQuery) -> Result<Vec<SaleSummary>> {
        let mut errors = Vec::new();
        let mut day = |field: &str, text: &str| -> Option<Date> {
            let text = text.trim();
            if text.is_empty() {
                return None;
            }
            let parsed = calendar::parse_iso_date(text).or_else(|| calendar::parse_date(text));
            if parsed.is_none() {
                errors.push(FieldError::new(field, format!("Ngày «{text}» không hợp lệ (dd/MM/yyyy).")));
            }
            parsed
        };
        let from = day("from", &query.from);
        let to = day("to", &query.to);
        if !errors.is_empty() {
            return Err(Error::invalid(errors));
        }
        let filter = SaleFilter {
            search: Some(query.search.clone()),
            from: from.map(calendar::start_of_day),
            to: to.and_then(|d| d.next_day()).map(calendar::start_of_day),
            status: query.status,
            limit: Some(500),
            offset: None,
        };
        Ok(self.store.sales(&filter)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(name: &str, q: &str, p: &str, r: &str) -> SaleLineForm {
        SaleLineForm { product_id: None, name: name.into(), unit: "cái".into(), quantity: q.into(), unit_price: p.into(), vat_rate: r.into() }
    }

    #[test]
    fn preview_follows_the_typing() {
        let shop = Shop::open_in_memory().unwrap();
        let p = shop
            .preview_sale(&[
                line("Bàn", "1", "1.000.000", "10"),
                line("Ghế", "2", "2.500", "5"),
                SaleLineForm::default(),
                line("Đèn", "abc", "10", "10"),
            ])
            .unwrap();
        assert_eq!(p.lines[0].amount, Some(Dong(1_000_000)));
        assert_eq!(p.lines[1].vat, Some(Dong(250)));
        assert_eq!(p.lines[2], LinePreview { amount: None, vat: None, error: None });
        assert!(p.lines[3].error.as_deref().unwrap().starts_with("Số lượng không hợp lệ"));
        assert_eq!(p.totals.total, Dong(1_105_250));
        assert_eq!(p.amount_in_words, "Một triệu một trăm linh năm nghìn hai trăm năm mươi đồng");
        assert_eq!(p.error, None);
    }

    #[test]
    fn a_sale_with_a_bad_line_saves_nothing() {
        let mut shop = Shop::open_in_memory().unwrap();
        let form = SaleForm {
            customer_id: None,
            status: SaleStatus::Completed,
            note: String::new(),
            lines: vec![line("Bàn", "1", "1.000.000", "10"), line("", "1,2345", "x", "7")],
            sold_at: None,
        };
        let app = shop.save_sale(&form).unwrap_err().to_app_error();
        let fields: Vec<&str> = app.fields.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["lines.1.name", "lines.1.quantity", "lines.1.unit_price", "lines.1.vat_rate"]);
        assert_eq!(shop.store().count_sales().unwrap(), 0);
    }

    #[test]
    fn the_reduced_rate_is_refused_after_it_ends() {
        let mut shop = Shop::open_in_memory().unwrap();
        let form = SaleForm {
            customer_id: None,
            status: SaleStatus::Completed,
            note: String::new(),
            lines: vec![line("Bàn", "1", "1.000.000", "8")],
            sold_at: Some(calendar::start_of_year(2027)),
        };
        let app = shop.save_sale(&form).unwrap_err().to_app_error();
        assert_eq!(app.fields[0].field, "lines.0.vat_rate");
        assert_eq!(app.fields[0].message, "Thuế suất 8% không được áp dụng vào ngày 01/01/2027.");
        let ok = SaleForm { sold_at: Some(calendar::start_of_year(2027) - 1), ..form };
        assert_eq!(shop.save_sale(&ok).unwrap().totals.total, Dong(1_080_000));
    }

    #[test]
    fn lists_by_day_in_vietnam() {
        let mut shop = Shop::open_in_memory().unwrap();
        let at = |s: i64| SaleForm {
            customer_id: None,
            status: SaleStatus::Completed,
            note: String::new(),
            lines: vec![line("Bàn", "1", "1.000", "10")],
            sold_at: Some(s),
        };
        let new_year = calendar::start_of_year(2026);
        shop.save_sale(&at(new_year - 1)).unwrap();
        shop.save_sale(&at(new_year)).unwrap();
        let q = |from: &str, to: &str| SalesQuery { search: String::new(), from: from.into(), to: to.into(), status: None };
        assert_eq!(shop.sales(&q("2026-01-01", "")).unwrap().len(), 1);
        assert_eq!(shop.sales(&q("", "2025-12-31")).unwrap().len(), 1);
        assert_eq!(shop.sales(&q("31/12/2025", "01/01/2026")).unwrap().len(), 2);
        assert_eq!(shop.sales(&q("hôm qua", "")).unwrap_err().to_app_error().fields[0].field, "from");
    }
}
