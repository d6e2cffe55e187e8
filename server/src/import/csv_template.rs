//! The CSV template for workloads that come from neither Heroku nor AWS:
//! `app,process,replicas,vcpu,memory_gib,hours_per_month`, optionally followed by
//! `cpu_p95_pct,memory_p95_gib,interruption_tolerant,monthly_usd`.

use super::build::Builder;
use super::error::over_limit;
use super::{costed, Context, ImportError};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::Deserialize;
use tco_engine::money::HOURS_PER_MONTH;
use tco_engine::workload::{Measured, Origin, Process};
use tco_engine::{Usd, Workloads};

/// The required header, in order.
pub const HEADER: &str = "app,process,replicas,vcpu,memory_gib,hours_per_month";

/// Whether the first line is the template's header.
pub fn is_template_header(line: &str) -> bool {
    line.trim().trim_start_matches('\u{feff}').to_ascii_lowercase().replace(' ', "").starts_with(HEADER)
}

#[derive(Deserialize)]
struct Row {
    app: String,
    process: String,
    replicas: u32,
    vcpu: Decimal,
    memory_gib: Decimal,
    hours_per_month: Option<u32>,
    cpu_p95_pct: Option<f64>,
    memory_p95_gib: Option<f64>,
    interruption_tolerant: Option<bool>,
    monthly_usd: Option<Decimal>,
}

/// One process per row.
pub fn import(file: &str, text: &str, _ctx: Context<'_>) -> Result<Workloads, ImportError> {
    let mut reader = csv::ReaderBuilder::new().trim(csv::Trim::All).from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|e| ImportError::at(file, Some(1), None, e.to_string()))?.clone();
    let mut w = Workloads::default();
    let mut b = Builder::default();
    for record in reader.records() {
        let record = record.map_err(|e| ImportError::at(file, e.position().map(|p| p.line()), None, e.to_string()))?;
        let line = record.position().map(|p| p.line());
        let row: Row = record.deserialize(Some(&headers)).map_err(|e| {
            let field = match e.kind() {
                csv::ErrorKind::Deserialize { err, .. } => {
                    err.field().and_then(|i| headers.get(i as usize)).map(str::to_string)
                }
                _ => None,
            };
            let message = match e.kind() {
                csv::ErrorKind::Deserialize { err, .. } => err.kind().to_string(),
                _ => e.to_string(),
            };
            ImportError::at(file, line, field, message)
        })?;
        let bad = |field: &str, problem: &str| ImportError::at(file, line, Some(field.into()), problem.to_string());
        if row.vcpu <= Decimal::ZERO {
            return Err(bad("vcpu", "must be positive"));
        }
        if row.memory_gib <= Decimal::ZERO {
            return Err(bad("memory_gib", "must be positive"));
        }
        if row.hours_per_month.is_some_and(|h| h == 0 || h > 744) {
            return Err(bad("hours_per_month", "must be between 1 and 744"));
        }
        let cpu_millicores = row
            .vcpu
            .checked_mul(Decimal::from(1000))
            .and_then(|m| m.ceil().to_u32())
            .ok_or_else(|| bad("vcpu", "too large"))?;
        let memory_mib = row
            .memory_gib
            .checked_mul(Decimal::from(1024))
            .and_then(|m| m.ceil().to_u32())
            .ok_or_else(|| bad("memory_gib", "too large"))?;
        if let Some(usd) = row.monthly_usd {
            tco_engine::limits::money("monthly_usd", usd).map_err(|e| over_limit(file, line, "", e))?;
        }
        let measured = row.cpu_p95_pct.map(|cpu| {
            let memory = row.memory_p95_gib.unwrap_or(0.0) * 1024.0;
            Measured::new(memory, memory, memory, cpu / 100.0 * f64::from(cpu_millicores) / 1000.0, 1)
        });
        let p = Process {
            measured,
            interruption_tolerant: row.interruption_tolerant,
            hours_per_month: row.hours_per_month.filter(|h| *h != HOURS_PER_MONTH),
            monthly_usd: Usd::new(row.monthly_usd.unwrap_or_default()),
            origin: Some(Origin { file: file.into(), line }),
            ..Process::new(row.process, row.replicas, cpu_millicores, memory_mib)
        };
        let app = b.app(&row.app, || format!("csv-template:{file}"));
        b.w.apps[app].processes.push(p);
    }
    if b.w.apps.is_empty() {
        return Err(ImportError::at(file, None, None, "no rows under the header"));
    }
    b.w.warnings.append(&mut w.warnings);
    Ok(costed(b.w))
}

#[cfg(test)]
mod tests {
    use super::*;
    use tco_engine::Assumptions;

    #[test]
    fn rows_become_processes() {
        let text = "app,process,replicas,vcpu,memory_gib,hours_per_month,cpu_p95_pct,interruption_tolerant,monthly_usd\n\
                    billing,api,4,0.5,1,730,40,false,400\nbilling,batch,2,2,8,200,,true,\nreports,web,1,0.25,0.5,730,,,\n";
        let a = Assumptions::default();
        let w = import("workloads.csv", text, Context::new(tco_pricing_data::embedded(), &a)).unwrap();
        assert_eq!(w.apps.len(), 2);
        let api = &w.apps[0].processes[0];
        assert_eq!((api.replicas, api.cpu_millicores, api.memory_mib), (4, 500, 1024));
        assert_eq!(api.measured.as_ref().unwrap().cpu_load_p95, 0.2);
        let batch = &w.apps[0].processes[1];
        assert_eq!((batch.hours_per_month, batch.interruption_tolerant), (Some(200), Some(true)));
        assert_eq!(w.current_monthly_usd.cents(), 40_000);
    }

    #[test]
    fn a_bad_value_names_line_and_field() {
        let a = Assumptions::default();
        let ctx = Context::new(tco_pricing_data::embedded(), &a);
        let err = import("w.csv", "app,process,replicas,vcpu,memory_gib,hours_per_month\na,web,-1,1,1,730\n", ctx)
            .unwrap_err();
        assert_eq!((err.line, err.field.as_deref()), (Some(2), Some("replicas")));
        let err = import(
            "w.csv",
            "app,process,replicas,vcpu,memory_gib,hours_per_month\na,web,1,1,1,730\na,w,1,0,1,730\n",
            ctx,
        )
        .unwrap_err();
        assert_eq!((err.line, err.field.as_deref()), (Some(3), Some("vcpu")));
    }
}
