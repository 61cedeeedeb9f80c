//! The API answer: the nine figures under the guide's JSON keys.

use serde::ser::{Serialize, SerializeMap, Serializer};
use serde::Deserialize;
use ts_rs::TS;

use crate::report::MoitReport;

/// The keys of the official guide, in its order and spelling. `tongSoDongHangKhongThanhCong`
/// ("Dong" for "Don") is misspelt in the guide and the ministry's side reads it as written.
pub const API_KEYS: [&str; 9] = [
    "soLuongTruyCap",
    "soNguoiBan",
    "soNguoiBanMoi",
    "tongSoSanPham",
    "soSanPhamMoi",
    "soLuongGiaoDich",
    "tongSoDonHangThanhCong",
    "tongSoDongHangKhongThanhCong",
    "tongGiaTriGiaoDich",
];

/// How the keys are written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, serde::Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export, rename = "MoitKeyCase")]
pub enum KeyCase {
    /// `soLuongTruyCap`, as the official online.gov.vn guide prints them.
    #[default]
    Camel,
    /// `SoLuongTruyCap`, as a widely copied law-firm page prints them.
    Pascal,
}

impl KeyCase {
    /// The nine keys in this case, in the guide's order.
    pub fn keys(self) -> [String; 9] {
        API_KEYS.map(|k| match self {
            KeyCase::Camel => k.to_string(),
            KeyCase::Pascal => {
                let mut chars = k.chars();
                let first = chars.next().expect("keys are not empty");
                first.to_ascii_uppercase().to_string() + chars.as_str()
            }
        })
    }
}

/// The nine figures the API answers, in the guide's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ApiFigures {
    /// `soLuongTruyCap`.
    pub visits: i64,
    /// `soNguoiBan`.
    pub sellers: i64,
    /// `soNguoiBanMoi`.
    pub new_sellers: i64,
    /// `tongSoSanPham`.
    pub products: i64,
    /// `soSanPhamMoi`.
    pub new_products: i64,
    /// `soLuongGiaoDich`.
    pub orders: i64,
    /// `tongSoDonHangThanhCong`.
    pub successful_orders: i64,
    /// `tongSoDongHangKhongThanhCong` (the guide's spelling).
    pub failed_orders: i64,
    /// `tongGiaTriGiaoDich`, whole đồng.
    pub transaction_value: i64,
}

impl ApiFigures {
    /// The figures of `report`; visits are [`MoitReport::api_visits`].
    pub fn of(report: &MoitReport) -> ApiFigures {
        ApiFigures {
            visits: report.api_visits.value,
            sellers: report.sellers_total.value,
            new_sellers: report.sellers_new.value,
            products: report.products_total.value,
            new_products: report.products_new.value,
            orders: report.orders_total.value,
            successful_orders: report.orders_successful.value,
            failed_orders: report.orders_failed.value,
            transaction_value: report.transaction_value.value,
        }
    }

    /// In the order of [`API_KEYS`].
    pub fn values(&self) -> [i64; 9] {
        [
            self.visits,
            self.sellers,
            self.new_sellers,
            self.products,
            self.new_products,
            self.orders,
            self.successful_orders,
            self.failed_orders,
            self.transaction_value,
        ]
    }

    /// Something that serialises as the answer's JSON object, keys in `case` and in the
    /// guide's order.
    pub fn keyed(&self, case: KeyCase) -> Keyed {
        Keyed { figures: *self, case }
    }

    /// The answer's JSON text.
    pub fn to_json(&self, case: KeyCase) -> String {
        serde_json::to_string(&self.keyed(case)).expect("integers always serialise")
    }

    /// The answer, indented for a person (the CLI's `--json`).
    pub fn to_json_pretty(&self, case: KeyCase) -> String {
        serde_json::to_string_pretty(&self.keyed(case)).expect("integers always serialise")
    }
}

/// [`ApiFigures`] with the case of its keys; serialised by hand so the keys keep the
/// guide's order whatever map type serde_json was built with.
#[derive(Debug, Clone, Copy)]
pub struct Keyed {
    figures: ApiFigures,
    case: KeyCase,
}

impl Serialize for Keyed {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(API_KEYS.len()))?;
        for (key, value) in self.case.keys().iter().zip(self.figures.values()) {
            map.serialize_entry(key, &value)?;
        }
        map.end()
    }
}
