//! Without the `all-regions` feature (the web page), the regional files are embedded with
//! only the home region's rows and the rows without a region: the page stays small and
//! fetches other regions from the API. With it, nothing is done here.

use std::path::Path;

include!("src/region_rows.rs");

/// `tco_engine::catalog::HOME_REGION` (a build script cannot use the crate it builds for).
const HOME_REGION: &str = "us-east-1";

fn main() {
    println!("cargo:rerun-if-changed=data");
    println!("cargo:rerun-if-changed=src/region_rows.rs");
    println!("cargo:rerun-if-changed=build.rs");
    if std::env::var_os("CARGO_FEATURE_ALL_REGIONS").is_some() {
        return;
    }
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    for name in REGIONAL_FILES {
        let text = std::fs::read_to_string(Path::new("data").join(name)).unwrap_or_else(|e| panic!("data/{name}: {e}"));
        let home = keep_rows(name, &text, &|r| r.is_empty() || r == HOME_REGION).unwrap_or_else(|e| panic!("data/{e}"));
        std::fs::write(Path::new(&out).join(name), home).unwrap_or_else(|e| panic!("{out}/{name}: {e}"));
    }
}
