//! Which format a file is in, from its content.

use super::ImportError;
use serde::Serialize;

/// The formats the importers recognise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// `GET /apps/{app}/formation`: an array of process types, possibly several apps' concatenated.
    HerokuFormation,
    /// One JSON object mapping app names to their formation arrays.
    HerokuFormationMap,
    /// `GET /apps/{app}/dynos`, or `heroku ps --json`.
    HerokuDynos,
    /// `GET /apps`, or `heroku apps --json`.
    HerokuApps,
    /// `GET /apps/{app}/addons`, or `heroku addons --json`.
    HerokuAddons,
    /// `GET /dyno-sizes`.
    HerokuDynoSizes,
    /// Team or enterprise-account usage, daily or monthly.
    HerokuUsage,
    /// `heroku ps` as printed.
    HerokuPs,
    /// `heroku ps:type` as printed.
    HerokuPsType,
    /// `heroku ps:scale` with no arguments: `web=2:Standard-2X worker=1:Performance-M`.
    HerokuPsScale,
    /// `heroku logs` output or a log drain: runtime metrics, router lines, R14/R15.
    HerokuLogs,
    /// `aws ec2 describe-instances --output json`.
    Ec2Instances,
    /// `aws cloudwatch get-metric-data` output.
    CloudwatchMetricData,
    /// `aws cloudwatch get-metric-statistics` output (the instance id in the file name).
    CloudwatchStatistics,
    /// An AWS Cost and Usage Report CSV (legacy or CUR 2.0 column names).
    AwsCur,
    /// The CSV template `app,process,replicas,vcpu,memory_gib,hours_per_month`.
    CsvTemplate,
    /// This tool's own import JSON.
    ImportJson,
}

impl Format {
    /// Formats read line by line from a stream, in bounded memory.
    pub fn streams(self) -> bool {
        matches!(self, Format::HerokuLogs)
    }
}

/// The top-level keys of this tool's import JSON (`detected` is what the API adds).
const IMPORT_JSON_KEYS: [&str; 5] = ["apps", "instances", "current_monthly_usd", "warnings", "detected"];

const UNRECOGNISED: &str = "unrecognised format: expected a Heroku Platform API or CLI JSON export (formation, dynos, apps, add-ons, dyno sizes, usage), `heroku ps`, `heroku ps:type` or `heroku ps:scale` output, Heroku logs, `aws ec2 describe-instances` or CloudWatch JSON, a Cost and Usage Report CSV, the CSV template (`app,process,replicas,vcpu,memory_gib,hours_per_month`), or this tool's import JSON";

/// Detects the format from the first bytes (for text) or the parsed document (for JSON).
pub fn detect(file: &str, bytes: &[u8]) -> Result<Format, ImportError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
    match first {
        None => Err(ImportError::at(file, None, None, "the file is empty")),
        Some(b'[') | Some(b'{') => detect_json(file, bytes),
        Some(_) => detect_text(file, bytes),
    }
}

fn detect_json(file: &str, bytes: &[u8]) -> Result<Format, ImportError> {
    let value: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| ImportError::from_json(file, None, &e, "not valid JSON"))?;
    let has = |v: &serde_json::Value, keys: &[&str]| keys.iter().all(|k| v.get(k).is_some());
    let format = match &value {
        serde_json::Value::Array(items) if items.is_empty() => {
            return Err(ImportError::at(file, None, None, "an empty JSON array: nothing to import"))
        }
        serde_json::Value::Array(items) => {
            let first = &items[0];
            if items.iter().all(|i| has(i, &["type", "quantity"])) {
                Format::HerokuFormation
            } else if items.iter().all(|i| has(i, &["name", "type", "state"]) && i.get("quantity").is_none()) {
                Format::HerokuDynos
            } else if items
                .iter()
                .all(|i| has(i, &["plan"]) && (i.get("addon_service").is_some() || i.get("billed_price").is_some()))
            {
                Format::HerokuAddons
            } else if items
                .iter()
                .all(|i| has(i, &["name", "memory"]) && (i.get("compute").is_some() || i.get("dedicated").is_some()))
            {
                Format::HerokuDynoSizes
            } else if items.iter().all(|i| {
                has(i, &["dynos"])
                    && (i.get("apps").is_some() || i.get("teams").is_some())
                    && (i.get("month").is_some() || i.get("date").is_some())
            }) {
                Format::HerokuUsage
            } else if items.iter().all(|i| {
                has(i, &["name"])
                    && (i.get("web_url").is_some() || i.get("stack").is_some() || i.get("git_url").is_some())
            }) {
                Format::HerokuApps
            } else {
                let keys: Vec<&str> =
                    first.as_object().map(|o| o.keys().map(String::as_str).take(8).collect()).unwrap_or_default();
                return Err(ImportError::at(
                    file,
                    None,
                    None,
                    format!("{UNRECOGNISED} (first element has keys: {})", keys.join(", ")),
                ));
            }
        }
        serde_json::Value::Object(map) => {
            if map.contains_key("Reservations") {
                Format::Ec2Instances
            } else if map.contains_key("MetricDataResults") {
                Format::CloudwatchMetricData
            } else if map.contains_key("Datapoints") {
                Format::CloudwatchStatistics
            } else if map
                .get("apps")
                .and_then(serde_json::Value::as_array)
                .is_some_and(|apps| apps.iter().all(|a| a.is_object() && !has(a, &["type", "quantity"])))
                && map.keys().all(|k| IMPORT_JSON_KEYS.contains(&k.as_str()))
            {
                Format::ImportJson
            } else if !map.is_empty()
                && map.values().all(|v| v.as_array().is_some_and(|a| a.iter().all(|i| has(i, &["type", "quantity"]))))
            {
                Format::HerokuFormationMap
            } else if has(&value, &["dynos"])
                && (map.contains_key("apps") || map.contains_key("teams"))
                && (map.contains_key("month") || map.contains_key("date"))
            {
                Format::HerokuUsage
            } else if has(&value, &["name"]) && (map.contains_key("web_url") || map.contains_key("git_url")) {
                Format::HerokuApps
            } else {
                return Err(ImportError::at(file, None, None, UNRECOGNISED));
            }
        }
        _ => return Err(ImportError::at(file, None, None, UNRECOGNISED)),
    };
    Ok(format)
}

fn detect_text(file: &str, bytes: &[u8]) -> Result<Format, ImportError> {
    // Only the head: logs can be gigabytes. A partial last line is fine for sniffing.
    let head = &bytes[..bytes.len().min(64 * 1024)];
    let text = String::from_utf8_lossy(head);
    let lines: Vec<&str> = text.lines().map(str::trim).filter(|l| !l.is_empty()).take(200).collect();
    if let Some(first) = lines.first() {
        if super::cur::is_cur_header(first) {
            return Ok(Format::AwsCur);
        }
        if super::csv_template::is_template_header(first) {
            return Ok(Format::CsvTemplate);
        }
    }
    let is_log = |l: &&str| {
        l.contains("sample#memory_")
            || l.contains("sample#load_avg")
            || l.contains("heroku[router]")
            || l.contains(" heroku router ")
            || l.contains("Error R14")
            || l.contains("Error R15")
            || (l.contains("heroku[") && l.contains("]: "))
            || l.contains(" heroku/")
            || l.contains("app[")
    };
    if lines.iter().any(|l| l.starts_with("=== ") && (l.contains("Process Types") || l.contains("Dyno Types"))) {
        return Ok(Format::HerokuPsType);
    }
    if lines.iter().any(|l| l.starts_with("=== ") && super::ps_text::parse_group_header(l).is_some()) {
        return Ok(Format::HerokuPs);
    }
    if lines.iter().filter(|l| !l.starts_with('#')).take(20).any(is_log) {
        return Ok(Format::HerokuLogs);
    }
    if lines.len() <= 3 && !lines.is_empty() && lines.iter().all(|l| super::ps_text::looks_like_ps_scale(l)) {
        return Ok(Format::HerokuPsScale);
    }
    Err(ImportError::at(file, Some(1), None, UNRECOGNISED))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_each_format_from_its_content() {
        let cases: &[(&str, Format)] = &[
            (r#"[{"type":"web","quantity":1,"size":"Basic"}]"#, Format::HerokuFormation),
            (r#"{"a":[{"type":"web","quantity":1,"size":"Basic"}]}"#, Format::HerokuFormationMap),
            (r#"[{"name":"web.1","type":"web","state":"up","size":"Basic"}]"#, Format::HerokuDynos),
            (
                r#"[{"name":"db","plan":{"name":"heroku-postgresql:essential-0"},"addon_service":{"name":"heroku-postgresql"}}]"#,
                Format::HerokuAddons,
            ),
            (r#"[{"name":"Basic","memory":0.5,"compute":1,"dedicated":false}]"#, Format::HerokuDynoSizes),
            (r#"[{"month":"2026-10","dynos":1.5,"addons":0,"apps":[]}]"#, Format::HerokuUsage),
            (
                r#"[{"name":"shop","web_url":"https://shop.herokuapp.com/","stack":{"name":"heroku-24"}}]"#,
                Format::HerokuApps,
            ),
            (r#"{"apps":[{"name":"a","processes":[]}]}"#, Format::ImportJson),
            ("=== web (Standard-1X): puma (2)\nweb.1: up 2024/05/16 10:13:20 +0000 (~ 1h ago)\n", Format::HerokuPs),
            ("=== Process Types\n\n type  size  qty\n", Format::HerokuPsType),
            ("web=1:Standard-1X worker=2:Standard-2X\n", Format::HerokuPsScale),
            (
                "2024-05-16T10:20:01+00:00 heroku[web.1]: source=web.1 dyno=heroku.1 sample#load_avg_1m=0.5\n",
                Format::HerokuLogs,
            ),
        ];
        for (text, want) in cases {
            assert_eq!(detect("f", text.as_bytes()).unwrap(), *want, "{text}");
        }
    }

    #[test]
    fn refuses_empty_and_unknown_content() {
        assert!(detect("f", b"  \n").unwrap_err().message.contains("empty"));
        assert!(detect("f", b"[]").unwrap_err().message.contains("empty JSON array"));
        assert!(detect("f", b"hello world").unwrap_err().message.starts_with("unrecognised format"));
        assert!(detect("f", br#"[{"foo":1}]"#).unwrap_err().message.contains("keys: foo"));
    }
}
