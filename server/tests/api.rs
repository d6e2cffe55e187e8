//! The JSON API, against the real router: in process for most, on a real socket for limits.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tco_server::{build_app, AppState};
use tower::ServiceExt;

async fn call(method: &str, uri: &str, body: impl Into<Body>) -> (StatusCode, Value) {
    let app = build_app(AppState::new(None));
    let request = Request::builder().method(method).uri(uri).body(body.into()).unwrap();
    let response = app.oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let value =
        serde_json::from_slice(&bytes).unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into()));
    (status, value)
}

#[tokio::test]
async fn health_reports_the_catalog_date() {
    let (status, body) = call("GET", "/api/health", Body::empty()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["status"], "ok");
    assert_eq!(body["catalog_as_of"], tco_pricing_data::embedded().snapshot.as_str());
}

#[tokio::test]
async fn the_sample_estimates_to_the_heroku_list_price_and_two_aws_options() {
    let (status, sample) = call("GET", "/api/sample", Body::empty()).await;
    assert_eq!(status, StatusCode::OK);
    let (status, report) = call("POST", "/api/estimate", sample.to_string()).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    // 11 Performance-L × $500 + 22 Standard-2X × $50 = $6,600 per month
    assert_eq!(report["current"]["platform"], "heroku");
    assert_eq!(report["current"]["monthly_usd"], json!(6600.0));
    assert_eq!(report["currency"], "USD");
    assert_eq!(report["hours_per_month"], 730);
    let platforms: Vec<&str> =
        report["options"].as_array().unwrap().iter().map(|o| o["platform"].as_str().unwrap()).collect();
    assert_eq!(platforms, vec!["ecs-ec2", "eks-ec2"]);
    for o in report["options"].as_array().unwrap() {
        assert_eq!(o["region"], "us-east-1");
        let u = &o["utilization"];
        for k in ["cpu", "memory"] {
            let v = u[k].as_f64().unwrap();
            assert!(v > 0.0 && v <= 1.0, "{k} utilization {v}");
        }
        assert!(!o["nodes"].as_array().unwrap().is_empty());
    }
    // EKS pays the control plane: $0.10 × 730 h = $73.00 on top of its nodes
    let eks = &report["options"][1];
    assert_eq!(eks["breakdown"][1], json!({"category": "EKS control plane", "monthly_usd": 73.0}));
    // every source has a unit, a source and a date
    for s in report["sources"].as_array().unwrap() {
        assert!(s["source"].as_str().is_some_and(|v| !v.is_empty()));
        assert_eq!(s["as_of"].as_str().unwrap().len(), 10);
        assert!(s["usd"].is_number());
    }
}

#[tokio::test]
async fn the_api_gives_the_same_report_as_the_engine() {
    let (_, sample) = call("GET", "/api/sample", Body::empty()).await;
    let scenario: tco_engine::Scenario = serde_json::from_value(sample.clone()).unwrap();
    let direct = serde_json::to_value(tco_engine::estimate(&scenario, tco_pricing_data::embedded()).unwrap()).unwrap();
    let (_, via_api) = call("POST", "/api/estimate", sample.to_string()).await;
    assert_eq!(via_api, direct);
}

#[tokio::test]
async fn import_normalizes_a_concatenated_formation_and_names_the_format() {
    let body = r#"[
      {"app":{"name":"shop"},"type":"web","quantity":2,"size":"standard-2x"},
      {"app":{"name":"shop"},"type":"worker","quantity":1,"size":"Performance-M"},
      {"app":{"name":"admin"},"type":"web","quantity":1,"dyno_size":{"name":"Standard-1X"}}
    ]"#;
    let (status, w) = call("POST", "/api/import?filename=formation.json", body).await;
    assert_eq!(status, StatusCode::OK, "{w}");
    assert_eq!(w["detected"][0], json!({"file": "formation.json", "format": "heroku-formation"}));
    assert_eq!(w["apps"].as_array().unwrap().len(), 2);
    let web = &w["apps"][0]["processes"][0];
    assert_eq!(web["size"], "Standard-2X");
    assert_eq!(web["replicas"], 2);
    assert_eq!(web["memory_mib"], 1024);
    assert_eq!(web["monthly_usd"], json!(100.0));
    assert_eq!(web["hourly_replicas"], Value::Null);
    assert_eq!(web["measured"], Value::Null);
    // 2 × $50 + $250 + $25 = $375
    assert_eq!(w["current_monthly_usd"], json!(375.0));
    assert_eq!(w["apps"][0]["source"], "heroku-formation:formation.json");
}

#[tokio::test]
async fn import_refuses_text_that_is_not_json() {
    let (status, body) = call("POST", "/api/import?filename=ps.txt", "=== web (Standard-1X): puma (2)").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["file"], "ps.txt");
    assert_eq!(body["error"]["line"], 1);
    assert!(body["error"]["message"].as_str().unwrap().contains("not valid JSON"), "{body}");
}

#[tokio::test]
async fn import_names_an_unknown_dyno_size_with_its_line_and_field() {
    let body = "[\n  {\"type\":\"web\",\"quantity\":1,\"size\":\"Standard-1X\"},\n  {\"type\":\"web2\",\"quantity\":1,\"size\":\"Mega-3X\"}\n]";
    let (status, err) = call("POST", "/api/import?filename=f.json", body).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(err["error"]["line"], 3);
    assert_eq!(err["error"]["field"], "[1].size");
    assert!(err["error"]["message"].as_str().unwrap().contains("unknown dyno size \"Mega-3X\""), "{err}");
}

#[tokio::test]
async fn import_refuses_a_negative_quantity() {
    let (status, err) = call("POST", "/api/import", r#"[{"type":"web","quantity":-3,"size":"2X"}]"#).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(err["error"]["field"], "[0].quantity");
    assert!(err["error"]["message"].as_str().unwrap().contains("-3"));
}

#[tokio::test]
async fn import_refuses_an_empty_body() {
    let (status, err) = call("POST", "/api/import", "  \n").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(err["error"]["message"].as_str().unwrap().contains("empty"));
}

#[tokio::test]
async fn estimate_refuses_malformed_scenarios_naming_the_field() {
    let (status, err) = call(
        "POST",
        "/api/estimate",
        r#"{"workloads":{"apps":[{"name":"a","processes":[{"name":"web","replicas":"many"}]}]}}"#,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let message = err["error"]["message"].as_str().unwrap();
    assert!(message.contains("workloads.apps[0].processes[0].replicas"), "{message}");

    let (status, err) =
        call("POST", "/api/estimate", r#"{"workloads":{},"assumptions":{"region":"mars-north-1"}}"#).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(err["error"]["message"].as_str().unwrap().contains("mars-north-1"));
}

#[tokio::test]
async fn unknown_api_paths_are_json_404s_and_the_unbuilt_front_end_says_so() {
    let (status, err) = call("GET", "/api/nope", Body::empty()).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(err["error"]["code"], "not_found");
    let (status, page) = call("GET", "/", Body::empty()).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(page.as_str().unwrap().contains("front end has not been built"));
}

#[tokio::test]
async fn a_50_mb_body_is_refused_and_the_server_keeps_serving() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(tco_server::serve(listener, AppState::new(None), async {
        let _ = stopped.await;
    }));
    let client = reqwest::Client::new();
    let big = vec![b'['; 50 * 1024 * 1024];
    let response = client.post(format!("http://{addr}/api/import")).body(big).send().await.unwrap();
    assert_eq!(response.status(), reqwest::StatusCode::PAYLOAD_TOO_LARGE);
    let body: Value = response.json().await.unwrap();
    assert!(body["error"]["message"].as_str().unwrap().contains("10 MiB limit"), "{body}");

    // The same, streamed without a length, is cut off at the limit too.
    let chunks = futures_chunks(50);
    let response = client
        .post(format!("http://{addr}/api/estimate"))
        .body(reqwest::Body::wrap_stream(chunks))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), reqwest::StatusCode::PAYLOAD_TOO_LARGE);

    let health = client.get(format!("http://{addr}/api/health")).send().await.unwrap();
    assert_eq!(health.status(), reqwest::StatusCode::OK);
    stop.send(()).unwrap();
    server.await.unwrap().unwrap();
}

/// `mib` chunks of 1 MiB each, as a stream with no declared length.
fn futures_chunks(mib: usize) -> impl tokio_stream::Stream<Item = Result<Vec<u8>, std::io::Error>> {
    tokio_stream::iter((0..mib).map(|_| Ok(vec![b' '; 1024 * 1024])))
}
