//! Property tests of the importers: whatever the bytes, importing never panics, errors name the
//! file, line numbers stay within the file, streaming does not depend on the buffer size, and
//! valid formations round-trip to the dyno counts they declare.
//!
//! Each test runs a modest number of cases by default (the whole file takes seconds in debug);
//! `PROPTEST_CASES=200000 cargo test --release -p tco-server --test fuzz_importers` runs long.

use proptest::prelude::*;
use proptest::test_runner::Config as ProptestConfig;
use std::io::BufReader;
use std::sync::OnceLock;
use tco_engine::{Assumptions, Workloads};
use tco_server::import::{import_file, logs, Context, ImportError, InputFile};

/// `default_cases` unless `PROPTEST_CASES` says otherwise; no regression files are written.
fn config(default_cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(default_cases);
    ProptestConfig { cases, failure_persistence: None, ..ProptestConfig::default() }
}

fn assumptions() -> &'static Assumptions {
    static A: OnceLock<Assumptions> = OnceLock::new();
    A.get_or_init(Assumptions::default)
}

fn ctx() -> Context<'static> {
    Context::new(tco_pricing_data::embedded(), assumptions())
}

/// Bytes that print as an escaped byte string, so a failing case can be read and replayed.
#[derive(Clone, PartialEq, Eq)]
struct Bytes(Vec<u8>);

impl std::fmt::Debug for Bytes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "b\"{}\"", self.0.escape_ascii())
    }
}

fn newlines(bytes: &[u8]) -> u64 {
    bytes.iter().filter(|b| **b == b'\n').count() as u64
}

/// Every line number a result carries (warnings, processes' origins) is within the file.
fn check_lines(name: &str, bytes: &[u8], w: &Workloads) -> Result<(), TestCaseError> {
    let last = newlines(bytes) + 1;
    for warning in &w.warnings {
        prop_assert_eq!(&warning.file, name);
        if let Some(line) = warning.line {
            prop_assert!(line >= 1 && line <= last, "warning at line {} of {}: {:?}", line, last, warning);
        }
    }
    for p in w.apps.iter().flat_map(|a| &a.processes) {
        if let Some(line) = p.origin.as_ref().and_then(|o| o.line) {
            prop_assert!(line >= 1 && line <= last, "process {} from line {} of {}", p.name, line, last);
        }
    }
    Ok(())
}

/// Ok, or an error that starts with the file's name and points inside the file.
fn check_import(name: &str, bytes: &[u8]) -> Result<(), TestCaseError> {
    match import_file(InputFile { name, bytes }, ctx(), None) {
        Ok((_, w)) => {
            check_lines(name, bytes, &w)?;
            // The import JSON can always be written.
            prop_assert!(serde_json::to_string(&w).is_ok());
        }
        Err(e) => {
            let shown = e.to_string();
            prop_assert!(shown.starts_with(name), "{:?} does not start with {:?}", shown, name);
            if let Some(line) = e.line {
                prop_assert!(line >= 1 && line <= newlines(bytes) + 1, "error at line {}: {}", line, shown);
            }
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Valid inputs, to mutate.

const FORMATION: &str = include_str!("../samples/heroku-formation.json");
const FORMATION_SMALL: &str = r#"[{"app":{"name":"shop"},"type":"web","quantity":3,"size":"standard-2x","command":"puma"},
 {"app":{"name":"shop"},"type":"worker","quantity":1,"dyno_size":{"name":"Performance-L"}},
 {"app":{"name":"blog"},"type":"web","quantity":2,"size":"1X"}]"#;
const FORMATION_MAP: &str =
    r#"{"a":[{"type":"web","quantity":1,"size":"Basic"}],"b":[{"type":"web","quantity":2,"size":"Eco"}]}"#;
const PS: &str = "=== run: one-off processes (1)\n\nrun.1 (Eco): up 2026/08/04 11:00:00 +0000 (~ 1h ago): bash\n\n\
=== web (Standard-2X): bundle exec puma -C config/puma.rb (2)\n\n\
web.1: up 2024/05/16 10:13:20 +0000 (~ 1h ago)\nweb.2: up 2024/05/16 10:13:21 +0000 (~ 1h ago)\n\n\
=== worker (Performance-M): bundle exec sidekiq (1)\nworker.1: crashed 2024/05/16 10:13:22 +0000 (~ 1h ago)\n";
const PS_TYPE: &str = "=== Process Types\n\n type     size          qty   cost/hour   max cost/month\n\
─────────────────────────────────────────────────────────\n web      Standard-1X   1     ~$0.035     $25\n\
 worker   Standard-2X   2     ~$0.139     $100\n\n=== Dyno Totals\n type          total\n────\n Standard-1X   1\n";
const PS_SCALE: &str = "web=3:Standard-2X worker=1:Performance-L\n";
const LOG: &str = "\
2024-05-13T10:20:01.123456+00:00 heroku[web.1]: source=web.1 dyno=heroku.123.abc sample#memory_total=300.00MB sample#memory_rss=300.00MB sample#memory_cache=0.00MB sample#memory_swap=0.00MB sample#memory_pgpgin=1pages sample#memory_pgpgout=1pages sample#memory_quota=512.00MB
2024-05-13T10:20:03.000000+00:00 heroku[web.1]: source=web.1 dyno=heroku.123.abc sample#load_avg_1m=0.50 sample#load_avg_5m=0.40 sample#load_avg_15m=0.30
2024-05-13T10:20:05.000000+00:00 app[web.1]: Started GET /
2024-05-13T10:20:05.100000+00:00 heroku[router]: at=info method=GET path=\"/\" host=x.herokuapp.com request_id=1 fwd=\"1.2.3.4\" dyno=web.1 connect=0ms service=14ms status=200 bytes=1520 protocol=https
2024-05-13T11:20:06.100000+00:00 heroku[router]: at=error code=H12 desc=\"Request timeout\" method=GET path=/ host=x request_id=3 fwd=\"1.2.3.4\" dyno=web.2 connect= service=30000ms status=503 bytes=0 protocol=http
2024-05-13T11:30:01+00:00 heroku[worker.1]: Process running mem=1100M(107.4%)
2024-05-13T11:30:01+00:00 heroku[worker.1]: Error R14 (Memory quota exceeded)
334 <45>1 2024-05-13T10:20:01.581780+00:00 host heroku web.1 - source=web.1 dyno=heroku.123.abc sample#memory_total=154.85MB sample#memory_rss=139.79MB sample#memory_quota=512.00MB
283 <158>1 2024-05-13T12:20:05.100000-05:00 host heroku router - at=info method=GET path=\"/\" host=x.herokuapp.com dyno=web.4ed720fa31-ur8z1 status=200
Nov 21 14:14:58 clinic heroku/worker.1: Error R15 (Memory quota vastly exceeded)
";
const DYNOS: &str = r#"[
  {"app":{"id":"1","name":"shop"},"attach_url":null,"command":"bash","name":"run.1","size":"Standard-1X","state":"up","type":"run"},
  {"app":{"id":"1","name":"shop"},"command":"puma","name":"web.1","size":"Standard-2X","state":"up","type":"web"},
  {"app":{"id":"1","name":"shop"},"command":"sidekiq","name":"worker.1","size":"Performance-M","state":"down","type":"worker"}
]"#;
const ADDONS: &str = r#"[
  {"app":{"name":"shop"},"name":"db","plan":{"name":"heroku-postgresql:standard-0","price":{"cents":5000,"unit":"month"}},"addon_service":{"name":"heroku-postgresql"},"state":"provisioned"},
  {"name":"redis","plan":{"name":"heroku-redis:mini"},"billed_price":{"cents":300,"unit":"month","contract":false},"addon_service":{"name":"heroku-redis"}}
]"#;
const DYNO_SIZES: &str = r#"[{"name":"Basic","memory":0.5,"compute":1,"dedicated":false,"cost":{"cents":700}},
 {"name":"Performance-L","memory":14,"compute":50,"dedicated":true}]"#;
const APPS: &str = r#"[{"name":"shop","web_url":"https://shop.herokuapp.com/","stack":{"name":"heroku-24"},"space":{"name":"s1","shield":false}},
 {"name":"blog","web_url":"https://blog.herokuapp.com/"}]"#;
const USAGE: &str = r#"[
  {"addons":10.0,"month":"2026-09","dynos":2.0,"apps":[{"addons":10.0,"app_name":"shop","dynos":2.0}]},
  {"addons":250.0,"date":"2026-10-01","dynos":4.5,"apps":[{"addons":200.0,"app_name":"shop","dynos":4.0},{"addons":50.0,"app_name":"blog","dynos":0.5}]}
]"#;

const FOCUS: &str = "BillingPeriodStart,ProviderName,ServiceName,ChargeCategory,CommitmentDiscountStatus,ResourceId,RegionId,SkuMeter,ConsumedQuantity,BilledCost,EffectiveCost,BillingCurrency,x_ServiceCode,x_Operation
2026-10-01T00:00:00Z,AWS,Amazon Elastic Compute Cloud,Usage,,i-0eee00000000000e5,us-east-1,USE1-BoxUsage:m5.large,744,71.424,71.424,USD,AmazonEC2,RunInstances
2026-10-01T00:00:00Z,AWS,Amazon Simple Storage Service,Usage,,bucket,us-east-1,,10,1.5,1.5,USD,AmazonS3,PutObject
2026-10-01T00:00:00Z,AWS,Amazon Elastic Compute Cloud,Credit,,,,,,-5,-5,USD,AmazonEC2,
";

fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes).expect("writes to memory");
    e.finish().expect("finishes in memory")
}

/// Valid inputs of every format, as (file name, bytes); the import JSON is made by importing.
fn seeds() -> &'static [(&'static str, Vec<u8>)] {
    static SEEDS: OnceLock<Vec<(&'static str, Vec<u8>)>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let mut seeds: Vec<(&'static str, Vec<u8>)> = vec![
            ("heroku-formation.json", FORMATION.into()),
            ("formation.json", FORMATION_SMALL.into()),
            ("formations.json", FORMATION_MAP.into()),
            ("ps.txt", PS.into()),
            ("ps-type.txt", PS_TYPE.into()),
            ("scale.txt", PS_SCALE.into()),
            ("app.log", LOG.into()),
            ("dynos.json", DYNOS.into()),
            ("addons.json", ADDONS.into()),
            ("sizes.json", DYNO_SIZES.into()),
            ("apps.json", APPS.into()),
            ("usage.json", USAGE.into()),
            ("ec2-instances.json", include_bytes!("fixtures/good/ec2-instances.json").to_vec()),
            ("cloudwatch-metric-data.json", include_bytes!("fixtures/good/cloudwatch-metric-data.json").to_vec()),
            (
                "cloudwatch-statistics-i-0123456789abcdef1.json",
                include_bytes!("fixtures/good/cloudwatch-statistics-i-0123456789abcdef1.json").to_vec(),
            ),
            ("aws-cur.csv", include_bytes!("fixtures/good/aws-cur.csv").to_vec()),
            ("aws-cur.csv.gz", gzip(include_bytes!("fixtures/good/aws-cur.csv"))),
            ("focus.csv", FOCUS.into()),
            ("csv-template.csv", include_bytes!("fixtures/good/csv-template.csv").to_vec()),
        ];
        for (name, bytes) in seeds.clone() {
            let (_, w) = import_file(InputFile { name, bytes: &bytes }, ctx(), None)
                .unwrap_or_else(|e| panic!("seed {name} must import: {e}"));
            if name == "heroku-formation.json" {
                seeds.push(("import.json", serde_json::to_vec(&w).expect("serializes")));
            }
        }
        seeds
    })
}

#[test]
fn every_seed_is_valid() {
    assert_eq!(seeds().len(), 20);
}

/// Pieces that steer mutations into the parsers' interesting paths.
#[rustfmt::skip]
const TOKENS: &[&str] = &[
    "\n", "\r\n", "\"", "{", "}", "[", "]", ",", ":", "=", " (", "): ", "=== ", "\u{FEFF}", "é", "€", "😀",
    "-1", "0", "4294967296", "1e999", "1e28", "79228162514264337593543950335", "NaN", "null", "true",
    "\"apps\"", "\"processes\"", "\"quantity\"", "\"type\"", "\"size\"", "\"date\"", "\"month\"",
    "sample#memory_rss=", "sample#load_avg_1m=", "sample#memory_quota=", "source=", "dyno=", "heroku[router]",
    " heroku router ", "Error R14", "Error R15", "heroku[", "heroku/", "app[", "T", "+00:00", "Z",
    "2024-05-13T10:", "i-0", "c5.2xlarge", "\"Values\"", "\"Timestamps\"", "\"Datapoints\"", "\"Instances\"",
    ",,", "/", "\"\"", "Z/2026-11-01T00:00:00Z", "9999999999999999999",
];

#[derive(Debug, Clone)]
enum Mutation {
    Flip(usize, u8),
    Insert(usize, u8),
    Delete(usize, usize),
    Token(usize, usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), 0u8..8).prop_map(|(at, bit)| Mutation::Flip(at, bit)),
        (any::<usize>(), any::<u8>()).prop_map(|(at, b)| Mutation::Insert(at, b)),
        (any::<usize>(), 1usize..16).prop_map(|(at, n)| Mutation::Delete(at, n)),
        (any::<usize>(), 0..TOKENS.len()).prop_map(|(at, t)| Mutation::Token(at, t)),
    ]
}

fn mutate(mut bytes: Vec<u8>, mutations: &[Mutation]) -> Vec<u8> {
    for m in mutations {
        let len = bytes.len();
        match *m {
            Mutation::Flip(at, bit) if len > 0 => bytes[at % len] ^= 1 << bit,
            Mutation::Insert(at, b) => bytes.insert(at % (len + 1), b),
            Mutation::Delete(at, n) if len > 0 => {
                let from = at % len;
                bytes.drain(from..(from + n).min(len));
            }
            Mutation::Token(at, t) => {
                let at = at % (len + 1);
                bytes.splice(at..at, TOKENS[t].bytes());
            }
            _ => {}
        }
    }
    bytes
}

/// Arbitrary bytes, and text made of the tokens above mixed with arbitrary bytes.
fn junk() -> impl Strategy<Value = Bytes> {
    let bytes = prop_oneof![
        prop::collection::vec(any::<u8>(), 0..4096),
        prop::collection::vec(
            prop_oneof![
                (0..TOKENS.len()).prop_map(|t| TOKENS[t].as_bytes().to_vec()),
                prop::collection::vec(any::<u8>(), 1..8),
                "[a-z0-9 .-]{1,12}".prop_map(String::into_bytes),
            ],
            0..200
        )
        .prop_map(|parts| parts.concat()),
    ];
    bytes.prop_map(Bytes)
}

fn file_name() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec!["input.json", "app.log", "ps.txt", "dir/näme with spaces.txt", "-", ""])
}

// ---------------------------------------------------------------------------------------------
// (b) logs: bytes and log-like lines.

/// A log line assembled from plausible and implausible parts.
fn log_line() -> impl Strategy<Value = String> {
    let timestamp = prop_oneof![
        Just(String::new()),
        (2000u32..2100, 1u32..13, 1u32..29, 0u32..24, 0u32..60)
            .prop_map(|(y, mo, d, h, mi)| format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:01.123456+00:00 ")),
        "[0-9T:+Z.-]{0,40} ",
        Just("Nov 21 14:14:58 clinic ".to_string()),
        Just("99999-1-1T99:00:00-99:00 ".to_string()),
    ];
    let dyno = prop_oneof![
        "(web|worker|clock|run)\\.[0-9]{1,3}",
        "web\\.[0-9a-f]{10}-[a-z0-9]{5}",
        "[a-z]{0,6}",
        "\\PC{0,8}",
        Just("web.99999999999999999999".to_string()),
    ];
    let number = prop_oneof![
        "[0-9]{1,4}\\.[0-9]{2}",
        Just("1e300".to_string()),
        Just("18446744073709551616".to_string()),
        Just("-1".to_string()),
        Just("NaN".to_string()),
        Just("inf".to_string()),
        Just("".to_string()),
        Just("0.000001".to_string()),
        "\\PC{0,4}",
    ];
    let unit = prop::sample::select(vec!["MB", "M", "", "pages", "GB", "é"]);
    let field = prop_oneof![
        (number.clone(), unit.clone()).prop_map(|(n, u)| format!("sample#memory_rss={n}{u}")),
        (number.clone(), unit).prop_map(|(n, u)| format!("sample#memory_quota={n}{u}")),
        number.prop_map(|n| format!("sample#load_avg_1m={n}")),
        dyno.clone().prop_map(|d| format!("source={d}")),
        dyno.clone().prop_map(|d| format!("dyno={d}")),
        dyno.clone().prop_map(|d| format!("dyno=\"{d}")),
        Just("heroku[router]:".to_string()),
        Just("Error R14 (Memory quota exceeded)".to_string()),
        Just("Error R15".to_string()),
        Just("at=info method=GET path=\"/\" status=200".to_string()),
        "\\PC{0,12}",
    ];
    let head = prop_oneof![
        dyno.clone().prop_map(|d| format!("heroku[{d}]: ")),
        dyno.clone().prop_map(|d| format!("app[{d}]: ")),
        dyno.clone().prop_map(|d| format!("heroku/{d}: ")),
        dyno.clone().prop_map(|d| format!("host heroku {d} - ")),
        Just("host heroku router - ".to_string()),
        Just("heroku[router]: ".to_string()),
        Just(String::new()),
    ];
    let framing = prop_oneof![Just(String::new()), Just("334 <45>1 ".to_string()), "[0-9]{1,3} <[0-9]{1,3}>1 "];
    (framing, timestamp, head, prop::collection::vec(field, 0..8), prop::sample::select(vec!["\n", "\r\n", ""]))
        .prop_map(|(f, t, h, fields, end)| format!("{f}{t}{h}{}{end}", fields.join(" ")))
}

fn log_bytes() -> impl Strategy<Value = Bytes> {
    let bytes = prop_oneof![
        prop::collection::vec(any::<u8>(), 0..4096),
        prop::collection::vec(log_line(), 0..40).prop_map(|lines| lines.concat().into_bytes()),
        (prop::collection::vec(log_line(), 1..20), prop::collection::vec(mutation(), 1..8))
            .prop_map(|(lines, m)| mutate(lines.concat().into_bytes(), &m)),
    ];
    bytes.prop_map(Bytes)
}

/// A valid input of any format, mutated: (file name, bytes).
fn mutated_seed() -> impl Strategy<Value = (&'static str, Bytes)> {
    (0..seeds().len(), prop::collection::vec(mutation(), 1..12)).prop_map(|(seed, mutations)| {
        let (name, bytes) = &seeds()[seed];
        (*name, Bytes(mutate(bytes.clone(), &mutations)))
    })
}

fn import_log(bytes: &[u8], capacity: Option<usize>) -> Workloads {
    let result = match capacity {
        Some(c) => logs::import("fuzz.log", BufReader::with_capacity(c, bytes), ctx(), &mut |_| {}),
        None => logs::import("fuzz.log", bytes, ctx(), &mut |_| {}),
    };
    result.expect("reading from memory cannot fail")
}

// ---------------------------------------------------------------------------------------------
// (c) formations.

/// Heroku app names: lowercase letters, digits and dashes, starting with a letter (`apps`
/// included: see `regression_formation_map_with_an_empty_app_named_apps`).
fn app_name() -> impl Strategy<Value = String> {
    "[a-z][a-z0-9-]{2,29}"
}

/// A catalog dyno size name in random case.
fn size_name() -> impl Strategy<Value = String> {
    let names: Vec<String> = tco_pricing_data::embedded().dyno_sizes.iter().map(|s| s.name.clone()).collect();
    (prop::sample::select(names), any::<u64>()).prop_map(|(name, mask)| {
        name.chars()
            .enumerate()
            .map(|(i, c)| if mask >> (i % 64) & 1 == 1 { c.to_ascii_uppercase() } else { c.to_ascii_lowercase() })
            .collect()
    })
}

/// (process type → (quantity, size, size given as `dyno_size.name`)) per app.
type Formations = std::collections::BTreeMap<String, std::collections::BTreeMap<String, (u32, String, bool)>>;

fn formations() -> impl Strategy<Value = Formations> {
    let process = (0u32..50, size_name(), any::<bool>());
    let app = prop::collection::btree_map("[a-z][a-z0-9_]{0,15}", process, 0..6);
    prop::collection::btree_map(app_name(), app, 1..5)
}

fn formation_entry(
    app: Option<&str>,
    process_type: &str,
    quantity: u32,
    size: &str,
    nested: bool,
) -> serde_json::Value {
    let mut e = serde_json::json!({ "type": process_type, "quantity": quantity, "command": "bin/run" });
    if nested {
        e["dyno_size"] = serde_json::json!({ "name": size, "id": "00000000-0000-0000-0000-000000000000" });
    } else {
        e["size"] = serde_json::json!(size);
    }
    if let Some(app) = app {
        e["app"] = serde_json::json!({ "name": app, "id": "1" });
    }
    e
}

// ---------------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(config(256))]

    /// (a) Arbitrary bytes: Ok, or an error naming the file.
    #[test]
    fn any_bytes_import_or_fail_with_the_file_name(name in file_name(), bytes in junk()) {
        check_import(name, &bytes.0)?;
    }

    /// (a) Valid inputs of every format with bytes flipped, inserted and deleted.
    #[test]
    fn mutated_valid_inputs_import_or_fail_with_the_file_name((name, bytes) in mutated_seed()) {
        check_import(name, &bytes.0)?;
    }

    /// (b) Logs: never a panic, line numbers within the file, and the same result whatever the
    /// read buffer's size.
    #[test]
    fn logs_import_any_bytes_with_any_buffer(bytes in log_bytes(), capacity in 1usize..64) {
        let w = import_log(&bytes.0, Some(capacity));
        check_lines("fuzz.log", &bytes.0, &w)?;
        prop_assert_eq!(w, import_log(&bytes.0, None));
    }

    /// (c) Generated formations, as an array or an object of apps, import to processes whose
    /// replicas add up to the quantities.
    #[test]
    fn formations_round_trip_their_quantities(f in formations(), as_map in any::<bool>()) {
        let declared: u64 = f.values().flat_map(|a| a.values()).map(|p| u64::from(p.0)).sum();
        let entries = f.values().map(|a| a.len()).sum::<usize>();
        // An empty array is refused, rightly: no entries at all make an object of empty apps.
        let as_map = as_map || entries == 0;
        let doc = if as_map {
            serde_json::Value::Object(
                f.iter()
                    .map(|(app, procs)| {
                        let list = procs.iter().map(|(t, (q, s, n))| formation_entry(None, t, *q, s, *n)).collect();
                        (app.clone(), serde_json::Value::Array(list))
                    })
                    .collect(),
            )
        } else {
            serde_json::Value::Array(
                f.iter()
                    .flat_map(|(app, procs)| {
                        procs.iter().map(move |(t, (q, s, n))| formation_entry(Some(app), t, *q, s, *n))
                    })
                    .collect(),
            )
        };
        let bytes = serde_json::to_vec_pretty(&doc).expect("serializes");
        let (_, w) = import_file(InputFile { name: "formation.json", bytes: &bytes }, ctx(), None)
            .map_err(|e| TestCaseError::fail(format!("{e}")))?;
        let replicas: u64 = w.apps.iter().flat_map(|a| &a.processes).map(|p| u64::from(p.replicas)).sum();
        prop_assert_eq!(replicas, declared);
        for (app, procs) in &f {
            for (t, (q, s, _)) in procs {
                let p = w.apps.iter().find(|a| &a.name == app).and_then(|a| a.processes.iter().find(|p| &p.name == t));
                let p = p.ok_or_else(|| TestCaseError::fail(format!("{app}/{t} missing")))?;
                prop_assert_eq!(p.replicas, *q);
                prop_assert!(p.size.as_deref().is_some_and(|c| c.eq_ignore_ascii_case(s)), "{:?} for {}", p.size, s);
            }
        }
    }
}

proptest! {
    // 64 KiB lines are slower to build; a tenth of the cases.
    #![proptest_config(config(32))]

    /// (b) Lines around the 64 KiB limit are kept or skipped alike whatever the buffer size.
    #[test]
    fn logs_line_limit_does_not_depend_on_the_buffer(
        lengths in prop::collection::vec(logs::MAX_LINE_BYTES - 4..logs::MAX_LINE_BYTES + 4, 1..4),
        capacity in prop_oneof![1usize..64, 4000usize..70_000],
        crlf in any::<bool>(),
        trailing_newline in any::<bool>(),
    ) {
        let sample = "2024-05-13T10:00:00+00:00 heroku[web.1]: source=web.1 sample#memory_rss=10.00MB ";
        let mut bytes = Vec::new();
        for (i, len) in lengths.iter().enumerate() {
            let mut line = sample.as_bytes().to_vec();
            line.resize(*len - usize::from(crlf), b'x');
            if crlf {
                line.push(b'\r');
            }
            bytes.extend_from_slice(&line);
            if i + 1 < lengths.len() || trailing_newline {
                bytes.push(b'\n');
            }
        }
        let w = import_log(&bytes, Some(capacity));
        check_lines("fuzz.log", &bytes, &w)?;
        let kept = lengths.iter().filter(|l| **l <= logs::MAX_LINE_BYTES).count() as u64;
        let samples = w.apps.first().map_or(0, |a| a.processes[0].measured.as_ref().map_or(0, |m| m.samples));
        prop_assert_eq!(samples, kept, "lengths {:?}", lengths);
        prop_assert_eq!(w, import_log(&bytes, None));
    }
}

/// The import error type is what the brief's assertion relies on: the file comes first.
#[test]
fn an_import_error_displays_its_file_first() {
    let e = ImportError::at("f.json", Some(3), Some("[0].size".into()), "bad");
    assert_eq!(e.to_string(), "f.json: line 3: field `[0].size`: bad");
}

// ---------------------------------------------------------------------------------------------
// Bugs these tests found, fixed, and kept as regression tests with their minimal inputs.

fn import_catching(name: &str, bytes: &[u8]) -> std::thread::Result<Result<Workloads, ImportError>> {
    let bytes = bytes.to_vec();
    let name = name.to_string();
    std::panic::catch_unwind(move || import_file(InputFile { name: &name, bytes: &bytes }, ctx(), None).map(|r| r.1))
}

const USAGE_MULTIBYTE_DATE: &str = r#"[{"date":"2026-1é-01","dynos":1,"apps":[]}]"#;
const USAGE_HUGE_DYNOS: &str = r#"[{"month":"2026-10","dynos":1e28,"apps":[]}]"#;
const USAGE_HUGE_CREDITS: &str =
    r#"[{"month":"2026-10","dynos":0,"apps":[{"app_name":"a","addons":7e28},{"app_name":"b","addons":7e28}]}]"#;

#[test]
fn regression_usage_date_with_a_multibyte_character() {
    let r = import_catching("usage.json", USAGE_MULTIBYTE_DATE.as_bytes());
    assert!(r.is_ok(), "panicked");
}

#[test]
fn regression_usage_huge_dyno_units() {
    let r = import_catching("usage.json", USAGE_HUGE_DYNOS.as_bytes());
    assert!(r.is_ok(), "panicked");
}

#[test]
fn regression_usage_huge_addon_credits() {
    let r = import_catching("usage.json", USAGE_HUGE_CREDITS.as_bytes());
    assert!(r.is_ok(), "panicked");
}

#[test]
fn regression_formation_map_with_an_empty_app_named_apps() {
    let text = br#"{"apps":[],"shop":[{"type":"web","quantity":2,"size":"Basic"}]}"#;
    let (format, w) = import_file(InputFile { name: "f.json", bytes: text }, ctx(), None).expect("imports");
    let replicas: u32 = w.apps.iter().flat_map(|a| &a.processes).map(|p| p.replicas).sum();
    assert_eq!(replicas, 2, "detected as {format:?}: shop's 2 dynos dropped");
}

#[test]
fn regression_import_reader_detects_json_from_a_short_read() {
    use tco_server::import::import_reader;
    let bytes = FORMATION_SMALL.as_bytes();
    let whole = import_file(InputFile { name: "f.json", bytes }, ctx(), None).expect("imports whole");
    // A pipe (stdin) or a file over the 1 MiB buffer gives less than the document in one read.
    let r = import_reader("f.json", BufReader::with_capacity(64, bytes), ctx(), None, &mut |_| {});
    assert_eq!(r.map(|x| x.1), Ok(whole.1));
}
