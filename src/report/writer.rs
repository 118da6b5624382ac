//! Writing rows as RFC 4180 CSV or JSON Lines, into the staging directory of a run.
//!
//! A row type is any `Serialize + Default` struct: its field order is the column order, and
//! the default instance gives the header even when no row is written.
//!
//! CSV text cells are made safe for spreadsheets and line-based tools: C0 control characters
//! (U+0000 to U+001F: NUL, tab, newline, carriage return, ...) and DEL are written as the
//! escape `\xNN` (a NUL breaks many CSV readers, a newline breaks line-based ones), and a cell
//! that a spreadsheet would run as a formula (starting with `=`, `+`, `-` or `@`) is prefixed
//! with `'`. Text that was not valid UTF-16 in the hive already carries U+FFFD from decoding.
//! JSON Lines keeps values verbatim (JSON escapes control characters itself).

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::marker::PhantomData;
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::Value;

use super::record;

/// Output format of a report file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputFormat {
    /// RFC 4180 CSV; `bom` starts the file with a UTF-8 byte-order mark for Excel.
    Csv {
        /// Write a UTF-8 byte-order mark first.
        bom: bool,
    },
    /// JSON Lines.
    Jsonl,
}

impl OutputFormat {
    fn extension(self) -> &'static str {
        match self {
            OutputFormat::Csv { .. } => "csv",
            OutputFormat::Jsonl => "jsonl",
        }
    }
}

/// Bytes gathered before each `write(2)`: settings.csv runs to about 25 KB per machine, and
/// the file system's fixed cost per call (locking the inode, updating its times) is paid per
/// write; std's 8 KiB default made a thousand calls for a fleet of 400.
const OUTPUT_BUFFER: usize = 64 * 1024;

/// Writes one report file of rows of type `R`.
pub struct TableWriter<R> {
    path: PathBuf,
    out: BufWriter<File>,
    format: OutputFormat,
    /// The CSV line being put together, reused from row to row.
    line: Vec<u8>,
    rows: u64,
    _row: PhantomData<R>,
}

impl<R: Serialize + Default> TableWriter<R> {
    /// Creates `<dir>/<name>.<ext>`.
    pub fn create(dir: &Path, name: &str, format: OutputFormat) -> io::Result<Self> {
        let path = dir.join(format!("{name}.{}", format.extension()));
        let mut out = BufWriter::with_capacity(OUTPUT_BUFFER, File::create(&path)?);
        let mut line = Vec::new();
        if let OutputFormat::Csv { bom } = format {
            if bom {
                line.extend_from_slice("\u{feff}".as_bytes());
            }
            record::append_header(&mut line, &columns::<R>());
            out.write_all(&line)?;
        }
        Ok(TableWriter {
            path,
            out,
            format,
            line,
            rows: 0,
            _row: PhantomData,
        })
    }

    /// Appends one row.
    pub fn write(&mut self, row: &R) -> io::Result<()> {
        self.rows += 1;
        self.line.clear();
        encode(self.format, row, &mut self.line)?;
        self.out.write_all(&self.line)
    }

    /// Appends rows encoded beforehand, in this writer's format; fails if one of them could
    /// not be encoded.
    pub fn write_encoded(&mut self, rows: &mut EncodedRows) -> io::Result<()> {
        if let Some(error) = rows.error.take() {
            return Err(error);
        }
        if rows.format != self.format {
            return Err(io::Error::other(
                "rows were encoded for another report format",
            ));
        }
        self.rows += rows.rows;
        self.out.write_all(&rows.bytes)
    }

    /// Hands the rows written so far to the system and has it start writing them to the disk
    /// in the background, so that [`TableWriter::finish`]'s sync has little left to wait for.
    pub fn start_writeback(&mut self) -> io::Result<()> {
        self.out.flush()?;
        begin_writeback(self.out.get_ref());
        Ok(())
    }

    /// Number of rows written so far.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// Flushes and syncs the file; returns its path.
    pub fn finish(self) -> io::Result<PathBuf> {
        let file = self.out.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        Ok(self.path)
    }
}

/// Rows already turned into the bytes of a report format, so that the threads that make them
/// also encode them and the writer only appends bytes. Rows encoded this way need not own
/// their text: they can borrow it from what they describe.
#[derive(Debug)]
pub struct EncodedRows {
    format: OutputFormat,
    bytes: Vec<u8>,
    rows: u64,
    /// The first row that could not be encoded, reported when the rows are written.
    error: Option<io::Error>,
}

impl EncodedRows {
    /// No rows yet, to be encoded in `format`.
    pub fn new(format: OutputFormat) -> Self {
        EncodedRows {
            format,
            bytes: Vec::new(),
            rows: 0,
            error: None,
        }
    }

    /// Appends one row. A row that cannot be encoded (a row type holding a nested value)
    /// leaves the bytes as they were, and [`TableWriter::write_encoded`] fails.
    pub fn push<R: Serialize>(&mut self, row: &R) {
        let start = self.bytes.len();
        let encoded = encode(self.format, row, &mut self.bytes);
        self.count(start, encoded);
    }

    /// Appends one row whose first cells, as many as `shared` was made for, are the same as in
    /// every other row pushed with `shared`: in CSV they are encoded for the first of these
    /// rows and copied for the others (in the settings report, the seven columns naming the
    /// machine, user and hive are nearly half the bytes of each row). Errors as for
    /// [`EncodedRows::push`].
    pub fn push_sharing<R: Serialize>(&mut self, row: &R, shared: &mut SharedCells) {
        if self.format == OutputFormat::Jsonl {
            return self.push(row);
        }
        let start = self.bytes.len();
        let encoded = match &shared.bytes {
            Some(leading) => {
                self.bytes.extend_from_slice(leading);
                record::append_after(&mut self.bytes, row, shared.count)
            }
            None => record::append_marking(&mut self.bytes, row, shared.count)
                .map(|end| shared.bytes = Some(self.bytes[start..end].to_vec())),
        };
        #[cfg(debug_assertions)]
        if encoded.is_ok() {
            let mut whole = Vec::new();
            let _ = record::append(&mut whole, row);
            debug_assert_eq!(
                String::from_utf8_lossy(&self.bytes[start..]),
                String::from_utf8_lossy(&whole),
                "a row pushed with shared cells differs from them"
            );
        }
        self.count(start, encoded.map_err(io::Error::other));
    }

    /// Counts a row appended from `start`, or takes it back and keeps the error.
    fn count(&mut self, start: usize, encoded: io::Result<()>) {
        match encoded {
            Ok(()) => self.rows += 1,
            Err(error) => {
                self.bytes.truncate(start);
                self.error.get_or_insert(error);
            }
        }
    }
}

/// The leading cells shared by a run of rows (see [`EncodedRows::push_sharing`]).
#[derive(Debug)]
pub struct SharedCells {
    count: usize,
    /// Their CSV bytes, separators between them included, once the first row is encoded.
    bytes: Option<Vec<u8>>,
}

impl SharedCells {
    /// The first `count` cells of each row (at least 1, and fewer than a row has).
    pub fn new(count: usize) -> Self {
        SharedCells { count, bytes: None }
    }
}

/// Appends `row` to `bytes` as one record of `format`.
fn encode<R: Serialize>(format: OutputFormat, row: &R, bytes: &mut Vec<u8>) -> io::Result<()> {
    match format {
        OutputFormat::Csv { .. } => record::append(bytes, row).map_err(io::Error::other),
        OutputFormat::Jsonl => {
            serde_json::to_writer(&mut *bytes, row)?;
            bytes.push(b'\n');
            Ok(())
        }
    }
}

/// Starts writing `file`'s dirty pages to the disk without waiting for them (a hint: its
/// failure only leaves the work to the final sync).
#[cfg(target_os = "linux")]
#[allow(unsafe_code)]
fn begin_writeback(file: &File) {
    use std::os::fd::AsRawFd;
    // SAFETY: sync_file_range only reads its integer arguments; the descriptor is open and
    // owned by `file` for the duration of the call.
    let _ = unsafe { libc::sync_file_range(file.as_raw_fd(), 0, 0, libc::SYNC_FILE_RANGE_WRITE) };
}

/// Elsewhere the final sync writes everything.
#[cfg(not(target_os = "linux"))]
fn begin_writeback(_file: &File) {}

/// The column names of `R`, in field order.
pub fn columns<R: Serialize + Default>() -> Vec<String> {
    match serde_json::to_value(R::default()) {
        Ok(Value::Object(fields)) => fields.keys().cloned().collect(),
        _ => Vec::new(),
    }
}

/// Writes each C0 control character and DEL as `\xNN`; other text is kept as it is.
pub fn escape_controls(text: String) -> String {
    if !has_controls(&text) {
        return text;
    }
    let mut escaped = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_control(c) {
            escaped.push_str(&format!("\\x{:02x}", c as u32));
        } else {
            escaped.push(c);
        }
    }
    escaped
}

fn is_control(c: char) -> bool {
    c < ' ' || c == '\u{7f}'
}

/// Whether `text` holds a character that [`escape_controls`] rewrites. The check runs over
/// bytes (every such character is ASCII, and no byte of a longer UTF-8 sequence is) without
/// stopping early, so that the compiler can test many bytes at once.
fn has_controls(text: &str) -> bool {
    text.bytes()
        .fold(false, |found, byte| found | (byte < b' ') | (byte == 0x7f))
}

/// Prefixes text that a spreadsheet would evaluate as a formula with `'`.
pub fn neutralise_formula(text: String) -> String {
    if text.starts_with(['=', '+', '-', '@']) {
        format!("'{text}")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Default, Serialize)]
    struct Sample {
        name: String,
        count: Option<u32>,
        present: bool,
    }

    fn read(path: &Path) -> String {
        std::fs::read_to_string(path).unwrap()
    }

    #[test]
    fn rows_pushed_sharing_cells_are_the_rows_pushed_whole() {
        let rows =
            [("a,b", Some(1)), ("a,b", None), ("a,b", Some(7))].map(|(name, count)| Sample {
                name: name.into(),
                count,
                present: count.is_some(),
            });
        for format in [OutputFormat::Csv { bom: false }, OutputFormat::Jsonl] {
            let (mut whole, mut sharing) = (EncodedRows::new(format), EncodedRows::new(format));
            let mut shared = SharedCells::new(1);
            for row in &rows {
                whole.push(row);
                sharing.push_sharing(row, &mut shared);
            }
            assert_eq!(sharing.bytes, whole.bytes);
            assert_eq!(sharing.rows, 3);
        }
    }

    #[test]
    fn csv_has_header_quotes_and_neutralised_formulas() {
        let dir = tempfile::tempdir().unwrap();
        let mut writer =
            TableWriter::<Sample>::create(dir.path(), "t", OutputFormat::Csv { bom: false })
                .unwrap();
        let row = |name: &str, count| Sample {
            name: name.into(),
            count,
            present: true,
        };
        writer.write(&row("=cmd|' /C calc'!A0", Some(1))).unwrap();
        writer.write(&row("a,\"b\"\nc", None)).unwrap();
        writer.write(&row("\tnul\0del\u{7f}", Some(2))).unwrap();
        let path = writer.finish().unwrap();
        assert_eq!(
            read(&path),
            "name,count,present\n'=cmd|' /C calc'!A0,1,true\n\"a,\"\"b\"\"\\x0ac\",,true\n\\x09nul\\x00del\\x7f,2,true\n"
        );
    }

    #[test]
    fn encoded_rows_are_written_as_encoded_and_bad_rows_fail_the_write() {
        let dir = tempfile::tempdir().unwrap();
        let csv = OutputFormat::Csv { bom: false };
        let mut writer = TableWriter::<Sample>::create(dir.path(), "t", csv).unwrap();
        let mut rows = EncodedRows::new(csv);
        rows.push(&Sample {
            name: "a,b".into(),
            count: Some(3),
            present: false,
        });
        writer.write_encoded(&mut rows).unwrap();
        assert_eq!(writer.rows(), 1);

        rows.push(&vec![Sample::default()]);
        assert!(writer.write_encoded(&mut rows).is_err());
        let mut jsonl = EncodedRows::new(OutputFormat::Jsonl);
        jsonl.push(&Sample::default());
        assert!(writer.write_encoded(&mut jsonl).is_err());

        let path = writer.finish().unwrap();
        assert_eq!(read(&path), "name,count,present\n\"a,b\",3,false\n");
    }

    #[test]
    fn empty_csv_still_has_its_header_and_bom() {
        let dir = tempfile::tempdir().unwrap();
        let writer =
            TableWriter::<Sample>::create(dir.path(), "t", OutputFormat::Csv { bom: true })
                .unwrap();
        let path = writer.finish().unwrap();
        assert_eq!(read(&path), "\u{feff}name,count,present\n");
    }

    #[test]
    fn jsonl_keeps_values_verbatim() {
        let dir = tempfile::tempdir().unwrap();
        let mut writer =
            TableWriter::<Sample>::create(dir.path(), "t", OutputFormat::Jsonl).unwrap();
        writer
            .write(&Sample {
                name: "=x".into(),
                count: None,
                present: false,
            })
            .unwrap();
        let path = writer.finish().unwrap();
        assert!(path.ends_with("t.jsonl"));
        assert_eq!(
            read(&path),
            "{\"name\":\"=x\",\"count\":null,\"present\":false}\n"
        );
    }
}
