//! Every price behind the figures, with its source and date.

use crate::MaybeReport;
use leptos::prelude::*;

/// The prices the report used.
#[component]
pub fn Sources(report: MaybeReport) -> impl IntoView {
    view! {
        <section class="panel sources">
            <h2>"Prices used"</h2>
            <table data-testid="sources">
                <thead><tr><th>"price"</th><th>"USD"</th><th>"unit"</th><th>"source"</th><th>"as of"</th></tr></thead>
                <tbody>
                    {move || report.get().map(|r| r.sources.into_iter().map(|s| view! {
                        <tr>
                            <td>{s.item}</td>
                            <td class="num">{s.usd.normalize().to_string()}</td>
                            <td>{s.unit}</td>
                            <td class="source">{s.source}</td>
                            <td>{s.as_of}</td>
                        </tr>
                    }).collect_view())}
                </tbody>
            </table>
            {move || report.get().map(|r| r.warnings.into_iter().map(|w| view! { <p class="warning">{w}</p> }).collect_view())}
        </section>
    }
}
