//! The `tco` binary as a user runs it.

use std::path::PathBuf;
use std::process::{Command, Output};

fn tco(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tco")).args(args).output().expect("tco runs")
}

fn sample_path() -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("samples/heroku-formation.json").display().to_string()
}

fn temp_file(name: &str, content: &str) -> String {
    let dir = std::env::temp_dir().join(format!("tco-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    path.display().to_string()
}

#[test]
fn estimate_json_gives_the_same_figures_as_the_api_and_the_page() {
    let out = tco(&["estimate", "--input", &sample_path(), "--format", "json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let scenario = tco_server::sample::scenario(tco_pricing_data::embedded()).unwrap();
    let expected =
        serde_json::to_value(tco_engine::estimate(&scenario, tco_pricing_data::embedded()).unwrap()).unwrap();
    assert_eq!(report, expected);
    assert_eq!(report["current"]["monthly_usd"], serde_json::json!(6600.0));
}

#[test]
fn estimate_table_is_readable() {
    let out = tco(&["estimate", "--input", &sample_path(), "--format", "table"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("USD per month (730 hours a month)"), "{text}");
    assert!(text.contains("$6,600.00"), "{text}");
    assert!(text.contains("ECS on EC2 (ecs-ec2)") && text.contains("EKS on EC2 (eks-ec2)"), "{text}");
    assert!(text.contains("2026-07-20"), "prices show their date: {text}");
}

#[test]
fn estimate_reads_a_scenario_document() {
    let import = tco(&["import", &sample_path(), "--format", "json"]);
    assert!(import.status.success());
    let workloads: serde_json::Value = serde_json::from_slice(&import.stdout).unwrap();
    let scenario =
        serde_json::json!({"name": "two zones", "workloads": workloads, "assumptions": {"availability_zones": 2}});
    let path = temp_file("scenario.json", &scenario.to_string());
    let out = tco(&["estimate", "--scenario", &path, "--format", "json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["options"][0]["availability_zones"], 2);
    assert_eq!(report["options"][0]["nodes"][0]["per_zone"].as_array().unwrap().len(), 2);
}

#[test]
fn import_prints_the_import_json() {
    let out = tco(&["import", &sample_path(), "--format", "json"]);
    assert!(out.status.success());
    let w: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let apps: Vec<&str> = w["apps"].as_array().unwrap().iter().map(|a| a["name"].as_str().unwrap()).collect();
    assert_eq!(apps, vec!["clinic-api", "clinic-portal", "clinic-integrations"]);
    assert_eq!(w["current_monthly_usd"], serde_json::json!(6600.0));
}

#[test]
fn bad_input_exits_non_zero_naming_file_line_and_field() {
    let path = temp_file("bad-size.json", "[\n{\"type\":\"web\",\"quantity\":2,\"size\":\"Turbo-9X\"}\n]");
    let out = tco(&["estimate", "--input", &path, "--format", "json"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad-size.json: line 2") && err.contains("[0].size") && err.contains("Turbo-9X"), "{err}");
    assert!(out.stdout.is_empty(), "nothing half-written to stdout");

    let path = temp_file("truncated.json", "[{\"type\":\"web\",\n\"quantity\":");
    let out = tco(&["estimate", "--input", &path]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("truncated.json: line 2") && err.contains("not valid JSON"), "{err}");

    let path = temp_file("notes.txt", "web: two dynos");
    let out = tco(&["import", &path]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unrecognised format"));

    let path = temp_file("negative.json", r#"[{"type":"web","quantity":-1,"size":"2X"}]"#);
    let out = tco(&["import", &path]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("[0].quantity"));

    let out = tco(&["estimate", "--input", "/nonexistent/formation.json"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read /nonexistent/formation.json"));
}

#[test]
fn import_streams_a_log_and_reports_what_it_recognised() {
    let log = "2024-05-13T10:20:01+00:00 heroku[web.1]: source=web.1 dyno=heroku.1.a sample#memory_rss=300.00MB sample#memory_quota=1024.00MB\n\
               2024-05-13T10:20:02+00:00 heroku[web.1]: source=web.1 dyno=heroku.1.a sample#memory_rss=oops sample#memory_quota=1024.00MB\n";
    let path = temp_file("api-logs.txt", log);
    let out = tco(&["import", &path, "--app", "shop", "--from", "heroku-logs"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let w: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(w["apps"][0]["name"], "shop");
    assert_eq!(w["apps"][0]["processes"][0]["measured"]["samples"], 1);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("heroku-logs (1 apps, 1 processes, 0 instances, 1 skipped)"), "{err}");
    assert!(err.contains("line 2: 1 line(s) skipped: malformed sample# value"), "{err}");

    let out = tco(&["import", &path, "--from", "bogus"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown format `bogus`"));
}

#[test]
fn pricing_show_lists_types_with_sources_and_dates() {
    let out = tco(&["pricing", "show", "c5.2xlarge", "--region", "us-east-1", "--format", "json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 1);
    let row = &rows[0];
    for field in ["instance_type", "vcpu", "memory_gib", "arch", "region", "usd_per_hour", "source", "as_of"] {
        assert!(!row[field].is_null(), "{field} missing: {row}");
    }
    assert_eq!(row["usd_per_hour"], serde_json::json!(0.34));
    // 0.34 × 730 = 248.20
    assert_eq!(row["usd_per_month"], serde_json::json!(248.2));
    assert_eq!(row["as_of"], "2026-07-20");
    // The Spot Instance Advisor: 56% off, 5-10% interruptions; 0.34 × 0.44 = 0.1496
    assert_eq!(
        (&row["spot_saving_pct"], &row["spot_usd_per_hour"], &row["interruption"], &row["spot_as_of"]),
        (
            &serde_json::json!(56.0),
            &serde_json::json!(0.1496),
            &serde_json::json!("5-10%"),
            &serde_json::json!("2025-06-28")
        )
    );
    let out = tco(&["pricing", "show", "m7g", "--region", "us-east-1", "--format", "table"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("m7g.large") && text.contains("ec2-ondemand-linux.csv"), "{text}");
    assert!(text.contains("us-east-1: EC2 prices of 2026-07-20") && text.contains("Spot Instance Advisor"), "{text}");
    let out = tco(&["pricing", "show", "r5", "--format", "csv"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("instance_type,family,vcpu,memory_gib"), "{text}");
    assert!(text.lines().next().unwrap().ends_with(",spot_saving_pct,spot_usd_per_hour,interruption,spot_as_of"));
}

#[test]
fn pricing_show_answers_for_every_region_with_its_own_prices() {
    let out = tco(&["pricing", "show", "c5.2xlarge", "--region", "eu-west-1", "--format", "json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let row = &rows[0];
    assert_eq!(
        (&row["region"], &row["usd_per_hour"], &row["as_of"]),
        (&serde_json::json!("eu-west-1"), &serde_json::json!(0.384), &serde_json::json!("2022-11-22"))
    );
    // 0.384 × (100 − 51) / 100 = 0.18816
    assert_eq!(
        (&row["spot_saving_pct"], &row["spot_usd_per_hour"], &row["interruption"]),
        (&serde_json::json!(51.0), &serde_json::json!(0.18816), &serde_json::json!("<5%"))
    );
    // Without --region, one row per region that prices it.
    let out = tco(&["pricing", "show", "c5.2xlarge", "--format", "json"]);
    let all: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let regions: Vec<&str> = all.as_array().unwrap().iter().map(|r| r["region"].as_str().unwrap()).collect();
    assert!(regions.contains(&"ap-southeast-2") && regions.contains(&"us-east-1"), "{regions:?}");
    // A type the 2022 snapshot lacks there is not listed for it.
    let out = tco(&["pricing", "show", "c7i.2xlarge", "--region", "eu-west-1", "--format", "json"]);
    assert_eq!(serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap(), serde_json::json!([]));
    let out = tco(&["pricing", "show", "c5.2xlarge", "--region", "mars-north-1"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("region `mars-north-1` has no prices") && err.contains("eu-west-1"), "{err}");
}

#[test]
fn a_catalog_directory_replaces_the_embedded_one() {
    let dir = std::env::temp_dir().join(format!("tco-cli-catalog-{}", std::process::id()));
    let mut snapshot = tco_pricing_data::OwnedSnapshot::embedded();
    // Double every c5 price: the estimate must follow the directory, not the embedded copy.
    snapshot.texts[2] = snapshot.texts[2].replace(",c5.2xlarge,0.34,", ",c5.2xlarge,0.68,");
    snapshot.write_dir(&dir).unwrap();
    let dir_arg = dir.display().to_string();
    let out =
        tco(&["--catalog", &dir_arg, "pricing", "show", "c5.2xlarge", "--region", "us-east-1", "--format", "json"]);
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows[0]["usd_per_hour"], serde_json::json!(0.68));
    let out = Command::new(env!("CARGO_BIN_EXE_tco"))
        .args(["pricing", "show", "c5.2xlarge", "--region", "us-east-1", "--format", "json"])
        .env("TCO_CATALOG", &dir)
        .output()
        .unwrap();
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows[0]["usd_per_hour"], serde_json::json!(0.68), "TCO_CATALOG works too");

    std::fs::write(dir.join("services.csv"), "id,description\nbroken,row\n").unwrap();
    let out = tco(&["--catalog", &dir_arg, "estimate", "--input", &sample_path()]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("services.csv"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn an_estimate_in_eu_west_1_uses_its_own_ec2_prices_and_says_which_are_still_us_east_1s() {
    let out = tco(&["estimate", "--input", &sample_path(), "--region", "eu-west-1", "--format", "json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // The 2022-11-22 snapshot is the oldest price an eu-west-1 estimate rests on.
    assert_eq!(r["oldest_price_as_of"], "2022-11-22");
    let ecs = &r["options"][0];
    assert_eq!(ecs["region"], "eu-west-1");
    // c6a.2xlarge is $0.32832 an hour there (us-east-1: $0.306); m6a.large $0.0963 (us-east-1: $0.0864).
    let rate = |t: &str| {
        ecs["nodes"].as_array().unwrap().iter().find(|n| n["instance_type"] == t).map(|n| n["usd_per_hour"].clone())
    };
    assert_eq!(rate("c6a.2xlarge"), Some(serde_json::json!(0.32832)));
    assert_eq!(rate("m6a.large"), Some(serde_json::json!(0.0963)));
    let warnings: Vec<&str> = r["warnings"].as_array().unwrap().iter().map(|w| w.as_str().unwrap()).collect();
    let stand_in = warnings
        .iter()
        .find(|w| w.starts_with("eu-west-1 has no price of its own in the catalog for "))
        .unwrap_or_else(|| panic!("{warnings:?}"));
    assert!(
        stand_in.contains("NAT gateway") && stand_in.contains("us-east-1's stand in, labelled `home-region-stand-in`")
    );
    assert!(stand_in.contains("the band spans ×1.00 to ×1.14"), "{stand_in}");
}

#[test]
fn regions_side_by_side_give_one_option_per_target_and_region_in_every_format() {
    let regions = "us-east-1,eu-west-1,eu-central-1";
    let args = ["estimate", "--input", &sample_path(), "--target", "ecs-ec2,ecs-fargate", "--region", regions];
    let json = tco(&[&args[..], &["--format", "json"]].concat());
    assert!(json.status.success(), "{}", String::from_utf8_lossy(&json.stderr));
    let expected = expected_with(|a| {
        a.targets = vec![tco_engine::Platform::EcsEc2, tco_engine::Platform::EcsFargate];
        a.region = "us-east-1".into();
        a.regions = regions.split(',').map(str::to_string).collect();
    });
    let printed: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(printed, serde_json::to_value(&expected).unwrap(), "the flag is the scenario's `regions`");
    let r = expected;
    let options: Vec<(&str, &str)> = r.options.iter().map(|o| (o.platform.as_str(), o.region.as_str())).collect();
    assert_eq!(
        options,
        [
            ("ecs-ec2", "us-east-1"),
            ("ecs-fargate", "us-east-1"),
            ("ecs-ec2", "eu-west-1"),
            ("ecs-fargate", "eu-west-1"),
            ("ecs-ec2", "eu-central-1"),
            ("ecs-fargate", "eu-central-1"),
        ]
    );
    assert_eq!(r.regions.iter().map(|x| x.region.as_str()).collect::<Vec<_>>(), regions.split(',').collect::<Vec<_>>());
    for p in [tco_engine::Platform::EcsEc2, tco_engine::Platform::EcsFargate] {
        let cheapest: Vec<&str> = r
            .regions
            .iter()
            .filter(|x| x.targets.iter().any(|c| c.platform == p && c.cheapest))
            .map(|x| x.region.as_str())
            .collect();
        assert_eq!(cheapest.len(), 1, "one cheapest region for {p:?}");
        let min = r.options.iter().filter(|o| o.platform == p).map(|o| o.monthly_usd).min().unwrap();
        assert_eq!(r.options.iter().find(|o| o.platform == p && o.region == cheapest[0]).unwrap().monthly_usd, min);
    }

    let table = tco(&[&args[..], &["--format", "table"]].concat());
    let text = String::from_utf8_lossy(&table.stdout);
    assert!(text.contains("Regions side by side, USD per month (* the target's cheapest region)"), "{text}");
    for x in &r.regions {
        let row = text.lines().find(|l| l.contains(&format!(" {} ", x.region)) && l.contains(&x.prices_as_of)).unwrap();
        for c in &x.targets {
            let cell = format!("{}{}", tco_engine::format::usd(c.monthly_usd), if c.cheapest { " *" } else { "" });
            assert!(row.contains(&cell), "{row} should hold {cell}");
        }
    }
    assert!(text.contains("ECS on EC2, eu-central-1 (ecs-ec2)"), "breakdowns say their region");

    let csv = tco(&[&args[..], &["--format", "csv"]].concat());
    let mut reader = csv::Reader::from_reader(csv.stdout.as_slice());
    assert_eq!(&reader.headers().unwrap()[7], "region");
    let totals: Vec<(String, String, String)> = reader
        .records()
        .map(Result::unwrap)
        .filter(|x| &x[2] == "total" && !x[7].is_empty())
        .map(|x| (x[1].to_string(), x[7].to_string(), x[4].to_string()))
        .collect();
    let want: Vec<(String, String, String)> = r
        .options
        .iter()
        .map(|o| (o.platform.as_str().into(), o.region.clone(), format!("{:.2}", o.monthly_usd.rounded_to_cents())))
        .collect();
    assert_eq!(totals, want);
}

/// The sample scenario with assumptions changed as the flags say, estimated by the engine.
fn expected_with(edit: impl FnOnce(&mut tco_engine::Assumptions)) -> tco_engine::Report {
    let mut scenario = tco_server::sample::scenario(tco_pricing_data::embedded()).unwrap();
    edit(&mut scenario.assumptions);
    tco_engine::estimate(&scenario, tco_pricing_data::embedded()).unwrap()
}

#[test]
fn every_estimate_flag_is_a_scenario_field() {
    let out = tco(&[
        "estimate",
        "--input",
        &sample_path(),
        "--target",
        "ecs-ec2,eks-auto",
        "--target",
        "ecs-fargate",
        "--instance-types",
        "c5,m5.2xlarge",
        "--azs",
        "1",
        "--headroom",
        "1.0",
        "--pricing",
        "compute-sp-3y",
        "--region",
        "us-east-1",
        "--format",
        "json",
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let expected = expected_with(|a| {
        a.targets = vec![tco_engine::Platform::EcsEc2, tco_engine::Platform::EksAuto, tco_engine::Platform::EcsFargate];
        a.instance_types = vec!["c5".into(), "m5.2xlarge".into()];
        a.availability_zones = 1;
        a.headroom = tco_engine::scenario::Headroom::FULL;
        a.pricing = tco_engine::PricingModel::ComputeSp3y;
    });
    // Both sides go through JSON text, as serde_json's float parsing is not always exact.
    let expected: serde_json::Value = serde_json::from_str(&serde_json::to_string(&expected).unwrap()).unwrap();
    assert_eq!(report, expected);
    assert_eq!(report["options"][0]["pricing_model"], "compute-sp-3y");
    assert_eq!(report["options"][0]["nodes"][0]["per_zone"].as_array().unwrap().len(), 1);
}

#[test]
fn unknown_targets_and_pricing_models_are_refused_with_the_choices() {
    let out = tco(&["estimate", "--input", &sample_path(), "--target", "lambda"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("`lambda` is not a target") && err.contains("eks-fargate"), "{err}");
    let out = tco(&["estimate", "--input", &sample_path(), "--pricing", "cheap"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("compute-sp-1y"));
}

#[test]
fn csv_has_a_row_per_cost_line_and_a_total_per_option() {
    let out = tco(&["estimate", "--input", &sample_path(), "--format", "csv"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let expected = expected_with(|_| {});
    let mut rows = csv::Reader::from_reader(out.stdout.as_slice());
    let records: Vec<csv::StringRecord> = rows.records().map(Result::unwrap).collect();
    for o in &expected.options {
        let total = records.iter().find(|r| &r[1] == o.platform.as_str() && &r[2] == "total").unwrap();
        assert_eq!(total[4], format!("{:.2}", o.monthly_usd.rounded_to_cents()));
        let lines = records.iter().filter(|r| &r[1] == o.platform.as_str() && &r[2] != "total").count();
        assert_eq!(lines, o.breakdown.len());
    }
}

#[test]
fn html_is_written_whole_to_the_file_named() {
    let dir = std::env::temp_dir().join(format!("tco-cli-html-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("report.html");
    let out = tco(&["estimate", "--input", &sample_path(), "--format", "html", "--out", path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stdout.is_empty(), "the report goes to the file, not stdout");
    let html = std::fs::read_to_string(&path).unwrap();
    assert!(html.starts_with("<!doctype html>") && html.trim_end().ends_with("</html>"));
    let expected = expected_with(|_| {});
    assert!(html.contains("$6,600.00"), "today's bill");
    for o in &expected.options {
        assert!(html.contains(&tco_engine::format::usd(o.monthly_usd)), "{}", o.label);
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn xlsx_opens_with_the_totals_as_numbers() {
    use calamine::{Data, Reader};
    let dir = std::env::temp_dir().join(format!("tco-cli-xlsx-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("estimate.xlsx");
    let out = tco(&["estimate", "--input", &sample_path(), "--format", "xlsx", "--out", path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&path).unwrap();
    assert_eq!(
        book.sheet_names(),
        vec![
            "Summary",
            "Breakdown",
            "Node plan",
            "Alternatives",
            "Add-ons",
            "Pricing models",
            "TCO",
            "Sensitivity",
            "Assumptions",
            "Sources",
            "Regions",
            "Generations"
        ]
    );
    let summary = book.worksheet_range("Summary").unwrap();
    let expected = expected_with(|_| {});
    assert_eq!(summary.get((1, 4)), Some(&Data::Float(6600.0)));
    for (i, o) in expected.options.iter().enumerate() {
        let row = (i + 2) as u32;
        assert_eq!(summary.get_value((row, 1)), Some(&Data::String(o.platform.as_str().into())));
        let cents: f64 = o.monthly_usd.rounded_to_cents().try_into().unwrap();
        assert_eq!(summary.get_value((row, 4)), Some(&Data::Float(cents)));
    }
    let sources = book.worksheet_range("Sources").unwrap();
    assert!(
        sources.rows().any(|r| r.iter().any(|c| c == &calamine::Data::String("2026-07-20".into()))),
        "prices keep their dates"
    );
}

#[test]
fn xlsx_needs_a_file_to_write_to() {
    let out = tco(&["estimate", "--input", &sample_path(), "--format", "xlsx"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--out"));
}

#[test]
fn heroku_postgres_moves_to_rds_at_the_catalogs_price_and_the_rest_stays_at_todays() {
    let addons = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/good/heroku-addons.json");
    // The embedded catalog prices db.t4g.medium but not db.m6g.large (standard-2's default by
    // memory): choose the former for the Postgres plan. Redis goes to its default node.
    let scenario = temp_file(
        "addon-targets.json",
        r#"{"name":"add-ons","workloads":{"apps":[]},"assumptions":{"targets":["ecs-ec2"],
            "addon_targets":{"heroku-postgresql:standard-2":{"to":"rds-postgresql","class":"db.t4g.medium","multi_az":false,"storage_gb":256}}}}"#,
    );
    let out = tco(&[
        "estimate",
        "--scenario",
        &scenario,
        "--input",
        &sample_path(),
        "--input",
        addons.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let moves = r["addon_moves"].as_array().unwrap();
    assert_eq!(moves.len(), 2, "{moves:?}");
    let pg = &moves[0];
    assert_eq!(pg["plan"], "heroku-postgresql:standard-2");
    // $0.065 × 730 h = $47.45, + 256 GB × $0.115 = $29.44: $76.89 instead of $200.
    assert_eq!(pg["aws_monthly_usd"], serde_json::json!(76.89));
    assert_eq!(pg["default"], false);
    let redis = &moves[1];
    assert_eq!(redis["plan"], "heroku-redis:premium-2");
    // 250 MB fits the smallest node (cache.t4g.micro: 75% of t4g.micro's 1 GiB); premium runs
    // a replica: 2 × $0.016 × 730 h = $23.36 instead of $60.
    assert_eq!(redis["target_label"], "ElastiCache Redis OSS cache.t4g.micro × 2 nodes");
    assert_eq!(redis["aws_monthly_usd"], serde_json::json!(23.36));
    let lines = r["options"][0]["breakdown"].as_array().unwrap();
    let find = |prefix: &str| lines.iter().find(|l| l["category"].as_str().unwrap().starts_with(prefix)).cloned();
    assert_eq!(find("RDS for PostgreSQL db.t4g.medium").unwrap()["monthly_usd"], serde_json::json!(76.89));
    assert_eq!(find("ElastiCache Redis OSS cache.t4g.micro").unwrap()["monthly_usd"], serde_json::json!(23.36));
    assert!(find("Add-ons at today's price").is_none(), "both add-ons moved: {lines:?}");
    let sources = r["sources"].as_array().unwrap();
    let rds =
        sources.iter().find(|s| s["item"].as_str().unwrap().starts_with("RDS for PostgreSQL db.t4g.medium")).unwrap();
    assert!(rds["source"].as_str().unwrap().contains("infratally.com"), "{rds}");
    assert_eq!(rds["as_of"], "2026-11-25");
}

#[test]
fn serve_reads_its_token_from_a_file_and_takes_its_limits_from_flags() {
    use std::io::{BufRead, BufReader};
    let dir = tempfile::tempdir().unwrap();
    let token_file = dir.path().join("token");
    std::fs::write(&token_file, "s3cret-token\n").unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_tco"))
        .args(["serve", "--addr", "127.0.0.1:0", "--dist", "no-dist", "--data-dir"])
        .arg(dir.path())
        .arg("--auth-token-file")
        .arg(&token_file)
        .args(["--max-replicas-per-process", "10", "--workers", "1", "--queue", "0"])
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let base = line.trim().rsplit(' ').next().unwrap().trim_end_matches('/').to_string();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (without, with, limited) = runtime.block_on(async {
        let client = reqwest::Client::new();
        let without = client.get(format!("{base}/api/v1/scenarios")).send().await.unwrap().status().as_u16();
        let with = client
            .get(format!("{base}/api/v1/scenarios"))
            .bearer_auth("s3cret-token")
            .send()
            .await
            .unwrap()
            .status()
            .as_u16();
        let body = r#"{"workloads":{"apps":[{"name":"a","source":"t","processes":[{"name":"web","replicas":11,"cpu_millicores":500,"memory_mib":1024}]}]}}"#;
        let r = client.post(format!("{base}/api/v1/estimate")).body(body).send().await.unwrap();
        let limited: serde_json::Value = r.json().await.unwrap();
        (without, with, limited)
    });
    let _ = Command::new("kill").args(["-TERM", &child.id().to_string()]).status();
    child.wait().unwrap();
    assert_eq!((without, with), (401, 200), "the token came from the file");
    assert_eq!(limited["error"]["code"], "limit_exceeded");
    assert_eq!(limited["error"]["details"]["limit"], "10 replicas per process");
}
