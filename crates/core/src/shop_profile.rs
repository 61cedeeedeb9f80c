use hoadon_rules::TaxCode;
use hoadon_store::ShopProfile;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::customers::{check_email, check_phone};
use crate::{Error, FieldError, Result, Shop};

/// The shop's details as typed on the settings screen.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ShopForm {
    /// The shop's name; required.
    pub name: String,
    /// The shop's mã số thuế as typed; may be empty until the shop has one.
    pub tax_code: String,
    /// The shop's address.
    pub address: String,
    /// The shop's phone number; checked when not empty (8–15 digits).
    pub phone: String,
    /// The shop's e-mail address; checked when not empty.
    pub email: String,
    /// The shop's bank account, number and bank as typed.
    pub bank_account: String,
}

impl Shop {
    /// The shop's details as saved; `None` before they were first saved.
    pub fn profile(&self) -> Result<Option<ShopProfile>> {
        Ok(self.store.shop()?)
    }

    /// Checks and saves the shop's details (keeping the demo flag and the start date); every wrong
    /// field is named at once and nothing is written then.
    pub fn save_profile(&self, form: &ShopForm) -> Result<ShopProfile> {
        let mut errors = Vec::new();
        let name = form.name.trim();
        if name.is_empty() {
            errors.push(FieldError::new("name", "Chưa nhập tên cửa hàng."));
        }
        let tax_code = match form.tax_code.trim() {
            "" => None,
            typed => match TaxCode::parse(typed) {
                Ok(t) => Some(t.to_string()),
                Err(e) => {
                    errors.push(FieldError::new("tax_code", crate::customers::sentence(&e.to_string())));
                    None
                }
            },
        };
        check_email(&form.email, &mut errors);
        check_phone(&form.phone, &mut errors);
        if !errors.is_empty() {
            return Err(Error::invalid(errors));
        }
        let previous = self.store.shop()?;
        let profile = ShopProfile {
            name: name.to_string(),
            tax_code,
            address: form.address.trim().to_string(),
            phone: form.phone.trim().to_string(),
            email: form.email.trim().to_string(),
            bank_account: form.bank_account.trim().to_string(),
            is_demo: previous.as_ref().is_some_and(|p| p.is_demo),
            started_at: previous.map(|p| p.started_at).unwrap_or_else(|| hoadon_rules::calendar::now().unix_timestamp()),
        };
        self.store.save_shop(&profile)?;
        Ok(profile)
    }
}
