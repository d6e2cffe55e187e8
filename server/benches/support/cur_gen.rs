//! A deterministic generator of AWS Data Exports CUR 2.0 months at scale, with the export's
//! real column names (the columns the importer reads and some sixty it does not), in Parquet
//! (doubles and timestamps, as AWS writes it) or gzip CSV. Shared by the `cur_bench` and
//! `fleet_bench` examples (each includes this file with `#[path]`).
//!
//! Per instance and hour one line item (on demand, or covered by a Savings Plan with its
//! negation, or by a Reserved Instance), a tenth of the instances running half the month; per
//! instance a gp3 volume billed daily; per account some RDS, S3 and data transfer hourly; the
//! plans' fees, tax and a credit. The exact totals are summed as it writes, to check imports to
//! the cent.

#![allow(dead_code)]

use polars::prelude::*;
use rust_decimal::Decimal;
use std::io::Write;
use std::str::FromStr;

/// October 2026: 744 hours.
pub const HOURS: u32 = 744;
const DAY_MS: i64 = 86_400_000;
const HOUR_MS: i64 = 3_600_000;

/// What a month came to, summed exactly while writing.
#[derive(Debug, Default, Clone)]
pub struct Totals {
    /// Line items written.
    pub rows: u64,
    /// Compared charges (usage and commitments), net amortized.
    pub net_amortized: Decimal,
    /// Compared charges, unblended.
    pub unblended: Decimal,
    /// Distinct EC2 instances.
    pub instances: u64,
}

/// The columns: (name, kind) with kind `t` text, `n` number, `d` timestamp.
pub const COLUMNS: &[(&str, char)] = &[
    ("bill_bill_type", 't'),
    ("bill_billing_entity", 't'),
    ("bill_billing_period_end_date", 'd'),
    ("bill_billing_period_start_date", 'd'),
    ("bill_invoice_id", 't'),
    ("bill_invoicing_entity", 't'),
    ("bill_payer_account_id", 't'),
    ("bill_payer_account_name", 't'),
    ("identity_line_item_id", 't'),
    ("identity_time_interval", 't'),
    ("line_item_availability_zone", 't'),
    ("line_item_blended_cost", 'n'),
    ("line_item_blended_rate", 't'),
    ("line_item_currency_code", 't'),
    ("line_item_legal_entity", 't'),
    ("line_item_line_item_description", 't'),
    ("line_item_line_item_type", 't'),
    ("line_item_net_unblended_cost", 'n'),
    ("line_item_net_unblended_rate", 't'),
    ("line_item_normalization_factor", 'n'),
    ("line_item_normalized_usage_amount", 'n'),
    ("line_item_operation", 't'),
    ("line_item_product_code", 't'),
    ("line_item_resource_id", 't'),
    ("line_item_tax_type", 't'),
    ("line_item_unblended_cost", 'n'),
    ("line_item_unblended_rate", 't'),
    ("line_item_usage_account_id", 't'),
    ("line_item_usage_account_name", 't'),
    ("line_item_usage_amount", 'n'),
    ("line_item_usage_end_date", 'd'),
    ("line_item_usage_start_date", 'd'),
    ("line_item_usage_type", 't'),
    ("pricing_currency", 't'),
    ("pricing_lease_contract_length", 't'),
    ("pricing_offering_class", 't'),
    ("pricing_public_on_demand_cost", 'n'),
    ("pricing_public_on_demand_rate", 't'),
    ("pricing_purchase_option", 't'),
    ("pricing_rate_code", 't'),
    ("pricing_rate_id", 't'),
    ("pricing_term", 't'),
    ("pricing_unit", 't'),
    ("product_fee_code", 't'),
    ("product_from_location", 't'),
    ("product_from_region_code", 't'),
    ("product_instance_family", 't'),
    ("product_instance_type", 't'),
    ("product_instancesku", 't'),
    ("product_location", 't'),
    ("product_location_type", 't'),
    ("product_operation", 't'),
    ("product_pricing_unit", 't'),
    ("product_product_family", 't'),
    ("product_region_code", 't'),
    ("product_servicecode", 't'),
    ("product_sku", 't'),
    ("product_to_location", 't'),
    ("product_to_region_code", 't'),
    ("product_usagetype", 't'),
    ("reservation_amortized_upfront_cost_for_usage", 'n'),
    ("reservation_amortized_upfront_fee_for_billing_period", 'n'),
    ("reservation_effective_cost", 'n'),
    ("reservation_end_time", 't'),
    ("reservation_modification_status", 't'),
    ("reservation_net_effective_cost", 'n'),
    ("reservation_net_unused_amortized_upfront_fee_for_billing_period", 'n'),
    ("reservation_net_unused_recurring_fee", 'n'),
    ("reservation_number_of_reservations", 't'),
    ("reservation_recurring_fee_for_usage", 'n'),
    ("reservation_reservation_a_r_n", 't'),
    ("reservation_start_time", 't'),
    ("reservation_subscription_id", 't'),
    ("reservation_unused_amortized_upfront_fee_for_billing_period", 'n'),
    ("reservation_unused_quantity", 'n'),
    ("reservation_unused_recurring_fee", 'n'),
    ("savings_plan_amortized_upfront_commitment_for_billing_period", 'n'),
    ("savings_plan_end_time", 't'),
    ("savings_plan_instance_type_family", 't'),
    ("savings_plan_net_savings_plan_effective_cost", 'n'),
    ("savings_plan_offering_type", 't'),
    ("savings_plan_payment_option", 't'),
    ("savings_plan_purchase_term", 't'),
    ("savings_plan_recurring_commitment_for_billing_period", 'n'),
    ("savings_plan_region", 't'),
    ("savings_plan_savings_plan_a_r_n", 't'),
    ("savings_plan_savings_plan_effective_cost", 'n'),
    ("savings_plan_savings_plan_rate", 'n'),
    ("savings_plan_start_time", 't'),
    ("savings_plan_total_commitment_to_date", 'n'),
    ("savings_plan_used_commitment", 'n'),
];

fn index(name: &str) -> usize {
    COLUMNS.iter().position(|(n, _)| *n == name).unwrap_or_else(|| panic!("column {name}"))
}

/// Instance types with their on-demand rate, USD per hour.
const TYPES: &[(&str, &str, &str)] = &[
    ("c5.large", "0.085", "c5"),
    ("c5.xlarge", "0.17", "c5"),
    ("c5.2xlarge", "0.34", "c5"),
    ("m5.large", "0.096", "m5"),
    ("m5.xlarge", "0.192", "m5"),
    ("m5.2xlarge", "0.384", "m5"),
    ("r5.large", "0.126", "r5"),
    ("r5.xlarge", "0.252", "r5"),
];

/// How an instance is paid for.
#[derive(Clone, Copy, PartialEq)]
enum Paid {
    OnDemand,
    SavingsPlan,
    Reserved,
}

/// One line item as text, one value per column.
pub struct Line(Vec<Option<String>>);

impl Line {
    fn new() -> Self {
        Line(vec![None; COLUMNS.len()])
    }
    fn set(&mut self, name: &str, v: impl ToString) -> &mut Self {
        self.0[index(name)] = Some(v.to_string());
        self
    }
}

/// Where lines go: Parquet (row groups of `batch` lines) or gzip CSV. One per generated file,
/// so the variants' sizes do not matter.
#[allow(clippy::large_enum_variant)]
pub enum Sink<W: Write> {
    /// A Parquet file.
    Parquet(polars::io::parquet::write::BatchedWriter<W>, Vec<Line>),
    /// A gzip CSV file.
    Csv(flate2::write::GzEncoder<W>),
}

const BATCH: usize = 250_000;

impl<W: Write> Sink<W> {
    /// A Parquet sink.
    pub fn parquet(out: W) -> Self {
        let schema = Schema::from_iter(COLUMNS.iter().map(|(n, k)| Field::new((*n).into(), dtype(*k))));
        let writer =
            ParquetWriter::new(out).with_compression(ParquetCompression::Snappy).batched(&schema).expect("a writer");
        Sink::Parquet(writer, Vec::with_capacity(BATCH))
    }

    /// A gzip CSV sink (the header is written now).
    pub fn csv(out: W) -> Self {
        let mut gz = flate2::write::GzEncoder::new(out, flate2::Compression::fast());
        let names: Vec<&str> = COLUMNS.iter().map(|(n, _)| *n).collect();
        writeln!(gz, "{}", names.join(",")).expect("writes");
        Sink::Csv(gz)
    }

    fn push(&mut self, line: Line) {
        match self {
            Sink::Parquet(_, pending) => {
                pending.push(line);
                if pending.len() >= BATCH {
                    self.flush();
                }
            }
            Sink::Csv(gz) => {
                let mut text = String::with_capacity(1024);
                for (i, v) in line.0.iter().enumerate() {
                    if i > 0 {
                        text.push(',');
                    }
                    if let Some(v) = v {
                        if v.contains([',', '"']) {
                            text.push('"');
                            text.push_str(&v.replace('"', "\"\""));
                            text.push('"');
                        } else {
                            text.push_str(v);
                        }
                    }
                }
                text.push('\n');
                gz.write_all(text.as_bytes()).expect("writes");
            }
        }
    }

    fn flush(&mut self) {
        if let Sink::Parquet(writer, pending) = self {
            if pending.is_empty() {
                return;
            }
            let lines = std::mem::take(pending);
            let columns: Vec<Column> = COLUMNS
                .iter()
                .enumerate()
                .map(|(i, (name, kind))| {
                    let text = lines.iter().map(|l| l.0[i].as_deref());
                    let s = match kind {
                        'n' => Series::new(
                            (*name).into(),
                            text.map(|v| v.map(|v| v.parse::<f64>().expect("a number"))).collect::<Vec<_>>(),
                        ),
                        'd' => Series::new(
                            (*name).into(),
                            text.map(|v| v.map(|v| v.parse::<i64>().expect("millis"))).collect::<Vec<_>>(),
                        )
                        .cast(&dtype('d'))
                        .expect("a timestamp"),
                        _ => Series::new((*name).into(), text.collect::<Vec<Option<&str>>>()),
                    };
                    s.into()
                })
                .collect();
            let df = DataFrame::new_infer_height(columns).expect("a frame");
            writer.write_batch(&df).expect("writes");
            pending.reserve(BATCH);
        }
    }

    /// Ends the file.
    pub fn finish(mut self) {
        self.flush();
        match self {
            Sink::Parquet(writer, _) => {
                writer.finish().expect("finishes");
            }
            Sink::Csv(gz) => {
                gz.finish().expect("finishes");
            }
        }
    }
}

fn dtype(kind: char) -> DataType {
    match kind {
        'n' => DataType::Float64,
        'd' => DataType::Datetime(TimeUnit::Milliseconds, None),
        _ => DataType::String,
    }
}

/// Timestamps: as millis for Parquet, as ISO text for CSV.
fn time(ms: i64, csv: bool) -> String {
    if !csv {
        return ms.to_string();
    }
    let days = ms.div_euclid(DAY_MS);
    let (y, m, d) = civil(days);
    let s = ms.rem_euclid(DAY_MS) / 1000;
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", s / 3600, s / 60 % 60, s % 60)
}

fn civil(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).expect("a decimal")
}

/// Instance `i`'s id and type, as every generator names it.
pub fn instance(i: u32) -> (String, &'static str) {
    (format!("i-{:017x}", 0x0a00_0000_0000_0000u64 + u64::from(i)), TYPES[(i as usize * 7) % TYPES.len()].0)
}

/// Writes October 2026 of an account with `instances` EC2 instances (and `instances / 100`
/// RDS databases) to the sinks, round robin over them (one sink per data file of the export);
/// instance usage in line items of `step` hours (1 for an hourly export, 24 for a daily one).
pub fn write_month<W: Write>(sinks: &mut [Sink<W>], instances: u32, csv: bool, step: u32) -> Totals {
    let start = tco_engine::age::days_from_civil("2026-10-01").expect("a date") * DAY_MS;
    let end = start + i64::from(HOURS) * HOUR_MS;
    let mut t = Totals::default();
    let mut next_sink = 0usize;
    let mut id = 0u64;
    let net = dec("0.95");
    let mut push = |line: &mut Line, t: &mut Totals, sinks: &mut [Sink<W>]| {
        id += 1;
        line.set("identity_line_item_id", format!("{id:016x}"))
            .set("bill_bill_type", "Anniversary")
            .set("bill_billing_entity", "AWS")
            .set("bill_billing_period_start_date", time(start, csv))
            .set("bill_billing_period_end_date", time(end, csv))
            .set("bill_invoicing_entity", "Amazon Web Services, Inc.")
            .set("bill_payer_account_id", "111122223333")
            .set("bill_payer_account_name", "Example Corp")
            .set("line_item_currency_code", "USD")
            .set("line_item_legal_entity", "Amazon Web Services, Inc.")
            .set("line_item_usage_account_id", "444455556666")
            .set("line_item_usage_account_name", "production")
            .set("pricing_currency", "USD");
        t.rows += 1;
        let l = std::mem::replace(line, Line::new());
        sinks[next_sink % sinks.len()].push(l);
        next_sink += 1;
    };
    let mut sp_used = Decimal::ZERO;
    for i in 0..instances {
        let (itype, rate, family) = TYPES[(i as usize * 7) % TYPES.len()];
        let rate = dec(rate);
        let paid = match i % 10 {
            0 | 1 => Paid::SavingsPlan,
            2 => Paid::Reserved,
            _ => Paid::OnDemand,
        };
        let hours = if i % 10 == 9 { HOURS / 2 } else { HOURS };
        let (resource, _) = instance(i);
        let az = ["us-east-1a", "us-east-1b", "us-east-1c"][i as usize % 3];
        let ri_rate = (rate * dec("0.65")).round_dp(6);
        let sp_rate = (rate * dec("0.6")).round_dp(6);
        for h in (0..hours).step_by(step.max(1) as usize) {
            let n = step.max(1).min(hours - h);
            let amount = Decimal::from(n);
            let (cost, ri_cost, sp_cost) = (rate * amount, ri_rate * amount, sp_rate * amount);
            let from = start + i64::from(h) * HOUR_MS;
            let until = from + i64::from(n) * HOUR_MS;
            let mut line = Line::new();
            line.set("identity_time_interval", format!("{}/{}", time(from, true), time(until, true)))
                .set("line_item_availability_zone", az)
                .set("line_item_product_code", "AmazonEC2")
                .set("product_servicecode", "AmazonEC2")
                .set("line_item_operation", "RunInstances")
                .set("product_operation", "RunInstances")
                .set("line_item_resource_id", &resource)
                .set("line_item_usage_amount", n)
                .set("line_item_usage_type", format!("USE1-BoxUsage:{itype}"))
                .set("product_usagetype", format!("USE1-BoxUsage:{itype}"))
                .set("line_item_usage_start_date", time(from, csv))
                .set("line_item_usage_end_date", time(until, csv))
                .set("line_item_normalization_factor", "4")
                .set("line_item_normalized_usage_amount", "4")
                .set("product_instance_type", itype)
                .set("product_instance_family", family)
                .set("product_instancesku", "XYZ123ABCDEF")
                .set("product_location", "US East (N. Virginia)")
                .set("product_location_type", "AWS Region")
                .set("product_region_code", "us-east-1")
                .set("product_product_family", "Compute Instance")
                .set("product_pricing_unit", "Hrs")
                .set("product_sku", "7W6DVKYTGRKMP6HZ")
                .set("pricing_unit", "Hrs")
                .set("pricing_public_on_demand_rate", rate)
                .set("pricing_public_on_demand_cost", cost)
                .set("pricing_rate_code", "7W6DVKYTGRKMP6HZ.JRTCKXETXF.6YS6EN2CT7")
                .set("line_item_line_item_description", format!("$ {rate} per On Demand Linux {itype} Instance Hour"));
            match paid {
                Paid::OnDemand => {
                    line.set("line_item_line_item_type", "Usage")
                        .set("line_item_unblended_rate", rate)
                        .set("line_item_unblended_cost", cost)
                        .set("line_item_blended_cost", cost)
                        .set("line_item_net_unblended_cost", cost * net)
                        .set("pricing_term", "OnDemand");
                    t.unblended += cost;
                    t.net_amortized += cost * net;
                    push(&mut line, &mut t, sinks);
                }
                Paid::SavingsPlan => {
                    line.set("line_item_line_item_type", "SavingsPlanCoveredUsage")
                        .set("line_item_unblended_cost", cost)
                        .set("line_item_net_unblended_cost", cost * net)
                        .set("savings_plan_savings_plan_effective_cost", sp_cost)
                        .set("savings_plan_net_savings_plan_effective_cost", sp_cost * net)
                        .set("savings_plan_savings_plan_rate", sp_rate)
                        .set("savings_plan_savings_plan_a_r_n", "arn:aws:savingsplans::111122223333:savingsplan/sp-1")
                        .set("savings_plan_offering_type", "ComputeSavingsPlans")
                        .set("savings_plan_payment_option", "No Upfront")
                        .set("savings_plan_purchase_term", "1yr");
                    let mut negation = Line(line.0.clone());
                    negation
                        .set("line_item_line_item_type", "SavingsPlanNegation")
                        .set("line_item_unblended_cost", -cost)
                        .set("line_item_net_unblended_cost", -cost * net);
                    negation.0[index("savings_plan_savings_plan_effective_cost")] = None;
                    negation.0[index("savings_plan_net_savings_plan_effective_cost")] = None;
                    sp_used += sp_cost;
                    t.net_amortized += sp_cost * net;
                    push(&mut line, &mut t, sinks);
                    push(&mut negation, &mut t, sinks);
                }
                Paid::Reserved => {
                    line.set("line_item_line_item_type", "DiscountedUsage")
                        .set("line_item_unblended_cost", "0")
                        .set("line_item_net_unblended_cost", "0")
                        .set("reservation_effective_cost", ri_cost)
                        .set("reservation_net_effective_cost", ri_cost * net)
                        .set(
                            "reservation_reservation_a_r_n",
                            format!("arn:aws:ec2:us-east-1:111122223333:reserved-instances/ri-{i}"),
                        )
                        .set("pricing_term", "Reserved")
                        .set("pricing_purchase_option", "No Upfront")
                        .set("pricing_lease_contract_length", "1yr")
                        .set("pricing_offering_class", "standard");
                    t.net_amortized += ri_cost * net;
                    push(&mut line, &mut t, sinks);
                }
            }
        }
        if paid == Paid::Reserved {
            // The reservation's fee: all of it used, so amortized bases count it as the usage.
            let fee = ri_rate * Decimal::from(hours);
            let mut line = Line::new();
            line.set("line_item_line_item_type", "RIFee")
                .set("line_item_product_code", "AmazonEC2")
                .set("product_servicecode", "AmazonEC2")
                .set("line_item_usage_type", format!("HeavyUsage:{itype}"))
                .set("line_item_unblended_cost", fee)
                .set("line_item_net_unblended_cost", fee * net)
                .set("reservation_unused_amortized_upfront_fee_for_billing_period", "0")
                .set("reservation_net_unused_amortized_upfront_fee_for_billing_period", "0")
                .set("reservation_unused_recurring_fee", "0")
                .set("reservation_net_unused_recurring_fee", "0")
                .set(
                    "reservation_reservation_a_r_n",
                    format!("arn:aws:ec2:us-east-1:111122223333:reserved-instances/ri-{i}"),
                );
            t.unblended += fee;
            push(&mut line, &mut t, sinks);
        }
        // Its gp3 volume, 100 GB billed daily (0.08 × 100 / 31 a day).
        for day in 0..31 {
            let from = start + i64::from(day) * DAY_MS;
            let cost = (dec("8") / dec("31")).round_dp(8);
            let mut line = Line::new();
            line.set("line_item_line_item_type", "Usage")
                .set("line_item_product_code", "AmazonEC2")
                .set("product_servicecode", "AmazonEC2")
                .set("line_item_usage_type", "USE1-EBS:VolumeUsage.gp3")
                .set("line_item_operation", "CreateVolume-Gp3")
                .set("line_item_resource_id", format!("vol-{:017x}", u64::from(i)))
                .set("line_item_usage_start_date", time(from, csv))
                .set("line_item_usage_amount", "3.2258064516")
                .set("line_item_unblended_cost", cost)
                .set("line_item_net_unblended_cost", cost * net)
                .set("product_product_family", "Storage")
                .set("product_region_code", "us-east-1");
            t.unblended += cost;
            t.net_amortized += cost * net;
            push(&mut line, &mut t, sinks);
        }
        t.instances += 1;
    }
    // Databases and storage, hourly.
    for db in 0..(instances / 100).max(1) {
        for h in 0..HOURS {
            let from = start + i64::from(h) * HOUR_MS;
            let cost = dec("0.171");
            let mut line = Line::new();
            line.set("line_item_line_item_type", "Usage")
                .set("line_item_product_code", "AmazonRDS")
                .set("product_servicecode", "AmazonRDS")
                .set("line_item_usage_type", "USE1-InstanceUsage:db.m5.large")
                .set("line_item_operation", "CreateDBInstance:0014")
                .set("line_item_resource_id", format!("arn:aws:rds:us-east-1:444455556666:db:orders-{db}"))
                .set("line_item_usage_start_date", time(from, csv))
                .set("line_item_usage_amount", "1")
                .set("line_item_unblended_cost", cost)
                .set("line_item_net_unblended_cost", cost * net)
                .set("product_region_code", "us-east-1");
            t.unblended += cost;
            t.net_amortized += cost * net;
            push(&mut line, &mut t, sinks);
            let transfer = dec("0.0045");
            let mut line = Line::new();
            line.set("line_item_line_item_type", "Usage")
                .set("line_item_product_code", "AWSDataTransfer")
                .set("product_servicecode", "AWSDataTransfer")
                .set("line_item_usage_type", "USE1-DataTransfer-Out-Bytes")
                .set("line_item_operation", "RunInstances")
                .set("line_item_usage_start_date", time(from, csv))
                .set("line_item_usage_amount", "0.05")
                .set("line_item_unblended_cost", transfer)
                .set("line_item_net_unblended_cost", transfer * net)
                .set("product_region_code", "us-east-1");
            t.unblended += transfer;
            t.net_amortized += transfer * net;
            push(&mut line, &mut t, sinks);
        }
    }
    // The Savings Plan: committed 10% above what was used.
    let commitment = (sp_used * dec("1.1")).round_dp(2);
    let mut line = Line::new();
    line.set("line_item_line_item_type", "SavingsPlanRecurringFee")
        .set("line_item_product_code", "ComputeSavingsPlans")
        .set("line_item_usage_type", "ComputeSP:1yrNoUpfront")
        .set("line_item_unblended_cost", commitment)
        .set("line_item_net_unblended_cost", commitment * net)
        .set("savings_plan_total_commitment_to_date", commitment)
        .set("savings_plan_used_commitment", sp_used)
        .set("savings_plan_recurring_commitment_for_billing_period", commitment);
    t.unblended += commitment;
    t.net_amortized += commitment - sp_used;
    push(&mut line, &mut t, sinks);
    for (kind, cost) in [("Tax", "1234.56"), ("Credit", "-500.00")] {
        let mut line = Line::new();
        line.set("line_item_line_item_type", kind)
            .set("line_item_product_code", "AmazonEC2")
            .set("line_item_unblended_cost", cost)
            .set("line_item_net_unblended_cost", cost);
        push(&mut line, &mut t, sinks);
    }
    t
}
