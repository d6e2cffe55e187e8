//! Billing exports in their real formats: today's bill on every cost basis (totals worked out
//! by hand below), the same rows in Parquet, CSV, gzip and zstd CSV and with legacy headers,
//! an export's folder read through its manifest, FOCUS from two clouds, and the README's
//! aggregation query giving the same import as the export it reduces.

// Amounts in cents are written dollars_cents (707_32 is $707.32).
#![allow(clippy::inconsistent_digit_grouping, clippy::mistyped_literal_suffixes, clippy::type_complexity)]

#[path = "support/exports.rs"]
mod exports;

use exports::*;
use polars::prelude::*;
use serde_json::Value;
use std::process::Command;
use tco_engine::bill::{Charge, CostBasis};
use tco_engine::{estimate, Assumptions, Scenario, Usd, Workloads};
use tco_server::import::{import_files, Context, Format, InputFile};

fn import(files: &[(&str, &[u8])]) -> Workloads {
    let a = Assumptions::default();
    let inputs: Vec<InputFile> = files.iter().map(|(name, bytes)| InputFile { name, bytes }).collect();
    import_files(&inputs, Context::new(tco_pricing_data::embedded(), &a), None)
        .unwrap_or_else(|e| panic!("{e}"))
        .workloads
}

fn cents(u: Option<Usd>) -> Option<i64> {
    u.map(Usd::cents)
}

fn cur_parquet() -> Vec<u8> {
    parquet(frame(CUR_COLUMNS, &cur_lines()))
}

/// October's compared charges (usage and commitments), by hand:
///
/// | line | unblended | net unblended | amortized | net amortized |
/// |---|---:|---:|---:|---:|
/// | i-0aaa c5.2xlarge on demand | 252.96 | 240.312 | 252.96 | 240.312 |
/// | i-0bbb m5.xlarge, Savings Plan (covered + negation) | 0 | 0 | 89.28 | 84.816 |
/// | i-0ccc r5.large, Reserved Instance | 0 | 0 | 59.52 | 56.544 |
/// | i-0ddd c5.large, 372 of 744 h | 31.62 | 30.039 | 31.62 | 30.039 |
/// | AmazonEC2: EBS 16.00 + RI fee 59.52 (unused 0) | 75.52 | 71.744 | 16.00 | 15.20 |
/// | AmazonRDS | 127.22 | 120.859 | 127.22 | 120.859 |
/// | ComputeSavingsPlans: fee 100 (unused 10.72) + upfront 120 | 220.00 | 209.00 | 10.72 | 10.72 |
/// | total | 707.32 | 671.954 | 587.32 | 558.49 |
///
/// The split-cost-allocation line (99.99) is not counted; tax 25, credit −40 and refund −10 are
/// their own lines.
const TOTALS: [(CostBasis, i64); 4] = [
    (CostBasis::Unblended, 707_32),
    (CostBasis::NetUnblended, 671_95),
    (CostBasis::Amortized, 587_32),
    (CostBasis::NetAmortized, 558_49),
];

#[test]
fn a_cur_2_parquet_export_gives_the_month_on_every_basis() {
    let w = import(&[("cur2-00001.snappy.parquet", &cur_parquet())]);
    let bill = w.bill.as_ref().expect("a bill");
    assert_eq!(bill.months.iter().map(|m| m.period.as_str()).collect::<Vec<_>>(), vec!["2026-09", "2026-10"]);
    let october = bill.latest().unwrap();
    assert_eq!(october.hours, 744);
    let compared = october.total(Charge::compared);
    for (basis, want) in TOTALS {
        assert_eq!(compared.get(basis).map(Usd::cents), Some(want), "{basis:?}");
    }
    let others = |c: Charge| cents(october.total(|x| x == c).get(CostBasis::NetAmortized));
    assert_eq!(
        (others(Charge::Tax), others(Charge::Credit), others(Charge::Refund)),
        (Some(25_00), Some(-40_00), Some(-10_00))
    );
    // September: one instance, 720 h.
    assert_eq!(bill.months[0].total(Charge::compared).unblended_usd.map(Usd::cents), Some(244_80));

    // Today's figures are on the default basis, net amortized.
    assert_eq!(w.current_monthly_usd.cents(), 558_49);
    let instances: Vec<(&str, &str, Option<f64>, Option<i64>)> =
        w.instances.iter().map(|i| (i.id.as_str(), i.instance_type.as_str(), i.hours, cents(i.monthly_usd))).collect();
    assert_eq!(
        instances,
        vec![
            ("i-0aaa00000000000a1", "c5.2xlarge", Some(744.0), Some(240_31)),
            ("i-0bbb00000000000b2", "m5.xlarge", Some(744.0), Some(84_82)),
            ("i-0ccc00000000000c3", "r5.large", Some(744.0), Some(56_54)),
            ("i-0ddd00000000000d4", "c5.large", Some(372.0), Some(30_04)),
        ]
    );
    assert_eq!(
        w.instances[1].by_basis.unwrap().unblended_usd,
        Some(Usd::ZERO),
        "covered hours net to zero as invoiced"
    );
    assert_eq!(w.instances[0].region.as_deref(), Some("us-east-1"));

    // No inventory: the billed instances are the fleet, one process per type, costing what was paid.
    let fleet = w.apps.iter().find(|a| a.name == "ec2-fleet").expect("the fleet");
    let processes: Vec<(&str, u32, Option<u32>, i64)> = fleet
        .processes
        .iter()
        .map(|p| (p.name.as_str(), p.replicas, p.hours_per_month, p.monthly_usd.cents()))
        .collect();
    assert_eq!(
        processes,
        vec![
            ("c5.2xlarge", 1, None, 240_31),
            ("m5.xlarge", 1, None, 84_82),
            ("r5.large", 1, None, 56_54),
            ("c5.large", 1, Some(365), 30_04)
        ],
        "372 of 744 hours is 365 of a 730-hour month"
    );
    let bill_app = w.apps.iter().find(|a| a.name == "aws-bill").expect("the services");
    let services: Vec<(&str, i64, Option<i64>)> = bill_app
        .addons
        .iter()
        .map(|x| (x.name.as_str(), x.monthly_usd.cents(), cents(x.by_basis.unwrap().unblended_usd)))
        .collect();
    assert_eq!(
        services,
        vec![
            ("AmazonEC2", 15_20, Some(75_52)),
            ("AmazonRDS", 120_86, Some(127_22)),
            ("ComputeSavingsPlans", 10_72, Some(220_00))
        ]
    );
    assert!(w.warnings.iter().any(|x| x.message.contains("the bill holds 2026-09, 2026-10")), "{:?}", w.warnings);
}

#[test]
fn the_estimate_reads_today_on_the_scenarios_basis_with_credits_refunds_and_tax_apart() {
    let w = import(&[("cur.parquet", &cur_parquet())]);
    for (basis, want) in TOTALS {
        let mut s = Scenario { workloads: w.clone(), ..Scenario::default() };
        s.assumptions.bill_basis = basis;
        let r = estimate(&s, tco_pricing_data::embedded()).unwrap();
        assert_eq!(r.current.monthly_usd.cents(), want, "{basis:?}");
        assert_eq!(r.current.basis, Some(basis));
        let other: Vec<(&str, i64)> =
            r.current.other_charges.iter().map(|l| (l.category.as_str(), l.monthly_usd.cents())).collect();
        assert_eq!(other, vec![("credits (AWS)", -40_00), ("refunds (AWS)", -10_00), ("tax (AWS)", 25_00)]);
        // Every option keeps the bill's other services at today's price, on the same basis.
        let kept = r.options[0]
            .breakdown
            .iter()
            .find(|l| l.group == tco_engine::report::CostGroup::AddOns)
            .expect("kept services");
        let services = match basis {
            CostBasis::Unblended => 75_52 + 127_22 + 220_00,
            CostBasis::NetUnblended => 71_744 / 10 + 120_859 / 10 + 209_00,
            CostBasis::Amortized => 16_00 + 127_22 + 10_72,
            CostBasis::NetAmortized => 15_20 + 120_859 / 10 + 10_72,
        };
        assert!(
            (kept.monthly_usd.cents() - services).abs() <= 1,
            "{basis:?}: {} vs {services}",
            kept.monthly_usd.cents()
        );
    }
    let r = estimate(&Scenario { workloads: w, ..Scenario::default() }, tco_pricing_data::embedded()).unwrap();
    let ec2 = r.current.breakdown.iter().find(|l| l.category.starts_with("EC2 instances")).unwrap();
    assert_eq!(ec2.category, "EC2 instances (as billed, net amortized (commitments spread, after discounts))");
    // 240.312 + 84.816 + 56.544 + 30.039
    assert_eq!(ec2.monthly_usd.cents(), 411_71);
    assert!(
        r.warnings.iter().any(|x| x
            .starts_with("no utilization imported for the EC2 fleet (4 instances): each instance is sized as a whole")),
        "{:?}",
        r.warnings
    );
    // How much of the estimate rests on sizing each instance whole: a labelled sweep, outside
    // the band, that costs less the less of each instance it takes.
    let mut cheaper = 0;
    for o in &r.options {
        let row = o
            .sensitivity
            .iter()
            .find(|s| s.assumption.starts_with("Peak use of EC2 instances without imported utilization (4 groups"))
            .unwrap_or_else(|| panic!("{}: {:?}", o.label, o.sensitivity));
        assert_eq!((row.at_low.as_str(), row.at_high.as_str(), row.in_band), ("25%", "75%", false));
        assert!(row.savings_at_low_usd >= row.savings_at_high_usd, "{}: {row:?}", o.label);
        cheaper += usize::from(row.savings_at_low_usd > row.savings_at_high_usd);
    }
    assert!(cheaper > 0, "a quarter of each instance packs tighter somewhere");
}

#[test]
fn csv_gzip_zstd_and_legacy_headers_import_as_the_parquet_does() {
    let lines = cur_lines();
    let want = serde_json::to_value(import(&[("export", &cur_parquet())])).unwrap();
    let csv2 = csv(CUR_COLUMNS, &lines, false).into_bytes();
    let legacy = csv(CUR_COLUMNS, &lines, true).into_bytes();
    for (what, bytes) in [
        ("CUR 2.0 CSV", csv2.clone()),
        ("gzip CSV", gzip(&csv2)),
        ("zstd CSV", zstd(&csv2)),
        ("legacy CUR CSV", legacy.clone()),
        ("legacy gzip CSV", gzip(&legacy)),
    ] {
        let got = serde_json::to_value(import(&[("export", &bytes)])).unwrap();
        assert_eq!(got, want, "{what}");
    }
}

#[test]
fn an_export_split_over_files_is_one_bill() {
    let lines = cur_lines();
    let (a, b) = lines.split_at(6);
    let one = import(&[("export", &cur_parquet())]);
    let two = import(&[
        ("x-00001.snappy.parquet", &parquet(frame(CUR_COLUMNS, a))),
        ("x-00002.csv.gz", &gzip(csv(CUR_COLUMNS, b, false).as_bytes())),
    ]);
    assert_eq!(two.current_monthly_usd, one.current_monthly_usd);
    assert_eq!(two.bill.as_ref().unwrap().months, one.bill.as_ref().unwrap().months);
    assert_eq!(two.instances.len(), 4);
}

#[test]
fn a_cost_that_is_not_a_number_is_skipped_and_reported_with_its_line() {
    let text = csv(CUR_COLUMNS, &cur_lines(), false);
    // `n/a` where i-0aaa's cost should be: line 2 of the file (the header is line 1).
    let text = text.replacen(",252.96,", ",n/a,", 1);
    let w = import(&[("cur.csv", text.as_bytes())]);
    let warning = w.warnings.iter().find(|x| x.message.contains("not a number")).expect("a warning");
    assert_eq!((warning.file.as_str(), warning.line), ("cur.csv", Some(2)));
    assert_eq!(warning.message, "1 line(s) skipped: the cost is not a number (first at line 2)");
    // The skipped line was i-0aaa's October usage: 558.49 − 240.312 = 318.178.
    assert_eq!(w.current_monthly_usd.cents(), 318_18);
    assert_eq!(w.instances.len(), 3);
}

#[test]
fn focus_from_aws_and_azure_is_one_bill_on_its_two_bases() {
    let aws = parquet(frame(&focus_columns(AWS_FOCUS_EXTRA), &aws_focus_lines()));
    let azure = gzip(csv(&focus_columns(AZURE_FOCUS_EXTRA), &azure_focus_lines(), false).as_bytes());
    let w = import(&[("aws-focus.parquet", &aws), ("azure-focus.csv.gz", &azure)]);
    let october = w.bill.as_ref().unwrap().latest().unwrap();
    let compared = october.total(Charge::compared);
    // BilledCost: AWS 71.424 + 0 + 55 + 0 + 12.34; Azure 70.08 + 28.80 + 20 → 257.644
    assert_eq!(cents(compared.net_unblended_usd), Some(257_64));
    // EffectiveCost: AWS 71.424 + 50 + 0 + 10 + 12.34; Azure 98.88 + 20 → 262.644
    assert_eq!(cents(compared.net_amortized_usd), Some(262_64));
    assert_eq!((compared.unblended_usd, compared.amortized_usd), (None, None), "FOCUS has no gross bases");
    assert_eq!(w.current_monthly_usd.cents(), 262_64);

    let listed: Vec<(&str, &str, Option<f64>, Option<&str>, bool)> = w
        .instances
        .iter()
        .map(|i| {
            (
                i.id.rsplit('/').next().unwrap(),
                i.instance_type.as_str(),
                i.hours,
                i.provider.as_deref(),
                i.monthly_usd.is_some(),
            )
        })
        .collect();
    assert_eq!(
        listed,
        vec![
            ("batch-1", "Standard_D4s_v3", Some(150.0), Some("Microsoft"), false),
            ("web-1", "Standard_D2s_v3", Some(744.0), Some("Microsoft"), false),
            ("i-0eee00000000000e5", "m5.large", Some(744.0), None, true),
            ("i-0fff00000000000f6", "c5.xlarge", Some(744.0), None, true),
        ]
    );
    let apps: Vec<(&str, Vec<(&str, i64)>)> = w
        .apps
        .iter()
        .map(|a| (a.name.as_str(), a.addons.iter().map(|x| (x.name.as_str(), x.monthly_usd.cents())).collect()))
        .collect();
    assert_eq!(
        apps,
        vec![
            (
                "aws-bill",
                vec![("Amazon Simple Storage Service", 12_34), ("Savings Plans for AWS Compute usage", 10_00)]
            ),
            ("microsoft-bill", vec![("Storage", 20_00), ("Virtual Machines", 98_88)]),
            ("ec2-fleet", vec![]),
        ]
    );
    // Only the AWS instances become the fleet to move.
    let fleet: Vec<&str> = w.apps[2].processes.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(fleet, vec!["m5.large", "c5.xlarge"]);

    // Unblended reads BilledCost; credits and tax are apart.
    let mut s = Scenario { workloads: w, ..Scenario::default() };
    s.assumptions.bill_basis = CostBasis::Unblended;
    let r = estimate(&s, tco_pricing_data::embedded()).unwrap();
    assert_eq!(r.current.monthly_usd.cents(), 257_64);
    let other: Vec<(&str, i64)> =
        r.current.other_charges.iter().map(|l| (l.category.as_str(), l.monthly_usd.cents())).collect();
    assert_eq!(other, vec![("credits (AWS)", -5_00), ("tax (Microsoft)", 9_00)]);
}

/// The SQL block after `marker` in the README.
fn readme_sql(marker: &str) -> String {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md")).unwrap();
    let after = &readme[readme.find(marker).unwrap_or_else(|| panic!("{marker} in the README"))..];
    let start = after.find("```sql\n").unwrap() + 7;
    after[start..start + after[start..].find("```").unwrap()].to_string()
}

/// Runs `sql` with polars' SQL engine over `table` and writes the result as CSV.
fn run_sql(sql: &str, name: &str, table: LazyFrame) -> Vec<u8> {
    let mut ctx = polars::sql::SQLContext::new();
    ctx.register(name, table);
    let mut df = ctx.execute(sql).unwrap_or_else(|e| panic!("the README's query: {e}")).collect().unwrap();
    assert!(df.height() > 0);
    let mut out = Vec::new();
    CsvWriter::new(&mut out).finish(&mut df).unwrap();
    out
}

fn scan(bytes: Vec<u8>) -> LazyFrame {
    LazyFrame::scan_parquet_sources(
        ScanSources::Buffers(std::sync::Arc::new([polars_buffer_from(bytes)])),
        ScanArgsParquet { hive_options: HiveOptions::new_disabled(), ..ScanArgsParquet::default() },
    )
    .unwrap()
}

fn polars_buffer_from(bytes: Vec<u8>) -> polars_buffer::Buffer<u8> {
    polars_buffer::Buffer::from(bytes)
}

#[test]
fn the_readme_query_reduces_an_export_to_the_same_import() {
    // CUR 2.0: the whole export, and the query's output, both named `export`.
    let full = import(&[("export", &cur_parquet())]);
    let summary = run_sql(&readme_sql("<!-- bill-summary-cur -->"), "cur", scan(cur_parquet()));
    let a = Assumptions::default();
    let (format, _) = tco_server::import::import_file(
        InputFile { name: "export", bytes: &summary },
        Context::new(tco_pricing_data::embedded(), &a),
        None,
    )
    .unwrap();
    assert_eq!(format, Format::BillSummary);
    let reduced = import(&[("export", &summary)]);
    assert_eq!(serde_json::to_value(&reduced).unwrap(), serde_json::to_value(&full).unwrap());
    assert_eq!(reduced.current_monthly_usd.cents(), 558_49);

    // FOCUS, each provider's table with the other's columns as NULL, as the README says.
    let sql = readme_sql("<!-- bill-summary-focus -->");
    let missing = |names: &[&str]| names.iter().map(|n| lit(NULL).cast(DataType::String).alias(*n)).collect::<Vec<_>>();
    let aws = parquet(frame(&focus_columns(AWS_FOCUS_EXTRA), &aws_focus_lines()));
    let azure = parquet(frame(&focus_columns(AZURE_FOCUS_EXTRA), &azure_focus_lines()));
    let aws_sql = run_sql(
        &sql,
        "focus",
        scan(aws.clone()).with_columns(missing(&[
            "x_SkuMeterCategory",
            "x_SkuDetails",
            "SkuPriceDetails",
            "x_UsageType",
        ])),
    );
    let azure_sql = run_sql(
        &sql,
        "focus",
        scan(azure.clone()).with_columns(missing(&["x_ServiceCode", "x_Operation", "SkuPriceDetails", "x_UsageType"])),
    );
    let full = import(&[("aws", &aws), ("azure", &azure)]);
    let reduced = import(&[("aws", &aws_sql), ("azure", &azure_sql)]);
    assert_eq!(serde_json::to_value(&reduced).unwrap(), serde_json::to_value(&full).unwrap());
    assert_eq!(reduced.current_monthly_usd.cents(), 262_64);
}

fn tco(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_tco")).args(args).output().expect("tco runs")
}

#[test]
fn an_exports_folder_is_read_through_its_manifests() {
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("my-export");
    let data = export.join("data/BILLING_PERIOD=2026-10");
    let stale = data.join("20261031T000000Z-old");
    let meta = export.join("metadata/BILLING_PERIOD=2026-10");
    for d in [&data, &stale, &meta] {
        std::fs::create_dir_all(d).unwrap();
    }
    let lines = cur_lines();
    let (a, b) = lines.split_at(7);
    std::fs::write(data.join("my-export-00001.snappy.parquet"), parquet(frame(CUR_COLUMNS, a))).unwrap();
    std::fs::write(data.join("my-export-00002.snappy.parquet"), parquet(frame(CUR_COLUMNS, b))).unwrap();
    // An older delivery of the same month, left by "create new" mode: not in the manifest.
    std::fs::write(stale.join("my-export-00001.snappy.parquet"), cur_parquet()).unwrap();
    let manifest = serde_json::json!({
        "executionId": "e-1",
        "exportArn": "arn:aws:bcm-data-exports:us-east-1:111122223333:export/my-export",
        "columns": CUR_COLUMNS.iter().map(|(n, _, _)| serde_json::json!({"name": n, "type": "string"})).collect::<Vec<_>>(),
        "dataFiles": [
            "s3://bucket/cur/my-export/data/BILLING_PERIOD=2026-10/my-export-00001.snappy.parquet",
            "s3://bucket/cur/my-export/data/BILLING_PERIOD=2026-10/my-export-00002.snappy.parquet"
        ],
        "additionalOutputFiles": []
    });
    std::fs::write(meta.join("my-export-Manifest.json"), manifest.to_string()).unwrap();

    let out = tco(&["import", export.to_str().unwrap(), "--format", "json"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let w: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(w["current_monthly_usd"].as_f64(), Some(558.49), "the stale delivery is not counted: {stderr}");
    assert!(stderr.contains("1 file(s) in the export's folder are not listed by its manifests"), "{stderr}");
    assert!(stderr.contains("2 billing export files: aws-cur (2 apps, 4 processes, 4 instances)"), "{stderr}");

    // The estimate takes the folder too, on the basis asked for.
    let out = tco(&["estimate", "--input", export.to_str().unwrap(), "--bill-basis", "unblended", "--format", "json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["current"]["monthly_usd"].as_f64(), Some(707.32));
    assert_eq!(r["current"]["basis"], "unblended");

    // A manifest naming a file that is not there says which.
    let broken = dir.path().join("broken");
    std::fs::create_dir_all(&broken).unwrap();
    std::fs::write(broken.join("x-Manifest.json"), manifest.to_string()).unwrap();
    let out = tco(&["import", broken.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("lists s3://bucket/cur/my-export/data/BILLING_PERIOD=2026-10/my-export-00001.snappy.parquet"));
}
