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

/// A chromedriver process, stopped when dropped, and where its browser saves downloads.
struct Driver {
    child: Child,
    downloads: PathBuf,
    /// The browser's profile directory, removed with the driver.
    profile: PathBuf,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
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
    let profile = std::env::temp_dir().join(format!("tco-e2e-profile-{}-{port}", std::process::id()));
    let downloads = profile.join("downloads");
    std::fs::create_dir_all(&downloads).unwrap();
    let driver = Driver { child, downloads: downloads.clone(), profile: profile.clone() };
    let chrome = std::env::var("CHROME").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let caps = serde_json::json!({
        "goog:chromeOptions": {
            "binary": chrome,
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1400,1000",
                format!("--user-data-dir={}", profile.display()),
            ],
            "prefs": {
                "download.default_directory": downloads.display().to_string(),
                "download.prompt_for_download": false,
                "download.directory_upgrade": true
            }
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
        if o.platform.is_fargate() {
            let tasks: u32 = o.fargate_tasks.iter().map(|t| t.tasks).sum();
            assert!(nodes.contains(&format!("{tasks} Fargate tasks")), "{nodes}");
        } else {
            assert!(nodes.contains(&format!("{} × {}", o.nodes[0].count, o.nodes[0].instance_type)), "{nodes}");
        }
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
    // The page embeds the home region only.
    let q = tco_engine::explore::InstanceQuery {
        region: Some("us-east-1".into()),
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

/// The real server on a free port, serving the built front end.
struct Served {
    addr: std::net::SocketAddr,
    stop: tokio::sync::oneshot::Sender<()>,
    server: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Served {
    async fn start() -> Served {
        Served::start_with(AppState::new(Some(dist()))).await
    }

    /// The server with saved scenarios in a fresh SQLite database under `data_dir`.
    async fn start_with_store(data_dir: &std::path::Path) -> Served {
        let store = tco_server::store::Store::open_dir(data_dir).await.unwrap();
        Served::start_with(AppState::new(Some(dist())).with_store(store)).await
    }

    async fn start_with(state: AppState) -> Served {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(tco_server::serve(listener, state, async {
            let _ = stopped.await;
        }));
        Served { addr, stop, server }
    }

    fn url(&self, path_and_query: &str) -> String {
        format!("http://{}{path_and_query}", self.addr)
    }

    async fn shut_down(self) {
        self.stop.send(()).unwrap();
        self.server.await.unwrap().unwrap();
    }
}

/// The sample scenario with some assumptions changed, and what the engine says about it.
fn expected(edit: impl FnOnce(&mut tco_engine::Assumptions)) -> tco_engine::Report {
    let catalog = tco_pricing_data::embedded();
    let mut scenario = tco_server::sample::scenario(catalog).unwrap();
    edit(&mut scenario.assumptions);
    tco_engine::estimate(&scenario, catalog).unwrap()
}

/// Waits until every option's total on the page is the engine's.
async fn wait_totals(c: &Client, report: &tco_engine::Report) {
    wait_text(c, "heroku-total", |t| t == usd(report.current.monthly_usd)).await;
    for o in &report.options {
        let want = usd(o.monthly_usd);
        wait_text(c, &format!("option-{}-total", o.platform.as_str()), |t| t == want).await;
    }
}

/// The element, once the page has drawn it (a view fetches and renders after a click).
async fn by_testid(c: &Client, testid: &str) -> fantoccini::elements::Element {
    let css = format!("[data-testid='{testid}']");
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        match c.find(Locator::Css(&css)).await {
            Ok(e) => return e,
            Err(e) if Instant::now() > deadline => panic!("no [data-testid={testid}]: {e}"),
            Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
}

/// Pastes `text` into the import box as a user would, imports it and waits until the page
/// says it read `format`.
async fn paste_import(c: &Client, text: &str, format: &str) {
    c.execute(
        "const t = document.querySelector(\"[data-testid='import-text']\"); t.value = arguments[0]; \
         t.dispatchEvent(new Event('input', { bubbles: true }));",
        vec![serde_json::json!(text)],
    )
    .await
    .unwrap();
    by_testid(c, "import-button").await.click().await.unwrap();
    wait_text(c, "import-format", |t| t == format).await;
}

/// Types a value into a number or text input and commits it the way a user does (Tab).
async fn type_into(c: &Client, testid: &str, value: &str) {
    let input = by_testid(c, testid).await;
    input.clear().await.unwrap();
    input.send_keys(&format!("{value}\t")).await.unwrap();
}

/// Sends one key to whatever has focus (the page listens on the window).
async fn press(c: &Client, key: fantoccini::key::Key) {
    c.active_element().await.unwrap().send_keys(&char::from(key).to_string()).await.unwrap();
}

/// Saves a PNG of the viewport under `target/screenshots/` for people to review.
async fn screenshot(c: &Client, name: &str) {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target"));
    let dir = target.join("screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    let png = c.screenshot().await.unwrap();
    std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
}

/// Uncaught errors and `console.error` calls the page collected (see `app/index.html`).
async fn assert_no_page_errors(c: &Client) {
    let errors = c.execute("return window.__errors || ['the error hook is missing']", vec![]).await.unwrap();
    assert_eq!(errors, serde_json::json!([]), "the page reported errors");
}

/// Waits until an element with the test id is gone (or hidden).
async fn wait_gone(c: &Client, testid: &str) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let shown = match c.find(Locator::Css(&format!("[data-testid='{testid}']"))).await {
            Ok(e) => e.is_displayed().await.unwrap_or(false),
            Err(_) => false,
        };
        if !shown {
            return;
        }
        assert!(Instant::now() < deadline, "[data-testid={testid}] is still shown");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn picking_another_region_fetches_its_prices_and_re_estimates_there() {
    let served = Served::start().await;
    let (_driver, c) = start_browser().await;
    c.goto(&served.url("/")).await.unwrap();
    wait_totals(&c, &expected(|_| {})).await;
    // The picker lists every region of the server's catalog with its count and date, though
    // the page embeds us-east-1 only.
    let regions = tco_pricing_data::embedded().region_summaries();
    wait_count(&c, "[data-testid='region'] option", regions.len()).await;
    let eu = c.find(Locator::Css("[data-testid='region'] option[value='eu-west-1']")).await.unwrap();
    assert_eq!(eu.text().await.unwrap(), "eu-west-1 · 551 types · prices of 2022-11-22");

    // Picking eu-west-1 fetches its slice; the page's totals become the engine's there.
    let eu_west_1 = expected(|a| a.region = "eu-west-1".into());
    assert_ne!(eu_west_1.options[0].monthly_usd, expected(|_| {}).options[0].monthly_usd);
    by_testid(&c, "region").await.select_by_value("eu-west-1").await.unwrap();
    wait_totals(&c, &eu_west_1).await;
    wait_text(&c, "catalog-date", |t| t.contains("eu-west-1 EC2 prices of 2022-11-22")).await;
    // And back: the embedded catalog, without another fetch.
    by_testid(&c, "region").await.select_by_value("us-east-1").await.unwrap();
    wait_totals(&c, &expected(|_| {})).await;
    assert_no_page_errors(&c).await;
    c.close().await.unwrap();
    served.shut_down().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_regions_and_generations_views_put_regions_and_generations_side_by_side() {
    let served = Served::start().await;
    let (_driver, c) = start_browser().await;
    c.goto(&served.url("/")).await.unwrap();
    wait_totals(&c, &expected(|_| {})).await;

    // The Regions view lists every region of the server's catalog to compare.
    by_testid(&c, "view-regions").await.click().await.unwrap();
    let all = tco_pricing_data::embedded().region_summaries();
    wait_count(&c, "[data-testid='regions-view'] input[type='checkbox']", all.len()).await;
    // Ticking eu-west-1 and sa-east-1 compares them with the home region, each on its own
    // prices (fetched from the API: the page embeds us-east-1 only).
    by_testid(&c, "compare-eu-west-1").await.click().await.unwrap();
    by_testid(&c, "compare-sa-east-1").await.click().await.unwrap();
    let compared = ["us-east-1", "eu-west-1", "sa-east-1"];
    let three = expected(|a| a.regions = compared.iter().map(|r| r.to_string()).collect());
    assert_eq!(three.regions.len(), 3);
    for x in &three.regions {
        for cell in &x.targets {
            let want = usd(cell.monthly_usd);
            wait_text(&c, &format!("regions-{}-{}", x.region, cell.platform.as_str()), |t| {
                t.starts_with(&want) && t.contains("cheapest") == cell.cheapest
            })
            .await;
        }
        let lacking = if x.candidate_types_lacking == 0 {
            format!("none of {}", x.candidate_types)
        } else {
            format!("{} of {} ({})", x.candidate_types_lacking, x.candidate_types, x.lacking_families.join(", "))
        };
        wait_text(&c, &format!("regions-{}-lacking", x.region), |t| t == lacking).await;
        wait_text(&c, &format!("regions-{}-stand-ins", x.region), |t| t == x.stand_ins.len().to_string()).await;
    }
    assert!(three.regions[2].candidate_types_lacking > 0, "sa-east-1's 2022 prices lack the newer families");
    let query = c.current_url().await.unwrap().query().unwrap_or_default().to_string();
    assert!(query.contains("view=regions") && query.contains("regions=us-east-1,eu-west-1,sa-east-1"), "{query}");
    screenshot(&c, "regions").await;
    // Every other view shows one option per target and region.
    by_testid(&c, "view-engineering").await.click().await.unwrap();
    for o in &three.options {
        let want = usd(o.monthly_usd);
        wait_text(&c, &format!("option-{}-{}-total", o.platform.as_str(), o.region), |t| t == want).await;
    }
    // The region picker moves the first region: eu-west-1 first, then sa-east-1.
    by_testid(&c, "region").await.select_by_value("eu-west-1").await.unwrap();
    let moved = expected(|a| {
        a.region = "eu-west-1".into();
        a.regions = vec!["eu-west-1".into(), "sa-east-1".into()];
    });
    for o in &moved.options {
        let want = usd(o.monthly_usd);
        wait_text(&c, &format!("option-{}-{}-total", o.platform.as_str(), o.region), |t| t == want).await;
    }
    by_testid(&c, "region").await.select_by_value("us-east-1").await.unwrap();
    by_testid(&c, "view-regions").await.click().await.unwrap();
    by_testid(&c, "compare-eu-west-1").await.click().await.unwrap();
    for x in &three.regions {
        let want = usd(x.targets[0].monthly_usd);
        wait_text(&c, &format!("regions-{}-{}", x.region, x.targets[0].platform.as_str()), |t| t.starts_with(&want))
            .await;
    }

    // The Generations view: each group's plan in the first region, the cheapest marked.
    by_testid(&c, "view-generations").await.click().await.unwrap();
    assert!(three.generations.iter().any(|g| g.group == "c8g/m8g/r8g" && g.skipped.is_some()));
    wait_generations(&c, &three).await;
    wait_text(&c, "generations-c8g-m8g-r8g-ecs-ec2", |t| t == "–").await;
    // Images built for arm64 too: the Graviton groups are planned.
    by_testid(&c, "generations-arm64").await.click().await.unwrap();
    let arm = expected(|a| {
        a.regions = compared.iter().map(|r| r.to_string()).collect();
        a.architectures = vec![tco_engine::catalog::Arch::X86_64, tco_engine::catalog::Arch::Arm64];
    });
    assert!(arm.generations.iter().any(|g| g.group == "c8g/m8g/r8g" && !g.targets.is_empty()));
    wait_generations(&c, &arm).await;
    screenshot(&c, "generations").await;
    assert_no_page_errors(&c).await;
    c.close().await.unwrap();
    served.shut_down().await;
}

/// Waits until every cell of the generations matrix is the engine's, the cheapest marked.
async fn wait_generations(c: &Client, r: &tco_engine::Report) {
    for g in &r.generations {
        for cell in &g.targets {
            let want = format!("{} · {} nodes", usd(cell.compute_monthly_usd), cell.nodes);
            let id = format!("generations-{}-{}", g.group.replace(['/', ' '], "-"), cell.platform.as_str());
            wait_text(c, &id, |t| t.starts_with(&want) && t.ends_with('★') == cell.cheapest).await;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn editing_assumptions_recomputes_in_the_page_and_the_link_keeps_them() {
    use tco_engine::{Platform, PricingModel};
    let served = Served::start().await;
    let (_driver, c) = start_browser().await;
    c.goto(&served.url("/")).await.unwrap();
    let on_demand = expected(|_| {});
    wait_totals(&c, &on_demand).await;
    screenshot(&c, "engineering").await;

    // A Compute Savings Plan: the engine's discounted totals, lower than on demand.
    let sp = expected(|a| a.pricing = PricingModel::ComputeSp1y);
    by_testid(&c, "pricing").await.select_by_value("compute-sp-1y").await.unwrap();
    wait_totals(&c, &sp).await;
    let ecs = |r: &tco_engine::Report| r.options.iter().find(|o| o.platform == Platform::EcsEc2).unwrap().monthly_usd;
    assert!(ecs(&sp) < ecs(&on_demand), "a savings plan costs less than on demand");
    wait_text(&c, "option-ecs-ec2-pricing", |t| t.contains("Compute Savings Plan, 1 year")).await;

    // Less headroom: nodes filled to 60% instead of 80%.
    let tight = expected(|a| {
        a.pricing = PricingModel::ComputeSp1y;
        a.headroom = tco_engine::scenario::Headroom::new(0.6).unwrap();
    });
    assert_ne!(ecs(&tight), ecs(&sp), "headroom changes the node plan");
    type_into(&c, "headroom", "60").await;
    wait_totals(&c, &tight).await;
    // The page says how long its own estimate took.
    let took = wait_text(&c, "estimate-ms", |t| t.starts_with("Estimated in this page in ")).await;
    let ms: f64 = took.trim_start_matches("Estimated in this page in ").split(' ').next().unwrap().parse().unwrap();
    assert!(ms > 0.0 && ms.is_finite(), "{took}");
    eprintln!("after a headroom edit the page re-estimated in {ms} ms");

    // The link carries the view and the key assumptions; a reload restores them.
    let url = c.current_url().await.unwrap();
    let query = url.query().unwrap_or_default().to_string();
    assert!(query.contains("pricing=compute-sp-1y") && query.contains("headroom=0.6"), "{query}");
    assert!(query.contains("view=engineering") && query.contains("targets=ecs-ec2,eks-ec2,ecs-fargate"), "{query}");
    c.refresh().await.unwrap();
    wait_totals(&c, &tight).await;
    assert_eq!(by_testid(&c, "headroom").await.prop("value").await.unwrap().as_deref(), Some("60"));

    // A catalog discount replaced by the user's own figure.
    let id = "compute-sp-1yr-no-upfront-discount";
    let own = expected(|a| {
        a.pricing = PricingModel::ComputeSp1y;
        a.headroom = tco_engine::scenario::Headroom::new(0.6).unwrap();
        a.overrides.insert(id.into(), "0.30".parse().unwrap());
    });
    type_into(&c, &format!("override-{id}"), "30").await;
    wait_totals(&c, &own).await;

    // Targets: EKS Auto Mode in, ECS on Fargate out.
    let targets = expected(|a| {
        a.pricing = PricingModel::ComputeSp1y;
        a.headroom = tco_engine::scenario::Headroom::new(0.6).unwrap();
        a.overrides.insert(id.into(), "0.30".parse().unwrap());
        a.targets = vec![Platform::EcsEc2, Platform::EksEc2, Platform::EksAuto];
    });
    by_testid(&c, "target-eks-auto").await.click().await.unwrap();
    by_testid(&c, "target-ecs-fargate").await.click().await.unwrap();
    wait_totals(&c, &targets).await;
    wait_gone(&c, "option-ecs-fargate").await;

    // Every breakdown line explains itself: the formula is on hover and a click away.
    let line = c.find(Locator::Css("[data-testid='option-ecs-ec2-lines'] li[title]")).await.unwrap();
    let formula = line.attr("title").await.unwrap().unwrap();
    let first = &targets.options[0].breakdown[0];
    assert_eq!(Some(&formula), first.formula.as_ref());
    line.find(Locator::Css("summary")).await.unwrap().click().await.unwrap();
    assert_eq!(line.find(Locator::Css(".formula")).await.unwrap().text().await.unwrap(), formula);
    screenshot(&c, "engineering-edited").await;
    assert_no_page_errors(&c).await;

    c.close().await.unwrap();
    served.shut_down().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn finance_view_presentation_mode_and_the_print_report() {
    use fantoccini::key::Key;
    let served = Served::start().await;
    let (_driver, c) = start_browser().await;
    c.goto(&served.url("/?view=finance")).await.unwrap();
    let report = expected(|_| {});
    wait_totals(&c, &report).await;

    // Cost of ownership: break-even (or "never"), 36-month savings, as the engine computes them.
    by_testid(&c, "tco-chart").await;
    for o in &report.options {
        let id = o.platform.as_str();
        let horizon = o.tco.months.len();
        let want = match o.tco.break_even_month {
            Some(m) => format!("month {m}"),
            None => format!("never within {horizon} months"),
        };
        wait_text(&c, &format!("breakeven-{id}"), |t| t == want).await;
        wait_text(&c, &format!("tco36-{id}"), |t| t == usd(o.tco.months_36.savings_usd)).await;
        by_testid(&c, &format!("sensitivity-{id}")).await;
        let model = format!("models-{id}-{}", o.pricing_model.as_str());
        wait_text(&c, &model, |t| t.contains(&usd(o.monthly_usd))).await;
    }
    screenshot(&c, "finance").await;

    // The charts' text equivalents: the sensitivity table holds the engine's rows.
    by_testid(&c, "sensitivity-table-toggle").await.click().await.unwrap();
    let first = &report.options[0];
    let rows = c
        .find_all(Locator::Css(&format!("[data-testid='sensitivity-{}-table'] tbody tr", first.platform.as_str())))
        .await
        .unwrap();
    assert_eq!(rows.len(), first.sensitivity.len());
    let top = rows[0].text().await.unwrap();
    assert!(
        top.contains(&first.sensitivity[0].assumption) && top.contains(&usd(first.sensitivity[0].swing_usd)),
        "{top}"
    );
    by_testid(&c, "sensitivity-table-toggle").await.click().await.unwrap();

    // The JSON report downloads from the page.
    by_testid(&c, "export-json").await.click().await.unwrap();
    wait_text(&c, "export-status", |t| t.starts_with("Saved tco-") && t.ends_with(".json")).await;
    // CSV comes from the API (POST the scenario, save the attachment it returns).
    by_testid(&c, "export-csv").await.click().await.unwrap();
    wait_text(&c, "export-status", |t| t.starts_with("Saved ") && t.ends_with(".csv")).await;

    // The print report: its stylesheet and the appendix with every source, hidden on screen.
    let print_rules: i64 = c
        .execute(
            "let n = 0; for (const sheet of document.styleSheets) for (const rule of sheet.cssRules) \
             if (rule.media && rule.media.mediaText.includes('print') && rule.cssText.includes('.print-only')) n++; \
             return n;",
            vec![],
        )
        .await
        .unwrap()
        .as_i64()
        .unwrap();
    assert!(print_rules > 0, "no print stylesheet shows the print-only report");
    assert!(!by_testid(&c, "print-appendix").await.is_displayed().await.unwrap(), "the appendix is print-only");
    let sources = c
        .execute("return document.querySelector(\"[data-testid='print-sources']\").textContent", vec![])
        .await
        .unwrap();
    let sources = sources.as_str().unwrap();
    for s in &report.sources {
        assert!(sources.contains(&s.source) && sources.contains(&s.item), "the printed sources miss {}", s.item);
    }
    // What "Save as PDF" lays out, previewed on screen by applying the print rules.
    c.execute(
        "const css = []; for (const sheet of document.styleSheets) for (const rule of sheet.cssRules) \
         if (rule.media && rule.media.mediaText.includes('print')) for (const r of rule.cssRules) css.push(r.cssText); \
         const style = document.createElement('style'); style.id = 'print-preview'; \
         style.textContent = css.join('\\n'); document.head.appendChild(style);",
        vec![],
    )
    .await
    .unwrap();
    assert!(by_testid(&c, "print-appendix").await.is_displayed().await.unwrap());
    c.execute("window.scrollTo(0, 0)", vec![]).await.unwrap();
    screenshot(&c, "print").await;
    c.execute("document.querySelector(\"[data-testid='print-appendix']\").scrollIntoView()", vec![]).await.unwrap();
    screenshot(&c, "print-appendix").await;
    c.execute("document.getElementById('print-preview').remove()", vec![]).await.unwrap();

    // Presentation mode: large totals, keyboard between slides, Escape leaves.
    by_testid(&c, "view-presentation").await.click().await.unwrap();
    wait_text(&c, "pres-heroku-total", |t| t == usd(report.current.monthly_usd)).await;
    for o in &report.options {
        wait_text(&c, &format!("pres-{}-total", o.platform.as_str()), |t| t == usd(o.monthly_usd)).await;
    }
    wait_text(&c, "pres-title", |t| t == report_name()).await;
    screenshot(&c, "presentation-summary").await;
    press(&c, Key::Right).await;
    wait_text(&c, "pres-count", |t| t == "2 / 4").await;
    screenshot(&c, "presentation-breakdown").await;
    press(&c, Key::PageDown).await;
    wait_text(&c, "pres-count", |t| t == "3 / 4").await;
    let marks = c.find_all(Locator::Css("[data-testid='presentation'] svg.line-chart .marker")).await.unwrap();
    let never = c.find_all(Locator::Css("[data-testid='presentation'] .never")).await.unwrap();
    assert!(!marks.is_empty() || !never.is_empty(), "the chart marks break-even or says never");
    screenshot(&c, "presentation-tco").await;
    press(&c, Key::PageDown).await;
    wait_text(&c, "pres-count", |t| t == "4 / 4").await;
    // What moves the savings is readable from the back of the room: its text is sized to the
    // screen (1.4% of the width: 19.6 px at 1,400 px), not shrunk with a scaled drawing.
    let smallest = c
        .execute(
            "return Math.min(...[...document.querySelectorAll('[data-testid=presentation] .tb-label')]              .map(e => parseFloat(getComputedStyle(e).fontSize)))",
            vec![],
        )
        .await
        .unwrap()
        .as_f64()
        .unwrap();
    assert!(smallest >= 18.0, "the tornado's labels are {smallest} px");
    screenshot(&c, "presentation-sensitivity").await;
    press(&c, Key::PageUp).await;
    wait_text(&c, "pres-count", |t| t == "3 / 4").await;
    press(&c, Key::Escape).await;
    wait_gone(&c, "presentation").await;
    wait_text(&c, "heroku-total", |t| t == usd(report.current.monthly_usd)).await;
    let query = c.current_url().await.unwrap().query().unwrap_or_default().to_string();
    assert!(query.contains("view=finance"), "Escape returns to the view it came from: {query}");
    assert_no_page_errors(&c).await;

    c.close().await.unwrap();
    served.shut_down().await;
}

/// The bundled sample's name, as the presentation's title shows it.
fn report_name() -> String {
    tco_server::sample::scenario(tco_pricing_data::embedded()).unwrap().name
}

/// Scrolls an element to the middle of its scroll box and clicks it, as a user scrolling the
/// assumptions panel would (the sticky panel can leave it under another element otherwise).
async fn click_centred(c: &Client, testid: &str) {
    c.execute(
        "document.querySelector(`[data-testid='${arguments[0]}']`).scrollIntoView({ block: 'center' })",
        vec![serde_json::json!(testid)],
    )
    .await
    .unwrap();
    by_testid(c, testid).await.click().await.unwrap();
}

/// How many elements match a CSS selector right now.
async fn count(c: &Client, css: &str) -> usize {
    c.find_all(Locator::Css(css)).await.unwrap().len()
}

/// Waits until `css` matches exactly `want` elements.
async fn wait_count(c: &Client, css: &str, want: usize) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let n = count(c, css).await;
        if n == want {
            return;
        }
        assert!(Instant::now() < deadline, "{css} matched {n} elements, not {want}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The page draws at most this many nodes per option (`app/src/packing.rs`).
const DRAWN_NODES: usize = 60;

/// Each node option's plan and packing picture say what the engine planned.
async fn wait_plans(c: &Client, report: &tco_engine::Report) {
    wait_totals(c, report).await;
    for o in report.options.iter().filter(|o| !o.placements.is_empty()) {
        let id = o.platform.as_str();
        let want = tco_engine::format::node_plan(&o.nodes);
        wait_text(c, &format!("option-{id}-nodes"), |t| t.starts_with(&want)).await;
        wait_count(c, &format!("[data-testid='plan-{id}-pools'] tbody tr"), o.nodes.len()).await;
        wait_count(c, &format!("[data-testid='packing-{id}-node']"), o.placements.len().min(DRAWN_NODES)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn instance_mixing_architectures_and_sizing_follow_the_engine_and_the_link() {
    use tco_engine::catalog::Arch;
    use tco_engine::{Platform, SizingPolicy};
    let served = Served::start().await;
    let (_driver, c) = start_browser().await;
    c.goto(&served.url("/")).await.unwrap();

    // The packing picture: one bar per node of the ECS plan, each labelled with its type.
    let sample = expected(|_| {});
    wait_plans(&c, &sample).await;
    let ecs = sample.options.iter().find(|o| o.platform == Platform::EcsEc2).unwrap();
    assert!(!ecs.placements.is_empty(), "the sample's ECS plan places replicas on nodes");
    let types: Vec<String> = {
        let mut v = Vec::new();
        for e in c.find_all(Locator::Css("[data-testid='packing-ecs-ec2-node'] .pack-type")).await.unwrap() {
            v.push(e.text().await.unwrap());
        }
        v
    };
    let mut want: Vec<(u32, String)> = ecs.placements.iter().map(|p| (p.zone, p.instance_type.clone())).collect();
    want.sort_by_key(|(z, _)| *z);
    let want: Vec<String> = want.into_iter().take(DRAWN_NODES).map(|(_, t)| t).collect();
    assert_eq!(types, want, "nodes drawn zone by zone, each with the engine's type");
    // Its text equivalent lists the same nodes.
    by_testid(&c, "packing-ecs-ec2-table-toggle").await.click().await.unwrap();
    wait_count(&c, "[data-testid='packing-ecs-ec2-table'] tbody tr", ecs.placements.len().min(DRAWN_NODES)).await;
    by_testid(&c, "packing-ecs-ec2-table-toggle").await.click().await.unwrap();
    c.execute("document.querySelector(\"[data-testid='packing-ecs-ec2']\").scrollIntoView()", vec![]).await.unwrap();
    screenshot(&c, "packing").await;

    // One instance type per pool: the plan the engine makes then (changed or not).
    let single = expected(|a| a.mixed_instance_types = false);
    by_testid(&c, "mixed-instance-types").await.click().await.unwrap();
    wait_plans(&c, &single).await;

    // Images built for arm64 too: Graviton and Fargate on ARM become candidates.
    let both = |a: &mut tco_engine::Assumptions| {
        a.mixed_instance_types = false;
        a.architectures = vec![Arch::X86_64, Arch::Arm64];
    };
    let arm = expected(both);
    by_testid(&c, "arch-arm64").await.click().await.unwrap();
    wait_plans(&c, &arm).await;

    // The link keeps both; a reload restores them.
    let query = c.current_url().await.unwrap().query().unwrap_or_default().to_string();
    assert!(query.contains("arch=x86_64,arm64") && query.contains("mixed=false"), "{query}");
    c.refresh().await.unwrap();
    wait_plans(&c, &arm).await;
    assert_eq!(by_testid(&c, "mixed-instance-types").await.prop("checked").await.unwrap().as_deref(), Some("false"));
    assert_eq!(by_testid(&c, "arch-arm64").await.prop("checked").await.unwrap().as_deref(), Some("true"));

    // Unticking every architecture is marked and ignored: the estimate stays as it was.
    by_testid(&c, "arch-arm64").await.click().await.unwrap();
    wait_plans(&c, &single).await;
    by_testid(&c, "arch-x86_64").await.click().await.unwrap();
    let group = by_testid(&c, "architectures").await;
    assert_eq!(group.attr("aria-invalid").await.unwrap().as_deref(), Some("true"));
    wait_plans(&c, &single).await;
    by_testid(&c, "arch-x86_64").await.click().await.unwrap();
    assert_eq!(by_testid(&c, "architectures").await.attr("aria-invalid").await.unwrap().as_deref(), Some("false"));
    by_testid(&c, "arch-arm64").await.click().await.unwrap();
    wait_plans(&c, &arm).await;

    // Measured sizing: its three figures appear only then; a bad one is marked and ignored.
    assert!(!by_testid(&c, "assumptions").await.html(false).await.unwrap().contains("sizing-memory-headroom"));
    by_testid(&c, "sizing").await.select_by_value("measured").await.unwrap();
    let measured = expected(|a| {
        both(a);
        a.sizing = SizingPolicy::Measured;
    });
    wait_plans(&c, &measured).await;
    type_into(&c, "sizing-memory-headroom", "0.5").await;
    assert_eq!(
        by_testid(&c, "sizing-memory-headroom").await.attr("aria-invalid").await.unwrap().as_deref(),
        Some("true")
    );
    type_into(&c, "sizing-memory-headroom", "1.5").await;
    let assumptions = |a: &mut tco_engine::Assumptions| {
        both(a);
        a.sizing = SizingPolicy::Measured;
        a.sizing_memory_headroom = 1.5;
    };
    let query = c.current_url().await.unwrap().query().unwrap_or_default().to_string();
    assert!(query.contains("sizing=measured"), "{query}");

    // An import with measurements and a week's profile: what sizing from measured use saves,
    // the week's chart and today's measured use, all as the engine says.
    let catalog = tco_pricing_data::embedded();
    let mut workloads = tco_server::sample::scenario(catalog).unwrap().workloads;
    for (i, p) in workloads.apps.iter_mut().flat_map(|a| a.processes.iter_mut()).enumerate() {
        let share = 0.3 + 0.1 * (i % 4) as f64;
        p.measured = Some(
            serde_json::from_value(serde_json::json!({
                "memory_mib_p50": f64::from(p.memory_mib) * share * 0.8,
                "memory_mib_p95": f64::from(p.memory_mib) * share,
                "memory_mib_max": f64::from(p.memory_mib) * share * 1.1,
                "cpu_load_p95": f64::from(p.cpu_millicores) / 1000.0 * share,
                "samples": 500
            }))
            .unwrap(),
        );
        if i == 0 {
            // Busy on weekday working hours, half the dynos otherwise.
            p.hourly_replicas = Some(
                (0..168)
                    .map(|h| if h / 24 < 5 && (9..18).contains(&(h % 24)) { p.replicas } else { p.replicas / 2 })
                    .collect(),
            );
        }
    }
    let text = serde_json::to_string(&serde_json::json!({ "apps": workloads.apps })).unwrap();
    let (_, imported) = import_file(
        InputFile { name: "pasted", bytes: text.as_bytes() },
        Context::new(catalog, &tco_engine::Assumptions::default()),
        None,
    )
    .unwrap();
    let mut scenario = tco_server::sample::scenario(catalog).unwrap();
    scenario.workloads = imported;
    assumptions(&mut scenario.assumptions);
    let report = tco_engine::estimate(&scenario, catalog).unwrap();
    paste_import(&c, &text, "import-json").await;
    by_testid(&c, "import-use").await.click().await.unwrap();
    wait_plans(&c, &report).await;
    let ecs = report.options.iter().find(|o| o.platform == Platform::EcsEc2).unwrap();
    let rs = ecs.right_sizing.as_ref().expect("measured processes give a right-sizing figure");
    let want = if rs.savings_usd.amount().is_sign_negative() {
        format!("Sizing from measured use costs {}/month more on compute", usd(tco_engine::Usd::ZERO - rs.savings_usd))
    } else {
        format!("Sizing from measured use saves {}/month on compute", usd(rs.savings_usd))
    };
    wait_text(&c, "option-ecs-ec2-right-sizing", |t| t == want).await;
    let today = report.current.utilization_measured.expect("every process measured");
    let shown = wait_text(&c, "utilization-today", |t| !t.is_empty()).await;
    let pct = tco_engine::format::ratio_pct;
    assert!(shown.contains(&pct(today.cpu)) && shown.contains(&pct(today.memory)), "{shown}");
    let profile = ecs.profile.as_ref().expect("the profile is followed");
    wait_count(&c, "[data-testid='profile-ecs-ec2'] rect.hour", profile.hourly_on_demand_usd.len()).await;
    assert_eq!(count(&c, "[data-testid='profile-ecs-ec2'] rect.hour.peak").await, 1);
    by_testid(&c, "profile-ecs-ec2-table-toggle").await.click().await.unwrap();
    let peak_row = c
        .find(Locator::Css(&format!(
            "[data-testid='profile-ecs-ec2-table'] tbody tr:nth-child({})",
            profile.peak_hour + 1
        )))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let peak_usd = format!("${:.2}/h", profile.hourly_on_demand_usd[profile.peak_hour as usize]);
    assert!(peak_row.contains("(peak)") && peak_row.contains(&peak_usd), "{peak_row}");
    by_testid(&c, "profile-ecs-ec2-table-toggle").await.click().await.unwrap();
    c.execute("document.querySelector(\"[data-testid='profile-ecs-ec2']\").scrollIntoView()", vec![]).await.unwrap();
    screenshot(&c, "profile").await;

    // Constant replicas all month instead of following the profile.
    click_centred(&c, "follow-profile").await;
    scenario.assumptions.follow_profile = false;
    let flat = tco_engine::estimate(&scenario, catalog).unwrap();
    wait_plans(&c, &flat).await;
    let has_profile = flat.options.iter().find(|o| o.platform == Platform::EcsEc2).unwrap().profile.is_some();
    wait_count(&c, "[data-testid='profile-ecs-ec2']", usize::from(has_profile)).await;
    c.execute("document.querySelector(\"[data-testid='assumptions']\").scrollIntoView()", vec![]).await.unwrap();
    screenshot(&c, "assumptions-sizing").await;
    assert_no_page_errors(&c).await;

    c.close().await.unwrap();
    served.shut_down().await;
}

/// The catalog rows behind the first cost line of ECS on EC2, as the report lists them.
fn ecs_line_sources(r: &tco_engine::Report) -> Vec<tco_engine::report::SourceLine> {
    let ecs = r.options.iter().find(|o| o.platform == tco_engine::Platform::EcsEc2).unwrap();
    ecs.breakdown[0].sources.iter().map(|item| r.sources.iter().find(|s| &s.item == item).unwrap().clone()).collect()
}

/// Waits for a finished download whose name ends with `suffix`, and returns its bytes.
async fn downloaded(dir: &std::path::Path, suffix: &str) -> Vec<u8> {
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        let found = std::fs::read_dir(dir)
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.path())
            .find(|p| p.to_string_lossy().ends_with(suffix));
        if let Some(path) = found {
            let bytes = std::fs::read(&path).unwrap();
            if !bytes.is_empty() {
                return bytes;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("no finished *{suffix} download in {}", dir.display());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_workbook_download_holds_the_totals_and_the_import_review_leaves_out_what_is_unticked() {
    use calamine::{Data, Reader};
    let served = Served::start().await;
    let (driver, c) = start_browser().await;
    c.goto(&served.url("/")).await.unwrap();
    let sample = expected(|_| {});
    wait_totals(&c, &sample).await;

    // A cost line opens to the catalog rows it rests on, with their source and date.
    let first = &ecs_line_sources(&sample)[0];
    c.find(Locator::Css("[data-testid='option-ecs-ec2-lines'] li details summary"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let shown = c
        .find(Locator::Css("[data-testid='option-ecs-ec2-lines'] li .line-source"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(shown.contains(&first.item) && shown.contains(&format!("as of {}", first.as_of)), "{shown}");

    // Each node option lists the single-type plans the engine weighed.
    let ecs = sample.options.iter().find(|o| o.platform == tco_engine::Platform::EcsEc2).unwrap();
    if ecs.alternatives.len() > 1 {
        let rows = count(&c, "[data-testid='plan-ecs-ec2-alternatives'] tbody tr").await;
        assert_eq!(rows, ecs.alternatives.len());
    }

    // The XLSX download, read back: the summary holds the engine's totals as numbers.
    click_centred(&c, "export-xlsx").await;
    let bytes = downloaded(&driver.downloads, ".xlsx").await;
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let summary = book.worksheet_range("Summary").unwrap();
    let today: f64 = sample.current.monthly_usd.rounded_to_cents().try_into().unwrap();
    assert_eq!(summary.get_value((1, 4)), Some(&Data::Float(today)));
    for (i, o) in sample.options.iter().enumerate() {
        let total: f64 = o.monthly_usd.rounded_to_cents().try_into().unwrap();
        assert_eq!(summary.get_value(((i + 2) as u32, 4)), Some(&Data::Float(total)), "{}", o.label);
    }

    // Import two apps, leave one out in the review: the page estimates what is left.
    let catalog = tco_pricing_data::embedded();
    let two = r#"[
  {"app":{"name":"billing"},"type":"web","quantity":4,"size":"performance-m"},
  {"app":{"name":"search"},"type":"web","quantity":3,"size":"standard-2x"},
  {"app":{"name":"search"},"type":"worker","quantity":2,"size":"standard-1x"}
]"#;
    let assumptions = tco_engine::Assumptions::default();
    let (_, mut kept) =
        import_file(InputFile { name: "two.json", bytes: two.as_bytes() }, Context::new(catalog, &assumptions), None)
            .unwrap();
    kept.apps.retain(|a| a.name != "search");
    kept.current_monthly_usd = tco_engine::current::imported_monthly(&kept);
    let want = tco_engine::estimate(
        &tco_engine::Scenario { name: String::new(), workloads: kept, assumptions: sample.assumptions.clone() },
        catalog,
    )
    .unwrap();
    paste_import(&c, two, "heroku-formation").await;
    click_centred(&c, "include-search").await;
    wait_text(&c, "import-today", |t| t.contains("1 app(s), 4 replica(s) included")).await;
    by_testid(&c, "import-use").await.click().await.unwrap();
    wait_totals(&c, &want).await;
    wait_text(&c, "import-status", |t| t.contains("1 app(s), 4 replica(s)")).await;

    // Start from an empty scenario: nothing runs today, nothing to move.
    click_centred(&c, "start-empty").await;
    wait_text(&c, "heroku-total", |t| t == "$0.00").await;
    screenshot(&c, "empty").await;
    assert_no_page_errors(&c).await;
    served.shut_down().await;
}

/// Whether an element with the test id is on the page (shown or not).
async fn present(c: &Client, testid: &str) -> bool {
    c.find(Locator::Css(&format!("[data-testid='{testid}']"))).await.is_ok()
}

/// A save from "someone else": the latest saved scenario, re-saved at its current revision
/// through the API, so the revision the page holds goes stale. Returns the new revision.
async fn save_behind_the_pages_back(c: &Client) -> i64 {
    let script = r#"
        const done = arguments[0];
        (async () => {
            const list = await (await fetch('/api/v1/scenarios')).json();
            const id = list.scenarios[0].id;
            const saved = await (await fetch('/api/v1/scenarios/' + id)).json();
            const body = Object.assign({}, saved.document, { revision: saved.revision });
            const put = await (await fetch('/api/v1/scenarios/' + id,
                { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json();
            done(put.revision);
        })();
    "#;
    c.execute_async(script, vec![]).await.unwrap().as_i64().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn saved_scenarios_are_renamed_reopened_shared_read_only_revoked_and_deleted() {
    let data_dir = std::env::temp_dir().join(format!("tco-e2e-saved-{}-{}", std::process::id(), free_port()));
    let served = Served::start_with_store(&data_dir).await;
    let (_driver, c) = start_browser().await;
    c.goto(&served.url("/")).await.unwrap();
    let sample = expected(|_| {});
    wait_totals(&c, &sample).await;
    wait_text(&c, "saved-empty", |t| t == "Nothing saved yet.").await;

    // Save under a name, then rename it from the list: a new revision, and the page's title.
    type_into(&c, "saved-name", "Migration plan").await;
    by_testid(&c, "saved-save").await.click().await.unwrap();
    wait_text(&c, "saved-status", |t| t == "Saved “Migration plan”, revision 1").await;
    wait_text(&c, "saved-0-name", |t| t == "Migration plan").await;
    by_testid(&c, "saved-0-rename").await.click().await.unwrap();
    type_into(&c, "saved-0-rename-input", "Plan for finance").await;
    by_testid(&c, "saved-0-rename-ok").await.click().await.unwrap();
    wait_text(&c, "saved-0-name", |t| t == "Plan for finance").await;
    wait_text(&c, "saved-0-revision", |t| t == "2").await;
    wait_text(&c, "scenario-name", |t| t == "Plan for finance").await;

    // An edit in the page, then reopening the saved one brings its figures back.
    type_into(&c, "replicas-clinic-api-web", "10").await;
    wait_text(&c, "heroku-total", |t| t != usd(sample.current.monthly_usd)).await;
    by_testid(&c, "saved-0-open").await.click().await.unwrap();
    wait_text(&c, "saved-status", |t| t == "Opened “Plan for finance”, revision 2").await;
    wait_totals(&c, &sample).await;

    // Someone else saves a newer revision: this page's save is refused, and reload adopts theirs.
    let theirs = save_behind_the_pages_back(&c).await;
    assert_eq!(theirs, 3);
    by_testid(&c, "saved-save").await.click().await.unwrap();
    let refused = wait_text(&c, "saved-error", |t| !t.is_empty()).await;
    assert!(refused.contains("Someone else saved a newer revision (3)"), "{refused}");
    by_testid(&c, "saved-reload").await.click().await.unwrap();
    wait_text(&c, "saved-status", |t| t == "Opened “Plan for finance”, revision 3").await;

    // Share: the link opens the comparison read-only, with the figures the engine gives.
    by_testid(&c, "saved-0-share").await.click().await.unwrap();
    wait_text(&c, "share-box", |t| t.contains("Plan for finance")).await;
    let field = by_testid(&c, "share-url").await;
    let link = field.prop("value").await.unwrap().unwrap_or_default();
    assert!(link.starts_with(&served.url("/shared/")), "{link}");
    let main = c.window().await.unwrap();
    let reader = c.new_window(true).await.unwrap();
    c.switch_to_window(reader.handle.clone()).await.unwrap();
    c.goto(&link).await.unwrap();
    wait_totals(&c, &sample).await;
    wait_text(&c, "read-only-banner", |t| t.contains("read-only")).await;
    wait_text(&c, "scenario-name", |t| t == "Plan for finance").await;
    for chrome in ["assumptions-panel", "saved-panel", "import-text", "replicas-clinic-api-web"] {
        assert!(!present(&c, chrome).await, "[data-testid={chrome}] is on the shared page");
    }
    by_testid(&c, "view-finance").await.click().await.unwrap();
    wait_text(&c, &format!("tco36-{}", sample.options[0].platform.as_str()), |t| {
        t == usd(sample.options[0].tco.months_36.savings_usd)
    })
    .await;
    by_testid(&c, "view-presentation").await.click().await.unwrap();
    wait_text(&c, "pres-title", |t| t == "Plan for finance").await;
    by_testid(&c, "pres-close").await.click().await.unwrap();
    wait_gone(&c, "presentation").await;
    assert!(present(&c, "print").await);
    screenshot(&c, "shared").await;
    assert_no_page_errors(&c).await;

    // Revoke it from the author's page; the reader's link now says so.
    c.switch_to_window(main.clone()).await.unwrap();
    by_testid(&c, "share-revoke").await.click().await.unwrap();
    wait_text(&c, "saved-status", |t| t.starts_with("Revoked the link")).await;
    c.switch_to_window(reader.handle).await.unwrap();
    c.refresh().await.unwrap();
    wait_text(&c, "load-error", |t| t.contains("revoked or does not exist")).await;
    assert_no_page_errors(&c).await;
    c.close_window().await.unwrap();
    c.switch_to_window(main).await.unwrap();

    // Duplicate, compare the two side by side, then delete the copy after confirming.
    by_testid(&c, "saved-0-duplicate").await.click().await.unwrap();
    wait_text(&c, "saved-0-name", |t| t == "Plan for finance (copy)").await;
    wait_count(&c, "[data-testid='saved-list'] tbody tr", 2).await;
    by_testid(&c, "compare-a").await.select_by_index(1).await.unwrap();
    by_testid(&c, "compare-b").await.select_by_index(2).await.unwrap();
    by_testid(&c, "compare-run").await.click().await.unwrap();
    wait_text(&c, "compare-current-a", |t| t == usd(sample.current.monthly_usd)).await;
    for o in &sample.options {
        let id = o.platform.as_str();
        wait_text(&c, &format!("compare-{id}-a"), |t| t == usd(o.monthly_usd)).await;
        wait_text(&c, &format!("compare-{id}-b"), |t| t == usd(o.monthly_usd)).await;
    }
    by_testid(&c, "saved-0-delete").await.click().await.unwrap();
    wait_text(&c, "delete-confirmation", |t| t.contains("Plan for finance (copy)")).await;
    by_testid(&c, "delete-cancel").await.click().await.unwrap();
    wait_gone(&c, "delete-confirmation").await;
    wait_count(&c, "[data-testid='saved-list'] tbody tr", 2).await;
    by_testid(&c, "saved-0-delete").await.click().await.unwrap();
    by_testid(&c, "delete-confirm").await.click().await.unwrap();
    wait_text(&c, "saved-status", |t| t == "Deleted “Plan for finance (copy)”").await;
    wait_count(&c, "[data-testid='saved-list'] tbody tr", 1).await;
    wait_text(&c, "saved-0-name", |t| t == "Plan for finance").await;
    screenshot(&c, "saved").await;
    assert_no_page_errors(&c).await;

    c.close().await.unwrap();
    served.shut_down().await;
    let _ = std::fs::remove_dir_all(&data_dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn heroku_postgres_and_key_value_store_move_to_rds_and_elasticache_and_their_targets_are_editable() {
    use tco_engine::managed::AddonTarget;
    let served = Served::start().await;
    let (_driver, c) = start_browser().await;
    c.goto(&served.url("/")).await.unwrap();
    wait_totals(&c, &expected(|_| {})).await;

    // The sample's first app with three add-ons: a Postgres plan the embedded catalog prices on
    // RDS (standard-0 → db.t4g.medium), one it does not (standard-2 → db.m6g.large), and a
    // Key-Value Store plan (premium-2 → two cache.t4g.micro ElastiCache nodes).
    let catalog = tco_pricing_data::embedded();
    let mut scenario = tco_server::sample::scenario(catalog).unwrap();
    let addon = |name: &str, plan: &str, usd: i64| serde_json::json!({"name": name, "plan": plan, "monthly_usd": usd});
    let mut apps = serde_json::to_value(&scenario.workloads.apps).unwrap();
    apps[0]["addons"] = serde_json::json!([
        addon("small-db", "heroku-postgresql:standard-0", 50),
        addon("main-db", "heroku-postgresql:standard-2", 200),
        addon("cache", "heroku-redis:premium-2", 60),
    ]);
    let text = serde_json::to_string(&serde_json::json!({ "apps": apps })).unwrap();
    let (_, imported) = import_file(
        InputFile { name: "pasted", bytes: text.as_bytes() },
        Context::new(catalog, &tco_engine::Assumptions::default()),
        None,
    )
    .unwrap();
    scenario.workloads = imported;
    let report = tco_engine::estimate(&scenario, catalog).unwrap();
    paste_import(&c, &text, "import-json").await;
    by_testid(&c, "import-use").await.click().await.unwrap();
    wait_totals(&c, &report).await;

    // Each plan's row says where it goes and what it costs there, as the engine does.
    let small = report.addon_moves.iter().find(|m| m.plan == "heroku-postgresql:standard-0").unwrap();
    let small_aws = usd(small.aws_monthly_usd.expect("db.t4g.medium is priced"));
    wait_text(&c, "addon-heroku-postgresql-standard-0-aws", |t| t.contains(&small_aws)).await;
    let kept = wait_text(&c, "addon-heroku-postgresql-standard-2-aws", |t| !t.is_empty()).await;
    assert!(kept.starts_with("kept at today's price") && kept.contains("db.m6g.large"), "{kept}");
    let cache = report.addon_moves.iter().find(|m| m.plan == "heroku-redis:premium-2").unwrap();
    let cache_aws = usd(cache.aws_monthly_usd.expect("cache.t4g.micro is priced"));
    wait_text(&c, "addon-heroku-redis-premium-2-aws", |t| t.contains(&cache_aws)).await;

    // Choosing a priced class for standard-2 moves it, and every total follows the engine.
    by_testid(&c, "addon-heroku-postgresql-standard-2-class").await.select_by_value("db.t4g.medium").await.unwrap();
    scenario.assumptions.addon_targets.insert(
        "heroku-postgresql:standard-2".into(),
        AddonTarget::RdsPostgresql { class: "db.t4g.medium".into(), multi_az: false, storage_gb: 256 },
    );
    let chosen = tco_engine::estimate(&scenario, catalog).unwrap();
    assert_ne!(chosen.options[0].monthly_usd, report.options[0].monthly_usd);
    wait_totals(&c, &chosen).await;
    let main = chosen.addon_moves.iter().find(|m| m.plan == "heroku-postgresql:standard-2").unwrap();
    wait_text(&c, "addon-heroku-postgresql-standard-2-aws", |t| t.contains(&usd(main.aws_monthly_usd.unwrap()))).await;

    // Multi-AZ and a storage size are the user's too.
    click_centred(&c, "addon-heroku-postgresql-standard-2-multi-az").await;
    type_into(&c, "addon-heroku-postgresql-standard-2-storage", "100").await;
    scenario.assumptions.addon_targets.insert(
        "heroku-postgresql:standard-2".into(),
        AddonTarget::RdsPostgresql { class: "db.t4g.medium".into(), multi_az: true, storage_gb: 100 },
    );
    wait_totals(&c, &tco_engine::estimate(&scenario, catalog).unwrap()).await;

    // Keeping standard-0 where it is puts it back at today's price.
    click_centred(&c, "addon-heroku-postgresql-standard-0-keep").await;
    scenario.assumptions.addon_targets.insert("heroku-postgresql:standard-0".into(), AddonTarget::Keep);
    wait_totals(&c, &tco_engine::estimate(&scenario, catalog).unwrap()).await;
    c.execute("document.querySelector(\"[data-testid='addon-targets']\").scrollIntoView()", vec![]).await.unwrap();
    screenshot(&c, "addon-targets").await;

    // "Use the default" forgets the choice.
    click_centred(&c, "addon-heroku-postgresql-standard-0-reset").await;
    scenario.assumptions.addon_targets.remove("heroku-postgresql:standard-0");
    wait_totals(&c, &tco_engine::estimate(&scenario, catalog).unwrap()).await;
    assert_no_page_errors(&c).await;

    c.close().await.unwrap();
    served.shut_down().await;
}

/// The HTTP status of `GET path` from the page's origin, without the page's token.
async fn status_of(c: &Client, path: &str) -> i64 {
    let script = "const done = arguments[1]; fetch(arguments[0]).then(r => done(r.status), () => done(0));";
    c.execute_async(script, vec![serde_json::json!(path)]).await.unwrap().as_i64().unwrap()
}

/// A change of monthly total, with its sign, as the re-price table shows it.
fn signed(before: tco_engine::Usd, after: tco_engine::Usd) -> String {
    let change = tco_engine::Usd::new(after.rounded_to_cents() - before.rounded_to_cents());
    match change.cents() {
        0 => "no change".into(),
        c if c > 0 => format!("+{}", usd(change)),
        _ => usd(change),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_a_protected_server_the_page_reprices_shows_history_and_manages_share_links() {
    let data_dir = std::env::temp_dir().join(format!("tco-e2e-protected-{}-{}", std::process::id(), free_port()));
    let store = tco_server::store::Store::open_dir(&data_dir).await.unwrap();
    const TOKEN: &str = "e2e-access-token";
    let protected = |catalog: Option<tco_engine::Catalog>| {
        let mut state = AppState::new(Some(dist())).with_store(store.clone());
        state.auth_token = Some(TOKEN.into());
        if let Some(catalog) = catalog {
            state.catalog = std::sync::Arc::new(tco_server::catalog::ActiveCatalog::in_memory(catalog, "next month"));
        }
        state
    };
    let served = Served::start_with(protected(None)).await;
    let (_driver, c) = start_browser().await;
    c.goto(&served.url("/")).await.unwrap();
    let sample = expected(|_| {});
    wait_totals(&c, &sample).await;

    // Without the token the list is refused; with it, it loads, and it lasts the visit.
    wait_text(&c, "saved-error", |t| t.contains("Authorization: Bearer")).await;
    type_into(&c, "auth-token", TOKEN).await;
    by_testid(&c, "auth-token-use").await.click().await.unwrap();
    wait_gone(&c, "saved-error").await;
    type_into(&c, "saved-name", "Plan").await;
    by_testid(&c, "saved-save").await.click().await.unwrap();
    wait_text(&c, "saved-status", |t| t == "Saved “Plan”, revision 1").await;
    c.refresh().await.unwrap();
    wait_text(&c, "saved-0-name", |t| t == "Plan").await;
    assert!(!present(&c, "saved-error").await);

    // A rename is revision 2; the history lists both, and revision 1 opens read-only.
    by_testid(&c, "saved-0-rename").await.click().await.unwrap();
    type_into(&c, "saved-0-rename-input", "Plan v2").await;
    by_testid(&c, "saved-0-rename-ok").await.click().await.unwrap();
    wait_text(&c, "saved-0-revision", |t| t == "2").await;
    by_testid(&c, "saved-0-history").await.click().await.unwrap();
    wait_text(&c, "history-1-name", |t| t == "Plan").await;
    wait_text(&c, "history-2-name", |t| t == "Plan v2").await;
    by_testid(&c, "history-1-open").await.click().await.unwrap();
    wait_text(&c, "revision-title", |t| t.starts_with("Revision 1: “Plan”, read-only")).await;
    wait_text(&c, "revision-current", |t| t == usd(sample.current.monthly_usd)).await;
    for o in &sample.options {
        wait_text(&c, &format!("revision-{}", o.platform.as_str()), |t| t == usd(o.monthly_usd)).await;
    }

    // Two links; the list names each by the start of its URL; one is revoked from the list.
    let mut links = Vec::new();
    for _ in 0..2 {
        let before = links.last().cloned().unwrap_or_default();
        by_testid(&c, "saved-0-share").await.click().await.unwrap();
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let link = match c.find(Locator::Css("[data-testid='share-url']")).await {
                Ok(field) => field.prop("value").await.unwrap().unwrap_or_default(),
                Err(_) => String::new(),
            };
            if link.contains("/shared/") && link != before {
                links.push(link);
                break;
            }
            assert!(Instant::now() < deadline, "no new share link");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    let path = |link: &str| link.split_once("/shared/").map(|(_, t)| format!("/shared/{t}")).unwrap();
    by_testid(&c, "saved-0-links").await.click().await.unwrap();
    wait_count(&c, "[data-testid='links'] tbody tr", 2).await;
    for (k, link) in links.iter().enumerate() {
        let hint = wait_text(&c, &format!("links-{k}-hint"), |t| t.ends_with('…')).await;
        assert!(path(link).starts_with(hint.trim_end_matches('…')), "{hint} names {link}");
    }
    by_testid(&c, "links-0-revoke").await.click().await.unwrap();
    wait_text(&c, "saved-status", |t| t.starts_with("Revoked /shared/")).await;
    wait_count(&c, "[data-testid='links'] tbody tr", 1).await;
    let left = wait_text(&c, "links-0-hint", |t| t.ends_with('…')).await;
    assert!(path(&links[1]).starts_with(left.trim_end_matches('…')));
    assert_eq!(status_of(&c, &format!("/api/v1{}", path(&links[0]))).await, 404);
    assert_eq!(status_of(&c, &format!("/api/v1{}", path(&links[1]))).await, 200);

    // Re-priced on the catalog it was saved on, nothing moves.
    by_testid(&c, "saved-0-reprice").await.click().await.unwrap();
    wait_text(&c, "reprice-verdict", |t| t.contains("no monthly total moved")).await;
    wait_text(&c, "reprice-current-change", |t| t == "no change").await;
    assert_no_page_errors(&c).await;

    // Next month's catalog, every EC2 price doubled, served on the same database: re-price
    // lists each option's saved and new totals as the engine computes them.
    let mut next = tco_pricing_data::embedded().clone();
    next.snapshot = "2099-01-01".into();
    for price in &mut next.instance_prices {
        price.usd_per_hour = price.usd_per_hour + price.usd_per_hour;
    }
    let mut renamed = tco_server::sample::scenario(tco_pricing_data::embedded()).unwrap();
    renamed.name = "Plan v2".into();
    let now = tco_engine::estimate(&renamed, &next).unwrap();
    let later = Served::start_with(protected(Some(next))).await;
    c.goto(&later.url("/")).await.unwrap();
    // Another origin, another session: the token is asked for again.
    wait_text(&c, "saved-error", |t| t.contains("Authorization: Bearer")).await;
    type_into(&c, "auth-token", TOKEN).await;
    by_testid(&c, "auth-token-use").await.click().await.unwrap();
    wait_text(&c, "saved-0-name", |t| t == "Plan v2").await;
    by_testid(&c, "saved-0-reprice").await.click().await.unwrap();
    let catalog = &sample_catalog_version();
    wait_text(&c, "reprice-versions", |t| t == format!("Saved on catalog {catalog} · current catalog 2099-01-01"))
        .await;
    wait_text(&c, "reprice-verdict", |t| t.contains("moved")).await;
    wait_text(&c, "reprice-current-change", |t| t == "no change").await;
    for (was, is) in sample.options.iter().zip(&now.options) {
        let id = was.platform.as_str();
        assert_eq!(is.platform, was.platform);
        wait_text(&c, &format!("reprice-{id}-pinned"), |t| t == usd(was.monthly_usd)).await;
        wait_text(&c, &format!("reprice-{id}-current"), |t| t == usd(is.monthly_usd)).await;
        wait_text(&c, &format!("reprice-{id}-change"), |t| t == signed(was.monthly_usd, is.monthly_usd)).await;
    }
    assert!(
        sample.options.iter().zip(&now.options).any(|(a, b)| b.monthly_usd.cents() > a.monthly_usd.cents()),
        "doubling EC2 prices raises some option"
    );
    screenshot(&c, "reprice").await;
    assert_no_page_errors(&c).await;

    c.close().await.unwrap();
    later.shut_down().await;
    served.shut_down().await;
    let _ = std::fs::remove_dir_all(&data_dir);
}

/// The snapshot the embedded catalog calls itself.
fn sample_catalog_version() -> String {
    tco_pricing_data::embedded().snapshot.clone()
}

/// A stand-in for AWS's Pricing Calculator API (JSON 1.0, `X-Amz-Target`): it prices each
/// usage line at `rate(usage type)` per unit and holds one estimate at a time.
#[derive(Clone)]
struct Calculator {
    rates: std::sync::Arc<std::collections::HashMap<String, f64>>,
    lines: std::sync::Arc<std::sync::Mutex<Vec<serde_json::Value>>>,
}

async fn calculator_answer(
    axum::extract::State(calc): axum::extract::State<Calculator>,
    headers: axum::http::HeaderMap,
    body: axum::body::Bytes,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    use serde_json::{json, Value};
    let target = headers.get("x-amz-target").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    let b: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let mut lines = calc.lines.lock().unwrap();
    let estimate = |lines: &[Value]| {
        let total: f64 = lines.iter().filter_map(|l| l["cost"].as_f64()).sum();
        json!({"id": "00000000-0000-4000-8000-000000000001", "status": "VALID", "rateType": "BEFORE_DISCOUNTS",
               "totalCost": total, "costCurrency": "USD"})
    };
    let answer = match target.trim_start_matches("AWSBCMPricingCalculator.") {
        "CreateWorkloadEstimate" => {
            lines.clear();
            estimate(&lines)
        }
        "BatchCreateWorkloadEstimateUsage" => {
            let mut items = Vec::new();
            for u in b["usage"].as_array().cloned().unwrap_or_default() {
                let rate = calc.rates.get(u["usageType"].as_str().unwrap_or_default()).copied().unwrap_or(0.0);
                let amount = u["amount"].as_f64().unwrap_or_default();
                let item = json!({"id": format!("line-{}", lines.len() + 1), "key": u["key"], "serviceCode": u["serviceCode"],
                    "usageType": u["usageType"], "operation": u["operation"], "cost": amount * rate, "status": "VALID",
                    "quantity": {"amount": amount, "unit": "Hrs"}});
                lines.push(item.clone());
                items.push(item);
            }
            json!({"items": items, "errors": []})
        }
        "GetWorkloadEstimate" => estimate(&lines),
        "ListWorkloadEstimateUsage" => json!({"items": *lines}),
        "DeleteWorkloadEstimate" => json!({}),
        _ => return (axum::http::StatusCode::BAD_REQUEST, "unknown operation").into_response(),
    };
    ([("content-type", "application/x-amz-json-1.0")], answer.to_string()).into_response()
}

/// Settings for the server's cross-check: static test credentials, sending to `endpoint`.
fn crosscheck_settings(
    endpoint: &str,
    credentials: aws_credential_types::provider::SharedCredentialsProvider,
) -> tco_server::crosscheck::Settings {
    tco_server::crosscheck::Settings {
        endpoint_url: Some(endpoint.into()),
        credentials: Some(credentials),
        account_id: Some("123456789012".into()),
        ..Default::default()
    }
}

/// Credentials that never resolve, as on a server with none configured.
#[derive(Debug)]
struct NoCredentials;

impl aws_credential_types::provider::ProvideCredentials for NoCredentials {
    fn provide_credentials<'a>(&'a self) -> aws_credential_types::provider::future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        aws_credential_types::provider::future::ProvideCredentials::ready(Err(
            aws_credential_types::provider::error::CredentialsError::not_loaded("none configured"),
        ))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_option_is_checked_with_aws_pricing_calculator_and_differences_over_1_percent_are_flagged() {
    use aws_credential_types::provider::SharedCredentialsProvider;
    use rust_decimal::prelude::ToPrimitive;
    let catalog = tco_pricing_data::embedded();
    let sample = tco_server::sample::scenario(catalog).unwrap();
    let prepared = tco_server::crosscheck::prepare(sample, catalog, Some(tco_engine::Platform::EcsEc2)).unwrap();
    // The stand-in charges our own rate for every line but the NAT gateways, 10% more there.
    let mut rates = std::collections::HashMap::new();
    for l in &prepared.planned.outgoing {
        let ours = (l.ours_usd.amount() / l.amount).to_f64().unwrap();
        rates.insert(l.usage_type.clone(), if l.usage_type == "NatGateway-Hours" { ours * 1.1 } else { ours });
    }
    let calc = Calculator { rates: std::sync::Arc::new(rates), lines: Default::default() };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let endpoint = format!("http://{}", listener.local_addr().unwrap());
    let app = axum::Router::new().route("/", axum::routing::post(calculator_answer)).with_state(calc);
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    // A server without credentials: the action says what to configure.
    let mut state = AppState::new(Some(dist()));
    state.crosscheck =
        std::sync::Arc::new(crosscheck_settings(&endpoint, SharedCredentialsProvider::new(NoCredentials)));
    let served = Served::start_with(state).await;
    let (_driver, c) = start_browser().await;
    c.goto(&served.url("/")).await.unwrap();
    wait_text(&c, "option-ecs-ec2-total", |t| t.starts_with('$')).await;
    by_testid(&c, "option-ecs-ec2-crosscheck-run").await.click().await.unwrap();
    let error = wait_text(&c, "option-ecs-ec2-crosscheck-error", |t| !t.is_empty()).await;
    assert!(error.contains("The server has no AWS credentials"), "{error}");
    assert!(error.contains("(aws_not_configured)"), "{error}");
    served.shut_down().await;

    // With credentials: AWS's figure beside ours per line, the NAT gateways flagged.
    let mut state = AppState::new(Some(dist()));
    let credentials = aws_credential_types::Credentials::new("AKIDTEST", "secret", None, None, "test");
    state.crosscheck = std::sync::Arc::new(crosscheck_settings(&endpoint, SharedCredentialsProvider::new(credentials)));
    let served = Served::start_with(state).await;
    c.goto(&served.url("/")).await.unwrap();
    wait_text(&c, "option-ecs-ec2-total", |t| t.starts_with('$')).await;
    by_testid(&c, "option-ecs-ec2-crosscheck-run").await.click().await.unwrap();
    let summary = wait_text(&c, "option-ecs-ec2-crosscheck-summary", |t| !t.is_empty()).await;
    let ours = usd(prepared.planned.outgoing.iter().map(|l| l.ours_usd).sum());
    assert!(summary.contains(&format!("against our {ours} a month")), "{summary}");
    assert!(summary.ends_with("1 line differs by more than 1%"), "{summary}");
    assert_eq!(count(&c, "[data-testid='option-ecs-ec2-crosscheck-result'] tr.differs").await, 1);
    let flagged = c
        .find(Locator::Css("[data-testid='option-ecs-ec2-crosscheck-result'] tr.differs th"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        flagged.starts_with("NAT gateways") && flagged.contains("AmazonEC2 NatGateway-Hours · 2190 Hrs"),
        "{flagged}"
    );
    c.execute("document.querySelector(\"[data-testid='option-ecs-ec2-crosscheck']\").scrollIntoView()", vec![])
        .await
        .unwrap();
    screenshot(&c, "crosscheck-ecs-ec2").await;
    assert_no_page_errors(&c).await;
    served.shut_down().await;
}

/// A Chrome DevTools command sent through chromedriver's `goog/cdp/execute`: what WebDriver
/// cannot do (emulate print media, print to PDF) in the same session the test drives.
#[derive(Debug)]
struct Cdp(&'static str, serde_json::Value);

impl fantoccini::wd::WebDriverCompatibleCommand for Cdp {
    fn endpoint(&self, base: &url::Url, session: Option<&str>) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/goog/cdp/execute", session.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(serde_json::json!({ "cmd": self.0, "params": self.1 }).to_string()))
    }
}

async fn cdp(c: &Client, cmd: &'static str, params: serde_json::Value) -> serde_json::Value {
    c.issue_cmd(Cdp(cmd, params)).await.unwrap_or_else(|e| panic!("{cmd}: {e}"))
}

/// axe-core's script, installed from the npm registry (pinned in `tests/axe-version`) under
/// `target/axe/` by `scripts/install-tools.sh --test`, or here when it is missing.
fn axe_source() -> String {
    let version = include_str!("../axe-version").trim();
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target"));
    let dir = target.join("axe");
    let script = dir.join("node_modules/axe-core/axe.min.js");
    let installed = std::fs::read_to_string(dir.join("node_modules/axe-core/package.json"))
        .is_ok_and(|p| p.contains(&format!("\"version\": \"{version}\"")));
    if !installed {
        let status = Command::new("npm")
            .args(["install", "--prefix"])
            .arg(&dir)
            .args(["--no-audit", "--no-fund", "--no-save", &format!("axe-core@{version}")])
            .status()
            .unwrap_or_else(|e| panic!("cannot run npm to install axe-core: {e} (install Debian's npm)"));
        assert!(status.success(), "npm could not install axe-core@{version}");
    }
    std::fs::read_to_string(&script).unwrap_or_else(|e| panic!("{}: {e}", script.display()))
}

/// Every axe-core violation on the page as it is now: `rule (impact) × nodes: first targets`.
async fn axe_violations(c: &Client, axe: &str) -> Vec<String> {
    c.execute(&format!("{axe}\n;return true;"), vec![]).await.unwrap();
    let script = "const done = arguments[0]; \
        axe.run(document, { resultTypes: ['violations'] }).then(r => done(r.violations.map(v => \
          `${v.id} (${v.impact}) × ${v.nodes.length}: ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')}`)), \
          e => done(['axe failed: ' + e]));";
    let found = c.execute_async(script, vec![]).await.unwrap();
    serde_json::from_value(found).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn axe_finds_nothing_in_any_view_the_printed_report_or_the_shared_link() {
    let axe = axe_source();
    let data_dir = std::env::temp_dir().join(format!("tco-e2e-axe-{}-{}", std::process::id(), free_port()));
    let served = Served::start_with_store(&data_dir).await;
    let (_driver, c) = start_browser().await;
    let report = expected(|_| {});
    let mut found = Vec::new();
    for view in ["engineering", "finance", "explorer", "presentation"] {
        c.goto(&served.url(&format!("/?view={view}"))).await.unwrap();
        if view == "explorer" {
            wait_text(&c, "explorer-count", |t| t.contains("instance types match")).await;
        } else if view == "presentation" {
            wait_text(&c, "pres-heroku-total", |t| t == usd(report.current.monthly_usd)).await;
        } else {
            wait_totals(&c, &report).await;
        }
        found.extend(axe_violations(&c, &axe).await.into_iter().map(|v| format!("{view}: {v}")));
    }
    // The printed report: print media emulated on the finance view.
    c.goto(&served.url("/?view=finance")).await.unwrap();
    wait_totals(&c, &report).await;
    cdp(&c, "Emulation.setEmulatedMedia", serde_json::json!({ "media": "print" })).await;
    found.extend(axe_violations(&c, &axe).await.into_iter().map(|v| format!("print: {v}")));
    cdp(&c, "Emulation.setEmulatedMedia", serde_json::json!({ "media": "" })).await;
    // The shared read-only link.
    type_into(&c, "saved-name", "Shared").await;
    by_testid(&c, "saved-save").await.click().await.unwrap();
    wait_text(&c, "saved-status", |t| t.starts_with("Saved “Shared”")).await;
    by_testid(&c, "saved-0-share").await.click().await.unwrap();
    let link = {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let link = match c.find(Locator::Css("[data-testid='share-url']")).await {
                Ok(field) => field.prop("value").await.unwrap().unwrap_or_default(),
                Err(_) => String::new(),
            };
            if link.contains("/shared/") {
                break link;
            }
            assert!(Instant::now() < deadline, "no share link");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    };
    // The saved list and its share link, as the panel shows them.
    found.extend(axe_violations(&c, &axe).await.into_iter().map(|v| format!("saved scenarios: {v}")));
    c.goto(&link).await.unwrap();
    wait_text(&c, "read-only-banner", |t| !t.is_empty()).await;
    wait_totals(&c, &report).await;
    found.extend(axe_violations(&c, &axe).await.into_iter().map(|v| format!("shared link: {v}")));
    assert!(found.is_empty(), "axe-core found:\n{}", found.join("\n"));
    assert_no_page_errors(&c).await;
    c.close().await.unwrap();
    served.shut_down().await;
    let _ = std::fs::remove_dir_all(&data_dir);
}

/// A paper size: its name, and its width and height in inches.
const PAPERS: [(&str, f64, f64); 2] = [("A4", 8.27, 11.69), ("Letter", 8.5, 11.0)];

/// The page's print margins (`@page` in `style/main.css`), millimetres: top, right, bottom, left.
const MARGINS_MM: [f64; 4] = [13.0, 11.0, 15.0, 11.0];

/// Pages of a PDF Chrome printed: its page objects.
fn pdf_pages(pdf: &[u8]) -> usize {
    let text = String::from_utf8_lossy(pdf);
    text.match_indices("/Type /Page").filter(|(i, _)| !text[i + 11..].starts_with('s')).count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sample_prints_as_a_business_case_of_at_most_eight_pages_with_nothing_split() {
    use base64::Engine;
    let served = Served::start().await;
    let (_driver, c) = start_browser().await;
    let report = expected(|_| {});
    for view in ["finance", "engineering", "presentation"] {
        c.goto(&served.url(&format!("/?view={view}"))).await.unwrap();
        if view == "presentation" {
            wait_text(&c, "pres-heroku-total", |t| t == usd(report.current.monthly_usd)).await;
        } else {
            wait_totals(&c, &report).await;
        }
        for (paper, width_in, height_in) in PAPERS {
            // Lay the page out as print does, at the paper's content width, and measure.
            let px = |mm: f64| mm / 25.4 * 96.0;
            let content_w = width_in * 96.0 - px(MARGINS_MM[1]) - px(MARGINS_MM[3]);
            let content_h = height_in * 96.0 - px(MARGINS_MM[0]) - px(MARGINS_MM[2]);
            cdp(
                &c,
                "Emulation.setDeviceMetricsOverride",
                serde_json::json!({ "width": content_w.floor() as i64, "height": content_h.floor() as i64, "deviceScaleFactor": 1, "mobile": false }),
            )
            .await;
            cdp(&c, "Emulation.setEmulatedMedia", serde_json::json!({ "media": "print" })).await;
            let measured = c
                .execute(
                    "const [pageH] = arguments; const out = { tall: [], overflow: [], page1: '' }; \
                     const shown = e => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden'; \
                     for (const e of document.querySelectorAll('main.report .card, main.report .panel, main.report table, main.report .plan, main.report .option-sensitivity, main.report svg')) { \
                       if (!shown(e)) continue; const s = getComputedStyle(e); \
                       if (s.breakInside === 'auto' && e.matches('.panel')) continue; \
                       const h = e.getBoundingClientRect().height; \
                       if (h > pageH) out.tall.push(`${e.tagName.toLowerCase()}.${e.className.baseVal ?? e.className} ${e.dataset.testid || ''}: ${Math.round(h)} px`); } \
                     for (const cell of document.querySelectorAll('main.report th, main.report td')) { \
                       if (shown(cell) && cell.scrollWidth > cell.clientWidth + 1) out.overflow.push(`${cell.textContent.trim().slice(0, 40)} (${cell.scrollWidth} > ${cell.clientWidth})`); } \
                     for (const t of document.querySelectorAll('main.report table')) { \
                       if (shown(t) && t.scrollWidth > t.parentElement.clientWidth + 1) out.overflow.push(`table ${t.dataset.testid || t.className} wider than its box`); } \
                     const first = document.querySelector('[data-testid=executive-summary]'); \
                     out.page1 = first && shown(first) ? first.innerText : ''; \
                     out.page1Height = first ? first.getBoundingClientRect().height : 0; \
                     return out;",
                    vec![serde_json::json!(content_h)],
                )
                .await
                .unwrap();
            let tall: Vec<String> = serde_json::from_value(measured["tall"].clone()).unwrap();
            let overflow: Vec<String> = serde_json::from_value(measured["overflow"].clone()).unwrap();
            assert!(tall.is_empty(), "{view}, {paper}: taller than a page, so it would split:\n{}", tall.join("\n"));
            assert!(overflow.is_empty(), "{view}, {paper}: text overprints its cell:\n{}", overflow.join("\n"));
            // Page 1 is the executive summary: today's bill and every option's total, on one page.
            let page1 = measured["page1"].as_str().unwrap();
            assert!(
                measured["page1Height"].as_f64().unwrap() <= content_h,
                "{view}, {paper}: the summary overflows page 1"
            );
            assert!(page1.contains(&usd(report.current.monthly_usd)), "{view}, {paper}: page 1 lacks today's bill");
            for o in &report.options {
                assert!(page1.contains(&usd(o.monthly_usd)), "{view}, {paper}: page 1 lacks {}'s total", o.label);
            }
            cdp(&c, "Emulation.setEmulatedMedia", serde_json::json!({ "media": "" })).await;
            cdp(&c, "Emulation.clearDeviceMetricsOverride", serde_json::json!({})).await;

            let printed = cdp(
                &c,
                "Page.printToPDF",
                serde_json::json!({ "paperWidth": width_in, "paperHeight": height_in, "printBackground": true }),
            )
            .await;
            let pdf = base64::engine::general_purpose::STANDARD.decode(printed["data"].as_str().unwrap()).unwrap();
            let pages = pdf_pages(&pdf);
            eprintln!("{view} printed on {paper}: {pages} pages");
            if view == "finance" {
                let target = std::env::var_os("CARGO_TARGET_DIR")
                    .map(PathBuf::from)
                    .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target"));
                std::fs::create_dir_all(target.join("screenshots")).unwrap();
                std::fs::write(target.join(format!("screenshots/report-{paper}.pdf")), &pdf).unwrap();
            }
            assert!((1..=8).contains(&pages), "{view} printed on {paper} is {pages} pages");
        }
    }
    assert_no_page_errors(&c).await;
    c.close().await.unwrap();
    served.shut_down().await;
}
