//! Registration dossiers (hồ sơ đăng ký): the list received in a period, the latest state of
//! one (EntProcess / CoopProcess / HouseProcess) and its processing detail
//! (EntProcessDetail / CoopProcessDetail / HouseProcessDetail).
//!
//! Field names follow sections 3.2–3.3, 4.2–4.3 and 5.2 of the document; its household
//! sections stop part-way, so households are read with the enterprise layout, which the
//! cooperative one repeats. Moments in these blocks are `yyyyMMddHHmmss`, Vietnam time.
//! Fields the document types as "Code" are kept as the code text: their lists live in the
//! national public-service portal's catalogues, which the document only points to.

use serde::Serialize;
use serde_json::Value;
use time::OffsetDateTime;

use super::block::{Block, Read};
use crate::partner::PartnerKind;

/// The fields a dossier's latest state and its processing detail share (fields 1–26 and
/// the portal flags that follow them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DossierHeader {
    /// Which book the dossier belongs to, from the block's name.
    pub kind: PartnerKind,
    /// MaNoiBo.
    pub internal_id: Option<String>,
    /// MaSoDoanhNghiep / MaSoHTX / MaSoHKD.
    pub registrant_code: Option<String>,
    /// TenDoanhNghiep / TenHTX / TenHKD.
    pub registrant_name: Option<String>,
    /// MaHoSo: the receipt number (số giấy biên nhận).
    pub receipt_no: Option<String>,
    /// MaTTHC / TenTTHC: the administrative procedure.
    pub procedure_code: Option<String>,
    /// TenTTHC: the procedure's name.
    pub procedure_name: Option<String>,
    /// MaLinhVuc / TenLinhVuc, per the national procedures database.
    pub field_code: Option<String>,
    /// TenLinhVuc.
    pub field_name: Option<String>,
    /// KenhThucHien: 1 in person, 2 online, 3 by public post.
    pub channel: Option<String>,
    /// ChuHoSo: who filed it.
    pub applicant: Option<String>,
    /// LoaiDoiTuong / MaDoiTuong.
    pub applicant_type: Option<String>,
    /// MaDoiTuong.
    pub applicant_id: Option<String>,
    /// ThongTinKhac.
    pub other_info: Option<String>,
    /// Email, as filed.
    pub email: Option<String>,
    /// Fax, as filed.
    pub fax: Option<String>,
    /// SoDienThoai.
    pub phone: Option<String>,
    /// TrichYeuHoSo.
    pub summary: Option<String>,
    /// NgayTiepNhan.
    #[serde(with = "time::serde::rfc3339::option")]
    pub received_at: Option<OffsetDateTime>,
    /// NgayHenTra: the promised date of the result.
    #[serde(with = "time::serde::rfc3339::option")]
    pub due_at: Option<OffsetDateTime>,
    /// NgayTra: when the result was handed over.
    #[serde(with = "time::serde::rfc3339::option")]
    pub returned_at: Option<OffsetDateTime>,
    /// ThongTinTra.
    pub result_returned: Option<bool>,
    /// HinhThuc: 0 at the desk, 1 by post, 3 electronically.
    pub return_method: Option<u64>,
    /// NgayKetThucXuLy.
    #[serde(with = "time::serde::rfc3339::option")]
    pub processing_ended_at: Option<OffsetDateTime>,
    /// DonViXuLy.
    pub handling_unit: Option<String>,
    /// GhiChu.
    pub note: Option<String>,
    /// NoiNopHoSo: 1 national portal, 2 ministry/provincial portal.
    pub submitted_from: Option<String>,
    /// TaiKhoanDuocXacThucVoiVNeID (the document gives 0 = yes, 1 = no; kept as sent).
    pub vneid_verified: Option<String>,
    /// HoSoCoThanhPhanSoHoa: 1 when parts were digitised.
    pub has_digitised_parts: Option<String>,
    /// DuocThanhToanTrucTuyen: 0 no fee, 1 national portal, 2 provincial portal, 3 in person.
    pub payment: Option<String>,
    /// NgayTuChoi.
    #[serde(with = "time::serde::rfc3339::option")]
    pub rejected_at: Option<OffsetDateTime>,
    /// LoaiDinhDanh: 1 CCCD, 2 CMND, 3 enterprise tax code, 4 passport, 5 army ID.
    pub id_type: Option<String>,
    /// SoDinhDanh.
    pub id_number: Option<String>,
    /// NgayNopHoSo.
    #[serde(with = "time::serde::rfc3339::option")]
    pub submitted_at: Option<OffsetDateTime>,
}

/// The latest state of a dossier (EntProcess and its kin).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Dossier {
    /// The fields shared with [`DossierDetail`], flattened into the same JSON object.
    #[serde(flatten)]
    pub header: DossierHeader,
    /// TrangThaiHoSo, per the national portal's list of dossier states.
    pub status: Option<String>,
    /// TaiLieuNop.
    pub documents: Vec<SubmittedDocument>,
    /// DanhSachLePhi.
    pub fees: Vec<Fee>,
    /// DanhSachTepDinhKemKhac.
    pub other_attachments: Vec<OtherAttachment>,
    /// DanhSachHoSoBoSung.
    pub supplements: Vec<Supplement>,
    /// DanhSachGiayToKetQua.
    pub results: Vec<ResultDocument>,
}

/// The processing detail of a dossier (EntProcessDetail and its kin).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DossierDetail {
    /// The fields shared with [`Dossier`], flattened into the same JSON object.
    #[serde(flatten)]
    pub header: DossierHeader,
    /// TinhTrangXuLy.
    pub processing_state: Option<String>,
    /// TinhTrangBoSung: requests to complete the dossier.
    pub supplement_requests: Vec<SupplementRequest>,
}

/// TaiLieuNop.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SubmittedDocument {
    /// TepDinhKemId.
    pub id: Option<u64>,
    /// TenTepDinhKem: the file's name.
    pub name: Option<String>,
    /// IsDeleted.
    pub deleted: Option<bool>,
    /// MaThanhPhanHoSo.
    pub component_code: Option<String>,
    /// DuongDanTaiTepTin.
    pub url: Option<String>,
    /// DuocSoHoa.
    pub digitised: Option<String>,
    /// DuocTaiSuDung.
    pub reused: Option<String>,
    /// DuocLayTuKhoDMQG.
    pub from_national_store: Option<String>,
    /// MaKetQuaThayThe.
    pub replaces_result: Option<String>,
}

/// A fee (LePhi).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fee {
    /// TenPhiLePhi.
    pub name: Option<String>,
    /// MaPhiLePhi.
    pub code: Option<String>,
    /// HinhThucThu.
    pub collection: Option<String>,
    /// Gia, as sent ("Decimal"): fees are whole đồng in practice, but the text is kept.
    pub amount: Option<String>,
    /// LoaiPhiLePhi.
    pub kind: Option<String>,
}

/// TepDinhKemKhac.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OtherAttachment {
    /// TenGiayTo.
    pub name: Option<String>,
    /// SoLuong.
    pub count: Option<u64>,
    /// LoaiGiayTo.
    pub kind: Option<u64>,
}

/// HoSoBoSung: a round of completing the dossier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Supplement {
    /// HoSoBoSungId.
    pub id: Option<u64>,
    /// NguoiYeuCauBoSung: who asked for the supplement.
    pub requested_by: Option<String>,
    /// NoiDungBoSung: what was to be added.
    pub content: Option<String>,
    /// NgayBoSung: when it was asked for.
    #[serde(with = "time::serde::rfc3339::option")]
    pub requested_at: Option<OffsetDateTime>,
    /// NguoiTiepNhanBoSung: who received it.
    pub received_by: Option<String>,
    /// ThongTinTiepNhan.
    pub reception_info: Option<String>,
    /// NgayTiepNhanBoSung: when it was received.
    #[serde(with = "time::serde::rfc3339::option")]
    pub received_at: Option<OffsetDateTime>,
    /// TrangThaiBoSung.
    pub done: Option<bool>,
    /// DanhSachGiayToBoSung: the documents added.
    pub documents: Vec<SubmittedDocument>,
    /// DanhSachLePhiBoSung: the fees added.
    pub fees: Vec<Fee>,
    /// NgayHenTraTruoc: the promised date before this round.
    #[serde(with = "time::serde::rfc3339::option")]
    pub previous_due_at: Option<OffsetDateTime>,
    /// NgayHenTraMoi: the promised date after it.
    #[serde(with = "time::serde::rfc3339::option")]
    pub new_due_at: Option<OffsetDateTime>,
}

/// GiayToKetQua: a document the dossier produced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResultDocument {
    /// TenGiayTo.
    pub name: Option<String>,
    /// MaThanhPhanHoSo.
    pub component_code: Option<String>,
    /// GiayToId.
    pub id: Option<u64>,
    /// DuongDanTepTinKetQua: where the result can be downloaded.
    pub url: Option<String>,
    /// MaGiayToKetQua.
    pub code: Option<String>,
}

/// TinhTrangBoSung.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SupplementRequest {
    /// NgayBoSung: when the supplement was asked for.
    #[serde(with = "time::serde::rfc3339::option")]
    pub requested_at: Option<OffsetDateTime>,
    /// NguoiYeuCauBoSung: who asked.
    pub requested_by: Option<String>,
    /// NoiDungBoSung: what is to be added.
    pub content: Option<String>,
}

const LATEST: [&str; 3] = ["EntProcess", "CoopProcess", "HouseProcess"];
const DETAIL: [&str; 3] = ["EntProcessDetail", "CoopProcessDetail", "HouseProcessDetail"];

fn kind_of(block_name: &str) -> PartnerKind {
    if block_name.starts_with("Coop") {
        PartnerKind::Cooperative
    } else if block_name.starts_with("House") {
        PartnerKind::Household
    } else {
        PartnerKind::Enterprise
    }
}

/// The ProcessIDs of the dossier list: a list of `{"ProcessID": n}` or of bare numbers,
/// possibly inside a wrapper object.
pub(crate) fn read_process_ids(root: &Value) -> Read<Vec<u64>> {
    let items = match root {
        Value::Array(items) => items,
        Value::Object(map) => match map.values().find(|v| v.is_array()) {
            Some(Value::Array(items)) => items,
            _ if map.is_empty() => return Ok(Vec::new()),
            _ => match Block::of(root).and_then(|b| b.number("ProcessID").transpose()) {
                Some(one) => return one.map(|id| vec![id]),
                None => return Err("danh sách hồ sơ không có ProcessID".into()),
            },
        },
        Value::Null => return Ok(Vec::new()),
        _ => return Err("danh sách hồ sơ không phải một danh sách".into()),
    };
    items
        .iter()
        .map(|item| match item {
            Value::Number(n) => n.as_u64().ok_or_else(|| format!("ProcessID không hợp lệ «{n}»")),
            Value::String(s) => s.trim().parse().map_err(|_| format!("ProcessID không hợp lệ «{s}»")),
            other => Block::of(other)
                .ok_or_else(|| "phần tử danh sách hồ sơ không đọc được".to_owned())?
                .number("ProcessID")?
                .ok_or_else(|| "phần tử danh sách hồ sơ thiếu ProcessID".to_owned()),
        })
        .collect()
}

/// The latest state, or `None` when the answer holds no dossier block.
pub(crate) fn read_latest(root: &Value) -> Read<Option<Dossier>> {
    let Some((name, block)) = Block::find(root, &LATEST) else {
        return Ok(None);
    };
    Ok(Some(Dossier {
        header: header(&block, kind_of(name))?,
        status: block.text("TrangThaiHoSo"),
        documents: block.blocks("TaiLieuNop").iter().map(document).collect::<Read<_>>()?,
        fees: block.blocks("DanhSachLePhi").iter().map(fee).collect(),
        other_attachments: block
            .blocks("DanhSachTepDinhKemKhac")
            .iter()
            .map(|b| Ok(OtherAttachment { name: b.text("TenGiayTo"), count: b.number("SoLuong")?, kind: b.number("LoaiGiayTo")? }))
            .collect::<Read<_>>()?,
        supplements: block.blocks("DanhSachHoSoBoSung").iter().map(supplement).collect::<Read<_>>()?,
        results: block
            .blocks("DanhSachGiayToKetQua")
            .iter()
            .map(|b| {
                Ok(ResultDocument {
                    name: b.text("TenGiayTo"),
                    component_code: b.text("MaThanhPhanHoSo"),
                    id: b.number("GiayToId")?,
                    url: b.text("DuongDanTepTinKetQua"),
                    code: b.text("MaGiayToKetQua"),
                })
            })
            .collect::<Read<_>>()?,
    }))
}

/// The processing detail, or `None` when the answer holds no detail block.
pub(crate) fn read_detail(root: &Value) -> Read<Option<DossierDetail>> {
    let Some((name, block)) = Block::find(root, &DETAIL) else {
        return Ok(None);
    };
    Ok(Some(DossierDetail {
        header: header(&block, kind_of(name))?,
        processing_state: block.text("TinhTrangXuLy"),
        supplement_requests: block
            .blocks("TinhTrangBoSung")
            .iter()
            .map(|b| {
                Ok(SupplementRequest {
                    requested_at: b.moment("NgayBoSung")?,
                    requested_by: b.text("NguoiYeuCauBoSung"),
                    content: b.text("NoiDungBoSung"),
                })
            })
            .collect::<Read<_>>()?,
    }))
}

fn header(b: &Block<'_>, kind: PartnerKind) -> Read<DossierHeader> {
    Ok(DossierHeader {
        kind,
        internal_id: b.text("MaNoiBo"),
        registrant_code: b.text_any(&["MaSoDoanhNghiep", "MaSoHTX", "MaSoHKD"]),
        registrant_name: b.text_any(&["TenDoanhNghiep", "TenHTX", "TenHKD"]),
        receipt_no: b.text("MaHoSo"),
        procedure_code: b.text("MaTTHC"),
        procedure_name: b.text("TenTTHC"),
        field_code: b.text("MaLinhVuc"),
        field_name: b.text("TenLinhVuc"),
        channel: b.text("KenhThucHien"),
        applicant: b.text("ChuHoSo"),
        applicant_type: b.text("LoaiDoiTuong"),
        applicant_id: b.text("MaDoiTuong"),
        other_info: b.text("ThongTinKhac"),
        email: b.text("Email"),
        fax: b.text("Fax"),
        phone: b.text("SoDienThoai"),
        summary: b.text("TrichYeuHoSo"),
        received_at: b.moment("NgayTiepNhan")?,
        due_at: b.moment("NgayHenTra")?,
        returned_at: b.moment("NgayTra")?,
        result_returned: b.flag("ThongTinTra")?,
        return_method: b.number("HinhThuc")?,
        processing_ended_at: b.moment("NgayKetThucXuLy")?,
        handling_unit: b.text("DonViXuLy"),
        note: b.text("GhiChu"),
        submitted_from: b.text("NoiNopHoSo"),
        vneid_verified: b.text("TaiKhoanDuocXacThucVoiVNeID"),
        has_digitised_parts: b.text("HoSoCoThanhPhanSoHoa"),
        payment: b.text("DuocThanhToanTrucTuyen"),
        rejected_at: b.moment("NgayTuChoi")?,
        id_type: b.text("LoaiDinhDanh"),
        id_number: b.text("SoDinhDanh"),
        submitted_at: b.moment("NgayNopHoSo")?,
    })
}

fn document(b: &Block<'_>) -> Read<SubmittedDocument> {
    Ok(SubmittedDocument {
        id: b.number("TepDinhKemId")?,
        name: b.text("TenTepDinhKem"),
        deleted: b.flag("IsDeleted")?,
        component_code: b.text("MaThanhPhanHoSo"),
        url: b.text("DuongDanTaiTepTin"),
        digitised: b.text("DuocSoHoa"),
        reused: b.text("DuocTaiSuDung"),
        from_national_store: b.text("DuocLayTuKhoDMQG"),
        replaces_result: b.text("MaKetQuaThayThe"),
    })
}

fn fee(b: &Block<'_>) -> Fee {
    Fee {
        name: b.text("TenPhiLePhi"),
        code: b.text("MaPhiLePhi"),
        collection: b.text("HinhThucThu"),
        amount: b.text("Gia"),
        kind: b.text("LoaiPhiLePhi"),
    }
}

fn supplement(b: &Block<'_>) -> Read<Supplement> {
    Ok(Supplement {
        id: b.number("HoSoBoSungId")?,
        requested_by: b.text("NguoiYeuCauBoSung"),
        content: b.text("NoiDungBoSung"),
        requested_at: b.moment("NgayBoSung")?,
        received_by: b.text("NguoiTiepNhanBoSung"),
        reception_info: b.text("ThongTinTiepNhan"),
        received_at: b.moment("NgayTiepNhanBoSung")?,
        done: b.flag("TrangThaiBoSung")?,
        documents: b.blocks("DanhSachGiayToBoSung").iter().map(document).collect::<Read<_>>()?,
        fees: b.blocks("DanhSachLePhiBoSung").iter().map(fee).collect(),
        previous_due_at: b.moment("NgayHenTraTruoc")?,
        new_due_at: b.moment("NgayHenTraMoi")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn process_ids_come_in_several_shapes() {
        assert_eq!(read_process_ids(&json!([{"ProcessID": 1}, {"ProcessID": "2"}])), Ok(vec![1, 2]));
        assert_eq!(read_process_ids(&json!([3, "4"])), Ok(vec![3, 4]));
        assert_eq!(read_process_ids(&json!({"data": [{"ProcessID": 5}]})), Ok(vec![5]));
        assert_eq!(read_process_ids(&json!([])), Ok(vec![]));
        assert!(read_process_ids(&json!([{"Other": 1}])).is_err());
    }
}
