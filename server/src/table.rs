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
    out
}
