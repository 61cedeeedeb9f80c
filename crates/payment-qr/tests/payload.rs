//! VietQR payloads for fixed inputs, compared whole with strings written out by hand field by
//! field (the CRC computed apart, with a bit-by-bit CRC-16/CCITT-FALSE), and one published by
//! an independent generator.

use hoadon_payment_qr::{read_payload, Beneficiary, PaymentCode, PaymentQrError, ReadCode};

fn account(n: &str) -> Beneficiary {
    Beneficiary::Account(n.into())
}

#[test]
fn a_sale_to_a_vietcombank_account() {
    let code = PaymentCode::new("970436", &account("0071000123456"), Some(1_650_000), "DH42").unwrap();
    let expected = concat!(
        "000201",                        // 00 payload format 01
        "010212",                        // 01 dynamic: it carries an amount
        "3857",                          // 38, 57 characters:
        "0010A000000727",                //   00 NAPAS GUID
        "0127",                          //   01 beneficiary, 27 characters:
        "0006970436",                    //     00 BIN of Vietcombank
        "01130071000123456",             //     01 the account, 13 digits
        "0208QRIBFTTA",                  //   02 transfer to an account
        "5303704",                       // 53 đồng
        "54071650000",                   // 54 1.650.000
        "5802VN",                        // 58 Việt Nam
        "62080804DH42",                  // 62 (8 characters): 08 the note
        "6304ED63",                      // 63 CRC of all the above, "6304" included
    );
    assert_eq!(code.payload(), expected);
}

#[test]
fn the_example_of_an_independent_generator() {
    // Published with github.com/subiz/vietqr: 120.000 đ to VietinBank 0011001932418.
    let code = PaymentCode::new("970415", &account("0011001932418"), Some(120_000), "ung ho lu lut").unwrap();
    assert_eq!(
        code.payload(),
        "00020101021238570010A00000072701270006970415011300110019324180208QRIBFTTA530370454061200005802VN62170813ung ho lu lut6304C15C"
    );
}

#[test]
fn a_static_code_to_a_card_has_no_amount_and_no_note() {
    let code = PaymentCode::new("970422", &Beneficiary::Card("9704229200001234".into()), None, "").unwrap();
    assert_eq!(
        code.payload(),
        concat!("000201", "010211", "3860", "0010A000000727", "0130", "0006970422", "01169704229200001234", "0208QRIBFTTC",
                "5303704", "5802VN", "630498EC")
    );
}

#[test]
fn what_is_written_reads_back() {
    let code = PaymentCode::new("970418", &account("12345678901234567"), Some(99_999_999_999), "HD C26TAA 123").unwrap();
    assert_eq!(
        read_payload(code.payload()).unwrap(),
        ReadCode {
            bin: "970418".into(),
            beneficiary: account("12345678901234567"),
            amount: Some(99_999_999_999),
            note: "HD C26TAA 123".into()
        }
    );
}

#[test]
fn a_changed_character_fails_the_crc() {
    let code = PaymentCode::new("970436", &account("0071000123456"), Some(1_650_000), "DH42").unwrap();
    let tampered = code.payload().replace("54071650000", "54071950000");
    let err = read_payload(&tampered).unwrap_err();
    assert!(err.to_string().contains("CRC ghi ED63"), "{err}");
    assert!(read_payload(&code.payload()[..code.payload().len() - 1]).is_err());
}

#[test]
fn wrong_inputs_are_refused_naming_the_field() {
    let cases = [
        ("970499", account("123"), Some(1), "", "bank_bin", "không có trong danh sách"),
        ("", account("123"), Some(1), "", "bank_bin", "không có trong danh sách"),
        ("970436", account(""), Some(1), "", "account_number", "Chưa nhập số tài khoản"),
        ("970436", account("0071 000 123"), Some(1), "", "account_number", "chỉ gồm chữ số"),
        ("970436", account("12345678901234567890"), Some(1), "", "account_number", "tối đa 19"),
        ("970436", account("123"), Some(0), "", "amount", "lớn hơn 0"),
        ("970436", account("123"), Some(1), "Thanh toán đơn 42", "note", "chữ không dấu"),
        ("970436", account("123"), Some(1), "Thanh toan don hang so 4242", "note", "tối đa 25"),
    ];
    for (bin, to, amount, note, field, words) in cases {
        let err = PaymentCode::new(bin, &to, amount, note).unwrap_err();
        assert_eq!(err.field(), field, "{err}");
        assert!(err.to_string().contains(words), "{err}");
    }
    assert_eq!(
        PaymentCode::new("970436", &account("1"), Some(10_000_000_000_000), "").unwrap_err(),
        PaymentQrError::AmountTooLarge(10_000_000_000_000)
    );
    // The limits themselves pass.
    PaymentCode::new("970436", &account("1234567890123456789"), Some(9_999_999_999_999), "Thanh toan don hang so 42").unwrap();
}
