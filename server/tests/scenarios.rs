//! Saved scenarios, share links and the v1 API: the contract of `/api/v1`, in process against
//! the real router. Every test that touches the database runs twice, on a SQLite file in a
//! temporary directory and on a fresh PostgreSQL cluster (`sqlite::...` and `postgres::...`).

mod support;

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use std::process::Command;
use support::postgres::PostgresServer;
use tco_server::store::Store;
use tco_server::{build_app, AppState};
use tower::ServiceExt;

/// Runs each named `async fn(Backend)` once per backend, as `sqlite::NAME` and `postgres::NAME`.
macro_rules! on_every_backend {
    ($($test:ident),* $(,)?) => {
        on_every_backend!(@module sqlite, Sqlite, $($test),*);
        on_every_backend!(@module postgres, Postgres, $($test),*);
    };
    (@module $module:ident, $backend:ident, $($test:ident),*) => {
        mod $module {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $test() {
                    super::$test(super::Backend::$backend).await
                }
            )*
        }
    };
}

on_every_backend!(
    a_scenario_is_created_read_updated_listed_and_deleted,
    a_save_from_a_stale_revision_is_409_and_keeps_the_newer_one,
    concurrent_saves_from_one_revision_let_exactly_one_through,
    a_share_link_shows_the_scenario_read_only_until_revoked,
    share_links_are_listed_without_their_tokens_and_revoked_by_id_or_token,
    a_reopened_scenario_keeps_its_numbers_when_the_catalog_moves_and_reprice_lists_the_change,
    with_an_auth_token_the_scenario_endpoints_need_it_and_share_links_do_not,
    bad_saves_are_4xx_naming_the_field_and_write_nothing,
    shutdown_finishes_a_save_in_flight,
);

#[derive(Clone, Copy, Debug)]
enum Backend {
    Sqlite,
    Postgres,
}

/// What keeps a test's database alive: its directory, or its server.
enum Database {
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres(#[allow(dead_code)] PostgresServer),
}

/// A fresh, empty, migrated database on `backend`.
async fn open(backend: Backend) -> (Store, Database) {
    match backend {
        Backend::Sqlite => {
            let dir = tempfile::tempdir().unwrap();
            (Store::open_dir(dir.path()).await.unwrap(), Database::Sqlite(dir))
        }
        Backend::Postgres => {
            let server = tokio::task::spawn_blocking(PostgresServer::start).await.unwrap();
            (Store::open(&server.url("postgres")).await.unwrap(), Database::Postgres(server))
        }
    }
}

/// A server on its own database. Fields drop in order: the database goes last.
struct TestApp {
    app: Router,
    store: Store,
    token: Option<&'static str>,
    _db: Database,
}

struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: Value,
}

impl TestApp {
    async fn new(backend: Backend) -> TestApp {
        TestApp::with(backend, |state| state).await
    }

    async fn with(backend: Backend, configure: impl FnOnce(AppState) -> AppState) -> TestApp {
        let (store, db) = open(backend).await;
        let state = configure(AppState::new(None).with_store(store.clone()));
        let token = state.auth_token.as_ref().map(|t| &*Box::leak(t.to_string().into_boxed_str()));
        TestApp { app: build_app(state), store, token, _db: db }
    }

    /// The same database, served on another catalog.
    fn on_catalog(&self, catalog: tco_engine::Catalog) -> Router {
        let mut state = AppState::new(None).with_store(self.store.clone());
        state.catalog = std::sync::Arc::new(tco_server::catalog::ActiveCatalog::in_memory(catalog, "a later snapshot"));
        build_app(state)
    }

    async fn call(&self, method: &str, uri: &str, body: impl Into<Body>) -> Answer {
        let mut request = Request::builder().method(method).uri(uri);
        if let Some(token) = self.token {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        send(&self.app, request.body(body.into()).unwrap()).await
    }

    async fn save(&self, document: &Value) -> Value {
        let answer = self.call("POST", "/api/v1/scenarios", document.to_string()).await;
        assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
        answer.body
    }

    async fn assert_consistent(&self) {
        assert_eq!(self.store.check_consistency().await.unwrap(), Vec::<String>::new());
    }
}

async fn send(app: &Router, request: Request<Body>) -> Answer {
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let body = serde_json::from_slice(&bytes).unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into()));
    Answer { status, headers, body }
}

fn sample() -> Value {
    let scenario = tco_server::sample::scenario(tco_pricing_data::embedded()).unwrap();
    serde_json::to_value(scenario).unwrap()
}

fn engine_report(document: &Value) -> Value {
    let scenario: tco_engine::Scenario = serde_json::from_value(document.clone()).unwrap();
    serde_json::to_value(tco_engine::estimate(&scenario, tco_pricing_data::embedded()).unwrap()).unwrap()
}

/// `document` with `fields` added (revision, notes, ...).
fn with(document: &Value, fields: Value) -> Value {
    let mut out = document.clone();
    for (k, v) in fields.as_object().unwrap() {
        out[k] = v.clone();
    }
    out
}

async fn a_scenario_is_created_read_updated_listed_and_deleted(backend: Backend) {
    let t = TestApp::new(backend).await;
    let document = sample();
    let created = t.save(&with(&document, json!({"notes": "first pass"}))).await;
    let id = created["id"].as_str().unwrap().to_string();
    assert!(id.len() >= 16 && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'), "{id}");
    assert_eq!(created["revision"], 1);
    assert_eq!(created["name"], document["name"]);
    assert_eq!(created["notes"], "first pass");
    assert_eq!(created["catalog_version"], tco_pricing_data::embedded().snapshot.as_str());
    assert_eq!(created["document"], document);
    assert_eq!(created["report"], engine_report(&document));
    assert_eq!(created["created_at"], created["updated_at"]);

    let got = t.call("GET", &format!("/api/v1/scenarios/{id}"), Body::empty()).await;
    assert_eq!(got.status, StatusCode::OK);
    assert_eq!(got.body, created);

    let mut edited = document.clone();
    edited["name"] = json!("Plan B");
    edited["assumptions"]["availability_zones"] = json!(2);
    let put =
        t.call("PUT", &format!("/api/v1/scenarios/{id}"), with(&edited, json!({"revision": 1})).to_string()).await;
    assert_eq!(put.status, StatusCode::OK, "{}", put.body);
    assert_eq!(put.body["revision"], 2);
    assert_eq!(put.body["name"], "Plan B");
    assert_eq!(put.body["notes"], "", "a save replaces the notes too");
    assert_eq!(put.body["document"]["assumptions"]["availability_zones"], 2);
    assert_eq!(put.body["report"], engine_report(&put.body["document"]));
    assert_eq!(put.body["created_at"], created["created_at"]);

    let second = t.save(&json!({"name": "empty", "workloads": {}})).await;
    let list = t.call("GET", "/api/v1/scenarios", Body::empty()).await;
    assert_eq!(list.status, StatusCode::OK);
    let lines = list.body["scenarios"].as_array().unwrap();
    assert_eq!(lines.len(), 2);
    let ours = lines.iter().find(|l| l["id"] == id.as_str()).unwrap();
    assert_eq!((&ours["name"], &ours["revision"]), (&json!("Plan B"), &json!(2)));
    assert!(ours["updated_at"].as_str().unwrap().ends_with('Z'));

    let history = t.call("GET", &format!("/api/v1/scenarios/{id}/revisions"), Body::empty()).await;
    let names: Vec<&str> =
        history.body["revisions"].as_array().unwrap().iter().map(|r| r["name"].as_str().unwrap()).collect();
    assert_eq!(names, vec![document["name"].as_str().unwrap(), "Plan B"]);
    // Each revision reads back as it was saved.
    let first = t.call("GET", &format!("/api/v1/scenarios/{id}/revisions/1"), Body::empty()).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    assert_eq!((&first.body["revision"], &first.body["document"]), (&json!(1), &document));
    assert_eq!(first.body["report"], created["report"]);
    assert_eq!(first.body["notes"], "first pass");
    assert_eq!(first.body["updated_at"], history.body["revisions"][0]["saved_at"]);
    let revision_2 = t.call("GET", &format!("/api/v1/scenarios/{id}/revisions/2"), Body::empty()).await;
    assert_eq!(revision_2.body["document"], put.body["document"]);
    for missing in ["3", "0", "x", "1.5"] {
        let answer = t.call("GET", &format!("/api/v1/scenarios/{id}/revisions/{missing}"), Body::empty()).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{missing}");
    }

    let deleted = t.call("DELETE", &format!("/api/v1/scenarios/{id}"), Body::empty()).await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    let gone = t.call("GET", &format!("/api/v1/scenarios/{id}"), Body::empty()).await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
    assert_eq!(gone.body["error"]["code"], "not_found");
    let again = t.call("DELETE", &format!("/api/v1/scenarios/{id}"), Body::empty()).await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    let list = t.call("GET", "/api/v1/scenarios", Body::empty()).await;
    assert_eq!(list.body["scenarios"].as_array().unwrap().len(), 1);
    assert_eq!(list.body["scenarios"][0]["id"], second["id"]);
    t.assert_consistent().await;
}

async fn a_save_from_a_stale_revision_is_409_and_keeps_the_newer_one(backend: Backend) {
    let t = TestApp::new(backend).await;
    let created = t.save(&sample()).await;
    let uri = format!("/api/v1/scenarios/{}", created["id"].as_str().unwrap());
    let mut mine = sample();
    mine["name"] = json!("mine");
    assert_eq!(t.call("PUT", &uri, with(&mine, json!({"revision": 1})).to_string()).await.status, StatusCode::OK);

    let mut theirs = sample();
    theirs["name"] = json!("theirs");
    let stale = t.call("PUT", &uri, with(&theirs, json!({"revision": 1})).to_string()).await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert_eq!(stale.body["error"]["code"], "revision_conflict");
    assert_eq!(stale.body["error"]["details"], json!({"expected_revision": 1, "current_revision": 2}));
    let now = t.call("GET", &uri, Body::empty()).await;
    assert_eq!((&now.body["name"], &now.body["revision"]), (&json!("mine"), &json!(2)));

    // A revision is required, and must be a revision number.
    for revision in [json!("2"), json!(0), json!(1.5), json!(-2.0)] {
        let body = with(&sample(), json!({ "revision": revision }));
        let answer = t.call("PUT", &uri, body.to_string()).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{}", answer.body);
        assert!(answer.body["error"]["message"].as_str().unwrap().contains("revision"));
    }
    let answer = t.call("PUT", &uri, sample().to_string()).await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST, "a revision is required: {}", answer.body);
    // A whole number written as a float is a revision number, as JSON Schema's `integer` has it.
    let as_float = t.call("PUT", &uri, with(&mine, json!({"revision": 2.0})).to_string()).await;
    assert_eq!((as_float.status, &as_float.body["revision"]), (StatusCode::OK, &json!(3)), "{}", as_float.body);
    let missing = t.call("PUT", "/api/v1/scenarios/nope", with(&sample(), json!({"revision": 1})).to_string()).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    t.assert_consistent().await;
}

async fn concurrent_saves_from_one_revision_let_exactly_one_through(backend: Backend) {
    let t = TestApp::new(backend).await;
    let created = t.save(&sample()).await;
    let uri = format!("/api/v1/scenarios/{}", created["id"].as_str().unwrap());
    let tasks: Vec<_> = (0..12)
        .map(|i| {
            let app = t.app.clone();
            let uri = uri.clone();
            let mut document = with(&sample(), json!({"revision": 1}));
            document["name"] = json!(format!("writer {i}"));
            tokio::spawn(async move {
                let request = Request::builder().method("PUT").uri(uri).body(Body::from(document.to_string())).unwrap();
                let answer = send(&app, request).await;
                (answer.status, answer.body)
            })
        })
        .collect();
    let mut statuses = Vec::new();
    let mut winner = None;
    for task in tasks {
        let (status, body) = task.await.unwrap();
        if status == StatusCode::OK {
            winner = Some(body["name"].clone());
        }
        statuses.push(status);
    }
    assert_eq!(statuses.iter().filter(|s| **s == StatusCode::OK).count(), 1, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == StatusCode::CONFLICT).count(), 11, "{statuses:?}");
    let now = t.call("GET", &uri, Body::empty()).await;
    assert_eq!(now.body["revision"], 2);
    assert_eq!(Some(now.body["name"].clone()), winner, "the stored name is the one save that succeeded");
    let history = t.call("GET", &format!("{uri}/revisions"), Body::empty()).await;
    assert_eq!(history.body["revisions"].as_array().unwrap().len(), 2);
    t.assert_consistent().await;
}

async fn a_share_link_shows_the_scenario_read_only_until_revoked(backend: Backend) {
    let t = TestApp::new(backend).await;
    let created = t.save(&with(&sample(), json!({"notes": "for finance"}))).await;
    let id = created["id"].as_str().unwrap();
    let share = t.call("POST", &format!("/api/v1/scenarios/{id}/share"), Body::empty()).await;
    assert_eq!(share.status, StatusCode::CREATED, "{}", share.body);
    let token = share.body["token"].as_str().unwrap().to_string();
    // 256 random bits in base64url: 43 characters, URL-safe.
    assert_eq!(token.len(), 43);
    assert!(token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'), "{token}");
    assert_eq!(share.body["url"], format!("/shared/{token}"));
    let other = t.call("POST", &format!("/api/v1/scenarios/{id}/share"), Body::empty()).await;
    assert_ne!(other.body["token"], share.body["token"]);

    // Open to anyone with the link: no token needed.
    let shared_uri = format!("/api/v1/shared/{token}");
    let view = send(&t.app, Request::get(&shared_uri).body(Body::empty()).unwrap()).await;
    assert_eq!(view.status, StatusCode::OK);
    assert_eq!(view.body["document"], created["document"]);
    assert_eq!(view.body["report"], created["report"]);
    assert_eq!(view.body["notes"], "for finance");
    assert_eq!(view.body["catalog_version"], created["catalog_version"]);
    assert!(view.body.get("id").is_none(), "the shared view does not give away the id");

    // Read-only: nothing under the link edits.
    for method in ["PUT", "POST", "DELETE", "PATCH"] {
        let answer = t.call(method, &shared_uri, with(&sample(), json!({"revision": 1})).to_string()).await;
        assert_eq!(answer.status, StatusCode::METHOD_NOT_ALLOWED, "{method}");
    }
    let unchanged = t.call("GET", &format!("/api/v1/scenarios/{id}"), Body::empty()).await;
    assert_eq!(unchanged.body["revision"], 1);

    // A guess is a 404, as is a link to another scenario's id.
    assert_eq!(
        t.call("GET", "/api/v1/shared/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "").await.status,
        StatusCode::NOT_FOUND
    );
    let unrelated = t.save(&sample()).await;
    let wrong = format!("/api/v1/scenarios/{}/share/{token}", unrelated["id"].as_str().unwrap());
    assert_eq!(t.call("DELETE", &wrong, Body::empty()).await.status, StatusCode::NOT_FOUND);

    let revoke = t.call("DELETE", &format!("/api/v1/scenarios/{id}/share/{token}"), Body::empty()).await;
    assert_eq!(revoke.status, StatusCode::NO_CONTENT);
    let after = t.call("GET", &shared_uri, Body::empty()).await;
    assert_eq!(after.status, StatusCode::NOT_FOUND);
    assert_eq!(after.body["error"]["code"], "not_found");
    let twice = t.call("DELETE", &format!("/api/v1/scenarios/{id}/share/{token}"), Body::empty()).await;
    assert_eq!(twice.status, StatusCode::NOT_FOUND);

    // The other link dies with its scenario.
    let other_uri = format!("/api/v1/shared/{}", other.body["token"].as_str().unwrap());
    assert_eq!(t.call("GET", &other_uri, Body::empty()).await.status, StatusCode::OK);
    t.call("DELETE", &format!("/api/v1/scenarios/{id}"), Body::empty()).await;
    assert_eq!(t.call("GET", &other_uri, Body::empty()).await.status, StatusCode::NOT_FOUND);
    assert_eq!(t.call("POST", "/api/v1/scenarios/no-such-id/share", Body::empty()).await.status, StatusCode::NOT_FOUND);
    t.assert_consistent().await;
}

async fn share_links_are_listed_without_their_tokens_and_revoked_by_id_or_token(backend: Backend) {
    let t = TestApp::new(backend).await;
    let id = t.save(&sample()).await["id"].as_str().unwrap().to_string();
    let app = &t;
    let list = move |id: String| async move {
        app.call("GET", &format!("/api/v1/scenarios/{id}/shares"), Body::empty()).await
    };
    let empty = list(id.clone()).await;
    assert_eq!((empty.status, &empty.body), (StatusCode::OK, &json!({"shares": []})));

    let mut made = Vec::new();
    for _ in 0..2 {
        let share = t.call("POST", &format!("/api/v1/scenarios/{id}/share"), Body::empty()).await;
        assert_eq!(share.status, StatusCode::CREATED);
        made.push(share.body);
    }
    let listed = list(id.clone()).await;
    let shares = listed.body["shares"].as_array().unwrap();
    assert_eq!(shares.len(), 2);
    // Oldest first; two links made in the same second may come in either order.
    for share in &made {
        let token = share["token"].as_str().unwrap();
        let line = shares.iter().find(|l| l["id"] == share["id"]).expect("every link made is listed");
        assert_eq!(line["created_at"], share["created_at"]);
        assert_eq!(line["token_prefix"].as_str().unwrap(), &token[..6]);
        assert_eq!(share["token_prefix"], line["token_prefix"]);
        assert!(!listed.body.to_string().contains(token), "the list never holds a usable token");
    }
    assert_ne!(shares[0]["id"], shares[1]["id"]);
    assert!(shares[0]["created_at"].as_str() <= shares[1]["created_at"].as_str(), "oldest first");

    // Revoked by id: that link is dead, the other lives.
    let (first, second) = (&made[0], &made[1]);
    let by_id = format!("/api/v1/scenarios/{id}/shares/{}", first["id"].as_str().unwrap());
    let other = t.save(&sample()).await["id"].as_str().unwrap().to_string();
    let elsewhere = format!("/api/v1/scenarios/{other}/shares/{}", first["id"].as_str().unwrap());
    assert_eq!(t.call("DELETE", &elsewhere, Body::empty()).await.status, StatusCode::NOT_FOUND);
    assert_eq!(t.call("DELETE", &by_id, Body::empty()).await.status, StatusCode::NO_CONTENT);
    assert_eq!(t.call("DELETE", &by_id, Body::empty()).await.status, StatusCode::NOT_FOUND);
    let shared = |token: &Value| format!("/api/v1/shared/{}", token.as_str().unwrap());
    assert_eq!(t.call("GET", &shared(&first["token"]), Body::empty()).await.status, StatusCode::NOT_FOUND);
    assert_eq!(t.call("GET", &shared(&second["token"]), Body::empty()).await.status, StatusCode::OK);
    let left = list(id.clone()).await;
    assert_eq!(left.body["shares"].as_array().unwrap().len(), 1);
    assert_eq!(left.body["shares"][0]["id"], second["id"]);

    // Revoked by token, the first contract: it leaves the list too.
    let by_token = format!("/api/v1/scenarios/{id}/share/{}", second["token"].as_str().unwrap());
    assert_eq!(t.call("DELETE", &by_token, Body::empty()).await.status, StatusCode::NO_CONTENT);
    assert_eq!(list(id.clone()).await.body, json!({"shares": []}));

    let missing = list("no-such-id".into()).await;
    assert_eq!((missing.status, &missing.body["error"]["code"]), (StatusCode::NOT_FOUND, &json!("not_found")));
    t.assert_consistent().await;
}

async fn a_reopened_scenario_keeps_its_numbers_when_the_catalog_moves_and_reprice_lists_the_change(backend: Backend) {
    let t = TestApp::new(backend).await;
    let created = t.save(&sample()).await;
    let id = created["id"].as_str().unwrap();

    // Next month's catalog: every EC2 price up 10%.
    let mut next = tco_pricing_data::embedded().clone();
    next.snapshot = "2099-01-01".into();
    for price in &mut next.instance_prices {
        price.usd_per_hour *= rust_decimal::Decimal::new(11, 1);
    }
    let later = t.on_catalog(next);

    let reopened = send(&later, Request::get(format!("/api/v1/scenarios/{id}")).body(Body::empty()).unwrap()).await;
    assert_eq!(reopened.body["report"], created["report"], "the saved report, not a recomputation");
    assert_eq!(reopened.body["catalog_version"], created["catalog_version"]);

    let repriced =
        send(&later, Request::post(format!("/api/v1/scenarios/{id}/reprice")).body(Body::empty()).unwrap()).await;
    assert_eq!(repriced.status, StatusCode::OK, "{}", repriced.body);
    let r = &repriced.body;
    assert_eq!(r["pinned_catalog_version"], created["catalog_version"]);
    assert_eq!(r["current_catalog_version"], "2099-01-01");
    assert_eq!(r["changed"], true);
    let differences = r["differences"].as_array().unwrap();
    assert_eq!(differences[0]["option"], "current");
    assert_eq!(differences[0]["change_usd"], json!(0.0), "Heroku's prices did not move");
    let ecs = differences.iter().find(|d| d["option"] == "ecs-ec2").unwrap();
    let (was, is) = (ecs["pinned_monthly_usd"].as_f64().unwrap(), ecs["current_monthly_usd"].as_f64().unwrap());
    assert!(is > was, "{ecs}");
    assert!((ecs["change_usd"].as_f64().unwrap() - (is - was)).abs() < 0.005, "{ecs}");
    assert_eq!(was, created["report"]["options"][0]["monthly_usd"].as_f64().unwrap());
    assert_eq!(is, r["report"]["options"][0]["monthly_usd"].as_f64().unwrap());

    // Re-pricing saves nothing; a save pins the new catalog.
    let still = send(&later, Request::get(format!("/api/v1/scenarios/{id}")).body(Body::empty()).unwrap()).await;
    assert_eq!(still.body["revision"], 1);
    let body = with(&created["document"], json!({"revision": 1})).to_string();
    let saved = send(&later, Request::put(format!("/api/v1/scenarios/{id}")).body(Body::from(body)).unwrap()).await;
    assert_eq!(saved.body["catalog_version"], "2099-01-01");
    assert_eq!(saved.body["report"], r["report"]);

    // On the same catalog, nothing moves.
    let same = t.call("POST", &format!("/api/v1/scenarios/{id}/reprice"), Body::empty()).await;
    assert_eq!(same.body["pinned_catalog_version"], "2099-01-01");
    assert_eq!(same.body["current_catalog_version"], created["catalog_version"]);
}

#[tokio::test]
async fn the_cli_the_estimate_endpoint_and_a_saved_scenario_give_the_same_report() {
    let t = TestApp::new(Backend::Sqlite).await;
    let document = sample();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("scenario.json");
    std::fs::write(&file, document.to_string()).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_tco"))
        .args(["estimate", "--scenario", file.to_str().unwrap(), "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let cli: Value = serde_json::from_slice(&out.stdout).unwrap();

    let v1 = t.call("POST", "/api/v1/estimate", document.to_string()).await;
    let legacy = t.call("POST", "/api/estimate", document.to_string()).await;
    let saved = t.save(&document).await;
    assert_eq!(v1.body, cli);
    assert_eq!(legacy.body, cli);
    assert_eq!(saved["report"], cli);
}

#[tokio::test]
async fn every_first_release_path_answers_under_v1_too() {
    let t = TestApp::new(Backend::Sqlite).await;
    for path in ["health", "sample", "catalog?family=c5&per_page=3"] {
        let old = t.call("GET", &format!("/api/{path}"), Body::empty()).await;
        let new = t.call("GET", &format!("/api/v1/{path}"), Body::empty()).await;
        assert_eq!((old.status, &old.body), (StatusCode::OK, &new.body), "{path}");
    }
    let formation = r#"[{"app":{"name":"shop"},"type":"web","quantity":2,"size":"Standard-2X"}]"#;
    let old = t.call("POST", "/api/import?filename=f.json", formation).await;
    let new = t.call("POST", "/api/v1/import?filename=f.json", formation).await;
    assert_eq!((old.status, &old.body), (StatusCode::OK, &new.body));
    let missing = t.call("GET", "/api/v1/nope", Body::empty()).await;
    assert_eq!((missing.status, &missing.body["error"]["code"]), (StatusCode::NOT_FOUND, &json!("not_found")));
}

async fn with_an_auth_token_the_scenario_endpoints_need_it_and_share_links_do_not(backend: Backend) {
    let t = TestApp::with(backend, |mut s| {
        s.auth_token = Some("s3cret-token".into());
        s
    })
    .await;
    let created = t.save(&sample()).await;
    let id = created["id"].as_str().unwrap();
    let anonymous = |method: &str, uri: String, auth: Option<&str>| {
        let mut request = Request::builder().method(method).uri(uri);
        if let Some(auth) = auth {
            request = request.header("authorization", auth);
        }
        request.body(Body::from(sample().to_string())).unwrap()
    };
    for (method, uri) in [
        ("GET", "/api/v1/scenarios".to_string()),
        ("POST", "/api/v1/scenarios".to_string()),
        ("GET", format!("/api/v1/scenarios/{id}")),
        ("PUT", format!("/api/v1/scenarios/{id}")),
        ("DELETE", format!("/api/v1/scenarios/{id}")),
        ("POST", format!("/api/v1/scenarios/{id}/share")),
        ("POST", format!("/api/v1/scenarios/{id}/reprice")),
        ("GET", format!("/api/v1/scenarios/{id}/shares")),
        ("DELETE", format!("/api/v1/scenarios/{id}/shares/any")),
    ] {
        for auth in [None, Some("Bearer wrong"), Some("Basic czNjcmV0LXRva2Vu"), Some("s3cret-token")] {
            let answer = send(&t.app, anonymous(method, uri.clone(), auth)).await;
            assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{method} {uri} {auth:?}");
            assert_eq!(answer.body["error"]["code"], "unauthorized");
            assert_eq!(answer.headers["www-authenticate"], "Bearer");
            assert!(!answer.body.to_string().contains("s3cret"), "the token is never echoed");
        }
    }
    let share = t.call("POST", &format!("/api/v1/scenarios/{id}/share"), Body::empty()).await;
    let token = share.body["token"].as_str().unwrap();
    let view = send(&t.app, anonymous("GET", format!("/api/v1/shared/{token}"), None)).await;
    assert_eq!(view.status, StatusCode::OK);
    // The estimate endpoints stay open: they store nothing.
    let estimate = send(&t.app, anonymous("POST", "/api/v1/estimate".into(), None)).await;
    assert_eq!(estimate.status, StatusCode::OK);
    assert_eq!(t.call("GET", "/api/v1/scenarios", Body::empty()).await.status, StatusCode::OK);
}

async fn bad_saves_are_4xx_naming_the_field_and_write_nothing(backend: Backend) {
    let t = TestApp::new(backend).await;
    let cases: Vec<(String, StatusCode, &str)> = vec![
        ("{".into(), StatusCode::BAD_REQUEST, "line 1"),
        ("[]".into(), StatusCode::BAD_REQUEST, "request body"),
        (
            r#"{"workloads":{"apps":[{"name":"a","processes":[{"name":"web","replicas":"many"}]}]}}"#.into(),
            StatusCode::BAD_REQUEST,
            "workloads.apps[0].processes[0].replicas",
        ),
        (r#"{"workloads":{},"notes":7}"#.into(), StatusCode::BAD_REQUEST, "notes"),
        (
            r#"{"workloads":{},"assumptions":{"region":"mars-north-1"}}"#.into(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "mars-north-1",
        ),
    ];
    for (body, status, needle) in cases {
        let answer = t.call("POST", "/api/v1/scenarios", body.clone()).await;
        assert_eq!(answer.status, status, "{body}: {}", answer.body);
        assert!(answer.body["error"]["message"].as_str().unwrap().contains(needle), "{body}: {}", answer.body);
    }
    let list = t.call("GET", "/api/v1/scenarios", Body::empty()).await;
    assert_eq!(list.body["scenarios"], json!([]));
}

#[tokio::test]
async fn a_document_whose_parts_are_arrays_is_refused_by_estimate_and_save() {
    // serde alone would read these as empty workloads and default assumptions.
    let t = TestApp::new(Backend::Sqlite).await;
    let cases = [
        (r#"{"workloads":[]}"#, "`workloads`"),
        (r#"{"workloads":{},"assumptions":[]}"#, "`assumptions`"),
        (r#"{"assumptions":[],"revision":1,"workloads":[]}"#, "expected a JSON object"),
        (r#"["",{},{}]"#, "expected a"),
    ];
    for (body, needle) in cases {
        for uri in ["/api/v1/estimate", "/api/v1/scenarios"] {
            let answer = t.call("POST", uri, body).await;
            assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{uri} {body}: {}", answer.body);
            let message = answer.body["error"]["message"].as_str().unwrap();
            assert!(message.contains(needle), "{uri} {body}: {message}");
        }
    }
    assert_eq!(t.call("GET", "/api/v1/scenarios", Body::empty()).await.body["scenarios"], json!([]));
}

#[tokio::test]
async fn without_a_database_the_scenario_endpoints_say_so() {
    let app = build_app(AppState::new(None));
    let answer = send(&app, Request::get("/api/v1/scenarios").body(Body::empty()).unwrap()).await;
    assert_eq!(answer.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(answer.body["error"]["code"], "no_database");
}

#[tokio::test]
async fn the_openapi_document_describes_every_path_and_the_error_shape() {
    let t = TestApp::new(Backend::Sqlite).await;
    let answer = t.call("GET", "/api/openapi.json", Body::empty()).await;
    assert_eq!(answer.status, StatusCode::OK);
    let doc = &answer.body;
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"), "{}", doc["openapi"]);
    let paths = doc["paths"].as_object().unwrap();
    let expected = [
        ("/api/v1/health", "get"),
        ("/api/v1/sample", "get"),
        ("/api/v1/import", "post"),
        ("/api/v1/estimate", "post"),
        ("/api/v1/crosscheck", "post"),
        ("/api/v1/catalog", "get"),
        ("/api/v1/catalog/regions", "get"),
        ("/api/v1/catalog/regions/{region}", "get"),
        ("/api/v1/scenarios", "get"),
        ("/api/v1/scenarios", "post"),
        ("/api/v1/scenarios/{id}", "get"),
        ("/api/v1/scenarios/{id}", "put"),
        ("/api/v1/scenarios/{id}", "delete"),
        ("/api/v1/scenarios/{id}/revisions", "get"),
        ("/api/v1/scenarios/{id}/revisions/{revision}", "get"),
        ("/api/v1/scenarios/{id}/reprice", "post"),
        ("/api/v1/scenarios/{id}/share", "post"),
        ("/api/v1/scenarios/{id}/share/{token}", "delete"),
        ("/api/v1/scenarios/{id}/shares", "get"),
        ("/api/v1/scenarios/{id}/shares/{share_id}", "delete"),
        ("/api/v1/shared/{token}", "get"),
        ("/api/health", "get"),
        ("/api/sample", "get"),
        ("/api/import", "post"),
        ("/api/estimate", "post"),
        ("/api/catalog", "get"),
    ];
    for (path, method) in expected {
        assert!(paths.get(path).is_some_and(|p| p.get(method).is_some()), "{method} {path} is not described");
    }
    assert_eq!(paths.len(), 23, "a path is described that the test does not know: {:?}", paths.keys());
    let mut ids: Vec<&str> = paths
        .values()
        .flat_map(|p| p.as_object().unwrap().values())
        .filter_map(|op| op["operationId"].as_str())
        .collect();
    let count = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), count, "operation ids are unique");
    let conflict = &paths["/api/v1/scenarios/{id}"]["put"]["responses"]["409"];
    assert_eq!(conflict["content"]["application/json"]["schema"]["$ref"], "#/components/schemas/ErrorEnvelope");
    assert!(doc["components"]["schemas"]["ErrorBody"]["properties"]["code"].is_object());
    assert_eq!(doc["components"]["securitySchemes"]["bearer"]["scheme"], "bearer");
    assert_eq!(t.call("GET", "/api/v1/openapi.json", Body::empty()).await.body, *doc);

    let page = t.call("GET", "/api/docs", Body::empty()).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.headers["content-type"], "text/html; charset=utf-8");
    let html = page.body.as_str().unwrap();
    assert!(html.contains("/api/openapi.json") && !html.contains("https://"), "served whole, nothing from a CDN");
}

async fn shutdown_finishes_a_save_in_flight(backend: Backend) {
    let (store, _db) = open(backend).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(tco_server::serve(listener, AppState::new(None).with_store(store.clone()), async {
        let _ = stopped.await;
    }));

    // The body arrives in two halves; shutdown is asked for between them.
    let body = sample().to_string().into_bytes();
    let (first, second) = body.split_at(body.len() / 2);
    let (tx, rx) = tokio::sync::mpsc::channel::<Vec<u8>>(2);
    let save = tokio::spawn(
        reqwest::Client::new()
            .post(format!("http://{addr}/api/v1/scenarios"))
            .body(reqwest::Body::wrap_stream(Chunks(rx)))
            .send(),
    );
    tx.send(first.to_vec()).await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    stop.send(()).unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    tx.send(second.to_vec()).await.unwrap();
    drop(tx);
    let response = save.await.unwrap().unwrap();
    assert_eq!(response.status(), reqwest::StatusCode::CREATED);
    let saved: Value = response.json().await.unwrap();
    server.await.unwrap().unwrap();
    let stored = store.get(saved["id"].as_str().unwrap()).await.unwrap();
    assert_eq!(stored.revision, 1);
    assert_eq!(store.check_consistency().await.unwrap(), Vec::<String>::new());
}

/// A request body fed by a channel.
struct Chunks(tokio::sync::mpsc::Receiver<Vec<u8>>);

impl tokio_stream::Stream for Chunks {
    type Item = Result<Vec<u8>, std::io::Error>;
    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        self.0.poll_recv(cx).map(|chunk| chunk.map(Ok))
    }
}

/// `tco serve` started with `--data-dir` (SQLite) or `--database-url` (PostgreSQL), on a free
/// loopback port; killed on drop.
struct Served {
    child: std::process::Child,
    base: String,
}

impl Served {
    fn start(database: &[&str]) -> Served {
        use std::io::BufRead as _;
        let mut child = Command::new(env!("CARGO_BIN_EXE_tco"))
            .args(["serve", "--addr", "127.0.0.1:0"])
            .args(database)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let base = line.trim().strip_prefix("tco is serving on ").unwrap_or_else(|| panic!("{line:?}"));
        Served { child, base: base.trim_end_matches('/').to_string() }
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tco_serve_keeps_scenarios_in_postgresql_given_a_database_url() {
    let server = tokio::task::spawn_blocking(PostgresServer::start).await.unwrap();
    let url = server.url("postgres");
    let client = reqwest::Client::new();
    let first = Served::start(&["--database-url", &url]);
    let created: Value = client
        .post(format!("{}/api/v1/scenarios", first.base))
        .body(sample().to_string())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = created["id"].as_str().unwrap().to_string();
    drop(first);

    // Another server on the same database (migrations already applied) sees it.
    let second = Served::start(&["--database-url", &url]);
    let got: Value =
        client.get(format!("{}/api/v1/scenarios/{id}", second.base)).send().await.unwrap().json().await.unwrap();
    assert_eq!(got, created);
    // It is in PostgreSQL, not in a SQLite file somewhere.
    let store = Store::open(&url).await.unwrap();
    assert_eq!(store.get(&id).await.unwrap().revision, 1);
    assert_eq!(store.check_consistency().await.unwrap(), Vec::<String>::new());
}

#[tokio::test]
async fn an_unknown_database_url_is_refused_at_start_up_without_its_password() {
    let out = Command::new(env!("CARGO_BIN_EXE_tco"))
        .args(["serve", "--addr", "127.0.0.1:0", "--database-url", "mysql://admin:hunter2@db.example/tco"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("unsupported database URL") && stderr.contains("postgres://"), "{stderr}");
    assert!(!stderr.contains("hunter2"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn servers_starting_together_on_one_empty_postgresql_database_all_start() {
    let server = tokio::task::spawn_blocking(PostgresServer::start).await.unwrap();
    let url = server.url("postgres");
    // Interleaved on one task, each on its own connections: the database sees six start-ups.
    let u = url.as_str();
    let (a, b, c, d, e, f) =
        tokio::join!(Store::open(u), Store::open(u), Store::open(u), Store::open(u), Store::open(u), Store::open(u));
    let stores: Vec<Store> =
        [a, b, c, d, e, f].into_iter().map(|s| s.unwrap_or_else(|e| panic!("a start-up failed: {e}"))).collect();
    let saved = stores[0].create(draft()).await.unwrap();
    assert_eq!(stores[5].get(&saved.id).await.unwrap().revision, 1);
    assert_eq!(stores[3].check_consistency().await.unwrap(), Vec::<String>::new());
}

fn draft() -> tco_server::store::Draft {
    let document = sample();
    tco_server::store::Draft {
        name: "n".into(),
        notes: String::new(),
        report: engine_report(&document).to_string(),
        document: document.to_string(),
        catalog_version: "v".into(),
    }
}
