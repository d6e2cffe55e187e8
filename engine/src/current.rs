//! What a Heroku estate costs today, from the catalog's list prices.

use crate::catalog::{service, Catalog};
use crate::money::Usd;
use crate::report::{push_source, CostGroup, CostLine, Current, SourceLine};
use crate::workload::{Instance, Process, Workloads};

/// The monthly list price of a process on Heroku: its dynos run all month, and Heroku caps a
/// dyno's prorated charge at the monthly price. `None` when the size has no list price.
pub fn heroku_process_monthly(process: &Process, catalog: &Catalog) -> Option<Usd> {
    let size = catalog.dyno_size(process.size.as_deref()?)?;
    Some(size.monthly()?.times(process.replicas))
}

/// Whether a running instance is already costed as an EC2 process (a describe-instances
/// import turns its running fleet into one process per group and type).
pub fn instance_is_a_process(w: &Workloads, i: &Instance) -> bool {
    let group = i.group.clone().unwrap_or_else(|| "ec2-fleet".into());
    i.state == "running"
        && w.apps.iter().any(|a| {
            a.source.starts_with(EC2_SOURCE) && a.name == group && a.processes.iter().any(|p| p.name == i.instance_type)
        })
}

/// The source prefix of apps made from an EC2 inventory.
pub const EC2_SOURCE: &str = "ec2-instances:";

/// What the imported estate costs as imported: processes, add-ons, and instances not already
/// counted as processes.
pub fn imported_monthly(w: &Workloads) -> Usd {
    let apps: Usd = w
        .apps
        .iter()
        .map(|a| a.processes.iter().map(|p| p.monthly_usd).sum::<Usd>() + a.addons.iter().map(|x| x.monthly_usd).sum())
        .sum();
    let instances: Usd =
        w.instances.iter().filter(|i| !instance_is_a_process(w, i)).filter_map(|i| i.monthly_usd).sum();
    apps + instances
}

/// The current cost: Heroku dynos at list price (or the imported figure where the catalog has
/// none), one Eco subscription if any Eco dyno runs, EC2 instances at their on-demand price,
/// other processes and add-ons as imported.
pub fn heroku_current(
    workloads: &Workloads,
    catalog: &Catalog,
    sources: &mut Vec<SourceLine>,
    warnings: &mut Vec<String>,
) -> Current {
    let mut dynos = Usd::ZERO;
    let mut ec2 = Usd::ZERO;
    let mut other = Usd::ZERO;
    let mut any_eco = false;
    let mut dyno_items: Vec<String> = Vec::new();
    let (mut heroku_apps, mut aws_apps) = (0, 0);
    for app in &workloads.apps {
        let is_aws = app.source.starts_with(EC2_SOURCE) || app.source.starts_with("aws-");
        if is_aws {
            aws_apps += 1
        } else if app.source.starts_with("heroku") {
            heroku_apps += 1
        }
        for p in &app.processes {
            if app.source.starts_with(EC2_SOURCE) {
                ec2 += p.monthly_usd;
                continue;
            }
            match heroku_process_monthly(p, catalog) {
                Some(monthly) => {
                    dynos += monthly;
                    let size = catalog.dyno_size(p.size.as_deref().unwrap_or_default()).expect("priced above");
                    any_eco |= size.name == "Eco" && p.replicas > 0;
                    let item = format!("Heroku {} dyno", size.name);
                    if !dyno_items.contains(&item) {
                        dyno_items.push(item.clone());
                    }
                    push_source(
                        sources,
                        SourceLine {
                            item,
                            usd: size.usd_per_month.unwrap_or_default(),
                            unit: "USD per dyno-month".into(),
                            source: size.provenance.source.clone(),
                            as_of: size.provenance.as_of.clone(),
                        },
                    );
                }
                None if p.size.is_none() => other += p.monthly_usd,
                None => {
                    dynos += p.monthly_usd;
                    warnings.push(format!(
                        "{}/{}: no list price for dyno size {}; using the imported ${} per month",
                        app.name,
                        p.name,
                        p.size.as_deref().unwrap_or("(none)"),
                        p.monthly_usd.rounded_to_cents()
                    ));
                }
            }
        }
    }
    ec2 +=
        workloads.instances.iter().filter(|i| !instance_is_a_process(workloads, i)).filter_map(|i| i.monthly_usd).sum();
    let mut breakdown = Vec::new();
    if dynos > Usd::ZERO || heroku_apps > 0 {
        breakdown.push(CostLine { sources: dyno_items.clone(), ..CostLine::new("dynos", CostGroup::Current, dynos) });
    }
    if ec2 > Usd::ZERO {
        breakdown.push(CostLine::new("EC2 instances (on-demand)", CostGroup::Current, ec2));
    }
    if other > Usd::ZERO {
        breakdown.push(CostLine::new("other processes (as imported)", CostGroup::Current, other));
    }
    if any_eco {
        if let Some(eco) = catalog.service(service::HEROKU_ECO_SUBSCRIPTION) {
            breakdown.push(CostLine {
                sources: vec![eco.item()],
                ..CostLine::new("eco subscription", CostGroup::Current, Usd::new(eco.usd))
            });
            push_source(sources, SourceLine::from_service(eco));
        }
    }
    let addons: Usd = workloads.apps.iter().flat_map(|a| &a.addons).map(|a| a.monthly_usd).sum();
    if addons > Usd::ZERO {
        breakdown.push(CostLine::new("add-ons and services", CostGroup::Current, addons));
    }
    if breakdown.is_empty() {
        breakdown.push(CostLine::new("dynos", CostGroup::Current, Usd::ZERO));
    }
    let platform = match (heroku_apps > 0, aws_apps > 0 || !workloads.instances.is_empty()) {
        (true, true) => "mixed",
        (false, true) => "ec2",
        _ => "heroku",
    };
    Current {
        platform: platform.into(),
        monthly_usd: breakdown.iter().map(|l| l.monthly_usd).sum(),
        breakdown,
        utilization_measured: None,
    }
}

impl SourceLine {
    /// The source line of a service price.
    pub fn from_service(s: &crate::catalog::ServicePrice) -> SourceLine {
        SourceLine {
            item: s.item(),
            usd: s.usd,
            unit: format!("USD {}", s.unit),
            source: s.provenance.source.clone(),
            as_of: s.provenance.as_of.clone(),
        }
    }
}
