use hoadon_rules::{Dong, VatRate};
use hoadon_store::{NewProduct, Product};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::customers::sentence;
use crate::{Error, FieldError, Result, Shop};

/// A product as typed in the form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ProductForm {
    /// The shop's own code for the product; required, no spaces, unique.
    pub sku: String,
    /// The name printed on invoice lines; required.
    pub name: String,
    /// Đơn vị tính (cái, kg, hộp…); may be empty.
    pub unit: String,
    /// The price before VAT as typed (`1.650.000`); not negative.
    pub unit_price: String,
    /// The VAT rate as typed (`10`, `8`, `KCT`, `KHAC:5.26`).
    pub vat_rate: String,
}

impl ProductForm {
    /// Checks every field and says everything that is wrong at once; the product belongs to the
    /// shop itself.
    pub fn validate(&self) -> Result<NewProduct> {
        let mut errors = Vec::new();
        let sku = self.sku.trim();
        if sku.is_empty() {
            errors.push(FieldError::new("sku", "Chưa nhập mã hàng (SKU)."));
        } else if sku.chars().any(char::is_whitespace) {
            errors.push(FieldError::new("sku", "Mã hàng (SKU) không được chứa khoảng trắng."));
        }
        let name = self.name.trim();
        if name.is_empty() {
            errors.push(FieldError::new("name", "Chưa nhập tên sản phẩm."));
        }
        let unit_price = match Dong::parse(&self.unit_price) {
            Ok(p) if p.0 < 0 => {
                errors.push(FieldError::new("unit_price", "Đơn giá không được âm."));
                Dong::ZERO
            }
            Ok(p) => p,
            Err(e) => {
                errors.push(FieldError::new("unit_price", sentence(&format!("đơn giá: {e}"))));
                Dong::ZERO
            }
        };
        let vat_rate = match self.vat_rate.parse::<VatRate>() {
            Ok(r) => r,
            Err(e) => {
                errors.push(FieldError::new("vat_rate", sentence(&e.to_string())));
                VatRate::Ten
            }
        };
        if !errors.is_empty() {
            return Err(Error::invalid(errors));
        }
        Ok(NewProduct {
            sku: sku.to_string(),
            name: name.to_string(),
            unit: self.unit.trim().to_string(),
            unit_price,
            vat_rate,
            seller_id: None,
            created_at: None,
        })
    }
}

impl Shop {
    /// Creates (`id` = `None`) or updates a product. Nothing is written when a field is wrong;
    /// [`Error::DuplicateSku`] when the SKU is another product's.
    pub fn save_product(&self, id: Option<i64>, form: &ProductForm) -> Result<Product> {
        let valid = form.validate()?;
        Ok(match id {
            None => self.store.add_product(&valid)?,
            Some(id) => self.store.update_product(id, &valid)?,
        })
    }

    /// Products whose SKU or name contains `search` (all when empty), by name.
    pub fn products(&self, search: &str) -> Result<Vec<Product>> {
        Ok(self.store.products(search)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validates_and_saves() {
        let shop = Shop::open_in_memory().unwrap();
        let mut f = ProductForm {
            sku: "TRA-01".into(),
            name: "Trà Shan Tuyết".into(),
            unit: "hộp".into(),
            unit_price: "185.000".into(),
            vat_rate: "10".into(),
        };
        let p = shop.save_product(None, &f).unwrap();
        assert_eq!(p.unit_price, Dong(185_000));
        let app = shop.save_product(None, &f).unwrap_err().to_app_error();
        assert_eq!(app.code, "duplicate_sku");
        assert_eq!(app.fields[0].field, "sku");
        f.unit_price = "1,5".into();
        f.vat_rate = "12".into();
        let app = f.validate().unwrap_err().to_app_error();
        assert_eq!(app.fields.iter().map(|f| f.field.as_str()).collect::<Vec<_>>(), ["unit_price", "vat_rate"]);
    }
}
