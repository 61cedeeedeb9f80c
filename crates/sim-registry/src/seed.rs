//! The seeded businesses and dossiers, written with every field the registry's document
//! lists for EntInfo, CoopInfo, HouseInfo and the dossier blocks.
//!
//! All names, people and numbers are invented; every tax code passes
//! `hoadon_rules::TaxCode::parse`. The status codes (MaTinhTrangPhapLy) are the
//! simulator's own: the document refers to a code list it does not print.

use serde_json::{Map, Value, json};

/// Tax codes for the app's demo and for tests.
pub mod demo {
    /// An active enterprise with two legal representatives and three business lines.
    pub const ACTIVE: &str = "0109526016";
    /// A branch of [`ACTIVE`].
    pub const ACTIVE_BRANCH: &str = "0109526016-001";
    /// An enterprise suspended from 01/03/2026 to 28/02/2027, with a reason.
    pub const SUSPENDED: &str = "0318030824";
    /// An enterprise whose registration has ended ("Đã chấm dứt hoạt động").
    pub const CLOSED: &str = "0110613182";
    /// "Đã giải thể".
    pub const DISSOLVED: &str = "0402819092";
    /// "Đã phá sản".
    pub const BANKRUPT: &str = "0316752912";
    /// "Đang làm thủ tục giải thể".
    pub const DISSOLVING: &str = "0107971149";
    /// "Không hoạt động tại địa chỉ đã đăng ký".
    pub const NOT_AT_ADDRESS: &str = "0108797542";
    /// An active cooperative (CoopInfo).
    pub const COOPERATIVE: &str = "3702601896";
    /// An active household business with a 10-digit tax code (HouseInfo).
    pub const HOUSEHOLD: &str = "8039825977";
    /// A suspended household business known by its owner's 12-digit personal ID; the
    /// VietQR-style endpoint answers `"51"` for it, as it takes business tax codes only.
    pub const HOUSEHOLD_SUSPENDED: &str = "079185012345";
    /// A valid tax code that neither registry knows.
    pub const UNKNOWN: &str = "0110909969";
    /// The registry answers this one with an HTML page and HTTP 200 (a gateway mishap).
    pub const GARBLED: &str = "0319948215";
    /// The registry answers this one with HTTP 500.
    pub const SERVER_ERROR: &str = "0319993514";
}

/// How the registry answers a tax code.
pub(crate) enum Answer {
    /// `{"<block>": {...}}`.
    Info { block: &'static str, body: Value },
    Garbled,
    ServerError,
}

pub(crate) struct Business {
    pub tax_code: &'static str,
    pub answer: Answer,
    /// The VietQR-style `data`, when that service knows the business.
    pub vietqr: Option<Value>,
}

#[derive(Clone, Copy)]
enum Kind {
    Ent,
    Coop,
    House,
}

struct Status {
    code: &'static str,
    text: &'static str,
    from: &'static str,
    to: &'static str,
    reason: &'static str,
}

const ACTIVE: Status = Status { code: "01", text: "Đang hoạt động", from: "", to: "", reason: "" };

const fn status(code: &'static str, text: &'static str) -> Status {
    Status { code, text, from: "", to: "", reason: "" }
}

struct Person {
    name: &'static str,
    doc_type: &'static str,
    doc_code: &'static str,
    doc_no: &'static str,
    issued: &'static str,
    issuer: &'static str,
}

struct Place {
    province: &'static str,
    province_code: u32,
    district: &'static str,
    district_code: &'static str,
    ward: &'static str,
    ward_code: u32,
    street: &'static str,
}

impl Place {
    fn full(&self, with_country: bool) -> String {
        let mut parts = vec![self.street, self.ward];
        if !self.district.is_empty() {
            parts.push(self.district);
        }
        parts.push(self.province);
        if with_country {
            parts.push("Việt Nam");
        }
        parts.join(", ")
    }
}

struct Entity {
    kind: Kind,
    tax_code: &'static str,
    internal_id: &'static str,
    old_certificate: &'static str,
    household_registration: &'static str,
    type_code: &'static str,
    type_name: &'static str,
    name: &'static str,
    short_name: &'static str,
    international_name: &'static str,
    founded: &'static str,
    changed: &'static str,
    changes: u32,
    status: Status,
    person: Person,
    place: Place,
    lines: &'static [(&'static str, &'static str, bool)],
}

const CCCD: (&str, &str) = ("Căn cước công dân", "1");
const POLICE: &str = "Cục Cảnh sát quản lý hành chính về trật tự xã hội";

fn person(name: &'static str, doc_no: &'static str, issued: &'static str) -> Person {
    Person { name, doc_type: CCCD.0, doc_code: CCCD.1, doc_no, issued, issuer: POLICE }
}

fn entities() -> Vec<Entity> {
    let hanoi = |ward: &'static str, ward_code: u32, street: &'static str| Place {
        province: "Thành phố Hà Nội",
        province_code: 1,
        district: "",
        district_code: "",
        ward,
        ward_code,
        street,
    };
    let saigon = |district: &'static str, district_code: &'static str, ward: &'static str, ward_code: u32, street| Place {
        province: "Thành phố Hồ Chí Minh",
        province_code: 79,
        district,
        district_code,
        ward,
        ward_code,
        street,
    };
    let ent = |tax_code, name, status: Status| Entity {
        kind: Kind::Ent,
        tax_code,
        internal_id: "",
        old_certificate: "",
        household_registration: "",
        type_code: "02",
        type_name: "Công ty trách nhiệm hữu hạn hai thành viên trở lên",
        name,
        short_name: "",
        international_name: "",
        founded: "",
        changed: "",
        changes: 0,
        status,
        person: person("Phạm Quốc Dũng", "001080004567", "15/06/2021"),
        place: hanoi("Phường Hoàn Kiếm", 70, "Số 8 phố Hàng Bài"),
        lines: &[("4690", "Bán buôn tổng hợp", true)],
    };
    vec![
        Entity {
            internal_id: "1023456",
            short_name: "SEN VANG CO., LTD",
            international_name: "SEN VANG TRADING AND SERVICES COMPANY LIMITED",
            founded: "12/05/2021",
            changed: "08/01/2026",
            changes: 3,
            person: Person {
                name: "Nguyễn Văn An; Trần Thị Bình",
                ..person("", "001085012345", "10/10/2021")
            },
            place: hanoi("Phường Cửa Nam", 70, "Số 12 phố Lý Thường Kiệt"),
            lines: &[
                ("4632", "Bán buôn thực phẩm", true),
                ("4711", "Bán lẻ lương thực, thực phẩm, đồ uống, thuốc lá, thuốc lào chiếm tỷ trọng lớn trong các cửa hàng kinh doanh tổng hợp", false),
                ("5610", "Nhà hàng và các dịch vụ ăn uống phục vụ lưu động", false),
            ],
            ..ent(demo::ACTIVE, "CÔNG TY TNHH THƯƠNG MẠI VÀ DỊCH VỤ SEN VÀNG", ACTIVE)
        },
        Entity {
            internal_id: "1023457",
            type_code: "CN",
            type_name: "Chi nhánh",
            founded: "03/03/2023",
            person: person("Trần Thị Bình", "001085067890", "10/10/2021"),
            place: Place {
                province: "Thành phố Hải Phòng",
                province_code: 31,
                district: "",
                district_code: "",
                ward: "Phường Hồng Bàng",
                ward_code: 11311,
                street: "Số 25 đường Điện Biên Phủ",
            },
            lines: &[("4632", "Bán buôn thực phẩm", true)],
            ..ent(demo::ACTIVE_BRANCH, "CHI NHÁNH CÔNG TY TNHH THƯƠNG MẠI VÀ DỊCH VỤ SEN VÀNG TẠI HẢI PHÒNG", ACTIVE)
        },
        Entity {
            internal_id: "2087001",
            old_certificate: "4103012345",
            type_code: "03",
            type_name: "Công ty cổ phần",
            short_name: "BEN THANH XANH JSC",
            international_name: "BEN THANH XANH FOODS JOINT STOCK COMPANY",
            founded: "21/08/2008",
            changed: "25/02/2026",
            changes: 11,
            status: Status {
                code: "02",
                text: "Tạm ngừng kinh doanh có thời hạn",
                from: "01/03/2026",
                to: "28/02/2027",
                reason: "Tạm ngừng kinh doanh để sắp xếp lại dây chuyền sản xuất",
            },
            person: person("Võ Minh Khoa", "079075001234", "02/04/2021"),
            place: saigon("Quận 1", "760", "Phường Bến Thành", 26743, "45 Lê Lợi"),
            lines: &[
                ("1079", "Sản xuất thực phẩm khác chưa được phân vào đâu", true),
                ("4632", "Bán buôn thực phẩm", false),
            ],
            ..ent(demo::SUSPENDED, "CÔNG TY CỔ PHẦN THỰC PHẨM BẾN THÀNH XANH", ACTIVE)
        },
        Entity {
            internal_id: "1011002",
            type_code: "01",
            type_name: "Công ty trách nhiệm hữu hạn một thành viên",
            founded: "04/11/2020",
            changed: "30/09/2025",
            changes: 2,
            lines: &[("1811", "In ấn", true), ("1812", "Dịch vụ liên quan đến in", false)],
            ..ent(demo::CLOSED, "CÔNG TY TNHH IN ẤN PHƯƠNG ĐÔNG", status("03", "Đã chấm dứt hoạt động"))
        },
        Entity {
            founded: "17/07/2015",
            changed: "12/12/2024",
            changes: 4,
            person: person("Hồ Thị Lan", "048180003456", "20/05/2022"),
            place: Place {
                province: "Thành phố Đà Nẵng",
                province_code: 48,
                district: "Quận Sơn Trà",
                district_code: "493",
                ward: "Phường An Hải Bắc",
                ward_code: 20260,
                street: "102 Võ Nguyên Giáp",
            },
            lines: &[("7911", "Đại lý du lịch", true), ("7912", "Điều hành tua du lịch", false)],
            ..ent(demo::DISSOLVED, "CÔNG TY TNHH DU LỊCH BIỂN XANH ĐÀ NẴNG", status("04", "Đã giải thể"))
        },
        Entity {
            type_code: "03",
            type_name: "Công ty cổ phần",
            founded: "09/01/2017",
            changed: "14/03/2025",
            changes: 6,
            place: saigon("", "", "Phường Tân Phú", 27016, "210 Lũy Bán Bích"),
            lines: &[("4100", "Xây dựng nhà các loại", true)],
            ..ent(demo::BANKRUPT, "CÔNG TY CỔ PHẦN XÂY DỰNG TÂN PHÚ THỊNH", status("05", "Đã phá sản"))
        },
        Entity {
            type_code: "01",
            type_name: "Công ty trách nhiệm hữu hạn một thành viên",
            founded: "22/02/2019",
            changed: "05/02/2026",
            changes: 5,
            lines: &[("6201", "Lập trình máy vi tính", true)],
            ..ent(demo::DISSOLVING, "CÔNG TY TNHH MỘT THÀNH VIÊN GIẢI PHÁP SỐ LẠC HỒNG", status("06", "Đang làm thủ tục giải thể"))
        },
        Entity {
            founded: "30/06/2018",
            lines: &[("4933", "Vận tải hàng hóa bằng đường bộ", true)],
            ..ent(demo::NOT_AT_ADDRESS, "CÔNG TY TNHH VẬN TẢI HỒNG HÀ", status("07", "Không hoạt động tại địa chỉ đã đăng ký"))
        },
        Entity {
            kind: Kind::Coop,
            internal_id: "HTX-55012",
            type_code: "HTX",
            type_name: "Hợp tác xã",
            short_name: "HTX PHU AN",
            international_name: "PHU AN AGRICULTURAL SERVICE COOPERATIVE",
            founded: "05/04/2016",
            changed: "18/11/2025",
            changes: 2,
            person: person("Đặng Văn Sáu", "074070002222", "11/08/2021"),
            place: saigon("", "", "Xã Phú An", 25813, "Ấp 3"),
            lines: &[
                ("0111", "Trồng lúa", true),
                ("0161", "Hoạt động dịch vụ trồng trọt", false),
                ("4620", "Bán buôn nông, lâm sản nguyên liệu (trừ gỗ, tre, nứa) và động vật sống", false),
            ],
            ..ent(demo::COOPERATIVE, "HỢP TÁC XÃ NÔNG NGHIỆP DỊCH VỤ PHÚ AN", ACTIVE)
        },
        Entity {
            kind: Kind::House,
            internal_id: "HKD-880123",
            household_registration: "01A8012345",
            type_code: "HKD",
            type_name: "Hộ kinh doanh",
            founded: "14/02/2022",
            person: person("Lê Thị Ba", "001182009876", "01/07/2021"),
            place: hanoi("Phường Kim Liên", 118, "Số 7 ngõ 4 phố Phạm Ngọc Thạch"),
            lines: &[("4711", "Bán lẻ lương thực, thực phẩm, đồ uống, thuốc lá, thuốc lào chiếm tỷ trọng lớn trong các cửa hàng kinh doanh tổng hợp", true)],
            ..ent(demo::HOUSEHOLD, "HỘ KINH DOANH TẠP HÓA CÔ BA", ACTIVE)
        },
        Entity {
            kind: Kind::House,
            household_registration: "41M8034567",
            type_code: "HKD",
            type_name: "Hộ kinh doanh",
            founded: "09/09/2019",
            changed: "10/01/2026",
            changes: 1,
            status: Status {
                code: "02",
                text: "Tạm ngừng kinh doanh",
                from: "15/01/2026",
                to: "15/07/2026",
                reason: "Chủ hộ kinh doanh đi chữa bệnh dài ngày",
            },
            person: person("Bùi Văn Hà", demo::HOUSEHOLD_SUSPENDED, "03/03/2021"),
            place: saigon("", "", "Phường Bàn Cờ", 27139, "88 Nguyễn Đình Chiểu"),
            lines: &[("5610", "Nhà hàng và các dịch vụ ăn uống phục vụ lưu động", true)],
            ..ent(demo::HOUSEHOLD_SUSPENDED, "HỘ KINH DOANH QUÁN PHỞ HÀ THÀNH", ACTIVE)
        },
    ]
}

/// Inserts `value` unless it is empty: absent fields are left out, as registries do.
fn put(map: &mut Map<String, Value>, key: &str, value: impl Into<Value>) {
    let value = value.into();
    if value.as_str().is_some_and(str::is_empty) {
        return;
    }
    map.insert(key.to_owned(), value);
}

fn render(e: &Entity) -> (&'static str, Value) {
    let (block, code_key, type_code_key, type_key, person_key, full_key) = match e.kind {
        Kind::Ent => ("EntInfo", "MaSoDoanhNghiep", "MaLoaiHinhDN", "LoaiHinhDN", "DaiDienPhapLuat", "DiaChi"),
        Kind::Coop => ("CoopInfo", "MaSoHTX", "MaLoaiHinhHTX", "LoaiHinhHTX", "DaiDienPhapLuat", "DiaChi"),
        Kind::House => ("HouseInfo", "MaSoHKD", "MaLoaiHinhHKD", "LoaiHinhHKD", "ChuHoKinhDoanh", "DiaChiDayDu"),
    };
    let mut info = Map::new();
    put(&mut info, "MaNoiBo", e.internal_id);
    put(&mut info, code_key, e.tax_code);
    if matches!(e.kind, Kind::Ent) {
        put(&mut info, "SoGCNDKKD", e.old_certificate);
    }
    if matches!(e.kind, Kind::House) {
        put(&mut info, "MaSoDangKyHKD", e.household_registration);
    }
    put(&mut info, type_code_key, e.type_code);
    put(&mut info, type_key, e.type_name);
    put(&mut info, "TenTiengViet", e.name);
    put(&mut info, "TenVietTat", e.short_name);
    put(&mut info, "TenNuocNgoai", e.international_name);
    put(&mut info, "NgayDangKyLanDau", e.founded);
    put(&mut info, "NgayDangKyThayDoi", e.changed);
    put(&mut info, "SoLanDangKyThayDoi", e.changes);

    let mut status = Map::new();
    put(&mut status, "TinhTrangPhapLy", e.status.text);
    put(&mut status, "MaTinhTrangPhapLy", e.status.code);
    put(&mut status, "NgayBatDauTamNgung", e.status.from);
    put(&mut status, "NgayKetThucTamNgung", e.status.to);
    put(&mut status, "LyDoTamNgung", e.status.reason);
    info.insert("TinhTrangPhapLy".into(), Value::Object(status));

    let mut person = Map::new();
    put(&mut person, "HoVaTen", e.person.name);
    put(&mut person, "LoaiGiayToChungThuc", e.person.doc_type);
    put(&mut person, "MaLoaiGiayToChungThuc", e.person.doc_code);
    put(&mut person, "SoGiayChungThuc", e.person.doc_no);
    put(&mut person, "NgayCap", e.person.issued);
    put(&mut person, "NoiCap", e.person.issuer);
    put(&mut person, "QuocTich", "Việt Nam");
    put(&mut person, "MaQuocTich", 704);
    info.insert(person_key.into(), Value::Object(person));

    let mut address = Map::new();
    if matches!(e.kind, Kind::Ent) {
        put(&mut address, "QuocGia", "Việt Nam");
        put(&mut address, "MaQuocGia", 704);
    }
    put(&mut address, "TenTinhThanh", e.place.province);
    put(&mut address, "MaTinhThanh", e.place.province_code);
    put(&mut address, "TenQuanHuyen", e.place.district);
    put(&mut address, "MaQuanHuyen", e.place.district_code);
    put(&mut address, "MaPhuongXa", e.place.ward_code);
    put(&mut address, "TenPhuongXa", e.place.ward);
    put(&mut address, "SoNha", e.place.street);
    put(&mut address, full_key, e.place.full(matches!(e.kind, Kind::Ent)));
    info.insert("DiaChiTruSo".into(), Value::Object(address));

    let lines: Vec<Value> = e
        .lines
        .iter()
        .map(|(code, name, main)| json!({"MaNganh": code, "TenNganh": name, "LaNganhChinh": if *main { "Y" } else { "N" }}))
        .collect();
    info.insert("NganhNghe".into(), Value::Array(lines));
    (block, Value::Object(info))
}

fn vietqr_data(e: &Entity) -> Value {
    json!({
        "id": e.tax_code,
        "name": e.name,
        "internationalName": e.international_name,
        "shortName": e.short_name,
        "address": e.place.full(matches!(e.kind, Kind::Ent)),
    })
}

pub(crate) fn businesses() -> Vec<Business> {
    let mut out: Vec<Business> = entities()
        .iter()
        .map(|e| {
            let (block, body) = render(e);
            Business {
                tax_code: e.tax_code,
                answer: Answer::Info { block, body },
                // The public service knows business tax codes, not personal ID numbers.
                vietqr: (e.tax_code.len() != 12).then(|| vietqr_data(e)),
            }
        })
        .collect();
    out.push(Business { tax_code: demo::GARBLED, answer: Answer::Garbled, vietqr: None });
    out.push(Business { tax_code: demo::SERVER_ERROR, answer: Answer::ServerError, vietqr: None });
    out
}

/// Every seeded tax code with a word on what it shows, for the binary's listing.
pub fn seeded_tax_codes() -> Vec<(&'static str, &'static str)> {
    vec![
        (demo::ACTIVE, "doanh nghiệp đang hoạt động (2 người đại diện)"),
        (demo::ACTIVE_BRANCH, "chi nhánh đang hoạt động"),
        (demo::SUSPENDED, "doanh nghiệp tạm ngừng kinh doanh 01/03/2026–28/02/2027"),
        (demo::CLOSED, "doanh nghiệp đã chấm dứt hoạt động"),
        (demo::DISSOLVED, "doanh nghiệp đã giải thể"),
        (demo::BANKRUPT, "doanh nghiệp đã phá sản"),
        (demo::DISSOLVING, "doanh nghiệp đang làm thủ tục giải thể"),
        (demo::NOT_AT_ADDRESS, "doanh nghiệp không hoạt động tại địa chỉ đã đăng ký"),
        (demo::COOPERATIVE, "hợp tác xã đang hoạt động"),
        (demo::HOUSEHOLD, "hộ kinh doanh đang hoạt động"),
        (demo::HOUSEHOLD_SUSPENDED, "hộ kinh doanh tạm ngừng (số định danh 12 số; VietQR trả 51)"),
        (demo::UNKNOWN, "không có trong sổ (NBRS 404, VietQR 52)"),
        (demo::GARBLED, "NBRS trả trang HTML thay cho JSON"),
        (demo::SERVER_ERROR, "NBRS trả HTTP 500"),
    ]
}

/// A seeded dossier, answered by the three dossier look-ups.
pub(crate) struct SeedDossier {
    pub process_id: u64,
    pub journal_no: &'static str,
    pub site_id: &'static str,
    /// `yyyyMMddHHmmss`; its date decides whether the dossier falls in a period.
    pub received: &'static str,
    kind: Kind,
    body: Value,
    status: &'static str,
    processing_state: &'static str,
    extras: Value,
    supplement_request: Value,
}

impl SeedDossier {
    /// `{"EntProcess": {...}}` and its kin.
    pub(crate) fn latest(&self) -> Value {
        let name = match self.kind {
            Kind::Ent => "EntProcess",
            Kind::Coop => "CoopProcess",
            Kind::House => "HouseProcess",
        };
        let mut body = self.body.as_object().cloned().unwrap_or_default();
        body.insert("TrangThaiHoSo".into(), json!(self.status));
        if let Some(extras) = self.extras.as_object() {
            body.extend(extras.clone());
        }
        json!({ (name): body })
    }

    /// `{"EntProcessDetail": {...}}` and its kin.
    pub(crate) fn detail(&self) -> Value {
        let name = match self.kind {
            Kind::Ent => "EntProcessDetail",
            Kind::Coop => "CoopProcessDetail",
            Kind::House => "HouseProcessDetail",
        };
        let mut body = self.body.as_object().cloned().unwrap_or_default();
        body.insert("TinhTrangXuLy".into(), json!(self.processing_state));
        if !self.supplement_request.is_null() {
            body.insert("TinhTrangBoSung".into(), self.supplement_request.clone());
        }
        json!({ (name): body })
    }
}

#[allow(clippy::too_many_arguments)]
fn dossier_body(
    kind: Kind,
    tax_code: &str,
    name: &str,
    journal_no: &str,
    procedure: (&str, &str),
    applicant: &str,
    received: &str,
    due: &str,
    returned: &str,
) -> Value {
    let (code_key, name_key) = match kind {
        Kind::Ent => ("MaSoDoanhNghiep", "TenDoanhNghiep"),
        Kind::Coop => ("MaSoHTX", "TenHTX"),
        Kind::House => ("MaSoHKD", "TenHKD"),
    };
    let mut body = Map::new();
    put(&mut body, "MaNoiBo", format!("NB-{journal_no}"));
    put(&mut body, code_key, tax_code);
    put(&mut body, name_key, name);
    put(&mut body, "MaHoSo", journal_no);
    put(&mut body, "MaTTHC", procedure.0);
    put(&mut body, "TenTTHC", procedure.1);
    put(&mut body, "MaLinhVuc", "G01");
    put(&mut body, "TenLinhVuc", "Thành lập và hoạt động doanh nghiệp");
    put(&mut body, "KenhThucHien", "2");
    put(&mut body, "ChuHoSo", applicant);
    put(&mut body, "LoaiDoiTuong", "2");
    put(&mut body, "MaDoiTuong", "");
    put(&mut body, "ThongTinKhac", "");
    put(&mut body, "Email", "lienhe@example.vn");
    put(&mut body, "Fax", "");
    put(&mut body, "SoDienThoai", "+84 912345678");
    put(&mut body, "TrichYeuHoSo", format!("{} – {}", procedure.1, name));
    put(&mut body, "NgayTiepNhan", received);
    put(&mut body, "NgayHenTra", due);
    put(&mut body, "NgayTra", returned);
    body.insert("ThongTinTra".into(), json!(!returned.is_empty()));
    put(&mut body, "HinhThuc", 3);
    put(&mut body, "NgayKetThucXuLy", returned);
    put(&mut body, "DonViXuLy", "Phòng Đăng ký kinh doanh");
    put(&mut body, "GhiChu", "");
    put(&mut body, "NoiNopHoSo", "1");
    put(&mut body, "TaiKhoanDuocXacThucVoiVNeID", "0");
    put(&mut body, "HoSoCoThanhPhanSoHoa", "1");
    put(&mut body, "DuocThanhToanTrucTuyen", "1");
    put(&mut body, "LoaiDinhDanh", "1");
    put(&mut body, "SoDinhDanh", "001085012345");
    put(&mut body, "NgayNopHoSo", received);
    Value::Object(body)
}

pub(crate) fn dossiers() -> Vec<SeedDossier> {
    let change = ("1.010017", "Đăng ký thay đổi nội dung đăng ký doanh nghiệp");
    vec![
        SeedDossier {
            process_id: 2026000101,
            journal_no: "HN-2026-000101",
            site_id: "HN",
            received: "20260302093000",
            kind: Kind::Ent,
            body: dossier_body(
                Kind::Ent,
                demo::ACTIVE,
                "CÔNG TY TNHH THƯƠNG MẠI VÀ DỊCH VỤ SEN VÀNG",
                "HN-2026-000101",
                change,
                "Nguyễn Văn An",
                "20260302093000",
                "20260305170000",
                "20260305103000",
            ),
            status: "10",
            processing_state: "10",
            extras: json!({
                "TaiLieuNop": [
                    {"TepDinhKemId": 88001, "TenTepDinhKem": "Thong-bao-thay-doi.pdf", "IsDeleted": false,
                     "MaThanhPhanHoSo": "TP01", "DuongDanTaiTepTin": "https://dkkd.example/tep/88001",
                     "DuocSoHoa": "1", "DuocTaiSuDung": "0", "DuocLayTuKhoDMQG": "0", "MaKetQuaThayThe": ""},
                    {"TepDinhKemId": 88002, "TenTepDinhKem": "Bien-ban-hop.pdf", "IsDeleted": false,
                     "MaThanhPhanHoSo": "TP02", "DuongDanTaiTepTin": "https://dkkd.example/tep/88002",
                     "DuocSoHoa": "1", "DuocTaiSuDung": "0", "DuocLayTuKhoDMQG": "0"}
                ],
                "DanhSachLePhi": [
                    {"TenPhiLePhi": "Phí công bố nội dung đăng ký doanh nghiệp", "MaPhiLePhi": "PCB",
                     "HinhThucThu": "1", "Gia": 100000, "LoaiPhiLePhi": "1"}
                ],
                "DanhSachTepDinhKemKhac": [{"TenGiayTo": "Giấy ủy quyền", "SoLuong": 1, "LoaiGiayTo": 2}],
                "DanhSachHoSoBoSung": [
                    {"HoSoBoSungId": 5501, "NguoiYeuCauBoSung": "Chuyên viên Phòng ĐKKD",
                     "NoiDungBoSung": "Bổ sung biên bản họp hội đồng thành viên", "NgayBoSung": "20260303100000",
                     "NguoiTiepNhanBoSung": "Nguyễn Văn An", "ThongTinTiepNhan": "Đã nộp bổ sung trực tuyến",
                     "NgayTiepNhanBoSung": "20260304083000", "TrangThaiBoSung": true,
                     "DanhSachGiayToBoSung": [{"TepDinhKemId": 88003, "TenTepDinhKem": "Bien-ban-hop-bo-sung.pdf"}],
                     "DanhSachLePhiBoSung": [],
                     "NgayHenTraTruoc": "20260305170000", "NgayHenTraMoi": "20260306170000"}
                ],
                "DanhSachGiayToKetQua": [
                    {"TenGiayTo": "Giấy xác nhận về việc thay đổi nội dung đăng ký doanh nghiệp",
                     "MaThanhPhanHoSo": "KQ01", "GiayToId": 99001,
                     "DuongDanTepTinKetQua": "https://dkkd.example/ket-qua/99001", "MaGiayToKetQua": "GXN-2026-000101"}
                ]
            }),
            supplement_request: json!([
                {"NgayBoSung": "20260303100000", "NguoiYeuCauBoSung": "Chuyên viên Phòng ĐKKD",
                 "NoiDungBoSung": "Bổ sung biên bản họp hội đồng thành viên"}
            ]),
        },
        SeedDossier {
            process_id: 2026000102,
            journal_no: "HCM-2026-000102",
            site_id: "HCM",
            received: "20260310140500",
            kind: Kind::Coop,
            body: dossier_body(
                Kind::Coop,
                demo::COOPERATIVE,
                "HỢP TÁC XÃ NÔNG NGHIỆP DỊCH VỤ PHÚ AN",
                "HCM-2026-000102",
                ("1.005280", "Đăng ký thay đổi ngành, nghề sản xuất, kinh doanh của hợp tác xã"),
                "Đặng Văn Sáu",
                "20260310140500",
                "20260313170000",
                "",
            ),
            status: "4",
            processing_state: "4",
            extras: json!({"TaiLieuNop": [], "DanhSachLePhi": []}),
            supplement_request: Value::Null,
        },
        SeedDossier {
            process_id: 2026000103,
            journal_no: "HN-2026-000103",
            site_id: "HN",
            received: "20260315081500",
            kind: Kind::House,
            body: dossier_body(
                Kind::House,
                demo::HOUSEHOLD,
                "HỘ KINH DOANH TẠP HÓA CÔ BA",
                "HN-2026-000103",
                ("2.000575", "Đăng ký thay đổi nội dung đăng ký hộ kinh doanh"),
                "Lê Thị Ba",
                "20260315081500",
                "20260318170000",
                "",
            ),
            status: "5",
            processing_state: "5",
            extras: json!({}),
            supplement_request: json!({"NgayBoSung": "20260316090000", "NguoiYeuCauBoSung": "Cán bộ UBND phường",
                                       "NoiDungBoSung": "Bổ sung bản sao hợp đồng thuê mặt bằng"}),
        },
        SeedDossier {
            process_id: 2026000104,
            journal_no: "HCM-2026-000104",
            site_id: "HCM",
            received: "20260220100000",
            kind: Kind::Ent,
            body: dossier_body(
                Kind::Ent,
                demo::SUSPENDED,
                "CÔNG TY CỔ PHẦN THỰC PHẨM BẾN THÀNH XANH",
                "HCM-2026-000104",
                ("1.010026", "Thông báo tạm ngừng kinh doanh"),
                "Võ Minh Khoa",
                "20260220100000",
                "20260225170000",
                "20260225090000",
            ),
            status: "10",
            processing_state: "10",
            extras: json!({}),
            supplement_request: Value::Null,
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use hoadon_rules::TaxCode;

    #[test]
    fn every_seeded_tax_code_is_valid() {
        for (code, _) in seeded_tax_codes() {
            TaxCode::parse(code).unwrap_or_else(|e| panic!("{code}: {e}"));
        }
        for business in businesses() {
            let parsed = TaxCode::parse(business.tax_code).unwrap();
            assert_eq!(parsed.as_str(), business.tax_code, "seed codes are canonical");
        }
    }

    #[test]
    fn every_seeded_business_is_listed() {
        let listed: Vec<&str> = seeded_tax_codes().iter().map(|(c, _)| *c).collect();
        for business in businesses() {
            assert!(listed.contains(&business.tax_code), "{}", business.tax_code);
        }
    }
}
