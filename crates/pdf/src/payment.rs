//! The "Quét mã để thanh toán" block, the same facts on the slip and on the A4 form: the
//! code, then the bank, account, holder and note the buyer's bank app will show, so the
//! buyer can check them before confirming.

use hoadon_payment_qr::QrImage;

use crate::{amount, PdfError, PrintedPayment};

/// What the block shows, worked out once per print.
pub(crate) struct PaymentBlock<'a> {
    pub payment: &'a PrintedPayment,
    pub image: QrImage,
}

impl<'a> PaymentBlock<'a> {
    pub const CAPTION: &'static str = "Quét mã để thanh toán";

    pub fn new(payment: &'a PrintedPayment) -> Result<PaymentBlock<'a>, PdfError> {
        // The payload was built and checked by the core; one that no QR version holds
        // cannot be printed as a code, and printing the invoice without it would hide that.
        let image = QrImage::encode(&payment.payload).map_err(|e| PdfError::Write(e.to_string()))?;
        Ok(PaymentBlock { payment, image })
    }

    /// The size of one module when the symbol is `side` mm wide.
    pub fn module(&self, side: f32) -> f32 {
        side / self.image.width() as f32
    }

    /// Blank paper each side of the symbol, as the QR standard asks (four modules).
    pub fn quiet_zone(&self, side: f32) -> f32 {
        self.module(side) * hoadon_payment_qr::image::QUIET_ZONE as f32
    }

    /// "Vietcombank - 0071000123456".
    pub fn bank_line(&self) -> String {
        format!("{} - {}", self.payment.bank, self.payment.account_number)
    }

    /// "Chủ tài khoản: NGUYEN VAN A".
    pub fn holder_line(&self) -> String {
        format!("Chủ tài khoản: {}", self.payment.account_name)
    }

    /// "Số tiền: 1.650.000 đ".
    pub fn amount_line(&self) -> String {
        format!("Số tiền: {} đ", amount(self.payment.amount))
    }

    /// "Nội dung: DH42".
    pub fn note_line(&self) -> String {
        format!("Nội dung: {}", self.payment.note)
    }
}
