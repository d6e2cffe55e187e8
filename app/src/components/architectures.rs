//! Which CPU architectures the images are built for. Heroku builds x86_64 images, so Graviton
//! types (and Fargate on ARM) are candidates only once the user says the images are multi-arch;
//! the engine explains what goes wrong when the list and the instance types disagree.

use super::fields::edit;
use crate::arch;
use leptos::prelude::*;
use tco_engine::catalog::Arch;
use tco_engine::Scenario;

/// A checkbox per architecture. Unticking the last one is marked invalid and changes nothing:
/// an image is built for something.
#[component]
pub fn Architectures(scenario: RwSignal<Option<Scenario>>) -> impl IntoView {
    let invalid = RwSignal::new(false);
    view! {
        <div class="field wide arches" class:invalid=move || invalid.get() role="group"
            aria-labelledby="arches-name" aria-invalid=move || invalid.get().to_string() data-testid="architectures">
            <span class="name" id="arches-name">"Images built for"</span>
            <div class="checks">
                {Arch::ALL.into_iter().map(|a| view! {
                    <label class="toggle">
                        <input type="checkbox" data-testid=format!("arch-{a}")
                            prop:checked=move || scenario.with(|s| s.as_ref().is_some_and(|s| s.assumptions.architectures.contains(&a)))
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                let mut list = scenario.with_untracked(|s| s.as_ref().map(|s| s.assumptions.architectures.clone())).unwrap_or_default();
                                list.retain(|x| *x != a);
                                if on { list.push(a) }
                                invalid.set(list.is_empty());
                                if !list.is_empty() {
                                    edit(scenario, |assumptions| assumptions.architectures = arch::sorted(list));
                                }
                            } />
                        <span>{arch::label(a)}</span>
                    </label>
                }).collect_view()}
            </div>
            <span class="hint">
                {move || if invalid.get() { "Pick at least one architecture; the estimate keeps the previous choice." } else {
                    "Heroku builds x86_64 images. Add arm64 when yours are multi-arch: Graviton types in the list and Fargate on ARM become candidates."
                }}
            </span>
        </div>
    }
}
