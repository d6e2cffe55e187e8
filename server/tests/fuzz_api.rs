//! Bad input at every endpoint, in process: random bytes, random JSON and the sample scenario
//! with one field replaced by random JSON, with random query strings and ids. Whatever comes
//! in, the answer is never a 5xx, nothing panics, the server keeps serving and the database
//! stays consistent.
//!
//! `PROPTEST_CASES=20000 cargo test --release -p tco-server --test fuzz_api` for a long run.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use proptest::prelude::*;
use serde_json::Value;
use std::sync::OnceLock;
use tco_server::store::Store;
use tco_server::{build_app, AppState};
use tower::ServiceExt;

struct Fixture {
    runtime: tokio::runtime::Runtime,
    app: Router,
    store: Store,
    id: String,
    token: String,
    sample: Value,
    _dir: tempfile::TempDir,
}

/// One server for every case, so state builds up across them as it would in use.
fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let store = runtime.block_on(Store::open_dir(dir.path())).unwrap();
        let app = build_app(AppState::new(None).with_store(store.clone()));
        let sample = serde_json::to_value(tco_server::sample::scenario(tco_pricing_data::embedded()).unwrap()).unwrap();
        let (id, token) = runtime.block_on(async {
            let (_, saved) = send(&app, "POST", "/api/v1/scenarios", sample.to_string().into_bytes()).await;
            let id = saved["id"].as_str().unwrap().to_string();
            let (_, share) = send(&app, "POST", &format!("/api/v1/scenarios/{id}/share"), Vec::new()).await;
            (id, share["token"].as_str().unwrap().to_string())
        });
        Fixture { runtime, app, store, id, token, sample, _dir: dir }
    })
}

async fn send(app: &Router, method: &str, uri: &str, body: Vec<u8>) -> (StatusCode, Value) {
    let request = Request::builder().method(method).uri(uri).body(Body::from(body)).unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

fn json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        prop_oneof![Just(0.0), Just(-1.0), Just(1e308), Just(1e-9), Just(0.5)].prop_map(Value::from),
        "[a-zA-Z0-9 ._-]{0,12}".prop_map(Value::String),
        prop_oneof![Just("Standard-2X"), Just("ecs-ec2"), Just("us-east-1"), Just("c5.large"), Just("spot")]
            .prop_map(|s| Value::String(s.into())),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{1,24}", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// The sample with the value at one path (picked by `steps`) replaced by `value`.
fn mutate(sample: &Value, steps: &[usize], value: Value) -> Value {
    let mut doc = sample.clone();
    replace_in(&mut doc, steps, value);
    doc
}

fn replace_in(at: &mut Value, steps: &[usize], value: Value) {
    let Some((step, rest)) = steps.split_first() else {
        *at = value;
        return;
    };
    let child = match at {
        Value::Object(m) if !m.is_empty() => {
            let key = m.keys().nth(step % m.len()).unwrap().clone();
            m.get_mut(&key)
        }
        Value::Array(a) if !a.is_empty() => {
            let i = step % a.len();
            a.get_mut(i)
        }
        _ => None,
    };
    match child {
        Some(c) if c.is_object() || c.is_array() => replace_in(c, rest, value),
        Some(c) => *c = value,
        None => *at = value,
    }
}

#[derive(Debug, Clone)]
enum Payload {
    Bytes(Vec<u8>),
    Json(Value),
    Mutated(Vec<usize>, Value),
    Sample,
}

fn payload() -> impl Strategy<Value = Payload> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..256).prop_map(Payload::Bytes),
        json().prop_map(Payload::Json),
        (prop::collection::vec(any::<usize>(), 1..6), json()).prop_map(|(p, v)| Payload::Mutated(p, v)),
        Just(Payload::Sample),
    ]
}

fn endpoint() -> impl Strategy<Value = (&'static str, &'static str)> {
    prop::sample::select(vec![
        ("GET", "/api/v1/health"),
        ("GET", "/api/v1/sample"),
        ("GET", "/api/v1/catalog"),
        ("GET", "/api/catalog"),
        ("POST", "/api/v1/import"),
        ("POST", "/api/import"),
        ("POST", "/api/v1/estimate"),
        ("POST", "/api/estimate"),
        ("GET", "/api/v1/scenarios"),
        ("POST", "/api/v1/scenarios"),
        ("GET", "/api/v1/scenarios/{id}"),
        ("PUT", "/api/v1/scenarios/{id}"),
        ("DELETE", "/api/v1/scenarios/{id}"),
        ("GET", "/api/v1/scenarios/{id}/revisions"),
        ("POST", "/api/v1/scenarios/{id}/reprice"),
        ("POST", "/api/v1/scenarios/{id}/share"),
        ("DELETE", "/api/v1/scenarios/{id}/share/{token}"),
        ("GET", "/api/v1/shared/{token}"),
        ("GET", "/api/openapi.json"),
        ("PATCH", "/api/v1/scenarios/{id}"),
    ])
}

/// A query string of known and unknown keys with odd values.
fn query() -> impl Strategy<Value = String> {
    let key = prop_oneof![
        Just("format"),
        Just("from"),
        Just("app"),
        Just("filename"),
        Just("per_page"),
        Just("page"),
        Just("min_vcpu"),
        Just("max_memory_gib"),
        Just("arch"),
        Just("sort"),
        Just("desc"),
        Just("family"),
        Just("zzz"),
    ];
    let value = prop_oneof![
        "[a-z0-9.,_-]{0,10}",
        Just("-1".to_string()),
        Just("99999999999999999999".to_string()),
        Just("NaN".to_string()),
        Just("%FF%00".to_string()),
        Just("xlsx".to_string()),
        Just("csv".to_string()),
        Just("heroku-logs".to_string()),
    ];
    prop::collection::vec((key, value), 0..4)
        .prop_map(|pairs| pairs.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&"))
}

/// An id or token: the real one, another one that may exist, or junk (URL-safe).
fn ident() -> impl Strategy<Value = Option<String>> {
    prop_oneof![Just(None), "[A-Za-z0-9_~.-]{0,64}".prop_map(Some), Just(Some("%2e%2e".to_string()))]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    #[test]
    fn no_input_gets_a_5xx_or_breaks_the_server(
        (method, path) in endpoint(),
        payload in payload(),
        query in query(),
        id in ident(),
        token in ident(),
        revision in prop_oneof![Just(None), Just(Some(Value::from(1))), json().prop_map(Some)],
    ) {
        let f = fixture();
        let path = path
            .replace("{id}", id.as_deref().unwrap_or(&f.id))
            .replace("{token}", token.as_deref().unwrap_or(&f.token));
        let uri = if query.is_empty() { path } else { format!("{path}?{query}") };
        let body = match payload {
            Payload::Bytes(b) => b,
            Payload::Json(v) => v.to_string().into_bytes(),
            Payload::Mutated(steps, v) => {
                let mut doc = mutate(&f.sample, &steps, v);
                if let (Some(r), Some(o)) = (revision, doc.as_object_mut()) {
                    o.insert("revision".into(), r);
                }
                doc.to_string().into_bytes()
            }
            Payload::Sample => f.sample.to_string().into_bytes(),
        };
        // A fresh scenario to delete, so deletes do not empty the database for later cases.
        let uri = if method == "DELETE" && id.is_none() && !uri.contains("/share/") {
            let created = f.runtime.block_on(send(&f.app, "POST", "/api/v1/scenarios", f.sample.to_string().into_bytes()));
            uri.replace(&f.id, created.1["id"].as_str().unwrap())
        } else {
            uri
        };
        let (status, answer) = f.runtime.block_on(send(&f.app, method, &uri, body));
        prop_assert!(!status.is_server_error(), "{method} {uri}: {status} {answer}");
        if status.is_client_error() {
            prop_assert!(answer["error"]["code"].is_string(), "{method} {uri}: {status} without the error shape: {answer}");
            prop_assert_eq!(answer["error"]["status"].as_u64(), Some(u64::from(status.as_u16())));
        }
        let (health, _) = f.runtime.block_on(send(&f.app, "GET", "/api/v1/health", Vec::new()));
        prop_assert_eq!(health, StatusCode::OK);
    }
}

#[test]
fn after_the_battery_the_database_is_consistent_and_the_fixture_still_reads() {
    // Runs the battery's fixture through a few hostile writes of its own, then checks.
    let f = fixture();
    f.runtime.block_on(async {
        let uri = format!("/api/v1/scenarios/{}", f.id);
        for body in ["", "{", "null", r#"{"revision":1}"#, r#"{"revision":1,"workloads":{"apps":7}}"#] {
            let (status, _) = send(&f.app, "PUT", &uri, body.as_bytes().to_vec()).await;
            assert!(status.is_client_error(), "{body}: {status}");
        }
        assert_eq!(f.store.check_consistency().await.unwrap(), Vec::<String>::new());
        let (status, _) = send(&f.app, "GET", "/api/v1/scenarios", Vec::new()).await;
        assert_eq!(status, StatusCode::OK);
    });
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Whatever was thrown at it, every save left a scenario whose history ends at its revision.
    #[test]
    fn the_database_stays_consistent(steps in prop::collection::vec(any::<usize>(), 1..6), value in json()) {
        let f = fixture();
        let doc = mutate(&f.sample, &steps, value);
        f.runtime.block_on(async {
            let _ = send(&f.app, "POST", "/api/v1/scenarios", doc.to_string().into_bytes()).await;
        });
        let problems = f.runtime.block_on(f.store.check_consistency()).unwrap();
        prop_assert!(problems.is_empty(), "{problems:?}");
    }
}

/// Every number in the sample scenario, as a path of object keys and array positions.
fn number_paths(v: &Value, at: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    match v {
        Value::Number(_) => out.push(at.clone()),
        Value::Object(map) => {
            for (k, x) in map {
                at.push(k.clone());
                number_paths(x, at, out);
                at.pop();
            }
        }
        Value::Array(items) => {
            for (i, x) in items.iter().enumerate() {
                at.push(i.to_string());
                number_paths(x, at, out);
                at.pop();
            }
        }
        _ => {}
    }
}

fn set_path(v: &mut Value, path: &[String], value: Value) {
    let Some((last, parents)) = path.split_last() else { return };
    let mut at = v;
    for step in parents {
        at = match at {
            Value::Object(map) => map.get_mut(step).unwrap(),
            Value::Array(items) => &mut items[step.parse::<usize>().unwrap()],
            _ => return,
        };
    }
    match at {
        Value::Object(map) => {
            map.insert(last.clone(), value);
        }
        Value::Array(items) => items[last.parse::<usize>().unwrap()] = value,
        _ => {}
    }
}

/// Numbers at and past every edge: zero, negatives, the largest integers, decimals beyond
/// exact money's range, tiny fractions, huge floats.
fn extreme_number() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(json_number("0")),
        Just(json_number("-1")),
        Just(json_number("4294967295")),
        Just(json_number("4294967296")),
        Just(json_number("18446744073709551615")),
        Just(json_number("1e28")),
        Just(json_number("7e28")),
        Just(json_number("1e29")),
        Just(json_number("1e308")),
        Just(json_number("1e-9")),
        Just(json_number("-1e308")),
        Just(json_number("0.5")),
    ]
}

fn json_number(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// The estimate endpoint with one or two of the sample's numbers (and the assumptions'
    /// numbers, set) at extreme values: a report or a 4xx naming the problem, never a 5xx, and
    /// the server answers afterwards.
    #[test]
    fn extreme_numbers_in_an_estimate_never_get_a_5xx(
        picks in prop::collection::vec((any::<prop::sample::Index>(), extreme_number()), 1..3),
        extra in prop::sample::select(vec![
            "replicas", "headroom", "hours_per_month", "availability_zones", "tco_months", "millicores_per_compute_unit",
            "scale_up_margin", "sizing_memory_headroom", "ecs_reserved_memory_mib",
        ]),
        extra_value in extreme_number(),
    ) {
        let f = fixture();
        let mut doc = f.sample.clone();
        doc["assumptions"][extra] = extra_value;
        let mut paths = Vec::new();
        number_paths(&f.sample, &mut Vec::new(), &mut paths);
        for (index, value) in picks {
            set_path(&mut doc, &paths[index.index(paths.len())], value);
        }
        let (status, body) = f.runtime.block_on(send(&f.app, "POST", "/api/v1/estimate", doc.to_string().into_bytes()));
        prop_assert!(status.is_success() || status.is_client_error(), "{status}: {body}");
        if status.is_client_error() {
            prop_assert!(body["error"]["message"].as_str().is_some_and(|m| !m.is_empty()), "{body}");
        }
    }
}
