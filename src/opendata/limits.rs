//! The budget a table file is read within, whether an analyst uploads it or an operator imports
//! it: how large it may be once unpacked and read, and how long reading it may take.
//!
//! The limits are checked before anything of their size is allocated: a workbook's declared
//! sizes before it is unpacked, a sheet's declared dimension before its cells are read, each cell
//! as it is read. A file within them takes at most a few tens of MiB to read; a file beyond them is
//! refused with a message naming the limit, never read "as far as memory goes".

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use super::table::FileError;

/// Rows of a table file, the header included (a plan's figures are a few thousand).
pub const MAX_ROWS: usize = 100_000;
/// Columns of a table file (the layout of the download has 12).
pub const MAX_COLUMNS: usize = 50;
/// Cells kept from a file: every row counts as wide as its last non-empty cell.
pub const MAX_CELLS: usize = 2_000_000;
/// Characters in one cell: the most a spreadsheet program's cell holds.
pub const MAX_CELL_CHARS: usize = 32_767;
/// Bytes of text in all the cells of a file together.
pub const MAX_TEXT_BYTES: usize = 16 << 20;
/// Bytes a workbook (a ZIP archive) unpacks to, all its parts together.
pub const MAX_UNZIPPED_BYTES: u64 = 64 << 20;
/// Bytes a workbook's parts other than its worksheets unpack to: the shared text, the styles, the
/// list of sheets. These are read whole into memory; worksheets are read as a stream.
pub const MAX_UNZIPPED_PARTS_BYTES: u64 = 8 << 20;
/// Bytes of one piece of a workbook's XML (a tag, or the text between two tags).
pub const MAX_XML_PIECE_BYTES: usize = 1 << 20;
/// How long reading one uploaded file may take.
pub const PARSE_TIME: Duration = Duration::from_secs(10);
/// Uploaded files read at the same time; further uploads wait for [`PARSE_WAIT`].
pub const PARSES_AT_ONCE: usize = 2;
/// How long an upload waits for another one to be read before it is refused as busy.
pub const PARSE_WAIT: Duration = Duration::from_secs(3);
/// Characters of an uploaded file's name that are kept (it is shown and written to the history).
pub const MAX_FILE_NAME_CHARS: usize = 200;

/// How often (in rows or cells) a reader looks at the clock and the stop flag.
pub(crate) const CHECK_EVERY: usize = 1024;

/// When reading must stop: a deadline, and a flag set when whoever waits for the result has
/// gone (the client left). The default has neither.
#[derive(Debug, Clone, Default)]
pub struct Budget {
    deadline: Option<(Instant, Duration)>,
    stop: Option<Arc<AtomicBool>>,
}

impl Budget {
    /// No deadline, no flag: for the command line, where the operator can interrupt.
    pub fn unlimited() -> Budget {
        Budget::default()
    }

    /// At most `time` from now, and stopped as soon as `stop` is set.
    pub fn new(time: Duration, stop: Arc<AtomicBool>) -> Budget {
        Budget {
            deadline: Some((Instant::now() + time, time)),
            stop: Some(stop),
        }
    }

    /// `Err` once the time is up or the reader is told to stop.
    pub fn check(&self) -> Result<(), FileError> {
        if self
            .stop
            .as_ref()
            .is_some_and(|s| s.load(Ordering::Relaxed))
        {
            return Err(FileError::Stopped);
        }
        match self.deadline {
            Some((at, time)) if Instant::now() >= at => Err(FileError::TooSlow {
                seconds: time.as_secs(),
            }),
            _ => Ok(()),
        }
    }
}

/// Sets its flag when dropped: held by whoever waits for a reader, so that the reader stops
/// when they stop waiting (an upload whose client left is dropped mid-way).
#[derive(Debug)]
pub struct StopOnDrop(pub Arc<AtomicBool>);

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

/// A whole number with thousands separated by commas: `100,000`.
pub fn grouped(n: impl Into<u64>) -> String {
    let digits = n.into().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// An uploaded file's name as it is kept: control characters replaced by spaces, and at most
/// [`MAX_FILE_NAME_CHARS`] characters, the beginning and the end (with its extension) of a
/// longer one.
pub fn file_name(raw: &str) -> String {
    let clean: Vec<char> = raw
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if clean.len() <= MAX_FILE_NAME_CHARS {
        return clean.into_iter().collect();
    }
    let tail = 40;
    let head = MAX_FILE_NAME_CHARS - tail - 1;
    clean[..head]
        .iter()
        .chain(['…'].iter())
        .chain(clean[clean.len() - tail..].iter())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_grouped_by_thousands() {
        assert_eq!(grouped(0u32), "0");
        assert_eq!(grouped(999u32), "999");
        assert_eq!(grouped(1000u32), "1,000");
        assert_eq!(grouped(100_000u32), "100,000");
        assert_eq!(grouped(1_048_576u32), "1,048,576");
    }

    #[test]
    fn a_long_file_name_keeps_its_beginning_and_its_extension() {
        assert_eq!(file_name("figures.csv"), "figures.csv");
        assert_eq!(file_name("a\nb\u{0}.csv"), "a b .csv");
        let long = format!("{}.xlsx", "x".repeat(500_000));
        let kept = file_name(&long);
        assert_eq!(kept.chars().count(), MAX_FILE_NAME_CHARS);
        assert!(kept.ends_with("x.xlsx") && kept.contains('…'));
    }

    #[test]
    fn a_budget_stops_on_its_flag_and_at_its_deadline() {
        assert_eq!(Budget::unlimited().check(), Ok(()));
        let flag = Arc::new(AtomicBool::new(false));
        let budget = Budget::new(Duration::from_secs(60), flag.clone());
        assert_eq!(budget.check(), Ok(()));
        drop(StopOnDrop(flag));
        assert_eq!(budget.check(), Err(FileError::Stopped));
        let late = Budget::new(Duration::ZERO, Arc::new(AtomicBool::new(false)));
        assert_eq!(late.check(), Err(FileError::TooSlow { seconds: 0 }));
    }
}
