//! Look-up failures as the app's one [`Error`]: an invalid tax code names the field, every
//! other failure keeps the look-up's own sentence under a `lookup_*` code.

use hoadon_lookup::LookupError;

use crate::customers::sentence;
use crate::Error;

impl From<LookupError> for Error {
    /// An invalid tax code is a refusal of the `tax_code` field, worded as the customer form
    /// words it; everything else keeps the look-up's own sentence under a `lookup_*` code.
    fn from(e: LookupError) -> Error {
        let code = match &e {
            LookupError::InvalidTaxCode(reason) => return Error::field("tax_code", sentence(&reason.to_string())),
            LookupError::RejectedTaxCode { .. } => return Error::field("tax_code", e.to_string()),
            LookupError::InvalidQuery(_) => return Error::field("query", e.to_string()),
            LookupError::NotFound { .. } => "lookup_not_found",
            LookupError::DossierNotFound { .. } => "lookup_dossier_not_found",
            LookupError::RateLimited { .. } => "lookup_rate_limited",
            LookupError::Unreachable { .. } => "lookup_unreachable",
            LookupError::BadCredentials { .. } => "lookup_bad_credentials",
            LookupError::Malformed { .. } => "lookup_malformed",
            LookupError::NotCached { .. } => "lookup_not_cached",
            LookupError::NoSource => "lookup_no_source",
        };
        Error::Lookup { code, message: e.to_string() }
    }
}

pub(super) fn no_nbrs() -> Error {
    Error::Lookup {
        code: "lookup_no_nbrs",
        message: "Tra cứu hồ sơ đăng ký cần kết nối Hệ thống thông tin quốc gia về đăng ký doanh nghiệp (NBRS). \
                  Vui lòng cài đặt NBRS trong Cài đặt › Tra cứu mã số thuế."
            .to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hoadon_lookup::TaxCode;

    #[test]
    fn a_lookup_error_keeps_its_sentence_and_an_invalid_code_names_the_field() {
        let reason = TaxCode::parse("0109526017").unwrap_err();
        let app = Error::from(LookupError::from(reason)).to_app_error();
        assert_eq!(app.code, "invalid");
        assert_eq!(app.fields[0].field, "tax_code");
        assert!(app.message.starts_with("Mã số thuế sai chữ số kiểm tra"), "{}", app.message);
        let app = Error::from(LookupError::NoSource).to_app_error();
        assert_eq!(app.code, "lookup_no_source");
        assert!(app.message.starts_with("Chưa cài đặt nguồn tra cứu"));
    }
}
