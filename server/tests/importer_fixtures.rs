//! Every importer on files in its real format (`fixtures/good`) and on bad input
//! (`fixtures/bad`): what each becomes, and what each error says.

use std::path::PathBuf;
use tco_engine::{Assumptions, Usd, Workloads};
use tco_server::import::{import_file, merge, Context, Format, ImportError, InputFile};

fn fixture(kind: &str, name: &str) -> (String, Vec<u8>) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(kind).join(name);
    (name.to_string(), std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
}

fn import(kind: &str, name: &str) -> Result<(Format, Workloads), ImportError> {
    let (name, bytes) = fixture(kind, name);
    let a = Assumptions::default();
    import_file(InputFile { name: &name, bytes: &bytes }, Context::new(tco_pricing_data::embedded(), &a), None)
}

fn good(name: &str, format: Format) -> Workloads {
    let (got, w) = import("good", name).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(got, format, "{name}");
    w
}

fn cents(w: &Workloads) -> i64 {
    w.current_monthly_usd.cents()
}

#[test]
fn heroku_exports_become_the_same_estate() {
    // storefront: 4 × Standard-2X ($50) + 2 × Performance-M ($250) = $700
    let formation = good("heroku-formation.json", Format::HerokuFormation);
    assert_eq!(formation.apps.len(), 2, "two apps' formations concatenated");
    assert_eq!(formation.apps[0].processes.iter().map(|p| p.monthly_usd).sum::<Usd>().cents(), 70_000);
    assert_eq!(cents(&formation), 72_500, "+ admin's Standard-1X $25");
    assert_eq!(cents(&good("heroku-formation-map.json", Format::HerokuFormationMap)), 22_500);
    assert_eq!(cents(&good("heroku-ps.txt", Format::HerokuPs)), 70_000);
    assert_eq!(cents(&good("heroku-ps-type.txt", Format::HerokuPsType)), 70_000);
    assert_eq!(cents(&good("heroku-ps-scale.txt", Format::HerokuPsScale)), 70_000);
    // dynos: 2 web up, 1 worker crashed (billed), the one-off not counted: 2 × $50 + $250
    let dynos = good("heroku-dynos.json", Format::HerokuDynos);
    assert_eq!(cents(&dynos), 35_000);
    assert!(dynos.warnings.iter().any(|w| w.message.contains("one-off")));
}

#[test]
fn heroku_account_exports_add_their_costs() {
    // one Private Space, $1,000 a month
    assert_eq!(cents(&good("heroku-apps.json", Format::HerokuApps)), 100_000);
    // $200 Postgres + $60 Key-Value Store
    assert_eq!(cents(&good("heroku-addons.json", Format::HerokuAddons)), 26_000);
    // 17 dyno units × $25 + $260 credits = $685
    assert_eq!(cents(&good("heroku-usage.json", Format::HerokuUsage)), 68_500);
    let sizes = good("heroku-dyno-sizes.json", Format::HerokuDynoSizes);
    assert!(sizes.apps.is_empty() && sizes.warnings.is_empty(), "{:?}", sizes.warnings);
}

#[test]
fn heroku_logs_in_both_framings_merge_into_the_formation() {
    let logs = good("heroku-logs.log", Format::HerokuLogs);
    let web = &logs.apps[0].processes.iter().find(|p| p.name == "web").unwrap();
    let m = web.measured.as_ref().unwrap();
    assert_eq!((m.samples, m.requests), (2, 2));
    let worker = logs.apps[0].processes.iter().find(|p| p.name == "worker").unwrap();
    assert_eq!(worker.measured.as_ref().unwrap().r14_count, 1);
    let drain = good("heroku-logs-drain.log", Format::HerokuLogs);
    assert_eq!(drain.apps[0].processes[0].measured.as_ref().unwrap().requests, 2);

    // A formation, then its logs (the log file's app is named with --app / ?app=).
    let (f_name, f) = fixture("good", "heroku-formation.json");
    let (l_name, l) = fixture("good", "heroku-logs.log");
    let a = Assumptions::default();
    let catalog = tco_pricing_data::embedded();
    let mut all = import_file(InputFile { name: &f_name, bytes: &f }, Context::new(catalog, &a), None).unwrap().1;
    let ctx = Context { app: Some("storefront"), ..Context::new(catalog, &a) };
    merge(&mut all, import_file(InputFile { name: &l_name, bytes: &l }, ctx, None).unwrap().1, ctx);
    let web = &all.apps[0].processes[0];
    assert_eq!((web.replicas, web.size.as_deref()), (4, Some("Standard-2X")));
    assert!(web.measured.is_some(), "the log's measurements joined the formation's process");
    assert_eq!(cents(&all), 72_500, "logs add no cost");
}

#[test]
fn an_ec2_fleet_with_metrics_and_its_bill() {
    let fleet = good("ec2-instances.json", Format::Ec2Instances);
    // 2 running c5.2xlarge × $0.34 × 730 h = $496.40; the stopped m5.xlarge is not costed
    assert_eq!(cents(&fleet), 49_640);
    assert_eq!(fleet.apps[0].name, "monolith-asg");

    let a = Assumptions::default();
    let catalog = tco_pricing_data::embedded();
    let mut all = fleet;
    for name in ["cloudwatch-metric-data.json", "cloudwatch-statistics-i-0123456789abcdef1.json"] {
        let (n, b) = fixture("good", name);
        let ctx = Context::new(catalog, &a);
        merge(&mut all, import_file(InputFile { name: &n, bytes: &b }, ctx, None).unwrap().1, ctx);
    }
    assert_eq!(all.instances.len(), 3, "metrics joined the instances by id");
    assert_eq!(all.instances[0].cpu_p95_pct, Some(61.0));
    assert_eq!(all.instances[1].cpu_p95_pct, Some(44.5));
    // the group's p95 is its busiest instance's: 61% of 8 vCPU = 4.88 cores
    let m = all.apps[0].processes[0].measured.as_ref().unwrap();
    assert!((m.cpu_load_p95 - 4.88).abs() < 1e-9, "{m:?}");

    let cur = good("aws-cur.csv", Format::AwsCur);
    // 2 × 252.96 instance-hours + 16.00 EBS + 16.74 ALB = 538.66
    assert_eq!(cents(&cur), 53_866);
}

#[test]
fn the_csv_template() {
    let w = good("csv-template.csv", Format::CsvTemplate);
    assert_eq!(w.apps.len(), 2);
    let batch = &w.apps[0].processes[1];
    assert_eq!((batch.cpu_millicores, batch.memory_mib, batch.hours_per_month), (2000, 8192, Some(200)));
}

#[test]
fn bad_input_is_refused_with_file_line_and_field() {
    let cases: &[(&str, Option<u64>, Option<&str>, &str)] = &[
        ("truncated.json", Some(2), None, "not valid JSON"),
        ("wrong-format.json", None, None, "unrecognised format"),
        ("unknown-size.json", Some(3), Some("[1].size"), "unknown dyno size \"Gigantic-8X\""),
        ("negative-quantity.json", Some(1), Some("[0].quantity"), "-4"),
        ("empty.json", None, None, "empty"),
        ("non-utf8-ps.txt", Some(1), None, "not UTF-8"),
        ("csv-template-bad-replicas.csv", Some(3), Some("replicas"), "invalid digit"),
        ("ec2-missing-type.json", Some(1), Some("Reservations[0].Instances[0]"), "InstanceType"),
    ];
    for (file, line, field, message) in cases {
        let err = import("bad", file).expect_err(file);
        assert_eq!(err.file, *file);
        assert_eq!(err.line, *line, "{file}: {err}");
        assert_eq!(err.field.as_deref(), *field, "{file}: {err}");
        assert!(err.message.contains(message), "{file}: {err}");
        assert!(err.to_string().starts_with(file), "{err}");
    }
}
