//! `tco pricing import-offer-file`: AWS Price List bulk offer files into a snapshot.
//!
//! - EC2 CSV (5 metadata lines, then a header; columns found by name, never by position):
//!   a streaming pre-filter keeps only lines whose `TermType` field is `OnDemand` and that
//!   mention Linux, Shared and Compute Instance; polars then scans those lines lazily with
//!   projection (only the columns used) and the exact predicate (Linux, Shared tenancy, no
//!   pre-installed software, capacity Used, no licence, OnDemand market, USD per hour).
//!   Memory is bounded by the matching rows, not the file.
//! - EC2 JSON (`products` then `terms`): streamed with serde, keeping only matching products
//!   and their on-demand prices; `Reserved` terms are skipped without being held.
//! - Savings Plans CSV: Linux shared-tenancy (`RunInstances`, `BoxUsage`) rates become
//!   commitment rows.
//!
//! Memory is kept exactly as the file states it (`0.613 GiB`, `1.7 GiB`, `17.1 GiB`). A matching
//! row whose price, vCPU or memory cannot be read fails the whole import, naming the line (CSV)
//! or SKU (JSON) and the field, and nothing is written: an import replaces a region's prices,
//! so skipping a row would silently drop that type from the region.

use super::{apply_and_write, PricingError};
use memchr::memmem::Finder;
use polars::prelude::*;
use rust_decimal::Decimal;
use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::str::FromStr;
use tco_engine::catalog::Arch;
use tco_engine::catalog::{Commitment, Provenance};
use tco_pricing_data::update::{apply_commitments, Ec2Offer};

/// The kinds of offer file this reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OfferFile {
    /// AmazonEC2 CSV.
    Ec2Csv,
    /// AmazonEC2 JSON.
    Ec2Json,
    /// Savings Plans CSV.
    SavingsPlansCsv,
}

/// Why an offer file cannot be imported.
#[derive(Debug, thiserror::Error)]
pub enum OfferFileError {
    /// The file cannot be opened or read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// Not an offer file this reads.
    #[error("{path}: {why}")]
    Unsupported {
        /// The file.
        path: String,
        /// What it is instead.
        why: String,
    },
    /// The header lacks a column the import needs.
    #[error("{path}: line {line}: column `{column}` is missing{hint}")]
    MissingColumn {
        /// The file.
        path: String,
        /// The header's line.
        line: u64,
        /// The column.
        column: String,
        /// Why it may be missing.
        hint: String,
    },
    /// A matching row cannot be read.
    #[error("{path}: {at}: field `{field}`: {problem}")]
    Row {
        /// The file.
        path: String,
        /// `line N, SKU X` (CSV) or `SKU X` (JSON).
        at: String,
        /// The field.
        field: String,
        /// What is wrong with it.
        problem: String,
    },
    /// The file is not well-formed CSV or JSON.
    #[error("{path}: {message}")]
    Malformed {
        /// The file.
        path: String,
        /// The parser's words, with the position.
        message: String,
    },
    /// Nothing in the file matched.
    #[error("{path}: no {what}{region}")]
    Empty {
        /// The file.
        path: String,
        /// What was looked for.
        what: &'static str,
        /// ` for REGION` when one was asked for.
        region: String,
    },
}

fn read_error(path: &Path) -> impl FnOnce(std::io::Error) -> OfferFileError + '_ {
    move |source| OfferFileError::Read { path: path.display().to_string(), source }
}

fn malformed(path: &Path, message: impl fmt::Display) -> OfferFileError {
    OfferFileError::Malformed { path: path.display().to_string(), message: message.to_string() }
}

/// Which kind of offer file, from its first bytes.
pub fn sniff(path: &Path) -> Result<OfferFile, OfferFileError> {
    let mut head = vec![0u8; 64 * 1024];
    let n = std::fs::File::open(path).map_err(read_error(path))?.read(&mut head).map_err(read_error(path))?;
    let unsupported = |why: String| OfferFileError::Unsupported { path: path.display().to_string(), why };
    let head = String::from_utf8_lossy(&head[..n]);
    let trimmed = head.trim_start();
    if trimmed.starts_with('{') {
        if head.contains("\"AmazonEC2\"") {
            return Ok(OfferFile::Ec2Json);
        }
        return Err(unsupported(
            "a JSON offer file other than AmazonEC2; only EC2 JSON offers are read (use the CSV for Savings Plans)"
                .into(),
        ));
    }
    let lines: Vec<&str> = head.lines().take(7).collect();
    let offer_code = lines.iter().find(|l| l.trim_matches('"').starts_with("OfferCode")).map(|l| l.replace('"', ""));
    match offer_code.as_deref() {
        Some("OfferCode,AmazonEC2") => Ok(OfferFile::Ec2Csv),
        Some(code) if code.contains("SavingsPlan") => Ok(OfferFile::SavingsPlansCsv),
        Some(code) => Err(unsupported(format!(
            "offer `{}` is not read here (AmazonEC2 and Savings Plans are)",
            code.trim_start_matches("OfferCode,")
        ))),
        None => Err(unsupported("not an AWS Price List offer file (no OfferCode line in the first lines)".into())),
    }
}

/// Imports the file into the snapshot in `dir`; returns the change summary.
pub fn run(file: &Path, region: Option<&str>, dir: &Path) -> Result<String, PricingError> {
    let today = crate::table::today();
    let mut out = String::new();
    match sniff(file)? {
        kind @ (OfferFile::Ec2Csv | OfferFile::Ec2Json) => {
            let offers =
                if kind == OfferFile::Ec2Csv { read_ec2_csv(file, region)? } else { read_ec2_json(file, region)? };
            if offers.is_empty() {
                return Err(OfferFileError::Empty {
                    path: file.display().to_string(),
                    what: "Linux shared-tenancy on-demand rows",
                    region: region.map(|r| format!(" for {r}")).unwrap_or_default(),
                }
                .into());
            }
            let mut by_region: BTreeMap<String, Vec<Ec2Offer>> = BTreeMap::new();
            for o in offers {
                by_region.entry(o.region.clone()).or_default().push(o);
            }
            let by_region: Vec<(String, Vec<Ec2Offer>)> = by_region.into_iter().collect();
            for (region, diff) in apply_and_write(dir, &by_region, &[], &today)? {
                out.push_str(&format!("{region}: {diff}"));
            }
        }
        OfferFile::SavingsPlansCsv => {
            let commitments = read_savings_plans_csv(file, region)?;
            if commitments.is_empty() {
                return Err(OfferFileError::Empty {
                    path: file.display().to_string(),
                    what: "Linux shared-tenancy Savings Plan rates",
                    region: region.map(|r| format!(" for {r}")).unwrap_or_default(),
                }
                .into());
            }
            let snapshot = super::starting_snapshot(dir)?;
            let (next, n) = apply_commitments(&snapshot, &commitments, &today)?;
            next.write_dir(dir)?;
            out.push_str(&format!("{n} Savings Plan rates written\n"));
        }
    }
    out.push_str(&format!("snapshot written to {}\n", dir.display()));
    Ok(out)
}

/// A CSV offer's metadata lines.
struct Metadata {
    publication_date: String,
    version: String,
    /// The header's 1-based line.
    header_line: u64,
}

/// Reads the metadata lines up to the header; returns them, the header, and the header line's
/// bytes.
fn read_preamble(reader: &mut impl BufRead, file: &Path) -> Result<(Metadata, Vec<String>, Vec<u8>), OfferFileError> {
    let mut meta = Metadata { publication_date: String::new(), version: String::new(), header_line: 0 };
    let mut raw = Vec::new();
    for line_no in 1..=20 {
        let mut line = Vec::new();
        reader.read_until(b'\n', &mut line).map_err(read_error(file))?;
        if line.is_empty() {
            break;
        }
        let text = String::from_utf8_lossy(&line).trim_end().to_string();
        let fields = split_csv_line(&text);
        match fields.first().map(String::as_str) {
            Some("Publication Date") => meta.publication_date = fields.get(1).cloned().unwrap_or_default(),
            Some("Version") => meta.version = fields.get(1).cloned().unwrap_or_default(),
            Some("SKU") => {
                raw.extend_from_slice(&line);
                meta.header_line = line_no;
                return Ok((meta, fields, raw));
            }
            _ => {}
        }
        if line_no == 20 {
            break;
        }
    }
    Err(OfferFileError::Unsupported {
        path: file.display().to_string(),
        why: "no header line starting with SKU in the first 20 lines".into(),
    })
}

/// Splits one CSV line (quoted fields, doubled quotes) into fields.
fn split_csv_line(line: &str) -> Vec<String> {
    let mut r = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(line.as_bytes());
    r.records().next().and_then(Result::ok).map(|rec| rec.iter().map(str::to_string).collect()).unwrap_or_default()
}

/// The byte range of field `index` in a CSV line (quoted or not), if the line has it.
fn field(line: &[u8], index: usize) -> Option<&[u8]> {
    let mut start = 0;
    for _ in 0..index {
        start = skip_field(line, start)? + 1;
    }
    let end = skip_field(line, start)?;
    let f = &line[start..end];
    Some(f.strip_prefix(b"\"").and_then(|f| f.strip_suffix(b"\"")).unwrap_or(f))
}

/// The index of the comma (or end) closing the field that starts at `start`.
fn skip_field(line: &[u8], start: usize) -> Option<usize> {
    if start > line.len() {
        return None;
    }
    if line.get(start) == Some(&b'"') {
        let mut i = start + 1;
        loop {
            let q = i + memchr::memchr(b'"', &line[i..])?;
            if line.get(q + 1) == Some(&b'"') {
                i = q + 2;
            } else {
                return Some(q + 1);
            }
        }
    }
    Some(memchr::memchr(b',', &line[start..]).map_or(line.len(), |c| start + c))
}

/// The columns the EC2 import reads, by name.
const EC2_COLUMNS: [&str; 15] = [
    "SKU",
    "TermType",
    "Unit",
    "PricePerUnit",
    "Currency",
    "Product Family",
    "Instance Type",
    "Tenancy",
    "Operating System",
    "Pre Installed S/W",
    "License Model",
    "CapacityStatus",
    "vCPU",
    "Memory",
    "Physical Processor",
];

/// The name of the column the import appends to each kept line: its line in the file.
const LINE_COLUMN: &str = "__line";

/// EC2 on-demand Linux shared-tenancy offers from an AmazonEC2 CSV offer file.
pub fn read_ec2_csv(path: &Path, region: Option<&str>) -> Result<Vec<Ec2Offer>, OfferFileError> {
    let file = std::fs::File::open(path).map_err(read_error(path))?;
    let mut reader = BufReader::with_capacity(8 << 20, file);
    let (meta, header, header_raw) = read_preamble(&mut reader, path)?;
    let index = |name: &str| header.iter().position(|h| h == name);
    let missing = |column: &str, hint: &str| OfferFileError::MissingColumn {
        path: path.display().to_string(),
        line: meta.header_line,
        column: column.into(),
        hint: hint.into(),
    };
    for name in EC2_COLUMNS {
        if index(name).is_none() {
            return Err(missing(name, " from the header"));
        }
    }
    if index("Region Code").is_none() {
        return Err(missing("Region Code", " (offer files before 2021 name regions only by Location)"));
    }
    let market_col = index("MarketOption");
    let term_col = index("TermType").expect("checked");

    // Fast path: keep the header and the lines that can match, in memory (bounded by matches),
    // each with its line number appended as one more column, for errors.
    let mut kept = trim_line_end(&header_raw).to_vec();
    kept.extend_from_slice(format!(",\"{LINE_COLUMN}\"\n").as_bytes());
    let needles = [Finder::new(b"\"Linux\""), Finder::new(b"\"Shared\""), Finder::new(b"\"Compute Instance\"")];
    let region_needle = region.map(|r| format!("\"{r}\""));
    let region_finder = region_needle.as_deref().map(|r| Finder::new(r.as_bytes()));
    let mut partial: Vec<u8> = Vec::new();
    let mut line_no = meta.header_line;
    let mut keep = |line: &[u8], kept: &mut Vec<u8>| {
        line_no += 1;
        let line = trim_line_end(line);
        if field(line, term_col) == Some(b"OnDemand".as_slice())
            && needles.iter().all(|f| f.find(line).is_some())
            && region_finder.as_ref().is_none_or(|f| f.find(line).is_some())
        {
            kept.extend_from_slice(line);
            kept.extend_from_slice(format!(",\"{line_no}\"\n").as_bytes());
        }
    };
    loop {
        let buf = reader.fill_buf().map_err(read_error(path))?;
        if buf.is_empty() {
            if !partial.is_empty() {
                let line = std::mem::take(&mut partial);
                keep(&line, &mut kept);
            }
            break;
        }
        let len = buf.len();
        let mut start = 0;
        while let Some(i) = memchr::memchr(b'\n', &buf[start..]) {
            let end = start + i;
            if partial.is_empty() {
                keep(&buf[start..end], &mut kept);
            } else {
                partial.extend_from_slice(&buf[start..end]);
                let line = std::mem::take(&mut partial);
                keep(&line, &mut kept);
            }
            start = end + 1;
        }
        partial.extend_from_slice(&buf[start..]);
        reader.consume(len);
    }

    // Exact filter and projection in polars, over the kept lines.
    let mut columns: Vec<&str> = EC2_COLUMNS.to_vec();
    columns.push("Region Code");
    columns.push(LINE_COLUMN);
    let mut predicate = col("TermType")
        .eq(lit("OnDemand"))
        .and(col("Unit").eq(lit("Hrs")))
        .and(col("Currency").eq(lit("USD")))
        .and(col("Product Family").eq(lit("Compute Instance")))
        .and(col("Tenancy").eq(lit("Shared")))
        .and(col("Operating System").eq(lit("Linux")))
        .and(col("Pre Installed S/W").eq(lit("NA")))
        .and(col("License Model").eq(lit("No License required")))
        .and(col("CapacityStatus").eq(lit("Used")));
    if market_col.is_some() {
        columns.push("MarketOption");
        predicate = predicate.and(col("MarketOption").eq(lit("OnDemand")));
    }
    if let Some(r) = region {
        predicate = predicate.and(col("Region Code").eq(lit(r)));
    }
    let source = polars::prelude::ScanSources::Buffers(Arc::new([polars_buffer::Buffer::from(kept)]));
    let frame = LazyCsvReader::new_with_sources(source)
        .with_has_header(true)
        .with_infer_schema_length(Some(0))
        .finish()
        .and_then(|lf| lf.select(columns.iter().map(|c| col(*c)).collect::<Vec<_>>()).filter(predicate).collect())
        .map_err(|e| malformed(path, e))?;

    let text = |name: &str| -> Result<Vec<Option<String>>, OfferFileError> {
        let s = frame.column(name).map_err(|e| malformed(path, e))?;
        let s = s.str().map_err(|e| malformed(path, e))?;
        Ok((0..s.len()).map(|i| s.get(i).map(str::to_string)).collect())
    };
    let (skus, types, prices, vcpus, memories, processors, regions, lines) = (
        text("SKU")?,
        text("Instance Type")?,
        text("PricePerUnit")?,
        text("vCPU")?,
        text("Memory")?,
        text("Physical Processor")?,
        text("Region Code")?,
        text(LINE_COLUMN)?,
    );
    let as_of = meta.publication_date.get(..10).unwrap_or_default().to_string();
    let source = format!("AWS Price List bulk offer file AmazonEC2 version {}", meta.version);
    let mut best: BTreeMap<(String, String), Ec2Offer> = BTreeMap::new();
    for i in 0..frame.height() {
        let at = format!("line {}, SKU {}", lines[i].as_deref().unwrap_or("?"), skus[i].as_deref().unwrap_or_default());
        let cell = |v: &Option<String>| v.as_deref().unwrap_or_default().to_string();
        let offer = Ec2Offer {
            usd_per_hour: read_price(path, &at, "PricePerUnit", &cell(&prices[i]))?,
            instance_type: required(path, &at, "Instance Type", cell(&types[i]))?,
            region: required(path, &at, "Region Code", cell(&regions[i]))?,
            vcpu: read_vcpu(path, &at, "vCPU", &cell(&vcpus[i]))?,
            memory_gib: read_gib(path, &at, "Memory", &cell(&memories[i]))?,
            arch: processors[i].as_deref().map(arch_of),
            source: source.clone(),
            as_of: as_of.clone(),
        };
        let key = (offer.region.clone(), offer.instance_type.clone());
        match best.get(&key) {
            Some(b) if b.usd_per_hour <= offer.usd_per_hour => {}
            _ => {
                best.insert(key, offer);
            }
        }
    }
    Ok(best.into_values().filter(|o| o.usd_per_hour > Decimal::ZERO).collect())
}

/// A line without its `\r\n` or `\n`.
fn trim_line_end(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

fn bad_row(path: &Path, at: &str, field: &str, problem: String) -> OfferFileError {
    OfferFileError::Row { path: path.display().to_string(), at: at.to_string(), field: field.into(), problem }
}

fn required(path: &Path, at: &str, field: &str, value: String) -> Result<String, OfferFileError> {
    if value.trim().is_empty() {
        return Err(bad_row(path, at, field, "missing".into()));
    }
    Ok(value)
}

fn read_price(path: &Path, at: &str, field: &str, value: &str) -> Result<Decimal, OfferFileError> {
    Decimal::from_str(value.trim()).map_err(|_| bad_row(path, at, field, format!("`{value}` is not a number")))
}

/// `"8"` → 8; empty or `NA` → unknown.
fn read_vcpu(path: &Path, at: &str, field: &str, value: &str) -> Result<Option<u32>, OfferFileError> {
    match value.trim() {
        "" | "NA" => Ok(None),
        v => v.parse().map(Some).map_err(|_| bad_row(path, at, field, format!("`{value}` is not a whole number"))),
    }
}

/// `"0.613 GiB"` → 0.613 exactly; empty or `NA` → unknown.
fn read_gib(path: &Path, at: &str, field: &str, value: &str) -> Result<Option<Decimal>, OfferFileError> {
    match value.trim() {
        "" | "NA" => Ok(None),
        v => parse_gib(v)
            .filter(|g| *g > Decimal::ZERO)
            .map(Some)
            .ok_or_else(|| bad_row(path, at, field, format!("`{value}` is not a memory size in GiB"))),
    }
}

/// `"16 GiB"` → 16, `"1,952 GiB"` → 1952, `"0.613 GiB"` → 0.613.
fn parse_gib(v: &str) -> Option<Decimal> {
    Decimal::from_str(v.trim().trim_end_matches("GiB").trim().replace(',', "").as_str()).ok()
}

/// Graviton processors and Apple silicon (`Apple M2 Pro chip`) are arm64; the rest of the
/// EC2 catalog is x86_64.
fn arch_of(processor: &str) -> Arch {
    if processor.contains("Graviton") || processor.contains("ARM") || processor.starts_with("Apple M") {
        Arch::Arm64
    } else {
        Arch::X86_64
    }
}

/// The product attributes the EC2 import keeps.
#[derive(Deserialize)]
struct Product {
    sku: String,
    #[serde(rename = "productFamily", default)]
    product_family: String,
    #[serde(default)]
    attributes: HashMap<String, String>,
}

#[derive(Deserialize)]
struct Term {
    #[serde(rename = "priceDimensions")]
    price_dimensions: HashMap<String, Dimension>,
}

#[derive(Deserialize)]
struct Dimension {
    unit: String,
    #[serde(rename = "pricePerUnit")]
    price_per_unit: HashMap<String, String>,
}

/// A matching product's region, type, vCPU, memory and processor, as written (read and
/// checked once its price is known).
type ProductInfo = (String, String, Option<String>, Option<String>, Option<String>);

/// What the streaming JSON pass collects.
#[derive(Default)]
struct JsonOffer {
    version: String,
    publication_date: String,
    /// SKU → (region, type, vCPU, memory, processor) of matching products.
    products: HashMap<String, ProductInfo>,
    /// SKU → on-demand USD per hour.
    prices: HashMap<String, String>,
}

struct Top<'a> {
    region: Option<&'a str>,
}

impl<'de> DeserializeSeed<'de> for Top<'_> {
    type Value = JsonOffer;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<JsonOffer, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Top<'_> {
    type Value = JsonOffer;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an AWS offer file object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<JsonOffer, A::Error> {
        let mut out = JsonOffer::default();
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "version" => out.version = map.next_value()?,
                "publicationDate" => out.publication_date = map.next_value()?,
                "products" => out.products = map.next_value_seed(Products { region: self.region })?,
                "terms" => out.prices = map.next_value_seed(Terms)?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(out)
    }
}

struct Products<'a> {
    region: Option<&'a str>,
}

impl<'de> DeserializeSeed<'de> for Products<'_> {
    type Value = HashMap<String, ProductInfo>;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Products<'_> {
    type Value = HashMap<String, ProductInfo>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("the products object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = HashMap::new();
        while let Some((_, p)) = map.next_entry::<IgnoredAny, Product>()? {
            let a = &p.attributes;
            let get = |k: &str| a.get(k).map(String::as_str);
            let matches = p.product_family == "Compute Instance"
                && get("operatingSystem") == Some("Linux")
                && get("tenancy") == Some("Shared")
                && get("preInstalledSw") == Some("NA")
                && get("capacitystatus") == Some("Used")
                && get("licenseModel").is_none_or(|l| l == "No License required")
                && get("marketoption").is_none_or(|m| m == "OnDemand")
                && self.region.is_none_or(|r| get("regionCode") == Some(r));
            let (Some(region), Some(instance_type)) = (get("regionCode"), get("instanceType")) else { continue };
            if matches {
                out.insert(
                    p.sku.clone(),
                    (
                        region.to_string(),
                        instance_type.to_string(),
                        get("vcpu").map(str::to_string),
                        get("memory").map(str::to_string),
                        get("physicalProcessor").map(str::to_string),
                    ),
                );
            }
        }
        Ok(out)
    }
}

struct Terms;

impl<'de> DeserializeSeed<'de> for Terms {
    type Value = HashMap<String, String>;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Terms {
    type Value = HashMap<String, String>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("the terms object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut prices = HashMap::new();
        while let Some(kind) = map.next_key::<String>()? {
            if kind != "OnDemand" {
                map.next_value::<IgnoredAny>()?;
                continue;
            }
            let on_demand: HashMap<String, HashMap<String, Term>> = map.next_value()?;
            for (sku, terms) in on_demand {
                let hourly = terms
                    .values()
                    .flat_map(|t| t.price_dimensions.values())
                    .find(|d| d.unit == "Hrs")
                    .and_then(|d| d.price_per_unit.get("USD").cloned());
                if let Some(p) = hourly {
                    prices.insert(sku, p);
                }
            }
        }
        Ok(prices)
    }
}

/// EC2 on-demand Linux shared-tenancy offers from an AmazonEC2 JSON offer file, streamed.
pub fn read_ec2_json(path: &Path, region: Option<&str>) -> Result<Vec<Ec2Offer>, OfferFileError> {
    let file = std::fs::File::open(path).map_err(read_error(path))?;
    let mut de = serde_json::Deserializer::from_reader(BufReader::with_capacity(8 << 20, file));
    let offer = Top { region }
        .deserialize(&mut de)
        .map_err(|e| malformed(path, format!("line {}, column {}: {e}", e.line(), e.column())))?;
    let as_of = offer.publication_date.get(..10).unwrap_or_default().to_string();
    let source = format!("AWS Price List bulk offer file AmazonEC2 (JSON) version {}", offer.version);
    let mut best: BTreeMap<(String, String), Ec2Offer> = BTreeMap::new();
    for (sku, (region, instance_type, vcpu, memory, processor)) in offer.products {
        let Some(price) = offer.prices.get(&sku) else { continue };
        let at = format!("SKU {sku}");
        let o = Ec2Offer {
            usd_per_hour: read_price(path, &at, "pricePerUnit.USD", price)?,
            region,
            instance_type,
            vcpu: read_vcpu(path, &at, "vcpu", vcpu.as_deref().unwrap_or_default())?,
            memory_gib: read_gib(path, &at, "memory", memory.as_deref().unwrap_or_default())?,
            arch: processor.as_deref().map(arch_of),
            source: source.clone(),
            as_of: as_of.clone(),
        };
        let key = (o.region.clone(), o.instance_type.clone());
        if best.get(&key).is_none_or(|b| o.usd_per_hour < b.usd_per_hour) {
            best.insert(key, o);
        }
    }
    Ok(best.into_values().filter(|o| o.usd_per_hour > Decimal::ZERO).collect())
}

/// Linux shared-tenancy Savings Plan rates from a Savings Plans CSV offer file.
pub fn read_savings_plans_csv(path: &Path, region: Option<&str>) -> Result<Vec<Commitment>, OfferFileError> {
    let file = std::fs::File::open(path).map_err(read_error(path))?;
    let mut reader = BufReader::new(file);
    let (meta, header, _) = read_preamble(&mut reader, path)?;
    let mut csv = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(reader);
    let index = |name: &str| {
        header.iter().position(|h| h == name).ok_or_else(|| OfferFileError::MissingColumn {
            path: path.display().to_string(),
            line: meta.header_line,
            column: name.into(),
            hint: String::new(),
        })
    };
    let (rate, unit, currency, op, usage, purchase, length, length_unit, family, region_col, instance_type, sku) = (
        index("DiscountedRate")?,
        index("Unit")?,
        index("Currency")?,
        index("DiscountedOperation")?,
        index("DiscountedUsageType")?,
        index("PurchaseOption")?,
        index("LeaseContractLength")?,
        index("LeaseContractLengthUnit")?,
        index("Product Family")?,
        index("DiscountedRegionCode")?,
        index("DiscountedInstanceType")?,
        index("SKU")?,
    );
    let as_of = meta.publication_date.get(..10).unwrap_or_default().to_string();
    let source = format!("AWS Price List Savings Plans offer file version {}", meta.version);
    let mut out = Vec::new();
    for (i, rec) in csv.records().enumerate() {
        let line = meta.header_line + 1 + i as u64;
        let rec = rec.map_err(|e| malformed(path, format!("line {line}: {e}")))?;
        let get = |c: usize| rec.get(c).unwrap_or("");
        if get(op) != "RunInstances"
            || !get(usage).contains("BoxUsage:")
            || get(unit) != "Hrs"
            || get(currency) != "USD"
        {
            continue;
        }
        if region.is_some_and(|r| r != get(region_col)) {
            continue;
        }
        let kind = match get(family) {
            "ComputeSavingsPlans" => "compute-savings-plan",
            "EC2InstanceSavingsPlans" => "ec2-instance-savings-plan",
            _ => continue,
        };
        let term = match (get(length), get(length_unit)) {
            ("1", "year") => "1yr",
            ("3", "year") => "3yr",
            _ => continue,
        };
        let value = read_price(path, &format!("line {line}, SKU {}", get(sku)), "DiscountedRate", get(rate))?;
        out.push(Commitment {
            region: get(region_col).to_string(),
            instance_type: get(instance_type).to_string(),
            kind: kind.to_string(),
            term: term.to_string(),
            purchase_option: get(purchase).to_string(),
            effective_usd_per_hour: value,
            provenance: Provenance { source: source.clone(), as_of: as_of.clone() },
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_found_by_position_through_quotes() {
        let line = br#""A","B,with comma","C ""quoted""",,"E""#;
        assert_eq!(field(line, 0), Some(b"A".as_slice()));
        assert_eq!(field(line, 1), Some(b"B,with comma".as_slice()));
        assert_eq!(field(line, 3), Some(b"".as_slice()));
        assert_eq!(field(line, 4), Some(b"E".as_slice()));
        assert_eq!(field(line, 5), None);
    }

    #[test]
    fn memory_and_architecture_attributes() {
        assert_eq!(parse_gib("16 GiB"), Some(Decimal::from(16)));
        assert_eq!(parse_gib("0.5 GiB"), Decimal::from_str("0.5").ok());
        assert_eq!(arch_of("AWS Graviton3 Processor"), Arch::Arm64);
        assert_eq!(arch_of("Intel Xeon Platinum 8124M"), Arch::X86_64);
    }
}

/// Offer files in AWS's real layout, made up for tests and benchmarks: the AmazonEC2 CSV's
/// 91 columns in their published order, and rows built by column name.
#[doc(hidden)]
pub mod synthetic {
    /// The AmazonEC2 CSV offer file's columns, in the order AWS publishes them (2025 files).
    pub const EC2_CSV_COLUMNS: [&str; 91] = [
        "SKU",
        "OfferTermCode",
        "RateCode",
        "TermType",
        "PriceDescription",
        "EffectiveDate",
        "StartingRange",
        "EndingRange",
        "Unit",
        "PricePerUnit",
        "Currency",
        "RelatedTo",
        "LeaseContractLength",
        "PurchaseOption",
        "OfferingClass",
        "Product Family",
        "serviceCode",
        "Location",
        "Location Type",
        "Instance Type",
        "Current Generation",
        "Instance Family",
        "vCPU",
        "Physical Processor",
        "Clock Speed",
        "Memory",
        "Storage",
        "Network Performance",
        "Processor Architecture",
        "Storage Media",
        "Volume Type",
        "Max Volume Size",
        "Max IOPS/volume",
        "Max IOPS Burst Performance",
        "Max throughput/volume",
        "Provisioned",
        "Tenancy",
        "EBS Optimized",
        "Operating System",
        "License Model",
        "Group",
        "Group Description",
        "Transfer Type",
        "From Location",
        "From Location Type",
        "To Location",
        "To Location Type",
        "usageType",
        "operation",
        "AvailabilityZone",
        "CapacityStatus",
        "ClassicNetworkingSupport",
        "Dedicated EBS Throughput",
        "ECU",
        "Elastic Graphics Type",
        "Enhanced Networking Supported",
        "From Region Code",
        "GPU",
        "GPU Memory",
        "Instance",
        "Instance Capacity - 10xlarge",
        "Instance Capacity - 12xlarge",
        "Instance Capacity - 16xlarge",
        "Instance Capacity - 18xlarge",
        "Instance Capacity - 24xlarge",
        "Instance Capacity - 2xlarge",
        "Instance Capacity - 32xlarge",
        "Instance Capacity - 4xlarge",
        "Instance Capacity - 8xlarge",
        "Instance Capacity - 9xlarge",
        "Instance Capacity - large",
        "Instance Capacity - medium",
        "Instance Capacity - metal",
        "Instance Capacity - xlarge",
        "instanceSKU",
        "Intel AVX2 Available",
        "Intel AVX Available",
        "Intel Turbo Available",
        "MarketOption",
        "Normalization Size Factor",
        "Physical Cores",
        "Pre Installed S/W",
        "Processor Features",
        "Product Type",
        "Region Code",
        "Resource Type",
        "serviceName",
        "SnapshotArchiveFeeType",
        "To Region Code",
        "Volume API Name",
        "VPCNetworkingSupport",
    ];

    /// The five metadata lines and the header.
    pub fn preamble(version: &str, publication_date: &str) -> String {
        let mut s = format!(
            "\"FormatVersion\",\"v1.0\"\n\"Disclaimer\",\"This pricing list is for informational purposes only.\"\n\"Publication Date\",\"{publication_date}\"\n\"Version\",\"{version}\"\n\"OfferCode\",\"AmazonEC2\"\n"
        );
        s.push_str(&EC2_CSV_COLUMNS.iter().map(|c| format!("\"{c}\"")).collect::<Vec<_>>().join(","));
        s.push('\n');
        s
    }

    /// One row with the given columns set (others empty), quoted as AWS quotes them.
    pub fn row(values: &[(&str, &str)]) -> String {
        let mut out = String::with_capacity(1024);
        for (i, c) in EC2_CSV_COLUMNS.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            if let Some((_, v)) = values.iter().find(|(k, _)| k == c) {
                out.push('"');
                out.push_str(&v.replace('"', "\"\""));
                out.push('"');
            }
        }
        out.push('\n');
        out
    }

    /// The columns of a Linux shared-tenancy row for `instance_type` in `region`; callers
    /// override `TermType`, `Tenancy`, `Operating System` and the rest to make decoys.
    pub fn base<'a>(
        sku: &'a str,
        region: &'a str,
        instance_type: &'a str,
        vcpu: &'a str,
        memory: &'a str,
        price: &'a str,
    ) -> Vec<(&'a str, &'a str)> {
        vec![
            ("SKU", sku),
            ("OfferTermCode", "JRTCKXETXF"),
            ("RateCode", "JRTCKXETXF.6YS6EN2CT7"),
            ("TermType", "OnDemand"),
            ("PriceDescription", "On Demand Linux instance hour"),
            ("EffectiveDate", "2025-09-01"),
            ("StartingRange", "0"),
            ("EndingRange", "Inf"),
            ("Unit", "Hrs"),
            ("PricePerUnit", price),
            ("Currency", "USD"),
            ("Product Family", "Compute Instance"),
            ("serviceCode", "AmazonEC2"),
            ("Location Type", "AWS Region"),
            ("Instance Type", instance_type),
            ("Current Generation", "Yes"),
            ("vCPU", vcpu),
            ("Physical Processor", "Intel Xeon Platinum 8275CL (Cascade Lake)"),
            ("Memory", memory),
            ("Processor Architecture", "64-bit"),
            ("Tenancy", "Shared"),
            ("Operating System", "Linux"),
            ("License Model", "No License required"),
            ("usageType", "BoxUsage"),
            ("operation", "RunInstances"),
            ("CapacityStatus", "Used"),
            ("MarketOption", "OnDemand"),
            ("Pre Installed S/W", "NA"),
            ("Region Code", region),
        ]
    }

    /// `values` with `key` set to `value`.
    pub fn with<'a>(mut values: Vec<(&'a str, &'a str)>, key: &'a str, value: &'a str) -> Vec<(&'a str, &'a str)> {
        match values.iter_mut().find(|(k, _)| *k == key) {
            Some(v) => v.1 = value,
            None => values.push((key, value)),
        }
        values
    }
}
