// Shared by `build.rs` (through `include!`) and the crate: which rows of a regional file stay.

/// The files with a `region` column, as named in a snapshot directory.
pub const REGIONAL_FILES: [&str; 4] =
    ["ec2-ondemand-linux.csv", "services.csv", "ec2-commitments.csv", "ec2-spot-advice.csv"];

/// The header and the rows of a CSV file whose `region` column passes `keep`, written back
/// with `\n` line ends. A file without a `region` column is an error naming `name`.
pub fn keep_rows(name: &str, text: &str, keep: &dyn Fn(&str) -> bool) -> Result<String, String> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|e| format!("{name}: {e}"))?.clone();
    let region = headers.iter().position(|h| h == "region").ok_or_else(|| format!("{name}: no `region` column"))?;
    let mut writer = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(Vec::new());
    writer.write_record(&headers).map_err(|e| format!("{name}: {e}"))?;
    for record in reader.records() {
        let record = record.map_err(|e| format!("{name}: {e}"))?;
        if keep(record.get(region).unwrap_or("")) {
            writer.write_record(&record).map_err(|e| format!("{name}: {e}"))?;
        }
    }
    let bytes = writer.into_inner().map_err(|e| format!("{name}: {e}"))?;
    String::from_utf8(bytes).map_err(|e| format!("{name}: {e}"))
}
