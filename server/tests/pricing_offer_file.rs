//! `tco pricing import-offer-file` on offer files in AWS's published layouts: the right row
//! among the many per type, other regions, specs filled in, Savings Plans, and bad files.

use std::path::{Path, PathBuf};
use std::process::Command;
use tco_server::pricing::offer_file::synthetic::{base, preamble, row, with};
use tco_server::pricing::offer_file::{read_ec2_csv, read_ec2_json, read_savings_plans_csv};

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tco-offer-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// A small EC2 CSV offer file: the one matching row per type hidden among decoys.
fn ec2_csv() -> String {
    let mut s = preamble("20251101000000", "2025-11-01T00:00:00Z");
    let c5 = || base("SKUC5", "us-east-1", "c5.2xlarge", "8", "16 GiB", "0.3400000000");
    s += &row(&c5());
    // Decoys for the same type: each differs from the match in one column.
    s += &row(&with(with(c5(), "TermType", "Reserved"), "PricePerUnit", "0.2000000000"));
    s += &row(&with(c5(), "Operating System", "Windows"));
    s += &row(&with(with(c5(), "Tenancy", "Dedicated"), "PricePerUnit", "0.3740000000"));
    s += &row(&with(with(c5(), "CapacityStatus", "UnusedCapacityReservation"), "PricePerUnit", "0.0100000000"));
    s += &row(&with(with(c5(), "CapacityStatus", "AllocatedCapacityReservation"), "PricePerUnit", "0.0000000000"));
    s += &row(&with(with(c5(), "Pre Installed S/W", "SQL Web"), "PricePerUnit", "0.4200000000"));
    s += &row(&with(with(c5(), "License Model", "Bring your own license"), "PricePerUnit", "0.0200000000"));
    s += &row(&with(with(c5(), "MarketOption", "CapacityBlock"), "PricePerUnit", "0.0300000000"));
    s += &row(&with(with(c5(), "Product Family", "Compute Instance (bare metal)"), "PricePerUnit", "0.0400000000"));
    // Another region, a type whose specs the catalog lacks, and a Graviton type.
    s += &row(&base("SKUC5EU", "eu-west-1", "c5.2xlarge", "8", "16 GiB", "0.3840000000"));
    s += &row(&base("SKUC7I", "us-east-1", "c7i.2xlarge", "8", "16 GiB", "0.3570000000"));
    s += &row(&with(
        base("SKUM8G", "us-east-1", "m8g.large", "2", "8 GiB", "0.0898000000"),
        "Physical Processor",
        "AWS Graviton4 Processor",
    ));
    s
}

fn tco(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_tco")).args(args).output().unwrap()
}

#[test]
fn the_csv_import_picks_the_linux_shared_on_demand_row_among_decoys() {
    let path = temp("ec2.csv");
    std::fs::write(&path, ec2_csv()).unwrap();
    let offers = read_ec2_csv(&path, Some("us-east-1")).unwrap();
    let got: Vec<(&str, String)> =
        offers.iter().map(|o| (o.instance_type.as_str(), o.usd_per_hour.normalize().to_string())).collect();
    assert_eq!(
        got,
        vec![("c5.2xlarge", "0.34".into()), ("c7i.2xlarge", "0.357".into()), ("m8g.large", "0.0898".into())]
    );
    assert_eq!(offers[0].as_of, "2025-11-01");
    assert!(offers[0].source.contains("20251101000000"));
    assert_eq!(offers[2].arch, Some(tco_engine::catalog::Arch::Arm64));
    assert_eq!(read_ec2_csv(&path, None).unwrap().len(), 4, "eu-west-1 too without --region");
}

#[test]
fn import_offer_file_writes_a_snapshot_directory_and_reports_the_changes() {
    let path = temp("ec2-cli.csv");
    std::fs::write(&path, ec2_csv()).unwrap();
    let dir = temp("catalog-from-csv");
    let _ = std::fs::remove_dir_all(&dir);
    let out =
        tco(&["--catalog", &dir.display().to_string(), "pricing", "import-offer-file", &path.display().to_string()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let summary = String::from_utf8(out.stdout).unwrap();
    // Each region now holds the file's types: eu-west-1 its c5.2xlarge at the snapshot's same
    // 0.384; us-east-1 c5.2xlarge, c7i.2xlarge and m8g.large at their prices; the rest left.
    assert!(summary.contains("eu-west-1: 0 added") && summary.contains("0 changed, 1 unchanged"), "{summary}");
    assert!(summary.contains("us-east-1: 0 added"), "{summary}");
    let (catalog, manifest) = tco_pricing_data::load_dir(&dir).unwrap();
    assert_eq!(
        catalog.instance_price("eu-west-1", "c5.2xlarge").unwrap().usd_per_hour.normalize().to_string(),
        "0.384"
    );
    assert_eq!(catalog.instance_type("c7i.2xlarge").unwrap().vcpu, Some(8), "the catalog's own shape kept");
    assert_eq!(catalog.instance_type("m8g.large").unwrap().arch, Some(tco_engine::catalog::Arch::Arm64));
    assert_eq!(manifest.currency, "USD");

    // The new catalog drives estimates: eu-west-1 is now a region the engine accepts.
    let sample = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("samples/heroku-formation.json");
    let out = tco(&[
        "--catalog",
        &dir.display().to_string(),
        "estimate",
        "--input",
        &sample.display().to_string(),
        "--region",
        "eu-west-1",
        "--format",
        "json",
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    // Only c5.2xlarge is priced in eu-west-1 and Performance-L needs more on EKS: the error names it.
    assert!(!out.status.success() && err.contains("fits on none"), "{err}");
}

/// Every previous-generation type AWS still lists, as its offer file states it: vCPU from EC2
/// DescribeInstanceTypes (the specs the catalog is built from; cc2.8xlarge, hs1.8xlarge and
/// i2.large from ec2instances.info, which lists them), `Memory` as the offer file writes it
/// (0.613 GiB, 1.7 GiB, 17.1 GiB: not whole MiB), and the us-east-1 Linux on-demand price of
/// the 2022-11 bulk offer file.
const PREVIOUS_GENERATION: [(&str, &str, &str, &str); 34] = [
    ("t1.micro", "1", "0.613 GiB", "0.02"),
    ("m1.small", "1", "1.7 GiB", "0.044"),
    ("m1.medium", "1", "3.75 GiB", "0.087"),
    ("m1.large", "2", "7.5 GiB", "0.175"),
    ("m1.xlarge", "4", "15 GiB", "0.35"),
    ("m2.xlarge", "2", "17.1 GiB", "0.245"),
    ("m2.2xlarge", "4", "34.2 GiB", "0.49"),
    ("m2.4xlarge", "8", "68.4 GiB", "0.98"),
    ("m3.medium", "1", "3.75 GiB", "0.067"),
    ("m3.large", "2", "7.5 GiB", "0.133"),
    ("m3.xlarge", "4", "15 GiB", "0.266"),
    ("m3.2xlarge", "8", "30 GiB", "0.532"),
    ("c1.medium", "2", "1.7 GiB", "0.13"),
    ("c1.xlarge", "8", "7 GiB", "0.52"),
    ("c3.large", "2", "3.75 GiB", "0.105"),
    ("c3.xlarge", "4", "7.5 GiB", "0.21"),
    ("c3.2xlarge", "8", "15 GiB", "0.42"),
    ("c3.4xlarge", "16", "30 GiB", "0.84"),
    ("c3.8xlarge", "32", "60 GiB", "1.68"),
    ("cc2.8xlarge", "32", "60.5 GiB", "2"),
    ("cr1.8xlarge", "32", "244 GiB", "3.5"),
    ("g2.2xlarge", "8", "15 GiB", "0.65"),
    ("g2.8xlarge", "32", "60 GiB", "2.6"),
    ("hs1.8xlarge", "16", "117 GiB", "4.6"),
    ("i2.large", "2", "15 GiB", "0.468"),
    ("i2.xlarge", "4", "30.5 GiB", "0.853"),
    ("i2.2xlarge", "8", "61 GiB", "1.705"),
    ("i2.4xlarge", "16", "122 GiB", "3.41"),
    ("i2.8xlarge", "32", "244 GiB", "6.82"),
    ("r3.large", "2", "15.25 GiB", "0.166"),
    ("r3.xlarge", "4", "30.5 GiB", "0.333"),
    ("r3.2xlarge", "8", "61 GiB", "0.665"),
    ("r3.4xlarge", "16", "122 GiB", "1.33"),
    ("r3.8xlarge", "32", "244 GiB", "2.66"),
];

fn previous_generation_csv() -> String {
    let mut s = preamble("20221122000000", "2022-11-22T00:00:00Z");
    for (i, (name, vcpu, memory, price)) in PREVIOUS_GENERATION.iter().enumerate() {
        let sku = format!("SKUPREV{i}");
        s += &row(&with(base(&sku, "us-east-1", name, vcpu, memory, price), "Current Generation", "No"));
    }
    s
}

/// A snapshot directory without the previous-generation types' memory or any of their rows
/// (prices, spot advice, commitments): the catalog before their shapes were sourced.
fn snapshot_without_previous_generation(dir: &Path) {
    let names: Vec<&str> = PREVIOUS_GENERATION.iter().map(|p| p.0).collect();
    let mut snapshot = tco_pricing_data::OwnedSnapshot::embedded();
    let keep = |text: &str, column: usize| -> String {
        text.lines()
            .filter(|l| !l.split(',').nth(column).is_some_and(|t| names.contains(&t)))
            .map(|l| format!("{l}\n"))
            .collect()
    };
    // instance_type,family,size,generation,vcpu,memory_gib,…: memory emptied.
    snapshot.texts[1] = snapshot.texts[1]
        .lines()
        .map(|l| {
            let mut f: Vec<String> = l.splitn(7, ',').map(str::to_string).collect();
            if names.contains(&f[0].as_str()) {
                f[5].clear();
            }
            format!("{}\n", f.join(","))
        })
        .collect();
    for (i, column) in [(2, 1), (5, 1), (8, 1)] {
        snapshot.texts[i] = keep(&snapshot.texts[i], column);
    }
    let _ = std::fs::remove_dir_all(dir);
    snapshot.write_dir(dir).unwrap();
}

#[test]
fn an_offer_file_of_previous_generation_types_imports_every_row_with_its_memory_exactly() {
    let path = temp("previous-generation.csv");
    std::fs::write(&path, previous_generation_csv()).unwrap();
    let offers = read_ec2_csv(&path, Some("us-east-1")).unwrap();
    assert_eq!(offers.len(), PREVIOUS_GENERATION.len(), "every real row is kept");
    let t1 = offers.iter().find(|o| o.instance_type == "t1.micro").unwrap();
    assert_eq!(t1.memory_gib, Some("0.613".parse().unwrap()));

    let dir = temp("catalog-previous-generation");
    snapshot_without_previous_generation(&dir);
    let out = tco(&[
        "--catalog",
        &dir.display().to_string(),
        "pricing",
        "import-offer-file",
        "--region",
        "us-east-1",
        &path.display().to_string(),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let summary = String::from_utf8(out.stdout).unwrap();
    assert!(summary.starts_with("us-east-1: 34 added"), "{summary}");
    let (catalog, _) = tco_pricing_data::load_dir(&dir).unwrap();
    for (name, vcpu, memory, price) in PREVIOUS_GENERATION {
        let p = catalog.instance_price("us-east-1", name).unwrap_or_else(|| panic!("{name} not imported"));
        assert_eq!(p.usd_per_hour, price.parse().unwrap(), "{name}");
        assert_eq!(p.provenance.as_of, "2022-11-22", "{name}");
        let t = catalog.instance_type(name).unwrap();
        let gib: rust_decimal::Decimal = memory.trim_end_matches(" GiB").parse().unwrap();
        assert_eq!((t.vcpu, t.memory_gib), (Some(vcpu.parse().unwrap()), Some(gib)), "{name}");
    }
    // Exact for people, whole MiB under it for the packers: 0.613 × 1024 = 627.712, 17.1 × 1024 = 17,510.4.
    let mib = |name: &str| catalog.instance_type(name).unwrap().memory_mib;
    assert_eq!(
        (mib("t1.micro"), mib("m1.small"), mib("m2.xlarge"), mib("m2.4xlarge")),
        (Some(627), Some(1740), Some(17510), Some(70041))
    );
    let out = tco(&[
        "--catalog",
        &dir.display().to_string(),
        "pricing",
        "show",
        "t1.micro",
        "--region",
        "us-east-1",
        "--format",
        "json",
    ]);
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows[0]["memory_gib"], serde_json::json!(0.613));
}

#[test]
fn a_row_that_cannot_be_read_fails_the_import_naming_its_line_and_field() {
    let dir = temp("catalog-unreadable-row");
    let _ = std::fs::remove_dir_all(&dir);
    tco_pricing_data::OwnedSnapshot::embedded().write_dir(&dir).unwrap();
    let before = std::fs::read(dir.join("ec2-ondemand-linux.csv")).unwrap();
    // Line 8 of the file (5 metadata lines, the header on line 6, then rows): m1.small's memory.
    let text = previous_generation_csv().replacen("\"1.7 GiB\"", "\"lots\"", 1);
    let path = temp("unreadable-memory.csv");
    std::fs::write(&path, text).unwrap();
    let out =
        tco(&["--catalog", &dir.display().to_string(), "pricing", "import-offer-file", &path.display().to_string()]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("line 8, SKU SKUPREV1: field `Memory`: `lots` is not a memory size in GiB"), "{err}");
    assert_eq!(std::fs::read(dir.join("ec2-ondemand-linux.csv")).unwrap(), before, "nothing written");
}

#[test]
fn the_json_offer_is_streamed_and_reserved_terms_are_skipped() {
    let json = r#"{
      "formatVersion":"v1.0","disclaimer":"x","offerCode":"AmazonEC2","version":"20251101000000","publicationDate":"2025-11-01T00:00:00Z",
      "products":{
        "SKUC5":{"sku":"SKUC5","productFamily":"Compute Instance","attributes":{"servicecode":"AmazonEC2","location":"US East (N. Virginia)","instanceType":"c5.2xlarge","vcpu":"8","physicalProcessor":"Intel Xeon Platinum 8275CL (Cascade Lake)","memory":"16 GiB","tenancy":"Shared","operatingSystem":"Linux","licenseModel":"No License required","usagetype":"BoxUsage:c5.2xlarge","operation":"RunInstances","capacitystatus":"Used","preInstalledSw":"NA","regionCode":"us-east-1","marketoption":"OnDemand"}},
        "SKUWIN":{"sku":"SKUWIN","productFamily":"Compute Instance","attributes":{"instanceType":"c5.2xlarge","tenancy":"Shared","operatingSystem":"Windows","capacitystatus":"Used","preInstalledSw":"NA","regionCode":"us-east-1"}},
        "SKUCB":{"sku":"SKUCB","productFamily":"Compute Instance","attributes":{"instanceType":"p4d.24xlarge","tenancy":"Shared","operatingSystem":"Linux","capacitystatus":"Used","preInstalledSw":"NA","regionCode":"us-east-1","marketoption":"CapacityBlock"}},
        "SKUEBS":{"sku":"SKUEBS","productFamily":"Storage","attributes":{"volumeApiName":"gp3","regionCode":"us-east-1"}}
      },
      "terms":{
        "OnDemand":{
          "SKUC5":{"SKUC5.JRTCKXETXF":{"offerTermCode":"JRTCKXETXF","sku":"SKUC5","effectiveDate":"2025-11-01T00:00:00Z","priceDimensions":{"SKUC5.JRTCKXETXF.6YS6EN2CT7":{"rateCode":"SKUC5.JRTCKXETXF.6YS6EN2CT7","description":"$0.34 per On Demand Linux c5.2xlarge Instance Hour","beginRange":"0","endRange":"Inf","unit":"Hrs","pricePerUnit":{"USD":"0.3400000000"},"appliesTo":[]}},"termAttributes":{}}},
          "SKUWIN":{"SKUWIN.JRTCKXETXF":{"priceDimensions":{"d":{"unit":"Hrs","pricePerUnit":{"USD":"0.7080000000"}}}}},
          "SKUCB":{"SKUCB.JRTCKXETXF":{"priceDimensions":{"d":{"unit":"Hrs","pricePerUnit":{"USD":"1.0000000000"}}}}}
        },
        "Reserved":{"SKUC5":{"SKUC5.4NA7Y494T4":{"priceDimensions":{"d":{"unit":"Hrs","pricePerUnit":{"USD":"0.2140000000"}}}}}}
      }
    }"#;
    let path = temp("ec2.json");
    std::fs::write(&path, json).unwrap();
    let offers = read_ec2_json(&path, None).unwrap();
    assert_eq!(offers.len(), 1);
    assert_eq!(
        (offers[0].instance_type.as_str(), offers[0].usd_per_hour.normalize().to_string()),
        ("c5.2xlarge", "0.34".to_string())
    );
    assert_eq!(offers[0].memory_gib, Some(16.into()));

    std::fs::write(&path, json.replace("\"0.3400000000\"", "\"cheap\"")).unwrap();
    let err = read_ec2_json(&path, None).unwrap_err().to_string();
    assert!(err.contains("SKU SKUC5") && err.contains("pricePerUnit"), "{err}");
    std::fs::write(&path, &json[..200]).unwrap();
    let err = read_ec2_json(&path, None).unwrap_err().to_string();
    assert!(err.contains("line"), "truncated JSON names its line: {err}");
}

#[test]
fn savings_plans_rates_become_commitments() {
    let header = "SKU,RateCode,Unit,EffectiveDate,DiscountedRate,Currency,DiscountedSKU,DiscountedServiceCode,DiscountedUsageType,DiscountedOperation,PurchaseOption,LeaseContractLength,LeaseContractLengthUnit,ServiceCode,UsageType,Operation,Description,Instance Family,Location,Location Type,Granularity,Product Family,DiscountedRegionCode,DiscountedInstanceType";
    let row = |rate: &str, usage: &str, op: &str, option: &str, len: &str, family: &str| {
        format!("S1,S1.R,Hrs,2025-06-05T18:51:13Z,{rate},USD,D1,AmazonEC2,{usage},{op},{option},{len},year,ComputeSavingsPlans,SP,,desc,c5,US East (N. Virginia),AWS Region,hourly,{family},us-east-1,c5.2xlarge\n")
    };
    let text = format!(
        "FormatVersion,v1.0\nDisclaimer,x\nPublication Date,2025-09-11T18:44:47Z\nVersion,20250911184447\nOfferCode,AmazonComputeSavingsPlan\n{header}\n{}{}{}{}",
        row("0.2550", "BoxUsage:c5.2xlarge", "RunInstances", "No Upfront", "1", "ComputeSavingsPlans"),
        row("0.1600", "BoxUsage:c5.2xlarge", "RunInstances", "All Upfront", "3", "EC2InstanceSavingsPlans"),
        row("0.2800", "DedicatedUsage:c5.2xlarge", "RunInstances", "No Upfront", "1", "ComputeSavingsPlans"),
        row("0.5000", "BoxUsage:c5.2xlarge", "RunInstances:0002", "No Upfront", "1", "ComputeSavingsPlans"),
    );
    let path = temp("sp.csv");
    std::fs::write(&path, text).unwrap();
    let offers = read_savings_plans_csv(&path, None).unwrap();
    let got: Vec<(&str, &str, &str, String)> = offers
        .iter()
        .map(|o| (o.kind.as_str(), o.term.as_str(), o.purchase_option.as_str(), o.effective_usd_per_hour.to_string()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("compute-savings-plan", "1yr", "No Upfront", "0.2550".into()),
            ("ec2-instance-savings-plan", "3yr", "All Upfront", "0.1600".into())
        ]
    );
    let dir = temp("catalog-from-sp");
    let _ = std::fs::remove_dir_all(&dir);
    let out =
        tco(&["--catalog", &dir.display().to_string(), "pricing", "import-offer-file", &path.display().to_string()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let (catalog, _) = tco_pricing_data::load_dir(&dir).unwrap();
    assert!(catalog
        .commitments
        .iter()
        .any(|c| c.kind == "compute-savings-plan" && c.instance_type == "c5.2xlarge" && c.term == "1yr"));
}

#[test]
fn bad_offer_files_are_named_and_leave_the_snapshot_alone() {
    let dir = temp("catalog-untouched");
    let _ = std::fs::remove_dir_all(&dir);
    tco_pricing_data::OwnedSnapshot::embedded().write_dir(&dir).unwrap();
    let before = std::fs::read(dir.join("ec2-ondemand-linux.csv")).unwrap();

    let bad_price = ec2_csv().replace("\"0.3400000000\"", "\"n/a\"");
    let path = temp("bad-price.csv");
    std::fs::write(&path, bad_price).unwrap();
    let out =
        tco(&["--catalog", &dir.display().to_string(), "pricing", "import-offer-file", &path.display().to_string()]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && err.contains("SKU SKUC5") && err.contains("PricePerUnit"), "{err}");

    let no_region = ec2_csv().replacen("\"Region Code\"", "\"Region Name\"", 1);
    std::fs::write(&path, no_region).unwrap();
    let err = read_ec2_csv(&path, None).unwrap_err().to_string();
    assert!(err.contains("Region Code"), "{err}");

    std::fs::write(&path, "hello,world\n").unwrap();
    let out =
        tco(&["--catalog", &dir.display().to_string(), "pricing", "import-offer-file", &path.display().to_string()]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("not an AWS Price List offer file"));
    assert_eq!(std::fs::read(dir.join("ec2-ondemand-linux.csv")).unwrap(), before, "nothing half-written");

    let out = tco(&["pricing", "import-offer-file", &path.display().to_string()]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("--catalog"), "the command says where it writes");
}

/// The real excerpts in `../shared/data/aws` (CI has them): the filter keeps exactly the rows
/// an independent reading says are Linux, shared, used, on-demand, no licence, no software.
#[test]
fn real_offer_file_excerpts_conform() {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/data/aws");
    if !shared.is_dir() {
        eprintln!("../shared/data/aws not beside the project: real excerpts not checked");
        return;
    }
    let csv_path = shared.join("ec2-priceit/3-global-pricing-file-sample.csv");
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_path(&csv_path).unwrap();
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let header = &records[5];
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let expected = records[6..]
        .iter()
        .filter(|r| {
            r[col("TermType")] == *"OnDemand"
                && r[col("Operating System")] == *"Linux"
                && r[col("Tenancy")] == *"Shared"
                && r[col("CapacityStatus")] == *"Used"
                && r[col("Pre Installed S/W")] == *"NA"
                && r[col("License Model")] == *"No License required"
                && r[col("Product Family")] == *"Compute Instance"
                && r[col("Unit")] == *"Hrs"
                && r[col("MarketOption")] == *"OnDemand"
        })
        .count();
    assert!(records.len() > 40, "the excerpt's 44 rows were read");
    let got = read_ec2_csv(&csv_path, None).unwrap();
    // The excerpt's rows are reserved, Windows, RHEL, dedicated or capacity-reservation rows:
    // none may pass for a Linux shared on-demand price.
    assert_eq!(got.len(), expected, "one offer per matching (region, type) row in the real excerpt");
}

/// The trimmed real region offer (p4d.24xlarge: OnDemand and CapacityBlock products): the
/// streamed JSON import finds the on-demand product's hourly price, as an independent reading does.
#[test]
fn real_json_offer_excerpt_conforms() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/data/aws/opencost/pricing-us-east-1.json");
    if !path.is_file() {
        eprintln!("../shared/data/aws not beside the project: real excerpt not checked");
        return;
    }
    let doc: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let on_demand_sku = doc["products"]
        .as_object()
        .unwrap()
        .values()
        .find(|p| p["attributes"]["marketoption"] == "OnDemand" && p["attributes"]["operatingSystem"] == "Linux")
        .map(|p| p["sku"].as_str().unwrap().to_string())
        .expect("an on-demand Linux product in the excerpt");
    let price = doc["terms"]["OnDemand"][&on_demand_sku]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|t| t["priceDimensions"].as_object().unwrap().values())
        .find(|d| d["unit"] == "Hrs")
        .map(|d| d["pricePerUnit"]["USD"].as_str().unwrap().to_string())
        .unwrap();
    let offers = read_ec2_json(&path, Some("us-east-1")).unwrap();
    assert_eq!(offers.len(), 1, "the CapacityBlock product is not an on-demand price");
    assert_eq!(offers[0].instance_type, "p4d.24xlarge");
    assert_eq!(offers[0].usd_per_hour, price.parse().unwrap());
    assert_eq!(offers[0].vcpu, Some(96));
}
