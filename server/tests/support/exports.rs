//! Billing export fixtures written by the tests in the exports' real formats and column names:
//! AWS Data Exports CUR 2.0 (Parquet with doubles and timestamps, and gzip CSV), the legacy
//! CUR's `lineItem/UnblendedCost` CSV, and FOCUS 1.2 from AWS (Parquet) and FOCUS 1.0 from
//! Azure (CSV). The column names are those of AWS's CUR 2.0 table and the FOCUS specification.
//!
//! One month (October 2026, 744 hours) of a small AWS account, with every kind of line whose
//! cost basis differs, and a September line; the totals each basis gives are worked out by
//! hand in `billing_exports.rs`.

#![allow(dead_code)]

use polars::prelude::*;
use std::io::Write;

/// A column's kind: text, a double, or a timestamp written `2026-10-01T00:00:00Z`.
#[derive(Clone, Copy, PartialEq)]
pub enum Kind {
    Text,
    Number,
    Time,
}

/// CUR 2.0 columns used here, their kind and their legacy CSV name.
pub const CUR_COLUMNS: &[(&str, Kind, &str)] = &[
    ("identity_line_item_id", Kind::Text, "identity/LineItemId"),
    ("bill_billing_period_start_date", Kind::Time, "bill/BillingPeriodStartDate"),
    ("bill_billing_period_end_date", Kind::Time, "bill/BillingPeriodEndDate"),
    ("bill_payer_account_id", Kind::Text, "bill/PayerAccountId"),
    ("line_item_line_item_type", Kind::Text, "lineItem/LineItemType"),
    ("line_item_usage_start_date", Kind::Time, "lineItem/UsageStartDate"),
    ("line_item_product_code", Kind::Text, "lineItem/ProductCode"),
    ("product_servicecode", Kind::Text, "product/servicecode"),
    ("line_item_usage_type", Kind::Text, "lineItem/UsageType"),
    ("line_item_operation", Kind::Text, "lineItem/Operation"),
    ("line_item_resource_id", Kind::Text, "lineItem/ResourceId"),
    ("line_item_usage_amount", Kind::Number, "lineItem/UsageAmount"),
    ("line_item_unblended_cost", Kind::Number, "lineItem/UnblendedCost"),
    ("line_item_net_unblended_cost", Kind::Number, "lineItem/NetUnblendedCost"),
    ("line_item_currency_code", Kind::Text, "lineItem/CurrencyCode"),
    ("product_instance_type", Kind::Text, "product/instanceType"),
    ("product_region_code", Kind::Text, "product/region"),
    ("pricing_public_on_demand_cost", Kind::Number, "pricing/publicOnDemandCost"),
    ("savings_plan_savings_plan_effective_cost", Kind::Number, "savingsPlan/SavingsPlanEffectiveCost"),
    ("savings_plan_net_savings_plan_effective_cost", Kind::Number, "savingsPlan/NetSavingsPlanEffectiveCost"),
    ("savings_plan_total_commitment_to_date", Kind::Number, "savingsPlan/TotalCommitmentToDate"),
    ("savings_plan_used_commitment", Kind::Number, "savingsPlan/UsedCommitment"),
    ("reservation_effective_cost", Kind::Number, "reservation/EffectiveCost"),
    ("reservation_net_effective_cost", Kind::Number, "reservation/NetEffectiveCost"),
    (
        "reservation_unused_amortized_upfront_fee_for_billing_period",
        Kind::Number,
        "reservation/UnusedAmortizedUpfrontFeeForBillingPeriod",
    ),
    (
        "reservation_net_unused_amortized_upfront_fee_for_billing_period",
        Kind::Number,
        "reservation/NetUnusedAmortizedUpfrontFeeForBillingPeriod",
    ),
    ("reservation_unused_recurring_fee", Kind::Number, "reservation/UnusedRecurringFee"),
    ("reservation_net_unused_recurring_fee", Kind::Number, "reservation/NetUnusedRecurringFee"),
    ("reservation_reservation_a_r_n", Kind::Text, "reservation/ReservationARN"),
];

/// One line item: (column, value) pairs; absent columns are null.
pub type Line = Vec<(&'static str, &'static str)>;

const OCT: &str = "2026-10-01T00:00:00Z";
const NOV: &str = "2026-11-01T00:00:00Z";
const SEP: &str = "2026-09-01T00:00:00Z";
const RI: &str = "arn:aws:ec2:us-east-1:111122223333:reserved-instances/ri-1";

fn line(id: &'static str, period: &'static str, fields: &[(&'static str, &'static str)]) -> Line {
    let end = if period == OCT { NOV } else { OCT };
    let mut l = vec![
        ("identity_line_item_id", id),
        ("bill_billing_period_start_date", period),
        ("bill_billing_period_end_date", end),
        ("bill_payer_account_id", "111122223333"),
        ("line_item_usage_start_date", period),
        ("line_item_currency_code", "USD"),
    ];
    l.extend_from_slice(fields);
    l
}

fn ec2(
    id: &'static str,
    kind: &'static str,
    resource: &'static str,
    t: &'static str,
    usage_type: &'static str,
) -> Line {
    line(
        id,
        OCT,
        &[
            ("line_item_line_item_type", kind),
            ("line_item_product_code", "AmazonEC2"),
            ("product_servicecode", "AmazonEC2"),
            ("line_item_usage_type", usage_type),
            ("line_item_operation", "RunInstances"),
            ("line_item_resource_id", resource),
            ("product_instance_type", t),
            ("product_region_code", "us-east-1"),
        ],
    )
}

/// `l` with `fields` set (replacing values it had).
fn with(mut l: Line, fields: &[(&'static str, &'static str)]) -> Line {
    for (c, v) in fields {
        l.retain(|(k, _)| k != c);
        l.push((*c, *v));
    }
    l
}

/// The account's line items. Negotiated discounts (5%) show only in the net columns.
pub fn cur_lines() -> Vec<Line> {
    vec![
        // On demand all month: 744 h × $0.34.
        with(
            ec2("l01", "Usage", "i-0aaa00000000000a1", "c5.2xlarge", "USE1-BoxUsage:c5.2xlarge"),
            &[
                ("line_item_usage_amount", "744"),
                ("line_item_unblended_cost", "252.96"),
                ("line_item_net_unblended_cost", "240.312"),
                ("pricing_public_on_demand_cost", "252.96"),
            ],
        ),
        // Covered by a Savings Plan: on-demand value 744 × $0.192, effective 744 × $0.12.
        with(
            ec2("l02", "SavingsPlanCoveredUsage", "i-0bbb00000000000b2", "m5.xlarge", "USE1-BoxUsage:m5.xlarge"),
            &[
                ("line_item_usage_amount", "744"),
                ("line_item_unblended_cost", "142.848"),
                ("line_item_net_unblended_cost", "135.7056"),
                ("savings_plan_savings_plan_effective_cost", "89.28"),
                ("savings_plan_net_savings_plan_effective_cost", "84.816"),
            ],
        ),
        // …and the negation that cancels its on-demand value on the invoice.
        with(
            ec2("l03", "SavingsPlanNegation", "i-0bbb00000000000b2", "m5.xlarge", "USE1-BoxUsage:m5.xlarge"),
            &[
                ("line_item_usage_amount", "744"),
                ("line_item_unblended_cost", "-142.848"),
                ("line_item_net_unblended_cost", "-135.7056"),
            ],
        ),
        // A No Upfront Reserved Instance: usage at $0, its effective cost 744 × $0.08.
        with(
            ec2("l04", "DiscountedUsage", "i-0ccc00000000000c3", "r5.large", "USE1-BoxUsage:r5.large"),
            &[
                ("line_item_usage_amount", "744"),
                ("line_item_unblended_cost", "0"),
                ("line_item_net_unblended_cost", "0"),
                ("reservation_effective_cost", "59.52"),
                ("reservation_net_effective_cost", "56.544"),
                ("reservation_reservation_a_r_n", RI),
            ],
        ),
        // Half the month: 372 h × $0.085.
        with(
            ec2("l05", "Usage", "i-0ddd00000000000d4", "c5.large", "USE1-BoxUsage:c5.large"),
            &[
                ("line_item_usage_amount", "372"),
                ("line_item_unblended_cost", "31.62"),
                ("line_item_net_unblended_cost", "30.039"),
            ],
        ),
        // EBS: EC2, not instance hours.
        line(
            "l06",
            OCT,
            &[
                ("line_item_line_item_type", "Usage"),
                ("line_item_product_code", "AmazonEC2"),
                ("product_servicecode", "AmazonEC2"),
                ("line_item_usage_type", "USE1-EBS:VolumeUsage.gp3"),
                ("line_item_operation", "CreateVolume-Gp3"),
                ("line_item_resource_id", "vol-0aa"),
                ("line_item_usage_amount", "200"),
                ("line_item_unblended_cost", "16.00"),
                ("line_item_net_unblended_cost", "15.20"),
                ("product_region_code", "us-east-1"),
            ],
        ),
        line(
            "l07",
            OCT,
            &[
                ("line_item_line_item_type", "Usage"),
                ("line_item_product_code", "AmazonRDS"),
                ("product_servicecode", "AmazonRDS"),
                ("line_item_usage_type", "USE1-InstanceUsage:db.m5.large"),
                ("line_item_operation", "CreateDBInstance:0014"),
                ("line_item_resource_id", "arn:aws:rds:us-east-1:111122223333:db:orders"),
                ("line_item_usage_amount", "744"),
                ("line_item_unblended_cost", "127.22"),
                ("line_item_net_unblended_cost", "120.859"),
                ("product_region_code", "us-east-1"),
            ],
        ),
        // The Savings Plan's fee: $100 committed, $89.28 of it used.
        line(
            "l08",
            OCT,
            &[
                ("line_item_line_item_type", "SavingsPlanRecurringFee"),
                ("line_item_product_code", "ComputeSavingsPlans"),
                ("line_item_usage_type", "ComputeSP:1yrNoUpfront"),
                ("line_item_unblended_cost", "100.00"),
                ("line_item_net_unblended_cost", "95.00"),
                ("savings_plan_total_commitment_to_date", "100.00"),
                ("savings_plan_used_commitment", "89.28"),
            ],
        ),
        // A partial-upfront Savings Plan's upfront fee, paid this month: spread by the plan's
        // effective cost, so amortized bases leave it out.
        line(
            "l15",
            OCT,
            &[
                ("line_item_line_item_type", "SavingsPlanUpfrontFee"),
                ("line_item_product_code", "ComputeSavingsPlans"),
                ("line_item_usage_type", "ComputeSP:1yrPartialUpfront"),
                ("line_item_unblended_cost", "120.00"),
                ("line_item_net_unblended_cost", "114.00"),
            ],
        ),
        // The Reserved Instance's monthly fee, all of it used.
        line(
            "l09",
            OCT,
            &[
                ("line_item_line_item_type", "RIFee"),
                ("line_item_product_code", "AmazonEC2"),
                ("product_servicecode", "AmazonEC2"),
                ("line_item_usage_type", "HeavyUsage:r5.large"),
                ("line_item_unblended_cost", "59.52"),
                ("line_item_net_unblended_cost", "56.544"),
                ("reservation_unused_amortized_upfront_fee_for_billing_period", "0"),
                ("reservation_net_unused_amortized_upfront_fee_for_billing_period", "0"),
                ("reservation_unused_recurring_fee", "0"),
                ("reservation_net_unused_recurring_fee", "0"),
                ("reservation_reservation_a_r_n", RI),
            ],
        ),
        line(
            "l10",
            OCT,
            &[
                ("line_item_line_item_type", "Tax"),
                ("line_item_product_code", "AmazonEC2"),
                ("line_item_unblended_cost", "25.00"),
                ("line_item_net_unblended_cost", "25.00"),
            ],
        ),
        line(
            "l11",
            OCT,
            &[
                ("line_item_line_item_type", "Credit"),
                ("line_item_product_code", "AmazonEC2"),
                ("line_item_unblended_cost", "-40.00"),
                ("line_item_net_unblended_cost", "-40.00"),
            ],
        ),
        line(
            "l12",
            OCT,
            &[
                ("line_item_line_item_type", "Refund"),
                ("line_item_product_code", "AmazonRDS"),
                ("line_item_unblended_cost", "-10.00"),
                ("line_item_net_unblended_cost", "-10.00"),
            ],
        ),
        // Split cost allocation re-distributes an instance's cost to pods: never counted twice.
        with(
            ec2("l13", "Usage", "i-0aaa00000000000a1", "c5.2xlarge", "USE1-EKS-EC2-vCPU-Hours"),
            &[
                ("line_item_operation", "EKSPod-EC2"),
                ("line_item_usage_amount", "744"),
                ("line_item_unblended_cost", "99.99"),
                ("line_item_net_unblended_cost", "99.99"),
            ],
        ),
        // Last month.
        line(
            "l14",
            SEP,
            &[
                ("line_item_line_item_type", "Usage"),
                ("line_item_product_code", "AmazonEC2"),
                ("product_servicecode", "AmazonEC2"),
                ("line_item_usage_type", "USE1-BoxUsage:c5.2xlarge"),
                ("line_item_operation", "RunInstances"),
                ("line_item_resource_id", "i-0aaa00000000000a1"),
                ("product_instance_type", "c5.2xlarge"),
                ("product_region_code", "us-east-1"),
                ("line_item_usage_amount", "720"),
                ("line_item_unblended_cost", "244.80"),
                ("line_item_net_unblended_cost", "232.56"),
            ],
        ),
    ]
}

/// Milliseconds since 1970 of `YYYY-MM-DDT00:00:00Z`.
fn millis(ts: &str) -> i64 {
    tco_engine::age::days_from_civil(&ts[..10]).expect("a date") * 86_400_000
}

/// The lines as a typed frame, the way AWS writes Parquet: doubles and timestamps.
pub fn frame(columns: &[(&str, Kind, &str)], lines: &[Line]) -> DataFrame {
    let series: Vec<Column> = columns
        .iter()
        .map(|(name, kind, _)| {
            let values = lines.iter().map(|l| l.iter().find(|(c, _)| c == name).map(|(_, v)| *v));
            let s = match kind {
                Kind::Text => Series::new((*name).into(), values.collect::<Vec<Option<&str>>>()),
                Kind::Number => Series::new(
                    (*name).into(),
                    values.map(|v| v.map(|v| v.parse::<f64>().expect("a number"))).collect::<Vec<Option<f64>>>(),
                ),
                Kind::Time => Series::new((*name).into(), values.map(|v| v.map(millis)).collect::<Vec<Option<i64>>>())
                    .cast(&DataType::Datetime(TimeUnit::Milliseconds, None))
                    .expect("a timestamp"),
            };
            s.into()
        })
        .collect();
    DataFrame::new_infer_height(series).expect("a frame")
}

/// The frame as a snappy Parquet file.
pub fn parquet(mut df: DataFrame) -> Vec<u8> {
    let mut out = Vec::new();
    ParquetWriter::new(&mut out).with_compression(ParquetCompression::Snappy).finish(&mut df).expect("writes");
    out
}

/// The lines as CSV with CUR 2.0 names, or with the legacy `category/Name` headers.
pub fn csv(columns: &[(&str, Kind, &str)], lines: &[Line], legacy: bool) -> String {
    let mut out = String::new();
    let names: Vec<&str> = columns.iter().map(|(n, _, l)| if legacy { *l } else { *n }).collect();
    out.push_str(&names.join(","));
    out.push('\n');
    for l in lines {
        let fields: Vec<String> = columns
            .iter()
            .map(|(name, _, _)| {
                let v = l.iter().find(|(c, _)| c == name).map(|(_, v)| *v).unwrap_or("");
                if v.contains([',', '"']) {
                    format!("\"{}\"", v.replace('"', "\"\""))
                } else {
                    v.to_string()
                }
            })
            .collect();
        out.push_str(&fields.join(","));
        out.push('\n');
    }
    out
}

pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

pub fn zstd(bytes: &[u8]) -> Vec<u8> {
    zstd::encode_all(bytes, 3).unwrap()
}

/// FOCUS columns used here (both providers' `x_` columns; each export has its own).
pub const FOCUS_COLUMNS: &[(&str, Kind, &str)] = &[
    ("BillingPeriodStart", Kind::Time, ""),
    ("BillingPeriodEnd", Kind::Time, ""),
    ("ChargePeriodStart", Kind::Time, ""),
    ("BillingAccountId", Kind::Text, ""),
    ("BillingCurrency", Kind::Text, ""),
    ("ProviderName", Kind::Text, ""),
    ("PublisherName", Kind::Text, ""),
    ("InvoiceIssuerName", Kind::Text, ""),
    ("ServiceName", Kind::Text, ""),
    ("ServiceCategory", Kind::Text, ""),
    ("ChargeCategory", Kind::Text, ""),
    ("ChargeClass", Kind::Text, ""),
    ("ChargeFrequency", Kind::Text, ""),
    ("CommitmentDiscountStatus", Kind::Text, ""),
    ("ResourceId", Kind::Text, ""),
    ("RegionId", Kind::Text, ""),
    ("SkuMeter", Kind::Text, ""),
    ("PricingUnit", Kind::Text, ""),
    ("ConsumedQuantity", Kind::Number, ""),
    ("ConsumedUnit", Kind::Text, ""),
    ("BilledCost", Kind::Number, ""),
    ("EffectiveCost", Kind::Number, ""),
    ("ListCost", Kind::Number, ""),
    ("ContractedCost", Kind::Number, ""),
];

pub const AWS_FOCUS_EXTRA: &[(&str, Kind, &str)] =
    &[("x_ServiceCode", Kind::Text, ""), ("x_Operation", Kind::Text, "")];
pub const AZURE_FOCUS_EXTRA: &[(&str, Kind, &str)] = &[
    ("x_SkuMeterCategory", Kind::Text, ""),
    ("x_SkuDetails", Kind::Text, ""),
    ("x_ResourceGroupName", Kind::Text, ""),
];

fn focus(provider: &'static str, fields: &[(&'static str, &'static str)]) -> Line {
    let mut l = vec![
        ("BillingPeriodStart", OCT),
        ("BillingPeriodEnd", NOV),
        ("ChargePeriodStart", OCT),
        ("BillingAccountId", "acct-1"),
        ("BillingCurrency", "USD"),
        ("ProviderName", provider),
        ("PublisherName", provider),
        ("InvoiceIssuerName", provider),
        ("ChargeClass", ""),
    ];
    l.extend_from_slice(fields);
    l
}

/// AWS's FOCUS 1.2 export (`FOCUS_1_2_AWS`) of another account in October.
pub fn aws_focus_lines() -> Vec<Line> {
    let ec2 = "Amazon Elastic Compute Cloud";
    let sp = "Savings Plans for AWS Compute usage";
    vec![
        focus(
            "AWS",
            &[
                ("ServiceName", ec2),
                ("ServiceCategory", "Compute"),
                ("ChargeCategory", "Usage"),
                ("ChargeFrequency", "Usage-Based"),
                ("ResourceId", "i-0eee00000000000e5"),
                ("RegionId", "us-east-1"),
                ("SkuMeter", "USE1-BoxUsage:m5.large"),
                ("x_ServiceCode", "AmazonEC2"),
                ("x_Operation", "RunInstances"),
                ("PricingUnit", "Hrs"),
                ("ConsumedQuantity", "744"),
                ("ConsumedUnit", "Hrs"),
                ("BilledCost", "71.424"),
                ("EffectiveCost", "71.424"),
                ("ListCost", "71.424"),
                ("ContractedCost", "71.424"),
            ],
        ),
        focus(
            "AWS",
            &[
                ("ServiceName", ec2),
                ("ServiceCategory", "Compute"),
                ("ChargeCategory", "Usage"),
                ("ChargeFrequency", "Usage-Based"),
                ("CommitmentDiscountStatus", "Used"),
                ("ResourceId", "i-0fff00000000000f6"),
                ("RegionId", "us-east-1"),
                ("SkuMeter", "USE1-BoxUsage:c5.xlarge"),
                ("x_ServiceCode", "AmazonEC2"),
                ("x_Operation", "RunInstances"),
                ("ConsumedQuantity", "744"),
                ("BilledCost", "0"),
                ("EffectiveCost", "50.00"),
                ("ListCost", "126.48"),
            ],
        ),
        focus(
            "AWS",
            &[
                ("ServiceName", sp),
                ("ServiceCategory", "Compute"),
                ("ChargeCategory", "Purchase"),
                ("ChargeFrequency", "Recurring"),
                ("x_ServiceCode", "ComputeSavingsPlans"),
                ("BilledCost", "55.00"),
                ("EffectiveCost", "0"),
            ],
        ),
        focus(
            "AWS",
            &[
                ("ServiceName", sp),
                ("ServiceCategory", "Compute"),
                ("ChargeCategory", "Usage"),
                ("ChargeFrequency", "Recurring"),
                ("CommitmentDiscountStatus", "Unused"),
                ("x_ServiceCode", "ComputeSavingsPlans"),
                ("BilledCost", "0"),
                ("EffectiveCost", "10.00"),
            ],
        ),
        focus(
            "AWS",
            &[
                ("ServiceName", "Amazon Simple Storage Service"),
                ("ServiceCategory", "Storage"),
                ("ChargeCategory", "Usage"),
                ("x_ServiceCode", "AmazonS3"),
                ("x_Operation", "StandardStorage"),
                ("ResourceId", "media-bucket"),
                ("ConsumedQuantity", "536.5"),
                ("BilledCost", "12.34"),
                ("EffectiveCost", "12.34"),
            ],
        ),
        focus(
            "AWS",
            &[
                ("ServiceName", ec2),
                ("ServiceCategory", "Compute"),
                ("ChargeCategory", "Credit"),
                ("x_ServiceCode", "AmazonEC2"),
                ("BilledCost", "-5.00"),
                ("EffectiveCost", "-5.00"),
            ],
        ),
    ]
}

/// Azure's FOCUS 1.0 export (Cost Management `FocusCost`) in October.
pub fn azure_focus_lines() -> Vec<Line> {
    let vm = "/subscriptions/0000-1111/resourceGroups/shop/providers/Microsoft.Compute/virtualMachines/";
    vec![
        focus(
            "Microsoft",
            &[
                ("ServiceName", "Virtual Machines"),
                ("ServiceCategory", "Compute"),
                ("ChargeCategory", "Usage"),
                ("ResourceId", const_str(vm, "web-1")),
                ("RegionId", "eastus"),
                ("x_SkuMeterCategory", "Virtual Machines"),
                ("x_SkuDetails", r#"{"ServiceType":"Standard_D2s_v3","VCPUs":2,"UsageType":"ComputeHR"}"#),
                ("x_ResourceGroupName", "shop"),
                ("ConsumedQuantity", "744"),
                ("ConsumedUnit", "Hours"),
                ("BilledCost", "70.08"),
                ("EffectiveCost", "70.08"),
            ],
        ),
        focus(
            "Microsoft",
            &[
                ("ServiceName", "Virtual Machines"),
                ("ServiceCategory", "Compute"),
                ("ChargeCategory", "Usage"),
                ("ResourceId", const_str(vm, "batch-1")),
                ("RegionId", "eastus"),
                ("x_SkuMeterCategory", "Virtual Machines"),
                ("x_SkuDetails", r#"{"ServiceType":"Standard_D4s_v3","VCPUs":4}"#),
                ("ConsumedQuantity", "150"),
                ("ConsumedUnit", "Hours"),
                ("BilledCost", "28.80"),
                ("EffectiveCost", "28.80"),
            ],
        ),
        focus(
            "Microsoft",
            &[
                ("ServiceName", "Storage"),
                ("ServiceCategory", "Storage"),
                ("ChargeCategory", "Usage"),
                ("x_SkuMeterCategory", "Storage"),
                ("ResourceId", "/subscriptions/0000-1111/disks/d1"),
                ("ConsumedQuantity", "128"),
                ("BilledCost", "20.00"),
                ("EffectiveCost", "20.00"),
            ],
        ),
        focus(
            "Microsoft",
            &[
                ("ServiceName", "Virtual Machines"),
                ("ServiceCategory", "Compute"),
                ("ChargeCategory", "Tax"),
                ("BilledCost", "9.00"),
                ("EffectiveCost", "9.00"),
            ],
        ),
    ]
}

/// `a` followed by `b`, for the fixtures' string literals.
fn const_str(a: &'static str, b: &'static str) -> &'static str {
    Box::leak(format!("{a}{b}").into_boxed_str())
}

/// FOCUS columns plus one provider's `x_` columns.
pub fn focus_columns(extra: &[(&'static str, Kind, &'static str)]) -> Vec<(&'static str, Kind, &'static str)> {
    FOCUS_COLUMNS.iter().chain(extra).copied().collect()
}
