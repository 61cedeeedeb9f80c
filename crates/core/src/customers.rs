use hoadon_rules::tax_code::TaxCodeKind;
use hoadon_rules::TaxCode;
use hoadon_store::{Customer, CustomerKind, NewCustomer};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{Error, FieldError, Result, Shop};

/// A customer as typed in the form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CustomerForm {
    /// Person or business: a business needs a tax code.
    pub kind: CustomerKind,
    /// The person's name or the business's registered name; required.
    pub name: String,
    /// For a business: the person who buys on its behalf; may be empty.
    pub buyer_name: String,
    /// The tax code as typed (spaces and dots allowed); required for a business, optional for a
    /// person; a household business may give the owner's 12-digit ID number.
    pub tax_code: String,
    /// The address printed on invoices; may be empty.
    pub address: String,
    /// The e-mail address; checked when not empty.
    pub email: String,
    /// The phone number; checked when not empty (8–15 digits).
    pub phone: String,
}

/// A message as a sentence: capital first letter, full stop at the end.
pub(crate) fn sentence(s: &str) -> String {
    let mut out = crate::error::capitalise(s);
    if !out.is_empty() && !out.ends_with('.') {
        out.push('.');
    }
    out
}

pub(crate) fn check_email(email: &str, errors: &mut Vec<FieldError>) {
    let e = email.trim();
    if e.is_empty() {
        return;
    }
    let ok = e.split_once('@').is_some_and(|(user, domain)| {
        !user.is_empty() && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.')
    }) && !e.contains(char::is_whitespace);
    if !ok {
        errors.push(FieldError::new("email", format!("Địa chỉ e-mail «{e}» không hợp lệ (ví dụ: ketoan@congty.vn).")));
    }
}

pub(crate) fn check_phone(phone: &str, errors: &mut Vec<FieldError>) {
    let p = phone.trim();
    if p.is_empty() {
        return;
    }
    let digits: String = p.chars().filter(|c| c.is_ascii_digit()).collect();
    let allowed = p.chars().all(|c| c.is_ascii_digit() || matches!(c, ' ' | '.' | '-' | '+' | '(' | ')'));
    if !allowed || !(8..=15).contains(&digits.len()) {
        errors.push(FieldError::new("phone", format!("Số điện thoại «{p}» không hợp lệ (8–15 chữ số).")));
    }
}

impl CustomerForm {
    /// Checks every field and says everything that is wrong at once.
    pub fn validate(&self) -> Result<NewCustomer> {
        let mut errors = Vec::new();
        let name = self.name.trim();
        if name.is_empty() {
            errors.push(FieldError::new(
                "name",
                match self.kind {
                    CustomerKind::Person => "Chưa nhập họ tên khách hàng.",
                    CustomerKind::Business => "Chưa nhập tên đơn vị.",
                },
            ));
        }
        let tax_code = match (self.tax_code.trim(), self.kind) {
            ("", CustomerKind::Business) => {
                errors.push(FieldError::new("tax_code", "Doanh nghiệp cần có mã số thuế để xuất hóa đơn."));
                None
            }
            ("", CustomerKind::Person) => None,
            (typed, kind) => match TaxCode::parse(typed) {
                Ok(t) if kind == CustomerKind::Business && t.kind() == TaxCodeKind::PersonalId => {
                    // Household businesses do use the owner's ID number; accept it.
                    Some(t)
                }
                Ok(t) => Some(t),
                Err(e) => {
                    errors.push(FieldError::new("tax_code", sentence(&e.to_string())));
                    None
                }
            },
        };
        check_email(&self.email, &mut errors);
        check_phone(&self.phone, &mut errors);
        if !errors.is_empty() {
            return Err(Error::invalid(errors));
        }
        Ok(NewCustomer {
            kind: self.kind,
            name: name.to_string(),
            buyer_name: self.buyer_name.trim().to_string(),
            tax_code,
            address: self.address.trim().to_string(),
            email: self.email.trim().to_string(),
            phone: self.phone.trim().to_string(),
        })
    }
}

impl Shop {
    /// Creates (`id` = `None`) or updates a customer. Nothing is written when a field is wrong.
    pub fn save_customer(&self, id: Option<i64>, form: &CustomerForm) -> Result<Customer> {
        let valid = form.validate()?;
        let saved = match id {
            None => self.store.add_customer(&valid)?,
            Some(id) => self.store.update_customer(id, &valid)?,
        };
        tracing::info!(customer = saved.id, "saved customer");
        Ok(saved)
    }

    /// Customers whose name, tax code, phone or e-mail contains `search` (all when empty), by name.
    pub fn customers(&self, search: &str) -> Result<Vec<Customer>> {
        Ok(self.store.customers(search)?)
    }

    /// Customer `id`; [`Error::NotFound`] when there is none.
    pub fn customer(&self, id: i64) -> Result<Customer> {
        Ok(self.store.customer(id)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(kind: CustomerKind, name: &str, tax_code: &str) -> CustomerForm {
        CustomerForm {
            kind,
            name: name.into(),
            buyer_name: String::new(),
            tax_code: tax_code.into(),
            address: String::new(),
            email: String::new(),
            phone: String::new(),
        }
    }

    #[test]
    fn a_wrong_check_digit_is_refused_with_its_reason_and_nothing_is_saved() {
        let shop = Shop::open_in_memory().unwrap();
        let err = shop.save_customer(None, &form(CustomerKind::Business, "Công ty A", "0100109107")).unwrap_err();
        let app = err.to_app_error();
        assert_eq!(app.code, "invalid");
        assert_eq!(app.fields.len(), 1);
        assert_eq!(app.fields[0].field, "tax_code");
        assert_eq!(app.fields[0].message, "Mã số thuế sai chữ số kiểm tra: chữ số thứ 10 phải là 6, không phải 7.");
        assert_eq!(app.message, app.fields[0].message);
        assert!(shop.customers("").unwrap().is_empty());
    }

    #[test]
    fn every_wrong_field_is_named() {
        let mut f = form(CustomerKind::Business, " ", "");
        f.email = "ketoan@".into();
        f.phone = "12ab".into();
        let app = f.validate().unwrap_err().to_app_error();
        let fields: Vec<&str> = app.fields.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["name", "tax_code", "email", "phone"]);
        assert!(app.message.starts_with("Có 4 thông tin chưa hợp lệ"));
    }

    #[test]
    fn people_need_no_tax_code_and_codes_are_normalised() {
        let shop = Shop::open_in_memory().unwrap();
        let p = shop.save_customer(None, &form(CustomerKind::Person, "Lê Thị Hồng", "")).unwrap();
        assert_eq!(p.tax_code, None);
        let b = shop.save_customer(None, &form(CustomerKind::Business, "Chi nhánh Hà Nội", "0100109106001")).unwrap();
        assert_eq!(b.tax_code.as_deref(), Some("0100109106-001"));
        let edited = shop.save_customer(Some(b.id), &form(CustomerKind::Business, "Chi nhánh Hà Nội 2", "0100109106-001")).unwrap();
        assert_eq!(edited.id, b.id);
        assert_eq!(edited.name, "Chi nhánh Hà Nội 2");
    }
}
