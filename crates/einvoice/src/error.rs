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
    /// Checking the account's credentials.
    VerifyAccount,
    /// Listing the templates and symbols the account may use.
    ListPatterns,
    /// Issuing (importing and signing) invoices.
    Issue,
    /// Issuing cash-register invoices (with the tax-authority code).
    IssueCashRegister,
    /// Importing unsigned drafts.
    Draft,
    /// Signing drafts already imported.
    PublishDrafts,
    /// Asking the state of invoices by key.
    Query,
    /// Cancelling an invoice.
    Cancel,
    /// Issuing an adjusting invoice.
    Adjust,
    /// Issuing a replacing invoice.
    Replace,
    /// Downloading an invoice's PDF.
    Pdf,
    /// E-mailing the issuance notice to the buyer.
    SendNotice,
    /// Marking an invoice paid (VNPT).
    ConfirmPayment,
    /// Removing the paid mark (VNPT).
    UnconfirmPayment,
    /// Uploading the shop's customers (VNPT `UpdateCus`).
    UpdateCustomers,
    /// Finding invoices by key within a date range (VNPT).
    ListByKey,
    /// Listing the invoices issued since a day or a number (after a restore).
    ListIssued,
    /// Downloading an invoice's XML.
    DownloadXml,
    /// Getting an invoice's view (VNPT's HTML).
    View,
    /// Fetching the invoice usage report (VNPT).
    ReportUsage,
    /// Fetching the monthly list of goods sold (VNPT).
    ReportMonth,
    /// Asking the tax authority's verdict on invoices.
    TaxVerdict,
    /// Deleting an unsigned draft.
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
            Operation::ListIssued => "lấy danh sách hóa đơn đã lập",
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
                | Operation::ListIssued
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
    /// Wrong user name or password, or the account lacks this right.
    #[error("Tên đăng nhập hoặc mật khẩu tài khoản hóa đơn điện tử không đúng, hoặc tài khoản không có quyền này. Hãy kiểm tra lại trong phần Cài đặt › Hóa đơn điện tử (hoặc hỏi nhà cung cấp).")]
    LoginFailed,
    /// The request's signature was refused: usually the computer's clock is over 5 minutes off.
    #[error("Nhà cung cấp không chấp nhận chữ ký xác thực của yêu cầu: thường do đồng hồ máy tính lệch quá 5 phút. Hãy chỉnh lại ngày giờ của máy tính rồi thử lại.")]
    SignatureRejected,
    /// The service account belongs to no company at the provider.
    #[error("Tài khoản gọi dịch vụ không gắn với doanh nghiệp nào trên hệ thống hóa đơn. Hãy liên hệ nhà cung cấp để kiểm tra tài khoản.")]
    CompanyNotFound,
    /// The invoice data breaks the provider's rules; nothing was issued.
    #[error("Dữ liệu hóa đơn gửi đi không đúng quy định của nhà cung cấp, chưa có hóa đơn nào được lập. Hãy kiểm tra thông tin người mua và các dòng hàng; nếu vẫn lỗi, báo cho bộ phận hỗ trợ.")]
    InvalidData,
    /// Issuing failed and the provider rolled back; nothing was issued, may be resent later.
    #[error("Nhà cung cấp không phát hành được hóa đơn và đã hoàn tác, chưa có hóa đơn nào được lập. Có thể gửi lại sau ít phút.")]
    PublishFailed,
    /// The registered number range has too few numbers left for this batch.
    #[error("Dải số hóa đơn đã đăng ký không còn đủ số cho lần phát hành này. Hãy đăng ký thêm số hóa đơn với nhà cung cấp.")]
    NotEnoughNumbers,
    /// The batch holds more invoices than the provider allows.
    #[error("Lô gửi đi có nhiều hóa đơn hơn mức nhà cung cấp cho phép. Hãy gửi thành nhiều lô nhỏ hơn.")]
    BatchTooLarge,
    /// The template and symbol do not match one registered at the provider.
    #[error("Mẫu số và ký hiệu hóa đơn không khớp với mẫu đã đăng ký ở nhà cung cấp. Hãy kiểm tra mẫu số, ký hiệu trong Cài đặt (ký hiệu đổi theo năm, ví dụ C26TAA cho năm 2026).")]
    PatternSerialMismatch,
    /// The provider has no invoice with this key.
    #[error("Nhà cung cấp không tìm thấy hóa đơn này. Hãy kiểm tra lại mã hóa đơn; nếu hóa đơn chưa từng được phát hành thì không cần thao tác này.")]
    NotFound,
    /// The adjusting invoice could not be made; nothing changed.
    #[error("Nhà cung cấp không lập được hóa đơn điều chỉnh, chưa có gì thay đổi. Có thể thử lại sau ít phút.")]
    AdjustFailed,
    /// The replacing invoice could not be made and the provider rolled back.
    #[error("Nhà cung cấp không lập được hóa đơn thay thế và đã hoàn tác. Có thể thử lại sau ít phút.")]
    ReplaceFailed,
    /// The old number range is used up.
    #[error("Dải số hóa đơn cũ đã hết, không lập được hóa đơn mới. Hãy đăng ký thêm số hóa đơn với nhà cung cấp.")]
    OldRangeExhausted,
    /// The invoice was replaced already: act on its replacement instead.
    #[error("Hóa đơn này đã bị thay thế bởi hóa đơn khác nên không thể điều chỉnh hay thay thế nữa. Hãy thao tác trên hóa đơn thay thế.")]
    AlreadyReplaced,
    /// The invoice was replaced or cancelled already: no need to cancel.
    #[error("Hóa đơn này đã bị thay thế hoặc đã bị hủy trước đó, không cần hủy nữa.")]
    AlreadyReplacedOrCancelled,
    /// The invoice's state forbids this (cancelled, adjusted, …): query it first.
    #[error("Trạng thái hiện tại của hóa đơn không cho phép thao tác này (ví dụ hóa đơn đã hủy hoặc đã bị điều chỉnh). Hãy tra cứu trạng thái hóa đơn trước.")]
    StatusForbids,
    /// The provider could not mark the invoice paid.
    #[error("Nhà cung cấp không đánh dấu được hóa đơn là đã thanh toán. Hãy thử lại sau hoặc đánh dấu trên trang quản trị của nhà cung cấp.")]
    PaymentMarkFailed,
    /// The provider could not remove the paid mark.
    #[error("Nhà cung cấp không bỏ được dấu thanh toán của hóa đơn. Hãy thử lại sau hoặc thao tác trên trang quản trị của nhà cung cấp.")]
    PaymentUnmarkFailed,
    /// The invoice was marked paid already.
    #[error("Hóa đơn đã được đánh dấu thanh toán từ trước, không cần làm lại.")]
    AlreadyPaid,
    /// The invoice was unmarked already.
    #[error("Hóa đơn đã được bỏ dấu thanh toán từ trước, không cần làm lại.")]
    AlreadyUnpaid,
    /// The company has registered no invoice template with the provider.
    #[error("Doanh nghiệp chưa đăng ký mẫu hóa đơn nào với nhà cung cấp. Hãy hoàn tất đăng ký mẫu số, ký hiệu trước khi phát hành.")]
    NoPatternRegistered,
    /// The invoice is not marked paid, so the provider will not show it.
    #[error("Hóa đơn chưa được đánh dấu thanh toán nên nhà cung cấp chưa cho xem. Hãy đánh dấu đã thanh toán hoặc dùng chức năng tải không cần thanh toán.")]
    NotPaidCannotView,
    /// The provider's catch-all error, cause unknown.
    #[error("Nhà cung cấp báo lỗi khác không rõ nguyên nhân. Hãy thử lại sau; nếu vẫn lỗi, liên hệ nhà cung cấp.")]
    OtherError,
    /// The customer list could not be saved and the provider rolled back.
    #[error("Nhà cung cấp không lưu được danh sách khách hàng và đã hoàn tác. Có thể thử lại sau.")]
    CustomerImportFailed,
    /// A customer code in the list exists already; no customer was updated.
    #[error("Có khách hàng trong danh sách đã tồn tại (trùng mã khách hàng), không khách hàng nào được cập nhật. Hãy bỏ khách hàng trùng rồi gửi lại.")]
    CustomerExists,
    /// The tax authority is still checking the invoice, so it cannot be cancelled yet.
    #[error("Cơ quan thuế đang kiểm tra hóa đơn này nên chưa hủy được. Ứng dụng sẽ thử hủy lại sau.")]
    AwaitingTaxAuthority,
    /// The service account's company, or the template and symbol, were not found.
    #[error("Nhà cung cấp không tìm thấy doanh nghiệp của tài khoản gọi dịch vụ, hoặc mẫu số và ký hiệu hóa đơn không thuộc dải hóa đơn đã đăng ký. Hãy kiểm tra mẫu số, ký hiệu trong Cài đặt (ký hiệu đổi theo năm, ví dụ C26TAA cho năm 2026); nếu đúng, liên hệ nhà cung cấp để kiểm tra tài khoản.")]
    CompanyOrPatternNotFound,
    /// The drafts could not be created and the provider rolled back.
    #[error("Nhà cung cấp không tạo được hóa đơn nháp và đã hoàn tác, chưa có hóa đơn nào được tạo. Có thể gửi lại sau ít phút.")]
    DraftFailed,
    /// The provider reported a duplicate invoice number; nothing was created.
    #[error("Nhà cung cấp báo trùng số hóa đơn nên chưa có hóa đơn nào được tạo. Hãy thử lại sau ít phút; nếu vẫn lỗi, liên hệ nhà cung cấp để kiểm tra dải số hóa đơn.")]
    DuplicateNumber,
    /// The account has ranges with and without tax-authority code: template and symbol must be sent.
    #[error("Doanh nghiệp đăng ký cả dải hóa đơn có mã và không có mã của cơ quan thuế, nên mỗi lần gửi phải ghi rõ mẫu số và ký hiệu. Hãy nhập mẫu số, ký hiệu trong Cài đặt › Hóa đơn điện tử rồi gửi lại.")]
    PatternSerialRequired,
    /// No draft with this key to sign.
    #[error("Nhà cung cấp không có hóa đơn nháp nào với mã này nên chưa ký được. Hãy tạo hóa đơn nháp trước (hoặc phát hành trực tiếp) rồi ký lại.")]
    DraftNotFound,
    /// Signing the drafts failed and was rolled back: they are still unnumbered drafts.
    #[error("Nhà cung cấp không ký được các hóa đơn nháp và đã hoàn tác: các hóa đơn vẫn là bản nháp, chưa có số. Có thể ký lại sau ít phút.")]
    PublishDraftsFailed,
    /// The signing certificate has expired; nothing was signed.
    #[error("Chứng thư số dùng để ký hóa đơn đã hết hạn nên chưa có hóa đơn nào được ký. Hãy gia hạn chứng thư số (chữ ký số) với nhà cung cấp rồi ký lại.")]
    CertificateExpired,
    /// The invoice date is earlier than that of an invoice already issued: invoices sign in date order.
    #[error("Ngày lập của hóa đơn sớm hơn ngày của hóa đơn đã phát hành trước đó nên chưa ký được: hóa đơn phải được ký theo thứ tự ngày. Hãy kiểm tra ngày lập của hóa đơn nháp hoặc liên hệ nhà cung cấp.")]
    DateBeforePublished,
    /// The seller tax code sent with the account is wrong or missing (EasyInvoice's shared host).
    #[error("Mã số thuế người bán gửi kèm tài khoản không đúng hoặc còn thiếu (từ 01/01/2026 máy chủ chung của EasyInvoice cần mã số thuế của cửa hàng). Hãy kiểm tra mã số thuế người bán trong Cài đặt › Hóa đơn điện tử.")]
    SellerTaxCodeRejected,
    /// Cancelling is not allowed (Decree 70/2025: replace or adjust instead).
    #[error("Nhà cung cấp không cho hủy hóa đơn này: theo Nghị định 70/2025, hóa đơn đã gửi cơ quan thuế mà có sai sót thì lập hóa đơn thay thế hoặc điều chỉnh, không hủy (hóa đơn chưa ký thì xóa bản nháp, hóa đơn đang chờ cơ quan thuế thì đợi kết quả). Hãy dùng «Thay thế» hoặc «Điều chỉnh».")]
    CancelNotAllowed,
    /// Remote signing (HSM) is not set up for the account.
    #[error("Tài khoản chưa được cài đặt ký số từ xa (HSM) ở nhà cung cấp nên chưa ký được hóa đơn. Hãy liên hệ nhà cung cấp, hoặc chọn ký bằng USB Token trong Cài đặt.")]
    RemoteSigningNotSetUp,
    /// The server could not read the request (its service version names parameters otherwise); nothing done.
    #[error("Máy chủ của nhà cung cấp không đọc được yêu cầu (tên tham số hoặc định dạng khác với phiên bản dịch vụ của máy chủ), chưa có gì được thực hiện. Hãy bấm «Kiểm tra kết nối» trong Cài đặt để ứng dụng đọc mô tả dịch vụ của máy chủ rồi thử lại.")]
    RequestNotUnderstood,
    /// The invoice's file is not ready yet (it comes seconds after issuing); try later.
    #[error("Nhà cung cấp chưa tạo xong tệp của hóa đơn (tệp thường có chậm vài giây sau khi phát hành), chưa tải được. Hãy tải lại sau ít phút.")]
    FileNotReady,
    /// A code the documentation does not list; the provider's raw code.
    #[error("Nhà cung cấp trả về mã lỗi {0} không có trong tài liệu. Hãy ghi lại mã này và liên hệ nhà cung cấp.")]
    Unknown(String),
}

/// The error of a provider call.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ProviderError {
    // ---- unclear: the provider may have done it ----
    /// No answer within the time limit: the request was sent, it may have been processed.
    #[error("{provider} không trả lời trong {seconds} giây khi {op}. Hóa đơn có thể đã được xử lý: ứng dụng sẽ tra cứu lại theo mã hóa đơn trước khi gửi lại, đừng lập hóa đơn mới cho đơn hàng này.")]
    Timeout {
        /// The provider called.
        provider: ProviderKind,
        /// What the app was doing.
        op: Operation,
        /// The time limit that ran out, in seconds.
        seconds: u64,
    },

    /// The connection broke after the request was sent (reset, closed without an answer).
    #[error("Mất kết nối với {provider} khi {op} ({detail}). Hóa đơn có thể đã được xử lý: ứng dụng sẽ tra cứu lại theo mã hóa đơn trước khi gửi lại.")]
    ConnectionLost {
        /// The provider called.
        provider: ProviderKind,
        /// What the app was doing.
        op: Operation,
        /// The transport's description of the failure, for logs.
        detail: String,
    },

    /// HTTP 5xx (or a SOAP fault, which travels as 500): the server failed somewhere, maybe
    /// after it stored the invoice.
    #[error("Máy chủ {provider} gặp lỗi (HTTP {http_status}) khi {op}. Hóa đơn có thể đã được xử lý: ứng dụng sẽ tra cứu lại theo mã hóa đơn trước khi gửi lại.")]
    ServerError {
        /// The provider called.
        provider: ProviderKind,
        /// What the app was doing.
        op: Operation,
        /// The HTTP status, 500…599.
        http_status: u16,
    },

    /// An answer came but could not be read; whatever it said is unknown.
    #[error("{provider} trả lời không đọc được khi {op} ({detail}). Hóa đơn có thể đã được xử lý: ứng dụng sẽ tra cứu lại theo mã hóa đơn trước khi gửi lại.")]
    Malformed {
        /// The provider called.
        provider: ProviderKind,
        /// What the app was doing.
        op: Operation,
        /// Why the answer could not be read.
        detail: String,
    },

    /// The provider already has a signed invoice with this key. It may be ours from an
    /// earlier send whose answer was lost: query by key and take that invoice; never
    /// delete and re-import, and never send the sale under a new key.
    #[error("{provider} báo đã có hóa đơn với mã {keys} (có thể là hóa đơn đã phát hành ở lần gửi trước mà chưa nhận được trả lời). Ứng dụng sẽ tra cứu hóa đơn đó thay vì phát hành lại.")]
    DuplicateKey {
        /// The provider called.
        provider: ProviderKind,
        /// What the app was doing.
        op: Operation,
        /// The keys reported, comma-separated.
        keys: String,
        /// The provider's raw code for it.
        code: String,
    },

    /// A provider that takes one invoice per call (Viettel) issued the first invoices of a
    /// batch, then the one under `failed` ended with `cause`; the rest were not sent. Unclear
    /// for the batch as a whole: query every key before sending any of them again.
    #[error("{provider} đã phát hành {} hóa đơn đầu của lô ({}) rồi gặp lỗi ở hóa đơn {failed}: {cause} Các hóa đơn sau đó chưa được gửi. Ứng dụng sẽ tra cứu từng hóa đơn theo mã trước khi gửi lại.", issued.len(), issued_keys(issued))]
    PartlyIssued {
        /// The provider called.
        provider: ProviderKind,
        /// What the app was doing.
        op: Operation,
        /// The invoices issued before the failure, with their numbers.
        issued: Vec<Issued>,
        /// The key of the invoice whose call failed.
        failed: String,
        /// How that call ended (itself possibly unclear).
        cause: Box<ProviderError>,
    },

    // ---- definite ----
    /// Could not connect at all: nothing was sent, nothing happened.
    #[error("Không kết nối được tới {provider} khi {op} ({detail}). Chưa có gì được gửi đi. Hãy kiểm tra kết nối Internet và địa chỉ máy chủ trong Cài đặt, rồi thử lại.")]
    Unreachable {
        /// The provider called.
        provider: ProviderKind,
        /// What the app was doing.
        op: Operation,
        /// The transport's description of the failure, for logs.
        detail: String,
    },

    /// The provider refused, for a documented reason.
    #[error("{provider} từ chối {op} (mã {code}): {refusal}{}", provider_note(.provider_message))]
    Refused {
        /// The provider that refused.
        provider: ProviderKind,
        /// What the app was doing.
        op: Operation,
        /// The provider's raw code (`ERR:6`, `Status 3`, `163`), for logs and support calls.
        code: String,
        /// What the refusal means, decoded for this operation.
        refusal: Refusal,
        /// The provider's own words, shown as they came.
        provider_message: Option<String>,
        /// Keys the refusal is about, when the provider says.
        keys: Vec<String>,
    },

    /// HTTP 4xx without a readable refusal: the request was not accepted.
    #[error("{provider} từ chối yêu cầu {op} (HTTP {http_status}). Hãy kiểm tra địa chỉ máy chủ và tài khoản trong Cài đặt.")]
    HttpRefused {
        /// The provider called.
        provider: ProviderKind,
        /// What the app was doing.
        op: Operation,
        /// The HTTP status, 400…499.
        http_status: u16,
    },

    /// The draft was refused here, before sending.
    #[error("Hóa đơn chưa được gửi vì dữ liệu chưa hợp lệ: {0}")]
    Invalid(#[from] DraftError),

    /// The provider offers no such operation.
    #[error("{provider} không hỗ trợ chức năng {op}.")]
    Unsupported {
        /// The provider asked.
        provider: ProviderKind,
        /// The operation it lacks.
        op: Operation,
    },

    /// A setting is missing or wrong (empty URL, …): nothing was sent.
    #[error("Cài đặt {provider} chưa đúng: {detail}. Chưa có gì được gửi đi.")]
    Settings {
        /// The provider whose settings are wrong.
        provider: ProviderKind,
        /// What is wrong, in Vietnamese, for the owner.
        detail: String,
    },
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

    /// What the app was doing, for every error tied to a call (`None` for [`ProviderError::Invalid`] and [`ProviderError::Settings`]).
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
