//! Generated estates for the benchmarks and the gap study: deterministic, realistic mixes of
//! process shapes (web, workers, memory-heavy jobs), some with a day/night hourly profile.
#![allow(dead_code)] // shared by the benchmark and the examples, which each use a part

use tco_engine::workload::{App, Process};
use tco_engine::{Assumptions, Catalog, Platform, Scenario, Workloads};

/// A small, fast, seeded generator (xorshift64*), so every run sees the same estates.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    pub fn range(&mut self, lo: u32, hi: u32) -> u32 {
        lo + (self.next_u64() % u64::from(hi - lo + 1)) as u32
    }
}

/// `processes` processes in apps of up to 8, shapes drawn from four kinds; a quarter follow a
/// day/night profile.
pub fn estate(processes: usize, seed: u64) -> Workloads {
    let mut rng = Rng::new(seed);
    let mut apps: Vec<App> = Vec::new();
    for i in 0..processes {
        if i % 8 == 0 {
            apps.push(App {
                name: format!("app{}", i / 8),
                source: "generated".into(),
                processes: vec![],
                addons: vec![],
            });
        }
        let (cpu, mem) = match rng.range(0, 3) {
            0 => (rng.range(1, 8) * 250, rng.range(1, 8) * 512),    // web
            1 => (rng.range(1, 16) * 250, rng.range(2, 16) * 1024), // worker
            2 => (rng.range(1, 4) * 250, rng.range(8, 48) * 1024),  // memory-heavy
            _ => (rng.range(4, 32) * 250, rng.range(2, 8) * 1024),  // compute-heavy
        };
        let replicas = rng.range(1, 10);
        let mut p = Process::new(format!("p{i}"), replicas, cpu, mem);
        if i % 4 == 0 {
            let night = (replicas / 3).max(1);
            p.hourly_replicas =
                Some((0..168).map(|h| if (8..20).contains(&(h % 24)) { replicas } else { night }).collect());
        }
        apps.last_mut().expect("pushed above").processes.push(p);
    }
    Workloads { apps, ..Workloads::default() }
}

/// Every instance type in the region with a price and a known shape, but the burstable
/// T family (its vCPUs are a baseline share, not sustained capacity).
pub fn full_catalog_types(catalog: &Catalog, region: &str) -> Vec<String> {
    catalog
        .instance_types
        .iter()
        .filter(|t| !t.burstable && t.shape().is_some() && catalog.instance_price(region, &t.name).is_some())
        .map(|t| t.name.clone())
        .collect()
}

/// The estate over the full regional catalog, for `targets`.
pub fn scenario(processes: usize, seed: u64, catalog: &Catalog, targets: Vec<Platform>) -> Scenario {
    let assumptions =
        Assumptions { instance_types: full_catalog_types(catalog, "us-east-1"), targets, ..Assumptions::default() };
    Scenario { name: format!("{processes} generated processes"), workloads: estate(processes, seed), assumptions }
}

/// The bundled sample (the server's Heroku formation), sized from the catalog's dyno sizes
/// as the importer does.
pub fn sample() -> Scenario {
    let catalog = tco_pricing_data::embedded();
    let formation: serde_json::Value =
        serde_json::from_str(include_str!("../../../server/samples/heroku-formation.json")).expect("the sample parses");
    let assumptions = Assumptions::default();
    let mut apps: Vec<App> = Vec::new();
    for f in formation.as_array().expect("an array") {
        let app = f["app"]["name"].as_str().expect("app.name");
        let size = catalog.dyno_size(f["size"].as_str().expect("size")).expect("a known size");
        let request = tco_engine::sizing::request_for_dyno(size, &assumptions);
        let mut p = Process::new(
            f["type"].as_str().expect("type"),
            f["quantity"].as_u64().expect("quantity") as u32,
            request.cpu_millicores,
            request.memory_mib,
        );
        p.size = Some(size.name.clone());
        match apps.iter_mut().find(|a| a.name == app) {
            Some(a) => a.processes.push(p),
            None => apps.push(App {
                name: app.into(),
                source: "heroku-formation".into(),
                processes: vec![p],
                addons: vec![],
            }),
        }
    }
    Scenario { name: "sample".into(), workloads: Workloads { apps, ..Workloads::default() }, assumptions }
}
