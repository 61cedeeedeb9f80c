//! Every way a provider call can end badly, in words a shop owner can act on.
//!
//! The one distinction the rest of the app must never get wrong is between a **definite**
//! outcome (the provider certainly did not do it, or certainly refused) and an **unclear**
//! one (the provider may have issued the invoice and the answer was lost). After an unclear
//! outcome the caller asks the provider about the key ([`crate::Provider::query`]) before
//! sending anything again; see [`ProviderError::is_unclear`].

use std::fmt;

use thiserror::Error;

use crate::draft::DraftError;
use crate::status::{Issued, ProviderKind};

/// What the app was doing when the error happened, for messages and logs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Operation {
    VerifyAccount,
    ListPatterns,
    Issue,
    IssueCashRegister,
    Draft,
    PublishDrafts,
    Query,
    Cancel,
    Adjust,
    Replace,
    Pdf,
    SendNotice,
    ConfirmPayment,
    UnconfirmPayment,
    UpdateCustomers,
    ListByKey,
    DownloadXml,
    View,
    ReportUsage,
    ReportMonth,
    TaxVerdict,
    DeleteDraft,
}

impl Operation {
    /// "while …" in Vietnamese.
    pub fn doing(self) -> &'static str {
        match self {
            Operation::VerifyAccount => "kiểm tra tài khoản",
            Operation::ListPatterns => "lấy danh sách mẫu số, ký hiệu",
            Operation::Issue => "phát hành hóa đơn",
            Operation::IssueCashRegister => "phát hành hóa đơn từ máy tính tiền",
            Operation::Draft => "tạo hóa đơn nháp",
            Operation::PublishDrafts => "phát hành hóa đơn nháp",
            Operation::Query => "tra cứu trạng thái hóa đơn",
            Operation::Cancel => "hủy hóa đơn",
            Operation::Adjust => "lập hóa đơn điều chỉnh",
            Operation::Replace => "lập hóa đơn thay thế",
            Operation::Pdf => "tải bản PDF của hóa đơn",
            Operation::SendNotice => "gửi thông báo phát hành cho khách",
            Operation::ConfirmPayment => "đánh dấu hóa đơn đã thanh toán",
            Operation::UnconfirmPayment => "bỏ đánh dấu thanh toán",
            Operation::UpdateCustomers => "cập nhật danh sách khách hàng",
            Operation::ListByKey => "tìm hóa đơn theo mã",
            Operation::DownloadXml => "tải tệp XML của hóa đơn",
            Operation::View => "xem hóa đơn",
            Operation::ReportUsage => "lấy báo cáo tình hình sử dụng hóa đơn",
            Operation::ReportMonth => "lấy bảng kê hàng hóa tháng",
            Operation::TaxVerdict => "tra cứu kết quả kiểm tra của cơ quan thuế",
            Operation::DeleteDraft => "xóa hóa đơn nháp",
        }
    }

    /// Whether the operation changes something at the provider. An unclear outcome of a
    /// read changes nothing and can simply be retried.
    pub fn writes(self) -> bool {
        !matches!(
            self,
            Operation::VerifyAccount
                | Operation::ListPatterns
                | Operation::Query
                | Operation::Pdf
                | Operation::ListByKey
                | Operation::DownloadXml
                | Operation::View
                | Operation::ReportUsage
                | Operation::ReportMonth
                | Operation::TaxVerdict
        )
    }
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.doing())
    }
}

/// A definite refusal, by meaning. The same provider code means different things in
/// different operations (VNPT `ERR:7` is "no company for this user" when issuing and
/// "could not mark as paid" on a payment call), so codes are decoded per operation into
/// these meanings by [`crate::vnpt::answers`] and [`crate::easyinvoice::answers`].
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Refusal {
    #[error("Tên đăng nhập hoặc mật khẩu tài khoản hóa đơn điện tử không đúng, hoặc tài khoản không có quyền này. Hãy kiểm tra lại trong phần Cài đặt › Hóa đơn điện tử (hoặc hỏi nhà cung cấp).")]
    LoginFailed,
    #[error("Nhà cung cấp không chấp nhận chữ ký xác thực của yêu cầu: thường do đồng hồ máy tính lệch quá 5 phút. Hãy chỉnh lại ngày giờ của máy tính rồi thử lại.")]
    SignatureRejected,
    #[error("Tài khoản gọi dịch vụ không gắn với doanh nghiệp nào trên hệ thống hóa đơn. Hãy liên hệ nhà cung cấp để kiểm tra tài khoản.")]
    CompanyNotFound,
    #[error("Dữ liệu hóa đơn gửi đi không đúng quy định của nhà cung cấp, chưa có hóa đơn nào được lập. Hãy kiểm tra thông tin người mua và các dòng hàng; nếu vẫn lỗi, báo cho bộ phận hỗ trợ.")]
    InvalidData,
    #[error("Nhà cung cấp không phát hành được hóa đơn và đã hoàn tác, chưa có hóa đơn nào được lập. Có thể gửi lại sau ít phút.")]
    PublishFailed,
    #[error("Dải số hóa đơn đã đăng ký không còn đủ số cho lần phát hành này. Hãy đăng ký thêm số hóa đơn với nhà cung cấp.")]
    NotEnoughNumbers,
    #[error("Lô gửi đi có nhiều hóa đơn hơn mức nhà cung cấp cho phép. Hãy gửi thành nhiều lô nhỏ hơn.")]
    BatchTooLarge,
    #[error("Mẫu số và ký hiệu hóa đơn không khớp với mẫu đã đăng ký ở nhà cung cấp. Hãy kiểm tra mẫu số, ký hiệu trong Cài đặt (ký hiệu đổi theo năm, ví dụ C26TAA cho năm 2026).")]
    PatternSerialMismatch,
    #[error("Nhà cung cấp không tìm thấy hóa đơn này. Hãy kiểm tra lại mã hóa đơn; nếu hóa đơn chưa từng được phát hành thì không cần thao tác này.")]
    NotFound,
    #[error("Nhà cung cấp không lập được hóa đơn điều chỉnh, chưa có gì thay đổi. Có thể thử lại sau ít phút.")]
    AdjustFailed,
    #[error("Nhà cung cấp không lập được hóa đơn thay thế và đã hoàn tác. Có thể thử lại sau ít phút.")]
    ReplaceFailed,
    #[error("Dải số hóa đơn cũ đã hết, không lập được hóa đơn mới. Hãy đăng ký thêm số hóa đơn với nhà cung cấp.")]
    OldRangeExhausted,
    #[error("Hóa đơn này đã bị thay thế bởi hóa đơn khác nên không thể điều chỉnh hay thay thế nữa. Hãy thao tác trên hóa đơn thay thế.")]
    AlreadyReplaced,
    #[error("Hóa đơn này đã bị thay thế hoặc đã bị hủy trước đó, không cần hủy nữa.")]
    AlreadyReplacedOrCancelled,
    #[error("Trạng thái hiện tại của hóa đơn không cho phép thao tác này (ví dụ hóa đơn đã hủy hoặc đã bị điều chỉnh). Hãy tra cứu trạng thái hóa đơn trước.")]
    StatusForbids,
    #[error("Nhà cung cấp không đánh dấu được hóa đơn là đã thanh toán. Hãy thử lại sau hoặc đánh dấu trên trang quản trị của nhà cung cấp.")]
    PaymentMarkFailed,
    #[error("Nhà cung cấp không bỏ được dấu thanh toán của hóa đơn. Hãy thử lại sau hoặc thao tác trên trang quản trị của nhà cung cấp.")]
    PaymentUnmarkFailed,
    #[error("Hóa đơn đã được đánh dấu thanh toán từ trước, không cần làm lại.")]
    AlreadyPaid,
    #[error("Hóa đơn đã được bỏ dấu thanh toán từ trước, không cần làm lại.")]
    AlreadyUnpaid,
    #[error("Doanh nghiệp chưa đăng ký mẫu hóa đơn nào với nhà cung cấp. Hãy hoàn tất đăng ký mẫu số, ký hiệu trước khi phát hành.")]
    NoPatternRegistered,
    #[error("Hóa đơn chưa được đánh dấu thanh toán nên nhà cung cấp chưa cho xem. Hãy đánh dấu đã thanh toán hoặc dùng chức năng tải không cần thanh toán.")]
    NotPaidCannotView,
    #[error("Nhà cung cấp báo lỗi khác không rõ nguyên nhân. Hãy thử lại sau; nếu vẫn lỗi, liên hệ nhà cung cấp.")]
    OtherError,
    #[error("Nhà cung cấp không lưu được danh sách khách hàng và đã hoàn tác. Có thể thử lại sau.")]
    CustomerImportFailed,
    #[error("Có khách hàng trong danh sách đã tồn tại (trùng mã khách hàng), không khách hàng nào được cập nhật. Hãy bỏ khách hàng trùng rồi gửi lại.")]
    CustomerExists,
    #[error("Cơ quan thuế đang kiểm tra hóa đơn này nên chưa hủy được. Ứng dụng sẽ thử hủy lại sau.")]
    AwaitingTaxAuthority,
    #[error("Nhà cung cấp không tìm thấy doanh nghiệp của tài khoản gọi dịch vụ, hoặc mẫu số và ký hiệu hóa đơn không thuộc dải hóa đơn đã đăng ký. Hãy kiểm tra mẫu số, ký hiệu trong Cài đặt (ký hiệu đổi theo năm, ví dụ C26TAA cho năm 2026); nếu đúng, liên hệ nhà cung cấp để kiểm tra tài khoản.")]
    CompanyOrPatternNotFound,
    #[error("Nhà cung cấp không tạo được hóa đơn nháp và đã hoàn tác, chưa có hóa đơn nào được tạo. Có thể gửi lại sau ít phút.")]
    DraftFailed,
    #[error("Nhà cung cấp báo trùng số hóa đơn nên chưa có hóa đơn nào được tạo. Hãy thử lại sau ít phút; nếu vẫn lỗi, liên hệ nhà cung cấp để kiểm tra dải số hóa đơn.")]
    DuplicateNumber,
    #[error("Doanh nghiệp đăng ký cả dải hóa đơn có mã và không có mã của cơ quan thuế, nên mỗi lần gửi phải ghi rõ mẫu số và ký hiệu. Hãy nhập mẫu số, ký hiệu trong Cài đặt › Hóa đơn điện tử rồi gửi lại.")]
    PatternSerialRequired,
    #[error("Nhà cung cấp không có hóa đơn nháp nào với mã này nên chưa ký được. Hãy tạo hóa đơn nháp trước (hoặc phát hành trực tiếp) rồi ký lại.")]
    DraftNotFound,
    #[error("Nhà cung cấp không ký được các hóa đơn nháp và đã hoàn tác: các hóa đơn vẫn là bản nháp, chưa có số. Có thể ký lại sau ít phút.")]
    PublishDraftsFailed,
    #[error("Chứng thư số dùng để ký hóa đơn đã hết hạn nên chưa có hóa đơn nào được ký. Hãy gia hạn chứng thư số (chữ ký số) với nhà cung cấp rồi ký lại.")]
    CertificateExpired,
    #[error("Ngày lập của hóa đơn sớm hơn ngày của hóa đơn đã phát hành trước đó nên chưa ký được: hóa đơn phải được ký theo thứ tự ngày. Hãy kiểm tra ngày lập của hóa đơn nháp hoặc liên hệ nhà cung cấp.")]
    DateBeforePublished,
    #[error("Mã số thuế người bán gửi kèm tài khoản không đúng hoặc còn thiếu (từ 01/01/2026 máy chủ chung của EasyInvoice cần mã số thuế của cửa hàng). Hãy kiểm tra mã số thuế người bán trong Cài đặt › Hóa đơn điện tử.")]
    SellerTaxCodeRejected,
    #[error("Nhà cung cấp không cho hủy hóa đơn này: theo Nghị định 70/2025, hóa đơn đã gửi cơ quan thuế mà có sai sót thì lập hóa đơn thay thế hoặc điều chỉnh, không hủy (hóa đơn chưa ký thì xóa bản nháp, hóa đơn đang chờ cơ quan thuế thì đợi kết quả). Hãy dùng «Thay thế» hoặc «Điều chỉnh».")]
    CancelNotAllowed,
    #[error("Tài khoản chưa được cài đặt ký số từ xa (HSM) ở nhà cung cấp nên chưa ký được hóa đơn. Hãy liên hệ nhà cung cấp, hoặc chọn ký bằng USB Token trong Cài đặt.")]
    RemoteSigningNotSetUp,
    #[error("Máy chủ của nhà cung cấp không đọc được yêu cầu (tên tham số hoặc định dạng khác với phiên bản dịch vụ của máy chủ), chưa có gì được thực hiện. Hãy bấm «Kiểm tra kết nối» trong Cài đặt để ứng dụng đọc mô tả dịch vụ của máy chủ rồi thử lại.")]
    RequestNotUnderstood,
    #[error("Nhà cung cấp chưa tạo xong tệp của hóa đơn (tệp thường có chậm vài giây sau khi phát hành), chưa tải được. Hãy tải lại sau ít phút.")]
    FileNotReady,
    #[error("Nhà cung cấp trả về mã lỗi {0} không có trong tài liệu. Hãy ghi lại mã này và liên hệ nhà cung cấp.")]
    Unknown(String),
}

/// The error of a provider call.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ProviderError {
    // ---- unclear: the provider may have done it ----
    /// No answer within the time limit: the request was sent, it may have been processed.
    #[error("{provider} không trả lời trong {seconds} giây khi {op}. Hóa đơn có thể đã được xử lý: ứng dụng sẽ tra cứu lại theo mã hóa đơn trước khi gửi lại, đừng lập hóa đơn mới cho đơn hàng này.")]
    Timeout { provider: ProviderKind, op: Operation, seconds: u64 },

    /// The connection broke after the request was sent (reset, closed without an answer).
    #[error("Mất kết nối với {provider} khi {op} ({detail}). Hóa đơn có thể đã được xử lý: ứng dụng sẽ tra cứu lại theo mã hóa đơn trước khi gửi lại.")]
    ConnectionLost { provider: ProviderKind, op: Operation, detail: String },

    /// HTTP 5xx (or a SOAP fault, which travels as 500): the server failed somewhere, maybe
    /// after it stored the invoice.
    #[error("Máy chủ {provider} gặp lỗi (HTTP {http_status}) khi {op}. Hóa đơn có thể đã được xử lý: ứng dụng sẽ tra cứu lại theo mã hóa đơn trước khi gửi lại.")]
    ServerError { provider: ProviderKind, op: Operation, http_status: u16 },

    /// An answer came but could not be read; whatever it said is unknown.
    #[error("{provider} trả lời không đọc được khi {op} ({detail}). Hóa đơn có thể đã được xử lý: ứng dụng sẽ tra cứu lại theo mã hóa đơn trước khi gửi lại.")]
    Malformed { provider: ProviderKind, op: Operation, detail: String },

    /// The provider already has a signed invoice with this key. It may be ours from an
    /// earlier send whose answer was lost: query by key and take that invoice; never
    /// delete and re-import, and never send the sale under a new key.
    #[error("{provider} báo đã có hóa đơn với mã {keys} (có thể là hóa đơn đã phát hành ở lần gửi trước mà chưa nhận được trả lời). Ứng dụng sẽ tra cứu hóa đơn đó thay vì phát hành lại.")]
    DuplicateKey { provider: ProviderKind, op: Operation, keys: String, code: String },

    /// A provider that takes one invoice per call (Viettel) issued the first invoices of a
    /// batch, then the one under `failed` ended with `cause`; the rest were not sent. Unclear
    /// for the batch as a whole: query every key before sending any of them again.
    #[error("{provider} đã phát hành {} hóa đơn đầu của lô ({}) rồi gặp lỗi ở hóa đơn {failed}: {cause} Các hóa đơn sau đó chưa được gửi. Ứng dụng sẽ tra cứu từng hóa đơn theo mã trước khi gửi lại.", issued.len(), issued_keys(issued))]
    PartlyIssued { provider: ProviderKind, op: Operation, issued: Vec<Issued>, failed: String, cause: Box<ProviderError> },

    // ---- definite ----
    /// Could not connect at all: nothing was sent, nothing happened.
    #[error("Không kết nối được tới {provider} khi {op} ({detail}). Chưa có gì được gửi đi. Hãy kiểm tra kết nối Internet và địa chỉ máy chủ trong Cài đặt, rồi thử lại.")]
    Unreachable { provider: ProviderKind, op: Operation, detail: String },

    /// The provider refused, for a documented reason.
    #[error("{provider} từ chối {op} (mã {code}): {refusal}{}", provider_note(.provider_message))]
    Refused {
        provider: ProviderKind,
        op: Operation,
        code: String,
        refusal: Refusal,
        /// The provider's own words, shown as they came.
        provider_message: Option<String>,
        /// Keys the refusal is about, when the provider says.
        keys: Vec<String>,
    },

    /// HTTP 4xx without a readable refusal: the request was not accepted.
    #[error("{provider} từ chối yêu cầu {op} (HTTP {http_status}). Hãy kiểm tra địa chỉ máy chủ và tài khoản trong Cài đặt.")]
    HttpRefused { provider: ProviderKind, op: Operation, http_status: u16 },

    /// The draft was refused here, before sending.
    #[error("Hóa đơn chưa được gửi vì dữ liệu chưa hợp lệ: {0}")]
    Invalid(#[from] DraftError),

    /// The provider offers no such operation.
    #[error("{provider} không hỗ trợ chức năng {op}.")]
    Unsupported { provider: ProviderKind, op: Operation },

    /// A setting is missing or wrong (empty URL, …): nothing was sent.
    #[error("Cài đặt {provider} chưa đúng: {detail}. Chưa có gì được gửi đi.")]
    Settings { provider: ProviderKind, detail: String },
}

fn issued_keys(issued: &[Issued]) -> String {
    issued.iter().map(|i| i.key.as_str()).collect::<Vec<_>>().join(", ")
}

fn provider_note(message: &Option<String>) -> String {
    match message {
        Some(m) if !m.trim().is_empty() => format!(" (Nhà cung cấp ghi: «{}»)", m.trim()),
        _ => String::new(),
    }
}

impl ProviderError {
    /// True when the provider **may have done** what was asked: timeout after sending, a
    /// connection lost after sending, HTTP 5xx, an unreadable answer, a duplicate-key
    /// answer, or a batch stopped part-way. The caller must then query by key before sending again.
    ///
    /// False means definite: either nothing reached the provider (unreachable, invalid
    /// draft, settings) or the provider answered clearly that it did not do it.
    pub fn is_unclear(&self) -> bool {
        matches!(
            self,
            ProviderError::Timeout { .. }
                | ProviderError::ConnectionLost { .. }
                | ProviderError::ServerError { .. }
                | ProviderError::Malformed { .. }
                | ProviderError::DuplicateKey { .. }
                | ProviderError::PartlyIssued { .. }
        )
    }

    /// The documented refusal, when the provider gave one.
    pub fn refusal(&self) -> Option<&Refusal> {
        match self {
            ProviderError::Refused { refusal, .. } => Some(refusal),
            _ => None,
        }
    }

    /// The provider's raw code (`ERR:6`, `Status 3`, `163`), for logs and support calls.
    pub fn code(&self) -> Option<&str> {
        match self {
            ProviderError::Refused { code, .. } | ProviderError::DuplicateKey { code, .. } => Some(code),
            _ => None,
        }
    }

    pub fn operation(&self) -> Option<Operation> {
        match self {
            ProviderError::Timeout { op, .. }
            | ProviderError::ConnectionLost { op, .. }
            | ProviderError::ServerError { op, .. }
            | ProviderError::Malformed { op, .. }
            | ProviderError::DuplicateKey { op, .. }
            | ProviderError::PartlyIssued { op, .. }
            | ProviderError::Unreachable { op, .. }
            | ProviderError::Refused { op, .. }
            | ProviderError::HttpRefused { op, .. }
            | ProviderError::Unsupported { op, .. } => Some(*op),
            ProviderError::Invalid(_) | ProviderError::Settings { .. } => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unclear_and_definite_are_told_apart() {
        let p = ProviderKind::Vnpt;
        let op = Operation::Issue;
        let unclear = [
            ProviderError::Timeout { provider: p, op, seconds: 30 },
            ProviderError::ConnectionLost { provider: p, op, detail: "reset".into() },
            ProviderError::ServerError { provider: p, op, http_status: 503 },
            ProviderError::Malformed { provider: p, op, detail: "x".into() },
            ProviderError::DuplicateKey { provider: p, op, keys: "K".into(), code: "ERR:13".into() },
            ProviderError::PartlyIssued {
                provider: ProviderKind::Viettel,
                op,
                issued: vec![Issued { key: crate::InvoiceKey::new("K1").unwrap(), pattern: "1/001".into(), serial: "C26TAA".into(), number: 1, tax_authority_code: None }],
                failed: "K2".into(),
                cause: Box::new(ProviderError::Refused {
                    provider: ProviderKind::Viettel,
                    op,
                    code: "INVOICE_SERIAL_NOT_FOUND".into(),
                    refusal: Refusal::PatternSerialMismatch,
                    provider_message: None,
                    keys: vec!["K2".into()],
                }),
            },
        ];
        for e in unclear {
            assert!(e.is_unclear(), "{e}");
        }
        let definite = [
            ProviderError::Unreachable { provider: p, op, detail: "refused".into() },
            ProviderError::Refused {
                provider: p,
                op,
                code: "ERR:1".into(),
                refusal: Refusal::LoginFailed,
                provider_message: None,
                keys: vec![],
            },
            ProviderError::HttpRefused { provider: p, op, http_status: 404 },
            ProviderError::Invalid(DraftError::NoLines),
            ProviderError::Unsupported { provider: p, op },
        ];
        for e in definite {
            assert!(!e.is_unclear(), "{e}");
        }
    }

    #[test]
    fn messages_say_what_happened_and_what_to_do() {
        let e = ProviderError::Refused {
            provider: ProviderKind::EasyInvoice,
            op: Operation::Issue,
            code: "Status 3".into(),
            refusal: Refusal::LoginFailed,
            provider_message: Some("Sai mật khẩu".into()),
            keys: vec![],
        };
        let s = e.to_string();
        assert!(s.starts_with("EasyInvoice từ chối phát hành hóa đơn (mã Status 3): Tên đăng nhập"), "{s}");
        assert!(s.ends_with("(Nhà cung cấp ghi: «Sai mật khẩu»)"), "{s}");
    }

    /// Decree 70/2025: the refusal of a cancel says what to do instead; a draft refused
    /// before sending names the field to correct.
    #[test]
    fn refusals_say_what_to_do_instead() {
        let cancel = Refusal::CancelNotAllowed.to_string();
        assert!(cancel.contains("Nghị định 70/2025") && cancel.contains("«Thay thế»") && cancel.contains("«Điều chỉnh»"), "{cancel}");
        let missing = ProviderError::Invalid(DraftError::MissingBuyerField {
            field: "customer.address",
            what: "Địa chỉ người mua",
            what_lower: "địa chỉ người mua",
            provider: "VNPT Invoice",
        });
        assert!(!missing.is_unclear());
        assert_eq!(missing.operation(), None);
        assert_eq!(
            missing.to_string(),
            "Hóa đơn chưa được gửi vì dữ liệu chưa hợp lệ: Địa chỉ người mua còn trống: VNPT Invoice bắt buộc có thông tin này trên hóa đơn. Hãy nhập địa chỉ người mua trong Khách hàng rồi xuất lại"
        );
        let server = ProviderError::ServerError { provider: ProviderKind::EasyInvoice, op: Operation::Issue, http_status: 500 };
        assert!(server.is_unclear() && server.to_string().contains("tra cứu lại theo mã hóa đơn"), "{server}");
    }
}
