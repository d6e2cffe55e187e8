//! The page in real headless Chromium, served by the real server: a user's first journey.
//!
//! Needs the front end built into `dist/` (the README's test command builds it) and Debian's
//! `chromium` and `chromedriver` (override with `CHROME` and `CHROMEDRIVER`).

use fantoccini::{Client, ClientBuilder, Locator};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tco_engine::format::usd;
use tco_server::import::{import_file, Context, InputFile};
use tco_server::AppState;

/// A chromedriver process, stopped when dropped.
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn dist() -> PathBuf {
    let dist = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../dist");
    assert!(
        dist.join("index.html").is_file(),
        "the front end is not built: run `trunk build` at the repository root (the README's test command does)"
    );
    dist
}

async fn start_browser() -> (Driver, Client) {
    let port = free_port();
    let chromedriver = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into());
    let child = Command::new(&chromedriver)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {chromedriver}: {e} (install Debian's chromium-driver)"));
    let driver = Driver(child);
    let profile = std::env::temp_dir().join(format!("tco-e2e-profile-{}-{port}", std::process::id()));
    let chrome = std::env::var("CHROME").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let caps = serde_json::json!({
        "goog:chromeOptions": {
            "binary": chrome,
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1400,1000",
                format!("--user-data-dir={}", profile.display()),
            ]
        }
    });
    let caps = caps.as_object().unwrap().clone();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let attempt = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps.clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await;
        match attempt {
            Ok(client) => return (driver, client),
            Err(e) if Instant::now() > deadline => panic!("cannot start a browser session: {e}"),
            Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
        }
    }
}

/// Waits until the element's text satisfies `ok`, returning it.
async fn wait_text(c: &Client, testid: &str, ok: impl Fn(&str) -> bool) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut last = String::new();
    while Instant::now() < deadline {
        if let Ok(e) = c.find(Locator::Css(&format!("[data-testid='{testid}']"))).await {
            if let Ok(t) = e.text().await {
                if ok(&t) {
                    return t;
                }
                last = t;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("[data-testid={testid}] never satisfied the check; last text: {last:?}");
}

const PASTED: &str = r#"[
  {"app":{"name":"billing"},"type":"web","quantity":4,"size":"performance-m","command":"puma"},
  {"app":{"name":"billing"},"type":"worker","quantity":2,"size":"standard-1x","command":"sidekiq"}
]"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_sees_the_sample_pastes_a_formation_and_sees_new_totals() {
    let catalog = tco_pricing_data::embedded();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(tco_server::serve(listener, AppState::new(Some(dist())), async {
        let _ = stopped.await;
    }));

    // What the engine says, to compare with what the page shows.
    let sample = tco_server::sample::scenario(catalog).unwrap();
    let sample_report = tco_engine::estimate(&sample, catalog).unwrap();
    let (_, pasted) = import_file(
        InputFile { name: "pasted.json", bytes: PASTED.as_bytes() },
        Context::new(catalog, &sample.assumptions),
        None,
    )
    .unwrap();
    let pasted_scenario =
        tco_engine::Scenario { name: String::new(), workloads: pasted, assumptions: sample.assumptions.clone() };
    let pasted_report = tco_engine::estimate(&pasted_scenario, catalog).unwrap();
    assert_ne!(sample_report.current.monthly_usd, pasted_report.current.monthly_usd);

    let (_driver, c) = start_browser().await;
    c.goto(&format!("http://{addr}/")).await.unwrap();

    // The sample's Heroku total and both AWS totals, as the engine computes them.
    let heroku = wait_text(&c, "heroku-total", |t| t.starts_with('$')).await;
    assert_eq!(heroku, usd(sample_report.current.monthly_usd));
    assert_eq!(heroku, "$6,600.00");
    for o in &sample_report.options {
        let shown = wait_text(&c, &format!("option-{}-total", o.platform.as_str()), |t| t.starts_with('$')).await;
        assert_eq!(shown, usd(o.monthly_usd));
        let nodes = wait_text(&c, &format!("option-{}-nodes", o.platform.as_str()), |t| !t.is_empty()).await;
        assert!(nodes.contains(&format!("{} × {}", o.nodes[0].count, o.nodes[0].instance_type)), "{nodes}");
    }

    // An edit recomputes in the page: 8 → 10 Performance-L web dynos adds 2 × $500.
    let replicas = c.find(Locator::Css("[data-testid='replicas-clinic-api-web']")).await.unwrap();
    replicas.clear().await.unwrap();
    replicas.send_keys("10\t").await.unwrap();
    wait_text(&c, "heroku-total", |t| t == "$7,600.00").await;

    // A formation that is not valid shows the importer's message and changes nothing.
    let textarea = c.find(Locator::Css("[data-testid='import-text']")).await.unwrap();
    textarea.send_keys(r#"[{"type":"web","quantity":1,"size":"Ultra-7X"}]"#).await.unwrap();
    c.find(Locator::Css("[data-testid='import-button']")).await.unwrap().click().await.unwrap();
    let error = wait_text(&c, "import-error", |t| !t.is_empty()).await;
    assert!(error.contains("unknown dyno size \"Ultra-7X\""), "{error}");
    assert_eq!(wait_text(&c, "heroku-total", |_| true).await, "$7,600.00");

    // Paste a formation: the page shows what it was recognised as, then uses it on request.
    textarea.clear().await.unwrap();
    textarea.send_keys(PASTED).await.unwrap();
    c.find(Locator::Css("[data-testid='import-button']")).await.unwrap().click().await.unwrap();
    wait_text(&c, "import-format", |t| t == "heroku-formation").await;
    assert_eq!(wait_text(&c, "heroku-total", |_| true).await, "$7,600.00", "nothing changes before it is used");
    c.find(Locator::Css("[data-testid='import-use']")).await.unwrap().click().await.unwrap();
    let expected = usd(pasted_report.current.monthly_usd);
    wait_text(&c, "heroku-total", |t| t == expected).await;
    // 4 × $250 + 2 × $25 = $1,050
    assert_eq!(expected, "$1,050.00");
    for o in &pasted_report.options {
        let want = usd(o.monthly_usd);
        wait_text(&c, &format!("option-{}-total", o.platform.as_str()), |t| t == want).await;
    }
    wait_text(&c, "import-status", |t| t.contains("1 app(s), 6 replica(s)")).await;

    // Upload a file (`heroku ps` text) through the file picker, for a named app.
    let ps = std::env::temp_dir().join(format!("tco-e2e-ps-{}.txt", std::process::id()));
    std::fs::write(
        &ps,
        "=== web (Performance-L): bundle exec puma (3)\nweb.1: up 2026/10/01 09:00:05 +0000 (~ 3h ago)\n",
    )
    .unwrap();
    c.find(Locator::Css("[data-testid='import-app']")).await.unwrap().send_keys("checkout").await.unwrap();
    c.find(Locator::Css("[data-testid='import-files']"))
        .await
        .unwrap()
        .send_keys(&ps.display().to_string())
        .await
        .unwrap();
    wait_text(&c, "import-format", |t| t == "heroku-ps").await;
    c.find(Locator::Css("[data-testid='import-use']")).await.unwrap().click().await.unwrap();
    // 3 × Performance-L $500
    wait_text(&c, "heroku-total", |t| t == "$1,500.00").await;
    let _ = std::fs::remove_file(ps);

    c.close().await.unwrap();
    stop.send(()).unwrap();
    server.await.unwrap().unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_instance_explorer_filters_and_sorts_the_catalog_in_the_page() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(tco_server::serve(listener, AppState::new(Some(dist())), async {
        let _ = stopped.await;
    }));
    let (_driver, c) = start_browser().await;
    c.goto(&format!("http://{addr}/")).await.unwrap();
    wait_text(&c, "heroku-total", |t| t.starts_with('$')).await;
    c.find(Locator::Css("[data-testid='tab-explorer']")).await.unwrap().click().await.unwrap();

    // The engine's query over the embedded catalog says what the page must show.
    let q = tco_engine::explore::InstanceQuery {
        family: Some("c5,m5".into()),
        min_vcpu: Some(8),
        sort: Some("price".into()),
        ..Default::default()
    };
    let expected = tco_engine::explore::query(tco_pricing_data::embedded(), &q);
    c.find(Locator::Css("[data-testid='explorer-family']")).await.unwrap().send_keys("c5,m5").await.unwrap();
    c.find(Locator::Css("[data-testid='explorer-min-vcpu']")).await.unwrap().send_keys("8").await.unwrap();
    let want = format!("{} instance types match", expected.len());
    wait_text(&c, "explorer-count", |t| t == want).await;
    let first = c.find(Locator::Css("[data-testid='explorer-table'] tbody tr td")).await.unwrap().text().await.unwrap();
    assert_eq!(first, expected[0].instance_type);
    assert_eq!(first, "c5.2xlarge", "the cheapest 8+ vCPU c5/m5 type");

    // Sorting by price again reverses it: the most expensive first.
    c.find(Locator::Css("[data-testid='sort-price']")).await.unwrap().click().await.unwrap();
    let last = expected.last().unwrap().instance_type.clone();
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let top =
            c.find(Locator::Css("[data-testid='explorer-table'] tbody tr td")).await.unwrap().text().await.unwrap();
        if top == last {
            break;
        }
        assert!(Instant::now() < deadline, "descending sort never showed {last} first (saw {top})");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    c.close().await.unwrap();
    stop.send(()).unwrap();
    server.await.unwrap().unwrap();
}
