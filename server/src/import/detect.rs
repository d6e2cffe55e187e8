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
    /// An AWS Cost and Usage Report: CUR 2.0 or legacy column names, in Parquet, CSV or gzip CSV.
    AwsCur,
    /// A FOCUS 1.0–1.2 billing export (AWS, Azure, Google Cloud), in Parquet, CSV or gzip CSV.
    Focus,
    /// The output of the README's aggregation query over a CUR or FOCUS export: the rows the
    /// importer needs, one per instance and per service and kind of charge.
    BillSummary,
    /// A billing export's manifest (`*-Manifest.json`): which data files make up the month.
    ExportManifest,
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

    /// Billing exports: scanned by columns (several files of one export make one bill), not
    /// parsed file by file.
    pub fn is_billing(self) -> bool {
        matches!(self, Format::AwsCur | Format::Focus | Format::BillSummary | Format::ExportManifest)
    }
}

/// The top-level keys of this tool's import JSON (`detected` is what the API adds).
const IMPORT_JSON_KEYS: [&str; 5] = ["apps", "instances", "current_monthly_usd", "warnings", "detected"];

const UNRECOGNISED: &str = "unrecognised format: expected a Heroku Platform API or CLI JSON export (formation, dynos, apps, add-ons, dyno sizes, usage), `heroku ps`, `heroku ps:type` or `heroku ps:scale` output, Heroku logs, `aws ec2 describe-instances` or CloudWatch JSON, a Cost and Usage Report or FOCUS export (Parquet, CSV or gzip CSV) or its manifest, the bill summary query's CSV, the CSV template (`app,process,replicas,vcpu,memory_gib,hours_per_month`), or this tool's import JSON";

/// Detects the format from the first bytes (for text) or the parsed document (for JSON).
pub fn detect(file: &str, bytes: &[u8]) -> Result<Format, ImportError> {
    if super::billing::is_parquet(bytes) {
        return super::billing::detect_parquet(file, bytes);
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
    match first {
        None => Err(ImportError::at(file, None, None, "the file is empty")),
        Some(b'[') | Some(b'{') => detect_json(file, bytes),
        Some(_) => detect_text(file, bytes),
    }
}

fn detect_json(file: &str, bytes: &[u8]) -> Result<Format, ImportError> {
    // One streaming pass that keeps only which keys each element has: the document is never
    // built in memory (the importer parses it once, into its own types).
    let mut stream = serde_json::Deserializer::from_slice(bytes).into_iter::<shape::Shape>();
    let first = match stream.next() {
        Some(Ok(shape)) => shape,
        Some(Err(e)) => return Err(ImportError::from_json(file, None, &e, "not valid JSON")),
        None => return Err(ImportError::at(file, None, None, "the file is empty")),
    };
    let more = stream.next().is_some();
    let format = match first {
        shape::Shape::Array(items) if items.len == 0 => {
            return Err(ImportError::at(file, None, None, "an empty JSON array: nothing to import"))
        }
        shape::Shape::Array(items) => {
            use shape::Item as I;
            if items.all(I::FORMATION) {
                Format::HerokuFormation
            } else if items.all(I::DYNOS) {
                Format::HerokuDynos
            } else if items.all(I::ADDONS) {
                Format::HerokuAddons
            } else if items.all(I::SIZES) {
                Format::HerokuDynoSizes
            } else if items.all(I::USAGE) {
                Format::HerokuUsage
            } else if items.all(I::APPS) {
                Format::HerokuApps
            } else {
                return Err(ImportError::at(
                    file,
                    None,
                    None,
                    format!("{UNRECOGNISED} (first element has keys: {})", items.first_keys.join(", ")),
                ));
            }
        }
        shape::Shape::Object(map) => {
            if map.has("Reservations") {
                Format::Ec2Instances
            } else if more {
                return Err(ImportError::at(file, None, None, format!("{UNRECOGNISED} (several JSON documents)")));
            } else if map.has("MetricDataResults") {
                Format::CloudwatchMetricData
            } else if map.has("Datapoints") {
                Format::CloudwatchStatistics
            } else if map.has("dataFiles") || map.has("reportKeys") {
                Format::ExportManifest
            } else if map.apps_are_apps && map.keys.iter().all(|k| IMPORT_JSON_KEYS.contains(&k.as_str())) {
                Format::ImportJson
            } else if !map.keys.is_empty() && map.all_values_formations {
                Format::HerokuFormationMap
            } else if map.has("dynos") && (map.has("apps") || map.has("teams")) && (map.has("month") || map.has("date"))
            {
                Format::HerokuUsage
            } else if map.has("name") && (map.has("web_url") || map.has("git_url")) {
                Format::HerokuApps
            } else {
                return Err(ImportError::at(file, None, None, UNRECOGNISED));
            }
        }
        shape::Shape::Other => return Err(ImportError::at(file, None, None, UNRECOGNISED)),
    };
    Ok(format)
}

/// The shape of a JSON document, read in one pass without building it: for an array, which
/// of the formats' key sets every element has; for an object, its keys and what its values are.
mod shape {
    use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
    use std::fmt;

    /// Keys the detection looks at, as bits.
    const KEYS: [&str; 19] = [
        "type",
        "quantity",
        "name",
        "state",
        "plan",
        "addon_service",
        "billed_price",
        "memory",
        "compute",
        "dedicated",
        "dynos",
        "apps",
        "teams",
        "month",
        "date",
        "web_url",
        "stack",
        "git_url",
        "size",
    ];

    fn bit(key: &str) -> u32 {
        KEYS.iter().position(|k| *k == key).map_or(0, |i| 1 << i)
    }

    /// Which formats an array element fits, as predicates over its keys.
    pub struct Item;

    impl Item {
        pub const FORMATION: u8 = 1;
        pub const DYNOS: u8 = 2;
        pub const ADDONS: u8 = 4;
        pub const SIZES: u8 = 8;
        pub const USAGE: u8 = 16;
        pub const APPS: u8 = 32;

        fn fits(keys: u32) -> u8 {
            let has = |k: &str| keys & bit(k) != 0;
            let mut f = 0;
            if has("type") && has("quantity") {
                f |= Item::FORMATION;
            }
            if has("name") && has("type") && has("state") && !has("quantity") {
                f |= Item::DYNOS;
            }
            if has("plan") && (has("addon_service") || has("billed_price")) {
                f |= Item::ADDONS;
            }
            if has("name") && has("memory") && (has("compute") || has("dedicated")) {
                f |= Item::SIZES;
            }
            if has("dynos") && (has("apps") || has("teams")) && (has("month") || has("date")) {
                f |= Item::USAGE;
            }
            if has("name") && (has("web_url") || has("stack") || has("git_url")) {
                f |= Item::APPS;
            }
            f
        }
    }

    /// The formats every element of an array fits, and the first element's keys.
    pub struct Items {
        pub len: usize,
        every: u8,
        pub first_keys: Vec<String>,
    }

    impl Items {
        pub fn all(&self, format: u8) -> bool {
            self.every & format != 0
        }
    }

    /// A top-level object's keys and what its values are.
    pub struct Object {
        pub keys: Vec<String>,
        /// Every value is an array of formation entries (`{"app": [formation…]}`).
        pub all_values_formations: bool,
        /// `apps` is an array of objects, none a formation entry (this tool's import JSON).
        pub apps_are_apps: bool,
    }

    impl Object {
        pub fn has(&self, key: &str) -> bool {
            self.keys.iter().any(|k| k == key)
        }
    }

    pub enum Shape {
        Array(Items),
        Object(Object),
        Other,
    }

    /// An element's keys (values skipped); `None` when it is not an object.
    struct Keys {
        bits: Option<u32>,
        names: Vec<String>,
        keep_names: bool,
    }

    struct KeysVisitor(bool);

    impl<'de> Visitor<'de> for KeysVisitor {
        type Value = Keys;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("any JSON value")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Keys, A::Error> {
            let mut bits = 0;
            let mut names = Vec::new();
            while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                bits |= bit(&key);
                if self.0 && names.len() < 8 {
                    names.push(key.into_owned());
                }
                map.next_value::<IgnoredAny>()?;
            }
            Ok(Keys { bits: Some(bits), names, keep_names: self.0 })
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Keys, A::Error> {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            Ok(Keys { bits: None, names: vec![], keep_names: self.0 })
        }
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<Keys, E> {
            Ok(Keys { bits: None, names: vec![], keep_names: self.0 })
        }
        fn visit_i64<E: de::Error>(self, _: i64) -> Result<Keys, E> {
            self.visit_bool(false)
        }
        fn visit_u64<E: de::Error>(self, _: u64) -> Result<Keys, E> {
            self.visit_bool(false)
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<Keys, E> {
            self.visit_bool(false)
        }
        fn visit_str<E: de::Error>(self, _: &str) -> Result<Keys, E> {
            self.visit_bool(false)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Keys, E> {
            self.visit_bool(false)
        }
    }

    struct FirstKeys;
    impl<'de> de::DeserializeSeed<'de> for FirstKeys {
        type Value = Keys;
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Keys, D::Error> {
            d.deserialize_any(KeysVisitor(true))
        }
    }
    impl<'de> Deserialize<'de> for Keys {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Keys, D::Error> {
            d.deserialize_any(KeysVisitor(false))
        }
    }

    /// An array's elements as [`Items`]; anything else as `None`.
    struct ArrayVisitor;

    impl<'de> Visitor<'de> for ArrayVisitor {
        type Value = Option<Items>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("any JSON value")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Option<Items>, A::Error> {
            let mut items = Items { len: 0, every: u8::MAX, first_keys: vec![] };
            let mut all_objects_no_formation = true;
            while let Some(k) =
                if items.len == 0 { seq.next_element_seed(FirstKeys)? } else { seq.next_element::<Keys>()? }
            {
                if k.keep_names {
                    items.first_keys = k.names;
                }
                let fits = k.bits.map_or(0, Item::fits);
                all_objects_no_formation &= k.bits.is_some() && fits & Item::FORMATION == 0;
                items.every &= fits;
                items.len += 1;
            }
            // Reuse the spare bit: every element is an object that is not a formation entry.
            if all_objects_no_formation {
                items.every |= 128;
            } else {
                items.every &= !128;
            }
            Ok(Some(items))
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Option<Items>, A::Error> {
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            Ok(None)
        }
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<Option<Items>, E> {
            Ok(None)
        }
        fn visit_i64<E: de::Error>(self, _: i64) -> Result<Option<Items>, E> {
            Ok(None)
        }
        fn visit_u64<E: de::Error>(self, _: u64) -> Result<Option<Items>, E> {
            Ok(None)
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<Option<Items>, E> {
            Ok(None)
        }
        fn visit_str<E: de::Error>(self, _: &str) -> Result<Option<Items>, E> {
            Ok(None)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Option<Items>, E> {
            Ok(None)
        }
    }

    struct Value(Option<Items>);
    impl<'de> Deserialize<'de> for Value {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Value, D::Error> {
            d.deserialize_any(ArrayVisitor).map(Value)
        }
    }

    struct ShapeVisitor;

    impl<'de> Visitor<'de> for ShapeVisitor {
        type Value = Shape;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("any JSON value")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Shape, A::Error> {
            ArrayVisitor.visit_seq(seq).map(|i| Shape::Array(i.expect("an array")))
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Shape, A::Error> {
            let mut o = Object { keys: vec![], all_values_formations: true, apps_are_apps: false };
            while let Some(key) = map.next_key::<String>()? {
                let Value(items) = map.next_value()?;
                o.all_values_formations &= items.as_ref().is_some_and(|i| i.len == 0 || i.all(Item::FORMATION));
                if key == "apps" {
                    o.apps_are_apps = items.as_ref().is_some_and(|i| i.every & 128 != 0);
                }
                o.keys.push(key);
            }
            Ok(Shape::Object(o))
        }
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<Shape, E> {
            Ok(Shape::Other)
        }
        fn visit_i64<E: de::Error>(self, _: i64) -> Result<Shape, E> {
            Ok(Shape::Other)
        }
        fn visit_u64<E: de::Error>(self, _: u64) -> Result<Shape, E> {
            Ok(Shape::Other)
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<Shape, E> {
            Ok(Shape::Other)
        }
        fn visit_str<E: de::Error>(self, _: &str) -> Result<Shape, E> {
            Ok(Shape::Other)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Shape, E> {
            Ok(Shape::Other)
        }
    }

    impl<'de> Deserialize<'de> for Shape {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Shape, D::Error> {
            d.deserialize_any(ShapeVisitor)
        }
    }
}

fn detect_text(file: &str, bytes: &[u8]) -> Result<Format, ImportError> {
    // Only the head: logs can be gigabytes. A partial last line is fine for sniffing.
    let head = &bytes[..bytes.len().min(64 * 1024)];
    let text = String::from_utf8_lossy(head);
    let lines: Vec<&str> = text.lines().map(str::trim).filter(|l| !l.is_empty()).take(200).collect();
    if let Some(first) = lines.first() {
        if let Some(format) = super::billing::header_format(first) {
            return Ok(format);
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
