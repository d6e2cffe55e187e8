//! The reduction of a CUR or FOCUS data file to [`Row`]s: each line item is read once,
//! classified ([`classify`](super::classify)) and added to its row, and only the columns the
//! classification names are read. A Parquet file's row groups are cut into units that every
//! core takes in turn, decoding only those column chunks of its unit with polars' reader and
//! classifying them while they are in cache; CSV (plain, gzip or zstd) is inflated by one
//! thread and cut into chunks of whole records that every core parses at once. Memory is a
//! unit or a few chunks per core plus the rows, whatever the file's size. Money is summed
//! exactly, in [`Fixed`] units of 10⁻¹⁰.
//!
//! The classification is the README's aggregation query; a test runs the README's SQL text
//! over the same files and checks both give the same import.

use super::classify::{self, Class, KeyRef, Layout, Line, Rule};
use super::fixed::{Fixed, Sums};
use super::rows::{Key, Row};
use super::{key, Data, Source};
use crate::import::{Format, ImportError};
use hashbrown::Equivalent;
use polars::prelude::*;
use polars_arrow::array::Array as _;
use std::hash::BuildHasher;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Mutex};

/// CSV chunks of about this size (plus the rest of their last record) are parsed at a time.
const CHUNK_BYTES: usize = 8 << 20;

/// Chunks waiting for a parser, per parser: enough to keep every core busy, few enough that
/// memory stays flat.
const QUEUED_PER_WORKER: usize = 2;

/// The reduced rows of a file, grouped as the query groups them, and the row the last line
/// item went to: an instance's hours usually come one after another, and a line item that
/// goes where the one before went is added without hashing its key.
#[derive(Default)]
struct Groups {
    rows: Vec<(Key, Sums)>,
    index: hashbrown::HashTable<usize>,
    hasher: hashbrown::DefaultHashBuilder,
    last: Option<usize>,
}

impl Groups {
    /// The index of `key`'s row, made empty when new.
    fn slot(&mut self, key: &KeyRef<'_>) -> usize {
        if let Some(i) = self.last.filter(|&i| key.equivalent(&self.rows[i].0)) {
            return i;
        }
        let hash = self.hasher.hash_one(key);
        let i = self.find_or_insert(hash, |k| key.equivalent(k), || key.to_owned());
        self.last = Some(i);
        i
    }

    fn find_or_insert(&mut self, hash: u64, eq: impl Fn(&Key) -> bool, key: impl FnOnce() -> Key) -> usize {
        let rows = &self.rows;
        if let Some(&i) = self.index.find(hash, |&i| eq(&rows[i].0)) {
            return i;
        }
        let i = self.rows.len();
        self.rows.push((key(), Sums::default()));
        let (rows, hasher) = (&self.rows, &self.hasher);
        self.index.insert_unique(hash, i, |&j| hasher.hash_one(&rows[j].0));
        i
    }

    /// Adds one line item's sums to row `slot`.
    #[inline]
    fn add_at(&mut self, slot: usize, sums: &Sums) {
        self.rows[slot].1.add(sums);
    }

    /// Adds one line item to its row.
    fn add(&mut self, key: &KeyRef<'_>, sums: &Sums) {
        let slot = self.slot(key);
        self.add_at(slot, sums);
    }

    /// Adds every row of `other`.
    fn merge(&mut self, other: Groups) {
        for (key, sums) in other.rows {
            let hash = self.hasher.hash_one(&key);
            let slot = self.find_or_insert(hash, |k| *k == key, || key.clone());
            self.add_at(slot, &sums);
        }
    }

    fn into_rows(self) -> Vec<Row> {
        self.rows.into_iter().map(|(key, sums)| Row { key, acc: sums.to_acc() }).collect()
    }
}

/// Whether a data file is Parquet (by its magic number).
fn is_parquet_source(source: &Source) -> bool {
    match &source.data {
        Data::Bytes(b) => super::is_parquet(b),
        Data::Path(p) => {
            let mut head = [0u8; 4];
            std::fs::File::open(p).and_then(|mut f| std::io::Read::read_exact(&mut f, &mut head)).is_ok()
                && super::is_parquet(&head)
        }
    }
}

/// A CSV file (plain, gzip or zstd, by its bytes): its header, then chunks of whole records;
/// a chunk ends at a newline outside quotes.
struct CsvChunks {
    reader: Box<dyn std::io::BufRead + Send>,
    chunk_bytes: usize,
    header: Vec<u8>,
    carry: Vec<u8>,
    /// Lines before the next chunk's first record (the header's included).
    lines_before: u64,
    done: bool,
}

impl CsvChunks {
    fn open(source: &Source, chunk_bytes: usize) -> std::io::Result<Self> {
        let raw: Box<dyn std::io::Read + Send> = match &source.data {
            Data::Path(p) => Box::new(std::fs::File::open(p)?),
            Data::Bytes(b) => Box::new(std::io::Cursor::new(b.clone())),
        };
        let (_, mut reader) =
            crate::import::compression::decoded_send(std::io::BufReader::with_capacity(1 << 20, raw))?;
        let mut header = Vec::new();
        std::io::BufRead::read_until(&mut reader, b'\n', &mut header)?;
        Ok(CsvChunks { reader, chunk_bytes, header, carry: Vec::new(), lines_before: 1, done: false })
    }

    /// The header's column names (a byte-order mark dropped).
    fn names(&self) -> Vec<String> {
        let header = self.header.strip_prefix("\u{feff}".as_bytes()).unwrap_or(&self.header);
        let mut csv = csv::ReaderBuilder::new().has_headers(false).from_reader(header);
        let mut record = csv::StringRecord::new();
        match csv.read_record(&mut record) {
            Ok(true) => record.iter().map(|f| f.trim().to_string()).collect(),
            _ => Vec::new(),
        }
    }

    /// The next chunk of records and the lines before its first record.
    fn next(&mut self) -> std::io::Result<Option<(Vec<u8>, u64)>> {
        use std::io::Read;
        if self.done {
            return Ok(None);
        }
        let mut records = std::mem::take(&mut self.carry);
        let want = self.chunk_bytes.saturating_sub(records.len()).max(1);
        let read = (&mut self.reader).take(want as u64).read_to_end(&mut records)?;
        if read < want {
            self.done = true;
        } else if let Some(cut) = record_end(&records) {
            self.carry = records.split_off(cut);
        }
        if records.iter().all(u8::is_ascii_whitespace) {
            return Ok(None);
        }
        let lines_before = self.lines_before;
        self.lines_before += memchr::memchr_iter(b'\n', &records).count() as u64;
        Ok(Some((records, lines_before)))
    }
}

/// Just past the last newline of `bytes` that is outside quotes (an even number of `"` before
/// it; a doubled quote inside a field counts twice, so parity holds).
fn record_end(bytes: &[u8]) -> Option<usize> {
    let mut quotes = memchr::memchr_iter(b'"', bytes).count();
    let mut end = bytes.len();
    while let Some(nl) = memchr::memrchr(b'\n', &bytes[..end]) {
        quotes -= memchr::memchr_iter(b'"', &bytes[nl..end]).count();
        if quotes.is_multiple_of(2) {
            return Some(nl + 1);
        }
        end = nl;
    }
    None
}

/// `work`, with a panic inside polars (a file it cannot parse) turned into an error: a broken
/// upload must not take the server down.
fn guarded<T>(work: impl FnOnce() -> Result<T, String>) -> Result<T, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)).unwrap_or_else(|panic| {
        let why = panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "the reader failed".into());
        Err(format!("not a readable data file: {why}"))
    })
}

/// The column names of a data file (a Parquet file's footer; a CSV file's header).
pub(super) fn columns(source: &Source) -> Result<Vec<String>, String> {
    guarded(|| columns_unguarded(source))
}

fn columns_unguarded(source: &Source) -> Result<Vec<String>, String> {
    if !is_parquet_source(source) {
        let chunks = CsvChunks::open(source, CHUNK_BYTES).map_err(|e| format!("cannot read: {e}"))?;
        return Ok(chunks.names());
    }
    let schema = parquet_reader(source)
        .map_err(PolarsError::from)
        .and_then(|mut r| r.schema())
        .map_err(|e| format!("not a readable data file: {e}"))?;
    Ok(schema.iter_names().map(|n| n.to_string()).collect())
}

/// Where a file holds each column its layout reads: by position (CSV) or name (Parquet).
struct Found<C> {
    texts: Vec<Option<C>>,
    numbers: Vec<Option<C>>,
    period: Option<C>,
}

impl<C: Clone> Found<C> {
    /// The layout's columns among the file's (`key` → column), checking those it cannot do
    /// without.
    fn of(layout: &Layout, format: Format, file: &str, find: impl Fn(&str) -> Option<C>) -> Result<Self, ImportError> {
        let first = |keys: &[&str]| keys.iter().find_map(|k| find(k));
        let required: &[(&str, &str)] = if format == Format::Focus {
            &[("billedcost", "BilledCost"), ("effectivecost", "EffectiveCost"), ("chargecategory", "ChargeCategory")]
        } else {
            &[("lineitemunblendedcost", "lineItem/UnblendedCost"), ("lineitemproductcode", "lineItem/ProductCode")]
        };
        for (k, shown) in required {
            if find(k).is_none() {
                return Err(ImportError::at(file, Some(1), Some((*shown).into()), "missing column"));
            }
        }
        Ok(Found {
            texts: layout.texts.iter().map(|keys| first(keys)).collect(),
            numbers: layout.numbers.iter().map(|keys| first(keys)).collect(),
            period: first(&layout.period),
        })
    }
}

/// Reduces one CUR or FOCUS data file to rows, with the line of its first record whose cost
/// is not a number (CSV only).
pub(super) fn reduce(source: &Source, format: Format) -> Result<(Vec<Row>, Option<u64>), ImportError> {
    reduce_in_chunks(source, format, CHUNK_BYTES, UNIT_LINES)
}

/// [`reduce`] with CSV chunks of `chunk_bytes` and Parquet units of `unit_lines`.
fn reduce_in_chunks(
    source: &Source,
    format: Format,
    chunk_bytes: usize,
    unit_lines: usize,
) -> Result<(Vec<Row>, Option<u64>), ImportError> {
    let mut error = None;
    let rows = guarded(|| {
        let reduced = if is_parquet_source(source) {
            reduce_parquet(source, format, unit_lines).map(|rows| (rows, None))
        } else {
            reduce_csv(source, format, chunk_bytes)
        };
        reduced.map_err(|e| {
            let message = e.message.clone();
            error = Some(e);
            message
        })
    });
    rows.map_err(|m| error.unwrap_or_else(|| ImportError::at(&source.name, None, None, m)))
}

/// The most columns a layout reads of one kind.
const MAX_FIELDS: usize = 16;

/// One CSV record's fields as the layout reads them, classified and added to `groups`; `Err`
/// with the record's line when its cost is not a number.
struct CsvLine<'f> {
    layout: &'static Layout,
    found: &'f Found<usize>,
}

impl CsvLine<'_> {
    /// Adds the record; true when its cost was not a number.
    fn add(&self, groups: &mut Groups, record: &csv::ByteRecord) -> bool {
        let field = |i: Option<usize>| -> &str {
            i.and_then(|i| record.get(i)).and_then(|b| std::str::from_utf8(b).ok()).unwrap_or("")
        };
        let mut texts = [""; MAX_FIELDS];
        for (t, i) in texts.iter_mut().zip(&self.found.texts) {
            *t = field(*i);
        }
        let text_number = |i: usize| {
            let b = self.found.numbers[i].and_then(|i| record.get(i))?;
            classify::number(std::str::from_utf8(b).ok()?).ok().flatten()
        };
        let cost = classify::number(field(self.found.numbers[0]));
        let cost_invalid = cost.is_err();
        let cost = cost.ok().flatten();
        let read = |i: usize| if i == 0 { cost } else { text_number(i) };
        let line = Line {
            texts: &texts[..self.layout.texts.len()],
            cost_invalid,
            period: classify::month(field(self.found.period)),
        };
        if let Some(Class { key, rule }) = self.layout.classify(&line) {
            groups.add(&key, &rule.sums(read));
        }
        cost_invalid
    }
}

/// What one CSV parser made of the chunks it took: its rows and the first line (of the file)
/// whose cost is not a number.
#[derive(Default)]
struct Parsed {
    groups: Groups,
    first_invalid: Option<u64>,
    error: Option<(u64, String)>,
}

fn parse_chunk(line: &CsvLine<'_>, parsed: &mut Parsed, records: &[u8], lines_before: u64) {
    let mut csv = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(records);
    let mut record = csv::ByteRecord::new();
    loop {
        match csv.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                if record.len() == 1 && record.get(0).is_some_and(|f| f.iter().all(u8::is_ascii_whitespace)) {
                    continue;
                }
                if line.add(&mut parsed.groups, &record) {
                    let at = lines_before + record.position().map_or(1, |p| p.line());
                    parsed.first_invalid = Some(parsed.first_invalid.map_or(at, |f| f.min(at)));
                }
            }
            Err(e) => {
                let at = lines_before + e.position().map_or(1, |p| p.line());
                if parsed.error.as_ref().is_none_or(|(l, _)| at < *l) {
                    parsed.error = Some((at, e.to_string()));
                }
                break;
            }
        }
    }
}

/// A CSV file: this thread reads (and inflates) chunks of records, every core parses them,
/// each parser into its own rows, merged at the end; the queue between them is bounded.
fn reduce_csv(source: &Source, format: Format, chunk_bytes: usize) -> Result<(Vec<Row>, Option<u64>), ImportError> {
    let file = source.name.as_str();
    let cannot = |e: std::io::Error| ImportError::at(file, None, None, format!("cannot read: {e}"));
    let mut chunks = CsvChunks::open(source, chunk_bytes).map_err(cannot)?;
    let names: Vec<String> = chunks.names().iter().map(|n| key(n)).collect();
    let layout = Layout::of(format);
    let found = Found::of(layout, format, file, |k| names.iter().position(|n| n == k))?;
    let line = CsvLine { layout, found: &found };
    let workers = crate::import::workers();
    let (jobs, queue) = mpsc::sync_channel::<(Vec<u8>, u64)>(workers * QUEUED_PER_WORKER);
    let queue = Mutex::new(queue);
    let (parsed, read) = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                let (queue, line) = (&queue, &line);
                scope.spawn(move || {
                    let mut parsed = Parsed::default();
                    loop {
                        let job = queue.lock().map(|q| q.recv());
                        let Ok(Ok((records, lines_before))) = job else { break };
                        parse_chunk(line, &mut parsed, &records, lines_before);
                    }
                    parsed
                })
            })
            .collect();
        let read = loop {
            match chunks.next() {
                Ok(Some(job)) => {
                    if jobs.send(job).is_err() {
                        break Ok(());
                    }
                }
                Ok(None) => break Ok(()),
                Err(e) => break Err(e),
            }
        };
        drop(jobs);
        let parsed: Vec<Parsed> = handles.into_iter().map(|h| h.join().unwrap_or_default()).collect();
        (parsed, read)
    });
    read.map_err(cannot)?;
    let mut groups = Groups::default();
    let mut first_invalid: Option<u64> = None;
    let mut error: Option<(u64, String)> = None;
    for p in parsed {
        groups.merge(p.groups);
        first_invalid = match (first_invalid, p.first_invalid) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        if let Some((at, why)) = p.error {
            if error.as_ref().is_none_or(|(l, _)| at < *l) {
                error = Some((at, why));
            }
        }
    }
    if let Some((at, why)) = error {
        return Err(ImportError::at(file, Some(at), None, format!("not a readable CSV record: {why}")));
    }
    Ok((groups.into_rows(), first_invalid))
}

/// Row groups are decoded and classified in units of about this many lines (large row groups
/// sliced, small ones joined): a unit's columns are then a few tens of megabytes per core,
/// whose pages the next unit reuses rather than the kernel zeroing new ones (a file's row
/// groups decoded whole took three times the memory and a third more time), and a unit's own
/// overhead does not count.
const UNIT_LINES: usize = 65_536;

/// A Parquet file: each core takes the next unit of row groups, decodes the layout's columns
/// of it and classifies its line items into its own rows while they are in cache. Memory is
/// one unit per core, whatever the file's size.
fn reduce_parquet(source: &Source, format: Format, unit_lines: usize) -> Result<Vec<Row>, ImportError> {
    let file = source.name.as_str();
    let fail = |e: PolarsError| ImportError::at(file, None, None, format!("cannot read the export: {e}"));
    let mut footer = parquet_reader(source).map_err(|e| fail(e.into()))?;
    let metadata = footer.get_metadata().map_err(fail)?.clone();
    let schema = footer.schema().map_err(|e| ImportError::at(file, Some(1), None, e.to_string()))?;
    // Maps, lists and structs (tags, SKU details held as a map) are not read: the
    // classification needs scalar columns only.
    let columns: Vec<String> = schema
        .iter()
        .filter(|(_, field)| !DataType::from_arrow_field(field).is_nested())
        .map(|(name, _)| name.to_string())
        .collect();
    let layout = Layout::of(format);
    let found = Found::of(layout, format, file, |k| columns.iter().find(|n| key(n) == k).cloned())?;
    let mut read: Vec<String> =
        found.texts.iter().chain(&found.numbers).chain([&found.period]).flatten().cloned().collect();
    read.sort();
    read.dedup();
    let units = units(metadata.row_groups.iter().map(|g| g.num_rows()), unit_lines);
    let next = AtomicUsize::new(0);
    let workers = crate::import::workers().min(units.len().max(1));
    let parts: Vec<PolarsResult<Groups>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                let (next, units, read, found, metadata) = (&next, &units, &read, &found, &metadata);
                scope.spawn(move || {
                    let mut groups = Groups::default();
                    let unit = |groups: &mut Groups, (first, lines): (usize, usize)| -> PolarsResult<()> {
                        let mut reader = parquet_reader(source)?;
                        reader.set_metadata(metadata.clone());
                        let frame = reader
                            .with_columns(Some(read.clone()))
                            .with_slice(Some((first, lines)))
                            .read_parallel(ParallelStrategy::RowGroups)
                            .finish()?;
                        add_batch(layout, groups, &Batch::of(&frame, found)?)
                    };
                    while let Some(&at) = units.get(next.fetch_add(1, Ordering::Relaxed)) {
                        if let Err(e) = unit(&mut groups, at) {
                            // The file is unreadable: the other cores stop too.
                            next.store(units.len(), Ordering::Relaxed);
                            return Err(e);
                        }
                    }
                    PolarsResult::Ok(groups)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|_| Err(polars_err!(ComputeError: "a reader failed"))))
            .collect()
    });
    let mut groups = Groups::default();
    for part in parts {
        groups.merge(part.map_err(fail)?);
    }
    Ok(groups.into_rows())
}

/// A reader of a Parquet file (one per unit: a file is mapped, bytes are borrowed).
fn parquet_reader(source: &Source) -> std::io::Result<ParquetReader<Box<dyn polars::io::mmap::MmapBytesReader + '_>>> {
    let reader: Box<dyn polars::io::mmap::MmapBytesReader + '_> = match &source.data {
        Data::Path(p) => Box::new(std::fs::File::open(p)?),
        Data::Bytes(b) => Box::new(std::io::Cursor::new(b.as_slice())),
    };
    Ok(ParquetReader::new(reader))
}

/// The units of a file whose row groups hold `lines` each: (first line, lines). A row group
/// of at least twice `unit` lines is cut into equal slices of at least that many (a slice's
/// pages alone are decompressed); smaller consecutive ones are joined until a unit holds as
/// many.
fn units(lines: impl IntoIterator<Item = usize>, unit: usize) -> Vec<(usize, usize)> {
    let mut units: Vec<(usize, usize)> = Vec::new();
    let mut at = 0;
    for n in lines {
        if n >= 2 * unit {
            let slices = n / unit;
            let mut start = 0;
            for k in 1..=slices {
                let end = n * k / slices;
                units.push((at + start, end - start));
                start = end;
            }
        } else {
            match units.last_mut() {
                Some((first, open)) if *open < unit && *first + *open == at => *open += n,
                _ => units.push((at, n)),
            }
        }
        at += n;
    }
    units.retain(|&(_, n)| n > 0);
    units
}

/// A unit's columns as the classification reads them: texts as text, numbers as doubles,
/// decimals or text, the period as a timestamp's physical integer (`per_day` a day) or text.
struct Batch {
    height: usize,
    texts: Vec<Option<Series>>,
    numbers: Vec<Option<Series>>,
    period: Option<Series>,
    per_day: i64,
}

impl Batch {
    fn of(frame: &DataFrame, found: &Found<String>) -> PolarsResult<Self> {
        let column = |name: &Option<String>| -> PolarsResult<Option<Series>> {
            name.as_ref().map(|n| Ok(frame.column(n)?.as_materialized_series().rechunk())).transpose()
        };
        let texts = found
            .texts
            .iter()
            .map(|n| {
                column(n)?
                    .map(|s| if s.dtype() == &DataType::String { Ok(s) } else { s.cast(&DataType::String) })
                    .transpose()
            })
            .collect::<PolarsResult<_>>()?;
        // Doubles (what the exports write) and exact decimals are read as they are; text is
        // parsed as CSV is (a cost that is not a number is counted).
        let numbers = found
            .numbers
            .iter()
            .map(|n| {
                column(n)?
                    .map(|s| match s.dtype() {
                        DataType::String | DataType::Float64 | DataType::Decimal(..) => Ok(s),
                        d if d.is_primitive_numeric() => s.cast(&DataType::Float64),
                        _ => s.cast(&DataType::String),
                    })
                    .transpose()
            })
            .collect::<PolarsResult<_>>()?;
        // A timestamp's month is found once per distinct value, from its physical integer.
        let mut per_day = 1i64;
        let period = column(&found.period)?
            .map(|s| match s.dtype() {
                DataType::Datetime(unit, _) => {
                    per_day = 86_400
                        * match unit {
                            TimeUnit::Nanoseconds => 1_000_000_000,
                            TimeUnit::Microseconds => 1_000_000,
                            TimeUnit::Milliseconds => 1_000,
                        };
                    s.to_physical_repr().cast(&DataType::Int64)
                }
                DataType::Date => s.to_physical_repr().cast(&DataType::Int64),
                _ => s.cast(&DataType::String),
            })
            .transpose()?;
        Ok(Batch { height: frame.height(), texts, numbers, period, per_day })
    }
}

/// Value `i` of a primitive array, `None` where null.
#[inline]
fn primitive<T: polars_arrow::types::NativeType>(a: &polars_arrow::array::PrimitiveArray<T>, i: usize) -> Option<T> {
    a.validity().is_none_or(|v| v.get_bit(i)).then(|| a.values()[i])
}

/// A number column of a Parquet batch.
enum Numbers<'a> {
    /// Doubles, as the exports write money: read to ten decimal places, as they were written.
    Double(&'a polars_arrow::array::PrimitiveArray<f64>),
    /// Exact decimals, with their scale.
    Decimal(&'a polars_arrow::array::PrimitiveArray<i128>, u32),
    Text(&'a polars_arrow::array::Utf8ViewArray),
    Absent,
}

impl Numbers<'_> {
    /// Value `i`, and whether it is not a number.
    #[inline]
    fn get(&self, i: usize) -> (Option<Fixed>, bool) {
        match self {
            Numbers::Double(a) => match primitive(a, i) {
                None => (None, false),
                Some(v) => {
                    let f = Fixed::from_double(v);
                    (f, f.is_none())
                }
            },
            Numbers::Decimal(a, scale) => (primitive(a, i).map(|v| Fixed::from_units(v, *scale)), false),
            Numbers::Text(a) => match classify::number(a.get(i).unwrap_or("")) {
                Ok(v) => (v, false),
                Err(()) => (None, true),
            },
            Numbers::Absent => (None, false),
        }
    }
}

/// The period column of a Parquet batch: a timestamp's physical integer, or text.
enum Period<'a> {
    Timestamp(&'a polars_arrow::array::PrimitiveArray<i64>),
    Text(&'a polars_arrow::array::Utf8ViewArray),
    Absent,
}

/// The text of a rechunked column.
fn text(s: &Series) -> PolarsResult<&polars_arrow::array::Utf8ViewArray> {
    one(s.str()?.downcast_iter().next())
}

/// The one chunk of a rechunked column.
fn one<T>(chunk: Option<T>) -> PolarsResult<T> {
    chunk.ok_or_else(|| polars_err!(ComputeError: "a column without data"))
}

/// Distinct lines whose class a Parquet batch keeps at hand.
const RECENT: usize = 4;

/// A line's text views (and its period's), whether its cost was a number, and its class: its
/// row's slot and rule, or `None` for a line not counted.
#[derive(Clone, Copy)]
struct Seen {
    views: [u128; MAX_FIELDS + 1],
    cost_invalid: bool,
    class: Option<(usize, Rule)>,
}

/// Classifies a batch's line items into `groups`.
fn add_batch(layout: &Layout, groups: &mut Groups, batch: &Batch) -> PolarsResult<()> {
    let texts: Vec<Option<&polars_arrow::array::Utf8ViewArray>> =
        batch.texts.iter().map(|s| s.as_ref().map(text).transpose()).collect::<PolarsResult<_>>()?;
    let numbers: Vec<Numbers<'_>> = batch
        .numbers
        .iter()
        .map(|s| {
            let Some(s) = s else { return Ok(Numbers::Absent) };
            Ok(match s.dtype() {
                DataType::String => Numbers::Text(text(s)?),
                DataType::Float64 => Numbers::Double(one(s.f64()?.downcast_iter().next())?),
                _ => {
                    let d = s.decimal()?;
                    Numbers::Decimal(one(d.physical().downcast_iter().next())?, d.scale() as u32)
                }
            })
        })
        .collect::<PolarsResult<_>>()?;
    let period = match &batch.period {
        None => Period::Absent,
        Some(s) if s.dtype() == &DataType::String => Period::Text(text(s)?),
        Some(s) => Period::Timestamp(one(s.i64()?.downcast_iter().next())?),
    };
    let per_day = batch.per_day;
    let mut month = (i64::MIN, String::new());
    let mut t = [""; MAX_FIELDS];
    let repeats = repeats(&texts, &period, batch.height);
    // The class of the line before and of the one before it, with whether their costs were
    // not numbers.
    let mut last: [(Option<(usize, Rule)>, bool); 2] = [(None, false); 2];
    // The texts' views of the last few distinct lines and what they decided: views equal
    // within a batch are equal texts (a dictionary-encoded column repeats its entry's view, a
    // short text is held in its view), so a line whose views and cost validity match one of
    // them has its class and only its numbers are read.
    let mut seen: [Option<Seen>; RECENT] = [None; RECENT];
    let mut next = 0;
    for (row, repeat) in repeats.iter().enumerate() {
        let (cost, cost_invalid) = numbers[0].get(row);
        let class = if repeat & SAME_AS_LAST != 0 && last[0].1 == cost_invalid {
            last[0].0
        } else if repeat & SAME_AS_ONE_BEFORE_LAST != 0 && last[1].1 == cost_invalid {
            last[1].0
        } else {
            let mut views = [0u128; MAX_FIELDS + 1];
            for (v, c) in views.iter_mut().zip(&texts) {
                *v = c.map_or(0, |c| text_key(c, row));
            }
            views[MAX_FIELDS] = period.key(row);
            match seen.iter().flatten().find(|s| s.views == views && s.cost_invalid == cost_invalid) {
                Some(s) => s.class,
                None => {
                    for (slot, c) in t.iter_mut().zip(&texts) {
                        *slot = c.and_then(|c| c.get(row)).unwrap_or("");
                    }
                    let period = match &period {
                        Period::Timestamp(m) => match primitive(m, row) {
                            Some(v) if v == month.0 => month.1.as_str(),
                            Some(v) => {
                                let day = tco_engine::age::civil_from_days(v.div_euclid(per_day));
                                month = (v, classify::month(&day).to_string());
                                month.1.as_str()
                            }
                            None => "",
                        },
                        Period::Text(s) => classify::month(s.get(row).unwrap_or("")),
                        Period::Absent => "",
                    };
                    let line = Line { texts: &t[..layout.texts.len()], cost_invalid, period };
                    let class = layout.classify(&line).map(|Class { key, rule }| (groups.slot(&key), rule));
                    seen[next] = Some(Seen { views, cost_invalid, class });
                    next = (next + 1) % RECENT;
                    class
                }
            }
        };
        last = [(class, cost_invalid), last[0]];
        if let Some((slot, rule)) = class {
            groups.add_at(slot, &rule.sums(|i| if i == 0 { cost } else { numbers[i].get(row).0 }));
        }
    }
    Ok(())
}

/// A line's texts and period are those of the line before.
const SAME_AS_LAST: u8 = 1;
/// A line's texts and period are those of the line two before (a Savings Plan's covered hours
/// alternate with their negations).
const SAME_AS_ONE_BEFORE_LAST: u8 = 2;

/// For each line of a batch, whether its texts and period repeat the line before's and the
/// one two before's ([`SAME_AS_LAST`], [`SAME_AS_ONE_BEFORE_LAST`]): found column by column,
/// in loops the processor runs ahead through, so the lines that repeat (most: an instance's
/// hours come one after another) are matched without gathering their views one by one.
fn repeats(texts: &[Option<&polars_arrow::array::Utf8ViewArray>], period: &Period<'_>, height: usize) -> Vec<u8> {
    let mut flags = vec![SAME_AS_LAST | SAME_AS_ONE_BEFORE_LAST; height];
    if let Some(first) = flags.first_mut() {
        *first = 0;
    }
    if let Some(second) = flags.get_mut(1) {
        *second &= SAME_AS_LAST;
    }
    for c in texts.iter().flatten() {
        match c.validity() {
            None => {
                let views = c.views();
                mark(&mut flags, |r| views[r].as_u128());
            }
            Some(_) => mark(&mut flags, |r| text_key(c, r)),
        }
    }
    if !matches!(period, Period::Absent) {
        mark(&mut flags, |r| period.key(r));
    }
    flags
}

/// Clears the flags of the lines whose `key` differs from the line before's or two before's.
#[inline]
fn mark<K: PartialEq>(flags: &mut [u8], key: impl Fn(usize) -> K) {
    if flags.len() > 1 {
        flags[1] &= u8::from(key(1) == key(0));
    }
    for (r, flag) in flags.iter_mut().enumerate().skip(2) {
        let k = key(r);
        *flag &= u8::from(k == key(r - 1)) | (u8::from(k == key(r - 2)) << 1);
    }
}

/// A text's view, or 0 where null: equal within a batch where the texts are.
#[inline]
fn text_key(c: &polars_arrow::array::Utf8ViewArray, row: usize) -> u128 {
    if c.is_valid(row) {
        c.views()[row].as_u128()
    } else {
        0
    }
}

impl Period<'_> {
    /// The period's key in a line's views: its timestamp, its text's view, 0 where absent.
    #[inline]
    fn key(&self, row: usize) -> u128 {
        match self {
            Period::Timestamp(m) => primitive(m, row).map_or(u128::MAX, |v| u128::from(v as u64)),
            Period::Text(s) => text_key(s, row),
            Period::Absent => 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::rows::{Acc, INVALID};
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn a_chunk_ends_at_a_newline_outside_quotes() {
        assert_eq!(record_end(b"a,b\nc,d\ne"), Some(8));
        // The last newline is inside a quoted field: the record before it ends the chunk.
        assert_eq!(record_end(b"a,b\nc,\"x\ny"), Some(4));
        assert_eq!(record_end(b"a,\"x\"\"y\"\nc"), Some(9), "a doubled quote keeps the parity");
        assert_eq!(record_end(b"no newline"), None);
    }

    /// A CUR CSV of many line items, with descriptions that hold commas, quotes and newlines.
    fn cur_csv(lines: usize) -> String {
        let mut text = String::from("line_item_line_item_type,line_item_product_code,line_item_line_item_description,line_item_resource_id,line_item_usage_type,line_item_operation,product_instance_type,line_item_usage_amount,line_item_unblended_cost,bill_billing_period_start_date\n");
        for i in 0..lines {
            let cost = if i == 777 { "n/a".to_string() } else { format!("0.{:03}", i % 1000) };
            let description = if i % 3 == 0 { "\"$0.085 per hour, \"\"Linux\"\"\nc5.large\"" } else { "plain" };
            text.push_str(&format!(
                "Usage,AmazonEC2,{description},i-{:08x},USE1-BoxUsage:c5.large,RunInstances,c5.large,1,{cost},2026-10-01T00:00:00Z\n",
                i % 50
            ));
        }
        text
    }

    fn by_key(rows: Vec<Row>) -> BTreeMap<Key, Acc> {
        let mut m: BTreeMap<Key, Acc> = BTreeMap::new();
        for r in rows {
            m.entry(r.key).or_default().add(&r.acc);
        }
        m
    }

    #[test]
    fn chunks_of_any_size_reduce_to_the_same_rows() {
        let text = cur_csv(3000);
        let source = Source::bytes("cur.csv", text.into_bytes());
        let (whole, first) = reduce_in_chunks(&source, Format::AwsCur, 64 << 20, UNIT_LINES).unwrap();
        let (small, first_small) = reduce_in_chunks(&source, Format::AwsCur, 4096, UNIT_LINES).unwrap();
        assert_eq!(by_key(small), by_key(whole.clone()));
        // 1 header line; line item i starts at line 2 + i + (items before it with a newline).
        let line_777 = 2 + 777 + 777_u64.div_ceil(3);
        assert_eq!((first, first_small), (Some(line_777), Some(line_777)));
        let m = by_key(whole);
        let instances: std::collections::BTreeSet<&str> =
            m.keys().filter(|k| k.resource_id.starts_with("i-")).map(|k| k.resource_id.as_str()).collect();
        assert_eq!(instances.len(), 50);
        assert_eq!(m.iter().filter(|(k, _)| k.charge == INVALID).map(|(_, a)| a.line_items).sum::<u64>(), 1);
        assert_eq!(m.values().map(|a| a.line_items).sum::<u64>(), 3000);
    }

    /// Line items in runs of one instance, a Savings Plan's covered hours alternating with
    /// their negations, a cost that is not a number (NaN) amid a run of equal texts, and
    /// absent values: as CSV text and as a Parquet file of the same line items.
    fn runs(lines: usize) -> (String, Vec<u8>) {
        let names = [
            "line_item_line_item_type",
            "line_item_product_code",
            "line_item_operation",
            "line_item_resource_id",
            "product_instance_type",
            "line_item_usage_amount",
            "line_item_unblended_cost",
            "savings_plan_savings_plan_effective_cost",
            "bill_billing_period_start_date",
        ];
        let mut csv = names.join(",") + "\n";
        let mut texts: Vec<Vec<Option<String>>> = vec![Vec::new(); 5];
        let mut numbers: Vec<Vec<Option<f64>>> = vec![Vec::new(); 3];
        for i in 0..lines {
            let covered = (i / 40) % 3 == 0;
            let line_type = match (covered, i % 2) {
                (true, 0) => "SavingsPlanCoveredUsage",
                (true, _) => "SavingsPlanNegation",
                _ => "Usage",
            };
            let resource = format!("i-{:017x}", i / 40);
            let itype = if i % 97 == 5 { None } else { Some("c5.large") };
            let cost = match i {
                123 => f64::NAN,
                _ if line_type == "SavingsPlanNegation" => -0.085,
                _ => 0.085 + (i % 7) as f64 * 0.001,
            };
            let effective = covered.then_some(0.051);
            let row = [Some(line_type), Some("AmazonEC2"), Some("RunInstances"), Some(resource.as_str()), itype];
            for (column, v) in texts.iter_mut().zip(row) {
                column.push(v.map(str::to_string));
            }
            for (column, v) in numbers.iter_mut().zip([Some(1.0), Some(cost), effective]) {
                column.push(v);
            }
            let n = |v: Option<f64>| v.map_or(String::new(), |v| if v.is_nan() { "NaN".into() } else { v.to_string() });
            csv.push_str(&format!(
                "{},{},{},{},{},{},{},{},2026-10-01T00:00:00Z\n",
                line_type,
                "AmazonEC2",
                "RunInstances",
                resource,
                itype.unwrap_or(""),
                n(Some(1.0)),
                n(Some(cost)),
                n(effective)
            ));
        }
        let mut columns: Vec<Column> = Vec::new();
        for (name, values) in names.iter().zip(&texts) {
            columns.push(Series::new((*name).into(), values.clone()).into());
        }
        for (name, values) in names[5..8].iter().zip(&numbers) {
            columns.push(Series::new((*name).into(), values.clone()).into());
        }
        columns.push(Series::new(names[8].into(), vec!["2026-10-01T00:00:00Z"; lines]).into());
        let mut frame = DataFrame::new_infer_height(columns).unwrap();
        let mut parquet = Vec::new();
        ParquetWriter::new(&mut parquet).with_row_group_size(Some(1000)).finish(&mut frame).unwrap();
        (csv, parquet)
    }

    #[test]
    fn a_parquet_file_reduces_to_the_rows_of_the_same_csv_in_units_of_any_size() {
        let (csv, parquet) = runs(5000);
        let (from_csv, _) =
            reduce_in_chunks(&Source::bytes("cur.csv", csv.into_bytes()), Format::AwsCur, 4096, UNIT_LINES).unwrap();
        let csv_rows = by_key(from_csv);
        // Row groups of 1,000 lines: one unit of the whole file, slices of 333 (runs and the
        // alternating lines cut at their edges), one row group each, two joined.
        for unit in [UNIT_LINES, 300, 1000, 2000] {
            let source = Source::bytes("cur.parquet", parquet.clone());
            let (from_parquet, _) = reduce_in_chunks(&source, Format::AwsCur, CHUNK_BYTES, unit).unwrap();
            assert_eq!(by_key(from_parquet), csv_rows, "units of {unit} lines");
        }
        let invalid: u64 = csv_rows.iter().filter(|(k, _)| k.charge == INVALID).map(|(_, a)| a.line_items).sum();
        assert_eq!(invalid, 1, "the NaN amid equal texts is not a number");
        let first = format!("i-{:017x}", 0);
        let sp = csv_rows.iter().find(|(k, _)| k.resource_id == first && k.instance_type == "c5.large").unwrap().1;
        // 20 covered hours at 0.051 effective; their negations add nothing amortized.
        assert_eq!(sp.bases[2], Some("1.02".parse().unwrap()));
        assert_eq!(sp.hours, rust_decimal::Decimal::from(20));
    }

    #[test]
    fn a_broken_parquet_file_is_an_error_naming_it_not_a_panic() {
        let (_, parquet) = runs(5000);
        let mut truncated = parquet.clone();
        truncated.truncate(parquet.len() / 2);
        let mut scrambled = parquet.clone();
        for b in &mut scrambled[64..parquet.len() / 2] {
            *b = 0xA5;
        }
        for (what, bytes) in [("truncated", truncated), ("scrambled", scrambled)] {
            let source = Source::bytes("cur.parquet", bytes);
            let e = reduce_in_chunks(&source, Format::AwsCur, CHUNK_BYTES, 300).expect_err(what);
            assert_eq!(e.file, "cur.parquet", "{what}: {}", e.message);
        }
    }

    #[test]
    fn large_row_groups_are_sliced_and_small_ones_joined_into_units() {
        // AWS-sized row groups: equal slices of at least a unit each, then the short last one.
        assert_eq!(
            units([250_000, 250_000, 53_163], 65_536),
            [(0, 83_333), (83_333, 83_333), (166_666, 83_334)]
                .into_iter()
                .chain([(250_000, 83_333), (333_333, 83_333), (416_666, 83_334), (500_000, 53_163)])
                .collect::<Vec<_>>()
        );
        assert_eq!(units([1000; 5], 2000), [(0, 2000), (2000, 2000), (4000, 1000)]);
        // Less than twice a unit stays whole; an empty row group is no unit.
        assert_eq!(units([3000, 0, 10, 10], 2000), [(0, 3000), (3000, 20)]);
        assert_eq!(units([0], 2000), []);
    }
}
