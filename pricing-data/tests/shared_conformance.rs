//! The embedded catalog against the sourced files it was generated from, kept beside the
//! project in `../shared/data/aws/` (CI always has it; elsewhere this check says so and
//! passes). Each fact must be the source's own: nothing dropped silently, nothing copied
//! from one region to another.

use rust_decimal::Decimal;
use std::collections::HashMap;
use std::path::PathBuf;
use std::str::FromStr;
use tco_engine::catalog::{Arch, Interruption};

fn shared() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/data/aws");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("../shared/data/aws is not beside the project: catalog conformance not checked");
        None
    }
}

fn rows(path: PathBuf) -> Vec<HashMap<String, String>> {
    let mut r = csv::Reader::from_path(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let headers = r.headers().unwrap().clone();
    r.records()
        .map(|rec| headers.iter().map(str::to_string).zip(rec.unwrap().iter().map(str::to_string)).collect())
        .collect()
}

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s.trim()).unwrap_or_else(|e| panic!("`{s}`: {e}"))
}

#[test]
fn every_specs_row_is_the_catalogs_shape() {
    let Some(dir) = shared() else { return };
    let c = tco_pricing_data::embedded();
    for r in rows(dir.join("specs/ec2-instance-specs.csv")) {
        let name = &r["instance_type"];
        let t = c.instance_type(name).unwrap_or_else(|| panic!("{name} missing"));
        let apple = name.starts_with("mac2") || name.starts_with("mac-m");
        let arch = if r["arch"] == "arm64" || apple { Arch::Arm64 } else { Arch::X86_64 };
        assert_eq!(t.vcpu, Some(r["vcpu"].parse().unwrap()), "{name}");
        assert_eq!(t.memory_gib, Some(dec(&r["memory_mib"]) / Decimal::from(1024)), "{name}");
        assert_eq!(t.arch, Some(arch), "{name}");
        assert_eq!(t.gpus, Some(r["gpu"].parse().unwrap()), "{name}");
        assert_eq!(t.provenance.as_ref().unwrap().as_of, r["as_of"], "{name}");
    }
}

#[test]
fn every_regional_price_is_the_snapshots_own_and_us_east_1_the_newer_lists() {
    let Some(dir) = shared() else { return };
    let c = tco_pricing_data::embedded();
    let mut left_out = Vec::new();
    for r in rows(dir.join("regional/ec2-ondemand-26-commercial-regions.csv")) {
        let (region, name) = (&r["region"], &r["instance_type"]);
        if region == "us-east-1" {
            continue;
        }
        match c.instance_price(region, name) {
            Some(p) => {
                assert_eq!(p.usd_per_hour, dec(&r["usd_per_hour"]), "{region}/{name}");
                assert_eq!(p.provenance.as_of, r["as_of"], "{region}/{name}");
            }
            None => left_out.push(name.clone()),
        }
    }
    left_out.sort();
    left_out.dedup();
    // The only types the 2022 snapshot prices that no sourced spec describes (the README says so).
    assert_eq!(left_out, ["c6gn.metal", "hpc6a.48xlarge"]);
    let karpenter: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("karpenter-ondemand-us-east-1-2026-07-20.json")).unwrap(),
    )
    .unwrap();
    let prices = karpenter["prices"].as_object().unwrap();
    assert_eq!(c.instance_prices.iter().filter(|p| p.region == "us-east-1").count(), prices.len());
    for (name, usd) in prices {
        let p = c.instance_price("us-east-1", name).unwrap_or_else(|| panic!("us-east-1/{name}"));
        assert_eq!(p.usd_per_hour, dec(&usd.to_string()), "us-east-1/{name}");
    }
}

#[test]
fn every_spot_advisor_row_is_read_back() {
    let Some(dir) = shared() else { return };
    let c = tco_pricing_data::embedded();
    let mut missing = Vec::new();
    for r in rows(dir.join("regional/ec2-spot-advisor-linux.csv")) {
        let (region, name) = (&r["region"], &r["instance_type"]);
        match c.spot_advice(region, name) {
            Some(a) => {
                assert_eq!(a.savings_pct, dec(&r["savings_over_ondemand_pct"]), "{region}/{name}");
                assert_eq!(
                    a.interruption,
                    r["interruption_frequency"].parse::<Interruption>().unwrap(),
                    "{region}/{name}"
                );
            }
            None => missing.push(name.clone()),
        }
    }
    missing.dedup();
    assert_eq!(missing, ["dl2q.24xlarge"], "the one type of the feed without a sourced shape");
}

#[test]
fn every_redis_and_valkey_node_price_is_read_back_in_its_region() {
    let Some(dir) = shared() else { return };
    let c = tco_pricing_data::embedded();
    for r in rows(dir.join("regional/elasticache-nodes-all-regions.csv")) {
        let engine = match r["engine"].as_str() {
            "Redis" => "redis",
            "Valkey" => "valkey",
            _ => continue,
        };
        let node = &r["node_type"];
        for (column, id) in [
            ("ondemand_usd_per_hour", format!("elasticache-{engine}:{node}")),
            ("ri_1y_no_upfront_usd_per_hour", format!("elasticache-{engine}-reserved-1yr-no-upfront:{node}")),
            ("ri_3y_no_upfront_usd_per_hour", format!("elasticache-{engine}-reserved-3yr-no-upfront:{node}")),
        ] {
            let want = Some(&r[column]).filter(|v| !v.trim().is_empty()).map(|v| dec(v)).filter(|v| *v > Decimal::ZERO);
            let got = c.service_in(&r["region"], &id).map(|s| s.usd);
            assert_eq!(got, want, "{}/{id}", r["region"]);
        }
    }
}
