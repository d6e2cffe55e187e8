//! Heroku dyno size list (`GET /dyno-sizes`): checked against the catalog, so a user sees
//! where their account's prices differ from the list prices the estimate uses.

use super::{warning, Context, ImportError};
use rust_decimal::Decimal;
use serde::Deserialize;
use tco_engine::Workloads;

#[derive(Deserialize)]
struct Cost {
    cents: Option<i64>,
}

#[derive(Deserialize)]
struct Size {
    name: String,
    memory: f64,
    cost: Option<Cost>,
}

/// No workloads; a warning per size whose price or memory differs from the catalog.
pub fn import(file: &str, text: &str, ctx: Context<'_>) -> Result<Workloads, ImportError> {
    let mut de = serde_json::Deserializer::from_str(text);
    let sizes: Vec<Size> =
        serde_path_to_error::deserialize(&mut de).map_err(|e| ImportError::from_path_error(file, e))?;
    let mut w = Workloads::default();
    for (i, s) in sizes.iter().enumerate() {
        let Some(known) = ctx.catalog.dyno_size(&s.name) else {
            w.warnings.push(warning(file, None, format!("[{i}] dyno size {} is not in the catalog", s.name)));
            continue;
        };
        let memory_mib = (s.memory * 1024.0).round() as u32;
        if memory_mib != known.memory_mib {
            w.warnings.push(warning(
                file,
                None,
                format!("[{i}] {}: {memory_mib} MiB here, {} MiB in the catalog", s.name, known.memory_mib),
            ));
        }
        if let (Some(cents), Some(list)) = (s.cost.as_ref().and_then(|c| c.cents), known.usd_per_month) {
            let here = Decimal::new(cents, 2);
            if here != list {
                w.warnings.push(warning(
                    file,
                    None,
                    format!(
                        "[{i}] {}: ${here} per month here, ${list} in the catalog ({})",
                        s.name, known.provenance.source
                    ),
                ));
            }
        }
    }
    Ok(w)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tco_engine::Assumptions;

    #[test]
    fn reports_differences_from_the_catalog() {
        let text = r#"[{"compute":1,"cost":{"cents":2500,"unit":"monthly"},"dedicated":false,"memory":0.5,"name":"Standard-1X"},
                      {"compute":2,"cost":{"cents":6000,"unit":"monthly"},"dedicated":false,"memory":1,"name":"Standard-2X"},
                      {"compute":2,"cost":{"cents":null,"unit":null},"dedicated":true,"memory":1,"name":"Private-S"}]"#;
        let a = Assumptions::default();
        let w = import("sizes.json", text, Context::new(tco_pricing_data::embedded(), &a)).unwrap();
        assert!(w.apps.is_empty());
        assert_eq!(w.warnings.len(), 1, "{:?}", w.warnings);
        assert!(w.warnings[0].message.contains("$60.00 per month here, $50 in the catalog"), "{:?}", w.warnings);
    }
}
