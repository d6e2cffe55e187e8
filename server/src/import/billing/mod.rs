//! Billing exports: the AWS Cost and Usage Report (CUR 2.0 and legacy, in Parquet, CSV or gzip
//! CSV), FOCUS 1.0–1.2 from AWS, Azure and Google Cloud, and the output of the README's
//! aggregation query over either.
//!
//! Every export is first reduced to the same rows the aggregation query returns (`Row`: one
//! per billing month, provider, service, kind of charge and, for compute instance hours, per
//! instance; summed on each cost basis), and those rows alone make the import: so an export
//! scanned here and the query's output run where the data lives give the same import JSON.
//! The reduction (`scan`) reads only the columns the classification (`classify`) needs and
//! adds each line item to its row as it streams, on every core, so memory depends on the
//! instances and services, not on the rows.

mod classify;
mod fixed;
pub mod manifest;
mod rows;
mod scan;
mod summary;

use super::{warning, Context, Format, ImportError};
use rows::{Acc, Key};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;
use tco_engine::bill::{Bill, BillLine, BillMonth, Charge, CostBases, CostBasis};
use tco_engine::workload::{Addon, App, Instance, Origin};
use tco_engine::{limits, Usd, Workloads};

/// One file of an export: on disk (scanned lazily where it lies) or uploaded.
pub struct Source {
    /// The name messages and provenance use.
    pub name: String,
    data: Data,
}

enum Data {
    Path(PathBuf),
    Bytes(Vec<u8>),
}

impl Source {
    /// A file on disk.
    pub fn path(name: impl Into<String>, path: PathBuf) -> Self {
        Source { name: name.into(), data: Data::Path(path) }
    }

    /// A file held in memory (an upload), already decompressed or still compressed.
    pub fn bytes(name: impl Into<String>, bytes: Vec<u8>) -> Self {
        Source { name: name.into(), data: Data::Bytes(bytes) }
    }

    /// Its size in bytes, for progress.
    pub fn len(&self) -> u64 {
        match &self.data {
            Data::Path(p) => std::fs::metadata(p).map(|m| m.len()).unwrap_or(0),
            Data::Bytes(b) => b.len() as u64,
        }
    }

    /// Whether it is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The file's base name (how a manifest refers to it).
    fn base_name(&self) -> &str {
        self.name.rsplit(['/', '\\']).next().unwrap_or(&self.name)
    }
}

/// Whether `bytes` are a Parquet file (its magic number).
pub fn is_parquet(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PAR1")
}

/// `lineItem/UnblendedCost`, `line_item_unblended_cost` and `LINE_ITEM_UNBLENDED_COST` all →
/// `lineitemunblendedcost`: how columns are matched, whatever the export's spelling.
pub(crate) fn key(name: &str) -> String {
    name.chars().filter(char::is_ascii_alphanumeric).flat_map(|c| c.to_lowercase()).collect()
}

/// Which billing format a set of column names is.
pub(crate) fn format_of_columns<'c>(columns: impl IntoIterator<Item = &'c str>) -> Option<Format> {
    let keys: BTreeSet<String> = columns.into_iter().map(key).collect();
    let has = |k: &str| keys.contains(k);
    if summary::COLUMNS.iter().all(|c| has(&key(c))) {
        Some(Format::BillSummary)
    } else if has("lineitemunblendedcost") && has("lineitemproductcode") {
        Some(Format::AwsCur)
    } else if has("billedcost") && has("effectivecost") && has("chargecategory") {
        Some(Format::Focus)
    } else {
        None
    }
}

/// The billing format a CSV header line names, if any.
pub fn header_format(line: &str) -> Option<Format> {
    let line = line.trim_start_matches('\u{feff}');
    format_of_columns(line.split(',').map(|c| c.trim().trim_matches('"')))
}

/// The billing format of a Parquet file, from its schema.
pub fn detect_parquet(file: &str, bytes: &[u8]) -> Result<Format, ImportError> {
    let columns =
        scan::columns(&Source::bytes(file, bytes.to_vec())).map_err(|e| ImportError::at(file, None, None, e))?;
    format_of_columns(columns.iter().map(String::as_str)).filter(|f| *f != Format::BillSummary).ok_or_else(|| {
        ImportError::at(
            file,
            None,
            None,
            "a Parquet file that is neither a Cost and Usage Report (line_item_unblended_cost, line_item_product_code) \
             nor a FOCUS export (BilledCost, EffectiveCost, ChargeCategory)",
        )
    })
}

/// The billing format of a Parquet file on disk, from its schema (its footer alone is read).
pub fn detect_parquet_path(file: &str, path: &std::path::Path) -> Result<Format, ImportError> {
    let columns =
        scan::columns(&Source::path(file, path.to_path_buf())).map_err(|e| ImportError::at(file, None, None, e))?;
    format_of_columns(columns.iter().map(String::as_str)).filter(|f| *f != Format::BillSummary).ok_or_else(|| {
        ImportError::at(file, None, None, "a Parquet file that is neither a Cost and Usage Report nor a FOCUS export")
    })
}

/// A line item (or the lines of one resource, period and charge, summed) whose cost or hours no
/// real bill reaches is refused, naming its resource and period: it would overflow the sums.
fn within_bounds(file: &str, row: &rows::Row) -> Result<(), ImportError> {
    const BASES: [&str; 4] = ["unblended_cost", "net_unblended_cost", "amortized_cost", "net_amortized_cost"];
    let over = |e| {
        let what = if row.key.resource_id.is_empty() { &row.key.service } else { &row.key.resource_id };
        super::error::over_limit(file, None, &format!("{what} in {}: ", row.key.period), e)
    };
    for (field, usd) in BASES.iter().zip(row.acc.bases) {
        if let Some(usd) = usd {
            limits::money(field, usd).map_err(over)?;
        }
    }
    limits::within("usage_hours", row.acc.hours, limits::MAX_QUANTITY).map_err(over)
}

/// Imports the files of one or more billing exports as one bill: manifests choose which data
/// files count, every data file is reduced to [`Row`]s, and the rows become today's bill, its
/// services and its instances. `progress` gets the bytes of the files done so far.
pub fn import(
    sources: Vec<(Source, Format)>,
    ctx: Context<'_>,
    progress: &mut dyn FnMut(u64),
) -> Result<Workloads, ImportError> {
    let (manifests, data): (Vec<_>, Vec<_>) = sources.into_iter().partition(|(_, f)| *f == Format::ExportManifest);
    let mut warnings = Vec::new();
    let data = select_listed(manifests, data, &mut warnings)?;
    if data.is_empty() {
        return Err(ImportError::at("upload", None, None, "no billing data files to import"));
    }
    let files: Vec<String> = data.iter().map(|(s, _)| s.name.clone()).collect();
    let mut acc: BTreeMap<Key, Acc> = BTreeMap::new();
    let mut done = 0u64;
    // The first file with lines whose cost is not a number (and its first such line), and how
    // many there are in all.
    let mut invalid: Option<(&str, Option<u64>)> = None;
    let mut invalid_lines = 0u64;
    for (source, format) in &data {
        let (rows, first_invalid) = match format {
            Format::AwsCur | Format::Focus => scan::reduce(source, *format)?,
            Format::BillSummary => (summary::read(source)?, None),
            other => {
                return Err(ImportError::at(&source.name, None, None, format!("{other:?} is not a billing data file")))
            }
        };
        for row in rows {
            if row.key.charge == rows::INVALID {
                invalid_lines += row.acc.line_items;
                invalid.get_or_insert((source.name.as_str(), first_invalid));
                continue;
            }
            within_bounds(&source.name, &row)?;
            acc.entry(row.key).or_default().add(&row.acc);
        }
        done += source.len();
        progress(done);
    }
    let mut w = to_workloads(acc, &files, ctx)?;
    if let Some((file, line)) = invalid {
        w.warnings.push(warning(
            file,
            line,
            format!(
                "{invalid_lines} line(s) skipped: the cost is not a number{}",
                line.map(|l| format!(" (first at line {l})")).unwrap_or_default()
            ),
        ));
    }
    w.warnings.splice(0..0, warnings);
    // The fleet the bill's instances make, when no inventory is merged in later.
    super::ec2::finalize(&mut w, ctx.catalog);
    Ok(super::costed(w))
}

/// The data files the manifests list (all of them when there is no manifest).
fn select_listed(
    manifests: Vec<(Source, Format)>,
    data: Vec<(Source, Format)>,
    warnings: &mut Vec<tco_engine::workload::Warning>,
) -> Result<Vec<(Source, Format)>, ImportError> {
    if manifests.is_empty() {
        return Ok(data);
    }
    let mut listed: BTreeMap<String, String> = BTreeMap::new();
    for (m, _) in &manifests {
        let bytes = match &m.data {
            Data::Bytes(b) => b.clone(),
            Data::Path(p) => {
                std::fs::read(p).map_err(|e| ImportError::at(&m.name, None, None, format!("cannot read: {e}")))?
            }
        };
        let parsed = manifest::Manifest::parse(&m.name, &bytes)?;
        for f in parsed.data_files {
            listed.insert(manifest::base_name(&f).to_string(), m.name.clone());
        }
    }
    let mut kept = Vec::new();
    for (s, f) in data {
        if listed.remove(s.base_name()).is_some() {
            kept.push((s, f));
        } else {
            warnings.push(warning(&s.name, None, "not listed in the export's manifest (a stale delivery?); not read"));
        }
    }
    if let Some((missing, manifest)) = listed.into_iter().next() {
        return Err(ImportError::at(
            &manifest,
            None,
            Some("dataFiles".into()),
            format!("lists {missing}, which is not among the files given: give every file the manifest lists"),
        ));
    }
    Ok(kept)
}

/// Hours in a `YYYY-MM` month.
fn month_hours(period: &str) -> u32 {
    let days = |y: i64, m: i64| {
        let next = if m == 12 { format!("{}-01-01", y + 1) } else { format!("{y}-{:02}-01", m + 1) };
        Some(tco_engine::age::days_from_civil(&next)? - tco_engine::age::days_from_civil(&format!("{y}-{m:02}-01"))?)
    };
    let mut parts = period.splitn(2, '-');
    let y = parts.next().and_then(|y| y.parse::<i64>().ok());
    let m = parts.next().and_then(|m| m.parse::<i64>().ok()).filter(|m| (1..=12).contains(m));
    y.zip(m).and_then(|(y, m)| days(y, m)).map_or(tco_engine::HOURS_PER_MONTH, |d| d as u32 * 24)
}

/// `AWS` → `aws-bill`, `Google Cloud` → `google-cloud-bill`.
fn bill_app_name(provider: &str) -> String {
    let slug: String =
        provider.trim().to_ascii_lowercase().chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
    format!("{}-bill", if slug.is_empty() { "cloud" } else { slug.as_str() })
}

/// An instance of the latest month, summed over its rows.
struct Billed {
    provider: String,
    types: HashMap<String, Decimal>,
    region: HashMap<String, Decimal>,
    hours: Decimal,
    acc: Acc,
}

/// The rows of a bill as workloads: every month's lines, today's (the latest month's) services
/// as add-ons and its instances with their type, hours and cost on each basis.
fn to_workloads(acc: BTreeMap<Key, Acc>, files: &[String], _ctx: Context<'_>) -> Result<Workloads, ImportError> {
    let first_file = files.first().cloned().unwrap_or_default();
    let mut w = Workloads::default();
    let mut other_currency: BTreeMap<String, Decimal> = BTreeMap::new();
    let mut months: BTreeMap<String, BTreeMap<(String, String, Charge), Acc>> = BTreeMap::new();
    let mut invalid_charge: Option<String> = None;
    for (k, a) in &acc {
        if !k.currency.is_empty() && !k.currency.eq_ignore_ascii_case("USD") {
            *other_currency.entry(k.currency.clone()).or_default() += a.bases[3].or(a.bases[1]).unwrap_or_default();
            continue;
        }
        let Some(charge) = rows::charge(&k.charge) else {
            invalid_charge.get_or_insert_with(|| k.charge.clone());
            continue;
        };
        months
            .entry(k.period.clone())
            .or_default()
            .entry((k.provider.clone(), k.service.clone(), charge))
            .or_default()
            .add(a);
    }
    if let Some(c) = invalid_charge {
        return Err(ImportError::at(
            &first_file,
            None,
            Some("charge".into()),
            format!("`{c}` is not a kind of charge (usage, commitment, discount, credit, refund, adjustment, tax)"),
        ));
    }
    let Some(latest) = months.keys().next_back().cloned() else {
        return Err(ImportError::at(&first_file, None, None, "no cost lines"));
    };

    // Today's instances and services.
    let mut instances: BTreeMap<String, Billed> = BTreeMap::new();
    let mut services: BTreeMap<(String, String), Acc> = BTreeMap::new();
    let mut without_ids = Decimal::ZERO;
    let mut google_compute = false;
    for (k, a) in acc.iter().filter(|(k, _)| k.period == latest) {
        let Some(charge) = rows::charge(&k.charge) else { continue };
        if !charge.compared() || (!k.currency.is_empty() && !k.currency.eq_ignore_ascii_case("USD")) {
            continue;
        }
        if let Some((id, instance_type)) = rows::instance(k) {
            let b = instances.entry(id).or_insert_with(|| Billed {
                provider: k.provider.clone(),
                types: HashMap::new(),
                region: HashMap::new(),
                hours: Decimal::ZERO,
                acc: Acc::default(),
            });
            *b.types.entry(instance_type).or_default() += a.hours;
            *b.region.entry(k.region.clone()).or_default() += a.hours;
            b.hours += a.hours;
            // An AWS instance carries its cost; another cloud's is listed, its cost stays
            // with its service (the catalog cannot price it on AWS).
            if rows::is_aws(&k.provider) {
                b.acc.add(a);
                continue;
            }
        } else if rows::is_instance_hours(k) {
            without_ids += a.bases[3].or(a.bases[1]).unwrap_or_default();
        }
        google_compute |= k.provider.eq_ignore_ascii_case("Google Cloud") && k.service.contains("Compute Engine");
        services.entry((k.provider.clone(), k.service.clone())).or_default().add(a);
    }

    let plan = format!("bill {latest}");
    let mut apps: BTreeMap<String, App> = BTreeMap::new();
    for ((provider, service), a) in services {
        let by_basis = a.bases();
        if CostBasis::ALL.iter().all(|b| by_basis.get(*b).is_none_or(|u| u == Usd::ZERO)) {
            continue;
        }
        let name = bill_app_name(&provider);
        let app = apps.entry(name.clone()).or_insert_with(|| App {
            name,
            source: format!("{}{first_file}", tco_engine::current::BILL_SOURCE),
            processes: vec![],
            addons: vec![],
        });
        app.addons.push(Addon {
            monthly_usd: default_amount(&by_basis),
            by_basis: Some(by_basis),
            ..Addon::new(service, plan.clone(), Usd::ZERO)
        });
    }
    w.apps = apps.into_values().collect();

    let hours_in_month = month_hours(&latest);
    let (mut aws, mut others, mut part_time) = (0usize, 0usize, 0usize);
    for (id, b) in instances {
        let top = |m: &HashMap<String, Decimal>| {
            m.iter().max_by(|x, y| x.1.cmp(y.1).then_with(|| y.0.cmp(x.0))).map(|(k, _)| k.clone()).unwrap_or_default()
        };
        let hours = b.hours.round_dp(4).to_f64();
        let is_aws = rows::is_aws(&b.provider);
        if hours.is_some_and(|h| h + 0.5 < f64::from(hours_in_month)) {
            part_time += 1;
        }
        let by_basis = is_aws.then(|| b.acc.bases());
        w.instances.push(Instance {
            instance_type: top(&b.types),
            region: Some(top(&b.region)).filter(|r| !r.is_empty()),
            hours,
            monthly_usd: by_basis.as_ref().map(default_amount),
            by_basis,
            provider: (!is_aws).then_some(b.provider.clone()),
            origin: Some(Origin { file: first_file.clone(), line: None }),
            ..Instance::new(id)
        });
        if is_aws {
            aws += 1
        } else {
            others += 1
        }
    }

    // Every month's lines.
    let mut bill_months = Vec::with_capacity(months.len());
    for (period, lines) in months {
        let lines = lines
            .into_iter()
            .map(|((provider, service, charge), a)| BillLine { provider, service, charge, bases: a.bases() })
            .collect();
        bill_months.push(BillMonth { hours: month_hours(&period), period, lines });
    }
    let periods: Vec<String> = bill_months.iter().map(|m| m.period.clone()).collect();
    w.bill = Some(Bill { months: bill_months, basis: CostBasis::default(), sources: files.to_vec() });

    let basis = CostBasis::default();
    w.warnings.push(warning(
        &first_file,
        None,
        format!(
            "bill {latest}: {aws} EC2 instance(s) ({part_time} of them for part of the month) and {} service line(s), read on the {} basis; \
             the scenario's `bill_basis` chooses another (unblended, net-unblended, amortized, net-amortized)",
            w.apps.iter().map(|a| a.addons.len()).sum::<usize>(),
            basis.label()
        ),
    ));
    if periods.len() > 1 {
        w.warnings.push(warning(
            &first_file,
            None,
            format!("the bill holds {}; today's cost is the latest month, {latest}", periods.join(", ")),
        ));
    }
    for (currency, amount) in other_currency {
        w.warnings.push(warning(
            &first_file,
            None,
            format!(
                "lines billed in {currency} ({} {currency}) are not converted to USD and are left out",
                amount.round_dp(2)
            ),
        ));
    }
    if without_ids != Decimal::ZERO {
        w.warnings.push(warning(
            &first_file,
            None,
            format!(
                "EC2 instance hours without resource ids (${} in {latest}; the export was made without resource ids): \
                 kept with their service, not as instances",
                without_ids.round_dp(2)
            ),
        ));
    }
    if others > 0 {
        w.warnings.push(warning(
            &first_file,
            None,
            format!(
                "{others} virtual machine(s) on other clouds: listed with their type and hours; their cost stays with \
                 their service at today's price (the catalog prices AWS types only)"
            ),
        ));
    }
    if google_compute {
        w.warnings.push(warning(
            &first_file,
            None,
            "Google Cloud's FOCUS export does not name machine types per instance: Compute Engine stays a service at today's cost",
        ));
    }
    Ok(w)
}

/// The amount on the default basis (or its sibling), for `monthly_usd`.
fn default_amount(b: &CostBases) -> Usd {
    b.on(CostBasis::default()).map_or(Usd::ZERO, |(u, _)| u)
}
