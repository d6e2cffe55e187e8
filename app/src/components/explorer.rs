//! The instance explorer: every priced instance type, filtered and sorted in the page with
//! the engine's own query, with the catalog's sources and dates.

use leptos::prelude::*;
use rust_decimal::Decimal;
use tco_engine::catalog::Arch;
use tco_engine::explore::{query, InstanceQuery};

/// Rows shown at most; the count says how many matched.
const SHOWN: usize = 300;

/// Filter inputs, a sortable table and the provenance of its prices.
#[component]
pub fn Explorer() -> impl IntoView {
    let catalog = tco_pricing_data::embedded();
    let manifest = tco_pricing_data::embedded_manifest();
    let search = RwSignal::new(String::new());
    let family = RwSignal::new(String::new());
    let min_vcpu = RwSignal::new(String::new());
    let min_memory = RwSignal::new(String::new());
    let arch = RwSignal::new(String::new());
    let sort = RwSignal::new("price".to_string());
    let desc = RwSignal::new(false);

    let rows = Memo::new(move |_| {
        let q = InstanceQuery {
            search: Some(search.get()),
            family: Some(family.get()),
            min_vcpu: min_vcpu.get().trim().parse().ok(),
            min_memory_gib: min_memory.get().trim().parse::<Decimal>().ok(),
            arch: arch.get().parse().ok(),
            sort: Some(sort.get()),
            desc: desc.get(),
            ..InstanceQuery::default()
        };
        query(catalog, &q)
    });
    let header = move |key: &'static str, label: &'static str| {
        view! {
            <th class="sortable" data-testid=format!("sort-{key}")
                on:click=move |_| {
                    if sort.get_untracked() == key { desc.update(|d| *d = !*d) } else { sort.set(key.to_string()); desc.set(false) }
                }>
                {label}
                {move || (sort.get() == key).then(|| if desc.get() { " ▼" } else { " ▲" })}
            </th>
        }
    };
    let opt = |v: Option<String>| v.unwrap_or_else(|| "—".into());

    view! {
        <section class="panel explorer">
            <h2>"Instance explorer"</h2>
            <form class="filters" on:submit=|ev| ev.prevent_default()>
                <input type="search" placeholder="search, e.g. 2xlarge" aria-label="Search instance types" data-testid="explorer-search"
                    prop:value=move || search.get() on:input=move |ev| search.set(event_target_value(&ev)) />
                <input type="text" placeholder="families: c5,m6i" aria-label="Instance families" data-testid="explorer-family"
                    prop:value=move || family.get() on:input=move |ev| family.set(event_target_value(&ev)) />
                <input type="number" min="0" placeholder="min vCPU" aria-label="Least vCPUs" data-testid="explorer-min-vcpu"
                    prop:value=move || min_vcpu.get() on:input=move |ev| min_vcpu.set(event_target_value(&ev)) />
                <input type="number" min="0" placeholder="min GiB" aria-label="Least memory, GiB" data-testid="explorer-min-memory"
                    prop:value=move || min_memory.get() on:input=move |ev| min_memory.set(event_target_value(&ev)) />
                <select data-testid="explorer-arch" aria-label="Architecture" on:change=move |ev| arch.set(event_target_value(&ev))>
                    <option value="">"any architecture"</option>
                    {Arch::ALL.map(|a| view! { <option value=a.as_str()>{a.as_str()}</option> })}
                </select>
            </form>
            <p data-testid="explorer-count">
                {move || {
                    let n = rows.with(Vec::len);
                    if n > SHOWN { format!("{n} instance types match; the first {SHOWN} are shown") } else { format!("{n} instance types match") }
                }}
            </p>
            <table data-testid="explorer-table">
                <thead>
                    <tr>
                        {header("name", "type")}
                        {header("vcpu", "vCPU")}
                        {header("memory", "GiB")}
                        <th>"arch"</th>
                        <th>"max pods"</th>
                        <th>"region"</th>
                        {header("price", "USD/hour")}
                        <th>"USD/month"</th>
                        {header("price_per_vcpu", "USD/vCPU-hour")}
                        {header("price_per_gib", "USD/GiB-hour")}
                        <th>"as of"</th>
                    </tr>
                </thead>
                <tbody>
                    {move || rows.with(|rows| rows.iter().take(SHOWN).map(|r| view! {
                        <tr>
                            <td>{r.instance_type.clone()}</td>
                            <td class="num">{opt(r.vcpu.map(|v| v.to_string()))}</td>
                            <td class="num">{opt(r.memory_gib.map(|v| v.normalize().to_string()))}</td>
                            <td>{opt(r.arch.map(|a| a.to_string()))}</td>
                            <td class="num">{opt(r.eks_max_pods.map(|v| v.to_string()))}</td>
                            <td>{r.region.clone()}</td>
                            <td class="num">{r.usd_per_hour.normalize().to_string()}</td>
                            <td class="num">{tco_engine::format::usd(tco_engine::Usd::new(r.usd_per_month))}</td>
                            <td class="num">{opt(r.usd_per_vcpu_hour.map(|v| v.normalize().to_string()))}</td>
                            <td class="num">{opt(r.usd_per_gib_hour.map(|v| v.normalize().to_string()))}</td>
                            <td>{r.as_of.clone()}</td>
                        </tr>
                    }).collect_view())}
                </tbody>
            </table>
            <h3>"Where these figures come from"</h3>
            <ul class="provenance">
                {manifest.files.iter().map(|f| view! {
                    <li><strong>{f.file.clone()}</strong> ": " {f.source.clone()} " (" {f.as_of.clone()} ")"</li>
                }).collect_view()}
            </ul>
            <p class="hint">"— = not in the catalog's sources. " {manifest.absent.clone()}</p>
        </section>
    }
}
