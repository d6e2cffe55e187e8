//! Whole estimates on a small hand-made catalog, with the arithmetic written out.
// Cents are written dollars_cents (416_10 is $416.10) so they read like the prices.
#![allow(clippy::inconsistent_digit_grouping)]

use rust_decimal::Decimal;
use std::str::FromStr;
use tco_engine::catalog::{
    Arch, AssumptionDefault, CatalogParts, DynoSize, InstancePrice, InstanceType, Provenance, ServicePrice,
};
use tco_engine::scenario::Headroom;
use tco_engine::workload::{App, Process};
use tco_engine::{estimate, Assumptions, Catalog, EstimateError, Platform, Scenario, Supporting, Workloads};

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
            region: None,
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
        // The pure packing: no headroom, no supporting services, the two node targets.
        assumptions: Assumptions {
            region: "test-1".into(),
            instance_types: vec!["a.large".into(), "a.xlarge".into(), "a.mystery".into()],
            targets: vec![Platform::EcsEc2, Platform::EksEc2],
            headroom: Headroom::FULL,
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
    // a.xlarge on EKS: 4000 − 80 kube-reserved − 125 DaemonSets = 3795 m; 8192 − (11 × 58 +
    // 255) − 100 = 7199 MiB; 58 − 2 DaemonSet pods = 56 pods: 1 node a zone.
    // a.large on EKS: 1805 m, 4096 − 574 − 100 = 3422 MiB: 2 nodes a zone, $438 > $416.10.
    assert_eq!((eks.nodes[0].instance_type.as_str(), eks.nodes[0].count), ("a.xlarge", 3));
    let node = eks.node_allocatable.unwrap();
    assert_eq!((node.cpu_millicores, node.memory_mib, node.max_pods), (3795, 7199, Some(56)));
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

// ---- Targets, headroom, supporting lines, pricing models, bounds (the arithmetic written out) ----

fn service(id: &str, usd: &str) -> ServicePrice {
    ServicePrice {
        id: id.into(),
        region: None,
        description: id.into(),
        usd: dec(usd),
        unit: "per unit".into(),
        confidence: "official".into(),
        provenance: prov(),
    }
}

fn assumption(id: &str, value: &str, low: &str, high: &str) -> AssumptionDefault {
    AssumptionDefault {
        id: id.into(),
        description: id.into(),
        value: dec(value),
        unit: "fraction".into(),
        low: dec(low),
        high: dec(high),
        provenance: prov(),
    }
}

/// The test catalog with Fargate, supporting services and discount assumptions.
fn full_catalog() -> Catalog {
    let base = catalog();
    Catalog::new(CatalogParts {
        snapshot: base.snapshot.clone(),
        instance_types: base.instance_types.clone(),
        instance_prices: base.instance_prices.clone(),
        dyno_sizes: base.dyno_sizes.clone(),
        services: vec![
            service("eks-cluster-standard", "0.10"),
            service("fargate-linux-x86-vcpu", "0.04048"),
            service("fargate-linux-x86-gb", "0.004445"),
            service("alb-hour", "0.0225"),
            service("alb-lcu-hour", "0.008"),
            service("nat-gateway-hour", "0.045"),
            service("public-ipv4-hour", "0.005"),
            service("ebs-gp3-gb-month", "0.08"),
        ],
        assumptions: vec![
            assumption("spot-discount", "0.38", "0.06", "0.72"),
            assumption("compute-sp-1yr-no-upfront-discount", "0.25", "0.19", "0.30"),
            assumption("eks-auto-mode-fee", "0.12", "0.10", "0.14"),
        ],
        ..CatalogParts::default()
    })
    .unwrap()
}

fn option(r: &tco_engine::Report, p: Platform) -> &tco_engine::report::OptionEstimate {
    r.options.iter().find(|o| o.platform == p).unwrap()
}

#[test]
fn headroom_caps_how_full_a_node_gets() {
    // One zone, 8 replicas of 1000 m / 1024 MiB. No headroom: a.xlarge (4000 m) holds 4 →
    // 2 nodes × $0.19 × 730 = $277.40 (a.large: 2 a node → 4 × $0.10 = $0.40/h, dearer).
    // 80%: a.xlarge fills 3200 m → 3 a node → 3 nodes = $416.10 (a.large 1600 m → 1 a node → 8
    // × $0.10 = $0.80/h).
    let mut s = scenario();
    s.workloads.apps[0].processes = vec![process("web", "Standard-2X", 8, 1000, 1024)];
    s.assumptions.availability_zones = 1;
    s.assumptions.targets = vec![Platform::EcsEc2];
    let full = estimate(&s, &catalog()).unwrap();
    assert_eq!((full.options[0].nodes[0].count, full.options[0].monthly_usd.cents()), (2, 277_40));
    s.assumptions.headroom = Headroom::DEFAULT;
    let r = estimate(&s, &catalog()).unwrap();
    assert_eq!((r.options[0].nodes[0].instance_type.as_str(), r.options[0].nodes[0].count), ("a.xlarge", 3));
    assert_eq!(r.options[0].monthly_usd.cents(), 416_10);
}

#[test]
fn the_lower_bound_counts_whole_replicas_and_the_gap_is_measured_from_it() {
    // 8000 m and 8192 MiB. No headroom: a.xlarge alone needs max(8000/4000, 8192/7936) = 2
    // nodes = $0.38/h, a.large max(4, 2.13) = $0.40/h, and mixing them is infeasible → $277.40,
    // the plan's own cost: gap 0%.
    let mut s = scenario();
    s.workloads.apps[0].processes = vec![process("web", "Standard-2X", 8, 1000, 1024)];
    s.assumptions.availability_zones = 1;
    s.assumptions.targets = vec![Platform::EcsEc2];
    let r = estimate(&s, &catalog()).unwrap();
    assert_eq!(r.options[0].lower_bound_monthly_usd.unwrap().cents(), 277_40);
    assert_eq!(r.options[0].gap_to_lower_bound_pct, Some(0.0));
    // 80%: a.xlarge's usable 3200 m would hold 3.2 replicas fractionally (2.5 nodes × $0.19 =
    // $0.475/h), but whole replicas of 1000 m fit 3 to a node (a.large's 1600 m: 1), so the 8
    // replicas need at least 8/3 a.xlarge = $0.50667/h → $369.87, $369.86 rounded down; the
    // plan (3 a.xlarge) costs $416.10 → (416.10 − 369.86) / 369.86 = 12.50%.
    s.assumptions.headroom = Headroom::DEFAULT;
    let r = estimate(&s, &catalog()).unwrap();
    assert_eq!(r.options[0].lower_bound_monthly_usd.unwrap().cents(), 369_86);
    assert_eq!(r.options[0].gap_to_lower_bound_pct, Some(12.5));
}

#[test]
fn fargate_bills_each_task_at_its_rounded_up_size() {
    let mut s = scenario();
    s.assumptions.targets = vec![Platform::EcsFargate, Platform::EksFargate];
    let r = estimate(&s, &full_catalog()).unwrap();
    // ECS: web 500 m / 1024 MiB → 0.5 vCPU, 1 GB: 0.5 × 0.04048 + 1 × 0.004445 = $0.024685/h;
    // worker 1000 m / 2048 MiB → 1 vCPU, 2 GB: $0.04937/h.
    // 6 × 0.024685 × 730 + 3 × 0.04937 × 730 = 108.1203 + 108.1203 = $216.2406 → $216.24
    let ecs = option(&r, Platform::EcsFargate);
    assert_eq!(ecs.monthly_usd.cents(), 216_24);
    assert!(ecs.nodes.is_empty());
    assert_eq!(ecs.fargate_tasks.len(), 2);
    assert_eq!((ecs.fargate_tasks[0].cpu_millicores, ecs.fargate_tasks[0].memory_mib), (500, 1024));
    // EKS adds 256 MiB a pod: web 1280 → 0.5 vCPU, 2 GB = $0.02913/h; worker 2304 → 1 vCPU,
    // 3 GB = $0.053815/h. 6 × 0.02913 × 730 + 3 × 0.053815 × 730 = 127.5894 + 117.85485, plus
    // the control plane $73.00 = $318.44
    let eks = option(&r, Platform::EksFargate);
    assert_eq!(eks.monthly_usd.cents(), 318_44);
    assert_eq!((eks.fargate_tasks[1].cpu_millicores, eks.fargate_tasks[1].memory_mib), (1000, 3072));
}

#[test]
fn supporting_services_are_each_a_line_with_its_formula() {
    let mut s = scenario();
    s.assumptions.targets = vec![Platform::EcsEc2];
    s.assumptions.supporting = Supporting::default();
    let r = estimate(&s, &full_catalog()).unwrap();
    let ecs = &r.options[0];
    let lines: Vec<(&str, i64)> = ecs.breakdown.iter().map(|l| (l.category.as_str(), l.monthly_usd.cents())).collect();
    // nodes 3 × $0.19 × 730 = 416.10; one ALB (the app has a web process) 0.0225 × 730 = 16.425;
    // 1 LCU (assumed) × 0.008 × 730 = 5.84; 3 NAT gateways × 0.045 × 730 = 98.55; 6 public
    // addresses (3 NAT + 1 ALB × 3 zones) × 0.005 × 730 = 21.90; 3 nodes × 20 GB × 0.08 = 4.80
    assert_eq!(
        lines,
        vec![
            ("EC2 nodes (on-demand)", 416_10),
            ("Application Load Balancers", 16_43),
            ("Load balancer capacity units", 5_84),
            ("NAT gateways", 98_55),
            ("Public IPv4 addresses", 21_90),
            ("EBS root volumes", 4_80),
        ]
    );
    // 416.10 + 16.425 + 5.84 + 98.55 + 21.90 + 4.80 = 563.615, rounded once → $563.62
    assert_eq!(ecs.monthly_usd.cents(), 563_62);
    assert!(ecs.breakdown.iter().all(|l| l.formula.is_some()));
    assert_eq!(ecs.breakdown[3].formula.as_deref(), Some("3 gateways (one per zone) × $0.045/h × 730 h"));
}

#[test]
fn a_supporting_price_missing_from_the_catalog_is_left_out_and_said() {
    let mut s = scenario();
    s.assumptions.targets = vec![Platform::EcsEc2];
    s.assumptions.supporting.kms_keys = 2;
    let r = estimate(&s, &full_catalog()).unwrap();
    assert!(!r.options[0].breakdown.iter().any(|l| l.category.contains("KMS")));
    assert!(r.warnings.iter().any(|w| w.contains("kms-key-month")), "{:?}", r.warnings);
}

#[test]
fn every_pricing_model_is_listed_and_the_chosen_one_is_the_total() {
    let mut s = scenario();
    s.assumptions.targets = vec![Platform::EcsEc2];
    s.assumptions.pricing = tco_engine::PricingModel::ComputeSp1y;
    let r = estimate(&s, &full_catalog()).unwrap();
    let ecs = &r.options[0];
    // 3 × a.xlarge on-demand $416.10; Compute SP 1 year: 25% off (an assumption) → $312.075
    assert_eq!(ecs.monthly_usd.cents(), 312_08);
    let models: Vec<(&str, i64, bool)> =
        ecs.by_pricing_model.iter().map(|m| (m.model.as_str(), m.monthly_usd.cents(), m.assumed)).collect();
    // no process is interruption-tolerant: spot is the on-demand plan; the catalog has no RI
    // rates nor a 3-year discount, so those models are absent
    assert_eq!(models, vec![("on-demand", 416_10, false), ("spot", 416_10, false), ("compute-sp-1y", 312_08, true)]);
    // the catalog's discount, then the ranges of the scenario's own assumptions the band moved
    assert_eq!(
        r.uncertain.iter().map(|u| u.id.as_str()).collect::<Vec<_>>(),
        vec!["compute-sp-1yr-no-upfront-discount", "millicores_per_compute_unit", "headroom"]
    );
    // the discount alone over its range 19%..30%: 416.10 × 0.81 = 337.041, × 0.70 = 291.27:
    // savings move by 416.10 × 0.11 = $45.77, and the band holds both ends
    let row = ecs.sensitivity.iter().find(|x| x.assumption.contains("compute-sp-1yr")).unwrap();
    assert_eq!((row.at_low.as_str(), row.at_high.as_str(), row.in_band), ("19%", "30%", true));
    assert_eq!(row.swing_usd.cents(), 45_77);
    assert!(ecs.band.low_usd.cents() <= 291_27 && ecs.band.high_usd.cents() >= 337_04, "{:?}", ecs.band);
}

/// Two Performance-M workers (12 compute units: 1,920 m at 160 m a unit, 2,560 MiB) on ECS in
/// one zone, one instance type a pool, no headroom: what the band moves, worked by hand.
fn two_workers() -> Scenario {
    let mut s = scenario();
    s.workloads.apps[0].processes = vec![process("worker", "Performance-M", 2, 1920, 2560)];
    s.assumptions.targets = vec![Platform::EcsEc2];
    s.assumptions.availability_zones = 1;
    s.assumptions.mixed_instance_types = false;
    s
}

#[test]
fn the_band_moves_every_labelled_assumption_over_its_range() {
    let r = estimate(&two_workers(), &catalog()).unwrap();
    let ecs = &r.options[0];
    // As estimated: a.xlarge (4000 m, 7936 MiB) holds both workers (3840 m, 5120 MiB); two
    // a.large ($0.20/h) cost more than one a.xlarge ($0.19/h) → 0.19 × 730 = $138.70.
    assert_eq!(ecs.monthly_usd.cents(), 138_70);
    assert_eq!(
        ecs.band.basis,
        vec![
            "CPU per Heroku compute unit from 100 m to 240 m (1 process on Cedar dynos)",
            "headroom from 90% to 100% of a node's allocatable",
            "one spare node per zone: without and with",
        ]
    );
    // Low: 100 m a unit (1,200 m a worker), headroom 100%, no spare: one a.xlarge still.
    // High: 240 m a unit (2,880 m, more than an a.large's 2,000 m), headroom 90% (an a.xlarge
    // fills to 3,600 m: one worker a node), a spare: 3 × a.xlarge = 0.57 × 730 = $416.10.
    assert_eq!(
        (ecs.band.low_usd.cents(), ecs.band.likely_usd.cents(), ecs.band.high_usd.cents()),
        (138_70, 138_70, 416_10)
    );
    let row = |name: &str| ecs.sensitivity.iter().find(|x| x.assumption.starts_with(name)).unwrap();
    // Each alone, over the same range; savings are today's $500 less the option less operations.
    // CPU per unit: 240 m gives 2,880 m, one worker per a.xlarge → $277.40; 100 m leaves $138.70.
    let cpu = row("CPU per Heroku compute unit");
    assert_eq!((cpu.at_low.as_str(), cpu.at_high.as_str(), cpu.in_band), ("100 m", "240 m", true));
    assert_eq!(cpu.swing_usd.cents(), 138_70);
    assert!(cpu.savings_at_high_usd < cpu.savings_at_low_usd);
    // Headroom 90%: a.xlarge fills to 3,600 m, one worker a node ($0.38/h); a.large fills to
    // 1,800 m, and a worker larger than that gets an a.large to itself: two, $146.00.
    let headroom = row("Headroom");
    assert_eq!((headroom.at_low.as_str(), headroom.at_high.as_str()), ("90%", "100%"));
    assert_eq!(headroom.swing_usd.cents(), 146_00 - 138_70);
    // A spare: three a.large ($0.30/h, $219.00) beat two a.xlarge ($0.38/h).
    let spare = row("One spare node per zone");
    assert_eq!((spare.at_low.as_str(), spare.at_high.as_str()), ("without", "with"));
    assert_eq!(spare.swing_usd.cents(), 219_00 - 138_70);
    // What dominates the band, widest first; figures without a stated range are not in it.
    let drivers: Vec<&str> = ecs.band_drivers().map(|s| s.assumption.as_str()).collect();
    assert_eq!(
        drivers,
        vec!["CPU per Heroku compute unit", "One spare node per zone", "Headroom (target node utilization)"]
    );
    assert!(!ecs.sensitivity.iter().find(|x| x.assumption == "Operations effort").unwrap().in_band);
    // The stated ranges are listed with their sources.
    let unit = r.uncertain.iter().find(|u| u.id == "millicores_per_compute_unit").unwrap();
    assert_eq!((unit.value, unit.low, unit.high), (dec("160"), dec("100"), dec("240")));
    assert!(unit.source.contains("Dyno Types") && !unit.as_of.is_empty());
    let h = r.uncertain.iter().find(|u| u.id == "headroom").unwrap();
    assert_eq!((h.value, h.low, h.high), (dec("1"), dec("0.9"), dec("1")));
}

#[test]
fn cpu_per_compute_unit_moves_only_processes_on_cedar_dynos() {
    // A process without a dyno size (a CSV row, an EC2 group) keeps the CPU it asks for.
    let mut s = two_workers();
    s.workloads.apps[0].processes[0].size = None;
    let r = estimate(&s, &catalog()).unwrap();
    let ecs = &r.options[0];
    assert!(!ecs.band.basis.iter().any(|b| b.contains("compute unit")), "{:?}", ecs.band.basis);
    assert!(!ecs.sensitivity.iter().any(|x| x.assumption.contains("compute unit")));
    assert!(!r.uncertain.iter().any(|u| u.id == "millicores_per_compute_unit"));
    // A CPU set by hand on a Cedar size moves in proportion: 1,000 m at 160 m a unit is
    // 1,500 m at 240 m, which still fits two to an a.xlarge: the row moves nothing up.
    let mut s = two_workers();
    s.workloads.apps[0].processes[0].cpu_millicores = 1000;
    let r = estimate(&s, &catalog()).unwrap();
    let cpu = r.options[0].sensitivity.iter().find(|x| x.assumption.contains("compute unit")).unwrap();
    assert_eq!(cpu.swing_usd.cents(), 0);
}

#[test]
fn spot_runs_interruption_tolerant_processes_on_a_pool_of_their_own() {
    let mut s = scenario();
    s.assumptions.targets = vec![Platform::EcsEc2];
    s.assumptions.pricing = tco_engine::PricingModel::Spot;
    s.workloads.apps[0].processes[1].interruption_tolerant = Some(true);
    let r = estimate(&s, &full_catalog()).unwrap();
    let ecs = &r.options[0];
    // web: 2 replicas a zone (1000 m, 2048 MiB) → one a.large a zone, 3 × $0.10;
    // worker: 1 a zone → one a.large a zone at 38% off: 3 × $0.062.
    // (0.30 + 0.186) × 730 = $354.78
    assert_eq!(ecs.nodes.len(), 2);
    assert_eq!((ecs.nodes[1].instance_type.as_str(), ecs.nodes[1].count, ecs.nodes[1].spot), ("a.large", 3, true));
    assert_eq!(ecs.monthly_usd.cents(), 354_78);
}

#[test]
fn eks_auto_mode_adds_its_fee_on_top_of_the_nodes() {
    let mut s = scenario();
    s.assumptions.targets = vec![Platform::EksAuto];
    let r = estimate(&s, &full_catalog()).unwrap();
    // 3 × a.xlarge $416.10 + 12% fee $49.932 + control plane $73.00 = $539.032 → $539.03
    assert_eq!(r.options[0].monthly_usd.cents(), 539_03);
    assert!(r.uncertain.iter().any(|u| u.id == "eks-auto-mode-fee"));
}

#[test]
fn plain_ec2_gives_each_process_its_own_group() {
    let mut s = scenario();
    s.assumptions.targets = vec![Platform::Ec2];
    let r = estimate(&s, &full_catalog()).unwrap();
    let ec2 = &r.options[0];
    // web: 2 a zone (1000 m, 2048 MiB) fit one a.large (2000 m, 3840 MiB) → 3 nodes;
    // worker: 1 a zone → 3 a.large. 6 × $0.10 × 730 = $438.00
    let pools: Vec<(Option<&str>, &str, u32)> =
        ec2.nodes.iter().map(|n| (n.serves.as_deref(), n.instance_type.as_str(), n.count)).collect();
    assert_eq!(pools, vec![(Some("shop/web"), "a.large", 3), (Some("shop/worker"), "a.large", 3)]);
    assert_eq!(ec2.monthly_usd.cents(), 438_00);
}

#[test]
fn a_family_stands_for_all_its_sizes() {
    let mut s = scenario();
    let explicit = estimate(&s, &catalog()).unwrap();
    s.assumptions.instance_types = vec!["a".into()];
    let family = estimate(&s, &catalog()).unwrap();
    assert_eq!(explicit.options, family.options);
}

#[test]
fn the_tco_counts_migration_parallel_running_and_operations() {
    let mut s = scenario();
    s.assumptions.targets = vec![Platform::EcsEc2];
    let r = estimate(&s, &catalog()).unwrap();
    let t = &r.options[0].tco;
    // defaults: 12 engineer-weeks × $4,000 = $48,000; 0.2 × $200,000 / 12 = $3,333.33 a month
    assert_eq!(t.one_time_usd.cents(), 48_000_00);
    assert_eq!(t.ops_monthly_usd.cents(), 3_333_33);
    // $1,050 − $416.10 − $3,333.33 < 0: moving never pays back on these numbers
    assert!(t.monthly_savings_usd < tco_engine::Usd::ZERO);
    assert_eq!(t.break_even_month, None);
    assert_eq!(t.months.len(), 36);
}

#[test]
fn sensitivity_lists_the_assumptions_by_their_swing() {
    let mut s = scenario();
    s.assumptions.targets = vec![Platform::EcsEc2];
    let r = estimate(&s, &catalog()).unwrap();
    let rows = &r.options[0].sensitivity;
    assert!(rows.windows(2).all(|w| w[0].swing_usd >= w[1].swing_usd));
    // operations effort ±20% of $3,333.33 moves savings by $1,333.33 in all
    let ops = rows.iter().find(|x| x.assumption == "Operations effort").unwrap();
    assert_eq!(ops.swing_usd.cents(), 1_333_33);
    // current prices ±20% of $1,050: $420.00
    let cur = rows.iter().find(|x| x.assumption == "Current platform prices").unwrap();
    assert_eq!(cur.swing_usd.cents(), 420_00);
}

#[test]
fn nodes_follow_the_hourly_profile_and_commitments_cover_the_base() {
    // web (500 m, 1024 MiB): 3 replicas for 84 hours of the week, 6 for the other 84; one zone,
    // no headroom, no scale-up margin. 3 replicas fit one a.large ($0.10/h); 6 fit one a.xlarge
    // ($0.19/h; two a.large would be $0.20). The week's mean: (0.10 + 0.19) / 2 = $0.145/h →
    // × 730 h = $105.85 on-demand. The plan shown is the peak's: 1 × a.xlarge.
    let mut s = scenario();
    let mut web = process("web", "Standard-2X", 6, 500, 1024);
    web.hourly_replicas = Some((0..168).map(|h| if h < 84 { 3 } else { 6 }).collect());
    s.workloads.apps[0].processes = vec![web];
    s.assumptions.availability_zones = 1;
    s.assumptions.targets = vec![Platform::EcsEc2];
    s.assumptions.scale_up_margin = 0.0;
    let r = estimate(&s, &full_catalog()).unwrap();
    let ecs = &r.options[0];
    assert_eq!(ecs.monthly_usd.cents(), 105_85);
    assert_eq!((ecs.nodes[0].instance_type.as_str(), ecs.nodes[0].count), ("a.xlarge", 1));
    let profile = ecs.profile.as_ref().unwrap();
    assert_eq!(profile.peak_hour, 84);
    assert_eq!((profile.hourly_on_demand_usd[0], profile.hourly_on_demand_usd[100]), (0.10, 0.19));
    // Compute SP 1 year (25% off): committing the $0.10 base costs 0.10 × 0.75 = 0.075 an
    // hour, plus on-demand for the $0.09 above it half the week: 0.075 + 0.045 = $0.12/h →
    // $87.60 a month. Committing the peak would be 0.1425, nothing 0.145.
    let sp = ecs.by_pricing_model.iter().find(|m| m.model == tco_engine::PricingModel::ComputeSp1y).unwrap();
    assert_eq!(sp.monthly_usd.cents(), 87_60);
    assert!(sp.basis.contains("used in 168 of 168 hours"), "{}", sp.basis);
    // Without following the profile the peak runs all month: $138.70
    s.assumptions.follow_profile = false;
    assert_eq!(estimate(&s, &full_catalog()).unwrap().options[0].monthly_usd.cents(), 138_70);
}

#[test]
fn graviton_types_are_candidates_only_when_the_images_are_built_for_arm64() {
    let mut parts_catalog = catalog();
    parts_catalog.instance_types.push(InstanceType::new("g.xlarge", 4, 8, Arch::Arm64, 58));
    parts_catalog.instance_prices.push(price("g.xlarge", "0.15"));
    let catalog = Catalog::new(CatalogParts {
        snapshot: parts_catalog.snapshot.clone(),
        instance_types: parts_catalog.instance_types.clone(),
        instance_prices: parts_catalog.instance_prices.clone(),
        dyno_sizes: parts_catalog.dyno_sizes.clone(),
        services: parts_catalog.services.clone(),
        ..CatalogParts::default()
    })
    .unwrap();
    let mut s = scenario();
    s.assumptions.targets = vec![Platform::EcsEc2];
    s.assumptions.instance_types.push("g.xlarge".into());
    // x86_64 images (the default): the cheaper arm64 type is not a candidate → 3 × a.xlarge
    let r = estimate(&s, &catalog).unwrap();
    assert_eq!(r.options[0].nodes[0].instance_type, "a.xlarge");
    // multi-arch images: g.xlarge (4 vCPU, 8 GiB, $0.15) holds a zone as a.xlarge does → 3 ×
    // $0.15 × 730 = $328.50
    s.assumptions.architectures = vec![Arch::X86_64, Arch::Arm64];
    let r = estimate(&s, &catalog).unwrap();
    assert_eq!((r.options[0].nodes[0].instance_type.as_str(), r.options[0].monthly_usd.cents()), ("g.xlarge", 328_50));
    // only arm64 types allowed for x86_64 images: a clear error naming the way out
    s.assumptions.architectures = vec![Arch::X86_64];
    s.assumptions.instance_types = vec!["g.xlarge".into()];
    let err = estimate(&s, &catalog).unwrap_err();
    assert!(matches!(err, EstimateError::ArchMismatch { .. }), "{err:?}");
    assert!(err.to_string().contains("add `arm64` to `architectures`"), "{err}");
}

#[test]
fn measured_sizing_requests_what_the_processes_use_and_says_what_it_saves() {
    // web: 6 replicas sized as a Standard-2X (500 m, 1024 MiB here), measured at p95 300 MiB
    // RSS and 0.2 load. Measured requests: 300 × 1.25 = 375 MiB, 200 m. One zone, no headroom.
    let mut s = scenario();
    let mut web = process("web", "Standard-2X", 6, 500, 1024);
    web.measured = Some(tco_engine::workload::Measured {
        memory_quota_mib: Some(1024.0),
        ..tco_engine::workload::Measured::new(250.0, 300.0, 320.0, 0.2, 1000)
    });
    s.workloads.apps[0].processes = vec![web];
    s.assumptions.availability_zones = 1;
    s.assumptions.targets = vec![Platform::EcsEc2];
    // dyno-sized: 3000 m, 6144 MiB → one a.xlarge, $0.19 × 730 = $138.70
    let dyno = estimate(&s, &catalog()).unwrap();
    assert_eq!(dyno.options[0].monthly_usd.cents(), 138_70);
    let request = |r: &tco_engine::Report| {
        (r.requests[0].process.clone(), r.requests[0].cpu_millicores, r.requests[0].memory_mib)
    };
    assert_eq!(request(&dyno), (format!("{}/web", s.workloads.apps[0].name), 500, 1024));
    // measured: 1200 m, 2250 MiB → one a.large, $0.10 × 730 = $73.00
    s.assumptions.sizing = tco_engine::SizingPolicy::Measured;
    let measured = estimate(&s, &catalog()).unwrap();
    assert_eq!(measured.options[0].monthly_usd.cents(), 73_00);
    // the report says what each replica asked, so a reader can split a node between processes
    assert_eq!(request(&measured), (format!("{}/web", s.workloads.apps[0].name), 200, 375));
    let rs = measured.options[0].right_sizing.as_ref().unwrap();
    assert_eq!(
        (rs.dyno_sized_compute_usd.cents(), rs.measured_compute_usd.cents(), rs.savings_usd.cents()),
        (138_70, 73_00, 65_70)
    );
    // today's use over what is paid for: 300 of 1024 MiB, 200 of 500 m
    let u = measured.current.utilization_measured.unwrap();
    assert!((u.memory - 300.0 / 1024.0).abs() < 1e-12 && (u.cpu - 0.4).abs() < 1e-12);
}

#[test]
fn each_option_lists_the_single_type_plans_it_weighed() {
    let r = estimate(&scenario(), &catalog()).unwrap();
    let ecs = option(&r, Platform::EcsEc2);
    // a.xlarge: 3 nodes × $0.19 × 730 = $416.10 (chosen); a.large: 6 × $0.10 × 730 = $438.00
    let alternatives: Vec<(&str, u32, i64)> =
        ecs.alternatives.iter().map(|x| (x.instance_type.as_str(), x.nodes, x.monthly_usd.cents())).collect();
    assert_eq!(alternatives, vec![("a.xlarge", 3, 416_10), ("a.large", 6, 438_00)]);
}

#[test]
fn an_autoscaling_policy_must_name_a_process_and_keep_its_bounds() {
    use tco_engine::profile::Autoscaling;
    let mut s = scenario();
    let policy = Autoscaling { min_replicas: 2, max_replicas: 8, target_utilization: 0.7 };
    s.assumptions.autoscaling.insert("shop/web".into(), policy.clone());
    assert!(estimate(&s, &catalog()).is_ok());
    s.assumptions.autoscaling.insert("shop/nope".into(), policy.clone());
    let err = estimate(&s, &catalog()).unwrap_err();
    assert!(err.to_string().contains("`shop/nope` is not an app/process"), "{err}");
    s.assumptions.autoscaling.remove("shop/nope");
    s.assumptions.autoscaling.insert("shop/worker".into(), Autoscaling { min_replicas: 9, ..policy });
    assert!(estimate(&s, &catalog()).unwrap_err().to_string().contains("min replicas 9 above max 8"));
}

#[test]
fn add_ons_without_a_priced_aws_equivalent_stay_in_every_option_at_todays_price() {
    let mut s = scenario();
    s.assumptions.targets = vec![Platform::EcsEc2];
    s.workloads.apps[0].addons.push(tco_engine::workload::Addon::new(
        "heroku-postgresql",
        "standard-0",
        tco_engine::Usd::new(dec("50")),
    ));
    let r = estimate(&s, &catalog()).unwrap();
    // today: $1,050 of dynos + $50 add-on; ECS: $416.10 of nodes + the same $50
    assert_eq!(r.current.monthly_usd.cents(), 1_100_00);
    assert_eq!(r.options[0].monthly_usd.cents(), 466_10);
    let line = r.options[0].breakdown.iter().find(|l| l.group == tco_engine::report::CostGroup::AddOns).unwrap();
    assert_eq!(line.formula.as_deref(), Some("1 add-on(s) as imported: heroku-postgresql:standard-0"));
    assert!(r.addon_moves.is_empty(), "`standard-0` alone names no Heroku Postgres plan: nothing moves");
}

#[test]
fn every_cost_line_names_the_prices_it_rests_on() {
    let mut s = scenario();
    s.assumptions.targets = vec![Platform::EcsEc2, Platform::EksAuto, Platform::EcsFargate];
    s.assumptions.supporting = Supporting::default();
    let r = estimate(&s, &full_catalog()).unwrap();
    let lines = r.current.breakdown.iter().chain(r.options.iter().flat_map(|o| &o.breakdown));
    for l in lines {
        assert!(!l.sources.is_empty(), "{} names no price", l.category);
        for item in &l.sources {
            let source = r.sources.iter().find(|x| &x.item == item);
            assert!(source.is_some_and(|x| !x.source.is_empty() && x.as_of.len() == 10), "{}: {item}", l.category);
        }
    }
    // the node line of ECS on EC2 rests on the a.xlarge price
    assert_eq!(r.options[0].breakdown[0].sources, vec!["EC2 a.xlarge on-demand, Linux, test-1"]);
}

#[test]
fn a_report_reads_back_from_its_json_even_when_moving_costs_more() {
    // the defaults' operations effort makes every saving negative here
    let r = estimate(&scenario(), &catalog()).unwrap();
    assert!(r.options[0].tco.monthly_savings_usd < tco_engine::Usd::ZERO);
    let json = serde_json::to_string(&r).unwrap();
    let back: tco_engine::Report = serde_json::from_str(&json).unwrap();
    assert_eq!(serde_json::to_string(&back).unwrap(), json);
}
