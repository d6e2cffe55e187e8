//! Whole estimates on a small hand-made catalog, with the arithmetic written out.
// Cents are written dollars_cents (416_10 is $416.10) so they read like the prices.
#![allow(clippy::inconsistent_digit_grouping)]

use rust_decimal::Decimal;
use std::str::FromStr;
use tco_engine::catalog::{Arch, CatalogParts, DynoSize, InstancePrice, InstanceType, Provenance, ServicePrice};
use tco_engine::workload::{App, Process};
use tco_engine::{estimate, Assumptions, Catalog, EstimateError, Platform, Scenario, Workloads};

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn prov() -> Provenance {
    Provenance { source: "hand-made test catalog".into(), as_of: "2026-01-01".into() }
}

fn instance(name: &str, vcpu: u32, gib: u32, pods: u32) -> InstanceType {
    InstanceType::new(name, vcpu, gib, Arch::X86_64, pods)
}

fn price(name: &str, usd: &str) -> InstancePrice {
    InstancePrice { region: "test-1".into(), instance_type: name.into(), usd_per_hour: dec(usd), provenance: prov() }
}

fn dyno(name: &str, memory_mib: u32, units: u32, usd: &str) -> DynoSize {
    DynoSize {
        name: name.into(),
        generation: "cedar".into(),
        aliases: vec![],
        memory_mib,
        vcpu: None,
        compute_units: Some(units),
        dedicated: false,
        dyno_units: None,
        usd_per_month: Some(dec(usd)),
        provenance: prov(),
    }
}

fn catalog() -> Catalog {
    Catalog::new(CatalogParts {
        snapshot: "2026-01-01".into(),
        instance_types: vec![
            instance("a.large", 2, 4, 29),
            instance("a.xlarge", 4, 8, 58),
            // Known price, unknown shape: never planned on.
            InstanceType { vcpu: None, memory_mib: None, ..instance("a.mystery", 1, 1, 1) },
        ],
        instance_prices: vec![price("a.large", "0.10"), price("a.xlarge", "0.19"), price("a.mystery", "0.01")],
        dyno_sizes: vec![dyno("Standard-2X", 1024, 2, "50"), dyno("Performance-M", 2560, 12, "250")],
        services: vec![ServicePrice {
            id: "eks-cluster-standard".into(),
            description: "EKS control plane".into(),
            usd: dec("0.10"),
            unit: "per cluster-hour".into(),
            confidence: "official".into(),
            provenance: prov(),
        }],
        ..CatalogParts::default()
    })
    .unwrap()
}

fn process(name: &str, size: &str, replicas: u32, cpu: u32, mem: u32) -> Process {
    Process { size: Some(size.into()), ..Process::new(name, replicas, cpu, mem) }
}

fn scenario() -> Scenario {
    Scenario {
        name: "hand-computed".into(),
        workloads: Workloads {
            apps: vec![App {
                name: "shop".into(),
                source: "test".into(),
                processes: vec![
                    process("web", "Standard-2X", 6, 500, 1024),
                    process("worker", "Performance-M", 3, 1000, 2048),
                ],
                addons: vec![],
            }],
            ..Workloads::default()
        },
        assumptions: Assumptions {
            region: "test-1".into(),
            instance_types: vec!["a.large".into(), "a.xlarge".into(), "a.mystery".into()],
            ..Assumptions::default()
        },
    }
}

#[test]
fn current_heroku_cost_is_list_price_times_dynos() {
    let r = estimate(&scenario(), &catalog()).unwrap();
    // 6 × $50 + 3 × $250 = $1,050
    assert_eq!(r.current.monthly_usd.cents(), 1_050_00);
    assert_eq!(r.current.platform, "heroku");
}

#[test]
fn ecs_picks_the_cheapest_node_plan_over_three_zones() {
    let r = estimate(&scenario(), &catalog()).unwrap();
    let ecs = r.options.iter().find(|o| o.platform == Platform::EcsEc2).unwrap();
    // Each zone gets 2 web (500 m, 1024 MiB) and 1 worker (1000 m, 2048 MiB): 2000 m, 4096 MiB.
    // a.large offers 2000 m and 4096 − 256 = 3840 MiB: 2 nodes a zone, 6 × $0.10 × 730 = $438.00.
    // a.xlarge offers 4000 m and 7936 MiB: 1 node a zone, 3 × $0.19 × 730 = $416.10 — cheaper.
    assert_eq!(ecs.nodes.len(), 1);
    assert_eq!((ecs.nodes[0].instance_type.as_str(), ecs.nodes[0].count), ("a.xlarge", 3));
    assert_eq!(ecs.nodes[0].per_zone, vec![1, 1, 1]);
    assert_eq!(ecs.monthly_usd.cents(), 416_10);
    // CPU 6000 m of 3 × 4000 m = 0.5; memory 12288 MiB of 3 × 7936 MiB
    assert_eq!(ecs.utilization.cpu, 0.5);
    assert!((ecs.utilization.memory - 12288.0 / 23808.0).abs() < 1e-12);
    // (1050 − 416.10) / 1050 = 60.37% → 60.4
    assert_eq!(ecs.savings_vs_current_pct, Some(60.4));
}

#[test]
fn eks_adds_the_control_plane_and_the_kubelet_reservations() {
    let r = estimate(&scenario(), &catalog()).unwrap();
    let eks = r.options.iter().find(|o| o.platform == Platform::EksEc2).unwrap();
    // a.xlarge on EKS: 4000 − 80 = 3920 m; 8192 − (11 × 58 + 255) − 100 = 7199 MiB: 1 node a zone.
    // a.large on EKS: 1930 m, 4096 − 574 − 100 = 3422 MiB: 2 nodes a zone, $438 > $416.10.
    assert_eq!((eks.nodes[0].instance_type.as_str(), eks.nodes[0].count), ("a.xlarge", 3));
    let node = eks.node_allocatable.unwrap();
    assert_eq!((node.cpu_millicores, node.memory_mib, node.max_pods), (3920, 7199, Some(58)));
    // $416.10 of nodes + $0.10 × 730 = $73.00 of control plane = $489.10
    assert_eq!(eks.breakdown.iter().map(|l| l.monthly_usd.cents()).collect::<Vec<_>>(), vec![416_10, 73_00]);
    assert_eq!(eks.monthly_usd.cents(), 489_10);
    // (1050 − 489.10) / 1050 = 53.42% → 53.4
    assert_eq!(eks.savings_vs_current_pct, Some(53.4));
}

#[test]
fn every_price_used_is_listed_with_its_source() {
    let r = estimate(&scenario(), &catalog()).unwrap();
    let items: Vec<&str> = r.sources.iter().map(|s| s.item.as_str()).collect();
    assert_eq!(
        items,
        vec![
            "Heroku Standard-2X dyno",
            "Heroku Performance-M dyno",
            "EC2 a.xlarge on-demand, Linux, test-1",
            "EKS control plane"
        ]
    );
    assert!(r.sources.iter().all(|s| s.as_of == "2026-01-01" && !s.source.is_empty()));
}

#[test]
fn fewer_zones_and_hours_change_the_plan() {
    let mut s = scenario();
    s.assumptions.availability_zones = 1;
    s.assumptions.hours_per_month = 100;
    let r = estimate(&s, &catalog()).unwrap();
    let ecs = &r.options[0];
    // One zone: 6000 m, 12288 MiB. On a.xlarge (4000 m, 7936 MiB) first-fit decreasing puts the
    // 3 workers (3000 m, 6144 MiB) and 1 web on node 1 (1792 − 1024 = 768 MiB left), the other
    // 5 web on node 2 → 2 × $0.19 × 100 h = $38.00. a.large needs memory for 12288 MiB at
    // 3840 MiB a node → at least 4 nodes × $0.10 × 100 h = $40.00.
    assert_eq!((ecs.nodes[0].instance_type.as_str(), ecs.nodes[0].count), ("a.xlarge", 2));
    assert_eq!(ecs.monthly_usd.cents(), 38_00);
    assert_eq!(r.hours_per_month, 100);
}

#[test]
fn a_replica_too_big_for_every_type_is_named() {
    let mut s = scenario();
    s.workloads.apps[0].processes.push(process("batch", "Performance-M", 1, 16000, 1024));
    let err = estimate(&s, &catalog()).unwrap_err();
    assert_eq!(
        err,
        EstimateError::FitsNowhere {
            app: "shop".into(),
            process: "batch".into(),
            cpu_millicores: 16000,
            memory_mib: 1024
        }
    );
    assert!(err.to_string().contains("shop/batch"));
}

#[test]
fn bad_assumptions_are_refused() {
    let mut s = scenario();
    s.assumptions.region = "nowhere-1".into();
    assert!(matches!(estimate(&s, &catalog()), Err(EstimateError::UnknownRegion { .. })));
    let mut s = scenario();
    s.assumptions.availability_zones = 0;
    assert!(matches!(
        estimate(&s, &catalog()),
        Err(EstimateError::InvalidAssumption { name: "availability_zones", .. })
    ));
    let mut s = scenario();
    s.assumptions.instance_types = vec!["a.xlarg".into()];
    let err = estimate(&s, &catalog()).unwrap_err();
    assert_eq!(
        err,
        EstimateError::UnknownInstanceType { name: "a.xlarg".into(), nearest: "a.xlarge, a.large, a.mystery".into() }
    );
    let mut s = scenario();
    s.assumptions.instance_types = vec!["a.mystery".into()];
    assert!(
        matches!(estimate(&s, &catalog()), Err(EstimateError::FitsNowhere { .. })),
        "a type without a shape plans nothing"
    );
}

#[test]
fn no_workloads_cost_nothing_but_the_eks_control_plane() {
    let mut s = scenario();
    s.workloads = Workloads::default();
    let r = estimate(&s, &catalog()).unwrap();
    assert_eq!(r.current.monthly_usd.cents(), 0);
    assert_eq!(r.options[0].monthly_usd.cents(), 0);
    assert!(r.options[0].nodes.is_empty());
    assert_eq!(r.options[1].monthly_usd.cents(), 73_00);
    assert_eq!(r.options[0].savings_vs_current_pct, None);
}
