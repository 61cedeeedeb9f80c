//! The business partner as the app keeps it, whichever source described it.

use std::fmt;

use hoadon_rules::TaxCode;
use serde::{Deserialize, Serialize};
use time::Date;

use crate::legal_status::LegalStatus;

// Dates travel as ISO `yyyy-MM-dd` in the JSON the store keeps: readable in the database,
// sortable, and what the UI's date inputs speak. (`time`'s own serde form is a tuple.)
time::serde::format_description!(pub(crate) iso_date, Date, "[year]-[month]-[day]");

/// What kind of registration the partner holds; the registry keeps each in its own book.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartnerKind {
    /// Doanh nghiệp (or one of its branches / representative offices).
    Enterprise,
    /// Hợp tác xã.
    Cooperative,
    /// Hộ kinh doanh.
    Household,
}

impl PartnerKind {
    /// The Vietnamese word for the kind, as the UI shows it.
    pub fn label(self) -> &'static str {
        match self {
            PartnerKind::Enterprise => "Doanh nghiệp",
            PartnerKind::Cooperative => "Hợp tác xã",
            PartnerKind::Household => "Hộ kinh doanh",
        }
    }
}

/// Which source gave an answer: kept with the answer because sources differ in how much
/// they know (only the registry knows the legal status).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// The national business registry through NDXP.
    Nbrs,
    /// A public look-up of the VietQR kind.
    #[serde(rename = "vietqr")]
    VietQr,
}

impl Source {
    /// The value of the store's `source` column.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Nbrs => "nbrs",
            Source::VietQr => "vietqr",
        }
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Source::Nbrs => "Hệ thống thông tin quốc gia về đăng ký doanh nghiệp",
            Source::VietQr => "dịch vụ tra cứu mã số thuế VietQR",
        })
    }
}

/// A business partner: an enterprise, a cooperative or a household business.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Partner {
    /// The tax code asked about, canonical; an answer about another code is refused as malformed.
    pub tax_code: TaxCode,
    /// Enterprise, cooperative or household business.
    pub kind: PartnerKind,
    /// The Vietnamese name (TenTiengViet), as printed on invoices.
    pub name: String,
    /// TenNuocNgoai.
    pub international_name: Option<String>,
    /// TenVietTat.
    pub short_name: Option<String>,
    /// The legal status as read from the registry's wording; [`LegalStatus::Unknown`] from
    /// sources that do not tell it.
    pub legal_status: LegalStatus,
    /// MaTinhTrangPhapLy as the registry sent it, for support and for codes this crate
    /// does not know yet.
    pub legal_status_code: Option<String>,
    /// TinhTrangPhapLy as the registry worded it.
    pub legal_status_text: Option<String>,
    /// The legal representative (DaiDienPhapLuat), or the owner of a household business
    /// (ChuHoKinhDoanh).
    pub representative: Option<Representative>,
    /// The head office (trụ sở chính) address; [`Partner::address_line`] gives it on one line.
    pub head_office_address: Option<Address>,
    /// NganhNghe: the registered business lines; empty when the source does not list them.
    pub business_lines: Vec<BusinessLine>,
    /// NgayDangKyLanDau: founding date of an enterprise, first registration otherwise.
    #[serde(with = "iso_date::option", default)]
    pub founding_date: Option<Date>,
    /// NgayDangKyThayDoi: the latest registered change.
    #[serde(with = "iso_date::option", default)]
    pub last_change_date: Option<Date>,
    /// SoLanDangKyThayDoi.
    pub change_count: Option<u32>,
    /// The registry's own identifiers and type of registration; empty from public look-ups.
    pub registration: Registration,
    /// Which source gave this answer.
    pub source: Source,
    /// When the source answered, in Unix seconds.
    pub fetched_at: i64,
}

impl Partner {
    /// Whether the shop owner should be warned before trading with this partner: anything
    /// but an active registration (an unknown status is not a reason to alarm anyone).
    pub fn needs_warning(&self) -> bool {
        self.legal_status.needs_warning()
    }

    /// The legal status in Vietnamese, as the UI shows it under the name.
    pub fn status_description(&self) -> String {
        self.legal_status.describe(self.legal_status_code.as_deref(), self.legal_status_text.as_deref())
    }

    /// The full head-office address on one line, as an invoice prints it.
    pub fn address_line(&self) -> Option<String> {
        self.head_office_address.as_ref().and_then(Address::one_line)
    }

    /// The main business line, if the source said which one it is.
    pub fn main_business_line(&self) -> Option<&BusinessLine> {
        self.business_lines.iter().find(|line| line.main)
    }
}

/// The registry's own identifiers and type of the registration.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Registration {
    /// MaNoiBo: the registry's internal number.
    pub internal_id: Option<String>,
    /// SoGCNDKKD: the number of an enterprise's old business registration certificate.
    pub old_certificate_no: Option<String>,
    /// MaSoDangKyHKD: a household business's registration number.
    pub household_registration_no: Option<String>,
    /// MaLoaiHinhDN / MaLoaiHinhHTX / MaLoaiHinhHKD.
    pub type_code: Option<String>,
    /// LoaiHinhDN / LoaiHinhHTX / LoaiHinhHKD, e.g. "Công ty trách nhiệm hữu hạn hai thành viên trở lên".
    pub type_name: Option<String>,
}

/// The person who answers for the partner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Representative {
    /// Whether the person represents an enterprise, cooperative or branch, or owns a household business.
    pub role: RepresentativeRole,
    /// HoVaTen as sent: the registry joins several representatives with `;`.
    pub name: String,
    /// LoaiGiayToChungThuc, e.g. "Căn cước công dân".
    pub id_document_type: Option<String>,
    /// MaLoaiGiayToChungThuc.
    pub id_document_type_code: Option<String>,
    /// SoGiayChungThuc.
    pub id_document_number: Option<String>,
    /// NgayCap.
    #[serde(with = "iso_date::option", default)]
    pub id_issued_on: Option<Date>,
    /// NoiCap.
    pub id_issued_by: Option<String>,
    /// QuocTich.
    pub nationality: Option<String>,
    /// MaQuocTich.
    pub nationality_code: Option<String>,
}

impl Representative {
    /// Each representative's name, when the registry listed several in one field.
    pub fn names(&self) -> Vec<&str> {
        self.name.split(';').map(str::trim).filter(|n| !n.is_empty()).collect()
    }
}

/// In what capacity the person answers for the partner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RepresentativeRole {
    /// Người đại diện theo pháp luật (or head of a branch).
    LegalRepresentative,
    /// Chủ hộ kinh doanh.
    HouseholdOwner,
}

/// The head-office address, with the registry's administrative codes when it sent them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Address {
    /// QuocGia (enterprises only).
    pub country: Option<String>,
    /// MaQuocGia.
    pub country_code: Option<String>,
    /// TenTinhThanh / MaTinhThanh.
    pub province: Option<String>,
    /// MaTinhThanh.
    pub province_code: Option<String>,
    /// TenQuanHuyen / MaQuanHuyen: gone from addresses registered after the 2025 reform.
    pub district: Option<String>,
    /// MaQuanHuyen.
    pub district_code: Option<String>,
    /// TenPhuongXa / MaPhuongXa.
    pub ward: Option<String>,
    /// MaPhuongXa.
    pub ward_code: Option<String>,
    /// SoNha: house number, street, hamlet.
    pub street: Option<String>,
    /// DiaChi (enterprises, cooperatives) or DiaChiDayDu (households): the full address.
    pub full: Option<String>,
}

impl Address {
    /// The full address if the source wrote one, else the parts joined as Vietnamese
    /// addresses are written, from the smallest unit to the largest.
    pub fn one_line(&self) -> Option<String> {
        if let Some(full) = &self.full {
            return Some(full.clone());
        }
        let parts: Vec<&str> = [&self.street, &self.ward, &self.district, &self.province]
            .into_iter()
            .filter_map(|p| p.as_deref())
            .collect();
        (!parts.is_empty()).then(|| parts.join(", "))
    }
}

/// One registered business line (ngành nghề kinh doanh).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BusinessLine {
    /// MaNganh, the VSIC code.
    pub code: String,
    /// TenNganh: the name of the line.
    pub name: String,
    /// LaNganhChinh = "Y".
    pub main: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn address_falls_back_to_its_parts_smallest_first() {
        let address = Address {
            street: Some("12 Lý Thường Kiệt".into()),
            ward: Some("Phường Cửa Nam".into()),
            province: Some("Thành phố Hà Nội".into()),
            ..Address::default()
        };
        assert_eq!(address.one_line().unwrap(), "12 Lý Thường Kiệt, Phường Cửa Nam, Thành phố Hà Nội");
        assert_eq!(Address::default().one_line(), None);
    }

    #[test]
    fn several_representatives_in_one_field_are_split() {
        let rep = Representative {
            role: RepresentativeRole::LegalRepresentative,
            name: "Nguyễn Văn An; Trần Thị Bình ;".into(),
            id_document_type: None,
            id_document_type_code: None,
            id_document_number: None,
            id_issued_on: None,
            id_issued_by: None,
            nationality: None,
            nationality_code: None,
        };
        assert_eq!(rep.names(), vec!["Nguyễn Văn An", "Trần Thị Bình"]);
    }
}
