//! The reduction of a CUR or FOCUS data file to [`Row`]s, as polars lazy queries: only the
//! columns they name are read (Parquet column chunks, CSV fields), rows are classified, and
//! summed by group. Parquet is scanned on polars' streaming engine; CSV (plain, gzip or zstd)
//! is inflated here as it is read and cut into chunks of whole records, each reduced while the
//! next is read, so memory is a few chunks whatever the file's size. Money is summed exactly,
//! as decimals with ten places (the exports' doubles are read at that precision).
//!
//! The query is the README's aggregation query written in polars' expressions; a test runs
//! the README's SQL text over the same files and checks both give the same import.

use super::rows::{Acc, Key, Row, INVALID};
use super::{key, Data, Source};
use crate::import::{Format, ImportError};
use polars::prelude::*;
use rust_decimal::Decimal;
use std::collections::HashMap;

/// Money and quantities: 38 digits, 10 after the point.
const DEC: DataType = DataType::Decimal(38, SCALE);
const SCALE: usize = 10;

/// The group keys, in [`Key`]'s order, and the sums.
const KEYS: [&str; 9] =
    ["period", "provider", "service", "charge", "currency", "resource_id", "instance_type", "usage_type", "region"];
const SUMS: [&str; 5] = ["hours", "unblended", "net_unblended", "amortized", "net_amortized"];

/// CSV chunks of about this size (plus the rest of their last record) are reduced at a time.
const CHUNK_BYTES: usize = 32 << 20;

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

/// A Parquet data file as a lazy frame, typed as it was written.
fn parquet_frame(source: &Source) -> PolarsResult<LazyFrame> {
    let sources = match &source.data {
        Data::Bytes(b) => ScanSources::Buffers(Arc::new([polars_buffer::Buffer::from(b.clone())])),
        Data::Path(p) => ScanSources::Paths(polars_buffer::Buffer::from(vec![PlRefPath::try_from_path(p)?])),
    };
    // The export's `BILLING_PERIOD=YYYY-MM` folders are not read as a column: the period is in
    // the rows.
    let args = ScanArgsParquet { glob: false, hive_options: HiveOptions::new_disabled(), ..ScanArgsParquet::default() };
    LazyFrame::scan_parquet_sources(sources, args)
}

/// CSV text held in memory (a header and whole records) as a lazy frame of text columns.
fn csv_frame(bytes: Vec<u8>) -> PolarsResult<LazyFrame> {
    LazyCsvReader::new_with_sources(ScanSources::Buffers(Arc::new([polars_buffer::Buffer::from(bytes)])))
        .with_has_header(true)
        .with_infer_schema_length(Some(0))
        .with_truncate_ragged_lines(true)
        .finish()
}

/// A CSV file (plain, gzip or zstd, by its bytes) read as chunks of whole records, each with
/// the header in front: a chunk ends at a newline outside quotes.
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
        if !header.ends_with(b"\n") {
            header.push(b'\n');
        }
        Ok(CsvChunks { reader, chunk_bytes, header, carry: Vec::new(), lines_before: 1, done: false })
    }

    /// The next chunk (header and records) and the lines before its first record.
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
        let mut chunk = Vec::with_capacity(self.header.len() + records.len() + 1);
        chunk.extend_from_slice(&self.header);
        chunk.extend_from_slice(&records);
        Ok(Some((chunk, lines_before)))
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
    let lf = if is_parquet_source(source) {
        parquet_frame(source)
    } else {
        let chunks = CsvChunks::open(source, CHUNK_BYTES).map_err(|e| format!("cannot read: {e}"))?;
        csv_frame(chunks.header)
    };
    let mut lf = lf.map_err(|e| format!("not a readable data file: {e}"))?;
    let schema = lf.collect_schema().map_err(|e| format!("not a readable data file: {e}"))?;
    Ok(schema.iter_names().map(|n| n.to_string()).collect())
}

/// The export's columns by their matching key (`lineitemunblendedcost`).
struct Columns(HashMap<String, (String, bool)>);

impl Columns {
    fn of(lf: &mut LazyFrame, file: &str) -> Result<Self, ImportError> {
        let schema = lf.collect_schema().map_err(|e| ImportError::at(file, Some(1), None, e.to_string()))?;
        Ok(Columns(
            schema
                .iter()
                // Maps, lists and structs (tags, SKU details held as a map) are not read: the
                // reduction needs scalar columns only.
                .filter(|(_, dtype)| !dtype.is_nested())
                .map(|(name, dtype)| (key(name), (name.to_string(), dtype == &DataType::String)))
                .collect(),
        ))
    }

    fn name(&self, keys: &[&str]) -> Option<&(String, bool)> {
        keys.iter().find_map(|k| self.0.get(*k))
    }

    /// A text column, empty where absent or null.
    fn text(&self, keys: &[&str]) -> Expr {
        match self.name(keys) {
            Some((n, _)) => col(n.as_str()).cast(DataType::String).fill_null(lit("")),
            None => lit(""),
        }
    }

    /// A decimal column, null where absent, null or not a number.
    fn number(&self, keys: &[&str]) -> Expr {
        match self.name(keys) {
            Some((n, _)) => col(n.as_str()).cast(DEC),
            None => lit(NULL).cast(DEC),
        }
    }

    /// Rows whose value in a text column is not empty yet not a number.
    fn not_a_number(&self, keys: &[&str]) -> Expr {
        match self.name(keys) {
            Some((n, true)) => {
                let raw = col(n.as_str()).fill_null(lit(""));
                raw.clone().neq(lit("")).and(raw.cast(DEC).is_null())
            }
            _ => lit(false),
        }
    }

    /// The billing period as the export writes it (a timestamp, or its text): grouped on as it
    /// is (its month is taken from the few groups), or, without one, each row's own month.
    fn period(&self, period: &[&str], fallback: &[&str]) -> Expr {
        match (self.name(period), self.name(fallback)) {
            (Some((n, _)), _) => col(n.as_str()),
            (None, Some((n, _))) => col(n.as_str()).cast(DataType::String).str().slice(lit(0), lit(7)),
            (None, None) => lit(""),
        }
    }

    fn required(&self, file: &str, keys: &[&str], shown: &str) -> Result<(), ImportError> {
        match self.name(keys) {
            Some(_) => Ok(()),
            None => Err(ImportError::at(file, Some(1), Some(shown.into()), "missing column")),
        }
    }
}

fn zero() -> Expr {
    lit(0).cast(DEC)
}

/// The first of the text expressions that is not empty.
fn first_text(a: Expr, b: Expr) -> Expr {
    when(a.clone().neq(lit(""))).then(a).otherwise(b)
}

/// The CUR's (or FOCUS's) columns reduced to the keys and summed amounts of [`Row`].
fn reduce_expressions(c: &Columns, format: Format) -> (Vec<Expr>, Expr) {
    if format == Format::Focus {
        return focus_expressions(c);
    }
    let text = |k: &str| c.text(&[k]);
    let num = |k: &str| c.number(&[k]);
    let lt = text("lineitemlineitemtype");
    let is = |v: &str| lt.clone().eq(lit(v));
    let product = text("lineitemproductcode");
    let operation = text("lineitemoperation");
    let arn = text("reservationreservationarn");
    let uc = num("lineitemunblendedcost");
    let nuc = num("lineitemnetunblendedcost");
    let net = |gross: Expr, net: Expr| net.fill_null(gross).fill_null(zero());
    let commitment = is("RIFee")
        .or(is("SavingsPlanRecurringFee"))
        .or(is("SavingsPlanUpfrontFee"))
        .or(is("Fee").and(arn.clone().neq(lit(""))));
    let charge = when(c.not_a_number(&["lineitemunblendedcost"]))
        .then(lit(INVALID))
        .when(is("Tax"))
        .then(lit("tax"))
        .when(is("Credit"))
        .then(lit("credit"))
        .when(is("Refund"))
        .then(lit("refund"))
        .when(lt.clone().str().ends_with(lit("Discount")))
        .then(lit("discount"))
        .when(commitment)
        .then(lit("commitment"))
        .otherwise(lit("usage"));
    // Rows that may be instance hours keep their instance; the rest group by service alone.
    let covered_or_usage = is("Usage").or(is("DiscountedUsage")).or(is("SavingsPlanCoveredUsage"));
    let candidate = product
        .clone()
        .eq(lit("AmazonEC2"))
        .and(operation.clone().str().starts_with(lit("RunInstances")))
        .and(covered_or_usage.clone().or(is("SavingsPlanNegation")));
    let kept = |e: Expr| when(candidate.clone()).then(e).otherwise(lit(""));
    let period = c.period(&["billbillingperiodstartdate"], &["lineitemusagestartdate"]);
    let service = first_text(text("productservicecode"), product.clone());
    let sp_unused =
        num("savingsplantotalcommitmenttodate").fill_null(zero()) - num("savingsplanusedcommitment").fill_null(zero());
    let amortized = when(is("SavingsPlanCoveredUsage"))
        .then(num("savingsplansavingsplaneffectivecost").fill_null(zero()))
        .when(is("SavingsPlanRecurringFee"))
        .then(sp_unused.clone())
        .when(is("SavingsPlanNegation").or(is("SavingsPlanUpfrontFee")))
        .then(zero())
        .when(is("DiscountedUsage"))
        .then(num("reservationeffectivecost").fill_null(zero()))
        .when(is("RIFee"))
        .then(
            num("reservationunusedamortizedupfrontfeeforbillingperiod").fill_null(zero())
                + num("reservationunusedrecurringfee").fill_null(zero()),
        )
        .when(is("Fee").and(arn.clone().neq(lit(""))))
        .then(zero())
        .otherwise(uc.clone().fill_null(zero()));
    let net_amortized = when(is("SavingsPlanCoveredUsage"))
        .then(net(num("savingsplansavingsplaneffectivecost"), num("savingsplannetsavingsplaneffectivecost")))
        .when(is("SavingsPlanRecurringFee"))
        .then(sp_unused)
        .when(is("SavingsPlanNegation").or(is("SavingsPlanUpfrontFee")))
        .then(zero())
        .when(is("DiscountedUsage"))
        .then(net(num("reservationeffectivecost"), num("reservationneteffectivecost")))
        .when(is("RIFee"))
        .then(
            net(
                num("reservationunusedamortizedupfrontfeeforbillingperiod"),
                num("reservationnetunusedamortizedupfrontfeeforbillingperiod"),
            ) + net(num("reservationunusedrecurringfee"), num("reservationnetunusedrecurringfee")),
        )
        .when(is("Fee").and(arn.neq(lit(""))))
        .then(zero())
        .otherwise(net(uc.clone(), nuc.clone()));
    let hours = when(candidate.clone().and(covered_or_usage))
        .then(num("lineitemusageamount").fill_null(zero()))
        .otherwise(zero());
    let columns = vec![
        period.alias("period"),
        lit("AWS").alias("provider"),
        service.alias("service"),
        charge.alias("charge"),
        text("lineitemcurrencycode").alias("currency"),
        kept(text("lineitemresourceid")).alias("resource_id"),
        kept(text("productinstancetype")).alias("instance_type"),
        kept(text("lineitemusagetype")).alias("usage_type"),
        kept(c.text(&["productregioncode", "productregion"])).alias("region"),
        hours.alias("hours"),
        uc.clone().fill_null(zero()).alias("unblended"),
        net(uc, nuc).alias("net_unblended"),
        amortized.alias("amortized"),
        net_amortized.alias("net_amortized"),
    ];
    // Split cost allocation rows re-distribute the instance's cost: counting both doubles it.
    let keep = operation.clone().neq(lit("EKSPod-EC2")).and(operation.neq(lit("ECSTask-EC2")));
    (columns, keep)
}

/// FOCUS: `BilledCost` is the invoice (net unblended), `EffectiveCost` the amortized net cost;
/// compute instances are AWS's EC2 `RunInstances` hours and Azure's `Virtual Machines`.
fn focus_expressions(c: &Columns) -> (Vec<Expr>, Expr) {
    let text = |k: &str| c.text(&[k]);
    let num = |k: &str| c.number(&[k]);
    let category = text("chargecategory");
    let unused = text("commitmentdiscountstatus").eq(lit("Unused"));
    let charge = when(c.not_a_number(&["billedcost"]))
        .then(lit(INVALID))
        .when(unused.clone())
        .then(lit("commitment"))
        .when(category.clone().eq(lit("Tax")))
        .then(lit("tax"))
        .when(category.clone().eq(lit("Credit")))
        .then(lit("credit"))
        .when(category.clone().eq(lit("Adjustment")))
        .then(lit("adjustment"))
        .when(category.clone().eq(lit("Purchase")))
        .then(lit("commitment"))
        .otherwise(lit("usage"));
    let used = category.eq(lit("Usage")).and(unused.not());
    let aws = text("xservicecode").eq(lit("AmazonEC2")).and(text("xoperation").str().starts_with(lit("RunInstances")));
    let azure = text("xskumetercategory").eq(lit("Virtual Machines"));
    let candidate = used.and(aws.or(azure));
    let kept = |e: Expr| when(candidate.clone()).then(e).otherwise(lit(""));
    let period = c.period(&["billingperiodstart"], &["chargeperiodstart"]);
    let columns = vec![
        period.alias("period"),
        text("providername").alias("provider"),
        text("servicename").alias("service"),
        charge.alias("charge"),
        text("billingcurrency").alias("currency"),
        kept(text("resourceid")).alias("resource_id"),
        kept(first_text(text("xskudetails"), text("skupricedetails"))).alias("instance_type"),
        kept(first_text(text("skumeter"), text("xusagetype"))).alias("usage_type"),
        kept(text("regionid")).alias("region"),
        when(candidate.clone()).then(num("consumedquantity").fill_null(zero())).otherwise(zero()).alias("hours"),
        lit(NULL).cast(DEC).alias("unblended"),
        num("billedcost").fill_null(zero()).alias("net_unblended"),
        lit(NULL).cast(DEC).alias("amortized"),
        num("effectivecost").fill_null(zero()).alias("net_amortized"),
    ];
    (columns, lit(true))
}

/// Reduces one CUR or FOCUS data file to rows, with the line of its first record whose cost
/// is not a number (CSV only).
pub(super) fn reduce(source: &Source, format: Format) -> Result<(Vec<Row>, Option<u64>), ImportError> {
    reduce_in_chunks(source, format, CHUNK_BYTES)
}

fn reduce_in_chunks(
    source: &Source,
    format: Format,
    chunk_bytes: usize,
) -> Result<(Vec<Row>, Option<u64>), ImportError> {
    let mut error = None;
    let rows = guarded(|| {
        reduce_unguarded(source, format, chunk_bytes).map_err(|e| {
            let message = e.message.clone();
            error = Some(e);
            message
        })
    });
    rows.map_err(|m| error.unwrap_or_else(|| ImportError::at(&source.name, None, None, m)))
}

fn reduce_unguarded(
    source: &Source,
    format: Format,
    chunk_bytes: usize,
) -> Result<(Vec<Row>, Option<u64>), ImportError> {
    let file = source.name.as_str();
    let fail = |e: PolarsError| ImportError::at(file, None, None, format!("cannot read the export: {e}"));
    if is_parquet_source(source) {
        let lf = parquet_frame(source).map_err(fail)?;
        let (rows, _) = reduce_frame(lf, file, format, Engine::Streaming)?;
        return Ok((rows, None));
    }
    let cannot = |e: std::io::Error| ImportError::at(file, None, None, format!("cannot read: {e}"));
    let mut chunks = CsvChunks::open(source, chunk_bytes).map_err(cannot)?;
    // One thread reads (and inflates) the next chunk while this one reduces the last.
    let (tx, rx) = std::sync::mpsc::sync_channel::<std::io::Result<(Vec<u8>, u64)>>(1);
    std::thread::scope(|scope| {
        scope.spawn(move || loop {
            let next = chunks.next().transpose();
            let stop = !matches!(next, Some(Ok(_)));
            if let Some(chunk) = next {
                if tx.send(chunk).is_err() {
                    break;
                }
            }
            if stop {
                break;
            }
        });
        let mut rows = Vec::new();
        let mut first_invalid = None;
        for chunk in rx {
            let (bytes, lines_before) = chunk.map_err(cannot)?;
            let (mut part, c) = reduce_frame(csv_frame(bytes.clone()).map_err(fail)?, file, format, Engine::InMemory)?;
            if first_invalid.is_none() && part.iter().any(|r| r.key.charge == INVALID) {
                let header = memchr::memchr(b'\n', &bytes).map_or(bytes.len(), |i| i + 1);
                let records = bytes[header..].to_vec();
                first_invalid = first_invalid_row(bytes, &c, format)
                    .map(|row| lines_before + lines_before_record(&records, row) + 1);
            }
            rows.append(&mut part);
        }
        Ok((rows, first_invalid))
    })
}

/// The rows of one frame: its columns found, reduced, grouped and summed.
fn reduce_frame(
    mut lf: LazyFrame,
    file: &str,
    format: Format,
    engine: Engine,
) -> Result<(Vec<Row>, Columns), ImportError> {
    let fail = |e: PolarsError| ImportError::at(file, None, None, format!("cannot read the export: {e}"));
    let c = Columns::of(&mut lf, file)?;
    if format == Format::Focus {
        c.required(file, &["billedcost"], "BilledCost")?;
        c.required(file, &["effectivecost"], "EffectiveCost")?;
        c.required(file, &["chargecategory"], "ChargeCategory")?;
    } else {
        c.required(file, &["lineitemunblendedcost"], "lineItem/UnblendedCost")?;
        c.required(file, &["lineitemproductcode"], "lineItem/ProductCode")?;
    }
    let (columns, keep) = reduce_expressions(&c, format);
    let mut sums: Vec<Expr> = SUMS.iter().map(|s| col(*s).sum().alias(*s)).collect();
    // A FOCUS export has no gross bases: they stay null rather than sum to zero.
    if format == Format::Focus {
        sums[1] = lit(NULL).cast(DEC).alias("unblended");
        sums[3] = lit(NULL).cast(DEC).alias("amortized");
    }
    sums.push(len().alias("line_items"));
    // Without common-subexpression elimination: on the in-memory engine it turns the repeated
    // literals of these expressions into a column of one row, which polars then refuses.
    let flags = lf.get_current_optimizations() & !OptFlags::COMM_SUBEXPR_ELIM;
    let df = lf
        .with_optimizations(flags)
        .filter(keep)
        .select(columns)
        .group_by(KEYS.iter().map(|k| col(*k)).collect::<Vec<_>>())
        .agg(sums)
        // The few groups' periods as text (a timestamp's month is its first seven characters).
        .with_column(col("period").cast(DataType::String))
        .collect_with_engine(engine)
        .map(|r| r.unwrap_single())
        .map_err(fail)?;
    Ok((rows_of(&df).map_err(fail)?, c))
}

/// The grouped frame as rows.
fn rows_of(df: &DataFrame) -> PolarsResult<Vec<Row>> {
    let texts: Vec<&StringChunked> =
        KEYS.iter().map(|k| df.column(k).and_then(|c| c.str())).collect::<PolarsResult<_>>()?;
    let sums: Vec<Option<&DecimalChunked>> =
        SUMS.iter().map(|s| df.column(s).ok().and_then(|c| c.decimal().ok())).collect();
    let counts = df.column("line_items")?.cast(&DataType::UInt64)?;
    let counts = counts.u64()?;
    let value = |i: usize, s: usize| -> Option<Decimal> {
        let d = sums[s]?;
        let v = d.physical().get(i)?;
        // Beyond what a decimal holds: kept as the largest, which the import then refuses.
        Some(Decimal::try_from_i128_with_scale(v, d.scale() as u32).unwrap_or(Decimal::MAX))
    };
    let mut rows = Vec::with_capacity(df.height());
    for i in 0..df.height() {
        let t = |k: usize| texts[k].get(i).unwrap_or_default().to_string();
        rows.push(Row {
            key: Key {
                period: texts[0].get(i).unwrap_or_default().chars().take(7).collect(),
                provider: t(1),
                service: t(2),
                charge: t(3),
                currency: t(4),
                resource_id: t(5),
                instance_type: t(6),
                usage_type: t(7),
                region: t(8),
            },
            acc: Acc {
                hours: value(i, 0).unwrap_or_default(),
                bases: [value(i, 1), value(i, 2), value(i, 3), value(i, 4)],
                line_items: counts.get(i).unwrap_or(0),
            },
        });
    }
    Ok(rows)
}

/// The newlines before record `record` (0-based) of CSV records: a quoted field may hold some.
fn lines_before_record(records: &[u8], record: u64) -> u64 {
    let (mut seen, mut lines, mut quoted) = (0u64, 0u64, false);
    for b in records {
        if seen == record {
            break;
        }
        match b {
            b'"' => quoted = !quoted,
            b'\n' => {
                lines += 1;
                if !quoted {
                    seen += 1;
                }
            }
            _ => {}
        }
    }
    lines
}

/// The 0-based record of a CSV chunk whose cost is not a number.
fn first_invalid_row(bytes: Vec<u8>, c: &Columns, format: Format) -> Option<u64> {
    let cost = if format == Format::Focus { "billedcost" } else { "lineitemunblendedcost" };
    let df = csv_frame(bytes)
        .ok()?
        .with_row_index("row", None)
        .filter(c.not_a_number(&[cost]))
        .select([col("row")])
        .limit(1)
        .collect()
        .ok()?;
    let row = df.column("row").ok()?.cast(&DataType::UInt64).ok()?;
    row.u64().ok()?.get(0)
}

#[cfg(test)]
mod tests {
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
        let (whole, first) = reduce_in_chunks(&source, Format::AwsCur, 64 << 20).unwrap();
        let (small, first_small) = reduce_in_chunks(&source, Format::AwsCur, 4096).unwrap();
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
}
