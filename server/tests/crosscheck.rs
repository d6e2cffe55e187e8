//! `tco crosscheck` and `POST /api/v1/crosscheck` against a local stand-in of AWS's Pricing
//! Calculator API: a server on 127.0.0.1 that speaks the service's JSON 1.0 protocol
//! (`POST /`, `X-Amz-Target: AWSBCMPricingCalculator.<Operation>`), records every request and
//! prices usage lines from a small table; it also answers STS GetCallerIdentity. Nothing here
//! reaches AWS.

use aws_credential_types::provider::{error::CredentialsError, future, ProvideCredentials, SharedCredentialsProvider};
use aws_credential_types::Credentials;
use aws_sdk_bcmpricingcalculator::config::retry::RetryConfig;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use rust_decimal::Decimal;
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::str::FromStr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tco_engine::{Platform, Scenario, Usd};
use tco_server::crosscheck::{
    self, AwsErrorKind, CrosscheckError, Outgoing, Planned, Poll, Prepared, RateType, Settings,
};

const JSON_10: &str = "application/x-amz-json-1.0";
const ACCOUNT: &str = "123456789012";

// ---------------------------------------------------------------------------------------------
// The stand-in.

/// A request as the stand-in saw it.
#[derive(Clone, Debug)]
struct Seen {
    /// The operation, from `X-Amz-Target` (`GetCallerIdentity` for STS).
    operation: String,
    content_type: Option<String>,
    authorization: Option<String>,
    body: Value,
}

/// One workload estimate the stand-in holds.
#[derive(Default)]
struct Estimate {
    rate_type: String,
    lines: Vec<Value>,
    polls: u32,
}

#[derive(Default)]
struct Inner {
    seen: Vec<Seen>,
    estimates: BTreeMap<String, Estimate>,
    /// USD per unit, by usage type: what the stand-in charges.
    prices: HashMap<String, f64>,
    /// GetWorkloadEstimate answers UPDATING this many times before the final status.
    updating: u32,
    /// The status after that: VALID unless told otherwise.
    final_status: Option<String>,
    /// Items per ListWorkloadEstimateUsage page (at most the request's maxResults).
    page_size: usize,
    /// Operation → (HTTP status, error type): answered every time.
    errors: HashMap<String, (u16, String)>,
    /// The rate type the stand-in grants, whatever is asked.
    granted_rate_type: Option<String>,
}

#[derive(Clone)]
struct Calculator(Arc<Mutex<Inner>>);

impl Calculator {
    fn new() -> Self {
        let inner = Inner { page_size: 300, ..Inner::default() };
        Calculator(Arc::new(Mutex::new(inner)))
    }
    fn price(self, usage_type: &str, usd: f64) -> Self {
        self.0.lock().unwrap().prices.insert(usage_type.into(), usd);
        self
    }
    fn updating(self, polls: u32) -> Self {
        self.0.lock().unwrap().updating = polls;
        self
    }
    fn final_status(self, status: &str) -> Self {
        self.0.lock().unwrap().final_status = Some(status.into());
        self
    }
    fn page_size(self, n: usize) -> Self {
        self.0.lock().unwrap().page_size = n;
        self
    }
    fn fail(self, operation: &str, status: u16, kind: &str) -> Self {
        self.0.lock().unwrap().errors.insert(operation.into(), (status, kind.into()));
        self
    }
    fn grant(self, rate_type: &str) -> Self {
        self.0.lock().unwrap().granted_rate_type = Some(rate_type.into());
        self
    }
    fn seen(&self) -> Vec<Seen> {
        self.0.lock().unwrap().seen.clone()
    }
    fn calls(&self, operation: &str) -> Vec<Seen> {
        self.seen().into_iter().filter(|s| s.operation == operation).collect()
    }
    /// Every usage entry sent, in order, over all batch calls.
    fn sent(&self) -> Vec<Value> {
        self.calls("BatchCreateWorkloadEstimateUsage")
            .iter()
            .flat_map(|s| s.body["usage"].as_array().cloned().unwrap_or_default())
            .collect()
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
    let body = json!({ "__type": format!("com.amazonaws.bcmpricingcalculator#{kind}"), "message": message });
    (StatusCode::from_u16(status).unwrap(), [(header::CONTENT_TYPE, JSON_10)], body.to_string()).into_response()
}

fn ok(body: Value) -> Response {
    (StatusCode::OK, [(header::CONTENT_TYPE, JSON_10)], body.to_string()).into_response()
}

fn estimate_body(id: &str, e: &Estimate, status: &str) -> Value {
    let total: f64 = e.lines.iter().filter_map(|l| l["cost"].as_f64()).sum();
    json!({
        "id": id, "name": "estimate", "createdAt": 1_767_225_600, "expiresAt": 1_769_904_000,
        "rateType": e.rate_type, "rateTimestamp": 1_767_225_600, "status": status,
        "totalCost": total, "costCurrency": "USD"
    })
}

async fn answer(State(calc): State<Calculator>, headers: HeaderMap, body: Bytes) -> Response {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_string);
    let target = text("x-amz-target");
    let raw = String::from_utf8_lossy(&body).to_string();
    let operation = match &target {
        Some(t) => t.strip_prefix("AWSBCMPricingCalculator.").unwrap_or("(wrong service)").to_string(),
        None if raw.contains("Action=GetCallerIdentity") => "GetCallerIdentity".into(),
        None => "(no target)".into(),
    };
    let seen = Seen {
        operation: operation.clone(),
        content_type: text("content-type"),
        authorization: text("authorization"),
        body: serde_json::from_slice(&body).unwrap_or(Value::Null),
    };
    let mut s = calc.0.lock().unwrap();
    s.seen.push(seen.clone());
    if operation == "GetCallerIdentity" {
        let xml = format!(
            "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><GetCallerIdentityResult>\
             <Arn>arn:aws:iam::{ACCOUNT}:user/finance</Arn><UserId>AIDATEST</UserId><Account>{ACCOUNT}</Account>\
             </GetCallerIdentityResult><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata>\
             </GetCallerIdentityResponse>"
        );
        return (StatusCode::OK, [(header::CONTENT_TYPE, "text/xml")], xml).into_response();
    }
    if seen.content_type.as_deref() != Some(JSON_10) {
        return aws_error(400, "ValidationException", "expected application/x-amz-json-1.0");
    }
    if let Some((status, kind)) = s.errors.get(&operation).cloned() {
        return aws_error(status, &kind, &format!("{operation} refused by the stand-in"));
    }
    let b = &seen.body;
    match operation.as_str() {
        "CreateWorkloadEstimate" => {
            let name = b["name"].as_str().unwrap_or_default();
            if name.is_empty() || name.len() > 64 || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
                return aws_error(400, "ValidationException", "name must match [a-zA-Z0-9-]+");
            }
            let id = format!("00000000-0000-4000-8000-{:012}", s.estimates.len() + 1);
            let rate_type = s
                .granted_rate_type
                .clone()
                .unwrap_or_else(|| b["rateType"].as_str().unwrap_or("BEFORE_DISCOUNTS").to_string());
            let e = Estimate { rate_type, ..Estimate::default() };
            let body = estimate_body(&id, &e, "UPDATING");
            s.estimates.insert(id, e);
            ok(body)
        }
        "BatchCreateWorkloadEstimateUsage" => {
            let usage = b["usage"].as_array().cloned().unwrap_or_default();
            if usage.is_empty() || usage.len() > 25 {
                return aws_error(400, "ValidationException", "usage must hold 1 to 25 entries");
            }
            let id = b["workloadEstimateId"].as_str().unwrap_or_default().to_string();
            let prices = s.prices.clone();
            let Some(e) = s.estimates.get_mut(&id) else {
                return aws_error(404, "ResourceNotFoundException", "no such estimate");
            };
            let (mut items, mut errors) = (Vec::new(), Vec::new());
            for u in usage {
                let key = u["key"].as_str().unwrap_or_default();
                let usage_type = u["usageType"].as_str().unwrap_or_default();
                let Some(rate) = prices.get(usage_type) else {
                    errors.push(json!({"key": key, "errorCode": "BAD_REQUEST",
                        "errorMessage": format!("unknown usage type {usage_type}")}));
                    continue;
                };
                let amount = u["amount"].as_f64().unwrap_or_default();
                let item = json!({
                    "id": format!("line-{}", e.lines.len() + 1), "serviceCode": u["serviceCode"],
                    "usageType": usage_type, "operation": u["operation"], "location": "US East (N. Virginia)",
                    "usageAccountId": u["usageAccountId"], "quantity": {"unit": "Hrs", "amount": amount},
                    "cost": amount * rate, "currency": "USD", "status": "VALID", "key": key
                });
                e.lines.push(item.clone());
                items.push(item);
            }
            e.polls = 0;
            ok(json!({"items": items, "errors": errors}))
        }
        "GetWorkloadEstimate" => {
            let id = b["identifier"].as_str().unwrap_or_default().to_string();
            let (updating, final_status) = (s.updating, s.final_status.clone());
            let Some(e) = s.estimates.get_mut(&id) else {
                return aws_error(404, "ResourceNotFoundException", "no such estimate");
            };
            e.polls += 1;
            let status = if e.polls <= updating { "UPDATING".into() } else { final_status.unwrap_or("VALID".into()) };
            let mut body = estimate_body(&id, e, &status);
            if status == "INVALID" {
                body["failureMessage"] = json!("a usage line could not be priced");
            }
            ok(body)
        }
        "ListWorkloadEstimateUsage" => {
            let id = b["workloadEstimateId"].as_str().unwrap_or_default();
            let Some(e) = s.estimates.get(id) else {
                return aws_error(404, "ResourceNotFoundException", "no such estimate");
            };
            let max = b["maxResults"].as_u64().unwrap_or(300) as usize;
            let per_page = s.page_size.min(max);
            let from: usize = b["nextToken"].as_str().and_then(|t| t.strip_prefix("from-")?.parse().ok()).unwrap_or(0);
            let items: Vec<Value> = e
                .lines
                .iter()
                .skip(from)
                .take(per_page)
                .map(|l| {
                    let mut l = l.clone();
                    l.as_object_mut().unwrap().remove("key");
                    l
                })
                .collect();
            let mut body = json!({ "items": items });
            if from + per_page < e.lines.len() {
                body["nextToken"] = json!(format!("from-{}", from + per_page));
            }
            ok(body)
        }
        "DeleteWorkloadEstimate" => {
            let id = b["identifier"].as_str().unwrap_or_default();
            s.estimates.remove(id);
            ok(json!({}))
        }
        other => aws_error(400, "UnknownOperationException", &format!("unknown operation {other}")),
    }
}

// ---------------------------------------------------------------------------------------------
// Helpers.

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn usd(s: &str) -> Usd {
    Usd::new(d(s))
}

fn static_credentials() -> SharedCredentialsProvider {
    SharedCredentialsProvider::new(Credentials::new("AKIDTEST", "secret", None, None, "test"))
}

/// Settings that send to the stand-in as account 123456789012, poll every millisecond and
/// retry once quickly.
fn settings(endpoint: &str) -> Settings {
    Settings {
        endpoint_url: Some(endpoint.into()),
        credentials: Some(static_credentials()),
        account_id: Some(ACCOUNT.into()),
        retry: Some(RetryConfig::standard().with_max_attempts(2).with_initial_backoff(Duration::from_millis(1))),
        poll: fast_poll(),
    }
}

fn fast_poll() -> Poll {
    Poll { first: Duration::from_millis(1), longest: Duration::from_millis(4), budget: Duration::from_secs(5) }
}

/// `n` lines of m5.large instance-hours, 730 each, $70.08 ours.
fn lines(n: usize) -> Prepared {
    let outgoing = (1..=n)
        .map(|i| Outgoing {
            key: format!("L{i}"),
            category: format!("EC2 nodes for app/p{i} (on-demand)"),
            service_code: "AmazonEC2",
            usage_type: "BoxUsage:m5.large".into(),
            operation: "RunInstances",
            amount: d("730"),
            unit: "Hrs",
            ours_usd: usd("70.08"),
            confidence: "L",
            note: None,
        })
        .collect();
    Prepared {
        target: Platform::Ec2,
        label: "EC2".into(),
        region: "us-east-1".into(),
        hours_per_month: 730,
        planned: Planned { outgoing, not_sent: Vec::new() },
        notes: Vec::new(),
    }
}

async fn run(calc: &Calculator, prepared: &Prepared, keep: bool) -> Result<crosscheck::Crosscheck, CrosscheckError> {
    let endpoint = calc.start().await;
    let s = settings(&endpoint);
    let clients = crosscheck::connect(&s).await?;
    crosscheck::check(&clients, prepared, RateType::BeforeDiscounts, keep, s.poll).await
}

fn catalog() -> &'static tco_engine::Catalog {
    tco_pricing_data::embedded()
}

/// One app: four web replicas of 320 m and 1,024 MiB on ECS, one zone, no headroom, m5.large
/// only, a 700-hour month; one ALB (the web process), one NAT gateway, their two public
/// addresses, a 20 GB root volume per node.
fn small_scenario() -> Scenario {
    serde_json::from_value(json!({
        "name": "crosscheck example",
        "workloads": {"apps": [{"name": "shop", "processes": [
            {"name": "web", "size": "Standard-2X", "replicas": 4, "cpu_millicores": 320, "memory_mib": 1024}]}]},
        "assumptions": {"targets": ["ecs-ec2"], "availability_zones": 1, "headroom": 1.0, "hours_per_month": 700,
            "mixed_instance_types": false, "instance_types": ["m5.large"],
            "supporting": {"load_balancers": true, "nat_gateways": true, "public_ipv4": true, "root_volume_gb": 20}}
    }))
    .unwrap()
}

/// What was sent, as (key, service code, usage type, operation, amount).
fn sent_rows(calc: &Calculator) -> Vec<(String, String, String, String, Decimal)> {
    calc.sent()
        .iter()
        .map(|u| {
            (
                u["key"].as_str().unwrap().to_string(),
                u["serviceCode"].as_str().unwrap().to_string(),
                u["usageType"].as_str().unwrap().to_string(),
                u["operation"].as_str().unwrap().to_string(),
                Decimal::from_str(&u["amount"].to_string()).unwrap(),
            )
        })
        .collect()
}

fn row(
    key: &str,
    service: &str,
    usage_type: &str,
    operation: &str,
    amount: &str,
) -> (String, String, String, String, Decimal) {
    (key.into(), service.into(), usage_type.into(), operation.into(), d(amount))
}

// ---------------------------------------------------------------------------------------------
// The lines sent.

#[tokio::test]
async fn the_lines_sent_are_the_plans_nodes_and_hours_exactly() {
    // Four replicas of 320 m / 1,024 MiB = 1,280 m and 4,096 MiB fit one m5.large (ECS offers
    // 2,000 m and 7,936 MiB). Over a 700-hour month: 1 node × 700 h = 700 instance-hours,
    // $0.096 × 700 = $67.20; 1 ALB × 700 h at $0.0225 = $15.75; 1 LCU × 700 h at $0.008 =
    // $5.60; 1 NAT gateway × 700 h at $0.045 = $31.50; 2 addresses × 700 h = 1,400 h at
    // $0.005 = $7.00; 1 node × 20 GB = 20 GB-months of gp3 at $0.08 = $1.60. Ours: $128.65.
    let prepared = crosscheck::prepare(small_scenario(), catalog(), Some(Platform::EcsEc2)).unwrap();
    let calc = Calculator::new()
        .price("BoxUsage:m5.large", 0.096)
        .price("LoadBalancerUsage", 0.0225)
        .price("LCUUsage", 0.008)
        // The stand-in charges $0.048 for NAT gateway-hours: AWS's $33.60 against our $31.50.
        .price("NatGateway-Hours", 0.048)
        .price("USE1-PublicIPv4:InUseAddress", 0.005)
        .price("EBS:VolumeUsage.gp3", 0.08);
    let c = run(&calc, &prepared, false).await.unwrap();

    assert_eq!(
        sent_rows(&calc),
        vec![
            row("L1", "AmazonEC2", "BoxUsage:m5.large", "RunInstances", "700"),
            row("L2", "AWSELB", "LoadBalancerUsage", "LoadBalancing:Application", "700"),
            row("L3", "AWSELB", "LCUUsage", "LoadBalancing:Application", "700"),
            row("L4", "AmazonEC2", "NatGateway-Hours", "NatGateway", "700"),
            row("L5", "AmazonVPC", "USE1-PublicIPv4:InUseAddress", "DescribeNetworkInterfaces", "1400"),
            row("L6", "AmazonEC2", "EBS:VolumeUsage.gp3", "CreateVolume-Gp3", "20"),
        ]
    );
    assert!(calc.sent().iter().all(|u| u["usageAccountId"] == ACCOUNT));
    let ours: Vec<(&str, Decimal)> = c.lines.iter().map(|l| (l.unit.as_str(), l.ours_usd.rounded_to_cents())).collect();
    assert_eq!(
        ours,
        vec![
            ("Hrs", d("67.20")),
            ("Hrs", d("15.75")),
            ("LCU-Hrs", d("5.60")),
            ("Hrs", d("31.50")),
            ("Hrs", d("7.00")),
            ("GB-Mo", d("1.60")),
        ]
    );
    assert_eq!(c.ours_monthly_usd.rounded_to_cents(), d("128.65"));
    assert_eq!(c.aws_monthly_usd.rounded_to_cents(), d("130.75"));
    assert_eq!(c.difference_usd.rounded_to_cents(), d("2.10"));
    let nat = c.lines.iter().find(|l| l.usage_type == "NatGateway-Hours").unwrap();
    assert_eq!(nat.aws_usd.map(|u| u.rounded_to_cents()), Some(d("33.60")));
    assert_eq!(nat.confidence, "L (type) / U (no prefix in us-east-1)");
    assert_eq!(
        (c.status.as_str(), c.rate_type.as_str(), c.account_id.as_str()),
        ("VALID", "BEFORE_DISCOUNTS", ACCOUNT)
    );
    assert_eq!(c.hours_per_month, 700);

    let create = &calc.calls("CreateWorkloadEstimate")[0];
    assert_eq!(create.body["rateType"], "BEFORE_DISCOUNTS");
    assert_eq!(create.body["clientToken"].as_str().map(str::len), Some(64));
    assert!(create.authorization.as_deref().is_some_and(|a| a.starts_with("AWS4-HMAC-SHA256")), "requests are signed");
}

#[test]
fn with_an_hourly_profile_instance_hours_follow_the_weeks_mean() {
    // Eight replicas for half the week need 2 m5.large (8 × 1,024 MiB > 7,936 MiB a node), two
    // for the other half 1: the week's mean is 1.5 nodes, 0.75 of the peak's 2. Over 700 h:
    // 2 × 700 × 0.75 = 1,050 instance-hours, at $0.096 = $100.80.
    let mut scenario = small_scenario();
    scenario.assumptions.scale_up_margin = 0.0;
    let web = &mut scenario.workloads.apps[0].processes[0];
    web.replicas = 8;
    web.hourly_replicas = Some((0..168).map(|h| if h < 84 { 8 } else { 2 }).collect());
    let prepared = crosscheck::prepare(scenario, catalog(), Some(Platform::EcsEc2)).unwrap();
    let nodes = &prepared.planned.outgoing[0];
    assert_eq!(nodes.usage_type, "BoxUsage:m5.large");
    assert_eq!((nodes.amount, nodes.ours_usd.rounded_to_cents()), (d("1050"), d("100.80")));
}

#[test]
fn another_regions_lines_carry_its_usage_type_prefix() {
    // The same plan, sent for eu-west-1: EC2-family usage types take `EU-` (not `EUW1-`).
    let mut scenario = small_scenario();
    scenario.assumptions.targets = vec![Platform::EksEc2];
    let report = tco_engine::estimate(&scenario, catalog()).unwrap();
    let planned = crosscheck::usage::plan(&report.options[0], "eu-west-1").unwrap();
    let types: Vec<&str> = planned.outgoing.iter().map(|l| l.usage_type.as_str()).collect();
    assert_eq!(
        types,
        vec![
            "EU-BoxUsage:m5.large",
            "EU-AmazonEKS-Hours:perCluster",
            "EU-LoadBalancerUsage",
            "EU-LCUUsage",
            "EU-NatGateway-Hours",
            "EU-PublicIPv4:InUseAddress",
            "EU-EBS:VolumeUsage.gp3",
        ]
    );
    assert!(matches!(
        crosscheck::usage::plan(&report.options[0], "xx-nowhere-1"),
        Err(crosscheck::PlanError::UnknownRegion(_))
    ));
}

#[test]
fn fargate_tasks_are_sent_as_vcpu_hours_and_gb_hours() {
    // Web rounds up to a 0.5 vCPU / 1 GB task: 4 tasks × 730 h = 2,920 task-hours, so 1,460
    // vCPU-hours ($0.04048: $59.1008) and 2,920 GB-hours ($0.004445: $12.9794).
    let mut scenario = small_scenario();
    scenario.assumptions.targets = vec![Platform::EcsFargate];
    scenario.assumptions.hours_per_month = 730;
    let prepared = crosscheck::prepare(scenario, catalog(), Some(Platform::EcsFargate)).unwrap();
    let fargate: Vec<(&str, &str, Decimal, Decimal)> = prepared
        .planned
        .outgoing
        .iter()
        .filter(|l| l.usage_type.contains("Fargate"))
        .map(|l| (l.usage_type.as_str(), l.unit, l.amount, l.ours_usd.rounded_to_cents()))
        .collect();
    assert_eq!(
        fargate,
        vec![
            ("USE1-Fargate-vCPU-Hours:perCPU", "vCPU-Hrs", d("1460"), d("59.10")),
            ("USE1-Fargate-GB-Hours", "GB-Hrs", d("2920"), d("12.98")),
        ]
    );
    assert!(prepared.planned.outgoing.iter().all(|l| !l.usage_type.contains("BoxUsage")), "no EC2 nodes on Fargate");
}

#[test]
fn what_the_calculator_cannot_take_is_listed_with_the_reason_never_dropped() {
    // EKS Auto Mode's fee has no known usage type; a kept add-on and Business Support are not
    // usage; cross-zone transfer has no usage type in the reference; operations effort is people.
    let mut scenario = small_scenario();
    scenario.assumptions.targets = vec![Platform::EksAuto];
    scenario.assumptions.supporting.business_support = true;
    scenario.assumptions.supporting.cross_az_gb_per_month = d("100");
    scenario.assumptions.people.ops_engineer_fraction = d("0.1");
    scenario.workloads.apps[0].addons = serde_json::from_value(json!([
        {"name": "papertrail", "plan": "papertrail:choklad", "monthly_usd": 7}
    ]))
    .unwrap();
    let report = tco_engine::estimate(&scenario, catalog()).unwrap();
    let option = &report.options[0];
    let prepared = crosscheck::prepare(scenario, catalog(), Some(Platform::EksAuto)).unwrap();
    let not_sent: BTreeMap<&str, &str> =
        prepared.planned.not_sent.iter().map(|n| (n.category.as_str(), n.reason.as_str())).collect();
    let fee = option.breakdown.iter().find(|l| l.category.starts_with("EKS Auto Mode management fee")).unwrap();
    assert!(not_sent[fee.category.as_str()].contains("EKS Auto Mode"), "{not_sent:?}");
    assert!(not_sent["AWS Business Support"].contains("share of the whole bill"));
    assert!(not_sent["Add-ons at today's price (no AWS equivalent priced)"].contains("add-on"));
    assert!(not_sent["Cross-zone data transfer"].contains("no usage type"));
    assert_eq!(not_sent["Operations effort (people)"], "a people cost, not an AWS charge");
    // Every line of the option is either sent or listed, and the money adds up.
    let sent: Usd = prepared.planned.outgoing.iter().map(|l| l.ours_usd).sum();
    let listed: Usd = prepared.planned.not_sent.iter().map(|n| n.ours_usd).sum();
    assert_eq!(sent + listed, option.monthly_usd + option.tco.ops_monthly_usd);
    assert!(!prepared.planned.outgoing.iter().any(|l| l.category.contains("Auto Mode")));
}

#[test]
fn a_scenario_on_savings_plans_is_compared_on_demand_and_says_so() {
    let mut scenario = small_scenario();
    scenario.assumptions.pricing = tco_engine::PricingModel::ComputeSp1y;
    let prepared = crosscheck::prepare(scenario, catalog(), Some(Platform::EcsEc2)).unwrap();
    let nodes = &prepared.planned.outgoing[0];
    assert_eq!(nodes.ours_usd.rounded_to_cents(), d("67.20"), "$0.096 × 700 h on-demand");
    assert!(prepared.notes[0].contains("on-demand"), "{:?}", prepared.notes);
}

#[test]
fn a_scenario_of_several_regions_is_checked_in_its_first_and_says_so() {
    let mut scenario = small_scenario();
    scenario.assumptions.regions = vec!["eu-west-1".into(), "us-east-1".into()];
    let prepared = crosscheck::prepare(scenario, catalog(), Some(Platform::EcsEc2)).unwrap();
    assert_eq!(prepared.region, "eu-west-1");
    assert!(prepared.planned.outgoing.iter().all(|l| l.usage_type.starts_with("EU-")));
    assert!(
        prepared.notes.iter().any(|n| n
            == "The scenario compares 2 regions; the cross-check checks eu-west-1 (give --region to check another)"),
        "{:?}",
        prepared.notes
    );
}

// ---------------------------------------------------------------------------------------------
// Batching, polling, paging.

#[tokio::test]
async fn sixty_lines_go_in_batches_of_25_25_and_10() {
    let calc = Calculator::new().price("BoxUsage:m5.large", 0.096);
    let c = run(&calc, &lines(60), false).await.unwrap();
    let sizes: Vec<usize> = calc
        .calls("BatchCreateWorkloadEstimateUsage")
        .iter()
        .map(|s| s.body["usage"].as_array().unwrap().len())
        .collect();
    assert_eq!(sizes, vec![25, 25, 10]);
    let keys: Vec<String> = calc.sent().iter().map(|u| u["key"].as_str().unwrap().to_string()).collect();
    assert_eq!(keys.len(), 60);
    assert_eq!(keys.iter().collect::<HashSet<_>>().len(), 60, "keys are unique");
    let tokens: HashSet<String> = calc
        .calls("BatchCreateWorkloadEstimateUsage")
        .iter()
        .map(|s| s.body["clientToken"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(tokens.len(), 3, "each batch has its own client token");
    // 60 × 730 h × $0.096 = $4,204.80, line by line and in total.
    assert!(c.lines.iter().all(|l| l.aws_usd.map(|u| u.rounded_to_cents()) == Some(d("70.08"))));
    assert_eq!(c.aws_monthly_usd.rounded_to_cents(), d("4204.80"));
    assert_eq!(c.difference_usd.rounded_to_cents(), d("0"));
}

#[tokio::test]
async fn the_estimate_is_polled_until_valid_and_read_only_then() {
    let calc = Calculator::new().price("BoxUsage:m5.large", 0.096).updating(3);
    let c = run(&calc, &lines(2), false).await.unwrap();
    assert_eq!(c.status, "VALID");
    let order: Vec<String> = calc.seen().into_iter().map(|s| s.operation).collect();
    assert_eq!(
        order,
        vec![
            "CreateWorkloadEstimate",
            "BatchCreateWorkloadEstimateUsage",
            "GetWorkloadEstimate",
            "GetWorkloadEstimate",
            "GetWorkloadEstimate",
            "GetWorkloadEstimate",
            "ListWorkloadEstimateUsage",
            "DeleteWorkloadEstimate",
        ]
    );
}

#[tokio::test]
async fn an_estimate_still_updating_after_the_budget_times_out_and_is_deleted() {
    let calc = Calculator::new().price("BoxUsage:m5.large", 0.096).updating(u32::MAX);
    let endpoint = calc.start().await;
    let s = settings(&endpoint);
    let clients = crosscheck::connect(&s).await.unwrap();
    let poll = Poll { budget: Duration::from_millis(30), ..fast_poll() };
    let e = crosscheck::check(&clients, &lines(1), RateType::BeforeDiscounts, false, poll).await.unwrap_err();
    assert!(matches!(e.root(), CrosscheckError::TimedOut { .. }), "{e}");
    assert!(e.to_string().contains("deleted"), "{e}");
    assert_eq!(calc.calls("DeleteWorkloadEstimate").len(), 1);
    assert!(calc.calls("GetWorkloadEstimate").len() >= 2);
}

#[tokio::test]
async fn usage_is_read_back_page_by_page() {
    let calc = Calculator::new().price("BoxUsage:m5.large", 0.096).page_size(25);
    let c = run(&calc, &lines(60), false).await.unwrap();
    let pages = calc.calls("ListWorkloadEstimateUsage");
    let tokens: Vec<Option<&str>> = pages.iter().map(|p| p.body["nextToken"].as_str()).collect();
    assert_eq!(tokens, vec![None, Some("from-25"), Some("from-50")]);
    assert!(pages.iter().all(|p| p.body["maxResults"] == 300));
    assert!(c.lines.iter().all(|l| l.aws_status == "VALID" && l.aws_usd.is_some()), "every line found on its page");
}

// ---------------------------------------------------------------------------------------------
// Errors and clean-up.

#[tokio::test]
async fn access_denied_on_create_is_reported_as_such_and_nothing_is_left_to_delete() {
    let calc = Calculator::new().fail("CreateWorkloadEstimate", 403, "AccessDeniedException");
    let e = run(&calc, &lines(1), false).await.unwrap_err();
    match e.root() {
        CrosscheckError::Aws { operation, kind, code, .. } => {
            assert_eq!(
                (*operation, *kind, code.as_str()),
                ("CreateWorkloadEstimate", AwsErrorKind::AccessDenied, "AccessDeniedException")
            );
        }
        other => panic!("{other}"),
    }
    assert!(calc.calls("DeleteWorkloadEstimate").is_empty());
}

#[tokio::test]
async fn throttling_after_the_retries_is_reported_and_the_estimate_deleted() {
    let calc = Calculator::new().price("BoxUsage:m5.large", 0.096).fail(
        "BatchCreateWorkloadEstimateUsage",
        429,
        "ThrottlingException",
    );
    let e = run(&calc, &lines(1), false).await.unwrap_err();
    assert!(matches!(e.root(), CrosscheckError::Aws { kind: AwsErrorKind::Throttling, .. }), "{e}");
    assert_eq!(calc.calls("BatchCreateWorkloadEstimateUsage").len(), 2, "the SDK retried once, as configured");
    let deleted = calc.calls("DeleteWorkloadEstimate");
    assert_eq!(deleted.len(), 1, "deleted after the failure");
    assert_eq!(deleted[0].body["identifier"], "00000000-0000-4000-8000-000000000001");
    assert!(e.to_string().contains("workload estimate 00000000-0000-4000-8000-000000000001 deleted"), "{e}");
}

#[tokio::test]
async fn a_validation_error_is_reported_and_the_estimate_deleted() {
    let calc = Calculator::new().fail("BatchCreateWorkloadEstimateUsage", 400, "ValidationException");
    let e = run(&calc, &lines(1), false).await.unwrap_err();
    assert!(matches!(e.root(), CrosscheckError::Aws { kind: AwsErrorKind::Validation, .. }), "{e}");
    assert_eq!(calc.calls("DeleteWorkloadEstimate").len(), 1);
}

#[tokio::test]
async fn data_unavailable_while_polling_is_reported_and_the_estimate_deleted() {
    let calc = Calculator::new().price("BoxUsage:m5.large", 0.096).fail(
        "GetWorkloadEstimate",
        400,
        "DataUnavailableException",
    );
    let e = run(&calc, &lines(1), false).await.unwrap_err();
    assert!(matches!(e.root(), CrosscheckError::Aws { kind: AwsErrorKind::DataUnavailable, .. }), "{e}");
    assert_eq!(calc.calls("DeleteWorkloadEstimate").len(), 1);
}

#[tokio::test]
async fn an_invalid_estimate_reports_aws_reason_and_is_deleted() {
    let calc = Calculator::new().price("BoxUsage:m5.large", 0.096).final_status("INVALID");
    let e = run(&calc, &lines(1), false).await.unwrap_err();
    assert!(e.to_string().contains("INVALID: a usage line could not be priced"), "{e}");
    assert_eq!(calc.calls("DeleteWorkloadEstimate").len(), 1);
}

#[tokio::test]
async fn an_estimate_that_cannot_be_deleted_is_reported_as_left_in_the_account() {
    let calc = Calculator::new().price("BoxUsage:m5.large", 0.096).fail(
        "DeleteWorkloadEstimate",
        403,
        "AccessDeniedException",
    );
    let c = run(&calc, &lines(1), false).await.unwrap();
    assert!(c.kept, "the figures stand, and the estimate is said to be still there");
    assert!(
        c.notes
            .iter()
            .any(|n| n.contains("could not be deleted") && n.contains("00000000-0000-4000-8000-000000000001")),
        "{:?}",
        c.notes
    );
}

#[tokio::test]
async fn keep_leaves_the_estimate_in_the_account() {
    let calc = Calculator::new().price("BoxUsage:m5.large", 0.096);
    let c = run(&calc, &lines(1), true).await.unwrap();
    assert!(c.kept);
    assert!(calc.calls("DeleteWorkloadEstimate").is_empty());
}

#[tokio::test]
async fn a_line_aws_refuses_is_unpriced_not_free() {
    let mut prepared = lines(2);
    prepared.planned.outgoing[1].usage_type = "BoxUsage:m5.unknown".into();
    let calc = Calculator::new().price("BoxUsage:m5.large", 0.096);
    let c = run(&calc, &prepared, false).await.unwrap();
    assert_eq!(c.lines[1].aws_status, "REJECTED");
    assert_eq!(c.lines[1].aws_usd, None);
    assert_eq!(c.lines[1].aws_message.as_deref(), Some("BAD_REQUEST: unknown usage type BoxUsage:m5.unknown"));
    assert!(c.notes.iter().any(|n| n.contains("1 line(s) were not priced")), "{:?}", c.notes);
}

#[tokio::test]
async fn a_rate_type_aws_did_not_grant_is_noted() {
    let calc = Calculator::new().price("BoxUsage:m5.large", 0.096).grant("BEFORE_DISCOUNTS");
    let endpoint = calc.start().await;
    let s = settings(&endpoint);
    let clients = crosscheck::connect(&s).await.unwrap();
    let c = crosscheck::check(&clients, &lines(1), RateType::AfterDiscounts, false, s.poll).await.unwrap();
    assert_eq!(calc.calls("CreateWorkloadEstimate")[0].body["rateType"], "AFTER_DISCOUNTS");
    assert_eq!(c.rate_type, "BEFORE_DISCOUNTS");
    assert!(c.notes.iter().any(|n| n.contains("Asked for AFTER_DISCOUNTS rates")), "{:?}", c.notes);
}

/// Credentials that never resolve, as on a machine with none configured.
#[derive(Debug)]
struct NoCredentials;

impl ProvideCredentials for NoCredentials {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::ready(Err(CredentialsError::not_loaded("no credentials in the environment")))
    }
}

#[tokio::test]
async fn without_credentials_nothing_is_sent_and_the_error_says_what_to_configure() {
    let calc = Calculator::new();
    let endpoint = calc.start().await;
    let s = Settings { credentials: Some(SharedCredentialsProvider::new(NoCredentials)), ..settings(&endpoint) };
    let e = crosscheck::connect(&s).await.unwrap_err();
    assert!(matches!(e, CrosscheckError::NotConfigured(_)));
    let message = e.to_string();
    assert!(
        message.contains("AWS_ACCESS_KEY_ID") && message.contains("bcm-pricing-calculator:CreateWorkloadEstimate"),
        "{message}"
    );
    assert!(calc.seen().is_empty());
}

#[tokio::test]
async fn the_account_id_comes_from_the_callers_identity_when_not_given() {
    let calc = Calculator::new().price("BoxUsage:m5.large", 0.096);
    let endpoint = calc.start().await;
    // STS goes to the stand-in through the SDK's global override; the calculator by the setting.
    let s = Settings { account_id: None, ..settings(&endpoint) };
    let clients =
        temp_env(&[("AWS_ENDPOINT_URL_STS", Some(endpoint.as_str()))], crosscheck::connect(&s)).await.unwrap();
    assert_eq!(clients.account_id, ACCOUNT);
    assert_eq!(calc.calls("GetCallerIdentity").len(), 1);
}

/// Runs `f` with environment variables set. Only this test touches these variables.
async fn temp_env<F: std::future::Future>(vars: &[(&str, Option<&str>)], f: F) -> F::Output {
    for (k, v) in vars {
        match v {
            // SAFETY-free in edition 2021: set_var is safe; no other test reads these names.
            Some(v) => std::env::set_var(k, v),
            None => std::env::remove_var(k),
        }
    }
    let out = f.await;
    for (k, _) in vars {
        std::env::remove_var(k);
    }
    out
}

// ---------------------------------------------------------------------------------------------
// The command line, end to end.

/// The stand-in priced like the small scenario's hand-computed case.
fn small_calculator() -> Calculator {
    Calculator::new()
        .price("BoxUsage:m5.large", 0.096)
        .price("LoadBalancerUsage", 0.0225)
        .price("LCUUsage", 0.008)
        .price("NatGateway-Hours", 0.048)
        .price("USE1-PublicIPv4:InUseAddress", 0.005)
        .price("EBS:VolumeUsage.gp3", 0.08)
}

/// `tco crosscheck ARGS` with only the environment given (no AWS profile, no instance
/// metadata), off the test's runtime so the stand-ins keep answering.
async fn tco(args: Vec<String>, env: Vec<(&'static str, String)>) -> std::process::Output {
    tokio::task::spawn_blocking(move || {
        let none = std::env::temp_dir().join("tco-crosscheck-no-such-aws-file");
        std::process::Command::new(env!("CARGO_BIN_EXE_tco"))
            .arg("crosscheck")
            .args(args)
            .env_clear()
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env("AWS_CONFIG_FILE", &none)
            .env("AWS_SHARED_CREDENTIALS_FILE", &none)
            .env("AWS_MAX_ATTEMPTS", "1")
            .envs(env)
            .output()
            .unwrap()
    })
    .await
    .unwrap()
}

fn scenario_file(dir: &tempfile::TempDir) -> String {
    let path = dir.path().join("scenario.json");
    std::fs::write(&path, serde_json::to_vec(&small_scenario()).unwrap()).unwrap();
    path.display().to_string()
}

fn test_credentials() -> Vec<(&'static str, String)> {
    vec![("AWS_ACCESS_KEY_ID", "AKIDTEST".into()), ("AWS_SECRET_ACCESS_KEY", "secret".into())]
}

#[tokio::test]
async fn the_cli_checks_a_scenario_through_the_sdks_endpoint_overrides() {
    // The calculator's own variable wins over the global one, which STS then follows: the
    // account id comes from the caller's identity at the second stand-in.
    let (calc, other) = (small_calculator(), Calculator::new());
    let (calc_url, other_url) = (calc.start().await, other.start().await);
    let dir = tempfile::tempdir().unwrap();
    let mut env = test_credentials();
    env.push(("AWS_ENDPOINT_URL_BCM_PRICING_CALCULATOR", calc_url));
    env.push(("AWS_ENDPOINT_URL", other_url));
    let args = ["--scenario", &scenario_file(&dir), "--target", "ecs-ec2", "--format", "json"];
    let out = tco(args.iter().map(|s| s.to_string()).collect(), env).await;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let c: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(c["status"], "VALID");
    assert_eq!(c["account_id"], ACCOUNT);
    assert_eq!(c["ours_monthly_usd"], json!(128.65));
    assert_eq!(c["aws_monthly_usd"], json!(130.75));
    assert_eq!(c["difference_usd"], json!(2.1));
    assert_eq!(c["lines"].as_array().unwrap().len(), 6);
    assert_eq!(c["lines"][0]["usage_type"], "BoxUsage:m5.large");
    assert_eq!(c["lines"][0]["amount"], json!(700.0));
    assert_eq!(c["not_sent"][0]["category"], "Operations effort (people)");
    assert_eq!(c["kept"], false);
    assert_eq!(calc.calls("DeleteWorkloadEstimate").len(), 1);
    assert_eq!(other.calls("GetCallerIdentity").len(), 1);
    assert!(calc.calls("GetCallerIdentity").is_empty());
    assert_eq!(other.seen().len(), 1, "no calculator call went to the global endpoint");
}

#[tokio::test]
async fn the_cli_flag_sends_to_an_endpoint_and_keep_keeps_the_estimate() {
    let calc = small_calculator();
    let url = calc.start().await;
    let dir = tempfile::tempdir().unwrap();
    let args = ["--scenario", &scenario_file(&dir), "--endpoint-url", &url, "--account-id", "210987654321", "--keep"];
    let out = tco(args.iter().map(|s| s.to_string()).collect(), test_credentials()).await;
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("workload estimate 00000000-0000-4000-8000-000000000001 (VALID, kept)"), "{stdout}");
    assert!(stdout.contains("total per month: ours $128.65, AWS $130.75, difference +$2.10"), "{stdout}");
    assert!(stdout.contains("Operations effort (people)"), "{stdout}");
    assert!(calc.calls("DeleteWorkloadEstimate").is_empty());
    assert!(calc.sent().iter().all(|u| u["usageAccountId"] == "210987654321"));
}

#[tokio::test]
async fn the_cli_without_credentials_says_what_to_configure_and_sends_nothing() {
    let calc = small_calculator();
    let url = calc.start().await;
    let dir = tempfile::tempdir().unwrap();
    let args = ["--scenario", &scenario_file(&dir), "--endpoint-url", &url, "--account-id", ACCOUNT];
    let out = tco(args.iter().map(|s| s.to_string()).collect(), Vec::new()).await;
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("AWS credentials are not configured"), "{stderr}");
    assert!(stderr.contains("AWS_ACCESS_KEY_ID"), "{stderr}");
    assert!(calc.seen().is_empty());
}

#[tokio::test]
async fn the_cli_reports_access_denied_and_a_bad_account_id() {
    let calc = small_calculator().fail("CreateWorkloadEstimate", 403, "AccessDeniedException");
    let url = calc.start().await;
    let dir = tempfile::tempdir().unwrap();
    let file = scenario_file(&dir);
    let args = ["--scenario", &file, "--endpoint-url", &url, "--account-id", ACCOUNT];
    let out = tco(args.iter().map(|s| s.to_string()).collect(), test_credentials()).await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.contains("CreateWorkloadEstimate: AccessDeniedException"), "{stderr}");
    let args = ["--scenario", &file, "--endpoint-url", &url, "--account-id", "12345"];
    let out = tco(args.iter().map(|s| s.to_string()).collect(), test_credentials()).await;
    assert!(String::from_utf8_lossy(&out.stderr).contains("account id `12345`: an AWS account id is 12 digits"));
}

// ---------------------------------------------------------------------------------------------
// The API.

async fn post(state: tco_server::AppState, uri: &str, body: String) -> (StatusCode, Value) {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let app = tco_server::build_app(state);
    let request = axum::http::Request::builder().method("POST").uri(uri).body(axum::body::Body::from(body)).unwrap();
    let response = app.oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

fn state_for(s: Settings) -> tco_server::AppState {
    let mut state = tco_server::AppState::new(None);
    state.crosscheck = Arc::new(s);
    state
}

#[tokio::test]
async fn the_api_checks_a_scenario_and_maps_aws_errors_to_their_meaning() {
    let calc = small_calculator();
    let url = calc.start().await;
    let body = serde_json::to_string(&small_scenario()).unwrap();
    let (status, c) = post(state_for(settings(&url)), "/api/v1/crosscheck?target=ecs-ec2", body.clone()).await;
    assert_eq!(status, StatusCode::OK, "{c}");
    assert_eq!((c["aws_monthly_usd"].clone(), c["ours_monthly_usd"].clone()), (json!(130.75), json!(128.65)));
    assert_eq!(calc.calls("DeleteWorkloadEstimate").len(), 1);

    for (operation, http, kind, status, code) in [
        ("CreateWorkloadEstimate", 403, "AccessDeniedException", StatusCode::FORBIDDEN, "aws_access_denied"),
        (
            "BatchCreateWorkloadEstimateUsage",
            429,
            "ThrottlingException",
            StatusCode::TOO_MANY_REQUESTS,
            "aws_throttled",
        ),
        (
            "BatchCreateWorkloadEstimateUsage",
            400,
            "ValidationException",
            StatusCode::UNPROCESSABLE_ENTITY,
            "aws_validation",
        ),
        (
            "GetWorkloadEstimate",
            400,
            "DataUnavailableException",
            StatusCode::SERVICE_UNAVAILABLE,
            "aws_data_unavailable",
        ),
        ("ListWorkloadEstimateUsage", 500, "InternalServerException", StatusCode::BAD_GATEWAY, "aws_error"),
    ] {
        let calc = small_calculator().fail(operation, http, kind);
        let url = calc.start().await;
        let (got, e) = post(state_for(settings(&url)), "/api/v1/crosscheck?target=ecs-ec2", body.clone()).await;
        assert_eq!((got, e["error"]["code"].as_str()), (status, Some(code)), "{operation}: {e}");
        assert_eq!(e["error"]["details"]["operation"], operation);
        assert_eq!(e["error"]["details"]["aws_code"], kind);
        let created = operation != "CreateWorkloadEstimate";
        assert_eq!(calc.calls("DeleteWorkloadEstimate").len(), usize::from(created), "{operation}: clean-up");
        if created {
            assert!(e["error"]["details"]["estimate"].as_str().unwrap().ends_with("deleted"), "{e}");
        }
    }

    let unreachable = Settings { endpoint_url: Some("http://127.0.0.1:9".into()), ..settings(&url) };
    let (got, e) = post(state_for(unreachable), "/api/v1/crosscheck?target=ecs-ec2", body.clone()).await;
    assert_eq!((got, e["error"]["code"].as_str()), (StatusCode::BAD_GATEWAY, Some("aws_unreachable")), "{e}");

    let none = Settings { credentials: Some(SharedCredentialsProvider::new(NoCredentials)), ..settings(&url) };
    let (got, e) = post(state_for(none), "/api/v1/crosscheck?target=ecs-ec2", body.clone()).await;
    assert_eq!((got, e["error"]["code"].as_str()), (StatusCode::SERVICE_UNAVAILABLE, Some("aws_not_configured")));
    assert!(e["error"]["details"]["permissions"].as_str().unwrap().contains("ListWorkloadEstimateUsage"));

    let (got, e) = post(state_for(settings(&url)), "/api/v1/crosscheck?target=lambda", body.clone()).await;
    assert_eq!((got, e["error"]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("bad_request")), "{e}");
    let (got, e) =
        post(state_for(settings(&url)), "/api/v1/crosscheck?target=ecs-ec2&rate_type=cheapest", body.clone()).await;
    assert_eq!((got, e["error"]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("bad_request")), "{e}");
}

/// The stand-in priced at the catalog's own us-east-1 prices for the sample's usage types.
fn catalog_priced(prepared: &Prepared) -> Calculator {
    let c = catalog();
    let service = |id: &str| c.service(id).map(|s| rust_decimal::prelude::ToPrimitive::to_f64(&s.usd).unwrap());
    let mut calc = Calculator::new();
    for l in &prepared.planned.outgoing {
        let rate = match l.usage_type.as_str() {
            t if t.starts_with("BoxUsage:") => {
                let name = &t["BoxUsage:".len()..];
                c.instance_price("us-east-1", name)
                    .map(|p| rust_decimal::prelude::ToPrimitive::to_f64(&p.usd_per_hour).unwrap())
            }
            "LoadBalancerUsage" => service("alb-hour"),
            "LCUUsage" => service("alb-lcu-hour"),
            "NatGateway-Hours" => service("nat-gateway-hour"),
            "USE1-PublicIPv4:InUseAddress" => service("public-ipv4-hour"),
            "EBS:VolumeUsage.gp3" => service("ebs-gp3-gb-month"),
            "USE1-AmazonEKS-Hours:perCluster" => service("eks-cluster-standard"),
            "USE1-Fargate-vCPU-Hours:perCPU" => service("fargate-linux-x86-vcpu"),
            "USE1-Fargate-GB-Hours" => service("fargate-linux-x86-gb"),
            _ => None,
        };
        calc = calc.price(&l.usage_type, rate.unwrap_or_else(|| panic!("no catalog price for {}", l.usage_type)));
    }
    calc
}

/// Checks each target's plan of `scenario` against a stand-in charging the catalog's own
/// prices: it must land on our figures to the cent for every line, the amounts and units sent
/// being the ones priced. Returns each target's (ours, AWS's) monthly total.
async fn agrees_line_by_line(scenario: &Scenario, targets: &[Platform]) -> Vec<(Platform, Decimal, Decimal)> {
    let mut totals = Vec::new();
    for &target in targets {
        let prepared = crosscheck::prepare(scenario.clone(), catalog(), Some(target)).unwrap();
        let calc = catalog_priced(&prepared);
        let c = run(&calc, &prepared, false).await.unwrap();
        eprintln!("{}", crosscheck::render_table(&c));
        for l in &c.lines {
            let aws = l.aws_usd.unwrap_or_else(|| panic!("{}: not priced", l.category));
            assert!(
                (aws.amount() - l.ours_usd.amount()).abs() < d("0.005"),
                "{}: {aws:?} vs {:?}",
                l.category,
                l.ours_usd
            );
        }
        assert!(c.difference_usd.amount().abs() < d("0.05"), "{target:?}: {:?}", c.difference_usd);
        assert_eq!(calc.calls("DeleteWorkloadEstimate").len(), 1);
        totals.push((target, c.ours_monthly_usd.rounded_to_cents(), c.aws_monthly_usd.rounded_to_cents()));
    }
    totals
}

#[tokio::test]
async fn the_sample_checked_at_the_catalogs_prices_agrees_line_by_line() {
    let sample = tco_server::sample::scenario(catalog()).unwrap();
    agrees_line_by_line(&sample, &[Platform::EcsEc2, Platform::EksEc2, Platform::EcsFargate]).await;
}

#[tokio::test]
async fn a_30000_a_month_formation_checked_at_the_catalogs_prices_agrees_line_by_line() {
    // The seed case's size: 60 Performance-L dynos at $500 a month list, $30,000 a month.
    let formation = r#"[{"app":{"name":"clinical"},"type":"web","quantity":60,"size":"Performance-L"}]"#;
    let a = tco_engine::Assumptions::default();
    let file = tco_server::import::InputFile { name: "formation.json", bytes: formation.as_bytes() };
    let (_, workloads) =
        tco_server::import::import_file(file, tco_server::import::Context::new(catalog(), &a), None).unwrap();
    assert_eq!(workloads.current_monthly_usd.cents(), 3_000_000);
    let scenario = Scenario { name: "clinical".into(), workloads, assumptions: a };
    let targets = [Platform::EcsEc2, Platform::EksEc2, Platform::EcsFargate, Platform::Ec2];
    let totals = agrees_line_by_line(&scenario, &targets).await;
    // The report's own totals are what was checked, cost line for cost line.
    let mut every_target = scenario.clone();
    every_target.assumptions.targets = targets.to_vec();
    let report = tco_engine::estimate(&every_target, catalog()).unwrap();
    for (target, ours, _) in totals {
        let option = report.options.iter().find(|o| o.platform == target).unwrap();
        let checked: Decimal = option
            .breakdown
            .iter()
            .filter(|l| !l.usage.is_empty())
            .map(|l| l.monthly_usd.amount())
            .sum::<Decimal>()
            .round_dp(2);
        assert_eq!(ours, checked, "{target:?}");
    }
}

#[tokio::test]
async fn the_openapi_document_describes_the_crosscheck_and_its_answer() {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let app = tco_server::build_app(tco_server::AppState::new(None));
    let request = axum::http::Request::builder().uri("/api/openapi.json").body(axum::body::Body::empty()).unwrap();
    let bytes = app.oneshot(request).await.unwrap().into_body().collect().await.unwrap().to_bytes();
    let doc: Value = serde_json::from_slice(&bytes).unwrap();
    let op = &doc["paths"]["/api/v1/crosscheck"]["post"];
    let statuses: Vec<&str> = op["responses"].as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(statuses, vec!["200", "400", "403", "413", "422", "429", "502", "503", "504"]);
    let params: Vec<&str> = op["parameters"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert_eq!(params, vec!["target", "rate_type"]);
    let answer = &doc["components"]["schemas"]["Crosscheck"]["properties"];
    for field in [
        "estimate_id",
        "rate_type",
        "status",
        "aws_monthly_usd",
        "ours_monthly_usd",
        "difference_usd",
        "lines",
        "not_sent",
    ] {
        assert!(answer.get(field).is_some(), "Crosscheck.{field} is not described");
    }
}
