//! Imports at the sizes that used to be quadratic, compressed uploads, and the limits on files
//! and process types: each case asserts what the import gives (or the error it names), never
//! how long it took (`server/benches/README.md` has the times).

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::Value;
use std::io::Write;
use tco_engine::Assumptions;
use tco_server::import::{import_file, logs, Context, InputFile, Limits};
use tco_server::{build_app, AppState};
use tower::ServiceExt;

async fn post(state: AppState, uri: &str, headers: &[(&str, String)], body: Vec<u8>) -> (StatusCode, Value) {
    let app = build_app(state);
    let mut request = Request::builder().method("POST").uri(uri);
    for (k, v) in headers {
        request = request.header(*k, v);
    }
    let response = app.oneshot(request.body(Body::from(body)).unwrap()).await.unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let value =
        serde_json::from_slice(&bytes).unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into()));
    (status, value)
}

fn formation(types: usize) -> String {
    let entries: Vec<String> = (0..types)
        .map(|i| format!(r#"{{"app":{{"name":"shop"}},"type":"p{i}","quantity":1,"size":"Standard-1X"}}"#))
        .collect();
    format!("[{}]", entries.join(","))
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

fn multipart(files: &[(String, Vec<u8>)]) -> (String, Vec<u8>) {
    let boundary = "XBOUNDARYX";
    let mut body = Vec::new();
    for (name, bytes) in files {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\r\n")
                .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

#[test]
fn a_formation_of_100000_process_types_imports_whole() {
    let text = formation(100_000);
    assert!(text.len() > 4_000_000, "about the 4.4 MB of the report");
    let a = Assumptions::default();
    let (_, w) = import_file(
        InputFile { name: "formation.json", bytes: text.as_bytes() },
        Context::new(tco_pricing_data::embedded(), &a),
        None,
    )
    .unwrap();
    assert_eq!(w.apps.len(), 1);
    assert_eq!(w.apps[0].processes.len(), 100_000);
    assert_eq!(w.apps[0].processes[99_999].name, "p99999");
    // 100,000 Standard-1X dynos at $25
    assert_eq!(w.current_monthly_usd.cents(), 250_000_000);
}

#[test]
fn a_log_of_50000_process_types_imports_each() {
    let text: String = (0..50_000)
        .map(|i| {
            format!("2024-05-13T10:00:00+00:00 heroku[router]: at=info method=GET path=/ dyno=p{i}.1 status=200\n")
        })
        .collect();
    let a = Assumptions::default();
    let w =
        logs::import("big.log", text.as_bytes(), Context::new(tco_pricing_data::embedded(), &a), &mut |_| {}).unwrap();
    assert_eq!(w.apps[0].processes.len(), 50_000);
    assert_eq!(w.apps[0].processes[49_999].name, "p49999", "in order of first sight");
    assert_eq!(w.apps[0].processes[49_999].origin.as_ref().unwrap().line, Some(50_000));
}

#[test]
fn more_process_types_than_the_limit_are_refused_naming_the_file_and_the_limit() {
    let a = Assumptions::default();
    let ctx = Context {
        limits: Limits { max_processes_per_file: 1_000, ..Limits::default() },
        ..Context::new(tco_pricing_data::embedded(), &a)
    };
    let text = formation(1_001);
    let err = import_file(InputFile { name: "huge.json", bytes: text.as_bytes() }, ctx, None).unwrap_err();
    assert_eq!(err.file, "huge.json");
    assert!(err.message.contains("1001 process types in one file, more than the limit of 1000"), "{err}");
    assert!(err.message.contains("--import-max-processes"), "{err}");
    // exactly at the limit is fine
    let text = formation(1_000);
    assert!(import_file(InputFile { name: "ok.json", bytes: text.as_bytes() }, ctx, None).is_ok());
}

#[tokio::test]
async fn thirty_thousand_files_in_one_upload_merge_into_one_estate() {
    // A 30,000-server estate's CloudWatch statistics, one file per instance.
    let files: Vec<(String, Vec<u8>)> = (0..30_000u32)
        .map(|i| {
            let body = format!(
                r#"{{"Label":"CPUUtilization","Datapoints":[{{"Timestamp":"2026-10-01T00:00:00Z","Average":{}.0,"Unit":"Percent"}}]}}"#,
                i % 90
            );
            (format!("cpu-i-{i:017x}.json"), body.into_bytes())
        })
        .collect();
    let (content_type, body) = multipart(&files);
    let (status, w) = post(AppState::new(None), "/api/v1/import", &[("content-type", content_type)], body).await;
    assert_eq!(status, StatusCode::OK, "{w}");
    let instances = w["instances"].as_array().unwrap();
    assert_eq!(instances.len(), 30_000);
    assert_eq!(instances[29_999]["id"], format!("i-{:017x}", 29_999));
    assert_eq!(instances[29_999]["cpu_p95_pct"].as_f64(), Some(f64::from(29_999 % 90)));
    assert_eq!(w["detected"].as_array().unwrap().len(), 30_000);
}

#[tokio::test]
async fn more_files_than_the_limit_are_a_422_naming_the_limit() {
    let files: Vec<(String, Vec<u8>)> =
        (0..4).map(|i| (format!("f{i}.txt"), b"web=1:Standard-1X\n".to_vec())).collect();
    let (content_type, body) = multipart(&files);
    let mut state = AppState::new(None);
    state.import_limits.max_files = 3;
    let (status, e) = post(state, "/api/v1/import?app=shop", &[("content-type", content_type)], body).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["error"]["code"], "import_failed");
    assert!(e["error"]["message"].as_str().unwrap().contains("more than 3 files in one import"), "{e}");
}

#[tokio::test]
async fn compressed_uploads_are_inflated_by_header_or_by_their_bytes() {
    let text = formation(3);
    let gz = gzip(text.as_bytes());
    let zst = zstd::encode_all(text.as_bytes(), 3).unwrap();
    // (what, request headers, body)
    type Case<'a> = (&'a str, Vec<(&'a str, String)>, Vec<u8>);
    let cases: Vec<Case> = vec![
        ("Content-Encoding: gzip", vec![("content-encoding", "gzip".into())], gz.clone()),
        ("gzip bytes, no header", vec![], gz.clone()),
        ("Content-Encoding: zstd", vec![("content-encoding", "zstd".into())], zst.clone()),
        ("zstd bytes, no header", vec![], zst),
    ];
    for (what, headers, body) in cases {
        let (status, w) = post(AppState::new(None), "/api/v1/import", &headers, body).await;
        assert_eq!(status, StatusCode::OK, "{what}: {w}");
        assert_eq!(w["apps"][0]["processes"].as_array().unwrap().len(), 3, "{what}");
    }
    // A gzip multipart body, and a gzip file inside a plain multipart body.
    let (content_type, body) = multipart(&[("a.json".into(), gz.clone()), ("b.txt".into(), b"web=2:Basic".to_vec())]);
    let (status, w) =
        post(AppState::new(None), "/api/v1/import?app=blog", &[("content-type", content_type.clone())], body.clone())
            .await;
    assert_eq!(status, StatusCode::OK, "{w}");
    assert_eq!(w["apps"].as_array().unwrap().len(), 2);
    let (status, w) = post(
        AppState::new(None),
        "/api/v1/import?app=blog",
        &[("content-type", content_type), ("content-encoding", "gzip".into())],
        gzip(&body),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{w}");
    assert_eq!(w["apps"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn a_compression_bomb_is_413_and_bad_encodings_are_refused() {
    // A server with a 4 MiB import limit, and 64 MiB of spaces in a JSON array: about 64 KiB
    // gzipped, sixteen times the limit inflated.
    let small = || {
        let mut state = AppState::new(None);
        state.import_limit_bytes = 4 << 20;
        state
    };
    let mut bomb = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    bomb.write_all(b"[").unwrap();
    bomb.write_all(&vec![b' '; 64 << 20]).unwrap();
    bomb.write_all(b"]").unwrap();
    let bomb = bomb.finish().unwrap();
    assert!(bomb.len() < 1 << 20);
    for headers in [vec![("content-encoding", "gzip".to_string())], vec![]] {
        let (status, e) = post(small(), "/api/v1/import", &headers, bomb.clone()).await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{e}");
        assert_eq!(e["error"]["code"], "body_too_large");
    }
    let (status, e) =
        post(AppState::new(None), "/api/v1/import", &[("content-encoding", "br".into())], b"[1]".to_vec()).await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{e}");
    assert!(e["error"]["message"].as_str().unwrap().contains("`br` is not supported"), "{e}");
    let mut broken = gzip(formation(3).as_bytes());
    broken.truncate(20);
    let (status, e) = post(AppState::new(None), "/api/v1/import", &[("content-encoding", "gzip".into())], broken).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{e}");
    assert!(e["error"]["message"].as_str().unwrap().starts_with("not valid gzip data"), "{e}");
}

#[test]
fn compressed_logs_and_documents_import_like_plain_ones() {
    let log =
        "2024-05-13T10:20:01+00:00 heroku[web.1]: source=web.1 dyno=heroku.1.a sample#memory_rss=300.00MB\n".repeat(10);
    let a = Assumptions::default();
    let ctx = Context { app: Some("shop"), ..Context::new(tco_pricing_data::embedded(), &a) };
    let plain = import_file(InputFile { name: "app.log", bytes: log.as_bytes() }, ctx, None).unwrap();
    let gz = gzip(log.as_bytes());
    let packed = import_file(InputFile { name: "app.log", bytes: &gz }, ctx, None).unwrap();
    assert_eq!(packed, plain);
    // streamed from a reader, as the CLI reads a file
    let streamed =
        tco_server::import::import_reader("app.log", std::io::BufReader::new(&gz[..]), ctx, None, &mut |_| {}).unwrap();
    assert_eq!(streamed, plain);
}
