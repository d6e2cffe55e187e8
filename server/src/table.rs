//! The report as a readable table for the terminal.

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{CellAlignment, Table};
use tco_engine::format::{node_plan, ratio_pct, usd};
use tco_engine::Report;

/// Renders the report: one row per platform, then the prices it rests on.
pub fn render(report: &Report) -> String {
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED);
    t.set_header(vec!["platform", "region", "USD per month", "nodes", "CPU util.", "memory util.", "savings"]);
    t.add_row(vec![
        format!("{} (today)", report.current.platform),
        "-".into(),
        usd(report.current.monthly_usd),
        "-".into(),
        "-".into(),
        "-".into(),
        "-".into(),
    ]);
    for o in &report.options {
        t.add_row(vec![
            format!("{} ({})", o.label, o.platform.as_str()),
            o.region.clone(),
            usd(o.monthly_usd),
            node_plan(&o.nodes),
            ratio_pct(o.utilization.cpu),
            ratio_pct(o.utilization.memory),
            o.savings_vs_current_pct.map(|p| format!("{p:.1}%")).unwrap_or_else(|| "-".into()),
        ]);
    }
    for i in 2..=6 {
        if let Some(c) = t.column_mut(i) {
            c.set_cell_alignment(CellAlignment::Right);
        }
    }
    let mut out = format!("Monthly cost, USD per month ({} hours a month)\n{t}\n", report.hours_per_month);
    let mut s = Table::new();
    s.load_preset(UTF8_FULL_CONDENSED);
    s.set_header(vec!["price", "USD", "unit", "source", "as of"]);
    for line in &report.sources {
        s.add_row(vec![
            line.item.clone(),
            line.usd.normalize().to_string(),
            line.unit.clone(),
            line.source.clone(),
            line.as_of.clone(),
        ]);
    }
    out.push_str(&format!("Prices used (catalog of {})\n{s}\n", report.catalog_as_of));
    for w in &report.warnings {
        out.push_str(&format!("warning: {w}\n"));
    }
    if let Some(w) = tco_engine::age::stale_warning("The oldest catalog price", &report.oldest_price_as_of, &today()) {
        out.push_str(&format!("warning: {w}\n"));
    }
    out
}

/// Prints catalog rows as a table (with the catalog's provenance), JSON or CSV.
pub fn print_catalog(
    rows: &[tco_engine::explore::InstanceRow],
    active: &crate::catalog::ActiveCatalog,
    format: &str,
) -> anyhow::Result<()> {
    match format {
        "json" => println!("{}", serde_json::to_string_pretty(rows)?),
        "csv" => {
            let mut w = csv::Writer::from_writer(std::io::stdout());
            w.write_record([
                "instance_type",
                "family",
                "vcpu",
                "memory_gib",
                "arch",
                "eks_max_pods",
                "region",
                "usd_per_hour",
                "usd_per_month",
                "source",
                "as_of",
            ])?;
            for r in rows {
                let opt = |v: Option<String>| v.unwrap_or_default();
                w.write_record([
                    r.instance_type.clone(),
                    r.family.clone(),
                    opt(r.vcpu.map(|v| v.to_string())),
                    opt(r.memory_gib.map(|v| v.normalize().to_string())),
                    opt(r.arch.map(|a| format!("{a:?}").to_ascii_lowercase())),
                    opt(r.eks_max_pods.map(|v| v.to_string())),
                    r.region.clone(),
                    r.usd_per_hour.normalize().to_string(),
                    r.usd_per_month.round_dp(2).to_string(),
                    r.source.clone(),
                    r.as_of.clone(),
                ])?;
            }
            w.flush()?;
        }
        _ => {
            let mut t = Table::new();
            t.load_preset(UTF8_FULL_CONDENSED);
            t.set_header(vec!["type", "vCPU", "GiB", "arch", "max pods", "region", "USD/hour", "USD/month", "as of"]);
            let unknown = || "?".to_string();
            for r in rows {
                t.add_row(vec![
                    r.instance_type.clone(),
                    r.vcpu.map(|v| v.to_string()).unwrap_or_else(unknown),
                    r.memory_gib.map(|v| v.normalize().to_string()).unwrap_or_else(unknown),
                    r.arch
                        .map(|a| {
                            if a == tco_engine::catalog::Arch::Arm64 {
                                "arm64".to_string()
                            } else {
                                "x86_64".to_string()
                            }
                        })
                        .unwrap_or_else(unknown),
                    r.eks_max_pods.map(|v| v.to_string()).unwrap_or_else(unknown),
                    r.region.clone(),
                    r.usd_per_hour.normalize().to_string(),
                    r.usd_per_month.round_dp(2).to_string(),
                    r.as_of.clone(),
                ]);
            }
            println!("{t}");
            println!(
                "{} instance types · catalog {} ({}) · oldest price {}",
                rows.len(),
                active.catalog.snapshot,
                active.origin,
                active.catalog.oldest_price_as_of
            );
            for f in &active.manifest.files {
                println!("  {}: {} ({})", f.file, f.source, f.as_of);
            }
            println!("? = not in the catalog's sources. {}", active.manifest.absent);
            if let Some(w) =
                tco_engine::age::stale_warning("the oldest price", &active.catalog.oldest_price_as_of, &today())
            {
                println!("warning: {w}");
            }
        }
    }
    Ok(())
}

/// Today's date (UTC) from the system clock, `YYYY-MM-DD`.
pub fn today() -> String {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    tco_engine::age::civil_from_days((secs / 86_400) as i64)
}
