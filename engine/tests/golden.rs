//! Golden reports: every scenario under `tests/golden/` is estimated on the embedded catalog and
//! its JSON report compared byte for byte with the report committed beside it. A change that
//! is meant to leave results alone (a restructuring) leaves every report as it is; a change
//! that moves a figure on purpose regenerates them in the same commit and says why:
//!
//! ```sh
//! TCO_UPDATE_GOLDEN=1 cargo test -p tco-engine --test golden
//! ```
//!
//! The scenarios are fixed inputs: the bundled sample (on its default targets and on every
//! target with every supporting service), estates of 10 to 1,000 processes drawn by
//! `benches/support/generated.rs` (seeds in each scenario's name; a quarter follow a day/night
//! profile), single-type pools in one zone, spot, Reserved Instances, a Savings Plan, an hourly
//! request rate with autoscaling, measured sizing, add-ons moved to RDS and ElastiCache, arm64,
//! and two estates as `tco import` reads them (an EC2 fleet with CloudWatch metrics; a Heroku
//! formation with runtime-metric logs and add-ons, from `server/tests/fixtures/good/`). The README's
//! worked example is read from the README itself.

use std::path::{Path, PathBuf};
use tco_engine::{estimate, Scenario};

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

/// The README's worked example, as `readme_example.rs` reads it.
fn readme_example() -> Scenario {
    let readme = include_str!("../../README.md");
    let start = readme.find("<!-- worked-example -->").expect("the README marks its worked example");
    let block = &readme[start..];
    let json = block.split("```json").nth(1).and_then(|b| b.split("```").next()).expect("a json block follows");
    serde_json::from_str(json).expect("the example is a scenario document")
}

/// Every golden scenario by name, sorted.
fn scenarios() -> Vec<(String, Scenario)> {
    let mut out = vec![("readme-example".to_string(), readme_example())];
    for entry in std::fs::read_dir(golden_dir()).expect("tests/golden exists") {
        let path = entry.expect("a directory entry").path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()).and_then(|n| n.strip_suffix(".scenario.json"))
        else {
            continue;
        };
        let text = std::fs::read_to_string(&path).expect("a readable scenario");
        let scenario: Scenario =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: not a scenario document: {e}", path.display()));
        out.push((name.to_string(), scenario));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// The first line where two texts differ, with its neighbours, for a readable failure.
fn first_difference(expected: &str, actual: &str) -> String {
    let (e, a): (Vec<&str>, Vec<&str>) = (expected.lines().collect(), actual.lines().collect());
    let at = e.iter().zip(&a).position(|(x, y)| x != y).unwrap_or(e.len().min(a.len()));
    let from = at.saturating_sub(3);
    let show = |lines: &[&str]| lines.iter().skip(from).take(7).copied().collect::<Vec<_>>().join("\n");
    format!("first difference at line {}:\n--- expected\n{}\n--- actual\n{}", at + 1, show(&e), show(&a))
}

#[test]
fn every_golden_scenario_reports_exactly_what_was_committed() {
    let update = std::env::var_os("TCO_UPDATE_GOLDEN").is_some();
    let catalog = tco_pricing_data::embedded();
    let scenarios = scenarios();
    assert!(scenarios.len() >= 12, "at least a dozen golden scenarios, found {}", scenarios.len());
    let mut failures = Vec::new();
    for (name, scenario) in &scenarios {
        let report = estimate(scenario, catalog).unwrap_or_else(|e| panic!("{name}: the estimate failed: {e}"));
        let actual = serde_json::to_string_pretty(&report).expect("a report serializes") + "\n";
        let path = golden_dir().join(format!("{name}.report.json"));
        if update {
            std::fs::write(&path, &actual).expect("the golden report is writable");
            continue;
        }
        match std::fs::read_to_string(&path) {
            Ok(expected) if expected == actual => {}
            Ok(expected) => failures.push(format!("{name}: {}", first_difference(&expected, &actual))),
            Err(e) => failures.push(format!("{name}: no golden report at {} ({e})", path.display())),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} golden reports changed (regenerate with TCO_UPDATE_GOLDEN=1 only if the change is meant, \
         and say why in the commit message):\n\n{}",
        failures.len(),
        scenarios.len(),
        failures.join("\n\n")
    );
}

#[test]
fn every_golden_report_reads_back_as_the_report_it_was_written_from() {
    // The report is a public contract: what is committed must parse as today's report type.
    for (name, _) in scenarios() {
        let path = golden_dir().join(format!("{name}.report.json"));
        let Ok(text) = std::fs::read_to_string(&path) else { continue };
        let report: tco_engine::Report =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: the golden report does not parse: {e}"));
        assert!(!report.options.is_empty(), "{name}: a golden report holds at least one option");
    }
}
