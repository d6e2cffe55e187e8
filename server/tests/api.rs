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
async fn the_sample_estimates_to_the_heroku_list_price_and_three_aws_options() {
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
    assert_eq!(platforms, vec!["ecs-ec2", "eks-ec2", "ecs-fargate"]);
    for o in report["options"].as_array().unwrap() {
        assert_eq!(o["region"], "us-east-1");
        let u = &o["utilization"];
        for k in ["cpu", "memory"] {
            let v = u[k].as_f64().unwrap();
            assert!(v > 0.0 && v <= 1.0, "{k} utilization {v}");
        }
        let placed = o["nodes"].as_array().unwrap().len() + o["fargate_tasks"].as_array().map_or(0, Vec::len);
        assert!(placed > 0, "{o}");
    }
    // EKS pays the control plane: $0.10 × 730 h = $73.00 on top of its nodes
    let eks = &report["options"][1];
    let control_plane =
        eks["breakdown"].as_array().unwrap().iter().find(|l| l["category"] == "EKS control plane").unwrap();
    assert_eq!(
        *control_plane,
        json!({"category": "EKS control plane", "monthly_usd": 73.0, "group": "platform",
               "formula": "1 cluster × $0.10/h × 730 h", "sources": ["EKS control plane (standard support), us-east-1"],
               "usage": [{"meter": "eks-cluster-hours", "amount": 730.0, "unit": "Hrs", "monthly_usd": 73.0}]})
    );
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
    let detected = &w["detected"][0];
    assert_eq!((&detected["file"], &detected["format"]), (&json!("formation.json"), &json!("heroku-formation")));
    assert_eq!((&detected["apps"], &detected["processes"], &detected["skipped"]), (&json!(2), &json!(3), &json!(0)));
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
async fn import_refuses_text_of_no_known_format() {
    let (status, body) = call("POST", "/api/import?filename=notes.txt", "web: two dynos, worker: one").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["file"], "notes.txt");
    assert_eq!(body["error"]["line"], 1);
    assert!(body["error"]["message"].as_str().unwrap().starts_with("notes.txt: line 1: unrecognised format"), "{body}");
}

#[tokio::test]
async fn import_refuses_broken_json_with_its_line() {
    let (status, body) = call("POST", "/api/import?filename=f.json", "[{\"type\": \"web\",\n \"quantity\": 2,").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["line"], 2);
    assert!(body["error"]["message"].as_str().unwrap().contains("not valid JSON"), "{body}");
}

#[tokio::test]
async fn import_reads_heroku_ps_text_for_the_named_app() {
    let text = "=== web (Standard-2X): bundle exec puma (3)\nweb.1: up 2024/05/16 10:13:20 +0000 (~ 1h ago)\n";
    let (status, w) = call("POST", "/api/import?filename=ps.txt&app=shop", text).await;
    assert_eq!(status, StatusCode::OK, "{w}");
    assert_eq!(w["detected"][0]["format"], "heroku-ps");
    assert_eq!(w["apps"][0]["name"], "shop");
    assert_eq!(w["apps"][0]["processes"][0]["replicas"], 3);
    assert_eq!(w["current_monthly_usd"], json!(150.0));
}

#[tokio::test]
async fn import_takes_several_files_as_multipart_and_merges_logs_into_the_formation() {
    let boundary = "XBOUNDARYX";
    let formation = r#"[{"app":{"name":"shop"},"type":"web","quantity":2,"size":"Standard-2X"}]"#;
    let log = "2024-05-13T10:20:01+00:00 heroku[web.1]: source=web.1 dyno=heroku.1.a sample#memory_rss=300.00MB sample#memory_quota=1024.00MB\n";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"formation.json\"\r\n\r\n{formation}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"shop.log\"\r\n\r\n{log}\r\n--{boundary}--\r\n"
    );
    let app = build_app(AppState::new(None));
    let request = Request::builder()
        .method("POST")
        .uri("/api/import")
        .header("content-type", format!("multipart/form-data; boundary={boundary}"))
        .body(Body::from(body))
        .unwrap();
    let response = app.oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let w: Value = serde_json::from_slice(&response.into_body().collect().await.unwrap().to_bytes()).unwrap();
    let formats: Vec<&str> = w["detected"].as_array().unwrap().iter().map(|d| d["format"].as_str().unwrap()).collect();
    assert_eq!(formats, vec!["heroku-formation", "heroku-logs"]);
    assert_eq!(w["apps"].as_array().unwrap().len(), 1, "the log's app (named after the file) is the formation's");
    let web = &w["apps"][0]["processes"][0];
    assert_eq!(web["replicas"], 2, "the formation's count wins");
    assert_eq!(web["size"], "Standard-2X");
    assert!((web["measured"]["memory_mib_p50"].as_f64().unwrap() - 300.0).abs() < 0.5, "{web}");
    assert_eq!(w["current_monthly_usd"], json!(100.0));
}

#[tokio::test]
async fn import_can_be_told_the_format() {
    let (status, body) = call("POST", "/api/import?from=heroku-ps-scale&app=shop", "web=2:Basic").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["current_monthly_usd"], json!(14.0));
    let (status, body) = call("POST", "/api/import?from=nonsense", "web=2:Basic").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body["error"]["message"].as_str().unwrap().contains("nonsense"));
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
    let mut state = AppState::new(None);
    // Imports take more than other endpoints (100 MiB by default); 20 MiB keeps the test light.
    state.import_limit_bytes = 20 * 1024 * 1024;
    let server = tokio::spawn(tco_server::serve(listener, state, async {
        let _ = stopped.await;
    }));
    let client = reqwest::Client::new();
    let big = vec![b'['; 50 * 1024 * 1024];
    let response = client.post(format!("http://{addr}/api/import")).body(big.clone()).send().await.unwrap();
    assert_eq!(response.status(), reqwest::StatusCode::PAYLOAD_TOO_LARGE);
    let body: Value = response.json().await.unwrap();
    assert!(body["error"]["message"].as_str().unwrap().contains("20 MiB limit"), "{body}");
    let response = client.post(format!("http://{addr}/api/v1/estimate")).body(big).send().await.unwrap();
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

#[tokio::test]
async fn the_catalog_is_filterable_sortable_and_paged_with_its_sources() {
    let (status, page) = call(
        "GET",
        "/api/catalog?region=us-east-1&family=c5,m5&min_vcpu=8&max_vcpu=8&sort=price&per_page=2",
        Body::empty(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    // c5.2xlarge (0.34) and m5.2xlarge (0.384) are the 8-vCPU c5/m5 types, cheapest first
    assert_eq!(page["total"], 2);
    let names: Vec<&str> =
        page["items"].as_array().unwrap().iter().map(|r| r["instance_type"].as_str().unwrap()).collect();
    assert_eq!(names, vec!["c5.2xlarge", "m5.2xlarge"]);
    assert_eq!(page["items"][0]["usd_per_vcpu_hour"], json!(0.0425));
    assert!(page["files"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["file"] == "ec2-ondemand-linux.csv" && f["as_of"] == "2026-07-20"));
    assert_eq!(page["catalog_origin"], "embedded");

    let (_, arm) = call("GET", "/api/catalog?arch=arm64&family=c7g&sort=name&page=2&per_page=3", Body::empty()).await;
    assert_eq!(arm["page"], 2);
    assert!(arm["items"].as_array().unwrap().iter().all(|r| r["arch"] == "arm64"));

    let (status, _) = call("GET", "/api/catalog?per_page=0", Body::empty()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    // Without a region, every region's row of the type: eu-west-1's with its own price and date.
    let (_, all) = call("GET", "/api/v1/catalog?family=c5.2xlarge&per_page=100", Body::empty()).await;
    let eu = all["items"].as_array().unwrap().iter().find(|r| r["region"] == "eu-west-1").unwrap();
    assert_eq!((&eu["usd_per_hour"], &eu["as_of"]), (&json!(0.384), &json!("2022-11-22")));
    assert!(all["total"].as_u64().unwrap() > 20, "{}", all["total"]);
}

#[tokio::test]
async fn the_region_list_counts_each_regions_prices_with_their_dates() {
    let (status, list) = call("GET", "/api/v1/catalog/regions", Body::empty()).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    assert_eq!(list["home_region"], "us-east-1");
    let regions = list["regions"].as_array().unwrap();
    assert_eq!(regions.len(), 26);
    let us = regions.iter().find(|r| r["region"] == "us-east-1").unwrap();
    assert_eq!(
        (&us["instance_prices"], &us["oldest_price_as_of"], &us["spot_as_of"]),
        (&json!(1367), &json!("2026-07-20"), &json!("2025-06-28"))
    );
    let eu = regions.iter().find(|r| r["region"] == "eu-west-1").unwrap();
    assert_eq!(eu["oldest_price_as_of"], "2022-11-22");
}

#[tokio::test]
async fn a_region_slice_holds_only_that_regions_prices() {
    let (status, slice) = call("GET", "/api/v1/catalog/regions/eu-west-1", Body::empty()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(slice["region"], "eu-west-1");
    assert_eq!(slice["oldest_price_as_of"], "2022-11-22");
    let files: std::collections::BTreeMap<String, String> = serde_json::from_value(slice["files"].clone()).unwrap();
    for name in ["ec2-ondemand-linux.csv", "ec2-spot-advice.csv"] {
        let rows: Vec<&str> = files[name].lines().skip(1).collect();
        assert!(
            !rows.is_empty() && rows.iter().all(|r| r.starts_with("eu-west-1,")),
            "{name} holds another region's row"
        );
    }
    // The page loads the files as the server does: the same eu-west-1 prices, to the digit.
    let snapshot = tco_pricing_data::OwnedSnapshot::from_named(files).unwrap();
    let c = tco_pricing_data::load(snapshot.files()).unwrap();
    assert_eq!(c.regions(), ["eu-west-1"]);
    assert_eq!(serde_json::json!(c.instance_prices.len()), slice["summary"]["instance_prices"]);
    let full = tco_pricing_data::embedded();
    let eu_west_1: Vec<_> = full.instance_prices.iter().filter(|p| p.region == "eu-west-1").cloned().collect();
    assert_eq!(c.instance_prices, eu_west_1);
    let c5 = c.instance_price("eu-west-1", "c5.2xlarge").unwrap();
    assert_eq!((c5.usd_per_hour.to_string().as_str(), c5.provenance.as_of.as_str()), ("0.384", "2022-11-22"));
    assert!(c.instance_price("eu-west-1", "c7i.2xlarge").is_none(), "c7i is not priced in eu-west-1's snapshot");
    // Service rows: the region's own (ElastiCache), the home region's and those without one.
    assert!(c.service_in("eu-west-1", "elasticache-redis:cache.t4g.micro").is_some());
    assert!(c.services.iter().all(|s| s.region.as_deref().is_none_or(|r| r == "eu-west-1" || r == "us-east-1")));
    assert_eq!(c.spot_advice("eu-west-1", "c5.2xlarge"), full.spot_advice("eu-west-1", "c5.2xlarge"));

    let (status, err) = call("GET", "/api/v1/catalog/regions/mars-north-1", Body::empty()).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(err["error"]["code"], "unknown_region");
    assert!(err["error"]["message"].as_str().unwrap().contains("eu-west-1"), "{err}");
}

#[tokio::test]
async fn an_unknown_instance_type_in_a_scenario_names_the_nearest() {
    let (_, sample) = call("GET", "/api/sample", Body::empty()).await;
    let mut scenario = sample.clone();
    scenario["assumptions"]["instance_types"] = json!(["c5.2xlarg"]);
    let (status, err) = call("POST", "/api/estimate", scenario.to_string()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let message = err["error"]["message"].as_str().unwrap();
    assert!(message.contains("c5.2xlarg") && message.contains("nearest: c5.2xlarge"), "{message}");
}

#[tokio::test]
async fn estimate_exports_the_same_report_as_a_workbook_or_csv() {
    use calamine::{Data, Reader};
    let (_, sample) = call("GET", "/api/sample", Body::empty()).await;
    let scenario: tco_engine::Scenario = serde_json::from_value(sample.clone()).unwrap();
    let report = tco_engine::estimate(&scenario, tco_pricing_data::embedded()).unwrap();

    let app = build_app(AppState::new(None));
    let request = Request::builder()
        .method("POST")
        .uri("/api/estimate?format=xlsx")
        .body(Body::from(sample.to_string()))
        .unwrap();
    let response = app.oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let headers = response.headers().clone();
    assert!(headers["content-type"].to_str().unwrap().contains("spreadsheetml"));
    assert!(headers["content-disposition"].to_str().unwrap().contains("tco-estimate.xlsx"));
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let summary = book.worksheet_range("Summary").unwrap();
    let first: f64 = report.options[0].monthly_usd.rounded_to_cents().try_into().unwrap();
    assert_eq!(summary.get_value((2, 4)), Some(&Data::Float(first)));

    let (status, csv) = call("POST", "/api/estimate?format=csv", sample.to_string()).await;
    assert_eq!(status, StatusCode::OK);
    let text = csv.as_str().unwrap();
    assert!(text.starts_with("option,platform,category,group,usd_per_month,formula,pricing_model,region\n"), "{text}");
    assert!(text.contains(&format!("ecs-ec2,total,,{:.2}", report.options[0].monthly_usd.rounded_to_cents())));
}

#[tokio::test]
async fn estimate_renders_the_same_report_as_a_self_contained_html_file() {
    let (_, sample) = call("GET", "/api/v1/sample", Body::empty()).await;
    let scenario: tco_engine::Scenario = serde_json::from_value(sample.clone()).unwrap();
    let report = tco_engine::estimate(&scenario, tco_pricing_data::embedded()).unwrap();
    let app = build_app(AppState::new(None));
    let request = Request::builder()
        .method("POST")
        .uri("/api/v1/estimate?format=html")
        .body(Body::from(sample.to_string()))
        .unwrap();
    let response = app.oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "text/html; charset=utf-8");
    assert!(response.headers()["content-disposition"].to_str().unwrap().contains("tco-estimate.html"));
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let html = String::from_utf8(bytes.to_vec()).unwrap();
    assert!(html.contains(&format!("<h1>{}</h1>", scenario.name)), "titled with the scenario's name");
    assert!(!html.contains("<script"));
    for o in &report.options {
        assert!(html.contains(&tco_engine::format::usd(o.monthly_usd)), "{}", o.label);
    }
}

#[tokio::test]
async fn an_unknown_export_format_is_a_clear_400() {
    let (_, sample) = call("GET", "/api/sample", Body::empty()).await;
    let (status, body) = call("POST", "/api/estimate?format=pdf", sample.to_string()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body["error"]["message"].as_str().unwrap().contains("`pdf` is not one of json, csv, xlsx, html"), "{body}");
}
