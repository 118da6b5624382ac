//! Turning raw registry data into the values the settings mean.
//!
//! Policy tools store DWORD settings in several ways (REG_DWORD, big-endian DWORD, four bytes
//! of REG_BINARY, a number in a REG_SZ); all of them decode, and the stored type is kept for
//! the report. Anything else is [`Decoded::Malformed`], never a silent 0.

use std::borrow::Cow;
use std::fmt;

/// Registry type codes as Windows defines them.
pub mod reg_type {
    /// No type.
    pub const NONE: u32 = 0;
    /// UTF-16 string.
    pub const SZ: u32 = 1;
    /// UTF-16 string with environment variables.
    pub const EXPAND_SZ: u32 = 2;
    /// Binary data.
    pub const BINARY: u32 = 3;
    /// Little-endian 32-bit number.
    pub const DWORD: u32 = 4;
    /// Big-endian 32-bit number.
    pub const DWORD_BIG_ENDIAN: u32 = 5;
    /// Symbolic link.
    pub const LINK: u32 = 6;
    /// Sequence of UTF-16 strings.
    pub const MULTI_SZ: u32 = 7;
    /// Little-endian 64-bit number.
    pub const QWORD: u32 = 11;
}

/// The name of a registry type code, as regedit shows it.
pub fn type_name(code: u32) -> Cow<'static, str> {
    let name = match code {
        reg_type::NONE => "REG_NONE",
        reg_type::SZ => "REG_SZ",
        reg_type::EXPAND_SZ => "REG_EXPAND_SZ",
        reg_type::BINARY => "REG_BINARY",
        reg_type::DWORD => "REG_DWORD",
        reg_type::DWORD_BIG_ENDIAN => "REG_DWORD_BIG_ENDIAN",
        reg_type::LINK => "REG_LINK",
        reg_type::MULTI_SZ => "REG_MULTI_SZ",
        8 => "REG_RESOURCE_LIST",
        9 => "REG_FULL_RESOURCE_DESCRIPTOR",
        10 => "REG_RESOURCE_REQUIREMENTS_LIST",
        reg_type::QWORD => "REG_QWORD",
        other => return Cow::Owned(format!("0x{other:08x}")),
    };
    Cow::Borrowed(name)
}

/// What a setting's data means once decoded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decoded {
    /// A number (DWORD-like settings).
    Number(u32),
    /// Text.
    Text(String),
    /// Several strings (REG_MULTI_SZ, or the names of subkeys).
    List(Vec<String>),
    /// Raw bytes (binary settings, parsed further by the facts that use them).
    Binary(Vec<u8>),
    /// Data that cannot mean what the setting expects, with the reason.
    Malformed(String),
}

impl Decoded {
    /// The number, if the data decoded to one.
    pub fn number(&self) -> Option<u32> {
        match self {
            Decoded::Number(n) => Some(*n),
            _ => None,
        }
    }

    /// The bytes, if the data decoded as binary.
    pub fn bytes(&self) -> Option<&[u8]> {
        match self {
            Decoded::Binary(bytes) => Some(bytes),
            _ => None,
        }
    }

    /// The text, if the data decoded to text.
    pub fn text(&self) -> Option<&str> {
        match self {
            Decoded::Text(t) => Some(t),
            _ => None,
        }
    }
}

impl fmt::Display for Decoded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Decoded::Number(n) => write!(f, "{n}"),
            Decoded::Text(t) => f.write_str(t),
            Decoded::List(items) => f.write_str(&items.join("; ")),
            Decoded::Binary(bytes) => f.write_str(&hex(bytes)),
            Decoded::Malformed(reason) => write!(f, "malformed: {reason}"),
        }
    }
}

/// Decodes a DWORD-like setting from any of the encodings policy tools write.
pub fn dword(raw_type: u32, data: &[u8]) -> Decoded {
    match raw_type {
        reg_type::DWORD | reg_type::BINARY => match <[u8; 4]>::try_from(data) {
            Ok(bytes) => Decoded::Number(u32::from_le_bytes(bytes)),
            Err(_) => wrong_size(raw_type, data),
        },
        reg_type::DWORD_BIG_ENDIAN => match <[u8; 4]>::try_from(data) {
            Ok(bytes) => Decoded::Number(u32::from_be_bytes(bytes)),
            Err(_) => wrong_size(raw_type, data),
        },
        reg_type::SZ | reg_type::EXPAND_SZ => {
            let text = utf16_string(data);
            parse_number(text.trim()).map_or_else(
                || Decoded::Malformed(format!("{:?} is not a number", text)),
                Decoded::Number,
            )
        }
        other => Decoded::Malformed(format!("{} where a DWORD is expected", type_name(other))),
    }
}

/// Decodes a text setting (REG_SZ, REG_EXPAND_SZ; REG_MULTI_SZ as a list).
pub fn text(raw_type: u32, data: &[u8]) -> Decoded {
    match raw_type {
        reg_type::SZ | reg_type::EXPAND_SZ => Decoded::Text(utf16_string(data)),
        reg_type::MULTI_SZ => Decoded::List(utf16_strings(data)),
        other => Decoded::Malformed(format!("{} where text is expected", type_name(other))),
    }
}

/// Decodes a binary setting: REG_BINARY (or REG_NONE) data is kept as it is.
pub fn binary(raw_type: u32, data: &[u8]) -> Decoded {
    match raw_type {
        reg_type::BINARY | reg_type::NONE => Decoded::Binary(data.to_vec()),
        other => Decoded::Malformed(format!(
            "{} where binary data is expected",
            type_name(other)
        )),
    }
}

fn wrong_size(raw_type: u32, data: &[u8]) -> Decoded {
    Decoded::Malformed(format!(
        "{}-byte {} where a DWORD is expected",
        data.len(),
        type_name(raw_type)
    ))
}

/// Parses a decimal or `0x`-prefixed hexadecimal number.
fn parse_number(text: &str) -> Option<u32> {
    match text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
        Some(hex) => u32::from_str_radix(hex, 16).ok(),
        None => text.parse().ok(),
    }
}

/// UTF-16LE up to the first NUL; unpaired surrogates become U+FFFD.
pub fn utf16_string(data: &[u8]) -> String {
    let units = data
        .chunks_exact(2)
        .map(|pair| u16::from_le_bytes([pair[0], pair[1]]))
        .take_while(|&unit| unit != 0);
    char::decode_utf16(units)
        .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect()
}

/// The strings of a REG_MULTI_SZ, without the empty terminator.
fn utf16_strings(data: &[u8]) -> Vec<String> {
    let units: Vec<u16> = data
        .chunks_exact(2)
        .map(|pair| u16::from_le_bytes([pair[0], pair[1]]))
        .collect();
    units
        .split(|&unit| unit == 0)
        .filter(|part| !part.is_empty())
        .map(String::from_utf16_lossy)
        .collect()
}

/// Registry-style hex of raw data (`01,00,00,00`), for showing data that did not decode.
pub fn hex(data: &[u8]) -> String {
    let mut text = String::with_capacity(data.len() * 3);
    for (i, &byte) in data.iter().enumerate() {
        if i > 0 {
            text.push(',');
        }
        push_hex(&mut text, byte);
    }
    text
}

/// The bytes as lower-case hex digits without separators, e.g. `0a1b`.
pub fn hex_digits(data: &[u8]) -> String {
    let mut text = String::with_capacity(data.len() * 2);
    for &byte in data {
        push_hex(&mut text, byte);
    }
    text
}

/// Appends `byte` as two lower-case hex digits.
fn push_hex(text: &mut String, byte: u8) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    text.push(char::from(DIGITS[usize::from(byte >> 4)]));
    text.push(char::from(DIGITS[usize::from(byte & 0xf)]));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16(text: &str) -> Vec<u8> {
        text.encode_utf16()
            .chain([0])
            .flat_map(u16::to_le_bytes)
            .collect()
    }

    #[test]
    fn every_dword_encoding_decodes() {
        assert_eq!(dword(reg_type::DWORD, &[1, 0, 0, 0]), Decoded::Number(1));
        assert_eq!(
            dword(reg_type::DWORD_BIG_ENDIAN, &[0, 0, 0, 1]),
            Decoded::Number(1)
        );
        assert_eq!(dword(reg_type::BINARY, &[5, 0, 0, 0]), Decoded::Number(5));
        assert_eq!(dword(reg_type::SZ, &utf16(" 3 ")), Decoded::Number(3));
        assert_eq!(dword(reg_type::SZ, &utf16("0x10")), Decoded::Number(16));
    }

    #[test]
    fn malformed_is_never_zero() {
        assert!(matches!(
            dword(reg_type::BINARY, &[1, 0]),
            Decoded::Malformed(_)
        ));
        assert!(matches!(
            dword(reg_type::SZ, &utf16("yes")),
            Decoded::Malformed(_)
        ));
        assert!(matches!(
            dword(reg_type::QWORD, &[0; 8]),
            Decoded::Malformed(_)
        ));
        assert!(matches!(dword(reg_type::DWORD, &[]), Decoded::Malformed(_)));
    }

    #[test]
    fn text_stops_at_nul_and_lists_split() {
        assert_eq!(
            text(reg_type::SZ, &utf16("WinNT")),
            Decoded::Text("WinNT".into())
        );
        let mut multi = utf16("a");
        multi.extend(utf16("bb"));
        multi.extend([0, 0]);
        assert_eq!(
            text(reg_type::MULTI_SZ, &multi),
            Decoded::List(vec!["a".into(), "bb".into()])
        );
        assert!(matches!(
            text(reg_type::DWORD, &[1, 0, 0, 0]),
            Decoded::Malformed(_)
        ));
    }

    #[test]
    fn hex_separates_lower_case_byte_pairs_with_commas() {
        assert_eq!(hex(&[]), "");
        assert_eq!(hex(&[0x0f]), "0f");
        assert_eq!(hex(&[0x01, 0xab, 0x00, 0xff]), "01,ab,00,ff");
        assert_eq!(hex_digits(&[]), "");
        assert_eq!(hex_digits(&[0x01, 0xab, 0x00, 0xff]), "01ab00ff");
    }

    #[test]
    fn type_names_cover_unknown_codes() {
        assert_eq!(type_name(4), "REG_DWORD");
        assert_eq!(type_name(0x1234), "0x00001234");
    }
}
