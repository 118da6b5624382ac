//! Turning one report row into CSV cells without an intermediate value tree.
//!
//! Rows are flat structs of text, numbers, booleans and optional values; this serializer
//! appends each field straight to a reused `csv::ByteRecord`, making text safe on the way
//! (see [`super::writer`]). Anything else (nested structs, sequences, maps) is refused.

use std::fmt::{self, Display, Write as _};

use serde::Serialize;
use serde::ser::{self, Impossible, SerializeStruct};

use super::writer::{escape_controls, has_controls, neutralise_formula};

/// Why a row could not be turned into cells.
#[derive(Debug)]
pub struct RecordError(String);

impl Display for RecordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for RecordError {}

impl ser::Error for RecordError {
    fn custom<T: Display>(message: T) -> Self {
        RecordError(message.to_string())
    }
}

/// Fills `record` with the cells of `row`, in field order.
pub fn fill<R: Serialize>(record: &mut csv::ByteRecord, row: &R) -> Result<(), RecordError> {
    record.clear();
    row.serialize(&mut Cells {
        record,
        number: String::new(),
    })
}

/// The serializer: appends one cell per field.
struct Cells<'r> {
    record: &'r mut csv::ByteRecord,
    number: String,
}

impl Cells<'_> {
    fn text(&mut self, text: &str) {
        let safe = !has_controls(text) && !text.starts_with(['=', '+', '-', '@']);
        if safe {
            self.record.push_field(text.as_bytes());
        } else {
            let cell = neutralise_formula(escape_controls(text.to_string()));
            self.record.push_field(cell.as_bytes());
        }
    }

    fn number(&mut self, number: impl Display) {
        self.number.clear();
        let _ = write!(self.number, "{number}");
        self.record.push_field(self.number.as_bytes());
    }

    fn refuse(what: &str) -> RecordError {
        RecordError(format!("a report row cannot hold {what}"))
    }
}

impl ser::Serializer for &mut Cells<'_> {
    type Ok = ();
    type Error = RecordError;
    type SerializeSeq = Impossible<(), RecordError>;
    type SerializeTuple = Impossible<(), RecordError>;
    type SerializeTupleStruct = Impossible<(), RecordError>;
    type SerializeTupleVariant = Impossible<(), RecordError>;
    type SerializeMap = Impossible<(), RecordError>;
    type SerializeStruct = Self;
    type SerializeStructVariant = Impossible<(), RecordError>;

    fn serialize_bool(self, v: bool) -> Result<(), RecordError> {
        self.record.push_field(if v { b"true" } else { b"false" });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<(), RecordError> {
        self.number(v);
        Ok(())
    }
    fn serialize_i16(self, v: i16) -> Result<(), RecordError> {
        self.number(v);
        Ok(())
    }
    fn serialize_i32(self, v: i32) -> Result<(), RecordError> {
        self.number(v);
        Ok(())
    }
    fn serialize_i64(self, v: i64) -> Result<(), RecordError> {
        self.number(v);
        Ok(())
    }
    fn serialize_u8(self, v: u8) -> Result<(), RecordError> {
        self.number(v);
        Ok(())
    }
    fn serialize_u16(self, v: u16) -> Result<(), RecordError> {
        self.number(v);
        Ok(())
    }
    fn serialize_u32(self, v: u32) -> Result<(), RecordError> {
        self.number(v);
        Ok(())
    }
    fn serialize_u64(self, v: u64) -> Result<(), RecordError> {
        self.number(v);
        Ok(())
    }
    fn serialize_f32(self, v: f32) -> Result<(), RecordError> {
        self.number(v);
        Ok(())
    }
    fn serialize_f64(self, v: f64) -> Result<(), RecordError> {
        self.number(v);
        Ok(())
    }
    fn serialize_char(self, v: char) -> Result<(), RecordError> {
        self.text(v.encode_utf8(&mut [0; 4]));
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result<(), RecordError> {
        self.text(v);
        Ok(())
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<(), RecordError> {
        Err(Cells::refuse("raw bytes"))
    }
    fn serialize_none(self) -> Result<(), RecordError> {
        self.record.push_field(b"");
        Ok(())
    }
    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result<(), RecordError> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), RecordError> {
        self.serialize_none()
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), RecordError> {
        self.serialize_none()
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), RecordError> {
        self.text(variant);
        Ok(())
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), RecordError> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), RecordError> {
        Err(Cells::refuse("an enum with data"))
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, RecordError> {
        Err(Cells::refuse("a sequence"))
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, RecordError> {
        Err(Cells::refuse("a tuple"))
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, RecordError> {
        Err(Cells::refuse("a tuple struct"))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, RecordError> {
        Err(Cells::refuse("an enum with data"))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, RecordError> {
        Err(Cells::refuse("a map"))
    }
    fn serialize_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStruct, RecordError> {
        Ok(self)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, RecordError> {
        Err(Cells::refuse("an enum with data"))
    }
}

impl SerializeStruct for &mut Cells<'_> {
    type Ok = ();
    type Error = RecordError;

    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        _: &'static str,
        value: &T,
    ) -> Result<(), RecordError> {
        value.serialize(&mut **self)
    }

    fn end(self) -> Result<(), RecordError> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Row {
        text: String,
        number: Option<u64>,
        flag: bool,
        nested: Vec<u8>,
    }

    #[test]
    fn fields_become_cells_and_nesting_is_refused() {
        let mut record = csv::ByteRecord::new();
        let row = Row {
            text: "-1 =x".into(),
            number: None,
            flag: true,
            nested: vec![1],
        };
        assert!(fill(&mut record, &row).is_err());
        #[derive(Serialize)]
        struct Flat<'a> {
            text: &'a str,
            number: Option<u64>,
            flag: bool,
        }
        let flat = Flat {
            text: "-1 =x",
            number: Some(7),
            flag: false,
        };
        fill(&mut record, &flat).unwrap();
        let cells: Vec<&[u8]> = record.iter().collect();
        assert_eq!(cells, [&b"'-1 =x"[..], b"7", b"false"]);
    }
}
