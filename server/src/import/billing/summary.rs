//! The output of the README's aggregation query (Athena, Spark SQL, polars SQL) as CSV: the
//! reduced rows themselves, read as they are. gzip and zstd are undone by their bytes.

use super::rows::{Acc, Key, Row};
use super::{Data, Source};
use crate::import::ImportError;
use rust_decimal::Decimal;
use std::io::{BufReader, Read};
use std::str::FromStr;

/// The query's columns, in its order.
pub(crate) const COLUMNS: [&str; 14] = [
    "billing_period_start",
    "provider",
    "service",
    "charge",
    "currency",
    "resource_id",
    "instance_type",
    "usage_type",
    "region",
    "usage_hours",
    "unblended_cost",
    "net_unblended_cost",
    "amortized_cost",
    "net_amortized_cost",
];

/// Reads the rows; a field that is not a number is an error naming its line and column.
pub(super) fn read(source: &Source) -> Result<Vec<Row>, ImportError> {
    let file = source.name.as_str();
    let cannot = |e: std::io::Error| ImportError::at(file, None, None, format!("cannot read: {e}"));
    let raw: Box<dyn Read> = match &source.data {
        Data::Path(p) => Box::new(std::fs::File::open(p).map_err(cannot)?),
        Data::Bytes(b) => Box::new(std::io::Cursor::new(b.clone())),
    };
    let (_, reader) = crate::import::compression::decoded(BufReader::with_capacity(1 << 20, raw)).map_err(cannot)?;
    let mut csv = csv::ReaderBuilder::new().trim(csv::Trim::All).from_reader(reader);
    let headers = csv.headers().map_err(|e| ImportError::at(file, Some(1), None, e.to_string()))?.clone();
    let index: Vec<usize> = COLUMNS
        .iter()
        .map(|c| {
            headers
                .iter()
                .position(|h| super::key(h) == super::key(c))
                .ok_or_else(|| ImportError::at(file, Some(1), Some((*c).into()), "missing column"))
        })
        .collect::<Result<_, _>>()?;
    let mut rows = Vec::new();
    for record in csv.records() {
        let record = record.map_err(|e| ImportError::at(file, e.position().map(|p| p.line()), None, e.to_string()))?;
        let line = record.position().map(|p| p.line());
        let get = |c: usize| record.get(index[c]).unwrap_or("");
        let number = |c: usize| -> Result<Option<Decimal>, ImportError> {
            let v = get(c);
            if v.is_empty() || v.eq_ignore_ascii_case("null") {
                return Ok(None);
            }
            Decimal::from_str(v)
                .or_else(|_| Decimal::from_scientific(v))
                .map(Some)
                .map_err(|_| ImportError::at(file, line, Some(COLUMNS[c].into()), format!("`{v}` is not a number")))
        };
        rows.push(Row {
            key: Key {
                period: get(0).chars().take(7).collect(),
                provider: get(1).to_string(),
                service: get(2).to_string(),
                charge: get(3).to_string(),
                currency: get(4).to_string(),
                resource_id: get(5).to_string(),
                instance_type: get(6).to_string(),
                usage_type: get(7).to_string(),
                region: get(8).to_string(),
            },
            acc: Acc {
                hours: number(9)?.unwrap_or_default(),
                bases: [number(10)?, number(11)?, number(12)?, number(13)?],
                line_items: 1,
            },
        });
    }
    Ok(rows)
}
