//! The report as a readable table for the terminal.

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{CellAlignment, Table};
use tco_engine::format::{node_plan, option_name, ratio_pct, usd};
use tco_engine::Report;

/// Renders the report: one row per platform, then the prices it rests on.
pub fn render(report: &Report) -> String {
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED);
    t.set_header(vec![
        "platform",
        "region",
        "USD per month",
        "low – high",
        "pricing",
        "nodes",
        "CPU util.",
        "memory util.",
        "savings",
        "break-even",
    ]);
    let dash = || "-".to_string();
    t.add_row(vec![
        format!("{} (today)", report.current.platform),
        dash(),
        usd(report.current.monthly_usd),
        dash(),
        report.current.basis.map_or_else(dash, |b| format!("as billed, {}", b.as_str())),
        dash(),
        dash(),
        dash(),
        dash(),
        dash(),
    ]);
    for o in &report.options {
        let nodes = if o.nodes.is_empty() && !o.fargate_tasks.is_empty() {
            format!("{} Fargate tasks", o.fargate_tasks.iter().map(|t| t.tasks).sum::<u32>())
        } else {
            node_plan(&o.nodes)
        };
        t.add_row(vec![
            format!("{} ({})", o.label, o.platform.as_str()),
            o.region.clone(),
            usd(o.monthly_usd),
            format!("{} – {}", usd(o.band.low_usd), usd(o.band.high_usd)),
            o.pricing_model.as_str().to_string(),
            nodes,
            ratio_pct(o.utilization.cpu),
            ratio_pct(o.utilization.memory),
            o.savings_vs_current_pct.map(|p| format!("{p:.1}%")).unwrap_or_else(dash),
            o.tco.break_even_month.map(|m| format!("month {m}")).unwrap_or_else(|| "never (36 months)".into()),
        ]);
    }
    for i in [2, 3, 6, 7, 8] {
        if let Some(c) = t.column_mut(i) {
            c.set_cell_alignment(CellAlignment::Right);
        }
    }
    let mut out = format!("Monthly cost, USD per month ({} hours a month)\n{t}\n", report.hours_per_month);
    if !report.current.other_charges.is_empty() {
        let lines: Vec<String> =
            report.current.other_charges.iter().map(|l| format!("{} {}", l.category, usd(l.monthly_usd))).collect();
        out.push_str(&format!("Also billed today, not compared (no option estimates them): {}\n", lines.join("; ")));
    }
    out.push_str(&regions(report));
    out.push_str(&generations(report));
    for o in &report.options {
        let mut b = Table::new();
        b.load_preset(UTF8_FULL_CONDENSED);
        b.set_header(vec!["cost line", "USD per month", "how"]);
        for l in &o.breakdown {
            b.add_row(vec![l.category.clone(), usd(l.monthly_usd), l.formula.clone().unwrap_or_default()]);
        }
        if let Some(c) = b.column_mut(1) {
            c.set_cell_alignment(CellAlignment::Right);
        }
        let gap = match (o.lower_bound_monthly_usd, o.gap_to_lower_bound_pct) {
            (Some(b), Some(g)) => format!("; nodes {g:.1}% above the lower bound of {} on-demand", usd(b)),
            _ => String::new(),
        };
        out.push_str(&format!("{} ({}){gap}\n{b}\n", option_name(report, o), o.platform.as_str()));
        if o.alternatives.len() > 1 {
            let list: Vec<String> = o
                .alternatives
                .iter()
                .map(|x| format!("{} × {} {}", x.nodes, x.instance_type, usd(x.monthly_usd)))
                .collect();
            out.push_str(&format!("  one type only, on-demand per month: {}\n", list.join("; ")));
        }
    }
    let mut m = Table::new();
    m.load_preset(UTF8_FULL_CONDENSED);
    let mut header = vec!["USD per month".to_string()];
    header.extend(tco_engine::PricingModel::ALL.iter().map(|p| p.as_str().to_string()));
    m.set_header(header);
    for o in &report.options {
        let mut row = vec![option_name(report, o)];
        for model in tco_engine::PricingModel::ALL {
            row.push(match o.by_pricing_model.iter().find(|c| c.model == model) {
                Some(c) if c.upfront_usd > tco_engine::Usd::ZERO => {
                    format!("{} (+{} upfront)", usd(c.monthly_usd), usd(c.upfront_usd))
                }
                Some(c) => format!("{}{}", usd(c.monthly_usd), if c.assumed { "*" } else { "" }),
                None => "n/a".into(),
            });
        }
        m.add_row(row);
    }
    out.push_str(&format!("By pricing model (* rests on a discount assumption)\n{m}\n"));
    let mut c = Table::new();
    c.load_preset(UTF8_FULL_CONDENSED);
    c.set_header(vec!["TCO, USD", "one-time", "operations per month", "12-month savings", "36-month savings"]);
    for o in &report.options {
        c.add_row(vec![
            option_name(report, o),
            usd(o.tco.one_time_usd),
            usd(o.tco.ops_monthly_usd),
            usd(o.tco.months_12.savings_usd),
            usd(o.tco.months_36.savings_usd),
        ]);
    }
    out.push_str(&format!("Cost of ownership (migration, parallel running and operations included)\n{c}\n"));
    if !report.uncertain.is_empty() {
        let mut u = Table::new();
        u.load_preset(UTF8_FULL_CONDENSED);
        u.set_header(vec!["assumption", "value", "range", "source", "as of"]);
        for a in &report.uncertain {
            u.add_row(vec![
                format!("{} ({}){}", a.description, a.id, if a.overridden { ", edited" } else { "" }),
                a.value.normalize().to_string(),
                format!("{} – {}", a.low.normalize(), a.high.normalize()),
                a.source.clone(),
                a.as_of.clone(),
            ]);
        }
        out.push_str(&format!("Assumptions used (editable)\n{u}\n"));
    }
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

/// The regions side by side, when the report compares several: each target's monthly total per
/// region (the target's cheapest marked), and what each region lacks of the candidate list.
fn regions(report: &Report) -> String {
    if report.regions.len() < 2 {
        return String::new();
    }
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED);
    let mut header = vec!["region".to_string(), "EC2 prices of".to_string()];
    header.extend(report.regions[0].targets.iter().map(|c| c.platform.label().to_string()));
    header.push("candidate types it lacks".into());
    header.push("us-east-1 stand-ins".into());
    t.set_header(header);
    for r in &report.regions {
        let mut row = vec![r.region.clone(), r.prices_as_of.clone()];
        row.extend(r.targets.iter().map(|c| format!("{}{}", usd(c.monthly_usd), if c.cheapest { " *" } else { "" })));
        row.push(if r.candidate_types_lacking == 0 {
            "none".into()
        } else {
            format!("{} of {} ({})", r.candidate_types_lacking, r.candidate_types, r.lacking_families.join(", "))
        });
        row.push(r.stand_ins.len().to_string());
        t.add_row(row);
    }
    let mut out = format!("Regions side by side, USD per month (* the target's cheapest region)\n{t}\n");
    if report.regions.iter().any(|r| r.candidate_types_lacking > 0) {
        out.push_str(
            "A type without a price in a region is not a candidate there; `tco pricing refresh --region R` fills them.\n",
        );
    }
    out
}

/// Each node target's plan on each generation family group (on-demand nodes, the plan shown),
/// the target's cheapest marked.
fn generations(report: &Report) -> String {
    let Some(first) = report.generations.first() else { return String::new() };
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED);
    let mut header = vec!["generation".to_string()];
    header.extend(first.targets.iter().map(|c| c.platform.label().to_string()));
    header.push("note".into());
    t.set_header(header);
    for g in &report.generations {
        let mut row = vec![g.group.clone()];
        for p in first.targets.iter().map(|c| c.platform) {
            row.push(match g.targets.iter().find(|c| c.platform == p) {
                Some(c) => {
                    format!("{} ({} nodes){}", usd(c.compute_monthly_usd), c.nodes, if c.cheapest { " *" } else { "" })
                }
                None => "-".into(),
            });
        }
        row.push(match (&g.skipped, g.lacking_families.is_empty()) {
            (Some(why), _) => why.clone(),
            (None, false) => format!("no {} price here", g.lacking_families.join(", ")),
            (None, true) => String::new(),
        });
        t.add_row(row);
    }
    format!(
        "Generations in {}: the plan's nodes on each family group, on-demand, USD per month (* the target's cheapest)\n{t}\n",
        first.region
    )
}

/// Why the catalog could not be printed.
#[derive(Debug, thiserror::Error)]
pub enum PrintError {
    /// Standard output failed.
    #[error("cannot write: {0}")]
    Io(#[from] std::io::Error),
    /// The rows did not serialize.
    #[error("cannot write JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// The rows did not serialize.
    #[error("cannot write CSV: {0}")]
    Csv(#[from] csv::Error),
}

/// One row of `tco pricing show`: the explorer's row plus the Spot Instance Advisor's word on
/// the type in the row's region, when the feed has it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ShowRow {
    /// The instance type priced in one region.
    #[serde(flatten)]
    pub row: tco_engine::explore::InstanceRow,
    /// Spot saving over on-demand, percent.
    pub spot_saving_pct: Option<rust_decimal::Decimal>,
    /// Spot price: on-demand less the saving, USD per instance-hour.
    pub spot_usd_per_hour: Option<rust_decimal::Decimal>,
    /// Interruption frequency bucket (`<5%` … `>20%`).
    pub interruption: Option<tco_engine::catalog::Interruption>,
    /// The spot feed's date.
    pub spot_as_of: Option<String>,
}

/// The explorer's rows with their spot advice.
pub fn show_rows(rows: Vec<tco_engine::explore::InstanceRow>, catalog: &tco_engine::Catalog) -> Vec<ShowRow> {
    let advice: std::collections::HashMap<(&str, &str), &tco_engine::catalog::SpotAdvice> =
        catalog.spot_advice.iter().map(|a| ((a.region.as_str(), a.instance_type.as_str()), a)).collect();
    rows.into_iter()
        .map(|row| {
            let a = advice.get(&(row.region.as_str(), row.instance_type.as_str())).copied();
            ShowRow {
                spot_saving_pct: a.map(|a| a.savings_pct),
                spot_usd_per_hour: a
                    .map(|a| a.spot_hourly(tco_engine::money::UsdPerHour(row.usd_per_hour)).0.round_dp(6).normalize()),
                interruption: a.map(|a| a.interruption),
                spot_as_of: a.map(|a| a.provenance.as_of.clone()),
                row,
            }
        })
        .collect()
}

/// Prints catalog rows as a table (with the catalog's provenance), JSON or CSV.
pub fn print_catalog(rows: &[ShowRow], active: &crate::catalog::ActiveCatalog, format: &str) -> Result<(), PrintError> {
    let opt = |v: Option<String>| v.unwrap_or_default();
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
                "spot_saving_pct",
                "spot_usd_per_hour",
                "interruption",
                "spot_as_of",
            ])?;
            for s in rows {
                let r = &s.row;
                w.write_record([
                    r.instance_type.clone(),
                    r.family.clone(),
                    opt(r.vcpu.map(|v| v.to_string())),
                    opt(r.memory_gib.map(|v| v.normalize().to_string())),
                    opt(r.arch.map(|a| a.to_string())),
                    opt(r.eks_max_pods.map(|v| v.to_string())),
                    r.region.clone(),
                    r.usd_per_hour.normalize().to_string(),
                    r.usd_per_month.round_dp(2).to_string(),
                    r.source.clone(),
                    r.as_of.clone(),
                    opt(s.spot_saving_pct.map(|v| v.normalize().to_string())),
                    opt(s.spot_usd_per_hour.map(|v| v.to_string())),
                    opt(s.interruption.map(|i| i.to_string())),
                    opt(s.spot_as_of.clone()),
                ])?;
            }
            w.flush()?;
        }
        _ => {
            let mut t = Table::new();
            t.load_preset(UTF8_FULL_CONDENSED);
            t.set_header(vec![
                "type",
                "vCPU",
                "GiB",
                "arch",
                "max pods",
                "region",
                "USD/hour",
                "USD/month",
                "as of",
                "spot saving",
                "interruptions",
            ]);
            let unknown = || "?".to_string();
            let dash = || "-".to_string();
            for s in rows {
                let r = &s.row;
                t.add_row(vec![
                    r.instance_type.clone(),
                    r.vcpu.map(|v| v.to_string()).unwrap_or_else(unknown),
                    r.memory_gib.map(|v| v.normalize().to_string()).unwrap_or_else(unknown),
                    r.arch.map(|a| a.to_string()).unwrap_or_else(unknown),
                    r.eks_max_pods.map(|v| v.to_string()).unwrap_or_else(unknown),
                    r.region.clone(),
                    r.usd_per_hour.normalize().to_string(),
                    r.usd_per_month.round_dp(2).to_string(),
                    r.as_of.clone(),
                    s.spot_saving_pct.map(|v| format!("{}%", v.normalize())).unwrap_or_else(dash),
                    s.interruption.map(|i| i.to_string()).unwrap_or_else(dash),
                ]);
            }
            println!("{t}");
            println!(
                "{} instance types · catalog {} ({}) · oldest price {}",
                rows.len(),
                active.snapshot,
                active.origin,
                active.oldest_price_as_of
            );
            let mut regions: Vec<&str> = rows.iter().map(|r| r.row.region.as_str()).collect();
            regions.sort_unstable();
            regions.dedup();
            for region in regions {
                if let Some(date) = active.price_date(region) {
                    println!("  {region}: EC2 prices of {date}");
                }
            }
            if let Some(spot) = rows.iter().find_map(|r| r.spot_as_of.as_deref()) {
                println!(
                    "  spot saving and interruptions: AWS Spot Instance Advisor feed of {spot} (- = not in the feed)"
                );
            }
            for f in &active.manifest.files {
                println!("  {}: {} ({})", f.file, f.source, f.as_of);
            }
            println!("? = not in the catalog's sources. {}", active.manifest.absent);
            if let Some(w) = tco_engine::age::stale_warning("the oldest price", &active.oldest_price_as_of, &today()) {
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
