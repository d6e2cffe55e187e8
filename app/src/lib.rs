//! The web app. Components render and call; every figure comes from `tco-engine`, computed
//! here in WebAssembly with the embedded catalog, so an edit recomputes without a round trip.

pub mod api;
pub mod components;

use components::{
    assumptions::AssumptionsPanel, explorer::Explorer, import::ImportPanel, processes::ProcessTable, sources::Sources,
    summary::Summary,
};
use leptos::prelude::*;
use leptos::task::spawn_local;
use tco_engine::{Report, Scenario};

/// The whole page.
#[component]
pub fn App() -> impl IntoView {
    let scenario: RwSignal<Option<Scenario>> = RwSignal::new(None);
    let load_error: RwSignal<Option<String>> = RwSignal::new(None);
    spawn_local(async move {
        match api::sample().await {
            Ok(s) => scenario.set(Some(s)),
            Err(e) => load_error.set(Some(e)),
        }
    });
    let catalog = tco_pricing_data::embedded();
    let report =
        Memo::new(move |_| scenario.get().map(|s| tco_engine::estimate(&s, catalog).map_err(|e| e.to_string())));
    let report_ok = Signal::derive(move || report.get().and_then(Result::ok));
    let tab = RwSignal::new(Tab::Comparison);

    view! {
        <header class="top">
            <h1>"Cloud TCO estimator"</h1>
            <p class="subtitle">
                {move || scenario.get().map(|s| s.name).unwrap_or_else(|| "Loading the sample account…".into())}
            </p>
            <CatalogBadge />
            <nav class="tabs">
                <button data-testid="tab-comparison" class:active=move || tab.get() == Tab::Comparison
                    on:click=move |_| tab.set(Tab::Comparison)>"Comparison"</button>
                <button data-testid="tab-explorer" class:active=move || tab.get() == Tab::Explorer
                    on:click=move |_| tab.set(Tab::Explorer)>"Instance explorer"</button>
            </nav>
        </header>
        <Show when=move || tab.get() == Tab::Explorer>
            <main><Explorer /></main>
        </Show>
        <main style:display=move || if tab.get() == Tab::Comparison { "block" } else { "none" }>
            <Show when=move || load_error.get().is_some()>
                <p class="error" data-testid="load-error">{move || load_error.get()}</p>
            </Show>
            <Show when=move || matches!(report.get(), Some(Err(_)))>
                <p class="error" data-testid="estimate-error">
                    {move || report.get().and_then(|r| r.err())}
                </p>
            </Show>
            <Summary report=report_ok />
            <div class="columns">
                <section class="panel">
                    <h2>"Workloads"</h2>
                    <ProcessTable scenario=scenario />
                </section>
                <section class="panel">
                    <h2>"Assumptions"</h2>
                    <AssumptionsPanel scenario=scenario />
                    <h2>"Import"</h2>
                    <ImportPanel scenario=scenario />
                </section>
            </div>
            <Sources report=report_ok />
        </main>
    }
}

/// The page's views.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Tab {
    Comparison,
    Explorer,
}

/// The catalog's date, with a warning when its oldest price is over 90 days old.
#[component]
fn CatalogBadge() -> impl IntoView {
    let catalog = tco_pricing_data::embedded();
    let today = today_iso();
    let warning = tco_engine::age::stale_warning("The oldest catalog price", &catalog.oldest_price_as_of, &today);
    view! {
        <p class="catalog" data-testid="catalog-date">
            "Price catalog of " {catalog.snapshot.clone()} " · USD · "
            {tco_engine::HOURS_PER_MONTH} " hours a month"
        </p>
        {warning.map(|w| view! { <p class="warning" data-testid="catalog-warning">{w}</p> })}
    }
}

/// Today's date in the browser, `YYYY-MM-DD`.
fn today_iso() -> String {
    let iso: String = js_sys::Date::new_0().to_iso_string().into();
    iso.chars().take(10).collect()
}

/// The report, when the estimate succeeded.
pub type MaybeReport = Signal<Option<Report>>;
