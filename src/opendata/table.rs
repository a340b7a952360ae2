//! Table files: writing the figures as CSV and XLSX, and reading either back as rows of text.
//!
//! CSV is UTF-8 with a byte-order mark, so that spreadsheet programs show Chinese text
//! correctly. In XLSX, values are numbers shown with the indicator's decimals when a number
//! holds them exactly, and text otherwise; reading a number cell takes the shortest decimal
//! that is the same number, so `2.6` reads back as `2.6` and never as `2.6000000000000001`.

use calamine::{Data, Reader, Xlsx};
use rust_decimal::Decimal;
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};
use std::io::Cursor;
use std::str::FromStr;

use super::{Cell, DEFINITION_COLUMNS, FIGURE_COLUMNS, FigureRow, column_header};

/// The name of the XLSX sheet of figures (the one an upload reads).
pub const FIGURES_SHEET: &str = "figures";
/// The name of the XLSX sheet of definitions.
pub const DEFINITIONS_SHEET: &str = "indicators";

const BOM: &str = "\u{FEFF}";

/// The figures as CSV: a byte-order mark, the header, one line per figure.
pub fn write_csv(rows: &[FigureRow]) -> Vec<u8> {
    let mut out = BOM.as_bytes().to_vec();
    {
        let mut w = csv::Writer::from_writer(&mut out);
        // Writing to memory cannot fail.
        w.write_record(FIGURE_COLUMNS.iter().map(|c| column_header(c.name)))
            .expect("write to memory");
        for row in rows {
            w.write_record(row.cells().iter().map(Cell::text))
                .expect("write to memory");
        }
        w.flush().expect("write to memory");
    }
    out
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
                Cell::Number(v, decimals) => match exact_f64(*v) {
                    Some(f) => {
                        sheet.write_number_with_format(r, c, f, &number_format(*decimals))?;
                    }
                    // More digits than a spreadsheet number holds: kept exactly, as text.
                    None => {
                        sheet.write_string(r, c, super::plain(*v, *decimals))?;
                    }
                },
            }
        }
    }
    Ok(())
}

/// Shows a number with the indicator's decimals: `0.00` shows 2.6 as 2.60.
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
/// (the row number a spreadsheet program shows).
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

/// Why a file could not be read at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileError {
    #[error(
        "The file is not UTF-8 text. In your spreadsheet program, save it as “CSV UTF-8” (or upload the XLSX)."
    )]
    NotUtf8,
    #[error("The file could not be read as CSV: {0}.")]
    Csv(String),
    #[error(
        "The file could not be read as an XLSX workbook ({0}). Save it from your spreadsheet program as “Excel Workbook (.xlsx)”."
    )]
    Xlsx(String),
    #[error("The file is empty: it has no header row.")]
    Empty,
    #[error("The file is not a CSV or XLSX file. Upload a file in the layout of the download.")]
    Unknown,
}

fn is_blank(cells: &[String]) -> bool {
    cells.iter().all(|c| c.trim().is_empty())
}

/// Reads a CSV file: UTF-8, with or without a byte-order mark, separated by commas (or by
/// semicolons, as some spreadsheet programs save it).
pub fn read_csv(bytes: &[u8]) -> Result<RawTable, FileError> {
    let text = std::str::from_utf8(bytes).map_err(|_| FileError::NotUtf8)?;
    let text = text.strip_prefix(BOM).unwrap_or(text);
    let first_line = text.lines().next().unwrap_or_default();
    let delimiter = if !first_line.contains(',') && first_line.contains(';') {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut table = RawTable::default();
    let mut header_seen = false;
    for record in reader.records() {
        let record = record.map_err(|e| FileError::Csv(e.to_string()))?;
        let line = record.position().map_or(0, |p| line_of(text, p.byte()));
        let cells: Vec<String> = record.iter().map(str::to_owned).collect();
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

/// The line a record starting at byte `at` is on, counting from 1, as a text editor or a
/// spreadsheet program numbers it (the reader may place a record's start on the line break
/// that ended the one before).
fn line_of(text: &str, at: u64) -> usize {
    let bytes = text.as_bytes();
    let mut start = usize::try_from(at).unwrap_or(usize::MAX).min(bytes.len());
    while matches!(bytes.get(start), Some(b'\r' | b'\n')) {
        start += 1;
    }
    1 + bytes[..start].iter().filter(|b| **b == b'\n').count()
}

/// Reads the `figures` sheet of an XLSX workbook (or its first sheet, if none has that name).
pub fn read_xlsx(bytes: &[u8]) -> Result<RawTable, FileError> {
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes))
        .map_err(|e: calamine::XlsxError| FileError::Xlsx(e.to_string()))?;
    let names = book.sheet_names();
    let name = names
        .iter()
        .find(|n| n.trim().eq_ignore_ascii_case(FIGURES_SHEET))
        .or(names.first())
        .cloned()
        .ok_or(FileError::Empty)?;
    let range = book
        .worksheet_range(&name)
        .map_err(|e| FileError::Xlsx(e.to_string()))?;
    let first_row = range.start().map_or(0, |(r, _)| r as usize);
    let mut table = RawTable::default();
    let mut header_seen = false;
    for (i, row) in range.rows().enumerate() {
        let cells: Vec<String> = row.iter().map(cell_text).collect();
        if is_blank(&cells) {
            continue;
        }
        if header_seen {
            table.rows.push(RawRow {
                line: first_row + i + 1,
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
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number_text(*f).unwrap_or_else(|| f.to_string()),
        Data::Bool(b) => b.to_string(),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::DateTime(d) => format!("a date ({d})"),
        Data::Error(e) => format!("an error cell ({e})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::plan::{ObservationKind, ObservationState};

    fn row(value: &str, decimals: u32) -> FigureRow {
        FigureRow {
            plan: "demo".into(),
            indicator: "rd".into(),
            name_en: "R&D, \"intensity\"".into(),
            name_zh: "研发经费投入强度".into(),
            year: 2024,
            kind: ObservationKind::Actual,
            value: Decimal::from_str(value).unwrap(),
            decimals,
            unit: "%".into(),
            state: ObservationState::Published,
            source: "统计公报".into(),
            note: "line one\nline two".into(),
        }
    }

    #[test]
    fn csv_starts_with_a_byte_order_mark_and_reads_back_exactly() {
        let rows = [row("2.6", 2), row("45000", 0), row("0.0000001", 7)];
        let bytes = write_csv(&rows);
        assert!(bytes.starts_with(b"\xEF\xBB\xBFplan,indicator,name_en,"));
        let table = read_csv(&bytes).unwrap();
        assert_eq!(table.header[0], "plan");
        assert_eq!(table.rows.len(), 3);
        assert_eq!(table.rows[0].cells[6], "2.60");
        assert_eq!(table.rows[0].cells[2], "R&D, \"intensity\"");
        assert_eq!(table.rows[0].cells[10], "line one\nline two");
        assert_eq!(table.rows[1].cells[6], "45000");
        assert_eq!(table.rows[2].cells[6], "0.0000001");
        assert_eq!(table.rows[1].line, 4, "the note's line break counts");
        let crlf = read_csv(b"plan\r\na\r\n\r\nb\r\n").unwrap();
        let lines: Vec<usize> = crlf.rows.iter().map(|r| r.line).collect();
        assert_eq!(
            lines,
            [2, 4],
            "numbered as a spreadsheet program shows them"
        );
    }

    #[test]
    fn csv_saved_with_semicolons_reads_too() {
        let table = read_csv("plan;indicator\nx;y\n\n".as_bytes()).unwrap();
        assert_eq!(table.header, ["plan", "indicator"]);
        assert_eq!(table.rows[0].cells, ["x", "y"]);
    }

    #[test]
    fn text_in_another_encoding_is_refused_with_what_to_do() {
        assert_eq!(read_csv(b"plan\n\xC4\xE3\xBA\xC3"), Err(FileError::NotUtf8));
        assert_eq!(read_csv(b"\n\n"), Err(FileError::Empty));
    }

    #[test]
    fn xlsx_numbers_read_back_as_the_same_decimal() {
        let values = [
            ("2.6", 2),
            ("2.45", 2),
            ("0.1", 1),
            ("974.24", 2),
            ("75600", 0),
            ("12345678901234567.89", 2),
        ];
        let rows: Vec<FigureRow> = values.iter().map(|(v, d)| row(v, *d)).collect();
        let bytes = write_xlsx(&rows, &[]).unwrap();
        let table = read_xlsx(&bytes).unwrap();
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
            read_xlsx(b"PK\x03\x04nonsense"),
            Err(FileError::Xlsx(_))
        ));
    }
}
