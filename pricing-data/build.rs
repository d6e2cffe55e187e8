//! Without the `all-regions` feature (the web page), the regional files are embedded with
//! only the home region's rows and the rows without a region: the page stays small and
//! fetches other regions from the API. With it, nothing is done here.

use std::path::Path;

/// `tco_engine::catalog::HOME_REGION` (a build script cannot use the crate it builds for).
const HOME_REGION: &str = "us-east-1";

/// The files with a `region` column.
const REGIONAL: [&str; 4] = ["ec2-ondemand-linux.csv", "services.csv", "ec2-commitments.csv", "ec2-spot-advice.csv"];

fn main() {
    println!("cargo:rerun-if-changed=data");
    println!("cargo:rerun-if-changed=build.rs");
    if std::env::var_os("CARGO_FEATURE_ALL_REGIONS").is_some() {
        return;
    }
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    for name in REGIONAL {
        let text = std::fs::read_to_string(Path::new("data").join(name)).unwrap_or_else(|e| panic!("data/{name}: {e}"));
        std::fs::write(Path::new(&out).join(name), home_rows(name, &text))
            .unwrap_or_else(|e| panic!("{out}/{name}: {e}"));
    }
}

/// The header and the rows whose `region` is the home region or empty, written back as read.
fn home_rows(name: &str, text: &str) -> String {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().unwrap_or_else(|e| panic!("data/{name}: {e}")).clone();
    let region = headers.iter().position(|h| h == "region").unwrap_or_else(|| panic!("data/{name}: no region column"));
    let mut writer = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(Vec::new());
    writer.write_record(&headers).expect("in memory");
    for record in reader.records() {
        let record = record.unwrap_or_else(|e| panic!("data/{name}: {e}"));
        if matches!(record.get(region), Some("") | Some(HOME_REGION)) {
            writer.write_record(&record).expect("in memory");
        }
    }
    String::from_utf8(writer.into_inner().expect("in memory")).expect("UTF-8 in, UTF-8 out")
}
