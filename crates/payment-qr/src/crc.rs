//! CRC-16/CCITT-FALSE (polynomial 0x1021, initial value 0xFFFF, no reflection, no final
//! XOR), the check EMVCo puts in tag 63. It covers every byte of the payload up to and
//! including the tag and length "6304" of the CRC field itself.

/// The CRC of `bytes`.
pub fn crc16_ccitt_false(bytes: &[u8]) -> u16 {
    let mut crc: u16 = 0xFFFF;
    for &byte in bytes {
        crc ^= u16::from(byte) << 8;
        for _ in 0..8 {
            crc = if crc & 0x8000 != 0 { (crc << 1) ^ 0x1021 } else { crc << 1 };
        }
    }
    crc
}

/// The four uppercase hexadecimal digits written as the value of tag 63.
pub fn crc_field(bytes: &[u8]) -> String {
    format!("{:04X}", crc16_ccitt_false(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalogue_check_value() {
        // The published check value of CRC-16/CCITT-FALSE over the ASCII digits 1 to 9.
        assert_eq!(crc16_ccitt_false(b"123456789"), 0x29B1);
        assert_eq!(crc_field(b""), "FFFF");
    }
}
