//! Requests an attacker or a careless user sends, each answered with its documented status
//! within seconds, the server still serving afterwards: the first release's table of what took
//! it down or starved it, as regression tests.

use serde_json::{json, Value};
use std::time::{Duration, Instant};
use tco_server::pool::CpuPool;
use tco_server::state::Connections;
use tco_server::AppState;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A real server on a free port; it stops when the test ends.
async fn start(state: AppState) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(tco_server::serve(listener, state, std::future::pending()));
    format!("http://{addr}")
}

fn client() -> reqwest::Client {
    reqwest::Client::builder().timeout(Duration::from_secs(60)).build().unwrap()
}

async fn post(base: &str, path: &str, body: &Value) -> (u16, Value, reqwest::header::HeaderMap) {
    let r = client().post(format!("{base}{path}")).json(body).send().await.unwrap();
    let (status, headers) = (r.status().as_u16(), r.headers().clone());
    (status, r.json().await.unwrap_or(Value::Null), headers)
}

/// The server still answers a light request, quickly.
async fn healthy(base: &str) {
    let started = Instant::now();
    let r = client().get(format!("{base}/api/v1/health")).timeout(Duration::from_secs(5)).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(started.elapsed() < Duration::from_secs(5));
}

fn scenario(processes: Value, assumptions: Value) -> Value {
    json!({"name": "hostile", "workloads": {"apps": [{"name": "a", "source": "test", "processes": processes}]}, "assumptions": assumptions})
}

fn process(name: &str, replicas: u64) -> Value {
    json!({"name": name, "replicas": replicas, "cpu_millicores": 500, "memory_mib": 1024})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_billion_replicas_are_refused_at_once_naming_the_field() {
    let base = start(AppState::new(None)).await;
    let started = Instant::now();
    let (status, body, _) =
        post(&base, "/api/v1/estimate", &scenario(json!([process("web", 1_000_000_000)]), json!({}))).await;
    assert_eq!(status, 422);
    assert_eq!(body["error"]["code"], "limit_exceeded");
    assert_eq!(body["error"]["field"], "workloads.apps[0].processes[0].replicas");
    assert_eq!(body["error"]["details"]["limit"], "100000 replicas per process");
    assert!(started.elapsed() < Duration::from_secs(2), "refused before any work");
    healthy(&base).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn saving_or_repricing_a_scenario_is_bounded_like_an_estimate() {
    let dir = tempfile::tempdir().unwrap();
    let store = tco_server::store::Store::open_dir(dir.path()).await.unwrap();
    let base = start(AppState::new(None).with_store(store)).await;
    let started = Instant::now();
    let (status, body, _) =
        post(&base, "/api/v1/scenarios", &scenario(json!([process("web", 1_000_000_000)]), json!({}))).await;
    assert_eq!((status, body["error"]["code"].as_str()), (422, Some("limit_exceeded")), "{body}");
    assert_eq!(body["error"]["field"], "workloads.apps[0].processes[0].replicas");
    assert!(started.elapsed() < Duration::from_secs(2), "refused before any work");
    // A scenario within the limits saves, and re-prices on the pool.
    let (status, saved, _) = post(&base, "/api/v1/scenarios", &scenario(json!([process("web", 3)]), json!({}))).await;
    assert_eq!(status, 201, "{saved}");
    let id = saved["id"].as_str().unwrap();
    let (status, repriced, _) = post(&base, &format!("/api/v1/scenarios/{id}/reprice"), &json!({})).await;
    assert_eq!((status, repriced["changed"].as_bool()), (200, Some(false)), "{repriced}");
    healthy(&base).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_headroom_that_would_plan_a_node_per_replica_is_refused() {
    let base = start(AppState::new(None)).await;
    let (status, body, _) =
        post(&base, "/api/v1/estimate", &scenario(json!([process("web", 100_000)]), json!({"headroom": 1e-9}))).await;
    assert_eq!(status, 400);
    let message = body["error"]["message"].as_str().unwrap();
    assert!(message.contains("assumptions.headroom") && message.contains("not between 0.05 and 1"), "{message}");
    healthy(&base).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_copies_of_a_target_are_estimated_once() {
    // The first release planned every copy: 28 s and an 857 MB response.
    let base = start(AppState::new(None)).await;
    let targets: Vec<&str> = std::iter::repeat_n("ecs-ec2", 1000).collect();
    let started = Instant::now();
    let (status, body, _) =
        post(&base, "/api/v1/estimate", &scenario(json!([process("web", 100_000)]), json!({"targets": targets}))).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["options"].as_array().unwrap().len(), 1);
    assert!(started.elapsed() < Duration::from_secs(20), "took {:?}", started.elapsed());
    healthy(&base).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn money_that_would_overflow_is_refused_naming_the_field() {
    let base = start(AppState::new(None)).await;
    let mut rich = process("web", 1);
    rich["monthly_usd"] = json!(7e28);
    let (status, body, _) = post(&base, "/api/v1/estimate", &scenario(json!([rich.clone(), rich]), json!({}))).await;
    assert_eq!((status, body["error"]["field"].as_str()), (422, Some("workloads.apps[0].processes[0].monthly_usd")));
    let people = json!({"people": {"engineer_week_usd": 7e28}});
    let (status, body, _) = post(&base, "/api/v1/estimate", &scenario(json!([process("web", 1)]), people)).await;
    assert_eq!((status, body["error"]["field"].as_str()), (422, Some("assumptions.people.engineer_week_usd")));
    healthy(&base).await;
}

/// Imports a file's bytes; the status and the error, if any.
async fn import(base: &str, filename: &str, body: &str) -> (u16, Value) {
    let r =
        client().post(format!("{base}/api/v1/import?filename={filename}")).body(body.to_string()).send().await.unwrap();
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn imported_money_that_would_overflow_is_refused_naming_the_file_line_and_field() {
    let base = start(AppState::new(None)).await;
    let template = "app,process,replicas,vcpu,memory_gib,hours_per_month,monthly_usd\n\
                    a,web,1,1,2,730,7e28\n\
                    a,worker,1,1,2,730,7e28\n";
    let (status, body) = import(&base, "template.csv", template).await;
    assert_eq!(status, 422, "{body}");
    let e = &body["error"];
    assert_eq!(
        (e["file"].as_str(), e["line"].as_u64(), e["field"].as_str()),
        (Some("template.csv"), Some(2), Some("monthly_usd"))
    );
    let (status, body) =
        import(&base, "template.csv", "app,process,replicas,vcpu,memory_gib,hours_per_month\na,web,1,7e28,2,730\n")
            .await;
    assert_eq!((status, body["error"]["field"].as_str()), (422, Some("vcpu")));

    // A CUR line over a trillion dollars, and two that fit a decimal each but not summed.
    let header = "identity/LineItemId,identity/TimeInterval,bill/BillingPeriodStartDate,lineItem/LineItemType,\
                  lineItem/UsageStartDate,lineItem/ProductCode,lineItem/UsageType,lineItem/Operation,\
                  lineItem/ResourceId,lineItem/UsageAmount,lineItem/UnblendedRate,lineItem/UnblendedCost,\
                  product/instanceType,product/region";
    let line = |id: &str, cost: &str| {
        format!(
            "{id},2026-10-01T00:00:00Z/2026-11-01T00:00:00Z,2026-10-01T00:00:00Z,Usage,2026-10-01T00:00:00Z,\
             AmazonEC2,USE1-BoxUsage:c5.2xlarge,RunInstances,i-1,744,0.34,{cost},c5.2xlarge,us-east-1\n"
        )
    };
    let (status, body) = import(&base, "cur.csv", &format!("{header}\n{}", line("l1", "5000000000000"))).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(
        (body["error"]["file"].as_str(), body["error"]["field"].as_str()),
        (Some("cur.csv"), Some("unblended_cost"))
    );
    assert!(body["error"]["message"].as_str().unwrap().contains("i-1 in 2026-10"), "{body}");
    let nines = "9000000000000000000000000000";
    let cur = format!("{header}\n{}{}", line("l1", nines), line("l2", nines));
    let (status, body) = import(&base, "cur.csv", &cur).await;
    assert_eq!((status, body["error"]["file"].as_str()), (422, Some("cur.csv")), "{body}");
    healthy(&base).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn work_over_the_budget_is_refused_before_it_starts() {
    let mut state = AppState::new(None);
    state.limits.work = 1_000_000;
    let base = start(state).await;
    let processes: Vec<Value> = (0..200)
        .map(|i| json!({"name": format!("p{i}"), "replicas": 3, "cpu_millicores": 250 + 10 * i, "memory_mib": 512 + 64 * i}))
        .collect();
    let (status, body, _) = post(&base, "/api/v1/estimate", &scenario(json!(processes), json!({}))).await;
    assert_eq!((status, body["error"]["code"].as_str()), (422, Some("too_much_work")));
    assert!(body["error"]["details"]["work_units"].as_u64().unwrap() > 1_000_000);
    healthy(&base).await;
}

/// A scenario that takes a few seconds of packing: 12 processes following a week's profile
/// on EKS Auto Mode, every hour distinct.
fn heavy() -> Value {
    let processes: Vec<Value> = (0..12u64)
        .map(|i| {
            let hours: Vec<u64> = (0..168u64).map(|h| 1 + (h * (i + 3)) % 20).collect();
            json!({"name": format!("p{i}"), "replicas": 20, "cpu_millicores": 250 + 50 * i, "memory_mib": 512 + 256 * i, "hourly_replicas": hours})
        })
        .collect();
    scenario(json!(processes), json!({"targets": ["eks-auto", "ecs-ec2"]}))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn heavy_estimates_beyond_the_pool_are_refused_at_once_and_light_requests_still_answer() {
    let mut state = AppState::new(None);
    state.cpu = CpuPool::new(1, 0);
    let base = start(state).await;
    let first = tokio::spawn({
        let base = base.clone();
        async move { post(&base, "/api/v1/estimate", &heavy()).await.0 }
    });
    // Until the first holds the only worker.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let started = Instant::now();
    let (status, body, headers) = post(&base, "/api/v1/estimate", &heavy()).await;
    assert_eq!((status, body["error"]["code"].as_str()), (503, Some("busy")));
    assert_eq!(headers.get("retry-after").and_then(|v| v.to_str().ok()), Some("1"));
    assert!(started.elapsed() < Duration::from_secs(1), "refused at once, not queued");
    healthy(&base).await;
    let r = client().get(format!("{base}/api/v1/catalog?family=c5")).send().await.unwrap();
    assert_eq!(r.status(), 200, "the catalog answers while the pool is busy");
    assert_eq!(first.await.unwrap(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_request_timeout_stops_the_work_too() {
    let mut state = AppState::new(None);
    state.cpu = CpuPool::new(1, 0);
    state.request_timeout = Duration::from_millis(300);
    let base = start(state).await;
    let started = Instant::now();
    let (status, body, _) = post(&base, "/api/v1/estimate", &heavy()).await;
    assert_eq!((status, body["error"]["code"].as_str()), (408, Some("request_timeout")));
    assert!(started.elapsed() < Duration::from_secs(3));
    // The engine stopped at its deadline, so the only worker is free again soon: a small
    // estimate is served, not refused as busy.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let (status, _, _) = post(&base, "/api/v1/estimate", &scenario(json!([process("web", 2)]), json!({}))).await;
    assert_eq!(status, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn silent_connections_are_closed_and_cannot_starve_the_server() {
    let mut state = AppState::new(None);
    state.connections =
        Connections { max_open: 20, header_read_timeout: Duration::from_secs(1), ..Connections::default() };
    let base = start(state).await;
    let addr = base.trim_start_matches("http://").to_string();
    // More silent connections than the server keeps open.
    let mut idle = Vec::new();
    for _ in 0..40 {
        idle.push(TcpStream::connect(&addr).await.unwrap());
    }
    // Health answers once the silent ones time out and free their places.
    healthy_within(&base, Duration::from_secs(8)).await;
    // The ones the server took were closed: a read sees the end of the stream.
    let mut closed = 0;
    for mut s in idle {
        let mut buf = [0u8; 512];
        if let Ok(Ok(_)) = tokio::time::timeout(Duration::from_secs(3), s.read(&mut buf)).await {
            closed += 1;
        }
    }
    assert!(closed >= 20, "{closed} of 40 silent connections closed");
}

async fn healthy_within(base: &str, limit: Duration) {
    let r = client().get(format!("{base}/api/v1/health")).timeout(limit).send().await.unwrap();
    assert_eq!(r.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_half_sent_request_head_is_cut_off() {
    let mut state = AppState::new(None);
    state.connections = Connections { header_read_timeout: Duration::from_secs(1), ..Connections::default() };
    let base = start(state).await;
    let mut s = TcpStream::connect(base.trim_start_matches("http://")).await.unwrap();
    s.write_all(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n").await.unwrap();
    let mut buf = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(5), s.read_to_end(&mut buf)).await;
    assert!(read.is_ok(), "the server closed the connection within the header timeout");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_concurrency_limit_is_one_for_the_whole_server() {
    // With one request at a time, a slow upload to one route holds back a request to another.
    let mut state = AppState::new(None);
    state.max_concurrency = 1;
    let base = start(state).await;
    let addr = base.trim_start_matches("http://").to_string();
    let mut slow = TcpStream::connect(&addr).await.unwrap();
    slow.write_all(b"POST /api/v1/import?filename=f.json HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n[")
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let held = client().get(format!("{base}/api/v1/health")).timeout(Duration::from_millis(800)).send().await;
    assert!(held.is_err(), "health waited for the one slot: {held:?}");
    drop(slow);
    healthy(&base).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_browser_surface_is_hardened() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("index.html"), "<html><script>window.x = 1;</script></html>").unwrap();
    let base = start(AppState::new(Some(dir.path().to_path_buf()))).await;
    let page = client().get(format!("{base}/")).send().await.unwrap();
    let csp = page.headers()["content-security-policy"].to_str().unwrap().to_string();
    // sha256 of "window.x = 1;", base64.
    assert!(csp.contains("'sha256-"), "{csp}");
    assert!(csp.contains("frame-ancestors 'none'") && csp.contains("object-src 'none'"), "{csp}");
    assert_eq!(page.headers()["x-content-type-options"], "nosniff");
    assert_eq!(page.headers()["x-frame-options"], "DENY");
    assert_eq!(page.headers()["referrer-policy"], "no-referrer");
    let shared = client().get(format!("{base}/api/v1/shared/nope")).send().await.unwrap();
    assert_eq!(shared.headers()["cache-control"], "no-store");
    // A cross-site form post (text/plain needs no preflight) is refused.
    let r = client()
        .post(format!("{base}/api/v1/scenarios"))
        .header("origin", "https://evil.example")
        .header("content-type", "text/plain")
        .body(r#"{"workloads":{"apps":[]}}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], "foreign_origin");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_allowed_host_names_are_served_when_listed() {
    let mut state = AppState::new(None);
    state.allowed_hosts = Some(vec!["tco.internal".into()]);
    let base = start(state).await;
    let addr = base.trim_start_matches("http://");
    let r = client().get(format!("{base}/api/v1/health")).send().await.unwrap();
    assert_eq!(r.status(), 421, "127.0.0.1 is not on the list");
    let r =
        client().get(format!("http://{addr}/api/v1/health")).header("host", "tco.internal:8080").send().await.unwrap();
    assert_eq!(r.status(), 200);
}
