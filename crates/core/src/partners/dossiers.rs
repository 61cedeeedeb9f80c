//! The registry's dossier look-ups ("Hồ sơ đăng ký"): the query as typed and the view the
//! screen shows.

use hoadon_lookup::nbrs::{Dossier, DossierDetail, DossierHeader, Fee, SubmittedDocument};
use hoadon_rules::calendar;
use serde::{Deserialize, Serialize};
use time::Date;
use ts_rs::TS;

use crate::{Error, FieldError, Result};

/// "Hồ sơ tiếp nhận": the period and the registration office, as typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DossierQuery {
    /// `dd/MM/yyyy` (also `yyyy-MM-dd`).
    pub from: String,
    /// The last day of the period, included, in the same forms; not before `from`.
    pub to: String,
    /// The registration office's code (siteID), 1–10 characters.
    pub site_id: String,
}

/// A registration dossier as the "Hồ sơ đăng ký" screen shows it: its latest state (by
/// ProcessID) or its processing detail (by in_journal_no). Moments are Unix seconds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DossierView {
    /// "Doanh nghiệp", "Hợp tác xã", "Hộ kinh doanh".
    pub kind_label: String,
    /// The registrant's code: the enterprise's, cooperative's or household's tax code.
    pub registrant_code: Option<String>,
    /// The registrant's name.
    pub registrant_name: Option<String>,
    /// MaHoSo: the receipt number.
    pub receipt_no: Option<String>,
    /// The administrative procedure (TenTTHC), e.g. a change of registration.
    pub procedure_name: Option<String>,
    /// The field of the procedure (TenLinhVuc).
    pub field_name: Option<String>,
    /// "Trực tiếp", "Trực tuyến", "Qua dịch vụ bưu chính công ích".
    pub channel: Option<String>,
    /// Who filed the dossier (ChuHoSo).
    pub applicant: Option<String>,
    /// What the dossier asks for, in a line (TrichYeuHoSo).
    pub summary: Option<String>,
    /// The office handling it (DonViXuLy).
    pub handling_unit: Option<String>,
    /// The registry's note (GhiChu).
    pub note: Option<String>,
    /// When the dossier was received.
    #[ts(type = "number | null")]
    pub received_at: Option<i64>,
    /// When the result is promised.
    #[ts(type = "number | null")]
    pub due_at: Option<i64>,
    /// When the result was handed over.
    #[ts(type = "number | null")]
    pub returned_at: Option<i64>,
    /// When processing ended.
    #[ts(type = "number | null")]
    pub processing_ended_at: Option<i64>,
    /// When the dossier was rejected, if it was.
    #[ts(type = "number | null")]
    pub rejected_at: Option<i64>,
    /// TrangThaiHoSo (latest state) in words, with its code.
    pub status: Option<String>,
    /// TinhTrangXuLy (processing detail) in words, with its code.
    pub processing_state: Option<String>,
    /// The documents submitted (deleted ones left out); latest state only.
    pub documents: Vec<DossierFile>,
    /// The fees of the dossier; latest state only.
    pub fees: Vec<DossierFee>,
    /// The documents the dossier produced (certificates…); latest state only.
    pub results: Vec<DossierFile>,
    /// Rounds of completing the dossier (latest state), or requests to complete it (detail).
    pub supplements: Vec<DossierSupplement>,
}

/// A document of a dossier: one submitted, or one it produced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DossierFile {
    /// The document's name; "(không tên)" when the registry gave none.
    pub name: String,
    /// Its code in the dossier (the component's, or the result document's).
    pub code: Option<String>,
    /// Where the registry offers it for download, when it does.
    pub url: Option<String>,
}

/// A fee (lệ phí) of a dossier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DossierFee {
    /// The fee's name; "(không tên)" when the registry gave none.
    pub name: String,
    /// Whole đồng, when the registry sent a number.
    #[ts(type = "number | null")]
    pub amount: Option<i64>,
}

/// A round of completing the dossier (hồ sơ bổ sung), or a request to complete it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DossierSupplement {
    /// When the supplement was asked for.
    #[ts(type = "number | null")]
    pub requested_at: Option<i64>,
    /// Who asked for it.
    pub requested_by: Option<String>,
    /// What is to be added.
    pub content: Option<String>,
    /// Whether it was supplied (`None`: not said).
    pub done: Option<bool>,
}

/// TrangThaiHoSo / TinhTrangXuLy in words. The registry's document points to the national
/// public-service portal's list of dossier states without printing it; these are that
/// portal's states. The code is always shown beside the words.
fn dossier_state(code: Option<&str>) -> Option<String> {
    let code = code?.trim();
    if code.is_empty() {
        return None;
    }
    let words = match code {
        "1" => "Mới đăng ký",
        "2" => "Được tiếp nhận",
        "3" => "Không được tiếp nhận",
        "4" => "Đang xử lý",
        "5" => "Yêu cầu bổ sung giấy tờ",
        "6" => "Yêu cầu thực hiện nghĩa vụ tài chính",
        "7" => "Người nộp yêu cầu rút hồ sơ",
        "8" => "Dừng xử lý",
        "9" => "Đã xử lý xong",
        "10" => "Đã trả kết quả",
        _ => return Some(format!("Trạng thái mã {code}")),
    };
    Some(format!("{words} (mã {code})"))
}

fn channel(code: Option<&str>) -> Option<String> {
    let code = code?.trim();
    Some(match code {
        "1" => "Trực tiếp".to_owned(),
        "2" => "Trực tuyến".to_owned(),
        "3" => "Qua dịch vụ bưu chính công ích".to_owned(),
        "" => return None,
        other => format!("Kênh mã {other}"),
    })
}

fn unix(moment: Option<time::OffsetDateTime>) -> Option<i64> {
    moment.map(|m| m.unix_timestamp())
}

fn file(document: &SubmittedDocument) -> Option<DossierFile> {
    if document.deleted == Some(true) {
        return None;
    }
    Some(DossierFile {
        name: document.name.clone().unwrap_or_else(|| "(không tên)".to_owned()),
        code: document.component_code.clone().filter(|c| !c.is_empty()),
        url: document.url.clone().filter(|u| !u.is_empty()),
    })
}

fn fee(fee: &Fee) -> DossierFee {
    let amount = fee.amount.as_deref().and_then(|a| a.trim().parse::<f64>().ok()).map(|a| a.round() as i64);
    DossierFee { name: fee.name.clone().unwrap_or_else(|| "(không tên)".to_owned()), amount }
}

impl DossierView {
    fn header(h: &DossierHeader) -> DossierView {
        DossierView {
            kind_label: h.kind.label().to_owned(),
            registrant_code: h.registrant_code.clone(),
            registrant_name: h.registrant_name.clone(),
            receipt_no: h.receipt_no.clone(),
            procedure_name: h.procedure_name.clone(),
            field_name: h.field_name.clone(),
            channel: channel(h.channel.as_deref()),
            applicant: h.applicant.clone(),
            summary: h.summary.clone(),
            handling_unit: h.handling_unit.clone(),
            note: h.note.clone(),
            received_at: unix(h.received_at),
            due_at: unix(h.due_at),
            returned_at: unix(h.returned_at),
            processing_ended_at: unix(h.processing_ended_at),
            rejected_at: unix(h.rejected_at),
            status: None,
            processing_state: None,
            documents: Vec::new(),
            fees: Vec::new(),
            results: Vec::new(),
            supplements: Vec::new(),
        }
    }

    pub(super) fn latest(d: &Dossier) -> DossierView {
        DossierView {
            status: dossier_state(d.status.as_deref()),
            documents: d.documents.iter().filter_map(file).collect(),
            fees: d.fees.iter().map(fee).collect(),
            results: d
                .results
                .iter()
                .map(|r| DossierFile {
                    name: r.name.clone().unwrap_or_else(|| "(không tên)".to_owned()),
                    code: r.code.clone(),
                    url: r.url.clone(),
                })
                .collect(),
            supplements: d
                .supplements
                .iter()
                .map(|s| DossierSupplement {
                    requested_at: unix(s.requested_at),
                    requested_by: s.requested_by.clone(),
                    content: s.content.clone(),
                    done: s.done,
                })
                .collect(),
            ..DossierView::header(&d.header)
        }
    }

    pub(super) fn detail(d: &DossierDetail) -> DossierView {
        DossierView {
            processing_state: dossier_state(d.processing_state.as_deref()),
            supplements: d
                .supplement_requests
                .iter()
                .map(|s| DossierSupplement {
                    requested_at: unix(s.requested_at),
                    requested_by: s.requested_by.clone(),
                    content: s.content.clone(),
                    done: None,
                })
                .collect(),
            ..DossierView::header(&d.header)
        }
    }
}

fn read_day(field: &str, text: &str, errors: &mut Vec<FieldError>) -> Option<Date> {
    let text = text.trim();
    if text.is_empty() {
        errors.push(FieldError::new(field, "Chưa nhập ngày (dd/MM/yyyy)."));
        return None;
    }
    let day = calendar::parse_iso_date(text).or_else(|| calendar::parse_date(text));
    if day.is_none() {
        errors.push(FieldError::new(field, format!("Ngày «{text}» không hợp lệ (dd/MM/yyyy).")));
    }
    day
}

impl DossierQuery {
    pub(super) fn validate(&self) -> Result<(Date, Date, String)> {
        let mut errors = Vec::new();
        let from = read_day("from", &self.from, &mut errors);
        let to = read_day("to", &self.to, &mut errors);
        if matches!((from, to), (Some(from), Some(to)) if from > to) {
            errors.push(FieldError::new("to", "Ngày kết thúc phải sau hoặc bằng ngày bắt đầu."));
        }
        let site = self.site_id.trim();
        if site.is_empty() || site.chars().count() > 10 {
            errors.push(FieldError::new("site_id", "Mã cơ quan đăng ký (siteID) phải có từ 1 đến 10 ký tự."));
        }
        match (from, to) {
            (Some(from), Some(to)) if errors.is_empty() => Ok((from, to, site.to_owned())),
            _ => Err(Error::invalid(errors)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dossier_states_keep_their_code() {
        assert_eq!(dossier_state(Some("10")).as_deref(), Some("Đã trả kết quả (mã 10)"));
        assert_eq!(dossier_state(Some("99")).as_deref(), Some("Trạng thái mã 99"));
        assert_eq!(dossier_state(Some(" ")), None);
    }
}
