//! The report laid out as tables: the one model both writers read, so the workbook and the
//! CSV never disagree on a figure.

use rust_decimal::Decimal;
use tco_engine::format::{node_plan, option_name};
use tco_engine::{Report, Usd};

/// One cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Text.
    Text(String),
    /// USD, rounded to cents.
    Usd(Decimal),
    /// A fraction shown as a percentage (0.5 = 50%).
    Pct(f64),
    /// A plain number.
    Number(f64),
    /// Nothing.
    Empty,
}

impl Cell {
    fn usd(u: Usd) -> Cell {
        Cell::Usd(u.rounded_to_cents())
    }

    fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }
}

/// A named table.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    /// Sheet name (at most 31 characters).
    pub name: &'static str,
    /// Column titles, with units.
    pub columns: Vec<String>,
    /// Rows of cells.
    pub rows: Vec<Vec<Cell>>,
}

fn cols(names: &[&str]) -> Vec<String> {
    names.iter().map(|n| n.to_string()).collect()
}

/// Every section of the report as a sheet: summary, breakdown, node plan, alternatives, add-ons,
/// pricing models, TCO by month, sensitivity, assumptions, sources, regions and generations.
pub fn sheets(r: &Report) -> Vec<Sheet> {
    let mut summary = Sheet {
        name: "Summary",
        columns: cols(&[
            "option",
            "platform",
            "region",
            "pricing model",
            "USD per month",
            "low USD per month",
            "high USD per month",
            "savings USD per month",
            "savings %",
            "upfront USD",
            "one-time migration USD",
            "12-month savings USD",
            "36-month savings USD",
            "break-even month",
            "nodes",
            "CPU utilization",
            "memory utilization",
        ]),
        rows: vec![vec![
            Cell::text(format!("{} (today)", r.current.platform)),
            Cell::text(r.current.platform.clone()),
            Cell::Empty,
            Cell::Empty,
            Cell::usd(r.current.monthly_usd),
        ]],
    };
    for o in &r.options {
        summary.rows.push(vec![
            Cell::text(option_name(r, o)),
            Cell::text(o.platform.as_str()),
            Cell::text(o.region.clone()),
            Cell::text(o.pricing_model.as_str()),
            Cell::usd(o.monthly_usd),
            Cell::usd(o.band.low_usd),
            Cell::usd(o.band.high_usd),
            Cell::usd(r.current.monthly_usd - o.monthly_usd),
            o.savings_vs_current_pct.map(|p| Cell::Pct(p / 100.0)).unwrap_or(Cell::Empty),
            Cell::usd(o.upfront_usd),
            Cell::usd(o.tco.one_time_usd),
            Cell::usd(o.tco.months_12.savings_usd),
            Cell::usd(o.tco.months_36.savings_usd),
            o.tco.break_even_month.map(|m| Cell::Number(f64::from(m))).unwrap_or_else(|| Cell::text("never")),
            Cell::text(if o.nodes.is_empty() && !o.fargate_tasks.is_empty() {
                "Fargate tasks".to_string()
            } else {
                node_plan(&o.nodes)
            }),
            Cell::Pct(o.utilization.cpu),
            Cell::Pct(o.utilization.memory),
        ]);
    }

    let mut breakdown = Sheet {
        name: "Breakdown",
        columns: cols(&["option", "category", "group", "USD per month", "formula"]),
        rows: Vec::new(),
    };
    let current_label = format!("{} (today)", r.current.platform);
    for l in &r.current.breakdown {
        breakdown.rows.push(vec![
            Cell::text(current_label.clone()),
            Cell::text(l.category.clone()),
            Cell::text(l.group.as_str()),
            Cell::usd(l.monthly_usd),
            Cell::text(l.formula.clone().unwrap_or_default()),
        ]);
    }
    for o in &r.options {
        for l in &o.breakdown {
            breakdown.rows.push(vec![
                Cell::text(option_name(r, o)),
                Cell::text(l.category.clone()),
                Cell::text(l.group.as_str()),
                Cell::usd(l.monthly_usd),
                Cell::text(l.formula.clone().unwrap_or_default()),
            ]);
        }
    }

    let mut nodes = Sheet {
        name: "Node plan",
        columns: cols(&[
            "option",
            "instance type",
            "nodes",
            "nodes per zone",
            "on-demand USD per node-hour",
            "spot",
            "serves",
            "gap to lower bound %",
        ]),
        rows: Vec::new(),
    };
    for o in &r.options {
        for n in &o.nodes {
            nodes.rows.push(vec![
                Cell::text(option_name(r, o)),
                Cell::text(n.instance_type.clone()),
                Cell::Number(f64::from(n.count)),
                Cell::text(n.per_zone.iter().map(u32::to_string).collect::<Vec<_>>().join(" / ")),
                Cell::Number(n.usd_per_hour.try_into().unwrap_or(0.0)),
                Cell::text(if n.spot { "yes" } else { "no" }),
                Cell::text(n.serves.clone().unwrap_or_default()),
                o.gap_to_lower_bound_pct.map(|g| Cell::Pct(g / 100.0)).unwrap_or(Cell::Empty),
            ]);
        }
        for t in &o.fargate_tasks {
            nodes.rows.push(vec![
                Cell::text(option_name(r, o)),
                Cell::text(format!(
                    "Fargate {} vCPU / {} GB",
                    f64::from(t.cpu_millicores) / 1000.0,
                    f64::from(t.memory_mib) / 1024.0
                )),
                Cell::Number(f64::from(t.tasks)),
                Cell::Empty,
                Cell::Number(t.usd_per_task_hour.try_into().unwrap_or(0.0)),
                Cell::text("no"),
                Cell::text(t.process.clone()),
                Cell::Empty,
            ]);
        }
    }

    let mut alternatives = Sheet {
        name: "Alternatives",
        columns: cols(&["option", "instance type", "nodes", "on-demand USD per month"]),
        rows: Vec::new(),
    };
    for o in &r.options {
        for x in &o.alternatives {
            alternatives.rows.push(vec![
                Cell::text(option_name(r, o)),
                Cell::text(x.instance_type.clone()),
                Cell::Number(f64::from(x.nodes)),
                Cell::usd(x.monthly_usd),
            ]);
        }
    }

    let mut addons = Sheet {
        name: "Add-ons",
        columns: cols(&[
            "plan",
            "region",
            "add-ons",
            "today USD per month",
            "on AWS",
            "default",
            "AWS USD per month",
            "formula or why kept",
            "reserved 1 year USD per month",
            "reserved 3 years USD per month",
        ]),
        rows: Vec::new(),
    };
    for m in &r.addon_moves {
        addons.rows.push(vec![
            Cell::text(m.plan.clone()),
            Cell::text(m.region.clone()),
            Cell::text(m.addons.join(", ")),
            Cell::usd(m.current_monthly_usd),
            Cell::text(m.target_label.clone()),
            Cell::text(if m.default { "yes" } else { "no: chosen" }),
            m.aws_monthly_usd.map_or(Cell::text("kept at today's price"), Cell::usd),
            Cell::text(m.formula.clone().or_else(|| m.note.clone()).unwrap_or_default()),
            m.reserved_1y_monthly_usd.map_or(Cell::Empty, Cell::usd),
            m.reserved_3y_monthly_usd.map_or(Cell::Empty, Cell::usd),
        ]);
    }

    let mut regions = Sheet {
        name: "Regions",
        columns: cols(&[
            "region",
            "EC2 prices of",
            "platform",
            "USD per month",
            "cheapest region for the platform",
            "candidate types",
            "candidate types without a price here",
            "families without a price here",
            "us-east-1 prices standing in",
        ]),
        rows: Vec::new(),
    };
    for x in &r.regions {
        for c in &x.targets {
            regions.rows.push(vec![
                Cell::text(x.region.clone()),
                Cell::text(x.prices_as_of.clone()),
                Cell::text(c.platform.as_str()),
                Cell::usd(c.monthly_usd),
                Cell::text(if c.cheapest { "yes" } else { "no" }),
                Cell::Number(f64::from(x.candidate_types)),
                Cell::Number(f64::from(x.candidate_types_lacking)),
                Cell::text(x.lacking_families.join(", ")),
                Cell::text(x.stand_ins.join("; ")),
            ]);
        }
    }

    let mut generations = Sheet {
        name: "Generations",
        columns: cols(&[
            "generation",
            "region",
            "platform",
            "nodes",
            "node plan",
            "on-demand nodes USD per month",
            "cheapest for the platform",
            "note",
        ]),
        rows: Vec::new(),
    };
    for g in &r.generations {
        let note = g.skipped.clone().unwrap_or_else(|| {
            if g.lacking_families.is_empty() {
                String::new()
            } else {
                format!("no {} price here", g.lacking_families.join(", "))
            }
        });
        if g.targets.is_empty() {
            generations.rows.push(vec![
                Cell::text(g.group.clone()),
                Cell::text(g.region.clone()),
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                Cell::text(note.clone()),
            ]);
        }
        for c in &g.targets {
            generations.rows.push(vec![
                Cell::text(g.group.clone()),
                Cell::text(g.region.clone()),
                Cell::text(c.platform.as_str()),
                Cell::Number(f64::from(c.nodes)),
                Cell::text(c.plan.clone()),
                Cell::usd(c.compute_monthly_usd),
                Cell::text(if c.cheapest { "yes" } else { "no" }),
                Cell::text(note.clone()),
            ]);
        }
    }

    let mut models = Sheet {
        name: "Pricing models",
        columns: cols(&["option", "pricing model", "compute USD per month", "USD per month", "upfront USD", "basis"]),
        rows: Vec::new(),
    };
    for o in &r.options {
        for m in &o.by_pricing_model {
            models.rows.push(vec![
                Cell::text(option_name(r, o)),
                Cell::text(m.label.clone()),
                Cell::usd(m.compute_monthly_usd),
                Cell::usd(m.monthly_usd),
                Cell::usd(m.upfront_usd),
                Cell::text(format!("{}{}", m.basis, if m.assumed { " (assumption)" } else { "" })),
            ]);
        }
    }

    let mut tco = Sheet { name: "TCO", columns: cols(&["month", "stay: cumulative USD"]), rows: Vec::new() };
    for o in &r.options {
        tco.columns.push(format!("{}: cumulative USD", option_name(r, o)));
    }
    let months = r.options.iter().map(|o| o.tco.months.len()).max().unwrap_or(0);
    for i in 0..months {
        let mut row = vec![Cell::Number((i + 1) as f64)];
        row.push(
            r.options
                .first()
                .and_then(|o| o.tco.months.get(i))
                .map(|m| Cell::usd(m.current_usd))
                .unwrap_or(Cell::Empty),
        );
        for o in &r.options {
            row.push(o.tco.months.get(i).map(|m| Cell::usd(m.option_usd)).unwrap_or(Cell::Empty));
        }
        tco.rows.push(row);
    }

    let mut sensitivity = Sheet {
        name: "Sensitivity",
        columns: cols(&[
            "option",
            "assumption",
            "savings at the low end USD per month",
            "savings at the high end USD per month",
            "swing USD",
            "low end",
            "high end",
            "in the band",
        ]),
        rows: Vec::new(),
    };
    for o in &r.options {
        for s in &o.sensitivity {
            sensitivity.rows.push(vec![
                Cell::text(option_name(r, o)),
                Cell::text(s.assumption.clone()),
                Cell::usd(s.savings_at_low_usd),
                Cell::usd(s.savings_at_high_usd),
                Cell::usd(s.swing_usd),
                Cell::text(s.at_low.clone()),
                Cell::text(s.at_high.clone()),
                Cell::text(if s.in_band { "yes" } else { "no" }),
            ]);
        }
    }

    let a = &r.assumptions;
    let mut assumptions = Sheet {
        name: "Assumptions",
        columns: cols(&["assumption", "value", "unit", "low", "high", "source", "as of"]),
        rows: vec![
            vec![Cell::text("regions"), Cell::text(a.estimated_regions().join(", "))],
            vec![Cell::text("hours per month"), Cell::Number(f64::from(a.hours_per_month)), Cell::text("hours")],
            vec![Cell::text("availability zones"), Cell::Number(f64::from(a.availability_zones))],
            vec![Cell::text("headroom (target node utilization)"), Cell::Pct(a.headroom.get())],
            vec![Cell::text("pricing model"), Cell::text(a.pricing.as_str())],
            vec![Cell::text("instance types"), Cell::text(a.instance_types.join(", "))],
            vec![
                Cell::text("migration engineer-weeks"),
                Cell::Number(a.people.migration_engineer_weeks.try_into().unwrap_or(0.0)),
                Cell::text("weeks"),
            ],
            vec![Cell::text("engineer-week cost"), Cell::Usd(a.people.engineer_week_usd), Cell::text("USD")],
            vec![Cell::text("outside services"), Cell::Usd(a.people.outside_services_usd), Cell::text("USD")],
            vec![
                Cell::text("parallel-run months"),
                Cell::Number(f64::from(a.people.parallel_run_months)),
                Cell::text("months"),
            ],
            vec![
                Cell::text("extra operations effort"),
                Cell::Number(a.people.ops_engineer_fraction.try_into().unwrap_or(0.0)),
                Cell::text("engineers"),
            ],
            vec![Cell::text("engineer-year cost"), Cell::Usd(a.people.engineer_year_usd), Cell::text("USD")],
        ],
    };
    assumptions.rows.push(vec![
        Cell::text("spot pools prefer types interrupted at most"),
        Cell::text(a.spot_max_interruption.as_str()),
    ]);
    for u in &r.uncertain {
        assumptions.rows.push(vec![
            Cell::text(format!("{} ({}){}", u.description, u.id, if u.overridden { ", edited" } else { "" })),
            Cell::Number(u.value.try_into().unwrap_or(0.0)),
            Cell::text(u.unit.clone()),
            Cell::Number(u.low.try_into().unwrap_or(0.0)),
            Cell::Number(u.high.try_into().unwrap_or(0.0)),
            Cell::text(u.source.clone()),
            Cell::text(u.as_of.clone()),
        ]);
    }

    let mut sources =
        Sheet { name: "Sources", columns: cols(&["price", "USD", "unit", "source", "as of"]), rows: Vec::new() };
    for s in &r.sources {
        sources.rows.push(vec![
            Cell::text(s.item.clone()),
            Cell::Number(s.usd.try_into().unwrap_or(0.0)),
            Cell::text(s.unit.clone()),
            Cell::text(s.source.clone()),
            Cell::text(s.as_of.clone()),
        ]);
    }
    sources.rows.push(vec![Cell::text(format!("catalog snapshot of {}", r.catalog_as_of))]);
    for w in &r.warnings {
        sources.rows.push(vec![Cell::text(format!("warning: {w}"))]);
    }

    // New sheets go last, so a reader that finds sheets by position keeps working.
    vec![
        summary,
        breakdown,
        nodes,
        alternatives,
        addons,
        models,
        tco,
        sensitivity,
        assumptions,
        sources,
        regions,
        generations,
    ]
}
