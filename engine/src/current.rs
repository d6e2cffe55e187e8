//! What a Heroku estate costs today, from the catalog's list prices.

use crate::catalog::{service, Catalog};
use crate::money::Usd;
use crate::report::{push_source, CostGroup, CostLine, Current, SourceLine};
use crate::workload::{Instance, Process, Workloads};
use std::collections::HashSet;

/// The monthly list price of a process on Heroku: its dynos run all month, and Heroku caps a
/// dyno's prorated charge at the monthly price. `None` when the size has no list price.
pub fn heroku_process_monthly(process: &Process, catalog: &Catalog) -> Option<Usd> {
    let size = catalog.dyno_size(process.size.as_deref()?)?;
    Some(size.monthly()?.times(process.replicas))
}

/// Whether a running instance is already costed as an EC2 process (a describe-instances
/// import turns its running fleet into one process per group and type).
pub fn instance_is_a_process(w: &Workloads, i: &Instance) -> bool {
    Ec2Processes::of(w).covers(i)
}

/// The EC2 processes of an estate by (group, instance type), to tell in constant time which
/// instances they already cost.
pub struct Ec2Processes<'w>(HashSet<(&'w str, &'w str)>);

impl<'w> Ec2Processes<'w> {
    /// The EC2 processes of `w`.
    pub fn of(w: &'w Workloads) -> Self {
        Ec2Processes(
            w.apps
                .iter()
                .filter(|a| a.source.starts_with(EC2_SOURCE))
                .flat_map(|a| a.processes.iter().map(move |p| (a.name.as_str(), p.name.as_str())))
                .collect(),
        )
    }

    /// Whether `i` is running (or, from a bill alone, billed) and one of these processes costs it.
    pub fn covers(&self, i: &Instance) -> bool {
        let member = i.state == "running" || (i.state.is_empty() && i.is_billed());
        member && self.0.contains(&(i.group.as_deref().unwrap_or(EC2_FLEET), i.instance_type.as_str()))
    }
}

/// The source prefix of apps made from an EC2 inventory.
pub const EC2_SOURCE: &str = "ec2-instances:";

/// The processes of apps made from an EC2 inventory: its instance groups.
pub(crate) fn ec2_processes(w: &Workloads) -> impl Iterator<Item = &Process> {
    w.apps.iter().filter(|a| a.source.starts_with(EC2_SOURCE)).flat_map(|a| &a.processes)
}

/// Whether an instance group runs without imported utilization, so each of its instances is
/// sized as a whole.
pub(crate) fn is_unmeasured(p: &Process) -> bool {
    p.replicas > 0 && p.measured.is_none()
}

/// The group of instances with neither an auto-scaling group nor a `Name` tag.
pub const EC2_FLEET: &str = "ec2-fleet";

/// What the imported estate costs as imported: processes, add-ons, and instances not already
/// counted as processes.
pub fn imported_monthly(w: &Workloads) -> Usd {
    let apps: Usd = w
        .apps
        .iter()
        .map(|a| a.processes.iter().map(|p| p.monthly_usd).sum::<Usd>() + a.addons.iter().map(|x| x.monthly_usd).sum())
        .sum();
    let ec2 = Ec2Processes::of(w);
    let instances: Usd = w.instances.iter().filter(|i| !ec2.covers(i)).filter_map(|i| i.monthly_usd).sum();
    apps + instances
}

/// Whether an app holds the services of an imported bill.
pub fn is_bill_app(source: &str) -> bool {
    source.starts_with(BILL_SOURCE)
}

/// The source prefix of apps holding a bill's services (`bill:aws-cur:FILE`, `bill:focus:FILE`).
pub const BILL_SOURCE: &str = "bill:";

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
        let is_aws = app.source.starts_with(EC2_SOURCE) || app.source.starts_with("aws-") || is_bill_app(&app.source);
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
    let covered = Ec2Processes::of(workloads);
    ec2 += workloads.instances.iter().filter(|i| !covered.covers(i)).filter_map(|i| i.monthly_usd).sum();
    let basis = workloads.bill.as_ref().map(|b| b.basis);
    let billed = workloads.instances.iter().any(Instance::is_billed);
    let mut breakdown = Vec::new();
    if dynos > Usd::ZERO || heroku_apps > 0 {
        breakdown.push(CostLine { sources: dyno_items.clone(), ..CostLine::new("dynos", CostGroup::Current, dynos) });
    }
    if ec2 != Usd::ZERO {
        let category = match basis.filter(|_| billed) {
            Some(b) => format!("EC2 instances (as billed, {})", b.label()),
            None => "EC2 instances (on-demand)".to_string(),
        };
        breakdown.push(CostLine::new(category, CostGroup::Current, ec2));
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
    let addons: Usd =
        workloads.apps.iter().filter(|a| !is_bill_app(&a.source)).flat_map(|a| &a.addons).map(|a| a.monthly_usd).sum();
    if addons > Usd::ZERO {
        breakdown.push(CostLine::new("add-ons and services", CostGroup::Current, addons));
    }
    let services: Usd =
        workloads.apps.iter().filter(|a| is_bill_app(&a.source)).flat_map(|a| &a.addons).map(|a| a.monthly_usd).sum();
    if services != Usd::ZERO {
        let label = basis.map_or("as billed", |b| b.label());
        breakdown.push(CostLine::new(format!("other services on the bill ({label})"), CostGroup::Current, services));
    }
    if breakdown.is_empty() {
        breakdown.push(CostLine::new("dynos", CostGroup::Current, Usd::ZERO));
    }
    unmeasured_fleet(workloads, warnings);
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
        basis,
        other_charges: other_charges(workloads),
    }
}

/// The latest month's credits, refunds, discounts, adjustments and tax, per kind and provider,
/// on the bill's basis.
fn other_charges(w: &Workloads) -> Vec<CostLine> {
    let Some((bill, month)) = w.bill.as_ref().and_then(|b| b.latest().map(|m| (b, m))) else { return Vec::new() };
    let mut lines: Vec<(crate::bill::Charge, &str, Usd)> = Vec::new();
    for l in month.lines.iter().filter(|l| !l.charge.compared()) {
        let Some((usd, _)) = l.bases.on(bill.basis) else { continue };
        match lines.iter_mut().find(|(c, p, _)| *c == l.charge && *p == l.provider) {
            Some(x) => x.2 += usd,
            None => lines.push((l.charge, &l.provider, usd)),
        }
    }
    lines.sort_by_key(|(c, p, _)| (*c, *p));
    lines
        .into_iter()
        .map(|(charge, provider, usd)| CostLine {
            formula: Some(format!("{provider} bill {}, {}", month.period, bill.basis.label())),
            ..CostLine::new(format!("{} ({provider})", charge.label()), CostGroup::Current, usd)
        })
        .collect()
}

/// Says so when EC2 instances are migrated with no utilization imported: each is then sized as
/// a whole instance, which is what makes a fleet look dearer on containers.
fn unmeasured_fleet(w: &Workloads, warnings: &mut Vec<String>) {
    let groups: Vec<&Process> = ec2_processes(w).collect();
    let unmeasured: Vec<&&Process> = groups.iter().filter(|p| is_unmeasured(p)).collect();
    if unmeasured.is_empty() {
        return;
    }
    let instances: u32 = unmeasured.iter().map(|p| p.replicas).sum();
    let which = if unmeasured.len() == groups.len() {
        format!("the EC2 fleet ({instances} instances)")
    } else {
        format!("{} of {} EC2 groups ({instances} instances)", unmeasured.len(), groups.len())
    };
    warnings.push(format!(
        "no utilization imported for {which}: each instance is sized as a whole; import CloudWatch metrics to \
         right-size (`aws cloudwatch get-metric-data … > metrics.json`, then `tco estimate --input instances.json \
         metrics.json --sizing measured`)"
    ));
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
