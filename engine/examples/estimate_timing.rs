//! One full estimate per size of generated estate, timed once, with each option's gap to the
//! lower bound: a quick look before the benchmark.
//! `cargo run --release -p tco-engine --example estimate_timing -- 10 100 1000`

#[path = "../benches/support/generated.rs"]
mod generated;

use tco_engine::Platform;

fn main() {
    let catalog = tco_pricing_data::embedded();
    for n in std::env::args().skip(1).map(|a| a.parse::<usize>().expect("a number of processes")) {
        let s = generated::scenario(n, 42, catalog, vec![Platform::EcsEc2, Platform::EksEc2, Platform::EcsFargate]);
        let t = std::time::Instant::now();
        let r = tco_engine::estimate(&s, catalog).expect("the generated estate estimates");
        let elapsed = t.elapsed();
        let options: Vec<String> = r
            .options
            .iter()
            .map(|o| {
                format!(
                    "{} {} (gap {:?}%)",
                    o.platform.as_str(),
                    o.monthly_usd.rounded_to_cents(),
                    o.gap_to_lower_bound_pct
                )
            })
            .collect();
        println!("{n} processes, {} types: {elapsed:?}; {}", s.assumptions.instance_types.len(), options.join(", "));
    }
}
