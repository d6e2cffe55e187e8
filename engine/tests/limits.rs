//! No scenario can make an estimate allocate, compute or overflow without bound: every count
//! and amount is checked before work starts (naming the field and the limit), the packing work
//! is counted and refused above a budget, a caller can stop an estimate between steps, and
//! extreme values anywhere give an error, never a panic.

use proptest::prelude::*;
use rust_decimal::Decimal;
use tco_engine::limits::{Limits, Never, Stop};
use tco_engine::workload::{App, Process};
use tco_engine::{estimate, EstimateError, Platform, Scenario, Usd, Workloads};

fn scenario(processes: Vec<Process>) -> Scenario {
    Scenario {
        name: "limits".into(),
        workloads: Workloads {
            apps: vec![App { name: "shop".into(), source: "test".into(), processes, addons: vec![] }],
            ..Workloads::default()
        },
        ..Scenario::default()
    }
}

fn limit_error(s: &Scenario) -> (String, String) {
    match estimate(s, tco_pricing_data::embedded()) {
        Err(EstimateError::Limit(e)) => (e.field.clone(), e.to_string()),
        other => panic!("expected a limit error, got {other:?}"),
    }
}

#[test]
fn a_billion_replicas_are_refused_before_any_work_naming_the_field() {
    // The first release grew to 5 GB and died on this 120-byte body.
    let (field, message) = limit_error(&scenario(vec![Process::new("web", 1_000_000_000, 500, 1024)]));
    assert_eq!(field, "workloads.apps[0].processes[0].replicas");
    assert!(message.contains("over the limit of 100000 replicas per process"), "{message}");
}

#[test]
fn replicas_in_all_processes_together_are_bounded_too() {
    let processes = (0..11).map(|i| Process::new(format!("p{i}"), 100_000, 250, 512)).collect();
    let (field, message) = limit_error(&scenario(processes));
    assert_eq!(field, "workloads.apps[].processes[].replicas");
    assert!(message.contains("1100000 replicas in all") && message.contains("1000000"), "{message}");
}

#[test]
fn an_hourly_profile_is_a_week_at_most_and_each_hour_within_the_process_limit() {
    let mut p = Process::new("web", 2, 500, 1024);
    p.hourly_replicas = Some(vec![1; 169]);
    assert_eq!(limit_error(&scenario(vec![p.clone()])).0, "workloads.apps[0].processes[0].hourly_replicas");
    let mut hours = vec![1; 168];
    hours[7] = 2_000_000;
    p.hourly_replicas = Some(hours);
    assert_eq!(limit_error(&scenario(vec![p])).0, "workloads.apps[0].processes[0].hourly_replicas[7]");
}

#[test]
fn money_beyond_any_real_bill_is_refused_naming_the_field_not_overflowed() {
    // Two processes at 7e28 a month each overflowed the exact decimal sum in the first release.
    let mut a = Process::new("web", 1, 500, 1024);
    a.monthly_usd = Usd::new(Decimal::from_f64_retain(7e28).unwrap());
    let (field, message) = limit_error(&scenario(vec![a.clone(), a]));
    assert_eq!(field, "workloads.apps[0].processes[0].monthly_usd");
    assert!(message.contains("1000000000000"), "{message}");

    let mut s = scenario(vec![Process::new("web", 1, 500, 1024)]);
    s.assumptions.people.engineer_week_usd = Decimal::from_f64_retain(7e28).unwrap();
    assert_eq!(limit_error(&s).0, "assumptions.people.engineer_week_usd");
}

#[test]
fn assumptions_that_would_multiply_requests_without_bound_are_refused() {
    let mut s = scenario(vec![Process::new("web", 1, 500, 1024)]);
    s.assumptions.scale_up_margin = 1e300;
    assert_eq!(limit_error(&s).0, "assumptions.scale_up_margin");
    let mut s = scenario(vec![Process::new("web", 1, 500, 1024)]);
    s.assumptions.millicores_per_compute_unit = u32::MAX;
    assert_eq!(limit_error(&s).0, "assumptions.millicores_per_compute_unit");
}

#[test]
fn a_target_listed_eight_times_is_estimated_once() {
    // The first release planned every copy: 8 × the work and 8 options in the report.
    let mut s = scenario(vec![Process::new("web", 4, 500, 1024)]);
    s.assumptions.targets = vec![Platform::EksAuto; 8];
    s.assumptions.targets.push(Platform::EcsEc2);
    s.assumptions.targets.push(Platform::EksAuto);
    let r = estimate(&s, tco_pricing_data::embedded()).unwrap();
    let platforms: Vec<Platform> = r.options.iter().map(|o| o.platform).collect();
    assert_eq!(platforms, vec![Platform::EksAuto, Platform::EcsEc2]);
    assert_eq!(r.assumptions.targets, platforms, "the report says which targets it estimated");
}

#[test]
fn packing_work_over_the_budget_is_refused_before_it_is_done() {
    let s = scenario((0..200).map(|i| Process::new(format!("p{i}"), 3, 250 + 10 * i, 512 + 64 * i)).collect());
    let tight = Limits { work: 1_000_000, ..Limits::default() };
    let catalog = tco_pricing_data::embedded();
    match tco_engine::estimate::estimate_within(&s, catalog, &tight, &Never) {
        // Two node targets (the defaults ECS and EKS on EC2) × 12 plans (6 in the one region, and
        // the 6 x86 generation groups compared) × (150,000 + 600 replicas + 200²/8 + 600 × 200 /
        // 64) = 24 × 157,475 = 3,779,400 units, and Fargate sizes 200 processes once: 3,779,600.
        Err(EstimateError::TooMuchWork { units, budget, targets, plans, replicas, distinct }) => {
            assert_eq!((units, budget, targets, plans, replicas, distinct), (3_779_600, 1_000_000, 2, 12, 600, 200));
        }
        other => panic!("expected the budget to refuse it, got {other:?}"),
    }
    assert!(tco_engine::estimate::estimate_within(&s, catalog, &Limits::default(), &Never).is_ok());
}

#[test]
fn regions_are_bounded_and_each_multiplies_the_work() {
    let mut s = scenario(vec![Process::new("web", 4, 500, 1024)]);
    s.assumptions.regions = (0..31).map(|i| format!("region-{i}")).collect();
    let (field, message) = limit_error(&s);
    assert_eq!(field, "assumptions.regions");
    assert!(message.contains("31 regions is over the limit of 30 regions"), "{message}");

    let mut s = scenario((0..200).map(|i| Process::new(format!("p{i}"), 3, 250 + 10 * i, 512 + 64 * i)).collect());
    s.assumptions.regions = vec!["us-east-1".into(), "eu-west-1".into(), "eu-central-1".into()];
    s.assumptions.compare_generations = false;
    let tight = Limits { work: 1_000_000, ..Limits::default() };
    match tco_engine::estimate::estimate_within(&s, tco_pricing_data::embedded(), &tight, &Never) {
        // Two node targets × 18 plans (6 in each of 3 regions) × 157,475 = 5,669,100 units,
        // and Fargate sizes 200 processes in each region: 5,669,700.
        Err(EstimateError::TooMuchWork { units, targets, plans, .. }) => {
            assert_eq!((units, targets, plans), (5_669_700, 2, 18));
        }
        other => panic!("expected the budget to refuse it, got {other:?}"),
    }
}

#[test]
fn an_estimate_asked_to_stop_stops() {
    struct Now;
    impl Stop for Now {
        fn now(&self) -> bool {
            true
        }
    }
    let s = scenario(vec![Process::new("web", 4, 500, 1024)]);
    let r = tco_engine::estimate::estimate_within(&s, tco_pricing_data::embedded(), &Limits::default(), &Now);
    assert_eq!(r.unwrap_err(), EstimateError::Stopped);
}

/// Values at and beyond every edge a JSON number can reach in a scenario.
fn extreme_u32() -> impl Strategy<Value = u32> {
    prop_oneof![Just(0u32), Just(1), Just(100_000), Just(100_001), Just(u32::MAX / 2), Just(u32::MAX)]
}

fn extreme_decimal() -> impl Strategy<Value = Decimal> {
    prop_oneof![
        Just(Decimal::ZERO),
        Just(Decimal::ONE),
        Just(Decimal::from(1_000_000_000_000u64)),
        Just(Decimal::from_f64_retain(1e28).unwrap()),
        Just(Decimal::from_f64_retain(7e28).unwrap()),
        Just(Decimal::MAX),
        Just(-Decimal::ONE),
        Just(Decimal::MIN),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Whatever extreme values the numbers hold, the estimate answers with a report or an
    /// error; it never panics (a panic here fails the test).
    #[test]
    fn extreme_numbers_anywhere_give_an_answer_never_a_panic(
        replicas in extreme_u32(), cpu in extreme_u32(), memory in extreme_u32(),
        unit in extreme_u32(), reserved in extreme_u32(), volume in extreme_u32(),
        monthly in extreme_decimal(), week in extreme_decimal(), weeks in extreme_decimal(),
        gb in extreme_decimal(), fraction in extreme_decimal(), zones in 0u32..8, months in 0u32..200,
    ) {
        let mut p = Process::new("web", replicas.min(200_000), cpu, memory);
        p.monthly_usd = Usd::new(monthly.abs());
        let mut s = scenario(vec![p, Process::new("worker", 2, 250, 512)]);
        let a = &mut s.assumptions;
        a.millicores_per_compute_unit = unit;
        a.ecs_reserved_memory_mib = reserved;
        a.supporting.root_volume_gb = volume;
        a.supporting.nat_gb_per_month = gb;
        a.people.engineer_week_usd = week;
        a.people.migration_engineer_weeks = weeks;
        a.people.ops_engineer_fraction = fraction;
        a.availability_zones = zones;
        a.tco_months = months;
        a.targets = vec![Platform::EcsEc2, Platform::EcsFargate];
        let _ = estimate(&s, tco_pricing_data::embedded());
    }
}
