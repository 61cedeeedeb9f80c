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
    pub name: String,
    pub tax_code: String,
    pub address: String,
    pub phone: String,
    pub email: String,
    pub bank_account: String,
}

impl Shop {
    pub fn profile(&self) -> Result<Option<ShopProfile>> {
        Ok(self.store.shop()?)
    }

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
