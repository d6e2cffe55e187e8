//! The reduction of a CUR or FOCUS data file to [`Row`]s, as one polars lazy query run on the
//! streaming engine: only the columns it names are read (Parquet column chunks, CSV fields),
//! rows are classified and summed as they stream, and gzip or zstd CSV is inflated on the way.
//! Money is summed exactly, as decimals with ten places (the exports' doubles are read at
//! that precision).
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

/// A data file as a lazy frame: Parquet as typed, CSV (plain, gzip or zstd) as text.
fn frame(source: &Source) -> PolarsResult<LazyFrame> {
    let parquet = match &source.data {
        Data::Bytes(b) => super::is_parquet(b),
        Data::Path(p) => {
            let mut head = [0u8; 4];
            std::fs::File::open(p).and_then(|mut f| std::io::Read::read_exact(&mut f, &mut head)).is_ok()
                && super::is_parquet(&head)
        }
    };
    let sources = match &source.data {
        Data::Bytes(b) => ScanSources::Buffers(Arc::new([polars_buffer::Buffer::from(b.clone())])),
        Data::Path(p) => ScanSources::Paths(polars_buffer::Buffer::from(vec![PlRefPath::try_from_path(p)?])),
    };
    if parquet {
        // The export's `BILLING_PERIOD=YYYY-MM` folders are not read as a column: the period
        // is in the rows.
        let args =
            ScanArgsParquet { glob: false, hive_options: HiveOptions::new_disabled(), ..ScanArgsParquet::default() };
        LazyFrame::scan_parquet_sources(sources, args)
    } else {
        LazyCsvReader::new_with_sources(sources)
            .with_has_header(true)
            .with_infer_schema_length(Some(0))
            .with_truncate_ragged_lines(true)
            .with_glob(false)
            .finish()
    }
}

/// The column names of a data file (a Parquet file's footer; a CSV file's header).
pub(super) fn columns(source: &Source) -> Result<Vec<String>, String> {
    let mut lf = frame(source).map_err(|e| format!("not a readable data file: {e}"))?;
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
    let period =
        first_text(text("billbillingperiodstartdate"), text("lineitemusagestartdate")).str().slice(lit(0), lit(7));
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
    let period = first_text(text("billingperiodstart"), text("chargeperiodstart")).str().slice(lit(0), lit(7));
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

/// Reduces one CUR or FOCUS data file to rows.
pub(super) fn reduce(source: &Source, format: Format) -> Result<Vec<Row>, ImportError> {
    let file = source.name.as_str();
    let fail = |e: PolarsError| ImportError::at(file, None, None, format!("cannot read the export: {e}"));
    let mut lf = frame(source).map_err(fail)?;
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
        sums[1 + 0] = lit(NULL).cast(DEC).alias("unblended");
        sums[1 + 2] = lit(NULL).cast(DEC).alias("amortized");
    }
    sums.push(len().alias("line_items"));
    let df = lf
        .filter(keep)
        .select(columns)
        .group_by(KEYS.iter().map(|k| col(*k)).collect::<Vec<_>>())
        .agg(sums)
        .collect_with_engine(Engine::Streaming)
        .map(|r| r.unwrap_single())
        .map_err(fail)?;
    rows_of(&df).map_err(fail)
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
        Decimal::try_from_i128_with_scale(v, d.scale() as u32).ok()
    };
    let mut rows = Vec::with_capacity(df.height());
    for i in 0..df.height() {
        let t = |k: usize| texts[k].get(i).unwrap_or_default().to_string();
        rows.push(Row {
            key: Key {
                period: t(0),
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

/// The line of the first row whose cost is not a number (CSV only: the header is line 1).
pub(super) fn first_invalid_line(source: &Source, format: Format) -> Option<u64> {
    let mut lf = frame(source).ok()?;
    let c = Columns::of(&mut lf, &source.name).ok()?;
    let cost = if format == Format::Focus { "billedcost" } else { "lineitemunblendedcost" };
    let df =
        lf.with_row_index("row", None).filter(c.not_a_number(&[cost])).select([col("row")]).limit(1).collect().ok()?;
    let row = df.column("row").ok()?.cast(&DataType::UInt64).ok()?;
    row.u64().ok()?.get(0).map(|r| r + 2)
}
