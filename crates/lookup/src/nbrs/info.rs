//! EntInfo, CoopInfo and HouseInfo (sections 3.1, 4.1 and 5.1 of the registry's document)
//! read into a [`Partner`].
//!
//! The three blocks share their layout; they differ in the names of the code and type
//! fields, in who answers for the business (DaiDienPhapLuat or ChuHoKinhDoanh), in whether
//! the address has a country, and in the name of the full address (DiaChi or DiaChiDayDu).

use hoadon_rules::TaxCode;
use serde_json::Value;

use super::block::{Block, Read};
use crate::legal_status::LegalStatus;
use crate::partner::{Address, BusinessLine, Partner, PartnerKind, Registration, Representative, RepresentativeRole, Source};

struct Layout {
    kind: PartnerKind,
    code: &'static str,
    type_code: &'static str,
    type_name: &'static str,
    person: &'static str,
    role: RepresentativeRole,
}

const ENT: Layout = Layout {
    kind: PartnerKind::Enterprise,
    code: "MaSoDoanhNghiep",
    type_code: "MaLoaiHinhDN",
    type_name: "LoaiHinhDN",
    person: "DaiDienPhapLuat",
    role: RepresentativeRole::LegalRepresentative,
};
const COOP: Layout = Layout {
    kind: PartnerKind::Cooperative,
    code: "MaSoHTX",
    type_code: "MaLoaiHinhHTX",
    type_name: "LoaiHinhHTX",
    person: "DaiDienPhapLuat",
    role: RepresentativeRole::LegalRepresentative,
};
const HOUSE: Layout = Layout {
    kind: PartnerKind::Household,
    code: "MaSoHKD",
    type_code: "MaLoaiHinhHKD",
    type_name: "LoaiHinhHKD",
    person: "ChuHoKinhDoanh",
    role: RepresentativeRole::HouseholdOwner,
};

/// What the basic-information answer held.
#[derive(Debug)]
pub(crate) enum InfoAnswer {
    Found(Box<Partner>),
    /// None of the three blocks, or an empty one.
    Empty,
    /// A block for another business than the one asked about.
    OtherCode(String),
}

pub(crate) fn read(root: &Value, asked: &TaxCode, fetched_at: i64) -> Read<InfoAnswer> {
    let Some((name, block)) = Block::find(root, &["EntInfo", "CoopInfo", "HouseInfo"]) else {
        return Ok(InfoAnswer::Empty);
    };
    let layout = match name {
        "EntInfo" => &ENT,
        "CoopInfo" => &COOP,
        _ => &HOUSE,
    };
    // Households registered before codes were unified may carry a registration number in
    // the code field, which is no tax code: only a parsable code can contradict the request.
    let answered = block.text(layout.code).and_then(|c| TaxCode::parse(&c).ok());
    if let Some(other) = answered.filter(|answered| answered != asked) {
        return Ok(InfoAnswer::OtherCode(other.as_str().to_owned()));
    }
    let name = block.text("TenTiengViet").ok_or_else(|| format!("{name} thiếu trường TenTiengViet"))?;
    let (legal_status, legal_status_code, legal_status_text) = status(&block)?;
    let representative = match block.block(layout.person) {
        Some(person) => person_of(&person, layout.role)?,
        None => None,
    };
    Ok(InfoAnswer::Found(Box::new(Partner {
        tax_code: asked.clone(),
        kind: layout.kind,
        name,
        international_name: block.text("TenNuocNgoai"),
        short_name: block.text("TenVietTat"),
        legal_status,
        legal_status_code,
        legal_status_text,
        representative,
        head_office_address: block.block("DiaChiTruSo").map(|a| address_of(&a)).filter(|a| *a != Address::default()),
        business_lines: block.blocks("NganhNghe").iter().map(line_of).collect::<Read<Vec<_>>>()?.into_iter().flatten().collect(),
        founding_date: block.date("NgayDangKyLanDau")?,
        last_change_date: block.date("NgayDangKyThayDoi")?,
        change_count: block
            .number("SoLanDangKyThayDoi")?
            .map(|n| u32::try_from(n).map_err(|_| "trường SoLanDangKyThayDoi quá lớn".to_owned()))
            .transpose()?,
        registration: Registration {
            internal_id: block.text("MaNoiBo"),
            old_certificate_no: block.text("SoGCNDKKD"),
            household_registration_no: block.text("MaSoDangKyHKD"),
            type_code: block.text(layout.type_code),
            type_name: block.text(layout.type_name),
        },
        source: Source::Nbrs,
        fetched_at,
    })))
}

/// Field 12: either a sub-block TinhTrangPhapLy holding 12.1–12.5 (as the document numbers
/// them), or the text itself with its siblings beside it at the top level.
fn status(block: &Block<'_>) -> Read<(LegalStatus, Option<String>, Option<String>)> {
    let inner = block.block("TinhTrangPhapLy");
    let source = inner.unwrap_or(*block);
    let text = source.text("TinhTrangPhapLy");
    let code = source.text("MaTinhTrangPhapLy").or_else(|| block.text("MaTinhTrangPhapLy"));
    let from = source.date("NgayBatDauTamNgung")?.or(block.date("NgayBatDauTamNgung")?);
    let to = source.date("NgayKetThucTamNgung")?.or(block.date("NgayKetThucTamNgung")?);
    let reason = source.text("LyDoTamNgung").or_else(|| block.text("LyDoTamNgung"));
    let status = LegalStatus::from_registry(code.as_deref(), text.as_deref(), from, to, reason.as_deref());
    Ok((status, code, text))
}

fn person_of(person: &Block<'_>, role: RepresentativeRole) -> Read<Option<Representative>> {
    let Some(name) = person.text("HoVaTen") else {
        return Ok(None);
    };
    Ok(Some(Representative {
        role,
        name,
        id_document_type: person.text("LoaiGiayToChungThuc"),
        id_document_type_code: person.text("MaLoaiGiayToChungThuc"),
        id_document_number: person.text("SoGiayChungThuc"),
        id_issued_on: person.date("NgayCap")?,
        id_issued_by: person.text("NoiCap"),
        nationality: person.text("QuocTich"),
        nationality_code: person.text("MaQuocTich"),
    }))
}

fn address_of(address: &Block<'_>) -> Address {
    Address {
        country: address.text("QuocGia"),
        country_code: address.text("MaQuocGia"),
        province: address.text("TenTinhThanh"),
        province_code: address.text("MaTinhThanh"),
        district: address.text("TenQuanHuyen"),
        district_code: address.text("MaQuanHuyen"),
        ward: address.text("TenPhuongXa"),
        ward_code: address.text("MaPhuongXa"),
        street: address.text("SoNha"),
        full: address.text_any(&["DiaChi", "DiaChiDayDu"]),
    }
}

fn line_of(line: &Block<'_>) -> Read<Option<BusinessLine>> {
    let code = line.text("MaNganh");
    let name = line.text("TenNganh");
    if code.is_none() && name.is_none() {
        return Ok(None);
    }
    Ok(Some(BusinessLine {
        code: code.unwrap_or_default(),
        name: name.unwrap_or_default(),
        main: line.flag("LaNganhChinh")?.unwrap_or(false),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use time::macros::date;

    fn code(text: &str) -> TaxCode {
        TaxCode::parse(text).unwrap()
    }

    #[test]
    fn flat_status_with_siblings_is_read_too() {
        let answer = json!({"EntInfo": {
            "MaSoDoanhNghiep": "0318030824",
            "TenTiengViet": "CÔNG TY CỔ PHẦN THỰC PHẨM BẾN THÀNH XANH",
            "TinhTrangPhapLy": "Tạm ngừng kinh doanh có thời hạn",
            "MaTinhTrangPhapLy": "02",
            "NgayBatDauTamNgung": "01/03/2026",
            "NgayKetThucTamNgung": "28/02/2027",
            "LyDoTamNgung": "Sắp xếp lại"
        }});
        let InfoAnswer::Found(partner) = read(&answer, &code("0318030824"), 0).unwrap() else { panic!() };
        assert_eq!(
            partner.legal_status,
            LegalStatus::Suspended {
                from: Some(date!(2026 - 03 - 01)),
                to: Some(date!(2027 - 02 - 28)),
                reason: Some("Sắp xếp lại".into())
            }
        );
        assert_eq!(partner.legal_status_code.as_deref(), Some("02"));
    }

    #[test]
    fn an_answer_about_another_code_is_noticed() {
        let answer = json!({"EntInfo": {"MaSoDoanhNghiep": "0110613182", "TenTiengViet": "X"}});
        assert!(matches!(read(&answer, &code("0318030824"), 0).unwrap(), InfoAnswer::OtherCode(_)));
    }

    #[test]
    fn a_missing_name_is_malformed() {
        let answer = json!({"HouseInfo": {"MaSoHKD": "8039825977"}});
        assert!(read(&answer, &code("8039825977"), 0).unwrap_err().contains("TenTiengViet"));
    }
}
