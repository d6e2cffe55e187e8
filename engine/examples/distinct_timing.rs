//! The generated estates of the benchmark with every process's request made distinct (a few
//! millicores and MiB added, as sizing from measured use gives), timed once per size: the
//! packers' work grows with the distinct requests waiting in a zone, not only with processes.
//! `cargo run --release -p tco-engine --example distinct_timing -- 1000 3000`

#[path = "../benches/support/generated.rs"]
mod generated;

use tco_engine::Platform;

fn main() {
    let catalog = tco_pricing_data::embedded();
    for n in std::env::args().skip(1).map(|a| a.parse::<usize>().expect("a number of processes")) {
        let mut s = generated::scenario(n, 42, catalog, vec![Platform::EcsEc2, Platform::EksEc2, Platform::EcsFargate]);
        for (k, p) in s.workloads.apps.iter_mut().flat_map(|a| a.processes.iter_mut()).enumerate() {
            let k = k as u32 + 1;
            p.cpu_millicores += k % 97;
            p.memory_mib += (k * 7) % 211;
        }
        let t = std::time::Instant::now();
        let r = tco_engine::estimate(&s, catalog).expect("the generated estate estimates");
        let gaps: Vec<String> = r
            .options
            .iter()
            .filter_map(|o| o.gap_to_lower_bound_pct.map(|g| format!("{} {g:.2}%", o.platform.as_str())))
            .collect();
        println!("{n} processes, all requests distinct: {:?}; gaps {}", t.elapsed(), gaps.join(", "));
    }
}
