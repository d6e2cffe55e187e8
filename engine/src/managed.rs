//! Heroku add-ons moved to their AWS managed equivalents: Heroku Postgres to RDS for
//! PostgreSQL, Heroku Key-Value Store (Redis) to ElastiCache.
//!
//! Each plan gets a default target sized from the plan's memory (the catalog's add-on spec) and
//! its tier (premium, private and shield plans are highly available); the user can replace any
//! plan's target, or keep the add-on where it is. A target the catalog has no price for keeps
//! the add-on at today's price and says which price is missing, so totals still compare like
//! with like.

use crate::catalog::{Catalog, ServicePrice};
use crate::money::Usd;
use crate::report::push_source;
use crate::report::{AddonMove, CostGroup, CostLine, SourceLine};
use crate::scenario::Assumptions;
pub use crate::scenario::{AddonTarget, CacheEngine};
use crate::stand_in::{self, Found};
use crate::workload::{Addon, Workloads};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// The catalog's RDS gp3 storage price, per GB-month.
pub const RDS_GP3_GB_MONTH: &str = "rds-gp3-gb-month";

/// RDS gp3 volumes are at least 20 GiB (RDS user guide, gp3 storage).
const RDS_MIN_STORAGE_GB: u32 = 20;

/// The RDS classes a default target chooses from, smallest first: Graviton burstable for the
/// small plans, general purpose, then memory optimized, as Heroku's larger plans are memory-led.
const RDS_CLASSES: &[&str] = &[
    "db.t4g.micro",
    "db.t4g.small",
    "db.t4g.medium",
    "db.m6g.large",
    "db.r6g.large",
    "db.r6g.xlarge",
    "db.r6g.2xlarge",
    "db.r6g.4xlarge",
    "db.r6g.8xlarge",
    "db.r6g.12xlarge",
    "db.r6g.16xlarge",
];

/// The ElastiCache node types a default target chooses from, smallest first.
const CACHE_NODES: &[&str] = &[
    "cache.t4g.micro",
    "cache.t4g.small",
    "cache.t4g.medium",
    "cache.m6g.large",
    "cache.r6g.large",
    "cache.r6g.xlarge",
    "cache.r6g.2xlarge",
    "cache.r6g.4xlarge",
    "cache.r6g.8xlarge",
    "cache.r6g.12xlarge",
    "cache.r6g.16xlarge",
];

/// ElastiCache keeps about a quarter of a node's memory for itself ("reserves roughly 25%",
/// cloudburn.io ElastiCache pricing guide, 2026), so without the node's own figure a node holds
/// a plan when three quarters of its EC2 counterpart's memory does.
const CACHE_USABLE_PERCENT: u64 = 75;

/// Memory of a class, MiB, and whether it is the managed service's own figure: the `N GiB` its
/// catalog row states (a refresh writes the Price List's `memory` there, and ElastiCache's is
/// what the cache can hold), else the spec of its EC2 counterpart (`db.m6g.large` →
/// `m6g.large`), which RDS and ElastiCache classes share. `rows` are the class's rows found.
fn class_memory_mib(catalog: &Catalog, rows: &[&ServicePrice], class: &str) -> Option<(u64, bool)> {
    let stated = rows.iter().find_map(|s| gib_in(&s.description));
    if let Some(mib) = stated {
        return Some((mib, true));
    }
    let ec2 = class.split_once('.')?.1;
    catalog.instance_type(ec2)?.memory_mib.map(|m| (u64::from(m), false))
}

/// The MiB of the first `N GiB` in a description (`(Single-AZ, 2 vCPU, 8 GiB)`).
fn gib_in(text: &str) -> Option<u64> {
    use rust_decimal::prelude::ToPrimitive;
    let before = &text[..text.find(" GiB")?];
    let number = before.rsplit([' ', '(', ',']).next()?;
    let gib: Decimal = number.parse().ok()?;
    (gib * Decimal::from(1024)).ceil().to_u64()
}

/// `RAM 4 GB`, `RAM 25 MB` in a plan's spec, MiB.
fn spec_ram_mib(spec: &str) -> Option<u64> {
    spec_quantity(spec, "RAM").and_then(|(n, unit)| match unit {
        "MB" => Some(n),
        "GB" => n.checked_mul(1024),
        "TB" => n.checked_mul(1024 * 1024),
        _ => None,
    })
}

/// `storage 64 GB`, `storage 1.5 TB` in a plan's spec, GB (rounded up).
fn spec_storage_gb(spec: &str) -> Option<u32> {
    use rust_decimal::prelude::ToPrimitive;
    let at = spec.to_ascii_lowercase().find("storage ")? + "storage ".len();
    let mut words = spec.get(at..)?.split_whitespace();
    let number: Decimal = words.next()?.parse().ok()?;
    let gb = match words.next()?.trim_end_matches([';', ',']) {
        "GB" => number,
        "TB" => number * Decimal::from(1000),
        _ => return None,
    };
    gb.ceil().to_u32()
}

fn spec_quantity<'s>(spec: &'s str, label: &str) -> Option<(u64, &'s str)> {
    let at = spec.find(&format!("{label} "))? + label.len() + 1;
    let mut words = spec[at..].split_whitespace();
    let number: u64 = words.next()?.parse().ok()?;
    Some((number, words.next()?.trim_end_matches([';', ','])))
}

/// Premium, private and shield plans run a standby (Postgres) or replica (Redis).
fn highly_available(plan_name: &str) -> bool {
    ["premium-", "private-", "shield-"].iter().any(|tier| plan_name.starts_with(tier))
}

/// The smallest class of `ladder` that holds `needed_mib`; `usable_percent` of a counterpart's
/// memory counts when the service states none of its own. `rows` names a class's catalog rows.
/// Classes the region prices come first; when none of those holds the plan, the smallest that
/// does (the home region's price standing in, or none: the plan then stays where it is).
fn smallest_holding(
    catalog: &Catalog,
    a: &Assumptions,
    ladder: &[&str],
    needed_mib: u64,
    usable_percent: u64,
    rows: impl Fn(&str) -> Vec<String>,
) -> Option<String> {
    let holds = |class: &&str, own_only: bool| {
        let found: Vec<Found> = rows(class).iter().filter_map(|id| stand_in::service(catalog, a, id)).collect();
        if own_only && found.iter().all(|f| f.stand_in) {
            return false;
        }
        let rows: Vec<&ServicePrice> = found.iter().map(|f| f.row).collect();
        match class_memory_mib(catalog, &rows, class) {
            Some((mib, true)) => mib >= needed_mib,
            Some((mib, false)) => mib * usable_percent / 100 >= needed_mib,
            None => false,
        }
    };
    ladder
        .iter()
        .find(|class| holds(class, true))
        .or_else(|| ladder.iter().find(|class| holds(class, false)))
        .map(|c| c.to_string())
}

fn rds_rows(class: &str) -> Vec<String> {
    ["single-az", "multi-az"].iter().map(|d| format!("rds-postgresql:{class}:{d}")).collect()
}

fn cache_rows(node: &str) -> Vec<String> {
    ["redis", "valkey"].iter().map(|e| format!("elasticache-{e}:{node}")).collect()
}

/// The default AWS target of a Heroku add-on plan (`heroku-postgresql:standard-0`) in
/// `a.region`, from the plan's spec in the catalog; `None` for add-ons with no managed
/// equivalent here (Kafka, logging, space fees) or plans the catalog does not describe.
pub fn default_target(catalog: &Catalog, a: &Assumptions, plan: &str) -> Option<AddonTarget> {
    let (service, name) = plan.split_once(':')?;
    let spec = &catalog.addon_plan(plan)?.spec;
    match service {
        "heroku-postgresql" => {
            // Essential plans share a server and state no RAM: the smallest class.
            let ram = spec_ram_mib(spec).unwrap_or(0);
            Some(AddonTarget::RdsPostgresql {
                class: smallest_holding(catalog, a, RDS_CLASSES, ram, 100, rds_rows)?,
                multi_az: highly_available(name),
                storage_gb: spec_storage_gb(spec).unwrap_or(RDS_MIN_STORAGE_GB).max(RDS_MIN_STORAGE_GB),
            })
        }
        "heroku-redis" => Some(AddonTarget::Elasticache {
            engine: CacheEngine::Redis,
            node_type: smallest_holding(
                catalog,
                a,
                CACHE_NODES,
                spec_ram_mib(spec)?,
                CACHE_USABLE_PERCENT,
                cache_rows,
            )?,
            nodes: if highly_available(name) { 2 } else { 1 },
        }),
        _ => None,
    }
}

/// Why a target cannot be priced.
fn missing(id: &str, region: &str) -> String {
    format!("the catalog has no `{id}` price for {region}; `tco pricing refresh --region {region}` fetches it")
}

/// An add-on on its target, priced for a month.
struct Priced<'c> {
    each: Usd,
    formula: String,
    used: Vec<&'c ServicePrice>,
    /// ElastiCache nodes reserved for 1 and 3 years, no upfront, per month, where priced.
    reserved: [Option<Usd>; 2],
}

/// The monthly cost of one add-on on `target` in `a.region`, with its formula and the prices
/// used; `Err` names the missing price.
fn price_one<'c>(catalog: &'c Catalog, a: &Assumptions, target: &AddonTarget) -> Result<Priced<'c>, String> {
    let hours = a.hours_per_month;
    let hours_d = Decimal::from(hours);
    let service = |id: &str| stand_in::service(catalog, a, id).ok_or_else(|| missing(id, &a.region));
    match target {
        AddonTarget::RdsPostgresql { class, multi_az, storage_gb } => {
            let deployment = if *multi_az { "multi-az" } else { "single-az" };
            let instance = service(&format!("rds-postgresql:{class}:{deployment}"))?;
            let storage = service(RDS_GP3_GB_MONTH)?;
            let copies = if *multi_az { 2 } else { 1 };
            let amount = instance.usd * hours_d + storage.usd * Decimal::from(*storage_gb) * Decimal::from(copies);
            let formula = format!(
                "${}/h ({class}, {}){} × {hours} h + {storage_gb} GB × ${}/GB-month{}{}",
                instance.usd,
                if *multi_az { "Multi-AZ with its standby" } else { "Single-AZ" },
                instance.note(&a.region),
                storage.usd,
                if *multi_az { " × 2 (primary and standby)" } else { "" },
                storage.note(&a.region)
            );
            Ok(Priced {
                each: Usd::new(amount),
                formula,
                used: vec![instance.row, storage.row],
                reserved: [None, None],
            })
        }
        AddonTarget::Elasticache { engine, node_type, nodes } => {
            let node = service(&format!("elasticache-{}:{node_type}", engine.id_part()))?;
            let amount = node.usd * hours_d * Decimal::from(*nodes);
            let formula = format!(
                "{nodes} × ${}/h ({node_type}, {}){} × {hours} h",
                node.usd,
                engine.label(),
                node.note(&a.region)
            );
            // Reserved nodes only from the region's own rows: a reservation is bought there.
            let reserved = [1, 3].map(|years| {
                let id = crate::catalog::service::elasticache_reserved(engine.id_part(), years, node_type);
                catalog.service_in(&a.region, &id).map(|r| Usd::new(r.usd * hours_d * Decimal::from(*nodes)))
            });
            Ok(Priced { each: Usd::new(amount), formula, used: vec![node.row], reserved })
        }
        AddonTarget::Keep => Err("kept where it is by choice".into()),
    }
}

/// Every Heroku Postgres and Key-Value Store plan among the workloads' add-ons, moved to its
/// target in `a.region` (the user's from `a.addon_targets`, else the default), in plan order;
/// other add-ons are not listed here and stay at today's price.
pub fn moves(
    workloads: &Workloads,
    catalog: &Catalog,
    a: &Assumptions,
    sources: &mut Vec<SourceLine>,
) -> Vec<AddonMove> {
    let targets = &a.addon_targets;
    let mut by_plan: BTreeMap<&str, Vec<(&str, &Addon)>> = BTreeMap::new();
    for app in &workloads.apps {
        for addon in &app.addons {
            if is_movable(&addon.plan) {
                by_plan.entry(addon.plan.as_str()).or_default().push((app.name.as_str(), addon));
            }
        }
    }
    by_plan
        .into_iter()
        .map(|(plan, addons)| {
            let current: Usd = addons.iter().map(|(_, a)| a.monthly_usd).sum();
            let chosen = targets.get(plan).cloned();
            let default = chosen.is_none();
            let target = chosen.or_else(|| default_target(catalog, a, plan));
            let count = addons.len() as u32;
            let mut m = AddonMove {
                plan: plan.to_string(),
                region: a.region.clone(),
                addons: addons.iter().map(|(app, a)| format!("{app}/{}", a.name)).collect(),
                current_monthly_usd: current,
                target_label: target.as_ref().map_or_else(|| "no managed equivalent".into(), AddonTarget::label),
                target: target.clone(),
                default,
                aws_monthly_usd: None,
                reserved_1y_monthly_usd: None,
                reserved_3y_monthly_usd: None,
                formula: None,
                note: None,
                sources: Vec::new(),
            };
            match target.as_ref().map(|t| price_one(catalog, a, t)) {
                Some(Ok(Priced { each, formula, used, reserved })) => {
                    m.aws_monthly_usd = Some(each.times(count));
                    [m.reserved_1y_monthly_usd, m.reserved_3y_monthly_usd] =
                        reserved.map(|r| r.map(|r| r.times(count)));
                    m.formula = Some(if count == 1 { formula } else { format!("{count} × ({formula})") });
                    m.sources = used.iter().map(|s| s.item()).collect();
                    for s in used {
                        push_source(sources, SourceLine::from_service(s));
                    }
                }
                Some(Err(why)) => m.note = Some(why),
                None => m.note = Some("the catalog does not describe this plan's size".into()),
            }
            m
        })
        .collect()
}

/// Heroku Private and Shield Space fees: what they buy (an isolated network, dedicated routing,
/// compliance controls) is the VPC, NAT gateways, Transit Gateway and KMS lines of each AWS
/// option, so the fee itself ends with the move rather than being carried over.
pub fn ends_on_aws(plan: &str) -> bool {
    matches!(plan, "private-space" | "shield-space")
}

/// The add-on plans this module moves: Heroku Postgres and Key-Value Store (Redis).
pub fn is_movable(plan: &str) -> bool {
    plan.starts_with("heroku-postgresql:") || plan.starts_with("heroku-redis:")
}

/// The RDS for PostgreSQL classes the catalog prices (either deployment), smallest memory
/// first: the choices a user picks a target from.
pub fn priced_rds_classes(catalog: &Catalog) -> Vec<String> {
    priced(catalog, |id| id.strip_prefix("rds-postgresql:").and_then(|r| r.rsplit_once(':')).map(|(c, _)| c), rds_rows)
}

/// The ElastiCache node types the catalog prices for `engine`, smallest memory first.
pub fn priced_cache_nodes(catalog: &Catalog, engine: CacheEngine) -> Vec<String> {
    let prefix = format!("elasticache-{}:", engine.id_part());
    priced(catalog, |id| id.strip_prefix(prefix.as_str()), cache_rows)
}

fn priced<'c>(
    catalog: &'c Catalog,
    class_of: impl Fn(&'c str) -> Option<&'c str>,
    rows: fn(&str) -> Vec<String>,
) -> Vec<String> {
    // The home region's rows: the choices every region offers, the home region's standing in
    // where a region lacks one.
    let home = crate::catalog::HOME_REGION;
    let mut classes: Vec<(u64, &str)> = catalog
        .services_in(home)
        .filter_map(|s| class_of(&s.id))
        .map(|c| {
            let found: Vec<&ServicePrice> = rows(c).iter().filter_map(|id| catalog.service_in(home, id)).collect();
            (class_memory_mib(catalog, &found, c).map_or(u64::MAX, |(m, _)| m), c)
        })
        .collect();
    classes.sort();
    classes.dedup();
    classes.into_iter().map(|(_, c)| c.to_string()).collect()
}

/// An option's add-on lines: each Heroku Postgres and Key-Value Store plan on its AWS target
/// where the catalog prices it; every other add-on (and any move without a price) at today's
/// price, so the totals compare like with like. Private and Shield Space fees end with the
/// move, which `warnings` says once.
pub fn option_lines(workloads: &Workloads, moves: &[AddonMove], warnings: &mut Vec<String>) -> Vec<CostLine> {
    let mut support = Vec::new();
    for m in moves {
        if let (Some(usd), Some(target)) = (m.aws_monthly_usd, &m.target) {
            support.push(CostLine {
                category: format!("{} (for {})", target.label(), m.plan),
                monthly_usd: usd,
                group: CostGroup::AddOns,
                formula: Some(format!("{}: {}", m.addons.join(", "), m.formula.clone().unwrap_or_default())),
                sources: m.sources.clone(),
                usage: Vec::new(),
            });
        }
    }
    let kept: Vec<(&str, &Addon)> = workloads
        .apps
        .iter()
        .flat_map(|app| app.addons.iter().map(move |x| (app.name.as_str(), x)))
        .filter(|(_, x)| !moves.iter().any(|m| m.plan == x.plan && m.aws_monthly_usd.is_some()))
        .filter(|(_, x)| !ends_on_aws(&x.plan))
        .collect();
    let spaces: Usd =
        workloads.apps.iter().flat_map(|app| &app.addons).filter(|x| ends_on_aws(&x.plan)).map(|x| x.monthly_usd).sum();
    if spaces > Usd::ZERO {
        let note = format!(
            "Heroku Private/Shield Space fees ({}/month today) end with the move: the network they pay for is the \
             NAT gateway, Transit Gateway and KMS lines of each AWS option",
            crate::format::usd(spaces)
        );
        if !warnings.contains(&note) {
            warnings.push(note);
        }
    }
    let kept_usd: Usd = kept.iter().map(|(_, x)| x.monthly_usd).sum();
    if kept_usd > Usd::ZERO {
        support.push(CostLine {
            category: "Add-ons at today's price (no AWS equivalent priced)".into(),
            monthly_usd: kept_usd,
            group: CostGroup::AddOns,
            formula: Some(format!(
                "{} add-on(s) as imported: {}",
                kept.len(),
                kept.iter().map(|(_, x)| format!("{}:{}", x.name, x.plan)).collect::<Vec<_>>().join(", ")
            )),
            sources: Vec::new(),
            usage: Vec::new(),
        });
        for m in moves.iter().filter(|m| m.aws_monthly_usd.is_none()) {
            let note = format!(
                "{} ({}) is kept at today's price in every AWS option: {}",
                m.plan,
                m.target_label,
                m.note.as_deref().unwrap_or("not priced")
            );
            if !warnings.contains(&note) {
                warnings.push(note);
            }
        }
    }
    support
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plan_specs_read_memory_and_storage_in_their_units() {
        assert_eq!(spec_ram_mib("RAM 4 GB; storage 64 GB; 120 connections"), Some(4096));
        assert_eq!(spec_ram_mib("RAM 25 MB; 2 vCPU"), Some(25));
        assert_eq!(spec_ram_mib("storage 1 GB; 20 connections"), None);
        assert_eq!(spec_storage_gb("RAM 61 GB; storage 1 TB; 500 connections"), Some(1000));
        assert_eq!(spec_storage_gb("RAM 122 GB; storage 1.5 TB"), Some(1500));
        assert_eq!(spec_storage_gb("RAM 25 MB"), None);
    }

    #[test]
    fn a_descriptions_memory_is_read_in_mib() {
        assert_eq!(gib_in("RDS for PostgreSQL db.m6g.large (Single-AZ, 2 vCPU, 8 GiB)"), Some(8192));
        assert_eq!(gib_in("ElastiCache Valkey cache.m6g.large (node, 2 vCPU, 6.38 GiB)"), Some(6534));
        assert_eq!(gib_in("RDS gp3 storage"), None);
    }

    #[test]
    fn the_embedded_catalogs_priced_classes_come_smallest_first() {
        let catalog = Catalog::new(crate::catalog::CatalogParts {
            services: ["db.t3.large (Single-AZ, 2 vCPU, 8 GiB)", "db.t4g.micro (Single-AZ, 2 vCPU, 1 GiB)"]
                .iter()
                .map(|d| {
                    let class = d.split(' ').next().unwrap();
                    ServicePrice {
                        id: format!("rds-postgresql:{class}:single-az"),
                        region: None,
                        description: format!("RDS for PostgreSQL {d}"),
                        usd: Decimal::ONE,
                        unit: "per instance-hour".into(),
                        confidence: String::new(),
                        provenance: crate::catalog::Provenance { source: "test".into(), as_of: "2026-01-01".into() },
                    }
                })
                .collect(),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(priced_rds_classes(&catalog), ["db.t4g.micro", "db.t3.large"]);
        assert!(priced_cache_nodes(&catalog, CacheEngine::Redis).is_empty());
    }
}
