//! Turning one report row into one line of CSV without an intermediate value tree.
//!
//! Rows are flat structs of text, numbers, booleans and optional values; this serializer
//! appends each field straight to a reused line buffer, making text safe on the way (see
//! [`super::writer`]) and quoting it as RFC 4180 asks. Anything else (nested structs,
//! sequences, maps) is refused.
//!
//! The checks a cell needs (control characters, formula prefix, characters that force
//! quotes) are made in one pass over its bytes, and a cell that needs none of the rewrites,
//! nearly every one, is copied once. Going through `csv::ByteRecord` and `csv::Writer`
//! instead copied every cell twice and scanned it three times, a quarter of a scan's
//! instructions.

use std::fmt::{self, Display};
use std::io::Write as _;

use serde::Serialize;
use serde::ser::{self, Impossible, SerializeStruct};

use super::writer::{escape_controls, neutralise_formula};

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

/// Appends the cells of `row` to `line`, in field order, as one CSV record ending in `\n`.
/// On error `line` may hold part of the record.
pub fn append<R: Serialize>(line: &mut Vec<u8>, row: &R) -> Result<(), RecordError> {
    let start = line.len();
    let mut cells = Cells::new(line);
    row.serialize(&mut cells)?;
    if cells.cells == 1 && cells.line.len() == start {
        // A record of one empty cell would be an empty line, which readers skip.
        cells.line.extend_from_slice(b"\"\"");
    }
    cells.line.push(b'\n');
    Ok(())
}

/// As [`append`], and returns where the first `leading` cells end in `line`, so that rows
/// sharing them can copy those bytes (see [`append_after`]). `leading` is at least 1 and
/// less than the number of fields.
pub fn append_marking<R: Serialize>(
    line: &mut Vec<u8>,
    row: &R,
    leading: usize,
) -> Result<usize, RecordError> {
    let mut cells = Cells::new(line);
    cells.mark_after = leading;
    row.serialize(&mut cells)?;
    let end = cells.marked.ok_or_else(|| {
        RecordError(format!(
            "a row of {} cells cannot share its first {leading}",
            cells.cells
        ))
    })?;
    cells.line.push(b'\n');
    Ok(end)
}

/// Appends the record of `row` without its first `leading` cells, which the caller has put
/// in `line` already (bytes that [`append_marking`] delimited for a row with the same
/// leading cells): from the separator before cell `leading + 1` to the end of the line.
pub fn append_after<R: Serialize>(
    line: &mut Vec<u8>,
    row: &R,
    leading: usize,
) -> Result<(), RecordError> {
    let mut cells = Cells::new(line);
    cells.skip = leading;
    row.serialize(&mut cells)?;
    cells.line.push(b'\n');
    Ok(())
}

/// Appends the header record: `names` as cells, quoted where needed.
pub fn append_header(line: &mut Vec<u8>, names: &[String]) {
    let mut cells = Cells::new(line);
    for name in names {
        cells.text(name);
    }
    cells.line.push(b'\n');
}

/// The serializer: appends one cell per field.
struct Cells<'l> {
    line: &'l mut Vec<u8>,
    /// Cells begun so far, skipped ones included.
    cells: usize,
    /// Fields still to be passed over without writing anything (their cells are already in
    /// the line).
    skip: usize,
    /// After how many cells to note the line's length in `marked` (0: never).
    mark_after: usize,
    marked: Option<usize>,
}

/// What a cell's bytes need before they can be written.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Need {
    /// Nothing: the bytes are the cell.
    Nothing,
    /// Quotes around the cell (it holds a comma or a quote).
    Quotes,
    /// Control characters escaped, then whatever the result needs.
    Escapes,
}

impl<'l> Cells<'l> {
    fn new(line: &'l mut Vec<u8>) -> Self {
        Cells {
            line,
            cells: 0,
            skip: 0,
            mark_after: 0,
            marked: None,
        }
    }

    /// Starts a new cell: a comma before every cell but the first.
    fn next_cell(&mut self) {
        if self.cells > 0 {
            self.line.push(b',');
        }
        self.cells += 1;
    }

    /// A text cell, made safe for spreadsheets and line-based tools.
    fn text(&mut self, text: &str) {
        let formula = text.starts_with(['=', '+', '-', '@']);
        match (need(text.as_bytes()), formula) {
            (Need::Nothing, false) => self.raw(text.as_bytes()),
            (Need::Quotes, false) => self.quoted(text.as_bytes()),
            _ => {
                let safe = neutralise_formula(escape_controls(text.to_string()));
                match need(safe.as_bytes()) {
                    Need::Nothing => self.raw(safe.as_bytes()),
                    _ => self.quoted(safe.as_bytes()),
                }
            }
        }
    }

    /// A cell written as it is (no byte in it needs quoting).
    fn raw(&mut self, bytes: &[u8]) {
        self.next_cell();
        self.line.extend_from_slice(bytes);
    }

    /// A cell in quotes, with each quote in it doubled.
    fn quoted(&mut self, bytes: &[u8]) {
        self.next_cell();
        self.line.push(b'"');
        for part in bytes.split_inclusive(|&byte| byte == b'"') {
            self.line.extend_from_slice(part);
            if part.ends_with(b"\"") {
                self.line.push(b'"');
            }
        }
        self.line.push(b'"');
    }

    fn number(&mut self, number: impl Display) {
        self.next_cell();
        let _ = write!(self.line, "{number}");
    }

    fn refuse(what: &str) -> RecordError {
        RecordError(format!("a report row cannot hold {what}"))
    }
}

/// What `bytes` need: escapes if they hold a C0 control character or DEL (which
/// [`escape_controls`] rewrites; carriage return and line feed are among them), else quotes if
/// they hold a comma or a quote.
///
/// The bytes are tested eight at a time as one 64-bit word (a few arithmetic operations per
/// word instead of four comparisons per byte); the last word overlaps the one before it,
/// or, for text shorter than a word, is padded with spaces.
fn need(bytes: &[u8]) -> Need {
    let mut words = bytes.chunks_exact(8);
    let mut found = Found::default();
    for word in &mut words {
        found.add(u64::from_le_bytes(word.try_into().expect("eight bytes")));
    }
    if !words.remainder().is_empty() {
        let last = match bytes.len() {
            ..8 => {
                let mut padded = [b' '; 8];
                padded[..bytes.len()].copy_from_slice(bytes);
                padded
            }
            len => bytes[len - 8..].try_into().expect("eight bytes"),
        };
        found.add(u64::from_le_bytes(last));
    }
    found.need()
}

/// Each byte of a word set to `byte`.
const fn splat(byte: u8) -> u64 {
    u64::from_ne_bytes([byte; 8])
}

/// A word with the high bit of some byte set if and only if `word` holds a byte below
/// `limit` (at most 0x80). A borrow can set the bit of a byte above the first one found too,
/// which does not change the answer.
const fn bytes_below(word: u64, limit: u8) -> u64 {
    word.wrapping_sub(splat(limit)) & !word & splat(0x80)
}

/// As [`bytes_below`], for a byte equal to `byte`.
const fn bytes_equal(word: u64, byte: u8) -> u64 {
    bytes_below(word ^ splat(byte), 1)
}

/// The kinds of bytes [`need`] found so far.
#[derive(Default)]
struct Found {
    controls: u64,
    specials: u64,
}

impl Found {
    fn add(&mut self, word: u64) {
        self.controls |= bytes_below(word, b' ') | bytes_equal(word, 0x7f);
        self.specials |= bytes_equal(word, b',') | bytes_equal(word, b'"');
    }

    fn need(&self) -> Need {
        if self.controls != 0 {
            Need::Escapes
        } else if self.specials != 0 {
            Need::Quotes
        } else {
            Need::Nothing
        }
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
        self.raw(if v { b"true" } else { b"false" });
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
        self.raw(b"");
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
        if self.skip > 0 {
            self.skip -= 1;
            self.cells += 1;
            return Ok(());
        }
        value.serialize(&mut **self)?;
        if self.cells == self.mark_after {
            self.marked = Some(self.line.len());
        }
        Ok(())
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

    #[derive(Serialize)]
    struct Flat<'a> {
        text: &'a str,
        number: Option<u64>,
        flag: bool,
    }

    fn line_of(text: &str, number: Option<u64>) -> String {
        let mut line = Vec::new();
        let row = Flat {
            text,
            number,
            flag: false,
        };
        append(&mut line, &row).unwrap();
        String::from_utf8(line).unwrap()
    }

    #[test]
    fn fields_become_cells_and_nesting_is_refused() {
        let row = Row {
            text: "-1 =x".into(),
            number: None,
            flag: true,
            nested: vec![1],
        };
        assert!(append(&mut Vec::new(), &row).is_err());
        assert_eq!(line_of("-1 =x", Some(7)), "'-1 =x,7,false\n");
        assert_eq!(line_of("", None), ",,false\n");
    }

    #[test]
    fn cells_are_quoted_only_when_they_must_be() {
        assert_eq!(line_of("a,b", None), "\"a,b\",,false\n");
        assert_eq!(line_of("say \"hi\"", None), "\"say \"\"hi\"\"\",,false\n");
        assert_eq!(line_of("\"", None), "\"\"\"\",,false\n");
        assert_eq!(line_of("ü; x", None), "ü; x,,false\n");
        assert_eq!(
            line_of("line\r\nnext,", None),
            "\"line\\x0d\\x0anext,\",,false\n"
        );
        assert_eq!(line_of("=1,2", None), "\"'=1,2\",,false\n");
    }

    #[derive(Serialize)]
    struct Shared<'a> {
        machine: &'a str,
        path: &'a str,
        value: &'a str,
        number: Option<u64>,
    }

    /// Shared cells are cut exactly where the first row's leading cells end, and a row
    /// written after them is the same line as one written whole, whatever the cells hold.
    #[test]
    fn rows_written_after_shared_cells_equal_rows_written_whole() {
        let awkward = [
            "",
            "plain",
            "a,b",
            "say \"hi\"",
            "=1",
            "-x",
            "tab\there",
            "ü",
        ];
        for machine in awkward {
            for path in awkward {
                let rows: Vec<Shared> = awkward
                    .iter()
                    .zip([None, Some(0), Some(42)].into_iter().cycle())
                    .map(|(value, number)| Shared {
                        machine,
                        path,
                        value,
                        number,
                    })
                    .collect();
                // `machine` and `path` are the same in every row; `value` is not.
                for leading in 1..=2 {
                    let mut first = Vec::new();
                    let end = append_marking(&mut first, &rows[0], leading).unwrap();
                    let mut whole = Vec::new();
                    append(&mut whole, &rows[0]).unwrap();
                    assert_eq!(first, whole);
                    let shared = &first[..end];
                    for row in &rows[1..] {
                        let mut line = shared.to_vec();
                        append_after(&mut line, row, leading).unwrap();
                        let mut whole = Vec::new();
                        append(&mut whole, row).unwrap();
                        assert_eq!(
                            String::from_utf8_lossy(&line),
                            String::from_utf8_lossy(&whole),
                            "{leading} shared cells"
                        );
                    }
                }
            }
        }
        let row = Shared {
            machine: "m",
            path: "p",
            value: "v",
            number: None,
        };
        assert!(append_marking(&mut Vec::new(), &row, 5).is_err());
    }

    /// The word-at-a-time test against a byte-by-byte one: every byte value at every position
    /// of texts of 1 to 20 bytes, among filler bytes that are harmless but close to the limits
    /// (borrows between bytes are where word tricks go wrong).
    #[test]
    fn need_finds_every_byte_that_needs_something() {
        let naive = |bytes: &[u8]| {
            if bytes.iter().any(|&b| b < b' ' || b == 0x7f) {
                Need::Escapes
            } else if bytes.iter().any(|&b| b == b',' || b == b'"') {
                Need::Quotes
            } else {
                Need::Nothing
            }
        };
        for filler in [b' ', b'!', b'#', b'-', b'~', 0x80, 0xff] {
            for len in 1..=20 {
                for at in 0..len {
                    for byte in 0..=255u8 {
                        let mut text = vec![filler; len];
                        text[at] = byte;
                        assert!(need(&text) == naive(&text), "{text:?}");
                    }
                }
            }
        }
        assert!(need(b"") == Need::Nothing);
    }

    #[test]
    fn a_lone_empty_cell_is_written_in_quotes() {
        #[derive(Serialize)]
        struct One {
            only: Option<u32>,
        }
        let mut line = Vec::new();
        append(&mut line, &One { only: None }).unwrap();
        append(&mut line, &One { only: Some(3) }).unwrap();
        assert_eq!(line, b"\"\"\n3\n");
    }

    /// Every cell as the `csv` crate would write the same safe text: the format of the reports
    /// did not change when they stopped going through it, and it reads back as written.
    #[test]
    fn lines_match_the_csv_crate_and_read_back() {
        let texts = [
            "",
            "plain",
            "a,b",
            "\"",
            "\"\"",
            "x\"y",
            "=SUM(A1)",
            "+1",
            "-",
            "@x",
            "tab\there",
            "cr\r",
            "lf\n",
            "nul\0",
            "del\u{7f}",
            "ünïcödé, “quoted”",
            " lead",
            "trail ",
            "#",
            ",",
            "'already",
        ];
        for first in texts {
            for second in texts {
                #[derive(Debug, Serialize)]
                struct Pair<'a> {
                    first: &'a str,
                    second: &'a str,
                }
                let row = Pair { first, second };
                let mut line = Vec::new();
                append(&mut line, &row).unwrap();
                let safe = |t: &str| neutralise_formula(escape_controls(t.to_string()));
                let mut expected = csv::Writer::from_writer(Vec::new());
                expected.write_record([safe(first), safe(second)]).unwrap();
                let expected = expected.into_inner().unwrap();
                assert_eq!(line, expected, "{row:?}");
                let mut reader = csv::ReaderBuilder::new()
                    .has_headers(false)
                    .from_reader(&line[..]);
                let read: Vec<String> = reader
                    .records()
                    .next()
                    .unwrap()
                    .unwrap()
                    .iter()
                    .map(String::from)
                    .collect();
                assert_eq!(read, [safe(first), safe(second)], "{row:?}");
            }
        }
    }
}
