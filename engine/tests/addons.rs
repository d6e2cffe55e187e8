//! Heroku Postgres and Key-Value Store add-ons moved to RDS and ElastiCache, on a small
//! hand-made catalog, with the arithmetic written out.
// Cents are written dollars_cents (145_51 is $145.51) so they read like the prices.
#![allow(clippy::inconsistent_digit_grouping)]

use rust_decimal::Decimal;
use std::str::FromStr;
use tco_engine::catalog::{
    AddonPlan, Arch, CatalogParts, DynoSize, InstancePrice, InstanceType, Provenance, ServicePrice,
};
use tco_engine::managed::{AddonTarget, CacheEngine};
use tco_engine::workload::{Addon, App, Process};
use tco_engine::{
    estimate, Assumptions, Catalog, EstimateError, Platform, Report, Scenario, Supporting, Usd, Workloads,
};

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn prov() -> Provenance {
    Provenance { source: "hand-made test catalog".into(), as_of: "2026-01-01".into() }
}

fn service(id: &str, usd: &str, unit: &str) -> ServicePrice {
    ServicePrice {
        id: id.into(),
        region: None,
        description: format!("test {id}"),
        usd: dec(usd),
        unit: unit.into(),
        confidence: "official".into(),
        provenance: prov(),
    }
}

fn plan(plan: &str, usd: &str, spec: &str) -> AddonPlan {
    AddonPlan {
        plan: plan.into(),
        service: plan.split(':').next().unwrap().into(),
        usd_per_month: Some(dec(usd)),
        spec: spec.into(),
        confidence: "unconfirmed".into(),
        provenance: prov(),
    }
}

fn catalog() -> Catalog {
    Catalog::new(parts()).unwrap()
}

fn parts() -> CatalogParts {
    // The EC2 counterparts give the classes their memory: t4g.micro 1, t4g.medium 4,
    // m6g.large 8, r6g.large 16, r6g.xlarge 32 GiB.
    let types = [
        ("t4g.micro", 2, 1),
        ("t4g.medium", 2, 4),
        ("m6g.large", 2, 8),
        ("r6g.large", 2, 16),
        ("r6g.xlarge", 4, 32),
        ("a.xlarge", 4, 8),
    ];
    CatalogParts {
        snapshot: "2026-01-01".into(),
        instance_types: types
            .iter()
            .map(|(n, v, g)| {
                InstanceType::new(n, *v, *g, if n.starts_with('a') { Arch::X86_64 } else { Arch::Arm64 }, 29)
            })
            .collect(),
        instance_prices: vec![InstancePrice {
            region: "test-1".into(),
            instance_type: "a.xlarge".into(),
            usd_per_hour: dec("0.19"),
            provenance: prov(),
        }],
        dyno_sizes: vec![DynoSize {
            name: "Standard-2X".into(),
            generation: "cedar".into(),
            aliases: vec![],
            memory_mib: 1024,
            vcpu: None,
            compute_units: Some(2),
            dedicated: false,
            dyno_units: None,
            usd_per_month: Some(dec("50")),
            provenance: prov(),
        }],
        services: vec![
            service("rds-postgresql:db.t4g.micro:single-az", "0.016", "per instance-hour"),
            service("rds-postgresql:db.m6g.large:single-az", "0.159", "per instance-hour"),
            service("rds-postgresql:db.m6g.large:multi-az", "0.318", "per instance-hour"),
            service("rds-postgresql:db.r6g.large:single-az", "0.225", "per instance-hour"),
            service("rds-gp3-gb-month", "0.115", "per GB-month"),
            service("elasticache-redis:cache.r6g.large", "0.206", "per node-hour"),
            service("elasticache-valkey:cache.r6g.large", "0.165", "per node-hour"),
        ],
        addon_plans: vec![
            plan("heroku-postgresql:essential-0", "5", "storage 1 GB; 20 connections"),
            plan("heroku-postgresql:standard-2", "200", "RAM 8 GB; storage 256 GB; 400 connections"),
            plan("heroku-postgresql:premium-2", "350", "RAM 8 GB; storage 256 GB; 400 connections"),
            plan("heroku-postgresql:standard-4", "750", "RAM 30 GB; storage 768 GB; 500 connections"),
            plan("heroku-redis:premium-7", "750", "RAM 7 GB; 2 vCPU; 10000 connections"),
            plan("heroku-kafka:basic-0", "100", "64 kB/s produce"),
        ],
        ..CatalogParts::default()
    }
}

fn addon(name: &str, plan: &str, usd: &str) -> Addon {
    Addon::new(name, plan, Usd::new(dec(usd)))
}

fn scenario(addons: Vec<Addon>) -> Scenario {
    Scenario {
        name: "add-ons".into(),
        workloads: Workloads {
            apps: vec![App {
                name: "shop".into(),
                source: "test".into(),
                processes: vec![Process { size: Some("Standard-2X".into()), ..Process::new("web", 3, 500, 1024) }],
                addons,
            }],
            ..Workloads::default()
        },
        assumptions: Assumptions {
            region: "test-1".into(),
            instance_types: vec!["a.xlarge".into()],
            targets: vec![Platform::EcsEc2],
            supporting: Supporting {
                load_balancers: false,
                nat_gateways: false,
                public_ipv4: false,
                root_volume_gb: 0,
                ..Supporting::default()
            },
            ..Assumptions::default()
        },
    }
}

fn line<'r>(r: &'r Report, starts: &str) -> Option<&'r tco_engine::report::CostLine> {
    r.options[0].breakdown.iter().find(|l| l.category.starts_with(starts))
}

/// The option's total without any add-on: what the add-on lines are added to.
fn compute_only() -> Usd {
    estimate(&scenario(vec![]), &catalog()).unwrap().options[0].monthly_usd
}

#[test]
fn a_standard_postgres_plan_moves_to_the_smallest_rds_class_holding_its_memory() {
    let r = estimate(&scenario(vec![addon("db", "heroku-postgresql:standard-2", "200")]), &catalog()).unwrap();
    let m = &r.addon_moves[0];
    // RAM 8 GB: db.t4g.medium (4 GiB) is too small, db.m6g.large (8 GiB) holds it; standard is Single-AZ.
    assert_eq!(
        m.target,
        Some(AddonTarget::RdsPostgresql { class: "db.m6g.large".into(), multi_az: false, storage_gb: 256 })
    );
    assert!(m.default);
    assert_eq!(m.addons, ["shop/db"]);
    // $0.159 × 730 h = $116.07, + 256 GB × $0.115 = $29.44: $145.51.
    assert_eq!(m.aws_monthly_usd.map(Usd::cents), Some(145_51));
    assert_eq!(m.current_monthly_usd.cents(), 200_00);
    let l = line(&r, "RDS for PostgreSQL db.m6g.large, Single-AZ, 256 GB gp3").expect("an RDS line");
    assert_eq!(l.monthly_usd.cents(), 145_51);
    assert_eq!(l.group, tco_engine::report::CostGroup::AddOns);
    assert_eq!(serde_json::to_value(l).unwrap()["group"], "add-ons");
    assert_eq!(l.sources, ["test rds-postgresql:db.m6g.large:single-az", "test rds-gp3-gb-month"]);
    assert!(r.sources.iter().any(|s| s.item == "test rds-gp3-gb-month"), "the price is in the report's sources");
    assert!(line(&r, "Add-ons at today's price").is_none(), "nothing left at today's price");
    assert_eq!(r.options[0].monthly_usd.cents(), compute_only().cents() + 145_51);
    assert_eq!(r.current.monthly_usd.cents(), 3 * 50_00 + 200_00, "today's bill keeps the add-on's price");
}

#[test]
fn a_premium_plan_is_multi_az_with_its_standby_storage_billed_too() {
    let r = estimate(&scenario(vec![addon("db", "heroku-postgresql:premium-2", "350")]), &catalog()).unwrap();
    // $0.318 × 730 = $232.14, + 256 GB × $0.115 × 2 = $58.88: $291.02.
    assert_eq!(r.addon_moves[0].aws_monthly_usd.map(Usd::cents), Some(291_02));
    let l = line(&r, "RDS for PostgreSQL db.m6g.large, Multi-AZ").unwrap();
    assert!(l.formula.as_deref().unwrap().contains("× 2 (primary and standby)"), "{:?}", l.formula);
}

#[test]
fn a_premium_key_value_store_is_a_primary_and_a_replica_sized_with_elasticache_overhead() {
    let r = estimate(&scenario(vec![addon("cache", "heroku-redis:premium-7", "750")]), &catalog()).unwrap();
    // RAM 7 GB: cache.m6g.large keeps 75% of 8 GiB = 6 GiB, too small; cache.r6g.large 12 GiB.
    assert_eq!(
        r.addon_moves[0].target,
        Some(AddonTarget::Elasticache { engine: CacheEngine::Redis, node_type: "cache.r6g.large".into(), nodes: 2 })
    );
    // 2 × $0.206 × 730 = $300.76.
    assert_eq!(r.addon_moves[0].aws_monthly_usd.map(Usd::cents), Some(300_76));
}

#[test]
fn a_target_without_a_price_keeps_the_add_on_at_todays_price_and_says_which_price_is_missing() {
    let addons = vec![
        addon("big", "heroku-postgresql:standard-4", "750"),
        addon("events", "heroku-kafka:basic-0", "100"),
        addon("db", "heroku-postgresql:standard-2", "200"),
    ];
    let r = estimate(&scenario(addons), &catalog()).unwrap();
    let big = r.addon_moves.iter().find(|m| m.plan == "heroku-postgresql:standard-4").unwrap();
    // RAM 30 GB → db.r6g.xlarge (32 GiB), which this catalog has no price for.
    assert_eq!(big.aws_monthly_usd, None);
    assert!(big.note.as_deref().unwrap().contains("`rds-postgresql:db.r6g.xlarge:single-az`"), "{:?}", big.note);
    assert!(r.addon_moves.iter().all(|m| m.plan != "heroku-kafka:basic-0"), "Kafka has no managed equivalent here");
    let kept = line(&r, "Add-ons at today's price").unwrap();
    assert_eq!(kept.monthly_usd.cents(), 750_00 + 100_00);
    assert!(r.warnings.iter().any(|w| w.starts_with("heroku-postgresql:standard-4 (RDS for PostgreSQL db.r6g.xlarge")));
    assert_eq!(r.options[0].monthly_usd.cents(), compute_only().cents() + 850_00 + 145_51);
}

#[test]
fn the_users_target_replaces_the_default() {
    let mut s =
        scenario(vec![addon("db", "heroku-postgresql:standard-2", "200"), addon("c", "heroku-redis:premium-7", "750")]);
    s.assumptions.addon_targets.insert(
        "heroku-postgresql:standard-2".into(),
        AddonTarget::RdsPostgresql { class: "db.r6g.large".into(), multi_az: false, storage_gb: 100 },
    );
    s.assumptions.addon_targets.insert(
        "heroku-redis:premium-7".into(),
        AddonTarget::Elasticache { engine: CacheEngine::Valkey, node_type: "cache.r6g.large".into(), nodes: 3 },
    );
    let r = estimate(&s, &catalog()).unwrap();
    // $0.225 × 730 = $164.25 + 100 × $0.115 = $11.50: $175.75; 3 × $0.165 × 730 = $361.35.
    let by_plan = |p: &str| r.addon_moves.iter().find(|m| m.plan == p).unwrap();
    assert_eq!(by_plan("heroku-postgresql:standard-2").aws_monthly_usd.map(Usd::cents), Some(175_75));
    assert!(!by_plan("heroku-postgresql:standard-2").default);
    assert_eq!(by_plan("heroku-redis:premium-7").aws_monthly_usd.map(Usd::cents), Some(361_35));

    s.assumptions.addon_targets.insert("heroku-postgresql:standard-2".into(), AddonTarget::Keep);
    let r = estimate(&s, &catalog()).unwrap();
    assert_eq!(line(&r, "Add-ons at today's price").unwrap().monthly_usd.cents(), 200_00);
}

#[test]
fn an_essential_plan_without_stated_memory_gets_the_smallest_class_and_the_rds_minimum_storage() {
    let r = estimate(&scenario(vec![addon("db", "heroku-postgresql:essential-0", "5")]), &catalog()).unwrap();
    assert_eq!(
        r.addon_moves[0].target,
        Some(AddonTarget::RdsPostgresql { class: "db.t4g.micro".into(), multi_az: false, storage_gb: 20 })
    );
    // $0.016 × 730 = $11.68 + 20 GB × $0.115 = $2.30: $13.98.
    assert_eq!(r.addon_moves[0].aws_monthly_usd.map(Usd::cents), Some(13_98));
}

#[test]
fn a_target_that_does_not_fit_its_plan_is_refused() {
    let cases = [
        (
            "heroku-postgresql:standard-2",
            AddonTarget::Elasticache { engine: CacheEngine::Redis, node_type: "cache.r6g.large".into(), nodes: 1 },
        ),
        ("heroku-kafka:basic-0", AddonTarget::Keep),
        (
            "heroku-postgresql:standard-2",
            AddonTarget::RdsPostgresql { class: "m6g.large".into(), multi_az: false, storage_gb: 100 },
        ),
        (
            "heroku-postgresql:standard-2",
            AddonTarget::RdsPostgresql { class: "db.m6g.large".into(), multi_az: false, storage_gb: 5 },
        ),
        (
            "heroku-redis:premium-7",
            AddonTarget::Elasticache { engine: CacheEngine::Redis, node_type: "cache.r6g.large".into(), nodes: 0 },
        ),
    ];
    for (plan, target) in cases {
        let mut s = scenario(vec![]);
        s.assumptions.addon_targets.insert(plan.into(), target.clone());
        match estimate(&s, &catalog()) {
            Err(EstimateError::InvalidAssumption { name: "addon_targets", problem }) => {
                assert!(problem.contains(plan), "{problem}")
            }
            other => panic!("{plan} → {target:?}: {other:?}"),
        }
    }
}

#[test]
fn targets_round_trip_through_the_scenario_json() {
    let json = r#"{"addon_targets":{"heroku-postgresql:standard-2":{"to":"rds-postgresql","class":"db.m6g.large","multi_az":true,"storage_gb":300},"heroku-redis:premium-7":{"to":"keep"}}}"#;
    let a: Assumptions = serde_json::from_str(json).unwrap();
    assert_eq!(
        a.addon_targets["heroku-postgresql:standard-2"],
        AddonTarget::RdsPostgresql { class: "db.m6g.large".into(), multi_az: true, storage_gb: 300 }
    );
    assert_eq!(a.addon_targets["heroku-redis:premium-7"], AddonTarget::Keep);
    let back: Assumptions = serde_json::from_str(&serde_json::to_string(&a).unwrap()).unwrap();
    assert_eq!(back, a);
}

#[test]
fn a_class_sized_by_the_memory_its_own_catalog_row_states_when_its_ec2_counterpart_has_none() {
    let mut base = parts();
    // t4g.small has no EC2 spec in this catalog; its RDS row states 2 GiB, as a refresh writes it.
    base.services.push(ServicePrice {
        description: "RDS for PostgreSQL db.t4g.small (Single-AZ, 2 vCPU, 2 GiB)".into(),
        ..service("rds-postgresql:db.t4g.small:single-az", "0.032", "per instance-hour")
    });
    base.addon_plans.push(plan("heroku-postgresql:basic-2", "20", "RAM 2 GB; storage 32 GB"));
    let c = Catalog::new(base).unwrap();
    let r = estimate(&scenario(vec![addon("db", "heroku-postgresql:basic-2", "20")]), &c).unwrap();
    assert_eq!(
        r.addon_moves[0].target,
        Some(AddonTarget::RdsPostgresql { class: "db.t4g.small".into(), multi_az: false, storage_gb: 32 })
    );
    // $0.032 × 730 = $23.36 + 32 GB × $0.115 = $3.68: $27.04.
    assert_eq!(r.addon_moves[0].aws_monthly_usd.map(Usd::cents), Some(27_04));
}

#[test]
fn a_private_space_fee_ends_with_the_move_instead_of_being_carried_to_aws() {
    let r = estimate(
        &scenario(vec![
            addon("Heroku Private Space eu-space", "private-space", "1000"),
            addon("events", "heroku-kafka:basic-0", "100"),
        ]),
        &catalog(),
    )
    .unwrap();
    assert_eq!(r.current.monthly_usd.cents(), 3 * 50_00 + 1_000_00 + 100_00, "today's bill has the fee");
    let kept = line(&r, "Add-ons at today's price").unwrap();
    assert_eq!(kept.monthly_usd.cents(), 100_00, "only Kafka is carried over");
    assert_eq!(r.options[0].monthly_usd.cents(), compute_only().cents() + 100_00);
    assert!(
        r.warnings.iter().any(|w| w.starts_with("Heroku Private/Shield Space fees ($1,000.00/month today) end")),
        "{:?}",
        r.warnings
    );
}
