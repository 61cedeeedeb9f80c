//! Why a look-up gave no partner, told in Vietnamese for the shop owner.

use hoadon_rules::tax_code::TaxCodeError;
use thiserror::Error;

use crate::partner::Source;

/// One error for every source. Messages are complete Vietnamese sentences meant for the
/// screen; the variants keep the facts for code that must react (fall back to the cache,
/// offer to retry later, open the settings).
///
/// "Not found" and "unreachable" are kept strictly apart: the first is an answer (the
/// registry has no such business, which matters before issuing an invoice), the second is
/// the absence of one.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum LookupError {
    /// Refused before anything was sent.
    #[error("Mã số thuế không hợp lệ: {0}.")]
    InvalidTaxCode(#[from] TaxCodeError),

    /// A source judged the code invalid although it passed the local checks (VietQR `"51"`).
    #[error("{service} cho biết mã số thuế {tax_code} không hợp lệ ({detail}).")]
    RejectedTaxCode {
        /// The source that answered.
        service: Source,
        /// The code asked about, canonical.
        tax_code: String,
        /// What the source said, as it said it.
        detail: String,
    },

    /// The source has no business under this code: an answer, which the owner must see before
    /// invoicing it, never replaced by a stored one.
    #[error("Không tìm thấy doanh nghiệp, hợp tác xã hay hộ kinh doanh nào có mã số thuế {tax_code} ({service}).")]
    NotFound {
        /// The source that answered.
        service: Source,
        /// The code asked about, canonical.
        tax_code: String,
    },

    /// The registry has no dossier under this ProcessID or journal number.
    #[error("Không tìm thấy hồ sơ đăng ký {reference} ({service}).")]
    DossierNotFound {
        /// The source that answered.
        service: Source,
        /// The ProcessID or journal number asked about.
        reference: String,
    },

    /// The dossier query was refused locally (dates, site code, journal number).
    #[error("Yêu cầu tra cứu hồ sơ không hợp lệ: {0}.")]
    InvalidQuery(String),

    /// The source kept answering HTTP 429: past the retries of its
    /// [`RetryPolicy`](crate::RetryPolicy), or asking for a longer wait than the look-up may spend.
    #[error("{service} đang giới hạn số lần tra cứu, vui lòng thử lại {}.", wait_hint(*retry_after_secs))]
    RateLimited {
        /// The source that refused.
        service: Source,
        /// How long the source asked to wait (`Retry-After`), when it said.
        retry_after_secs: Option<u64>,
    },

    /// No answer: the network, a timeout, a server error (HTTP 5xx), a redirect (never
    /// followed), or an address refused as insecure (a credential may only travel over
    /// `https://`, or to this computer).
    #[error("Không kết nối được tới {service} ({detail}). Vui lòng kiểm tra mạng Internet rồi thử lại.")]
    Unreachable {
        /// The source that could not be reached.
        service: Source,
        /// Why, in a few words (a timeout, a refused connection, an address refused as insecure).
        detail: String,
    },

    /// The source refused the client id / secret or API key (HTTP 401 or 403, or the token
    /// endpoint's 400).
    #[error("{service} không chấp nhận thông tin đăng nhập (mã ứng dụng hoặc khóa bí mật sai, hoặc đã bị thu hồi). Vui lòng kiểm tra phần Cài đặt tra cứu.")]
    BadCredentials {
        /// The source that refused the credentials.
        service: Source,
    },

    /// The source answered something this crate cannot read: bad JSON, an unexpected HTTP
    /// status (a 404 without a body usually means a wrong path), an answer too large, or one
    /// about another code.
    #[error("{service} trả lời không đúng định dạng ({detail}). Vui lòng thử lại sau hoặc báo cho bộ phận hỗ trợ.")]
    Malformed {
        /// The source that answered.
        service: Source,
        /// What could not be read.
        detail: String,
    },

    /// `--offline`, or nothing reachable, and nothing stored for this code.
    #[error("Đang làm việc ngoại tuyến và chưa có thông tin lưu sẵn cho mã số thuế {tax_code}.")]
    NotCached {
        /// The code asked about, canonical.
        tax_code: String,
    },

    /// No source is configured, so nothing could be asked.
    #[error("Chưa cài đặt nguồn tra cứu mã số thuế nào. Vui lòng mở phần Cài đặt tra cứu.")]
    NoSource,
}

impl LookupError {
    /// The source could not give an answer at all, so another source (or the cache) may
    /// stand in. "Not found" and a refused tax code are answers, so they are not.
    pub fn is_unavailable(&self) -> bool {
        matches!(
            self,
            LookupError::Unreachable { .. }
                | LookupError::RateLimited { .. }
                | LookupError::BadCredentials { .. }
                | LookupError::Malformed { .. }
                | LookupError::NoSource
        )
    }

    /// The source that answered (or failed to), if any.
    pub fn service(&self) -> Option<Source> {
        match self {
            LookupError::RejectedTaxCode { service, .. }
            | LookupError::NotFound { service, .. }
            | LookupError::DossierNotFound { service, .. }
            | LookupError::RateLimited { service, .. }
            | LookupError::Unreachable { service, .. }
            | LookupError::BadCredentials { service }
            | LookupError::Malformed { service, .. } => Some(*service),
            LookupError::InvalidTaxCode(_)
            | LookupError::InvalidQuery(_)
            | LookupError::NotCached { .. }
            | LookupError::NoSource => None,
        }
    }
}

fn wait_hint(retry_after_secs: Option<u64>) -> String {
    match retry_after_secs {
        Some(secs) if secs >= 120 => format!("sau khoảng {} phút", secs.div_ceil(60)),
        Some(secs) => format!("sau khoảng {secs} giây"),
        None => "sau ít phút".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_code_message_carries_the_exact_reason() {
        let reason = hoadon_rules::TaxCode::parse("0109526017").unwrap_err();
        let message = LookupError::from(reason.clone()).to_string();
        assert_eq!(message, format!("Mã số thuế không hợp lệ: {reason}."));
        assert!(message.contains("chữ số kiểm tra"));
    }

    #[test]
    fn not_found_and_unreachable_differ() {
        let not_found = LookupError::NotFound { service: Source::Nbrs, tax_code: "0109526016".into() };
        let unreachable = LookupError::Unreachable { service: Source::Nbrs, detail: "hết thời gian chờ".into() };
        assert!(!not_found.is_unavailable());
        assert!(unreachable.is_unavailable());
        assert!(not_found.to_string().starts_with("Không tìm thấy"));
        assert!(unreachable.to_string().starts_with("Không kết nối được"));
    }

    #[test]
    fn rate_limit_message_says_how_long_to_wait() {
        let e = LookupError::RateLimited { service: Source::VietQr, retry_after_secs: Some(300) };
        assert!(e.to_string().contains("sau khoảng 5 phút"), "{e}");
        let e = LookupError::RateLimited { service: Source::VietQr, retry_after_secs: None };
        assert!(e.to_string().contains("sau ít phút"), "{e}");
    }
}
