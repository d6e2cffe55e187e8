//! How far node plans are from the lower bound on generated estates: 10 to 2,000 processes,
//! mixed shapes, over the full us-east-1 catalog (burstable types aside) and over the default
//! candidate list. `cargo run --release -p tco-engine --example gap_study [-- ESTATES]`, with
//! ESTATES generated estates a size (5 unless given).

#[path = "../benches/support/generated.rs"]
mod generated;

use tco_engine::{estimate, Assumptions, Platform};

fn main() {
    let catalog = tco_pricing_data::embedded();
    let estates: u64 = std::env::args().nth(1).map_or(5, |n| n.parse().expect("a number of estates"));
    for (label, full) in [("full catalog", true), ("default list", false)] {
        for platform in [Platform::EcsEc2, Platform::EksEc2] {
            let mut gaps = Vec::new();
            for n in [10usize, 30, 100, 300, 1_000, 2_000] {
                for seed in 1..=estates {
                    let mut s = generated::scenario(n, seed, catalog, vec![platform]);
                    if !full {
                        s.assumptions.instance_types = Assumptions::default().instance_types;
                    }
                    let r = match estimate(&s, catalog) {
                        Ok(r) => r,
                        Err(e) => {
                            println!("  {n} processes, seed {seed}: {e}");
                            continue;
                        }
                    };
                    if let Some(g) = r.options[0].gap_to_lower_bound_pct {
                        gaps.push((g, n));
                    }
                }
            }
            gaps.sort_by(|a, b| a.0.total_cmp(&b.0));
            let by_size: Vec<String> = [10usize, 30, 100, 300, 1_000, 2_000]
                .iter()
                .map(|&n| {
                    let at: Vec<f64> = gaps.iter().filter(|g| g.1 == n).map(|g| g.0).collect();
                    let over = at.iter().filter(|&&g| g > 5.0).count();
                    format!("{n}: {:.2}–{:.2}% ({over} over 5%)", at[0], at[at.len() - 1])
                })
                .collect();
            let median = gaps[gaps.len() / 2].0;
            let (worst, at) = gaps[gaps.len() - 1];
            let big: Vec<f64> = gaps.iter().filter(|g| g.1 >= 100).map(|g| g.0).collect();
            println!(
                "{label}, {}: {} scenarios, median gap {median:.2}%, worst {worst:.2}% (at {at} processes); \
                 100+ processes: median {:.2}%, worst {:.2}%",
                platform.as_str(),
                gaps.len(),
                big[big.len() / 2],
                big[big.len() - 1]
            );
            println!("  by size (best–worst of {estates}): {}", by_size.join(", "));
        }
    }
}
