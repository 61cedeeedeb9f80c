//! What the UI gets from a look-up: [`PartnerLookupResult`] and its [`PartnerStatus`].

use hoadon_lookup::{LegalStatus, LookupAnswer, Partner, RepresentativeRole};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The legal status, as the UI colours it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum PartnerStatus {
    /// Đang hoạt động: no warning.
    Active,
    /// Tạm ngừng kinh doanh.
    Suspended,
    /// Đã chấm dứt hoạt động.
    Closed,
    /// Đã giải thể.
    Dissolved,
    /// Đã phá sản.
    Bankrupt,
    /// Another status the registry named (being dissolved, not at its address, …).
    Other,
    /// The source does not tell (public look-ups).
    Unknown,
}

impl PartnerStatus {
    fn of(status: &LegalStatus) -> PartnerStatus {
        match status {
            LegalStatus::Active => PartnerStatus::Active,
            LegalStatus::Suspended { .. } => PartnerStatus::Suspended,
            LegalStatus::Closed => PartnerStatus::Closed,
            LegalStatus::Dissolved => PartnerStatus::Dissolved,
            LegalStatus::Bankrupt => PartnerStatus::Bankrupt,
            LegalStatus::Other { .. } => PartnerStatus::Other,
            LegalStatus::Unknown => PartnerStatus::Unknown,
        }
    }
}

/// What "Tra cứu" in the customer form shows and fills in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PartnerLookupResult {
    /// The canonical tax code (`0100109106-001`).
    pub tax_code: String,
    /// "Doanh nghiệp", "Hợp tác xã", "Hộ kinh doanh".
    pub kind_label: String,
    /// The Vietnamese name, as invoices print it: fills "Tên đơn vị".
    pub name: String,
    /// The short name (tên viết tắt), when registered.
    pub short_name: Option<String>,
    /// The name in a foreign language (tên nước ngoài), when registered.
    pub international_name: Option<String>,
    /// The head office on one line: fills "Địa chỉ".
    pub address: Option<String>,
    /// The (first) legal representative or household owner: fills "Họ tên người mua hàng".
    pub representative: Option<String>,
    /// Every representative's name, when the registry listed several.
    pub representatives: Vec<String>,
    /// "Người đại diện theo pháp luật" or "Chủ hộ kinh doanh".
    pub representative_role: Option<String>,
    /// The legal status, for the UI's colour; `status_text` words it.
    pub status: PartnerStatus,
    /// The status in Vietnamese ("Đã chấm dứt hoạt động", "Tạm ngừng kinh doanh từ ngày …").
    pub status_text: String,
    /// Set for a suspended, closed, dissolved, bankrupt or otherwise irregular partner.
    pub warning: Option<String>,
    /// Which source answered, in Vietnamese.
    pub source_label: String,
    /// When the source gave this answer (Unix seconds).
    #[ts(type = "number")]
    pub fetched_at: i64,
    /// Served from the shop's cache rather than by a source just now.
    pub cached: bool,
    /// For a cached answer: "Thông tin lưu lúc 05/03/2026 14:05:00 (…)", the time and why.
    pub note: Option<String>,
}

fn representative_role(role: RepresentativeRole) -> &'static str {
    match role {
        RepresentativeRole::LegalRepresentative => "Người đại diện theo pháp luật",
        RepresentativeRole::HouseholdOwner => "Chủ hộ kinh doanh",
    }
}

/// The warning under a partner that should not be invoiced without a second thought.
fn partner_warning(partner: &Partner) -> Option<String> {
    partner.needs_warning().then(|| {
        format!(
            "Cảnh báo: {} này đang ở tình trạng «{}». Hóa đơn xuất cho người mua không còn hoạt động bình thường \
             có thể không được cơ quan thuế chấp nhận; hãy kiểm tra kỹ trước khi xuất hóa đơn.",
            partner.kind.label().to_lowercase(),
            partner.status_description()
        )
    })
}

impl PartnerLookupResult {
    pub(super) fn of(answer: &LookupAnswer) -> PartnerLookupResult {
        let partner = &answer.partner;
        let representatives: Vec<String> = partner
            .representative
            .as_ref()
            .map(|r| r.names().into_iter().map(str::to_owned).collect())
            .unwrap_or_default();
        PartnerLookupResult {
            tax_code: partner.tax_code.as_str().to_owned(),
            kind_label: partner.kind.label().to_owned(),
            name: partner.name.clone(),
            short_name: partner.short_name.clone(),
            international_name: partner.international_name.clone(),
            address: partner.address_line(),
            representative: representatives.first().cloned(),
            representative_role: partner.representative.as_ref().map(|r| representative_role(r.role).to_owned()),
            representatives,
            status: PartnerStatus::of(&partner.legal_status),
            status_text: partner.status_description(),
            warning: partner_warning(partner),
            source_label: partner.source.to_string(),
            fetched_at: partner.fetched_at,
            cached: answer.is_cached(),
            note: answer.note(),
        }
    }
}
