//! The web app. Components render and call; every figure comes from `tco-engine`, computed
//! here in WebAssembly with the embedded catalog (the home region's; another region's is
//! fetched once when the scenario moves there), so an edit recomputes without a round trip.
//! The view and the key assumptions live in the URL, so a reload or a shared link restores them.

pub mod api;
pub mod arch;
pub mod components;
pub mod download;
pub mod geometry;
pub mod human;
pub mod packing;
pub mod regions;
pub mod saved;
pub mod url_state;

use components::{
    appendix::PrintAppendix, assumptions::AssumptionsPanel, executive::ExecutiveSummary, explorer::Explorer,
    export::ExportButtons, generations::GenerationsView, import::ImportPanel, nodes::NodePlans,
    presentation::Presentation, pricing_models::PricingModels, processes::ProcessTable, regions::RegionsView,
    saved::SavedScenarios, sensitivity::SensitivitySection, sources::Sources, summary::Summary, tco::CostOfOwnership,
};
use leptos::prelude::*;
use leptos::task::spawn_local;
use tco_engine::{Report, Scenario};
use url_state::View;

/// The whole page.
#[component]
pub fn App() -> impl IntoView {
    let from_url = url_state::read();
    let scenario: RwSignal<Option<Scenario>> = RwSignal::new(None);
    let load_error: RwSignal<Option<String>> = RwSignal::new(None);
    let view = RwSignal::new(from_url.view.unwrap_or_default());
    // Where Escape returns to from presentation mode.
    let back_to = RwSignal::new(match view.get_untracked() {
        View::Presentation => View::Engineering,
        v => v,
    });
    // At `/shared/{token}` the page shows a saved scenario's pinned report, read-only.
    let share = saved::share_token(&web_sys::window().and_then(|w| w.location().pathname().ok()).unwrap_or_default());
    let read_only = share.is_some();
    // The catalog a shared report was saved on, when it is not the one in this page.
    let other_catalog: RwSignal<Option<String>> = RwSignal::new(None);
    // A shared scenario's report as saved: the figures its author saw, pinned to their catalog.
    let pinned: RwSignal<Option<Report>> = RwSignal::new(None);
    spawn_local(async move {
        if let Some(token) = share {
            match api::shared(&token).await {
                Ok(Some(shared)) => {
                    if shared.catalog_version != tco_pricing_data::embedded().snapshot {
                        other_catalog.set(Some(shared.catalog_version));
                    }
                    pinned.set(serde_json::from_value(shared.report).ok());
                    scenario.set(Some(shared.document));
                }
                Ok(None) => load_error.set(Some(
                    "This share link has been revoked or does not exist: ask whoever sent it for a new one.".into(),
                )),
                Err(e) => load_error.set(Some(e)),
            }
            return;
        }
        match api::sample().await {
            Ok(mut s) => {
                from_url.apply(&mut s.assumptions);
                scenario.set(Some(s));
            }
            Err(e) => load_error.set(Some(e)),
        }
    });
    Effect::new(move |_| {
        let v = view.get();
        scenario.with(|s| {
            if let Some(s) = s {
                url_state::write(&url_state::to_query(v, &s.assumptions));
            }
        });
    });
    // Another region's catalog is fetched when the scenario moves there (or compares it); each
    // arrival (or failure) re-runs the estimate.
    let region_fetches: RwSignal<u32> = RwSignal::new(0);
    let region_error: RwSignal<Option<(String, String)>> = RwSignal::new(None);
    let estimated = Memo::new(move |_| scenario.with(|s| s.as_ref().map(|s| s.assumptions.estimated_regions())));
    let region = Memo::new(move |_| estimated.get().and_then(|r| r.into_iter().next()));
    Effect::new(move |_| {
        for r in estimated.get().unwrap_or_default() {
            if regions::catalog_for(&r).is_some() {
                continue;
            }
            spawn_local(async move {
                if let Err(e) = regions::fetch(&r).await {
                    region_error.set(Some((r, e)));
                }
                region_fetches.update(|n| *n += 1);
            });
        }
    });
    // How long the last estimate took in this page, milliseconds: what an edit costs here.
    let estimate_ms: RwSignal<Option<f64>> = RwSignal::new(None);
    let report = Memo::new(move |_| match pinned.get() {
        Some(saved) => Some(Ok(saved)),
        None => scenario.get().map(|s| {
            region_fetches.track();
            let wanted = s.assumptions.estimated_regions();
            let Some(catalog) = regions::catalog_for_all(&wanted) else {
                return Err(match region_error.get() {
                    Some((r, e)) if wanted.contains(&r) => format!("cannot load the prices of {r}: {e}"),
                    _ => format!("Loading the prices of {}…", wanted.join(", ")),
                });
            };
            let clock = web_sys::window().and_then(|w| w.performance());
            let started = clock.as_ref().map(|c| c.now());
            let report = tco_engine::estimate(&s, catalog).map_err(|e| e.to_string());
            if let (Some(c), Some(t)) = (&clock, started) {
                estimate_ms.set(Some(c.now() - t));
            }
            report
        }),
    });
    let report_ok = Signal::derive(move || report.get().and_then(Result::ok).map(human::with_regions_named));
    let title = Signal::derive(move || {
        scenario.with(|s| {
            s.as_ref()
                .map(|s| s.name.clone())
                .unwrap_or_else(|| if read_only { "Shared scenario" } else { "Loading the sample account…" }.into())
        })
    });
    let go = move |v: View| {
        if v != View::Presentation {
            back_to.set(v);
        }
        view.set(v);
    };
    let leave = Callback::new(move |_| view.set(back_to.get_untracked()));
    let today = today_iso();

    // The printed report's footer: page numbers and the catalog date on every page.
    let footer = format!(
        "@page {{ @bottom-left {{ content: \"Price catalog of {} · USD · {} hours a month\"; }} }}",
        tco_pricing_data::embedded().snapshot,
        tco_engine::HOURS_PER_MONTH
    );
    view! {
        <style>{footer}</style>
        <Show when=move || view.get() == View::Presentation>
            <Presentation report=report_ok title=title date=today.clone() on_leave=leave />
        </Show>
        <div class="app" style:display=move || if view.get() == View::Presentation { "none" } else { "block" }>
            <header class="top">
                <div class="title-row">
                    <div>
                        <h1>"Cloud TCO estimator"</h1>
                        <p class="subtitle" data-testid="scenario-name">{move || title.get()}</p>
                        <CatalogBadge region=region region_fetches=region_fetches />
                        {move || (!read_only).then(|| estimate_ms.get()).flatten().map(|ms| view! {
                            <p class="catalog estimate-time" data-testid="estimate-ms">
                                {format!("Estimated in this page in {ms:.1} ms: every edit recomputes here.")}
                            </p>
                        })}
                    </div>
                    <p class="print-only print-date">{format!("Report of {}", today_iso())}</p>
                </div>
                <nav class="tabs" aria-label="Views">
                    {View::ALL.into_iter().map(|v| {
                        let testid = if v == View::Explorer { "tab-explorer".to_string() } else { format!("view-{}", v.as_str()) };
                        view! {
                            <button type="button" data-testid=testid class:active=move || view.get() == v
                                aria-pressed=move || (view.get() == v).to_string()
                                on:click=move |_| go(v)>{v.label()}</button>
                        }
                    }).collect_view()}
                </nav>
            </header>
            <Show when=move || view.get() == View::Explorer>
                <main><Explorer /></main>
            </Show>
            <Show when=move || view.get() == View::Regions>
                <main><RegionsView scenario=scenario report=report_ok read_only=read_only
                    status=Signal::derive(move || report.get().and_then(Result::err)) /></main>
            </Show>
            <Show when=move || view.get() == View::Generations>
                <main><GenerationsView scenario=scenario report=report_ok read_only=read_only /></main>
            </Show>
            <main class=move || format!("report view-{}", view.get().as_str())
                style:display=move || if matches!(view.get(), View::Explorer | View::Regions | View::Generations) { "none" } else { "block" }>
                <Show when=move || read_only>
                    <p class="read-only-banner" data-testid="read-only-banner">
                        "A shared, read-only copy of a saved scenario."
                    </p>
                    {move || other_catalog.get().map(|v| view! {
                        <p class="warning" data-testid="shared-catalog-note">
                            {move || if pinned.with(Option::is_some) {
                                format!("Its figures are as saved, on the price catalog of {v}.")
                            } else {
                                format!("It was saved on the price catalog of {v}; the figures here use the catalog above.")
                            }}
                        </p>
                    })}
                </Show>
                <Show when=move || load_error.get().is_some()>
                    <p class="error" data-testid="load-error">{move || load_error.get()}</p>
                </Show>
                <Show when=move || matches!(report.get(), Some(Err(_)))>
                    <p class="error" data-testid="estimate-error" role="alert">
                        {move || report.get().and_then(|r| r.err())}
                    </p>
                </Show>
                <div class="toolbar">
                    <ExportButtons scenario=scenario report=report_ok />
                    <button type="button" class="secondary" data-testid="print" on:click=|_| print()>"Print or save as PDF"</button>
                </div>
                <ExecutiveSummary report=report_ok />
                <section class="panel print-only print-comparison" aria-labelledby="print-comparison-title">
                    <h2 id="print-comparison-title">"Cost comparison, USD a month"</h2>
                    {move || report_ok.get().map(|r| components::presentation::comparison_bars(&r))}
                </section>
                <Summary report=report_ok scenario=(!read_only).then_some(scenario) />
                <div class="workspace" class:read-only=read_only>
                    <div class="results">
                        <NodePlans report=report_ok />
                        <CostOfOwnership report=report_ok />
                        <SensitivitySection report=report_ok />
                        <PricingModels report=report_ok />
                        <Show when=move || !read_only>
                            <section class="panel saved-panel" aria-label="Saved scenarios">
                                <h2>"Saved scenarios"</h2>
                                <SavedScenarios scenario=scenario />
                            </section>
                            <section class="panel engineering-only workloads-panel">
                                <h2>"Workloads"</h2>
                                <ProcessTable scenario=scenario />
                            </section>
                            <section class="panel engineering-only import-panel">
                                <h2>"Import"</h2>
                                <ImportPanel scenario=scenario />
                            </section>
                        </Show>
                    </div>
                    <Show when=move || !read_only>
                        <aside class="panel side" aria-label="Assumptions" data-testid="assumptions-panel">
                            <h2>"Assumptions"</h2>
                            <AssumptionsPanel scenario=scenario report=report_ok />
                        </aside>
                    </Show>
                </div>
                <Sources report=report_ok />
                <PrintAppendix report=report_ok />
            </main>
        </div>
    }
}

/// Opens the browser's print dialog, where "Save as PDF" lives; the print stylesheet lays the
/// report out.
fn print() {
    if let Some(w) = web_sys::window() {
        let _ = w.print();
    }
}

/// The catalog's date and the scenario's region's price date, with a warning when the oldest
/// price an estimate there rests on is over 90 days old.
#[component]
fn CatalogBadge(region: Memo<Option<String>>, region_fetches: RwSignal<u32>) -> impl IntoView {
    let today = today_iso();
    let dates = move || {
        region_fetches.track();
        let r = region.get().unwrap_or_else(|| tco_engine::catalog::HOME_REGION.to_string());
        let catalog = regions::catalog_for(&r)?;
        Some((
            r.clone(),
            catalog.snapshot.clone(),
            catalog.price_date(&r).map(str::to_string),
            catalog.oldest_price_as_of_in(&r),
        ))
    };
    view! {
        {move || dates().map(|(r, snapshot, price_date, oldest)| {
            let warning = oldest.and_then(|o| tco_engine::age::stale_warning("The oldest catalog price", &o, &today));
            view! {
                <p class="catalog" data-testid="catalog-date">
                    "Price catalog of " {snapshot} " · " {r.clone()}
                    {price_date.map(|d| format!(" EC2 prices of {d}"))} " · USD · "
                    {tco_engine::HOURS_PER_MONTH} " hours a month"
                </p>
                {warning.map(|w| view! { <p class="warning" data-testid="catalog-warning">{w}</p> })}
            }
        })}
    }
}

/// Today's date in the browser, `YYYY-MM-DD`.
fn today_iso() -> String {
    let iso: String = js_sys::Date::new_0().to_iso_string().into();
    iso.chars().take(10).collect()
}

/// The report, when the estimate succeeded.
pub type MaybeReport = Signal<Option<Report>>;
