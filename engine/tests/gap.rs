//! The plan's distance from the lower bound on generated estates, where whole nodes leave the
//! most room: small estates (10 and 30 processes, mixed shapes) over the full us-east-1
//! catalog, three zones, 80% headroom. The goal is a worst gap of 5%: the gap study's
//! first twenty 10-process estates and first five 30-process estates of each target meet it.

#[path = "../benches/support/generated.rs"]
mod generated;

use tco_engine::{estimate, Platform};

fn gaps(processes: usize, estates: u64, platform: Platform) -> Vec<(u64, f64)> {
    let catalog = tco_pricing_data::embedded();
    (1..=estates)
        .map(|seed| {
            let s = generated::scenario(processes, seed, catalog, vec![platform]);
            let r = estimate(&s, catalog).expect("a generated estate estimates");
            (seed, r.options[0].gap_to_lower_bound_pct.expect("node plans report a gap"))
        })
        .collect()
}

fn within_five_percent(platform: Platform) {
    for (n, estates) in [(10, 20), (30, 5)] {
        for (seed, gap) in gaps(n, estates, platform) {
            assert!((0.0..=5.0).contains(&gap), "{n} processes, estate {seed}: {gap}% above the bound");
        }
    }
}

#[test]
fn small_estates_on_ecs_are_planned_within_five_percent_of_the_bound() {
    within_five_percent(Platform::EcsEc2);
}

#[test]
fn small_estates_on_eks_are_planned_within_five_percent_of_the_bound() {
    within_five_percent(Platform::EksEc2);
}
