//! Conformance with real and schema-generated files in Heroku's and AWS's own formats, kept
//! beside the project in `../shared/data/` (CI always has it). The project's own fixtures
//! cover the same formats without it; this check reads the originals when they are there.

use std::path::PathBuf;
use tco_engine::Assumptions;
use tco_server::import::{import_file, Context, Format, InputFile};

fn shared() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/data");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("../shared/data is not beside the project: conformance files not checked");
        None
    }
}

fn import(path: &PathBuf) -> (Format, tco_engine::Workloads) {
    let bytes = std::fs::read(path).unwrap();
    let a = Assumptions::default();
    let name = path.file_name().unwrap().to_string_lossy().to_string();
    import_file(InputFile { name: &name, bytes: &bytes }, Context::new(tco_pricing_data::embedded(), &a), None)
        .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn heroku_platform_api_examples_import() {
    let Some(dir) = shared() else { return };
    let examples = dir.join("heroku/examples");
    let cases = [
        ("formation-list.GET_apps_app_formation.json", Format::HerokuFormation),
        ("dyno-list.GET_apps_app_dynos.json", Format::HerokuDynos),
        ("addon-list.GET_apps_app_addons.json", Format::HerokuAddons),
        ("dyno-size-list.GET_dyno-sizes.json", Format::HerokuDynoSizes),
        ("team-monthly-usage.GET_teams_id_usage_monthly.json", Format::HerokuUsage),
        ("team-daily-usage.GET_teams_id_usage_daily.json", Format::HerokuUsage),
        ("enterprise-account-monthly-usage.json", Format::HerokuUsage),
        ("enterprise-account-daily-usage.json", Format::HerokuUsage),
        ("team-monthly-usage.REAL-SHAPE.from-enterprise-cli-plugin-test.json", Format::HerokuUsage),
        ("app-info.GET_apps_app.json", Format::HerokuApps),
    ];
    for (file, format) in cases {
        let (got, w) = import(&examples.join(file));
        assert_eq!(got, format, "{file}");
        if format == Format::HerokuUsage {
            assert!(w.current_monthly_usd > tco_engine::Usd::ZERO, "{file}: usage is costed");
        }
    }
    // The schema's formation example: one `web` process of 1 dyno, sized by `dyno_size.name`.
    let (_, w) = import(&examples.join("formation-list.GET_apps_app_formation.json"));
    assert_eq!(w.apps[0].name, "example");
    assert_eq!(w.apps[0].processes[0].size.as_deref(), Some("Eco"));
}

#[test]
fn heroku_cli_dyno_sizes_fixture_matches_the_catalog_where_prices_exist() {
    let Some(dir) = shared() else { return };
    let (format, w) = import(&dir.join("heroku/dyno-sizes.heroku-cli-test-fixture-2024-01.json"));
    assert_eq!(format, Format::HerokuDynoSizes);
    // The 2024 fixture has 1 GB for Standard-2X and the list prices of today: no price warnings.
    assert!(w.warnings.iter().all(|x| !x.message.contains("per month here")), "{:?}", w.warnings);
}

#[test]
fn real_heroku_log_lines_import() {
    let Some(dir) = shared() else { return };
    let (format, w) = import(&dir.join("heroku/log-samples.txt"));
    assert_eq!(format, Format::HerokuLogs);
    let web = w.apps[0].processes.iter().find(|p| p.name == "web").expect("web process");
    let m = web.measured.as_ref().expect("web measured");
    assert!(m.samples >= 5, "{m:?}");
    assert!(m.r14_count >= 1, "{m:?}");
    assert!(m.requests >= 4, "{m:?}");
}

#[test]
fn usage_type_region_prefixes_match_the_pricing_calculator_reference() {
    // Section 5.2 of the Pricing Calculator reference: `| region | prefix |` three to a row,
    // e.g. `| eu-west-1 | **`EU`** |`; us-east-1 reads "none or `USE1` (per service)".
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/reference/pricing-calculator-api.md");
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("../shared/reference is not beside the project: region prefixes not checked");
        return;
    };
    let section = text.split("### 5.2").nth(1).and_then(|s| s.split("### 5.3").next()).expect("section 5.2");
    let mut checked = 0;
    for row in section.lines().filter(|l| l.starts_with('|')) {
        let cells: Vec<&str> = row.trim_matches('|').split('|').map(str::trim).collect();
        for pair in cells.chunks(2) {
            let [region, prefix] = pair else { continue };
            let Some(code) = prefix.split('`').nth(1) else { continue };
            if !region.contains('-') {
                continue;
            }
            let ours = tco_server::crosscheck::usage::prefixes(region)
                .unwrap_or_else(|| panic!("{region} is in the reference but not known here"));
            assert_eq!(ours.newer, format!("{code}-"), "{region}");
            checked += 1;
        }
    }
    assert_eq!(checked, 34, "every region of the reference's table was read");
    assert_eq!(tco_server::crosscheck::usage::prefixes("us-east-1").map(|p| p.ec2), Some(""));
}
