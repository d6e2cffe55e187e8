//! Properties every node plan keeps, on generated workloads and a generated catalog: every
//! replica is placed once, no node holds more than it can, zone spread holds, and no plan
//! costs less than the lower bound.

use proptest::prelude::*;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use tco_engine::catalog::{Arch, CatalogParts, InstancePrice, InstanceType, Provenance};
use tco_engine::node::usable;
use tco_engine::plan::{candidates, plan, ComputePlan, Demand};
use tco_engine::scenario::Headroom;
use tco_engine::sizing::Request;
use tco_engine::{Assumptions, Catalog, Platform};

/// Three families with the usual 1:2, 1:4 and 1:8 vCPU:GiB shapes, prices per vCPU-hour
/// roughly as AWS's c/m/r, sizes large to 8xlarge.
fn catalog() -> Catalog {
    let mut types = Vec::new();
    let mut prices = Vec::new();
    for (family, gib_per_vcpu, usd_per_vcpu) in [("c", 2, "0.0425"), ("m", 4, "0.048"), ("r", 8, "0.063")] {
        for (size, vcpu) in [("large", 2), ("xlarge", 4), ("2xlarge", 8), ("4xlarge", 16), ("8xlarge", 32)] {
            let name = format!("{family}.{size}");
            let pods = if vcpu <= 2 {
                29
            } else if vcpu <= 8 {
                58
            } else {
                234
            };
            types.push(InstanceType::new(&name, vcpu, vcpu * gib_per_vcpu, Arch::X86_64, pods));
            prices.push(InstancePrice {
                region: "gen-1".into(),
                instance_type: name,
                usd_per_hour: usd_per_vcpu.parse::<Decimal>().unwrap() * Decimal::from(vcpu),
                provenance: Provenance { source: "generated".into(), as_of: "2026-01-01".into() },
            });
        }
    }
    Catalog::new(CatalogParts {
        snapshot: "2026-01-01".into(),
        instance_types: types,
        instance_prices: prices,
        ..CatalogParts::default()
    })
    .unwrap()
}

fn assumptions(zones: u32, headroom: f64, mixed: bool) -> Assumptions {
    Assumptions {
        region: "gen-1".into(),
        availability_zones: zones,
        headroom: Headroom::new(headroom).unwrap(),
        mixed_instance_types: mixed,
        instance_types: vec!["c".into(), "m".into(), "r".into()],
        ..Assumptions::default()
    }
}

fn names() -> Vec<String> {
    (0..40).map(|i| format!("p{i}")).collect()
}

fn demands(specs: &[(u32, u32, u32)], names: &[String]) -> Vec<Demand<'static>> {
    let names: &'static [String] = Box::leak(names.to_vec().into_boxed_slice());
    specs
        .iter()
        .enumerate()
        .map(|(i, &(cpu, mem, replicas))| Demand {
            app: "app",
            process: &names[i],
            request: Request { cpu_millicores: cpu, memory_mib: mem },
            replicas,
            interruption_tolerant: false,
        })
        .collect()
}

fn hourly(p: &ComputePlan) -> f64 {
    p.pools.iter().map(|pool| (pool.candidate.price.usd_per_hour * Decimal::from(pool.nodes())).to_f64().unwrap()).sum()
}

/// Requests from 100 m / 128 MiB to 12 vCPU / 96 GiB, 0 to 12 replicas, up to 40 processes.
fn specs() -> impl Strategy<Value = Vec<(u32, u32, u32)>> {
    prop::collection::vec((100u32..12_000, 128u32..98_304, 0u32..12), 1..40)
}

/// Replicas of demand `i` the plan put in zone `z`.
fn in_zone(p: &ComputePlan, i: usize, z: u32) -> u32 {
    p.placements.iter().filter(|n| n.zone == z).flat_map(|n| &n.items).filter(|(x, _)| *x == i).map(|(_, c)| c).sum()
}

fn check(specs: &[(u32, u32, u32)], zones: u32, headroom: f64, mixed: bool, platform: Platform, spare: bool) {
    let catalog = catalog();
    let a = Assumptions { spare_node_per_zone: spare, ..assumptions(zones, headroom, mixed) };
    let cands = candidates(platform, &catalog, &a).unwrap();
    let d = demands(specs, &names());
    let p = plan(platform, &d, &cands, &a, None).unwrap();
    // every replica placed, once
    for (i, demand) in d.iter().enumerate() {
        let placed: u32 = p.placements.iter().flat_map(|n| &n.items).filter(|(x, _)| *x == i).map(|(_, c)| c).sum();
        assert_eq!(placed, demand.replicas, "{}", demand.process);
        // zone spread: at most ceil(replicas / zones) in any zone
        for z in 0..zones {
            let here = in_zone(&p, i, z);
            assert!(here <= demand.replicas.div_ceil(zones), "{} zone {z}: {here}", demand.process);
        }
    }
    // no node over its allocatable, nor over the headroom unless it holds one replica alone
    for n in &p.placements {
        let alloc = n.candidate.allocatable;
        assert!(n.used.cpu_millicores <= alloc.cpu_millicores && n.used.memory_mib <= alloc.memory_mib);
        assert!(n.used.pods <= alloc.pods);
        let cap = usable(alloc, Headroom::new(headroom).unwrap());
        let within = n.used.cpu_millicores <= cap.cpu_millicores && n.used.memory_mib <= cap.memory_mib;
        assert!(within || n.used.pods == 1, "{n:?}");
    }
    // the plan's nodes are the pools' nodes
    // (and a spare, which holds nothing, in each zone with nodes when asked for)
    let pooled: u32 = p.pools.iter().map(|x| x.nodes()).sum();
    let spares = if spare { (0..zones).filter(|&z| p.placements.iter().any(|n| n.zone == z)).count() } else { 0 };
    assert_eq!(pooled as usize, p.placements.len() + spares);
    // cost ≥ the lower bound
    let bound = p.lower_bound_per_hour(&d, &cands, &a).unwrap();
    assert!(hourly(&p) + 1e-9 >= bound, "cost {} < bound {bound}", hourly(&p));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn ecs_plans_hold_every_replica_within_capacity(
        specs in specs(), zones in 1u32..4, headroom in 0.5f64..=1.0, spare in any::<bool>()
    ) {
        check(&specs, zones, headroom, true, Platform::EcsEc2, spare);
    }

    #[test]
    fn eks_single_type_plans_hold_every_replica_within_capacity(specs in specs(), zones in 1u32..4) {
        check(&specs, zones, 0.8, false, Platform::EksEc2, false);
    }

    #[test]
    fn eks_mixed_plans_with_spares_hold_every_replica_within_capacity(specs in specs(), zones in 1u32..4) {
        check(&specs, zones, 0.8, true, Platform::EksEc2, true);
    }

    #[test]
    fn one_group_per_process_holds_every_replica_within_capacity(specs in specs(), zones in 1u32..4) {
        check(&specs, zones, 0.8, false, Platform::Ec2, false);
    }

    #[test]
    fn mixed_types_never_cost_more_than_one_type(specs in specs(), zones in 1u32..4) {
        let catalog = catalog();
        let d = demands(&specs, &names());
        let cost = |mixed| {
            let a = assumptions(zones, 0.8, mixed);
            let cands = candidates(Platform::EksEc2, &catalog, &a).unwrap();
            hourly(&plan(Platform::EksEc2, &d, &cands, &a, None).unwrap())
        };
        prop_assert!(cost(true) <= cost(false) + 1e-9);
    }
}

proptest! {
    // A fixed seed: this bounds a heuristic's anomalies rather than stating an invariant, so
    // every run checks the same 1,000 cases.
    #![proptest_config(ProptestConfig {
        cases: 1000,
        rng_seed: proptest::test_runner::RngSeed::Fixed(20261125),
        ..ProptestConfig::default()
    })]

    /// The packers are heuristics and not exactly monotone (adding replicas can tip the type
    /// choice to a slightly cheaper mix); more demand never costs less by more than 2%. Of
    /// these 1,000 cases 33 cost less after the addition, by at most 1.08%.
    #[test]
    fn more_demand_never_costs_meaningfully_less(specs in specs(), zones in 1u32..4, which in 0usize..40, extra in 1u32..4) {
        let catalog = catalog();
        let a = assumptions(zones, 0.8, true);
        let cands = candidates(Platform::EcsEc2, &catalog, &a).unwrap();
        let before = hourly(&plan(Platform::EcsEc2, &demands(&specs, &names()), &cands, &a, None).unwrap());
        let mut more = specs.clone();
        let i = which % more.len();
        more[i].2 += extra;
        let after = hourly(&plan(Platform::EcsEc2, &demands(&more, &names()), &cands, &a, None).unwrap());
        prop_assert!(after >= before * 0.98, "{before} → {after} adding {extra} to {:?}", more[i]);
    }
}

/// The plan's cost and its lower bound, USD per hour.
fn cost_and_bound(specs: &[(u32, u32, u32)], a: &Assumptions) -> (f64, f64) {
    let catalog = catalog();
    let cands = candidates(Platform::EcsEc2, &catalog, a).unwrap();
    let d = demands(specs, &names());
    let p = plan(Platform::EcsEc2, &d, &cands, a, None).unwrap();
    (hourly(&p), p.lower_bound_per_hour(&d, &cands, a).unwrap())
}

#[test]
fn replicas_that_cannot_share_a_node_each_cost_a_node_in_the_bound() {
    // Three replicas of 9 vCPU on c.4xlarge only (16 vCPU, $0.68/h), no headroom, one zone.
    // Fractionally they fill 27000/16000 = 1.69 nodes ($1.1475/h), but no two fit one node,
    // so no plan costs less than 3 nodes = $2.04/h: the plan's own cost.
    let a = Assumptions { instance_types: vec!["c.4xlarge".into()], ..assumptions(1, 1.0, true) };
    let (cost, bound) = cost_and_bound(&[(9_000, 1_024, 3)], &a);
    assert!((cost - 2.04).abs() < 1e-9, "{cost}");
    assert!((bound - 2.04).abs() < 1e-6, "{bound}");
}

#[test]
fn what_fits_beside_what_is_counted_in_the_bound() {
    // Two replicas of 9 vCPU and two of 8 on c.4xlarge only (16 vCPU, $0.68/h), no headroom,
    // one zone: a 9 shares a node with nothing (9 + 8 > 16), the two 8s share one. No plan
    // costs less than 3 nodes = $2.04/h, the plan's own cost. CPU and memory, even counting
    // how many of each size one node holds but not which sizes go together, said 2.1 nodes
    // ($1.445/h).
    let a = Assumptions { instance_types: vec!["c.4xlarge".into()], ..assumptions(1, 1.0, true) };
    let (cost, bound) = cost_and_bound(&[(9_000, 1_024, 2), (8_000, 1_024, 2)], &a);
    assert!((cost - 2.04).abs() < 1e-9, "{cost}");
    assert!((bound - 2.04).abs() < 1e-6, "{bound}");
}

#[test]
fn each_zone_that_must_hold_a_replica_costs_a_node_in_the_bound() {
    // Three small replicas over three zones: one to a zone, so each zone needs a node, the
    // cheapest that holds one being c.large ($0.085/h): $0.255/h, the plan's own cost, though
    // the replicas fill a tenth of one node. A spare node per zone adds a c.large to each.
    let a = assumptions(3, 0.8, true);
    let (cost, bound) = cost_and_bound(&[(250, 256, 3)], &a);
    assert!((cost - 0.255).abs() < 1e-9, "{cost}");
    assert!((bound - 0.255).abs() < 1e-9, "{bound}");
    let spare = Assumptions { spare_node_per_zone: true, ..a };
    let (cost, bound) = cost_and_bound(&[(250, 256, 3)], &spare);
    assert!((cost - 0.51).abs() < 1e-9, "{cost}");
    assert!((bound - 0.51).abs() < 1e-9, "{bound}");
}

#[test]
fn an_extra_replica_moves_to_the_zone_where_it_fills_a_node() {
    // Two replicas of 3000 m and two of 1000 m over three zones, no headroom: a spread that
    // puts the small ones in zones 1 and 2 needs c.xlarge (4000 m, $0.17) in zones 0 and 1 and
    // a c.large ($0.085) in zone 2 for one small replica: $0.425/h. Moving that replica to
    // zone 0 fills both c.xlarge exactly and leaves zone 2 empty: $0.34/h, each process still
    // in two zones, one replica in each.
    let catalog = catalog();
    let a = assumptions(3, 1.0, true);
    let cands = candidates(Platform::EcsEc2, &catalog, &a).unwrap();
    let d = demands(&[(3_000, 512, 2), (1_000, 512, 2)], &names());
    let p = plan(Platform::EcsEc2, &d, &cands, &a, None).unwrap();
    assert!((hourly(&p) - 0.34).abs() < 1e-9, "{}", hourly(&p));
    for i in 0..d.len() {
        for z in 0..3 {
            let here = in_zone(&p, i, z);
            assert!(here <= 1, "process {i} has {here} replicas in zone {z}");
        }
    }
}
