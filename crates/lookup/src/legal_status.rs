//! The legal status of a registration (tình trạng pháp lý) and what it means for the shop.
//!
//! The registry sends a code (MaTinhTrangPhapLy) and a text (TinhTrangPhapLy). The document
//! points to a code list (DM_TinhtrangHD) but does not print it, so the status is read from
//! the text, which is Vietnamese meant for people and stable across the registry's versions;
//! the code is kept beside it untouched. Text that matches no known status is kept whole in
//! [`LegalStatus::Other`] rather than guessed at.

use serde::{Deserialize, Serialize};
use time::Date;
use unicode_normalization::UnicodeNormalization;

use crate::partner::iso_date;

/// The legal status of a registration, as far as the source tells it: what decides whether
/// the owner is warned before invoicing the partner ([`LegalStatus::needs_warning`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum LegalStatus {
    /// Đang hoạt động.
    Active,
    /// Tạm ngừng kinh doanh: NgayBatDauTamNgung, NgayKetThucTamNgung, LyDoTamNgung.
    Suspended {
        /// NgayBatDauTamNgung: the first day of the suspension.
        #[serde(with = "iso_date::option", default)]
        from: Option<Date>,
        /// NgayKetThucTamNgung: the day it is to end.
        #[serde(with = "iso_date::option", default)]
        to: Option<Date>,
        /// LyDoTamNgung: why, as registered.
        reason: Option<String>,
    },
    /// Đã chấm dứt hoạt động / chấm dứt tồn tại.
    Closed,
    /// Đã giải thể.
    Dissolved,
    /// Đã phá sản.
    Bankrupt,
    /// Any other status (being dissolved, not at the registered address, certificate
    /// revoked, …), with what the registry said.
    Other {
        /// MaTinhTrangPhapLy as sent, if any.
        code: Option<String>,
        /// TinhTrangPhapLy as sent (empty when only a code came).
        text: String,
    },
    /// The source does not tell legal status (public look-ups only give name and address).
    Unknown,
}

impl LegalStatus {
    /// Reads the registry's status block. `text` wins over `code` because the code list
    /// is not published; see the module documentation.
    pub fn from_registry(
        code: Option<&str>,
        text: Option<&str>,
        suspended_from: Option<Date>,
        suspended_to: Option<Date>,
        reason: Option<&str>,
    ) -> LegalStatus {
        let text = text.map(str::trim).filter(|t| !t.is_empty());
        let code = code.map(str::trim).filter(|c| !c.is_empty());
        let Some(text) = text else {
            return match code {
                // Suspension dates without any wording still mean a suspension.
                _ if suspended_from.is_some() => LegalStatus::Suspended {
                    from: suspended_from,
                    to: suspended_to,
                    reason: reason.map(str::to_owned),
                },
                Some(code) => LegalStatus::Other { code: Some(code.to_owned()), text: String::new() },
                None => LegalStatus::Unknown,
            };
        };
        let folded = fold(text);
        let has = |needle: &str| folded.contains(needle);
        let ending = ["giai the", "pha san", "cham dut"].iter().filter(|n| has(n)).count();

        if has("dang lam thu tuc") || has("dang giai the") || has("thu hoi") || has("khong hoat dong tai")
            || has("khong con hoat dong tai")
        {
            // In progress or irregular: warn with the registry's own words.
            LegalStatus::Other { code: code.map(str::to_owned), text: text.to_owned() }
        } else if has("tam ngung") || has("tam dung") {
            LegalStatus::Suspended {
                from: suspended_from,
                to: suspended_to,
                reason: reason.map(str::trim).filter(|r| !r.is_empty()).map(str::to_owned),
            }
        } else if ending > 1 || has("cham dut") {
            // "Đã giải thể, phá sản, chấm dứt tồn tại" lumps the endings together.
            LegalStatus::Closed
        } else if has("pha san") {
            LegalStatus::Bankrupt
        } else if has("giai the") {
            LegalStatus::Dissolved
        } else if has("dang hoat dong") || folded == "hoat dong" {
            LegalStatus::Active
        } else {
            LegalStatus::Other { code: code.map(str::to_owned), text: text.to_owned() }
        }
    }

    /// Anything but an active registration deserves a warning before an invoice is issued
    /// to the partner; an unknown status does not, or public look-ups would always warn.
    pub fn needs_warning(&self) -> bool {
        !matches!(self, LegalStatus::Active | LegalStatus::Unknown)
    }

    /// The status in Vietnamese for the shop owner. `code` and `text` are what the registry
    /// sent, used when the status is one this crate has no wording for.
    pub fn describe(&self, code: Option<&str>, text: Option<&str>) -> String {
        match self {
            LegalStatus::Active => "Đang hoạt động".to_owned(),
            LegalStatus::Suspended { from, to, reason } => {
                let mut out = String::from("Tạm ngừng kinh doanh");
                if let Some(from) = from {
                    out.push_str(&format!(" từ ngày {}", hoadon_rules::calendar::format_date(*from)));
                }
                if let Some(to) = to {
                    out.push_str(&format!(" đến ngày {}", hoadon_rules::calendar::format_date(*to)));
                }
                if let Some(reason) = reason {
                    out.push_str(&format!(". Lý do: {reason}"));
                }
                out
            }
            LegalStatus::Closed => "Đã chấm dứt hoạt động".to_owned(),
            LegalStatus::Dissolved => "Đã giải thể".to_owned(),
            LegalStatus::Bankrupt => "Đã phá sản".to_owned(),
            LegalStatus::Other { code: own_code, text: own_text } => {
                let text = Some(own_text.as_str()).filter(|t| !t.is_empty()).or(text);
                match (text, own_code.as_deref().or(code)) {
                    (Some(text), _) => text.to_owned(),
                    (None, Some(code)) => format!("Tình trạng pháp lý mã {code} (chưa rõ ý nghĩa)"),
                    (None, None) => "Tình trạng pháp lý chưa rõ".to_owned(),
                }
            }
            LegalStatus::Unknown => "Chưa rõ tình trạng pháp lý (nguồn tra cứu không cho biết)".to_owned(),
        }
    }
}

/// Lower case without tone marks, `đ` as `d`, single spaces: the registry's texts come in
/// composed or decomposed Unicode and with varying capitals.
fn fold(text: &str) -> String {
    let stripped: String = text
        .nfd()
        .filter(|c| !('\u{0300}'..='\u{036f}').contains(c))
        .map(|c| match c {
            'đ' | 'Đ' => 'd',
            other => other,
        })
        .flat_map(char::to_lowercase)
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    stripped.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn read(text: &str) -> LegalStatus {
        LegalStatus::from_registry(Some("X"), Some(text), None, None, None)
    }

    #[test]
    fn registry_wordings_map_to_states() {
        assert_eq!(read("Đang hoạt động"), LegalStatus::Active);
        assert_eq!(read("ĐANG HOẠT ĐỘNG"), LegalStatus::Active);
        assert!(matches!(read("Tạm ngừng kinh doanh có thời hạn"), LegalStatus::Suspended { .. }));
        assert_eq!(read("Đã chấm dứt hoạt động"), LegalStatus::Closed);
        assert_eq!(read("Đã giải thể, phá sản, chấm dứt tồn tại"), LegalStatus::Closed);
        assert_eq!(read("Đã giải thể"), LegalStatus::Dissolved);
        assert_eq!(read("Đã phá sản"), LegalStatus::Bankrupt);
        assert!(matches!(read("Đang làm thủ tục giải thể"), LegalStatus::Other { .. }));
        assert!(matches!(read("Không hoạt động tại địa chỉ đã đăng ký"), LegalStatus::Other { .. }));
        assert!(matches!(read("Bị thu hồi Giấy chứng nhận đăng ký doanh nghiệp"), LegalStatus::Other { .. }));
    }

    #[test]
    fn decomposed_unicode_reads_the_same() {
        let decomposed: String = "Đã giải thể".nfd().collect();
        assert_eq!(read(&decomposed), LegalStatus::Dissolved);
    }

    #[test]
    fn unknown_wording_is_kept_with_its_code() {
        let status = LegalStatus::from_registry(Some("09"), Some("Trạng thái mới"), None, None, None);
        assert_eq!(status, LegalStatus::Other { code: Some("09".into()), text: "Trạng thái mới".into() });
        assert!(status.needs_warning());
        assert_eq!(status.describe(Some("09"), Some("Trạng thái mới")), "Trạng thái mới");
        let bare = LegalStatus::from_registry(Some("09"), None, None, None, None);
        assert_eq!(bare.describe(Some("09"), None), "Tình trạng pháp lý mã 09 (chưa rõ ý nghĩa)");
    }

    #[test]
    fn suspension_is_described_with_dates_and_reason() {
        let status = LegalStatus::from_registry(
            Some("02"),
            Some("Tạm ngừng kinh doanh có thời hạn"),
            Some(date!(2026 - 03 - 01)),
            Some(date!(2027 - 02 - 28)),
            Some("Sắp xếp lại hoạt động"),
        );
        assert_eq!(
            status.describe(None, None),
            "Tạm ngừng kinh doanh từ ngày 01/03/2026 đến ngày 28/02/2027. Lý do: Sắp xếp lại hoạt động"
        );
        assert!(status.needs_warning());
    }

    #[test]
    fn only_active_and_unknown_go_without_warning() {
        assert!(!LegalStatus::Active.needs_warning());
        assert!(!LegalStatus::Unknown.needs_warning());
        for status in [LegalStatus::Closed, LegalStatus::Dissolved, LegalStatus::Bankrupt] {
            assert!(status.needs_warning());
        }
    }
}
