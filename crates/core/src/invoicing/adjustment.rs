//! "Điều chỉnh tăng / giảm": the form on the invoice page, read into what the store keeps.

use hoadon_rules::calendar;
use hoadon_store::{AdjustmentDirection, NewAdjustment};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::FieldError;
use crate::sales::SaleLineForm;
use crate::{Error, Result};

/// What the owner typed to raise or lower the amounts of an issued invoice: the differences
/// (not the new totals), each line with a positive quantity, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AdjustmentForm {
    /// Điều chỉnh tăng or giảm: whether the lines add to the original or take from it.
    pub direction: AdjustmentDirection,
    /// Lý do điều chỉnh, kept in the invoice's log and with its lines.
    pub reason: String,
    /// The difference, as typed: each line's quantity and price of the change, not of the
    /// corrected invoice.
    pub lines: Vec<SaleLineForm>,
}

impl AdjustmentForm {
    /// Reads the form; refusals name `reason` and `lines.<i>.<field>` like the sale form's.
    pub fn read(&self) -> Result<NewAdjustment> {
        let today = calendar::now().date();
        let mut errors = Vec::new();
        let reason = self.reason.trim();
        if reason.is_empty() {
            errors.push(FieldError::new("reason", "Hãy nhập lý do điều chỉnh (ví dụ: theo biên bản điều chỉnh ngày …)."));
        }
        let mut lines = Vec::new();
        for (i, form) in self.lines.iter().enumerate() {
            if form.is_blank() {
                continue;
            }
            match form.read(i, today) {
                Ok(line) if line.quantity.0 < 0 => errors.push(FieldError::new(
                    format!("lines.{i}.quantity"),
                    "Nhập số lượng chênh lệch là số dương; chọn «Điều chỉnh giảm» để giảm.",
                )),
                Ok(line) if line.unit_price.0 < 0 => errors.push(FieldError::new(
                    format!("lines.{i}.unit_price"),
                    "Nhập đơn giá chênh lệch là số dương; chọn «Điều chỉnh giảm» để giảm.",
                )),
                Ok(line) => lines.push(line),
                Err(mut e) => errors.append(&mut e),
            }
        }
        if lines.is_empty() && errors.iter().all(|e| !e.field.starts_with("lines")) {
            errors.push(FieldError::new("lines", "Hóa đơn điều chỉnh cần ít nhất một dòng ghi phần chênh lệch."));
        }
        if !errors.is_empty() {
            return Err(Error::invalid(errors));
        }
        Ok(NewAdjustment { direction: self.direction, reason: reason.to_string(), lines })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hoadon_rules::{Dong, Quantity};

    fn line(name: &str, quantity: &str, price: &str) -> SaleLineForm {
        SaleLineForm {
            product_id: None,
            name: name.into(),
            unit: "kg".into(),
            quantity: quantity.into(),
            unit_price: price.into(),
            vat_rate: "10".into(),
        }
    }

    fn form(reason: &str, lines: Vec<SaleLineForm>) -> AdjustmentForm {
        AdjustmentForm { direction: AdjustmentDirection::Decrease, reason: reason.into(), lines }
    }

    fn fields(e: Error) -> Vec<String> {
        match e {
            Error::Invalid { fields, .. } => fields.into_iter().map(|f| f.field).collect(),
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn reads_the_differences_and_skips_blank_rows() {
        let read = form("  Trả lại 1 kg hàng lỗi ", vec![line("Gạo", "1", "30.000"), line("", "", "")]).read().unwrap();
        assert_eq!(read.reason, "Trả lại 1 kg hàng lỗi");
        assert_eq!(read.lines.len(), 1);
        assert_eq!(read.lines[0].quantity, Quantity::whole(1));
        assert_eq!(read.lines[0].unit_price, Dong(30_000));
    }

    #[test]
    fn wants_a_reason_and_at_least_one_line() {
        assert_eq!(fields(form(" ", vec![]).read().unwrap_err()), vec!["reason", "lines"]);
    }

    #[test]
    fn a_negative_difference_is_refused_with_what_to_do() {
        let e = form("Sai giá", vec![line("Gạo", "-1", "30.000")]).read().unwrap_err();
        let message = e.user_message();
        assert!(message.contains("Điều chỉnh giảm"), "{message}");
        assert_eq!(fields(e), vec!["lines.0.quantity"]);
    }

    #[test]
    fn line_mistakes_are_named_by_row() {
        let e = form("Sai giá", vec![line("Gạo", "1", "30.000"), line("", "2", "abc")]).read().unwrap_err();
        let f = fields(e);
        assert!(f.contains(&"lines.1.name".to_string()) && f.contains(&"lines.1.unit_price".to_string()), "{f:?}");
    }
}
