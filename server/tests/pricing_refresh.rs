//! `tco pricing refresh` against a local replay of the AWS Price List Query API: a server on
//! 127.0.0.1 that answers `AWSPriceListService.GetProducts` like AWS does (awsJson1.1), from
//! the elements in `tests/fixtures/pricing/getproducts/`. Nothing here reaches AWS.

use aws_sdk_pricing::config::retry::RetryConfig;
use aws_sdk_pricing::config::{BehaviorVersion, Credentials, Region};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use rust_decimal::Decimal;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tco_engine::catalog::Arch;
use tco_server::pricing::refresh::{self, RefreshError};

const AWS_JSON: &str = "application/x-amz-json-1.1";

// ---------------------------------------------------------------------------------------------
// The replay server.

/// One scripted answer.
#[derive(Clone)]
enum Reply {
    /// `{"FormatVersion":"aws_v1","PriceList":[…],"NextToken":…}`.
    Page { price_list: Vec<String>, next_token: Option<String> },
    /// An AWS JSON error: `{"__type":…,"message":…}` with this status.
    Error { status: u16, kind: &'static str, message: &'static str },
}

/// A request as the server saw it.
#[derive(Clone, Debug)]
struct Seen {
    target: Option<String>,
    content_type: Option<String>,
    authorization: Option<String>,
    body: Value,
}

impl Seen {
    fn service_code(&self) -> &str {
        self.body["ServiceCode"].as_str().unwrap_or("")
    }
    fn next_token(&self) -> Option<&str> {
        self.body["NextToken"].as_str()
    }
    /// `field=value` for every TERM_MATCH filter (other types are spelled out in full).
    fn filters(&self) -> BTreeSet<String> {
        let list = self.body["Filters"].as_array().cloned().unwrap_or_default();
        list.iter()
            .map(|f| match (&f["Type"], f["Field"].as_str(), f["Value"].as_str()) {
                (t, Some(field), Some(value)) if t == "TERM_MATCH" => format!("{field}={value}"),
                _ => f.to_string(),
            })
            .collect()
    }
    fn region_code(&self) -> String {
        self.filters().iter().find_map(|f| f.strip_prefix("regionCode=").map(str::to_string)).unwrap_or_default()
    }
    /// `ServiceCode:productFamily` when the request filters on a family, else the ServiceCode
    /// (several queries go to AmazonEC2: instances, NAT gateways, EBS storage).
    fn scope(&self) -> String {
        match self.filters().iter().find_map(|f| f.strip_prefix("productFamily=").map(str::to_string)) {
            Some(family) => format!("{}:{family}", self.service_code()),
            None => self.service_code().to_string(),
        }
    }
}

/// Answers by (ServiceCode, regionCode filter, NextToken), or by (`ServiceCode:productFamily`,
/// …) when that is scripted; each key's replies are served in order and the last one repeats.
#[derive(Default)]
struct Script {
    replies: HashMap<(String, String, Option<String>), VecDeque<Reply>>,
    seen: Vec<Seen>,
}

#[derive(Clone, Default)]
struct Replay(Arc<Mutex<Script>>);

impl Replay {
    fn on(&self, service: &str, region: &str, token: Option<&str>, replies: Vec<Reply>) -> &Self {
        let key = (service.to_string(), region.to_string(), token.map(str::to_string));
        self.0.lock().unwrap().replies.insert(key, replies.into());
        self
    }

    /// Serves `elements` as pages of `per_page`, chained by tokens `<service>-<region>-<n>`.
    fn pages(&self, service: &str, region: &str, elements: &[Value], per_page: usize) -> &Self {
        let chunks: Vec<&[Value]> = if elements.is_empty() { vec![&[]] } else { elements.chunks(per_page).collect() };
        for (i, chunk) in chunks.iter().enumerate() {
            let token = (i > 0).then(|| format!("{service}-{region}-{i}"));
            let next_token = (i + 1 < chunks.len()).then(|| format!("{service}-{region}-{}", i + 1));
            let price_list = chunk.iter().map(Value::to_string).collect();
            self.on(service, region, token.as_deref(), vec![Reply::Page { price_list, next_token }]);
        }
        self
    }

    /// Puts `first` before whatever the first page of (service, region) answers.
    fn first_answer(&self, service: &str, region: &str, first: Reply) -> &Self {
        let mut script = self.0.lock().unwrap();
        let queue = script.replies.get_mut(&(service.to_string(), region.to_string(), None)).expect("scripted");
        queue.push_front(first);
        self
    }

    fn seen(&self) -> Vec<Seen> {
        self.0.lock().unwrap().seen.clone()
    }

    /// Starts serving on 127.0.0.1; returns the endpoint URL.
    async fn start(&self) -> String {
        let app = axum::Router::new().route("/", axum::routing::post(answer)).with_state(self.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        format!("http://{addr}")
    }
}

fn aws_error(status: u16, kind: &str, message: &str) -> Response {
    let status = StatusCode::from_u16(status).unwrap();
    let body = json!({ "__type": kind, "message": message }).to_string();
    (status, [(header::CONTENT_TYPE, AWS_JSON)], body).into_response()
}

async fn answer(State(replay): State<Replay>, headers: HeaderMap, body: Bytes) -> Response {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_string);
    let seen = Seen {
        target: text("x-amz-target"),
        content_type: text("content-type"),
        authorization: text("authorization"),
        body: serde_json::from_slice(&body).unwrap_or(Value::Null),
    };
    let mut script = replay.0.lock().unwrap();
    script.seen.push(seen.clone());
    if seen.target.as_deref() != Some("AWSPriceListService.GetProducts") {
        return aws_error(400, "UnknownOperationException", "not GetProducts");
    }
    if seen.body["FormatVersion"] != "aws_v1" {
        return aws_error(400, "InvalidParameterException", "FormatVersion must be aws_v1");
    }
    let key = |service: String| (service, seen.region_code(), seen.next_token().map(str::to_string));
    let key = Some(key(seen.scope()))
        .filter(|k| script.replies.contains_key(k))
        .unwrap_or_else(|| key(seen.service_code().to_string()));
    let Some(queue) = script.replies.get_mut(&key) else {
        return aws_error(400, "InvalidNextTokenException", "nothing scripted for this request");
    };
    let reply = if queue.len() > 1 { queue.pop_front().unwrap() } else { queue[0].clone() };
    match reply {
        Reply::Page { price_list, next_token } => {
            let mut body = json!({ "FormatVersion": "aws_v1", "PriceList": price_list });
            if let Some(t) = next_token {
                body["NextToken"] = Value::String(t);
            }
            (StatusCode::OK, [(header::CONTENT_TYPE, AWS_JSON)], body.to_string()).into_response()
        }
        Reply::Error { status, kind, message } => aws_error(status, kind, message),
    }
}

// ---------------------------------------------------------------------------------------------
// Fixtures and helpers.

fn fixture(name: &str) -> Vec<Value> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pricing/getproducts").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

fn throttled() -> Reply {
    Reply::Error { status: 400, kind: "ThrottlingException", message: "Rate exceeded" }
}

/// A client as a test would build one by hand: static fake credentials, us-east-1, the replay
/// endpoint, quick retries (the standard retry mode, 3 attempts, 10 ms first backoff).
fn client(endpoint_url: &str) -> aws_sdk_pricing::Client {
    let config = aws_sdk_pricing::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("AKIDTEST", "secret", None, None, "test"))
        .endpoint_url(endpoint_url)
        .retry_config(RetryConfig::standard().with_max_attempts(3).with_initial_backoff(Duration::from_millis(10)))
        .build();
    aws_sdk_pricing::Client::from_conf(config)
}

fn usd(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn expected_ec2_filters(region: &str) -> BTreeSet<String> {
    [
        format!("regionCode={region}"),
        "operatingSystem=Linux".into(),
        "tenancy=Shared".into(),
        "preInstalledSw=NA".into(),
        "capacitystatus=Used".into(),
        "marketoption=OnDemand".into(),
        "licenseModel=No License required".into(),
        "productFamily=Compute Instance".into(),
    ]
    .into()
}

fn assert_signed_get_products(seen: &[Seen]) {
    for s in seen {
        assert_eq!(s.target.as_deref(), Some("AWSPriceListService.GetProducts"), "{s:?}");
        assert_eq!(s.content_type.as_deref(), Some(AWS_JSON), "{s:?}");
        let auth = s.authorization.as_deref().unwrap_or("");
        assert!(auth.starts_with("AWS4-HMAC-SHA256 Credential=AKIDTEST/"), "signed with the test key: {auth}");
        assert!(auth.contains("/us-east-1/pricing/aws4_request"), "signed for the Price List API in us-east-1: {auth}");
    }
}

/// `element` with one JSON-pointer location replaced (or removed, for `Value::Null`).
fn with(element: &Value, pointer: &str, value: Value) -> Value {
    let mut e = element.clone();
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    let parent = e.pointer_mut(parent).unwrap().as_object_mut().unwrap();
    if value.is_null() {
        parent.remove(key);
    } else {
        parent.insert(key.to_string(), value);
    }
    e
}

fn price_pointer(element: &Value) -> String {
    let sku = element["product"]["sku"].as_str().unwrap();
    format!("/terms/OnDemand/{sku}.JRTCKXETXF/priceDimensions/{sku}.JRTCKXETXF.6YS6EN2CT7/pricePerUnit/USD")
}

/// (replay scope, fixture) of every supporting-service query a us-east-1 refresh makes.
const SERVICE_FIXTURES: [(&str, &str); 11] = [
    ("AmazonEKS", "eks-us-east-1.json"),
    ("AWSELB:Load Balancer-Application", "elb-us-east-1.json"),
    ("AmazonEC2:NAT Gateway", "ec2-nat-us-east-1.json"),
    ("AmazonEC2:Storage", "ec2-ebs-us-east-1.json"),
    ("awskms", "kms-us-east-1.json"),
    ("AWSSecretsManager", "secretsmanager-us-east-1.json"),
    ("AmazonVPC", "vpc-us-east-1.json"),
    ("AmazonCloudWatch", "cloudwatch-us-east-1.json"),
    ("AmazonRDS:Database Storage", "rds-storage-us-east-1.json"),
    // The node-class queries (fetch_node_classes).
    ("AmazonRDS:Database Instance", "rds-us-east-1.json"),
    ("AmazonElastiCache:Cache Instance", "elasticache-us-east-1.json"),
];

/// Scripts every supporting-service query for us-east-1 from its fixture, but `except`'s
/// (scope, elements) instead of the fixture.
fn script_services(replay: &Replay, except: Option<(&str, Vec<Value>)>) {
    for (scope, file) in SERVICE_FIXTURES {
        let elements = match &except {
            Some((s, elements)) if *s == scope => elements.clone(),
            _ => fixture(file),
        };
        replay.pages(scope, "us-east-1", &elements, 2);
    }
}

// ---------------------------------------------------------------------------------------------
// fetch_ec2 and fetch_fargate against the replay.

#[tokio::test]
async fn pages_are_joined_and_every_request_carries_the_filters() {
    let elements = fixture("ec2-us-east-1.json");
    let replay = Replay::default();
    replay.pages("AmazonEC2", "us-east-1", &elements, 3);
    let url = replay.start().await;

    let offers = refresh::fetch_ec2(&client(&url), "us-east-1").await.unwrap();

    let types: Vec<&str> = offers.iter().map(|o| o.instance_type.as_str()).collect();
    assert_eq!(types, ["c5.2xlarge", "c7i.2xlarge", "m6g.large", "m7g.large", "t3.micro"], "both pages, sorted");
    let c5 = &offers[0];
    assert_eq!(c5.region, "us-east-1");
    assert_eq!(c5.usd_per_hour, usd("0.357"));
    assert_eq!((c5.vcpu, c5.memory_gib, c5.arch), (Some(8), Some(usd("16")), Some(Arch::X86_64)));
    assert_eq!(c5.source, "AWS Price List Query API GetProducts AmazonEC2 version 20261120173508");
    assert_eq!(c5.as_of, "2026-11-20");
    let m6g = &offers[2];
    assert_eq!((m6g.usd_per_hour, m6g.arch), (usd("0.077"), Some(Arch::Arm64)), "Graviton is arm64");
    assert_eq!(offers[4].memory_gib, Some(usd("1")));

    let seen = replay.seen();
    assert_eq!(seen.len(), 2, "two pages, two calls: {seen:?}");
    assert_signed_get_products(&seen);
    for s in &seen {
        assert_eq!(s.service_code(), "AmazonEC2");
        assert_eq!(s.body["FormatVersion"], "aws_v1");
        assert_eq!(s.body["MaxResults"], 100);
        assert_eq!(s.filters(), expected_ec2_filters("us-east-1"));
    }
    assert_eq!(seen[0].next_token(), None);
    assert_eq!(seen[1].next_token(), Some("AmazonEC2-us-east-1-1"), "the second call sends the first page's token");
}

#[tokio::test]
async fn the_same_type_twice_keeps_the_lowest_price_and_odd_specs_are_read() {
    let elements = fixture("ec2-us-east-1.json");
    let c5 = &elements[0];
    // A second c5.2xlarge element (another SKU), dearer: the cheaper one stays.
    let dearer = with(&with(c5, &price_pointer(c5), json!("0.4000000000")), "/product/sku", json!("ZZZZDUPLICATESKU"));
    // Memory with a thousands separator and an "arm" architecture without "Graviton".
    let big = with(
        &with(&elements[3], "/product/attributes/memory", json!("1,952 GiB")),
        "/product/attributes/processorArchitecture",
        json!("arm64"),
    );
    let big = with(&big, "/product/attributes/physicalProcessor", json!("Unnamed Arm core"));
    let replay = Replay::default();
    replay.pages("AmazonEC2", "us-east-1", &[dearer, c5.clone(), big], 100);
    let url = replay.start().await;

    let offers = refresh::fetch_ec2(&client(&url), "us-east-1").await.unwrap();
    assert_eq!(offers.len(), 2);
    assert_eq!((offers[0].instance_type.as_str(), offers[0].usd_per_hour), ("c5.2xlarge", usd("0.357")));
    assert_eq!((offers[1].memory_gib, offers[1].arch), (Some(usd("1952")), Some(Arch::Arm64)));
}

#[tokio::test]
async fn a_throttled_call_is_retried_by_the_sdk() {
    let replay = Replay::default();
    replay.pages("AmazonEC2", "us-east-1", &fixture("ec2-us-east-1.json"), 100);
    replay.first_answer("AmazonEC2", "us-east-1", throttled());
    let url = replay.start().await;

    let offers = refresh::fetch_ec2(&client(&url), "us-east-1").await.unwrap();
    assert_eq!(offers.len(), 5);
    let seen = replay.seen();
    assert_eq!(seen.len(), 2, "one throttled call, one retry");
    assert_signed_get_products(&seen);
    assert_eq!(seen[0].body, seen[1].body, "the retry is the same request");
}

#[tokio::test]
async fn throttling_that_does_not_stop_fails_after_the_retries() {
    let replay = Replay::default();
    replay.on("AmazonEC2", "us-east-1", None, vec![throttled()]);
    let url = replay.start().await;

    let err = refresh::fetch_ec2(&client(&url), "us-east-1").await.unwrap_err();
    assert!(matches!(err, RefreshError::Api { .. }), "{err:?}");
    let message = err.to_string();
    assert!(message.starts_with("GetProducts AmazonEC2 for us-east-1 failed"), "{message}");
    assert!(message.contains("ThrottlingException") && message.contains("Rate exceeded"), "{message}");
    assert_eq!(replay.seen().len(), 3, "max attempts");
}

/// Serves `elements` in pages of 2 and returns fetch_ec2's error.
async fn ec2_error(elements: Vec<Value>) -> RefreshError {
    let replay = Replay::default();
    replay.pages("AmazonEC2", "us-east-1", &elements, 2);
    let url = replay.start().await;
    refresh::fetch_ec2(&client(&url), "us-east-1").await.unwrap_err()
}

#[tokio::test]
async fn a_malformed_element_is_an_error_naming_its_sku_and_field() {
    let good = fixture("ec2-us-east-1.json");
    let t3 = &good[4];
    let sku = "CMDKTVE5K2HUQEPE";

    // A non-numeric price.
    let mut elements = good.clone();
    elements[4] = with(t3, &price_pointer(t3), json!("0.01O4"));
    let err = ec2_error(elements).await;
    let RefreshError::Element(e) = &err else { panic!("{err:?}") };
    assert_eq!((e.sku.as_deref(), e.page, e.index), (Some(sku), 3, 0));
    assert_eq!(e.field, price_pointer(t3)[1..].replace('/', "."));
    let message = err.to_string();
    assert!(message.contains(&format!("SKU {sku} (page 3, PriceList[0])")), "{message}");
    assert!(message.contains("pricePerUnit.USD`: `0.01O4` is not a number"), "{message}");

    // No price at all.
    let mut elements = good.clone();
    elements[4] = with(t3, "/terms/OnDemand", json!({}));
    let message = ec2_error(elements).await.to_string();
    assert!(message.contains(sku) && message.contains("field `terms.OnDemand`: missing"), "{message}");

    // A zero price (the catalog needs a positive one).
    let mut elements = good.clone();
    elements[4] = with(t3, &price_pointer(t3), json!("0.0000000000"));
    let message = ec2_error(elements).await.to_string();
    assert!(message.contains(sku) && message.contains("is not a positive price"), "{message}");

    // No instance type.
    let mut elements = good.clone();
    elements[1] = with(&good[1], "/product/attributes/instanceType", Value::Null);
    let message = ec2_error(elements).await.to_string();
    assert!(
        message.contains("SKU 7WHGGCZM8ZJR8QZ4") && message.contains("`product.attributes.instanceType`"),
        "{message}"
    );

    // A string that is not JSON: named by the SKU it seems to carry, or by its place.
    let mut strings: Vec<String> = good.iter().map(Value::to_string).collect();
    let cut = strings[1].len() - 10;
    strings[1].truncate(cut);
    strings.push("{\"product\":".into());
    let replay = Replay::default();
    replay.on("AmazonEC2", "us-east-1", None, vec![Reply::Page { price_list: strings.clone(), next_token: None }]);
    let url = replay.start().await;
    let message = refresh::fetch_ec2(&client(&url), "us-east-1").await.unwrap_err().to_string();
    assert!(
        message.contains("SKU 7WHGGCZM8ZJR8QZ4 (page 1, PriceList[1])") && message.contains("not JSON"),
        "{message}"
    );
    strings.remove(1);
    replay.on("AmazonEC2", "us-east-1", None, vec![Reply::Page { price_list: strings, next_token: None }]);
    let message = refresh::fetch_ec2(&client(&url), "us-east-1").await.unwrap_err().to_string();
    assert!(message.contains("page 1, PriceList[4] (no readable SKU)") && message.contains("not JSON"), "{message}");
}

#[tokio::test]
async fn an_empty_answer_is_an_error_not_an_empty_region() {
    let replay = Replay::default();
    replay.pages("AmazonEC2", "us-east-7", &[], 100);
    let url = replay.start().await;
    let err = refresh::fetch_ec2(&client(&url), "us-east-7").await.unwrap_err();
    assert!(matches!(err, RefreshError::NoOffers { .. }), "{err:?}");
}

#[tokio::test]
async fn fargate_prices_are_read_from_amazon_ecs() {
    let replay = Replay::default();
    replay.pages("AmazonECS", "us-east-1", &fixture("ecs-us-east-1.json"), 5);
    let url = replay.start().await;

    let offers = refresh::fetch_fargate(&client(&url), "us-east-1").await.unwrap();
    let got: Vec<(&str, Decimal)> = offers.iter().map(|o| (o.id.as_str(), o.usd)).collect();
    assert_eq!(
        got,
        [
            ("fargate-linux-x86-vcpu", usd("0.04")),
            ("fargate-linux-x86-gb", usd("0.004445")),
            ("fargate-linux-arm-vcpu", usd("0.03238")),
            ("fargate-linux-arm-gb", usd("0.00356")),
            ("fargate-ephemeral-storage-gb", usd("0.000111")),
        ],
        "Windows, Spot and ECS-on-EC2 metering are not Fargate Linux prices"
    );
    assert_eq!(
        offers[0].source,
        "AWS Price List Query API GetProducts AmazonECS (USE1-Fargate-vCPU-Hours:perCPU) version 20261118201544"
    );
    assert_eq!(offers[0].as_of, "2026-11-18");
    let seen = replay.seen();
    assert_eq!(seen.len(), 2);
    assert_signed_get_products(&seen);
    for s in &seen {
        assert_eq!(s.service_code(), "AmazonECS");
        assert_eq!(s.filters(), BTreeSet::from(["regionCode=us-east-1".to_string()]));
    }
}

#[tokio::test]
async fn supporting_service_prices_are_read_per_service_code() {
    let replay = Replay::default();
    script_services(&replay, None);
    let url = replay.start().await;

    let offers = refresh::fetch_services(&client(&url), "us-east-1").await.unwrap();
    let got: Vec<(&str, Decimal)> = offers.iter().map(|o| (o.id.as_str(), o.usd)).collect();
    assert_eq!(
        got,
        [
            ("eks-cluster-standard", usd("0.1")),
            ("eks-cluster-extended", usd("0.6")),
            ("alb-hour", usd("0.0225")),
            ("alb-lcu-hour", usd("0.008")),
            ("nat-gateway-hour", usd("0.045")),
            ("nat-gateway-gb", usd("0.045")),
            ("ebs-gp3-gb-month", usd("0.08")),
            ("kms-key-month", usd("1")),
            ("secrets-manager-secret-month", usd("0.4")),
            ("transit-gateway-attachment-hour", usd("0.05")),
            ("transit-gateway-gb", usd("0.02")),
            ("rds-gp3-gb-month", usd("0.115")),
            ("cloudwatch-logs-ingest-gb", usd("0.5")),
        ],
        "the NLB hour, EKS on Outposts, KMS requests, VPC endpoints and Infrequent Access logs are \
         not these prices; Transit Gateway data is the first tier (beginRange 0), not 0.015"
    );
    let by_id = |id: &str| offers.iter().find(|o| o.id == id).unwrap();
    let eks = by_id("eks-cluster-extended");
    assert_eq!(
        eks.source,
        "AWS Price List Query API GetProducts AmazonEKS (USE1-AmazonEKS-Hours:extendedSupport) version 20261119093012"
    );
    assert_eq!(eks.as_of, "2026-11-19");
    assert_eq!((eks.description.as_deref(), eks.unit.as_deref()), (None, None), "a known row: price only");
    let kms = by_id("kms-key-month");
    assert_eq!(kms.source, "AWS Price List Query API GetProducts awskms (us-east-1-KMS-Keys) version 20261119093012");
    assert_eq!(kms.unit.as_deref(), Some("per key-month"));
    assert!(kms.description.is_some());

    let seen = replay.seen();
    assert_signed_get_products(&seen);
    let filters = |scope: &str| -> Vec<BTreeSet<String>> {
        seen.iter().filter(|s| s.scope() == scope).map(Seen::filters).collect()
    };
    let set = |fs: &[&str]| fs.iter().map(|f| f.to_string()).collect::<BTreeSet<String>>();
    assert_eq!(filters("AmazonEKS"), vec![set(&["regionCode=us-east-1"]); 2], "two pages");
    assert_eq!(
        filters("AWSELB:Load Balancer-Application"),
        vec![set(&["regionCode=us-east-1", "productFamily=Load Balancer-Application"]); 2],
        "two pages, both filtered"
    );
    assert_eq!(filters("AmazonEC2:NAT Gateway"), [set(&["regionCode=us-east-1", "productFamily=NAT Gateway"])]);
    assert_eq!(
        filters("AmazonEC2:Storage"),
        [set(&["regionCode=us-east-1", "productFamily=Storage", "volumeApiName=gp3"])]
    );
    assert_eq!(filters("AmazonVPC").len(), 2);
    assert_eq!(
        filters("AmazonRDS:Database Storage"),
        vec![set(&["regionCode=us-east-1", "productFamily=Database Storage"]); 2],
        "RDS storage: Multi-AZ and gp2 neighbours on the first page, gp3 on the second"
    );
    assert_eq!(seen.len(), 13);
}

#[tokio::test]
async fn a_service_with_nothing_for_an_id_is_not_an_error() {
    let replay = Replay::default();
    let kms_requests_only = vec![fixture("kms-us-east-1.json")[1].clone()];
    script_services(&replay, Some(("awskms", kms_requests_only)));
    replay.pages("AmazonCloudWatch", "us-east-1", &[], 100);
    let url = replay.start().await;
    let offers = refresh::fetch_services(&client(&url), "us-east-1").await.unwrap();
    let ids: Vec<&str> = offers.iter().map(|o| o.id.as_str()).collect();
    assert_eq!(ids.len(), 11, "{ids:?}");
    assert!(!ids.contains(&"kms-key-month") && !ids.contains(&"cloudwatch-logs-ingest-gb"), "{ids:?}");
}

#[tokio::test]
async fn rds_postgresql_and_elasticache_prices_are_read_one_row_per_class() {
    let replay = Replay::default();
    script_services(&replay, None);
    let url = replay.start().await;

    let offers = refresh::fetch_node_classes(&client(&url), "us-east-1").await.unwrap();
    let got: Vec<(&str, Decimal)> = offers.iter().map(|o| (o.id.as_str(), o.usd)).collect();
    assert_eq!(
        got,
        [
            ("elasticache-redis:cache.m6g.large", usd("0.149")),
            ("elasticache-redis:cache.r6g.large", usd("0.206")),
            ("elasticache-redis:cache.t4g.micro", usd("0.016")),
            ("elasticache-valkey:cache.m6g.large", usd("0.119")),
            ("rds-postgresql:db.m6g.large:multi-az", usd("0.318")),
            ("rds-postgresql:db.m6g.large:single-az", usd("0.159")),
            ("rds-postgresql:db.r6g.large:single-az", usd("0.225")),
            ("rds-postgresql:db.t4g.medium:multi-az", usd("0.13")),
            ("rds-postgresql:db.t4g.medium:single-az", usd("0.065")),
        ],
        "MySQL, Memcached, a Multi-AZ DB cluster and Outposts are not these prices; \
         db.m6g.large Single-AZ listed twice keeps the lower price"
    );
    let by_id = |id: &str| offers.iter().find(|o| o.id == id).unwrap();
    let db = by_id("rds-postgresql:db.m6g.large:multi-az");
    assert_eq!(
        db.description.as_deref(),
        Some("RDS for PostgreSQL db.m6g.large (Multi-AZ, one standby, 2 vCPU, 8 GiB)")
    );
    assert_eq!(db.unit.as_deref(), Some("per instance-hour"), "a new row: described, with its unit");
    assert_eq!(
        db.source,
        "AWS Price List Query API GetProducts AmazonRDS (Multi-AZUsage:db.m6g.large) version 20261119093012"
    );
    assert_eq!(db.as_of, "2026-11-19");
    let cache = by_id("elasticache-valkey:cache.m6g.large");
    assert_eq!(cache.description.as_deref(), Some("ElastiCache Valkey cache.m6g.large (node, 2 vCPU, 6.38 GiB)"));
    assert_eq!(cache.unit.as_deref(), Some("per node-hour"));

    let seen = replay.seen();
    assert_signed_get_products(&seen);
    let filters: Vec<BTreeSet<String>> = seen.iter().map(Seen::filters).collect();
    let set = |fs: &[&str]| fs.iter().map(|f| f.to_string()).collect::<BTreeSet<String>>();
    assert!(filters.contains(&set(&[
        "regionCode=us-east-1",
        "productFamily=Database Instance",
        "databaseEngine=PostgreSQL"
    ])));
    assert!(filters.contains(&set(&["regionCode=us-east-1", "productFamily=Cache Instance"])));
}

#[tokio::test]
async fn a_malformed_rds_element_is_an_error_naming_its_sku_and_field() {
    let mut rds = fixture("rds-us-east-1.json");
    let sku = rds[2]["product"]["sku"].as_str().unwrap().to_string();
    let pointer = price_pointer(&rds[2]);
    rds[2] = with(&rds[2], &pointer, Value::String("free".into()));
    let replay = Replay::default();
    script_services(&replay, Some(("AmazonRDS:Database Instance", rds)));
    let url = replay.start().await;
    let e = refresh::fetch_node_classes(&client(&url), "us-east-1").await.unwrap_err().to_string();
    assert!(e.contains(&format!("GetProducts AmazonRDS for us-east-1: SKU {sku}")), "{e}");
    assert!(e.contains("pricePerUnit.USD`: `free` is not a number"), "{e}");
}

/// Serves the service fixtures with `scope`'s replaced by `elements`; returns the error.
async fn service_error(scope: &str, elements: Vec<Value>) -> RefreshError {
    let replay = Replay::default();
    script_services(&replay, Some((scope, elements)));
    let url = replay.start().await;
    refresh::fetch_services(&client(&url), "us-east-1").await.unwrap_err()
}

#[tokio::test]
async fn a_malformed_service_element_is_an_error_naming_its_sku_and_field() {
    // A KMS key price that is not a number.
    let kms = fixture("kms-us-east-1.json");
    let key = with(&kms[0], &price_pointer(&kms[0]), json!("one dollar"));
    let err = service_error("awskms", vec![key, kms[1].clone()]).await;
    let RefreshError::Element(e) = &err else { panic!("{err:?}") };
    assert_eq!(
        (e.service_code.as_str(), e.sku.as_deref(), e.page, e.index),
        ("awskms", Some("PU598H4N67L85GBH"), 1, 0)
    );
    let message = err.to_string();
    assert!(message.starts_with("GetProducts awskms for us-east-1: SKU PU598H4N67L85GBH"), "{message}");
    assert!(message.contains("pricePerUnit.USD`: `one dollar` is not a number"), "{message}");

    // A Secrets Manager secret priced in another unit: no dimension to read.
    let sm = fixture("secretsmanager-us-east-1.json");
    let dim = price_pointer(&sm[0]).replace("/pricePerUnit/USD", "/unit");
    let message = service_error("AWSSecretsManager", vec![with(&sm[0], &dim, json!("Requests"))]).await.to_string();
    assert!(
        message.contains("SKU 2QQ8B9JLWTHH69ME") && message.contains("no price dimension with unit `Secrets`"),
        "{message}"
    );

    // A NAT gateway hour without beginRange (the first tier cannot be told).
    let nat = fixture("ec2-nat-us-east-1.json");
    let begin = price_pointer(&nat[0]).replace("/pricePerUnit/USD", "/beginRange");
    let message = service_error("AmazonEC2:NAT Gateway", vec![with(&nat[0], &begin, Value::Null), nat[1].clone()])
        .await
        .to_string();
    assert!(message.contains("SKU JQLLE28CHWA38HFU") && message.contains("beginRange`: missing"), "{message}");

    // A Transit Gateway element from another region.
    let vpc = fixture("vpc-us-east-1.json");
    let elsewhere = with(&vpc[1], "/product/attributes/regionCode", json!("eu-west-1"));
    let message = service_error("AmazonVPC", vec![elsewhere]).await.to_string();
    assert!(message.contains("SKU U76W4QDDEBR6333T") && message.contains("not the region asked for"), "{message}");
}

// ---------------------------------------------------------------------------------------------
// `tco pricing refresh` end to end: the `tco` binary (which calls `refresh::run`) in a child
// process whose environment alone holds the fake credentials.

struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("tco-pricing-refresh-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Every file in `dir` with its bytes.
fn contents(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (e.file_name().to_string_lossy().into_owned(), std::fs::read(e.path()).unwrap())
        })
        .collect()
}

/// Runs `tco --catalog DIR pricing refresh --region … --endpoint-url URL`; returns (success,
/// stdout, stderr).
async fn tco_refresh(home: &Path, catalog: &Path, regions: &[&str], url: &str) -> (bool, String, String) {
    let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_tco"));
    cmd.arg("--catalog").arg(catalog).args(["pricing", "refresh"]);
    for r in regions {
        cmd.args(["--region", r]);
    }
    cmd.args(["--endpoint-url", url]);
    // Only the fake key: empty config files, no profile, no instance metadata, no other AWS_* or
    // TCO_* setting from the environment running the tests.
    for (k, _) in std::env::vars() {
        if k.starts_with("AWS_") || k.starts_with("TCO_") {
            cmd.env_remove(k);
        }
    }
    let (config, credentials) = (home.join("aws-config"), home.join("aws-credentials"));
    std::fs::write(&config, "").unwrap();
    std::fs::write(&credentials, "").unwrap();
    cmd.env("AWS_ACCESS_KEY_ID", "AKIDTEST")
        .env("AWS_SECRET_ACCESS_KEY", "secret")
        .env("AWS_CONFIG_FILE", config)
        .env("AWS_SHARED_CREDENTIALS_FILE", credentials)
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("HOME", home);
    let out = tokio::time::timeout(Duration::from_secs(120), cmd.output()).await.expect("tco finishes").unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refresh_writes_a_snapshot_and_a_failed_refresh_leaves_it_alone() {
    let tmp = TempDir::new("e2e");
    let catalog = tmp.0.join("catalog");

    // us-east-1 in two pages, the first call throttled; eu-west-1; Fargate.
    let replay = Replay::default();
    replay
        .pages("AmazonEC2", "us-east-1", &fixture("ec2-us-east-1.json"), 3)
        .first_answer("AmazonEC2", "us-east-1", throttled())
        .pages("AmazonEC2", "eu-west-1", &fixture("ec2-eu-west-1.json"), 100)
        .pages("AmazonECS", "us-east-1", &fixture("ecs-us-east-1.json"), 100);
    // The supporting services, CloudWatch answering nothing.
    script_services(&replay, Some(("AmazonCloudWatch", vec![])));
    let url = replay.start().await;

    let (ok, stdout, stderr) = tco_refresh(&tmp.0, &catalog, &["us-east-1", "eu-west-1"], &url).await;
    assert!(ok, "stdout:\n{stdout}\nstderr:\n{stderr}");

    // The summary: per region what changed, the Fargate prices, the directory.
    assert!(
        stdout.contains(
            "us-east-1 (5 instance prices read): 0 added, 1362 removed, 1 changed, 4 unchanged; \
             specs filled for 0 types; 5 service prices updated"
        ),
        "{stdout}"
    );
    assert!(stdout.contains("  c5.2xlarge: 0.34 → 0.357 USD/hour"), "{stdout}");
    assert!(stdout.contains("  fargate-linux-x86-vcpu: 0.04048 → 0.04"), "{stdout}");
    // eu-west-1's three replayed prices are the 2022 snapshot's own; the rest leave the region.
    assert!(
        stdout.contains("eu-west-1 (3 instance prices read): 0 added, 548 removed, 0 changed, 3 unchanged"),
        "{stdout}"
    );
    assert!(stdout.contains("Fargate (us-east-1): 5 of 5 prices read"), "{stdout}");
    assert!(
        stdout.contains("Supporting services (us-east-1): 12 of 13 prices read: eks-cluster-standard 0.1,"),
        "{stdout}"
    );
    assert!(
        stdout.contains("  not returned by the API, catalog rows left as they were: cloudwatch-logs-ingest-gb\n"),
        "{stdout}"
    );
    // The third-party ElastiCache reading gives way to the Price List's; KMS's agrees, so it is
    // not listed as a change (its source and date still move to the Price List's, below).
    assert!(stdout.contains("  elasticache-valkey:cache.m6g.large: 0.1192 → 0.119\n"), "{stdout}");
    assert!(!stdout.contains("kms-key-month: 1"), "{stdout}");
    assert!(
        stdout.contains(
            "Managed databases and caches (us-east-1): 5 RDS for PostgreSQL prices (class × deployment), \
             3 ElastiCache Redis OSS and 1 Valkey node prices"
        ),
        "{stdout}"
    );
    assert!(stdout.contains(&format!("wrote {}", catalog.display())), "{stdout}");

    // What the API was asked: signed with the key from the environment, the throttled call retried.
    let seen = replay.seen();
    assert_signed_get_products(&seen);
    let calls = |service: &str, region: &str| {
        seen.iter()
            .filter(|s| (s.service_code() == service || s.scope() == service) && s.region_code() == region)
            .count()
    };
    assert_eq!(calls("AmazonEC2:Compute Instance", "us-east-1"), 3, "throttled, retried, second page");
    assert_eq!(calls("AmazonEC2:NAT Gateway", "us-east-1"), 1);
    assert_eq!(calls("AmazonEC2:Storage", "us-east-1"), 1);
    assert_eq!(calls("AWSELB", "us-east-1"), 2, "two pages");
    assert_eq!(calls("AmazonVPC", "us-east-1"), 2, "two pages");
    assert_eq!(calls("AmazonEKS", "eu-west-1") + calls("AmazonVPC", "eu-west-1"), 0, "services for us-east-1 only");
    assert_eq!(calls("AmazonEC2", "eu-west-1"), 1);
    assert_eq!(calls("AmazonECS", "us-east-1"), 1, "Fargate for us-east-1 only");
    assert_eq!(calls("AmazonRDS:Database Instance", "us-east-1"), 5, "nine elements, two a page");
    assert_eq!(
        seen.len(),
        5 + 11 + 2 + 5 + 3,
        "EC2 and Fargate as before, the supporting services, RDS storage, RDS instances, ElastiCache nodes"
    );

    // The written directory loads and holds the replayed prices.
    let (c, manifest) = tco_pricing_data::load_dir(&catalog).unwrap();
    assert_eq!(manifest.snapshot, tco_server::table::today());
    let price = |region: &str, t: &str| c.instance_price(region, t).map(|p| p.usd_per_hour);
    assert_eq!(price("us-east-1", "c5.2xlarge"), Some(usd("0.357")));
    assert_eq!(price("us-east-1", "m7g.large"), Some(usd("0.0816")));
    assert_eq!(price("us-east-1", "m5.large"), None, "not in the replayed price list any more");
    assert_eq!(price("eu-west-1", "c5.2xlarge"), Some(usd("0.384")));
    assert_eq!(price("eu-west-1", "t3.micro"), Some(usd("0.0114")));
    let service = |id: &str| c.service(id).map(|s| (s.usd, s.unit.clone()));
    assert_eq!(
        service("rds-postgresql:db.m6g.large:multi-az"),
        Some((usd("0.318"), "per instance-hour".to_string())),
        "a class the embedded catalog lacks is added"
    );
    assert_eq!(service("rds-postgresql:db.t4g.micro:single-az").map(|s| s.0), Some(usd("0.016")), "kept: not replayed");
    assert_eq!(service("elasticache-valkey:cache.m6g.large"), Some((usd("0.119"), "per node-hour".to_string())));
    let p = c.instance_price("eu-west-1", "m6g.large").unwrap();
    assert_eq!(p.provenance.source, "AWS Price List Query API GetProducts AmazonEC2 version 20261120173508");
    assert_eq!(p.provenance.as_of, "2026-11-20");
    let c7i = c.instance_type("c7i.2xlarge").unwrap();
    assert_eq!((c7i.vcpu, c7i.memory_mib, c7i.arch), (Some(8), Some(16 * 1024), Some(Arch::X86_64)), "specs kept");
    let fargate = c.service("fargate-linux-x86-vcpu").unwrap();
    assert_eq!(fargate.usd, usd("0.04"));
    assert_eq!(fargate.provenance.as_of, "2026-11-18");
    assert_eq!(c.service("fargate-ephemeral-storage-gb").unwrap().usd, usd("0.000111"));
    for (id, price, usage_type) in [
        ("eks-cluster-extended", "0.6", "AmazonEKS (USE1-AmazonEKS-Hours:extendedSupport)"),
        ("alb-lcu-hour", "0.008", "AWSELB (LCUUsage)"),
        ("nat-gateway-hour", "0.045", "AmazonEC2 (NatGateway-Hours)"),
        ("ebs-gp3-gb-month", "0.08", "AmazonEC2 (EBS:VolumeUsage.gp3)"),
        ("kms-key-month", "1", "awskms (us-east-1-KMS-Keys)"),
        ("secrets-manager-secret-month", "0.4", "AWSSecretsManager (USE1-AWSSecretsManager-Secrets)"),
        ("transit-gateway-attachment-hour", "0.05", "AmazonVPC (USE1-TransitGateway-Hours)"),
        ("transit-gateway-gb", "0.02", "AmazonVPC (USE1-TransitGateway-Bytes)"),
    ] {
        let s = c.service(id).unwrap_or_else(|| panic!("{id} written"));
        assert_eq!(s.usd, usd(price), "{id}");
        assert_eq!(
            s.provenance.source,
            format!("AWS Price List Query API GetProducts {usage_type} version 20261119093012"),
            "{id}"
        );
        assert_eq!(s.provenance.as_of, "2026-11-19", "{id}");
    }
    assert_eq!(c.service("kms-key-month").unwrap().unit, "per key-month");
    let services_csv = std::fs::read_to_string(catalog.join("services.csv")).unwrap();
    assert_eq!(services_csv.matches("\nkms-key-month,").count(), 1, "applied for both regions, added once");
    assert_eq!(c.service("transit-gateway-gb").unwrap().unit, "per GB");
    let logs = c.service("cloudwatch-logs-ingest-gb").unwrap();
    assert_eq!((logs.usd, logs.provenance.as_of.as_str()), (usd("0.50"), "2026-11-24"), "not returned: untouched");

    // A refresh that fails in its second region writes nothing, not even the first region.
    let before = contents(&catalog);
    let mut eu = fixture("ec2-eu-west-1.json");
    eu[2] = with(&eu[2], &price_pointer(&eu[2]), json!("n/a"));
    let failing = Replay::default();
    failing
        .pages("AmazonEC2", "us-east-1", &fixture("ec2-us-east-1.json")[..2], 100)
        .pages("AmazonEC2", "eu-west-1", &eu, 100)
        .pages("AmazonECS", "us-east-1", &fixture("ecs-us-east-1.json"), 100);
    script_services(&failing, None);
    let failing_url = failing.start().await;
    let (ok, stdout, stderr) = tco_refresh(&tmp.0, &catalog, &["us-east-1", "eu-west-1"], &failing_url).await;
    assert!(!ok, "stdout:\n{stdout}");
    assert!(stderr.contains("SKU 2PHGA4B6Q3RHFV3K") && stderr.contains("`n/a` is not a number"), "{stderr}");
    assert_eq!(contents(&catalog), before, "the snapshot is byte for byte what it was, with no stray files");

    // So does one whose region has no prices at all.
    let empty = Replay::default();
    empty.pages("AmazonEC2", "us-east-7", &[], 100);
    let empty_url = empty.start().await;
    let (ok, _, stderr) = tco_refresh(&tmp.0, &catalog, &["us-east-7"], &empty_url).await;
    assert!(!ok && stderr.contains("no Linux on-demand instance prices"), "{stderr}");
    assert_eq!(contents(&catalog), before);
}
