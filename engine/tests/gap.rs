//! The plan's distance from the lower bound on generated estates, where whole nodes leave the
//! most room: small estates (10 and 30 processes, mixed shapes) over the full us-east-1
//! catalog, three zones, 80% headroom. The goal is a worst gap of 5%; these are the
//! gap study's first five estates of each size, which meet it. Over twenty 10-process estates
//! some still do not (the study prints how many), so this guards what is reached.

#[path = "../benches/support/generated.rs"]
mod generated;

use tco_engine::{estimate, Platform};

fn gaps(processes: usize, platform: Platform) -> Vec<(u64, f64)> {
    let catalog = tco_pricing_data::embedded();
    (1..=5u64)
        .map(|seed| {
            let s = generated::scenario(processes, seed, catalog, vec![platform]);
            let r = estimate(&s, catalog).expect("a generated estate estimates");
            (seed, r.options[0].gap_to_lower_bound_pct.expect("node plans report a gap"))
        })
        .collect()
}

#[test]
fn small_estates_on_ecs_are_planned_within_five_percent_of_the_bound() {
    for n in [10, 30] {
        for (seed, gap) in gaps(n, Platform::EcsEc2) {
            assert!((0.0..=5.0).contains(&gap), "{n} processes, estate {seed}: {gap}% above the bound");
        }
    }
}

#[test]
fn small_estates_on_eks_are_planned_within_five_percent_of_the_bound() {
    for n in [10, 30] {
        for (seed, gap) in gaps(n, Platform::EksEc2) {
            assert!((0.0..=5.0).contains(&gap), "{n} processes, estate {seed}: {gap}% above the bound");
        }
    }
}
