//! One full estimate per size of generated estate, timed once, with each option's gap to the
//! lower bound and its band: a quick look before the benchmark. `sample` times the bundled
//! sample instead (the best of 20 runs, as the page re-estimates it on an edit);
//! `sample-without-generations` the same without the generations matrix, to see its share.
//! `cargo run --release -p tco-engine --example estimate_timing -- 10 100 1000 sample`

#[path = "../benches/support/generated.rs"]
mod generated;

use tco_engine::{Platform, Report, Scenario};

fn main() {
    let catalog = tco_pricing_data::embedded();
    for arg in std::env::args().skip(1) {
        let (s, runs) = if arg == "sample" {
            (generated::sample(), 20)
        } else if arg == "sample-without-generations" {
            let mut s = generated::sample();
            s.assumptions.compare_generations = false;
            (s, 20)
        } else {
            let n = arg.parse::<usize>().expect("a number of processes, or `sample`");
            (generated::scenario(n, 42, catalog, vec![Platform::EcsEc2, Platform::EksEc2, Platform::EcsFargate]), 1)
        };
        let (elapsed, r) = (0..runs)
            .map(|_| {
                let t = std::time::Instant::now();
                let r = tco_engine::estimate(&s, catalog).expect("the estate estimates");
                (t.elapsed(), r)
            })
            .min_by_key(|(t, _)| *t)
            .expect("at least one run");
        println!("{}: {elapsed:?}; {}", describe(&arg, &s), options(&r));
    }
}

fn describe(arg: &str, s: &Scenario) -> String {
    let what = match arg {
        "sample" => "the bundled sample".to_string(),
        "sample-without-generations" => "the bundled sample without the generations matrix".to_string(),
        _ => format!("{arg} processes"),
    };
    format!("{what}, {} types", s.assumptions.instance_types.len())
}

fn options(r: &Report) -> String {
    r.options
        .iter()
        .map(|o| {
            format!(
                "{} {} (gap {:?}%, band {}–{})",
                o.platform.as_str(),
                o.monthly_usd.rounded_to_cents(),
                o.gap_to_lower_bound_pct,
                o.band.low_usd.rounded_to_cents(),
                o.band.high_usd.rounded_to_cents()
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}
