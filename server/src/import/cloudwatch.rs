//! CloudWatch metrics as the AWS CLI prints them: `get-metric-data` (`MetricDataResults`) and
//! `get-metric-statistics` (`Datapoints`). `CPUUtilization` and the CloudWatch agent's
//! `mem_used_percent` become 95th percentiles per instance.
//!
//! `get-metric-statistics` output does not name the instance: the file name must contain the
//! instance id (`cpu-i-0abc1234.json`). `get-metric-data` results name it in their `Label` or
//! `Id` (`cpu_i_0abc1234`, since ids cannot contain `-`).

use super::{warning, Context, ImportError};
use serde::Deserialize;
use std::collections::HashMap;
use tco_engine::workload::{Instance, Origin};
use tco_engine::Workloads;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct MetricData {
    metric_data_results: Vec<Series>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Series {
    id: String,
    #[serde(default)]
    label: String,
    #[serde(default)]
    values: Vec<f64>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Statistics {
    #[serde(default)]
    label: String,
    datapoints: Vec<Datapoint>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Datapoint {
    average: Option<f64>,
    maximum: Option<f64>,
}

/// Which metric a series is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Metric {
    Cpu,
    Memory,
}

fn metric_of(text: &str) -> Option<Metric> {
    let t = text.to_ascii_lowercase();
    if t.contains("cpuutilization") || t.contains("cpu") {
        Some(Metric::Cpu)
    } else if t.contains("mem_used_percent") || t.contains("mem") {
        Some(Metric::Memory)
    } else {
        None
    }
}

/// An EC2 instance id (`i-` or `i_` then 8 or 17 hex digits) inside `text`.
pub(crate) fn instance_id_in(text: &str) -> Option<String> {
    let b = text.as_bytes();
    (0..b.len().saturating_sub(9)).find_map(|i| {
        let starts =
            (i == 0 || !b[i - 1].is_ascii_alphanumeric()) && b[i] == b'i' && (b[i + 1] == b'-' || b[i + 1] == b'_');
        if !starts {
            return None;
        }
        let hex = b[i + 2..].iter().take_while(|c| c.is_ascii_hexdigit()).count();
        (hex == 8 || hex == 17).then(|| format!("i-{}", &text[i + 2..i + 2 + hex]))
    })
}

/// The 95th percentile (nearest rank) of the values.
fn p95(values: &mut Vec<f64>) -> Option<f64> {
    values.retain(|v| v.is_finite());
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let rank = ((values.len() as f64) * 0.95).ceil() as usize;
    Some(values[rank.clamp(1, values.len()) - 1])
}

fn instance(id: String, file: &str) -> Instance {
    Instance { origin: Some(Origin { file: file.into(), line: None }), ..Instance::new(id) }
}

/// Sets a metric of instance `id`, found through `index` (id → position) rather than a scan.
fn set(w: &mut Workloads, index: &mut HashMap<String, usize>, file: &str, id: String, metric: Metric, value: f64) {
    let k = *index.entry(id.clone()).or_insert_with(|| {
        w.instances.push(instance(id, file));
        w.instances.len() - 1
    });
    let i = &mut w.instances[k];
    match metric {
        Metric::Cpu => i.cpu_p95_pct = Some(value),
        Metric::Memory => i.memory_p95_pct = Some(value),
    }
}

/// `aws cloudwatch get-metric-data` output.
pub fn import_metric_data(file: &str, text: &str, _ctx: Context<'_>) -> Result<Workloads, ImportError> {
    let mut de = serde_json::Deserializer::from_str(text);
    let doc: MetricData =
        serde_path_to_error::deserialize(&mut de).map_err(|e| ImportError::from_path_error(file, e))?;
    let mut w = Workloads::default();
    let mut index = HashMap::new();
    for (k, mut s) in doc.metric_data_results.into_iter().enumerate() {
        let id = instance_id_in(&s.label).or_else(|| instance_id_in(&s.id)).or_else(|| instance_id_in(file));
        let metric = metric_of(&s.label).or_else(|| metric_of(&s.id));
        let (Some(id), Some(metric)) = (id, metric) else {
            w.warnings.push(warning(
                file,
                None,
                format!("MetricDataResults[{k}] ({}): no instance id or metric in its Id or Label; skipped", s.id),
            ));
            continue;
        };
        match p95(&mut s.values) {
            Some(v) => set(&mut w, &mut index, file, id, metric, v),
            None => {
                w.warnings.push(warning(file, None, format!("MetricDataResults[{k}] ({}): no values; skipped", s.id)))
            }
        }
    }
    Ok(w)
}

/// `aws cloudwatch get-metric-statistics` output, for the instance its file name names.
pub fn import_statistics(file: &str, text: &str, _ctx: Context<'_>) -> Result<Workloads, ImportError> {
    let mut de = serde_json::Deserializer::from_str(text);
    let doc: Statistics =
        serde_path_to_error::deserialize(&mut de).map_err(|e| ImportError::from_path_error(file, e))?;
    let id = instance_id_in(file).ok_or_else(|| {
        ImportError::at(file, None, None, "get-metric-statistics output does not name its instance: put the instance id in the file name, e.g. cpu-i-0abc12345def67890.json")
    })?;
    let metric = metric_of(&doc.label).or_else(|| metric_of(file)).ok_or_else(|| {
        ImportError::at(
            file,
            None,
            Some("Label".into()),
            format!("`{}` is neither CPUUtilization nor mem_used_percent", doc.label),
        )
    })?;
    let mut values: Vec<f64> = doc.datapoints.iter().filter_map(|d| d.average.or(d.maximum)).collect();
    let mut w = Workloads::default();
    match p95(&mut values) {
        Some(v) => set(&mut w, &mut HashMap::new(), file, id, metric, v),
        None => w.warnings.push(warning(file, None, "no datapoints with Average or Maximum")),
    }
    Ok(w)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tco_engine::Assumptions;

    #[test]
    fn finds_instance_ids() {
        assert_eq!(instance_id_in("cpu-i-0abc12345def67890.json").as_deref(), Some("i-0abc12345def67890"));
        assert_eq!(instance_id_in("cpu_i_0abc1234").as_deref(), Some("i-0abc1234"));
        assert_eq!(instance_id_in("cpu-multi-az.json"), None);
    }

    #[test]
    fn p95_is_the_nearest_rank() {
        let mut v: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(p95(&mut v), Some(95.0));
        assert_eq!(p95(&mut vec![7.0]), Some(7.0));
    }

    #[test]
    fn metric_data_results_per_instance() {
        let text = r#"{"MetricDataResults":[
            {"Id":"cpu_i_0abc1234","Label":"CPUUtilization","Timestamps":["2024-05-13T10:00:00+00:00","2024-05-13T10:05:00+00:00"],"Values":[10.0,30.0],"StatusCode":"Complete"},
            {"Id":"mem_i_0abc1234","Label":"mem_used_percent","Timestamps":[],"Values":[55.5],"StatusCode":"Complete"},
            {"Id":"q1","Label":"something","Values":[1.0],"StatusCode":"Complete"}],"Messages":[]}"#;
        let a = Assumptions::default();
        let w = import_metric_data("m.json", text, Context::new(tco_pricing_data::embedded(), &a)).unwrap();
        assert_eq!(w.instances.len(), 1);
        assert_eq!((w.instances[0].cpu_p95_pct, w.instances[0].memory_p95_pct), (Some(30.0), Some(55.5)));
        assert_eq!(w.warnings.len(), 1);
    }

    #[test]
    fn statistics_need_the_instance_in_the_file_name() {
        let text = r#"{"Label":"CPUUtilization","Datapoints":[{"Timestamp":"2024-05-13T10:00:00Z","Average":12.5,"Unit":"Percent"},{"Timestamp":"2024-05-13T11:00:00Z","Average":40.0,"Unit":"Percent"}]}"#;
        let a = Assumptions::default();
        let ctx = Context::new(tco_pricing_data::embedded(), &a);
        let w = import_statistics("cpu-i-0abc1234.json", text, ctx).unwrap();
        assert_eq!(w.instances[0].cpu_p95_pct, Some(40.0));
        let err = import_statistics("cpu.json", text, ctx).unwrap_err();
        assert!(err.message.contains("instance id in the file name"));
    }
}
