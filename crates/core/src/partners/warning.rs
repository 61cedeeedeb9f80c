//! The warning before invoicing a buyer that is no longer active: from the cache only, so
//! issuing an invoice never waits on a registry.

use hoadon_lookup::TaxCode;
use hoadon_rules::calendar;

use crate::{Result, Shop};

impl Shop {
    /// Why the owner should think twice before invoicing sale `sale_id`: its buyer's last
    /// look-up (from the cache, no request is sent) found it suspended, closed, dissolved,
    /// bankrupt or otherwise irregular. `None` for a walk-in buyer, a buyer without tax code,
    /// one never looked up, or an active one.
    pub fn buyer_warning(&self, sale_id: i64) -> Result<Option<String>> {
        let sale = self.store.sale(sale_id)?;
        let Some(customer) = sale.customer else {
            return Ok(None);
        };
        let Some(tax_code) = customer.tax_code.as_deref().and_then(|t| TaxCode::parse(t).ok()) else {
            return Ok(None);
        };
        let Some((partner, fetched_at)) = self.cached_partner(&tax_code)? else {
            return Ok(None);
        };
        if !partner.needs_warning() {
            return Ok(None);
        }
        Ok(Some(format!(
            "Người mua «{}» (MST {}) đang ở tình trạng «{}» theo thông tin tra cứu lúc {}. Hóa đơn xuất cho người mua \
             không còn hoạt động bình thường có thể không được cơ quan thuế chấp nhận.",
            customer.name,
            tax_code.as_str(),
            partner.status_description(),
            calendar::format_moment(fetched_at)
        )))
    }
}
